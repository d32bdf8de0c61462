//! Times the hash data of eddsa-rdfc-2022 proofs natively ([`credcore_ld::proof::hash_data_json`]:
//! JSON parsing, toRdf and RDFC-1.0 of the proof configuration and of the document, and their
//! SHA-256), on the two shapes `bench/data-integrity.mjs` verifies: a small VC 2.0 credential
//! (with the examples context) and an Open Badges 3.0 achievement credential. Every timed call
//! gets a fresh pair (another `id`, subject and `created`), so nothing serves a repeat but the
//! processed-context cache. Prints the median per proof and, with `--phases`, the median of each
//! phase (expansion, toRdf from the expanded form, RDFC-1.0, SHA-256) of the document alone.
//!
//! `cargo run --release -p credcore-ld --example hash_data_timing [-- COUNT] [--phases]`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use credcore_ld::jsonld::{self, NoLoader, Options};
use credcore_ld::proof::hash_data_json;
use credcore_ld::rdfc;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

const VC2: &str = "https://www.w3.org/ns/credentials/v2";
const KEY: &str = "did:key:z6Mkuhai1adkd5vSGvB99B2ezAUuZtfCf3zoYRN1ZM3XU2kQ";

/// The `i`-th VC 2.0 employee credential of the benchmark (without its proof).
fn employee(i: usize) -> Value {
    json!({
        "@context": [VC2, "https://www.w3.org/ns/credentials/examples/v2"],
        "id": format!("urn:example:rdfc:{i}"), "type": ["VerifiableCredential", "ExampleEmployeeCredential"], "issuer": KEY,
        "credentialSubject": {"id": format!("did:example:employee-{i}"), "name": format!("Employee {i}"), "level": i % 7, "team": {"name": "Platform", "floor": 3}}
    })
}

/// The `i`-th Open Badges 3.0 achievement credential of the benchmark (without its proof).
fn badge(i: usize) -> Value {
    json!({
        "@context": [VC2, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": format!("urn:uuid:7f3b1a52-0c8e-4f7a-9a51-{i:012}"), "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": KEY, "type": ["Profile"], "name": "Example University", "url": "https://university.example/"},
        "validFrom": "2026-01-01T00:00:00Z", "name": "Teamwork Badge",
        "credentialSubject": {
            "id": format!("did:example:learner-{i}"), "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://university.example/achievements/teamwork", "type": ["Achievement"], "name": "Teamwork",
                "description": "Works well in a team.", "criteria": {"narrative": "Team project completed with peers."},
                "image": {"id": "https://university.example/badges/teamwork.png", "type": "Image"}
            }
        }
    })
}

/// The proof configuration of document `i` (the document's `@context`, no `proofValue`).
fn config(doc: &Value, i: usize) -> Value {
    json!({
        "@context": doc["@context"], "type": "DataIntegrityProof", "created": format!("2026-12-01T19:{:02}:{:02}Z", (i / 60) % 60, i % 60),
        "verificationMethod": format!("{KEY}#{}", &KEY[8..]), "cryptosuite": "eddsa-rdfc-2022", "proofPurpose": "assertionMethod"
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(3_000);
    let phases = args.iter().any(|a| a == "--phases");
    type Shape = (&'static str, fn(usize) -> Value);
    let shapes: [Shape; 2] = [("VC 2.0 employee credential", employee), ("Open Badges 3.0 credential", badge)];
    for (name, make) in shapes {
        let pairs: Vec<(String, String)> = (0..n + 100)
            .map(|i| {
                let doc = make(i);
                let cfg = config(&doc, i);
                (doc.to_string(), cfg.to_string())
            })
            .collect();
        let mut times = Vec::with_capacity(n);
        for (i, (doc, cfg)) in pairs.iter().enumerate() {
            let t = Instant::now();
            hash_data_json(doc, cfg, &NoLoader).expect("hash data");
            if i >= 100 {
                times.push(t.elapsed().as_secs_f64() * 1e6);
            }
        }
        println!("{name:28} hash data (proof configuration + document): median {:7.1} us over {n} fresh proofs", median(times));
        if phases {
            let options = Options::default();
            let (mut parse, mut expand, mut rdf, mut canon, mut sha) = (vec![], vec![], vec![], vec![], vec![]);
            for (doc, _) in pairs.iter().skip(100) {
                let t = Instant::now();
                let value: Value = serde_json::from_str(doc).expect("JSON");
                parse.push(t.elapsed().as_secs_f64() * 1e6);
                let t = Instant::now();
                let expanded = jsonld::expand(&value, &NoLoader, &options).expect("expands");
                expand.push(t.elapsed().as_secs_f64() * 1e6);
                let t = Instant::now();
                let quads = jsonld::rdf_of_expanded(&expanded, &options).expect("toRdf");
                rdf.push(t.elapsed().as_secs_f64() * 1e6);
                let t = Instant::now();
                let c = rdfc::canonicalize(&quads, &rdfc::Options::default()).expect("canonicalizes");
                canon.push(t.elapsed().as_secs_f64() * 1e6);
                let t = Instant::now();
                std::hint::black_box(Sha256::digest(c.nquads.as_bytes()));
                sha.push(t.elapsed().as_secs_f64() * 1e6);
            }
            println!(
                "  the document alone: parse {:.1} us, expand {:.1} us, toRdf {:.1} us, RDFC-1.0 {:.1} us, SHA-256 {:.1} us",
                median(parse),
                median(expand),
                median(rdf),
                median(canon),
                median(sha)
            );
        }
    }
}
