//! JSON-LD 1.1 API §7.2 Node Map Generation (over expanded input), with the blank node
//! relabelling of §7.1 Generate Blank Node Identifier.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Map, Value};

use super::error::Error;
use super::iri::{is_blank, is_keyword};
use super::jcs::canonicalize;

/// One node of the map: its properties (`@type` among them) in key order, and for each property
/// the set of canonical forms of its values (so that adding a value uniquely is not quadratic).
#[derive(Debug, Default)]
pub(crate) struct Node {
    pub(crate) props: BTreeMap<String, Vec<Value>>,
    seen: HashMap<String, HashSet<String>>,
    index: Option<String>,
}

impl Node {
    fn add_unique(&mut self, prop: &str, value: Value) {
        let key = canonicalize(&value);
        let seen = self.seen.entry(prop.to_owned()).or_default();
        if seen.insert(key) {
            self.props.entry(prop.to_owned()).or_default().push(value);
        }
    }
    fn add(&mut self, prop: &str, value: Value) {
        self.props.entry(prop.to_owned()).or_default().push(value);
    }
}

/// The node map: graph name -> subject -> node, and the blank node issuer.
#[derive(Debug, Default)]
pub(crate) struct NodeMap {
    pub(crate) graphs: BTreeMap<String, BTreeMap<String, Node>>,
    issued: HashMap<String, String>,
    counter: usize,
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

    fn node(&mut self, graph: &str, id: &str) -> &mut Node {
        self.graphs.entry(graph.to_owned()).or_default().entry(id.to_owned()).or_default()
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
        self.graphs.entry(graph.to_owned()).or_default();
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
                        self.node(graph, s).add_unique(p, Value::Object(element));
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
                        self.node(graph, s).add(p, result);
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
        self.node(graph, &id);
        match (subject, property) {
            (Subject::Reverse(r), Some(p)) => {
                let reference = Value::Object(Map::from_iter([("@id".to_owned(), Value::String(r.to_owned()))]));
                self.node(graph, &id).add_unique(p, reference);
            }
            (Subject::Id(s), Some(p)) => {
                let reference = Value::Object(Map::from_iter([("@id".to_owned(), Value::String(id.clone()))]));
                match list {
                    Some(l) => l.push(reference),
                    None => self.node(graph, s).add_unique(p, reference),
                }
            }
            _ => {}
        }
        for t in types {
            self.node(graph, &id).add_unique("@type", t);
        }
        if let Some(i) = obj.get("@index").and_then(Value::as_str) {
            let node = self.node(graph, &id);
            match &node.index {
                Some(old) if old != i => return Err(Error::invalid("conflicting indexes", format!("node {id} has two @index values"))),
                _ => node.index = Some(i.to_owned()),
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
            let prop = if is_blank(key) { self.issue(Some(key)) } else { key.clone() };
            self.node(graph, &id).props.entry(prop.clone()).or_default();
            self.walk(&obj[key.as_str()], graph, Subject::Id(&id), Some(&prop), &mut None, depth + 1, max_depth)?;
        }
        Ok(())
    }
}
