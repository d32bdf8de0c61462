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
//!
//! Where it runs: the validation ([`path`], with the `x509` feature) is in-process natively; the
//! default wasm module leaves it out (x509-cert, der and the path code are about a tenth of it)
//! and asks the lazily loaded keys module (`keys-wasm/`, pkg/credcore_keys_bg.wasm) through one
//! seam, [`ChainValidator`], installed at the boundary (`src/wasm/x509.rs`). What stays here, in
//! the core, whoever validates: the bounds and decoding of `x5c` and `trustAnchors`, the rule of
//! when `x5c` is a key source ([`certified_key`]), the binding of the issuer to the leaf's names
//! ([`CertifiedKey::names`]), the cache of validated chains and its lifetime, the clock (`now` is
//! handed in), and the leaf key's own policy (it is decoded again here, as any key is: an EC point
//! must be on its curve, an RSA key within its sizes). A validator that is missing or fails is
//! an error with a code (`NOT_INITIALIZED`, `INTERNAL_ERROR`), never a key.

use super::verifying::VerifyingKey;
use crate::error::{Error, ErrorCode, Result};
use crate::hash::sha256;
use base64::Engine as _;
use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;

#[cfg(feature = "x509")]
pub mod module;
#[cfg(feature = "x509")]
mod path;
pub mod wire;

/// Most certificates in one `x5c`: a leaf, intermediates and an anchor; real chains have 2 to 4.
/// Bounds the work of one chain at `MAX_X5C_CERTS` signature checks (about 2 ms each for ECDSA in
/// wasm).
pub const MAX_X5C_CERTS: usize = 10;
/// Largest certificate accepted, in DER bytes (an RSA-4096 certificate with many names is under
/// 3 KB).
pub const MAX_CERT_BYTES: usize = 16 * 1024;
/// Most trust anchors one call may pass.
pub const MAX_TRUST_ANCHORS: usize = 256;

pub(crate) fn untrusted(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::UntrustedCertificate, message)
}

/// The `trustAnchors` option, decoded: the DER certificates an `x5c` chain may end at.
#[derive(Debug, Default)]
pub struct TrustAnchors {
    ders: Vec<Vec<u8>>,
    /// SHA-256 over every anchor's DER (length-prefixed), in the caller's order: part of the key
    /// of a validated chain.
    digest: [u8; 32],
}

impl TrustAnchors {
    /// Parses certificates given as PEM (`-----BEGIN CERTIFICATE-----`) or as base64 DER.
    ///
    /// Policy: an anchor that does not parse fails the call (a mistake to report), while an
    /// anchor whose key credcore does not verify with is kept, and fails only a chain that needs
    /// it. Where the validator is not loaded yet (a browser before `loadKeys()`), the anchors are
    /// checked with the first chain instead, which then fails with the same error.
    ///
    /// # Errors
    /// `MALFORMED_INPUT` at `trustAnchors[i]` for text that is not a certificate;
    /// `INPUT_TOO_LARGE` past [`MAX_TRUST_ANCHORS`] or [`MAX_CERT_BYTES`].
    pub fn parse(list: &[String]) -> Result<TrustAnchors> {
        if list.len() > MAX_TRUST_ANCHORS {
            return Err(Error::new(ErrorCode::InputTooLarge, format!("more than {MAX_TRUST_ANCHORS} trust anchors")).at("trustAnchors"));
        }
        let mut ders = Vec::with_capacity(list.len());
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
            if der.len() > MAX_CERT_BYTES {
                return Err(Error::new(ErrorCode::InputTooLarge, format!("a certificate over {MAX_CERT_BYTES} bytes")).at(at));
            }
            ders.push(der);
        }
        let anchors = TrustAnchors::from_ders(ders);
        if anchors.is_empty() {
            return Ok(anchors);
        }
        if let Ok(validator) = current() {
            match validator.check_anchors(&anchors) {
                Err(e) if e.code != ErrorCode::NotInitialized => return Err(e),
                _ => {}
            }
        }
        Ok(anchors)
    }

    /// The anchors of DER certificates as given (not parsed: see [`ChainValidator`]).
    pub fn from_ders(ders: Vec<Vec<u8>>) -> TrustAnchors {
        let mut all = Vec::with_capacity(ders.iter().map(|d| d.len() + 4).sum());
        for der in &ders {
            all.extend_from_slice(&(der.len() as u32).to_be_bytes());
            all.extend_from_slice(der);
        }
        TrustAnchors { digest: sha256(&all), ders }
    }

    /// Whether no anchor was given (then `x5c` is not a key source).
    pub fn is_empty(&self) -> bool {
        self.ders.is_empty()
    }

    /// The anchors' DER certificates, in the caller's order.
    pub fn ders(&self) -> &[Vec<u8>] {
        &self.ders
    }

    /// SHA-256 over every anchor's DER, each length-prefixed.
    #[cfg(any(feature = "x509", test, feature = "internals"))]
    pub fn digest(&self) -> [u8; 32] {
        self.digest
    }
}

/// The X.509 machinery the core needs (see the module docs): in-process with the `x509` feature,
/// the lazily loaded keys module in the default wasm build.
pub trait ChainValidator {
    /// Whether every anchor is a certificate.
    ///
    /// # Errors
    /// `MALFORMED_INPUT` or `INPUT_TOO_LARGE` at `trustAnchors[i]`; `NOT_INITIALIZED` when the
    /// validator is not loaded.
    fn check_anchors(&self, anchors: &TrustAnchors) -> Result<()>;

    /// Validates `chain` (decoded `x5c`, leaf first, within the bounds of [`decode_x5c`]) to one
    /// of `anchors` at `now` (seconds), under the rules of the module docs.
    ///
    /// # Errors
    /// As [`validate`].
    fn validate(&self, chain: &[Vec<u8>], anchors: &TrustAnchors, now: i64) -> Result<CertifiedKey>;
}

thread_local! {
    static INSTALLED: RefCell<Option<Rc<dyn ChainValidator>>> = const { RefCell::new(None) };
}

/// Makes `validator` the one this thread's verifications use (the wasm boundary installs the
/// bridge to the keys module); `None` returns to the built-in one, if any.
#[cfg(any(target_arch = "wasm32", test, feature = "internals"))]
pub fn install(validator: Option<Rc<dyn ChainValidator>>) {
    INSTALLED.with(|i| *i.borrow_mut() = validator);
}

/// The installed validator, else the in-process one (the `x509` feature).
///
/// # Errors
/// `NOT_INITIALIZED` when this build has neither.
fn current() -> Result<Rc<dyn ChainValidator>> {
    if let Some(installed) = INSTALLED.with(|i| i.borrow().clone()) {
        return Ok(installed);
    }
    #[cfg(feature = "x509")]
    {
        Ok(Rc::new(path::InProcess))
    }
    #[cfg(not(feature = "x509"))]
    {
        Err(Error::new(ErrorCode::NotInitialized, "x5c chains are validated by the keys module, which this build does not have"))
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
/// rules of the module docs, with the current [`ChainValidator`]; the leaf key it answers is
/// decoded again under the core's own key policy.
///
/// # Errors
/// `MALFORMED_INPUT` or `INPUT_TOO_LARGE` at `x5c[i]` for a certificate that does not parse (at
/// `trustAnchors[i]` for an anchor, where that was not found when they were given);
/// `CERTIFICATE_EXPIRED` or `CERTIFICATE_NOT_YET_VALID` at `x5c[i]`; `UNTRUSTED_CERTIFICATE` for
/// every other failure (at `x5c[i]` when one certificate is at fault); `NOT_INITIALIZED` when
/// the keys module is not loaded; `INTERNAL_ERROR` when it failed.
pub fn validate(chain: &[Vec<u8>], anchors: &TrustAnchors, now: i64) -> Result<CertifiedKey> {
    if chain.is_empty() || chain.len() > MAX_X5C_CERTS {
        return Err(Error::new(ErrorCode::InputTooLarge, format!("x5c has 1 to {MAX_X5C_CERTS} certificates")).at("x5c"));
    }
    current()?.validate(chain, anchors, now)
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
