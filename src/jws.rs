//! Compact JWS (RFC 7515 section 7.1) signed with the algorithms of [`crate::keys::Algorithm`]:
//! EdDSA over Ed25519 (RFC 8037 section 3.1), ES256, ES384 (RFC 7518 section 3.4), ES256K (RFC
//! 8812), RS256/384/512 (section 3.3) and PS256/384/512 (section 3.5).
//!
//! Policy: the protected header must be a JSON object whose `alg` names one of those (`Ed25519`,
//! RFC 9864's fully specified name, is EdDSA). `none`, HMAC and everything else is
//! `UNSUPPORTED_ALGORITHM`, before any key is looked at. A signature of a fixed-length algorithm
//! must have that length (EdDSA 64 bytes; ECDSA `r || s`: 64, or 96 for ES384; a DER-encoded
//! ECDSA signature is refused), an RSA signature 256 to 512 bytes (2048- to 4096-bit keys);
//! otherwise `MALFORMED_INPUT`. Which key may verify it is the key's business
//! ([`crate::keys::VerifyingKey::refuses`]): `alg` only says which algorithm the signer used. A
//! `crit` header is rejected (no extension is understood), and so is the unencoded payload
//! option (`b64: false`).

use crate::encoding::{b64url_decode, b64url_encode};
use crate::error::{Error, ErrorCode, Result};
use crate::keys::{Algorithm, Signer, VerifyingKey, MAX_RSA_BITS, MIN_RSA_BITS};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::rc::Rc;

/// Largest compact JWS accepted (1 MiB); the credential layer may apply a smaller one.
pub const MAX_JWS_BYTES: usize = 1024 * 1024;

/// A parsed compact JWS whose header passed the algorithm policy. Its signature is not yet checked.
#[derive(Clone, Debug)]
pub struct Jws<'a> {
    /// `BASE64URL(header) || '.' || BASE64URL(payload)`: the bytes the signature covers.
    pub signing_input: &'a str,
    /// The decoded protected header (shared with the other JWSs of a batch whose header segment
    /// is byte-for-byte the same: see [`parsed_header`]).
    pub header: Header,
    /// The decoded payload bytes.
    pub payload: Vec<u8>,
    /// The signature bytes, of the length the algorithm takes.
    pub signature: Vec<u8>,
    /// The header's `alg`.
    pub alg: Algorithm,
}

impl<'a> Jws<'a> {
    /// Parses a compact JWS and applies the header policy.
    ///
    /// # Errors
    /// `INPUT_TOO_LARGE` over [`MAX_JWS_BYTES`]; `MALFORMED_INPUT` for a wrong shape, bad
    /// base64url, a header that is not a JSON object, or a signature of the wrong length for its
    /// algorithm; `UNSUPPORTED_ALGORITHM` for an `alg` credcore does not verify, and for `crit`
    /// or `b64: false`.
    pub fn parse(compact: &'a str) -> Result<Jws<'a>> {
        if compact.len() > MAX_JWS_BYTES {
            return Err(Error::new(ErrorCode::InputTooLarge, format!("JWS over {MAX_JWS_BYTES} bytes")));
        }
        let mut parts = compact.splitn(4, '.');
        let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(Error::malformed("a compact JWS has exactly three parts"));
        };
        let header = parsed_header(h)?;
        let alg = check_header(&header)?;
        let payload = b64url_decode(p).map_err(|e| e.at("payload"))?;
        let signature = b64url_decode(s).map_err(|e| e.at("signature"))?;
        check_signature_len(alg, &signature)?;
        let signing_input = compact.get(..h.len() + 1 + p.len()).unwrap_or_default();
        Ok(Jws { signing_input, header, payload, signature, alg })
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

    /// Checks the signature with `key` now (Ed25519 under the strict policy); false when the key
    /// refuses the header's `alg`. Batches check signatures together instead (`crate::batch`).
    pub fn verify<K: Clone + Into<VerifyingKey>>(&self, key: &K) -> bool {
        key.clone().into().verify(self.alg, self.signing_input.as_bytes(), &self.signature)
    }
}

/// A parsed protected header, shared by the JWSs whose header segments are the same bytes.
pub type Header = Rc<Map<String, Value>>;

/// Header segments up to this length are remembered by [`parsed_header`].
const REMEMBERED_HEADER_BYTES: usize = 2048;

thread_local! {
    /// The last header segment parsed (at most [`REMEMBERED_HEADER_BYTES`]) and its parse: the
    /// JWSs of a batch mostly come from a few issuers, each with one header.
    static LAST_HEADER: RefCell<Option<(String, Header)>> = const { RefCell::new(None) };
}

/// The base64url header segment `h` decoded and parsed as a JSON object. A segment equal, byte
/// for byte, to the last one parsed gets that parse again (the same bytes always parse the same);
/// only a successful parse is remembered, and the header policy ([`check_header`]) is applied by
/// the caller every time.
fn parsed_header(h: &str) -> Result<Header> {
    let hit = LAST_HEADER.with(|last| last.try_borrow().ok().and_then(|l| l.as_ref().filter(|(seg, _)| seg == h).map(|(_, m)| Rc::clone(m))));
    if let Some(m) = hit {
        return Ok(m);
    }
    let header_bytes = b64url_decode(h).map_err(|e| e.at("header"))?;
    let header = match crate::json::parse(&header_bytes, MAX_JWS_BYTES, crate::limits::MAX_JSON_DEPTH) {
        Ok(Value::Object(m)) => Rc::new(m),
        Err(e) if e.code == ErrorCode::InputTooLarge => return Err(e.at("header")),
        _ => return Err(Error::malformed("JWS header is not a JSON object").at("header")),
    };
    if h.len() <= REMEMBERED_HEADER_BYTES {
        LAST_HEADER.with(|last| {
            if let Ok(mut l) = last.try_borrow_mut() {
                *l = Some((h.to_owned(), Rc::clone(&header)));
            }
        });
    }
    Ok(header)
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

/// Applies the algorithm policy to a protected header; returns its algorithm.
fn check_header(header: &Map<String, Value>) -> Result<Algorithm> {
    let alg = match header.get("alg").and_then(Value::as_str) {
        Some(name) => Algorithm::parse(name).map_err(|e| e.at("header.alg"))?,
        None => return Err(Error::new(ErrorCode::UnsupportedAlgorithm, "JWS header has no alg").at("header.alg")),
    };
    if header.contains_key("crit") {
        return Err(Error::new(ErrorCode::UnsupportedAlgorithm, "JWS crit extensions are not supported").at("header.crit"));
    }
    if header.get("b64") == Some(&Value::Bool(false)) {
        return Err(Error::new(ErrorCode::UnsupportedAlgorithm, "unencoded JWS payloads are not supported").at("header.b64"));
    }
    Ok(alg)
}

/// Applies the length policy of the module docs to a signature of `alg`.
fn check_signature_len(alg: Algorithm, signature: &[u8]) -> Result<()> {
    let len = signature.len();
    let ok = match alg.signature_len() {
        Some(want) => len == want,
        None => (MIN_RSA_BITS / 8..=MAX_RSA_BITS / 8).contains(&len),
    };
    if ok {
        return Ok(());
    }
    let why = match alg.signature_len() {
        Some(want) if alg == Algorithm::EdDsa => format!("an EdDSA signature is {want} bytes, not {len}"),
        // A DER SEQUENCE (0x30) of two INTEGERs is how X.509 and node:crypto's default write ECDSA.
        Some(want) if signature.first() == Some(&0x30) => {
            format!("an {alg} signature is {want} bytes of r || s (RFC 7518 section 3.4), not DER ({len} bytes)")
        }
        Some(want) => format!("an {alg} signature is {want} bytes of r || s (RFC 7518 section 3.4), not {len}"),
        None => format!(
            "an {alg} signature is as long as the modulus: {} to {} bytes for {MIN_RSA_BITS}- to {MAX_RSA_BITS}-bit keys, not {len}",
            MIN_RSA_BITS / 8,
            MAX_RSA_BITS / 8
        ),
    };
    Err(Error::malformed(why).at("signature"))
}

/// Signs `payload` as a compact JWS with `key`. `header` gets the key's `alg` (any given `alg`
/// is replaced).
///
/// ```
/// use credcore::{jws::{sign, Jws}, keys::{Algorithm, KeyPair, Signer, SigningKey}};
/// let key = KeyPair::from_seed(&[1; 32]);
/// let compact = sign(&serde_json::Map::new(), br#"{"hello":"world"}"#, &key);
/// let parsed = Jws::parse(&compact).unwrap();
/// assert!(parsed.verify(key.public_key()));
/// assert_eq!(parsed.header_str("alg"), Some("EdDSA"));
/// let p256 = SigningKey::generate(Algorithm::Es256).unwrap();
/// let compact = sign(&serde_json::Map::new(), b"{}", &p256);
/// let parsed = Jws::parse(&compact).unwrap();
/// assert_eq!((parsed.alg, parsed.signature.len()), (Algorithm::Es256, 64));
/// assert!(parsed.verify(&p256.verifying_key()));
/// ```
pub fn sign(header: &Map<String, Value>, payload: &[u8], key: &dyn Signer) -> String {
    let alg = key.algorithm();
    let mut header = header.clone();
    header.insert("alg".into(), Value::String(alg.as_str().into()));
    // serde_json writes a map without failing; fall back to the minimal header otherwise.
    let header_json = serde_json::to_vec(&Value::Object(header)).unwrap_or_else(|_| format!(r#"{{"alg":"{alg}"}}"#).into_bytes());
    let mut out = b64url_encode(&header_json);
    out.push('.');
    out.push_str(&b64url_encode(payload));
    let signature = key.sign_message(out.as_bytes());
    out.push('.');
    out.push_str(&b64url_encode(&signature));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::hex_decode;
    use crate::keys::KeyPair;

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
    fn signature_lengths_follow_the_algorithm() {
        let jws = |alg: &str, sig: &[u8]| {
            let h = b64url_encode(format!(r#"{{"alg":"{alg}"}}"#).as_bytes());
            Jws::parse(&format!("{h}.e30.{}", b64url_encode(sig))).map(|j| j.alg).map_err(|e| (e.code, e.message))
        };
        assert_eq!(jws("ES256", &[1; 64]), Ok(Algorithm::Es256));
        assert_eq!(jws("ES256K", &[1; 64]), Ok(Algorithm::Es256k));
        assert_eq!(jws("ES384", &[1; 96]), Ok(Algorithm::Es384));
        assert_eq!(jws("RS256", &[1; 256]), Ok(Algorithm::Rs256));
        assert_eq!(jws("PS512", &[1; 512]), Ok(Algorithm::Ps512));
        assert_eq!(jws("Ed25519", &[1; 64]), Ok(Algorithm::EdDsa));
        for (alg, len) in [("ES256", 96), ("ES384", 64), ("EdDSA", 63), ("RS256", 128), ("PS256", 513)] {
            assert_eq!(jws(alg, &vec![1; len]).map_err(|e| e.0), Err(ErrorCode::MalformedInput), "{alg} {len}");
        }
        // A DER signature (SEQUENCE of two INTEGERs) is named as such.
        let mut der = vec![0x30, 0x44, 0x02, 0x20];
        der.extend_from_slice(&[1; 32]);
        der.extend_from_slice(&[0x02, 0x20]);
        der.extend_from_slice(&[1; 32]);
        let e = jws("ES256", &der).unwrap_err();
        assert!(e.0 == ErrorCode::MalformedInput && e.1.contains("DER"), "{e:?}");
    }

    #[test]
    fn algorithm_policy() {
        for alg in ["none", "HS256", "HS384", "ES512", "eddsa", "RSA-OAEP", "A128KW"] {
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

    #[test]
    fn a_remembered_header_is_the_same_parse_and_passes_the_policy_every_time() {
        let sig = b64url_encode(&[1u8; 64]);
        let seg = |json: &str| b64url_encode(json.as_bytes());
        let es = seg(r#"{"alg":"ES256","kid":"k1"}"#);
        let (a, b) = (format!("{es}.e30.{sig}"), format!("{es}.eyJhIjoxfQ.{sig}"));
        let (ja, jb) = (Jws::parse(&a).unwrap(), Jws::parse(&b).unwrap());
        assert!(Rc::ptr_eq(&ja.header, &jb.header), "the second JWS gets the first one's parse");
        assert_eq!(jb.header_str("kid"), Some("k1"));
        assert_eq!(jb.payload, br#"{"a":1}"#);
        // Another segment is parsed on its own, and then becomes the remembered one.
        let other = format!("{}.e30.{sig}", seg(r#"{"alg":"ES256","kid":"k2"}"#));
        assert_eq!(Jws::parse(&other).unwrap().header_str("kid"), Some("k2"));
        assert_eq!(Jws::parse(&a).unwrap().header_str("kid"), Some("k1"));
        // A header the policy refuses is refused every time, remembered or not.
        let none = format!("{}.e30.{sig}", seg(r#"{"alg":"none"}"#));
        for _ in 0..3 {
            assert_eq!(Jws::parse(&none).map(|_| ()).map_err(|e| e.code), Err(ErrorCode::UnsupportedAlgorithm));
        }
        // A signature of the wrong length under a remembered header is still refused.
        let short = format!("{es}.e30.{}", b64url_encode(&[1u8; 63]));
        assert_eq!(Jws::parse(&short).map(|_| ()).map_err(|e| e.code), Err(ErrorCode::MalformedInput));
        // A segment that is not base64url, right after a good parse, is refused.
        assert_eq!(Jws::parse(&a).unwrap().header_str("kid"), Some("k1"));
        assert_eq!(Jws::parse(&format!("!!.e30.{sig}")).map(|_| ()).map_err(|e| e.code), Err(ErrorCode::MalformedInput));
    }
}
