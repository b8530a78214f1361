//! Page images for the viewer: a page's view (the page at screen width, see
//! `extract::PageView` and `views`) with the words of a query highlighted.

use crate::error::{Error, ErrorCode, Result};
use crate::extract::{raster, PageView};
use crate::index::analyzer;
use crate::model::WordBox;
use image::{Rgb, RgbImage};
use std::collections::HashSet;

pub use crate::extract::VIEW_WIDTH;

/// One page as the viewer shows it.
#[derive(Debug, Clone)]
pub struct PageImage {
    pub jpeg: Vec<u8>,
    /// How many words of the query were marked on the page.
    pub highlights: usize,
}

/// The view with `query`'s words highlighted; `catalogued` are the page's
/// word boxes from OCR (a text-layer page's come with its view).
pub(crate) fn draw(view: &PageView, catalogued: &[WordBox], query: &str) -> Result<PageImage> {
    let marked: Vec<WordBox> = match &view.words {
        Some(words) => matching_words(words, query).into_iter().cloned().collect(),
        None => matching_words(catalogued, query)
            .into_iter()
            .map(|w| w.scaled(view.scale))
            .collect(),
    };
    if marked.is_empty() {
        return Ok(PageImage {
            jpeg: view.jpeg.clone(),
            highlights: 0,
        });
    }
    let mut rgb = image::load_from_memory_with_format(&view.jpeg, image::ImageFormat::Jpeg)
        .map_err(|e| Error::new(ErrorCode::CorruptFile, e.to_string()))?
        .into_rgb8();
    for w in &marked {
        highlight(&mut rgb, w);
    }
    Ok(PageImage {
        jpeg: raster::jpeg(&image::DynamicImage::ImageRgb8(rgb))?,
        highlights: marked.len(),
    })
}

/// The boxes whose word is a word of the query: the same word, or the same
/// stem (so "pemilihan" on the page lights up for "pemilih"), as search matches.
pub fn matching_words<'a>(words: &'a [WordBox], query: &str) -> Vec<&'a WordBox> {
    let overrides = analyzer::overrides();
    let wanted: HashSet<String> = analyzer::tokens(&mut analyzer::query_analyzer(), query)
        .into_iter()
        .collect();
    // A page's words as the index reads them (a bent word and its fold).
    let mut exact = analyzer::exact_analyzer();
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

    /// Forgets every image (a destruction removed pages).
    pub(crate) fn clear(&self) {
        self.recent
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
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
