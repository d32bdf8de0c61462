//! Boundary for canonical JSON, HMAC and the hash-chained audit log.

use super::{to_js, JsResult};
use crate::audit::{self, AuditLog, ChainHead, Checkpoint, Entry};
use crate::batch::wire;
use crate::error::Error;
use crate::keys::KeyPair;
use crate::limits::{check_len, MAX_MESSAGE_BYTES};

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

fn from_json<T: DeserializeOwned>(text: &str, what: &str) -> JsResult<T> {
    serde_json::from_str(text).map_err(|e| to_js(Error::malformed(format!("invalid {what}: {e}")).at(what.to_owned())))
}

fn to_json<T: Serialize>(value: &T) -> JsResult<String> {
    serde_json::to_string(value).map_err(|e| to_js(Error::malformed(format!("cannot serialize: {e}"))))
}

/// `keyId, key, keyId, key, ...` packed into a map.
fn keys_from_packed(buffer: &[u8]) -> JsResult<BTreeMap<String, Vec<u8>>> {
    let fields = wire::unpack(buffer)?;
    let mut keys = BTreeMap::new();
    for pair in fields.chunks(2) {
        let (Some(id), Some(key)) = (pair.first(), pair.get(1)) else {
            return Err(to_js(Error::malformed("keys must pair each key id with a key").at("keys")));
        };
        let id = String::from_utf8(id.to_vec()).map_err(|_| to_js(Error::malformed("a key id is not UTF-8").at("keys")))?;
        keys.insert(id, key.to_vec());
    }
    Ok(keys)
}

fn entries_from(text: &str) -> JsResult<Vec<Entry>> {
    check_len(text.len(), MAX_MESSAGE_BYTES * 4, "entries")?;
    from_json(text, "entries")
}

/// A hash-chained, HMAC-tagged audit log.
#[wasm_bindgen(js_name = AuditLog)]
pub struct AuditLogHandle {
    inner: AuditLog,
}

#[wasm_bindgen(js_class = AuditLog)]
impl AuditLogHandle {
    /// A new log (or, with `head_json`, one that resumes a chain from its head).
    #[wasm_bindgen(constructor)]
    pub fn new(hmac_key: &[u8], key_id: &str, head_json: Option<String>) -> JsResult<AuditLogHandle> {
        let inner = match head_json {
            None => AuditLog::new(hmac_key, key_id),
            Some(text) => AuditLog::resume(hmac_key, key_id, from_json::<ChainHead>(&text, "head")?),
        }?;
        Ok(AuditLogHandle { inner })
    }

    /// Appends events (a JSON array, as UTF-8); returns the new links without their events:
    /// the JSON text `{ firstSeq, prevHash, keyId, time }`, a line feed, then 128 hex digits
    /// per entry (its hash, then its MAC).
    pub fn append(&mut self, events_json: &[u8], now_ms: f64) -> JsResult<String> {
        let text = core::str::from_utf8(events_json).map_err(|_| to_js(Error::malformed("events are not UTF-8").at("events")))?;
        let now = if now_ms.is_finite() && now_ms >= 0.0 { now_ms as u64 } else { 0 };
        let appended = self.inner.append_json(text, now)?;
        let mut out = to_json(&appended)?;
        out.push('\n');
        out.push_str(&appended.links_hex());
        Ok(out)
    }

    /// Switches to a new HMAC key for the entries appended from now on.
    pub fn rotate(&mut self, hmac_key: &[u8], key_id: &str) -> JsResult<()> {
        Ok(self.inner.rotate(hmac_key, key_id)?)
    }

    /// The chain head `{ count, headHash }` as JSON text.
    pub fn head(&self) -> JsResult<String> {
        to_json(&self.inner.head())
    }

    /// A checkpoint over the head, signed with an Ed25519 secret key, as JSON text.
    pub fn checkpoint(&self, signer_secret: &[u8]) -> JsResult<String> {
        let signer = KeyPair::from_seed_slice(signer_secret).map_err(|e| to_js(e.at("signer")))?;
        to_json(&self.inner.checkpoint(&signer)?)
    }

    /// Verifies entries from genesis; `keys_packed` holds key id and key pairs.
    #[wasm_bindgen(js_name = verify)]
    pub fn verify(entries_json: &str, keys_packed: &[u8]) -> JsResult<String> {
        let entries = entries_from(entries_json)?;
        to_json(&AuditLog::verify(&entries, &keys_from_packed(keys_packed)?))
    }

    /// Verifies entries that continue from a trusted head.
    #[wasm_bindgen(js_name = verifyFrom)]
    pub fn verify_from(head_json: &str, entries_json: &str, keys_packed: &[u8]) -> JsResult<String> {
        let head: ChainHead = from_json(head_json, "head")?;
        let entries = entries_from(entries_json)?;
        to_json(&AuditLog::verify_from(&head, &entries, &keys_from_packed(keys_packed)?))
    }

    /// Verifies entries against a checkpoint signed by `trusted_signer` (a did:key).
    #[wasm_bindgen(js_name = verifyWithCheckpoint)]
    pub fn verify_with_checkpoint(entries_json: &str, keys_packed: &[u8], checkpoint_json: &str, trusted_signer: &str) -> JsResult<String> {
        let entries = entries_from(entries_json)?;
        let checkpoint: Checkpoint = from_json(checkpoint_json, "checkpoint")?;
        to_json(&AuditLog::verify_with_checkpoint(&entries, &keys_from_packed(keys_packed)?, &checkpoint, trusted_signer))
    }

    /// Entries as JSON Lines.
    #[wasm_bindgen(js_name = toJsonl)]
    pub fn to_jsonl(entries_json: &str) -> JsResult<String> {
        Ok(audit::to_jsonl(&entries_from(entries_json)?)?)
    }

    /// Entries from JSON Lines (strict), as a JSON array text.
    #[wasm_bindgen(js_name = fromJsonl)]
    pub fn from_jsonl(text: &str) -> JsResult<String> {
        to_json(&audit::from_jsonl(text)?)
    }
}
