//! did:key (W3C CCG did:key method v0.7) for Ed25519, P-256, P-384 and secp256k1:
//! `did:key:z` + base58btc(multicodec varint || key), and did:jwk (did-jwk spec): `did:jwk:` +
//! base64url(JSON of a public JWK).
//!
//! Policy:
//! - did:key: the method-specific id is multibase base58btc (`z`); the multicodec is
//!   `ed25519-pub` (0xed, 32 bytes, checked under the strict Ed25519 policy), `p256-pub`
//!   (0x1200), `p384-pub` (0x1201) or `secp256k1-pub` (0xe7), each with a compressed SEC 1 point
//!   (33, 49, 33 bytes) on its curve; the spelling is canonical (it round-trips); no path, query
//!   or fragment. A did:key has one key, `did#<fingerprint>`.
//! - did:jwk: the value is base64url (no padding) of a JSON object that is a public JWK accepted
//!   by [`VerifyingKey::from_jwk`] (a `use` of `enc` or a private `d` is refused). The same key
//!   can have several did:jwk spellings (the spec allows any serialization); each is its own DID.
//!   A did:jwk has one key, `did#0`.
//! - Anything else is `INVALID_DID`, including a DID that names a key that cannot verify.

use super::alg::KeyType;
use super::ec::EcKey;
use super::policy::PublicKey;
use super::verifying::{KeyMaterial, VerifyingKey};
use crate::encoding::{b58_decode, b58_encode, b64url_decode, b64url_encode};
use crate::error::{Error, ErrorCode, Result};
use serde_json::Value;

/// The longest did:jwk accepted (an RSA-4096 JWK takes about 750 bytes of base64url).
pub const MAX_DID_JWK_BYTES: usize = 8 * 1024;
/// The multicodec prefix of a P-256 public key (varint 0x1200).
const P256_MULTICODEC: [u8; 2] = [0x80, 0x24];
/// The multicodec prefix of a P-384 public key (varint 0x1201).
const P384_MULTICODEC: [u8; 2] = [0x81, 0x24];
/// The multicodec prefix of a secp256k1 public key (varint 0xe7).
const SECP256K1_MULTICODEC: [u8; 2] = [0xe7, 0x01];
const JWK_PREFIX: &str = "did:jwk:";

/// The multicodec prefix of an Ed25519 public key (varint 0xed).
const ED25519_MULTICODEC: [u8; 2] = [0xed, 0x01];
const PREFIX: &str = "did:key:";

/// A parsed Ed25519 did:key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DidKey {
    /// The DID, `did:key:z6Mk...`.
    pub did: String,
    /// The key it names.
    pub public_key: PublicKey,
}

/// The multibase fingerprint `z6Mk...` of a public key.
fn fingerprint(public_key: &[u8; 32]) -> String {
    let mut bytes = Vec::with_capacity(34);
    bytes.extend_from_slice(&ED25519_MULTICODEC);
    bytes.extend_from_slice(public_key);
    format!("z{}", b58_encode(&bytes))
}

/// The did:key of a 32-byte Ed25519 public key.
pub fn did_from_public_key(public_key: &[u8; 32]) -> String {
    format!("{PREFIX}{}", fingerprint(public_key))
}

/// The conventional key id of a did:key: `did:key:z6Mk...#z6Mk...`.
pub fn kid_for(public_key: &[u8; 32]) -> String {
    let fp = fingerprint(public_key);
    format!("{PREFIX}{fp}#{fp}")
}

/// Parses a did:key naming an Ed25519 key, strictly.
///
/// Policy: the method-specific id is multibase base58btc (`z`), the multicodec is exactly
/// `0xed 0x01`, the key is exactly 32 bytes and passes the key checks of the verification policy;
/// no path, query or fragment. Anything else is `INVALID_DID`.
///
/// # Errors
/// `INVALID_DID` as above.
pub fn public_key_from_did(did: &str) -> Result<DidKey> {
    let invalid = |why: &str| Error::new(ErrorCode::InvalidDid, format!("invalid Ed25519 did:key: {why}"));
    if did.len() > 128 {
        return Err(invalid("too long"));
    }
    let id = did.strip_prefix(PREFIX).ok_or_else(|| invalid("must start with 'did:key:'"))?;
    let encoded = id.strip_prefix('z').ok_or_else(|| invalid("must be multibase base58btc ('z')"))?;
    let bytes = b58_decode(encoded).map_err(|_| invalid("not base58btc"))?;
    let key = bytes.strip_prefix(&ED25519_MULTICODEC[..]).ok_or_else(|| invalid("not an Ed25519 key (multicodec 0xed01)"))?;
    if key.len() != 32 {
        return Err(invalid("an Ed25519 key is 32 bytes"));
    }
    let public_key = PublicKey::from_bytes(key).map_err(|e| invalid(&e.message))?;
    // Round trip: rejects leading-zero or other alternative base58 spellings.
    if did_from_public_key(public_key.as_bytes()) != did {
        return Err(invalid("not the canonical encoding"));
    }
    Ok(DidKey { did: did.to_owned(), public_key })
}

fn invalid_did(method: &str, why: &str) -> Error {
    Error::new(ErrorCode::InvalidDid, format!("invalid {method}: {why}"))
}

/// The multicodec prefix and compressed length of an EC key type.
fn ec_codec(curve: KeyType) -> Option<([u8; 2], usize)> {
    match curve {
        KeyType::P256 => Some((P256_MULTICODEC, 33)),
        KeyType::P384 => Some((P384_MULTICODEC, 49)),
        KeyType::Secp256k1 => Some((SECP256K1_MULTICODEC, 33)),
        KeyType::Ed25519 | KeyType::Rsa => None,
    }
}

impl VerifyingKey {
    /// The key a did:key or did:jwk names (see the module docs).
    ///
    /// ```
    /// use credcore::keys::{KeyType, VerifyingKey};
    /// let key = VerifyingKey::from_did("did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169").unwrap();
    /// assert_eq!(key.key_type(), KeyType::P256);
    /// ```
    ///
    /// # Errors
    /// `INVALID_DID` for any other DID, or one that names no acceptable key.
    pub fn from_did(did: &str) -> Result<VerifyingKey> {
        if did.starts_with(JWK_PREFIX) {
            return key_from_did_jwk(did);
        }
        if did.len() > 256 {
            return Err(invalid_did("did:key", "too long"));
        }
        let id = did.strip_prefix(PREFIX).ok_or_else(|| invalid_did("DID", "only did:key and did:jwk name their key offline"))?;
        // Every Ed25519 did:key spells `z6Mk...` (0xed 0x01 and 32 bytes in base58btc), and no
        // other key type does: decode it once, on the Ed25519 path.
        if id.starts_with("z6Mk") {
            return public_key_from_did(did).map(|d| d.public_key.into());
        }
        let encoded = id.strip_prefix('z').ok_or_else(|| invalid_did("did:key", "must be multibase base58btc ('z')"))?;
        let bytes = b58_decode(encoded).map_err(|_| invalid_did("did:key", "not base58btc"))?;
        let (curve, len) = [KeyType::P256, KeyType::P384, KeyType::Secp256k1]
            .into_iter()
            .find_map(|c| ec_codec(c).filter(|(codec, _)| bytes.starts_with(codec)).map(|(_, len)| (c, len)))
            .ok_or_else(|| {
                let what = if bytes.starts_with(&ED25519_MULTICODEC) {
                    "not the canonical encoding"
                } else {
                    "not a key type credcore verifies (Ed25519, P-256, P-384, secp256k1)"
                };
                invalid_did("did:key", what)
            })?;
        let point = bytes.get(2..).unwrap_or_default();
        if point.len() != len || !matches!(point.first(), Some(0x02 | 0x03)) {
            return Err(invalid_did("did:key", &format!("a {} key is a {len}-byte compressed point", curve.name())));
        }
        let key: VerifyingKey = EcKey::from_sec1(curve, point).map_err(|e| invalid_did("did:key", &e.message))?.into();
        // Round trip: rejects leading-zero or other alternative base58 spellings.
        if key.did_key().as_deref() != Some(did) {
            return Err(invalid_did("did:key", "not the canonical encoding"));
        }
        Ok(key)
    }

    /// The did:key of the key; `None` for RSA (did:key's RSA encoding is not supported here:
    /// see [`VerifyingKey::did`]).
    pub fn did_key(&self) -> Option<String> {
        Some(format!("{PREFIX}{}", self.did_key_fingerprint()?))
    }

    /// The multibase fingerprint of a did:key (`z6Mk...`, `zDn...`, `z82...`, `zQ3s...`).
    fn did_key_fingerprint(&self) -> Option<String> {
        match self.material() {
            KeyMaterial::Ed25519(k) => Some(fingerprint(k.as_bytes())),
            KeyMaterial::Ec(k) => {
                let (codec, _) = ec_codec(k.curve())?;
                let mut bytes = codec.to_vec();
                bytes.extend_from_slice(&k.sec1(true));
                Some(format!("z{}", b58_encode(&bytes)))
            }
            KeyMaterial::Rsa(_) => None,
        }
    }

    /// The did:jwk of the key: base64url of its RFC 7638 members (plus `alg` when restricted),
    /// in lexicographic order.
    pub fn did_jwk(&self) -> String {
        format!("{JWK_PREFIX}{}", b64url_encode(Value::Object(self.to_jwk()).to_string().as_bytes()))
    }

    /// The DID of the key: its did:key, or for RSA its did:jwk.
    pub fn did(&self) -> String {
        self.did_key().unwrap_or_else(|| self.did_jwk())
    }

    /// The key id of [`VerifyingKey::did`]: `did:key:z...#z...`, or `did:jwk:...#0`.
    pub fn kid(&self) -> String {
        match self.did_key_fingerprint() {
            Some(fp) => format!("{PREFIX}{fp}#{fp}"),
            None => format!("{}#0", self.did_jwk()),
        }
    }
}

/// The key of a did:jwk.
fn key_from_did_jwk(did: &str) -> Result<VerifyingKey> {
    if did.len() > MAX_DID_JWK_BYTES {
        return Err(invalid_did("did:jwk", &format!("over {MAX_DID_JWK_BYTES} bytes")));
    }
    let value = did.strip_prefix(JWK_PREFIX).unwrap_or_default();
    if value.contains(['#', '?', '/', ':']) {
        return Err(invalid_did("did:jwk", "no path, query or fragment"));
    }
    let bytes = b64url_decode(value).map_err(|_| invalid_did("did:jwk", "not base64url"))?;
    let jwk = match crate::json::parse(&bytes, MAX_DID_JWK_BYTES, 4) {
        Ok(v @ Value::Object(_)) => v,
        _ => return Err(invalid_did("did:jwk", "not the base64url of a JSON object")),
    };
    VerifyingKey::from_jwk(&jwk).map_err(|e| invalid_did("did:jwk", &format!("it names no acceptable key: {}", e.message)))
}

/// Whether a JOSE `kid` names the one key of a did:jwk: `did#0`, `#0`, or the bare DID.
pub fn kid_is_did_jwk_of(kid: &str, did: &str) -> bool {
    match kid.split_once('#') {
        Some((d, f)) => (d.is_empty() || d == did) && f == "0",
        None => kid == did,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_is_not_an_ed25519_did_key() {
        let good = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp";
        assert!(public_key_from_did(good).is_ok());
        for bad in [
            "",
            "did:web:example.com",
            "did:key:6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
            "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp#x",
            "did:key:z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc", // X25519
            "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooW",
            "did:key:z0",
        ] {
            assert_eq!(public_key_from_did(bad).map_err(|e| e.code), Err(ErrorCode::InvalidDid), "{bad}");
        }
    }
}

#[cfg(test)]
mod vectors {
    use super::*;
    use serde_json::Value;

    fn read(name: &str) -> Value {
        let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn did_key_spec_vectors_for_nist_curves_and_secp256k1() {
        let mut checked = 0;
        for file in ["didkey/nist-curves.json", "didkey/secp256k1.json"] {
            for (did, vector) in read(file).as_object().unwrap() {
                let method = vector.get("verificationMethod").or_else(|| vector.get("verificationKeyPair")).unwrap();
                let result = VerifyingKey::from_did(did);
                if let Some(jwk) = method.get("publicKeyJwk") {
                    if jwk["crv"] == "P-521" {
                        assert_eq!(result.map_err(|e| e.code), Err(ErrorCode::InvalidDid), "{did}");
                        continue;
                    }
                    let key = result.unwrap();
                    assert_eq!(key, VerifyingKey::from_jwk(jwk).unwrap(), "{did}");
                } else {
                    let key = result.unwrap();
                    let b58 = method["publicKeyBase58"].as_str().unwrap();
                    let sec1 = crate::encoding::b58_decode(b58).unwrap();
                    let curve = key.key_type();
                    assert_eq!(VerifyingKey::from(EcKey::from_sec1(curve, &sec1).unwrap()), key, "{did}");
                }
                let key = VerifyingKey::from_did(did).unwrap();
                assert_eq!(key.did(), *did);
                let fragment = did.strip_prefix("did:key:").unwrap();
                assert_eq!(key.kid(), format!("{did}#{fragment}"));
                checked += 1;
            }
        }
        assert_eq!(checked, 11);
    }

    #[test]
    fn did_jwk_spec_examples() {
        let examples = read("didjwk/spec-examples.json");
        let p256 = &examples["P-256"];
        let key = VerifyingKey::from_did(p256["did"].as_str().unwrap()).unwrap();
        assert_eq!(key, VerifyingKey::from_jwk(&p256["publicKeyJwk"]).unwrap());
        assert_eq!(key.key_type(), KeyType::P256);
        let did = p256["did"].as_str().unwrap();
        assert!(kid_is_did_jwk_of(p256["didUrl"].as_str().unwrap(), did));
        assert!(kid_is_did_jwk_of("#0", did));
        assert!(kid_is_did_jwk_of(did, did));
        assert!(!kid_is_did_jwk_of("#1", did));
        assert!(!kid_is_did_jwk_of(&format!("{did}#key-1"), did));
        // The spec's X25519 example is a key agreement key (use: enc): it verifies nothing.
        let x25519 = examples["X25519"]["did"].as_str().unwrap();
        assert_eq!(VerifyingKey::from_did(x25519).map_err(|e| e.code), Err(ErrorCode::InvalidDid));
        // A private JWK, a fragment, or garbage are refused.
        let private = format!("did:jwk:{}", b64url_encode(br#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}"#));
        for bad in [private.as_str(), &format!("{did}#0"), "did:jwk:", "did:jwk:e30", "did:jwk:!!"] {
            assert_eq!(VerifyingKey::from_did(bad).map_err(|e| e.code), Err(ErrorCode::InvalidDid), "{bad}");
        }
    }

    #[test]
    fn did_key_refusals() {
        // An uncompressed P-256 point is not the did:key encoding.
        let key = VerifyingKey::from_did("did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169").unwrap();
        let KeyMaterial::Ec(ec) = key.material() else { panic!("not EC") };
        let mut bytes = P256_MULTICODEC.to_vec();
        bytes.extend_from_slice(&ec.sec1(false));
        let uncompressed = format!("did:key:z{}", b58_encode(&bytes));
        assert_eq!(VerifyingKey::from_did(&uncompressed).map_err(|e| e.code), Err(ErrorCode::InvalidDid));
        // A compressed x with no point on the curve.
        let mut bytes = P256_MULTICODEC.to_vec();
        bytes.push(0x02);
        bytes.extend_from_slice(&[0xff; 32]);
        let off_curve = format!("did:key:z{}", b58_encode(&bytes));
        assert_eq!(VerifyingKey::from_did(&off_curve).map_err(|e| e.code), Err(ErrorCode::InvalidDid));
        for bad in [
            "did:web:example.com",
            "did:key:z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc",
            "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169#x",
        ] {
            assert_eq!(VerifyingKey::from_did(bad).map_err(|e| e.code), Err(ErrorCode::InvalidDid), "{bad}");
        }
        // RSA keys have no did:key here: their DID is a did:jwk.
        assert!(VerifyingKey::from_did("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp").unwrap().did_key().is_some());
    }
}
