//! JSON-LD 1.1 API §4.1 Context Processing, §4.2 Create Term Definition and §5.2 IRI
//! Expansion, for processing mode json-ld-1.1.

use crate::hashing::HashMap;
use std::rc::Rc;

use serde_json::{Map, Value};

use super::error::Error;
use super::iri::{has_keyword_form, is_absolute, is_blank, is_keyword, resolve};
use super::limits::{Cost, Limits};
use super::loader::{self, RemoteDocument};
use super::Processor;

/// Container mapping flags.
pub(crate) mod container {
    pub(crate) const LIST: u8 = 1;
    pub(crate) const SET: u8 = 2;
    pub(crate) const GRAPH: u8 = 4;
    pub(crate) const ID: u8 = 8;
    pub(crate) const INDEX: u8 = 16;
    pub(crate) const LANGUAGE: u8 = 32;
    pub(crate) const TYPE: u8 = 64;
}

/// A term definition (§4.1, "term definition").
#[derive(Clone, Debug, PartialEq, Default)]
pub(crate) struct TermDef {
    /// The IRI mapping (an IRI, blank node identifier or keyword); `None` for a null mapping.
    pub(crate) iri: Option<String>,
    pub(crate) prefix: bool,
    pub(crate) protected: bool,
    pub(crate) reverse: bool,
    pub(crate) type_mapping: Option<String>,
    pub(crate) container: u8,
    /// `Some(None)`: a null language mapping (no language, overriding the default).
    pub(crate) language: Option<Option<String>>,
    pub(crate) direction: Option<Option<String>>,
    /// The scoped context, and the base URL it is resolved against.
    pub(crate) context: Option<Rc<Scoped>>,
    pub(crate) base_url: Option<String>,
    pub(crate) nest: Option<String>,
    pub(crate) index: Option<String>,
}

impl TermDef {
    pub(crate) fn has(&self, flag: u8) -> bool {
        self.container & flag != 0
    }
}

/// A scoped context: its value, and an identifier no other scoped context of this thread has
/// (its part of the processed-context cache's keys: every copy of a term definition shares the
/// one `Scoped`, so the identifier stands for this value).
#[derive(Debug)]
pub(crate) struct Scoped {
    pub(crate) value: Value,
    pub(crate) id: u64,
}

impl Scoped {
    pub(crate) fn new(value: Value) -> Scoped {
        Scoped { value, id: fresh_id() }
    }
}

/// Scoped contexts are the same when their values are (map entries in any order), whatever
/// their identifiers.
impl PartialEq for Scoped {
    fn eq(&self, other: &Scoped) -> bool {
        self.value == other.value
    }
}

/// An active context.
#[derive(Clone, Debug, Default)]
pub(crate) struct Context {
    pub(crate) base: Option<String>,
    pub(crate) original_base: Option<String>,
    pub(crate) vocab: Option<String>,
    pub(crate) language: Option<String>,
    pub(crate) direction: Option<String>,
    pub(crate) terms: HashMap<String, Rc<TermDef>>,
    pub(crate) previous: Option<Rc<Context>>,
    /// The identifier of how this context was derived from an initial one, when only bundled
    /// contexts went into it (the parent part of the processed-context cache's keys, see
    /// [`Derivation`]); `None` otherwise.
    pub(crate) key: Option<u64>,
}

/// A fresh identifier, never issued before on this thread (a counter: 2^64 identifiers do not
/// run out).
pub(crate) fn fresh_id() -> u64 {
    thread_local! {
        static NEXT: std::cell::Cell<u64> = const { std::cell::Cell::new(1) };
    }
    NEXT.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1));
        id
    })
}

/// The identifier of an initial context (§9.3 step 4 of `expand()`: base IRI, safe mode and
/// limits, which everything derived from it depends on), one per distinct text of those.
pub(crate) fn initial_key(safe: bool, base: Option<&str>, limits: Limits) -> u64 {
    type Initial = (bool, Option<String>, Limits);
    thread_local! {
        static INITIAL: std::cell::RefCell<HashMap<Initial, u64>> = std::cell::RefCell::new(HashMap::default());
    }
    let key = (safe, base.map(str::to_owned), limits);
    INITIAL.with(|m| {
        let Ok(mut m) = m.try_borrow_mut() else { return fresh_id() };
        if let Some(&id) = m.get(&key) {
            return id;
        }
        if m.len() >= INITIAL_ENTRIES {
            m.clear();
        }
        let id = fresh_id();
        m.insert(key, id);
        id
    })
}

/// Most distinct initial contexts remembered (a caller uses one or two: base and limits).
const INITIAL_ENTRIES: usize = 64;

/// What a processed context derives from: the key of the processed-context cache. Two
/// processings with equal derivations give equal results: the parent is identified by its own
/// derivation's identifier (which covers the initial context's base IRI, safe mode and limits),
/// the local context by its scoped context's identifier or by its JSON text (a URL list),
/// and the rest of the inputs are here.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Derivation {
    parent: u64,
    local: Local,
    base_url: Option<String>,
    override_protected: bool,
    propagate: bool,
    validate: bool,
}

/// The local context of a [`Derivation`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Local {
    /// A scoped context, by [`Scoped::id`].
    Scoped(u64),
    /// A URL or list of URLs, by its JSON text.
    Text(String),
}

/// Processed contexts by derivation, per thread: the same bundled and scoped contexts come back
/// in every credential, and processing the VC 2.0 context (with the eager validation of its
/// scoped contexts) costs more than expanding a credential. Keys hold everything the result
/// depends on ([`Derivation`]: the parent's derivation, which covers safe mode, base IRI and
/// limits, the local context and the flags), results that used the caller's loader are not
/// kept, and errors never are. At most this many entries: the cache empties when full.
const CACHE_ENTRIES: usize = 512;

thread_local! {
    static CACHE: std::cell::RefCell<HashMap<Derivation, Rc<Cached>>> = std::cell::RefCell::new(HashMap::default());
}

#[cfg(test)]
thread_local! {
    /// Tests: process every context as if the cache were not there.
    pub(crate) static CACHE_OFF: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Tests: the cache hits so far.
    pub(crate) static CACHE_HITS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// A cached processed context, what producing it cost, and the bundled contexts it loaded (a
/// mask of positions in [`loader::BUNDLED`]).
struct Cached {
    context: Rc<Context>,
    cost: Cost,
    bundled: u64,
}

impl Context {
    /// A new active context with base IRI `base`.
    pub(crate) fn new(base: Option<String>) -> Context {
        Context { original_base: base.clone(), base, ..Context::default() }
    }

    pub(crate) fn term(&self, term: &str) -> Option<&TermDef> {
        self.terms.get(term).map(|t| &**t)
    }

    /// §5.2.2 IRI Expansion without a local context being defined. `None` is null.
    pub(crate) fn expand_iri(&self, value: &str, document_relative: bool, vocab: bool) -> Option<String> {
        if is_keyword(value) {
            return Some(value.to_owned());
        }
        if has_keyword_form(value) {
            return None;
        }
        if let Some(def) = self.term(value) {
            if def.iri.as_deref().is_some_and(is_keyword) {
                return def.iri.clone();
            }
            if vocab {
                return def.iri.clone();
            }
        }
        if let Some(i) = value.get(1..).and_then(|s| s.find(':')).map(|i| i + 1) {
            let (prefix, suffix) = (&value[..i], &value[i + 1..]);
            if prefix == "_" || suffix.starts_with("//") {
                return Some(value.to_owned());
            }
            if let Some(def) = self.term(prefix) {
                if let (Some(iri), true) = (&def.iri, def.prefix) {
                    return Some(format!("{iri}{suffix}"));
                }
            }
            if is_absolute(value) {
                return Some(value.to_owned());
            }
        }
        if vocab {
            if let Some(v) = &self.vocab {
                return Some(format!("{v}{value}"));
            }
        }
        if document_relative {
            if let Some(base) = &self.base {
                return Some(resolve(value, base));
            }
        }
        Some(value.to_owned())
    }

    fn has_protected(&self) -> bool {
        self.terms.values().any(|t| t.protected)
    }
}

/// The entries of a context that are not term definitions.
const CONTEXT_KEYWORDS: &[&str] = &["@base", "@direction", "@import", "@language", "@propagate", "@protected", "@version", "@vocab"];

/// The entries a term definition may have.
const DEFINITION_KEYS: &[&str] =
    &["@id", "@reverse", "@container", "@context", "@direction", "@index", "@language", "@nest", "@prefix", "@protected", "@type"];

/// The inputs of one Create Term Definition run that stay fixed over a local context.
struct Env<'l> {
    local: &'l Map<String, Value>,
    base_url: Option<&'l str>,
    protected: bool,
    override_protected: bool,
    remote: &'l [String],
    depth: usize,
}

impl Processor<'_> {
    /// §4.1.2 Context Processing, through the processed-context cache. `scoped` is the
    /// identifier of the scoped context `local` is the value of ([`Scoped::id`]), if it is one.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn process_context(
        &mut self,
        active: &Rc<Context>,
        local: &Value,
        scoped: Option<u64>,
        base_url: Option<&str>,
        remote: &[String],
        override_protected: bool,
        propagate: bool,
        validate: bool,
        depth: usize,
    ) -> Result<Rc<Context>, Error> {
        // Only URL lists and scoped contexts are cached: a document's inline context is not
        // (so every entry derives from bundled contexts alone).
        let urls = match local {
            Value::String(_) => true,
            Value::Array(a) => a.iter().all(Value::is_string),
            _ => false,
        };
        let cacheable = remote.is_empty() && (urls || scoped.is_some());
        #[cfg(test)]
        let cacheable = cacheable && !CACHE_OFF.with(std::cell::Cell::get);
        let Some(parent) = active.key.filter(|_| cacheable) else {
            return self.process_context_uncached(active, local, base_url, remote, override_protected, propagate, validate, depth);
        };
        let key = Derivation {
            parent,
            local: match scoped {
                Some(id) => Local::Scoped(id),
                None => Local::Text(local.to_string()),
            },
            base_url: base_url.map(str::to_owned),
            override_protected,
            propagate,
            validate,
        };
        if let Some(hit) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
            // A hit costs what processing would have cost, so that limits fail exactly as without
            // the cache; where they would fail, processing runs and fails as it would.
            let fresh = hit.bundled & !self.charged;
            if self.budget.affords(hit.cost, depth, fresh.count_ones() as usize) {
                self.budget.remotes(fresh.count_ones() as usize)?;
                self.charged |= fresh;
                self.dereferenced |= hit.bundled;
                self.budget.charge(hit.cost, depth);
                #[cfg(test)]
                CACHE_HITS.with(|h| h.set(h.get() + 1));
                return Ok(hit.context.clone());
            }
            return self.process_context_uncached(active, local, base_url, remote, override_protected, propagate, validate, depth);
        }
        let used_caller = std::mem::replace(&mut self.used_caller, false);
        let bundled_before = std::mem::take(&mut self.dereferenced);
        let before = self.budget.spent();
        let peak = std::mem::replace(&mut self.budget.peak, depth);
        let outcome = self.process_context_uncached(active, local, base_url, remote, override_protected, propagate, validate, depth);
        let after = self.budget.spent();
        self.budget.peak = self.budget.peak.max(peak);
        let bundled = self.dereferenced;
        self.dereferenced |= bundled_before;
        let mut result = outcome?;
        if !self.used_caller {
            let cost = Cost { contexts: after.contexts - before.contexts, work: after.work - before.work, depth: after.depth - depth };
            let ctx = Rc::make_mut(&mut result);
            ctx.key = Some(fresh_id());
            let entry = Rc::new(Cached { context: result.clone(), cost, bundled });
            CACHE.with(|c| {
                let mut c = c.borrow_mut();
                if c.len() >= CACHE_ENTRIES {
                    c.clear();
                }
                c.insert(key, entry);
            });
        }
        self.used_caller |= used_caller;
        Ok(result)
    }

    /// §4.1.2 Context Processing.
    #[allow(clippy::too_many_arguments)]
    fn process_context_uncached(
        &mut self,
        active: &Rc<Context>,
        local: &Value,
        base_url: Option<&str>,
        remote: &[String],
        override_protected: bool,
        mut propagate: bool,
        validate: bool,
        depth: usize,
    ) -> Result<Rc<Context>, Error> {
        self.budget.depth(depth)?;
        let mut result: Context = (**active).clone();
        result.key = None;
        self.budget.work(result.terms.len() + 1)?;
        if let Some(p) = local.as_object().and_then(|m| m.get("@propagate")) {
            propagate = p.as_bool().ok_or_else(|| Error::invalid("invalid @propagate value", "@propagate must be a boolean"))?;
        }
        if !propagate && result.previous.is_none() {
            result.previous = Some(active.clone());
        }
        let items: &[Value] = match local {
            Value::Array(a) => a,
            v => std::slice::from_ref(v),
        };
        for item in items {
            self.budget.context()?;
            match item {
                Value::Null => {
                    if !override_protected && result.has_protected() {
                        return Err(Error::invalid(
                            "invalid context nullification",
                            "a context with protected terms cannot be set to null",
                        ));
                    }
                    let previous = if propagate { None } else { result.previous.clone() };
                    result = Context { previous, ..Context::new(active.original_base.clone()) };
                }
                Value::String(s) => {
                    let url = match base_url {
                        Some(b) => resolve(s, b),
                        None if is_absolute(s) => s.clone(),
                        None => {
                            return Err(Error::invalid("loading remote context failed", format!("relative context URL {s} with no base")))
                        }
                    };
                    if !validate && remote.contains(&url) {
                        continue;
                    }
                    if remote.len() >= self.budget.limits.max_depth {
                        return Err(Error::invalid("context overflow", format!("remote context chain deeper than {}", remote.len())));
                    }
                    let doc = self.dereference(&url)?;
                    let ctx = doc
                        .document
                        .as_object()
                        .and_then(|m| m.get("@context"))
                        .ok_or_else(|| Error::invalid("invalid remote context", format!("{url} is not a map with @context")))?;
                    let mut chain = remote.to_vec();
                    chain.push(url.clone());
                    let current = Rc::new(result);
                    result =
                        (*self.process_context(&current, ctx, None, Some(&doc.url), &chain, false, true, validate, depth + 1)?).clone();
                }
                Value::Object(map) => self.process_map(&mut result, map, base_url, remote, override_protected, depth)?,
                _ => return Err(Error::invalid("invalid local context", "a context must be null, a string or a map")),
            }
        }
        Ok(Rc::new(result))
    }

    /// A remote document, through the loaders: bundled contexts first, then the caller's (so a
    /// caller cannot replace a bundled context), charged to the remote-context limit once per
    /// URL and call.
    fn dereference(&mut self, url: &str) -> Result<RemoteDocument, Error> {
        if let Some(i) = loader::bundled_index(url) {
            let bit = 1u64 << i;
            if self.charged & bit == 0 {
                self.budget.remote()?;
                self.charged |= bit;
            }
            self.dereferenced |= bit;
            if let Some(doc) = loader::bundled(i) {
                return Ok(doc);
            }
        }
        self.used_caller = true;
        if let Some(doc) = self.documents.get(url) {
            return Ok(doc.clone());
        }
        self.budget.remote()?;
        let doc = self.loader.load(url)?;
        self.documents.insert(url.to_owned(), doc.clone());
        Ok(doc)
    }

    /// Steps 5.5 to 5.13 of Context Processing: one context map.
    fn process_map(
        &mut self,
        result: &mut Context,
        map: &Map<String, Value>,
        base_url: Option<&str>,
        remote: &[String],
        override_protected: bool,
        depth: usize,
    ) -> Result<(), Error> {
        if let Some(v) = map.get("@version") {
            if v.as_f64() != Some(1.1) {
                return Err(Error::invalid("invalid @version value", format!("@version {v}")));
            }
        }
        let imported;
        let mut context = map;
        if let Some(v) = map.get("@import") {
            let s = v.as_str().ok_or_else(|| Error::invalid("invalid @import value", "@import must be a string"))?;
            let url = match base_url {
                Some(b) => resolve(s, b),
                None => s.to_owned(),
            };
            let doc = self.dereference(&url)?;
            let import = doc
                .document
                .as_object()
                .and_then(|m| m.get("@context"))
                .and_then(Value::as_object)
                .ok_or_else(|| Error::invalid("invalid remote context", format!("{url} has no @context map")))?;
            if import.contains_key("@import") {
                return Err(Error::invalid("invalid context entry", "an imported context cannot @import"));
            }
            let mut merged = import.clone();
            for (k, v) in map {
                merged.insert(k.clone(), v.clone());
            }
            imported = merged;
            context = &imported;
        }
        if let (Some(v), true) = (context.get("@base"), remote.is_empty()) {
            match v {
                Value::Null => result.base = None,
                Value::String(s) if is_absolute(s) => result.base = Some(s.clone()),
                Value::String(s) => match &result.base {
                    Some(b) => result.base = Some(resolve(s, b)),
                    None => {
                        if self.safe {
                            return Err(Error::unsafe_("relative @base", format!("@base {s} with no base IRI")));
                        }
                        return Err(Error::invalid("invalid base IRI", format!("relative @base {s} with no base IRI")));
                    }
                },
                _ => return Err(Error::invalid("invalid base IRI", "@base must be a string or null")),
            }
        }
        if let Some(v) = context.get("@vocab") {
            match v {
                Value::Null => result.vocab = None,
                Value::String(s) => {
                    let iri = result.expand_iri(s, true, true).unwrap_or_default();
                    if !(is_absolute(&iri) || is_blank(&iri)) {
                        if self.safe {
                            return Err(Error::unsafe_("relative @vocab reference", format!("@vocab {s}")));
                        }
                        if !(iri.is_empty() || !iri.contains(':') || iri.starts_with('#') || iri.starts_with('/')) {
                            return Err(Error::invalid("invalid vocab mapping", format!("@vocab {s}")));
                        }
                    }
                    result.vocab = Some(iri);
                }
                _ => return Err(Error::invalid("invalid vocab mapping", "@vocab must be a string or null")),
            }
        }
        if let Some(v) = context.get("@language") {
            match v {
                Value::Null => result.language = None,
                Value::String(s) => result.language = Some(s.to_lowercase()),
                _ => return Err(Error::invalid("invalid default language", "@language must be a string or null")),
            }
        }
        if let Some(v) = context.get("@direction") {
            match v.as_str() {
                _ if v.is_null() => result.direction = None,
                Some(d @ ("ltr" | "rtl")) => result.direction = Some(d.to_owned()),
                _ => return Err(Error::invalid("invalid base direction", "@direction must be \"ltr\", \"rtl\" or null")),
            }
        }
        if let Some(v) = context.get("@propagate") {
            if !v.is_boolean() {
                return Err(Error::invalid("invalid @propagate value", "@propagate must be a boolean"));
            }
        }
        let protected = match context.get("@protected") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(Error::invalid("invalid @protected value", "@protected must be a boolean")),
        };
        let env = Env { local: context, base_url, protected, override_protected, remote, depth };
        let mut defined = HashMap::default();
        for key in context.keys() {
            if !CONTEXT_KEYWORDS.contains(&key.as_str()) {
                self.define(result, &env, key, &mut defined)?;
            }
        }
        Ok(())
    }

    /// IRI Expansion while a local context is being defined (§5.2.2 steps 3 and 6.3 first define
    /// the terms the value names).
    fn expand_iri_def(
        &mut self,
        active: &mut Context,
        env: &Env<'_>,
        defined: &mut HashMap<String, bool>,
        value: &str,
        document_relative: bool,
        vocab: bool,
    ) -> Result<Option<String>, Error> {
        if is_keyword(value) || has_keyword_form(value) {
            return Ok(active.expand_iri(value, document_relative, vocab));
        }
        if env.local.contains_key(value) && defined.get(value) != Some(&true) {
            self.define(active, env, value, defined)?;
        }
        if let Some(i) = value.get(1..).and_then(|s| s.find(':')).map(|i| i + 1) {
            let prefix = &value[..i];
            let plain = prefix == "_" || value[i + 1..].starts_with("//");
            if !plain && env.local.contains_key(prefix) && defined.get(prefix) != Some(&true) {
                self.define(active, env, prefix, defined)?;
            }
        }
        Ok(active.expand_iri(value, document_relative, vocab))
    }

    /// §4.2.2 Create Term Definition.
    fn define(&mut self, active: &mut Context, env: &Env<'_>, term: &str, defined: &mut HashMap<String, bool>) -> Result<(), Error> {
        match defined.get(term) {
            Some(true) => return Ok(()),
            Some(false) => return Err(Error::invalid("cyclic IRI mapping", format!("term {term}"))),
            None => {}
        }
        if term.is_empty() {
            return Err(Error::invalid("invalid term definition", "the empty term"));
        }
        defined.insert(term.to_owned(), false);
        self.budget.work(1)?;
        let raw = env.local.get(term).unwrap_or(&Value::Null);
        if term == "@type" {
            let ok = raw.as_object().is_some_and(|m| {
                !m.is_empty()
                    && m.iter().all(|(k, v)| match k.as_str() {
                        "@container" => v == "@set",
                        "@protected" => true,
                        _ => false,
                    })
            });
            if !ok {
                return Err(Error::invalid("keyword redefinition", "@type may only be given @container @set and @protected"));
            }
        } else if is_keyword(term) {
            return Err(Error::invalid("keyword redefinition", format!("{term} is a keyword")));
        } else if has_keyword_form(term) {
            if self.safe {
                return Err(Error::unsafe_("reserved term", format!("{term} has the form of a keyword")));
            }
            defined.insert(term.to_owned(), true);
            return Ok(());
        }
        let previous = active.terms.remove(term);
        let (value, simple) = match raw {
            Value::Null => (Map::from_iter([("@id".to_owned(), Value::Null)]), false),
            Value::String(s) => (Map::from_iter([("@id".to_owned(), Value::String(s.clone()))]), true),
            Value::Object(m) => (m.clone(), false),
            _ => return Err(Error::invalid("invalid term definition", format!("term {term}"))),
        };
        let mut def = TermDef { protected: env.protected, ..TermDef::default() };
        if let Some(p) = value.get("@protected") {
            def.protected = p.as_bool().ok_or_else(|| Error::invalid("invalid @protected value", format!("term {term}")))?;
        }
        if let Some(t) = value.get("@type") {
            let t = t.as_str().ok_or_else(|| Error::invalid("invalid type mapping", format!("term {term}")))?;
            let t = self.expand_iri_def(active, env, defined, t, false, true)?.unwrap_or_default();
            if !(matches!(t.as_str(), "@id" | "@json" | "@none" | "@vocab") || is_absolute(&t)) {
                return Err(Error::invalid("invalid type mapping", format!("term {term}: {t}")));
            }
            def.type_mapping = Some(t);
        }
        if let Some(r) = value.get("@reverse") {
            if value.contains_key("@id") || value.contains_key("@nest") {
                return Err(Error::invalid("invalid reverse property", format!("term {term}")));
            }
            let r = r.as_str().ok_or_else(|| Error::invalid("invalid IRI mapping", format!("term {term}")))?;
            if has_keyword_form(r) {
                if self.safe {
                    return Err(Error::unsafe_("reserved @reverse value", format!("term {term}: {r}")));
                }
                defined.insert(term.to_owned(), true);
                return Ok(());
            }
            let iri = self.expand_iri_def(active, env, defined, r, false, true)?.unwrap_or_default();
            if !(is_absolute(&iri) || is_blank(&iri)) || is_keyword(&iri) {
                return Err(Error::invalid("invalid IRI mapping", format!("term {term}: @reverse {r}")));
            }
            def.iri = Some(iri);
            if let Some(c) = value.get("@container") {
                match c {
                    Value::Null => {}
                    Value::String(s) if s == "@set" => def.container = container::SET,
                    Value::String(s) if s == "@index" => def.container = container::INDEX,
                    _ => return Err(Error::invalid("invalid reverse property", format!("term {term}: @container"))),
                }
            }
            def.index = index_mapping(active, &value, &def, term)?;
            def.reverse = true;
            self.finish(active, env, term, def, previous, defined, &value)?;
            return Ok(());
        }
        match value.get("@id") {
            Some(id) if id.as_str() != Some(term) => match id {
                Value::Null => def.iri = None,
                Value::String(id) => {
                    if !is_keyword(id) && has_keyword_form(id) {
                        if self.safe {
                            return Err(Error::unsafe_("reserved @id value", format!("term {term}: {id}")));
                        }
                        defined.insert(term.to_owned(), true);
                        return Ok(());
                    }
                    let iri = self.expand_iri_def(active, env, defined, id, false, true)?.unwrap_or_default();
                    if !(is_keyword(&iri) || is_absolute(&iri) || is_blank(&iri)) {
                        return Err(Error::invalid("invalid IRI mapping", format!("term {term}: {id}")));
                    }
                    if iri == "@context" {
                        return Err(Error::invalid("invalid keyword alias", format!("term {term}")));
                    }
                    let inner_colon = term.get(1..term.len().saturating_sub(1)).is_some_and(|s| s.contains(':'));
                    if inner_colon || term.contains('/') {
                        defined.insert(term.to_owned(), true);
                        let as_iri = self.expand_iri_def(active, env, defined, term, false, true)?;
                        if as_iri.as_deref() != Some(iri.as_str()) {
                            return Err(Error::invalid("invalid IRI mapping", format!("term {term} does not expand to its @id")));
                        }
                    }
                    if !term.contains(':') && !term.contains('/') && simple {
                        def.prefix = is_blank(&iri) || iri.ends_with([':', '/', '?', '#', '[', ']', '@']);
                    }
                    def.iri = Some(iri);
                }
                _ => return Err(Error::invalid("invalid IRI mapping", format!("term {term}: @id must be a string"))),
            },
            _ => {
                if let Some(i) = term.get(1..).and_then(|s| s.find(':')).map(|i| i + 1) {
                    let (prefix, suffix) = (&term[..i], &term[i + 1..]);
                    if env.local.contains_key(prefix) {
                        self.define(active, env, prefix, defined)?;
                    }
                    def.iri = match active.term(prefix).and_then(|d| d.iri.clone()) {
                        Some(p) => Some(format!("{p}{suffix}")),
                        None => Some(term.to_owned()),
                    };
                } else if term.contains('/') {
                    let iri = active.expand_iri(term, false, true).unwrap_or_default();
                    if !is_absolute(&iri) {
                        return Err(Error::invalid("invalid IRI mapping", format!("term {term}")));
                    }
                    def.iri = Some(iri);
                } else if term == "@type" {
                    def.iri = Some("@type".to_owned());
                } else if let Some(v) = &active.vocab {
                    def.iri = Some(format!("{v}{term}"));
                } else {
                    return Err(Error::invalid("invalid IRI mapping", format!("term {term}: no @vocab")));
                }
            }
        }
        if let Some(c) = value.get("@container") {
            def.container = parse_container(c).ok_or_else(|| Error::invalid("invalid container mapping", format!("term {term}")))?;
            if def.has(container::TYPE) {
                match def.type_mapping.as_deref() {
                    None => def.type_mapping = Some("@id".to_owned()),
                    Some("@id" | "@vocab") => {}
                    Some(_) => return Err(Error::invalid("invalid type mapping", format!("term {term}: a @type container"))),
                }
            }
        }
        def.index = index_mapping(active, &value, &def, term)?;
        if let Some(c) = value.get("@context") {
            let mut chain = env.remote.to_vec();
            let _ = &mut chain;
            let current = Rc::new(active.clone());
            self.budget.work(active.terms.len())?;
            // §4.2.2 step 21.3: an error in the scoped context is an invalid scoped context.
            self.process_context(&current, c, None, env.base_url, &chain, true, true, false, env.depth + 1).map_err(|e| match e.code {
                super::error::Code::Invalid => Error::invalid("invalid scoped context", format!("term {term}: {}", e.message)),
                _ => e,
            })?;
            def.context = Some(Rc::new(Scoped::new(c.clone())));
            def.base_url = env.base_url.map(str::to_owned);
        }
        if !value.contains_key("@type") {
            if let Some(l) = value.get("@language") {
                def.language = Some(match l {
                    Value::Null => None,
                    Value::String(s) => Some(s.to_lowercase()),
                    _ => return Err(Error::invalid("invalid language mapping", format!("term {term}"))),
                });
            }
            if let Some(d) = value.get("@direction") {
                def.direction = Some(match d.as_str() {
                    _ if d.is_null() => None,
                    Some(d @ ("ltr" | "rtl")) => Some(d.to_owned()),
                    _ => return Err(Error::invalid("invalid base direction", format!("term {term}"))),
                });
            }
        }
        if let Some(n) = value.get("@nest") {
            match n.as_str() {
                Some(n) if n == "@nest" || !is_keyword(n) => def.nest = Some(n.to_owned()),
                _ => return Err(Error::invalid("invalid @nest value", format!("term {term}"))),
            }
        }
        if let Some(p) = value.get("@prefix") {
            if term.contains(':') || term.contains('/') {
                return Err(Error::invalid("invalid term definition", format!("term {term}: @prefix on a compact IRI or IRI")));
            }
            def.prefix = p.as_bool().ok_or_else(|| Error::invalid("invalid @prefix value", format!("term {term}")))?;
            if def.prefix && def.iri.as_deref().is_some_and(is_keyword) {
                return Err(Error::invalid("invalid term definition", format!("term {term}: a keyword alias as prefix")));
            }
        }
        self.finish(active, env, term, def, previous, defined, &value)
    }

    /// Steps 26 to 28 of Create Term Definition: unknown entries, protection, and storing.
    #[allow(clippy::too_many_arguments)]
    fn finish(
        &mut self,
        active: &mut Context,
        env: &Env<'_>,
        term: &str,
        mut def: TermDef,
        previous: Option<Rc<TermDef>>,
        defined: &mut HashMap<String, bool>,
        value: &Map<String, Value>,
    ) -> Result<(), Error> {
        if let Some(k) = value.keys().find(|k| !DEFINITION_KEYS.contains(&k.as_str())) {
            return Err(Error::invalid("invalid term definition", format!("term {term}: entry {k}")));
        }
        if let Some(prev) = previous {
            if !env.override_protected && prev.protected {
                // The base URL of a scoped context only matters where the context references
                // another one (a URL or @import); jsonld.js compares without it, and the VC 2.0
                // and Data Integrity contexts define the same protected terms.
                let base_url = if def.context.as_ref().is_some_and(|c| references_others(&c.value)) {
                    def.base_url.clone()
                } else {
                    prev.base_url.clone()
                };
                let same = TermDef { protected: prev.protected, base_url, ..def.clone() } == *prev;
                if !same {
                    return Err(Error::invalid("protected term redefinition", format!("term {term}")));
                }
                def = (*prev).clone();
            }
        }
        active.terms.insert(term.to_owned(), Rc::new(def));
        defined.insert(term.to_owned(), true);
        Ok(())
    }
}

/// §4.2.2 step 20: the `@index` of a term with an `@index` container, a property IRI.
fn index_mapping(active: &Context, value: &Map<String, Value>, def: &TermDef, term: &str) -> Result<Option<String>, Error> {
    let Some(i) = value.get("@index") else { return Ok(None) };
    let ok = def.has(container::INDEX)
        && i.as_str().is_some_and(|i| !is_keyword(i) && active.expand_iri(i, false, true).is_some_and(|x| is_absolute(&x)));
    if !ok {
        return Err(Error::invalid("invalid term definition", format!("term {term}: @index")));
    }
    Ok(i.as_str().map(str::to_owned))
}

/// Whether a context references other contexts (a URL, or `@import`), which resolve against its
/// base URL.
fn references_others(context: &Value) -> bool {
    let items = match context {
        Value::Array(a) => a.as_slice(),
        v => std::slice::from_ref(v),
    };
    items.iter().any(|i| i.is_string() || i.as_object().is_some_and(|m| m.contains_key("@import")))
}

/// A `@container` value as flags, or `None` where the combination is not allowed (§4.2.2 step
/// 19).
fn parse_container(c: &Value) -> Option<u8> {
    use container::*;
    let items: Vec<&str> = match c {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().map(Value::as_str).collect::<Option<Vec<_>>>()?,
        _ => return None,
    };
    let mut flags = 0u8;
    for s in &items {
        let f = match *s {
            "@list" => LIST,
            "@set" => SET,
            "@graph" => GRAPH,
            "@id" => ID,
            "@index" => INDEX,
            "@language" => LANGUAGE,
            "@type" => TYPE,
            _ => return None,
        };
        if flags & f != 0 {
            return None;
        }
        flags |= f;
    }
    let ok = match flags {
        LIST | SET | GRAPH | ID | INDEX | LANGUAGE | TYPE => true,
        0 => items.is_empty() && matches!(c, Value::Array(_)),
        f if f & LIST != 0 => false,
        f if f & GRAPH != 0 => f & !(GRAPH | ID | INDEX | SET) == 0 && !(f & ID != 0 && f & INDEX != 0),
        f if f & SET != 0 => (f & !SET).count_ones() == 1,
        _ => false,
    };
    ok.then_some(flags)
}
