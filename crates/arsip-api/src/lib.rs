//! arsip-api: the one HTTP API over the archive. The desktop shell (through its
//! custom URI scheme), the kiosk browser and the secretariat's PCs on the LAN
//! all send the same requests to the same `Router`, so there is one code path
//! and one access check. Requests become core calls here and nowhere else; the
//! access decision itself stays in the core (every read takes a `Clearance`).
//! The core is blocking (SQLite, tantivy), so handlers call it on tokio's
//! blocking pool. Every request passes the guards of `guard.rs` first (JSON
//! errors, same-origin writes, no writes by the public, body limits), and
//! `serve` puts the Router on TCP with header timeouts.

mod auth;
mod disposals;
mod error;
mod guard;
mod holdings;
mod imports;
mod jar;
mod oai;
mod openapi;
mod reads;
mod routes;
mod schedule;
mod serve;
mod setup;
mod static_ui;
mod storage;
mod versions;
pub mod wire;
mod writes;

pub use error::ApiError;
pub use guard::MAX_BODY_BYTES;
pub use jar::with_session_jar;
pub use oai::PAGE as OAI_PAGE;
pub use openapi::openapi;
pub use reads::HIGHLIGHTS_HEADER;
pub use routes::MAX_UPLOAD_BYTES;
pub use schedule::start_office_timers;
pub use serve::serve;
pub use setup::{missing_router, setup_router, OnSetUp, DEMO_RECORDS};

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
    let state = state(archive, mode);
    let api = routes::routes()
        .route("/oai", axum::routing::get(oai::provider))
        .fallback(routes::not_found);
    guard::layers(api, state.clone()).with_state(state)
}

/// The API and, for every other path, the built UI from `ui_dir` (or a page
/// saying how to build it): what `arsip serve` and the desktop app answer.
pub fn app(archive: Arc<Archive>, mode: Mode, ui_dir: Option<std::path::PathBuf>) -> axum::Router {
    let state = state(archive, mode);
    let api = routes::routes()
        .route("/oai", axum::routing::get(oai::provider))
        .fallback(
            move |headers: axum::http::HeaderMap, uri: axum::http::Uri| async move {
                if uri.path().starts_with("/api/") || uri.path() == "/api" {
                    axum::response::IntoResponse::into_response(routes::not_found(headers).await)
                } else {
                    static_ui::serve(ui_dir, uri).await
                }
            },
        );
    guard::layers(api, state.clone()).with_state(state)
}

fn state(archive: Arc<Archive>, mode: Mode) -> AppState {
    AppState {
        archive,
        mode,
        imports: Arc::default(),
    }
}
