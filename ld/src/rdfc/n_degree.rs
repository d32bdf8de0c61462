//! Hash Related Blank Node (RDFC-1.0 §4.7) and Hash N-Degree Quads (§4.8), the latter as a loop
//! over an explicit stack of frames: the recursion of step 5.4.5 pushes a frame instead of
//! calling itself, so nesting costs heap (bounded by `max_depth` and `max_steps`), not native
//! stack.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::issuer::Issuer;
use super::{push_label, Slot, State};
use crate::error::{Error, Result};

/// One call of Hash N-Degree Quads in progress.
struct Frame {
    /// The issuer of the call (step 5.5 replaces it with each group's chosen issuer).
    issuer: Issuer,
    /// Step 3's map `H_n`, in code point order of the related hash (step 5).
    groups: Vec<(String, Vec<usize>)>,
    /// The group step 5 is at.
    group: usize,
    /// The permutation of the current group, while the group is being explored.
    permutation: Option<Vec<usize>>,
    /// Step 5.2.
    chosen_path: Option<String>,
    chosen_issuer: Option<Issuer>,
    /// The permutation being explored past step 5.4.4: its path, issuer copy and recursion list.
    current: Option<Current>,
    /// Step 4's data to hash.
    data: String,
}

struct Current {
    issuer: Issuer,
    path: String,
    recursion: Vec<usize>,
    /// The next entry of `recursion` step 5.4.5 is to recurse on.
    next: usize,
}

/// Step 5.4.4.3 and 5.4.5.5: a path that is at least as long as the chosen path and greater
/// than it cannot be chosen.
fn worse(path: &str, chosen: Option<&String>) -> bool {
    chosen.is_some_and(|chosen| path.len() >= chosen.len() && path > chosen.as_str())
}

/// The next permutation in lexicographic order, or false after the last (equal elements give
/// each distinct permutation once).
pub(super) fn next_permutation(items: &mut [usize]) -> bool {
    let Some(i) = (1..items.len()).rev().find(|&i| items[i - 1] < items[i]) else { return false };
    let pivot = i - 1;
    let Some(j) = (i..items.len()).rev().find(|&j| items[j] > items[pivot]) else { return false };
    items.swap(pivot, j);
    items[i..].reverse();
    true
}

impl State {
    fn step(&mut self, n: u64) -> Result<()> {
        self.work.steps = self.work.steps.saturating_add(n);
        if self.work.steps > self.options.max_steps {
            return Err(Error::limit(format!("canonicalization needs more than {} steps", self.options.max_steps)));
        }
        Ok(())
    }

    /// Hash Related Blank Node (§4.7).
    fn hash_related(&self, related: usize, predicate: Slot, issuer: &Issuer, position: char) -> String {
        // Step 1 and 2: the position, and the predicate unless the position is the graph.
        let mut input = String::new();
        input.push(position);
        if let (Slot::Text(from, to), false) = (predicate, position == 'g') {
            input.push_str(self.text.get(from..to).unwrap_or_default());
        }
        // Step 3 and 4: the canonical identifier, else the temporary one, else the first-degree
        // hash.
        if let Some(id) = self.canonical.get(related) {
            push_label(&mut input, "_:c14n", id);
        } else if let Some(id) = issuer.get(related) {
            push_label(&mut input, "_:b", id);
        } else {
            input.push_str(self.first_degree.get(related).map(String::as_str).unwrap_or_default());
        }
        self.hash.hex(input.as_bytes())
    }

    /// Steps 1-3 of §4.8: a new call for `identifier`, with the related blank nodes grouped by
    /// their related hash.
    fn frame(&mut self, identifier: usize, issuer: Issuer, depth: usize) -> Result<Frame> {
        self.work.calls += 1;
        if self.work.calls > self.options.max_calls {
            return Err(Error::limit(format!("canonicalization needs more than {} calls of Hash N-Degree Quads", self.options.max_calls)));
        }
        if depth > self.options.max_depth {
            return Err(Error::limit(format!("canonicalization nests deeper than {}", self.options.max_depth)));
        }
        self.work.depth = self.work.depth.max(depth);
        let quads = self.bnode_quads.get(identifier).cloned().unwrap_or_default();
        self.step(quads.len() as u64)?;
        let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for qi in quads {
            let Some(q) = self.quads.get(qi) else { continue };
            let components = [(Some(&q.subject), 's'), (Some(&q.object), 'o'), (q.graph.as_ref(), 'g')];
            for (slot, position) in components {
                if let Some(&Slot::Blank(related)) = slot {
                    if related != identifier {
                        let hash = self.hash_related(related, q.predicate, &issuer, position);
                        groups.entry(hash).or_default().push(related);
                    }
                }
            }
        }
        Ok(Frame {
            issuer,
            groups: groups.into_iter().collect(),
            group: 0,
            permutation: None,
            chosen_path: None,
            chosen_issuer: None,
            current: None,
            data: String::new(),
        })
    }

    /// Hash N-Degree Quads (§4.8) of `identifier` with `issuer`: the hash and the issuer of the
    /// chosen paths.
    pub(super) fn hash_n_degree(&mut self, identifier: usize, issuer: Issuer) -> Result<(String, Issuer)> {
        let first = self.frame(identifier, issuer, 1)?;
        let mut stack = vec![first];
        let mut returned: Option<(String, Issuer)> = None;
        loop {
            let depth = stack.len();
            let Some(top) = stack.last_mut() else { return Err(Error::limit("canonicalization state lost")) };

            // Step 5.4.5.2-5: a recursive call returned.
            if let Some((hash, issuer)) = returned.take() {
                let Some(cur) = top.current.as_mut() else { return Err(Error::limit("canonicalization state lost")) };
                let related = cur.recursion.get(cur.next).copied().unwrap_or_default();
                cur.issuer = issuer;
                let id = cur.issuer.issue(related);
                let _ = write!(cur.path, "_:b{id}<{hash}>");
                cur.next += 1;
                if worse(&cur.path, top.chosen_path.as_ref()) {
                    top.current = None;
                    Self::advance(top);
                }
                continue;
            }

            if let Some(cur) = top.current.as_mut() {
                // Step 5.4.5.1: recurse on the next entry of the recursion list.
                if let Some(&related) = cur.recursion.get(cur.next) {
                    let issuer = std::mem::take(&mut cur.issuer);
                    let child = self.frame(related, issuer, depth + 1)?;
                    stack.push(child);
                    continue;
                }
                // Step 5.4.6: the permutation's path is complete.
                if let Some(cur) = top.current.take() {
                    if top.chosen_path.as_ref().is_none_or(|chosen| cur.path < *chosen) {
                        top.chosen_path = Some(cur.path);
                        top.chosen_issuer = Some(cur.issuer);
                    }
                }
                Self::advance(top);
                continue;
            }

            if let Some(permutation) = top.permutation.clone() {
                // Step 5.4.1-5.4.4: a permutation begins with a copy of the issuer.
                self.work.permutations += 1;
                if self.work.permutations > self.options.max_permutations {
                    return Err(Error::limit(format!("canonicalization needs more than {} permutations", self.options.max_permutations)));
                }
                let Some(top) = stack.last_mut() else { return Err(Error::limit("canonicalization state lost")) };
                let cost = (top.issuer.len() + permutation.len()) as u64;
                let mut issuer = top.issuer.clone();
                let mut path = String::new();
                let mut recursion = Vec::new();
                let mut skipped = false;
                for &related in &permutation {
                    if let Some(id) = self.canonical.get(related) {
                        push_label(&mut path, "_:c14n", id);
                    } else {
                        if !issuer.has(related) {
                            recursion.push(related);
                        }
                        push_label(&mut path, "_:b", issuer.issue(related));
                    }
                    if worse(&path, top.chosen_path.as_ref()) {
                        skipped = true;
                        break;
                    }
                }
                if skipped {
                    Self::advance(top);
                } else {
                    top.current = Some(Current { issuer, path, recursion, next: 0 });
                }
                self.step(cost)?;
                continue;
            }

            if let Some((hash, list)) = top.groups.get(top.group) {
                // Step 5.1: the related hash joins the data; the group's first permutation is
                // its list sorted.
                top.data.push_str(hash);
                let mut first = list.clone();
                first.sort_unstable();
                top.permutation = Some(first);
                top.chosen_path = None;
                top.chosen_issuer = None;
                continue;
            }

            // Step 6: the call returns its hash and issuer.
            let Some(done) = stack.pop() else { return Err(Error::limit("canonicalization state lost")) };
            let result = (self.hash.hex(done.data.as_bytes()), done.issuer);
            if stack.is_empty() {
                return Ok(result);
            }
            returned = Some(result);
        }
    }

    /// The next permutation of the frame's group; after the last one, steps 5.4 and 5.5 close
    /// the group: the chosen path joins the data and the chosen issuer becomes the issuer.
    fn advance(top: &mut Frame) {
        let more = top.permutation.as_mut().is_some_and(|p| next_permutation(p));
        if !more {
            top.permutation = None;
            if let Some(path) = top.chosen_path.take() {
                top.data.push_str(&path);
            }
            if let Some(issuer) = top.chosen_issuer.take() {
                top.issuer = issuer;
            }
            top.group += 1;
        }
    }
}
