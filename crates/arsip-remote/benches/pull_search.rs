//! Search while a province applies a large pull: a province already holding
//! `N` records (1,000,000 by default) pulls one large office
//! (`ARSIP_BENCH_OFFICE_RECORDS`, 50,000 by default, each with one 4 KB
//! original) from a bucket, while another thread searches it without pause.
//! Figures, not a test:
//!
//! ```sh
//! cargo bench -p arsip-remote --bench pull_search [-- 1000000]
//! ```
//!
//! Prints search latency before the pull and during it, the longest search,
//! and the pull's own time. The province's records are the search bench's
//! (`arsip-core/benches/common/records.rs`), inserted through
//! `test_support::RawCatalogue`; the province is kept under target/tmp and
//! copied for each run, so the pull always lands on the same `N` (delete
//! `target/tmp/bench-province-N` to rebuild it: about 10 minutes at 1M).
//! Without `ARSIP_S3_SERVER=garage` the bucket is s3s-fs.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)] // a bench fails loudly

#[path = "../tests/it/s3.rs"]
mod s3;

#[path = "../../arsip-core/benches/common/mod.rs"]
mod common;

#[path = "common/office.rs"]
mod office;

use arsip_core::sync::PushOptions;
use arsip_core::{Archive, Clearance, Role, SearchRequest};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

fn admin() -> Clearance {
    Clearance::operator("bench")
}

fn main() {
    let n = common::number_args().first().copied().unwrap_or(1_000_000);
    let office_records: usize = std::env::var("ARSIP_BENCH_OFFICE_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50_000);
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let base = tmp.join(format!("bench-province-{n}"));
    let samples = if base.join("ready").is_file() {
        println!("province of {n} records reused from {}", base.display());
        common::records::read_samples(&base).unwrap()
    } else {
        println!("building a province of {n} records in {}", base.display());
        let samples = common::records::build_with(
            &base,
            n,
            |root| Archive::init_province(root, "KPU Provinsi Jawa Barat (bench)", "32"),
            |_| Ok(()),
        )
        .unwrap();
        let t = Instant::now();
        drop(Archive::open(&base).unwrap());
        println!("index catch-up: {:.0} s", t.elapsed().as_secs_f64());
        samples
    };
    let work = tmp.join(format!("bench-province-{n}-pull"));
    if work.exists() {
        std::fs::remove_dir_all(&work).unwrap();
    }
    let t = Instant::now();
    copy_tree(&base, &work);
    println!("copied for this run in {:.0} s", t.elapsed().as_secs_f64());

    let s3 = s3::S3Server::start();
    let store = s3.store("jabar");
    let dir = tempfile::tempdir_in(&tmp).unwrap();
    let t = Instant::now();
    let office = office::build(
        &dir.path().join("office"),
        "KPU Kabupaten Bogor",
        "32.01",
        office_records,
        4,
        7,
    );
    let built = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let pushed = office
        .sync_push(&store, &PushOptions::default(), &|_| {}, &admin())
        .unwrap();
    println!(
        "office of {office_records} records: built in {built:.0} s, pushed {:.0} MB in {:.0} s",
        pushed.bytes_sent as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    let province = Archive::open(&work).unwrap();
    office::register(&province, &office);
    let who = admin().narrowed(Role::Sekretariat);
    let queries = common::records::make_queries(&samples, 200);
    let search = |q: &str| -> f64 {
        let mut req = SearchRequest::new(q);
        req.limit = 10;
        let t = Instant::now();
        province.search(&req, &who).unwrap();
        t.elapsed().as_secs_f64() * 1000.0
    };
    for q in &queries {
        search(q);
    }
    let idle: Vec<f64> = queries.iter().map(|q| search(q)).collect();

    let pulling = AtomicBool::new(true);
    let (during, pull_s) = std::thread::scope(|scope| {
        let searcher = scope.spawn(|| {
            let mut millis = Vec::new();
            'run: loop {
                for q in &queries {
                    if !pulling.load(Ordering::Relaxed) {
                        break 'run;
                    }
                    millis.push(search(q));
                }
            }
            millis
        });
        let t = Instant::now();
        let report = province.sync_pull(&store, &admin()).unwrap();
        let pull_s = t.elapsed().as_secs_f64();
        pulling.store(false, Ordering::Relaxed);
        assert!(report.complete(), "{report:?}");
        (searcher.join().unwrap(), pull_s)
    });
    let all = province.search(&SearchRequest::new(""), &admin()).unwrap();
    assert_eq!(
        all.total,
        n + office_records,
        "every record searchable after the pull"
    );
    println!(
        "pull of {office_records} records into {n}: {pull_s:.1} s ({:.0} records/s), {} searches meanwhile",
        office_records as f64 / pull_s,
        during.len()
    );
    for (label, millis) in [("before the pull", idle), ("during the pull", during)] {
        let mut m = millis;
        m.sort_by(f64::total_cmp);
        let pct = |p: usize| m[(m.len() * p / 100).min(m.len() - 1)];
        println!(
            "search {label} (sekretariat): p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, longest {:.1} ms",
            pct(50),
            pct(95),
            pct(99),
            m.last().copied().unwrap_or(0.0)
        );
    }
    println!("peak RSS of this process: {} MB", common::peak_rss_mb());
    drop(province);
    std::fs::remove_dir_all(&work).unwrap();
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
