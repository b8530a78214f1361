//! A scanner that writes one file per page: the page files of one document
//! become one record; pages move between records afterwards (merge, split)
//! with their originals, their views and their place in search.

use crate::{admin, id_for};
use arsip_core::corpus::{self, CorpusOptions, DocKind, Format};
use arsip_core::ingest::Documents;
use arsip_core::{AccessLevel, Archive, ErrorCode, IngestOptions, SearchRequest};

fn ids_matching(archive: &Archive, q: &str) -> Vec<String> {
    let req = SearchRequest::new(q);
    let mut ids: Vec<String> = archive
        .search(&req, &admin())
        .expect("search")
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    ids.sort();
    ids
}

/// A word of a page's truth that OCR reads and no other page of the batch holds.
fn word_only_on(truths: &[corpus::Truth], t: usize, page: usize) -> String {
    let elsewhere: Vec<&String> = truths
        .iter()
        .enumerate()
        .flat_map(|(i, u)| {
            u.pages
                .iter()
                .enumerate()
                .filter(move |(p, _)| !(i == t && *p == page))
                .map(|(_, text)| text)
        })
        .collect();
    truths[t].pages[page]
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.len() >= 7 && w.chars().all(char::is_alphabetic))
        .find(|w| {
            !elsewhere
                .iter()
                .any(|text| text.to_lowercase().contains(&w.to_lowercase()))
        })
        .unwrap_or_else(|| panic!("no word only on {} page {}", truths[t].file, page + 1))
        .to_string()
}

#[test]
fn page_files_are_one_record_whose_pages_split_and_merge_with_their_images() {
    let crate::Scanned {
        dir: _dir,
        archive,
        input,
        truths,
        reports,
        summary,
    } = crate::scanned(
        "pindaian",
        &CorpusOptions {
            records: 2,
            seed: 31,
            dpi: 200,
            turn_every: 0,
            formats: vec![Format::JpegPages],
            kinds: vec![DocKind::SkKpu],
        },
    );
    assert!(
        truths.iter().all(|t| t.more_files.len() == 1),
        "two-page decrees"
    );
    assert_eq!(summary.added, 2, "{reports:#?}");
    assert_eq!(summary.pages, 4);
    let id = id_for(&reports, &input.join(&truths[0].file));
    let other = id_for(&reports, &input.join(&truths[1].file));
    let report = reports.iter().find(|r| r.id == Some(id)).expect("report");
    assert_eq!(
        report.parts,
        vec![input.join(&truths[0].more_files[0]).display().to_string()]
    );
    let view = archive.record(&id, &admin()).expect("record");
    assert_eq!(view.files.len(), 2);
    assert_eq!(view.pages.len(), 2);
    // Page 2 is the second file's page: its image is that page's, not the
    // first file's again.
    let second = word_only_on(&truths, 0, 1);
    assert_eq!(ids_matching(&archive, &second), vec![id.to_string()]);
    let page2 = archive
        .page_image(&id, 2, &second, &admin())
        .expect("page 2");
    assert!(page2.highlights >= 1, "'{second}' marked on page 2");
    assert_eq!(
        archive
            .page_image(&id, 1, &second, &admin())
            .expect("page 1")
            .highlights,
        0
    );

    // Split: page 2 into a record of its own, with the same fields.
    let split = archive
        .move_pages(&id, &[2], None, &admin())
        .expect("split");
    let (left, right) = (
        archive.record(&id, &admin()).expect("left"),
        archive.record(&split, &admin()).expect("right"),
    );
    assert_eq!((left.pages.len(), right.pages.len()), (1, 1));
    assert_eq!((left.files.len(), right.files.len()), (1, 1));
    assert_eq!(right.record.title, left.record.title);
    assert_eq!(right.record.access, left.record.access);
    assert_eq!(ids_matching(&archive, &second), vec![split.to_string()]);
    let moved = archive
        .page_image(&split, 1, &second, &admin())
        .expect("moved page");
    assert_eq!(moved.jpeg, page2.jpeg, "the same page, drawn the same");
    assert!(
        archive.page_image(&id, 2, "", &admin()).is_err(),
        "no page 2 left"
    );

    // Merge: the other decree's pages after this one's; the emptied record
    // is gone, its pages found in the one they joined, what was catalogued
    // of it kept where the record it joins has nothing.
    let catalogued = arsip_core::catalogue::RecordEdit {
        number: Some("045/PL.02-BA/3271/2024".into()),
        ..Default::default()
    };
    archive
        .edit(&other, &catalogued, &admin())
        .expect("catalogue");
    let theirs = word_only_on(&truths, 1, 1);
    let into = archive
        .move_pages(&other, &[1, 2], Some(&id), &admin())
        .expect("merge");
    assert_eq!(into, id);
    assert!(archive.record(&other, &admin()).is_err(), "merged away");
    let merged = archive.record(&id, &admin()).expect("merged");
    assert_eq!(merged.pages.len(), 3);
    assert_eq!(
        merged.record.number.as_deref(),
        Some("045/PL.02-BA/3271/2024")
    );
    assert_eq!(ids_matching(&archive, &theirs), vec![id.to_string()]);
    assert!(
        archive
            .page_image(&id, 3, &theirs, &admin())
            .expect("page 3")
            .highlights
            >= 1
    );
    // Its originals are the record's files now: a second import of them is
    // a duplicate of it.
    let again = archive
        .ingest(
            &[
                input.join(&truths[1].file),
                input.join(&truths[1].more_files[0]),
            ],
            &IngestOptions::default(),
            &(),
            &admin(),
        )
        .expect("again")
        .0;
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].id, Some(id));

    // Refused: the public; a move across access classes; a record's last
    // page split off; pages of another record's file.
    let public = arsip_core::Clearance::public();
    assert_eq!(
        archive
            .move_pages(&id, &[3], Some(&split), &public)
            .unwrap_err()
            .code,
        ErrorCode::AccessDenied
    );
    let secret = arsip_core::catalogue::RecordEdit {
        access: Some(AccessLevel::Rahasia),
        ..Default::default()
    };
    archive.edit(&split, &secret, &admin()).expect("restrict");
    assert_eq!(
        archive
            .move_pages(&id, &[3], Some(&split), &admin())
            .unwrap_err()
            .code,
        ErrorCode::AccessDiffers
    );
    assert_eq!(
        archive
            .move_pages(&split, &[1], None, &admin())
            .unwrap_err()
            .code,
        ErrorCode::SplitAll
    );
    assert_eq!(
        archive
            .record(&id, &admin())
            .expect("unchanged")
            .pages
            .len(),
        3
    );
    let audit = archive.audit_log(None, 50, &admin()).expect("audit");
    assert!(
        audit.iter().any(|e| e.action == "record.merge"),
        "the merge is in the audit trail"
    );
}

#[test]
fn a_pdfs_pages_move_only_together() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    let truths = corpus::generate(
        &input,
        &CorpusOptions {
            records: 2,
            seed: 8,
            dpi: 150,
            turn_every: 0,
            formats: vec![Format::TextPdf],
            kinds: vec![DocKind::SkKpu],
        },
    )
    .expect("corpus");
    let archive =
        Archive::init(&dir.path().join("arsip"), "KPU Kota Bogor", "32.71").expect("init");
    let opts = IngestOptions {
        documents: Documents::One,
        ..IngestOptions::default()
    };
    let (reports, summary) = archive
        .ingest(&corpus::paths(&input, &truths), &opts, &(), &admin())
        .expect("ingest");
    assert_eq!(
        summary.added, 1,
        "two PDFs read as one record: {reports:#?}"
    );
    let id = reports[0].id.expect("id");
    assert_eq!(
        archive.record(&id, &admin()).expect("record").pages.len(),
        4
    );
    assert_eq!(
        archive
            .move_pages(&id, &[2], None, &admin())
            .unwrap_err()
            .code,
        ErrorCode::PagesOfOneFile
    );
    assert_eq!(
        archive
            .move_pages(&id, &[2, 3], None, &admin())
            .unwrap_err()
            .code,
        ErrorCode::PagesOfOneFile
    );
    let second = archive
        .move_pages(&id, &[3, 4], None, &admin())
        .expect("split at the file");
    assert_eq!(
        archive
            .record(&second, &admin())
            .expect("second")
            .files
            .len(),
        1
    );
    // Page 2 of the new record is page 2 of the second PDF.
    let word = word_only_on(&truths, 1, 1);
    assert!(
        archive
            .page_image(&second, 2, &word, &admin())
            .expect("page")
            .highlights
            >= 1
    );
}

/// A record deleted by mistake: its original may be archived again, as a
/// new record (the deleted one stays a tombstone).
#[test]
fn a_deleted_records_original_is_archived_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    let truths = corpus::generate(
        &input,
        &CorpusOptions {
            records: 1,
            seed: 3,
            dpi: 100,
            turn_every: 0,
            formats: vec![Format::TextPdf],
            kinds: vec![DocKind::Undangan],
        },
    )
    .expect("corpus");
    let archive =
        Archive::init(&dir.path().join("arsip"), "KPU Kota Bogor", "32.71").expect("init");
    let paths = corpus::paths(&input, &truths);
    let ingest = || {
        archive
            .ingest(&paths, &IngestOptions::default(), &(), &admin())
            .expect("ingest")
            .0
    };
    let first = ingest();
    let id = first[0].id.expect("id");
    assert_eq!(ingest()[0].status, arsip_core::FileStatus::Duplicate);
    archive.delete(&id, &admin()).expect("delete");
    let again = ingest();
    assert_eq!(again[0].status, arsip_core::FileStatus::Added, "{again:#?}");
    let new = again[0].id.expect("id");
    assert_ne!(new, id);
    let sha = archive.record(&new, &admin()).expect("record").files[0].sha256;
    assert!(archive.original(&sha, &admin()).is_ok());
}
