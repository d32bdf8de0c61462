//! The ecdsa-jcs-2019 cryptosuite (W3C Data Integrity ECDSA Cryptosuites v1.0, section 3.3):
//! JCS (RFC 8785) canonical forms, ECDSA over P-256 with SHA-256 or over P-384 with SHA-384.
//!
//! The signed bytes (`hashData`, section 3.3.4) are `H(JCS(proof options)) || H(JCS(unsecured
//! document))`, with `H` SHA-256 for a P-256 key (64 bytes) and SHA-384 for a P-384 key (96
//! bytes); the proof options and the unsecured document are those of eddsa-jcs-2022 (the
//! Transformation and Proof Configuration algorithms are the same, and shared with
//! [`super::eddsa_jcs_2022`]). The signature is ECDSA over `hashData` with the curve's hash
//! (section 3.3.6), which is exactly an ES256 or ES384 JWS signature over those bytes: it joins
//! the batch as one, settled by the host where the host is faster. `proofValue` is the IEEE
//! P1363 `r || s` signature (64 or 96 bytes) in multibase base58btc (`z...`).
//!
//! Policy: the algorithm a proof claims is read from its signature's length (64 bytes ES256, 96
//! bytes ES384), as a JWS's from its `alg`, and the key must fit it: a P-384 signature with a
//! P-256 key (or the reverse) fails as an invalid signature without any arithmetic, never a
//! pass, and the hash is always the key's curve's.
//!
//! Each step is its own function, named after its section, so that the W3C test vectors check
//! every intermediate value (`tests/data_integrity_ecdsa.rs`).

use super::eddsa_jcs_2022::{create_proof_of, DocumentHashes};
use crate::encoding::{b58_decode, b58_encode};
use crate::error::{Error, ErrorCode, Result};
use crate::hash::{digest, HashAlg};
use crate::keys::{Algorithm, Signer};
use serde_json::{Map, Value};

#[cfg(any(test, feature = "internals"))]
pub use super::eddsa_jcs_2022::transform;

/// The cryptosuite's name, the proof's `cryptosuite`.
pub const NAME: &str = "ecdsa-jcs-2019";
/// The longest base58btc spelling of 96 bytes (132 characters) plus the multibase prefix:
/// longer `proofValue`s are refused before decoding (base58 decoding is quadratic in the length).
const MAX_PROOF_VALUE_CHARS: usize = 133;

/// The hash function of the curve of `alg` (section 3.3.4): SHA-256 for ES256 (P-256), SHA-384
/// for ES384 (P-384).
///
/// # Errors
/// `UNSUPPORTED_ALGORITHM` for any other algorithm.
pub fn hash_of(alg: Algorithm) -> Result<HashAlg> {
    match alg {
        Algorithm::Es256 => Ok(HashAlg::Sha256),
        Algorithm::Es384 => Ok(HashAlg::Sha384),
        other => Err(Error::new(ErrorCode::UnsupportedAlgorithm, format!("ecdsa-jcs-2019 signs with P-256 or P-384 keys (ES256, ES384), not {other}"))),
    }
}

/// Proof Configuration (section 3.3.5): the JCS form of the proof options (`options` without
/// `proofValue`), after checking that they name this cryptosuite and that `created`, when
/// present, is a date-time.
///
/// # Errors
/// `UNSUPPORTED_CRYPTOSUITE` for another `type` or `cryptosuite`; `MALFORMED_INPUT` for a
/// `created` that is not a date-time.
#[cfg(any(test, feature = "internals"))]
pub fn proof_config(options: &Map<String, Value>) -> Result<String> {
    super::eddsa_jcs_2022::proof_config_of(options, NAME)
}

/// Hashing (section 3.3.4): `H(canonical proof config) || H(transformed document)`, `H` the hash
/// of `alg`'s curve.
///
/// # Errors
/// As [`hash_of`].
pub fn hash_data(alg: Algorithm, transformed_document: &str, canonical_proof_config: &str) -> Result<Vec<u8>> {
    let h = hash_of(alg)?;
    let mut out = digest(h, canonical_proof_config.as_bytes());
    out.extend_from_slice(&digest(h, transformed_document.as_bytes()));
    Ok(out)
}

/// Proof Serialization (section 3.3.6): the ECDSA signature (`r || s`) of the hash data with
/// `key`, whose curve's hash the signature scheme applies (RFC 6979 deterministic nonces).
///
/// # Errors
/// `UNSUPPORTED_ALGORITHM` for a key that is not a P-256 or P-384 key; `INTERNAL_ERROR` for
/// hash data of another length than the key's hash makes (never a signature over them).
pub fn serialize_proof(hash_data: &[u8], key: &dyn Signer) -> Result<Vec<u8>> {
    let h = hash_of(key.algorithm())?;
    if hash_data.len() != 2 * h.output_len() {
        return Err(Error::new(ErrorCode::InternalError, format!("hash data for a {} key are two {} digests", key.algorithm(), h.name())));
    }
    Ok(key.sign_message(hash_data))
}

/// The `proofValue` of a signature: multibase base58btc (`z` + base58btc, section 2.2.1).
pub fn encode_proof_value(signature: &[u8]) -> String {
    format!("z{}", b58_encode(signature))
}

/// The signature a `proofValue` carries, and the algorithm its length says: 64 bytes ES256
/// (P-256), 96 bytes ES384 (P-384).
///
/// Policy: only the base58btc multibase header (`z`) is accepted, as section 2.2.1 requires.
///
/// # Errors
/// `MALFORMED_INPUT` for anything else.
pub fn decode_proof_value(text: &str) -> Result<(Algorithm, Vec<u8>)> {
    let Some(encoded) = text.strip_prefix('z') else {
        return Err(Error::malformed("a proofValue is multibase base58btc: it starts with 'z'"));
    };
    if text.len() > MAX_PROOF_VALUE_CHARS {
        return Err(Error::malformed("a proofValue of ecdsa-jcs-2019 is a 64- or 96-byte signature: this one is too long"));
    }
    let bytes = b58_decode(encoded)?;
    match bytes.len() {
        64 => Ok((Algorithm::Es256, bytes)),
        96 => Ok((Algorithm::Es384, bytes)),
        n => Err(Error::malformed(format!("a proofValue of ecdsa-jcs-2019 is a 64-byte (P-256) or 96-byte (P-384) signature, not {n} bytes"))),
    }
}

/// Verify Proof (section 3.3.2) up to the signature check, which the batch does: the hash data
/// that `proof`'s signature, made with an `alg` key, must be over (`hashes` holds the document).
///
/// # Errors
/// As [`hash_of`], [`super::eddsa_jcs_2022::signed_context`] and [`proof_config`].
pub fn verify_data<'a>(hashes: &mut DocumentHashes<'a>, proof: &'a Map<String, Value>, alg: Algorithm) -> Result<Vec<u8>> {
    hashes.verify_data_of(proof, NAME, hash_of(alg)?)
}

/// Create Proof (section 3.3.1): `options` (without `proofValue`) become the proof, with the
/// document's `@context` copied in when it has one (step 2), and `proofValue` the signature of
/// the hash data.
///
/// # Errors
/// As [`proof_config`], [`transform`] and [`serialize_proof`].
pub fn create_proof(unsecured: &Map<String, Value>, options: Map<String, Value>, key: &dyn Signer) -> Result<Map<String, Value>> {
    create_proof_of(unsecured, options, NAME, |document, config| {
        Ok(encode_proof_value(&serialize_proof(&hash_data(key.algorithm(), document, config)?, key)?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{KeyPair, SigningKey};
    use serde_json::json;

    fn object(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn proof_values_are_base58btc_of_64_or_96_bytes() {
        for (len, alg) in [(64, Algorithm::Es256), (96, Algorithm::Es384)] {
            let sig = vec![7u8; len];
            let text = encode_proof_value(&sig);
            assert_eq!(decode_proof_value(&text).unwrap(), (alg, sig.clone()));
            let zeros = vec![0u8; len];
            assert_eq!(decode_proof_value(&encode_proof_value(&zeros)).unwrap(), (alg, zeros));
        }
        let p256 = encode_proof_value(&[7u8; 64]);
        for bad in [
            String::new(),
            "u".into(),
            format!("u{}", &p256[1..]),
            "z".into(),
            "z0OIl".into(),
            encode_proof_value(&[7u8; 63]),
            encode_proof_value(&[7u8; 65]),
            encode_proof_value(&[7u8; 32]),
            encode_proof_value(&[7u8; 97]),
            format!("{}{}", encode_proof_value(&[7u8; 96]), "1".repeat(2)),
        ] {
            assert_eq!(decode_proof_value(&bad).unwrap_err().code, ErrorCode::MalformedInput, "{bad}");
        }
    }

    #[test]
    fn the_hash_is_the_curves() {
        for alg in [Algorithm::EdDsa, Algorithm::Es256k, Algorithm::Rs256, Algorithm::Ps384] {
            assert_eq!(hash_of(alg).unwrap_err().code, ErrorCode::UnsupportedAlgorithm);
            assert_eq!(hash_data(alg, "{}", "{}").unwrap_err().code, ErrorCode::UnsupportedAlgorithm);
        }
        assert_eq!(hash_data(Algorithm::Es256, "{}", "{}").unwrap().len(), 64);
        assert_eq!(hash_data(Algorithm::Es384, "{}", "{}").unwrap().len(), 96);
    }

    #[test]
    fn only_p256_and_p384_keys_sign_and_only_their_hash_data() {
        let ed = KeyPair::from_seed(&[9; 32]);
        assert_eq!(serialize_proof(&[0; 64], &ed).unwrap_err().code, ErrorCode::UnsupportedAlgorithm);
        let p256 = SigningKey::generate(Algorithm::Es256).unwrap();
        let p384 = SigningKey::generate(Algorithm::Es384).unwrap();
        assert_eq!(serialize_proof(&[0; 96], &p256).unwrap_err().code, ErrorCode::InternalError);
        assert_eq!(serialize_proof(&[0; 64], &p384).unwrap_err().code, ErrorCode::InternalError);
        assert_eq!(serialize_proof(&[0; 64], &p256).unwrap().len(), 64);
        assert_eq!(serialize_proof(&[0; 96], &p384).unwrap().len(), 96);
    }

    #[test]
    fn created_proofs_verify_with_their_curves_hash() {
        let doc = object(json!({"@context": ["a"], "n": 1}));
        for alg in [Algorithm::Es256, Algorithm::Es384] {
            let key = SigningKey::generate(alg).unwrap();
            let options = object(json!({"type": "DataIntegrityProof", "cryptosuite": NAME, "proofPurpose": "assertionMethod"}));
            let proof = create_proof(&doc, options, &key).unwrap();
            assert_eq!(proof["@context"], json!(["a"]));
            let (claimed, signature) = decode_proof_value(proof["proofValue"].as_str().unwrap()).unwrap();
            assert_eq!(claimed, alg);
            let mut hashes = DocumentHashes::new(&doc);
            let data = verify_data(&mut hashes, &proof, alg).unwrap();
            assert!(key.verifying_key().verify(alg, &data, &signature), "{alg}");
            let other = if alg == Algorithm::Es256 { Algorithm::Es384 } else { Algorithm::Es256 };
            assert!(!key.verifying_key().verify(other, &verify_data(&mut hashes, &proof, other).unwrap(), &signature));
            // An eddsa-jcs-2022 reading of the same proof is refused, not hashed.
            assert_eq!(hashes.verify_data(&proof).unwrap_err().code, ErrorCode::UnsupportedCryptosuite);
        }
    }
}
