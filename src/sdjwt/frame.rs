//! Choosing claims by path: JSON pointers (RFC 6901) or the sd-jwt-js frame forms
//! (`disclosureFrame` for issuance, `presentationFrame` for presentation).

use crate::error::{Error, Result};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Most decoys accepted at one level of a frame, or in `IssueOptions::decoys`.
pub const MAX_DECOYS: usize = 1000;

/// Which claims to make disclosable (issuance) or to disclose (presentation).
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Selection {
    /// No claims.
    #[default]
    None,
    /// JSON pointers such as `/address/street` or `/nationalities/0`.
    Paths(Vec<String>),
    /// An sd-jwt-js frame: `{ _sd: [...], _sd_decoy: n, nested: { ... } }` when issuing,
    /// `{ name: true, nested: { name: true } }` when presenting.
    Frame(Value),
}

impl Selection {
    /// Reads a selection from JSON: an array of pointer strings, a frame object, or `null`.
    ///
    /// # Errors
    /// `MALFORMED_INPUT` for anything else.
    pub fn from_json(value: &Value) -> Result<Selection> {
        match value {
            Value::Null => Ok(Selection::None),
            Value::Object(_) => Ok(Selection::Frame(value.clone())),
            Value::Array(items) => items
                .iter()
                .map(|p| p.as_str().map(str::to_owned).ok_or_else(|| Error::malformed("a path is a string").at("disclose")))
                .collect::<Result<Vec<_>>>()
                .map(Selection::Paths),
            _ => Err(Error::malformed("disclose is an array of paths or a frame object").at("disclose")),
        }
    }

    /// The tree of disclosable claims for issuance.
    pub(crate) fn issuance_spec(&self) -> Result<Spec> {
        let mut root = Spec::default();
        match self {
            Selection::None => {}
            Selection::Paths(paths) => {
                for p in paths {
                    let tokens = parse_pointer(p)?;
                    if tokens.is_empty() {
                        return Err(Error::malformed("the whole payload cannot be disclosable").at("disclose"));
                    }
                    let mut node = &mut root;
                    for t in tokens {
                        node = node.children.entry(t).or_default();
                    }
                    node.sd = true;
                }
            }
            Selection::Frame(frame) => issuance_frame(frame, &mut root, "disclose")?,
        }
        Ok(root)
    }

    /// The pointers (as token lists) to disclose in a presentation.
    pub(crate) fn presentation_paths(&self) -> Result<Vec<Vec<String>>> {
        match self {
            Selection::None => Ok(Vec::new()),
            Selection::Paths(paths) => paths.iter().map(|p| parse_pointer(p)).collect(),
            Selection::Frame(frame) => {
                let mut out = Vec::new();
                presentation_frame(frame, &mut Vec::new(), &mut out)?;
                Ok(out)
            }
        }
    }
}

/// A node of the issuance tree: whether this claim is disclosable, its decoys, its children
/// (object member names or array indices as decimal strings).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Spec {
    pub sd: bool,
    pub decoys: usize,
    pub children: BTreeMap<String, Spec>,
}

fn issuance_frame(frame: &Value, node: &mut Spec, at: &str) -> Result<()> {
    let Value::Object(members) = frame else {
        return Err(Error::malformed("a disclosure frame level is an object").at(at.to_owned()));
    };
    for (k, v) in members {
        match k.as_str() {
            "_sd" => {
                let Value::Array(names) = v else {
                    return Err(Error::malformed("_sd lists names or indices").at(format!("{at}._sd")));
                };
                for n in names {
                    let key = match n {
                        Value::String(s) => s.clone(),
                        Value::Number(i) if i.as_u64().is_some() => i.to_string(),
                        _ => return Err(Error::malformed("_sd lists names or indices").at(format!("{at}._sd"))),
                    };
                    node.children.entry(key).or_default().sd = true;
                }
            }
            "_sd_decoy" => {
                node.decoys =
                    v.as_u64().and_then(|n| usize::try_from(n).ok()).filter(|n| *n <= MAX_DECOYS).ok_or_else(|| {
                        Error::malformed(format!("_sd_decoy is a count up to {MAX_DECOYS}")).at(format!("{at}._sd_decoy"))
                    })?;
            }
            _ => issuance_frame(v, node.children.entry(k.clone()).or_default(), &format!("{at}.{k}"))?,
        }
    }
    Ok(())
}

fn presentation_frame(frame: &Value, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) -> Result<()> {
    let Value::Object(members) = frame else {
        return Err(Error::malformed("a presentation frame level is an object").at("disclose"));
    };
    for (k, v) in members {
        prefix.push(k.clone());
        match v {
            Value::Bool(true) => out.push(prefix.clone()),
            Value::Bool(false) => {}
            Value::Object(_) => presentation_frame(v, prefix, out)?,
            _ => return Err(Error::malformed("a presentation frame holds true, false or objects").at("disclose")),
        }
        prefix.pop();
    }
    Ok(())
}

/// Splits a JSON pointer (RFC 6901) into unescaped tokens; `""` is the whole document.
///
/// # Errors
/// `MALFORMED_INPUT` when it does not start with `/` or has a bad `~` escape.
pub fn parse_pointer(pointer: &str) -> Result<Vec<String>> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(Error::malformed(format!("path '{pointer}' is not a JSON pointer (it starts with '/')")).at("disclose"));
    };
    rest.split('/')
        .map(|t| {
            let mut out = String::with_capacity(t.len());
            let mut chars = t.chars();
            while let Some(c) = chars.next() {
                match (c, c == '~') {
                    (_, true) => match chars.next() {
                        Some('0') => out.push('~'),
                        Some('1') => out.push('/'),
                        _ => return Err(Error::malformed(format!("bad '~' escape in path '{pointer}'")).at("disclose")),
                    },
                    (c, false) => out.push(c),
                }
            }
            Ok(out)
        })
        .collect()
}

/// An array index token: decimal digits without a leading zero (RFC 6901 section 4).
pub(crate) fn array_index(token: &str) -> Option<usize> {
    let canonical = token == "0" || (!token.starts_with('0') && !token.is_empty());
    if canonical && token.bytes().all(|b| b.is_ascii_digit()) {
        token.parse().ok()
    } else {
        None
    }
}

/// The value at `tokens` in `claims`, if any.
pub(crate) fn lookup<'v>(claims: &'v Map<String, Value>, tokens: &[String]) -> Option<&'v Value> {
    let (first, rest) = tokens.split_first()?;
    let mut v = claims.get(first)?;
    for t in rest {
        v = match v {
            Value::Object(m) => m.get(t)?,
            Value::Array(a) => a.get(array_index(t)?)?,
            _ => return None,
        };
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pointers_and_frames_give_the_same_tree() {
        let paths = Selection::Paths(vec!["/address/street".into(), "/nationalities/0".into(), "/a~1b".into()]);
        let frame = Selection::Frame(json!({ "address": { "_sd": ["street"] }, "nationalities": { "_sd": [0] }, "_sd": ["a/b"] }));
        assert_eq!(paths.issuance_spec().unwrap(), frame.issuance_spec().unwrap());
        let spec = paths.issuance_spec().unwrap();
        assert!(spec.children["nationalities"].children["0"].sd);
        assert!(!spec.children["address"].sd);
    }

    #[test]
    fn presentation_frames_flatten() {
        let s = Selection::Frame(json!({ "a": true, "b": { "0": true, "1": false }, "c": false }));
        assert_eq!(s.presentation_paths().unwrap(), vec![vec!["a".to_string()], vec!["b".into(), "0".into()]]);
    }

    #[test]
    fn bad_selections() {
        use crate::error::ErrorCode;
        let code = |s: Selection| s.issuance_spec().map(|_| ()).map_err(|e| e.code);
        assert_eq!(code(Selection::Paths(vec!["a".into()])), Err(ErrorCode::MalformedInput));
        assert_eq!(code(Selection::Paths(vec!["".into()])), Err(ErrorCode::MalformedInput));
        assert_eq!(code(Selection::Paths(vec!["/a~2".into()])), Err(ErrorCode::MalformedInput));
        assert_eq!(code(Selection::Frame(json!({ "_sd": [true] }))), Err(ErrorCode::MalformedInput));
        assert_eq!(code(Selection::Frame(json!({ "_sd_decoy": 100000 }))), Err(ErrorCode::MalformedInput));
        assert_eq!(Selection::from_json(&json!(3)).map_err(|e| e.code), Err(ErrorCode::MalformedInput));
        assert_eq!(array_index("01"), None);
        assert_eq!(array_index("10"), Some(10));
    }
}
