//! The ECDSA and RSA entry points of the keys module (`keys-wasm/`, pkg/credcore_keys_bg.wasm):
//! [`crate::keys::curves::InProcess`] over bytes, for the default module's bridge
//! (`src/wasm/curves.rs`) to call through JavaScript. Jobs arrive packed as the host settlers
//! take them ([`super::wire`]: per job the algorithm's JOSE name, the key as
//! [`HostJob::host_key`] wrote it, the message, the signature), and every job is checked again
//! here (the key on its curve or under the RSA policy, the algorithm's fit, the signature's
//! shape): a job this module cannot read is a signature that does not verify. Failures cross as
//! `CODE \u{1} path \u{1} message` (`crate::keys::x509::wire::encode_error`).

use super::wire;
use crate::error::{Error, ErrorCode};
use crate::keys::curves::{Curves, InProcess};
use crate::keys::x509::wire::encode_error;
use crate::keys::{key_from_host, Algorithm, HostJob};

fn ecdsa_alg(alg: &str) -> Result<Algorithm, String> {
    match Algorithm::parse(alg) {
        Ok(a @ (Algorithm::Es256 | Algorithm::Es384 | Algorithm::Es256k)) => Ok(a),
        _ => Err(encode_error(&Error::new(ErrorCode::UnsupportedAlgorithm, format!("ECDSA keys are ES256, ES384 or ES256K, not {alg}")))),
    }
}

/// One byte per packed job, 1 for a signature that verifies.
///
/// # Errors
/// The failure string when the buffer is not a packed list of jobs.
pub fn settle_jobs(packed: &[u8]) -> Result<Vec<u8>, String> {
    let fields = wire::unpack(packed).map_err(|e| encode_error(&e))?;
    if !fields.len().is_multiple_of(4) {
        return Err(encode_error(&Error::malformed("host jobs are four fields each")));
    }
    Ok(fields
        .chunks_exact(4)
        .map(|job| {
            let [alg, key, message, signature] = job else { return 0 };
            let Some(alg) = std::str::from_utf8(alg).ok().and_then(|a| Algorithm::parse(a).ok()) else { return 0 };
            let Some(key) = key_from_host(alg, key) else { return 0 };
            let job = HostJob { alg, key: &key, message, signature };
            u8::from(job.admissible() && InProcess.settle(std::slice::from_ref(&job)).is_ok_and(|a| a.first() == Some(&true)))
        })
        .collect())
}

/// The uncompressed public key `04 || x || y` of an ECDSA secret scalar.
///
/// # Errors
/// The failure string for another algorithm or a scalar the curve refuses.
pub fn public_key(alg: &str, secret: &[u8]) -> Result<Vec<u8>, String> {
    let alg = ecdsa_alg(alg)?;
    InProcess.public_key(alg, secret).map(|k| k.sec1(false)).map_err(|e| encode_error(&e))
}

/// The JWS signature `r || s` (RFC 6979) of `message` with an ECDSA secret scalar.
///
/// # Errors
/// As [`public_key`].
pub fn sign(alg: &str, secret: &[u8], message: &[u8]) -> Result<Vec<u8>, String> {
    let alg = ecdsa_alg(alg)?;
    InProcess.sign(alg, secret, message).map_err(|e| encode_error(&e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{SigningKey, Signer};

    #[test]
    fn jobs_verify_and_tampered_ones_do_not() {
        let key = SigningKey::generate(Algorithm::Es256).unwrap();
        let sig = key.sign_message(b"m");
        let public = key.verifying_key();
        let host_key = HostJob { alg: Algorithm::Es256, key: &public, message: b"m", signature: &sig }.host_key();
        let mut bad_sig = sig.clone();
        bad_sig[5] ^= 1;
        let mut bad_key = host_key.clone();
        bad_key[40] ^= 1;
        let fields: Vec<&[u8]> = vec![
            b"ES256", &host_key, b"m", &sig, // verifies
            b"ES256", &host_key, b"n", &sig, // another message
            b"ES256", &host_key, b"m", &bad_sig, // another signature
            b"ES256", &bad_key, b"m", &sig, // a point off the curve
            b"ES384", &host_key, b"m", &sig, // another algorithm
            b"EdDSA", &host_key, b"m", &sig,
        ];
        assert_eq!(settle_jobs(&wire::pack(fields)).unwrap(), vec![1, 0, 0, 0, 0, 0]);
        assert!(settle_jobs(&wire::pack([b"ES256".as_slice()])).is_err());
        assert!(settle_jobs(b"junk").is_err());
        let secret = key.secret_bytes();
        assert_eq!(public_key("ES256", &secret).unwrap(), host_key);
        assert_eq!(sign("ES256", &secret, b"m").unwrap(), sig);
        assert!(sign("RS256", &secret, b"m").unwrap_err().starts_with("UNSUPPORTED_ALGORITHM"));
        assert!(public_key("ES256", &[0; 32]).unwrap_err().starts_with("INVALID_KEY"));
    }
}
