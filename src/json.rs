//! JSON input under limits (RFC 8259 text): bounded size, nesting and number of values, checked
//! by one scan of the bytes before the parser sees them, so that neither deep input (recursion)
//! nor dense input (a megabyte of `0,0,0,...` is half a million values, about 50 bytes of memory
//! each once parsed) can exhaust the stack or the heap.

use crate::error::{Error, ErrorCode, Result};
use crate::limits::MAX_JSON_VALUES;
use serde_json::{Map, Value};

/// Why a scan refused JSON text.
enum Over {
    Depth,
    Values,
}

/// Scans JSON text outside its strings: deeper than `max_depth`, or more than `max_values` values
/// (counted from the separators and openers that can start one: `[`, `{`, `,`, `:`; an upper
/// bound), stops early with the reason.
fn scan(bytes: &[u8], max_depth: usize, max_values: usize) -> Option<Over> {
    let (mut depth, mut values, mut in_string, mut escaped) = (0usize, 1usize, false, false);
    for &b in bytes {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                values += 1;
                if depth > max_depth {
                    return Some(Over::Depth);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' | b':' => values += 1,
            _ => continue,
        }
        if values > max_values {
            return Some(Over::Values);
        }
    }
    None
}

/// Parses JSON text that must be an object, under a size, a nesting and a value-count limit
/// ([`MAX_JSON_VALUES`]).
///
/// # Errors
/// `INPUT_TOO_LARGE` over `max_bytes`, deeper than `max_depth` (also when serde_json's own
/// recursion limit trips) or with too many values; `MALFORMED_INPUT` for invalid JSON or a value
/// that is not an object.
pub fn parse_object(bytes: &[u8], max_bytes: usize, max_depth: usize) -> Result<Map<String, Value>> {
    match parse(bytes, max_bytes, max_depth)? {
        Value::Object(m) => Ok(m),
        _ => Err(Error::malformed("expected a JSON object")),
    }
}

/// Parses any JSON value under the limits of [`parse_object`].
///
/// # Errors
/// As [`parse_object`], without the object requirement.
pub fn parse(bytes: &[u8], max_bytes: usize, max_depth: usize) -> Result<Value> {
    if bytes.len() > max_bytes {
        return Err(Error::new(ErrorCode::InputTooLarge, format!("JSON of {} bytes is over the limit of {max_bytes}", bytes.len())));
    }
    match scan(bytes, max_depth, MAX_JSON_VALUES) {
        Some(Over::Depth) => return Err(Error::new(ErrorCode::InputTooLarge, format!("JSON nesting is deeper than {max_depth}"))),
        Some(Over::Values) => return Err(Error::new(ErrorCode::InputTooLarge, format!("JSON with more than {MAX_JSON_VALUES} values"))),
        None => {}
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v) => Ok(v),
        Err(e) if e.to_string().contains("recursion limit") => {
            Err(Error::new(ErrorCode::InputTooLarge, "JSON nesting is deeper than the parser allows"))
        }
        Err(e) => Err(Error::malformed(format!("invalid JSON: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits() {
        assert!(parse_object(br#"{"a":[1,2,{"b":"[[[,,,"}]}"#, 1000, 3).is_ok());
        assert_eq!(parse_object(br#"{"a":[[[1]]]}"#, 1000, 3).map_err(|e| e.code), Err(ErrorCode::InputTooLarge));
        let dense = format!("{{\"a\":[{}0]}}", "0,".repeat(MAX_JSON_VALUES));
        assert_eq!(parse_object(dense.as_bytes(), 1 << 24, 64).map_err(|e| e.code), Err(ErrorCode::InputTooLarge));
        let fine = format!("{{\"a\":[{}0]}}", "0,".repeat(MAX_JSON_VALUES - 10));
        assert!(parse_object(fine.as_bytes(), 1 << 24, 64).is_ok());
        // Separators inside strings are not values.
        let text = format!("{{\"a\":\"{}\"}}", ",".repeat(MAX_JSON_VALUES * 2));
        assert!(parse_object(text.as_bytes(), 1 << 24, 64).is_ok());
        assert_eq!(parse_object(b"[1]", 100, 4).map_err(|e| e.code), Err(ErrorCode::MalformedInput));
        assert_eq!(parse_object(b"{", 100, 4).map_err(|e| e.code), Err(ErrorCode::MalformedInput));
    }
}
