//! Integration tests of arsip-core on real parts: generated scans OCR'd by the real
//! tesseract, real SQLite files and a real tantivy index.

// Fixture helpers outside #[test] functions may fail loudly too: a failed setup is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod backup;
mod compat;
mod corpus_archive;
mod digitisation;
mod disposal;
mod forms;
mod hostile;
mod invariants;
mod page_files;
mod print;
mod privacy;
#[path = "../../../arsip-cli/tests/it/pytools.rs"]
mod pytools;
mod recap;
mod retention;
mod review;
mod search;
mod search_counts;
mod separators;
mod stemmer;
mod storage;
mod trash;
mod versions;
mod viewer;
mod watch;

use arsip_core::Clearance;

pub fn admin() -> Clearance {
    Clearance::operator("test")
}

pub fn publik() -> Clearance {
    Clearance::public()
}

/// An archivist's clearance on `archive`, as their login gives it.
pub fn arsiparis(archive: &arsip_core::Archive) -> Clearance {
    logged_in(archive, "arsip1", arsip_core::Role::Arsiparis)
}

/// The clearance a user `name` of `role` gets by logging in.
pub fn logged_in(archive: &arsip_core::Archive, name: &str, role: arsip_core::Role) -> Clearance {
    archive
        .set_user(name, role, "kata-sandi-uji", "uji")
        .expect("user");
    let session = archive.login(name, "kata-sandi-uji", "uji").expect("login");
    archive.clearance(&session.token).expect("clearance")
}

/// The error code of a call that must be refused.
pub fn refused<T: std::fmt::Debug>(r: arsip_core::Result<T>) -> arsip_core::ErrorCode {
    r.expect_err("refused").code
}

/// A new office archive (KPU Kota Bogor) holding one text PDF of each
/// kind, as an admin ingested them: the archive, its records in order,
/// and what each says.
pub fn ingested(
    kinds: Vec<arsip_core::corpus::DocKind>,
    seed: u64,
) -> (
    tempfile::TempDir,
    arsip_core::Archive,
    Vec<arsip_core::RecordId>,
    Vec<arsip_core::corpus::Truth>,
) {
    use arsip_core::corpus::{self, CorpusOptions, Format};
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    let truths = corpus::generate(
        &input,
        &CorpusOptions {
            records: kinds.len(),
            seed,
            dpi: 100,
            turn_every: 0,
            formats: vec![Format::TextPdf],
            kinds,
        },
    )
    .expect("corpus");
    let archive = arsip_core::Archive::init(&dir.path().join("arsip"), "KPU Kota Bogor", "32.71")
        .expect("init");
    let (reports, _) = archive
        .ingest(
            &corpus::paths(&input, &truths),
            &arsip_core::IngestOptions::default(),
            &(),
            &admin(),
        )
        .expect("ingest");
    let ids = reports.iter().map(|r| r.id.expect("id")).collect();
    (dir, archive, ids, truths)
}

/// A folder of generated documents read into a new office archive (KPU
/// Kota Bogor) as one batch by an admin, as a scanner's output folder is.
pub struct Scanned {
    pub dir: tempfile::TempDir,
    pub archive: arsip_core::Archive,
    /// The folder the documents were generated into.
    pub input: std::path::PathBuf,
    pub truths: Vec<arsip_core::corpus::Truth>,
    pub reports: Vec<arsip_core::FileReport>,
    pub summary: arsip_core::IngestSummary,
}

/// The documents `options` describe, generated into a folder named
/// `folder` and ingested whole.
pub fn scanned(folder: &str, options: &arsip_core::corpus::CorpusOptions) -> Scanned {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join(folder);
    let truths = arsip_core::corpus::generate(&input, options).expect("corpus");
    let archive = arsip_core::Archive::init(&dir.path().join("arsip"), "KPU Kota Bogor", "32.71")
        .expect("init");
    let (reports, summary) = archive
        .ingest(
            std::slice::from_ref(&input),
            &arsip_core::IngestOptions::default(),
            &(),
            &admin(),
        )
        .expect("ingest");
    Scanned {
        dir,
        archive,
        input,
        truths,
        reports,
        summary,
    }
}

/// The record an ingest made of the file at `path`.
pub fn id_for(reports: &[arsip_core::FileReport], path: &std::path::Path) -> arsip_core::RecordId {
    let path = path.display().to_string();
    reports
        .iter()
        .find(|r| r.path == path)
        .and_then(|r| r.id)
        .unwrap_or_else(|| panic!("{path} was not ingested"))
}
