//! Bounds on one call's work: every counter is charged as work happens, and a call stops with
//! `JSONLD_LIMIT` at the first one exceeded.

use super::error::Error;

/// Bounds of one call of [`super::expand`] or [`super::to_rdf`]. Build with [`Limits::default`]
/// and lower or raise fields; [`Limits::clamped`] (applied by every entry point) lowers any field
/// above its ceiling in [`Limits::CEILING`].
///
/// Worst case at the defaults: a context step costs at most its number of term definitions
/// (copying the active context), so context work is bounded by `max_context_work` term copies;
/// expansion and node-map work by `max_values` nodes and values (each compared against the
/// values of its property through a hash set, so linear); the quads by `max_quads`. Memory is
/// linear in those counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Local contexts processed (each array item, remote, embedded, type- or property-scoped).
    pub max_contexts: usize,
    /// Remote contexts dereferenced through the loaders (bundled ones included).
    pub max_remote_contexts: usize,
    /// Term definitions created or copied (context work).
    pub max_context_work: usize,
    /// Nesting depth of the document and of the contexts' recursion.
    pub max_depth: usize,
    /// Values and node objects produced by expansion.
    pub max_values: usize,
    /// Quads produced by toRdf.
    pub max_quads: usize,
}

impl Limits {
    /// The hard ceilings: no option goes above them.
    pub const CEILING: Limits = Limits {
        max_contexts: 16_384,
        max_remote_contexts: 256,
        max_context_work: 4_000_000,
        max_depth: 128,
        max_values: 1_000_000,
        max_quads: 1_000_000,
    };

    /// Every field at most its ceiling.
    pub fn clamped(self) -> Limits {
        let c = Limits::CEILING;
        Limits {
            max_contexts: self.max_contexts.min(c.max_contexts),
            max_remote_contexts: self.max_remote_contexts.min(c.max_remote_contexts),
            max_context_work: self.max_context_work.min(c.max_context_work),
            max_depth: self.max_depth.min(c.max_depth),
            max_values: self.max_values.min(c.max_values),
            max_quads: self.max_quads.min(c.max_quads),
        }
    }
}

impl Default for Limits {
    /// Sized for credentials with room to spare: the W3C vc-di-eddsa credentials with their
    /// proofs (VC 2.0 with eddsa-rdfc-2022, and with Ed25519Signature2020) need at most 23
    /// contexts, 3 remote loads, 920 term copies of context work, depth 7, 13 expanded values
    /// and 15 quads (measured with a cold context cache).
    fn default() -> Limits {
        Limits {
            max_contexts: 1_024,
            max_remote_contexts: 32,
            max_context_work: 400_000,
            max_depth: 64,
            max_values: 100_000,
            max_quads: 100_000,
        }
    }
}

/// The counters of one call against its limits.
#[derive(Debug)]
pub(crate) struct Budget {
    pub(crate) limits: Limits,
    contexts: usize,
    remote: usize,
    work: usize,
    values: usize,
    /// The deepest level checked so far.
    pub(crate) peak: usize,
}

/// What processing one context charged (for replaying a cached result at the same cost).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Cost {
    pub(crate) contexts: usize,
    pub(crate) work: usize,
    /// How much deeper than where it started the processing went.
    pub(crate) depth: usize,
}

impl Budget {
    pub(crate) fn new(limits: Limits) -> Budget {
        Budget { limits: limits.clamped(), contexts: 0, remote: 0, work: 0, values: 0, peak: 0 }
    }
    pub(crate) fn context(&mut self) -> Result<(), Error> {
        self.contexts += 1;
        if self.contexts > self.limits.max_contexts {
            return Err(Error::limit(format!("more than {} local contexts", self.limits.max_contexts)));
        }
        Ok(())
    }
    pub(crate) fn remote(&mut self) -> Result<(), Error> {
        self.remote += 1;
        if self.remote > self.limits.max_remote_contexts {
            return Err(Error::limit(format!("more than {} remote contexts", self.limits.max_remote_contexts)));
        }
        Ok(())
    }
    /// Charges `n` remote loads at once (a cached context's, after [`Budget::affords`]).
    pub(crate) fn remotes(&mut self, n: usize) -> Result<(), Error> {
        self.remote += n;
        if self.remote > self.limits.max_remote_contexts {
            return Err(Error::limit(format!("more than {} remote contexts", self.limits.max_remote_contexts)));
        }
        Ok(())
    }
    pub(crate) fn work(&mut self, n: usize) -> Result<(), Error> {
        self.work = self.work.saturating_add(n);
        if self.work > self.limits.max_context_work {
            return Err(Error::limit(format!("more than {} term definitions of context work", self.limits.max_context_work)));
        }
        Ok(())
    }
    pub(crate) fn value(&mut self) -> Result<(), Error> {
        self.values += 1;
        if self.values > self.limits.max_values {
            return Err(Error::limit(format!("more than {} expanded values", self.limits.max_values)));
        }
        Ok(())
    }
    /// The counters that context processing charges, as a cost from zero.
    pub(crate) fn spent(&self) -> Cost {
        Cost { contexts: self.contexts, work: self.work, depth: self.peak }
    }
    /// Whether charging `cost` at `depth`, and `remote` more loads, stays within every limit.
    pub(crate) fn affords(&self, cost: Cost, depth: usize, remote: usize) -> bool {
        let l = &self.limits;
        self.contexts + cost.contexts <= l.max_contexts
            && self.work.saturating_add(cost.work) <= l.max_context_work
            && depth + cost.depth <= l.max_depth
            && self.remote + remote <= l.max_remote_contexts
    }
    /// Charges `cost` at `depth` (after [`Budget::affords`]).
    pub(crate) fn charge(&mut self, cost: Cost, depth: usize) {
        self.contexts += cost.contexts;
        self.work = self.work.saturating_add(cost.work);
        self.peak = self.peak.max(depth + cost.depth);
    }
    pub(crate) fn depth(&mut self, depth: usize) -> Result<(), Error> {
        self.peak = self.peak.max(depth);
        if depth > self.limits.max_depth {
            return Err(Error::limit(format!("nesting deeper than {}", self.limits.max_depth)));
        }
        Ok(())
    }
}
