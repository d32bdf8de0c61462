//! ECDSA public keys on P-256, P-384 and secp256k1 (SEC 1 section 2.3.3-2.3.4 point encodings)
//! and JWS ECDSA signatures (RFC 7518 section 3.4), verified with RustCrypto's `p256`, `p384` and
//! `k256`.
//!
//! Policy:
//! - A point is on its curve and not the identity (SEC 1 decoding checks both).
//! - A JWS signature is `r || s`, each the full field length (64 bytes for P-256 and secp256k1,
//!   96 for P-384); DER and other lengths are refused before any arithmetic. `r` and `s` lie in
//!   `[1, n - 1]`.
//! - High `s` is accepted on every curve. ECDSA signatures are malleable (`(r, s)` and
//!   `(r, n - s)` both verify); RFC 7518 does not ask verifiers to refuse either, jose and
//!   node:crypto (OpenSSL) accept both, and the host verifier of a later phase must give the same
//!   verdict as this one. `k256` refuses high `s` on its own, so `s` is normalized first. Nothing
//!   here keys a decision on signature bytes: a malleated token is a different input with the
//!   same claims and the same verdict.

use super::alg::KeyType;
use crate::error::{Error, ErrorCode, Result};
use p256::ecdsa::signature::Verifier as _;

/// An ECDSA public key on one of the supported curves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EcKey {
    /// P-256 (secp256r1).
    P256(p256::ecdsa::VerifyingKey),
    /// P-384 (secp384r1).
    P384(p384::ecdsa::VerifyingKey),
    /// secp256k1.
    Secp256k1(k256::ecdsa::VerifyingKey),
}

fn invalid(curve: KeyType, why: &str) -> Error {
    Error::new(ErrorCode::InvalidKey, format!("not a valid {} public key: {why}", curve.name()))
}

impl EcKey {
    /// The length of one coordinate (and of a scalar) on `curve`, in bytes; `None` for a key type
    /// that is not an ECDSA curve.
    pub const fn field_len(curve: KeyType) -> Option<usize> {
        match curve {
            KeyType::P256 | KeyType::Secp256k1 => Some(32),
            KeyType::P384 => Some(48),
            KeyType::Ed25519 | KeyType::Rsa => None,
        }
    }

    /// Decodes a SEC 1 point (compressed `02/03 || x` or uncompressed `04 || x || y`).
    ///
    /// # Errors
    /// `INVALID_KEY` when the bytes do not encode a point of the curve other than the identity.
    pub fn from_sec1(curve: KeyType, bytes: &[u8]) -> Result<EcKey> {
        let bad = |_| invalid(curve, "not a point of the curve");
        match curve {
            KeyType::P256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(bytes).map(EcKey::P256).map_err(bad),
            KeyType::P384 => p384::ecdsa::VerifyingKey::from_sec1_bytes(bytes).map(EcKey::P384).map_err(bad),
            KeyType::Secp256k1 => k256::ecdsa::VerifyingKey::from_sec1_bytes(bytes).map(EcKey::Secp256k1).map_err(bad),
            KeyType::Ed25519 | KeyType::Rsa => Err(invalid(curve, "not an ECDSA curve")),
        }
    }

    /// The key of affine coordinates `x` and `y`, each exactly the field length (RFC 7518
    /// section 6.2.1.2-6.2.1.3: "the full size of a coordinate").
    ///
    /// # Errors
    /// `INVALID_KEY` for a wrong length or a point off the curve.
    pub fn from_coordinates(curve: KeyType, x: &[u8], y: &[u8]) -> Result<EcKey> {
        let len = EcKey::field_len(curve).ok_or_else(|| invalid(curve, "not an ECDSA curve"))?;
        if x.len() != len || y.len() != len {
            return Err(invalid(curve, &format!("x and y are {len} bytes each, not {} and {}", x.len(), y.len())));
        }
        let mut sec1 = Vec::with_capacity(1 + 2 * len);
        sec1.push(0x04);
        sec1.extend_from_slice(x);
        sec1.extend_from_slice(y);
        EcKey::from_sec1(curve, &sec1)
    }

    /// The curve.
    pub const fn curve(&self) -> KeyType {
        match self {
            EcKey::P256(_) => KeyType::P256,
            EcKey::P384(_) => KeyType::P384,
            EcKey::Secp256k1(_) => KeyType::Secp256k1,
        }
    }

    /// The SEC 1 encoding, compressed (`02/03 || x`) or not (`04 || x || y`).
    pub fn sec1(&self, compress: bool) -> Vec<u8> {
        match self {
            EcKey::P256(k) => k.to_sec1_point(compress).as_bytes().to_vec(),
            EcKey::P384(k) => k.to_sec1_point(compress).as_bytes().to_vec(),
            EcKey::Secp256k1(k) => k.to_sec1_point(compress).as_bytes().to_vec(),
        }
    }

    /// The affine coordinates `(x, y)`, each the full field length.
    pub fn coordinates(&self) -> (Vec<u8>, Vec<u8>) {
        let uncompressed = self.sec1(false);
        let len = (uncompressed.len().saturating_sub(1)) / 2;
        let x = uncompressed.get(1..1 + len).unwrap_or_default().to_vec();
        let y = uncompressed.get(1 + len..).unwrap_or_default().to_vec();
        (x, y)
    }

    /// Verifies a JWS ECDSA signature `r || s` over `message` (hashed with the curve's JWS hash:
    /// SHA-256 for P-256 and secp256k1, SHA-384 for P-384), under the policy of the module docs.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            EcKey::P256(k) => p256::ecdsa::Signature::from_slice(signature).is_ok_and(|s| k.verify(message, &s).is_ok()),
            EcKey::P384(k) => p384::ecdsa::Signature::from_slice(signature).is_ok_and(|s| k.verify(message, &s).is_ok()),
            EcKey::Secp256k1(k) => k256::ecdsa::Signature::from_slice(signature).is_ok_and(|s| k.verify(message, &s.normalize_s()).is_ok()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::hex_decode;

    // RFC 6979 appendix A.2.5 (P-256) key, and its SHA-256 signature of "sample".
    const P256_X: &str = "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6";
    const P256_Y: &str = "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299";
    const P256_SIG: &str =
        "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8";

    fn h(s: &str) -> Vec<u8> {
        hex_decode(s).unwrap()
    }

    #[test]
    fn rfc6979_p256_sample_verifies_and_flips_fail() {
        let key = EcKey::from_coordinates(KeyType::P256, &h(P256_X), &h(P256_Y)).unwrap();
        let sig = h(P256_SIG);
        assert!(key.verify(b"sample", &sig));
        assert!(!key.verify(b"samplf", &sig));
        for i in [0, 31, 32, 63] {
            let mut bad = sig.clone();
            bad[i] ^= 1;
            assert!(!key.verify(b"sample", &bad), "byte {i}");
        }
        // Wrong lengths and zero scalars never reach the arithmetic.
        assert!(!key.verify(b"sample", &sig[..63]));
        assert!(!key.verify(b"sample", &[0u8; 64]));
        // The compressed encoding decodes to the same key.
        assert_eq!(EcKey::from_sec1(KeyType::P256, &key.sec1(true)).unwrap(), key);
        assert_eq!(key.coordinates(), (h(P256_X), h(P256_Y)));
    }

    #[test]
    fn points_off_the_curve_are_refused() {
        let mut y = h(P256_Y);
        y[31] ^= 1;
        assert_eq!(EcKey::from_coordinates(KeyType::P256, &h(P256_X), &y).unwrap_err().code, ErrorCode::InvalidKey);
        assert!(EcKey::from_coordinates(KeyType::P256, &h(P256_X)[1..], &h(P256_Y)).is_err());
        assert!(EcKey::from_sec1(KeyType::P256, &[0x00]).is_err());
        assert!(EcKey::from_sec1(KeyType::Rsa, &[0x04]).is_err());
    }
}
