//! Audit entries as JSON Lines: one entry per line, exported as written and imported strictly,
//! so an exported log round-trips byte for byte.

use super::entry::Entry;
use crate::error::{Error, ErrorCode, Result};
use crate::jcs::parse_strict;
use crate::limits::{MAX_BATCH_ITEMS, MAX_JSON_DEPTH};

/// Entries as JSON Lines: one entry per line, each line ending in `\n`.
///
/// # Errors
/// `INTERNAL_ERROR` only if serialization fails, which plain JSON values do not.
pub fn to_jsonl(entries: &[Entry]) -> Result<String> {
    let mut out = String::new();
    for (i, entry) in entries.iter().enumerate() {
        let line = serde_json::to_string(entry)
            .map_err(|e| Error::new(ErrorCode::InternalError, format!("cannot serialize entry: {e}")).at(format!("[{i}]")))?;
        out.push_str(&line);
        out.push('\n');
    }
    Ok(out)
}

/// Entries from JSON Lines, parsed strictly (no duplicate member names, nesting limited, no
/// unknown fields, hashes as 64 lowercase hex digits). Lines end in `\n`; the last may omit
/// it. JSON whitespace in a line (a `\r` before the `\n` too) is not part of the entry.
/// `from_jsonl(&to_jsonl(e)?)? == e`, and `to_jsonl` gives back the text it wrote.
///
/// # Errors
/// `MALFORMED_INPUT` (or `INPUT_TOO_LARGE`) located at the entry's index, naming its line.
pub fn from_jsonl(text: &str) -> Result<Vec<Entry>> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    if body.is_empty() {
        return Ok(Vec::new());
    }
    let mut entries = Vec::new();
    for (i, line) in body.split('\n').enumerate() {
        if i >= MAX_BATCH_ITEMS {
            return Err(Error::new(ErrorCode::InputTooLarge, format!("more than {MAX_BATCH_ITEMS} entries")));
        }
        let locate = |e: Error| {
            let message = format!("line {}: {}", i + 1, e.message);
            Error { message, ..e }.at(format!("[{i}]"))
        };
        let value = parse_strict(line, MAX_JSON_DEPTH + 1).map_err(locate)?;
        let entry = serde_json::from_value::<Entry>(value).map_err(|e| locate(Error::malformed(format!("not an audit entry: {e}"))))?;
        entries.push(entry);
    }
    Ok(entries)
}
