//! Size, count and nesting limits applied to every input before it is parsed.

/// Largest message accepted by `sign`, `verify` and `hash` (16 MiB).
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;
/// Largest packed batch buffer accepted in one call (256 MiB).
pub const MAX_PACKED_BYTES: usize = 256 * 1024 * 1024;
/// Most items in one batch.
pub const MAX_BATCH_ITEMS: usize = 1_000_000;
/// Deepest JSON nesting accepted where no option sets it (a scalar is depth 0, `[]` depth 1).
pub const MAX_JSON_DEPTH: usize = 64;

/// Most values in one JSON text (an item, a JWT payload, a disclosure): 20,000 values are about
/// 1 MB once parsed (serde_json values, 32 bytes and up), and no credential needs a tenth of it.
pub const MAX_JSON_VALUES: usize = 20_000;

/// Most status entries one item may carry; more is `INPUT_TOO_LARGE` (each can name a list).
pub const MAX_STATUS_ENTRIES_PER_ITEM: usize = 16;
/// Most proofs in one Data Integrity proof set (a document's `proof` array): each costs one
/// signature and the JCS form of its options; the document's own JCS form is computed once per
/// distinct `@context` the proofs sign.
pub const MAX_PROOFS_PER_DOCUMENT: usize = 16;
/// Most distinct status lists one call reads; entries naming more get `INPUT_TOO_LARGE`.
pub const MAX_STATUS_LISTS_PER_CALL: usize = 64;
/// Most bytes the status lists of one call may inflate to, together (each list is also capped by
/// `maxStatusListBytes`).
pub const MAX_STATUS_BYTES_PER_CALL: usize = 64 * 1024 * 1024;
/// Most bytes of decoded status lists a verifier holds between calls.
pub const MAX_HELD_STATUS_BYTES: usize = 64 * 1024 * 1024;
/// Most bytes of JSON pointers an SD-JWT's disclosed claims may add up to (its `disclosed`
/// list): nested disclosures repeat their parents' names, so without a bound a 10 MB input could
/// make half a gigabyte of paths.
pub const MAX_DISCLOSED_POINTER_BYTES: usize = 1024 * 1024;
/// Longest JSON pointer of one claim of an SD-JWT (the paths of the claims being resolved are
/// held at once, one per nesting level).
pub const MAX_CLAIM_PATH_BYTES: usize = 16 * 1024;
/// Most disclosures in one SD-JWT.
pub const MAX_DISCLOSURES: usize = 4096;
/// Most JSON values an invalid result keeps under `unverified`; past it, `unverified` keeps the
/// subject and issuer only (what a hostile input can make a result hold is bounded).
pub const MAX_UNVERIFIED_VALUES: usize = 10_000;

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
        return Err(crate::Error::new(crate::ErrorCode::InputTooLarge, format!("{what} is {len} bytes, over the limit of {max}")).at(what));
    }
    Ok(())
}

/// Most keys the `issuerKeys` option gives for one issuer (a JWK Set of an issuer rotating keys
/// holds a handful).
pub const MAX_KEYS_PER_ISSUER: usize = 100;
/// Most keys the `issuerKeys` option gives in all (each parsed once per distinct call options).
pub const MAX_ISSUER_KEYS: usize = 10_000;

/// Most bytes of one fetched key document (DID document, issuer metadata, JWK Set): the harness
/// stops reading there, and the core refuses a longer text. Real documents are a few KiB.
pub const MAX_KEY_DOCUMENT_BYTES: usize = 256 * 1024;
/// Most key documents one call asks its host for (DID documents, issuer metadata, JWK Sets):
/// items that would need more keep `KEY_UNAVAILABLE` without a fetch. With
/// [`MAX_KEY_DOCUMENT_BYTES`] each, at most 16 MiB of fetched text per call.
pub const MAX_KEY_FETCHES_PER_CALL: usize = 64;
/// Most key documents one item may wait for (a presentation's holder and the issuers of its
/// credentials); an item that needs more is not fetched for.
pub const MAX_KEY_FETCHES_PER_ITEM: usize = 8;
/// How long a key document that could not be had (or was unusable) is held as such, at most
/// (ms): a failing origin is not asked again by every call, and a fixed one is seen soon.
pub const KEY_FAILURE_TTL_MS: f64 = 30_000.0;
