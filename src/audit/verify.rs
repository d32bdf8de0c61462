//! Verification of an audit chain: every entry's hash and MAC, the links between entries, and
//! a signed checkpoint over the head; the first failure is classified, not only found.

use super::checkpoint::Checkpoint;
use super::entry::{entry_hash, ChainHead, Entry, GENESIS_HASH, MAX_SAFE_INTEGER};
use super::log::AuditLog;
use crate::jcs::write_canonical;
use crate::limits::MAX_JSON_DEPTH;
use crate::mac::{keyed, HmacSha256};
use hmac::digest::Mac;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    #[cfg(any(test, feature = "internals"))]
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
        VerifyReport { valid: true, checked: checked as u64, first_invalid: None, reason: None }
    }

    fn fail(index: usize, reason: Reason) -> VerifyReport {
        VerifyReport { valid: false, checked: index as u64, first_invalid: Some(index as u64), reason: Some(reason) }
    }
}

// Associated functions of the log type, so that callers write `AuditLog::verify`; they need
// no log, only the entries and their keys.
impl AuditLog {
    /// Verifies a whole chain from genesis: `keys` maps every key id it uses to its HMAC key.
    pub fn verify(entries: &[Entry], keys: &BTreeMap<String, Vec<u8>>) -> VerifyReport {
        AuditLog::verify_from(&ChainHead::GENESIS, entries, keys)
    }

    /// Verifies a segment that continues from `anchor` (a head trusted by other means, e.g. a
    /// verified checkpoint): its first entry must have `seq == anchor.count` and link to
    /// `anchor.head_hash`.
    pub fn verify_from(anchor: &ChainHead, entries: &[Entry], keys: &BTreeMap<String, Vec<u8>>) -> VerifyReport {
        ChainChecker::new(keys).run(anchor, entries)
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
            return VerifyReport { valid: false, checked: 0, first_invalid: None, reason: Some(Reason::BadCheckpoint) };
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

/// How one entry fails on its own.
enum Fault {
    /// `seq` and `prevHash` both do not continue the chain.
    Unlinked,
    /// Exactly one of `seq` and `prevHash` does not continue the chain.
    Misnumbered,
    /// Any other reason (the hash, the key, the MAC).
    Other(Reason),
}

/// Checks entries in chain order against the HMAC keys, classifying the first failure. It
/// keeps one keyed MAC state per key id, so each key's pads are hashed once per verification.
struct ChainChecker<'k> {
    keys: &'k BTreeMap<String, Vec<u8>>,
    macs: BTreeMap<&'k str, HmacSha256>,
    scratch: String,
}

impl<'k> ChainChecker<'k> {
    fn new(keys: &'k BTreeMap<String, Vec<u8>>) -> Self {
        ChainChecker { keys, macs: BTreeMap::new(), scratch: String::new() }
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
                        && entries.get(i + 1).is_some_and(|next| self.check(next, seq, &prev).is_ok())
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
                    let next_fits = entries.get(i + 1).is_some_and(|next| self.check(next, seq, &prev).is_ok());
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
        if write_canonical(&entry.event, &mut self.scratch, MAX_JSON_DEPTH).is_err() || entry.time > MAX_SAFE_INTEGER {
            return Err(Fault::Other(Reason::Modified));
        }
        let hash = entry_hash(&entry.prev_hash, entry.seq, entry.time, &entry.key_id, self.scratch.as_bytes());
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
