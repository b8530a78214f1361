//! The custom URI scheme: `/api/…` goes to arsip-api's Router in-process;
//! every other path is the UI, from the assets Tauri embedded at build time.
//! The page and the API share one origin, so no CORS is involved.

use axum::body::Body;
use http_body_util::BodyExt;
use tauri::http::{header, Request, Response, StatusCode};
use tauri::{AppHandle, Url};
use tower::ServiceExt;

pub const SCHEME: &str = "arsip";

/// The first page: `arsip://localhost/` (Linux, macOS) or
/// `http://arsip.localhost/` (Windows, where WebView2 needs an http form).
pub fn start_url() -> Result<Url, String> {
    let url = if cfg!(windows) {
        format!("http://{SCHEME}.localhost/index.html")
    } else {
        format!("{SCHEME}://localhost/index.html")
    };
    Url::parse(&url).map_err(|e| format!("{url}: {e}"))
}

pub async fn answer(
    app: &AppHandle,
    api: axum::Router,
    request: Request<Vec<u8>>,
) -> Response<Vec<u8>> {
    if request.uri().path().starts_with("/api/") {
        let (parts, body) = request.into_parts();
        let request = Request::from_parts(parts, Body::from(body));
        match api.oneshot(request).await {
            Ok(response) => {
                let (parts, body) = response.into_parts();
                match body.collect().await {
                    Ok(bytes) => Response::from_parts(parts, bytes.to_bytes().to_vec()),
                    Err(e) => plain(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
                }
            }
            Err(never) => match never {},
        }
    } else {
        asset(app, request.uri().path())
    }
}

fn asset(app: &AppHandle, path: &str) -> Response<Vec<u8>> {
    let path = if path == "/" { "/index.html" } else { path };
    match app.asset_resolver().get(path.to_string()) {
        Some(asset) => {
            let mut response = Response::new(asset.bytes);
            if let Ok(v) = asset.mime_type.parse() {
                response.headers_mut().insert(header::CONTENT_TYPE, v);
            }
            response
        }
        None => plain(
            StatusCode::NOT_FOUND,
            format!("{path}: tidak ditemukan / not found"),
        ),
    }
}

fn plain(status: StatusCode, text: String) -> Response<Vec<u8>> {
    let mut response = Response::new(text.into_bytes());
    *response.status_mut() = status;
    response
}
