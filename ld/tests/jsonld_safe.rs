//! Safe mode, limits and loaders, from an attacker's side: what a signer's RDF would not cover
//! is an error, never dropped; bounds hold whatever the options; bundled contexts cannot be
//! replaced; bad input gives coded errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::cell::Cell;
use std::sync::Arc;

use credcore_ld::jsonld::{self, Code, DocumentLoader, Error, Limits, NoLoader, Options, RdfDirection, RemoteDocument};
use credcore_ld::rdf::Term;
use serde_json::{json, Value};

fn v1(extra: Value) -> Value {
    let mut doc = json!({
        "@context": ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/data-integrity/v2"],
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "issuanceDate": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:subject"}
    });
    for (k, v) in extra.as_object().unwrap() {
        doc[k] = v.clone();
    }
    doc
}

fn err(doc: &Value) -> Error {
    jsonld::to_rdf(doc, &NoLoader, &Options::default()).expect_err("safe mode must refuse")
}

fn unsafe_(doc: &Value, spec: &str) {
    let e = err(doc);
    assert_eq!((e.code, e.spec), (Code::Unsafe, spec), "{e}");
    // Outside safe mode the same document goes through (the content is dropped).
    assert!(
        jsonld::to_rdf(doc, &NoLoader, &Options { safe: false, base: None, ..Options::default() }).is_ok()
            || spec == "relative @vocab reference"
    );
}

#[test]
fn a_clean_credential_goes_through() {
    let quads = jsonld::to_rdf(&v1(json!({})), &NoLoader, &Options::default()).unwrap();
    assert_eq!(quads.len(), 4);
}

#[test]
fn an_undefined_term_is_refused() {
    unsafe_(&v1(json!({"unsignedClaim": "x"})), "invalid property");
    let mut doc = v1(json!({}));
    doc["credentialSubject"]["degree"] = json!("PhD");
    unsafe_(&doc, "invalid property");
    // Nested under @nest-free containers and keyword aliases alike.
    unsafe_(&v1(json!({"@foo": "x"})), "invalid property");
}

#[test]
fn relative_references_are_refused() {
    unsafe_(&v1(json!({"id": "relative/id"})), "relative @id reference");
    unsafe_(&v1(json!({"type": ["VerifiableCredential", "UndefinedType"]})), "relative @type reference");
    let mut doc = v1(json!({}));
    doc["@context"].as_array_mut().unwrap().push(json!({"@vocab": "relative#"}));
    let e = err(&doc);
    assert_eq!((e.code, e.spec), (Code::Unsafe, "relative @vocab reference"));
}

#[test]
fn dropped_values_are_refused() {
    unsafe_(&json!({"@context": {"@vocab": "urn:v:"}, "@graph": [{"@value": "x"}]}), "object with only @value");
    unsafe_(&json!({"@context": {"@vocab": "urn:v:"}, "@graph": ["scalar"]}), "free-floating scalar");
    unsafe_(&json!({"@context": {"@vocab": "urn:v:"}, "@id": "urn:x"}), "object with only @id");
    unsafe_(&json!({"@context": {"@vocab": "urn:v:"}, "@id": "urn:x", "p": {"@value": null}}), "null @value value");
    unsafe_(
        &json!({"@context": {"@vocab": "urn:v:"}, "@id": "urn:x", "p": {"@value": "x", "@language": "not a tag"}}),
        "invalid @language value",
    );
    unsafe_(&json!({"@context": {"@vocab": "urn:v:", "@foo": "urn:x"}, "@id": "urn:x", "p": "v"}), "reserved term");
}

#[test]
fn direction_needs_an_rdf_direction() {
    let doc = json!({"@context": {"@vocab": "urn:v:"}, "@id": "urn:x", "p": {"@value": "x", "@language": "ar", "@direction": "rtl"}});
    let e = err(&doc);
    assert_eq!(e.spec, "rdfDirection not set");
    let quads =
        jsonld::to_rdf(&doc, &NoLoader, &Options { rdf_direction: Some(RdfDirection::I18nDatatype), ..Options::default() }).unwrap();
    assert_eq!(quads[0].object, Term::Literal { value: "x".into(), datatype: "https://www.w3.org/ns/i18n#ar_rtl".into(), language: None });
}

#[test]
fn protected_terms_cannot_be_redefined() {
    // `issuer` is defined in VerifiableCredential's type-scoped context, which is applied after
    // the document's own contexts: an outer redefinition has no effect on the RDF.
    let mut doc = v1(json!({}));
    doc["@context"].as_array_mut().unwrap().push(json!({"issuer": "urn:attacker:issuer"}));
    let clean = jsonld::to_rdf(&v1(json!({})), &NoLoader, &Options::default()).unwrap();
    assert_eq!(jsonld::to_rdf(&doc, &NoLoader, &Options::default()).unwrap(), clean);
    let mut doc = v1(json!({}));
    doc["@context"].as_array_mut().unwrap().push(json!({"VerifiableCredential": "urn:attacker:Type"}));
    let e = err(&doc);
    assert_eq!((e.code, e.spec), (Code::Invalid, "protected term redefinition"), "{e}");
    let mut doc = v1(json!({}));
    doc["@context"].as_array_mut().unwrap().push(Value::Null);
    assert_eq!(err(&doc).spec, "invalid context nullification");
}

#[test]
fn json_literals_are_canonical() {
    let doc = json!({"@context": {"p": {"@id": "urn:p", "@type": "@json"}}, "@id": "urn:x", "p": {"b": [1.0, 2e0, "é"], "a": null}});
    let quads = jsonld::to_rdf(&doc, &NoLoader, &Options::default()).unwrap();
    assert_eq!(
        quads[0].object,
        Term::Literal {
            value: r#"{"a":null,"b":[1,2,"é"]}"#.into(),
            datatype: "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON".into(),
            language: None
        }
    );
}

/// A loader that counts its calls and serves a context that includes itself.
struct Looping(Cell<usize>);

impl DocumentLoader for Looping {
    fn load(&self, url: &str) -> Result<RemoteDocument, Error> {
        self.0.set(self.0.get() + 1);
        let n = self.0.get();
        Ok(RemoteDocument {
            url: url.to_owned(),
            document: Arc::new(json!({"@context": [format!("https://loop.example/{n}"), {"p": "urn:p"}]})),
        })
    }
}

#[test]
fn limits_hold_and_options_cannot_raise_them_past_the_ceiling() {
    let l = Looping(Cell::new(0));
    let e = jsonld::to_rdf(&json!({"@context": "https://loop.example/0", "p": "v"}), &l, &Options::default()).unwrap_err();
    assert_eq!(e.code, Code::Limit, "{e}");
    assert!(l.0.get() <= Limits::default().max_remote_contexts);

    let mut deep = json!("v");
    for _ in 0..200 {
        deep = json!({"p": deep});
    }
    deep["@context"] = json!({"@vocab": "urn:v:"});
    let huge = Options { limits: Limits { max_depth: usize::MAX, ..Limits::default() }, ..Options::default() };
    assert_eq!(jsonld::to_rdf(&deep, &NoLoader, &huge).unwrap_err().code, Code::Limit);

    let many: Vec<Value> = (0..2000).map(|i| json!(format!("v{i}"))).collect();
    let doc = json!({"@context": {"@vocab": "urn:v:"}, "@id": "urn:x", "p": many});
    let small = Options { limits: Limits { max_quads: 100, ..Limits::default() }, ..Options::default() };
    assert_eq!(jsonld::to_rdf(&doc, &NoLoader, &small).unwrap_err().code, Code::Limit);
    let few = Options { limits: Limits { max_values: 100, ..Limits::default() }, ..Options::default() };
    assert_eq!(jsonld::to_rdf(&doc, &NoLoader, &few).unwrap_err().code, Code::Limit);
    assert_eq!(Limits { max_quads: usize::MAX, ..Limits::default() }.clamped().max_quads, Limits::CEILING.max_quads);
}

/// A loader that would serve its own version of every URL.
struct Impostor;

impl DocumentLoader for Impostor {
    fn load(&self, url: &str) -> Result<RemoteDocument, Error> {
        Ok(RemoteDocument { url: url.to_owned(), document: Arc::new(json!({"@context": {"@vocab": "urn:attacker:"}})) })
    }
}

#[test]
fn bundled_contexts_come_first() {
    let doc = v1(json!({}));
    let a = jsonld::to_rdf(&doc, &NoLoader, &Options::default()).unwrap();
    let b = jsonld::to_rdf(&doc, &Impostor, &Options::default()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn bad_input_gives_coded_errors() {
    for doc in [
        json!({"@context": 5}),
        json!({"@context": {"p": {"@id": 5}}}),
        json!({"@context": {"p": {"@container": "@bogus"}}, "p": 1}),
        json!({"@context": {"a": "b:c", "b": "a:c"}, "a": 1}),
        json!({"@context": {"@vocab": "urn:v:"}, "@id": 5}),
        json!({"@context": {"@vocab": "urn:v:"}, "@type": {"x": 1}}),
        json!({"@context": {"@vocab": "urn:v:"}, "p": {"@value": "x", "q": 1}}),
        json!({"@context": {"@vocab": "urn:v:"}, "@reverse": 1}),
    ] {
        let e = jsonld::to_rdf(&doc, &NoLoader, &Options::default()).unwrap_err();
        assert!(matches!(e.code, Code::Invalid | Code::Unsafe), "{doc}: {e}");
    }
}

/// Serves one context and counts how often.
struct Counting(Cell<usize>);

impl DocumentLoader for Counting {
    fn load(&self, url: &str) -> Result<RemoteDocument, Error> {
        self.0.set(self.0.get() + 1);
        Ok(RemoteDocument { url: url.to_owned(), document: Arc::new(json!({"@context": {"p": "urn:p:"}})) })
    }
}

#[test]
fn the_context_cache_changes_no_result() {
    let doc = v1(json!({}));
    let first = jsonld::to_rdf(&doc, &NoLoader, &Options::default()).unwrap();
    assert_eq!(jsonld::to_rdf(&doc, &NoLoader, &Options::default()).unwrap(), first);
    // Processed under other limits, a cached context is not reused: small limits still fail.
    let small = Options { limits: Limits { max_context_work: 50, ..Limits::default() }, ..Options::default() };
    assert_eq!(jsonld::to_rdf(&doc, &NoLoader, &small).unwrap_err().code, Code::Limit);
    // Safe mode is part of the key: an unsafe run does not serve a safe one.
    let bad = json!({"@context": ["https://www.w3.org/ns/credentials/examples/v2", {"@foo": "urn:x"}], "@id": "urn:x", "p": "v"});
    let lax = Options { safe: false, ..Options::default() };
    assert!(jsonld::to_rdf(&bad, &NoLoader, &lax).is_ok());
    assert_eq!(jsonld::to_rdf(&bad, &NoLoader, &Options::default()).unwrap_err().spec, "reserved term");
    // What the caller's loader served is asked again on the next call, never kept.
    let l = Counting(Cell::new(0));
    let d = json!({"@context": "https://example.com/ctx", "@id": "urn:x", "p": "v"});
    let a = jsonld::to_rdf(&d, &l, &Options::default()).unwrap();
    let b = jsonld::to_rdf(&d, &l, &Options::default()).unwrap();
    assert_eq!((a, l.0.get()), (b, 2));
}

/// At the depth ceiling, expansion and toRdf fit in 512 KiB of stack (wasm32's default stack is
/// 1 MiB): the recursion is bounded by `max_depth`, not by the input.
#[test]
fn the_deepest_document_fits_a_small_stack() {
    let run = || {
        let mut deep = json!({"@value": "v"});
        for _ in 0..200 {
            deep = json!({"p": [deep]});
        }
        deep["@context"] = json!({"@vocab": "urn:v:"});
        let ceiling = Options { limits: Limits::CEILING, ..Options::default() };
        let e = jsonld::to_rdf(&deep, &NoLoader, &ceiling).unwrap_err();
        assert_eq!(e.code, Code::Limit);
        let mut ok = json!("v");
        for _ in 0..40 {
            ok = json!({"p": [ok]});
        }
        ok["@context"] = json!({"@vocab": "urn:v:"});
        assert_eq!(jsonld::to_rdf(&ok, &NoLoader, &ceiling).unwrap().len(), 40);
    };
    std::thread::Builder::new().stack_size(512 * 1024).spawn(run).unwrap().join().unwrap();
}

/// Fuzz regression (fuzz/regressions/jsonld_to_rdf/cached-context-under-small-limits): a call
/// that fails on a limit caches the contexts it processed; the same call again must fail the same
/// way, not get further because hits cost less.
#[test]
fn a_cache_hit_costs_what_processing_costs() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions/jsonld_to_rdf/cached-context-under-small-limits");
    let bytes = std::fs::read(path).unwrap();
    let doc: Value = serde_json::from_slice(&bytes[1..]).unwrap();
    let small = Options {
        limits: Limits { max_contexts: 16, max_remote_contexts: 2, max_context_work: 2_000, max_depth: 12, max_values: 200, max_quads: 50 },
        ..Options::default()
    };
    let first = jsonld::to_rdf(&doc, &NoLoader, &small);
    assert_eq!(first.as_ref().unwrap_err().code, Code::Limit);
    for _ in 0..3 {
        assert_eq!(jsonld::to_rdf(&doc, &NoLoader, &small), first);
    }
    // Every limit, cold and warm: the same result.
    let credential: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/vectors/vc-di-eddsa/TestVectors/Ed25519Signature2020/signedEdSig.json"),
        )
        .unwrap(),
    )
    .unwrap();
    for n in 0..30 {
        for set in [
            |l: &mut Limits, n| l.max_contexts = n,
            |l: &mut Limits, n| l.max_remote_contexts = n / 4,
            |l: &mut Limits, n| l.max_context_work = n * 40,
            |l: &mut Limits, n| l.max_depth = n / 3,
        ] {
            let mut limits = Limits::default();
            set(&mut limits, n);
            let o = Options { limits, ..Options::default() };
            let cold = jsonld::to_rdf(&credential, &NoLoader, &o);
            assert_eq!(jsonld::to_rdf(&credential, &NoLoader, &o), cold, "{limits:?}");
        }
    }
}
