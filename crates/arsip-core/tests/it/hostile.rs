//! Bad input gets a clear per-file error, never a panic, and the rest of the batch
//! is still ingested.

use arsip_core::corpus::{self, CorpusOptions, Format};
use arsip_core::{Archive, ErrorCode, FileStatus, IngestOptions};
use std::path::{Path, PathBuf};

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG whose header claims 100000×100000 pixels.
fn giant_png() -> Vec<u8> {
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(100_000u32.to_be_bytes());
    ihdr.extend(100_000u32.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(13u32.to_be_bytes());
    png.extend(&ihdr);
    png.extend(crc32(&ihdr).to_be_bytes());
    for (kind, data) in [
        (&b"IDAT"[..], &[0x78u8, 0x9c, 0x03, 0x00][..]),
        (b"IEND", b""),
    ] {
        let chunk = [kind, data].concat();
        png.extend((data.len() as u32).to_be_bytes());
        png.extend(&chunk);
        png.extend(crc32(&chunk).to_be_bytes());
    }
    png
}

#[cfg(unix)]
fn non_utf8_name(dir: &Path) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    dir.join(std::ffi::OsStr::from_bytes(b"scan-\xff\xfe.png"))
}

#[test]
fn each_bad_file_fails_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good");
    let truths = corpus::generate(
        &good,
        &CorpusOptions {
            records: 2,
            seed: 3,
            dpi: 150,
            turn_every: 0,
            formats: vec![Format::TextPdf, Format::Png],
            kinds: Vec::new(),
        },
    )
    .expect("corpus");
    std::fs::remove_file(good.join("truth.json")).expect("rm");
    let text_pdf = good.join(&truths[0].file);
    let png = good.join(&truths[1].file);
    let bad = dir.path().join("bad");
    std::fs::create_dir_all(&bad).expect("mkdir");
    let pdf_bytes = std::fs::read(&text_pdf).expect("read");
    let mut expected: Vec<(PathBuf, ErrorCode)> = vec![];
    let mut put = |name: &str, bytes: &[u8], code| {
        let p = bad.join(name);
        std::fs::write(&p, bytes).expect("write");
        expected.push((p, code));
    };
    put("kosong.pdf", b"", ErrorCode::EmptyFile);
    put(
        "terpotong.pdf",
        &pdf_bytes[..pdf_bytes.len() / 3],
        ErrorCode::CorruptFile,
    );
    put(
        "rusak.pdf",
        b"%PDF-1.4\n\x00\x01garbage that is no PDF at all\n%%EOF",
        ErrorCode::CorruptFile,
    );
    put("raksasa.png", &giant_png(), ErrorCode::ImageTooLarge);
    put(
        "catatan.txt",
        b"bukan dokumen",
        ErrorCode::UnsupportedFormat,
    );
    put(
        "jpeg-palsu.jpg",
        b"\xff\xd8\xff\xe0 then nothing useful",
        ErrorCode::CorruptFile,
    );
    let encrypted = bad.join("terkunci.pdf");
    let status = std::process::Command::new("qpdf")
        .args(["--encrypt", "rahasia", "pemilik", "256", "--"])
        .arg(&text_pdf)
        .arg(&encrypted)
        .status()
        .expect("qpdf (scripts/setup.sh installs it)");
    assert!(status.success());
    expected.push((encrypted, ErrorCode::EncryptedPdf));
    // Odd but valid names are ingested, not failed.
    #[cfg(unix)]
    std::fs::copy(&png, non_utf8_name(&bad)).expect("copy");
    let long = bad.join(format!("{}.pdf", "berita-acara-".repeat(18)));
    std::fs::write(&long, {
        // Different bytes from the good PDF, so it is not a duplicate.
        let mut b = pdf_bytes.clone();
        b.extend(b"\n% another copy\n");
        b
    })
    .expect("long name");
    // A folder that links to itself.
    #[cfg(unix)]
    std::os::unix::fs::symlink(&bad, bad.join("loop")).expect("symlink");

    let archive = Archive::init(&dir.path().join("a"), "KPU Kota Bogor", "32.71").expect("init");
    let (reports, summary) = archive
        .ingest(
            &[good.clone(), bad.clone()],
            &IngestOptions::default(),
            &(),
            &crate::admin(),
        )
        .expect("batch");
    for (path, code) in &expected {
        let r = reports
            .iter()
            .find(|r| Path::new(&r.path) == path)
            .unwrap_or_else(|| panic!("no report for {path:?}"));
        assert_eq!(r.status, FileStatus::Failed, "{r:?}");
        let err = r.error.as_ref().expect("error");
        assert_eq!(err.code, *code, "{}: {}", r.path, err.message);
        assert!(!err.message.is_empty());
    }
    let added: Vec<_> = reports
        .iter()
        .filter(|r| r.status == FileStatus::Added)
        .map(|r| r.path.clone())
        .collect();
    // The text PDF, its long-named variant, and one of the PNG and its
    // same-bytes copy under a non-UTF-8 name (the other is a duplicate).
    assert_eq!(added.len(), 3, "{reports:#?}");
    assert_eq!(summary.duplicate, usize::from(cfg!(unix)));
    #[cfg(unix)]
    assert!(
        reports
            .iter()
            .any(|r| r.path.contains("loop") && r.status == FileStatus::Failed),
        "the loop is reported"
    );
    assert_eq!(summary.added, 3);
    assert_eq!(archive.verify().expect("verify").problems(), 0);
}

#[test]
fn a_missing_path_is_reported_not_fatal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = Archive::init(&dir.path().join("a"), "KPU Kota Bogor", "32.71").expect("init");
    let (reports, summary) = archive
        .ingest(
            &[dir.path().join("tidak-ada")],
            &IngestOptions::default(),
            &(),
            &crate::admin(),
        )
        .expect("batch");
    assert_eq!(summary.failed, 1);
    assert_eq!(
        reports[0].error.as_ref().map(|e| e.code),
        Some(ErrorCode::NotFound)
    );
}
