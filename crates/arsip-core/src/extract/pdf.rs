//! PDFs: the text layer first, OCR for pages without usable text.
//!
//! Poppler (`pdftotext`, `pdftoppm`) is required anyway for page
//! counts and rendering, and its `pdftotext` is the faster and better reader, so
//! it reads first. pdf-extract is the second reader, for pages poppler found no
//! text on. It panics on about 2% of real-world PDFs, can run for minutes on big
//! ones, and prints to stdout on some fonts, so it runs where a panic or a hang
//! costs one file: in a worker process (`PdfTextWorker::Command`, what the `arsip`
//! binary uses) or, for library callers without a binary, on a thread with
//! `catch_unwind` and a time limit. Pages still without text are rendered by
//! `pdftoppm` and OCR'd.

use super::{process, ExtractOptions, ExtractedPage, PageView, VIEW_DPI, VIEW_QUALITY, VIEW_WIDTH};
use crate::error::{Error, ErrorCode, Result};
use crate::model::{TextSource, WordBox};
use crate::print::separator::{Separator, MARK};
use std::path::Path;
use std::process::Command;
use std::sync::mpsc;
use std::time::Instant;

/// Where pdf-extract runs.
#[derive(Debug, Clone, Default)]
pub enum PdfTextWorker {
    /// On a thread of this process, panics caught, abandoned at the deadline.
    #[default]
    InProcess,
    /// A program invoked as `PROGRAM ARGS... INPUT.pdf OUTPUT.json` that writes the
    /// pages' text as a JSON array of strings (see [`write_text_pages`]).
    Command {
        program: std::path::PathBuf,
        args: Vec<String>,
    },
}

/// The worker's body: reads a PDF's text layer with pdf-extract and writes the
/// pages as JSON. Panics are caught and reported as an error.
pub fn write_text_pages(input: &Path, output: &Path) -> Result<()> {
    let pages = text_pages_guarded(input)?;
    let json =
        serde_json::to_vec(&pages).map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
    std::fs::write(output, json)?;
    Ok(())
}

fn text_pages_guarded(input: &Path) -> Result<Vec<String>> {
    let path = input.to_path_buf();
    match std::panic::catch_unwind(move || pdf_extract::extract_text_by_pages(&path)) {
        Ok(Ok(pages)) => Ok(pages),
        Ok(Err(e)) => Err(classify_pdf_error(&e.to_string())),
        Err(_) => Err(Error::new(
            ErrorCode::ExtractionCrashed,
            "pdf-extract panicked",
        )),
    }
}

fn classify_pdf_error(msg: &str) -> Error {
    let lower = msg.to_lowercase();
    if lower.contains("encrypt") || lower.contains("password") {
        Error::new(ErrorCode::EncryptedPdf, msg.to_string())
    } else {
        Error::new(ErrorCode::CorruptFile, msg.to_string())
    }
}

fn text_via_worker(path: &Path, worker: &PdfTextWorker, deadline: Instant) -> Result<Vec<String>> {
    match worker {
        PdfTextWorker::Command { program, args } => {
            let out_file = tempfile::Builder::new().suffix(".json").tempfile()?;
            let mut cmd = Command::new(program);
            cmd.args(args).arg(path).arg(out_file.path());
            let out = process::run(&mut cmd, deadline)?;
            if !out.status.success() {
                let line = process::last_stderr_line(&out);
                return Err(if line.contains("encrypted_pdf") {
                    Error::new(ErrorCode::EncryptedPdf, line)
                } else {
                    Error::new(ErrorCode::ExtractionCrashed, line)
                });
            }
            let bytes = std::fs::read(out_file.path())?;
            serde_json::from_slice(&bytes)
                .map_err(|e| Error::new(ErrorCode::ExtractionCrashed, e.to_string()))
        }
        PdfTextWorker::InProcess => {
            let (tx, rx) = mpsc::channel();
            let p = path.to_path_buf();
            std::thread::spawn(move || {
                let _ = tx.send(text_pages_guarded(&p));
            });
            let wait = deadline.saturating_duration_since(Instant::now());
            rx.recv_timeout(wait)
                .map_err(|_| Error::new(ErrorCode::ExtractionTimeout, "pdf-extract"))?
        }
    }
}

/// Every page's text by `pdftotext`, which ends each page with a form feed (so
/// the pages are counted without a separate `pdfinfo` run: one process less per
/// file, measured as 15% of a text PDF's ingest CPU).
fn text_via_pdftotext(path: &Path, deadline: Instant) -> Result<Vec<String>> {
    let text = pdftotext(path, &["-layout"], deadline)?;
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    // The piece after the last page's form feed.
    pages.pop();
    if pages.is_empty() {
        return Err(Error::new(ErrorCode::CorruptFile, "no pages"));
    }
    Ok(pages)
}

/// `pdftotext ARGS -enc UTF-8 PATH -`: its output, or the PDF's error.
fn pdftotext(path: &Path, args: &[&str], deadline: Instant) -> Result<String> {
    let out = process::run(
        Command::new("pdftotext")
            .args(args)
            .args(["-enc", "UTF-8"])
            .arg(path)
            .arg("-"),
        deadline,
    )?;
    if !out.status.success() {
        return Err(classify_pdf_error(&process::last_stderr_line(&out)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A page's text layer is usable when it holds a fair amount of real letters and digits.
pub fn usable_text(text: &str) -> bool {
    let alnum = text.chars().filter(|c| c.is_alphanumeric()).count();
    let replacement = text.chars().filter(|c| *c == '\u{fffd}').count();
    alnum >= 20 && replacement * 10 < alnum
}

/// The text layer of every page (an empty string for a page without one).
/// Poppler's `pdftotext` reads first: on 543 real PDFs it was 3× faster than
/// pdf-extract and read text pdf-extract lost (rotated pages, some fonts; see
/// ARCHITECTURE.md). pdf-extract, in its worker, then tries the pages poppler
/// found no usable text on.
pub fn text_layer(path: &Path, worker: &PdfTextWorker, deadline: Instant) -> Result<Vec<String>> {
    let mut pages = match text_via_pdftotext(path, deadline) {
        Ok(pages) => pages,
        Err(e) if e.code == ErrorCode::EncryptedPdf => return Err(e),
        // Poppler cannot read it at all: pdf-extract's reading or poppler's error.
        Err(e) => {
            return text_via_worker(path, worker, deadline)
                .ok()
                .filter(|pages| !pages.is_empty())
                .ok_or(e)
        }
    };
    if pages.iter().all(|t| usable_text(t)) {
        return Ok(pages);
    }
    if let Ok(other) = text_via_worker(path, worker, deadline) {
        if other.len() == pages.len() {
            for (page, alternative) in pages.iter_mut().zip(other) {
                if !usable_text(page) && usable_text(&alternative) {
                    *page = alternative;
                }
            }
        }
    }
    Ok(pages)
}

pub fn extract(
    path: &Path,
    opts: &ExtractOptions,
    deadline: Instant,
) -> Result<Vec<ExtractedPage>> {
    let texts = text_layer(path, &opts.pdf_worker, deadline)?;
    // A batch scanned as one file may hold separator sheets; a page of one
    // is a document, never a sheet.
    let separators = texts.len() > 1 && !opts.force_ocr;
    let pages: Vec<Result<ExtractedPage>> = {
        use rayon::prelude::*;
        texts
            .into_par_iter()
            .enumerate()
            .map(|(i, text)| {
                if separators && text.to_uppercase().contains(MARK) {
                    // A scanner's own text layer read the sheet's words. A
                    // page that only mentions them (a manual, a letter about
                    // sheets) and cannot be drawn is read as the text it is.
                    if let Ok(Some(sheet)) = separator_of_page(path, i + 1, deadline) {
                        return Ok(ExtractedPage::separator(sheet));
                    }
                }
                if !opts.force_ocr && usable_text(&text) {
                    // No thumbnail: made from the page's view when first
                    // asked for (`Archive::page_thumbnail`).
                    let thumbnail = None;
                    Ok(ExtractedPage {
                        text: tidy(&text),
                        source: TextSource::Pdf,
                        confidence: None,
                        rotation: 0,
                        words: Vec::new(),
                        thumbnail,
                        view: None,
                        separator: None,
                        blank: false,
                    })
                } else {
                    ocr_pdf_page(path, i + 1, opts, separators, deadline)
                }
            })
            .collect()
    };
    pages.into_iter().collect()
}

/// Collapses the runs of spaces pdf-extract and `-layout` leave, keeping line breaks.
fn tidy(text: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let mut out = String::new();
    let mut blank = 0;
    for l in lines {
        if l.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(&l);
    }
    out
}

fn render(
    path: &Path,
    page: usize,
    args: &[&str],
    deadline: Instant,
) -> Result<(tempfile::TempDir, std::path::PathBuf)> {
    let dir = tempfile::tempdir()?;
    let prefix = dir.path().join("p");
    let n = page.to_string();
    let out = process::run(
        Command::new("pdftoppm")
            .args(["-f", &n, "-l", &n, "-singlefile"])
            .args(args)
            .arg(path)
            .arg(&prefix),
        deadline,
    )?;
    let ext = if args.contains(&"-jpeg") {
        "jpg"
    } else if args.contains(&"-tiff") {
        "tif"
    } else {
        "png"
    };
    let file = dir.path().join(format!("p.{ext}"));
    if !out.status.success() || !file.is_file() {
        return Err(classify_pdf_error(&process::last_stderr_line(&out)));
    }
    Ok((dir, file))
}

/// Resolution a page with a separator sheet's words is drawn at to read its code.
const SEPARATOR_DPI: &str = "150";

fn separator_of_page(path: &Path, page: usize, deadline: Instant) -> Result<Option<Separator>> {
    let (_dir, file) = render(
        path,
        page,
        &["-tiff", "-gray", "-r", SEPARATOR_DPI],
        deadline,
    )?;
    Ok(super::separator_on(
        &super::raster::open_image(&file)?.to_luma8(),
    ))
}

fn ocr_pdf_page(
    path: &Path,
    page: usize,
    opts: &ExtractOptions,
    separators: bool,
    deadline: Instant,
) -> Result<ExtractedPage> {
    let dpi = opts.render_dpi.to_string();
    // A TIFF, not a PNG: poppler 22.12 took 13 s to write a scanned A4 page
    // at 300 dpi as PNG, 0.2 s as TIFF (`benches/pages.rs` measured it).
    let (_dir, file) = render(path, page, &["-tiff", "-gray", "-r", &dpi], deadline)?;
    let mut read = super::image_page(&file, opts, false, separators, deadline)?;
    if read.separator.is_some() {
        return Ok(read);
    }
    // OCR reads grey; the view is drawn in color (stamps, signatures, photos).
    read.view = view_of_page(path, page, read.rotation, false, opts.render_dpi, deadline).ok();
    Ok(read)
}

/// The view of page `page`: drawn in color at `VIEW_DPI`, turned upright by
/// `rotation`, fitted to the viewer's width. A text-layer page's word boxes
/// come with it; an OCR'd page's (catalogued, in pixels at `ocr_dpi`) are
/// mapped by its scale.
pub(crate) fn view_of_page(
    path: &Path,
    page: usize,
    rotation: u32,
    text_layer: bool,
    ocr_dpi: u32,
    deadline: Instant,
) -> Result<PageView> {
    let dpi = VIEW_DPI.to_string();
    let quality = format!("quality={VIEW_QUALITY}");
    // The page drawn and its words' boxes read at once (two poppler runs, on
    // two cores: the first view of a text PDF's page waits for the slower).
    let (drawn, boxes) = std::thread::scope(|s| {
        let boxes = s.spawn(|| {
            text_layer
                .then(|| text_word_boxes(path, page, VIEW_DPI, deadline))
                .transpose()
        });
        let drawn = render(
            path,
            page,
            &["-jpeg", "-jpegopt", &quality, "-r", &dpi],
            deadline,
        );
        let boxes = boxes
            .join()
            .unwrap_or_else(|_| Err(Error::new(ErrorCode::Internal, "word boxes")));
        (drawn, boxes)
    });
    let (_dir, file) = drawn?;
    let boxes = boxes?;
    let img = super::raster::upright(super::raster::open_image(&file)?, rotation);
    let mut view = if rotation == 0 && img.width() <= VIEW_WIDTH {
        // Poppler's JPEG as it is: no second encoding.
        PageView {
            jpeg: std::fs::read(&file)?,
            scale: 1.0,
            words: None,
        }
    } else {
        super::raster::view_of_image(&img)?
    };
    // So far, view pixels per pixel at VIEW_DPI.
    let fit = view.scale;
    if let Some(words) = boxes {
        view.words = Some(words.iter().map(|w| w.scaled(fit)).collect());
    }
    view.scale = fit * VIEW_DPI as f32 / ocr_dpi.max(1) as f32;
    Ok(view)
}

/// The words of a text-layer page with their boxes, in pixels of the page
/// rendered at `dpi` (poppler reports points, 1/72 inch).
pub(crate) fn text_word_boxes(
    path: &Path,
    page: usize,
    dpi: u32,
    deadline: Instant,
) -> Result<Vec<WordBox>> {
    #[allow(clippy::unwrap_used)] // A constant pattern, exercised by the viewer tests.
    static WORD: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>"#,
        )
        .unwrap()
    });
    let n = page.to_string();
    let html = pdftotext(path, &["-f", &n, "-l", &n, "-bbox"], deadline)?;
    let scale = dpi as f32 / 72.0;
    let px = |s: &str| (s.parse::<f32>().unwrap_or(0.0) * scale).max(0.0) as u32;
    Ok(WORD
        .captures_iter(&html)
        .map(|c| {
            let (x0, y0, x1, y1) = (px(&c[1]), px(&c[2]), px(&c[3]), px(&c[4]));
            WordBox {
                text: unescape_html(&c[5]),
                x: x0,
                y: y0,
                w: x1.saturating_sub(x0),
                h: y1.saturating_sub(y0),
                conf: 100.0,
            }
        })
        .collect())
}

fn unescape_html(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
