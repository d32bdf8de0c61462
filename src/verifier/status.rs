//! Status lists in a batch: finding each list an item references (supplied by the call, else held
//! by the verifier), checking its signature and decoding it at most once per call, and reading
//! every entry.
//!
//! Policy (besides [`crate::status`]'s):
//! - A verifier keeps the newest list it has seen per URI and issuer (by
//!   [`ListDocument::generation`]: issued-at, then expiry) and refuses an older one as
//!   `INVALID_STATUS_LIST`, supplied or resolved: a replayed list cannot roll a revocation back.
//! - Only a list whose signature verifies is held or counted as seen, so a forged list can neither
//!   displace the real one nor block it.
//! - Bounded work: at most `MAX_STATUS_ENTRIES_PER_ITEM` entries per item and
//!   `MAX_STATUS_LISTS_PER_CALL` distinct lists per call (`INPUT_TOO_LARGE` past either), each
//!   list inflated at most once per call under its cap (`maxStatusListBytes`), all of a call's
//!   lists under `MAX_STATUS_BYTES_PER_CALL` together; a verifier holds at most
//!   `MAX_HELD_STATUS_BYTES` of decoded lists.
//! - A verifier without status-list memory (capacity 0: the module functions) holds nothing and
//!   remembers nothing between calls.

use crate::batch::Prepared;
use crate::cache::{CacheStats, TtlLru};
use crate::credential::VerifyOptions;
use crate::error::{Error, ErrorCode, Result};
use crate::keys::KeySource;
use crate::limits::{MAX_HELD_STATUS_BYTES, MAX_STATUS_BYTES_PER_CALL, MAX_STATUS_ENTRIES_PER_ITEM, MAX_STATUS_LISTS_PER_CALL};
use crate::status::{evaluate, ListDocument, StatusEntry, StatusListCache};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// How many (URI, issuer) generations a verifier remembers per cached list: far more than it holds
/// decoded, since a generation costs a few dozen bytes and a decoded list up to its inflation cap.
const GENERATIONS_PER_LIST: usize = 64;

/// The lists a verifier holds between calls: decoded lists by URI, and the newest generation seen
/// per URI and issuer.
pub struct StatusLists {
    cache: StatusListCache,
    newest: TtlLru<String, (i64, i64)>,
    /// Counts the changes of `newest`, so that a copy of it is taken only when it changed.
    changes: u64,
}

impl StatusLists {
    /// Holds up to `capacity` decoded lists for at most `ttl_ms` each; 0 holds and remembers nothing.
    pub fn new(capacity: usize, ttl_ms: f64) -> StatusLists {
        StatusLists {
            cache: TtlLru::with_weight_limit(capacity, ttl_ms, MAX_HELD_STATUS_BYTES),
            // Generations never expire by time: only by count, oldest first.
            newest: TtlLru::new(capacity.saturating_mul(GENERATIONS_PER_LIST), f64::INFINITY),
            changes: 0,
        }
    }

    /// How many times the generations seen changed (see [`StatusLists::generations`]).
    pub fn generation_changes(&self) -> u64 {
        self.changes
    }

    /// The newest generation seen per URI and issuer, least recently recorded first: what a
    /// fresh verifier must be told ([`StatusLists::remember`]) so that replacing one (after a
    /// trap, or to give its memory back) does not let an older list roll a revocation back.
    pub fn generations(&self) -> Vec<(String, (i64, i64))> {
        self.newest.entries(0.0).into_iter().map(|(k, v)| (k.clone(), *v)).collect()
    }

    /// Records generations another verifier saw ([`StatusLists::generations`]); each is kept
    /// only where it is newer than the one seen here, so a copy can raise, never lower, them.
    pub fn remember(&mut self, entries: Vec<(String, (i64, i64))>) {
        if !self.remembers() {
            return;
        }
        for (key, generation) in entries {
            if self.newest.peek(key.as_str(), 0.0).is_none_or(|seen| generation > *seen) {
                self.newest.insert(key, generation, 0.0);
                self.changes += 1;
            }
        }
    }

    /// The decoded list held for `uri`, if any, without counting a lookup.
    pub fn peek(&self, uri: &str, now_ms: f64) -> Option<&Arc<ListDocument>> {
        self.cache.peek(uri, now_ms)
    }

    /// Whether a decoded list is held for `uri`.
    pub fn contains(&self, uri: &str, now_ms: f64) -> bool {
        self.cache.contains(uri, now_ms)
    }

    /// Statistics of the decoded-list cache.
    pub fn stats(&self) -> CacheStats {
        self.cache.stats()
    }

    /// Forgets every held list (the generations seen are kept: clearing a cache must not reopen
    /// the door to an old list).
    pub fn clear(&mut self) {
        self.cache.clear();
    }

    fn generation_key(doc: &ListDocument) -> String {
        format!("{}\u{0}{}", doc.uri, doc.issuer)
    }

    /// Refuses `doc` when an older generation than one already seen for its URI and issuer.
    fn check_not_older(&self, doc: &ListDocument, now_ms: f64) -> Result<()> {
        match self.newest.peek(Self::generation_key(doc).as_str(), now_ms) {
            Some(seen) if doc.generation() < *seen => Err(Error::new(
                ErrorCode::InvalidStatusList,
                format!("the status list for {} is older than a list already seen for it", doc.uri),
            )),
            _ => Ok(()),
        }
    }

    /// Holds `doc` (whose signature verified) and records its generation.
    fn hold(&mut self, doc: &Arc<ListDocument>, now_ms: f64) {
        let key = Self::generation_key(doc);
        let newer = self.newest.peek(key.as_str(), now_ms).is_none_or(|seen| doc.generation() >= *seen);
        if newer {
            self.newest.insert(key, doc.generation(), now_ms);
            self.changes += 1;
        }
        let weight = doc.list.as_bytes().len() + doc.raw().len();
        self.cache.insert_weighted(doc.uri.clone(), Arc::clone(doc), weight, now_ms, doc.cache_deadline_ms(now_ms));
    }

    fn remembers(&self) -> bool {
        self.cache.capacity() > 0
    }
}

/// A list as found for this batch.
enum Found {
    Doc(Arc<ListDocument>),
    Absent,
    Bad(Error),
}

fn unavailable(uri: &str) -> Error {
    Error::new(ErrorCode::StatusUnavailable, format!("the status list {uri} was not supplied"))
}

/// Finds the list at `uri`: supplied (reusing the held decoding when it is the same text), else
/// held.
fn resolve(
    uri: &str,
    options: &VerifyOptions,
    now_ms: f64,
    lists: &mut StatusLists,
    budget: &mut usize,
    keys: &mut dyn KeySource,
) -> Result<Option<Arc<ListDocument>>> {
    let Some(value) = options.status_lists.as_ref().and_then(|m| m.get(uri)) else {
        return Ok(lists.cache.get(uri, now_ms).cloned());
    };
    let text = list_text(value)?;
    if let Some(doc) = lists.cache.get_if(uri, now_ms, |d| d.raw() == text) {
        return Ok(Some(Arc::clone(doc)));
    }
    let cap = options.max_status_list_bytes.min(*budget);
    let now = (now_ms / 1000.0).floor() as i64;
    let doc = match crate::credential::data_integrity::status_list::parse_supplied(&text, Some(uri), cap, keys, options, now) {
        Err(e) if cap < options.max_status_list_bytes && e.message.contains("inflates past") => {
            return Err(Error::new(
                ErrorCode::InputTooLarge,
                format!("the status lists of this call inflate past {MAX_STATUS_BYTES_PER_CALL} bytes"),
            ));
        }
        other => Arc::new(other?),
    };
    *budget = budget.saturating_sub(doc.list.as_bytes().len());
    // Parsing checked the signature: only a list that verifies is read, held, or counts as the
    // newest seen, with a cache or without (so both give the same verdicts).
    if lists.remembers() {
        lists.check_not_older(&doc, now_ms)?;
        lists.hold(&doc, now_ms);
    }
    Ok(Some(doc))
}

/// The text of a supplied list: a compact JWS or a Data Integrity credential's JSON text, or
/// such a credential as an object (its JSON text, as the call's list digests take it).
fn list_text(value: &Value) -> Result<std::borrow::Cow<'_, str>> {
    match value {
        Value::String(s) => Ok(std::borrow::Cow::Borrowed(s)),
        Value::Object(_) => Ok(std::borrow::Cow::Owned(value.to_string())),
        _ => Err(Error::new(ErrorCode::InvalidStatusList, "a status list must be given as a compact JWT string or a credential object")),
    }
}

/// Checks the status entries of every item (every list read has had its signature checked).
///
/// Each item's `status` references are consumed; failures are recorded on its result at the
/// entry's path (an array entry gets `[i]`). `now_ms` is the verification clock (the call's `now`
/// or the host's); `keys` resolves list issuers' keys. Each list is decoded, and its signature
/// checked, at most once per call, whatever the number of items relying on it.
pub fn apply_status(items: &mut [Prepared], options: &VerifyOptions, now_ms: f64, lists: &mut StatusLists, keys: &mut dyn KeySource) {
    let mut found: HashMap<String, Found> = HashMap::new();
    let mut budget = MAX_STATUS_BYTES_PER_CALL;
    let now = (now_ms / 1000.0).floor() as i64;
    for item in items.iter_mut() {
        let refs = std::mem::take(&mut item.status);
        if !options.check_status {
            continue;
        }
        let count: usize = refs.iter().map(|r| r.entry.as_array().map_or(1, Vec::len)).sum();
        if count > MAX_STATUS_ENTRIES_PER_ITEM {
            let path = refs.first().map(|r| r.path.clone()).unwrap_or_default();
            item.result.push(
                Error::new(ErrorCode::InputTooLarge, format!("{count} status entries is over the limit of {MAX_STATUS_ENTRIES_PER_ITEM}"))
                    .at(path),
            );
            continue;
        }
        for sref in refs {
            let entries: Vec<(&Value, String)> = match &sref.entry {
                Value::Array(a) => a.iter().enumerate().map(|(k, v)| (v, format!("{}[{k}]", sref.path))).collect(),
                v => vec![(v, sref.path.clone())],
            };
            for (value, path) in entries {
                let outcome = (|| -> Result<()> {
                    let entry = match StatusEntry::parse(value) {
                        Err(e) if e.code == ErrorCode::StatusUnavailable && options.status_fail_open => return Ok(()),
                        other => other?,
                    };
                    if !found.contains_key(entry.uri()) && found.len() >= MAX_STATUS_LISTS_PER_CALL {
                        return Err(Error::new(
                            ErrorCode::InputTooLarge,
                            format!("the call names more than {MAX_STATUS_LISTS_PER_CALL} status lists"),
                        ));
                    }
                    let slot = found.entry(entry.uri().to_owned()).or_insert_with(|| {
                        match resolve(entry.uri(), options, now_ms, lists, &mut budget, keys) {
                            Ok(Some(doc)) => Found::Doc(doc),
                            Ok(None) => Found::Absent,
                            Err(e) => Found::Bad(e),
                        }
                    });
                    match slot {
                        Found::Absent if options.status_fail_open => Ok(()),
                        Found::Absent => Err(unavailable(entry.uri())),
                        Found::Bad(e) => Err(e.clone()),
                        Found::Doc(doc) => evaluate(&entry, doc, &sref.issuer, options, now)?.error.map_or(Ok(()), Err),
                    }
                })();
                if let Err(e) = outcome {
                    item.result.push(e.at(path));
                }
            }
        }
    }
}
