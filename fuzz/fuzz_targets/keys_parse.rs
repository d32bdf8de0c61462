//! Key parsing and the strict Ed25519 policy: `keys::public_key_from_did`,
//! `keys::public_key_from_jwk`, `PublicKey::from_bytes`, and single against batch verification.
//!
//! Modes (first byte mod 4):
//! - 0: the rest is a DID. Accepted only in its canonical spelling: `did_from_public_key` of the
//!   key gives the input back; the key's `kid` names the DID.
//! - 1: the rest is JSON for a JWK. An accepted key re-encodes as an OKP JWK that parses to it.
//! - 2: the rest is 32 key bytes. An accepted key round-trips through did:key and JWK.
//! - 3: key (32 bytes), signature (64), message (the rest): `verify`, `verify_slices` and a
//!   `verify_batch` of the job among honest signatures all agree, and honest jobs pass.

#![no_main]

use credcore::encoding::b64url_encode;
use credcore::keys::{
    did_from_public_key, kid_for, public_key_from_did, public_key_from_jwk, verify, verify_batch, verify_slices, Jwk, KeyPair, PublicKey,
    SignatureJob,
};
use libfuzzer_sys::fuzz_target;

fn round_trips(key: &PublicKey) {
    let did = did_from_public_key(key.as_bytes());
    assert_eq!(&public_key_from_did(&did).expect("a did:key made here parses").public_key, key);
    let jwk = serde_json::to_value(Jwk::from_public_key(key.as_bytes())).expect("a JWK serializes");
    assert_eq!(&public_key_from_jwk(&jwk).expect("a JWK made here parses"), key);
    assert_eq!(jwk["x"], serde_json::json!(b64url_encode(key.as_bytes())));
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    match mode % 4 {
        0 => {
            let Ok(did) = std::str::from_utf8(rest) else { return };
            if let Ok(k) = public_key_from_did(did) {
                assert_eq!(k.did, did);
                assert_eq!(did_from_public_key(k.public_key.as_bytes()), did, "only the canonical spelling is accepted");
                assert!(kid_for(k.public_key.as_bytes()).starts_with(&format!("{did}#")));
                round_trips(&k.public_key);
            }
        }
        1 => {
            let Ok(v) = serde_json::from_slice::<serde_json::Value>(rest) else { return };
            if let Ok(key) = public_key_from_jwk(&v) {
                assert_eq!(v["kty"], "OKP");
                assert_eq!(v["crv"], "Ed25519");
                assert!(v.get("d").is_none(), "a private JWK is refused");
                round_trips(&key);
            }
        }
        2 => {
            if let Ok(key) = PublicKey::from_bytes(rest) {
                assert_eq!(key.as_bytes().as_slice(), rest);
                round_trips(&key);
            }
        }
        _ => {
            if rest.len() < 96 {
                return;
            }
            let (key_bytes, tail) = rest.split_at(32);
            let (sig, msg) = tail.split_at(64);
            let sig: [u8; 64] = sig.try_into().expect("64 bytes");
            let single = verify_slices(msg, &sig, key_bytes).expect("lengths are right");
            let Ok(key) = PublicKey::from_bytes(key_bytes) else {
                assert!(!single, "a refused key verifies nothing");
                return;
            };
            assert_eq!(verify(msg, &sig, &key), single);
            let honest = KeyPair::from_seed(&[7; 32]);
            let msgs: Vec<Vec<u8>> = (0..3u8).map(|i| vec![i; 5]).collect();
            let sigs: Vec<[u8; 64]> = msgs.iter().map(|m| honest.sign(m)).collect();
            let mut jobs: Vec<SignatureJob<'_>> =
                msgs.iter().zip(&sigs).map(|(m, s)| SignatureJob { message: m, signature: s, key: honest.public_key() }).collect();
            jobs.insert(1, SignatureJob { message: msg, signature: &sig, key: &key });
            let got = verify_batch(&jobs);
            assert_eq!(got, vec![true, single, true, true], "batch and single verification disagree");
        }
    }
});
