//! Boundary for key documents: what the harness fetched for a batch's key needs goes into a
//! `Verifier` here, and only here (never through call options: see `verifier::documents`).

use super::verify::{object, texts_of, VerifierHandle};
use super::{to_js, JsResult};
use crate::batch::wire;
use crate::error::Error;
use crate::keys::SuppliedDocument;
use crate::verifier::json_array;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_class = Verifier)]
impl VerifierHandle {
    /// Internal to the harness: hands in the key documents it fetched, a JSON array of
    /// `{ kind, id, url?, text?, error? }`; returns how many were held.
    #[wasm_bindgen(js_name = supplyKeyDocuments)]
    pub fn supply_key_documents(&mut self, docs_json: &str, now_ms: f64) -> JsResult<u32> {
        let docs = SuppliedDocument::list_from_json(docs_json)?;
        Ok(u32::try_from(self.inner.supply_key_documents(&docs, now_ms)).unwrap_or(u32::MAX))
    }

    /// Verifies a packed batch for a pool worker: the batch's needs as JSON (`{ missing, items,
    /// keys, keyItems }`) when it needs status lists (and `lists`) or key documents (and `keys`),
    /// else the results as a JSON array text.
    #[wasm_bindgen(js_name = verifyBatchOrNeeds)]
    pub fn verify_batch_or_needs(&mut self, buffer: &[u8], call_json: &str, now_ms: f64, lists: bool, keys: bool) -> JsResult<String> {
        let call = object(call_json, "options")?;
        let fields = wire::unpack(buffer)?;
        let texts = texts_of(&fields);
        let (served, needs) = self.inner.serve_batch_with_needs(&texts, &call, now_ms)?;
        if (lists && !needs.uris.is_empty()) || (keys && !needs.keys.is_empty()) {
            return serde_json::to_string(&needs).map_err(|e| to_js(Error::malformed(e.to_string())));
        }
        Ok(json_array(&served))
    }

    /// Statistics of the held key documents as JSON text (`{ hits, misses, ... }`).
    #[wasm_bindgen(js_name = keyDocumentStatsJson)]
    pub fn key_document_stats_json(&self) -> JsResult<String> {
        serde_json::to_string(&self.inner.document_stats()).map_err(|e| to_js(Error::malformed(e.to_string())))
    }
}
