//! The desktop app's first run through its Router: the screen's choices, the
//! answers refused before anything is written, the archive made with its
//! admin, handed to the shell once, and never set up twice.

use super::*;
use std::sync::Mutex;

fn setup_send(app: &axum::Router, method: &str, body: Option<Value>, origin: &str) -> Reply {
    let mut req = request(method, "/api/setup", None, body, None);
    req.headers_mut()
        .insert("origin", axum::http::HeaderValue::from_str(origin).unwrap());
    send_to(&fixture().runtime, app, req)
}

fn answers(folder: &std::path::Path) -> Value {
    serde_json::json!({
        "folder": folder.display().to_string(),
        "office": "KPU Kota Bogor",
        "region": "32.71",
        "admin": "kepala",
        "password": "sandi-kantor-2026",
    })
}

#[test]
fn the_first_run_makes_the_archive_and_its_admin_once() {
    let dir = tempfile::tempdir().unwrap();
    let suggested = dir.path().join("rpp-arsip");
    let handed: Arc<Mutex<Vec<Arc<Archive>>>> = Arc::default();
    let kept = handed.clone();
    let app = arsip_api::with_session_jar(arsip_api::setup_router(
        suggested.clone(),
        Arc::new(move |a| kept.lock().unwrap().push(a)),
    ));
    const WINDOW: &str = "arsip://localhost";

    let info = setup_send(&app, "GET", None, WINDOW).json();
    assert_eq!(info["needed"], true);
    assert_eq!(info["folder"], suggested.display().to_string());
    let regions = info["regions"].as_array().unwrap();
    assert!(regions
        .iter()
        .any(|r| r["code"] == "32.71" && r["name"] == "Kota Bogor"));
    assert!(
        regions
            .iter()
            .all(|r| r["code"].as_str().unwrap().len() == 5),
        "kab/kota only"
    );

    // Refused before anything is written, each in words.
    let mut bad = answers(&suggested);
    bad["region"] = "32.71.01".into();
    let r = setup_send(&app, "POST", Some(bad), WINDOW);
    assert_eq!(r.json()["error"]["code"], "invalid_input", "{}", r.text());
    let mut bad = answers(&suggested);
    bad["password"] = "pendek".into();
    let r = setup_send(&app, "POST", Some(bad), WINDOW);
    assert_eq!(r.json()["error"]["code"], "password_too_short");
    let mut bad = answers(&suggested);
    bad["folder"] = "relatif/arsip".into();
    let r = setup_send(&app, "POST", Some(bad), WINDOW);
    assert_eq!(r.json()["error"]["code"], "invalid_input");
    assert!(!suggested.exists());
    // Someone's folder of documents is not taken over.
    let documents = dir.path().join("Dokumen");
    std::fs::create_dir(&documents).unwrap();
    std::fs::write(documents.join("surat.txt"), b"punya orang").unwrap();
    let r = setup_send(&app, "POST", Some(answers(&documents)), WINDOW);
    assert_eq!(r.json()["error"]["code"], "folder_not_empty");
    assert_eq!(std::fs::read_dir(&documents).unwrap().count(), 1);
    // A page from elsewhere cannot set up the app.
    let r = setup_send(
        &app,
        "POST",
        Some(answers(&suggested)),
        "http://jahat.example",
    );
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(handed.lock().unwrap().is_empty());
    assert!(!suggested.exists());

    let r = setup_send(&app, "POST", Some(answers(&suggested)), WINDOW);
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let archive = {
        let handed = handed.lock().unwrap();
        assert_eq!(handed.len(), 1, "the shell is handed the new archive");
        handed[0].clone()
    };
    assert_eq!(archive.root(), suggested.as_path());
    let session = archive.login("kepala", "sandi-kantor-2026", "uji").unwrap();
    assert_eq!(session.role, arsip_core::Role::Admin);
    let office: (String, String) = rusqlite::Connection::open(suggested.join("catalogue.sqlite"))
        .unwrap()
        .query_row("SELECT name, region_code FROM office", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(office, ("KPU Kota Bogor".into(), "32.71".into()));

    // Never twice, even into another empty folder.
    let r = setup_send(
        &app,
        "POST",
        Some(answers(&dir.path().join("kedua"))),
        WINDOW,
    );
    assert_eq!(r.json()["error"]["code"], "archive_exists");
    assert!(!dir.path().join("kedua").exists());
    assert_eq!(handed.lock().unwrap().len(), 1);
}

/// The archive the app opens is on a drive not plugged in: the window says
/// so, makes nothing in its place, and opens it once it is there.
#[test]
fn a_missing_archive_is_looked_for_again_never_made_anew() {
    let dir = tempfile::tempdir().unwrap();
    let drive = dir.path().join("media").join("ARSIP").join("rpp-arsip");
    let handed: Arc<Mutex<Vec<Arc<Archive>>>> = Arc::default();
    let kept = handed.clone();
    let app = arsip_api::with_session_jar(arsip_api::missing_router(
        drive.clone(),
        Arc::new(move |a| kept.lock().unwrap().push(a)),
    ));
    const WINDOW: &str = "arsip://localhost";

    let info = setup_send(&app, "GET", None, WINDOW).json();
    assert_eq!(
        (info["needed"].as_bool(), info["missing"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(info["folder"], drive.display().to_string());
    let r = setup_send(&app, "POST", Some(answers(&drive)), WINDOW);
    assert_eq!(r.json()["error"]["code"], "archive_missing", "{}", r.text());
    assert!(
        !dir.path().join("media").exists(),
        "nothing made in its place"
    );

    // The drive is plugged in.
    Archive::init(&drive, "KPU Kota Bogor", "32.71").unwrap();
    let info = setup_send(&app, "GET", None, WINDOW).json();
    assert_eq!(info["needed"], false);
    let handed = handed.lock().unwrap();
    assert_eq!(handed.len(), 1);
    assert_eq!(handed[0].root(), drive.as_path());
}

#[test]
fn no_archive_is_set_up_inside_another() {
    let dir = tempfile::tempdir().unwrap();
    let outer = dir.path().join("arsip-lama");
    Archive::init(&outer, "KPU Kota Bogor", "32.71").unwrap();
    let app = arsip_api::with_session_jar(arsip_api::setup_router(
        dir.path().join("baru"),
        Arc::new(|_| {}),
    ));
    for inside in [
        outer.join("index").join("arsip"),
        outer.join("blobs").join("zz"),
    ] {
        let r = setup_send(&app, "POST", Some(answers(&inside)), "arsip://localhost");
        assert_eq!(r.json()["error"]["code"], "invalid_input", "{}", r.text());
        assert!(!inside.exists());
    }
}

/// An archive rebuilt from its log has no users: in the desktop window the
/// screen asks for its first admin, once; over the LAN nobody can claim it.
#[test]
fn an_archive_without_users_gets_its_first_admin_in_the_window_only() {
    let dir = tempfile::tempdir().unwrap();
    let archive =
        Arc::new(Archive::init(&dir.path().join("arsip"), "KPU Kota Bogor", "32.71").unwrap());
    let window = arsip_api::with_session_jar(router(archive.clone(), Mode::Office));
    let lan = router(archive.clone(), Mode::Office);
    let kiosk = arsip_api::with_session_jar(router(archive.clone(), Mode::Kiosk));
    let send_admin = |app: &axum::Router, origin: &str, name: &str| {
        let body = serde_json::json!({"admin": name, "password": "sandi-kepala-baru"});
        let mut req = request("POST", "/api/setup/admin", None, Some(body), None);
        req.headers_mut()
            .insert("origin", axum::http::HeaderValue::from_str(origin).unwrap());
        send_to(&fixture().runtime, app, req)
    };
    let info = setup_send(&window, "GET", None, "arsip://localhost").json();
    assert_eq!(
        (info["needed"].as_bool(), info["first_admin"].as_bool()),
        (Some(true), Some(true))
    );
    let info = send_to(
        &fixture().runtime,
        &lan,
        request("GET", "/api/setup", None, None, None),
    )
    .json();
    assert_eq!(info["needed"], false, "the LAN is never offered it");

    let r = send_admin(&lan, "http://localhost", "penyusup");
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = send_admin(&kiosk, "arsip://localhost", "penyusup");
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert!(!archive.has_users().unwrap());

    let r = send_admin(&window, "arsip://localhost", "kepala");
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert!(archive.login("kepala", "sandi-kepala-baru", "uji").is_ok());
    let r = send_admin(&window, "arsip://localhost", "kedua");
    assert_eq!(
        r.json()["error"]["code"],
        "access_denied",
        "only while there is none"
    );
    let info = setup_send(&window, "GET", None, "arsip://localhost").json();
    assert_eq!(info["needed"], false);
}
