//! How fast a page opens in the viewer and at the kiosk, for image scans,
//! scanned PDFs and born-digital text PDFs (300 dpi, generated like the
//! ingest bench's), each page timed as:
//! - first view: a freshly opened archive, the view stored at ingest (text
//!   PDFs: drawn on first view), no query and with a query's word marked;
//! - repeat view: the same request again;
//! - cold view: the stored views deleted (an archive older than views, a
//!   province's pulled records): the view is made from the original;
//! - baseline, in the same run on the same files: drawing the page from its
//!   original as the viewer did before views (poppler at 300 dpi as PNG and
//!   a decode; a scan decoded), then fitted to the viewer's width.
//!
//!     cargo bench -p arsip-core --bench pages [-- RECORDS]
//!
//! Default: 6 records of each format.

use arsip_core::corpus::{self, CorpusOptions, Format, Truth};
use arsip_core::ingest::IngestOptions;
use arsip_core::{Archive, Clearance, RecordId};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

mod common;

use common::{number_args, BenchResult};

fn main() -> BenchResult<()> {
    let records = number_args().first().copied().unwrap_or(6);
    let work = tempfile::tempdir()?;
    println!(
        "page image bench: {records} records of each format, 300 dpi, times in ms (median / worst)"
    );
    println!(
        "{:<14} {:>15} {:>15} {:>15} {:>15} {:>17} {:>9}",
        "", "first", "first marked", "repeat", "cold", "baseline (before)", "ratio"
    );
    for (name, format) in [
        ("image scans", Format::Jpeg),
        ("scanned PDFs", Format::ScanPdf),
        ("text PDFs", Format::TextPdf),
    ] {
        let row = measure(work.path(), name, format, records)?;
        println!(
            "{name:<14} {:>15} {:>15} {:>15} {:>15} {:>17} {:>8.0}×",
            row.first.show(),
            row.marked.show(),
            row.repeat.show(),
            row.cold.show(),
            row.baseline.show(),
            row.baseline.median() / row.first.median().max(0.001),
        );
    }
    println!(
        "ratio: baseline median / first view median (targets: first ≤ 500 ms, repeat ≤ 50 ms)"
    );
    Ok(())
}

#[derive(Default)]
struct Times(Vec<f64>);

impl Times {
    fn time<T>(&mut self, f: impl FnOnce() -> BenchResult<T>) -> BenchResult<T> {
        let started = Instant::now();
        let out = f()?;
        self.0.push(started.elapsed().as_secs_f64() * 1000.0);
        Ok(out)
    }

    fn median(&self) -> f64 {
        let mut v = self.0.clone();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    }

    fn show(&self) -> String {
        let worst = self.0.iter().copied().fold(0.0, f64::max);
        format!("{:.0} / {:.0}", self.median(), worst)
    }
}

#[derive(Default)]
struct Row {
    first: Times,
    marked: Times,
    repeat: Times,
    cold: Times,
    baseline: Times,
}

fn measure(root: &Path, name: &str, format: Format, records: usize) -> BenchResult<Row> {
    let dir = root.join(format!("{format:?}"));
    let truths = corpus::generate(
        &dir,
        &CorpusOptions {
            records,
            seed: 11,
            dpi: 300,
            turn_every: 0,
            formats: vec![format],
            kinds: Vec::new(),
        },
    )?;
    let archive_dir = root.join(format!("archive-{format:?}"));
    let admin = Clearance::operator("bench");
    let ids: Vec<(RecordId, &Truth)> = {
        let archive = Archive::init(&archive_dir, "Bench", "32.71")?;
        let paths = corpus::paths(&dir, &truths);
        let (reports, summary) = archive.ingest(&paths, &IngestOptions::default(), &(), &admin)?;
        if summary.failed > 0 {
            return Err(format!("{name}: {} files failed", summary.failed).into());
        }
        truths
            .iter()
            .filter_map(|t| {
                let path = dir.join(&t.file).display().to_string();
                let report = reports.iter().find(|r| r.path == path)?;
                Some((report.id?, t))
            })
            .collect()
    };
    let mut row = Row::default();
    let archive = Archive::open(&archive_dir)?;
    for (id, truth) in &ids {
        let word = truth.pages[0]
            .split_whitespace()
            .filter(|w| w.chars().all(char::is_alphabetic))
            .max_by_key(|w| w.len())
            .unwrap_or("Bogor")
            .to_string();
        row.first
            .time(|| Ok(archive.page_image(id, 1, "", &admin)?))?;
        let marked = row
            .marked
            .time(|| Ok(archive.page_image(id, 1, &word, &admin)?))?;
        if marked.highlights == 0 {
            return Err(format!("{name}: '{word}' not marked on {}", truth.file).into());
        }
        row.repeat
            .time(|| Ok(archive.page_image(id, 1, &word, &admin)?))?;
        let original = dir.join(&truth.file);
        row.baseline.time(|| drawn_as_before(&original, format))?;
    }
    drop(archive);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(archive_dir.join(format!("views.sqlite{suffix}")));
    }
    let archive = Archive::open(&archive_dir)?;
    for (id, _) in &ids {
        row.cold
            .time(|| Ok(archive.page_image(id, 1, "", &admin)?))?;
    }
    Ok(row)
}

/// Page 1 drawn from the original the way the viewer did before views.
fn drawn_as_before(original: &Path, format: Format) -> BenchResult<Vec<u8>> {
    let img = match format {
        Format::ScanPdf | Format::TextPdf => {
            let out = tempfile::tempdir()?;
            let prefix = out.path().join("p");
            let dpi = if format == Format::ScanPdf {
                "300"
            } else {
                "150"
            };
            let status = Command::new("pdftoppm")
                .args(["-f", "1", "-l", "1", "-singlefile", "-png", "-r", dpi])
                .arg(original)
                .arg(&prefix)
                .status()?;
            if !status.success() {
                return Err("pdftoppm failed".into());
            }
            image::open(out.path().join("p.png"))?
        }
        _ => image::open(original)?,
    };
    let rgb = img.into_rgb8();
    let h = (rgb.height() as u64 * 1400 / rgb.width().max(1) as u64) as u32;
    let fitted = image::imageops::resize(&rgb, 1400, h, image::imageops::FilterType::Triangle);
    let mut out = std::io::Cursor::new(Vec::new());
    fitted.write_to(&mut out, image::ImageFormat::Jpeg)?;
    Ok(out.into_inner())
}
