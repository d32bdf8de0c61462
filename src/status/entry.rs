//! A credential's reference into a status list: a W3C `BitstringStatusListEntry` (Bitstring
//! Status List v1.0 section 2.1), a `StatusList2021Entry` (W3C CCG Status List 2021 section 2.1) or an IETF `status.status_list` (draft-ietf-oauth-status-list
//! section 6.1).

use super::bitstring::PURPOSES;
use crate::error::{Error, ErrorCode, Result};
use serde_json::Value;

/// Why a W3C list is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// A set entry revokes, for good.
    Revocation,
    /// A set entry suspends, until cleared.
    Suspension,
    /// The entry selects a message; it never invalidates the credential by itself.
    Message,
}

impl Purpose {
    /// The `statusPurpose` string.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Revocation => "revocation",
            Purpose::Suspension => "suspension",
            Purpose::Message => "message",
        }
    }

    /// Parses a `statusPurpose` string.
    pub fn parse(s: &str) -> Option<Purpose> {
        match s {
            "revocation" => Some(Purpose::Revocation),
            "suspension" => Some(Purpose::Suspension),
            "message" => Some(Purpose::Message),
            _ => None,
        }
    }
}

/// A parsed status reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusEntry {
    /// `credentialStatus { type: BitstringStatusListEntry, ... }`.
    W3c {
        /// `statusListCredential`.
        uri: String,
        /// `statusListIndex`.
        index: u64,
        /// `statusPurpose`.
        purpose: Purpose,
        /// `statusSize` (default 1).
        size: u8,
        /// A `StatusList2021Entry` (W3C CCG Status List 2021), which reads only a
        /// `StatusList2021Credential`; else a `BitstringStatusListEntry`, which reads only a
        /// `BitstringStatusListCredential`.
        status_list_2021: bool,
    },
    /// `status { status_list { idx, uri } }`.
    Ietf {
        /// `uri`.
        uri: String,
        /// `idx`.
        index: u64,
    },
}

impl StatusEntry {
    /// The URI of the referenced list.
    pub fn uri(&self) -> &str {
        match self {
            StatusEntry::W3c { uri, .. } | StatusEntry::Ietf { uri, .. } => uri,
        }
    }

    /// Parses one entry.
    ///
    /// Policy: `statusListIndex` is a string of at most 20 ASCII digits (as the REC requires a
    /// string), `statusSize` is 1, 2, 4 or 8, and `statusPurpose` is one of [`PURPOSES`]. An
    /// object with another `type` names a mechanism this implementation cannot check: that is
    /// `STATUS_UNAVAILABLE` (fail closed unless the caller opts out), not a malformed credential.
    ///
    /// # Errors
    /// `MALFORMED_INPUT` for a malformed entry (with a path), `STATUS_UNAVAILABLE` as above.
    pub fn parse(value: &Value) -> Result<StatusEntry> {
        let Value::Object(obj) = value else {
            return Err(Error::malformed("a status entry must be an object"));
        };
        if let Some(sl) = obj.get("status_list") {
            let Value::Object(sl) = sl else {
                return Err(Error::malformed("status_list must be an object").at("status_list"));
            };
            let index = sl
                .get("idx")
                .and_then(Value::as_u64)
                .ok_or_else(|| Error::malformed("idx must be a non-negative integer").at("status_list.idx"))?;
            let uri =
                sl.get("uri").and_then(Value::as_str).ok_or_else(|| Error::malformed("uri must be a string").at("status_list.uri"))?;
            return Ok(StatusEntry::Ietf { uri: uri.to_owned(), index });
        }
        let status_list_2021 = match obj.get("type").and_then(Value::as_str) {
            Some("BitstringStatusListEntry") => false,
            Some("StatusList2021Entry") => true,
            Some(other) => {
                return Err(Error::new(ErrorCode::StatusUnavailable, format!("status type '{other}' is not supported")).at("type"))
            }
            None => return Err(Error::malformed("a status entry needs a type or a status_list")),
        };
        let uri = obj
            .get("statusListCredential")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::malformed("statusListCredential must be a string").at("statusListCredential"))?;
        let index = obj
            .get("statusListIndex")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty() && s.len() <= 20 && s.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|s| s.parse::<u64>().ok())
            .ok_or_else(|| Error::malformed("statusListIndex must be a string of digits").at("statusListIndex"))?;
        let purpose = obj
            .get("statusPurpose")
            .and_then(Value::as_str)
            .and_then(Purpose::parse)
            .ok_or_else(|| Error::malformed(format!("statusPurpose must be one of {PURPOSES:?}")).at("statusPurpose"))?;
        // Status List 2021 has only one-bit revocation and suspension entries.
        if status_list_2021 && (purpose == Purpose::Message || obj.contains_key("statusSize")) {
            return Err(Error::malformed("a StatusList2021Entry is a one-bit revocation or suspension entry").at("statusPurpose"));
        }
        let size = match obj.get("statusSize") {
            None => 1,
            Some(v) => v
                .as_u64()
                .filter(|s| matches!(s, 1 | 2 | 4 | 8))
                .map(|s| s as u8)
                .ok_or_else(|| Error::malformed("statusSize must be 1, 2, 4 or 8").at("statusSize"))?,
        };
        Ok(StatusEntry::W3c { uri: uri.to_owned(), index, purpose, size, status_list_2021 })
    }
}
