//! Checks every credential format shares: validity period (VC Data Model 1.1 section 7 and 2.0
//! section 4.9, RFC 7519 sections 4.1.4-4.1.5), trusted issuers, issuer keys and the algorithm
//! policy of every signature ([`Ctx::issuer_key`], [`Ctx::signature`]), status entries, and the
//! summary of a credential.

use super::json::opt_str;
use crate::batch::{SigCheck, StatusRef};
use crate::error::{Error, ErrorCode, Result};
use crate::jws::Jws;
use crate::keys::{KeySource, Purpose, VerifyingKey};
use crate::options::VerifyOptions;
use crate::time::{numeric_date, parse_rfc3339};
use crate::verdict::CredentialSummary;
use serde_json::{Map, Value};

/// What every check of one item needs: the options, the time, and where keys come from.
pub struct Ctx<'a> {
    /// The caller's options.
    pub options: &'a VerifyOptions,
    /// The verification time, seconds since the epoch.
    pub now: i64,
    /// Resolves issuer and holder ids to keys.
    pub keys: &'a mut dyn KeySource,
}

/// One item's findings so far: failures, signatures to check, status entries to check, and the
/// earliest expiry seen anywhere in the item.
#[derive(Debug, Default)]
pub struct Acc {
    /// Every failure found, with paths relative to the item.
    pub errors: Vec<Error>,
    /// Signatures for the batch.
    pub checks: Vec<SigCheck>,
    /// Status entries for the status check.
    pub status: Vec<StatusRef>,
    /// The earliest expiry of any source checked (JWT `exp` of every JWT in the item, the
    /// credential's `expirationDate` / `validUntil`, disclosure proofs), seconds since the epoch:
    /// the result's `expiresAt`, so that a cached verdict never outlives any of them.
    pub expiry: Option<i64>,
    /// The first future instant at which a checked bound would decide otherwise (see
    /// [`crate::batch::Prepared::stable_until`]).
    pub changes_at: Option<i64>,
    /// Signatures whose message canonicalization still has to compute (Data Integrity proofs
    /// over RDF): computed by [`Acc::into_prepared`] only when nothing else failed.
    pub pending: Vec<PendingHash>,
}

/// A signature over hash data that JSON-LD canonicalization computes (see
/// [`crate::credential::data_integrity::rdfc`]), deferred until every cheap check of the item
/// has passed.
#[derive(Debug)]
pub struct PendingHash {
    /// The unsecured document, JSON text.
    pub document: String,
    /// The proof configuration, JSON text.
    pub proof_config: String,
    /// Computes the hash data of the two.
    pub hash: fn(&str, &str) -> Result<Vec<u8>>,
    /// The signature check, whose message the hash data becomes.
    pub check: SigCheck,
    /// Where the proof is (for a canonicalization failure).
    pub path: String,
}

impl Acc {
    /// Records a failure.
    pub fn fail(&mut self, error: Error) {
        self.errors.push(error);
    }

    /// Completes `result` with these findings, for the batch.
    pub fn into_prepared(mut self, mut result: super::VerificationResult) -> crate::batch::Prepared {
        if self.errors.is_empty() {
            for p in std::mem::take(&mut self.pending) {
                match (p.hash)(&p.document, &p.proof_config) {
                    Ok(message) => self.checks.push(SigCheck { message, ..p.check }),
                    Err(e) => self.errors.push(e.at(p.path)),
                }
            }
        }
        for e in self.errors {
            result.push(e);
        }
        result.note_expiry(self.expiry);
        crate::batch::Prepared { result, checks: self.checks, status: self.status, stable_until: self.changes_at }
    }

    /// Moves everything of `other` into `self`, prefixing its paths with `prefix`.
    pub fn absorb(&mut self, other: Acc, prefix: &str) {
        self.expiry = min_opt(self.expiry, other.expiry);
        self.changes_at = min_opt(self.changes_at, other.changes_at);
        self.errors.extend(other.errors.into_iter().map(|e| e.at(prefix)));
        self.checks.extend(other.checks.into_iter().map(|mut c| {
            c.path = join(prefix, &c.path);
            c
        }));
        self.status.extend(other.status.into_iter().map(|mut s| {
            s.path = join(prefix, &s.path);
            s
        }));
        self.pending.extend(other.pending.into_iter().map(|mut p| {
            p.path = join(prefix, &p.path);
            p.check.path = join(prefix, &p.check.path);
            p
        }));
    }
}

/// How a document's `proof` member is read: the cap on a proof set (an array over it is
/// `INPUT_TOO_LARGE`), what a missing proof's message calls the document, and what the message
/// for a `proof` of another type says it must be.
pub struct ProofShape {
    /// Most proofs in a proof set (`None`: no cap of its own).
    pub max: Option<usize>,
    /// "credential", "document", ...
    pub document: &'static str,
    /// "an object", "an object or an array of objects", ...
    pub expected: &'static str,
}

/// The proof objects of `body`'s `proof` (an object, or a non-empty array of objects), with their
/// paths; every other shape is recorded on `acc` (`MISSING_PROOF`, `MALFORMED_INPUT`,
/// `INPUT_TOO_LARGE`) and gives none.
pub fn proof_objects<'b>(body: &'b Map<String, Value>, shape: &ProofShape, acc: &mut Acc) -> Vec<(&'b Map<String, Value>, String)> {
    match body.get("proof") {
        Some(Value::Object(p)) => vec![(p, "proof".to_owned())],
        Some(Value::Array(items)) if shape.max.is_some_and(|max| items.len() > max) => {
            let max = shape.max.unwrap_or_default();
            acc.fail(Error::new(ErrorCode::InputTooLarge, format!("{} proofs is over the limit of {max}", items.len())).at("proof"));
            Vec::new()
        }
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .enumerate()
            .filter_map(|(i, p)| match p {
                Value::Object(p) => Some((p, format!("proof[{i}]"))),
                _ => {
                    acc.fail(Error::malformed("a proof must be an object").at(format!("proof[{i}]")));
                    None
                }
            })
            .collect(),
        Some(Value::Null) | None | Some(Value::Array(_)) => {
            acc.fail(Error::new(ErrorCode::MissingProof, format!("the {} has no proof", shape.document)).at("proof"));
            Vec::new()
        }
        Some(_) => {
            acc.fail(Error::malformed(format!("'proof' must be {}", shape.expected)).at("proof"));
            Vec::new()
        }
    }
}


/// `prefix.path`, or either alone when the other is empty.
pub fn join(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty()) {
        (true, _) => path.to_owned(),
        (_, true) => prefix.to_owned(),
        _ => format!("{prefix}.{path}"),
    }
}

/// Which end of the validity period a date bounds.
#[derive(Clone, Copy)]
pub enum Bound {
    /// Not valid before it (`nbf`, `issuanceDate`, `validFrom`).
    NotBefore,
    /// Not valid after it (`exp`, `expirationDate`, `validUntil`).
    Expiry,
}

impl Ctx<'_> {
    /// Checks one bound at `at` seconds; an expiry is also recorded as the item's earliest.
    /// `path` is made only when the bound fails: the date checks run for every item, and
    /// building their paths up front cost more than the checks.
    fn check_bound(&self, at: i64, bound: Bound, path: impl FnOnce() -> String, acc: &mut Acc) {
        let skew = i64::from(self.options.clock_skew_seconds);
        // When this bound will decide otherwise than it does now: an expiry from `at + skew + 1`
        // on, a not-before from `at - skew` on; a bound already passed never changes again.
        let change = match bound {
            Bound::Expiry => {
                acc.expiry = min_opt(acc.expiry, Some(at));
                at.saturating_add(skew).saturating_add(1)
            }
            Bound::NotBefore => at.saturating_sub(skew),
        };
        if change > self.now {
            acc.changes_at = min_opt(acc.changes_at, Some(change));
        }
        match bound {
            Bound::Expiry if self.now > at.saturating_add(skew) => {
                acc.fail(Error::new(ErrorCode::ExpiredCredential, format!("expired at {at}")).at(path()))
            }
            Bound::NotBefore if self.now.saturating_add(skew) < at => {
                acc.fail(Error::new(ErrorCode::NotYetValid, format!("not valid before {at}")).at(path()))
            }
            _ => {}
        }
    }

    /// Checks an RFC 3339 date field of `map` if present; returns its time.
    pub fn check_date(&self, map: &Map<String, Value>, name: &str, bound: Bound, base: &str, acc: &mut Acc) -> Option<i64> {
        let path = || join(base, name);
        let text = match opt_str(map, name) {
            Ok(Some(t)) => t,
            Ok(None) => return None,
            Err(e) => {
                acc.fail(Error::malformed(e.message).at(path()));
                return None;
            }
        };
        match parse_rfc3339(text) {
            Ok(at) => {
                self.check_bound(at, bound, path, acc);
                Some(at)
            }
            Err(e) => {
                acc.fail(e.at(path()));
                None
            }
        }
    }

    /// Checks a NumericDate claim of `map` if present; returns its time.
    pub fn check_numeric(&self, map: &Map<String, Value>, name: &str, bound: Bound, base: &str, acc: &mut Acc) -> Option<i64> {
        let value = map.get(name)?;
        let path = || join(base, name);
        match numeric_date(value) {
            Ok(at) => {
                self.check_bound(at, bound, path, acc);
                Some(at)
            }
            Err(e) => {
                acc.fail(e.at(path()));
                None
            }
        }
    }

    /// Checks the time claims of a JWT (RFC 7519 sections 4.1.4-4.1.6): `nbf`, `exp`, and an
    /// `iat` in the future (`NOT_YET_VALID`), each within the clock skew, in the payload and, where
    /// they are replicated as header parameters (RFC 7519 section 5.3), in the protected header
    /// too: a bound counts wherever the signer put it. Every JWT of every format goes through
    /// here. `header_base` and `base` locate the header and the payload in the item. Returns the
    /// earliest `exp`.
    pub fn check_jwt_times(
        &self,
        header: &Map<String, Value>,
        header_base: &str,
        payload: &Map<String, Value>,
        base: &str,
        acc: &mut Acc,
    ) -> Option<i64> {
        let mut exp = None;
        for (map, at) in [(header, header_base), (payload, base)] {
            self.check_numeric(map, "nbf", Bound::NotBefore, at, acc);
            self.check_numeric(map, "iat", Bound::NotBefore, at, acc);
            exp = min_opt(exp, self.check_numeric(map, "exp", Bound::Expiry, at, acc));
        }
        exp
    }

    /// Checks the W3C dates of a credential body (1.1 and 2.0 names); returns the earliest expiry.
    pub fn check_credential_dates(&self, body: &Map<String, Value>, base: &str, acc: &mut Acc) -> Option<i64> {
        self.check_date(body, "issuanceDate", Bound::NotBefore, base, acc);
        self.check_date(body, "validFrom", Bound::NotBefore, base, acc);
        let a = self.check_date(body, "expirationDate", Bound::Expiry, base, acc);
        let b = self.check_date(body, "validUntil", Bound::Expiry, base, acc);
        min_opt(a, b)
    }

    /// Checks the issuer against the trusted list.
    pub fn check_trust(&self, issuer: &str, path: &str, acc: &mut Acc) {
        if !self.options.trusts(issuer) {
            acc.fail(Error::new(ErrorCode::UntrustedIssuer, format!("issuer {issuer} is not trusted")).at(path));
        }
    }

    /// The key of `issuer` that must have signed `jws` (chosen by its `kid` and `alg`, see
    /// [`crate::keys::KeySource`]), or the failure recorded: at `join(header_base,
    /// "header.kid")` when it is the `kid` that names no key of the issuer, else at
    /// `issuer_path`.
    pub fn issuer_key(&mut self, issuer: &str, jws: &Jws<'_>, issuer_path: &str, header_base: &str, acc: &mut Acc) -> Option<VerifyingKey> {
        self.signer_key(Purpose::Assertion, issuer, jws, issuer_path, header_base, acc)
    }

    /// [`Ctx::issuer_key`] for a presentation's holder: a DID document must list the key under
    /// `authentication`.
    pub fn holder_key(&mut self, holder: &str, jws: &Jws<'_>, holder_path: &str, header_base: &str, acc: &mut Acc) -> Option<VerifyingKey> {
        self.signer_key(Purpose::Authentication, holder, jws, holder_path, header_base, acc)
    }

    fn signer_key(&mut self, purpose: Purpose, issuer: &str, jws: &Jws<'_>, issuer_path: &str, header_base: &str, acc: &mut Acc) -> Option<VerifyingKey> {
        if let Some(x5c) = jws.header.get("x5c") {
            if let Some(found) = self.keys.certified_key(issuer, x5c, self.now) {
                return match found {
                    Ok(certified) => {
                        // A result that rests on the chain lives no longer than its validation.
                        acc.changes_at = min_opt(acc.changes_at, Some(certified.not_after.saturating_add(1)));
                        Some(certified.key.clone())
                    }
                    Err(e) => {
                        acc.fail(e.at(join(header_base, "header")));
                        None
                    }
                };
            }
        }
        let kid_path = join(header_base, "header.kid");
        let kid = match jws.header.get("kid") {
            None => None,
            Some(Value::String(k)) => Some(k.as_str()),
            Some(_) => {
                acc.fail(Error::malformed("'kid' must be a string").at(kid_path));
                return None;
            }
        };
        self.key_as(purpose, issuer, kid, jws.alg, issuer_path, &kid_path, acc)
    }

    /// [`Ctx::issuer_key`] for a format that checks the `kid` itself and passes it (or `None`),
    /// for a key of `purpose` (see [`crate::keys::KeySource::key_for_purpose`]).
    #[allow(clippy::too_many_arguments)]
    pub fn key_as(
        &mut self,
        purpose: Purpose,
        issuer: &str,
        kid: Option<&str>,
        alg: crate::keys::Algorithm,
        issuer_path: &str,
        kid_path: &str,
        acc: &mut Acc,
    ) -> Option<VerifyingKey> {
        match self.keys.key_for_purpose(issuer, kid, alg, purpose) {
            Ok(k) => Some(k),
            Err(e) if e.path.as_deref() == Some("kid") => {
                acc.fail(Error { path: None, ..e }.at(kid_path.to_owned()));
                None
            }
            Err(e) => {
                acc.fail(e.at(issuer_path.to_owned()));
                None
            }
        }
    }

    /// Queues the signature of `jws` under `key` for the batch, when the algorithm policy allows
    /// it: an `alg` outside the caller's `algorithms` is `UNSUPPORTED_ALGORITHM` (at
    /// `header_base.header.alg`), and a key that refuses the `alg` (another key type, or a JWK
    /// restricted to another algorithm) fails with `code` at `sig_path` without any arithmetic.
    pub fn signature(&self, jws: &Jws<'_>, key: VerifyingKey, code: ErrorCode, header_base: &str, sig_path: &str, acc: &mut Acc) {
        if !self.options.allows(jws.alg) {
            acc.fail(
                Error::new(ErrorCode::UnsupportedAlgorithm, format!("JWS alg {} is not among the accepted algorithms", jws.alg))
                    .at(join(header_base, "header.alg")),
            );
            return;
        }
        if let Some(why) = key.refuses(jws.alg) {
            acc.fail(Error::new(code, format!("the signature cannot be by the expected key: {why}")).at(sig_path.to_owned()));
            return;
        }
        acc.checks.push(SigCheck {
            message: jws.signing_input.as_bytes().to_vec(),
            signature: jws.signature.clone(),
            alg: jws.alg,
            key,
            code,
            path: sig_path.to_owned(),
        });
    }
}

/// The earlier of two optional times.
pub fn min_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

pub use crate::keys::kid_is_did_key_of;

/// The base context of VC Data Model 1.1.
pub const VC_V1_CONTEXT: &str = "https://www.w3.org/2018/credentials/v1";
/// The base context of VC Data Model 2.0.
pub const VC_V2_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";

/// Checks a credential's `@context`: VC Data Model 1.1 (section 4.1) and 2.0 (section 4.3) require
/// it, with the base context first. `v2_only` for the VC-JOSE-COSE media types, which secure
/// VCDM 2.0 documents.
pub fn check_context(body: &Map<String, Value>, base: &str, v2_only: bool, acc: &mut Acc) {
    let path = || join(base, "@context");
    let first = match body.get("@context") {
        Some(Value::Array(items)) => items.first().and_then(Value::as_str),
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => {
            acc.fail(Error::malformed("'@context' must be a string or an array").at(path()));
            return;
        }
        None => {
            acc.fail(Error::malformed("a verifiable credential needs '@context'").at(path()));
            return;
        }
    };
    let ok = match first {
        Some(VC_V2_CONTEXT) => true,
        Some(VC_V1_CONTEXT) => !v2_only,
        _ => false,
    };
    if !ok {
        let want = if v2_only { VC_V2_CONTEXT.to_owned() } else { format!("{VC_V1_CONTEXT} or {VC_V2_CONTEXT}") };
        acc.fail(Error::malformed(format!("the first '@context' entry must be {want}")).at(path()));
    }
}

/// Whether a verification method id names the key of `did`.
///
/// Policy: a did:key document has one verification method, `did#<fingerprint>`; anon-identity's
/// own DID documents name that same key `did#key-1`. Those two are accepted, nothing else, so
/// that the unsigned `verificationMethod` cannot be edited without notice. The key itself
/// always comes from the DID.
pub fn method_of(method: &str, did: &str) -> bool {
    match method.split_once('#') {
        Some((d, "key-1")) => d == did,
        Some(_) => kid_is_did_key_of(method, did) && !method.starts_with('#'),
        None => false,
    }
}

/// The issuer DID of a credential's `issuer` (a string or an object with `id`).
///
/// # Errors
/// `MALFORMED_INPUT` for any other shape.
pub fn issuer_id(value: &Value) -> Result<&str> {
    match value {
        Value::String(s) => Ok(s),
        Value::Object(o) => o.get("id").and_then(Value::as_str).ok_or_else(|| Error::malformed("issuer object has no string 'id'")),
        _ => Err(Error::malformed("issuer must be a string or an object with 'id'")),
    }
}

/// The string entries of `type` (a string or an array of strings).
///
/// # Errors
/// `MALFORMED_INPUT` for any other shape.
pub fn types(value: Option<&Value>) -> Result<Vec<String>> {
    match value {
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Array(items)) => {
            items.iter().map(|t| t.as_str().map(str::to_owned).ok_or_else(|| Error::malformed("'type' entries must be strings"))).collect()
        }
        Some(_) => Err(Error::malformed("'type' must be a string or an array of strings")),
        None => Err(Error::malformed("'type' is missing")),
    }
}

/// The first subject object of `credentialSubject` (an object or an array of objects).
///
/// # Errors
/// `MALFORMED_INPUT` for any other shape.
pub fn subject(value: Option<&Value>) -> Result<&Map<String, Value>> {
    match value {
        Some(Value::Object(m)) => Ok(m),
        Some(Value::Array(items)) => match items.first() {
            Some(Value::Object(m)) => Ok(m),
            _ => Err(Error::malformed("'credentialSubject' must hold objects")),
        },
        _ => Err(Error::malformed("'credentialSubject' must be an object")),
    }
}

/// Queues the credential's status entries (`credentialStatus` objects, or a JWT `status` claim),
/// unless the caller turned status checks off.
pub fn push_status(ctx: &Ctx<'_>, value: Option<&Value>, issuer: &str, path: &str, acc: &mut Acc) {
    if !ctx.options.check_status {
        return;
    }
    match value {
        None => {}
        Some(Value::Object(_)) => {
            if let Some(v) = value {
                acc.status.push(StatusRef { entry: v.clone(), issuer: issuer.to_owned(), path: path.to_owned() })
            }
        }
        Some(Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                if v.is_object() {
                    acc.status.push(StatusRef { entry: v.clone(), issuer: issuer.to_owned(), path: format!("{path}[{i}]") });
                } else {
                    acc.fail(Error::malformed("a status entry must be an object").at(format!("{path}[{i}]")));
                }
            }
        }
        Some(_) => acc.fail(Error::malformed("a status entry must be an object").at(path)),
    }
}

/// The summary of a credential, in anon-identity's shape.
pub fn summary(
    id: Option<&str>,
    issuer: Option<&str>,
    types: Vec<String>,
    subject: &Map<String, Value>,
    expires_at: Option<i64>,
) -> CredentialSummary {
    // Every attribute but `id`, in the subject's order.
    let attributes: Map<String, Value> = subject.iter().filter(|(k, _)| k.as_str() != "id").map(|(k, v)| (k.clone(), v.clone())).collect();
    let subject_id = subject.get("id").and_then(Value::as_str).map(str::to_owned);
    CredentialSummary {
        id: id.map(str::to_owned),
        issuer: issuer.map(str::to_owned),
        types,
        attributes: Value::Object(attributes),
        subject: subject_id,
        expires_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_keeps_the_order_of_attributes() {
        let subject: Map<String, Value> = serde_json::from_str(r#"{"a":1,"id":"did:example:s","b":2,"c":3}"#).unwrap();
        let s = summary(None, None, vec![], &subject, None);
        assert_eq!(s.subject.as_deref(), Some("did:example:s"));
        let keys: Vec<&str> = s.attributes.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["a", "b", "c"]);
        // A subject with no string id: no subject, every other attribute kept.
        let subject: Map<String, Value> = serde_json::from_str(r#"{"id":7,"z":1,"y":2}"#).unwrap();
        let s = summary(None, None, vec![], &subject, None);
        assert_eq!(s.subject, None);
        assert_eq!(serde_json::to_string(&s.attributes).unwrap(), r#"{"z":1,"y":2}"#);
    }

    #[test]
    fn key_ids() {
        let did = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp";
        assert!(kid_is_did_key_of(&format!("{did}#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"), did));
        assert!(kid_is_did_key_of("#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", did));
        assert!(!kid_is_did_key_of(&format!("{did}#key-1"), did));
        assert!(!kid_is_did_key_of("did:key:z6Mkother#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", did));
        assert!(kid_is_did_key_of(did, did));
        assert!(!kid_is_did_key_of("did:key:z6Mkother", did));
        assert!(method_of(&format!("{did}#key-1"), did));
        assert!(!method_of(&format!("{did}#"), did));
        assert!(!method_of(&format!("{did}#key-2"), did));
        assert!(method_of(&format!("{did}#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"), did));
        assert!(!method_of("did:key:z6Mkother#key-1", did));
    }
}
