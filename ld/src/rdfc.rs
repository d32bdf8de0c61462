//! RDF Dataset Canonicalization, RDFC-1.0 (W3C Recommendation, <https://www.w3.org/TR/rdf-canon/>):
//! §4.4 the canonicalization algorithm, §4.5 the identifier issuer, §4.6 Hash First Degree
//! Quads, §4.7 Hash Related Blank Node, §4.8 Hash N-Degree Quads, §4.9 the serialization, with
//! SHA-256 (the default) or SHA-384 (§4.3 leaves the hash to the caller: ecdsa-rdfc-2019 with
//! P-384 uses SHA-384).
//!
//! # Bounded work (poison graphs)
//! Hash N-Degree Quads explores every permutation of a group of blank nodes whose hashes tie, and
//! recurses; a graph built to tie (a clique, §4.8 and the test suite's test074) takes factorial
//! time. Every call is bounded by [`Options`]: calls of Hash N-Degree Quads, permutations
//! explored, nesting depth, and steps (quads hashed and identifiers issued or copied, which
//! bounds the time and the memory of the identifier issuers whatever the degree of a node).
//! Past a bound the call fails with `CANONICALIZATION_LIMIT`; no option raises a bound past its
//! hard ceiling ([`Options::clamped`]). The recursion of §4.8 runs on an explicit stack of
//! frames on the heap, so depth costs no native stack (wasm's is small).
//! Measured natively on a shared, loaded 2-core machine (`cargo run --release -p credcore-ld
//! --example rdfc_poison`: cliques, cycles, stars, pairs, bipartite graphs up to the 1 MiB text
//! limit): with the defaults a poison graph is refused after 15-75 ms, and no call took more than
//! about 125 ms or 25 MB of heap (the largest inputs, where parsing dominates); with every bound
//! at its ceiling, about 1 s. The W3C suite's hardest entries (test044-046, "computable given
//! defined limits") need 468 calls, 2,880 permutations, depth 7 and 22,680 steps.
//!
//! # Why not a library
//! Measured as a wasm32 cdylib exporting one function (N-Quads text in, canonical text out;
//! opt-level "s", LTO, stripped, as the credcore module is built): this crate's parser and
//! RDFC-1.0 come to 149 KB (56 KB gzip -9).
//! - `oxrdf` (Oxigraph) canonicalizes with an algorithm it documents as unstable between
//!   versions (`CanonicalizationAlgorithm::Unstable`), not RDFC-1.0: no use for signatures.
//!   `oxttl` parses N-Quads well, but brings oxrdf's term model, oxiri, oxilangtag and (for
//!   blank node ids) getrandom with its JS glue: the same function that only parses with oxttl
//!   0.1 and writes each quad back is 535 KB (132 KB gzip -9), for what [`crate::nquads`] does in
//!   one file over this crate's [`crate::rdf`] model; its writer is not RDFC-1.0's canonical form.
//! - `sophia_c14n` 0.9 implements RDFC-1.0, but the same function built on it (with
//!   `sophia_turtle`'s N-Quads parser and `sophia_inmem`) is 1.06 MB (348 KB gzip -9), seven times
//!   this crate, for a lazily loaded module whose size matters; it pins sha2 0.10 (the workspace
//!   has 0.11); its poison bounds are a depth of `depth_factor` times the number of blank nodes,
//!   recursing on the native stack (wasm's is small), and a largest group of tied blank nodes
//!   (`permutation_limit`, default 6): neither bounds the total calls or steps of one call.
//!
//! So the algorithm is written here, step by step after the specification, with the spec's
//! step numbers in comments.

mod issuer;
mod n_degree;

use std::collections::BTreeMap;

use sha2::{Digest, Sha256, Sha384};

use crate::error::{Error, Result};
use crate::hashing::HashMap;
use crate::nquads;
use crate::rdf::{Quad, Term};

use issuer::{CanonicalIssuer, Issuer};

/// The hash algorithm of RDFC-1.0 (§4.3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum HashAlgorithm {
    /// SHA-256, the default of RDFC-1.0.
    #[default]
    Sha256,
    /// SHA-384 (ecdsa-rdfc-2019 with P-384).
    Sha384,
}

impl HashAlgorithm {
    /// The lower-case hexadecimal digest of `data`.
    pub fn hex(self, data: &[u8]) -> String {
        match self {
            HashAlgorithm::Sha256 => hex(&Sha256::digest(data)),
            HashAlgorithm::Sha384 => hex(&Sha384::digest(data)),
        }
    }
}

/// Appends `prefix` and the decimal digits of `n` (a blank node label such as `_:c14n12`) to
/// `out`: labels are written for every blank node of every quad, and `write!` costs several
/// times more than this in wasm.
pub(crate) fn push_label(out: &mut String, prefix: &str, n: u32) {
    out.push_str(prefix);
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

/// Default of [`Options::max_calls`].
pub const DEFAULT_MAX_CALLS: u64 = 10_000;
/// Hard ceiling of [`Options::max_calls`].
pub const MAX_CALLS_CEILING: u64 = 200_000;
/// Default of [`Options::max_permutations`].
pub const DEFAULT_MAX_PERMUTATIONS: u64 = 20_000;
/// Hard ceiling of [`Options::max_permutations`].
pub const MAX_PERMUTATIONS_CEILING: u64 = 500_000;
/// Default of [`Options::max_depth`].
pub const DEFAULT_MAX_DEPTH: usize = 64;
/// Hard ceiling of [`Options::max_depth`].
pub const MAX_DEPTH_CEILING: usize = 1_024;
/// Default of [`Options::max_steps`].
pub const DEFAULT_MAX_STEPS: u64 = 500_000;
/// Hard ceiling of [`Options::max_steps`].
pub const MAX_STEPS_CEILING: u64 = 20_000_000;
/// Default of [`Options::max_quads`] (as [`nquads::DEFAULT_MAX_QUADS`]).
pub const DEFAULT_MAX_QUADS: usize = nquads::DEFAULT_MAX_QUADS;
/// Hard ceiling of [`Options::max_quads`] (as [`nquads::MAX_QUADS_CEILING`]).
pub const MAX_QUADS_CEILING: usize = nquads::MAX_QUADS_CEILING;

/// Options of one [`canonicalize`] call. Every bound is lowered to its hard ceiling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// The hash algorithm (default SHA-256).
    pub hash: HashAlgorithm,
    /// Most quads in the input, duplicates included (default [`DEFAULT_MAX_QUADS`]).
    pub max_quads: usize,
    /// Most calls of Hash N-Degree Quads (§4.8) in the whole call (default
    /// [`DEFAULT_MAX_CALLS`], ceiling [`MAX_CALLS_CEILING`]).
    pub max_calls: u64,
    /// Most permutations explored in step 5.4 of §4.8, over the whole call (default
    /// [`DEFAULT_MAX_PERMUTATIONS`], ceiling [`MAX_PERMUTATIONS_CEILING`]).
    pub max_permutations: u64,
    /// Most nested calls of Hash N-Degree Quads (default [`DEFAULT_MAX_DEPTH`], ceiling
    /// [`MAX_DEPTH_CEILING`]).
    pub max_depth: usize,
    /// Most steps of §4.8 over the whole call: each quad a call hashes, each identifier a
    /// permutation issues, each identifier an issuer copy holds (default [`DEFAULT_MAX_STEPS`],
    /// ceiling [`MAX_STEPS_CEILING`]).
    pub max_steps: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            hash: HashAlgorithm::Sha256,
            max_quads: DEFAULT_MAX_QUADS,
            max_calls: DEFAULT_MAX_CALLS,
            max_permutations: DEFAULT_MAX_PERMUTATIONS,
            max_depth: DEFAULT_MAX_DEPTH,
            max_steps: DEFAULT_MAX_STEPS,
        }
    }
}

impl Options {
    /// The default options with another hash algorithm.
    pub fn with_hash(hash: HashAlgorithm) -> Self {
        Options { hash, ..Options::default() }
    }

    /// These options with every bound lowered to its hard ceiling.
    pub fn clamped(self) -> Self {
        Options {
            hash: self.hash,
            max_quads: self.max_quads.min(MAX_QUADS_CEILING),
            max_calls: self.max_calls.min(MAX_CALLS_CEILING),
            max_permutations: self.max_permutations.min(MAX_PERMUTATIONS_CEILING),
            max_depth: self.max_depth.min(MAX_DEPTH_CEILING),
            max_steps: self.max_steps.min(MAX_STEPS_CEILING),
        }
    }
}

/// The work one call did (for diagnostics, tests and benchmarks).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// Calls of Hash N-Degree Quads.
    pub calls: u64,
    /// Permutations explored.
    pub permutations: u64,
    /// Deepest nesting of Hash N-Degree Quads.
    pub depth: usize,
    /// Steps, as [`Options::max_steps`] counts them.
    pub steps: u64,
}

/// The result of [`canonicalize`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Canonical {
    /// The canonical N-Quads document (§4.4 step 7): one line per distinct quad, each ending in a
    /// line feed, sorted in code point order.
    pub nquads: String,
    /// The issued identifiers map (§4.4 step 6): each input blank node label to its canonical
    /// label (labels without `_:`).
    pub issued: BTreeMap<String, String>,
    /// The work done.
    pub work: Work,
}

/// Canonicalizes `quads` (an RDF dataset; duplicate quads count once) with RDFC-1.0.
///
/// # Errors
/// `MALFORMED_INPUT` when a quad is not an RDF quad N-Quads can write ([`nquads::check_quad`]),
/// `INPUT_TOO_LARGE` past [`Options::max_quads`], `CANONICALIZATION_LIMIT` when the work would
/// pass a bound of `options`.
pub fn canonicalize(quads: &[Quad], options: &Options) -> Result<Canonical> {
    for quad in quads.iter().take(options.clamped().max_quads) {
        nquads::check_quad(quad)?;
    }
    canonicalize_checked(quads, options)
}

/// [`canonicalize`] of quads that passed [`nquads::check_quad`] (the parser's output does).
fn canonicalize_checked(quads: &[Quad], options: &Options) -> Result<Canonical> {
    let options = options.clamped();
    if quads.len() > options.max_quads {
        return Err(Error::too_large(format!("{} quads is over the limit of {}", quads.len(), options.max_quads)));
    }
    // A dataset is a set of quads: duplicates go (the test suite's test076 and test077).
    let mut unique: Vec<&Quad> = quads.iter().collect();
    unique.sort_unstable();
    unique.dedup();
    State::new(&unique, options).run()
}

/// Parses `text` as N-Quads (default [`nquads::ParseLimits`], with `options.max_quads`) and
/// canonicalizes it.
///
/// # Errors
/// As [`nquads::parse_with`] and [`canonicalize`].
pub fn canonicalize_nquads(text: &str, options: &Options) -> Result<Canonical> {
    let limits = nquads::ParseLimits { max_quads: options.max_quads, ..nquads::ParseLimits::default() };
    // The parser checks every term as it reads it.
    canonicalize_checked(&nquads::parse_with(text, &limits)?, options)
}

/// A term of a quad as the hashing sees it: text in N-Quads form (a range of [`State::text`]),
/// or a blank node.
#[derive(Clone, Copy)]
pub(crate) enum Slot {
    Text(usize, usize),
    Blank(usize),
}

/// One distinct quad, its terms pre-serialized.
pub(crate) struct IQuad {
    pub(crate) subject: Slot,
    pub(crate) predicate: Slot,
    pub(crate) object: Slot,
    pub(crate) graph: Option<Slot>,
}

impl IQuad {
    /// Writes the quad as a canonical N-Quads line, blank nodes as `blank` writes them.
    fn write(&self, text: &str, out: &mut String, mut blank: impl FnMut(&mut String, usize)) {
        let mut put = |out: &mut String, slot: Slot| match slot {
            Slot::Text(from, to) => out.push_str(text.get(from..to).unwrap_or_default()),
            Slot::Blank(b) => blank(out, b),
        };
        put(out, self.subject);
        out.push(' ');
        put(out, self.predicate);
        out.push(' ');
        put(out, self.object);
        if let Some(graph) = self.graph {
            out.push(' ');
            put(out, graph);
        }
        out.push_str(" .\n");
    }
}

/// Sorts the lines of `buffer` (given as ranges, each ending in a line feed) in code point order
/// and concatenates them.
fn sorted_lines(buffer: &str, mut ranges: Vec<(usize, usize)>) -> String {
    let line = |r: &(usize, usize)| buffer.get(r.0..r.1).unwrap_or_default();
    ranges.sort_unstable_by(|a, b| line(a).cmp(line(b)));
    let mut out = String::with_capacity(buffer.len());
    for r in &ranges {
        out.push_str(line(r));
    }
    out
}

/// The canonicalization state (§4.2): the blank node to quads map, the first-degree hashes,
/// the canonical issuer, the work counters.
pub(crate) struct State {
    pub(crate) hash: HashAlgorithm,
    pub(crate) options: Options,
    /// Every non-blank term in N-Quads form, one after another (one allocation, not one a term).
    pub(crate) text: String,
    pub(crate) quads: Vec<IQuad>,
    /// Input labels, by blank node index (in order of first appearance in the sorted quads).
    labels: Vec<String>,
    /// The blank node to quads map: indices into `quads`, each quad once.
    pub(crate) bnode_quads: Vec<Vec<usize>>,
    /// Hash First Degree Quads of each blank node.
    pub(crate) first_degree: Vec<String>,
    pub(crate) canonical: CanonicalIssuer,
    pub(crate) work: Work,
}

impl State {
    fn new<'q>(unique: &[&'q Quad], options: Options) -> Self {
        let mut index: HashMap<&'q str, usize> = HashMap::default();
        let mut labels = Vec::new();
        let mut bnode_quads: Vec<Vec<usize>> = Vec::new();
        let mut quads = Vec::with_capacity(unique.len());
        let mut text = String::new();
        for (qi, &quad) in unique.iter().enumerate() {
            let mut slot = |term: &'q Term| -> Slot {
                match term {
                    Term::Blank(label) => {
                        let next = labels.len();
                        let b = *index.entry(label.as_str()).or_insert(next);
                        if b == next {
                            labels.push(label.clone());
                            bnode_quads.push(Vec::new());
                        }
                        // §4.4 step 2: each quad once in the list of each of its blank nodes.
                        if let Some(list) = bnode_quads.get_mut(b) {
                            if list.last() != Some(&qi) {
                                list.push(qi);
                            }
                        }
                        Slot::Blank(b)
                    }
                    other => {
                        let from = text.len();
                        nquads::write_term(&mut text, other);
                        Slot::Text(from, text.len())
                    }
                }
            };
            let subject = slot(&quad.subject);
            let predicate = slot(&quad.predicate);
            let object = slot(&quad.object);
            let graph = quad.graph.as_ref().map(&mut slot);
            quads.push(IQuad { subject, predicate, object, graph });
        }
        let n = labels.len();
        State {
            hash: options.hash,
            options,
            text,
            quads,
            labels,
            bnode_quads,
            first_degree: Vec::new(),
            canonical: CanonicalIssuer::new(n),
            work: Work::default(),
        }
    }

    fn run(mut self) -> Result<Canonical> {
        // §4.4 step 3: the first-degree hash of every blank node, grouped by hash.
        self.first_degree = (0..self.labels.len()).map(|b| self.hash_first_degree(b)).collect();
        let mut by_hash: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (b, h) in self.first_degree.iter().enumerate() {
            by_hash.entry(h.as_str()).or_default().push(b);
        }
        let by_hash: Vec<Vec<usize>> = by_hash.into_values().collect();
        // §4.4 step 4: unique hashes, in code point order of the hash, get canonical identifiers.
        for list in &by_hash {
            if let [only] = list.as_slice() {
                self.canonical.issue(*only);
            }
        }
        // §4.4 step 5: the shared hashes, in code point order of the hash.
        for list in by_hash.iter().filter(|list| list.len() > 1) {
            // Step 5.2: the hash path list.
            let mut paths: Vec<(String, Issuer)> = Vec::new();
            for &b in list {
                if self.canonical.get(b).is_some() {
                    continue;
                }
                let mut temporary = Issuer::default();
                temporary.issue(b);
                paths.push(self.hash_n_degree(b, temporary)?);
            }
            // Step 5.3: by result hash (a stable sort keeps ties in the order of the list).
            paths.sort_by(|a, b| a.0.cmp(&b.0));
            for (_, issuer) in &paths {
                for &b in issuer.order() {
                    self.canonical.issue(b);
                }
            }
        }
        // §4.4 steps 6 and 7: the issued identifiers map; the quads relabeled, serialized, sorted.
        let mut issued = BTreeMap::new();
        for (b, label) in self.labels.iter().enumerate() {
            let Some(id) = self.canonical.get(b) else { return Err(Error::limit("a blank node got no canonical identifier")) };
            issued.insert(label.clone(), format!("c14n{id}"));
        }
        let mut buffer = String::with_capacity(self.text.len() + self.quads.len() * 16);
        let mut ranges = Vec::with_capacity(self.quads.len());
        for q in &self.quads {
            let from = buffer.len();
            q.write(&self.text, &mut buffer, |out, b| {
                push_label(out, "_:c14n", self.canonical.get(b).unwrap_or_default());
            });
            ranges.push((from, buffer.len()));
        }
        Ok(Canonical { nquads: sorted_lines(&buffer, ranges), issued, work: self.work })
    }

    /// Hash First Degree Quads (§4.6): the quads of `b`, `b` written `_:a` and every other blank
    /// node `_:z`, sorted, concatenated, hashed.
    fn hash_first_degree(&self, b: usize) -> String {
        let mut buffer = String::new();
        let mut ranges = Vec::new();
        for &qi in self.bnode_quads.get(b).map(Vec::as_slice).unwrap_or_default() {
            let Some(q) = self.quads.get(qi) else { continue };
            let from = buffer.len();
            q.write(&self.text, &mut buffer, |out, other| out.push_str(if other == b { "_:a" } else { "_:z" }));
            ranges.push((from, buffer.len()));
        }
        self.hash.hex(sorted_lines(&buffer, ranges).as_bytes())
    }
}

#[cfg(test)]
mod tests;
