//! Issuer key resolution: which key must have signed a JWS of an issuer, in this order of trust
//! decisions.
//!
//! 1. **did:key and did:jwk** (in-band, offline): the DID is the key. A `kid` must name its one
//!    key (did:key: `did#<fingerprint>`, `#<fingerprint>` or the bare DID; did:jwk: `did#0`,
//!    `#0` or the bare DID), else `INVALID_DID`. `issuerKeys` entries for such issuers are not
//!    consulted: nothing can stand in for the key the DID states.
//! 2. **`issuerKeys`** (the caller's trust, offline): keys the caller trusts for an issuer id (a
//!    DID, an https URL, any string compared exactly), each a public JWK. For a DID issuer, a
//!    `kid` that is a DID URL must be of the issuer's DID (`INVALID_DID`). With a `kid` in the
//!    JWS, the keys whose JWK `kid` matches it (equal, or the same DID URL written `iss#f` and
//!    `#f`) are the candidates, else the keys that have no `kid`. Without a `kid`, every key of
//!    the issuer is. One candidate is the key; of several, the one that fits the JWS's `alg`
//!    when exactly one does. No candidate, or several that fit, is `KEY_UNAVAILABLE`: no key
//!    is ever tried on a guess.
//! 3. **`x5c`** (the JWS header's certificate chain, offline), when the caller passed
//!    `trustAnchors` and neither rule above applies: the chain must validate to one of the
//!    anchors at the verification time and its leaf must name the issuer (`iss` equal to a URI
//!    subjectAltName, or an https `iss` whose host is a DNS subjectAltName), else
//!    `UNTRUSTED_CERTIFICATE`, `CERTIFICATE_EXPIRED` or `CERTIFICATE_NOT_YET_VALID`; a `kid` is
//!    then not consulted ([`super::x509`], through [`KeySource::certified_key`]). A chain that
//!    fails is never passed over for a later source: the JWS named its key, and it is not that
//!    of a trusted chain. Without `trustAnchors` an `x5c` is an unverified header and ignored.
//!    The caller's keys come first because they are the caller's own statement about this
//!    issuer; an x5c chain is the issuer's statement, vouched for by an anchor.
//! 4. **Documents from the network**, for an issuer no rule above decides, on the async paths
//!    only: the did:web DID document, the JWT VC Issuer Metadata and its JWK Set, or the DID
//!    document of a caller's resolver, fetched by the host through the needs loop and handed to
//!    the verifier (never through call options; see `crate::verifier` and the README).
//! 5. Anything else is `KEY_UNAVAILABLE`, naming what would provide the key ([`KeyNeed`]):
//!    a did:web document, an https issuer's JWT VC Issuer Metadata, a DID resolver, or
//!    `issuerKeys`.
//!
//! The batch engine resolves every issuer and holder key through [`KeySource`], so that a cache
//! can stand in for decoding without touching the formats.

use super::alg::Algorithm;
use super::did::kid_is_did_jwk_of;
use super::verifying::VerifyingKey;
use crate::error::{Error, ErrorCode, Result};
use crate::limits::{MAX_ISSUER_KEYS, MAX_KEYS_PER_ISSUER};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Resolves the key of an issuer.
pub trait KeySource {
    /// The key that must have signed a JWS of `issuer` naming `kid` (its header's, if any), with
    /// `alg` (its header's).
    ///
    /// # Errors
    /// `INVALID_DID` for a malformed did:key or did:jwk, or a `kid` that is not the DID's key
    /// (the error's path is then `kid`); `KEY_UNAVAILABLE` when no key can be had (path `kid`
    /// when it is the `kid` that matched none).
    fn issuer_key(&mut self, issuer: &str, kid: Option<&str>, alg: Algorithm) -> Result<VerifyingKey>;

    /// The key a JWS's `x5c` header certifies for `issuer` at `now` (seconds), when `x5c` is
    /// this source's key source for `issuer` (rule 3 of the module docs); `None` when it is not
    /// (no trust anchors: the default), and [`KeySource::issuer_key`] decides.
    ///
    /// # Errors
    /// As [`super::x509::certified_key`].
    fn certified_key(&mut self, issuer: &str, x5c: &Value, now: i64) -> Option<Result<std::sync::Arc<super::x509::CertifiedKey>>> {
        let _ = (issuer, x5c, now);
        None
    }

    /// [`KeySource::issuer_key`] for a key of `purpose`: a DID document must reference it from
    /// that verification relationship. Sources without documents ignore the purpose.
    ///
    /// # Errors
    /// As [`KeySource::issuer_key`].
    fn key_for_purpose(&mut self, issuer: &str, kid: Option<&str>, alg: Algorithm, purpose: Purpose) -> Result<VerifyingKey> {
        let _ = purpose;
        self.issuer_key(issuer, kid, alg)
    }
}

/// What a key is for: the verification relationship a DID document must reference it from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Signing credentials (`assertionMethod`).
    Assertion,
    /// A holder signing a presentation (`authentication`).
    Authentication,
}

impl Purpose {
    /// The DID Core verification relationship of the purpose.
    pub fn relationship(self) -> &'static str {
        match self {
            Purpose::Assertion => "assertionMethod",
            Purpose::Authentication => "authentication",
        }
    }
}


/// Resolves did:key and did:jwk issuers by decoding them; every other issuer is
/// `KEY_UNAVAILABLE` (or `INVALID_DID` for a malformed did:key or did:jwk).
#[derive(Clone, Copy, Debug, Default)]
pub struct DidKeySource;

impl KeySource for DidKeySource {
    fn issuer_key(&mut self, issuer: &str, kid: Option<&str>, alg: Algorithm) -> Result<VerifyingKey> {
        resolve_issuer_key(issuer, kid, alg, &mut VerifyingKey::from_did, None)
    }
}

/// Whether a JOSE `kid` names the did:key's own key: `did#fingerprint`, `#fingerprint`, or the
/// bare DID.
///
/// Policy: a did:key document has exactly one verification method, `did#<fingerprint>`; any
/// other fragment does not resolve, so a `kid` naming it cannot belong to the issuer. A bare
/// did:key (no fragment), as several issuers write it, resolves to that one key.
pub fn kid_is_did_key_of(kid: &str, did: &str) -> bool {
    let Some(fingerprint) = did.strip_prefix("did:key:") else { return false };
    match kid.split_once('#') {
        Some((d, f)) => (d.is_empty() || d == did) && f == fingerprint,
        None => kid == did,
    }
}

/// What would provide a key that cannot be had offline (the message of `KEY_UNAVAILABLE`, and
/// what a host with network access would fetch).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyNeed {
    /// The DID document of a did:web.
    DidWebDocument {
        /// The DID.
        did: String,
    },
    /// A DID of another method, for a DID resolver.
    DidDocument {
        /// The DID.
        did: String,
    },
    /// The JWT VC Issuer Metadata of an https issuer (`/.well-known/jwt-vc-issuer`) and its JWKS.
    IssuerMetadata {
        /// The issuer URL.
        issuer: String,
    },
    /// Nothing names the key: only `issuerKeys` can.
    IssuerKeys {
        /// The issuer id.
        issuer: String,
    },
}

impl KeyNeed {
    /// What `issuer`'s key would come from.
    pub fn of(issuer: &str) -> KeyNeed {
        if issuer.starts_with("did:web:") {
            KeyNeed::DidWebDocument { did: issuer.to_owned() }
        } else if issuer.starts_with("did:") {
            KeyNeed::DidDocument { did: issuer.to_owned() }
        } else if issuer.starts_with("https://") {
            KeyNeed::IssuerMetadata { issuer: issuer.to_owned() }
        } else {
            KeyNeed::IssuerKeys { issuer: issuer.to_owned() }
        }
    }

    /// The `KEY_UNAVAILABLE` error for this need.
    pub fn error(&self, kid: Option<&str>) -> Error {
        let shown = |s: &str| s.chars().take(200).collect::<String>();
        let kid = kid.map(|k| format!(" (kid '{}')", shown(k))).unwrap_or_default();
        let message = match self {
            KeyNeed::DidWebDocument { did } => format!(
                "the key of {}{kid} cannot be had offline: it is in its did:web document (fetched only on async paths), or give it in issuerKeys",
                shown(did)
            ),
            KeyNeed::DidDocument { did } => format!(
                "the key of {}{kid} cannot be had offline: its DID document needs a didResolver (async paths), or give it in issuerKeys",
                shown(did)
            ),
            KeyNeed::IssuerMetadata { issuer } => format!(
                "the key of {}{kid} cannot be had offline: it is in the issuer's JWT VC Issuer Metadata (/.well-known/jwt-vc-issuer, fetched only on async paths), or give it in issuerKeys",
                shown(issuer)
            ),
            KeyNeed::IssuerKeys { issuer } => format!("no key for issuer '{}'{kid}: give it in issuerKeys", shown(issuer)),
        };
        Error::new(ErrorCode::KeyUnavailable, message)
    }
}

/// One key the caller trusts for an issuer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuerKey {
    /// The JWK's `kid`, if it has one.
    pub kid: Option<String>,
    /// The key (restricted to the JWK's `alg`, if it has one).
    pub key: VerifyingKey,
}

/// The `issuerKeys` option, parsed: keys by issuer id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IssuerKeys {
    by_issuer: HashMap<String, Vec<IssuerKey>>,
}

impl IssuerKeys {
    /// Parses `{ [issuer]: JWK | { keys: JWK[] } }` (a JWK Set, RFC 7517 section 5).
    ///
    /// Policy: a caller's key that does not parse fails the call (it is a mistake to report, not
    /// a key to skip silently), with the path of the key.
    ///
    /// # Errors
    /// The key's own code (`INVALID_KEY`, `UNSUPPORTED_ALGORITHM`) or `MALFORMED_INPUT` for a
    /// value that is neither a JWK nor a JWK Set, at `issuerKeys["<issuer>"]` (and `.keys[i]`);
    /// `INPUT_TOO_LARGE` past [`MAX_KEYS_PER_ISSUER`] or [`MAX_ISSUER_KEYS`].
    pub fn parse(map: &BTreeMap<String, Value>) -> Result<IssuerKeys> {
        let mut by_issuer = HashMap::with_capacity(map.len());
        let mut total = 0usize;
        for (issuer, value) in map {
            let path = format!("issuerKeys[{}]", Value::String(issuer.clone()));
            let jwks: Vec<&Value> = match value.get("keys") {
                Some(Value::Array(keys)) if value.get("kty").is_none() => keys.iter().collect(),
                Some(_) if value.get("kty").is_none() => {
                    return Err(Error::malformed("a JWK Set's 'keys' must be an array").at(format!("{path}.keys")));
                }
                _ if value.is_object() => vec![value],
                _ => return Err(Error::malformed("an issuer's keys are a JWK or a JWK Set ({ keys: [...] })").at(path)),
            };
            if jwks.len() > MAX_KEYS_PER_ISSUER {
                return Err(Error::new(ErrorCode::InputTooLarge, format!("more than {MAX_KEYS_PER_ISSUER} keys for one issuer")).at(path));
            }
            total += jwks.len();
            if total > MAX_ISSUER_KEYS {
                return Err(Error::new(ErrorCode::InputTooLarge, format!("more than {MAX_ISSUER_KEYS} issuer keys")).at("issuerKeys"));
            }
            let set = value.get("kty").is_none();
            let mut keys = Vec::with_capacity(jwks.len());
            for (i, jwk) in jwks.into_iter().enumerate() {
                let at = if set { format!("{path}.keys[{i}]") } else { path.clone() };
                let key = VerifyingKey::from_jwk(jwk).map_err(|e| e.at(at.clone()))?;
                let kid = match jwk.get("kid") {
                    None => None,
                    Some(Value::String(k)) => Some(k.clone()),
                    Some(_) => return Err(Error::new(ErrorCode::InvalidKey, "a JWK's 'kid' must be a string").at(at)),
                };
                keys.push(IssuerKey { kid, key });
            }
            by_issuer.insert(issuer.clone(), keys);
        }
        Ok(IssuerKeys { by_issuer })
    }

    /// The keys given for `issuer`.
    pub fn get(&self, issuer: &str) -> Option<&[IssuerKey]> {
        self.by_issuer.get(issuer).map(Vec::as_slice)
    }

    /// Whether no keys were given.
    #[cfg(any(test, feature = "internals"))]
    pub fn is_empty(&self) -> bool {
        self.by_issuer.is_empty()
    }
}

/// Decodes did:key and did:jwk issuers and chooses among these keys for the rest.
impl KeySource for IssuerKeys {
    fn issuer_key(&mut self, issuer: &str, kid: Option<&str>, alg: Algorithm) -> Result<VerifyingKey> {
        resolve_issuer_key(issuer, kid, alg, &mut VerifyingKey::from_did, Some(self))
    }
}

/// Whether a JWS `kid` names a JWK's `kid`, for `issuer`: equal, or the same DID URL (`iss#f`
/// and `#f`).
fn kid_matches(header: &str, jwk: &str, issuer: &str) -> bool {
    let relative = |k: &'_ str| -> String {
        match k.strip_prefix(issuer) {
            Some(rest) if rest.starts_with('#') => rest.to_owned(),
            _ => k.to_owned(),
        }
    };
    header == jwk || relative(header) == relative(jwk)
}

/// Chooses the key of `issuer` among `keys` (rule 2 of the module docs); `what` names them in
/// messages (`issuerKeys`, or the document they came from).
pub(super) fn select(keys: &[IssuerKey], issuer: &str, kid: Option<&str>, alg: Algorithm, what: &str) -> Result<VerifyingKey> {
    let candidates: Vec<&IssuerKey> = match kid {
        Some(k) => {
            let named: Vec<&IssuerKey> = keys.iter().filter(|e| e.kid.as_deref().is_some_and(|j| kid_matches(k, j, issuer))).collect();
            if named.is_empty() {
                keys.iter().filter(|e| e.kid.is_none()).collect()
            } else {
                named
            }
        }
        None => keys.iter().collect(),
    };
    let shown = |s: &str| s.chars().take(200).collect::<String>();
    match candidates.as_slice() {
        [] => Err(Error::new(
            ErrorCode::KeyUnavailable,
            format!("none of the {} {what} of {} has kid '{}'", keys.len(), shown(issuer), shown(kid.unwrap_or_default())),
        )
        .at("kid")),
        [one] => Ok(one.key.clone()),
        several => {
            let fitting: Vec<&&IssuerKey> = several.iter().filter(|e| e.key.refuses(alg).is_none()).collect();
            match fitting.as_slice() {
                [one] => Ok(one.key.clone()),
                _ => Err(Error::new(
                    ErrorCode::KeyUnavailable,
                    format!(
                        "{} {what} of {} could have signed this {alg} JWS and its kid does not single one out: none is tried",
                        fitting.len(),
                        shown(issuer)
                    ),
                )
                .at("kid")),
            }
        }
    }
}

/// The key of `issuer` for a JWS naming `kid` with `alg`, under the rules of the module docs;
/// `decode` decodes did:key and did:jwk DIDs (a cache can stand in for
/// [`VerifyingKey::from_did`]).
///
/// # Errors
/// As [`KeySource::issuer_key`].
pub fn resolve_issuer_key(
    issuer: &str,
    kid: Option<&str>,
    alg: Algorithm,
    decode: &mut dyn FnMut(&str) -> Result<VerifyingKey>,
    issuer_keys: Option<&IssuerKeys>,
) -> Result<VerifyingKey> {
    let not_its_key = |kid: &str| {
        let shown: String = kid.chars().take(200).collect();
        Error::new(ErrorCode::InvalidDid, format!("kid '{shown}' does not belong to the issuer {issuer}")).at("kid")
    };
    if issuer.starts_with("did:key:") {
        let key = decode(issuer)?;
        return match kid {
            Some(k) if !kid_is_did_key_of(k, issuer) => Err(not_its_key(k)),
            _ => Ok(key),
        };
    }
    if issuer.starts_with("did:jwk:") {
        let key = decode(issuer)?;
        return match kid {
            Some(k) if !kid_is_did_jwk_of(k, issuer) => Err(not_its_key(k)),
            _ => Ok(key),
        };
    }
    // Policy: a kid that is a DID URL names a key of that DID, so for a DID issuer it must be
    // the issuer's (`iss`, `iss#f`); `#f` is relative to the issuer, and other strings are opaque
    // names matched against the keys' own `kid`s.
    if let Some(k) = kid.filter(|k| issuer.starts_with("did:") && k.starts_with("did:")) {
        if k.split('#').next() != Some(issuer) {
            return Err(not_its_key(k));
        }
    }
    match issuer_keys.and_then(|keys| keys.get(issuer)) {
        Some(keys) => select(keys, issuer, kid, alg, "issuerKeys"),
        None => Err(KeyNeed::of(issuer).error(kid)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::KeyPair;
    use serde_json::json;

    #[test]
    fn resolves_did_key_and_refuses_the_rest() {
        let did = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp";
        let key = DidKeySource.issuer_key(did, None, Algorithm::EdDsa).unwrap();
        assert_eq!(key.did(), did);
        let e = DidKeySource.issuer_key("did:web:example.com", None, Algorithm::Es256).unwrap_err();
        assert_eq!(e.code, ErrorCode::KeyUnavailable);
        assert!(e.message.contains("did:web document"), "{}", e.message);
        let e = DidKeySource.issuer_key("https://issuer.example", Some("k1"), Algorithm::Es256).unwrap_err();
        assert!(e.message.contains("jwt-vc-issuer") && e.message.contains("k1"), "{}", e.message);
        let e = DidKeySource.issuer_key(did, Some(&format!("{did}#key-1")), Algorithm::EdDsa).unwrap_err();
        assert_eq!((e.code, e.path.as_deref()), (ErrorCode::InvalidDid, Some("kid")));
        assert_eq!(DidKeySource.issuer_key("did:key:z6Mk", None, Algorithm::EdDsa).unwrap_err().code, ErrorCode::InvalidDid);
    }

    fn jwk(seed: u8, kid: Option<&str>) -> Value {
        let mut j = Value::Object(VerifyingKey::from(KeyPair::from_seed(&[seed; 32]).public_key().clone()).to_jwk());
        if let Some(k) = kid {
            j["kid"] = json!(k);
        }
        j
    }

    #[test]
    fn issuer_keys_are_chosen_by_kid_and_never_guessed() {
        let iss = "did:web:issuer.example";
        let map: BTreeMap<String, Value> = [
            (iss.to_owned(), json!({ "keys": [jwk(1, Some("k1")), jwk(2, Some(&format!("{iss}#k2")))] })),
            ("https://one.example".to_owned(), jwk(3, None)),
        ]
        .into_iter()
        .collect();
        let keys = IssuerKeys::parse(&map).unwrap();
        let key_of = |seed: u8| VerifyingKey::from(KeyPair::from_seed(&[seed; 32]).public_key().clone());
        let pick =
            |issuer: &str, kid: Option<&str>| resolve_issuer_key(issuer, kid, Algorithm::EdDsa, &mut VerifyingKey::from_did, Some(&keys));
        assert_eq!(pick(iss, Some("k1")), Ok(key_of(1)));
        assert_eq!(pick(iss, Some("#k2")), Ok(key_of(2)));
        assert_eq!(pick(iss, Some(&format!("{iss}#k2"))), Ok(key_of(2)));
        assert_eq!(pick(iss, Some("k3")).map_err(|e| (e.code, e.path)), Err((ErrorCode::KeyUnavailable, Some("kid".into()))));
        // Two keys fit EdDSA and no kid says which: none is tried.
        assert_eq!(pick(iss, None).map_err(|e| e.code), Err(ErrorCode::KeyUnavailable));
        // One key without a kid is the issuer's key whatever the JWS's kid.
        assert_eq!(pick("https://one.example", None), Ok(key_of(3)));
        assert_eq!(pick("https://one.example", Some("any")), Ok(key_of(3)));
        assert_eq!(pick("https://other.example", None).map_err(|e| e.code), Err(ErrorCode::KeyUnavailable));
        // A DID URL kid of another DID does not name a key of this issuer.
        assert_eq!(
            pick(iss, Some("did:web:other.example#k1")).map_err(|e| (e.code, e.path)),
            Err((ErrorCode::InvalidDid, Some("kid".into())))
        );
        // A did:key issuer's key is its DID's, whatever issuerKeys say.
        let did = KeyPair::from_seed(&[5; 32]).did();
        let mut with_did = map.clone();
        with_did.insert(did.clone(), jwk(1, None));
        let keys = IssuerKeys::parse(&with_did).unwrap();
        assert_eq!(resolve_issuer_key(&did, None, Algorithm::EdDsa, &mut VerifyingKey::from_did, Some(&keys)), Ok(key_of(5)));
    }

    #[test]
    fn issuer_keys_that_do_not_parse_fail_with_their_path() {
        let map: BTreeMap<String, Value> = [("x".to_owned(), json!({ "keys": [jwk(1, None), {"kty": "oct", "k": "AAAA"}] }))].into();
        let e = IssuerKeys::parse(&map).unwrap_err();
        assert_eq!((e.code, e.path.as_deref()), (ErrorCode::UnsupportedAlgorithm, Some(r#"issuerKeys["x"].keys[1]"#)));
        let map: BTreeMap<String, Value> = [("x".to_owned(), json!("not a key"))].into();
        assert_eq!(IssuerKeys::parse(&map).unwrap_err().code, ErrorCode::MalformedInput);
        let map: BTreeMap<String, Value> = [("x".to_owned(), json!({"keys": [jwk(1, None)], "extra": 1}))].into();
        assert!(IssuerKeys::parse(&map).is_ok());
    }
}
