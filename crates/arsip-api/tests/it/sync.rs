//! The sync screen's endpoints: archivists and admins see what is waiting
//! and push; nobody else may, and a push to a flash-drive folder through the
//! API leaves a log a province can read.

use crate::{call, fixture, login};
use arsip_api::Mode;
use axum::http::StatusCode;
use serde_json::json;

#[test]
fn only_archivists_and_admins_sync() {
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
