//! The wasm boundary of credcore-ld, built into `pkg/credcore_ld_bg.wasm`: the Data Integrity
//! module the JS package loads only when an item needs JSON-LD (eddsa-rdfc-2022,
//! Ed25519Signature2020, ecdsa-rdfc-2019). Conversion only: the hash data of a proof
//! ([`credcore_ld::proof::hash_data_json`], and SHA-384's for P-384), and the contexts the caller's `documentLoader` gave,
//! held here (bounded) beside the bundled ones.
//!
//! Failures cross as strings `CODE \u{1} context URL \u{1} message` (the code one of
//! credcore-ld's, the URL only for `JSONLD_CONTEXT_UNAVAILABLE`), which the main module maps to
//! its error codes.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::Arc;

use credcore_ld::jsonld::{DocumentLoader, Error, RemoteDocument};
use serde_json::Value;

/// Most contexts held from the caller's loader; the oldest goes first.
pub const MAX_CONTEXTS: usize = 64;
/// Most bytes of one context's JSON text.
pub const MAX_CONTEXT_BYTES: usize = 256 * 1024;

thread_local! {
    static CONTEXTS: RefCell<VecDeque<(String, Arc<Value>)>> = const { RefCell::new(VecDeque::new()) };
}

/// The contexts the caller's loader gave (the bundled ones are asked first by credcore-ld).
struct Held;

impl DocumentLoader for Held {
    fn load(&self, url: &str) -> Result<RemoteDocument, Error> {
        CONTEXTS
            .with(|c| {
                let held = c.try_borrow().ok()?;
                held.iter().find(|(u, _)| u == url).map(|(u, d)| RemoteDocument { url: u.clone(), document: Arc::clone(d) })
            })
            .ok_or_else(|| Error::context_unavailable(url))
    }
}

/// The hash data of a proof: 64 bytes, or the failure as `CODE \u{1} URL \u{1} message`.
///
/// # Errors
/// As [`credcore_ld::proof::hash_data_json`].
pub fn hash_data(document: &str, proof_config: &str) -> Result<Vec<u8>, String> {
    credcore_ld::proof::hash_data_json(document, proof_config, &Held)
        .map(|h| h.to_vec())
        .map_err(|e| format!("{}\u{1}{}\u{1}{}", e.code, e.context.unwrap_or_default(), e.message))
}

/// The SHA-384 hash data of a proof (ecdsa-rdfc-2019 with P-384): 96 bytes, or the failure as
/// `CODE \u{1} URL \u{1} message`.
///
/// # Errors
/// As [`credcore_ld::proof::hash_data_json_with`].
pub fn hash_data_sha384(document: &str, proof_config: &str) -> Result<Vec<u8>, String> {
    credcore_ld::proof::hash_data_json_with(document, proof_config, &Held, credcore_ld::rdfc::HashAlgorithm::Sha384)
        .map_err(|e| format!("{}\u{1}{}\u{1}{}", e.code, e.context.unwrap_or_default(), e.message))
}

/// Holds a context the caller's loader gave for `url` (JSON text), replacing one held for it.
///
/// # Errors
/// `INPUT_TOO_LARGE` over [`MAX_CONTEXT_BYTES`], `MALFORMED_INPUT` for text that is not a JSON
/// object.
pub fn add_context(url: &str, text: &str) -> Result<(), String> {
    if text.len() > MAX_CONTEXT_BYTES {
        return Err(format!("INPUT_TOO_LARGE\u{1}{url}\u{1}the context of {url} is over {MAX_CONTEXT_BYTES} bytes"));
    }
    let document: Value =
        serde_json::from_str(text).map_err(|e| format!("MALFORMED_INPUT\u{1}{url}\u{1}the context of {url} is not JSON: {e}"))?;
    if !document.is_object() {
        return Err(format!("MALFORMED_INPUT\u{1}{url}\u{1}the context of {url} is not a JSON object"));
    }
    CONTEXTS.with(|c| {
        let mut held = c.try_borrow_mut().map_err(|_| "INTERNAL_ERROR\u{1}\u{1}contexts busy".to_owned())?;
        held.retain(|(u, _)| u != url);
        if held.len() >= MAX_CONTEXTS {
            held.pop_front();
        }
        held.push_back((url.to_owned(), Arc::new(document)));
        Ok(())
    })
}

/// Forgets every context the caller's loader gave.
pub fn clear_contexts() {
    CONTEXTS.with(|c| {
        if let Ok(mut held) = c.try_borrow_mut() {
            held.clear();
        }
    });
}

#[cfg(target_arch = "wasm32")]
mod exports {
    use wasm_bindgen::prelude::*;

    /// See [`super::hash_data`]; a failure is thrown as its string.
    #[wasm_bindgen(js_name = hashData)]
    pub fn hash_data(document: &str, proof_config: &str) -> Result<Vec<u8>, JsValue> {
        super::hash_data(document, proof_config).map_err(|e| JsValue::from_str(&e))
    }

    /// See [`super::hash_data_sha384`]; a failure is thrown as its string.
    #[wasm_bindgen(js_name = hashDataSha384)]
    pub fn hash_data_sha384(document: &str, proof_config: &str) -> Result<Vec<u8>, JsValue> {
        super::hash_data_sha384(document, proof_config).map_err(|e| JsValue::from_str(&e))
    }

    /// See [`super::add_context`]; a failure is thrown as its string.
    #[wasm_bindgen(js_name = addContext)]
    pub fn add_context(url: &str, text: &str) -> Result<(), JsValue> {
        super::add_context(url, text).map_err(|e| JsValue::from_str(&e))
    }

    /// See [`super::clear_contexts`].
    #[wasm_bindgen(js_name = clearContexts)]
    pub fn clear_contexts() {
        super::clear_contexts();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn held_contexts_serve_and_are_bounded() {
        let doc = r#"{"@context": "https://example.org/ctx", "name": "x"}"#;
        let e = hash_data(doc, doc).unwrap_err();
        assert!(e.starts_with("JSONLD_CONTEXT_UNAVAILABLE\u{1}https://example.org/ctx\u{1}"), "{e}");
        add_context("https://example.org/ctx", r#"{"@context": {"name": "https://schema.org/name"}}"#).unwrap();
        assert_eq!(hash_data(doc, doc).unwrap().len(), 64);
        assert_eq!(hash_data_sha384(doc, doc).unwrap().len(), 96);
        for i in 0..MAX_CONTEXTS {
            add_context(&format!("https://example.org/{i}"), "{}").unwrap();
        }
        assert!(hash_data(doc, doc).unwrap_err().starts_with("JSONLD_CONTEXT_UNAVAILABLE"), "the oldest went");
        assert!(add_context("u", "[]").unwrap_err().starts_with("MALFORMED_INPUT"));
        assert!(add_context("u", &" ".repeat(MAX_CONTEXT_BYTES + 1)).unwrap_err().starts_with("INPUT_TOO_LARGE"));
        clear_contexts();
    }

    /// A context replaced by `add_context` (or withdrawn by `clear_contexts`) is never served
    /// from what was processed before: after each change the hash data is the one of a call
    /// that only ever saw the new context, with the bundled contexts around it cached.
    #[test]
    fn replaced_contexts_are_not_served_from_before() {
        struct One(Arc<Value>);
        impl DocumentLoader for One {
            fn load(&self, url: &str) -> Result<RemoteDocument, Error> {
                Ok(RemoteDocument { url: url.to_owned(), document: Arc::clone(&self.0) })
            }
        }
        let url = "https://example.org/replaced";
        let doc = format!(
            r#"{{"@context": ["https://www.w3.org/ns/credentials/v2", "{url}"], "type": ["VerifiableCredential", "Badge"], "issuer": "did:example:i", "level": 1, "credentialSubject": {{"id": "did:example:s"}}}}"#
        );
        let fresh = |ctx: &str| {
            let one = One(Arc::new(serde_json::from_str(ctx).unwrap()));
            credcore_ld::proof::hash_data_json(&doc, &doc, &one).map(|h| h.to_vec()).unwrap()
        };
        let first = r#"{"@context": {"Badge": "urn:example:Badge", "level": "urn:example:level-1"}}"#;
        let second = r#"{"@context": {"Badge": {"@id": "urn:example:Badge", "@context": {"level": "urn:example:level-2"}}}}"#;
        clear_contexts();
        for _ in 0..2 {
            add_context(url, first).unwrap();
            assert_eq!(hash_data(&doc, &doc).unwrap(), fresh(first));
            assert_eq!(hash_data(&doc, &doc).unwrap(), fresh(first));
            add_context(url, second).unwrap();
            assert_eq!(hash_data(&doc, &doc).unwrap(), fresh(second));
            assert_ne!(fresh(first), fresh(second));
            clear_contexts();
            assert!(hash_data(&doc, &doc).unwrap_err().starts_with("JSONLD_CONTEXT_UNAVAILABLE"));
        }
    }
}
