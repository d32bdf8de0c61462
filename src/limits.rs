//! Size, count and nesting limits applied to every input before it is parsed.

/// Largest message accepted by `sign`, `verify` and `hash` (16 MiB).
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;
/// Largest packed batch buffer accepted in one call (256 MiB).
pub const MAX_PACKED_BYTES: usize = 256 * 1024 * 1024;
/// Most items in one batch.
pub const MAX_BATCH_ITEMS: usize = 1_000_000;
/// Deepest JSON nesting accepted where no option sets it (a scalar is depth 0, `[]` depth 1).
pub const MAX_JSON_DEPTH: usize = 64;

/// Default cap on a decompressed status list (16 MiB: 2^27 one-bit entries).
pub const DEFAULT_MAX_STATUS_LIST_BYTES: usize = 16 * 1024 * 1024;

/// Hard ceilings no verification option can raise a limit past (`VerifyOptions::clamped`). Depth:
/// serde_json's own recursion limit, and far below what the recursive disclosure resolution could
/// take before it exhausted the wasm stack (about 1,800 levels).
pub const MAX_DEPTH_CEILING: usize = 128;
/// Largest item any option accepts (16 MiB).
pub const MAX_INPUT_BYTES_CEILING: usize = 16 * 1024 * 1024;
/// Most credentials in one presentation any option accepts.
pub const MAX_CREDENTIALS_CEILING: usize = 1_000;
/// Largest decompressed status list any option accepts (64 MiB: 2^29 one-bit entries).
pub const MAX_STATUS_LIST_BYTES_CEILING: usize = 64 * 1024 * 1024;

/// Checks that an input of `len` bytes is within `max`.
///
/// # Errors
/// `INPUT_TOO_LARGE` naming `what`.
pub fn check_len(len: usize, max: usize, what: &str) -> crate::Result<()> {
    if len > max {
        return Err(crate::Error::new(
            crate::ErrorCode::InputTooLarge,
            format!("{what} is {len} bytes, over the limit of {max}"),
        )
        .at(what));
    }
    Ok(())
}
