//! Search speed at archive scale, beside two baselines measured in the same run
//! on the same records: raw tantivy on the same index (a plain query, top 10, no
//! facets, snippets or access filter) and SQLite FTS5 on the same text (bm25 rank,
//! top 10, with snippets).
//!
//!     cargo bench -p arsip-core --bench search [-- 10000 100000]
//!
//! The records are the demo corpus's election documents as born-digital text
//! (no scans: OCR speed is the `ingest` bench's business), with their metadata
//! confirmed so the facets have something to count, inserted in batches through
//! `Catalogue::insert_records`; opening the archive then builds the index from the
//! catalogue's change sequence, as a real catch-up would. The bench archive holds
//! no original files, so it is not one to `arsip verify`. Archives are kept under
//! target/tmp and reused by later runs (delete them to rebuild).

use arsip_core::catalogue::{Catalogue, NewPage, NewRecord, RecordEdit};
use arsip_core::corpus::text::{self, DocKind};
use arsip_core::index::analyzer;
use arsip_core::model::{StoredFile, Suggestions, TextSource};
use arsip_core::{AccessLevel, Archive, Clearance, ContentHash, RecordId, Role, SearchRequest};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const BATCH: usize = 2_000;
const QUERIES: usize = 300;
const REGIONS: &str = include_str!("../../../assets/vocab/regions-32-jawa-barat.csv");

mod common;

use common::{number_args, peak_rss_mb, BenchResult};

fn main() -> BenchResult<()> {
    let sizes: Vec<usize> = number_args();
    let sizes = if sizes.is_empty() {
        vec![10_000, 100_000]
    } else {
        sizes
    };
    println!("search bench: {QUERIES} typed queries, top 10, after one warm-up pass");
    for n in sizes {
        bench_size(n)?;
    }
    println!("peak RSS of this process: {} MB", peak_rss_mb());
    Ok(())
}

fn bench_size(n: usize) -> BenchResult<()> {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-search-{n}"));
    let samples = if root.join("ready").is_file() {
        println!(
            "\n== {n} records (archive reused from {}) ==",
            root.display()
        );
        read_samples(&root)?
    } else {
        println!("\n== {n} records (building {}) ==", root.display());
        build(&root, n)?
    };
    let started = Instant::now();
    let archive = Archive::open(&root)?;
    let caught_up = started.elapsed();
    if caught_up > Duration::from_secs(1) {
        println!(
            "index catch-up from the catalogue: {:.1} s ({:.0} records/s)",
            caught_up.as_secs_f64(),
            n as f64 / caught_up.as_secs_f64()
        );
    }
    let queries = make_queries(&samples, QUERIES);

    let staff = Clearance::for_role(Role::Sekretariat, "bench");
    let publik = Clearance::for_role(Role::Publik, "bench");
    let ours_staff = measure(&queries, |q| {
        let mut req = SearchRequest::new(q);
        req.limit = 10;
        archive.search(&req, &staff).map(|o| o.hits.len())
    })?;
    let ours_publik = measure(&queries, |q| {
        let mut req = SearchRequest::new(q);
        req.limit = 10;
        archive.search(&req, &publik).map(|o| o.hits.len())
    })?;
    drop(archive);

    let raw = RawTantivy::open(&root.join("index"))?;
    let raw_times = measure(&queries, |q| raw.search(q, false))?;
    let raw_counted = measure(&queries, |q| raw.search(q, true))?;
    let fts = rusqlite::Connection::open(root.join("fts5.sqlite"))?;
    let fts_times = measure(&queries, |q| fts5_search(&fts, q))?;

    println!(
        "{:<44} {:>8} {:>8} {:>8} {:>9}",
        "", "p50 ms", "p95 ms", "p99 ms", "hits/q"
    );
    for (name, m) in [
        ("arsip, sekretariat (facets+snippets+filter)", &ours_staff),
        ("arsip, publik (same, masked, Terbuka only)", &ours_publik),
        ("raw tantivy, same index (top 10 only)", &raw_times),
        ("raw tantivy + total count + facets", &raw_counted),
        ("SQLite FTS5, same text (bm25+snippet)", &fts_times),
    ] {
        println!(
            "{name:<44} {:>8.2} {:>8.2} {:>8.2} {:>9.0}",
            m.pct(50),
            m.pct(95),
            m.pct(99),
            m.mean_hits()
        );
    }
    println!(
        "p99 ratios: arsip/raw tantivy {:.2}× (target ≤ 2), arsip/raw tantivy with count+facets {:.2}×, \
         FTS5/arsip {:.2}× (target ≥ 3), p99 {:.1} ms (target ≤ 30 at 100k)",
        ours_staff.pct(99) / raw_times.pct(99),
        ours_staff.pct(99) / raw_counted.pct(99),
        fts_times.pct(99) / ours_staff.pct(99),
        ours_staff.pct(99)
    );
    Ok(())
}

/// Latencies of one pass over the queries, after a warm-up pass.
struct Measured {
    millis: Vec<f64>,
    hits: usize,
}

impl Measured {
    fn pct(&self, p: usize) -> f64 {
        let i = ((self.millis.len() * p) / 100).min(self.millis.len() - 1);
        self.millis[i]
    }

    fn mean_hits(&self) -> f64 {
        self.hits as f64 / self.millis.len() as f64
    }
}

fn measure(
    queries: &[String],
    mut run: impl FnMut(&str) -> arsip_core::Result<usize>,
) -> BenchResult<Measured> {
    for q in queries {
        run(q)?;
    }
    let mut millis = Vec::with_capacity(queries.len());
    let mut hits = 0;
    for q in queries {
        let t = Instant::now();
        hits += run(q)?;
        millis.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    millis.sort_by(f64::total_cmp);
    Ok(Measured { millis, hits })
}

/// Writes `n` records into a new archive and the same text into an FTS5 table;
/// returns a sample of the records' text to draw queries from.
fn build(root: &Path, n: usize) -> BenchResult<Vec<String>> {
    if root.exists() {
        std::fs::remove_dir_all(root)?;
    }
    drop(Archive::init(root, "KPU Kota Bogor (bench)", "32.71")?);
    let mut catalogue = Catalogue::open(&root.join(arsip_core::archive::CATALOGUE_FILE))?;
    let mut fts = rusqlite::Connection::open(root.join("fts5.sqlite"))?;
    fts.execute_batch(
        "PRAGMA journal_mode = WAL;
         CREATE VIRTUAL TABLE doc USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');",
    )?;
    let regions: Vec<&str> = REGIONS
        .lines()
        .filter_map(|l| l.split(',').next().filter(|c| c.matches('.').count() == 3))
        .collect();
    let mut rng = StdRng::seed_from_u64(n as u64);
    let mut samples = Vec::new();
    let (mut catalogue_time, mut fts_time) = (Duration::ZERO, Duration::ZERO);
    for start in (0..n).step_by(BATCH) {
        let batch: Vec<NewRecord> = (start..n.min(start + BATCH))
            .map(|i| new_record(i, &regions, &mut rng))
            .collect();
        for r in batch.iter().step_by(50) {
            samples.push(r.pages.iter().map(|p| p.text.as_str()).collect());
        }
        let t = Instant::now();
        catalogue.insert_records(&batch)?;
        catalogue_time += t.elapsed();
        let t = Instant::now();
        let tx = fts.transaction()?;
        {
            let mut stmt = tx.prepare("INSERT INTO doc (title, body) VALUES (?1, ?2)")?;
            for r in &batch {
                let body: Vec<&str> = r.pages.iter().map(|p| p.text.as_str()).collect();
                stmt.execute((&r.title, body.join("\n\n")))?;
            }
        }
        tx.commit()?;
        fts_time += t.elapsed();
    }
    println!(
        "catalogue inserts: {:.1} s ({:.0} records/s); FTS5 table: {:.1} s",
        catalogue_time.as_secs_f64(),
        n as f64 / catalogue_time.as_secs_f64(),
        fts_time.as_secs_f64()
    );
    std::fs::write(root.join("samples.json"), serde_json::to_vec(&samples)?)?;
    std::fs::write(root.join("ready"), n.to_string())?;
    Ok(samples)
}

fn read_samples(root: &Path) -> BenchResult<Vec<String>> {
    Ok(serde_json::from_slice(&std::fs::read(
        root.join("samples.json"),
    )?)?)
}

fn new_record(i: usize, regions: &[&str], rng: &mut StdRng) -> NewRecord {
    let kind = DocKind::ALL[i % DocKind::ALL.len()];
    let w = text::write(kind, rng);
    let pages: Vec<String> = w.pages.iter().map(|p| p.join("\n")).collect();
    let bytes: usize = pages.iter().map(String::len).sum();
    let access = match i % 10 {
        0..=5 => AccessLevel::Terbuka,
        6..=8 => AccessLevel::Terbatas,
        _ => AccessLevel::Rahasia,
    };
    NewRecord {
        id: RecordId::new(),
        title: w.title.clone(),
        access,
        series: Some(format!("{} — {}", w.election, kind.doc_type())),
        personal_data: w.personal_data,
        file: StoredFile {
            name: format!("{i:06}-{}.pdf", kind.doc_type()),
            sha256: ContentHash::of(format!("{i}\n{}", pages.concat()).as_bytes()),
            media_type: "application/pdf".into(),
            size: bytes as u64,
        },
        original_path: format!("bench/{i:06}.pdf"),
        pages: pages
            .into_iter()
            .map(|text| NewPage {
                text,
                source: TextSource::Pdf,
                confidence: None,
                rotation: 0,
                words: Vec::new(),
                thumbnail: None,
            })
            .collect(),
        suggestions: Suggestions::default(),
        metadata: RecordEdit {
            doc_type: Some(kind.doc_type().into()),
            election: Some(w.election.clone()),
            doc_date: Some(format!(
                "{}-{:02}-{:02}",
                w.year,
                rng.random_range(1..=12),
                rng.random_range(1..=28)
            )),
            region: regions.choose(rng).map(|r| r.to_string()),
            ..RecordEdit::default()
        },
        actor: "bench".into(),
    }
}

/// Queries as people type them: one to three words from a record's text,
/// lowercased; every fifth with a typo in a long word; a few abbreviations.
fn make_queries(samples: &[String], count: usize) -> Vec<String> {
    let mut rng = StdRng::seed_from_u64(7);
    let mut out = vec![
        "dpt".to_string(),
        "ba rekapitulasi".into(),
        "sk penetapan".into(),
        "tps 5".into(),
        "berita acara pemungutan suara".into(),
    ];
    while out.len() < count {
        let Some(text) = samples.choose(&mut rng) else {
            break;
        };
        let words: Vec<String> = text
            .split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .filter(|w| w.chars().count() >= 4 && w.chars().all(char::is_alphabetic))
            .collect();
        if words.len() < 3 {
            continue;
        }
        let len = rng.random_range(1..=3);
        let at = rng.random_range(0..words.len() - len);
        let mut q: Vec<String> = words[at..at + len].to_vec();
        if out.len() % 5 == 0 {
            if let Some(w) = q.iter_mut().find(|w| w.len() >= 7) {
                let mut chars: Vec<char> = w.chars().collect();
                chars.swap(2, 3);
                *w = chars.into_iter().collect();
            }
        }
        out.push(q.join(" "));
    }
    out
}

/// The baseline: tantivy as a developer would use it out of the box on our index.
struct RawTantivy {
    reader: tantivy::IndexReader,
    parser: tantivy::query::QueryParser,
    title: tantivy::schema::Field,
}

impl RawTantivy {
    fn open(dir: &Path) -> BenchResult<RawTantivy> {
        let index = tantivy::Index::open_in_dir(dir)?;
        index.tokenizers().register(
            analyzer::STEMMED,
            analyzer::stemmed_analyzer(Arc::new(analyzer::overrides())),
        );
        index
            .tokenizers()
            .register(analyzer::EXACT, analyzer::exact_analyzer());
        let schema = index.schema();
        let title = schema.get_field("title")?;
        let body = schema.get_field("body")?;
        let mut parser = tantivy::query::QueryParser::for_index(&index, vec![title, body]);
        parser.set_conjunction_by_default();
        Ok(RawTantivy {
            reader: index.reader()?,
            parser,
            title,
        })
    }

    /// Top 10 by BM25; with `counted`, also the total and the facet counts our
    /// search reports (these must visit every match, where top 10 alone may skip).
    fn search(&self, q: &str, counted: bool) -> arsip_core::Result<usize> {
        use tantivy::collector::{Count, FacetCollector, TopDocs};
        use tantivy::schema::Value;
        let searcher = self.reader.searcher();
        let (query, _) = self.parser.parse_query_lenient(q);
        let top_docs = TopDocs::with_limit(10).order_by_score();
        let top = if counted {
            let mut facets = FacetCollector::for_field("facets");
            for root in arsip_core::index::FACET_ROOTS {
                facets.add_facet(root);
            }
            let (top, total, facets) = searcher
                .search(&query, &(top_docs, Count, facets))
                .map_err(internal)?;
            std::hint::black_box((total, facets.get("/type").count()));
            top
        } else {
            searcher.search(&query, &top_docs).map_err(internal)?
        };
        for (_, addr) in &top {
            let doc: tantivy::TantivyDocument = searcher.doc(*addr).map_err(internal)?;
            std::hint::black_box(doc.get_first(self.title).and_then(|v| v.as_str()));
        }
        Ok(top.len())
    }
}

fn fts5_search(conn: &rusqlite::Connection, q: &str) -> arsip_core::Result<usize> {
    let expr = q
        .split_whitespace()
        .map(|w| format!("\"{}\"", w.replace('"', "")))
        .collect::<Vec<_>>()
        .join(" ");
    let mut stmt = conn
        .prepare_cached(
            "SELECT rowid, title, snippet(doc, 1, '[', ']', '…', 24) FROM doc
             WHERE doc MATCH ?1 ORDER BY rank LIMIT 10",
        )
        .map_err(internal)?;
    let rows = stmt
        .query_map([expr], |r| r.get::<_, String>(2))
        .map_err(internal)?;
    let mut n = 0;
    for row in rows {
        std::hint::black_box(row.map_err(internal)?);
        n += 1;
    }
    Ok(n)
}

fn internal(e: impl std::fmt::Display) -> arsip_core::Error {
    arsip_core::Error::new(arsip_core::ErrorCode::Internal, e.to_string())
}
