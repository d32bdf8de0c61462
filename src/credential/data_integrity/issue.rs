//! Securing a document with a Data Integrity proof (VC Data Integrity 1.0 section 4.1, Add
//! Proof; eddsa-jcs-2022 Create Proof, W3C Data Integrity EdDSA Cryptosuites v1.0 section
//! 3.3.1; ecdsa-jcs-2019 Create Proof, W3C Data Integrity ECDSA Cryptosuites v1.0 section 3.3.1;
//! over RDF eddsa-rdfc-2022 (EdDSA section 3.2.1) and ecdsa-rdfc-2019 (ECDSA section 3.5.1),
//! through [`super::rdfc`]'s canonicalizer).

use super::eddsa_jcs_2022::{self, create_proof};
use super::{ecdsa_jcs_2019, rdfc};
use crate::error::{Error, ErrorCode, Result};
use crate::keys::{Algorithm, Signer};
use serde_json::{Map, Value};

/// The Data Integrity context (VC Data Integrity 1.0 section 2.4): the terms of
/// `DataIntegrityProof` for documents whose `@context` does not include them (VC 2.0's does).
pub const DATA_INTEGRITY_CONTEXT: &str = "https://w3id.org/security/data-integrity/v2";

/// A cryptosuite credcore can issue with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cryptosuite {
    /// eddsa-jcs-2022: JCS, SHA-256, Ed25519 keys.
    EddsaJcs2022,
    /// ecdsa-jcs-2019: JCS, ECDSA with P-256 (SHA-256) or P-384 (SHA-384) keys.
    EcdsaJcs2019,
    /// eddsa-rdfc-2022: JSON-LD and RDFC-1.0, SHA-256, Ed25519 keys.
    EddsaRdfc2022,
    /// ecdsa-rdfc-2019: JSON-LD and RDFC-1.0, ECDSA with P-256 (SHA-256) or P-384 (SHA-384) keys.
    EcdsaRdfc2019,
}

impl Cryptosuite {
    /// The cryptosuite named `name` (the `cryptosuite` of a proof).
    ///
    /// # Errors
    /// `UNSUPPORTED_CRYPTOSUITE` for any other name.
    pub fn parse(name: &str) -> Result<Cryptosuite> {
        match name {
            eddsa_jcs_2022::NAME => Ok(Cryptosuite::EddsaJcs2022),
            ecdsa_jcs_2019::NAME => Ok(Cryptosuite::EcdsaJcs2019),
            rdfc::NAME => Ok(Cryptosuite::EddsaRdfc2022),
            rdfc::ECDSA_NAME => Ok(Cryptosuite::EcdsaRdfc2019),
            other => Err(Error::new(
                ErrorCode::UnsupportedCryptosuite,
                format!("cryptosuite '{other}' cannot be issued: only eddsa-jcs-2022, ecdsa-jcs-2019, eddsa-rdfc-2022 and ecdsa-rdfc-2019"),
            )),
        }
    }

    /// The cryptosuite of a proof whose caller named none: ecdsa-jcs-2019 for P-256 and P-384
    /// keys, else eddsa-jcs-2022 (which refuses keys that are not Ed25519 with a code). Both
    /// need no JSON-LD.
    pub fn default_for(alg: Algorithm) -> Cryptosuite {
        match alg {
            Algorithm::Es256 | Algorithm::Es384 => Cryptosuite::EcdsaJcs2019,
            _ => Cryptosuite::EddsaJcs2022,
        }
    }

    /// The proof's `cryptosuite`.
    pub fn name(self) -> &'static str {
        match self {
            Cryptosuite::EddsaJcs2022 => eddsa_jcs_2022::NAME,
            Cryptosuite::EcdsaJcs2019 => ecdsa_jcs_2019::NAME,
            Cryptosuite::EddsaRdfc2022 => rdfc::NAME,
            Cryptosuite::EcdsaRdfc2019 => rdfc::ECDSA_NAME,
        }
    }
}

/// The proof options of a proof to add (VC Data Integrity 1.0 section 2.1).
#[derive(Clone, Copy, Debug)]
pub struct ProofOptions<'a> {
    /// `assertionMethod` (credentials) or `authentication` (presentations).
    pub purpose: &'a str,
    /// The proof's `created`, seconds since the epoch.
    pub created: i64,
    /// A presentation's `challenge` (the verifier's nonce).
    pub challenge: Option<&'a str>,
    /// A presentation's `domain` (the verifier's audience).
    pub domain: Option<&'a str>,
}

/// An XML Schema dateTimeStamp in UTC without fractions (`2023-02-24T23:36:38Z`), as proofs
/// write `created`.
fn date_time_stamp(seconds: i64) -> String {
    let text = crate::time::format_rfc3339(seconds);
    text.strip_suffix(".000Z").map_or(text.clone(), |t| format!("{t}Z"))
}

/// `document` secured with one proof by `key` under `suite`: the proof (its members in the
/// order of the W3C examples) becomes the document's `proof`.
///
/// # Errors
/// `MALFORMED_INPUT` when the document already has a proof (proof sets are not issued);
/// `UNSUPPORTED_ALGORITHM` (at `format`) for a key the cryptosuite does not sign with.
pub fn add_proof(mut document: Map<String, Value>, key: &dyn Signer, suite: Cryptosuite, options: &ProofOptions<'_>) -> Result<Map<String, Value>> {
    if document.contains_key("proof") {
        return Err(Error::malformed("the document already has a proof").at("proof"));
    }
    let name = suite.name();
    let mut proof = Map::new();
    proof.insert("type".into(), eddsa_jcs_2022::PROOF_TYPE.into());
    proof.insert("cryptosuite".into(), name.into());
    proof.insert("created".into(), date_time_stamp(options.created).into());
    proof.insert("verificationMethod".into(), key.kid().into());
    proof.insert("proofPurpose".into(), options.purpose.into());
    if let Some(c) = options.challenge {
        proof.insert("challenge".into(), c.into());
    }
    if let Some(d) = options.domain {
        proof.insert("domain".into(), d.into());
    }
    let proof = match suite {
        Cryptosuite::EddsaJcs2022 => create_proof(&document, proof, key),
        Cryptosuite::EcdsaJcs2019 => ecdsa_jcs_2019::create_proof(&document, proof, key),
        Cryptosuite::EddsaRdfc2022 | Cryptosuite::EcdsaRdfc2019 => rdfc::create_proof(&document, proof, key),
    };
    let proof = proof.map_err(|e| if e.code == ErrorCode::UnsupportedAlgorithm { e.at("format") } else { e })?;
    document.insert("proof".into(), Value::Object(proof));
    Ok(document)
}

/// `credential` with its `@context` made fit for a Data Integrity proof: the VC 2.0 context
/// when it has none, the Data Integrity context added to one without it (see
/// [`with_proof_context`]). Anything but an object is returned as is (issuance refuses it).
pub fn with_default_context(credential: &Value) -> Value {
    let mut given = credential.clone();
    if let Value::Object(m) = &mut given {
        let context = m.get("@context").cloned().unwrap_or_else(|| Value::Array(vec![crate::credential::checks::VC_V2_CONTEXT.into()]));
        m.insert("@context".into(), with_proof_context(context));
    }
    given
}

/// `context` with the Data Integrity context appended unless it already holds it or the VC 2.0
/// context (which defines the same terms), so that JSON-LD readers understand the proof.
pub fn with_proof_context(context: Value) -> Value {
    let has = |c: &Value| matches!(c.as_str(), Some(DATA_INTEGRITY_CONTEXT | crate::credential::checks::VC_V2_CONTEXT));
    match context {
        Value::Array(mut items) => {
            if !items.iter().any(has) {
                items.push(DATA_INTEGRITY_CONTEXT.into());
            }
            Value::Array(items)
        }
        one if has(&one) => one,
        one => Value::Array(vec![one, DATA_INTEGRITY_CONTEXT.into()]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::KeyPair;
    use serde_json::json;

    #[test]
    fn proofs_write_times_without_fractions() {
        assert_eq!(date_time_stamp(1_677_281_798), "2023-02-24T23:36:38Z");
    }

    #[test]
    fn the_proof_context_is_added_once() {
        let v1 = crate::credential::checks::VC_V1_CONTEXT;
        assert_eq!(with_proof_context(json!([v1])), json!([v1, DATA_INTEGRITY_CONTEXT]));
        assert_eq!(with_proof_context(json!(v1)), json!([v1, DATA_INTEGRITY_CONTEXT]));
        assert_eq!(with_proof_context(json!([v1, DATA_INTEGRITY_CONTEXT])), json!([v1, DATA_INTEGRITY_CONTEXT]));
        let v2 = crate::credential::checks::VC_V2_CONTEXT;
        assert_eq!(with_proof_context(json!(v2)), json!(v2));
    }

    #[test]
    fn refuses_a_second_proof_and_other_suites() {
        let key = KeyPair::from_seed(&[3; 32]);
        let o = ProofOptions { purpose: "assertionMethod", created: 0, challenge: None, domain: None };
        let doc = add_proof(Map::new(), &key, Cryptosuite::EddsaJcs2022, &o).unwrap();
        assert_eq!(doc["proof"]["verificationMethod"], key.kid());
        assert_eq!(add_proof(doc, &key, Cryptosuite::EddsaJcs2022, &o).unwrap_err().code, ErrorCode::MalformedInput);
        assert_eq!(Cryptosuite::parse("bbs-2023").unwrap_err().code, ErrorCode::UnsupportedCryptosuite);
        for suite in [Cryptosuite::EddsaJcs2022, Cryptosuite::EcdsaJcs2019, Cryptosuite::EddsaRdfc2022, Cryptosuite::EcdsaRdfc2019] {
            assert_eq!(Cryptosuite::parse(suite.name()).unwrap(), suite);
        }
        assert_eq!(Cryptosuite::default_for(Algorithm::Es384), Cryptosuite::EcdsaJcs2019);
        assert_eq!(Cryptosuite::default_for(Algorithm::EdDsa), Cryptosuite::EddsaJcs2022);
    }
}
