//! Archives outlive releases. Every archive a released version wrote is kept
//! under `tests/fixtures/archive-VERSION` (made by
//! `scripts/make-compat-fixture.sh`, never replaced), and this version must
//! open it (migrating a copy), find its records, verify its files, index and
//! audit chain, log its user in, remember what it sent, and go on working.

use super::admin;
use arsip_core::catalogue::RecordEdit;
use arsip_core::index::SearchRequest;
use arsip_core::Archive;
use std::path::{Path, PathBuf};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).unwrap();
        }
    }
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("archive-"))
        })
        .collect();
    found.sort();
    found
}

fn titles(archive: &Archive, text: &str) -> Vec<String> {
    let mut req = SearchRequest::new(text);
    req.limit = 50;
    archive
        .search(&req, &admin())
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.title)
        .collect()
}

#[test]
fn every_archive_an_earlier_version_wrote_opens_and_works() {
    let all = fixtures();
    assert!(!all.is_empty(), "no archive fixtures");
    for fixture in all {
        let name = fixture.display().to_string();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("arsip");
        copy_dir(&fixture, &root);
        let archive = Archive::open(&root).unwrap_or_else(|e| panic!("{name}: {e:?}"));

        let records = archive.list(&admin()).unwrap();
        assert_eq!(records.len(), 4, "{name}");
        let found = titles(&archive, "rekapitulasi");
        assert!(
            found.contains(&"Berita Acara Rekapitulasi Hasil Penghitungan Suara".to_string()),
            "{name}: {found:?}"
        );
        // The public still sees only what is open.
        let mut public = SearchRequest::new("undangan rapat");
        public.limit = 50;
        let hits = archive
            .search(&public, &arsip_core::Clearance::public())
            .unwrap();
        assert!(
            hits.hits
                .iter()
                .all(|h| h.title != "Undangan Rapat Koordinasi"),
            "{name}: a restricted record reached the public"
        );

        let report = archive.verify().unwrap();
        assert_eq!(report.problems(), 0, "{name}: {report:?}");
        assert!(report.blobs_checked >= 4, "{name}: {report:?}");
        assert_eq!(
            archive.audit_verify(&admin()).unwrap().first_broken,
            None,
            "{name}"
        );
        assert!(
            archive.login("arsip1", "kata-sandi-fixture", "uji").is_ok(),
            "{name}"
        );
        let status = archive.sync_status(arsip_core::Lang::Id, &admin()).unwrap();
        assert_eq!(status.targets.len(), 1, "{name}");
        assert!(status.targets[0].sent_seq > 0, "{name}");

        // And it goes on working: an edit is saved, indexed and found.
        let id = records[0].id;
        let edit = RecordEdit {
            title: Some("Judul Baru Setelah Pembaruan Versi".into()),
            ..RecordEdit::default()
        };
        archive.edit(&id, &edit, &admin()).unwrap();
        // The retention schedule arrived with the migration, and its
        // records can be filed into berkas.
        let jra = archive.jra(&admin()).unwrap();
        assert!(
            jra.iter()
                .any(|r| r.code == "PL.06" && r.outcome == "permanen"),
            "{name}: {jra:?}"
        );
        let berkas = archive
            .add_berkas(
                &arsip_core::catalogue::berkas::NewBerkas {
                    number: "PL.06/2024/1".into(),
                    title: "Hasil penghitungan suara".into(),
                    classification: Some("PL.06".into()),
                    year_to: Some(2024),
                    ..Default::default()
                },
                &admin(),
            )
            .unwrap();
        let file = RecordEdit {
            berkas: Some(berkas.id.to_string()),
            ..RecordEdit::default()
        };
        archive.edit(&id, &file, &admin()).unwrap();
        assert_eq!(archive.berkas(&berkas.id, &admin()).unwrap().records, 1);
        assert_eq!(
            titles(&archive, "pembaruan versi"),
            vec!["Judul Baru Setelah Pembaruan Versi".to_string()],
            "{name}"
        );
        drop(archive);
        // Opened again after that: still whole.
        let again = Archive::open(&root).unwrap();
        assert_eq!(again.verify().unwrap().problems(), 0, "{name}");
    }
}
