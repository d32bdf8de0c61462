//! The W3C JSON-LD 1.1 API test suite (tests/expand and tests/toRdf manifests, data in
//! tests/json-ld-api/, see its README): every test whose features are in scope must pass.
//!
//! Scope, by feature (not by result): tests for json-ld-1.1 (`specVersion` not `json-ld-1.0`,
//! `processingMode` not `json-ld-1.0`); no `expandContext` option; no HTML input; no
//! `rdfDirection: compound-literal`; no `produceGeneralizedRdf`. Remote documents are served by a
//! local loader from the copied files. Safe mode is off (the suite tests what the spec drops).
//! Expand output is compared as JSON-LD objects (arrays unordered except `@list`); toRdf output
//! exactly as a set of quads, else up to blank node labels (both counts are printed).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use credcore_ld::jsonld::{self, DocumentLoader, Error, Options, RdfDirection, RemoteDocument};
use serde_json::Value;

const BASE: &str = "https://w3c.github.io/json-ld-api/tests/";

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/json-ld-api")
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).expect("JSON")
}

/// Serves the suite's files at their published URLs.
struct SuiteLoader;

impl DocumentLoader for SuiteLoader {
    fn load(&self, url: &str) -> Result<RemoteDocument, Error> {
        let rel = url.strip_prefix(BASE).ok_or_else(|| Error::context_unavailable(url))?;
        let text = std::fs::read_to_string(dir().join(rel)).map_err(|_| Error::context_unavailable(url))?;
        let document = serde_json::from_str(&text).map_err(|_| Error::context_unavailable(url))?;
        Ok(RemoteDocument { url: url.to_owned(), document: Arc::new(document) })
    }
}

/// JSON-LD object comparison: maps by entries, arrays as multisets except under `@list`.
fn same(a: &Value, b: &Value, ordered: bool) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.get(k).is_some_and(|w| {
                        if k == "@language" {
                            v.as_str().map(str::to_lowercase) == w.as_str().map(str::to_lowercase)
                        } else {
                            same(v, w, k == "@list")
                        }
                    })
                })
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return false;
            }
            if ordered {
                return x.iter().zip(y).all(|(v, w)| same(v, w, false));
            }
            let mut used = vec![false; y.len()];
            x.iter().all(|v| {
                (0..y.len()).any(|j| {
                    if !used[j] && same(v, &y[j], false) {
                        used[j] = true;
                        return true;
                    }
                    false
                })
            })
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

#[derive(Default)]
struct Tally {
    total: usize,
    in_scope: usize,
    passed: usize,
    exact: usize,
    errors: usize,
    syntax: usize,
    failures: Vec<String>,
}

fn in_scope(test: &Value) -> bool {
    let opt = test.get("option").cloned().unwrap_or(Value::Null);
    let s = |k: &str| opt.get(k).and_then(Value::as_str);
    let input = test["input"].as_str().unwrap_or("");
    s("specVersion") != Some("json-ld-1.0")
        && s("processingMode") != Some("json-ld-1.0")
        && opt.get("expandContext").is_none()
        && opt.get("produceGeneralizedRdf").and_then(Value::as_bool) != Some(true)
        && s("rdfDirection") != Some("compound-literal")
        && !input.ends_with(".html")
}

fn run(manifest: &str, to_rdf: bool) -> Tally {
    let m = read_json(&dir().join(manifest));
    let mut t = Tally::default();
    for test in m["sequence"].as_array().expect("sequence") {
        t.total += 1;
        if !in_scope(test) {
            continue;
        }
        t.in_scope += 1;
        let id = test["@id"].as_str().unwrap_or("?").to_owned();
        let input_path = test["input"].as_str().expect("input");
        let url = format!("{BASE}{input_path}");
        let input = read_json(&dir().join(input_path));
        let opt = test.get("option").cloned().unwrap_or(Value::Null);
        let options = Options {
            base: Some(opt.get("base").and_then(Value::as_str).map_or(url.clone(), str::to_owned)),
            safe: false,
            rdf_direction: (opt.get("rdfDirection").and_then(Value::as_str) == Some("i18n-datatype")).then_some(RdfDirection::I18nDatatype),
            ..Options::default()
        };
        let types: Vec<&str> = test["@type"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        let negative = types.contains(&"jld:NegativeEvaluationTest");
        let name = format!("{manifest}{id} {}", test["name"].as_str().unwrap_or(""));
        let outcome: Result<bool, String> = if to_rdf {
            match jsonld::to_rdf(&input, &SuiteLoader, &options) {
                Ok(_) if !negative && test.get("expect").is_none() => {
                    t.syntax += 1;
                    Ok(true)
                }
                Ok(quads) if !negative => {
                    let want =
                        support::parse_nquads(&std::fs::read_to_string(dir().join(test["expect"].as_str().expect("expect"))).expect("nq"));
                    let mut got: Vec<_> = quads.clone();
                    got.sort();
                    got.dedup();
                    let mut w = want.clone();
                    w.sort();
                    w.dedup();
                    if got == w {
                        t.exact += 1;
                        Ok(true)
                    } else if support::isomorphic(&got, &w) {
                        Ok(true)
                    } else {
                        Err(format!(
                            "got\n{}want\n{}",
                            got.iter().map(support::quad_line).collect::<String>(),
                            w.iter().map(support::quad_line).collect::<String>()
                        ))
                    }
                }
                Ok(_) => Err("no error".to_owned()),
                Err(e) if negative => check_error(test, &e).inspect(|_| t.errors += 1),
                Err(e) => Err(format!("{e}")),
            }
        } else {
            match jsonld::expand(&input, &SuiteLoader, &options) {
                Ok(out) if !negative => {
                    let want = read_json(&dir().join(test["expect"].as_str().expect("expect")));
                    if same(&out, &want, false) {
                        t.exact += 1;
                        Ok(true)
                    } else {
                        Err(format!("got {out}\nwant {want}"))
                    }
                }
                Ok(out) => Err(format!("no error: {out}")),
                Err(e) if negative => check_error(test, &e).inspect(|_| t.errors += 1),
                Err(e) => Err(format!("{e}")),
            }
        };
        match outcome {
            Ok(_) => t.passed += 1,
            Err(why) => t.failures.push(format!("{name}: {why}")),
        }
    }
    t
}

fn check_error(test: &Value, e: &Error) -> Result<bool, String> {
    let want = test["expectErrorCode"].as_str().unwrap_or("");
    if e.spec == want {
        Ok(true)
    } else {
        Err(format!("error {:?}, expected {want:?}: {e}", e.spec))
    }
}

fn report(name: &str, t: &Tally) {
    println!(
        "{name}: {} tests, {} in scope, {} passed ({} expected errors, {} syntax-only; {} outputs equal as written, {} more up to blank node labels), {} failed",
        t.total,
        t.in_scope,
        t.passed,
        t.errors,
        t.syntax,
        t.exact,
        t.passed - t.errors - t.syntax - t.exact,
        t.failures.len()
    );
    for f in &t.failures {
        println!("FAIL {f}\n");
    }
}

#[test]
fn w3c_expand() {
    let t = run("expand-manifest.jsonld", false);
    report("expand", &t);
    assert!(t.failures.is_empty(), "{} in-scope expand tests failed", t.failures.len());
}

#[test]
fn w3c_to_rdf() {
    let t = run("toRdf-manifest.jsonld", true);
    report("toRdf", &t);
    assert!(t.failures.is_empty(), "{} in-scope toRdf tests failed", t.failures.len());
}
