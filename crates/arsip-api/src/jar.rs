//! The desktop app's session cookie, kept by the shell. WebKitGTK keeps no
//! cookies for a custom URI scheme (`arsip://`), so a login in the desktop
//! window set a cookie that was never sent back: the server had a session,
//! the window stayed public. The desktop Router keeps the one session cookie
//! itself: it takes `Set-Cookie` off the login and logout answers and adds
//! the cookie to every later request. The page's script cannot read or set
//! the cookie (as with an HttpOnly cookie in a browser; the login's JSON
//! answer still carries the token, as it does in a browser), images and
//! downloads carry it like any request, and no token is ever put in a URL.
//!
//! One window, one person: the desktop app is one user's session at a time,
//! as a browser profile is. The LAN server never uses this layer.

use crate::auth::COOKIE;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

#[derive(Default)]
struct Jar(Mutex<Option<Kept>>);

struct Kept {
    token: String,
    until: Option<Instant>,
}

impl Jar {
    fn current(&self) -> Option<String> {
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if kept
            .as_ref()
            .and_then(|k| k.until)
            .is_some_and(|until| Instant::now() >= until)
        {
            *kept = None;
        }
        kept.as_ref().map(|k| k.token.clone())
    }

    fn set(&self, kept: Option<Kept>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = kept;
    }
}

/// The desktop Router: `router` with the shell's session cookie jar.
pub fn with_session_jar(router: axum::Router) -> axum::Router {
    router.layer(axum::middleware::from_fn_with_state(
        Arc::new(Jar::default()),
        keep_session,
    ))
}

/// Marks a request that came through the desktop window (see `guard`: only
/// such a request may carry the app's own origin).
#[derive(Clone, Copy)]
pub(crate) struct DesktopShell;

async fn keep_session(State(jar): State<Arc<Jar>>, mut request: Request, next: Next) -> Response {
    request.extensions_mut().insert(DesktopShell);
    // Only the jar speaks for the window: whatever cookie a page might send is replaced.
    let headers = request.headers_mut();
    headers.remove(header::COOKIE);
    if let Some(token) = jar.current() {
        if let Ok(v) = HeaderValue::from_str(&format!("{COOKIE}={token}")) {
            headers.insert(header::COOKIE, v);
        }
    }
    let mut response = next.run(request).await;
    if let Some(change) = session_cookie(response.headers()) {
        jar.set(change);
    }
    response.headers_mut().remove(header::SET_COOKIE);
    response
}

/// The session cookie an answer sets: `Some(Some(..))` a new session,
/// `Some(None)` the session ended, `None` when the answer sets none.
fn session_cookie(headers: &HeaderMap) -> Option<Option<Kept>> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            let mut parts = v.split(';').map(str::trim);
            let token = parts.next()?.strip_prefix(COOKIE)?.strip_prefix('=')?;
            let max_age = parts
                .filter_map(|p| p.split_once('='))
                .find(|(k, _)| k.eq_ignore_ascii_case("max-age"))
                .and_then(|(_, v)| v.trim().parse::<i64>().ok());
            Some(match max_age {
                _ if token.is_empty() => None,
                Some(secs) if secs <= 0 => None,
                Some(secs) => Some(Kept {
                    token: token.to_string(),
                    until: Instant::now().checked_add(Duration::from_secs(secs.unsigned_abs())),
                }),
                None => Some(Kept {
                    token: token.to_string(),
                    until: None,
                }),
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(cookie: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::SET_COOKIE,
            HeaderValue::from_str(cookie).unwrap_or_else(|_| HeaderValue::from_static("")),
        );
        h
    }

    #[test]
    fn a_login_is_kept_and_a_logout_forgets_it() {
        let kept = session_cookie(&answer(
            "arsip_session=abc; Path=/; HttpOnly; Max-Age=36000",
        ));
        assert_eq!(
            kept.and_then(|k| k).map(|k| k.token).as_deref(),
            Some("abc")
        );
        let ended = session_cookie(&answer("arsip_session=; Path=/; HttpOnly; Max-Age=0"));
        assert!(matches!(ended, Some(None)));
        assert!(session_cookie(&answer("other=1; Path=/")).is_none());
        assert!(session_cookie(&HeaderMap::new()).is_none());
    }

    #[test]
    fn an_expired_session_is_not_sent() {
        let jar = Jar::default();
        jar.set(Some(Kept {
            token: "abc".into(),
            until: Some(Instant::now()),
        }));
        assert_eq!(jar.current(), None);
    }
}
