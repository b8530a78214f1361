//! Disaster recovery from the terminal: an office whose disk died is rebuilt
//! from what it pushed to the province's store (`arsip restore
//! s3://…/offices/KEY`), the province moves it to its new key, and the
//! rebuilt office goes on sending; a log altered on a drive is refused and
//! leaves nothing behind.

use crate::sync::s3::S3Server;
use crate::sync::{key_of, office, province};
use crate::{arsip, json_lines};
use arsip_core::catalogue::RecordEdit;
use arsip_core::{AccessLevel, Archive, Clearance, RecordId};
use std::path::Path;
use std::process::Command;

fn with_s3(mut c: Command, s3: &S3Server) -> Command {
    for (k, v) in s3.settings() {
        c.env(k.to_uppercase(), v);
    }
    c
}

/// Live records' titles, as the archive lists them.
fn titles(archive: &Path) -> Vec<String> {
    let out = arsip(archive).args(["--json", "list"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let mut titles: Vec<String> = json_lines(&out)
        .iter()
        .map(|r| r["title"].as_str().unwrap().to_string())
        .collect();
    titles.sort();
    titles
}

fn walk_blobs(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk_blobs(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn record_ids(archive: &Path) -> Vec<RecordId> {
    let out = arsip(archive).args(["--json", "list"]).output().unwrap();
    let mut ids: Vec<String> = json_lines(&out)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.iter().map(|i| RecordId::parse(i).unwrap()).collect()
}

/// A record catalogued: its title and its region (Kota Bogor).
fn retitle(archive: &Path, id: &RecordId, title: &str) {
    let a = Archive::open(archive).unwrap();
    let edit = RecordEdit {
        title: Some(title.into()),
        region: Some("32.71".into()),
        ..RecordEdit::default()
    };
    a.edit(id, &edit, &Clearance::operator("uji")).unwrap();
}

#[test]
fn an_office_whose_disk_died_is_rebuilt_from_what_it_pushed() {
    let dir = tempfile::tempdir().unwrap();
    let s3 = S3Server::start();
    let office = office(dir.path(), 3);
    let ids = record_ids(&office);
    retitle(
        &office,
        &ids[0],
        "Berita acara rekapitulasi yang diperbaiki",
    );
    Archive::open(&office)
        .unwrap()
        .delete(&ids[1], &Clearance::operator("uji"))
        .unwrap();
    let before = titles(&office);
    assert_eq!(before.len(), 2);
    let out = with_s3(arsip(&office), &s3)
        .args(["sync", "push", "s3://arsip/jabar"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let old_key = key_of(&office);
    let prov = province(dir.path(), &[&office]);
    let out = with_s3(arsip(&prov), &s3)
        .args(["sync", "pull", "s3://arsip/jabar"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");

    // The disk dies.
    std::fs::remove_dir_all(&office).unwrap();

    let rebuilt = dir.path().join("bogor-baru");
    let from = format!("s3://arsip/jabar/offices/{old_key}");
    let out = with_s3(arsip(&rebuilt), &s3)
        .args(["restore", &from])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("dibangun kembali"), "{said}");
    assert!(said.contains("arsip office replace"), "{said}");
    assert_eq!(titles(&rebuilt), before, "the same live records, as edited");
    let out = arsip(&rebuilt).arg("verify").output().unwrap();
    assert!(
        out.status.success(),
        "every original came back whole: {out:?}"
    );
    let out = arsip(&rebuilt).args(["audit", "verify"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let new_key = key_of(&rebuilt);
    assert_ne!(new_key, old_key);
    assert!(said.contains(&new_key), "{said}");
    let conn = rusqlite::Connection::open(rebuilt.join("catalogue.sqlite")).unwrap();
    let (region, recovered): (String, i64) = conn
        .query_row(
            "SELECT (SELECT region_code FROM office),
                    (SELECT count(*) FROM audit WHERE action = 'archive.recover')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((region.as_str(), recovered), ("32.71", 1));

    // Before the province knows the new key, a pull does not take its log.
    let edited = record_ids(&rebuilt)[0];
    retitle(&rebuilt, &edited, "Dikirim lagi setelah pemulihan");
    let out = with_s3(arsip(&rebuilt), &s3)
        .args(["sync", "push", "s3://arsip/jabar"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = with_s3(arsip(&prov), &s3)
        .args(["sync", "pull", "s3://arsip/jabar"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "an unregistered office: {out:?}"
    );
    assert!(!titles(&prov).contains(&"Dikirim lagi setelah pemulihan".to_string()));

    // The province moves the office to its new key and reads its new log.
    let out = arsip(&prov)
        .args(["office", "replace", "Kantor 0", "--key", &new_key])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = with_s3(arsip(&prov), &s3)
        .args(["--json", "sync", "pull", "s3://arsip/jabar"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        titles(&prov),
        titles(&rebuilt),
        "no record twice, none lost"
    );
}

#[test]
fn a_log_altered_on_the_drive_rebuilds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let office = office(dir.path(), 2);
    let drive = dir.path().join("usb");
    let out = arsip(&office)
        .args(["sync", "push", &format!("file://{}", drive.display())])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let key = key_of(&office);
    let log = drive.join("offices").join(&key).join("log");
    let segment = std::fs::read_dir(&log)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut bytes = std::fs::read(&segment).unwrap();
    let at = bytes.len() - 5;
    bytes[at] ^= 0x40;
    std::fs::write(&segment, bytes).unwrap();

    let rebuilt = dir.path().join("baru");
    let from = drive.join("offices").join(&key).display().to_string();
    let out = arsip(&rebuilt)
        .args(["restore", &from, "--region", "32.71"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(".seg"), "the segment is named: {err}");
    assert_eq!(
        std::fs::read_dir(&rebuilt).unwrap().count(),
        0,
        "nothing left half made"
    );

    // Whole again, it rebuilds; no record names a region, so it is asked for.
    std::fs::remove_dir_all(&drive).unwrap();
    let out = arsip(&office)
        .args(["sync", "push", &format!("file://{}", drive.display())])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = arsip(&rebuilt).args(["restore", &from]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--region"));
    assert_eq!(std::fs::read_dir(&rebuilt).unwrap().count(), 0);
    // A stray file in the log folder is passed over.
    std::fs::write(log.join("Thumbs.db"), b"windows").unwrap();
    let out = arsip(&rebuilt)
        .args(["restore", &from, "--region", "32.71"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(titles(&rebuilt), titles(&office));

    // A rebuild cut off leaves its mark: the folder is no archive until the
    // same restore, run again, makes it anew.
    std::fs::write(rebuilt.join("PEMULIHAN-BELUM-SELESAI"), b"").unwrap();
    let out = arsip(&rebuilt).arg("verify").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("terputus"));
    // This time the drive lost one original: the rest comes back, the gap is named.
    let lost = walk_blobs(&drive.join("blobs"))
        .into_iter()
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .unwrap();
    std::fs::remove_file(&lost).unwrap();
    let out = arsip(&rebuilt)
        .args(["restore", &from, "--region", "32.71"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "one original missing: {out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 tidak ada atau rusak"));
    assert_eq!(titles(&rebuilt), titles(&office));
    // Any whole copy mends it: here, the office's own archive folder.
    let out = arsip(&rebuilt)
        .args(["verify", "--repair", &office.display().to_string()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    std::fs::remove_dir_all(&rebuilt).unwrap();

    // A key no office signed with: said, not an empty archive.
    let other = "ab".repeat(32);
    let out = arsip(&rebuilt)
        .args([
            "restore",
            &drive.join("offices").join(other).display().to_string(),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success(), "{out:?}");
}

/// The access class and whether it is live, as the province's admin sees a record.
fn province_state(prov: &Path, id: &RecordId) -> Option<String> {
    let conn = rusqlite::Connection::open(prov.join("catalogue.sqlite")).unwrap();
    conn.query_row(
        "SELECT access || CASE deleted WHEN 1 THEN ' (dihapus)' ELSE '' END FROM record WHERE id = ?1",
        [id.to_string()],
        |r| r.get(0),
    )
    .ok()
}

#[test]
fn a_restore_from_an_older_copy_cannot_roll_the_province_back() {
    let dir = tempfile::tempdir().unwrap();
    let s3 = S3Server::start();
    let office = office(dir.path(), 3);
    let ids = record_ids(&office);
    retitle(&office, &ids[0], "Keputusan yang kemudian dirahasiakan");
    let usb = dir.path().join("usb");
    let out = arsip(&office)
        .args(["sync", "push", &format!("file://{}", usb.display())])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // After the drive's copy: one record restricted, another deleted, sent to the province.
    let a = Archive::open(&office).unwrap();
    let restrict = RecordEdit {
        access: Some(AccessLevel::Rahasia),
        ..RecordEdit::default()
    };
    a.edit(&ids[0], &restrict, &Clearance::operator("uji"))
        .unwrap();
    a.delete(&ids[1], &Clearance::operator("uji")).unwrap();
    drop(a);
    let out = with_s3(arsip(&office), &s3)
        .args(["sync", "push", "s3://arsip/jabar"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let prov = province(dir.path(), &[&office]);
    let out = with_s3(arsip(&prov), &s3)
        .args(["sync", "pull", "s3://arsip/jabar"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let before = (
        province_state(&prov, &ids[0]),
        province_state(&prov, &ids[1]),
    );
    assert_eq!(before.0.as_deref(), Some("rahasia"));
    assert_eq!(before.1.as_deref(), Some("terbatas (dihapus)"));

    // The disk dies; the office is rebuilt from the older drive.
    let key = key_of(&office);
    std::fs::remove_dir_all(&office).unwrap();
    let rebuilt = dir.path().join("baru");
    let from = usb.join("offices").join(&key).display().to_string();
    let out = arsip(&rebuilt)
        .args(["restore", &from, "--region", "32.71"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = arsip(&prov)
        .args(["office", "replace", "Kantor 0", "--key", &key_of(&rebuilt)])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = with_s3(arsip(&rebuilt), &s3)
        .args(["sync", "push", "s3://arsip/jabar"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = with_s3(arsip(&prov), &s3)
        .args(["sync", "pull", "s3://arsip/jabar"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the older copy is refused: {out:?}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("older"), "{err}");
    assert_eq!(
        (
            province_state(&prov, &ids[0]),
            province_state(&prov, &ids[1])
        ),
        before,
        "the restriction and the deletion stand"
    );
}
