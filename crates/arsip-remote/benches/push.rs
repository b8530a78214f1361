//! Push throughput: a generated archive of at least 2 GB (random bytes, as
//! incompressible as scans) pushed to a loopback S3 server (s3s-fs), beside
//! `rclone copy` of the same blob files to the same server in the same run;
//! then a push killed (SIGKILL) mid-way and run again, with the bytes it sent
//! a second time. Figures, not a test:
//!
//! ```sh
//! cargo bench -p arsip-remote --bench push     # ARSIP_BENCH_PUSH_MB=2200 by default
//! ```
//! Needs s3s-fs and rclone (`bash scripts/setup.sh --test` installs both).

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)] // a bench fails loudly

#[path = "../tests/it/s3.rs"]
mod s3;

use arsip_core::catalogue::NewRecord;
use arsip_core::model::StoredFile;
use arsip_core::sync::{PushOptions, PART_SIZE};
use arsip_core::test_support::RawCatalogue;
use arsip_core::{AccessLevel, Archive, Clearance};
use arsip_remote::Remote;
use rand::{Rng, SeedableRng};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const MB: f64 = 1e6;

fn admin() -> Clearance {
    Clearance::operator("bench")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child-push") {
        // The pusher the parent kills: settings come from the environment.
        let archive = Archive::open(Path::new(&args[2])).unwrap();
        let store = Remote::open(&args[3]).unwrap();
        archive
            .sync_push(&store, &PushOptions::default(), &|_| {}, &admin())
            .unwrap();
        return;
    }
    let target_mb: u64 = std::env::var("ARSIP_BENCH_PUSH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2200);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../target/bench-data/push-{target_mb}"));
    let (files, total) = build(&root, target_mb * 1_000_000);
    println!(
        "archive: {files} files, {:.0} MB of originals",
        total as f64 / MB
    );
    // Read every blob once so both tools start from a warm page cache.
    let warm = Instant::now();
    for entry in walk(&root.join("blobs")) {
        std::fs::read(entry).unwrap();
    }
    println!("page cache warmed in {:.1} s", warm.elapsed().as_secs_f64());

    let s3 = s3::S3Server::start();
    let t = Instant::now();
    let out = Command::new("rclone")
        .args(["copy", "--s3-no-check-bucket", "--exclude", "tmp/**"])
        .arg(root.join("blobs"))
        .arg("bench:arsip/rclone")
        .env("RCLONE_CONFIG_BENCH_TYPE", "s3")
        .env("RCLONE_CONFIG_BENCH_PROVIDER", "Other")
        .env("RCLONE_CONFIG_BENCH_ACCESS_KEY_ID", s3::KEY)
        .env("RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY", s3::SECRET)
        .env("RCLONE_CONFIG_BENCH_ENDPOINT", &s3.endpoint)
        .env("RCLONE_CONFIG_BENCH_REGION", "us-east-1")
        // rclone 1.60's AWS SDK refuses any AWS_CA_BUNDLE on its HTTP
        // transport ("LoadCustomCABundleError"); loopback HTTP needs none.
        .env_remove("AWS_CA_BUNDLE")
        .output()
        .expect("rclone (bash scripts/setup.sh --test installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rclone_s = t.elapsed().as_secs_f64();
    if let Some(dir) = s3.object_file("rclone") {
        let _ = std::fs::remove_dir_all(dir);
    }
    let rclone_mbs = total as f64 / MB / rclone_s;
    println!("rclone copy (4 transfers, defaults): {rclone_s:.1} s, {rclone_mbs:.1} MB/s");

    let archive = Archive::open(&root).unwrap();
    let t = Instant::now();
    let report = archive
        .sync_push(
            &s3.store("ours"),
            &PushOptions::default(),
            &|_| {},
            &admin(),
        )
        .unwrap();
    let ours_s = t.elapsed().as_secs_f64();
    if let Some(dir) = s3.object_file("ours") {
        let _ = std::fs::remove_dir_all(dir);
    }
    let ours_mbs = report.bytes_sent as f64 / MB / ours_s;
    println!(
        "arsip sync push: {ours_s:.1} s, {ours_mbs:.1} MB/s ({} blobs, {} segments): {:.2}x rclone's throughput",
        report.blobs_sent,
        report.segments_sent,
        ours_mbs / rclone_mbs
    );

    // One transfer at a time: at most one part in flight, at this speed.
    let t = Instant::now();
    let one = PushOptions {
        transfers: 1,
        ..PushOptions::default()
    };
    let single = archive
        .sync_push(&s3.store("one"), &one, &|_| {}, &admin())
        .unwrap();
    let one_s = t.elapsed().as_secs_f64();
    if let Some(dir) = s3.object_file("one") {
        let _ = std::fs::remove_dir_all(dir);
    }
    let one_mbs = single.bytes_sent as f64 / MB / one_s;
    println!(
        "arsip sync push --transfers 1: {one_s:.1} s, {one_mbs:.1} MB/s: {:.2}x rclone's throughput",
        one_mbs / rclone_mbs
    );

    // Pushes killed with SIGKILL at 20%, 45% and 70% of the expected time,
    // each run again to the end.
    drop(archive);
    let transfers = PushOptions::default().transfers;
    for (i, at) in [0.2, 0.45, 0.7].into_iter().enumerate() {
        let prefix = format!("kill-{i}");
        let url = format!("s3://arsip/{prefix}");
        let mut child = Command::new(std::env::current_exe().unwrap());
        child.args(["--child-push", root.to_str().unwrap(), &url]);
        for (k, v) in s3.settings() {
            child.env(k.to_uppercase(), v);
        }
        let mut child = child.spawn().unwrap();
        std::thread::sleep(Duration::from_secs_f64(ours_s * at));
        child.kill().unwrap();
        child.wait().unwrap();
        let archive = Archive::open(&root).unwrap();
        let store = s3.store(&prefix);
        let acknowledged = s3::acknowledged(&root, &store, &url, &sizes(&root));
        let again = archive
            .sync_push(&store, &PushOptions::default(), &|_| {}, &admin())
            .unwrap();
        let resent = (acknowledged + again.bytes_sent).saturating_sub(total);
        println!(
            "killed at {:.1} s ({:.0} MB acknowledged); the next push sent {:.0} MB: {:.1} MiB of what the \
             store had acknowledged was sent again = {:.2} parts of {} MiB ({} transfers); of them {:.1} MiB \
             were parts of an upload the store forgot (cut off while it assembled the object), {:.2} parts \
             beyond them. A request cut off mid-way is not acknowledged and not counted: at most one part \
             per transfer",
            ours_s * at,
            acknowledged as f64 / MB,
            again.bytes_sent as f64 / MB,
            resent as f64 / (1 << 20) as f64,
            resent as f64 / PART_SIZE as f64,
            PART_SIZE >> 20,
            transfers,
            again.bytes_lost as f64 / (1 << 20) as f64,
            resent.saturating_sub(again.bytes_lost) as f64 / PART_SIZE as f64,
        );
        if let Some(dir) = s3.object_file(&prefix) {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Each original's size, by hash.
fn sizes(root: &Path) -> std::collections::HashMap<String, u64> {
    let conn = rusqlite::Connection::open(root.join(arsip_core::archive::CATALOGUE_FILE)).unwrap();
    let mut stmt = conn.prepare("SELECT sha256, size FROM file").unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
        })
        .unwrap();
    rows.map(|r| r.unwrap()).collect()
}

/// An archive of records whose originals are 2–24 MB of random bytes, until
/// `bytes` are reached; made once and kept under target/bench-data.
fn build(root: &Path, bytes: u64) -> (usize, u64) {
    let ready = root.join("ready");
    if let Ok(text) = std::fs::read_to_string(&ready) {
        if let Some((n, total)) = text.trim().split_once(' ') {
            return (n.parse().unwrap(), total.parse().unwrap());
        }
    }
    if root.exists() {
        std::fs::remove_dir_all(root).unwrap();
    }
    drop(Archive::init(root, "KPU Kota Bogor (bench)", "32.71").unwrap());
    let blobs = arsip_core::blobs::BlobStore::open(root.join("blobs")).unwrap();
    let mut cat = RawCatalogue::open(root).unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(2026);
    let (mut n, mut total) = (0usize, 0u64);
    while total < bytes {
        let size = rng.random_range(2_000_000..24_000_000usize);
        let mut data = vec![0u8; size];
        rng.fill(&mut data[..]);
        let hash = blobs.put_bytes(&data).unwrap();
        let file = StoredFile {
            name: format!("pindaian-{n}.pdf"),
            sha256: hash,
            media_type: "application/pdf".into(),
            size: size as u64,
        };
        let text = format!("pindaian {n}");
        cat.insert_record(&NewRecord::born_digital(
            format!("Pindaian arsip {n}"),
            file,
            text,
            AccessLevel::Terbatas,
            "bench",
        ))
        .unwrap();
        n += 1;
        total += size as u64;
    }
    std::fs::write(&ready, format!("{n} {total}")).unwrap();
    (n, total)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
