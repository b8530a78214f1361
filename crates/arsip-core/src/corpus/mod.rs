//! The demo and test corpus: realistic records of an election office written by
//! `text`, drawn and degraded like scans by `render`, and saved as JPEG, PNG,
//! multi-page TIFF, image-only PDF or born-digital text PDF, each with its ground
//! truth (`truth.json`). `arsip demo`, the tests and the benchmarks use it.

pub mod batch;
mod pdf;
pub mod render;
pub mod results;
pub mod text;

use crate::access::AccessLevel;
use crate::error::{Error, ErrorCode, Result};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use std::io::Cursor;
use std::path::{Path, PathBuf};
pub use text::DocKind;

/// The file format a generated record is saved in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    Jpeg,
    Png,
    Tiff,
    ScanPdf,
    TextPdf,
    /// One bit per pixel, CCITT Group 4, as document scanners and fax
    /// software write (made with libtiff's `tiffcp`; not in `ALL`, so the
    /// demo needs no libtiff tools).
    BilevelTiff,
    /// One JPEG per page, named `…_p1.jpg`, `…_p2.jpg` as scanners that
    /// write page files name them (not in `ALL`).
    JpegPages,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Jpeg,
        Format::TextPdf,
        Format::Png,
        Format::ScanPdf,
        Format::Tiff,
    ];

    fn extension(self) -> &'static str {
        match self {
            Format::Jpeg | Format::JpegPages => "jpg",
            Format::Png => "png",
            Format::Tiff | Format::BilevelTiff => "tif",
            Format::ScanPdf | Format::TextPdf => "pdf",
        }
    }
}

#[derive(Debug, Clone)]
pub struct CorpusOptions {
    pub records: usize,
    pub seed: u64,
    /// Scan resolution.
    pub dpi: u32,
    /// Every n-th scanned record is fed sideways or upside down (0: never).
    pub turn_every: usize,
    /// Only these formats, in rotation (all when empty).
    pub formats: Vec<Format>,
    /// Only these kinds of record, in rotation (all when empty).
    pub kinds: Vec<DocKind>,
}

impl Default for CorpusOptions {
    fn default() -> Self {
        CorpusOptions {
            records: 30,
            seed: 2024,
            dpi: 200,
            turn_every: 7,
            formats: Vec::new(),
            kinds: Vec::new(),
        }
    }
}

/// The ground truth of one generated file.
#[derive(Debug, Clone, Serialize)]
pub struct Truth {
    pub file: String,
    pub kind: DocKind,
    pub doc_type: String,
    pub title: String,
    pub election: String,
    pub year: u32,
    pub format: Format,
    pub access: AccessLevel,
    pub personal_data: bool,
    /// Clockwise quarter turns of the scan (0 for upright).
    pub turns: u32,
    /// The text of each page, line by line.
    pub pages: Vec<String>,
    /// The code of the most specific region the text names.
    pub region: String,
    /// The other page files of a document written as page files (`file`
    /// is the first), in page order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub more_files: Vec<String>,
    /// A result form's votes and whether its sums agree.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<results::ResultTruth>,
}

/// Writes `opts.records` files and `truth.json` into `dir`.
pub fn generate(dir: &Path, opts: &CorpusOptions) -> Result<Vec<Truth>> {
    std::fs::create_dir_all(dir)?;
    let mut rng = StdRng::seed_from_u64(opts.seed);
    let formats = if opts.formats.is_empty() {
        Format::ALL.to_vec()
    } else {
        opts.formats.clone()
    };
    let mut truths = Vec::with_capacity(opts.records);
    for i in 0..opts.records {
        let kinds = if opts.kinds.is_empty() {
            &DocKind::ALL[..]
        } else {
            &opts.kinds[..]
        };
        let kind = kinds[i % kinds.len()];
        let format = formats[(i / DocKind::ALL.len() + i) % formats.len()];
        let mut written = text::write(kind, &mut rng);
        if matches!(format, Format::Jpeg | Format::Png) {
            // A single-image file holds one page.
            written.pages.truncate(1);
        }
        let turns = if format != Format::TextPdf
            && opts.turn_every > 0
            && i % opts.turn_every == opts.turn_every - 1
        {
            rng.random_range(1..=3)
        } else {
            0
        };
        let access = match kind {
            _ if i % 9 == 8 => AccessLevel::Rahasia,
            DocKind::DaftarPemilih if i % 2 == 0 => AccessLevel::Terbuka,
            DocKind::DaftarPemilih | DocKind::Undangan => AccessLevel::Terbatas,
            _ => AccessLevel::Terbuka,
        };
        let stem = format!("{:04}-{}", i + 1, kind.doc_type());
        let mut files: Vec<String> = if format == Format::JpegPages {
            (1..=written.pages.len())
                .map(|n| format!("{stem}_p{n}.jpg"))
                .collect()
        } else {
            vec![format!("{stem}.{}", format.extension())]
        };
        let file = files.remove(0);
        let path = dir.join(&file);
        save(&path, &written.pages, format, turns, opts.dpi, &mut rng)?;
        truths.push(Truth {
            file,
            kind,
            doc_type: kind.doc_type().to_string(),
            title: written.title,
            election: written.election,
            year: written.year,
            format,
            access,
            personal_data: written.personal_data,
            turns,
            // A table row reads as its cells in order.
            pages: written
                .pages
                .iter()
                .map(|p| p.join("\n").replace('\t', " "))
                .collect(),
            region: written.region,
            more_files: files,
            results: written.results,
        });
    }
    let json = serde_json::to_vec_pretty(&truths)
        .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
    std::fs::write(dir.join("truth.json"), json)?;
    Ok(truths)
}

fn encode(img: &image::GrayImage, format: image::ImageFormat) -> Result<Vec<u8>> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format)
        .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
    Ok(out.into_inner())
}

fn save(
    path: &Path,
    pages: &[Vec<String>],
    format: Format,
    turns: u32,
    dpi: u32,
    rng: &mut StdRng,
) -> Result<()> {
    if format == Format::TextPdf {
        return pdf::write_text_pdf(path, pages);
    }
    let scans: Vec<image::GrayImage> = pages
        .iter()
        .map(|lines| {
            let mut d = render::Degrade::typical(rng);
            d.turns = turns;
            render::degrade(&render::draw_page(lines, dpi), d, rng)
        })
        .collect();
    match format {
        Format::Jpeg | Format::Png => {
            let first = scans
                .first()
                .ok_or_else(|| Error::new(ErrorCode::Internal, "no page"))?;
            let f = if format == Format::Jpeg {
                image::ImageFormat::Jpeg
            } else {
                image::ImageFormat::Png
            };
            std::fs::write(path, encode(first, f)?)?;
        }
        Format::JpegPages => {
            // `path` is the first page's file; the others follow its name.
            let first = path.to_string_lossy();
            let stem = first.strip_suffix("_p1.jpg").unwrap_or(&first);
            for (n, scan) in scans.iter().enumerate() {
                let page = PathBuf::from(format!("{stem}_p{}.jpg", n + 1));
                std::fs::write(page, encode(scan, image::ImageFormat::Jpeg)?)?;
            }
        }
        Format::Tiff => write_tiff(path, &scans)?,
        Format::BilevelTiff => write_bilevel_tiff(path, &scans, dpi)?,
        Format::ScanPdf => {
            let jpegs = scans
                .iter()
                .map(|s| Ok((encode(s, image::ImageFormat::Jpeg)?, s.width(), s.height())))
                .collect::<Result<Vec<_>>>()?;
            pdf::write_image_pdf(path, &jpegs, dpi)?;
        }
        Format::TextPdf => {}
    }
    Ok(())
}

/// Pages thresholded to one bit (1 = black: WhiteIsZero, as fax software
/// writes), written as a plain TIFF, then compressed to Group 4 by `tiffcp`.
pub fn write_bilevel_tiff(path: &Path, pages: &[image::GrayImage], dpi: u32) -> Result<()> {
    let mut out: Vec<u8> = b"II\x2a\0\0\0\0\0".to_vec();
    let mut link = 4; // where the next IFD's offset goes
    for page in pages {
        let (w, h) = page.dimensions();
        let row = w.div_ceil(8) as usize;
        let strip_at = out.len() as u32;
        for y in 0..h {
            let mut bits = vec![0u8; row];
            for x in 0..w {
                if page.get_pixel(x, y).0[0] < 128 {
                    bits[x as usize / 8] |= 0x80 >> (x % 8);
                }
            }
            out.extend(bits);
        }
        let strip_len = out.len() as u32 - strip_at;
        let resolution_at = out.len() as u32;
        for _ in 0..2 {
            out.extend(dpi.to_le_bytes());
            out.extend(1u32.to_le_bytes());
        }
        if out.len() % 2 == 1 {
            out.push(0);
        }
        let ifd_at = out.len() as u32;
        out[link..link + 4].copy_from_slice(&ifd_at.to_le_bytes());
        // (tag, type: 3 SHORT, 4 LONG, 5 RATIONAL, value or offset)
        let entries: [(u16, u16, u32); 12] = [
            (256, 4, w),
            (257, 4, h),
            (258, 3, 1),
            (259, 3, 1),
            (262, 3, 0),
            (273, 4, strip_at),
            (277, 3, 1),
            (278, 4, h),
            (279, 4, strip_len),
            (282, 5, resolution_at),
            (283, 5, resolution_at + 8),
            (296, 3, 2),
        ];
        out.extend((entries.len() as u16).to_le_bytes());
        for (tag, kind, value) in entries {
            out.extend(tag.to_le_bytes());
            out.extend(kind.to_le_bytes());
            out.extend(1u32.to_le_bytes());
            out.extend(value.to_le_bytes());
        }
        link = out.len();
        out.extend(0u32.to_le_bytes());
    }
    let plain = tempfile::Builder::new().suffix(".tif").tempfile()?;
    std::fs::write(plain.path(), out)?;
    let status = std::process::Command::new("tiffcp")
        .args(["-c", "g4"])
        .arg(plain.path())
        .arg(path)
        .status()
        .map_err(|e| Error::new(ErrorCode::Io, format!("tiffcp (libtiff-tools): {e}")))?;
    if !status.success() {
        return Err(Error::new(ErrorCode::Io, format!("tiffcp: {status}")));
    }
    Ok(())
}

fn write_tiff(path: &Path, pages: &[image::GrayImage]) -> Result<()> {
    let file = std::fs::File::create(path)?;
    let mut enc = tiff::encoder::TiffEncoder::new(std::io::BufWriter::new(file))
        .map_err(|e| Error::new(ErrorCode::Io, e.to_string()))?;
    for p in pages {
        enc.write_image::<tiff::encoder::colortype::Gray8>(p.width(), p.height(), p.as_raw())
            .map_err(|e| Error::new(ErrorCode::Io, e.to_string()))?;
    }
    Ok(())
}

/// Paths of the generated files, in order (page files included).
pub fn paths(dir: &Path, truths: &[Truth]) -> Vec<PathBuf> {
    truths
        .iter()
        .flat_map(|t| std::iter::once(&t.file).chain(&t.more_files))
        .map(|f| dir.join(f))
        .collect()
}

/// Character error rate: edit distance over the truth's length, on text with
/// whitespace collapsed (layout is not what OCR is judged on here).
pub fn character_error_rate(truth: &str, read: &str) -> f64 {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let a: Vec<char> = norm(truth).chars().collect();
    let b: Vec<char> = norm(read).chars().collect();
    if a.is_empty() {
        return if b.is_empty() { 0.0 } else { 1.0 };
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()] as f64 / a.len() as f64
}

/// Share of the truth's words found in the reading, in any order: fair to
/// tables, where OCR may read column by column.
pub fn word_recall(truth: &str, read: &str) -> f64 {
    let mut pool: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for w in read.split_whitespace() {
        *pool.entry(w).or_default() += 1;
    }
    let words: Vec<&str> = truth.split_whitespace().collect();
    if words.is_empty() {
        return 1.0;
    }
    let found = words
        .iter()
        .filter(|w| match pool.get_mut(*w) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        })
        .count();
    found as f64 / words.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cer_counts_edits() {
        assert_eq!(character_error_rate("berita acara", "berita  acara"), 0.0);
        assert!((character_error_rate("abcd", "abxd") - 0.25).abs() < 1e-9);
    }
}
