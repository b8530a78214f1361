//! Which files a scanner wrote as the pages of one document. Scanners that
//! write one file per page name them after the document with a page marker
//! (`BA_TPS014_p1.jpg`, `BA_TPS014_hal2.jpg`) or in a bare sequence
//! (`scan0001.jpg`, `IMG_0002.jpg`). A page marker is a promise: those files
//! are one document. A sequence is only a guess (a feeder of forty one-page
//! letters writes the same names), so it is proposed only when asked and a
//! person confirms or splits it.

use regex::Regex;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// How the files of a proposed document were recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    /// One file: a document of its own.
    Alone,
    /// The same name with page numbers (`_p1`, `-hal2`, ` page 3`).
    PageNumbers,
    /// Consecutive numbers after a scanner's generic name (`scan0001`):
    /// a guess to check page by page.
    Sequence,
}

/// One proposed document: indices into the names given, in page order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ProposedDocument {
    pub files: Vec<usize>,
    pub grouping: Grouping,
}

static PAGE_MARKED: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?P<base>.*?[^ _.\-])[ _.\-]+(?:p|pg|page|hal|halaman|hlm|lembar|lbr)[ _.\-]*(?P<n>\d{1,4})$",
    )
    .ok()
});

static SEQUENCE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?P<base>(?:scan|scanned|scanimage|img|image|dsc|dscn|doc|document|dokumen|pindai|pindaian|page|halaman|file)[ _\-]?(?:\d{8}[ _\-]?)?)(?P<n>\d{1,6})$",
    )
    .ok()
});

/// Splits a path into (folder, stem, extension), as written.
fn parts(name: &str) -> (&str, &str, &str) {
    let (dir, file) = match name.rfind(['/', '\\']) {
        Some(i) => (&name[..i], &name[i + 1..]),
        None => ("", name),
    };
    match file.rfind('.') {
        Some(i) if i > 0 => (dir, &file[..i], &file[i + 1..]),
        _ => (dir, file, ""),
    }
}

/// A key two page files of one document share, and the page number.
fn page_key(name: &str, pattern: &Option<Regex>) -> Option<(String, u64)> {
    let (dir, stem, ext) = parts(name);
    let caps = pattern.as_ref()?.captures(stem)?;
    let n = caps.name("n")?.as_str().parse().ok()?;
    let base = caps.name("base")?.as_str().to_lowercase();
    Some((format!("{dir}\u{0}{base}\u{0}{}", ext.to_lowercase()), n))
}

/// The document a page-marked file belongs to (its folder, name without
/// the page marker, and extension), and its page number; None for a file
/// without a page marker.
pub fn document_of(name: &str) -> Option<(String, u64)> {
    page_key(name, &PAGE_MARKED)
}

/// The documents `names` (paths or bare file names) hold, in the order of
/// their first file. Files marked with page numbers under the same name,
/// folder and extension are one document; with `sequences`, so is each run
/// of consecutive numbers after a scanner's generic name.
pub fn propose(names: &[&str], sequences: bool) -> Vec<ProposedDocument> {
    let mut taken = vec![false; names.len()];
    let mut documents: Vec<ProposedDocument> = Vec::new();
    let mut grouped = |pattern: &Option<Regex>, grouping: Grouping, runs: bool| {
        let mut by_key: BTreeMap<String, Vec<(u64, usize)>> = BTreeMap::new();
        for (i, name) in names.iter().enumerate() {
            if taken[i] {
                continue;
            }
            if let Some((key, n)) = page_key(name, pattern) {
                by_key.entry(key).or_default().push((n, i));
            }
        }
        for (_, mut pages) in by_key {
            pages.sort();
            // Two files claiming one page (`BA_p1`, `BA_p01`): which is the
            // document is not for a name to say.
            if pages.windows(2).any(|w| w[0].0 == w[1].0) {
                continue;
            }
            let mut split: Vec<Vec<(u64, usize)>> = Vec::new();
            for page in pages {
                match split.last_mut() {
                    Some(run) if !runs || run.last().is_some_and(|(n, _)| n + 1 == page.0) => {
                        run.push(page)
                    }
                    _ => split.push(vec![page]),
                }
            }
            for run in split.into_iter().filter(|r| r.len() > 1) {
                for (_, i) in &run {
                    taken[*i] = true;
                }
                documents.push(ProposedDocument {
                    files: run.into_iter().map(|(_, i)| i).collect(),
                    grouping,
                });
            }
        }
    };
    grouped(&PAGE_MARKED, Grouping::PageNumbers, false);
    if sequences {
        grouped(&SEQUENCE, Grouping::Sequence, true);
    }
    for (i, taken) in taken.iter().enumerate() {
        if !taken {
            documents.push(ProposedDocument {
                files: vec![i],
                grouping: Grouping::Alone,
            });
        }
    }
    documents.sort_by_key(|d| d.files.iter().min().copied());
    documents
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(names: &[&str], sequences: bool) -> Vec<(Vec<&'static str>, Grouping)> {
        propose(names, sequences)
            .into_iter()
            .map(|d| {
                let files = d
                    .files
                    .iter()
                    .map(|i| &*Box::leak(names[*i].to_string().into_boxed_str()))
                    .collect();
                (files, d.grouping)
            })
            .collect()
    }

    #[test]
    fn page_marked_files_are_one_document_in_page_order() {
        let names = [
            "BA_TPS014_p2.jpg",
            "BA_TPS014_p1.jpg",
            "BA_TPS014_p10.jpg",
            "SK 417 hal 1.tif",
            "SK 417 hal 2.tif",
            "undangan.pdf",
        ];
        assert_eq!(
            groups(&names, false),
            vec![
                (
                    vec!["BA_TPS014_p1.jpg", "BA_TPS014_p2.jpg", "BA_TPS014_p10.jpg"],
                    Grouping::PageNumbers
                ),
                (
                    vec!["SK 417 hal 1.tif", "SK 417 hal 2.tif"],
                    Grouping::PageNumbers
                ),
                (vec!["undangan.pdf"], Grouping::Alone),
            ]
        );
    }

    #[test]
    fn names_that_only_look_alike_stay_apart() {
        // Other folders, other extensions, numbered decrees, one page alone,
        // a word ending in p before a number, two files claiming one page.
        let names = [
            "Laporan Tahap 1.pdf",
            "Laporan Tahap 2.pdf",
            "Rekap 1.pdf",
            "Rekap 2.pdf",
            "SK_p1.jpg",
            "SK_p01.jpg",
            "SK_p2.jpg",
            "a/BA_p1.jpg",
            "b/BA_p2.jpg",
            "SK-1.pdf",
            "SK-2.pdf",
            "BA_TPS014.jpg",
            "BA_TPS015.jpg",
            "laporan_p1.pdf",
            "laporan_p2.jpg",
            "foto_p1.jpg",
        ];
        assert!(groups(&names, true)
            .iter()
            .all(|(files, g)| files.len() == 1 && *g == Grouping::Alone));
    }

    #[test]
    fn sequences_are_proposed_only_when_asked_and_break_at_a_gap() {
        let names = [
            "scan0001.jpg",
            "scan0002.jpg",
            "scan0003.jpg",
            "scan0005.jpg",
            "scan0006.jpg",
            "IMG_20240214_0007.jpg",
        ];
        assert!(groups(&names, false).iter().all(|(f, _)| f.len() == 1));
        assert_eq!(
            groups(&names, true),
            vec![
                (
                    vec!["scan0001.jpg", "scan0002.jpg", "scan0003.jpg"],
                    Grouping::Sequence
                ),
                (vec!["scan0005.jpg", "scan0006.jpg"], Grouping::Sequence),
                (vec!["IMG_20240214_0007.jpg"], Grouping::Alone),
            ]
        );
    }
}
