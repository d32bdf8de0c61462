//! RFC 8785 canonicalization: `audit::jcs::canonicalize` (values), `canonicalize_str` (straight
//! from text), `canonicalize_elements` (array elements one by one) and `write_number`.
//!
//! Invariants: the text path and the tree path (`parse_strict` + `canonicalize`) give the same
//! bytes and the same error codes, as the module documents; canonical output is JSON, is its own
//! canonical form, and `canonicalize(parse(canonicalize(x))) == canonicalize(x)` with any JSON
//! parser; the elements of an array canonicalize to the pieces of the array's canonical form;
//! the first 8 input bytes as a double print (ECMAScript form) as a number that reads back as
//! that double.

#![no_main]

use credcore::jcs::{canonicalize, canonicalize_elements, canonicalize_str, parse_strict, write_number};
use credcore::limits::MAX_JSON_DEPTH;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    if let Some(bytes) = data.get(..8) {
        let n = f64::from_bits(u64::from_le_bytes(bytes.try_into().expect("8 bytes")));
        let mut out = String::new();
        match write_number(n, &mut out) {
            Ok(()) => {
                let back: f64 = out.parse().expect("a written number parses");
                assert!(back == n, "{n:?} printed as {out} reads back as {back:?}");
                assert!(serde_json::from_str::<Value>(&out).is_ok(), "{out} is a JSON number");
            }
            Err(_) => assert!(!n.is_finite()),
        }
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    let by_text = canonicalize_str(text);
    let by_tree = parse_strict(text, MAX_JSON_DEPTH).and_then(|v| canonicalize(&v));
    match (&by_text, &by_tree) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "the text and tree paths disagree"),
        (Err(a), Err(b)) => assert_eq!(a.code, b.code, "the text and tree paths fail differently: {a:?} / {b:?}"),
        _ => panic!("one path fails, the other does not: text {by_text:?} tree {by_tree:?}"),
    }
    let Ok(c) = by_text else { return };
    assert_eq!(canonicalize_str(&c).as_ref(), Ok(&c), "canonical text is its own canonical form");
    let reparsed: Value = serde_json::from_str(&c).expect("canonical text is JSON");
    assert_eq!(canonicalize(&reparsed).as_ref(), Ok(&c), "canonicalize(parse(canonicalize(x))) != canonicalize(x)");
    if text.trim_start().starts_with('[') {
        let mut pieces = Vec::new();
        let n = canonicalize_elements(text, MAX_JSON_DEPTH, |i, piece| {
            assert_eq!(i, pieces.len());
            pieces.push(piece.to_owned());
            Ok(())
        })
        .expect("the elements of a canonicalizable array canonicalize");
        assert_eq!(n, pieces.len());
        assert_eq!(format!("[{}]", pieces.join(",")), c, "elements canonicalize to the pieces of the array");
    }
});
