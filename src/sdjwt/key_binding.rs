//! Key Binding JWTs (RFC 9901 section 4.3): creation by the holder and checks by the verifier.
//!
//! Policy: `typ` must be `kb+jwt` (compared as RFC 7515 says); `iat` (integer), `aud` (one string), `nonce` (string) and
//! `sd_hash` are required; `iat` must lie within `clockSkewSeconds` of the verification time, in
//! either direction; `sd_hash` covers `<issuer-jwt>~<d1>~...~<dN>~` exactly as presented,
//! hashed with the payload's `_sd_alg`. The signature must be by the `cnf.jwk` key (of any
//! supported type, its `alg` fitting the key and the caller's `algorithms`) and is checked in the
//! batch (code `KEY_BINDING_INVALID`).

use super::disclosure::digest_b64;
use crate::credential::checks::{Acc, Ctx};
use crate::error::{Error, ErrorCode, Result};
use crate::hash::HashAlg;
use crate::jws::Jws;
use crate::keys::{Signer, VerifyingKey};
use serde_json::{Map, Value};

/// The `typ` of a Key Binding JWT.
pub const KB_JWT_TYP: &str = "kb+jwt";

/// The `sd_hash` of a presentation: base64url(hash(`<issuer-jwt>~<d1>~...~<dN>~`)).
pub fn sd_hash(alg: HashAlg, presented: &str) -> String {
    digest_b64(alg, presented)
}

/// Signs a Key Binding JWT over `presented` (everything up to and including the last `~`).
pub fn sign(key: &dyn Signer, alg: HashAlg, presented: &str, nonce: &str, audience: &str, iat: i64) -> String {
    let mut header = Map::new();
    header.insert("typ".into(), Value::String(KB_JWT_TYP.into()));
    let mut claims = Map::new();
    claims.insert("iat".into(), Value::from(iat));
    claims.insert("aud".into(), Value::String(audience.into()));
    claims.insert("nonce".into(), Value::String(nonce.into()));
    claims.insert("sd_hash".into(), Value::String(sd_hash(alg, presented)));
    // serde_json serializes a map of strings and integers without failing.
    let payload = serde_json::to_vec(&Value::Object(claims)).unwrap_or_default();
    crate::jws::sign(&header, &payload, key)
}

fn invalid(message: impl Into<String>, path: &str) -> Error {
    Error::new(ErrorCode::KeyBindingInvalid, message).at(path.to_owned())
}

/// Checks a Key Binding JWT without cryptography: every failure is recorded in `acc`, and its
/// signature under `holder_key` is queued there for the batch.
pub(crate) fn check(kb_jwt: &str, presented: &str, alg: HashAlg, holder_key: VerifyingKey, ctx: &Ctx<'_>, acc: &mut Acc) {
    let (options, now) = (ctx.options, ctx.now);
    let jws = match Jws::parse(kb_jwt) {
        Ok(j) => j,
        Err(e) => {
            let code = if e.code == ErrorCode::UnsupportedAlgorithm { e.code } else { ErrorCode::KeyBindingInvalid };
            acc.fail(Error { code, ..e }.at("kb_jwt"));
            return;
        }
    };
    if !matches!(jws.typ(), Ok(Some(t)) if t == KB_JWT_TYP) {
        acc.fail(invalid("the key-binding JWT's typ must be kb+jwt", "kb_jwt.header.typ"));
    }
    let claims = match jws.payload_object() {
        Ok(c) => c,
        Err(_) => {
            acc.fail(invalid("the key-binding JWT's payload is not a JSON object", "kb_jwt.payload"));
            return;
        }
    };
    match claims.get("iat").and_then(Value::as_i64) {
        None => acc.fail(invalid("the key-binding JWT needs an integer iat", "kb_jwt.iat")),
        Some(iat) if iat.abs_diff(now) > u64::from(options.clock_skew_seconds) => acc
            .fail(invalid(format!("the key-binding JWT's iat is not within {} seconds of now", options.clock_skew_seconds), "kb_jwt.iat")),
        Some(_) => {}
    }
    match (claims.get("aud").and_then(Value::as_str), &options.audience) {
        (None, _) => acc.fail(invalid("the key-binding JWT needs one string aud", "kb_jwt.aud")),
        (Some(aud), Some(expected)) if aud != expected => {
            acc.fail(Error::new(ErrorCode::AudienceMismatch, "the key-binding JWT is for another audience").at("kb_jwt.aud"))
        }
        _ => {}
    }
    match (claims.get("nonce").and_then(Value::as_str), &options.nonce) {
        (None, _) => acc.fail(invalid("the key-binding JWT needs a string nonce", "kb_jwt.nonce")),
        (Some(nonce), Some(expected)) if nonce != expected => {
            acc.fail(Error::new(ErrorCode::NonceMismatch, "the key-binding JWT has another nonce").at("kb_jwt.nonce"))
        }
        _ => {}
    }
    if claims.get("sd_hash").and_then(Value::as_str) != Some(sd_hash(alg, presented).as_str()) {
        acc.fail(invalid("sd_hash does not match the presented SD-JWT and disclosures", "kb_jwt.sd_hash"));
    }
    ctx.signature(&jws, holder_key, ErrorCode::KeyBindingInvalid, "kb_jwt", "kb_jwt", acc);
}

/// The holder key of a payload's `cnf` claim (RFC 7800 section 3.2, `jwk` only).
///
/// # Errors
/// `KEY_BINDING_INVALID` without `cnf.jwk`; the JWK's own codes (`UNSUPPORTED_ALGORITHM`,
/// `INVALID_KEY`) for a key that is not an acceptable public key
/// ([`VerifyingKey::from_jwk`]).
pub fn cnf_key(payload: &Map<String, Value>) -> Result<VerifyingKey> {
    let jwk = payload
        .get("cnf")
        .and_then(|c| c.get("jwk"))
        .ok_or_else(|| Error::new(ErrorCode::KeyBindingInvalid, "the SD-JWT has no cnf.jwk holder key").at("cnf"))?;
    VerifyingKey::from_jwk(jwk).map_err(|e| e.at("cnf.jwk"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::VerifyOptions;
    use crate::keys::{Algorithm, DidKeySource, KeyPair, SigningKey};

    fn checked(kb: &str, presented: &str, key: VerifyingKey, options: &VerifyOptions) -> Acc {
        let mut keys = DidKeySource;
        let ctx = Ctx { options, now: 1000, keys: &mut keys };
        let mut acc = Acc::default();
        check(kb, presented, HashAlg::Sha256, key, &ctx, &mut acc);
        acc
    }

    #[test]
    fn signed_kb_jwt_passes_its_checks() {
        let key = KeyPair::from_seed(&[9; 32]);
        let presented = "a.b.c~WyJzIiwgMV0~";
        let kb = sign(&key, HashAlg::Sha256, presented, "n", "https://v.example", 1000);
        let options = VerifyOptions { nonce: Some("n".into()), audience: Some("https://v.example".into()), ..VerifyOptions::default() };
        let acc = checked(&kb, presented, key.verifying_key(), &options);
        assert!(acc.errors.is_empty(), "{:?}", acc.errors);
        let sig = &acc.checks[0];
        assert_eq!(sig.code, ErrorCode::KeyBindingInvalid);
        assert!(crate::keys::verify(&sig.message, sig.signature.as_slice().try_into().unwrap(), key.public_key()));
        let jws = Jws::parse(&kb).unwrap();
        assert_eq!(jws.header_str("typ"), Some("kb+jwt"));
        assert_eq!(jws.payload_object().unwrap()["sd_hash"], Value::String(sd_hash(HashAlg::Sha256, presented)));
        // Another presented string, another sd_hash.
        let acc = checked(&kb, "a.b.c~", key.verifying_key(), &options);
        assert_eq!(acc.errors.iter().map(|e| e.code).collect::<Vec<_>>(), vec![ErrorCode::KeyBindingInvalid]);
    }

    #[test]
    fn an_es256_kb_jwt_needs_a_p256_holder_key_and_an_allowed_alg() {
        let holder = SigningKey::generate(Algorithm::Es256).unwrap();
        let presented = "a.b.c~";
        let kb = sign(&holder, HashAlg::Sha256, presented, "n", "aud", 1000);
        let options = VerifyOptions::default();
        let acc = checked(&kb, presented, holder.verifying_key(), &options);
        assert!(acc.errors.is_empty() && acc.checks[0].alg == Algorithm::Es256, "{:?}", acc.errors);
        // An Ed25519 cnf key never verifies an ES256 KB-JWT: refused before any arithmetic.
        let acc = checked(&kb, presented, KeyPair::from_seed(&[1; 32]).verifying_key(), &options);
        assert!(acc.checks.is_empty());
        assert_eq!(
            acc.errors.iter().map(|e| (e.code, e.path.as_deref())).collect::<Vec<_>>(),
            [(ErrorCode::KeyBindingInvalid, Some("kb_jwt"))]
        );
        let only_eddsa = VerifyOptions { algorithms: Some(vec![Algorithm::EdDsa]), ..VerifyOptions::default() };
        let acc = checked(&kb, presented, holder.verifying_key(), &only_eddsa);
        assert_eq!(
            acc.errors.iter().map(|e| (e.code, e.path.as_deref())).collect::<Vec<_>>(),
            [(ErrorCode::UnsupportedAlgorithm, Some("kb_jwt.header.alg"))]
        );
    }
}
