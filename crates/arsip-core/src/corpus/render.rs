//! Pages drawn like paper: lines of text in a bundled font on a grey-white sheet,
//! then degraded like a real scan (skew, noise, blur) and possibly turned.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use image::{GrayImage, Luma};
use rand::rngs::StdRng;
use rand::Rng;

pub const FONT: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSerif.ttf");

/// How a page is degraded.
#[derive(Debug, Clone, Copy)]
pub struct Degrade {
    pub skew_degrees: f32,
    pub noise: u8,
    pub blur: f32,
    pub paper: u8,
    /// Clockwise quarter turns applied after scanning (a page fed sideways).
    pub turns: u32,
}

impl Degrade {
    pub fn typical(rng: &mut StdRng) -> Degrade {
        Degrade {
            skew_degrees: rng.random_range(-1.2f32..1.2),
            noise: rng.random_range(0..18),
            blur: rng.random_range(0.0f32..0.6),
            paper: rng.random_range(225..250),
            turns: 0,
        }
    }
}

/// Draws lines on an A4 page at `dpi`. Consecutive lines holding tabs are
/// the rows of a table, drawn in ruled cells (one cell per tab-separated
/// part), as voter lists and result forms are printed.
pub fn draw_page(lines: &[String], dpi: u32) -> GrayImage {
    let w = (8.27 * dpi as f32) as u32;
    let h = (11.69 * dpi as f32) as u32;
    let mut img = GrayImage::from_pixel(w, h, Luma([255]));
    let Ok(font) = FontRef::try_from_slice(FONT) else {
        return img;
    };
    let pen = Pen {
        font,
        px: 12.0 * dpi as f32 / 72.0,
    };
    let margin = dpi as f32;
    let mut y = margin;
    let mut i = 0;
    while i < lines.len() && y <= h as f32 - margin {
        if lines[i].contains('\t') {
            let rows: Vec<Vec<&str>> = lines[i..]
                .iter()
                .take_while(|l| l.contains('\t'))
                .map(|l| l.split('\t').collect())
                .collect();
            i += rows.len();
            y = pen.table(&mut img, margin, y, &rows, dpi);
        } else {
            pen.text(&mut img, margin, y, &lines[i]);
            y += pen.px * 1.5;
            i += 1;
        }
    }
    img
}

struct Pen<'a> {
    font: FontRef<'a>,
    px: f32,
}

impl Pen<'_> {
    fn width(&self, text: &str) -> f32 {
        let scaled = self.font.as_scaled(PxScale::from(self.px));
        let mut prev = None;
        let mut x = 0.0;
        for c in text.chars() {
            let id = self.font.glyph_id(c);
            if let Some(p) = prev {
                x += scaled.kern(p, id);
            }
            x += scaled.h_advance(id);
            prev = Some(id);
        }
        x
    }

    /// One line of text whose top is at `y`.
    fn text(&self, img: &mut GrayImage, mut x: f32, y: f32, line: &str) {
        let (w, h) = img.dimensions();
        let scaled = self.font.as_scaled(PxScale::from(self.px));
        let baseline = y + scaled.ascent();
        let mut prev = None;
        for c in line.chars() {
            let id = self.font.glyph_id(c);
            if let Some(p) = prev {
                x += scaled.kern(p, id);
            }
            let glyph =
                id.with_scale_and_position(PxScale::from(self.px), ab_glyph::point(x, baseline));
            x += scaled.h_advance(id);
            prev = Some(id);
            if let Some(outlined) = self.font.outline_glyph(glyph) {
                let b = outlined.px_bounds();
                outlined.draw(|gx, gy, cov| {
                    let (px_x, px_y) = (b.min.x as i32 + gx as i32, b.min.y as i32 + gy as i32);
                    if px_x >= 0 && px_y >= 0 && (px_x as u32) < w && (px_y as u32) < h {
                        let p = img.get_pixel_mut(px_x as u32, px_y as u32);
                        let v = (255.0 * (1.0 - cov.min(1.0))) as u8;
                        p.0[0] = p.0[0].min(v);
                    }
                });
            }
        }
    }

    /// A table in ruled cells from `y` down; returns the y below it.
    fn table(&self, img: &mut GrayImage, x0: f32, y0: f32, rows: &[Vec<&str>], dpi: u32) -> f32 {
        let pad = dpi as f32 * 0.08;
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<f32> = (0..columns)
            .map(|c| {
                rows.iter()
                    .filter_map(|r| r.get(c))
                    .map(|t| self.width(t))
                    .fold(0.0, f32::max)
                    + 2.0 * pad
            })
            .collect();
        let row_h = self.px * 1.9;
        let rule = (dpi / 100).max(2);
        let x1 = x0 + widths.iter().sum::<f32>();
        let y1 = y0 + row_h * rows.len() as f32;
        for r in 0..=rows.len() {
            rule_h(img, x0, x1, y0 + row_h * r as f32, rule);
        }
        let mut x = x0;
        for wc in widths.iter().chain([&0.0]) {
            rule_v(img, x, y0, y1, rule);
            x += wc;
        }
        for (r, row) in rows.iter().enumerate() {
            let mut x = x0;
            for (cell, wc) in row.iter().zip(&widths) {
                self.text(img, x + pad, y0 + row_h * r as f32 + self.px * 0.35, cell);
                x += wc;
            }
        }
        y1 + self.px * 0.8
    }
}

fn rule_h(img: &mut GrayImage, x0: f32, x1: f32, y: f32, thickness: u32) {
    let (w, h) = img.dimensions();
    for yy in (y as u32)..(y as u32 + thickness).min(h) {
        for xx in (x0 as u32)..(x1 as u32 + thickness).min(w) {
            img.put_pixel(xx, yy, Luma([0]));
        }
    }
}

fn rule_v(img: &mut GrayImage, x: f32, y0: f32, y1: f32, thickness: u32) {
    let (w, h) = img.dimensions();
    for yy in (y0 as u32)..(y1 as u32 + thickness).min(h) {
        for xx in (x as u32)..(x as u32 + thickness).min(w) {
            img.put_pixel(xx, yy, Luma([0]));
        }
    }
}

/// Makes a clean page look scanned.
pub fn degrade(img: &GrayImage, d: Degrade, rng: &mut StdRng) -> GrayImage {
    let rotated = rotate_small(img, d.skew_degrees);
    let mut out = GrayImage::new(rotated.width(), rotated.height());
    for (x, y, p) in rotated.enumerate_pixels() {
        let ink = 255 - p.0[0];
        let base = d.paper as i32 - (ink as i32 * d.paper as i32 / 255);
        let noise = if d.noise > 0 {
            rng.random_range(-(d.noise as i32)..=d.noise as i32)
        } else {
            0
        };
        out.put_pixel(x, y, Luma([(base + noise).clamp(0, 255) as u8]));
    }
    let out = if d.blur > 0.05 {
        image::imageops::blur(&out, d.blur)
    } else {
        out
    };
    match d.turns % 4 {
        1 => image::imageops::rotate90(&out),
        2 => image::imageops::rotate180(&out),
        3 => image::imageops::rotate270(&out),
        _ => out,
    }
}

/// Rotates by a small angle about the centre, bilinear, white outside.
fn rotate_small(img: &GrayImage, degrees: f32) -> GrayImage {
    if degrees.abs() < 0.01 {
        return img.clone();
    }
    let (w, h) = img.dimensions();
    let (s, c) = degrees.to_radians().sin_cos();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    GrayImage::from_fn(w, h, |x, y| {
        let dx = x as f32 - cx;
        let dy = y as f32 - cy;
        let sx = c * dx + s * dy + cx;
        let sy = -s * dx + c * dy + cy;
        if sx < 0.0 || sy < 0.0 || sx >= (w - 1) as f32 || sy >= (h - 1) as f32 {
            return Luma([255]);
        }
        let (x0, y0) = (sx as u32, sy as u32);
        let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
        let p = |xx, yy| img.get_pixel(xx, yy).0[0] as f32;
        let top = p(x0, y0) * (1.0 - fx) + p(x0 + 1, y0) * fx;
        let bottom = p(x0, y0 + 1) * (1.0 - fx) + p(x0 + 1, y0 + 1) * fx;
        Luma([(top * (1.0 - fy) + bottom * fy) as u8])
    })
}
