//! `--self-check REPORT.json`: once the window has loaded the UI through the
//! custom scheme, a script in the page checks what a person would see (the
//! UI rendered, a search answered, a POST answered with the right error) and
//! reports back; the app writes the report and quits. CI runs this under
//! Xvfb: a real window, a real WebKitGTK, no port opened.

use std::path::PathBuf;
use std::time::Duration;
use tauri::{AppHandle, Manager, State, WebviewWindow};

pub struct Target(pub Option<PathBuf>);

/// How long the page gets before the check counts as failed.
const DEADLINE: Duration = Duration::from_secs(90);

const SCRIPT: &str = r#"
(async () => {
  const report = { url: location.href, checks: {} };
  const wait = async (test) => {
    for (let i = 0; i < 200; i++) { if (test()) return true; await new Promise(r => setTimeout(r, 100)); }
    return false;
  };
  try {
    report.checks.ui_rendered = await wait(() => document.querySelector('header') && document.body.innerText.includes('RPP Arsip'));
    report.checks.lang = document.documentElement.lang;
    const s = await fetch('/api/search?q=pemilu&limit=1');
    const body = await s.json();
    report.checks.search_status = s.status;
    report.checks.search_total = body.total;
    const p = await fetch('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'tidak-ada', password: 'salah-sekali' }) });
    report.checks.post_status = p.status;
    report.checks.post_error = (await p.json()).error?.code;
    location.hash = '#/search?q=pemilu';
    report.checks.results_shown = await wait(() => /\d+ arsip ditemukan/.test(document.body.innerText));
  } catch (e) {
    report.error = String(e);
  }
  await window.__TAURI_INTERNALS__.invoke('self_check_report', { report });
})();
"#;

/// Runs the script once the page has loaded, and gives up after `DEADLINE`.
pub fn arm(app: AppHandle, window: &WebviewWindow) -> tauri::Result<()> {
    let w = window.clone();
    std::thread::spawn(move || {
        // The UI needs a moment to load its bundle from the scheme.
        std::thread::sleep(Duration::from_secs(2));
        if let Err(e) = w.eval(SCRIPT) {
            eprintln!("self-check: {e}");
        }
    });
    std::thread::spawn(move || {
        std::thread::sleep(DEADLINE);
        eprintln!("self-check: no report within {DEADLINE:?}");
        app.exit(3);
    });
    Ok(())
}

#[tauri::command]
pub fn self_check_report(
    app: AppHandle,
    report: serde_json::Value,
    target: State<'_, Target>,
) -> Result<(), String> {
    let Some(path) = &target.0 else {
        return Err("no self-check was asked for".into());
    };
    let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| e.to_string())?;
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.hide();
    }
    app.exit(0);
    Ok(())
}
