//! The sync screen's endpoints: archivists and admins see what is waiting
//! and push; nobody else may, and a push to a flash-drive folder through the
//! API leaves a log a province can read.

use crate::{call, fixture, login};
use arsip_api::Mode;
use axum::http::StatusCode;
use serde_json::json;

/// One push at a time on the shared archive: two sealing the same changes at
/// once race (the core does not yet serialise pushes in one process).
static PUSHES: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_push_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    PUSHES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[test]
fn only_archivists_and_admins_sync() {
    let _one = one_push_at_a_time();
    let drive = tempfile::tempdir().unwrap();
    let target = format!("file://{}", drive.path().join("rpp").display());
    for who in ["sekre1", "publik1"] {
        let token = login(who);
        let r = call(Mode::Office, "GET", "/api/sync", Some(&token), None);
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {}", r.text());
        let r = call(
            Mode::Office,
            "POST",
            "/api/sync/push",
            Some(&token),
            Some(json!({"target": target})),
        );
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
    }
    let r = call(Mode::Office, "GET", "/api/sync", None, None);
    assert_eq!(r.status, StatusCode::FORBIDDEN, "anonymous");
    let admin = login("admin1");
    let r = call(
        Mode::Kiosk,
        "POST",
        "/api/sync/push",
        Some(&admin),
        Some(json!({"target": target})),
    );
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "the kiosk is the public, whatever token it carries"
    );
    assert!(!drive.path().join("rpp").exists(), "nothing was written");

    // A flash drive or folder must be approved by the admin before an
    // archivist may copy the archive to it; the admin's push approves it.
    let token = login("arsip1");
    let push = |who: &str| {
        call(
            Mode::Office,
            "POST",
            "/api/sync/push",
            Some(who),
            Some(json!({"target": target})),
        )
    };
    let r = push(&token);
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "target_not_approved");
    assert!(!drive.path().join("rpp").exists(), "nothing was written");
    let r = push(&admin);
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let pushed = r.json();
    let r = push(&token);
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["head"], pushed["head"], "nothing new to send");
    // The approval is of that drive, not of its path: another drive
    // mounted at the same place is refused until the admin sends to it.
    let swapped = drive.path().join("rpp-lama");
    std::fs::rename(drive.path().join("rpp"), &swapped).unwrap();
    std::fs::create_dir(drive.path().join("rpp")).unwrap();
    let r = push(&token);
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "target_not_approved");
    let written = std::fs::read_dir(drive.path().join("rpp")).unwrap().count();
    assert_eq!(written, 0, "nothing written to the other drive");
    std::fs::remove_dir(drive.path().join("rpp")).unwrap();
    std::fs::rename(&swapped, drive.path().join("rpp")).unwrap();
    let conn =
        rusqlite::Connection::open(fixture().archive.root().join("catalogue.sqlite")).unwrap();
    let audited: Vec<(String, String)> = conn
        .prepare("SELECT actor, action FROM audit WHERE target = ?1 ORDER BY seq")
        .unwrap()
        .query_map([&target], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let expected = [
        ("admin1", "sync.target.approve"),
        ("admin1", "sync.push"),
        ("arsip1", "sync.push"),
    ];
    assert_eq!(
        audited,
        expected.map(|(a, b)| (a.to_string(), b.to_string())),
        "who copied the archive where"
    );
    assert!(pushed["blobs_sent"].as_u64().unwrap() >= fixture().records.len() as u64);
    let r = call(Mode::Office, "GET", "/api/sync", Some(&token), None);
    let status = r.json();
    let t = status["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["url"] == target.as_str())
        .cloned();
    let t = t.unwrap_or_else(|| panic!("{status}"));
    assert_eq!(t["sent_seq"], pushed["head"]);
    assert_eq!(status["key"].as_str().unwrap().len(), 64);

    let r = call(
        Mode::Office,
        "POST",
        "/api/sync/push",
        Some(&admin),
        Some(json!({"target": "ftp://x"})),
    );
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["code"], "target_invalid");
    let r = call(Mode::Office, "GET", "/api/sync", Some(&admin), None);
    assert!(
        !r.text().contains("ftp://x"),
        "a bad address is not approved"
    );
}

/// Issue 13: the sync screen's words. A send that fails on the drive is
/// told in the reader's words, on the spot and later in the status, never
/// in the operating system's ("File exists (os error 17)") nor with the
/// drive's path; what waits is counted in records and files, and a send
/// says how many of each it carried.
#[test]
fn a_send_is_told_in_words_with_what_waits_in_records_and_files() {
    let _one = one_push_at_a_time();
    use arsip_core::strings::error_text;
    use arsip_core::{ErrorCode, Lang};
    let drive = tempfile::tempdir().unwrap();
    let folder = drive.path().join("rpp");
    std::fs::create_dir(&folder).unwrap();
    // Something on the drive where the archive's files go: every file sent fails.
    std::fs::write(folder.join("blobs"), b"bukan folder").unwrap();
    let target = format!("file://{}", folder.display());
    let admin = login("admin1");
    let status = |lang: Option<&str>| {
        let r = crate::call_with(Mode::Office, "GET", "/api/sync", Some(&admin), None, lang);
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let s = r.json();
        let t = s["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["url"] == target.as_str())
            .cloned();
        (s.clone(), t)
    };
    let in_words = |message: &str, lang: Lang| {
        assert!(
            ErrorCode::ALL
                .iter()
                .any(|c| message == error_text(*c, lang)),
            "{message}"
        );
        for systems in ["os error", "File exists", "Not a directory", "rpp", "/"] {
            assert!(!message.contains(systems), "{systems}: {message}");
        }
    };
    let push = || {
        call(
            Mode::Office,
            "POST",
            "/api/sync/push",
            Some(&admin),
            Some(json!({"target": target})),
        )
    };

    let r = push();
    assert!(r.status.is_server_error(), "{}", r.text());
    in_words(r.json()["error"]["message"].as_str().unwrap(), Lang::Id);
    for (accept, lang) in [(None, Lang::Id), (Some("en"), Lang::En)] {
        let (_, t) = status(accept);
        let t = t.expect("a failed send is listed");
        assert_eq!(t["kind"], "drive", "{t}");
        assert!(t["last_success"].is_null(), "{t}");
        in_words(t["last_error"].as_str().expect("why it failed"), lang);
        assert!(t["waiting"]["records"].as_i64().unwrap() >= fixture().records.len() as i64);
        assert!(t["waiting"]["files"].as_i64().unwrap() >= fixture().records.len() as i64);
    }

    // The drive put right, the send carries every record and its original.
    std::fs::remove_file(folder.join("blobs")).unwrap();
    let r = push();
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let sent = r.json();
    let records = fixture().records.len() as u64;
    assert!(sent["records_sent"].as_u64().unwrap() >= records, "{sent}");
    assert!(sent["files_sent"].as_u64().unwrap() >= records, "{sent}");
    assert!(
        sent["blobs_sent"].as_u64().unwrap() >= sent["files_sent"].as_u64().unwrap(),
        "{sent}"
    );
    let (s, t) = status(None);
    let t = t.unwrap();
    assert!(t["last_error"].is_null(), "{t}");
    assert!(t["last_success"].is_string(), "{t}");
    assert!(
        s["total"]["records"].as_i64().unwrap() >= records as i64,
        "{s}"
    );
    // Unless another test changed a record meanwhile, nothing waits.
    if s["changes"] == t["sent_seq"] {
        assert_eq!(t["waiting"], json!({"records": 0, "files": 0}), "{t}");
    }
}
