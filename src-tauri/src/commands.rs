//! What only a desktop can do; archive work always goes through the API.

use crate::Shared;
use axum::body::Body;
use http_body_util::BodyExt;
use tauri::http::Request;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;
use tower::ServiceExt;

/// The PIN that lets staff leave kiosk mode (none: it cannot be left from the screen).
pub struct KioskPin(pub Option<String>);

/// The native folder picker; the UI then asks the API to import the folder.
#[tauri::command]
pub async fn pick_folder(app: AppHandle) -> Option<String> {
    app.dialog()
        .file()
        .blocking_pick_folder()
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string())
}

/// Quits a kiosk when the PIN is right.
#[tauri::command]
pub fn leave_kiosk(app: AppHandle, pin: String, expected: State<'_, KioskPin>) -> bool {
    let right = expected.0.as_deref().is_some_and(|e| e == pin.trim());
    if right {
        app.exit(0);
    }
    right
}

/// Tells the UI it runs in the desktop app (so it offers the folder picker).
#[tauri::command]
pub fn desktop_info() -> serde_json::Value {
    serde_json::json!({ "desktop": true, "version": env!("CARGO_PKG_VERSION") })
}

/// A download (`<a download>`: a CSV export, an original): WebKitGTK saves
/// nothing for the app's own scheme, so the shell asks the API itself,
/// through the same Router and session as the window, and writes the answer
/// into the Downloads folder under a name not yet taken. Gives the path, or
/// the API's refusal in the person's words.
#[tauri::command]
pub async fn save_download(
    app: AppHandle,
    api: State<'_, Shared>,
    url: String,
    name: String,
    lang: String,
) -> Result<String, String> {
    if !url.starts_with("/api/") {
        return Err(format!("{url}: not the archive's"));
    }
    let request = Request::get(url.as_str())
        .header("accept-language", lang)
        .body(Body::empty())
        .map_err(|e| e.to_string())?;
    let response = match api.get().oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let ok = response.status().is_success();
    // The server's name for it (jejak-audit.csv) when the link gave none.
    let told = response
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split("filename=").nth(1))
        .map(|n| n.trim_matches(['"', ';', ' ']).to_string());
    let name = if name.trim().is_empty() {
        told.unwrap_or_else(|| url.rsplit('/').next().unwrap_or("").to_string())
    } else {
        name
    };
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    if !ok {
        let said: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        return Err(said["error"]["message"]
            .as_str()
            .unwrap_or("Gagal mengunduh / Download failed")
            .to_string());
    }
    let dir = app
        .path()
        .download_dir()
        .or_else(|_| app.path().home_dir().map(|h| h.join("Downloads")))
        .map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = free_name(&dir, &name);
    let partial = path.with_extension("partial");
    std::fs::write(&partial, &body).map_err(|e| format!("{}: {e}", partial.display()))?;
    std::fs::rename(&partial, &path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path.display().to_string())
}

/// `name` (only its last part, so no folder can be named) in `dir`, with
/// " (2)", " (3)"… before the extension while that name is taken.
fn free_name(dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    let name = std::path::Path::new(name)
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.is_empty() && !n.starts_with('.'))
        .unwrap_or("unduhan");
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    let mut path = dir.join(name);
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{stem} ({n}){ext}"));
        n += 1;
    }
    path
}
