//! One archive filled from the generated corpus, shared by the tests of this binary,
//! catalogued the way staff would: suggestions confirmed, access classes set.

use arsip_core::corpus::{self, CorpusOptions, Truth};
use arsip_core::{Archive, FileReport, FileStatus, IngestOptions, RecordId};
use std::sync::OnceLock;

pub struct Fixture {
    _dir: tempfile::TempDir,
    pub archive: Archive,
    pub truths: Vec<Truth>,
    pub reports: Vec<FileReport>,
}

impl Fixture {
    pub fn id_of(&self, truth: &Truth) -> RecordId {
        crate::id_for(
            &self.reports,
            &self._dir.path().join("in").join(&truth.file),
        )
    }
}

pub fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let input = dir.path().join("in");
        let opts = CorpusOptions {
            records: 10,
            seed: 7,
            dpi: 200,
            turn_every: 4,
            formats: Vec::new(),
            kinds: Vec::new(),
        };
        let truths = corpus::generate(&input, &opts).expect("corpus");
        let archive =
            Archive::init(&dir.path().join("archive"), "KPU Kota Bogor", "32.71").expect("init");
        let (reports, summary) = archive
            .ingest(
                &corpus::paths(&input, &truths),
                &IngestOptions::default(),
                &(),
                &crate::admin(),
            )
            .expect("ingest");
        assert_eq!(summary.failed, 0, "{reports:#?}");
        let fixture = Fixture {
            _dir: dir,
            archive,
            truths,
            reports,
        };
        for t in &fixture.truths {
            let id = fixture.id_of(t);
            let mut edit = fixture.archive.suggested_edit(&id).expect("suggestions");
            edit.access = Some(t.access);
            edit.reason = Some("uji".into());
            fixture
                .archive
                .edit(&id, &edit, &crate::admin())
                .expect("confirm");
        }
        fixture
    })
}

#[test]
fn every_file_becomes_one_record_with_its_pages() {
    let f = fixture();
    assert!(f.reports.iter().all(|r| r.status == FileStatus::Added));
    for t in &f.truths {
        let view = f
            .archive
            .record(&f.id_of(t), &crate::admin())
            .expect("record");
        assert_eq!(view.pages.len(), t.pages.len(), "{}", t.file);
        assert_eq!(view.files.len(), 1);
        assert_eq!(view.files[0].name, t.file);
    }
}

#[test]
fn ocr_reads_scans_and_turned_pages() {
    let f = fixture();
    let mut upright = Vec::new();
    let mut turned = Vec::new();
    for t in f
        .truths
        .iter()
        .filter(|t| t.format != corpus::Format::TextPdf)
    {
        let view = f
            .archive
            .record(&f.id_of(t), &crate::admin())
            .expect("record");
        for (truth, page) in t.pages.iter().zip(&view.pages) {
            if t.turns == 0 {
                upright.push(corpus::character_error_rate(truth, &page.text));
            } else {
                assert_eq!(
                    page.rotation,
                    (4 - t.turns) % 4 * 90,
                    "{} read with the wrong turn",
                    t.file
                );
                turned.push((
                    t.file.clone(),
                    page.number,
                    corpus::word_recall(truth, &page.text),
                ));
            }
        }
    }
    upright.sort_by(f64::total_cmp);
    let median = upright[upright.len() / 2];
    assert!(
        median < 0.03,
        "median CER on upright scans {median:.3}: {upright:?}"
    );
    assert!(!turned.is_empty(), "the corpus must hold turned pages");
    // Bare tesseract reads a turned page as garbage (recall near 0); tables read
    // column by column lose the row numbers, hence the margin.
    assert!(
        turned.iter().all(|(_, _, recall)| *recall > 0.6),
        "words read on turned pages {turned:?}"
    );
}

#[test]
fn text_pdfs_keep_their_text_layer() {
    let f = fixture();
    let t = f
        .truths
        .iter()
        .find(|t| t.format == corpus::Format::TextPdf)
        .expect("a text PDF");
    let view = f
        .archive
        .record(&f.id_of(t), &crate::admin())
        .expect("record");
    for (truth, page) in t.pages.iter().zip(&view.pages) {
        assert_eq!(page.source, arsip_core::model::TextSource::Pdf);
        assert!(
            corpus::character_error_rate(truth, &page.text) < 0.01,
            "{:?}",
            page.text
        );
    }
}

#[test]
fn suggestions_match_the_documents() {
    let f = fixture();
    let mut right = 0;
    for t in &f.truths {
        let view = f
            .archive
            .record(&f.id_of(t), &crate::admin())
            .expect("record");
        if view.record.doc_type.as_deref() == Some(t.doc_type.as_str())
            && view.record.election.as_deref() == Some(t.election.as_str())
        {
            right += 1;
        }
    }
    assert!(
        right * 10 >= f.truths.len() * 8,
        "{right} of {} typed and dated right",
        f.truths.len()
    );
}

#[test]
fn suggested_regions_are_the_offices_own() {
    // The corpus is Kota Bogor's; Jawa Barat has 27 places called Sukasari and
    // a Desa Bogor in Indramayu. OCR may lose a name, never move it elsewhere.
    let f = fixture();
    let mut right = 0;
    for t in &f.truths {
        let view = f
            .archive
            .record(&f.id_of(t), &crate::admin())
            .expect("record");
        let region = view.record.region.clone().unwrap_or_default();
        assert!(
            region.starts_with("32.71"),
            "{}: filed under {region:?}",
            t.file
        );
        right += usize::from(region == t.region);
    }
    assert!(
        right * 10 >= f.truths.len() * 8,
        "{right} of {} filed under the kelurahan or kecamatan they name",
        f.truths.len()
    );
}

#[test]
fn ingesting_again_adds_nothing() {
    let f = fixture();
    let before = f.archive.list(&crate::admin()).expect("list").len();
    let paths: Vec<_> = f
        .reports
        .iter()
        .map(|r| std::path::PathBuf::from(&r.path))
        .collect();
    let (_, summary) = f
        .archive
        .ingest(&paths[..3], &IngestOptions::default(), &(), &crate::admin())
        .expect("ingest");
    assert_eq!(
        (summary.added, summary.duplicate, summary.failed),
        (0, 3, 0)
    );
    assert_eq!(f.archive.list(&crate::admin()).expect("list").len(), before);
}

#[test]
fn verify_and_audit_are_clean() {
    let f = fixture();
    let report = f.archive.verify().expect("verify");
    assert_eq!(report.problems(), 0, "{report:?}");
    assert!(report.blobs_checked >= f.truths.len());
    let audit = f.archive.audit_verify(&crate::admin()).expect("audit");
    assert_eq!(audit.first_broken, None);
    assert!(
        audit.entries as usize > f.truths.len() * 2,
        "ingest, confirm and access changes are audited"
    );
}
