//! `Verifier::verify_batch` over items built from the fuzz input with the crate's own issuing
//! APIs, so that verification runs past the signatures into every later check.
//!
//! Each item is one of:
//! - an SD-JWT encoded here from a generated claim tree: any node may be made selectively
//!   disclosable (property or array element), shown or withheld, with decoys, under any digest
//!   algorithm, wrapped in a chain of up to 255 disclosed levels (deep disclosure nesting), with
//!   or without a Key Binding JWT;
//! - a VC-JWT or anon-identity credential (`issue_credential`) with generated subject claims, or
//!   a VP-JWT or anon-identity presentation of some of them (`create_presentation`);
//! and may be tampered with: one base64url character of its signed parts replaced by another.
//!
//! Oracle: an untampered item whose claims nest well within `maxDepth` verifies, and an SD-JWT's
//! verified claims are exactly the claims built minus the withheld ones; one that nests deeper
//! than `maxDepth` does not verify; a tampered item never verifies. Every result also satisfies
//! the invariants of `check_batch`, and an item's result is the same alone as in the batch.

#![no_main]

use arbitrary::{Result as AResult, Unstructured};
use credcore::credential::data_integrity::eddsa_jcs_2022::{decode_proof_value, encode_proof_value};
use credcore::credential::data_integrity::issue::Cryptosuite;
use credcore::hash::HashAlg;
use credcore::credential::issue::{create_presentation, issue_credential, IssueFormat, PresentationFormat, VC_V2_CONTEXT};
use credcore::credential::{Format, Kind, VerificationResult};
use credcore::limits::MAX_DEPTH_CEILING;
use credcore::sdjwt::disclosure::{decoy_digest, Disclosure};
use credcore::verifier::{CacheConfig, Verifier};
use credcore_fuzz::{check_batch, container_depth, det_rng, holder, issuer, object, safe_name, scalar, value, AUDIENCE, NONCE, NOW_S, VCT, VERIFY_MS};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};

/// A claim tree before encoding.
enum Node {
    Leaf(Value),
    Arr(Vec<Child>),
    Obj(Vec<(String, Child)>),
}

struct Child {
    node: Node,
    /// Selectively disclosable.
    sd: bool,
    /// Shown (its disclosure is presented); only meaningful when `sd`.
    shown: bool,
}

fn child(u: &mut Unstructured<'_>, depth: usize) -> AResult<Child> {
    Ok(Child { node: node(u, depth)?, sd: u.ratio(1, 2)?, shown: u.ratio(4, 5)? })
}

fn node(u: &mut Unstructured<'_>, depth: usize) -> AResult<Node> {
    if depth == 0 || u.is_empty() {
        return Ok(Node::Leaf(scalar(u)?));
    }
    Ok(match u.int_in_range(0u8..=4)? {
        0 | 1 => Node::Leaf(scalar(u)?),
        2 => {
            let n = u.int_in_range(0usize..=4)?;
            let mut items = Vec::with_capacity(n);
            for _ in 0..n {
                items.push(child(u, depth - 1)?);
            }
            Node::Arr(items)
        }
        3 => Node::Leaf(value(u, depth.min(4))?),
        _ => Node::Obj(members(u, depth - 1)?),
    })
}

fn members(u: &mut Unstructured<'_>, depth: usize) -> AResult<Vec<(String, Child)>> {
    let n = u.int_in_range(0usize..=5)?;
    let mut out: Vec<(String, Child)> = Vec::with_capacity(n);
    for _ in 0..n {
        let name = safe_name(u)?;
        if out.iter().any(|(k, _)| *k == name) {
            continue;
        }
        out.push((name, child(u, depth)?));
    }
    Ok(out)
}

/// Encodes claim trees as SD-JWT payload parts and disclosures.
struct Encoder {
    alg: HashAlg,
    salt: u64,
    decoys: usize,
    rng: Box<dyn FnMut(&mut [u8]) -> credcore::Result<()>>,
    /// The disclosures to present, in creation order (children before parents).
    shown: Vec<String>,
}

impl Encoder {
    fn salt(&mut self) -> String {
        self.salt += 1;
        format!("salt-{}", self.salt)
    }

    fn decoys(&mut self) -> Vec<String> {
        (0..self.decoys).filter_map(|_| decoy_digest(self.alg, &mut self.rng).ok()).collect()
    }

    /// The payload form of `n` and its claims as a verifier must see them.
    fn encode(&mut self, n: &Node, visible: bool) -> (Value, Value) {
        match n {
            Node::Leaf(v) => (v.clone(), v.clone()),
            Node::Obj(members) => {
                let (p, e) = self.object(members, visible);
                (Value::Object(p), Value::Object(e))
            }
            Node::Arr(items) => {
                let (mut p, mut e) = (Vec::new(), Vec::new());
                for c in items {
                    let child_visible = visible && (!c.sd || c.shown);
                    let (cp, ce) = self.encode(&c.node, child_visible);
                    if c.sd {
                        let salt = self.salt();
                        let d = Disclosure::element(&salt, cp);
                        p.push(json!({ "...": d.digest(self.alg) }));
                        if child_visible {
                            self.shown.push(d.encoded().to_owned());
                            e.push(ce);
                        }
                    } else {
                        p.push(cp);
                        e.push(ce);
                    }
                }
                if items.iter().any(|c| c.sd) {
                    for d in self.decoys() {
                        p.push(json!({ "...": d }));
                    }
                }
                (Value::Array(p), Value::Array(e))
            }
        }
    }

    fn object(&mut self, members: &[(String, Child)], visible: bool) -> (Map<String, Value>, Map<String, Value>) {
        let (mut p, mut e, mut sd) = (Map::new(), Map::new(), Vec::new());
        for (k, c) in members {
            let child_visible = visible && (!c.sd || c.shown);
            let (cp, ce) = self.encode(&c.node, child_visible);
            if c.sd {
                let salt = self.salt();
                let d = Disclosure::property(&salt, k, cp);
                sd.push(Value::String(d.digest(self.alg)));
                if child_visible {
                    self.shown.push(d.encoded().to_owned());
                    e.insert(k.clone(), ce);
                }
            } else {
                p.insert(k.clone(), cp);
                e.insert(k.clone(), ce);
            }
        }
        if !sd.is_empty() {
            sd.extend(self.decoys().into_iter().map(Value::String));
            sd.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            p.insert("_sd".into(), Value::Array(sd));
        }
        (p, e)
    }
}

/// What the verdict on an item must be.
#[derive(Debug)]
enum Expect {
    /// Valid, of this kind, with these claims when given.
    Valid { kind: Kind, claims: Option<Map<String, Value>>, disclosed: Option<usize> },
    /// Not valid.
    Invalid(&'static str),
    /// Either (near a limit).
    Any,
}

struct Item {
    text: String,
    expect: Expect,
}

/// Replaces one base64url character of `s` (at or after `from`) by another.
fn tamper(u: &mut Unstructured<'_>, s: &str, from: usize) -> AResult<Option<String>> {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let positions: Vec<usize> = s.bytes().enumerate().filter(|(i, b)| *i >= from && B64.contains(b)).map(|(i, _)| i).collect();
    if positions.is_empty() {
        return Ok(None);
    }
    let at = positions[u.choose_index(positions.len())?];
    let old = s.as_bytes()[at];
    let mut new = B64[u.choose_index(B64.len())?];
    if new == old {
        new = if old == b'A' { b'B' } else { b'A' };
    }
    let mut bytes = s.as_bytes().to_vec();
    bytes[at] = new;
    Ok(String::from_utf8(bytes).ok())
}

fn sd_jwt(u: &mut Unstructured<'_>, binding: bool, max_depth: usize, seq: u64) -> AResult<Item> {
    let alg = [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512][u.choose_index(3)?];
    let top_depth = u.int_in_range(0usize..=6)?;
    let mut top = members(u, top_depth)?;
    // A chain of disclosed levels around one more claim tree: the deep nesting case.
    let wrap = if u.ratio(1, 3)? { u.int_in_range(0usize..=255)? } else { 0 };
    if wrap > 0 {
        let mut inner = child(u, 2)?;
        let arrays = u.int_in_range(0u8..=2)?;
        for level in 0..wrap {
            let as_array = match arrays {
                0 => false,
                1 => true,
                _ => level % 2 == 1,
            };
            let node = if as_array { Node::Arr(vec![inner]) } else { Node::Obj(vec![(format!("k{}", level % 16), inner)]) };
            inner = Child { node, sd: u.ratio(7, 8)?, shown: true };
        }
        if !top.iter().any(|(k, _)| k == "kdeep") {
            top.push(("kdeep".into(), inner));
        }
    }
    let decoys = if u.ratio(1, 4)? { u.int_in_range(0usize..=3)? } else { 0 };
    let mut enc = Encoder { alg, salt: seq * 1_000_000, decoys, rng: Box::new(det_rng(seq)), shown: Vec::new() };
    let (mut payload, mut expected) = enc.object(&top, true);

    let iss = issuer();
    let kb = binding || u.ratio(1, 4)?;
    let typ = [None, Some("dc+sd-jwt"), Some("sd-jwt"), Some("example+sd-jwt"), Some("application/DC+SD-JWT"), Some("JWT")][u.choose_index(6)?];
    let mut registered = Map::new();
    registered.insert("iss".into(), json!(iss.did()));
    registered.insert("iat".into(), json!(NOW_S - i64::from(u.int_in_range(0u8..=50)?)));
    if u.ratio(1, 2)? {
        registered.insert("exp".into(), json!(NOW_S + 3600));
    }
    if u.ratio(1, 4)? {
        registered.insert("nbf".into(), json!(NOW_S));
    }
    if typ.is_some_and(|t| t.eq_ignore_ascii_case("dc+sd-jwt") || t.eq_ignore_ascii_case("application/DC+SD-JWT")) {
        registered.insert("vct".into(), json!(VCT));
    }
    if kb {
        registered.insert("cnf".into(), json!({ "jwk": holder().public_jwk() }));
    }
    for (k, v) in &registered {
        payload.insert(k.clone(), v.clone());
        expected.insert(k.clone(), v.clone());
    }
    let alg_name = match alg {
        HashAlg::Sha256 => "sha-256",
        HashAlg::Sha384 => "sha-384",
        HashAlg::Sha512 => "sha-512",
    };
    if alg != HashAlg::Sha256 || u.ratio(1, 2)? {
        payload.insert("_sd_alg".into(), json!(alg_name));
    }
    let mut header = Map::new();
    if let Some(t) = typ {
        header.insert("typ".into(), json!(t));
    }
    if u.ratio(1, 2)? {
        header.insert("kid".into(), json!(iss.kid()));
    }
    let payload_text = serde_json::to_vec(&Value::Object(payload)).expect("a Value serializes");
    let jwt = credcore::jws::sign(&header, &payload_text, &iss);

    let mut shown = enc.shown;
    if u.ratio(1, 3)? && shown.len() > 1 {
        // Disclosures are matched by digest: any order verifies.
        let k = u.choose_index(shown.len())?;
        shown.rotate_left(k);
    }
    let mut text = jwt.clone();
    text.push('~');
    for d in &shown {
        text.push_str(d);
        text.push('~');
    }
    if kb {
        let kb_jwt = credcore::sdjwt::key_binding::sign(&holder(), alg, &text, NONCE, AUDIENCE, NOW_S);
        text.push_str(&kb_jwt);
    }

    let depth = container_depth(&Value::Object(expected.clone())).unwrap_or(0);
    let expect = if depth > max_depth {
        Expect::Invalid("claims nest deeper than maxDepth")
    } else if depth + 3 <= max_depth {
        let kind = if kb { Kind::Presentation } else { Kind::Credential };
        Expect::Valid { kind, claims: Some(expected), disclosed: Some(shown.len()) }
    } else {
        Expect::Any
    };
    let item = Item { text, expect };
    if u.ratio(1, 6)? {
        if let Some(t) = tamper(u, &item.text, 0)? {
            return Ok(Item { text: t, expect: Expect::Invalid("tampered SD-JWT") });
        }
    }
    Ok(item)
}

/// A credential with generated subject claims about the holder.
fn credential(u: &mut Unstructured<'_>, now: i64) -> AResult<Option<(Value, IssueFormat)>> {
    let subject_depth = u.int_in_range(0usize..=6)?;
    let mut subject = object(u, subject_depth)?;
    subject.insert("id".into(), json!(holder().did()));
    let mut body = Map::new();
    if u.ratio(1, 3)? {
        body.insert("@context".into(), json!([VC_V2_CONTEXT]));
    }
    body.insert("credentialSubject".into(), Value::Object(subject));
    let format = *u.choose(&[IssueFormat::VcJwt, IssueFormat::AnonIdentity, IssueFormat::DataIntegrity(Cryptosuite::EddsaJcs2022)])?;
    let expires_in = if u.ratio(1, 2)? { Some(3600) } else { None };
    Ok(issue_credential(&Value::Object(body), &issuer(), format, expires_in, now).ok().map(|c| (c, format)))
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => serde_json::to_string(other).expect("a Value serializes"),
    }
}

/// Tampers with a signed item: a compact JWT anywhere, a JSON item in its proof's JWS, a Data
/// Integrity item in one bit of its signature.
fn tamper_value(u: &mut Unstructured<'_>, v: &Value) -> AResult<Option<String>> {
    match v {
        Value::String(s) => tamper(u, s, 0),
        Value::Object(m) if m.get("proof").and_then(|p| p.get("proofValue")).is_some() => {
            let text = m.get("proof").and_then(|p| p.get("proofValue")).and_then(Value::as_str).unwrap_or_default();
            let Ok(mut sig) = decode_proof_value(text) else { return Ok(None) };
            let bit = u.int_in_range(0usize..=511)?;
            sig[bit / 8] ^= 1 << (bit % 8);
            let mut m = m.clone();
            if let Some(Value::Object(proof)) = m.get_mut("proof") {
                proof.insert("proofValue".into(), Value::String(encode_proof_value(&sig)));
            }
            Ok(Some(text_of(&Value::Object(m))))
        }
        Value::Object(m) => {
            let Some(jws) = m.get("proof").and_then(|p| p.get("jws")).and_then(Value::as_str) else { return Ok(None) };
            let Some(t) = tamper(u, jws, 0)? else { return Ok(None) };
            let mut m = m.clone();
            if let Some(Value::Object(proof)) = m.get_mut("proof") {
                proof.insert("jws".into(), Value::String(t));
            }
            Ok(Some(text_of(&Value::Object(m))))
        }
        _ => Ok(None),
    }
}

fn w3c(u: &mut Unstructured<'_>, binding: bool) -> AResult<Option<Item>> {
    let now = NOW_S;
    let Some((cred, _)) = credential(u, now)? else { return Ok(None) };
    if u.ratio(1, 2)? {
        let mut creds = vec![cred];
        for _ in 0..u.int_in_range(0u8..=2)? {
            if let Some((c, _)) = credential(u, now)? {
                creds.push(c);
            }
        }
        let with_binding = binding || u.ratio(1, 3)?;
        let (nonce, aud) = if with_binding { (Some(NONCE), Some(AUDIENCE)) } else { (None, None) };
        let format = *u.choose(&[
            PresentationFormat::VpJwt,
            PresentationFormat::AnonIdentity,
            PresentationFormat::DataIntegrity(Cryptosuite::EddsaJcs2022),
        ])?;
        let Ok(vp) = create_presentation(&creds, &holder(), nonce, aud, format, now) else { return Ok(None) };
        if u.ratio(1, 6)? {
            if let Some(t) = tamper_value(u, &vp)? {
                return Ok(Some(Item { text: t, expect: Expect::Invalid("tampered presentation") }));
            }
        }
        return Ok(Some(Item { text: text_of(&vp), expect: Expect::Valid { kind: Kind::Presentation, claims: None, disclosed: None } }));
    }
    if u.ratio(1, 6)? {
        if let Some(t) = tamper_value(u, &cred)? {
            return Ok(Some(Item { text: t, expect: Expect::Invalid("tampered credential") }));
        }
    }
    Ok(Some(Item { text: text_of(&cred), expect: Expect::Valid { kind: Kind::Credential, claims: None, disclosed: None } }))
}

fn check_expect(i: usize, item: &Item, r: &VerificationResult) {
    match &item.expect {
        Expect::Any => {}
        Expect::Invalid(why) => assert!(!r.valid, "item {i} ({why}) verified: {}\n{r:?}", item.text),
        Expect::Valid { kind, claims, disclosed } => {
            assert!(r.valid, "item {i}, built with the crate's own issuing APIs, does not verify: {}\n{r:?}", item.text);
            assert_eq!(r.kind, *kind, "item {i} kind");
            assert_eq!(r.issuer.as_deref(), Some(issuer().did().as_str()), "item {i} issuer");
            if *kind == Kind::Presentation {
                assert_eq!(r.holder.as_deref(), Some(holder().did().as_str()), "item {i} holder");
            }
            if let Some(claims) = claims {
                assert_eq!(r.format, Format::SdJwt);
                assert_eq!(r.claims.as_ref(), Some(&Value::Object(claims.clone())), "item {i}: verified claims are not the claims built");
            }
            if let Some(n) = disclosed {
                assert_eq!(r.disclosed.as_ref().map(Vec::len), Some(*n), "item {i}: one disclosed path per disclosure");
            }
        }
    }
}

fn run(u: &mut Unstructured<'_>) -> AResult<()> {
    let binding = u.ratio(1, 3)?;
    let max_depth_opt = u.int_in_range(0usize..=300)?;
    let max_depth = max_depth_opt.min(MAX_DEPTH_CEILING);
    let n = u.int_in_range(1usize..=6)?;
    let mut items = Vec::with_capacity(n);
    for seq in 0..n as u64 {
        let item = if u.ratio(3, 5)? { Some(sd_jwt(u, binding, max_depth, seq + 1)?) } else { w3c(u, binding)? };
        if let Some(mut item) = item {
            // W3C items nest their subject claims a few levels below the payload.
            if let (Expect::Valid { claims: None, .. }, true) = (&item.expect, max_depth < 16) {
                item.expect = Expect::Any;
            }
            items.push(item);
        }
    }
    if items.is_empty() {
        return Ok(());
    }
    let mut call = Map::new();
    call.insert("now".into(), json!(VERIFY_MS));
    call.insert("maxDepth".into(), json!(max_depth_opt));
    if binding {
        call.insert("nonce".into(), json!(NONCE));
        call.insert("audience".into(), json!(AUDIENCE));
    }
    let texts: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
    let mut v = Verifier::new(Map::new(), &CacheConfig::stateless()).expect("empty options are valid");
    let results = v.verify_batch(&texts, &call, 0.0).expect("the call options are valid");
    check_batch(&texts, &results, NOW_S + 10, 60);
    for (i, (item, r)) in items.iter().zip(&results).enumerate() {
        check_expect(i, item, r);
    }
    if texts.len() > 1 {
        // One item again on its own (all of them would cost a pass per item).
        let i = u.choose_index(texts.len()).unwrap_or(0);
        let alone = v.verify_batch(&[texts[i]], &call, 0.0).expect("the call options are valid");
        assert_eq!(alone[0], results[i], "item {i} verifies differently alone than in its batch");
    }
    let mut cached = Verifier::new(Map::new(), &CacheConfig::default()).expect("empty options are valid");
    let first = cached.verify_batch(&texts, &call, 0.0).expect("the call options are valid");
    let again = cached.verify_batch(&texts, &call, 0.0).expect("the call options are valid");
    assert_eq!(first, results, "a caching verifier's verdicts differ from the uncached ones");
    assert_eq!(again, results, "cached verdicts differ from the uncached ones");
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let _ = run(&mut u);
});
