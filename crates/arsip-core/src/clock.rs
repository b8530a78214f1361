//! Time enters the archive here, so tests and planning code can fix it.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The current UTC time as RFC 3339, to the second.
pub fn now_rfc3339() -> String {
    let now = OffsetDateTime::now_utc();
    let now = now.replace_nanosecond(0).unwrap_or(now);
    now.format(&Rfc3339).unwrap_or_default()
}

/// Seconds since 1970 (UTC).
pub fn now_unix() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}
