//! SEC 1 v2 section 2.3.3-2.3.4 point encodings on P-256, P-384 and secp256k1 (FIPS 186-5 /
//! SEC 2 parameters): decoding with decompression and the on-curve check, and the scalar range
//! of ECDSA signatures (SEC 1 section 4.1.4 step 1), without any curve library.
//!
//! Policy:
//! - An uncompressed point `04 || x || y` has `x, y < p` and satisfies `y^2 = x^3 + a x + b`.
//! - A compressed point `02/03 || x` has `x < p` and a square root of `x^3 + a x + b`; the root
//!   of the parity the prefix names is taken. No point of these prime-order curves has `y = 0`.
//! - The identity (`00`), the hybrid (`06/07`) and compact forms and every other length are
//!   refused: no key in a credential uses them.
//!
//! Why this file, and not RustCrypto's curves (which the `curves` feature builds in for
//! verification and signing): the default wasm module leaves those out for its size, yet must
//! still refuse an invalid point when a key is parsed (as `INVALID_KEY`, as before) and turn a
//! did:key's compressed point into the `04 || x || y` that node:crypto, WebCrypto and the keys
//! module import. That needs only field arithmetic mod `p`: a square root is one exponentiation
//! by `(p + 1) / 4`, since `p = 3 mod 4` on all three curves. Every input here is public (keys,
//! signatures), so the arithmetic is variable-time. The tests check it against RustCrypto.

use super::alg::KeyType;

/// Limbs of the largest field (P-384: 12 x 32 bits).
const LIMBS: usize = 12;

type Limbs = [u32; LIMBS];

/// A curve's parameters, big-endian.
struct Params {
    /// The field prime.
    p: &'static [u8],
    /// Whether `a = -3` (the NIST curves); else `a = 0` (secp256k1).
    a_is_minus_3: bool,
    /// The constant `b`.
    b: &'static [u8],
    /// The group order.
    n: &'static [u8],
}

const P256: Params = Params {
    p: &hex32(*b"ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"),
    a_is_minus_3: true,
    b: &hex32(*b"5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b"),
    n: &hex32(*b"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
};

const P384: Params = Params {
    p: &hex48(*b"fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff"),
    a_is_minus_3: true,
    b: &hex48(*b"b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef"),
    n: &hex48(*b"ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"),
};

const SECP256K1: Params = Params {
    p: &hex32(*b"fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f"),
    a_is_minus_3: false,
    b: &hex32(*b"0000000000000000000000000000000000000000000000000000000000000007"),
    n: &hex32(*b"fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"),
};

const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => 0,
    }
}

const fn hex<const N: usize, const H: usize>(text: [u8; H]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = (nibble(text[2 * i]) << 4) | nibble(text[2 * i + 1]);
        i += 1;
    }
    out
}

const fn hex32(text: [u8; 64]) -> [u8; 32] {
    hex(text)
}

const fn hex48(text: [u8; 96]) -> [u8; 48] {
    hex(text)
}

const fn params(curve: KeyType) -> Option<&'static Params> {
    match curve {
        KeyType::P256 => Some(&P256),
        KeyType::P384 => Some(&P384),
        KeyType::Secp256k1 => Some(&SECP256K1),
        KeyType::Ed25519 | KeyType::Rsa => None,
    }
}

/// Big-endian bytes (at most 48) as little-endian limbs.
fn limbs(bytes: &[u8]) -> Limbs {
    let mut out = [0u32; LIMBS];
    for (i, b) in bytes.iter().rev().enumerate() {
        if let Some(limb) = out.get_mut(i / 4) {
            *limb |= u32::from(*b) << (8 * (i % 4));
        }
    }
    out
}

/// Whether `a >= b` over the first `n` limbs.
fn ge(a: &Limbs, b: &Limbs, n: usize) -> bool {
    for i in (0..n).rev() {
        if a[i] != b[i] {
            return a[i] > b[i];
        }
    }
    true
}

/// `a - b` over the first `n` limbs (wrapping).
fn sub(a: &Limbs, b: &Limbs, n: usize) -> Limbs {
    let mut out = [0u32; LIMBS];
    let mut borrow = 0u64;
    for i in 0..n {
        let d = u64::from(a[i]).wrapping_sub(u64::from(b[i])).wrapping_sub(borrow);
        out[i] = d as u32;
        borrow = (d >> 63) & 1;
    }
    out
}

/// Arithmetic mod `p` in Montgomery form (`R = 2^(32 n)`).
struct Field {
    n: usize,
    p: Limbs,
    /// `-p^-1 mod 2^32`.
    pinv: u32,
    /// `R^2 mod p`.
    r2: Limbs,
}

impl Field {
    fn new(p_bytes: &[u8]) -> Field {
        let n = p_bytes.len() / 4;
        let p = limbs(p_bytes);
        // Newton's iteration doubles the correct low bits of p^-1 mod 2^32 each step (p is odd).
        let mut inv = 1u32;
        for _ in 0..5 {
            inv = inv.wrapping_mul(2u32.wrapping_sub(p[0].wrapping_mul(inv)));
        }
        // R^2 mod p by doubling 1 modulo p, 2 * 32 n times.
        let mut r2 = [0u32; LIMBS];
        r2[0] = 1;
        for _ in 0..64 * n {
            let mut carry = 0u32;
            for limb in r2.iter_mut().take(n) {
                let next = *limb >> 31;
                *limb = (*limb << 1) | carry;
                carry = next;
            }
            if carry == 1 || ge(&r2, &p, n) {
                r2 = sub(&r2, &p, n);
            }
        }
        Field { n, p, pinv: inv.wrapping_neg(), r2 }
    }

    /// `a b R^-1 mod p` for `a, b < p` (CIOS Montgomery multiplication).
    fn mul(&self, a: &Limbs, b: &Limbs) -> Limbs {
        let n = self.n;
        let mut t = [0u32; LIMBS + 2];
        for &ai in a.iter().take(n) {
            let mut carry = 0u64;
            for j in 0..n {
                let s = u64::from(t[j]) + u64::from(ai) * u64::from(b[j]) + carry;
                t[j] = s as u32;
                carry = s >> 32;
            }
            let s = u64::from(t[n]) + carry;
            t[n] = s as u32;
            t[n + 1] = (s >> 32) as u32;
            let m = t[0].wrapping_mul(self.pinv);
            let mut carry = (u64::from(t[0]) + u64::from(m) * u64::from(self.p[0])) >> 32;
            for j in 1..n {
                let s = u64::from(t[j]) + u64::from(m) * u64::from(self.p[j]) + carry;
                t[j - 1] = s as u32;
                carry = s >> 32;
            }
            let s = u64::from(t[n]) + carry;
            t[n - 1] = s as u32;
            t[n] = t[n + 1] + (s >> 32) as u32;
            t[n + 1] = 0;
        }
        let mut out = [0u32; LIMBS];
        out[..n].copy_from_slice(&t[..n]);
        if t[n] != 0 || ge(&out, &self.p, n) {
            out = sub(&out, &self.p, n);
        }
        out
    }

    fn add(&self, a: &Limbs, b: &Limbs) -> Limbs {
        let mut out = [0u32; LIMBS];
        let mut carry = 0u64;
        for i in 0..self.n {
            let s = u64::from(a[i]) + u64::from(b[i]) + carry;
            out[i] = s as u32;
            carry = s >> 32;
        }
        if carry == 1 || ge(&out, &self.p, self.n) {
            out = sub(&out, &self.p, self.n);
        }
        out
    }

    fn to_mont(&self, a: &Limbs) -> Limbs {
        self.mul(a, &self.r2)
    }

    fn out_of_mont(&self, a: &Limbs) -> Limbs {
        let mut one = [0u32; LIMBS];
        one[0] = 1;
        self.mul(a, &one)
    }

    /// `base^exp` for a Montgomery-form `base` and a big-endian exponent.
    fn pow(&self, base: &Limbs, exp: &Limbs) -> Limbs {
        let mut one = [0u32; LIMBS];
        one[0] = 1;
        let mut acc = self.to_mont(&one);
        for i in (0..32 * self.n).rev() {
            acc = self.mul(&acc, &acc);
            if (exp[i / 32] >> (i % 32)) & 1 == 1 {
                acc = self.mul(&acc, base);
            }
        }
        acc
    }
}

/// `x^3 + a x + b` in Montgomery form, for a Montgomery-form `x`.
fn curve_rhs(f: &Field, params: &Params, x: &Limbs) -> Limbs {
    let b = f.to_mont(&limbs(params.b));
    let x3 = f.mul(&f.mul(x, x), x);
    if params.a_is_minus_3 {
        let three = f.add(&f.add(x, x), x);
        f.add(&sub_mod(f, &x3, &three), &b)
    } else {
        f.add(&x3, &b)
    }
}

fn sub_mod(f: &Field, a: &Limbs, b: &Limbs) -> Limbs {
    if ge(a, b, f.n) {
        sub(a, b, f.n)
    } else {
        // a - b + p, which is below p.
        let d = sub(&f.p, b, f.n);
        f.add(a, &d)
    }
}

fn be_bytes(a: &Limbs, len: usize) -> Vec<u8> {
    (0..len).rev().map(|i| (a[i / 4] >> (8 * (i % 4))) as u8).collect()
}

/// The uncompressed encoding `04 || x || y` of a SEC 1 point on `curve`, under the policy of the
/// module docs; `None` for an encoding of anything else.
pub fn decode(curve: KeyType, bytes: &[u8]) -> Option<Vec<u8>> {
    let params = params(curve)?;
    let len = params.p.len();
    let f = Field::new(params.p);
    let (&tag, rest) = bytes.split_first()?;
    let x = limbs(rest.get(..len)?);
    if ge(&x, &f.p, f.n) {
        return None;
    }
    let rhs = curve_rhs(&f, params, &f.to_mont(&x));
    match (tag, rest.len()) {
        (0x04, l) if l == 2 * len => {
            let y = limbs(rest.get(len..)?);
            let ym = f.to_mont(&y);
            (!ge(&y, &f.p, f.n) && f.mul(&ym, &ym) == rhs).then(|| bytes.to_vec())
        }
        (0x02 | 0x03, l) if l == len => {
            // (p + 1) / 4: p + 1 does not carry out of the top limb (p < 2^bits - 1).
            let mut exp = [0u32; LIMBS];
            let mut carry = 1u64;
            for (i, limb) in exp.iter_mut().enumerate().take(f.n) {
                let s = u64::from(f.p[i]) + carry;
                *limb = s as u32;
                carry = s >> 32;
            }
            for i in 0..f.n {
                let high = exp.get(i + 1).copied().unwrap_or(0);
                exp[i] = (exp[i] >> 2) | (high << 30);
            }
            let root = f.pow(&rhs, &exp);
            if f.mul(&root, &root) != rhs {
                return None;
            }
            let mut y = f.out_of_mont(&root);
            if (y[0] & 1) != u32::from(tag & 1) {
                if y.iter().all(|l| *l == 0) {
                    return None;
                }
                y = sub(&f.p, &y, f.n);
            }
            let mut out = Vec::with_capacity(1 + 2 * len);
            out.push(0x04);
            out.extend_from_slice(&rest[..len]);
            out.extend(be_bytes(&y, len));
            Some(out)
        }
        _ => None,
    }
}

/// The compressed encoding `02/03 || x` of an uncompressed point `04 || x || y`.
pub fn compress(uncompressed: &[u8]) -> Vec<u8> {
    let len = uncompressed.len().saturating_sub(1) / 2;
    let mut out = Vec::with_capacity(1 + len);
    out.push(0x02 | (uncompressed.last().copied().unwrap_or(0) & 1));
    out.extend_from_slice(uncompressed.get(1..1 + len).unwrap_or_default());
    out
}

/// Whether a big-endian scalar is in `[1, n - 1]` for the order `n` of `curve`, at its full
/// length (an ECDSA secret key, or `r` and `s` of a signature).
pub fn scalar_in_range(curve: KeyType, scalar: &[u8]) -> bool {
    params(curve).is_some_and(|p| scalar.len() == p.n.len() && scalar < p.n && scalar.iter().any(|b| *b != 0))
}

/// Whether a JWS ECDSA signature is `r || s`, each the field length, both in `[1, n - 1]`
/// (RFC 7518 section 3.4; SEC 1 section 4.1.4 step 1).
pub fn signature_in_range(curve: KeyType, signature: &[u8]) -> bool {
    let half = signature.len() / 2;
    signature.len().is_multiple_of(2)
        && scalar_in_range(curve, signature.get(..half).unwrap_or_default())
        && scalar_in_range(curve, signature.get(half..).unwrap_or_default())
}

#[cfg(test)]
#[cfg(feature = "curves")]
mod tests {
    use super::*;

    fn curves() -> [KeyType; 3] {
        [KeyType::P256, KeyType::P384, KeyType::Secp256k1]
    }

    /// RustCrypto's uncompressed and compressed encodings of `[k]G`.
    fn point(curve: KeyType, k: &[u8]) -> (Vec<u8>, Vec<u8>) {
        match curve {
            KeyType::P256 => {
                let key = p256::ecdsa::SigningKey::from_slice(k).unwrap();
                let v = key.verifying_key();
                (v.to_sec1_point(false).as_bytes().to_vec(), v.to_sec1_point(true).as_bytes().to_vec())
            }
            KeyType::P384 => {
                let key = p384::ecdsa::SigningKey::from_slice(k).unwrap();
                let v = key.verifying_key();
                (v.to_sec1_point(false).as_bytes().to_vec(), v.to_sec1_point(true).as_bytes().to_vec())
            }
            _ => {
                let key = k256::ecdsa::SigningKey::from_slice(k).unwrap();
                let v = key.verifying_key();
                (v.to_sec1_point(false).as_bytes().to_vec(), v.to_sec1_point(true).as_bytes().to_vec())
            }
        }
    }

    #[test]
    fn decompression_and_the_curve_equation_agree_with_rustcrypto() {
        for curve in curves() {
            let len = params(curve).unwrap().p.len();
            for seed in 1u8..40 {
                let k: Vec<u8> = (0..len).map(|i| seed.wrapping_mul(31).wrapping_add(i as u8)).collect();
                let (full, short) = point(curve, &k);
                assert_eq!(decode(curve, &short).as_deref(), Some(full.as_slice()), "{curve:?} {seed}");
                assert_eq!(decode(curve, &full).as_deref(), Some(full.as_slice()));
                assert_eq!(compress(&full), short);
                // Another y, the other parity, another length: refused or another point.
                let mut off = full.clone();
                off[2 * len] ^= 1;
                assert!(decode(curve, &off).is_none(), "{curve:?} {seed}");
                let mut flipped = short.clone();
                flipped[0] ^= 1;
                assert_ne!(decode(curve, &flipped).as_deref(), Some(full.as_slice()));
                assert!(decode(curve, &full[..full.len() - 1]).is_none());
                assert!(decode(curve, &short[1..]).is_none());
            }
            // x = p and the identity are refused.
            let mut at_p = vec![0x02];
            at_p.extend_from_slice(params(curve).unwrap().p);
            assert!(decode(curve, &at_p).is_none());
            assert!(decode(curve, &[0x00]).is_none());
        }
    }

    #[test]
    fn an_x_without_a_square_root_is_refused_as_rustcrypto_refuses_it() {
        for curve in curves() {
            let len = params(curve).unwrap().p.len();
            let mut refused = 0;
            for x in 0u8..64 {
                let mut enc = vec![0x02];
                enc.extend(std::iter::repeat_n(0u8, len - 1));
                enc.push(x);
                let theirs = match curve {
                    KeyType::P256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(&enc).map(|k| k.to_sec1_point(false).as_bytes().to_vec()).ok(),
                    KeyType::P384 => p384::ecdsa::VerifyingKey::from_sec1_bytes(&enc).map(|k| k.to_sec1_point(false).as_bytes().to_vec()).ok(),
                    _ => k256::ecdsa::VerifyingKey::from_sec1_bytes(&enc).map(|k| k.to_sec1_point(false).as_bytes().to_vec()).ok(),
                };
                assert_eq!(decode(curve, &enc), theirs, "{curve:?} x = {x}");
                refused += usize::from(theirs.is_none());
            }
            assert!(refused > 10, "{curve:?}");
        }
    }

    /// RustCrypto's reading of a SEC 1 encoding: its uncompressed form, or None.
    fn theirs(curve: KeyType, enc: &[u8]) -> Option<Vec<u8>> {
        match curve {
            KeyType::P256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(enc).map(|k| k.to_sec1_point(false).as_bytes().to_vec()).ok(),
            KeyType::P384 => p384::ecdsa::VerifyingKey::from_sec1_bytes(enc).map(|k| k.to_sec1_point(false).as_bytes().to_vec()).ok(),
            _ => k256::ecdsa::VerifyingKey::from_sec1_bytes(enc).map(|k| k.to_sec1_point(false).as_bytes().to_vec()).ok(),
        }
    }

    /// Thousands of encodings per curve, deterministic (SHA-256 in counter mode): random x of
    /// both parities, x at and just around p, random and perturbed uncompressed points. Every
    /// compressed or uncompressed encoding reads as RustCrypto reads it.
    #[test]
    fn random_encodings_read_as_rustcrypto_reads_them() {
        use sha2::{Digest, Sha256};
        let mut counter = 0u64;
        let mut random = |len: usize| -> Vec<u8> {
            let mut out = Vec::with_capacity(len + 32);
            while out.len() < len {
                counter += 1;
                out.extend_from_slice(&Sha256::digest(counter.to_le_bytes()));
            }
            out.truncate(len);
            out
        };
        for curve in curves() {
            let p = params(curve).unwrap().p;
            let len = p.len();
            let (mut accepted, mut total) = (0, 0);
            let mut check = |enc: &[u8]| {
                let ours = decode(curve, enc);
                assert_eq!(ours, theirs(curve, enc), "{curve:?} {}", hex::encode(enc));
                accepted += usize::from(ours.is_some());
                total += 1;
            };
            for round in 0..1500u32 {
                let tag = 0x02 | (round as u8 & 1);
                // A random x (refused without a root, or past p).
                check(&[&[tag][..], &random(len)].concat());
                // x near p: p - d and p + d for small d, with its top bytes kept.
                let d = (round % 300) as u8;
                let mut near = p.to_vec();
                let last = near.len() - 1;
                if round % 2 == 0 {
                    near[last] = near[last].wrapping_sub(d);
                } else {
                    near[last] = near[last].wrapping_add(d);
                }
                check(&[&[tag][..], &near].concat());
                // A real point, uncompressed, and with one random byte of x or y changed.
                let k = random(len);
                if scalar_in_range(curve, &k) {
                    let (full, short) = point(curve, &k);
                    check(&full);
                    check(&short);
                    let mut bent = full.clone();
                    let at = 1 + (round as usize % (2 * len));
                    bent[at] ^= 1 << (round % 8);
                    check(&bent);
                }
                // Random uncompressed bytes.
                check(&[&[0x04][..], &random(2 * len)].concat());
            }
            assert!(accepted > 2000 && accepted < total, "{curve:?}: {accepted} of {total}");
        }
    }

    #[test]
    fn the_order_is_the_one_rustcrypto_enforces() {
        for curve in curves() {
            let n = params(curve).unwrap().n;
            let mut below = n.to_vec();
            *below.last_mut().unwrap() -= 1;
            let sig = |r: &[u8]| [r, r].concat();
            let theirs = |s: &[u8]| match curve {
                KeyType::P256 => p256::ecdsa::Signature::from_slice(s).is_ok(),
                KeyType::P384 => p384::ecdsa::Signature::from_slice(s).is_ok(),
                _ => k256::ecdsa::Signature::from_slice(s).is_ok(),
            };
            for r in [n.to_vec(), below.clone(), vec![0; n.len()], vec![0xff; n.len()]] {
                assert_eq!(signature_in_range(curve, &sig(&r)), theirs(&sig(&r)), "{curve:?}");
            }
            assert!(signature_in_range(curve, &sig(&below)));
            assert!(!signature_in_range(curve, &below));
        }
    }
}
