//! `Disclosure::parse` and the disclosure resolution of RFC 9901 section 7.1
//! (`sdjwt::disclosure::resolve`).
//!
//! Input: a mode byte (bit 0), a byte choosing the digest algorithm and `max_depth`, then text.
//! - mode 0: the text is one base64url disclosure. On success it keeps its encoding, its digest
//!   is deterministic and of the algorithm's length, and the same salt, name and value encoded
//!   afresh parse back to them.
//! - mode 1: lines of JSON: the first a payload object, each further one a disclosure array
//!   (encoded here). A string `"@N"` anywhere in the payload or in disclosure `i` (for N > i)
//!   is replaced by the digest of disclosure N, so that digests match and nesting, reuse and
//!   misplacement are reached. On success: one placement per disclosure; the claims hold no
//!   `_sd`, `...` or `_sd_alg` anywhere; every placement's pointer finds its value in the
//!   claims; a placement's parent pointer is a prefix of its own; claims nest at most
//!   `max_depth` deep; resolving again gives the same.

#![no_main]

use credcore::hash::HashAlg;
use credcore::encoding::b64url_encode;
use credcore::sdjwt::disclosure::{resolve, Disclosure};
use credcore_fuzz::container_depth;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

fn substitute(v: &mut Value, digests: &[Option<String>], min: usize) {
    match v {
        Value::String(s) => {
            if let Some(n) = s.strip_prefix('@').and_then(|n| n.parse::<usize>().ok()) {
                if n >= min {
                    if let Some(Some(d)) = digests.get(n) {
                        *s = d.clone();
                    }
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| substitute(x, digests, min)),
        Value::Object(m) => m.values_mut().for_each(|x| substitute(x, digests, min)),
        _ => {}
    }
}

fn no_reserved(v: &Value, top: bool) {
    match v {
        Value::Object(m) => {
            assert!(!m.contains_key("_sd") && !m.contains_key("..."), "resolved claims keep no _sd or ...");
            assert!(top || !m.contains_key("_sd_alg"), "_sd_alg only at the top");
            m.values().for_each(|x| no_reserved(x, false));
        }
        Value::Array(a) => a.iter().for_each(|x| no_reserved(x, false)),
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let [mode, cfg, rest @ ..] = data else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let alg = [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512, HashAlg::Sha256][usize::from(cfg & 3)];
    let digest_len = match alg {
        HashAlg::Sha256 => 43,
        HashAlg::Sha384 => 64,
        HashAlg::Sha512 => 86,
    };
    if mode & 1 == 0 {
        let Ok(d) = Disclosure::parse(text) else { return };
        assert_eq!(d.encoded(), text);
        assert_eq!(d.digest(alg), d.digest(alg));
        assert_eq!(d.digest(alg).len(), digest_len);
        let again = match d.name() {
            Some(n) => Disclosure::property(d.salt(), n, d.value().clone()),
            None => Disclosure::element(d.salt(), d.value().clone()),
        };
        let back = Disclosure::parse(again.encoded()).expect("a disclosure made here parses");
        assert_eq!((back.salt(), back.name(), back.value()), (d.salt(), d.name(), d.value()));
        return;
    }
    let max_depth = usize::from(cfg >> 2) * 2 + 1; // 1..=127
    let mut lines = text.split('\n');
    let Some(Ok(Value::Object(payload))) = lines.next().map(serde_json::from_str::<Value>) else { return };
    let mut raw: Vec<Value> = lines.take(64).filter_map(|l| serde_json::from_str(l).ok()).collect();
    // Encode from the last disclosure to the first, so that each may name the digests of later ones.
    let mut digests: Vec<Option<String>> = vec![None; raw.len()];
    let mut encoded: Vec<Option<String>> = vec![None; raw.len()];
    for i in (0..raw.len()).rev() {
        substitute(&mut raw[i], &digests, i + 1);
        let e = b64url_encode(serde_json::to_string(&raw[i]).expect("a Value serializes").as_bytes());
        digests[i] = Some(credcore::sdjwt::disclosure::digest_b64(alg, &e));
        encoded[i] = Some(e);
    }
    let mut payload = Value::Object(payload);
    substitute(&mut payload, &digests, 0);
    let Value::Object(payload) = payload else { return };
    let disclosures: Vec<Disclosure> = encoded.iter().flatten().filter_map(|e| Disclosure::parse(e).ok()).collect();
    let Ok(resolved) = resolve(&payload, &disclosures, alg, max_depth) else { return };
    assert_eq!(resolved.placements.len(), disclosures.len(), "one placement per disclosure");
    let claims = Value::Object(resolved.claims.clone());
    no_reserved(&claims, true);
    assert!(container_depth(&claims).unwrap_or(0) <= max_depth, "claims nest at most max_depth deep");
    let pointers = resolved.disclosed_pointers();
    for (i, p) in resolved.placements.iter().enumerate() {
        assert!(claims.pointer(&p.pointer).is_some(), "placement {i} pointer {} finds nothing", p.pointer);
        if let Some(parent) = p.parent {
            let pp = &resolved.placements[parent].pointer;
            assert!(p.pointer.starts_with(&format!("{pp}/")), "a placement lies inside its parent");
        }
    }
    let distinct: std::collections::HashSet<&String> = pointers.iter().collect();
    assert_eq!(distinct.len(), pointers.len(), "each disclosure lands in its own place");
    assert_eq!(resolve(&payload, &disclosures, alg, max_depth).ok(), Some(resolved), "resolution is deterministic");
    let _: Map<String, Value> = payload;
});
