//! Who is asking: a session token (`Authorization: Bearer …` or the
//! `arsip_session` cookie) gives the user's clearance; no token gives the
//! public's. In kiosk mode every request is the public, tokens or not. A token
//! that is unknown or expired is an error, not the public: the UI must know
//! its login ended.

use crate::{AppState, Mode};
use arsip_core::{Clearance, Lang};
use axum::http::HeaderMap;

pub const COOKIE: &str = "arsip_session";

/// The caller's language: English when the request prefers it, else Indonesian.
pub fn lang(headers: &HeaderMap) -> Lang {
    headers
        .get("accept-language")
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.trim_start().starts_with("en"))
        .map_or(Lang::Id, |_| Lang::En)
}

pub fn token(headers: &HeaderMap) -> Option<String> {
    if let Some(bearer) = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some(bearer.trim().to_string());
    }
    headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            kv.trim()
                .strip_prefix(&format!("{COOKIE}=")[..])
                .map(str::to_string)
        })
        .filter(|t| !t.is_empty())
}

pub fn clearance(state: &AppState, headers: &HeaderMap) -> arsip_core::Result<Clearance> {
    let public = || Clearance::public();
    if state.mode == Mode::Kiosk {
        return Ok(public());
    }
    match token(headers) {
        Some(t) => state.archive.clearance(&t),
        None => Ok(public()),
    }
}

/// Where a request comes from, for login throttling: the peer's address
/// when served over TCP, "lokal" in the desktop app (no socket).
pub fn client(extensions: &axum::http::Extensions) -> String {
    extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or_else(|| "lokal".to_string(), |c| c.0.ip().to_string())
}
