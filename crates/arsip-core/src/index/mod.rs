//! The full-text index (tantivy): derived from the catalogue and rebuildable from
//! it at any time. Its commit payload records the schema version and the catalogue
//! change sequence it reflects; opening the archive catches it up, and a schema
//! change rebuilds it.
//!
//! Personal numbers (NIK, KK) never enter the searchable text fields: the body is
//! indexed masked, and the numbers go to a separate `pii` field that only roles
//! cleared for personal data query. So a kiosk search for a NIK finds nothing.

pub mod analyzer;
mod facet_tally;
mod search;
pub mod synonyms;
mod typo;

pub use search::{
    BerkasCount, FacetCount, Facets, Filters, Highlighter, Hit, SearchRequest, SearchResults,
    Snippet, FACET_ROOTS,
};

use crate::catalogue::IndexSource;
use crate::error::{Error, ErrorCode, Result};
use crate::ids::RecordId;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing,
    TextOptions, STORED, STRING,
};
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Bump when the schema or an analyzer changes: the index is then rebuilt.
/// 5: the berkas a record is filed in, as a facet.
/// 6: synonym groups found while indexing (`syn`, `syn_title`), so that
/// "pemilihan umum" is one term to look up, not a phrase to check in every
/// document.
pub const SCHEMA_VERSION: u32 = 6;
const WRITER_HEAP: usize = 64 * 1024 * 1024;
/// Records added between intermediate commits during a catch-up or rebuild.
pub const COMMIT_EVERY: usize = 5_000;

#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    pub title: Field,
    pub title_exact: Field,
    pub body: Field,
    pub body_exact: Field,
    pub pii: Field,
    /// The synonym groups a record's text holds, by key (see
    /// `Synonyms::keys_in`): one term per occurrence; `syn_title` those of
    /// its title and metadata alone, ranked higher as `title_exact` is.
    pub syn: Field,
    pub syn_title: Field,
    pub access: Field,
    pub year: Field,
    pub facets: Field,
}

fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str, stored: bool| {
        let opts = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored {
            opts.set_stored()
        } else {
            opts
        }
    };
    // A field of synonym keys: one token each, counted; no length norm (a
    // record with few keys is not therefore a better match).
    let keys = || {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_index_option(IndexRecordOption::WithFreqs)
                .set_fieldnorms(false),
        )
    };
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", text(analyzer::STEMMED, true)),
        title_exact: b.add_text_field("title_exact", text(analyzer::EXACT, false)),
        body: b.add_text_field("body", text(analyzer::STEMMED, false)),
        body_exact: b.add_text_field("body_exact", text(analyzer::EXACT, false)),
        pii: b.add_text_field("pii", text(analyzer::EXACT, false)),
        syn: b.add_text_field("syn", keys()),
        syn_title: b.add_text_field("syn_title", keys()),
        access: b.add_u64_field("access", NumericOptions::default().set_indexed().set_fast()),
        year: b.add_u64_field("year", NumericOptions::default().set_indexed().set_fast()),
        facets: b.add_facet_field("facets", FacetOptions::default()),
    };
    (b.build(), fields)
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    synonyms: synonyms::Synonyms,
    overrides: Arc<HashMap<String, String>>,
    /// The change sequence of the commit the reader last loaded (a lower
    /// bound: read from disk before the reload).
    searched_seq: std::sync::atomic::AtomicI64,
    /// Facet maps of the segments searched (see `facet_tally`).
    tally_maps: facet_tally::TallyMaps,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Payload {
    schema: u32,
    seq: i64,
    /// The vocabulary indexing used (`vocabulary()`); absent before schema 6.
    #[serde(default)]
    vocabulary: String,
}

/// What indexing reads besides the schema: the synonym groups (found while
/// indexing since schema 6) and the protected stems. A new build that
/// changes either rebuilds the index, or records indexed before would not
/// be found by a group they hold.
fn vocabulary() -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(synonyms::SHIPPED.as_bytes());
    h.update([0]);
    h.update(analyzer::OVERRIDES.as_bytes());
    h.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (or recreating it, when its schema
    /// version differs) as needed.
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = build_schema();
        let existing = Index::open_in_dir(dir).ok();
        // The schema itself is compared too: a field added without the
        // version bumped would otherwise find nothing, without an error.
        let current = existing.as_ref().is_some_and(|index| {
            read_payload(index)
                .is_some_and(|p| p.schema == SCHEMA_VERSION && p.vocabulary == vocabulary())
                && index.schema() == schema
        });
        let mut index = match existing {
            Some(index) if current => index,
            _ => {
                clear_dir(dir)?;
                let index = Index::create_in_dir(dir, schema)?;
                let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
                let mut prepared = writer.prepare_commit()?;
                prepared.set_payload(&payload_json(0)?);
                prepared.commit()?;
                index
            }
        };
        let threads = search_threads();
        if threads > 1 {
            index.set_multithread_executor(threads)?;
        }
        let overrides = Arc::new(analyzer::overrides());
        index.tokenizers().register(
            analyzer::STEMMED,
            analyzer::stemmed_analyzer(overrides.clone()),
        );
        index
            .tokenizers()
            .register(analyzer::EXACT, analyzer::exact_analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searched_seq =
            std::sync::atomic::AtomicI64::new(read_payload(&index).map(|p| p.seq).unwrap_or(0));
        Ok(SearchIndex {
            index,
            reader,
            fields,
            synonyms: synonyms::Synonyms::shipped(),
            overrides,
            searched_seq,
            tally_maps: facet_tally::TallyMaps::default(),
        })
    }

    /// The catalogue change sequence this index reflects.
    pub fn indexed_seq(&self) -> i64 {
        read_payload(&self.index).map(|p| p.seq).unwrap_or(0)
    }

    /// The change sequence the reader's searches reflect (at least).
    pub fn searched_seq(&self) -> i64 {
        self.searched_seq.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Forgets how far searches reflect the catalogue (the index was
    /// emptied for a rebuild): the next search looks again.
    pub fn forget_searched(&self) {
        self.searched_seq
            .store(0, std::sync::atomic::Ordering::Release);
    }

    /// Loads the newest commit, made by this process or another one.
    pub fn reload(&self) -> Result<()> {
        let seq = self.indexed_seq();
        self.reader.reload()?;
        self.searched_seq
            .fetch_max(seq, std::sync::atomic::Ordering::AcqRel);
        Ok(())
    }

    /// A writer, or None when another process holds the index (it will catch up).
    pub fn writer(&self) -> Result<Option<IndexWriter>> {
        match self.index.writer_with_num_threads(1, WRITER_HEAP) {
            Ok(w) => Ok(Some(w)),
            Err(tantivy::TantivyError::LockFailure(..)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Replaces a record's document (or removes it, for `None`: deleted or gone).
    pub fn put(
        &self,
        writer: &mut IndexWriter,
        id: &RecordId,
        source: Option<&IndexSource>,
    ) -> Result<()> {
        writer.delete_term(Term::from_field_text(self.fields.id, &id.to_string()));
        if let Some(src) = source {
            writer.add_document(self.document(src))?;
        }
        Ok(())
    }

    pub fn commit(&self, writer: &mut IndexWriter, seq: i64) -> Result<()> {
        let payload = payload_json(seq)?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.reload()
    }

    /// Drops every document (for a rebuild); the caller commits.
    pub fn clear(&self, writer: &mut IndexWriter) -> Result<()> {
        writer.delete_all_documents()?;
        Ok(())
    }

    /// Waits for merges and removes files no longer referenced.
    pub fn finish(&self, writer: IndexWriter) -> Result<()> {
        // Files no commit refers to any more are removed; files of merges still
        // running are protected by tantivy, which also collects after each merge.
        let _ = writer.garbage_collect_files().wait();
        writer.wait_merging_threads()?;
        Ok(())
    }

    /// Ids of every indexed record (for consistency checks).
    pub fn all_ids(&self) -> Result<Vec<String>> {
        use tantivy::collector::DocSetCollector;
        use tantivy::schema::Value;
        let searcher = self.reader.searcher();
        let docs = searcher.search(&tantivy::query::AllQuery, &DocSetCollector)?;
        let mut out = Vec::with_capacity(docs.len());
        for addr in docs {
            let d: TantivyDocument = searcher.doc(addr)?;
            if let Some(id) = d.get_first(self.fields.id).and_then(|v| v.as_str()) {
                out.push(id.to_string());
            }
        }
        Ok(out)
    }

    fn document(&self, src: &IndexSource) -> TantivyDocument {
        let f = &self.fields;
        let r = &src.record;
        // Every searchable field is masked: the numbers go to `pii` alone.
        let mut body = String::new();
        let mut pii: Vec<String> = Vec::new();
        // Staff find a record by any long number in it: the NIKs read from
        // it (OCR's confusions undone) and each run's digits as they stand.
        let mut note = |text: &str| {
            for run in crate::privacy::number_runs(text) {
                for n in run.numbers.into_iter().chain(std::iter::once(run.digits)) {
                    if !pii.contains(&n) {
                        pii.push(n);
                    }
                }
            }
        };
        for page in &src.pages {
            note(page);
            body.push_str(&crate::privacy::mask(page));
            body.push_str("\n\n");
        }
        let files = src.files.join(" ");
        let meta = [
            r.number.as_deref(),
            r.tps.as_deref().map(|t| t.trim_start_matches('0')),
            r.description.as_deref(),
            r.stage.as_deref(),
            r.location.building.as_deref(),
            r.location.shelf.as_deref(),
            r.location.box_no.as_deref(),
            r.location.folder.as_deref(),
            r.series.as_deref(),
            Some(files.as_str()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        note(&r.title);
        note(&meta);
        let title = crate::privacy::mask(&r.title);
        let meta = crate::privacy::mask(&meta);
        let title_meta = format!("{title} {meta}");
        let mut exact = analyzer::exact_analyzer();
        let syn_title = self
            .synonyms
            .keys_in(&analyzer::tokens_by_position(&mut exact, &title_meta));
        let syn_body = self
            .synonyms
            .keys_in(&analyzer::tokens_by_position(&mut exact, &body));
        let mut d = doc!(
            f.id => r.id.to_string(),
            f.title => title.clone(),
            f.title_exact => title_meta,
            f.body => body.clone(),
            f.body_exact => body,
            f.pii => pii.join(" "),
            f.access => r.access.rank(),
        );
        for key in syn_title.iter().chain(&syn_body) {
            d.add_text(f.syn, key);
        }
        for key in syn_title {
            d.add_text(f.syn_title, key);
        }
        let year = src.election_year.map(|y| y as u64).or_else(|| {
            r.doc_date
                .as_deref()
                .and_then(|d| d.get(0..4))
                .and_then(|y| y.parse().ok())
        });
        if let Some(y) = year {
            d.add_u64(f.year, y);
            d.add_facet(f.facets, Facet::from_path(["year", &y.to_string()]));
        }
        d.add_facet(f.facets, Facet::from_path(["access", r.access.code()]));
        if let Some(t) = &r.doc_type {
            d.add_facet(f.facets, Facet::from_path(["type", t]));
        }
        if let Some(e) = &r.election {
            d.add_facet(f.facets, Facet::from_path(["election", e]));
        }
        if let Some(s) = &r.series {
            d.add_facet(f.facets, Facet::from_path(["series", s]));
        }
        d.add_facet(f.facets, Facet::from_path(["office", &src.office]));
        if let Some(b) = &src.berkas {
            d.add_facet(f.facets, Facet::from_path(["berkas", b]));
        }
        if !src.region_path.is_empty() {
            let path: Vec<&str> = std::iter::once("region")
                .chain(src.region_path.iter().map(String::as_str))
                .collect();
            d.add_facet(f.facets, Facet::from_path(path));
        }
        d
    }
}

/// Threads one search runs on: the index's segments are searched side by
/// side, which shortens the slowest searches at a province's size (`cargo
/// bench -p arsip-core --bench search -- 1000000`; not measured apart from
/// the typo clause that landed with it). The gain depends on how the merge
/// policy sized the segments: a search on one segment gains nothing, and
/// many searches at once share the same threads.
pub fn search_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(4)
}

fn payload_json(seq: i64) -> Result<String> {
    serde_json::to_string(&Payload {
        schema: SCHEMA_VERSION,
        seq,
        vocabulary: vocabulary(),
    })
    .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))
}

fn read_payload(index: &Index) -> Option<Payload> {
    let metas = index.load_metas().ok()?;
    serde_json::from_str(metas.payload.as_deref()?).ok()
}

fn clear_dir(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let p: PathBuf = entry?.path();
        if p.is_dir() {
            std::fs::remove_dir_all(&p)?;
        } else {
            std::fs::remove_file(&p)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_of_another_schema_under_the_same_version_is_rebuilt() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let mut b = Schema::builder();
            b.add_text_field("id", STRING | STORED);
            let index = Index::create_in_dir(dir.path(), b.build()).expect("create");
            let mut writer: IndexWriter = index
                .writer_with_num_threads(1, 15_000_000)
                .expect("writer");
            let mut prepared = writer.prepare_commit().expect("prepare");
            prepared.set_payload(&payload_json(7).expect("payload"));
            prepared.commit().expect("commit");
        }
        let index = SearchIndex::open(dir.path()).expect("open");
        assert_eq!(index.index.schema(), build_schema().0);
        assert_eq!(index.indexed_seq(), 0, "rebuilt from the start");
    }

    #[test]
    fn an_index_made_with_other_synonyms_is_rebuilt() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let index = SearchIndex::open(dir.path()).expect("open");
            let mut writer = index.writer().expect("writer").expect("free");
            index.commit(&mut writer, 5).expect("commit");
        }
        assert_eq!(
            SearchIndex::open(dir.path()).expect("open").indexed_seq(),
            5,
            "kept as it is"
        );
        {
            // As a build with another synonyms.txt would have left it.
            let index = Index::open_in_dir(dir.path()).expect("index");
            let mut writer: IndexWriter = index
                .writer_with_num_threads(1, 15_000_000)
                .expect("writer");
            let mut prepared = writer.prepare_commit().expect("prepare");
            let other =
                serde_json::json!({"schema": SCHEMA_VERSION, "seq": 5, "vocabulary": "0123"});
            prepared.set_payload(&other.to_string());
            prepared.commit().expect("commit");
        }
        assert_eq!(
            SearchIndex::open(dir.path()).expect("open").indexed_seq(),
            0,
            "rebuilt"
        );
    }
}
