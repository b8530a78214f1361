//! Backup and restore of an office-sized archive, beside a baseline measured
//! in the same run on the same files: a plain recursive copy of the archive's
//! catalogue and blobs (what `cp -r` to a flash drive would do, with no
//! snapshot, no checking and nothing incremental).
//!
//!     cargo bench -p arsip-core --bench backup [-- 10000]
//!
//! The records are the search bench's born-digital election documents, each
//! with its original (its text, a few KB) in the blob store. Timed: the first
//! backup into an empty folder (snapshot, every blob copied, read back and
//! re-hashed), a second one after 1% more records (only the new blobs), and a
//! restore into a new folder (blobs copied and hashed, index rebuilt from the
//! catalogue, the whole archive verified).

use arsip_core::blobs::BlobStore;
use arsip_core::catalogue::NewRecord;
use arsip_core::test_support::RawCatalogue;
use arsip_core::{Archive, Clearance};
use rand::SeedableRng;
use std::path::Path;
use std::time::Instant;

mod common;

use common::records;
use common::{number_args, peak_rss_mb, BenchResult};

fn main() -> BenchResult<()> {
    let n = number_args().first().copied().unwrap_or(10_000);
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let root = tmp.join(format!("bench-backup-{n}"));
    println!("backup bench: {n} records with their originals");
    let t = Instant::now();
    records::build(&root, n, |batch| put_originals(&root, batch))?;
    println!("built in {:.1} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let archive = Archive::open(&root)?;
    println!("index catch-up: {:.1} s", t.elapsed().as_secs_f64());
    let admin = Clearance::operator("bench");
    let (files, bytes) = tree_size(&root.join("blobs"));
    let db = std::fs::metadata(root.join("catalogue.sqlite"))?.len();
    println!(
        "archive: {files} blobs, {:.1} MB of blobs, catalogue {:.1} MB",
        mb(bytes),
        mb(db)
    );

    let copy = tmp.join(format!("bench-backup-{n}-copy"));
    let target = tmp.join(format!("bench-backup-{n}-target"));
    let restored = tmp.join(format!("bench-backup-{n}-restored"));
    for dir in [&copy, &target, &restored] {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
    }
    let t = Instant::now();
    copy_tree(&root.join("blobs"), &copy.join("blobs"))?;
    std::fs::copy(root.join("catalogue.sqlite"), copy.join("catalogue.sqlite"))?;
    let baseline = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let first = archive.backup(&target, &admin)?;
    let full = t.elapsed().as_secs_f64();

    // 1% more work, then the next backup.
    let more = (n / 100).max(1);
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let batch: Vec<NewRecord> = (n..n + more)
        .map(|i| records::new_record(i, &["32.71.01.1001"], &mut rng))
        .collect();
    RawCatalogue::open(&root)?.insert_records(&batch)?;
    put_originals(&root, &batch)?;
    let t = Instant::now();
    let second = archive.backup(&target, &admin)?;
    let incremental = t.elapsed().as_secs_f64();
    drop(archive);

    let t = Instant::now();
    let (_, report) = Archive::restore(&target, &restored, "bench")?;
    let restore = t.elapsed().as_secs_f64();
    assert_eq!(report.verify.problems(), 0, "{report:?}");

    println!("{:<58} {:>9} {:>9}", "", "seconds", "blobs");
    for (name, secs, blobs) in [
        (
            "baseline: plain copy of catalogue and blobs",
            baseline,
            files,
        ),
        (
            "backup, first (snapshot, copy, read back, hash)",
            full,
            first.blobs_copied,
        ),
        (
            "backup, after 1% more records (incremental)",
            incremental,
            second.blobs_copied,
        ),
        (
            "restore (copy, hash, index rebuilt, verified)",
            restore,
            report.blobs,
        ),
    ] {
        println!("{name:<58} {secs:>9.2} {blobs:>9}");
    }
    println!(
        "ratios: first backup/plain copy {:.2}×, incremental/first {:.3}×, restore/plain copy {:.2}×",
        full / baseline,
        incremental / full,
        restore / baseline
    );
    println!("peak RSS of this process: {} MB", peak_rss_mb());
    for dir in [&copy, &target, &restored] {
        std::fs::remove_dir_all(dir)?;
    }
    Ok(())
}

/// Writes each record's original: the text its hash was taken of.
fn put_originals(root: &Path, batch: &[NewRecord]) -> BenchResult<()> {
    let store = BlobStore::open(root.join("blobs"))?;
    for r in batch {
        let i: usize = r.files[0].file.name[..6].parse()?;
        let text: String = r.files[0].pages.iter().map(|p| p.text.as_str()).collect();
        let bytes = format!("{i}\n{text}");
        let hash = store.put_bytes(bytes.as_bytes())?;
        assert_eq!(
            hash, r.files[0].file.sha256,
            "the bench's originals match their records"
        );
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> BenchResult<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(entry.file_name()))?;
        } else {
            std::fs::copy(&path, to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

fn tree_size(dir: &Path) -> (usize, u64) {
    let mut out = (0, 0);
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            let (f, b) = tree_size(&path);
            out = (out.0 + f, out.1 + b);
        } else {
            out = (
                out.0 + 1,
                out.1 + entry.metadata().map(|m| m.len()).unwrap_or(0),
            );
        }
    }
    out
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_048_576.0
}
