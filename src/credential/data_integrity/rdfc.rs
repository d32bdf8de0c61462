//! Data Integrity proofs over RDF: the eddsa-rdfc-2022 cryptosuite (W3C Data Integrity EdDSA
//! Cryptosuites v1.0, section 3.2) and, with its own proof configuration rules,
//! Ed25519Signature2020 ([`super::ed25519_signature_2020`]).
//!
//! The signed bytes are `SHA-256(canonical N-Quads of the proof configuration) ||
//! SHA-256(canonical N-Quads of the unsecured document)` (sections 3.2.3-3.2.5): JSON-LD toRdf in
//! safe mode and RDFC-1.0; for ecdsa-rdfc-2019 with a P-384 key the same with SHA-384
//! ([`hash_sha384`]). That machinery is credcore-ld, kept out of the default module; the
//! core reaches it through one seam, [`Canonicalizer`]: in-process with the `ld` feature
//! (native), or, in the wasm module, one synchronous call out to the separately loaded
//! credcore-ld module (`src/wasm/rdfc.rs`).
//!
//! Policy:
//! - The core builds both documents (here), after every cheap check of the proof; an item is
//!   canonicalized only when nothing else failed by the end of its checks (trust, dates, status
//!   shape, key: [`crate::credential::checks::PendingHash`]), so a forged, untrusted or expired
//!   item costs no JSON-LD work.
//! - The unsecured document is the document without `proof`; when the proof carries an
//!   `@context` it must equal the document's ([`super::eddsa_jcs_2022::signed_context`]: a
//!   signature covers what is shown). The proof configuration is the proof without
//!   `proofValue`, with the document's `@context` (section 3.2.5 step 4).
//! - Bounds: each document is bounded by credcore-ld's limits (contexts, context work, depth,
//!   values, quads; RDFC-1.0 calls, permutations and steps: linear work in the input's size),
//!   and each call by [`MAX_LIMIT_HITS_PER_CALL`] (the items that hit those bounds cost far more
//!   per byte than any other); past them an item is `INPUT_TOO_LARGE`.

use super::{ecdsa_jcs_2019, eddsa_jcs_2022};
use crate::error::{Error, ErrorCode, Result};
use crate::keys::{Algorithm, Signer};
use serde_json::{Map, Value};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// The cryptosuite's name, the proof's `cryptosuite`.
pub const NAME: &str = "eddsa-rdfc-2022";
/// ECDSA over RDF (W3C Data Integrity ECDSA Cryptosuites v1.0 section 3.5): with P-256 the same
/// hash data and an ES256 signature over them; with P-384 SHA-384 hash data
/// ([`Canonicalizer::hash_data_sha384`]) and an ES384 signature.
pub const ECDSA_NAME: &str = "ecdsa-rdfc-2019";

/// Most items of one call whose canonicalization hit a bound of credcore-ld (a poison graph
/// costs 15-75 ms before it is refused): after these, further items of the call are refused
/// before any work, so that a batch of poison graphs costs at most about half a second.
pub const MAX_LIMIT_HITS_PER_CALL: u32 = 8;

/// The RDF machinery the core needs: the hash data of a proof (see the module doc).
pub trait Canonicalizer {
    /// `SHA-256(RDFC(proof_config)) || SHA-256(RDFC(document))`, both given as JSON texts.
    ///
    /// # Errors
    /// `JSONLD_INVALID` (invalid JSON-LD, or refused by safe mode), `JSONLD_CONTEXT_UNAVAILABLE`
    /// (a context neither bundled nor loaded), `INPUT_TOO_LARGE` (a limit), `NOT_INITIALIZED`
    /// (the module is not loaded), `INTERNAL_ERROR`.
    fn hash_data(&self, document: &str, proof_config: &str) -> Result<[u8; 64]>;

    /// ecdsa-rdfc-2019 with P-384 (W3C Data Integrity ECDSA Cryptosuites v1.0 sections
    /// 3.5.2-3.5.4): `SHA-384(RDFC(proof_config)) || SHA-384(RDFC(document))`, with SHA-384 also
    /// RDFC-1.0's hash algorithm (blank node labels), as the W3C test vectors have it.
    ///
    /// Why the canonicalizer hashes (and not the core, from the two canonical texts): what
    /// crosses the seam stays 96 bytes whatever the document's size, and every bound
    /// (contexts, quads, RDFC-1.0 work) stays where the work is done, in credcore-ld.
    ///
    /// # Errors
    /// As [`Canonicalizer::hash_data`]; `UNSUPPORTED_CRYPTOSUITE` from a canonicalizer that does
    /// not compute them (the default).
    fn hash_data_sha384(&self, document: &str, proof_config: &str) -> Result<[u8; 96]> {
        let _ = (document, proof_config);
        Err(Error::new(ErrorCode::UnsupportedCryptosuite, "this Data Integrity module computes no SHA-384 hash data (ecdsa-rdfc-2019 with P-384)"))
    }
}

thread_local! {
    static INSTALLED: RefCell<Option<Rc<dyn Canonicalizer>>> = const { RefCell::new(None) };
    static LIMIT_HITS: Cell<u32> = const { Cell::new(0) };
}

/// Makes `canonicalizer` the one this thread's verifications use (the wasm boundary installs
/// the bridge to the credcore-ld module); `None` returns to the built-in one, if any.
#[cfg(any(target_arch = "wasm32", test, feature = "internals"))]
pub fn install(canonicalizer: Option<Rc<dyn Canonicalizer>>) {
    INSTALLED.with(|i| *i.borrow_mut() = canonicalizer);
}

/// The installed canonicalizer, else credcore-ld in-process (the `ld` feature).
fn current() -> Option<Rc<dyn Canonicalizer>> {
    INSTALLED.with(|i| i.borrow().clone()).or_else(built_in)
}

#[cfg(feature = "ld")]
fn built_in() -> Option<Rc<dyn Canonicalizer>> {
    Some(Rc::new(in_process::InProcess))
}

/// The [`Canonicalizer`] of native builds with the `ld` feature: credcore-ld in-process, with its
/// bundled contexts only (nothing is fetched; the JS package's `documentLoader` feeds the wasm
/// module's copy instead).
#[cfg(feature = "ld")]
mod in_process {
    use super::{code_of, Canonicalizer};
    use crate::error::{Error, ErrorCode, Result};
    use credcore_ld::jsonld::NoLoader;
    use credcore_ld::rdfc::HashAlgorithm;

    /// credcore-ld, called directly.
    pub struct InProcess;

    impl Canonicalizer for InProcess {
        fn hash_data(&self, document: &str, proof_config: &str) -> Result<[u8; 64]> {
            credcore_ld::proof::hash_data_json(document, proof_config, &NoLoader).map_err(|e| Error::new(code_of(e.code), e.message))
        }

        fn hash_data_sha384(&self, document: &str, proof_config: &str) -> Result<[u8; 96]> {
            let data = credcore_ld::proof::hash_data_json_with(document, proof_config, &NoLoader, HashAlgorithm::Sha384)
                .map_err(|e| Error::new(code_of(e.code), e.message))?;
            <[u8; 96]>::try_from(data.as_slice()).map_err(|_| Error::new(ErrorCode::InternalError, "SHA-384 hash data are 96 bytes"))
        }
    }
}

#[cfg(not(feature = "ld"))]
fn built_in() -> Option<Rc<dyn Canonicalizer>> {
    None
}

/// Starts a call's budget ([`MAX_LIMIT_HITS_PER_CALL`]): every entry point that verifies calls
/// it first.
pub fn begin_call() {
    resume_call(0);
}

/// Goes on with a call's budget after `hits` limit hits (a call in steps, between which other
/// calls may run).
pub fn resume_call(hits: u32) {
    LIMIT_HITS.with(|b| b.set(hits));
}

/// The limit hits of the call under way.
pub fn limit_hits() -> u32 {
    LIMIT_HITS.with(Cell::get)
}

/// The credcore code of a credcore-ld code string.
pub fn code_of(ld_code: &str) -> ErrorCode {
    match ld_code {
        "JSONLD_INVALID" | "JSONLD_UNSAFE" => ErrorCode::JsonLdInvalid,
        "JSONLD_CONTEXT_UNAVAILABLE" => ErrorCode::ContextUnavailable,
        "JSONLD_LIMIT" | "CANONICALIZATION_LIMIT" | "INPUT_TOO_LARGE" => ErrorCode::InputTooLarge,
        "MALFORMED_INPUT" => ErrorCode::MalformedInput,
        other => ErrorCode::parse(other).unwrap_or(ErrorCode::InternalError),
    }
}

/// The hash data of one proof through the current [`Canonicalizer`], within the call's budget.
///
/// # Errors
/// As [`Canonicalizer::hash_data`]; `INPUT_TOO_LARGE` when the call's budget is spent;
/// `UNSUPPORTED_CRYPTOSUITE` when this build has no canonicalizer.
pub fn hash(document: &str, proof_config: &str) -> Result<[u8; 64]> {
    within_budget(|c| c.hash_data(document, proof_config))
}

/// The SHA-384 hash data of one proof (ecdsa-rdfc-2019 with P-384) through the current
/// [`Canonicalizer`], within the call's budget.
///
/// # Errors
/// As [`hash`] and [`Canonicalizer::hash_data_sha384`].
pub fn hash_sha384(document: &str, proof_config: &str) -> Result<[u8; 96]> {
    within_budget(|c| c.hash_data_sha384(document, proof_config))
}

/// `work` with the current canonicalizer, unless the call's budget is spent; a limit hit counts.
fn within_budget<T>(work: impl FnOnce(&dyn Canonicalizer) -> Result<T>) -> Result<T> {
    let hits = LIMIT_HITS.with(Cell::get);
    if hits >= MAX_LIMIT_HITS_PER_CALL {
        return Err(Error::new(ErrorCode::InputTooLarge, "this call's JSON-LD canonicalization budget is spent: verify the rest in another call"));
    }
    let Some(c) = current() else {
        return Err(Error::new(ErrorCode::UnsupportedCryptosuite, "this build verifies no Data Integrity proofs over RDF"));
    };
    let out = work(c.as_ref());
    let hit = matches!(&out, Err(e) if e.code == ErrorCode::InputTooLarge);
    LIMIT_HITS.with(|b| b.set(hits + u32::from(hit)));
    out
}

/// The two JSON texts a proof's hash data is computed over (see the module doc): the unsecured
/// document (without `proof`, with the `@context` the proof signed) and the proof configuration
/// (`proof` without `proofValue`, with that `@context`).
///
/// # Errors
/// `PAYLOAD_MISMATCH` when the proof's `@context` is not the document's.
pub fn documents(document: &Map<String, Value>, proof: &Map<String, Value>) -> Result<(String, String)> {
    let signed = super::eddsa_jcs_2022::signed_context(document, proof)?;
    let context = signed.or_else(|| document.get("@context"));
    let mut unsecured = Vec::with_capacity(document.len());
    for (name, value) in document {
        match name.as_str() {
            "proof" => {}
            "@context" => unsecured.push((name.as_str(), context.unwrap_or(&Value::Null))),
            _ => unsecured.push((name.as_str(), value)),
        }
    }
    let mut config = Vec::with_capacity(proof.len() + 1);
    if let Some(c) = context {
        config.push(("@context", c));
    }
    for (name, value) in proof {
        if name != "proofValue" && name != "@context" {
            config.push((name.as_str(), value));
        }
    }
    Ok((Entries(unsecured).text()?, Entries(config).text()?))
}

/// A JSON object's entries, borrowed: serialized as the object of them would be (compact, in
/// order), without copying the values first (a deep copy of the document cost about as much as
/// writing it).
struct Entries<'a>(Vec<(&'a str, &'a Value)>);

impl Entries<'_> {
    fn text(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::new(ErrorCode::InternalError, format!("a JSON document: {e}")))
    }
}

impl serde::Serialize for Entries<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().copied())
    }
}

/// Create Proof over RDF (eddsa-rdfc-2022, EdDSA Cryptosuites v1.0 section 3.2.1;
/// ecdsa-rdfc-2019, ECDSA Cryptosuites v1.0 section 3.5.1): `options` (without `proofValue`)
/// become the proof, and `proofValue` the signature of their hash data with `unsecured` ([`hash`],
/// or [`hash_sha384`] for a P-384 key). As in the W3C vectors, the proof carries no `@context`:
/// its configuration is hashed with the document's.
///
/// # Errors
/// `UNSUPPORTED_ALGORITHM` for a key the cryptosuite named in `options` does not sign with
/// (eddsa-rdfc-2022: Ed25519; ecdsa-rdfc-2019: P-256, P-384), before any canonicalization; as
/// [`hash`] (`NOT_INITIALIZED` when the wasm module's Data Integrity module is not loaded,
/// `JSONLD_INVALID` for a term the contexts do not define).
pub fn create_proof(unsecured: &Map<String, Value>, mut options: Map<String, Value>, key: &dyn Signer) -> Result<Map<String, Value>> {
    options.remove("proofValue");
    let suite = options.get("cryptosuite").and_then(Value::as_str).unwrap_or_default();
    let fits = match suite {
        NAME => key.algorithm() == Algorithm::EdDsa,
        ECDSA_NAME => matches!(key.algorithm(), Algorithm::Es256 | Algorithm::Es384),
        _ => false,
    };
    if !fits {
        let why = if suite == NAME { "eddsa-rdfc-2022 signs with Ed25519 keys" } else { "ecdsa-rdfc-2019 signs with P-256 and P-384 keys (ES256, ES384)" };
        return Err(Error::new(ErrorCode::UnsupportedAlgorithm, why));
    }
    let (document, config) = documents(unsecured, &options)?;
    begin_call();
    let proof_value = match key.algorithm() {
        Algorithm::EdDsa => eddsa_jcs_2022::encode_proof_value(&eddsa_jcs_2022::serialize_proof(&hash(&document, &config)?, key)?),
        // ECDSA: the curve's hash data, signed as ecdsa-jcs-2019 signs its own (section 3.5.6).
        alg => {
            let data = if alg == Algorithm::Es384 { hash_sha384(&document, &config)?.to_vec() } else { hash(&document, &config)?.to_vec() };
            ecdsa_jcs_2019::encode_proof_value(&ecdsa_jcs_2019::serialize_proof(&data, key)?)
        }
    };
    options.insert("proofValue".into(), proof_value.into());
    Ok(options)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    struct Fixed(ErrorCode);
    impl Canonicalizer for Fixed {
        fn hash_data(&self, _: &str, _: &str) -> Result<[u8; 64]> {
            Err(Error::new(self.0, "fixed"))
        }
    }

    #[test]
    fn the_documents_are_the_document_and_the_proof_options() {
        let doc = json!({"@context": ["a"], "x": 1, "proof": {"type": "T", "proofValue": "z1", "@context": ["a"]}});
        let d = doc.as_object().unwrap();
        let (unsecured, config) = documents(d, d["proof"].as_object().unwrap()).unwrap();
        assert_eq!(unsecured, r#"{"@context":["a"],"x":1}"#);
        assert_eq!(config, r#"{"@context":["a"],"type":"T"}"#);
        // The same texts as the objects of those entries, written by serde_json.
        let doc = json!({"@context": ["a", {"x": "urn:x"}], "id": "urn:\u{1}\"q\"", "n": [1.5, -0, 1e300, null, true], "proof": {"proofValue": "z", "type": "T", "nested": {"a": {"b": []}}}});
        let d = doc.as_object().unwrap();
        let (unsecured, config) = documents(d, d["proof"].as_object().unwrap()).unwrap();
        let mut expected = d.clone();
        expected.remove("proof");
        assert_eq!(unsecured, Value::Object(expected).to_string());
        assert_eq!(config, json!({"@context": ["a", {"x": "urn:x"}], "type": "T", "nested": {"a": {"b": []}}}).to_string());
        let other = json!({"@context": ["b"]});
        assert_eq!(documents(d, other.as_object().unwrap()).unwrap_err().code, ErrorCode::PayloadMismatch);
    }

    #[test]
    fn a_call_stops_after_its_limit_hits() {
        install(Some(Rc::new(Fixed(ErrorCode::InputTooLarge))));
        begin_call();
        for _ in 0..MAX_LIMIT_HITS_PER_CALL {
            assert_eq!(hash("{}", "{}").unwrap_err().message, "fixed");
        }
        assert_ne!(hash("{}", "{}").unwrap_err().message, "fixed", "refused before any work");
        assert_ne!(hash_sha384("{}", "{}").unwrap_err().message, "fixed", "the same budget for SHA-384 hash data");
        begin_call();
        assert_eq!(hash("{}", "{}").unwrap_err().message, "fixed");
        // A canonicalizer without SHA-384 hash data refuses them with a code, counted as no hit.
        begin_call();
        assert_eq!(hash_sha384("{}", "{}").unwrap_err().code, ErrorCode::UnsupportedCryptosuite);
        assert_eq!(limit_hits(), 0);
        install(None);
        assert_eq!(code_of("JSONLD_UNSAFE"), ErrorCode::JsonLdInvalid);
        assert_eq!(code_of("CANONICALIZATION_LIMIT"), ErrorCode::InputTooLarge);
    }
}
