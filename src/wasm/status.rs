//! Boundary for status lists: issuing and updating lists, decoding lists.

use super::signing::signing_key;
use super::{to_js, JsResult};
use crate::status::issuer::{ListConfig, StatusListIssuer};
use crate::status::{ListDocument, ListFormat, DEFAULT_MAX_INFLATED_BYTES};
use serde_json::json;
use wasm_bindgen::prelude::*;

fn index_arg(index: f64) -> JsResult<u64> {
    if index.is_finite() && index >= 0.0 && index.fract() == 0.0 && index <= 9_007_199_254_740_991.0 {
        Ok(index as u64)
    } else {
        Err(to_js(crate::Error::malformed("an index is a whole number >= 0").at("index")))
    }
}

/// An issuer's status list (W3C Bitstring Status List or IETF Token Status List).
#[wasm_bindgen(js_name = StatusListHandle)]
pub struct StatusListHandle {
    inner: StatusListIssuer,
}

#[wasm_bindgen(js_class = StatusListHandle)]
impl StatusListHandle {
    /// A new, all-zero list from its configuration JSON (`format`, `uri`, `size`, `bits`, ...).
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str) -> JsResult<StatusListHandle> {
        let config: ListConfig = serde_json::from_str(config_json)
            .map_err(|e| to_js(crate::Error::malformed(format!("invalid status list options: {e}")).at("options")))?;
        Ok(StatusListHandle { inner: StatusListIssuer::new(config)? })
    }

    /// Decodes a signed list (its signature is checked) to read, update and re-sign it.
    pub fn decode(list: &str, uri: Option<String>) -> JsResult<StatusListHandle> {
        let doc = ListDocument::decode(list, uri.as_deref(), DEFAULT_MAX_INFLATED_BYTES)?;
        Ok(StatusListHandle { inner: StatusListIssuer::from_document(&doc)? })
    }

    /// Describes a signed list (signature checked): format, uri, issuer, size, bits, purposes, times.
    #[wasm_bindgen(js_name = describe)]
    pub fn describe(list: &str, uri: Option<String>) -> JsResult<String> {
        let doc = ListDocument::decode(list, uri.as_deref(), DEFAULT_MAX_INFLATED_BYTES)?;
        let format = match doc.format {
            ListFormat::W3c => "w3c",
            ListFormat::Ietf => "ietf",
        };
        Ok(json!({
            "format": format, "uri": doc.uri, "issuer": doc.issuer, "size": doc.list.size(),
            "bits": doc.list.bits(), "purposes": doc.purposes, "issuedAt": doc.issued_at,
            "notBefore": doc.not_before, "expiresAt": doc.expires_at, "ttlMs": doc.ttl_ms,
        })
        .to_string())
    }

    /// A random unused index.
    pub fn allocate(&mut self) -> JsResult<f64> {
        Ok(self.inner.allocate()? as f64)
    }

    /// Sets the status of an entry.
    pub fn set(&mut self, index: f64, status: u8) -> JsResult<()> {
        self.inner.set(index_arg(index)?, status).map_err(JsValue::from)
    }

    /// The status of an entry, or undefined past the end.
    pub fn get(&self, index: f64) -> JsResult<Option<u8>> {
        Ok(self.inner.get(index_arg(index)?))
    }

    /// Entries in the list.
    pub fn size(&self) -> f64 {
        self.inner.list().size() as f64
    }

    /// Bits per entry.
    pub fn bits(&self) -> u8 {
        self.inner.list().bits()
    }

    /// The configuration as JSON (format, uri, size, bits, purpose, ttlSeconds, validForSeconds).
    #[wasm_bindgen(js_name = configJson)]
    pub fn config_json(&self) -> String {
        let c = self.inner.config();
        let format = match c.format {
            ListFormat::W3c => "w3c",
            ListFormat::Ietf => "ietf",
        };
        json!({ "format": format, "uri": c.uri, "size": c.size, "bits": c.bits, "purpose": c.purpose,
                "ttlSeconds": c.ttl_seconds, "validForSeconds": c.valid_for_seconds })
        .to_string()
    }

    /// Encodes and signs the list with the issuer's secret key and its algorithm (`EdDSA` when
    /// not given): a W3C status list credential (VC-JOSE) or an IETF status list token, as a
    /// compact JWT.
    pub fn sign(&self, secret: &[u8], now_ms: f64, alg: Option<String>) -> JsResult<String> {
        let key = signing_key(secret, alg, "issuer")?;
        super::curves::signed(Ok(self.inner.sign(&key, now_ms)))
    }
}
