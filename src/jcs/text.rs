//! RFC 8785 canonicalization straight from RFC 8259 JSON text, in one pass: the text is parsed
//! and its canonical form written as parsing goes, without building a `serde_json::Value`.
//!
//! It agrees byte for byte, and error code for error code, with parsing through
//! [`super::parse_strict`] and writing through [`super::write_canonical`]:
//! - strings are unescaped and re-escaped as `JSON.stringify` does; a lone surrogate escape
//!   (`"\ud800"`) is `MALFORMED_INPUT`, as serde_json reads it when it parses into `String`;
//! - numbers are validated against the RFC 8259 grammar, then read as the nearest double
//!   (`str::parse::<f64>`, round to nearest, ties to even, as `JSON.parse` reads them) and
//!   written with `ryu-js`; integers of at most 15 digits print as written, except `-0`;
//! - members are collected as (decoded name, canonical member text), sorted by UTF-16 code
//!   units and emitted; a repeated name is `MALFORMED_INPUT` (I-JSON, RFC 7493 section 2.3);
//! - containers nested deeper than the limit are `INPUT_TOO_LARGE`. Where a text both repeats
//!   a name and nests too deep, the error the tree path meets first in text order wins.

// Over 500 lines on purpose: one recursive-descent `Parser`, its methods sharing one cursor.

use super::{cmp_utf16, write_number, write_string};
use crate::error::{Error, ErrorCode, Result};
use core::cmp::Ordering;

/// Deepest container nesting serde_json's parser accepts: its recursion guard stops at 128
/// levels whatever the caller's limit, so this path stops at the same place.
const PARSER_DEPTH_CAP: usize = 127;

/// Appends the RFC 8785 canonical form of JSON text to `out`; containers may nest `max_depth`
/// deep (a scalar has depth 0, `[]` depth 1; never more than 127). On error `out` holds a
/// partial result. The text's length is the caller's to limit.
///
/// # Errors
/// `MALFORMED_INPUT` for text that is not JSON (trailing characters, `NaN`, a raw control
/// character in a string, a bad escape, a lone surrogate), a repeated member name or a number
/// out of the double range; `INPUT_TOO_LARGE` past `max_depth`.
///
/// ```
/// use credcore::jcs::canonicalize_text_into;
/// let mut out = String::new();
/// canonicalize_text_into(r#"{"b": 1e21, "a": [-0, "\u00e9"]}"#, &mut out, 8).unwrap();
/// assert_eq!(out, r#"{"a":[0,"é"],"b":1e+21}"#);
/// ```
pub fn canonicalize_text_into(text: &str, out: &mut String, max_depth: usize) -> Result<()> {
    let mut parser = Parser::new(text);
    parser.skip_ws();
    parser.value(out, max_depth.min(PARSER_DEPTH_CAP))?;
    parser.end()
}

/// Canonicalizes the elements of a JSON array text one after the other, handing each one's
/// canonical form to `each` with its index; elements may nest `max_depth` deep (the array
/// itself not counted). Returns the number of elements. Nothing is allocated per element.
///
/// # Errors
/// As [`canonicalize_text_into`], located at the element's index (`[3]`); `MALFORMED_INPUT`
/// when the text is not an array; whatever `each` returns.
///
/// ```
/// use credcore::jcs::canonicalize_elements;
/// let mut seen = Vec::new();
/// let n = canonicalize_elements(r#"[{"b":2,"a":1}, 1.0]"#, 8, |i, c| {
///     seen.push(format!("{i}:{c}"));
///     Ok(())
/// }).unwrap();
/// assert_eq!((n, seen), (2, vec![r#"0:{"a":1,"b":2}"#.to_owned(), "1:1".to_owned()]));
/// ```
pub fn canonicalize_elements(text: &str, max_depth: usize, mut each: impl FnMut(usize, &str) -> Result<()>) -> Result<usize> {
    let mut parser = Parser::new(text);
    let depth = max_depth.min(PARSER_DEPTH_CAP - 1);
    let mut scratch = String::new();
    parser.skip_ws();
    if parser.bump() != Some(b'[') {
        return Err(parser.error("expected a JSON array"));
    }
    parser.skip_ws();
    let mut count = 0;
    if parser.peek() == Some(b']') {
        parser.pos += 1;
    } else {
        loop {
            scratch.clear();
            parser.value(&mut scratch, depth).map_err(|e| e.at(format!("[{count}]")))?;
            each(count, &scratch)?;
            count += 1;
            parser.skip_ws();
            match parser.bump() {
                Some(b',') => parser.skip_ws(),
                Some(b']') => break,
                _ => return Err(parser.error("expected ',' or ']' after an array element")),
            }
        }
    }
    parser.end()?;
    Ok(count)
}

/// Where a member name's decoded text lives.
#[derive(Clone, Copy)]
enum Name {
    /// In the input, between these byte offsets: the name had no escapes, so its raw text is
    /// both its decoded and its canonical form.
    Raw(usize, usize),
    /// In [`Parser::names`], between these byte offsets, decoded from escapes.
    Decoded(usize, usize),
}

/// One member of an object being written: its name and where its canonical `"name":value`
/// text sits in the output.
#[derive(Clone, Copy)]
struct Member {
    name: Name,
    start: usize,
    end: usize,
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    /// Decoded names of the open objects' members that had escapes (a stack: each object
    /// truncates it back when it closes).
    names: String,
    /// Members of the open objects, innermost last (a stack, as `names`).
    members: Vec<Member>,
    /// Scratch for reordering one object's members.
    reorder: String,
}

#[inline]
fn name_of<'a>(text: &'a str, names: &'a str, name: Name) -> &'a str {
    match name {
        Name::Raw(a, b) => text.get(a..b),
        Name::Decoded(a, b) => names.get(a..b),
    }
    .unwrap_or_default()
}

/// The end of the run of string bytes from `i` that need no attention: not `"`, `\\` nor a
/// control character. Eight bytes at a time while no byte of the word can end the run (the
/// zero-byte tests below have no false negatives), then byte by byte.
#[inline]
fn plain_run(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    while let Some(word) = bytes.get(i..i.saturating_add(8)).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
        let w = u64::from_le_bytes(word);
        let quote = w ^ (ONES * u64::from(b'"'));
        let backslash = w ^ (ONES * u64::from(b'\\'));
        let stop = (quote.wrapping_sub(ONES) & !quote) | (backslash.wrapping_sub(ONES) & !backslash) | (w.wrapping_sub(ONES * 0x20) & !w);
        if stop & HIGHS != 0 {
            break;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        i += 1;
    }
    i
}

fn too_deep() -> Error {
    Error::new(ErrorCode::InputTooLarge, "JSON nests deeper than the limit")
}

/// Appends a character decoded from an escape as `JSON.stringify` writes it.
fn push_escaped(c: char, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\0'..='\u{1f}' => {
            let b = c as u8;
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
        _ => out.push(c),
    }
}

impl<'t> Parser<'t> {
    fn new(text: &'t str) -> Self {
        Parser { text, bytes: text.as_bytes(), pos: 0, names: String::new(), members: Vec::new(), reorder: String::new() }
    }

    fn error(&self, what: &str) -> Error {
        Error::malformed(format!("invalid JSON at byte {}: {what}", self.pos))
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[inline]
    fn bump(&mut self) -> Option<u8> {
        let b = self.peek();
        if b.is_some() {
            self.pos += 1;
        }
        b
    }

    #[inline]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn end(&mut self) -> Result<()> {
        self.skip_ws();
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error("trailing characters after the JSON value")),
        }
    }

    /// The input between two offsets that sit at ASCII bytes (hence char boundaries).
    #[inline]
    fn slice(&self, start: usize, end: usize) -> &'t str {
        self.text.get(start..end).unwrap_or_default()
    }

    fn value(&mut self, out: &mut String, depth_left: usize) -> Result<()> {
        match self.peek() {
            Some(b'{') => self.object(out, depth_left),
            Some(b'[') => self.array(out, depth_left),
            Some(b'"') => {
                // A string without escapes is its own canonical form, quotes included.
                let start = self.pos;
                let run = plain_run(self.bytes, start + 1);
                if self.bytes.get(run) == Some(&b'"') {
                    self.pos = run + 1;
                    out.push_str(self.slice(start, self.pos));
                    return Ok(());
                }
                self.pos = start + 1;
                out.push('"');
                self.string(out, true)?;
                out.push('"');
                Ok(())
            }
            Some(b't') => self.literal("true", out),
            Some(b'f') => self.literal("false", out),
            Some(b'n') => self.literal("null", out),
            Some(b'-' | b'0'..=b'9') => self.number(out),
            Some(_) => Err(self.error("expected a JSON value")),
            None => Err(self.error("unexpected end of text")),
        }
    }

    fn literal(&mut self, word: &'static str, out: &mut String) -> Result<()> {
        if self.text.get(self.pos..).is_some_and(|rest| rest.starts_with(word)) {
            self.pos += word.len();
            out.push_str(word);
            Ok(())
        } else {
            Err(self.error("expected a JSON value"))
        }
    }

    #[inline]
    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    /// RFC 8259 section 6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self, out: &mut String) -> Result<()> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let int_digits = match self.bump() {
            Some(b'0') => 1,
            Some(b'1'..=b'9') => 1 + self.digits(),
            _ => return Err(self.error("invalid number")),
        };
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error("invalid number: no digit after the decimal point"));
            }
            integer = false;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number: no digit in the exponent"));
            }
            integer = false;
        }
        let literal = self.slice(start, self.pos);
        // Up to 15 digits an integer is exact in a double, and ECMAScript prints it as written.
        if integer && int_digits <= 15 {
            out.push_str(if literal == "-0" { "0" } else { literal });
            return Ok(());
        }
        match literal.parse::<f64>() {
            Ok(n) if n.is_finite() => write_number(n, out),
            _ => Err(self.error("number out of the range of a double")),
        }
    }

    /// Reads a string's content after its opening quote, through its closing quote: re-escaped
    /// as `JSON.stringify` writes it (`escaped`) or decoded.
    fn string(&mut self, out: &mut String, escaped: bool) -> Result<()> {
        loop {
            let start = self.pos;
            self.pos = plain_run(self.bytes, start);
            // Unescaped text needs no escape in canonical form either.
            out.push_str(self.slice(start, self.pos));
            match self.bump() {
                Some(b'"') => return Ok(()),
                Some(b'\\') => {
                    let c = self.escape()?;
                    if escaped {
                        push_escaped(c, out);
                    } else {
                        out.push(c);
                    }
                }
                Some(_) => {
                    self.pos -= 1;
                    return Err(self.error("control character in a string"));
                }
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32> {
        let mut n = 0;
        for _ in 0..4 {
            let digit = match self.bump() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.error("invalid \\u escape")),
            };
            n = (n << 4) | u32::from(digit);
        }
        Ok(n)
    }

    /// Decodes an escape after its backslash. Surrogates must pair up: a string of Unicode
    /// scalar values is what `String` holds and what I-JSON (RFC 7493 section 2.1) requires.
    fn escape(&mut self) -> Result<char> {
        let c = match self.bump() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let high = self.hex4()?;
                let code = match high {
                    0xD800..=0xDBFF => {
                        if self.bump() != Some(b'\\') || self.bump() != Some(b'u') {
                            return Err(self.error("lone surrogate in a \\u escape"));
                        }
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(self.error("lone surrogate in a \\u escape"));
                        }
                        0x1_0000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    }
                    _ => high,
                };
                return char::from_u32(code).ok_or_else(|| self.error("lone surrogate in a \\u escape"));
            }
            _ => return Err(self.error("invalid escape")),
        };
        Ok(c)
    }

    fn array(&mut self, out: &mut String, depth_left: usize) -> Result<()> {
        let depth_left = depth_left.checked_sub(1).ok_or_else(too_deep)?;
        self.pos += 1;
        out.push('[');
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            out.push(']');
            return Ok(());
        }
        loop {
            self.value(out, depth_left)?;
            self.skip_ws();
            match self.bump() {
                Some(b',') => {
                    out.push(',');
                    self.skip_ws();
                }
                Some(b']') => {
                    out.push(']');
                    return Ok(());
                }
                _ => return Err(self.error("expected ',' or ']' in an array")),
            }
        }
    }

    fn object(&mut self, out: &mut String, depth_left: usize) -> Result<()> {
        let depth_left = depth_left.checked_sub(1).ok_or_else(too_deep)?;
        self.pos += 1;
        out.push('{');
        let first = self.members.len();
        let names_mark = self.names.len();
        let body = out.len();
        let read = self.members_into(out, depth_left, first).and_then(|()| self.sort_members(out, first, body));
        let read = match read {
            // The tree path rejects a repeated name as soon as it reads it, so a repeat before
            // the point that nests too deep is the error it reports.
            Err(e) if e.code == ErrorCode::InputTooLarge && self.has_repeat(first) => {
                Err(Error::malformed("duplicate member name (RFC 8785 requires I-JSON)"))
            }
            other => other,
        };
        // Inner objects leave the stacks as they found them, even on error, so that an outer
        // object looking for a repeat sees only its own members.
        self.members.truncate(first);
        self.names.truncate(names_mark);
        read?;
        out.push('}');
        Ok(())
    }

    fn members_into(&mut self, out: &mut String, depth_left: usize, first: usize) -> Result<()> {
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            if self.bump() != Some(b'"') {
                return Err(self.error("expected a member name"));
            }
            let name = self.name()?;
            self.skip_ws();
            if self.bump() != Some(b':') {
                return Err(self.error("expected ':' after a member name"));
            }
            self.skip_ws();
            if self.members.len() > first {
                out.push(',');
            }
            let start = out.len();
            match name {
                // The name as written, quotes included, is canonical when it has no escapes.
                Name::Raw(a, b) => out.push_str(self.slice(a.saturating_sub(1), b + 1)),
                Name::Decoded(..) => write_string(name_of(self.text, &self.names, name), out),
            }
            out.push(':');
            self.members.push(Member { name, start, end: start });
            self.value(out, depth_left)?;
            if let Some(member) = self.members.last_mut() {
                member.end = out.len();
            }
            self.skip_ws();
            match self.bump() {
                Some(b',') => self.skip_ws(),
                Some(b'}') => return Ok(()),
                _ => return Err(self.error("expected ',' or '}' in an object")),
            }
        }
    }

    /// Reads a member name after its opening quote. A name without escapes stays in the input.
    fn name(&mut self) -> Result<Name> {
        let start = self.pos;
        self.pos = plain_run(self.bytes, start);
        if self.peek() == Some(b'"') {
            self.pos += 1;
            return Ok(Name::Raw(start, self.pos - 1));
        }
        self.pos = start;
        let mut names = core::mem::take(&mut self.names);
        let mark = names.len();
        let read = self.string(&mut names, false);
        let end = names.len();
        self.names = names;
        read.map(|()| Name::Decoded(mark, end))
    }

    /// Whether two of the members from `first` on share a name.
    fn has_repeat(&mut self, first: usize) -> bool {
        let Parser { text, names, members, .. } = self;
        let Some(open) = members.get_mut(first..) else {
            return false;
        };
        open.sort_unstable_by(|a, b| cmp_utf16(name_of(text, names, a.name), name_of(text, names, b.name)));
        open.windows(2).any(|pair| match pair {
            [a, b] => name_of(text, names, a.name) == name_of(text, names, b.name),
            _ => false,
        })
    }

    /// Puts the members written since `body` in order of their names' UTF-16 code units
    /// (RFC 8785 section 3.2.3), rejecting a repeated name.
    fn sort_members(&mut self, out: &mut String, first: usize, body: usize) -> Result<()> {
        let Parser { text, names, members, reorder, .. } = self;
        let Some(open) = members.get_mut(first..) else {
            return Ok(());
        };
        let order = |a: &Member, b: &Member| cmp_utf16(name_of(text, names, a.name), name_of(text, names, b.name));
        let mut in_order = true;
        for pair in open.windows(2) {
            if let [a, b] = pair {
                match order(a, b) {
                    Ordering::Less => {}
                    Ordering::Equal => return Err(duplicate(name_of(text, names, a.name))),
                    Ordering::Greater => in_order = false,
                }
            }
        }
        if in_order {
            return Ok(());
        }
        open.sort_unstable_by(order);
        for pair in open.windows(2) {
            if let [a, b] = pair {
                if order(a, b) == Ordering::Equal {
                    return Err(duplicate(name_of(text, names, a.name)));
                }
            }
        }
        reorder.clear();
        reorder.push_str(out.get(body..).unwrap_or_default());
        out.truncate(body);
        for (i, member) in open.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let text = reorder.get(member.start.saturating_sub(body)..member.end.saturating_sub(body)).unwrap_or_default();
            out.push_str(text);
        }
        Ok(())
    }
}

fn duplicate(name: &str) -> Error {
    Error::malformed(format!("duplicate member name {name:?} (RFC 8785 requires I-JSON)"))
}
