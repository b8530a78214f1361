//! Metadata suggested from a record's text: document type, number, date, election,
//! region and TPS. They are stored as suggestions for a person to confirm; none is
//! applied to the record by itself.

use crate::model::Suggestions;
use aho_corasick::AhoCorasick;
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::{LazyLock, OnceLock};

#[allow(clippy::unwrap_used)] // Constant patterns, exercised by the tests below.
fn re(p: &str) -> Regex {
    Regex::new(p).unwrap()
}

static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\bnomor\s*:?\s*([0-9][0-9A-Za-z./\-]*[0-9A-Za-z])"));
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(\d{1,2})\s+(januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember)\s+((?:19|20)\d{2})\b",
    )
});
static TPS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\bTPS\s*(?:nomor|no\.?)?\s*:?\s*(\d{1,3})\b"));
static PEMILU: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)pemilihan\s+umum(?:\s+tahun)?\s+((?:19|20)\d{2})|\bpemilu\s+(?:tahun\s+)?((?:19|20)\d{2})",
    )
});
static PILKADA: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)pemilihan\s+(?:gubernur|bupati|wali\s*kota|kepala\s+daerah)[^\n]{0,120}?tahun\s+((?:19|20)\d{2})|\bpilkada\s+(?:tahun\s+)?((?:19|20)\d{2})",
    )
});

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maret",
    "april",
    "mei",
    "juni",
    "juli",
    "agustus",
    "september",
    "oktober",
    "november",
    "desember",
];

/// Keywords in the first lines that name a document type (code of the vocabulary).
const TYPES: &[(&str, &str)] = &[
    ("berita acara", "berita-acara"),
    ("keputusan komisi pemilihan umum", "sk"),
    ("surat keputusan", "sk"),
    ("keputusan", "sk"),
    ("model c.hasil", "formulir-hasil"),
    ("model c hasil", "formulir-hasil"),
    ("catatan hasil penghitungan", "formulir-hasil"),
    ("rekapitulasi", "rekapitulasi"),
    ("daftar pemilih", "daftar-pemilih"),
    ("daftar hadir", "daftar-hadir"),
    ("undangan", "undangan"),
    ("nota dinas", "nota-dinas"),
    ("notulen", "notulen"),
    ("pengumuman", "pengumuman"),
    ("laporan", "laporan"),
];

/// The region names the text may hold, found in one pass over the text (an
/// Aho-Corasick automaton over every name, built on first use: a loop of
/// substring searches cost 6,000 scans of every document).
pub struct Regions {
    /// Lowercased name → the codes of every region of that name.
    names: Vec<(String, Vec<String>)>,
    matcher: OnceLock<Option<AhoCorasick>>,
}

impl Regions {
    /// From (code, name) pairs; names shorter than 4 letters are too ambiguous to look for.
    pub fn new(regions: impl IntoIterator<Item = (String, String)>) -> Regions {
        let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (code, name) in regions {
            if name.chars().count() >= 4 {
                by_name.entry(name.to_lowercase()).or_default().push(code);
            }
        }
        Regions {
            names: by_name.into_iter().collect(),
            matcher: OnceLock::new(),
        }
    }

    /// The most specific region named in `text_lower` as a whole word (longest
    /// code, then longest name: a kelurahan beats its city).
    fn best_in(&self, text_lower: &str) -> Option<String> {
        let matcher = self
            .matcher
            .get_or_init(|| AhoCorasick::new(self.names.iter().map(|(n, _)| n)).ok())
            .as_ref()?;
        let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        matcher
            .find_overlapping_iter(text_lower)
            .filter(|m| {
                !alnum(text_lower[..m.start()].chars().next_back())
                    && !alnum(text_lower[m.end()..].chars().next())
            })
            .flat_map(|m| {
                let (name, codes) = &self.names[m.pattern().as_usize()];
                codes.iter().map(move |c| (c, name))
            })
            .max_by_key(|(code, name)| (code.len(), name.len()))
            .map(|(code, _)| code.clone())
    }
}

pub fn suggest(text: &str, elections: &[String], regions: &Regions) -> Suggestions {
    let head: String = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(12)
        .collect::<Vec<_>>()
        .join("\n");
    let head_lower = head.to_lowercase();
    let doc_type = TYPES
        .iter()
        .find(|(k, _)| head_lower.contains(k))
        .map(|(_, code)| code.to_string());
    let number = NUMBER.captures(text).map(|c| c[1].to_string());
    let doc_date = DATE.captures(text).and_then(|c| {
        let day: u32 = c[1].parse().ok()?;
        let month = MONTHS.iter().position(|m| c[2].eq_ignore_ascii_case(m))? + 1;
        (1..=31)
            .contains(&day)
            .then(|| format!("{}-{month:02}-{day:02}", &c[3]))
    });
    let tps = TPS
        .captures(text)
        .map(|c| format!("{:03}", c[1].parse::<u32>().unwrap_or(0)));
    let year_of = |c: regex::Captures| c.get(1).or(c.get(2)).map(|m| m.as_str().to_string());
    let election = PILKADA
        .captures(text)
        .and_then(year_of)
        .map(|y| format!("pilkada-{y}"))
        .or_else(|| {
            PEMILU
                .captures(text)
                .and_then(year_of)
                .map(|y| format!("pemilu-{y}"))
        })
        .filter(|code| elections.iter().any(|e| e == code));
    let region = regions.best_in(&text.to_lowercase());
    let title = title_from(&head);
    Suggestions {
        title,
        doc_type,
        number,
        doc_date,
        election,
        region,
        tps,
    }
}

/// The title: a letter's subject ("Perihal"), or the capitalised heading lines
/// (with the "TENTANG ..." subject of a decree), or the first line.
fn title_from(head: &str) -> Option<String> {
    let lines: Vec<&str> = head
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if let Some(subject) = lines.iter().find_map(|l| {
        let lower = l.to_lowercase();
        lower
            .starts_with("perihal")
            .then(|| l.split_once(':').map(|(_, v)| v.trim().to_string()))?
    }) {
        return Some(subject).filter(|s| !s.is_empty());
    }
    let mut parts: Vec<&str> = lines
        .iter()
        .copied()
        .take_while(|l| is_shouting(l))
        .take(4)
        .collect();
    if let Some(i) = lines.iter().position(|l| l.eq_ignore_ascii_case("tentang")) {
        parts.push("tentang");
        parts.extend(
            lines[i + 1..]
                .iter()
                .copied()
                .take_while(|l| is_shouting(l))
                .take(3),
        );
    }
    if parts.is_empty() {
        parts.extend(lines.first().copied());
    }
    let title: String = parts.join(" ").chars().take(200).collect();
    Some(title_case_if_shouting(&title)).filter(|t| !t.is_empty())
}

/// A line in capitals, as letterheads and titles are typed.
fn is_shouting(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 3
        && letters.iter().filter(|c| c.is_uppercase()).count() * 10 >= letters.len() * 8
}

/// "BERITA ACARA KPU" → "Berita Acara KPU": capitals become title case, known acronyms stay.
fn title_case_if_shouting(s: &str) -> String {
    const ACRONYMS: [&str; 8] = ["KPU", "TPS", "PPK", "PPS", "SK", "DPT", "RI", "KPPS"];
    if !is_shouting(s) {
        return s.to_string();
    }
    s.split(' ')
        .map(|w| {
            if ACRONYMS.contains(&w.trim_matches(|c: char| !c.is_alphanumeric())) {
                return w.to_string();
            }
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn berita_acara_fields() {
        let text = "BERITA ACARA\nREKAPITULASI HASIL PENGHITUNGAN SUARA\nNomor: 123/PL.01.7-BA/3271/2024\n\n\
            Pada hari ini Rabu tanggal 14 Februari 2024 di TPS 005 Kelurahan Batu Tulis Kota Bogor\n\
            dalam Pemilihan Umum Tahun 2024 ...";
        let elections = vec!["pemilu-2024".to_string(), "pilkada-2024".to_string()];
        let regions = Regions::new([
            ("32.71".to_string(), "Kota Bogor".to_string()),
            ("32.71.01.1001".to_string(), "Batu Tulis".to_string()),
            ("32.01.01.1002".to_string(), "Tulis".to_string()),
        ]);
        let s = suggest(text, &elections, &regions);
        assert_eq!(s.doc_type.as_deref(), Some("berita-acara"));
        assert_eq!(s.number.as_deref(), Some("123/PL.01.7-BA/3271/2024"));
        assert_eq!(s.doc_date.as_deref(), Some("2024-02-14"));
        assert_eq!(s.tps.as_deref(), Some("005"));
        assert_eq!(s.election.as_deref(), Some("pemilu-2024"));
        assert_eq!(s.region.as_deref(), Some("32.71.01.1001"));
        assert_eq!(
            s.title.as_deref(),
            Some("Berita Acara Rekapitulasi Hasil Penghitungan Suara")
        );
    }

    #[test]
    fn pilkada_beats_pemilu_words() {
        let text = "KEPUTUSAN KOMISI PEMILIHAN UMUM KOTA BOGOR\nNomor 45 Tahun 2024\ntentang Pemilihan Wali Kota dan Wakil Wali Kota Bogor Tahun 2024";
        let s = suggest(
            text,
            &["pilkada-2024".into(), "pemilu-2024".into()],
            &Regions::new([]),
        );
        assert_eq!(s.election.as_deref(), Some("pilkada-2024"));
        assert_eq!(s.doc_type.as_deref(), Some("sk"));
    }
}
