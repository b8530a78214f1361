//! A stack of documents scanned as one file with a separator sheet in front
//! of each: one record per document, with the fields the sheet was printed
//! with, the sheets themselves not kept.

use crate::{admin, arsiparis, publik};
use arsip_core::corpus::batch::separated_batch;
use arsip_core::print::layout::{Paper, Sheet, Style};
use arsip_core::print::separator::{self, Printed, Separator};
use arsip_core::{
    Archive, Clearance, ErrorCode, FileReport, FileStatus, IngestOptions, IngestSummary,
    SearchRequest,
};

/// One stack imported as `who`.
fn ingest(
    archive: &Archive,
    stack: &std::path::Path,
    who: &Clearance,
) -> (Vec<FileReport>, IngestSummary) {
    archive
        .ingest(
            std::slice::from_ref(&stack.to_path_buf()),
            &IngestOptions::default(),
            &(),
            who,
        )
        .expect("ingest")
}

fn hits(archive: &Archive, q: &str) -> Vec<String> {
    archive
        .search(&SearchRequest::new(q), &admin())
        .expect("search")
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn a_scanned_stack_with_separator_sheets_is_one_record_per_document_with_the_sheets_fields() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("pindaian");
    // Scanned on both sides: each sheet's blank back follows it.
    let truth = separated_batch(&input, "tumpukan.pdf", 3, 7, 200, true).expect("batch");
    let archive =
        Archive::init(&dir.path().join("arsip"), "KPU Kota Bogor", "32.71").expect("init");
    let batch = input.join(&truth.file);
    let (reports, summary) = ingest(&archive, &batch, &arsiparis(&archive));
    assert_eq!(summary.added, 3, "{reports:#?}");
    let pages: usize = truth.documents.iter().map(|d| d.pages.len()).sum();
    assert_eq!(
        summary.pages, pages,
        "the sheets are not pages of any record"
    );
    let [report] = &reports[..] else {
        panic!("one report for the one file: {reports:#?}")
    };
    assert_eq!(report.status, FileStatus::Added);
    assert_eq!(report.split.len(), 3);
    for (doc, part) in truth.documents.iter().zip(&report.split) {
        assert_eq!(part.status, FileStatus::Added);
        assert_eq!(part.range, doc.range, "{part:?}");
        assert_eq!(part.pages, doc.pages.len());
        assert_eq!(part.blank, 1, "the sheet's blank back is left out");
        let id = part.id.expect("id");
        let view = archive.record(&id, &admin()).expect("record");
        let r = &view.record;
        let sheet = &doc.sheet;
        assert_eq!(Some(&r.title), sheet.title.as_ref());
        assert_eq!(r.doc_type, sheet.doc_type);
        assert_eq!(r.election, sheet.election);
        assert_eq!(r.region, sheet.region);
        assert_eq!(r.location.box_no, sheet.box_no);
        assert_eq!(view.pages.len(), doc.pages.len());
        assert_eq!(view.files.len(), 1);
        let [first, last] = doc.range;
        assert_eq!(
            view.files[0].name,
            format!("tumpukan hal {first}-{last}.pdf")
        );
        // The part is a PDF of its own that poppler reads and draws.
        let (_, bytes) = archive
            .original(&view.files[0].sha256, &admin())
            .expect("original");
        let part = dir.path().join("part.pdf");
        std::fs::write(&part, bytes).expect("write part");
        crate::print::qpdf_check(&part);
        let image = archive
            .page_image(&id, 1, "", &admin())
            .expect("page 1 image");
        assert!(image.jpeg.len() > 1000);
    }
    // Each document's words find its record only.
    let ids: Vec<String> = report
        .split
        .iter()
        .map(|p| p.id.expect("id").to_string())
        .collect();
    for (i, doc) in truth.documents.iter().enumerate() {
        let word = doc.sheet.title.as_deref().expect("title");
        let found = hits(&archive, &format!("\"{word}\""));
        assert!(found.contains(&ids[i]), "'{word}' finds {found:?}");
    }

    // The same stack imported again is found archived, not split again.
    let (again, summary) = ingest(&archive, &batch, &arsiparis(&archive));
    assert_eq!((summary.added, summary.duplicate), (0, 1), "{again:#?}");
}

/// A born-digital or "searchable" scan: the sheet's words are in the text
/// layer, so the page is drawn only to read its code.
fn text_layer_batch(path: &std::path::Path, sheet: &Separator) {
    let mut doc = Sheet::new(Paper::A4, "uji");
    doc.paragraph(
        // Prose that names the sheets is no sheet: it stays a page.
        "Undangan rapat pleno terbuka penetapan daftar pemilih sementara kelurahan Babakan; \
         siapkan LEMBAR PEMISAH untuk tiap TPS",
        Style::BODY,
    );
    doc.new_page();
    let printed = Printed {
        sheet: sheet.clone(),
        ..Printed::default()
    };
    separator::draw(&mut doc, &printed, "KPU Kota Bogor", "Lembar 1 dari 1").expect("sheet");
    doc.new_page();
    doc.paragraph(
        "Berita acara serah terima kotak suara dari panitia pemungutan suara kecamatan Tanah Sareal",
        Style::BODY,
    );
    doc.new_page();
    doc.paragraph(
        "Lampiran daftar kotak suara yang diterima dalam keadaan tersegel",
        Style::BODY,
    );
    std::fs::write(path, doc.finish("uji").expect("pdf")).expect("write");
}

#[test]
fn a_sheet_in_a_text_layer_splits_too_and_codes_the_archive_lacks_are_dropped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive =
        Archive::init(&dir.path().join("arsip"), "KPU Kota Bogor", "32.71").expect("init");
    let sheet = Separator {
        title: Some("Serah terima kotak suara PPK Tanah Sareal".into()),
        doc_type: Some("berita-acara".into()),
        // A region this archive's vocabulary lacks, as a sheet printed
        // elsewhere may carry: dropped, the rest kept.
        region: Some("99.99.99".into()),
        tps: Some("003".into()),
        ..Separator::default()
    };
    let batch = dir.path().join("hasil-pindai.pdf");
    text_layer_batch(&batch, &sheet);
    let (reports, summary) = ingest(&archive, &batch, &admin());
    assert_eq!(summary.added, 2, "{reports:#?}");
    let split = &reports[0].split;
    assert_eq!(split[0].range, [1, 1], "pages before the first sheet");
    assert_eq!(split[1].range, [3, 4]);
    let view = archive
        .record(&split[1].id.expect("id"), &admin())
        .expect("record");
    assert_eq!(
        view.record.title,
        "Serah terima kotak suara PPK Tanah Sareal"
    );
    assert_eq!(view.record.doc_type.as_deref(), Some("berita-acara"));
    assert_eq!(view.record.tps.as_deref(), Some("003"));
    assert_eq!(view.record.region, None);
    // What the sheet said is not offered again as a suggestion to confirm.
    assert!(
        !view
            .suggestions
            .iter()
            .any(|(field, _)| ["title", "doc_type", "tps"].contains(&field.as_str())),
        "{:?}",
        view.suggestions
    );
    assert_eq!(view.pages.len(), 2);
    assert!(view.pages[0].text.contains("Tanah Sareal"));
    assert!(!view.pages.iter().any(|p| p.text.contains("LEMBAR PEMISAH")));
}

#[test]
fn sheets_are_printed_for_cataloguers_only_and_never_with_an_unknown_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive =
        Archive::init(&dir.path().join("arsip"), "KPU Kota Bogor", "32.71").expect("init");
    let good = Separator {
        doc_type: Some("berita-acara".into()),
        region: Some("32.71.01".into()),
        ..Separator::default()
    };
    let pdf = archive
        .separator_sheets(
            vec![good.clone(), Separator::default()],
            &arsiparis(&archive),
        )
        .expect("sheets");
    let path = dir.path().join("lembar.pdf");
    std::fs::write(&path, pdf).expect("write");
    let text = crate::print::pdftotext(&path);
    assert_eq!(text.matches("LEMBAR PEMISAH").count(), 2);
    assert!(text.contains("Berita Acara (berita-acara)"), "{text}");
    let err = archive
        .separator_sheets(vec![good.clone()], &publik())
        .expect_err("the public prints nothing");
    assert_eq!(err.code, ErrorCode::AccessDenied);
    let unknown = Separator {
        election: Some("pemilu-2099".into()),
        ..good
    };
    let err = archive
        .separator_sheets(vec![unknown], &admin())
        .expect_err("unknown election");
    assert_eq!(err.code, ErrorCode::InvalidInput);
    let err = archive
        .separator_sheets(Vec::new(), &admin())
        .expect_err("no sheet");
    assert_eq!(err.code, ErrorCode::InvalidInput);
}

#[test]
fn a_part_holds_its_own_pages_and_nothing_the_stack_shares() {
    use lopdf::{dictionary, Object, Stream};
    let dir = tempfile::tempdir().expect("tempdir");
    let archive =
        Archive::init(&dir.path().join("arsip"), "KPU Kota Bogor", "32.71").expect("init");
    let sheet = Separator {
        title: Some("Dokumen sesudah lembar".into()),
        ..Separator::default()
    };
    let batch = dir.path().join("tumpukan.pdf");
    text_layer_batch(&batch, &sheet);
    // What a crafted or careless stack shares across its pages: an image
    // on the page tree that no page draws, and an attached file.
    let mut doc = lopdf::Document::load(&batch).expect("load");
    let secret = doc.add_object(Stream::new(
        dictionary! {"Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1,
                     "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8, "Note" => Object::string_literal("RAHASIA-GAMBAR")},
        vec![0u8],
    ));
    let attached = doc.add_object(Stream::new(
        dictionary! {"Type" => "EmbeddedFile"},
        b"RAHASIA-LAMPIRAN".to_vec(),
    ));
    let pages_id = doc
        .catalog()
        .expect("catalog")
        .get(b"Pages")
        .expect("pages")
        .as_reference()
        .expect("ref");
    doc.get_dictionary_mut(pages_id).expect("pages").set(
        "Resources",
        dictionary! {"XObject" => dictionary! {"Rahasia" => secret}},
    );
    let names = dictionary! {"EmbeddedFiles" => dictionary! {"Names" => vec![Object::string_literal("lampiran.txt"), attached.into()]}};
    doc.catalog_mut().expect("catalog").set("Names", names);
    doc.save(&batch).expect("save");

    let (reports, summary) = ingest(&archive, &batch, &admin());
    assert_eq!(summary.added, 2, "{reports:#?}");
    for part in &reports[0].split {
        let view = archive
            .record(&part.id.expect("id"), &admin())
            .expect("record");
        let (_, bytes) = archive
            .original(&view.files[0].sha256, &admin())
            .expect("original");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("RAHASIA"),
            "part {:?} carries what the stack shares",
            part.range
        );
        let path = dir.path().join("bagian.pdf");
        std::fs::write(&path, &bytes).expect("write");
        crate::print::qpdf_check(&path);
        assert_eq!(
            lopdf::Document::load(&path)
                .expect("part")
                .get_pages()
                .len(),
            (part.range[1] - part.range[0] + 1) as usize
        );
    }
}
