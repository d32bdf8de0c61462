//! credcore-ld: the JSON-LD and RDF machinery of credcore's Data Integrity proofs, kept out of the
//! default module (it is loaded only where a credential needs it).
//!
//! - [`rdf`]: the RDF dataset model (terms, quads).
//! - [`nquads`]: a strict, bounded N-Quads parser and the canonical N-Quads serialization.
//! - [`rdfc`]: RDF Dataset Canonicalization (RDFC-1.0), bounded against poison graphs.
//! - [`Error`]: the crate's error, a stable code ([`ErrorCode`]) and a message.
//! - [`jsonld`]: JSON-LD 1.1 expansion and deserialization to RDF, for the features credentials use, with a
//!   bundled set of contexts and a loader hook; safe mode (terms that do not expand are errors).
//! - [`proof`]: the hash data of a Data Integrity proof over RDF (eddsa-rdfc-2022, Ed25519Signature2020).

mod error;
mod hashing;
pub mod jsonld;
pub mod nquads;
pub mod proof;
mod proof_cache;
pub mod rdf;
pub mod rdfc;

pub use error::{Error, ErrorCode, Result};
