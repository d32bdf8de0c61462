//! Issuance (stub).
