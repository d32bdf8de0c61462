//! The Issuer: SD-JWT issuance (RFC 9901 section 4) in the SD-JWT VC profile
//! (draft-ietf-oauth-sd-jwt-vc section 3: `typ` `dc+sd-jwt`, `vct`, `iss`, `cnf`).

use super::disclosure::{decoy_digest, Disclosure, Random, ARRAY_DIGEST_KEY, SD_ALG_KEY, SD_KEY};
use super::frame::{array_index, Selection, Spec, MAX_DECOYS};
use crate::error::{Error, ErrorCode, Result};
use crate::hash::HashAlg;
use crate::keys::{Signer, VerifyingKey};
use serde_json::{Map, Value};

/// The `typ` of an SD-JWT VC (draft-ietf-oauth-sd-jwt-vc section 3.2.1).
pub const SD_JWT_VC_TYP: &str = "dc+sd-jwt";

/// Top-level claims that are never selectively disclosable: the SD-JWT VC profile forbids it for
/// `iss`, `nbf`, `exp`, `cnf`, `vct`, `vct#integrity` and `status`; `iat` is set by the issuer.
pub const NEVER_DISCLOSABLE: &[&str] = &["iss", "iat", "nbf", "exp", "cnf", "vct", "vct#integrity", "status"];

/// How to issue an SD-JWT VC.
#[derive(Clone, Debug)]
pub struct IssueOptions {
    /// The claims to make selectively disclosable.
    pub disclose: Selection,
    /// The credential type (`vct`); required here or as a `vct` claim.
    pub vct: Option<String>,
    /// The holder's key (of any supported type), written as `cnf.jwk` so the holder can add key
    /// binding.
    pub holder_public_key: Option<VerifyingKey>,
    /// Decoy digests added to the top level and to every object or array with disclosable members.
    pub decoys: usize,
    /// Lifetime in seconds; sets `exp = iat + expires_in`.
    pub expires_in: Option<i64>,
    /// The issuance time (`iat`), seconds since the epoch.
    pub now_seconds: i64,
    /// The digest algorithm (`_sd_alg`).
    pub hash_alg: HashAlg,
}

impl Default for IssueOptions {
    fn default() -> Self {
        IssueOptions {
            disclose: Selection::None,
            vct: None,
            holder_public_key: None,
            decoys: 0,
            expires_in: None,
            now_seconds: 0,
            hash_alg: HashAlg::Sha256,
        }
    }
}

/// Issues an SD-JWT VC: `<issuer-jwt>~<disclosure>~...~` signed by `issuer` (EdDSA, ES256 or
/// ES384, after the key).
///
/// The payload gets `iss` (the issuer's did:key), `iat`, `exp` (with `expires_in`), `vct`,
/// `cnf.jwk` (with a holder key) and `_sd_alg`; the header `typ: dc+sd-jwt` and the issuer's
/// `kid`. Every `_sd` array is sorted, so digests reveal nothing about claim order.
///
/// # Errors
/// `MALFORMED_INPUT` when `claims` is not an object, a path names no claim, a profile claim is
/// asked to be disclosable, a claim uses a reserved name (`_sd`, `_sd_alg`, `...`), `vct` is
/// missing, or `iss`, `cnf` or `exp` in the claims contradict the options; `INPUT_TOO_LARGE` for
/// too many decoys; whatever `rng` returns.
pub fn issue(claims: &Value, opts: &IssueOptions, issuer: &dyn Signer, rng: Random<'_>) -> Result<String> {
    let Value::Object(claims) = claims else {
        return Err(Error::malformed("claims must be a JSON object").at("claims"));
    };
    if opts.decoys > MAX_DECOYS {
        return Err(Error::new(ErrorCode::InputTooLarge, format!("at most {MAX_DECOYS} decoys")).at("decoys"));
    }
    let spec = opts.disclose.issuance_spec()?;
    for name in NEVER_DISCLOSABLE {
        if spec.children.contains_key(*name) {
            return Err(Error::malformed(format!("claim '{name}' is never selectively disclosable in an SD-JWT VC")).at("disclose"));
        }
    }
    let mut encoder = Encoder { alg: opts.hash_alg, rng, decoys: opts.decoys, disclosures: Vec::new() };
    let mut payload = encoder.object(claims, &spec, "", true)?;

    let did = issuer.did();
    set_profile_claim(&mut payload, "iss", Value::String(did))?;
    if !payload.contains_key("iat") {
        payload.insert("iat".into(), Value::from(opts.now_seconds));
    }
    if let Some(lifetime) = opts.expires_in {
        let exp = opts.now_seconds.checked_add(lifetime).ok_or_else(|| Error::malformed("expiresIn overflows").at("expiresIn"))?;
        set_profile_claim(&mut payload, "exp", Value::from(exp))?;
    }
    match (&opts.vct, payload.get("vct")) {
        (Some(vct), _) => set_profile_claim(&mut payload, "vct", Value::String(vct.clone()))?,
        (None, Some(Value::String(_))) => {}
        (None, _) => return Err(Error::malformed("an SD-JWT VC needs a string vct").at("vct")),
    }
    if let Some(holder) = &opts.holder_public_key {
        let mut cnf = Map::new();
        cnf.insert("jwk".into(), Value::Object(holder.to_jwk()));
        set_profile_claim(&mut payload, "cnf", Value::Object(cnf))?;
    }
    payload.insert(SD_ALG_KEY.into(), Value::String(opts.hash_alg.name().into()));

    let mut header = Map::new();
    header.insert("typ".into(), Value::String(SD_JWT_VC_TYP.into()));
    header.insert("kid".into(), Value::String(issuer.kid()));
    let payload_bytes = serde_json::to_vec(&Value::Object(payload)).map_err(|e| Error::new(ErrorCode::InternalError, e.to_string()))?;
    let mut out = crate::jws::sign(&header, &payload_bytes, issuer);
    out.push('~');
    for d in &encoder.disclosures {
        out.push_str(d.encoded());
        out.push('~');
    }
    Ok(out)
}

/// Sets a profile claim, refusing a different value already in the claims.
fn set_profile_claim(payload: &mut Map<String, Value>, name: &str, value: Value) -> Result<()> {
    match payload.get(name) {
        Some(existing) if *existing != value => {
            Err(Error::malformed(format!("claim '{name}' contradicts the issuance options")).at(name.to_owned()))
        }
        _ => {
            payload.insert(name.into(), value);
            Ok(())
        }
    }
}

struct Encoder<'r> {
    alg: HashAlg,
    rng: Random<'r>,
    decoys: usize,
    disclosures: Vec<Disclosure>,
}

impl Encoder<'_> {
    fn value(&mut self, v: &Value, spec: &Spec, pointer: &str) -> Result<Value> {
        match v {
            Value::Object(m) => Ok(Value::Object(self.object(m, spec, pointer, false)?)),
            Value::Array(a) => Ok(Value::Array(self.array(a, spec, pointer)?)),
            _ if spec.children.is_empty() && spec.decoys == 0 => Ok(v.clone()),
            _ => Err(Error::malformed("a path goes below a claim that is neither object nor array").at(pointer.to_owned())),
        }
    }

    fn object(&mut self, obj: &Map<String, Value>, spec: &Spec, pointer: &str, top: bool) -> Result<Map<String, Value>> {
        if let Some(missing) = spec.children.keys().find(|k| !obj.contains_key(*k)) {
            return Err(Error::malformed("no claim at this path").at(super::disclosure::pointer_push(pointer, missing)));
        }
        let mut out = Map::new();
        let mut digests = Vec::new();
        for (k, v) in obj {
            let here = super::disclosure::pointer_push(pointer, k);
            if matches!(k.as_str(), SD_KEY | SD_ALG_KEY | ARRAY_DIGEST_KEY) {
                return Err(Error::malformed(format!("claim name '{k}' is reserved by SD-JWT")).at(here));
            }
            let empty = Spec::default();
            let child = spec.children.get(k).unwrap_or(&empty);
            let encoded = self.value(v, child, &here)?;
            if child.sd {
                let d = Disclosure::with_random_salt(Some(k), encoded, &mut *self.rng)?;
                digests.push(d.digest(self.alg));
                self.disclosures.push(d);
            } else {
                out.insert(k.clone(), encoded);
            }
        }
        let mut decoys = spec.decoys;
        if top || !digests.is_empty() {
            decoys += self.decoys;
        }
        for _ in 0..decoys {
            digests.push(decoy_digest(self.alg, &mut *self.rng)?);
        }
        if !digests.is_empty() {
            // RFC 9901 section 4.2.4.1: sorted, so the order of digests tells nothing.
            digests.sort_unstable();
            out.insert(SD_KEY.into(), Value::Array(digests.into_iter().map(Value::String).collect()));
        }
        Ok(out)
    }

    fn array(&mut self, arr: &[Value], spec: &Spec, pointer: &str) -> Result<Vec<Value>> {
        if let Some(bad) = spec.children.keys().find(|k| array_index(k).is_none_or(|i| i >= arr.len())) {
            return Err(Error::malformed("no array element at this path").at(super::disclosure::pointer_push(pointer, bad)));
        }
        let mut out = Vec::with_capacity(arr.len());
        let mut any_sd = false;
        for (i, v) in arr.iter().enumerate() {
            let index = i.to_string();
            let here = super::disclosure::pointer_push(pointer, &index);
            let empty = Spec::default();
            let child = spec.children.get(&index).unwrap_or(&empty);
            let encoded = self.value(v, child, &here)?;
            if child.sd {
                any_sd = true;
                let d = Disclosure::with_random_salt(None, encoded, &mut *self.rng)?;
                out.push(placeholder(d.digest(self.alg)));
                self.disclosures.push(d);
            } else {
                out.push(encoded);
            }
        }
        let decoys = spec.decoys + if any_sd { self.decoys } else { 0 };
        for _ in 0..decoys {
            let digest = decoy_digest(self.alg, &mut *self.rng)?;
            // A decoy at a random position, so the positions of real elements stay hidden.
            let mut r = [0u8; 4];
            (self.rng)(&mut r)?;
            let at = usize::try_from(u32::from_le_bytes(r)).unwrap_or(0) % (out.len() + 1);
            out.insert(at, placeholder(digest));
        }
        Ok(out)
    }
}

fn placeholder(digest: String) -> Value {
    let mut m = Map::new();
    m.insert(ARRAY_DIGEST_KEY.into(), Value::String(digest));
    Value::Object(m)
}
