//! `status::ListDocument::parse`: a signed status list (W3C `BitstringStatusListCredential` JWT
//! or IETF Status List Token), decompressed under a cap.
//!
//! Invariants on success: the document keeps the exact input and its SHA-256; the list is not
//! empty, inflates within the cap, and reads entries up to its size and none past it; a W3C list
//! has at least 16 KB; parsing again under the URI it states gives the same document, under
//! another URI fails; the time and signature checks and the cache deadline do not panic; an
//! issuer taking the list over and re-signing it publishes the same entries.

#![no_main]

use credcore::hash::sha256;
use credcore::status::bitstring::MIN_BYTES;
use credcore::status::{ListDocument, ListFormat, StatusListIssuer};
use credcore_fuzz::{issuer, NOW_S, VERIFY_MS};
use libfuzzer_sys::fuzz_target;

const CAP: usize = 64 * 1024;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(doc) = ListDocument::parse(text, None, CAP) else { return };
    assert_eq!(doc.raw(), text);
    assert_eq!(doc.digest(), &sha256(text.as_bytes()));
    let list = &doc.list;
    assert!(!list.as_bytes().is_empty() && list.as_bytes().len() <= CAP);
    assert!(list.size() > 0);
    assert!(list.get(list.size() - 1).is_some(), "the last entry reads");
    assert!(list.get(list.size()).is_none(), "no entry past the size");
    if doc.format == ListFormat::W3c {
        assert!(list.as_bytes().len() >= MIN_BYTES, "a W3C list has at least 16 KB");
    }
    let again = ListDocument::parse(text, Some(&doc.uri), CAP).expect("a list parses under the URI it states");
    assert_eq!(again.digest(), doc.digest());
    assert_eq!(again.list, doc.list);
    let other = format!("{}#other", doc.uri);
    assert!(ListDocument::parse(text, Some(&other), CAP).is_err(), "a list does not stand in for another URI");
    let _ = doc.check_time(NOW_S, 60);
    let _ = doc.verify_signature();
    let _ = doc.cache_deadline_ms(VERIFY_MS);
    let _ = doc.generation();
    let _ = doc.sig_check("fuzz");
    if let Ok(republisher) = StatusListIssuer::from_document(&doc) {
        let signed = republisher.sign(&issuer(), VERIFY_MS);
        let back = ListDocument::decode(&signed, Some(&doc.uri), CAP).expect("a list signed here decodes");
        assert_eq!(back.format, doc.format);
        assert_eq!(back.list.as_bytes(), doc.list.as_bytes(), "re-signing keeps every entry");
    }
});
