//! The bytes that cross between the default wasm module and the keys module for one chain
//! validation (written once, used by both sides: [`super::module`] in the keys module, the
//! boundary's bridge `src/wasm/x509.rs` in the default one).
//!
//! - A list of DER certificates (the chain, the anchors): `u32` count, then per item a `u32`
//!   length and its bytes (little-endian).
//! - A validated chain: `notBefore` and `notAfter` (`i64`), the leaf key (a tag: 1 Ed25519, 2
//!   P-256, 3 P-384, 4 secp256k1, 5 RSA; then its bytes as an item: the 32-byte Ed25519 key, the
//!   uncompressed SEC 1 point, or `u32` length of `n`, `n`, `e`), then the DNS names and the URIs
//!   as lists.
//! - A failure: the text `CODE \u{1} path \u{1} message`.
//!
//! Nothing read here is trusted for more than its shape: the leaf key is decoded under the core's
//! key policy like any other key, and a malformed answer is `INTERNAL_ERROR`.

use super::CertifiedKey;
use crate::error::{Error, ErrorCode, Result};
use crate::keys::alg::KeyType;
use crate::keys::ec::EcKey;
use crate::keys::policy::PublicKey;
use crate::keys::rsa::RsaKey;
use crate::keys::verifying::VerifyingKey;

/// Separates the parts of a failure.
const SEP: char = '\u{1}';

/// A list of byte strings, packed.
pub fn pack<T: AsRef<[u8]>>(items: &[T]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + items.iter().map(|i| 4 + i.as_ref().len()).sum::<usize>());
    put_list(&mut out, items);
    out
}

fn put_item(out: &mut Vec<u8>, item: &[u8]) {
    out.extend_from_slice(&u32::try_from(item.len()).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(item);
}

fn put_list<T: AsRef<[u8]>>(out: &mut Vec<u8>, items: &[T]) {
    out.extend_from_slice(&u32::try_from(items.len()).unwrap_or(u32::MAX).to_le_bytes());
    for item in items {
        put_item(out, item.as_ref());
    }
}

/// A reader over packed bytes; every read is bounded by what is left.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<usize> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?) as usize)
    }

    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn item(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()?;
        self.take(n)
    }

    fn list(&mut self, max: usize) -> Option<Vec<&'a [u8]>> {
        let n = self.u32()?;
        if n > max {
            return None;
        }
        (0..n).map(|_| self.item()).collect()
    }
}

/// A packed list of at most `max` items, unpacked; `None` for bytes of another shape.
#[cfg(any(feature = "x509", test))]
pub fn unpack(bytes: &[u8], max: usize) -> Option<Vec<Vec<u8>>> {
    let mut r = Reader(bytes);
    let items = r.list(max)?;
    r.0.is_empty().then(|| items.into_iter().map(<[u8]>::to_vec).collect())
}

/// Most names of one kind a leaf's answer carries (a certificate is at most
/// [`super::MAX_CERT_BYTES`], each name at least 2 bytes of DER).
const MAX_NAMES: usize = super::MAX_CERT_BYTES / 2;

#[cfg(any(feature = "x509", test))]
fn key_tag(key: &VerifyingKey) -> u8 {
    match key.key_type() {
        KeyType::Ed25519 => 1,
        KeyType::P256 => 2,
        KeyType::P384 => 3,
        KeyType::Secp256k1 => 4,
        KeyType::Rsa => 5,
    }
}

/// A validated chain, packed.
#[cfg(any(feature = "x509", test))]
pub fn encode(key: &CertifiedKey) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&key.not_before.to_le_bytes());
    out.extend_from_slice(&key.not_after.to_le_bytes());
    out.push(key_tag(&key.key));
    use crate::keys::verifying::KeyMaterial;
    let bytes = match key.key.material() {
        KeyMaterial::Ed25519(k) => k.as_bytes().to_vec(),
        KeyMaterial::Ec(k) => k.sec1(false),
        KeyMaterial::Rsa(k) => pack_rsa(k),
    };
    put_item(&mut out, &bytes);
    put_list(&mut out, &key.dns_names);
    put_list(&mut out, &key.uris);
    out
}

#[cfg(any(feature = "x509", test))]
fn pack_rsa(k: &RsaKey) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + k.n().len() + k.e().len());
    put_item(&mut out, k.n());
    out.extend_from_slice(k.e());
    out
}

fn broken() -> Error {
    Error::new(ErrorCode::InternalError, "the keys module answered a chain validation in a shape it never sends")
}

/// A validated chain from its packed bytes; its leaf key decoded under the core's key policy.
///
/// # Errors
/// `INTERNAL_ERROR` for bytes of another shape; the key's own error (`INVALID_KEY`) for a key
/// the core refuses.
pub fn decode(bytes: &[u8]) -> Result<CertifiedKey> {
    let mut r = Reader(bytes);
    let (not_before, not_after) = (r.i64().ok_or_else(broken)?, r.i64().ok_or_else(broken)?);
    let tag = r.take(1).and_then(|t| t.first().copied()).ok_or_else(broken)?;
    let material = r.item().ok_or_else(broken)?;
    let key = match tag {
        1 => VerifyingKey::from(PublicKey::from_bytes(material)?),
        2 => VerifyingKey::from(EcKey::from_sec1(KeyType::P256, material)?),
        3 => VerifyingKey::from(EcKey::from_sec1(KeyType::P384, material)?),
        4 => VerifyingKey::from(EcKey::from_sec1(KeyType::Secp256k1, material)?),
        5 => {
            let mut k = Reader(material);
            let n = k.item().ok_or_else(broken)?;
            VerifyingKey::from(RsaKey::from_components(n, k.0)?)
        }
        _ => return Err(broken()),
    };
    let text = |items: Vec<&[u8]>| items.into_iter().map(|b| String::from_utf8(b.to_vec()).map_err(|_| broken())).collect::<Result<Vec<_>>>();
    let dns_names = text(r.list(MAX_NAMES).ok_or_else(broken)?)?;
    let uris = text(r.list(MAX_NAMES).ok_or_else(broken)?)?;
    if !r.0.is_empty() {
        return Err(broken());
    }
    Ok(CertifiedKey { key, not_before, not_after, dns_names, uris })
}

/// A failure as text.
#[cfg(any(feature = "x509", feature = "curves", test))]
pub fn encode_error(e: &Error) -> String {
    format!("{}{SEP}{}{SEP}{}", e.code.as_str(), e.path.as_deref().unwrap_or_default(), e.message)
}

/// A failure from its text; a code the core does not know is `INTERNAL_ERROR`.
pub fn decode_error(text: &str) -> Error {
    let mut parts = text.splitn(3, SEP);
    let code = ErrorCode::parse(parts.next().unwrap_or_default()).unwrap_or(ErrorCode::InternalError);
    let path = parts.next().unwrap_or_default();
    let e = Error::new(code, parts.next().unwrap_or("the keys module refused the chain").to_owned());
    if path.is_empty() {
        e
    } else {
        e.at(path.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::KeyPair;

    #[test]
    fn a_validated_chain_round_trips_and_bad_shapes_are_internal_errors() {
        let pair = KeyPair::from_seed(&[9; 32]);
        let key = CertifiedKey {
            key: VerifyingKey::from(pair.public_key().clone()),
            not_before: -5,
            not_after: 1 << 40,
            dns_names: vec!["a.example".into()],
            uris: vec!["https://a.example/i".into(), String::new()],
        };
        let bytes = encode(&key);
        let back = decode(&bytes).unwrap();
        assert_eq!((back.key, back.not_before, back.not_after, back.dns_names, back.uris), (key.key, key.not_before, key.not_after, key.dns_names, key.uris));
        for cut in [0, 8, 16, 17, bytes.len() - 1] {
            assert_eq!(decode(&bytes[..cut]).unwrap_err().code, ErrorCode::InternalError, "{cut}");
        }
        assert_eq!(decode(&[bytes.clone(), vec![0]].concat()).unwrap_err().code, ErrorCode::InternalError);
        // A key the core refuses is refused whoever validated the chain.
        let mut bad = bytes.clone();
        bad[16] = 2;
        assert!(decode(&bad).is_err());
        assert_eq!(unpack(&pack(&[b"ab".to_vec(), vec![]]), 2), Some(vec![b"ab".to_vec(), vec![]]));
        assert_eq!(unpack(&pack(&[b"ab".to_vec(), vec![]]), 1), None);
        assert_eq!(unpack(&[1, 0, 0, 0, 9, 0, 0, 0], 4), None);
    }

    #[test]
    fn failures_keep_their_code_and_path() {
        let e = decode_error(&encode_error(&Error::new(ErrorCode::CertificateExpired, "gone").at("x5c[1]")));
        assert_eq!((e.code, e.path.as_deref(), e.message.as_str()), (ErrorCode::CertificateExpired, Some("x5c[1]"), "gone"));
        assert_eq!(decode_error("NO_SUCH_CODE\u{1}\u{1}m").code, ErrorCode::InternalError);
        assert_eq!(decode_error("").code, ErrorCode::InternalError);
    }
}
