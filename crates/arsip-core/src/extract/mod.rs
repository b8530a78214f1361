//! Text out of files: sniffing the type by content, PDFs (text layer or OCR),
//! JPEG/PNG/TIFF scans (OCR), with word boxes, confidence and thumbnails.
//! Every outside parser runs under a deadline; a failure is one file's error.

pub mod ocr;
pub mod pdf;
pub mod process;
pub mod raster;

use crate::error::{io_at, Error, ErrorCode, Result};
use crate::model::{TextSource, WordBox};
use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

pub use pdf::PdfTextWorker;

/// A file type recognised by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Jpeg,
    Png,
    Tiff,
}

impl Kind {
    pub fn media_type(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Tiff => "image/tiff",
        }
    }
}

/// Recognises a file by content, never by its name.
pub fn sniff(path: &Path) -> Result<Kind> {
    let mut head = [0u8; 1024];
    let mut f = std::fs::File::open(path).map_err(io_at(path))?;
    let mut n = 0;
    while n < head.len() {
        let got = f.read(&mut head[n..]).map_err(io_at(path))?;
        if got == 0 {
            break;
        }
        n += got;
    }
    let head = &head[..n];
    if n == 0 {
        return Err(Error::new(ErrorCode::EmptyFile, path.display().to_string()));
    }
    if head.windows(5).any(|w| w == b"%PDF-") {
        Ok(Kind::Pdf)
    } else if head.starts_with(&[0xff, 0xd8, 0xff]) {
        Ok(Kind::Jpeg)
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(Kind::Png)
    } else if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        Ok(Kind::Tiff)
    } else {
        Err(Error::new(
            ErrorCode::UnsupportedFormat,
            path.display().to_string(),
        ))
    }
}

/// Limits and choices for extraction.
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    /// tesseract languages: "ind" by default; "ind+eng" costs 20–25% more CPU.
    pub ocr_lang: String,
    /// Images above this many pixels are refused before decoding.
    pub max_pixels: u64,
    /// The whole file must be read within this time.
    pub file_timeout: Duration,
    /// Resolution at which image-only PDF pages are rendered for OCR.
    pub render_dpi: u32,
    pub pdf_worker: PdfTextWorker,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            ocr_lang: "ind".into(),
            max_pixels: 150_000_000,
            file_timeout: Duration::from_secs(600),
            render_dpi: 300,
            pdf_worker: PdfTextWorker::default(),
        }
    }
}

/// One page's text and what came with it.
#[derive(Debug, Clone)]
pub struct ExtractedPage {
    pub text: String,
    pub source: TextSource,
    pub confidence: Option<f32>,
    pub rotation: u32,
    pub words: Vec<WordBox>,
    pub thumbnail: Option<Vec<u8>>,
}

/// Reads every page of a file.
pub fn extract(path: &Path, kind: Kind, opts: &ExtractOptions) -> Result<Vec<ExtractedPage>> {
    let deadline = Instant::now() + opts.file_timeout;
    match kind {
        Kind::Pdf => pdf::extract(path, opts, deadline),
        Kind::Jpeg | Kind::Png => Ok(vec![image_page(path, opts, deadline)?]),
        Kind::Tiff => {
            let dir = tempfile::tempdir()?;
            let pages = raster::split_tiff(path, dir.path(), opts.max_pixels)?;
            use rayon::prelude::*;
            pages
                .par_iter()
                .map(|p| image_page(p, opts, deadline))
                .collect()
        }
    }
}

/// OCRs one page image and makes its thumbnail.
pub(crate) fn image_page(
    path: &Path,
    opts: &ExtractOptions,
    deadline: Instant,
) -> Result<ExtractedPage> {
    raster::check_dimensions(path, opts.max_pixels)?;
    let img = raster::open_image(path)?;
    let page = ocr::read_page(path, &opts.ocr_lang, deadline)?;
    let img = match page.rotation {
        90 => img.rotate90(),
        180 => img.rotate180(),
        270 => img.rotate270(),
        _ => img,
    };
    Ok(ExtractedPage {
        thumbnail: raster::thumbnail_jpeg(&img).ok(),
        text: page.text,
        source: TextSource::Ocr,
        confidence: page.confidence,
        rotation: page.rotation,
        words: page.words,
    })
}
