//! The Verifier: SD-JWT and SD-JWT+KB verification (RFC 9901 section 7), with the SD-JWT VC
//! profile checks (draft-ietf-oauth-sd-jwt-vc section 3), feeding the batch engine.
//!
//! Policy decisions:
//! - Profile by header `typ`. `dc+sd-jwt` is an SD-JWT VC (string `vct` required; `iss`, `nbf`,
//!   `exp`, `cnf`, `vct`, `vct#integrity`, `status` must not come from disclosures). The legacy
//!   `vc+sd-jwt` is accepted only with `acceptLegacyTyp`, else `MALFORMED_INPUT` (the algorithm
//!   is fine; the token type is what is refused). RFC 9901 leaves explicit typing to each
//!   application (section 9.11), so a plain SD-JWT is accepted untyped, as `sd-jwt`, `sd+jwt`,
//!   `application/sd-jwt` or any `*+sd-jwt` type; any other `typ` (`JWT`, `kb+jwt`, `vc+jwt`,
//!   ...) is `MALFORMED_INPUT`, so another kind of JWT cannot pass for an SD-JWT.
//! - The issuer key comes from the signed payload's `iss` (never from a disclosure) through the
//!   caller's resolver (did:key by default); a header `kid` must be a DID URL of `iss`, and for
//!   did:key its fragment must be the key's own fingerprint.
//! - Key binding is required when `requireKeyBinding`, `nonce` or `audience` is given (the last
//!   two can only be checked inside a KB-JWT): `KEY_BINDING_MISSING` otherwise. A KB-JWT that is
//!   present is always checked.
//! - Disclosure order: without key binding nothing fixes the order of disclosures, so a
//!   reordered SD-JWT verifies (RFC 9901 section 7.1 matches them by digest). With key binding,
//!   `sd_hash` covers the exact string, so reordering gives `KEY_BINDING_INVALID`.
//! - Kind: `presentation` when a KB-JWT is present (its `holder` is the did:key of the `cnf`
//!   key), otherwise `credential`.
//! - Times come from the processed payload: `exp` (`EXPIRED_CREDENTIAL`), `nbf` and a future
//!   `iat` (`NOT_YET_VALID`), each with `clockSkewSeconds` of tolerance.

use super::disclosure::{pointer_push, resolve, sd_alg, Disclosure};
use super::key_binding;
use super::Compact;
use crate::batch::{Prepared, SigCheck, StatusRef};
use crate::credential::{CredentialSummary, Format, Kind, VerificationResult, VerifyOptions};
use crate::error::{Error, ErrorCode, Result};
use crate::jws::Jws;
use crate::keys::{did_from_public_key, jwk_thumbprint, public_key_from_did, PublicKey};
use serde_json::{Map, Value};

/// Top-level claims an SD-JWT VC must not disclose selectively (draft-ietf-oauth-sd-jwt-vc 3.2.2).
pub const VC_NEVER_DISCLOSED: &[&str] = &["iss", "nbf", "exp", "cnf", "vct", "vct#integrity", "status"];

/// Registered claims left out of a result's credential `attributes`.
const REGISTERED: &[&str] = &["iss", "iat", "nbf", "exp", "cnf", "vct", "vct#integrity", "status", "sub", "jti"];

/// Verifies one SD-JWT (or SD-JWT+KB) with did:key issuers, through the batch engine.
pub fn verify(input: &str, options: &VerifyOptions, now_seconds: i64) -> VerificationResult {
    let mut did_key = |iss: &str| public_key_from_did(iss).map(|d| d.public_key);
    let prepared = prepare(input, options, now_seconds, &mut did_key);
    crate::batch::finish(vec![prepared])
        .pop()
        .unwrap_or_else(|| VerificationResult::failed(Error::new(ErrorCode::InternalError, "the batch lost an item")))
}

/// Runs every check of an SD-JWT that needs no cryptography and lists its signatures: the issuer's
/// (`INVALID_SIGNATURE`) and the key-binding JWT's (`KEY_BINDING_INVALID`). `keys` maps the
/// issuer identifier (`iss`) to its key.
pub fn prepare(
    input: &str,
    options: &VerifyOptions,
    now_seconds: i64,
    keys: &mut dyn FnMut(&str) -> Result<PublicKey>,
) -> Prepared {
    let mut prepared = Prepared {
        result: VerificationResult::new(Format::SdJwt, Kind::Credential),
        checks: Vec::new(),
        status: Vec::new(),
    };
    if let Err(e) = run(input, options, now_seconds, keys, &mut prepared) {
        prepared.result.push(e);
    }
    prepared
}

fn run(
    input: &str,
    options: &VerifyOptions,
    now: i64,
    keys: &mut dyn FnMut(&str) -> Result<PublicKey>,
    out: &mut Prepared,
) -> Result<()> {
    if input.len() > options.max_input_bytes {
        return Err(Error::new(ErrorCode::InputTooLarge, format!("input over {} bytes", options.max_input_bytes)));
    }
    let compact = Compact::parse(input)?;
    if compact.kb_jwt.is_some() {
        out.result.kind = Kind::Presentation;
    }
    let jws = Jws::parse(compact.jwt).map_err(|e| e.at("jwt"))?;
    let vc = is_vc_profile(&jws, options)?;
    let payload = jws.payload_object().map_err(|e| e.at("jwt"))?;
    let alg = sd_alg(&payload)?;

    let Some(iss) = payload.get("iss").and_then(Value::as_str) else {
        return Err(Error::malformed("the issuer-signed JWT needs a string iss").at("iss"));
    };
    out.result.issuer = Some(iss.to_owned());
    if !options.trusts(iss) {
        out.result.push(Error::new(ErrorCode::UntrustedIssuer, format!("issuer '{iss}' is not trusted")).at("iss"));
    }
    match keys(iss) {
        Ok(key) => {
            if let Some(kid) = jws.header.get("kid") {
                if let Err(e) = check_kid(kid, iss) {
                    out.result.push(e);
                }
            }
            out.checks.push(SigCheck {
                message: jws.signing_input.as_bytes().to_vec(),
                signature: jws.signature,
                key,
                code: ErrorCode::InvalidSignature,
                path: "jwt".into(),
            });
        }
        Err(e) => out.result.push(e.at("iss")),
    }

    let disclosures = compact
        .disclosures
        .iter()
        .enumerate()
        .map(|(i, d)| Disclosure::parse(d).map_err(|e| e.at(format!("disclosures[{i}]"))))
        .collect::<Result<Vec<_>>>()?;
    let resolved = resolve(&payload, &disclosures, alg, options.max_depth)?;
    if vc {
        for (i, placement) in resolved.placements.iter().enumerate() {
            if VC_NEVER_DISCLOSED.iter().any(|name| placement.parent.is_none() && placement.pointer == pointer_push("", name)) {
                return Err(Error::new(
                    ErrorCode::InvalidDisclosureProof,
                    format!("claim '{}' must not be selectively disclosed in an SD-JWT VC", placement.pointer),
                )
                .at(format!("disclosures[{i}]")));
            }
        }
        if !matches!(resolved.claims.get("vct"), Some(Value::String(_))) {
            out.result.push(Error::malformed("an SD-JWT VC needs a string vct").at("vct"));
        }
    }
    let claims = resolved.claims;

    let exp = numeric_date(&claims, "exp", &mut out.result);
    let nbf = numeric_date(&claims, "nbf", &mut out.result);
    let iat = numeric_date(&claims, "iat", &mut out.result);
    let skew = i64::from(options.clock_skew_seconds);
    if exp.is_some_and(|exp| now > exp.saturating_add(skew)) {
        out.result.push(Error::new(ErrorCode::ExpiredCredential, "the SD-JWT has expired").at("exp"));
    }
    if nbf.is_some_and(|nbf| now.saturating_add(skew) < nbf) {
        out.result.push(Error::new(ErrorCode::NotYetValid, "the SD-JWT is not valid yet").at("nbf"));
    }
    if iat.is_some_and(|iat| now.saturating_add(skew) < iat) {
        out.result.push(Error::new(ErrorCode::NotYetValid, "the SD-JWT is issued in the future").at("iat"));
    }
    out.result.note_expiry(exp);

    if options.check_status {
        if let Some(status) = claims.get("status") {
            out.status.push(StatusRef { entry: status.clone(), issuer: iss.to_owned(), path: "status".into() });
        }
    }

    // A cnf of another key type is no failure unless key binding needs it.
    let holder_key = claims.get("cnf").map(|_| key_binding::cnf_key(&claims));
    if let Some(Ok(key)) = &holder_key {
        out.result.holder_key_thumbprint = Some(jwk_thumbprint(key.as_bytes()));
    }
    let required = options.require_key_binding || options.nonce.is_some() || options.audience.is_some();
    match (compact.kb_jwt, holder_key) {
        (None, _) if required => out.result.push(
            Error::new(ErrorCode::KeyBindingMissing, "key binding is required but the SD-JWT has no key-binding JWT")
                .at("kb_jwt"),
        ),
        (None, _) => {}
        (Some(_), None) => out.result.push(
            Error::new(ErrorCode::KeyBindingInvalid, "a key-binding JWT needs a cnf.jwk holder key in the SD-JWT").at("cnf"),
        ),
        (Some(_), Some(Err(e))) => out.result.push(e),
        (Some(kb), Some(Ok(key))) => {
            out.result.holder = Some(did_from_public_key(key.as_bytes()));
            if let Some(check) = key_binding::check(kb, compact.presented, alg, &key, options, now, &mut out.result) {
                out.checks.push(check);
            }
        }
    }

    let subject = claims.get("sub").and_then(Value::as_str).map(str::to_owned);
    out.result.subject.clone_from(&subject);
    let attributes: Map<String, Value> =
        claims.iter().filter(|(k, _)| !REGISTERED.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect();
    out.result.credentials.push(CredentialSummary {
        id: claims.get("jti").and_then(Value::as_str).map(str::to_owned),
        issuer: Some(iss.to_owned()),
        types: claims.get("vct").and_then(Value::as_str).map(str::to_owned).into_iter().collect(),
        attributes: Value::Object(attributes),
        subject,
        expires_at: exp,
    });
    out.result.disclosed = Some(resolved.placements.into_iter().map(|p| p.pointer).collect());
    out.result.claims = Some(Value::Object(claims));
    Ok(())
}

/// Reads the header `typ` and says whether the SD-JWT VC profile applies.
fn is_vc_profile(jws: &Jws<'_>, options: &VerifyOptions) -> Result<bool> {
    let typ = match jws.header.get("typ") {
        None => None,
        Some(Value::String(t)) => Some(t.as_str()),
        Some(_) => return Err(Error::malformed("typ must be a string").at("jwt.header.typ")),
    };
    match typ {
        Some("dc+sd-jwt") => Ok(true),
        Some("vc+sd-jwt") if options.accept_legacy_typ => Ok(true),
        Some("vc+sd-jwt") => {
            Err(Error::malformed("typ vc+sd-jwt is the legacy SD-JWT VC type; set acceptLegacyTyp to accept it")
                .at("jwt.header.typ"))
        }
        None | Some("sd-jwt") | Some("sd+jwt") | Some("application/sd-jwt") => Ok(false),
        Some(t) if t.ends_with("+sd-jwt") => Ok(false),
        Some(t) => Err(Error::malformed(format!("typ '{t}' is not an SD-JWT type")).at("jwt.header.typ")),
    }
}

/// A header `kid` must name a key of the issuer: `iss`, `iss#fragment` or `#fragment`; for
/// did:key the fragment is the key's fingerprint.
fn check_kid(kid: &Value, iss: &str) -> Result<()> {
    let bad = || Error::new(ErrorCode::InvalidDid, "the header kid does not belong to the issuer").at("jwt.header.kid");
    let Value::String(kid) = kid else { return Err(bad()) };
    let (did, fragment) = match kid.split_once('#') {
        Some((did, fragment)) => (did, Some(fragment)),
        None => (kid.as_str(), None),
    };
    if !(did.is_empty() && fragment.is_some()) && did != iss {
        return Err(bad());
    }
    if let (Some(fingerprint), Some(fragment)) = (iss.strip_prefix("did:key:"), fragment) {
        if fragment != fingerprint {
            return Err(bad());
        }
    }
    Ok(())
}

/// A NumericDate claim (RFC 7519 section 2), floored to whole seconds; a non-number is recorded.
fn numeric_date(claims: &Map<String, Value>, name: &str, result: &mut VerificationResult) -> Option<i64> {
    match claims.get(name) {
        None => None,
        Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f.floor() as i64)),
        Some(_) => {
            result.push(Error::malformed(format!("{name} must be a number")).at(name.to_owned()));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kid_must_name_the_issuer_key() {
        let did = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp";
        let fp = "z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp";
        for ok in [did.to_string(), format!("{did}#{fp}"), format!("#{fp}")] {
            assert!(check_kid(&json!(ok), did).is_ok(), "{ok}");
        }
        for bad in [json!(format!("{did}#key-1")), json!("#key-1"), json!("did:key:z6Mkother#z6Mkother"), json!(7), json!("")] {
            assert_eq!(check_kid(&bad, did).map_err(|e| e.code), Err(ErrorCode::InvalidDid), "{bad}");
        }
        assert!(check_kid(&json!("did:web:issuer.example#key-1"), "did:web:issuer.example").is_ok());
    }

    #[test]
    fn numeric_dates() {
        let claims = json!({ "a": 10, "b": 10.9, "c": "10" });
        let claims = claims.as_object().unwrap();
        let mut r = VerificationResult::new(Format::SdJwt, Kind::Credential);
        assert_eq!(numeric_date(claims, "a", &mut r), Some(10));
        assert_eq!(numeric_date(claims, "b", &mut r), Some(10));
        assert_eq!(numeric_date(claims, "x", &mut r), None);
        assert!(r.errors.is_empty());
        assert_eq!(numeric_date(claims, "c", &mut r), None);
        assert_eq!(r.errors[0].code, "MALFORMED_INPUT");
    }
}
