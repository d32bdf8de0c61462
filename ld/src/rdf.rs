//! The RDF dataset model shared by JSON-LD's toRdf and RDFC-1.0.

/// An RDF term.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    /// An IRI, without angle brackets.
    Iri(String),
    /// A blank node, by its label without the `_:` prefix.
    Blank(String),
    /// A literal: its lexical form, datatype IRI (`xsd:string` or `rdf:langString` when not
    /// given), and language tag (only with `rdf:langString`).
    Literal {
        /// The lexical form.
        value: String,
        /// The datatype IRI.
        datatype: String,
        /// The language tag, if any.
        language: Option<String>,
    },
}

/// One quad; `graph` is `None` for the default graph.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quad {
    /// The subject (an IRI or a blank node).
    pub subject: Term,
    /// The predicate (an IRI).
    pub predicate: Term,
    /// The object.
    pub object: Term,
    /// The graph name, `None` for the default graph.
    pub graph: Option<Term>,
}

/// `http://www.w3.org/2001/XMLSchema#string`.
pub const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
/// `http://www.w3.org/1999/02/22-rdf-syntax-ns#langString`.
pub const RDF_LANG_STRING: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";
