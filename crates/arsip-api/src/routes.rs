//! The routes under `/api`: stable paths the UI and other tools rely on. Each
//! is described in `openapi.rs`; a test checks the two agree.

use crate::{auth, disposals, holdings, reads, storage, versions, writes, ApiError, AppState};
use arsip_core::{Archive, Clearance, Error, ErrorCode, RecordId};
use axum::extract::DefaultBodyLimit;
use axum::http::HeaderMap;
use axum::routing::{get, patch, post};
use axum::Router;

/// Largest file one upload may carry (a long scanned PDF). Every other route
/// takes at most `guard::MAX_BODY_BYTES`.
pub const MAX_UPLOAD_BYTES: usize = 1 << 30;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(crate::openapi::document))
        .route("/api/login", post(writes::login))
        .route("/api/logout", post(writes::logout))
        .route("/api/me", get(reads::me))
        .route("/api/vocabularies", get(reads::vocabularies))
        .route("/api/search", get(reads::search))
        .route("/api/export.csv", get(reads::export))
        .route(
            "/api/records/{id}",
            get(reads::record)
                .patch(writes::edit)
                .delete(writes::delete),
        )
        .route("/api/records/{id}/history", get(reads::record_history))
        .route("/api/records/{id}/versions", get(versions::list))
        .route("/api/records/{id}/versions/{v}", get(versions::pages))
        .route(
            "/api/records/{id}/versions/{v}/restore",
            post(versions::restore),
        )
        .route(
            "/api/records/{id}/rescan",
            post(versions::rescan).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route("/api/records/{id}/reocr", post(versions::reocr))
        .route("/api/records/edit", post(writes::edit_many))
        .route("/api/trash", get(reads::trash))
        .route("/api/trash/{id}/restore", post(writes::restore))
        .route("/api/review", get(reads::review_queue).post(writes::review))
        .route("/api/recap", get(reads::recap_queue))
        .route("/api/recap.csv", get(reads::recap_export))
        .route(
            "/api/records/{id}/recap",
            get(reads::recap).post(writes::confirm_recap),
        )
        .route(
            "/api/records/{id}/recap/rows/{index}/crop",
            get(reads::recap_crop),
        )
        .route("/api/records/{id}/pages/{n}/image", get(reads::page_image))
        .route(
            "/api/records/{id}/pages/{n}/thumbnail",
            get(reads::thumbnail),
        )
        .route(
            "/api/files/{sha256}",
            get(reads::file).layer(axum::middleware::from_fn(crate::guard::as_download)),
        )
        .route("/api/records/{id}/pages/move", post(writes::move_pages))
        .route("/api/berkas", get(holdings::list).post(holdings::add))
        .route("/api/berkas/{id}", get(holdings::one).patch(holdings::edit))
        .route("/api/jra", get(holdings::jra).post(holdings::import_jra))
        .route("/api/retention", get(holdings::retention))
        .route(
            "/api/digitisation/{name}",
            post(holdings::digitisation)
                .layer(axum::middleware::from_fn(crate::guard::as_download)),
        )
        .route(
            "/api/disposals",
            get(disposals::list).post(disposals::propose),
        )
        .route("/api/disposals/{id}", get(disposals::one))
        .route("/api/disposals/{id}/steps", post(disposals::step))
        .route(
            "/api/disposals/{id}/bag.zip",
            get(disposals::package).layer(axum::middleware::from_fn(crate::guard::as_download)),
        )
        .route(
            "/api/disposals/{id}/documents/{name}",
            get(disposals::document).layer(axum::middleware::from_fn(crate::guard::as_download)),
        )
        .route("/api/places", get(storage::places).post(storage::add_place))
        .route(
            "/api/places/report.pdf",
            get(storage::report).layer(axum::middleware::from_fn(crate::guard::as_download)),
        )
        .route("/api/boxes", get(storage::boxes).post(storage::add_box))
        .route(
            "/api/boxes/{id}",
            get(storage::one_box).patch(storage::edit_box),
        )
        .route("/api/labels", post(storage::labels))
        .route(
            "/api/labels/scan",
            post(storage::scan).layer(DefaultBodyLimit::max(storage::MAX_PHOTO_BYTES)),
        )
        .route("/api/loans", get(storage::loans).post(storage::lend))
        .route("/api/loans/{id}/return", post(storage::return_loan))
        .route(
            "/api/loans/{id}/slip.pdf",
            get(storage::slip).layer(axum::middleware::from_fn(crate::guard::as_download)),
        )
        .route("/api/imports", post(writes::import))
        .route("/api/imports/proposal", post(writes::propose))
        .route("/api/separators", post(writes::separator_sheets))
        .route("/api/imports/{id}", get(reads::import_status))
        .route(
            "/api/uploads",
            post(writes::upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route(
            "/api/uploads/document",
            post(writes::upload_document).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route("/api/audit", get(reads::audit))
        .route("/api/audit.csv", get(reads::audit_export))
        .route("/api/audit/verify", get(reads::audit_verify))
        .route("/api/sync", get(reads::sync_status))
        .route("/api/sync/push", post(writes::sync_push))
        .route("/api/users", get(reads::users).post(writes::add_user))
        .route(
            "/api/backup",
            get(reads::backup_plan).put(writes::set_backup_plan),
        )
        .route("/api/backup/run", post(writes::backup_now))
        .route(
            "/api/watch",
            get(reads::watch_status).put(writes::set_watch),
        )
        .route("/api/users/{name}", patch(writes::edit_user))
        .route(
            "/api/setup",
            get(crate::setup::status).post(crate::setup::refused),
        )
        .route("/api/setup/admin", post(crate::setup::first_admin))
}

/// Runs a blocking core call on tokio's blocking pool.
pub async fn blocking<T: Send + 'static>(
    lang: arsip_core::Lang,
    call: impl FnOnce() -> arsip_core::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(call)
        .await
        .map_err(|e| ApiError::new(Error::new(ErrorCode::Internal, e.to_string()), lang))?
        .map_err(|e| ApiError::new(e, lang))
}

/// Runs a core call with the caller's clearance.
pub async fn core<T: Send + 'static>(
    state: &AppState,
    headers: &HeaderMap,
    call: impl FnOnce(&Archive, Clearance) -> arsip_core::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    let lang = auth::lang(headers);
    let clearance = auth::clearance(state, headers).map_err(|e| ApiError::new(e, lang))?;
    let archive = state.archive.clone();
    blocking(lang, move || call(&archive, clearance)).await
}

/// A document made by the core, sent as a download named `file`.
pub fn attachment(
    media_type: &'static str,
    file: &str,
    bytes: Vec<u8>,
) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    use axum::response::IntoResponse;
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(media_type)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

pub fn bad_input(headers: &HeaderMap, detail: impl Into<String>) -> ApiError {
    ApiError::new(
        Error::new(ErrorCode::InvalidInput, detail),
        auth::lang(headers),
    )
}

pub fn record_id(headers: &HeaderMap, id: &str) -> Result<RecordId, ApiError> {
    // A malformed id is as unknown as a well-formed one that does not exist.
    RecordId::parse(id).map_err(|_| {
        ApiError::new(
            Error::new(ErrorCode::NotFound, id.to_string()),
            auth::lang(headers),
        )
    })
}

pub async fn not_found(headers: HeaderMap) -> ApiError {
    ApiError::new(Error::new(ErrorCode::NotFound, ""), auth::lang(&headers))
}
