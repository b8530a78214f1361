//! The office's own copies from the terminal: `arsip backup`, `arsip restore`
//! into a new folder, and `arsip verify --repair` mending originals from a
//! backup folder and from a flash drive the office pushed to.

use crate::{arsip, json_lines};
use std::path::{Path, PathBuf};

/// Every blob file of an archive, largest first (the originals).
fn blob_files(archive: &Path) -> Vec<PathBuf> {
    let root = archive.join("blobs");
    let mut files: Vec<PathBuf> = walk(&root)
        .into_iter()
        .filter(|p| !p.strip_prefix(&root).unwrap().starts_with("tmp"))
        .collect();
    files.sort_by_key(|p| std::cmp::Reverse(std::fs::metadata(p).unwrap().len()));
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn search_total(archive: &Path, q: &str) -> u64 {
    let out = arsip(archive)
        .args(["--json", "search", q])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    json_lines(&out)
        .last()
        .and_then(|l| l["summary"]["total"].as_u64())
        .unwrap()
}

#[test]
fn backup_restore_and_repair_from_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let archive = crate::sync::office(dir.path(), 3);
    let backup = dir.path().join("cadangan");

    let out = arsip(&archive)
        .args(["backup", &backup.display().to_string()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("Cadangan tersimpan") && said.contains("3 arsip"),
        "{said}"
    );

    // A backup goes to a folder: an object store's address is refused, and
    // nothing is written in the working folder under that name.
    let out = arsip(&archive)
        .current_dir(dir.path())
        .args(["backup", "s3://arsip-jabar/cadangan"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(!dir.path().join("s3:").exists());
    // A repair from a folder that is not there says so.
    let out = arsip(&archive)
        .args(["verify", "--repair", "/tidak/ada/cadangan"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("/tidak/ada/cadangan"));

    // Restored into a new folder, it finds what the office finds.
    let restored = dir.path().join("pulih");
    let out = arsip(&restored)
        .args(["restore", &format!("file://{}", backup.display())])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Arsip dipulihkan"));
    assert!(search_total(&archive, "pemilu") > 0);
    assert_eq!(
        search_total(&restored, "pemilu"),
        search_total(&archive, "pemilu")
    );
    let out = arsip(&restored).args(["audit", "verify"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");

    // Restoring over an archive is refused, in words.
    let out = arsip(&archive)
        .args(["restore", &backup.display().to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("sudah berisi arsip"));

    // One original damaged, one lost: verify finds them, the backup mends them.
    let blobs = blob_files(&archive);
    std::fs::write(&blobs[0], b"rusak karena disk").unwrap();
    std::fs::remove_file(&blobs[1]).unwrap();
    let out = arsip(&archive).arg("verify").output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let out = arsip(&archive)
        .args(["verify", "--repair", &backup.display().to_string()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(said.matches("Diperbaiki dari salinan").count(), 2, "{said}");
    assert!(said.contains("Arsip utuh"), "{said}");
    let out = arsip(&archive).arg("verify").output().unwrap();
    assert!(out.status.success(), "{out:?}");

    // The same from the flash drive the office pushed to.
    let drive = format!("file://{}", dir.path().join("usb").display());
    let out = arsip(&archive)
        .args(["sync", "push", &drive])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    std::fs::remove_file(&blobs[0]).unwrap();
    let out = arsip(&archive)
        .args(["--json", "verify", "--repair", &drive])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let report = &json_lines(&out)[0]["repaired"];
    assert_eq!(report["repaired"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["verify"]["missing"].as_array().unwrap().len(), 0);

    // A copy that is not whole is not used: the original stays reported missing.
    std::fs::remove_file(&blobs[0]).unwrap();
    let name = blobs[0].file_name().unwrap().to_string_lossy().to_string();
    let copy = walk(&backup.join("blobs"))
        .into_iter()
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy() == name))
        .unwrap();
    std::fs::write(&copy, b"salinan rusak").unwrap();
    let out = arsip(&archive)
        .args(["verify", "--repair", &backup.display().to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Tidak ada salinan utuh"));

    // Every repair is in the audit trail.
    let repairs: i64 = rusqlite::Connection::open(archive.join("catalogue.sqlite"))
        .unwrap()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'blob.repair'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(repairs, 3);
}
