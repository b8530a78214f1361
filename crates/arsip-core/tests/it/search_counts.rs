//! Totals and facet counts are exact and never count what the caller may not
//! see: checked against what the records say, over an index of several
//! segments (facet maps are kept per segment, see `index/facet_tally.rs`),
//! and again after a record is deleted and another added.

// The benchmarks' records: election documents as born-digital text.
#[path = "../../benches/common/mod.rs"]
mod bench_common;

use arsip_core::catalogue::NewRecord;
use arsip_core::test_support::RawCatalogue;
use arsip_core::{AccessLevel, Archive, Clearance, RecordId, Role, SearchOutcome, SearchRequest};
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::collections::BTreeMap;

/// What a record says, to count by.
struct Truth {
    id: RecordId,
    access: AccessLevel,
    doc_type: String,
    year: String,
    region: String,
}

const REGIONS: [&str; 4] = [
    "32.71.01.1001",
    "32.71.01.1002",
    "32.71.02.1001",
    "32.01.01.1001",
];

/// A benchmark record, in each access class in turn, and what it says.
fn new_record(i: usize, rng: &mut StdRng) -> (NewRecord, Truth) {
    let mut record = bench_common::records::new_record(i, &REGIONS, rng);
    record.access = AccessLevel::ALL[i % AccessLevel::ALL.len()];
    let m = &record.metadata;
    let truth = Truth {
        id: record.id,
        access: record.access,
        doc_type: m.doc_type.clone().unwrap_or_default(),
        year: m
            .doc_date
            .as_deref()
            .unwrap_or_default()
            .get(..4)
            .unwrap_or_default()
            .to_string(),
        region: m.region.clone().unwrap_or_default(),
    };
    (record, truth)
}

/// An archive whose index has one segment per batch: each batch is
/// inserted, then the archive opened, which indexes it in one commit.
fn archive_in_segments() -> (tempfile::TempDir, Vec<Truth>) {
    let dir = tempfile::tempdir().expect("tempdir");
    drop(Archive::init(dir.path(), "KPU Kota Bogor", "32.71").expect("init"));
    let mut rng = StdRng::seed_from_u64(15);
    let mut truths = Vec::new();
    for batch in 0..4 {
        let (records, batch_truths): (Vec<NewRecord>, Vec<Truth>) = (0..60)
            .map(|i| new_record(batch * 60 + i, &mut rng))
            .unzip();
        RawCatalogue::open(dir.path())
            .expect("catalogue")
            .insert_records(&records)
            .expect("insert");
        truths.extend(batch_truths);
        drop(Archive::open(dir.path()).expect("open"));
    }
    (dir, truths)
}

fn all(archive: &Archive, text: &str, region: Option<&str>, who: &Clearance) -> SearchOutcome {
    let mut req = SearchRequest::new(text);
    req.limit = 10_000;
    req.filters.region = region.map(str::to_string);
    archive.search(&req, who).expect("search")
}

fn tally<'a>(values: impl Iterator<Item = &'a str>) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for v in values {
        *m.entry(v.to_string()).or_insert(0) += 1;
    }
    m
}

fn facet(counts: &[arsip_core::index::FacetCount]) -> BTreeMap<String, u64> {
    counts.iter().map(|c| (c.value.clone(), c.count)).collect()
}

fn clearances() -> Vec<(&'static str, Clearance)> {
    vec![
        ("publik", Clearance::public()),
        (
            "sekretariat",
            Clearance::operator("t").narrowed(Role::Sekretariat),
        ),
        ("admin", Clearance::operator("t")),
    ]
}

/// Everything a clearance may see, counted by what the records say.
fn check_counts(archive: &Archive, truths: &[Truth], deleted: &[RecordId]) {
    for (name, who) in clearances() {
        let visible: Vec<&Truth> = truths
            .iter()
            .filter(|t| who.can_read(t.access) && !deleted.contains(&t.id))
            .collect();
        let out = all(archive, "", None, &who);
        assert_eq!(out.total, visible.len(), "{name}: total");
        assert_eq!(out.hits.len(), visible.len(), "{name}: hits");
        let f = &out.facets;
        let by = |g: fn(&Truth) -> &str| tally(visible.iter().map(|t| g(t)));
        assert_eq!(facet(&f.doc_type), by(|t| &t.doc_type), "{name}: type");
        assert_eq!(facet(&f.year), by(|t| &t.year), "{name}: year");
        assert_eq!(
            facet(&f.access),
            tally(visible.iter().map(|t| t.access.code())),
            "{name}: access"
        );
        assert_eq!(
            facet(&f.region),
            tally(visible.iter().map(|_| "32")),
            "{name}: province"
        );
        // A region chosen: its children, counted.
        let inside = all(archive, "", Some("32.71"), &who);
        let kecamatan = tally(
            visible
                .iter()
                .filter(|t| t.region.starts_with("32.71."))
                .map(|t| &t.region[..8]),
        );
        assert_eq!(facet(&inside.facets.region), kecamatan, "{name}: kecamatan");
        assert_eq!(
            inside.total as u64,
            kecamatan.values().sum::<u64>(),
            "{name}: total in Kota Bogor"
        );
        // Words: the counts are those of the hits, every one visible.
        let words = all(archive, "suara", None, &who);
        assert!(words.total > 0, "{name}: 'suara' finds records");
        assert_eq!(words.total, words.hits.len(), "{name}: 'suara' total");
        assert!(words
            .hits
            .iter()
            .all(|h| visible.iter().any(|t| t.id.to_string() == h.id)));
        assert_eq!(
            facet(&words.facets.doc_type),
            tally(words.hits.iter().filter_map(|h| h.doc_type.as_deref())),
            "{name}: 'suara' by type"
        );
    }
}

#[test]
fn totals_and_facets_are_exact_for_each_clearance_across_segments() {
    let (dir, truths) = archive_in_segments();
    let archive = Archive::open(dir.path()).expect("open");
    check_counts(&archive, &truths, &[]);
    // A region that is not a code finds nothing (and costs nothing).
    for odd in ["x", "32.71.01.1001.1", "32..71", &"9.".repeat(500)] {
        let out = all(&archive, "", Some(odd), &crate::admin());
        assert_eq!((out.total, out.facets.region.len()), (0, 0), "{odd:.20}");
    }

    // A record deleted (its segment keeps it, marked) and one added (a new
    // segment): both counted right by the same searches.
    let gone = truths
        .iter()
        .find(|t| t.access == AccessLevel::Terbuka)
        .expect("an open record")
        .id;
    archive.delete(&gone, &crate::admin()).expect("delete");
    let mut rng = StdRng::seed_from_u64(16);
    let (record, truth) = new_record(1_000, &mut rng);
    RawCatalogue::open(dir.path())
        .expect("catalogue")
        .insert_records(&[record])
        .expect("insert");
    let mut truths = truths;
    truths.push(truth);
    check_counts(&archive, &truths, &[gone]);
}

#[test]
fn a_phrase_with_an_abbreviation_finds_both_and_highlights_the_words() {
    let (dir, _) = archive_in_segments();
    // A title OCR bent ("pemi1u"): found by the group's typo clause.
    let mut rng = StdRng::seed_from_u64(17);
    let (mut bent, _) = new_record(2_000, &mut rng);
    bent.title = "Catatan Pemi1u Kecamatan".into();
    let bent_id = bent.id.to_string();
    RawCatalogue::open(dir.path())
        .expect("catalogue")
        .insert_records(&[bent])
        .expect("insert");
    let archive = Archive::open(dir.path()).expect("open");
    let admin = crate::admin();
    let ids = |o: &SearchOutcome| -> std::collections::HashSet<String> {
        o.hits.iter().map(|h| h.id.clone()).collect()
    };
    let phrase = all(&archive, "berita acara", None, &admin);
    let abbr = all(&archive, "ba", None, &admin);
    assert!(phrase.total > 0);
    assert!(
        ids(&phrase).is_subset(&ids(&abbr)),
        "'BA' finds every 'berita acara'"
    );
    let hit = &phrase.hits[0];
    assert!(
        hit.snippet.to_lowercase().contains("berita") && !hit.highlights.is_empty(),
        "{hit:?}"
    );
    // An abbreviation is ranked as its phrase: a title holding the phrase
    // first (the abbreviation written out is rarer than the phrase, and
    // once outranked such titles), its other forms found too.
    let pemilu = all(&archive, "pemilu", None, &admin);
    let phrase = all(&archive, "pemilihan umum", None, &admin);
    assert!(ids(&phrase).is_subset(&ids(&pemilu)));
    assert!(ids(&pemilu).contains(&bent_id), "'pemilu' finds 'Pemi1u'");
    for out in [&pemilu, &phrase] {
        let first = out.hits[0].title.to_lowercase();
        assert!(
            first.contains("pemilihan umum") || first.contains("pemilu"),
            "{first}"
        );
    }
}

#[test]
fn a_word_that_is_its_own_stem_finds_its_other_forms_and_ranks_a_title_first() {
    // Such a word is searched in the stemmed fields alone (`word_clause`):
    // its inflected and misread forms must still be found.
    let word = "ciomas";
    assert_eq!(
        arsip_core::index::analyzer::stem_word(word, &arsip_core::index::analyzer::overrides()),
        word,
        "the test needs a word that is its own stem"
    );
    let (dir, _) = archive_in_segments();
    let mut rng = StdRng::seed_from_u64(18);
    let mut placed = Vec::new();
    for (i, (title, line)) in [
        ("Rekapitulasi Kecamatan Ciomas", "daftar hadir rapat"),
        ("Catatan rapat pleno", "wilayah Ciomasnya luas"),
        ("Laporan kegiatan", "dikirim dari CIOMAZ kemarin"),
        // In its metadata alone (the series).
        ("Notulen rapat", "tanpa nama tempat"),
    ]
    .into_iter()
    .enumerate()
    {
        let (mut record, _) = new_record(3_000 + i, &mut rng);
        record.title = title.into();
        record.access = AccessLevel::Terbuka;
        if i == 3 {
            record.series = Some("Arsip Ciomas".into());
        }
        if let Some(page) = record.files[0].pages.first_mut() {
            page.text = format!("{}\n{line}", page.text);
        }
        placed.push(record.id.to_string());
        RawCatalogue::open(dir.path())
            .expect("catalogue")
            .insert_records(&[record])
            .expect("insert");
    }
    let archive = Archive::open(dir.path()).expect("open");
    for (name, who) in clearances() {
        let out = all(&archive, word, None, &who);
        let found: Vec<&str> = out.hits.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(out.total, 4, "{name}: {found:?}");
        for id in &placed {
            assert!(found.contains(&id.as_str()), "{name}: {id} not found");
        }
        assert_eq!(found[0], placed[0], "{name}: the title holding it first");
        let inflected = out.hits.iter().find(|h| h.id == placed[1]);
        assert!(
            inflected.is_some_and(|h| !h.highlights.is_empty()),
            "{name}: 'Ciomasnya' highlighted"
        );
    }
}

#[test]
fn records_another_process_added_are_found_a_few_at_once_many_soon_after() {
    let (dir, truths) = archive_in_segments();
    let archive = Archive::open(dir.path()).expect("open");
    let admin = crate::admin();
    let mut rng = StdRng::seed_from_u64(19);
    let mut expected = truths.len();
    // Another process wrote these and could not index them (the raw
    // catalogue does not). A few: the next search indexes them first.
    expected += add_elsewhere(dir.path(), 4_000, 5, &mut rng);
    assert_eq!(all(&archive, "", None, &admin).total, expected);
    // Many: the search answers from the index as it is and a thread
    // indexes them; later searches find them, with no other write.
    expected += add_elsewhere(dir.path(), 5_000, 300, &mut rng);
    let first = all(&archive, "", None, &admin).total;
    assert!(first == expected - 300 || first == expected, "{first}");
    assert!(
        eventually(|| all(&archive, "", None, &admin).total == expected),
        "300 records added elsewhere never became searchable"
    );
    // Closed while a catch-up runs in the background, and opened again:
    // nothing is lost.
    expected += add_elsewhere(dir.path(), 6_000, 300, &mut rng);
    all(&archive, "", None, &admin);
    drop(archive);
    let archive = Archive::open(dir.path()).expect("open again");
    assert_eq!(all(&archive, "", None, &admin).total, expected);
}

#[test]
fn a_search_never_counts_records_another_process_restricted_before_it_indexed_them() {
    let (dir, truths) = archive_in_segments();
    let archive = Archive::open(dir.path()).expect("open");
    let public = Clearance::public();
    let open = open_records(&truths, usize::MAX);
    assert_eq!(all(&archive, "", None, &public).total, open.len());
    // Another process restricts every open record and retitles others:
    // more changes than a search indexes itself, to records the index
    // holds. It could not index them.
    let others: Vec<RecordId> = truths
        .iter()
        .filter(|t| t.access != AccessLevel::Terbuka)
        .map(|t| t.id)
        .take(60)
        .collect();
    let admin = crate::admin();
    edit_elsewhere(dir.path(), &open, restricted());
    let retitle = arsip_core::catalogue::RecordEdit {
        title: Some("Judul baru".into()),
        ..Default::default()
    };
    edit_elsewhere(dir.path(), &others, retitle);
    assert!(open.len() + others.len() > 64);
    // The next public search counts none of them, nor any facet of them
    // (the total is also corrected hit by hit; the facets are not).
    let out = all(&archive, "", None, &public);
    assert_eq!(out.total, 0, "{:?}", out.facets.doc_type);
    assert!(out.facets.doc_type.is_empty() && out.facets.year.is_empty());
    // Once indexed, the retitled records are found again: nothing lost.
    assert!(
        eventually(|| all(&archive, "", None, &admin).total == truths.len()),
        "the changed records never came back"
    );
    assert_eq!(
        all(&archive, "judul baru", None, &admin).total,
        others.len()
    );
}

#[test]
fn while_another_process_holds_the_index_a_search_leaves_out_what_it_changed() {
    let (dir, truths) = archive_in_segments();
    let archive = Archive::open(dir.path()).expect("open");
    let public = Clearance::public();
    let open = open_records(&truths, 5);
    let before = all(&archive, "", None, &public);
    // Another process holds the index writer (a long import) while the
    // CLI restricts five open records: nobody can index the change.
    let index = tantivy::Index::open_in_dir(dir.path().join("index")).expect("index");
    let held: tantivy::IndexWriter = index.writer(15_000_000).expect("writer");
    edit_elsewhere(dir.path(), &open, restricted());
    let out = all(&archive, "", None, &public);
    assert_eq!(out.total, before.total - open.len());
    let counted: u64 = out.facets.doc_type.iter().map(|c| c.count).sum();
    assert_eq!(counted as usize, before.total - open.len(), "by type");
    drop(held);
    // The writer free again, the next search indexes the change.
    let out = all(&archive, "", None, &public);
    let counted: u64 = out.facets.doc_type.iter().map(|c| c.count).sum();
    assert_eq!(counted as usize, before.total - open.len());
    assert_eq!(all(&archive, "", None, &crate::admin()).total, truths.len());
}

/// Up to `n` of the records made open.
fn open_records(truths: &[Truth], n: usize) -> Vec<RecordId> {
    truths
        .iter()
        .filter(|t| t.access == AccessLevel::Terbuka)
        .map(|t| t.id)
        .take(n)
        .collect()
}

fn restricted() -> arsip_core::catalogue::RecordEdit {
    arsip_core::catalogue::RecordEdit {
        access: Some(AccessLevel::Terbatas),
        ..Default::default()
    }
}

/// Edits records as another process would that could not index them.
fn edit_elsewhere(
    root: &std::path::Path,
    ids: &[RecordId],
    edit: arsip_core::catalogue::RecordEdit,
) {
    RawCatalogue::open(root)
        .expect("catalogue")
        .edit_records(ids, &edit, &crate::admin())
        .expect("edit");
}

/// Adds `n` records as another process would that could not index them;
/// returns `n`.
fn add_elsewhere(root: &std::path::Path, from: usize, n: usize, rng: &mut StdRng) -> usize {
    let (records, _): (Vec<NewRecord>, Vec<Truth>) =
        (0..n).map(|i| new_record(from + i, rng)).unzip();
    RawCatalogue::open(root)
        .expect("catalogue")
        .insert_records(&records)
        .expect("insert");
    n
}

/// Whether `done` comes true within a minute (a thread indexing in the
/// background), looked at every 100 ms.
fn eventually(mut done: impl FnMut() -> bool) -> bool {
    (0..600).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        done()
    })
}
