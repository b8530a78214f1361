//! The trash: a deleted record leaves every list and search but keeps its
//! content until the admin restores it (found again, in search too) or its
//! berkas is destroyed, which destroys it with the rest of the berkas.

use crate::{admin, arsiparis, refused as code};
use arsip_core::catalogue::berkas::{BerkasEdit, NewBerkas};
use arsip_core::catalogue::RecordEdit;
use arsip_core::corpus::DocKind;
use arsip_core::disposal::DisposalStep;
use arsip_core::index::SearchRequest;
use arsip_core::ErrorCode;

fn found(a: &arsip_core::Archive, words: &str) -> usize {
    a.search(&SearchRequest::new(words), &admin())
        .expect("search")
        .total
}

#[test]
fn a_deleted_record_waits_in_the_trash_for_the_admin_and_goes_with_its_berkas() {
    let kinds = vec![DocKind::Undangan, DocKind::Undangan, DocKind::Undangan];
    let (_dir, a, ids, truths) = crate::ingested(kinds, 31);
    let arsiparis = arsiparis(&a);
    let word = truths[0].title.clone();
    assert!(found(&a, &word) >= 1);

    a.delete(&ids[0], &arsiparis).expect("delete");
    assert_eq!(code(a.record(&ids[0], &admin())), ErrorCode::NotFound);
    let before = found(&a, &word);
    assert_eq!(code(a.trash(&arsiparis)), ErrorCode::AccessDenied);
    let trash = a.trash(&admin()).expect("trash");
    assert_eq!(trash.len(), 1);
    assert_eq!(trash[0].id, ids[0]);
    assert!(trash[0].pages >= 1);
    assert_eq!(
        code(a.restore_record(&ids[0], &arsiparis)),
        ErrorCode::AccessDenied,
        "only the admin restores"
    );
    a.restore_record(&ids[0], &admin()).expect("restore");
    a.record(&ids[0], &admin()).expect("back as it was");
    assert!(found(&a, &word) > before, "found again by its words");
    assert!(a.trash(&admin()).expect("trash").is_empty());
    // Its history tells it, newest first, to staff who read it.
    let history: Vec<String> = a
        .record_history(&ids[0], &arsiparis)
        .expect("history")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        history[..2],
        ["record.restore", "record.delete"],
        "{history:?}"
    );
    assert_eq!(
        code(a.record_history(&ids[0], &crate::publik())),
        ErrorCode::AccessDenied
    );
    assert_eq!(
        code(a.restore_record(&ids[0], &admin())),
        ErrorCode::NotFound,
        "a live record is not in the trash"
    );

    // Filed in a berkas due for destruction, then deleted: the list takes
    // it with the live ones, and carrying it out empties it from the trash.
    let b = a
        .add_berkas(
            &NewBerkas {
                number: "UM/2019/T01".into(),
                title: "Undangan rapat 2019".into(),
                classification: Some("UM".into()),
                year_to: Some(2019),
                ..NewBerkas::default()
            },
            &admin(),
        )
        .expect("berkas")
        .id;
    let confirm = BerkasEdit {
        jra: Some("UM".into()),
        ..BerkasEdit::default()
    };
    a.edit_berkas(&b, &confirm, &admin()).expect("jra");
    let file = RecordEdit {
        berkas: Some(b.to_string()),
        ..RecordEdit::default()
    };
    a.edit_many(&ids[..2], &file, &admin()).expect("file");
    a.delete(&ids[1], &arsiparis).expect("delete");
    let list = a
        .propose_destruction(&[b], "", &arsiparis)
        .expect("propose");
    assert_eq!(
        list.entries[0].records, 2,
        "the trashed record is listed too"
    );
    assert_eq!(
        code(a.restore_record(&ids[1], &admin())),
        ErrorCode::BerkasLocked,
        "not taken back from under an open list"
    );
    for step in [
        DisposalStep::Assess {
            assessment: "dinilai".into(),
        },
        DisposalStep::Approve {
            approval_ref: "Nomor 1/2026".into(),
        },
        DisposalStep::CarryOut {
            ba_number: "1/BA/2026".into(),
            witnesses: vec!["Siti".into(), "Budi".into()],
            executor: None,
            head: None,
        },
    ] {
        a.disposal_step(&list.id, &step, &admin()).expect("step");
    }
    assert!(a.trash(&admin()).expect("trash").is_empty(), "emptied");
    assert_eq!(
        code(a.restore_record(&ids[1], &admin())),
        ErrorCode::NotFound
    );
    assert_eq!(code(a.record(&ids[0], &admin())), ErrorCode::NotFound);
    assert_eq!(a.verify().expect("verify").problems(), 0);
}
