//! Signed checkpoints: an Ed25519 (RFC 8032) signature over the RFC 8785 form of a chain head,
//! so a verifier holding only the signer's did:key can tell a cut or rewritten chain.

use super::entry::{hex32, ChainHead, MAX_SAFE_INTEGER};
use crate::encoding::hex_encode;
use crate::error::{Error, ErrorCode, Result};
use crate::jcs::write_canonical;
use crate::keys::{public_key_from_did, verify, KeyPair};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The `type` inside a checkpoint's signed payload, separating it from other signed JSON.
pub const CHECKPOINT_TYPE: &str = "AuditCheckpoint";

/// A signed statement that a chain had `count` entries ending in `head_hash`.
///
/// The signature is Ed25519 over the RFC 8785 form of
/// `{"count":N,"headHash":"<hex>","signer":"<did>","type":"AuditCheckpoint"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Checkpoint {
    /// Number of entries covered.
    pub count: u64,
    /// Hash of entry `count - 1` ([`GENESIS_HASH`](super::GENESIS_HASH) when `count` is 0).
    #[serde(with = "hex32")]
    pub head_hash: [u8; 32],
    /// The signer's did:key.
    pub signer: String,
    /// The 64-byte Ed25519 signature, base64url without padding.
    #[serde(with = "b64sig")]
    pub signature: [u8; 64],
}

impl Checkpoint {
    /// Signs `head` with `signer`.
    ///
    /// # Errors
    /// `INPUT_TOO_LARGE` when `head.count` exceeds [`MAX_SAFE_INTEGER`].
    pub fn sign(head: &ChainHead, signer: &KeyPair) -> Result<Checkpoint> {
        let did = signer.did();
        let message = checkpoint_message(head.count, &head.head_hash, &did)?;
        Ok(Checkpoint { count: head.count, head_hash: head.head_hash, signer: did, signature: signer.sign(message.as_bytes()) })
    }

    /// Whether the checkpoint is signed by `trusted_signer` (a did:key) and the signature
    /// verifies under the strict Ed25519 policy. The signer named inside the checkpoint is
    /// never trusted on its own: anyone can sign a checkpoint with a key of their own.
    pub fn verify(&self, trusted_signer: &str) -> bool {
        if self.signer != trusted_signer {
            return false;
        }
        let (Ok(key), Ok(message)) = (public_key_from_did(&self.signer), checkpoint_message(self.count, &self.head_hash, &self.signer))
        else {
            return false;
        };
        verify(message.as_bytes(), &self.signature, &key.public_key)
    }
}

fn checkpoint_message(count: u64, head_hash: &[u8; 32], signer: &str) -> Result<String> {
    if count > MAX_SAFE_INTEGER {
        return Err(Error::new(ErrorCode::InputTooLarge, "checkpoint count exceeds 2^53 - 1"));
    }
    let payload = json!({
        "count": count,
        "headHash": hex_encode(head_hash),
        "signer": signer,
        "type": CHECKPOINT_TYPE,
    });
    let mut out = String::new();
    write_canonical(&payload, &mut out, 1)?;
    Ok(out)
}

mod b64sig {
    use crate::encoding::{b64url_decode, b64url_encode};
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8; 64], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&b64url_encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 64], D::Error> {
        let text = String::deserialize(d)?;
        let bytes = b64url_decode(&text).map_err(|e| D::Error::custom(e.message))?;
        bytes.try_into().map_err(|_| D::Error::custom("an Ed25519 signature is 64 bytes"))
    }
}
