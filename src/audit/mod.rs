//! Hashing and audit: SHA-2 digests, HMAC, RFC 8785 canonical JSON, hash-chained audit logs.

pub mod chain;
pub mod hash;
pub mod jcs;
pub mod mac;
