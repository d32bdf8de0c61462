//! A hash-chained audit log: SHA-256 links over RFC 8785 canonical events, HMAC-SHA-256
//! (RFC 2104) tags under rotating keys, Ed25519 (RFC 8032) signed checkpoints and JSON Lines,
//! built on [`crate::hash`], [`crate::mac`] and [`crate::jcs`].
//!
//! [`Entry`] documents the byte-exact preimage of an entry's hash and MAC. Hashes and MACs are
//! lowercase hex (64 characters): readable in logs and diff tools, one spelling per value, so
//! JSONL lines round-trip byte for byte. `seq` and `time` stay at or below 2^53 - 1 so that
//! JavaScript reads them exactly.
//!
//! The parts depend one way: `entry` <- `checkpoint` <- `log` <- `verify`; `jsonl` needs only
//! `entry`.

mod checkpoint;
mod entry;
mod jsonl;
mod log;
mod verify;

pub use checkpoint::Checkpoint;
#[cfg(feature = "internals")]
pub use checkpoint::CHECKPOINT_TYPE;
pub use entry::{ChainHead, Entry};
#[cfg(feature = "internals")]
pub use entry::{GENESIS_HASH, MAX_SAFE_INTEGER};
pub use jsonl::{from_jsonl, to_jsonl};
pub use log::AuditLog;
#[cfg(feature = "internals")]
pub use log::{Appended, Link, MAX_KEY_ID_BYTES, MIN_KEY_BYTES};
#[cfg(feature = "internals")]
pub use verify::{Reason, VerifyReport};
