//! Errors on the wire: `{"error": {"code", "message"}}` with the status the
//! code calls for. The UI shows text by `code`; `message` is the string table's
//! text in the caller's language (Indonesian unless it asks for English).

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
}

pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::AccessDenied => StatusCode::FORBIDDEN,
        ErrorCode::WrongPassword | ErrorCode::NotLoggedIn | ErrorCode::SessionExpired => {
            StatusCode::UNAUTHORIZED
        }
        c if c.is_user_error() => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": {
                "code": self.error.code,
                // Internal details (paths, SQL) stay in the server's log.
                "message": if self.error.code.is_user_error() {
                    self.error.message(self.lang)
                } else {
                    arsip_core::strings::error_text(self.error.code, self.lang).to_string()
                },
            }
        });
        if !self.error.code.is_user_error() {
            eprintln!("arsip-api: {}", self.error);
        }
        (status_of(self.error.code), Json(body)).into_response()
    }
}
