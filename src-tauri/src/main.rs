//! RPP Arsip on the desktop: one window whose custom URI scheme
//! (`arsip://localhost/…`) is answered in-process by arsip-api's Router, the
//! same code `arsip serve` runs, so no TCP port is opened. Commands exist only
//! for what a desktop alone can do: a native folder picker, leaving kiosk mode.
//!
//! `rpp-arsip [--archive DIR] [--kiosk] [--self-check REPORT.json]`; the kiosk
//! PIN comes from `ARSIP_KIOSK_PIN` (without one the kiosk cannot be left from
//! the screen).

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod options;
mod scheme;
mod self_check;

use arsip_api::Mode;
use arsip_core::{Archive, ErrorCode};
use std::sync::{Arc, RwLock};
use tauri::{WebviewUrl, WebviewWindowBuilder};

/// The window's first size: it fits a 1366×768 screen, the most common in
/// offices, with a title bar and a taskbar.
const WIDTH: f64 = 1280.0;
const HEIGHT: f64 = 680.0;

/// The Router the window talks to: the archive's, or the first run's until
/// it has made one.
#[derive(Clone)]
pub struct Shared(Arc<RwLock<axum::Router>>);

impl Shared {
    fn new(router: axum::Router) -> Shared {
        Shared(Arc::new(RwLock::new(router)))
    }

    pub fn get(&self) -> axum::Router {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set(&self, router: axum::Router) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = router;
    }
}

/// The archive's Router as the window uses it. WebKitGTK keeps no cookies
/// for the custom scheme: the shell keeps the session.
fn open_office(archive: Arc<Archive>, kiosk: bool) -> axum::Router {
    // A provincial archive fetches originals left in the object store.
    archive.set_store_opener(arsip_remote::opener(archive.root()));
    let mode = if kiosk {
        Mode::Kiosk
    } else {
        arsip_api::start_office_timers(archive.clone());
        Mode::Office
    };
    arsip_api::with_session_jar(arsip_api::router(archive, mode))
}

fn main() -> std::process::ExitCode {
    let opts = match options::Options::from_env() {
        Ok(o) => o,
        Err(message) => {
            eprintln!("{message}");
            return std::process::ExitCode::from(2);
        }
    };
    let api = match Archive::open(&opts.archive) {
        Ok(archive) => Shared::new(open_office(Arc::new(archive), opts.kiosk)),
        // The first run: the setup screen, until it has made the archive.
        // An archive named or remembered but missing (its drive not
        // plugged in) is said to be missing, never made anew in its place.
        Err(e) if e.code == ErrorCode::ArchiveMissing && !opts.kiosk => {
            let api = Shared::new(axum::Router::new());
            let swap = api.clone();
            let first_run = !opts.archive_named;
            let made: arsip_api::OnSetUp = Arc::new(move |archive: Arc<Archive>| {
                if first_run {
                    if let Err(e) = arsip_core::archive::remember_dir(archive.root()) {
                        eprintln!("RPP Arsip: {e}");
                    }
                }
                swap.set(open_office(archive, false));
            });
            let router = if first_run {
                arsip_api::setup_router(opts.archive.clone(), made)
            } else {
                arsip_api::missing_router(opts.archive.clone(), made)
            };
            api.set(arsip_api::with_session_jar(router));
            api
        }
        Err(e) => {
            eprintln!(
                "Arsip tidak dapat dibuka di {}: {} / The archive at {} cannot be opened: {}",
                opts.archive.display(),
                e.message(arsip_core::Lang::Id),
                opts.archive.display(),
                e.message(arsip_core::Lang::En),
            );
            return std::process::ExitCode::from(1);
        }
    };
    let kiosk = opts.kiosk;
    let self_check = opts.self_check.clone();

    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(commands::KioskPin(opts.kiosk_pin.clone()))
        .manage(api.clone())
        .manage(self_check::Target(self_check.clone()))
        .register_asynchronous_uri_scheme_protocol(
            scheme::SCHEME,
            move |ctx, request, responder| {
                let app = ctx.app_handle().clone();
                let api = api.get();
                tauri::async_runtime::spawn(async move {
                    responder.respond(scheme::answer(&app, api, request).await);
                });
            },
        )
        .invoke_handler(tauri::generate_handler![
            commands::pick_folder,
            commands::leave_kiosk,
            commands::desktop_info,
            commands::save_download,
            self_check::self_check_report,
        ])
        .setup(move |app| {
            let url = scheme::start_url()?;
            let mut window =
                WebviewWindowBuilder::new(app, "main", WebviewUrl::CustomProtocol(url))
                    .title("RPP Arsip")
                    .inner_size(WIDTH, HEIGHT)
                    .min_inner_size(800.0, 560.0);
            if kiosk {
                window = window
                    .fullscreen(true)
                    .decorations(false)
                    .resizable(false)
                    .always_on_top(true)
                    .closable(false);
            }
            let window = window.build()?;
            if self_check.is_some() {
                self_check::arm(app.handle().clone(), &window)?;
            }
            Ok(())
        })
        .build(tauri::generate_context!());
    match app {
        Ok(app) => {
            app.run(|_, _| {});
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("RPP Arsip: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
