//! credcore-ld: the JSON-LD and RDF machinery of credcore's Data Integrity proofs, kept out of the
//! default module (it is loaded only where a credential needs it).
//!
//! - [`rdf`]: the RDF dataset model (terms, quads) and N-Quads serialization.
//! - RDF Dataset Canonicalization (RDFC-1.0), bounded against poison graphs.
//! - JSON-LD 1.1 expansion and deserialization to RDF, for the features credentials use, with a
//!   bundled set of contexts and a loader hook; safe mode (terms that do not expand are errors).

pub mod jsonld;
pub mod rdf;
