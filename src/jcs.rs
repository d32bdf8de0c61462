//! JSON Canonicalization Scheme (RFC 8785): I-JSON input, ECMAScript number and string
//! serialization (RFC 8785 section 3.2.2), members sorted by UTF-16 code units (section 3.2.3).
//!
//! # Numbers
//! Every number is read as an IEEE 754 double, exactly as JavaScript reads it, and written with
//! ECMAScript `Number.prototype.toString` (via `ryu-js`): `1e+21`, `1e-7`, `-0` becomes `0`.
//! Integers beyond 2^53 are rounded to the nearest double, ties to even, as `JSON.parse` does:
//! `9007199254740993` canonicalizes to `9007199254740992`. Numbers out of the double range
//! (`1e400`) are rejected, as RFC 8785 section 3.2.2.2 requires for NaN and Infinity.
//!
//! # Why a writer of our own
//! `serde_jcs` serializes through serde's data model: it cannot reject duplicate members in
//! text (I-JSON, RFC 7493 section 2.3), has no nesting limit and its errors carry no code.
//! The writer below is small, appends to one `String` and reuses `ryu-js` (the ECMAScript
//! number formatter of the Boa engine) for the one part that is hard to get right.
//!
//! # Two paths, one output
//! JSON text is canonicalized in one pass ([`canonicalize_text_into`], [`canonicalize_str`],
//! [`canonicalize_elements`]): no tree is built, which halves the cost of the audit log's
//! append. Values already parsed go through [`write_canonical`]. Both give the same bytes and
//! the same error codes (`tests/jcs.rs` compares them on generated texts).

use crate::error::{Error, ErrorCode, Result};
use crate::limits::{MAX_JSON_DEPTH, MAX_MESSAGE_BYTES};
use core::cell::Cell;
use core::cmp::Ordering;
use core::fmt;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

mod text;
pub use text::{canonicalize_elements, canonicalize_text_into};

/// The RFC 8785 canonical form of `value`, nesting at most [`MAX_JSON_DEPTH`] deep.
///
/// # Errors
/// `INPUT_TOO_LARGE` past the nesting limit; `MALFORMED_INPUT` for a non-finite number.
pub fn canonicalize(value: &Value) -> Result<String> {
    let mut out = String::new();
    write_canonical(value, &mut out, MAX_JSON_DEPTH)?;
    Ok(out)
}

/// The RFC 8785 canonical form of JSON text, which must be I-JSON (no duplicate member names).
///
/// # Errors
/// `MALFORMED_INPUT` for invalid JSON, a duplicate member name, a lone surrogate or a number out
/// of the double range; `INPUT_TOO_LARGE` past [`MAX_MESSAGE_BYTES`] or [`MAX_JSON_DEPTH`].
///
/// ```
/// use credcore::jcs::canonicalize_str;
/// assert_eq!(canonicalize_str(r#"{"b": 1e21, "a": [-0, "\u00e9"]}"#).unwrap(), r#"{"a":[0,"é"],"b":1e+21}"#);
/// assert!(canonicalize_str(r#"{"a": 1, "a": 2}"#).is_err()); // duplicate keys (I-JSON)
/// ```
pub fn canonicalize_str(json_text: &str) -> Result<String> {
    check_text_len(json_text)?;
    let mut out = String::with_capacity(json_text.len());
    canonicalize_text_into(json_text, &mut out, MAX_JSON_DEPTH)?;
    Ok(out)
}

/// Appends the canonical form of `value` to `out`; containers may nest `max_depth` deep
/// (a scalar has depth 0, `[]` depth 1). On error `out` holds a partial result.
///
/// # Errors
/// As [`canonicalize`].
pub fn write_canonical(value: &Value, out: &mut String, max_depth: usize) -> Result<()> {
    write_value(value, out, max_depth)
}

/// Appends the canonical form of the object whose members are `members` (names unique): a
/// document without some of its members, or with one replaced, canonicalized without building
/// it. Member values may nest `max_depth - 1` deep.
///
/// # Errors
/// As [`canonicalize`].
pub fn write_members<'a>(members: impl IntoIterator<Item = (&'a str, &'a Value)>, out: &mut String, max_depth: usize) -> Result<()> {
    let depth_left = max_depth.checked_sub(1).ok_or_else(too_deep)?;
    let mut members: Vec<(&str, &Value)> = members.into_iter().collect();
    members.sort_unstable_by(|a, b| cmp_utf16(a.0, b.0));
    out.push('{');
    for (i, (name, item)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(name, out);
        out.push(':');
        write_value(item, out, depth_left)?;
    }
    out.push('}');
    Ok(())
}

/// Parses JSON text strictly: I-JSON (duplicate member names rejected), containers nested at
/// most `max_depth` deep, text at most [`MAX_MESSAGE_BYTES`] long.
///
/// # Errors
/// As [`canonicalize_str`].
pub fn parse_strict(json_text: &str, max_depth: usize) -> Result<Value> {
    check_text_len(json_text)?;
    let fault = Cell::new(None);
    let mut de = serde_json::Deserializer::from_str(json_text);
    let parsed = StrictSeed { depth_left: max_depth, fault: &fault }.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    parsed.map_err(|e| {
        let code = match fault.get() {
            Some(code) => code,
            // serde_json's own recursion guard (128 levels) when max_depth is set above it.
            None if e.to_string().starts_with("recursion limit exceeded") => ErrorCode::InputTooLarge,
            None => ErrorCode::MalformedInput,
        };
        Error::new(code, format!("invalid JSON: {e}"))
    })
}

fn check_text_len(json_text: &str) -> Result<()> {
    if json_text.len() > MAX_MESSAGE_BYTES {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!("JSON text is {} bytes, over the limit of {MAX_MESSAGE_BYTES}", json_text.len()),
        ));
    }
    Ok(())
}

/// Appends the ECMAScript `Number.prototype.toString` form of a finite double to `out`.
///
/// # Errors
/// `MALFORMED_INPUT` for NaN and infinities, which RFC 8785 section 3.2.2.2 excludes.
pub fn write_number(n: f64, out: &mut String) -> Result<()> {
    if !n.is_finite() {
        return Err(Error::malformed("NaN and Infinity have no JSON form (RFC 8785 section 3.2.2.2)"));
    }
    let mut buf = ryu_js::Buffer::new();
    out.push_str(buf.format_finite(n));
    Ok(())
}

fn too_deep() -> Error {
    Error::new(ErrorCode::InputTooLarge, format!("JSON nests deeper than {MAX_JSON_DEPTH} levels"))
}

fn write_value(value: &Value, out: &mut String, depth_left: usize) -> Result<()> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => write_json_number(n, out)?,
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            let depth_left = depth_left.checked_sub(1).ok_or_else(too_deep)?;
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out, depth_left)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            let depth_left = depth_left.checked_sub(1).ok_or_else(too_deep)?;
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            // Names are unique in a map, so an unstable sort is deterministic.
            members.sort_unstable_by(|a, b| cmp_utf16(a.0, b.0));
            out.push('{');
            for (i, (name, item)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(name, out);
                out.push(':');
                write_value(item, out, depth_left)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

fn write_json_number(n: &Number, out: &mut String) -> Result<()> {
    // Integers inside the exact range of a double print the same in every representation;
    // `as f64` on larger ones rounds to nearest, ties to even, which is what JSON.parse does.
    let f = if let Some(u) = n.as_u64() {
        u as f64
    } else if let Some(i) = n.as_i64() {
        i as f64
    } else {
        n.as_f64().ok_or_else(|| Error::malformed("number is not representable as a double"))?
    };
    write_number(f, out)
}

/// JSON.stringify's string form (ECMAScript QuoteJSONString): the short escapes, `\u00xx` in
/// lowercase for other control characters, everything else (including `/` and non-ASCII) as is.
fn write_string(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut start = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0c => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x00..=0x1f => "",
            _ => continue,
        };
        // `i` is at an ASCII byte, hence a char boundary.
        if let Some(run) = s.get(start..i) {
            out.push_str(run);
        }
        if short.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        } else {
            out.push_str(short);
        }
        start = i + 1;
    }
    if let Some(run) = s.get(start..) {
        out.push_str(run);
    }
    out.push('"');
}

/// Orders strings by their UTF-16 code units (RFC 8785 section 3.2.3).
///
/// UTF-8 byte order is code point order, which agrees with UTF-16 order except where a
/// supplementary character (a surrogate pair, 0xD800..) meets one in U+E000..U+FFFF. After a
/// common prefix the first differing bytes are either both inside characters with the same
/// lead byte (same range, so byte order holds) or both lead bytes: only leads 0xEE/0xEF
/// (U+E000..U+FFFF) against 0xF0..0xF4 (supplementary) reverse.
pub fn cmp_utf16(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    loop {
        match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) if x == y => i += 1,
            (Some(&x), Some(&y)) => {
                return match (x >= 0xF0, y >= 0xF0) {
                    (true, false) if y >= 0xEE => Ordering::Less,
                    (false, true) if x >= 0xEE => Ordering::Greater,
                    _ => x.cmp(&y),
                };
            }
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
        }
    }
}

/// Builds a `Value` while rejecting duplicate member names and nesting past a limit.
#[derive(Clone, Copy)]
struct StrictSeed<'a> {
    depth_left: usize,
    fault: &'a Cell<Option<ErrorCode>>,
}

impl StrictSeed<'_> {
    fn child<E: serde::de::Error>(&self) -> Result<Self, E> {
        match self.depth_left.checked_sub(1) {
            Some(depth_left) => Ok(StrictSeed { depth_left, fault: self.fault }),
            None => {
                self.fault.set(Some(ErrorCode::InputTooLarge));
                Err(E::custom(format_args!("JSON nests deeper than the limit")))
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for StrictSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v).map(Value::Number).ok_or_else(|| E::custom("number out of range"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let child = self.child()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(child)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let child = self.child()?;
        let mut members = Map::new();
        while let Some(name) = map.next_key::<String>()? {
            if members.contains_key(&name) {
                return Err(serde::de::Error::custom(format_args!("duplicate member name {name:?} (RFC 8785 requires I-JSON)")));
            }
            let item = map.next_value_seed(child)?;
            members.insert(name, item);
        }
        Ok(Value::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn code(r: Result<String>) -> Option<ErrorCode> {
        r.err().map(|e| e.code)
    }

    #[test]
    fn numbers_follow_ecmascript() {
        assert_eq!(
            canonicalize_str("[-0, 0.0, 1e21, 1e20, 1e-7, 0.000001, 1E2, 9007199254740993]").ok().as_deref(),
            Some("[0,0,1e+21,100000000000000000000,1e-7,0.000001,100,9007199254740992]")
        );
        assert_eq!(canonicalize_str("-9223372036854775809").ok().as_deref(), Some("-9223372036854776000"));
        assert_eq!(code(canonicalize_str("1e400")), Some(ErrorCode::MalformedInput));
        let mut s = String::new();
        assert_eq!(write_number(f64::NAN, &mut s).map_err(|e| e.code), Err(ErrorCode::MalformedInput));
        assert_eq!(write_number(f64::NEG_INFINITY, &mut s).map_err(|e| e.code), Err(ErrorCode::MalformedInput));
    }

    #[test]
    fn strings_escape_like_json_stringify() {
        let v = json!("\u{0}\u{1f}\u{7f}\"\\/\u{8}\u{c}\n\r\té\u{2028}😂");
        assert_eq!(canonicalize(&v).ok().as_deref(), Some("\"\\u0000\\u001f\u{7f}\\\"\\\\/\\b\\f\\n\\r\\té\u{2028}😂\""));
        assert_eq!(code(canonicalize_str("\"\\ud800\"")), Some(ErrorCode::MalformedInput));
    }

    #[test]
    fn utf16_order_matches_encode_utf16() {
        let chars = [
            '\0',
            'a',
            'z',
            '\u{7f}',
            '\u{80}',
            '\u{7ff}',
            '\u{800}',
            '\u{d7ff}',
            '\u{e000}',
            '\u{fb33}',
            '\u{ffff}',
            '\u{10000}',
            '\u{1f602}',
            '\u{10ffff}',
        ];
        let mut words = vec![String::new()];
        for &c in &chars {
            for &d in &chars {
                words.push(format!("{c}"));
                words.push(format!("{c}{d}"));
                words.push(format!("x{c}{d}y"));
            }
        }
        for a in &words {
            for b in &words {
                assert_eq!(cmp_utf16(a, b), a.encode_utf16().cmp(b.encode_utf16()), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn members_sort_by_utf16_code_units() {
        // U+FB33 (one unit 0xFB33) sorts after U+1F602 (units 0xD83D 0xDE02) in UTF-16,
        // although its code point is smaller.
        let v = json!({"\u{fb33}": 1, "\u{1f602}": 2, "b": 3, "a": 4, "": 5, "ab": 6, "\u{80}": 7});
        assert_eq!(canonicalize(&v).ok().as_deref(), Some("{\"\":5,\"a\":4,\"ab\":6,\"b\":3,\"\u{80}\":7,\"\u{1f602}\":2,\"\u{fb33}\":1}"));
        assert_eq!(cmp_utf16("\u{1f602}", "\u{1f603}"), Ordering::Less);
        assert_eq!(cmp_utf16("\u{10000}", "\u{ffff}"), Ordering::Less);
        assert_eq!(cmp_utf16("é", "é"), Ordering::Equal);
    }

    #[test]
    fn duplicate_members_are_rejected_at_any_depth() {
        assert_eq!(code(canonicalize_str(r#"{"a":1,"a":1}"#)), Some(ErrorCode::MalformedInput));
        assert_eq!(code(canonicalize_str(r#"[{"x":{"a":1,"b":2,"a":3}}]"#)), Some(ErrorCode::MalformedInput));
        // Escaped and literal spellings of one name are the same name.
        assert_eq!(code(canonicalize_str(r#"{"a":1,"\u0061":2}"#)), Some(ErrorCode::MalformedInput));
        assert_eq!(canonicalize_str(r#"{"a":{"a":1}}"#).ok().as_deref(), Some(r#"{"a":{"a":1}}"#));
    }

    #[test]
    fn depth_limit_gives_input_too_large() {
        let ok = format!("{}{}", "[".repeat(MAX_JSON_DEPTH), "]".repeat(MAX_JSON_DEPTH));
        assert_eq!(canonicalize_str(&ok).ok(), Some(ok.clone()));
        let deep = format!("{}{}", "[".repeat(MAX_JSON_DEPTH + 1), "]".repeat(MAX_JSON_DEPTH + 1));
        assert_eq!(code(canonicalize_str(&deep)), Some(ErrorCode::InputTooLarge));
        let deeper = "[".repeat(100_000);
        assert_eq!(code(canonicalize_str(&deeper)), Some(ErrorCode::InputTooLarge));
        assert_eq!(parse_strict(&"[".repeat(200), 1000).map_err(|e| e.code), Err(ErrorCode::InputTooLarge));
        let mut v = json!(1);
        for _ in 0..=MAX_JSON_DEPTH {
            v = json!({ "k": v });
        }
        assert_eq!(code(canonicalize(&v)), Some(ErrorCode::InputTooLarge));
    }

    #[test]
    fn bad_text_is_malformed() {
        for text in ["", "{", "[1,]", "{\"a\":1} x", "NaN", "'a'", "01"] {
            assert_eq!(code(canonicalize_str(text)), Some(ErrorCode::MalformedInput), "{text}");
        }
        assert_eq!(canonicalize_str(" { \"b\" : [ true , null ] , \"a\" : \"x\" } ").ok().as_deref(), Some(r#"{"a":"x","b":[true,null]}"#));
    }
}
