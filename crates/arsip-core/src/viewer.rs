//! Page images for the viewer: the page drawn in the same pixels its word boxes
//! were measured in, the words of a query highlighted on it, then scaled to a
//! screen's width. Scans are shown as stored (turned upright the way OCR read
//! them); PDF pages are rendered by poppler, text-layer pages with their word
//! boxes from `pdftotext -bbox`.

use crate::error::{Error, ErrorCode, Result};
use crate::extract::{self, raster, Kind};
use crate::index::analyzer;
use crate::model::{Page, TextSource, WordBox};
use image::{DynamicImage, Rgb, RgbImage};
use std::collections::HashSet;
use std::io::Cursor;
use std::path::Path;
use std::time::{Duration, Instant};

/// Widest image the viewer is sent; zooming past it is the browser's job.
pub const VIEW_WIDTH: u32 = 1400;
/// Resolution of text-layer PDF pages drawn for the viewer.
const TEXT_PAGE_DPI: u32 = 150;
/// Drawing a page (a poppler run or a decode) must end within this time.
const DRAW_TIMEOUT: Duration = Duration::from_secs(60);

/// One page as the viewer shows it.
#[derive(Debug, Clone)]
pub struct PageImage {
    pub jpeg: Vec<u8>,
    /// How many words of the query were marked on the page.
    pub highlights: usize,
}

/// Draws page `page` of the file at `path`, with `query`'s words highlighted.
/// `ocr_dpi` is the resolution image-only PDF pages were rendered at for OCR.
pub(crate) fn draw(
    path: &Path,
    page: &Page,
    query: &str,
    ocr_dpi: u32,
    max_pixels: u64,
) -> Result<PageImage> {
    let deadline = Instant::now() + DRAW_TIMEOUT;
    let kind = extract::sniff(path)?;
    let n = page.number as usize;
    let (img, words) = match (kind, page.source) {
        (Kind::Pdf, TextSource::Pdf) => (
            extract::pdf::render_page(path, n, TEXT_PAGE_DPI, deadline)?,
            extract::pdf::text_word_boxes(path, n, TEXT_PAGE_DPI, deadline)?,
        ),
        (Kind::Pdf, TextSource::Ocr) => (
            upright(
                extract::pdf::render_page(path, n, ocr_dpi, deadline)?,
                page.rotation,
            ),
            page.words.clone(),
        ),
        (Kind::Tiff, _) => {
            let dir = tempfile::tempdir()?;
            let pages = raster::split_tiff(path, dir.path(), max_pixels)?;
            let file = pages
                .get(n.saturating_sub(1))
                .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("page {n}")))?;
            (
                upright(raster::open_image(file)?, page.rotation),
                page.words.clone(),
            )
        }
        (Kind::Jpeg | Kind::Png, _) => {
            raster::check_dimensions(path, max_pixels)?;
            (
                upright(raster::open_image(path)?, page.rotation),
                page.words.clone(),
            )
        }
    };
    let marked = matching_words(&words, query);
    let mut rgb = img.into_rgb8();
    for w in &marked {
        highlight(&mut rgb, w);
    }
    let rgb = fit_width(rgb);
    let mut out = Cursor::new(Vec::new());
    rgb.write_to(&mut out, image::ImageFormat::Jpeg)
        .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
    Ok(PageImage {
        jpeg: out.into_inner(),
        highlights: marked.len(),
    })
}

/// Turns a scan the way OCR turned it to read it, so its boxes fit.
fn upright(img: DynamicImage, rotation: u32) -> DynamicImage {
    match rotation {
        90 => img.rotate90(),
        180 => img.rotate180(),
        270 => img.rotate270(),
        _ => img,
    }
}

/// The boxes whose word is a word of the query: the same word, or the same
/// stem (so "pemilihan" on the page lights up for "pemilih"), as search matches.
pub fn matching_words<'a>(words: &'a [WordBox], query: &str) -> Vec<&'a WordBox> {
    let overrides = analyzer::overrides();
    let mut exact = analyzer::exact_analyzer();
    let wanted: HashSet<String> = analyzer::tokens(&mut exact, query).into_iter().collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let stems: HashSet<String> = wanted
        .iter()
        .map(|w| analyzer::stem_word(w, &overrides))
        .collect();
    words
        .iter()
        .filter(|w| {
            analyzer::tokens(&mut exact, &w.text)
                .iter()
                .any(|t| wanted.contains(t) || stems.contains(&analyzer::stem_word(t, &overrides)))
        })
        .collect()
}

/// A translucent yellow marker over a word, with an orange rule under it so the
/// mark still shows in high contrast and in grey print.
fn highlight(img: &mut RgbImage, w: &WordBox) {
    let pad = (w.h / 6).max(2);
    let x0 = w.x.saturating_sub(pad);
    let y0 = w.y.saturating_sub(pad);
    let x1 = (w.x + w.w + pad).min(img.width());
    let y1 = (w.y + w.h + pad).min(img.height());
    for y in y0..y1 {
        for x in x0..x1 {
            let Rgb([r, g, b]) = *img.get_pixel(x, y);
            let underline = y + pad.min(3) >= y1;
            let px = if underline {
                Rgb([230, 120, 0])
            } else {
                // Multiply by yellow: dark ink stays dark, paper turns yellow.
                Rgb([r, g, (b as u32 * 80 / 255) as u8])
            };
            img.put_pixel(x, y, px);
        }
    }
}

fn fit_width(img: RgbImage) -> RgbImage {
    if img.width() <= VIEW_WIDTH {
        return img;
    }
    let h = (img.height() as u64 * VIEW_WIDTH as u64 / img.width() as u64).max(1) as u32;
    image::imageops::resize(&img, VIEW_WIDTH, h, image::imageops::FilterType::Triangle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str) -> WordBox {
        WordBox {
            text: text.into(),
            x: 10,
            y: 10,
            w: 40,
            h: 12,
            conf: 90.0,
        }
    }

    #[test]
    fn query_words_match_by_form_and_stem_only() {
        let words = vec![
            word("PEMILIHAN"),
            word("Umum,"),
            word("tanggal"),
            word("Bogor"),
        ];
        let hits: Vec<&str> = matching_words(&words, "pemilihan bogor")
            .iter()
            .map(|w| w.text.as_str())
            .collect();
        assert_eq!(hits, ["PEMILIHAN", "Bogor"]);
        assert!(matching_words(&words, "").is_empty());
        assert!(matching_words(&words, "kecamatan").is_empty());
    }

    #[test]
    fn a_highlight_marks_paper_and_keeps_ink() {
        let mut img = RgbImage::from_pixel(100, 40, Rgb([255, 255, 255]));
        img.put_pixel(20, 15, Rgb([0, 0, 0]));
        highlight(&mut img, &word("x"));
        assert_eq!(*img.get_pixel(20, 15), Rgb([0, 0, 0]), "ink stays dark");
        let paper = img.get_pixel(30, 14);
        assert!(
            paper[2] < 100 && paper[0] > 200,
            "paper turns yellow: {paper:?}"
        );
        assert_eq!(
            *img.get_pixel(90, 35),
            Rgb([255, 255, 255]),
            "outside untouched"
        );
    }
}

/// The page images drawn last, so paging back and forth through a scan (or
/// many visitors opening the same exhibit) does not decode and draw it
/// again. Who may have an image is checked before the cache is asked.
#[derive(Default)]
pub(crate) struct ImageCache {
    recent: std::sync::Mutex<std::collections::VecDeque<(String, PageImage)>>,
}

/// Images kept: a few pages of a few records at screen size (~200 KB each).
const CACHED_IMAGES: usize = 48;

impl ImageCache {
    pub(crate) fn get(&self, key: &str) -> Option<PageImage> {
        let recent = self
            .recent
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        recent
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, i)| i.clone())
    }

    pub(crate) fn put(&self, key: String, image: PageImage) {
        let mut recent = self
            .recent
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        recent.retain(|(k, _)| *k != key);
        if recent.len() >= CACHED_IMAGES {
            recent.pop_front();
        }
        recent.push_back((key, image));
    }
}
