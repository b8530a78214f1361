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
use arsip_core::Archive;
use std::sync::Arc;
use tauri::{WebviewUrl, WebviewWindowBuilder};

/// The window's first size: it fits a 1366×768 screen, the most common in
/// offices, with a title bar and a taskbar.
const WIDTH: f64 = 1280.0;
const HEIGHT: f64 = 680.0;

fn main() -> std::process::ExitCode {
    let opts = match options::Options::from_env() {
        Ok(o) => o,
        Err(message) => {
            eprintln!("{message}");
            return std::process::ExitCode::from(2);
        }
    };
    let archive = match Archive::open(&opts.archive) {
        Ok(a) => {
            // A provincial archive fetches originals left in the object store.
            a.set_store_opener(arsip_remote::opener(&opts.archive));
            Arc::new(a)
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
    let mode = if opts.kiosk {
        Mode::Kiosk
    } else {
        arsip_api::start_backup_timer(archive.clone());
        Mode::Office
    };
    // WebKitGTK keeps no cookies for the custom scheme: the shell keeps the session.
    let api = arsip_api::with_session_jar(arsip_api::router(archive, mode));
    let kiosk = opts.kiosk;
    let self_check = opts.self_check.clone();

    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(commands::KioskPin(opts.kiosk_pin.clone()))
        .manage(self_check::Target(self_check.clone()))
        .register_asynchronous_uri_scheme_protocol(
            scheme::SCHEME,
            move |ctx, request, responder| {
                let app = ctx.app_handle().clone();
                let api = api.clone();
                tauri::async_runtime::spawn(async move {
                    responder.respond(scheme::answer(&app, api, request).await);
                });
            },
        )
        .invoke_handler(tauri::generate_handler![
            commands::pick_folder,
            commands::leave_kiosk,
            commands::desktop_info,
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
