//! The deep comparison behind `PAYLOAD_MISMATCH` (a signed payload must equal the body it travels
//! with); JSON input under limits is [`crate::json`].

use crate::error::{Error, Result};
use serde_json::{Map, Value};

/// The JWT registered claims (RFC 7519 section 4.1) that a JWT adds to the credential it signs.
pub const REGISTERED_CLAIMS: [&str; 7] = ["iat", "iss", "sub", "nbf", "exp", "jti", "aud"];

pub use crate::json::parse_object;

/// Numbers compare as JavaScript sees them: `1` and `1.0` are one value.
fn numbers_equal(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
        (Some(x), Some(y), _, _) => x == y,
        (_, _, Some(x), Some(y)) => x == y,
        _ => a.as_f64() == b.as_f64(),
    }
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// The path of the first difference between two values, or `None` when they are equal.
pub fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => objects_differ(x, y, &[], &[], path),
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(path.to_owned());
            }
            x.iter().zip(y).enumerate().find_map(|(i, (p, q))| first_difference(p, q, &format!("{path}[{i}]")))
        }
        (Value::Number(x), Value::Number(y)) => (!numbers_equal(x, y)).then(|| path.to_owned()),
        _ => (a != b).then(|| path.to_owned()),
    }
}

/// The path of the first difference between two objects, ignoring the keys in `skip_a` of `a`
/// and those in `skip_b` of `b`.
pub fn objects_differ(a: &Map<String, Value>, b: &Map<String, Value>, skip_a: &[&str], skip_b: &[&str], path: &str) -> Option<String> {
    for (k, v) in a {
        if skip_a.contains(&k.as_str()) {
            continue;
        }
        let shown = if skip_b.contains(&k.as_str()) { None } else { b.get(k) };
        match shown {
            Some(w) => {
                if let Some(p) = first_difference(v, w, &child(path, k)) {
                    return Some(p);
                }
            }
            None => return Some(child(path, k)),
        }
    }
    b.keys().find(|k| !skip_b.contains(&k.as_str()) && (skip_a.contains(&k.as_str()) || !a.contains_key(*k))).map(|k| child(path, k))
}

/// A field that must be a string when present.
///
/// # Errors
/// `MALFORMED_INPUT` at `name` when it is present and not a string.
pub fn opt_str<'a>(map: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>> {
    match map.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::malformed(format!("'{name}' must be a string")).at(name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use serde_json::json;

    #[test]
    fn limits() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert_eq!(parse_object(deep.as_bytes(), usize::MAX, 64).unwrap_err().code, ErrorCode::InputTooLarge);
        let deep_obj = format!("{}1{}", r#"{"a":"#.repeat(200), "}".repeat(200));
        // Over serde_json's own limit of 128, with a permissive max_depth: still INPUT_TOO_LARGE.
        assert_eq!(parse_object(deep_obj.as_bytes(), usize::MAX, 100_000).unwrap_err().code, ErrorCode::InputTooLarge);
        assert_eq!(parse_object(br#"{"a":"[[[["}"#, 100, 2).unwrap()["a"], "[[[[");
        assert_eq!(parse_object(br#"{"a":"\"[[["}"#, 100, 2).unwrap()["a"], "\"[[[");
        assert_eq!(parse_object(b"[]", 100, 2).unwrap_err().code, ErrorCode::MalformedInput);
        assert_eq!(parse_object(b"{", 100, 2).unwrap_err().code, ErrorCode::MalformedInput);
        assert_eq!(parse_object(b"{}", 1, 2).unwrap_err().code, ErrorCode::InputTooLarge);
    }

    #[test]
    fn differences() {
        let a = json!({"x": 1, "y": {"z": [1, 2, {"w": true}]}, "proof": 1});
        let b = json!({"x": 1.0, "y": {"z": [1, 2, {"w": false}]}});
        assert_eq!(first_difference(&a, &b, ""), Some("y.z[2].w".into()));
        let (Value::Object(a), Value::Object(b)) = (a, b) else { unreachable!() };
        assert_eq!(objects_differ(&a, &b, &["proof"], &["proof"], ""), Some("y.z[2].w".into()));
        let mut b2 = b.clone();
        b2["y"]["z"][2]["w"] = json!(true);
        assert_eq!(objects_differ(&a, &b2, &["proof"], &["proof"], ""), None);
        b2.insert("extra".into(), json!(null));
        assert_eq!(objects_differ(&a, &b2, &["proof"], &["proof"], "cs"), Some("cs.extra".into()));
    }
}
