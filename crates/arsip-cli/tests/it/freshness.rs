//! Two `arsip serve` processes on one archive, as `scripts/run.sh` starts
//! them (the office's and the kiosk's): a record the office restricts or
//! deletes is gone from the kiosk's next search, export and page at once,
//! not after a restart (issue 10, item 2).

use super::{arsip, init, json_lines, Served};
use arsip_core::corpus::{self, CorpusOptions, Format};
use std::io::Write;
use std::time::Instant;

fn search(kiosk: &Served) -> (u64, String) {
    let (status, body) = kiosk.call("GET", "/api/search?q=&limit=100", None, None);
    assert_eq!(status, 200, "{body}");
    (Served::json(&body)["total"].as_u64().unwrap(), body)
}

#[test]
fn a_restriction_at_the_office_reaches_the_kiosk_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a");
    init(&archive);
    let input = dir.path().join("in");
    let truths = corpus::generate(
        &input,
        &CorpusOptions {
            records: 4,
            seed: 21,
            dpi: 150,
            turn_every: 0,
            formats: vec![Format::TextPdf],
            kinds: Vec::new(),
        },
    )
    .unwrap();
    let out = arsip(&archive)
        .args(["--json", "ingest", "--access", "terbuka"])
        .args(corpus::paths(&input, &truths))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let ids: Vec<String> = json_lines(&out)
        .iter()
        .filter_map(|l| l["id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(ids.len(), 4, "{out:?}");
    let mut add = arsip(&archive)
        .args(["user", "add", "admin1", "--role", "admin"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(b"kata-sandi-kantor\n")
        .unwrap();
    assert!(add.wait().unwrap().success());

    let office = Served::start(&archive, &[]);
    let kiosk = Served::start(&archive, &["--kiosk"]);
    let (before, body) = search(&kiosk);
    assert_eq!(before, 4);
    let (restricted, deleted) = (&ids[0], &ids[1]);
    assert!(body.contains(restricted.as_str()) && body.contains(deleted.as_str()));

    let (status, body) = office.call(
        "POST",
        "/api/login",
        None,
        Some(r#"{"name":"admin1","password":"kata-sandi-kantor"}"#),
    );
    assert_eq!(status, 200, "{body}");
    let token = Served::json(&body)["token"].as_str().unwrap().to_string();
    let (status, body) = office.call(
        "PATCH",
        &format!("/api/records/{restricted}"),
        Some(&token),
        Some(r#"{"access":"rahasia"}"#),
    );
    assert_eq!(status, 200, "{body}");
    let (status, _) = office.call(
        "DELETE",
        &format!("/api/records/{deleted}"),
        Some(&token),
        None,
    );
    assert_eq!(status, 204);
    let changed = Instant::now();

    // The kiosk's very next requests, with no wait and no restart.
    let (total, body) = search(&kiosk);
    let seen = changed.elapsed();
    assert!(
        !body.contains(restricted.as_str()),
        "restricted record in the kiosk's results"
    );
    assert!(
        !body.contains(deleted.as_str()),
        "deleted record in the kiosk's results"
    );
    assert_eq!(total, 2, "the total counts only what the kiosk may see");
    let (status, csv) = kiosk.call("GET", "/api/export.csv?q=", None, None);
    assert_eq!(status, 200);
    assert!(!csv.contains(restricted.as_str()) && !csv.contains(deleted.as_str()));
    for id in [restricted, deleted] {
        let (status, _) = kiosk.call("GET", &format!("/api/records/{id}"), None, None);
        assert_eq!(status, 404);
    }
    println!("freshness across processes: the kiosk's first search after the change, {seen:?} later, already reflected it");
}
