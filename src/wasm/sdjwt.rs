//! Boundary for SD-JWT issuance and presentation (RFC 9901, SD-JWT VC).

use super::signing::signing_key;
use super::{to_js, JsResult};
use crate::error::Error;
use crate::hash::HashAlg;
use crate::keys::{PublicKey, VerifyingKey};
use crate::sdjwt::{self, IssueOptions, KeyBindingParams, Selection};
use serde::Deserialize;
use serde_json::Value;

/// The JSON part of `sdJwt.issue` options (keys travel as bytes).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
struct IssueArgs {
    disclose: Option<Value>,
    vct: Option<String>,
    decoys: usize,
    expires_in: Option<i64>,
    hash_alg: Option<String>,
    /// The holder's public JWK (any supported key type), instead of Ed25519 key bytes.
    holder_jwk: Option<Value>,
}

/// The JSON part of `sdJwt.present` options.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
struct PresentArgs {
    disclose: Option<Value>,
    nonce: Option<String>,
    audience: Option<String>,
    /// `compact` (the default) or `json`: the flattened JWS JSON Serialization (RFC 9901 section 8.2).
    serialization: Option<String>,
}

fn parse<T: for<'de> Deserialize<'de>>(text: &str, what: &str) -> JsResult<T> {
    serde_json::from_str(text).map_err(|e| to_js(Error::malformed(format!("invalid {what}: {e}")).at(what.to_owned())))
}

fn selection(v: Option<Value>) -> JsResult<Selection> {
    match v {
        None | Some(Value::Null) => Ok(Selection::None),
        Some(v) => Selection::from_json(&v).map_err(|e| to_js(e.at("disclose"))),
    }
}

/// Issues an SD-JWT (VC): `claims` JSON, options JSON (a holder JWK as `holderJwk`), the
/// issuer's secret key, an optional Ed25519 holder public key for `cnf`, the issuance time in
/// milliseconds, and the issuer key's algorithm (`EdDSA` when not given).
#[wasm_bindgen::prelude::wasm_bindgen(js_name = sdJwtIssue)]
pub fn sd_jwt_issue(
    claims_json: &str,
    options_json: &str,
    issuer_secret: &[u8],
    holder_public_key: Option<Vec<u8>>,
    now_ms: f64,
    issuer_alg: Option<String>,
) -> JsResult<String> {
    let claims: Value = parse(claims_json, "claims")?;
    let args: IssueArgs = parse(options_json, "options")?;
    let issuer = signing_key(issuer_secret, issuer_alg, "issuer")?;
    let holder = match (holder_public_key, args.holder_jwk) {
        (Some(_), Some(_)) => return Err(to_js(Error::malformed("give the holder key once").at("holderPublicKey"))),
        (Some(bytes), None) => Some(VerifyingKey::from(PublicKey::from_bytes(&bytes).map_err(|e| to_js(e.at("holderPublicKey")))?)),
        (None, Some(jwk)) => Some(VerifyingKey::from_jwk(&jwk).map_err(|e| to_js(e.at("holderPublicKey")))?),
        (None, None) => None,
    };
    let hash_alg = match args.hash_alg.as_deref() {
        Some(name) => HashAlg::parse(name).map_err(|e| to_js(e.at("hashAlg")))?,
        None => HashAlg::Sha256,
    };
    let opts = IssueOptions {
        disclose: selection(args.disclose)?,
        vct: args.vct,
        holder_public_key: holder,
        decoys: args.decoys,
        expires_in: args.expires_in,
        now_seconds: (now_ms / 1000.0).floor() as i64,
        hash_alg,
    };
    super::curves::signed(sdjwt::issue(&claims, &opts, &issuer, &mut crate::random::system_random).map_err(Into::into))
}

/// Presents an SD-JWT: options JSON (`disclose`, `nonce`, `audience`), the holder's secret key
/// for key binding (or none), the presentation time in milliseconds, and the holder key's
/// algorithm (`EdDSA` when not given).
#[wasm_bindgen::prelude::wasm_bindgen(js_name = sdJwtPresent)]
pub fn sd_jwt_present(
    sd_jwt: &str,
    options_json: &str,
    holder_secret: Option<Vec<u8>>,
    now_ms: f64,
    holder_alg: Option<String>,
) -> JsResult<String> {
    let args: PresentArgs = parse(options_json, "options")?;
    let disclose = selection(args.disclose)?;
    let json = match args.serialization.as_deref() {
        None | Some("compact") => false,
        Some("json") => true,
        Some(_) => return Err(to_js(Error::malformed("serialization is 'compact' or 'json'").at("serialization"))),
    };
    let compact = present_compact(sd_jwt, &disclose, holder_secret, holder_alg, args.nonce, args.audience, now_ms)?;
    if !json {
        return Ok(compact);
    }
    let flattened = sdjwt::json::to_flattened(&compact).map_err(to_js)?;
    Ok(Value::Object(flattened).to_string())
}

fn present_compact(
    sd_jwt: &str,
    disclose: &Selection,
    holder_secret: Option<Vec<u8>>,
    holder_alg: Option<String>,
    nonce: Option<String>,
    audience: Option<String>,
    now_ms: f64,
) -> JsResult<String> {
    match holder_secret {
        None => sdjwt::present(sd_jwt, disclose, None).map_err(Into::into),
        Some(secret) => {
            let key = signing_key(&secret, holder_alg, "holder")?;
            let missing = |name: &str| to_js(Error::malformed(format!("key binding needs a {name}")).at(name.to_owned()));
            let nonce = nonce.ok_or_else(|| missing("nonce"))?;
            let audience = audience.ok_or_else(|| missing("audience"))?;
            let params = KeyBindingParams { key: &key, nonce: &nonce, audience: &audience, iat: (now_ms / 1000.0).floor() as i64 };
            super::curves::signed(sdjwt::present(sd_jwt, disclose, Some(&params)).map_err(Into::into))
        }
    }
}
