//! arsip-api: the one HTTP API over the archive. The desktop shell (through its
//! custom URI scheme), the kiosk browser and the secretariat's PCs on the LAN
//! all send the same requests to the same `Router`, so there is one code path
//! and one access check. Requests become core calls here and nowhere else; the
//! access decision itself stays in the core (every read takes a `Clearance`).
//! The core is blocking (SQLite, tantivy), so handlers call it on tokio's
//! blocking pool.

mod auth;
mod error;
mod imports;
mod oai;
mod openapi;
mod reads;
mod routes;
mod static_ui;
pub mod wire;
mod writes;

pub use error::ApiError;
pub use oai::PAGE as OAI_PAGE;
pub use openapi::openapi;
pub use reads::HIGHLIGHTS_HEADER;

use arsip_core::Archive;
use std::sync::Arc;

/// Who the server serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Staff and secretariat log in; a request without a session is the public.
    Office,
    /// A kiosk: no login is offered and every request is the public role.
    Kiosk,
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub archive: Arc<Archive>,
    pub mode: Mode,
    imports: Arc<imports::Imports>,
}

/// The API's routes under `/api`.
pub fn router(archive: Arc<Archive>, mode: Mode) -> axum::Router {
    routes::routes()
        .route("/oai", axum::routing::get(oai::provider))
        .fallback(routes::not_found)
        .with_state(state(archive, mode))
}

/// The API and, for every other path, the built UI from `ui_dir` (or a page
/// saying how to build it): what `arsip serve` and the desktop app answer.
pub fn app(archive: Arc<Archive>, mode: Mode, ui_dir: Option<std::path::PathBuf>) -> axum::Router {
    routes::routes()
        .route("/oai", axum::routing::get(oai::provider))
        .fallback(
            move |headers: axum::http::HeaderMap, uri: axum::http::Uri| async move {
                if uri.path().starts_with("/api/") || uri.path() == "/api" {
                    axum::response::IntoResponse::into_response(routes::not_found(headers).await)
                } else {
                    static_ui::serve(ui_dir, uri).await
                }
            },
        )
        .with_state(state(archive, mode))
}

fn state(archive: Arc<Archive>, mode: Mode) -> AppState {
    AppState {
        archive,
        mode,
        imports: Arc::default(),
    }
}
