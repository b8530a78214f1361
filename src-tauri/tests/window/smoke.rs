//! The in-app self-check: the UI loads through the custom scheme, and a
//! search and a POST are answered through it.

use super::{public_archive, xvfb};
use std::process::Command;

#[test]
fn the_app_shows_the_ui_from_its_scheme_and_answers_a_search_and_a_post() {
    let dir = tempfile::tempdir().unwrap();
    public_archive(dir.path());
    let (_display, display) = xvfb();
    let report = dir.path().join("self-check.json");
    let out = Command::new(env!("CARGO_BIN_EXE_rpp-arsip"))
        .arg("--archive")
        .arg(dir.path().join("archive"))
        .arg("--self-check")
        .arg(&report)
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("the app starts");
    assert!(
        out.status.success(),
        "exit {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("a report")).unwrap();
    let checks = &report["checks"];
    assert!(
        report["url"]
            .as_str()
            .unwrap()
            .starts_with("arsip://localhost/"),
        "{report}"
    );
    assert_eq!(checks["ui_rendered"], true, "{report}");
    assert_eq!(checks["lang"], "id", "{report}");
    assert_eq!(checks["search_status"], 200, "{report}");
    assert!(checks["search_total"].as_u64().unwrap() >= 1, "{report}");
    assert_eq!(checks["post_status"], 401, "{report}");
    assert_eq!(checks["post_error"], "wrong_password", "{report}");
    assert_eq!(checks["results_shown"], true, "{report}");
}
