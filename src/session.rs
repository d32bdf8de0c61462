//! Sessions after verification: stateless tokens tagged with HMAC-SHA-256 (RFC 2104, FIPS 198-1)
//! over what a verification established, and an optional bounded store for revocation.
//!
//! # Token format (version 1)
//!
//! ```text
//! token   = payload "." tag
//! payload = base64url( JSON { "v": 1, "sid", "hld"?, "sub"?, "iss"?, "iat", "exp", "attrs" } )
//! tag     = base64url( HMAC-SHA-256(key, ASCII(payload)) )
//! ```
//!
//! base64url is RFC 4648 section 5 without padding. In the payload: `sid` is 128 random bits in
//! base64url (22 characters); `hld` the presentation's holder DID, `sub` the credential's subject
//! DID and `iss` its issuer DID, each omitted when the result had none; `iat` and `exp` are
//! seconds since the epoch (`exp = iat + ttl`); `attrs` are the verified attributes (the
//! `attributes` of every credential of the result merged in order, later ones winning, or the
//! result's `claims` when it lists no credential).
//!
//! Policy: the tag is checked, in constant time, over the payload exactly as received before
//! anything in it is decoded, so a forged token is never parsed. Every failure of form, tag or
//! content is `SESSION_INVALID`; a genuine token from `exp` on is `SESSION_EXPIRED`. Validation
//! needs only the key, so any process holding it can validate; a [`store::SessionStore`] adds
//! revocation for the process that keeps it. Use a key for sessions only (not also for audit
//! logs), at least [`MIN_KEY_BYTES`] random bytes.

pub mod store;

use crate::encoding::{b64url_decode, b64url_encode};
use crate::error::{Error, ErrorCode, Result};
use crate::mac::{hmac_sha256, verify_mac};
use crate::random::Random;
#[cfg(any(test, feature = "internals"))]
use crate::verdict::VerificationResult;
use core::fmt;
use serde_json::{json, Map, Value};
use zeroize::Zeroizing;

pub use store::SessionStore;
#[cfg(feature = "internals")]
pub use store::SessionStoreStats;

/// The token format version written in `v`.
pub const VERSION: u8 = 1;
/// Shortest accepted key: 256 bits, the HMAC-SHA-256 output size (RFC 2104 section 3).
pub const MIN_KEY_BYTES: usize = 32;
/// Longest token issued or accepted (64 KiB); longer ones were not made here.
pub const MAX_TOKEN_BYTES: usize = 64 * 1024;
/// Longest session lifetime accepted: 366 days.
pub const MAX_TTL_SECONDS: u64 = 366 * 24 * 3600;
/// Random bytes in a session id: 128 bits, so ids neither collide nor can be guessed.
pub const ID_BYTES: usize = 16;

/// A session key (HMAC-SHA-256), zeroized on drop.
pub struct SessionKey(Zeroizing<Vec<u8>>);

impl SessionKey {
    /// A key from a copy of `bytes`.
    ///
    /// # Errors
    /// `MALFORMED_INPUT` at `key` when shorter than [`MIN_KEY_BYTES`].
    #[cfg(any(test, feature = "internals"))]
    pub fn new(bytes: &[u8]) -> Result<SessionKey> {
        SessionKey::from_vec(bytes.to_vec())
    }

    /// A key taking ownership of `bytes` (zeroized on drop, also when refused).
    ///
    /// # Errors
    /// `MALFORMED_INPUT` at `key` when shorter than [`MIN_KEY_BYTES`].
    pub fn from_vec(bytes: Vec<u8>) -> Result<SessionKey> {
        let bytes = Zeroizing::new(bytes);
        if bytes.len() < MIN_KEY_BYTES {
            return Err(Error::malformed(format!("a session key is at least {MIN_KEY_BYTES} bytes, not {}", bytes.len())).at("key"));
        }
        Ok(SessionKey(bytes))
    }

    fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionKey(..)")
    }
}

/// What a session is created from: the parties and attributes of a valid verification result.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SessionSource {
    /// The presentation's holder DID.
    pub holder: Option<String>,
    /// The credential's subject DID.
    pub subject: Option<String>,
    /// The (first) issuer DID.
    pub issuer: Option<String>,
    /// The verified attributes.
    pub attributes: Map<String, Value>,
}

impl SessionSource {
    /// The source of a verification result.
    ///
    /// # Errors
    /// For a result that is not valid, its first error's code (`MALFORMED_INPUT` when it has
    /// none); `MALFORMED_INPUT` when it names neither a holder nor a subject.
    #[cfg(any(test, feature = "internals"))]
    pub fn from_result(result: &VerificationResult) -> Result<SessionSource> {
        let first = result.errors.first().map(|e| (e.code, e.message.as_str()));
        let attributes = result.credentials.iter().map(|c| &c.attributes);
        SessionSource::build(result.valid, first, (&result.holder, &result.subject, &result.issuer), attributes, result.claims.as_ref())
    }

    /// The source of a verification result in its JSON form (as `verifyBatch` returns it).
    ///
    /// # Errors
    /// `MALFORMED_INPUT` at `result` when the text is not such a result; otherwise as
    /// [`SessionSource::from_result`].
    pub fn from_result_json(text: &str) -> Result<SessionSource> {
        crate::limits::check_len(text.len(), crate::limits::MAX_MESSAGE_BYTES, "result")?;
        let not_a_result = |why: &str| Error::malformed(format!("not a verification result: {why}")).at("result");
        // Read as a `Value` rather than a derived struct: it keeps the wasm module small.
        let value: Value = serde_json::from_str(text).map_err(|e| not_a_result(&e.to_string()))?;
        let Value::Object(map) = value else { return Err(not_a_result("not an object")) };
        let valid = map.get("valid").and_then(Value::as_bool).ok_or_else(|| not_a_result("no boolean `valid`"))?;
        let text_of = |name: &str| -> Result<Option<String>> {
            match map.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(not_a_result(&format!("`{name}` is not a string"))),
            }
        };
        let (holder, subject, issuer) = (text_of("holder")?, text_of("subject")?, text_of("issuer")?);
        let first = match map.get("errors") {
            None | Some(Value::Null) => None,
            Some(Value::Array(errors)) => errors.first().map(|e| {
                let field = |name: &str| e.get(name).and_then(Value::as_str).unwrap_or("");
                (field("code"), field("message"))
            }),
            Some(_) => return Err(not_a_result("`errors` is not an array")),
        };
        let credentials: &[Value] = match map.get("credentials") {
            None | Some(Value::Null) => &[],
            Some(Value::Array(list)) => list,
            Some(_) => return Err(not_a_result("`credentials` is not an array")),
        };
        let attributes = credentials.iter().map(|c| c.get("attributes").unwrap_or(&Value::Null));
        SessionSource::build(valid, first, (&holder, &subject, &issuer), attributes, map.get("claims"))
    }

    fn build<'a>(
        valid: bool,
        first_error: Option<(&str, &str)>,
        (holder, subject, issuer): (&Option<String>, &Option<String>, &Option<String>),
        credential_attributes: impl ExactSizeIterator<Item = &'a Value>,
        claims: Option<&Value>,
    ) -> Result<SessionSource> {
        // A result marked valid but carrying errors is not trusted either way.
        if !valid || first_error.is_some() {
            let (code, message) = first_error.map_or((ErrorCode::MalformedInput, "it is not valid"), |(code, message)| {
                (ErrorCode::parse(code).unwrap_or(ErrorCode::MalformedInput), message)
            });
            return Err(Error::new(code, format!("a session needs a valid verification result: {message}")).at("result"));
        }
        if holder.is_none() && subject.is_none() {
            return Err(Error::malformed("a session needs a result that names a holder or a subject").at("result"));
        }
        let mut attributes = Map::new();
        if credential_attributes.len() == 0 {
            if let Some(Value::Object(claims)) = claims {
                attributes.extend(claims.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        } else {
            // Object.assign order, as anon-identity merges them: a later credential wins.
            for value in credential_attributes {
                if let Value::Object(map) = value {
                    attributes.extend(map.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
            }
        }
        Ok(SessionSource { holder: holder.clone(), subject: subject.clone(), issuer: issuer.clone(), attributes })
    }
}

/// A validated session; [`Session::to_json`] gives the shape JS sees (`validateSession`).
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    /// The session id (`sid`): 128 random bits, base64url.
    pub id: String,
    /// The presentation's holder DID.
    pub holder: Option<String>,
    /// The credential's subject DID.
    pub subject: Option<String>,
    /// The issuer DID.
    pub issuer: Option<String>,
    /// Creation, seconds since the epoch.
    pub issued_at: i64,
    /// Expiry, seconds since the epoch: valid while the time is before it.
    pub expires_at: i64,
    /// The verified attributes.
    pub attributes: Map<String, Value>,
}

impl Session {
    /// `{ id, holder, subject, issuer, issuedAt, expiresAt, attributes }` (absent parties as null).
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id, "holder": self.holder, "subject": self.subject, "issuer": self.issuer,
            "issuedAt": self.issued_at, "expiresAt": self.expires_at, "attributes": self.attributes,
        })
    }
}

/// A new session and its token (`createSession` returns this).
#[derive(Clone, Debug, PartialEq)]
pub struct CreatedSession {
    /// The compact token to hand to the client.
    pub token: String,
    /// The session the token carries.
    pub session: Session,
}

impl CreatedSession {
    /// `{ token, session }`, the session as [`Session::to_json`] gives it.
    pub fn to_json(&self) -> Value {
        json!({ "token": self.token, "session": self.session.to_json() })
    }
}

/// The payload members a token may carry (see the module docs); any other makes it invalid.
const PAYLOAD_MEMBERS: [&str; 8] = ["v", "sid", "hld", "sub", "iss", "iat", "exp", "attrs"];

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::SessionInvalid, message)
}

/// `now_ms` as a time: finite and not before the epoch.
fn checked_now(now_ms: f64) -> Result<f64> {
    if now_ms.is_finite() && now_ms >= 0.0 {
        Ok(now_ms)
    } else {
        Err(Error::malformed("the time is milliseconds since the epoch").at("now"))
    }
}

/// Creates a session lasting `ttl_seconds` from `now_ms`, with an id drawn from `rng`.
///
/// # Errors
/// `MALFORMED_INPUT` for a `ttl_seconds` outside `1..=MAX_TTL_SECONDS` or a bad time;
/// `INPUT_TOO_LARGE` when the token would exceed [`MAX_TOKEN_BYTES`]; the error of `rng`.
pub fn create_session(source: &SessionSource, key: &SessionKey, ttl_seconds: u64, now_ms: f64, rng: Random<'_>) -> Result<CreatedSession> {
    if ttl_seconds == 0 || ttl_seconds > MAX_TTL_SECONDS {
        return Err(Error::malformed(format!("ttlSeconds is 1 to {MAX_TTL_SECONDS}")).at("ttlSeconds"));
    }
    let iat = (checked_now(now_ms)? / 1000.0).floor() as i64;
    let exp = iat.saturating_add(ttl_seconds as i64);
    let mut id = [0u8; ID_BYTES];
    rng(&mut id)?;
    let session = Session {
        id: b64url_encode(&id),
        holder: source.holder.clone(),
        subject: source.subject.clone(),
        issuer: source.issuer.clone(),
        issued_at: iat,
        expires_at: exp,
        attributes: source.attributes.clone(),
    };
    // Members in the documented order (serde_json keeps insertion order here).
    let mut payload = Map::new();
    payload.insert("v".into(), Value::from(VERSION));
    payload.insert("sid".into(), Value::from(session.id.as_str()));
    for (name, party) in [("hld", &session.holder), ("sub", &session.subject), ("iss", &session.issuer)] {
        if let Some(did) = party {
            payload.insert(name.into(), Value::from(did.as_str()));
        }
    }
    payload.insert("iat".into(), Value::from(iat));
    payload.insert("exp".into(), Value::from(exp));
    payload.insert("attrs".into(), Value::Object(session.attributes.clone()));
    let body = b64url_encode(Value::Object(payload).to_string().as_bytes());
    let tag = b64url_encode(&hmac_sha256(key.bytes(), body.as_bytes()));
    let token = format!("{body}.{tag}");
    crate::limits::check_len(token.len(), MAX_TOKEN_BYTES, "session")?;
    Ok(CreatedSession { token, session })
}

/// Validates a token under `key` at `now_ms` and returns its session.
///
/// # Errors
/// `SESSION_INVALID` when the token is malformed, tampered with or tagged under another key;
/// `SESSION_EXPIRED` from its expiry on; `MALFORMED_INPUT` for a bad time.
pub fn validate_session(token: &str, key: &SessionKey, now_ms: f64) -> Result<Session> {
    let now_ms = checked_now(now_ms)?;
    if token.len() > MAX_TOKEN_BYTES {
        return Err(invalid(format!("a session token is at most {MAX_TOKEN_BYTES} bytes")));
    }
    let Some((body, tag)) = token.split_once('.') else {
        return Err(invalid("a session token is payload.tag"));
    };
    let tag = b64url_decode(tag).map_err(|_| invalid("the session tag is not base64url"))?;
    if !verify_mac(key.bytes(), body.as_bytes(), &tag) {
        return Err(invalid("the session token does not verify under this key"));
    }
    let json = b64url_decode(body).map_err(|_| invalid("the session payload is not base64url"))?;
    let session = parse_payload(&json)?;
    // Expired from `exp` on, as caches and credentials count it: the deadline is exclusive.
    if now_ms >= session.expires_at as f64 * 1000.0 {
        return Err(Error::new(ErrorCode::SessionExpired, format!("the session expired at {}", session.expires_at)));
    }
    Ok(session)
}

/// The session of a payload whose tag has been checked; anything but the documented members,
/// with their types, is `SESSION_INVALID`.
fn parse_payload(json: &[u8]) -> Result<Session> {
    let Ok(Value::Object(mut map)) = serde_json::from_slice::<Value>(json) else {
        return Err(invalid("the session payload is not a JSON object"));
    };
    if let Some(name) = map.keys().find(|k| !PAYLOAD_MEMBERS.contains(&k.as_str())) {
        return Err(invalid(format!("unknown session payload member `{name}`")));
    }
    if map.get("v").and_then(Value::as_u64) != Some(u64::from(VERSION)) {
        return Err(invalid("unsupported session version"));
    }
    let mut text = |name: &str, required: bool| -> Result<Option<String>> {
        match map.remove(name) {
            Some(Value::String(s)) => Ok(Some(s)),
            None if !required => Ok(None),
            _ => Err(invalid(format!("session payload member `{name}` is not a string"))),
        }
    };
    let (id, holder, subject, issuer) = (text("sid", true)?, text("hld", false)?, text("sub", false)?, text("iss", false)?);
    let id = id.unwrap_or_default();
    if b64url_decode(&id).map(|bytes| bytes.len()) != Ok(ID_BYTES) {
        return Err(invalid("the session id is not 128 bits"));
    }
    let time = |name: &str| map.get(name).and_then(Value::as_i64).ok_or_else(|| invalid(format!("`{name}` is not a whole number")));
    let (issued_at, expires_at) = (time("iat")?, time("exp")?);
    if expires_at <= issued_at {
        return Err(invalid("the session expires before it starts"));
    }
    let Some(Value::Object(attributes)) = map.remove("attrs") else {
        return Err(invalid("the session attributes are not an object"));
    };
    Ok(Session { id, holder, subject, issuer, issued_at, expires_at, attributes })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SessionKey {
        SessionKey::new(&[9u8; 32]).unwrap()
    }

    fn counter() -> impl FnMut(&mut [u8]) -> Result<()> {
        let mut n = 0u8;
        move |buf: &mut [u8]| {
            n += 1;
            buf.fill(n);
            Ok(())
        }
    }

    fn source() -> SessionSource {
        let mut attributes = Map::new();
        attributes.insert("age".into(), json!(42));
        SessionSource { holder: Some("did:key:zH".into()), subject: None, issuer: Some("did:key:zI".into()), attributes }
    }

    #[test]
    fn token_layout_is_the_documented_one() {
        let created = create_session(&source(), &key(), 60, 1_000_500.0, &mut counter()).unwrap();
        let (body, tag) = created.token.split_once('.').unwrap();
        let payload: Value = serde_json::from_slice(&b64url_decode(body).unwrap()).unwrap();
        assert_eq!(
            payload,
            json!({ "v": 1, "sid": b64url_encode(&[1u8; 16]), "hld": "did:key:zH", "iss": "did:key:zI",
                    "iat": 1000, "exp": 1060, "attrs": { "age": 42 } })
        );
        assert_eq!(b64url_decode(tag).unwrap(), hmac_sha256(&[9u8; 32], body.as_bytes()));
        assert_eq!(created.session.id, "AQEBAQEBAQEBAQEBAQEBAQ");
        assert_eq!(validate_session(&created.token, &key(), 1_059_999.0).unwrap(), created.session);
    }

    #[test]
    fn short_keys_and_bad_ttls_are_refused() {
        assert_eq!(SessionKey::new(&[1u8; 31]).unwrap_err().code, ErrorCode::MalformedInput);
        for ttl in [0, MAX_TTL_SECONDS + 1] {
            let e = create_session(&source(), &key(), ttl, 0.0, &mut counter()).unwrap_err();
            assert_eq!((e.code, e.path.as_deref()), (ErrorCode::MalformedInput, Some("ttlSeconds")));
        }
        let e = create_session(&source(), &key(), 60, f64::NAN, &mut counter()).unwrap_err();
        assert_eq!(e.path.as_deref(), Some("now"));
    }

    #[test]
    fn invalid_results_keep_their_code() {
        let text = r#"{"valid":false,"errors":[{"code":"REVOKED_CREDENTIAL","message":"revoked"}]}"#;
        assert_eq!(SessionSource::from_result_json(text).unwrap_err().code, ErrorCode::RevokedCredential);
        let text = r#"{"valid":true,"errors":[{"code":"NO_SUCH_CODE","message":"?"}],"holder":"did:x"}"#;
        assert_eq!(SessionSource::from_result_json(text).unwrap_err().code, ErrorCode::MalformedInput);
        let text = r#"{"valid":true,"errors":[]}"#;
        assert_eq!(SessionSource::from_result_json(text).unwrap_err().code, ErrorCode::MalformedInput);
        assert_eq!(SessionSource::from_result_json("[]").unwrap_err().path.as_deref(), Some("result"));
    }

    #[test]
    fn attributes_merge_in_order_or_fall_back_to_claims() {
        let text = r#"{"valid":true,"errors":[],"holder":"did:h","claims":{"x":1},
            "credentials":[{"attributes":{"a":1,"b":1}},{"attributes":{"b":2}}]}"#;
        let s = SessionSource::from_result_json(text).unwrap();
        assert_eq!(Value::Object(s.attributes), json!({ "a": 1, "b": 2 }));
        let text = r#"{"valid":true,"errors":[],"subject":"did:s","claims":{"x":1},"credentials":[]}"#;
        let s = SessionSource::from_result_json(text).unwrap();
        assert_eq!((Value::Object(s.attributes), s.subject.as_deref()), (json!({ "x": 1 }), Some("did:s")));
    }
}
