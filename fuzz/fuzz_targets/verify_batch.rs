//! `Verifier::verify_batch` over raw items: every format, mixed in one batch.
//!
//! Input: one configuration byte, then items separated by `\n`. An item starting with `LIST `
//! is not verified: the rest is handed in as a status list (`statusLists`, under the URI the
//! list states, else [`STATUS_URI`]). The configuration byte picks the clock (the seeds' time,
//! the anon-identity fixtures' time, the SD-JWT interop time, or 0) and option switches.
//!
//! Invariants: one result per input; `valid` exactly when no errors; invalid results carry no
//! claims; identical inputs, identical results; an uncached verifier, a caching one and the
//! caching one again (served from its cache) agree; the JSON form equals the results; each
//! item's result in the batch equals its result verified alone (one bad item never affects
//! another).
//! (A divergence on forged status lists, once found here, is fixed: every verifier checks a
//! list's signature before reading it; fuzz/regressions/verify_batch/ keeps the inputs.)

#![no_main]

use credcore::credential::VerificationResult;
use credcore::status::ListDocument;
use credcore::verifier::{CacheConfig, Verifier};
use credcore_fuzz::{check_batch, AUDIENCE, FIXTURE_MS, INTEROP_MS, NONCE, STATUS_URI, VERIFY_MS};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};

const MAX_ITEMS: usize = 32;
/// Items verified alone again (the rest are only checked within the batch).
const MAX_ALONE: usize = 8;

/// Asserts that `other` (a caching verifier's results) equals `plain` (an uncached one's).
fn assert_agree(plain: &[VerificationResult], other: &[VerificationResult], what: &str) {
    assert_eq!(plain.len(), other.len());
    for (i, (p, o)) in plain.iter().zip(other).enumerate() {
        if p == o {
            continue;
        }
        panic!("item {i}: {what}\n uncached: {p:?}\n   cached: {o:?}");
    }
}

fn options(cfg: u8, lists: Map<String, Value>) -> (Map<String, Value>, f64) {
    let now = [VERIFY_MS, FIXTURE_MS, INTEROP_MS, 0.0][usize::from(cfg & 3)];
    let mut o = Map::new();
    o.insert("now".into(), json!(now));
    if cfg & 4 != 0 {
        o.insert("nonce".into(), json!(NONCE));
        o.insert("audience".into(), json!(AUDIENCE));
    }
    if cfg & 8 != 0 {
        o.insert("requireKeyBinding".into(), json!(true));
    }
    if cfg & 16 != 0 {
        o.insert("acceptLegacyTyp".into(), json!(true));
    }
    if cfg & 32 != 0 {
        o.insert("statusFailOpen".into(), json!(true));
    }
    if cfg & 64 != 0 {
        o.insert("checkStatus".into(), json!(false));
    }
    if cfg & 128 != 0 {
        // The hard ceilings: what a caller asking for "no limits" gets.
        o.insert("maxDepth".into(), json!(usize::MAX));
        o.insert("maxCredentials".into(), json!(usize::MAX));
    }
    if !lists.is_empty() {
        o.insert("statusLists".into(), Value::Object(lists));
    }
    (o, now)
}

fuzz_target!(|data: &[u8]| {
    let Some((&cfg, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let mut items: Vec<&str> = Vec::new();
    let mut lists = Map::new();
    for part in text.split('\n').take(MAX_ITEMS) {
        match part.strip_prefix("LIST ") {
            Some(list) => {
                let uri = ListDocument::parse(list, None, 1 << 20).map_or_else(|_| STATUS_URI.to_owned(), |d| d.uri);
                lists.insert(uri, Value::String(list.to_owned()));
            }
            None => items.push(part),
        }
    }
    let (call, now_ms) = options(cfg, lists);
    let now_s = (now_ms / 1000.0).floor() as i64;
    let base = Map::new();

    let mut plain_v = Verifier::new(base.clone(), &CacheConfig::stateless()).expect("empty options are valid");
    let plain = plain_v.verify_batch(&items, &call, 0.0).expect("the call options are valid");
    check_batch(&items, &plain, now_s, 60);

    let mut cached_v = Verifier::new(base, &CacheConfig::default()).expect("empty options are valid");
    let first = cached_v.verify_batch(&items, &call, 0.0).expect("the call options are valid");
    assert_agree(&plain, &first, "a caching verifier's first verdict differs from the uncached one");
    let again = cached_v.verify_batch(&items, &call, 0.0).expect("the call options are valid");
    assert_agree(&plain, &again, "a cached verdict differs from the uncached one");
    let json = cached_v.verify_batch_json(&items, &call, 0.0).expect("the call options are valid");
    let parsed: Value = serde_json::from_str(&json).expect("verify_batch_json gives JSON");
    assert_eq!(parsed, serde_json::to_value(&again).expect("results serialize"), "verify_batch_json differs from verify_batch");

    let (_, needs) = cached_v.serve_batch_with_needs(&items, &call, 0.0).expect("the call options are valid");
    let distinct: std::collections::HashSet<&String> = needs.uris.iter().collect();
    assert_eq!(distinct.len(), needs.uris.len(), "the needs name each URI once");
    assert!(needs.items.iter().all(|i| *i < items.len()), "the needs name inputs of the batch");

    if items.len() > 1 {
        for (i, item) in items.iter().enumerate().take(MAX_ALONE) {
            let alone = plain_v.verify_batch(&[item], &call, 0.0).expect("the call options are valid");
            assert_eq!(alone.len(), 1);
            assert_eq!(alone[0], plain[i], "item {i} verifies differently alone than in its batch");
        }
    }
});
