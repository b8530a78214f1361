//! Time enters the archive here, so tests and planning code can fix it.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The current UTC time as RFC 3339, to the second.
pub fn now_rfc3339() -> String {
    let now = OffsetDateTime::now_utc();
    let now = now.replace_nanosecond(0).unwrap_or(now);
    now.format(&Rfc3339).unwrap_or_default()
}

/// A time given in seconds since 1970 as RFC 3339 (UTC), to the second.
pub fn rfc3339_at(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// Seconds since 1970 (UTC).
pub fn now_unix() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// The zone of an office in Indonesia, from the province part of its
/// Kemendagri region code (`32.71` → 32, Jawa Barat): WIB (UTC+7) for
/// Sumatra, Java, West and Central Kalimantan; WITA (UTC+8) for Bali, Nusa
/// Tenggara, the rest of Kalimantan and Sulawesi; WIT (UTC+9) for Maluku and
/// Papua. An unknown code is WIB, where most offices are.
pub fn office_offset(region_code: &str) -> time::UtcOffset {
    let province: u32 = region_code
        .split('.')
        .next()
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or(0);
    let hours = match province {
        51..=53 | 63..=76 => 8,
        81..=99 => 9,
        _ => 7,
    };
    time::UtcOffset::from_hms(hours, 0, 0).unwrap_or(time::UtcOffset::UTC)
}

/// A zone as people in Indonesia write it: WIB, WITA, WIT, else `UTC+hh:mm`.
pub fn zone_name(offset: time::UtcOffset) -> String {
    match offset.whole_minutes() {
        420 => "WIB".into(),
        480 => "WITA".into(),
        540 => "WIT".into(),
        m => format!(
            "UTC{}{:02}:{:02}",
            if m < 0 { '-' } else { '+' },
            m.abs() / 60,
            m.abs() % 60
        ),
    }
}

/// An instant the archive wrote (RFC 3339) as local time in `offset`, with
/// the zone named: `2024-02-14 15:00:00 WIB`. What does not parse comes back
/// as it is, so nothing is lost.
pub fn local_time(at: &str, offset: time::UtcOffset) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    OffsetDateTime::parse(at, &Rfc3339)
        .ok()
        .and_then(|t| t.to_offset(offset).format(format).ok())
        .map_or_else(|| at.to_string(), |t| format!("{t} {}", zone_name(offset)))
}

/// Today's date where the office is.
pub fn today(offset: time::UtcOffset) -> time::Date {
    OffsetDateTime::from_unix_timestamp(now_unix())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset)
        .date()
}

/// The months as Indonesian letters name them.
pub const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

/// A date as Indonesian letters and lists write it: `1 Desember 2026`.
/// A month's name in Indonesian ("Desember").
pub fn month_name(month: time::Month) -> &'static str {
    MONTHS[usize::from(u8::from(month)) - 1]
}

pub fn date_in_words(date: time::Date) -> String {
    let month = month_name(date.month());
    format!("{} {month} {}", date.day(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offices_keep_their_own_time() {
        for (region, zone) in [
            ("32.71", "WIB"),
            ("11", "WIB"),
            ("62.01", "WIB"),
            ("51.71", "WITA"),
            ("64.72", "WITA"),
            ("73.71", "WITA"),
            ("81.71", "WIT"),
            ("94.71", "WIT"),
            ("", "WIB"),
        ] {
            assert_eq!(zone_name(office_offset(region)), zone, "{region}");
        }
        let wib = office_offset("32.71");
        assert_eq!(
            local_time("2024-02-14T20:30:05Z", wib),
            "2024-02-15 03:30:05 WIB"
        );
        let india = time::UtcOffset::from_hms(5, 30, 0).unwrap();
        assert_eq!(
            local_time("2024-02-14T20:30:05Z", india),
            "2024-02-15 02:00:05 UTC+05:30"
        );
        assert_eq!(local_time("kemarin", wib), "kemarin");
    }

    #[test]
    fn dates_are_written_as_letters_write_them() {
        let date = time::macros::date!(2026 - 12 - 01);
        assert_eq!(date_in_words(date), "1 Desember 2026");
        assert_eq!(
            date_in_words(time::macros::date!(2024 - 02 - 14)),
            "14 Februari 2024"
        );
    }
}
