//! Times expand+toRdf of the W3C vc-di-eddsa credential (and its proof configuration) natively,
//! against jsonld.js `toRDF` (npm `jsonld`, safe mode, the same bundled contexts served by a
//! document loader) in the same run: medians over fresh inputs (each document differs in its
//! `id` and subject, so nothing serves a repeat), and the ratio.
//!
//! Run: `cargo run --release -p credcore-ld --example jsonld_timing [count]` from the
//! repository root (needs `node` and `node_modules/jsonld`; without them only the native
//! figures print).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use credcore_ld::jsonld::{self, NoLoader, Options};
use serde_json::Value;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The `i`-th fresh variant of a document: another `id` and subject.
fn variant(template: &Value, i: usize) -> Value {
    let mut d = template.clone();
    if let Some(m) = d.as_object_mut() {
        m.remove("proof");
        if m.contains_key("id") {
            m.insert("id".into(), Value::String(format!("urn:uuid:58172aac-d8ba-11ed-83dd-{i:012}")));
        }
        if let Some(Value::Object(s)) = m.get_mut("credentialSubject") {
            s.insert("id".into(), Value::String(format!("did:example:subject-{i}")));
        }
        if m.contains_key("created") {
            m.insert("created".into(), Value::String(format!("2023-02-24T23:{:02}:{:02}Z", (i / 60) % 60, i % 60)));
        }
    }
    d
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2_000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let vectors = root.join("tests/vectors/vc-di-eddsa/TestVectors/eddsa-rdfc-2022");
    let cases = [("credential", vectors.join("signedDataInt.json")), ("proof config", vectors.join("proofConfigDataInt.json"))];
    let options = Options::default();
    let mut native = Vec::new();
    for (name, path) in &cases {
        let template: Value = serde_json::from_str(&std::fs::read_to_string(path)?)?;
        let docs: Vec<Value> = (0..n + 50).map(|i| variant(&template, i)).collect();
        let mut times = Vec::with_capacity(n);
        let mut quads = 0;
        let t = Instant::now();
        jsonld::to_rdf(&docs[0], &NoLoader, &options)?;
        let first = t.elapsed().as_secs_f64() * 1e6;
        println!("credcore-ld  {name:13} first call (contexts processed, then cached): {first:8.1} us");
        for (i, d) in docs.iter().enumerate() {
            let t = Instant::now();
            let q = jsonld::to_rdf(d, &NoLoader, &options)?;
            let us = t.elapsed().as_secs_f64() * 1e6;
            if i >= 50 {
                times.push(us);
            }
            quads = q.len();
        }
        let m = median(times);
        println!("credcore-ld  {name:13} expand+toRdf: median {m:8.1} us over {n} fresh documents ({quads} quads)");
        native.push(m);
    }
    let script = root.join("examples/jsonld_timing.mjs");
    let out = Command::new("node").arg(&script).arg(n.to_string()).current_dir(root.join("..")).output();
    match out {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stdout);
            let figures: Value = serde_json::from_str(text.trim())?;
            for ((name, _), ours) in cases.iter().zip(&native) {
                let theirs = figures[*name].as_f64().unwrap_or(f64::NAN);
                println!(
                    "jsonld.js {} {name:13} toRDF safe:   median {theirs:8.1} us   ratio {:.1}x",
                    figures["version"].as_str().unwrap_or("?"),
                    theirs / ours
                );
            }
        }
        Ok(o) => println!("jsonld.js comparison failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => println!("jsonld.js comparison skipped (node: {e})"),
    }
    Ok(())
}
