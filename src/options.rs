//! Verification options, as JS callers pass them (camelCase JSON).

use crate::keys::Algorithm;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Options for `verifyCredential`, `verifyPresentation`, `verifyBatch` and `sdJwt.verify`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct VerifyOptions {
    /// Issuer DIDs accepted; `None` accepts any issuer whose signature verifies.
    pub trusted_issuers: Option<Vec<String>>,
    /// The verification time in milliseconds since the epoch; `None` uses the host clock.
    pub now: Option<f64>,
    /// Tolerance for `exp`, `nbf`, `iat` comparisons, in seconds.
    pub clock_skew_seconds: u32,
    /// The nonce a presentation must carry; also requires key binding for SD-JWT.
    pub nonce: Option<String>,
    /// The audience a presentation must be addressed to.
    pub audience: Option<String>,
    /// Require an SD-JWT key-binding JWT even without a nonce.
    pub require_key_binding: bool,
    /// Require each presented credential's subject to be the presentation's holder.
    pub holder_binding: bool,
    /// Accept SD-JWT VCs typed with the older `vc+sd-jwt`.
    pub accept_legacy_typ: bool,
    /// Status lists the caller has fetched, by URI: each a compact JWT string (an IETF Status List
    /// Token, or a W3C status list credential secured as a JWT).
    pub status_lists: Option<BTreeMap<String, Value>>,
    /// Issuers trusted to sign status lists besides each credential's own issuer.
    pub trusted_status_issuers: Option<Vec<String>>,
    /// Treat a status list that cannot be had as "not revoked" instead of failing.
    pub status_fail_open: bool,
    /// Check status lists (default true); false skips status checks entirely.
    pub check_status: bool,
    /// Largest decompressed status list in bytes; a list inflating past it is `INVALID_STATUS_LIST`.
    pub max_status_list_bytes: usize,
    /// Largest input item in bytes.
    pub max_input_bytes: usize,
    /// Deepest JSON nesting accepted.
    pub max_depth: usize,
    /// Most credentials in one presentation.
    pub max_credentials: usize,
    /// The JWS algorithms accepted, for every signature of an item (credentials, presentations,
    /// key-binding JWTs, status lists); `None` accepts all of [`Algorithm::ALL`]. It can only
    /// narrow the set: a name outside it fails the options.
    pub algorithms: Option<Vec<Algorithm>>,
    /// Keys the caller trusts per issuer id (a DID or an https URL): a public JWK or a JWK Set
    /// `{ keys: [...] }` ([`crate::keys::IssuerKeys`]). Consulted for issuers whose DID does not
    /// state its key (everything but did:key and did:jwk).
    pub issuer_keys: Option<BTreeMap<String, Value>>,
    /// Certificates (PEM or base64 DER) that a JWS header's `x5c` chain may end at
    /// ([`crate::keys::x509`]); without them `x5c` is not a key source.
    pub trust_anchors: Option<Vec<String>>,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            trusted_issuers: None,
            now: None,
            clock_skew_seconds: 60,
            nonce: None,
            audience: None,
            require_key_binding: false,
            holder_binding: true,
            accept_legacy_typ: false,
            status_lists: None,
            trusted_status_issuers: None,
            status_fail_open: false,
            check_status: true,
            max_status_list_bytes: crate::limits::DEFAULT_MAX_STATUS_LIST_BYTES,
            max_input_bytes: 1024 * 1024,
            max_depth: 64,
            max_credentials: 100,
            algorithms: None,
            issuer_keys: None,
            trust_anchors: None,
        }
    }
}

impl VerifyOptions {
    /// The same options with every limit lowered to its hard ceiling ([`crate::limits`]).
    pub fn clamped(mut self) -> VerifyOptions {
        use crate::limits::{MAX_CREDENTIALS_CEILING, MAX_DEPTH_CEILING, MAX_INPUT_BYTES_CEILING, MAX_STATUS_LIST_BYTES_CEILING};
        self.max_depth = self.max_depth.min(MAX_DEPTH_CEILING);
        self.max_input_bytes = self.max_input_bytes.min(MAX_INPUT_BYTES_CEILING);
        self.max_credentials = self.max_credentials.min(MAX_CREDENTIALS_CEILING);
        self.max_status_list_bytes = self.max_status_list_bytes.min(MAX_STATUS_LIST_BYTES_CEILING);
        self
    }

    /// The verification time in whole seconds since the epoch, given the host clock's `now_ms`.
    pub fn now_seconds(&self, host_now_ms: f64) -> i64 {
        (self.now.unwrap_or(host_now_ms) / 1000.0).floor() as i64
    }

    /// Whether `alg` is acceptable under `algorithms`.
    pub fn allows(&self, alg: Algorithm) -> bool {
        self.algorithms.as_ref().is_none_or(|list| list.contains(&alg))
    }

    /// Whether `issuer` is acceptable under `trusted_issuers`.
    pub fn trusts(&self, issuer: &str) -> bool {
        self.trusted_issuers.as_ref().is_none_or(|list| list.iter().any(|i| i == issuer))
    }
}
