//! The review queue: records read in from their text wait until a person has
//! looked at what was suggested, accepting it or not, one by one or many at
//! once, each only as far as their clearance reaches.

use crate::admin;
use arsip_core::corpus::{self, CorpusOptions, DocKind, Format};
use arsip_core::{AccessLevel, Archive, Clearance, ErrorCode, IngestOptions};

#[test]
fn new_records_wait_for_review_and_leave_it_accepted_or_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    let truths = corpus::generate(
        &input,
        &CorpusOptions {
            records: 3,
            seed: 17,
            dpi: 100,
            turn_every: 0,
            formats: vec![Format::TextPdf],
            kinds: vec![DocKind::SkKpu, DocKind::BeritaAcara, DocKind::Undangan],
        },
    )
    .expect("corpus");
    let archive =
        Archive::init(&dir.path().join("arsip"), "KPU Kota Bogor", "32.71").expect("init");
    let (reports, _) = archive
        .ingest(
            &corpus::paths(&input, &truths),
            &IngestOptions::default(),
            &(),
            &admin(),
        )
        .expect("ingest");
    let ids: Vec<_> = reports.iter().map(|r| r.id.expect("id")).collect();
    let queue = archive.review_queue(&admin()).expect("queue");
    assert_eq!(queue.total, 3);
    let decree = queue
        .items
        .iter()
        .find(|i| i.id == ids[0])
        .expect("the decree waits");
    let suggested = |field: &str| {
        decree
            .suggestions
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, v)| v.clone())
    };
    let number = suggested("number").expect("a number read from the decree");
    assert_eq!(suggested("doc_type").as_deref(), Some("sk"));

    // One restricted above the archivist's class: not theirs to see or review.
    let secret = arsip_core::catalogue::RecordEdit {
        access: Some(AccessLevel::SangatRahasia),
        ..Default::default()
    };
    // An admin's edit is a review too: it leaves the queue.
    archive.edit(&ids[2], &secret, &admin()).expect("restrict");
    let arsiparis = crate::arsiparis(&archive);
    let theirs = archive.review_queue(&arsiparis).expect("queue");
    assert_eq!(theirs.total, 2);
    assert!(theirs.items.iter().all(|i| i.id != ids[2]));
    assert_eq!(
        archive.review_queue(&Clearance::public()).unwrap_err().code,
        ErrorCode::AccessDenied
    );
    assert_eq!(
        archive
            .review(&[ids[2]], true, &arsiparis)
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );

    // Accepted: the empty fields take what was read; set aside: nothing changes.
    assert_eq!(
        archive.review(&[ids[0]], true, &arsiparis).expect("accept"),
        1
    );
    let record = archive.record(&ids[0], &admin()).expect("record").record;
    assert_eq!(record.number.as_deref(), Some(number.as_str()));
    assert_eq!(record.doc_type.as_deref(), Some("sk"));
    assert_eq!(
        archive
            .review(&[ids[1]], false, &arsiparis)
            .expect("set aside"),
        1
    );
    assert!(archive
        .record(&ids[1], &admin())
        .expect("record")
        .record
        .doc_type
        .is_none());
    assert_eq!(archive.review_queue(&admin()).expect("queue").total, 0);
    // Again: nothing left to review.
    assert_eq!(
        archive.review(&[ids[0]], true, &arsiparis).expect("again"),
        0
    );
    let trail = archive.audit_log(None, 50, &admin()).expect("audit");
    assert_eq!(
        trail.iter().filter(|e| e.action == "record.review").count(),
        2
    );
}
