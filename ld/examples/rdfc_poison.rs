//! The worst cases of RDFC-1.0 under the default bounds: graphs built to tie (cliques, cycles,
//! stars of identical leaves, disjoint identical pairs, complete bipartite graphs), each
//! canonicalized with the default options and then with every bound at its hard ceiling; prints
//! the time, the peak heap, the work and which bound stopped it.
//!
//! `cargo run --release -p credcore-ld --example rdfc_poison`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::Write as _;
use std::time::Instant;

use credcore_ld::rdfc::{self, Options};
use peak_alloc::PeakAlloc;

#[global_allocator]
static HEAP: PeakAlloc = PeakAlloc;

/// A clique of `n` blank nodes, every ordered pair linked.
fn clique(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        for j in 0..n {
            if i != j {
                let _ = writeln!(s, "_:n{i} <http://example.org/p> _:n{j} .");
            }
        }
    }
    s
}

/// A cycle of `n` blank nodes.
fn cycle(n: usize) -> String {
    (0..n).map(|i| format!("_:n{i} <http://example.org/p> _:n{} .\n", (i + 1) % n)).collect()
}

/// One IRI with `n` identical blank leaves.
fn star(n: usize) -> String {
    (0..n).map(|i| format!("<http://example.org/s> <http://example.org/p> _:n{i} .\n_:n{i} <http://example.org/q> \"x\" .\n")).collect()
}

/// `n` disjoint copies of a 2-cycle (test022's shape, repeated).
fn pairs(n: usize) -> String {
    (0..n).map(|i| format!("_:a{i} <http://example.org/p> _:b{i} .\n_:b{i} <http://example.org/p> _:a{i} .\n")).collect()
}

/// A complete bipartite graph K(n, n) of blank nodes.
fn bipartite(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        for j in 0..n {
            let _ = writeln!(s, "_:l{i} <http://example.org/p> _:r{j} .");
        }
    }
    s
}

fn main() {
    let cases: Vec<(String, String)> = vec![
        ("clique 6".into(), clique(6)),
        ("clique 8".into(), clique(8)),
        ("clique 10 (test074)".into(), clique(10)),
        ("clique 30".into(), clique(30)),
        ("cycle 20".into(), cycle(20)),
        ("cycle 40".into(), cycle(40)),
        ("cycle 200".into(), cycle(200)),
        ("cycle 2000".into(), cycle(2000)),
        ("star 1000".into(), star(1000)),
        ("star 9000".into(), star(9000)),
        ("pairs 1000".into(), pairs(1000)),
        ("pairs 4000".into(), pairs(4000)),
        ("pairs 9000".into(), pairs(9000)),
        ("bipartite 6".into(), bipartite(6)),
        ("bipartite 40".into(), bipartite(40)),
        ("bipartite 140".into(), bipartite(140)),
    ];
    let ceilings =
        Options { max_calls: u64::MAX, max_permutations: u64::MAX, max_depth: usize::MAX, max_steps: u64::MAX, ..Options::default() };
    for options in [Options::default(), ceilings.clamped()] {
        println!("options: {options:?}");
        run(&cases, &options);
    }
}

fn run(cases: &[(String, String)], options: &Options) {
    for (name, text) in cases {
        HEAP.reset_peak_usage();
        let base = HEAP.current_usage();
        let started = Instant::now();
        let result = rdfc::canonicalize_nquads(text, options);
        let ms = started.elapsed().as_secs_f64() * 1e3;
        let peak_mb = (HEAP.peak_usage() - base) as f64 / 1e6;
        match result {
            Ok(c) => println!("{name:<22} {:>8} bytes {ms:>9.2} ms {peak_mb:>7.2} MB  ok    {:?}", text.len(), c.work),
            Err(e) => println!("{name:<22} {:>8} bytes {ms:>9.2} ms {peak_mb:>7.2} MB  {e}", text.len()),
        }
    }
}
