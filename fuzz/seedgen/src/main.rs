//! Writes the seed corpora of the fuzz targets to `fuzz/seeds/<target>/`, from the vectors and
//! fixtures under `tests/data` and from inputs issued with the crate's own APIs. Deterministic:
//! running it again writes the same files.
//!
//! The input layouts (configuration bytes, separators) are the ones each target documents at
//! its top; the times and keys are those of `fuzz/src/lib.rs`.

use credcore::audit::{to_jsonl, AuditLog};
use credcore::hash::{sha256, HashAlg};
use credcore::batch::wire::pack;
use credcore::credential::issue::{create_presentation, issue_credential, IssueFormat, PresentationFormat, VC_V2_CONTEXT};
use credcore::encoding::{b64url_decode, hex_decode};
use credcore::keys::KeyPair;
use credcore::sdjwt::disclosure::Disclosure;
use credcore::sdjwt::{issue, present, IssueOptions, KeyBindingParams, Selection};
use credcore::session::{create_session, SessionKey, SessionSource};
use credcore::status::{BitOrder, Container, ListConfig, ListFormat, StatusList, StatusListIssuer};
use credcore::verifier::{CacheConfig, Verifier};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

// Kept equal to fuzz/src/lib.rs (this crate does not link the fuzz library).
const NOW_S: i64 = 1_750_000_000;
const VERIFY_MS: f64 = (NOW_S as f64 + 10.0) * 1000.0;
const NONCE: &str = "n-0S6_WzA2Mj";
const AUDIENCE: &str = "https://verifier.example.org";
const STATUS_URI: &str = "https://example.com/statuslists/1";
const STATUS_URI2: &str = "https://example.com/statuslists/2";
const VCT: &str = "https://credentials.example.com/identity_credential";
/// Configuration bytes of `verify_batch`: clock 0 = the seeds' time, 1 = anon-identity
/// fixtures, 2 = SD-JWT interop; 4 = nonce and audience.
const CFG_SEEDS: u8 = 0;
const CFG_FIXTURES: u8 = 1;
const CFG_INTEROP: u8 = 2;
const CFG_BINDING: u8 = 4;

fn issuer() -> KeyPair {
    KeyPair::from_seed(&[1; 32])
}
fn holder() -> KeyPair {
    KeyPair::from_seed(&[2; 32])
}

fn det_rng(start: u64) -> impl FnMut(&mut [u8]) -> credcore::Result<()> {
    let mut counter = start;
    move |buf: &mut [u8]| {
        for chunk in buf.chunks_mut(32) {
            counter += 1;
            let block = sha256(&counter.to_le_bytes());
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
        Ok(())
    }
}

struct Seeds {
    dir: PathBuf,
    written: HashMap<String, usize>,
}

impl Seeds {
    fn put(&mut self, target: &str, name: &str, bytes: &[u8]) {
        let dir = self.dir.join(target);
        fs::create_dir_all(&dir).expect("create the seed directory");
        let n = self.written.entry(target.to_owned()).or_default();
        *n += 1;
        let safe: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
        fs::write(dir.join(format!("{:03}-{safe}", *n)), bytes).expect("write a seed");
    }

    fn put_cfg(&mut self, target: &str, name: &str, cfg: &[u8], body: &[u8]) {
        let mut v = cfg.to_vec();
        v.extend_from_slice(body);
        self.put(target, name, &v);
    }
}

fn read(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn json_file(root: &Path, rel: &str) -> Value {
    serde_json::from_str(&read(root, rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => serde_json::to_string(other).expect("a Value serializes"),
    }
}

/// An input item with the `verify_batch` configuration byte it verifies under.
struct Item {
    name: String,
    text: String,
    cfg: u8,
}

/// `{ bits, lst }` of an IETF example (the `lst` is wrapped over several lines).
fn ietf_example(root: &Path, name: &str) -> (u8, String) {
    let text = read(root, &format!("tests/data/status/{name}"));
    let json = &text[text.find('{').expect("a JSON block")..];
    let flat: String = json.split_whitespace().collect();
    let v: Value = serde_json::from_str(&flat).expect("the example's JSON");
    (v["bits"].as_u64().expect("bits") as u8, v["lst"].as_str().expect("lst").to_owned())
}

fn status_lists() -> Vec<(String, String)> {
    let key = issuer();
    let mut out = Vec::new();
    let mut w3c = StatusListIssuer::new(ListConfig {
        format: ListFormat::W3c,
        uri: STATUS_URI.into(),
        size: 131_072,
        bits: 1,
        purpose: Some("revocation".into()),
        ttl_seconds: Some(300),
        valid_for_seconds: Some(86_400),
    })
    .expect("a W3C list");
    w3c.set(7, 1).expect("in range");
    out.push(("w3c-revocation".to_owned(), w3c.sign(&key, VERIFY_MS - 10_000.0)));
    for bits in [1u8, 2, 4, 8] {
        let mut ietf = StatusListIssuer::new(ListConfig {
            format: ListFormat::Ietf,
            uri: STATUS_URI2.into(),
            size: 64,
            bits,
            purpose: None,
            ttl_seconds: if bits == 1 { None } else { Some(60) },
            valid_for_seconds: Some(3600),
        })
        .expect("an IETF list");
        ietf.set(5, 1).expect("in range");
        if bits > 1 {
            ietf.set(6, 2).expect("in range");
        }
        out.push((format!("ietf-bits{bits}"), ietf.sign(&key, VERIFY_MS - 10_000.0)));
    }
    let mut suspension = StatusListIssuer::new(ListConfig {
        format: ListFormat::W3c,
        uri: format!("{STATUS_URI}s"),
        size: 131_072 * 2,
        bits: 2,
        purpose: Some("suspension".into()),
        ttl_seconds: None,
        valid_for_seconds: None,
    })
    .expect("a W3C list");
    suspension.set(3, 1).expect("in range");
    out.push(("w3c-suspension-bits2".to_owned(), suspension.sign(&key, VERIFY_MS - 10_000.0)));
    out
}

/// Status lists made from the IETF and W3C examples of tests/data, signed here.
fn example_lists(root: &Path) -> Vec<(String, String)> {
    let key = issuer();
    let mut out = Vec::new();
    for f in ["status_list_encoding_json.md", "status_list_encoding2_json.md", "status_list_encoding4_json.md", "status_list_encoding8_json.md"] {
        let (bits, lst) = ietf_example(root, f);
        let claims = json!({ "iss": key.did(), "sub": STATUS_URI2, "iat": NOW_S, "status_list": { "bits": bits, "lst": lst } });
        let mut header = Map::new();
        header.insert("typ".into(), json!("statuslist+jwt"));
        header.insert("kid".into(), json!(key.kid()));
        out.push((format!("example-{f}"), credcore::jws::sign(&header, claims.to_string().as_bytes(), &key)));
    }
    let encoded = read(root, "tests/data/status/w3c_rec_example.txt").trim().to_owned();
    let vc = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": STATUS_URI,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": key.did(),
        "validFrom": "2025-06-15T00:00:00Z",
        "credentialSubject": { "id": format!("{STATUS_URI}#list"), "type": "BitstringStatusList", "statusPurpose": "revocation", "encodedList": encoded },
    });
    let mut header = Map::new();
    header.insert("typ".into(), json!("vc+jwt"));
    out.push(("example-w3c-rec".to_owned(), credcore::jws::sign(&header, vc.to_string().as_bytes(), &key)));
    // The VC 1.1 JWT form (the credential under `vc`), which older issuers publish.
    let legacy = json!({ "iss": key.did(), "nbf": NOW_S, "vc": vc });
    out.push(("example-w3c-vc11".to_owned(), credcore::jws::sign(&Map::new(), legacy.to_string().as_bytes(), &key)));
    out
}

fn issued_items() -> Vec<Item> {
    let iss = issuer();
    let hol = holder();
    let mut items = Vec::new();
    let subject = json!({ "id": hol.did(), "givenName": "Alice", "age": 42, "address": { "city": "Paris", "zip": ["75001", 75002] } });
    let mut creds = Vec::new();
    for (name, ctx, format, exp) in [
        ("vc-jwt", None, IssueFormat::VcJwt, Some(3600)),
        ("vc-jwt-v2", Some(VC_V2_CONTEXT), IssueFormat::VcJwt, None),
        ("anon-credential", None, IssueFormat::AnonIdentity, Some(3600)),
        ("anon-credential-v2", Some(VC_V2_CONTEXT), IssueFormat::AnonIdentity, Some(60)),
    ] {
        // A given id is kept (issuance would draw a random one, and the seeds are reproducible).
        let mut body = json!({ "id": format!("urn:uuid:00000000-0000-4000-8000-{:012}", creds.len()), "credentialSubject": subject });
        if let Some(c) = ctx {
            body["@context"] = json!([c]);
        }
        let c = issue_credential(&body, &iss, format, exp, NOW_S).expect("issue");
        items.push(Item { name: name.into(), text: text_of(&c), cfg: CFG_SEEDS });
        creds.push(c);
    }
    let expired = issue_credential(&json!({ "id": "urn:uuid:00000000-0000-4000-8000-000000000100", "credentialSubject": subject }), &iss, IssueFormat::VcJwt, Some(1), NOW_S - 7200).expect("issue");
    items.push(Item { name: "vc-jwt-expired".into(), text: text_of(&expired), cfg: CFG_SEEDS });
    let w3c_status = json!({
        "id": "urn:uuid:00000000-0000-4000-8000-000000000101",
        "credentialSubject": subject,
        "credentialStatus": { "id": format!("{STATUS_URI}#7"), "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "7", "statusListCredential": STATUS_URI },
    });
    for (name, format) in [("vc-jwt-status", IssueFormat::VcJwt), ("anon-status", IssueFormat::AnonIdentity)] {
        let c = issue_credential(&w3c_status, &iss, format, Some(3600), NOW_S).expect("issue");
        items.push(Item { name: name.into(), text: text_of(&c), cfg: CFG_SEEDS });
    }
    for (name, format, nonce) in [
        ("vp-jwt", PresentationFormat::VpJwt, false),
        ("vp-jwt-bound", PresentationFormat::VpJwt, true),
        ("anon-presentation", PresentationFormat::AnonIdentity, false),
        ("anon-presentation-bound", PresentationFormat::AnonIdentity, true),
    ] {
        let (n, a) = if nonce { (Some(NONCE), Some(AUDIENCE)) } else { (None, None) };
        let vp = create_presentation(&creds, &hol, n, a, format, NOW_S).expect("present");
        items.push(Item { name: name.into(), text: text_of(&vp), cfg: if nonce { CFG_SEEDS | CFG_BINDING } else { CFG_SEEDS } });
    }

    let claims = json!({
        "given_name": "John", "family_name": "Doe", "email": "john@example.com",
        "address": { "street_address": "123 Main St", "locality": "Anytown", "country": "US" },
        "nationalities": ["DE", "FR", { "city": "Berlin" }],
        "status": { "status_list": { "idx": 5, "uri": STATUS_URI2 } },
    });
    let paths: Vec<String> = ["/given_name", "/family_name", "/email", "/address", "/address/locality", "/nationalities/0", "/nationalities/2", "/nationalities/2/city"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    for (i, alg) in [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512].into_iter().enumerate() {
        let opts = IssueOptions {
            disclose: Selection::Paths(paths.clone()),
            vct: Some(VCT.into()),
            holder_public_key: Some(hol.public_key().clone().into()),
            decoys: i,
            expires_in: Some(3600),
            now_seconds: NOW_S,
            hash_alg: alg,
        };
        let sd = issue(&claims, &opts, &iss, &mut det_rng(100 + i as u64)).expect("issue an SD-JWT");
        items.push(Item { name: format!("sd-jwt-{i}"), text: sd.clone(), cfg: CFG_SEEDS });
        let kb = KeyBindingParams { key: &hol, nonce: NONCE, audience: AUDIENCE, iat: NOW_S };
        let shown = Selection::Paths(vec!["/given_name".into(), "/address/locality".into(), "/nationalities/2/city".into()]);
        let p = present(&sd, &shown, Some(&kb)).expect("present an SD-JWT");
        items.push(Item { name: format!("sd-jwt-kb-{i}"), text: p, cfg: CFG_SEEDS | CFG_BINDING });
        let none = present(&sd, &Selection::None, None).expect("present an SD-JWT");
        items.push(Item { name: format!("sd-jwt-none-{i}"), text: none, cfg: CFG_SEEDS });
    }
    // Nesting: a chain of disclosable levels.
    let mut deep = json!("bottom");
    let mut deep_paths = Vec::new();
    let mut path = String::new();
    for level in 0..40 {
        path.push_str(&format!("/l{level}"));
        deep_paths.push(path.clone());
    }
    for level in (0..40).rev() {
        deep = json!({ format!("l{level}"): deep });
    }
    let opts = IssueOptions { disclose: Selection::Paths(deep_paths), vct: Some(VCT.into()), now_seconds: NOW_S, ..IssueOptions::default() };
    if let Ok(sd) = issue(&deep, &opts, &iss, &mut det_rng(200)) {
        items.push(Item { name: "sd-jwt-deep".into(), text: sd, cfg: CFG_SEEDS | 128 });
    }
    items
}

fn fixture_items(root: &Path) -> Vec<Item> {
    let mut items = Vec::new();
    for f in ["credential-v1.json", "credential-v2.json", "presentation.json", "presentation-sd.json", "tampered.json"] {
        let v = json_file(root, &format!("tests/data/anon-identity/{f}"));
        for key in ["credential", "presentation"] {
            if let Some(x) = v.get(key) {
                items.push(Item { name: format!("anon-{f}-{key}"), text: text_of(x), cfg: CFG_FIXTURES });
            }
        }
    }
    let jose = json_file(root, "tests/data/anon-identity/jose-vc-jwt.json");
    items.push(Item { name: "anon-jose-vc-jwt".into(), text: text_of(&jose["jwt"]), cfg: CFG_FIXTURES });
    let interop = json_file(root, "tests/data/sdjwt-interop/fixtures.json");
    for (i, case) in interop["cases"].as_array().expect("cases").iter().enumerate() {
        let binding = case.get("options").and_then(|o| o.get("nonce")).is_some();
        for key in ["credential", "presentation"] {
            if let Some(Value::String(s)) = case.get(key) {
                let cfg = if binding && key == "presentation" { CFG_INTEROP | CFG_BINDING } else { CFG_INTEROP };
                items.push(Item { name: format!("interop-{i}-{key}"), text: s.clone(), cfg });
            }
        }
    }
    items.push(Item {
        name: "rfc9901-5.2".into(),
        text: read(root, "tests/data/sdjwt/rfc9901_sec5.2_presentation.txt").trim().to_owned(),
        cfg: CFG_SEEDS,
    });
    // The sd-jwt-js fixtures: their claims and frames issued and presented here.
    let mut names: Vec<String> = fs::read_dir(root.join("tests/data/sdjwt"))
        .expect("tests/data/sdjwt")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    for (i, n) in names.iter().enumerate() {
        let v = json_file(root, &format!("tests/data/sdjwt/{n}"));
        let Some(claims) = v.get("claims") else { continue };
        let disclose = v.get("disclosureFrame").map_or(Selection::None, |f| Selection::from_json(f).unwrap_or_default());
        let opts = IssueOptions {
            disclose,
            vct: Some(VCT.into()),
            holder_public_key: Some(holder().public_key().clone().into()),
            expires_in: Some(3600),
            now_seconds: NOW_S,
            ..IssueOptions::default()
        };
        let Ok(sd) = issue(claims, &opts, &issuer(), &mut det_rng(300 + i as u64)) else { continue };
        items.push(Item { name: format!("sdjs-{n}"), text: sd.clone(), cfg: CFG_SEEDS });
        let shown = v.get("presentationFrames").map_or(Selection::None, |f| Selection::from_json(f).unwrap_or_default());
        let hol = holder();
        let kb = KeyBindingParams { key: &hol, nonce: NONCE, audience: AUDIENCE, iat: NOW_S };
        if let Ok(p) = present(&sd, &shown, Some(&kb)) {
            items.push(Item { name: format!("sdjs-{n}-kb"), text: p, cfg: CFG_SEEDS | CFG_BINDING });
        }
    }
    items
}

/// The JWS parts of an item: its compact JWTs, and the `proof.jws` of JSON items (nested too).
fn jws_parts(text: &str) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(j)) = m.get("jws") {
                    out.push(j.clone());
                }
                m.values().for_each(|x| walk(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            Value::String(s) if s.matches('.').count() == 2 && !s.contains(' ') => out.push(s.clone()),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if text.starts_with('{') {
        if let Ok(v) = serde_json::from_str::<Value>(text) {
            walk(&v, &mut out);
        }
    } else {
        for part in text.split('~') {
            if part.matches('.').count() == 2 {
                out.push(part.to_owned());
            }
        }
    }
    out
}

/// The `sdjwt_disclosure` structured form of an SD-JWT: its payload, then its disclosures, with
/// every digest that names one written as `"@N"` (parents before children).
fn structured_disclosures(sd: &str) -> Option<String> {
    let mut parts = sd.split('~');
    let jwt = parts.next()?;
    let payload_b64 = jwt.split('.').nth(1)?;
    let payload: Value = serde_json::from_slice(&b64url_decode(payload_b64).ok()?).ok()?;
    let alg = match payload.get("_sd_alg").and_then(Value::as_str) {
        Some("sha-384") => HashAlg::Sha384,
        Some("sha-512") => HashAlg::Sha512,
        _ => HashAlg::Sha256,
    };
    let disclosures: Vec<Disclosure> = parts.filter(|p| !p.is_empty() && !p.contains('.')).filter_map(|p| Disclosure::parse(p).ok()).collect();
    let by_digest: HashMap<String, usize> = disclosures.iter().enumerate().map(|(i, d)| (d.digest(alg), i)).collect();
    let raw: Vec<Value> = disclosures
        .iter()
        .map(|d| {
            let mut a = vec![json!(d.salt())];
            if let Some(n) = d.name() {
                a.push(json!(n));
            }
            a.push(d.value().clone());
            Value::Array(a)
        })
        .collect();
    // Pre-order from the payload: a disclosure is numbered before the ones inside it.
    fn visit(v: &Value, by_digest: &HashMap<String, usize>, raw: &[Value], order: &mut Vec<usize>) {
        match v {
            Value::String(s) => {
                if let Some(&i) = by_digest.get(s) {
                    if !order.contains(&i) {
                        order.push(i);
                        visit(&raw[i], by_digest, raw, order);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| visit(x, by_digest, raw, order)),
            Value::Object(m) => m.values().for_each(|x| visit(x, by_digest, raw, order)),
            _ => {}
        }
    }
    let mut order = Vec::new();
    visit(&payload, &by_digest, &raw, &mut order);
    for i in 0..raw.len() {
        if !order.contains(&i) {
            order.push(i);
        }
    }
    let position: HashMap<usize, usize> = order.iter().enumerate().map(|(pos, &i)| (i, pos)).collect();
    fn rewrite(v: &Value, by_digest: &HashMap<String, usize>, position: &HashMap<usize, usize>) -> Value {
        match v {
            Value::String(s) => match by_digest.get(s) {
                Some(i) => json!(format!("@{}", position[i])),
                None => v.clone(),
            },
            Value::Array(a) => Value::Array(a.iter().map(|x| rewrite(x, by_digest, position)).collect()),
            Value::Object(m) => Value::Object(m.iter().map(|(k, x)| (k.clone(), rewrite(x, by_digest, position))).collect()),
            other => other.clone(),
        }
    }
    let mut out = rewrite(&payload, &by_digest, &position).to_string();
    for &i in &order {
        out.push('\n');
        out.push_str(&rewrite(&raw[i], &by_digest, &position).to_string());
    }
    Some(out)
}

/// x509_chain: each x509-limbo online chain (tests/vectors/x509-limbo), leaf first, as
/// `[len: u16 BE][der]...`, and its leaf alone.
fn x509_seeds(root: &Path, s: &mut Seeds) {
    use base64::Engine as _;
    let dir = root.join("tests/vectors/x509-limbo/online");
    let mut files: Vec<_> = fs::read_dir(&dir).expect("the limbo cases").map(|e| e.expect("an entry").path()).collect();
    files.sort();
    let der = |pem: &Value| -> Vec<u8> {
        let body: String = pem.as_str().unwrap_or_default().lines().filter(|l| !l.starts_with("-----")).collect();
        base64::engine::general_purpose::STANDARD.decode(body).expect("a PEM certificate")
    };
    for f in files {
        let case: Value = serde_json::from_slice(&fs::read(&f).expect("a case")).expect("a JSON case");
        let mut chain = vec![der(&case["peer_certificate"])];
        chain.extend(case["untrusted_intermediates"].as_array().into_iter().flatten().map(der));
        let pack = |certs: &[Vec<u8>]| -> Vec<u8> {
            certs.iter().flat_map(|c| (c.len() as u16).to_be_bytes().into_iter().chain(c.iter().copied())).collect()
        };
        let name = case["id"].as_str().unwrap_or("case").to_owned();
        s.put("x509_chain", &name, &pack(&chain));
        s.put("x509_chain", &format!("{name}-leaf"), &pack(&chain[..1]));
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("the repository root");
    let dir = root.join("fuzz/seeds");
    if dir.exists() {
        fs::remove_dir_all(&dir).expect("clear fuzz/seeds");
    }
    let mut s = Seeds { dir, written: HashMap::new() };
    x509_seeds(&root, &mut s);

    let lists = status_lists();
    let examples = example_lists(&root);
    let mut items = issued_items();
    items.extend(fixture_items(&root));

    // verify_batch: each item alone, then mixed batches (with the status lists handed in).
    for it in &items {
        s.put_cfg("verify_batch", &it.name, &[it.cfg], it.text.as_bytes());
    }
    let list_lines: Vec<String> = lists.iter().map(|(_, l)| format!("LIST {l}")).collect();
    let ours: Vec<&str> = items.iter().filter(|i| i.cfg & 3 == CFG_SEEDS && i.cfg & CFG_BINDING == 0).map(|i| i.text.as_str()).collect();
    let bound: Vec<&str> = items.iter().filter(|i| i.cfg == CFG_SEEDS | CFG_BINDING).map(|i| i.text.as_str()).collect();
    let fixtures: Vec<&str> = items.iter().filter(|i| i.cfg & 3 == CFG_FIXTURES).map(|i| i.text.as_str()).collect();
    let interop: Vec<&str> = items.iter().filter(|i| i.cfg & 3 == CFG_INTEROP).map(|i| i.text.as_str()).collect();
    let mut mixed: Vec<String> = list_lines.clone();
    mixed.extend(ours.iter().take(12).map(|t| (*t).to_owned()));
    s.put_cfg("verify_batch", "mixed-with-lists", &[CFG_SEEDS], mixed.join("\n").as_bytes());
    let mut mixed2: Vec<String> = list_lines.clone();
    mixed2.extend(bound.iter().map(|t| (*t).to_owned()));
    mixed2.push(bound.first().copied().unwrap_or_default().to_owned());
    s.put_cfg("verify_batch", "mixed-bound-dup", &[CFG_SEEDS | CFG_BINDING], mixed2.join("\n").as_bytes());
    s.put_cfg("verify_batch", "mixed-fixtures", &[CFG_FIXTURES], fixtures.join("\n").as_bytes());
    s.put_cfg("verify_batch", "mixed-interop", &[CFG_INTEROP | CFG_BINDING], interop.join("\n").as_bytes());
    for (name, l) in lists.iter().chain(&examples) {
        let body = format!("LIST {l}\n{}", ours.first().copied().unwrap_or_default());
        s.put_cfg("verify_batch", &format!("list-{name}"), &[CFG_SEEDS], body.as_bytes());
    }

    // verify_structured and audit_chain read their input through `arbitrary`: random seeds.
    let mut rng = det_rng(7_000);
    for len in [16usize, 64, 128, 256, 512, 1024, 2048, 4096] {
        let mut buf = vec![0u8; len];
        rng(&mut buf).expect("bytes");
        s.put("verify_structured", &format!("random-{len}"), &buf);
        s.put("audit_chain", &format!("random-{len}"), &buf);
    }

    // format_decide
    for it in &items {
        s.put_cfg("format_decide", &it.name, &[0], it.text.as_bytes());
    }
    s.put_cfg("format_decide", "legacy-typ", &[4], items[0].text.as_bytes());

    // jws_parse
    let mut jws_seen = Vec::new();
    for it in &items {
        for part in jws_parts(&it.text) {
            if !jws_seen.contains(&part) {
                s.put_cfg("jws_parse", &it.name, &[0], part.as_bytes());
                jws_seen.push(part);
            }
        }
    }
    for (name, l) in lists.iter().chain(&examples) {
        s.put_cfg("jws_parse", name, &[0], l.as_bytes());
    }
    s.put_cfg(
        "jws_parse",
        "rfc8037-a4",
        &[0],
        b"eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg",
    );
    for (name, header) in [("sign-typ", r#"{"typ":"vc+jwt","kid":"x"}"#), ("sign-crit", r#"{"crit":["exp"]}"#), ("sign-b64", r#"{"b64":false}"#), ("sign-empty", "")] {
        let mut body = header.as_bytes().to_vec();
        body.push(0xff);
        body.extend_from_slice(br#"{"vc":{"credentialSubject":{}}}"#);
        s.put_cfg("jws_parse", name, &[1], &body);
    }

    // sdjwt_compact and sdjwt_disclosure
    for it in items.iter().filter(|i| i.text.contains('~')) {
        s.put("sdjwt_compact", &it.name, it.text.as_bytes());
        for d in it.text.split('~').skip(1).filter(|p| !p.is_empty() && !p.contains('.')).take(3) {
            s.put_cfg("sdjwt_disclosure", &format!("{}-d", it.name), &[0, 0], d.as_bytes());
        }
        if let Some(structured) = structured_disclosures(&it.text) {
            let alg = if it.text.contains("sha-384") { 1 } else { 0 };
            s.put_cfg("sdjwt_disclosure", &format!("{}-structured", it.name), &[1, alg | (31 << 2)], structured.as_bytes());
        }
    }
    s.put("sdjwt_compact", "edge", b"a.b.c~~d~");
    s.put_cfg("sdjwt_disclosure", "hand", &[1, 40 << 2], b"{\"_sd\":[\"@0\"],\"arr\":[{\"...\":\"@1\"}]}\n[\"s0\",\"a\",{\"_sd\":[\"@2\"]}]\n[\"s1\",7]\n[\"s2\",\"b\",[1,2]]");

    // keys_parse
    let didkey = json_file(&root, "tests/data/didkey/ed25519-x25519.json");
    for (did, entry) in didkey.as_object().expect("object") {
        s.put_cfg("keys_parse", "did", &[0], did.as_bytes());
        if let Some(seed) = entry["seed"].as_str() {
            let pair = KeyPair::from_seed_slice(&hex_decode(seed).expect("hex")).expect("seed");
            s.put_cfg("keys_parse", "jwk", &[1], serde_json::to_string(&pair.public_jwk()).expect("jwk").as_bytes());
            s.put_cfg("keys_parse", "raw", &[2], pair.public_key().as_bytes());
        }
    }
    for bad in ["did:key:z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc", "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp#x"] {
        s.put_cfg("keys_parse", "did-bad", &[0], bad.as_bytes());
    }
    let interop = json_file(&root, "tests/data/sdjwt-interop/fixtures.json");
    for who in ["issuer", "holder"] {
        s.put_cfg("keys_parse", "jwk-interop", &[1], interop[who]["publicJwk"].to_string().as_bytes());
        s.put_cfg("keys_parse", "did-interop", &[0], interop[who]["did"].as_str().unwrap_or_default().as_bytes());
    }
    s.put_cfg("keys_parse", "jwk-private", &[1], br#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}"#);
    let wycheproof = json_file(&root, "tests/data/ed25519/wycheproof_ed25519_test.json");
    for (g, group) in wycheproof["testGroups"].as_array().expect("groups").iter().enumerate() {
        let pk = hex_decode(group["publicKey"]["pk"].as_str().expect("pk")).expect("hex");
        s.put_cfg("keys_parse", &format!("wycheproof-pk-{g}"), &[2], &pk);
        for t in group["tests"].as_array().expect("tests").iter().step_by(5) {
            let sig = hex_decode(t["sig"].as_str().expect("sig")).expect("hex");
            if sig.len() != 64 {
                continue;
            }
            let mut body = pk.clone();
            body.extend_from_slice(&sig);
            body.extend_from_slice(&hex_decode(t["msg"].as_str().expect("msg")).expect("hex"));
            s.put_cfg("keys_parse", &format!("wycheproof-{}", t["tcId"]), &[3], &body);
        }
    }
    let speccheck = json_file(&root, "tests/data/ed25519/speccheck_cases.json");
    for (i, c) in speccheck.as_array().expect("cases").iter().enumerate() {
        let mut body = hex_decode(c["pub_key"].as_str().expect("k")).expect("hex");
        body.extend_from_slice(&hex_decode(c["signature"].as_str().expect("s")).expect("hex"));
        body.extend_from_slice(&hex_decode(c["message"].as_str().expect("m")).expect("hex"));
        s.put_cfg("keys_parse", &format!("speccheck-{i}"), &[3], &body);
    }
    let cctv = json_file(&root, "tests/data/ed25519/cctv_ed25519vectors.json");
    let mut flags_seen: Vec<String> = Vec::new();
    for c in cctv.as_array().expect("cases") {
        let flags = c["flags"].to_string();
        if flags_seen.contains(&flags) {
            continue;
        }
        flags_seen.push(flags);
        let mut body = hex_decode(c["key"].as_str().expect("key")).expect("hex");
        body.extend_from_slice(&hex_decode(c["sig"].as_str().expect("sig")).expect("hex"));
        body.extend_from_slice(c["msg"].as_str().expect("msg").as_bytes());
        s.put_cfg("keys_parse", &format!("cctv-{}", c["number"]), &[3], &body);
    }

    // status_document and status_decompress
    for (name, l) in lists.iter().chain(&examples) {
        s.put("status_document", name, l.as_bytes());
    }
    for f in ["status_list_encoding_json.md", "status_list_encoding2_json.md", "status_list_encoding1_long_json.md", "status_list_encoding2_long_json.md", "status_list_encoding4_json.md", "status_list_encoding8_json.md"] {
        let (bits, lst) = ietf_example(&root, f);
        let code = [1u8, 2, 4, 8].iter().position(|b| *b == bits).expect("a width") as u8;
        s.put_cfg("status_decompress", f, &[code << 1], &b64url_decode(&lst).expect("lst"));
    }
    let w3c = read(&root, "tests/data/status/w3c_rec_example.txt");
    s.put_cfg("status_decompress", "w3c-rec", &[1 | 8], &b64url_decode(w3c.trim().trim_start_matches('u')).expect("encodedList"));
    let mut list = StatusList::new(4096, 2, BitOrder::LsbFirst).expect("a list");
    for i in (0..4096).step_by(37) {
        list.set(i, (i % 4) as u8).expect("in range");
    }
    s.put_cfg("status_decompress", "ours-zlib", &[2 << 1], &list.compress(Container::Zlib));
    s.put_cfg("status_decompress", "ours-gzip", &[1 | (2 << 1) | 8], &list.compress(Container::Gzip));
    s.put_cfg("status_decompress", "entries", &[16 | (1 << 1)], b"\x01\x02\x03\x00\xff\x10");

    // jcs_canonicalize
    let mut jcs: Vec<String> = fs::read_dir(root.join("tests/data/jcs/input"))
        .expect("jcs inputs")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    jcs.sort();
    for n in &jcs {
        s.put("jcs_canonicalize", n, read(&root, &format!("tests/data/jcs/input/{n}")).as_bytes());
    }
    for n in ["signedJCS.json", "unsigned.json", "proofConfigJCS.json", "keyPair.json", "canonDocJCS.txt"] {
        s.put("jcs_canonicalize", n, read(&root, &format!("tests/data/eddsa-jcs-2022/{n}")).as_bytes());
    }
    for line in read(&root, "tests/data/jcs/es6_numbers_10k.txt").lines().step_by(250) {
        let Some((hex, text)) = line.split_once(',') else { continue };
        let bits = u64::from_str_radix(hex, 16).expect("hex bits");
        s.put("jcs_canonicalize", "number-bits", &bits.to_le_bytes());
        s.put("jcs_canonicalize", "number-text", format!("[{text}]").as_bytes());
    }
    s.put("jcs_canonicalize", "edge", br#"{"\u20ac":1,"\ud83d\ude00":2,"\ufb33":[1e21,-0,0.1,9007199254740993,"\u0000\u001f"]}"#);

    // audit_jsonl
    let events = [json!({"type": "login", "user": "alice"}), json!([1, 2.5, "x"]), json!({"b": 1e21, "a": [null, true]}), json!("plain"), json!(42)];
    let mut log = AuditLog::new(&[1u8; 32], "k1").expect("a key");
    let mut chain = log.append(&events[..3], 1_750_000_000_000).expect("append");
    log.rotate(&[2u8; 32], "k2").expect("a key");
    chain.extend(log.append(&events[3..], 1_750_000_001_000).expect("append"));
    let text = to_jsonl(&chain).expect("export");
    s.put("audit_jsonl", "chain", text.as_bytes());
    s.put("audit_jsonl", "empty", b"");
    let lines: Vec<&str> = text.lines().collect();
    s.put("audit_jsonl", "deleted", format!("{}\n{}\n", lines[0], lines[2]).as_bytes());
    s.put("audit_jsonl", "swapped", format!("{}\n{}\n{}\n", lines[1], lines[0], lines[2]).as_bytes());
    s.put("audit_jsonl", "edited", text.replacen("alice", "mallory", 1).as_bytes());
    s.put("audit_jsonl", "crlf", text.replace('\n', "\r\n").as_bytes());

    // session_validate
    let key = SessionKey::new(&[9u8; 32]).expect("a key");
    let mut verifier = Verifier::new(Map::new(), &CacheConfig::stateless()).expect("a verifier");
    let mut call = Map::new();
    call.insert("now".into(), json!(VERIFY_MS));
    let texts: Vec<&str> = items.iter().filter(|i| i.cfg == CFG_SEEDS).map(|i| i.text.as_str()).take(12).collect();
    let results = verifier.verify_batch(&texts, &call, 0.0).expect("verify");
    for (i, r) in results.iter().enumerate() {
        let json = serde_json::to_string(r).expect("a result serializes");
        s.put_cfg("session_validate", &format!("result-{i}"), &[2], json.as_bytes());
        if let Ok(source) = SessionSource::from_result(r) {
            if let Ok(created) = create_session(&source, &key, 3600, VERIFY_MS, &mut det_rng(400 + i as u64)) {
                s.put_cfg("session_validate", &format!("token-{i}"), &[0], created.token.as_bytes());
                let body = created.token.split('.').next().unwrap_or_default();
                s.put_cfg("session_validate", &format!("payload-{i}"), &[1], &b64url_decode(body).expect("payload"));
                let mut create = vec![3u8, 60];
                create.extend_from_slice(Value::Object(source.attributes.clone()).to_string().as_bytes());
                create.push(0xff);
                create.extend_from_slice(source.holder.as_deref().or(source.subject.as_deref()).unwrap_or_default().as_bytes());
                s.put("session_validate", &format!("create-{i}"), &create);
            }
        }
    }

    // packed_unpack
    let fields: Vec<&[u8]> = texts.iter().take(4).map(|t| t.as_bytes()).collect();
    s.put("packed_unpack", "items", &pack(fields));
    let pair = issuer();
    let sig = pair.sign(b"message");
    s.put("packed_unpack", "signature-job", &pack([&b"message"[..], &sig[..], &pair.public_key().as_bytes()[..]]));
    s.put("packed_unpack", "empty", &pack(std::iter::empty::<&[u8]>()));
    s.put("packed_unpack", "lying-count", &[0xff, 0xff, 0xff, 0x0f, 1, 0, 0, 0, 7]);

    // nquads_canonicalize: the W3C rdf-canon inputs and the vc-di-eddsa canonical documents.
    let mut inputs: Vec<PathBuf> = fs::read_dir(root.join("ld/tests/rdf-canon/rdfc10"))
        .expect("ld/tests/rdf-canon/rdfc10")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.to_string_lossy().ends_with("-in.nq"))
        .collect();
    inputs.sort();
    for path in inputs {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        s.put("nquads_canonicalize", &name, &fs::read(&path).expect("an rdf-canon input"));
    }
    for rel in ["eddsa-rdfc-2022/canonDocDataInt.txt", "eddsa-rdfc-2022/proofCanonDataInt.txt", "eddsa-rdfc-2022/employ/canonDocDataInt.txt"] {
        s.put("nquads_canonicalize", rel, read(&root, &format!("ld/tests/vc-di-eddsa/{rel}")).as_bytes());
    }

    let mut counts: Vec<(&String, &usize)> = s.written.iter().collect();
    counts.sort();
    for (t, n) in counts {
        println!("{t}: {n} seeds");
    }
}
