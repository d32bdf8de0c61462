//! Disclosures and their digests (RFC 9901 sections 4.2.1-4.2.4), and the processing of an
//! Issuer-signed JWT payload against a set of disclosures (RFC 9901 section 7.1, steps 3-5).
//!
//! Policy: a disclosure is digested over the ASCII of its base64url string exactly as received;
//! it is never re-serialized. Every failure here is `INVALID_DISCLOSURE_PROOF` with a path,
//! except nesting beyond the caller's limit (`INPUT_TOO_LARGE`).

use crate::encoding::{b64url_decode, b64url_encode};
use crate::error::{Error, ErrorCode, Result};
use crate::hash::{digest, HashAlg};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// The key of an array-element digest placeholder, `{"...": digest}` (RFC 9901 section 4.2.4.2).
pub const ARRAY_DIGEST_KEY: &str = "...";
/// The key of the digest list in an object (RFC 9901 section 4.2.4.1).
pub const SD_KEY: &str = "_sd";
/// The top-level claim naming the digest algorithm (RFC 9901 section 4.1.1).
pub const SD_ALG_KEY: &str = "_sd_alg";

pub use crate::random::Random;
#[cfg(any(test, feature = "internals"))]
pub use crate::random::system_random;

/// Bytes of salt per disclosure: 128 bits, the minimum RFC 9901 section 9.3 recommends.
pub const SALT_BYTES: usize = 16;

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidDisclosureProof, message)
}

/// A disclosure: `[salt, name, value]` for an object property, `[salt, value]` for an array element.
#[derive(Clone, Debug, PartialEq)]
pub struct Disclosure {
    encoded: String,
    salt: String,
    name: Option<String>,
    value: Value,
}

impl Disclosure {
    /// Parses a disclosure from its base64url string, keeping that string for digesting.
    ///
    /// # Errors
    /// `INVALID_DISCLOSURE_PROOF` unless it is base64url of a JSON array `[salt, name, value]` or
    /// `[salt, value]` with string salt and name.
    pub fn parse(encoded: &str) -> Result<Disclosure> {
        let bytes = b64url_decode(encoded).map_err(|e| invalid(e.message))?;
        let items = match crate::json::parse(&bytes, bytes.len(), crate::limits::MAX_DEPTH_CEILING) {
            Ok(Value::Array(items)) => items,
            Err(e) if e.code == ErrorCode::InputTooLarge => return Err(e),
            _ => return Err(invalid("a disclosure is a JSON array")),
        };
        let mut items = items.into_iter();
        let (salt, name, value) = match (items.next(), items.next(), items.next(), items.next()) {
            (Some(Value::String(salt)), Some(value), None, None) => (salt, None, value),
            (Some(Value::String(salt)), Some(Value::String(name)), Some(value), None) => (salt, Some(name), value),
            _ => return Err(invalid("a disclosure is [salt, name, value] or [salt, value] with string salt and name")),
        };
        Ok(Disclosure { encoded: encoded.to_owned(), salt, name, value })
    }

    /// A new object-property disclosure `[salt, name, value]`.
    pub fn property(salt: &str, name: &str, value: Value) -> Disclosure {
        let array = Value::Array(vec![Value::String(salt.into()), Value::String(name.into()), value.clone()]);
        Disclosure { encoded: encode_json(&array), salt: salt.into(), name: Some(name.into()), value }
    }

    /// A new array-element disclosure `[salt, value]`.
    pub fn element(salt: &str, value: Value) -> Disclosure {
        let array = Value::Array(vec![Value::String(salt.into()), value.clone()]);
        Disclosure { encoded: encode_json(&array), salt: salt.into(), name: None, value }
    }

    /// A new disclosure with a fresh salt of [`SALT_BYTES`] random bytes.
    ///
    /// # Errors
    /// Whatever `rng` returns.
    pub fn with_random_salt(name: Option<&str>, value: Value, rng: Random<'_>) -> Result<Disclosure> {
        let salt = random_b64(rng)?;
        Ok(match name {
            Some(n) => Disclosure::property(&salt, n, value),
            None => Disclosure::element(&salt, value),
        })
    }

    /// The base64url string, as received or as created.
    pub fn encoded(&self) -> &str {
        &self.encoded
    }

    /// The salt.
    #[cfg(any(test, feature = "internals"))]
    pub fn salt(&self) -> &str {
        &self.salt
    }

    /// The claim name; `None` for an array element.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The claim value.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The digest, base64url(hash(ASCII(encoded))) (RFC 9901 section 4.2.3).
    pub fn digest(&self, alg: HashAlg) -> String {
        digest_b64(alg, &self.encoded)
    }
}

/// base64url(hash(ASCII(text))): the digest form of disclosures, decoys and `sd_hash`.
pub fn digest_b64(alg: HashAlg, text: &str) -> String {
    b64url_encode(&digest(alg, text.as_bytes()))
}

/// A decoy digest: the digest of fresh random bytes (RFC 9901 section 4.2.5).
///
/// # Errors
/// Whatever `rng` returns.
pub fn decoy_digest(alg: HashAlg, rng: Random<'_>) -> Result<String> {
    Ok(digest_b64(alg, &random_b64(rng)?))
}

fn random_b64(rng: Random<'_>) -> Result<String> {
    let mut salt = [0u8; SALT_BYTES];
    rng(&mut salt)?;
    Ok(b64url_encode(&salt))
}

fn encode_json(value: &Value) -> String {
    // serde_json serializes a Value without failing; an empty string would simply never match.
    b64url_encode(&serde_json::to_vec(value).unwrap_or_default())
}

/// Parses the `_sd_alg` of a payload: absent means `sha-256`; only the IANA names
/// `sha-256`, `sha-384`, `sha-512` are accepted.
///
/// # Errors
/// `UNSUPPORTED_ALGORITHM` for another name; `MALFORMED_INPUT` when it is not a string.
pub fn sd_alg(payload: &Map<String, Value>) -> Result<HashAlg> {
    match payload.get(SD_ALG_KEY) {
        None => Ok(HashAlg::Sha256),
        Some(Value::String(s)) => match s.as_str() {
            "sha-256" => Ok(HashAlg::Sha256),
            "sha-384" => Ok(HashAlg::Sha384),
            "sha-512" => Ok(HashAlg::Sha512),
            other => Err(Error::new(ErrorCode::UnsupportedAlgorithm, format!("_sd_alg '{other}' is not supported")).at(SD_ALG_KEY)),
        },
        Some(_) => Err(Error::malformed("_sd_alg must be a string").at(SD_ALG_KEY)),
    }
}

/// Appends a JSON-pointer token (RFC 6901: `~` as `~0`, `/` as `~1`) to `pointer`.
pub fn pointer_push(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// Where a disclosure landed in the processed claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    /// JSON pointer of the disclosed value in [`Resolved::claims`].
    pub pointer: String,
    /// The disclosure whose value contains this one, if any.
    pub parent: Option<usize>,
}

/// The claims of a payload after every disclosure is applied.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    /// The claims, without `_sd`, `_sd_alg` or `...` anywhere.
    pub claims: Map<String, Value>,
    /// For each disclosure, in input order, where it landed.
    pub placements: Vec<Placement>,
}

impl Resolved {
    /// The pointers of the disclosed values, in document order of processing.
    #[cfg(any(test, feature = "internals"))]
    pub fn disclosed_pointers(&self) -> Vec<String> {
        self.placements.iter().map(|p| p.pointer.clone()).collect()
    }
}

/// Applies `disclosures` to an Issuer-signed JWT `payload` (RFC 9901 section 7.1 steps 3-5).
///
/// Policy: a digest that appears twice (in the payload or inside disclosed values), two equal
/// disclosures, a disclosure no digest references, a property disclosure where an element is
/// expected (or the reverse), a disclosed name `_sd`, `...` or `_sd_alg`, a disclosed name that
/// already exists in its object, a `...` key outside an array-element placeholder and an
/// `_sd_alg` below the top level are all rejected. Digests that match no disclosure (decoys, or
/// claims not disclosed) are dropped.
///
/// # Errors
/// `INVALID_DISCLOSURE_PROOF` with a path (`disclosures[i]` or a JSON pointer); `INPUT_TOO_LARGE`
/// when nesting exceeds `max_depth`.
pub fn resolve(payload: &Map<String, Value>, disclosures: &[Disclosure], alg: HashAlg, max_depth: usize) -> Result<Resolved> {
    let mut by_digest = HashMap::with_capacity(disclosures.len());
    for (i, d) in disclosures.iter().enumerate() {
        if by_digest.insert(d.digest(alg), i).is_some() {
            return Err(invalid("the same disclosure appears twice").at(format!("disclosures[{i}]")));
        }
    }
    let mut resolver =
        Resolver { disclosures, by_digest, seen: HashSet::new(), placements: vec![None; disclosures.len()], max_depth, pointer_bytes: 0 };
    let claims = resolver.object(payload, "", None, 0, true)?;
    let mut placements = Vec::with_capacity(disclosures.len());
    for (i, p) in resolver.placements.into_iter().enumerate() {
        match p {
            Some(p) => placements.push(p),
            None => return Err(invalid("no digest references this disclosure").at(format!("disclosures[{i}]"))),
        }
    }
    Ok(Resolved { claims, placements })
}

struct Resolver<'a> {
    disclosures: &'a [Disclosure],
    by_digest: HashMap<String, usize>,
    seen: HashSet<String>,
    placements: Vec<Option<Placement>>,
    max_depth: usize,
    /// Bytes of the disclosed claims' pointers so far: nested disclosures repeat their parents'
    /// names in every pointer, so this grows with depth times length, and is bounded.
    pointer_bytes: usize,
}

impl Resolver<'_> {
    fn depth_check(&self, depth: usize, pointer: &str) -> Result<()> {
        if pointer.len() > crate::limits::MAX_CLAIM_PATH_BYTES {
            return Err(Error::new(
                ErrorCode::InputTooLarge,
                format!("a claim's path is longer than {} bytes", crate::limits::MAX_CLAIM_PATH_BYTES),
            ));
        }
        if depth > self.max_depth {
            return Err(Error::new(ErrorCode::InputTooLarge, format!("claims nest deeper than {}", self.max_depth)).at(pointer.to_owned()));
        }
        Ok(())
    }

    /// Marks `digest` seen and returns the disclosure it names, if any.
    fn take(&mut self, digest: &str, pointer: &str) -> Result<Option<usize>> {
        if !self.seen.insert(digest.to_owned()) {
            return Err(invalid("a digest appears more than once").at(pointer.to_owned()));
        }
        Ok(self.by_digest.get(digest).copied())
    }

    fn value(&mut self, v: &Value, pointer: &str, parent: Option<usize>, depth: usize) -> Result<Value> {
        Ok(match v {
            Value::Object(m) => Value::Object(self.object(m, pointer, parent, depth, false)?),
            Value::Array(a) => Value::Array(self.array(a, pointer, parent, depth)?),
            other => other.clone(),
        })
    }

    fn object(
        &mut self,
        obj: &Map<String, Value>,
        pointer: &str,
        parent: Option<usize>,
        depth: usize,
        top: bool,
    ) -> Result<Map<String, Value>> {
        self.depth_check(depth, pointer)?;
        let mut out = Map::new();
        for (k, v) in obj {
            match k.as_str() {
                SD_KEY => {}
                SD_ALG_KEY if top => {}
                SD_ALG_KEY => return Err(invalid("_sd_alg is allowed at the top level only").at(pointer_push(pointer, k))),
                ARRAY_DIGEST_KEY => {
                    return Err(invalid("'...' is allowed only as an array-element placeholder").at(pointer_push(pointer, k)))
                }
                _ => {
                    let child = pointer_push(pointer, k);
                    let value = self.value(v, &child, parent, depth + 1)?;
                    out.insert(k.clone(), value);
                }
            }
        }
        let Some(sd) = obj.get(SD_KEY) else { return Ok(out) };
        let sd_pointer = pointer_push(pointer, SD_KEY);
        let Value::Array(digests) = sd else {
            return Err(invalid("_sd must be an array of digests").at(sd_pointer));
        };
        for d in digests {
            let Value::String(d) = d else {
                return Err(invalid("_sd must be an array of digest strings").at(sd_pointer));
            };
            let Some(i) = self.take(d, &sd_pointer)? else { continue };
            let disclosure = self.disclosures.get(i).ok_or_else(|| invalid("internal disclosure index"))?;
            let at = format!("disclosures[{i}]");
            let Some(name) = disclosure.name() else {
                return Err(invalid("an array-element disclosure is referenced from an object's _sd").at(at));
            };
            if matches!(name, SD_KEY | ARRAY_DIGEST_KEY | SD_ALG_KEY) {
                return Err(invalid(format!("a disclosure may not name a claim '{name}'")).at(at));
            }
            if out.contains_key(name) {
                return Err(invalid(format!("disclosed claim '{name}' already exists")).at(at));
            }
            let child = pointer_push(pointer, name);
            let value = self.value(disclosure.value(), &child, Some(i), depth + 1)?;
            out.insert(name.to_owned(), value);
            self.place(i, child, parent)?;
        }
        Ok(out)
    }

    fn array(&mut self, arr: &[Value], pointer: &str, parent: Option<usize>, depth: usize) -> Result<Vec<Value>> {
        self.depth_check(depth, pointer)?;
        let mut out = Vec::with_capacity(arr.len());
        for element in arr {
            if let Value::Object(m) = element {
                if let Some(d) = m.get(ARRAY_DIGEST_KEY) {
                    let here = pointer_push(pointer, &out.len().to_string());
                    let (Value::String(d), 1) = (d, m.len()) else {
                        return Err(invalid("an array-element placeholder is exactly {\"...\": digest}").at(here));
                    };
                    let Some(i) = self.take(d, &here)? else { continue };
                    let disclosure = self.disclosures.get(i).ok_or_else(|| invalid("internal disclosure index"))?;
                    if disclosure.name().is_some() {
                        return Err(invalid("an object-property disclosure is referenced from an array").at(format!("disclosures[{i}]")));
                    }
                    let value = self.value(disclosure.value(), &here, Some(i), depth + 1)?;
                    out.push(value);
                    self.place(i, here, parent)?;
                    continue;
                }
            }
            let here = pointer_push(pointer, &out.len().to_string());
            out.push(self.value(element, &here, parent, depth + 1)?);
        }
        Ok(out)
    }

    fn place(&mut self, i: usize, pointer: String, parent: Option<usize>) -> Result<()> {
        self.pointer_bytes += pointer.len();
        if self.pointer_bytes > crate::limits::MAX_DISCLOSED_POINTER_BYTES {
            return Err(Error::new(
                ErrorCode::InputTooLarge,
                format!("the disclosed claims' paths exceed {} bytes", crate::limits::MAX_DISCLOSED_POINTER_BYTES),
            ));
        }
        if let Some(slot) = self.placements.get_mut(i) {
            *slot = Some(Placement { pointer, parent });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // RFC 9901 section 4.2.1: the given_name example and its SHA-256 digest (section 4.2.3).
    const GIVEN_NAME: &str = "WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0";

    #[test]
    fn digest_is_over_the_string_as_received() {
        let d = Disclosure::parse(GIVEN_NAME).unwrap();
        assert_eq!(d.salt(), "_26bc4LT-ac6q2KI6cBW5es");
        assert_eq!(d.name(), Some("family_name"));
        assert_eq!(d.value(), &json!("Möbius"));
        assert_eq!(d.digest(HashAlg::Sha256), "X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0");
        // The same array serialized another way has another digest.
        let compact = Disclosure::property("_26bc4LT-ac6q2KI6cBW5es", "family_name", json!("Möbius"));
        assert_ne!(compact.encoded(), GIVEN_NAME);
        assert_ne!(compact.digest(HashAlg::Sha256), d.digest(HashAlg::Sha256));
        assert_eq!(Disclosure::parse(compact.encoded()).unwrap(), compact);
    }

    #[test]
    fn malformed_disclosures_are_rejected() {
        for bad in [
            "!!",
            "e30",                    // {}
            "WyJzYWx0Il0",            // ["salt"]
            "WzEsICJuYW1lIiwgMl0",    // [1, "name", 2]
            "WyJzYWx0IiwgMSwgMl0",    // ["salt", 1, 2]
            "WyJzIiwgIm4iLCAxLCAyXQ", // ["s", "n", 1, 2]
        ] {
            assert_eq!(Disclosure::parse(bad).map_err(|e| e.code), Err(ErrorCode::InvalidDisclosureProof), "{bad}");
        }
    }

    #[test]
    fn sd_alg_names() {
        let alg = |v: Value| sd_alg(v.as_object().unwrap()).map_err(|e| e.code);
        assert_eq!(alg(json!({})), Ok(HashAlg::Sha256));
        assert_eq!(alg(json!({"_sd_alg": "sha-384"})), Ok(HashAlg::Sha384));
        assert_eq!(alg(json!({"_sd_alg": "sha-512"})), Ok(HashAlg::Sha512));
        assert_eq!(alg(json!({"_sd_alg": "SHA256"})), Err(ErrorCode::UnsupportedAlgorithm));
        assert_eq!(alg(json!({"_sd_alg": 1})), Err(ErrorCode::MalformedInput));
    }

    #[test]
    fn pointers_escape() {
        assert_eq!(pointer_push("/a", "b/c~d"), "/a/b~1c~0d");
    }
}
