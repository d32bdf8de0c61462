//! The digests of proof configurations already canonicalized on this thread, by their exact JSON
//! text: a proof configuration (the proof without `proofValue`, with the document's `@context`)
//! comes back for every credential an issuer signs with the same options (verification method,
//! `created`, purpose), and canonicalizing it was about as costly as the document itself.
//!
//! What a digest depends on: the text (every inline context is in it), the bundled contexts (fixed
//! at build time), the hash algorithm (part of the key) and the default options of
//! [`crate::proof`] (fixed); and whatever the caller's loader serves, which may change from one
//! call to the next. So a digest is kept only when the caller's loader was never asked while
//! computing it (every context it needed was bundled); errors are never kept. At most
//! [`ENTRIES`] entries per hash algorithm of at most [`MAX_TEXT`] bytes of text each (a longer
//! text is never kept): the cache empties when full.
//!
//! A text is kept the second time it is seen, not the first (the first sighting leaves only a
//! 64-bit hash of it, at most [`SEEN`] of them): holding every text of a stream in which none
//! repeats made each canonicalization about 9% slower in wasm (measured with the module alone,
//! two builds interleaved), the held texts spreading the heap's short-lived allocations.

use std::cell::{Cell, RefCell};

use std::hash::BuildHasher;

use crate::hashing::{HashMap, RandomState};
use crate::jsonld::{DocumentLoader, Error, RemoteDocument};
use crate::rdfc::HashAlgorithm;

/// Most digests held per thread.
pub const ENTRIES: usize = 64;
/// Longest proof configuration text kept (a proof configuration is a few hundred bytes; at most
/// `2 * ENTRIES * MAX_TEXT` = 512 KiB of keys).
pub const MAX_TEXT: usize = 4096;
/// Most hashes of texts seen once held (8 bytes each).
pub const SEEN: usize = 1024;

/// The held digests and the hashes of texts seen once.
#[derive(Default)]
struct Held {
    /// One table per hash algorithm (SHA-256, SHA-384), by text.
    digests: [HashMap<String, Vec<u8>>; 2],
    /// Hashes (by `hasher`) of texts seen once, per hash algorithm by its index.
    seen: HashMap<(usize, u64), ()>,
    hasher: RandomState,
}

thread_local! {
    static HELD: RefCell<Held> = RefCell::new(Held::default());
}

#[cfg(test)]
thread_local! {
    /// Tests: compute every digest as if the cache were not there.
    pub(crate) static OFF: Cell<bool> = const { Cell::new(false) };
    /// Tests: the hits so far.
    pub(crate) static HITS: Cell<u64> = const { Cell::new(0) };
}

/// A loader that remembers whether it was asked.
struct Watched<'a> {
    inner: &'a dyn DocumentLoader,
    asked: Cell<bool>,
}

impl DocumentLoader for Watched<'_> {
    fn load(&self, url: &str) -> Result<RemoteDocument, Error> {
        self.asked.set(true);
        self.inner.load(url)
    }
}

/// The digest of the proof configuration `text` under `hash`: held, or `compute(loader)`d (and
/// held when the loader was not asked, see the module doc).
///
/// # Errors
/// What `compute` returns.
pub(crate) fn digest<E>(
    text: &str,
    hash: HashAlgorithm,
    loader: &dyn DocumentLoader,
    compute: impl FnOnce(&dyn DocumentLoader) -> Result<Vec<u8>, E>,
) -> Result<Vec<u8>, E> {
    #[cfg(test)]
    let off = OFF.with(Cell::get);
    #[cfg(not(test))]
    let off = false;
    let keep = !off && text.len() <= MAX_TEXT;
    let table = match hash {
        HashAlgorithm::Sha256 => 0,
        HashAlgorithm::Sha384 => 1,
    };
    if keep {
        let held = HELD.with(|h| h.try_borrow().ok().and_then(|h| h.digests.get(table).and_then(|t| t.get(text)).cloned()));
        if let Some(digest) = held {
            #[cfg(test)]
            HITS.with(|h| h.set(h.get() + 1));
            return Ok(digest);
        }
    }
    let watched = Watched { inner: loader, asked: Cell::new(false) };
    let digest = compute(&watched)?;
    if keep && !watched.asked.get() {
        HELD.with(|h| {
            let Ok(mut h) = h.try_borrow_mut() else { return };
            let held = &mut *h;
            let sighting = (table, held.hasher.hash_one(text));
            if held.seen.remove(&sighting).is_none() {
                if held.seen.len() >= SEEN {
                    held.seen.clear();
                }
                held.seen.insert(sighting, ());
                return;
            }
            if let Some(t) = held.digests.get_mut(table) {
                if t.len() >= ENTRIES {
                    t.clear();
                }
                t.insert(text.to_owned(), digest.clone());
            }
        });
    }
    Ok(digest)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::proof::hash_data_json_with;
    use std::sync::Arc;

    const DOC: &str = r#"{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "issuer": "did:example:i", "credentialSubject": {"id": "did:example:s"}}"#;

    fn config(created: &str, extra: &str) -> String {
        format!(
            r#"{{"@context": ["https://www.w3.org/ns/credentials/v2"{extra}], "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "{created}", "verificationMethod": "did:example:i#k", "proofPurpose": "assertionMethod"}}"#
        )
    }

    /// A loader serving one context, which a test replaces between calls.
    struct One(RefCell<Arc<serde_json::Value>>);
    impl DocumentLoader for One {
        fn load(&self, url: &str) -> Result<RemoteDocument, Error> {
            if url != "https://example.org/ctx" {
                return Err(Error::context_unavailable(url));
            }
            Ok(RemoteDocument { url: url.to_owned(), document: Arc::clone(&self.0.borrow()) })
        }
    }
    fn served(ctx: &str) -> Arc<serde_json::Value> {
        Arc::new(serde_json::from_str(ctx).unwrap())
    }

    fn uncached(config: &str, loader: &dyn DocumentLoader, hash: HashAlgorithm) -> Result<Vec<u8>, crate::proof::HashError> {
        OFF.with(|o| o.set(true));
        let out = hash_data_json_with(DOC, config, loader, hash);
        OFF.with(|o| o.set(false));
        out
    }

    /// Held digests are the ones computed without the cache, for both hash algorithms and for
    /// texts that differ in one character or only in an inline context; past ENTRIES the table
    /// empties and keeps answering the same.
    #[test]
    fn held_digests_are_the_computed_ones() {
        let loader = crate::jsonld::NoLoader;
        let inline = r#", {"@context": {"ex": "urn:example:"}}"#.replace(r#"{"@context": "#, "").replace("}}", "}");
        let texts: Vec<String> = (0..ENTRIES * 2)
            .map(|i| config(&format!("2026-01-01T00:{:02}:{:02}Z", (i / 60) % 60, i % 60), if i % 3 == 0 { &inline } else { "" }))
            .collect();
        for hash in [HashAlgorithm::Sha256, HashAlgorithm::Sha384] {
            // Twice more texts than fit (the table empties on the way), then three times a set
            // that fits: kept at its second sighting, served at the third.
            let half = &texts[..ENTRIES / 2];
            for (round, texts) in [&texts[..], &texts[..], half, half, half].into_iter().enumerate() {
                let before = HITS.with(Cell::get);
                for t in texts {
                    assert_eq!(hash_data_json_with(DOC, t, &loader, hash).unwrap(), uncached(t, &loader, hash).unwrap(), "{t}");
                }
                let hits = HITS.with(Cell::get) - before;
                if round == 4 {
                    assert_eq!(hits, texts.len() as u64, "repeats are served from the cache");
                }
            }
        }
        let (a, b) = (config("2026-01-01T00:00:00Z", ""), config("2026-01-01T00:00:01Z", ""));
        assert_ne!(
            hash_data_json_with(DOC, &a, &loader, HashAlgorithm::Sha256).unwrap(),
            hash_data_json_with(DOC, &b, &loader, HashAlgorithm::Sha256).unwrap()
        );
        // An unsafe proof configuration is an error every time, never held.
        let bad = config("2026-01-01T00:00:00Z", "").replace(r#""type""#, r#""undefinedTerm": 1, "type""#);
        for _ in 0..2 {
            assert_eq!(hash_data_json_with(DOC, &bad, &loader, HashAlgorithm::Sha256).unwrap_err().code, "JSONLD_UNSAFE");
        }
    }

    /// A proof configuration whose context the caller's loader served is computed again on
    /// every call: a loader that serves another context next time gives other hash data.
    #[test]
    fn what_the_loader_served_is_never_held() {
        let first = r#"{"@context": {"level": "urn:example:level-1"}}"#;
        let second = r#"{"@context": {"level": "urn:example:level-2"}}"#;
        let loader = One(RefCell::new(served(first)));
        let text = config("2026-01-01T00:00:00Z", r#", "https://example.org/ctx""#).replace(r#""type""#, r#""level": 1, "type""#);
        let a = hash_data_json_with(DOC, &text, &loader, HashAlgorithm::Sha256).unwrap();
        assert_eq!(a, hash_data_json_with(DOC, &text, &loader, HashAlgorithm::Sha256).unwrap());
        *loader.0.borrow_mut() = served(second);
        let b = hash_data_json_with(DOC, &text, &loader, HashAlgorithm::Sha256).unwrap();
        assert_ne!(a, b);
        assert_eq!(b, uncached(&text, &loader, HashAlgorithm::Sha256).unwrap());
        // And a loader that no longer has it: unavailable, not a held digest.
        *loader.0.borrow_mut() = served("[]");
        assert!(hash_data_json_with(DOC, &text, &crate::jsonld::NoLoader, HashAlgorithm::Sha256).is_err());
    }
}
