//! RFC 5280 section 6.1 path validation of an `x5c` chain (the subset of [`super`]'s module docs),
//! in-process: certificates parsed with RustCrypto's `x509-cert` over the strict DER codec of
//! `der`, signatures checked with the keys of `src/keys`. Built with the `x509` feature: natively,
//! and into the lazily loaded keys module (`keys-wasm/`, pkg/credcore_keys_bg.wasm), never into
//! the default wasm module, which reaches this code through [`super::ChainValidator`].

use super::{untrusted, CertifiedKey, ChainValidator, TrustAnchors, MAX_CERT_BYTES, MAX_X5C_CERTS};
use crate::keys::alg::{Algorithm, KeyType};
use crate::keys::ec::EcKey;
use crate::keys::policy::PublicKey;
use crate::keys::rsa::RsaKey;
use crate::keys::verifying::{KeyMaterial, VerifyingKey};
use crate::error::{Error, ErrorCode, Result};
use der::asn1::{ObjectIdentifier as Oid, UintRef};
use der::{Decode, Encode, Sequence};
use std::cell::RefCell;
use std::rc::Rc;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, SubjectAltName};
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::Certificate;

// Signature algorithms (RFC 5758 section 3.2, RFC 4055 section 5, RFC 8410 section 3).
const ECDSA_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
const ECDSA_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");
const RSA_SHA256: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
const RSA_SHA384: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
const RSA_SHA512: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
const RSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
const MGF1: Oid = Oid::new_unwrap("1.2.840.113549.1.1.8");
const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");
const ED25519: Oid = Oid::new_unwrap("1.3.101.112");
// Public keys (RFC 5480 section 2.1.1, RFC 8017 appendix A.1).
const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
const P256: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
const P384: Oid = Oid::new_unwrap("1.3.132.0.34");
const SECP256K1: Oid = Oid::new_unwrap("1.3.132.0.10");
const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
// The extensions understood (RFC 5280 section 4.2.1).
const BASIC_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.19");
const KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.15");
const SUBJECT_ALT_NAME: Oid = Oid::new_unwrap("2.5.29.17");

/// One parsed certificate, with what the path validation reads of it.
struct Cert {
    der: Vec<u8>,
    /// The DER bytes of the TBSCertificate, as signed (sliced from the input, never re-encoded).
    tbs: Vec<u8>,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: Vec<u8>,
    issuer: Vec<u8>,
    subject: Vec<u8>,
    not_before: i64,
    not_after: i64,
    /// `Err` for a key of a type credcore does not verify with (only a problem where it is used).
    key: core::result::Result<VerifyingKey, String>,
    ca: Option<BasicConstraints>,
    key_usage: Option<KeyUsage>,
    dns_names: Vec<String>,
    uris: Vec<String>,
}

impl Cert {
    fn parse(der: Vec<u8>) -> Result<Cert> {
        if der.len() > MAX_CERT_BYTES {
            return Err(Error::new(ErrorCode::InputTooLarge, format!("a certificate over {MAX_CERT_BYTES} bytes")));
        }
        let bad = |e: der::Error| Error::malformed(format!("not a DER X.509 certificate: {e}"));
        let cert = Certificate::from_der(&der).map_err(bad)?;
        let tbs = tbs_bytes(&der).ok_or_else(|| Error::malformed("not a DER X.509 certificate"))?.to_vec();
        let t = cert.tbs_certificate();
        if t.signature() != cert.signature_algorithm() {
            return Err(untrusted("the certificate's two signature algorithms differ (RFC 5280 section 4.1.1.2)"));
        }
        let issuer = t.issuer().to_der().map_err(bad)?;
        let subject = t.subject().to_der().map_err(bad)?;
        let validity = t.validity();
        let secs = |time: x509_cert::time::Time| i64::try_from(time.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
        let (mut ca, mut key_usage, mut dns_names, mut uris) = (None, None, Vec::new(), Vec::new());
        let mut seen: Vec<&Oid> = Vec::new();
        for ext in t.extensions().map(|e| e.as_slice()).unwrap_or_default() {
            if seen.contains(&&ext.extn_id) {
                return Err(untrusted(format!("extension {} appears twice (RFC 5280 section 4.2)", ext.extn_id)));
            }
            seen.push(&ext.extn_id);
            let value = ext.extn_value.as_bytes();
            let bad_ext = |e: der::Error| untrusted(format!("extension {} does not decode: {e}", ext.extn_id));
            match ext.extn_id {
                BASIC_CONSTRAINTS => ca = Some(BasicConstraints::from_der(value).map_err(bad_ext)?),
                KEY_USAGE => key_usage = Some(KeyUsage::from_der(value).map_err(bad_ext)?),
                SUBJECT_ALT_NAME => {
                    for name in SubjectAltName::from_der(value).map_err(bad_ext)?.0 {
                        match name {
                            GeneralName::DnsName(n) => dns_names.push(n.to_string()),
                            GeneralName::UniformResourceIdentifier(u) => uris.push(u.to_string()),
                            _ => {}
                        }
                    }
                }
                _ if ext.critical => return Err(untrusted(format!("critical extension {} is not understood", ext.extn_id))),
                _ => {}
            }
        }
        if !seen.is_empty() && t.version() != x509_cert::Version::V3 {
            return Err(untrusted("a certificate with extensions must be version 3"));
        }
        Ok(Cert {
            tbs,
            signature_algorithm: cert.signature_algorithm().clone(),
            signature: cert.signature().as_bytes().ok_or_else(|| Error::malformed("the signature has unused bits"))?.to_vec(),
            issuer,
            not_before: secs(validity.not_before),
            not_after: secs(validity.not_after),
            key: spki_key(t.subject_public_key_info()),
            subject,
            ca,
            key_usage,
            dns_names,
            uris,
            der,
        })
    }

    fn self_issued(&self) -> bool {
        self.issuer == self.subject
    }
}

/// The TBSCertificate's bytes: the first element of the outer SEQUENCE, as it stands in `der`.
fn tbs_bytes(der: &[u8]) -> Option<&[u8]> {
    use der::Reader;
    let mut reader = der::SliceReader::new(der).ok()?;
    let outer = der::Header::decode(&mut reader).ok()?;
    if outer.tag() != der::Tag::Sequence {
        return None;
    }
    reader.tlv_bytes().ok()
}

/// The key of a SubjectPublicKeyInfo, or why credcore does not verify with it.
fn spki_key(spki: &SubjectPublicKeyInfoOwned) -> core::result::Result<VerifyingKey, String> {
    let bits = spki.subject_public_key.as_bytes().ok_or("the public key has unused bits")?;
    let oid = spki.algorithm.oid;
    let invalid = |e: Error| e.message;
    match oid {
        EC_PUBLIC_KEY => {
            let curve = spki.algorithm.parameters.as_ref().and_then(|p| p.decode_as::<Oid>().ok());
            let curve = match curve {
                Some(P256) => KeyType::P256,
                Some(P384) => KeyType::P384,
                Some(SECP256K1) => KeyType::Secp256k1,
                Some(other) => return Err(format!("EC curve {other} is not supported")),
                None => return Err("an EC key without a named curve is not supported".into()),
            };
            EcKey::from_sec1(curve, bits).map(VerifyingKey::from).map_err(invalid)
        }
        RSA_ENCRYPTION => {
            #[derive(Sequence)]
            struct RsaPublicKey<'a> {
                n: UintRef<'a>,
                e: UintRef<'a>,
            }
            let key = RsaPublicKey::from_der(bits).map_err(|e| format!("not an RSA public key: {e}"))?;
            RsaKey::from_components(key.n.as_bytes(), key.e.as_bytes()).map(VerifyingKey::from).map_err(invalid)
        }
        ED25519 if spki.algorithm.parameters.is_none() => PublicKey::from_bytes(bits).map(VerifyingKey::from).map_err(invalid),
        other => Err(format!("public key algorithm {other} is not supported")),
    }
}

/// RSASSA-PSS-params (RFC 4055 section 3.1); absent members take their defaults (SHA-1), which
/// are refused.
#[derive(Sequence)]
struct PssParams {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    hash: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    mask: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    salt: Option<u32>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    trailer: Option<u32>,
}

/// The hash of an AlgorithmIdentifier of SHA-2, with its length; parameters absent or NULL.
fn sha2_of(id: &AlgorithmIdentifierOwned) -> Option<(Oid, u32)> {
    if id.parameters.as_ref().is_some_and(|p| !p.is_null()) {
        return None;
    }
    match id.oid {
        SHA256 => Some((SHA256, 32)),
        SHA384 => Some((SHA384, 48)),
        SHA512 => Some((SHA512, 64)),
        _ => None,
    }
}

/// The JWS algorithm of a PSS AlgorithmIdentifier of the supported shape.
fn pss_alg(id: &AlgorithmIdentifierOwned) -> Option<Algorithm> {
    let params = PssParams::from_der(&id.parameters.as_ref()?.to_der().ok()?).ok()?;
    let (hash, len) = sha2_of(params.hash.as_ref()?)?;
    let mask = params.mask.as_ref()?;
    let mask_hash = mask.parameters.as_ref()?.decode_as::<AlgorithmIdentifierOwned>().ok()?;
    if mask.oid != MGF1 || sha2_of(&mask_hash)?.0 != hash || params.salt != Some(len) || params.trailer.is_some_and(|t| t != 1) {
        return None;
    }
    Some(match hash {
        SHA256 => Algorithm::Ps256,
        SHA384 => Algorithm::Ps384,
        _ => Algorithm::Ps512,
    })
}

/// Whether `key` signed `cert` (the signature algorithms of the module docs).
///
/// # Errors
/// `UNTRUSTED_CERTIFICATE` for an algorithm or key outside them, or a signature that does not
/// verify.
fn check_signature(cert: &Cert, key: &VerifyingKey) -> Result<()> {
    let id = &cert.signature_algorithm;
    let no_params = id.parameters.is_none();
    let rsa_params = id.parameters.as_ref().is_none_or(|p| p.is_null());
    let (tbs, sig) = (cert.tbs.as_slice(), cert.signature.as_slice());
    let ok = match (id.oid, key.material()) {
        (ECDSA_SHA256 | ECDSA_SHA384 | ECDSA_SHA512, KeyMaterial::Ec(ec)) if no_params => {
            let digest = match id.oid {
                ECDSA_SHA256 => crate::hash::digest(crate::hash::HashAlg::Sha256, tbs),
                ECDSA_SHA384 => crate::hash::digest(crate::hash::HashAlg::Sha384, tbs),
                _ => crate::hash::digest(crate::hash::HashAlg::Sha512, tbs),
            };
            // Policy: `verify_prehash` refuses high-S signatures nowhere (X.509 signers do not
            // normalize S), as RFC 5480 allows.
            if ec.curve() == KeyType::Secp256k1 {
                return Err(untrusted("a secp256k1 key signs no certificate here"));
            }
            ec.verify_prehash_der(&digest, sig)
        }
        (RSA_SHA256, KeyMaterial::Rsa(_)) if rsa_params => key.verify_in_process(Algorithm::Rs256, tbs, sig),
        (RSA_SHA384, KeyMaterial::Rsa(_)) if rsa_params => key.verify_in_process(Algorithm::Rs384, tbs, sig),
        (RSA_SHA512, KeyMaterial::Rsa(_)) if rsa_params => key.verify_in_process(Algorithm::Rs512, tbs, sig),
        (RSA_PSS, KeyMaterial::Rsa(_)) => match pss_alg(id) {
            Some(alg) => key.verify_in_process(alg, tbs, sig),
            None => return Err(untrusted("RSA-PSS parameters other than SHA-2 with MGF1 of the same hash and salt of its length")),
        },
        (ED25519, KeyMaterial::Ed25519(_)) if no_params => key.verify_in_process(Algorithm::EdDsa, tbs, sig),
        (oid, _) => {
            return Err(untrusted(format!("signature algorithm {oid} with a {} key is not supported", key.key_type().name())));
        }
    };
    if ok {
        Ok(())
    } else {
        Err(untrusted("a certificate's signature does not verify"))
    }
}

/// One trust anchor: a certificate the caller trusts, used as a name and a key.
#[derive(Debug)]
struct Anchor {
    der: Vec<u8>,
    subject: Vec<u8>,
    key: core::result::Result<VerifyingKey, String>,
}


/// The anchors' certificates parsed, each as a name and a key (or why its key is not one
/// credcore verifies with: kept, failing only a chain that needs it).
///
/// # Errors
/// `MALFORMED_INPUT` (or `INPUT_TOO_LARGE`) at `trustAnchors[i]` for one that is not a certificate.
fn parse_anchors(ders: &[Vec<u8>]) -> Result<Vec<Anchor>> {
    ders.iter()
        .enumerate()
        .map(|(i, der)| {
            let cert = Cert::parse(der.clone()).map_err(|e| e.at(format!("trustAnchors[{i}]")))?;
            Ok(Anchor { subject: cert.subject, key: cert.key, der: cert.der })
        })
        .collect()
}

/// An anchor list parsed, by the digest of its DER.
type Parsed = Option<([u8; 32], Rc<Vec<Anchor>>)>;

thread_local! {
    /// The last anchor list parsed: a call validates each item's chain against the same list,
    /// parsed once.
    static PARSED: RefCell<Parsed> = const { RefCell::new(None) };
}

/// [`parse_anchors`] of `anchors`, the last list again when its digest is the same.
fn anchors_of(anchors: &TrustAnchors) -> Result<Rc<Vec<Anchor>>> {
    let digest = anchors.digest();
    if let Some(hit) = PARSED.with(|p| p.borrow().as_ref().filter(|(d, _)| *d == digest).map(|(_, a)| Rc::clone(a))) {
        return Ok(hit);
    }
    let parsed = Rc::new(parse_anchors(anchors.ders())?);
    PARSED.with(|p| *p.borrow_mut() = Some((digest, Rc::clone(&parsed))));
    Ok(parsed)
}

/// The in-process [`ChainValidator`]: this file.
#[derive(Clone, Copy, Debug, Default)]
pub struct InProcess;

impl ChainValidator for InProcess {
    fn check_anchors(&self, anchors: &TrustAnchors) -> Result<()> {
        anchors_of(anchors).map(|_| ())
    }

    fn validate(&self, chain: &[Vec<u8>], anchors: &TrustAnchors, now: i64) -> Result<CertifiedKey> {
        // The anchors first: one that is not a certificate fails every chain, as it fails the
        // options where the anchors could be parsed when they were given.
        let parsed = anchors_of(anchors)?;
        validate_path(chain, &parsed, now)
    }
}

/// Validates `chain` (decoded `x5c`, leaf first) to one of `anchors`, under the rules of
/// [`super`]'s module docs (see [`super::validate`]).
fn validate_path(chain: &[Vec<u8>], anchors: &[Anchor], now: i64) -> Result<CertifiedKey> {
    if chain.is_empty() || chain.len() > MAX_X5C_CERTS {
        return Err(Error::new(ErrorCode::InputTooLarge, format!("x5c has 1 to {MAX_X5C_CERTS} certificates")).at("x5c"));
    }
    let at = |i: usize| format!("x5c[{i}]");
    let certs = chain.iter().enumerate().map(|(i, der)| Cert::parse(der.clone()).map_err(|e| e.at(at(i)))).collect::<Result<Vec<_>>>()?;
    let last = certs.len() - 1;
    // The path: the chain, less its last certificate when that is itself an anchor (a leaf that
    // is an anchor stays the path: its leaf checks apply).
    let anchor_in_chain = certs.get(last).is_some_and(|c| anchors.iter().any(|a| a.der == c.der));
    let path_len = if anchor_in_chain && last > 0 { last } else { certs.len() };
    let path = certs.get(..path_len).unwrap_or_default();
    // The key that signed the top of the path.
    let top = path.last().ok_or_else(|| untrusted("empty path"))?;
    if !(anchor_in_chain && path_len == certs.len()) {
        let signer = if anchor_in_chain {
            let anchor = certs.get(last).ok_or_else(|| untrusted("empty path"))?;
            if anchor.subject != top.issuer {
                return Err(untrusted("the certificate's issuer is not the next certificate's subject").at(at(path_len - 1)));
            }
            anchor.key.clone().map_err(|why| untrusted(format!("the trust anchor's key: {why}")).at(at(last)))?
        } else {
            let mut found = None;
            let mut last_error = None;
            for anchor in anchors.iter().filter(|a| a.subject == top.issuer) {
                match &anchor.key {
                    Ok(k) => match check_signature(top, k) {
                        Ok(()) => {
                            found = Some(k.clone());
                            break;
                        }
                        Err(e) => last_error = Some(e),
                    },
                    Err(why) => last_error = Some(untrusted(format!("the trust anchor's key: {why}"))),
                }
            }
            match found {
                Some(k) => k,
                None => {
                    let why = last_error.map_or_else(|| "no trust anchor issued it".to_owned(), |e| format!("no trust anchor issued it ({})", e.message));
                    return Err(untrusted(format!("the chain does not end at a trust anchor: {why}")).at(at(path_len - 1)));
                }
            }
        };
        if anchor_in_chain {
            check_signature(top, &signer).map_err(|e| e.at(at(path_len - 1)))?;
        }
    }
    // Down the path: each certificate signed by the one above it; CA constraints counted from the
    // leaf up (RFC 5280 section 6.1.4 (l): self-issued intermediates do not count).
    let mut ca_below = 0usize;
    let (mut not_before, mut not_after) = (i64::MIN, i64::MAX);
    for (i, cert) in path.iter().enumerate() {
        if cert.not_after < now {
            return Err(Error::new(ErrorCode::CertificateExpired, format!("the certificate expired at {}", cert.not_after)).at(at(i)));
        }
        if now < cert.not_before {
            return Err(
                Error::new(ErrorCode::CertificateNotYetValid, format!("the certificate is not valid before {}", cert.not_before)).at(at(i)),
            );
        }
        not_before = not_before.max(cert.not_before);
        not_after = not_after.min(cert.not_after);
        if let Some(issuer) = path.get(i + 1) {
            if cert.issuer != issuer.subject {
                return Err(untrusted("the certificate's issuer is not the next certificate's subject").at(at(i)));
            }
            let key = issuer.key.as_ref().map_err(|why| untrusted(format!("its key: {why}")).at(at(i + 1)))?;
            check_signature(cert, key).map_err(|e| e.at(at(i)))?;
        }
        if i == 0 {
            if cert.key_usage.as_ref().is_some_and(|ku| !ku.digital_signature()) {
                return Err(untrusted("the leaf certificate's keyUsage lacks digitalSignature").at(at(0)));
            }
            continue;
        }
        match &cert.ca {
            Some(bc) if bc.ca => {
                if let Some(max) = bc.path_len_constraint {
                    if ca_below > usize::from(max) {
                        return Err(untrusted(format!("pathLenConstraint {max} is exceeded: {ca_below} CA certificates follow it")).at(at(i)));
                    }
                }
            }
            _ => return Err(untrusted("an issuing certificate is not a CA (basicConstraints cA)").at(at(i))),
        }
        if cert.key_usage.as_ref().is_some_and(|ku| !ku.key_cert_sign()) {
            return Err(untrusted("an issuing certificate's keyUsage lacks keyCertSign").at(at(i)));
        }
        if !cert.self_issued() {
            ca_below += 1;
        }
    }
    let leaf = certs.first().ok_or_else(|| untrusted("empty chain"))?;
    let key = leaf.key.clone().map_err(|why| Error::new(ErrorCode::UnsupportedAlgorithm, format!("the leaf certificate's key: {why}")).at(at(0)))?;
    Ok(CertifiedKey { key, not_before, not_after, dns_names: leaf.dns_names.clone(), uris: leaf.uris.clone() })
}

