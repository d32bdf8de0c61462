//! One link of the audit chain: its fields, its SHA-256 hash over a byte-exact preimage and the
//! hex spelling of hashes on the wire.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The `prevHash` of the first entry (seq 0): 32 zero bytes.
pub const GENESIS_HASH: [u8; 32] = [0; 32];
/// Largest `seq`, `time` and checkpoint `count` (JavaScript's `Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// One link of the chain. Serialized in camelCase: `seq, prevHash, hash, mac, keyId, time, event`.
///
/// # Hash and MAC (byte-exact preimage)
/// ```text
/// hash = SHA-256( prevHash      32 bytes (the previous entry's hash; 32 zero bytes at seq 0)
///              || seq           8 bytes, big-endian
///              || time          8 bytes, big-endian (milliseconds since the epoch)
///              || len(keyId)    4 bytes, big-endian
///              || keyId         UTF-8
///              || canonical(event) )   RFC 8785 UTF-8, to the end
/// mac  = HMAC-SHA-256(key[keyId], hash)
/// ```
/// Every field of an entry is in the hash, and the MAC covers the hash, so no field can change
/// without the key. The event comes last, so the preimage needs no length for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Entry {
    /// Position in the chain, from 0, without gaps.
    pub seq: u64,
    /// The previous entry's `hash` ([`GENESIS_HASH`] at seq 0).
    #[serde(with = "hex32")]
    pub prev_hash: [u8; 32],
    /// SHA-256 over the preimage above.
    #[serde(with = "hex32")]
    pub hash: [u8; 32],
    /// HMAC-SHA-256 of `hash` under the key named by `key_id`.
    #[serde(with = "hex32")]
    pub mac: [u8; 32],
    /// Which HMAC key made `mac`.
    pub key_id: String,
    /// When the entry was appended, in milliseconds since the epoch (the caller's clock).
    pub time: u64,
    /// The event as appended; its RFC 8785 form is what is hashed.
    pub event: Value,
}

/// Where a chain stands: how many entries it has and the hash of the last one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChainHead {
    /// Number of entries so far, i.e. the next entry's `seq`.
    pub count: u64,
    /// The last entry's hash ([`GENESIS_HASH`] for an empty chain).
    #[serde(with = "hex32")]
    pub head_hash: [u8; 32],
}

impl ChainHead {
    /// The head of an empty chain.
    pub const GENESIS: ChainHead = ChainHead { count: 0, head_hash: GENESIS_HASH };
}

/// The `hash` of an entry, over the preimage in [`Entry`]'s documentation.
pub(super) fn entry_hash(prev_hash: &[u8; 32], seq: u64, time: u64, key_id: &str, canonical_event: &[u8]) -> [u8; 32] {
    let key_id_len = u32::try_from(key_id.len()).unwrap_or(u32::MAX);
    let mut h = Sha256::new();
    h.update(prev_hash);
    h.update(seq.to_be_bytes());
    h.update(time.to_be_bytes());
    h.update(key_id_len.to_be_bytes());
    h.update(key_id.as_bytes());
    h.update(canonical_event);
    h.finalize().into()
}

/// Hashes and MACs as 64 lowercase hex digits: readable in logs and diff tools, and one
/// spelling per value, so JSONL lines round-trip byte for byte.
pub(super) mod hex32 {
    use crate::encoding::{hex_decode, hex_encode};
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex_encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(d)?;
        // One spelling per value keeps exported lines byte-exact (`hex_decode` takes either case).
        if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(D::Error::custom("expected 64 lowercase hex digits"));
        }
        let bytes = hex_decode(&text).map_err(|e| D::Error::custom(e.message))?;
        bytes.try_into().map_err(|_| D::Error::custom("expected 32 bytes"))
    }
}
