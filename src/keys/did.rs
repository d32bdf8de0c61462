//! did:key for Ed25519 (W3C CCG did:key method): `did:key:z` + base58btc(0xed 0x01 || key).

use super::policy::PublicKey;
use crate::encoding::{b58_decode, b58_encode};
use crate::error::{Error, ErrorCode, Result};

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
