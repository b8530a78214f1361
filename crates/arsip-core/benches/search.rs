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
//! `test_support::RawCatalogue`; opening the archive then builds the index from the
//! catalogue's change sequence, as a real catch-up would. The bench archive holds
//! no original files, so it is not one to `arsip verify`. Archives are kept under
//! target/tmp and reused by later runs (delete them to rebuild).
//!
//! To see where a search's time goes: `BENCH_OURS_ONLY=1` stops after our
//! own searches and `BENCH_QUERY="kota bogor"` runs that one query 50 times,
//! under `perf record --call-graph dwarf` on the bench binary (how the facet
//! and phrase costs in `index/facet_tally.rs` and `index/synonyms.rs` were found).

use arsip_core::index::analyzer;
use arsip_core::{Archive, Clearance, Role, SearchRequest};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const QUERIES: usize = 300;

mod common;

use common::records::{self, make_queries, read_samples};
use common::{number_args, peak_rss_mb, BenchResult};

fn main() -> BenchResult<()> {
    let sizes: Vec<usize> = number_args();
    let sizes = if sizes.is_empty() {
        vec![10_000, 100_000]
    } else {
        sizes
    };
    println!(
        "search bench: {QUERIES} typed queries, top 10, after one warm-up pass; \
         segments searched on {} threads (ours and raw tantivy alike)",
        arsip_core::index::search_threads()
    );
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
    drop(archive);
    // Opened again, caught up: what starting the app or a server costs.
    let started = Instant::now();
    let archive = Archive::open(&root)?;
    println!(
        "archive opens in {:.0} ms; index on disk {:.0} MB, catalogue {:.0} MB",
        started.elapsed().as_secs_f64() * 1000.0,
        dir_size(&root.join("index"))? as f64 / 1e6,
        std::fs::metadata(root.join(arsip_core::archive::CATALOGUE_FILE))?.len() as f64 / 1e6
    );
    let mut queries = make_queries(&samples, QUERIES);
    if let Ok(q) = std::env::var("BENCH_QUERY") {
        queries = vec![q; 50];
    }

    let staff = Clearance::operator("bench").narrowed(Role::Sekretariat);
    let publik = Clearance::public();
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
    let slowest: Vec<String> = ours_staff
        .slowest
        .iter()
        .map(|(ms, q)| format!("{q:?} {ms:.1} ms"))
        .collect();
    println!("slowest for the secretariat: {}", slowest.join(", "));
    if std::env::var_os("BENCH_OURS_ONLY").is_some() {
        for (name, m) in [("sekretariat", &ours_staff), ("publik", &ours_publik)] {
            println!(
                "arsip, {name}: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
                m.pct(50),
                m.pct(95),
                m.pct(99)
            );
        }
        return Ok(());
    }

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
    let target_ms = if n >= 1_000_000 { 50.0 } else { 15.0 };
    println!(
        "p99 ratios: arsip/raw tantivy {:.2}×, arsip/raw tantivy with count+facets {:.2}× (target ≤ 1.5), \
         FTS5/arsip {:.2}× (target ≥ 3); p99 {:.1} ms sekretariat, {:.1} ms publik (target ≤ {target_ms} at this size)",
        ours_staff.pct(99) / raw_times.pct(99),
        ours_staff.pct(99) / raw_counted.pct(99),
        fts_times.pct(99) / ours_staff.pct(99),
        ours_staff.pct(99),
        ours_publik.pct(99)
    );
    Ok(())
}

fn dir_size(dir: &Path) -> BenchResult<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        total += entry?.metadata()?.len();
    }
    Ok(total)
}

/// Latencies of one pass over the queries, after a warm-up pass.
struct Measured {
    millis: Vec<f64>,
    hits: usize,
    /// The slowest queries, slowest first.
    slowest: Vec<(f64, String)>,
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
    let mut timed = Vec::with_capacity(queries.len());
    let mut hits = 0;
    for q in queries {
        let t = Instant::now();
        hits += run(q)?;
        timed.push((t.elapsed().as_secs_f64() * 1000.0, q.clone()));
    }
    timed.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut millis: Vec<f64> = timed.iter().map(|t| t.0).collect();
    millis.sort_by(f64::total_cmp);
    timed.truncate(5);
    Ok(Measured {
        millis,
        hits,
        slowest: timed,
    })
}

/// Writes `n` records into a new archive and the same text into an FTS5 table;
/// returns a sample of the records' text to draw queries from.
fn build(root: &Path, n: usize) -> BenchResult<Vec<String>> {
    let fts_path = root.join("fts5.sqlite");
    let mut fts: Option<rusqlite::Connection> = None;
    let mut fts_time = Duration::ZERO;
    let samples = records::build(root, n, |batch| {
        let conn = match &mut fts {
            Some(c) => c,
            None => {
                let c = rusqlite::Connection::open(&fts_path)?;
                c.execute_batch(
                    "PRAGMA journal_mode = WAL;
                     CREATE VIRTUAL TABLE doc USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');",
                )?;
                fts.insert(c)
            }
        };
        let t = Instant::now();
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare("INSERT INTO doc (title, body) VALUES (?1, ?2)")?;
            for r in batch {
                let body: Vec<&str> = r.files[0].pages.iter().map(|p| p.text.as_str()).collect();
                stmt.execute((&r.title, body.join("\n\n")))?;
            }
        }
        tx.commit()?;
        fts_time += t.elapsed();
        Ok(())
    })?;
    println!("FTS5 table: {:.1} s", fts_time.as_secs_f64());
    Ok(samples)
}

/// The baseline: tantivy as a developer would use it out of the box on our index.
struct RawTantivy {
    reader: tantivy::IndexReader,
    parser: tantivy::query::QueryParser,
    title: tantivy::schema::Field,
}

impl RawTantivy {
    fn open(dir: &Path) -> BenchResult<RawTantivy> {
        let mut index = tantivy::Index::open_in_dir(dir)?;
        // On as many threads as ours, so the ratio is ours alone.
        let threads = arsip_core::index::search_threads();
        if threads > 1 {
            index.set_multithread_executor(threads)?;
        }
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
