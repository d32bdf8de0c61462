//! What each list format's parser reads from a list's payload, for [`super::ListDocument`].

use super::list::StatusList;
use super::ListFormat;

/// The fields of a W3C status list credential or an IETF status list token that verification uses.
#[derive(Debug)]
pub(crate) struct Body {
    pub format: ListFormat,
    pub uri: Option<String>,
    pub issuer: Option<String>,
    pub list: StatusList,
    pub purposes: Vec<String>,
    pub issued_at: Option<i64>,
    pub not_before: Option<i64>,
    pub expires_at: Option<i64>,
    pub ttl_ms: Option<f64>,
    /// A W3C CCG `StatusList2021Credential` rather than a `BitstringStatusListCredential`.
    pub status_list_2021: bool,
}
