//! A province of 27 offices: the 27 kab/kota of Jawa Barat, each an archive
//! of its own sized by its population, push to one bucket; the province
//! pulls them all and is searched. Figures, not a test:
//!
//! ```sh
//! ARSIP_S3_SERVER=garage cargo bench -p arsip-remote --bench province
//! ```
//!
//! Without `ARSIP_S3_SERVER=garage` the bucket is s3s-fs (as in the sync
//! tests); Garage is built with `cargo install garage` (about 30 minutes).
//! Scaled down by default: `ARSIP_BENCH_PROVINCE_RECORDS` records in all
//! (27,000), each with one original of `ARSIP_BENCH_PROVINCE_KB` random KB
//! (64; as incompressible as a scan) and the text of one to three pages. A
//! real Jawa Barat Pemilu is about 1.1M records and 2.2 TB (ARCHITECTURE.md,
//! "A province, and the nation").

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)] // a bench fails loudly

#[path = "../tests/it/s3.rs"]
mod s3;

#[path = "../../arsip-core/benches/common/mod.rs"]
mod common;

#[path = "common/office.rs"]
mod office;

use arsip_core::sync::PushOptions;
use arsip_core::{Archive, Clearance, SearchRequest};
use rand::SeedableRng;
use std::time::Instant;

const MB: f64 = 1e6;

/// The 27 kab/kota of Jawa Barat and their populations in millions (2020
/// census, rounded): used only to size each office's archive.
const OFFICES: [(&str, &str, f64); 27] = [
    ("32.01", "KPU Kabupaten Bogor", 5.43),
    ("32.02", "KPU Kabupaten Sukabumi", 2.73),
    ("32.03", "KPU Kabupaten Cianjur", 2.48),
    ("32.04", "KPU Kabupaten Bandung", 3.62),
    ("32.05", "KPU Kabupaten Garut", 2.59),
    ("32.06", "KPU Kabupaten Tasikmalaya", 1.87),
    ("32.07", "KPU Kabupaten Ciamis", 1.23),
    ("32.08", "KPU Kabupaten Kuningan", 1.17),
    ("32.09", "KPU Kabupaten Cirebon", 2.27),
    ("32.10", "KPU Kabupaten Majalengka", 1.31),
    ("32.11", "KPU Kabupaten Sumedang", 1.15),
    ("32.12", "KPU Kabupaten Indramayu", 1.83),
    ("32.13", "KPU Kabupaten Subang", 1.60),
    ("32.14", "KPU Kabupaten Purwakarta", 1.00),
    ("32.15", "KPU Kabupaten Karawang", 2.37),
    ("32.16", "KPU Kabupaten Bekasi", 3.11),
    ("32.17", "KPU Kabupaten Bandung Barat", 1.79),
    ("32.18", "KPU Kabupaten Pangandaran", 0.42),
    ("32.71", "KPU Kota Bogor", 1.04),
    ("32.72", "KPU Kota Sukabumi", 0.35),
    ("32.73", "KPU Kota Bandung", 2.44),
    ("32.74", "KPU Kota Cirebon", 0.33),
    ("32.75", "KPU Kota Bekasi", 2.54),
    ("32.76", "KPU Kota Depok", 2.06),
    ("32.77", "KPU Kota Cimahi", 0.57),
    ("32.78", "KPU Kota Tasikmalaya", 0.72),
    ("32.79", "KPU Kota Banjar", 0.20),
];

fn admin() -> Clearance {
    Clearance::operator("bench")
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let total = env_number("ARSIP_BENCH_PROVINCE_RECORDS", 27_000);
    let kb = env_number("ARSIP_BENCH_PROVINCE_KB", 64);
    let people: f64 = OFFICES.iter().map(|o| o.2).sum();
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let s3 = s3::S3Server::start();
    let store = s3.store("jabar");
    println!(
        "province bench: 27 offices, {total} records, one {kb} KB original each, into one bucket ({})",
        if std::env::var("ARSIP_S3_SERVER").is_ok_and(|s| s == "garage") {
            "Garage"
        } else {
            "s3s-fs"
        }
    );
    println!(
        "{:<28} {:>8} {:>10} {:>8} {:>9}",
        "office", "records", "sent MB", "push s", "MB/s"
    );
    let mut offices = Vec::new();
    let (mut pushed_bytes, mut push_time) = (0u64, 0f64);
    for (i, (region, name, millions)) in OFFICES.iter().enumerate() {
        let records = ((total as f64) * millions / people).round().max(1.0) as usize;
        let root = dir.path().join(region);
        let archive = office::build(&root, name, region, records, kb, i as u64);
        let t = Instant::now();
        let report = archive
            .sync_push(&store, &PushOptions::default(), &|_| {}, &admin())
            .unwrap();
        let secs = t.elapsed().as_secs_f64();
        pushed_bytes += report.bytes_sent;
        push_time += secs;
        println!(
            "{name:<28} {records:>8} {:>10.1} {secs:>8.1} {:>9.1}",
            report.bytes_sent as f64 / MB,
            report.bytes_sent as f64 / MB / secs
        );
        offices.push(archive);
    }
    println!(
        "all offices: {:.0} MB sent in {push_time:.0} s ({:.1} MB/s), one office after another",
        pushed_bytes as f64 / MB,
        pushed_bytes as f64 / MB / push_time
    );

    let province =
        Archive::init_province(&dir.path().join("prov"), "KPU Provinsi Jawa Barat", "32").unwrap();
    for o in &offices {
        office::register(&province, o);
    }
    let t = Instant::now();
    let pulled = province.sync_pull(&store, &admin()).unwrap();
    let pull_s = t.elapsed().as_secs_f64();
    assert!(pulled.complete(), "{pulled:?}");
    let everything = province.search(&SearchRequest::new(""), &admin()).unwrap();
    assert_eq!(everything.total, offices.iter().map(count).sum::<usize>());
    println!(
        "province pull of 27 offices: {pull_s:.1} s ({:.0} records/s), {} records searchable",
        everything.total as f64 / pull_s,
        everything.total
    );

    let samples: Vec<String> = (0..200)
        .map(|i| {
            let mut rng = rand::rngs::StdRng::seed_from_u64(i);
            common::records::new_record(i as usize, &["32.71.01.1001"], &mut rng).files[0]
                .pages
                .iter()
                .map(|p| p.text.as_str())
                .collect()
        })
        .collect();
    let queries = common::records::make_queries(&samples, 200);
    for (label, who) in [
        (
            "sekretariat",
            admin().narrowed(arsip_core::Role::Sekretariat),
        ),
        ("publik", Clearance::public()),
    ] {
        let mut millis = Vec::new();
        for pass in 0..2 {
            for q in &queries {
                let mut req = SearchRequest::new(q.as_str());
                req.limit = 10;
                let t = Instant::now();
                province.search(&req, &who).unwrap();
                if pass == 1 {
                    millis.push(t.elapsed().as_secs_f64() * 1000.0);
                }
            }
        }
        millis.sort_by(f64::total_cmp);
        let pct = |p: usize| millis[(millis.len() * p / 100).min(millis.len() - 1)];
        println!(
            "search at the province, {label}: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
            pct(50),
            pct(95),
            pct(99)
        );
    }
}

fn count(archive: &Archive) -> usize {
    archive
        .search(&SearchRequest::new(""), &admin())
        .unwrap()
        .total
}
