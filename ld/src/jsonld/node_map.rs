//! JSON-LD 1.1 API §7.2 Node Map Generation (over expanded input), with the blank node
//! relabelling of §7.1 Generate Blank Node Identifier.

use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hash, Hasher};

use serde_json::{Map, Value};

use super::error::Error;
use super::iri::{is_blank, is_keyword};
use super::jcs::canonicalize;
use crate::hashing::{HashMap, RandomState};

/// Up to this many values, a property's values are compared one by one when a value is added
/// uniquely; past it, through an index of their hashes (so that adding stays linear overall).
const SCAN: usize = 8;

/// One node of the map: its properties (`@type` among them) in key order, and, for properties
/// with more than [`SCAN`] values, an index of their values by [`value_hash`] (so that adding a
/// value uniquely is not quadratic).
#[derive(Debug, Default)]
pub(crate) struct Node {
    pub(crate) props: BTreeMap<String, Vec<Value>>,
    seen: HashMap<String, HashMap<u64, Vec<usize>>>,
    index: Option<String>,
}

impl Node {
    /// Adds `value` to `prop` unless an equal value is there (§7.2 "add value" without
    /// duplicates): equal as their RFC 8785 canonical forms are ([`same`]).
    fn add_unique(&mut self, prop: &str, value: Value, hasher: &RandomState) {
        self.touch(prop);
        let Some(values) = self.props.get_mut(prop) else { return };
        if values.len() < SCAN {
            if !values.iter().any(|v| same(v, &value)) {
                values.push(value);
            }
            return;
        }
        let seen = match self.seen.get_mut(prop) {
            Some(seen) => seen,
            None => {
                let mut seen: HashMap<u64, Vec<usize>> = HashMap::default();
                for (i, v) in values.iter().enumerate() {
                    seen.entry(value_hash(v, hasher)).or_default().push(i);
                }
                self.seen.entry(prop.to_owned()).or_insert(seen)
            }
        };
        let h = value_hash(&value, hasher);
        let candidates = seen.entry(h).or_default();
        if candidates.iter().any(|&i| values.get(i).is_some_and(|v| same(v, &value))) {
            return;
        }
        candidates.push(values.len());
        values.push(value);
    }

    /// Adds `value` to `prop` (a list object: lists are never merged).
    fn add(&mut self, prop: &str, value: Value, hasher: &RandomState) {
        self.touch(prop);
        let Some(values) = self.props.get_mut(prop) else { return };
        if let Some(seen) = self.seen.get_mut(prop) {
            seen.entry(value_hash(&value, hasher)).or_default().push(values.len());
        }
        values.push(value);
    }

    /// Makes `prop` present (with no values yet, if it had none), allocating its name only then.
    fn touch(&mut self, prop: &str) {
        if !self.props.contains_key(prop) {
            self.props.insert(prop.to_owned(), Vec::new());
        }
    }
}

/// Whether two values have the same RFC 8785 canonical form (the equality of §7.2's "add value",
/// as jsonld.js compares values), without writing either: the forms are equal exactly when the
/// values are, structurally, with map entries in any order and numbers compared by their
/// canonical text (`1` and `1.0` are one number).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Number(_), Value::Number(_)) => a == b || canonicalize(a) == canonicalize(b),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w))),
        _ => false,
    }
}

/// A hash of `value` consistent with [`same`] (map entries combined in any order, numbers by
/// their canonical text), keyed by `hasher`'s random keys.
fn value_hash(value: &Value, hasher: &RandomState) -> u64 {
    let mut h = hasher.build_hasher();
    hash_into(value, hasher, &mut h);
    h.finish()
}

fn hash_into(value: &Value, hasher: &RandomState, h: &mut impl Hasher) {
    match value {
        Value::Null => h.write_u8(0),
        Value::Bool(b) => {
            h.write_u8(1);
            b.hash(h);
        }
        Value::Number(_) => {
            h.write_u8(2);
            canonicalize(value).hash(h);
        }
        Value::String(s) => {
            h.write_u8(3);
            s.hash(h);
        }
        Value::Array(a) => {
            h.write_u8(4);
            h.write_usize(a.len());
            for v in a {
                hash_into(v, hasher, h);
            }
        }
        Value::Object(m) => {
            h.write_u8(5);
            h.write_usize(m.len());
            // Entries in any order: a sum of their own hashes.
            let sum = m.iter().fold(0u64, |acc, (k, v)| {
                let mut e = hasher.build_hasher();
                k.hash(&mut e);
                hash_into(v, hasher, &mut e);
                acc.wrapping_add(e.finish())
            });
            h.write_u64(sum);
        }
    }
}

/// The node map: graph name -> subject -> node, and the blank node issuer.
#[derive(Debug, Default)]
pub(crate) struct NodeMap {
    pub(crate) graphs: BTreeMap<String, BTreeMap<String, Node>>,
    issued: HashMap<String, String>,
    counter: usize,
    /// The random keys of the value hashes of [`Node`]'s indexes.
    hasher: RandomState,
}

/// Who refers to the node being walked.
#[derive(Clone, Copy)]
enum Subject<'a> {
    None,
    Id(&'a str),
    /// The node referring through a reverse property.
    Reverse(&'a str),
}

impl NodeMap {
    /// §7.1: a fresh label, or the one already issued for `old`.
    pub(crate) fn issue(&mut self, old: Option<&str>) -> String {
        if let Some(old) = old {
            if let Some(l) = self.issued.get(old) {
                return l.clone();
            }
        }
        let label = format!("_:b{}", self.counter);
        self.counter += 1;
        if let Some(old) = old {
            self.issued.insert(old.to_owned(), label.clone());
        }
        label
    }

    /// Builds the node map of an expanded document.
    pub(crate) fn build(expanded: &Value, max_depth: usize) -> Result<NodeMap, Error> {
        let mut map = NodeMap::default();
        map.walk(expanded, "@default", Subject::None, None, &mut None, 0, max_depth)?;
        Ok(map)
    }

    /// Makes graph `graph` present, allocating its name only then.
    fn graph(&mut self, graph: &str) {
        if !self.graphs.contains_key(graph) {
            self.graphs.insert(graph.to_owned(), BTreeMap::new());
        }
    }

    /// Makes node `id` of `graph` present and runs `f` on it.
    fn with_node<T>(&mut self, graph: &str, id: &str, f: impl FnOnce(&mut Node, &RandomState) -> T) -> Option<T> {
        self.graph(graph);
        let nodes = self.graphs.get_mut(graph)?;
        if !nodes.contains_key(id) {
            nodes.insert(id.to_owned(), Node::default());
        }
        nodes.get_mut(id).map(|node| f(node, &self.hasher))
    }

    #[allow(clippy::too_many_arguments)]
    fn walk(
        &mut self,
        element: &Value,
        graph: &str,
        subject: Subject<'_>,
        property: Option<&str>,
        list: &mut Option<Vec<Value>>,
        depth: usize,
        max_depth: usize,
    ) -> Result<(), Error> {
        if depth > max_depth {
            return Err(Error::limit(format!("nesting deeper than {max_depth}")));
        }
        self.graph(graph);
        let obj = match element {
            Value::Array(items) => {
                for item in items {
                    self.walk(item, graph, subject, property, list, depth + 1, max_depth)?;
                }
                return Ok(());
            }
            Value::Object(m) => m,
            _ => return Ok(()),
        };
        let mut types = Vec::new();
        if let Some(t) = obj.get("@type") {
            for t in t.as_array().map(Vec::as_slice).unwrap_or(std::slice::from_ref(t)) {
                match t.as_str() {
                    Some(s) if is_blank(s) => types.push(Value::String(self.issue(Some(s)))),
                    _ => types.push(t.clone()),
                }
            }
        }
        if obj.contains_key("@value") {
            let mut element = obj.clone();
            if obj.contains_key("@type") && !obj["@type"].is_string() {
                element.insert("@type".to_owned(), Value::Array(types));
            } else if let Some(Value::String(s)) = obj.get("@type") {
                if is_blank(s) {
                    element.insert("@type".to_owned(), Value::String(self.issue(Some(s))));
                }
            }
            match list {
                Some(l) => l.push(Value::Object(element)),
                None => {
                    if let (Subject::Id(s), Some(p)) = (subject, property) {
                        self.with_node(graph, s, |n, h| n.add_unique(p, Value::Object(element), h));
                    }
                }
            }
            return Ok(());
        }
        if let Some(items) = obj.get("@list") {
            let mut inner = Some(Vec::new());
            self.walk(items, graph, subject, property, &mut inner, depth + 1, max_depth)?;
            let result = Value::Object(Map::from_iter([("@list".to_owned(), Value::Array(inner.unwrap_or_default()))]));
            match list {
                Some(l) => l.push(result),
                None => {
                    if let (Subject::Id(s), Some(p)) = (subject, property) {
                        self.with_node(graph, s, |n, h| n.add(p, result, h));
                    }
                }
            }
            return Ok(());
        }
        if obj.get("@id").is_some_and(Value::is_null) {
            // An @id that expanded to null (a keyword-like reference, outside safe mode): no node.
            return Ok(());
        }
        let id = match obj.get("@id").and_then(Value::as_str) {
            Some(id) if is_blank(id) => self.issue(Some(id)),
            Some(id) => id.to_owned(),
            None => self.issue(None),
        };
        self.with_node(graph, &id, |_, _| ());
        match (subject, property) {
            (Subject::Reverse(r), Some(p)) => {
                let reference = Value::Object(Map::from_iter([("@id".to_owned(), Value::String(r.to_owned()))]));
                self.with_node(graph, &id, |n, h| n.add_unique(p, reference, h));
            }
            (Subject::Id(s), Some(p)) => {
                let reference = Value::Object(Map::from_iter([("@id".to_owned(), Value::String(id.clone()))]));
                match list {
                    Some(l) => l.push(reference),
                    None => drop(self.with_node(graph, s, |n, h| n.add_unique(p, reference, h))),
                }
            }
            _ => {}
        }
        if !types.is_empty() {
            self.with_node(graph, &id, |n, h| types.into_iter().for_each(|t| n.add_unique("@type", t, h)));
        }
        if let Some(i) = obj.get("@index").and_then(Value::as_str) {
            let conflict = self.with_node(graph, &id, |node, _| match &node.index {
                Some(old) => old != i,
                None => {
                    node.index = Some(i.to_owned());
                    false
                }
            });
            if conflict == Some(true) {
                return Err(Error::invalid("conflicting indexes", format!("node {id} has two @index values")));
            }
        }
        if let Some(Value::Object(reverse)) = obj.get("@reverse") {
            for (p, values) in reverse {
                for v in values.as_array().map(Vec::as_slice).unwrap_or(std::slice::from_ref(values)) {
                    self.walk(v, graph, Subject::Reverse(&id), Some(p), &mut None, depth + 1, max_depth)?;
                }
            }
        }
        if let Some(g) = obj.get("@graph") {
            self.walk(g, &id, Subject::None, None, &mut None, depth + 1, max_depth)?;
        }
        if let Some(inc) = obj.get("@included") {
            self.walk(inc, graph, Subject::None, None, &mut None, depth + 1, max_depth)?;
        }
        let mut keys: Vec<&String> = obj.keys().filter(|k| !is_keyword(k)).collect();
        keys.sort();
        for key in keys {
            let issued;
            let prop = if is_blank(key) {
                issued = self.issue(Some(key));
                issued.as_str()
            } else {
                key.as_str()
            };
            self.with_node(graph, &id, |n, _| n.touch(prop));
            self.walk(&obj[key.as_str()], graph, Subject::Id(&id), Some(prop), &mut None, depth + 1, max_depth)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    /// `same` is the equality of the canonical forms, and `value_hash` agrees with it.
    #[test]
    fn values_compare_as_their_canonical_forms() {
        let h = RandomState::default();
        let pairs = [
            (json!({"@value": 1, "@type": "x:t"}), json!({"@type": "x:t", "@value": 1.0})),
            (json!({"@id": "x:a"}), json!({"@id": "x:a"})),
            (json!([1, {"b": 2, "a": [true, null]}]), json!([1.0, {"a": [true, null], "b": 2}])),
        ];
        for (a, b) in &pairs {
            assert_eq!(canonicalize(a), canonicalize(b));
            assert!(same(a, b) && value_hash(a, &h) == value_hash(b, &h), "{a} {b}");
        }
        for (a, b) in [
            (json!({"@value": 1}), json!({"@value": "1"})),
            (json!({"@id": "x:a"}), json!({"@id": "x:b"})),
            (json!([1, 2]), json!([2, 1])),
            (json!({"@value": "a"}), json!({"@value": "a", "@language": "en"})),
        ] {
            assert_ne!(canonicalize(&a), canonicalize(&b));
            assert!(!same(&a, &b), "{a} {b}");
        }
    }

    /// Past `SCAN` values a property's values go through the index, with the same result.
    #[test]
    fn many_values_stay_unique() {
        let h = RandomState::default();
        let mut node = Node::default();
        for round in 0..3 {
            for i in 0..40 {
                let v = if i % 2 == 0 { json!({"@value": i}) } else { json!({"@value": f64::from(i)}) };
                node.add_unique("x:p", v, &h);
            }
            node.add("x:p", json!({"@list": [round]}), &h);
        }
        let values = &node.props["x:p"];
        assert_eq!(values.len(), 40 + 3);
        let mut forms: Vec<String> = values.iter().map(canonicalize).collect();
        forms.sort();
        forms.dedup();
        assert_eq!(forms.len(), 43);
    }
}
