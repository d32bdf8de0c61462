//! The W3C RDF Dataset Canonicalization test suite (ld/tests/rdf-canon/, see its README): every
//! entry of the manifest, run through `rdfc::canonicalize_nquads` with the default options.
//! Evaluation tests compare the canonical N-Quads byte for byte, map tests the issued
//! identifiers map, negative tests must fail with `CANONICALIZATION_LIMIT` in bounded time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use credcore_ld::rdfc::{self, HashAlgorithm, Options};
use credcore_ld::ErrorCode;
use serde_json::Value;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/rdf-canon")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(dir().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A negative (poison) test must fail within this, natively, in a release build, on a loaded
/// machine.
const NEGATIVE_BOUND: Duration = Duration::from_secs(2);

#[test]
fn w3c_rdf_canon_manifest() {
    let manifest: Value = serde_json::from_str(&read("manifest.jsonld")).expect("manifest JSON");
    let entries = manifest["entries"].as_array().expect("entries");
    let (mut eval, mut map, mut negative) = (0, 0, 0);
    let mut most = rdfc::Work::default();
    let mut failures = Vec::new();
    for entry in entries {
        let id = entry["id"].as_str().expect("id");
        let kind = entry["type"].as_str().expect("type");
        let input = read(entry["action"].as_str().expect("action"));
        let options = match entry.get("hashAlgorithm").and_then(Value::as_str) {
            None | Some("SHA256") => Options::default(),
            Some("SHA384") => Options::with_hash(HashAlgorithm::Sha384),
            Some(other) => panic!("{id}: unknown hash algorithm {other}"),
        };
        let started = Instant::now();
        let result = rdfc::canonicalize_nquads(&input, &options);
        let elapsed = started.elapsed();
        if let Ok(c) = &result {
            let w = c.work;
            most = rdfc::Work {
                calls: most.calls.max(w.calls),
                permutations: most.permutations.max(w.permutations),
                depth: most.depth.max(w.depth),
                steps: most.steps.max(w.steps),
            };
        }
        match kind {
            "rdfc:RDFC10EvalTest" => {
                eval += 1;
                let expected = read(entry["result"].as_str().expect("result"));
                match result {
                    Ok(c) if c.nquads == expected => {}
                    Ok(c) => failures.push(format!("{id}: got\n{}expected\n{expected}", c.nquads)),
                    Err(e) => failures.push(format!("{id}: {e}")),
                }
            }
            "rdfc:RDFC10MapTest" => {
                map += 1;
                let expected: BTreeMap<String, String> =
                    serde_json::from_str(&read(entry["result"].as_str().expect("result"))).expect("map JSON");
                match result {
                    Ok(c) if c.issued == expected => {}
                    Ok(c) => failures.push(format!("{id}: got {:?} expected {expected:?}", c.issued)),
                    Err(e) => failures.push(format!("{id}: {e}")),
                }
            }
            "rdfc:RDFC10NegativeEvalTest" => {
                negative += 1;
                match result {
                    Err(e) if e.code == ErrorCode::CanonicalizationLimit && elapsed < NEGATIVE_BOUND => {}
                    Err(e) if e.code == ErrorCode::CanonicalizationLimit => failures.push(format!("{id}: failed after {elapsed:?}")),
                    other => failures.push(format!("{id}: expected CANONICALIZATION_LIMIT, got {other:?}")),
                }
            }
            other => failures.push(format!("{id}: unknown test type {other}")),
        }
    }
    let total = eval + map + negative;
    assert_eq!(total, entries.len());
    println!("rdf-canon: {} of {total} passed ({eval} eval, {map} map, {negative} negative), 0 skipped", total - failures.len());
    println!("rdf-canon: the most work of a passing entry: {most:?} (the defaults: {:?})", Options::default());
    assert!(failures.is_empty(), "{} failed:\n{}", failures.len(), failures.join("\n"));
    // The suite as published: 64 evaluation, 21 map and 1 negative test.
    assert_eq!((eval, map, negative), (64, 21, 1));
}
