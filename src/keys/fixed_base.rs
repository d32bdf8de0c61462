//! Fixed-base tables for a key that one batch multiplies many times: the search of a failed
//! group (its parts' plain sums, each `[a]A + [b]B`) and the signatures verified one by one.
//!
//! curve25519-dalek's public API multiplies a point by a scalar with some 253 doublings every
//! time (`vartime_double_scalar_mul_basepoint`); its own fixed-base table
//! (`EdwardsBasepointTable::create`) stores affine points, one field inversion each, 256 in all,
//! about twenty multiplications' worth to build. This table keeps the multiples projective (no
//! inversion): 64 rows of `[m 16^j]A`, `m` in `1..=8`, built with 512 point additions (about two
//! multiplications' worth), after which `[a]A` costs at most 64 additions and no doubling, about
//! a quarter of a multiplication. With `[b]B` from the same table of the base point
//! ([`base_table`]), `[a]A + [b]B` costs about half what the double-base multiplication does. Variable time: it serves
//! verification, whose inputs are public.

use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
use curve25519_dalek::edwards::EdwardsPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use std::sync::OnceLock;

/// Rows of the table: one per radix-16 digit of a scalar below `2^256`.
const ROWS: usize = 64;

/// `[m 16^j]P` for `j` in `0..64`, `m` in `1..=8`.
pub(super) struct FixedBase {
    rows: Vec<[EdwardsPoint; 8]>,
}

impl FixedBase {
    /// The table of `p`: eight additions a row (the even multiples by doubling).
    pub(super) fn new(p: &EdwardsPoint) -> FixedBase {
        let mut rows = Vec::with_capacity(ROWS);
        let mut p1 = *p;
        for _ in 0..ROWS {
            let p2 = p1 + p1;
            let p3 = p2 + p1;
            let p4 = p2 + p2;
            let p5 = p4 + p1;
            let p6 = p3 + p3;
            let p7 = p6 + p1;
            let p8 = p4 + p4;
            rows.push([p1, p2, p3, p4, p5, p6, p7, p8]);
            p1 = p8 + p8;
        }
        FixedBase { rows }
    }

    /// `P`.
    pub(super) fn base(&self) -> EdwardsPoint {
        self.rows.first().map_or_else(EdwardsPoint::identity, |row| row[0])
    }

    /// `[s]P`: one addition per nonzero signed radix-16 digit of `s`.
    pub(super) fn mul(&self, s: &Scalar) -> EdwardsPoint {
        let mut acc = EdwardsPoint::identity();
        for (row, d) in self.rows.iter().zip(radix_16(s)) {
            let Some(m) = row.get(usize::from(d.unsigned_abs()).wrapping_sub(1)) else { continue };
            if d > 0 {
                acc += m;
            } else {
                acc -= m;
            }
        }
        acc
    }
}

/// The table of the base point `B`, built on first use (about two multiplications' worth, once
/// per instance). Not dalek's `EdwardsPoint::mul_base`: its precomputed table is 30 KB of the
/// module's data, and constant-time, which verification does not need.
pub(super) fn base_table() -> &'static FixedBase {
    static BASE: OnceLock<FixedBase> = OnceLock::new();
    BASE.get_or_init(|| FixedBase::new(&ED25519_BASEPOINT_POINT))
}

/// The digits `d_j` in `-8..=8` with `s = sum d_j 16^j` (`s` is reduced, below `2^253`, so the
/// top digit stays at most 2 after the carries).
fn radix_16(s: &Scalar) -> [i8; 64] {
    let mut digits = [0i8; 64];
    for (pair, byte) in digits.chunks_exact_mut(2).zip(s.to_bytes()) {
        if let [lo, hi] = pair {
            *lo = (byte & 15) as i8;
            *hi = (byte >> 4) as i8;
        }
    }
    let mut carry = 0i8;
    for d in digits.iter_mut() {
        *d += carry;
        carry = (*d + 8) >> 4;
        *d -= carry << 4;
    }
    // The last digit's carry: zero for a reduced scalar (its top digit is at most 1, plus 1).
    debug_assert_eq!(carry, 0);
    digits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalars() -> Vec<Scalar> {
        let mut v = vec![Scalar::ZERO, Scalar::ONE, -Scalar::ONE, Scalar::from(8u8), Scalar::from(7u8), Scalar::from(u64::MAX)];
        // Digits at the edges: 0x88.. (every digit 8, carried), 0x77.., 0xff.. reduced.
        v.push(Scalar::from_bytes_mod_order([0x88; 32]));
        v.push(Scalar::from_bytes_mod_order([0x77; 32]));
        v.push(Scalar::from_bytes_mod_order([0xff; 32]));
        let mut x = Scalar::from(0x1234_5678_9abc_def0u64);
        for _ in 0..40 {
            x = x * x + Scalar::from(17u8);
            v.push(x);
        }
        v
    }

    #[test]
    fn table_products_equal_dalek_multiplication() {
        let a = ED25519_BASEPOINT_POINT * Scalar::from(0xdead_beefu64);
        let table = FixedBase::new(&a);
        for s in scalars() {
            assert_eq!(table.mul(&s), a * s, "{s:?}");
        }
        for s in scalars() {
            assert_eq!(base_table().mul(&s), EdwardsPoint::mul_base(&s));
        }
    }

    #[test]
    fn radix_16_digits_sum_to_the_scalar() {
        for s in scalars() {
            let digits = radix_16(&s);
            assert!(digits.iter().all(|d| (-8..=8).contains(d)));
            let mut acc = Scalar::ZERO;
            for d in digits.iter().rev() {
                acc = acc * Scalar::from(16u8) + if *d < 0 { -Scalar::from(d.unsigned_abs()) } else { Scalar::from(*d as u8) };
            }
            assert_eq!(acc, s);
        }
    }

    #[test]
    fn a_torsion_point_multiplies_as_dalek_does() {
        // A point of order 8 plus a prime-order one: the table holds mixed-order points too.
        use curve25519_dalek::constants::EIGHT_TORSION;
        let a = ED25519_BASEPOINT_POINT * Scalar::from(99u8) + EIGHT_TORSION[3];
        let table = FixedBase::new(&a);
        for s in scalars() {
            assert_eq!(table.mul(&s), a * s);
        }
    }
}
