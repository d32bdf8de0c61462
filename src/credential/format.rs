//! The format of an item, decided once, by the rules below and nowhere else.
//!
//! Every input of every entry point (module functions, `Verifier`, the pool's workers, embedded
//! credentials of presentations) is classified here before any format reads it, so that the
//! same bytes can never be read as two formats with two sets of checks.
//!
//! # Rules, in order
//! 1. An item over `maxInputBytes` is `INPUT_TOO_LARGE`. Surrounding whitespace is ignored.
//! 2. An item that starts with `{` is JSON. A JSON object with a `payload` member and a
//!    `signature` or `signatures` member is the JWS JSON Serialization of an SD-JWT (RFC 9901
//!    section 8, flattened or general): whatever else it says, it is read as its compact form
//!    (section 8.1), which is decided again by rules 3-8 and must be an SD-JWT (rule 7); any other
//!    reading is `MALFORMED_INPUT`. Otherwise it is a credential or presentation with an embedded proof,
//!    told apart by `type`: `VerifiablePresentation` or `VerifiableCredential`. Both, or
//!    neither, is `MALFORMED_INPUT`. Its `proof` (an object, or an array of them: a proof set)
//!    decides how it is secured ([`securing`]): a proof with a `proofValue`, or of `type`
//!    `DataIntegrityProof`, is a Data Integrity proof (W3C VC Data Integrity 1.0, format
//!    `data-integrity`); any other proof (anon-identity's `Ed25519Signature2020` with a `jws`),
//!    or none, is anon-identity's format. A proof with a `jws` that is also a Data Integrity
//!    proof, and a proof set that mixes the two, are `MALFORMED_INPUT`: no item is read both
//!    ways. Credentials embedded as objects in a presentation are decided by the same rule. An
//!    item with a Data Integrity proof anywhere (its own, or an embedded credential's) must be
//!    I-JSON (RFC 7493: no repeated member names), since the JCS form it is signed in (RFC 8785)
//!    is defined over I-JSON only; a repeated name is `MALFORMED_INPUT`.
//! 3. Anything else is compact: the part before the first `~` must be a compact JWS that passes
//!    the algorithm policy, with a JSON object payload. Its `typ` is compared normalized (RFC 7515
//!    section 4.1.9: case-insensitive, `application/` optional; [`crate::jws::media_type`]).
//! 4. `typ` `vc+jwt` (or the older `vc+ld+json+jwt`, `vc+ld+jwt`) is a VC-JOSE credential,
//!    `vp+jwt` (`vp+ld+json+jwt`, `vp+ld+jwt`) a VC-JOSE presentation (VC-JOSE-COSE section 3.1);
//!    its payload is the document itself, so a `vc` or `vp` claim there is `MALFORMED_INPUT`.
//! 5. Otherwise a payload with a `vp` claim is a VP-JWT and one with a `vc` claim a VC-JWT
//!    (VC Data Model 1.1 section 6.3.1); both at once is `MALFORMED_INPUT`.
//! 6. A JWT of rules 4-5 is complete in itself: followed by any `~` segment it is
//!    `MALFORMED_INPUT` (reported in its own format), never re-read as an SD-JWT. So an SD-JWT
//!    whose payload carries `vc` or `vp` is refused: no profile defines one.
//! 7. Otherwise an item with `~` is an SD-JWT (RFC 9901): `typ` `dc+sd-jwt` is the SD-JWT VC
//!    profile; the legacy `vc+sd-jwt` is the same profile with `acceptLegacyTyp`, else
//!    `MALFORMED_INPUT`; no `typ`, `jwt`, `sd-jwt`, `sd+jwt` and any other `*+sd-jwt` are plain
//!    SD-JWTs (RFC 9901 section 9.11 leaves explicit typing to applications). Any other `typ`
//!    (`kb+jwt`, `statuslist+jwt`, ...) is `MALFORMED_INPUT`.
//! 8. Any other JWT (no `vc`, no `vp`, no `~`; an SD-JWT type without `~`) is `MALFORMED_INPUT`.

use super::checks::types;
use super::json::parse_object;
use crate::error::{Error, ErrorCode, Result};
use crate::jws::Jws;
use crate::options::VerifyOptions;
use crate::verdict::{Format, Kind, VerificationResult};
use serde_json::{Map, Value};

/// `typ` values of VC-JOSE credentials (normalized).
const JOSE_CREDENTIAL_TYPES: &[&str] = &["vc+jwt", "vc+ld+json+jwt", "vc+ld+jwt"];
/// `typ` values of VC-JOSE presentations (normalized).
const JOSE_PRESENTATION_TYPES: &[&str] = &["vp+jwt", "vp+ld+json+jwt", "vp+ld+jwt"];
/// The SD-JWT VC profile's `typ` (draft-ietf-oauth-sd-jwt-vc section 3.2.1).
const SD_JWT_VC_TYPE: &str = "dc+sd-jwt";
/// The SD-JWT VC profile's former `typ`.
const SD_JWT_VC_LEGACY_TYPE: &str = "vc+sd-jwt";
/// `typ` values of plain SD-JWTs besides any `*+sd-jwt` and none.
const SD_JWT_PLAIN_TYPES: &[&str] = &["sd-jwt", "sd+jwt", "jwt"];

/// Which SD-JWT rules apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// RFC 9901 alone.
    Plain,
    /// The SD-JWT VC profile (`dc+sd-jwt`, or `vc+sd-jwt` with `acceptLegacyTyp`).
    Vc,
}

/// What an item is, with what was parsed to decide it.
pub enum Decision<'a> {
    /// A JSON credential or presentation with an embedded proof (anon-identity's format).
    Json {
        /// The parsed body.
        body: Map<String, Value>,
        /// Credential or presentation.
        kind: Kind,
    },
    /// A JSON credential or presentation secured with Data Integrity proofs.
    DataIntegrity {
        /// The parsed body.
        body: Map<String, Value>,
        /// Credential or presentation.
        kind: Kind,
    },
    /// A VC-JWT, VP-JWT, or VC-JOSE credential or presentation.
    Jwt {
        /// The parsed JWS.
        jws: Jws<'a>,
        /// Its payload.
        payload: Map<String, Value>,
        /// Credential or presentation.
        kind: Kind,
        /// VC-JOSE (the payload is the credential or presentation itself).
        jose: bool,
    },
    /// An SD-JWT or SD-JWT+KB.
    SdJwt {
        /// The whole item (trimmed): the issuer-signed JWT, disclosures, and any KB-JWT.
        input: &'a str,
        /// The issuer-signed JWT, parsed.
        jws: Jws<'a>,
        /// Its payload (before disclosures are applied).
        payload: Map<String, Value>,
        /// Which rules apply.
        profile: Profile,
    },
    /// An SD-JWT in JWS JSON Serialization (rule 2), to be read as its compact form.
    SdJwtJson {
        /// The parsed object.
        body: Map<String, Value>,
    },
    /// Not an item this crate verifies, or refused by the rules; the result says why.
    Refused(Box<VerificationResult>),
}

fn refuse(format: Format, kind: Kind, error: Error) -> Decision<'static> {
    let mut r = VerificationResult::new(format, kind);
    r.push(error);
    Decision::Refused(Box::new(r))
}

/// Decides the format of one item (see the module docs).
pub fn decide<'a>(input: &'a str, options: &VerifyOptions) -> Decision<'a> {
    if input.len() > options.max_input_bytes {
        let e =
            Error::new(ErrorCode::InputTooLarge, format!("item of {} bytes is over the limit of {}", input.len(), options.max_input_bytes));
        return refuse(Format::Unknown, Kind::Credential, e);
    }
    let text = input.trim();
    if text.starts_with('{') {
        return decide_json(text, options);
    }
    let (jwt, tail) = match text.split_once('~') {
        Some((jwt, _)) => (jwt, true),
        None => (text, false),
    };
    let (jws, payload, typ) = match parse_jwt(jwt, options) {
        Ok(parsed) => parsed,
        Err(e) => {
            let format = if tail { Format::SdJwt } else { Format::Unknown };
            return refuse(format, Kind::Credential, if tail { e.at("jwt") } else { e });
        }
    };
    let typ = typ.as_deref();
    let jose_kind = match typ {
        Some(t) if JOSE_CREDENTIAL_TYPES.contains(&t) => Some(Kind::Credential),
        Some(t) if JOSE_PRESENTATION_TYPES.contains(&t) => Some(Kind::Presentation),
        _ => None,
    };
    let claim_kind = match (payload.contains_key("vc"), payload.contains_key("vp")) {
        (true, true) => {
            return refuse(Format::VcJwt, Kind::Credential, Error::malformed("a JWT carries either 'vc' or 'vp', not both").at("payload"))
        }
        (true, false) => Some(Kind::Credential),
        (false, true) => Some(Kind::Presentation),
        (false, false) => None,
    };
    if jose_kind.is_some() && claim_kind.is_some() {
        // VC-JOSE secures the credential or presentation itself: a `vc` / `vp` claim beside it
        // would be a second document that the JOSE reading never looks at.
        return refuse(
            Format::VcJose,
            jose_kind.unwrap_or(Kind::Credential),
            Error::malformed("a VC-JOSE payload is the credential or presentation itself: it carries no 'vc' or 'vp' claim").at("payload"),
        );
    }
    if let Some((kind, jose)) = jose_kind.map(|k| (k, true)).or(claim_kind.map(|k| (k, false))) {
        if tail {
            let format = if jose { Format::VcJose } else { Format::VcJwt };
            let what = if kind == Kind::Presentation { "presentation" } else { "credential" };
            return refuse(format, kind, Error::malformed(format!("a JWT {what} is complete in itself: nothing may follow it after '~'")));
        }
        return Decision::Jwt { jws, payload, kind, jose };
    }
    let profile = match typ {
        Some(SD_JWT_VC_TYPE) => Ok(Profile::Vc),
        Some(SD_JWT_VC_LEGACY_TYPE) if options.accept_legacy_typ => Ok(Profile::Vc),
        Some(SD_JWT_VC_LEGACY_TYPE) => {
            Err(Error::malformed("typ vc+sd-jwt is the legacy SD-JWT VC type; set acceptLegacyTyp to accept it").at("jwt.header.typ"))
        }
        None => Ok(Profile::Plain),
        Some(t) if SD_JWT_PLAIN_TYPES.contains(&t) || t.ends_with("+sd-jwt") => Ok(Profile::Plain),
        Some(t) => Err(Error::malformed(format!("typ '{t}' is not a credential, presentation or SD-JWT type")).at(if tail {
            "jwt.header.typ"
        } else {
            "header.typ"
        })),
    };
    match profile {
        Err(e) => refuse(if tail { Format::SdJwt } else { Format::Unknown }, Kind::Credential, e),
        Ok(profile) if tail => Decision::SdJwt { input: text, jws, payload, profile },
        Ok(_) => refuse(
            Format::Unknown,
            Kind::Credential,
            Error::malformed("a JWT with neither a 'vc' nor a 'vp' claim is not a credential (an SD-JWT ends with '~')").at("payload"),
        ),
    }
}

/// An embedded credential of a presentation given as a string: a VC-JWT or VC-JOSE credential
/// and nothing else (rules 3-6 apply; SD-JWTs are presented on their own).
///
/// # Errors
/// The refusal of [`decide`], or `MALFORMED_INPUT` for any other kind of item.
pub fn decide_embedded<'a>(text: &'a str, options: &VerifyOptions) -> Result<(Jws<'a>, Map<String, Value>, bool)> {
    match decide(text, options) {
        Decision::Jwt { jws, payload, kind: Kind::Credential, jose } => Ok((jws, payload, jose)),
        Decision::Jwt { kind: Kind::Presentation, .. } => Err(Error::malformed("a presentation cannot be embedded as a credential")),
        Decision::SdJwt { .. } | Decision::SdJwtJson { .. } => {
            Err(Error::malformed("SD-JWT credentials are presented on their own, not inside a presentation"))
        }
        Decision::Json { .. } | Decision::DataIntegrity { .. } => {
            Err(Error::malformed("a JSON credential is embedded as an object, not as a string"))
        }
        Decision::Refused(r) => Err(r.errors.into_iter().next().map_or_else(
            || Error::malformed("not a credential"),
            |e| Error { code: ErrorCode::parse(e.code).unwrap_or(ErrorCode::MalformedInput), message: e.message, path: e.path },
        )),
    }
}

/// Parses a compact JWS, its payload (under the caller's limits) and its normalized `typ`.
fn parse_jwt<'a>(jwt: &'a str, options: &VerifyOptions) -> Result<(Jws<'a>, Map<String, Value>, Option<String>)> {
    let jws = Jws::parse(jwt)?;
    let typ = jws.typ()?;
    let payload = parse_object(&jws.payload, options.max_input_bytes, options.max_depth).map_err(|e| e.at("payload"))?;
    Ok((jws, payload, typ))
}

/// Rule 2: a JSON credential or presentation, by `type`.
fn decide_json<'a>(text: &str, options: &VerifyOptions) -> Decision<'a> {
    let body = match parse_object(text.as_bytes(), options.max_input_bytes, options.max_depth) {
        Ok(b) => b,
        Err(e) => return refuse(Format::Unknown, Kind::Credential, e),
    };
    if body.contains_key("payload") && (body.contains_key("signature") || body.contains_key("signatures")) {
        return Decision::SdJwtJson { body };
    }
    let t = match types(body.get("type")) {
        Ok(t) => t,
        Err(e) => return refuse(Format::Unknown, Kind::Credential, e.at("type")),
    };
    let presentation = t.iter().any(|t| t == "VerifiablePresentation");
    let credential = t.iter().any(|t| t == "VerifiableCredential");
    let kind = match (credential, presentation) {
        (true, false) => Kind::Credential,
        (false, true) => Kind::Presentation,
        (true, true) => {
            return refuse(
                Format::Unknown,
                Kind::Credential,
                Error::malformed("'type' names both VerifiableCredential and VerifiablePresentation").at("type"),
            )
        }
        (false, false) => {
            return refuse(
                Format::Unknown,
                Kind::Credential,
                Error::malformed("'type' names neither VerifiableCredential nor VerifiablePresentation").at("type"),
            )
        }
    };
    let securing = match securing(&body) {
        Ok(s) => s,
        Err(e) => return refuse(Format::Unknown, kind, e),
    };
    let embedded = || match body.get("verifiableCredential") {
        Some(Value::Array(items)) => items.iter().any(is_data_integrity),
        Some(one) => is_data_integrity(one),
        None => false,
    };
    if securing == Securing::DataIntegrity || (kind == Kind::Presentation && embedded()) {
        // Repeated names: serde_json keeps the last, as JSON.parse does, but other readers keep
        // the first; JCS refuses them, so that what is signed is what every reader sees.
        if let Err(e) = crate::jcs::canonicalize_text_into(text, &mut String::with_capacity(text.len()), options.max_depth) {
            let format = if securing == Securing::DataIntegrity { Format::DataIntegrity } else { Format::AnonIdentity };
            return refuse(format, kind, Error::new(e.code, format!("a Data Integrity item must be I-JSON: {}", e.message)));
        }
    }
    match securing {
        Securing::DataIntegrity => Decision::DataIntegrity { body, kind },
        Securing::Jws => Decision::Json { body, kind },
    }
}

/// How a JSON credential or presentation is secured (rule 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Securing {
    /// anon-identity's JWS-carrying proofs (`proof.jws`), or no proof.
    Jws,
    /// Data Integrity proofs (`proofValue`, `DataIntegrityProof`).
    DataIntegrity,
}

/// Whether one proof object is a Data Integrity proof, a JWS proof, or neither (`None`).
///
/// # Errors
/// `MALFORMED_INPUT` for a proof that is both.
fn proof_securing(proof: &Map<String, Value>) -> Result<Option<Securing>> {
    let data_integrity = proof.contains_key("proofValue") || proof.get("type").and_then(Value::as_str) == Some("DataIntegrityProof");
    match (proof.contains_key("jws"), data_integrity) {
        (true, true) => Err(Error::malformed("a proof carries either a 'jws' or a Data Integrity 'proofValue', not both")),
        (true, false) => Ok(Some(Securing::Jws)),
        (false, true) => Ok(Some(Securing::DataIntegrity)),
        (false, false) => Ok(None),
    }
}

/// How a JSON credential or presentation body is secured, by its `proof` (rule 2): Data
/// Integrity when a proof is, else anon-identity's format (which also reports a missing or
/// malformed proof).
///
/// # Errors
/// `MALFORMED_INPUT` (at `proof`) for a proof that is both kinds, or a proof set mixing them.
pub fn securing(body: &Map<String, Value>) -> Result<Securing> {
    let (proofs, set): (Vec<&Value>, bool) = match body.get("proof") {
        Some(Value::Array(items)) => (items.iter().collect(), true),
        Some(p) => (vec![p], false),
        None => (Vec::new(), false),
    };
    let mut found = None;
    for (i, proof) in proofs.into_iter().enumerate() {
        let path = || if set { format!("proof[{i}]") } else { "proof".to_owned() };
        let Some(proof) = proof.as_object() else { continue };
        match (found, proof_securing(proof).map_err(|e| e.at(path()))?) {
            (_, None) => {}
            (None, Some(s)) => found = Some(s),
            (Some(a), Some(b)) if a == b => {}
            _ => return Err(Error::malformed("a proof set mixes JWS and Data Integrity proofs").at(path())),
        }
    }
    Ok(found.unwrap_or(Securing::Jws))
}

/// Whether an embedded credential (an object) is secured with Data Integrity (rule 2); one that
/// is refused by the rule counts as Data Integrity here, so that its item is held to I-JSON too.
pub fn is_data_integrity(credential: &Value) -> bool {
    credential.as_object().is_some_and(|c| securing(c) != Ok(Securing::Jws))
}
