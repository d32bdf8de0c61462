//! The Ed25519 verification policy (RFC 8032 section 5.1.7, made strict), for one signature and for batches.
//!
//! Policy, for every signature `(R, S)` on message `M` under public key `A`:
//! 1. `S` is canonical: `S < L`. (Rejects the `S + L` malleability.)
//! 2. `R` and `A` are canonical encodings: decompressing and recompressing gives the same 32 bytes.
//!    (Rejects `y >= p` and the negative-zero `x` encodings, which make one signature many.)
//! 3. Neither `R` nor `A` is of small order (orders 1, 2, 4, 8). (Rejects keys for which one
//!    signature verifies for many messages.)
//! 4. The cofactored equation holds: `[8]([S]B - R - [k]A) = 0` with `k = SHA-512(R || A || M) mod L`.
//!
//! Why cofactored: single and batch verification must give the same answer for every input, or a
//! credential's validity would depend on which batch it travelled in. A randomized batch check of
//! the cofactorless equation can accept a signature whose residual `[S]B - R - [k]A` is a nonzero
//! point of small order with probability 1/8 (see "Taming the many EdDSAs", Chalkias, Garillot,
//! Nikolaenko, 2020, and ZIP-215); multiplying by the cofactor removes that gap, so `verify` and
//! `verify_batch` accept exactly the same signatures. Such a residual can only be produced by the
//! holder of the key, so no third party can forge under either equation.
//!
//! Why not `ed25519_dalek::verify_batch`: it checks neither the canonical encoding of `R` nor small
//! order, uses the cofactorless equation, and multiplies every key separately. Here the group
//! operations are curve25519-dalek's; this module only states the policy, folds the terms of
//! repeated keys into one (issuer keys repeat across a batch of credentials), and finds the bad
//! items of a failed batch (`super::batch_verify`), with group sizes that adapt to the share of
//! failures so that the cost per signature stays bounded (see [`super::verify_batch`]).

use crate::error::{Error, ErrorCode, Result};
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::IsIdentity;
use sha2::{Digest, Sha512};

/// Length of an Ed25519 public key in bytes.
pub const PUBLIC_KEY_LENGTH: usize = 32;
/// Length of an Ed25519 signature in bytes.
pub const SIGNATURE_LENGTH: usize = 64;

/// A decompressed Ed25519 public key that passed the policy's checks on `A` (canonical, not of small order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey {
    pub(super) bytes: [u8; 32],
    pub(super) point: EdwardsPoint,
}

impl PublicKey {
    /// Parses and checks a 32-byte public key.
    ///
    /// # Errors
    /// `INVALID_KEY` when the bytes are not 32 long, do not decode to a curve point, are a
    /// non-canonical encoding, or encode a point of small order.
    pub fn from_bytes(bytes: &[u8]) -> Result<PublicKey> {
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| Error::new(ErrorCode::InvalidKey, format!("an Ed25519 public key is 32 bytes, not {}", bytes.len())))?;
        let point =
            decompress_canonical(&bytes).ok_or_else(|| Error::new(ErrorCode::InvalidKey, "not a canonical encoding of a curve point"))?;
        // Policy: a small-order key lets one signature verify for many messages.
        if point.is_small_order() {
            return Err(Error::new(ErrorCode::InvalidKey, "public key is of small order"));
        }
        Ok(PublicKey { bytes, point })
    }

    /// A key derived from a secret, which needs none of the checks.
    pub(crate) fn from_parts(bytes: [u8; 32], point: EdwardsPoint) -> PublicKey {
        PublicKey { bytes, point }
    }

    /// The 32-byte encoding.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.bytes
    }
}

/// Decompresses `bytes`, accepting only the canonical encoding of the point.
///
/// Policy: an encoding is canonical when its `y` is below `p = 2^255 - 19` (curve25519-dalek
/// would reduce it) and it does not set the sign bit on `x = 0`. `x = 0` only for `y = 1` and
/// `y = -1`, the points of order 1 and 2, which every caller rejects as small-order; so checking
/// `y < p` on the bytes (no field inversion, unlike re-encoding) decides canonicity here.
fn decompress_canonical(bytes: &[u8; 32]) -> Option<EdwardsPoint> {
    if !y_below_p(bytes) {
        return None;
    }
    CompressedEdwardsY(*bytes).decompress()
}

/// Whether the 255-bit little-endian `y` of an encoding (sign bit cleared) is below `2^255 - 19`.
fn y_below_p(bytes: &[u8; 32]) -> bool {
    // p = 0x7fff...ffed: y >= p exactly when the top byte is 0x7f, the middle bytes are all 0xff
    // and the lowest byte is >= 0xed.
    !(bytes[31] & 0x7f == 0x7f && bytes[1..31].iter().all(|b| *b == 0xff) && bytes[0] >= 0xed)
}

/// The parts of one signature that passed checks 1-3, ready for the equation.
pub(super) struct Prepared {
    pub(super) r: EdwardsPoint,
    pub(super) s: Scalar,
    pub(super) k: Scalar,
}

pub(super) fn prepare(message: &[u8], signature: &[u8; 64], key: &PublicKey) -> Option<Prepared> {
    let mut r_bytes = [0u8; 32];
    let mut s_bytes = [0u8; 32];
    r_bytes.copy_from_slice(&signature[..32]);
    s_bytes.copy_from_slice(&signature[32..]);
    // Policy 1: S < L.
    let s = Option::<Scalar>::from(Scalar::from_canonical_bytes(s_bytes))?;
    // Policy 2 and 3 for R.
    let r = decompress_canonical(&r_bytes)?;
    if r.is_small_order() {
        return None;
    }
    // k = SHA-512(R || A || M) mod L
    let mut h = Sha512::new();
    h.update(r_bytes);
    h.update(key.bytes);
    h.update(message);
    let k = Scalar::from_bytes_mod_order_wide(&h.finalize().into());
    Some(Prepared { r, s, k })
}

/// Verifies one signature under the policy above.
pub fn verify(message: &[u8], signature: &[u8; 64], key: &PublicKey) -> bool {
    let Some(p) = prepare(message, signature, key) else { return false };
    // [S]B - [k]A, then the cofactored check [8]([S]B - [k]A - R) = 0.
    let sb_minus_ka = EdwardsPoint::vartime_double_scalar_mul_basepoint(&p.k, &-key.point, &p.s);
    (sb_minus_ka - p.r).mul_by_cofactor().is_identity()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{verify_batch, KeyPair, SignatureJob};

    #[test]
    fn batch_finds_exactly_the_bad_items() {
        let keys: Vec<KeyPair> = (0u8..5).map(|i| KeyPair::from_seed(&[i; 32])).collect();
        let messages: Vec<Vec<u8>> = (0..67u32).map(|i| format!("message {i}").into_bytes()).collect();
        let mut sigs: Vec<[u8; 64]> = messages.iter().enumerate().map(|(i, m)| keys[i % 5].sign(m)).collect();
        let pubs: Vec<PublicKey> = keys.iter().map(|k| k.public_key().clone()).collect();
        let bad = [0usize, 13, 14, 40, 66];
        for &b in &bad {
            sigs[b][5] ^= 1;
        }
        let jobs: Vec<SignatureJob<'_>> = messages
            .iter()
            .zip(&sigs)
            .enumerate()
            .map(|(i, (m, s))| SignatureJob { message: m, signature: s, key: &pubs[i % 5] })
            .collect();
        let got = verify_batch(&jobs);
        for (i, v) in got.iter().enumerate() {
            assert_eq!(*v, !bad.contains(&i), "item {i}");
            assert_eq!(*v, verify(jobs[i].message, jobs[i].signature, jobs[i].key));
        }
        assert!(verify_batch(&[]).is_empty());
    }

    #[test]
    fn rejects_small_order_and_non_canonical_keys() {
        let identity = [1u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(PublicKey::from_bytes(&identity).map_err(|e| e.code), Err(ErrorCode::InvalidKey));
        // y = p + 1 (non-canonical encoding of y = 1)
        let mut non_canonical = [0xffu8; 32];
        non_canonical[0] = 0xee;
        non_canonical[31] = 0x7f;
        assert!(PublicKey::from_bytes(&non_canonical).is_err());
        assert!(PublicKey::from_bytes(&[0u8; 31]).is_err());
    }
}
