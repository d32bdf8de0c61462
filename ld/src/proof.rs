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
use sha2::{Digest, Sha256, Sha384};

use crate::jsonld::{self, DocumentLoader, Options};
use crate::rdfc::{self, HashAlgorithm};

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
    Ok(Sha256::digest(canonical_nquads(document, loader, what, HashAlgorithm::Sha256)?.as_bytes()).into())
}

/// The canonical N-Quads of `document`: JSON-LD toRdf in safe mode, then RDFC-1.0 with `hash`
/// as its hash algorithm (blank node labels): SHA-256, its default, except for ecdsa-rdfc-2019
/// with P-384, whose W3C test vectors label blank nodes with SHA-384.
///
/// # Errors
/// As [`hash_data`].
pub fn canonical_nquads(document: &Value, loader: &dyn DocumentLoader, what: &str, hash: HashAlgorithm) -> Result<String, HashError> {
    let quads = jsonld::to_rdf(document, loader, &Options::default()).map_err(|e| HashError {
        code: e.code.as_str(),
        context: (e.code == jsonld::Code::ContextUnavailable).then(|| e.message.trim_start_matches("no context for ").to_owned()),
        message: format!("{what}: {e}"),
    })?;
    let canonical = rdfc::canonicalize(&quads, &rdfc::Options::with_hash(hash)).map_err(|e| HashError {
        code: e.code.as_str(),
        message: format!("{what}: {e}"),
        context: None,
    })?;
    Ok(canonical.nquads)
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

/// [`hash_data`] of two JSON texts. The digest of a proof configuration text already
/// canonicalized on this thread with bundled contexts alone is not computed again
/// ([`crate::proof_cache`]).
///
/// # Errors
/// `MALFORMED_INPUT` for text that is not JSON; otherwise as [`hash_data`].
pub fn hash_data_json(document: &str, proof_config: &str, loader: &dyn DocumentLoader) -> Result<[u8; 64], HashError> {
    let data = hash_data_json_with(document, proof_config, loader, HashAlgorithm::Sha256)?;
    <[u8; 64]>::try_from(data.as_slice()).map_err(|_| HashError {
        code: "INPUT_TOO_LARGE",
        message: "SHA-256 hash data are 64 bytes".into(),
        context: None,
    })
}

/// The hash data of a proof whose cryptosuite hashes with `hash` (W3C Data Integrity ECDSA
/// Cryptosuites v1.0 sections 3.5.2-3.5.4: SHA-256 for P-256, SHA-384 for P-384, both as
/// RDFC-1.0's hash algorithm and as the hash of the canonical forms): `hash(canonical proof
/// configuration) || hash(canonical document)`, 64 or 96 bytes, of two JSON texts. As
/// [`hash_data_json`], a proof configuration's digest may come from [`crate::proof_cache`].
///
/// # Errors
/// As [`hash_data_json`].
pub fn hash_data_json_with(
    document: &str,
    proof_config: &str,
    loader: &dyn DocumentLoader,
    hash: HashAlgorithm,
) -> Result<Vec<u8>, HashError> {
    let document = parse(document, "the document")?;
    let what = "the proof configuration";
    let mut out = crate::proof_cache::digest(proof_config, hash, loader, |loader| digest(&parse(proof_config, what)?, loader, what, hash))?;
    out.extend_from_slice(&digest(&document, loader, "the document", hash)?);
    Ok(out)
}

/// `hash` of the canonical N-Quads of `document` (32 or 48 bytes).
fn digest(document: &Value, loader: &dyn DocumentLoader, what: &str, hash: HashAlgorithm) -> Result<Vec<u8>, HashError> {
    let nquads = canonical_nquads(document, loader, what, hash)?;
    Ok(match hash {
        HashAlgorithm::Sha256 => Sha256::digest(nquads.as_bytes()).to_vec(),
        HashAlgorithm::Sha384 => Sha384::digest(nquads.as_bytes()).to_vec(),
    })
}

/// `text` as JSON, or `MALFORMED_INPUT` naming `what`.
fn parse(text: &str, what: &str) -> Result<Value, HashError> {
    serde_json::from_str::<Value>(text).map_err(|e| HashError { code: "MALFORMED_INPUT", message: format!("{what}: {e}"), context: None })
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
        assert_eq!(hash_data_json_with("{}", "{", &NoLoader, HashAlgorithm::Sha384).unwrap_err().code, "MALFORMED_INPUT");
    }

    #[test]
    fn sha384_hash_data_are_two_sha384_digests_of_the_same_canonical_forms() {
        let doc = r#"{"@context": {"name": "https://schema.org/name"}, "name": "x"}"#;
        let config = r#"{"@context": {"n": "https://schema.org/n"}, "n": "y"}"#;
        let short = hash_data_json_with(doc, config, &NoLoader, HashAlgorithm::Sha256).unwrap();
        assert_eq!(short, hash_data_json(doc, config, &NoLoader).unwrap().to_vec());
        let long = hash_data_json_with(doc, config, &NoLoader, HashAlgorithm::Sha384).unwrap();
        let nquads = |t: &str| canonical_nquads(&serde_json::from_str(t).unwrap(), &NoLoader, "x", HashAlgorithm::Sha384).unwrap();
        let mut expected = Sha384::digest(nquads(config).as_bytes()).to_vec();
        expected.extend_from_slice(&Sha384::digest(nquads(doc).as_bytes()));
        assert_eq!((long.len(), long), (96, expected));
    }
}
