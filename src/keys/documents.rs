//! Issuer and holder keys from documents a host fetched: DID documents (DID Core 1.0 section 5,
//! verification methods and relationships; did:web per the did:web method specification,
//! section 3.2 "Read"), JWT VC Issuer Metadata (draft-ietf-oauth-sd-jwt-vc, "JWT VC Issuer
//! Metadata") and JWK Sets (RFC 7517 section 5).
//!
//! The core does no I/O: it says what to fetch ([`KeyFetch`], derived from the issuer as the
//! specifications say, never from anything else the credential carries), the host fetches it,
//! and the text comes back here to be parsed and checked ([`Resolved`]). A fetched document is
//! unsigned: what it says is trusted exactly as far as the channel it came over (https to the
//! issuer's own origin, or the caller's DID resolver), so every check a specification asks of
//! its shape is made here, strictly:
//!
//! - A DID document's `id` must be the DID it was fetched for.
//! - A verification method counts only when its `id` is a DID URL of that DID (`did#f`, or `#f`
//!   relative to it), its `controller` is that DID, and its key is a `publicKeyJwk` (public,
//!   `use` `sig` if any) or a `publicKeyMultibase` that did:key would decode (Multikey,
//!   Ed25519VerificationKey2020: Ed25519, P-256, P-384, secp256k1). Others are skipped.
//! - A credential's key must be referenced from `assertionMethod`, a presentation's holder key
//!   from `authentication` (DID Core 5.3.1 and 5.3.2: "how the DID subject is expected to
//!   authenticate" and "how the DID subject is expected to express claims, such as for the
//!   purposes of issuing a Verifiable Credential"). A key only listed under the other
//!   relationship, or only in `verificationMethod`, signs nothing.
//! - JWT VC Issuer Metadata's `issuer` must equal the credential's `iss`; it carries `jwks` or
//!   `jwks_uri` (an https URL), never both.
//!
//! Selection by `kid` is that of `issuerKeys` ([`super::source`]): one candidate is the key, of
//! several the one that fits the JWS's `alg` when exactly one does; never a guess among several.

use super::alg::Algorithm;
use super::source::{select, IssuerKey, Purpose};
use super::verifying::VerifyingKey;
use crate::error::{Error, ErrorCode, Result};
use crate::limits::{MAX_JSON_DEPTH, MAX_KEYS_PER_ISSUER, MAX_KEY_DOCUMENT_BYTES};
use serde::Serialize;
use serde_json::{Map, Value};

/// What a document is, as the host fetches it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FetchKind {
    /// A did:web DID document, at the https URL of the did:web specification.
    DidWeb,
    /// A DID document of another method, from the caller's DID resolver.
    Did,
    /// JWT VC Issuer Metadata, at `/.well-known/jwt-vc-issuer` of the issuer's origin.
    IssuerMetadata,
    /// The JWK Set the metadata's `jwks_uri` names.
    Jwks,
}

/// One document a batch needs from its host (the `keys` of the needs).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct KeyFetch {
    /// What it is.
    pub kind: FetchKind,
    /// The DID or issuer it is for.
    pub id: String,
    /// The https URL to fetch (none for [`FetchKind::Did`]: the resolver is given the DID).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl KeyFetch {
    /// What would provide the key of `issuer` first: its DID document or its issuer metadata;
    /// `None` when nothing on the network could (the issuer is neither a DID nor an https URL
    /// that the specifications derive a location from).
    pub fn first_for(issuer: &str) -> Option<KeyFetch> {
        if issuer.starts_with("did:web:") {
            let url = did_web_url(issuer).ok()?;
            Some(KeyFetch { kind: FetchKind::DidWeb, id: issuer.to_owned(), url: Some(url) })
        } else if issuer.starts_with("did:key:") || issuer.starts_with("did:jwk:") {
            None
        } else if issuer.starts_with("did:") {
            valid_did(issuer).then(|| KeyFetch { kind: FetchKind::Did, id: issuer.to_owned(), url: None })
        } else {
            let url = issuer_metadata_url(issuer).ok()?;
            Some(KeyFetch { kind: FetchKind::IssuerMetadata, id: issuer.to_owned(), url: Some(url) })
        }
    }

    /// Where the document was had, for messages.
    pub fn source(&self) -> &str {
        self.url.as_deref().unwrap_or("the didResolver")
    }
}

/// A document the host hands back: its text, or why it could not be had.
#[derive(Clone, Debug)]
pub struct SuppliedDocument {
    /// What it is.
    pub kind: FetchKind,
    /// The DID or issuer it is for.
    pub id: String,
    /// The URL it was fetched from.
    pub url: Option<String>,
    /// The document's text.
    pub text: Option<String>,
    /// Why it could not be had (the fetch failed, timed out, was too large, ...).
    pub error: Option<String>,
}

impl SuppliedDocument {
    /// The documents of a JSON array of `{ kind, id, url?, text?, error? }` (read from a
    /// `Value` rather than derived: the module already holds that parser).
    ///
    /// # Errors
    /// `MALFORMED_INPUT` for anything else.
    pub fn list_from_json(text: &str) -> Result<Vec<SuppliedDocument>> {
        let bad = || Error::malformed("key documents are a JSON array of { kind, id, url?, text?, error? }");
        let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else { return Err(bad()) };
        let opt = |v: &Value, name: &str| -> Result<Option<String>> {
            match v.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(bad()),
            }
        };
        items
            .iter()
            .map(|v| {
                let kind = match v.get("kind").and_then(Value::as_str) {
                    Some("did-web") => FetchKind::DidWeb,
                    Some("did") => FetchKind::Did,
                    Some("issuer-metadata") => FetchKind::IssuerMetadata,
                    Some("jwks") => FetchKind::Jwks,
                    _ => return Err(bad()),
                };
                let id = opt(v, "id")?.ok_or_else(bad)?;
                Ok(SuppliedDocument { kind, id, url: opt(v, "url")?, text: opt(v, "text")?, error: opt(v, "error")? })
            })
            .collect()
    }
}

/// One verification method of a DID document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentKey {
    /// Its absolute DID URL (`did#fragment`).
    pub id: String,
    /// The key.
    pub key: VerifyingKey,
    /// Referenced from `assertionMethod`.
    pub assertion: bool,
    /// Referenced from `authentication`.
    pub authentication: bool,
}

/// What is known of an issuer's keys from the network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// The verification methods of a DID document.
    Did {
        /// Where it came from.
        source: String,
        /// Its usable verification methods.
        keys: Vec<DocumentKey>,
    },
    /// The keys of a JWK Set (inline in issuer metadata, or at its `jwks_uri`).
    Jwks {
        /// Where it came from.
        source: String,
        /// Its usable keys.
        keys: Vec<IssuerKey>,
    },
    /// Issuer metadata naming a `jwks_uri` not fetched yet.
    AwaitingJwks {
        /// The https URL of the JWK Set.
        jwks_uri: String,
    },
    /// The document could not be had or was unusable (held briefly).
    Failed {
        /// Where it was to come from.
        source: String,
        /// Why.
        reason: String,
    },
}

impl Resolved {
    /// What to fetch next for this issuer, if anything.
    pub fn next_fetch(&self, issuer: &str) -> Option<KeyFetch> {
        match self {
            Resolved::AwaitingJwks { jwks_uri } => {
                Some(KeyFetch { kind: FetchKind::Jwks, id: issuer.to_owned(), url: Some(jwks_uri.clone()) })
            }
            _ => None,
        }
    }

    /// The key of `issuer` for a JWS naming `kid` with `alg`, for `purpose`.
    ///
    /// # Errors
    /// `KEY_UNAVAILABLE` (path `kid` when it is the `kid` that names no usable key) when the
    /// document names no key that fits, several that do, or could not be had.
    pub fn select(&self, issuer: &str, kid: Option<&str>, alg: Algorithm, purpose: Purpose) -> Result<VerifyingKey> {
        let unavailable = |m: String| Error::new(ErrorCode::KeyUnavailable, m);
        match self {
            Resolved::Did { source, keys } => select_method(keys, issuer, kid, alg, purpose, source),
            Resolved::Jwks { source, keys } => select(keys, issuer, kid, alg, &format!("keys in the JWK Set of {source}")),
            Resolved::AwaitingJwks { jwks_uri } => Err(unavailable(format!("the JWK Set of {} ({jwks_uri}) is not fetched yet", shown(issuer)))),
            Resolved::Failed { source, reason } => {
                Err(unavailable(format!("the key of {} could not be had from {source}: {reason}", shown(issuer))))
            }
        }
    }
}

/// At most 200 characters of a name, for messages.
fn shown(s: &str) -> String {
    s.chars().take(200).collect()
}

/// Whether `did` is a DID (`did:method:id`, DID Core 3.1) without path, query or fragment.
fn valid_did(did: &str) -> bool {
    let mut parts = did.splitn(3, ':');
    let (Some("did"), Some(method), Some(id)) = (parts.next(), parts.next(), parts.next()) else { return false };
    let method_ok = !method.is_empty() && method.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let id_ok = !id.is_empty()
        && !id.ends_with(':')
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':' | b'%'))
        && pct_ok(id);
    did.len() <= 2048 && method_ok && id_ok
}

/// Whether every `%` of `s` starts a `%XX` escape.
fn pct_ok(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().all(|(i, c)| *c != b'%' || (b.get(i + 1).is_some_and(u8::is_ascii_hexdigit) && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit)))
}

/// The https URL of a did:web's DID document (did:web specification, 3.2 Read): the
/// method-specific id's `:` become `/`, a percent-encoded port colon (`%3A`) is decoded, and
/// `/.well-known/did.json` (no path) or `/did.json` (a path) is appended.
///
/// Policy: the host is a DNS name (letters, digits, `-`, `.`; no IP literal, no user info), the
/// port digits only, and path segments unreserved characters or `%XX` escapes other than `.`
/// and `..`: nothing in the DID can move the URL to another origin or path.
///
/// # Errors
/// `INVALID_DID` for a DID that is not such a did:web.
pub fn did_web_url(did: &str) -> Result<String> {
    let invalid = |why: &str| Error::new(ErrorCode::InvalidDid, format!("{} is not a did:web DID: {why}", shown(did)));
    let id = did.strip_prefix("did:web:").ok_or_else(|| invalid("no did:web: prefix"))?;
    if !valid_did(did) {
        return Err(invalid("not a DID without path, query or fragment"));
    }
    let mut segments = id.split(':');
    let authority = segments.next().unwrap_or_default();
    let (host, port) = match authority.find("%3A").or_else(|| authority.find("%3a")) {
        Some(at) => (authority.get(..at).unwrap_or_default(), Some(authority.get(at + 3..).unwrap_or_default())),
        None => (authority, None),
    };
    let label_ok = |l: &str| !l.is_empty() && l.len() <= 63 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if host.is_empty() || host.len() > 253 || !host.split('.').all(label_ok) {
        return Err(invalid("its host is not a domain name"));
    }
    if let Some(p) = port {
        if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) || p.parse::<u32>().map_or(true, |n| n == 0 || n > 65_535) {
            return Err(invalid("its port is not a port number"));
        }
    }
    let path: Vec<&str> = segments.collect();
    for s in &path {
        let ok = !s.is_empty() && *s != "." && *s != ".." && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'%'));
        // An escaped `/`, `.` or `%` could reshape the path once a server decodes it.
        let lower = s.to_ascii_lowercase();
        if !ok || lower.contains("%2f") || lower.contains("%2e") || lower.contains("%25") || lower.contains("%5c") {
            return Err(invalid("a path segment is empty, a dot segment, or escapes a separator"));
        }
    }
    let origin = match port {
        Some(p) => format!("https://{}:{p}", host.to_ascii_lowercase()),
        None => format!("https://{}", host.to_ascii_lowercase()),
    };
    Ok(if path.is_empty() { format!("{origin}/.well-known/did.json") } else { format!("{origin}/{}/did.json", path.join("/")) })
}

/// The https URL of an issuer's JWT VC Issuer Metadata (draft-ietf-oauth-sd-jwt-vc): the
/// issuer URL with `/.well-known/jwt-vc-issuer` inserted between its host and its path
/// (`https://example.com/tenant/1` -> `https://example.com/.well-known/jwt-vc-issuer/tenant/1`),
/// a trailing `/` of the path removed.
///
/// # Errors
/// `MALFORMED_INPUT` unless the issuer is an https URL without user info, query or fragment.
pub fn issuer_metadata_url(issuer: &str) -> Result<String> {
    let rest = https_parts(issuer).ok_or_else(|| Error::malformed(format!("issuer {} is not an https URL", shown(issuer))))?;
    let (authority, path) = rest;
    let path = path.trim_end_matches('/');
    Ok(format!("https://{authority}/.well-known/jwt-vc-issuer{path}"))
}

/// The authority and path of an https URL without user info, query or fragment, with a DNS
/// host and an optional port; `None` for anything else.
fn https_parts(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("https://")?;
    if url.len() > 2048 || rest.contains(['?', '#', '@', '\\']) || rest.bytes().any(|b| b <= b' ' || b >= 0x7f) {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(at) => (rest.get(..at)?, rest.get(at..)?),
        None => (rest, ""),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    let label_ok = |l: &str| !l.is_empty() && l.len() <= 63 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    let path_ok = !path.split('/').any(|s| s == "." || s == "..");
    (host.split('.').all(label_ok) && port_ok && path_ok).then_some((authority, path))
}

/// Checks a document the host hands back against what was asked and parses it.
///
/// `awaiting` is the `jwks_uri` the issuer's metadata named, for a [`FetchKind::Jwks`].
///
/// # Errors
/// `MALFORMED_INPUT` when the document is not one this core asked for (another URL than the
/// one the specifications derive, a JWK Set nobody named): such a document is dropped, never
/// held. A document that was asked for but is unusable is `Ok(Resolved::Failed)`.
pub fn parse_supplied(doc: &SuppliedDocument, awaiting: Option<&str>) -> Result<Resolved> {
    let expected = match doc.kind {
        FetchKind::DidWeb => Some(did_web_url(&doc.id)?),
        FetchKind::IssuerMetadata => Some(issuer_metadata_url(&doc.id)?),
        FetchKind::Jwks => Some(awaiting.ok_or_else(|| Error::malformed("a JWK Set that no issuer metadata named"))?.to_owned()),
        FetchKind::Did if valid_did(&doc.id) => None,
        FetchKind::Did => return Err(Error::malformed("not a DID")),
    };
    if expected.is_some() && doc.url != expected {
        return Err(Error::malformed("a document from another URL than the one its issuer derives"));
    }
    let source = expected.unwrap_or_else(|| "the didResolver".to_owned());
    let failed = |reason: String| Resolved::Failed { source: source.clone(), reason };
    let Some(text) = doc.text.as_deref() else {
        return Ok(failed(doc.error.clone().map_or_else(|| "nothing was returned".to_owned(), |e| shown(&e))));
    };
    let parsed = match crate::json::parse_object(text.trim().as_bytes(), MAX_KEY_DOCUMENT_BYTES, MAX_JSON_DEPTH) {
        Ok(m) => m,
        Err(e) => return Ok(failed(format!("not a JSON object ({})", e.message))),
    };
    let outcome = match doc.kind {
        FetchKind::DidWeb | FetchKind::Did => parse_did_document(&doc.id, &parsed).map(|keys| Resolved::Did { source: source.clone(), keys }),
        FetchKind::IssuerMetadata => parse_issuer_metadata(&doc.id, &parsed, &source),
        FetchKind::Jwks => parse_jwks(&parsed).map(|keys| Resolved::Jwks { source: source.clone(), keys }),
    };
    Ok(outcome.unwrap_or_else(|e| failed(e.message)))
}

/// The usable verification methods of the DID document of `did` (see the module docs).
///
/// # Errors
/// `MALFORMED_INPUT` when the document's `id` is not `did`, or its relationships are not arrays.
pub fn parse_did_document(did: &str, doc: &Map<String, Value>) -> Result<Vec<DocumentKey>> {
    if doc.get("id").and_then(Value::as_str) != Some(did) {
        return Err(Error::malformed(format!("the DID document's id is not {}", shown(did))));
    }
    let absolute = |id: &str| -> Option<String> {
        if let Some(f) = id.strip_prefix('#') {
            return (!f.is_empty()).then(|| format!("{did}#{f}"));
        }
        let (d, f) = id.split_once('#')?;
        (d == did && !f.is_empty()).then(|| id.to_owned())
    };
    let mut methods: Vec<(String, VerifyingKey)> = Vec::new();
    let mut take = |vm: &Value| -> Option<String> {
        let id = absolute(vm.get("id")?.as_str()?)?;
        if vm.get("controller").and_then(Value::as_str) != Some(did) {
            return None;
        }
        let key = match (vm.get("publicKeyJwk"), vm.get("publicKeyMultibase").and_then(Value::as_str)) {
            (Some(jwk), None) => VerifyingKey::from_jwk(jwk).ok()?,
            (None, Some(mb)) if mb.starts_with('z') && mb.len() <= 256 => VerifyingKey::from_did(&format!("did:key:{mb}")).ok()?,
            _ => return None,
        };
        if methods.len() < MAX_KEYS_PER_ISSUER && !methods.iter().any(|(i, _)| *i == id) {
            methods.push((id.clone(), key));
        }
        Some(id)
    };
    match doc.get("verificationMethod") {
        None => {}
        Some(Value::Array(vms)) => {
            for vm in vms {
                take(vm);
            }
        }
        Some(_) => return Err(Error::malformed("the DID document's verificationMethod is not an array")),
    }
    // Each relationship: references to the methods above, or methods embedded in it.
    let mut referenced = |name: &str| -> Result<Vec<String>> {
        match doc.get(name) {
            None => Ok(Vec::new()),
            Some(Value::Array(entries)) => Ok(entries
                .iter()
                .filter_map(|e| match e {
                    Value::String(r) => absolute(r),
                    Value::Object(_) => take(e),
                    _ => None,
                })
                .collect()),
            Some(_) => Err(Error::malformed(format!("the DID document's {name} is not an array"))),
        }
    };
    let assertion = referenced("assertionMethod")?;
    let authentication = referenced("authentication")?;
    Ok(methods
        .into_iter()
        .map(|(id, key)| DocumentKey { assertion: assertion.contains(&id), authentication: authentication.contains(&id), id, key })
        .collect())
}

/// Issuer metadata of `issuer`: its inline `jwks`, or the `jwks_uri` to fetch.
fn parse_issuer_metadata(issuer: &str, meta: &Map<String, Value>, source: &str) -> Result<Resolved> {
    if meta.get("issuer").and_then(Value::as_str) != Some(issuer) {
        return Err(Error::malformed(format!("the metadata's issuer is not {}", shown(issuer))));
    }
    match (meta.get("jwks"), meta.get("jwks_uri")) {
        (Some(Value::Object(jwks)), None) => Ok(Resolved::Jwks { source: source.to_owned(), keys: parse_jwks(jwks)? }),
        (None, Some(Value::String(uri))) if https_parts(uri).is_some() => Ok(Resolved::AwaitingJwks { jwks_uri: uri.clone() }),
        (None, Some(_)) => Err(Error::malformed("the metadata's jwks_uri is not an https URL")),
        (Some(_), Some(_)) => Err(Error::malformed("the metadata has both jwks and jwks_uri")),
        _ => Err(Error::malformed("the metadata has neither jwks nor jwks_uri")),
    }
}

/// The usable signature keys of a JWK Set; keys of other types or uses are skipped.
fn parse_jwks(jwks: &Map<String, Value>) -> Result<Vec<IssuerKey>> {
    let Some(Value::Array(keys)) = jwks.get("keys") else { return Err(Error::malformed("a JWK Set has a 'keys' array")) };
    Ok(keys
        .iter()
        .filter_map(|jwk| {
            let kid = match jwk.get("kid") {
                None => None,
                Some(Value::String(k)) => Some(k.clone()),
                Some(_) => return None,
            };
            Some(IssuerKey { kid, key: VerifyingKey::from_jwk(jwk).ok()? })
        })
        .take(MAX_KEYS_PER_ISSUER)
        .collect())
}

/// Chooses the verification method of `did` for `purpose` (see the module docs).
fn select_method(keys: &[DocumentKey], did: &str, kid: Option<&str>, alg: Algorithm, purpose: Purpose, source: &str) -> Result<VerifyingKey> {
    let allowed = |k: &DocumentKey| match purpose {
        Purpose::Assertion => k.assertion,
        Purpose::Authentication => k.authentication,
    };
    let relationship = purpose.relationship();
    // A kid that is the bare DID names no one method.
    let fragment = kid.filter(|k| *k != did).map(|k| match k.strip_prefix('#') {
        Some(f) => format!("{did}#{f}"),
        None => k.to_owned(),
    });
    let candidates: Vec<IssuerKey> = match &fragment {
        Some(id) => {
            let Some(method) = keys.iter().find(|k| k.id == *id) else {
                return Err(Error::new(
                    ErrorCode::KeyUnavailable,
                    format!("the DID document of {} (from {source}) has no usable verification method '{}'", shown(did), shown(id)),
                )
                .at("kid"));
            };
            if !allowed(method) {
                return Err(Error::new(
                    ErrorCode::KeyUnavailable,
                    format!("verification method '{}' of {} is not in its {relationship}", shown(id), shown(did)),
                )
                .at("kid"));
            }
            vec![IssuerKey { kid: Some(method.id.clone()), key: method.key.clone() }]
        }
        None => keys.iter().filter(|k| allowed(k)).map(|k| IssuerKey { kid: Some(k.id.clone()), key: k.key.clone() }).collect(),
    };
    if candidates.is_empty() {
        return Err(Error::new(
            ErrorCode::KeyUnavailable,
            format!("the DID document of {} (from {source}) has no usable key in its {relationship}", shown(did)),
        ));
    }
    select(&candidates, did, None, alg, &format!("{relationship} keys of {source}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::KeyPair;
    use serde_json::json;

    fn ed(seed: u8) -> KeyPair {
        KeyPair::from_seed(&[seed; 32])
    }

    fn multibase(seed: u8) -> String {
        ed(seed).did().trim_start_matches("did:key:").to_owned()
    }

    #[test]
    fn did_web_urls_follow_the_specification() {
        assert_eq!(did_web_url("did:web:w3c-ccg.github.io").unwrap(), "https://w3c-ccg.github.io/.well-known/did.json");
        assert_eq!(did_web_url("did:web:w3c-ccg.github.io:user:alice").unwrap(), "https://w3c-ccg.github.io/user/alice/did.json");
        assert_eq!(did_web_url("did:web:example.com%3A3000:user:alice").unwrap(), "https://example.com:3000/user/alice/did.json");
        for bad in [
            "did:web:",
            "did:web:example.com:",
            "did:web:example.com::a",
            "did:web:example.com:..",
            "did:web:example.com:a%2Fb",
            "did:web:example.com:%2e%2e",
            "did:web:user@example.com",
            "did:web:example.com%3A99999",
            "did:web:example.com%3A",
            "did:web:example.com#key-1",
            "did:web:example.com/x",
            "did:web:exa_mple.com",
            "did:web:127.0.0.1%3A80%2F",
        ] {
            assert_eq!(did_web_url(bad).map_err(|e| e.code), Err(ErrorCode::InvalidDid), "{bad}");
        }
    }

    #[test]
    fn issuer_metadata_urls_insert_the_well_known_path() {
        assert_eq!(issuer_metadata_url("https://example.com").unwrap(), "https://example.com/.well-known/jwt-vc-issuer");
        assert_eq!(issuer_metadata_url("https://example.com/tenant/1234").unwrap(), "https://example.com/.well-known/jwt-vc-issuer/tenant/1234");
        assert_eq!(issuer_metadata_url("https://example.com:8443/t/").unwrap(), "https://example.com:8443/.well-known/jwt-vc-issuer/t");
        for bad in ["http://example.com", "https://a@example.com", "https://example.com?x", "https://example.com/#f", "https://example.com/../x", "urn:x"] {
            assert!(issuer_metadata_url(bad).is_err(), "{bad}");
        }
    }

    fn document(did: &str) -> Map<String, Value> {
        json!({
            "id": did,
            "verificationMethod": [
                { "id": format!("{did}#a"), "type": "Multikey", "controller": did, "publicKeyMultibase": multibase(1) },
                { "id": "#b", "type": "JsonWebKey", "controller": did, "publicKeyJwk": Value::Object(VerifyingKey::from(ed(2).public_key().clone()).to_jwk()) },
                { "id": "did:web:other.example#c", "type": "Multikey", "controller": did, "publicKeyMultibase": multibase(3) },
                { "id": format!("{did}#d"), "type": "Multikey", "controller": "did:web:other.example", "publicKeyMultibase": multibase(4) },
            ],
            "assertionMethod": [format!("{did}#a"), "did:web:other.example#c", format!("{did}#d")],
            "authentication": ["#b"],
        })
        .as_object()
        .cloned()
        .unwrap_or_default()
    }

    #[test]
    fn did_documents_give_keys_by_relationship_and_kid() {
        let did = "did:web:issuer.example";
        let keys = parse_did_document(did, &document(did)).unwrap();
        // #c (another DID's URL) and #d (another controller) are not the DID's keys.
        assert_eq!(keys.iter().map(|k| k.id.as_str()).collect::<Vec<_>>(), [format!("{did}#a"), format!("{did}#b")]);
        let doc = Resolved::Did { source: "s".into(), keys };
        let key = |seed: u8| VerifyingKey::from(ed(seed).public_key().clone());
        assert_eq!(doc.select(did, None, Algorithm::EdDsa, Purpose::Assertion), Ok(key(1)));
        assert_eq!(doc.select(did, Some("#a"), Algorithm::EdDsa, Purpose::Assertion), Ok(key(1)));
        assert_eq!(doc.select(did, Some(&format!("{did}#a")), Algorithm::EdDsa, Purpose::Assertion), Ok(key(1)));
        assert_eq!(doc.select(did, None, Algorithm::EdDsa, Purpose::Authentication), Ok(key(2)));
        // #b authenticates; it does not assert, and #a does not authenticate.
        let e = doc.select(did, Some("#b"), Algorithm::EdDsa, Purpose::Assertion).unwrap_err();
        assert_eq!((e.code, e.path.as_deref()), (ErrorCode::KeyUnavailable, Some("kid")));
        assert!(e.message.contains("assertionMethod"), "{}", e.message);
        assert!(doc.select(did, Some("#a"), Algorithm::EdDsa, Purpose::Authentication).is_err());
        assert!(doc.select(did, Some("#d"), Algorithm::EdDsa, Purpose::Assertion).is_err());
        // A document of another DID is refused.
        assert_eq!(parse_did_document("did:web:evil.example", &document(did)).unwrap_err().code, ErrorCode::MalformedInput);
    }

    #[test]
    fn several_fitting_keys_without_a_kid_are_never_guessed() {
        let did = "did:web:issuer.example";
        let mut doc = document(did);
        doc.insert("assertionMethod".into(), json!(["#a", "#b"]));
        let keys = parse_did_document(did, &doc).unwrap();
        let doc = Resolved::Did { source: "s".into(), keys };
        assert_eq!(doc.select(did, None, Algorithm::EdDsa, Purpose::Assertion).map_err(|e| e.code), Err(ErrorCode::KeyUnavailable));
        // The bare DID as kid names no one method either.
        assert!(doc.select(did, Some(did), Algorithm::EdDsa, Purpose::Assertion).is_err());
    }

    fn supplied(kind: FetchKind, id: &str, url: Option<String>, text: Value) -> SuppliedDocument {
        SuppliedDocument { kind, id: id.into(), url, text: Some(text.to_string()), error: None }
    }

    #[test]
    fn issuer_metadata_must_name_its_issuer_and_its_jwks() {
        let iss = "https://issuer.example/t/1";
        let url = issuer_metadata_url(iss).ok();
        let jwk = Value::Object(VerifyingKey::from(ed(5).public_key().clone()).to_jwk());
        let ok = parse_supplied(&supplied(FetchKind::IssuerMetadata, iss, url.clone(), json!({"issuer": iss, "jwks": {"keys": [jwk]}})), None);
        assert!(matches!(ok, Ok(Resolved::Jwks { ref keys, .. }) if keys.len() == 1), "{ok:?}");
        let other = json!({"issuer": "https://evil.example", "jwks": {"keys": []}});
        assert!(matches!(parse_supplied(&supplied(FetchKind::IssuerMetadata, iss, url.clone(), other), None), Ok(Resolved::Failed { .. })));
        let via_uri = json!({"issuer": iss, "jwks_uri": "https://keys.example/jwks.json"});
        let awaiting = parse_supplied(&supplied(FetchKind::IssuerMetadata, iss, url.clone(), via_uri), None).unwrap();
        assert_eq!(awaiting, Resolved::AwaitingJwks { jwks_uri: "https://keys.example/jwks.json".into() });
        let insecure = json!({"issuer": iss, "jwks_uri": "http://keys.example/jwks.json"});
        assert!(matches!(parse_supplied(&supplied(FetchKind::IssuerMetadata, iss, url, insecure), None), Ok(Resolved::Failed { .. })));
        // A document from a URL the issuer does not derive, or a JWK Set nobody named: dropped.
        let wrong = supplied(FetchKind::IssuerMetadata, iss, Some("https://evil.example/m".into()), json!({"issuer": iss}));
        assert!(parse_supplied(&wrong, None).is_err());
        assert!(parse_supplied(&supplied(FetchKind::Jwks, iss, Some("https://keys.example/j".into()), json!({"keys": []})), None).is_err());
        // HTML, or nothing at all, is a failure held briefly.
        let html = SuppliedDocument { text: Some("<html>".into()), ..supplied(FetchKind::DidWeb, "did:web:a.example", did_web_url("did:web:a.example").ok(), json!(0)) };
        assert!(matches!(parse_supplied(&html, None), Ok(Resolved::Failed { .. })));
    }

    #[test]
    fn the_did_web_specification_examples() {
        // tests/data/didweb: the examples of the did:web method specification (PROVENANCE.md).
        let vectors: Value = serde_json::from_str(include_str!("../../tests/data/didweb/spec-examples.json")).unwrap();
        for (did, url) in vectors["urls"].as_object().unwrap() {
            assert_eq!(did_web_url(did).unwrap(), url.as_str().unwrap());
        }
        let did = "did:web:example.com";
        let keys = parse_did_document(did, vectors["jsonWebKeys"].as_object().unwrap()).unwrap();
        // key-1 is an X25519 key agreement key: not a signature key, skipped.
        assert_eq!(keys.iter().map(|k| k.id.as_str()).collect::<Vec<_>>(), ["did:web:example.com#key-0", "did:web:example.com#key-2"]);
        assert!(keys.iter().all(|k| k.assertion && k.authentication));
        let doc = Resolved::Did { source: "s".into(), keys };
        let ed = doc.select(did, Some("#key-0"), Algorithm::EdDsa, Purpose::Assertion).unwrap();
        assert_eq!(ed.key_type(), super::super::alg::KeyType::Ed25519);
        let p256 = doc.select(did, None, Algorithm::Es256, Purpose::Assertion).unwrap();
        assert_eq!(p256.key_type(), super::super::alg::KeyType::P256);
        assert!(doc.select(did, Some("#key-1"), Algorithm::EdDsa, Purpose::Assertion).is_err());
        // An Ethereum address is no key this core verifies with.
        let keys = parse_did_document(did, vectors["ethereumAddress"].as_object().unwrap()).unwrap();
        assert!(keys.is_empty());
    }
}
