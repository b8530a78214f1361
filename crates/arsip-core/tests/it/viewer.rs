//! The viewer's page images and the catalogue edits staff make, on the shared
//! corpus archive.

use crate::corpus_archive::fixture;
use crate::{admin, publik};
use arsip_core::catalogue::RecordEdit;
use arsip_core::corpus::{Format, Truth};
use arsip_core::viewer::VIEW_WIDTH;
use arsip_core::{AccessLevel, Clearance, ErrorCode, IngestOptions, Role};

/// A word of the page that OCR surely reads: the longest all-letter word.
fn long_word(t: &Truth) -> String {
    t.pages[0]
        .split_whitespace()
        .filter(|w| w.chars().all(char::is_alphabetic))
        .max_by_key(|w| w.len())
        .expect("a word")
        .to_string()
}

/// Dark pixels (ink) with a marked pixel beside them: a mark drawn over its
/// word holds ink; one drawn off its word, on paper, holds none.
fn ink_in_marks(jpeg: &[u8]) -> usize {
    let img = image::load_from_memory(jpeg).expect("a JPEG").into_rgb8();
    let yellow = |x: u32, y: u32| {
        let p = img.get_pixel(x, y);
        p[0] > 200 && p[1] > 200 && p[2] < 110
    };
    let mut n = 0;
    for y in 0..img.height() {
        for x in 3..img.width().saturating_sub(3) {
            let p = img.get_pixel(x, y);
            if p[0] < 90 && p[1] < 90 && (yellow(x - 3, y) || yellow(x + 3, y)) {
                n += 1;
            }
        }
    }
    n
}

fn yellow_pixels(jpeg: &[u8]) -> usize {
    let img = image::load_from_memory(jpeg).expect("a JPEG").into_rgb8();
    assert!(img.width() <= VIEW_WIDTH, "sent at most {VIEW_WIDTH} wide");
    img.pixels()
        .filter(|p| p[0] > 200 && p[1] > 200 && p[2] < 110)
        .count()
}

#[test]
fn page_images_of_every_format_highlight_the_searched_word() {
    let f = fixture();
    let mut formats = std::collections::HashSet::new();
    for t in &f.truths {
        let id = f.id_of(t);
        let word = long_word(t);
        let plain = f
            .archive
            .page_image(&id, 1, "", &admin())
            .unwrap_or_else(|e| panic!("{}: {e}", t.file));
        assert_eq!(plain.highlights, 0);
        assert_eq!(yellow_pixels(&plain.jpeg), 0, "{}", t.file);
        let marked = f
            .archive
            .page_image(&id, 1, &word, &admin())
            .expect("page image");
        assert!(
            marked.highlights >= 1,
            "{} ({:?}, turned {}): '{word}' not marked",
            t.file,
            t.format,
            t.turns
        );
        assert!(yellow_pixels(&marked.jpeg) > 50, "{}: no yellow", t.file);
        assert!(
            ink_in_marks(&marked.jpeg) > 20,
            "{} ({:?}, turned {}): '{word}' marked off its word",
            t.file,
            t.format,
            t.turns
        );
        formats.insert(format!("{:?}", t.format));
    }
    assert_eq!(formats.len(), 5, "every format was drawn: {formats:?}");
}

#[test]
fn the_public_gets_no_image_of_restricted_or_personal_records() {
    let f = fixture();
    let mut withheld = 0;
    for t in &f.truths {
        let id = f.id_of(t);
        let out = f.archive.page_image(&id, 1, "", &publik());
        if t.access != AccessLevel::Terbuka || t.personal_data {
            let e = out.expect_err("withheld");
            assert_eq!(e.code, ErrorCode::NotFound, "{}", t.file);
            withheld += 1;
        } else {
            out.unwrap_or_else(|e| panic!("{}: {e}", t.file));
        }
    }
    assert!(
        withheld > 0,
        "the corpus must hold records the public may not see"
    );
    let t = &f.truths[0];
    let missing = f.archive.page_image(&f.id_of(t), 99, "", &admin());
    assert_eq!(missing.expect_err("no page 99").code, ErrorCode::NotFound);
}

#[test]
fn staff_edit_many_records_at_once_and_fields_can_be_cleared() {
    let f = fixture();
    let ids: Vec<_> = f.truths.iter().take(3).map(|t| f.id_of(t)).collect();
    let edit = RecordEdit {
        series: Some("Uji Batch".into()),
        box_no: Some("B-17".into()),
        shelf: Some("Rak 3".into()),
        retain_until: Some("2034-12-31".into()),
        ..RecordEdit::default()
    };
    let changed = f
        .archive
        .edit_many(&ids, &edit, &admin())
        .expect("batch edit");
    assert_eq!(changed, 3);
    for id in &ids {
        let r = f.archive.record(id, &admin()).expect("record").record;
        assert_eq!(r.series.as_deref(), Some("Uji Batch"));
        assert_eq!(r.location.box_no.as_deref(), Some("B-17"));
        assert_eq!(r.retain_until.as_deref(), Some("2034-12-31"));
    }
    let clear = RecordEdit {
        box_no: Some(String::new()),
        ..RecordEdit::default()
    };
    f.archive.edit(&ids[0], &clear, &admin()).expect("clear");
    let r = f.archive.record(&ids[0], &admin()).expect("record").record;
    assert_eq!(r.location.box_no, None);
    assert_eq!(r.location.shelf.as_deref(), Some("Rak 3"), "others stay");
}

#[test]
fn bad_edits_change_nothing() {
    let f = fixture();
    let ids: Vec<_> = f
        .truths
        .iter()
        .skip(3)
        .take(2)
        .map(|t| f.id_of(t))
        .collect();
    let before: Vec<i64> = ids
        .iter()
        .map(|id| f.archive.record(id, &admin()).expect("r").record.version)
        .collect();
    let bad = [
        RecordEdit {
            doc_date: Some("14 Februari 2024".into()),
            ..RecordEdit::default()
        },
        RecordEdit {
            doc_type: Some("tidak-ada".into()),
            ..RecordEdit::default()
        },
        RecordEdit {
            title: Some("  ".into()),
            ..RecordEdit::default()
        },
    ];
    for edit in &bad {
        let e = f.archive.edit_many(&ids, edit, &admin()).expect_err("bad");
        assert_eq!(e.code, ErrorCode::InvalidInput, "{edit:?}");
    }
    let unknown = arsip_core::RecordId::new();
    let e = f
        .archive
        .edit_many(&[ids[0], unknown], &RecordEdit::default(), &admin())
        .expect_err("unknown id");
    assert_eq!(e.code, ErrorCode::NotFound);
    let after: Vec<i64> = ids
        .iter()
        .map(|id| f.archive.record(id, &admin()).expect("r").record.version)
        .collect();
    assert_eq!(before, after, "no record changed");
}

#[test]
fn only_archivists_and_admins_catalogue() {
    let f = fixture();
    let id = f.id_of(&f.truths[0]);
    let edit = RecordEdit {
        stage: Some("rekapitulasi".into()),
        ..RecordEdit::default()
    };
    for role in [Role::Sekretariat, Role::Publik] {
        let who = Clearance::operator("x").narrowed(role);
        let e = f.archive.edit(&id, &edit, &who).expect_err("denied");
        assert_eq!(e.code, ErrorCode::AccessDenied);
        let e = f
            .archive
            .ingest(&[], &IngestOptions::default(), &(), &who)
            .expect_err("denied");
        assert_eq!(e.code, ErrorCode::AccessDenied);
        let e = f.archive.delete(&id, &who).expect_err("denied");
        assert_eq!(e.code, ErrorCode::AccessDenied);
    }
    let arsiparis = Clearance::operator("arsip1").narrowed(Role::Arsiparis);
    f.archive
        .edit(&id, &edit, &arsiparis)
        .expect("arsiparis edits");
    let r = f.archive.record(&id, &admin()).expect("r").record;
    assert_eq!(r.stage.as_deref(), Some("rekapitulasi"));
    assert_eq!(r.updated_by, "arsip1");
}

/// The office server and the kiosk server open the same archive: the kiosk
/// appends audit entries for every view while staff edit. No write may fail
/// because the other process wrote first.
#[test]
fn two_processes_on_one_archive_write_without_busy_errors() {
    let f = fixture();
    let kiosk = arsip_core::Archive::open(f.archive.root()).expect("second opener");
    let public: Vec<_> = f
        .truths
        .iter()
        .filter(|t| t.access == AccessLevel::Terbuka)
        .map(|t| f.id_of(t))
        .collect();
    let staff_id = f.id_of(&f.truths[5]);
    std::thread::scope(|s| {
        let viewer = s.spawn(|| {
            for i in 0..150 {
                let id = &public[i % public.len()];
                kiosk
                    .view_record(id, &publik())
                    .expect("view while staff edit");
            }
        });
        for i in 0..150 {
            let edit = RecordEdit {
                folder: Some(format!("M-{i}")),
                ..RecordEdit::default()
            };
            f.archive
                .edit(&staff_id, &edit, &admin())
                .expect("edit while the kiosk audits");
        }
        viewer.join().expect("viewer thread");
    });
    assert!(f
        .archive
        .audit_verify(&admin())
        .expect("verify")
        .first_broken
        .is_none());
}

/// Two people saving at the same moment: each edit is searchable as soon as
/// its save returns (one catch-up used to find the index writer taken by the
/// other and leave its change unindexed).
#[test]
fn edits_saved_at_the_same_moment_are_all_searchable() {
    let f = fixture();
    let ids = [f.id_of(&f.truths[6]), f.id_of(&f.truths[7])];
    for round in 0..8 {
        std::thread::scope(|s| {
            for (k, id) in ids.iter().enumerate() {
                s.spawn(move || {
                    let edit = RecordEdit {
                        title: Some(format!("Arsip penanda{k}x{round}")),
                        ..RecordEdit::default()
                    };
                    f.archive.edit(id, &edit, &admin()).expect("edit");
                });
            }
        });
        for k in 0..2 {
            let q = arsip_core::SearchRequest::new(format!("penanda{k}x{round}"));
            let out = f.archive.search(&q, &admin()).expect("search");
            assert_eq!(out.total, 1, "round {round}: edit {k} not searchable");
        }
    }
}

/// A scan's page opens from the view stored when it was read, without its
/// original (the slow part was drawing the original again on every view);
/// an archive without stored views (older, or rebuilt) draws them once.
#[test]
fn scans_open_from_the_view_stored_at_ingest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    let truths = arsip_core::corpus::generate(
        &input,
        &arsip_core::corpus::CorpusOptions {
            records: 3,
            seed: 5,
            dpi: 200,
            turn_every: 3,
            formats: vec![Format::Jpeg, Format::ScanPdf, Format::TextPdf],
            kinds: Vec::new(),
        },
    )
    .expect("corpus");
    let root = dir.path().join("archive");
    let archive = arsip_core::Archive::init(&root, "KPU Kota Bogor", "32.71").expect("init");
    let (reports, _) = archive
        .ingest(
            &arsip_core::corpus::paths(&input, &truths),
            &IngestOptions::default(),
            &(),
            &admin(),
        )
        .expect("ingest");
    let id_of = |t: &Truth| crate::id_for(&reports, &input.join(&t.file));
    // The text PDF's view is drawn on its first viewing, and kept.
    let text_pdf = truths
        .iter()
        .find(|t| t.format == Format::TextPdf)
        .expect("a text PDF");
    let first = archive
        .page_image(&id_of(text_pdf), 1, &long_word(text_pdf), &admin())
        .expect("text PDF page");
    assert!(first.highlights >= 1);
    drop(archive);
    // The originals gone (a province that holds thumbnails only, say):
    // every page still opens, highlighted, from its stored view.
    let blobs = root.join("blobs");
    std::fs::rename(&blobs, dir.path().join("blobs-away")).expect("move originals");
    let archive = arsip_core::Archive::open(&root).expect("reopen");
    for t in &truths {
        let word = long_word(t);
        let page = archive
            .page_image(&id_of(t), 1, &word, &admin())
            .unwrap_or_else(|e| panic!("{} ({:?}) without its original: {e}", t.file, t.format));
        assert!(page.highlights >= 1, "{}: '{word}' not marked", t.file);
        assert!(
            ink_in_marks(&page.jpeg) > 20,
            "{}: marked off its word",
            t.file
        );
    }
    drop(archive);
    // Without stored views, the originals back: drawn from them, the same marks.
    std::fs::remove_dir_all(&blobs).expect("the empty store opened in their place");
    std::fs::rename(dir.path().join("blobs-away"), &blobs).expect("originals back");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(root.join(format!("views.sqlite{suffix}")));
    }
    let archive = arsip_core::Archive::open(&root).expect("reopen");
    for t in &truths {
        let page = archive
            .page_image(&id_of(t), 1, &long_word(t), &admin())
            .unwrap_or_else(|e| panic!("{}: {e}", t.file));
        assert!(
            page.highlights >= 1 && ink_in_marks(&page.jpeg) > 20,
            "{}",
            t.file
        );
    }
}
