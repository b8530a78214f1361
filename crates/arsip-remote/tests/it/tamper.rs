//! What a province refuses: a flipped byte, a segment signed by a key it did
//! not register, a replayed or reordered segment, an office it does not know.
//! Each is named with its reason, and nothing of it is applied.

use crate::{admin, all_ids, folder, office, province, push};
use arsip_core::catalogue::RecordEdit;
use arsip_core::sync::segment;
use arsip_core::sync::OfficeKey;
use arsip_core::{Archive, RecordId};
use std::path::{Path, PathBuf};

/// An office whose drive holds two segments: the first adds two records,
/// the second edits one.
struct Drive {
    _dir: tempfile::TempDir,
    office: Archive,
    drive: PathBuf,
}

impl Drive {
    fn new() -> Drive {
        let dir = tempfile::tempdir().unwrap();
        let office = office(&dir.path().join("bogor"), "KPU Kota Bogor", "32.71", 2, 5);
        let drive = dir.path().join("usb");
        push(&office, &folder(&drive));
        let id = RecordId::parse(&all_ids(&office)[0]).unwrap();
        let edit = RecordEdit {
            shelf: Some("R-09".into()),
            ..RecordEdit::default()
        };
        office.edit(&id, &edit, &admin()).unwrap();
        push(&office, &folder(&drive));
        Drive {
            _dir: dir,
            office,
            drive,
        }
    }

    fn log(&self) -> PathBuf {
        let key = self.office.office_key().unwrap();
        self.drive.join("offices").join(key.to_hex()).join("log")
    }

    /// The two segment files, oldest first.
    fn segments(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.log())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert_eq!(files.len(), 2, "{files:?}");
        files
    }

    /// Pulls into a fresh province; returns it with the report.
    fn pull(&self, dir: &Path) -> (Archive, arsip_core::sync::PullReport) {
        let prov = province(dir, &[&self.office]);
        let report = prov.sync_pull(&folder(&self.drive), &admin()).unwrap();
        (prov, report)
    }
}

fn rejected_with(report: &arsip_core::sync::PullReport, words: &str) {
    assert_eq!(report.rejected.len(), 1, "{report:?}");
    assert!(
        report.rejected[0].reason.contains(words),
        "{:?} should say '{words}'",
        report.rejected[0]
    );
    assert!(!report.complete());
}

#[test]
fn a_flipped_byte_is_rejected_and_nothing_applied() {
    let d = Drive::new();
    let first = &d.segments()[0];
    let mut bytes = std::fs::read(first).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    std::fs::write(first, bytes).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (prov, report) = d.pull(dir.path());
    rejected_with(&report, "");
    assert!(report.rejected[0].object.ends_with(".seg"));
    assert_eq!(all_ids(&prov), Vec::<String>::new(), "nothing applied");
    assert_eq!(report.offices[0].applied, 0);
}

#[test]
fn a_segment_signed_by_an_unregistered_key_is_rejected() {
    let d = Drive::new();
    let second = &d.segments()[1];
    let key = d.office.office_key().unwrap();
    let (mut body, _) = segment::open(&std::fs::read(second).unwrap(), &key).unwrap();
    // The impostor claims the office's identity and moves a record to another shelf.
    body.entries[0].state.as_mut().unwrap().shelf = Some("GUDANG-LUAR".into());
    let impostor = OfficeKey::from_seed([42; 32]);
    std::fs::write(second, segment::seal(&body, &impostor).unwrap().bytes).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (prov, report) = d.pull(dir.path());
    rejected_with(&report, "signature");
    // The first, genuine segment is applied; the forged one is not.
    assert_eq!(all_ids(&prov), all_ids(&d.office));
    let id = RecordId::parse(&body.entries[0].id).unwrap();
    let shelf = prov.record(&id, &admin()).unwrap().record.location.shelf;
    assert_eq!(shelf, None, "the forged shelf was not applied");
}

#[test]
fn a_replayed_segment_is_rejected() {
    let d = Drive::new();
    let [first, second] = <[PathBuf; 2]>::try_from(d.segments()).unwrap();
    // The first segment copied over the second's name, as a replay would.
    std::fs::copy(&first, &second).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (prov, report) = d.pull(dir.path());
    rejected_with(&report, "replayed");
    assert_eq!(
        report.offices[0].segments, 1,
        "only the genuine first applies"
    );
    let id = RecordId::parse(&all_ids(&d.office)[0]).unwrap();
    assert_eq!(
        prov.record(&id, &admin()).unwrap().record.location.shelf,
        None
    );
}

#[test]
fn a_reordered_segment_is_rejected() {
    let d = Drive::new();
    let [first, second] = <[PathBuf; 2]>::try_from(d.segments()).unwrap();
    // The second segment put first, under the first's name.
    std::fs::rename(&second, &first).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (prov, report) = d.pull(dir.path());
    rejected_with(&report, "replayed");
    assert_eq!(all_ids(&prov), Vec::<String>::new(), "nothing applied");
}

#[test]
fn an_unregistered_office_is_named_and_not_applied() {
    let d = Drive::new();
    let dir = tempfile::tempdir().unwrap();
    let prov =
        Archive::init_province(&dir.path().join("p"), "KPU Provinsi Jawa Barat", "32").unwrap();
    let report = prov.sync_pull(&folder(&d.drive), &admin()).unwrap();
    assert_eq!(report.unregistered.len(), 1, "{report:?}");
    assert!(report.unregistered[0].contains("KPU Kota Bogor"));
    assert!(!report.complete());
    assert_eq!(all_ids(&prov), Vec::<String>::new());
}

#[test]
fn only_a_province_pulls() {
    let d = Drive::new();
    let err = d
        .office
        .sync_pull(&folder(&d.drive), &admin())
        .err()
        .map(|e| e.code);
    assert_eq!(err, Some(arsip_core::ErrorCode::NotProvince));
}
