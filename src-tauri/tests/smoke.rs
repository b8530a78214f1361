//! The desktop smoke test: the real app in a real window under Xvfb, on a
//! small generated archive. Its in-app self-check loads the UI through the
//! custom scheme, runs a search and a POST through it, and reports back.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use arsip_core::catalogue::RecordEdit;
use arsip_core::corpus::{self, CorpusOptions, Format};
use arsip_core::{AccessLevel, Archive, Clearance, IngestOptions};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Xvfb(Child);

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A virtual display of our own, on a number no other run is using.
fn xvfb() -> (Xvfb, String) {
    for n in (90 + std::process::id() % 100)..400 {
        if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
            continue;
        }
        let guard = Xvfb(
            Command::new("Xvfb")
                .args([
                    &format!(":{n}"),
                    "-screen",
                    "0",
                    "1280x900x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("Xvfb (scripts/setup.sh --test installs it)"),
        );
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
                return (guard, format!(":{n}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        // This number did not come up: the guard stops it; try the next.
    }
    panic!("no display could be started");
}

fn public_archive(dir: &Path) {
    let input = dir.join("in");
    let truths = corpus::generate(
        &input,
        &CorpusOptions {
            records: 3,
            seed: 3,
            dpi: 150,
            turn_every: 0,
            formats: vec![Format::TextPdf],
        },
    )
    .unwrap();
    let archive = Archive::init(&dir.join("archive"), "KPU Kota Bogor", "32.71").unwrap();
    let admin = Clearance::operator("test");
    let (reports, _) = archive
        .ingest(
            &corpus::paths(&input, &truths),
            &IngestOptions::default(),
            &(),
            &admin,
        )
        .unwrap();
    let ids: Vec<_> = reports.iter().filter_map(|r| r.id).collect();
    let open = RecordEdit {
        access: Some(AccessLevel::Terbuka),
        reason: Some("uji".into()),
        ..RecordEdit::default()
    };
    archive.edit_many(&ids, &open, &admin).unwrap();
}

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
