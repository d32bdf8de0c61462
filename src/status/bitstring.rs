//! W3C Bitstring Status List v1.0 (W3C Recommendation): the `encodedList` (section 2.1: GZIP,
//! multibase base64url `u`, MSB-first, at least 16 KB) and the status list credential (section
//! 2.2), secured as a VC 2.0 JWT (VC-JOSE-COSE section 3.1.1, `typ` `vc+jwt`).
//!
//! # Securing form
//! The writer signs the credential itself as the JWT payload (VC Data Model 2.0 with JOSE): the
//! Bitstring Status List is a VC 2.0 specification, and this form carries no duplicated claims
//! that could disagree with the credential. The reader also accepts the VC 1.1 JWT form (the
//! credential under a `vc` claim, with `iss`, `nbf`, `exp`), which older issuers publish.

use super::body::Body;
use super::list::{BitOrder, Container, StatusList};
use super::ListFormat;
use crate::encoding::{b64url_decode, b64url_encode};
use crate::error::{Error, ErrorCode, Result};
use crate::jws;
use crate::keys::Signer;
use crate::time::{format_rfc3339, parse_rfc3339};
use serde_json::{json, Map, Value};

/// The fewest entries a W3C list may have (section 2.1: "a minimum of 131,072 entries").
pub const MIN_ENTRIES: u64 = 131_072;
/// The smallest decompressed W3C list, in bytes (16 KB: 131,072 one-bit entries).
pub const MIN_BYTES: usize = 16_384;
/// The `statusPurpose` values this implementation interprets.
pub const PURPOSES: [&str; 3] = ["revocation", "suspension", "message"];

fn invalid(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidStatusList, why)
}

/// The `encodedList` of a list: `u` + base64url (no padding) of its GZIP compression.
pub fn encode_list(list: &StatusList) -> String {
    let mut out = String::from("u");
    out.push_str(&b64url_encode(&list.compress(Container::Gzip)));
    out
}

/// Decodes an `encodedList` as one-bit MSB-first entries (read other widths with
/// [`StatusList::get_sized`]), inflating at most `max_inflated` bytes.
///
/// # Errors
/// `INVALID_STATUS_LIST` for a missing `u` prefix, bad base64url, a stream that is corrupt or
/// inflates past the cap, and a list shorter than [`MIN_BYTES`].
pub fn decode_list(encoded: &str, max_inflated: usize) -> Result<StatusList> {
    let b64 = encoded.strip_prefix('u').ok_or_else(|| invalid("encodedList must be multibase base64url ('u')"))?;
    inflate(b64, max_inflated)
}

/// Base64url of a GZIP stream of at least [`MIN_BYTES`], inflated under `max_inflated`.
fn inflate(b64: &str, max_inflated: usize) -> Result<StatusList> {
    let gz = b64url_decode(b64).map_err(|e| invalid(format!("encodedList: {}", e.message)))?;
    let list = StatusList::decompress(&gz, Container::Gzip, 1, BitOrder::MsbFirst, max_inflated)?;
    if list.as_bytes().len() < MIN_BYTES {
        return Err(invalid(format!(
            "a status list has at least {MIN_ENTRIES} entries ({MIN_BYTES} bytes), not {} bytes",
            list.as_bytes().len()
        )));
    }
    Ok(list)
}

/// What a status list credential says besides its list.
#[derive(Clone, Debug)]
pub struct CredentialParams<'a> {
    /// The credential's `id`: the URL credentials reference in `statusListCredential`.
    pub uri: &'a str,
    /// `revocation`, `suspension` or `message`.
    pub purpose: &'a str,
    /// `validFrom`, seconds since the epoch.
    pub valid_from: i64,
    /// `validUntil`, seconds since the epoch.
    pub valid_until: Option<i64>,
    /// The subject's `ttl`: how long verifiers may cache the list, in milliseconds.
    pub ttl_ms: Option<u64>,
}

/// Signs `list` as a `BitstringStatusListCredential` in a `vc+jwt` (see the module docs).
pub fn sign_credential(list: &StatusList, params: &CredentialParams<'_>, key: &dyn Signer) -> String {
    let mut subject = Map::new();
    subject.insert("id".into(), Value::String(format!("{}#list", params.uri)));
    subject.insert("type".into(), Value::String("BitstringStatusList".into()));
    subject.insert("statusPurpose".into(), Value::String(params.purpose.into()));
    subject.insert("encodedList".into(), Value::String(encode_list(list)));
    if let Some(ttl) = params.ttl_ms {
        subject.insert("ttl".into(), Value::from(ttl));
    }
    let mut credential = Map::new();
    credential.insert("@context".into(), json!(["https://www.w3.org/ns/credentials/v2"]));
    credential.insert("id".into(), Value::String(params.uri.into()));
    credential.insert("type".into(), json!(["VerifiableCredential", "BitstringStatusListCredential"]));
    credential.insert("issuer".into(), Value::String(key.did()));
    credential.insert("validFrom".into(), Value::String(format_rfc3339(params.valid_from)));
    if let Some(until) = params.valid_until {
        credential.insert("validUntil".into(), Value::String(format_rfc3339(until)));
    }
    credential.insert("credentialSubject".into(), Value::Object(subject));
    let mut header = Map::new();
    header.insert("kid".into(), Value::String(key.kid()));
    header.insert("typ".into(), Value::String("vc+jwt".into()));
    // A map of strings and numbers always serializes.
    let payload = serde_json::to_vec(&Value::Object(credential)).unwrap_or_default();
    jws::sign(&header, &payload, key)
}

/// A date-time member of the credential as seconds, if present.
fn date(credential: &Map<String, Value>, name: &str) -> Result<Option<i64>> {
    match credential.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => parse_rfc3339(s).map(Some).map_err(|_| invalid(format!("{name} is not an RFC 3339 date-time"))),
        Some(_) => Err(invalid(format!("{name} must be a string"))),
    }
}

/// A JWT numeric-date claim as seconds, if present.
pub(crate) fn numeric_date(claims: &Map<String, Value>, name: &str) -> Result<Option<i64>> {
    match claims.get(name) {
        None => Ok(None),
        Some(v) => v
            .as_i64()
            .or_else(|| v.as_f64().filter(|f| f.is_finite()).map(|f| f.floor() as i64))
            .map(Some)
            .ok_or_else(|| invalid(format!("{name} must be a number of seconds"))),
    }
}

fn has_type(v: Option<&Value>, name: &str) -> bool {
    match v {
        Some(Value::String(s)) => s == name,
        Some(Value::Array(a)) => a.iter().any(|t| t.as_str() == Some(name)),
        _ => false,
    }
}

/// Reads a W3C status list credential from a JWT payload (VC 2.0 JOSE or VC 1.1 `vc` claim).
pub(crate) fn parse_payload(payload: &Map<String, Value>, max_inflated: usize) -> Result<Body> {
    let (credential, v11) = match payload.get("vc") {
        Some(Value::Object(vc)) => (vc, true),
        Some(_) => return Err(invalid("the vc claim must be an object")),
        None => (payload, false),
    };
    // A W3C CCG StatusList2021Credential is read too, by StatusList2021Entry entries only.
    let status_list_2021 = !has_type(credential.get("type"), "BitstringStatusListCredential");
    if status_list_2021 && !has_type(credential.get("type"), "StatusList2021Credential") {
        return Err(invalid("not a BitstringStatusListCredential or StatusList2021Credential"));
    }
    let subject = match credential.get("credentialSubject") {
        Some(Value::Object(s)) => s,
        _ => return Err(invalid("credentialSubject must be one object")),
    };
    let subject_type = if status_list_2021 { "StatusList2021" } else { "BitstringStatusList" };
    if !has_type(subject.get("type"), subject_type) {
        return Err(invalid(format!("credentialSubject.type must be {subject_type}")));
    }
    let purposes: Vec<String> = match subject.get("statusPurpose") {
        Some(Value::String(p)) => vec![p.clone()],
        Some(Value::Array(a)) if !a.is_empty() => a
            .iter()
            .map(|p| p.as_str().map(str::to_owned))
            .collect::<Option<_>>()
            .ok_or_else(|| invalid("statusPurpose must be strings"))?,
        _ => return Err(invalid("credentialSubject.statusPurpose is required")),
    };
    let encoded = subject.get("encodedList").and_then(Value::as_str).ok_or_else(|| invalid("credentialSubject.encodedList is required"))?;
    let ttl_ms = match subject.get("ttl") {
        None => None,
        Some(v) => Some(v.as_f64().filter(|t| *t >= 0.0).ok_or_else(|| invalid("ttl must be a non-negative number"))?),
    };
    let issuer = match credential.get("issuer") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Object(o)) => Some(o.get("id").and_then(Value::as_str).ok_or_else(|| invalid("issuer.id is required"))?.to_owned()),
        Some(_) => return Err(invalid("issuer must be a string or an object with an id")),
        None => None,
    };
    let (issuer, issued_at, not_before, expires_at) = if v11 {
        let iss = payload.get("iss").and_then(Value::as_str).map(str::to_owned);
        if let (Some(a), Some(b)) = (&iss, &issuer) {
            if a != b {
                return Err(invalid("iss differs from vc.issuer"));
            }
        }
        let nbf = numeric_date(payload, "nbf")?;
        let exp = numeric_date(payload, "exp")?.or(date(credential, "expirationDate")?);
        (iss.or(issuer), numeric_date(payload, "iat")?.or(nbf), nbf.or(date(credential, "issuanceDate")?), exp)
    } else {
        // VC Data Model 2.0 dates, or 1.1's in a list secured with an embedded proof; with
        // both, the earlier end and the later start bind.
        let from = checks_max(date(credential, "validFrom")?, date(credential, "issuanceDate")?);
        let until = match (date(credential, "validUntil")?, date(credential, "expirationDate")?) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        (issuer, from, from, until)
    };
    let id = credential.get("id").map(|v| v.as_str().map(str::to_owned).ok_or_else(|| invalid("id must be a string"))).transpose()?;
    Ok(Body {
        format: ListFormat::W3c,
        uri: id,
        issuer,
        list: if status_list_2021 { decode_list_2021(encoded, max_inflated)? } else { decode_list(encoded, max_inflated)? },
        purposes,
        issued_at,
        not_before,
        expires_at,
        ttl_ms,
        status_list_2021,
    })
}

/// The later of two optional instants.
fn checks_max(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Decodes a StatusList2021 `encodedList` (W3C CCG Status List 2021 section 2.1: base64url of
/// the GZIP compression, no multibase prefix; MSB-first; at least 16 KB) under the same bounds
/// as [`decode_list`].
///
/// # Errors
/// As [`decode_list`].
pub fn decode_list_2021(encoded: &str, max_inflated: usize) -> Result<StatusList> {
    // Padding is tolerated (some issuers emit it); the alphabet stays base64url.
    inflate(encoded.trim_end_matches('='), max_inflated)
}
