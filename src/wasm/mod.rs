//! The JS/wasm boundary: the only module with `#[wasm_bindgen]`. It converts JS values to Rust
//! types and back, and core errors to JS errors carrying a stable `code`. No logic lives here.

// Two modules are built from this boundary: the default one (feature `boundary`: verification,
// keys, digests) and the lazily loaded issuing module (feature `issuing`, `issuing-wasm/`:
// issuance, SD-JWT issuance and presentation, status lists, the audit chain, sessions, key
// generation and signing). Each links only its own exports; the hooks both need (ECDSA and RSA
// through the keys module, RDF canonicalization through the Data Integrity module, memory size)
// are in both.
#[cfg(feature = "issuing")]
mod audit;
mod curves;
#[cfg(feature = "boundary")]
mod digests;
#[cfg(feature = "boundary")]
mod documents;
#[cfg(feature = "boundary")]
mod host;
#[cfg(feature = "issuing")]
mod issue;
#[cfg(feature = "boundary")]
mod keys;
mod memory;
mod rdfc;
#[cfg(feature = "issuing")]
mod sdjwt;
#[cfg(feature = "issuing")]
mod session;
#[cfg(feature = "boundary")]
mod settler;
#[cfg(feature = "issuing")]
mod signing;
#[cfg(feature = "issuing")]
mod status;
#[cfg(feature = "boundary")]
mod verify;
#[cfg(feature = "boundary")]
mod x509;

use crate::error::{Error, ErrorCode};
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

/// Core errors cross as JS errors (see [`to_js`]), so that `?` converts them.
impl From<Error> for JsValue {
    fn from(e: Error) -> JsValue {
        to_js(e)
    }
}

/// The JS error for a core error: an `Error` whose `name` is `CredcoreError`, with `code` and
/// `path`. The JS harness re-throws it as its `CredcoreError` class.
pub(crate) fn to_js(e: Error) -> JsValue {
    let err = js_sys::Error::new(&e.message);
    err.set_name("CredcoreError");
    let obj: &JsValue = err.as_ref();
    // Reflect::set only fails on frozen or proxy targets; a fresh Error is neither.
    let _ = Reflect::set(obj, &"code".into(), &e.code.as_str().into());
    if let Some(p) = e.path {
        let _ = Reflect::set(obj, &"path".into(), &p.into());
    }
    err.into()
}

/// Result type of every export.
pub(crate) type JsResult<T> = Result<T, JsValue>;

/// Bytes from a `Uint8Array` (or, where `text_ok`, a string as UTF-8); anything else is
/// `MALFORMED_INPUT` naming the argument.
pub(crate) fn bytes_arg(value: &JsValue, name: &str, text_ok: bool) -> JsResult<Vec<u8>> {
    if let Some(arr) = value.dyn_ref::<Uint8Array>() {
        return Ok(arr.to_vec());
    }
    if text_ok {
        if let Some(s) = value.as_string() {
            return Ok(s.into_bytes());
        }
    }
    let expected = if text_ok { "a Uint8Array or a string" } else { "a Uint8Array" };
    Err(to_js(Error::malformed(format!("{name} must be {expected}")).at(name)))
}

/// A string argument; anything else is `MALFORMED_INPUT`.
pub(crate) fn string_arg(value: &JsValue, name: &str) -> JsResult<String> {
    value.as_string().ok_or_else(|| to_js(Error::malformed(format!("{name} must be a string")).at(name)))
}

/// Sets `key` on a JS object.
pub(crate) fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &key.into(), value);
}

/// Every error code, in the order of the Rust enum (the TypeScript union is checked against it).
#[cfg(feature = "boundary")]
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Vec<String> {
    ErrorCode::ALL.iter().map(|c| c.as_str().to_owned()).collect()
}

/// The crate version.
#[cfg(feature = "boundary")]
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
