//! Signing keys for issuance: Ed25519 (EdDSA) and ECDSA on P-256 (ES256), P-384 (ES384) and
//! secp256k1 (ES256K), behind one [`Signer`] trait that JWS signing takes.
//!
//! ECDSA signatures are deterministic (RFC 6979, through RustCrypto's `ecdsa`) and written as
//! JWS wants them: `r || s`, each the full field length (RFC 7518 section 3.4). Their arithmetic
//! is [`super::curves`]'s: in-process with the `curves` feature, else the keys module, which a
//! key needs from when it is made (its public key) to its last signature.

use super::alg::Algorithm;
use super::alg::KeyType;
use super::ec::EcKey;
use super::verifying::VerifyingKey;
use super::KeyPair;
use crate::error::{Error, ErrorCode, Result};
use zeroize::Zeroizing;

/// What signs a JWS: an algorithm, a signature over bytes, and the key's identifiers.
pub trait Signer: core::fmt::Debug {
    /// The JWS `alg` of the signatures.
    fn algorithm(&self) -> Algorithm;
    /// The JWS signature of `message` (EdDSA 64 bytes; ECDSA `r || s`).
    fn sign_message(&self, message: &[u8]) -> Vec<u8>;
    /// The public key.
    fn verifying_key(&self) -> VerifyingKey;
    /// The DID of the public key (did:key).
    fn did(&self) -> String {
        self.verifying_key().did()
    }
    /// The key id of the public key (`did:key:z...#z...`).
    fn kid(&self) -> String {
        self.verifying_key().kid()
    }
}

impl Signer for KeyPair {
    fn algorithm(&self) -> Algorithm {
        Algorithm::EdDsa
    }
    fn sign_message(&self, message: &[u8]) -> Vec<u8> {
        self.sign(message).to_vec()
    }
    fn verifying_key(&self) -> VerifyingKey {
        self.public_key().clone().into()
    }
    fn did(&self) -> String {
        KeyPair::did(self)
    }
    fn kid(&self) -> String {
        KeyPair::kid(self)
    }
}

/// A signing key of any algorithm credcore issues with. Secrets are zeroized on drop.
pub enum SigningKey {
    /// Ed25519 (boxed: its key pair holds precomputed points).
    Ed25519(Box<KeyPair>),
    /// ECDSA (ES256, ES384, ES256K).
    Ecdsa(EcdsaKey),
}

/// An ECDSA signing key: the algorithm, the secret scalar (zeroized on drop) and its public key.
pub struct EcdsaKey {
    alg: Algorithm,
    secret: Zeroizing<Vec<u8>>,
    public: EcKey,
}

impl core::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SigningKey").field("alg", &self.algorithm()).field("did", &self.did()).finish_non_exhaustive()
    }
}

/// The algorithms a key pair can be generated for.
#[cfg(any(test, feature = "internals"))]
pub const SIGNING_ALGORITHMS: &[Algorithm] = &[Algorithm::EdDsa, Algorithm::Es256, Algorithm::Es384, Algorithm::Es256k];

fn unsupported(alg: Algorithm) -> Error {
    Error::new(
        ErrorCode::UnsupportedAlgorithm,
        format!("keys are generated and used for signing with EdDSA, ES256, ES384 and ES256K, not {alg}"),
    )
}

impl SigningKey {
    /// A new key for `alg` from the platform CSPRNG.
    ///
    /// # Errors
    /// `UNSUPPORTED_ALGORITHM` for an algorithm other than EdDSA, ES256, ES384, ES256K;
    /// `INTERNAL_ERROR` when the platform has no random source; `NOT_INITIALIZED` for ECDSA
    /// when the keys module is not loaded.
    pub fn generate(alg: Algorithm) -> Result<SigningKey> {
        let len = match alg {
            Algorithm::EdDsa => return KeyPair::generate().map(|k| SigningKey::Ed25519(Box::new(k))),
            Algorithm::Es256 | Algorithm::Es384 | Algorithm::Es256k => EcKey::field_len(alg.key_type()).unwrap_or(32),
            other => return Err(unsupported(other)),
        };
        // A uniformly random string is a valid scalar except with probability about 2^-128
        // (zero or at least the group order); draw again then.
        for _ in 0..8 {
            let mut secret = Zeroizing::new(vec![0u8; len]);
            crate::random::system_random(&mut secret)?;
            if super::sec1::scalar_in_range(alg.key_type(), &secret) {
                return SigningKey::from_secret(alg, &secret);
            }
        }
        Err(Error::new(ErrorCode::InternalError, "the random source keeps returning invalid scalars"))
    }

    /// The key of a secret: an Ed25519 seed (32 bytes), or an ECDSA scalar, big-endian, the
    /// field length (32 bytes for P-256 and secp256k1, 48 for P-384), in `[1, n - 1]`.
    ///
    /// # Errors
    /// `UNSUPPORTED_ALGORITHM` as for [`SigningKey::generate`]; `MALFORMED_INPUT` for a secret of
    /// the wrong length; `INVALID_KEY` for a scalar out of range; `NOT_INITIALIZED` for ECDSA
    /// when the keys module is not loaded.
    pub fn from_secret(alg: Algorithm, secret: &[u8]) -> Result<SigningKey> {
        let check_len = |len: usize| {
            if secret.len() == len {
                Ok(())
            } else {
                Err(Error::malformed(format!("an {alg} secret key is {len} bytes, not {}", secret.len())))
            }
        };
        match alg {
            Algorithm::EdDsa => KeyPair::from_seed_slice(secret).map(|k| SigningKey::Ed25519(Box::new(k))),
            Algorithm::Es256 | Algorithm::Es384 | Algorithm::Es256k => {
                let curve: KeyType = alg.key_type();
                check_len(EcKey::field_len(curve).unwrap_or(0))?;
                if !super::sec1::scalar_in_range(curve, secret) {
                    return Err(Error::new(ErrorCode::InvalidKey, format!("not an {alg} secret key: the scalar is out of range")));
                }
                let public = super::curves::public_key(alg, secret)?;
                if public.curve() != curve {
                    return Err(Error::new(ErrorCode::InternalError, "the keys module answered a key of another curve"));
                }
                Ok(SigningKey::Ecdsa(EcdsaKey { alg, secret: Zeroizing::new(secret.to_vec()), public }))
            }
            other => Err(unsupported(other)),
        }
    }

    /// The secret: the Ed25519 seed or the ECDSA scalar, in a buffer zeroized on drop.
    pub fn secret_bytes(&self) -> Zeroizing<Vec<u8>> {
        match self {
            SigningKey::Ed25519(k) => Zeroizing::new(k.secret_bytes().to_vec()),
            SigningKey::Ecdsa(k) => k.secret.clone(),
        }
    }

    /// The public key in its compact form: 32 Ed25519 bytes, or a compressed SEC 1 point (33
    /// bytes for P-256 and secp256k1, 49 for P-384).
    pub fn public_bytes(&self) -> Vec<u8> {
        match self {
            SigningKey::Ed25519(k) => k.public_key().as_bytes().to_vec(),
            SigningKey::Ecdsa(k) => k.public.sec1(true),
        }
    }
}

impl Signer for SigningKey {
    fn algorithm(&self) -> Algorithm {
        match self {
            SigningKey::Ed25519(_) => Algorithm::EdDsa,
            SigningKey::Ecdsa(k) => k.alg,
        }
    }

    fn sign_message(&self, message: &[u8]) -> Vec<u8> {
        match self {
            SigningKey::Ed25519(k) => k.sign(message).to_vec(),
            // Empty when the keys module failed, with the failure kept for the caller
            // (`super::curves::take_failure`).
            SigningKey::Ecdsa(k) => super::curves::sign(k.alg, &k.secret, message),
        }
    }

    fn verifying_key(&self) -> VerifyingKey {
        match self {
            SigningKey::Ed25519(k) => k.public_key().clone().into(),
            SigningKey::Ecdsa(k) => k.public.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::hex_decode;

    #[test]
    fn ecdsa_keys_sign_what_their_public_keys_verify() {
        for alg in SIGNING_ALGORITHMS {
            let key = SigningKey::generate(*alg).unwrap();
            let sig = key.sign_message(b"message");
            assert_eq!(Some(sig.len()), alg.signature_len());
            let public = key.verifying_key();
            assert!(public.verify(*alg, b"message", &sig), "{alg}");
            assert!(!public.verify(*alg, b"messagf", &sig), "{alg}");
            let again = SigningKey::from_secret(*alg, &key.secret_bytes()).unwrap();
            assert_eq!(again.verifying_key(), public);
            assert!(key.did().starts_with("did:key:z"));
            assert_eq!(VerifyingKey::from_did(&key.did()).unwrap(), public);
        }
        assert_eq!(SigningKey::from_secret(Algorithm::Es256k, &[0xff; 32]).unwrap_err().code, ErrorCode::InvalidKey);
        assert_eq!(SigningKey::generate(Algorithm::Rs256).unwrap_err().code, ErrorCode::UnsupportedAlgorithm);
        assert_eq!(SigningKey::from_secret(Algorithm::Es256, &[1; 31]).unwrap_err().code, ErrorCode::MalformedInput);
        assert_eq!(SigningKey::from_secret(Algorithm::Es256, &[0; 32]).unwrap_err().code, ErrorCode::InvalidKey);
        assert_eq!(SigningKey::from_secret(Algorithm::Es256, &[0xff; 32]).unwrap_err().code, ErrorCode::InvalidKey);
    }

    #[test]
    fn rfc6979_p256_sha256_sample_is_reproduced() {
        // RFC 6979 appendix A.2.5: deterministic k, so the signature is the published one.
        let x = hex_decode("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721").unwrap();
        let key = SigningKey::from_secret(Algorithm::Es256, &x).unwrap();
        let expected = hex_decode("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8").unwrap();
        assert_eq!(key.sign_message(b"sample"), expected);
    }
}
