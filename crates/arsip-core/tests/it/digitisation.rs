//! Alih media: two berkas of paper scanned (page files of a scanner and a
//! TIFF) get their berita acara and list, read back from the PDFs, naming
//! every digital copy by the SHA-256 `sha256sum` computes of the files the
//! scanner wrote; only archivists and admins make them, for berkas whose
//! every record they read.

use crate::{admin, id_for, publik, refused};
use arsip_core::catalogue::berkas::NewBerkas;
use arsip_core::catalogue::RecordEdit;
use arsip_core::corpus::{self, CorpusOptions, DocKind, Format};
use arsip_core::digitisation::{Digitisation, Document, ScanColour, Signer};
use arsip_core::{AccessLevel, Archive, BerkasId, ErrorCode, RecordId, Role};
use std::path::{Path, PathBuf};
use std::process::Command;

fn sha256sum(path: &Path) -> String {
    let out = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("sha256sum");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .expect("hash")
        .to_string()
}

fn read_back(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("d.pdf");
    std::fs::write(&path, pdf).expect("write");
    crate::print::qpdf_check(&path);
    let text = crate::print::pdftotext(&path);
    // One space between words, whatever the layout put there.
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn berkas(archive: &Archive, number: &str, records: &[RecordId]) -> BerkasId {
    let b = archive
        .add_berkas(
            &NewBerkas {
                number: number.into(),
                title: format!("Berita acara rapat pleno {number}"),
                classification: Some("PL.07".into()),
                year_from: Some(2024),
                year_to: Some(2024),
                ..NewBerkas::default()
            },
            &admin(),
        )
        .expect("berkas");
    let file = RecordEdit {
        berkas: Some(b.id.to_string()),
        ..RecordEdit::default()
    };
    if !records.is_empty() {
        archive.edit_many(records, &file, &admin()).expect("file");
    }
    b.id
}

fn request(berkas: Vec<BerkasId>) -> Digitisation {
    Digitisation {
        berkas,
        number: "12/BA-AM/XII/2026".into(),
        day: Some("2026-12-02".into()),
        device: "Fujitsu fi-7160".into(),
        dpi: 300,
        colour: ScanColour::Keabuan,
        unit: Some("Subbagian Teknis dan Hupmas".into()),
        operator: Signer {
            name: "Siti Aminah".into(),
            nip: Some("198701012010012001".into()),
            position: Some("Pengelola Arsip".into()),
        },
        witness: Signer {
            name: "Budi Santoso".into(),
            ..Signer::default()
        },
        head: Signer {
            name: "Dr. Ahmad Fauzi".into(),
            nip: Some("197205051998031002".into()),
            position: Some("Sekretaris KPU Kota Bogor".into()),
        },
    }
}

#[test]
fn a_digitisation_names_every_digital_copy_by_its_hash() {
    let crate::Scanned {
        dir: _dir,
        archive,
        input,
        truths,
        reports,
        ..
    } = crate::scanned(
        "pindaian",
        &CorpusOptions {
            records: 3,
            seed: 43,
            dpi: 100,
            turn_every: 0,
            formats: vec![Format::JpegPages, Format::Tiff],
            kinds: vec![DocKind::SkKpu, DocKind::BeritaAcara, DocKind::Undangan],
        },
    );
    let ids: Vec<RecordId> = truths
        .iter()
        .map(|t| id_for(&reports, &input.join(&t.file)))
        .collect();
    let files: Vec<PathBuf> = corpus::paths(&input, &truths);
    assert!(files.len() > 3, "a scanner's page files among them");
    let pages: usize = ids
        .iter()
        .map(|id| archive.record(id, &admin()).expect("record").pages.len())
        .sum();

    let first = berkas(&archive, "BRK-2024-001", &ids[..2]);
    let second = berkas(&archive, "BRK-2024-002", &ids[2..]);
    let arsiparis = crate::arsiparis(&archive);
    let asked = request(vec![first, second]);

    let ba = read_back(
        &archive
            .digitisation_document(&asked, Document::BeritaAcara, &arsiparis)
            .expect("berita acara"),
    );
    for said in [
        "KOMISI PEMILIHAN UMUM KOTA BOGOR",
        "BERITA ACARA ALIH MEDIA ARSIP",
        "Nomor: 12/BA-AM/XII/2026",
        "hari Rabu tanggal dua bulan Desember tahun dua ribu dua puluh enam (2 Desember 2026)",
        "kami yang bertanda tangan di bawah ini",
        "milik Subbagian Teknis dan Hupmas",
        "Siti Aminah (Pengelola Arsip)",
        "NIP. 198701012010012001",
        "Sekretaris KPU Kota Bogor,",
        &format!(
            "2 berkas, 3 arsip, {pages} halaman, menjadi {} file digital",
            files.len()
        ),
        "BRK-2024-001, BRK-2024-002",
        "Fujitsu fi-7160",
        "resolusi 300 dpi",
        "skala keabuan",
        "JPEG, TIFF",
        "Siti Aminah",
        "Budi Santoso",
        "Dr. Ahmad Fauzi",
    ] {
        assert!(ba.contains(said), "'{said}' in the berita acara:\n{ba}");
    }

    let list = read_back(
        &archive
            .digitisation_document(&asked, Document::ListPdf, &arsiparis)
            .expect("list"),
    );
    assert!(list.contains("DAFTAR ARSIP ALIH MEDIA"), "{list}");
    assert!(list.contains("Lampiran Berita Acara Alih Media Arsip Nomor 12/BA-AM/XII/2026"));
    for f in &files {
        // Each copy's hash on its row, its first group of sixteen whole.
        let hash = sha256sum(f);
        assert!(
            list.contains(&hash[..16]),
            "{f:?}'s hash in the list:\n{list}"
        );
    }

    // The spreadsheet, as openpyxl reads it, carries every hash whole:
    // `sha256sum` of the scanner's files; sizes and pages are numbers.
    let sheet = crate::print::xlsx_cells(
        &archive
            .digitisation_document(&asked, Document::ListXlsx, &arsiparis)
            .expect("xlsx"),
    );
    let column = |name: &str| {
        sheet[0]
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name} in {:?}", sheet[0]))
    };
    let rows = &sheet[1..];
    assert_eq!(rows.len(), files.len(), "{sheet:?}");
    let mut listed: Vec<String> = rows.iter().map(|r| r[column("sha256")].clone()).collect();
    let mut made: Vec<String> = files.iter().map(|f| sha256sum(f)).collect();
    listed.sort();
    made.sort();
    assert_eq!(listed, made);
    let number = |r: &Vec<String>, name: &str| -> u64 {
        r[column(name)]
            .strip_prefix("n:")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{name} a number in {r:?}"))
    };
    let sizes: u64 = rows.iter().map(|r| number(r, "ukuran_byte")).sum();
    let on_disk: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).expect("meta").len())
        .sum();
    assert_eq!(sizes, on_disk);
    assert_eq!(
        rows.iter().map(|r| number(r, "halaman")).sum::<u64>(),
        pages as u64
    );
    assert_eq!(rows[0][column("nomor_berkas")], "BRK-2024-001");
    assert_eq!(rows[0][column("nomor_berita_acara")], "12/BA-AM/XII/2026");
    assert_eq!(
        rows.last().expect("last")[column("nomor_berkas")],
        "BRK-2024-002"
    );
    let mut names: Vec<String> = rows
        .iter()
        .map(|r| r[column("nama_file")].clone())
        .collect();
    let mut scanned: Vec<String> = files
        .iter()
        .map(|f| f.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    names.sort();
    scanned.sort();
    assert_eq!(names, scanned);
    // What each image file shows of itself: its pixels, and grey or colour.
    let notes: Vec<&str> = rows
        .iter()
        .map(|r| r[column("keterangan")].as_str())
        .collect();
    assert!(notes.iter().all(|n| n.contains(" piksel, ")), "{notes:?}");

    // The CSV holds the same rows.
    let csv = String::from_utf8(
        archive
            .digitisation_document(&asked, Document::ListCsv, &arsiparis)
            .expect("csv"),
    )
    .expect("utf-8");
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert_eq!(lines.next(), Some(sheet[0].join(",").as_str()));
    assert_eq!(lines.count(), files.len());
    for hash in &made {
        assert!(csv.contains(&format!(",{hash},")), "{hash} in\n{csv}");
    }

    // Each document made is a copy out of the archive, in the audit trail.
    let filter = arsip_core::audit::AuditFilter {
        action: Some("digitisation.document".into()),
        ..Default::default()
    };
    let trail = archive
        .audit_trail(&filter, None, 10, &admin())
        .expect("trail");
    // Four documents, each entered once for each of its two berkas.
    assert_eq!(trail.len(), 8);
    assert!(trail[0].detail.contains("witness=Budi Santoso"));
    assert!(trail
        .iter()
        .all(|e| e.detail.contains("number=12/BA-AM/XII/2026")));
}

#[test]
fn only_archivists_make_it_and_only_of_berkas_they_read_whole() {
    let (_dir, archive, ids, _) = crate::ingested(
        vec![
            DocKind::BeritaAcara,
            DocKind::Undangan,
            DocKind::SkKpu,
            DocKind::Undangan,
        ],
        47,
    );
    let open = berkas(&archive, "BRK-1", &ids[..2]);
    let arsiparis = crate::arsiparis(&archive);
    let sekretariat = crate::logged_in(&archive, "sekre1", Role::Sekretariat);
    let asked = request(vec![open]);
    for who in [&publik(), &sekretariat] {
        assert_eq!(
            refused(archive.digitisation_document(&asked, Document::BeritaAcara, who)),
            ErrorCode::AccessDenied
        );
    }
    // A title written as a formula stays text in the CSV and the sheet.
    let formula = RecordEdit {
        title: Some("=HYPERLINK(\"http://contoh.invalid\",\"klik\")".into()),
        ..RecordEdit::default()
    };
    archive.edit(&ids[0], &formula, &admin()).expect("title");
    let csv = String::from_utf8(
        archive
            .digitisation_document(&asked, Document::ListCsv, &arsiparis)
            .expect("the archivist's"),
    )
    .expect("utf-8");
    assert!(csv.contains(",\"'=HYPERLINK("), "{csv}");
    let sheet = crate::print::xlsx_cells(
        &archive
            .digitisation_document(&asked, Document::ListXlsx, &arsiparis)
            .expect("xlsx"),
    );
    let uraian = sheet[0]
        .iter()
        .position(|h| h == "uraian_arsip")
        .expect("column");
    let titles: Vec<&str> = sheet[1..].iter().map(|r| r[uraian].as_str()).collect();
    assert!(
        titles.contains(&"=HYPERLINK(\"http://contoh.invalid\",\"klik\")"),
        "text, not a formula: {titles:?}"
    );

    // A record above the archivist's class filed in the berkas: the list
    // would leave it out, so none is made.
    let secret = RecordEdit {
        access: Some(AccessLevel::SangatRahasia),
        reason: Some("Memuat data pribadi".into()),
        ..RecordEdit::default()
    };
    archive.edit(&ids[1], &secret, &admin()).expect("secret");
    assert_eq!(
        refused(archive.digitisation_document(&asked, Document::ListPdf, &arsiparis)),
        ErrorCode::AccessDenied
    );
    archive
        .digitisation_document(&asked, Document::ListPdf, &admin())
        .expect("the admin reads it whole");

    // A berkas above the class is not there at all.
    let hidden = archive
        .add_berkas(
            &NewBerkas {
                number: "BRK-RAHASIA".into(),
                title: "Berkas rahasia".into(),
                access: Some(AccessLevel::SangatRahasia),
                ..NewBerkas::default()
            },
            &admin(),
        )
        .expect("berkas")
        .id;
    assert_eq!(
        refused(archive.digitisation_document(
            &request(vec![hidden]),
            Document::BeritaAcara,
            &arsiparis
        )),
        ErrorCode::NotFound
    );

    // The admin's documents of an open and a secret berkas: the audit
    // trail tells the secretariat of the open one only, and nothing of the
    // other (not its id, not what it holds).
    let file = RecordEdit {
        berkas: Some(hidden.to_string()),
        ..RecordEdit::default()
    };
    archive.edit(&ids[3], &file, &admin()).expect("filed");
    let mut both = request(vec![open, hidden]);
    both.number = "99/BA-AM/2026".into();
    archive
        .digitisation_document(&both, Document::ListCsv, &admin())
        .expect("the admin's");
    let filter = arsip_core::audit::AuditFilter {
        action: Some("digitisation.document".into()),
        ..Default::default()
    };
    let seen = archive
        .audit_trail(&filter, None, 10, &sekretariat)
        .expect("trail");
    let of = |id: BerkasId| {
        seen.iter()
            .find(|e| e.target == id.to_string() && e.actor == "test")
            .expect("an entry for each berkas")
            .detail
            .clone()
    };
    assert!(of(open).contains("number=99/BA-AM/2026"), "{seen:?}");
    assert!(!of(open).contains(&hidden.to_string()));
    assert_eq!(of(hidden), "…");

    // What is asked is checked before anything is made.
    let other = berkas(&archive, "BRK-2", &ids[2..3]);
    let mut bad = vec![request(vec![]), request(vec![other]), request(vec![other])];
    bad[1].dpi = 10;
    bad[2].number = "   ".into();
    let mut wrong_day = request(vec![other]);
    wrong_day.day = Some("2 Desember".into());
    bad.push(wrong_day);
    let mut no_witness = request(vec![other]);
    no_witness.witness = Signer::default();
    bad.push(no_witness);
    // The one who scanned does not witness their own work.
    let mut own_witness = request(vec![other]);
    own_witness.witness.name = "SITI AMINAH".into();
    bad.push(own_witness);
    // Nothing is recorded as done on a day still to come.
    let mut tomorrow = request(vec![other]);
    tomorrow.day = Some("2100-01-01".into());
    bad.push(tomorrow);
    // A berkas holding nothing has nothing to record.
    let empty = berkas(&archive, "BRK-KOSONG", &[]);
    bad.push(request(vec![empty]));
    for r in &bad {
        assert_eq!(
            refused(archive.digitisation_document(r, Document::BeritaAcara, &arsiparis)),
            ErrorCode::InvalidInput,
            "{r:?}"
        );
    }
    let filter = arsip_core::audit::AuditFilter {
        action: Some("digitisation.document".into()),
        ..Default::default()
    };
    let made = archive
        .audit_trail(&filter, None, 10, &admin())
        .expect("trail");
    assert_eq!(made.len(), 5, "only what was made is audited");
}
