//! JSON-LD expansion and toRdf (`credcore_ld::jsonld`) with the bundled contexts and no other
//! loader.
//!
//! Input layout: byte 0 is the configuration (bit 0: safe mode off; bit 1: `rdfDirection`
//! i18n-datatype; bit 2: a base IRI; bit 3: small limits), the rest is the JSON document.
//!
//! Invariants: no panic; an error has one of the four codes; two runs give the same result
//! (blank node labels included); `to_rdf` equals toRdf of `expand`'s output; what safe mode
//! accepts, the unsafe mode gives identically; every quad has an IRI or blank node subject, an
//! IRI predicate, and in safe mode only absolute IRIs; the quad count is within the limit.

#![no_main]

use credcore_ld::jsonld::{self, Code, Limits, NoLoader, Options, RdfDirection};
use credcore_ld::rdf::Term;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn absolute(s: &str) -> bool {
    let mut it = s.splitn(2, ':');
    let scheme = it.next().unwrap_or("");
    it.next().is_some() && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
}

fuzz_target!(|data: &[u8]| {
    let Some((&cfg, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let Ok(doc) = serde_json::from_str::<Value>(text) else { return };
    let mut limits = Limits::default();
    if cfg & 8 != 0 {
        limits =
            Limits { max_contexts: 16, max_remote_contexts: 2, max_context_work: 2_000, max_depth: 12, max_values: 200, max_quads: 50 };
    }
    let options = Options {
        safe: cfg & 1 == 0,
        rdf_direction: (cfg & 2 != 0).then_some(RdfDirection::I18nDatatype),
        base: (cfg & 4 != 0).then(|| "https://example.org/base/doc".to_owned()),
        limits,
    };
    let first = jsonld::to_rdf(&doc, &NoLoader, &options);
    let second = jsonld::to_rdf(&doc, &NoLoader, &options);
    assert_eq!(first, second, "toRdf is not deterministic");
    let via_expand = jsonld::expand(&doc, &NoLoader, &options).and_then(|e| jsonld::rdf_of_expanded(&e, &options));
    match (&first, &via_expand) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "to_rdf differs from toRdf of expand"),
        (Err(a), Err(b)) => assert_eq!(a.code, b.code),
        _ => panic!("to_rdf and expand+toRdf disagree: {first:?} / {via_expand:?}"),
    }
    let quads = match first {
        Ok(q) => q,
        Err(e) => {
            assert!(matches!(e.code, Code::Invalid | Code::Limit | Code::ContextUnavailable | Code::Unsafe));
            return;
        }
    };
    assert!(quads.len() <= options.limits.max_quads);
    for q in &quads {
        assert!(matches!(q.subject, Term::Iri(_) | Term::Blank(_)), "{q:?}");
        assert!(matches!(q.predicate, Term::Iri(_)), "{q:?}");
        if options.safe {
            for t in [Some(&q.subject), Some(&q.predicate), Some(&q.object), q.graph.as_ref()].into_iter().flatten() {
                if let Term::Iri(i) = t {
                    assert!(absolute(i), "a relative IRI in safe mode: {q:?}");
                }
            }
        }
    }
    if options.safe {
        let lax = Options { safe: false, ..options.clone() };
        assert_eq!(jsonld::to_rdf(&doc, &NoLoader, &lax).as_ref(), Ok(&quads), "safe and unsafe modes disagree on an accepted document");
    }
});
