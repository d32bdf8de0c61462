//! Audit log import and verification: `audit::chain::from_jsonl`, `to_jsonl`, `AuditLog::verify`
//! and `AuditLog::verify_with_checkpoint`.
//!
//! Invariants: imported entries export and re-import to themselves, and export stably; a report
//! is consistent (valid exactly when it names no reason and no failing index; a failing index is
//! within the list and equals `checked`); a checkpoint of the whole list, signed by the trusted
//! signer, changes nothing for a list that verifies and never makes a failing list pass.

#![no_main]

use credcore::audit::{from_jsonl, to_jsonl, AuditLog, Checkpoint, ChainHead, Reason, VerifyReport};
use credcore_fuzz::issuer;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

/// The keys of the seed chains.
pub fn keys() -> BTreeMap<String, Vec<u8>> {
    BTreeMap::from([("k1".to_owned(), vec![1u8; 32]), ("k2".to_owned(), vec![2u8; 32])])
}

fn consistent(r: &VerifyReport, len: usize) {
    assert_eq!(r.valid, r.reason.is_none(), "{r:?}");
    if r.valid {
        assert_eq!(r.checked, len as u64);
        assert!(r.first_invalid.is_none());
    } else if r.reason != Some(Reason::BadCheckpoint) {
        let i = r.first_invalid.expect("a failing chain names where");
        assert!(i <= len as u64, "{r:?} for {len} entries");
        assert_eq!(r.checked, i);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(entries) = from_jsonl(text) else { return };
    let out = to_jsonl(&entries).expect("entries export");
    let back = from_jsonl(&out).expect("exported entries import");
    assert_eq!(back, entries, "export then import is the identity");
    assert_eq!(to_jsonl(&back).expect("entries export"), out, "export is stable");

    let keys = keys();
    let report = AuditLog::verify(&entries, &keys);
    consistent(&report, entries.len());
    let signer = issuer();
    let head = ChainHead { count: entries.len() as u64, head_hash: entries.last().map_or([0; 32], |e| e.hash) };
    if let Ok(cp) = Checkpoint::sign(&head, &signer) {
        assert!(cp.verify(&signer.did()));
        let with = AuditLog::verify_with_checkpoint(&entries, &keys, &cp, &signer.did());
        consistent(&with, entries.len());
        assert_eq!(with, report, "a checkpoint of the chain's own head changes nothing");
        let forged = AuditLog::verify_with_checkpoint(&entries, &keys, &cp, "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp");
        assert_eq!(forged.reason, Some(Reason::BadCheckpoint));
    }
    if let Some(first) = entries.first() {
        // A segment verified from the head it claims to continue.
        let anchor = ChainHead { count: first.seq, head_hash: first.prev_hash };
        consistent(&AuditLog::verify_from(&anchor, &entries, &keys), entries.len());
    }
});
