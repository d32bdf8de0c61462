//! One pass of the pipeline over a batch, in steps (see [`super::Verifier::serve_batch_settled`]):
//! the cache looked up, groups of items prepared, each group finished (status lists,
//! signatures), the results cached and served. The steps are apart so that a host round
//! (`super::host_round`) can hold a batch's prepared groups while the host settles its
//! signatures, and finish them when the answers come, instead of preparing them again.

use super::config::GROUP_BYTES;
use super::pipeline::ItemFacts;
use super::served::Served;
use crate::batch::Prepared;
use crate::credential::VerificationResult;
use crate::keys::KeyFetch;

/// What a pass knows of a batch between its steps.
#[derive(Debug, Default)]
pub(crate) struct Pass {
    /// One slot per input: the served results (cached hits first, the rest at the end).
    pub(super) out: Vec<Option<Served>>,
    /// The inputs to verify: each distinct uncached input once, by index.
    pub(super) todo: Vec<usize>,
    /// `(duplicate, first)`: inputs served as a copy of an earlier identical one.
    pub(super) dup_of: Vec<(usize, usize)>,
    /// The finished results of `todo`, in order, and what the cache needs to know of each.
    pub(super) results: Vec<VerificationResult>,
    pub(super) stable: Vec<ItemFacts>,
    /// The status lists each finished item named, and the key documents it asked for.
    pub(super) list_uris: Vec<Vec<String>>,
    pub(super) key_fetches: Vec<Vec<KeyFetch>>,
}

/// Prepared items of one group, with what each named or asked for.
#[derive(Debug, Default)]
pub(crate) struct PreparedGroup {
    pub(super) items: Vec<Prepared>,
    pub(super) list_uris: Vec<Vec<String>>,
    pub(super) key_fetches: Vec<Vec<KeyFetch>>,
}

impl PreparedGroup {
    /// Appends the items of `part` (prepared after this group's).
    pub(super) fn extend(&mut self, part: PreparedGroup) {
        self.items.extend(part.items);
        self.list_uris.extend(part.list_uris);
        self.key_fetches.extend(part.key_fetches);
    }
}

/// The end of the group of `todo` that starts at `start`: at least one item, and items while
/// the group holds less than GROUP_BYTES of input.
pub(super) fn group_end(inputs: &[&str], todo: &[usize], start: usize) -> usize {
    let mut end = start;
    let mut bytes = 0usize;
    while end < todo.len() && (end == start || bytes < GROUP_BYTES) {
        bytes += todo.get(end).and_then(|i| inputs.get(*i)).map_or(0, |t| t.len());
        end += 1;
    }
    end
}
