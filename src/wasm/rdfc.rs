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

impl Canonicalizer for JsCanonicalizer {
    fn hash_data(&self, document: &str, proof_config: &str) -> Result<[u8; 64]> {
        let answer = self
            .0
            .call2(&JsValue::NULL, &document.into(), &proof_config.into())
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
            .and_then(|a| <[u8; 64]>::try_from(a.to_vec().as_slice()).ok())
            .ok_or_else(|| Error::new(ErrorCode::InternalError, "the Data Integrity module answered no hash data"))
    }
}

/// Installs (or, with `undefined`, removes) the function that answers Data Integrity hash data
/// from the credcore-ld module: `(document, proofConfig) => Uint8Array | string`.
#[wasm_bindgen(js_name = setCanonicalizer)]
pub fn set_canonicalizer(hash: Option<Function>) -> JsResult<()> {
    install(hash.map(|f| Rc::new(JsCanonicalizer(f)) as Rc<dyn Canonicalizer>));
    Ok(())
}
