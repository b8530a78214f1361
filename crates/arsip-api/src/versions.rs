//! A record's earlier content over HTTP: staff list and read its versions;
//! archivists and admins re-scan it, read its text again, or bring an
//! earlier version back. The core decides who may (`arsip_core::versions`).

use crate::routes::{core, record_id};
use crate::wire::Replaced;
use crate::{auth, ApiError, AppState};
use arsip_core::catalogue::versions::Version;
use arsip_core::versions::VersionPages;
use arsip_core::IngestOptions;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;

/// A record's id and a version's number; a malformed one is as unknown as
/// a well-formed one that does not exist.
fn version_of(
    headers: &HeaderMap,
    id: &str,
    version: &str,
) -> Result<(arsip_core::RecordId, i64), ApiError> {
    let record = record_id(headers, id)?;
    let version = version.parse().map_err(|_| {
        ApiError::new(
            arsip_core::Error::new(arsip_core::ErrorCode::NotFound, version.to_string()),
            auth::lang(headers),
        )
    })?;
    Ok((record, version))
}

pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Vec<Version>>, ApiError> {
    let id = record_id(&headers, &id)?;
    Ok(Json(
        core(&state, &headers, move |a, c| a.versions(&id, &c)).await?,
    ))
}

pub async fn pages(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, version)): Path<(String, String)>,
) -> Result<Json<VersionPages>, ApiError> {
    let (id, version) = version_of(&headers, &id, &version)?;
    Ok(Json(
        core(&state, &headers, move |a, c| {
            a.version_pages(&id, version, &c)
        })
        .await?,
    ))
}

/// New scans of a record's paper, sent as multipart parts in page order.
pub async fn rescan(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    mut form: axum::extract::Multipart,
) -> Result<Json<Replaced>, ApiError> {
    let id = record_id(&headers, &id)?;
    // Who may, on which record, is asked before the parts are read.
    core(&state, &headers, move |a, c| a.check_replace(&id, &c)).await?;
    let parts = crate::writes::document_parts(&mut form, auth::lang(&headers)).await?;
    let version = core(&state, &headers, move |a, c| {
        let files: Vec<(&str, &[u8])> = parts.iter().map(|(n, b)| (n.as_str(), &b[..])).collect();
        a.rescan_bytes(&id, &files, &IngestOptions::default(), &c)
    })
    .await?;
    Ok(Json(Replaced { version }))
}

pub async fn reocr(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Replaced>, ApiError> {
    let id = record_id(&headers, &id)?;
    let version = core(&state, &headers, move |a, c| {
        a.reocr(&id, &IngestOptions::default(), &c)
    })
    .await?;
    Ok(Json(Replaced { version }))
}

pub async fn restore(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, version)): Path<(String, String)>,
) -> Result<Json<Replaced>, ApiError> {
    let (id, version) = version_of(&headers, &id, &version)?;
    let version = core(&state, &headers, move |a, c| {
        a.restore_version(&id, version, &c)
    })
    .await?;
    Ok(Json(Replaced { version }))
}
