//! Boundary for host signature checks (ECDSA, RSA) on the synchronous paths: the host function
//! the Node entry point installs (node:crypto). Jobs cross as packed fields
//! (`crate::batch::wire`): per job the algorithm's JOSE name, the key (`HostJob::host_key`), the
//! message and the signature; answers come back as one byte per job, 1 for a signature that
//! verifies.

use super::{to_js, JsResult};
use crate::batch::wire;
use crate::error::Error;
use crate::keys::{HostJob, HostKeys, HostVerifier, RustVerifier};
use js_sys::{Function, Uint8Array};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The synchronous host settler, when the entry point installed one (Node: node:crypto).
    static HOST: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Installs (or, with `undefined`, removes) the synchronous host settler: a function that takes
/// the packed jobs of one group and returns a `Uint8Array` with one byte per job. Without one,
/// signatures are settled in-process (RustCrypto).
#[wasm_bindgen(js_name = setHostVerifier)]
pub fn set_host_verifier(settle: Option<Function>) -> JsResult<()> {
    HOST.with(|cell| {
        let mut slot = cell.try_borrow_mut().map_err(|_| to_js(Error::new(crate::ErrorCode::InternalError, "host settler busy")))?;
        *slot = settle;
        Ok(())
    })
}

/// The installed host function as a [`HostVerifier`]. Only admissible jobs reach it (policy is
/// the core's); an answer that is not a `Uint8Array` of one byte per job, or a function that
/// throws, fails every job of the call; only the byte 1 passes a job.
struct JsHost(Function);

impl HostVerifier for JsHost {
    fn verify_jobs(&mut self, jobs: &[HostJob<'_>]) -> Vec<bool> {
        let asked: Vec<usize> = (0..jobs.len()).filter(|&i| jobs.get(i).is_some_and(HostJob::admissible)).collect();
        let mut out = vec![false; jobs.len()];
        if asked.is_empty() {
            return out;
        }
        let mut fields = wire::Packer::default();
        let mut keys = HostKeys::default();
        for job in asked.iter().filter_map(|&i| jobs.get(i)) {
            for field in [job.alg.as_str().as_bytes(), keys.key(job), job.message, job.signature] {
                fields.push(field);
            }
        }
        let packed = Uint8Array::from(fields.finish().as_slice());
        let answers = match self.0.call1(&JsValue::NULL, &packed) {
            Ok(v) => v.dyn_into::<Uint8Array>().map(|a| a.to_vec()).unwrap_or_default(),
            Err(_) => Vec::new(),
        };
        if answers.len() != asked.len() {
            return out;
        }
        for (&i, answer) in asked.iter().zip(answers) {
            if let Some(slot) = out.get_mut(i) {
                *slot = answer == 1;
            }
        }
        out
    }
}

/// Runs `f` with the installed host settler, or with [`RustVerifier`] when there is none.
pub(crate) fn with_settler<T>(f: impl FnOnce(&mut dyn HostVerifier) -> T) -> T {
    // A copy of the handle: the function may run any JS, including `setHostVerifier`.
    let installed = HOST.with(|cell| cell.try_borrow().ok().and_then(|slot| slot.clone()));
    match installed {
        Some(settle) => f(&mut JsHost(settle)),
        None => f(&mut RustVerifier),
    }
}
