//! Errors on the wire: `{"error": {"code", "message"}}` with the status the
//! code calls for. The UI shows text by `code`; `message` is the string table's
//! text in the caller's language (Indonesian unless it asks for English).

use crate::wire::{ErrorBody, ErrorReply};
use arsip_core::{Error, ErrorCode, Lang};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

#[derive(Debug)]
pub struct ApiError {
    pub error: Error,
    pub lang: Lang,
}

impl ApiError {
    pub fn new(error: Error, lang: Lang) -> ApiError {
        ApiError { error, lang }
    }

    /// The body as sent: internal details (paths, SQL) stay in the server's log.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.error.code,
            message: if self.error.code.is_user_error() {
                self.error.message(self.lang)
            } else {
                arsip_core::strings::error_text(self.error.code, self.lang).to_string()
            },
        }
    }
}

pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::AccessDenied => StatusCode::FORBIDDEN,
        ErrorCode::WrongPassword | ErrorCode::NotLoggedIn | ErrorCode::SessionExpired => {
            StatusCode::UNAUTHORIZED
        }
        ErrorCode::SyncConflict => StatusCode::CONFLICT,
        c if c.is_user_error() => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if !self.error.code.is_user_error() {
            eprintln!("arsip-api: {}", self.error);
        }
        let reply = ErrorReply { error: self.body() };
        (status_of(self.error.code), Json(reply)).into_response()
    }
}
