//! The verification result: one per input item, serialized to JS as camelCase JSON.
//!
//! `pkg-template/results.js` copies cached results field by field (`copyResult`): a new nested
//! object or array here needs its line there (the JS suite checks that no two results share one).

use crate::error::{Error, ErrorCode};
use serde::Serialize;
use serde_json::Value;

/// The detected format of an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Format {
    /// A JWT with a `vc` or `vp` claim (VC Data Model 1.1 JWT encoding).
    #[serde(rename = "vc-jwt")]
    VcJwt,
    /// A VC 2.0 JOSE-secured credential or presentation (`typ` `vc+jwt` / `vp+jwt`).
    #[serde(rename = "vc-jose")]
    VcJose,
    /// anon-identity's JSON credential or presentation with an embedded `proof.jws`.
    #[serde(rename = "anon-identity")]
    AnonIdentity,
    /// A JSON credential or presentation secured with W3C Data Integrity proofs
    /// (`DataIntegrityProof`, cryptosuites eddsa-jcs-2022 and ecdsa-jcs-2019).
    #[serde(rename = "data-integrity")]
    DataIntegrity,
    /// An SD-JWT (RFC 9901), including the SD-JWT VC profile.
    #[serde(rename = "sd-jwt")]
    SdJwt,
    /// The format could not be determined.
    #[serde(rename = "unknown")]
    Unknown,
}

/// Whether an item is a credential or a presentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A credential presented on its own.
    Credential,
    /// A presentation by a holder, with credentials inside.
    Presentation,
}

/// One failure of an item, as JS sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorEntry {
    /// The stable code.
    pub code: &'static str,
    /// A human-readable explanation.
    pub message: String,
    /// Where in the item, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl From<Error> for ErrorEntry {
    fn from(e: Error) -> Self {
        ErrorEntry { code: e.code.as_str(), message: e.message, path: e.path }
    }
}

/// A credential inside a result (anon-identity's shape: `id`, `issuer`, `type`, `attributes`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialSummary {
    /// The credential's `id` or `jti`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The issuer DID.
    pub issuer: Option<String>,
    /// The credential types.
    #[serde(rename = "type")]
    pub types: Vec<String>,
    /// The subject's claims, without `id`.
    pub attributes: Value,
    /// The subject DID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Expiry, seconds since the epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
}

/// The outcome of verifying one item.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerificationResult {
    /// True when `errors` is empty.
    pub valid: bool,
    /// The detected format.
    pub format: Format,
    /// Credential or presentation.
    pub kind: Kind,
    /// The (first) issuer DID.
    pub issuer: Option<String>,
    /// The presentation's holder DID.
    pub holder: Option<String>,
    /// The credential's subject DID.
    pub subject: Option<String>,
    /// The verified claims of a credential (for SD-JWT: only the disclosed ones).
    pub claims: Option<Value>,
    /// The credentials inside a presentation (or the credential itself).
    pub credentials: Vec<CredentialSummary>,
    /// For SD-JWT: the paths of the disclosed claims.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disclosed: Option<Vec<String>>,
    /// For SD-JWT with `cnf`: the RFC 7638 thumbprint of the holder's key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder_key_thumbprint: Option<String>,
    /// The earliest expiry found anywhere in the item (every JWT's `exp`, every credential's
    /// `expirationDate` / `validUntil`), seconds since the epoch.
    pub expires_at: Option<i64>,
    /// Every failure found; empty when valid.
    pub errors: Vec<ErrorEntry>,
    /// For an invalid result only: what the input said (claims, credentials, disclosed paths,
    /// subject), for diagnostics. None of it is verified. A valid result has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unverified: Option<Unverified>,
}

/// The number of JSON values in `v`, or `None` past `limit` (counting stops there).
fn values_within(v: Option<&Value>, limit: usize) -> Option<usize> {
    let mut stack: Vec<&Value> = v.into_iter().collect();
    let mut n = 0usize;
    while let Some(v) = stack.pop() {
        n += 1;
        if n > limit {
            return None;
        }
        match v {
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(o) => stack.extend(o.values()),
            _ => {}
        }
    }
    Some(n)
}

/// What an invalid item said, kept apart from the result's own fields so that a caller who reads
/// `claims` before `valid` reads nothing (see [`VerificationResult::seal`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Unverified {
    /// The claims the item stated.
    pub claims: Option<Value>,
    /// The credentials it carried.
    pub credentials: Vec<CredentialSummary>,
    /// For SD-JWT: the paths of the claims it disclosed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disclosed: Option<Vec<String>>,
    /// The subject it named.
    pub subject: Option<String>,
    /// For SD-JWT with `cnf`: the thumbprint of the holder key it named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder_key_thumbprint: Option<String>,
}

impl VerificationResult {
    /// An empty result for an item of `format` and `kind`, to be filled by its format.
    pub fn new(format: Format, kind: Kind) -> Self {
        VerificationResult {
            valid: false,
            format,
            kind,
            issuer: None,
            holder: None,
            subject: None,
            claims: None,
            credentials: Vec::new(),
            disclosed: None,
            holder_key_thumbprint: None,
            expires_at: None,
            errors: Vec::new(),
            unverified: None,
        }
    }

    /// Settles `valid` from `errors`; an invalid result's claims, credentials, disclosed paths,
    /// subject and holder-key thumbprint move under `unverified`. Every result passes through here
    /// last, whatever its format and path (batch, cache, kind check).
    pub fn seal(&mut self) {
        self.valid = self.errors.is_empty();
        if self.valid {
            return;
        }
        // What a hostile input makes an invalid result hold is bounded: past the limit only
        // the subject is kept.
        let size = values_within(self.claims.as_ref(), crate::limits::MAX_UNVERIFIED_VALUES).and_then(|n| {
            self.credentials
                .iter()
                .try_fold(n, |n, c| values_within(Some(&c.attributes), crate::limits::MAX_UNVERIFIED_VALUES - n).map(|m| n + m))
        });
        if size.is_none() {
            self.claims = None;
            for c in &mut self.credentials {
                c.attributes = Value::Null;
            }
        }
        let was = self.unverified.get_or_insert_with(Unverified::default);
        if let Some(claims) = self.claims.take() {
            was.claims = Some(claims);
        }
        if !self.credentials.is_empty() {
            was.credentials = std::mem::take(&mut self.credentials);
        }
        if let Some(disclosed) = self.disclosed.take() {
            was.disclosed = Some(disclosed);
        }
        if let Some(subject) = self.subject.take() {
            was.subject = Some(subject);
        }
        if let Some(thumbprint) = self.holder_key_thumbprint.take() {
            was.holder_key_thumbprint = Some(thumbprint);
        }
    }

    /// Records a failure found after the result was sealed, and seals it again.
    pub fn reject(&mut self, error: Error) {
        self.push(error);
        self.seal();
    }

    /// A result that failed before its format was known.
    pub fn failed(error: Error) -> Self {
        let mut r = VerificationResult::new(Format::Unknown, Kind::Credential);
        r.push(error);
        r
    }

    /// Records a failure.
    pub fn push(&mut self, error: Error) {
        self.errors.push(error.into());
    }

    /// Whether a failure with `code` was recorded.
    pub fn has(&self, code: ErrorCode) -> bool {
        self.errors.iter().any(|e| e.code == code.as_str())
    }

    /// Lowers `expires_at` to `exp` when earlier.
    pub fn note_expiry(&mut self, exp: Option<i64>) {
        if let Some(e) = exp {
            self.expires_at = Some(self.expires_at.map_or(e, |cur| cur.min(e)));
        }
    }
}
