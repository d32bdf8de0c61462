//! The issuer's side of a status list (W3C Bitstring Status List v1.0 section 2.2, IETF Token
//! Status List section 5): hold the raw entries, hand out indices, change entries, sign.
//!
//! The entries stay uncompressed between changes; each [`StatusListIssuer::sign`] compresses
//! once and signs once, so changing one entry of a large list and re-publishing costs one
//! compression pass.

use super::bitstring::{self, CredentialParams, MIN_ENTRIES};
use super::entry::Purpose;
use super::list::{BitOrder, StatusList};
use super::token::{self, TokenParams};
use super::ListFormat;
use crate::error::{Error, Result};
use crate::keys::Signer;
use serde::Deserialize;

/// How to create a list (JS: `new StatusList({ format, uri, size, bits, ... })`).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListConfig {
    /// `w3c` or `ietf`.
    pub format: ListFormat,
    /// The URI the list is published at (W3C credential `id`, IETF token `sub`).
    pub uri: String,
    /// Number of entries (default 131,072; W3C requires at least that many).
    #[serde(default = "default_size")]
    pub size: u64,
    /// Bits per entry: 1, 2, 4 or 8 (default 1).
    #[serde(default = "default_bits")]
    pub bits: u8,
    /// W3C `statusPurpose` (default `revocation`); not used by IETF lists.
    #[serde(default)]
    pub purpose: Option<String>,
    /// How long verifiers may cache the signed list, in seconds (IETF `ttl`, W3C `ttl` in ms).
    #[serde(default)]
    pub ttl_seconds: Option<u64>,
    /// How long each signed list stays valid, in seconds (IETF `exp`, W3C `validUntil`).
    #[serde(default)]
    pub valid_for_seconds: Option<u64>,
}

fn default_size() -> u64 {
    MIN_ENTRIES
}

fn default_bits() -> u8 {
    1
}

/// A status list an issuer maintains and publishes.
#[derive(Clone, Debug)]
pub struct StatusListIssuer {
    config: ListConfig,
    purpose: Purpose,
    list: StatusList,
}

impl StatusListIssuer {
    /// A new all-zero list.
    ///
    /// # Errors
    /// `MALFORMED_INPUT` for a bad width or size (a W3C list below 131,072 entries), an empty
    /// URI, an unknown purpose or a purpose on an IETF list; `INPUT_TOO_LARGE` for a list over
    /// 16 MiB.
    pub fn new(config: ListConfig) -> Result<StatusListIssuer> {
        if config.uri.is_empty() {
            return Err(Error::malformed("a status list needs a uri").at("uri"));
        }
        let (order, purpose) = match config.format {
            ListFormat::W3c => {
                if config.size < MIN_ENTRIES {
                    return Err(Error::malformed(format!("a W3C status list has at least {MIN_ENTRIES} entries")).at("size"));
                }
                let purpose = match config.purpose.as_deref() {
                    None => Purpose::Revocation,
                    Some(p) => Purpose::parse(p).ok_or_else(|| Error::malformed(format!("unknown statusPurpose '{p}'")).at("purpose"))?,
                };
                (BitOrder::MsbFirst, purpose)
            }
            ListFormat::Ietf => {
                if config.purpose.is_some() {
                    return Err(Error::malformed("an IETF status list has no purpose").at("purpose"));
                }
                (BitOrder::LsbFirst, Purpose::Revocation)
            }
        };
        let list = StatusList::new(config.size, config.bits, order).map_err(|e| e.at("size"))?;
        Ok(StatusListIssuer { config, purpose, list })
    }

    /// Takes over a decoded (signature-checked) list to update and re-sign it: its format, URI,
    /// purpose and entries; W3C lists are read one bit per entry. Indices already set are marked
    /// allocated, so `allocate` does not hand them out again.
    ///
    /// # Errors
    /// `MALFORMED_INPUT` when the list cannot be represented (an unknown purpose).
    pub fn from_document(doc: &super::ListDocument) -> Result<StatusListIssuer> {
        let purpose = match doc.format {
            ListFormat::W3c => Some(doc.purposes.first().cloned().unwrap_or_else(|| "revocation".to_owned())),
            ListFormat::Ietf => None,
        };
        let config = ListConfig {
            format: doc.format,
            uri: doc.uri.clone(),
            size: doc.list.size(),
            bits: doc.list.bits(),
            purpose,
            ttl_seconds: doc.ttl_ms.map(|ms| (ms / 1000.0).max(0.0) as u64),
            valid_for_seconds: match (doc.issued_at, doc.expires_at) {
                (Some(iat), Some(exp)) if exp > iat => u64::try_from(exp - iat).ok(),
                _ => None,
            },
        };
        let purpose_kind = match config.purpose.as_deref() {
            None => Purpose::Revocation,
            Some(p) => Purpose::parse(p).ok_or_else(|| Error::malformed(format!("unknown statusPurpose '{p}'")))?,
        };
        let mut list = doc.list.clone();
        for index in 0..list.size() {
            if list.get(index).is_some_and(|v| v != 0) {
                list.mark_allocated(index)?;
            }
        }
        Ok(StatusListIssuer { config, purpose: purpose_kind, list })
    }

    /// The configuration it was made with.
    pub fn config(&self) -> &ListConfig {
        &self.config
    }

    /// The entries.
    pub fn list(&self) -> &StatusList {
        &self.list
    }

    /// Hands out a random unused index (see [`StatusList::allocate`]).
    ///
    /// # Errors
    /// `INPUT_TOO_LARGE` when the list is full.
    pub fn allocate(&mut self) -> Result<u64> {
        self.list.allocate()
    }

    /// Sets entry `index` to `status`.
    ///
    /// # Errors
    /// `MALFORMED_INPUT` for an index past the end or a status wider than the entries.
    pub fn set(&mut self, index: u64, status: u8) -> Result<()> {
        self.list.set(index, status)?;
        // An index given a status is in use, however it was chosen: `allocate` must skip it.
        self.list.mark_allocated(index)
    }

    /// The status of entry `index`, `None` past the end.
    pub fn get(&self, index: u64) -> Option<u8> {
        self.list.get(index)
    }

    /// Signs the list as it is now at `now_ms`: a W3C status list credential (`vc+jwt`) or an
    /// IETF Status List Token (`statuslist+jwt`), with `key`'s did:key as issuer.
    pub fn sign(&self, key: &dyn Signer, now_ms: f64) -> String {
        let now = (now_ms / 1000.0).floor() as i64;
        let until = self.config.valid_for_seconds.map(|v| now.saturating_add(i64::try_from(v).unwrap_or(i64::MAX)));
        match self.config.format {
            ListFormat::W3c => bitstring::sign_credential(
                &self.list,
                &CredentialParams {
                    uri: &self.config.uri,
                    purpose: self.purpose.as_str(),
                    valid_from: now,
                    valid_until: until,
                    ttl_ms: self.config.ttl_seconds.map(|t| t.saturating_mul(1000)),
                },
                key,
            ),
            ListFormat::Ietf => token::sign_token(
                &self.list,
                &TokenParams { uri: &self.config.uri, issued_at: now, expires_at: until, ttl_seconds: self.config.ttl_seconds },
                key,
            ),
        }
    }
}
