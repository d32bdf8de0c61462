//! HMAC-SHA-256 (RFC 2104, FIPS 198-1), one message or a batch under one key, with
//! constant-time verification.

use hmac::digest::{KeyInit, Mac};
use hmac::Hmac;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// HMAC-SHA-256 as implemented by the `hmac` crate (its state is zeroized on drop).
pub type HmacSha256 = Hmac<Sha256>;

/// Length of an HMAC-SHA-256 tag in bytes.
pub const MAC_LENGTH: usize = 32;

/// SHA-256's block size: RFC 2104 hashes longer keys and zero-pads shorter ones to it.
const BLOCK: usize = 64;

/// An HMAC-SHA-256 instance keyed with `key` (any length, as RFC 2104 allows).
///
/// Cloning it before each message skips re-hashing the key pads, which is what makes
/// [`hmac_batch`] cheap per item.
pub fn keyed(key: &[u8]) -> HmacSha256 {
    // RFC 2104 section 2: K is hashed when longer than B, then padded with zeros to B bytes.
    // Doing it here makes construction infallible (the block-sized key is the HMAC key as is).
    let mut block = Zeroizing::new([0u8; BLOCK]);
    if key.len() > BLOCK {
        block[..MAC_LENGTH].copy_from_slice(&Sha256::digest(key));
    } else if let Some(head) = block.get_mut(..key.len()) {
        head.copy_from_slice(key);
    }
    HmacSha256::new(&(*block).into())
}

/// HMAC-SHA-256 of `data` under `key`.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    keyed(key).chain_update(data).finalize().into_bytes().into()
}

/// The HMAC-SHA-256 tags of every item under one key, concatenated (32 bytes each), in order.
pub fn hmac_batch<'a>(key: &[u8], items: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let base = keyed(key);
    let items = items.into_iter();
    let mut out = Vec::with_capacity(items.size_hint().0 * MAC_LENGTH);
    for item in items {
        out.extend_from_slice(&base.clone().chain_update(item).finalize().into_bytes());
    }
    out
}

/// Whether `mac` is the HMAC-SHA-256 of `data` under `key`, compared in constant time.
/// A tag of any length other than 32 bytes is rejected (no truncated tags).
pub fn verify_mac(key: &[u8], data: &[u8], mac: &[u8]) -> bool {
    keyed(key).chain_update(data).verify_slice(mac).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::{hex_decode, hex_encode};

    fn h(s: &str) -> Vec<u8> {
        hex_decode(s).unwrap_or_default()
    }

    /// RFC 4231 section 4: test cases 1-4, 6, 7 (5 truncates the tag, which we do not).
    const RFC4231: &[(&str, &str, &str)] = &[
        ("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        ("4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
         "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        ("0102030405060708090a0b0c0d0e0f10111213141516171819",
         "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
         "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
         "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e",
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ];

    #[test]
    fn rfc4231_vectors() {
        for (key, data, tag) in RFC4231 {
            let (key, data) = (h(key), h(data));
            assert_eq!(hex_encode(&hmac_sha256(&key, &data)), *tag);
            assert!(verify_mac(&key, &data, &h(tag)));
        }
    }

    #[test]
    fn rfc4231_case5_truncated_prefix_and_bad_tags() {
        let (key, data) = (h("0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c"), h("546573742057697468205472756e636174696f6e"));
        let tag = hmac_sha256(&key, &data);
        assert_eq!(hex_encode(&tag[..16]), "a3b6167473100ee06e0c796c2955552b");
        assert!(!verify_mac(&key, &data, &tag[..16]));
        let mut bad = tag;
        bad[31] ^= 1;
        assert!(!verify_mac(&key, &data, &bad));
        assert!(!verify_mac(&key, b"other", &tag));
        assert!(!verify_mac(b"other key", &data, &tag));
    }

    #[test]
    fn batch_matches_single() {
        let key = h("4a656665");
        let items: [&[u8]; 4] = [b"", b"a", b"what do ya want for nothing?", &[0u8; 200]];
        let out = hmac_batch(&key, items);
        assert_eq!(out.len(), 4 * MAC_LENGTH);
        for (chunk, item) in out.chunks(MAC_LENGTH).zip(items) {
            assert_eq!(chunk, hmac_sha256(&key, item));
        }
        assert_eq!(hmac_batch(&key, []), Vec::<u8>::new());
        // Keys of exactly one block and one byte longer take the two RFC 2104 paths.
        for len in [63usize, 64, 65] {
            let key = vec![7u8; len];
            assert_eq!(hmac_batch(&key, [&b"x"[..]]), hmac_sha256(&key, b"x"));
        }
    }
}
