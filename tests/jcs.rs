#![cfg(not(target_arch = "wasm32"))]
// One suite for RFC 8785: vector files and edge cases share the helpers (over 500 lines).
// A failed unwrap is a failed test; helpers outside #[test] functions are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! RFC 8785 canonical JSON against cyberphone/json-canonicalization's test data (the six input
//! files, 10,000 ES6 number serializations) and the eddsa-jcs-2022 chain of w3c/vc-di-eddsa.

use credcore::encoding::{b58_encode, hex_decode, hex_encode, multibase_b58_decode};
use credcore::hash::sha256;
use credcore::jcs::{
    canonicalize, canonicalize_elements, canonicalize_str, canonicalize_text_into, parse_strict, write_canonical, write_number,
};
use credcore::keys::{public_key_from_did, verify, KeyPair};
use credcore::limits::MAX_JSON_DEPTH;
use credcore::ErrorCode;
use std::fs;
use std::path::PathBuf;

fn data(rel: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const CASES: [&str; 6] = ["arrays", "french", "structures", "unicode", "values", "weird"];

#[test]
fn every_input_gives_the_exact_output_text() {
    for name in CASES {
        let input = data(&format!("jcs/input/{name}.json"));
        let expected = data(&format!("jcs/output/{name}.json"));
        assert_eq!(canonicalize_str(&input).unwrap(), expected, "{name}");
        // The same through a parsed value (serde_json keeps the input order of members here).
        let value: serde_json::Value = serde_json::from_str(&input).unwrap();
        assert_eq!(canonicalize(&value).unwrap(), expected, "{name} via Value");
    }
}

#[test]
fn every_input_gives_the_exact_output_bytes() {
    for name in CASES {
        let hex: String = data(&format!("jcs/outhex/{name}.txt")).split_whitespace().collect();
        let expected = hex_decode(&hex).unwrap();
        let got = canonicalize_str(&data(&format!("jcs/input/{name}.json"))).unwrap();
        assert_eq!(got.as_bytes(), &expected[..], "{name}");
    }
}

#[test]
fn output_is_a_fixed_point() {
    for name in CASES {
        let expected = data(&format!("jcs/output/{name}.json"));
        assert_eq!(canonicalize_str(&expected).unwrap(), expected, "{name}");
    }
}

#[test]
fn ten_thousand_es6_numbers() {
    let text = data("jcs/es6_numbers_10k.txt");
    let mut count = 0;
    for (line_no, line) in text.lines().enumerate() {
        let (bits, expected) = line.split_once(',').unwrap_or_else(|| panic!("line {}", line_no + 1));
        let value = f64::from_bits(u64::from_str_radix(bits, 16).unwrap());
        let mut out = String::new();
        write_number(value, &mut out).unwrap();
        assert_eq!(out, expected, "line {}: {bits}", line_no + 1);
        // Through a JSON value too, where the number also has to survive parsing.
        let json = serde_json::json!([value]);
        assert_eq!(canonicalize(&json).unwrap(), format!("[{expected}]"), "line {}", line_no + 1);
        let reparsed = canonicalize_str(&format!("[{expected}]")).unwrap();
        assert_eq!(reparsed, format!("[{expected}]"), "line {}", line_no + 1);
        count += 1;
    }
    assert_eq!(count, 10_000);
}

#[test]
fn eddsa_jcs_2022_chain() {
    let dir = "eddsa-jcs-2022";
    let unsigned = data(&format!("{dir}/unsigned.json"));
    let canon_doc = canonicalize_str(&unsigned).unwrap();
    assert_eq!(canon_doc, data(&format!("{dir}/canonDocJCS.txt")));
    let doc_hash = sha256(canon_doc.as_bytes());
    assert_eq!(hex_encode(&doc_hash), data(&format!("{dir}/docHashJCS.txt")).trim());

    let canon_proof = canonicalize_str(&data(&format!("{dir}/proofConfigJCS.json"))).unwrap();
    assert_eq!(canon_proof, data(&format!("{dir}/proofCanonJCS.txt")));
    let proof_hash = sha256(canon_proof.as_bytes());
    assert_eq!(hex_encode(&proof_hash), data(&format!("{dir}/proofHashJCS.txt")).trim());

    // The signed bytes: SHA-256(proof config) || SHA-256(document), in that order.
    let combined = [proof_hash, doc_hash].concat();
    assert_eq!(hex_encode(&combined), data(&format!("{dir}/combinedHashJCS.txt")).trim());

    let keys: serde_json::Value = serde_json::from_str(&data(&format!("{dir}/keyPair.json"))).unwrap();
    // Multikey secret: multicodec ed25519-priv (0x1300, varint 0x80 0x26) then the 32-byte seed.
    let secret = multibase_b58_decode(keys["privateKeyMultibase"].as_str().unwrap()).unwrap();
    assert_eq!(&secret[..2], &[0x80, 0x26]);
    let pair = KeyPair::from_seed_slice(&secret[2..]).unwrap();
    let public_multibase = keys["publicKeyMultibase"].as_str().unwrap();
    assert_eq!(pair.did(), format!("did:key:{public_multibase}"));

    let signature = pair.sign(&combined);
    assert_eq!(hex_encode(&signature), data(&format!("{dir}/sigHexJCS.txt")).trim());
    let proof_value = format!("z{}", b58_encode(&signature));
    assert_eq!(proof_value, data(&format!("{dir}/sigBTC58JCS.txt")).trim());

    let signed: serde_json::Value = serde_json::from_str(&data(&format!("{dir}/signedJCS.json"))).unwrap();
    assert_eq!(signed["proof"]["proofValue"].as_str(), Some(proof_value.as_str()));
    let key = public_key_from_did(&pair.did()).unwrap();
    assert!(verify(&combined, &signature, &key.public_key));
    let mut tampered = combined.clone();
    tampered[0] ^= 1;
    assert!(!verify(&tampered, &signature, &key.public_key));
}

// ---------------------------------------------------------------------------------------------
// The one-pass text canonicalizer against the tree path (parse_strict + write_canonical).

/// The tree path: parse into a `Value`, then write it.
fn via_tree(text: &str, max_depth: usize) -> Result<String, ErrorCode> {
    let value = parse_strict(text, max_depth).map_err(|e| e.code)?;
    let mut out = String::new();
    write_canonical(&value, &mut out, max_depth).map_err(|e| e.code)?;
    Ok(out)
}

/// The one-pass path.
fn via_text(text: &str, max_depth: usize) -> Result<String, ErrorCode> {
    let mut out = String::new();
    canonicalize_text_into(text, &mut out, max_depth).map_err(|e| e.code)?;
    Ok(out)
}

#[test]
fn text_path_gives_every_vector_output_as_the_tree_path_does() {
    for name in CASES {
        let input = data(&format!("jcs/input/{name}.json"));
        let expected = data(&format!("jcs/output/{name}.json"));
        let hex: String = data(&format!("jcs/outhex/{name}.txt")).split_whitespace().collect();
        let text = via_text(&input, MAX_JSON_DEPTH).unwrap();
        assert_eq!(text, expected, "{name}");
        assert_eq!(text.as_bytes(), &hex_decode(&hex).unwrap()[..], "{name} bytes");
        assert_eq!(via_tree(&input, MAX_JSON_DEPTH).unwrap(), expected, "{name} tree");
    }
}

#[test]
fn text_path_reads_and_writes_the_ten_thousand_numbers() {
    let text = data("jcs/es6_numbers_10k.txt");
    let mut count = 0;
    for line in text.lines() {
        let (bits, expected) = line.split_once(',').unwrap();
        let value = f64::from_bits(u64::from_str_radix(bits, 16).unwrap());
        // The shortest form, and a long spelling of the same double (17 significant digits
        // in exponent notation), must both come back as the expected text.
        for spelling in [expected.to_owned(), format!("{value:.16e}")] {
            let doc = format!("[{spelling}, {{\"n\": {spelling}}}]");
            let want = format!("[{expected},{{\"n\":{expected}}}]");
            assert_eq!(via_text(&doc, 4).as_deref(), Ok(want.as_str()), "{bits} {spelling}");
            assert_eq!(via_tree(&doc, 4).as_deref(), Ok(want.as_str()), "{bits} {spelling} tree");
        }
        count += 1;
    }
    assert_eq!(count, 10_000);
}

#[test]
fn text_path_errors_carry_the_tree_paths_codes() {
    use ErrorCode::{InputTooLarge as Big, MalformedInput as Bad};
    let deep = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
    let cases: Vec<(String, usize, Result<&str, ErrorCode>)> = vec![
        (r#"{"a":1,"a":2}"#.into(), 8, Err(Bad)),
        (r#"{"a":1,"\u0061":2}"#.into(), 8, Err(Bad)),
        (r#"{"b":{"x":1,"x":1},"a":0}"#.into(), 8, Err(Bad)),
        // A repeat before the point that nests too deep: the repeat is read first.
        (r#"{"a":1,"a":[[[[1]]]]}"#.into(), 3, Err(Bad)),
        (r#"{"a":1,"b":[[[[1]]]],"a":2}"#.into(), 3, Err(Big)),
        (r#"{"a":1,"b":{"c":[[[1]]],"a":2}}"#.into(), 3, Err(Big)),
        (r#"{"d":{"d":{"d":{"d":1}}}}"#.into(), 3, Err(Big)),
        (r#"{"a":[[[[1]]]],"a":1}"#.into(), 3, Err(Big)),
        (deep(3), 3, Ok("[[[1]]]")),
        (deep(4), 3, Err(Big)),
        ("[]".into(), 0, Err(Big)),
        ("7".into(), 0, Ok("7")),
        (deep(127), 500, Ok("")),
        (deep(128), 500, Err(Big)),
        ("1e400".into(), 8, Err(Bad)),
        ("-1e400".into(), 8, Err(Bad)),
        ("1e-400".into(), 8, Ok("0")),
        ("0e99999999999999999999".into(), 8, Ok("0")),
        ("01".into(), 8, Err(Bad)),
        ("1.".into(), 8, Err(Bad)),
        (".5".into(), 8, Err(Bad)),
        ("+1".into(), 8, Err(Bad)),
        ("1e".into(), 8, Err(Bad)),
        ("-".into(), 8, Err(Bad)),
        ("NaN".into(), 8, Err(Bad)),
        ("Infinity".into(), 8, Err(Bad)),
        ("[1,]".into(), 8, Err(Bad)),
        ("{\"a\":1,}".into(), 8, Err(Bad)),
        ("[1] x".into(), 8, Err(Bad)),
        ("".into(), 8, Err(Bad)),
        ("tru".into(), 8, Err(Bad)),
        ("\"\\ud800\"".into(), 8, Err(Bad)),
        ("\"\\udc00\"".into(), 8, Err(Bad)),
        ("\"\\ud800\\u0041\"".into(), 8, Err(Bad)),
        ("\"\\ud83d\\ude02\"".into(), 8, Ok("\"😂\"")),
        ("\"\\x\"".into(), 8, Err(Bad)),
        ("\"a\u{1}\"".into(), 8, Err(Bad)),
        ("\"\\u00e9\\u2028\\/\\u001F\\u007f\"".into(), 8, Ok("\"é\u{2028}/\\u001f\u{7f}\"")),
        ("\u{feff}1".into(), 8, Err(Bad)),
    ];
    for (text, depth, want) in cases {
        let tree = via_tree(&text, depth);
        let one_pass = via_text(&text, depth);
        assert_eq!(one_pass, tree, "{text:?} at depth {depth}");
        match want {
            Ok("") => assert!(one_pass.is_ok(), "{text:?}"),
            Ok(expected) => assert_eq!(one_pass.as_deref(), Ok(expected), "{text:?}"),
            Err(code) => assert_eq!(one_pass, Err(code), "{text:?}"),
        }
    }
}

/// xorshift64*: a small deterministic generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Random JSON text, mostly valid, sometimes not in each of the ways the parsers must agree on.
struct Gen {
    rng: Rng,
    /// Percent chance of a deliberate fault at each fault site.
    faults: usize,
}

impl Gen {
    fn ws(&mut self, out: &mut String) {
        if self.rng.chance(20) {
            out.push_str(self.rng.pick(&[" ", "\n", "\t", "\r\n", "  "]));
        }
    }

    fn digits(&mut self, out: &mut String, n: usize) {
        for _ in 0..n {
            out.push(char::from(b'0' + self.rng.below(10) as u8));
        }
    }

    fn number(&mut self, out: &mut String) {
        if self.rng.chance(self.faults) {
            out.push_str(self.rng.pick(&["01", "1.", ".5", "+1", "1e", "-", "1e400", "-1E+999", "NaN", "Infinity", "0x10", "1.5e"]));
            return;
        }
        match self.rng.below(8) {
            0 => out.push_str(self.rng.pick(&[
                "0",
                "-0",
                "-0.0",
                "0e0",
                "1e21",
                "1e20",
                "1e-7",
                "1E-6",
                "9007199254740993",
                "-9223372036854775809",
                "18446744073709551616",
                "1e-400",
                "2.2250738585072011e-308",
                "4.9e-324",
                "1.7976931348623157e308",
                "0.1",
                "123456789012345",
                "1234567890123456",
                "-999999999999999",
            ])),
            1 => {
                // Integers of 1 to 25 digits, around the 15-digit fast path and 2^53, 2^64.
                if self.rng.chance(30) {
                    out.push('-');
                }
                out.push(char::from(b'1' + self.rng.below(9) as u8));
                let n = self.rng.below(25);
                self.digits(out, n);
            }
            2 => {
                // Long mantissas: correct rounding, not just the first 17 digits.
                self.digits(out, 1);
                out.push('.');
                let n = 1 + self.rng.below(40);
                self.digits(out, n);
            }
            3 => {
                // A double's bits, printed in various ways.
                let f = f64::from_bits(self.rng.next());
                if f.is_finite() {
                    let s = match self.rng.below(3) {
                        0 => format!("{f:e}"),
                        1 => format!("{f:.20e}"),
                        _ => format!("{f:?}"),
                    };
                    out.push_str(&s);
                } else {
                    out.push('1');
                }
            }
            _ => {
                if self.rng.chance(20) {
                    out.push('-');
                }
                let n = 1 + self.rng.below(4);
                out.push(char::from(b'1' + self.rng.below(9) as u8));
                self.digits(out, n - 1);
                if self.rng.chance(50) {
                    out.push('.');
                    let n = 1 + self.rng.below(6);
                    self.digits(out, n);
                }
                if self.rng.chance(40) {
                    out.push_str(self.rng.pick(&["e", "E", "e+", "e-", "E-"]));
                    let n = 1 + self.rng.below(3);
                    self.digits(out, n);
                }
            }
        }
    }

    fn string_body(&mut self, out: &mut String) {
        let n = self.rng.below(8);
        for _ in 0..n {
            let piece = match self.rng.below(14) {
                0 => "\\n",
                1 => "\\\"",
                2 => "\\\\",
                3 => "\\/",
                4 => "\\u0000",
                5 => "\\u001F",
                6 => "\\u00e9",
                7 => "\\ud83d\\ude02",
                8 => "\\uFB33",
                9 => "é😂\u{2028}\u{7f}",
                10 => "\\b\\f\\r\\t",
                _ => self.rng.pick(&["a", "b", "ab", "x y", "credcore", "Z"]),
            };
            out.push_str(piece);
        }
        if self.rng.chance(self.faults) {
            out.push_str(self.rng.pick(&["\\ud800", "\\udc00x", "\\ud800\\u0041", "\\q", "\\u12", "\u{1}", "\t"]));
        }
    }

    fn name(&mut self, out: &mut String) {
        out.push('"');
        // A small pool, spelled several ways, so that repeated names are common.
        let name = self.rng.pick(&[
            "a",
            "b",
            "\\u0061",
            "",
            "\\ud83d\\ude02",
            "\u{1f602}",
            "\u{fb33}",
            "\\n",
            "\u{e9}",
            "\\u00e9",
            "aa",
            "B",
            "\\\"",
            "id",
        ]);
        out.push_str(name);
        out.push('"');
    }

    fn value(&mut self, out: &mut String, depth: usize) {
        let kind = if depth == 0 { self.rng.below(5) } else { self.rng.below(8) };
        match kind {
            0 => self.number(out),
            1 => {
                out.push('"');
                self.string_body(out);
                out.push('"');
            }
            2 => out.push_str(self.rng.pick(&["true", "false", "null"])),
            3 => {
                if self.rng.chance(self.faults) {
                    out.push_str(self.rng.pick(&["tru", "nul", "True", "undefined"]));
                } else {
                    self.number(out);
                }
            }
            4 => {
                // Deep nesting around common limits.
                let n = if self.rng.chance(10) { 120 + self.rng.below(12) } else { 1 + self.rng.below(6) };
                let mut closing = String::new();
                for _ in 0..n {
                    if self.rng.chance(50) {
                        out.push('[');
                        closing.insert(0, ']');
                    } else {
                        out.push_str("{\"d\":");
                        closing.insert(0, '}');
                    }
                }
                out.push('0');
                out.push_str(&closing);
            }
            5 | 6 => {
                out.push('[');
                self.ws(out);
                let n = self.rng.below(5);
                for i in 0..n {
                    if i > 0 {
                        out.push(',');
                        self.ws(out);
                    }
                    self.value(out, depth - 1);
                    self.ws(out);
                }
                if n > 0 && self.rng.chance(self.faults) {
                    out.push(',');
                }
                out.push(']');
            }
            _ => {
                out.push('{');
                self.ws(out);
                let n = self.rng.below(6);
                for i in 0..n {
                    if i > 0 {
                        out.push(',');
                        self.ws(out);
                    }
                    self.name(out);
                    self.ws(out);
                    out.push(':');
                    self.ws(out);
                    self.value(out, depth - 1);
                    self.ws(out);
                }
                out.push('}');
            }
        }
    }

    fn document(&mut self) -> String {
        let mut out = String::new();
        self.ws(&mut out);
        let depth = self.rng.below(5);
        self.value(&mut out, depth);
        self.ws(&mut out);
        if self.rng.chance(self.faults / 2) {
            out.push_str(self.rng.pick(&["x", "]", "1", ",", "{}"]));
        }
        out
    }
}

#[test]
fn text_path_agrees_with_the_tree_path_on_generated_texts() {
    let mut generator = Gen { rng: Rng(0x9E37_79B9_7F4A_7C15), faults: 3 };
    let (mut valid, mut invalid) = (0, 0);
    let mut codes = Vec::new();
    for i in 0..20_000 {
        let text = generator.document();
        let depth = [0, 1, 2, 3, 5, MAX_JSON_DEPTH, 500][i % 7];
        let tree = via_tree(&text, depth);
        let one_pass = via_text(&text, depth);
        assert_eq!(one_pass, tree, "text {i}: {text:?} at depth {depth}");
        match one_pass {
            Ok(canonical) => {
                valid += 1;
                // Canonical text is a fixed point.
                assert_eq!(via_text(&canonical, depth).as_deref(), Ok(canonical.as_str()));
            }
            Err(code) => {
                invalid += 1;
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
        }
    }
    // The generator reaches both outcomes and both error codes, or the test proves little.
    assert!(valid > 8_000 && invalid > 2_000, "{valid} valid, {invalid} invalid");
    assert!(codes.contains(&ErrorCode::MalformedInput) && codes.contains(&ErrorCode::InputTooLarge));
    assert_eq!(codes.len(), 2);
}

#[test]
fn elements_are_canonicalized_one_by_one() {
    let mut generator = Gen { rng: Rng(0x0123_4567_89AB_CDEF), faults: 0 };
    for _ in 0..500 {
        let docs: Vec<String> = (0..1 + generator.rng.below(6)).map(|_| generator.document()).filter(|d| via_text(d, 8).is_ok()).collect();
        let array = format!("[ {} ]", docs.join(" ,\n"));
        let mut got = Vec::new();
        let n = canonicalize_elements(&array, 8, |i, c| {
            assert_eq!(i, got.len());
            got.push(c.to_owned());
            Ok(())
        })
        .unwrap();
        let want: Vec<String> = docs.iter().map(|d| via_text(d, 8).unwrap()).collect();
        assert_eq!((n, got), (want.len(), want));
    }
    assert_eq!(canonicalize_elements(" [ ] ", 8, |_, _| Ok(())).map_err(|e| e.code), Ok(0));
    for bad in ["{}", "[1,]", "[1 2]", "[1]]", "[", "", "[1,{\"a\":1,\"a\":1}]"] {
        assert_eq!(canonicalize_elements(bad, 8, |_, _| Ok(())).map_err(|e| e.code), Err(ErrorCode::MalformedInput), "{bad:?}");
    }
    // Errors name the element; the depth limit applies to each element, not the array.
    let err = canonicalize_elements("[1, [[1]], [[[1]]]]", 2, |_, _| Ok(())).unwrap_err();
    assert_eq!((err.code, err.path.as_deref()), (ErrorCode::InputTooLarge, Some("[2]")));
    let err = canonicalize_elements("[0, 1]", 2, |i, _| if i == 1 { Err(credcore::Error::malformed("stop")) } else { Ok(()) }).unwrap_err();
    assert_eq!(err.message, "stop");
}
