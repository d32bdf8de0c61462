//! Interop with rdf-canonize, the JavaScript RDFC-1.0 implementation of Digital Bazaar, as the
//! repository's node_modules have it (installed by `make setup`): version 5, which
//! @digitalbazaar/vc 7 and @digitalbazaar/data-integrity use (through jsonld 9), resolved from
//! @digitalbazaar/vc's folder. 400 generated datasets (random ones with shared graph names,
//! literals with languages, datatypes and non-ASCII text; copies of small blank node patterns,
//! which tie) canonicalized by both must agree byte for byte, and each side's canonical output,
//! given to the other, comes back unchanged.
//!
//! Known divergence, asserted so that a change on either side shows: rdf-canonize 3 (which
//! anon-identity 1.0 uses, through jsonld 8) escapes only `"`, `\`, LF and CR in literals, where
//! RDFC-1.0 (and rdf-canonize 5) also writes `\t`, `\b`, `\f` and `\u00XX` for the other control
//! characters. A credential whose strings hold such a character canonicalizes differently there,
//! so a proof made with rdf-canonize 3 over it does not verify under RDFC-1.0, nor the reverse.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use credcore_ld::rdfc::{self, Options};

/// xorshift64*: deterministic datasets, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) % n
    }
}

/// Copies of one small blank node pattern (cycles, stars, literals), some hung off an IRI: the
/// copies tie, so Hash N-Degree Quads and its permutations decide.
fn tied(rng: &mut Rng) -> String {
    let size = 2 + rng.next(3);
    let edges: Vec<(u64, u64, u64)> = (0..size + rng.next(4)).map(|_| (rng.next(size), rng.next(2), rng.next(size + 1))).collect();
    let mut text = String::new();
    for copy in 0..2 + rng.next(2) {
        for &(from, p, to) in &edges {
            let object = if to == size { "\"v\"".to_owned() } else { format!("_:c{copy}n{to}") };
            text.push_str(&format!("_:c{copy}n{from} <http://example.org/p{p}> {object} .\n"));
        }
        if rng.next(2) == 0 {
            text.push_str(&format!("<http://example.org/root> <http://example.org/has> _:c{copy}n0 .\n"));
        }
    }
    text
}

fn dataset(rng: &mut Rng) -> String {
    if rng.next(2) == 0 {
        return tied(rng);
    }
    let blanks = 1 + rng.next(6);
    let node = |rng: &mut Rng| -> String {
        if rng.next(4) == 0 {
            format!("<http://example.org/n{}>", rng.next(3))
        } else {
            format!("_:x{}", rng.next(blanks))
        }
    };
    let literals =
        ["\"a\"", "\"a\"@en", "\"a\"@EN-gb", "\"1\"^^<http://www.w3.org/2001/XMLSchema#integer>", "\"é ∞ 😀 \\\"q\\\" \\\\ \\n\"", "\"\""];
    let mut text = String::new();
    for _ in 0..1 + rng.next(10) {
        let subject = node(rng);
        let predicate = format!("<http://example.org/p{}>", rng.next(2));
        let object = if rng.next(3) == 0 { literals[rng.next(literals.len() as u64) as usize].to_owned() } else { node(rng) };
        let graph = match rng.next(4) {
            0 => " <http://example.org/g>".to_owned(),
            1 => format!(" _:x{}", rng.next(blanks)),
            _ => String::new(),
        };
        text.push_str(&format!("{subject} {predicate} {object}{graph} .\n"));
    }
    text
}

/// Which rdf-canonize: the one @digitalbazaar/vc resolves (5), or anon-identity's jsonld's (3).
#[derive(Clone, Copy)]
enum Peer {
    Vc,
    AnonIdentity,
}

/// Canonicalizes each text with rdf-canonize (its N-Quads parser, then RDFC-1.0 with SHA-256,
/// named `URDNA2015` in version 3). Version 5's work bound is lifted (`maxWorkFactor: Infinity`):
/// its default of 1 refuses some of the small tied datasets, which are within credcore-ld's.
fn rdf_canonize(peer: Peer, texts: &[String]) -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let (from, call) = match peer {
        Peer::Vc => {
            ("@digitalbazaar/vc", "c.canonize(t, { algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads', maxWorkFactor: Infinity })")
        }
        Peer::AnonIdentity => ("anon-identity", "c.canonize(c.NQuads.parse(t), { algorithm: 'URDNA2015' })"),
    };
    // The package as `from` resolves it, then jsonld as that resolves it, then rdf-canonize as
    // jsonld resolves it: the copy the peer really loads.
    let script = format!(
        r#"const {{ createRequire }} = require('node:module');
        const fs = require('node:fs');
        const path = require('node:path');
        const pkgDir = (file) => {{ let d = path.dirname(file); while (!fs.existsSync(path.join(d, 'package.json'))) d = path.dirname(d); return d; }};
        let from = path.join(process.cwd(), 'node_modules', '{from}', 'package.json');
        for (const name of ['jsonld', 'rdf-canonize']) from = path.join(pkgDir(createRequire(from).resolve(name)), 'package.json');
        const c = createRequire(from)(path.dirname(from));
        const version = JSON.parse(fs.readFileSync(from, 'utf8')).version;
        let input = '';
        process.stdin.on('data', (d) => {{ input += d; }});
        process.stdin.on('end', async () => {{
          const out = [];
          for (const t of JSON.parse(input)) out.push(await {call});
          process.stdout.write(JSON.stringify({{ version, out }}));
        }});"#
    );
    let mut child = Command::new("node")
        .arg("-e")
        .arg(script)
        .current_dir(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs (make setup installs it and the node_modules)");
    child.stdin.take().expect("stdin").write_all(serde_json::to_string(texts).expect("JSON").as_bytes()).expect("write");
    let out = child.wait_with_output().expect("node finishes");
    assert!(out.status.success(), "rdf-canonize failed: {}", String::from_utf8_lossy(&out.stderr));
    let reply: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON from node");
    let version = reply["version"].as_str().expect("version").to_owned();
    let expected_major = match peer {
        Peer::Vc => "5.",
        Peer::AnonIdentity => "3.",
    };
    assert!(version.starts_with(expected_major), "rdf-canonize {version}, expected {expected_major}x");
    serde_json::from_value(reply["out"].clone()).expect("outputs")
}

#[test]
fn agrees_with_rdf_canonize() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let inputs: Vec<String> = (0..400).map(|_| dataset(&mut rng)).collect();
    let results: Vec<rdfc::Canonical> =
        inputs.iter().map(|t| rdfc::canonicalize_nquads(t, &Options::default()).expect("canonicalizes")).collect();
    let tied = results.iter().filter(|c| c.work.calls > 0).count();
    assert!(tied > 50, "the datasets exercise Hash N-Degree Quads ({tied} of 400)");
    let ours: Vec<String> = results.into_iter().map(|c| c.nquads).collect();
    let theirs = rdf_canonize(Peer::Vc, &inputs);
    let differ: Vec<usize> = (0..inputs.len()).filter(|&i| ours[i] != theirs[i]).collect();
    assert!(
        differ.is_empty(),
        "{} differ; first:\n{}ours:\n{}theirs:\n{}",
        differ.len(),
        inputs[differ[0]],
        ours[differ[0]],
        theirs[differ[0]]
    );
    // Each side's output is canonical for the other.
    assert_eq!(rdf_canonize(Peer::Vc, &ours), ours);
    for text in &theirs {
        assert_eq!(&rdfc::canonicalize_nquads(text, &Options::default()).expect("canonicalizes").nquads, text);
    }
    let blank_nodes = ours.iter().filter(|t| t.contains("_:c14n1 ")).count();
    assert!(blank_nodes > 100, "the datasets exercise several blank nodes ({blank_nodes})");
}

#[test]
fn rdf_canonize_3_escapes_fewer_control_characters() {
    let input = "<http://example.org/s> <http://example.org/p> \"tab\\there\\u0001\" .\n".to_owned();
    let ours = rdfc::canonicalize_nquads(&input, &Options::default()).expect("canonicalizes").nquads;
    assert_eq!(ours, "<http://example.org/s> <http://example.org/p> \"tab\\there\\u0001\" .\n");
    assert_eq!(rdf_canonize(Peer::Vc, std::slice::from_ref(&input)), vec![ours.clone()], "rdf-canonize 5 agrees");
    let old = rdf_canonize(Peer::AnonIdentity, &[input]).remove(0);
    assert_eq!(old, "<http://example.org/s> <http://example.org/p> \"tab\there\u{1}\" .\n", "rdf-canonize 3 writes them raw");
}
