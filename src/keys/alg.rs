//! JWS signature algorithms (RFC 7518 section 3.1, RFC 8037 section 3.1, RFC 8812 section 3.2)
//! that credcore verifies, and the key each one needs.
//!
//! Policy: EdDSA (Ed25519 only), ES256 (P-256), ES384 (P-384), ES256K (secp256k1), RS256/384/512
//! (RSASSA-PKCS1-v1_5) and PS256/384/512 (RSASSA-PSS, salt as long as the hash). `none`, HMAC
//! (`HS*`) and every other name are `UNSUPPORTED_ALGORITHM`: a verifier holds no shared secrets,
//! and an unsigned token proves nothing. The `algorithms` option can only narrow this set.

use crate::error::{Error, ErrorCode, Result};
use core::fmt;

/// A JWS `alg` credcore verifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Algorithm {
    /// `EdDSA` over Ed25519 (RFC 8037), also named `Ed25519` (RFC 9864).
    EdDsa,
    /// `ES256`: ECDSA over P-256 with SHA-256.
    Es256,
    /// `ES384`: ECDSA over P-384 with SHA-384.
    Es384,
    /// `ES256K`: ECDSA over secp256k1 with SHA-256 (RFC 8812).
    Es256k,
    /// `RS256`: RSASSA-PKCS1-v1_5 with SHA-256.
    Rs256,
    /// `RS384`: RSASSA-PKCS1-v1_5 with SHA-384.
    Rs384,
    /// `RS512`: RSASSA-PKCS1-v1_5 with SHA-512.
    Rs512,
    /// `PS256`: RSASSA-PSS with SHA-256, MGF1 with SHA-256, 32-byte salt.
    Ps256,
    /// `PS384`: RSASSA-PSS with SHA-384, MGF1 with SHA-384, 48-byte salt.
    Ps384,
    /// `PS512`: RSASSA-PSS with SHA-512, MGF1 with SHA-512, 64-byte salt.
    Ps512,
}

/// The family of key an algorithm needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// An OKP key on Ed25519.
    Ed25519,
    /// An EC key on P-256.
    P256,
    /// An EC key on P-384.
    P384,
    /// An EC key on secp256k1.
    Secp256k1,
    /// An RSA key (2048 to 4096 bits).
    Rsa,
}

impl KeyType {
    /// How the key type reads in messages and JWKs: `Ed25519`, `P-256`, `P-384`, `secp256k1`, `RSA`.
    pub const fn name(self) -> &'static str {
        match self {
            KeyType::Ed25519 => "Ed25519",
            KeyType::P256 => "P-256",
            KeyType::P384 => "P-384",
            KeyType::Secp256k1 => "secp256k1",
            KeyType::Rsa => "RSA",
        }
    }
}

impl Algorithm {
    /// Every algorithm, the default of the `algorithms` option.
    pub const ALL: &'static [Algorithm] = &[
        Algorithm::EdDsa,
        Algorithm::Es256,
        Algorithm::Es384,
        Algorithm::Es256k,
        Algorithm::Rs256,
        Algorithm::Rs384,
        Algorithm::Rs512,
        Algorithm::Ps256,
        Algorithm::Ps384,
        Algorithm::Ps512,
    ];

    /// The JOSE name (`EdDSA`, `ES256`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            Algorithm::EdDsa => "EdDSA",
            Algorithm::Es256 => "ES256",
            Algorithm::Es384 => "ES384",
            Algorithm::Es256k => "ES256K",
            Algorithm::Rs256 => "RS256",
            Algorithm::Rs384 => "RS384",
            Algorithm::Rs512 => "RS512",
            Algorithm::Ps256 => "PS256",
            Algorithm::Ps384 => "PS384",
            Algorithm::Ps512 => "PS512",
        }
    }

    /// The algorithm of a JOSE name; `Ed25519` (RFC 9864's fully specified name) is EdDSA.
    /// Names compare exactly (RFC 7515 section 4.1.1: `alg` is case-sensitive).
    ///
    /// # Errors
    /// `UNSUPPORTED_ALGORITHM` for `none`, HMAC and every other name.
    pub fn parse(name: &str) -> Result<Algorithm> {
        Ok(match name {
            "EdDSA" | "Ed25519" => Algorithm::EdDsa,
            "ES256" => Algorithm::Es256,
            "ES384" => Algorithm::Es384,
            "ES256K" => Algorithm::Es256k,
            "RS256" => Algorithm::Rs256,
            "RS384" => Algorithm::Rs384,
            "RS512" => Algorithm::Rs512,
            "PS256" => Algorithm::Ps256,
            "PS384" => Algorithm::Ps384,
            "PS512" => Algorithm::Ps512,
            other => {
                let shown: String = other.chars().take(32).collect();
                return Err(Error::new(
                    ErrorCode::UnsupportedAlgorithm,
                    format!("JWS alg '{shown}' is not supported (EdDSA, ES256, ES384, ES256K, RS256/384/512, PS256/384/512)"),
                ));
            }
        })
    }

    /// The key type the algorithm needs: no algorithm is defined over two key types, so a key
    /// of any other type never verifies it (no algorithm confusion).
    pub const fn key_type(self) -> KeyType {
        match self {
            Algorithm::EdDsa => KeyType::Ed25519,
            Algorithm::Es256 => KeyType::P256,
            Algorithm::Es384 => KeyType::P384,
            Algorithm::Es256k => KeyType::Secp256k1,
            Algorithm::Rs256 | Algorithm::Rs384 | Algorithm::Rs512 | Algorithm::Ps256 | Algorithm::Ps384 | Algorithm::Ps512 => KeyType::Rsa,
        }
    }

    /// The length of a signature when it is fixed (EdDSA 64; ECDSA `r || s`, RFC 7518 section
    /// 3.4: 64 for P-256 and secp256k1, 96 for P-384); `None` for RSA (the modulus length).
    pub const fn signature_len(self) -> Option<usize> {
        match self {
            Algorithm::EdDsa | Algorithm::Es256 | Algorithm::Es256k => Some(64),
            Algorithm::Es384 => Some(96),
            _ => None,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Algorithm {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Algorithm {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> core::result::Result<Algorithm, D::Error> {
        let name = String::deserialize(d)?;
        Algorithm::parse(&name)
            .map_err(|e| serde::de::Error::custom(format!("{}: the algorithms option can only narrow the set", e.message)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_refusals() {
        for alg in Algorithm::ALL {
            assert_eq!(Algorithm::parse(alg.as_str()), Ok(*alg));
        }
        assert_eq!(Algorithm::parse("Ed25519"), Ok(Algorithm::EdDsa));
        for bad in ["none", "HS256", "HS512", "es256", "EdDsa", "ES512", "RS1", ""] {
            assert_eq!(Algorithm::parse(bad).map_err(|e| e.code), Err(ErrorCode::UnsupportedAlgorithm), "{bad}");
        }
        assert_eq!(Algorithm::Ps384.key_type(), KeyType::Rsa);
        assert_eq!(Algorithm::Es384.signature_len(), Some(96));
    }
}
