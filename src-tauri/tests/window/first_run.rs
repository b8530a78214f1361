//! The first run in the real desktop window: opened where there is no
//! archive, the app shows the setup screen; a wrong answer is told in words;
//! the office's archive is made in the folder chosen there, its admin logs
//! in at once, and the next start opens that archive, not the setup again.
//! `ARSIP_APP` names another program to drive: the installed package's.

use super::{webdriver::Window, xvfb};
use arsip_core::{Archive, Clearance};
use std::path::Path;

const PASSWORD: &str = "sandi-kepala-kantor";

/// With `ARSIP_SCREENSHOTS=DIR`, what the window shows is kept there.
fn shoot(window: &Window, name: &str) {
    if let Some(dir) = std::env::var_os("ARSIP_SCREENSHOTS") {
        window.screenshot(&Path::new(&dir).join(format!("{name}.png")));
    }
}

#[test]
fn the_first_run_sets_up_the_office_without_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let chosen = dir.path().join("D").join("Arsip KPU");
    // The built app, or the installed one (scripts/test-install.sh).
    let installed = std::env::var_os("ARSIP_APP").map(std::path::PathBuf::from);
    let app = installed
        .as_deref()
        .unwrap_or(Path::new(env!("CARGO_BIN_EXE_rpp-arsip")));
    let env: &[(&str, &Path)] = &[("XDG_DATA_HOME", &data), ("HOME", dir.path())];
    let (_display, display) = xvfb();

    let window = Window::open_with(&display, app, &[], env);
    window.wait_text("main h1", "Selamat datang di RPP Arsip");
    let suggested = window.run(
        "return document.querySelector('#setup-folder').value;",
        serde_json::json!([]),
    );
    assert_eq!(
        suggested.as_str(),
        Some(data.join("rpp-arsip").to_str().unwrap())
    );
    window.type_into("#setup-office", "KPU Kota Bogor");
    window.run(
        "const s = document.querySelector('#setup-region'); s.value = '32.71';
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        serde_json::json!([]),
    );
    window.type_into("#setup-folder", chosen.to_str().unwrap());
    window.type_into("#setup-admin", "kepala");
    window.type_into("#setup-password", "pendek");
    window.type_into("#setup-again", "pendek");
    window.click("//label[contains(., 'Arsip kosong')]/input");
    window.click("[data-testid=setup-form] button[type=submit]");
    window.wait_text("[data-testid=setup-error]", "Kata sandi");
    assert!(!chosen.exists(), "nothing made for a refused answer");

    window.type_into("#setup-password", PASSWORD);
    window.type_into("#setup-again", PASSWORD);
    shoot(&window, "first-run");
    window.click("[data-testid=setup-form] button[type=submit]");
    window.wait_text("[data-testid=setup-done]", "kepala");
    window.click("[data-testid=setup-done] button");

    // The archive is open in the same window: its admin logs in.
    window.log_in("kepala", PASSWORD);
    // The admin's screens: the users (the first admin alone) and backups.
    window.click("a[href='#/users']");
    window.wait_text("[data-testid=user-row]", "kepala");
    shoot(&window, "users");
    window.click("a[href='#/backup']");
    window.wait_text("[data-testid=backup-last]", "Belum pernah dicadangkan");
    shoot(&window, "backup");

    // A download in the window lands in the Downloads folder, and is said.
    window.click("a[href='#/audit']");
    window.click("a[download]");
    let said = window.wait_text("[data-testid=download]", "Tersimpan di");
    let saved: Vec<_> = std::fs::read_dir(dir.path().join("Downloads"))
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    assert_eq!(saved.len(), 1, "{said}");
    assert!(said.contains(saved[0].to_str().unwrap()), "{said}");
    let csv = std::fs::read_to_string(&saved[0]).unwrap();
    assert!(
        csv.contains("waktu_lokal") && csv.contains("kepala"),
        "{csv}"
    );
    drop(window);

    let archive = Archive::open(&chosen).unwrap();
    let users = archive.users(&Clearance::operator("uji")).unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].name, "kepala");
    let trail = archive
        .audit_log(None, 20, &Clearance::operator("uji"))
        .unwrap();
    assert!(trail
        .iter()
        .any(|e| e.actor == "kepala" && e.action == "user.login"));
    drop(archive);

    // The next start opens the archive chosen at the first run.
    let window = Window::open_with(&display, app, &[], env);
    window.find("a[href='#/login']");
    assert!(!window.page_text().contains("Selamat datang di RPP Arsip"));
}

/// An archive rebuilt from what it sent has no users: opened in the window,
/// it asks for its first admin, who then logs in; no terminal is needed.
#[test]
fn an_archive_without_users_asks_for_its_first_admin_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("arsip-pulih");
    drop(Archive::init(&root, "KPU Kota Bogor", "32.71").unwrap());
    let (_display, display) = xvfb();
    let window = Window::open(
        &display,
        Path::new(env!("CARGO_BIN_EXE_rpp-arsip")),
        &["--archive".to_string(), root.display().to_string()],
    );
    window.wait_text("main h1", "Buat admin pertama");
    assert!(
        !window.page_text().contains("Kabupaten/kota"),
        "only the admin is asked for"
    );
    window.type_into("#setup-admin", "kepala");
    window.type_into("#setup-password", PASSWORD);
    window.type_into("#setup-again", PASSWORD);
    window.click("[data-testid=setup-form] button[type=submit]");
    window.wait_text("[data-testid=setup-done]", "kepala");
    window.click("[data-testid=setup-done] button");
    window.log_in("kepala", PASSWORD);
    drop(window);
    let users = Archive::open(&root)
        .unwrap()
        .users(&Clearance::operator("uji"))
        .unwrap();
    assert_eq!(users.len(), 1);
}
