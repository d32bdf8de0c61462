//! Issuance: credentials as VC-JWT (VC Data Model 1.1 section 6.3.1) or in anon-identity's shape
//! (anon-identity@1.0.14 `IdentityProvider.signCredential`), and presentations as VP-JWT or in
//! anon-identity's shape (`UserWallet.signPresentation`); both also secured with a Data Integrity
//! proof ([`super::data_integrity::issue`]).
//!
//! The anon-identity outputs match what anon-identity writes, key for key and in the same order,
//! so that its own `ServiceProvider` verifies them: the JWS header is `{alg, typ: "JWT", kid}`
//! with `kid` and `verificationMethod` `did#key-1` (anon-identity's name for the key), and the
//! payload is the body plus `iat`, `iss` (and `sub` for credentials).

use super::checks::issuer_id;
use super::data_integrity::issue::{self as di, Cryptosuite};
use super::data_integrity::{ASSERTION_METHOD, AUTHENTICATION};
use crate::encoding::hex_encode;
use crate::error::{Error, ErrorCode, Result};
use crate::jws;
use crate::keys::{Algorithm, Signer};
use crate::time::{format_rfc3339, parse_rfc3339};
use serde_json::{Map, Value};

/// The VC Data Model 1.1 context (anon-identity's default) and the 2.0 context.
pub use super::checks::{VC_V1_CONTEXT, VC_V2_CONTEXT};

/// How to secure an issued credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssueFormat {
    /// A compact JWT with a `vc` claim (returned as a JSON string).
    VcJwt,
    /// anon-identity's JSON credential with an embedded `proof.jws` (returned as an object).
    AnonIdentity,
    /// A JSON credential with an embedded Data Integrity proof of the cryptosuite (returned as an
    /// object; `@context` defaults to VC 2.0).
    DataIntegrity(Cryptosuite),
}

/// How to secure a presentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PresentationFormat {
    /// A compact JWT with a `vp` claim (returned as a JSON string).
    VpJwt,
    /// anon-identity's JSON presentation with an embedded `proof.jws` (returned as an object).
    AnonIdentity,
    /// A VC 2.0 JSON presentation with the holder's Data Integrity proof (`authentication`, the
    /// nonce as `challenge`, the audience as `domain`), returned as an object.
    DataIntegrity(Cryptosuite),
}

/// A `urn:uuid:` of a random (version 4) UUID.
///
/// # Errors
/// `INTERNAL_ERROR` when the platform has no random source.
pub fn random_urn_uuid() -> Result<String> {
    let mut b = [0u8; 16];
    crate::random::system_random(&mut b)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex_encode(&b);
    let part = |r: core::ops::Range<usize>| h.get(r).unwrap_or_default().to_owned();
    Ok(format!("urn:uuid:{}-{}-{}-{}-{}", part(0..8), part(8..12), part(12..16), part(16..20), part(20..32)))
}

fn header(alg: Algorithm, kid: String) -> Map<String, Value> {
    let mut h = Map::new();
    h.insert("alg".into(), alg.as_str().into());
    h.insert("typ".into(), "JWT".into());
    h.insert("kid".into(), kid.into());
    h
}

fn payload_bytes(payload: &Map<String, Value>) -> Result<Vec<u8>> {
    serde_json::to_vec(payload).map_err(|e| Error::new(ErrorCode::InternalError, format!("cannot serialize: {e}")))
}

/// The algorithm of an anon-identity proof: EdDSA (`Ed25519Signature2020`) only.
fn anon_alg(key: &dyn Signer) -> Result<Algorithm> {
    match key.algorithm() {
        Algorithm::EdDsa => Ok(Algorithm::EdDsa),
        other => Err(Error::new(
            ErrorCode::UnsupportedAlgorithm,
            format!("anon-identity's format signs with Ed25519 (Ed25519Signature2020), not {other}: use 'vc-jwt' / 'vp-jwt'"),
        )
        .at("format")),
    }
}

/// anon-identity's `proof` object.
fn anon_proof(purpose: &str, method: String, jws: String, now_seconds: i64) -> Value {
    let mut p = Map::new();
    p.insert("type".into(), "Ed25519Signature2020".into());
    p.insert("created".into(), format_rfc3339(now_seconds).into());
    p.insert("proofPurpose".into(), purpose.into());
    p.insert("verificationMethod".into(), method.into());
    p.insert("jws".into(), jws.into());
    Value::Object(p)
}

/// The credential with `@context`, `id`, `type`, `issuer` and its issuance date filled where
/// absent (in anon-identity's key order), and its expiry set from `expires_in`.
fn complete(credential: &Value, did: &str, expires_in: Option<u64>, now_seconds: i64) -> Result<Map<String, Value>> {
    let Value::Object(given) = credential else {
        return Err(Error::malformed("a credential is a JSON object").at("credential"));
    };
    if given.contains_key("proof") {
        return Err(Error::malformed("the credential already has a proof").at("credential.proof"));
    }
    match given.get("credentialSubject") {
        Some(Value::Object(_)) | Some(Value::Array(_)) => {}
        _ => return Err(Error::malformed("'credentialSubject' must be an object").at("credential.credentialSubject")),
    }
    if let Some(i) = given.get("issuer") {
        let i = issuer_id(i).map_err(|e| e.at("credential.issuer"))?;
        if i != did {
            return Err(Error::new(ErrorCode::InvalidDid, "the credential's issuer is not the signing key's DID").at("credential.issuer"));
        }
    }
    let context = given.get("@context").cloned().unwrap_or_else(|| Value::Array(vec![VC_V1_CONTEXT.into()]));
    let v2 = match &context {
        Value::Array(items) => items.iter().any(|c| c.as_str() == Some(VC_V2_CONTEXT)),
        Value::String(s) => s == VC_V2_CONTEXT,
        _ => false,
    };
    let (from, until) = if v2 { ("validFrom", "validUntil") } else { ("issuanceDate", "expirationDate") };
    let mut out = Map::new();
    out.insert("@context".into(), context);
    out.insert(
        "id".into(),
        match given.get("id") {
            Some(v) => v.clone(),
            None => random_urn_uuid()?.into(),
        },
    );
    out.insert("type".into(), given.get("type").cloned().unwrap_or_else(|| Value::Array(vec!["VerifiableCredential".into()])));
    out.insert("issuer".into(), given.get("issuer").cloned().unwrap_or_else(|| did.into()));
    out.insert(from.into(), given.get(from).cloned().unwrap_or_else(|| format_rfc3339(now_seconds).into()));
    for (k, v) in given {
        if !out.contains_key(k) {
            out.insert(k.clone(), v.clone());
        }
    }
    if let Some(secs) = expires_in {
        let at = now_seconds.saturating_add(i64::try_from(secs).unwrap_or(i64::MAX));
        out.insert(until.into(), format_rfc3339(at).into());
    }
    Ok(out)
}

fn date_of(body: &Map<String, Value>, names: [&str; 2]) -> Option<i64> {
    names.iter().find_map(|n| body.get(*n).and_then(Value::as_str).and_then(|s| parse_rfc3339(s).ok()))
}

/// Issues a credential signed by `issuer`.
///
/// `credential` is a W3C credential without proof; `issuer`, `issuanceDate` (or `validFrom` with
/// the VC 2.0 context), `id`, `@context` and `type` are filled when absent and kept when given.
/// `expires_in` (seconds) sets `expirationDate` (or `validUntil`). Returns a JSON string (the
/// compact JWT, signed with the key's algorithm: EdDSA, ES256 or ES384) for
/// [`IssueFormat::VcJwt`] and a JSON object for [`IssueFormat::AnonIdentity`] and
/// [`IssueFormat::DataIntegrity`] (whose `@context` defaults to VC 2.0; the Data Integrity
/// context is added to a VC 1.1 one).
///
/// # Errors
/// `MALFORMED_INPUT` for a credential that is not an object, already has a proof, or has no
/// subject object; `INVALID_DID` when its `issuer` is not the key's DID;
/// `UNSUPPORTED_ALGORITHM` for anon-identity's format with a key that is not Ed25519 (its proof
/// type is `Ed25519Signature2020`).
pub fn issue_credential(
    credential: &Value,
    issuer: &dyn Signer,
    format: IssueFormat,
    expires_in: Option<u64>,
    now_seconds: i64,
) -> Result<Value> {
    let did = issuer.did();
    let body = match format {
        IssueFormat::DataIntegrity(_) => complete(&di::with_default_context(credential), &did, expires_in, now_seconds)?,
        _ => complete(credential, &did, expires_in, now_seconds)?,
    };
    let subject_id = match body.get("credentialSubject") {
        Some(Value::Object(s)) => s.get("id").cloned(),
        Some(Value::Array(items)) => items.first().and_then(|s| s.get("id")).cloned(),
        _ => None,
    };
    match format {
        IssueFormat::AnonIdentity => {
            let mut payload = body.clone();
            payload.insert("iat".into(), now_seconds.into());
            payload.insert("iss".into(), did.clone().into());
            if let Some(sub) = subject_id {
                payload.insert("sub".into(), sub);
            }
            let method = format!("{did}#key-1");
            let jws = jws::sign(&header(anon_alg(issuer)?, method.clone()), &payload_bytes(&payload)?, issuer);
            let mut out = body;
            out.insert("proof".into(), anon_proof("assertionMethod", method, jws, now_seconds));
            Ok(Value::Object(out))
        }
        IssueFormat::VcJwt => {
            let mut payload = Map::new();
            let nbf = date_of(&body, ["issuanceDate", "validFrom"]).unwrap_or(now_seconds);
            let exp = date_of(&body, ["expirationDate", "validUntil"]);
            let jti = body.get("id").cloned();
            payload.insert("vc".into(), Value::Object(body));
            payload.insert("iss".into(), did.into());
            if let Some(sub) = subject_id {
                payload.insert("sub".into(), sub);
            }
            payload.insert("nbf".into(), nbf.into());
            if let Some(exp) = exp {
                payload.insert("exp".into(), exp.into());
            }
            if let Some(jti) = jti {
                payload.insert("jti".into(), jti);
            }
            payload.insert("iat".into(), now_seconds.into());
            Ok(Value::String(jws::sign(&header(issuer.algorithm(), issuer.kid()), &payload_bytes(&payload)?, issuer)))
        }
        IssueFormat::DataIntegrity(suite) => {
            let options = di::ProofOptions { purpose: ASSERTION_METHOD, created: now_seconds, challenge: None, domain: None };
            Ok(Value::Object(di::add_proof(body, issuer, suite, &options)?))
        }
    }
}

/// Creates a presentation of `credentials` (anon-identity objects or VC-JWT strings) signed by
/// `holder`, binding `nonce` and `audience` as signed claims when given.
///
/// Returns a JSON string (the compact JWT) for [`PresentationFormat::VpJwt`] and a JSON object
/// for [`PresentationFormat::AnonIdentity`] and [`PresentationFormat::DataIntegrity`] (a VC 2.0
/// presentation naming its `holder`; the nonce is the proof's `challenge`, the audience its
/// `domain`).
///
/// # Errors
/// `MALFORMED_INPUT` when a credential is neither an object nor a string;
/// `UNSUPPORTED_ALGORITHM` for anon-identity's format with a key that is not Ed25519.
pub fn create_presentation(
    credentials: &[Value],
    holder: &dyn Signer,
    nonce: Option<&str>,
    audience: Option<&str>,
    format: PresentationFormat,
    now_seconds: i64,
) -> Result<Value> {
    for (i, c) in credentials.iter().enumerate() {
        if !(c.is_object() || c.is_string()) {
            return Err(Error::malformed("a credential is an object or a JWT string").at(format!("credentials[{i}]")));
        }
    }
    let did = holder.did();
    let mut body = Map::new();
    let context = if matches!(format, PresentationFormat::DataIntegrity(_)) { VC_V2_CONTEXT } else { VC_V1_CONTEXT };
    body.insert("@context".into(), Value::Array(vec![context.into()]));
    body.insert("type".into(), Value::Array(vec!["VerifiablePresentation".into()]));
    body.insert("verifiableCredential".into(), Value::Array(credentials.to_vec()));
    let binding = |payload: &mut Map<String, Value>| {
        if let Some(n) = nonce {
            payload.insert("nonce".into(), n.into());
        }
        if let Some(a) = audience {
            payload.insert("aud".into(), a.into());
        }
    };
    match format {
        PresentationFormat::AnonIdentity => {
            let mut payload = body.clone();
            binding(&mut payload);
            payload.insert("iat".into(), now_seconds.into());
            payload.insert("iss".into(), did.clone().into());
            let method = format!("{did}#key-1");
            let jws = jws::sign(&header(anon_alg(holder)?, method.clone()), &payload_bytes(&payload)?, holder);
            body.insert("proof".into(), anon_proof("authentication", method, jws, now_seconds));
            Ok(Value::Object(body))
        }
        PresentationFormat::VpJwt => {
            let mut payload = Map::new();
            payload.insert("vp".into(), Value::Object(body));
            payload.insert("iss".into(), did.into());
            binding(&mut payload);
            payload.insert("nbf".into(), now_seconds.into());
            payload.insert("iat".into(), now_seconds.into());
            Ok(Value::String(jws::sign(&header(holder.algorithm(), holder.kid()), &payload_bytes(&payload)?, holder)))
        }
        PresentationFormat::DataIntegrity(suite) => {
            body.insert("holder".into(), did.into());
            let options = di::ProofOptions { purpose: AUTHENTICATION, created: now_seconds, challenge: nonce, domain: audience };
            Ok(Value::Object(di::add_proof(body, holder, suite, &options)?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{KeyPair, SigningKey};

    #[test]
    fn ecdsa_keys_issue_vc_jwts_but_not_anon_identity_proofs() {
        let key = SigningKey::generate(Algorithm::Es256).unwrap();
        let body = serde_json::json!({"credentialSubject": {"id": "did:example:1"}});
        let jwt = issue_credential(&body, &key, IssueFormat::VcJwt, None, 1_700_000_000).unwrap();
        let parsed = jws::Jws::parse(jwt.as_str().unwrap()).unwrap();
        assert_eq!((parsed.alg, parsed.header_str("kid").map(str::to_owned)), (Algorithm::Es256, Some(key.kid())));
        assert!(parsed.verify(&key.verifying_key()));
        assert_eq!(parsed.payload_object().unwrap()["iss"], key.did());
        let e = issue_credential(&body, &key, IssueFormat::AnonIdentity, None, 0).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnsupportedAlgorithm);
        let e = create_presentation(&[], &key, None, None, PresentationFormat::AnonIdentity, 0).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnsupportedAlgorithm);
        assert!(create_presentation(&[jwt], &key, Some("n"), None, PresentationFormat::VpJwt, 0).is_ok());
    }

    #[test]
    fn uuids_are_version_4() {
        let u = random_urn_uuid().unwrap();
        assert_eq!(u.len(), "urn:uuid:".len() + 36);
        assert_eq!(u.as_bytes()[9 + 14], b'4');
        assert!(matches!(u.as_bytes()[9 + 19], b'8' | b'9' | b'a' | b'b'));
        assert_ne!(u, random_urn_uuid().unwrap());
    }

    #[test]
    fn fills_and_keeps() {
        let kp = KeyPair::from_seed(&[7; 32]);
        let given = serde_json::json!({"credentialSubject": {"id": "did:example:1", "a": 1}, "id": "urn:x"});
        let out = issue_credential(&given, &kp, IssueFormat::AnonIdentity, Some(60), 1_700_000_000).unwrap();
        let keys: Vec<&str> = out.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["@context", "id", "type", "issuer", "issuanceDate", "credentialSubject", "expirationDate", "proof"]);
        assert_eq!(out["id"], "urn:x");
        assert_eq!(out["issuer"], kp.did());
        assert_eq!(out["issuanceDate"], "2023-11-14T22:13:20.000Z");
        assert_eq!(out["expirationDate"], "2023-11-14T22:14:20.000Z");
        let other = serde_json::json!({"credentialSubject": {}, "issuer": "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"});
        assert_eq!(issue_credential(&other, &kp, IssueFormat::VcJwt, None, 0).unwrap_err().code, ErrorCode::InvalidDid);
        assert_eq!(issue_credential(&Value::Null, &kp, IssueFormat::VcJwt, None, 0).unwrap_err().code, ErrorCode::MalformedInput);
        let v2 = serde_json::json!({"@context": [VC_V2_CONTEXT], "credentialSubject": {}});
        let out = issue_credential(&v2, &kp, IssueFormat::AnonIdentity, Some(1), 0).unwrap();
        assert_eq!(out["validFrom"], "1970-01-01T00:00:00.000Z");
        assert_eq!(out["validUntil"], "1970-01-01T00:00:01.000Z");
    }
}
