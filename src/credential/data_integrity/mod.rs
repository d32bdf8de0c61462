//! W3C Verifiable Credential Data Integrity 1.0: credentials and presentations (VC Data Model
//! 1.1 or 2.0) secured with embedded `DataIntegrityProof`s, cryptosuites eddsa-jcs-2022 (W3C
//! Data Integrity EdDSA Cryptosuites v1.0 section 3.3) and ecdsa-jcs-2019 (W3C Data Integrity
//! ECDSA Cryptosuites v1.0 section 3.3), which need no JSON-LD processing, and proofs over RDF:
//! eddsa-rdfc-2022 (EdDSA Cryptosuites section 3.2) and Ed25519Signature2020 ([`rdfc`]).
//!
//! A document's `proof` is one proof or a proof set (an array, section 2.1.1): every proof must
//! verify, each over the document without any of them (section 4.4, for proofs without
//! `previousProof`). Each proof's signature joins the batch like any JWS signature (Ed25519 in
//! the batch equation, ES256 and ES384 as host jobs); nothing is verified on a side path.
//!
//! Policy: every proof of a credential is the issuer's (its verification method's controller is
//! the `issuer`), and every proof of a presentation the holder's: credcore does not decide whom
//! to trust for a co-signer's proof. See [`proof`] for what each proof must be.

pub mod ecdsa_jcs_2019;
pub mod ed25519_signature_2020;
pub mod eddsa_jcs_2022;
pub mod issue;
pub mod proof;
pub mod rdfc;
pub mod status_list;

use super::checks::{self, issuer_id, Acc, Ctx};
use super::vc_jwt::Checked;
use crate::batch::Prepared;
use crate::error::{Error, ErrorCode};
use crate::limits::MAX_PROOFS_PER_DOCUMENT;
use crate::verdict::{Format, Kind, VerificationResult};
use eddsa_jcs_2022::DocumentHashes;
use proof::Expect;
use serde_json::{Map, Value};

/// The proof purpose of a credential's proofs (VC Data Integrity 1.0 section 2.2).
pub const ASSERTION_METHOD: &str = "assertionMethod";
/// The proof purpose of a presentation's proofs.
pub const AUTHENTICATION: &str = "authentication";

/// The proofs of `body` (an object, or a non-empty array of objects: a proof set), with paths.
fn proofs<'b>(body: &'b Map<String, Value>, acc: &mut Acc) -> Vec<(&'b Map<String, Value>, String)> {
    let shape = checks::ProofShape { max: Some(MAX_PROOFS_PER_DOCUMENT), document: "document", expected: "an object or an array of objects" };
    checks::proof_objects(body, &shape, acc)
}

/// The DID of a proof's `verificationMethod` (before `#`), if it names one.
pub fn controller_of(proof: &Map<String, Value>) -> Option<&str> {
    proof.get("verificationMethod").and_then(Value::as_str).map(|vm| vm.split_once('#').map_or(vm, |(did, _)| did))
}

/// The first proof of `body`, if any (the holder of a presentation that names none).
pub fn first_proof(body: &Map<String, Value>) -> Option<&Map<String, Value>> {
    match body.get("proof") {
        Some(Value::Object(p)) => Some(p),
        Some(Value::Array(items)) => items.first().and_then(Value::as_object),
        _ => None,
    }
}

/// Checks every proof of `body` against `expect` (paths relative to `body`) and queues their
/// signatures.
pub fn check_proofs(body: &Map<String, Value>, expect: &Expect<'_>, ctx: &mut Ctx<'_>, acc: &mut Acc) {
    let list = proofs(body, acc);
    let mut hashes = DocumentHashes::new(body);
    for (p, path) in list {
        proof::check(p, &path, &mut hashes, expect, ctx, acc);
    }
}

/// Checks a Data Integrity credential (paths in `acc` relative to it): the VC Data Model checks
/// every format shares, then its proofs, which must all be the issuer's.
pub fn check_credential(body: &Map<String, Value>, ctx: &mut Ctx<'_>, acc: &mut Acc) -> Option<Checked> {
    let types = match checks::types(body.get("type")) {
        Ok(t) => Some(t),
        Err(e) => {
            acc.fail(e.at("type"));
            None
        }
    };
    checks::check_context(body, "", false, acc);
    let issuer = match body.get("issuer").map(issuer_id) {
        Some(Ok(i)) => Some(i),
        Some(Err(e)) => {
            acc.fail(e.at("issuer"));
            None
        }
        None => {
            acc.fail(Error::malformed("the credential names no issuer").at("issuer"));
            None
        }
    };
    let subject = match checks::subject(body.get("credentialSubject")) {
        Ok(s) => Some(s),
        Err(e) => {
            acc.fail(e.at("credentialSubject"));
            None
        }
    };
    if let Some(iss) = issuer {
        let expect = Expect { signer: iss, purpose: ASSERTION_METHOD, code: ErrorCode::InvalidSignature, binding: false };
        check_proofs(body, &expect, ctx, acc);
    }
    let expires_at = ctx.check_credential_dates(body, "", acc);
    if let Some(iss) = issuer {
        ctx.check_trust(iss, "issuer", acc);
        checks::push_status(ctx, body.get("credentialStatus"), iss, "credentialStatus", acc);
    }
    let (types, subject) = (types?, subject?);
    let id = body.get("id").and_then(Value::as_str);
    let summary = checks::summary(id, issuer, types, subject, expires_at);
    Some(Checked { format: Format::DataIntegrity, summary, claims: Value::Object(subject.clone()) })
}

/// Prepares a Data Integrity credential as a batch item.
pub fn prepare(body: &Map<String, Value>, ctx: &mut Ctx<'_>) -> Prepared {
    let mut acc = Acc::default();
    let mut result = VerificationResult::new(Format::DataIntegrity, Kind::Credential);
    if let Some(c) = check_credential(body, ctx, &mut acc) {
        c.fill(&mut result);
    }
    acc.into_prepared(result)
}
