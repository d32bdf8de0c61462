//! IETF Token Status List (draft-ietf-oauth-status-list): the `lst` encoding (section 4.1: zlib,
//! RFC 1950, LSB-first, base64url without padding) and the Status List Token as a JWT (section
//! 5.1: `typ` `statuslist+jwt`, claims `sub`, `iat`, `exp`, `ttl`, `status_list { bits, lst }`).

use super::bitstring::numeric_date;
use super::body::Body;
use super::list::{valid_bits, BitOrder, Container, StatusList};
use super::ListFormat;
use crate::encoding::{b64url_decode, b64url_encode};
use crate::error::{Error, ErrorCode, Result};
use crate::jws;
use crate::keys::Signer;
use serde_json::{Map, Value};

/// The media type of a Status List Token in JWT form (section 5.1).
pub const TYP: &str = "statuslist+jwt";

fn invalid(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidStatusList, why)
}

/// The `lst` of a list: base64url (no padding) of its zlib compression.
pub fn encode_lst(list: &StatusList) -> String {
    b64url_encode(&list.compress(Container::Zlib))
}

/// Decodes an `lst` of `bits`-wide LSB-first entries, inflating at most `max_inflated` bytes.
///
/// # Errors
/// `INVALID_STATUS_LIST` for a bad width, bad base64url, or a stream that is corrupt or inflates
/// past the cap.
pub fn decode_lst(lst: &str, bits: u8, max_inflated: usize) -> Result<StatusList> {
    let z = b64url_decode(lst).map_err(|e| invalid(format!("lst: {}", e.message)))?;
    StatusList::decompress(&z, Container::Zlib, bits, BitOrder::LsbFirst, max_inflated)
}

/// What a Status List Token says besides its list.
#[derive(Clone, Debug)]
pub struct TokenParams<'a> {
    /// `sub`: the URI credentials reference in `status.status_list.uri`.
    pub uri: &'a str,
    /// `iat`, seconds since the epoch.
    pub issued_at: i64,
    /// `exp`, seconds since the epoch.
    pub expires_at: Option<i64>,
    /// `ttl`: how long verifiers may cache the token, in seconds.
    pub ttl_seconds: Option<u64>,
}

/// Signs `list` as a Status List Token (`iss` is the key's did:key, `kid` its key id).
pub fn sign_token(list: &StatusList, params: &TokenParams<'_>, key: &dyn Signer) -> String {
    let mut status_list = Map::new();
    status_list.insert("bits".into(), Value::from(list.bits()));
    status_list.insert("lst".into(), Value::String(encode_lst(list)));
    let mut claims = Map::new();
    claims.insert("iss".into(), Value::String(key.did()));
    claims.insert("sub".into(), Value::String(params.uri.into()));
    claims.insert("iat".into(), Value::from(params.issued_at));
    if let Some(exp) = params.expires_at {
        claims.insert("exp".into(), Value::from(exp));
    }
    if let Some(ttl) = params.ttl_seconds {
        claims.insert("ttl".into(), Value::from(ttl));
    }
    claims.insert("status_list".into(), Value::Object(status_list));
    let mut header = Map::new();
    header.insert("kid".into(), Value::String(key.kid()));
    header.insert("typ".into(), Value::String(TYP.into()));
    // A map of strings and numbers always serializes.
    let payload = serde_json::to_vec(&Value::Object(claims)).unwrap_or_default();
    jws::sign(&header, &payload, key)
}

/// Reads a Status List Token's claims (section 8.3 steps on the token's content).
pub(crate) fn parse_payload(claims: &Map<String, Value>, max_inflated: usize) -> Result<Body> {
    let sub = claims.get("sub").and_then(Value::as_str).ok_or_else(|| invalid("the status list token has no sub"))?;
    let issued_at = numeric_date(claims, "iat")?.ok_or_else(|| invalid("the status list token has no iat"))?;
    let ttl_ms = match claims.get("ttl") {
        None => None,
        Some(v) => Some(v.as_u64().ok_or_else(|| invalid("ttl must be a non-negative integer"))? as f64 * 1000.0),
    };
    let status_list = match claims.get("status_list") {
        Some(Value::Object(o)) => o,
        _ => return Err(invalid("the status list token has no status_list object")),
    };
    let bits = status_list
        .get("bits")
        .and_then(Value::as_u64)
        .and_then(|b| u8::try_from(b).ok())
        .filter(|b| valid_bits(*b))
        .ok_or_else(|| invalid("status_list.bits must be 1, 2, 4 or 8"))?;
    let lst = status_list.get("lst").and_then(Value::as_str).ok_or_else(|| invalid("status_list.lst must be a string"))?;
    let issuer = match claims.get("iss") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(invalid("iss must be a string")),
    };
    Ok(Body {
        format: ListFormat::Ietf,
        uri: Some(sub.to_owned()),
        issuer,
        list: decode_lst(lst, bits, max_inflated)?,
        purposes: Vec::new(),
        issued_at: Some(issued_at),
        not_before: numeric_date(claims, "nbf")?,
        expires_at: numeric_date(claims, "exp")?,
        ttl_ms,
        status_list_2021: false,
    })
}
