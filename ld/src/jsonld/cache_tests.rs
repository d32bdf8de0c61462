//! The processed-context cache gives what processing without it gives: documents that differ
//! only in a scoped context, a protected term's redefinition or the contexts around a bundled
//! one, in any order and repeated, against the same documents with the cache off.

#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};

use super::context::{CACHE_HITS, CACHE_OFF};
use super::{to_rdf, NoLoader, Options};
use crate::rdf::Quad;

const VC2: &str = "https://www.w3.org/ns/credentials/v2";
const OB3: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

/// The quads of `doc`, or its error's code and spec name.
fn outcome(doc: &Value, options: &Options) -> Result<Vec<Quad>, (String, String)> {
    to_rdf(doc, &NoLoader, options).map_err(|e| (e.code.as_str().to_owned(), e.spec.to_owned()))
}

fn uncached(doc: &Value, options: &Options) -> Result<Vec<Quad>, (String, String)> {
    CACHE_OFF.with(|c| c.set(true));
    let out = outcome(doc, options);
    CACHE_OFF.with(|c| c.set(false));
    out
}

fn credential(context: Value, extra: Value) -> Value {
    let mut doc = json!({
        "@context": context, "id": "urn:uuid:1", "type": ["VerifiableCredential", "ExampleCredential"],
        "issuer": "did:example:issuer", "credentialSubject": {"id": "did:example:s", "name": "N"}
    });
    if let (Some(d), Value::Object(e)) = (doc.as_object_mut(), extra) {
        d.extend(e);
    }
    doc
}

/// Documents that share bundled contexts and differ in what is around them.
fn documents() -> Vec<Value> {
    let scoped = |p: &str| json!([VC2, {"ExampleCredential": {"@id": "urn:example:ExampleCredential", "@context": {"level": format!("urn:example:{p}")}}}]);
    vec![
        // Differ only in a type-scoped context.
        credential(scoped("level-a"), json!({"level": 1})),
        credential(scoped("level-b"), json!({"level": 1})),
        // The same scoped context on a property instead.
        credential(
            json!([VC2, {"ExampleCredential": "urn:example:ExampleCredential", "team": {"@id": "urn:example:team", "@context": {"floor": "urn:example:floor-a"}}}]),
            json!({"team": {"floor": 3}}),
        ),
        credential(
            json!([VC2, {"ExampleCredential": "urn:example:ExampleCredential", "team": {"@id": "urn:example:team", "@context": {"floor": "urn:example:floor-b"}}}]),
            json!({"team": {"floor": 3}}),
        ),
        // A protected term redefined: the same definition is allowed, another is an error.
        credential(
            json!([VC2, {"ExampleCredential": "urn:example:ExampleCredential", "name": "https://schema.org/name"}]),
            json!({"name": "x"}),
        ),
        credential(json!([VC2, {"ExampleCredential": "urn:example:ExampleCredential", "name": "urn:example:name"}]), json!({"name": "x"})),
        // A protected term of a type-scoped context (VerifiableCredential's `credentialSubject`).
        credential(
            json!([VC2, {"ExampleCredential": {"@id": "urn:example:ExampleCredential", "@context": {"credentialSubject": "urn:example:cs"}}}]),
            json!({}),
        ),
        // Override of protected terms by a property-scoped context is allowed.
        credential(
            json!([VC2, {"ExampleCredential": "urn:example:ExampleCredential", "team": {"@id": "urn:example:team", "@context": {"name": "urn:example:team-name"}}}]),
            json!({"team": {"name": "T"}}),
        ),
        // The bundled lists alone, in another order, and with Open Badges.
        credential(json!([VC2, "https://www.w3.org/ns/credentials/examples/v2"]), json!({})),
        credential(json!(["https://www.w3.org/ns/credentials/examples/v2", VC2]), json!({})),
        credential(
            json!([VC2, OB3]),
            json!({"type": ["VerifiableCredential", "OpenBadgeCredential"], "credentialSubject": {"type": ["AchievementSubject"], "achievement": {"id": "urn:uuid:3", "type": ["Achievement"], "name": "A", "criteria": {"narrative": "N"}}}}),
        ),
        credential(
            json!([VC2, OB3, {"Achievement": {"@id": "urn:example:Achievement", "@context": {"name": "urn:example:an"}}}]),
            json!({"type": ["VerifiableCredential", "OpenBadgeCredential"], "credentialSubject": {"type": ["AchievementSubject"], "achievement": {"id": "urn:uuid:3", "type": ["Achievement"], "name": "A"}}}),
        ),
        // A propagating and a non-propagating scoped context.
        credential(
            json!([VC2, {"ExampleCredential": {"@id": "urn:example:ExampleCredential", "@context": {"@propagate": true, "floor": "urn:example:f"}}}]),
            json!({"credentialSubject": {"id": "did:example:s", "floor": 1}}),
        ),
        credential(
            json!([VC2, {"ExampleCredential": {"@id": "urn:example:ExampleCredential", "@context": {"floor": "urn:example:f"}}}]),
            json!({"credentialSubject": {"id": "did:example:s", "floor": 1}}),
        ),
    ]
}

#[test]
fn cached_results_are_the_uncached_ones() {
    let docs = documents();
    let want: Vec<_> = docs.iter().map(|d| uncached(d, &Options::default())).collect();
    // The cases above are what they claim: some pass, some fail, and the pairs differ.
    assert!(want.iter().filter(|w| w.is_ok()).count() >= 8 && want.iter().any(Result::is_err));
    assert_ne!(want[0], want[1]);
    assert_ne!(want[2], want[3]);
    assert_eq!(want[5].as_ref().unwrap_err().1, "protected term redefinition");
    let hits = CACHE_HITS.with(std::cell::Cell::get);
    for round in 0..3 {
        // Forward, backward and interleaved, so each document meets the others' cache entries.
        let order: Vec<usize> = match round {
            0 => (0..docs.len()).collect(),
            1 => (0..docs.len()).rev().collect(),
            _ => (0..docs.len()).map(|i| (i * 5) % docs.len()).collect(),
        };
        for i in order {
            assert_eq!(outcome(&docs[i], &Options::default()), want[i], "document {i}, round {round}");
        }
    }
    // The documents whose contexts are URL lists of bundled contexts (three of them) got them,
    // and their scoped contexts, from the cache in every round.
    let hits = CACHE_HITS.with(std::cell::Cell::get) - hits;
    assert!(hits >= 3 * 3);
}

/// Entries made under one initial context (safe mode, base IRI, limits) serve no other.
#[test]
fn options_are_part_of_the_key() {
    let doc = credential(json!([VC2, {"ExampleCredential": "urn:example:ExampleCredential"}]), json!({"credentialSubject": {"id": "s"}}));
    let safe = Options::default();
    let based = Options { base: Some("https://example.org/".into()), ..Options::default() };
    let unsafe_ = Options { safe: false, ..Options::default() };
    for _ in 0..2 {
        for o in [&safe, &based, &unsafe_] {
            assert_eq!(outcome(&doc, o), uncached(&doc, o));
        }
    }
    assert!(outcome(&doc, &safe).is_err() && outcome(&doc, &based).is_ok());
}
