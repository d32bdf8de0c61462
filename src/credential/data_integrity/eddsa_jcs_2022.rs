//! The eddsa-jcs-2022 cryptosuite (W3C Data Integrity EdDSA Cryptosuites v1.0, section 3.3):
//! JCS (RFC 8785) canonical forms, SHA-256, Pure Ed25519 (RFC 8032).
//!
//! The signed bytes (`hashData`, section 3.3.4) are
//! `SHA-256(JCS(proof options)) || SHA-256(JCS(unsecured document))`, 64 bytes, in that order:
//! the proof options are the proof without `proofValue` (with the document's `@context` copied
//! in when the proof was created, section 3.3.1 step 2), the unsecured document is the document
//! without `proof`. `proofValue` is the 64-byte signature in multibase base58btc (`z...`).
//!
//! Each step is its own function, named after its section, so that the W3C test vectors check
//! every intermediate value (`tests/data_integrity.rs`).

use crate::encoding::{b58_decode, b58_encode};
use crate::error::{Error, ErrorCode, Result};
use crate::hash::{digest, sha256, HashAlg};
use crate::jcs::write_members;
use crate::keys::{Algorithm, Signer};
use crate::limits::MAX_DEPTH_CEILING;
use crate::time::parse_rfc3339;
use serde_json::{Map, Value};

/// The cryptosuite's name, the proof's `cryptosuite`.
pub const NAME: &str = "eddsa-jcs-2022";
/// The proof `type` of every Data Integrity cryptosuite.
pub const PROOF_TYPE: &str = "DataIntegrityProof";
/// The longest base58btc spelling of 64 bytes (88 characters) plus the multibase prefix: longer
/// `proofValue`s are refused before decoding (base58 decoding is quadratic in the length).
const MAX_PROOF_VALUE_CHARS: usize = 89;

/// Transformation (section 3.3.3): the JCS form of the unsecured document, which is `document`
/// without its `proof` member, and with its `@context` replaced by `context` when given
/// (Verify Proof, section 3.3.2 step 4.2). Written from the members as they are, without copying
/// the document.
///
/// # Errors
/// `MALFORMED_INPUT` for a number JCS cannot write; `INPUT_TOO_LARGE` past the nesting ceiling.
pub fn transform(document: &Map<String, Value>, context: Option<&Value>) -> Result<String> {
    let members = document.iter().filter(|(name, _)| name.as_str() != "proof").map(|(name, value)| match (name.as_str(), context) {
        ("@context", Some(c)) => (name.as_str(), c),
        _ => (name.as_str(), value),
    });
    let mut out = String::with_capacity(256);
    write_members(members, &mut out, MAX_DEPTH_CEILING)?;
    Ok(out)
}

/// Proof Configuration (section 3.3.5): the JCS form of the proof options (`options` without
/// `proofValue`), after checking that they name this cryptosuite and that `created`, when
/// present, is a date-time.
///
/// # Errors
/// `UNSUPPORTED_CRYPTOSUITE` for another `type` or `cryptosuite`; `MALFORMED_INPUT` for a
/// `created` that is not an RFC 3339 date-time with an offset (an XML Schema dateTimeStamp).
#[cfg(any(test, feature = "internals"))]
pub fn proof_config(options: &Map<String, Value>) -> Result<String> {
    proof_config_of(options, NAME)
}

/// [`proof_config`] for the JCS cryptosuite `suite` (ecdsa-jcs-2019's Proof Configuration,
/// section 3.3.5 of the ECDSA Cryptosuites, is the same algorithm).
///
/// # Errors
/// As [`proof_config`].
pub fn proof_config_of(options: &Map<String, Value>, suite: &str) -> Result<String> {
    let named = |key: &str, want: &str| options.get(key).and_then(Value::as_str) == Some(want);
    if !(named("type", PROOF_TYPE) && named("cryptosuite", suite)) {
        return Err(Error::new(ErrorCode::UnsupportedCryptosuite, format!("the proof options are not a {PROOF_TYPE} of {suite}")));
    }
    if let Some(created) = options.get("created") {
        created.as_str().map(parse_rfc3339).transpose().map_err(|e| e.at("created"))?.ok_or_else(|| {
            Error::malformed("'created' must be a date-time string").at("created")
        })?;
    }
    let mut out = String::with_capacity(256);
    write_members(options.iter().filter(|(name, _)| name.as_str() != "proofValue").map(|(n, v)| (n.as_str(), v)), &mut out, MAX_DEPTH_CEILING)?;
    Ok(out)
}

/// Hashing (section 3.3.4): `SHA-256(canonical proof config) || SHA-256(transformed document)`.
pub fn hash_data(transformed_document: &str, canonical_proof_config: &str) -> [u8; 64] {
    join_hashes(&sha256(canonical_proof_config.as_bytes()), &sha256(transformed_document.as_bytes()))
}

/// The proof configuration's hash followed by the document's (section 3.3.4 step 3).
pub fn join_hashes(proof_config_hash: &[u8; 32], document_hash: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(proof_config_hash);
    out[32..].copy_from_slice(document_hash);
    out
}

/// Proof Serialization (section 3.3.6): the Ed25519 signature of the hash data.
///
/// # Errors
/// `UNSUPPORTED_ALGORITHM` for a key that is not an Ed25519 key.
pub fn serialize_proof(hash_data: &[u8; 64], key: &dyn Signer) -> Result<[u8; 64]> {
    if key.algorithm() != Algorithm::EdDsa {
        return Err(Error::new(
            ErrorCode::UnsupportedAlgorithm,
            format!("eddsa-jcs-2022 signs with Ed25519 keys, not {}: use cryptosuite 'ecdsa-jcs-2019' or 'vc-jwt' for this key", key.algorithm()),
        ));
    }
    <[u8; 64]>::try_from(key.sign_message(hash_data).as_slice())
        .map_err(|_| Error::new(ErrorCode::InternalError, "an Ed25519 signature is 64 bytes"))
}

/// The `proofValue` of a signature: multibase base58btc (`z` + base58btc, section 2.2.1).
pub fn encode_proof_value(signature: &[u8; 64]) -> String {
    format!("z{}", b58_encode(signature))
}

/// The signature a `proofValue` carries.
///
/// Policy: only the base58btc multibase header (`z`) is accepted, as section 2.2.1 requires
/// (some libraries also read base64url, `u`), and the value must decode to exactly 64 bytes.
///
/// # Errors
/// `MALFORMED_INPUT` for anything else.
pub fn decode_proof_value(text: &str) -> Result<[u8; 64]> {
    let Some(encoded) = text.strip_prefix('z') else {
        return Err(Error::malformed("a proofValue is multibase base58btc: it starts with 'z'"));
    };
    if text.len() > MAX_PROOF_VALUE_CHARS {
        return Err(Error::malformed("a proofValue of eddsa-jcs-2022 is a 64-byte signature: this one is too long"));
    }
    let bytes = b58_decode(encoded)?;
    <[u8; 64]>::try_from(bytes.as_slice())
        .map_err(|_| Error::malformed(format!("a proofValue of eddsa-jcs-2022 is a 64-byte signature, not {} bytes", bytes.len())))
}

/// The `@context` the proof was created over (Verify Proof, section 3.3.2 step 4): the proof's
/// own, which the document's must equal, or `None` when the proof has none (the document's
/// `@context` is then signed as part of the document).
///
/// Policy: the specification accepts a document whose `@context` only starts with the proof's
/// and signs the proof's in its place, so that entries appended after signing are not covered
/// by the signature. A signature covers what is shown: here the two must be equal (a string
/// and a one-element array holding it count as equal, as in JSON-LD).
///
/// # Errors
/// `PAYLOAD_MISMATCH` (at `@context`) when they differ.
pub fn signed_context<'p>(document: &Map<String, Value>, proof: &'p Map<String, Value>) -> Result<Option<&'p Value>> {
    let Some(signed) = proof.get("@context") else { return Ok(None) };
    let as_list = |v: &Value| -> Vec<Value> {
        match v {
            Value::Array(items) => items.clone(),
            other => vec![other.clone()],
        }
    };
    match document.get("@context") {
        Some(shown) if as_list(shown) == as_list(signed) => Ok(Some(signed)),
        Some(_) => Err(Error::new(ErrorCode::PayloadMismatch, "the document's @context is not the @context its proof signed").at("@context")),
        None => Err(Error::new(ErrorCode::PayloadMismatch, "the proof signed an @context the document does not have").at("@context")),
    }
}

/// The document hashes of one document, computed once per distinct `@context` its proofs sign
/// and hash function (a proof set signs one document: usually one hash serves every proof).
pub struct DocumentHashes<'a> {
    document: &'a Map<String, Value>,
    hashes: Vec<(Option<&'a Value>, HashAlg, Vec<u8>)>,
}

impl<'a> DocumentHashes<'a> {
    /// The hashes of `document` (none computed yet).
    pub fn new(document: &'a Map<String, Value>) -> Self {
        DocumentHashes { document, hashes: Vec::new() }
    }

    /// SHA-256 of the transformed document, with `context` in place of its `@context` if given.
    ///
    /// # Errors
    /// As [`transform`].
    #[cfg(any(test, feature = "internals"))]
    pub fn get(&mut self, context: Option<&'a Value>) -> Result<[u8; 32]> {
        let h = self.digest(HashAlg::Sha256, context)?;
        <[u8; 32]>::try_from(h.as_slice()).map_err(|_| Error::new(ErrorCode::InternalError, "a SHA-256 digest is 32 bytes"))
    }

    /// The `alg` digest of the transformed document, with `context` in place of its `@context`
    /// if given.
    ///
    /// # Errors
    /// As [`transform`].
    pub fn digest(&mut self, alg: HashAlg, context: Option<&'a Value>) -> Result<Vec<u8>> {
        if let Some((_, _, h)) = self.hashes.iter().find(|(c, a, _)| *c == context && *a == alg) {
            return Ok(h.clone());
        }
        let h = digest(alg, transform(self.document, context)?.as_bytes());
        self.hashes.push((context, alg, h.clone()));
        Ok(h)
    }

    /// The document these hashes are of.
    pub fn document(&self) -> &'a Map<String, Value> {
        self.document
    }

    /// Verify Proof (section 3.3.2) up to the signature check, which the batch does: the hash
    /// data that `proof`'s signature must be over.
    ///
    /// # Errors
    /// As [`signed_context`] and [`proof_config`].
    pub fn verify_data(&mut self, proof: &'a Map<String, Value>) -> Result<[u8; 64]> {
        let data = self.verify_data_of(proof, NAME, HashAlg::Sha256)?;
        <[u8; 64]>::try_from(data.as_slice()).map_err(|_| Error::new(ErrorCode::InternalError, "two SHA-256 digests are 64 bytes"))
    }

    /// [`DocumentHashes::verify_data`] for the JCS cryptosuite `suite` hashing with `alg`:
    /// `alg(JCS(proof options)) || alg(JCS(document))` (ecdsa-jcs-2019, section 3.3.4 of the
    /// ECDSA Cryptosuites, hashes with SHA-384 for P-384 keys).
    ///
    /// # Errors
    /// As [`DocumentHashes::verify_data`].
    pub fn verify_data_of(&mut self, proof: &'a Map<String, Value>, suite: &str, alg: HashAlg) -> Result<Vec<u8>> {
        let context = signed_context(self.document, proof)?;
        let config = proof_config_of(proof, suite)?;
        let mut data = digest(alg, config.as_bytes());
        data.extend_from_slice(&self.digest(alg, context)?);
        Ok(data)
    }
}

/// Create Proof (section 3.3.1): `options` (without `proofValue`) become the proof, with the
/// document's `@context` copied in when it has one (step 2), and `proofValue` the signature of
/// the hash data.
///
/// # Errors
/// As [`proof_config`], [`transform`] and [`serialize_proof`].
pub fn create_proof(unsecured: &Map<String, Value>, options: Map<String, Value>, key: &dyn Signer) -> Result<Map<String, Value>> {
    create_proof_of(unsecured, options, NAME, |document, config| Ok(encode_proof_value(&serialize_proof(&hash_data(document, config), key)?)))
}

/// Create Proof for the JCS cryptosuite `suite` (ecdsa-jcs-2019's section 3.3.1 is the same
/// algorithm): `options` (without `proofValue`, with the document's `@context`), and as
/// `proofValue` what `sign` makes of the transformed document and the canonical proof
/// configuration.
///
/// # Errors
/// As [`proof_config`] and [`transform`], and `sign`'s.
pub fn create_proof_of(
    unsecured: &Map<String, Value>,
    mut options: Map<String, Value>,
    suite: &str,
    sign: impl FnOnce(&str, &str) -> Result<String>,
) -> Result<Map<String, Value>> {
    options.remove("proofValue");
    if let Some(context) = unsecured.get("@context") {
        options.insert("@context".into(), context.clone());
    }
    let config = proof_config_of(&options, suite)?;
    let transformed = transform(unsecured, None)?;
    let proof_value = sign(&transformed, &config)?;
    options.insert("proofValue".into(), proof_value.into());
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::KeyPair;
    use serde_json::json;

    fn object(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn proof_values_are_base58btc_of_64_bytes() {
        let sig = [7u8; 64];
        let text = encode_proof_value(&sig);
        assert_eq!(decode_proof_value(&text).unwrap(), sig);
        for bad in ["", "u", &format!("u{}", &text[1..]), "z", "z0OIl", &text[..text.len() - 2], &format!("{text}{}", "1".repeat(30))] {
            assert_eq!(decode_proof_value(bad).unwrap_err().code, ErrorCode::MalformedInput, "{bad}");
        }
        // 64 zero bytes: leading '1's stand for zero bytes in base58btc.
        assert_eq!(decode_proof_value(&encode_proof_value(&[0; 64])).unwrap(), [0; 64]);
    }

    #[test]
    fn the_proof_signs_the_document_context() {
        let doc = object(json!({"@context": ["a", "b"], "x": 1}));
        let proof = object(json!({"@context": ["a", "b"]}));
        assert_eq!(signed_context(&doc, &proof).unwrap(), Some(&json!(["a", "b"])));
        let one = object(json!({"@context": "a"}));
        assert_eq!(signed_context(&object(json!({"@context": ["a"]})), &one).unwrap(), Some(&json!("a")));
        let prefix = object(json!({"@context": ["a"]}));
        assert_eq!(signed_context(&doc, &prefix).unwrap_err().code, ErrorCode::PayloadMismatch);
        assert_eq!(signed_context(&object(json!({})), &prefix).unwrap_err().code, ErrorCode::PayloadMismatch);
        assert_eq!(signed_context(&doc, &Map::new()).unwrap(), None);
    }

    #[test]
    fn transform_drops_the_proof_and_takes_the_signed_context() {
        let doc = object(json!({"b": [1.0, "é"], "@context": ["a"], "proof": {"x": 1}}));
        assert_eq!(transform(&doc, None).unwrap(), r#"{"@context":["a"],"b":[1,"é"]}"#);
        assert_eq!(transform(&doc, Some(&json!("a"))).unwrap(), r#"{"@context":"a","b":[1,"é"]}"#);
    }

    #[test]
    fn proof_config_names_the_suite_and_a_date() {
        let ok = object(json!({"type": PROOF_TYPE, "cryptosuite": NAME, "created": "2023-02-24T23:36:38Z", "proofValue": "z1"}));
        assert_eq!(proof_config(&ok).unwrap(), r#"{"created":"2023-02-24T23:36:38Z","cryptosuite":"eddsa-jcs-2022","type":"DataIntegrityProof"}"#);
        let mut other = ok.clone();
        other.insert("cryptosuite".into(), "eddsa-rdfc-2022".into());
        assert_eq!(proof_config(&other).unwrap_err().code, ErrorCode::UnsupportedCryptosuite);
        for created in [json!("2023-02-24"), json!(1), json!("2023-02-24T23:36:38")] {
            let mut bad = ok.clone();
            bad.insert("created".into(), created);
            assert_eq!(proof_config(&bad).unwrap_err().code, ErrorCode::MalformedInput);
        }
    }

    #[test]
    fn created_proofs_verify_and_hash_once_per_context() {
        let key = KeyPair::from_seed(&[9; 32]);
        let doc = object(json!({"@context": ["a"], "n": 1}));
        let options = object(json!({"type": PROOF_TYPE, "cryptosuite": NAME, "proofPurpose": "assertionMethod"}));
        let proof = create_proof(&doc, options, &key).unwrap();
        assert_eq!(proof["@context"], json!(["a"]));
        let signature = decode_proof_value(proof["proofValue"].as_str().unwrap()).unwrap();
        let mut hashes = DocumentHashes::new(&doc);
        let data = hashes.verify_data(&proof).unwrap();
        assert!(crate::keys::verify(&data, &signature, key.public_key()));
        assert_eq!(hashes.verify_data(&proof).unwrap(), data);
        assert_eq!(hashes.hashes.len(), 1);
    }
}
