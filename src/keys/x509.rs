//! X.509 certificate chains of a JWS header's `x5c` (RFC 7515 section 4.1.6), validated to the
//! caller's `trustAnchors` under RFC 5280 section 6.1 (the subset below), and the binding of an
//! issuer to the leaf certificate (draft-ietf-oauth-sd-jwt-vc section 3.5).
//!
//! Parsing is RustCrypto's (`x509-cert` over the strict DER codec of `der`); the path validation
//! is written here because RustCrypto has none, and the one well-kept Rust validator
//! (rustls-webpki) is built for TLS server names, ignores keyUsage and needs a C crypto backend
//! that does not build for wasm32. An `x5c` fixes its order (each certificate certifies the one
//! before it), so there is no path building: the path is the chain as given, ended by an anchor.
//!
//! What is checked, for a chain `[c0 (leaf), c1, ..., cn-1]` at the verification time `now`
//! (the `now` option or the host clock, the clock of every other time check; no clock skew is
//! applied to certificates):
//! - Bounds: 1 to [`MAX_X5C_CERTS`] certificates of at most [`MAX_CERT_BYTES`] DER bytes each,
//!   each standard base64 (RFC 4648 section 4, as RFC 7515 says) of one DER `Certificate`;
//!   anything else is `MALFORMED_INPUT` or `INPUT_TOO_LARGE` at `x5c[i]`.
//! - The anchor: `cn-1` is itself one of the anchors (byte for byte), or an anchor's subject is
//!   `cn-1`'s issuer and its key verifies `cn-1`'s signature. An anchor is a name and a key
//!   (RFC 5280 section 6.1.1 (d)): its own validity and extensions are not checked. A leaf that is
//!   itself an anchor is accepted (the caller pinned that certificate, as `issuerKeys` pins a
//!   key), and its validity and keyUsage are still checked as a leaf's.
//! - Each certificate of the path: its signature by the next one's key (the anchor's for the
//!   last), with the same algorithm inside and outside the TBS (section 4.1.1.2); its issuer name
//!   equal to the next one's subject (DER bytes compared: stricter than section 7.1's caseless
//!   matching); `notBefore <= now <= notAfter` (`CERTIFICATE_NOT_YET_VALID`,
//!   `CERTIFICATE_EXPIRED`); version 3 whenever it has extensions; no extension twice; no
//!   critical extension other than basicConstraints, keyUsage and subjectAltName.
//! - Each CA certificate (`c1` on): basicConstraints with `cA` true, and a pathLenConstraint not
//!   below the number of non-self-issued CA certificates under it; keyUsage, when present, with
//!   keyCertSign. The leaf: keyUsage, when present, with digitalSignature (an absent keyUsage
//!   restricts nothing, section 4.2.1.3).
//! - Signature algorithms (the pairs `src/keys` verifies): ECDSA over P-256 or P-384 with
//!   SHA-256, SHA-384 or SHA-512; RSA PKCS#1 v1.5 and PSS (MGF1 with the same hash, salt the hash
//!   length) with SHA-256/384/512 and 2048- to 4096-bit keys; Ed25519 (strict). Keys: EC P-256,
//!   P-384, secp256k1 (leaf only: no certificate signature uses it), RSA, Ed25519. Anything else
//!   is `UNTRUSTED_CERTIFICATE` naming it.
//!
//! Not supported, so refused when critical and ignored otherwise: name constraints, certificate
//! policies and policy constraints, extended key usage, revocation (CRLs, OCSP). A chain that
//! fails any check is `UNTRUSTED_CERTIFICATE` unless a code above says more.

use super::alg::KeyType;
use super::ec::EcKey;
use super::policy::PublicKey;
use super::rsa::RsaKey;
use super::verifying::KeyMaterial;
use super::alg::Algorithm;
use super::verifying::VerifyingKey;
use crate::error::{Error, ErrorCode, Result};
use crate::hash::sha256;
use base64::Engine as _;
use der::asn1::{ObjectIdentifier as Oid, UintRef};
use der::{Decode, Encode, Sequence};
use serde_json::Value;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, SubjectAltName};
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::Certificate;

/// Most certificates in one `x5c`: a leaf, intermediates and an anchor; real chains have 2 to 4.
/// Bounds the work of one chain at `MAX_X5C_CERTS` signature checks (about 2 ms each for ECDSA in
/// wasm).
pub const MAX_X5C_CERTS: usize = 10;
/// Largest certificate accepted, in DER bytes (an RSA-4096 certificate with many names is under
/// 3 KB).
pub const MAX_CERT_BYTES: usize = 16 * 1024;
/// Most trust anchors one call may pass.
pub const MAX_TRUST_ANCHORS: usize = 256;

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

fn untrusted(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::UntrustedCertificate, message)
}

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
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
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
            match ec {
                EcKey::P256(k) => p256::ecdsa::Signature::from_der(sig).is_ok_and(|s| k.verify_prehash(&digest, &s).is_ok()),
                EcKey::P384(k) => p384::ecdsa::Signature::from_der(sig).is_ok_and(|s| k.verify_prehash(&digest, &s).is_ok()),
                EcKey::Secp256k1(_) => return Err(untrusted("a secp256k1 key signs no certificate here")),
            }
        }
        (RSA_SHA256, KeyMaterial::Rsa(_)) if rsa_params => key.verify(Algorithm::Rs256, tbs, sig),
        (RSA_SHA384, KeyMaterial::Rsa(_)) if rsa_params => key.verify(Algorithm::Rs384, tbs, sig),
        (RSA_SHA512, KeyMaterial::Rsa(_)) if rsa_params => key.verify(Algorithm::Rs512, tbs, sig),
        (RSA_PSS, KeyMaterial::Rsa(_)) => match pss_alg(id) {
            Some(alg) => key.verify(alg, tbs, sig),
            None => return Err(untrusted("RSA-PSS parameters other than SHA-2 with MGF1 of the same hash and salt of its length")),
        },
        (ED25519, KeyMaterial::Ed25519(_)) if no_params => key.verify(Algorithm::EdDsa, tbs, sig),
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

/// The `trustAnchors` option, parsed: the certificates an `x5c` chain may end at.
#[derive(Debug, Default)]
pub struct TrustAnchors {
    anchors: Vec<Anchor>,
    /// SHA-256 over every anchor's DER (length-prefixed), in the caller's order: part of the key
    /// of a validated chain.
    digest: [u8; 32],
}

impl TrustAnchors {
    /// Parses certificates given as PEM (`-----BEGIN CERTIFICATE-----`) or as base64 DER.
    ///
    /// Policy: an anchor that does not parse fails the call (a mistake to report), while an
    /// anchor whose key credcore does not verify with is kept, and fails only a chain that needs
    /// it.
    ///
    /// # Errors
    /// `MALFORMED_INPUT` at `trustAnchors[i]` for text that is not a certificate;
    /// `INPUT_TOO_LARGE` past [`MAX_TRUST_ANCHORS`] or [`MAX_CERT_BYTES`].
    pub fn parse(list: &[String]) -> Result<TrustAnchors> {
        if list.len() > MAX_TRUST_ANCHORS {
            return Err(Error::new(ErrorCode::InputTooLarge, format!("more than {MAX_TRUST_ANCHORS} trust anchors")).at("trustAnchors"));
        }
        let mut anchors = Vec::with_capacity(list.len());
        let mut all = Vec::new();
        for (i, text) in list.iter().enumerate() {
            let at = format!("trustAnchors[{i}]");
            if text.len() > 2 * MAX_CERT_BYTES {
                return Err(Error::new(ErrorCode::InputTooLarge, format!("a certificate over {MAX_CERT_BYTES} bytes")).at(at));
            }
            let body: String = match text.trim().strip_prefix("-----BEGIN CERTIFICATE-----") {
                Some(rest) => match rest.split_once("-----END CERTIFICATE-----") {
                    Some((b, tail)) if tail.trim().is_empty() => b.chars().filter(|c| !c.is_ascii_whitespace()).collect(),
                    _ => return Err(Error::malformed("a PEM certificate ends with -----END CERTIFICATE-----").at(at)),
                },
                None => text.chars().filter(|c| !c.is_ascii_whitespace()).collect(),
            };
            let der = base64::engine::general_purpose::STANDARD
                .decode(body.as_bytes())
                .map_err(|_| Error::malformed("a trust anchor is a PEM certificate or base64 DER").at(at.clone()))?;
            let cert = Cert::parse(der).map_err(|e| e.at(at))?;
            all.extend_from_slice(&(cert.der.len() as u32).to_be_bytes());
            all.extend_from_slice(&cert.der);
            anchors.push(Anchor { subject: cert.subject, key: cert.key, der: cert.der });
        }
        Ok(TrustAnchors { anchors, digest: sha256(&all) })
    }

    /// Whether no anchor was given (then `x5c` is not a key source).
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }
}

/// The key of a validated chain's leaf, what it certifies, and when the validation holds.
#[derive(Clone, Debug)]
pub struct CertifiedKey {
    /// The leaf's public key.
    pub key: VerifyingKey,
    /// The latest `notBefore` of the path, seconds since the epoch: the validation holds from it on.
    pub not_before: i64,
    /// The earliest `notAfter` of the path: the validation holds until it (inclusive).
    pub not_after: i64,
    /// The leaf's dNSName subjectAltNames.
    pub dns_names: Vec<String>,
    /// The leaf's uniformResourceIdentifier subjectAltNames.
    pub uris: Vec<String>,
}

impl CertifiedKey {
    /// Whether the leaf certifies `issuer` (draft-ietf-oauth-sd-jwt-vc section 3.5): `issuer`
    /// equal to one of its URI names, or an `https` URL (or an RFC 4501 `dns:` URI) whose host is
    /// one of its DNS names (compared without case; no wildcards).
    pub fn names(&self, issuer: &str) -> bool {
        if self.uris.iter().any(|u| u == issuer) {
            return true;
        }
        let host = match (issuer.strip_prefix("https://"), issuer.strip_prefix("dns:")) {
            (Some(rest), _) => {
                let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
                if authority.contains('@') {
                    return false;
                }
                // A port does not change the host the certificate names.
                authority.rsplit_once(':').filter(|(_, p)| p.bytes().all(|b| b.is_ascii_digit())).map_or(authority, |(h, _)| h)
            }
            (None, Some(name)) => name,
            (None, None) => return false,
        };
        !host.is_empty() && self.dns_names.iter().any(|d| d.eq_ignore_ascii_case(host))
    }

    /// Whether the validation holds at `now` (seconds).
    pub fn holds_at(&self, now: i64) -> bool {
        self.not_before <= now && now <= self.not_after
    }
}

/// Decodes an `x5c` header value: an array of standard base64 DER certificates, leaf first.
///
/// # Errors
/// `MALFORMED_INPUT` (at `x5c` or `x5c[i]`) for another shape; `INPUT_TOO_LARGE` past
/// [`MAX_X5C_CERTS`] or [`MAX_CERT_BYTES`].
pub fn decode_x5c(x5c: &Value) -> Result<Vec<Vec<u8>>> {
    let Value::Array(items) = x5c else {
        return Err(Error::malformed("x5c is an array of base64 certificates").at("x5c"));
    };
    if items.is_empty() {
        return Err(Error::malformed("x5c has no certificate").at("x5c"));
    }
    if items.len() > MAX_X5C_CERTS {
        return Err(Error::new(ErrorCode::InputTooLarge, format!("x5c has more than {MAX_X5C_CERTS} certificates")).at("x5c"));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let at = format!("x5c[{i}]");
            let text = item.as_str().ok_or_else(|| Error::malformed("an x5c certificate is a base64 string").at(at.clone()))?;
            if text.len() > MAX_CERT_BYTES.div_ceil(3) * 4 {
                return Err(Error::new(ErrorCode::InputTooLarge, format!("a certificate over {MAX_CERT_BYTES} bytes")).at(at));
            }
            base64::engine::general_purpose::STANDARD
                .decode(text.as_bytes())
                .map_err(|_| Error::malformed("an x5c certificate is standard base64 (RFC 4648 section 4) of DER").at(at))
        })
        .collect()
}

/// The key of a validated chain in a cache: the anchors and the chain, length-prefixed.
pub fn chain_digest(chain: &[Vec<u8>], anchors: &TrustAnchors) -> [u8; 32] {
    let mut all = Vec::with_capacity(32 + chain.iter().map(|c| c.len() + 4).sum::<usize>());
    all.extend_from_slice(&anchors.digest);
    for cert in chain {
        all.extend_from_slice(&(cert.len() as u32).to_be_bytes());
        all.extend_from_slice(cert);
    }
    sha256(&all)
}

/// Validates `chain` (decoded `x5c`, leaf first) to one of `anchors` at `now` (seconds), under the
/// rules of the module docs.
///
/// # Errors
/// `MALFORMED_INPUT` or `INPUT_TOO_LARGE` at `x5c[i]` for a certificate that does not parse;
/// `CERTIFICATE_EXPIRED` or `CERTIFICATE_NOT_YET_VALID` at `x5c[i]`; `UNTRUSTED_CERTIFICATE` for
/// every other failure (at `x5c[i]` when one certificate is at fault).
pub fn validate(chain: &[Vec<u8>], anchors: &TrustAnchors, now: i64) -> Result<CertifiedKey> {
    if chain.is_empty() || chain.len() > MAX_X5C_CERTS {
        return Err(Error::new(ErrorCode::InputTooLarge, format!("x5c has 1 to {MAX_X5C_CERTS} certificates")).at("x5c"));
    }
    let at = |i: usize| format!("x5c[{i}]");
    let certs = chain.iter().enumerate().map(|(i, der)| Cert::parse(der.clone()).map_err(|e| e.at(at(i)))).collect::<Result<Vec<_>>>()?;
    let last = certs.len() - 1;
    // The path: the chain, less its last certificate when that is itself an anchor (a leaf that
    // is an anchor stays the path: its leaf checks apply).
    let anchor_in_chain = certs.get(last).is_some_and(|c| anchors.anchors.iter().any(|a| a.der == c.der));
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
            for anchor in anchors.anchors.iter().filter(|a| a.subject == top.issuer) {
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

/// A cache of validated chains, by [`chain_digest`].
pub type ChainCache = crate::cache::TtlLru<[u8; 32], std::sync::Arc<CertifiedKey>>;

/// Step 3 of the trust order (`keys/source.rs`): the key `x5c` certifies for `issuer`, when it is
/// the source of that key. `None` when it is not: no anchors, a did:key or did:jwk issuer (the
/// DID is the key), or `in_issuer_keys`, an issuer the caller's `issuerKeys` name (the caller's
/// keys come first).
/// A validated chain is served from `cache` while the validation holds at `now` (seconds).
///
/// # Errors
/// As [`decode_x5c`] and [`validate`], and `UNTRUSTED_CERTIFICATE` when the leaf does not name
/// `issuer` ([`CertifiedKey::names`]); paths are under `x5c`.
pub fn certified_key(
    issuer: &str,
    x5c: &Value,
    anchors: &TrustAnchors,
    in_issuer_keys: bool,
    cache: Option<&mut ChainCache>,
    now: i64,
) -> Option<Result<std::sync::Arc<CertifiedKey>>> {
    if anchors.is_empty() || issuer.starts_with("did:key:") || issuer.starts_with("did:jwk:") || in_issuer_keys {
        return None;
    }
    let found = (|| {
        let chain = decode_x5c(x5c)?;
        let digest = chain_digest(&chain, anchors);
        // The cache's clock is in milliseconds; a chain holds for whole seconds.
        let now_ms = now as f64 * 1000.0;
        let mut cache = cache;
        if let Some(hit) = cache.as_deref_mut().and_then(|c| c.get_if(&digest, now_ms, |k| k.holds_at(now))) {
            return Ok(std::sync::Arc::clone(hit));
        }
        let key = std::sync::Arc::new(validate(&chain, anchors, now)?);
        if let Some(c) = cache {
            // Never held past the earliest notAfter (nor served before the latest notBefore:
            // `holds_at` above, for a clock set back).
            let until_ms = (key.not_after.saturating_add(1)) as f64 * 1000.0;
            c.insert_until(digest, std::sync::Arc::clone(&key), now_ms, until_ms);
        }
        Ok(key)
    })();
    Some(found.and_then(|key| {
        if key.names(issuer) {
            Ok(key)
        } else {
            let shown: String = issuer.chars().take(200).collect();
            Err(untrusted(format!("the leaf certificate does not name the issuer {shown} (no URI subjectAltName equal to it, nor a DNS name of its host)"))
                .at("x5c[0]"))
        }
    }))
}
