//! The verifier's configuration and reports: cache sizes, statistics, what a batch needs from its
//! host, and how much one call parses at once.

use crate::cache::CacheStats;
use serde::{Deserialize, Serialize};

pub use crate::limits::MAX_STATUS_LISTS_PER_CALL;

/// Inputs parsed at once by one call, at most (a whole item always: items are bounded apart).
///
/// Memory: parsed JSON takes up to about 64 bytes per input byte while a group is verified (dense
/// input such as `0,0,0,...`; a few bytes per byte for ordinary credentials), so one group holds
/// at most about 64 MiB whatever the batch. What stays past the group is the results: an invalid
/// one keeps at most `MAX_UNVERIFIED_VALUES` values, a valid one the claims its input carried
/// (at most `MAX_JSON_VALUES` per JSON text).
pub(super) const GROUP_BYTES: usize = 1024 * 1024;

/// What a batch needs from its host before some items can get a verdict (see
/// [`Verifier::serve_batch_with_needs`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Needs {
    /// Status-list URIs to fetch, in first-seen order.
    #[serde(rename = "missing")]
    pub uris: Vec<String>,
    /// The indices of the inputs to run again once they are supplied.
    pub items: Vec<usize>,
    /// Key documents to fetch (DID documents, issuer metadata, JWK Sets), in first-seen order.
    pub keys: Vec<crate::keys::KeyFetch>,
    /// The indices of the inputs to run again once the key documents are supplied.
    #[serde(rename = "keyItems")]
    pub key_items: Vec<usize>,
}

/// Cache sizes and lifetime.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct CacheConfig {
    /// Issuer keys held (decompressed), by DID.
    pub keys: usize,
    /// Verification results held.
    pub results: usize,
    /// Decoded status lists held.
    pub status_lists: usize,
    /// Most bytes the result cache holds (inputs plus result JSON texts).
    pub result_bytes: usize,
    /// Longest life of any cache entry, in seconds.
    pub ttl_seconds: f64,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig { keys: 1024, results: 10_000, status_lists: 64, result_bytes: 64 * 1024 * 1024, ttl_seconds: 300.0 }
    }
}

impl CacheConfig {
    /// No result or status-list memory at all (the module functions): only decoded issuer keys,
    /// a pure function of each DID, are kept between calls.
    pub fn stateless() -> Self {
        CacheConfig { results: 0, status_lists: 0, result_bytes: 0, ..CacheConfig::default() }
    }
}

/// Statistics of every cache.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifierStats {
    /// Issuer key cache.
    pub keys: CacheStats,
    /// Result cache.
    pub results: CacheStats,
    /// Status list cache.
    pub status_lists: CacheStats,
    /// Validated x5c certificate chains (sized by `keys`).
    pub certificate_chains: CacheStats,
}
