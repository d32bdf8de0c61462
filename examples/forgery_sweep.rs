//! Ed25519 batch verification with a share of forged signatures (well-formed, valid over another
//! message), natively: signatures per second against a loop of single verification.
//!
//! Run: `cargo run --release --example forgery_sweep [count]` (medians of 9; `KEYS=1` for one
//! signing key instead of 16; `SHARES=0,0.01` for those shares only); `... forgery_sweep sizes`
//! for the cost per signature by group size, `... forgery_sweep calibrate` for the costs behind the batch search's cost model. Each share
//! also prints the work per signature (multiplications, the points in them, signatures verified
//! alone, additions), counted by `credcore::keys::take_work`. In wasm, as the package runs:
//! build with `--target wasm32-wasip1` and run under `node examples/run-wasi.mjs` (see there).

use credcore::keys::{verify, verify_batch, KeyPair, SignatureJob};
use std::time::Instant;

fn main() {
    if std::env::args().nth(1).as_deref() == Some("calibrate") {
        print!("{}", credcore::keys::calibration_report());
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
    let keys: Vec<KeyPair> = (0..nkeys).map(|i| KeyPair::from_seed(&[i + 1; 32])).collect();
    let shares: Vec<f64> = std::env::var("SHARES")
        .map(|s| s.split(",").filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or(vec![0.0, 0.001, 0.01, 0.1, 0.5, 1.0]);
    for share in shares {
        let messages: Vec<Vec<u8>> = (0..n).map(|i| format!("message {i} {share}").into_bytes()).collect();
        let other: Vec<Vec<u8>> = (0..n).map(|i| format!("other {i}").into_bytes()).collect();
        let forged = (n as f64 * share).round() as usize;
        // Forgeries spread evenly, at floor(j * n / forged) as bench/forgeries.mjs places them
        // (so that they fall under every key, not only under some).
        let is_forged: std::collections::HashSet<usize> = (0..forged).map(|j| j * n / forged).collect();
        let sigs: Vec<[u8; 64]> = (0..n)
            .map(|i| {
                let k = &keys[i % keys.len()];
                if is_forged.contains(&i) {
                    k.sign(&other[i])
                } else {
                    k.sign(&messages[i])
                }
            })
            .collect();
        let jobs: Vec<SignatureJob<'_>> =
            (0..n).map(|i| SignatureJob { message: &messages[i], signature: &sigs[i], key: keys[i % keys.len()].public_key() }).collect();
        let _ = credcore::keys::take_work();
        let r = verify_batch(&jobs);
        let w = credcore::keys::take_work();
        assert_eq!(r.iter().filter(|v| !**v).count(), forged);
        let per = |x: u64| x as f64 / n as f64;
        let work = format!(
            "per signature: {:.4} equations, {:.3} points in them, {:.4} singles, {:.3} additions",
            per(w.equations),
            per(w.equation_points),
            per(w.singles),
            per(w.additions)
        );
        let mut batch_times = Vec::new();
        let mut loop_times = Vec::new();
        for _ in 0..9 {
            let t = Instant::now();
            let r = verify_batch(&jobs);
            batch_times.push(t.elapsed().as_secs_f64());
            assert_eq!(r.iter().filter(|v| !**v).count(), forged);
            let t = Instant::now();
            let c = jobs.iter().filter(|j| verify(j.message, j.signature, j.key)).count();
            loop_times.push(t.elapsed().as_secs_f64());
            assert_eq!(c, n - forged);
        }
        batch_times.sort_by(f64::total_cmp);
        loop_times.sort_by(f64::total_cmp);
        let (b, l) = (n as f64 / batch_times[4], n as f64 / loop_times[4]);
        println!("forged {:>5.1}%: batch {:>8.0}/s, loop {:>8.0}/s, {:.2}x the loop; {work}", share * 100.0, b, l, b / l);
    }
}
