//! Credential status: W3C Bitstring Status List v1.0 and IETF Token Status List
//! (draft-ietf-oauth-status-list), read for verification and written for issuance.
//!
//! # Reading
//! [`evaluate`] reads one entry from one decoded list under the policy below; the verifier's
//! pipeline finds the lists of a batch and shares their signature checks (`verifier::status`).
//!
//! # Policy
//! - A list that was not supplied and is not cached is `STATUS_UNAVAILABLE`, and so is a status
//!   mechanism this implementation does not know, unless `statusFailOpen` is set. A list that is
//!   supplied but bad is `INVALID_STATUS_LIST` either way: fail-open covers absence, not forgery.
//! - A list must be signed by the credential's issuer or by one of `trustedStatusIssuers`; it
//!   must be in force (`exp` / `validUntil`, `nbf` / `validFrom`, with the clock skew); a W3C
//!   entry's `statusPurpose` must be one of the list's; the index must be inside the list.
//! - W3C: a non-zero `revocation` entry is `REVOKED_CREDENTIAL`, a non-zero `suspension` entry is
//!   `CREDENTIAL_SUSPENDED`, `message` entries never invalidate. IETF (section 7.1): 0x01 INVALID
//!   is `REVOKED_CREDENTIAL`, 0x02 SUSPENDED is `CREDENTIAL_SUSPENDED`, other values are valid
//!   (0x03 and 0x0C-0x0F are application-specific, the rest reserved).
//! - Lists are compact JWS strings (a W3C credential in a JWT, or an IETF `statuslist+jwt`), or
//!   W3C list credentials secured with Data Integrity proofs, whose proofs the verifier checks
//!   (`credential::data_integrity::status_list`) before [`ListDocument`] decodes them.
//! - A `StatusList2021Entry` reads only a `StatusList2021Credential`, a
//!   `BitstringStatusListEntry` only a `BitstringStatusListCredential`.

pub mod bitstring;
mod body;
mod document;
pub mod entry;
pub mod issuer;
pub mod list;
pub mod token;

pub use document::ListDocument;
pub use entry::{Purpose, StatusEntry};
#[cfg(feature = "internals")]
pub use issuer::{ListConfig, StatusListIssuer};
pub use list::DEFAULT_MAX_INFLATED_BYTES;
#[cfg(feature = "internals")]
pub use list::{BitOrder, Container, StatusList};

#[cfg(any(test, feature = "internals"))]
use crate::batch::SigCheck;
use crate::cache::TtlLru;
use crate::error::{Error, ErrorCode, Result};
use crate::options::VerifyOptions;
use serde::{Deserialize, Serialize};
#[cfg(any(test, feature = "internals"))]
use serde_json::Value;
#[cfg(any(test, feature = "internals"))]
use std::collections::BTreeMap;
use std::sync::Arc;

/// Which specification a list follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ListFormat {
    /// W3C Bitstring Status List v1.0.
    W3c,
    /// IETF Token Status List.
    Ietf,
}

/// Decoded lists by URI, each kept until `min(exp, iat + ttl, the cache's TTL)`.
pub type StatusListCache = TtlLru<String, Arc<ListDocument>>;

/// An entry read from a list.
#[derive(Clone, Debug)]
pub struct Reading {
    /// The entry's value.
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // read by the test suites
    pub value: u8,
    /// `REVOKED_CREDENTIAL` or `CREDENTIAL_SUSPENDED` when the value says so.
    pub error: Option<Error>,
}

/// The outcome of [`check`]: the entry's reading, and the list's signature still to verify.
#[derive(Clone, Debug)]
#[cfg(any(test, feature = "internals"))]
pub struct StatusOutcome {
    /// The entry's value and what it means.
    pub reading: Reading,
    /// The decoded list (to cache by its URI until [`ListDocument::cache_deadline_ms`]).
    pub list: Arc<ListDocument>,
    /// The list's signature; its failure is `INVALID_STATUS_LIST`.
    pub check: SigCheck,
}

fn invalid(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidStatusList, why)
}

/// Reads `entry` from `doc` for a credential issued by `issuer`, applying the module's policy.
///
/// # Errors
/// `INVALID_STATUS_LIST` for a list of the other format, from an untrusted issuer, out of force,
/// of another purpose, or too short for the index.
pub fn evaluate(entry: &StatusEntry, doc: &ListDocument, issuer: &str, options: &VerifyOptions, now: i64) -> Result<Reading> {
    let trusted = doc.issuer == issuer || options.trusted_status_issuers.as_ref().is_some_and(|t| t.contains(&doc.issuer));
    if !trusted {
        return Err(invalid(format!(
            "the status list's issuer {} is neither the credential's issuer nor a trusted status issuer",
            doc.issuer
        )));
    }
    doc.check_time(now, i64::from(options.clock_skew_seconds))?;
    let (value, error) = match (entry, doc.format) {
        (StatusEntry::W3c { uri, index, purpose, size, status_list_2021 }, ListFormat::W3c) => {
            if *status_list_2021 != doc.status_list_2021 {
                let (entry, list) = if *status_list_2021 {
                    ("StatusList2021Entry", "StatusList2021Credential")
                } else {
                    ("BitstringStatusListEntry", "BitstringStatusListCredential")
                };
                return Err(invalid(format!("the list at {uri} is not a {list}, which a {entry} references")));
            }
            if !doc.purposes.iter().any(|p| p == purpose.as_str()) {
                return Err(invalid(format!("the status list at {uri} is not a {} list", purpose.as_str())));
            }
            let value = doc
                .list
                .get_sized(*index, *size)?
                .ok_or_else(|| invalid(format!("status index {index} is past the end of the list at {uri}")))?;
            let error = match (purpose, value) {
                (_, 0) | (Purpose::Message, _) => None,
                (Purpose::Revocation, _) => Some(Error::new(ErrorCode::RevokedCredential, format!("revoked by {uri} entry {index}"))),
                (Purpose::Suspension, _) => Some(Error::new(ErrorCode::CredentialSuspended, format!("suspended by {uri} entry {index}"))),
            };
            (value, error)
        }
        (StatusEntry::Ietf { uri, index }, ListFormat::Ietf) => {
            let value =
                doc.list.get(*index).ok_or_else(|| invalid(format!("status index {index} is past the end of the list at {uri}")))?;
            let error = match value {
                1 => Some(Error::new(ErrorCode::RevokedCredential, format!("revoked (INVALID) by {uri} entry {index}"))),
                2 => Some(Error::new(ErrorCode::CredentialSuspended, format!("suspended by {uri} entry {index}"))),
                _ => None,
            };
            (value, error)
        }
        _ => return Err(invalid(format!("the list at {} is not of the format its reference expects", entry.uri()))),
    };
    Ok(Reading { value, error })
}

/// The compact JWS of a supplied list (Data Integrity lists are read by the verifier:
/// `credential::data_integrity::status_list`).
#[cfg(any(test, feature = "internals"))]
fn list_text(value: &Value) -> Result<&str> {
    value.as_str().ok_or_else(|| invalid("a status list must be given as a compact JWT string"))
}

/// Checks one status entry against the caller's lists (no cache; see [`apply_status`]).
///
/// `entry` is a W3C `credentialStatus` object or an IETF `status` object; `issuer` the
/// credential's issuer; `now` the verification time in seconds. The returned `check` must join
/// the batch (or be verified) before the reading is trusted.
///
/// # Errors
/// `MALFORMED_INPUT` for a malformed entry; `STATUS_UNAVAILABLE` when the list is not in `lists`
/// (`Ok(None)` instead with `statusFailOpen`); `INVALID_STATUS_LIST` as in [`evaluate`] and for a
/// malformed list.
#[cfg(any(test, feature = "internals"))]
pub fn check(
    entry: &Value,
    issuer: &str,
    lists: &BTreeMap<String, Value>,
    options: &VerifyOptions,
    now: i64,
) -> Result<Option<StatusOutcome>> {
    let entry = match StatusEntry::parse(entry) {
        Err(e) if e.code == ErrorCode::StatusUnavailable && options.status_fail_open => return Ok(None),
        other => other?,
    };
    let Some(value) = lists.get(entry.uri()) else {
        if options.status_fail_open {
            return Ok(None);
        }
        return Err(unavailable(entry.uri()));
    };
    let mut keys = match &options.issuer_keys {
        Some(map) => crate::keys::IssuerKeys::parse(map)?,
        None => crate::keys::IssuerKeys::default(),
    };
    let text = list_text(value)?;
    let doc = Arc::new(ListDocument::parse_with(
        text,
        Some(entry.uri()),
        options.max_status_list_bytes,
        &mut keys,
        options.algorithms.as_deref(),
    )?);
    let reading = evaluate(&entry, &doc, issuer, options, now)?;
    Ok(Some(StatusOutcome { reading, check: doc.sig_check(""), list: doc }))
}

#[cfg(any(test, feature = "internals"))]
fn unavailable(uri: &str) -> Error {
    Error::new(ErrorCode::StatusUnavailable, format!("the status list {uri} was not supplied"))
}
