//! The scanner's watched folder: files are read once complete, a document's
//! page files together, each file once (again only when it changes), by one
//! process at a time; a folder gone is said, not mistaken for an empty one;
//! what it read is shown only as far as the reader's clearance goes.

use crate::admin;
use arsip_core::corpus::{self, CorpusOptions, DocKind, Format};
use arsip_core::watch::WatchLook;
use arsip_core::{AccessLevel, Archive, Clearance, ErrorCode, FileStatus};
use std::path::{Path, PathBuf};
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

fn look(archive: &Archive, who: &str, settle: Duration) -> WatchLook {
    archive.watch_once(who, settle).expect("look")
}

fn idle(l: &WatchLook) -> bool {
    matches!(l, WatchLook::Idle)
}

fn made(dir: &Path, records: usize) -> (PathBuf, Vec<corpus::Truth>) {
    let made = dir.join("made");
    let truths = corpus::generate(
        &made,
        &CorpusOptions {
            records,
            seed: 4,
            dpi: 100,
            turn_every: 0,
            formats: vec![Format::TextPdf],
            kinds: vec![DocKind::SkKpu, DocKind::Undangan, DocKind::Laporan],
        },
    )
    .expect("corpus");
    (made, truths)
}

#[test]
fn a_watched_folder_is_read_once_settled_and_each_file_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scans = dir.path().join("scanner");
    let (made, truths) = made(dir.path(), 3);
    let archive =
        Archive::init(&dir.path().join("arsip"), "KPU Kota Bogor", "32.71").expect("init");
    let long = Duration::from_secs(10);
    // Nothing watched: nothing done.
    assert!(idle(&look(&archive, "a", Duration::ZERO)));
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
    assert_eq!(
        archive
            .set_watch(Some(&scans), None, None, &Clearance::public())
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

    // Two page files of one decree (the second saved twice, as `_p2` and
    // `_p3` with the same bytes) and a letter, finished a minute ago; a page
    // still being written (just now) holds them all back.
    let copy = |t: usize, name: &str| {
        let to = scans.join(name);
        std::fs::copy(made.join(&truths[t].file), &to).expect("copy");
        age(&to, Duration::from_secs(60));
        to
    };
    let pages = [
        copy(0, "SK_p1.pdf"),
        copy(1, "SK_p2.pdf"),
        copy(1, "SK_p3.pdf"),
        copy(2, "undangan.pdf"),
    ];
    let writing = scans.join("laporan.pdf");
    std::fs::write(&writing, b"%PDF-1.4 masih ditulis").expect("write");
    assert!(
        idle(&look(&archive, "a", long)),
        "a file still arriving holds the batch"
    );
    // A partial download's name is never read; the folder settles.
    std::fs::rename(&writing, scans.join("laporan.pdf.part")).expect("rename");
    // Another process on the archive does not look while this one watches.
    assert!(matches!(look(&archive, "b", long), WatchLook::Elsewhere));
    let WatchLook::Read(reports, summary) = look(&archive, "a", long) else {
        panic!("the settled folder is read");
    };
    assert_eq!(summary.added, 2, "{reports:#?}");
    let decree = reports
        .iter()
        .find(|r| r.path.ends_with("SK_p1.pdf"))
        .expect("the decree");
    assert_eq!(decree.parts.len(), 2, "its page files, one record");
    let record = archive
        .record(&decree.id.expect("id"), &admin())
        .expect("record");
    assert_eq!(record.record.series.as_deref(), Some("Pindaian 2024"));
    assert_eq!(record.record.access, AccessLevel::Terbatas);
    assert_eq!(record.files.len(), 2, "the page saved twice is read once");
    // Each file once: the next look reads nothing.
    assert!(idle(&look(&archive, "a", long)));
    // A page scanned after its document was read joins it.
    let late_page = copy(2, "SK_p4.pdf");
    std::fs::OpenOptions::new()
        .append(true)
        .open(&late_page)
        .and_then(|mut f| std::io::Write::write_all(&mut f, b"\n%halaman susulan\n"))
        .expect("append");
    age(&late_page, Duration::from_secs(60));
    let WatchLook::Read(late, _) = look(&archive, "a", long) else {
        panic!("the late page is read");
    };
    assert_eq!(late[0].id, decree.id, "{late:#?}");
    let joined = archive
        .record(&decree.id.expect("id"), &admin())
        .expect("record");
    assert_eq!(joined.files.len(), 3);
    assert_eq!(
        archive.list(&admin()).expect("list").len(),
        2,
        "no record of its own"
    );
    // A page scanned again under the same name is read again (another
    // original: a new record).
    std::fs::copy(made.join(&truths[0].file), &pages[3]).expect("rescan");
    std::fs::OpenOptions::new()
        .append(true)
        .open(&pages[3])
        .and_then(|mut f| std::io::Write::write_all(&mut f, b"\n%pindai ulang\n"))
        .expect("append");
    age(&pages[3], Duration::from_secs(60));
    let WatchLook::Read(again, _) = look(&archive, "a", long) else {
        panic!("the page scanned again is read");
    };
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].status, FileStatus::Added);
    let status = archive.watch_status(&admin()).expect("status");
    assert!(status.recent.len() >= 5, "{:?}", status.recent);
    assert!(status.plan.last_error.is_none());

    // A file dated in the future (a share's clock ahead) is read once this
    // process has seen it unchanged for the settling time.
    let ahead = copy(1, "surat-masa-depan.pdf");
    std::fs::OpenOptions::new()
        .append(true)
        .open(&ahead)
        .and_then(|mut f| std::io::Write::write_all(&mut f, b"\n%jam server maju\n"))
        .expect("append");
    std::fs::File::options()
        .write(true)
        .open(&ahead)
        .and_then(|f| f.set_modified(SystemTime::now() + Duration::from_secs(86_400)))
        .expect("future");
    let settle = Duration::from_millis(300);
    assert!(idle(&look(&archive, "a", settle)), "first seen: waits");
    std::thread::sleep(settle * 2);
    assert!(matches!(look(&archive, "a", settle), WatchLook::Read(..)));

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
    assert!(idle(&look(&archive, "a", Duration::ZERO)));
    // Stopped: nothing read.
    archive.set_watch(None, None, None, &admin()).expect("stop");
    let late = copy(2, "baru.pdf");
    assert!(idle(&look(&archive, "a", Duration::ZERO)));
    assert!(late.exists());
}

#[test]
fn a_watched_folder_never_reads_the_archive_nor_tells_past_a_clearance() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scans = dir.path().join("scanner");
    std::fs::create_dir_all(&scans).expect("scanner folder");
    let (made, truths) = made(dir.path(), 2);
    let archive =
        Archive::init(&dir.path().join("arsip"), "KPU Kota Bogor", "32.71").expect("init");
    let arsiparis = crate::arsiparis(&archive);
    // The admin watches a folder of sangat-rahasia scans.
    archive
        .set_watch(
            Some(&scans),
            None,
            Some(AccessLevel::SangatRahasia),
            &admin(),
        )
        .expect("set");
    let secret = scans.join("SK Pemberhentian hal 1.pdf");
    std::fs::copy(made.join(&truths[0].file), &secret).expect("copy");
    age(&secret, Duration::from_secs(60));
    let WatchLook::Read(reports, _) = look(&archive, "a", Duration::from_secs(10)) else {
        panic!("read");
    };
    let id = reports[0].id.expect("id");
    // The archivist sees nothing of it, and may not change the folder
    // (their next scans would land in their own class).
    let status = archive.watch_status(&arsiparis).expect("status");
    assert!(status.recent.is_empty(), "{:?}", status.recent);
    assert_eq!(
        archive
            .set_watch(Some(&scans), None, None, &arsiparis)
            .unwrap_err()
            .code,
        ErrorCode::AccessDenied
    );
    assert_eq!(
        archive.watch_status(&admin()).expect("status").recent[0].record_id,
        Some(id)
    );

    // A link in the folder to the archive's own files (an original, a
    // thumbnail) is never read in: it would copy the secret into a
    // record of another class.
    archive
        .set_watch(Some(&scans), None, Some(AccessLevel::Terbuka), &admin())
        .expect("set");
    let blobs = archive.root().join("blobs");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&blobs, scans.join("tautan")).expect("symlink");
    let before = archive.list(&admin()).expect("list").len();
    let outcome = look(&archive, "a", Duration::ZERO);
    if let WatchLook::Read(reports, _) = &outcome {
        assert!(
            reports
                .iter()
                .all(|r| r.status == FileStatus::Failed || r.path.ends_with(".pdf")),
            "{reports:#?}"
        );
    }
    assert_eq!(archive.list(&admin()).expect("list").len(), before);
    // Nor through an import of a path inside the archive.
    let (reports, summary) = archive
        .ingest(
            std::slice::from_ref(&blobs),
            &arsip_core::IngestOptions::default(),
            &(),
            &admin(),
        )
        .expect("ingest");
    assert_eq!(summary.added, 0, "{reports:#?}");
    assert!(reports.iter().all(|r| r
        .error
        .as_ref()
        .is_some_and(|e| e.code == ErrorCode::AccessDenied)));
    assert!(!reports.is_empty());
}
