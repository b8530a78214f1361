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

/// Draws lines on an A4 page at `dpi`.
pub fn draw_page(lines: &[String], dpi: u32) -> GrayImage {
    let w = (8.27 * dpi as f32) as u32;
    let h = (11.69 * dpi as f32) as u32;
    let mut img = GrayImage::from_pixel(w, h, Luma([255]));
    let Ok(font) = FontRef::try_from_slice(FONT) else {
        return img;
    };
    let px = 12.0 * dpi as f32 / 72.0;
    let scaled = font.as_scaled(PxScale::from(px));
    let margin = dpi as f32;
    let mut y = margin;
    for line in lines {
        let mut x = margin;
        let baseline = y + scaled.ascent();
        let mut prev = None;
        for c in line.chars() {
            let id = font.glyph_id(c);
            if let Some(p) = prev {
                x += scaled.kern(p, id);
            }
            let glyph = id.with_scale_and_position(PxScale::from(px), ab_glyph::point(x, baseline));
            x += scaled.h_advance(id);
            prev = Some(id);
            if let Some(outlined) = font.outline_glyph(glyph) {
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
        y += px * 1.5;
        if y > h as f32 - margin {
            break;
        }
    }
    img
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
