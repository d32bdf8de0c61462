//! The crate's one error type: a stable code and a message, as credcore's `ErrorCode` and
//! `Error` are.

use core::fmt;

/// What went wrong, as a stable code; [`ErrorCode::as_str`] is the string credcore's error list
/// carries (`MALFORMED_INPUT` and `INPUT_TOO_LARGE` are the same names there).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The input is not what its grammar allows: N-Quads syntax, an ill-formed term in a quad
    /// given to canonicalization.
    MalformedInput,
    /// The input is over a size limit (bytes, quads, terms).
    InputTooLarge,
    /// RDFC-1.0 would need more work than its bound allows (a poison graph, see
    /// [`crate::rdfc::Options`]).
    CanonicalizationLimit,
}

impl ErrorCode {
    /// The stable string of the code.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::MalformedInput => "MALFORMED_INPUT",
            ErrorCode::InputTooLarge => "INPUT_TOO_LARGE",
            ErrorCode::CanonicalizationLimit => "CANONICALIZATION_LIMIT",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error of this crate: a [`ErrorCode`] and a message for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The stable code.
    pub code: ErrorCode,
    /// What happened, for diagnostics (not stable).
    pub message: String,
}

impl Error {
    /// An error of `code` with `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error { code, message: message.into() }
    }

    pub(crate) fn malformed(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::MalformedInput, message)
    }

    pub(crate) fn too_large(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::InputTooLarge, message)
    }

    pub(crate) fn limit(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::CanonicalizationLimit, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Error {}

/// The crate's result type.
pub type Result<T> = core::result::Result<T, Error>;
