//! Berkas and the retention schedule (JRA): records filed into berkas, a
//! person confirming each berkas's row, and what falls due on which day,
//! each only as far as the caller's clearance reaches.

use crate::{admin, publik};
use arsip_core::catalogue::berkas::{BerkasEdit, NewBerkas, Stage};
use arsip_core::catalogue::vocab::Vocabulary;
use arsip_core::catalogue::RecordEdit;
use arsip_core::corpus::DocKind;
use arsip_core::retention::parse_day;
use arsip_core::{AccessLevel, Archive, Clearance, ErrorCode, RecordId, Role};

fn archive_with(kinds: Vec<DocKind>) -> (tempfile::TempDir, Archive, Vec<RecordId>) {
    let (dir, archive, ids, _) = crate::ingested(kinds, 23);
    (dir, archive, ids)
}

fn as_role(archive: &Archive, name: &str, role: Role) -> Clearance {
    crate::logged_in(archive, name, role)
}

fn logistics() -> NewBerkas {
    NewBerkas {
        number: "PL.05/2019/001".into(),
        title: "Distribusi logistik Pemilu 2019".into(),
        classification: Some("PL.05".into()),
        year_from: Some(2018),
        year_to: Some(2019),
        access: Some(AccessLevel::Terbatas),
        ..NewBerkas::default()
    }
}

use crate::refused as code;

#[test]
fn a_berkas_is_filed_into_its_row_confirmed_and_it_falls_due_on_its_day() {
    let (_dir, archive, ids) = archive_with(vec![DocKind::BeritaAcara, DocKind::Undangan]);
    let arsiparis = crate::arsiparis(&archive);

    // The document number names its classification: offered for review.
    let queue = archive.review_queue(&arsiparis).expect("queue");
    let item = queue.items.iter().find(|i| i.id == ids[0]).expect("waits");
    assert!(
        item.suggestions
            .contains(&("classification".to_string(), "PL.01.7".to_string())),
        "{:?}",
        item.suggestions
    );

    let b = archive.add_berkas(&logistics(), &arsiparis).expect("add");
    assert!(b.jra.is_none(), "no row until a person confirms one");
    let suggested = b.jra_suggested.clone().expect("the row of PL.05");
    assert_eq!(
        (suggested.code.as_str(), suggested.outcome.as_str()),
        ("PL.05", "musnah")
    );
    assert!(b.schedule.is_none());
    assert_eq!(
        code(archive.add_berkas(&logistics(), &arsiparis)),
        ErrorCode::NumberTaken
    );

    // Filed: the record names its berkas to staff, never to the public.
    let file = RecordEdit {
        berkas: Some(b.id.to_string()),
        access: Some(AccessLevel::Terbuka),
        reason: Some("uji".into()),
        ..RecordEdit::default()
    };
    archive.edit(&ids[0], &file, &admin()).expect("file");
    let view = archive.record(&ids[0], &arsiparis).expect("view");
    assert_eq!(
        view.berkas.map(|r| r.number),
        Some("PL.05/2019/001".to_string())
    );
    assert!(archive
        .record(&ids[0], &publik())
        .expect("public")
        .berkas
        .is_none());
    assert_eq!(archive.berkas(&b.id, &arsiparis).expect("one").records, 1);

    let on = |day: &str| {
        archive
            .retention_report(Some(parse_day(day).expect("day")), &arsiparis)
            .expect("report")
    };
    let before = on("2030-01-01");
    assert_eq!(before.unconfirmed.len(), 1);
    assert_eq!(before.due, 0, "nothing is due on an unconfirmed row");
    assert_eq!(before.unfiled, 1, "the invitation is in no berkas");

    let confirm = BerkasEdit {
        jra: Some("PL.05".into()),
        ..BerkasEdit::default()
    };
    let b = archive
        .edit_berkas(&b.id, &confirm, &arsiparis)
        .expect("confirm");
    assert_eq!(b.jra_by.as_deref(), Some("arsip1"));
    let schedule = b.schedule.clone().expect("dated");
    // Closed 2019, 2 years active, 3 inactive.
    assert_eq!(schedule.transfer_on, "2022-01-01");
    assert_eq!(schedule.final_on, "2025-01-01");

    assert_eq!(on("2021-12-31").due, 0);
    let due = on("2022-01-01");
    assert_eq!(due.transfer.len(), 1, "{due:#?}");
    assert_eq!(due.transfer[0].id, b.id);
    assert_eq!(due.due, 1);
    let brief = due.brief();
    assert_eq!(
        (brief.due, brief.transfer.len()),
        (1, 0),
        "counts without lists"
    );

    // Moved to the records centre by hand: nothing until its years are over.
    let moved = BerkasEdit {
        stage: Some(Stage::Inaktif),
        ..BerkasEdit::default()
    };
    archive
        .edit_berkas(&b.id, &moved, &arsiparis)
        .expect("moved");
    assert_eq!(on("2024-12-31").due, 0);
    let due = on("2025-01-01");
    assert_eq!(due.assess.len(), 1, "proposed for destruction: {due:#?}");
    // The last stages are the workflows', not a hand edit's.
    let destroyed = BerkasEdit {
        stage: Some(Stage::Musnah),
        ..BerkasEdit::default()
    };
    assert_eq!(
        code(archive.edit_berkas(&b.id, &destroyed, &arsiparis)),
        ErrorCode::InvalidInput
    );

    // The secretariat reads the lists; it does not change them.
    let sekretariat = as_role(&archive, "sekre1", Role::Sekretariat);
    assert_eq!(
        archive
            .retention_report(Some(parse_day("2025-01-01").expect("day")), &sekretariat)
            .expect("report")
            .assess
            .len(),
        1
    );
    assert_eq!(
        code(archive.edit_berkas(&b.id, &confirm, &sekretariat)),
        ErrorCode::AccessDenied
    );
    let mut other = logistics();
    other.number = "PL.05/2019/002".into();
    assert_eq!(
        code(archive.add_berkas(&other, &sekretariat)),
        ErrorCode::AccessDenied
    );
    // A first year is no closing year: without one, a berkas is undated,
    // never counted from an earlier year.
    let open_ended = archive
        .add_berkas(
            &NewBerkas {
                number: "PL.05/2018/003".into(),
                title: "Tanpa tahun penutupan".into(),
                classification: Some("PL.05".into()),
                year_from: Some(2018),
                ..NewBerkas::default()
            },
            &arsiparis,
        )
        .expect("add");
    archive
        .edit_berkas(&open_ended.id, &confirm, &arsiparis)
        .expect("confirm");
    let report = archive
        .retention_report(Some(parse_day("2040-01-01").expect("day")), &arsiparis)
        .expect("report");
    assert!(report.undated.iter().any(|b| b.id == open_ended.id));
    assert!(!report.assess.iter().any(|b| b.id == open_ended.id));

    // The public has none of it.
    assert_eq!(
        code(archive.berkas_list(&publik())),
        ErrorCode::AccessDenied
    );
    assert_eq!(
        code(archive.retention_report(None, &publik())),
        ErrorCode::AccessDenied
    );
    assert_eq!(code(archive.jra(&publik())), ErrorCode::AccessDenied);
}

#[test]
fn a_berkas_above_a_clearance_is_nothing_to_it() {
    let (_dir, archive, ids) = archive_with(vec![DocKind::BeritaAcara]);
    let arsiparis = crate::arsiparis(&archive);
    let sekretariat = as_role(&archive, "sekre1", Role::Sekretariat);
    let mut secret = logistics();
    secret.title = "Berkas rahasia negara".into();
    secret.access = Some(AccessLevel::SangatRahasia);
    assert_eq!(
        code(archive.add_berkas(&secret, &arsiparis)),
        ErrorCode::AccessDenied,
        "not above one's own class"
    );
    let b = archive.add_berkas(&secret, &admin()).expect("admin's");

    assert!(archive.berkas_list(&arsiparis).expect("list").is_empty());
    assert_eq!(code(archive.berkas(&b.id, &arsiparis)), ErrorCode::NotFound);
    let edit = BerkasEdit {
        title: Some("diganti".into()),
        ..BerkasEdit::default()
    };
    assert_eq!(
        code(archive.edit_berkas(&b.id, &edit, &arsiparis)),
        ErrorCode::NotFound
    );
    let file = RecordEdit {
        berkas: Some(b.id.to_string()),
        ..RecordEdit::default()
    };
    assert_eq!(
        code(archive.edit(&ids[0], &file, &arsiparis)),
        ErrorCode::NotFound
    );
    assert!(archive
        .record(&ids[0], &admin())
        .expect("view")
        .berkas
        .is_none());
    assert_eq!(
        archive.berkas(&b.id, &admin()).expect("one").title,
        "Berkas rahasia negara"
    );

    // Filed by the admin: the archivist sees the record, not the berkas.
    archive.edit(&ids[0], &file, &admin()).expect("file");
    assert!(archive
        .record(&ids[0], &arsiparis)
        .expect("view")
        .berkas
        .is_none());

    // The audit trail names it only to a reader of its class.
    let filter = arsip_core::audit::AuditFilter {
        action: Some("berkas.add".into()),
        ..Default::default()
    };
    let entry = |c: &Clearance| {
        let trail = archive.audit_trail(&filter, None, 10, c).expect("trail");
        trail
            .into_iter()
            .find(|e| e.target == b.id.to_string())
            .expect("the berkas's entry")
    };
    assert_eq!(entry(&sekretariat).detail, "…");
    assert!(entry(&admin()).detail.contains("Berkas rahasia negara"));
}

#[test]
fn an_office_imports_its_own_schedule_as_a_spreadsheet_saves_it() {
    let (_dir, archive, _) = archive_with(vec![DocKind::Undangan]);
    let csv = "\u{feff}code;series;active_years;inactive_years;outcome;note\n\
               PL.02.1;Daftar Pemilih Tetap;2;10;Permanen;PKPU 17/2023\n\
               UM.01;Surat undangan;1;1;Dinilai Kembali;\n";
    let n = archive
        .import_vocabulary(Vocabulary::Jra, csv, "uji")
        .expect("import");
    assert_eq!(n, 2);
    let rows = archive.jra(&admin()).expect("jra");
    let um = rows.iter().find(|r| r.code == "UM.01").expect("imported");
    assert_eq!(um.outcome, "dinilai-kembali");
    assert_eq!((um.active_years, um.inactive_years), (1, 1));

    // A berkas under a code below the row finds it.
    let b = archive
        .add_berkas(
            &NewBerkas {
                number: "PL.02.1.3/2024/7".into(),
                title: "DPT Kecamatan Bogor Tengah".into(),
                classification: Some("PL.02.1.3".into()),
                year_to: Some(2024),
                ..NewBerkas::default()
            },
            &admin(),
        )
        .expect("add");
    assert_eq!(b.jra_suggested.map(|r| r.code), Some("PL.02.1".into()));

    // A row a person cannot mean: refused with its line, nothing kept.
    let before = archive.jra(&admin()).expect("jra").len();
    let bad = "code,series,active_years,inactive_years,outcome,note\n\
               KU.09,Kas,2,8,musnah,\n\
               KU.10,Kas,dua,8,musnah,\n";
    let err = archive
        .import_vocabulary(Vocabulary::Jra, bad, "uji")
        .expect_err("refused");
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.to_string().contains("line 3"), "{err}");
    let unknown = "code,series,active_years,inactive_years,outcome,note\nKU.11,Kas,2,8,dibakar,\n";
    assert!(archive
        .import_vocabulary(Vocabulary::Jra, unknown, "uji")
        .is_err());
    assert_eq!(archive.jra(&admin()).expect("jra").len(), before);
    assert_eq!(
        archive
            .add_berkas(
                &NewBerkas {
                    number: "X/1".into(),
                    title: "Kode asing".into(),
                    classification: Some("ZZ.01".into()),
                    ..NewBerkas::default()
                },
                &admin(),
            )
            .expect_err("unknown code")
            .code,
        ErrorCode::InvalidInput
    );
}

#[test]
fn results_are_counted_by_berkas_only_as_far_as_the_reader_may_read_them() {
    use arsip_core::SearchRequest;
    let (_dir, archive, ids) = archive_with(vec![
        DocKind::BeritaAcara,
        DocKind::Undangan,
        DocKind::SkKpu,
    ]);
    let arsiparis = crate::arsiparis(&archive);
    let open = archive
        .add_berkas(&logistics(), &admin())
        .expect("berkas")
        .id;
    let mut secret = logistics();
    secret.number = "RHS/2019/001".into();
    secret.title = "Berkas pengaduan".into();
    secret.access = Some(AccessLevel::SangatRahasia);
    let secret = archive.add_berkas(&secret, &admin()).expect("berkas").id;
    let file = |b: arsip_core::BerkasId| RecordEdit {
        berkas: Some(b.to_string()),
        ..RecordEdit::default()
    };
    archive
        .edit_many(&ids[..2], &file(open), &admin())
        .expect("filed");
    archive
        .edit(&ids[2], &file(secret), &admin())
        .expect("filed");

    let everything = SearchRequest::new("");
    let counted = |c: &Clearance| -> Vec<(String, String, u64)> {
        archive
            .search(&everything, c)
            .expect("search")
            .facets
            .berkas
            .into_iter()
            .map(|b| (b.number, b.title, b.count))
            .collect()
    };
    assert_eq!(
        counted(&admin()),
        vec![
            (
                "PL.05/2019/001".into(),
                "Distribusi logistik Pemilu 2019".into(),
                2
            ),
            ("RHS/2019/001".into(), "Berkas pengaduan".into(), 1),
        ]
    );
    // The archivist reads the record in the secret berkas, not the berkas.
    assert_eq!(
        counted(&arsiparis),
        vec![(
            "PL.05/2019/001".into(),
            "Distribusi logistik Pemilu 2019".into(),
            2
        )]
    );
    assert!(counted(&publik()).is_empty());

    let in_berkas = |b: arsip_core::BerkasId, c: &Clearance| {
        let mut req = SearchRequest::new("");
        req.filters.berkas = Some(b.to_string());
        let mut hits: Vec<String> = archive
            .search(&req, c)
            .expect("search")
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect();
        hits.sort();
        hits
    };
    let mut first_two: Vec<String> = ids[..2].iter().map(|i| i.to_string()).collect();
    first_two.sort();
    assert_eq!(in_berkas(open, &arsiparis), first_two);
    assert_eq!(in_berkas(secret, &admin()), vec![ids[2].to_string()]);
    assert!(
        in_berkas(secret, &arsiparis).is_empty(),
        "not a berkas it reads"
    );
    assert!(
        in_berkas(open, &publik()).is_empty(),
        "the public has no berkas"
    );

    // A record's history says it was filed, but names the berkas only to
    // readers of its class: two records sharing a hidden id would tell
    // what an unreadable berkas holds.
    let history = |c: &Clearance| -> String {
        archive
            .record_history(&ids[2], c)
            .expect("history")
            .into_iter()
            .map(|e| e.detail)
            .collect::<Vec<_>>()
            .join(" | ")
    };
    assert!(history(&admin()).contains(&format!("berkas={secret}")));
    let seen = history(&arsiparis);
    assert!(!seen.contains(&secret.to_string()), "{seen}");
    assert!(seen.contains("berkas=…"), "{seen}");
    let sekretariat = as_role(&archive, "sekre1", Role::Sekretariat);
    let trail = archive
        .audit_trail(&Default::default(), None, 200, &sekretariat)
        .expect("trail");
    assert!(trail
        .iter()
        .all(|e| !e.detail.contains(&secret.to_string())));
    assert!(trail
        .iter()
        .any(|e| e.detail.contains(&format!("berkas={open}"))));

    // An export names each record's berkas where the reader reads it, and
    // filters as the search does.
    let csv = archive.export_search(&everything, &arsiparis).expect("csv");
    let line_of = |id: &RecordId| {
        csv.lines()
            .find(|l| l.starts_with(&id.to_string()))
            .expect("exported")
            .to_string()
    };
    assert!(csv
        .lines()
        .next()
        .expect("header")
        .ends_with(",nomor_berkas"));
    assert!(line_of(&ids[0]).ends_with(",PL.05/2019/001"));
    assert!(line_of(&ids[2]).ends_with(','), "{}", line_of(&ids[2]));
    let mut only_secret = SearchRequest::new("");
    only_secret.filters.berkas = Some(secret.to_string());
    let csv = archive
        .export_search(&only_secret, &arsiparis)
        .expect("csv");
    assert_eq!(csv.lines().count(), 1, "the header alone: {csv}");
    // The trail keeps what an export was filtered by (told to the admin).
    let exports = archive
        .audit_trail(
            &arsip_core::audit::AuditFilter {
                action: Some("search.export".into()),
                ..Default::default()
            },
            None,
            10,
            &admin(),
        )
        .expect("trail");
    assert!(
        exports[0].detail.contains(&format!("berkas={secret}")),
        "{:?}",
        exports[0]
    );

    // Filed elsewhere, a record is counted there at once.
    archive
        .edit(&ids[1], &file(secret), &admin())
        .expect("moved");
    assert_eq!(in_berkas(secret, &admin()).len(), 2);
    assert_eq!(counted(&arsiparis)[0].2, 1);
}
