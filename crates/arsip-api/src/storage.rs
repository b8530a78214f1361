//! The paper holdings over HTTP: places and boxes (staff read them,
//! archivists and admins add and change them), labels printed as PDF, and
//! a label read back from what a scanner typed or a photo of it, loans
//! and their slips. The core
//! decides who may (see `arsip_core::storage`).

use crate::routes::core;
use crate::{ApiError, AppState};
use arsip_core::catalogue::loans::{Loan, LoanReturn, NewLoan};
use arsip_core::catalogue::storage::{ArchiveBox, BoxContents, BoxEdit, NewBox, NewPlace, Place};
use arsip_core::storage::labels::LabelTarget;
use arsip_core::storage::loans::LoanReport;
use arsip_core::storage::{LabelRequest, LabelScan};
use arsip_core::{BoxId, LoanId};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// The largest photo of a label taken (a phone camera's JPEG).
pub const MAX_PHOTO_BYTES: usize = 32 << 20;

fn box_id(headers: &HeaderMap, id: &str) -> Result<BoxId, ApiError> {
    // A malformed id is as unknown as a well-formed one that does not exist.
    BoxId::parse(id).map_err(|_| {
        ApiError::new(
            arsip_core::Error::new(arsip_core::ErrorCode::NotFound, "box"),
            crate::auth::lang(headers),
        )
    })
}

/// Every storage place (staff).
pub async fn places(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<Place>>, ApiError> {
    Ok(Json(
        core(&state, &headers, move |a, c| a.places(&c)).await?,
    ))
}

/// Adds a place (arsiparis, admin).
pub async fn add_place(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(new): Json<NewPlace>,
) -> Result<Json<Place>, ApiError> {
    Ok(Json(
        core(&state, &headers, move |a, c| a.add_place(&new, &c)).await?,
    ))
}

/// Every box (staff).
pub async fn boxes(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<ArchiveBox>>, ApiError> {
    Ok(Json(core(&state, &headers, move |a, c| a.boxes(&c)).await?))
}

/// Receives a box (arsiparis, admin).
pub async fn add_box(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(new): Json<NewBox>,
) -> Result<Json<BoxContents>, ApiError> {
    Ok(Json(
        core(&state, &headers, move |a, c| a.add_box(&new, &c)).await?,
    ))
}

/// One box and what in it the caller may read (staff).
pub async fn one_box(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<BoxContents>, ApiError> {
    let id = box_id(&headers, &id)?;
    Ok(Json(
        core(&state, &headers, move |a, c| a.archive_box(&id, &c)).await?,
    ))
}

/// Changes a box (arsiparis, admin, who read all it holds).
pub async fn edit_box(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(edit): Json<BoxEdit>,
) -> Result<Json<BoxContents>, ApiError> {
    let id = box_id(&headers, &id)?;
    Ok(Json(
        core(&state, &headers, move |a, c| a.edit_box(&id, &edit, &c)).await?,
    ))
}

/// Labels as PDF (arsiparis, admin; audited).
pub async fn labels(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(request): Json<LabelRequest>,
) -> Result<Response, ApiError> {
    let pdf = core(&state, &headers, move |a, c| a.labels_pdf(&request, &c)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"label-arsip.pdf\"",
            ),
        ],
        pdf,
    )
        .into_response())
}

/// What a label opens: the body is the text a scanner typed
/// (`text/plain`) or a photo of the label (an image) (staff).
pub async fn scan(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<LabelTarget>, ApiError> {
    let typed = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/plain"));
    let scan = if typed {
        LabelScan::Text(String::from_utf8_lossy(&body).into_owned())
    } else {
        LabelScan::Image(body.to_vec())
    };
    Ok(Json(
        core(&state, &headers, move |a, c| a.read_label(scan, &c)).await?,
    ))
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
pub struct LoansParams {
    /// The day late days are counted on (YYYY-MM-DD); today where the
    /// office is when not given.
    pub on: Option<String>,
    /// Returned loans too, not only those still out.
    pub all: Option<bool>,
}

fn loan_id(headers: &HeaderMap, id: &str) -> Result<LoanId, ApiError> {
    LoanId::parse(id).map_err(|_| {
        ApiError::new(
            arsip_core::Error::new(arsip_core::ErrorCode::NotFound, "loan"),
            crate::auth::lang(headers),
        )
    })
}

/// Loans the caller may see, open ones first (staff).
pub async fn loans(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<LoansParams>,
) -> Result<Json<LoanReport>, ApiError> {
    let on = match params.on.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(day) => Some(
            arsip_core::retention::parse_day(day)
                .map_err(|e| crate::routes::bad_input(&headers, e.detail))?,
        ),
        None => None,
    };
    let open_only = !params.all.unwrap_or(false);
    Ok(Json(
        core(&state, &headers, move |a, c| a.loans(on, open_only, &c)).await?,
    ))
}

/// Lends a berkas or a box (arsiparis, admin).
pub async fn lend(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(new): Json<NewLoan>,
) -> Result<Json<Loan>, ApiError> {
    Ok(Json(
        core(&state, &headers, move |a, c| a.lend(&new, &c)).await?,
    ))
}

/// Takes a loan back with its condition (arsiparis, admin).
pub async fn return_loan(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(back): Json<LoanReturn>,
) -> Result<Json<Loan>, ApiError> {
    let id = loan_id(&headers, &id)?;
    Ok(Json(
        core(&state, &headers, move |a, c| a.return_loan(&id, &back, &c)).await?,
    ))
}

/// The lending slip as PDF (staff who may see the loan; audited).
pub async fn slip(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = loan_id(&headers, &id)?;
    let pdf = core(&state, &headers, move |a, c| a.loan_slip(&id, &c)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"bukti-peminjaman.pdf\"",
            ),
        ],
        pdf,
    )
        .into_response())
}

/// The storage report as PDF (staff; audited).
pub async fn report(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let pdf = core(&state, &headers, move |a, c| a.storage_report(&c)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"laporan-tempat-simpan.pdf\"",
            ),
        ],
        pdf,
    )
        .into_response())
}
