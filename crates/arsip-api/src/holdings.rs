//! Berkas and the retention schedule (JRA) over HTTP: staff read them,
//! archivists and admins make and change berkas, the admin imports the
//! office's schedule. The core decides who may (see `arsip_core::retention`).

use crate::routes::{bad_input, core};
use crate::{ApiError, AppState};
use arsip_core::catalogue::berkas::{Berkas, BerkasEdit, JraRow, NewBerkas};
use arsip_core::retention::{parse_day, RetentionReport};
use arsip_core::BerkasId;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, schemars::JsonSchema)]
pub struct RetentionParams {
    /// The day to report on (YYYY-MM-DD); today where the office is when
    /// not given.
    pub on: Option<String>,
    /// Only the counts, without the lists (the first screen's notice).
    pub brief: Option<bool>,
}

/// How many rows an import read.
#[derive(Serialize, schemars::JsonSchema)]
pub struct Imported {
    pub rows: usize,
}

fn berkas_id(headers: &HeaderMap, id: &str) -> Result<BerkasId, ApiError> {
    // A malformed id is as unknown as a well-formed one that does not exist.
    BerkasId::parse(id).map_err(|_| {
        ApiError::new(
            arsip_core::Error::new(arsip_core::ErrorCode::NotFound, "berkas"),
            crate::auth::lang(headers),
        )
    })
}

/// Every berkas the caller may read, with its schedule (staff).
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<Berkas>>, ApiError> {
    Ok(Json(
        core(&state, &headers, move |a, c| a.berkas_list(&c)).await?,
    ))
}

/// One berkas (staff who may read its class).
pub async fn one(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Berkas>, ApiError> {
    let id = berkas_id(&headers, &id)?;
    Ok(Json(
        core(&state, &headers, move |a, c| a.berkas(&id, &c)).await?,
    ))
}

/// Makes a berkas (arsiparis, admin).
pub async fn add(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(new): Json<NewBerkas>,
) -> Result<Json<Berkas>, ApiError> {
    Ok(Json(
        core(&state, &headers, move |a, c| a.add_berkas(&new, &c)).await?,
    ))
}

/// Changes a berkas, confirms its JRA row (arsiparis, admin).
pub async fn edit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(edit): Json<BerkasEdit>,
) -> Result<Json<Berkas>, ApiError> {
    let id = berkas_id(&headers, &id)?;
    Ok(Json(
        core(&state, &headers, move |a, c| a.edit_berkas(&id, &edit, &c)).await?,
    ))
}

/// The retention schedule (staff).
pub async fn jra(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<JraRow>>, ApiError> {
    Ok(Json(core(&state, &headers, move |a, c| a.jra(&c)).await?))
}

/// Imports the office's retention schedule from CSV (admin).
pub async fn import_jra(
    State(state): State<AppState>,
    headers: HeaderMap,
    csv: String,
) -> Result<Json<Imported>, ApiError> {
    let rows = core(&state, &headers, move |a, c| a.import_jra(&csv, &c)).await?;
    Ok(Json(Imported { rows }))
}

/// What falls due on a day (staff).
pub async fn retention(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<RetentionParams>,
) -> Result<Json<RetentionReport>, ApiError> {
    let on = match params.on.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(day) => Some(parse_day(day).map_err(|e| bad_input(&headers, e.detail))?),
        None => None,
    };
    let brief = params.brief.unwrap_or(false);
    let report = core(&state, &headers, move |a, c| a.retention_report(on, &c)).await?;
    Ok(Json(if brief { report.brief() } else { report }))
}

/// A document of a digitisation (alih media): `ba.pdf` (its berita
/// acara), `list.pdf` or `list.csv` (its list, each digital copy with its
/// SHA-256) (arsiparis, admin, of berkas they read whole; audited).
pub async fn digitisation(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Json(request): Json<arsip_core::digitisation::Digitisation>,
) -> Result<axum::response::Response, ApiError> {
    use arsip_core::digitisation::Document;
    let document =
        Document::parse(&name).map_err(|e| ApiError::new(e, crate::auth::lang(&headers)))?;
    let bytes = core(&state, &headers, move |a, c| {
        a.digitisation_document(&request, document, &c)
    })
    .await?;
    Ok(crate::routes::attachment(
        document.media_type(),
        &format!("alih-media-{name}"),
        bytes,
    ))
}
