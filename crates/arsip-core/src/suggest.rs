//! Metadata suggested from a record's text: document type, number, date, election,
//! region and TPS. They are stored as suggestions for a person to confirm; none is
//! applied to the record by itself.

use crate::model::Suggestions;
use aho_corasick::AhoCorasick;
use regex::Regex;
use std::collections::{BTreeMap, HashMap};
use std::sync::{LazyLock, OnceLock};

#[allow(clippy::unwrap_used)] // Constant patterns, exercised by the tests below.
fn re(p: &str) -> Regex {
    Regex::new(p).unwrap()
}

static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\bnomor\s*:?\s*([0-9][0-9A-Za-z./\-]*[0-9A-Za-z])"));
/// A classification code as a document number carries it: a part between
/// slashes that starts with a code of two or three capitals and at least
/// one numbered level, before a kind (`PL.01.9-Kpt`, `PL.01.7-BA`).
static CLASSIFICATION: LazyLock<Regex> =
    LazyLock::new(|| re(r"^([A-Z]{2,3}(?:\.[0-9]{1,3})+)(?:-[A-Za-z.]+)?$"));
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

    /// The region `text` is about. Every name found as a whole word is
    /// a candidate, but a name inside a longer one found at the same place is
    /// not ("bogor" in "kota bogor"). A kecamatan or a village counts only
    /// when the text calls it one ("Kelurahan Empang") or names its parent
    /// too: alone, "Gudang" or "Bogor" is a word, not a village. Candidates
    /// are ranked by how much of their chain the text names (their parents
    /// found, and being in `home`, the office's own region, counts as one),
    /// then by depth: a kelurahan beats its city, and a same-named village
    /// elsewhere loses to the office's own city (a Kota Bogor archive once
    /// filed 11 of 30 records under Desa Bogor, Kab. Indramayu).
    fn best_in(&self, text: &str, home: Option<&str>) -> Option<String> {
        // Names are matched in the text as written (ASCII case folded: the
        // region list is ASCII), so a name's capital can be seen.
        let matcher = self
            .matcher
            .get_or_init(|| {
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(self.names.iter().map(|(n, _)| n))
                    .ok()
            })
            .as_ref()?;
        let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let mut found: Vec<(usize, usize, usize)> = matcher
            .find_overlapping_iter(text)
            .filter(|m| {
                !alnum(text[..m.start()].chars().next_back())
                    && !alnum(text[m.end()..].chars().next())
            })
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        // By start, the longer first: a match lies inside an earlier one
        // exactly when an earlier one reaches as far.
        found.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
        let mut reach = 0;
        let outer: Vec<&(usize, usize, usize)> = found
            .iter()
            .filter(|&&(_, e, _)| {
                let inside = e <= reach;
                reach = reach.max(e);
                !inside
            })
            .collect();
        // Each code named, with where: a parent counts only when named
        // elsewhere ("Tanah Sareal" is a kecamatan and its own kelurahan).
        let mut named: HashMap<&str, Vec<usize>> = HashMap::new();
        for &&(start, _, p) in &outer {
            for code in &self.names[p].1 {
                named.entry(code).or_default().push(start);
            }
        }
        // What the text calls each name where it says ("Kecamatan Cibinong"):
        // the same name elsewhere, said alone, is that kind too.
        let mut kinds: HashMap<usize, usize> = HashMap::new();
        for &&(start, _, p) in &outer {
            if let Some(kind) = called_a(&text[..start]) {
                kinds.insert(p, kind);
            }
        }
        outer
            .iter()
            .flat_map(|&&(start, _, p)| {
                let (name, codes) = &self.names[p];
                let called = called_a(&text[..start]).or(kinds.get(&p).copied());
                let capital = text[start..].chars().next().is_some_and(char::is_uppercase);
                codes
                    .iter()
                    .map(move |c| (c.as_str(), start, name.len(), called, capital))
            })
            .filter_map(|(code, start, name_len, called, capital)| {
                let parents = ancestors(code)
                    .filter(|a| {
                        named
                            .get(a)
                            .is_some_and(|at| at.iter().any(|&s| s != start))
                    })
                    .count();
                let depth = code.split('.').count();
                let plausible = match called {
                    Some(kind) => kind == depth,
                    // A kab/kota's name holds its kind ("Kota Bogor"); a
                    // place named alone is written with its capital and
                    // its parent named too ("gudang arsip" is no Gudang).
                    None => depth <= 2 || (parents > 0 && capital),
                };
                let at_home = home.is_some_and(|h| code == h || code.starts_with(&format!("{h}.")));
                plausible.then_some(((parents + usize::from(at_home), depth, name_len), code))
            })
            .max_by_key(|(rank, _)| *rank)
            .map(|(_, code)| code.to_string())
    }
}

/// The codes above a region's: `32.71.01.1001` → `32`, `32.71`, `32.71.01`.
fn ancestors(code: &str) -> impl Iterator<Item = &str> {
    code.match_indices('.').map(move |(i, _)| &code[..i])
}

/// The depth of region the words just before a name call it: 3 for a
/// kecamatan, 4 for a kelurahan or desa.
fn called_a(before: &str) -> Option<usize> {
    let word = before
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ':'))
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match word.as_str() {
        "kecamatan" | "kec" | "distrik" => Some(3),
        "kelurahan" | "kel" | "desa" | "ds" | "nagari" => Some(4),
        _ => None,
    }
}

/// `home` is the office's own region code (its kab/kota, or a province's).
pub fn suggest(
    text: &str,
    elections: &[String],
    regions: &Regions,
    home: Option<&str>,
) -> Suggestions {
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
    let classification = number.as_deref().and_then(classification_in);
    let region = regions.best_in(text, home);
    let title = title_from(&head);
    Suggestions {
        title,
        doc_type,
        number,
        doc_date,
        election,
        region,
        tps,
        classification,
    }
}

/// The classification code in a document number, if it carries one.
pub fn classification_in(number: &str) -> Option<String> {
    number
        .split('/')
        .find_map(|part| CLASSIFICATION.captures(part.trim()))
        .map(|c| c[1].to_string())
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

/// "BERITA ACARA KPU" → "Berita Acara KPU": capitals become title case, known
/// acronyms and words with digits (document numbers) stay.
fn title_case_if_shouting(s: &str) -> String {
    const ACRONYMS: [&str; 8] = ["KPU", "TPS", "PPK", "PPS", "SK", "DPT", "RI", "KPPS"];
    if !is_shouting(s) {
        return s.to_string();
    }
    s.split(' ')
        .map(|w| {
            // Known acronyms, and codes such as a document number
            // (`88/PL.02-BA/3271/2024`), stay as written.
            if ACRONYMS.contains(&w.trim_matches(|c: char| !c.is_alphanumeric()))
                || w.chars().any(|c| c.is_ascii_digit())
            {
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
    fn a_document_number_names_its_classification() {
        assert_eq!(
            classification_in("417/PL.01.9-Kpt/3271/KPU-Kot/III/2024").as_deref(),
            Some("PL.01.9")
        );
        assert_eq!(classification_in("12/HK.03").as_deref(), Some("HK.03"));
        // A kind alone, or a region code, is no classification.
        assert_eq!(classification_in("123/BA/3271/2024"), None);
        assert_eq!(classification_in("5/32.71/2024"), None);
    }

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
        let s = suggest(text, &elections, &regions, Some("32.71"));
        assert_eq!(s.doc_type.as_deref(), Some("berita-acara"));
        assert_eq!(s.number.as_deref(), Some("123/PL.01.7-BA/3271/2024"));
        assert_eq!(s.doc_date.as_deref(), Some("2024-02-14"));
        assert_eq!(s.tps.as_deref(), Some("005"));
        assert_eq!(s.election.as_deref(), Some("pemilu-2024"));
        assert_eq!(s.region.as_deref(), Some("32.71.01.1001"));
        assert_eq!(s.classification.as_deref(), Some("PL.01.7"));
        assert_eq!(
            s.title.as_deref(),
            Some("Berita Acara Rekapitulasi Hasil Penghitungan Suara")
        );
    }

    #[test]
    fn a_shouted_title_keeps_its_document_number() {
        assert_eq!(
            title_case_if_shouting("BERITA ACARA NOMOR 88/PL.02-BA/3271/2024 TENTANG TPS KHUSUS"),
            "Berita Acara Nomor 88/PL.02-BA/3271/2024 Tentang TPS Khusus"
        );
    }

    #[test]
    fn pilkada_beats_pemilu_words() {
        let text = "KEPUTUSAN KOMISI PEMILIHAN UMUM KOTA BOGOR\nNomor 45 Tahun 2024\ntentang Pemilihan Wali Kota dan Wakil Wali Kota Bogor Tahun 2024";
        let s = suggest(
            text,
            &["pilkada-2024".into(), "pemilu-2024".into()],
            &Regions::new([]),
            None,
        );
        assert_eq!(s.election.as_deref(), Some("pilkada-2024"));
        assert_eq!(s.doc_type.as_deref(), Some("sk"));
    }

    fn shipped() -> Regions {
        Regions::new(
            crate::catalogue::shipped_regions()
                .into_iter()
                .filter(|(code, _)| code.contains('.')),
        )
    }

    fn region_of(text: &str, home: Option<&str>) -> Option<String> {
        shipped().best_in(text, home)
    }

    #[test]
    fn the_offices_own_city_beats_a_village_of_the_same_name() {
        // Desa Bogor (32.12.24.2001) is in Kab. Indramayu.
        let letterhead = "KOMISI PEMILIHAN UMUM KOTA BOGOR\nJl. Pajajaran No. 9 Bogor";
        assert_eq!(
            region_of(letterhead, Some("32.71")).as_deref(),
            Some("32.71")
        );
        assert_eq!(region_of(letterhead, None).as_deref(), Some("32.71"));
        // A bare word is no village, at home or not.
        assert_eq!(region_of("arsip di gudang bogor", Some("32.71")), None);
        // Nor with its city named in the letterhead: "gudang" is a word.
        let letter = "KOMISI PEMILIHAN UMUM KOTA BOGOR\nberkas disimpan di gudang arsip";
        assert_eq!(region_of(letter, Some("32.71")).as_deref(), Some("32.71"));
        let kab = "KPU KABUPATEN BOGOR\ndi tengah kesibukan tahapan";
        assert_eq!(region_of(kab, Some("32.01")).as_deref(), Some("32.01"));
        // Named with its chain, the village elsewhere is meant.
        let elsewhere = "Desa Bogor Kecamatan Sukra Kabupaten Indramayu";
        assert_eq!(
            region_of(elsewhere, Some("32.71")).as_deref(),
            Some("32.12.24.2001")
        );
    }

    #[test]
    fn a_kelurahan_named_as_one_beats_its_city() {
        let text = "di TPS 005 Kelurahan Sukasari Kecamatan Bogor Timur, Kota Bogor";
        let code = region_of(text, Some("32.71")).unwrap_or_default();
        assert!(code.starts_with("32.71.02."), "{code}");
        // Sukasari is also a kecamatan of Kab. Subang, and Kota Bandung has one:
        // the office's own wins when the text alone cannot tell.
        let code = region_of("rapat di Kelurahan Sukasari", Some("32.71")).unwrap_or_default();
        assert!(code.starts_with("32.71."), "{code}");
    }

    #[test]
    fn a_name_said_alone_is_the_kind_it_is_called_elsewhere() {
        // Cibinong is a kecamatan of Kab. Bogor and a kelurahan inside it.
        let text = "Kepada Yth. PPK Kecamatan Cibinong\nKPU Kabupaten Bogor\ndi Cibinong";
        assert_eq!(region_of(text, Some("32.71")).as_deref(), Some("32.01.01"));
    }

    #[test]
    fn a_name_is_the_kind_the_text_calls_it() {
        // Tanah Sareal is a kecamatan of Kota Bogor and a kelurahan inside it.
        let kec = "rapat PPK Kecamatan Tanah Sareal, Kota Bogor";
        assert_eq!(region_of(kec, Some("32.71")).as_deref(), Some("32.71.06"));
        let kel = "PPS Kelurahan Tanah Sareal, Kota Bogor";
        assert_eq!(
            region_of(kel, Some("32.71")).as_deref(),
            Some("32.71.06.1001")
        );
    }
}
