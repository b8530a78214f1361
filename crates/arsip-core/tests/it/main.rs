//! Integration tests of arsip-core on real parts: generated scans OCR'd by the real
//! tesseract, real SQLite files and a real tantivy index.

// Fixture helpers outside #[test] functions may fail loudly too: a failed setup is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod backup;
mod compat;
mod corpus_archive;
mod disposal;
mod forms;
mod hostile;
mod invariants;
mod page_files;
mod print;
mod privacy;
mod recap;
mod retention;
mod review;
mod search;
mod separators;
mod stemmer;
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
    archive
        .set_user(
            "arsip1",
            arsip_core::Role::Arsiparis,
            "kata-sandi-uji",
            "uji",
        )
        .expect("user");
    let session = archive
        .login("arsip1", "kata-sandi-uji", "uji")
        .expect("login");
    archive.clearance(&session.token).expect("clearance")
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
