//! A hash-chained audit log: SHA-256 links over RFC 8785 canonical events, HMAC-SHA-256
//! (RFC 2104) tags under rotating keys, and Ed25519 (RFC 8032) signed checkpoints.
//!
//! # Entry hash (byte-exact preimage)
//! ```text
//! hash = SHA-256( prevHash      32 bytes (the previous entry's hash; 32 zero bytes at seq 0)
//!              || seq           8 bytes, big-endian
//!              || time          8 bytes, big-endian (milliseconds since the epoch)
//!              || len(keyId)    4 bytes, big-endian
//!              || keyId         UTF-8
//!              || canonical(event) )   RFC 8785 UTF-8, to the end
//! mac  = HMAC-SHA-256(key[keyId], hash)
//! ```
//! Every field of an entry is in the hash, and the MAC covers the hash, so no field can change
//! without the key. The event comes last, so the preimage needs no length for it.
//!
//! Hashes and MACs are lowercase hex (64 characters): readable in logs and diff tools, one
//! spelling per value, so JSONL lines round-trip byte for byte.
//!
//! `seq` and `time` stay at or below 2^53 - 1 so that JavaScript reads them exactly.

use crate::jcs::{canonicalize_elements, parse_strict, write_canonical};
use crate::mac::{keyed, HmacSha256};
use crate::encoding::{b64url_decode, b64url_encode, hex_decode, hex_encode};
use crate::error::{Error, ErrorCode, Result};
use crate::keys::{public_key_from_did, verify, KeyPair};
use crate::limits::{check_len, MAX_BATCH_ITEMS, MAX_JSON_DEPTH, MAX_MESSAGE_BYTES};
use hmac::digest::Mac;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use zeroize::Zeroizing;

/// The `prevHash` of the first entry (seq 0): 32 zero bytes.
pub const GENESIS_HASH: [u8; 32] = [0; 32];
/// Largest `seq`, `time` and checkpoint `count` (JavaScript's `Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;
/// Shortest HMAC key accepted by a log: 128 bits (RFC 2104 section 3 asks for at least the
/// output length; 16 bytes is the floor below which a key is a password, not a key).
pub const MIN_KEY_BYTES: usize = 16;
/// Longest key id in bytes.
pub const MAX_KEY_ID_BYTES: usize = 256;
/// The `type` inside a checkpoint's signed payload, separating it from other signed JSON.
pub const CHECKPOINT_TYPE: &str = "AuditCheckpoint";

/// One link of the chain. Serialized in camelCase: `seq, prevHash, hash, mac, keyId, time, event`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Entry {
    /// Position in the chain, from 0, without gaps.
    pub seq: u64,
    /// The previous entry's `hash` ([`GENESIS_HASH`] at seq 0).
    #[serde(with = "hex32")]
    pub prev_hash: [u8; 32],
    /// SHA-256 over the preimage in the module documentation.
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
    pub const GENESIS: ChainHead = ChainHead {
        count: 0,
        head_hash: GENESIS_HASH,
    };
}

/// A signed statement that a chain had `count` entries ending in `head_hash`.
///
/// The signature is Ed25519 over the RFC 8785 form of
/// `{"count":N,"headHash":"<hex>","signer":"<did>","type":"AuditCheckpoint"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Checkpoint {
    /// Number of entries covered.
    pub count: u64,
    /// Hash of entry `count - 1` ([`GENESIS_HASH`] when `count` is 0).
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
        Ok(Checkpoint {
            count: head.count,
            head_hash: head.head_hash,
            signer: did,
            signature: signer.sign(message.as_bytes()),
        })
    }

    /// Whether the checkpoint is signed by `trusted_signer` (a did:key) and the signature
    /// verifies under the strict Ed25519 policy. The signer named inside the checkpoint is
    /// never trusted on its own: anyone can sign a checkpoint with a key of their own.
    pub fn verify(&self, trusted_signer: &str) -> bool {
        if self.signer != trusted_signer {
            return false;
        }
        let (Ok(key), Ok(message)) = (
            public_key_from_did(&self.signer),
            checkpoint_message(self.count, &self.head_hash, &self.signer),
        ) else {
            return false;
        };
        verify(message.as_bytes(), &self.signature, &key.public_key)
    }
}

fn checkpoint_message(count: u64, head_hash: &[u8; 32], signer: &str) -> Result<String> {
    if count > MAX_SAFE_INTEGER {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            "checkpoint count exceeds 2^53 - 1",
        ));
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

/// Why a chain does not verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// An entry's content does not match its hash, or its `seq` or `prevHash` was edited in
    /// place (the link to its predecessor is intact or its `seq` is right, but not both).
    Modified,
    /// One or more entries are missing: the entry links to a predecessor that is not there and
    /// its `seq` skips ahead, with the skipped `seq` nowhere later in the list.
    Deleted,
    /// Entries are out of order: a genuine entry's `seq` skips ahead and the skipped `seq`
    /// appears later in the list.
    Reordered,
    /// An entry that does not belong: it repeats an earlier `seq` without linking to its
    /// predecessor, or it fails (in any way, or by claiming a later `seq` without being
    /// genuine) while the next entry chains to its predecessor as if it were not there.
    Inserted,
    /// The hash is consistent but the MAC is not the key's tag of it (a forged or re-hashed
    /// entry, or the wrong key under the right id).
    BadMac,
    /// The entry names a key id the verifier was not given.
    UnknownKey,
    /// The chain ends before the count a checkpoint vouches for.
    Truncated,
    /// The checkpoint's signature does not verify or is not from the trusted signer.
    BadCheckpoint,
    /// The chain verifies, but its entry at the checkpoint's count does not have the
    /// checkpoint's head hash (the chain was rewritten with the MAC key, or forked).
    CheckpointMismatch,
}

impl Reason {
    /// The stable string JavaScript callers see, e.g. `"bad_mac"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Reason::Modified => "modified",
            Reason::Deleted => "deleted",
            Reason::Reordered => "reordered",
            Reason::Inserted => "inserted",
            Reason::BadMac => "bad_mac",
            Reason::UnknownKey => "unknown_key",
            Reason::Truncated => "truncated",
            Reason::BadCheckpoint => "bad_checkpoint",
            Reason::CheckpointMismatch => "checkpoint_mismatch",
        }
    }
}

/// The outcome of verifying a list of entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyReport {
    /// Whether every entry (and the checkpoint, if any) verified.
    pub valid: bool,
    /// How many entries verified before the first failure (all of them when valid).
    pub checked: u64,
    /// The index, in the list given, of the first entry that fails; for `truncated`, the
    /// index where the first missing entry belongs; `None` when valid or for a bad checkpoint.
    pub first_invalid: Option<u64>,
    /// Why the chain fails; `None` when valid.
    pub reason: Option<Reason>,
}

impl VerifyReport {
    fn ok(checked: usize) -> VerifyReport {
        VerifyReport {
            valid: true,
            checked: checked as u64,
            first_invalid: None,
            reason: None,
        }
    }

    fn fail(index: usize, reason: Reason) -> VerifyReport {
        VerifyReport {
            valid: false,
            checked: index as u64,
            first_invalid: Some(index as u64),
            reason: Some(reason),
        }
    }
}

/// An append-only audit log under one HMAC key at a time. The key is zeroized on drop.
pub struct AuditLog {
    key: Zeroizing<Vec<u8>>,
    key_id: String,
    head: ChainHead,
    scratch: String,
}

impl core::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AuditLog")
            .field("key_id", &self.key_id)
            .field("head", &self.head)
            .finish_non_exhaustive()
    }
}

fn check_key(hmac_key: &[u8], key_id: &str) -> Result<()> {
    if hmac_key.len() < MIN_KEY_BYTES {
        return Err(Error::malformed(format!(
            "an audit HMAC key has at least {MIN_KEY_BYTES} bytes, not {}",
            hmac_key.len()
        ))
        .at("hmacKey"));
    }
    if key_id.is_empty() || key_id.len() > MAX_KEY_ID_BYTES {
        return Err(
            Error::malformed(format!("a key id has 1 to {MAX_KEY_ID_BYTES} bytes")).at("keyId"),
        );
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
            return Err(
                Error::new(ErrorCode::InputTooLarge, "chain count exceeds 2^53 - 1")
                    .at("head.count"),
            );
        }
        Ok(AuditLog {
            key: Zeroizing::new(hmac_key.to_vec()),
            key_id: key_id.to_owned(),
            head,
            scratch: String::new(),
        })
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
    pub fn append(&mut self, events: &[Value], now_ms: u64) -> Result<Vec<Entry>> {
        self.append_with(events.len(), events.iter().cloned(), now_ms)
    }

    /// As [`AuditLog::append`], taking the events by value (no copy of each event).
    ///
    /// # Errors
    /// As [`AuditLog::append`].
    pub fn append_owned(&mut self, events: Vec<Value>, now_ms: u64) -> Result<Vec<Entry>> {
        self.append_with(events.len(), events.into_iter(), now_ms)
    }

    fn append_with(
        &mut self,
        n: usize,
        events: impl Iterator<Item = Value>,
        now_ms: u64,
    ) -> Result<Vec<Entry>> {
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
            write_canonical(&event, &mut scratch, MAX_JSON_DEPTH)
                .map_err(|e| e.at(format!("[{i}]")))?;
            let prev_hash = linker.head.head_hash;
            let seq = linker.head.count;
            let Link { hash, mac } = linker.link(scratch.as_bytes())?;
            entries.push(Entry {
                seq,
                prev_hash,
                hash,
                mac,
                key_id: self.key_id.clone(),
                time: now_ms,
                event,
            });
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
        let appended = Appended {
            first_seq: self.head.count,
            prev_hash: self.head.head_hash,
            key_id: self.key_id.clone(),
            time: now_ms,
            links,
        };
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

    /// Verifies a whole chain from genesis: `keys` maps every key id it uses to its HMAC key.
    pub fn verify(entries: &[Entry], keys: &BTreeMap<String, Vec<u8>>) -> VerifyReport {
        AuditLog::verify_from(&ChainHead::GENESIS, entries, keys)
    }

    /// Verifies a segment that continues from `anchor` (a head trusted by other means, e.g. a
    /// verified checkpoint): its first entry must have `seq == anchor.count` and link to
    /// `anchor.head_hash`.
    pub fn verify_from(
        anchor: &ChainHead,
        entries: &[Entry],
        keys: &BTreeMap<String, Vec<u8>>,
    ) -> VerifyReport {
        Verifier::new(keys).run(anchor, entries)
    }

    /// Verifies a whole chain from genesis against a checkpoint that `trusted_signer` (a
    /// did:key) signed: a forged checkpoint gives `bad_checkpoint`; a chain shorter than the
    /// checkpoint gives `truncated`; one whose entry `count - 1` does not have the checkpoint's
    /// head hash gives `checkpoint_mismatch`. Entries appended after the checkpoint are checked
    /// as usual.
    pub fn verify_with_checkpoint(
        entries: &[Entry],
        keys: &BTreeMap<String, Vec<u8>>,
        checkpoint: &Checkpoint,
        trusted_signer: &str,
    ) -> VerifyReport {
        if !checkpoint.verify(trusted_signer) {
            return VerifyReport {
                valid: false,
                checked: 0,
                first_invalid: None,
                reason: Some(Reason::BadCheckpoint),
            };
        }
        let report = AuditLog::verify(entries, keys);
        if !report.valid {
            return report;
        }
        let Ok(count) = usize::try_from(checkpoint.count) else {
            return VerifyReport::fail(entries.len(), Reason::Truncated);
        };
        if count > entries.len() {
            return VerifyReport::fail(entries.len(), Reason::Truncated);
        }
        let head = match count.checked_sub(1) {
            None => GENESIS_HASH,
            Some(last) => entries.get(last).map_or(GENESIS_HASH, |e| e.hash),
        };
        if head != checkpoint.head_hash {
            return VerifyReport::fail(count.saturating_sub(1), Reason::CheckpointMismatch);
        }
        report
    }
}

fn entry_hash(
    prev_hash: &[u8; 32],
    seq: u64,
    time: u64,
    key_id: &str,
    canonical_event: &[u8],
) -> [u8; 32] {
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

fn too_many_events() -> Error {
    Error::new(
        ErrorCode::InputTooLarge,
        format!("at most {MAX_BATCH_ITEMS} events per append"),
    )
}

fn count_overflow() -> Error {
    Error::new(
        ErrorCode::InputTooLarge,
        "chain count would exceed 2^53 - 1",
    )
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
        Ok(Linker {
            mac_base: keyed(&log.key),
            key_id: &log.key_id,
            time: now_ms,
            head: log.head,
        })
    }

    fn link(&mut self, canonical_event: &[u8]) -> Result<Link> {
        if self.head.count >= MAX_SAFE_INTEGER {
            return Err(count_overflow());
        }
        let hash = entry_hash(
            &self.head.head_hash,
            self.head.count,
            self.time,
            self.key_id,
            canonical_event,
        );
        let mac = self
            .mac_base
            .clone()
            .chain_update(hash)
            .finalize()
            .into_bytes()
            .into();
        self.head = ChainHead {
            count: self.head.count + 1,
            head_hash: hash,
        };
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
    pub fn into_entries(self, events: impl IntoIterator<Item = Value>) -> Vec<Entry> {
        let mut prev_hash = self.prev_hash;
        let mut entries = Vec::with_capacity(self.links.len());
        for (seq, (link, event)) in (self.first_seq..).zip(self.links.into_iter().zip(events)) {
            entries.push(Entry {
                seq,
                prev_hash,
                hash: link.hash,
                mac: link.mac,
                key_id: self.key_id.clone(),
                time: self.time,
                event,
            });
            prev_hash = link.hash;
        }
        entries
    }

    /// Every link as lowercase hex, 128 digits each: the entry's hash, then its MAC.
    pub fn links_hex(&self) -> String {
        let mut digits = Vec::with_capacity(self.links.len() * 128);
        for link in &self.links {
            push_hex(&link.hash, &mut digits);
            push_hex(&link.mac, &mut digits);
        }
        // Hex digits are ASCII.
        String::from_utf8(digits).unwrap_or_default()
    }
}

/// Two lowercase hex digits for every byte value.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut table = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = [DIGITS[i >> 4], DIGITS[i & 0x0f]];
        i += 1;
    }
    table
};

fn push_hex(bytes: &[u8; 32], out: &mut Vec<u8>) {
    let mut digits = [0u8; 64];
    let mut k = 0;
    for &b in bytes {
        if let Some([high, low]) = digits.get_mut(k..k + 2) {
            [*high, *low] = HEX_PAIRS[usize::from(b)];
        }
        k += 2;
    }
    out.extend_from_slice(&digits);
}

/// How one entry fails on its own.
enum Fault {
    /// `seq` and `prevHash` both do not continue the chain.
    Unlinked,
    /// Exactly one of `seq` and `prevHash` does not continue the chain.
    Misnumbered,
    /// Any other reason (the hash, the key, the MAC).
    Other(Reason),
}

struct Verifier<'k> {
    keys: &'k BTreeMap<String, Vec<u8>>,
    macs: BTreeMap<&'k str, HmacSha256>,
    scratch: String,
}

impl<'k> Verifier<'k> {
    fn new(keys: &'k BTreeMap<String, Vec<u8>>) -> Self {
        Verifier {
            keys,
            macs: BTreeMap::new(),
            scratch: String::new(),
        }
    }

    fn run(&mut self, anchor: &ChainHead, entries: &[Entry]) -> VerifyReport {
        let (mut seq, mut prev) = (anchor.count, anchor.head_hash);
        for (i, entry) in entries.iter().enumerate() {
            let reason = match self.check(entry, seq, &prev) {
                Ok(()) => {
                    seq = seq.saturating_add(1);
                    prev = entry.hash;
                    continue;
                }
                Err(Fault::Unlinked) if entry.seq > seq => {
                    // The chain jumps ahead: the missing seq turning up later means a move,
                    // unless this entry is not genuine where it claims to be (its own hash and
                    // MAC fail) and the next one takes its place: then it was slipped in.
                    let later = entries.get(i + 1..).unwrap_or_default();
                    if !later.iter().any(|e| e.seq == seq) {
                        Reason::Deleted
                    } else if self.check(entry, entry.seq, &entry.prev_hash).is_err()
                        && entries
                            .get(i + 1)
                            .is_some_and(|next| self.check(next, seq, &prev).is_ok())
                    {
                        Reason::Inserted
                    } else {
                        Reason::Reordered
                    }
                }
                // An earlier seq again, linked elsewhere: a replayed or copied entry.
                Err(Fault::Unlinked) if entry.seq < seq => Reason::Inserted,
                Err(fault) => {
                    // Whatever is wrong with it, if the next entry takes its place seamlessly,
                    // this one was slipped in.
                    let next_fits = entries
                        .get(i + 1)
                        .is_some_and(|next| self.check(next, seq, &prev).is_ok());
                    match fault {
                        _ if next_fits => Reason::Inserted,
                        Fault::Other(reason) => reason,
                        Fault::Unlinked | Fault::Misnumbered => Reason::Modified,
                    }
                }
            };
            return VerifyReport::fail(i, reason);
        }
        VerifyReport::ok(entries.len())
    }

    /// Checks one entry in the position after (`seq - 1`, `prev`).
    fn check(&mut self, entry: &Entry, seq: u64, prev: &[u8; 32]) -> Result<(), Fault> {
        match (entry.seq == seq, entry.prev_hash == *prev) {
            (true, true) => {}
            (false, false) => return Err(Fault::Unlinked),
            _ => return Err(Fault::Misnumbered),
        }
        self.scratch.clear();
        // An event the log could not have written (too deep) cannot match any hash.
        if write_canonical(&entry.event, &mut self.scratch, MAX_JSON_DEPTH).is_err()
            || entry.time > MAX_SAFE_INTEGER
        {
            return Err(Fault::Other(Reason::Modified));
        }
        let hash = entry_hash(
            &entry.prev_hash,
            entry.seq,
            entry.time,
            &entry.key_id,
            self.scratch.as_bytes(),
        );
        if hash != entry.hash {
            return Err(Fault::Other(Reason::Modified));
        }
        let mac = match self.macs.get(entry.key_id.as_str()) {
            Some(mac) => mac.clone(),
            None => {
                let Some((id, key)) = self.keys.get_key_value(&entry.key_id) else {
                    return Err(Fault::Other(Reason::UnknownKey));
                };
                let mac = keyed(key);
                self.macs.insert(id.as_str(), mac.clone());
                mac
            }
        };
        // Constant-time comparison (subtle, inside `verify_slice`).
        if mac.chain_update(hash).verify_slice(&entry.mac).is_err() {
            return Err(Fault::Other(Reason::BadMac));
        }
        Ok(())
    }
}

/// Entries as JSON Lines: one entry per line, each line ending in `\n`.
///
/// # Errors
/// `INTERNAL_ERROR` only if serialization fails, which plain JSON values do not.
pub fn to_jsonl(entries: &[Entry]) -> Result<String> {
    let mut out = String::new();
    for (i, entry) in entries.iter().enumerate() {
        let line = serde_json::to_string(entry).map_err(|e| {
            Error::new(
                ErrorCode::InternalError,
                format!("cannot serialize entry: {e}"),
            )
            .at(format!("[{i}]"))
        })?;
        out.push_str(&line);
        out.push('\n');
    }
    Ok(out)
}

/// Entries from JSON Lines, parsed strictly (no duplicate member names, nesting limited, no
/// unknown fields, hashes as 64 lowercase hex digits). Lines end in `\n`; the last may omit
/// it. JSON whitespace in a line (a `\r` before the `\n` too) is not part of the entry.
/// `from_jsonl(&to_jsonl(e)?)? == e`, and `to_jsonl` gives back the text it wrote.
///
/// # Errors
/// `MALFORMED_INPUT` (or `INPUT_TOO_LARGE`) located at the entry's index, naming its line.
pub fn from_jsonl(text: &str) -> Result<Vec<Entry>> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    if body.is_empty() {
        return Ok(Vec::new());
    }
    let mut entries = Vec::new();
    for (i, line) in body.split('\n').enumerate() {
        if i >= MAX_BATCH_ITEMS {
            return Err(Error::new(
                ErrorCode::InputTooLarge,
                format!("more than {MAX_BATCH_ITEMS} entries"),
            ));
        }
        let locate = |e: Error| {
            let message = format!("line {}: {}", i + 1, e.message);
            Error { message, ..e }.at(format!("[{i}]"))
        };
        let value = parse_strict(line, MAX_JSON_DEPTH + 1).map_err(locate)?;
        let entry = serde_json::from_value::<Entry>(value)
            .map_err(|e| locate(Error::malformed(format!("not an audit entry: {e}"))))?;
        entries.push(entry);
    }
    Ok(entries)
}

mod hex32 {
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::hex_encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(d)?;
        // One spelling per value keeps exported lines byte-exact.
        if text.len() != 64
            || !text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(D::Error::custom("expected 64 lowercase hex digits"));
        }
        let bytes = super::hex_decode(&text).map_err(|e| D::Error::custom(e.message))?;
        bytes
            .try_into()
            .map_err(|_| D::Error::custom("expected 32 bytes"))
    }
}

mod b64sig {
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8; 64], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::b64url_encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 64], D::Error> {
        let text = String::deserialize(d)?;
        let bytes = super::b64url_decode(&text).map_err(|e| D::Error::custom(e.message))?;
        bytes
            .try_into()
            .map_err(|_| D::Error::custom("an Ed25519 signature is 64 bytes"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preimage_is_as_documented() {
        let mut log = match AuditLog::new(&[9u8; 32], "k1") {
            Ok(log) => log,
            Err(e) => panic!("{e}"),
        };
        let entries = log
            .append(&[json!({"b": 1, "a": [true]})], 1_700_000_000_000)
            .unwrap_or_default();
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
        assert_eq!(
            log.head(),
            ChainHead {
                count: 1,
                head_hash: e.hash
            }
        );
    }

    #[test]
    fn keys_and_ids_are_checked() {
        assert_eq!(
            AuditLog::new(&[1u8; 15], "k")
                .map(|_| ())
                .map_err(|e| e.code),
            Err(ErrorCode::MalformedInput)
        );
        assert_eq!(
            AuditLog::new(&[1u8; 16], "")
                .map(|_| ())
                .map_err(|e| e.code),
            Err(ErrorCode::MalformedInput)
        );
        let head = ChainHead {
            count: MAX_SAFE_INTEGER + 1,
            head_hash: GENESIS_HASH,
        };
        assert_eq!(
            AuditLog::resume(&[1u8; 16], "k", head)
                .map(|_| ())
                .map_err(|e| e.code),
            Err(ErrorCode::InputTooLarge)
        );
    }
}
