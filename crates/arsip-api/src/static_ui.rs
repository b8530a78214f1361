//! The built UI (`ui/dist`) served beside the API, from a folder chosen at
//! start-up: `arsip serve` reads it from disk so the Rust build never needs
//! Node. Only files inside the folder are served; every other path that is not
//! under `/api` gets `index.html` (the UI routes by the URL's hash).

use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode, Uri};
use std::path::{Component, Path, PathBuf};

/// The page security policy: the UI's own scripts and styles, images it
/// draws from blobs, and requests to its own origin only.
const CSP: &str = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

fn media_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The file a request path names inside `root`, refusing anything that would
/// leave it (`..`, absolute parts).
fn resolve(root: &Path, uri_path: &str) -> Option<PathBuf> {
    let rel = Path::new(uri_path.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let file = root.join(rel);
    file.is_file().then_some(file)
}

pub async fn serve(root: Option<PathBuf>, uri: Uri) -> Response<Body> {
    let Some(root) = root else {
        return page(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            NOT_BUILT.as_bytes().to_vec(),
        );
    };
    let path = uri.path();
    let file = resolve(&root, path).unwrap_or_else(|| root.join("index.html"));
    let read = {
        let file = file.clone();
        tokio::task::spawn_blocking(move || std::fs::read(file)).await
    };
    match read {
        Ok(Ok(bytes)) => {
            let mut r = page(StatusCode::OK, media_type(&file), bytes);
            // Built assets carry a content hash in their names; the page does not.
            let cache = if path.starts_with("/assets/") {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            };
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            r
        }
        _ => page(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            NOT_BUILT.as_bytes().to_vec(),
        ),
    }
}

const NOT_BUILT: &str = "Antarmuka belum dibangun: jalankan `npm --prefix ui run build`, atau beri `arsip serve --ui FOLDER`.\nThe UI is not built: run `npm --prefix ui run build`, or pass `arsip serve --ui FOLDER`.\n";

fn page(status: StatusCode, media: &'static str, body: Vec<u8>) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    r
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn paths_cannot_leave_the_ui_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "x").unwrap();
        assert!(resolve(dir.path(), "/index.html").is_some());
        assert!(resolve(dir.path(), "/../index.html").is_none());
        assert!(resolve(dir.path(), "/assets/../../etc/passwd").is_none());
        assert!(resolve(dir.path(), "/tidak-ada.js").is_none());
    }
}
