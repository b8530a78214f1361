//! Handlers that change the archive: sessions, edits, imports, uploads and
//! users. The core decides who may (archivists and admins catalogue, admins
//! manage users).

use crate::routes::{blocking, core, record_id};
use crate::wire::{
    BackupPlanForm, BatchEdit, Changed, ImportRequest, LoginForm, MovePages, Moved, NewUser,
    ProposalRequest, PushRequest, RecapConfirmation, ReviewForm, UploadParams, WatchForm,
};
use crate::{auth, auth::COOKIE, ApiError, AppState, Mode};
use arsip_core::backup::BackupReport;
use arsip_core::catalogue::{BackupPlan, RecordEdit, UserEdit, UserInfo};
use arsip_core::{Error, ErrorCode, IngestOptions};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::path::PathBuf;

pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    Json(form): Json<LoginForm>,
) -> Result<Response, ApiError> {
    if state.mode == Mode::Kiosk {
        return Err(ApiError::new(
            Error::new(ErrorCode::AccessDenied, "kiosk"),
            auth::lang(&headers),
        ));
    }
    let archive = state.archive.clone();
    let client = auth::client(&extensions);
    let session = blocking(auth::lang(&headers), move || {
        archive.login(&form.name, &form.password, &client)
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

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
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

pub async fn edit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(edit): Json<RecordEdit>,
) -> Result<Response, ApiError> {
    let id = record_id(&headers, &id)?;
    let view = core(&state, &headers, move |a, c| {
        a.edit(&id, &edit, &c)?;
        a.record(&id, &c)
    })
    .await?;
    Ok(Json(view).into_response())
}

pub async fn edit_many(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(batch): Json<BatchEdit>,
) -> Result<Json<Changed>, ApiError> {
    let changed = core(&state, &headers, move |a, c| {
        a.edit_many(&batch.ids, &batch.edit, &c)
    })
    .await?;
    Ok(Json(Changed { changed }))
}

/// Adds a user (the admin's); answers with the user as listed.
pub async fn add_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(user): Json<NewUser>,
) -> Result<Json<UserInfo>, ApiError> {
    let info = core(&state, &headers, move |a, c| {
        a.add_user(&user.name, user.role, &user.password, &c)?;
        listed(a, &user.name, &c)
    })
    .await?;
    Ok(Json(info))
}

/// Changes a user's role, enabled state or password, all or none (the
/// admin's); answers with the user as listed.
pub async fn edit_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Json(edit): Json<UserEdit>,
) -> Result<Json<UserInfo>, ApiError> {
    let info = core(&state, &headers, move |a, c| {
        a.edit_user(&name, &edit, &c)?;
        listed(a, &name, &c)
    })
    .await?;
    Ok(Json(info))
}

fn listed(
    a: &arsip_core::Archive,
    name: &str,
    c: &arsip_core::Clearance,
) -> arsip_core::Result<UserInfo> {
    a.users(c)?
        .into_iter()
        .find(|u| u.name == name.trim())
        .ok_or_else(|| Error::new(ErrorCode::NotFound, name.to_string()))
}

/// Sends this office's changes to a target now; answers when done.
/// Plans the office's backups; answers with the plan (the admin's).
pub async fn set_backup_plan(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(form): Json<BackupPlanForm>,
) -> Result<Json<BackupPlan>, ApiError> {
    let lang = auth::lang(&headers);
    let plan = core(&state, &headers, move |a, c| {
        a.set_backup_plan(form.target.as_deref(), form.every_hours, &c)?;
        a.backup_plan(lang, &c)
    })
    .await?;
    Ok(Json(plan))
}

/// Marks records reviewed, accepting their suggestions or not.
pub async fn review(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(form): Json<ReviewForm>,
) -> Result<Json<Changed>, ApiError> {
    let changed = core(&state, &headers, move |a, c| {
        a.review(&form.ids, form.accept, &c)
    })
    .await?;
    Ok(Json(Changed { changed }))
}

/// Confirms a record's result table as a person read it off the crops.
pub async fn confirm_recap(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(form): Json<RecapConfirmation>,
) -> Result<Json<arsip_core::catalogue::recap::RecapTable>, ApiError> {
    let id = record_id(&headers, &id)?;
    Ok(Json(
        core(&state, &headers, move |a, c| {
            a.confirm_recap(&id, &form.rows, &form.read_at, &c)
        })
        .await?,
    ))
}

/// Sets (or stops) the scanner's watched folder (arsiparis, admin).
pub async fn set_watch(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(form): Json<WatchForm>,
) -> Result<Json<arsip_core::watch::WatchStatus>, ApiError> {
    let lang = auth::lang(&headers);
    let status = core(&state, &headers, move |a, c| {
        let folder = form
            .folder
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty());
        a.set_watch(
            folder.map(std::path::Path::new),
            form.series.as_deref(),
            form.access,
            &c,
        )
    })
    .await?;
    Ok(Json(crate::imports::watch_told_in(status, lang)))
}

/// A backup into the planned folder now; answers when it is whole (the admin's).
pub async fn backup_now(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<BackupReport>, ApiError> {
    Ok(Json(core(&state, &headers, |a, c| a.backup_now(&c)).await?))
}

pub async fn sync_push(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<PushRequest>,
) -> Result<Json<arsip_core::sync::PushReport>, ApiError> {
    let report = core(&state, &headers, move |a, c| {
        a.sync_push_url(&req.target, &Default::default(), &|_| {}, &c)
    })
    .await?;
    Ok(Json(report))
}

pub async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = record_id(&headers, &id)?;
    core(&state, &headers, move |a, c| a.delete(&id, &c)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Takes a record out of the trash (admin).
pub async fn restore(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = record_id(&headers, &id)?;
    core(&state, &headers, move |a, c| a.restore_record(&id, &c)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Starts ingesting files or folders on the server's disk; poll
/// `GET /api/imports/{id}` for progress.
pub async fn import(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<ImportRequest>,
) -> Result<Response, ApiError> {
    let lang = auth::lang(&headers);
    let clearance = auth::clearance(&state, &headers).map_err(|e| ApiError::new(e, lang))?;
    let opts = IngestOptions {
        series: req.series,
        access: req.access,
        ..IngestOptions::default()
    };
    // Refused now, not in the background job: the caller hears why.
    state
        .archive
        .check_ingest(&opts, &clearance)
        .map_err(|e| ApiError::new(e, lang))?;
    let id = state.imports.start();
    let imports = state.imports.clone();
    let archive = state.archive.clone();
    tokio::task::spawn_blocking(move || {
        let paths: Vec<PathBuf> = req.paths.iter().map(PathBuf::from).collect();
        let progress = imports.progress(id);
        let outcome = archive
            .ingest(&paths, &opts, &progress, &clearance)
            .map(|(_, summary)| summary)
            .map_err(|e| {
                if !e.code.is_user_error() {
                    eprintln!("arsip-api: import {id}: {e}");
                }
                ApiError::new(e, lang).body()
            });
        imports.finish(id, outcome);
    });
    let status = state.imports.status(id).unwrap_or_default();
    Ok((StatusCode::ACCEPTED, Json(status)).into_response())
}

/// Ingests one file sent as the request body (a browser's file picker or drop).
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(p): Query<UploadParams>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let lang = auth::lang(&headers);
    let report = core(&state, &headers, move |a, c| {
        let name = p.name.clone();
        a.ingest_bytes(&[(name.as_str(), &body[..])], &upload_options(p), &c)
    })
    .await?;
    Ok(Json(crate::imports::told_in(report, lang)).into_response())
}

fn upload_options(p: UploadParams) -> IngestOptions {
    IngestOptions {
        series: p.series,
        access: p.access,
        ..IngestOptions::default()
    }
}

/// Ingests the page files of one document, sent as `multipart/form-data`
/// parts in page order (each with its file name), as one record.
pub async fn upload_document(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(p): Query<UploadParams>,
    mut form: axum::extract::Multipart,
) -> Result<Response, ApiError> {
    let lang = auth::lang(&headers);
    // Who may upload, into which class, is asked before the parts are read.
    let opts = upload_options(p);
    let asked = opts.clone();
    core(&state, &headers, move |a, c| a.check_ingest(&asked, &c)).await?;
    let parts = document_parts(&mut form, lang).await?;
    let report = core(&state, &headers, move |a, c| {
        let files: Vec<(&str, &[u8])> = parts.iter().map(|(n, b)| (n.as_str(), &b[..])).collect();
        a.ingest_bytes(&files, &opts, &c)
    })
    .await?;
    Ok(Json(crate::imports::told_in(report, lang)).into_response())
}

/// The page files of one document, sent as multipart parts in page order.
pub(crate) async fn document_parts(
    form: &mut axum::extract::Multipart,
    lang: arsip_core::strings::Lang,
) -> Result<Vec<(String, Bytes)>, ApiError> {
    let bad = |detail: String| ApiError::new(Error::new(ErrorCode::InvalidInput, detail), lang);
    let mut parts: Vec<(String, Bytes)> = Vec::new();
    while let Some(field) = form.next_field().await.map_err(|e| bad(e.body_text()))? {
        if parts.len() == arsip_core::archive::MAX_DOCUMENT_FILES {
            return Err(bad(format!(
                "more than {} files in one document",
                arsip_core::archive::MAX_DOCUMENT_FILES
            )));
        }
        let name = field.file_name().unwrap_or_default().to_string();
        let bytes = field.bytes().await.map_err(|e| bad(e.body_text()))?;
        parts.push((name, bytes));
    }
    Ok(parts)
}

/// Which of the files about to be uploaded are the pages of one document.
pub async fn propose(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<ProposalRequest>,
) -> Result<Json<Vec<arsip_core::page_files::ProposedDocument>>, ApiError> {
    let documents = core(&state, &headers, move |_, c| {
        c.require_catalogue()?;
        let names: Vec<&str> = req.names.iter().map(String::as_str).collect();
        Ok(arsip_core::page_files::propose(&names, req.sequences))
    })
    .await?;
    Ok(Json(documents))
}

/// Separator sheets as a PDF to print (arsiparis, admin).
pub async fn separator_sheets(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<crate::wire::SeparatorSheets>,
) -> Result<Response, ApiError> {
    let pdf = core(&state, &headers, move |a, c| {
        // Who asks first: the list is made only for those who may print.
        c.require_catalogue()?;
        let sheets = arsip_core::print::separator::sheets_of(
            req.sheet,
            req.tps.as_deref(),
            req.count.unwrap_or(1),
        )?;
        a.separator_sheets(sheets, &c)
    })
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"lembar-pemisah.pdf\"",
            ),
        ],
        pdf,
    )
        .into_response())
}

/// Moves pages (whole files) to another record or a new one.
pub async fn move_pages(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(req): Json<MovePages>,
) -> Result<Json<Moved>, ApiError> {
    let id = record_id(&headers, &id)?;
    // A target id typed wrong is as unknown as one that does not exist.
    let to = req
        .to
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| record_id(&headers, t))
        .transpose()?;
    let at = core(&state, &headers, move |a, c| {
        a.move_pages(&id, &req.pages, to.as_ref(), &c)
    })
    .await?;
    Ok(Json(Moved { id: at }))
}
