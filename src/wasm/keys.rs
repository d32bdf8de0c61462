//! Boundary for keys, raw Ed25519, did:key, JWK and hashing.

use super::{bytes_arg, set, string_arg, to_js, JsResult};
use crate::batch::wire;
use crate::error::Error;
use crate::hash::{self, HashAlg};
use crate::keys::{self, PublicKey, SignatureJob};
use crate::limits::MAX_MESSAGE_BYTES;
use js_sys::Object;
use wasm_bindgen::prelude::*;

fn jwk_to_js(jwk: &keys::Jwk) -> JsValue {
    let obj = Object::new();
    set(&obj, "kty", &jwk.kty.as_str().into());
    set(&obj, "crv", &jwk.crv.as_str().into());
    set(&obj, "x", &jwk.x.as_str().into());
    obj.into()
}

fn message_arg(value: &JsValue, name: &str) -> JsResult<Vec<u8>> {
    let bytes = bytes_arg(value, name, true)?;
    crate::limits::check_len(bytes.len(), MAX_MESSAGE_BYTES, name)?;
    Ok(bytes)
}

/// Verifies one signature under the strict policy.
#[wasm_bindgen]
pub fn verify(message: &JsValue, signature: &JsValue, public_key: &JsValue) -> JsResult<bool> {
    let message = message_arg(message, "message")?;
    let signature = bytes_arg(signature, "signature", false)?;
    let public_key = bytes_arg(public_key, "publicKey", false)?;
    keys::verify_slices(&message, &signature, &public_key).map_err(JsValue::from)
}

/// Verifies a packed batch of `(message, signature, publicKey)` triples; one byte (0/1) per item.
#[wasm_bindgen(js_name = verifySignaturesPacked)]
pub fn verify_signatures_packed(buffer: &[u8]) -> JsResult<Vec<u8>> {
    let fields = wire::unpack(buffer)?;
    if fields.len() % 3 != 0 {
        return Err(to_js(Error::malformed("each item needs a message, a signature and a public key")));
    }
    let n = fields.len() / 3;
    let mut sigs: Vec<[u8; 64]> = Vec::with_capacity(n);
    let mut pubs: Vec<Option<PublicKey>> = Vec::with_capacity(n);
    // Keys repeat across a batch: decompress each distinct key once.
    let mut seen: std::collections::HashMap<&[u8], Option<PublicKey>> = std::collections::HashMap::new();
    for (i, item) in fields.chunks_exact(3).enumerate() {
        let (msg, sig, pk) = (item[0], item[1], item[2]);
        crate::limits::check_len(msg.len(), MAX_MESSAGE_BYTES, "message").map_err(|e| to_js(e.at(format!("[{i}]"))))?;
        let sig: [u8; 64] = sig.try_into().map_err(|_| {
            to_js(Error::malformed(format!("an Ed25519 signature is 64 bytes, not {}", sig.len())).at(format!("[{i}].signature")))
        })?;
        if pk.len() != keys::PUBLIC_KEY_LENGTH {
            return Err(to_js(
                Error::malformed(format!("an Ed25519 public key is 32 bytes, not {}", pk.len())).at(format!("[{i}].publicKey")),
            ));
        }
        sigs.push(sig);
        // A 32-byte string that is no acceptable key verifies nothing.
        pubs.push(seen.entry(pk).or_insert_with(|| PublicKey::from_bytes(pk).ok()).clone());
    }
    let mut index = Vec::with_capacity(n);
    let mut jobs = Vec::with_capacity(n);
    for (i, item) in fields.chunks_exact(3).enumerate() {
        if let (Some(Some(key)), Some(sig)) = (pubs.get(i), sigs.get(i)) {
            index.push(i);
            jobs.push(SignatureJob { message: item[0], signature: sig, key });
        }
    }
    let ok = keys::verify_batch(&jobs);
    let mut out = vec![0u8; n];
    for (slot, good) in index.into_iter().zip(ok) {
        if let Some(o) = out.get_mut(slot) {
            *o = u8::from(good);
        }
    }
    Ok(out)
}

/// The did:key of a 32-byte public key.
#[wasm_bindgen(js_name = didFromPublicKey)]
pub fn did_from_public_key(public_key: &JsValue) -> JsResult<String> {
    let bytes = bytes_arg(public_key, "publicKey", false)?;
    let key = PublicKey::from_bytes(&bytes).map_err(|e| to_js(e.at("publicKey")))?;
    Ok(keys::did_from_public_key(key.as_bytes()))
}

/// The 32-byte public key of an Ed25519 did:key.
#[wasm_bindgen(js_name = publicKeyFromDid)]
pub fn public_key_from_did(did: &JsValue) -> JsResult<Vec<u8>> {
    let did = string_arg(did, "did")?;
    let parsed = keys::public_key_from_did(&did)?;
    Ok(parsed.public_key.as_bytes().to_vec())
}

/// The OKP JWK of a 32-byte public key.
#[wasm_bindgen(js_name = publicKeyToJwk)]
pub fn public_key_to_jwk(public_key: &JsValue) -> JsResult<JsValue> {
    let bytes = bytes_arg(public_key, "publicKey", false)?;
    let key = PublicKey::from_bytes(&bytes).map_err(|e| to_js(e.at("publicKey")))?;
    Ok(jwk_to_js(&keys::Jwk::from_public_key(key.as_bytes())))
}

/// The 32-byte public key of an OKP JWK given as JSON text.
#[wasm_bindgen(js_name = publicKeyFromJwk)]
pub fn public_key_from_jwk(jwk_json: &str) -> JsResult<Vec<u8>> {
    let value: serde_json::Value = serde_json::from_str(jwk_json).map_err(|_| to_js(Error::malformed("the JWK is not JSON").at("jwk")))?;
    let key = keys::public_key_from_jwk(&value).map_err(|e| to_js(e.at("jwk")))?;
    Ok(key.as_bytes().to_vec())
}

/// The RFC 7638 thumbprint of a public JWK of any supported type, given as JSON text.
#[wasm_bindgen(js_name = jwkThumbprintOfJwk)]
pub fn jwk_thumbprint_of_jwk(jwk_json: &str) -> JsResult<String> {
    let value: serde_json::Value = serde_json::from_str(jwk_json).map_err(|_| to_js(Error::malformed("the JWK is not JSON").at("jwk")))?;
    let key = keys::VerifyingKey::from_jwk(&value).map_err(|e| to_js(e.at("jwk")))?;
    Ok(key.thumbprint())
}

/// The RFC 7638 thumbprint of a 32-byte public key.
#[wasm_bindgen(js_name = jwkThumbprint)]
pub fn jwk_thumbprint(public_key: &JsValue) -> JsResult<String> {
    let bytes = bytes_arg(public_key, "publicKey", false)?;
    let key = PublicKey::from_bytes(&bytes).map_err(|e| to_js(e.at("publicKey")))?;
    Ok(keys::jwk_thumbprint(key.as_bytes()))
}

/// The digest of bytes or a string (UTF-8) with `sha-256`, `sha-384` or `sha-512`.
#[wasm_bindgen]
pub fn hash(data: &JsValue, alg: &str) -> JsResult<Vec<u8>> {
    let alg = HashAlg::parse(alg)?;
    let data = message_arg(data, "data")?;
    Ok(hash::digest(alg, &data))
}

/// The digests of a packed batch of items, concatenated.
#[wasm_bindgen(js_name = hashBatchPacked)]
pub fn hash_batch_packed(buffer: &[u8], alg: &str) -> JsResult<Vec<u8>> {
    let alg = HashAlg::parse(alg)?;
    let fields = wire::unpack(buffer)?;
    Ok(hash::digest_batch(alg, fields))
}
