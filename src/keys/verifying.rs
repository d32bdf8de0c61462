//! A public key of any supported type (Ed25519, P-256, P-384, secp256k1, RSA) and which JWS
//! algorithms it verifies.
//!
//! Policy (no algorithm confusion): a key verifies exactly the algorithms of its type (an
//! Ed25519 key EdDSA only, a P-256 key ES256 only, a P-384 key ES384 only, a secp256k1 key
//! ES256K only, an RSA key RS*/PS* only), and a key that came with a JWK `alg` member verifies
//! that algorithm only. A JWS whose header names any other algorithm is refused before any
//! arithmetic.

use super::alg::{Algorithm, KeyType};
use super::ec::EcKey;
use super::policy::PublicKey;
use super::rsa::RsaKey;

/// The key material of a [`VerifyingKey`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyMaterial {
    /// Ed25519, checked under the strict policy ([`PublicKey`]).
    Ed25519(PublicKey),
    /// ECDSA on P-256, P-384 or secp256k1.
    Ec(EcKey),
    /// RSA, 2048 to 4096 bits.
    Rsa(RsaKey),
}

/// A public key, and the one algorithm it is restricted to when it came with one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyingKey {
    material: KeyMaterial,
    alg: Option<Algorithm>,
}

impl From<PublicKey> for VerifyingKey {
    fn from(key: PublicKey) -> VerifyingKey {
        VerifyingKey { material: KeyMaterial::Ed25519(key), alg: None }
    }
}

impl From<EcKey> for VerifyingKey {
    fn from(key: EcKey) -> VerifyingKey {
        VerifyingKey { material: KeyMaterial::Ec(key), alg: None }
    }
}

impl From<RsaKey> for VerifyingKey {
    fn from(key: RsaKey) -> VerifyingKey {
        VerifyingKey { material: KeyMaterial::Rsa(key), alg: None }
    }
}

impl VerifyingKey {
    /// The key material.
    pub fn material(&self) -> &KeyMaterial {
        &self.material
    }

    /// The key type.
    pub fn key_type(&self) -> KeyType {
        match &self.material {
            KeyMaterial::Ed25519(_) => KeyType::Ed25519,
            KeyMaterial::Ec(k) => k.curve(),
            KeyMaterial::Rsa(_) => KeyType::Rsa,
        }
    }

    /// The Ed25519 key, when it is one.
    pub fn ed25519(&self) -> Option<&PublicKey> {
        match &self.material {
            KeyMaterial::Ed25519(k) => Some(k),
            _ => None,
        }
    }

    /// The algorithm the key is restricted to (a JWK's `alg` member), if any.
    pub fn alg(&self) -> Option<Algorithm> {
        self.alg
    }

    /// The same key restricted to `alg` (as a JWK `alg` member restricts it).
    pub fn restricted_to(mut self, alg: Algorithm) -> VerifyingKey {
        self.alg = Some(alg);
        self
    }

    /// Why the key cannot verify a JWS of `alg`, or `None` when it can (see the module docs).
    pub fn refuses(&self, alg: Algorithm) -> Option<String> {
        if alg.key_type() != self.key_type() {
            return Some(format!("alg {alg} needs a {} key, and the key is {}", alg.key_type().name(), self.key_type().name()));
        }
        match self.alg {
            Some(only) if only != alg => Some(format!("the key is for {only} only (its JWK 'alg'), and the JWS says {alg}")),
            _ => None,
        }
    }

    /// [`VerifyingKey::verify`] with RustCrypto's arithmetic, in this process.
    #[cfg(feature = "curves")]
    pub fn verify_in_process(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> bool {
        if self.refuses(alg).is_some() {
            return false;
        }
        match &self.material {
            KeyMaterial::Ed25519(k) => <&[u8; 64]>::try_from(signature).is_ok_and(|s| super::policy::verify(message, s, k)),
            KeyMaterial::Ec(k) => k.verify(message, signature),
            KeyMaterial::Rsa(k) => k.verify(alg, message, signature),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::KeyPair;

    #[test]
    fn a_key_verifies_its_own_algorithms_only() {
        let pair = KeyPair::from_seed(&[3; 32]);
        let key = VerifyingKey::from(pair.public_key().clone());
        let sig = pair.sign(b"m");
        assert!(key.verify(Algorithm::EdDsa, b"m", &sig));
        for alg in Algorithm::ALL.iter().filter(|a| **a != Algorithm::EdDsa) {
            assert!(key.refuses(*alg).is_some(), "{alg}");
            assert!(!key.verify(*alg, b"m", &sig), "{alg}");
        }
        assert!(key.refuses(Algorithm::EdDsa).is_none());
        let only_es = key.clone().restricted_to(Algorithm::Es256);
        assert!(only_es.refuses(Algorithm::EdDsa).is_some());
        assert!(!only_es.verify(Algorithm::EdDsa, b"m", &sig));
    }
}
