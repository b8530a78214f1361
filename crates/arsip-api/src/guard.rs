//! What every `/api` request passes through around its handler, in order:
//!
//! 1. `api_replies` (outermost): every error is `{"error": {code, message}}`,
//!    axum's own rejections (a bad JSON body, a wrong content type, a bad
//!    query or path parameter, a method the path does not take, a body over
//!    its limit) included, and every reply carries `nosniff` (JSON also
//!    `no-store`: it may hold restricted records).
//! 2. `same_origin`: a state-changing request from another site's page is
//!    refused before its handler runs (a LAN browser carries the staff's
//!    session cookie to any page that posts to this server).
//! 3. `no_public_writes`: the public (no session, or any kiosk request)
//!    cannot change anything, so a visitor's upload is refused before one
//!    byte of its body is read.
//! 4. `DefaultBodyLimit`: 64 KiB, except the routes that raise it
//!    (`/api/uploads`).
//!
//! The guards decide nothing about records: who may change what stays the
//! core's decision (`Clearance::require_catalogue` in every write). They
//! only refuse early what the core would refuse anyway, or what no handler
//! should ever see.

use crate::wire::ErrorReply;
use crate::{auth, ApiError, AppState};
use arsip_core::{Error, ErrorCode, Lang};
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};

/// Largest request body a route takes unless it says otherwise: JSON forms
/// and batch edits are far smaller.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Longest rejection text kept as an error's detail.
const MAX_DETAIL_BYTES: usize = 1024;

/// The guards, applied to every route and the fallback of `router`.
pub fn layers(router: Router<AppState>, state: AppState) -> Router<AppState> {
    router
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(from_fn_with_state(state, no_public_writes))
        .layer(from_fn(same_origin))
        .layer(from_fn(api_replies))
}

/// The same guards for the first-run Router, which has no archive (and so
/// no public to keep from writing).
pub fn setup_layers<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(from_fn(same_origin))
        .layer(from_fn(api_replies))
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

fn changes_state(method: &Method) -> bool {
    matches!(
        *method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    )
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| {
            let m = m.trim();
            m.eq_ignore_ascii_case("application/json") || m.ends_with("+json")
        })
}

fn refuse(code: ErrorCode, detail: &str, lang: Lang) -> Response {
    ApiError::new(Error::new(code, detail), lang).into_response()
}

/// Every `/api` error as JSON, and the headers every `/api` reply carries.
async fn api_replies(req: Request, next: Next) -> Response {
    if !is_api(req.uri().path()) {
        return next.run(req).await;
    }
    let lang = auth::lang(req.headers());
    let mut response = next.run(req).await;
    let status = response.status();
    if (status.is_client_error() || status.is_server_error()) && !is_json(response.headers()) {
        response = as_json(response, lang).await;
    }
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if is_json(headers) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The code for an error response axum made itself (a rejection).
fn code_of(status: StatusCode) -> ErrorCode {
    match status {
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => ErrorCode::NotFound,
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::FileTooLarge,
        StatusCode::FORBIDDEN => ErrorCode::AccessDenied,
        s if s.is_server_error() => ErrorCode::Internal,
        // 400, 415, 422 and any other refusal of the request as sent.
        _ => ErrorCode::InvalidInput,
    }
}

/// A plain-text (or empty) error response as the API's JSON error, with the
/// same status and headers (`Allow` on a 405 stays). The rejection's own
/// words (English, technical: "year: invalid digit found in string") become
/// the detail, as a parser's words do elsewhere.
async fn as_json(response: Response, lang: Lang) -> Response {
    let (mut parts, body) = response.into_parts();
    let detail = axum::body::to_bytes(body, MAX_DETAIL_BYTES)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let code = code_of(parts.status);
    if !code.is_user_error() {
        eprintln!("arsip-api: {} {detail}", parts.status);
    }
    let error = ApiError::new(Error::new(code, detail), lang);
    let body = Json(ErrorReply {
        error: error.body(),
    })
    .into_response();
    let (json_parts, body) = body.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.extend(json_parts.headers);
    Response::from_parts(parts, body)
}

/// The desktop app's page origins (Tauri's custom scheme: `arsip://localhost`
/// on Linux and macOS, `http://arsip.localhost` on Windows) and the hosts its
/// requests name.
const DESKTOP_ORIGINS: [&str; 2] = ["arsip://localhost", "http://arsip.localhost"];
const DESKTOP_HOSTS: [&str; 2] = ["localhost", "arsip.localhost"];

/// Refuses a state-changing `/api` request sent by another site's page: one
/// whose `Origin` names another host or port than the request's `Host`, or
/// that the browser marks `Sec-Fetch-Site: cross-site`. A request without
/// `Origin` passes (a command-line tool with a Bearer token; browsers send
/// `Origin` on every cross-origin POST, PUT, PATCH and DELETE).
async fn same_origin(req: Request, next: Next) -> Response {
    if !is_api(req.uri().path()) || !changes_state(req.method()) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let cross_site = headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"));
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| req.uri().authority().map(|a| a.as_str()));
    // The desktop app's own origins count only for requests that came
    // through its window, never for the LAN server.
    let desktop = req.extensions().get::<crate::jar::DesktopShell>().is_some();
    let foreign = match headers.get(header::ORIGIN) {
        None => false,
        Some(origin) => !origin
            .to_str()
            .is_ok_and(|o| origin_allowed(o, host, desktop)),
    };
    if cross_site || foreign {
        return refuse(ErrorCode::AccessDenied, "origin", auth::lang(headers));
    }
    next.run(req).await
}

/// Whether a page at `origin` may change things through a request naming
/// `host`: the same host and port, or the desktop app talking to itself.
fn origin_allowed(origin: &str, host: Option<&str>, desktop: bool) -> bool {
    let origin = origin.trim().to_ascii_lowercase();
    let host = host.map(|h| h.trim().to_ascii_lowercase());
    if DESKTOP_ORIGINS.contains(&origin.as_str()) {
        // In the app the request may name no host at all (no socket).
        return desktop && host.is_none_or(|h| DESKTOP_HOSTS.contains(&split_port(&h).0));
    }
    let Some(host) = host else {
        return false;
    };
    let Some((scheme, authority)) = origin.split_once("://") else {
        // "null" (a sandboxed page, a file) or garbage.
        return false;
    };
    let default_port = match scheme {
        "http" => "80",
        "https" => "443",
        _ => return false,
    };
    let (origin_host, origin_port) = split_port(authority);
    let (host_name, host_port) = split_port(&host);
    origin_host == host_name
        && origin_port.unwrap_or(default_port) == host_port.unwrap_or(default_port)
}

/// `host[:port]` into its parts; an IPv6 literal keeps its brackets.
fn split_port(authority: &str) -> (&str, Option<&str>) {
    match authority.rsplit_once(':') {
        Some((host, port))
            if !port.is_empty()
                && port.bytes().all(|b| b.is_ascii_digit())
                && (!host.starts_with('[') || host.ends_with(']')) =>
        {
            (host, Some(port))
        }
        _ => (authority, None),
    }
}

/// Refuses every state-changing `/api` request of the public (a visitor with
/// no session, anyone at a kiosk) before its body is read: the core would
/// refuse it anyway, after a gigabyte had arrived. Logging in and out stay
/// open: they are how the public stops being the public. An unknown or
/// expired token is 401, as everywhere.
async fn no_public_writes(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if !is_api(path)
        || !changes_state(req.method())
        || path == "/api/login"
        || path == "/api/logout"
    {
        return next.run(req).await;
    }
    // The first admin of an archive nobody can log in to is made by whoever
    // sits at its computer: through the desktop window only (its handler
    // checks that there are no users, in the same transaction).
    let window = req.extensions().get::<crate::jar::DesktopShell>().is_some();
    if path == "/api/setup/admin" && window && state.mode == crate::Mode::Office {
        return next.run(req).await;
    }
    let lang = auth::lang(req.headers());
    match auth::clearance(&state, req.headers()) {
        Err(e) => ApiError::new(e, lang).into_response(),
        Ok(c) if c.is_public() => refuse(ErrorCode::AccessDenied, "", lang),
        Ok(_) => next.run(req).await,
    }
}

/// How an original is sent (`GET /api/files/{sha256}`): always as a download,
/// never as a page of this origin. A PDF or SVG opened in place could run
/// script with the reader's session; `sandbox` and `attachment` prevent it.
pub async fn as_download(req: Request, next: Next) -> Response {
    let sha = req
        .uri()
        .path()
        .rsplit('/')
        .next()
        .filter(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_ascii_lowercase);
    let mut response = next.run(req).await;
    if !response.status().is_success() {
        return response;
    }
    let extension = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(extension_of);
    // The handler names the download after the original; should it not, the
    // hash and type make a name that is safe in a header.
    let disposition = match (sha, extension) {
        (Some(sha), Some(ext)) => format!("attachment; filename=\"{sha}.{ext}\""),
        _ => "attachment".to_string(),
    };
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_DISPOSITION) {
        if let Ok(v) = HeaderValue::from_str(&disposition) {
            headers.insert(header::CONTENT_DISPOSITION, v);
        }
    }
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    response
}

fn extension_of(media_type: &str) -> Option<&'static str> {
    let media = media_type.split(';').next()?.trim();
    Some(match media {
        "application/pdf" => "pdf",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/tiff" => "tif",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_match_their_host_and_port() {
        let check = |origin: &str, host: Option<&str>, allowed: bool| {
            assert_eq!(
                origin_allowed(origin, host, true),
                allowed,
                "{origin} {host:?}"
            );
            if DESKTOP_ORIGINS.contains(&origin) {
                // The LAN server is not the desktop app.
                assert!(
                    !origin_allowed(origin, host, false),
                    "{origin} {host:?} on the LAN"
                );
            } else {
                assert_eq!(
                    origin_allowed(origin, host, false),
                    allowed,
                    "{origin} {host:?}"
                );
            }
        };
        check("http://192.168.1.10:8080", Some("192.168.1.10:8080"), true);
        check("http://arsip.kpu.lan", Some("arsip.kpu.lan"), true);
        check("http://arsip.kpu.lan", Some("arsip.kpu.lan:80"), true);
        check("https://Arsip.KPU.lan", Some("arsip.kpu.lan"), true);
        check("http://[::1]:8080", Some("[::1]:8080"), true);
        check("http://192.168.1.10:8081", Some("192.168.1.10:8080"), false);
        check("http://jahat.example", Some("192.168.1.10:8080"), false);
        check("https://arsip.kpu.lan", Some("arsip.kpu.lan:80"), false);
        check("http://arsip.kpu.lan", None, false);
        check("null", Some("arsip.kpu.lan"), false);
        check("ftp://arsip.kpu.lan", Some("arsip.kpu.lan"), false);
        // The desktop app.
        check("arsip://localhost", Some("localhost"), true);
        check("arsip://localhost", None, true);
        check("http://arsip.localhost", Some("arsip.localhost"), true);
        check("arsip://localhost", Some("192.168.1.10:8080"), false);
    }

    #[test]
    fn originals_are_named_by_hash_and_type() {
        assert_eq!(extension_of("application/pdf"), Some("pdf"));
        assert_eq!(extension_of("image/jpeg; q=1"), Some("jpg"));
        assert_eq!(extension_of("text/html"), None);
    }
}
