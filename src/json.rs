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
/// bound), stops early with the reason. A string is skipped to its closing quote in one search
/// (only `\`, which escapes the byte after it, and `"` matter there): every JWT header and
/// payload comes through here, and most of their bytes are inside strings.
fn scan(bytes: &[u8], max_depth: usize, max_values: usize) -> Option<Over> {
    let (mut depth, mut values, mut i) = (0usize, 1usize, 0usize);
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            b'"' => loop {
                // An unterminated string (or a lone `\` at the end) ends the scan: the parser
                // reports it.
                let rest = bytes.get(i..)?;
                let k = rest.iter().position(|&c| c == b'"' || c == b'\\')?;
                let quote = rest.get(k) == Some(&b'"');
                i += k + 1;
                if quote {
                    break;
                }
                i += 1;
            },
            b => {
                if let Some(over) = count(b, &mut depth, &mut values, max_depth, max_values) {
                    return Some(over);
                }
            }
        }
    }
    None
}

/// Counts one byte outside strings into `depth` and `values`; the reason when a limit is passed.
fn count(b: u8, depth: &mut usize, values: &mut usize, max_depth: usize, max_values: usize) -> Option<Over> {
    match b {
        b'[' | b'{' => {
            *depth += 1;
            *values += 1;
            if *depth > max_depth {
                return Some(Over::Depth);
            }
        }
        b']' | b'}' => *depth = depth.saturating_sub(1),
        b',' | b':' => *values += 1,
        _ => return None,
    }
    (*values > max_values).then_some(Over::Values)
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

    /// The byte-at-a-time scan of strings that `scan` replaced, as the oracle it must agree with.
    fn scan_bytewise(bytes: &[u8], max_depth: usize, max_values: usize) -> Option<Over> {
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
            if b == b'"' {
                in_string = true;
            } else if let Some(over) = count(b, &mut depth, &mut values, max_depth, max_values) {
                return Some(over);
            }
        }
        None
    }

    fn reason(o: Option<Over>) -> u8 {
        match o {
            None => 0,
            Some(Over::Depth) => 1,
            Some(Over::Values) => 2,
        }
    }

    #[test]
    fn scan_agrees_with_the_bytewise_scan() {
        // Every string over a small alphabet of the bytes that matter, up to length 6, and
        // longer texts from a fixed generator: the same verdict for each limit.
        let alphabet = br#""\[]{},:a"#;
        let mut texts: Vec<Vec<u8>> = vec![Vec::new()];
        let mut level: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..6 {
            level = level.iter().flat_map(|t| alphabet.iter().map(move |&c| [t.as_slice(), &[c]].concat())).collect();
            texts.extend(level.iter().cloned());
        }
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2000 {
            let len = (x % 200) as usize;
            let mut t = Vec::with_capacity(len);
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                t.push(alphabet[(x % alphabet.len() as u64) as usize]);
            }
            texts.push(t);
        }
        for t in &texts {
            for (depth, values) in [(2, 3), (3, 100), (64, 5), (64, 100_000)] {
                assert_eq!(reason(scan(t, depth, values)), reason(scan_bytewise(t, depth, values)), "{:?}", String::from_utf8_lossy(t));
            }
        }
    }

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
