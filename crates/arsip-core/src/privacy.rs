//! Personal data at the source: NIK (Nomor Induk Kependudukan) and KK (Kartu
//! Keluarga) numbers found in page text. Both are 16 digits: a Kemendagri region
//! code (province, kab/kota, kecamatan: 6 digits), a date (6 digits; for a NIK the
//! day of birth plus 40 for women), and a 4-digit serial. Records holding them are
//! flagged; the publik role reads them masked.

use regex::Regex;
use std::sync::LazyLock;

static SIXTEEN_DIGITS: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // A constant pattern: covered by the tests below.
    Regex::new(r"\b\d{16}\b").unwrap()
});

/// Province codes in use (Kemendagri), including the Papua provinces of 2022.
const PROVINCES: &[u32] = &[
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65,
    71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97,
];

fn digits(s: &str, from: usize, len: usize) -> u32 {
    s[from..from + len].parse().unwrap_or(0)
}

/// True when 16 digits have the structure of a NIK or KK number.
pub fn is_personal_number(s: &str) -> bool {
    if s.len() != 16 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let province = digits(s, 0, 2);
    let regency = digits(s, 2, 2);
    let district = digits(s, 4, 2);
    let day = digits(s, 6, 2);
    let month = digits(s, 8, 2);
    let serial = digits(s, 12, 4);
    let day_ok = (1..=31).contains(&day) || (41..=71).contains(&day);
    PROVINCES.contains(&province)
        && regency > 0
        && district > 0
        && day_ok
        && (1..=12).contains(&month)
        && serial > 0
}

/// Byte ranges of personal numbers in `text`.
pub fn find_personal_numbers(text: &str) -> Vec<std::ops::Range<usize>> {
    SIXTEEN_DIGITS
        .find_iter(text)
        .filter(|m| is_personal_number(m.as_str()))
        .map(|m| m.range())
        .collect()
}

pub fn contains_personal_data(text: &str) -> bool {
    !find_personal_numbers(text).is_empty()
}

/// The text with each personal number's digits replaced by '*', lengths kept.
pub fn mask(text: &str) -> String {
    let ranges = find_personal_numbers(text);
    if ranges.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for r in ranges {
        out.push_str(&text[last..r.start]);
        out.push_str(&"*".repeat(r.len()));
        last = r.end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, personal: bool) {
        assert_eq!(is_personal_number(input), personal, "{input}");
    }

    #[test]
    fn nik_structure() {
        check("3271046504930002", true); // Kota Bogor, woman born 25-04-93
        check("3271042504930002", true); // man born 25-04-93
        check("3271049904930002", false); // day 99
        check("3271042513930002", false); // month 13
        check("9971042504930002", false); // no such province
        check("3271042504930000", false); // serial 0000
        check("327104250493000", false); // 15 digits
    }

    #[test]
    fn masking_keeps_the_rest() {
        let text = "NIK 3271046504930002, TPS 005, No. 1234567890123456";
        assert_eq!(
            mask(text),
            "NIK ****************, TPS 005, No. 1234567890123456"
        );
        assert!(contains_personal_data(text));
        assert!(!contains_personal_data(
            "NIK 32710465049300021 terlalu panjang"
        ));
    }
}
