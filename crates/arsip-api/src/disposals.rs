//! Disposal lists (destruction, transfer, handover) over HTTP: staff read
//! them, archivists propose, assess and cancel, the admin approves and
//! carries out; each list's documents (PDF, CSV) for those who read it
//! whole, and a handover's BagIt package for the admin. The core decides who
//! may (see `arsip_core::disposal`).

use crate::routes::core;
use crate::{ApiError, AppState};
use arsip_core::catalogue::disposal::{Disposal, DisposalKind, DisposalSummary};
use arsip_core::disposal::documents::Document;
use arsip_core::disposal::DisposalStep;
use arsip_core::BerkasId;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

/// A destruction proposed for these berkas.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    pub berkas: Vec<BerkasId>,
    #[serde(default)]
    pub note: String,
    /// `musnah` (destruction, the default), `pindah` (transfer to the
    /// records centre) or `serah` (handover of static records).
    #[serde(default)]
    pub kind: DisposalKind,
}

/// Every list the caller reads whole (staff).
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<DisposalSummary>>, ApiError> {
    Ok(Json(
        core(&state, &headers, move |a, c| a.disposals(&c)).await?,
    ))
}

/// Proposes a destruction or a transfer (arsiparis, admin).
pub async fn propose(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(p): Json<Proposal>,
) -> Result<Json<Disposal>, ApiError> {
    Ok(Json(
        core(&state, &headers, move |a, c| {
            a.propose(p.kind, &p.berkas, &p.note, &c)
        })
        .await?,
    ))
}

/// One list (staff who read every entry).
pub async fn one(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Disposal>, ApiError> {
    Ok(Json(
        core(&state, &headers, move |a, c| a.disposal(&id, &c)).await?,
    ))
}

/// Takes a step on a list.
pub async fn step(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(step): Json<DisposalStep>,
) -> Result<Json<Disposal>, ApiError> {
    Ok(Json(
        core(&state, &headers, move |a, c| {
            a.disposal_step(&id, &step, &c)
        })
        .await?,
    ))
}

/// A list's document: `list.pdf`, `list.csv` or `ba.pdf` (audited).
pub async fn document(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, name)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let document =
        Document::parse(&name).map_err(|e| ApiError::new(e, crate::auth::lang(&headers)))?;
    let file = format!("penyusutan-{}-{name}", id.get(..8).unwrap_or(&id));
    let bytes = core(&state, &headers, move |a, c| {
        a.disposal_document(&id, document, &c)
    })
    .await?;
    Ok(crate::routes::attachment(
        document.media_type(),
        &file,
        bytes,
    ))
}

/// A handover list's BagIt bag as a zip (the admin's; audited), streamed
/// from the temporary file it was written to.
pub async fn package(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let file = format!("bag-{}.zip", id.get(..8).unwrap_or(&id));
    let (zip, len) = core(&state, &headers, move |a, c| a.handover_package(&id, &c)).await?;
    let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(
        tokio::fs::File::from_std(zip),
    ));
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/zip"),
            ),
            (header::CONTENT_LENGTH, HeaderValue::from(len)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}
