//! Boundary for key generation and signing (the issuing module): key pairs of every algorithm,
//! raw Ed25519 signatures, and the signing keys the issuance exports take.

use super::{bytes_arg, set, to_js, JsResult};
use crate::keys::{Algorithm, KeyPair, Signer, SigningKey};
use crate::limits::MAX_MESSAGE_BYTES;
use js_sys::{Object, Uint8Array};
use wasm_bindgen::prelude::*;

fn key_pair_to_js(pair: &SigningKey) -> JsValue {
    let obj = Object::new();
    set(&obj, "alg", &pair.algorithm().as_str().into());
    set(&obj, "publicKey", &Uint8Array::from(&pair.public_bytes()[..]).into());
    set(&obj, "secretKey", &Uint8Array::from(&pair.secret_bytes()[..]).into());
    set(&obj, "did", &pair.did().into());
    set(&obj, "kid", &pair.kid().into());
    set(&obj, "publicJwk", &members_to_js(&pair.verifying_key().to_jwk()));
    obj.into()
}

/// A JS object of a JWK's string members.
fn members_to_js(jwk: &serde_json::Map<String, serde_json::Value>) -> JsValue {
    let obj = Object::new();
    for (k, v) in jwk {
        if let Some(text) = v.as_str() {
            set(&obj, k, &text.into());
        }
    }
    obj.into()
}

/// The algorithm a key pair is for: `EdDSA` when not given.
pub(crate) fn alg_arg(alg: Option<String>, path: &str) -> JsResult<Algorithm> {
    match alg.as_deref() {
        None | Some("") => Ok(Algorithm::EdDsa),
        Some(name) => Algorithm::parse(name).map_err(|e| to_js(e.at(path.to_owned()))),
    }
}

/// The signing key of a key pair's secret and algorithm (`EdDSA` when not given).
pub(crate) fn signing_key(secret: &[u8], alg: Option<String>, path: &str) -> JsResult<SigningKey> {
    let alg = alg_arg(alg, &format!("{path}.alg"))?;
    super::curves::before_signing();
    SigningKey::from_secret(alg, secret).map_err(|e| to_js(e.at(format!("{path}.secretKey"))))
}

fn message_arg(value: &JsValue, name: &str) -> JsResult<Vec<u8>> {
    let bytes = bytes_arg(value, name, true)?;
    crate::limits::check_len(bytes.len(), MAX_MESSAGE_BYTES, name)?;
    Ok(bytes)
}

/// A new key pair from the platform CSPRNG: Ed25519 (`EdDSA`, the default), P-256 (`ES256`),
/// P-384 (`ES384`) or secp256k1 (`ES256K`).
#[wasm_bindgen(js_name = generateKeyPair)]
pub fn generate_key_pair(alg: Option<String>) -> JsResult<JsValue> {
    let pair = SigningKey::generate(alg_arg(alg, "alg")?)?;
    Ok(key_pair_to_js(&pair))
}

/// The key pair of a secret: a 32-byte Ed25519 seed, or an ECDSA scalar (`ES256`, `ES256K`: 32
/// bytes, `ES384`: 48).
#[wasm_bindgen(js_name = keyPairFromSeed)]
pub fn key_pair_from_seed(seed: &JsValue, alg: Option<String>) -> JsResult<JsValue> {
    let seed = zeroize::Zeroizing::new(bytes_arg(seed, "seed", false)?);
    let pair = SigningKey::from_secret(alg_arg(alg, "alg")?, &seed).map_err(|e| to_js(e.at("seed")))?;
    Ok(key_pair_to_js(&pair))
}

/// Signs a message with a 32-byte secret key.
#[wasm_bindgen]
pub fn sign(message: &JsValue, secret_key: &JsValue) -> JsResult<Vec<u8>> {
    let message = message_arg(message, "message")?;
    let secret = zeroize::Zeroizing::new(bytes_arg(secret_key, "secretKey", false)?);
    let pair = KeyPair::from_seed_slice(&secret).map_err(|e| to_js(e.at("secretKey")))?;
    Ok(pair.sign(&message).to_vec())
}
