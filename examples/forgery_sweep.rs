//! Ed25519 batch verification with a share of forged signatures (well-formed, valid over another
//! message), natively: signatures per second against a loop of single verification.
//!
//! Run: `cargo run --release --example forgery_sweep [count]` (medians of `RUNS`, default 9,
//! fresh signatures every run, the shares taking turns within each run so that they see the
//! same load; `KEYS=1` for one signing key instead of 16; `SHARES=0,0.01` for those shares
//! only; `FRESH_KEYS=1` for new keys at every share of every run, so that no key's fixed-base
//! table is kept from an earlier call); `... forgery_sweep sizes`
//! for the cost per signature by group size, `... forgery_sweep calibrate` for the costs behind the batch search's cost model. Each share
//! also prints the work per signature (multiplications, the points in them, signatures verified
//! alone, additions), counted by `credcore::keys::take_work`, and where the time went (us a
//! signature: preparing, first tests of groups, tests of halves, plain sums, scans for a
//! position, proofs, signatures alone, the rest). In wasm, as the package runs:
//! build with `--target wasm32-wasip1` and run under `node examples/run-wasi.mjs` (see there).

use credcore::keys::{verify, verify_batch, KeyPair, SignatureJob};
use std::time::Instant;

fn main() {
    if std::env::args().nth(1).as_deref() == Some("calibrate") {
        print!("{}", credcore::keys::calibration_report(std::env::var("RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(5)));
        return;
    }
    if std::env::args().nth(1).as_deref() == Some("sizes") {
        let keys: Vec<KeyPair> = (0..16u8).map(|i| KeyPair::from_seed(&[i + 1; 32])).collect();
        for g in [8usize, 16, 32, 64, 128, 256, 512, 1024] {
            let reps = 8192 / g;
            let messages: Vec<Vec<u8>> = (0..g).map(|i| format!("m {i}").into_bytes()).collect();
            let sigs: Vec<[u8; 64]> = (0..g).map(|i| keys[i % 16].sign(&messages[i])).collect();
            let jobs: Vec<SignatureJob<'_>> =
                (0..g).map(|i| SignatureJob { message: &messages[i], signature: &sigs[i], key: keys[i % 16].public_key() }).collect();
            let t = Instant::now();
            for _ in 0..reps {
                assert!(verify_batch(&jobs).iter().all(|v| *v));
            }
            println!("group {g:>5}: {:.1} us per signature", t.elapsed().as_secs_f64() * 1e6 / 8192.0);
        }
        return;
    }
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(4096);
    // KEYS: distinct signing keys (default 16; one issuer is 1).
    let nkeys: u8 = std::env::var("KEYS").ok().and_then(|k| k.parse().ok()).unwrap_or(16).clamp(1, 255);
    let runs: usize = std::env::var("RUNS").ok().and_then(|k| k.parse().ok()).unwrap_or(9).max(1);
    let keys: Vec<KeyPair> = (0..nkeys).map(|i| KeyPair::from_seed(&[i + 1; 32])).collect();
    let shares: Vec<f64> = std::env::var("SHARES")
        .map(|s| s.split(",").filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or(vec![0.0, 0.001, 0.01, 0.1, 0.5, 1.0]);
    let mut batch_times = vec![Vec::new(); shares.len()];
    let mut loop_times = vec![Vec::new(); shares.len()];
    let mut work = vec![credcore::keys::Work::default(); shares.len()];
    let fresh_keys = std::env::var("FRESH_KEYS").is_ok_and(|v| v == "1");
    for run in 0..runs {
        for (at, &share) in shares.iter().enumerate() {
            let fresh: Vec<KeyPair>;
            let keys = if fresh_keys {
                let tag = (run * shares.len() + at) as u64;
                fresh = (0..nkeys)
                    .map(|i| {
                        let mut seed = [i + 1; 32];
                        seed[..8].copy_from_slice(&tag.to_le_bytes());
                        KeyPair::from_seed(&seed)
                    })
                    .collect();
                &fresh
            } else {
                &keys
            };
            let messages: Vec<Vec<u8>> = (0..n).map(|i| format!("message {i} {share} {run}").into_bytes()).collect();
            let other: Vec<Vec<u8>> = (0..n).map(|i| format!("other {i} {run}").into_bytes()).collect();
            let forged = (n as f64 * share).round() as usize;
            // Forgeries spread evenly, at floor(j * n / forged) as bench/forgeries.mjs places them
            // (so that they fall under every key, not only under some).
            let is_forged: std::collections::HashSet<usize> = (0..forged).map(|j| j * n / forged).collect();
            let sigs: Vec<[u8; 64]> =
                (0..n).map(|i| keys[i % keys.len()].sign(if is_forged.contains(&i) { &other[i] } else { &messages[i] })).collect();
            let jobs: Vec<SignatureJob<'_>> = (0..n)
                .map(|i| SignatureJob { message: &messages[i], signature: &sigs[i], key: keys[i % keys.len()].public_key() })
                .collect();
            let _ = credcore::keys::take_work();
            let t = Instant::now();
            let r = verify_batch(&jobs);
            batch_times[at].push(t.elapsed().as_secs_f64());
            add(&mut work[at], credcore::keys::take_work());
            assert_eq!(r.iter().filter(|v| !**v).count(), forged);
            let t = Instant::now();
            let c = jobs.iter().filter(|j| verify(j.message, j.signature, j.key)).count();
            loop_times[at].push(t.elapsed().as_secs_f64());
            assert_eq!(c, n - forged);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let mut clean = None;
    for (at, &share) in shares.iter().enumerate() {
        let (b, l) = (n as f64 / median(&mut batch_times[at]), n as f64 / median(&mut loop_times[at]));
        let clean_rate = *clean.get_or_insert(b);
        let w = work[at];
        let per = |x: u64| x as f64 / (n * runs) as f64;
        let us = |x: u64| x as f64 / 1e3 / (n * runs) as f64;
        let phases = w.prepare_ns + w.test_ns + w.half_ns + w.plain_ns + w.scan_ns + w.proof_ns + w.single_ns;
        println!(
            "forged {:>5.1}%: batch {:>8.0}/s, loop {:>8.0}/s, {:.2}x the loop, {:.0}% of the first share's rate",
            share * 100.0,
            b,
            l,
            b / l,
            100.0 * b / clean_rate
        );
        println!(
            "  per signature: {:.4} equations, {:.3} points in them, {:.4} singles, {:.3} additions; groups {:.1} a call, {:.1} failed, {:.1} key tables",
            per(w.equations),
            per(w.equation_points),
            per(w.singles),
            per(w.additions),
            w.groups as f64 / runs as f64,
            w.failed_groups as f64 / runs as f64,
            w.tables as f64 / runs as f64
        );
        println!(
            "  us per signature: total {:.2} = prepare {:.2} + tests {:.2} + halves {:.2} + plain sums {:.2} + scans {:.2} + proofs {:.2} + alone {:.2} + rest {:.2}",
            us(w.total_ns),
            us(w.prepare_ns),
            us(w.test_ns),
            us(w.half_ns),
            us(w.plain_ns),
            us(w.scan_ns),
            us(w.proof_ns),
            us(w.single_ns),
            us(w.total_ns.saturating_sub(phases))
        );
    }
}

/// Adds the counts and times of `b` to `a`.
fn add(a: &mut credcore::keys::Work, b: credcore::keys::Work) {
    a.equations += b.equations;
    a.equation_points += b.equation_points;
    a.singles += b.singles;
    a.additions += b.additions;
    a.total_ns += b.total_ns;
    a.prepare_ns += b.prepare_ns;
    a.test_ns += b.test_ns;
    a.half_ns += b.half_ns;
    a.plain_ns += b.plain_ns;
    a.scan_ns += b.scan_ns;
    a.proof_ns += b.proof_ns;
    a.single_ns += b.single_ns;
    a.groups += b.groups;
    a.failed_groups += b.failed_groups;
    a.tables += b.tables;
}
