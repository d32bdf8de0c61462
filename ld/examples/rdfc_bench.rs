//! rdfc_canonicalize: the time of RDFC-1.0 (N-Quads text to canonical N-Quads text: parse,
//! canonicalize, serialize) on the datasets of the W3C vc-di-eddsa test vectors: the VC 2.0
//! alumni credential and its eddsa-rdfc-2022 proof configuration (what verifying one proof
//! canonicalizes), and the larger employment authorization credential.
//!
//! Every timed call gets a fresh input: the dataset with its quads in another order and its
//! blank nodes renamed (nothing can serve a repeat). Prints the median per operation.
//!
//! `cargo run --release -p credcore-ld --example rdfc_bench [-- ITERATIONS]`
//!
//! With `--inputs FILE` it times the inputs of FILE instead (a JSON object: set name to an
//! array of operations, each an array of N-Quads texts, as `bench/rdfc.mjs` writes it to compare
//! with rdf-canonize on the same inputs) and prints one JSON object: set name to `{ "median_us", "digest" }`, the digest
//! being the SHA-256 of the canonical outputs concatenated, for the comparison of results.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use credcore_ld::rdfc::{self, HashAlgorithm, Options};

fn vector(path: &str) -> String {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vc-di-eddsa").join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// Variant `i` of `nquads`: lines rotated by `i`, blank node `_:c14nN` renamed `_:vIbN`.
fn variant(nquads: &str, i: usize) -> String {
    let lines: Vec<&str> = nquads.lines().collect();
    let k = i % lines.len().max(1);
    let rotated = lines[k..].iter().chain(&lines[..k]);
    rotated.map(|l| l.replace("_:c14n", &format!("_:v{i}b")) + "\n").collect()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Times `canonicalize_nquads` over each group of inputs (one operation canonicalizes every
/// text of a group); returns the median in microseconds and the digest of the outputs.
fn time(groups: &[Vec<String>]) -> (f64, String) {
    let options = Options::default();
    let mut samples = Vec::with_capacity(groups.len());
    let mut outputs = String::new();
    for group in groups {
        let started = Instant::now();
        let canonical: Vec<String> = group.iter().map(|t| rdfc::canonicalize_nquads(t, &options).expect("canonicalizes").nquads).collect();
        samples.push(started.elapsed().as_secs_f64() * 1e6);
        outputs.extend(canonical);
    }
    (median(samples), HashAlgorithm::Sha256.hex(outputs.as_bytes()))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, file] = args.as_slice() {
        assert_eq!(flag, "--inputs", "usage: rdfc_bench [ITERATIONS | --inputs FILE]");
        let sets: BTreeMap<String, Vec<Vec<String>>> =
            serde_json::from_str(&std::fs::read_to_string(file).expect("inputs file")).expect("inputs JSON");
        let mut out = serde_json::Map::new();
        for (name, groups) in sets {
            time(&groups[..groups.len().min(200)]);
            let (median_us, digest) = time(&groups);
            out.insert(name, serde_json::json!({ "median_us": median_us, "digest": digest }));
        }
        println!("{}", serde_json::Value::Object(out));
        return;
    }
    let n: usize = args.first().map(|a| a.parse().expect("ITERATIONS")).unwrap_or(5_000);
    let doc = vector("eddsa-rdfc-2022/canonDocDataInt.txt");
    let proof = vector("eddsa-rdfc-2022/proofCanonDataInt.txt");
    let employ = vector("eddsa-rdfc-2022/employ/canonDocDataInt.txt");
    let credential: Vec<Vec<String>> = (0..n).map(|i| vec![variant(&doc, i), variant(&proof, i)]).collect();
    let employment: Vec<Vec<String>> = (0..n).map(|i| vec![variant(&employ, i)]).collect();
    // Warm-up, then the measured runs.
    time(&credential[..n.min(200)]);
    let (a, _) = time(&credential);
    let (b, _) = time(&employment);
    println!("rdfc_canonicalize, native, {n} fresh inputs each, medians:");
    println!("  alumni credential + proof configuration (8 + 5 quads): {a:.1} us");
    println!("  employment authorization credential (22 quads, 3 blank nodes): {b:.1} us");
}
