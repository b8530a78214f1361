//! OCR with the tesseract program in Indonesian. Each call is a separate process
//! (one thread each: `OMP_THREAD_LIMIT=1`), so pages run in parallel across cores
//! and a crash or hang costs one page.
//!
//! Bare tesseract reads a page scanned sideways or upside down as garbage. We read
//! every page once as it is; only when the result is poor do we ask tesseract's
//! orientation detection (`--psm 0`) which way is up, turn the image and read it
//! again, keeping the better reading. Normal pages therefore cost one pass.

use super::process;
use crate::error::{Error, ErrorCode, Result};
use crate::model::WordBox;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Mean word confidence below which a page is checked for orientation.
const POOR_CONFIDENCE: f32 = 60.0;

#[derive(Debug, Clone)]
pub struct OcrPage {
    pub text: String,
    pub confidence: Option<f32>,
    pub words: Vec<WordBox>,
    /// Degrees (clockwise) the image was turned before it read well.
    pub rotation: u32,
}

impl OcrPage {
    /// Mean confidence weighted by how much was read: which of two readings
    /// of one page to keep.
    pub fn score(&self) -> f32 {
        self.confidence.unwrap_or(0.0) * (self.words.len() as f32).sqrt()
    }
}

/// How tesseract is told to find the text on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Blocks and columns found by tesseract (`--psm 3`): prose, letters.
    Auto,
    /// One block read line by line across the page (`--psm 6`): a ruled
    /// table's rows, each row's cells together.
    Rows,
}

impl Layout {
    fn psm(self) -> &'static str {
        match self {
            Layout::Auto => "3",
            Layout::Rows => "6",
        }
    }
}

/// Reads one page image. `lang` is tesseract's language list, e.g. "ind".
pub fn read_page(image: &Path, lang: &str, layout: Layout, deadline: Instant) -> Result<OcrPage> {
    let first = tesseract_tsv(image, lang, layout, deadline)?;
    let poor = first.confidence.is_none_or(|c| c < POOR_CONFIDENCE) || first.words.len() < 8;
    if !poor {
        return Ok(first);
    }
    let rotate = match detect_rotation(image, deadline) {
        Ok(Some(r)) if r != 0 => r,
        _ => return Ok(first),
    };
    let img = super::raster::upright(super::raster::open_image(image)?, rotate);
    let turned = super::raster::temp_png(&img.to_luma8())?;
    let mut second = tesseract_tsv(turned.path(), lang, layout, deadline)?;
    second.rotation = rotate;
    Ok(if second.score() > first.score() {
        second
    } else {
        first
    })
}

pub(super) fn tesseract(image: &Path) -> Command {
    let mut cmd = Command::new("tesseract");
    cmd.arg(image).arg("stdout").env("OMP_THREAD_LIMIT", "1");
    cmd
}

fn tesseract_tsv(image: &Path, lang: &str, layout: Layout, deadline: Instant) -> Result<OcrPage> {
    let mut cmd = tesseract(image);
    cmd.args(["-l", lang, "--psm", layout.psm(), "tsv"]);
    let out = process::run(&mut cmd, deadline)?;
    if !out.status.success() {
        return Err(Error::new(
            ErrorCode::CorruptFile,
            format!("tesseract: {}", process::last_stderr_line(&out)),
        ));
    }
    Ok(parse_tsv(&String::from_utf8_lossy(&out.stdout)))
}

/// Asks tesseract's orientation detection how far to turn the page clockwise.
fn detect_rotation(image: &Path, deadline: Instant) -> Result<Option<u32>> {
    let mut cmd = tesseract(image);
    cmd.args(["--psm", "0"]);
    let out = process::run(&mut cmd, deadline)?;
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(text
        .lines()
        .find_map(|l| l.strip_prefix("Rotate:"))
        .and_then(|v| v.trim().parse::<u32>().ok()))
}

/// Parses tesseract's TSV: words (level 5) with boxes and confidence, text laid out
/// with one line per text line and a blank line between blocks.
pub fn parse_tsv(tsv: &str) -> OcrPage {
    let mut text = String::new();
    let mut words = Vec::new();
    let mut last_line: Option<(u32, u32, u32)> = None;
    let mut last_block = None;
    let mut conf_sum = 0.0f32;
    for line in tsv.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 12 || cols[0] != "5" {
            continue;
        }
        let word = cols[11].trim();
        if word.is_empty() {
            continue;
        }
        let num = |i: usize| cols[i].parse::<u32>().unwrap_or(0);
        let conf = cols[10].parse::<f32>().unwrap_or(-1.0);
        let key = (num(2), num(3), num(4));
        if last_line == Some(key) {
            text.push(' ');
        } else if last_line.is_some() {
            text.push('\n');
            if last_block != Some(key.0) {
                text.push('\n');
            }
        }
        last_line = Some(key);
        last_block = Some(key.0);
        text.push_str(word);
        conf_sum += conf.max(0.0);
        words.push(WordBox {
            text: word.to_string(),
            x: num(6),
            y: num(7),
            w: num(8),
            h: num(9),
            conf,
        });
    }
    let confidence = if words.is_empty() {
        None
    } else {
        Some(conf_sum / words.len() as f32)
    };
    OcrPage {
        text,
        confidence,
        words,
        rotation: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_becomes_lines_and_boxes() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
            1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n\
            5\t1\t1\t1\t1\t1\t10\t20\t30\t12\t96.5\tBERITA\n\
            5\t1\t1\t1\t1\t2\t45\t20\t30\t12\t93.5\tACARA\n\
            5\t1\t1\t1\t2\t1\t10\t40\t30\t12\t90\tNomor\n\
            5\t1\t2\t1\t1\t1\t10\t80\t30\t12\t80\tTPS\n";
        let page = parse_tsv(tsv);
        assert_eq!(page.text, "BERITA ACARA\nNomor\n\nTPS");
        assert_eq!(page.words.len(), 4);
        assert_eq!(page.words[1].x, 45);
        assert_eq!(page.confidence, Some(90.0));
    }
}
