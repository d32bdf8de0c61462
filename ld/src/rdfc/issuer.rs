//! The identifier issuers of RDFC-1.0 §4.5: the canonical one (prefix `c14n`) and the temporary
//! ones of Hash N-Degree Quads (prefix `b`), over blank node indices.

use std::collections::BTreeMap;

/// The canonical issuer: one slot per blank node, never copied.
pub(crate) struct CanonicalIssuer {
    ids: Vec<Option<u32>>,
    next: u32,
}

impl CanonicalIssuer {
    pub(crate) fn new(blank_nodes: usize) -> Self {
        CanonicalIssuer { ids: vec![None; blank_nodes], next: 0 }
    }

    /// The canonical identifier's number of `b`, if issued.
    pub(crate) fn get(&self, b: usize) -> Option<u32> {
        self.ids.get(b).copied().flatten()
    }

    /// Issues `c14n<next>` to `b` unless it has one (§4.5 steps 1-4).
    pub(crate) fn issue(&mut self, b: usize) {
        if let Some(slot @ None) = self.ids.get_mut(b) {
            *slot = Some(self.next);
            self.next += 1;
        }
    }
}

/// A temporary issuer (`b0`, `b1`, ...): copied for every permutation, so it holds only what it
/// issued. The identifier's number is the position in `order`.
#[derive(Clone, Default)]
pub(crate) struct Issuer {
    ids: BTreeMap<usize, u32>,
    order: Vec<usize>,
}

impl Issuer {
    /// The blank nodes issued, in the order they were issued.
    pub(crate) fn order(&self) -> &[usize] {
        &self.order
    }

    /// How many identifiers it holds (the cost of a copy).
    pub(crate) fn len(&self) -> usize {
        self.order.len()
    }

    pub(crate) fn has(&self, b: usize) -> bool {
        self.ids.contains_key(&b)
    }

    /// The identifier's number of `b`, if issued.
    pub(crate) fn get(&self, b: usize) -> Option<u32> {
        self.ids.get(&b).copied()
    }

    /// Issues `b<next>` to `b` unless it has one, and returns the number.
    pub(crate) fn issue(&mut self, b: usize) -> u32 {
        if let Some(&id) = self.ids.get(&b) {
            return id;
        }
        // A count of blank nodes, bounded by the quad limits: far below u32::MAX.
        let id = u32::try_from(self.order.len()).unwrap_or(u32::MAX);
        self.ids.insert(b, id);
        self.order.push(b);
        id
    }
}
