//! End-to-end tests of the `arsip` binary: the command-line contract, a batch
//! killed with SIGKILL at several points then run again, and the PDF worker on
//! hundreds of real-world PDFs (`pdf_sweep`).

// Fixture helpers outside #[test] functions may fail loudly: a failed setup is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod backup;
mod freshness;
mod handover;
mod pdf_sweep;
mod pytools;
mod recover;
mod retention;
mod separators;
mod served;
mod sync;
mod watch;

use arsip_core::corpus::{self, CorpusOptions, Format};
use serde_json::Value;
use served::Served;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

fn arsip(archive: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_arsip"));
    c.arg("--archive").arg(archive);
    c
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn init(archive: &Path) {
    let out = arsip(archive)
        .args(["init", "--office", "KPU Kota Bogor", "--region", "32.71"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

#[test]
fn the_command_line_contract() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let opts = CorpusOptions {
        records: 3,
        seed: 11,
        dpi: 150,
        turn_every: 0,
        formats: vec![Format::TextPdf, Format::Png],
        kinds: Vec::new(),
    };
    let truths = corpus::generate(&input, &opts).unwrap();
    std::fs::write(input.join("kosong.pdf"), b"").unwrap();
    let archive = dir.path().join("a");
    init(&archive);

    let out = arsip(&archive)
        .args(["ingest", "--json"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "one file failed: {out:?}");
    let lines = json_lines(&out);
    let files: Vec<&Value> = lines.iter().filter(|l| l.get("path").is_some()).collect();
    assert_eq!(
        files.len(),
        truths.len() + 2,
        "truth.json and kosong.pdf are files too"
    );
    let failed: Vec<&&Value> = files.iter().filter(|f| f["status"] == "failed").collect();
    assert_eq!(
        failed.len(),
        2,
        "kosong.pdf (empty) and truth.json (unsupported)"
    );
    assert!(failed.iter().any(|f| f["error"]["code"] == "empty_file"
        && f["error"]["message"].as_str().unwrap().contains("kosong")));
    let summary = &lines.last().unwrap()["summary"];
    assert_eq!(summary["added"], truths.len());
    assert_eq!(summary["failed"], 2);

    let out = arsip(&archive)
        .args(["search", "--json", "berita", "acara"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let hits = json_lines(&out);
    let hit = &hits[0];
    for key in ["id", "title", "score", "snippet", "pages", "files"] {
        assert!(hit.get(key).is_some(), "search hit lacks {key}: {hit}");
    }
    assert_eq!(hit["files"][0]["name"], truths[0].file);
    assert_eq!(hit["pages"], serde_json::json!([1]));

    let id = hit["id"].as_str().unwrap();
    let out = arsip(&archive)
        .args(["show", "--json", id])
        .output()
        .unwrap();
    let shown = &json_lines(&out)[0];
    assert_eq!(shown["pages"][0]["number"], 1);
    assert_eq!(shown["pages"][0]["source"], "pdf");
    assert_eq!(
        shown["access"], "terbatas",
        "records are Terbatas unless told otherwise"
    );

    let out = arsip(&archive).args(["list", "--json"]).output().unwrap();
    let listed = json_lines(&out);
    assert_eq!(listed.len(), truths.len());
    assert!(listed
        .iter()
        .all(|r| r["files"] == 1 && r.get("type").is_some()));

    // The public role sees no Terbatas record, by search or by id.
    let out = arsip(&archive)
        .args(["search", "--json", "--role", "publik", "berita"])
        .output()
        .unwrap();
    assert_eq!(json_lines(&out).len(), 1, "only the summary line");
    let out = arsip(&archive)
        .args(["show", id, "--role", "publik"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Tidak ditemukan"));
    let out = arsip(&archive)
        .args(["--lang", "en", "show", id, "--role", "publik"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("Not found"));

    for args in [&["verify"][..], &["audit", "verify"]] {
        let out = arsip(&archive).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
    }
    let out = arsip(&archive)
        .args(["reindex", "--json"])
        .output()
        .unwrap();
    assert_eq!(json_lines(&out)[0]["reindexed"], truths.len());

    // Bad usage.
    let out = arsip(&archive)
        .args(["search", "--role", "raja", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = arsip(&archive).arg("terbang").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.starts_with("Perintah tidak dapat dipahami") && said.lines().count() == 1,
        "one line in Indonesian: {said}"
    );
    let out = arsip(&archive)
        .args(["--lang", "en", "terbang"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("Command not understood"));
    let out = arsip(&dir.path().join("tidak-ada"))
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("arsip init"));
}

#[test]
fn audit_tampering_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    corpus::generate(
        &input,
        &CorpusOptions {
            records: 2,
            seed: 5,
            dpi: 150,
            turn_every: 0,
            formats: vec![Format::TextPdf],
            kinds: Vec::new(),
        },
    )
    .unwrap();
    let archive = dir.path().join("a");
    init(&archive);
    assert!(arsip(&archive)
        .arg("ingest")
        .arg(input.join("0001-berita-acara.pdf"))
        .arg(input.join("0002-sk.pdf"))
        .output()
        .unwrap()
        .status
        .success());
    assert!(tamper_audit_entry(&archive, 2), "edited the audit table");
    let out = arsip(&archive)
        .args(["audit", "verify", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_lines(&out)[0]["first_broken"], 2);
}

/// Alters one audit entry behind the program's back, as a person with the file would
/// (Python's sqlite3, so the test needs no SQLite of its own).
fn tamper_audit_entry(archive: &Path, seq: u32) -> bool {
    let db = archive.join("catalogue.sqlite");
    let sql = format!("UPDATE audit SET detail = 'diubah' WHERE seq = {seq}");
    Command::new("python3")
        .args(["-c", &format!("import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"{sql}\"); c.commit()")])
        .arg(&db)
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

#[test]
fn a_killed_batch_finishes_on_the_next_run_with_nothing_lost_or_doubled() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let truths = corpus::generate(
        &input,
        &CorpusOptions {
            records: 8,
            seed: 9,
            dpi: 150,
            turn_every: 0,
            formats: Vec::new(),
            kinds: Vec::new(),
        },
    )
    .unwrap();
    std::fs::remove_file(input.join("truth.json")).unwrap();
    let archive = dir.path().join("a");
    init(&archive);
    // Kill -9 at several points of the batch, then let the last run finish.
    let mut counts_after_kills = Vec::new();
    for delay_ms in [300u64, 1500, 3000, 5000] {
        let mut child = arsip(&archive)
            .arg("ingest")
            .arg(&input)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let out = arsip(&archive).arg("verify").output().unwrap();
        assert!(
            out.status.success(),
            "after a kill at {delay_ms} ms the archive verifies: {out:?}"
        );
        let out = arsip(&archive).args(["list", "--json"]).output().unwrap();
        counts_after_kills.push(json_lines(&out).len());
    }
    // The kills must really have cut batches short, and work done before a kill is kept.
    assert!(
        counts_after_kills.iter().any(|n| *n < truths.len()),
        "no kill interrupted the batch: {counts_after_kills:?}"
    );
    assert!(
        counts_after_kills.windows(2).all(|w| w[0] <= w[1]),
        "records were lost between runs: {counts_after_kills:?}"
    );
    let out = arsip(&archive)
        .args(["ingest", "--json"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let lines = json_lines(&out);
    let summary = &lines.last().unwrap()["summary"];
    let kept = counts_after_kills.last().copied().unwrap_or(0);
    assert_eq!(
        summary["duplicate"], kept,
        "files catalogued before the kills are not read again"
    );
    assert_eq!(summary["added"], truths.len() - kept);
    let out = arsip(&archive).args(["list", "--json"]).output().unwrap();
    let listed = json_lines(&out);
    assert_eq!(listed.len(), truths.len(), "every file once");
    let out = arsip(&archive).args(["verify", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = arsip(&archive).args(["audit", "verify"]).output().unwrap();
    assert!(out.status.success());
    // Every record is searchable after the interrupted runs.
    let out = arsip(&archive)
        .args(["search", "--json", "--limit", "50"])
        .output()
        .unwrap();
    let hits = json_lines(&out).len() - 1;
    assert_eq!(hits, truths.len());
}

#[test]
fn a_user_is_added_with_a_password_from_standard_input() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a");
    init(&archive);
    let add = |password: &str| {
        let mut child = arsip(&archive)
            .args(["user", "add", "sri", "--role", "sekretariat"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        child.wait_with_output().unwrap()
    };
    let out = add("pendek");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Kata sandi terlalu pendek"),
        "{out:?}"
    );
    let out = add("kata sandi yang panjang");
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("sekretariat"));
    // The password is nowhere in the catalogue file; the change is audited.
    let needle = b"kata sandi yang panjang";
    for file in ["catalogue.sqlite", "catalogue.sqlite-wal"] {
        let bytes = std::fs::read(archive.join(file)).unwrap_or_default();
        assert!(!bytes.windows(needle.len()).any(|w| w == needle), "{file}");
    }
    let out = arsip(&archive).args(["audit", "verify"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
}

#[test]
fn a_vocabulary_is_imported_from_csv_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a");
    init(&archive);
    let good = dir.path().join("jenis.csv");
    std::fs::write(
        &good,
        "code,name_id,name_en\nmaklumat,Maklumat,\"Notice, public\"\n",
    )
    .unwrap();
    let out = arsip(&archive)
        .args(["vocab", "import", "document-types"])
        .arg(&good)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("1 baris diimpor"));
    // A region whose parent does not exist: the line is named, nothing is imported.
    let bad = dir.path().join("wilayah.csv");
    std::fs::write(
        &bad,
        "code,name,level,parent\n32.71.99,Kecamatan Baru,3,32.71\n32.99.01,Entah,3,32.99\n",
    )
    .unwrap();
    let out = arsip(&archive)
        .args(["vocab", "import", "regions"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("line 3"),
        "{out:?}"
    );
    let regions = count(
        &archive,
        "SELECT COUNT(*) FROM region WHERE code = '32.71.99'",
    );
    assert_eq!(regions, 0, "the good line of a failed import is not kept");
    let types = count(
        &archive,
        "SELECT COUNT(*) FROM doc_type WHERE code = 'maklumat'",
    );
    assert_eq!(types, 1);
}

fn count(archive: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(archive.join("catalogue.sqlite")).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn serve_answers_over_tcp_and_the_kiosk_offers_no_login() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a");
    init(&archive);
    let kiosk = Served::start(&archive, &["--kiosk"]);
    let (status, body) = kiosk.call("GET", "/api/search?q=pemilu", None, None);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"total\":0"), "{body}");
    let login = r#"{"name":"a","password":"bbbbbbbb"}"#;
    let (status, body) = kiosk.call("POST", "/api/login", None, Some(login));
    assert_eq!(status, 403, "{body}");
}

#[test]
fn serve_closes_a_connection_whose_headers_never_end() {
    use std::io::{ErrorKind, Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a");
    init(&archive);
    let server = Served::start(&archive, &[]);
    // Half a request, then silence: without a header read timeout the
    // connection (and its task) would be held until the client left.
    let mut slow = std::net::TcpStream::connect(&server.addr).unwrap();
    // Only the failure bound: the server's own timeout is far shorter.
    slow.set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\n").unwrap();
    let mut got = Vec::new();
    match slow.read_to_end(&mut got) {
        Ok(_) => {}
        Err(e) => assert!(
            !matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
            "the server kept a half-sent request open: {e}"
        ),
    }
    // Anything it said before closing is at most an error reply, never a page.
    let got = String::from_utf8_lossy(&got);
    assert!(got.is_empty() || got.starts_with("HTTP/1.1 4"), "{got}");
    // And the server goes on serving.
    let reply = server.ask("GET /api/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains("\"role\":\"publik\""), "{reply}");
    // Keep-alive is on: two requests on one connection.
    let reply = server.ask(
        "GET /api/me HTTP/1.1\r\nHost: x\r\n\r\nGET /api/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(reply.matches("HTTP/1.1 200").count(), 2, "{reply}");
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    use arsip_core::catalogue::NewRecord;
    use arsip_core::model::StoredFile;
    use arsip_core::test_support::RawCatalogue;
    use arsip_core::{AccessLevel, ContentHash};
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a");
    init(&archive);
    // Far more output than a pipe holds (64 KiB on Linux), so `arsip` is
    // still writing when the reader goes away.
    let records: Vec<NewRecord> = (0..2000)
        .map(|i| {
            let name = format!("berita-acara-{i}.pdf");
            let file = StoredFile {
                name: name.clone(),
                sha256: ContentHash::of(name.as_bytes()),
                media_type: "application/pdf".into(),
                size: 1,
            };
            NewRecord::born_digital(
                format!("Berita Acara Rekapitulasi Hasil Penghitungan Suara nomor {i}"),
                file,
                "BERITA ACARA",
                AccessLevel::Terbuka,
                "uji",
            )
        })
        .collect();
    RawCatalogue::open(&archive)
        .unwrap()
        .insert_records(&records)
        .unwrap();
    // `arsip list | head -1`
    let mut child = arsip(&archive)
        .arg("list")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.contains("Berita Acara"), "{line}");
    drop(reader);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
}
