//! Status list credentials secured with Data Integrity (VC Data Integrity 1.0 section 2.1): a
//! `BitstringStatusListCredential` (Bitstring Status List v1.0 section 2.2) or a
//! `StatusList2021Credential` (W3C CCG Status List 2021) with an embedded `proof`, as JSON-LD
//! issuers publish them.
//!
//! Policy: the list's proofs are checked by the same code as a credential's
//! ([`crate::credential::data_integrity::check_proofs`]): every cryptosuite credcore verifies,
//! `assertionMethod`, the verification method's controller the list's `issuer`, its key through
//! the same key sources and within the caller's `algorithms`, `created` / `expires` at `now`.
//! Every signature is verified before the list is inflated. A failure is `INVALID_STATUS_LIST`,
//! except what another round can cure and the needs loop asks for: `NOT_INITIALIZED` (the Data
//! Integrity module is not loaded yet) and `JSONLD_CONTEXT_UNAVAILABLE` (a context neither
//! bundled nor loaded), which keep their codes so that the item runs again once they are had;
//! neither ever passes. The issuer, `id` and validity checks after that are the JOSE lists' own
//! ([`ListDocument`]).

use super::{check_proofs, proof::Expect, ASSERTION_METHOD};
use crate::credential::checks::{check_context, issuer_id, Acc, Ctx};
use crate::error::{Error, ErrorCode, Result};
use crate::keys::KeySource;
use crate::options::VerifyOptions;
use crate::status::ListDocument;
use serde_json::{Map, Value};

fn invalid(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidStatusList, why)
}

/// Whether a supplied list's text is a JSON object (a Data Integrity list) rather than a JWS.
pub fn is_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

/// The list's failure as the status check reports it (see the module docs).
fn as_list_error(e: Error) -> Error {
    match e.code {
        ErrorCode::NotInitialized | ErrorCode::ContextUnavailable => e,
        _ => {
            let at = e.path.as_deref().map_or_else(String::new, |p| format!(" (at {p})"));
            invalid(format!("the status list's proof does not verify: {} {}{at}", e.code.as_str(), e.message))
        }
    }
}

/// Parses a Data Integrity status list credential, verifies every proof (synchronously, as a
/// JOSE list's signature is), then decodes it (see the module docs).
///
/// # Errors
/// `INVALID_STATUS_LIST`, `NOT_INITIALIZED` or `JSONLD_CONTEXT_UNAVAILABLE` as above.
pub fn parse(
    text: &str,
    keys: &mut dyn KeySource,
    options: &VerifyOptions,
    now: i64,
) -> Result<(Map<String, Value>, String, Vec<crate::batch::SigCheck>)> {
    let body = crate::json::parse_object(text.as_bytes(), options.max_input_bytes, options.max_depth)
        .map_err(|e| invalid(format!("the status list is not a JSON credential: {}", e.message)))?;
    let issuer = match body.get("issuer").map(issuer_id) {
        Some(Ok(i)) => i.to_owned(),
        _ => return Err(invalid("the status list names no issuer")),
    };
    let mut acc = Acc::default();
    check_context(&body, "", false, &mut acc);
    let expect = Expect { signer: &issuer, purpose: ASSERTION_METHOD, code: ErrorCode::InvalidStatusList, binding: false };
    {
        let mut ctx = Ctx { options, now, keys };
        check_proofs(&body, &expect, &mut ctx, &mut acc);
    }
    if let Some(e) = acc.errors.into_iter().next() {
        return Err(as_list_error(e));
    }
    let mut checks = acc.checks;
    for p in acc.pending {
        let message = (p.hash)(&p.document, &p.proof_config).map_err(|e| as_list_error(e.at(p.path)))?;
        checks.push(crate::batch::SigCheck { message, ..p.check });
    }
    if checks.is_empty() {
        return Err(invalid("the status list has no proof"));
    }
    // Every proof verifies before anything is inflated (a JOSE list's rule too). A proof the keys
    // module could not settle (not loaded) is that error, not an invalid list.
    crate::keys::curves::take_failure();
    let verified = checks.iter().all(|c| c.key.verify(c.alg, &c.message, &c.signature));
    if let Some(u) = crate::keys::curves::take_failure() {
        return Err(as_list_error(u.error));
    }
    if !verified {
        return Err(invalid("the status list's proof does not verify"));
    }
    Ok((body, issuer, checks))
}

/// A supplied list of either securing: a compact JWS ([`ListDocument::parse_with`]) or a Data
/// Integrity credential (JSON text; see the module docs), with `now` (seconds) and the caller's
/// options for the proofs.
///
/// # Errors
/// As [`ListDocument::parse_with`] and [`parse`].
pub fn parse_supplied(
    text: &str,
    uri: Option<&str>,
    max_inflated: usize,
    keys: &mut dyn KeySource,
    options: &VerifyOptions,
    now: i64,
) -> Result<ListDocument> {
    if !is_json(text) {
        return ListDocument::parse_with(text, uri, max_inflated, keys, options.algorithms.as_deref());
    }
    let (mut body, issuer, checks) = parse(text, keys, options, now)?;
    body.remove("proof");
    ListDocument::from_verified_credential(&body, text, uri, max_inflated, issuer, checks)
}
