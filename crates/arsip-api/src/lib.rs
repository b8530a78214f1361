//! arsip-api: the one HTTP API over the archive. The desktop shell (through its
//! custom URI scheme), the kiosk browser and the secretariat's PCs on the LAN
//! all send the same requests to the same `Router`, so there is one code path
//! and one access check. Requests become core calls here and nowhere else; the
//! access decision itself stays in the core (every read takes a `Clearance`).
//! The core is blocking (SQLite, tantivy), so handlers call it on tokio's
//! blocking pool.

mod auth;
mod error;
mod routes;

pub use error::ApiError;

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
}

/// The API's routes under `/api`.
pub fn router(archive: Arc<Archive>, mode: Mode) -> axum::Router {
    routes::routes().with_state(AppState { archive, mode })
}
