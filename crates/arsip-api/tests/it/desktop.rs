//! The desktop app's Router: WebKitGTK keeps no cookies for `arsip://`, so
//! the shell's jar keeps the session. A login in the window must give the
//! window the user's clearance for every request (pages, images, downloads),
//! a logout must end it, and the page itself never holds the cookie.

use super::*;

fn desktop_send(
    app: &axum::Router,
    method: &str,
    uri: &str,
    cookie: Option<&str>,
    body: Option<Value>,
) -> Reply {
    let mut req = request(method, uri, None, body, None);
    let headers = req.headers_mut();
    headers.insert(
        "origin",
        axum::http::HeaderValue::from_static("arsip://localhost"),
    );
    if let Some(c) = cookie {
        headers.insert("cookie", axum::http::HeaderValue::from_str(c).unwrap());
    }
    send_to(&fixture().runtime, app, req)
}

#[test]
fn a_login_in_the_desktop_window_lasts_until_logout() {
    let f = fixture();
    let app = arsip_api::with_session_jar(router(f.archive.clone(), Mode::Office));
    let (_, restricted, sha) = f
        .records
        .iter()
        .find(|(t, ..)| t.access == AccessLevel::Terbatas)
        .unwrap();
    let record = format!("/api/records/{restricted}");
    let original = format!("/api/files/{sha}");

    assert_eq!(
        desktop_send(&app, "GET", "/api/me", None, None).json()["role"],
        "publik"
    );
    assert_eq!(
        desktop_send(&app, "GET", &record, None, None).status,
        StatusCode::NOT_FOUND
    );

    let login = desktop_send(
        &app,
        "POST",
        "/api/login",
        None,
        Some(serde_json::json!({"name": "arsip1", "password": PASSWORD})),
    );
    assert_eq!(login.status, StatusCode::OK, "{}", login.text());
    assert!(
        login.headers.get("set-cookie").is_none(),
        "the page never holds the session cookie"
    );

    let me = desktop_send(&app, "GET", "/api/me", None, None).json();
    assert_eq!(me["user"], "arsip1", "{me}");
    assert_eq!(me["can_catalogue"], true, "{me}");
    assert_eq!(
        desktop_send(&app, "GET", &record, None, None).status,
        StatusCode::OK
    );
    // An original opened as a link or an <img> carries the session too.
    assert_eq!(
        desktop_send(&app, "GET", &original, None, None).status,
        StatusCode::OK
    );
    // A cookie the page makes up is not the window's session.
    let forged = desktop_send(&app, "GET", "/api/me", Some("arsip_session=made-up"), None).json();
    assert_eq!(forged["user"], "arsip1", "{forged}");

    // The LAN server keeps no jar: the same login there without its cookie is the public.
    assert_eq!(
        call(Mode::Office, "GET", "/api/me", None, None).json()["role"],
        "publik"
    );

    let logout = desktop_send(&app, "POST", "/api/logout", None, None);
    assert_eq!(logout.status, StatusCode::NO_CONTENT, "{}", logout.text());
    assert_eq!(
        desktop_send(&app, "GET", "/api/me", None, None).json()["role"],
        "publik"
    );
    assert_eq!(
        desktop_send(&app, "GET", &record, None, None).status,
        StatusCode::NOT_FOUND
    );
}

#[test]
fn the_desktop_kiosk_never_logs_in() {
    let f = fixture();
    let app = arsip_api::with_session_jar(router(f.archive.clone(), Mode::Kiosk));
    let login = desktop_send(
        &app,
        "POST",
        "/api/login",
        None,
        Some(serde_json::json!({"name": "admin1", "password": PASSWORD})),
    );
    assert_ne!(login.status, StatusCode::OK);
    assert_eq!(
        desktop_send(&app, "GET", "/api/me", None, None).json()["role"],
        "publik"
    );
}

#[test]
fn the_lan_server_refuses_writes_that_claim_the_desktop_apps_origin() {
    // A page of some other local service, pretending to be the app, must not
    // make an admin's browser session on the LAN server write.
    let req = Request::builder()
        .method("POST")
        .uri("/api/logout")
        .header("origin", "arsip://localhost")
        .header("host", "localhost:8080")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(Mode::Office, req).status, StatusCode::FORBIDDEN);
    let app = arsip_api::with_session_jar(router(fixture().archive.clone(), Mode::Office));
    let ok = desktop_send(&app, "POST", "/api/logout", None, None);
    assert_eq!(ok.status, StatusCode::NO_CONTENT, "{}", ok.text());
}
