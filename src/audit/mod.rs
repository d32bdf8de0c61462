//! Hash-chained audit logs (entries, checkpoints, JSON Lines), built on [`crate::hash`],
//! [`crate::mac`] and [`crate::jcs`].

pub mod chain;
