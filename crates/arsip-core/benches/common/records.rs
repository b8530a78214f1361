//! Archive-scale catalogues for the benchmarks: the demo corpus's election
//! documents as born-digital text with confirmed metadata, inserted in batches
//! through `test_support::RawCatalogue` (opening the archive then builds the
//! index from the change sequence, as a real catch-up would), and queries as
//! people type them. Shared by arsip-core's search bench and arsip-api's HTTP
//! bench.

use super::BenchResult;
use arsip_core::catalogue::{NewFile, NewPage, NewRecord, RecordEdit};
use arsip_core::corpus::text::{self, DocKind};
use arsip_core::model::{StoredFile, Suggestions, TextSource};
use arsip_core::test_support::RawCatalogue;
use arsip_core::{AccessLevel, Archive, ContentHash, RecordId};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use std::path::Path;
use std::time::{Duration, Instant};

const BATCH: usize = 2_000;
const REGIONS: &str = include_str!("../../../../assets/vocab/regions-32-jawa-barat.csv");

/// Writes `n` records into a new archive at `root`, handing each batch to
/// `each_batch` too; returns a sample of the records' text to draw queries from.
pub fn build(
    root: &Path,
    n: usize,
    each_batch: impl FnMut(&[NewRecord]) -> BenchResult<()>,
) -> BenchResult<Vec<String>> {
    build_with(
        root,
        n,
        |root| Archive::init(root, "KPU Kota Bogor (bench)", "32.71"),
        each_batch,
    )
}

/// As `build`, into the archive `init` makes (a province's, say).
pub fn build_with(
    root: &Path,
    n: usize,
    init: impl FnOnce(&Path) -> arsip_core::Result<Archive>,
    mut each_batch: impl FnMut(&[NewRecord]) -> BenchResult<()>,
) -> BenchResult<Vec<String>> {
    if root.exists() {
        std::fs::remove_dir_all(root)?;
    }
    drop(init(root)?);
    let mut catalogue = RawCatalogue::open(root)?;
    let regions: Vec<&str> = REGIONS
        .lines()
        .filter_map(|l| l.split(',').next().filter(|c| c.matches('.').count() == 3))
        .collect();
    let mut rng = StdRng::seed_from_u64(n as u64);
    let mut samples = Vec::new();
    let mut catalogue_time = Duration::ZERO;
    for start in (0..n).step_by(BATCH) {
        let batch: Vec<NewRecord> = (start..n.min(start + BATCH))
            .map(|i| new_record(i, &regions, &mut rng))
            .collect();
        for r in batch.iter().step_by(50) {
            samples.push(r.files[0].pages.iter().map(|p| p.text.as_str()).collect());
        }
        let t = Instant::now();
        catalogue.insert_records(&batch)?;
        catalogue_time += t.elapsed();
        each_batch(&batch)?;
    }
    println!(
        "catalogue inserts: {:.1} s ({:.0} records/s)",
        catalogue_time.as_secs_f64(),
        n as f64 / catalogue_time.as_secs_f64()
    );
    std::fs::write(root.join("samples.json"), serde_json::to_vec(&samples)?)?;
    std::fs::write(root.join("ready"), n.to_string())?;
    Ok(samples)
}

pub fn read_samples(root: &Path) -> BenchResult<Vec<String>> {
    Ok(serde_json::from_slice(&std::fs::read(
        root.join("samples.json"),
    )?)?)
}

pub fn new_record(i: usize, regions: &[&str], rng: &mut StdRng) -> NewRecord {
    let kind = DocKind::ALL[i % DocKind::ALL.len()];
    let w = text::write(kind, rng);
    let pages: Vec<String> = w.pages.iter().map(|p| p.join("\n")).collect();
    let bytes: usize = pages.iter().map(String::len).sum();
    let access = match i % 10 {
        0..=5 => AccessLevel::Terbuka,
        6..=8 => AccessLevel::Terbatas,
        _ => AccessLevel::Rahasia,
    };
    NewRecord {
        id: RecordId::new(),
        title: w.title.clone(),
        access,
        series: Some(format!("{} — {}", w.election, kind.doc_type())),
        files: vec![NewFile {
            file: StoredFile {
                name: format!("{i:06}-{}.pdf", kind.doc_type()),
                sha256: ContentHash::of(format!("{i}\n{}", pages.concat()).as_bytes()),
                media_type: "application/pdf".into(),
                size: bytes as u64,
            },
            original_path: format!("bench/{i:06}.pdf"),
            pages: pages
                .into_iter()
                .map(|text| NewPage {
                    text,
                    source: TextSource::Pdf,
                    confidence: None,
                    rotation: 0,
                    words: Vec::new(),
                    thumbnail: None,
                })
                .collect(),
        }],
        suggestions: Suggestions::default(),
        metadata: RecordEdit {
            doc_type: Some(kind.doc_type().into()),
            election: Some(w.election.clone()),
            doc_date: Some(format!(
                "{}-{:02}-{:02}",
                w.year,
                rng.random_range(1..=12),
                rng.random_range(1..=28)
            )),
            region: regions.choose(rng).map(|r| r.to_string()),
            ..RecordEdit::default()
        },
        actor: "bench".into(),
    }
}

/// Queries as people type them: one to three words from a record's text,
/// lowercased; every fifth with a typo in a long word; a few abbreviations.
pub fn make_queries(samples: &[String], count: usize) -> Vec<String> {
    let mut rng = StdRng::seed_from_u64(7);
    let mut out = vec![
        "dpt".to_string(),
        "ba rekapitulasi".into(),
        "sk penetapan".into(),
        "tps 5".into(),
        "berita acara pemungutan suara".into(),
    ];
    while out.len() < count {
        let Some(text) = samples.choose(&mut rng) else {
            break;
        };
        let words: Vec<String> = text
            .split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .filter(|w| w.chars().count() >= 4 && w.chars().all(char::is_alphabetic))
            .collect();
        if words.len() < 3 {
            continue;
        }
        let len = rng.random_range(1..=3);
        let at = rng.random_range(0..words.len() - len);
        let mut q: Vec<String> = words[at..at + len].to_vec();
        if out.len() % 5 == 0 {
            if let Some(w) = q.iter_mut().find(|w| w.len() >= 7) {
                let mut chars: Vec<char> = w.chars().collect();
                chars.swap(2, 3);
                *w = chars.into_iter().collect();
            }
        }
        out.push(q.join(" "));
    }
    out
}
