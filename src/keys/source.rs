//! Issuer key resolution: DID -> Ed25519 public key (did:key per the W3C CCG did:key method).
//!
//! The batch engine resolves every issuer and holder key through [`KeySource`], so that a cache
//! (or another DID method) can stand in for plain did:key decoding without touching the formats.

use super::{public_key_from_did, PublicKey};
use crate::error::Result;

/// Resolves the Ed25519 key of a DID.
pub trait KeySource {
    /// The public key that `did` names.
    ///
    /// # Errors
    /// `INVALID_DID` when the DID is not one this source can resolve to an Ed25519 key.
    fn issuer_key(&mut self, did: &str) -> Result<PublicKey>;
}

/// Resolves Ed25519 did:key DIDs by decoding them; every other method is `INVALID_DID`.
#[derive(Clone, Copy, Debug, Default)]
pub struct DidKeySource;

impl KeySource for DidKeySource {
    fn issuer_key(&mut self, did: &str) -> Result<PublicKey> {
        public_key_from_did(did).map(|d| d.public_key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn resolves_did_key_only() {
        let did = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp";
        let key = DidKeySource.issuer_key(did).unwrap();
        assert_eq!(crate::keys::did_from_public_key(key.as_bytes()), did);
        assert_eq!(DidKeySource.issuer_key("did:web:example.com").map_err(|e| e.code), Err(ErrorCode::InvalidDid));
    }
}
