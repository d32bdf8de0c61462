//! Boundary of the Data Integrity seam ([`crate::credential::data_integrity::rdfc`]): the JS
//! function the harness installs, which answers each proof's hash data from the separately
//! loaded credcore-ld module (pkg-template/data-integrity.js). Its answer is a `Uint8Array` of 64
//! bytes, or a failure string `CODE \u{1} context URL \u{1} message`; anything else, or a function
//! that throws, is `INTERNAL_ERROR` for that proof.

use super::JsResult;
use crate::credential::data_integrity::rdfc::{code_of, install, Canonicalizer};
use crate::error::{Error, ErrorCode, Result};
use js_sys::{Function, Uint8Array};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The installed JS function as the core's [`Canonicalizer`].
struct JsCanonicalizer(Function);

impl JsCanonicalizer {
    /// The function's answer for `document` and `proof_config`: `len` bytes of hash data, or its
    /// failure. `hash` is the third argument: absent for SHA-256, `"sha-384"` for SHA-384.
    fn answer(&self, document: &str, proof_config: &str, hash: Option<&str>, len: usize) -> Result<Vec<u8>> {
        let answer = match hash {
            None => self.0.call2(&JsValue::NULL, &document.into(), &proof_config.into()),
            Some(h) => self.0.call3(&JsValue::NULL, &document.into(), &proof_config.into(), &h.into()),
        }
        .map_err(|_| Error::new(ErrorCode::InternalError, "the Data Integrity module failed"))?;
        if let Some(failure) = answer.as_string() {
            let mut parts = failure.splitn(3, '\u{1}');
            let code = code_of(parts.next().unwrap_or_default());
            let _context = parts.next();
            return Err(Error::new(code, parts.next().unwrap_or("the Data Integrity module refused the proof").to_owned()));
        }
        answer
            .dyn_into::<Uint8Array>()
            .ok()
            .map(|a| a.to_vec())
            .filter(|bytes| bytes.len() == len)
            .ok_or_else(|| Error::new(ErrorCode::InternalError, "the Data Integrity module answered no hash data"))
    }
}

impl Canonicalizer for JsCanonicalizer {
    fn hash_data(&self, document: &str, proof_config: &str) -> Result<[u8; 64]> {
        let bytes = self.answer(document, proof_config, None, 64)?;
        <[u8; 64]>::try_from(bytes.as_slice()).map_err(|_| Error::new(ErrorCode::InternalError, "hash data"))
    }

    fn hash_data_sha384(&self, document: &str, proof_config: &str) -> Result<[u8; 96]> {
        let bytes = self.answer(document, proof_config, Some("sha-384"), 96)?;
        <[u8; 96]>::try_from(bytes.as_slice()).map_err(|_| Error::new(ErrorCode::InternalError, "hash data"))
    }
}

/// Installs (or, with `undefined`, removes) the function that answers Data Integrity hash data
/// from the credcore-ld module: `(document, proofConfig, hash?) => Uint8Array | string`, `hash`
/// `"sha-384"` for SHA-384 hash data.
#[wasm_bindgen(js_name = setCanonicalizer)]
pub fn set_canonicalizer(hash: Option<Function>) -> JsResult<()> {
    install(hash.map(|f| Rc::new(JsCanonicalizer(f)) as Rc<dyn Canonicalizer>));
    Ok(())
}
