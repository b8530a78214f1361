//! `arsip watch`: the scanner's folder read as files arrive, a document's
//! page files as one record, while the archive is used from another process.

use crate::{arsip, init, json_lines};
use arsip_core::corpus::{self, CorpusOptions, Format};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant, SystemTime};

fn listed(archive: &Path) -> Vec<serde_json::Value> {
    let out = arsip(archive).args(["--json", "list"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    json_lines(&out)
}

#[test]
fn a_watched_folder_is_read_as_scans_arrive() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("arsip");
    init(&archive);
    let made = dir.path().join("made");
    let truths = corpus::generate(
        &made,
        &CorpusOptions {
            records: 2,
            seed: 21,
            dpi: 100,
            turn_every: 0,
            formats: vec![Format::TextPdf],
            kinds: Vec::new(),
        },
    )
    .unwrap();
    let scanner = dir.path().join("scanner");
    std::fs::create_dir_all(&scanner).unwrap();
    let mut watcher = arsip(&archive)
        .args(["--json", "watch"])
        .arg(&scanner)
        .args(["--access", "terbuka"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The scanner finishes two pages of one document (a minute ago).
    for (t, name) in truths.iter().zip(["BA_p1.pdf", "BA_p2.pdf"]) {
        let to = scanner.join(name);
        std::fs::copy(made.join(&t.file), &to).unwrap();
        let file = std::fs::File::options().write(true).open(&to).unwrap();
        file.set_modified(SystemTime::now() - Duration::from_secs(60))
            .unwrap();
    }
    // Waits for the record as staff would, looking from another process.
    let start = Instant::now();
    let records = loop {
        let records = listed(&archive);
        if !records.is_empty() || start.elapsed() > Duration::from_secs(120) {
            break records;
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    watcher.kill().unwrap();
    let out = watcher.wait_with_output().unwrap();
    assert_eq!(records.len(), 1, "one record of both pages: {out:?}");
    assert_eq!(records[0]["files"], 2);
    assert_eq!(records[0]["access"], "terbuka");
    let said = json_lines(&out);
    assert!(said[0]["watching"].as_str().unwrap().ends_with("scanner"));
    assert!(
        said.iter()
            .any(|l| l["status"] == "added"
                && l["parts"][0].as_str().unwrap().ends_with("BA_p2.pdf")),
        "{said:?}"
    );
    // Stopped from the terminal.
    let out = arsip(&archive).args(["watch", "--stop"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("tidak dipantau"));
    let out = arsip(&archive).arg("watch").output().unwrap();
    assert!(!out.status.success(), "nothing to watch: {out:?}");
}
