//! The paper holdings: places, boxes received onto them, berkas put in
//! boxes, labels printed with QR codes and read back from the printed page
//! into the right box or berkas, each only as far as the caller's clearance
//! reaches.

use crate::print::{pdftotext, qpdf_check, rasterise};
use crate::{admin, publik, refused};
use arsip_core::catalogue::berkas::{BerkasEdit, NewBerkas};
use arsip_core::catalogue::storage::{BoxEdit, Condition, NewBox, NewPlace, PlaceKind};
use arsip_core::corpus::DocKind;
use arsip_core::storage::labels::{LabelLayout, LabelTarget};
use arsip_core::storage::{LabelRequest, LabelScan};
use arsip_core::{AccessLevel, Archive, BerkasId, BoxId, Clearance, ErrorCode, PlaceId};

fn place(archive: &Archive, kind: PlaceKind, name: &str, parent: Option<PlaceId>) -> PlaceId {
    let new = NewPlace {
        kind,
        name: name.into(),
        parent,
    };
    archive.add_place(&new, &admin()).expect("place").id
}

fn berkas_in(
    archive: &Archive,
    number: &str,
    access: AccessLevel,
    in_box: BoxId,
    folder: &str,
) -> BerkasId {
    let new = NewBerkas {
        number: number.into(),
        title: format!("Berita acara rekapitulasi {number}"),
        classification: Some("PL.07".into()),
        year_from: Some(2019),
        year_to: Some(2024),
        access: Some(access),
        in_box: Some(in_box),
        folder: Some(folder.into()),
    };
    archive.add_berkas(&new, &admin()).expect("berkas").id
}

/// The QR codes on each page of `pdf` rasterised at `dpi`, as the labels
/// they name.
fn codes_on(pdf: &[u8], dpi: u32) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("labels.pdf");
    std::fs::write(&path, pdf).expect("write");
    qpdf_check(&path);
    rasterise(&path, dir.path(), dpi)
        .iter()
        .map(|png| {
            let img = image::open(png).expect("png").to_luma8();
            let mut codes = arsip_core::print::qr::read(&img);
            codes.sort();
            codes
        })
        .collect()
}

fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("labels.pdf");
    std::fs::write(&path, pdf).expect("write");
    qpdf_check(&path);
    pdftotext(&path)
}

#[test]
fn a_box_is_received_filled_labelled_and_its_label_opens_it() {
    let (_dir, archive, _ids, _) = crate::ingested(vec![DocKind::BeritaAcara], 31);
    let arsiparis = crate::arsiparis(&archive);

    // The tree: a shelf in a room in a building; never a building on a shelf.
    let gedung = place(&archive, PlaceKind::Gedung, "Gedung Sekretariat", None);
    let ruang = place(&archive, PlaceKind::Ruang, "Ruang Arsip", Some(gedung));
    let rak = place(&archive, PlaceKind::Rak, "Rak 2", Some(ruang));
    let upside_down = NewPlace {
        kind: PlaceKind::Gedung,
        name: "Gedung di rak".into(),
        parent: Some(rak),
    };
    assert_eq!(
        refused(archive.add_place(&upside_down, &admin())),
        ErrorCode::InvalidInput
    );

    let received = NewBox {
        number: "B-07".into(),
        place: Some(rak),
        received_from: Some("PPK Bogor Tengah".into()),
        received_on: Some("2024-03-01".into()),
        received_ref: Some("BA/12/PPK/III/2024".into()),
        condition: Some(Condition::RusakRingan),
        ..NewBox::default()
    };
    let b = archive.add_box(&received, &arsiparis).expect("box");
    let box_id = b.archive_box.id;
    assert_eq!(
        b.archive_box.place_path,
        "Gedung Sekretariat › Ruang Arsip › Rak 2"
    );
    let mut again = received.clone();
    again.number = "b-07".into();
    assert_eq!(
        refused(archive.add_box(&again, &arsiparis)),
        ErrorCode::NameTaken,
        "one box per number, whatever its case"
    );
    for bad in ["Gedung › Rak", "\u{202e}\u{200b} "] {
        again.number = bad.into();
        assert_eq!(
            refused(archive.add_box(&again, &arsiparis)),
            ErrorCode::InvalidInput,
            "{bad:?}"
        );
    }

    let open = berkas_in(
        &archive,
        "PL.07/2024/001",
        AccessLevel::Terbuka,
        box_id,
        "2",
    );
    let restricted = berkas_in(
        &archive,
        "PL.07/2024/002",
        AccessLevel::Rahasia,
        box_id,
        "10",
    );
    let secret = berkas_in(
        &archive,
        "PL.07/2024/003",
        AccessLevel::SangatRahasia,
        box_id,
        "1",
    );

    // Each reader sees the berkas of the classes they read, by map number.
    let seen = |c: &Clearance| -> Vec<String> {
        archive
            .archive_box(&box_id, c)
            .expect("box")
            .berkas
            .into_iter()
            .map(|i| i.number)
            .collect()
    };
    assert_eq!(
        seen(&admin()),
        vec!["PL.07/2024/003", "PL.07/2024/001", "PL.07/2024/002"]
    );
    assert_eq!(seen(&arsiparis), vec!["PL.07/2024/001", "PL.07/2024/002"]);
    let shelf = archive
        .places(&arsiparis)
        .expect("places")
        .into_iter()
        .find(|p| p.id == rak)
        .expect("rak");
    assert_eq!(
        (shelf.boxes, shelf.berkas),
        (1, 2),
        "counts within clearance"
    );
    let in_berkas = archive.berkas(&open, &arsiparis).expect("berkas");
    assert_eq!(in_berkas.in_box.expect("in a box").number, "B-07");

    // The public has no boxes, places or labels.
    assert_eq!(refused(archive.boxes(&publik())), ErrorCode::AccessDenied);
    assert_eq!(refused(archive.places(&publik())), ErrorCode::AccessDenied);
    let typed = LabelScan::Text(format!("RPPARSIP:BOKS:{box_id}"));
    assert_eq!(
        refused(archive.read_label(typed, &publik())),
        ErrorCode::AccessDenied
    );

    // A label for the whole box needs clearance for all it holds.
    let a4 = LabelRequest {
        boxes: vec![box_id],
        berkas: vec![],
        layout: LabelLayout::A4,
    };
    assert_eq!(
        refused(archive.labels_pdf(&a4, &arsiparis)),
        ErrorCode::AccessDenied
    );
    let moved = BoxEdit {
        note: Some("dipindah".into()),
        ..BoxEdit::default()
    };
    assert_eq!(
        refused(archive.edit_box(&box_id, &moved, &arsiparis)),
        ErrorCode::AccessDenied,
        "nor is a box moved by one who may not read all of it"
    );

    // The admin prints it: the label over the contents list, its code
    // read back from the printed page names the box.
    let pdf = archive.labels_pdf(&a4, &admin()).expect("a4 label");
    let text = text_of(&pdf);
    for expected in [
        "BOKS B-07",
        "Gedung Sekretariat › Ruang Arsip › Rak 2",
        "PPK Bogor Tengah",
        "Rusak ringan",
        "3 berkas",
        "PL.07/2024/001",
        "PL.07/2024/003",
        "2019–2024",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    let codes = codes_on(&pdf, 150);
    assert_eq!(codes.len(), 1, "one page");
    let target = LabelTarget::Box {
        id: box_id,
        number: "B-07".into(),
    };
    assert_eq!(
        archive
            .read_label(LabelScan::Text(codes[0][0].clone()), &arsiparis)
            .expect("read"),
        target
    );

    // A sheet of 14: the box and two berkas, each code where it is printed.
    let sheet = LabelRequest {
        boxes: vec![box_id],
        berkas: vec![open, restricted],
        layout: LabelLayout::Sheet14,
    };
    assert_eq!(
        refused(archive.labels_pdf(
            &sheet,
            &crate::logged_in(&archive, "sekr", arsip_core::Role::Sekretariat)
        )),
        ErrorCode::AccessDenied,
        "the secretariat reads, it does not label"
    );
    let pdf = archive.labels_pdf(&sheet, &admin()).expect("sheet");
    let text = text_of(&pdf);
    assert!(
        text.contains("BOKS B-07") && text.contains("PL.07/2024/002"),
        "{text}"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sheet.pdf");
    std::fs::write(&path, &pdf).expect("write");
    let pages = rasterise(&path, dir.path(), 200);
    assert_eq!(pages.len(), 1);
    let photo = std::fs::read(&pages[0]).expect("png");
    let page = image::load_from_memory(&photo).expect("png").to_luma8();
    // Each label cut out as a phone would frame it: the first is the box's.
    let (w, h) = (page.width() / 2, page.height() / 8);
    let first = image::imageops::crop_imm(&page, 0, 0, w, h + h / 2).to_image();
    let mut cut = Vec::new();
    image::DynamicImage::ImageLuma8(first)
        .write_to(&mut std::io::Cursor::new(&mut cut), image::ImageFormat::Png)
        .expect("png");
    assert_eq!(
        archive
            .read_label(LabelScan::Image(cut), &arsiparis)
            .expect("photo read"),
        target
    );
    let mut found = arsip_core::print::qr::read(&page);
    found.sort();
    let mut expected: Vec<String> = [
        format!("RPPARSIP:BOKS:{box_id}"),
        format!("RPPARSIP:BERKAS:{open}"),
        format!("RPPARSIP:BERKAS:{restricted}"),
    ]
    .iter()
    .map(|s| s.to_uppercase())
    .collect();
    expected.sort();
    assert_eq!(found, expected, "every label's code reads back");

    // The number printed large on the label, typed by hand, opens it too;
    // a berkas's only for a reader of its class.
    assert_eq!(
        archive
            .read_label(LabelScan::Text(" b-07 ".into()), &arsiparis)
            .expect("typed number"),
        target
    );
    assert_eq!(
        refused(archive.read_label(LabelScan::Text("PL.07/2024/003".into()), &arsiparis)),
        ErrorCode::NotFound
    );
    // A label of a berkas above the reader's class opens nothing.
    let secret_label = LabelScan::Text(format!("RPPARSIP:BERKAS:{secret}"));
    assert_eq!(
        refused(archive.read_label(secret_label, &arsiparis)),
        ErrorCode::NotFound
    );
    assert_eq!(
        refused(archive.read_label(LabelScan::Text("bukan label".into()), &arsiparis)),
        ErrorCode::NotFound
    );
    assert_eq!(
        refused(archive.read_label(LabelScan::Image(b"not an image".to_vec()), &arsiparis)),
        ErrorCode::UnsupportedFormat
    );

    // Moving the box moves where its berkas are.
    let rak9 = place(&archive, PlaceKind::Rak, "Rak 9", Some(ruang));
    let moved = BoxEdit {
        place: Some(rak9.to_string()),
        ..BoxEdit::default()
    };
    archive.edit_box(&box_id, &moved, &admin()).expect("move");
    let after = archive.berkas(&open, &arsiparis).expect("berkas");
    assert_eq!(
        after.in_box.expect("box").place_path,
        "Gedung Sekretariat › Ruang Arsip › Rak 9"
    );
    // The storage report: place by place, within the reader's clearance.
    let report = text_of(&archive.storage_report(&arsiparis).expect("report"));
    for expected in [
        "LAPORAN TEMPAT SIMPAN ARSIP",
        "Gedung Sekretariat › Ruang Arsip › Rak 9",
        "B-07",
        "Rusak ringan",
        "PPK Bogor Tengah",
        "Jumlah: 4 tempat, 1 boks, 2 berkas",
    ] {
        assert!(report.contains(expected), "{expected} in\n{report}");
    }
    assert_eq!(
        refused(archive.storage_report(&publik())),
        ErrorCode::AccessDenied
    );
    // And a berkas taken out of its box is in none.
    let out = BerkasEdit {
        in_box: Some(String::new()),
        ..BerkasEdit::default()
    };
    let after = archive.edit_berkas(&open, &out, &arsiparis).expect("out");
    assert!(after.in_box.is_none());

    let trail = archive.audit_log(None, 100, &admin()).expect("audit");
    for action in ["place.add", "box.add", "box.edit", "labels.print"] {
        assert!(
            trail.iter().any(|e| e.action == action),
            "{action} is in the audit trail"
        );
    }
}

/// A day `days` after `day` (YYYY-MM-DD).
fn plus(day: &str, days: i64) -> String {
    (arsip_core::retention::parse_day(day).expect("day") + time::Duration::days(days)).to_string()
}

#[test]
fn a_berkas_and_a_box_are_lent_fall_overdue_on_their_day_and_come_back() {
    use arsip_core::catalogue::loans::{Lent, LoanReturn, NewLoan};
    use arsip_core::LoanId;
    let (_dir, archive, ids, _) = crate::ingested(vec![DocKind::BeritaAcara], 37);
    let arsiparis = crate::arsiparis(&archive);
    let rak = place(&archive, PlaceKind::Rak, "Rak 5", None);
    let received = NewBox {
        number: "B-20".into(),
        place: Some(rak),
        ..NewBox::default()
    };
    let box_id = archive
        .add_box(&received, &admin())
        .expect("box")
        .archive_box
        .id;
    let open = berkas_in(
        &archive,
        "PL.07/2019/020",
        AccessLevel::Terbuka,
        box_id,
        "1",
    );
    let secret = archive
        .add_berkas(
            &NewBerkas {
                number: "PL.07/2019/099".into(),
                title: "Berkas sangat rahasia".into(),
                access: Some(AccessLevel::SangatRahasia),
                ..NewBerkas::default()
            },
            &admin(),
        )
        .expect("berkas")
        .id;

    let today = archive.loans(None, true, &admin()).expect("loans").on;
    let due = plus(&today, 7);
    let loan = |berkas: Option<BerkasId>, in_box: Option<BoxId>| NewLoan {
        berkas,
        in_box,
        borrower: "Siti Aminah".into(),
        unit: "Subbagian Teknis dan Hupmas".into(),
        purpose: "Bahan pameran RPP".into(),
        due_on: due.clone(),
        lent_on: None,
    };
    let lent = archive
        .lend(&loan(Some(open), None), &arsiparis)
        .expect("lend");
    assert_eq!(lent.lent_on, today);
    assert!(matches!(&lent.lent, Lent::Berkas { number, .. } if number == "PL.07/2019/020"));
    let out = archive.berkas(&open, &arsiparis).expect("berkas").on_loan;
    assert_eq!(out.map(|o| o.borrower), Some("Siti Aminah".to_string()));

    // One loan at a time, for the berkas and for the box it is in.
    assert_eq!(
        refused(archive.lend(&loan(Some(open), None), &arsiparis)),
        ErrorCode::OnLoan
    );
    assert_eq!(
        refused(archive.lend(&loan(None, Some(box_id)), &arsiparis)),
        ErrorCode::OnLoan
    );
    // Dates that cannot be.
    let mut future = loan(Some(secret), None);
    future.lent_on = Some(plus(&today, 1));
    assert_eq!(
        refused(archive.lend(&future, &admin())),
        ErrorCode::InvalidInput
    );
    let mut ancient = loan(Some(secret), None);
    ancient.lent_on = Some("-0005-01-01".into());
    assert_eq!(
        refused(archive.lend(&ancient, &admin())),
        ErrorCode::InvalidInput
    );
    let mut backwards = loan(Some(secret), None);
    backwards.due_on = plus(&today, -1);
    assert_eq!(
        refused(archive.lend(&backwards, &admin())),
        ErrorCode::InvalidInput
    );

    // Late from the day after it is due, by the day asked about.
    let on = |d: &str| {
        let day = arsip_core::retention::parse_day(d).expect("day");
        archive.loans(Some(day), true, &arsiparis).expect("loans")
    };
    assert_eq!(on(&due).overdue, 0);
    let late = on(&plus(&due, 1));
    assert_eq!((late.overdue, late.loans[0].days_late), (1, 1));
    assert_eq!(on(&plus(&due, 10)).loans[0].days_late, 10);

    // A loan of a berkas above the reader's class is not theirs to see.
    let hidden = archive
        .lend(&loan(Some(secret), None), &admin())
        .expect("admin lends");
    assert_eq!(
        on(&today).loans.len(),
        1,
        "the archivist sees their own only"
    );
    assert_eq!(
        refused(archive.loan(&hidden.id, &arsiparis)),
        ErrorCode::NotFound
    );
    let back = LoanReturn {
        condition: Condition::RusakRingan,
        note: "Sampul sobek".into(),
    };
    assert_eq!(
        refused(archive.return_loan(&hidden.id, &back, &arsiparis)),
        ErrorCode::NotFound
    );
    assert_eq!(
        refused(archive.lend(&loan(Some(secret), None), &arsiparis)),
        ErrorCode::NotFound
    );
    let sekretariat = crate::logged_in(&archive, "sekr", arsip_core::Role::Sekretariat);
    assert_eq!(
        refused(archive.lend(&loan(Some(open), None), &sekretariat)),
        ErrorCode::AccessDenied
    );
    assert_eq!(
        refused(archive.loans(None, true, &publik())),
        ErrorCode::AccessDenied
    );

    // The slip both sign.
    let slip = archive.loan_slip(&lent.id, &sekretariat).expect("slip");
    let text = text_of(&slip);
    for expected in [
        "BUKTI PEMINJAMAN ARSIP",
        "Siti Aminah",
        "Subbagian Teknis dan Hupmas",
        "PL.07/2019/020",
        "Bahan pameran RPP",
        "Peminjam,",
        "Petugas arsip,",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    let due_words =
        arsip_core::clock::date_in_words(arsip_core::retention::parse_day(&due).expect("day"));
    assert!(text.contains(&due_words), "{due_words} in\n{text}");

    // Back, in the condition it came back in; once.
    let returned = archive
        .return_loan(&lent.id, &back, &arsiparis)
        .expect("return");
    assert_eq!(returned.returned_on.as_deref(), Some(today.as_str()));
    assert_eq!(returned.return_condition, Some(Condition::RusakRingan));
    assert_eq!(
        refused(archive.return_loan(&lent.id, &back, &arsiparis)),
        ErrorCode::WrongStep
    );
    assert!(archive
        .berkas(&open, &arsiparis)
        .expect("b")
        .on_loan
        .is_none());
    assert_eq!(on(&plus(&due, 1)).overdue, 0, "a returned loan is not late");

    // A record filed above its berkas's class keeps the box from one who
    // may not read it: the box goes out whole or not at all.
    let raise = arsip_core::catalogue::RecordEdit {
        access: Some(AccessLevel::SangatRahasia),
        berkas: Some(open.to_string()),
        ..Default::default()
    };
    archive.edit(&ids[0], &raise, &admin()).expect("file it");
    assert_eq!(
        refused(archive.lend(&loan(None, Some(box_id)), &arsiparis)),
        ErrorCode::AccessDenied
    );
    assert_eq!(
        refused(archive.lend(&loan(Some(open), None), &arsiparis)),
        ErrorCode::AccessDenied,
        "nor the berkas alone"
    );
    let moved = BoxEdit {
        note: Some("dipindah".into()),
        ..BoxEdit::default()
    };
    assert_eq!(
        refused(archive.edit_box(&box_id, &moved, &arsiparis)),
        ErrorCode::AccessDenied
    );
    let unfile = arsip_core::catalogue::RecordEdit {
        berkas: Some(String::new()),
        ..Default::default()
    };
    archive.edit(&ids[0], &unfile, &admin()).expect("unfile");

    // Now the whole box goes out: the box and the berkas in it show it.
    let box_loan = archive
        .lend(&loan(None, Some(box_id)), &arsiparis)
        .expect("box");
    let shown = archive.archive_box(&box_id, &arsiparis).expect("box");
    assert_eq!(shown.archive_box.on_loan.map(|o| o.loan), Some(box_loan.id));
    let via_box = archive.berkas(&open, &arsiparis).expect("b").on_loan;
    assert_eq!(via_box.map(|o| o.loan), Some(box_loan.id));
    assert_eq!(
        refused(archive.lend(&loan(Some(open), None), &arsiparis)),
        ErrorCode::OnLoan
    );
    let slip = text_of(&archive.loan_slip(&box_loan.id, &arsiparis).expect("slip"));
    // Paper that is out stays where the loan says it is.
    let out_of_box = BerkasEdit {
        in_box: Some(String::new()),
        ..BerkasEdit::default()
    };
    assert_eq!(
        refused(archive.edit_berkas(&open, &out_of_box, &admin())),
        ErrorCode::OnLoan
    );
    // A box comes back by one who may read all it holds.
    archive
        .edit(&ids[0], &raise, &admin())
        .expect("file it again");
    assert_eq!(
        refused(archive.return_loan(&box_loan.id, &back, &arsiparis)),
        ErrorCode::AccessDenied
    );
    archive
        .edit(&ids[0], &unfile, &admin())
        .expect("unfile again");
    archive
        .return_loan(&box_loan.id, &back, &arsiparis)
        .expect("box back");
    let shown = archive
        .archive_box(&box_id, &arsiparis)
        .expect("box")
        .archive_box;
    assert_eq!(shown.condition, Condition::RusakRingan, "as it came back");
    assert!(
        slip.contains("Boks B-20") && slip.contains("PL.07/2019/020"),
        "{slip}"
    );
    assert_eq!(
        refused(archive.loan(&LoanId::new(), &arsiparis)),
        ErrorCode::NotFound
    );

    let trail = archive.audit_log(None, 100, &admin()).expect("audit");
    for action in ["loan.lend", "loan.return", "loan.slip"] {
        assert!(trail.iter().any(|e| e.action == action), "{action} audited");
    }
}
