//! Cataloguing through the API: uploads, server-side imports with progress,
//! edits one by one and in batches, and who may do each.

use super::{call, call_with, fixture, login, send, Reply};
use arsip_api::{Mode, HIGHLIGHTS_HEADER};
use arsip_core::corpus::{self, CorpusOptions, Format, Truth};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;

/// Fresh documents of our own, so edits here touch no other test's records.
fn documents(seed: u64, records: usize) -> (tempfile::TempDir, Vec<Truth>) {
    let dir = tempfile::tempdir().unwrap();
    let truths = corpus::generate(
        dir.path(),
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
    (dir, truths)
}

fn upload(token: Option<&str>, name: &str, bytes: Vec<u8>) -> Reply {
    let mut req = Request::builder()
        .method("POST")
        .uri(format!("/api/uploads?name={name}&series=Unggahan%20Uji"))
        .header("content-type", "application/octet-stream");
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    send(Mode::Office, req.body(Body::from(bytes)).unwrap())
}

#[test]
fn staff_upload_edit_and_find_a_document() {
    let (dir, truths) = documents(41, 2);
    let arsip = login("arsip1");
    let t = &truths[0];
    let bytes = std::fs::read(dir.path().join(&t.file)).unwrap();

    // Only those who catalogue may upload.
    for token in [None, Some(login("sekre1"))] {
        let r = upload(token.as_deref(), &t.file, bytes.clone());
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    }
    let r = upload(Some(&arsip), &t.file, bytes.clone());
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let report = r.json();
    assert_eq!(report["status"], "added", "{report}");
    assert_eq!(report["path"], t.file.as_str(), "no server path leaks");
    let id = report["id"].as_str().unwrap().to_string();
    let again = upload(Some(&arsip), &t.file, bytes).json();
    assert_eq!(again["status"], "duplicate");
    assert_eq!(again["id"], id.as_str());

    // A broken file is one clear failure, in Indonesian.
    let broken = upload(Some(&arsip), "rusak.pdf", b"%PDF-1.4 rusak".to_vec()).json();
    assert_eq!(broken["status"], "failed", "{broken}");
    assert!(!broken["error"]["message"].as_str().unwrap().is_empty());

    // Confirm the metadata the way the form does.
    let edit = json!({
        "title": "Berita Acara Uji Unggahan",
        "doc_date": "2024-02-14",
        "box_no": "B-01",
        "shelf": "R-2",
        "retention": "permanen",
    });
    let r = call(
        Mode::Office,
        "PATCH",
        &format!("/api/records/{id}"),
        Some(&arsip),
        Some(edit.clone()),
    );
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let view = r.json();
    assert_eq!(view["title"], "Berita Acara Uji Unggahan");
    assert_eq!(view["location"]["box_no"], "B-01");
    assert_eq!(view["series"], "Unggahan Uji");
    // The secretariat and the public may not edit.
    for token in [None, Some(login("sekre1"))] {
        let r = call(
            Mode::Office,
            "PATCH",
            &format!("/api/records/{id}"),
            token.as_deref(),
            Some(edit.clone()),
        );
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    let r = call(
        Mode::Kiosk,
        "PATCH",
        &format!("/api/records/{id}"),
        Some(&arsip),
        Some(edit),
    );
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a kiosk writes nothing");

    // A bad date is refused with a message in the caller's language.
    let bad = json!({"doc_date": "14/02/2024"});
    let r = call(
        Mode::Office,
        "PATCH",
        &format!("/api/records/{id}"),
        Some(&arsip),
        Some(bad.clone()),
    );
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["code"], "invalid_input");
    let en = call_with(
        Mode::Office,
        "PATCH",
        &format!("/api/records/{id}"),
        Some(&arsip),
        Some(bad),
        Some("en"),
    );
    assert_ne!(r.json()["error"]["message"], en.json()["error"]["message"]);

    // Making it public lowers its class: the admin's, with a reason, which
    // the audit trail keeps with the old and new class.
    let publish = |token: &str, body: serde_json::Value| {
        call(
            Mode::Office,
            "PATCH",
            &format!("/api/records/{id}"),
            Some(token),
            Some(body),
        )
    };
    let r = publish(&arsip, json!({"access": "terbuka", "reason": "dibuka"}));
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let admin = login("admin1");
    let r = publish(&admin, json!({"access": "terbuka"}));
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "reason_required");
    let r = publish(
        &admin,
        json!({"access": "terbuka", "reason": "informasi publik"}),
    );
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let conn =
        rusqlite::Connection::open(fixture().archive.root().join("catalogue.sqlite")).unwrap();
    let detail: String = conn
        .query_row(
            "SELECT detail FROM audit WHERE action = 'record.edit' AND target = ?1 ORDER BY seq DESC LIMIT 1",
            [&id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        detail.contains("access=terbatas->terbuka") && detail.contains("reason=informasi publik"),
        "{detail}"
    );

    // Now the public finds it and sees the searched word marked on the page.
    let r = call(Mode::Kiosk, "GET", "/api/search?q=unggahan", None, None);
    let hits = r.json()["hits"].as_array().unwrap().clone();
    assert!(hits.iter().any(|h| h["id"] == id.as_str()), "{hits:?}");
    let word = t.pages[0]
        .split_whitespace()
        .filter(|w| w.chars().all(char::is_alphabetic))
        .max_by_key(|w| w.len())
        .unwrap()
        .to_string();
    let r = call(
        Mode::Kiosk,
        "GET",
        &format!("/api/records/{id}/pages/1/image?q={word}"),
        None,
        None,
    );
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(&r.body[..2], &[0xff, 0xd8]);
    let marked: usize = r.headers[HIGHLIGHTS_HEADER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(marked >= 1, "'{word}' highlighted");

    // Deleting: archivists only; then it is gone for everyone.
    let r = call(
        Mode::Office,
        "DELETE",
        &format!("/api/records/{id}"),
        Some(&login("sekre1")),
        None,
    );
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = call(
        Mode::Office,
        "DELETE",
        &format!("/api/records/{id}"),
        Some(&arsip),
        None,
    );
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = call(
        Mode::Office,
        "GET",
        &format!("/api/records/{id}"),
        Some(&arsip),
        None,
    );
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[test]
fn a_folder_import_reports_progress_then_a_batch_edit_files_it() {
    let (dir, truths) = documents(43, 3);
    std::fs::write(dir.path().join("bukan-dokumen.txt"), "halo").unwrap();
    let admin = login("admin1");
    let folder = dir.path().display().to_string();
    let r = call(
        Mode::Office,
        "POST",
        "/api/imports",
        Some(&login("sekre1")),
        Some(json!({"paths": [folder]})),
    );
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = call(
        Mode::Office,
        "POST",
        "/api/imports",
        Some(&admin),
        Some(json!({"paths": [folder], "series": "Impor Folder"})),
    );
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
    let import = r.json()["id"].as_u64().unwrap();
    let status = loop {
        let r = call(
            Mode::Office,
            "GET",
            &format!("/api/imports/{import}"),
            Some(&admin),
            None,
        );
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let s = r.json();
        if !s["summary"].is_null() || !s["error"].is_null() {
            break s;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    // truth.json and the .txt are not documents: each is one failure, the rest goes on.
    let files = status["files"].as_array().unwrap();
    assert_eq!(
        status["total"].as_u64(),
        Some(files.len() as u64),
        "{status}"
    );
    assert_eq!(status["summary"]["added"], truths.len(), "{status}");
    assert_eq!(status["summary"]["failed"], 2, "{status}");
    let failed = files.iter().find(|f| f["status"] == "failed").unwrap();
    assert_eq!(failed["error"]["code"], "unsupported_format");

    let ids: Vec<String> = files
        .iter()
        .filter(|f| f["status"] == "added")
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    let batch = json!({"ids": ids, "edit": {"box_no": "B-77", "building": "Gudang RPP"}});
    let r = call(
        Mode::Office,
        "POST",
        "/api/records/edit",
        Some(&admin),
        Some(batch),
    );
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["changed"], ids.len());
    for id in &ids {
        let v = call(
            Mode::Office,
            "GET",
            &format!("/api/records/{id}"),
            Some(&admin),
            None,
        )
        .json();
        assert_eq!(v["location"]["box_no"], "B-77");
        assert_eq!(v["series"], "Impor Folder");
    }
    // One unknown id: nothing changes.
    let mut with_unknown = ids.clone();
    with_unknown.push(arsip_core::RecordId::new().to_string());
    let batch = json!({"ids": with_unknown, "edit": {"box_no": "B-78"}});
    let r = call(
        Mode::Office,
        "POST",
        "/api/records/edit",
        Some(&admin),
        Some(batch),
    );
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let v = call(
        Mode::Office,
        "GET",
        &format!("/api/records/{}", ids[0]),
        Some(&admin),
        None,
    )
    .json();
    assert_eq!(v["location"]["box_no"], "B-77");
}

#[test]
fn the_audit_log_shows_who_did_what_and_verifies() {
    let f = fixture();
    let sekre = login("sekre1");
    let r = call(
        Mode::Office,
        "GET",
        "/api/export.csv?q=pemilu",
        Some(&sekre),
        None,
    );
    assert_eq!(r.status, StatusCode::OK);
    let r = call(
        Mode::Office,
        "GET",
        "/api/audit?limit=500",
        Some(&sekre),
        None,
    );
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let entries = r.json();
    let entries = entries.as_array().unwrap();
    assert!(
        entries
            .windows(2)
            .all(|w| w[0]["seq"].as_i64() > w[1]["seq"].as_i64()),
        "newest first"
    );
    assert!(
        entries
            .iter()
            .any(|e| e["action"] == "search.export" && e["actor"] == "sekre1"),
        "the export is audited"
    );
    let r = call(Mode::Office, "GET", "/api/audit/verify", Some(&sekre), None);
    assert_eq!(r.json()["first_broken"], serde_json::Value::Null);
    assert!(f
        .archive
        .audit_verify(&arsip_core::Clearance::operator("t"))
        .unwrap()
        .first_broken
        .is_none());
}

/// Issue 13: a file that fails to import is told in the reader's words by
/// its code, never in the operating system's ("No such file or directory
/// (os error 2)") nor a PDF reader's ("Syntax Error: …"), and with no path
/// on the server's disk; the path is the report's own field.
#[test]
fn import_failures_are_told_in_words_not_the_systems() {
    use arsip_core::strings::error_text;
    use arsip_core::{ErrorCode, Lang};
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("masuk");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("rusak.pdf"), b"%PDF-1.4 rusak").unwrap();
    std::fs::write(folder.join("kosong.pdf"), b"").unwrap();
    std::fs::write(folder.join("catatan.txt"), b"halo").unwrap();
    // A file moved away after it was dropped in: its name is still there.
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        dir.path().join("sudah-dipindah.pdf"),
        folder.join("hilang.pdf"),
    )
    .unwrap();
    let admin = login("admin1");
    let code_of = |f: &serde_json::Value| {
        *ErrorCode::ALL
            .iter()
            .find(|c| f["error"]["code"] == c.as_str())
            .unwrap_or_else(|| panic!("{f}"))
    };
    let told_in_words = |f: &serde_json::Value, lang: Lang| {
        let message = f["error"]["message"].as_str().unwrap();
        assert_eq!(message, error_text(code_of(f), lang), "{f}");
        for systems in ["os error", "No such file", "Syntax", "Error", "/"] {
            assert!(!message.contains(systems), "{systems}: {f}");
        }
    };
    for lang in [Lang::Id, Lang::En] {
        let accept = (lang == Lang::En).then_some("en");
        let r = call_with(
            Mode::Office,
            "POST",
            "/api/imports",
            Some(&admin),
            Some(json!({"paths": [folder.display().to_string()]})),
            accept,
        );
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
        let import = r.json()["id"].as_u64().unwrap();
        let status = loop {
            let r = call_with(
                Mode::Office,
                "GET",
                &format!("/api/imports/{import}"),
                Some(&admin),
                None,
                accept,
            );
            let s = r.json();
            if !s["summary"].is_null() || !s["error"].is_null() {
                break s;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        };
        let files = status["files"].as_array().unwrap();
        let failed = |name: &str| {
            files
                .iter()
                .find(|f| f["path"].as_str().unwrap().ends_with(name))
                .unwrap_or_else(|| panic!("{name}: {status}"))
        };
        let expected = [
            ("rusak.pdf", ErrorCode::CorruptFile),
            ("kosong.pdf", ErrorCode::EmptyFile),
            ("catatan.txt", ErrorCode::UnsupportedFormat),
            #[cfg(unix)]
            ("hilang.pdf", ErrorCode::NotFound),
        ];
        assert_eq!(status["summary"]["failed"], expected.len(), "{status}");
        for (name, code) in expected {
            let f = failed(name);
            assert_eq!(f["status"], "failed", "{f}");
            assert_eq!(code_of(f), code, "{f}");
            told_in_words(f, lang);
        }
    }
    // A broken file sent from the browser: the same words, in English when asked.
    let req = Request::builder()
        .method("POST")
        .uri("/api/uploads?name=rusak-unggah.pdf")
        .header("content-type", "application/octet-stream")
        .header("accept-language", "en")
        .header("authorization", format!("Bearer {admin}"))
        .body(Body::from(b"%PDF-1.4 rusak sekali".to_vec()))
        .unwrap();
    let broken = send(Mode::Office, req).json();
    assert_eq!(broken["status"], "failed", "{broken}");
    told_in_words(&broken, Lang::En);
}
