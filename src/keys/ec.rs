//! ECDSA public keys on P-256, P-384 and secp256k1 (SEC 1 section 2.3.3-2.3.4 point encodings,
//! decoded and checked on the curve by `sec1.rs` in every build) and JWS ECDSA signatures (RFC 7518
//! section 3.4), verified with RustCrypto's `p256`, `p384` and `k256` (the `curves` feature:
//! natively and in the keys module; elsewhere the host or the keys module verifies, see
//! `curves.rs`).
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
use super::sec1;
use crate::error::{Error, ErrorCode, Result};

/// The longest uncompressed point (P-384: `04 || x || y`, 1 + 2 x 48 bytes).
const MAX_POINT: usize = 97;

/// An ECDSA public key on one of the supported curves: the curve and the point's uncompressed
/// SEC 1 encoding, checked on the curve when the key was made (`keys/sec1.rs`). The arithmetic
/// of verification is RustCrypto's (the `curves` feature) or the host's / the keys module's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EcKey {
    curve: KeyType,
    point: [u8; MAX_POINT],
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
        if EcKey::field_len(curve).is_none() {
            return Err(invalid(curve, "not an ECDSA curve"));
        }
        let full = sec1::decode(curve, bytes).ok_or_else(|| invalid(curve, "not a point of the curve"))?;
        let mut point = [0u8; MAX_POINT];
        point.get_mut(..full.len()).ok_or_else(|| invalid(curve, "not a point of the curve"))?.copy_from_slice(&full);
        Ok(EcKey { curve, point })
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
        self.curve
    }

    /// The uncompressed encoding `04 || x || y`.
    fn uncompressed(&self) -> &[u8] {
        let len = EcKey::field_len(self.curve).unwrap_or(0);
        self.point.get(..1 + 2 * len).unwrap_or_default()
    }

    /// The SEC 1 encoding, compressed (`02/03 || x`) or not (`04 || x || y`).
    pub fn sec1(&self, compress: bool) -> Vec<u8> {
        if compress {
            sec1::compress(self.uncompressed())
        } else {
            self.uncompressed().to_vec()
        }
    }

    /// The affine coordinates `(x, y)`, each the full field length.
    pub fn coordinates(&self) -> (Vec<u8>, Vec<u8>) {
        let uncompressed = self.uncompressed();
        let len = (uncompressed.len().saturating_sub(1)) / 2;
        let x = uncompressed.get(1..1 + len).unwrap_or_default().to_vec();
        let y = uncompressed.get(1 + len..).unwrap_or_default().to_vec();
        (x, y)
    }

    /// Whether `signature` is a JWS ECDSA signature of this curve's shape: `r || s`, each the
    /// field length, both in `[1, n - 1]` (no curve arithmetic).
    pub fn signature_in_range(&self, signature: &[u8]) -> bool {
        sec1::signature_in_range(self.curve, signature)
    }

    /// Verifies a JWS ECDSA signature `r || s` over `message` (hashed with the curve's JWS hash:
    /// SHA-256 for P-256 and secp256k1, SHA-384 for P-384), under the policy of the module docs.
    #[cfg(feature = "curves")]
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        use p256::ecdsa::signature::Verifier as _;
        let point = self.uncompressed();
        match self.curve {
            KeyType::P256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
                .is_ok_and(|k| p256::ecdsa::Signature::from_slice(signature).is_ok_and(|s| k.verify(message, &s).is_ok())),
            KeyType::P384 => p384::ecdsa::VerifyingKey::from_sec1_bytes(point)
                .is_ok_and(|k| p384::ecdsa::Signature::from_slice(signature).is_ok_and(|s| k.verify(message, &s).is_ok())),
            KeyType::Secp256k1 => k256::ecdsa::VerifyingKey::from_sec1_bytes(point)
                .is_ok_and(|k| k256::ecdsa::Signature::from_slice(signature).is_ok_and(|s| k.verify(message, &s.normalize_s()).is_ok())),
            KeyType::Ed25519 | KeyType::Rsa => false,
        }
    }

    /// Verifies a DER ECDSA signature over a prehashed digest (X.509 certificates; high `s`
    /// accepted, as RFC 5480 allows). P-256 and P-384 only.
    #[cfg(feature = "x509")]
    pub fn verify_prehash_der(&self, digest: &[u8], signature: &[u8]) -> bool {
        use p256::ecdsa::signature::hazmat::PrehashVerifier;
        let point = self.uncompressed();
        match self.curve {
            KeyType::P256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
                .is_ok_and(|k| p256::ecdsa::Signature::from_der(signature).is_ok_and(|s| k.verify_prehash(digest, &s).is_ok())),
            KeyType::P384 => p384::ecdsa::VerifyingKey::from_sec1_bytes(point)
                .is_ok_and(|k| p384::ecdsa::Signature::from_der(signature).is_ok_and(|s| k.verify_prehash(digest, &s).is_ok())),
            _ => false,
        }
    }
}

#[cfg(test)]
#[cfg(feature = "curves")]
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
