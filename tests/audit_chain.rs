#![cfg(not(target_arch = "wasm32"))]
// One suite for the audit chain: every tamper class against the same fixtures (over 500 lines).
// A failed unwrap is a failed test; helpers outside #[test] functions are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The audit chain under tampering: every field of every entry, deletions, reorderings,
//! insertions, cut tails against checkpoints, forged checkpoints, unknown and rotated keys,
//! resumption, and JSONL export and import.

use credcore::audit::{from_jsonl, to_jsonl, AuditLog, ChainHead, Checkpoint, Entry, Reason, VerifyReport, GENESIS_HASH};
use credcore::keys::KeyPair;
use credcore::ErrorCode;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const K1: [u8; 32] = [0x11; 32];
const K2: [u8; 32] = [0x22; 32];
const T0: u64 = 1_760_000_000_000;
const N: usize = 8;

fn event(i: usize) -> Value {
    json!({
        "action": if i.is_multiple_of(2) { "credential.verified" } else { "session.created" },
        "subject": format!("did:example:{i}"),
        "valid": !i.is_multiple_of(3),
        "count": i,
        "score": 0.5 + i as f64,
        "tags": ["audit", {"n": i}],
        "note": null,
    })
}

fn keys(list: &[(&str, &[u8])]) -> BTreeMap<String, Vec<u8>> {
    list.iter().map(|(id, k)| ((*id).to_owned(), k.to_vec())).collect()
}

fn k1() -> BTreeMap<String, Vec<u8>> {
    keys(&[("k1", &K1)])
}

fn chain() -> (AuditLog, Vec<Entry>) {
    let mut log = AuditLog::new(&K1, "k1").unwrap();
    let mut entries = log.append(&(0..4).map(event).collect::<Vec<_>>(), T0).unwrap();
    entries.extend(log.append(&(4..N).map(event).collect::<Vec<_>>(), T0 + 1000).unwrap());
    (log, entries)
}

fn fail(index: usize, reason: Reason) -> VerifyReport {
    VerifyReport { valid: false, checked: index as u64, first_invalid: Some(index as u64), reason: Some(reason) }
}

fn ok(n: usize) -> VerifyReport {
    VerifyReport { valid: true, checked: n as u64, first_invalid: None, reason: None }
}

fn signer() -> KeyPair {
    KeyPair::from_seed(&[7u8; 32])
}

/// An entry at position `seq` after `prev` whose hash is right but whose MAC is under a key
/// the verifier does not know as `k1`: what someone without the key can make.
fn forged(seq: u64, prev: [u8; 32], event: Value) -> Entry {
    let mut log = AuditLog::resume(&[0x99; 32], "k1", ChainHead { count: seq, head_hash: prev }).unwrap();
    log.append(&[event], T0 + 5).unwrap().remove(0)
}

#[test]
fn an_untouched_chain_verifies() {
    let (log, entries) = chain();
    assert_eq!(entries.len(), N);
    assert_eq!(entries[0].prev_hash, GENESIS_HASH);
    for (i, e) in entries.iter().enumerate() {
        assert_eq!(e.seq, i as u64);
        if i > 0 {
            assert_eq!(e.prev_hash, entries[i - 1].hash);
        }
    }
    assert_eq!(log.head(), ChainHead { count: N as u64, head_hash: entries[N - 1].hash });
    assert_eq!(AuditLog::verify(&entries, &k1()), ok(N));
    assert_eq!(AuditLog::verify(&[], &k1()), ok(0));
}

#[test]
fn every_field_of_every_entry_is_covered() {
    let (_, entries) = chain();
    type Edit = (&'static str, Reason, fn(&mut Entry));
    let field_edits: Vec<Edit> = vec![
        ("seq+1", Reason::Modified, |e| e.seq += 1),
        ("seq+100", Reason::Modified, |e| e.seq += 100),
        ("prevHash", Reason::Modified, |e| e.prev_hash[5] ^= 0x40),
        ("hash", Reason::Modified, |e| e.hash[31] ^= 1),
        ("mac", Reason::BadMac, |e| e.mac[0] ^= 0x80),
        ("keyId to an unknown id", Reason::Modified, |e| e.key_id = "k2".into()),
        ("keyId case", Reason::Modified, |e| e.key_id = "K1".into()),
        ("time", Reason::Modified, |e| e.time += 1),
        ("event replaced", Reason::Modified, |e| e.event = json!({})),
        ("event member added", Reason::Modified, |e| e.event["extra"] = json!(1)),
        ("event member removed", Reason::Modified, |e| {
            e.event.as_object_mut().unwrap().remove("note");
        }),
        ("event number as string", Reason::Modified, |e| e.event["count"] = json!(e.event["count"].to_string())),
        ("event nested", Reason::Modified, |e| e.event["tags"][1]["n"] = json!(-1)),
    ];
    for (name, reason, edit) in &field_edits {
        for i in 0..N {
            let mut t = entries.clone();
            edit(&mut t[i]);
            assert_eq!(AuditLog::verify(&t, &k1()), fail(i, *reason), "{name} at {i}");
        }
    }
    // Each member of the event, one at a time, and seq moved backwards.
    for i in 0..N {
        for name in ["action", "subject", "valid", "count", "score", "tags", "note"] {
            let mut t = entries.clone();
            t[i].event[name] = json!("tampered");
            assert_eq!(AuditLog::verify(&t, &k1()), fail(i, Reason::Modified), "event.{name} at {i}");
        }
        if i > 0 {
            let mut t = entries.clone();
            t[i].seq -= 1;
            assert_eq!(AuditLog::verify(&t, &k1()), fail(i, Reason::Modified), "seq-1 at {i}");
        }
    }
}

#[test]
fn reordering_members_of_an_event_is_not_a_change() {
    let (_, mut entries) = chain();
    let reversed: serde_json::Map<String, Value> =
        entries[3].event.as_object().unwrap().iter().rev().map(|(k, v)| (k.clone(), v.clone())).collect();
    entries[3].event = Value::Object(reversed);
    assert_eq!(AuditLog::verify(&entries, &k1()), ok(N));
}

#[test]
fn rewriting_without_the_key_is_a_bad_mac() {
    let (_, entries) = chain();
    for k in 0..N {
        // Change event k and rebuild hashes and links from there on, with a key of one's own.
        let mut t = entries[..k].to_vec();
        let prev = if k == 0 { GENESIS_HASH } else { entries[k - 1].hash };
        let mut attacker = AuditLog::resume(&[0x99; 32], "k1", ChainHead { count: k as u64, head_hash: prev }).unwrap();
        let mut events: Vec<Value> = entries[k..].iter().map(|e| e.event.clone()).collect();
        events[0]["valid"] = json!(true);
        t.extend(attacker.append(&events, T0).unwrap());
        assert_eq!(AuditLog::verify(&t, &k1()), fail(k, Reason::BadMac), "rewrite from {k}");
    }
}

#[test]
fn deletions() {
    let (_, entries) = chain();
    for k in 0..N - 1 {
        let mut t = entries.clone();
        t.remove(k);
        assert_eq!(AuditLog::verify(&t, &k1()), fail(k, Reason::Deleted), "delete {k}");
    }
    let mut t = entries.clone();
    t.drain(2..5);
    assert_eq!(AuditLog::verify(&t, &k1()), fail(2, Reason::Deleted), "delete 2..5");
    // Without a checkpoint a cut tail cannot be seen: that is what checkpoints are for.
    assert_eq!(AuditLog::verify(&entries[..N - 1], &k1()), ok(N - 1));
}

#[test]
fn reorderings() {
    let (_, entries) = chain();
    for k in 0..N - 1 {
        let mut t = entries.clone();
        t.swap(k, k + 1);
        assert_eq!(AuditLog::verify(&t, &k1()), fail(k, Reason::Reordered), "swap {k}");
    }
    let mut t = entries.clone();
    let last = t.pop().unwrap();
    t.insert(2, last);
    assert_eq!(AuditLog::verify(&t, &k1()), fail(2, Reason::Reordered), "last moved to 2");
    let mut t = entries.clone();
    let moved = t.remove(1);
    t.push(moved);
    assert_eq!(AuditLog::verify(&t, &k1()), fail(1, Reason::Reordered), "1 moved to the end");
    let mut t = entries.clone();
    t.reverse();
    assert_eq!(AuditLog::verify(&t, &k1()), fail(0, Reason::Reordered), "reversed");
}

#[test]
fn insertions() {
    let (_, entries) = chain();
    for k in 1..N {
        // A well-hashed entry that claims position k, slipped in before the real one.
        let mut t = entries.clone();
        t.insert(k, forged(k as u64, entries[k - 1].hash, json!({"action": "grant", "to": "mallory"})));
        assert_eq!(AuditLog::verify(&t, &k1()), fail(k, Reason::Inserted), "forged at {k}");

        // A copy of the previous entry (its seq repeats).
        let mut t = entries.clone();
        t.insert(k, entries[k - 1].clone());
        assert_eq!(AuditLog::verify(&t, &k1()), fail(k, Reason::Inserted), "duplicate at {k}");

        // A replay of the first entry.
        let mut t = entries.clone();
        t.insert(k, entries[0].clone());
        assert_eq!(AuditLog::verify(&t, &k1()), fail(k, Reason::Inserted), "replay of 0 at {k}");

        // Junk that takes the right seq but links nowhere.
        let mut junk = entries[k].clone();
        junk.prev_hash = [0xab; 32];
        junk.event = json!({"junk": true});
        let mut t = entries.clone();
        t.insert(k, junk);
        assert_eq!(AuditLog::verify(&t, &k1()), fail(k, Reason::Inserted), "junk at {k}");
    }
    // Junk that claims a later seq: the skipped seq follows, but the junk is not genuine.
    for k in 0..N {
        let mut junk = entries[k].clone();
        junk.seq += 3;
        junk.prev_hash = [0xcd; 32];
        let mut t = entries.clone();
        t.insert(k, junk);
        assert_eq!(AuditLog::verify(&t, &k1()), fail(k, Reason::Inserted), "junk with a later seq at {k}");
    }
    // At the very front: a forged genesis before the real one.
    let mut t = entries.clone();
    t.insert(0, forged(0, GENESIS_HASH, json!({"x": 1})));
    assert_eq!(AuditLog::verify(&t, &k1()), fail(0, Reason::Inserted));
    // At the end nothing follows that could chain past it: a forged tail is a bad MAC.
    let mut t = entries.clone();
    t.push(forged(N as u64, entries[N - 1].hash, json!({"x": 1})));
    assert_eq!(AuditLog::verify(&t, &k1()), fail(N, Reason::BadMac));
}

#[test]
fn keys_unknown_wrong_and_rotated() {
    let (_, entries) = chain();
    assert_eq!(AuditLog::verify(&entries, &BTreeMap::new()), fail(0, Reason::UnknownKey));
    assert_eq!(AuditLog::verify(&entries, &keys(&[("k1", &K2)])), fail(0, Reason::BadMac));

    let mut log = AuditLog::new(&K1, "k1").unwrap();
    let mut all = log.append(&(0..3).map(event).collect::<Vec<_>>(), T0).unwrap();
    log.rotate(&K2, "k2").unwrap();
    assert_eq!(log.key_id(), "k2");
    all.extend(log.append(&(3..6).map(event).collect::<Vec<_>>(), T0 + 1).unwrap());
    let ids: Vec<&str> = all.iter().map(|e| e.key_id.as_str()).collect();
    assert_eq!(ids, ["k1", "k1", "k1", "k2", "k2", "k2"]);
    assert_eq!(AuditLog::verify(&all, &keys(&[("k1", &K1), ("k2", &K2)])), ok(6));
    assert_eq!(AuditLog::verify(&all, &k1()), fail(3, Reason::UnknownKey));
    assert_eq!(AuditLog::verify(&all, &keys(&[("k2", &K2)])), fail(0, Reason::UnknownKey));
    assert_eq!(AuditLog::verify(&all, &keys(&[("k1", &K1), ("k2", &K1)])), fail(3, Reason::BadMac));
    // Relabelling an entry with the other key id changes its hash.
    let mut t = all.clone();
    t[4].key_id = "k1".into();
    assert_eq!(AuditLog::verify(&t, &keys(&[("k1", &K1), ("k2", &K2)])), fail(4, Reason::Modified));
}

#[test]
fn resume_from_head_then_verify_the_whole() {
    let (log, first) = chain();
    let head = log.head();
    drop(log);
    let mut resumed = AuditLog::resume(&K1, "k1", head).unwrap();
    let second = resumed.append(&(N..2 * N).map(event).collect::<Vec<_>>(), T0 + 9000).unwrap();
    assert_eq!(second[0].seq, N as u64);
    assert_eq!(second[0].prev_hash, head.head_hash);
    let all = [first.clone(), second.clone()].concat();
    assert_eq!(AuditLog::verify(&all, &k1()), ok(2 * N));
    assert_eq!(AuditLog::verify_from(&head, &second, &k1()), ok(N));
    // A segment is not a chain from genesis: its start looks like entries were deleted.
    assert_eq!(AuditLog::verify(&second, &k1()), fail(0, Reason::Deleted));
    // Resuming from a wrong head forks the chain at the seam.
    let mut wrong = AuditLog::resume(&K1, "k1", ChainHead { count: N as u64, head_hash: [1; 32] }).unwrap();
    let forked = [first, wrong.append(&[event(0)], T0).unwrap()].concat();
    assert_eq!(AuditLog::verify(&forked, &k1()), fail(N, Reason::Modified));
}

#[test]
fn checkpoints_catch_cut_tails_and_forgeries() {
    let (mut log, entries) = chain();
    let pair = signer();
    let did = pair.did();
    let cp = log.checkpoint(&pair).unwrap();
    assert_eq!((cp.count, cp.head_hash, cp.signer.as_str()), (N as u64, entries[N - 1].hash, did.as_str()));
    assert!(cp.verify(&did));
    assert_eq!(AuditLog::verify_with_checkpoint(&entries, &k1(), &cp, &did), ok(N));

    for cut in 1..=N {
        let kept = &entries[..N - cut];
        assert_eq!(AuditLog::verify_with_checkpoint(kept, &k1(), &cp, &did), fail(N - cut, Reason::Truncated), "cut {cut}");
    }

    // Entries appended after the checkpoint still verify against it.
    let more = [entries.clone(), log.append(&[event(99)], T0 + 2).unwrap()].concat();
    assert_eq!(AuditLog::verify_with_checkpoint(&more, &k1(), &cp, &did), ok(N + 1));

    // A damaged chain reports its own fault first.
    let mut t = entries.clone();
    t[2].mac[0] ^= 1;
    assert_eq!(AuditLog::verify_with_checkpoint(&t, &k1(), &cp, &did), fail(2, Reason::BadMac));

    let bad = VerifyReport { valid: false, checked: 0, first_invalid: None, reason: Some(Reason::BadCheckpoint) };
    let other = KeyPair::from_seed(&[8u8; 32]);
    let forgeries: Vec<(&str, Checkpoint)> = vec![
        ("signed by another key", Checkpoint::sign(&ChainHead { count: N as u64 - 2, head_hash: entries[N - 3].hash }, &other).unwrap()),
        (
            "signed by another key, naming the trusted signer",
            Checkpoint { signer: did.clone(), ..Checkpoint::sign(&log.head(), &other).unwrap() },
        ),
        ("count lowered", Checkpoint { count: N as u64 - 2, ..cp.clone() }),
        ("head hash swapped", Checkpoint { head_hash: entries[N - 3].hash, ..cp.clone() }),
        ("signature flipped", {
            let mut c = cp.clone();
            c.signature[10] ^= 4;
            c
        }),
        ("signer not a did:key", Checkpoint { signer: "did:web:example.com".into(), ..cp.clone() }),
    ];
    for (name, forged_cp) in &forgeries {
        assert_eq!(AuditLog::verify_with_checkpoint(&entries[..N - 2], &k1(), forged_cp, &did), bad, "{name}");
        assert!(!forged_cp.verify(&did), "{name}");
    }
    // A genuine checkpoint from an untrusted signer is not accepted either.
    assert_eq!(AuditLog::verify_with_checkpoint(&entries, &k1(), &cp, &other.did()), bad);
}

#[test]
fn a_chain_rewritten_with_the_mac_key_fails_the_checkpoint() {
    let (log, entries) = chain();
    let pair = signer();
    let cp = log.checkpoint(&pair).unwrap();
    // Someone holding the HMAC key (but not the signing key) rebuilds the chain.
    let mut insider = AuditLog::new(&K1, "k1").unwrap();
    let mut events: Vec<Value> = entries.iter().map(|e| e.event.clone()).collect();
    events[1]["valid"] = json!(true);
    let rewritten = insider.append(&events, T0).unwrap();
    assert_eq!(AuditLog::verify(&rewritten, &k1()), ok(N));
    assert_eq!(AuditLog::verify_with_checkpoint(&rewritten, &k1(), &cp, &pair.did()), fail(N - 1, Reason::CheckpointMismatch));

    // An empty chain against a checkpoint of an empty chain.
    let empty = AuditLog::new(&K1, "k1").unwrap().checkpoint(&pair).unwrap();
    assert_eq!((empty.count, empty.head_hash), (0, GENESIS_HASH));
    assert_eq!(AuditLog::verify_with_checkpoint(&[], &k1(), &empty, &pair.did()), ok(0));
}

#[test]
fn checkpoint_serializes_and_round_trips() {
    let (log, _) = chain();
    let cp = log.checkpoint(&signer()).unwrap();
    let json = serde_json::to_value(&cp).unwrap();
    let names: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(names, ["count", "headHash", "signer", "signature"]);
    assert_eq!(json["signature"].as_str().unwrap().len(), 86);
    let back: Checkpoint = serde_json::from_value(json).unwrap();
    assert_eq!(back, cp);
}

#[test]
fn entry_and_report_shapes() {
    let (_, entries) = chain();
    let json = serde_json::to_value(&entries[1]).unwrap();
    let names: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(names, ["seq", "prevHash", "hash", "mac", "keyId", "time", "event"]);
    assert_eq!(json["prevHash"].as_str(), Some(credcore::encoding::hex_encode(&entries[0].hash).as_str()));
    assert_eq!(json["hash"].as_str().unwrap().len(), 64);
    let report = serde_json::to_string(&fail(3, Reason::BadMac)).unwrap();
    assert_eq!(report, r#"{"valid":false,"checked":3,"firstInvalid":3,"reason":"bad_mac"}"#);
    assert_eq!(serde_json::to_string(&ok(2)).unwrap(), r#"{"valid":true,"checked":2,"firstInvalid":null,"reason":null}"#);
    let all = [
        Reason::Modified,
        Reason::Deleted,
        Reason::Reordered,
        Reason::Inserted,
        Reason::BadMac,
        Reason::UnknownKey,
        Reason::Truncated,
        Reason::BadCheckpoint,
        Reason::CheckpointMismatch,
    ];
    for r in all {
        assert_eq!(serde_json::to_value(r).unwrap(), json!(r.as_str()));
    }
}

#[test]
fn jsonl_round_trips_exactly() {
    let (_, entries) = chain();
    let text = to_jsonl(&entries).unwrap();
    assert_eq!(text.lines().count(), N);
    assert!(text.ends_with('\n'));
    let back = from_jsonl(&text).unwrap();
    assert_eq!(back, entries);
    assert_eq!(to_jsonl(&back).unwrap(), text);
    assert_eq!(from_jsonl(text.trim_end()).unwrap(), entries);
    assert_eq!(from_jsonl("").unwrap(), Vec::<Entry>::new());
    assert_eq!(AuditLog::verify(&back, &k1()), ok(N));

    // Numbers keep their exact values (big integers, floats) through export and import.
    let mut log = AuditLog::new(&K1, "k1").unwrap();
    let odd =
        log.append(&[json!({"big": 9007199254740993u64, "neg": -12, "f": 1e21, "tiny": 5e-324, "s": "\u{1}é\u{1f602}"})], T0).unwrap();
    let back = from_jsonl(&to_jsonl(&odd).unwrap()).unwrap();
    assert_eq!(back, odd);
    assert_eq!(AuditLog::verify(&back, &k1()), ok(1));
}

#[test]
fn jsonl_edits_are_caught_after_import() {
    let (_, entries) = chain();
    let text = to_jsonl(&entries).unwrap();
    let edited = text.replacen("did:example:3", "did:example:x", 1);
    assert_eq!(AuditLog::verify(&from_jsonl(&edited).unwrap(), &k1()), fail(3, Reason::Modified));
    let mut lines: Vec<&str> = text.lines().collect();
    lines.swap(4, 5);
    assert_eq!(AuditLog::verify(&from_jsonl(&lines.join("\n")).unwrap(), &k1()), fail(4, Reason::Reordered));
    lines.swap(4, 5);
    lines.remove(6);
    assert_eq!(AuditLog::verify(&from_jsonl(&lines.join("\n")).unwrap(), &k1()), fail(6, Reason::Deleted));
}

#[test]
fn jsonl_rejects_what_it_did_not_write() {
    let (_, entries) = chain();
    let text = to_jsonl(&entries[..3]).unwrap();
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let with_line = |i: usize, line: String| {
        let mut l = lines.clone();
        l[i] = line;
        l.join("\n")
    };
    let cases = [
        ("not JSON", with_line(1, "{".into())),
        ("blank line", with_line(1, String::new())),
        ("duplicate member", with_line(1, lines[1].replacen("{\"seq\":1,", "{\"seq\":1,\"seq\":1,", 1))),
        ("duplicate in event", with_line(1, lines[1].replacen("\"event\":{", "\"event\":{\"note\":1,", 1))),
        ("unknown field", with_line(1, lines[1].replacen("{\"seq\"", "{\"x\":1,\"seq\"", 1))),
        ("short hash", with_line(1, lines[1].replacen("\"hash\":\"", "\"hash\":\"00", 1))),
        ("seq as string", with_line(1, lines[1].replacen("{\"seq\":1", "{\"seq\":\"1\"", 1))),
        ("negative time", with_line(1, lines[1].replacen(&format!("\"time\":{T0}"), "\"time\":-1", 1))),
    ];
    for (name, bad) in cases {
        let err = from_jsonl(&bad).err().unwrap_or_else(|| panic!("{name} was accepted"));
        assert_eq!(err.code, ErrorCode::MalformedInput, "{name}: {err}");
        assert_eq!(err.path.as_deref(), Some("[1]"), "{name}");
    }
    // JSON whitespace, CRLF line ends included, is not part of an entry.
    assert_eq!(from_jsonl(&text.replace('\n', "\r\n")).unwrap(), entries[..3].to_vec());
    // Hex in capitals is another spelling of the same bytes, refused to keep lines exact.
    let hash_hex = credcore::encoding::hex_encode(&entries[1].hash);
    let upper = with_line(1, lines[1].replacen(&hash_hex, &hash_hex.to_uppercase(), 1));
    assert_eq!(from_jsonl(&upper).unwrap_err().code, ErrorCode::MalformedInput);
    let deep = format!("{}{}", "[".repeat(70), "]".repeat(70));
    let too_deep = with_line(2, lines[2].replacen("\"event\":{", &format!("\"event\":{{\"deep\":{deep},"), 1));
    let err = from_jsonl(&too_deep).unwrap_err();
    assert_eq!((err.code, err.path.as_deref()), (ErrorCode::InputTooLarge, Some("[2]")));
}

#[test]
fn append_is_all_or_nothing_and_canonical() {
    let mut log = AuditLog::new(&K1, "k1").unwrap();
    log.append(&[event(0)], T0).unwrap();
    let before = log.head();
    let mut deep = json!(1);
    for _ in 0..70 {
        deep = json!([deep]);
    }
    let err = log.append(&[event(1), deep, event(2)], T0).unwrap_err();
    assert_eq!((err.code, err.path.as_deref()), (ErrorCode::InputTooLarge, Some("[1]")));
    assert_eq!(log.head(), before);
    let err = log.append(&[event(1)], 1 << 53).unwrap_err();
    assert_eq!(err.code, ErrorCode::MalformedInput);
    assert_eq!(log.head(), before);

    // Member order does not matter; the canonical form is what is hashed.
    let mut a = AuditLog::new(&K1, "k1").unwrap();
    let mut b = AuditLog::new(&K1, "k1").unwrap();
    let ea = a.append(&[json!({"a": 1, "b": [2.0, "x"]})], T0).unwrap();
    let eb = b.append_owned(vec![json!({"b": [2, "x"], "a": 1.0})], T0).unwrap();
    assert_eq!(ea[0].hash, eb[0].hash);
    assert_eq!(ea[0].mac, eb[0].mac);
    assert!(log.append(&[], T0).unwrap().is_empty());
}

#[test]
fn appending_json_text_equals_appending_values() {
    let events: Vec<Value> = (0..N).map(event).collect();
    // Spelled differently from the canonical form: spaces, members out of order, escapes.
    let text = format!(
        "[ {} ]",
        events.iter().map(|e| serde_json::to_string_pretty(e).unwrap().replace("audit", "\\u0061udit")).collect::<Vec<_>>().join(" ,\n")
    );
    let mut by_value = AuditLog::new(&K1, "k1").unwrap();
    let mut by_text = AuditLog::new(&K1, "k1").unwrap();
    let want = by_value.append(&events[..3], T0).unwrap();
    let first = by_text.append_json(&text_of(&events[..3]), T0).unwrap();
    assert_eq!(first.clone().into_entries(events[..3].to_vec()), want);
    let want_more = by_value.append(&events, T0 + 5).unwrap();
    let more = by_text.append_json(&text, T0 + 5).unwrap();
    assert_eq!((more.first_seq, more.prev_hash, more.key_id.as_str(), more.time, more.links.len()), (3, want[2].hash, "k1", T0 + 5, N));
    assert_eq!(more.clone().into_entries(events.clone()), want_more);
    assert_eq!(by_text.head(), by_value.head());
    let all: Vec<Entry> = want.into_iter().chain(want_more).collect();
    assert_eq!(AuditLog::verify(&all, &k1()), ok(N + 3));

    // What the boundary hands to JavaScript: the header as JSON, the links as one hex string.
    let json = serde_json::to_value(&more).unwrap();
    assert_eq!(json, json!({"firstSeq": 3, "prevHash": hex::encode(all[2].hash), "keyId": "k1", "time": T0 + 5}));
    let links = more.links_hex();
    assert_eq!(links.len(), 128 * N);
    for (i, entry) in all.iter().skip(3).enumerate() {
        assert_eq!(links[128 * i..128 * i + 64], hex::encode(entry.hash));
        assert_eq!(links[128 * i + 64..128 * (i + 1)], hex::encode(entry.mac));
    }

    // All or nothing, errors located at the element.
    let head = by_text.head();
    let deep = format!("[1, {}1{}]", "[".repeat(65), "]".repeat(65));
    for (bad, code, path) in [
        (r#"[{"a":1}, {"a":1,"a":2}]"#, ErrorCode::MalformedInput, "events[1]"),
        (deep.as_str(), ErrorCode::InputTooLarge, "events[1]"),
        ("[1, 1e999]", ErrorCode::MalformedInput, "events[1]"),
        ("{}", ErrorCode::MalformedInput, "events"),
        ("[1, 2", ErrorCode::MalformedInput, "events"),
    ] {
        let err = by_text.append_json(bad, T0).unwrap_err();
        assert_eq!((err.code, err.path.as_deref()), (code, Some(path)), "{bad}");
        assert_eq!(by_text.head(), head);
    }
    let err = by_text.append_json("[]", 1 << 53).unwrap_err();
    assert_eq!(err.code, ErrorCode::MalformedInput);
    assert!(by_text.append_json(" [ ] ", T0).unwrap().links.is_empty());
    assert_eq!(by_text.head(), head);

    let mut full = AuditLog::resume(&K1, "k1", ChainHead { count: (1 << 53) - 2, head_hash: GENESIS_HASH }).unwrap();
    let err = full.append_json("[1, 2]", T0).unwrap_err();
    assert_eq!((err.code, err.path.as_deref()), (ErrorCode::InputTooLarge, Some("events[1]")));
    assert_eq!(full.append_json("[1]", T0).unwrap().first_seq, (1 << 53) - 2);
}

fn text_of(events: &[Value]) -> String {
    serde_json::to_string(events).unwrap()
}
