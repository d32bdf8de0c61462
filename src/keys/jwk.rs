//! OKP JSON Web Keys for Ed25519 (RFC 8037) and their thumbprints (RFC 7638).

use super::policy::PublicKey;
use crate::encoding::{b64url_decode, b64url_encode};
use crate::error::{Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};
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

/// The RFC 7638 thumbprint (SHA-256, base64url) of an Ed25519 public key.
pub fn jwk_thumbprint(public_key: &[u8; 32]) -> String {
    // RFC 7638 section 3.2: the required members in lexicographic order, no whitespace. The
    // values are fixed ASCII and base64url, so no escaping can arise.
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#, b64url_encode(public_key));
    b64url_encode(&Sha256::digest(canonical.as_bytes()))
}
