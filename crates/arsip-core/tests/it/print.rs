//! Printed documents read back as their readers meet them: checked by qpdf,
//! their text by poppler's pdftotext, their QR codes by zbarimg (a reader
//! that is not ours) and by the reader ingest uses, from pages rasterised by
//! pdftoppm as a scanner would see them.

use arsip_core::print::layout::{Column, Paper, Sheet, Style};
use arsip_core::print::separator::{sheets_pdf, Printed, Separator};
use std::path::Path;
use std::process::Command;

fn tool(cmd: &mut Command) -> String {
    let out = cmd.output().expect("tool runs");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn qpdf_check(pdf: &Path) {
    tool(Command::new("qpdf").arg("--check").arg(pdf));
}

pub fn pdftotext(pdf: &Path) -> String {
    tool(
        Command::new("pdftotext")
            .args(["-layout"])
            .arg(pdf)
            .arg("-"),
    )
}

/// The cells of a spreadsheet's first sheet as openpyxl reads them, a row
/// a line: a number as `n:VALUE`, a formula as `f:FORMULA`, text as it is
/// (so a test sees which).
pub fn xlsx_cells(bytes: &[u8]) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daftar.xlsx");
    std::fs::write(&path, bytes).unwrap();
    let script = "import json, sys, openpyxl\n\
        def cell(c):\n\
        \x20   if c.data_type == 'n' and c.value is not None: return 'n:%d' % c.value\n\
        \x20   if c.data_type == 'f': return 'f:' + str(c.value)\n\
        \x20   return '' if c.value is None else str(c.value)\n\
        for row in openpyxl.load_workbook(sys.argv[1]).worksheets[0].iter_rows():\n\
        \x20   print(json.dumps([cell(c) for c in row]))\n";
    let out = tool(
        Command::new(crate::pytools::py_tool("python"))
            .args(["-c", script])
            .arg(&path),
    );
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Each page rasterised at `dpi` in grey, as PNG files in `dir`.
pub fn rasterise(pdf: &Path, dir: &Path, dpi: u32) -> Vec<std::path::PathBuf> {
    tool(
        Command::new("pdftoppm")
            .args(["-gray", "-png", "-r", &dpi.to_string()])
            .arg(pdf)
            .arg(dir.join("p")),
    );
    let mut pages: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    pages.sort();
    pages
}

fn sheet(title: &str, tps: &str) -> Separator {
    Separator {
        title: Some(title.into()),
        doc_type: Some("ba".into()),
        election: Some("pemilu-2024".into()),
        region: Some("32.71.01".into()),
        tps: Some(tps.into()),
        number: None,
        box_no: Some("12".into()),
    }
}

#[test]
fn separator_sheets_print_their_fields_and_a_code_both_readers_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let sheets = vec![
        Printed {
            sheet: sheet("Berita acara pemungutan suara TPS 014", "014"),
            doc_type: Some("Berita Acara".into()),
            election: Some("Pemilu 2024".into()),
            region: Some("Bogor Selatan".into()),
        },
        Printed {
            sheet: sheet("Berita acara TPS 015 — salinan", "015"),
            ..Printed::default()
        },
    ];
    let pdf = dir.path().join("sheets.pdf");
    std::fs::write(
        &pdf,
        sheets_pdf(&sheets, "KPU Kota Bogor", "1 Desember 2026").unwrap(),
    )
    .unwrap();
    qpdf_check(&pdf);
    let text = pdftotext(&pdf);
    assert_eq!(text.matches("LEMBAR PEMISAH").count(), 2, "{text}");
    assert!(text.contains("Berita Acara (ba)"), "{text}");
    assert!(text.contains("Bogor Selatan (32.71.01)"), "{text}");
    assert!(text.contains("Lembar 2 dari 2"), "{text}");
    assert!(text.contains("Halaman 1 dari 2"), "{text}");

    let pages = rasterise(&pdf, dir.path(), 150);
    assert_eq!(pages.len(), 2);
    for (page, printed) in pages.iter().zip(&sheets) {
        let zbar = tool(Command::new("zbarimg").args(["--quiet", "--raw"]).arg(page));
        assert_eq!(Separator::parse(zbar.trim()).as_ref(), Some(&printed.sheet));
        let img = image::open(page).unwrap().to_luma8();
        let ours = arsip_core::print::qr::read(&img);
        assert_eq!(
            Separator::found_in(&ours).as_ref(),
            Some(&printed.sheet),
            "{ours:?}"
        );
    }
}

#[test]
fn a_long_table_repeats_its_header_on_every_page_and_keeps_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc = Sheet::new(Paper::F4, "Daftar uji");
    doc.paragraph("DAFTAR UJI", Style::HEADING);
    let columns = [
        Column::new("No", 0.5),
        Column::new("Uraian informasi berkas", 4.0),
        Column::new("Kurun waktu", 1.2),
    ];
    let rows: Vec<Vec<String>> = (1..=300)
        .map(|i| {
            vec![
                i.to_string(),
                format!(
                    "Berita acara rekapitulasi hasil penghitungan suara nomor urut {i} \
                     dengan uraian yang cukup panjang sehingga harus dipatah menjadi dua baris"
                ),
                "2024".into(),
            ]
        })
        .collect();
    doc.table(&columns, &rows, Style::SMALL, true);
    let count = doc.page_count();
    assert!(count > 5, "{count} pages");
    let pdf = dir.path().join("list.pdf");
    std::fs::write(&pdf, doc.finish("Daftar uji").unwrap()).unwrap();
    qpdf_check(&pdf);
    let text = pdftotext(&pdf);
    assert_eq!(
        text.matches("Uraian informasi berkas").count(),
        count,
        "a header per page"
    );
    for i in [1, 150, 300] {
        assert!(
            text.contains(&format!("nomor urut {i} ")),
            "row {i} is missing"
        );
    }
    assert!(text.contains(&format!("Halaman {count} dari {count}")));
}

#[test]
fn the_longest_sheet_the_archive_prints_is_read_back_from_scans_at_150_to_300_dpi() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = Separator {
        title: Some("Berita acara ".repeat(21).trim().to_string()),
        doc_type: Some("berita-acara".into()),
        election: Some("pemilu-2024".into()),
        region: Some("32.71.01.1001".into()),
        tps: Some("014".into()),
        box_no: Some("17".into()),
        number: None,
    };
    let payload = sheet.payload().len();
    assert!((370..=400).contains(&payload), "{payload} bytes");
    let printed = Printed {
        sheet: sheet.clone().printable().expect("printable"),
        ..Printed::default()
    };
    let pdf = dir.path().join("panjang.pdf");
    std::fs::write(
        &pdf,
        sheets_pdf(&[printed], "KPU Kota Bogor", "1 Desember 2026").unwrap(),
    )
    .unwrap();
    // Scanners are set anywhere from 150 to 300 dpi; ingest draws a PDF
    // page at 300.
    for dpi in [150, 200, 240, 300] {
        let at = dir.path().join(dpi.to_string());
        std::fs::create_dir_all(&at).unwrap();
        let pages = rasterise(&pdf, &at, dpi);
        let img = image::open(&pages[0]).unwrap().to_luma8();
        let ours = arsip_core::print::qr::read(&img);
        assert_eq!(
            Separator::found_in(&ours),
            Some(sheet.clone()),
            "at {dpi} dpi"
        );
    }
    let longer = Separator {
        number: Some("417/PL.01.9-Kpt/3271/KPU-Kot/III/2024".into()),
        ..sheet
    };
    assert!(longer.printable().is_err(), "a denser code is refused");
}

#[test]
fn a_forged_code_plants_no_control_or_direction_characters() {
    let text = "RPPARSIP-SEP1 {\"title\":\"Berita\\u0000 acara\\u202e TPS\\u200b 1\\u001b[31m\",\"tps\":\"0\\u00071\"}";
    let sheet = Separator::parse(text).expect("a sheet");
    assert_eq!(sheet.title.as_deref(), Some("Berita acara TPS 1[31m"));
    assert_eq!(sheet.tps.as_deref(), Some("01"));
}
