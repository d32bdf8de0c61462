//! N-Quads (W3C RDF 1.1 N-Quads, <https://www.w3.org/TR/n-quads/>): a strict, bounded parser
//! and the canonical serialization of RDF Dataset Canonicalization (RDFC-1.0 §4.6 and the
//! canonical N-Quads form of RDF 1.1 N-Triples §4, as RDFC-1.0 cites it).
//!
//! Policy (strict reading, so that one text has one dataset and one dataset one text):
//! - Only the grammar of N-Quads: absolute IRIs (`scheme:`), blank node labels as
//!   `BLANK_NODE_LABEL`, language tags as `LANGTAG`, `ECHAR` and `UCHAR` escapes; a `\u` escape
//!   must name a Unicode scalar value (no surrogates).
//! - An IRI whose escapes decode to a character that `IRIREF` forbids raw (controls, space,
//!   `<>"{}|^`\` and backslash) is refused: the canonical form writes IRIs unescaped, so such an
//!   IRI could not be written back unambiguously.
//! - `rdf:langString` goes with a language tag and only with one (RDF 1.1 Concepts §3.3).
//! - No byte order mark, no generalized RDF (a literal as subject or graph name, a blank node as
//!   predicate).
//! - Bounded: at most [`ParseLimits::max_bytes`] of text and [`ParseLimits::max_quads`] quads,
//!   each under a hard ceiling; memory is linear in the text (at most about 30 bytes of heap per
//!   byte of text, parsed and canonicalized, with the smallest quads: about 30 MB at the default
//!   limit, 130 MB at the ceiling). The parser is a loop over the bytes: no recursion.

use crate::error::{Error, Result};
use crate::rdf::{Quad, Term, RDF_LANG_STRING, XSD_STRING};

/// Default bound of the text [`parse`] reads: 1 MiB (a credential's dataset is a few kilobytes).
pub const DEFAULT_MAX_BYTES: usize = 1 << 20;
/// Hard ceiling of [`ParseLimits::max_bytes`]: 4 MiB, whatever the option says.
pub const MAX_BYTES_CEILING: usize = 4 << 20;
/// Default bound of the quads [`parse`] returns.
pub const DEFAULT_MAX_QUADS: usize = 20_000;
/// Hard ceiling of [`ParseLimits::max_quads`].
pub const MAX_QUADS_CEILING: usize = 100_000;

/// Size bounds of one [`parse_with`] call; values above the ceilings are lowered to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseLimits {
    /// Most bytes of text (default [`DEFAULT_MAX_BYTES`], ceiling [`MAX_BYTES_CEILING`]).
    pub max_bytes: usize,
    /// Most quads (default [`DEFAULT_MAX_QUADS`], ceiling [`MAX_QUADS_CEILING`]).
    pub max_quads: usize,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits { max_bytes: DEFAULT_MAX_BYTES, max_quads: DEFAULT_MAX_QUADS }
    }
}

impl ParseLimits {
    /// These limits with every value lowered to its hard ceiling.
    pub fn clamped(self) -> Self {
        ParseLimits { max_bytes: self.max_bytes.min(MAX_BYTES_CEILING), max_quads: self.max_quads.min(MAX_QUADS_CEILING) }
    }
}

/// Parses an N-Quads document with the default [`ParseLimits`].
///
/// Duplicate statements are kept as written (a dataset is a set: [`crate::rdfc::canonicalize`]
/// removes them).
///
/// # Errors
/// `MALFORMED_INPUT` for text outside the grammar (the message names the line), `INPUT_TOO_LARGE`
/// past a limit.
pub fn parse(text: &str) -> Result<Vec<Quad>> {
    parse_with(text, &ParseLimits::default())
}

/// Parses an N-Quads document under `limits` (clamped to the hard ceilings).
///
/// # Errors
/// As [`parse`].
pub fn parse_with(text: &str, limits: &ParseLimits) -> Result<Vec<Quad>> {
    let limits = limits.clamped();
    if text.len() > limits.max_bytes {
        return Err(Error::too_large(format!("N-Quads text of {} bytes is over the limit of {}", text.len(), limits.max_bytes)));
    }
    if text.starts_with('\u{feff}') {
        return Err(Error::malformed("N-Quads: a byte order mark is not part of the grammar"));
    }
    let mut p = Parser { s: text, i: 0, line: 1 };
    let mut quads = Vec::new();
    loop {
        p.skip_ws();
        if p.skip_comment_and_eol()? {
            continue;
        }
        if p.at_end() {
            return Ok(quads);
        }
        if quads.len() >= limits.max_quads {
            return Err(Error::too_large(format!("N-Quads: more than {} quads", limits.max_quads)));
        }
        let quad = p.statement()?;
        quads.push(quad);
        p.skip_ws();
        if !p.skip_comment_and_eol()? && !p.at_end() {
            return Err(p.err("expected the end of the line after '.'"));
        }
    }
}

struct Parser<'a> {
    s: &'a str,
    i: usize,
    line: usize,
}

impl Parser<'_> {
    fn err(&self, what: &str) -> Error {
        Error::malformed(format!("N-Quads line {}: {what}", self.line))
    }

    fn at_end(&self) -> bool {
        self.i >= self.s.len()
    }

    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.i).copied()
    }

    fn next_char(&mut self) -> Option<char> {
        let c = self.s.get(self.i..)?.chars().next()?;
        self.i += c.len_utf8();
        Some(c)
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    /// Skips an optional comment and then end-of-line characters; true when a line ended.
    fn skip_comment_and_eol(&mut self) -> Result<bool> {
        if self.peek() == Some(b'#') {
            while !matches!(self.peek(), None | Some(b'\n' | b'\r')) {
                self.i += 1;
            }
            if self.at_end() {
                return Ok(true);
            }
        }
        let mut ended = false;
        while let Some(b @ (b'\n' | b'\r')) = self.peek() {
            // CR LF counts as one line ending for the line numbers of messages.
            if b == b'\n' || self.s.as_bytes().get(self.i + 1) != Some(&b'\n') {
                self.line += 1;
            }
            self.i += 1;
            ended = true;
        }
        Ok(ended)
    }

    fn statement(&mut self) -> Result<Quad> {
        let subject = match self.peek() {
            Some(b'<') => Term::Iri(self.iri()?),
            Some(b'_') => Term::Blank(self.blank()?),
            _ => return Err(self.err("a subject is an IRI or a blank node")),
        };
        self.skip_ws();
        let predicate = match self.peek() {
            Some(b'<') => Term::Iri(self.iri()?),
            _ => return Err(self.err("a predicate is an IRI")),
        };
        self.skip_ws();
        let object = match self.peek() {
            Some(b'<') => Term::Iri(self.iri()?),
            Some(b'_') => Term::Blank(self.blank()?),
            Some(b'"') => self.literal()?,
            _ => return Err(self.err("an object is an IRI, a blank node or a literal")),
        };
        self.skip_ws();
        let graph = match self.peek() {
            Some(b'<') => Some(Term::Iri(self.iri()?)),
            Some(b'_') => Some(Term::Blank(self.blank()?)),
            Some(b'.') => None,
            _ => return Err(self.err("expected a graph name or '.'")),
        };
        self.skip_ws();
        if self.peek() != Some(b'.') {
            return Err(self.err("expected '.' at the end of a statement"));
        }
        self.i += 1;
        Ok(Quad { subject, predicate, object, graph })
    }

    /// `IRIREF`, decoded, checked by [`check_iri`].
    fn iri(&mut self) -> Result<String> {
        self.i += 1; // '<'
        let bytes = self.s.as_bytes();
        // The common case, no escape: one scan of the bytes (every character `IRIREF` forbids
        // is ASCII, and no byte of a multi-byte UTF-8 character is), one copy.
        let start = self.i;
        while let Some(&b) = bytes.get(self.i) {
            if b == b'>' {
                let iri = &self.s[start..self.i];
                self.i += 1;
                check_iri(iri).map_err(|e| self.err(&e.message))?;
                return Ok(iri.to_owned());
            }
            if b == b'\\' {
                break;
            }
            if iri_forbidden_byte(b) {
                return Err(self.err("a character an IRI does not allow"));
            }
            self.i += 1;
        }
        let mut out = self.s[start..self.i].to_owned();
        loop {
            let Some(c) = self.next_char() else { return Err(self.err("an IRI is not closed by '>'")) };
            match c {
                '>' => break,
                '\\' => {
                    let c = match self.next_char() {
                        Some('u') => self.hex(4)?,
                        Some('U') => self.hex(8)?,
                        _ => return Err(self.err("an IRI allows only \\u and \\U escapes")),
                    };
                    out.push(c);
                }
                c if c.is_ascii() && iri_forbidden_byte(c as u8) => return Err(self.err("a character an IRI does not allow")),
                c => out.push(c),
            }
        }
        check_iri(&out).map_err(|e| self.err(&e.message))?;
        Ok(out)
    }

    fn hex(&mut self, n: usize) -> Result<char> {
        let digits = self.s.get(self.i..self.i + n).filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
        let Some(digits) = digits else { return Err(self.err("an escape needs hexadecimal digits")) };
        self.i += n;
        u32::from_str_radix(digits, 16).ok().and_then(char::from_u32).ok_or_else(|| self.err("an escape names no Unicode scalar value"))
    }

    /// `BLANK_NODE_LABEL`, without `_:`.
    fn blank(&mut self) -> Result<String> {
        if self.s.get(self.i..self.i + 2) != Some("_:") {
            return Err(self.err("a blank node starts with '_:'"));
        }
        self.i += 2;
        let start = self.i;
        match self.next_char() {
            Some(c) if pn_chars_u(c) || c.is_ascii_digit() => {}
            _ => return Err(self.err("a blank node label starts with a letter, '_', ':' or a digit")),
        }
        while let Some(c) = self.s.get(self.i..).and_then(|r| r.chars().next()) {
            if pn_chars(c) || c == '.' {
                self.i += c.len_utf8();
            } else {
                break;
            }
        }
        // A label does not end with '.': those dots end the statement.
        while self.s.as_bytes().get(self.i - 1) == Some(&b'.') {
            self.i -= 1;
        }
        Ok(self.s[start..self.i].to_owned())
    }

    /// `literal`: `STRING_LITERAL_QUOTE` with an optional `^^IRIREF` or `LANGTAG`.
    fn literal(&mut self) -> Result<Term> {
        self.i += 1; // '"'
                     // Up to the first quote, backslash or line break in one scan of the bytes (none of them
                     // is a byte of a multi-byte UTF-8 character).
        let start = self.i;
        let bytes = self.s.as_bytes();
        while bytes.get(self.i).is_some_and(|b| !matches!(b, b'"' | b'\\' | b'\n' | b'\r')) {
            self.i += 1;
        }
        let mut value = self.s[start..self.i].to_owned();
        loop {
            let Some(c) = self.next_char() else { return Err(self.err("a literal is not closed by '\"'")) };
            match c {
                '"' => break,
                '\n' | '\r' => return Err(self.err("a literal contains a raw line break")),
                '\\' => {
                    let c = match self.next_char() {
                        Some('t') => '\t',
                        Some('b') => '\u{8}',
                        Some('n') => '\n',
                        Some('r') => '\r',
                        Some('f') => '\u{c}',
                        Some('"') => '"',
                        Some('\'') => '\'',
                        Some('\\') => '\\',
                        Some('u') => self.hex(4)?,
                        Some('U') => self.hex(8)?,
                        _ => return Err(self.err("an unknown escape in a literal")),
                    };
                    value.push(c);
                }
                c => value.push(c),
            }
        }
        match self.peek() {
            Some(b'^') => {
                if self.s.get(self.i..self.i + 3).map(|t| t.as_bytes()) != Some(b"^^<") {
                    return Err(self.err("a datatype is written ^^<IRI>"));
                }
                self.i += 2;
                let datatype = self.iri()?;
                if datatype == RDF_LANG_STRING {
                    return Err(self.err("rdf:langString needs a language tag"));
                }
                Ok(Term::Literal { value, datatype, language: None })
            }
            Some(b'@') => {
                self.i += 1;
                let start = self.i;
                while matches!(self.peek(), Some(b) if b.is_ascii_alphanumeric() || b == b'-') {
                    self.i += 1;
                }
                let tag = &self.s[start..self.i];
                check_language(tag).map_err(|e| self.err(&e.message))?;
                Ok(Term::Literal { value, datatype: RDF_LANG_STRING.to_owned(), language: Some(tag.to_owned()) })
            }
            _ => Ok(Term::Literal { value, datatype: XSD_STRING.to_owned(), language: None }),
        }
    }
}

/// Characters `IRIREF` does not allow unescaped (and that the canonical form, which writes IRIs
/// as they are, could not write).
/// (All of them are ASCII.) A table: this test runs on every byte of every IRI.
#[inline]
fn iri_forbidden_byte(b: u8) -> bool {
    IRI_FORBIDDEN[usize::from(b)]
}

static IRI_FORBIDDEN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = b <= 0x20 || matches!(b as u8, b'<' | b'>' | b'"' | b'{' | b'}' | b'|' | b'^' | b'`' | b'\\');
        b += 1;
    }
    table
};

/// `PN_CHARS_BASE` of N-Triples.
fn pn_chars_base(c: char) -> bool {
    matches!(c,
        'A'..='Z' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}'
        | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

/// `PN_CHARS_U` of N-Triples (which, unlike Turtle's, includes ':').
fn pn_chars_u(c: char) -> bool {
    pn_chars_base(c) || c == '_' || c == ':'
}

/// `PN_CHARS` of N-Triples.
fn pn_chars(c: char) -> bool {
    pn_chars_u(c) || c == '-' || c.is_ascii_digit() || c == '\u{B7}' || matches!(c, '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// An absolute IRI as N-Quads writes it: a scheme (`ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`)
/// and ':', and no character [`iri_forbidden_byte`].
pub(crate) fn check_iri(iri: &str) -> Result<()> {
    let scheme_end = iri.find(':').ok_or_else(|| Error::malformed("an IRI is absolute (scheme:...)"))?;
    let scheme = &iri.as_bytes()[..scheme_end];
    let scheme_ok = scheme.first().is_some_and(u8::is_ascii_alphabetic)
        && scheme.iter().all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return Err(Error::malformed("an IRI's scheme is a letter and then letters, digits, '+', '-' or '.'"));
    }
    if iri.bytes().any(iri_forbidden_byte) {
        return Err(Error::malformed("an IRI contains a character that N-Quads cannot write in an IRI"));
    }
    Ok(())
}

/// `LANGTAG` without '@': `[a-zA-Z]+ ('-' [a-zA-Z0-9]+)*`.
pub(crate) fn check_language(tag: &str) -> Result<()> {
    let mut parts = tag.split('-');
    let first_ok = parts.next().is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphabetic()));
    if first_ok && parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric())) {
        Ok(())
    } else {
        Err(Error::malformed("a language tag is letters, then '-' and letters or digits"))
    }
}

/// Checks that `quad` is an RDF quad that N-Quads can write: subject an IRI or blank node,
/// predicate an IRI, graph name an IRI or blank node, every IRI absolute and writable, literals
/// with a valid language tag exactly when their datatype is `rdf:langString`, blank node labels
/// not empty.
///
/// # Errors
/// `MALFORMED_INPUT` naming the first fault.
pub fn check_quad(quad: &Quad) -> Result<()> {
    match &quad.subject {
        Term::Iri(_) | Term::Blank(_) => {}
        Term::Literal { .. } => return Err(Error::malformed("a subject is an IRI or a blank node")),
    }
    if !matches!(quad.predicate, Term::Iri(_)) {
        return Err(Error::malformed("a predicate is an IRI"));
    }
    if matches!(quad.graph, Some(Term::Literal { .. })) {
        return Err(Error::malformed("a graph name is an IRI or a blank node"));
    }
    let terms = [Some(&quad.subject), Some(&quad.predicate), Some(&quad.object), quad.graph.as_ref()];
    for term in terms.into_iter().flatten() {
        match term {
            Term::Iri(iri) => check_iri(iri)?,
            Term::Blank(label) if label.is_empty() => return Err(Error::malformed("a blank node label is empty")),
            Term::Blank(_) => {}
            Term::Literal { datatype, language, .. } => {
                check_iri(datatype)?;
                match language {
                    Some(tag) if datatype == RDF_LANG_STRING => check_language(tag)?,
                    None if datatype != RDF_LANG_STRING => {}
                    _ => return Err(Error::malformed("a language tag goes with rdf:langString, and only with it")),
                }
            }
        }
    }
    Ok(())
}

/// Appends `term` in canonical N-Quads form: IRIs as they are in `<>`, blank nodes as `_:label`,
/// literals quoted with the canonical escapes, `^^<datatype>` unless `xsd:string`, `@tag` for
/// `rdf:langString`.
pub fn write_term(out: &mut String, term: &Term) {
    match term {
        Term::Iri(iri) => {
            out.push('<');
            out.push_str(iri);
            out.push('>');
        }
        Term::Blank(label) => {
            out.push_str("_:");
            out.push_str(label);
        }
        Term::Literal { value, datatype, language } => {
            write_string(out, value);
            if let Some(tag) = language {
                out.push('@');
                out.push_str(tag);
            } else if datatype != XSD_STRING {
                out.push_str("^^<");
                out.push_str(datatype);
                out.push('>');
            }
        }
    }
}

/// Appends a quoted string with the escapes of canonical N-Quads: `\"`, `\\`, `\n`, `\r`, `\t`,
/// `\b`, `\f`; `\u00XX` (upper-case hex) for the other characters of U+0000-U+001F and for
/// U+007F; every other character as it is.
fn write_string(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{0}'..='\u{1f}' | '\u{7f}' => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                let n = c as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX[n >> 4]));
                out.push(char::from(HEX[n & 15]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends `quad` as one line of canonical N-Quads: terms separated by one space, then ` .` and
/// a line feed.
pub fn write_quad(out: &mut String, quad: &Quad) {
    write_term(out, &quad.subject);
    out.push(' ');
    write_term(out, &quad.predicate);
    out.push(' ');
    write_term(out, &quad.object);
    if let Some(graph) = &quad.graph {
        out.push(' ');
        write_term(out, graph);
    }
    out.push_str(" .\n");
}

/// `quads` in canonical N-Quads form, in the order given (RDFC-1.0's output is these lines
/// sorted; see [`crate::rdfc::canonicalize`]).
pub fn serialize(quads: &[Quad]) -> String {
    let mut out = String::new();
    for quad in quads {
        write_quad(&mut out, quad);
    }
    out
}

#[cfg(test)]
mod tests;
