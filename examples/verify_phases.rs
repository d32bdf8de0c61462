//! Times the phases of verifying a batch of VC-JWTs natively (parse and checks, the signature
//! batch, result serialization), to see where the time of `verifyBatch` goes.
//!
//! Run: `cargo run --release --example verify_phases [count]`

use credcore::credential::format::{decide, Decision};
use credcore::credential::issue::{issue_credential, IssueFormat};
use credcore::credential::VerifyOptions;
use credcore::keys::{Algorithm, DidKeySource, KeyPair, KeySource};
use credcore::verifier::{CacheConfig, Verifier};
use serde_json::json;
use std::time::Instant;

fn main() -> Result<(), credcore::Error> {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let issuers: Vec<KeyPair> = (0..10u8).map(|i| KeyPair::from_seed(&[i + 1; 32])).collect();
    let holder = KeyPair::from_seed(&[99; 32]);
    let now = 1_750_000_000;
    let make = |round: usize| -> Result<Vec<String>, credcore::Error> {
        let mut jwts = Vec::with_capacity(n);
        for i in 0..n {
            let body = json!({"type": ["VerifiableCredential", "EmployeeCredential"], "credentialSubject": {"id": holder.did(), "name": format!("Employee {round}-{i}"), "level": i % 7}});
            let issued = issue_credential(&body, &issuers[i % issuers.len()], IssueFormat::VcJwt, Some(3600), now)?;
            jwts.push(issued.as_str().unwrap_or_default().to_owned());
        }
        Ok(jwts)
    };
    let options = VerifyOptions { now: Some(now as f64 * 1000.0), ..VerifyOptions::default() };
    let call = json!({"now": now as f64 * 1000.0}).as_object().cloned().unwrap_or_default();
    if std::env::var_os("PHASES_PROFILE").is_some() {
        // For a profiler: only verification, the same inputs, no result cache.
        let jwts = make(0)?;
        let texts: Vec<&str> = jwts.iter().map(String::as_str).collect();
        let mut v = Verifier::new(serde_json::Map::new(), &CacheConfig { results: 0, ..CacheConfig::default() })?;
        for _ in 0..10 {
            let t = Instant::now();
            let r = v.verify_batch(&texts, &call, 0.0)?;
            let text = serde_json::to_string(&r).unwrap_or_default();
            println!("verify and serialize: {:.1} ms ({} bytes)", t.elapsed().as_secs_f64() * 1e3, text.len());
        }
        return Ok(());
    }
    let mut cached = Verifier::new(serde_json::Map::new(), &CacheConfig::default())?;
    let mut uncached = Verifier::new(serde_json::Map::new(), &CacheConfig { results: 0, ..CacheConfig::default() })?;
    for round in 0..3 {
        let jwts = make(round)?;
        let texts: Vec<&str> = jwts.iter().map(String::as_str).collect();
        let t = Instant::now();
        let a = cached.verify_batch(&texts, &call, 0.0)?;
        let t_cached = t.elapsed();
        let jwts2 = make(round + 100)?;
        let texts2: Vec<&str> = jwts2.iter().map(String::as_str).collect();
        let t = Instant::now();
        let b = uncached.verify_batch(&texts2, &call, 0.0)?;
        let t_uncached = t.elapsed();
        println!(
            "Verifier.verify_batch: default caches {:.1} ms, result cache off {:.1} ms ({} + {} valid)",
            t_cached.as_secs_f64() * 1e3,
            t_uncached.as_secs_f64() * 1e3,
            a.iter().filter(|r| r.valid).count(),
            b.iter().filter(|r| r.valid).count()
        );
    }
    let jwts = make(1000)?;
    let texts: Vec<&str> = jwts.iter().map(String::as_str).collect();
    for _ in 0..3 {
        let t = Instant::now();
        let parsed = jwts.iter().filter(|j| matches!(decide(j, &options), Decision::Jwt { .. })).count();
        let t_parse = t.elapsed();
        let t = Instant::now();
        let mut keys = DidKeySource;
        let mut resolved = 0;
        for i in 0..n {
            if keys.issuer_key(&issuers[i % issuers.len()].did(), None, Algorithm::EdDsa).is_ok() {
                resolved += 1;
            }
        }
        let t_keys = t.elapsed();
        let t = Instant::now();
        let mut v = Verifier::new(serde_json::Map::new(), &CacheConfig::stateless())?;
        let results = v.verify_batch(&texts, &call, 0.0)?;
        let t_all = t.elapsed();
        let t = Instant::now();
        let text = serde_json::to_string(&results).unwrap_or_default();
        let t_json = t.elapsed();
        let valid = results.iter().filter(|r| r.valid).count();
        println!(
            "{n} VC-JWTs: format decision and parsing {:.1} ms ({parsed}), did:key to key {:.1} ms ({resolved}), whole pipeline {:.1} ms, results to JSON {:.1} ms ({} bytes); {valid} valid",
            t_parse.as_secs_f64() * 1e3,
            t_keys.as_secs_f64() * 1e3,
            t_all.as_secs_f64() * 1e3,
            t_json.as_secs_f64() * 1e3,
            text.len()
        );
    }
    Ok(())
}
