//! The routes under `/api`: stable paths the UI and other tools rely on.

use crate::auth::{self, COOKIE};
use crate::{ApiError, AppState, Mode};
use arsip_core::{
    Archive, Clearance, ContentHash, Error, ErrorCode, Filters, RecordId, SearchRequest,
};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/login", post(login))
        .route("/api/logout", post(logout))
        .route("/api/me", get(me))
        .route("/api/search", get(search))
        .route("/api/records/{id}", get(record))
        .route("/api/records/{id}/pages/{n}/thumbnail", get(thumbnail))
        .route("/api/files/{sha256}", get(file))
        .fallback(not_found)
}

/// Runs a blocking core call on tokio's blocking pool.
async fn blocking<T: Send + 'static>(
    lang: arsip_core::Lang,
    call: impl FnOnce() -> arsip_core::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(call)
        .await
        .map_err(|e| ApiError::new(Error::new(ErrorCode::Internal, e.to_string()), lang))?
        .map_err(|e| ApiError::new(e, lang))
}

/// Runs a core call with the caller's clearance.
async fn core<T: Send + 'static>(
    state: &AppState,
    headers: &HeaderMap,
    call: impl FnOnce(&Archive, Clearance) -> arsip_core::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    let lang = auth::lang(headers);
    let clearance = auth::clearance(state, headers).map_err(|e| ApiError::new(e, lang))?;
    let archive = state.archive.clone();
    blocking(lang, move || call(&archive, clearance)).await
}

fn bad_input(headers: &HeaderMap, detail: impl Into<String>) -> ApiError {
    ApiError::new(
        Error::new(ErrorCode::InvalidInput, detail),
        auth::lang(headers),
    )
}

async fn not_found(headers: HeaderMap) -> ApiError {
    ApiError::new(Error::new(ErrorCode::NotFound, ""), auth::lang(&headers))
}

#[derive(Deserialize)]
struct LoginForm {
    name: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(form): Json<LoginForm>,
) -> Result<Response, ApiError> {
    if state.mode == Mode::Kiosk {
        return Err(ApiError::new(
            Error::new(ErrorCode::AccessDenied, "kiosk"),
            auth::lang(&headers),
        ));
    }
    let archive = state.archive.clone();
    let session = blocking(auth::lang(&headers), move || {
        archive.login(&form.name, &form.password)
    })
    .await?;
    let cookie = format!(
        "{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
        session.token,
        arsip_core::archive::SESSION_HOURS * 3600
    );
    let mut response = Json(&session).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(response)
}

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(token) = auth::token(&headers) {
        let archive = state.archive.clone();
        blocking(auth::lang(&headers), move || archive.logout(&token)).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("arsip_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    Ok(response)
}

async fn me(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let who = core(&state, &headers, |_, c| Ok(c)).await?;
    Ok(Json(serde_json::json!({
        "user": who.actor,
        "role": who.role,
        "max_access": who.max_level,
        "masked": who.mask_personal_data,
    }))
    .into_response())
}

#[derive(Deserialize)]
struct SearchParams {
    #[serde(default)]
    q: String,
    limit: Option<usize>,
    offset: Option<usize>,
    #[serde(rename = "type")]
    doc_type: Option<String>,
    election: Option<String>,
    year: Option<u32>,
    region: Option<String>,
    access: Option<String>,
    series: Option<String>,
}

/// Most hits one page of results may ask for.
const MAX_LIMIT: usize = 100;

async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(p): Query<SearchParams>,
) -> Result<Response, ApiError> {
    let mut req = SearchRequest::new(p.q);
    req.limit = p.limit.unwrap_or(20).min(MAX_LIMIT);
    req.offset = p.offset.unwrap_or(0);
    req.filters = Filters {
        doc_type: p.doc_type,
        election: p.election,
        year: p.year,
        region: p.region,
        access: p.access,
        series: p.series,
    };
    let out = core(&state, &headers, move |a, c| a.search(&req, &c)).await?;
    Ok(Json(out).into_response())
}

fn record_id(headers: &HeaderMap, id: &str) -> Result<RecordId, ApiError> {
    // A malformed id is as unknown as a well-formed one that does not exist.
    RecordId::parse(id).map_err(|_| {
        ApiError::new(
            Error::new(ErrorCode::NotFound, id.to_string()),
            auth::lang(headers),
        )
    })
}

async fn record(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = record_id(&headers, &id)?;
    let view = core(&state, &headers, move |a, c| a.view_record(&id, &c)).await?;
    Ok(Json(view).into_response())
}

async fn thumbnail(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, n)): Path<(String, u32)>,
) -> Result<Response, ApiError> {
    let id = record_id(&headers, &id)?;
    let bytes = core(&state, &headers, move |a, c| a.page_thumbnail(&id, n, &c)).await?;
    Ok(([(header::CONTENT_TYPE, "image/jpeg")], bytes).into_response())
}

async fn file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(sha): Path<String>,
) -> Result<Response, ApiError> {
    let hash = ContentHash::parse(&sha).map_err(|_| bad_input(&headers, "sha256"))?;
    let (file, bytes) = core(&state, &headers, move |a, c| a.original(&hash, &c)).await?;
    Ok(([(header::CONTENT_TYPE, file.media_type)], bytes).into_response())
}
