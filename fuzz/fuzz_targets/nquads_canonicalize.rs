//! N-Quads parsing and RDFC-1.0: `credcore_ld::nquads::parse` then `rdfc::canonicalize`.
//!
//! Invariants: parsing never panics; what parses writes back (`nquads::serialize`) to text that
//! parses to the same quads; parsed quads pass `check_quad`, so canonicalization fails only on a
//! work bound (`CANONICALIZATION_LIMIT`); canonical text is sorted distinct lines, parses, and is
//! its own canonical form; the issued map is a bijection of the input labels onto
//! `c14n0..c14n{n-1}`; the same dataset with its quads reversed and its blank nodes renamed has
//! the same canonical form (the point of canonicalization).

#![no_main]

use std::collections::BTreeSet;

use credcore_ld::nquads;
use credcore_ld::rdf::{Quad, Term};
use credcore_ld::rdfc::{self, Options};
use credcore_ld::ErrorCode;
use libfuzzer_sys::fuzz_target;

fn rename(term: &Term) -> Term {
    match term {
        Term::Blank(label) => Term::Blank(format!("r{}", label.len()) + &label.chars().rev().collect::<String>()),
        other => other.clone(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(quads) = nquads::parse(text) else { return };
    for quad in &quads {
        nquads::check_quad(quad).expect("parsed quads are well formed");
    }
    let written = nquads::serialize(&quads);
    assert_eq!(nquads::parse(&written).as_ref(), Ok(&quads), "serialize then parse changes the quads");

    let options = Options::default();
    let canonical = match rdfc::canonicalize(&quads, &options) {
        Ok(c) => c,
        Err(e) => {
            assert_eq!(e.code, ErrorCode::CanonicalizationLimit, "parsed quads fail canonicalization: {e}");
            return;
        }
    };
    let lines: Vec<&str> = canonical.nquads.split_inclusive('\n').collect();
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "canonical lines are sorted and distinct");

    let labels: BTreeSet<&str> = quads
        .iter()
        .flat_map(|q| [Some(&q.subject), Some(&q.object), q.graph.as_ref()])
        .flatten()
        .filter_map(|t| if let Term::Blank(l) = t { Some(l.as_str()) } else { None })
        .collect();
    let keys: BTreeSet<&str> = canonical.issued.keys().map(String::as_str).collect();
    assert_eq!(keys, labels, "the issued map covers the input blank nodes");
    let values: BTreeSet<String> = canonical.issued.values().cloned().collect();
    let expected: BTreeSet<String> = (0..labels.len()).map(|i| format!("c14n{i}")).collect();
    assert_eq!(values, expected, "canonical labels are c14n0..n-1, each once");

    let reparsed = nquads::parse(&canonical.nquads).expect("canonical N-Quads parse");
    assert_eq!(nquads::serialize(&reparsed), canonical.nquads, "canonical N-Quads are written as they read");
    if let Ok(again) = rdfc::canonicalize(&reparsed, &options) {
        assert_eq!(again.nquads, canonical.nquads, "canonical N-Quads are their own canonical form");
    }

    let renamed: Vec<Quad> = quads
        .iter()
        .rev()
        .map(|q| Quad { subject: rename(&q.subject), predicate: q.predicate.clone(), object: rename(&q.object), graph: q.graph.as_ref().map(rename) })
        .collect();
    if let Ok(other) = rdfc::canonicalize(&renamed, &options) {
        assert_eq!(other.nquads, canonical.nquads, "an isomorphic dataset canonicalizes differently");
    }
});
