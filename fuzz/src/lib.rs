//! Helpers shared by the fuzz targets: fixed keys and times, the invariants every verification
//! result must satisfy, and generators of JSON values from fuzz input.

use arbitrary::{Result as AResult, Unstructured};
use credcore::credential::{Format, Kind, VerificationResult, VerifyOptions};
use credcore::keys::KeyPair;
use credcore::ErrorCode;
use serde_json::{Map, Number, Value};

/// The issuance time of every credential the seed generator and the structured targets build.
pub const NOW_S: i64 = 1_750_000_000;
/// The verification time of the targets (ten seconds after issuance), in milliseconds.
pub const VERIFY_MS: f64 = (NOW_S as f64 + 10.0) * 1000.0;
/// The time of the anon-identity fixtures in tests/data (their `generatedAt` plus an hour).
pub const FIXTURE_MS: f64 = 1_795_437_577_255.0 + 3_600_000.0;
/// The time of the SD-JWT interop fixtures in tests/data.
pub const INTEROP_MS: f64 = 1_750_000_010_000.0;
/// The nonce and audience of the interop fixtures, reused for every key-bound presentation.
pub const NONCE: &str = "n-0S6_WzA2Mj";
/// See [`NONCE`].
pub const AUDIENCE: &str = "https://verifier.example.org";
/// The URI of the status lists the seed generator issues.
pub const STATUS_URI: &str = "https://example.com/statuslists/1";
/// The SD-JWT VC type used in built credentials.
pub const VCT: &str = "https://credentials.example.com/identity_credential";

/// The issuer of every built credential.
pub fn issuer() -> KeyPair {
    KeyPair::from_seed(&[1; 32])
}

/// The holder of every built presentation.
pub fn holder() -> KeyPair {
    KeyPair::from_seed(&[2; 32])
}

/// Deterministic "random" bytes (a counter through SHA-256), so built inputs are reproducible.
pub fn det_rng(start: u64) -> impl FnMut(&mut [u8]) -> credcore::Result<()> {
    let mut counter = start;
    move |buf: &mut [u8]| {
        for chunk in buf.chunks_mut(32) {
            counter += 1;
            let block = credcore::hash::sha256(&counter.to_le_bytes());
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
        Ok(())
    }
}

/// Options as the package passes them to a `Verifier`: a JSON object without nulls.
pub fn options_map(options: &VerifyOptions) -> Map<String, Value> {
    match serde_json::to_value(options) {
        Ok(Value::Object(m)) => m.into_iter().filter(|(_, v)| !v.is_null()).collect(),
        _ => Map::new(),
    }
}

/// The deepest container nesting of a value, counting the outermost container as 0 (as the
/// SD-JWT resolver counts depth); `None` for a scalar.
pub fn container_depth(v: &Value) -> Option<usize> {
    let children: Box<dyn Iterator<Item = &Value>> = match v {
        Value::Object(m) => Box::new(m.values()),
        Value::Array(a) => Box::new(a.iter()),
        _ => return None,
    };
    Some(children.filter_map(container_depth).map(|d| d + 1).max().unwrap_or(0))
}

/// The invariants of one result, whatever the input: `valid` exactly when there are no errors;
/// an invalid result carries no verified claims; every code is a known code; a valid result is
/// not past any expiry it reports (with `skew` seconds of tolerance at `now_s`).
pub fn check_result(r: &VerificationResult, now_s: i64, skew: i64) {
    assert_eq!(r.valid, r.errors.is_empty(), "valid must be exactly 'no errors': {r:?}");
    for e in &r.errors {
        assert!(ErrorCode::parse(e.code).is_some(), "unknown error code {:?}", e.code);
    }
    if r.valid {
        assert!(r.unverified.is_none(), "a valid result has no unverified part: {r:?}");
        assert_ne!(r.format, Format::Unknown, "a valid result has a format: {r:?}");
        if let Some(exp) = r.expires_at {
            assert!(now_s <= exp.saturating_add(skew), "a valid result is past its own expiresAt {exp} at {now_s}: {r:?}");
        }
    } else {
        assert!(r.claims.is_none(), "an invalid result carries claims: {r:?}");
        assert!(r.credentials.is_empty(), "an invalid result carries credentials: {r:?}");
        assert!(r.disclosed.is_none(), "an invalid result carries disclosed paths: {r:?}");
        assert!(r.subject.is_none(), "an invalid result carries a subject: {r:?}");
        assert!(r.holder_key_thumbprint.is_none(), "an invalid result carries a holder key: {r:?}");
    }
    if r.kind == Kind::Presentation && r.format == Format::SdJwt && r.valid {
        assert!(r.holder.is_some(), "a valid SD-JWT presentation names its holder: {r:?}");
    }
    // Not parsed back: serde_json's parser stops at 128 levels, which deep claims can pass.
    let json = serde_json::to_string(r).expect("a result serializes");
    assert!(json.starts_with(&format!("{{\"valid\":{}", r.valid)), "a result's JSON starts with its verdict");
}

/// The invariants of a batch: one result per input, each as [`check_result`] says, and identical
/// inputs get identical results.
pub fn check_batch(inputs: &[&str], results: &[VerificationResult], now_s: i64, skew: i64) {
    assert_eq!(results.len(), inputs.len(), "one result per input");
    for r in results {
        check_result(r, now_s, skew);
    }
    for i in 0..inputs.len() {
        for j in i + 1..inputs.len() {
            if inputs[i] == inputs[j] {
                assert_eq!(results[i], results[j], "identical inputs {i} and {j} got different results");
            }
        }
    }
}

/// Claim names that no format reads: a prefix keeps them clear of every registered or reserved
/// name (`_sd`, `...`, `iss`, `exp`, `vc`, `id`, ...), whatever follows it.
pub fn safe_name(u: &mut Unstructured<'_>) -> AResult<String> {
    Ok(match u.int_in_range(0u8..=3)? {
        0 => format!("k{}", u.int_in_range(0u8..=15)?),
        1 => format!("x{}", u.arbitrary::<String>()?),
        2 => format!("k{}/~{}", u.int_in_range(0u8..=3)?, u.int_in_range(0u8..=3)?),
        _ => format!("k{}", u.int_in_range(0u16..=999)?),
    })
}

/// A JSON scalar.
pub fn scalar(u: &mut Unstructured<'_>) -> AResult<Value> {
    Ok(match u.int_in_range(0u8..=6)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::from(u.arbitrary::<i64>()?),
        3 => Value::from(u.arbitrary::<u64>()?),
        4 => {
            let f: f64 = u.arbitrary()?;
            Number::from_f64(f).map_or(Value::Null, Value::Number)
        }
        5 => Value::String(u.arbitrary()?),
        _ => Value::String(format!("s{}", u.int_in_range(0u8..=9)?)),
    })
}

/// A JSON value of at most `depth` levels of containers, with [`safe_name`] member names.
pub fn value(u: &mut Unstructured<'_>, depth: usize) -> AResult<Value> {
    if depth == 0 || u.is_empty() {
        return scalar(u);
    }
    Ok(match u.int_in_range(0u8..=3)? {
        0 | 1 => scalar(u)?,
        2 => {
            let n = u.int_in_range(0usize..=4)?;
            let mut items = Vec::with_capacity(n);
            for _ in 0..n {
                items.push(value(u, depth - 1)?);
            }
            Value::Array(items)
        }
        _ => Value::Object(object(u, depth - 1)?),
    })
}

/// A JSON object whose members are [`value`]s of at most `depth` levels.
pub fn object(u: &mut Unstructured<'_>, depth: usize) -> AResult<Map<String, Value>> {
    let n = u.int_in_range(0usize..=5)?;
    let mut m = Map::new();
    for _ in 0..n {
        m.insert(safe_name(u)?, value(u, depth)?);
    }
    Ok(m)
}

/// Splits `text` into at most `max` items at `sep`.
pub fn split_items(text: &str, sep: char, max: usize) -> Vec<&str> {
    text.split(sep).take(max).collect()
}
