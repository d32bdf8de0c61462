#![cfg(not(target_arch = "wasm32"))]
// One suite for both status-list formats: vectors, policy and the cache share these helpers (over 500 lines).
// Test helpers outside #[test] functions: a failed read or parse of a fixture should stop the test.
#![allow(clippy::unwrap_used)]
//! Status lists: IETF and W3C vectors, issuance round trips, the verification policy in a batch,
//! decompression limits, and the TTL-LRU cache.

use credcore::batch::{finish, Prepared, StatusRef};
use credcore::cache::{CacheStats, TtlLru};
use credcore::credential::{Format, Kind, VerificationResult, VerifyOptions};
use credcore::encoding::{b64url_decode, b64url_encode};
use credcore::error::ErrorCode;
use credcore::keys::{DidKeySource, KeyPair};
use credcore::status::{
    bitstring, check, token, BitOrder, Container, ListConfig, ListDocument, ListFormat, StatusList, StatusListIssuer,
    DEFAULT_MAX_INFLATED_BYTES,
};
use credcore::verifier::status::{apply_status, StatusLists};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/status/");
/// 2023-11-14T22:13:20Z, in milliseconds.
const NOW_MS: f64 = 1_700_000_000_000.0;
const NOW: i64 = 1_700_000_000;
const URI: &str = "https://example.com/statuslists/1";

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{DATA}{name}")).unwrap()
}

/// `{ bits, lst }` of an IETF example file (the `lst` is wrapped over several lines).
fn ietf_example(name: &str) -> (u8, String) {
    let text = read(name);
    let json = &text[text.find('{').unwrap()..];
    let flat: String = json
        .split('"')
        .enumerate()
        .map(|(i, part)| if i % 2 == 1 { part.split_whitespace().collect::<String>() } else { part.to_owned() })
        .collect::<Vec<_>>()
        .join("\"");
    let v: Value = serde_json::from_str(&flat).unwrap();
    (v["bits"].as_u64().unwrap() as u8, v["lst"].as_str().unwrap().to_owned())
}

fn indices(name: &str) -> Vec<(u64, u8)> {
    read(name)
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (i, v) = l.split_once('=').unwrap();
            (i.parse().unwrap(), v.parse().unwrap())
        })
        .collect()
}

fn issuer_key() -> KeyPair {
    KeyPair::from_seed(&[1u8; 32])
}

fn other_key() -> KeyPair {
    KeyPair::from_seed(&[2u8; 32])
}

fn config(format: ListFormat, size: u64, bits: u8, purpose: Option<&str>) -> ListConfig {
    ListConfig {
        format,
        uri: URI.into(),
        size,
        bits,
        purpose: purpose.map(str::to_owned),
        ttl_seconds: Some(300),
        valid_for_seconds: Some(86_400),
    }
}

fn w3c_entry(index: u64, purpose: &str) -> Value {
    json!({
        "id": format!("{URI}#{index}"),
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": index.to_string(),
        "statusListCredential": URI,
    })
}

fn ietf_entry(index: u64) -> Value {
    json!({ "status_list": { "idx": index, "uri": URI } })
}

fn options_with(list: &str) -> VerifyOptions {
    let mut lists = BTreeMap::new();
    lists.insert(URI.to_owned(), Value::String(list.to_owned()));
    VerifyOptions { status_lists: Some(lists), now: Some(NOW_MS), ..VerifyOptions::default() }
}

fn item(entry: Value, issuer: &str) -> Prepared {
    let mut p = Prepared::failed(VerificationResult::new(Format::VcJwt, Kind::Credential));
    p.status.push(StatusRef { entry, issuer: issuer.to_owned(), path: "credentialStatus".into() });
    p
}

/// Runs status checks and the batch over `entries` (all issued by the test issuer).
fn verify(entries: Vec<Value>, options: &VerifyOptions) -> Vec<Vec<&'static str>> {
    let did = issuer_key().did();
    let mut items: Vec<Prepared> = entries.into_iter().map(|e| item(e, &did)).collect();
    apply_status(&mut items, options, NOW_MS, &mut StatusLists::new(0, 0.0), &mut DidKeySource);
    finish(items).into_iter().map(|r| r.errors.iter().map(|e| e.code).collect()).collect()
}

// ---------------------------------------------------------------------------------------------
// IETF vectors

#[test]
fn ietf_short_examples_decode_to_their_bytes() {
    for (file, bytes) in [("status_list_encoding_json.md", vec![0xB9, 0xA3]), ("status_list_encoding2_json.md", vec![0xC9, 0x44, 0xF9])] {
        let (bits, lst) = ietf_example(file);
        let list = token::decode_lst(&lst, bits, DEFAULT_MAX_INFLATED_BYTES).unwrap();
        assert_eq!(list.as_bytes(), &bytes[..], "{file}");
        // Our encoder's output decodes to the same bits.
        let ours = token::encode_lst(&list);
        assert_eq!(token::decode_lst(&ours, bits, DEFAULT_MAX_INFLATED_BYTES).unwrap().as_bytes(), &bytes[..]);
    }
    let (bits, lst) = ietf_example("status_list_encoding_json.md");
    assert_eq!((bits, lst.as_str()), (1, "eNrbuRgAAhcBXQ"));
    let list = token::decode_lst(&lst, 1, DEFAULT_MAX_INFLATED_BYTES).unwrap();
    // Section 4.1 example: 0xB9 = 1011 1001 read from the least significant bit.
    let first: Vec<u8> = (0..16).map(|i| list.get(i).unwrap()).collect();
    assert_eq!(first, [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1]);
    let two = token::decode_lst("eNo76fITAAPfAgc", 2, DEFAULT_MAX_INFLATED_BYTES).unwrap();
    let first: Vec<u8> = (0..12).map(|i| two.get(i).unwrap()).collect();
    assert_eq!(first, [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3]);
}

#[test]
fn ietf_long_examples_have_exactly_the_listed_entries() {
    for (file, idx_file) in [
        ("status_list_encoding1_long_json.md", "status_list_encoding1_long_indices.txt"),
        ("status_list_encoding2_long_json.md", "status_list_encoding2_long_indices.txt"),
        ("status_list_encoding4_json.md", "status_list_encoding4_indices.txt"),
        ("status_list_encoding8_json.md", "status_list_encoding8_indices.txt"),
    ] {
        let (bits, lst) = ietf_example(file);
        let decoded = token::decode_lst(&lst, bits, DEFAULT_MAX_INFLATED_BYTES).unwrap();
        assert_eq!(decoded.size(), 1 << 20, "{file}");
        let expected = indices(idx_file);
        for (i, v) in &expected {
            assert_eq!(decoded.get(*i), Some(*v), "{file} status[{i}]");
        }
        let nonzero = (0..decoded.size()).filter(|i| decoded.get(*i) != Some(0)).count();
        assert_eq!(nonzero, expected.iter().filter(|(_, v)| *v != 0).count(), "{file}: other entries are 0");
        // Our encoder, from the listed values, gives a list that decodes to the same bits.
        let mut ours = StatusList::new(1 << 20, bits, BitOrder::LsbFirst).unwrap();
        for (i, v) in &expected {
            ours.set(*i, *v).unwrap();
        }
        let round = token::decode_lst(&token::encode_lst(&ours), bits, DEFAULT_MAX_INFLATED_BYTES).unwrap();
        assert_eq!(round.as_bytes(), decoded.as_bytes(), "{file}");
    }
}

// ---------------------------------------------------------------------------------------------
// W3C vectors and limits

#[test]
fn w3c_rec_example_is_16384_zero_bytes() {
    let encoded = read("w3c_rec_example.txt");
    let list = bitstring::decode_list(encoded.trim(), DEFAULT_MAX_INFLATED_BYTES).unwrap();
    assert_eq!(list.as_bytes().len(), 16_384);
    assert!(list.as_bytes().iter().all(|b| *b == 0));
    assert_eq!(list.size(), 131_072);
}

#[test]
fn w3c_bit_order_is_msb_first() {
    let mut list = StatusList::new(131_072, 1, BitOrder::MsbFirst).unwrap();
    list.set(0, 1).unwrap();
    list.set(15, 1).unwrap();
    let decoded = bitstring::decode_list(&bitstring::encode_list(&list), DEFAULT_MAX_INFLATED_BYTES).unwrap();
    assert_eq!(&decoded.as_bytes()[..2], &[0x80, 0x01]);
}

#[test]
fn short_w3c_list_is_rejected() {
    let short = StatusList::new(131_064, 1, BitOrder::MsbFirst).unwrap(); // 16,383 bytes
    let err = bitstring::decode_list(&bitstring::encode_list(&short), DEFAULT_MAX_INFLATED_BYTES).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidStatusList);
    assert!(err.message.contains("131072"), "{}", err.message);
    assert_eq!(bitstring::decode_list("zabc", DEFAULT_MAX_INFLATED_BYTES).unwrap_err().code, ErrorCode::InvalidStatusList);
    let bad = config(ListFormat::W3c, 131_071, 1, None);
    assert_eq!(StatusListIssuer::new(bad).unwrap_err().code, ErrorCode::MalformedInput);
}

/// `len` zero bytes compressed (in 1 MiB writes, so the test holds little memory).
fn zeros(container: Container, len: usize) -> Vec<u8> {
    let chunk = vec![0u8; 1 << 20];
    let level = flate2::Compression::fast();
    let mut left = len;
    match container {
        Container::Zlib => {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), level);
            while left > 0 {
                let n = left.min(chunk.len());
                e.write_all(&chunk[..n]).unwrap();
                left -= n;
            }
            e.finish().unwrap()
        }
        Container::Gzip => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), level);
            while left > 0 {
                let n = left.min(chunk.len());
                e.write_all(&chunk[..n]).unwrap();
                left -= n;
            }
            e.finish().unwrap()
        }
    }
}

#[test]
fn compression_bombs_are_rejected_at_the_cap() {
    // 24 MiB of zeros is about 100 KB compressed: well under the JWS limit, over the 16 MiB cap.
    let bomb = zeros(Container::Zlib, 24 << 20);
    assert!(bomb.len() < 200_000);
    let err = StatusList::decompress(&bomb, Container::Zlib, 1, BitOrder::LsbFirst, DEFAULT_MAX_INFLATED_BYTES).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidStatusList);
    assert!(err.message.contains("inflates past"), "{}", err.message);
    // A configured smaller cap applies too: exactly at the cap passes, one byte more does not.
    let at_cap = zeros(Container::Gzip, 1 << 20);
    assert_eq!(StatusList::decompress(&at_cap, Container::Gzip, 1, BitOrder::MsbFirst, 1 << 20).unwrap().as_bytes().len(), 1 << 20);
    let over = StatusList::decompress(&at_cap, Container::Gzip, 1, BitOrder::MsbFirst, (1 << 20) - 1).unwrap_err();
    assert_eq!(over.code, ErrorCode::InvalidStatusList);
    // Through the verifier: a signed token carrying the bomb, with the cap from the options.
    let mut claims = serde_json::Map::new();
    claims.insert("sub".into(), json!(URI));
    claims.insert("iat".into(), json!(NOW));
    claims.insert("status_list".into(), json!({ "bits": 1, "lst": b64url_encode(&bomb) }));
    let mut header = serde_json::Map::new();
    header.insert("typ".into(), json!("statuslist+jwt"));
    header.insert("kid".into(), json!(issuer_key().kid()));
    let jwt = credcore::jws::sign(&header, &serde_json::to_vec(&Value::Object(claims)).unwrap(), &issuer_key());
    let mut options = options_with(&jwt);
    assert_eq!(verify(vec![ietf_entry(0)], &options), vec![vec!["INVALID_STATUS_LIST"]]);
    options.max_status_list_bytes = 32 << 20;
    assert_eq!(verify(vec![ietf_entry(0)], &options), vec![Vec::<&str>::new()]);
}

#[test]
fn corrupt_streams_are_invalid_status_lists() {
    let mut z = b64url_decode("eNrbuRgAAhcBXQ").unwrap();
    let last = z.len() - 1;
    z[last] ^= 1; // Adler-32 checksum
    assert_eq!(StatusList::decompress(&z, Container::Zlib, 1, BitOrder::LsbFirst, 1024).unwrap_err().code, ErrorCode::InvalidStatusList);
    assert_eq!(token::decode_lst("eNrbuRgAAhcBXQ", 3, 1024).unwrap_err().code, ErrorCode::InvalidStatusList);
    assert_eq!(token::decode_lst("eNrbuRgAAhcBXQ==", 1, 1024).unwrap_err().code, ErrorCode::InvalidStatusList);
    // gzip where zlib is expected, and the other way round.
    let gz = zeros(Container::Gzip, 16);
    assert_eq!(StatusList::decompress(&gz, Container::Zlib, 1, BitOrder::LsbFirst, 1024).unwrap_err().code, ErrorCode::InvalidStatusList);
    assert_eq!(
        StatusList::decompress(&z[..4], Container::Gzip, 1, BitOrder::MsbFirst, 1024).unwrap_err().code,
        ErrorCode::InvalidStatusList
    );
}

// ---------------------------------------------------------------------------------------------
// Issuance round trips

#[test]
fn every_width_reads_back_what_was_written_in_both_formats() {
    let key = issuer_key();
    for format in [ListFormat::W3c, ListFormat::Ietf] {
        for bits in [1u8, 2, 4, 8] {
            let purpose = if format == ListFormat::W3c && bits > 1 { Some("message") } else { None };
            let mut issuer = StatusListIssuer::new(config(format, 131_072, bits, purpose)).unwrap();
            let max = if bits == 8 { 255u64 } else { (1u64 << bits) - 1 };
            assert_eq!(issuer.set(0, (max + 1).min(255) as u8).is_err(), bits < 8);
            let written: Vec<(u64, u8)> = (0..500u64).map(|k| (k * 257, ((k * 7 + 1) % (max + 1)) as u8)).collect();
            for (i, v) in &written {
                issuer.set(*i, *v).unwrap();
            }
            let signed = issuer.sign(&key, NOW_MS);
            let doc = ListDocument::decode(&signed, Some(URI), DEFAULT_MAX_INFLATED_BYTES).unwrap();
            assert_eq!((doc.format, doc.issuer.as_str(), doc.uri.as_str()), (format, key.did().as_str(), URI));
            for (i, v) in &written {
                let got = match format {
                    ListFormat::W3c => doc.list.get_sized(*i, bits).unwrap(),
                    ListFormat::Ietf => doc.list.get(*i),
                };
                assert_eq!(got, Some(*v), "{format:?} bits={bits} index={i}");
                assert_eq!(issuer.get(*i), Some(*v));
            }
            assert_eq!(doc.issued_at, Some(NOW));
            assert_eq!(doc.expires_at, Some(NOW + 86_400));
            // min(exp, iat + ttl): the 300 s ttl wins.
            assert_eq!(doc.cache_deadline_ms(NOW_MS), NOW_MS + 300_000.0);
        }
    }
}

#[test]
fn signed_forms_follow_the_specifications() {
    let key = issuer_key();
    let ietf = StatusListIssuer::new(config(ListFormat::Ietf, 16, 1, None)).unwrap().sign(&key, NOW_MS);
    let jws = credcore::jws::Jws::parse(&ietf).unwrap();
    assert_eq!(jws.header_str("typ"), Some("statuslist+jwt"));
    let claims = jws.payload_object().unwrap();
    assert_eq!(claims["sub"], json!(URI));
    assert_eq!(claims["iat"], json!(NOW));
    assert_eq!(claims["exp"], json!(NOW + 86_400));
    assert_eq!(claims["ttl"], json!(300));
    assert_eq!(claims["status_list"]["bits"], json!(1));
    let w3c = StatusListIssuer::new(config(ListFormat::W3c, 131_072, 1, Some("suspension"))).unwrap().sign(&key, NOW_MS);
    let jws = credcore::jws::Jws::parse(&w3c).unwrap();
    assert_eq!(jws.header_str("typ"), Some("vc+jwt"));
    let vc = jws.payload_object().unwrap();
    assert_eq!(vc["type"], json!(["VerifiableCredential", "BitstringStatusListCredential"]));
    assert_eq!(vc["issuer"], json!(key.did()));
    assert_eq!(vc["validFrom"], json!("2023-11-14T22:13:20.000Z"));
    assert_eq!(vc["validUntil"], json!("2023-11-15T22:13:20.000Z"));
    assert_eq!(vc["credentialSubject"]["type"], json!("BitstringStatusList"));
    assert_eq!(vc["credentialSubject"]["statusPurpose"], json!("suspension"));
    assert_eq!(vc["credentialSubject"]["ttl"], json!(300_000));
    assert!(vc["credentialSubject"]["encodedList"].as_str().unwrap().starts_with("uH4sI"));
}

#[test]
fn allocation_hands_out_distinct_indices() {
    let mut issuer = StatusListIssuer::new(config(ListFormat::Ietf, 64, 2, None)).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..64 {
        let i = issuer.allocate().unwrap();
        assert!(i < 64 && seen.insert(i), "{i}");
        assert_eq!(issuer.get(i), Some(0));
    }
    assert_eq!(issuer.allocate().unwrap_err().code, ErrorCode::InputTooLarge);
}

#[test]
fn decode_reads_the_uri_from_the_list_and_verifies_the_signature() {
    let key = issuer_key();
    let signed = StatusListIssuer::new(config(ListFormat::Ietf, 16, 1, None)).unwrap().sign(&key, NOW_MS);
    assert_eq!(ListDocument::decode(&signed, None, DEFAULT_MAX_INFLATED_BYTES).unwrap().uri, URI);
    let (input, _) = signed.rsplit_once('.').unwrap();
    let forged = format!("{input}.{}", b64url_encode(&other_key().sign(input.as_bytes())));
    assert_eq!(ListDocument::decode(&forged, None, DEFAULT_MAX_INFLATED_BYTES).unwrap_err().code, ErrorCode::InvalidStatusList);
}

// ---------------------------------------------------------------------------------------------
// Verification policy

#[test]
fn revocation_w3c_and_ietf() {
    let key = issuer_key();
    for format in [ListFormat::W3c, ListFormat::Ietf] {
        let mut issuer = StatusListIssuer::new(config(format, 131_072, 1, None)).unwrap();
        let idx = issuer.allocate().unwrap();
        let entry = if format == ListFormat::W3c { w3c_entry(idx, "revocation") } else { ietf_entry(idx) };
        let options = options_with(&issuer.sign(&key, NOW_MS));
        assert_eq!(verify(vec![entry.clone()], &options), vec![Vec::<&str>::new()], "{format:?}");
        issuer.set(idx, 1).unwrap();
        let options = options_with(&issuer.sign(&key, NOW_MS));
        assert_eq!(verify(vec![entry.clone()], &options), vec![vec!["REVOKED_CREDENTIAL"]], "{format:?}");
        // The single-entry check says the same, and hands back the list's signature check.
        let lists = options.status_lists.clone().unwrap();
        let outcome = check(&entry, &key.did(), &lists, &options, NOW).unwrap().unwrap();
        assert_eq!(outcome.reading.value, 1);
        assert_eq!(outcome.reading.error.unwrap().code, ErrorCode::RevokedCredential);
        assert_eq!(outcome.check.code, ErrorCode::InvalidStatusList);
        assert!(outcome.check.key.verify(outcome.check.alg, &outcome.check.message, &outcome.check.signature));
    }
}

#[test]
fn suspension_and_unsuspension() {
    let key = issuer_key();
    // W3C: a suspension list.
    let mut issuer = StatusListIssuer::new(config(ListFormat::W3c, 131_072, 1, Some("suspension"))).unwrap();
    let idx = issuer.allocate().unwrap();
    issuer.set(idx, 1).unwrap();
    let entry = w3c_entry(idx, "suspension");
    assert_eq!(verify(vec![entry.clone()], &options_with(&issuer.sign(&key, NOW_MS))), vec![vec!["CREDENTIAL_SUSPENDED"]]);
    issuer.set(idx, 0).unwrap();
    assert_eq!(verify(vec![entry.clone()], &options_with(&issuer.sign(&key, NOW_MS))), vec![Vec::<&str>::new()]);
    // The entry's purpose must be the list's.
    assert_eq!(verify(vec![w3c_entry(idx, "revocation")], &options_with(&issuer.sign(&key, NOW_MS))), vec![vec!["INVALID_STATUS_LIST"]]);
    // IETF: 0x02 SUSPENDED, back to 0x00 VALID; 0x03 is application-specific and not a failure.
    let mut issuer = StatusListIssuer::new(config(ListFormat::Ietf, 1000, 2, None)).unwrap();
    let idx = issuer.allocate().unwrap();
    issuer.set(idx, 2).unwrap();
    assert_eq!(verify(vec![ietf_entry(idx)], &options_with(&issuer.sign(&key, NOW_MS))), vec![vec!["CREDENTIAL_SUSPENDED"]]);
    issuer.set(idx, 0).unwrap();
    assert_eq!(verify(vec![ietf_entry(idx)], &options_with(&issuer.sign(&key, NOW_MS))), vec![Vec::<&str>::new()]);
    issuer.set(idx, 3).unwrap();
    assert_eq!(verify(vec![ietf_entry(idx)], &options_with(&issuer.sign(&key, NOW_MS))), vec![Vec::<&str>::new()]);
}

#[test]
fn w3c_status_size_and_messages() {
    let key = issuer_key();
    let mut issuer = StatusListIssuer::new(config(ListFormat::W3c, 131_072, 2, Some("message"))).unwrap();
    issuer.set(7, 3).unwrap();
    let options = options_with(&issuer.sign(&key, NOW_MS));
    let mut entry = w3c_entry(7, "message");
    entry["statusSize"] = json!(2);
    let lists = options.status_lists.clone().unwrap();
    let outcome = check(&entry, &key.did(), &lists, &options, NOW).unwrap().unwrap();
    assert_eq!((outcome.reading.value, outcome.reading.error.is_none()), (3, true));
    entry["statusSize"] = json!(3);
    assert_eq!(verify(vec![entry], &options), vec![vec!["MALFORMED_INPUT"]]);
}

#[test]
fn a_bad_list_signature_fails_every_item_relying_on_it_and_the_list_is_never_read() {
    let key = issuer_key();
    let mut issuer = StatusListIssuer::new(config(ListFormat::Ietf, 1000, 1, None)).unwrap();
    issuer.set(5, 1).unwrap();
    let signed = issuer.sign(&key, NOW_MS);
    // Same header and payload, someone else's signature.
    let (input, _) = signed.rsplit_once('.').unwrap();
    let forged = format!("{input}.{}", b64url_encode(&other_key().sign(input.as_bytes())));
    let options = options_with(&forged);
    let did = key.did();
    let mut items: Vec<Prepared> = (0..10).map(|i| item(ietf_entry(i), &did)).collect();
    apply_status(&mut items, &options, NOW_MS, &mut StatusLists::new(0, 0.0), &mut DidKeySource);
    let results = finish(items);
    // The forged list is never read: every item gets INVALID_STATUS_LIST, none a reading from it.
    for (i, r) in results.iter().enumerate() {
        assert_eq!(r.errors.iter().map(|e| e.code).collect::<Vec<_>>(), ["INVALID_STATUS_LIST"], "item {i}");
        assert_eq!(r.errors.last().unwrap().path.as_deref(), Some("credentialStatus"));
        assert!(!r.valid);
    }
    // The genuine list passes for the same items.
    assert_eq!(verify(vec![ietf_entry(0), ietf_entry(1)], &options_with(&signed)), vec![Vec::<&str>::new(), vec![]]);
}

#[test]
fn list_issuer_must_be_the_credential_issuer_or_trusted() {
    let other = other_key();
    let signed = StatusListIssuer::new(config(ListFormat::W3c, 131_072, 1, None)).unwrap().sign(&other, NOW_MS);
    let mut options = options_with(&signed);
    assert_eq!(verify(vec![w3c_entry(1, "revocation")], &options), vec![vec!["INVALID_STATUS_LIST"]]);
    options.trusted_status_issuers = Some(vec![other.did()]);
    assert_eq!(verify(vec![w3c_entry(1, "revocation")], &options), vec![Vec::<&str>::new()]);
    // A kid of another DID than the issuer is rejected before any signature is checked.
    let (h, rest) = signed.split_once('.').unwrap();
    let mut header: Value = serde_json::from_slice(&b64url_decode(h).unwrap()).unwrap();
    header["kid"] = json!(issuer_key().kid());
    let swapped = format!("{}.{rest}", b64url_encode(&serde_json::to_vec(&header).unwrap()));
    assert_eq!(ListDocument::parse(&swapped, Some(URI), DEFAULT_MAX_INFLATED_BYTES).unwrap_err().code, ErrorCode::InvalidStatusList);
}

#[test]
fn a_missing_list_fails_closed_unless_fail_open() {
    let mut options = VerifyOptions { now: Some(NOW_MS), ..VerifyOptions::default() };
    assert_eq!(
        verify(vec![ietf_entry(1), w3c_entry(2, "revocation")], &options),
        vec![vec!["STATUS_UNAVAILABLE"], vec!["STATUS_UNAVAILABLE"]]
    );
    let unknown = json!({ "type": "RevocationList2020Status", "statusListIndex": "1", "statusListCredential": URI });
    assert_eq!(verify(vec![unknown.clone()], &options), vec![vec!["STATUS_UNAVAILABLE"]]);
    options.status_fail_open = true;
    assert_eq!(verify(vec![ietf_entry(1), unknown], &options), vec![Vec::<&str>::new(), vec![]]);
    // Fail-open covers absence, not a bad list.
    options.status_lists = Some(BTreeMap::from([(URI.to_owned(), json!("not a jwt"))]));
    assert_eq!(verify(vec![ietf_entry(1)], &options), vec![vec!["INVALID_STATUS_LIST"]]);
    // checkStatus: false skips status entirely.
    let skip = VerifyOptions { check_status: false, ..VerifyOptions::default() };
    assert_eq!(verify(vec![ietf_entry(1)], &skip), vec![Vec::<&str>::new()]);
}

#[test]
fn sub_uri_mismatch_expiry_and_index_bounds() {
    let key = issuer_key();
    let mut cfg = config(ListFormat::Ietf, 1000, 1, None);
    cfg.uri = "https://example.com/statuslists/2".into();
    let elsewhere = StatusListIssuer::new(cfg).unwrap().sign(&key, NOW_MS);
    assert_eq!(verify(vec![ietf_entry(1)], &options_with(&elsewhere)), vec![vec!["INVALID_STATUS_LIST"]]);
    // Signed two days ago with one day of validity.
    for format in [ListFormat::W3c, ListFormat::Ietf] {
        let old = StatusListIssuer::new(config(format, 131_072, 1, None)).unwrap().sign(&key, NOW_MS - 2.0 * 86_400_000.0);
        let entry = if format == ListFormat::W3c { w3c_entry(1, "revocation") } else { ietf_entry(1) };
        assert_eq!(verify(vec![entry], &options_with(&old)), vec![vec!["INVALID_STATUS_LIST"]], "{format:?}");
    }
    let small = StatusListIssuer::new(config(ListFormat::Ietf, 16, 1, None)).unwrap().sign(&key, NOW_MS);
    assert_eq!(verify(vec![ietf_entry(16), ietf_entry(15)], &options_with(&small)), vec![vec!["INVALID_STATUS_LIST"], vec![]]);
    // A reference of one format into a list of the other.
    assert_eq!(verify(vec![w3c_entry(1, "revocation")], &options_with(&small)), vec![vec!["INVALID_STATUS_LIST"]]);
}

#[test]
fn malformed_entries_are_located() {
    let options = VerifyOptions { now: Some(NOW_MS), ..VerifyOptions::default() };
    let did = issuer_key().did();
    let mut bad_index = w3c_entry(1, "revocation");
    bad_index["statusListIndex"] = json!(1);
    let mut items = vec![item(json!([ietf_entry(1), bad_index]), &did)];
    apply_status(&mut items, &options, NOW_MS, &mut StatusLists::new(0, 0.0), &mut DidKeySource);
    let r = finish(items).remove(0);
    let got: Vec<(&str, Option<&str>)> = r.errors.iter().map(|e| (e.code, e.path.as_deref())).collect();
    assert_eq!(
        got,
        vec![("STATUS_UNAVAILABLE", Some("credentialStatus[0]")), ("MALFORMED_INPUT", Some("credentialStatus[1].statusListIndex"))]
    );
    assert_eq!(verify(vec![json!({ "status_list": { "idx": -1, "uri": URI } })], &options), vec![vec!["MALFORMED_INPUT"]]);
}

#[test]
fn ten_thousand_credentials_share_one_decoded_million_entry_list() {
    let key = issuer_key();
    let mut issuer = StatusListIssuer::new(config(ListFormat::Ietf, 1_000_000, 1, None)).unwrap();
    issuer.set(999_999, 1).unwrap();
    let options = options_with(&issuer.sign(&key, NOW_MS));
    let did = key.did();
    let mut cache = StatusLists::new(8, 600_000.0);
    let make = || (0..10_000u64).map(|i| item(ietf_entry(i * 100 + 99), &did)).collect::<Vec<_>>();
    for round in 0..2 {
        let mut items = make();
        apply_status(&mut items, &options, NOW_MS + f64::from(round) * 1000.0, &mut cache, &mut DidKeySource);
        let results = finish(items);
        assert_eq!(results.iter().filter(|r| r.valid).count(), 9_999);
        assert_eq!(results[9_999].errors[0].code, "REVOKED_CREDENTIAL");
    }
    // One decoding in the first batch (a miss), none in the second (a hit).
    let s = cache.stats();
    assert_eq!((s.misses, s.hits, s.entries), (1, 1, 1));
    // A cached list serves a batch that does not supply it, until its deadline (ttl 300 s).
    let bare = VerifyOptions { now: Some(NOW_MS), ..VerifyOptions::default() };
    let mut items = vec![item(ietf_entry(999_999), &did)];
    apply_status(&mut items, &bare, NOW_MS + 299_000.0, &mut cache, &mut DidKeySource);
    assert_eq!(finish(items)[0].errors.iter().map(|e| e.code).collect::<Vec<_>>(), vec!["REVOKED_CREDENTIAL"]);
    let mut items = vec![item(ietf_entry(999_999), &did)];
    apply_status(&mut items, &bare, NOW_MS + 300_000.0, &mut cache, &mut DidKeySource);
    assert_eq!(finish(items)[0].errors[0].code, "STATUS_UNAVAILABLE");
    assert_eq!(cache.stats().expirations, 1);
    // A newly supplied list under the same URI replaces the cached one.
    issuer.set(999_999, 0).unwrap();
    let fresh = options_with(&issuer.sign(&key, NOW_MS));
    assert_eq!(verify(vec![ietf_entry(999_999)], &fresh), vec![Vec::<&str>::new()]);
    let mut items = vec![item(ietf_entry(999_999), &did)];
    apply_status(&mut items, &options, NOW_MS, &mut cache, &mut DidKeySource);
    let mut items = vec![item(ietf_entry(999_999), &did)];
    apply_status(&mut items, &fresh, NOW_MS, &mut cache, &mut DidKeySource);
    assert!(finish(items)[0].valid);
}

// ---------------------------------------------------------------------------------------------
// Cache

#[test]
fn cache_stats_after_a_scripted_sequence() {
    let mut c: TtlLru<String, u32> = TtlLru::new(2, 1_000.0);
    assert_eq!(c.get("a", 0.0), None); // miss
    c.insert("a".into(), 1, 0.0);
    c.insert("b".into(), 2, 10.0);
    assert_eq!(c.get("a", 20.0), Some(&1)); // hit; "b" is now least recent
    c.insert("c".into(), 3, 30.0); // evicts fresh "b"
    assert_eq!(c.get("b", 40.0), None); // miss
    assert_eq!(c.get("c", 50.0), Some(&3)); // hit
    c.insert("c".into(), 4, 60.0); // replacement: no eviction
    assert_eq!(c.get("c", 70.0), Some(&4)); // hit
    assert_eq!(c.get("a", 1_000.0), None); // expired: miss + expiration
    c.insert_until("d".into(), 5, 1_000.0, 1_500.0);
    c.insert("e".into(), 6, 1_100.0); // full: least recent "c" expired at 1060, so an expiration
    let s = c.stats();
    assert_eq!(s, CacheStats { hits: 3, misses: 3, evictions: 1, expirations: 2, entries: 2, capacity: 2, hit_ratio: 0.5 });
    assert_eq!(
        serde_json::to_value(s).unwrap(),
        json!({ "hits": 3, "misses": 3, "evictions": 1, "expirations": 2, "entries": 2, "capacity": 2, "hitRatio": 0.5 })
    );
    c.clear();
    assert_eq!((c.stats().entries, c.stats().hits), (0, 3));
    c.reset_stats();
    assert_eq!(c.stats().hits, 0);
}

#[test]
fn cache_entries_expire_on_the_injected_clock() {
    let mut c: TtlLru<u32, &str> = TtlLru::new(10, 60_000.0);
    c.insert(1, "default ttl", 0.0);
    c.insert_until(2, "own deadline", 0.0, 5_000.0);
    c.insert_until(3, "already expired", 1_000.0, 1_000.0);
    assert!(!c.contains(&3, 1_000.0));
    assert_eq!(c.len(), 2);
    assert_eq!(c.get(&2, 4_999.0), Some(&"own deadline"));
    assert!(!c.contains(&2, 5_000.0));
    assert_eq!(c.get(&1, 59_999.0), Some(&"default ttl"));
    assert_eq!(c.purge_expired(60_000.0), 2);
    assert_eq!(c.len(), 0);
    assert_eq!(c.stats().expirations, 2);
    // Each entry keeps the deadline it was given.
    c.insert_until(4, "x", 0.0, 100.0);
    c.insert(5, "y", 50.0);
    assert_eq!(c.get(&4, 100.0), None);
    assert_eq!(c.get(&5, 100.0), Some(&"y"));
}

#[test]
fn cache_memory_stays_bounded() {
    let mut c: TtlLru<u64, u64> = TtlLru::new(1_000, 1e12);
    for i in 0..1_000_000u64 {
        c.insert(i, i, i as f64);
        assert!(c.len() <= 1_000);
    }
    let s = c.stats();
    assert_eq!((s.entries, s.capacity, s.evictions, s.expirations), (1_000, 1_000, 999_000, 0));
    assert_eq!(c.get(&999_999, 1e6), Some(&999_999));
    assert_eq!(c.get(&0, 1e6), None);
}
