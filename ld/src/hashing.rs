//! The hash tables of the crate: std's tables with foldhash's seeded hasher.
//!
//! Why not std's SipHash: term lookups, the node map's values and toRdf's quads are hashed for
//! every key of every document, and SipHash-1-3 was about 6% of a small credential's
//! verification in wasm (a CPU profile of `verifyBatch`); foldhash is several times faster per
//! byte. Every table here is also bounded by the limits of the call (context work, values,
//! quads), and every bucket is compared by equality, so a collision costs time, never a wrong
//! answer; each table's seed is random (foldhash's `RandomState`), as the main crate's LRU and
//! input tables are.

/// A `HashMap` with foldhash's randomly seeded hasher (see the module doc).
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, RandomState>;

/// foldhash's randomly seeded `BuildHasher`.
pub(crate) type RandomState = foldhash::fast::RandomState;
