//! Boundary for verification: the top-level functions (over a verifier with no result or
//! status-list memory) and the `Verifier` class with its caches.

use super::settler::with_settler;
use super::{to_js, JsResult};
use crate::batch::wire;
use crate::credential::Kind;
use crate::error::Error;
use crate::verifier::host_round::HostRounds;
use crate::verifier::{json_array, CacheConfig, Served, Verifier};
use serde_json::{Map, Value};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The verifier behind `verifyCredential`, `verifyPresentation`, `verifyBatch` and
    /// `sdJwt.verify`: no base options (each call brings its own), and no memory of results or
    /// status lists between calls (only decoded did:key keys).
    static DEFAULT: RefCell<Option<Verifier>> = const { RefCell::new(None) };
}

pub(super) fn object(text: &str, what: &str) -> JsResult<Map<String, Value>> {
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_str(text) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(to_js(Error::malformed(format!("{what} must be a JSON object")).at(what.to_owned()))),
    }
}

/// The fields of a packed batch as text (invalid UTF-8 becomes U+FFFD, which no format accepts).
pub(super) fn texts_of<'a>(fields: &[&'a [u8]]) -> Vec<&'a str> {
    wire::texts(fields)
}

fn with_default<T>(f: impl FnOnce(&mut Verifier) -> JsResult<T>) -> JsResult<T> {
    DEFAULT.with(|cell| {
        let mut slot = cell.try_borrow_mut().map_err(|_| to_js(Error::new(crate::ErrorCode::InternalError, "verifier busy")))?;
        if slot.is_none() {
            *slot = Some(Verifier::new(Map::new(), &CacheConfig::stateless())?);
        }
        match slot.as_mut() {
            Some(v) => f(v),
            None => Err(to_js(Error::new(crate::ErrorCode::InternalError, "no verifier"))),
        }
    })
}

fn batch(v: &mut Verifier, buffer: &[u8], call: &Map<String, Value>, now_ms: f64) -> JsResult<String> {
    let fields = wire::unpack(buffer)?;
    let texts = texts_of(&fields);
    Ok(json_array(&with_settler(|host| v.serve_batch_settled(&texts, call, now_ms, host))?.0))
}

/// The results of a packed batch, framed for a host that keeps decoded copies of cached results:
/// `u32` count, then per item an `f64` cache id (0 when the result is not cached), a `u32` length
/// and that many bytes of JSON (little-endian). The host may reuse its decoded copy of an id it
/// has seen: a cached entry never changes and its id is never reused.
fn batch_framed(v: &mut Verifier, buffer: &[u8], call: &Map<String, Value>, now_ms: f64) -> JsResult<Vec<u8>> {
    let fields = wire::unpack(buffer)?;
    let texts = texts_of(&fields);
    Ok(framed(&with_settler(|host| v.serve_batch_settled(&texts, call, now_ms, host))?.0))
}

/// Served results as framed results (`crate::batch::wire`).
pub(super) fn framed(served: &[Served]) -> Vec<u8> {
    let mut served = served.iter();
    wire::frame_with(served.len(), |out| {
        let s = served.next()?;
        s.write_json(out);
        Some(s.cache_id().unwrap_or(0))
    })
}

/// Verifies a packed batch with the default verifier; returns framed results (see `batch_framed`).
#[wasm_bindgen(js_name = verifyBatchFramed)]
pub fn verify_batch_framed(buffer: &[u8], options_json: &str, now_ms: f64) -> JsResult<Vec<u8>> {
    let call = object(options_json, "options")?;
    with_default(|v| batch_framed(v, buffer, &call, now_ms))
}

/// Verifies one input expecting `kind` (`credential`, `presentation` or `any`) with the default
/// verifier; returns one framed result (see `batch_framed`).
#[wasm_bindgen(js_name = verifyItemFramed)]
pub fn verify_item_framed(input: &str, options_json: &str, now_ms: f64, kind: &str) -> JsResult<Vec<u8>> {
    let call = object(options_json, "options")?;
    let expected = match kind {
        "credential" => Some(Kind::Credential),
        "presentation" => Some(Kind::Presentation),
        _ => None,
    };
    with_default(|v| Ok(framed(&[with_settler(|host| v.serve_one_settled(input, &call, now_ms, expected, host))?])))
}

/// A verifier with its own options and caches.
#[wasm_bindgen(js_name = Verifier)]
pub struct VerifierHandle {
    pub(super) inner: Verifier,
    /// The open rounds of host signature checks (`super::host`).
    pub(super) rounds: HostRounds,
}

#[wasm_bindgen(js_class = Verifier)]
impl VerifierHandle {
    /// Options JSON (as `VerifyOptions`) and cache JSON (`keys`, `results`, `statusLists`, `ttlSeconds`).
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: &str, cache_json: &str) -> JsResult<VerifierHandle> {
        let options = object(options_json, "options")?;
        let cache: CacheConfig = if cache_json.trim().is_empty() {
            CacheConfig::default()
        } else {
            serde_json::from_str(cache_json).map_err(|e| to_js(Error::malformed(format!("invalid cache options: {e}")).at("cache")))?
        };
        Ok(VerifierHandle { inner: Verifier::new(options, &cache)?, rounds: HostRounds::default() })
    }

    /// Verifies a packed batch with per-call option overrides; returns a JSON array text.
    #[wasm_bindgen(js_name = verifyBatchPacked)]
    pub fn verify_batch_packed(&mut self, buffer: &[u8], call_json: &str, now_ms: f64) -> JsResult<String> {
        let call = object(call_json, "options")?;
        batch(&mut self.inner, buffer, &call, now_ms)
    }

    /// Verifies a packed batch with per-call option overrides; returns framed results (see
    /// `batch_framed`).
    #[wasm_bindgen(js_name = verifyBatchFramed)]
    pub fn verify_batch_framed(&mut self, buffer: &[u8], call_json: &str, now_ms: f64) -> JsResult<Vec<u8>> {
        let call = object(call_json, "options")?;
        batch_framed(&mut self.inner, buffer, &call, now_ms)
    }

    /// Verifies a packed batch for a host that fetches status lists on demand: when items needed
    /// lists that neither the call nor the cache provided (and nothing else decided them),
    /// returns `{"missing":[uris],"items":[indices]}` (the host fetches them and runs the batch
    /// again, with them, through `verifyBatchPacked`); otherwise the results as a JSON array text.
    #[wasm_bindgen(js_name = verifyBatchOrMissing)]
    pub fn verify_batch_or_missing(&mut self, buffer: &[u8], call_json: &str, now_ms: f64) -> JsResult<String> {
        let call = object(call_json, "options")?;
        let fields = wire::unpack(buffer)?;
        let texts = texts_of(&fields);
        let (served, needs) = with_settler(|host| self.inner.serve_batch_settled(&texts, &call, now_ms, host))?;
        if !needs.uris.is_empty() {
            return serde_json::to_string(&needs).map_err(|e| to_js(Error::malformed(e.to_string())));
        }
        Ok(json_array(&served))
    }

    /// Verifies a packed batch; returns the batch's needs as JSON (`u32` length, then
    /// `{"missing":[uris],"items":[indices]}`: the lists a host with a resolver fetches before
    /// running those items again) followed by the framed results (see `batch_framed`).
    #[wasm_bindgen(js_name = verifyBatchFramedNeeds)]
    pub fn verify_batch_framed_needs(&mut self, buffer: &[u8], call_json: &str, now_ms: f64) -> JsResult<Vec<u8>> {
        let call = object(call_json, "options")?;
        let fields = wire::unpack(buffer)?;
        let texts = texts_of(&fields);
        let (served, needs) = with_settler(|host| self.inner.serve_batch_settled(&texts, &call, now_ms, host))?;
        let needs = serde_json::to_vec(&needs).map_err(|e| to_js(Error::malformed(e.to_string())))?;
        Ok(wire::frame_with_needs(&needs, &framed(&served)))
    }

    /// Cache statistics as JSON text.
    #[wasm_bindgen(js_name = statsJson)]
    pub fn stats_json(&self) -> JsResult<String> {
        serde_json::to_string(&self.inner.stats()).map_err(|e| to_js(Error::malformed(e.to_string())))
    }

    /// Empties the caches.
    pub fn clear(&mut self) {
        self.inner.clear();
    }

    /// How many times the status-list generations seen changed (a number that only grows).
    #[wasm_bindgen(js_name = statusGenerationChanges)]
    pub fn status_generation_changes(&self) -> f64 {
        self.inner.status_generation_changes() as f64
    }

    /// The newest status-list generations seen, as JSON text, for the verifier that replaces
    /// this one.
    #[wasm_bindgen(js_name = statusGenerations)]
    pub fn status_generations(&self) -> String {
        self.inner.status_generations_json()
    }

    /// Takes generations from `statusGenerations` of the verifier this one replaces.
    #[wasm_bindgen(js_name = rememberStatusGenerations)]
    pub fn remember_status_generations(&mut self, json: &str) -> JsResult<()> {
        self.inner.remember_status_generations_json(json).map_err(to_js)
    }
}
