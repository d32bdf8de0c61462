//! The batch engine and the packed buffer format that carries batches across the boundary.

pub mod packed;
