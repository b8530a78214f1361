//! Backups and restores as an office would make them: while the archive is
//! in use, again and again into one folder, and back into a new archive that
//! finds the same records, passes `verify` and `audit verify`, and keeps its
//! users and its office key.

use super::admin;
use arsip_core::backup::{read_manifest, MANIFEST};
use arsip_core::corpus::{self, CorpusOptions, Format};
use arsip_core::error::ErrorCode;
use arsip_core::index::SearchRequest;
use arsip_core::{Archive, IngestOptions, Role};
use std::path::Path;

fn add_records(archive: &Archive, dir: &Path, records: usize, seed: u64) {
    let input = dir.join(format!("in-{seed}"));
    let truths = corpus::generate(
        &input,
        &CorpusOptions {
            records,
            seed,
            dpi: 150,
            turn_every: 0,
            formats: vec![Format::TextPdf],
            kinds: Vec::new(),
        },
    )
    .unwrap();
    let (_, summary) = archive
        .ingest(
            &corpus::paths(&input, &truths),
            &IngestOptions::default(),
            &(),
            &admin(),
        )
        .unwrap();
    assert_eq!(summary.failed, 0);
}

fn titles(archive: &Archive, text: &str) -> Vec<String> {
    let mut req = SearchRequest::new(text);
    req.limit = 100;
    let mut t: Vec<String> = archive
        .search(&req, &admin())
        .unwrap()
        .hits
        .into_iter()
        .map(|h| format!("{} {}", h.id, h.title))
        .collect();
    t.sort();
    t
}

#[test]
fn a_backup_made_twice_restores_an_archive_that_finds_the_same_records() {
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::init(&dir.path().join("kantor"), "KPU Kota Bogor", "32.71").unwrap();
    add_records(&archive, dir.path(), 4, 21);
    archive
        .set_user("admin1", Role::Admin, "kata-sandi-cadangan", "test")
        .unwrap();
    let session = archive
        .login("admin1", "kata-sandi-cadangan", "uji")
        .unwrap();

    std::fs::create_dir(dir.path().join("flashdisk")).unwrap();
    let target = dir.path().join("flashdisk").join("cadangan");
    let first = archive.backup(&target, &admin()).unwrap();
    assert_eq!(first.records, 4);
    assert!(
        first.blobs >= 4 && first.blobs_copied == first.blobs,
        "{first:?}"
    );
    assert!(first.problems.is_empty(), "{first:?}");
    assert_eq!(read_manifest(&target).unwrap().records, 4);

    // A second backup after more work copies only the new blobs.
    add_records(&archive, dir.path(), 2, 22);
    let second = archive.backup(&target, &admin()).unwrap();
    assert_eq!(second.records, 6);
    assert!(
        second.blobs_copied > 0 && second.blobs_copied < second.blobs,
        "{second:?}"
    );

    let into = dir.path().join("kantor-baru");
    let (restored, report) = Archive::restore(&target, &into, "test").unwrap();
    assert_eq!(report.records, 6, "{report:?}");
    assert_eq!(report.verify.problems(), 0, "{report:?}");
    assert_eq!(restored.audit_verify(&admin()).unwrap().first_broken, None);
    for q in ["pemilu", "berita acara", "keputusan"] {
        assert_eq!(titles(&restored, q), titles(&archive, q), "{q}");
    }
    assert!(!titles(&restored, "pemilu").is_empty());
    // Users come back; their sessions do not.
    assert!(restored.clearance(&session.token).is_err());
    assert!(restored
        .login("admin1", "kata-sandi-cadangan", "uji")
        .is_ok());
    // The office key comes back: the restored office pushes as itself.
    let keys = std::fs::read_dir(dir.path().join("kantor/keys"))
        .unwrap()
        .count();
    assert!(keys > 0);
    for entry in std::fs::read_dir(dir.path().join("kantor/keys")).unwrap() {
        let entry = entry.unwrap();
        assert_eq!(
            std::fs::read(entry.path()).unwrap(),
            std::fs::read(into.join("keys").join(entry.file_name())).unwrap()
        );
    }
    // Both the backup and the restore are in the trails.
    let actions = |a: &Archive| -> Vec<String> {
        a.audit_log(None, 100, &admin())
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect()
    };
    assert_eq!(
        actions(&archive)
            .iter()
            .filter(|a| *a == "archive.backup")
            .count(),
        2
    );
    assert!(actions(&restored).contains(&"archive.restore".to_string()));
}

#[test]
fn only_the_admin_backs_up_and_nothing_is_written_for_anyone_else() {
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::init(&dir.path().join("kantor"), "KPU Kota Bogor", "32.71").unwrap();
    add_records(&archive, dir.path(), 1, 23);
    let target = dir.path().join("cadangan");
    for role in [Role::Arsiparis, Role::Sekretariat, Role::Publik] {
        let err = archive
            .backup(&target, &admin().narrowed(role))
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::AccessDenied, "{role:?}");
    }
    assert!(!target.exists());
}

#[test]
fn a_backup_cut_off_leaves_the_last_whole_one_and_the_next_completes_it() {
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::init(&dir.path().join("kantor"), "KPU Kota Bogor", "32.71").unwrap();
    add_records(&archive, dir.path(), 2, 24);
    let target = dir.path().join("cadangan");
    archive.backup(&target, &admin()).unwrap();
    // A power cut during the next one: a half-written snapshot and a stray
    // half-copied blob are left in the folder.
    std::fs::write(target.join("catalogue.sqlite.partial"), b"setengah").unwrap();
    std::fs::write(target.join("blobs/tmp/.tmpabc"), b"setengah").unwrap();
    let (_, report) = Archive::restore(&target, &dir.path().join("pulih-1"), "test").unwrap();
    assert_eq!((report.records, report.verify.problems()), (2, 0));
    add_records(&archive, dir.path(), 1, 25);
    archive.backup(&target, &admin()).unwrap();
    let (_, report) = Archive::restore(&target, &dir.path().join("pulih-2"), "test").unwrap();
    assert_eq!((report.records, report.verify.problems()), (3, 0));
}

#[test]
fn a_restore_refuses_what_is_not_a_backup_and_an_existing_archive() {
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::init(&dir.path().join("kantor"), "KPU Kota Bogor", "32.71").unwrap();
    add_records(&archive, dir.path(), 1, 26);
    let empty = dir.path().join("kosong");
    std::fs::create_dir_all(&empty).unwrap();
    let err = Archive::restore(&empty, &dir.path().join("baru"), "test")
        .err()
        .unwrap();
    assert_eq!(err.code, ErrorCode::NotABackup);
    // A live archive is not a backup either, and is never written over by one.
    let err = Archive::restore(&dir.path().join("kantor"), &dir.path().join("baru"), "test")
        .err()
        .unwrap();
    assert_eq!(err.code, ErrorCode::NotABackup);
    let target = dir.path().join("cadangan");
    archive.backup(&target, &admin()).unwrap();
    let err = Archive::restore(&target, &dir.path().join("kantor"), "test")
        .err()
        .unwrap();
    assert_eq!(err.code, ErrorCode::ArchiveExists);
    // Never into the archive itself, nor into a folder holding it.
    for inside in [
        dir.path().join("kantor"),
        dir.path().join("kantor/cadangan"),
        dir.path().to_path_buf(),
    ] {
        let err = archive.backup(&inside, &admin()).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "{}", inside.display());
    }
    assert!(!dir.path().join("kantor/cadangan").exists());
    // A damaged catalogue in the backup is refused, and nothing is made.
    std::fs::write(target.join("catalogue.sqlite"), b"bukan sqlite sama sekali").unwrap();
    let into = dir.path().join("baru-2");
    assert!(Archive::restore(&target, &into, "test").is_err());
    assert!(!into.join("catalogue.sqlite").exists());
    assert!(target.join(MANIFEST).exists());
}

#[test]
fn a_planned_backup_runs_once_when_due_whichever_process_asks_and_says_how_it_ended() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("kantor");
    let archive = Archive::init(&root, "KPU Kota Bogor", "32.71").unwrap();
    add_records(&archive, dir.path(), 2, 27);
    let target = dir.path().join("cadangan");
    let t = target.display().to_string();

    // Only the admin plans, with a whole path outside the archive.
    let err = archive
        .set_backup_plan(Some(&t), 24, &admin().narrowed(Role::Arsiparis))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::AccessDenied);
    for bad in ["cadangan", &root.join("cadangan").display().to_string()] {
        let err = archive
            .set_backup_plan(Some(bad), 24, &admin())
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "{bad}");
    }
    assert_eq!(
        archive.backup_if_due().unwrap().map(|r| r.records),
        None,
        "nothing planned"
    );

    archive.set_backup_plan(Some(&t), 24, &admin()).unwrap();
    // Two processes on one archive (the office server and the desktop app):
    // the one that takes the due backup makes it, the other does not.
    let other = Archive::open(&root).unwrap();
    let first = archive.backup_if_due().unwrap();
    assert_eq!(first.map(|r| r.records), Some(2));
    assert!(other.backup_if_due().unwrap().is_none());
    assert!(
        archive.backup_if_due().unwrap().is_none(),
        "not due again for a day"
    );
    let plan = archive.backup_plan(arsip_core::Lang::Id, &admin()).unwrap();
    assert_eq!((plan.last_records, plan.last_error), (Some(2), None));
    assert!(plan.last_success.is_some());

    // A failure is kept and told in the reader's language; success clears it.
    std::fs::remove_dir_all(&target).unwrap();
    std::fs::write(&target, b"bukan folder").unwrap();
    assert!(archive.backup_now(&admin()).is_err());
    let plan = archive.backup_plan(arsip_core::Lang::En, &admin()).unwrap();
    assert!(plan.last_error.is_some(), "{plan:?}");
    std::fs::remove_file(&target).unwrap();
    assert_eq!(archive.backup_now(&admin()).unwrap().records, 2);
    let plan = archive.backup_plan(arsip_core::Lang::En, &admin()).unwrap();
    assert_eq!(plan.last_error, None);
    assert!(read_manifest(&target).is_ok());
}

/// Every file under `dir` with its size and modification time.
fn listing(dir: &Path) -> Vec<(String, u64, std::time::SystemTime)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        if meta.is_dir() {
            out.extend(listing(&entry.path()));
        } else {
            out.push((
                entry.path().display().to_string(),
                meta.len(),
                meta.modified().unwrap(),
            ));
        }
    }
    out.sort();
    out
}

fn blob_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let root = dir.join("blobs");
    listing(&root)
        .into_iter()
        .map(|(p, ..)| std::path::PathBuf::from(p))
        .filter(|p| {
            p.strip_prefix(&root)
                .is_ok_and(|rel| !rel.starts_with("tmp"))
        })
        .collect()
}

#[test]
fn a_backup_takes_no_one_elses_folder_and_never_lands_on_this_disk_by_mistake() {
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::init(&dir.path().join("kantor"), "KPU Kota Bogor", "32.71").unwrap();
    add_records(&archive, dir.path(), 1, 28);
    // A shared folder holding someone's files: refused, left as it was.
    let shared = dir.path().join("bersama");
    std::fs::create_dir(&shared).unwrap();
    std::fs::write(shared.join("laporan.docx"), b"milik orang lain").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).unwrap();
    let err = archive.backup(&shared, &admin()).unwrap_err();
    assert_eq!(err.code, ErrorCode::FolderNotEmpty);
    let err = archive
        .set_backup_plan(Some(&shared.display().to_string()), 24, &admin())
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::FolderNotEmpty);
    assert_eq!(
        std::fs::metadata(&shared).unwrap().permissions().mode() & 0o777,
        0o777
    );
    assert_eq!(std::fs::read_dir(&shared).unwrap().count(), 1);
    // A flash drive not plugged in: its mount point's folder is missing.
    let unplugged = dir.path().join("media/usb-cadangan/arsip");
    let err = archive.backup(&unplugged, &admin()).unwrap_err();
    assert_eq!(err.code, ErrorCode::BackupDriveMissing);
    assert!(!dir.path().join("media").exists());
    // A schedule needs a folder.
    let err = archive.set_backup_plan(None, 24, &admin()).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    // Another archive's backup folder is never written over with this one.
    let other = Archive::init(&dir.path().join("kantor-lain"), "KPU Kab. Bogor", "32.01").unwrap();
    add_records(&other, dir.path(), 1, 34);
    let theirs = dir.path().join("cadangan-lain");
    other.backup(&theirs, &admin()).unwrap();
    let before = listing(&theirs);
    let err = archive.backup(&theirs, &admin()).unwrap_err();
    assert_eq!(err.code, ErrorCode::BackupOfAnotherArchive);
    let err = archive
        .set_backup_plan(Some(&theirs.display().to_string()), 24, &admin())
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::BackupOfAnotherArchive);
    assert_eq!(listing(&theirs), before);
    // A backup that fails once it has begun is in the trail too (it may
    // have copied originals out); a refusal before it began copies nothing.
    let broken = dir.path().join("cadangan-rusak");
    archive.backup(&broken, &admin()).unwrap();
    std::fs::remove_dir_all(broken.join("blobs")).unwrap();
    std::fs::write(broken.join("blobs"), b"bukan folder").unwrap();
    assert!(archive.backup(&broken, &admin()).is_err());
    let failed: Vec<String> = archive
        .audit_log(None, 100, &admin())
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "archive.backup" && e.detail.starts_with("failed="))
        .map(|e| e.target)
        .collect();
    assert_eq!(failed, vec![broken.display().to_string()]);
    // A backup folder is not an archive to work in: its work would be lost.
    let target = dir.path().join("cadangan");
    archive.backup(&target, &admin()).unwrap();
    assert_eq!(
        Archive::open(&target).err().unwrap().code,
        ErrorCode::BackupFolder
    );
}

#[test]
fn a_damaged_copy_in_the_backup_is_replaced_or_named_never_a_whole_restore_lost() {
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::init(&dir.path().join("kantor"), "KPU Kota Bogor", "32.71").unwrap();
    add_records(&archive, dir.path(), 3, 29);
    let target = dir.path().join("cadangan");
    archive.backup(&target, &admin()).unwrap();
    let copies = blob_files(&target);
    assert!(copies.len() >= 3, "{copies:?}");
    // A copy cut short on the backup disk is copied again by the next backup.
    std::fs::write(&copies[0], b"terpotong").unwrap();
    let again = archive.backup(&target, &admin()).unwrap();
    assert_eq!(again.blobs_copied, 1, "{again:?}");
    // A copy rotted in place (same size) is found at restore: the rest of the
    // archive comes back and the damaged original is named, not the whole lost.
    let mut bytes = std::fs::read(&copies[1]).unwrap();
    bytes[0] ^= 0xff;
    std::fs::write(&copies[1], &bytes).unwrap();
    let (_, report) = Archive::restore(&target, &dir.path().join("pulih"), "test").unwrap();
    assert_eq!(report.records, 3);
    assert_eq!(report.verify.missing.len(), 1, "{report:?}");
}

#[test]
fn a_restore_only_reads_the_backup_and_carries_no_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::init(&dir.path().join("kantor"), "KPU Kota Bogor", "32.71").unwrap();
    add_records(&archive, dir.path(), 2, 30);
    let target = dir.path().join("cadangan");
    archive
        .set_backup_plan(Some(&target.display().to_string()), 24, &admin())
        .unwrap();
    archive.backup_now(&admin()).unwrap();
    let before = listing(&target);
    let (restored, _) = Archive::restore(&target, &dir.path().join("pulih"), "test").unwrap();
    // Not a byte written beside the backup (a write-protected drive will do).
    assert_eq!(listing(&target), before);
    let plan = restored
        .backup_plan(arsip_core::Lang::Id, &admin())
        .unwrap();
    assert_eq!((plan.target, plan.every_hours), (None, 0));
    assert!(restored.backup_if_due().unwrap().is_none());
}

#[test]
fn a_backup_with_an_altered_trail_or_foreign_triggers_is_refused_and_nothing_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let archive = Archive::init(&dir.path().join("kantor"), "KPU Kota Bogor", "32.71").unwrap();
    add_records(&archive, dir.path(), 1, 31);
    archive
        .set_user("admin1", Role::Admin, "kata-sandi-cadangan", "test")
        .unwrap();
    for (name, sql) in [
        ("altered", "UPDATE audit SET detail = 'dipalsukan' WHERE seq = 2"),
        (
            "trigger",
            "CREATE TRIGGER keep AFTER UPDATE OF disabled ON user BEGIN UPDATE user SET disabled = 0; END",
        ),
    ] {
        let target = dir.path().join(format!("cadangan-{name}"));
        archive.backup(&target, &admin()).unwrap();
        let conn = rusqlite::Connection::open(target.join("catalogue.sqlite")).unwrap();
        conn.execute_batch(sql).unwrap();
        drop(conn);
        let into = dir.path().join(format!("pulih-{name}"));
        let err = Archive::restore(&target, &into, "test").err().unwrap();
        assert_eq!(err.code, ErrorCode::NotABackup, "{name}: {err:?}");
        assert_eq!(std::fs::read_dir(&into).unwrap().count(), 0, "{name}: nothing left");
    }
}

#[test]
fn backups_made_at_once_into_one_folder_all_end_whole() {
    let dir = tempfile::tempdir().unwrap();
    let archive = std::sync::Arc::new(
        Archive::init(&dir.path().join("kantor"), "KPU Kota Bogor", "32.71").unwrap(),
    );
    add_records(&archive, dir.path(), 2, 32);
    let target = dir.path().join("cadangan");
    archive.backup(&target, &admin()).unwrap();
    let runs: Vec<_> = (0..4)
        .map(|_| {
            let (a, t) = (archive.clone(), target.clone());
            std::thread::spawn(move || a.backup(&t, &admin()).map(|r| r.records))
        })
        .collect();
    for run in runs {
        assert_eq!(run.join().unwrap().unwrap(), 2);
    }
    let leftovers: Vec<String> = std::fs::read_dir(&target)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let (_, report) = Archive::restore(&target, &dir.path().join("pulih"), "test").unwrap();
    assert_eq!((report.records, report.verify.problems()), (2, 0));
}

#[test]
fn a_backup_that_left_originals_out_says_so_in_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("kantor");
    let archive = Archive::init(&root, "KPU Kota Bogor", "32.71").unwrap();
    add_records(&archive, dir.path(), 2, 33);
    let original = blob_files(&root)
        .into_iter()
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .unwrap();
    std::fs::remove_file(&original).unwrap();
    let target = dir.path().join("cadangan");
    archive
        .set_backup_plan(Some(&target.display().to_string()), 0, &admin())
        .unwrap();
    let report = archive.backup_now(&admin()).unwrap();
    assert_eq!(report.problems.len(), 1);
    let plan = archive.backup_plan(arsip_core::Lang::Id, &admin()).unwrap();
    assert!(
        plan.last_error
            .as_deref()
            .is_some_and(|e| e.contains("tidak lengkap")),
        "{plan:?}"
    );
}
