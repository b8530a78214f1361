//! The first run. `GET /api/setup` says whether the app still needs setting
//! up; `POST /api/setup` makes the office's archive and its first admin.
//!
//! An archive's own Router (`routes.rs`) answers that nothing is needed and
//! refuses every setup, whoever asks: an archive is never set up twice. The
//! desktop app, opened where there is no archive yet, is answered by
//! `setup_router` alone until the setup is done; it then hands the new
//! archive to the shell, which swaps in the archive's Router. `arsip serve`
//! never serves setup: a server is set up from its terminal.

use crate::jar::DesktopShell;
use crate::wire::{FirstAdminForm, SetupForm, SetupInfo};
use crate::{auth, guard, ApiError, AppState, Mode};
use arsip_core::corpus::CorpusOptions;
use arsip_core::setup::{kabkota_choices, Setup};
use arsip_core::{Archive, Error, ErrorCode, IngestOptions};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Extension;
use axum::{Json, Router};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Told the new archive once it is made (the shell swaps Routers).
pub type OnSetUp = Arc<dyn Fn(Arc<Archive>) + Send + Sync>;

/// How many demo records a new archive may start with.
pub const DEMO_RECORDS: usize = 30;

#[derive(Clone)]
struct Pending {
    folder: PathBuf,
    done: OnSetUp,
    /// Set once an archive is made: a second setup is refused.
    made: Arc<Mutex<bool>>,
}

/// The Router of an app with no archive yet: `/api/setup` and nothing else.
pub fn setup_router(default_folder: PathBuf, done: OnSetUp) -> Router {
    let pending = Pending {
        folder: default_folder,
        done,
        made: Arc::default(),
    };
    let api = Router::new()
        .route("/api/setup", get(info).post(set_up))
        .fallback(crate::routes::not_found)
        .with_state(pending);
    guard::setup_layers(api)
}

async fn info(State(p): State<Pending>) -> Json<SetupInfo> {
    Json(SetupInfo {
        needed: true,
        folder: Some(p.folder.display().to_string()),
        missing: false,
        first_admin: false,
        regions: kabkota_choices(),
        min_password: arsip_core::catalogue::MIN_PASSWORD_CHARS,
    })
}

async fn set_up(
    State(p): State<Pending>,
    headers: HeaderMap,
    Json(form): Json<SetupForm>,
) -> Result<Response, ApiError> {
    let lang = auth::lang(&headers);
    let made = p.made.clone();
    let archive = tokio::task::spawn_blocking(move || {
        let mut made = made.lock().unwrap_or_else(|e| e.into_inner());
        if *made {
            return Err(Error::new(ErrorCode::ArchiveExists, ""));
        }
        let archive = Archive::set_up(&Setup {
            folder: PathBuf::from(form.folder.trim()),
            office: form.office,
            region: form.region,
            admin: form.admin,
            password: form.password,
        })?;
        *made = true;
        Ok((Arc::new(archive), form.demo))
    })
    .await
    .map_err(|e| ApiError::new(Error::new(ErrorCode::Internal, e.to_string()), lang))?
    .map_err(|e| ApiError::new(e, lang))?;
    let (archive, demo) = archive;
    (p.done)(archive.clone());
    if demo {
        // The office can start at once; the demo records arrive as they are read.
        std::thread::spawn(move || {
            let made = archive.add_demo_records(
                &CorpusOptions {
                    records: DEMO_RECORDS,
                    ..CorpusOptions::default()
                },
                &IngestOptions::default(),
                &(),
            );
            if let Err(e) = made {
                eprintln!("arsip-api: demo records: {e}");
            }
        });
    }
    Ok((StatusCode::CREATED, Json(setup_done())).into_response())
}

/// The Router of an app whose archive is missing where it was named or
/// remembered (a disk or flash drive not plugged in): the window says so,
/// never offers to make a new archive in its place, and opens the archive
/// as soon as it is there when asked again.
pub fn missing_router(folder: PathBuf, found: OnSetUp) -> Router {
    let pending = Pending {
        folder,
        done: found,
        made: Arc::default(),
    };
    let api = Router::new()
        .route("/api/setup", get(look_again).post(refuse_missing))
        .fallback(crate::routes::not_found)
        .with_state(pending);
    guard::setup_layers(api)
}

async fn look_again(
    State(p): State<Pending>,
    headers: HeaderMap,
) -> Result<Json<SetupInfo>, ApiError> {
    let lang = auth::lang(&headers);
    let folder = p.folder.clone();
    let made = p.made.clone();
    let opened = tokio::task::spawn_blocking(move || {
        let mut made = made.lock().unwrap_or_else(|e| e.into_inner());
        if *made {
            return Ok(None);
        }
        match Archive::open(&folder) {
            Ok(archive) => {
                *made = true;
                Ok(Some(Arc::new(archive)))
            }
            Err(e) if e.code == ErrorCode::ArchiveMissing => Ok(None),
            Err(e) => Err(e),
        }
    })
    .await
    .map_err(|e| ApiError::new(Error::new(ErrorCode::Internal, e.to_string()), lang))?
    .map_err(|e| ApiError::new(e, lang))?;
    match opened {
        Some(archive) => {
            (p.done)(archive);
            Ok(Json(setup_done()))
        }
        None => Ok(Json(SetupInfo {
            needed: true,
            folder: Some(p.folder.display().to_string()),
            missing: true,
            first_admin: false,
            regions: Vec::new(),
            min_password: arsip_core::catalogue::MIN_PASSWORD_CHARS,
        })),
    }
}

async fn refuse_missing(State(p): State<Pending>, headers: HeaderMap) -> ApiError {
    ApiError::new(
        Error::new(ErrorCode::ArchiveMissing, p.folder.display().to_string()),
        auth::lang(&headers),
    )
}

/// What an archive's own Router says of setup: nothing is needed, except
/// in the desktop app's window on an archive nobody can log in to (one
/// rebuilt from its log), which asks for its first admin.
pub async fn status(
    State(state): State<AppState>,
    desktop: Option<Extension<DesktopShell>>,
    headers: HeaderMap,
) -> Result<Json<SetupInfo>, ApiError> {
    let lang = auth::lang(&headers);
    let mut info = setup_done();
    if desktop.is_some() && state.mode == Mode::Office {
        let archive = state.archive.clone();
        let has_users = tokio::task::spawn_blocking(move || archive.has_users())
            .await
            .map_err(|e| ApiError::new(Error::new(ErrorCode::Internal, e.to_string()), lang))?
            .map_err(|e| ApiError::new(e, lang))?;
        if !has_users {
            info.needed = true;
            info.first_admin = true;
        }
    }
    Ok(Json(info))
}

/// The first admin of an archive with no users, from the desktop app's
/// window only (never over the LAN, never at the kiosk).
pub async fn first_admin(
    State(state): State<AppState>,
    desktop: Option<Extension<DesktopShell>>,
    headers: HeaderMap,
    Json(form): Json<FirstAdminForm>,
) -> Result<Response, ApiError> {
    let lang = auth::lang(&headers);
    if desktop.is_none() || state.mode != Mode::Office {
        return Err(ApiError::new(
            Error::new(ErrorCode::AccessDenied, "first admin"),
            lang,
        ));
    }
    let archive = state.archive.clone();
    tokio::task::spawn_blocking(move || archive.add_first_admin(&form.admin, &form.password))
        .await
        .map_err(|e| ApiError::new(Error::new(ErrorCode::Internal, e.to_string()), lang))?
        .map_err(|e| ApiError::new(e, lang))?;
    Ok((StatusCode::CREATED, Json(setup_done())).into_response())
}

fn setup_done() -> SetupInfo {
    SetupInfo {
        needed: false,
        folder: None,
        missing: false,
        first_admin: false,
        regions: Vec::new(),
        min_password: arsip_core::catalogue::MIN_PASSWORD_CHARS,
    }
}

/// An archive's own Router refuses every setup.
pub async fn refused(headers: HeaderMap) -> ApiError {
    ApiError::new(
        Error::new(ErrorCode::ArchiveExists, ""),
        auth::lang(&headers),
    )
}
