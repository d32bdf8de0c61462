//! The audit chain built from the fuzz input, then edited once: `AuditLog::append`,
//! `append_json`, `rotate`, `verify`, `verify_with_checkpoint`.
//!
//! Two logs append the same generated events, one through `append` (values) and one through
//! `append_json` (text, canonicalized in one pass): they must produce the same links. Then one
//! edit is applied and the verdict must be the documented one: none or a cut tail verifies;
//! a changed field of entry i is `modified` (the MAC: `bad_mac`) at i; a deleted entry is
//! `deleted` at its index; two entries swapped are `reordered` at the first; a copy of an entry
//! replayed after it is `inserted` there. A checkpoint at a count beyond a cut chain is
//! `truncated`.

#![no_main]

use arbitrary::{Result as AResult, Unstructured};
use credcore::audit::{AuditLog, ChainHead, Checkpoint, Entry, Reason};
use credcore_fuzz::{issuer, value};
use libfuzzer_sys::fuzz_target;
use serde_json::json;
use std::collections::BTreeMap;

const KEY1: [u8; 32] = [1; 32];
const KEY2: [u8; 32] = [2; 32];

fn build(u: &mut Unstructured<'_>) -> AResult<Option<Vec<Entry>>> {
    let mut a = AuditLog::new(&KEY1, "k1").expect("a valid key");
    let mut b = AuditLog::new(&KEY1, "k1").expect("a valid key");
    let mut entries = Vec::new();
    let mut time = 1_750_000_000_000u64;
    for _ in 0..u.int_in_range(1u8..=4)? {
        if u.ratio(1, 4)? {
            let (key, id) = if u.ratio(1, 2)? { (&KEY2, "k2") } else { (&KEY1, "k1") };
            a.rotate(key, id).expect("a valid key");
            b.rotate(key, id).expect("a valid key");
        }
        let n = u.int_in_range(0usize..=4)?;
        let mut events = Vec::with_capacity(n);
        for _ in 0..n {
            events.push(value(u, 4)?);
        }
        time += u64::from(u.int_in_range(0u16..=1000)?);
        let text = serde_json::to_string(&events).expect("values serialize");
        let by_value = a.append(&events, time);
        let by_text = b.append_json(&text, time);
        match (by_value, by_text) {
            (Ok(e), Ok(appended)) => {
                assert_eq!(appended.clone().into_entries(events.clone()), e, "append_json and append link differently");
                entries.extend(e);
            }
            (Err(x), Err(y)) => {
                assert_eq!(x.code, y.code, "append and append_json fail differently");
                return Ok(None);
            }
            (x, y) => panic!("append and append_json disagree: {x:?} / {y:?}"),
        }
        assert_eq!(a.head(), b.head());
    }
    Ok(Some(entries))
}

fn run(u: &mut Unstructured<'_>) -> AResult<()> {
    let Some(mut entries) = build(u)? else { return Ok(()) };
    let keys = BTreeMap::from([("k1".to_owned(), KEY1.to_vec()), ("k2".to_owned(), KEY2.to_vec())]);
    let n = entries.len();
    let report = AuditLog::verify(&entries, &keys);
    assert!(report.valid && report.checked == n as u64, "a chain appended here verifies: {report:?}");
    let signer = issuer();
    let count = u.int_in_range(0..=n)?;
    let head = ChainHead { count: count as u64, head_hash: count.checked_sub(1).map_or([0; 32], |i| entries[i].hash) };
    let cp = Checkpoint::sign(&head, &signer).expect("a small count");
    assert!(AuditLog::verify_with_checkpoint(&entries, &keys, &cp, &signer.did()).valid);
    if n == 0 {
        return Ok(());
    }
    let i = u.choose_index(n)?;
    let (expected, at): (Option<Reason>, usize) = match u.int_in_range(0u8..=10)? {
        0 => {
            entries[i].seq += 1;
            (Some(Reason::Modified), i)
        }
        1 => {
            entries[i].prev_hash[0] ^= 1;
            (Some(Reason::Modified), i)
        }
        2 => {
            entries[i].hash[u.choose_index(32)?] ^= 1 << u.choose_index(8)?;
            (Some(Reason::Modified), i)
        }
        3 => {
            entries[i].mac[u.choose_index(32)?] ^= 1 << u.choose_index(8)?;
            (Some(Reason::BadMac), i)
        }
        4 => {
            entries[i].time ^= 1;
            (Some(Reason::Modified), i)
        }
        5 => {
            let e = &mut entries[i];
            e.key_id = if e.key_id == "k1" { "k2".into() } else { "k1".into() };
            (Some(Reason::Modified), i)
        }
        6 => {
            let e = &mut entries[i];
            e.event = json!({ "was": e.event.take() });
            (Some(Reason::Modified), i)
        }
        7 => {
            entries.remove(i);
            if i == n - 1 {
                // A cut tail is invisible without a checkpoint; with one at the old count it shows.
                let cp = Checkpoint::sign(&ChainHead { count: n as u64, head_hash: [0; 32] }, &signer).expect("a small count");
                let r = AuditLog::verify_with_checkpoint(&entries, &keys, &cp, &signer.did());
                assert_eq!(r.reason, Some(Reason::Truncated), "{r:?}");
                (None, 0)
            } else {
                (Some(Reason::Deleted), i)
            }
        }
        8 if n >= 2 => {
            let j = u.choose_index(n)?;
            let (a, b) = (i.min(j), i.max(j));
            if a == b {
                return Ok(());
            }
            entries.swap(a, b);
            (Some(Reason::Reordered), a)
        }
        9 => {
            let copy = entries[i].clone();
            entries.insert(i + 1, copy);
            (Some(Reason::Inserted), i + 1)
        }
        _ => (None, 0),
    };
    let r = AuditLog::verify(&entries, &keys);
    match expected {
        None => assert!(r.valid, "an unedited chain (or a cut tail) verifies: {r:?}"),
        Some(reason) => {
            assert!(!r.valid, "an edited chain verifies");
            assert_eq!((r.reason, r.first_invalid), (Some(reason), Some(at as u64)), "edit at {i} of {n}: {r:?}");
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let _ = run(&mut u);
});

