//! Boundary of the ECDSA and RSA seam ([`crate::keys::curves::Curves`]): the JS functions the
//! harness installs, which answer from the separately loaded keys module
//! (pkg-template/keys-module.js). Jobs cross packed as for the host settlers
//! (`crate::batch::wire`: per job the algorithm's JOSE name, the key, the message, the
//! signature), answers as one byte per job; keys as SEC 1 points, signatures as `r || s`. A
//! failure crosses as `CODE \u{1} path \u{1} message`; an answer of another type, or a function
//! that throws, is `INTERNAL_ERROR`.

use super::{to_js, JsResult};
use crate::batch::wire;
use crate::error::{Error, ErrorCode, Result};
use crate::keys::curves::{call_sizes, install, take_failure, Curves};
use crate::keys::x509::wire::decode_error;
use crate::keys::{Algorithm, HostJob};
use js_sys::{Function, Uint8Array};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The installed JS functions as the core's [`Curves`].
struct JsCurves {
    settle: Function,
    public_key: Function,
    sign: Function,
}

fn failed() -> Error {
    Error::new(ErrorCode::InternalError, "the keys module failed")
}

/// Bytes, or the failure string's error.
fn bytes_of(answer: std::result::Result<JsValue, JsValue>) -> Result<Vec<u8>> {
    let answer = answer.map_err(|_| failed())?;
    if let Some(text) = answer.as_string() {
        return Err(decode_error(&text));
    }
    answer.dyn_into::<Uint8Array>().map(|a| a.to_vec()).map_err(|_| failed())
}

impl JsCurves {
    /// One call of the keys module over `jobs`: one byte per job.
    fn settle_call(&self, jobs: &[HostJob<'_>]) -> Result<Vec<bool>> {
        let mut fields = Vec::with_capacity(jobs.len() * 4);
        for job in jobs {
            fields.extend([job.alg.as_str().as_bytes().to_vec(), job.host_key(), job.message.to_vec(), job.signature.to_vec()]);
        }
        let packed = Uint8Array::from(wire::pack(fields.iter().map(Vec::as_slice)).as_slice());
        let answers = bytes_of(self.settle.call1(&JsValue::NULL, &packed))?;
        if answers.len() != jobs.len() {
            return Err(failed());
        }
        // Only the byte 1 passes a job.
        Ok(answers.into_iter().map(|a| a == 1).collect())
    }
}

impl Curves for JsCurves {
    fn settle(&self, jobs: &[HostJob<'_>]) -> Result<Vec<bool>> {
        let mut out = Vec::with_capacity(jobs.len());
        let mut rest = jobs;
        for take in call_sizes(jobs) {
            let (call, tail) = rest.split_at(take.min(rest.len()));
            out.extend(self.settle_call(call)?);
            rest = tail;
        }
        Ok(out)
    }

    fn public_key(&self, alg: Algorithm, secret: &[u8]) -> Result<crate::keys::EcKey> {
        let point = bytes_of(self.public_key.call2(&JsValue::NULL, &alg.as_str().into(), &Uint8Array::from(secret)))?;
        // Checked on the curve again here: the point becomes the key's public identity.
        crate::keys::EcKey::from_sec1(alg.key_type(), &point)
    }

    fn sign(&self, alg: Algorithm, secret: &[u8], message: &[u8]) -> Result<Vec<u8>> {
        bytes_of(self.sign.call3(&JsValue::NULL, &alg.as_str().into(), &Uint8Array::from(secret), &Uint8Array::from(message)))
    }
}

/// Installs (or, with `undefined`, removes) the functions that compute ECDSA and RSA in the keys
/// module: `settle(jobs) => Uint8Array | string` (one byte per job), `publicKey(alg, secret) =>
/// Uint8Array | string` (`04 || x || y`) and `sign(alg, secret, message) => Uint8Array | string`.
#[wasm_bindgen(js_name = setCurves)]
pub fn set_curves(settle: Option<Function>, public_key: Option<Function>, sign: Option<Function>) -> JsResult<()> {
    install(match (settle, public_key, sign) {
        (Some(settle), Some(public_key), Some(sign)) => Some(Rc::new(JsCurves { settle, public_key, sign }) as Rc<dyn Curves>),
        _ => None,
    });
    Ok(())
}

/// Clears what an earlier call left of the seam's failures, before a call that signs.
pub(crate) fn before_signing() {
    take_failure();
}

/// What a call that signed returns: its output, unless the keys module failed to sign (then its
/// error: what was signed carries no valid signature and is not handed out).
pub(crate) fn signed<T>(out: JsResult<T>) -> JsResult<T> {
    let out = out?;
    match take_failure() {
        Some(u) => Err(to_js(u.error)),
        None => Ok(out),
    }
}
