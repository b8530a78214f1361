//! QR codes: the modules `qrcode` lays out for printing, and codes read
//! back from a scanned page by `rqrr`.

use crate::error::{Error, ErrorCode, Result};
use image::GrayImage;

/// The code's modules, row by row, `true` for dark, with the quiet zone of
/// four light modules the standard asks for around it.
pub fn modules(payload: &str) -> Result<Vec<Vec<bool>>> {
    let code = qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| Error::new(ErrorCode::InvalidInput, format!("qr: {e}")))?;
    let n = code.width();
    let colors = code.to_colors();
    const QUIET: usize = 4;
    let side = n + 2 * QUIET;
    let mut rows = vec![vec![false; side]; side];
    for (i, c) in colors.iter().enumerate() {
        rows[QUIET + i / n][QUIET + i % n] = *c == qrcode::Color::Dark;
    }
    Ok(rows)
}

/// Widest image the reader is given. rqrr finds a code at some scales and
/// misses it at others: on 18 generated sheets scanned at 200 dpi and drawn
/// at 300 dpi as ingest draws PDF pages, it found 15 when each page was
/// shrunk to 1300 pixels, and all 18 at the page's own size, where it also
/// took least time (127 ms a page on this machine's cores, the shrinking
/// being the dearer part). Only pages wider than an A4 page at 300 dpi
/// are shrunk, to this.
const READ_WIDTH: u32 = 2480;

/// The texts of the QR codes found on a page image, in no set order.
pub fn read(page: &GrayImage) -> Vec<String> {
    let small;
    let img = if page.width() > READ_WIDTH {
        let h = (page.height() as u64 * READ_WIDTH as u64 / page.width() as u64).max(1) as u32;
        small = image::imageops::resize(page, READ_WIDTH, h, image::imageops::FilterType::Nearest);
        &small
    } else {
        page
    };
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        img.width() as usize,
        img.height() as usize,
        |x, y| img.get_pixel(x as u32, y as u32).0[0],
    );
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}
