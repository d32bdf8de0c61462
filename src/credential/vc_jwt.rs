//! VC-JWT: the JWT encoding of VC Data Model 1.1 (section 6.3.1, a `vc` claim with `iss`, `sub`,
//! `nbf`, `exp`, `jti` standing for `issuer`, `credentialSubject.id`, `issuanceDate`,
//! `expirationDate`, `id`) and VC-JOSE-COSE section 3.1.1 (`typ` `vc+jwt`, the payload is the
//! credential itself).
//!
//! Policy: the key comes from the issuer ([`crate::keys::KeySource`]: did:key, did:jwk, the
//! caller's `issuerKeys`), chosen by the header's `kid` and `alg`, and a `kid` must name a key of
//! that issuer; where the JWT claims and the credential both state a value, they must agree.

use super::checks::{self, issuer_id, join, min_opt, Acc, Ctx};
use crate::batch::Prepared;
use crate::error::{Error, ErrorCode};
use crate::jws::Jws;
use crate::verdict::{CredentialSummary, Format, Kind, VerificationResult};
use serde_json::{Map, Value};

/// A credential JWT that passed parsing: what the result reports of it.
#[derive(Debug)]
pub struct Checked {
    /// VC-JWT or VC-JOSE.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // read by the test suites
    pub format: Format,
    /// The summary for `credentials`.
    pub summary: CredentialSummary,
    /// The first subject object (`credentialSubject`).
    pub claims: Value,
}

impl Checked {
    /// Fills the result of a credential presented on its own: issuer, subject, expiry, claims,
    /// and the credential's summary.
    pub fn fill(self, result: &mut VerificationResult) {
        result.issuer = self.summary.issuer.clone();
        result.subject = self.summary.subject.clone();
        result.note_expiry(self.summary.expires_at);
        result.claims = Some(self.claims);
        result.credentials.push(self.summary);
    }
}

/// A claim and a credential field that must agree when both are present.
fn agree(payload: &Map<String, Value>, claim: &str, shown: Option<&str>, path: impl FnOnce() -> String, acc: &mut Acc) {
    if let (Some(c), Some(s)) = (payload.get(claim), shown) {
        if c.as_str() != Some(s) {
            acc.fail(Error::new(ErrorCode::PayloadMismatch, format!("JWT claim '{claim}' differs from the credential's")).at(path()));
        }
    }
}

/// Checks a parsed credential JWT; failures, signatures and status entries go to `acc` with
/// paths relative to the JWT (`header.kid`, `payload.vc.issuer`, `signature`). `jose`: the
/// payload is the credential itself (VC-JOSE-COSE `vc+jwt`), else it is under `vc`.
pub fn check(jws: &Jws<'_>, payload: &Map<String, Value>, jose: bool, ctx: &mut Ctx<'_>, acc: &mut Acc) -> Option<Checked> {
    let (credential, base, format) = if jose {
        (payload, "payload", Format::VcJose)
    } else {
        match payload.get("vc") {
            Some(Value::Object(vc)) => (vc, "payload.vc", Format::VcJwt),
            Some(_) => {
                acc.fail(Error::malformed("the 'vc' claim must be an object").at("payload.vc"));
                return None;
            }
            None => {
                acc.fail(Error::malformed("a VC-JWT has a 'vc' claim").at("payload.vc"));
                return None;
            }
        }
    };

    checks::check_context(credential, base, jose, acc);

    // Issuer: `iss`, the credential's `issuer`, or both in agreement.
    let shown_issuer = match credential.get("issuer").map(issuer_id) {
        Some(Ok(i)) => Some(i),
        Some(Err(e)) => {
            acc.fail(e.at(join(base, "issuer")));
            None
        }
        None => None,
    };
    let claimed_issuer = match payload.get("iss") {
        None => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => {
            acc.fail(Error::malformed("'iss' must be a string").at("payload.iss"));
            None
        }
    };
    if let (Some(c), Some(s)) = (claimed_issuer, shown_issuer) {
        if c != s {
            acc.fail(Error::new(ErrorCode::PayloadMismatch, "'iss' differs from the credential's issuer").at(join(base, "issuer")));
        }
    }
    let issuer = claimed_issuer.or(shown_issuer);
    let issuer_path = if claimed_issuer.is_some() { "payload.iss".to_owned() } else { join(base, "issuer") };
    match issuer {
        Some(iss) => {
            if let Some(key) = ctx.issuer_key(iss, jws, &issuer_path, "", acc) {
                ctx.signature(jws, key, ErrorCode::InvalidSignature, "", "signature", acc);
            }
            ctx.check_trust(iss, &issuer_path, acc);
        }
        None => acc.fail(Error::malformed("the credential names no issuer").at("payload.iss")),
    }

    // Subject.
    let subject = match checks::subject(credential.get("credentialSubject")) {
        Ok(s) => Some(s),
        Err(e) => {
            acc.fail(e.at(join(base, "credentialSubject")));
            None
        }
    };
    let subject_id = subject.and_then(|s| s.get("id")).and_then(Value::as_str);
    agree(payload, "sub", subject_id, || join(base, "credentialSubject.id"), acc);
    let types = match checks::types(credential.get("type")) {
        Ok(t) if t.iter().any(|t| t == "VerifiableCredential") => Some(t),
        Ok(_) => {
            acc.fail(Error::malformed("'type' must include VerifiableCredential").at(join(base, "type")));
            None
        }
        Err(e) => {
            acc.fail(e.at(join(base, "type")));
            None
        }
    };
    let shown_id = credential.get("id").and_then(Value::as_str);
    agree(payload, "jti", shown_id, || join(base, "id"), acc);

    // Validity period, from the claims and from the credential.
    let exp = ctx.check_jwt_times(&jws.header, "header", payload, "payload", acc);
    let mut body_exp = ctx.check_credential_dates(credential, base, acc);
    if !jose {
        // The credential's own date properties count beside `vc` too, where a signer put them.
        body_exp = min_opt(body_exp, ctx.check_credential_dates(payload, "payload", acc));
    }
    let expires_at = min_opt(exp, body_exp);

    // Status entries from every place a JWT credential can carry one.
    let status_issuer = issuer.unwrap_or_default();
    // (Paths are made only for entries there are: this runs for every item.)
    if let Some(entry) = credential.get("credentialStatus") {
        checks::push_status(ctx, Some(entry), status_issuer, &join(base, "credentialStatus"), acc);
    }
    if !jose {
        checks::push_status(ctx, payload.get("credentialStatus"), status_issuer, "payload.credentialStatus", acc);
    }
    checks::push_status(ctx, payload.get("status"), status_issuer, "payload.status", acc);
    checks::push_status(ctx, jws.header.get("status"), status_issuer, "header.status", acc);

    let subject = subject?;
    let types = types?;
    let credential_id = shown_id.or_else(|| payload.get("jti").and_then(Value::as_str));
    let mut summary = checks::summary(credential_id, issuer, types, subject, expires_at);
    if summary.subject.is_none() {
        summary.subject = payload.get("sub").and_then(Value::as_str).map(str::to_owned);
    }
    Some(Checked { format, summary, claims: Value::Object(subject.clone()) })
}

/// Prepares a parsed credential JWT as a batch item (`jose` as in [`check`]).
pub fn prepare(jws: &Jws<'_>, payload: &Map<String, Value>, jose: bool, ctx: &mut Ctx<'_>) -> Prepared {
    let mut acc = Acc::default();
    let mut result = VerificationResult::new(if jose { Format::VcJose } else { Format::VcJwt }, Kind::Credential);
    if let Some(c) = check(jws, payload, jose, ctx, &mut acc) {
        c.fill(&mut result);
    }
    acc.into_prepared(result)
}
