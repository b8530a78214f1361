//! Versions: re-scanning a record, reading its text again by OCR and
//! bringing an earlier version back each keep what it held; the search
//! finds only what it holds now; versions are staff's to read and the
//! archivists' to change; a destruction takes them with the record.

use crate::{admin, arsiparis, logged_in, publik, refused as code};
use arsip_core::catalogue::berkas::{BerkasEdit, NewBerkas};
use arsip_core::catalogue::versions::Reason;
use arsip_core::catalogue::RecordEdit;
use arsip_core::corpus::{self, CorpusOptions, DocKind, Format};
use arsip_core::disposal::DisposalStep;
use arsip_core::index::SearchRequest;
use arsip_core::{AccessLevel, ErrorCode, IngestOptions, RecordId, Role};
use std::path::PathBuf;

fn finds(a: &arsip_core::Archive, words: &str, id: &RecordId) -> bool {
    a.search(&SearchRequest::new(words), &admin())
        .expect("search")
        .hits
        .iter()
        .any(|h| h.id == id.to_string())
}

/// A scan of another document, not in the archive: its path and a word
/// only its text has.
fn new_scan(dir: &std::path::Path, seed: u64) -> PathBuf {
    let input = dir.join(format!("scan-{seed}"));
    let truths = corpus::generate(
        &input,
        &CorpusOptions {
            records: 1,
            seed,
            dpi: 150,
            turn_every: 0,
            formats: vec![Format::Jpeg],
            kinds: vec![DocKind::Undangan],
        },
    )
    .expect("corpus");
    corpus::paths(&input, &truths).remove(0)
}

fn page_text(a: &arsip_core::Archive, id: &RecordId) -> String {
    a.record(id, &admin())
        .expect("record")
        .pages
        .iter()
        .map(|p| p.text.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_rescan_keeps_the_earlier_files_and_text_and_an_earlier_version_comes_back() {
    let (dir, a, ids, _) = crate::ingested(vec![DocKind::Undangan, DocKind::SkKpu], 41);
    let arsiparis = arsiparis(&a);
    let before = a.record(&ids[0], &admin()).expect("record");
    let old_file = before.files[0].clone();
    let old_text = page_text(&a, &ids[0]);
    // A word of the old text the new scan does not hold.
    let scan = new_scan(dir.path(), 7);
    let opts = IngestOptions::default();

    // Who may: the archivists and admins, on records of their class.
    assert_eq!(
        code(a.rescan(&ids[0], std::slice::from_ref(&scan), &opts, &publik())),
        ErrorCode::AccessDenied
    );
    let sekretariat = logged_in(&a, "sekre", Role::Sekretariat);
    assert_eq!(
        code(a.rescan(&ids[0], std::slice::from_ref(&scan), &opts, &sekretariat)),
        ErrorCode::AccessDenied
    );
    let version = a
        .rescan(&ids[0], std::slice::from_ref(&scan), &opts, &arsiparis)
        .expect("rescan");

    let after = a.record(&ids[0], &admin()).expect("record");
    assert_eq!(after.files.len(), 1);
    assert_ne!(
        after.files[0].sha256, old_file.sha256,
        "the new scan is the original now"
    );
    assert_eq!(after.record.title, before.record.title, "its fields stay");
    let new_text = page_text(&a, &ids[0]);
    assert_ne!(new_text, old_text);
    let new_word = unique_word(&new_text, &old_text);
    let old_word = unique_word(&old_text, &new_text);
    assert!(
        finds(&a, &new_word, &ids[0]),
        "found by its new text ({new_word})"
    );
    assert!(
        !finds(&a, &old_word, &ids[0]),
        "no longer by its old text ({old_word})"
    );

    // The earlier content is a version: listed, read, and its original
    // downloaded by staff; the public sees none of it.
    let versions = a.versions(&ids[0], &sekretariat).expect("versions");
    assert_eq!(versions.len(), 1);
    // Numbered within the record: another record's first version is 1 too.
    assert_eq!(
        a.reocr(&ids[1], &opts, &arsiparis)
            .expect("another record's"),
        1
    );
    assert_eq!(versions[0].number, version);
    assert_eq!(versions[0].reason, Reason::Rescan);
    assert_eq!(versions[0].replaced_by, arsiparis.actor());
    assert_eq!(versions[0].files, vec![old_file.clone()]);
    let pages = a
        .version_pages(&ids[0], version, &sekretariat)
        .expect("pages");
    let read: Vec<String> = pages.pages.iter().map(|p| p.text.clone()).collect();
    assert_eq!(read.join("\n"), old_text);
    assert_eq!(
        code(a.versions(&ids[0], &publik())),
        ErrorCode::AccessDenied
    );
    assert_eq!(
        code(a.version_pages(&ids[0], version, &publik())),
        ErrorCode::AccessDenied
    );
    let theirs = a.version_pages(&ids[1], 1, &admin()).expect("its own");
    assert_eq!(
        theirs.version.reason,
        Reason::Reocr,
        "each record's own versions"
    );
    assert_eq!(
        code(a.version_pages(&ids[1], 2, &admin())),
        ErrorCode::NotFound
    );
    let (file, bytes) = a
        .original(&old_file.sha256, &sekretariat)
        .expect("old original");
    assert_eq!(file.name, old_file.name);
    assert_eq!(bytes.len() as u64, old_file.size);
    assert_eq!(
        code(a.original(&old_file.sha256, &publik())),
        ErrorCode::NotFound
    );

    // The same scan again, or another record's original, is refused.
    assert_eq!(
        code(a.rescan(&ids[0], std::slice::from_ref(&scan), &opts, &arsiparis)),
        ErrorCode::ScanArchived
    );
    let other = a.record(&ids[1], &admin()).expect("other").files[0].clone();
    let other_path = a.root().join("other.pdf");
    std::fs::write(
        &other_path,
        a.original(&other.sha256, &admin()).expect("b").1,
    )
    .expect("w");
    assert_eq!(
        code(a.rescan(&ids[0], &[other_path], &opts, &arsiparis)),
        ErrorCode::ScanArchived
    );

    // Brought back: the old text is found again, the rescan kept in turn.
    let restored = a
        .restore_version(&ids[0], version, &arsiparis)
        .expect("restore");
    assert_eq!(page_text(&a, &ids[0]), old_text);
    assert!(finds(&a, &old_word, &ids[0]));
    assert!(!finds(&a, &new_word, &ids[0]));
    let versions = a.versions(&ids[0], &arsiparis).expect("versions");
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].number, restored);
    assert_eq!(versions[0].reason, Reason::Restore);
    assert_ne!(versions[0].files[0].sha256, old_file.sha256);
    assert_eq!(
        code(a.restore_version(&ids[0], version, &sekretariat)),
        ErrorCode::AccessDenied
    );
    assert_eq!(
        code(a.restore_version(&ids[0], 999, &arsiparis)),
        ErrorCode::NotFound
    );

    let history: Vec<String> = a
        .record_history(&ids[0], &arsiparis)
        .expect("history")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        history[..2],
        ["record.version_restore", "record.rescan"],
        "{history:?}"
    );
    assert_eq!(a.verify().expect("verify").problems(), 0);
}

/// A word (letters only, 5 or more) of `text` that `other` does not hold.
fn unique_word(text: &str, other: &str) -> String {
    let other = other.to_lowercase();
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 5)
        .map(str::to_lowercase)
        .find(|w| !other.contains(w.as_str()))
        .unwrap_or_else(|| panic!("no word of {text:?} missing from {other:?}"))
}

#[test]
fn reading_again_by_ocr_replaces_a_text_layer_and_keeps_it() {
    let (_dir, a, ids, truths) = crate::ingested(vec![DocKind::Undangan], 43);
    let arsiparis = arsiparis(&a);
    let before = a.record(&ids[0], &admin()).expect("record");
    assert!(before
        .pages
        .iter()
        .all(|p| p.source == arsip_core::model::TextSource::Pdf));

    let version = a
        .reocr(&ids[0], &IngestOptions::default(), &arsiparis)
        .expect("reocr");
    let after = a.record(&ids[0], &admin()).expect("record");
    assert_eq!(after.files, before.files, "the same originals");
    assert_eq!(after.pages.len(), before.pages.len());
    assert!(after
        .pages
        .iter()
        .all(|p| p.source == arsip_core::model::TextSource::Ocr && p.confidence.is_some()));
    // OCR read the title the text layer had.
    let title = truths[0].title.to_uppercase();
    let read = page_text(&a, &ids[0]).to_uppercase();
    let first = title
        .split_whitespace()
        .find(|w| w.len() >= 5)
        .expect("word");
    assert!(read.contains(first), "OCR read {first:?}: {read}");

    let versions = a.versions(&ids[0], &arsiparis).expect("versions");
    assert_eq!(versions[0].number, version);
    assert_eq!(versions[0].reason, Reason::Reocr);
    let kept = a
        .version_pages(&ids[0], version, &arsiparis)
        .expect("pages");
    assert!(kept
        .pages
        .iter()
        .all(|p| p.source == arsip_core::model::TextSource::Pdf));

    // A record above the archivist's class is not theirs to read again.
    let secret = RecordEdit {
        access: Some(AccessLevel::SangatRahasia),
        ..RecordEdit::default()
    };
    a.edit(&ids[0], &secret, &admin()).expect("reclassify");
    assert_eq!(
        code(a.reocr(&ids[0], &IngestOptions::default(), &arsiparis)),
        ErrorCode::NotFound
    );
    assert_eq!(code(a.versions(&ids[0], &arsiparis)), ErrorCode::NotFound);
}

fn stored(a: &arsip_core::Archive, sha: &arsip_core::ContentHash) -> bool {
    walkdir::WalkDir::new(a.root().join("blobs"))
        .into_iter()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy() == sha.to_hex())
}

/// A berkas due for destruction (UM, closed 2019) holding `records`,
/// proposed on a destruction list by the admin: the list's id.
fn proposed(a: &arsip_core::Archive, number: &str, records: &[RecordId]) -> String {
    let b = a
        .add_berkas(
            &NewBerkas {
                number: number.into(),
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
    a.edit_many(records, &file, &admin()).expect("file");
    a.propose_destruction(&[b], "", &admin())
        .expect("propose")
        .id
}

/// Destruction list `list` assessed, approved and carried out.
fn carried_out(a: &arsip_core::Archive, list: &str) {
    for step in [
        DisposalStep::Assess {
            assessment: "dinilai".into(),
        },
        DisposalStep::Approve {
            approval_ref: "Nomor 2/2026".into(),
        },
        DisposalStep::CarryOut {
            ba_number: "2/BA/2026".into(),
            witnesses: vec!["Siti".into(), "Budi".into()],
            executor: None,
            head: None,
        },
    ] {
        a.disposal_step(list, &step, &admin()).expect("step");
    }
}

#[test]
fn a_destruction_takes_a_records_versions_and_their_originals() {
    let (dir, a, ids, _) = crate::ingested(vec![DocKind::Undangan, DocKind::Undangan], 31);
    let old = a.record(&ids[0], &admin()).expect("record").files[0].clone();
    let scan = new_scan(dir.path(), 9);
    a.rescan(&ids[0], &[scan], &IngestOptions::default(), &admin())
        .expect("rescan");
    assert!(stored(&a, &old.sha256), "the earlier original is kept");
    let list = proposed(&a, "UM/2019/T02", &ids);
    // Filed on an open list: its content is frozen.
    assert_eq!(
        code(a.reocr(&ids[0], &IngestOptions::default(), &admin())),
        ErrorCode::BerkasLocked
    );
    carried_out(&a, &list);
    assert_eq!(
        code(a.original(&old.sha256, &admin())),
        ErrorCode::NotFound,
        "the earlier original is gone too"
    );
    assert!(!stored(&a, &old.sha256), "its blob is removed");
    assert_eq!(a.verify().expect("verify").problems(), 0);
}

#[test]
fn a_record_merged_into_another_takes_its_versions_with_it() {
    let (dir, a, ids, _) = crate::ingested(vec![DocKind::Undangan, DocKind::Laporan], 47);
    let old = a.record(&ids[0], &admin()).expect("record").files[0].clone();
    let scan = new_scan(dir.path(), 11);
    a.rescan(&ids[0], &[scan], &IngestOptions::default(), &admin())
        .expect("rescan");
    let pages: Vec<u32> = a
        .record(&ids[0], &admin())
        .expect("record")
        .pages
        .iter()
        .map(|p| p.number)
        .collect();
    a.move_pages(&ids[0], &pages, Some(&ids[1]), &admin())
        .expect("merge");
    let versions = a.versions(&ids[1], &admin()).expect("versions");
    assert_eq!(versions.len(), 1, "the merged record's earlier content");
    assert_eq!(versions[0].files, vec![old.clone()]);
    assert_eq!(versions[0].number, 1);
    a.original(&old.sha256, &admin())
        .expect("its original, through the record it joined");
}

#[test]
fn what_was_destroyed_leaves_the_versions_of_the_record_it_was_split_from() {
    let (dir, a, ids, _) = crate::ingested(vec![DocKind::Undangan], 59);
    let opts = IngestOptions::default();
    // A record of two scans; read again, its version holds both.
    let scans = [new_scan(dir.path(), 13), new_scan(dir.path(), 14)];
    a.rescan(&ids[0], &scans, &opts, &admin()).expect("rescan");
    a.reocr(&ids[0], &opts, &admin()).expect("reocr");
    let second = a.record(&ids[0], &admin()).expect("r").files[1].clone();
    // The second scan split off into a record of its own, filed and destroyed.
    let split = a.move_pages(&ids[0], &[2], None, &admin()).expect("split");
    let list = proposed(&a, "UM/2019/T03", &[split]);
    carried_out(&a, &list);
    assert_eq!(
        code(a.original(&second.sha256, &admin())),
        ErrorCode::NotFound
    );
    assert!(!stored(&a, &second.sha256), "its blob is removed");
    for v in a.versions(&ids[0], &admin()).expect("versions") {
        assert!(
            v.files.iter().all(|f| f.sha256 != second.sha256),
            "version {} still names the destroyed scan",
            v.number
        );
        let pages = a.version_pages(&ids[0], v.number, &admin()).expect("pages");
        assert!(pages.pages.iter().all(|p| p.file != second.sha256));
    }
    assert_eq!(a.verify().expect("verify").problems(), 0);
}

#[test]
fn a_version_keeps_its_class_its_file_is_no_new_record_and_suggestions_follow_the_text() {
    let (dir, a, ids, _) = crate::ingested(vec![DocKind::Undangan], 61);
    let opts = IngestOptions::default();
    let arsiparis = arsiparis(&a);
    let first = a.record(&ids[0], &admin()).expect("r");
    // Secret while its first scan was replaced, then declassified.
    a.edit(
        &ids[0],
        &RecordEdit {
            access: Some(AccessLevel::SangatRahasia),
            ..RecordEdit::default()
        },
        &admin(),
    )
    .expect("raise");
    a.rescan(&ids[0], &[new_scan(dir.path(), 17)], &opts, &admin())
        .expect("rescan");
    assert_ne!(
        a.record(&ids[0], &admin()).expect("r").suggestions,
        first.suggestions,
        "the new text suggests other things"
    );
    a.edit(
        &ids[0],
        &RecordEdit {
            access: Some(AccessLevel::Terbatas),
            reason: Some("retensi selesai".into()),
            ..RecordEdit::default()
        },
        &admin(),
    )
    .expect("declassify");
    assert!(
        a.versions(&ids[0], &arsiparis)
            .expect("versions")
            .is_empty(),
        "what it held while secret stays secret"
    );
    assert_eq!(
        code(a.version_pages(&ids[0], 1, &arsiparis)),
        ErrorCode::NotFound
    );
    assert_eq!(
        code(a.original(&first.files[0].sha256, &arsiparis)),
        ErrorCode::NotFound
    );
    assert_eq!(
        code(a.restore_version(&ids[0], 1, &arsiparis)),
        ErrorCode::NotFound
    );
    assert_eq!(a.versions(&ids[0], &admin()).expect("v").len(), 1);

    // The earlier original imported again is found archived, not a new record.
    let old = dir.path().join("lama.pdf");
    std::fs::write(
        &old,
        a.original(&first.files[0].sha256, &admin()).expect("o").1,
    )
    .expect("write");
    let (reports, summary) = a
        .ingest(std::slice::from_ref(&old), &opts, &(), &admin())
        .expect("ingest");
    assert_eq!(summary.added, 0, "{reports:?}");
    assert_eq!(reports[0].id, Some(ids[0]));

    // Brought back: its suggestions are the restored text's, and the same
    // content is not brought back twice.
    a.restore_version(&ids[0], 1, &admin()).expect("restore");
    assert_eq!(
        a.record(&ids[0], &admin()).expect("r").suggestions,
        first.suggestions
    );
    assert_eq!(
        code(a.restore_version(&ids[0], 1, &admin())),
        ErrorCode::ScanArchived
    );
}
