//! The Holder: presentations with chosen disclosures and an optional Key Binding JWT
//! (RFC 9901 sections 4.3 and 6.2, step "Holder").

use super::disclosure::{resolve, sd_alg, Disclosure};
use super::frame::{lookup, Selection};
use super::key_binding;
use super::Compact;
use crate::error::{Error, ErrorCode, Result};
use crate::jws::Jws;
use crate::keys::Signer;

/// Deepest nesting a holder processes.
const MAX_DEPTH: usize = 64;

/// What the holder binds a presentation to.
#[derive(Debug)]
pub struct KeyBindingParams<'a> {
    /// The holder's signing key; its public key must be the SD-JWT's `cnf.jwk`.
    pub key: &'a dyn Signer,
    /// The verifier's nonce.
    pub nonce: &'a str,
    /// The verifier (`aud`).
    pub audience: &'a str,
    /// The time of presentation, seconds since the epoch.
    pub iat: i64,
}

/// Presents an SD-JWT with the disclosures `disclose` asks for, plus a Key Binding JWT with `holder`.
///
/// A path reveals that claim and every disclosable claim on the way to it (its parents); the
/// claim's own disclosable members stay hidden unless asked for too (as sd-jwt-js
/// `presentationFrame`s do). Paths index arrays as the issuer wrote them (all elements counted).
/// Disclosures keep the issuer's order. Without `holder` the result ends in `~`. The issuer's
/// signature is not checked here (the holder received the SD-JWT from its issuer); the
/// disclosures must fit the payload.
///
/// # Errors
/// `MALFORMED_INPUT` for a malformed SD-JWT or one that already carries key binding (a path that
/// names no claim is skipped); `INVALID_DISCLOSURE_PROOF` for disclosures that do not fit the payload;
/// `KEY_BINDING_INVALID` without `cnf.jwk`; `HOLDER_MISMATCH` when the holder's key is not the
/// `cnf` key.
pub fn present(sd_jwt: &str, disclose: &Selection, holder: Option<&KeyBindingParams<'_>>) -> Result<String> {
    let compact = Compact::parse(sd_jwt)?;
    if compact.kb_jwt.is_some() {
        return Err(Error::malformed("the SD-JWT already carries a key-binding JWT"));
    }
    let jws = Jws::parse(compact.jwt).map_err(|e| e.at("jwt"))?;
    let payload = jws.payload_object().map_err(|e| e.at("jwt"))?;
    let alg = sd_alg(&payload).map_err(|e| e.at("jwt.payload"))?;
    let disclosures = compact
        .disclosures
        .iter()
        .enumerate()
        .map(|(i, d)| Disclosure::parse(d).map_err(|e| e.at(format!("disclosures[{i}]"))))
        .collect::<Result<Vec<_>>>()?;
    let resolved = resolve(&payload, &disclosures, alg, MAX_DEPTH)?;

    let mut chosen = vec![false; disclosures.len()];
    for tokens in disclose.presentation_paths()? {
        let mut pointer = String::new();
        for t in &tokens {
            pointer = super::disclosure::pointer_push(&pointer, t);
        }
        // Policy: a path that names no claim reveals nothing (as in sd-jwt-js); showing less
        // than asked never leaks, while at issuance an unknown path is refused.
        if tokens.is_empty() || lookup(&resolved.claims, &tokens).is_none() {
            continue;
        }
        for (i, placement) in resolved.placements.iter().enumerate() {
            let p = &placement.pointer;
            let on_route = pointer == *p || pointer.strip_prefix(p.as_str()).is_some_and(|rest| rest.starts_with('/'));
            if on_route {
                if let Some(c) = chosen.get_mut(i) {
                    *c = true;
                }
            }
        }
    }

    let mut out = String::with_capacity(sd_jwt.len());
    out.push_str(compact.jwt);
    out.push('~');
    for (d, keep) in compact.disclosures.iter().zip(&chosen) {
        if *keep {
            out.push_str(d);
            out.push('~');
        }
    }
    if let Some(kb) = holder {
        let cnf = key_binding::cnf_key(&payload)?;
        if cnf.material() != kb.key.verifying_key().material() {
            return Err(Error::new(ErrorCode::HolderMismatch, "the holder's key is not the SD-JWT's cnf key").at("cnf"));
        }
        let kb_jwt = key_binding::sign(kb.key, alg, &out, kb.nonce, kb.audience, kb.iat);
        out.push_str(&kb_jwt);
    }
    Ok(out)
}
