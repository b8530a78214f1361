//! A person's working session in the real desktop window, driven through
//! WebKitGTK's WebDriver: log in, import a folder from this computer, edit
//! the new record, log out. WebKitGTK keeps no cookies for `arsip://`: before
//! the shell kept the session itself, the login was accepted and the window
//! stayed public.

use super::{public_archive, webdriver::Window, xvfb};
use arsip_core::corpus::{self, CorpusOptions, Format};
use arsip_core::{Archive, Clearance, RecordId, Role};
use serde_json::json;
use std::collections::HashSet;

const PASSWORD: &str = "kata-sandi-uji-desktop";

fn ids(archive: &Archive) -> HashSet<RecordId> {
    archive
        .list(&Clearance::operator("test"))
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
}

#[test]
fn an_archivist_logs_in_imports_edits_and_logs_out_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    public_archive(dir.path());
    let root = dir.path().join("archive");
    Archive::open(&root)
        .unwrap()
        .set_user("arsip1", Role::Arsiparis, PASSWORD, "test")
        .unwrap();
    let folder = dir.path().join("pindaian");
    corpus::generate(
        &folder,
        &CorpusOptions {
            records: 1,
            seed: 41,
            dpi: 150,
            turn_every: 0,
            formats: vec![Format::TextPdf],
            kinds: Vec::new(),
        },
    )
    .unwrap();
    let before = ids(&Archive::open(&root).unwrap());

    let (_display, display) = xvfb();
    let window = Window::open(
        &display,
        std::path::Path::new(env!("CARGO_BIN_EXE_rpp-arsip")),
        &["--archive".to_string(), root.display().to_string()],
    );

    // Log in.
    window.log_in("arsip1", PASSWORD);

    // Import a folder on this computer.
    window.click("a[href='#/import']");
    window.type_into("#server-path", &folder.display().to_string());
    window.click("form:has(#server-path) button[type=submit]");
    window.wait_text("form:has(#server-path) [role=status]", "1 ditambahkan");
    let added: Vec<RecordId> = ids(&Archive::open(&root).unwrap())
        .difference(&before)
        .cloned()
        .collect();
    assert_eq!(added.len(), 1, "{added:?}");
    let id = &added[0];

    // Edit the new record.
    window.run(
        "location.hash = '#/record/' + arguments[0];",
        json!([id.to_string()]),
    );
    window.click("//button[normalize-space()='Ubah keterangan']");
    window.type_into("input[name=title]", "Berita Acara Uji Jendela Desktop");
    window.click("form:has(input[name=title]) button.primary[type=submit]");
    window.wait_text(
        "[data-testid=record-title]",
        "Berita Acara Uji Jendela Desktop",
    );

    // Log out: the window is the public's again.
    window.click("//header//button[normalize-space()='Keluar']");
    window.find("a[href='#/login']");
    window.wait_gone("[data-testid=user]");
    drop(window);

    let archive = Archive::open(&root).unwrap();
    let operator = Clearance::operator("test");
    assert_eq!(
        archive.record(id, &operator).unwrap().record.title,
        "Berita Acara Uji Jendela Desktop"
    );
    let trail = archive.audit_log(None, 50, &operator).unwrap();
    let did = |action: &str| {
        trail
            .iter()
            .any(|e| e.actor == "arsip1" && e.action == action)
    };
    for action in ["user.login", "record.edit", "user.logout"] {
        assert!(did(action), "no {action} by arsip1 in {trail:#?}");
    }
}
