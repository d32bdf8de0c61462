//! The crate's one error type for JSON-LD processing: a stable code, the JSON-LD 1.1 API error
//! name where the spec defines one (§9.4.2 `JsonLdErrorCode`), and a message.

use std::fmt;

/// A stable error code. Its string ([`Code::as_str`]) is part of the API: callers switch on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    /// The document or one of its contexts is not valid JSON-LD (the spec names the error in
    /// [`Error::spec`]).
    Invalid,
    /// A limit of [`super::Limits`] was reached.
    Limit,
    /// A remote context could not be had: not bundled, and the caller's loader had none.
    ContextUnavailable,
    /// Safe mode: the document has content that expansion or toRdf would drop or leave
    /// relative, so a signature over the RDF would not cover it (see the module doc).
    Unsafe,
}

impl Code {
    /// The stable code string.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Invalid => "JSONLD_INVALID",
            Code::Limit => "JSONLD_LIMIT",
            Code::ContextUnavailable => "JSONLD_CONTEXT_UNAVAILABLE",
            Code::Unsafe => "JSONLD_UNSAFE",
        }
    }
}

/// An error of JSON-LD expansion or toRdf.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The stable code.
    pub code: Code,
    /// The JSON-LD 1.1 API error name (`"protected term redefinition"`, ...) for
    /// [`Code::Invalid`] and [`Code::ContextUnavailable`], or the jsonld.js safe-mode event name
    /// (`"invalid property"`, ...) for [`Code::Unsafe`].
    pub spec: &'static str,
    /// What was found, for diagnostics.
    pub message: String,
}

impl Error {
    /// A JSON-LD syntax error named by the spec.
    pub(crate) fn invalid(spec: &'static str, message: impl Into<String>) -> Error {
        Error { code: Code::Invalid, spec, message: message.into() }
    }
    /// A safe-mode rejection, named as jsonld.js names the event.
    pub(crate) fn unsafe_(spec: &'static str, message: impl Into<String>) -> Error {
        Error { code: Code::Unsafe, spec, message: message.into() }
    }
    /// A limit reached.
    pub(crate) fn limit(message: impl Into<String>) -> Error {
        Error { code: Code::Limit, spec: "limit", message: message.into() }
    }
    /// A remote context that could not be had.
    pub fn context_unavailable(url: &str) -> Error {
        Error { code: Code::ContextUnavailable, spec: "loading remote context failed", message: format!("no context for {url}") }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code.as_str(), self.spec, self.message)
    }
}

impl std::error::Error for Error {}
