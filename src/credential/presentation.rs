//! Presentations: anon-identity's (a `proof.jws` over the presentation body, credentials
//! embedded), VP-JWT (VC Data Model 1.1 section 6.3.1, a `vp` claim, `iss` = holder, `nonce`,
//! `aud`; or VC-JOSE-COSE `typ` `vp+jwt`), and Data Integrity (the holder's `authentication`
//! proofs, `challenge` and `domain`; [`super::data_integrity`]).
//!
//! Policy: the holder's signature, every embedded credential (errors under `credentials[i]`),
//! holder binding (each subject is the holder, unless the caller opts out), and the caller's
//! nonce and audience against the signed claims. anon-identity's presentations carry neither a
//! nonce nor an audience, so a caller who asks for one gets `NONCE_MISMATCH` or
//! `AUDIENCE_MISMATCH` rather than a silent pass; presentations made here sign them as JWT claims.

use super::anon_identity::{check_credential, check_proof, signed_body};
use super::checks::{self, issuer_id, join, Acc, Ctx};
use super::data_integrity::{self, proof::Expect, AUTHENTICATION};
use super::format::{decide_embedded, securing, Securing};
use super::json::objects_differ;
use super::vc_jwt::{self, Checked};
use crate::batch::Prepared;
use crate::error::{Error, ErrorCode};
use crate::jws::Jws;
use crate::verdict::{Format, Kind, VerificationResult};
use serde_json::{Map, Value};

/// The claims a presentation's JWT may add to the presentation it signs.
pub const PRESENTATION_CLAIMS: [&str; 8] = ["iat", "iss", "sub", "nbf", "exp", "jti", "aud", "nonce"];

/// Checks the caller's nonce and audience against signed claims.
fn check_binding(signed: Option<&Map<String, Value>>, base: &str, ctx: &Ctx<'_>, acc: &mut Acc) {
    if let Some(nonce) = &ctx.options.nonce {
        if signed.and_then(|p| p.get("nonce")).and_then(Value::as_str) != Some(nonce.as_str()) {
            acc.fail(Error::new(ErrorCode::NonceMismatch, "the presentation does not carry the expected nonce").at(join(base, "nonce")));
        }
    }
    if let Some(audience) = &ctx.options.audience {
        let ok = match signed.and_then(|p| p.get("aud")) {
            Some(Value::String(a)) => a == audience,
            Some(Value::Array(items)) => items.iter().any(|a| a.as_str() == Some(audience.as_str())),
            _ => false,
        };
        if !ok {
            acc.fail(
                Error::new(ErrorCode::AudienceMismatch, "the presentation is not addressed to the expected audience").at(join(base, "aud")),
            );
        }
    }
}

/// Checks every embedded credential and holder binding; fills the result's credentials.
fn check_credentials(list: Option<&Value>, holder: Option<&str>, ctx: &mut Ctx<'_>, acc: &mut Acc, result: &mut VerificationResult) {
    let items: Vec<&Value> = match list {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    };
    if items.len() > ctx.options.max_credentials {
        acc.fail(
            Error::new(
                ErrorCode::InputTooLarge,
                format!("{} credentials is over the limit of {}", items.len(), ctx.options.max_credentials),
            )
            .at("verifiableCredential"),
        );
        return;
    }
    for (i, item) in items.into_iter().enumerate() {
        let prefix = format!("credentials[{i}]");
        let mut sub = Acc::default();
        let checked: Option<Checked> = match item {
            // Embedded credentials are decided by the rule of top-level items (format.rs rule 2).
            Value::Object(body) => match securing(body) {
                Ok(Securing::Jws) => check_credential(body, holder, ctx, &mut sub),
                Ok(Securing::DataIntegrity) => data_integrity::check_credential(body, ctx, &mut sub),
                Err(e) => {
                    sub.fail(e);
                    None
                }
            },
            Value::String(jwt) => match decide_embedded(jwt, ctx.options) {
                Ok((jws, payload, jose)) => vc_jwt::check(&jws, &payload, jose, ctx, &mut sub),
                Err(e) => {
                    sub.fail(e);
                    None
                }
            },
            _ => {
                sub.fail(Error::malformed("a credential is an object or a JWT string"));
                None
            }
        };
        if let Some(c) = checked {
            if ctx.options.holder_binding && (holder.is_none() || c.summary.subject.as_deref() != holder) {
                sub.fail(
                    Error::new(ErrorCode::HolderMismatch, "the credential's subject is not the presentation's holder")
                        .at("credentialSubject.id"),
                );
            }
            if result.issuer.is_none() {
                result.issuer = c.summary.issuer.clone();
            }
            result.note_expiry(c.summary.expires_at);
            result.credentials.push(c.summary);
        }
        acc.absorb(sub, &prefix);
    }
}

/// Prepares an anon-identity presentation as a batch item.
pub fn prepare_anon(body: &Map<String, Value>, ctx: &mut Ctx<'_>) -> Prepared {
    let mut acc = Acc::default();
    let mut result = VerificationResult::new(Format::AnonIdentity, Kind::Presentation);
    let proof = match body.get("proof") {
        Some(Value::Object(p)) => Some(p),
        None | Some(Value::Null) => {
            acc.fail(Error::new(ErrorCode::MissingProof, "the presentation has no proof").at("proof"));
            None
        }
        Some(_) => {
            acc.fail(Error::malformed("'proof' must be an object").at("proof"));
            None
        }
    };
    // anon-identity takes the holder from the proof's verificationMethod; a `holder` field, when
    // present, must name the same DID (check_proof enforces that the method belongs to it).
    let from_method =
        proof.and_then(|p| p.get("verificationMethod")).and_then(Value::as_str).map(|vm| vm.split_once('#').map_or(vm, |(d, _)| d));
    let holder = match body.get("holder").map(issuer_id) {
        Some(Ok(h)) => Some(h),
        Some(Err(e)) => {
            acc.fail(e.at("holder"));
            None
        }
        None => from_method,
    };
    result.holder = holder.map(str::to_owned);
    let mut signed_claims = None;
    match (proof, holder) {
        (Some(proof), Some(holder)) => {
            if let Some(pj) = check_proof(proof, holder, ErrorCode::InvalidPresentationSignature, "proof", ctx, &mut acc) {
                if let Some(v) = pj.payload.get("iss") {
                    if v.as_str() != Some(holder) {
                        acc.fail(Error::new(ErrorCode::PayloadMismatch, "'iss' is not the holder").at("proof.jws.payload.iss"));
                    }
                }
                let (signed, skip, extra) = signed_body(&pj.payload, "vp", body, &PRESENTATION_CLAIMS);
                if let Some(k) = extra {
                    acc.fail(Error::new(ErrorCode::PayloadMismatch, "unexpected claim beside 'vp'").at(join("proof.jws.payload", &k)));
                }
                if let Some(p) = objects_differ(signed, body, skip, &["proof"], "") {
                    acc.fail(Error::new(ErrorCode::PayloadMismatch, "the presentation differs from what the holder signed").at(p));
                }
                signed_claims = Some(pj.payload);
            }
        }
        (Some(_), None) => acc.fail(Error::malformed("the presentation names no holder").at("proof.verificationMethod")),
        _ => {}
    }
    check_binding(signed_claims.as_ref(), "proof.jws.payload", ctx, &mut acc);
    check_credentials(body.get("verifiableCredential"), holder, ctx, &mut acc, &mut result);
    acc.into_prepared(result)
}

/// Prepares a Data Integrity presentation as a batch item: its proofs are the holder's (the
/// `holder`, else the controller of the first proof's verification method), purpose
/// `authentication`, answering the caller's nonce with `challenge` and audience with `domain`.
pub fn prepare_data_integrity(body: &Map<String, Value>, ctx: &mut Ctx<'_>) -> Prepared {
    let mut acc = Acc::default();
    let mut result = VerificationResult::new(Format::DataIntegrity, Kind::Presentation);
    checks::check_context(body, "", false, &mut acc);
    let holder = match body.get("holder").map(issuer_id) {
        Some(Ok(h)) => Some(h),
        Some(Err(e)) => {
            acc.fail(e.at("holder"));
            None
        }
        None => data_integrity::first_proof(body).and_then(data_integrity::controller_of),
    };
    result.holder = holder.map(str::to_owned);
    // Without a holder there is no proof with a verification method: check_proofs reports why.
    let expect = Expect {
        signer: holder.unwrap_or_default(),
        purpose: AUTHENTICATION,
        code: ErrorCode::InvalidPresentationSignature,
        binding: true,
    };
    data_integrity::check_proofs(body, &expect, ctx, &mut acc);
    check_credentials(body.get("verifiableCredential"), holder, ctx, &mut acc, &mut result);
    acc.into_prepared(result)
}

/// Prepares a parsed VP-JWT (or, `jose`, a VC-JOSE `vp+jwt`) as a batch item.
pub fn prepare_vp_jwt(jws: &Jws<'_>, payload: &Map<String, Value>, jose: bool, ctx: &mut Ctx<'_>) -> Prepared {
    let mut acc = Acc::default();
    let mut result = VerificationResult::new(if jose { Format::VcJose } else { Format::VcJwt }, Kind::Presentation);
    let (vp, base) = if jose {
        (Some(payload), "payload")
    } else {
        match payload.get("vp") {
            Some(Value::Object(vp)) => (Some(vp), "payload.vp"),
            _ => {
                acc.fail(Error::malformed("a VP-JWT has a 'vp' object claim").at("payload.vp"));
                (None, "payload.vp")
            }
        }
    };
    let claimed = payload.get("iss").and_then(Value::as_str);
    let shown = match vp.and_then(|p| p.get("holder")).map(issuer_id) {
        Some(Ok(h)) => Some(h),
        Some(Err(e)) => {
            acc.fail(e.at(join(base, "holder")));
            None
        }
        None => None,
    };
    if let (Some(c), Some(s)) = (claimed, shown) {
        if c != s {
            acc.fail(Error::new(ErrorCode::PayloadMismatch, "'iss' differs from the presentation's holder").at(join(base, "holder")));
        }
    }
    let holder = claimed.or(shown);
    result.holder = holder.map(str::to_owned);
    match holder {
        Some(h) => {
            if let Some(key) = ctx.holder_key(h, jws, "payload.iss", "", &mut acc) {
                ctx.signature(jws, key, ErrorCode::InvalidPresentationSignature, "", "signature", &mut acc);
            }
        }
        None => acc.fail(Error::malformed("the presentation names no holder ('iss')").at("payload.iss")),
    }
    ctx.check_jwt_times(&jws.header, "header", payload, "payload", &mut acc);
    check_binding(Some(payload), "payload", ctx, &mut acc);
    if let Some(vp) = vp {
        check_credentials(vp.get("verifiableCredential"), holder, ctx, &mut acc, &mut result);
    }
    acc.into_prepared(result)
}
