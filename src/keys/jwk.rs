//! JSON Web Keys (RFC 7517) of every supported type: OKP Ed25519 (RFC 8037), EC P-256, P-384
//! and secp256k1 (RFC 7518 section 6.2, RFC 8812), RSA (RFC 7518 section 6.3); and their RFC
//! 7638 thumbprints.
//!
//! Policy for a public JWK given as a verification key ([`VerifyingKey::from_jwk`]):
//! - `kty` and `crv` name a supported type exactly (`OKP`/`Ed25519`, `EC`/`P-256`, `EC`/`P-384`,
//!   `EC`/`secp256k1`, `RSA`); symmetric (`oct`), X25519, Ed448, P-521 and everything else are
//!   `UNSUPPORTED_ALGORITHM`.
//! - The key passes its type's checks: Ed25519 under the strict policy, EC points on the curve
//!   with full-length coordinates, RSA 2048 to 4096 bits with minimal `n` and `e`
//!   (`INVALID_KEY` otherwise).
//! - A private member `d` is refused (`INVALID_KEY`): a verifier is never handed secrets.
//! - `use`, when present, is `sig`; `key_ops`, when present, includes `verify`; `alg`, when
//!   present, is an algorithm of the key's type, and the key then verifies that algorithm only.
//!   Anything else is `INVALID_KEY`: the key's owner said it is not for this.
//! - Other members (`kid`, `x5c`, `ext`, ...) do not change the key.

use super::alg::{Algorithm, KeyType};
use super::ec::EcKey;
use super::policy::PublicKey;
use super::rsa::RsaKey;
use super::verifying::{KeyMaterial, VerifyingKey};
use crate::encoding::{b64url_decode, b64url_encode};
use crate::error::{Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// A public OKP JWK: `{ kty: "OKP", crv: "Ed25519", x }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    /// Key type, `OKP`.
    pub kty: String,
    /// Curve, `Ed25519`.
    pub crv: String,
    /// The public key, base64url.
    pub x: String,
}

impl Jwk {
    /// The JWK of a public key.
    pub fn from_public_key(public_key: &[u8; 32]) -> Jwk {
        Jwk { kty: "OKP".into(), crv: "Ed25519".into(), x: b64url_encode(public_key) }
    }
}

/// The public key of a JWK value.
///
/// # Errors
/// `UNSUPPORTED_ALGORITHM` for another key type or curve; `INVALID_KEY` for a bad `x`, or a JWK
/// that carries a private part `d` (a public key is expected: refusing it keeps secrets out of logs
/// and results).
pub fn public_key_from_jwk(jwk: &serde_json::Value) -> Result<PublicKey> {
    let obj = jwk.as_object().ok_or_else(|| Error::new(ErrorCode::InvalidKey, "a JWK must be an object"))?;
    let field = |name: &str| obj.get(name).and_then(|v| v.as_str());
    if field("kty") != Some("OKP") || field("crv") != Some("Ed25519") {
        return Err(Error::new(ErrorCode::UnsupportedAlgorithm, "only OKP JWKs on Ed25519 are supported"));
    }
    if obj.contains_key("d") {
        return Err(Error::new(ErrorCode::InvalidKey, "expected a public JWK, got a private one"));
    }
    let x = field("x").ok_or_else(|| Error::new(ErrorCode::InvalidKey, "JWK has no 'x'"))?;
    let bytes = b64url_decode(x).map_err(|e| Error::new(ErrorCode::InvalidKey, e.message))?;
    PublicKey::from_bytes(&bytes)
}

/// The RFC 7638 thumbprint (SHA-256, base64url) of an Ed25519 public key (see
/// [`VerifyingKey::thumbprint`] for every key type).
pub fn jwk_thumbprint(public_key: &[u8; 32]) -> String {
    // RFC 7638 section 3.2: the required members in lexicographic order, no whitespace. The
    // values are fixed ASCII and base64url, so no escaping can arise.
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#, b64url_encode(public_key));
    b64url_encode(&Sha256::digest(canonical.as_bytes()))
}

fn invalid(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidKey, why)
}

/// A base64url member of a JWK object.
fn member(obj: &Map<String, Value>, name: &str) -> Result<Vec<u8>> {
    let text = match obj.get(name) {
        Some(Value::String(t)) => t,
        Some(_) => return Err(invalid(format!("JWK member '{name}' must be a string"))),
        None => return Err(invalid(format!("JWK has no '{name}'"))),
    };
    b64url_decode(text).map_err(|e| invalid(format!("JWK member '{name}': {}", e.message)))
}

impl VerifyingKey {
    /// The verification key of a public JWK, under the policy of the module docs.
    ///
    /// # Errors
    /// `UNSUPPORTED_ALGORITHM` for a key type or curve that is not supported; `INVALID_KEY` for
    /// a malformed or weak key, a private key, or a key marked for another use.
    pub fn from_jwk(jwk: &Value) -> Result<VerifyingKey> {
        let obj = jwk.as_object().ok_or_else(|| invalid("a JWK must be an object"))?;
        let text = |name: &str| obj.get(name).and_then(Value::as_str);
        if obj.contains_key("d") {
            return Err(invalid("expected a public JWK, got a private one"));
        }
        let unsupported = |what: String| Error::new(ErrorCode::UnsupportedAlgorithm, what);
        let crv = text("crv").unwrap_or_default();
        let key: VerifyingKey = match text("kty") {
            Some("OKP") if crv == "Ed25519" => PublicKey::from_bytes(&member(obj, "x")?)?.into(),
            Some("OKP") => return Err(unsupported(format!("OKP curve '{crv}' is not supported (Ed25519 only)"))),
            Some("EC") => {
                let curve = match crv {
                    "P-256" => KeyType::P256,
                    "P-384" => KeyType::P384,
                    "secp256k1" => KeyType::Secp256k1,
                    other => return Err(unsupported(format!("EC curve '{other}' is not supported (P-256, P-384, secp256k1)"))),
                };
                EcKey::from_coordinates(curve, &member(obj, "x")?, &member(obj, "y")?)?.into()
            }
            Some("RSA") => RsaKey::from_components(&member(obj, "n")?, &member(obj, "e")?)?.into(),
            Some("oct") => return Err(unsupported("symmetric (oct) keys are not accepted: HMAC is not supported".into())),
            Some(other) => return Err(unsupported(format!("JWK kty '{other}' is not supported (OKP, EC, RSA)"))),
            None => return Err(invalid("JWK has no string 'kty'")),
        };
        match obj.get("use") {
            None => {}
            Some(Value::String(u)) if u == "sig" => {}
            Some(_) => return Err(invalid("the JWK's 'use' is not 'sig': it is not a signature key")),
        }
        match obj.get("key_ops") {
            None => {}
            Some(Value::Array(ops)) if ops.iter().any(|o| o.as_str() == Some("verify")) => {}
            Some(_) => return Err(invalid("the JWK's 'key_ops' does not include 'verify'")),
        }
        match obj.get("alg") {
            None => Ok(key),
            Some(Value::String(name)) => {
                let alg = Algorithm::parse(name)?;
                match key.refuses(alg) {
                    Some(why) => Err(invalid(format!("the JWK's 'alg' does not fit the key: {why}"))),
                    None => Ok(key.restricted_to(alg)),
                }
            }
            Some(_) => Err(invalid("the JWK's 'alg' must be a string")),
        }
    }

    /// The public JWK of the key: the members RFC 7638 requires, plus `alg` when the key is
    /// restricted to one.
    pub fn to_jwk(&self) -> Map<String, Value> {
        let mut jwk = self.required_members();
        if let Some(alg) = self.alg() {
            jwk.insert("alg".into(), Value::String(alg.as_str().into()));
        }
        jwk
    }

    /// The members a thumbprint covers (RFC 7638 section 3.2), in lexicographic order.
    fn required_members(&self) -> Map<String, Value> {
        let mut m = Map::new();
        let mut put = |k: &str, v: String| {
            m.insert(k.into(), Value::String(v));
        };
        match self.material() {
            KeyMaterial::Ed25519(k) => {
                put("crv", "Ed25519".into());
                put("kty", "OKP".into());
                put("x", b64url_encode(k.as_bytes()));
            }
            KeyMaterial::Ec(k) => {
                let (x, y) = k.coordinates();
                put("crv", k.curve().name().into());
                put("kty", "EC".into());
                put("x", b64url_encode(&x));
                put("y", b64url_encode(&y));
            }
            KeyMaterial::Rsa(k) => {
                put("e", b64url_encode(k.e()));
                put("kty", "RSA".into());
                put("n", b64url_encode(k.n()));
            }
        }
        m
    }

    /// The RFC 7638 thumbprint (SHA-256, base64url) of the key.
    pub fn thumbprint(&self) -> String {
        // RFC 7638 section 3.2: the required members in lexicographic order (the map keeps the
        // insertion order above), no whitespace; the values are ASCII names and base64url.
        let canonical = Value::Object(self.required_members()).to_string();
        b64url_encode(&Sha256::digest(canonical.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rfc7638_rsa_example_thumbprint() {
        // RFC 7638 section 3.1.
        let jwk = json!({
            "kty": "RSA",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            "e": "AQAB",
            "alg": "RS256",
            "kid": "2011-04-29"
        });
        let key = VerifyingKey::from_jwk(&jwk).unwrap();
        assert_eq!(key.thumbprint(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
        assert_eq!(key.alg(), Some(Algorithm::Rs256));
        assert!(key.refuses(Algorithm::Ps256).is_some());
    }

    #[test]
    fn rfc8037_okp_thumbprint_matches_the_ed25519_function() {
        let jwk = json!({"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"});
        let key = VerifyingKey::from_jwk(&jwk).unwrap();
        assert_eq!(key.thumbprint(), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
        assert_eq!(Value::Object(key.to_jwk()), jwk);
    }

    #[test]
    fn refusals() {
        let p256 = json!({"kty": "EC", "crv": "P-256",
            "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"});
        assert_eq!(VerifyingKey::from_jwk(&p256).unwrap().key_type(), KeyType::P256);
        let with = |k: &str, v: Value| {
            let mut j = p256.clone();
            j[k] = v;
            VerifyingKey::from_jwk(&j).map(|_| ()).map_err(|e| e.code)
        };
        assert_eq!(with("d", json!("AAAA")), Err(ErrorCode::InvalidKey));
        assert_eq!(with("use", json!("enc")), Err(ErrorCode::InvalidKey));
        assert_eq!(with("use", json!("sig")), Ok(()));
        assert_eq!(with("key_ops", json!(["sign"])), Err(ErrorCode::InvalidKey));
        assert_eq!(with("key_ops", json!(["verify"])), Ok(()));
        assert_eq!(with("alg", json!("ES384")), Err(ErrorCode::InvalidKey));
        assert_eq!(with("alg", json!("HS256")), Err(ErrorCode::UnsupportedAlgorithm));
        assert_eq!(with("alg", json!("ES256")), Ok(()));
        assert_eq!(with("crv", json!("P-521")), Err(ErrorCode::UnsupportedAlgorithm));
        assert_eq!(with("kty", json!("oct")), Err(ErrorCode::UnsupportedAlgorithm));
        assert_eq!(with("y", json!("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a1")), Err(ErrorCode::InvalidKey));
        assert_eq!(with("x", json!("AA")), Err(ErrorCode::InvalidKey));
        let x25519 = json!({"kty": "OKP", "crv": "X25519", "x": "hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"});
        assert_eq!(VerifyingKey::from_jwk(&x25519).map(|_| ()).map_err(|e| e.code), Err(ErrorCode::UnsupportedAlgorithm));
    }
}
