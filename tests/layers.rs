#![cfg(not(target_arch = "wasm32"))]
// A failed read of the crate's own sources is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The core's modules depend one way: every `crate::...` reference in a module's code (not its
//! comments or unit tests) names a module of a lower layer, and the files of each folder do not
//! import each other in a cycle. A new module needs its layer here (and in `src/lib.rs`'s map).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Layers, bottom to top: a module may use modules of lower layers only.
const LAYERS: &[&[&str]] = &[
    &["error", "limits"],
    &["encoding", "json", "time", "random", "cache"],
    &["hash", "mac", "jcs"],
    &["keys"],
    &["jws", "audit"],
    &["verdict", "options"],
    &["batch", "session"],
    &["status"],
    &["credential"],
    &["sdjwt"],
    &["verifier"],
    &["wasm"],
];

fn layer_of(module: &str) -> usize {
    LAYERS.iter().position(|l| l.contains(&module)).unwrap_or_else(|| panic!("module `{module}` has no layer in tests/layers.rs"))
}

/// The code of a source file: without comments and without its `#[cfg(test)]` module.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// Every `.rs` file under `dir`, with its path relative to `src/`.
fn sources(dir: &Path, base: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, base, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
            out.push((rel, std::fs::read_to_string(&path).unwrap()));
        }
    }
}

/// The identifiers that follow `prefix` in `code` (`crate::` -> `keys`, `status`, ...).
fn names_after<'a>(code: &'a str, prefix: &str) -> Vec<&'a str> {
    code.match_indices(prefix)
        .filter_map(|(i, _)| {
            let rest = code.get(i + prefix.len()..)?;
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
            rest.get(..end).filter(|n| !n.is_empty())
        })
        .collect()
}

fn all_sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &src, &mut files);
    assert!(files.len() > 40, "read only {} source files", files.len());
    files
}

#[test]
fn modules_use_only_lower_layers() {
    let mut bad = Vec::new();
    let mut edges = 0;
    for (rel, text) in all_sources() {
        let module = rel.split('/').next().unwrap().trim_end_matches(".rs");
        if module == "lib" {
            continue;
        }
        let code = code_of(&text);
        for used in names_after(&code, "crate::") {
            if used == module || matches!(used, "Error" | "ErrorCode" | "Result") {
                continue;
            }
            edges += 1;
            if layer_of(used) >= layer_of(module) {
                bad.push(format!("{rel}: uses crate::{used} (layer {} >= {})", layer_of(used), layer_of(module)));
            }
        }
    }
    assert!(edges > 100, "found only {edges} cross-module references");
    assert!(bad.is_empty(), "imports against the layers:\n{}", bad.join("\n"));
}

#[test]
fn files_of_a_folder_import_each_other_without_cycles() {
    // Folder -> (file -> siblings it imports through `super::`).
    let mut folders: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    let files = all_sources();
    for (rel, text) in &files {
        let Some((folder, file)) = rel.rsplit_once('/') else { continue };
        let file = file.trim_end_matches(".rs");
        if file == "mod" {
            continue; // the folder's own surface: its children are its parts
        }
        let code = code_of(text);
        let siblings: BTreeSet<String> = files
            .iter()
            .filter_map(|(r, _)| r.strip_prefix(&format!("{folder}/")).map(|f| f.trim_end_matches(".rs").to_owned()))
            .filter(|f| !f.contains('/') && f != "mod" && f != file)
            .collect();
        let used: BTreeSet<String> =
            names_after(&code, "super::").into_iter().filter(|n| siblings.contains(*n)).map(str::to_owned).collect();
        folders.entry(folder.to_owned()).or_default().insert(file.to_owned(), used);
    }
    assert!(folders.contains_key("status") && folders.contains_key("credential"));
    for (folder, graph) in &folders {
        // Depth-first search for a back edge.
        fn visit(
            n: &str,
            g: &BTreeMap<String, BTreeSet<String>>,
            state: &mut BTreeMap<String, u8>,
            path: &mut Vec<String>,
        ) -> Option<Vec<String>> {
            match state.get(n) {
                Some(1) => {
                    let start = path.iter().position(|p| p == n).unwrap_or(0);
                    let mut cycle = path[start..].to_vec();
                    cycle.push(n.to_owned());
                    return Some(cycle);
                }
                Some(2) => return None,
                _ => {}
            }
            state.insert(n.to_owned(), 1);
            path.push(n.to_owned());
            for m in g.get(n).into_iter().flatten() {
                if let Some(c) = visit(m, g, state, path) {
                    return Some(c);
                }
            }
            path.pop();
            state.insert(n.to_owned(), 2);
            None
        }
        let mut state = BTreeMap::new();
        for n in graph.keys() {
            if let Some(cycle) = visit(n, graph, &mut state, &mut Vec::new()) {
                panic!("src/{folder}: an import cycle: {}", cycle.join(" -> "));
            }
        }
    }
}
