//! `arsip key`, `arsip office`, `arsip sync` from a terminal: the exit codes
//! and messages of the contract, and a push killed with SIGKILL at random
//! points, then run again: nothing complete is uploaded twice, a resumed
//! large file sends at most one part again, and everything arrives.

#[path = "../../../arsip-remote/tests/it/s3.rs"]
pub(crate) mod s3;

use crate::{arsip, init, json_lines};
use arsip_core::catalogue::NewRecord;
use arsip_core::corpus::{self, CorpusOptions, Format};
use arsip_core::model::StoredFile;
use arsip_core::sync::store::Store;
use arsip_core::sync::PART_SIZE;
use arsip_core::test_support::RawCatalogue;
use arsip_core::{AccessLevel, ContentHash};
use rand::{Rng, SeedableRng};
use s3::S3Server;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// An office archive with `records` text-PDF records, ingested by the CLI.
/// An office archive in `dir` with `records` text PDFs ingested.
pub(crate) fn office(dir: &Path, records: usize) -> PathBuf {
    let archive = dir.join("bogor");
    init(&archive);
    let input = dir.join("masuk");
    let truths = corpus::generate(
        &input,
        &CorpusOptions {
            records,
            seed: 31,
            dpi: 100,
            turn_every: 0,
            formats: vec![Format::TextPdf],
            kinds: Vec::new(),
        },
    )
    .unwrap();
    let out = arsip(&archive)
        .arg("ingest")
        .args(corpus::paths(&input, &truths))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    archive
}

pub(crate) fn key_of(archive: &Path) -> String {
    let out = arsip(archive).args(["key", "show"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

pub(crate) fn province(dir: &Path, offices: &[&Path]) -> PathBuf {
    let p = dir.join("provinsi");
    let out = arsip(&p)
        .args([
            "init",
            "--province",
            "--office",
            "KPU Provinsi Jawa Barat",
            "--region",
            "32",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    for (i, o) in offices.iter().enumerate() {
        let out = arsip(&p)
            .args(["office", "add", &format!("Kantor {i}"), "--key", &key_of(o)])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    }
    p
}

#[test]
fn sync_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let office = office(dir.path(), 2);
    let key = key_of(&office);
    assert_eq!(key.len(), 64, "the key alone when piped: {key}");
    let drive = dir.path().join("usb");
    let target = format!("file://{}", drive.display());

    let out = arsip(&office)
        .args(["sync", "push", &target])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("Terkirim ke file://"), "{said}");

    let out = arsip(&office)
        .args(["--json", "sync", "status"])
        .output()
        .unwrap();
    let status = &json_lines(&out)[0];
    assert_eq!(status["unsealed"], 0);
    assert_eq!(status["targets"][0]["url"], target.as_str());
    assert_eq!(status["targets"][0]["sent_seq"], status["changes"]);

    // A target that is not a URL this program knows: one clear line, exit 2.
    let out = arsip(&office)
        .args(["sync", "push", "ftp://kpu/arsip"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("s3://BUCKET/AWALAN"));

    // An office cannot pull; a province can.
    let out = arsip(&office)
        .args(["sync", "pull", &target])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bukan arsip provinsi"));
    let prov = province(dir.path(), &[&office]);
    let out = arsip(&prov)
        .args(["sync", "pull", &target])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Kantor 0: 1 segmen diterapkan, 2 arsip"));

    // A damaged segment on the drive: exit 1, the segment named with the reason.
    let log = drive.join("offices").join(&key).join("log");
    let mut segments: Vec<PathBuf> = std::fs::read_dir(&log)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    segments.sort();
    let first = segments[0].clone();
    let mut bytes = std::fs::read(&first).unwrap();
    let last = bytes.len() - 3;
    bytes[last] ^= 0xff;
    std::fs::write(&first, bytes).unwrap();
    let fresh = tempfile::tempdir().unwrap();
    let prov = province(fresh.path(), &[&office]);
    let out = arsip(&prov)
        .args(["sync", "pull", &target])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    let name = first.file_name().unwrap().to_string_lossy().to_string();
    assert!(err.contains("DITOLAK") && err.contains(&name), "{err}");
    let out = arsip(&prov).args(["--json", "list"]).output().unwrap();
    assert!(json_lines(&out).is_empty(), "nothing applied");
}

/// Adds one record whose original is `size` random bytes (a large scan),
/// through the catalogue as an import would; no thumbnails.
fn add_large_record(archive: &Path, size: usize, seed: u64) -> ContentHash {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut bytes = vec![0u8; size];
    rng.fill(&mut bytes[..]);
    let hash = arsip_core::blobs::BlobStore::open(archive.join("blobs"))
        .unwrap()
        .put_bytes(&bytes)
        .unwrap();
    let mut cat = RawCatalogue::open(archive).unwrap();
    let file = StoredFile {
        name: "dpt-bogor-utara.pdf".into(),
        sha256: hash,
        media_type: "application/pdf".into(),
        size: size as u64,
    };
    cat.insert_record(&NewRecord::born_digital(
        "Pindaian Daftar Pemilih Tetap Kecamatan Bogor Utara",
        file,
        "DAFTAR PEMILIH TETAP",
        AccessLevel::Terbatas,
        "uji",
    ))
    .unwrap();
    hash
}

pub(crate) fn push_command(office: &Path, s3: &S3Server, extra: &[&str]) -> Command {
    let mut c = arsip(office);
    c.args(["--json", "sync", "push", "s3://arsip/kill"])
        .args(extra);
    for (k, v) in s3.settings() {
        c.env(k.to_uppercase(), v);
    }
    c
}

#[test]
fn a_push_killed_at_random_points_resumes_and_sends_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let s3 = S3Server::start();
    let office = office(dir.path(), 2);
    let big = add_large_record(&office, 3 * PART_SIZE as usize - 1000, 7);
    let sizes: HashMap<String, u64> = {
        let conn = rusqlite::Connection::open(office.join("catalogue.sqlite")).unwrap();
        let mut stmt = conn
            .prepare("SELECT sha256, size FROM file UNION SELECT thumbnail, 0 FROM page WHERE thumbnail IS NOT NULL")
            .unwrap();
        stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
        })
        .unwrap()
        .map(|r| r.unwrap())
        .map(|(sha, size)| {
            let size = if size == 0 {
                std::fs::metadata(
                    arsip_core::blobs::BlobStore::open(office.join("blobs"))
                        .unwrap()
                        .path_of(&ContentHash::parse(&sha).unwrap()),
                )
                .unwrap()
                .len()
            } else {
                size
            };
            (sha, size)
        })
        .collect()
    };
    let total: u64 = sizes.values().sum();

    // Kill the pusher at random instants (paced to 8 MB/s, so the kills
    // land mid-transfer), remembering which objects were already whole.
    let mut rng = rand::rngs::StdRng::seed_from_u64(2024);
    let mut whole_before: HashMap<PathBuf, std::time::SystemTime> = HashMap::new();
    let mut cut_mid_file = 0;
    for _ in 0..5 {
        let mut child = push_command(&office, &s3, &["--limit-kbps", "8000", "--transfers", "2"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.random_range(100..1500)));
        let _ = child.kill();
        let _ = child.wait();
        for (sha, size) in &sizes {
            // On Garage objects are not files: this check is s3s-fs's.
            let Some(file) =
                s3.object_file(&format!("kill/blobs/{}/{}/{sha}", &sha[0..2], &sha[2..4]))
            else {
                continue;
            };
            if let Ok(meta) = std::fs::metadata(&file) {
                if meta.len() == *size {
                    whole_before.entry(file).or_insert(meta.modified().unwrap());
                }
            }
        }
        if (1..sizes.len()).contains(&whole_before.len()) {
            cut_mid_file += 1;
        }
    }
    assert!(
        cut_mid_file > 0 || s3.object_file("").is_none(),
        "no kill landed mid-push"
    );
    let before = s3::acknowledged(&office, &s3.store("kill"), "s3://arsip/kill", &sizes);
    let out = push_command(&office, &s3, &[]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let report = &json_lines(&out)[0]["pushed"];
    let sent = report["bytes_sent"].as_u64().unwrap();
    // Parts s3s-fs forgot with an upload cut off while it assembled the
    // object are sent again, and reported; beyond them, only what was in
    // flight: at most one part per transfer.
    let lost = report["bytes_lost"].as_u64().unwrap();
    let resent = (before + sent).saturating_sub(total);
    assert!(
        resent.saturating_sub(lost) <= 2 * PART_SIZE,
        "after the kills, {resent} bytes were sent again ({lost} lost with a forgotten upload)"
    );
    for (file, modified) in &whole_before {
        let now = std::fs::metadata(file).unwrap().modified().unwrap();
        assert_eq!(now, *modified, "{} was uploaded again", file.display());
    }

    // Everything arrived: the province gets every record, and the large
    // original, fetched from the store, is byte for byte the office's.
    let prov = province(dir.path(), &[&office]);
    let mut pull = arsip(&prov);
    pull.args(["sync", "pull", "s3://arsip/kill"]);
    for (k, v) in s3.settings() {
        pull.env(k.to_uppercase(), v);
    }
    let out = pull.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("3 arsip"),
        "{out:?}"
    );
    let hex = big.to_hex();
    let stored = s3
        .store("kill")
        .get(&format!("blobs/{}/{}/{hex}", &hex[0..2], &hex[2..4]))
        .unwrap()
        .unwrap();
    assert_eq!(ContentHash::of(&stored), big);
}

#[test]
fn a_large_file_cut_off_after_one_part_resumes_at_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let s3 = S3Server::start();
    let office = dir.path().join("kantor");
    init(&office);
    let size = 3 * PART_SIZE - 1000;
    add_large_record(&office, size as usize, 9);
    let out = push_command(&office, &s3, &[])
        .env("ARSIP_FAILPOINT", "after-part")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(86),
        "stopped after the first part: {out:?}"
    );
    let out = push_command(&office, &s3, &[]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let report = &json_lines(&out)[0]["pushed"];
    assert_eq!(
        report["bytes_sent"].as_u64(),
        Some(size - PART_SIZE),
        "{report}"
    );
    assert_eq!(report["blobs_sent"], 1);
}

#[test]
fn s3_settings_saved_in_the_archive_serve_a_push_without_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let s3 = S3Server::start();
    let office = office(dir.path(), 1);
    let configure = |secret: &str| {
        let mut c = arsip(&office);
        c.args([
            "sync",
            "s3",
            "--endpoint",
            &s3.endpoint,
            "--access-key-id",
            s3::KEY,
            "--allow-http",
        ]);
        c.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        std::io::Write::write_all(
            child.stdin.as_mut().unwrap(),
            format!("{secret}\n").as_bytes(),
        )
        .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{out:?}");
    };
    let push = || {
        let mut c = arsip(&office);
        c.args(["sync", "push", "s3://arsip/conf"]);
        for var in [
            "AWS_ENDPOINT_URL",
            "AWS_ENDPOINT",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_REGION",
            "AWS_ALLOW_HTTP",
        ] {
            c.env_remove(var);
        }
        c.output().unwrap()
    };
    configure("kata-sandi-salah");
    let out = push();
    assert_eq!(out.status.code(), Some(1), "a wrong secret fails: {out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("tidak dapat dijangkau"));
    configure(s3::SECRET);
    let out = push();
    assert!(out.status.success(), "{out:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(office.join("s3.conf"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the secret is the owner's alone");
    }
}

#[test]
fn a_push_cut_off_after_the_store_completed_a_file_sends_it_no_more() {
    let dir = tempfile::tempdir().unwrap();
    let s3 = S3Server::start();
    let office = dir.path().join("kantor");
    init(&office);
    let size = 2 * PART_SIZE + 10;
    let big = add_large_record(&office, size as usize, 11);
    let out = push_command(&office, &s3, &[])
        .env("ARSIP_FAILPOINT", "after-complete")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(86),
        "stopped after completing: {out:?}"
    );
    let receipts = |office: &Path| -> i64 {
        rusqlite::Connection::open(office.join("catalogue.sqlite"))
            .unwrap()
            .query_row("SELECT count(*) FROM sync_upload", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(receipts(&office), 1, "the receipts outlived the upload");

    let out = push_command(&office, &s3, &[]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let report = &json_lines(&out)[0]["pushed"];
    assert_eq!(report["blobs_sent"], 0, "{report}");
    assert_eq!(
        receipts(&office),
        0,
        "receipts of a finished upload are forgotten"
    );
    let sizes = HashMap::from([(big.to_hex(), size)]);
    assert_eq!(
        s3::acknowledged(&office, &s3.store("kill"), "s3://arsip/kill", &sizes),
        size,
        "a whole file is counted once"
    );
}

#[test]
fn a_flash_drive_not_plugged_in_is_said_and_nothing_lands_on_the_system_disk() {
    let dir = tempfile::tempdir().unwrap();
    let office = office(dir.path(), 1);
    // /media/FLASHDISK exists only while the drive is plugged in.
    let drive = dir.path().join("media").join("FLASHDISK").join("rpp");
    let out = arsip(&office)
        .args(["sync", "push", &format!("file://{}", drive.display())])
        .output()
        .unwrap();
    assert!(!out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("flash disk sudah terpasang"), "{err}");
    assert!(
        !dir.path().join("media").exists(),
        "nothing written in its place"
    );
}

/// Pages split off and merged at the office (files moving between records)
/// arrive at the province as the office has them.
#[test]
fn pages_moved_at_the_office_arrive_moved_at_the_province() {
    let dir = tempfile::tempdir().unwrap();
    let office = dir.path().join("bogor");
    init(&office);
    let input = dir.path().join("masuk");
    let truths = corpus::generate(
        &input,
        &CorpusOptions {
            records: 3,
            seed: 12,
            dpi: 100,
            turn_every: 0,
            formats: vec![Format::TextPdf],
            kinds: Vec::new(),
        },
    )
    .unwrap();
    // Two files a scanner named as pages of one document, one alone.
    for (t, name) in truths.iter().zip(["BA_p1.pdf", "BA_p2.pdf"]) {
        std::fs::rename(input.join(&t.file), input.join(name)).unwrap();
    }
    std::fs::remove_file(input.join("truth.json")).unwrap();
    let out = arsip(&office)
        .args(["--json", "ingest"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let lines = json_lines(&out);
    let summary = &lines.last().unwrap()["summary"];
    assert_eq!(summary["added"], 2, "{lines:?}");
    let id_of = |name: &str| {
        lines
            .iter()
            .find(|l| l["path"].as_str().is_some_and(|p| p.ends_with(name)))
            .and_then(|l| l["id"].as_str())
            .unwrap()
            .to_string()
    };
    let (ba, alone) = (id_of("BA_p1.pdf"), id_of(&truths[2].file));
    let show = |archive: &Path, id: &str| {
        let out = arsip(archive)
            .args(["--json", "show", id])
            .output()
            .unwrap();
        assert!(out.status.success(), "{id}: {out:?}");
        json_lines(&out).remove(0)
    };
    let ba_pages = show(&office, &ba)["pages"].as_array().unwrap().len();
    let first_file = truths[0].pages.len();
    assert_eq!(ba_pages, first_file + truths[1].pages.len());
    // Split the second file's pages off, then merge the lone record into it.
    let second = format!("{}-{ba_pages}", first_file + 1);
    let out = arsip(&office)
        .args(["--json", "move-pages", &ba, &second])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let split = json_lines(&out)[0]["id"].as_str().unwrap().to_string();
    let all = format!("1-{}", truths[2].pages.len());
    let out = arsip(&office)
        .args(["move-pages", &alone, &all, "--to", &split])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Halaman dipindahkan"));
    // A page that shares its file with one not moved: refused, in words.
    let out = arsip(&office)
        .args(["move-pages", &split, "1"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bagian dari satu berkas"),
        "{out:?}"
    );

    let drive = dir.path().join("usb");
    let target = format!("file://{}", drive.display());
    let out = arsip(&office)
        .args(["sync", "push", &target])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let prov = province(dir.path(), &[&office]);
    let out = arsip(&prov)
        .args(["sync", "pull", &target])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let listed = |archive: &Path| {
        let out = arsip(archive).args(["--json", "list"]).output().unwrap();
        let mut ids: Vec<String> = json_lines(&out)
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(listed(&prov), listed(&office));
    assert_eq!(listed(&office).len(), 2, "the lone record merged away");
    for id in [&ba, &split] {
        let (here, there) = (show(&office, id), show(&prov, id));
        assert!(here["files"].as_array().is_some_and(|f| !f.is_empty()));
        assert_eq!(here["files"], there["files"], "{id}");
        let texts = |v: &serde_json::Value| -> Vec<String> {
            v["pages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| format!("{} {}", p["file"], p["text"]))
                .collect()
        };
        assert_eq!(texts(&here), texts(&there), "{id}");
    }
}
