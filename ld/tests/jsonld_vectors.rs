//! The W3C vc-di-eddsa test vectors (tests/vectors/vc-di-eddsa, see its README): toRdf, in safe
//! mode with the bundled contexts, of each unsigned credential and proof configuration gives
//! the quads of the published canonical N-Quads, up to blank node labels (the published ones
//! are RDFC-1.0's `_:c14nN`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use credcore_ld::jsonld::{self, DocumentLoader, Error, NoLoader, Options, RemoteDocument};
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/vc-di-eddsa")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(dir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The one context the vectors use that is not bundled.
struct Citizenship;

impl DocumentLoader for Citizenship {
    fn load(&self, url: &str) -> Result<RemoteDocument, Error> {
        if url != "https://w3id.org/citizenship/v4rc1" {
            return Err(Error::context_unavailable(url));
        }
        let document = serde_json::from_str(&read("citizenship-v4rc1.jsonld")).map_err(|_| Error::context_unavailable(url))?;
        Ok(RemoteDocument { url: url.to_owned(), document: Arc::new(document) })
    }
}

fn check(input: &str, canonical: &str, loader: &dyn DocumentLoader) {
    let mut doc: Value = serde_json::from_str(&read(input)).unwrap();
    if let Some(m) = doc.as_object_mut() {
        m.remove("proof");
    }
    let got = jsonld::to_rdf(&doc, loader, &Options::default()).unwrap_or_else(|e| panic!("{input}: {e}"));
    let want = support::parse_nquads(&read(canonical));
    assert_eq!(got.len(), want.len(), "{input}: quad count");
    assert!(support::isomorphic(&got, &want), "{input}: got\n{}", got.iter().map(support::quad_line).collect::<String>());
}

#[test]
fn eddsa_rdfc_2022_alumni_credential() {
    check("TestVectors/unsigned.json", "TestVectors/eddsa-rdfc-2022/canonDocDataInt.txt", &NoLoader);
    check("TestVectors/eddsa-rdfc-2022/signedDataInt.json", "TestVectors/eddsa-rdfc-2022/canonDocDataInt.txt", &NoLoader);
    check("TestVectors/eddsa-rdfc-2022/proofConfigDataInt.json", "TestVectors/eddsa-rdfc-2022/proofCanonDataInt.txt", &NoLoader);
}

#[test]
fn eddsa_rdfc_2022_employment_authorization() {
    check("TestVectors/employmentAuth.json", "TestVectors/eddsa-rdfc-2022/employ/canonDocDataInt.txt", &Citizenship);
    check(
        "TestVectors/eddsa-rdfc-2022/employ/proofConfigDataInt.json",
        "TestVectors/eddsa-rdfc-2022/employ/proofCanonDataInt.txt",
        &Citizenship,
    );
}

#[test]
fn ed25519_signature_2020() {
    check("TestVectors/Ed25519Signature2020/signedEdSig.json", "TestVectors/Ed25519Signature2020/canonDocEdSig.txt", &NoLoader);
    check("TestVectors/Ed25519Signature2020/proofConfigEdSig.json", "TestVectors/Ed25519Signature2020/proofCanonEdSig.txt", &NoLoader);
}

#[test]
fn the_citizenship_context_is_not_bundled() {
    let doc: Value = serde_json::from_str(&read("TestVectors/employmentAuth.json")).unwrap();
    let e = jsonld::to_rdf(&doc, &NoLoader, &Options::default()).unwrap_err();
    assert_eq!(e.code.as_str(), "JSONLD_CONTEXT_UNAVAILABLE");
}
