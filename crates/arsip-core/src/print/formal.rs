//! The parts every formal document of the office shares: the letterhead,
//! the title and number, the place and date it is signed at, the blocks
//! people sign, and the weekday a berita acara names.

use super::layout::{Align, Sheet, Style};

/// Who the office is and where: its letterhead and the place it signs at.
pub struct Office {
    pub name: String,
    /// The place in "Bogor, 2 Desember 2026".
    pub place: String,
    /// The day the document is dated (its step's, where the office is).
    pub date: time::Date,
}

/// The office's name as a letterhead writes it: `KPU Kota Bogor` →
/// `KOMISI PEMILIHAN UMUM KOTA BOGOR`.
pub fn letterhead(name: &str) -> String {
    let full = match name.trim().strip_prefix("KPU ") {
        Some(rest) => format!("Komisi Pemilihan Umum {rest}"),
        None => name.trim().to_string(),
    };
    full.to_uppercase()
}

/// The letterhead, a rule, the title and its number.
pub fn head(doc: &mut Sheet, office: &Office, title: &str, number: &str) {
    doc.paragraph(&letterhead(&office.name), Style::HEADING.sized(14.0));
    doc.gap(4.0);
    doc.rule(1.5);
    doc.gap(14.0);
    doc.paragraph(title, Style::HEADING);
    doc.paragraph(number, Style::BODY.aligned(Align::Center));
    doc.gap(12.0);
}

/// "Bogor, 2 Desember 2026".
pub fn place_and_date(office: &Office) -> String {
    format!(
        "{}, {}",
        office.place,
        crate::clock::date_in_words(office.date)
    )
}

/// A signature block at the right: place and date, role, room to sign,
/// and the name.
pub fn signature(doc: &mut Sheet, office: &Office, role: &str, name: &str) {
    let right = Style::BODY.aligned(Align::Right);
    doc.paragraph(&place_and_date(office), right);
    doc.paragraph(role, right);
    doc.gap(44.0);
    doc.paragraph(&format!("( {name} )"), right);
}

/// Label and value rows without a header ("Peminjam | Siti Aminah");
/// empty values are left out.
pub fn facts(doc: &mut Sheet, rows: Vec<(&str, String)>) {
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| vec![k.to_string(), v])
        .collect();
    doc.table(
        &[
            super::layout::Column::new("", 1.0),
            super::layout::Column::new("", 3.0),
        ],
        &rows,
        Style::BODY,
        false,
    );
}

/// The years a berkas covers as a list prints them: "2019–2024", "2024"
/// or "".
pub fn period(from: Option<i32>, to: Option<i32>) -> String {
    match (from, to) {
        (Some(f), Some(t)) if f != t => format!("{f}–{t}"),
        (f, t) => t.or(f).map(|y| y.to_string()).unwrap_or_default(),
    }
}

/// "2026-12-02" → "2 Desember 2026"; a text that is not a day as it is.
pub fn day_words(day: &str) -> String {
    crate::retention::parse_day(day)
        .map(crate::clock::date_in_words)
        .unwrap_or_else(|_| day.to_string())
}

/// "hari Rabu tanggal dua bulan Desember tahun dua ribu dua puluh enam
/// (2 Desember 2026)": the day a berita acara is made, spelled out as
/// formal documents write it so that it cannot be altered by a stroke.
pub fn day_in_words(office: &Office) -> String {
    let d = office.date;
    format!(
        "hari {} tanggal {} bulan {} tahun {} ({})",
        weekday(d),
        spelled(u64::from(d.day())),
        crate::clock::month_name(d.month()),
        spelled(u64::try_from(d.year()).unwrap_or(0)),
        crate::clock::date_in_words(d)
    )
}

/// A whole number in Indonesian words (terbilang): 26 → "dua puluh enam",
/// 2026 → "dua ribu dua puluh enam".
pub fn spelled(n: u64) -> String {
    const ONES: [&str; 12] = [
        "nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
        "sepuluh", "sebelas",
    ];
    fn below_1000(n: u64) -> String {
        match n {
            0..=11 => ONES[n as usize].to_string(),
            12..=19 => format!("{} belas", ONES[(n - 10) as usize]),
            20..=99 => {
                let tens = format!("{} puluh", ONES[(n / 10) as usize]);
                if n.is_multiple_of(10) {
                    tens
                } else {
                    format!("{tens} {}", ONES[(n % 10) as usize])
                }
            }
            _ => {
                let hundreds = if n / 100 == 1 {
                    "seratus".to_string()
                } else {
                    format!("{} ratus", ONES[(n / 100) as usize])
                };
                if n.is_multiple_of(100) {
                    hundreds
                } else {
                    format!("{hundreds} {}", below_1000(n % 100))
                }
            }
        }
    }
    let mut parts = Vec::new();
    let mut rest = n;
    for (unit, name) in [
        (1_000_000_000, "miliar"),
        (1_000_000, "juta"),
        (1_000, "ribu"),
    ] {
        let count = rest / unit;
        if count > 0 {
            parts.push(if unit == 1_000 && count == 1 {
                "seribu".to_string()
            } else {
                format!("{} {name}", spelled(count))
            });
        }
        rest %= unit;
    }
    if rest > 0 || parts.is_empty() {
        parts.push(below_1000(rest));
    }
    parts.join(" ")
}

pub fn weekday(date: time::Date) -> &'static str {
    match date.weekday() {
        time::Weekday::Monday => "Senin",
        time::Weekday::Tuesday => "Selasa",
        time::Weekday::Wednesday => "Rabu",
        time::Weekday::Thursday => "Kamis",
        time::Weekday::Friday => "Jumat",
        time::Weekday::Saturday => "Sabtu",
        time::Weekday::Sunday => "Minggu",
    }
}

impl crate::archive::Archive {
    /// The office as a document it signs names it, dated the day of
    /// `when` (an RFC 3339 time, or a YYYY-MM-DD day) where the office is.
    pub(crate) fn formal_office(&self, when: &str) -> crate::error::Result<Office> {
        let (office, region) = self.with_catalogue(|c| {
            let o = c.office()?;
            let region = c
                .term_name(crate::catalogue::vocab::Coded::Region, &o.region_code)?
                .unwrap_or_default();
            Ok((o, region))
        })?;
        let offset = crate::clock::office_offset(&office.region_code);
        let day = if when.len() == 10 {
            when.to_string()
        } else {
            crate::clock::local_time(when, offset)
        };
        let date = day
            .get(..10)
            .and_then(|d| crate::retention::parse_day(d).ok())
            .unwrap_or_else(|| crate::clock::today(offset));
        let place = ["Kota ", "Kabupaten ", "Kab. ", "Provinsi "]
            .iter()
            .find_map(|p| region.strip_prefix(p))
            .unwrap_or(&region)
            .to_string();
        Ok(Office {
            name: office.name,
            place,
            date,
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_spelled_as_formal_documents_write_them() {
        for (n, words) in [
            (0, "nol"),
            (1, "satu"),
            (11, "sebelas"),
            (15, "lima belas"),
            (20, "dua puluh"),
            (31, "tiga puluh satu"),
            (100, "seratus"),
            (118, "seratus delapan belas"),
            (1000, "seribu"),
            (1945, "seribu sembilan ratus empat puluh lima"),
            (2026, "dua ribu dua puluh enam"),
            (2_500_000, "dua juta lima ratus ribu"),
        ] {
            assert_eq!(super::spelled(n), words);
        }
    }

    #[test]
    fn the_letterhead_spells_the_office_out() {
        assert_eq!(
            super::letterhead("KPU Kota Bogor"),
            "KOMISI PEMILIHAN UMUM KOTA BOGOR"
        );
        assert_eq!(super::letterhead("Arsip Daerah"), "ARSIP DAERAH");
    }
}

/// One who signs: their name, and their NIP and position when they have
/// them.
#[derive(
    Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    pub name: String,
    /// Nomor Induk Pegawai, for civil servants.
    #[serde(default)]
    pub nip: Option<String>,
    /// Their position ("Pengelola Arsip", "Kepala Subbagian Umum").
    #[serde(default)]
    pub position: Option<String>,
}

/// A signer checked (each part trimmed, not too long, empty parts none).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Signed(Signer);

impl Signed {
    /// `field` names the signer in an error ("operator", "head_nip").
    pub(crate) fn check(field: &str, s: &Signer) -> crate::error::Result<Signed> {
        use crate::catalogue::berkas::checked_text;
        let optional = |what: &str, v: &Option<String>| match v.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(v) => checked_text(&format!("{field}_{what}"), v, 200).map(Some),
        };
        Ok(Signed(Signer {
            name: checked_text(field, &s.name, 200)?,
            nip: optional("nip", &s.nip)?,
            position: optional("position", &s.position)?,
        }))
    }

    pub(crate) fn signer(&self) -> &Signer {
        &self.0
    }

    /// The name as a signature block prints it, the NIP below.
    pub(crate) fn block(&self) -> String {
        match &self.0.nip {
            Some(nip) => format!("{}\nNIP. {nip}", self.0.name),
            None => self.0.name.clone(),
        }
    }

    /// "Siti Aminah (Pengelola Arsip)" in a sentence.
    pub(crate) fn named(&self) -> String {
        match &self.0.position {
            Some(p) => format!("{} ({p})", self.0.name),
            None => self.0.name.clone(),
        }
    }

    /// The role line over the signature: "Saksi," then the position.
    pub(crate) fn role(&self, role: &str) -> String {
        match &self.0.position {
            Some(p) => format!("{role}\n{p},"),
            None => role.to_string(),
        }
    }
}
