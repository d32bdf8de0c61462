//! The wasm boundary of credcore's keys module, built into `pkg/credcore_keys_bg.wasm`: X.509
//! path validation of `x5c` chains (RustCrypto's x509-cert and der, and the path rules of
//! credcore's `src/keys/x509/path.rs`), and the ECDSA and RSA arithmetic (RustCrypto's p256,
//! p384, k256 and rsa: verifying host jobs, public keys of ECDSA secrets, RFC 6979 signing),
//! kept out of the default module and loaded by the JS package only where they are needed
//! (pkg-template/keys-module.js). Conversion only: the bytes are those of
//! `credcore::keys::x509::wire` and `credcore::curves_module`; a failure crosses as the string
//! `CODE \u{1} path \u{1} message`, which the default module maps back to its error.

#[cfg(target_arch = "wasm32")]
mod boundary {
    use wasm_bindgen::prelude::*;

    /// Validates a packed chain (leaf first) to the packed anchors at `now` (seconds): the
    /// validated chain, packed; throws the failure string.
    #[wasm_bindgen(js_name = validateChain)]
    pub fn validate_chain(chain: &[u8], anchors: &[u8], now: f64) -> Result<Vec<u8>, String> {
        credcore::keys_module::validate_chain(chain, anchors, now)
    }

    /// Whether every packed anchor is a certificate; throws the failure string.
    #[wasm_bindgen(js_name = checkAnchors)]
    pub fn check_anchors(anchors: &[u8]) -> Result<(), String> {
        credcore::keys_module::check_anchors(anchors)
    }

    /// One byte per packed host job (algorithm, key, message, signature), 1 for a signature
    /// that verifies; throws the failure string for a buffer that is not such a list.
    #[wasm_bindgen(js_name = settleJobs)]
    pub fn settle_jobs(jobs: &[u8]) -> Result<Vec<u8>, String> {
        credcore::curves_module::settle_jobs(jobs)
    }

    /// The uncompressed public key of an ES256, ES384 or ES256K secret; throws the failure string.
    #[wasm_bindgen(js_name = ecdsaPublicKey)]
    pub fn ecdsa_public_key(alg: &str, secret: &[u8]) -> Result<Vec<u8>, String> {
        credcore::curves_module::public_key(alg, secret)
    }

    /// The JWS signature `r || s` (RFC 6979) of `message`; throws the failure string.
    #[wasm_bindgen(js_name = ecdsaSign)]
    pub fn ecdsa_sign(alg: &str, secret: &[u8], message: &[u8]) -> Result<Vec<u8>, String> {
        credcore::curves_module::sign(alg, secret, message)
    }
}
