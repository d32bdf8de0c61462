//! Test support: a small N-Quads reader and writer (W3C RDF 1.1 N-Quads) and an RDF dataset
//! isomorphism check, for comparing toRdf output with published N-Quads. Test-only; the crate's
//! own N-Quads module supersedes it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet, HashMap};

use credcore_ld::rdf::{Quad, Term, RDF_LANG_STRING, XSD_STRING};

fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

fn write_term(t: &Term, out: &mut String) {
    match t {
        Term::Iri(i) => {
            out.push('<');
            out.push_str(i);
            out.push('>');
        }
        Term::Blank(b) => {
            out.push_str("_:");
            out.push_str(b);
        }
        Term::Literal { value, datatype, language } => {
            out.push('"');
            escape(value, out);
            out.push('"');
            if let Some(l) = language {
                out.push('@');
                out.push_str(l);
            } else if datatype != XSD_STRING {
                out.push_str("^^<");
                out.push_str(datatype);
                out.push('>');
            }
        }
    }
}

/// One quad as an N-Quads line (with its newline).
pub fn quad_line(q: &Quad) -> String {
    let mut s = String::new();
    write_term(&q.subject, &mut s);
    s.push(' ');
    write_term(&q.predicate, &mut s);
    s.push(' ');
    write_term(&q.object, &mut s);
    if let Some(g) = &q.graph {
        s.push(' ');
        write_term(g, &mut s);
    }
    s.push_str(" .\n");
    s
}

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && (self.s[self.i] == b' ' || self.s[self.i] == b'\t') {
            self.i += 1;
        }
    }
    fn unescape(&mut self, end: u8) -> String {
        let mut out = Vec::new();
        while self.i < self.s.len() && self.s[self.i] != end {
            if self.s[self.i] == b'\\' {
                self.i += 1;
                let c = self.s[self.i];
                self.i += 1;
                let ch = match c {
                    b't' => '\t',
                    b'b' => '\u{8}',
                    b'n' => '\n',
                    b'r' => '\r',
                    b'f' => '\u{c}',
                    b'u' | b'U' => {
                        let n = if c == b'u' { 4 } else { 8 };
                        let hex = std::str::from_utf8(&self.s[self.i..self.i + n]).unwrap();
                        self.i += n;
                        char::from_u32(u32::from_str_radix(hex, 16).unwrap()).unwrap()
                    }
                    c => c as char,
                };
                let mut buf = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            } else {
                out.push(self.s[self.i]);
                self.i += 1;
            }
        }
        self.i += 1;
        String::from_utf8(out).unwrap()
    }
    fn term(&mut self) -> Option<Term> {
        self.ws();
        match *self.s.get(self.i)? {
            b'<' => {
                self.i += 1;
                Some(Term::Iri(self.unescape(b'>')))
            }
            b'_' => {
                self.i += 2;
                let start = self.i;
                while self.i < self.s.len() && !matches!(self.s[self.i], b' ' | b'\t') {
                    self.i += 1;
                }
                Some(Term::Blank(String::from_utf8(self.s[start..self.i].to_vec()).unwrap()))
            }
            b'"' => {
                self.i += 1;
                let value = self.unescape(b'"');
                if self.s.get(self.i) == Some(&b'@') {
                    self.i += 1;
                    let start = self.i;
                    while self.i < self.s.len() && !matches!(self.s[self.i], b' ' | b'\t') {
                        self.i += 1;
                    }
                    let l = String::from_utf8(self.s[start..self.i].to_vec()).unwrap();
                    Some(Term::Literal { value, datatype: RDF_LANG_STRING.to_owned(), language: Some(l.to_lowercase()) })
                } else if self.s.get(self.i) == Some(&b'^') {
                    self.i += 3;
                    Some(Term::Literal { value, datatype: self.unescape(b'>'), language: None })
                } else {
                    Some(Term::Literal { value, datatype: XSD_STRING.to_owned(), language: None })
                }
            }
            _ => None,
        }
    }
}

/// The quads of an N-Quads document.
pub fn parse_nquads(text: &str) -> Vec<Quad> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut r = Reader { s: line.as_bytes(), i: 0 };
        let subject = r.term().expect("subject");
        let predicate = r.term().expect("predicate");
        let object = r.term().expect("object");
        let graph = r.term();
        out.push(Quad { subject, predicate, object, graph });
    }
    out
}

fn blanks(q: &Quad) -> impl Iterator<Item = &str> {
    [Some(&q.subject), Some(&q.object), q.graph.as_ref()].into_iter().flatten().filter_map(|t| match t {
        Term::Blank(b) => Some(b.as_str()),
        _ => None,
    })
}

fn relabel(t: &Term, m: &HashMap<&str, &str>) -> Term {
    match t {
        Term::Blank(b) => Term::Blank(m.get(b.as_str()).map_or_else(|| b.clone(), |x| (*x).to_owned())),
        t => t.clone(),
    }
}

/// Colors of blank nodes after a few rounds of refinement by their neighbourhoods.
fn colors(quads: &[Quad]) -> BTreeMap<String, String> {
    let mut color: BTreeMap<String, String> = BTreeMap::new();
    for q in quads {
        for b in blanks(q) {
            color.insert(b.to_owned(), String::new());
        }
    }
    for _ in 0..4 {
        let mut next = BTreeMap::new();
        for b in color.keys() {
            let mut sig: Vec<String> = Vec::new();
            for q in quads {
                let show = |t: &Term, pos: &str| match t {
                    Term::Blank(x) if x == b => format!("{pos}:SELF"),
                    Term::Blank(x) => format!("{pos}:{}", color[x]),
                    t => format!("{pos}:{t:?}"),
                };
                if blanks(q).any(|x| x == b) {
                    sig.push(format!(
                        "{} {} {} {}",
                        show(&q.subject, "s"),
                        show(&q.predicate, "p"),
                        show(&q.object, "o"),
                        q.graph.as_ref().map_or("g:-".to_owned(), |g| show(g, "g"))
                    ));
                }
            }
            sig.sort();
            next.insert(b.clone(), format!("{:x}", fxhash(&sig.join("\n"))));
        }
        color = next;
    }
    color
}

fn fxhash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// Whether two datasets are the same up to blank node labels.
pub fn isomorphic(a: &[Quad], b: &[Quad]) -> bool {
    let sa: BTreeSet<&Quad> = a.iter().collect();
    let sb: BTreeSet<&Quad> = b.iter().collect();
    if sa.len() != sb.len() {
        return false;
    }
    if sa == sb {
        return true;
    }
    let (ca, cb) = (colors(a), colors(b));
    let mut ka: Vec<&String> = ca.values().collect();
    let mut kb: Vec<&String> = cb.values().collect();
    ka.sort();
    kb.sort();
    if ka != kb {
        return false;
    }
    let names: Vec<&str> = ca.keys().map(String::as_str).collect();
    let mut map: HashMap<&str, &str> = HashMap::new();
    let mut used: BTreeSet<&str> = BTreeSet::new();
    #[allow(clippy::too_many_arguments)]
    fn search<'a>(
        i: usize,
        names: &[&'a str],
        ca: &'a BTreeMap<String, String>,
        cb: &'a BTreeMap<String, String>,
        map: &mut HashMap<&'a str, &'a str>,
        used: &mut BTreeSet<&'a str>,
        sa: &BTreeSet<&Quad>,
        sb: &BTreeSet<&Quad>,
        budget: &mut usize,
    ) -> bool {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        if i == names.len() {
            return sa.iter().all(|q| {
                let r = Quad {
                    subject: relabel(&q.subject, map),
                    predicate: q.predicate.clone(),
                    object: relabel(&q.object, map),
                    graph: q.graph.as_ref().map(|g| relabel(g, map)),
                };
                sb.contains(&r)
            });
        }
        let want = &ca[names[i]];
        for (nb, c) in cb {
            if c == want && !used.contains(nb.as_str()) {
                map.insert(names[i], nb);
                used.insert(nb);
                if search(i + 1, names, ca, cb, map, used, sa, sb, budget) {
                    return true;
                }
                used.remove(nb.as_str());
                map.remove(names[i]);
            }
        }
        false
    }
    let mut budget = 200_000;
    search(0, &names, &ca, &cb, &mut map, &mut used, &sa, &sb, &mut budget)
}

/// `quads` reversed, with every blank node renamed: the same dataset, written differently, so
/// that canonicalization has work to do.
pub fn scramble(quads: &[Quad]) -> Vec<Quad> {
    let rename = |t: &Term| match t {
        Term::Blank(label) => Term::Blank(format!("x{}y", label.chars().rev().collect::<String>())),
        other => other.clone(),
    };
    quads
        .iter()
        .rev()
        .map(|q| Quad {
            subject: rename(&q.subject),
            predicate: q.predicate.clone(),
            object: rename(&q.object),
            graph: q.graph.as_ref().map(rename),
        })
        .collect()
}
