//! Credential and presentation formats, and the options and results every format shares.
//!
//! The verification options and results every format shares are [`crate::options`] and
//! [`crate::verdict`] (re-exported here). Each format turns one input into a [`crate::batch::Prepared`]: the checks that need no
//! cryptography are already done and recorded as errors, and every signature the item needs is
//! listed as a [`crate::batch::SigCheck`]. The batch engine verifies all signatures of all items
//! at once and completes the results.

pub mod anon_identity;
pub mod checks;
pub mod data_integrity;
pub mod format;
pub mod issue;
pub mod json;
pub mod presentation;
pub mod vc_jwt;

pub use crate::options::VerifyOptions;
pub use crate::verdict::{CredentialSummary, Format, Kind, VerificationResult};
#[cfg(feature = "internals")]
pub use crate::verdict::{ErrorEntry, Unverified};
