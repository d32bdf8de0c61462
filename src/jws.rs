//! Compact JWS (RFC 7515 section 7.1) with EdDSA over Ed25519 only (RFC 8037 section 3.1).
//!
//! Policy: the protected header must be a JSON object whose `alg` is `EdDSA` (or the fully
//! specified `Ed25519` of RFC 9864). `none`, HMAC, ECDSA, RSA and everything else is
//! `UNSUPPORTED_ALGORITHM`, before any key is looked at. A `crit` header is rejected (no
//! extension is understood), and so is the unencoded payload option (`b64: false`).

use crate::encoding::{b64url_decode, b64url_encode};
use crate::error::{Error, ErrorCode, Result};
use crate::keys::{KeyPair, PublicKey};
use serde_json::{Map, Value};

/// Largest compact JWS accepted (1 MiB); the credential layer may apply a smaller one.
pub const MAX_JWS_BYTES: usize = 1024 * 1024;

/// A parsed compact JWS whose header passed the algorithm policy. Its signature is not yet checked.
#[derive(Clone, Debug)]
pub struct Jws<'a> {
    /// `BASE64URL(header) || '.' || BASE64URL(payload)`: the bytes the signature covers.
    pub signing_input: &'a str,
    /// The decoded protected header.
    pub header: Map<String, Value>,
    /// The decoded payload bytes.
    pub payload: Vec<u8>,
    /// The 64-byte signature.
    pub signature: [u8; 64],
}

impl<'a> Jws<'a> {
    /// Parses a compact JWS and applies the header policy.
    ///
    /// # Errors
    /// `INPUT_TOO_LARGE` over [`MAX_JWS_BYTES`]; `MALFORMED_INPUT` for a wrong shape, bad
    /// base64url, a header that is not a JSON object, or a signature that is not 64 bytes;
    /// `UNSUPPORTED_ALGORITHM` for any `alg` but EdDSA, and for `crit` or `b64: false`.
    pub fn parse(compact: &'a str) -> Result<Jws<'a>> {
        if compact.len() > MAX_JWS_BYTES {
            return Err(Error::new(ErrorCode::InputTooLarge, format!("JWS over {MAX_JWS_BYTES} bytes")));
        }
        let mut parts = compact.splitn(4, '.');
        let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(Error::malformed("a compact JWS has exactly three parts"));
        };
        let header_bytes = b64url_decode(h).map_err(|e| e.at("header"))?;
        let header: Map<String, Value> = match crate::json::parse(&header_bytes, MAX_JWS_BYTES, crate::limits::MAX_JSON_DEPTH) {
            Ok(Value::Object(m)) => m,
            Err(e) if e.code == ErrorCode::InputTooLarge => return Err(e.at("header")),
            _ => return Err(Error::malformed("JWS header is not a JSON object").at("header")),
        };
        check_header(&header)?;
        let payload = b64url_decode(p).map_err(|e| e.at("payload"))?;
        let sig_bytes = b64url_decode(s).map_err(|e| e.at("signature"))?;
        let signature: [u8; 64] =
            sig_bytes.as_slice().try_into().map_err(|_| Error::malformed("an EdDSA signature is 64 bytes").at("signature"))?;
        let signing_input = compact.get(..h.len() + 1 + p.len()).unwrap_or_default();
        Ok(Jws { signing_input, header, payload, signature })
    }

    /// The payload parsed as a JSON object, under the default JSON limits ([`crate::json`]).
    ///
    /// # Errors
    /// `MALFORMED_INPUT` when it is not one; `INPUT_TOO_LARGE` past a limit.
    pub fn payload_object(&self) -> Result<Map<String, Value>> {
        crate::json::parse_object(&self.payload, MAX_JWS_BYTES, crate::limits::MAX_JSON_DEPTH).map_err(|e| match e.code {
            ErrorCode::InputTooLarge => e.at("payload"),
            _ => Error::malformed("JWS payload is not a JSON object").at("payload"),
        })
    }

    /// A header parameter as a string.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.header.get(name).and_then(Value::as_str)
    }

    /// The header `typ`, normalized by [`media_type`]; `None` when absent.
    ///
    /// # Errors
    /// `MALFORMED_INPUT` when `typ` is present but not a string.
    pub fn typ(&self) -> Result<Option<String>> {
        match self.header.get("typ") {
            None => Ok(None),
            Some(Value::String(t)) => Ok(Some(media_type(t))),
            Some(_) => Err(Error::malformed("the JWS typ must be a string").at("header.typ")),
        }
    }

    /// Checks the signature with `key` under the strict policy.
    pub fn verify(&self, key: &PublicKey) -> bool {
        crate::keys::verify(self.signing_input.as_bytes(), &self.signature, key)
    }
}

/// A `typ` (or `cty`) value in the one form it is compared in: RFC 7515 section 4.1.9 says media
/// type names compare case-insensitively and that `application/` may be omitted, so
/// `application/DC+SD-JWT` and `dc+sd-jwt` are the same type. Every `typ` comparison in the
/// crate goes through this function.
pub fn media_type(typ: &str) -> String {
    let lower = typ.to_ascii_lowercase();
    match lower.strip_prefix("application/") {
        Some(rest) => rest.to_owned(),
        None => lower,
    }
}

/// Applies the algorithm policy to a protected header.
fn check_header(header: &Map<String, Value>) -> Result<()> {
    match header.get("alg").and_then(Value::as_str) {
        Some("EdDSA") | Some("Ed25519") => {}
        Some(other) => {
            return Err(Error::new(
                ErrorCode::UnsupportedAlgorithm,
                format!("JWS alg '{other}' is not supported (only EdDSA over Ed25519)"),
            )
            .at("header.alg"))
        }
        None => return Err(Error::new(ErrorCode::UnsupportedAlgorithm, "JWS header has no alg").at("header.alg")),
    }
    if header.contains_key("crit") {
        return Err(Error::new(ErrorCode::UnsupportedAlgorithm, "JWS crit extensions are not supported").at("header.crit"));
    }
    if header.get("b64") == Some(&Value::Bool(false)) {
        return Err(Error::new(ErrorCode::UnsupportedAlgorithm, "unencoded JWS payloads are not supported").at("header.b64"));
    }
    Ok(())
}

/// Signs `payload` as a compact JWS. `header` gets `alg: EdDSA` (any given `alg` is replaced).
///
/// ```
/// use credcore::{jws::{sign, Jws}, keys::KeyPair};
/// let key = KeyPair::from_seed(&[1; 32]);
/// let compact = sign(&serde_json::Map::new(), br#"{"hello":"world"}"#, &key);
/// let parsed = Jws::parse(&compact).unwrap();
/// assert!(parsed.verify(key.public_key()));
/// assert_eq!(parsed.header_str("alg"), Some("EdDSA"));
/// ```
pub fn sign(header: &Map<String, Value>, payload: &[u8], key: &KeyPair) -> String {
    let mut header = header.clone();
    header.insert("alg".into(), Value::String("EdDSA".into()));
    // serde_json writes a map without failing; fall back to the minimal header otherwise.
    let header_json = serde_json::to_vec(&Value::Object(header)).unwrap_or_else(|_| br#"{"alg":"EdDSA"}"#.to_vec());
    let mut out = b64url_encode(&header_json);
    out.push('.');
    out.push_str(&b64url_encode(payload));
    let signature = key.sign(out.as_bytes());
    out.push('.');
    out.push_str(&b64url_encode(&signature));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::hex_decode;

    fn rfc8032_test1() -> KeyPair {
        let seed = hex_decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60").unwrap();
        KeyPair::from_seed_slice(&seed).unwrap()
    }

    #[test]
    fn rfc8037_a4_signature() {
        let compact = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
        let jws = Jws::parse(compact).unwrap();
        assert_eq!(jws.payload, b"Example of Ed25519 signing");
        assert!(jws.verify(rfc8032_test1().public_key()));
        let mut tampered = jws.clone();
        tampered.signing_input = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmC";
        assert!(!tampered.verify(rfc8032_test1().public_key()));
        // Deterministic signing reproduces it byte for byte.
        let mut header = Map::new();
        header.insert("alg".into(), Value::String("EdDSA".into()));
        assert_eq!(sign(&header, b"Example of Ed25519 signing", &rfc8032_test1()), compact);
    }

    #[test]
    fn media_types_compare_as_rfc_7515_says() {
        for (given, normal) in
            [("dc+sd-jwt", "dc+sd-jwt"), ("application/dc+sd-jwt", "dc+sd-jwt"), ("Application/VC+JWT", "vc+jwt"), ("JWT", "jwt")]
        {
            assert_eq!(media_type(given), normal, "{given}");
        }
    }

    #[test]
    fn algorithm_policy() {
        for alg in ["none", "HS256", "ES256", "RS256", "eddsa"] {
            let h = b64url_encode(format!(r#"{{"alg":"{alg}"}}"#).as_bytes());
            let compact = format!("{h}.e30.{}", b64url_encode(&[0u8; 64]));
            assert_eq!(Jws::parse(&compact).map(|_| ()).map_err(|e| e.code), Err(ErrorCode::UnsupportedAlgorithm), "{alg}");
        }
        let h = b64url_encode(br#"{"alg":"EdDSA","crit":["exp"],"exp":1}"#);
        let compact = format!("{h}.e30.{}", b64url_encode(&[0u8; 64]));
        assert_eq!(Jws::parse(&compact).map(|_| ()).map_err(|e| e.code), Err(ErrorCode::UnsupportedAlgorithm));
        let no_alg = format!("e30.e30.{}", b64url_encode(&[0u8; 64]));
        assert_eq!(Jws::parse(&no_alg).map(|_| ()).map_err(|e| e.code), Err(ErrorCode::UnsupportedAlgorithm));
        for bad in ["", "a.b", "a.b.c.d", "!!.e30.AA"] {
            assert_eq!(Jws::parse(bad).map(|_| ()).map_err(|e| e.code), Err(ErrorCode::MalformedInput), "{bad}");
        }
    }
}
