//! Ingest speed and OCR quality beside the bare tools, measured in the same run on
//! the same files and cores:
//! - scanned pages (300 dpi JPEG, generated and degraded like real scans): our
//!   ingest vs bare `tesseract -l ind`, one process per core, in pages/s and in
//!   character error rate against the ground truth, upright and turned;
//! - voter lists printed in ruled tables (scanned JPEG): the same figures,
//!   the character error rate in row order (a row's number, NIK, name and
//!   sex together), and the share of NIKs that find their list: by our
//!   search, and as a token of bare tesseract's text;
//! - result forms (C.Hasil, ruled, scanned JPEG): the same figures (each
//!   count is read twice more on a strip, so a form costs more than a
//!   page), and the share of the table's cells read right and sent to a
//!   person;
//! - born-digital text PDFs: our ingest vs bare `pdftotext`, in pages/s;
//! - peak memory (RSS) of this process while ingesting RECORDS text PDFs
//!   (tesseract and poppler run as child processes and are not counted).
//!
//!     cargo bench -p arsip-core --bench ingest [-- SCANS TURNED PDFS RECORDS TABLES FORMS]
//!
//! Defaults: 24 scans, 8 turned scans, 200 text PDFs, 10000 records, 12
//! tables, 12 forms.

use arsip_core::corpus::{self, CorpusOptions, DocKind, Format, Truth};
use arsip_core::ingest::{FileReport, IngestOptions};
use arsip_core::{Archive, Clearance};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

mod common;

use common::{number_args, peak_rss_mb, BenchResult};

fn main() -> BenchResult<()> {
    let args: Vec<usize> = number_args();
    let arg = |i: usize, default: usize| args.get(i).copied().unwrap_or(default);
    let (scans, turned, pdfs, records, tables, forms) = (
        arg(0, 24),
        arg(1, 8),
        arg(2, 200),
        arg(3, 10_000),
        arg(4, 12),
        arg(5, 12),
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let work = tempfile::tempdir()?;
    println!("ingest bench on {cores} cores (one tesseract/pdftotext process per core for the baselines)");

    let upright = corpus_of(work.path(), "upright", scans, Format::Jpeg, 0)?;
    let tess = bare_tesseract(&upright, cores)?;
    let ours = our_ingest(work.path(), "upright", &upright)?;
    println!("\n== {scans} upright scans, 300 dpi ==");
    println!(
        "{:<34} {:>8} {:>10} {:>10}",
        "", "pages/s", "median CER", "mean CER"
    );
    print_ocr("bare tesseract -l ind", &tess);
    print_ocr("arsip ingest", &ours);
    println!(
        "ratio arsip/tesseract pages/s: {:.2} (target ≥ 0.8)",
        ours.pages_per_s / tess.pages_per_s
    );

    let turned_set = corpus_of(work.path(), "turned", turned, Format::Jpeg, 1)?;
    let tess = bare_tesseract(&turned_set, cores)?;
    let ours = our_ingest(work.path(), "turned", &turned_set)?;
    println!("\n== {turned} scans turned 90°, 180° or 270° ==");
    print_ocr("bare tesseract -l ind", &tess);
    print_ocr("arsip ingest", &ours);

    let lists = corpus_of_kind(work.path(), "tables", tables, DocKind::DaftarPemilih)?;
    let tess = bare_tesseract(&lists, cores)?;
    let ours = our_ingest(work.path(), "tables", &lists)?;
    println!("\n== {tables} voter lists in ruled tables, 300 dpi, CER in row order ==");
    print_ocr("bare tesseract -l ind", &tess);
    print_ocr("arsip ingest", &ours);
    println!(
        "ratio arsip/tesseract pages/s: {:.2} (target ≥ 0.7)",
        ours.pages_per_s / tess.pages_per_s
    );
    let (found, as_token, niks) = nik_recall(work.path(), &lists)?;
    println!(
        "NIKs that find their list: arsip search {found}/{niks} ({:.1}%), a token of bare tesseract's text {as_token}/{niks} ({:.1}%) (target ≥ 99%)",
        found as f64 * 100.0 / niks.max(1) as f64,
        as_token as f64 * 100.0 / niks.max(1) as f64
    );

    let sheets = corpus_of_kind(work.path(), "forms", forms, DocKind::FormulirHasil)?;
    let tess = bare_tesseract(&sheets, cores)?;
    let ours = our_ingest(work.path(), "forms", &sheets)?;
    println!("\n== {forms} result forms (C.Hasil) in ruled tables, 300 dpi ==");
    print_ocr("bare tesseract -l ind", &tess);
    print_ocr("arsip ingest", &ours);
    println!(
        "ratio arsip/tesseract pages/s: {:.2} (each count read twice more)",
        ours.pages_per_s / tess.pages_per_s
    );
    let (right, unsure, cells) = recap_cells(work.path(), &sheets)?;
    println!(
        "table cells read right: {right}/{cells} ({:.1}%, target ≥ 98%); sent to a person: {unsure} ({:.1}%)",
        right as f64 * 100.0 / cells.max(1) as f64,
        unsure as f64 * 100.0 / cells.max(1) as f64
    );

    let texts = corpus_of(work.path(), "textpdf", pdfs, Format::TextPdf, 0)?;
    let poppler = bare_pdftotext(&texts, cores)?;
    let ours = our_ingest(work.path(), "textpdf", &texts)?;
    println!("\n== {pdfs} born-digital text PDFs ==");
    print_ocr("bare pdftotext", &poppler);
    print_ocr("arsip ingest", &ours);
    println!(
        "ratio arsip/pdftotext pages/s: {:.2} (target ≥ 0.5)",
        ours.pages_per_s / poppler.pages_per_s
    );

    let before = peak_rss_mb();
    let many = corpus_of(work.path(), "many", records, Format::TextPdf, 0)?;
    let ours = our_ingest(work.path(), "many", &many)?;
    println!("\n== {records} text PDFs into one archive ==");
    print_ocr("arsip ingest", &ours);
    println!(
        "peak RSS of this process: {} MB (before this batch: {before} MB; target ≤ 500)",
        peak_rss_mb()
    );
    Ok(())
}

struct Corpus {
    dir: PathBuf,
    truths: Vec<Truth>,
}

fn corpus_of(
    root: &Path,
    name: &str,
    records: usize,
    format: Format,
    turn_every: usize,
) -> BenchResult<Corpus> {
    let dir = root.join(name);
    let truths = corpus::generate(
        &dir,
        &CorpusOptions {
            records,
            seed: records as u64 + turn_every as u64,
            dpi: 300,
            turn_every,
            formats: vec![format],
            kinds: Vec::new(),
        },
    )?;
    std::fs::remove_file(dir.join("truth.json"))?;
    Ok(Corpus { dir, truths })
}

/// Scanned JPEGs of one kind of record.
fn corpus_of_kind(root: &Path, name: &str, records: usize, kind: DocKind) -> BenchResult<Corpus> {
    let dir = root.join(name);
    let truths = corpus::generate(
        &dir,
        &CorpusOptions {
            records,
            seed: 77,
            dpi: 300,
            turn_every: 0,
            formats: vec![Format::Jpeg],
            kinds: vec![kind],
        },
    )?;
    std::fs::remove_file(dir.join("truth.json"))?;
    Ok(Corpus { dir, truths })
}

/// Of the NIKs printed in `lists` (ingested by `our_ingest` under `name`):
/// how many find their list by our search, how many bare tesseract read as
/// a token, and how many there are.
fn nik_recall(root: &Path, lists: &Corpus) -> BenchResult<(usize, usize, usize)> {
    let archive = Archive::open(&root.join("archive-tables"))?;
    let admin = Clearance::operator("bench");
    let (mut found, mut as_token, mut niks) = (0, 0, 0);
    for t in &lists.truths {
        let file = lists.dir.join(&t.file);
        let bare = Command::new("tesseract")
            .env("OMP_THREAD_LIMIT", "1")
            .arg(&file)
            .args(["-", "-l", "ind"])
            .output()?;
        let bare = String::from_utf8_lossy(&bare.stdout);
        for nik in t.pages[0]
            .split_whitespace()
            .filter(|w| w.len() == 16 && w.chars().all(|c| c.is_ascii_digit()))
        {
            niks += 1;
            as_token += usize::from(bare.split(|c: char| !c.is_ascii_digit()).any(|w| w == nik));
            let out = archive.search(&arsip_core::SearchRequest::new(nik), &admin)?;
            found += usize::from(out.hits.iter().any(|h| {
                arsip_core::RecordId::parse(&h.id)
                    .and_then(|id| archive.record(&id, &admin))
                    .is_ok_and(|v| v.files.first().is_some_and(|f| f.name == t.file))
            }));
        }
    }
    Ok((found, as_token, niks))
}

/// Of the cells of the result tables in `forms` (ingested by `our_ingest`
/// under "forms"): how many were read right, how many were sent to a
/// person, and how many there are (each party's count, valid, invalid,
/// total).
fn recap_cells(root: &Path, forms: &Corpus) -> BenchResult<(usize, usize, usize)> {
    use arsip_core::recap::RowKind;
    let archive = Archive::open(&root.join("archive-forms"))?;
    let admin = Clearance::operator("bench");
    let (mut right, mut unsure, mut cells) = (0, 0, 0);
    for record in archive.list(&admin)? {
        let view = archive.record(&record.id, &admin)?;
        let Some(t) = forms
            .truths
            .iter()
            .find(|t| view.files.first().is_some_and(|f| f.name == t.file))
        else {
            continue;
        };
        let Some(truth) = &t.results else { continue };
        let rows = archive
            .recap(&record.id, &admin)
            .map(|t| t.rows)
            .unwrap_or_default();
        let votes = rows.iter().filter(|r| r.kind == RowKind::Votes);
        let first = |kind: RowKind| rows.iter().find(|r| r.kind == kind);
        let mut pairs: Vec<(u64, Option<&arsip_core::catalogue::recap::RecapRow>)> = truth
            .votes
            .iter()
            .map(|(_, v)| *v)
            .zip(votes.map(Some).chain(std::iter::repeat(None)))
            .collect();
        pairs.push((truth.valid, first(RowKind::Valid)));
        pairs.push((truth.invalid, first(RowKind::Invalid)));
        pairs.push((truth.total, first(RowKind::Total)));
        for (value, row) in pairs {
            cells += 1;
            right += usize::from(row.is_some_and(|r| r.read == Some(value)));
            unsure += usize::from(row.is_some_and(|r| r.unsure));
        }
    }
    Ok((right, unsure, cells))
}

struct Reading {
    pages_per_s: f64,
    cers: Vec<f64>,
}

fn print_ocr(name: &str, r: &Reading) {
    let mut cers = r.cers.clone();
    cers.sort_by(f64::total_cmp);
    let median = cers.get(cers.len() / 2).copied().unwrap_or(f64::NAN);
    let mean = cers.iter().sum::<f64>() / cers.len().max(1) as f64;
    println!(
        "{name:<34} {:>8.2} {:>9.1}% {:>9.1}%",
        r.pages_per_s,
        median * 100.0,
        mean * 100.0
    );
}

/// Runs `tool` on every file, one process per core; returns the pages' texts per file.
fn per_file_in_parallel(
    corpus: &Corpus,
    cores: usize,
    tool: impl Fn(&Path) -> BenchResult<Vec<String>> + Sync,
) -> BenchResult<(Vec<Vec<String>>, f64)> {
    let next = AtomicUsize::new(0);
    let out = Mutex::new(vec![Vec::new(); corpus.truths.len()]);
    let failed = Mutex::new(None);
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..cores {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(t) = corpus.truths.get(i) else { break };
                match tool(&corpus.dir.join(&t.file)) {
                    Ok(pages) => {
                        if let Ok(mut o) = out.lock() {
                            o[i] = pages;
                        }
                    }
                    Err(e) => {
                        if let Ok(mut f) = failed.lock() {
                            *f = Some(e.to_string());
                        }
                    }
                }
            });
        }
    });
    if let Some(e) = failed.into_inner().map_err(|_| "poisoned")? {
        return Err(e.into());
    }
    Ok((
        out.into_inner().map_err(|_| "poisoned")?,
        started.elapsed().as_secs_f64(),
    ))
}

fn reading(corpus: &Corpus, texts: &[Vec<String>], secs: f64) -> Reading {
    let mut cers = Vec::new();
    let mut pages = 0;
    for (truth, read) in corpus.truths.iter().zip(texts) {
        pages += read.len();
        for (i, t) in truth.pages.iter().enumerate() {
            let r = read.get(i).map(String::as_str).unwrap_or("");
            cers.push(corpus::character_error_rate(t, r));
        }
    }
    Reading {
        pages_per_s: pages as f64 / secs,
        cers,
    }
}

fn bare_tesseract(corpus: &Corpus, cores: usize) -> BenchResult<Reading> {
    let (texts, secs) = per_file_in_parallel(corpus, cores, |path| {
        let out = Command::new("tesseract")
            .env("OMP_THREAD_LIMIT", "1")
            .arg(path)
            .args(["-", "-l", "ind"])
            .output()?;
        if !out.status.success() {
            return Err(format!("tesseract failed on {}", path.display()).into());
        }
        Ok(vec![String::from_utf8_lossy(&out.stdout).into_owned()])
    })?;
    Ok(reading(corpus, &texts, secs))
}

fn bare_pdftotext(corpus: &Corpus, cores: usize) -> BenchResult<Reading> {
    let (texts, secs) = per_file_in_parallel(corpus, cores, |path| {
        let out = Command::new("pdftotext")
            .args(["-layout", "-enc", "UTF-8"])
            .arg(path)
            .arg("-")
            .output()?;
        if !out.status.success() {
            return Err(format!("pdftotext failed on {}", path.display()).into());
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
        if pages.last().is_some_and(|p| p.trim().is_empty()) {
            pages.pop();
        }
        Ok(pages)
    })?;
    Ok(reading(corpus, &texts, secs))
}

fn our_ingest(root: &Path, name: &str, corpus: &Corpus) -> BenchResult<Reading> {
    let archive = Archive::init(&root.join(format!("archive-{name}")), "Bench", "32.71")?;
    let started = Instant::now();
    let (reports, summary) = archive.ingest(
        std::slice::from_ref(&corpus.dir),
        &IngestOptions::default(),
        &(),
        &Clearance::operator("bench"),
    )?;
    let secs = started.elapsed().as_secs_f64();
    if summary.failed > 0 {
        return Err(format!("{} files failed", summary.failed).into());
    }
    let admin = Clearance::operator("bench");
    let position: std::collections::HashMap<PathBuf, usize> = corpus
        .truths
        .iter()
        .enumerate()
        .map(|(i, t)| (corpus.dir.join(&t.file), i))
        .collect();
    let mut texts = vec![Vec::new(); corpus.truths.len()];
    for FileReport { path, id, .. } in &reports {
        let (Some(id), Some(&i)) = (id, position.get(Path::new(path))) else {
            continue;
        };
        texts[i] = archive
            .record(id, &admin)?
            .pages
            .into_iter()
            .map(|p| p.text)
            .collect();
    }
    Ok(reading(corpus, &texts, secs))
}
