//! Selective Disclosure for JWTs (SD-JWT, RFC 9901) and the SD-JWT VC profile
//! (draft-ietf-oauth-sd-jwt-vc), with Key Binding, over EdDSA (Ed25519) only.
//!
//! Roles by file: [`disclosure`] (disclosures, digests, payload processing), [`issuer`],
//! [`holder`], [`verifier`], [`key_binding`]; [`frame`] reads the paths and frames that choose
//! claims.

pub mod disclosure;
pub mod frame;
pub mod holder;
pub mod issuer;
pub mod json;
pub mod key_binding;
pub mod verifier;

#[cfg(feature = "internals")]
pub use disclosure::{system_random, Disclosure, Random};
pub use frame::Selection;
pub use holder::{present, KeyBindingParams};
pub use issuer::{issue, IssueOptions};
pub use verifier::prepare;

use crate::error::{Error, Result};

/// The parts of an SD-JWT or SD-JWT+KB in compact form (RFC 9901 section 4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Compact<'a> {
    /// The Issuer-signed JWT.
    pub jwt: &'a str,
    /// The disclosures, in the order presented.
    pub disclosures: Vec<&'a str>,
    /// The Key Binding JWT, when the presentation ends with one.
    pub kb_jwt: Option<&'a str>,
    /// `<issuer-jwt>~<d1>~...~<dN>~`: what `sd_hash` covers.
    pub presented: &'a str,
}

impl<'a> Compact<'a> {
    /// Splits `<issuer-jwt>~<d1>~...~<dN>~[<kb-jwt>]`.
    ///
    /// # Errors
    /// `MALFORMED_INPUT` without any `~`, with an empty disclosure (`~~`), or with an empty JWT.
    pub fn parse(input: &'a str) -> Result<Compact<'a>> {
        let Some(last_tilde) = input.rfind('~') else {
            return Err(Error::malformed("an SD-JWT has the form <jwt>~<disclosures>~[<kb-jwt>]"));
        };
        let presented = input.get(..=last_tilde).unwrap_or_default();
        let tail = input.get(last_tilde + 1..).unwrap_or_default();
        let mut parts = presented.split('~');
        let jwt = parts.next().unwrap_or_default();
        if jwt.is_empty() {
            return Err(Error::malformed("the SD-JWT has no issuer-signed JWT"));
        }
        // `presented` ends in '~', so the last split part is the empty string after it.
        let mut disclosures: Vec<&str> = parts.collect();
        disclosures.pop();
        if let Some(i) = disclosures.iter().position(|d| d.is_empty()) {
            return Err(Error::malformed("empty disclosure (\"~~\")").at(format!("disclosures[{i}]")));
        }
        Ok(Compact { jwt, disclosures, kb_jwt: (!tail.is_empty()).then_some(tail), presented })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_forms() {
        let c = Compact::parse("a.b.c~d1~d2~").unwrap();
        assert_eq!((c.jwt, c.disclosures.clone(), c.kb_jwt, c.presented), ("a.b.c", vec!["d1", "d2"], None, "a.b.c~d1~d2~"));
        let c = Compact::parse("a.b.c~kb.x.y").unwrap();
        assert_eq!((c.disclosures.len(), c.kb_jwt, c.presented), (0, Some("kb.x.y"), "a.b.c~"));
        for bad in ["a.b.c", "~", "a.b.c~~d~", ""] {
            assert_eq!(Compact::parse(bad).map_err(|e| e.code), Err(crate::ErrorCode::MalformedInput), "{bad}");
        }
    }
}
