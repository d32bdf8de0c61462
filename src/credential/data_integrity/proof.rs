//! One Data Integrity proof (W3C VC Data Integrity 1.0 section 2.1, Verify Proof section 4.3):
//! its type and cryptosuite, purpose, verification method, `created` / `expires`, `challenge`
//! and `domain`; then the cryptosuite's hash data, queued as a signature of the batch.
//!
//! Policy:
//! - `type` is `DataIntegrityProof` and `cryptosuite` one credcore implements (eddsa-jcs-2022,
//!   ecdsa-jcs-2019, or eddsa-rdfc-2022 and ecdsa-rdfc-2019 (P-256 and P-384) over RDF,
//!   [`super::rdfc`]), or `type` is `Ed25519Signature2020`
//!   ([`super::ed25519_signature_2020`]); another cryptosuite is `UNSUPPORTED_CRYPTOSUITE`,
//!   another proof type `UNSUPPORTED_PROOF_TYPE`, never `MISSING_PROOF`. A proof over RDF is
//!   canonicalized only once every other check of its item passed
//!   ([`crate::credential::checks::PendingHash`]).
//! - `proofPurpose` is required and must be the expected one: `assertionMethod` for a credential,
//!   `authentication` for a presentation (section 4.3 step 4).
//! - `verificationMethod` is required and is a URL with a fragment: the part before `#` (its
//!   controller) must be the issuer (or the holder), and the whole names the key through the
//!   key sources every format uses ([`crate::keys::KeySource`]) as a JWS `kid` would: for did:key
//!   `did#<fingerprint>`, its one verification method (a Multikey), for did:jwk `did#0`; for
//!   other issuers a key of `issuerKeys` with that `kid`. The key must fit the cryptosuite (an
//!   Ed25519 key for eddsa-jcs-2022 and eddsa-rdfc-2022; for ecdsa-jcs-2019 and ecdsa-rdfc-2019 a
//!   P-256 or P-384 key, the curve the signature's length says, whose hash the hash data use), and its algorithm (`EdDSA`, `ES256`, `ES384`) among the caller's
//!   `algorithms`.
//! - `created` must not be in the future and `expires` not past, within the clock skew
//!   (`NOT_YET_VALID`, `EXPIRED_CREDENTIAL`); both count toward how long a verdict may be cached.
//! - A presentation's proof carries the caller's `nonce` as `challenge` and `audience` as its
//!   `domain` (a string, or a set of strings equal to the one audience), when the caller asks.
//! - `previousProof` (a proof chain, section 2.1.2) is refused as `UNSUPPORTED_PROOF_TYPE`:
//!   chains are not verified yet, and a proof that depends on others must not pass alone.

use super::ecdsa_jcs_2019;
use super::eddsa_jcs_2022::{self, decode_proof_value, DocumentHashes};
use super::{ed25519_signature_2020 as ed2020, rdfc};
use crate::batch::SigCheck;
use crate::credential::checks::{join, Acc, Bound, Ctx, PendingHash};
use crate::error::{Error, ErrorCode};
use crate::keys::{Algorithm, Purpose, VerifyingKey};
use serde_json::{Map, Value};

/// Cryptosuites of `DataIntegrityProof` that are specified but not verified here.
const KNOWN_CRYPTOSUITES: &[&str] = &["ecdsa-sd-2023", "bbs-2023"];
/// The cryptosuites of `DataIntegrityProof` verified here.
const SUITES: &[&str] = &[eddsa_jcs_2022::NAME, ecdsa_jcs_2019::NAME, rdfc::NAME, rdfc::ECDSA_NAME];

/// What a document's proofs must be.
pub struct Expect<'a> {
    /// The DID every proof's verification method must belong to: the issuer or the holder.
    pub signer: &'a str,
    /// The required `proofPurpose`.
    pub purpose: &'static str,
    /// The code of a signature that does not verify.
    pub code: ErrorCode,
    /// Whether `challenge` and `domain` answer the caller's `nonce` and `audience` (presentations).
    pub binding: bool,
}

/// A required string member of `proof`, or the failure recorded.
fn required<'p>(proof: &'p Map<String, Value>, name: &str, path: &str, acc: &mut Acc) -> Option<&'p str> {
    match proof.get(name) {
        Some(Value::String(s)) => Some(s),
        Some(_) => {
            acc.fail(Error::malformed(format!("'{name}' must be a string")).at(join(path, name)));
            None
        }
        None => {
            acc.fail(Error::malformed(format!("a Data Integrity proof needs '{name}'")).at(join(path, name)));
            None
        }
    }
}

/// How a proof's hash data is computed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hashing {
    /// eddsa-jcs-2022: JCS, in the core.
    Jcs,
    /// eddsa-rdfc-2022 and Ed25519Signature2020: RDFC-1.0, through [`rdfc::Canonicalizer`].
    Rdfc,
}

/// Checks the proof's `type` and `cryptosuite`; `None` when it cannot be verified here.
fn check_suite(proof: &Map<String, Value>, path: &str, acc: &mut Acc) -> Option<Hashing> {
    let proof_type = required(proof, "type", path, acc)?;
    if proof_type == ed2020::PROOF_TYPE {
        return match ed2020::check(proof) {
            Ok(()) => no_chain(proof, path, acc).then_some(Hashing::Rdfc),
            Err(e) => {
                acc.fail(e.at(path.to_owned()));
                None
            }
        };
    }
    if proof_type != eddsa_jcs_2022::PROOF_TYPE {
        acc.fail(
            Error::new(
                ErrorCode::UnsupportedProofType,
                format!("proofs of type '{proof_type}' with a proofValue are not supported: only DataIntegrityProof and Ed25519Signature2020"),
            )
            .at(join(path, "type")),
        );
        return None;
    }
    let suite = required(proof, "cryptosuite", path, acc)?;
    let hashing = if suite == rdfc::NAME || suite == rdfc::ECDSA_NAME { Hashing::Rdfc } else { Hashing::Jcs };
    if !SUITES.contains(&suite) {
        let what = if KNOWN_CRYPTOSUITES.contains(&suite) { "is not supported yet" } else { "is not a cryptosuite credcore knows" };
        acc.fail(
            Error::new(ErrorCode::UnsupportedCryptosuite, format!("cryptosuite '{suite}' {what}: only {} are verified", SUITES.join(", ")))
                .at(join(path, "cryptosuite")),
        );
        return None;
    }
    no_chain(proof, path, acc).then_some(hashing)
}

/// False (recorded) for a proof of a chain (`previousProof`).
fn no_chain(proof: &Map<String, Value>, path: &str, acc: &mut Acc) -> bool {
    if proof.contains_key("previousProof") {
        acc.fail(
            Error::new(ErrorCode::UnsupportedProofType, "proof chains (previousProof) are not supported: only proofs and proof sets")
                .at(join(path, "previousProof")),
        );
        return false;
    }
    true
}

/// The `alg` key of `verification_method` for a proof of `suite`, which must be a key of
/// `signer` (see the module policy); failures go to `acc` with `code` for a key that cannot
/// sign this cryptosuite.
///
/// Policy: a verification method is a DID URL (or URL) with a fragment; a bare DID, a relative
/// `#fragment` or another controller's URL names no verification method of the signer.
fn method_key(
    signer: &str,
    verification_method: &str,
    path: &str,
    (suite, alg): (&str, Algorithm),
    code: ErrorCode,
    ctx: &mut Ctx<'_>,
    acc: &mut Acc,
) -> Option<VerifyingKey> {
    let vm_path = join(path, "verificationMethod");
    if verification_method.split_once('#').map(|(controller, _)| controller) != Some(signer) {
        acc.fail(Error::new(ErrorCode::InvalidDid, format!("verificationMethod '{verification_method}' is not a key of {signer}")).at(vm_path));
        return None;
    }
    if !ctx.options.allows(alg) {
        acc.fail(
            Error::new(ErrorCode::UnsupportedAlgorithm, format!("this {suite} proof signs with {alg}, which is not among the accepted algorithms"))
                .at(join(path, "cryptosuite")),
        );
        return None;
    }
    // A presentation's proof is its holder's: a DID document must list the key under
    // `authentication`; a credential's under `assertionMethod`.
    let purpose = if code == ErrorCode::InvalidPresentationSignature { Purpose::Authentication } else { Purpose::Assertion };
    let key = ctx.key_as(purpose, signer, Some(verification_method), alg, &vm_path, &vm_path, acc)?;
    if let Some(why) = key.refuses(alg) {
        let needs = if alg == Algorithm::EdDsa { "an Ed25519 key" } else { "the key of its signature's curve" };
        acc.fail(Error::new(code, format!("{suite} needs {needs}: {why}")).at(join(path, "proofValue")));
        return None;
    }
    Some(key)
}

/// Checks the caller's nonce and audience against the proof's `challenge` and `domain`.
fn check_binding(proof: &Map<String, Value>, path: &str, ctx: &Ctx<'_>, acc: &mut Acc) {
    if let Some(nonce) = &ctx.options.nonce {
        if proof.get("challenge").and_then(Value::as_str) != Some(nonce.as_str()) {
            acc.fail(Error::new(ErrorCode::NonceMismatch, "the proof's challenge is not the expected nonce").at(join(path, "challenge")));
        }
    }
    if let Some(audience) = &ctx.options.audience {
        // Section 4.3 step 5: the proof's domains (a string is a set of one) are the expected set.
        let ok = match proof.get("domain") {
            Some(Value::String(d)) => d == audience,
            Some(Value::Array(items)) => !items.is_empty() && items.iter().all(|d| d.as_str() == Some(audience.as_str())),
            _ => false,
        };
        if !ok {
            acc.fail(Error::new(ErrorCode::AudienceMismatch, "the proof's domain is not the expected audience").at(join(path, "domain")));
        }
    }
}

/// Checks one proof of a document (at `path`) against `expect` and queues its signature;
/// `hashes` holds the document the proof secures.
pub fn check<'d>(
    proof: &'d Map<String, Value>,
    path: &str,
    hashes: &mut DocumentHashes<'d>,
    expect: &Expect<'_>,
    ctx: &mut Ctx<'_>,
    acc: &mut Acc,
) {
    let Some(hashing) = check_suite(proof, path, acc) else { return };
    let named = proof.get("cryptosuite").and_then(Value::as_str);
    let ecdsa = named == Some(ecdsa_jcs_2019::NAME) || named == Some(rdfc::ECDSA_NAME);
    // Only Ed25519Signature2020 names no cryptosuite (check_suite refused the rest).
    let suite = named.unwrap_or(ed2020::PROOF_TYPE);
    if let Some(purpose) = required(proof, "proofPurpose", path, acc) {
        if purpose != expect.purpose {
            acc.fail(Error::malformed(format!("the proof purpose must be {}", expect.purpose)).at(join(path, "proofPurpose")));
        }
    }
    let method = required(proof, "verificationMethod", path, acc);
    // A `created` that is not a date-time is reported here once, and nothing is hashed.
    let dated = ctx.check_date(proof, "created", Bound::NotBefore, path, acc).is_some() || !proof.contains_key("created");
    ctx.check_date(proof, "expires", Bound::Expiry, path, acc);
    if expect.binding {
        check_binding(proof, path, ctx, acc);
    }
    let value_path = join(path, "proofValue");
    let signature = match proof.get("proofValue") {
        Some(Value::String(text)) => {
            let decoded = if ecdsa { ecdsa_jcs_2019::decode_proof_value(text) } else { decode_proof_value(text).map(|s| (Algorithm::EdDsa, s.to_vec())) };
            decoded.map_err(|e| acc.fail(e.at(value_path.clone()))).ok()
        }
        Some(_) => {
            acc.fail(Error::malformed("'proofValue' must be a string").at(value_path.clone()));
            None
        }
        None => {
            acc.fail(Error::new(ErrorCode::MissingProof, "the proof has no proofValue").at(value_path.clone()));
            None
        }
    };
    // ecdsa-jcs-2019's algorithm (and curve, and hash) is the one its signature's length says,
    // which the key must fit; without a signature no key is looked up and nothing is hashed.
    let alg = if ecdsa { signature.as_ref().map(|(alg, _)| *alg) } else { Some(Algorithm::EdDsa) };
    let key = method.zip(alg).and_then(|(vm, alg)| method_key(expect.signer, vm, path, (suite, alg), expect.code, ctx, acc));
    if hashing == Hashing::Rdfc {
        return defer(hashes.document(), proof, path, (key, signature, dated), expect.code, acc);
    }
    let message = match alg {
        Some(alg) if ecdsa => ecdsa_jcs_2019::verify_data(hashes, proof, alg),
        Some(_) => hashes.verify_data(proof).map(|m| m.to_vec()),
        None => return,
    };
    let message = match message {
        Ok(m) => Some(m),
        Err(_) if !dated => None,
        Err(e) => {
            acc.fail(e.at(path.to_owned()));
            None
        }
    };
    if let (Some(key), Some((alg, signature)), Some(message)) = (key, signature, message) {
        acc.checks.push(SigCheck { message, signature, alg, key, code: expect.code, path: value_path });
    }
}

/// A decoded `proofValue`: the algorithm its length says, and its bytes.
type Signature = (Algorithm, Vec<u8>);

/// Queues the signature of a proof over RDF, whose hash data canonicalization computes once the
/// item's cheap checks have all passed ([`PendingHash`]).
fn defer(
    document: &Map<String, Value>,
    proof: &Map<String, Value>,
    path: &str,
    (key, signature, dated): (Option<VerifyingKey>, Option<Signature>, bool),
    code: ErrorCode,
    acc: &mut Acc,
) {
    let (Some(key), Some((alg, signature)), true) = (key, signature, dated) else { return };
    // The hash of ecdsa-rdfc-2019 is its key's curve's (the key fits `alg`, checked above):
    // SHA-384 for P-384, else SHA-256.
    let hash: fn(&str, &str) -> crate::error::Result<Vec<u8>> = if alg == Algorithm::Es384 {
        |d, c| rdfc::hash_sha384(d, c).map(|h| h.to_vec())
    } else {
        |d, c| rdfc::hash(d, c).map(|h| h.to_vec())
    };
    match rdfc::documents(document, proof) {
        Ok((document, proof_config)) => {
            let check = SigCheck { message: Vec::new(), signature, alg, key, code, path: join(path, "proofValue") };
            acc.pending.push(PendingHash { document, proof_config, hash, check, path: path.to_owned() });
        }
        Err(e) => acc.fail(e.at(path.to_owned())),
    }
}
