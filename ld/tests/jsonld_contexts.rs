//! The bundled contexts: each file's SHA-256 against the published digest (VC Data Model 1.1
//! and 2.0 publish those of the credentials contexts) or the one recorded in
//! ld/contexts/README.md; each parses, processes in safe mode and loads offline.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use credcore_ld::jsonld::{self, Bundled, DocumentLoader, NoLoader, Options, BUNDLED};
use serde_json::json;
use sha2::{Digest, Sha256};

const DIGESTS: &[(&str, &str)] = &[
    ("credentials-v1.jsonld", "ab4ddd9a531758807a79a5b450510d61ae8d147eab966cc9a200c07095b0cdcc"),
    ("credentials-v2.jsonld", "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"),
    ("credentials-examples-v1.jsonld", "2070ae4e75bc3b4c2cfe2b8b6e86ec45119672bbb5da283f0399ea96c60a0104"),
    ("credentials-examples-v2.jsonld", "57393fbc69d6efb9b9b5dc9cb6b9880b0944360abfe2eaf459c9e58cf2279d7c"),
    ("data-integrity-v1.jsonld", "b5d829bd09aa7c42abc6efa0c8ed7635313b5487f37ccfce3ecd149ca9418554"),
    ("data-integrity-v2.jsonld", "0f77743daf5b4e8fc067fc5ba5b21044283053aa717fc6b0219843bed3b00363"),
    ("security-v1.jsonld", "abaf97e107d1925503c433dcaf3ffd2831697cacc1ed2a293e1bc8030d5bcb47"),
    ("security-v2.jsonld", "611bd81151d5efe53ec9aed78f5a813e577287bc9451ee26d6879b1b8b46bc3b"),
    ("ed25519-signature-2020-v1.jsonld", "b9e1ab971fd8bf2c7553e0c4a9438e0b9450afde1ea1ca5b2492368b9f549588"),
    ("multikey-v1.jsonld", "c5f3806f8286920573221938917988a18a4cc5a09e968d29649613c7a1c2b1f6"),
    ("jws-2020-v1.jsonld", "d648e05ddc6577827ca2bfd5e931f53e9ebc6e52a57a8da81df4ec8c46ffcd1e"),
    ("vc-status-list-2021-v1.jsonld", "634d71c159289f068c96012e4511c657fdf82ac4231900081bda3ba24e2e1160"),
    ("ob-v3p0-context-3.0.jsonld", "9f1c8f9f361ba2994b9b50701f41149919542c50c7b7455b2846d87959295d72"),
    ("ob-v3p0-context-3.0.1.jsonld", "af095468326d3449160509b26ca71576e6321d13c85b0369cfe3b654c9a48fba"),
    ("ob-v3p0-context-3.0.2.jsonld", "00666ad080ba407687ed1846b7f5e7495f5019042b202a727de47c48a1755c53"),
    ("ob-v3p0-context-3.0.3.jsonld", "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761"),
];

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn every_bundled_context_has_its_digest() {
    assert_eq!(BUNDLED.len(), DIGESTS.len());
    for c in BUNDLED {
        let want = DIGESTS.iter().find(|(f, _)| *f == c.file).unwrap_or_else(|| panic!("no digest for {}", c.file)).1;
        assert_eq!(hex(&Sha256::digest(c.text.as_bytes())), want, "{}", c.file);
    }
}

#[test]
fn every_bundled_context_processes_offline_in_safe_mode() {
    for c in BUNDLED {
        assert!(Bundled.load(c.url).is_ok(), "{}", c.url);
        // A node typed with nothing, under the context alone: the context itself must process.
        let doc = json!({"@context": c.url, "@id": "urn:example:x", "urn:example:p": "v"});
        let result = jsonld::expand(&doc, &NoLoader, &Options::default());
        if c.file == "credentials-examples-v1.jsonld" {
            // It imports the ODRL context, which is not bundled: the caller's loader must have it.
            let e = result.unwrap_err();
            assert!(e.code.as_str() == "JSONLD_CONTEXT_UNAVAILABLE" && e.message.contains("https://www.w3.org/ns/odrl.jsonld"), "{e}");
            continue;
        }
        let out = result.unwrap_or_else(|e| panic!("{}: {e}", c.url));
        assert_eq!(out.as_array().map(Vec::len), Some(1), "{}", c.url);
    }
}

#[test]
fn nothing_else_loads() {
    let doc = json!({"@context": "https://example.com/unknown-context", "urn:example:p": "v"});
    let e = jsonld::expand(&doc, &NoLoader, &Options::default()).unwrap_err();
    assert_eq!(e.code.as_str(), "JSONLD_CONTEXT_UNAVAILABLE");
}

fn has_type(quads: &[credcore_ld::rdf::Quad], iri: &str) -> bool {
    quads.iter().any(|q| q.object == credcore_ld::rdf::Term::Iri(iri.to_owned()))
}

#[test]
fn credentials_with_bundled_contexts_go_through_safe_mode() {
    let ob = json!({"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:2", "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:example:i", "type": ["Profile"], "name": "I"}, "validFrom": "2024-01-01T00:00:00Z", "name": "Badge",
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {"id": "urn:uuid:3", "type": ["Achievement"], "name": "A", "description": "D", "criteria": {"narrative": "N"}}}});
    let quads = jsonld::to_rdf(&ob, &NoLoader, &Options::default()).unwrap();
    assert!(has_type(&quads, "https://purl.imsglobal.org/spec/vc/ob/vocab.html#Achievement"));
    let status = json!({"@context": ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/suites/ed25519-2020/v1", "https://w3id.org/vc/status-list/2021/v1"],
        "id": "urn:uuid:1", "type": ["VerifiableCredential"], "issuer": {"id": "did:example:i"}, "issuanceDate": "2024-01-01T00:00:00Z",
        "credentialStatus": {"id": "https://example.com/status/1#9", "type": "StatusList2021Entry", "statusPurpose": "revocation", "statusListIndex": "9", "statusListCredential": "https://example.com/status/1"},
        "credentialSubject": {"id": "did:example:s"}});
    let quads = jsonld::to_rdf(&status, &NoLoader, &Options::default()).unwrap();
    assert!(has_type(&quads, "https://w3id.org/vc/status-list#StatusList2021Entry"));
    // The JWS 2020 context defines no `controller` for JsonWebKey2020: safe mode refuses it.
    let jws = json!({"@context": ["https://w3id.org/security/suites/jws-2020/v1"], "id": "did:example:k#1", "type": "JsonWebKey2020", "controller": "did:example:k"});
    assert_eq!(jsonld::to_rdf(&jws, &NoLoader, &Options::default()).unwrap_err().spec, "invalid property");
    let jws = json!({"@context": ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/suites/jws-2020/v1"],
        "id": "did:example:k#1", "type": "JsonWebKey2020", "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}});
    let quads = jsonld::to_rdf(&jws, &NoLoader, &Options::default()).unwrap();
    assert!(quads.iter().any(
        |q| matches!(&q.object, credcore_ld::rdf::Term::Literal { value, .. } if value == r#"{"crv":"Ed25519","kty":"OKP","x":"AAAA"}"#)
    ));
}
