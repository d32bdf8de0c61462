//! JSON-LD 1.1 expansion and deserialization to RDF (JSON-LD 1.1 Processing Algorithms and API,
//! W3C Recommendation 16 July 2020: §4 Context Processing, §5 Expansion, §7.2 Node Map
//! Generation, §8 Deserialize JSON-LD to RDF), bounded, in safe mode, with bundled contexts.
//!
//! # Why an own implementation
//!
//! Evaluated: the `json-ld` crate 0.21.4 (timothee-haudebourg) builds for wasm32-unknown-unknown
//! (127 crates), but a cdylib with only its `expand` (opt-level s, LTO, no contexts, no toRdf) is
//! 1,124,926 bytes (289,372 gzipped), against 448,334 (148,671) for this module's `to_rdf` with
//! its 95,535 bytes of bundled contexts, built the same way. Its `Loader` trait is `async` only
//! (a synchronous loader means an executor inside the core), it has no bounds on contexts,
//! output or depth, and no safe mode (dropped terms are warnings). `sophia_jsonld` 0.10 wraps
//! the same `json-ld` crate (its loaders are `json-ld` loaders), so it inherits all of that.
//! Credentials use a small part of JSON-LD (expansion and toRdf; no compaction, framing or
//! flattening): this module does that part in about 2,600 lines (unit tests included) over `serde_json`,
//! synchronously, with every step bounded. Conclusion of the earlier survey confirmed.
//!
//! # Scope
//!
//! Processing mode json-ld-1.1 only (`@version: 1.0` documents are processed as 1.1). Context
//! processing: arrays, null, remote contexts through the loaders, `@base`, `@vocab`, `@language`,
//! `@direction`, `@protected` (with its redefinition and nullification errors), `@propagate`,
//! `@import`, `@version`, type- and property-scoped contexts; term definitions with `@id`,
//! `@reverse`, `@type` (`@id`, `@vocab`, `@json`, `@none`, datatypes), `@container` (`@list`,
//! `@set`, `@language`, `@index` with and without `@index` properties, `@graph`, `@id`, `@type`,
//! and their allowed combinations), `@language`, `@direction`, `@nest`, `@prefix`. Expansion as
//! §5.1.2 with keys in lexicographic order (jsonld.js's order). toRdf as §8.1: `@json` literals
//! canonicalized with RFC 8785 as `rdf:JSON`; booleans and numbers as `xsd:boolean`,
//! `xsd:integer` and `xsd:double` in the spec's canonical forms; lists as `rdf:first`/`rdf:rest`;
//! named graphs; blank nodes relabelled `_:b0`, `_:b1`, ... as node map generation issues them.
//! Not in scope: compaction, flattening, framing, HTML documents, `@direction` as compound
//! literals, generalized RDF.
//!
//! `@direction`: as jsonld.js (the Data Integrity reference stack) with no `rdfDirection`
//! option, a direction is dropped from the RDF literal; in safe mode that is an error
//! (`rdfDirection not set`). [`RdfDirection::I18nDatatype`] keeps it as an
//! `https://www.w3.org/ns/i18n#{language}_{direction}` datatype instead.
//!
//! # Safe mode
//!
//! On by default ([`Options::safe`]), as jsonld.js `safe: true` does for Data Integrity: what
//! expansion or toRdf would drop or leave relative is an error `JSONLD_UNSAFE` instead, since a
//! signature over the RDF would not cover it. [`Error::spec`] names the condition as jsonld.js
//! names its event:
//!
//! - `invalid property`: a key that does not expand to an absolute IRI, a blank node
//!   identifier or a keyword (an undefined term with no `@vocab`), or a keyword with no meaning
//!   where it stands (`@default`, `@embed`, ... outside framing);
//! - `relative @id reference`, `reserved @id value`: an `@id` (also from an `@id` map key or an
//!   `@id`/`@vocab`-typed string) that is not an absolute IRI or blank node identifier, or has
//!   the form of a keyword;
//! - `relative @type reference`: a node type, value datatype or `@type` map key that is not an
//!   absolute IRI (blank node identifiers allowed for node types);
//! - `relative @vocab reference`: an `@vocab` that does not expand to an absolute IRI; `relative
//!   @base`: a relative `@base` with no base IRI;
//! - `reserved term`, `reserved @reverse value`: a term, or a reverse property, with the form of
//!   a keyword (`@foo`), which expansion ignores;
//! - `free-floating scalar`, `empty object`, `object with only @value`, `object with only
//!   @list`, `object with only @id`: a value or node at the top level or directly in `@graph`,
//!   which expansion drops; `object with only @language`: a map with only `@language`;
//! - `null @value value`: a value object whose `@value` is null, which expansion drops;
//! - `invalid @language value`: a language tag that is not well-formed BCP 47
//!   (`[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*`), which toRdf would drop;
//! - toRdf: `relative graph reference`, `relative subject reference`, `relative predicate
//!   reference`, `relative object reference`, `blank node predicate`: a graph name, subject,
//!   predicate or object that RDF cannot carry;
//! - `rdfDirection not set`: a value with `@direction` and no [`Options::rdf_direction`].
//!
//! Not dropped, so allowed: a `null` property value (the property is absent from the RDF either
//! way) and a `null` item of a language map. Carried by the JSON only, as in every JSON-LD
//! processor, so not covered by an RDF signature: the keys of `@index` maps and the `@index` of
//! nodes and values, and the order of `@set` arrays.
//!
//! # Bounds
//!
//! [`Limits`] bounds contexts processed, remote context loads, context work (term definitions
//! made or copied), nesting depth, expanded values and quads; every entry point clamps them to
//! [`Limits::CEILING`]. Recursion is depth-checked against `max_depth` (at most 128), which
//! bounds the stack.
//!
//! # Context cache
//!
//! Processed contexts that derive from bundled contexts alone (URL lists of bundled contexts and
//! the type- and property-scoped contexts they define) are cached per thread (512 entries),
//! keyed by everything the result depends on: the parent context's derivation (an identifier
//! issued once per cached context, its chain going back to an initial context of a given safe
//! mode, base IRI and limits), the local context (a URL list by its text, a scoped context by
//! the identifier of its one shared value), the base URL and the processing flags. What the
//! caller's loader served and a document's inline contexts are never cached, nor errors. A hit
//! charges the limits what processing cost (contexts, context work, depth, remote loads), and
//! where that would exceed a limit the context is processed instead, so results are the same
//! with and without the cache (`cache_tests.rs` compares them).

#[cfg(test)]
mod cache_tests;
mod context;
mod error;
mod expand;
mod iri;
mod jcs;
mod limits;
mod loader;
mod node_map;
mod to_rdf;

use crate::hashing::HashMap;
use std::rc::Rc;

use serde_json::Value;

pub use error::{Code, Error};
pub use limits::Limits;
pub use loader::{Bundled, BundledContext, DocumentLoader, NoLoader, RemoteDocument, BUNDLED};

use crate::rdf::Quad;
use context::Context;
use limits::Budget;

/// How a value's `@direction` goes into RDF (JSON-LD 1.1 API `rdfDirection`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RdfDirection {
    /// As the datatype `https://www.w3.org/ns/i18n#{language}_{direction}`.
    I18nDatatype,
}

/// Options of [`expand`] and [`to_rdf`].
#[derive(Clone, Debug)]
pub struct Options {
    /// The document's base IRI (JSON-LD `base`); `None` (the default, as jsonld.js's `canonize`)
    /// leaves relative references relative, which safe mode then refuses.
    pub base: Option<String>,
    /// Safe mode (default `true`): see the module doc.
    pub safe: bool,
    /// How `@direction` goes into RDF; `None` (default) drops it, an error in safe mode.
    pub rdf_direction: Option<RdfDirection>,
    /// Bounds, clamped to [`Limits::CEILING`].
    pub limits: Limits,
}

impl Default for Options {
    fn default() -> Options {
        Options { base: None, safe: true, rdf_direction: None, limits: Limits::default() }
    }
}

/// One call's state: the caller's loader, the counters, the documents loaded so far.
pub(crate) struct Processor<'a> {
    loader: &'a dyn DocumentLoader,
    budget: Budget,
    safe: bool,
    /// The documents the caller's loader served in this call.
    documents: HashMap<String, RemoteDocument>,
    /// Whether the caller's loader served a document to the context being processed.
    used_caller: bool,
    /// The bundled contexts dereferenced by the context being processed (for the cache), one
    /// bit per position in [`BUNDLED`].
    dereferenced: u64,
    /// The bundled contexts this call has charged to the remote-context limit (once each).
    charged: u64,
}

impl<'a> Processor<'a> {
    fn new(loader: &'a dyn DocumentLoader, options: &Options) -> Processor<'a> {
        Processor {
            loader,
            budget: Budget::new(options.limits),
            safe: options.safe,
            documents: HashMap::default(),
            used_caller: false,
            dereferenced: 0,
            charged: 0,
        }
    }
}

/// The expanded form of `document` (an array of node objects), §5.1 with the final step of
/// §9.3 `expand()` (a lone `@graph` is unwrapped; nothing is an empty array).
///
/// Remote contexts come from the bundled set first ([`BUNDLED`]), then from `loader`.
///
/// # Errors
/// `JSONLD_INVALID` for a document or context the spec rejects, `JSONLD_UNSAFE` in safe mode,
/// `JSONLD_LIMIT`, `JSONLD_CONTEXT_UNAVAILABLE`.
pub fn expand(document: &Value, loader: &dyn DocumentLoader, options: &Options) -> Result<Value, Error> {
    let mut p = Processor::new(loader, options);
    expand_with(&mut p, document, options)
}

fn expand_with(p: &mut Processor<'_>, document: &Value, options: &Options) -> Result<Value, Error> {
    let mut initial = Context::new(options.base.clone());
    initial.key = Some(context::initial_key(options.safe, options.base.as_deref(), options.limits.clamped()));
    let active = Rc::new(initial);
    let base = options.base.as_deref();
    let mut out = p.expand(&active, None, document, base, false, 0)?;
    if let Value::Object(m) = &mut out {
        if m.len() == 1 {
            if let Some(g) = m.remove("@graph") {
                out = g;
            }
        }
    }
    Ok(match out {
        Value::Null => Value::Array(Vec::new()),
        Value::Array(a) => Value::Array(a),
        v => Value::Array(vec![v]),
    })
}

/// The RDF dataset of `document` (expansion, then §8.1 over the node map), quads in the order
/// the algorithm produces them, without repeats.
///
/// # Errors
/// As [`expand`]; toRdf adds its safe-mode conditions and `max_quads`.
pub fn to_rdf(document: &Value, loader: &dyn DocumentLoader, options: &Options) -> Result<Vec<Quad>, Error> {
    let mut p = Processor::new(loader, options);
    let expanded = expand_with(&mut p, document, options)?;
    rdf_of_expanded(&expanded, options)
}

/// The RDF dataset of an already expanded document.
///
/// # Errors
/// As [`to_rdf`].
pub fn rdf_of_expanded(expanded: &Value, options: &Options) -> Result<Vec<Quad>, Error> {
    let limits = options.limits.clamped();
    let mut map = node_map::NodeMap::build(expanded, limits.max_depth)?;
    to_rdf::to_rdf(&mut map, limits.max_quads, options.safe, options.rdf_direction)
}
