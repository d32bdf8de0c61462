//! The Verifier: SD-JWT and SD-JWT+KB verification (RFC 9901 section 7), with the SD-JWT VC
//! profile checks (draft-ietf-oauth-sd-jwt-vc section 3), feeding the batch engine.
//!
//! Policy decisions:
//! - The profile comes from the header `typ`, decided with every other format in
//!   [`crate::credential::format`] (`dc+sd-jwt` is an SD-JWT VC; a plain SD-JWT may be untyped or
//!   typed `JWT`, `sd-jwt`, `*+sd-jwt`). An SD-JWT VC needs a string `vct`.
//! - Claims that bound the credential's validity, name its issuer or holder key, or point at its
//!   status (`iss`, `nbf`, `exp`, `cnf`, `status`; for SD-JWT VCs also `vct`, `vct#integrity`) must
//!   not come from disclosures, in either profile: a holder could withhold them.
//! - The issuer key comes from the signed payload's `iss` (never from a disclosure) through the
//!   caller's key source ([`crate::keys::KeySource`]: did:key, did:jwk, `issuerKeys`), chosen by
//!   the header's `kid` and `alg`; for a DID issuer a `kid` that is a DID URL must be of `iss`,
//!   and for did:key its fragment must be the key's own fingerprint.
//! - The holder key is `cnf.jwk`, of any supported type; the KB-JWT's `alg` must fit it.
//! - Key binding is required when `requireKeyBinding`, `nonce` or `audience` is given (the last
//!   two can only be checked inside a KB-JWT): `KEY_BINDING_MISSING` otherwise. A KB-JWT that is
//!   present is always checked.
//! - Disclosure order: without key binding nothing fixes the order of disclosures, so a
//!   reordered SD-JWT verifies (RFC 9901 section 7.1 matches them by digest). With key binding,
//!   `sd_hash` covers the exact string, so reordering gives `KEY_BINDING_INVALID`.
//! - Kind: `presentation` when a KB-JWT is present (its `holder` is the did:key of the `cnf`
//!   key), otherwise `credential`.
//! - Times come from the processed payload through the checks every format shares: `exp`
//!   (`EXPIRED_CREDENTIAL`), `nbf` and a future `iat` (`NOT_YET_VALID`), with `clockSkewSeconds`.

use super::disclosure::{pointer_push, resolve, sd_alg, Disclosure};
use super::key_binding;
use super::Compact;
use crate::batch::Prepared;
use crate::credential::checks::{self, Acc, Ctx};
use crate::credential::format::Profile;
use crate::credential::{CredentialSummary, Format, Kind, VerificationResult};
use crate::error::{Error, ErrorCode, Result};
use crate::jws::Jws;
use serde_json::{Map, Value};

/// Top-level claims no SD-JWT may disclose selectively (draft-ietf-oauth-sd-jwt-vc 3.2.2 for the
/// VC profile; applied to plain SD-JWTs too, see the module docs).
pub const NEVER_DISCLOSED: &[&str] = &["iss", "nbf", "exp", "cnf", "status"];

/// Further top-level claims an SD-JWT VC must not disclose selectively.
pub const VC_NEVER_DISCLOSED: &[&str] = &["vct", "vct#integrity"];

/// Registered claims left out of a result's credential `attributes`.
const REGISTERED: &[&str] = &["iss", "iat", "nbf", "exp", "cnf", "vct", "vct#integrity", "status", "sub", "jti"];

/// Runs every check of an SD-JWT that needs no cryptography and lists its signatures: the issuer's
/// (`INVALID_SIGNATURE`) and the key-binding JWT's (`KEY_BINDING_INVALID`). `input` is the whole
/// item, `jws` and `payload` its issuer-signed JWT as the format decision parsed it.
pub fn prepare(input: &str, jws: &Jws<'_>, payload: &Map<String, Value>, profile: Profile, ctx: &mut Ctx<'_>) -> Prepared {
    let mut acc = Acc::default();
    let mut result = VerificationResult::new(Format::SdJwt, Kind::Credential);
    if let Err(e) = run(input, jws, payload, profile, ctx, &mut acc, &mut result) {
        acc.fail(e);
    }
    acc.into_prepared(result)
}

fn run(
    input: &str,
    jws: &Jws<'_>,
    payload: &Map<String, Value>,
    profile: Profile,
    ctx: &mut Ctx<'_>,
    acc: &mut Acc,
    result: &mut VerificationResult,
) -> Result<()> {
    let compact = Compact::parse(input)?;
    if compact.kb_jwt.is_some() {
        result.kind = Kind::Presentation;
    }
    let alg = sd_alg(payload)?;

    let Some(iss) = payload.get("iss").and_then(Value::as_str) else {
        return Err(Error::malformed("the issuer-signed JWT needs a string iss").at("iss"));
    };
    result.issuer = Some(iss.to_owned());
    ctx.check_trust(iss, "iss", acc);
    if let Some(key) = ctx.issuer_key(iss, jws, "iss", "jwt", acc) {
        ctx.signature(jws, key, ErrorCode::InvalidSignature, "jwt", "jwt", acc);
    }

    if compact.disclosures.len() > crate::limits::MAX_DISCLOSURES {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!("{} disclosures is over the limit of {}", compact.disclosures.len(), crate::limits::MAX_DISCLOSURES),
        ));
    }
    let disclosures = compact
        .disclosures
        .iter()
        .enumerate()
        .map(|(i, d)| Disclosure::parse(d).map_err(|e| e.at(format!("disclosures[{i}]"))))
        .collect::<Result<Vec<_>>>()?;
    let resolved = resolve(payload, &disclosures, alg, ctx.options.max_depth)?;
    for (i, placement) in resolved.placements.iter().enumerate() {
        let top = |names: &[&str]| placement.parent.is_none() && names.iter().any(|name| placement.pointer == pointer_push("", name));
        if top(NEVER_DISCLOSED) || (profile == Profile::Vc && top(VC_NEVER_DISCLOSED)) {
            return Err(Error::new(
                ErrorCode::InvalidDisclosureProof,
                format!("claim '{}' must not be selectively disclosed", placement.pointer),
            )
            .at(format!("disclosures[{i}]")));
        }
    }
    if profile == Profile::Vc && !matches!(resolved.claims.get("vct"), Some(Value::String(_))) {
        acc.fail(Error::malformed("an SD-JWT VC needs a string vct").at("vct"));
    }
    let claims = resolved.claims;

    // No profile defines an SD-JWT carrying a VC Data Model credential or presentation: its
    // dates and status would go unread here (the format decision refuses an undisclosed one).
    for claim in ["vc", "vp"] {
        if claims.contains_key(claim) {
            return Err(Error::malformed(format!("an SD-JWT carries no '{claim}' claim")).at(claim));
        }
    }
    let exp = ctx.check_jwt_times(&jws.header, "jwt.header", &claims, "", acc);
    checks::push_status(ctx, claims.get("status"), iss, "status", acc);
    // Replicated in the protected header (RFC 7519 section 5.3), it counts too.
    checks::push_status(ctx, jws.header.get("status"), iss, "jwt.header.status", acc);

    // A cnf of another key type is no failure unless key binding needs it.
    let holder_key = claims.get("cnf").map(|_| key_binding::cnf_key(&claims));
    if let Some(Ok(key)) = &holder_key {
        result.holder_key_thumbprint = Some(key.thumbprint());
    }
    let options = ctx.options;
    let required = options.require_key_binding || options.nonce.is_some() || options.audience.is_some();
    match (compact.kb_jwt, holder_key) {
        (None, _) if required => {
            acc.fail(Error::new(ErrorCode::KeyBindingMissing, "key binding is required but the SD-JWT has no key-binding JWT").at("kb_jwt"))
        }
        (None, _) => {}
        (Some(_), None) => {
            acc.fail(Error::new(ErrorCode::KeyBindingInvalid, "a key-binding JWT needs a cnf.jwk holder key in the SD-JWT").at("cnf"))
        }
        (Some(_), Some(Err(e))) => acc.fail(e),
        (Some(kb), Some(Ok(key))) => {
            result.holder = Some(key.did());
            key_binding::check(kb, compact.presented, alg, key, ctx, acc);
        }
    }

    let subject = claims.get("sub").and_then(Value::as_str).map(str::to_owned);
    result.subject.clone_from(&subject);
    let attributes: Map<String, Value> =
        claims.iter().filter(|(k, _)| !REGISTERED.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect();
    result.credentials.push(CredentialSummary {
        id: claims.get("jti").and_then(Value::as_str).map(str::to_owned),
        issuer: Some(iss.to_owned()),
        types: claims.get("vct").and_then(Value::as_str).map(str::to_owned).into_iter().collect(),
        attributes: Value::Object(attributes),
        subject,
        expires_at: exp,
    });
    result.disclosed = Some(resolved.placements.into_iter().map(|p| p.pointer).collect());
    result.claims = Some(Value::Object(claims));
    Ok(())
}
