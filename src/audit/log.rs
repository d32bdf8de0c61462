//! The append side of the audit chain: a log that links events under one HMAC-SHA-256
//! (RFC 2104) key at a time, rotates keys and resumes from a head.

use super::checkpoint::Checkpoint;
use super::entry::{entry_hash, hex32, ChainHead, MAX_SAFE_INTEGER};
#[cfg(any(test, feature = "internals"))]
use super::entry::Entry;
use crate::encoding::hex_encode;
use crate::error::{Error, ErrorCode, Result};
use crate::jcs::canonicalize_elements;
#[cfg(any(test, feature = "internals"))]
use crate::jcs::write_canonical;
use crate::keys::KeyPair;
use crate::limits::{check_len, MAX_BATCH_ITEMS, MAX_JSON_DEPTH, MAX_MESSAGE_BYTES};
use crate::mac::{keyed, HmacSha256};
use hmac::digest::Mac;
use serde::Serialize;
#[cfg(any(test, feature = "internals"))]
use serde_json::Value;
use zeroize::Zeroizing;

/// Shortest HMAC key accepted by a log: 16 bytes (128 bits).
///
/// Policy: a new log should use 32 random bytes, the SHA-256 output length, as RFC 2104
/// section 3 strongly discourages keys shorter than the hash output. The check enforces a lower
/// floor, 128 bits: a random key of that size still puts key search at 2^128 work, the security
/// level of the Ed25519 checkpoints that anchor the chain, and anything shorter is refused as
/// not a key. A 32-byte floor would also stop logs kept under existing 16-byte keys from resuming.
pub const MIN_KEY_BYTES: usize = 16;
/// Longest key id in bytes.
pub const MAX_KEY_ID_BYTES: usize = 256;

/// An append-only audit log under one HMAC key at a time. The key is zeroized on drop.
pub struct AuditLog {
    key: Zeroizing<Vec<u8>>,
    key_id: String,
    head: ChainHead,
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // read by the test suites
    scratch: String,
}

impl core::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AuditLog").field("key_id", &self.key_id).field("head", &self.head).finish_non_exhaustive()
    }
}

fn check_key(hmac_key: &[u8], key_id: &str) -> Result<()> {
    if hmac_key.len() < MIN_KEY_BYTES {
        return Err(Error::malformed(format!("an audit HMAC key has at least {MIN_KEY_BYTES} bytes, not {}", hmac_key.len())).at("hmacKey"));
    }
    if key_id.is_empty() || key_id.len() > MAX_KEY_ID_BYTES {
        return Err(Error::malformed(format!("a key id has 1 to {MAX_KEY_ID_BYTES} bytes")).at("keyId"));
    }
    Ok(())
}

impl AuditLog {
    /// A new, empty chain whose entries are tagged with `hmac_key` under the name `key_id`.
    ///
    /// # Errors
    /// `MALFORMED_INPUT` for a key shorter than [`MIN_KEY_BYTES`] or an empty or overlong id.
    pub fn new(hmac_key: &[u8], key_id: &str) -> Result<AuditLog> {
        AuditLog::resume(hmac_key, key_id, ChainHead::GENESIS)
    }

    /// A log that continues an existing chain from its `head` (e.g. after a restart).
    ///
    /// # Errors
    /// As [`AuditLog::new`]; `INPUT_TOO_LARGE` when `head.count` is past [`MAX_SAFE_INTEGER`].
    pub fn resume(hmac_key: &[u8], key_id: &str, head: ChainHead) -> Result<AuditLog> {
        check_key(hmac_key, key_id)?;
        if head.count > MAX_SAFE_INTEGER {
            return Err(Error::new(ErrorCode::InputTooLarge, "chain count exceeds 2^53 - 1").at("head.count"));
        }
        Ok(AuditLog { key: Zeroizing::new(hmac_key.to_vec()), key_id: key_id.to_owned(), head, scratch: String::new() })
    }

    /// Switches to a new HMAC key: entries appended from now on carry `key_id`. Verifiers
    /// need every key id the chain uses.
    ///
    /// # Errors
    /// As [`AuditLog::new`].
    pub fn rotate(&mut self, hmac_key: &[u8], key_id: &str) -> Result<()> {
        check_key(hmac_key, key_id)?;
        self.key = Zeroizing::new(hmac_key.to_vec());
        self.key_id = key_id.to_owned();
        Ok(())
    }

    /// Where the chain stands now.
    pub fn head(&self) -> ChainHead {
        self.head
    }

    /// The key id new entries carry.
    #[cfg(any(test, feature = "internals"))]
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// Appends `events` at time `now_ms` and returns their entries. All or nothing: when one
    /// event fails, no entry is appended.
    ///
    /// # Errors
    /// `INPUT_TOO_LARGE` for an event nested past [`MAX_JSON_DEPTH`], more than
    /// [`MAX_BATCH_ITEMS`] events, or a chain or time past [`MAX_SAFE_INTEGER`], located at the
    /// event's index; `MALFORMED_INPUT` for a non-finite number.
    #[cfg(any(test, feature = "internals"))]
    pub fn append(&mut self, events: &[Value], now_ms: u64) -> Result<Vec<Entry>> {
        self.append_with(events.len(), events.iter().cloned(), now_ms)
    }

    /// As [`AuditLog::append`], taking the events by value (no copy of each event).
    ///
    /// # Errors
    /// As [`AuditLog::append`].
    #[cfg(any(test, feature = "internals"))]
    pub fn append_owned(&mut self, events: Vec<Value>, now_ms: u64) -> Result<Vec<Entry>> {
        self.append_with(events.len(), events.into_iter(), now_ms)
    }

    #[cfg(any(test, feature = "internals"))]
    fn append_with(&mut self, n: usize, events: impl Iterator<Item = Value>, now_ms: u64) -> Result<Vec<Entry>> {
        if n > MAX_BATCH_ITEMS {
            return Err(too_many_events());
        }
        if self.head.count.saturating_add(n as u64) > MAX_SAFE_INTEGER {
            return Err(count_overflow());
        }
        let mut scratch = core::mem::take(&mut self.scratch);
        let mut linker = Linker::new(self, now_ms)?;
        let mut entries = Vec::with_capacity(n);
        for (i, event) in events.enumerate() {
            scratch.clear();
            write_canonical(&event, &mut scratch, MAX_JSON_DEPTH).map_err(|e| e.at(format!("[{i}]")))?;
            let prev_hash = linker.head.head_hash;
            let seq = linker.head.count;
            let Link { hash, mac } = linker.link(scratch.as_bytes())?;
            entries.push(Entry { seq, prev_hash, hash, mac, key_id: self.key_id.clone(), time: now_ms, event });
        }
        self.head = linker.head;
        self.scratch = scratch;
        Ok(entries)
    }

    /// Appends the events of a JSON array text at time `now_ms`, canonicalizing each element
    /// straight from the text (no `Value` is built), and returns the new links without their
    /// events: the caller holds the events already. All or nothing, as [`AuditLog::append`].
    /// The text is at most 4 x [`MAX_MESSAGE_BYTES`] long.
    ///
    /// `log.append_json(text, t)?.into_entries(events)` equals `log.append(&events, t)?` for
    /// the events `text` parses to.
    ///
    /// # Errors
    /// As [`AuditLog::append`]; `MALFORMED_INPUT` for text that is not a JSON array or an
    /// element that is not I-JSON (a repeated member name, a lone surrogate, a number out of
    /// the double range), located at the element's index.
    pub fn append_json(&mut self, events_json: &str, now_ms: u64) -> Result<Appended> {
        check_len(events_json.len(), MAX_MESSAGE_BYTES * 4, "events")?;
        let mut linker = Linker::new(self, now_ms)?;
        let mut links = Vec::new();
        canonicalize_elements(events_json, MAX_JSON_DEPTH, |i, canonical| {
            if i >= MAX_BATCH_ITEMS {
                return Err(too_many_events());
            }
            links.push(linker.link(canonical.as_bytes()).map_err(|e| e.at(format!("[{i}]")))?);
            Ok(())
        })
        .map_err(|e| e.at("events"))?;
        let appended =
            Appended { first_seq: self.head.count, prev_hash: self.head.head_hash, key_id: self.key_id.clone(), time: now_ms, links };
        self.head = linker.head;
        Ok(appended)
    }

    /// A checkpoint of the current head signed by `signer`.
    ///
    /// # Errors
    /// As [`Checkpoint::sign`].
    pub fn checkpoint(&self, signer: &KeyPair) -> Result<Checkpoint> {
        Checkpoint::sign(&self.head, signer)
    }
}

fn too_many_events() -> Error {
    Error::new(ErrorCode::InputTooLarge, format!("at most {MAX_BATCH_ITEMS} events per append"))
}

fn count_overflow() -> Error {
    Error::new(ErrorCode::InputTooLarge, "chain count would exceed 2^53 - 1")
}

/// Links canonical events onto a head under one key and time; the log's head moves only when
/// the whole append succeeds.
struct Linker<'a> {
    mac_base: HmacSha256,
    key_id: &'a str,
    time: u64,
    head: ChainHead,
}

impl<'a> Linker<'a> {
    fn new(log: &'a AuditLog, now_ms: u64) -> Result<Self> {
        if now_ms > MAX_SAFE_INTEGER {
            return Err(Error::malformed("time exceeds 2^53 - 1 milliseconds").at("now"));
        }
        Ok(Linker { mac_base: keyed(&log.key), key_id: &log.key_id, time: now_ms, head: log.head })
    }

    fn link(&mut self, canonical_event: &[u8]) -> Result<Link> {
        if self.head.count >= MAX_SAFE_INTEGER {
            return Err(count_overflow());
        }
        let hash = entry_hash(&self.head.head_hash, self.head.count, self.time, self.key_id, canonical_event);
        let mac = self.mac_base.clone().chain_update(hash).finalize().into_bytes().into();
        self.head = ChainHead { count: self.head.count + 1, head_hash: hash };
        Ok(Link { hash, mac })
    }
}

/// The hash and MAC of one appended entry; its `seq`, `prevHash`, `keyId` and `time` follow
/// from its place in an [`Appended`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    /// The entry's `hash`.
    pub hash: [u8; 32],
    /// The entry's `mac`.
    pub mac: [u8; 32],
}

/// The entries one [`AuditLog::append_json`] added, without their events. Serialized in
/// camelCase as `{ firstSeq, prevHash, keyId, time }`; the links go separately, as one string
/// of hex ([`Appended::links_hex`]), to slice instead of an object per entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Appended {
    /// The first entry's `seq`; entry `i` has `first_seq + i`.
    pub first_seq: u64,
    /// The first entry's `prevHash`; entry `i > 0` links to entry `i - 1`'s hash.
    #[serde(with = "hex32")]
    pub prev_hash: [u8; 32],
    /// Every entry's `keyId`.
    pub key_id: String,
    /// Every entry's `time`.
    pub time: u64,
    /// Each entry's hash and MAC, in order.
    #[serde(skip)]
    pub links: Vec<Link>,
}

impl Appended {
    /// The full entries, pairing each link with its event in order (the shorter list ends it).
    #[cfg(any(test, feature = "internals"))]
    pub fn into_entries(self, events: impl IntoIterator<Item = Value>) -> Vec<Entry> {
        let mut prev_hash = self.prev_hash;
        let mut entries = Vec::with_capacity(self.links.len());
        for (seq, (link, event)) in (self.first_seq..).zip(self.links.into_iter().zip(events)) {
            entries.push(Entry { seq, prev_hash, hash: link.hash, mac: link.mac, key_id: self.key_id.clone(), time: self.time, event });
            prev_hash = link.hash;
        }
        entries
    }

    /// Every link as lowercase hex, 128 digits each: the entry's hash, then its MAC.
    pub fn links_hex(&self) -> String {
        let mut bytes = Vec::with_capacity(self.links.len() * 64);
        for link in &self.links {
            bytes.extend_from_slice(&link.hash);
            bytes.extend_from_slice(&link.mac);
        }
        hex_encode(&bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::GENESIS_HASH;
    use serde_json::json;

    #[test]
    fn preimage_is_as_documented() {
        let mut log = match AuditLog::new(&[9u8; 32], "k1") {
            Ok(log) => log,
            Err(e) => panic!("{e}"),
        };
        let entries = log.append(&[json!({"b": 1, "a": [true]})], 1_700_000_000_000).unwrap_or_default();
        let mut pre = Vec::new();
        pre.extend_from_slice(&[0u8; 32]);
        pre.extend_from_slice(&0u64.to_be_bytes());
        pre.extend_from_slice(&1_700_000_000_000u64.to_be_bytes());
        pre.extend_from_slice(&2u32.to_be_bytes());
        pre.extend_from_slice(b"k1");
        pre.extend_from_slice(br#"{"a":[true],"b":1}"#);
        let e = &entries[0];
        assert_eq!(e.hash, crate::hash::sha256(&pre));
        assert_eq!(e.mac, crate::mac::hmac_sha256(&[9u8; 32], &e.hash));
        assert_eq!(log.head(), ChainHead { count: 1, head_hash: e.hash });
    }

    #[test]
    fn keys_and_ids_are_checked() {
        assert_eq!(AuditLog::new(&[1u8; 15], "k").map(|_| ()).map_err(|e| e.code), Err(ErrorCode::MalformedInput));
        assert_eq!(AuditLog::new(&[1u8; 16], "").map(|_| ()).map_err(|e| e.code), Err(ErrorCode::MalformedInput));
        let head = ChainHead { count: MAX_SAFE_INTEGER + 1, head_hash: GENESIS_HASH };
        assert_eq!(AuditLog::resume(&[1u8; 16], "k", head).map(|_| ()).map_err(|e| e.code), Err(ErrorCode::InputTooLarge));
    }
}
