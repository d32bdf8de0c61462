//! The pipeline of one batch, in one direction: decide each item's format once
//! ([`crate::credential::format`]) -> the format's claims and the checks every format shares
//! (times from every source, status entries, trust, holder binding, nonce, audience) -> status
//! lists ([`super::status`]) -> one batch verification over every signature -> one sealed
//! result per item, in input order. One bad item never affects another.

use super::status::{apply_status, StatusLists};
use crate::batch::{self, Prepared};
use crate::credential::checks::Ctx;
use crate::credential::format::{decide, Decision};
use crate::credential::presentation::{prepare_anon, prepare_data_integrity, prepare_vp_jwt};
use crate::credential::{anon_identity, data_integrity, vc_jwt, Kind, VerificationResult, VerifyOptions};
use crate::error::Error;
use crate::keys::{BatchState, HostVerifier, KeySource};

/// Decides the format of one item and prepares it (every check but the signatures and status).
pub fn prepare_item(input: &str, ctx: &mut Ctx<'_>) -> Prepared {
    match decide(input, ctx.options) {
        Decision::Json { body, kind: Kind::Credential } => anon_identity::prepare(&body, ctx),
        Decision::Json { body, kind: Kind::Presentation } => prepare_anon(&body, ctx),
        Decision::DataIntegrity { body, kind: Kind::Credential } => data_integrity::prepare(&body, ctx),
        Decision::DataIntegrity { body, kind: Kind::Presentation } => prepare_data_integrity(&body, ctx),
        Decision::Jwt { jws, payload, kind: Kind::Credential, jose } => vc_jwt::prepare(&jws, &payload, jose, ctx),
        Decision::Jwt { jws, payload, kind: Kind::Presentation, jose } => prepare_vp_jwt(&jws, &payload, jose, ctx),
        Decision::SdJwt { input, jws, payload, profile } => crate::sdjwt::prepare(input, &jws, &payload, profile, ctx),
        Decision::SdJwtJson { body } => prepare_json_sd_jwt(&body, ctx),
        Decision::Refused(result) => Prepared::failed(*result),
    }
}

/// An SD-JWT in JWS JSON Serialization: its compact form (RFC 9901 section 8.1), decided again,
/// must be an SD-JWT, and is verified as one.
fn prepare_json_sd_jwt(body: &serde_json::Map<String, serde_json::Value>, ctx: &mut Ctx<'_>) -> Prepared {
    let refused = |e: Error| {
        let mut r = VerificationResult::new(crate::credential::Format::SdJwt, Kind::Credential);
        r.push(e);
        Prepared::failed(r)
    };
    let compact = match crate::sdjwt::json::to_compact(body) {
        Ok(c) => c,
        Err(e) => return refused(e),
    };
    match decide(&compact, ctx.options) {
        Decision::SdJwt { input, jws, payload, profile } => crate::sdjwt::prepare(input, &jws, &payload, profile, ctx),
        Decision::Refused(result) => Prepared::failed(*result),
        _ => refused(Error::malformed("a JWS JSON Serialization here carries an SD-JWT and nothing else")),
    }
}

/// What the cache needs to know of an item besides its result.
#[derive(Clone, Copy, Debug)]
pub(super) struct ItemFacts {
    /// The instant (seconds) from which time alone could change the result.
    pub(super) stable_until: Option<i64>,
    /// Whether deciding it took a signature check: only those results are worth caching (the
    /// rest are refused before any cryptography, as cheaply as they would be found again).
    pub(super) signed: bool,
}

/// Runs prepared items through the status check and the batch verification (Ed25519 in
/// `signatures`, every other signature in one list handed to `host`); with each result, its
/// [`ItemFacts`].
pub(super) fn finish(
    mut prepared: Vec<Prepared>,
    options: &VerifyOptions,
    now_ms: f64,
    lists: &mut StatusLists,
    keys: &mut dyn KeySource,
    signatures: &mut BatchState,
    host: &mut dyn HostVerifier,
) -> (Vec<VerificationResult>, Vec<ItemFacts>) {
    let facts: Vec<ItemFacts> = prepared.iter().map(|p| ItemFacts { stable_until: p.stable_until, signed: !p.checks.is_empty() }).collect();
    apply_status(&mut prepared, options, now_ms, lists, keys);
    (batch::finish_settled(prepared, signatures, host), facts)
}

/// Records a `MALFORMED_INPUT` failure when a single-item call got the other kind of item. An
/// SD-JWT is a credential, or with a key-binding JWT a presentation.
pub fn expect_kind(result: &mut VerificationResult, kind: Kind) {
    if result.kind == kind || result.format == crate::credential::Format::Unknown {
        return;
    }
    let (want, got) = match kind {
        Kind::Credential => ("a credential", "a presentation"),
        Kind::Presentation => ("a presentation", "a credential (an SD-JWT is a presentation only with a key-binding JWT)"),
    };
    result.reject(Error::malformed(format!("expected {want}, got {got}")));
}
