//! Text out of files: sniffing the type by content, PDFs (text layer or OCR),
//! JPEG/PNG/TIFF scans (OCR), with word boxes, confidence, thumbnails and
//! views (the page at screen width, for the viewer).
//! Every outside parser runs under a deadline; a failure is one file's error.

mod counts;
pub mod ocr;
pub mod pdf;
pub mod process;
pub mod raster;
pub mod rules;

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
    /// Every page read by OCR, a PDF's text layer ignored, and no page
    /// taken for a separator sheet: a record's own pages read again.
    pub force_ocr: bool,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            ocr_lang: "ind".into(),
            max_pixels: 150_000_000,
            file_timeout: Duration::from_secs(600),
            render_dpi: 300,
            pdf_worker: PdfTextWorker::default(),
            force_ocr: false,
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
    /// Made from the image OCR read; a text-layer page's is drawn when first viewed.
    pub view: Option<PageView>,
    /// The page is a separator sheet (`print::separator`), not a document's
    /// page: what it says of the document behind it. Such a page is not read.
    pub separator: Option<crate::print::separator::Separator>,
    /// Nothing on the page: no text read and next to no ink (the back of
    /// a sheet a duplex scanner turned over). Dropped only from a stack
    /// split at its separator sheets.
    pub blank: bool,
}

/// Widest page image the viewer is sent; zooming past it is the browser's job.
pub const VIEW_WIDTH: u32 = 1400;
/// Resolution PDF pages are drawn at for a view: an A4 page is 1405 pixels wide.
const VIEW_DPI: u32 = 170;
/// JPEG quality of views and of pages drawn with highlights.
const VIEW_QUALITY: u8 = 80;

/// A page at screen width, upright, as the viewer draws on it.
#[derive(Debug, Clone, PartialEq)]
pub struct PageView {
    pub jpeg: Vec<u8>,
    /// View pixels per pixel of the page's catalogued word boxes (OCR pages).
    pub scale: f32,
    /// A text-layer page's word boxes, in view pixels (the catalogue has none).
    pub words: Option<Vec<WordBox>>,
}

/// Makes the view of page `number` of a stored original, as OCR turned it
/// (`rotation`); `text_layer` for a page read from its PDF text layer.
pub fn view_of(
    path: &Path,
    number: u32,
    rotation: u32,
    text_layer: bool,
    opts: &ExtractOptions,
) -> Result<PageView> {
    let deadline = Instant::now() + VIEW_TIMEOUT;
    let n = number as usize;
    match sniff(path)? {
        Kind::Pdf => pdf::view_of_page(path, n, rotation, text_layer, opts.render_dpi, deadline),
        Kind::Tiff => {
            let dir = tempfile::tempdir()?;
            let pages = raster::split_tiff(path, dir.path(), opts.max_pixels)?;
            let file = pages
                .get(n.saturating_sub(1))
                .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("page {n}")))?;
            raster::view_of_image(&raster::upright(raster::open_image(file)?, rotation))
        }
        Kind::Jpeg | Kind::Png => {
            raster::check_dimensions(path, opts.max_pixels)?;
            raster::view_of_image(&raster::upright(raster::open_image(path)?, rotation))
        }
    }
}

/// Drawing one page's view (a poppler run or a decode) must end within this time.
const VIEW_TIMEOUT: Duration = Duration::from_secs(60);

/// Reads every page of a file.
pub fn extract(path: &Path, kind: Kind, opts: &ExtractOptions) -> Result<Vec<ExtractedPage>> {
    let deadline = Instant::now() + opts.file_timeout;
    match kind {
        Kind::Pdf => pdf::extract(path, opts, deadline),
        Kind::Jpeg | Kind::Png => Ok(vec![image_page(path, opts, true, false, deadline)?]),
        Kind::Tiff => {
            let dir = tempfile::tempdir()?;
            let pages = raster::split_tiff(path, dir.path(), opts.max_pixels)?;
            use rayon::prelude::*;
            pages
                .par_iter()
                .map(|p| image_page(p, opts, true, false, deadline))
                .collect()
        }
    }
}

/// Mean word confidence below which a page read with its rules erased is
/// read once more as scanned.
const RULED_POOR_CONFIDENCE: f32 = 80.0;

/// OCRs one page image and makes its thumbnail, and its view when `view`
/// (a PDF page's is drawn from the PDF, in colour). With `separators`, a
/// page that is a separator sheet is recognised by its code and not read.
pub(crate) fn image_page(
    path: &Path,
    opts: &ExtractOptions,
    view: bool,
    separators: bool,
    deadline: Instant,
) -> Result<ExtractedPage> {
    raster::check_dimensions(path, opts.max_pixels)?;
    let img = raster::open_image(path)?;
    // OCR reads the page with its ruling lines erased (see `rules`); the
    // thumbnail and view show it as scanned.
    let mut grey = img.to_luma8();
    let ink = ink_share(&grey);
    if separators {
        if let Some(sheet) = separator_on(&grey) {
            return Ok(ExtractedPage {
                thumbnail: raster::thumbnail_jpeg(&img).ok(),
                ..ExtractedPage::separator(sheet)
            });
        }
    }
    let rules = rules::erase(&mut grey, deadline)?;
    let erased = if rules.erased > 0 {
        Some(raster::temp_png(&grey)?)
    } else {
        None
    };
    let layout = if rules.is_table() {
        ocr::Layout::Rows
    } else {
        ocr::Layout::Auto
    };
    let input = erased.as_ref().map_or(path, |f| f.path());
    let mut page = ocr::read_page(input, &opts.ocr_lang, layout, deadline)?;
    // Never worse than reading the page as scanned: when erasing left a poor
    // reading (text that touches its cell's rules, rules too bold to tell
    // from ink), the page is read as it is too, and the better one kept.
    if erased.is_some() && page.confidence.is_none_or(|c| c < RULED_POOR_CONFIDENCE) {
        let plain = ocr::read_page(path, &opts.ocr_lang, ocr::Layout::Auto, deadline)?;
        if plain.score() > page.score() {
            page = plain;
        }
    }
    counts::reread(grey, &mut page, &opts.ocr_lang, deadline)?;
    let img = raster::upright(img, page.rotation);
    // No ink, and no text read with any confidence (OCR finds words in
    // the noise of an empty page: "( Naa Spa SAN" at 30%): a faint page
    // whose words are read well is kept.
    let words = page.text.chars().filter(|c| c.is_alphanumeric()).count();
    let sure = page.confidence.is_some_and(|c| c >= BLANK_DOUBT);
    let blank = ink < BLANK_INK && (words < 3 || !sure);
    Ok(ExtractedPage {
        blank,
        thumbnail: raster::thumbnail_jpeg(&img).ok(),
        view: if view {
            raster::view_of_image(&img).ok()
        } else {
            None
        },
        text: page.text,
        source: TextSource::Ocr,
        confidence: page.confidence,
        rotation: page.rotation,
        words: page.words,
        separator: None,
    })
}

/// Share of a page's pixels below which it holds no ink. Measured on
/// generated scans: empty backs 0, the lightest page of text (a short
/// closing paragraph) 0.39%; dust on a real scanner adds a few specks.
const BLANK_INK: f32 = 0.0005;
/// Mean word confidence below which words read on an inkless page are
/// taken for noise.
const BLANK_DOUBT: f32 = 60.0;

/// The share of a page's pixels that are ink (darker than mid-grey).
fn ink_share(grey: &image::GrayImage) -> f32 {
    let total = (grey.width() as u64 * grey.height() as u64).max(1);
    let dark = grey.pixels().filter(|p| p.0[0] < 128).count() as u64;
    dark as f32 / total as f32
}

/// The separator sheet a page image shows, if it is one.
pub(crate) fn separator_on(page: &image::GrayImage) -> Option<crate::print::separator::Separator> {
    crate::print::separator::Separator::found_in(&crate::print::qr::read(page))
}

impl ExtractedPage {
    /// A separator sheet's page: no text of its own.
    pub(crate) fn separator(sheet: crate::print::separator::Separator) -> ExtractedPage {
        ExtractedPage {
            text: String::new(),
            source: TextSource::Ocr,
            confidence: None,
            rotation: 0,
            words: Vec::new(),
            thumbnail: None,
            view: None,
            separator: Some(sheet),
            blank: false,
        }
    }
}
