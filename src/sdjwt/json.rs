//! The JWS JSON Serialization of SD-JWT and SD-JWT+KB (RFC 9901 section 8), general and
//! flattened, read as the compact form it stands for.
//!
//! RFC 9901 section 8.1 defines the compact form of a JSON-serialized SD-JWT (protected header,
//! payload and signature joined by `.`, then the `disclosures` of the unprotected header, each
//! followed by `~`, then any `kb_jwt`): it is what `sd_hash` covers, so verification builds it and
//! verifies that, through the one SD-JWT verifier. The format decision recognizes the shape
//! (`credential::format`, rule 2) and the pipeline decides the compact form again, where it must
//! be an SD-JWT; this module only converts.
//!
//! Policy:
//! - Flattened: exactly the members `payload`, `protected`, `signature` and an optional `header`.
//!   General: `payload` and `signatures`, 1 to [`MAX_SIGNATURES`] objects of `protected`,
//!   `signature` and an optional `header`. Any other member is `MALFORMED_INPUT`.
//! - The unprotected header carries `disclosures` (an array of strings) and `kb_jwt` (a string),
//!   and may carry a `kid`, which is not used (peers such as sd-jwt-js write it there; key
//!   selection reads the protected header only). Every other header parameter (`alg`, `x5c`,
//!   `typ`, `crit`, ...) must be in the protected header, where the signature covers it, so that
//!   no unsigned parameter can choose a key or a format. `disclosures` and `kb_jwt` may appear in
//!   the first signature's header only (section 8.3).
//! - Of several signatures (general form), the first is the SD-JWT's and the one verified;
//!   section 8.1 builds the compact form from it. The others are not checked.
//! - Every part must be base64url text (the KB-JWT: three base64url segments), so that no part can
//!   smuggle a `.` or `~` into the compact form and be read as something else.

use crate::error::{Error, Result};
use serde_json::{Map, Value};

/// Most signatures in a general JWS JSON Serialization.
pub const MAX_SIGNATURES: usize = 16;

fn base64url(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A string member of `map` that is base64url text.
fn part<'a>(map: &'a Map<String, Value>, name: &str, at: &str) -> Result<&'a str> {
    match map.get(name) {
        Some(Value::String(s)) if base64url(s) => Ok(s),
        Some(_) => Err(Error::malformed(format!("'{name}' must be base64url text")).at(format!("{at}{name}"))),
        None => Err(Error::malformed(format!("a JWS JSON Serialization needs '{name}'")).at(format!("{at}{name}"))),
    }
}

fn only(map: &Map<String, Value>, allowed: &[&str], at: &str) -> Result<()> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(Error::malformed(format!("member '{k}' is not part of an SD-JWT in JWS JSON Serialization")).at(format!("{at}{k}"))),
        None => Ok(()),
    }
}

/// The unprotected header's disclosures and KB-JWT (empty when there is none).
fn unprotected<'a>(header: Option<&'a Value>, at: &str) -> Result<(Vec<&'a str>, Option<&'a str>)> {
    let Some(header) = header else { return Ok((Vec::new(), None)) };
    let Value::Object(h) = header else {
        return Err(Error::malformed("the unprotected header must be an object").at(at.to_owned()));
    };
    if let Some(k) = h.keys().find(|k| !matches!(k.as_str(), "disclosures" | "kb_jwt" | "kid")) {
        return Err(Error::malformed(format!(
            "unprotected header parameter '{k}' is not accepted: only 'disclosures', 'kb_jwt' (and an unused 'kid') may be unprotected"
        ))
        .at(format!("{at}.{k}")));
    }
    let disclosures = match h.get("disclosures") {
        None => Vec::new(),
        Some(Value::Array(items)) => {
            if items.len() > crate::limits::MAX_DISCLOSURES {
                return Err(Error::new(crate::ErrorCode::InputTooLarge, "too many disclosures").at(format!("{at}.disclosures")));
            }
            items
                .iter()
                .enumerate()
                .map(|(i, d)| match d {
                    Value::String(s) if base64url(s) => Ok(s.as_str()),
                    _ => Err(Error::malformed("a disclosure is base64url text").at(format!("{at}.disclosures[{i}]"))),
                })
                .collect::<Result<Vec<_>>>()?
        }
        Some(_) => return Err(Error::malformed("'disclosures' must be an array of strings").at(format!("{at}.disclosures"))),
    };
    let kb_jwt = match h.get("kb_jwt") {
        None => None,
        Some(Value::String(s)) if s.split('.').count() == 3 && s.split('.').all(base64url) => Some(s.as_str()),
        Some(_) => return Err(Error::malformed("'kb_jwt' must be a compact JWT").at(format!("{at}.kb_jwt"))),
    };
    Ok((disclosures, kb_jwt))
}

/// The compact form (RFC 9901 section 8.1) of a JWS JSON Serialization of an SD-JWT.
///
/// # Errors
/// `MALFORMED_INPUT` (or `INPUT_TOO_LARGE` past [`MAX_SIGNATURES`] or the disclosure limit) for
/// anything outside the policy of the module docs, with its path.
pub fn to_compact(body: &Map<String, Value>) -> Result<String> {
    let payload = part(body, "payload", "")?;
    let (protected, signature, (disclosures, kb_jwt)) = match body.get("signatures") {
        None => {
            only(body, &["payload", "protected", "signature", "header"], "")?;
            (part(body, "protected", "")?, part(body, "signature", "")?, unprotected(body.get("header"), "header")?)
        }
        Some(Value::Array(sigs)) => {
            only(body, &["payload", "signatures"], "")?;
            if sigs.is_empty() || sigs.len() > MAX_SIGNATURES {
                return Err(Error::new(crate::ErrorCode::InputTooLarge, format!("1 to {MAX_SIGNATURES} signatures")).at("signatures"));
            }
            let mut first = None;
            for (i, sig) in sigs.iter().enumerate() {
                let at = format!("signatures[{i}].");
                let Value::Object(s) = sig else {
                    return Err(Error::malformed("a signature is an object").at(format!("signatures[{i}]")));
                };
                only(s, &["protected", "signature", "header"], &at)?;
                let (p, g) = (part(s, "protected", &at)?, part(s, "signature", &at)?);
                let header = unprotected(s.get("header"), &format!("signatures[{i}].header"))?;
                if i > 0 && (!header.0.is_empty() || header.1.is_some() || s.get("header").is_some_and(|h| h.get("disclosures").is_some())) {
                    return Err(Error::malformed("'disclosures' and 'kb_jwt' belong in the first signature's header (RFC 9901 section 8.3)")
                        .at(format!("signatures[{i}].header")));
                }
                if i == 0 {
                    first = Some((p, g, header));
                }
            }
            first.ok_or_else(|| Error::malformed("no signature").at("signatures"))?
        }
        Some(_) => return Err(Error::malformed("'signatures' must be an array").at("signatures")),
    };
    let mut compact = String::with_capacity(protected.len() + payload.len() + signature.len() + 4);
    compact.push_str(protected);
    compact.push('.');
    compact.push_str(payload);
    compact.push('.');
    compact.push_str(signature);
    compact.push('~');
    for d in disclosures {
        compact.push_str(d);
        compact.push('~');
    }
    if let Some(kb) = kb_jwt {
        compact.push_str(kb);
    }
    Ok(compact)
}

/// The flattened JWS JSON Serialization of a compact SD-JWT or SD-JWT+KB (the inverse of
/// [`to_compact`]), for `sdJwt.present(..., { serialization: 'json' })`.
///
/// # Errors
/// `MALFORMED_INPUT` when `compact` is not an SD-JWT in compact form.
pub fn to_flattened(compact: &str) -> Result<Map<String, Value>> {
    let parts = super::Compact::parse(compact)?;
    let mut jwt = parts.jwt.split('.');
    let (Some(protected), Some(payload), Some(signature), None) = (jwt.next(), jwt.next(), jwt.next(), jwt.next()) else {
        return Err(Error::malformed("the issuer-signed JWT has three parts"));
    };
    let mut header = Map::new();
    header.insert("disclosures".into(), Value::Array(parts.disclosures.iter().map(|d| Value::String((*d).to_owned())).collect()));
    if let Some(kb) = parts.kb_jwt {
        header.insert("kb_jwt".into(), Value::String(kb.to_owned()));
    }
    let mut out = Map::new();
    out.insert("payload".into(), Value::String(payload.to_owned()));
    out.insert("protected".into(), Value::String(protected.to_owned()));
    out.insert("header".into(), Value::Object(header));
    out.insert("signature".into(), Value::String(signature.to_owned()));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn flattened_and_general_forms_read_as_their_compact_form() {
        let flat = obj(json!({"payload": "cA", "protected": "aA", "signature": "cw", "header": {"disclosures": ["ZDE", "ZDI"], "kb_jwt": "a.b.c"}}));
        assert_eq!(to_compact(&flat).as_deref(), Ok("aA.cA.cw~ZDE~ZDI~a.b.c"));
        assert_eq!(to_flattened("aA.cA.cw~ZDE~ZDI~a.b.c").map(Value::Object), Ok(Value::Object(flat.clone())));
        let general = obj(json!({"payload": "cA", "signatures": [
            {"protected": "aA", "signature": "cw", "header": {"disclosures": ["ZDE"]}},
            {"protected": "aB", "signature": "cx", "header": {}}
        ]}));
        assert_eq!(to_compact(&general).as_deref(), Ok("aA.cA.cw~ZDE~"));
        assert_eq!(to_compact(&obj(json!({"payload": "cA", "protected": "aA", "signature": "cw"}))).as_deref(), Ok("aA.cA.cw~"));
    }

    #[test]
    fn nothing_unsigned_chooses_anything() {
        let refused = |v: Value| to_compact(&obj(v)).map_err(|e| (e.code, e.path.unwrap_or_default()));
        let m = ErrorCode::MalformedInput;
        assert_eq!(refused(json!({"payload": "cA", "protected": "aA", "signature": "cw", "header": {"x5c": ["AA"]}})), Err((m, "header.x5c".into())));
        assert_eq!(refused(json!({"payload": "cA", "protected": "aA", "signature": "cw", "header": {"kid": "k"}})), Ok("aA.cA.cw~".into()));
        assert_eq!(refused(json!({"payload": "cA", "protected": "aA", "signature": "cw", "header": {"alg": "none"}})), Err((m, "header.alg".into())));
        assert_eq!(refused(json!({"payload": "cA", "signature": "cw"})), Err((m, "protected".into())));
        assert_eq!(refused(json!({"payload": "c.A", "protected": "aA", "signature": "cw"})), Err((m, "payload".into())));
        assert_eq!(refused(json!({"payload": "cA", "protected": "aA", "signature": "cw", "header": {"disclosures": ["a~b"]}})).map_err(|e| e.1), Err("header.disclosures[0]".into()));
        assert_eq!(refused(json!({"payload": "cA", "protected": "aA", "signature": "cw", "header": {"kb_jwt": "a.b.c~x"}})).map_err(|e| e.1), Err("header.kb_jwt".into()));
        assert_eq!(refused(json!({"payload": "cA", "protected": "aA", "signature": "cw", "extra": 1})).map_err(|e| e.1), Err("extra".into()));
        assert_eq!(
            refused(json!({"payload": "cA", "signatures": [{"protected": "aA", "signature": "cw"}, {"protected": "aA", "signature": "cw", "header": {"disclosures": []}}]})).map_err(|e| e.1),
            Err("signatures[1].header".into())
        );
        assert_eq!(refused(json!({"payload": "cA", "signatures": []})).map_err(|e| e.0), Err(ErrorCode::InputTooLarge));
        assert_eq!(refused(json!({"payload": "cA", "signatures": {}})).map_err(|e| e.0), Err(m));
    }
}
