//! Error codes: one list, stable strings, shared by Rust, the wasm boundary and the TypeScript types.
//!
//! Where anon-identity's `VerificationErrorCode` has a name for a failure, the same name is used,
//! so that its users can switch without remapping codes.

use core::fmt;

macro_rules! error_codes {
    ($( $(#[doc = $doc:literal])* $variant:ident = $name:literal, )*) => {
        /// A stable, machine-readable failure code. `as_str()` is the string JS callers see.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl ErrorCode {
            /// Every code, in declaration order (the TypeScript union mirrors this list).
            pub const ALL: &'static [ErrorCode] = &[ $( ErrorCode::$variant, )* ];

            /// The stable string of this code, e.g. `"INVALID_SIGNATURE"`.
            pub const fn as_str(self) -> &'static str {
                match self { $( ErrorCode::$variant => $name, )* }
            }

            /// Parses a code from its stable string.
            pub fn parse(s: &str) -> Option<ErrorCode> {
                match s { $( $name => Some(ErrorCode::$variant), )* _ => None }
            }
        }
    };
}

error_codes! {
    /// The input is not what the operation takes: bad encoding, bad JSON, wrong types or lengths.
    MalformedInput = "MALFORMED_INPUT",
    /// The input exceeds a size, count or nesting limit.
    InputTooLarge = "INPUT_TOO_LARGE",
    /// The algorithm is not one credcore verifies (EdDSA over Ed25519, ES256, ES384, ES256K,
    /// RS256/384/512, PS256/384/512), is outside the caller's `algorithms`, or is a hash other than
    /// SHA-256/384/512; or a key is of a type credcore does not verify with.
    UnsupportedAlgorithm = "UNSUPPORTED_ALGORITHM",
    /// The credential's (issuer's) signature does not verify.
    InvalidSignature = "INVALID_SIGNATURE",
    /// The presentation's (holder's) signature does not verify.
    InvalidPresentationSignature = "INVALID_PRESENTATION_SIGNATURE",
    /// The signed payload differs from the credential body it travels with.
    PayloadMismatch = "PAYLOAD_MISMATCH",
    /// A Data Integrity proof's `cryptosuite` is not one credcore verifies (eddsa-jcs-2022,
    /// ecdsa-jcs-2019, eddsa-rdfc-2022, ecdsa-rdfc-2019 with P-256).
    UnsupportedCryptosuite = "UNSUPPORTED_CRYPTOSUITE",
    /// The credential or presentation carries no proof.
    MissingProof = "MISSING_PROOF",
    /// The proof is of a type this version does not verify (e.g. a Data Integrity `proofValue`).
    UnsupportedProofType = "UNSUPPORTED_PROOF_TYPE",
    /// A DID is not a valid did:key or did:jwk naming an acceptable key, or a `kid` does not
    /// belong to the issuer's DID.
    InvalidDid = "INVALID_DID",
    /// A key is malformed, weak (RSA under 2048 bits, an Ed25519 key of small order), off its
    /// curve, private where a public key is expected, or marked for another use.
    InvalidKey = "INVALID_KEY",
    /// The key an issuer's signature needs cannot be had: its DID method or URL needs a document
    /// that is not held (did:web, JWT VC Issuer Metadata, a DID resolver), or `issuerKeys` has no
    /// key for its `kid` (the message names what was needed).
    KeyUnavailable = "KEY_UNAVAILABLE",
    /// An `x5c` certificate chain does not validate to one of the caller's `trustAnchors`
    /// (RFC 5280 path validation: a signature, names, basicConstraints, keyUsage, a critical
    /// extension not understood, an unsupported algorithm), or its leaf does not name the issuer.
    UntrustedCertificate = "UNTRUSTED_CERTIFICATE",
    /// A certificate of an `x5c` chain is past its `notAfter` at the verification time.
    CertificateExpired = "CERTIFICATE_EXPIRED",
    /// A certificate of an `x5c` chain is before its `notBefore` at the verification time.
    CertificateNotYetValid = "CERTIFICATE_NOT_YET_VALID",
    /// The credential or presentation has expired.
    ExpiredCredential = "EXPIRED_CREDENTIAL",
    /// The credential or presentation is not valid yet.
    NotYetValid = "NOT_YET_VALID",
    /// The issuer is not among the caller's trusted issuers.
    UntrustedIssuer = "UNTRUSTED_ISSUER",
    /// The credential's subject is not the presentation's holder.
    HolderMismatch = "HOLDER_MISMATCH",
    /// The presentation's nonce is not the expected one.
    NonceMismatch = "NONCE_MISMATCH",
    /// The presentation's nonce was issued here and has already been used (single use, across
    /// every process that shares the store).
    NonceReplayed = "NONCE_REPLAYED",
    /// The presentation's audience is not the expected one.
    AudienceMismatch = "AUDIENCE_MISMATCH",
    /// A selective-disclosure proof (a disclosure or its digest) is invalid.
    InvalidDisclosureProof = "INVALID_DISCLOSURE_PROOF",
    /// Key binding was required but the presentation has none.
    KeyBindingMissing = "KEY_BINDING_MISSING",
    /// The key-binding JWT is invalid (signature, `sd_hash`, `iat`, `typ`).
    KeyBindingInvalid = "KEY_BINDING_INVALID",
    /// The credential is revoked by its status list.
    RevokedCredential = "REVOKED_CREDENTIAL",
    /// The credential is suspended by its status list.
    CredentialSuspended = "CREDENTIAL_SUSPENDED",
    /// The credential's status list could not be had (fails closed).
    StatusUnavailable = "STATUS_UNAVAILABLE",
    /// A status list is malformed, badly signed, too large, or from an untrusted issuer.
    InvalidStatusList = "INVALID_STATUS_LIST",
    /// A session token has expired.
    SessionExpired = "SESSION_EXPIRED",
    /// A session token is malformed, tampered with, or under another key.
    SessionInvalid = "SESSION_INVALID",
    /// A session was revoked.
    SessionRevoked = "SESSION_REVOKED",
    /// A worker pool's queue is full.
    QueueFull = "QUEUE_FULL",
    /// The operation was aborted by its caller.
    Aborted = "ABORTED",
    /// The operation did not finish within its time limit.
    Timeout = "TIMEOUT",
    /// A worker failed twice on the same items.
    WorkerFailed = "WORKER_FAILED",
    /// The pool or verifier is closed.
    Closed = "CLOSED",
    /// The module was used before `init()` resolved (browsers).
    NotInitialized = "NOT_INITIALIZED",
    /// An internal invariant failed; the module stays usable.
    InternalError = "INTERNAL_ERROR",
    /// The shared store (Redis) could not answer: what depends on it (single-use nonces,
    /// sessions) fails closed.
    StoreUnavailable = "STORE_UNAVAILABLE",
    /// A Data Integrity document or proof over RDF (eddsa-rdfc-2022, Ed25519Signature2020) is
    /// not valid JSON-LD, or has content that JSON-LD safe mode refuses because a signature over
    /// its RDF would not cover it (an undefined term, a relative IRI, a dropped value).
    JsonLdInvalid = "JSONLD_INVALID",
    /// A JSON-LD context the document names is neither bundled nor given by the caller's
    /// `documentLoader` (the message names its URL). Nothing is fetched otherwise.
    ContextUnavailable = "JSONLD_CONTEXT_UNAVAILABLE",
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A coded failure with a human-readable message and, where it applies, a JSON path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The stable code callers switch on.
    pub code: ErrorCode,
    /// A human-readable explanation; never contains secret material.
    pub message: String,
    /// Where in the input the failure is, e.g. `credentials[1].proof.jws`.
    pub path: Option<String>,
}

impl Error {
    /// A new error with a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error { code, message: message.into(), path: None }
    }

    /// The same error, located at `path` (prefixing any path it already has).
    pub fn at(mut self, path: impl Into<String>) -> Self {
        let p = path.into();
        self.path = Some(match self.path.take() {
            None => p,
            Some(inner) if inner.starts_with('[') => format!("{p}{inner}"),
            Some(inner) => format!("{p}.{inner}"),
        });
        self
    }

    /// Shorthand for a `MALFORMED_INPUT` error.
    pub fn malformed(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::MalformedInput, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{}: {} (at {p})", self.code, self.message),
            None => write!(f, "{}: {}", self.code, self.message),
        }
    }
}

impl std::error::Error for Error {}

/// The result type of every fallible core operation.
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {code}");
            assert_eq!(ErrorCode::parse(code.as_str()), Some(*code));
            assert!(code.as_str().chars().all(|c| c.is_ascii_uppercase() || c == '_'));
        }
        assert_eq!(ErrorCode::parse("NOPE"), None);
    }

    #[test]
    fn paths_nest() {
        let e = Error::malformed("x").at("proof").at("credentials[0]");
        assert_eq!(e.path.as_deref(), Some("credentials[0].proof"));
        let e = Error::malformed("x").at("[2]").at("items");
        assert_eq!(e.path.as_deref(), Some("items[2]"));
    }
}
