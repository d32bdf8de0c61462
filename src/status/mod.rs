//! Credential status: W3C Bitstring Status List v1.0 and IETF Token Status List
//! (draft-ietf-oauth-status-list), read for verification and written for issuance.
//!
//! # Reading, in a batch
//! The engine calls [`apply_status`] between preparing the items and [`crate::batch::finish_with_shared`].
//! For each status entry of each item it finds the list by URI (in the caller's `statusLists`,
//! else in the cache), decodes each list at most once per batch (and, with a cache, once per
//! cache lifetime), checks the list's issuer, time and purpose, reads the entry, and adds one
//! signature check per list to the batch, shared by every item that relied on it.
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
//! - Lists are compact JWS strings (a W3C credential in a JWT, or an IETF `statuslist+jwt`).

pub mod bitstring;
mod document;
pub mod entry;
pub mod issuer;
pub mod list;
pub mod token;

pub use document::ListDocument;
pub use entry::{Purpose, StatusEntry};
pub use issuer::{ListConfig, StatusListIssuer};
pub use list::{BitOrder, Container, StatusList, DEFAULT_MAX_INFLATED_BYTES};

use crate::batch::{Prepared, SharedChecks, SigCheck};
use crate::cache::TtlLru;
use crate::credential::VerifyOptions;
use crate::error::{Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
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
    pub value: u8,
    /// `REVOKED_CREDENTIAL` or `CREDENTIAL_SUSPENDED` when the value says so.
    pub error: Option<Error>,
}

/// The outcome of [`check`]: the entry's reading, and the list's signature still to verify.
#[derive(Clone, Debug)]
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
    let trusted = doc.issuer == issuer
        || options.trusted_status_issuers.as_ref().is_some_and(|t| t.contains(&doc.issuer));
    if !trusted {
        return Err(invalid(format!("the status list's issuer {} is neither the credential's issuer nor a trusted status issuer", doc.issuer)));
    }
    doc.check_time(now, i64::from(options.clock_skew_seconds))?;
    let (value, error) = match (entry, doc.format) {
        (StatusEntry::W3c { uri, index, purpose, size }, ListFormat::W3c) => {
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
            let value = doc
                .list
                .get(*index)
                .ok_or_else(|| invalid(format!("status index {index} is past the end of the list at {uri}")))?;
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

/// The compact JWS of a supplied list.
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
pub fn check(entry: &Value, issuer: &str, lists: &BTreeMap<String, Value>, options: &VerifyOptions, now: i64) -> Result<Option<StatusOutcome>> {
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
    let doc = Arc::new(ListDocument::parse(list_text(value)?, Some(entry.uri()), options.max_status_list_bytes)?);
    let reading = evaluate(&entry, &doc, issuer, options, now)?;
    Ok(Some(StatusOutcome { reading, check: doc.sig_check(""), list: doc }))
}

fn unavailable(uri: &str) -> Error {
    Error::new(ErrorCode::StatusUnavailable, format!("the status list {uri} was not supplied"))
}

/// A list as found for this batch.
enum Found {
    Doc { doc: Arc<ListDocument>, shared: Option<usize> },
    Absent,
    Bad(Error),
}

/// Finds the list at `uri`: supplied (reusing the cached decoding when it is the same text), else
/// cached.
fn resolve(uri: &str, options: &VerifyOptions, host_now_ms: f64, cache: &mut Option<&mut StatusListCache>) -> Result<Option<Arc<ListDocument>>> {
    if let Some(value) = options.status_lists.as_ref().and_then(|m| m.get(uri)) {
        let text = list_text(value)?;
        if let Some(c) = cache.as_deref_mut() {
            if let Some(doc) = c.get_if(uri, host_now_ms, |d| d.raw() == text) {
                return Ok(Some(Arc::clone(doc)));
            }
        }
        let doc = Arc::new(ListDocument::parse(text, Some(uri), options.max_status_list_bytes)?);
        if let Some(c) = cache.as_deref_mut() {
            // Only a list whose signature verifies is kept: a forged list must not displace the
            // real one for later batches that do not supply it.
            if !doc.verify_signature() {
                return Err(invalid("the status list's signature does not verify"));
            }
            c.insert_until(uri.to_owned(), Arc::clone(&doc), host_now_ms, doc.cache_deadline_ms(host_now_ms));
        }
        return Ok(Some(doc));
    }
    Ok(cache.as_deref_mut().and_then(|c| c.get(uri, host_now_ms)).cloned())
}

/// Checks the status entries of every item; returns the lists' signature checks for
/// [`crate::batch::finish_with_shared`].
///
/// Each item's `status` references are consumed; failures are recorded on its result at the
/// entry's path (an array entry gets `[i]`). `host_now_ms` is the host clock, used for the cache;
/// the verification time is `options.now` when given. Each list is decoded at most once per call
/// and its signature checked once per batch, whatever the number of items relying on it.
pub fn apply_status(items: &mut [Prepared], options: &VerifyOptions, host_now_ms: f64, mut cache: Option<&mut StatusListCache>) -> SharedChecks {
    let mut shared = SharedChecks::default();
    let mut found: HashMap<String, Found> = HashMap::new();
    let now = options.now_seconds(host_now_ms);
    for (i, item) in items.iter_mut().enumerate() {
        let refs = std::mem::take(&mut item.status);
        if !options.check_status {
            continue;
        }
        for sref in refs {
            let entries: Vec<(&Value, String)> = match &sref.entry {
                Value::Array(a) => a.iter().enumerate().map(|(k, v)| (v, format!("{}[{k}]", sref.path))).collect(),
                v => vec![(v, sref.path.clone())],
            };
            for (value, path) in entries {
                let outcome = (|| -> Result<()> {
                    let entry = match StatusEntry::parse(value) {
                        Err(e) if e.code == ErrorCode::StatusUnavailable && options.status_fail_open => return Ok(()),
                        other => other?,
                    };
                    let slot = found.entry(entry.uri().to_owned()).or_insert_with(|| {
                        match resolve(entry.uri(), options, host_now_ms, &mut cache) {
                            Ok(Some(doc)) => Found::Doc { doc, shared: None },
                            Ok(None) => Found::Absent,
                            Err(e) => Found::Bad(e),
                        }
                    });
                    match slot {
                        Found::Absent if options.status_fail_open => Ok(()),
                        Found::Absent => Err(unavailable(entry.uri())),
                        Found::Bad(e) => Err(e.clone()),
                        Found::Doc { doc, shared: id } => {
                            let reading = evaluate(&entry, doc, &sref.issuer, options, now)?;
                            let id = *id.get_or_insert_with(|| shared.add(doc.sig_check("")));
                            shared.rely(id, i, path.clone());
                            reading.error.map_or(Ok(()), Err)
                        }
                    }
                })();
                if let Err(e) = outcome {
                    item.result.push(e.at(path));
                }
            }
        }
    }
    shared
}
