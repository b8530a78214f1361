//! Destruction (pemusnahan): a berkas whose retention is over is proposed
//! for destruction, assessed, approved by the admin and carried out before
//! witnesses; its content is gone from the disk, the index and search,
//! its catalogue entry and audit trail stay, and the lists and berita
//! acara read back from their PDFs.

use crate::{admin, publik};
use arsip_core::catalogue::berkas::{BerkasEdit, NewBerkas};
use arsip_core::catalogue::RecordEdit;
use arsip_core::corpus::DocKind;
use arsip_core::disposal::documents::Document;
use arsip_core::disposal::DisposalStep;
use arsip_core::index::SearchRequest;
use arsip_core::{AccessLevel, Archive, BerkasId, ErrorCode, Role};
use std::process::Command;

struct Office {
    _dir: tempfile::TempDir,
    archive: Archive,
    ids: Vec<arsip_core::RecordId>,
    words: Vec<String>,
}

fn office() -> Office {
    let kinds = vec![DocKind::Undangan, DocKind::Undangan, DocKind::BeritaAcara];
    let (dir, archive, ids, truths) = crate::ingested(kinds, 29);
    // A word only each record's text holds: its title as ingest read it.
    let words = truths.iter().map(|t| t.title.clone()).collect();
    Office {
        _dir: dir,
        archive,
        ids,
        words,
    }
}

fn berkas(
    archive: &Archive,
    number: &str,
    code: &str,
    records: &[arsip_core::RecordId],
) -> BerkasId {
    let b = archive
        .add_berkas(
            &NewBerkas {
                number: number.into(),
                title: format!("Undangan rapat {number}"),
                classification: Some(code.into()),
                year_from: Some(2018),
                year_to: Some(2019),
                ..NewBerkas::default()
            },
            &admin(),
        )
        .expect("berkas");
    let confirm = BerkasEdit {
        jra: Some(code.into()),
        ..BerkasEdit::default()
    };
    archive.edit_berkas(&b.id, &confirm, &admin()).expect("jra");
    let file = RecordEdit {
        berkas: Some(b.id.to_string()),
        ..RecordEdit::default()
    };
    archive.edit_many(records, &file, &admin()).expect("file");
    b.id
}

use crate::logged_in as as_role;
use crate::refused as code;

/// A PDF's text as pdftotext reads it, after qpdf found it sound.
fn read_back(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("d.pdf");
    std::fs::write(&path, pdf).expect("write");
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .expect("qpdf");
    assert!(check.status.success(), "qpdf --check: {check:?}");
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn step(assess: &str) -> DisposalStep {
    DisposalStep::Assess {
        assessment: assess.into(),
    }
}

#[test]
fn a_destruction_proposed_assessed_approved_and_carried_out_leaves_only_its_tombstone() {
    let o = office();
    let a = &o.archive;
    let arsiparis = crate::arsiparis(a);
    let sekretariat = as_role(a, "sekre1", Role::Sekretariat);
    // UM: 2 years active, 3 inactive, destroy; closed 2019, due since 2025.
    let due = berkas(a, "UM/2019/001", "UM", &o.ids[..2]);
    let kept = berkas(a, "PL.07/2019/001", "PL.07", &o.ids[2..]);
    // Its paper in a box, and lent out before it is proposed.
    let shelf = arsip_core::catalogue::storage::NewBox {
        number: "B-D1".into(),
        ..Default::default()
    };
    let in_box = a.add_box(&shelf, &admin()).expect("box").archive_box.id;
    let into_box = BerkasEdit {
        in_box: Some(in_box.to_string()),
        ..BerkasEdit::default()
    };
    a.edit_berkas(&due, &into_box, &admin()).expect("into box");
    let today = a.loans(None, true, &admin()).expect("loans").on;
    let out = arsip_core::catalogue::loans::NewLoan {
        berkas: Some(due),
        borrower: "Budi".into(),
        unit: "Hukum".into(),
        due_on: today,
        ..Default::default()
    };
    let loan = a.lend(&out, &admin()).expect("lend").id;

    assert_eq!(
        code(a.propose_destruction(&[kept], "", &arsiparis)),
        ErrorCode::NotDue,
        "permanent records are never proposed"
    );
    assert_eq!(
        code(a.propose_destruction(&[due], "", &sekretariat)),
        ErrorCode::AccessDenied
    );
    // Paper that is out comes back before it is listed.
    assert_eq!(
        code(a.propose_destruction(&[due], "", &arsiparis)),
        ErrorCode::OnLoan
    );
    let back = arsip_core::catalogue::loans::LoanReturn {
        condition: arsip_core::catalogue::storage::Condition::Baik,
        note: String::new(),
    };
    a.return_loan(&loan, &back, &admin()).expect("back");
    let list = a
        .propose_destruction(&[due], "Usul musnah tahun 2026", &arsiparis)
        .expect("propose");
    assert_eq!(list.entries.len(), 1);
    assert_eq!(list.entries[0].records, 2);
    assert!(list.entries[0].pages >= 2);
    assert!(
        !list.needs_anri(),
        "five years in all: the head of the office approves"
    );
    assert_eq!(
        code(a.propose_destruction(&[due], "", &arsiparis)),
        ErrorCode::NotDue,
        "on an open list already"
    );
    // What the list names stays what it names until it is done.
    let into = RecordEdit {
        berkas: Some(due.to_string()),
        ..RecordEdit::default()
    };
    assert_eq!(
        code(a.edit(&o.ids[2], &into, &arsiparis)),
        ErrorCode::BerkasLocked
    );
    let out = RecordEdit {
        berkas: Some(String::new()),
        ..RecordEdit::default()
    };
    assert_eq!(
        code(a.edit(&o.ids[0], &out, &arsiparis)),
        ErrorCode::BerkasLocked
    );
    let redate = BerkasEdit {
        year_to: Some(1990),
        ..BerkasEdit::default()
    };
    assert_eq!(
        code(a.edit_berkas(&due, &redate, &admin())),
        ErrorCode::BerkasLocked
    );

    let text = read_back(
        &a.disposal_document(&list.id, Document::ListPdf, &sekretariat)
            .expect("list pdf"),
    );
    for expected in [
        "KOMISI PEMILIHAN UMUM KOTA BOGOR",
        "DAFTAR ARSIP USUL MUSNAH",
        "UM/2019/001",
        "Undangan rapat",
        "2018–2019",
        "2 arsip",
        "1 berkas, 2 arsip",
        "Bogor,",
        "Yang mengusulkan",
        "Halaman 1 dari 1",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    let csv = String::from_utf8(
        a.disposal_document(&list.id, Document::ListCsv, &arsiparis)
            .expect("csv"),
    )
    .expect("utf-8");
    assert!(
        csv.contains("UM/2019/001,Undangan rapat UM/2019/001,2018–2019,Asli,2,"),
        "{csv}"
    );
    // The same rows as a spreadsheet, as openpyxl reads it: the counts
    // are numbers an office can sum, the rest text.
    let sheet = crate::print::xlsx_cells(
        &a.disposal_document(&list.id, Document::ListXlsx, &arsiparis)
            .expect("xlsx"),
    );
    assert_eq!(sheet.len(), 2, "{sheet:?}");
    assert_eq!(
        sheet[0][..4],
        [
            "no",
            "kode_klasifikasi",
            "nomor_berkas",
            "uraian_informasi_berkas"
        ]
    );
    assert_eq!(sheet[1][0], "n:1");
    assert_eq!(sheet[1][2], "UM/2019/001");
    assert_eq!(sheet[1][4], "2018–2019");
    assert_eq!(sheet[1][6], "n:2", "jumlah_arsip");

    // Steps in their order, each by whom it belongs to.
    let approve = DisposalStep::Approve {
        approval_ref: "Surat Sekretaris KPU Kota Bogor Nomor 12/UM/2026".into(),
    };
    assert_eq!(
        code(a.disposal_step(&list.id, &approve, &admin())),
        ErrorCode::WrongStep
    );
    assert_eq!(
        code(a.disposal_step(&list.id, &step("diperiksa"), &sekretariat)),
        ErrorCode::AccessDenied
    );
    a.disposal_step(
        &list.id,
        &step("Tim memeriksa 2 arsip: tidak ada yang perlu dipertahankan"),
        &arsiparis,
    )
    .expect("assess");
    assert_eq!(
        code(a.disposal_step(&list.id, &approve, &arsiparis)),
        ErrorCode::AccessDenied,
        "only the admin approves"
    );
    a.disposal_step(&list.id, &approve, &admin())
        .expect("approve");
    let cancel = DisposalStep::Cancel {
        reason: "tidak jadi".into(),
    };
    assert_eq!(
        code(a.disposal_step(&list.id, &cancel, &arsiparis)),
        ErrorCode::AccessDenied,
        "an approved list is cancelled only by an admin"
    );
    let one_witness = DisposalStep::CarryOut {
        ba_number: "1/UM.01-BA/3271/2026".into(),
        witnesses: vec!["Siti Aminah".into()],
        executor: None,
        head: None,
    };
    assert_eq!(
        code(a.disposal_step(&list.id, &one_witness, &admin())),
        ErrorCode::InvalidInput
    );

    let files: Vec<_> = o.ids[..2]
        .iter()
        .flat_map(|id| a.record(id, &admin()).expect("view").files)
        .collect();
    assert!(!files.is_empty() && files.iter().all(|f| blob(a, &f.sha256).exists()));
    let carry_out = DisposalStep::CarryOut {
        ba_number: "1/UM.01-BA/3271/2026".into(),
        witnesses: vec!["Siti Aminah".into(), "Budi Santoso".into()],
        executor: Some(arsip_core::digitisation::Signer {
            name: "Dewi Lestari".into(),
            nip: Some("198705122010012003".into()),
            position: Some("Pengelola Arsip".into()),
        }),
        head: Some(arsip_core::digitisation::Signer {
            name: "Ahmad Fauzi".into(),
            nip: Some("197001011995031001".into()),
            position: Some("Sekretaris KPU Kota Bogor".into()),
        }),
    };
    // Nor is it lent once listed, alone or in its box.
    let again = arsip_core::catalogue::loans::NewLoan {
        berkas: Some(due),
        borrower: "Budi".into(),
        unit: "Hukum".into(),
        due_on: a.loans(None, true, &admin()).expect("loans").on,
        ..Default::default()
    };
    assert_eq!(code(a.lend(&again, &admin())), ErrorCode::BerkasLocked);
    let whole = arsip_core::catalogue::loans::NewLoan {
        berkas: None,
        in_box: Some(in_box),
        ..again
    };
    assert_eq!(code(a.lend(&whole, &admin())), ErrorCode::BerkasLocked);
    assert_eq!(
        code(a.edit_box(
            &in_box,
            &arsip_core::catalogue::storage::BoxEdit {
                number: Some("B-D2".into()),
                ..Default::default()
            },
            &admin()
        )),
        ErrorCode::BerkasLocked,
        "the box a list names stays as the list names it"
    );
    let done = a
        .disposal_step(&list.id, &carry_out, &admin())
        .expect("carry out");
    assert_eq!(done.entries[0].box_no.as_deref(), Some("B-D1"));
    assert!(
        a.archive_box(&in_box, &admin())
            .expect("box")
            .berkas
            .is_empty(),
        "destroyed paper has left its box"
    );
    assert_eq!(
        done.state,
        arsip_core::catalogue::disposal::DisposalState::Done
    );

    // The content is gone: originals, pages, search; the rest stands.
    for f in &files {
        assert!(!blob(a, &f.sha256).exists(), "{} still on disk", f.name);
    }
    for id in &o.ids[..2] {
        assert_eq!(code(a.record(id, &admin())), ErrorCode::NotFound);
    }
    for (i, word) in o.words.iter().enumerate() {
        let mut req = SearchRequest::new(word);
        req.limit = 50;
        let hits = a.search(&req, &admin()).expect("search");
        let found = hits.hits.iter().any(|h| h.id == o.ids[i].to_string());
        assert_eq!(found, i == 2, "record {i} after the destruction: {word}");
    }
    assert!(
        a.record(&o.ids[2], &admin()).is_ok(),
        "another berkas's record stays"
    );
    let report = a.verify().expect("verify");
    assert_eq!(report.problems(), 0, "{report:?}");
    assert_eq!(a.audit_verify(&admin()).expect("audit").first_broken, None);
    let filter = arsip_core::audit::AuditFilter {
        action: Some("record.destroy".into()),
        ..Default::default()
    };
    let trail = a.audit_trail(&filter, None, 10, &admin()).expect("trail");
    assert_eq!(trail.len(), 2);
    assert!(trail.iter().all(|e| e.detail == "ba=1/UM.01-BA/3271/2026"));
    assert_eq!(
        a.berkas(&due, &admin()).expect("berkas").stage.code(),
        "musnah"
    );
    // Each step is named to readers of the list in the audit trail.
    let steps = arsip_core::audit::AuditFilter {
        action: Some("disposal.done".into()),
        ..Default::default()
    };
    let entry = a.audit_trail(&steps, None, 5, &sekretariat).expect("trail");
    assert_eq!(entry.len(), 1);
    assert!(entry[0].detail.contains("Budi Santoso"), "{:?}", entry[0]);

    let ba = read_back(
        &a.disposal_document(&list.id, Document::BeritaAcaraPdf, &admin())
            .expect("ba"),
    );
    // Prose wraps where the page ends a line.
    let ba = ba.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "BERITA ACARA PEMUSNAHAN ARSIP",
        "Nomor: 1/UM.01-BA/3271/2026",
        "1 berkas, 2 arsip",
        "Surat Sekretaris KPU Kota Bogor Nomor 12/UM/2026",
        "1. Siti Aminah",
        "2. Budi Santoso",
        "Saksi-saksi",
        "Mengetahui,",
        "Sekretaris KPU Kota Bogor,",
        "Yang melaksanakan pemusnahan,",
        "Pengelola Arsip,",
        "( Ahmad Fauzi )",
        "NIP. 197001011995031001",
        "( Dewi Lestari )",
        "NIP. 198705122010012003",
    ] {
        assert!(ba.contains(expected), "{expected:?} in\n{ba}");
    }
    assert!(
        !ba.contains("KPU Provinsi"),
        "an office that never synced says nothing of it"
    );
    let list_after = read_back(
        &a.disposal_document(&list.id, Document::ListPdf, &admin())
            .expect("list"),
    );
    assert!(list_after.contains("DAFTAR ARSIP MUSNAH"), "{list_after}");
    assert!(
        list_after.contains("Lampiran Berita Acara Pemusnahan Arsip Nomor 1/UM.01-BA/3271/2026")
    );
    // Once done, nothing more is done to it.
    assert_eq!(
        code(a.disposal_step(&list.id, &carry_out, &admin())),
        ErrorCode::WrongStep
    );

    // The public has none of it.
    assert_eq!(code(a.disposals(&publik())), ErrorCode::AccessDenied);
    assert_eq!(
        code(a.disposal_document(&list.id, Document::ListCsv, &publik())),
        ErrorCode::AccessDenied
    );
    // And the archive opens again whole.
    let root = a.root().to_path_buf();
    drop(o.archive);
    let again = Archive::open(&root).expect("open");
    assert_eq!(again.verify().expect("verify").problems(), 0);
}

fn blob(a: &Archive, sha: &arsip_core::ContentHash) -> std::path::PathBuf {
    arsip_core::blobs::BlobStore::open(a.root().join("blobs"))
        .expect("blobs")
        .path_of(sha)
}

#[test]
fn a_list_is_read_whole_or_not_at_all_and_nothing_above_a_clearance_is_proposed() {
    let o = office();
    let a = &o.archive;
    let arsiparis = crate::arsiparis(a);
    let secret = RecordEdit {
        access: Some(AccessLevel::SangatRahasia),
        ..RecordEdit::default()
    };
    a.edit(&o.ids[1], &secret, &admin()).expect("secret");
    let b = berkas(a, "UM/2019/009", "UM", &o.ids[..2]);
    // The archivist reads the berkas but not every record in it.
    assert_eq!(
        code(a.propose_destruction(&[b], "", &arsiparis)),
        ErrorCode::NotFound
    );
    let list = a.propose_destruction(&[b], "", &admin()).expect("admin's");
    assert!(a.disposals(&arsiparis).expect("lists").is_empty());
    assert_eq!(code(a.disposal(&list.id, &arsiparis)), ErrorCode::NotFound);
    assert_eq!(
        code(a.disposal_step(&list.id, &step("x"), &arsiparis)),
        ErrorCode::NotFound
    );
    assert_eq!(
        code(a.disposal_document(&list.id, Document::ListPdf, &arsiparis)),
        ErrorCode::NotFound
    );
}

/// Copies this archive cannot reach: a record another office wrote (its
/// office destroys it, and its log carries the destruction here). Copies
/// this office pushed itself are re-sealed and sent again instead (see
/// arsip-remote's `destruction` tests).
#[test]
fn a_destruction_waits_while_copies_are_out_of_reach() {
    let o = office();
    let a = &o.archive;
    let b = berkas(a, "UM/2019/002", "UM", &o.ids[..1]);
    let list = a.propose_destruction(&[b], "", &admin()).expect("propose");
    a.disposal_step(&list.id, &step("dinilai"), &admin())
        .expect("assess");
    let approve = DisposalStep::Approve {
        approval_ref: "Nomor 3/2026".into(),
    };
    a.disposal_step(&list.id, &approve, &admin())
        .expect("approve");
    // The record is a copy of another office's (as at a province).
    let conn = rusqlite::Connection::open(a.root().join("catalogue.sqlite")).expect("db");
    conn.execute(
        "UPDATE record SET office = ?1 WHERE id = ?2",
        ("ab".repeat(32), o.ids[0].to_string()),
    )
    .expect("office");
    let carry_out = DisposalStep::CarryOut {
        ba_number: "2/BA/2026".into(),
        witnesses: vec!["A".into(), "B".into()],
        executor: None,
        head: None,
    };
    assert_eq!(
        code(a.disposal_step(&list.id, &carry_out, &admin())),
        ErrorCode::SyncedCopies
    );
    assert!(a.record(&o.ids[0], &admin()).is_ok(), "nothing destroyed");
    assert_eq!(
        a.disposal(&list.id, &admin()).expect("list").state,
        arsip_core::catalogue::disposal::DisposalState::Approved
    );
}

#[test]
fn nothing_leaves_or_enters_a_berkas_on_an_open_destruction_list() {
    let o = office();
    let a = &o.archive;
    let b = berkas(a, "UM/2019/003", "UM", &o.ids[..2]);
    let list = a.propose_destruction(&[b], "", &admin()).expect("propose");
    a.disposal_step(&list.id, &step("dinilai"), &admin())
        .expect("assess");
    let approve = DisposalStep::Approve {
        approval_ref: "Nomor 4/2026".into(),
    };
    a.disposal_step(&list.id, &approve, &admin())
        .expect("approve");
    // No page leaves a berkas on an open list for a record outside it,
    // nor comes in.
    assert_eq!(
        code(a.move_pages(&o.ids[0], &[1], Some(&o.ids[2]), &admin())),
        ErrorCode::BerkasLocked
    );
    assert_eq!(
        code(a.move_pages(&o.ids[2], &[1], Some(&o.ids[0]), &admin())),
        ErrorCode::BerkasLocked
    );
    assert_eq!(
        code(a.move_pages(&o.ids[0], &[1], None, &admin())),
        ErrorCode::BerkasLocked
    );
    // Nor is a record on it deleted meanwhile (one deleted before it was
    // proposed is taken from the trash: see trash.rs).
    assert_eq!(code(a.delete(&o.ids[1], &admin())), ErrorCode::BerkasLocked);
    let carry_out = DisposalStep::CarryOut {
        ba_number: "5/BA/2026".into(),
        witnesses: vec!["A".into(), "B".into()],
        executor: None,
        head: None,
    };
    a.disposal_step(&list.id, &carry_out, &admin())
        .expect("carried out");
    assert!(a.trash(&admin()).expect("trash").is_empty());
    for id in &o.ids[..2] {
        assert_eq!(code(a.record(id, &admin())), ErrorCode::NotFound);
    }
    assert!(a.record(&o.ids[2], &admin()).is_ok(), "outside the berkas");
}

#[test]
fn a_blob_waiting_to_be_removed_stays_when_a_record_uses_it_again() {
    let o = office();
    let root = o.archive.root().to_path_buf();
    let file = o.archive.record(&o.ids[0], &admin()).expect("view").files[0].clone();
    drop(o.archive);
    // As if a destruction had listed it, and the same scan were archived
    // again before the removal ran.
    let conn = rusqlite::Connection::open(root.join("catalogue.sqlite")).expect("db");
    conn.execute(
        "INSERT INTO disposal (id, kind, state, proposed_by, proposed_at) VALUES ('d', 'musnah', 'done', 'x', 'now')",
        [],
    )
    .expect("list");
    conn.execute(
        "INSERT INTO blob_purge (sha256, disposal_id) VALUES (?1, 'd')",
        [file.sha256.to_hex()],
    )
    .expect("purge");
    drop(conn);
    let again = Archive::open(&root).expect("open");
    let path = arsip_core::blobs::BlobStore::open(root.join("blobs"))
        .expect("blobs")
        .path_of(&file.sha256);
    assert!(path.exists(), "a live record's original was removed");
    assert_eq!(again.verify().expect("verify").problems(), 0);
}

#[test]
fn a_transfer_approved_and_carried_out_makes_its_berkas_inactive_and_keeps_them() {
    use arsip_core::catalogue::berkas::Stage;
    use arsip_core::catalogue::disposal::{DisposalKind, DisposalState};
    let o = office();
    let a = &o.archive;
    let arsiparis = crate::arsiparis(a);
    // PL.02: 2 years active from 2019, then 10 inactive: due for transfer.
    let moving = berkas(a, "PL.02/2019/001", "PL.02", &o.ids[2..]);
    let destroy_due = berkas(a, "UM/2019/001", "UM", &o.ids[..2]);
    assert_eq!(
        code(a.propose_transfer(&[destroy_due], "", &arsiparis)),
        ErrorCode::NotDue,
        "only what is due for transfer is moved"
    );
    let list = a
        .propose_transfer(&[moving], "Pemindahan arsip inaktif 2026", &arsiparis)
        .expect("propose");
    assert_eq!(list.kind, DisposalKind::Pindah);
    assert_eq!(
        code(a.propose_destruction(&[moving], "", &arsiparis)),
        ErrorCode::NotDue
    );
    // No assessment team: the head of the office approves as proposed.
    assert_eq!(
        code(a.disposal_step(&list.id, &step("dinilai"), &arsiparis)),
        ErrorCode::WrongStep
    );
    let approve = DisposalStep::Approve {
        approval_ref: "Persetujuan Sekretaris KPU Kota Bogor Nomor 9/2026".into(),
    };
    assert_eq!(
        code(a.disposal_step(&list.id, &approve, &arsiparis)),
        ErrorCode::AccessDenied
    );
    a.disposal_step(&list.id, &approve, &admin())
        .expect("approve");
    // Who hands over and who receives are its first two witnesses: no
    // executor of a destruction here.
    let with_executor = DisposalStep::CarryOut {
        ba_number: "2/PK.01-BA/3271/2026".into(),
        witnesses: vec!["Rina".into(), "Dodi".into()],
        executor: Some(arsip_core::digitisation::Signer {
            name: "Rina".into(),
            ..Default::default()
        }),
        head: None,
    };
    assert_eq!(
        code(a.disposal_step(&list.id, &with_executor, &admin())),
        ErrorCode::InvalidInput
    );
    let carry_out = DisposalStep::CarryOut {
        ba_number: "2/PK.01-BA/3271/2026".into(),
        witnesses: vec![
            "Rina (Subbagian Teknis)".into(),
            "Dodi (Arsiparis)".into(),
            "Sari (Saksi)".into(),
        ],
        executor: None,
        head: Some(arsip_core::digitisation::Signer {
            name: "Ahmad Fauzi".into(),
            nip: Some("197001011995031001".into()),
            position: Some("Sekretaris".into()),
        }),
    };
    let done = a
        .disposal_step(&list.id, &carry_out, &admin())
        .expect("carry out");
    assert_eq!(done.state, DisposalState::Done);
    assert_eq!(
        a.berkas(&moving, &arsiparis).expect("berkas").stage,
        Stage::Inaktif
    );
    for id in &o.ids[2..] {
        a.record(id, &admin())
            .expect("a transfer keeps every record");
    }
    let ba = read_back(
        &a.disposal_document(&list.id, Document::BeritaAcaraPdf, &admin())
            .expect("ba"),
    );
    for expected in [
        "BERITA ACARA PEMINDAHAN ARSIP INAKTIF",
        "2/PK.01-BA/3271/2026",
        "Yang menyerahkan,",
        "Rina (Subbagian Teknis)",
        "Dodi (Arsiparis)",
        "Saksi-saksi:",
        "1. Sari (Saksi)",
        "Mengetahui,",
        "( Ahmad Fauzi )",
        "NIP. 197001011995031001",
        "Nomor 9/2026",
        "1 berkas, 1 arsip",
    ] {
        assert!(ba.contains(expected), "{expected} in\n{ba}");
    }
    let listed = read_back(
        &a.disposal_document(&list.id, Document::ListPdf, &admin())
            .expect("list"),
    );
    assert!(
        listed.contains("DAFTAR ARSIP INAKTIF YANG DIPINDAHKAN")
            && listed.contains("PL.02/2019/001")
            && listed.contains("Lampiran Berita Acara Pemindahan Arsip Inaktif"),
        "{listed}"
    );
    assert_eq!(
        code(a.propose_transfer(&[moving], "", &arsiparis)),
        ErrorCode::NotDue,
        "moved once"
    );
}

#[test]
fn a_handover_verified_approved_and_carried_out_makes_its_berkas_static_and_out_of_its_box() {
    use arsip_core::catalogue::berkas::Stage;
    use arsip_core::catalogue::disposal::{DisposalKind, DisposalState};
    use arsip_core::handover::Scope;
    let o = office();
    let a = &o.archive;
    let arsiparis = crate::arsiparis(a);
    // PL.02 is permanent, 2 years active and 10 inactive: closed in 2000,
    // its years ended in 2012 and it is due to be handed over.
    let old = a
        .add_berkas(
            &NewBerkas {
                number: "PL.02/2000/001".into(),
                title: "Daftar pemilih tetap Pemilu 1999".into(),
                classification: Some("PL.02".into()),
                year_from: Some(1999),
                year_to: Some(2000),
                ..NewBerkas::default()
            },
            &admin(),
        )
        .expect("berkas")
        .id;
    let shelf = arsip_core::catalogue::storage::NewBox {
        number: "B-S1".into(),
        ..Default::default()
    };
    let in_box = a.add_box(&shelf, &admin()).expect("box").archive_box.id;
    let edit = BerkasEdit {
        jra: Some("PL.02".into()),
        in_box: Some(in_box.to_string()),
        folder: Some("3".into()),
        ..BerkasEdit::default()
    };
    a.edit_berkas(&old, &edit, &admin()).expect("jra and box");
    let file = RecordEdit {
        berkas: Some(old.to_string()),
        ..RecordEdit::default()
    };
    a.edit_many(&o.ids[2..], &file, &admin()).expect("file");
    // A berkas still in its years is not handed over; a permanent one is
    // neither destroyed nor transferred once its years are all over.
    let young = berkas(a, "PL.02/2019/009", "PL.02", &o.ids[..2]);
    assert_eq!(
        code(a.propose(DisposalKind::Serah, &[young], "", &arsiparis)),
        ErrorCode::NotDue
    );
    assert_eq!(
        code(a.propose_destruction(&[old], "", &arsiparis)),
        ErrorCode::NotDue
    );
    let list = a
        .propose(DisposalKind::Serah, &[old], "Penyerahan 2026", &arsiparis)
        .expect("propose");
    assert_eq!(list.kind, DisposalKind::Serah);
    let proposed = read_back(
        &a.disposal_document(&list.id, Document::ListPdf, &arsiparis)
            .expect("list"),
    );
    assert!(
        proposed.contains("DAFTAR ARSIP STATIS USUL SERAH")
            && proposed.contains("PL.02/2000/001")
            && proposed.contains("B-S1"),
        "{proposed}"
    );
    // Verified by the regional archive before the head approves; no bag
    // before approval, and none for anyone but the admin.
    let approve = DisposalStep::Approve {
        approval_ref: "Persetujuan Kepala Dinas Arsip Nomor 45/2026".into(),
    };
    assert_eq!(
        code(a.disposal_step(&list.id, &approve, &admin())),
        ErrorCode::WrongStep
    );
    assert_eq!(
        code(a.handover_package(&list.id, &admin())),
        ErrorCode::WrongStep
    );
    a.disposal_step(
        &list.id,
        &step("Diverifikasi DISPUSIP: lengkap"),
        &arsiparis,
    )
    .expect("verify");
    a.disposal_step(&list.id, &approve, &admin())
        .expect("approve");
    assert_eq!(
        code(a.handover_package(&list.id, &arsiparis)),
        ErrorCode::AccessDenied
    );
    // The bag holds exactly the list's records, with the list.
    let bag_dir = tempfile::tempdir().expect("tempdir");
    let bag = bag_dir.path().join("serah");
    let report = a
        .export_bag(&bag, Scope::List(&list.id), &admin())
        .expect("bag");
    assert_eq!(report.records, o.ids.len() - 2);
    let listed = std::fs::read_to_string(bag.join("data/daftar-arsip-statis.csv")).expect("list");
    assert!(listed.contains("PL.02/2000/001"), "{listed}");
    for id in &o.ids[2..] {
        assert!(
            bag.join("data").join(id.to_string()).is_dir(),
            "{id} in the bag"
        );
    }
    assert!(!bag.join("data").join(o.ids[0].to_string()).exists());
    let (zip, len) = a.handover_package(&list.id, &admin()).expect("zip");
    assert!(len > 0 && zip.metadata().expect("meta").len() == len);

    let carry_out = DisposalStep::CarryOut {
        ba_number: "3/PK.01-BA/3271/2026".into(),
        witnesses: vec![
            "Ketua KPU Kota Bogor".into(),
            "Kepala DISPUSIP Kota Bogor".into(),
        ],
        executor: None,
        head: None,
    };
    let done = a
        .disposal_step(&list.id, &carry_out, &admin())
        .expect("carry out");
    assert_eq!(done.state, DisposalState::Done);
    let after = a.berkas(&old, &arsiparis).expect("berkas");
    assert_eq!(after.stage, Stage::Statis);
    assert!(
        after.in_box.is_none() && after.folder.is_none(),
        "the paper left"
    );
    assert!(
        a.archive_box(&in_box, &admin())
            .expect("box")
            .berkas
            .is_empty(),
        "the box no longer holds it"
    );
    let back = BerkasEdit {
        in_box: Some(in_box.to_string()),
        ..BerkasEdit::default()
    };
    assert_eq!(
        code(a.edit_berkas(&old, &back, &admin())),
        ErrorCode::BerkasLocked,
        "handed-over paper goes in no box"
    );
    // What was handed over stays filed as the list says.
    assert_eq!(code(a.delete(&o.ids[2], &admin())), ErrorCode::BerkasLocked);
    let out = RecordEdit {
        berkas: Some(String::new()),
        ..RecordEdit::default()
    };
    assert_eq!(
        code(a.edit(&o.ids[2], &out, &admin())),
        ErrorCode::BerkasLocked
    );
    for id in &o.ids[2..] {
        a.record(id, &admin()).expect("the digital copies stay");
    }
    let ba = read_back(
        &a.disposal_document(&list.id, Document::BeritaAcaraPdf, &admin())
            .expect("ba"),
    );
    for expected in [
        "BERITA ACARA PENYERAHAN ARSIP STATIS",
        "3/PK.01-BA/3271/2026",
        "Hasil verifikasi lembaga kearsipan daerah",
        "45/2026",
        "BagIt",
        "Yang menyerahkan,",
        "Kepala DISPUSIP Kota Bogor",
    ] {
        assert!(ba.contains(expected), "{expected} in\n{ba}");
    }
    let listed = read_back(
        &a.disposal_document(&list.id, Document::ListPdf, &admin())
            .expect("list"),
    );
    assert!(
        listed.contains("DAFTAR ARSIP STATIS YANG DISERAHKAN")
            && listed.contains("Lampiran Berita Acara Penyerahan Arsip Statis"),
        "{listed}"
    );
    // Handed over once; a bag of it can still be made again.
    assert_eq!(
        code(a.propose(DisposalKind::Serah, &[old], "", &arsiparis)),
        ErrorCode::NotDue
    );
    a.handover_package(&list.id, &admin()).expect("zip again");
}
