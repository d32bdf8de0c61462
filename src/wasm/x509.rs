//! Boundary of the X.509 seam ([`crate::keys::x509::ChainValidator`]): the JS functions the
//! harness installs, which answer from the separately loaded keys module
//! (pkg-template/keys-module.js). The bytes are [`crate::keys::x509::wire`]'s; an answer of
//! another type, or a function that throws, is `INTERNAL_ERROR` for that chain.

use super::JsResult;
use crate::error::{Error, ErrorCode, Result};
use crate::keys::x509::wire::{decode, decode_error, pack};
use crate::keys::x509::{install, CertifiedKey, ChainValidator, TrustAnchors};
use js_sys::{Function, Uint8Array};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The installed JS functions as the core's [`ChainValidator`].
struct JsValidator {
    validate: Function,
    check: Function,
}

fn failed() -> Error {
    Error::new(ErrorCode::InternalError, "the keys module failed")
}

impl ChainValidator for JsValidator {
    fn check_anchors(&self, anchors: &TrustAnchors) -> Result<()> {
        let packed = Uint8Array::from(pack(anchors.ders()).as_slice());
        let answer = self.check.call1(&JsValue::NULL, &packed).map_err(|_| failed())?;
        match answer.as_string() {
            Some(text) if text.is_empty() => Ok(()),
            Some(text) => Err(decode_error(&text)),
            None => Err(failed()),
        }
    }

    fn validate(&self, chain: &[Vec<u8>], anchors: &TrustAnchors, now: i64) -> Result<CertifiedKey> {
        let chain = Uint8Array::from(pack(chain).as_slice());
        let packed = Uint8Array::from(pack(anchors.ders()).as_slice());
        let answer = self.validate.call3(&JsValue::NULL, &chain, &packed, &JsValue::from_f64(now as f64)).map_err(|_| failed())?;
        if let Some(text) = answer.as_string() {
            return Err(decode_error(&text));
        }
        let bytes = answer.dyn_into::<Uint8Array>().map_err(|_| failed())?.to_vec();
        decode(&bytes)
    }
}

/// Installs (or, with `undefined`, removes) the functions that validate `x5c` chains in the keys
/// module: `validate(chain, anchors, now) => Uint8Array | string` and
/// `checkAnchors(anchors) => string` (empty when every anchor is a certificate).
#[wasm_bindgen(js_name = setChainValidator)]
pub fn set_chain_validator(validate: Option<Function>, check_anchors: Option<Function>) -> JsResult<()> {
    install(match (validate, check_anchors) {
        (Some(validate), Some(check)) => Some(Rc::new(JsValidator { validate, check }) as Rc<dyn ChainValidator>),
        _ => None,
    });
    Ok(())
}
