//! Sync on real parts: offices and a province as real archives (SQLite,
//! tantivy, blobs), pushing to and pulling from a real S3-compatible server
//! (`s3s-fs`, started on loopback by the fixture; `bash scripts/setup.sh
//! --test` installs it) and to folders standing in for a flash drive.

// Fixture helpers outside #[test] functions may fail loudly: a failed setup is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod berkas;
mod destruction;
mod overwrite;
mod s3;
mod tamper;
mod two_offices;

use arsip_core::corpus::{self, CorpusOptions, Format};
use arsip_core::sync::store::Store;
use arsip_core::sync::PushOptions;
use arsip_core::{Archive, Clearance, IngestOptions, RecordId, SearchRequest};
use arsip_remote::Remote;
use std::path::Path;

pub fn admin() -> Clearance {
    Clearance::operator("uji")
}

/// An office archive holding `records` born-digital records (text PDFs:
/// no OCR, so the fixture is quick), generated from `seed`.
pub fn office(root: &Path, name: &str, region: &str, records: usize, seed: u64) -> Archive {
    let archive = Archive::init(root, name, region).unwrap();
    let input = root.with_extension("input");
    let truths = corpus::generate(
        &input,
        &CorpusOptions {
            records,
            seed,
            dpi: 100,
            turn_every: 0,
            formats: vec![Format::TextPdf],
            kinds: Vec::new(),
        },
    )
    .unwrap();
    let paths = corpus::paths(&input, &truths);
    let opts = IngestOptions {
        access: Some(arsip_core::AccessLevel::Terbuka),
        ..IngestOptions::default()
    };
    let (reports, _) = archive.ingest(&paths, &opts, &(), &admin()).unwrap();
    assert!(reports.iter().all(|r| r.error.is_none()), "{reports:?}");
    archive
}

pub fn province(root: &Path, offices: &[&Archive]) -> Archive {
    let p = Archive::init_province(root, "KPU Provinsi Jawa Barat", "32").unwrap();
    for o in offices {
        let name = o.office_name().unwrap();
        p.register_office(&name, &o.office_key().unwrap().to_hex(), &admin())
            .unwrap();
    }
    p
}

pub fn push(office: &Archive, store: &Remote) -> arsip_core::sync::PushReport {
    office
        .sync_push(store, &PushOptions::default(), &|_| {}, &admin())
        .unwrap()
}

pub fn folder(path: &Path) -> Remote {
    Remote::open(&format!("file://{}", path.display())).unwrap()
}

/// Ids of the live records a search for everything finds, as the admin.
pub fn all_ids(archive: &Archive) -> Vec<String> {
    ids(archive, SearchRequest::new(String::new()))
}

/// Ids of what a search finds, as the admin, sorted.
pub fn ids(archive: &Archive, mut req: SearchRequest) -> Vec<String> {
    req.limit = 1000;
    let mut ids: Vec<String> = archive
        .search(&req, &admin())
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    ids.sort();
    ids
}

/// The archive's live records, as ids.
pub fn record_ids(archive: &Archive) -> Vec<RecordId> {
    all_ids(archive)
        .iter()
        .map(|i| RecordId::parse(i).unwrap())
        .collect()
}

/// The office whose key is `key`, rebuilt from `store` into `into`.
pub fn rebuild(
    store: &dyn Store,
    key: &arsip_core::sync::PublicKey,
    into: &Path,
) -> (Archive, arsip_core::sync::RecoverReport) {
    Archive::recover_office(store, key, into, Some("32.71"), "uji").unwrap()
}
