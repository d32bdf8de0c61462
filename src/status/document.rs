//! A fetched status list, parsed and decompressed once, for every credential that references it:
//! a W3C `BitstringStatusListCredential` in a JWT (Bitstring Status List v1.0 section 3.2) or an
//! IETF Status List Token (draft-ietf-oauth-status-list section 8.3).
//!
//! Policy: the list is a compact JWS of any algorithm credcore verifies (within the caller's
//! `algorithms`); its signing key is the issuer's (from `iss` or the credential's `issuer`, else
//! from the DID of a DID URL `kid`), resolved like a credential issuer's key
//! ([`crate::keys::KeySource`]: did:key, did:jwk, `issuerKeys`), and a DID URL `kid` must name that
//! DID. A token's `sub` and a W3C credential's `id` are required and must equal the URI the list
//! was referenced by. `typ` compares as RFC 7515 says. Every failure here is `INVALID_STATUS_LIST`.

use super::body::Body;
use super::list::StatusList;
use super::{bitstring, token, ListFormat};
#[cfg(any(test, feature = "internals"))]
use crate::batch::SigCheck;
use crate::error::{Error, ErrorCode, Result};
use crate::hash::sha256;
use crate::jws::Jws;
use crate::keys::{Algorithm, DidKeySource, KeySource, VerifyingKey};

fn invalid(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidStatusList, why)
}

/// The issuer a list's payload names: IETF `iss`, or the W3C credential's `issuer` (a string or an
/// object with `id`), the credential being the payload or its `vc` claim.
fn claimed_issuer(payload: &serde_json::Map<String, serde_json::Value>) -> Option<String> {
    use serde_json::Value;
    if let Some(Value::String(iss)) = payload.get("iss") {
        return Some(iss.clone());
    }
    let credential = payload.get("vc").and_then(Value::as_object).unwrap_or(payload);
    match credential.get("issuer") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Object(o)) => o.get("id").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

/// How a list was signed: what [`ListDocument::sig_check`] checks again.
struct Signed {
    signing_input_len: usize,
    alg: Algorithm,
    signature: Vec<u8>,
    key: VerifyingKey,
    detached: Option<Vec<u8>>,
}

/// A status list credential or token, parsed and decoded; its signature is checked separately
/// (in the batch, through [`ListDocument::sig_check`], or at once by [`ListDocument::decode`]).
#[derive(Debug)]
pub struct ListDocument {
    /// W3C or IETF.
    pub format: ListFormat,
    /// The URI the list is referenced by.
    pub uri: String,
    /// The DID that signed the list.
    pub issuer: String,
    /// The decoded entries (W3C: one-bit view; read wider entries with `get_sized`).
    pub list: StatusList,
    /// W3C `statusPurpose` values of the list; empty for IETF.
    pub purposes: Vec<String>,
    /// `iat` (W3C: `validFrom`), seconds since the epoch.
    pub issued_at: Option<i64>,
    /// `nbf` (W3C: `validFrom`), seconds since the epoch.
    pub not_before: Option<i64>,
    /// `exp` (W3C: `validUntil`), seconds since the epoch.
    pub expires_at: Option<i64>,
    /// How long the list may be cached, in milliseconds (IETF `ttl` seconds, W3C `ttl` ms).
    pub ttl_ms: Option<f64>,
    /// A W3C CCG `StatusList2021Credential` (read by `StatusList2021Entry` entries only).
    pub status_list_2021: bool,
    raw: String,
    digest: [u8; 32],
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // read by the test suites
    signing_input_len: usize,
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // read by the test suites
    signature: Vec<u8>,
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // read by the test suites
    alg: Algorithm,
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // read by the test suites
    key: VerifyingKey,
    /// A Data Integrity list: the hash data its first proof's signature covers (the signing
    /// input is not a prefix of `raw` then).
    #[cfg_attr(not(feature = "internals"), allow(dead_code))] // read by the test suites
    detached: Option<Vec<u8>>,
}

impl ListDocument {
    /// Parses a signed list, checks its signature (before decompressing anything), and decodes it.
    ///
    /// `uri` is the URI the list was referenced by; `None` takes it from the list (`sub` or `id`).
    ///
    /// # Errors
    /// `INVALID_STATUS_LIST` (see the module docs; a signature that does not verify too), with
    /// `max_inflated` capping decompression.
    pub fn parse(compact: &str, uri: Option<&str>, max_inflated: usize) -> Result<ListDocument> {
        ListDocument::parse_with(compact, uri, max_inflated, &mut DidKeySource, None)
    }

    /// [`ListDocument::parse`] with the issuer's key from `keys`, and the signature's algorithm
    /// among `algorithms` (all when `None`).
    ///
    /// # Errors
    /// As [`ListDocument::parse`].
    pub fn parse_with(
        compact: &str,
        uri: Option<&str>,
        max_inflated: usize,
        keys: &mut dyn KeySource,
        algorithms: Option<&[Algorithm]>,
    ) -> Result<ListDocument> {
        let jws = Jws::parse(compact).map_err(|e| invalid(format!("the status list is not a valid JWS: {}", e.message)))?;
        let payload = jws.payload_object().map_err(|_| invalid("the status list's payload is not a JSON object"))?;
        let typ = jws.typ().map_err(|_| invalid("the status list's typ must be a string"))?;
        let ietf = match typ.as_deref() {
            Some(token::TYP) => true,
            None | Some("vc+jwt") | Some("jwt") | Some("vc+ld+json+jwt") | Some("vc+ld+jwt") => false,
            Some(other) => return Err(invalid(format!("status list typ '{other}' is not supported"))),
        };
        // The signature is checked before anything is inflated: a forged list costs its sender a
        // signature check, never a decompression.
        // A DID URL kid names its DID; any other kid is an opaque name for the key source.
        let kid = jws.header_str("kid");
        let kid_did = kid.filter(|k| k.starts_with("did:")).map(|k| k.split('#').next().unwrap_or_default().to_owned());
        let claimed = claimed_issuer(&payload);
        let issuer = match (claimed, kid_did) {
            (Some(iss), Some(kid)) if iss != kid => return Err(invalid("the status list's kid does not belong to its issuer")),
            (Some(iss), _) => iss,
            (None, Some(kid)) => kid,
            (None, None) => return Err(invalid("the status list names no issuer")),
        };
        if algorithms.is_some_and(|list| !list.contains(&jws.alg)) {
            return Err(invalid(format!("the status list's alg {} is not among the accepted algorithms", jws.alg)));
        }
        let key = keys
            .issuer_key(&issuer, kid, jws.alg)
            .map_err(|e| invalid(format!("the status list's issuer key cannot be had: {}", e.message)))?;
        if let Some(why) = key.refuses(jws.alg) {
            return Err(invalid(format!("the status list's signature cannot be by its issuer's key: {why}")));
        }
        if !jws.verify(&key) {
            return Err(invalid("the status list's signature does not verify"));
        }
        let body = if ietf { token::parse_payload(&payload, max_inflated)? } else { bitstring::parse_payload(&payload, max_inflated)? };
        let signed =
            Signed { signing_input_len: jws.signing_input.len(), alg: jws.alg, signature: jws.signature.clone(), key, detached: None };
        ListDocument::assemble(body, uri, issuer, compact, signed)
    }

    /// A Data Integrity list whose proofs `checks` all verified (by
    /// `credential::data_integrity::status_list`), decoded
    /// under the JOSE lists' rules: `credential` (without `proof`) must be a W3C list credential
    /// of `issuer` stating `uri` as its `id`.
    ///
    /// # Errors
    /// `INVALID_STATUS_LIST`.
    pub fn from_verified_credential(
        credential: &serde_json::Map<String, serde_json::Value>,
        raw: &str,
        uri: Option<&str>,
        max_inflated: usize,
        issuer: String,
        checks: Vec<crate::batch::SigCheck>,
    ) -> Result<ListDocument> {
        let body = bitstring::parse_payload(credential, max_inflated)?;
        let first = checks.into_iter().next().ok_or_else(|| invalid("the status list has no proof"))?;
        let signed =
            Signed { signing_input_len: 0, alg: first.alg, signature: first.signature, key: first.key, detached: Some(first.message) };
        ListDocument::assemble(body, uri, issuer, raw, signed)
    }

    /// The list of `body`, signed by `issuer` as `signed` says, if it is the issuer's and the
    /// list of `uri`.
    fn assemble(body: Body, uri: Option<&str>, issuer: String, raw: &str, signed: Signed) -> Result<ListDocument> {
        if body.issuer.as_deref().is_some_and(|i| i != issuer) {
            return Err(invalid("the status list's issuer is not the one its signature is checked under"));
        }
        // A list is the list of the URI it states (IETF `sub`, W3C `id`): one stating no URI, or
        // another, cannot stand in for the list a credential references.
        let claim = if body.format == ListFormat::Ietf { "sub" } else { "id" };
        let uri = match (uri, body.uri) {
            (Some(expected), Some(stated)) if expected != stated => {
                return Err(invalid(format!("the status list's {claim} '{stated}' is not the referenced URI '{expected}'")));
            }
            (_, Some(stated)) => stated,
            (_, None) => return Err(invalid(format!("the status list states no URI ('{claim}')"))),
        };
        Ok(ListDocument {
            format: body.format,
            uri,
            issuer,
            list: body.list,
            purposes: body.purposes,
            issued_at: body.issued_at,
            not_before: body.not_before,
            expires_at: body.expires_at,
            ttl_ms: body.ttl_ms,
            status_list_2021: body.status_list_2021,
            signing_input_len: signed.signing_input_len,
            alg: signed.alg,
            signature: signed.signature,
            raw: raw.to_owned(),
            digest: sha256(raw.as_bytes()),
            key: signed.key,
            detached: signed.detached,
        })
    }

    /// Parses, decodes and verifies a signed list at once (for `StatusList.decode`).
    ///
    /// # Errors
    /// As [`ListDocument::parse`], and `INVALID_STATUS_LIST` when the signature does not verify.
    pub fn decode(compact: &str, uri: Option<&str>, max_inflated: usize) -> Result<ListDocument> {
        ListDocument::parse(compact, uri, max_inflated)
    }

    /// The list's place in its issuer's sequence of lists for its URI: issued at (`iat`, W3C
    /// `validFrom`), then expiry; an absent time orders first. A verifier keeps the newest per URI
    /// and issuer and refuses an older one.
    pub fn generation(&self) -> (i64, i64) {
        (self.issued_at.unwrap_or(i64::MIN), self.expires_at.unwrap_or(i64::MIN))
    }

    /// The compact JWS the list was parsed from.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// SHA-256 of [`ListDocument::raw`]: identifies this version of the list (results that
    /// relied on it are served from a cache only while it is still the list in force).
    pub fn digest(&self) -> &[u8; 32] {
        &self.digest
    }

    /// The bytes the signature covers.
    #[cfg(any(test, feature = "internals"))]
    fn signing_input(&self) -> &[u8] {
        if let Some(message) = &self.detached {
            return message;
        }
        self.raw.as_bytes().get(..self.signing_input_len).unwrap_or_default()
    }

    /// Checks the signature now (Ed25519 under the strict policy).
    #[cfg(any(test, feature = "internals"))]
    pub fn verify_signature(&self) -> bool {
        self.key.verify(self.alg, self.signing_input(), &self.signature)
    }

    /// The signature as a batch job whose failure is `INVALID_STATUS_LIST`.
    #[cfg(any(test, feature = "internals"))]
    pub fn sig_check(&self, path: impl Into<String>) -> SigCheck {
        SigCheck {
            message: self.signing_input().to_vec(),
            signature: self.signature.clone(),
            alg: self.alg,
            key: self.key.clone(),
            code: ErrorCode::InvalidStatusList,
            path: path.into(),
        }
    }

    /// Until when (ms since the epoch) the decoded list may be cached: the earliest of `exp`
    /// and `iat + ttl` (`now_ms + ttl` without `iat`); infinity when the list sets neither.
    /// A cache also applies its own TTL on top.
    pub fn cache_deadline_ms(&self, now_ms: f64) -> f64 {
        let exp = self.expires_at.map_or(f64::INFINITY, |e| e as f64 * 1000.0);
        let ttl = self.ttl_ms.map_or(f64::INFINITY, |t| self.issued_at.map_or(now_ms, |i| i as f64 * 1000.0) + t);
        exp.min(ttl)
    }

    /// Whether the list is in force at `now` (seconds), with `skew` seconds of tolerance.
    ///
    /// # Errors
    /// `INVALID_STATUS_LIST` when it has expired (from `exp + skew` on, RFC 7519 section 4.1.4)
    /// or is not valid yet.
    pub fn check_time(&self, now: i64, skew: i64) -> Result<()> {
        if self.expires_at.is_some_and(|exp| now >= exp.saturating_add(skew)) {
            return Err(invalid("the status list has expired"));
        }
        if self.not_before.is_some_and(|nbf| now < nbf.saturating_sub(skew)) {
            return Err(invalid("the status list is not valid yet"));
        }
        Ok(())
    }
}
