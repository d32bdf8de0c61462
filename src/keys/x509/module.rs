//! The entry points of the keys module (`keys-wasm/`, pkg/credcore_keys_bg.wasm): the in-process
//! [`ChainValidator`](super::ChainValidator) over the bytes of [`super::wire`], for the default
//! module's bridge (`src/wasm/x509.rs`) to call through JavaScript.

use super::path::InProcess;
use super::wire::{encode, encode_error, unpack};
use super::{ChainValidator, TrustAnchors, MAX_TRUST_ANCHORS, MAX_X5C_CERTS};
use crate::error::{Error, ErrorCode};

fn anchors_of(packed: &[u8]) -> Result<TrustAnchors, String> {
    unpack(packed, MAX_TRUST_ANCHORS)
        .map(TrustAnchors::from_ders)
        .ok_or_else(|| encode_error(&Error::new(ErrorCode::MalformedInput, "the trust anchors are not a packed list").at("trustAnchors")))
}

/// Whether every packed anchor is a certificate: the failure as `CODE \u{1} path \u{1} message`.
///
/// # Errors
/// As [`ChainValidator::check_anchors`].
pub fn check_anchors(packed_anchors: &[u8]) -> Result<(), String> {
    InProcess.check_anchors(&anchors_of(packed_anchors)?).map_err(|e| encode_error(&e))
}

/// Validates a packed chain to the packed anchors at `now` (seconds): the validated chain as
/// [`super::wire::encode`] packs it, or the failure as `CODE \u{1} path \u{1} message`.
///
/// # Errors
/// As [`super::validate`].
pub fn validate_chain(packed_chain: &[u8], packed_anchors: &[u8], now: f64) -> Result<Vec<u8>, String> {
    let chain = unpack(packed_chain, MAX_X5C_CERTS)
        .ok_or_else(|| encode_error(&Error::new(ErrorCode::InputTooLarge, format!("x5c has 1 to {MAX_X5C_CERTS} certificates")).at("x5c")))?;
    if chain.is_empty() || !now.is_finite() {
        return Err(encode_error(&Error::malformed("a chain of at least one certificate, at a finite time").at("x5c")));
    }
    let anchors = anchors_of(packed_anchors)?;
    // Seconds as the core counts them (`now` came from an i64).
    InProcess.validate(&chain, &anchors, now as i64).map(|k| encode(&k)).map_err(|e| encode_error(&e))
}
