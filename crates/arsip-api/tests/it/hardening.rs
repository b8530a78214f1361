//! The API as a hostile or careless client meets it: malformed requests get
//! the same JSON errors as every other refusal, a user's mistake is never a
//! 500, other sites' pages cannot post with a staff member's cookie, the
//! public cannot make the server read a body it will refuse anyway, bodies
//! have limits, and originals are downloads, never pages of this origin.

use crate::{call, call_with, fixture, login, send, Reply, PASSWORD};
use arsip_api::Mode;
use arsip_core::{AccessLevel, ErrorCode, Lang};
use axum::body::{Body, Bytes, HttpBody};
use axum::http::{Request, StatusCode};
use serde_json::json;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

/// A request with raw headers and body (the helpers in `main.rs` always
/// send well-formed JSON).
fn raw(method: &str, uri: &str, headers: &[(&str, &str)], body: impl Into<Body>) -> Request<Body> {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.body(body.into()).unwrap()
}

fn assert_json_error(r: &Reply, status: StatusCode, code: &str, what: &str) {
    assert_eq!(r.status, status, "{what}: {}", r.text());
    assert!(
        r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "{what}: {:?}",
        r.headers
    );
    assert_eq!(r.json()["error"]["code"], code, "{what}: {}", r.text());
    assert!(
        !r.json()["error"]["message"].as_str().unwrap().is_empty(),
        "{what}"
    );
}

#[test]
fn axums_own_rejections_are_json_errors_too() {
    let admin = login("admin1");
    let bearer = format!("Bearer {admin}");
    let json = ("content-type", "application/json");
    let auth = ("authorization", bearer.as_str());
    let cases: Vec<(&str, Request<Body>, StatusCode, &str)> = vec![
        (
            "a body that is not JSON",
            raw("POST", "/api/login", &[json], "{bukan json"),
            StatusCode::BAD_REQUEST,
            "invalid_input",
        ),
        (
            "JSON without the right content type",
            raw(
                "POST",
                "/api/login",
                &[("content-type", "text/plain")],
                r#"{"name":"a","password":"b"}"#,
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "invalid_input",
        ),
        (
            "JSON of the wrong shape",
            raw("POST", "/api/login", &[json], r#"{"name":1}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        ),
        (
            "a query parameter that is not a number",
            raw("GET", "/api/search?year=abc", &[], Body::empty()),
            StatusCode::BAD_REQUEST,
            "invalid_input",
        ),
        (
            "a path parameter that is not a number",
            raw("GET", "/api/records/x/pages/abc/image", &[], Body::empty()),
            StatusCode::BAD_REQUEST,
            "invalid_input",
        ),
        (
            "an import id that is not a number",
            raw("GET", "/api/imports/abc", &[auth], Body::empty()),
            StatusCode::BAD_REQUEST,
            "invalid_input",
        ),
        (
            "a method the path does not take",
            raw("GET", "/api/login", &[], Body::empty()),
            StatusCode::METHOD_NOT_ALLOWED,
            "not_found",
        ),
        (
            "a write method on a path that only reads",
            raw("DELETE", "/api/search", &[auth], Body::empty()),
            StatusCode::METHOD_NOT_ALLOWED,
            "not_found",
        ),
        (
            "a body over the limit",
            raw(
                "POST",
                "/api/login",
                &[json],
                format!(r#"{{"name":"{}","password":"x"}}"#, "a".repeat(100_000)),
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
            "file_too_large",
        ),
    ];
    for (what, req, status, code) in cases {
        let r = send(Mode::Office, req);
        assert_json_error(&r, status, code, what);
        // Indonesian unless the caller asks otherwise.
        let code = *ErrorCode::ALL.iter().find(|c| c.as_str() == code).unwrap();
        let message = r.json()["error"]["message"].as_str().unwrap().to_string();
        assert!(
            message.starts_with(arsip_core::strings::error_text(code, Lang::Id)),
            "{what}: {message}"
        );
    }
    // A 405 still says which methods the path takes.
    let r = send(Mode::Office, raw("GET", "/api/login", &[], Body::empty()));
    assert_eq!(r.headers["allow"], "POST");
    // In English when asked.
    let r = send(
        Mode::Office,
        raw(
            "GET",
            "/api/search?year=abc",
            &[("accept-language", "en-GB,en;q=0.8")],
            Body::empty(),
        ),
    );
    let message = r.json()["error"]["message"].as_str().unwrap().to_string();
    assert!(message.starts_with("Invalid input"), "{message}");
}

#[test]
fn a_throttled_login_is_429_and_an_unapproved_target_403_never_500() {
    // Its own name and address, so the throttle touches no other test's logins.
    let peer: std::net::SocketAddr = "203.0.113.29:40000".parse().unwrap();
    let mut seen = Vec::new();
    for _ in 0..9 {
        let mut req = raw(
            "POST",
            "/api/login",
            &[("content-type", "application/json")],
            json!({"name": "penebak-429", "password": "salah-terus"}).to_string(),
        );
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        let r = send(Mode::Office, req);
        seen.push(r.status);
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            assert_json_error(&r, r.status, "too_many_attempts", "throttled");
            assert!(r.headers.contains_key("retry-after"), "{:?}", r.headers);
            break;
        }
        assert_json_error(&r, StatusCode::UNAUTHORIZED, "wrong_password", "a guess");
    }
    assert_eq!(
        seen.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "{seen:?}"
    );

    // An archivist may push only to a target the admin approved.
    let archivist = login("arsip1");
    let r = call(
        Mode::Office,
        "POST",
        "/api/sync/push",
        Some(&archivist),
        Some(json!({"target": "file:///tmp/arsip-uji-belum-disetujui"})),
    );
    assert_json_error(
        &r,
        StatusCode::FORBIDDEN,
        "target_not_approved",
        "unapproved target",
    );
}

/// A state-changing request carrying `headers`, with a session of its own
/// (a logout: it shows whether the request reached its handler).
fn logout_with(headers: &[(&str, &str)]) -> (Reply, bool) {
    let token = login("admin1");
    let bearer = format!("Bearer {token}");
    let mut all = vec![("authorization", bearer.as_str())];
    all.extend_from_slice(headers);
    let r = send(
        Mode::Office,
        raw("POST", "/api/logout", &all, Body::empty()),
    );
    let me = call(Mode::Office, "GET", "/api/me", Some(&token), None);
    let still_logged_in = me.status == StatusCode::OK;
    (r, still_logged_in)
}

#[test]
fn another_sites_page_cannot_change_anything() {
    let lan = "arsip.kpu.lan:8080";
    for (what, headers) in [
        (
            "another site",
            vec![("host", lan), ("origin", "http://jahat.example")],
        ),
        (
            "another port",
            vec![("host", lan), ("origin", "http://arsip.kpu.lan:9090")],
        ),
        (
            "another scheme's default port",
            vec![("host", lan), ("origin", "https://arsip.kpu.lan")],
        ),
        ("an opaque origin", vec![("host", lan), ("origin", "null")]),
        (
            "the desktop app's origin on the LAN",
            vec![("host", lan), ("origin", "arsip://localhost")],
        ),
        (
            "the browser says cross-site",
            vec![("host", lan), ("sec-fetch-site", "cross-site")],
        ),
        // The app's own origins count only through its window (desktop.rs):
        // a local page claiming them gets nothing from the LAN server.
        (
            "the desktop app's origin (Linux, macOS) outside the app",
            vec![("host", "localhost"), ("origin", "arsip://localhost")],
        ),
        (
            "the desktop app's origin (Windows) outside the app",
            vec![
                ("host", "arsip.localhost"),
                ("origin", "http://arsip.localhost"),
            ],
        ),
    ] {
        let (r, still_logged_in) = logout_with(&headers);
        assert_json_error(&r, StatusCode::FORBIDDEN, "access_denied", what);
        assert!(still_logged_in, "{what}: the handler ran");
    }
    for (what, headers) in [
        ("no origin (a command-line tool)", vec![("host", lan)]),
        (
            "the same origin",
            vec![
                ("host", lan),
                ("origin", "http://arsip.kpu.lan:8080"),
                ("sec-fetch-site", "same-origin"),
            ],
        ),
    ] {
        let (r, still_logged_in) = logout_with(&headers);
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{what}: {}", r.text());
        assert!(!still_logged_in, "{what}");
    }
    // Refused before the body is read: a broken body is not what is reported.
    let admin = login("admin1");
    let r = send(
        Mode::Office,
        raw(
            "POST",
            "/api/records/edit",
            &[
                ("authorization", &format!("Bearer {admin}")),
                ("content-type", "application/json"),
                ("host", lan),
                ("origin", "http://jahat.example"),
            ],
            "{bukan json",
        ),
    );
    assert_json_error(
        &r,
        StatusCode::FORBIDDEN,
        "access_denied",
        "before the body",
    );
    // Reads are not state-changing: a page elsewhere may link to a search.
    let r = send(
        Mode::Office,
        raw(
            "GET",
            "/api/search?q=pemilu",
            &[("host", lan), ("origin", "http://jahat.example")],
            Body::empty(),
        ),
    );
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

/// A body that notes whether anyone read from it: `left` bytes in 64 KiB chunks.
struct Watched {
    read: Arc<AtomicBool>,
    left: usize,
}

impl HttpBody for Watched {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
        self.read.store(true, Ordering::SeqCst);
        if self.left == 0 {
            return Poll::Ready(None);
        }
        let n = self.left.min(64 * 1024);
        self.left -= n;
        Poll::Ready(Some(Ok(hyper::body::Frame::data(Bytes::from(vec![
            b'%';
            n
        ])))))
    }
}

#[test]
fn the_public_cannot_write_and_sends_no_body_first() {
    let f = fixture();
    let (_, id, _) = &f.records[0];
    let upload = |mode: Mode, token: Option<&str>| {
        let read = Arc::new(AtomicBool::new(false));
        let body = Body::new(Watched {
            read: read.clone(),
            left: 3 << 20,
        });
        let mut req = Request::builder()
            .method("POST")
            .uri("/api/uploads?name=dpt.pdf")
            .header("content-type", "application/pdf")
            // What it claims, not what it sends: nothing may wait for it.
            .header("content-length", (1u64 << 30).to_string());
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let r = send(mode, req.body(body).unwrap());
        (r, read.load(Ordering::SeqCst))
    };
    let (r, read) = upload(Mode::Office, None);
    assert_json_error(
        &r,
        StatusCode::FORBIDDEN,
        "access_denied",
        "anonymous upload",
    );
    assert!(!read, "the body of a refused upload was read");
    // A kiosk is the public, whoever's token it is given.
    let admin = login("admin1");
    let (r, read) = upload(Mode::Kiosk, Some(&admin));
    assert_json_error(&r, StatusCode::FORBIDDEN, "access_denied", "kiosk upload");
    assert!(!read, "the body of a kiosk upload was read");
    // A token that ended is still 401, not the public's 403.
    let (r, read) = upload(Mode::Office, Some("00ff"));
    assert_json_error(&r, StatusCode::UNAUTHORIZED, "not_logged_in", "old token");
    assert!(!read);
    // Every other write, as well.
    for (method, uri, body) in [
        (
            "PATCH",
            format!("/api/records/{id}"),
            Some(json!({"title": "x"})),
        ),
        ("DELETE", format!("/api/records/{id}"), None),
        (
            "POST",
            "/api/records/edit".to_string(),
            Some(json!({"ids": [id], "edit": {}})),
        ),
        (
            "POST",
            "/api/imports".to_string(),
            Some(json!({"paths": ["/etc"]})),
        ),
        (
            "POST",
            "/api/sync/push".to_string(),
            Some(json!({"target": "file:///tmp/x"})),
        ),
    ] {
        for mode in [Mode::Office, Mode::Kiosk] {
            let r = call(mode, method, &uri, None, body.clone());
            assert_json_error(&r, StatusCode::FORBIDDEN, "access_denied", &uri);
        }
    }
    // Logging in stays open to the public: it is how one stops being it.
    let r = call(
        Mode::Office,
        "POST",
        "/api/login",
        None,
        Some(json!({"name": "sekre1", "password": PASSWORD})),
    );
    assert_eq!(r.status, StatusCode::OK);
}

#[test]
fn bodies_have_limits_and_uploads_their_own() {
    let archivist = login("arsip1");
    let big = json!({"ids": [], "edit": {"title": "x".repeat(70 * 1024)}});
    let r = call(
        Mode::Office,
        "POST",
        "/api/records/edit",
        Some(&archivist),
        Some(big),
    );
    assert_json_error(
        &r,
        StatusCode::PAYLOAD_TOO_LARGE,
        "file_too_large",
        "70 KiB of JSON",
    );
    assert_eq!(arsip_api::MAX_BODY_BYTES, 64 * 1024);
    // Just under the limit is read (what the core makes of it is its business).
    let fits = json!({"ids": [], "edit": {"title": "x".repeat(60 * 1024)}});
    let r = call(
        Mode::Office,
        "POST",
        "/api/records/edit",
        Some(&archivist),
        Some(fits),
    );
    assert_ne!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    // An upload keeps its gigabyte: 3 MiB is past both 64 KiB and axum's 2 MB.
    let r = send(
        Mode::Office,
        raw(
            "POST",
            "/api/uploads?name=acak.bin",
            &[("authorization", &format!("Bearer {archivist}"))],
            vec![0x5a_u8; 3 << 20],
        ),
    );
    assert_ne!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    assert_eq!(arsip_api::MAX_UPLOAD_BYTES, 1 << 30);
}

#[test]
fn originals_are_downloads_and_replies_are_not_sniffed_or_cached() {
    let f = fixture();
    let (t, _, sha) = f
        .records
        .iter()
        .find(|(t, ..)| t.access == AccessLevel::Terbuka && !t.personal_data)
        .unwrap();
    for mode in [Mode::Office, Mode::Kiosk] {
        let r = call(mode, "GET", &format!("/api/files/{sha}"), None, None);
        assert_eq!(r.status, StatusCode::OK);
        let disposition = r.headers["content-disposition"].to_str().unwrap();
        assert!(
            disposition.starts_with(&format!("attachment; filename=\"{}\"", t.file)),
            "{disposition}"
        );
        assert_eq!(
            r.headers["content-security-policy"],
            "sandbox; default-src 'none'"
        );
        assert_eq!(r.headers["x-content-type-options"], "nosniff");
    }
    // JSON may hold restricted records: no cache keeps it, errors included.
    let staff = login("sekre1");
    for (uri, token) in [
        ("/api/me", Some(staff.as_str())),
        ("/api/search?q=pemilu", Some(staff.as_str())),
        ("/api/tidak-ada", None),
        ("/api/files/zz", None),
    ] {
        let r = call_with(Mode::Office, "GET", uri, token, None, None);
        assert_eq!(r.headers["cache-control"], "no-store", "{uri}");
        assert_eq!(r.headers["x-content-type-options"], "nosniff", "{uri}");
    }
}
