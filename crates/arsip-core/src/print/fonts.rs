//! The fonts printed documents use (DejaVu Serif, regular and bold, shipped
//! in `assets/fonts`), and text widths measured by shaping it as the PDF will.

use std::sync::LazyLock;

pub(crate) const REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSerif.ttf");
pub(crate) const BOLD: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSerif-Bold.ttf");

struct Face {
    face: Option<rustybuzz::Face<'static>>,
    units_per_em: f32,
}

fn face(data: &'static [u8]) -> Face {
    let face = rustybuzz::Face::from_slice(data, 0);
    let units_per_em = face.as_ref().map_or(2048.0, |f| f.units_per_em() as f32);
    Face { face, units_per_em }
}

static FACES: LazyLock<[Face; 2]> = LazyLock::new(|| [face(REGULAR), face(BOLD)]);

/// The width of `text` at `size` points, shaped as krilla shapes it.
pub(crate) fn width(text: &str, size: f32, bold: bool) -> f32 {
    let f = &FACES[usize::from(bold)];
    let Some(face) = &f.face else {
        // The shipped font is always readable; a guess keeps layout going.
        return text.chars().count() as f32 * size * 0.6;
    };
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    let shaped = rustybuzz::shape(face, &[], buffer);
    let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
    units as f32 * size / f.units_per_em
}
