//! Berkas through sync: an office's records reach the province in their
//! berkas (the same numbers at many offices), follow every later change to
//! the berkas or its box without a record edit, stay that office's to
//! change, and come back to an office rebuilt from what it pushed.

use crate::{admin, folder, ids, office, province, push, rebuild, record_ids};
use arsip_core::catalogue::berkas::{Berkas, BerkasEdit, NewBerkas};
use arsip_core::catalogue::storage::{BoxEdit, NewBox};
use arsip_core::catalogue::RecordEdit;
use arsip_core::{Archive, BerkasId, ErrorCode, RecordId, SearchRequest};

const NUMBER: &str = "PL.07/2024/001";

fn new_berkas(archive: &Archive, title: &str) -> Berkas {
    archive
        .add_berkas(
            &NewBerkas {
                number: NUMBER.into(),
                title: title.into(),
                classification: Some("PL.07".into()),
                year_from: Some(2024),
                year_to: Some(2024),
                ..NewBerkas::default()
            },
            &admin(),
        )
        .unwrap()
}

/// A box `archive` received, numbered `number`.
fn received_box(archive: &Archive, number: &str) -> arsip_core::catalogue::storage::ArchiveBox {
    let new = NewBox {
        number: number.into(),
        ..NewBox::default()
    };
    archive.add_box(&new, &admin()).unwrap().archive_box
}

/// Files `records` into `berkas` (None: takes them out of any).
fn file(archive: &Archive, records: &[RecordId], berkas: Option<&BerkasId>) {
    let edit = RecordEdit {
        berkas: Some(berkas.map(|b| b.to_string()).unwrap_or_default()),
        ..RecordEdit::default()
    };
    archive.edit_many(records, &edit, &admin()).unwrap();
}

/// The berkas `office` sent, as the province lists them.
fn sent_by(prov: &Archive, office: &str) -> Vec<Berkas> {
    prov.berkas_list(&admin())
        .unwrap()
        .into_iter()
        .filter(|b| b.office.as_deref() == Some(office))
        .collect()
}

fn refused(result: arsip_core::Result<impl std::fmt::Debug>) -> Option<ErrorCode> {
    result.err().map(|e| e.code)
}

#[test]
fn an_office_berkas_reaches_the_province_and_follows_its_changes() {
    let dir = tempfile::tempdir().unwrap();
    let drive = folder(&dir.path().join("usb"));
    let bogor = office(&dir.path().join("bogor"), "KPU Kota Bogor", "32.71", 3, 21);
    let depok = office(&dir.path().join("depok"), "KPU Kota Depok", "32.76", 2, 22);
    // Both offices number their berkas the same way.
    let bb = new_berkas(&bogor, "Rekapitulasi hasil Pemilu 2024 (Bogor)");
    let db = new_berkas(&depok, "Rekapitulasi hasil Pemilu 2024 (Depok)");
    let shelf_box = received_box(&bogor, "B-07");
    let put = BerkasEdit {
        in_box: Some(shelf_box.id.to_string()),
        folder: Some("3".into()),
        jra: Some("PL.07".into()),
        ..BerkasEdit::default()
    };
    bogor.edit_berkas(&bb.id, &put, &admin()).unwrap();
    let at_bogor = record_ids(&bogor);
    file(&bogor, &at_bogor[..2], Some(&bb.id));
    file(&depok, &record_ids(&depok), Some(&db.id));
    push(&bogor, &drive);
    push(&depok, &drive);

    let prov = province(&dir.path().join("prov"), &[&bogor, &depok]);
    // The province's own berkas may carry the same number too.
    new_berkas(&prov, "Berkas provinsi");
    let pulled = prov.sync_pull(&drive, &admin()).unwrap();
    assert!(pulled.complete(), "{pulled:?}");
    let here = sent_by(&prov, "KPU Kota Bogor");
    assert_eq!(here.len(), 1, "{here:?}");
    let b = &here[0];
    // Kept under an id of the province's own, made from the office's.
    let kept = b.id;
    assert_ne!(kept, bb.id);
    assert_eq!(
        (
            b.number.as_str(),
            b.title.as_str(),
            b.records,
            b.box_label.as_deref(),
            b.folder.as_deref(),
            b.jra.as_ref().map(|r| r.code.as_str()),
            b.jra_by.as_deref(),
            b.year_to,
        ),
        (
            NUMBER,
            "Rekapitulasi hasil Pemilu 2024 (Bogor)",
            2,
            Some("B-07"),
            Some("3"),
            Some("PL.07"),
            Some("uji"),
            Some(2024),
        )
    );
    assert_eq!(sent_by(&prov, "KPU Kota Depok")[0].records, 2);
    // The record page names its berkas; a search within it finds its records.
    let view = prov.record(&at_bogor[0], &admin()).unwrap();
    assert_eq!(view.berkas.map(|b| b.id), Some(kept));
    let mut within = SearchRequest::new(String::new());
    within.filters.berkas = Some(kept.to_string());
    let mut expected: Vec<String> = at_bogor[..2].iter().map(|i| i.to_string()).collect();
    expected.sort();
    assert_eq!(ids(&prov, within.clone()), expected);
    // Another office's berkas fall due at that office: the province's
    // retention report holds only its own berkas.
    let due = prov.retention_report(None, &admin()).unwrap();
    assert_eq!(due.unconfirmed.len(), 1);
    assert!(due.unconfirmed.iter().all(|b| b.office.is_none()));
    assert_eq!(
        due.unfiled, 0,
        "an office's records are that office's to file"
    );

    // The province cannot change, list, or file into another office's
    // berkas, nor change its records: only that office can, and its log
    // would undo (or stop at) a change made here.
    let retitle = BerkasEdit {
        title: Some("Diubah di provinsi".into()),
        ..BerkasEdit::default()
    };
    assert_eq!(
        refused(prov.edit_berkas(&kept, &retitle, &admin())),
        Some(ErrorCode::OtherOffice)
    );
    let rename = RecordEdit {
        title: Some("Diubah di provinsi".into()),
        ..RecordEdit::default()
    };
    assert_eq!(
        refused(prov.edit(&at_bogor[0], &rename, &admin())),
        Some(ErrorCode::OtherOffice)
    );
    assert_eq!(
        refused(prov.propose_destruction(&[kept], "", &admin())),
        Some(ErrorCode::OtherOffice)
    );
    assert_eq!(
        refused(prov.delete(&at_bogor[0], &admin())),
        Some(ErrorCode::OtherOffice)
    );

    // The office renumbers the box its berkas is in and takes a record
    // out; then retitles the berkas. The province follows each, though the
    // record left in it never changed.
    let renumber = BoxEdit {
        number: Some("B-08".into()),
        ..BoxEdit::default()
    };
    bogor.edit_box(&shelf_box.id, &renumber, &admin()).unwrap();
    file(&bogor, &at_bogor[1..2], None);
    push(&bogor, &drive);
    assert!(prov.sync_pull(&drive, &admin()).unwrap().complete());
    let b = &sent_by(&prov, "KPU Kota Bogor")[0];
    assert_eq!((b.box_label.as_deref(), b.records), (Some("B-08"), 1));
    assert_eq!(prov.record(&at_bogor[1], &admin()).unwrap().berkas, None);
    assert_eq!(ids(&prov, within), vec![at_bogor[0].to_string()]);
    let retitle = BerkasEdit {
        title: Some("Rekapitulasi hasil Pemilu 2024 Kota Bogor".into()),
        ..BerkasEdit::default()
    };
    bogor.edit_berkas(&bb.id, &retitle, &admin()).unwrap();
    // Depok empties its berkas: it leaves the province's list.
    file(&depok, &record_ids(&depok), None);
    push(&bogor, &drive);
    push(&depok, &drive);
    let pulled = prov.sync_pull(&drive, &admin()).unwrap();
    assert!(pulled.complete(), "{pulled:?}");
    let b = &sent_by(&prov, "KPU Kota Bogor")[0];
    assert_eq!(b.title, "Rekapitulasi hasil Pemilu 2024 Kota Bogor");
    assert!(sent_by(&prov, "KPU Kota Depok").is_empty());
    assert_eq!(prov.verify().unwrap().problems(), 0);
}

#[test]
fn a_rebuilt_office_gets_its_berkas_back() {
    let dir = tempfile::tempdir().unwrap();
    let drive = folder(&dir.path().join("usb"));
    let bogor = office(&dir.path().join("bogor"), "KPU Kota Bogor", "32.71", 2, 23);
    let bb = new_berkas(&bogor, "Rekapitulasi hasil Pemilu 2024");
    let shelf_box = received_box(&bogor, "B-07");
    let put = BerkasEdit {
        in_box: Some(shelf_box.id.to_string()),
        jra: Some("PL.07".into()),
        ..BerkasEdit::default()
    };
    bogor.edit_berkas(&bb.id, &put, &admin()).unwrap();
    let records = record_ids(&bogor);
    file(&bogor, &records, Some(&bb.id));
    push(&bogor, &drive);

    let key = bogor.office_key().unwrap();
    let (rebuilt, _) = rebuild(&drive, &key, &dir.path().join("rebuilt"));
    let list = rebuilt.berkas_list(&admin()).unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    let b = &list[0];
    assert_eq!(
        (
            b.id,
            b.number.as_str(),
            b.office.as_deref(),
            b.records,
            b.box_label.as_deref(),
            b.jra.as_ref().map(|r| r.code.as_str()),
        ),
        (bb.id, NUMBER, None, 2, Some("B-07"), Some("PL.07"))
    );
    // Its own again: the rebuilt office edits it, and a new berkas cannot
    // take its number.
    let retitle = BerkasEdit {
        title: Some("Rekapitulasi hasil Pemilu 2024 Kota Bogor".into()),
        ..BerkasEdit::default()
    };
    rebuilt.edit_berkas(&bb.id, &retitle, &admin()).unwrap();
    let again = rebuilt.add_berkas(
        &NewBerkas {
            number: NUMBER.into(),
            title: "Lain".into(),
            ..NewBerkas::default()
        },
        &admin(),
    );
    assert_eq!(refused(again), Some(ErrorCode::NumberTaken));
}

/// An office cannot take another office's berkas at the province, whatever
/// id it sends (its own catalogue altered to name the other's berkas): each
/// office's berkas is kept under an id made from its own key, so both
/// berkas stay apart and the owner's later changes keep arriving.
#[test]
fn an_office_cannot_take_over_another_offices_berkas() {
    let dir = tempfile::tempdir().unwrap();
    let drive = folder(&dir.path().join("usb"));
    let bogor = office(&dir.path().join("bogor"), "KPU Kota Bogor", "32.71", 2, 24);
    let depok = office(&dir.path().join("depok"), "KPU Kota Depok", "32.76", 1, 25);
    let bb = new_berkas(&bogor, "Rekapitulasi Bogor");
    file(&bogor, &record_ids(&bogor), Some(&bb.id));
    push(&bogor, &drive);
    let prov = province(&dir.path().join("prov"), &[&bogor, &depok]);
    assert!(prov.sync_pull(&drive, &admin()).unwrap().complete());
    // Depok reads Bogor's berkas id off the shared drive and names it as
    // its own (its catalogue edited by hand), then sends a record in it.
    let db = new_berkas(&depok, "Milik Depok");
    file(&depok, &record_ids(&depok), Some(&db.id));
    let conn = rusqlite::Connection::open(depok.root().join("catalogue.sqlite")).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = OFF;
         UPDATE berkas SET id = '{b}' WHERE id = '{d}';
         UPDATE record SET berkas_id = '{b}' WHERE berkas_id = '{d}';",
        b = bb.id,
        d = db.id
    ))
    .unwrap();
    drop(conn);
    push(&depok, &drive);
    assert!(prov.sync_pull(&drive, &admin()).unwrap().complete());
    let titles = |office: &str| -> Vec<String> {
        sent_by(&prov, office)
            .into_iter()
            .map(|b| b.title)
            .collect()
    };
    assert_eq!(titles("KPU Kota Bogor"), vec!["Rekapitulasi Bogor"]);
    assert_eq!(titles("KPU Kota Depok"), vec!["Milik Depok"]);
    // Bogor's next change still arrives.
    let retitle = BerkasEdit {
        title: Some("Rekapitulasi hasil Kota Bogor".into()),
        ..BerkasEdit::default()
    };
    bogor.edit_berkas(&bb.id, &retitle, &admin()).unwrap();
    push(&bogor, &drive);
    let pulled = prov.sync_pull(&drive, &admin()).unwrap();
    assert!(pulled.complete(), "{pulled:?}");
    assert_eq!(
        titles("KPU Kota Bogor"),
        vec!["Rekapitulasi hasil Kota Bogor"]
    );
    assert_eq!(titles("KPU Kota Depok"), vec!["Milik Depok"]);
}
