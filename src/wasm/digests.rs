//! Boundary of RFC 8785 canonicalization and HMAC-SHA-256, the digests a verifier's host uses
//! (the audit chain itself is the issuing module's, src/wasm/audit.rs).

use super::JsResult;
use crate::batch::wire;
use crate::limits::{check_len, MAX_MESSAGE_BYTES};
use crate::{jcs, mac};
use wasm_bindgen::prelude::*;

/// RFC 8785 canonical JSON of a JSON text (duplicate keys rejected).
#[wasm_bindgen]
pub fn canonicalize(json_text: &str) -> JsResult<String> {
    check_len(json_text.len(), MAX_MESSAGE_BYTES, "value")?;
    Ok(jcs::canonicalize_str(json_text)?)
}

/// HMAC-SHA-256 of `data` under `key`.
#[wasm_bindgen(js_name = hmacSha256)]
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> JsResult<Vec<u8>> {
    check_len(data.len(), MAX_MESSAGE_BYTES, "data")?;
    Ok(mac::hmac_sha256(key, data).to_vec())
}

/// HMAC-SHA-256 of every item of a packed batch, 32 bytes each, concatenated.
#[wasm_bindgen(js_name = hmacBatchPacked)]
pub fn hmac_batch_packed(key: &[u8], buffer: &[u8]) -> JsResult<Vec<u8>> {
    let fields = wire::unpack(buffer)?;
    Ok(mac::hmac_batch(key, fields))
}
