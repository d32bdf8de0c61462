//! Remote contexts: the [`DocumentLoader`] trait, the contexts bundled with the crate (read
//! offline, compiled in), and the order in which they are asked: bundled first, then the
//! caller's loader; nothing is fetched otherwise.

use std::sync::{Arc, OnceLock};

use serde_json::Value;

use super::error::Error;

/// A loaded remote document.
#[derive(Clone, Debug)]
pub struct RemoteDocument {
    /// The URL the document came from after redirects (the base of its relative references).
    pub url: String,
    /// The parsed document.
    pub document: Arc<Value>,
}

/// Dereferences a remote context URL, synchronously (the harness gathers what is needed before
/// a call; see the needs loop in the architecture notes).
pub trait DocumentLoader {
    /// The document at `url`.
    ///
    /// # Errors
    /// `JSONLD_CONTEXT_UNAVAILABLE` ([`Error::context_unavailable`]) when the loader has none.
    fn load(&self, url: &str) -> Result<RemoteDocument, Error>;
}

/// A loader with no documents: only the bundled contexts resolve.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoLoader;

impl DocumentLoader for NoLoader {
    fn load(&self, url: &str) -> Result<RemoteDocument, Error> {
        Err(Error::context_unavailable(url))
    }
}

/// A bundled context: its URL, the file under `ld/contexts/`, and the text.
#[derive(Clone, Copy, Debug)]
pub struct BundledContext {
    /// The URL the context is published at.
    pub url: &'static str,
    /// The file name under `ld/contexts/`.
    pub file: &'static str,
    /// The file's text, byte for byte as obtained (see ld/contexts/README.md).
    pub text: &'static str,
}

macro_rules! bundled {
    ($(($url:expr, $file:expr)),* $(,)?) => {
        /// The contexts compiled into the crate (provenance in ld/contexts/README.md).
        pub const BUNDLED: &[BundledContext] = &[
            $(BundledContext { url: $url, file: $file, text: include_str!(concat!("../../contexts/", $file)) }),*
        ];
    };
}

bundled![
    ("https://www.w3.org/2018/credentials/v1", "credentials-v1.jsonld"),
    ("https://www.w3.org/ns/credentials/v2", "credentials-v2.jsonld"),
    ("https://www.w3.org/2018/credentials/examples/v1", "credentials-examples-v1.jsonld"),
    ("https://www.w3.org/ns/credentials/examples/v2", "credentials-examples-v2.jsonld"),
    ("https://w3id.org/security/data-integrity/v1", "data-integrity-v1.jsonld"),
    ("https://w3id.org/security/data-integrity/v2", "data-integrity-v2.jsonld"),
    ("https://w3id.org/security/v1", "security-v1.jsonld"),
    ("https://w3id.org/security/v2", "security-v2.jsonld"),
    ("https://w3id.org/security/suites/ed25519-2020/v1", "ed25519-signature-2020-v1.jsonld"),
    ("https://w3id.org/security/multikey/v1", "multikey-v1.jsonld"),
    ("https://w3id.org/security/suites/jws-2020/v1", "jws-2020-v1.jsonld"),
    ("https://w3id.org/vc/status-list/2021/v1", "vc-status-list-2021-v1.jsonld"),
    ("https://purl.imsglobal.org/spec/ob/v3p0/context.json", "ob-v3p0-context-3.0.jsonld"),
    ("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json", "ob-v3p0-context-3.0.1.jsonld"),
    ("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json", "ob-v3p0-context-3.0.2.jsonld"),
    ("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", "ob-v3p0-context-3.0.3.jsonld"),
];

/// The bundled contexts, parsed once per process.
fn parsed() -> &'static [Option<Arc<Value>>] {
    static PARSED: OnceLock<Vec<Option<Arc<Value>>>> = OnceLock::new();
    PARSED.get_or_init(|| BUNDLED.iter().map(|c| serde_json::from_str(c.text).ok().map(Arc::new)).collect())
}

/// The bundled contexts as a loader.
#[derive(Clone, Copy, Debug, Default)]
pub struct Bundled;

impl DocumentLoader for Bundled {
    fn load(&self, url: &str) -> Result<RemoteDocument, Error> {
        let i = BUNDLED.iter().position(|c| c.url == url).ok_or_else(|| Error::context_unavailable(url))?;
        let document = parsed().get(i).cloned().flatten().ok_or_else(|| Error::context_unavailable(url))?;
        Ok(RemoteDocument { url: url.to_owned(), document })
    }
}

/// The position of `url` in [`BUNDLED`], when it is a bundled context that parsed (each has a
/// bit in a `u64` mask: a test checks that they fit).
pub(crate) fn bundled_index(url: &str) -> Option<usize> {
    let i = BUNDLED.iter().position(|c| c.url == url)?;
    parsed().get(i)?.as_ref().map(|_| i)
}

/// The bundled context at position `i` of [`BUNDLED`].
pub(crate) fn bundled(i: usize) -> Option<RemoteDocument> {
    let document = parsed().get(i)?.clone()?;
    Some(RemoteDocument { url: BUNDLED.get(i)?.url.to_owned(), document })
}

#[cfg(test)]
mod tests {
    #[test]
    fn bundled_contexts_fit_a_mask_and_parse() {
        assert!(super::BUNDLED.len() <= 64);
        for (i, c) in super::BUNDLED.iter().enumerate() {
            assert_eq!(super::bundled_index(c.url), Some(i), "{}", c.file);
        }
    }
}
