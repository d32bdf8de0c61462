//! Boundary for issuing credentials and creating presentations (VC-JWT, VP-JWT, anon-identity,
//! Data Integrity).

use super::signing::signing_key;
use super::{to_js, JsResult};
use crate::credential::data_integrity::issue::Cryptosuite;
use crate::credential::issue::{self, IssueFormat, PresentationFormat};
use crate::error::Error;
use crate::keys::Signer;
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
struct IssueArgs {
    format: Option<String>,
    cryptosuite: Option<String>,
    expires_in: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
struct PresentArgs {
    format: Option<String>,
    cryptosuite: Option<String>,
    nonce: Option<String>,
    audience: Option<String>,
}

fn parse<T: for<'de> Deserialize<'de>>(text: &str, what: &str) -> JsResult<T> {
    serde_json::from_str(text).map_err(|e| to_js(Error::malformed(format!("invalid {what}: {e}")).at(what.to_owned())))
}

fn unsupported(what: &str, got: &str, allowed: &str) -> JsValue {
    to_js(Error::malformed(format!("{what} '{got}' is not one of {allowed}")).at("format"))
}

/// The cryptosuite of a Data Integrity proof (`cryptosuite`, by default the key's:
/// [`Cryptosuite::default_for`]).
fn cryptosuite(name: Option<&str>, key: &dyn Signer) -> JsResult<Cryptosuite> {
    match name {
        Some(n) => Cryptosuite::parse(n).map_err(|e| to_js(e.at("cryptosuite"))),
        None => Ok(Cryptosuite::default_for(key.algorithm())),
    }
}

/// Issues a credential with the issuer's secret and algorithm (`EdDSA` when not given); returns
/// JSON text: a string (vc-jwt) or an object (anon-identity, data-integrity).
#[wasm_bindgen(js_name = issueCredential)]
pub fn issue_credential(
    credential_json: &str,
    issuer_secret: &[u8],
    options_json: &str,
    now_ms: f64,
    issuer_alg: Option<String>,
) -> JsResult<String> {
    let credential: Value = parse(credential_json, "credential")?;
    let args: IssueArgs = parse(options_json, "options")?;
    let issuer = signing_key(issuer_secret, issuer_alg, "issuer")?;
    let format = match args.format.as_deref() {
        None | Some("vc-jwt") => IssueFormat::VcJwt,
        Some("anon-identity") => IssueFormat::AnonIdentity,
        Some("data-integrity") => IssueFormat::DataIntegrity(cryptosuite(args.cryptosuite.as_deref(), &issuer)?),
        Some(other) => return Err(unsupported("format", other, "'vc-jwt', 'anon-identity', 'data-integrity'")),
    };
    let out = issue::issue_credential(&credential, &issuer, format, args.expires_in, (now_ms / 1000.0).floor() as i64)?;
    super::curves::signed(Ok(out.to_string()))
}

/// Creates a presentation with the holder's secret and algorithm (`EdDSA` when not given);
/// returns JSON text: a string (vp-jwt) or an object (anon-identity, data-integrity).
#[wasm_bindgen(js_name = createPresentation)]
pub fn create_presentation(
    credentials_json: &str,
    holder_secret: &[u8],
    options_json: &str,
    now_ms: f64,
    holder_alg: Option<String>,
) -> JsResult<String> {
    let credentials: Vec<Value> = parse(credentials_json, "credentials")?;
    let args: PresentArgs = parse(options_json, "options")?;
    let holder = signing_key(holder_secret, holder_alg, "holder")?;
    let format = match args.format.as_deref() {
        None | Some("vp-jwt") => PresentationFormat::VpJwt,
        Some("anon-identity") => PresentationFormat::AnonIdentity,
        Some("data-integrity") => PresentationFormat::DataIntegrity(cryptosuite(args.cryptosuite.as_deref(), &holder)?),
        Some(other) => return Err(unsupported("format", other, "'vp-jwt', 'anon-identity', 'data-integrity'")),
    };
    let out = issue::create_presentation(
        &credentials,
        &holder,
        args.nonce.as_deref(),
        args.audience.as_deref(),
        format,
        (now_ms / 1000.0).floor() as i64,
    )?;
    super::curves::signed(Ok(out.to_string()))
}
