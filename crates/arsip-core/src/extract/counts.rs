//! The counts of a result table (a C.Hasil form, a recap minute) read
//! twice more, apart from the words around them, and settled by vote.
//!
//! Read with the page, tesseract bends lone digits in these forms' type
//! (`77` read as `FI`, `177` as `17`, `1.775` as `1/9`). Each count's box
//! is cut from the page with its rules already erased, made black on
//! white (a grey crop on a white strip was read as `14719` where the same
//! digits made bilevel read `1.775` at every scale tried), and pasted on a
//! strip, one count to a line. The strip is read once with the page's
//! language and once with English (two processes for the whole table, not
//! one per cell): each model bends different digits (Indonesian `276` as
//! `2176`, English `259` as `299`). A count two of the three readings
//! agree on stands; otherwise the first reading that is a count is kept
//! and the word's confidence is set to zero, so `recap` marks the cell
//! unsure and a person checks it against its crop. Sending every 2-of-3
//! cell to a person as well flagged 9–10% of cells on the corpus's forms
//! and caught no misread that the table's sums did not already flag; as
//! it stands 1.7% are flagged, 98.8–99.1% of cells are right, and each
//! misread cell is flagged by itself or by a sum (`tests/it/recap.rs`,
//! seeds 41 and 97).

use super::{ocr, process, raster};
use crate::error::Result;
use crate::model::WordBox;
use crate::recap::{self, PageText};
use image::{GrayImage, Luma};
use std::ops::Range;
use std::path::Path;
use std::time::Instant;

/// Fewest counts a page needs before they are read again: fewer is no table.
const MIN_COUNTS: usize = 3;
/// The crops are drawn this many times as large: tesseract reads digits
/// around 40 px tall best; the forms' counts are 20–25 px at 200 dpi.
const SCALE: u32 = 2;
/// A count's confidence when its readings agree.
pub(crate) const AGREED: f32 = 100.0;

/// Reads the counts of `page` again from `erased` (the page as scanned,
/// with its rules painted over, before `page.rotation` turned it upright)
/// and settles its words and text.
pub(crate) fn reread(
    erased: GrayImage,
    page: &mut ocr::OcrPage,
    lang: &str,
    deadline: Instant,
) -> Result<()> {
    let at = recap::count_words(&PageText {
        number: 1,
        text: &page.text,
        words: &page.words,
    });
    if at.len() < MIN_COUNTS {
        return Ok(());
    }
    let erased = match page.rotation {
        0 => erased,
        r => raster::upright(image::DynamicImage::ImageLuma8(erased), r).to_luma8(),
    };
    let cells: Vec<(usize, GrayImage)> = at
        .into_iter()
        .filter_map(|i| Some((i, crop(&erased, page.words.get(i)?)?)))
        .collect();
    let (strip, bands) = strip(cells.iter().map(|(_, c)| c));
    let file = raster::temp_png(&strip)?;
    let first = read_strip(file.path(), lang, &bands, deadline)?;
    let second = read_strip(file.path(), "eng", &bands, deadline)?;
    let mut fixed = Vec::new();
    for (n, (i, _)) in cells.iter().enumerate() {
        let Some(word) = page.words.get_mut(*i) else {
            continue;
        };
        let (text, agreed) = vote(&word.text, &first[n], &second[n]);
        word.conf = if agreed { AGREED } else { 0.0 };
        if text != word.text {
            word.text = text.clone();
            fixed.push((*i, text));
        }
    }
    if !fixed.is_empty() {
        page.text = with_words_replaced(&page.text, &fixed);
    }
    Ok(())
}

/// The count three readings settle on, and whether at least two agree.
/// A reading that is no count (`FI`, empty) has no vote.
fn vote(page: &str, first: &str, second: &str) -> (String, bool) {
    let value = |s: &str| recap::count_value(s);
    let readings = [page, first, second];
    let values: Vec<Option<u64>> = readings.iter().map(|s| value(s)).collect();
    if values[0].is_some() && values.iter().all(|v| *v == values[0]) {
        return (page.to_string(), true);
    }
    for (i, a) in values.iter().enumerate() {
        let twice = a.is_some() && values.iter().filter(|b| *b == a).count() >= 2;
        if twice {
            return (readings[i].to_string(), true);
        }
    }
    let any = readings.iter().zip(&values).find(|(_, v)| v.is_some());
    (any.map_or(page, |(s, _)| s).to_string(), false)
}

/// The strip read with `lang`: the words on each band joined, "" where
/// none was read (or tesseract lacks the language).
fn read_strip(
    file: &Path,
    lang: &str,
    bands: &[Range<u32>],
    deadline: Instant,
) -> Result<Vec<String>> {
    let mut cmd = ocr::tesseract(file);
    cmd.args(["-l", lang, "--psm", "6", "tsv"]);
    let out = process::run(&mut cmd, deadline)?;
    if !out.status.success() {
        return Ok(vec![String::new(); bands.len()]);
    }
    let read = ocr::parse_tsv(&String::from_utf8_lossy(&out.stdout));
    Ok(bands
        .iter()
        .map(|band| {
            read.words
                .iter()
                .filter(|w| band.contains(&(w.y + w.h / 2)))
                .map(|w| w.text.as_str())
                .collect()
        })
        .collect())
}

/// A word's box cut from the page with a little paper around it, black
/// on white.
fn crop(page: &GrayImage, w: &WordBox) -> Option<GrayImage> {
    if w.w == 0 || w.h == 0 {
        return None;
    }
    let pad = (w.h / 3).max(2);
    let x = w.x.saturating_sub(pad);
    let y = w.y.saturating_sub(pad);
    let right = (w.x + w.w + pad).min(page.width());
    let bottom = (w.y + w.h + pad).min(page.height());
    if right <= x || bottom <= y {
        return None;
    }
    let mut cell = image::imageops::crop_imm(page, x, y, right - x, bottom - y).to_image();
    let ink = super::rules::otsu(&cell);
    for p in cell.pixels_mut() {
        p.0[0] = if p.0[0] < ink { 0 } else { 255 };
    }
    Some(cell)
}

/// The crops one under another on white paper, drawn `SCALE` times as
/// large, with a line's height between them; and the band of rows each
/// crop covers on the strip.
fn strip<'a>(cells: impl Iterator<Item = &'a GrayImage> + Clone) -> (GrayImage, Vec<Range<u32>>) {
    let margin = 20;
    let width = cells.clone().map(|c| c.width() * SCALE).max().unwrap_or(1) + 2 * margin;
    let gap = cells.clone().map(|c| c.height() * SCALE).max().unwrap_or(1);
    let height = margin * 2 + cells.clone().map(|c| c.height() * SCALE + gap).sum::<u32>();
    let mut out = GrayImage::from_pixel(width, height, Luma([255]));
    let mut bands = Vec::new();
    let mut y = margin;
    for cell in cells {
        let (w, h) = (cell.width() * SCALE, cell.height() * SCALE);
        let big = image::imageops::resize(cell, w, h, image::imageops::FilterType::CatmullRom);
        image::imageops::overlay(&mut out, &big, margin as i64, y as i64);
        // A digit read a little above or below its crop still belongs to it.
        bands.push(y.saturating_sub(gap / 2)..y + h + gap / 2);
        y += h + gap;
    }
    (out, bands)
}

/// `text` with its `i`-th whitespace-separated word replaced, for each (i, word).
fn with_words_replaced(text: &str, fixed: &[(usize, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut index = 0usize;
    let mut rest = text;
    loop {
        let start = rest
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(rest.len());
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        if rest.is_empty() {
            return out;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        match fixed.iter().find(|(i, _)| *i == index) {
            Some((_, word)) => out.push_str(word),
            None => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
        index += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_replaced_by_their_place_and_the_layout_kept() {
        let text = "1 Partai A FI\n\n2 Partai B 279";
        let out = with_words_replaced(text, &[(3, "77".into()), (7, "273".into())]);
        assert_eq!(out, "1 Partai A 77\n\n2 Partai B 273");
    }

    #[test]
    fn a_count_stands_when_two_readings_agree_and_is_doubted_otherwise() {
        assert_eq!(vote("1.242", "1.242", "1242"), ("1.242".into(), true));
        // Two readings outvote the page's.
        assert_eq!(vote("17", "177", "177"), ("177".into(), true));
        assert_eq!(vote("177", "17", "177"), ("177".into(), true));
        assert_eq!(vote("FI", "", "77"), ("77".into(), false));
        assert_eq!(vote("279", "213", "273"), ("279".into(), false));
        assert_eq!(vote("FI", "", ""), ("FI".into(), false));
    }
}
