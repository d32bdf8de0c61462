//! The batch engine's entry point: detect each item's format, prepare every item (all checks but
//! the signatures), then verify every signature of the batch at once (see the module above).

use super::{finish_with_shared, Prepared};
use crate::credential::checks::{types, Ctx};
use crate::credential::json::parse_object;
use crate::credential::presentation::{is_jose_presentation_typ, prepare_anon, prepare_vp_jwt};
use crate::credential::{anon_identity, vc_jwt, Format, Kind, VerificationResult, VerifyOptions};
use crate::error::{Error, ErrorCode};
use crate::keys::{DidKeySource, KeySource};

/// Verifies a batch of items of any format, resolving keys from did:key.
///
/// `host_now_ms` is the host clock (ms since the epoch), used unless `options.now` is set.
/// Returns one result per input, in input order; one bad item never affects another.
pub fn verify_items(inputs: &[&str], options: &VerifyOptions, host_now_ms: f64) -> Vec<VerificationResult> {
    verify_items_with(inputs, options, host_now_ms, &mut DidKeySource)
}

/// [`verify_items`] with keys resolved through `keys` (e.g. a cache).
pub fn verify_items_with(inputs: &[&str], options: &VerifyOptions, host_now_ms: f64, keys: &mut dyn KeySource) -> Vec<VerificationResult> {
    let mut ctx = Ctx { options, now: options.now_seconds(host_now_ms), keys };
    let mut prepared: Vec<Prepared> = inputs.iter().map(|input| prepare_item(input, &mut ctx)).collect();
    let shared = crate::status::apply_status(&mut prepared, options, host_now_ms, None);
    finish_with_shared(prepared, shared)
}

/// Verifies one credential; an item that is a presentation gets a `MALFORMED_INPUT` error.
pub fn verify_credential(input: &str, options: &VerifyOptions, host_now_ms: f64) -> VerificationResult {
    verify_one(input, options, host_now_ms, &mut DidKeySource, Kind::Credential)
}

/// Verifies one presentation; an item that is a credential gets a `MALFORMED_INPUT` error.
pub fn verify_presentation(input: &str, options: &VerifyOptions, host_now_ms: f64) -> VerificationResult {
    verify_one(input, options, host_now_ms, &mut DidKeySource, Kind::Presentation)
}

/// Verifies one item that must be of `kind`, with keys from `keys`.
pub fn verify_one(input: &str, options: &VerifyOptions, host_now_ms: f64, keys: &mut dyn KeySource, kind: Kind) -> VerificationResult {
    let mut results = verify_items_with(&[input], options, host_now_ms, keys);
    let mut result = results.pop().unwrap_or_else(|| VerificationResult::failed(Error::new(ErrorCode::InternalError, "no result")));
    expect_kind(&mut result, kind);
    result
}

/// Records a `MALFORMED_INPUT` failure when a single-item call got the other kind of item.
/// SD-JWTs are both: a credential, presented with or without key binding.
pub fn expect_kind(result: &mut VerificationResult, kind: Kind) {
    if result.kind == kind || result.format == Format::Unknown || result.format == Format::SdJwt {
        return;
    }
    let (want, got) = match kind {
        Kind::Credential => ("a credential", "a presentation"),
        Kind::Presentation => ("a presentation", "a credential"),
    };
    result.push(Error::malformed(format!("expected {want}, got {got}")));
    result.valid = false;
}

/// Detects the format of one item and prepares it.
pub fn prepare_item(input: &str, ctx: &mut Ctx<'_>) -> Prepared {
    if input.len() > ctx.options.max_input_bytes {
        return Prepared::failed(VerificationResult::failed(Error::new(
            ErrorCode::InputTooLarge,
            format!("item of {} bytes is over the limit of {}", input.len(), ctx.options.max_input_bytes),
        )));
    }
    let text = input.trim();
    if text.starts_with('{') {
        return prepare_json(text, ctx);
    }
    if text.contains('~') {
        return prepare_sd_jwt(text, ctx);
    }
    match vc_jwt::parse(text, ctx) {
        Ok((jws, payload)) => {
            if is_jose_presentation_typ(jws.header_str("typ")) || payload.contains_key("vp") {
                prepare_vp_jwt(&jws, &payload, ctx)
            } else {
                vc_jwt::prepare_parsed(&jws, &payload, ctx)
            }
        }
        Err(e) => Prepared::failed(VerificationResult::failed(e)),
    }
}

/// An anon-identity credential or presentation, told apart by its `type`.
fn prepare_json(text: &str, ctx: &mut Ctx<'_>) -> Prepared {
    let body = match parse_object(text.as_bytes(), ctx.options.max_input_bytes, ctx.options.max_depth) {
        Ok(b) => b,
        Err(e) => return Prepared::failed(VerificationResult::failed(e)),
    };
    match types(body.get("type")) {
        Ok(t) if t.iter().any(|t| t == "VerifiablePresentation") => prepare_anon(&body, ctx),
        Ok(t) if t.iter().any(|t| t == "VerifiableCredential") => anon_identity::prepare(&body, ctx),
        Ok(_) => Prepared::failed(VerificationResult::failed(
            Error::malformed("'type' names neither VerifiableCredential nor VerifiablePresentation").at("type"),
        )),
        Err(e) => Prepared::failed(VerificationResult::failed(e.at("type"))),
    }
}

/// SD-JWT items (RFC 9901, SD-JWT VC): the issuer key is resolved through the same key source.
fn prepare_sd_jwt(input: &str, ctx: &mut Ctx<'_>) -> Prepared {
    let keys = &mut *ctx.keys;
    crate::sdjwt::prepare(input, ctx.options, ctx.now, &mut |iss: &str| keys.issuer_key(iss))
}