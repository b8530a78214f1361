//! Election forms beside bare tesseract on the same files: bilevel (CCITT
//! Group 4) TIFF scans, and voter lists printed in ruled tables.

use arsip_core::corpus::{self, CorpusOptions, DocKind, Format, Truth};
use arsip_core::{Archive, IngestOptions};
use std::path::Path;
use std::process::Command;

/// Bare `tesseract FILE stdout -l ind`: every page of the file.
fn bare_tesseract(file: &Path) -> String {
    let out = Command::new("tesseract")
        .arg(file)
        .args(["stdout", "-l", "ind"])
        .env("OMP_THREAD_LIMIT", "1")
        .output()
        .expect("tesseract runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).replace('\u{c}', "\n")
}

fn ingest(dir: &Path, truths: &[Truth]) -> (tempfile::TempDir, Archive, Vec<String>) {
    let root = tempfile::tempdir().expect("tempdir");
    let archive = Archive::init(&root.path().join("a"), "KPU Kota Bogor", "32.71").expect("init");
    let (reports, summary) = archive
        .ingest(
            &corpus::paths(dir, truths),
            &IngestOptions::default(),
            &(),
            &crate::admin(),
        )
        .expect("ingest");
    assert_eq!(summary.failed, 0, "{reports:#?}");
    let texts = truths
        .iter()
        .map(|t| {
            let path = dir.join(&t.file).display().to_string();
            let id = reports
                .iter()
                .find(|r| r.path == path)
                .and_then(|r| r.id)
                .expect("ingested");
            let view = archive.record(&id, &crate::admin()).expect("record");
            view.pages
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    (root, archive, texts)
}

/// A bilevel scan reads as well as bare tesseract reads the same file (it
/// once read 28% of characters wrong where tesseract read 8%).
#[test]
fn bilevel_tiffs_read_as_well_as_bare_tesseract() {
    let dir = tempfile::tempdir().expect("tempdir");
    let truths = corpus::generate(
        dir.path(),
        &CorpusOptions {
            records: 2,
            seed: 31,
            dpi: 300,
            turn_every: 0,
            formats: vec![Format::BilevelTiff],
            kinds: Vec::new(),
        },
    )
    .expect("corpus (tiffcp from libtiff-tools)");
    // The second file marked BlackIsZero (scanners write both): tesseract
    // reads it as text on paper, and so must we.
    let status = Command::new("tiffset")
        .args(["-s", "262", "1"])
        .arg(dir.path().join(&truths[1].file))
        .status()
        .expect("tiffset (libtiff-tools)");
    assert!(status.success());
    let (_root, _archive, ours) = ingest(dir.path(), &truths);
    for (t, text) in truths.iter().zip(&ours) {
        let truth = t.pages.join("\n");
        let bare = bare_tesseract(&dir.path().join(&t.file));
        let (our_cer, bare_cer) = (
            corpus::character_error_rate(&truth, text),
            corpus::character_error_rate(&truth, &bare),
        );
        assert!(
            our_cer <= bare_cer + 0.01,
            "{}: ours {our_cer:.3}, bare tesseract {bare_cer:.3}\n{text}",
            t.file
        );
    }
}

/// A ruled voter list read in row order: each row's characters where the
/// printed row has them. Bare tesseract reads the same pages column by column.
#[test]
fn ruled_voter_lists_read_in_row_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lists = corpus::generate(
        dir.path(),
        &CorpusOptions {
            records: 3,
            seed: 41,
            dpi: 300,
            turn_every: 0,
            formats: vec![Format::BilevelTiff, Format::ScanPdf, Format::Tiff],
            kinds: vec![DocKind::DaftarPemilih],
        },
    )
    .expect("corpus");
    assert_eq!(lists.len(), 3);
    let (_root, _archive, ours) = ingest(dir.path(), &lists);
    for (t, text) in lists.iter().zip(&ours) {
        let truth = &t.pages[0];
        let cer = corpus::character_error_rate(truth, text);
        assert!(
            cer < 0.05,
            "{} ({:?}): row-order CER {cer:.3}\n{text}",
            t.file,
            t.format
        );
    }
}
