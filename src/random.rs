//! Randomness from the platform CSPRNG (`crypto.getRandomValues` in wasm, the OS elsewhere), and
//! the type of an injectable random source, so that tests can make issuance reproducible.

use crate::error::{Error, ErrorCode, Result};

/// A source of random bytes (salts, decoys, session ids). Fails rather than returning weak bytes.
pub type Random<'a> = &'a mut dyn FnMut(&mut [u8]) -> Result<()>;

/// Fills `buf` from the platform CSPRNG.
///
/// # Errors
/// `INTERNAL_ERROR` when the platform has no random source.
pub fn system_random(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| Error::new(ErrorCode::InternalError, format!("no random source: {e}")))
}
