//! Handlers that read: every one passes the caller's clearance to the core.

use crate::imports::told_in;
use crate::routes::{bad_input, core, record_id};
use crate::wire::Me;
use crate::{auth, ApiError, AppState, Mode};
use arsip_core::audit::AuditFilter;
use arsip_core::catalogue::recap::RecapTable;
use arsip_core::catalogue::{BackupPlan, UserInfo};
use arsip_core::{ContentHash, Error, ErrorCode, Filters, SearchRequest};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

pub async fn me(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Me>, ApiError> {
    let who = core(&state, &headers, |_, c| Ok(c)).await?;
    Ok(Json(Me {
        user: who.actor().to_string(),
        role: who.role(),
        max_access: who.max_level(),
        masked: who.masks_personal_data(),
        kiosk: state.mode == Mode::Kiosk,
        can_catalogue: who.may_catalogue(),
        can_audit: who.may_audit(),
        can_declassify: who.may_declassify(),
        can_manage_users: who.is_admin(),
        can_back_up: who.is_admin(),
    }))
}

/// Every user (the admin's).
pub async fn users(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<UserInfo>>, ApiError> {
    Ok(Json(core(&state, &headers, |a, c| a.users(&c)).await?))
}

pub async fn backup_plan(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<BackupPlan>, ApiError> {
    let lang = auth::lang(&headers);
    Ok(Json(
        core(&state, &headers, move |a, c| a.backup_plan(lang, &c)).await?,
    ))
}

/// New records waiting for a person to look at what was read from them.
pub async fn review_queue(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<arsip_core::review::ReviewQueue>, ApiError> {
    Ok(Json(
        core(&state, &headers, move |a, c| a.review_queue(&c)).await?,
    ))
}

/// Result tables waiting for a person to check them (arsiparis, admin).
pub async fn recap_queue(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<arsip_core::recap::RecapQueue>, ApiError> {
    Ok(Json(
        core(&state, &headers, move |a, c| a.recap_queue(&c)).await?,
    ))
}

/// A record's result table: as read and confirmed for staff, confirmed
/// only for the public.
pub async fn recap(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<RecapTable>, ApiError> {
    let id = record_id(&headers, &id)?;
    Ok(Json(
        core(&state, &headers, move |a, c| a.recap(&id, &c)).await?,
    ))
}

/// A result table's row cut from its page: the paper its number was read from.
pub async fn recap_crop(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, index)): Path<(String, u32)>,
) -> Result<Response, ApiError> {
    let id = record_id(&headers, &id)?;
    let jpeg = core(&state, &headers, move |a, c| a.recap_crop(&id, index, &c)).await?;
    // A row's index names another row once a table is confirmed with rows
    // removed or added: asked again each time, never kept by the browser.
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "private, no-cache"),
        ],
        jpeg,
    )
        .into_response())
}

/// The watched folder and the files it read lately (arsiparis, admin).
pub async fn watch_status(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<arsip_core::watch::WatchStatus>, ApiError> {
    let lang = auth::lang(&headers);
    let status = core(&state, &headers, move |a, c| a.watch_status(&c)).await?;
    Ok(Json(crate::imports::watch_told_in(status, lang)))
}

pub async fn vocabularies(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let v = core(&state, &headers, |a, c| a.vocabularies(&c)).await?;
    Ok(Json(v).into_response())
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct SearchParams {
    /// The words as typed; quotes make a phrase. Empty lists everything.
    #[serde(default)]
    pub q: String,
    /// Hits per page (at most 100).
    pub limit: Option<usize>,
    pub offset: Option<usize>,
    /// Document type code.
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    /// Election code.
    pub election: Option<String>,
    pub year: Option<u32>,
    /// Region code; records in it or below it match.
    pub region: Option<String>,
    pub access: Option<String>,
    pub series: Option<String>,
    /// Office name (a provincial archive holds several).
    pub office: Option<String>,
    /// A berkas's id: the records filed in it (staff who read the berkas).
    pub berkas: Option<String>,
}

/// Most hits one page of results may ask for.
const MAX_LIMIT: usize = 100;

impl SearchParams {
    fn request(self) -> SearchRequest {
        let mut req = SearchRequest::new(self.q);
        req.limit = self.limit.unwrap_or(20).min(MAX_LIMIT);
        req.offset = self.offset.unwrap_or(0);
        req.filters = Filters {
            doc_type: self.doc_type,
            election: self.election,
            year: self.year,
            region: self.region,
            access: self.access,
            series: self.series,
            office: self.office,
            berkas: self.berkas,
        };
        req
    }
}

pub async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(p): Query<SearchParams>,
) -> Result<Response, ApiError> {
    let req = p.request();
    let out = core(&state, &headers, move |a, c| a.search(&req, &c)).await?;
    Ok(Json(out).into_response())
}

pub async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(p): Query<SearchParams>,
) -> Result<Response, ApiError> {
    let req = p.request();
    let csv = core(&state, &headers, move |a, c| a.export_search(&req, &c)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"arsip-ekspor.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}

pub async fn recap_export(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let csv = core(&state, &headers, move |a, c| a.export_recap(&c)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"tabel-hasil.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}

pub async fn record(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = record_id(&headers, &id)?;
    let view = core(&state, &headers, move |a, c| a.view_record(&id, &c)).await?;
    Ok(Json(view).into_response())
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct ImageParams {
    /// Words to highlight on the page (the search that led here).
    #[serde(default)]
    pub q: String,
}

/// How many words were marked on a page image.
pub const HIGHLIGHTS_HEADER: &str = "x-arsip-highlights";

pub async fn page_image(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, n)): Path<(String, u32)>,
    Query(p): Query<ImageParams>,
) -> Result<Response, ApiError> {
    let id = record_id(&headers, &id)?;
    let img = core(&state, &headers, move |a, c| a.page_image(&id, n, &p.q, &c)).await?;
    let mut response = ([(header::CONTENT_TYPE, "image/jpeg")], img.jpeg).into_response();
    response.headers_mut().insert(
        HeaderName::from_static(HIGHLIGHTS_HEADER),
        HeaderValue::from(img.highlights),
    );
    Ok(response)
}

pub async fn thumbnail(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, n)): Path<(String, u32)>,
) -> Result<Response, ApiError> {
    let id = record_id(&headers, &id)?;
    let bytes = core(&state, &headers, move |a, c| a.page_thumbnail(&id, n, &c)).await?;
    Ok(([(header::CONTENT_TYPE, "image/jpeg")], bytes).into_response())
}

pub async fn file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(sha): Path<String>,
) -> Result<Response, ApiError> {
    let hash = ContentHash::parse(&sha).map_err(|_| bad_input(&headers, "sha256"))?;
    let (file, bytes) = core(&state, &headers, move |a, c| a.original(&hash, &c)).await?;
    let mut response = ([(header::CONTENT_TYPE, file.media_type)], bytes).into_response();
    if let Ok(v) = HeaderValue::from_str(&attachment(&file.name)) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

/// `Content-Disposition` for a download named `name` (RFC 6266): an ASCII
/// fallback and the UTF-8 name percent-encoded (RFC 5987).
fn attachment(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

pub async fn import_status(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<u64>,
) -> Result<Response, ApiError> {
    // Only those who may import see imports.
    core(&state, &headers, |_, c| c.require_catalogue()).await?;
    let lang = auth::lang(&headers);
    state
        .imports
        .status(id)
        .map(|mut s| {
            s.files = s.files.into_iter().map(|f| told_in(f, lang)).collect();
            Json(s).into_response()
        })
        .ok_or_else(|| {
            ApiError::new(
                Error::new(ErrorCode::NotFound, format!("import {id}")),
                auth::lang(&headers),
            )
        })
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct AuditParams {
    /// Entries before this sequence number (for the next page).
    pub before: Option<i64>,
    /// Entries per page (at most 500).
    pub limit: Option<usize>,
    /// Only this person's entries (the user name as the trail shows it).
    pub actor: Option<String>,
    /// Only this action (its code, e.g. record.view).
    pub action: Option<String>,
    /// From this local day on (YYYY-MM-DD).
    pub from: Option<String>,
    /// Up to and including this local day (YYYY-MM-DD).
    pub to: Option<String>,
    /// The reader's offset from UTC in minutes (WIB 420, WITA 480, WIT 540);
    /// without it, the office's own zone.
    pub tz: Option<i32>,
}

/// The filters of `GET /api/audit.csv`: those of `GET /api/audit` without
/// paging (serde's `flatten` does not read numbers from a query string).
#[derive(Deserialize, schemars::JsonSchema)]
pub struct AuditExportParams {
    /// Only this person's entries (the user name as the trail shows it).
    pub actor: Option<String>,
    /// Only this action (its code, e.g. record.view).
    pub action: Option<String>,
    /// From this local day on (YYYY-MM-DD).
    pub from: Option<String>,
    /// Up to and including this local day (YYYY-MM-DD).
    pub to: Option<String>,
    /// The reader's offset from UTC in minutes (WIB 420, WITA 480, WIT 540):
    /// the days' zone and the zone of the times written; without it, the
    /// office's own.
    pub tz: Option<i32>,
}

impl AuditExportParams {
    fn filter(self) -> AuditFilter {
        AuditFilter {
            actor: self.actor,
            action: self.action,
            from: self.from,
            to: self.to,
            utc_offset_minutes: self.tz,
        }
    }
}

pub async fn audit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(p): Query<AuditParams>,
) -> Result<Response, ApiError> {
    let limit = p.limit.unwrap_or(100).min(500);
    let before = p.before;
    let filter = AuditExportParams {
        actor: p.actor,
        action: p.action,
        from: p.from,
        to: p.to,
        tz: p.tz,
    }
    .filter();
    let entries = core(&state, &headers, move |a, c| {
        a.audit_trail(&filter, before, limit, &c)
    })
    .await?;
    Ok(Json(entries).into_response())
}

/// The records in the trash (admin).
pub async fn trash(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<arsip_core::catalogue::trash::TrashedRecord>>, ApiError> {
    Ok(Json(core(&state, &headers, move |a, c| a.trash(&c)).await?))
}

/// How a record came to be as it is (staff who read it).
pub async fn record_history(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Vec<arsip_core::audit::AuditEntry>>, ApiError> {
    let id = crate::routes::record_id(&headers, &id)?;
    Ok(Json(
        core(&state, &headers, move |a, c| a.record_history(&id, &c)).await?,
    ))
}

/// The audit trail as CSV, filtered as asked and cut to the reader's
/// clearance; the download is itself written into the trail.
pub async fn audit_export(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(p): Query<AuditExportParams>,
) -> Result<Response, ApiError> {
    let filter = p.filter();
    let csv = core(&state, &headers, move |a, c| a.export_audit(&filter, &c)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"jejak-audit.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}

pub async fn sync_status(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let lang = auth::lang(&headers);
    let status = core(&state, &headers, move |a, c| a.sync_status(lang, &c)).await?;
    Ok(Json(status).into_response())
}

pub async fn audit_verify(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let report = core(&state, &headers, |a, c| a.audit_verify(&c)).await?;
    Ok(Json(report).into_response())
}
