//! Date-times of credentials: RFC 3339 section 5.6 (`issuanceDate`, `validFrom`, ...) and
//! JWT NumericDate (RFC 7519 section 2), both as whole seconds since the epoch.

use crate::error::{Error, Result};
use serde_json::Value;

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (`civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

fn digits(s: &[u8], from: usize, len: usize) -> Option<i64> {
    let part = s.get(from..from + len)?;
    part.iter().try_fold(0i64, |acc, b| b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0')))
}

/// Parses an RFC 3339 date-time (`2024-01-15T10:00:00Z`, `...00.123+02:00`) to whole seconds
/// since the epoch (fractions are truncated toward the past).
///
/// # Errors
/// `MALFORMED_INPUT` for anything else.
pub fn parse_rfc3339(text: &str) -> Result<i64> {
    let bad = || Error::malformed(format!("'{}' is not an RFC 3339 date-time", text.chars().take(40).collect::<String>()));
    let s = text.as_bytes();
    let sep = |i: usize, c: u8| s.get(i) == Some(&c);
    if !(sep(4, b'-') && sep(7, b'-') && (sep(10, b'T') || sep(10, b't')) && sep(13, b':') && sep(16, b':')) {
        return Err(bad());
    }
    let (y, mo, d) = (digits(s, 0, 4).ok_or_else(bad)?, digits(s, 5, 2).ok_or_else(bad)?, digits(s, 8, 2).ok_or_else(bad)?);
    let (h, mi, se) = (digits(s, 11, 2).ok_or_else(bad)?, digits(s, 14, 2).ok_or_else(bad)?, digits(s, 17, 2).ok_or_else(bad)?);
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let max_day = usize::try_from(mo - 1).ok().and_then(|i| month_days.get(i).copied()).ok_or_else(bad)?;
    // A leap second (60) is allowed by RFC 3339 and counted as the next second's start.
    if d < 1 || d > max_day || h > 23 || mi > 59 || se > 60 {
        return Err(bad());
    }
    let mut i = 19;
    if sep(i, b'.') {
        i += 1;
        let start = i;
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return Err(bad());
        }
    }
    let offset = match s.get(i) {
        Some(b'Z') | Some(b'z') if i + 1 == s.len() => 0,
        Some(&c @ (b'+' | b'-')) if i + 6 == s.len() && sep(i + 3, b':') => {
            let (oh, om) = (digits(s, i + 1, 2).ok_or_else(bad)?, digits(s, i + 4, 2).ok_or_else(bad)?);
            if oh > 23 || om > 59 {
                return Err(bad());
            }
            let o = oh * 3600 + om * 60;
            if c == b'+' {
                o
            } else {
                -o
            }
        }
        _ => return Err(bad()),
    };
    Ok(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se - offset)
}

/// Formats seconds since the epoch as JavaScript's `Date.prototype.toISOString` does
/// (`2024-01-15T10:00:00.000Z`), the form anon-identity writes.
pub fn format_rfc3339(seconds: i64) -> String {
    let (days, secs) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.000Z", secs / 3600, secs / 60 % 60, secs % 60)
}

/// A JWT NumericDate claim as whole seconds (fractions truncated toward the past).
///
/// # Errors
/// `MALFORMED_INPUT` when the value is not a finite number.
pub fn numeric_date(value: &Value) -> Result<i64> {
    if let Some(i) = value.as_i64() {
        return Ok(i);
    }
    match value.as_f64() {
        Some(f) if f.is_finite() && f.abs() < 1e15 => Ok(f.floor() as i64),
        _ => Err(Error::malformed("a NumericDate is a number of seconds")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z").unwrap(), 0);
        assert_eq!(parse_rfc3339("2024-02-29T12:34:56.789Z").unwrap(), 1_709_210_096);
        assert_eq!(parse_rfc3339("2024-02-29T14:34:56+02:00").unwrap(), 1_709_210_096);
        assert_eq!(format_rfc3339(1_709_210_096), "2024-02-29T12:34:56.000Z");
        assert_eq!(format_rfc3339(-1), "1969-12-31T23:59:59.000Z");
        for bad in [
            "",
            "2024-02-30T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-01-01",
            "2024-01-01T00:00:00",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00Zx",
            "２024-01-01T00:00:00Z",
        ] {
            assert!(parse_rfc3339(bad).is_err(), "{bad}");
        }
        for s in [0i64, 951_782_400, 4_102_444_800, 1_234_567_890] {
            assert_eq!(parse_rfc3339(&format_rfc3339(s)).unwrap(), s);
        }
    }

    #[test]
    fn numeric_dates() {
        assert_eq!(numeric_date(&serde_json::json!(10)).unwrap(), 10);
        assert_eq!(numeric_date(&serde_json::json!(10.9)).unwrap(), 10);
        assert!(numeric_date(&serde_json::json!("10")).is_err());
    }
}
