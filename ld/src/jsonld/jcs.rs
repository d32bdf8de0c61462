//! RFC 8785 JSON Canonicalization for `@json` literals (JSON-LD 1.1 API §8.6 step 7). The main
//! crate has its own JCS; this crate depends on nothing of it so that it can be built into its
//! own wasm module, and the tree form here is twenty lines over `ryu-js`.

use serde_json::Value;

/// The canonical text of `value`.
pub(crate) fn canonicalize(value: &Value) -> String {
    let mut out = String::new();
    write(value, &mut out);
    out
}

fn write(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) if i.unsigned_abs() < (1 << 53) => out.push_str(&i.to_string()),
            (_, Some(u), _) if u < (1 << 53) => out.push_str(&u.to_string()),
            (_, _, Some(f)) => out.push_str(ryu_js::Buffer::new().format(f)),
            _ => out.push_str("null"),
        },
        Value::String(s) => write_string(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(v, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            // Keys sort by their UTF-16 code units (RFC 8785 §3.2.3).
            let mut keys: Vec<(&String, Vec<u16>)> = m.keys().map(|k| (k, k.encode_utf16().collect())).collect();
            keys.sort_by(|a, b| a.1.cmp(&b.1));
            out.push('{');
            for (i, (k, _)) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                if let Some(v) = m.get(k.as_str()) {
                    write(v, out);
                }
            }
            out.push('}');
        }
    }
}

/// A string as ECMAScript's `JSON.stringify` writes it.
fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8785 §3.2.2 and §3.2.3 examples.
    #[test]
    fn rfc8785_examples() {
        let v: Value = serde_json::from_str(r#"{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/","literals":[null,true,false]}"#).unwrap();
        assert_eq!(
            canonicalize(&v),
            r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        );
        let v: Value = serde_json::from_str(r#"{"\u20ac":1,"\r":2,"\ud83d\ude00":3,"\u00f6":4,"1":5}"#).unwrap();
        assert_eq!(canonicalize(&v), "{\"\\r\":2,\"1\":5,\"ö\":4,\"€\":1,\"😀\":3}");
    }
}
