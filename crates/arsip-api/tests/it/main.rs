//! The HTTP API end to end through the real Router (no mocks): a generated
//! archive ingested for real, users with argon2 passwords, and every endpoint
//! asked by every role, anonymous and kiosk included. The public must get
//! nothing restricted and no personal number through any endpoint.

// Fixture helpers outside #[test] functions may fail loudly: a failed setup is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use arsip_api::{router, Mode};
use arsip_core::corpus::{self, CorpusOptions, Format, Truth};
use arsip_core::{AccessLevel, Archive, IngestOptions, RecordId, Role};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

mod audit;
mod catalogue;
mod desktop;
mod handover;
mod hardening;
mod matrix;
mod oai;
mod openapi;
#[path = "../../../arsip-cli/tests/it/pytools.rs"]
mod pytools;
mod setup;
mod sync;
mod users;

struct Fixture {
    _dir: tempfile::TempDir,
    archive: Arc<Archive>,
    /// One router per mode for the whole run, as a server holds one.
    office: axum::Router,
    kiosk: axum::Router,
    records: Vec<(Truth, RecordId, String)>,
    runtime: tokio::runtime::Runtime,
}

const PASSWORD: &str = "kata-sandi-uji";
const STAFF: [(&str, Role); 4] = [
    ("admin1", Role::Admin),
    ("arsip1", Role::Arsiparis),
    ("sekre1", Role::Sekretariat),
    ("publik1", Role::Publik),
];

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        // Ten born-digital records: open, restricted and secret ones, voter lists with NIKs.
        let truths = corpus::generate(
            &input,
            &CorpusOptions {
                records: 10,
                seed: 5,
                dpi: 150,
                turn_every: 0,
                formats: vec![Format::TextPdf],
                kinds: Vec::new(),
            },
        )
        .unwrap();
        let archive = Archive::init(&dir.path().join("a"), "KPU Kota Bogor", "32.71").unwrap();
        let (reports, summary) = archive
            .ingest(
                &corpus::paths(&input, &truths),
                &IngestOptions::default(),
                &(),
                &arsip_core::Clearance::operator("test"),
            )
            .unwrap();
        assert_eq!(summary.failed, 0, "{reports:#?}");
        let mut records = Vec::new();
        for t in truths {
            let path = input.join(&t.file).display().to_string();
            let id = reports
                .iter()
                .find(|r| r.path == path)
                .and_then(|r| r.id)
                .unwrap();
            let mut edit = archive.suggested_edit(&id).unwrap();
            edit.access = Some(t.access);
            edit.reason = Some("uji".into());
            archive
                .edit(&id, &edit, &arsip_core::Clearance::operator("test"))
                .unwrap();
            let sha = archive
                .record(&id, &arsip_core::Clearance::operator("t"))
                .unwrap()
                .files[0]
                .sha256
                .to_hex();
            records.push((t, id, sha));
        }
        for (name, role) in STAFF {
            archive.set_user(name, role, PASSWORD, "test").unwrap();
        }
        let kinds: Vec<(AccessLevel, bool)> = records
            .iter()
            .map(|(t, ..)| (t.access, t.personal_data))
            .collect();
        for needed in [
            (AccessLevel::Terbuka, false),
            (AccessLevel::Terbuka, true),
            (AccessLevel::Terbatas, true),
            (AccessLevel::Rahasia, false),
        ] {
            assert!(
                kinds.contains(&needed),
                "fixture lacks {needed:?}: {kinds:?}"
            );
        }
        // As `arsip serve` and the desktop app do: the archive reaches stores.
        archive.set_store_opener(arsip_remote::opener(archive.root()));
        let archive = Arc::new(archive);
        Fixture {
            _dir: dir,
            office: router(archive.clone(), Mode::Office),
            kiosk: router(archive.clone(), Mode::Kiosk),
            archive,
            records,
            runtime: tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap(),
        }
    })
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn call(mode: Mode, method: &str, uri: &str, token: Option<&str>, body: Option<Value>) -> Reply {
    call_with(mode, method, uri, token, body, None)
}

fn call_with(
    mode: Mode,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
    lang: Option<&str>,
) -> Reply {
    send(mode, request(method, uri, token, body, lang))
}

/// A request with an optional session, JSON body and language.
fn request(
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
    lang: Option<&str>,
) -> Request<Body> {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    if let Some(l) = lang {
        req = req.header("accept-language", l);
    }
    match body {
        Some(b) => req
            .header("content-type", "application/json")
            .body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .unwrap()
}

fn send(mode: Mode, req: Request<Body>) -> Reply {
    let f = fixture();
    let app = match mode {
        Mode::Office => &f.office,
        Mode::Kiosk => &f.kiosk,
    };
    send_to(&f.runtime, app, req)
}

/// `req` through `app`, as one server would answer it.
fn send_to(runtime: &tokio::runtime::Runtime, app: &axum::Router, req: Request<Body>) -> Reply {
    runtime.block_on(async {
        let res = app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        Reply {
            status,
            headers,
            body,
        }
    })
}

fn login(name: &str) -> String {
    let r = call(
        Mode::Office,
        "POST",
        "/api/login",
        None,
        Some(serde_json::json!({"name": name, "password": PASSWORD})),
    );
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.contains("HttpOnly")));
    r.json()["token"].as_str().unwrap().to_string()
}

/// Every caller the API can meet: (label, mode, token, how far it may read, masked).
fn callers() -> Vec<(String, Mode, Option<String>, AccessLevel, bool)> {
    let mut out = vec![
        (
            "anonymous".to_string(),
            Mode::Office,
            None,
            AccessLevel::Terbuka,
            true,
        ),
        // A kiosk ignores any token: even an admin's session reads as the public.
        (
            "kiosk with an admin token".to_string(),
            Mode::Kiosk,
            Some(login("admin1")),
            AccessLevel::Terbuka,
            true,
        ),
    ];
    for (name, role) in STAFF {
        let c = arsip_core::Clearance::operator(name).narrowed(role);
        out.push((
            name.to_string(),
            Mode::Office,
            Some(login(name)),
            c.max_level(),
            c.masks_personal_data(),
        ));
    }
    out
}

/// Whether `text` holds a NIK: sixteen digits or more standing as a word
/// of their own. A run of digits inside a word is not one: a SHA-256 in a
/// record's JSON (a file's, a page's) can have sixteen decimal digits in a
/// row among its hex letters (seen: `50c1370821127046918e…`, a fixture
/// PDF's hash on 2026-12-03).
fn has_nik(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w.len() >= 16 && w.bytes().all(|b| b.is_ascii_digit()))
}

#[test]
fn every_endpoint_gives_each_role_what_it_may_see_and_nothing_more() {
    let f = fixture();
    for (who, mode, token, max, masked) in callers() {
        let token = token.as_deref();
        for (t, id, sha) in &f.records {
            let may_see = t.access <= max;
            let may_have_original = may_see && !(masked && t.personal_data);
            let r = call(mode, "GET", &format!("/api/records/{id}"), token, None);
            assert_eq!(r.status.is_success(), may_see, "{who} record {}", t.file);
            if may_see {
                assert_eq!(r.json()["id"], id.to_string());
                assert_eq!(
                    has_nik(&r.text()),
                    t.personal_data && !masked,
                    "{who} {}",
                    t.file
                );
            } else {
                assert_eq!(r.status, StatusCode::NOT_FOUND, "no hint it exists");
                assert_eq!(r.json()["error"]["code"], "not_found");
            }
            let r = call(mode, "GET", &format!("/api/files/{sha}"), token, None);
            assert_eq!(
                r.status.is_success(),
                may_have_original,
                "{who} file {}",
                t.file
            );
            if may_have_original {
                assert_eq!(arsip_core::ContentHash::of(&r.body).to_hex(), *sha);
                assert_eq!(r.headers["content-type"], "application/pdf");
            }
            let r = call(
                mode,
                "GET",
                &format!("/api/records/{id}/pages/1/thumbnail"),
                token,
                None,
            );
            assert_eq!(
                r.status.is_success(),
                may_have_original,
                "{who} thumbnail {}",
                t.file
            );
            if may_have_original {
                assert_eq!(&r.body[..2], &[0xff, 0xd8], "a JPEG");
            }
            let r = call(
                mode,
                "GET",
                &format!("/api/records/{id}/pages/1/image?q=kota"),
                token,
                None,
            );
            assert_eq!(
                r.status.is_success(),
                may_have_original,
                "{who} page image {}",
                t.file
            );
        }
        // The audit trail: the secretariat and the admin only.
        let r = call(mode, "GET", "/api/audit?limit=5", token, None);
        let reads_audit = mode == Mode::Office && matches!(who.as_str(), "admin1" | "sekre1");
        assert_eq!(r.status.is_success(), reads_audit, "{who} audit");
        if !reads_audit {
            assert_eq!(r.json()["error"]["code"], "access_denied", "{who}");
        }
        let r = call(mode, "GET", "/api/vocabularies", token, None);
        assert_eq!(r.status, StatusCode::OK);
        assert!(!r.json()["doc_type"].as_array().unwrap().is_empty());
        // Search: hits, totals and facets count only what the caller may see.
        let r = call(
            mode,
            "GET",
            "/api/search?q=kota%20bogor&limit=100",
            token,
            None,
        );
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let out = r.json();
        let visible: Vec<String> = f
            .records
            .iter()
            .filter(|(t, ..)| t.access <= max)
            .map(|(_, id, _)| id.to_string())
            .collect();
        let hits: Vec<String> = out["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect();
        // Other tests add records of their own; these are the fixture's.
        let ours: Vec<String> = f.records.iter().map(|(_, id, _)| id.to_string()).collect();
        assert!(
            hits.iter()
                .filter(|h| ours.contains(h))
                .all(|h| visible.contains(h)),
            "{who}: {hits:?}"
        );
        assert_eq!(out["total"], hits.len(), "{who}");
        assert!(!hits.is_empty(), "{who} finds something");
        let access_facets: u64 = out["facets"]["access"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["count"].as_u64().unwrap())
            .sum();
        assert_eq!(
            access_facets as usize,
            hits.len(),
            "{who}: facets count hits only"
        );
        if masked {
            assert!(!has_nik(&r.text()), "{who}: a NIK in search results");
        }
        // An export holds exactly what the search shows.
        let r = call(mode, "GET", "/api/export.csv?q=kota%20bogor", token, None);
        assert_eq!(r.status, StatusCode::OK, "{who}: {}", r.text());
        let csv = r.text();
        assert!(csv.starts_with("\u{feff}id,judul,"), "{who}: {csv}");
        for (_, id, _) in &f.records {
            let id = id.to_string();
            assert_eq!(csv.contains(&id), hits.contains(&id), "{who} export");
        }
        if masked {
            assert!(!has_nik(&csv), "{who}: a NIK in an export");
        }
    }
}

#[test]
fn the_public_cannot_find_a_record_by_a_nik_in_it() {
    let f = fixture();
    let (t, _, _) = f
        .records
        .iter()
        .find(|(t, ..)| t.personal_data && t.access == AccessLevel::Terbuka)
        .unwrap();
    let text = t.pages.concat();
    let nik = text
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 16)
        .unwrap();
    let uri = format!("/api/search?q={nik}");
    let staff = login("sekre1");
    let r = call(Mode::Office, "GET", &uri, Some(&staff), None);
    assert!(
        r.json()["total"].as_u64().unwrap() >= 1,
        "staff find it by NIK"
    );
    for mode in [Mode::Office, Mode::Kiosk] {
        let r = call(mode, "GET", &uri, None, None);
        assert_eq!(r.json()["total"], 0, "{mode:?}");
    }
}

#[test]
fn login_errors_are_clear_and_in_the_callers_language() {
    let r = call(
        Mode::Office,
        "POST",
        "/api/login",
        None,
        Some(serde_json::json!({"name": "sekre1", "password": "salah-sekali"})),
    );
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"]["code"], "wrong_password");
    assert_eq!(
        r.json()["error"]["message"],
        "Nama pengguna atau kata sandi salah"
    );
    let r = call_with(
        Mode::Office,
        "POST",
        "/api/login",
        None,
        Some(serde_json::json!({"name": "tidak-ada", "password": PASSWORD})),
        Some("en-US,en;q=0.9"),
    );
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"]["message"], "Wrong user name or password");
    // The kiosk offers no login at all.
    let r = call(
        Mode::Kiosk,
        "POST",
        "/api/login",
        None,
        Some(serde_json::json!({"name": "admin1", "password": PASSWORD})),
    );
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[test]
fn an_ended_session_is_an_error_not_the_public() {
    let f = fixture();
    let r = call(Mode::Office, "GET", "/api/me", Some("00ff"), None);
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"]["code"], "not_logged_in");

    // A user of its own: expiring sessions must not touch the other tests' users.
    f.archive
        .set_user("sesi1", Role::Arsiparis, PASSWORD, "test")
        .unwrap();
    let token = login("sesi1");
    let r = call(Mode::Office, "GET", "/api/me", Some(&token), None);
    assert_eq!(r.json()["role"], "arsiparis");
    // Expire it in the catalogue, as the clock would.
    let conn = rusqlite::Connection::open(f.archive.root().join("catalogue.sqlite")).unwrap();
    conn.execute(
        "UPDATE session SET expires_unix = unixepoch() - 10 WHERE user_name = 'sesi1'",
        [],
    )
    .unwrap();
    let r = call(Mode::Office, "GET", "/api/me", Some(&token), None);
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"]["code"], "session_expired");

    let token = login("admin1");
    let r = call(Mode::Office, "POST", "/api/logout", Some(&token), None);
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = call(Mode::Office, "GET", "/api/me", Some(&token), None);
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[test]
fn unknown_paths_and_bad_ids_are_json_errors() {
    for uri in [
        "/api/tidak-ada",
        "/api/records/bukan-id",
        "/api/records/0190a0a0-0000-7000-8000-000000000000",
    ] {
        let r = call(Mode::Office, "GET", uri, None, None);
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(r.json()["error"]["code"], "not_found", "{uri}");
    }
    let r = call(Mode::Office, "GET", "/api/files/zz", None, None);
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["code"], "invalid_input");
}

#[test]
fn views_and_downloads_are_in_the_audit_trail() {
    let f = fixture();
    let (_, id, sha) = f
        .records
        .iter()
        .find(|(t, ..)| t.access == AccessLevel::Terbuka && !t.personal_data)
        .unwrap();
    let count = |action: &str| -> i64 {
        let conn = rusqlite::Connection::open(f.archive.root().join("catalogue.sqlite")).unwrap();
        conn.query_row(
            "SELECT COUNT(*) FROM audit WHERE action = ?1 AND target = ?2",
            [action, &id.to_string()],
            |r| r.get(0),
        )
        .unwrap()
    };
    // Staff reads are audited every time.
    let staff = login("sekre1");
    for _ in 0..2 {
        let (views, downloads) = (count("record.view"), count("file.download"));
        let r = call(
            Mode::Office,
            "GET",
            &format!("/api/records/{id}"),
            Some(&staff),
            None,
        );
        assert_eq!(r.status, StatusCode::OK);
        let r = call(
            Mode::Office,
            "GET",
            &format!("/api/files/{sha}"),
            Some(&staff),
            None,
        );
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(count("record.view"), views + 1);
        assert_eq!(count("file.download"), downloads + 1);
    }
    // The public's are audited once per record and hour: a loop of
    // anonymous views cannot flood the chain.
    let (views, downloads) = (count("record.view"), count("file.download"));
    for _ in 0..25 {
        let r = call(
            Mode::Kiosk,
            "GET",
            &format!("/api/records/{id}"),
            None,
            None,
        );
        assert_eq!(r.status, StatusCode::OK);
        let r = call(Mode::Kiosk, "GET", &format!("/api/files/{sha}"), None, None);
        assert_eq!(r.status, StatusCode::OK);
    }
    assert!(
        count("record.view") <= views + 1,
        "anonymous views flood the audit trail"
    );
    assert!(count("file.download") <= downloads + 1);
    let conn = rusqlite::Connection::open(f.archive.root().join("catalogue.sqlite")).unwrap();
    let public_views: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE action = 'record.view' AND target = ?1 AND actor = 'publik'",
            [id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert!(public_views >= 1, "the public's views are audited");
    assert!(f
        .archive
        .audit_verify(&arsip_core::Clearance::operator("t"))
        .unwrap()
        .first_broken
        .is_none());
}
