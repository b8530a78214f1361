//! The desktop app in a real window under Xvfb, on small generated archives:
//! its in-app self-check (`smoke`), and a person's working session driven
//! through WebKitGTK's own WebDriver by tauri-driver (`session`).

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod first_run;
mod session;
mod smoke;
mod webdriver;

use arsip_core::catalogue::RecordEdit;
use arsip_core::corpus::{self, CorpusOptions, Format};
use arsip_core::{AccessLevel, Archive, Clearance, IngestOptions};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub struct Xvfb(Child);

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A virtual display of our own, the size of a common office screen: Xvfb
/// picks a free number itself (`-displayfd`) and says it once it is ready, so
/// tests running side by side never share or race for one.
pub fn xvfb() -> (Xvfb, String) {
    let mut child = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1366x768x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb (scripts/setup.sh --test installs it)");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let n: u32 = line
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("Xvfb gave no display: {line:?}"));
    (Xvfb(child), format!(":{n}"))
}

/// An office's archive in `dir/archive`: three public records, one admin.
pub fn public_archive(dir: &Path) {
    let input = dir.join("in");
    let truths = corpus::generate(
        &input,
        &CorpusOptions {
            records: 3,
            seed: 3,
            dpi: 150,
            turn_every: 0,
            formats: vec![Format::TextPdf],
            kinds: Vec::new(),
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
    // An office's archive has its staff (one with none asks for its first admin).
    archive
        .set_user(
            "kepala",
            arsip_core::Role::Admin,
            "sandi-kepala-uji",
            "test",
        )
        .unwrap();
}
