//! Encodings: base64url without padding (RFC 4648 section 5), base58btc and multibase, hex.

use crate::error::{Error, Result};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// Encodes bytes as base64url without padding.
pub fn b64url_encode(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

/// Decodes base64url without padding; padding, `+`, `/` and whitespace are rejected.
///
/// # Errors
/// `MALFORMED_INPUT` when the text is not canonical unpadded base64url.
pub fn b64url_decode(text: &str) -> Result<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text.as_bytes()).map_err(|e| Error::malformed(format!("invalid base64url: {e}")))
}

/// Encodes bytes as base58btc (Bitcoin alphabet).
pub fn b58_encode(data: &[u8]) -> String {
    bs58::encode(data).into_string()
}

/// Decodes base58btc.
///
/// # Errors
/// `MALFORMED_INPUT` on a character outside the Bitcoin alphabet.
pub fn b58_decode(text: &str) -> Result<Vec<u8>> {
    bs58::decode(text).into_vec().map_err(|e| Error::malformed(format!("invalid base58btc: {e}")))
}

/// Encodes bytes as lowercase hex.
pub fn hex_encode(data: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(data.len() * 2);
    for b in data {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Decodes hex (either case).
///
/// # Errors
/// `MALFORMED_INPUT` on an odd length or a non-hex digit.
pub fn hex_decode(text: &str) -> Result<Vec<u8>> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return Err(Error::malformed("hex text has an odd length"));
    }
    bytes
        .chunks_exact(2)
        .map(|pair| match (nibble(pair[0]), nibble(pair[1])) {
            (Some(h), Some(l)) => Ok(h << 4 | l),
            _ => Err(Error::malformed("invalid hex digit")),
        })
        .collect()
}

/// Decodes a multibase string with the base58btc prefix `z`.
///
/// # Errors
/// `MALFORMED_INPUT` for another prefix or invalid base58btc.
#[cfg(any(test, feature = "internals"))]
pub fn multibase_b58_decode(text: &str) -> Result<Vec<u8>> {
    match text.strip_prefix('z') {
        Some(rest) => b58_decode(rest),
        None => Err(Error::malformed("multibase value must use base58btc ('z' prefix)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_is_strict() {
        assert_eq!(b64url_encode(b"hello?"), "aGVsbG8_");
        assert_eq!(b64url_decode("aGVsbG8_").ok(), Some(b"hello?".to_vec()));
        assert!(b64url_decode("aGVsbG8/").is_err());
        assert!(b64url_decode("aGVsbA==").is_err());
        assert!(b64url_decode("aGVs bA").is_err());
    }

    #[test]
    fn hex_and_base58() {
        assert_eq!(hex_encode(&[0, 0xab, 0xff]), "00abff");
        assert_eq!(hex_decode("00ABff").ok(), Some(vec![0, 0xab, 0xff]));
        assert!(hex_decode("0").is_err());
        assert!(hex_decode("zz").is_err());
        assert_eq!(b58_encode(b"hello world"), "StV1DL6CwTryKyV");
        assert_eq!(multibase_b58_decode("zStV1DL6CwTryKyV").ok(), Some(b"hello world".to_vec()));
        assert!(multibase_b58_decode("uStV1").is_err());
        assert!(b58_decode("0OIl").is_err());
    }
}
