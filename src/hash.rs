//! SHA-2 digests (FIPS 180-4): SHA-256, SHA-384, SHA-512, one at a time or over a packed batch.

use crate::error::{Error, ErrorCode, Result};
use sha2::{Digest, Sha256, Sha384, Sha512};

/// A supported hash algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HashAlg {
    /// SHA-256 (32-byte digest).
    Sha256,
    /// SHA-384 (48-byte digest).
    Sha384,
    /// SHA-512 (64-byte digest).
    Sha512,
}

impl HashAlg {
    /// Parses `sha-256`, `sha-384`, `sha-512` (also `sha256`, `SHA-256`, ...).
    ///
    /// # Errors
    /// `UNSUPPORTED_ALGORITHM` for any other name.
    pub fn parse(name: &str) -> Result<HashAlg> {
        match name.to_ascii_lowercase().as_str() {
            "sha-256" | "sha256" => Ok(HashAlg::Sha256),
            "sha-384" | "sha384" => Ok(HashAlg::Sha384),
            "sha-512" | "sha512" => Ok(HashAlg::Sha512),
            _ => Err(Error::new(
                ErrorCode::UnsupportedAlgorithm,
                format!("unsupported hash algorithm '{name}' (use sha-256, sha-384 or sha-512)"),
            )),
        }
    }

    /// The IANA name as used in `_sd_alg`: `sha-256`, `sha-384`, `sha-512`.
    pub const fn name(self) -> &'static str {
        match self {
            HashAlg::Sha256 => "sha-256",
            HashAlg::Sha384 => "sha-384",
            HashAlg::Sha512 => "sha-512",
        }
    }

    /// The digest's length in bytes: 32, 48 or 64.
    pub const fn output_len(self) -> usize {
        match self {
            HashAlg::Sha256 => 32,
            HashAlg::Sha384 => 48,
            HashAlg::Sha512 => 64,
        }
    }
}

/// The digest of `data` under `alg`.
pub fn digest(alg: HashAlg, data: &[u8]) -> Vec<u8> {
    match alg {
        HashAlg::Sha256 => Sha256::digest(data).to_vec(),
        HashAlg::Sha384 => Sha384::digest(data).to_vec(),
        HashAlg::Sha512 => Sha512::digest(data).to_vec(),
    }
}

/// The SHA-256 digest of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// The digests of every item, concatenated (each `alg.output_len()` bytes), in input order.
pub fn digest_batch<'a>(alg: HashAlg, items: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    for item in items {
        match alg {
            HashAlg::Sha256 => out.extend_from_slice(&Sha256::digest(item)),
            HashAlg::Sha384 => out.extend_from_slice(&Sha384::digest(item)),
            HashAlg::Sha512 => out.extend_from_slice(&Sha512::digest(item)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::hex_encode;

    #[test]
    fn fips_180_abc() {
        assert_eq!(hex_encode(&digest(HashAlg::Sha256, b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(
            hex_encode(&digest(HashAlg::Sha384, b"abc")),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"
        );
        assert_eq!(
            hex_encode(&digest(HashAlg::Sha512, b"abc")),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        );
    }

    #[test]
    fn batch_matches_single_and_names_parse() {
        let items: [&[u8]; 3] = [b"", b"abc", b"hello"];
        let out = digest_batch(HashAlg::Sha384, items);
        assert_eq!(out.len(), 3 * 48);
        for (i, item) in items.iter().enumerate() {
            assert_eq!(&out[i * 48..(i + 1) * 48], &digest(HashAlg::Sha384, item)[..]);
        }
        assert_eq!(HashAlg::parse("SHA-512").ok(), Some(HashAlg::Sha512));
        assert_eq!(HashAlg::parse("md5").map_err(|e| e.code), Err(ErrorCode::UnsupportedAlgorithm));
    }
}
