//! The wasm boundary of credcore's keys module, built into `pkg/credcore_keys_bg.wasm`: X.509
//! path validation of `x5c` chains (RustCrypto's x509-cert and der, and the path rules of
//! credcore's `src/keys/x509/path.rs`), kept out of the default module and loaded by the JS
//! package only where a chain is to be validated (pkg-template/keys-module.js). Conversion only:
//! the bytes are those of `credcore::keys::x509::wire`; a failure crosses as the string
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
}
