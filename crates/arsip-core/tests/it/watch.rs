//! The scanner's watched folder: files are read once complete, a document's
//! page files together, each file once (again only when it changes), by one
//! process at a time; a folder gone is said, not mistaken for an empty one.

use crate::admin;
use arsip_core::corpus::{self, CorpusOptions, DocKind, Format};
use arsip_core::{AccessLevel, Archive, ErrorCode, FileStatus};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Sets a file's modification time `ago` in the past (a scan finished then).
fn age(path: &Path, ago: Duration) {
    let file = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open");
    file.set_modified(SystemTime::now() - ago)
        .expect("set mtime");
}

#[test]
fn a_watched_folder_is_read_once_settled_and_each_file_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scans = dir.path().join("scanner");
    let made = dir.path().join("made");
    let truths = corpus::generate(
        &made,
        &CorpusOptions {
            records: 3,
            seed: 4,
            dpi: 100,
            turn_every: 0,
            formats: vec![Format::TextPdf],
            kinds: vec![DocKind::SkKpu, DocKind::Undangan, DocKind::Laporan],
        },
    )
    .expect("corpus");
    let archive =
        Archive::init(&dir.path().join("arsip"), "KPU Kota Bogor", "32.71").expect("init");
    // Nothing watched: nothing done.
    assert!(archive
        .watch_once("a", Duration::ZERO)
        .expect("look")
        .is_none());
    // Refused: a relative path, a folder that is not there, the archive itself.
    for bad in [
        Path::new("scanner"),
        &dir.path().join("tidak-ada"),
        archive.root(),
    ] {
        assert!(
            archive.set_watch(Some(bad), None, None, &admin()).is_err(),
            "{}",
            bad.display()
        );
    }
    std::fs::create_dir_all(&scans).expect("scanner folder");
    // The public may not set it, nor an archivist into a class above theirs.
    assert_eq!(
        archive
            .set_watch(Some(&scans), None, None, &arsip_core::Clearance::public())
            .unwrap_err()
            .code,
        ErrorCode::AccessDenied
    );
    let status = archive
        .set_watch(
            Some(&scans),
            Some("Pindaian 2024"),
            Some(AccessLevel::Terbatas),
            &admin(),
        )
        .expect("set");
    assert!(status.plan.folder.is_some());

    // Two page files of one decree and a letter, finished a minute ago; a
    // page still being written (just now) holds them all back.
    let copy = |t: usize, name: &str| {
        let to = scans.join(name);
        std::fs::copy(made.join(&truths[t].file), &to).expect("copy");
        to
    };
    let pages = [
        copy(0, "SK_p1.pdf"),
        copy(1, "SK_p2.pdf"),
        copy(2, "undangan.pdf"),
    ];
    for p in &pages {
        age(p, Duration::from_secs(60));
    }
    let writing = scans.join("laporan.pdf");
    std::fs::write(&writing, b"%PDF-1.4 masih ditulis").expect("write");
    assert!(
        archive
            .watch_once("a", Duration::from_secs(10))
            .expect("look")
            .is_none(),
        "a file still arriving holds the batch"
    );
    // A partial download's name is never read; the folder settles.
    std::fs::rename(&writing, scans.join("laporan.pdf.part")).expect("rename");
    // Another process on the archive does not look while this one watches.
    assert!(archive
        .watch_once("b", Duration::from_secs(10))
        .expect("look")
        .is_none());
    let (reports, summary) = archive
        .watch_once("a", Duration::from_secs(10))
        .expect("look")
        .expect("read");
    assert_eq!(summary.added, 2, "{reports:#?}");
    let decree = reports
        .iter()
        .find(|r| r.path.ends_with("SK_p1.pdf"))
        .expect("the decree");
    assert_eq!(decree.parts.len(), 1, "its two page files, one record");
    let record = archive
        .record(&decree.id.expect("id"), &admin())
        .expect("record");
    assert_eq!(record.record.series.as_deref(), Some("Pindaian 2024"));
    assert_eq!(record.record.access, AccessLevel::Terbatas);
    assert_eq!(record.files.len(), 2);
    // Each file once: the next look reads nothing.
    assert!(archive
        .watch_once("a", Duration::from_secs(10))
        .expect("look")
        .is_none());
    // A page scanned again under the same name is read again (another
    // original: a new record).
    std::fs::copy(made.join(&truths[0].file), &pages[2]).expect("rescan");
    std::fs::OpenOptions::new()
        .append(true)
        .open(&pages[2])
        .and_then(|mut f| std::io::Write::write_all(&mut f, b"\n%pindai ulang\n"))
        .expect("append");
    age(&pages[2], Duration::from_secs(60));
    let (again, _) = archive
        .watch_once("a", Duration::from_secs(10))
        .expect("look")
        .expect("read");
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].status, FileStatus::Added);
    let status = archive.watch_status(&admin()).expect("status");
    assert!(status.recent.len() >= 3, "{:?}", status.recent);
    assert!(status.plan.last_error.is_none());

    // The folder gone (a share not mounted): said, and read on when back.
    let away = dir.path().join("away");
    std::fs::rename(&scans, &away).expect("unmount");
    assert_eq!(
        archive.watch_once("a", Duration::ZERO).unwrap_err().code,
        ErrorCode::FolderMissing
    );
    let said = archive
        .watch_status(&admin())
        .expect("status")
        .plan
        .last_error;
    assert_eq!(said.map(|e| e.code), Some(ErrorCode::FolderMissing));
    std::fs::rename(&away, &scans).expect("mount");
    assert!(archive
        .watch_once("a", Duration::ZERO)
        .expect("look")
        .is_none());
    // Stopped: nothing read.
    archive.set_watch(None, None, None, &admin()).expect("stop");
    let late = scans.join("baru.pdf");
    std::fs::copy(made.join(&truths[1].file), &late).expect("copy");
    age(&late, Duration::from_secs(60));
    assert!(archive
        .watch_once("a", Duration::ZERO)
        .expect("look")
        .is_none());
}
