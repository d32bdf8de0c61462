//! The hash data of a Data Integrity proof over RDF (W3C Data Integrity EdDSA Cryptosuites v1.0:
//! eddsa-rdfc-2022 sections 3.2.3-3.2.5, and the Ed25519Signature2020 suite of the same note):
//! `SHA-256(canonical N-Quads of the proof configuration) || SHA-256(canonical N-Quads of the
//! unsecured document)`, each deserialized to RDF in safe mode ([`crate::jsonld::to_rdf`]) and
//! canonicalized with RDFC-1.0 ([`crate::rdfc`]), under their bounds.
//!
//! The caller (credcore's core) decides what the two documents are (the proof options without
//! `proofValue` and with the document's `@context`; the document without `proof`): the rules
//! of each suite live there, the RDF machinery here.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::jsonld::{self, DocumentLoader, Options};
use crate::rdfc;

/// A failure of [`hash_data`]: a stable code string (the codes of [`crate::jsonld::Code`] and
/// [`crate::ErrorCode`]) and a message naming which document failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HashError {
    /// `JSONLD_INVALID`, `JSONLD_UNSAFE`, `JSONLD_LIMIT`, `JSONLD_CONTEXT_UNAVAILABLE`,
    /// `MALFORMED_INPUT`, `INPUT_TOO_LARGE` or `CANONICALIZATION_LIMIT`.
    pub code: &'static str,
    /// What happened, for people.
    pub message: String,
    /// The URL of the context that could not be had (`JSONLD_CONTEXT_UNAVAILABLE` only).
    pub context: Option<String>,
}

/// The SHA-256 of the canonical N-Quads of `document`.
///
/// # Errors
/// As [`hash_data`].
pub fn canonical_hash(document: &Value, loader: &dyn DocumentLoader, what: &str) -> Result<[u8; 32], HashError> {
    let quads = jsonld::to_rdf(document, loader, &Options::default()).map_err(|e| HashError {
        code: e.code.as_str(),
        context: (e.code == jsonld::Code::ContextUnavailable).then(|| e.message.trim_start_matches("no context for ").to_owned()),
        message: format!("{what}: {e}"),
    })?;
    let canonical = rdfc::canonicalize(&quads, &rdfc::Options::default()).map_err(|e| HashError {
        code: e.code.as_str(),
        message: format!("{what}: {e}"),
        context: None,
    })?;
    Ok(Sha256::digest(canonical.nquads.as_bytes()).into())
}

/// The 64 bytes a proof's Ed25519 signature is over: the proof configuration's hash, then the
/// unsecured document's (eddsa-rdfc-2022 section 3.2.4 step 3; the same order for
/// Ed25519Signature2020).
///
/// # Errors
/// The first failure of either document, as [`HashError`].
pub fn hash_data(document: &Value, proof_config: &Value, loader: &dyn DocumentLoader) -> Result<[u8; 64], HashError> {
    let config = canonical_hash(proof_config, loader, "the proof configuration")?;
    let doc = canonical_hash(document, loader, "the document")?;
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(&config);
    out[32..].copy_from_slice(&doc);
    Ok(out)
}

/// [`hash_data`] of two JSON texts.
///
/// # Errors
/// `MALFORMED_INPUT` for text that is not JSON; otherwise as [`hash_data`].
pub fn hash_data_json(document: &str, proof_config: &str, loader: &dyn DocumentLoader) -> Result<[u8; 64], HashError> {
    let parse = |text: &str, what: &str| {
        serde_json::from_str::<Value>(text).map_err(|e| HashError {
            code: "MALFORMED_INPUT",
            message: format!("{what}: {e}"),
            context: None,
        })
    };
    hash_data(&parse(document, "the document")?, &parse(proof_config, "the proof configuration")?, loader)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::jsonld::NoLoader;
    use serde_json::json;

    #[test]
    fn unknown_contexts_are_named() {
        let doc = json!({"@context": "https://example.invalid/ctx", "name": "x"});
        let e = hash_data(&doc, &doc, &NoLoader).unwrap_err();
        assert_eq!((e.code, e.context.as_deref()), ("JSONLD_CONTEXT_UNAVAILABLE", Some("https://example.invalid/ctx")));
        assert_eq!(hash_data_json("{", "{}", &NoLoader).unwrap_err().code, "MALFORMED_INPUT");
    }
}
