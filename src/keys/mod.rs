//! Keys and signatures: the JWS algorithms credcore verifies ([`Algorithm`]), public keys of
//! every supported type ([`VerifyingKey`]: Ed25519, P-256, P-384, secp256k1, RSA) from JWKs,
//! did:key and did:jwk, the strict Ed25519 policy and batch equation ([`verify_batch`],
//! [`BatchState`]), the settling of other signatures ([`HostJob`], [`HostVerifier`]), signing
//! keys ([`KeyPair`] for Ed25519, [`SigningKey`] for EdDSA, ES256 and ES384), and where an
//! issuer's key comes from ([`KeySource`]).
//!
//! Where each signature is checked: Ed25519 in one batch verification (about 2.7x faster per
//! signature than one by one); ECDSA and RSA one by one through a [`HostVerifier`]: the host's
//! (node:crypto, WebCrypto: about 17x RustCrypto's P-256 in wasm), settling the whole list in
//! one crossing, or in-process ([`RustVerifier`]) through [`curves`], whose arithmetic is
//! RustCrypto's with the `curves` feature and the lazily loaded keys module's otherwise. Points
//! are decoded and checked on their curve in every build (`sec1.rs`).

mod alg;
mod batch_verify;
mod fixed_base;
pub mod curves;
mod did;
mod documents;
mod ec;
mod host;
mod jwk;
mod policy;
mod rsa;
mod sec1;
mod signing;
mod source;
mod verifying;
pub mod x509;

pub use alg::Algorithm;
#[cfg(feature = "internals")]
pub use alg::KeyType;
pub use did::{did_from_public_key, kid_for, public_key_from_did};
#[cfg(feature = "internals")]
pub use did::{kid_is_did_jwk_of, DidKey, MAX_DID_JWK_BYTES};
pub use ec::EcKey;
pub use curves::RustVerifier;
pub use host::{HostJob, HostKeys, HostVerifier, JobTag};
#[cfg(feature = "curves")]
pub use host::key_from_host;
pub use jwk::{jwk_thumbprint, public_key_from_jwk, Jwk};
pub use batch_verify::{verify_batch, BatchState, SignatureJob};
#[cfg(feature = "internals")]
pub use batch_verify::{calibration_report, take_work, Work};
pub use policy::{verify, PublicKey, PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH};
pub use rsa::{MAX_RSA_BITS, MIN_RSA_BITS};
#[cfg(feature = "internals")]
pub use rsa::RsaKey;
pub use signing::{Signer, SigningKey};
#[cfg(feature = "internals")]
pub use signing::EcdsaKey;
#[cfg(feature = "internals")]
pub use signing::SIGNING_ALGORITHMS;
pub use documents::{parse_supplied as parse_key_document, FetchKind, KeyFetch, Resolved, SuppliedDocument};
#[cfg(feature = "internals")]
pub use documents::{did_web_url, issuer_metadata_url, parse_did_document, DocumentKey};
pub use source::{kid_is_did_key_of, resolve_issuer_key, DidKeySource, IssuerKeys, KeySource, Purpose};
#[cfg(feature = "internals")]
pub use source::{IssuerKey, KeyNeed};
pub use verifying::VerifyingKey;
#[cfg(feature = "internals")]
pub use verifying::KeyMaterial;

use crate::error::{Error, Result};
use ed25519_dalek::Signer as _;
use ed25519_dalek::SigningKey as Ed25519SigningKey;
use zeroize::Zeroizing;

/// Length of an Ed25519 secret key (seed) in bytes.
pub const SECRET_KEY_LENGTH: usize = 32;

/// An Ed25519 key pair. The secret is zeroized when the pair is dropped.
pub struct KeyPair {
    signing: Ed25519SigningKey,
    public: PublicKey,
}

impl core::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KeyPair").field("public", &self.public).finish_non_exhaustive()
    }
}

impl KeyPair {
    /// A new key pair from the platform CSPRNG (`crypto.getRandomValues` in wasm).
    ///
    /// # Errors
    /// `INTERNAL_ERROR` when the platform has no random source.
    pub fn generate() -> Result<KeyPair> {
        let mut seed = Zeroizing::new([0u8; 32]);
        crate::random::system_random(seed.as_mut())?;
        Ok(KeyPair::from_seed(&seed))
    }

    /// The key pair of a 32-byte seed (the RFC 8032 secret key).
    pub fn from_seed(seed: &[u8; 32]) -> KeyPair {
        let signing = Ed25519SigningKey::from_bytes(seed);
        let verifying = signing.verifying_key();
        // [a]B for a clamped scalar a: canonically encoded and never of small order.
        let public = PublicKey::from_parts(*verifying.as_bytes(), verifying.to_edwards());
        KeyPair { signing, public }
    }

    /// The key pair of a seed given as a slice.
    ///
    /// # Errors
    /// `MALFORMED_INPUT` unless the seed is exactly 32 bytes.
    pub fn from_seed_slice(seed: &[u8]) -> Result<KeyPair> {
        let seed: &[u8; 32] =
            seed.try_into().map_err(|_| Error::malformed(format!("an Ed25519 secret key is 32 bytes, not {}", seed.len())))?;
        Ok(KeyPair::from_seed(seed))
    }

    /// The public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// The 32-byte secret seed, in a buffer that is zeroized on drop.
    pub fn secret_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.signing.to_bytes())
    }

    /// Signs `message` (RFC 8032 deterministic signature).
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }

    /// The did:key of the public key.
    pub fn did(&self) -> String {
        did_from_public_key(self.public.as_bytes())
    }

    /// The key id `did:key:z...#z...` of the public key.
    pub fn kid(&self) -> String {
        kid_for(self.public.as_bytes())
    }

    /// The public key as an OKP JWK.
    pub fn public_jwk(&self) -> Jwk {
        Jwk::from_public_key(self.public.as_bytes())
    }
}

/// Verifies a signature given as slices; lengths are checked first.
///
/// # Errors
/// `MALFORMED_INPUT` when the signature is not 64 bytes or the key not 32 bytes.
pub fn verify_slices(message: &[u8], signature: &[u8], public_key: &[u8]) -> Result<bool> {
    let sig: &[u8; 64] = signature
        .try_into()
        .map_err(|_| Error::malformed(format!("an Ed25519 signature is 64 bytes, not {}", signature.len())).at("signature"))?;
    if public_key.len() != PUBLIC_KEY_LENGTH {
        return Err(Error::malformed(format!("an Ed25519 public key is 32 bytes, not {}", public_key.len())).at("publicKey"));
    }
    // A well-formed 32-byte string that is not an acceptable key verifies nothing.
    Ok(match PublicKey::from_bytes(public_key) {
        Ok(key) => verify(message, sig, &key),
        Err(_) => false,
    })
}
