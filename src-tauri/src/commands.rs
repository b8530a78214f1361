//! What only a desktop can do; archive work always goes through the API.

use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

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
