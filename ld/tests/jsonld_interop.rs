//! Interop with jsonld.js (npm `jsonld`, the Data Integrity reference stack), in safe mode
//! with the same contexts: for every document, both give the same dataset (up to blank node
//! labels) or both refuse it. Documents: the vc-di-eddsa vectors, credentials over each
//! bundled context, and attacks that safe mode must refuse. Needs `node` and the repository's
//! `node_modules/jsonld` (installed by the project's setup); fails without them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use credcore_ld::jsonld::{self, DocumentLoader, Error, Options, RemoteDocument};
use serde_json::{json, Value};

struct Citizenship;

impl DocumentLoader for Citizenship {
    fn load(&self, url: &str) -> Result<RemoteDocument, Error> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/vc-di-eddsa/citizenship-v4rc1.jsonld");
        if url != "https://w3id.org/citizenship/v4rc1" {
            return Err(Error::context_unavailable(url));
        }
        let document = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        Ok(RemoteDocument { url: url.to_owned(), document: Arc::new(document) })
    }
}

fn corpus() -> Vec<(String, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/vc-di-eddsa/TestVectors");
    let mut docs = Vec::new();
    for f in [
        "unsigned.json",
        "employmentAuth.json",
        "eddsa-rdfc-2022/proofConfigDataInt.json",
        "eddsa-rdfc-2022/employ/proofConfigDataInt.json",
        "Ed25519Signature2020/signedEdSig.json",
        "Ed25519Signature2020/proofConfigEdSig.json",
    ] {
        docs.push((f.to_owned(), serde_json::from_str(&std::fs::read_to_string(root.join(f)).unwrap()).unwrap()));
    }
    let v1 = json!(["https://www.w3.org/2018/credentials/v1"]);
    let v2 = json!(["https://www.w3.org/ns/credentials/v2"]);
    let with = |base: &Value, extra: &[&str]| {
        let mut c = base.as_array().unwrap().clone();
        c.extend(extra.iter().map(|e| json!(e)));
        Value::Array(c)
    };
    let cred = |ctx: Value, extra: Value| {
        let mut d = json!({"@context": ctx, "id": "urn:uuid:1", "type": ["VerifiableCredential"], "issuer": "did:example:i", "credentialSubject": {"id": "did:example:s"}});
        for (k, v) in extra.as_object().unwrap() {
            d[k] = v.clone();
        }
        d
    };
    docs.push(("v1 plain".into(), cred(v1.clone(), json!({"issuanceDate": "2024-01-01T00:00:00Z"}))));
    docs.push((
        "v2 undefined terms (both refuse)".into(),
        cred(v2.clone(), json!({"validFrom": "2024-01-01T00:00:00Z", "extra": {"n": 1.5, "b": true, "i": 7}})),
    ));
    docs.push((
        "v2 language and direction".into(),
        cred(v2.clone(), json!({"name": {"@value": "x", "@language": "en"}, "description": [{"@value": "y", "@language": "fr"}]})),
    ));
    docs.push(("v2 direction".into(), cred(v2.clone(), json!({"name": {"@value": "x", "@language": "ar", "@direction": "rtl"}}))));
    docs.push((
        "v2 + data integrity proof".into(),
        cred(with(&v2, &["https://w3id.org/security/data-integrity/v2"]), json!({"proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2024-01-01T00:00:00Z", "verificationMethod": "did:key:z6Mk#z6Mk", "proofPurpose": "assertionMethod", "proofValue": "z1"}})),
    ));
    docs.push((
        "v1 + status list 2021 + ed25519 2020".into(),
        cred(with(&v1, &["https://w3id.org/vc/status-list/2021/v1", "https://w3id.org/security/suites/ed25519-2020/v1"]), json!({"issuanceDate": "2024-01-01T00:00:00Z", "credentialStatus": {"id": "https://e.com/s#1", "type": "StatusList2021Entry", "statusPurpose": "revocation", "statusListIndex": "1", "statusListCredential": "https://e.com/s"}, "proof": {"type": "Ed25519Signature2020", "created": "2024-01-01T00:00:00Z", "verificationMethod": "did:key:z6Mk#z6Mk", "proofPurpose": "assertionMethod", "proofValue": "z1"}})),
    ));
    docs.push(("multikey document".into(), json!({"@context": ["https://w3id.org/security/multikey/v1"], "id": "did:key:z6Mk#z6Mk", "type": "Multikey", "controller": "did:key:z6Mk", "publicKeyMultibase": "z6Mk"})));
    docs.push(("security v2 key".into(), json!({"@context": ["https://w3id.org/security/v2"], "id": "did:example:k#1", "type": "Ed25519VerificationKey2018", "controller": "did:example:k", "publicKeyBase58": "abc"})));
    docs.push(("jws 2020".into(), json!({"@context": ["https://w3id.org/security/suites/jws-2020/v1"], "id": "did:example:k#1", "type": "JsonWebKey2020", "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}})));
    for ob in ["context.json", "context-3.0.1.json", "context-3.0.2.json", "context-3.0.3.json"] {
        docs.push((format!("open badges {ob}"), cred(with(&v2, &[&format!("https://purl.imsglobal.org/spec/ob/v3p0/{ob}")]), json!({"type": ["VerifiableCredential", "OpenBadgeCredential"], "validFrom": "2024-01-01T00:00:00Z", "name": "B", "credentialSubject": {"type": ["AchievementSubject"], "achievement": {"id": "urn:uuid:3", "type": ["Achievement"], "name": "A", "criteria": {"narrative": "N"}}}}))));
    }
    docs.push(("v2 examples".into(), cred(with(&v2, &["https://www.w3.org/ns/credentials/examples/v2"]), json!({"type": ["VerifiableCredential", "ExampleDegreeCredential"], "credentialSubject": {"id": "did:example:s", "degree": {"type": "ExampleBachelorDegree", "name": "B"}}}))));
    docs.push((
        "v2 graph container".into(),
        json!({"@context": v2, "type": "VerifiablePresentation", "verifiableCredential": [cred(v2.clone(), json!({}))]}),
    ));
    // Attacks: both must refuse.
    docs.push(("attack: undefined term".into(), cred(v1.clone(), json!({"issuanceDate": "2024-01-01T00:00:00Z", "unsigned": "x"}))));
    docs.push(("attack: relative id".into(), cred(v2.clone(), json!({"id": "relative"}))));
    docs.push(("attack: relative type".into(), cred(v1.clone(), json!({"type": ["VerifiableCredential", "Nope"]}))));
    docs.push((
        "attack: protected redefinition".into(),
        cred(
            with(&v2, &[])
                .as_array()
                .map(|a| {
                    let mut a = a.clone();
                    a.push(json!({"VerifiableCredential": "urn:x"}));
                    Value::Array(a)
                })
                .unwrap(),
            json!({}),
        ),
    ));
    docs.push(("attack: free-floating value".into(), json!({"@context": v2, "@graph": [{"@value": "x"}]})));
    docs.push(("attack: bad language".into(), cred(v2.clone(), json!({"name": {"@value": "x", "@language": "not a tag"}}))));
    docs
}

#[test]
fn jsonld_js_gives_the_same_datasets_and_refusals() {
    let docs = corpus();
    let input: Vec<Value> = docs.iter().map(|(n, d)| json!({"name": n, "doc": d})).collect();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/jsonld_interop.mjs");
    let mut child = Command::new("node")
        .arg(&script)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node (with node_modules/jsonld) is needed for this test");
    child.stdin.take().unwrap().write_all(serde_json::to_string(&input).unwrap().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "node failed");
    let theirs: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(theirs.len(), docs.len());
    let (mut same, mut refused) = (0, 0);
    for ((name, doc), t) in docs.iter().zip(&theirs) {
        let ours = jsonld::to_rdf(doc, &Citizenship, &Options::default());
        match (&ours, t.get("nquads").and_then(Value::as_str)) {
            (Ok(q), Some(nq)) => {
                let want = support::parse_nquads(nq);
                assert!(
                    support::isomorphic(q, &want),
                    "{name}: ours\n{}jsonld.js\n{nq}",
                    q.iter().map(support::quad_line).collect::<String>()
                );
                same += 1;
            }
            (Err(e), None) => {
                println!("refused by both: {name}: ours {e}; jsonld.js {}", t["error"]);
                refused += 1;
            }
            (Ok(_), None) => panic!("{name}: jsonld.js refuses ({}), we accept", t["error"]),
            (Err(e), Some(nq)) => panic!("{name}: we refuse ({e}), jsonld.js gives\n{nq}"),
        }
    }
    println!("jsonld.js interop: {same} same datasets, {refused} refused by both, of {}", docs.len());
    assert!(same >= 15 && refused >= 6);
}
