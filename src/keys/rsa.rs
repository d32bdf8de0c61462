//! RSA public keys (RFC 8017 section 3.1) and JWS RSA signatures: RSASSA-PKCS1-v1_5 (`RS*`,
//! RFC 7518 section 3.3) and RSASSA-PSS (`PS*`, section 3.5), verified with RustCrypto's `rsa`.
//!
//! Policy:
//! - The modulus is 2048 to 4096 bits. Smaller keys are refused (RFC 7518 section 3.3 requires
//!   2048 bits or more); larger ones too, because verification time grows with the modulus and a
//!   batch's work must stay bounded.
//! - The public exponent is odd, at least 3 and below 2^33 (the `rsa` crate's bound against
//!   slow exponents).
//! - `n` and `e` are the minimal big-endian octets (RFC 7518 section 2, Base64urlUInt): a
//!   leading zero is refused, so a key has one JWK and one thumbprint.
//! - A signature is exactly as long as the modulus (RFC 8017 section 8.2.2 step 1).
//! - PSS uses MGF1 with the same hash and a salt as long as the hash (RFC 7518 section 3.5).
//! - The modulus is odd (as the `rsa` crate requires).
//!
//! The policy is checked here in every build; the arithmetic is RustCrypto's with the `curves`
//! feature (natively and in the keys module), the host's or the keys module's otherwise.

#[cfg(feature = "curves")]
use super::alg::Algorithm;
use crate::error::{Error, ErrorCode, Result};
use std::sync::Arc;

/// Smallest modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 2048;
/// Largest modulus accepted, in bits.
pub const MAX_RSA_BITS: usize = 4096;

/// An RSA public key of 2048 to 4096 bits, with its encoded members for JWKs and thumbprints.
#[derive(Clone, Debug)]
pub struct RsaKey {
    inner: Arc<RsaInner>,
}

#[derive(Debug)]
struct RsaInner {
    #[cfg(feature = "curves")]
    key: ::rsa::PublicKey,
    n: Vec<u8>,
    e: Vec<u8>,
}

impl PartialEq for RsaKey {
    fn eq(&self, other: &Self) -> bool {
        self.inner.n == other.inner.n && self.inner.e == other.inner.e
    }
}

impl Eq for RsaKey {}

fn invalid(why: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidKey, format!("not an acceptable RSA public key: {}", why.into()))
}

impl RsaKey {
    /// The key of modulus `n` and exponent `e`, big-endian and minimal.
    ///
    /// # Errors
    /// `INVALID_KEY` under the policy of the module docs.
    pub fn from_components(n: &[u8], e: &[u8]) -> Result<RsaKey> {
        if n.is_empty() || e.is_empty() {
            return Err(invalid("n and e must not be empty"));
        }
        if n.first() == Some(&0) || e.first() == Some(&0) {
            return Err(invalid("n and e are minimal big-endian integers (no leading zero octet)"));
        }
        let bits = (n.len() * 8).saturating_sub(n.first().map_or(8, |b| b.leading_zeros() as usize));
        if bits < MIN_RSA_BITS {
            return Err(invalid(format!("the modulus has {bits} bits; at least {MIN_RSA_BITS} are required")));
        }
        if bits > MAX_RSA_BITS {
            return Err(invalid(format!("the modulus has {bits} bits; at most {MAX_RSA_BITS} are accepted")));
        }
        if e.len() > 5 || e.last().is_none_or(|b| b & 1 == 0) {
            return Err(invalid("the exponent must be odd and below 2^33"));
        }
        if n.last().is_none_or(|b| b & 1 == 0) {
            return Err(invalid("the modulus must be odd"));
        }
        #[cfg(feature = "curves")]
        let key = {
            let big = |b: &[u8]| ::rsa::BoxedUint::from_be_slice_vartime(b);
            ::rsa::PublicKey::new_with_size_limits(big(n), big(e), MIN_RSA_BITS..=MAX_RSA_BITS).map_err(|err| invalid(err.to_string()))?
        };
        Ok(RsaKey {
            inner: Arc::new(RsaInner {
                #[cfg(feature = "curves")]
                key,
                n: n.to_vec(),
                e: e.to_vec(),
            }),
        })
    }

    /// The modulus, big-endian, minimal.
    pub fn n(&self) -> &[u8] {
        &self.inner.n
    }

    /// The public exponent, big-endian, minimal.
    pub fn e(&self) -> &[u8] {
        &self.inner.e
    }

    /// The modulus length in bytes (the length of every signature).
    pub fn size(&self) -> usize {
        self.inner.n.len()
    }

    /// Verifies a JWS RSA signature over `message` with an `RS*` or `PS*` algorithm; any other
    /// algorithm, or a signature that is not the modulus length, is false.
    #[cfg(feature = "curves")]
    pub fn verify(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> bool {
        use ::rsa::{Pkcs1v15Sign, Pss};
        use sha2::{Digest, Sha256, Sha384, Sha512};
        if signature.len() != self.size() {
            return false;
        }
        let key = &self.inner.key;
        // `Pss::new` fixes the salt length to the digest's (RFC 7518 section 3.5).
        let outcome = match alg {
            Algorithm::Rs256 => key.verify(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(message), signature),
            Algorithm::Rs384 => key.verify(Pkcs1v15Sign::new::<Sha384>(), &Sha384::digest(message), signature),
            Algorithm::Rs512 => key.verify(Pkcs1v15Sign::new::<Sha512>(), &Sha512::digest(message), signature),
            Algorithm::Ps256 => key.verify(Pss::<Sha256>::new(), &Sha256::digest(message), signature),
            Algorithm::Ps384 => key.verify(Pss::<Sha384>::new(), &Sha384::digest(message), signature),
            Algorithm::Ps512 => key.verify(Pss::<Sha512>::new(), &Sha512::digest(message), signature),
            Algorithm::EdDsa | Algorithm::Es256 | Algorithm::Es384 | Algorithm::Es256k => return false,
        };
        outcome.is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_exponents() {
        let mut n = vec![0xffu8; 256];
        n[255] = 0xfd; // odd
        let e = [1, 0, 1];
        assert!(RsaKey::from_components(&n, &e).is_ok());
        assert_eq!(RsaKey::from_components(&n[..128], &e).unwrap_err().code, ErrorCode::InvalidKey); // 1024 bits
        let mut big = vec![0xffu8; 513];
        big[512] = 0xfd;
        assert!(RsaKey::from_components(&big, &e).is_err()); // 4104 bits
        let mut lead = vec![0u8];
        lead.extend_from_slice(&n);
        assert!(RsaKey::from_components(&lead, &e).is_err());
        assert!(RsaKey::from_components(&n, &[1, 0, 0]).is_err()); // even
        assert!(RsaKey::from_components(&n, &[1]).is_err()); // e = 1
        assert!(RsaKey::from_components(&[], &e).is_err());
        assert!(RsaKey::from_components(&n, &[]).is_err());
        let mut even = n.clone();
        even[255] = 0xfe;
        assert_eq!(RsaKey::from_components(&even, &e).unwrap_err().code, ErrorCode::InvalidKey);
        #[cfg(feature = "curves")]
        {
            let key = RsaKey::from_components(&n, &e).unwrap();
            assert!(!key.verify(Algorithm::Rs256, b"m", &[1u8; 255]));
            assert!(!key.verify(Algorithm::Es256, b"m", &[1u8; 256]));
        }
    }
}
