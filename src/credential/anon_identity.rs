//! The anon-identity credential format (anon-identity@1.0.14): a W3C credential (VC Data Model
//! 1.1 or 2.0 shape) whose `proof` is `{ type: "Ed25519Signature2020", created,
//! verificationMethod, proofPurpose, jws }`, the `jws` being a JWT over the credential without
//! `proof` plus `iat`, `iss`, `sub` (1.1 shape), or over `{ vc: credential }` (2.0 shape).
//!
//! Policy added to anon-identity's own verification: the signed payload, minus the JWT
//! registered claims, must deep-equal the credential body minus `proof` (`PAYLOAD_MISMATCH`,
//! with the path of the difference), so that what is shown is what was signed. A selectively
//! disclosed credential (`SelectivelyDisclosedCredential`) may show a subset of the signed
//! subject's attributes, under the holder's signed disclosure proof; its validity period and
//! status come from the signed credential, which it may not show.

use super::checks::{self, issuer_id, join, kid_is_did_key_of, method_of, Acc, Ctx};
use super::json::{first_difference, objects_differ, parse_object, REGISTERED_CLAIMS};
use super::vc_jwt::Checked;
use crate::batch::Prepared;
use crate::error::{Error, ErrorCode};
use crate::jws::Jws;
use crate::verdict::{Format, Kind, VerificationResult};
use serde_json::{Map, Value};

/// The type that marks anon-identity's selectively disclosed credentials.
pub const SELECTIVELY_DISCLOSED: &str = "SelectivelyDisclosedCredential";

fn mismatch(what: &str, path: impl Into<String>) -> Error {
    Error::new(ErrorCode::PayloadMismatch, format!("{what} differs from what the signature covers")).at(path)
}

fn disclosure_error(what: &str, path: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidDisclosureProof, what.to_owned()).at(path)
}

/// The body a JWT payload signs: `payload.vc` when the payload only wraps it (2.0 shape), else
/// the payload itself; with the keys to leave out of the comparison.
/// `claims` are the JWT claims the payload may add (the registered ones, for a presentation also
/// `nonce`); the third value is an unexpected claim beside a wrapper.
pub fn signed_body<'p>(
    payload: &'p Map<String, Value>,
    wrapper: &str,
    body: &Map<String, Value>,
    claims: &'static [&'static str],
) -> (&'p Map<String, Value>, &'static [&'static str], Option<String>) {
    match payload.get(wrapper) {
        Some(Value::Object(inner)) if !body.contains_key(wrapper) => {
            let extra = payload.keys().find(|k| k.as_str() != wrapper && !claims.contains(&k.as_str())).cloned();
            (inner, &[], extra)
        }
        _ => (payload, claims, None),
    }
}

/// A parsed `proof.jws` whose header passed the policy.
pub struct ProofJws<'a> {
    /// The JWS.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // read by the test suites
    pub jws: Jws<'a>,
    /// Its payload object.
    pub payload: Map<String, Value>,
}

/// Parses `proof.jws` of `proof` (at `path`) and checks that `proof.verificationMethod` and the
/// JWS `kid` belong to `did`; queues its signature under `did`'s key with `code`.
///
/// Policy: `type` and `proofPurpose` are not covered by the signature, so they must be exactly
/// what anon-identity writes (`Ed25519Signature2020`; `assertionMethod` for credentials,
/// `authentication` for presentations) rather than be trusted.
pub fn check_proof<'a>(
    proof: &'a Map<String, Value>,
    did: &str,
    code: ErrorCode,
    path: &str,
    ctx: &mut Ctx<'_>,
    acc: &mut Acc,
) -> Option<ProofJws<'a>> {
    // Only anon-identity's JWS-carrying Ed25519Signature2020 proofs are verified here; Data
    // Integrity proofs (a `proofValue`, `DataIntegrityProof` with a `cryptosuite`) are refused as
    // such rather than reported as missing.
    match proof.get("type") {
        Some(Value::String(t)) if t == "Ed25519Signature2020" && (proof.contains_key("jws") || !proof.contains_key("proofValue")) => {}
        Some(Value::String(t)) => {
            let why = if t == "Ed25519Signature2020" { "with a proofValue (Data Integrity)".to_owned() } else { format!("of type '{t}'") };
            acc.fail(
                Error::new(
                    ErrorCode::UnsupportedProofType,
                    format!("proofs {why} are not supported: only Ed25519Signature2020 with a jws"),
                )
                .at(join(path, "type")),
            );
            return None;
        }
        _ => {
            acc.fail(Error::new(ErrorCode::UnsupportedProofType, "the proof has no string type").at(join(path, "type")));
            return None;
        }
    }
    let purpose = if code == ErrorCode::InvalidPresentationSignature { "authentication" } else { "assertionMethod" };
    match proof.get("proofPurpose") {
        None => {}
        Some(Value::String(p)) if p == purpose => {}
        Some(_) => acc.fail(Error::malformed(format!("the proof purpose must be {purpose}")).at(join(path, "proofPurpose"))),
    }
    match proof.get("verificationMethod") {
        Some(Value::String(vm)) if method_of(vm, did) => {}
        Some(Value::String(vm)) => acc.fail(
            Error::new(ErrorCode::InvalidDid, format!("verificationMethod '{vm}' does not belong to {did}"))
                .at(join(path, "verificationMethod")),
        ),
        Some(_) => acc.fail(Error::malformed("'verificationMethod' must be a string").at(join(path, "verificationMethod"))),
        None => acc.fail(Error::malformed("the proof has no verificationMethod").at(join(path, "verificationMethod"))),
    }
    let jws_path = join(path, "jws");
    let compact = match proof.get("jws") {
        Some(Value::String(s)) => s.as_str(),
        Some(_) => {
            acc.fail(Error::malformed("'jws' must be a string").at(jws_path));
            return None;
        }
        None => {
            acc.fail(Error::new(ErrorCode::MissingProof, "the proof has no jws").at(jws_path));
            return None;
        }
    };
    let jws = match Jws::parse(compact) {
        Ok(j) => j,
        Err(e) => {
            acc.fail(e.at(jws_path));
            return None;
        }
    };
    let kid_ok = match jws.header.get("kid") {
        Some(Value::String(kid)) => method_of(kid, did) || kid_is_did_key_of(kid, did),
        None => true,
        Some(_) => false,
    };
    if !kid_ok {
        acc.fail(Error::new(ErrorCode::InvalidDid, format!("the JWS kid does not belong to {did}")).at(join(&jws_path, "header.kid")));
    }
    // As for VC-JWT: a key the JWS does not name is not tried.
    if kid_ok {
        if let Some(key) = anon_key(did, &jws, &jws_path, ctx, acc) {
            ctx.signature(&jws, key, code, &jws_path, &jws_path, acc);
        }
    }
    let payload = match parse_object(&jws.payload, ctx.options.max_input_bytes, ctx.options.max_depth) {
        Ok(p) => p,
        Err(e) => {
            acc.fail(e.at(join(&jws_path, "payload")));
            return None;
        }
    };
    ctx.check_jwt_times(&jws.header, &join(&jws_path, "header"), &payload, &join(&jws_path, "payload"), acc);
    Some(ProofJws { jws, payload })
}

/// The proof objects of `proof` (an object or an array), with their paths.
fn proofs<'b>(body: &'b Map<String, Value>, acc: &mut Acc) -> Vec<(&'b Map<String, Value>, String)> {
    checks::proof_objects(body, &checks::ProofShape { max: None, document: "credential", expected: "an object" }, acc)
}

/// Checks a selectively disclosed credential against the credential the issuer signed.
fn check_disclosed(signed: &Map<String, Value>, body: &Map<String, Value>, holder: Option<&str>, ctx: &mut Ctx<'_>, acc: &mut Acc) {
    for (k, v) in body {
        if matches!(k.as_str(), "proof" | "disclosureProof" | "id" | "type" | "credentialSubject") {
            continue;
        }
        match signed.get(k) {
            Some(w) => {
                if let Some(p) = first_difference(w, v, k) {
                    acc.fail(mismatch("the credential", p));
                }
            }
            None => acc.fail(mismatch("the credential", k.as_str())),
        }
    }
    let signed_id = signed.get("id").and_then(Value::as_str).unwrap_or_default();
    let shown_id = body.get("id").and_then(Value::as_str).unwrap_or_default();
    if signed_id.is_empty() || !shown_id.strip_prefix(signed_id).is_some_and(|rest| rest.starts_with("#disclosed-")) {
        acc.fail(mismatch("the disclosed credential's id", "id"));
    }
    let mut expected_types = signed.get("type").and_then(Value::as_array).cloned().unwrap_or_default();
    expected_types.push(Value::String(SELECTIVELY_DISCLOSED.into()));
    if body.get("type") != Some(&Value::Array(expected_types)) {
        acc.fail(mismatch("the disclosed credential's type", "type"));
    }
    let signed_subject = checks::subject(signed.get("credentialSubject")).ok();
    let shown_subject = checks::subject(body.get("credentialSubject")).ok();
    let mut shown_names: Vec<&str> = Vec::new();
    if let (Some(signed_subject), Some(shown_subject)) = (signed_subject, shown_subject) {
        for (k, v) in shown_subject {
            let path = format!("credentialSubject.{k}");
            match signed_subject.get(k) {
                Some(w) => {
                    if let Some(p) = first_difference(w, v, &path) {
                        acc.fail(mismatch("the disclosed attribute", p));
                    }
                }
                None => acc.fail(mismatch("the disclosed attribute", path)),
            }
            if k != "id" {
                shown_names.push(k);
            }
        }
    } else {
        acc.fail(mismatch("the credential subject", "credentialSubject"));
    }
    shown_names.sort_unstable();

    let Some(Value::Object(dp)) = body.get("disclosureProof") else {
        acc.fail(disclosure_error("a selectively disclosed credential needs a disclosureProof", "disclosureProof"));
        return;
    };
    let names = |v: Option<&Value>| -> Option<Vec<String>> {
        let mut n: Vec<String> = v?.as_array()?.iter().map(|s| s.as_str().map(str::to_owned)).collect::<Option<_>>()?;
        n.sort_unstable();
        Some(n)
    };
    let claimed = names(dp.get("disclosedAttributes"));
    if claimed.as_deref().map(|c| c.iter().map(String::as_str).eq(shown_names.iter().copied())) != Some(true) {
        acc.fail(disclosure_error("disclosedAttributes do not match the disclosed subject", "disclosureProof.disclosedAttributes"));
    }
    if dp.get("originalCredentialId").and_then(Value::as_str) != Some(signed_id) {
        acc.fail(disclosure_error("originalCredentialId is not the signed credential's id", "disclosureProof.originalCredentialId"));
    }
    let pv_path = "disclosureProof.proofValue";
    let Some(compact) = dp.get("proofValue").and_then(Value::as_str) else {
        acc.fail(disclosure_error("the disclosure proof has no proofValue", pv_path));
        return;
    };
    let jws = match Jws::parse(compact) {
        Ok(j) => j,
        Err(e) => {
            acc.fail(e.at(pv_path));
            return;
        }
    };
    let payload = match parse_object(&jws.payload, ctx.options.max_input_bytes, ctx.options.max_depth) {
        Ok(p) => p,
        Err(e) => {
            acc.fail(e.at(join(pv_path, "payload")));
            return;
        }
    };
    ctx.check_jwt_times(&jws.header, &join(pv_path, "header"), &payload, &join(pv_path, "payload"), acc);
    let signer = payload.get("iss").and_then(Value::as_str);
    let Some(signer) = holder.or(signer) else {
        acc.fail(disclosure_error("the disclosure proof names no holder", join(pv_path, "payload.iss")));
        return;
    };
    if payload.get("iss").and_then(Value::as_str) != Some(signer) {
        acc.fail(disclosure_error("the disclosure proof is not the holder's", join(pv_path, "payload.iss")));
    }
    if let Some(Value::String(kid)) = jws.header.get("kid") {
        if !(method_of(kid, signer) || kid_is_did_key_of(kid, signer)) {
            acc.fail(Error::new(ErrorCode::InvalidDid, format!("the kid does not belong to {signer}")).at(join(pv_path, "header.kid")));
        }
    }
    if payload.get("originalCredentialId").and_then(Value::as_str) != Some(signed_id) {
        acc.fail(disclosure_error("the signed originalCredentialId differs", join(pv_path, "payload.originalCredentialId")));
    }
    if names(payload.get("disclosedAttributes")) != claimed {
        acc.fail(disclosure_error("the signed disclosedAttributes differ", join(pv_path, "payload.disclosedAttributes")));
    }
    if payload.get("nonce") != dp.get("nonce") {
        acc.fail(disclosure_error("the signed nonce differs", join(pv_path, "payload.nonce")));
    }
    if let Some(key) = anon_key(signer, &jws, pv_path, ctx, acc) {
        ctx.signature(&jws, key, ErrorCode::InvalidDisclosureProof, pv_path, pv_path, acc);
    }
}

/// The key of `did` for a JWS of anon-identity's format (its `kid` is checked by the caller:
/// anon-identity names the key `did#key-1`).
///
/// Policy: an `Ed25519Signature2020` proof is an EdDSA signature; a JWS with any other `alg`
/// is `UNSUPPORTED_ALGORITHM` whatever key the DID names.
fn anon_key(did: &str, jws: &Jws<'_>, path: &str, ctx: &mut Ctx<'_>, acc: &mut Acc) -> Option<crate::keys::VerifyingKey> {
    if jws.alg != crate::keys::Algorithm::EdDsa {
        acc.fail(
            Error::new(ErrorCode::UnsupportedAlgorithm, format!("an Ed25519Signature2020 proof is signed with EdDSA, not {}", jws.alg))
                .at(join(path, "header.alg")),
        );
        return None;
    }
    ctx.key_as(crate::keys::Purpose::Assertion, did, None, jws.alg, path, &join(path, "header.kid"), acc)
}

/// Checks an anon-identity credential; paths in `acc` are relative to the credential.
/// `holder` is the presenting holder, who signs disclosure proofs.
pub fn check_credential(body: &Map<String, Value>, holder: Option<&str>, ctx: &mut Ctx<'_>, acc: &mut Acc) -> Option<Checked> {
    let types = match checks::types(body.get("type")) {
        Ok(t) => Some(t),
        Err(e) => {
            acc.fail(e.at("type"));
            None
        }
    };
    let disclosed = types.as_ref().is_some_and(|t| t.iter().any(|t| t == SELECTIVELY_DISCLOSED));
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
    let subject_id = subject.and_then(|s| s.get("id")).and_then(Value::as_str);

    // Every proof with its signed payload; the first signed body stands for the credential.
    let mut signed_first: Option<Map<String, Value>> = None;
    let proof_list = proofs(body, acc);
    if let Some(iss) = issuer {
        for (proof, path) in proof_list {
            let Some(pj) = check_proof(proof, iss, ErrorCode::InvalidSignature, &path, ctx, acc) else { continue };
            let payload_path = join(&path, "jws.payload");
            if let Some(v) = pj.payload.get("iss") {
                if v.as_str() != Some(iss) {
                    acc.fail(mismatch("'iss'", join(&payload_path, "iss")));
                }
            }
            if let (Some(v), Some(s)) = (pj.payload.get("sub"), subject_id) {
                if v.as_str() != Some(s) {
                    acc.fail(mismatch("'sub'", "credentialSubject.id"));
                }
            }
            let (signed, skip, extra) = signed_body(&pj.payload, "vc", body, &REGISTERED_CLAIMS);
            if let Some(k) = extra {
                acc.fail(mismatch("the JWT claims", join(&payload_path, &k)));
            }
            if disclosed {
                check_disclosed(signed, body, holder, ctx, acc);
            } else if let Some(p) = objects_differ(signed, body, skip, &["proof"], "") {
                acc.fail(mismatch("the credential", p));
            }
            if disclosed && signed_first.is_none() {
                signed_first =
                    Some(signed.iter().filter(|(k, _)| !skip.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect());
            }
        }
    }

    // Validity period and status: from the signed credential (a disclosed one may omit them).
    let dated = if disclosed { signed_first.as_ref().unwrap_or(body) } else { body };
    let expires_at = ctx.check_credential_dates(dated, "", acc);
    if let Some(iss) = issuer {
        ctx.check_trust(iss, "issuer", acc);
        checks::push_status(ctx, dated.get("credentialStatus"), iss, "credentialStatus", acc);
    }

    let (types, subject) = (types?, subject?);
    let id = body.get("id").and_then(Value::as_str);
    let summary = checks::summary(id, issuer, types, subject, expires_at);
    Some(Checked { format: Format::AnonIdentity, summary, claims: Value::Object(subject.clone()) })
}

/// Prepares an anon-identity credential as a batch item.
pub fn prepare(body: &Map<String, Value>, ctx: &mut Ctx<'_>) -> Prepared {
    let mut acc = Acc::default();
    let mut result = VerificationResult::new(Format::AnonIdentity, Kind::Credential);
    if let Some(c) = check_credential(body, None, ctx, &mut acc) {
        c.fill(&mut result);
    }
    acc.into_prepared(result)
}
