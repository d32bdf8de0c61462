//! JSON-LD 1.1 API §8.1 Deserialize JSON-LD to RDF, §8.2 Object to RDF and §8.3 List to RDF,
//! over the node map, with the safe-mode checks of the module doc.

use std::hash::BuildHasher;

use serde_json::Value;

use super::error::Error;
use super::expand::is_language_tag;
use super::iri::{is_absolute, is_blank, is_keyword, is_node_ref};
use super::jcs::canonicalize;
use super::node_map::NodeMap;
use super::RdfDirection;
use crate::hashing::{HashMap, RandomState};
use crate::rdf::{Quad, Term, RDF_LANG_STRING, XSD_STRING};

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const RDF_JSON: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON";
const RDF_FIRST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
const RDF_REST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
const RDF_NIL: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
const XSD_BOOLEAN: &str = "http://www.w3.org/2001/XMLSchema#boolean";
const XSD_DOUBLE: &str = "http://www.w3.org/2001/XMLSchema#double";
const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";

/// The output under construction: quads in order, without repeats, bounded.
struct Out {
    quads: Vec<Quad>,
    /// The positions in `quads` of the quads of each hash (a quad is hashed, not copied).
    seen: HashMap<u64, Vec<usize>>,
    hasher: RandomState,
    max: usize,
    safe: bool,
    direction: Option<RdfDirection>,
}

impl Out {
    fn push(&mut self, q: Quad) -> Result<(), Error> {
        let positions = self.seen.entry(self.hasher.hash_one(&q)).or_default();
        if positions.iter().any(|&i| self.quads.get(i) == Some(&q)) {
            return Ok(());
        }
        if self.quads.len() >= self.max {
            return Err(Error::limit(format!("more than {} quads", self.max)));
        }
        positions.push(self.quads.len());
        self.quads.push(q);
        Ok(())
    }
    /// Something the RDF cannot carry: an error in safe mode, skipped otherwise.
    fn skip(&self, what: &'static str, detail: String) -> Result<(), Error> {
        if self.safe {
            return Err(Error::unsafe_(what, detail));
        }
        Ok(())
    }
}

fn node_term(id: &str) -> Term {
    match id.strip_prefix("_:") {
        Some(label) => Term::Blank(label.to_owned()),
        None => Term::Iri(id.to_owned()),
    }
}

/// The canonical lexical form of an `xsd:double` (JSON-LD 1.1 API §8.6 step 10: `1.1E0`).
pub(crate) fn canonical_double(f: f64) -> String {
    let s = format!("{f:.15e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let mut m = mantissa.trim_end_matches('0').to_owned();
    if m.ends_with('.') {
        m.push('0');
    }
    format!("{m}E{exp}")
}

/// Quads of the node map.
pub(crate) fn to_rdf(map: &mut NodeMap, max: usize, safe: bool, direction: Option<RdfDirection>) -> Result<Vec<Quad>, Error> {
    let mut out = Out { quads: Vec::new(), seen: HashMap::default(), hasher: RandomState::default(), max, safe, direction };
    let graphs = std::mem::take(&mut map.graphs);
    for (name, graph) in &graphs {
        let graph_term = if name == "@default" {
            None
        } else if is_node_ref(name) {
            Some(node_term(name))
        } else {
            out.skip("relative graph reference", format!("graph {name}"))?;
            continue;
        };
        for (subject, node) in graph {
            if !is_node_ref(subject) {
                out.skip("relative subject reference", format!("subject {subject}"))?;
                continue;
            }
            let s = node_term(subject);
            for (property, values) in &node.props {
                if property == "@type" {
                    for t in values.iter().filter_map(Value::as_str) {
                        if !is_node_ref(t) {
                            out.skip("relative object reference", format!("type {t}"))?;
                            continue;
                        }
                        out.push(Quad {
                            subject: s.clone(),
                            predicate: Term::Iri(RDF_TYPE.to_owned()),
                            object: node_term(t),
                            graph: graph_term.clone(),
                        })?;
                    }
                    continue;
                }
                if is_keyword(property) {
                    continue;
                }
                if is_blank(property) {
                    out.skip("blank node predicate", format!("predicate {property}"))?;
                    continue;
                }
                if !is_absolute(property) {
                    out.skip("relative predicate reference", format!("predicate {property}"))?;
                    continue;
                }
                for item in values {
                    let mut list_quads = Vec::new();
                    if let Some(o) = object(map, &mut out, item, &mut list_quads, &graph_term)? {
                        out.push(Quad {
                            subject: s.clone(),
                            predicate: Term::Iri(property.clone()),
                            object: o,
                            graph: graph_term.clone(),
                        })?;
                    }
                    for q in list_quads {
                        out.push(q)?;
                    }
                }
            }
        }
    }
    Ok(out.quads)
}

/// §8.2 Object to RDF; `None` where the spec returns null (skipped, or an error in safe mode).
fn object(map: &mut NodeMap, out: &mut Out, item: &Value, list: &mut Vec<Quad>, graph: &Option<Term>) -> Result<Option<Term>, Error> {
    let Some(obj) = item.as_object() else { return Ok(None) };
    if let Some(list_items) = obj.get("@list") {
        let items = list_items.as_array().map(Vec::as_slice).unwrap_or(&[]);
        return list_to_rdf(map, out, items, list, graph).map(Some);
    }
    let Some(value) = obj.get("@value") else {
        let id = obj.get("@id").and_then(Value::as_str).unwrap_or("");
        if !is_node_ref(id) {
            out.skip("relative object reference", format!("object {id}"))?;
            return Ok(None);
        }
        return Ok(Some(node_term(id)));
    };
    let mut datatype = obj.get("@type").and_then(Value::as_str).map(str::to_owned);
    if let Some(t) = &datatype {
        if t != "@json" && !is_absolute(t) {
            out.skip("relative @type reference", format!("datatype {t}"))?;
            return Ok(None);
        }
    }
    let language = obj.get("@language").and_then(Value::as_str);
    if let Some(l) = language {
        if !is_language_tag(l) {
            out.skip("invalid @language value", format!("language {l}"))?;
            return Ok(None);
        }
    }
    let lexical = if datatype.as_deref() == Some("@json") {
        datatype = Some(RDF_JSON.to_owned());
        canonicalize(value)
    } else {
        match value {
            Value::Bool(b) => {
                datatype.get_or_insert_with(|| XSD_BOOLEAN.to_owned());
                b.to_string()
            }
            Value::Number(n) => {
                let f = n.as_f64().unwrap_or(0.0);
                let double = datatype.as_deref() == Some(XSD_DOUBLE);
                if (n.is_f64() && (f.fract() != 0.0 || f.abs() >= 1e21)) || double {
                    datatype.get_or_insert_with(|| XSD_DOUBLE.to_owned());
                    canonical_double(f)
                } else {
                    datatype.get_or_insert_with(|| XSD_INTEGER.to_owned());
                    match (n.as_i64(), n.as_u64()) {
                        (Some(i), _) => i.to_string(),
                        (_, Some(u)) => u.to_string(),
                        _ if f == 0.0 => "0".to_owned(),
                        _ => format!("{f:.0}"),
                    }
                }
            }
            Value::String(s) => s.clone(),
            _ => return Ok(None),
        }
    };
    if let Some(d) = obj.get("@direction").and_then(Value::as_str) {
        match out.direction {
            Some(RdfDirection::I18nDatatype) => {
                let lang = language.unwrap_or("").to_lowercase();
                return Ok(Some(Term::Literal {
                    value: lexical,
                    datatype: format!("https://www.w3.org/ns/i18n#{lang}_{d}"),
                    language: None,
                }));
            }
            None => out.skip("rdfDirection not set", format!("@direction {d} on {lexical:?}"))?,
        }
    }
    let (datatype, language) = match (datatype, language) {
        (Some(t), _) => (t, None),
        (None, Some(l)) => (RDF_LANG_STRING.to_owned(), Some(l.to_owned())),
        (None, None) => (XSD_STRING.to_owned(), None),
    };
    Ok(Some(Term::Literal { value: lexical, datatype, language }))
}

/// §8.3 List to RDF: the head of the list, its quads appended to `list`.
fn list_to_rdf(map: &mut NodeMap, out: &mut Out, items: &[Value], list: &mut Vec<Quad>, graph: &Option<Term>) -> Result<Term, Error> {
    if items.is_empty() {
        return Ok(Term::Iri(RDF_NIL.to_owned()));
    }
    let nodes: Vec<String> = items.iter().map(|_| map.issue(None)).collect();
    for (i, item) in items.iter().enumerate() {
        let s = node_term(&nodes[i]);
        let mut embedded = Vec::new();
        if let Some(o) = object(map, out, item, &mut embedded, graph)? {
            list.push(Quad { subject: s.clone(), predicate: Term::Iri(RDF_FIRST.to_owned()), object: o, graph: graph.clone() });
        }
        let rest = nodes.get(i + 1).map_or_else(|| Term::Iri(RDF_NIL.to_owned()), |n| node_term(n));
        list.push(Quad { subject: s, predicate: Term::Iri(RDF_REST.to_owned()), object: rest, graph: graph.clone() });
        list.extend(embedded);
        if list.len() > out.max {
            return Err(Error::limit(format!("more than {} quads", out.max)));
        }
    }
    Ok(node_term(&nodes[0]))
}

#[cfg(test)]
mod tests {
    use super::canonical_double;

    #[test]
    fn doubles_print_in_canonical_form() {
        for (f, s) in [(1.1, "1.1E0"), (1.0, "1.0E0"), (-0.5, "-5.0E-1"), (1e21, "1.0E21"), (123.456, "1.23456E2"), (5.3e-10, "5.3E-10")] {
            assert_eq!(canonical_double(f), s);
        }
    }
}
