//! Times the phases of verifying a batch of eddsa-jcs-2022 Data Integrity credentials natively
//! (the format decision with its I-JSON pass, the JCS forms and hashes, did:key decoding, the
//! checks, the signature batch, result serialization), to see where the time of `verifyBatch`
//! goes.
//!
//! Run: `cargo run --release --example di_phases [count]`

use credcore::credential::checks::Ctx;
use credcore::credential::data_integrity::eddsa_jcs_2022::DocumentHashes;
use credcore::credential::data_integrity::issue::Cryptosuite;
use credcore::credential::format::decide;
use credcore::credential::issue::{issue_credential, IssueFormat};
use credcore::credential::VerifyOptions;
use credcore::keys::{BatchState, DidKeySource, KeyPair};
use credcore::verifier::pipeline::prepare_item;
use credcore::{CacheConfig, Error, Verifier};
use serde_json::{json, Map, Value};
use std::time::{Duration, Instant};

fn main() -> Result<(), Error> {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let issuers: Vec<KeyPair> = (0..10u8).map(|i| KeyPair::from_seed(&[i + 1; 32])).collect();
    let now = 1_750_000_000;
    let mut items = Vec::with_capacity(n);
    for i in 0..n {
        let body = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "id": format!("urn:example:credential:{i}"), "type": ["VerifiableCredential", "EmployeeCredential"], "credentialSubject": {"id": format!("did:example:employee-{i}"), "name": format!("Employee {i}"), "level": i % 7, "team": {"name": "Platform", "floor": 3}}});
        let suite = IssueFormat::DataIntegrity(Cryptosuite::EddsaJcs2022);
        items.push(issue_credential(&body, &issuers[i % issuers.len()], suite, Some(3600), now)?.to_string());
    }
    let options = VerifyOptions { now: Some(now as f64 * 1000.0), ..VerifyOptions::default() };
    let call = json!({"now": now as f64 * 1000.0}).as_object().cloned().unwrap_or_default();
    let per = |d: Duration| d.as_secs_f64() * 1e6 / n as f64;
    let bodies: Vec<Map<String, Value>> =
        items.iter().map(|i| credcore::json::parse_object(i.as_bytes(), usize::MAX, 64)).collect::<Result<_, _>>()?;
    for _ in 0..3 {
        let t = Instant::now();
        items.iter().for_each(|i| drop(decide(i, &options)));
        let decide_us = per(t.elapsed());
        let t = Instant::now();
        let mut out = String::new();
        for i in &items {
            out.clear();
            credcore::jcs::canonicalize_text_into(i, &mut out, 64)?;
        }
        let ijson_us = per(t.elapsed());
        let t = Instant::now();
        for b in &bodies {
            let proof = b.get("proof").and_then(Value::as_object).ok_or_else(|| Error::malformed("no proof"))?;
            DocumentHashes::new(b).verify_data(proof)?;
        }
        let hash_us = per(t.elapsed());
        let t = Instant::now();
        for b in &bodies {
            credcore::keys::public_key_from_did(b.get("issuer").and_then(Value::as_str).unwrap_or_default())?;
        }
        let key_us = per(t.elapsed());
        let t = Instant::now();
        let mut keys = DidKeySource;
        let mut ctx = Ctx { options: &options, now, keys: &mut keys };
        let prepared: Vec<_> = items.iter().map(|i| prepare_item(i, &mut ctx)).collect();
        let prepare_us = per(t.elapsed());
        let t = Instant::now();
        let results = credcore::batch::finish_with(prepared, &mut BatchState::default());
        let finish_us = per(t.elapsed());
        let t = Instant::now();
        let text = serde_json::to_string(&results).unwrap_or_default();
        let json_us = per(t.elapsed());
        let mut v = Verifier::new(Map::new(), &CacheConfig { results: 0, ..CacheConfig::default() })?;
        let texts: Vec<&str> = items.iter().map(String::as_str).collect();
        let t = Instant::now();
        let all = v.verify_batch_json(&texts, &call, 0.0)?;
        let all_us = per(t.elapsed());
        println!(
            "per item, us: decide {decide_us:.1} (of which the I-JSON pass {ijson_us:.1}); prepare {prepare_us:.1} (decide, checks, JCS \
             and hashes {hash_us:.1}, did:key decoding {key_us:.1}); signatures {finish_us:.1}; results JSON {json_us:.1}; \
             Verifier.verify_batch_json {all_us:.1} ({} of {n} valid, {} + {} bytes)",
            results.iter().filter(|r| r.valid).count(),
            text.len(),
            all.len()
        );
    }
    Ok(())
}
