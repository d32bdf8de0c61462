//! RDFC-1.0 beyond the W3C suite: the bounds and their codes, ceilings, input checks, the
//! explicit stack, permutations.

use super::n_degree::next_permutation;
use super::*;
use crate::error::ErrorCode;

fn cycle(n: usize) -> String {
    (0..n).map(|i| format!("_:n{i} <http://example.org/p> _:n{} .\n", (i + 1) % n)).collect()
}

fn clique(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        for j in (0..n).filter(|&j| j != i) {
            s.push_str(&format!("_:n{i} <http://example.org/p> _:n{j} .\n"));
        }
    }
    s
}

fn code(text: &str, options: &Options) -> Option<ErrorCode> {
    canonicalize_nquads(text, options).err().map(|e| e.code)
}

#[test]
fn each_bound_fails_with_its_code() {
    let unbounded =
        Options { max_calls: u64::MAX, max_permutations: u64::MAX, max_depth: usize::MAX, max_steps: u64::MAX, ..Options::default() };
    let text = cycle(12);
    let work = canonicalize_nquads(&text, &unbounded).expect("a 12-cycle canonicalizes").work;
    assert!(work.calls > 1 && work.permutations > 1 && work.depth > 1 && work.steps > 1, "{work:?}");
    // Exactly the work done passes; one less fails with CANONICALIZATION_LIMIT.
    let exact =
        Options { max_calls: work.calls, max_permutations: work.permutations, max_depth: work.depth, max_steps: work.steps, ..unbounded };
    assert_eq!(canonicalize_nquads(&text, &exact).map(|c| c.work), Ok(work));
    for tighter in [
        Options { max_calls: work.calls - 1, ..exact },
        Options { max_permutations: work.permutations - 1, ..exact },
        Options { max_depth: work.depth - 1, ..exact },
        Options { max_steps: work.steps - 1, ..exact },
    ] {
        assert_eq!(code(&text, &tighter), Some(ErrorCode::CanonicalizationLimit), "{tighter:?}");
    }
}

#[test]
fn options_never_pass_the_ceilings() {
    let raised = Options {
        max_quads: usize::MAX,
        max_calls: u64::MAX,
        max_permutations: u64::MAX,
        max_depth: usize::MAX,
        max_steps: u64::MAX,
        ..Options::default()
    };
    let c = raised.clamped();
    assert_eq!(
        (c.max_quads, c.max_calls, c.max_permutations, c.max_depth, c.max_steps),
        (MAX_QUADS_CEILING, MAX_CALLS_CEILING, MAX_PERMUTATIONS_CEILING, MAX_DEPTH_CEILING, MAX_STEPS_CEILING)
    );
    let d = Options::default();
    assert!(d.max_calls <= MAX_CALLS_CEILING && d.max_permutations <= MAX_PERMUTATIONS_CEILING);
    assert!(d.max_depth <= MAX_DEPTH_CEILING && d.max_steps <= MAX_STEPS_CEILING && d.max_quads <= MAX_QUADS_CEILING);
    // A 12-clique (12! orderings of each call's group) fails even with every bound raised to
    // its ceiling, and the raised options are what bound it.
    let started = std::time::Instant::now();
    assert_eq!(code(&clique(12), &raised), Some(ErrorCode::CanonicalizationLimit));
    assert!(started.elapsed() < std::time::Duration::from_secs(60), "{:?}", started.elapsed());
}

#[test]
fn deep_nesting_uses_no_native_stack() {
    // A 150-cycle nests Hash N-Degree Quads about 150 deep; on a 64 KiB stack a recursive
    // implementation would overflow.
    let options = Options {
        max_depth: MAX_DEPTH_CEILING,
        max_steps: MAX_STEPS_CEILING,
        max_calls: MAX_CALLS_CEILING,
        max_permutations: MAX_PERMUTATIONS_CEILING,
        ..Options::default()
    };
    let text = cycle(150);
    let worker = std::thread::Builder::new().stack_size(64 << 10).spawn(move || canonicalize_nquads(&text, &options).map(|c| c.work));
    let work = worker.expect("thread").join().expect("no overflow").expect("canonicalizes");
    assert!(work.depth >= 100, "{work:?}");
    // The default depth refuses it.
    assert_eq!(code(&cycle(150), &Options::default()), Some(ErrorCode::CanonicalizationLimit));
}

#[test]
fn input_checks() {
    let good =
        Quad { subject: Term::Blank("a".into()), predicate: Term::Iri("urn:p".into()), object: Term::Iri("urn:o".into()), graph: None };
    let bad = Quad { object: Term::Iri("urn:o> .\n<urn:x".into()), ..good.clone() };
    assert_eq!(canonicalize(&[good.clone(), bad], &Options::default()).map_err(|e| e.code), Err(ErrorCode::MalformedInput));
    let many = vec![good.clone(); 11];
    let small = Options { max_quads: 10, ..Options::default() };
    assert_eq!(canonicalize(&many, &small).map_err(|e| e.code), Err(ErrorCode::InputTooLarge));
    // Duplicates count once in the output.
    let c = canonicalize(&many[..10], &small).expect("canonicalizes");
    assert_eq!(c.nquads, "_:c14n0 <urn:p> <urn:o> .\n");
    assert_eq!(c.issued.get("a").map(String::as_str), Some("c14n0"));
}

#[test]
fn no_blank_nodes_and_empty() {
    let c = canonicalize(&[], &Options::default()).expect("empty");
    assert_eq!((c.nquads.as_str(), c.issued.len()), ("", 0));
    let text = "<urn:b> <urn:p> \"x\" .\n<urn:a> <urn:p> \"y\"^^<urn:t> <urn:g> .\n";
    let c = canonicalize_nquads(text, &Options::default()).expect("ground");
    assert_eq!(c.nquads, "<urn:a> <urn:p> \"y\"^^<urn:t> <urn:g> .\n<urn:b> <urn:p> \"x\" .\n");
}

#[test]
fn hash_algorithms() {
    assert_eq!(HashAlgorithm::Sha256.hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_eq!(
        HashAlgorithm::Sha384.hex(b"abc"),
        "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"
    );
}

#[test]
fn permutations_in_order_without_repeats() {
    let mut p = vec![0, 1, 2];
    let mut seen = vec![p.clone()];
    while next_permutation(&mut p) {
        seen.push(p.clone());
    }
    assert_eq!(seen, vec![vec![0, 1, 2], vec![0, 2, 1], vec![1, 0, 2], vec![1, 2, 0], vec![2, 0, 1], vec![2, 1, 0]]);
    let mut p = vec![1, 1, 2];
    let mut n = 1;
    while next_permutation(&mut p) {
        n += 1;
    }
    assert_eq!(n, 3);
    assert!(!next_permutation(&mut []));
    assert!(!next_permutation(&mut [7]));
}
