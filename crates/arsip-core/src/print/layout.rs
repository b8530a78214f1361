//! A page layout small enough to read in one sitting: paragraphs broken into
//! lines by measured width, tables whose rows never split and whose header
//! is repeated on each page, QR codes, and a footer with "Halaman i dari n".
//! Everything is placed first and drawn at the end, so the page count is
//! known when the footers are drawn.

use super::fonts;
use crate::error::{Error, ErrorCode, Result};

/// Paper sizes Indonesian offices print on, in points (1/72 inch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    #[default]
    A4,
    /// Folio/F4, 215 × 330 mm: the long paper of many government offices.
    F4,
    /// A4 turned: lists with many columns.
    A4Landscape,
}

impl Paper {
    fn size(self) -> (f32, f32) {
        let mm = |v: f32| v * 72.0 / 25.4;
        match self {
            Paper::A4 => (mm(210.0), mm(297.0)),
            Paper::F4 => (mm(215.0), mm(330.0)),
            Paper::A4Landscape => (mm(297.0), mm(210.0)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// How a run of text is set.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
    pub align: Align,
}

impl Style {
    pub const BODY: Style = Style {
        size: 11.0,
        bold: false,
        align: Align::Left,
    };
    pub const SMALL: Style = Style {
        size: 9.0,
        bold: false,
        align: Align::Left,
    };
    pub const HEADING: Style = Style {
        size: 13.0,
        bold: true,
        align: Align::Center,
    };

    pub fn bold(self) -> Style {
        Style { bold: true, ..self }
    }

    pub fn sized(self, size: f32) -> Style {
        Style { size, ..self }
    }

    pub fn aligned(self, align: Align) -> Style {
        Style { align, ..self }
    }
}

/// A table column: its header, its share of the width, its alignment.
#[derive(Debug, Clone)]
pub struct Column {
    pub title: String,
    pub weight: f32,
    pub align: Align,
}

impl Column {
    pub fn new(title: impl Into<String>, weight: f32) -> Column {
        Column {
            title: title.into(),
            weight,
            align: Align::Left,
        }
    }

    pub fn aligned(self, align: Align) -> Column {
        Column { align, ..self }
    }
}

/// One thing placed on a page, in points from the page's top left.
#[derive(Debug, Clone)]
enum Op {
    Text {
        x: f32,
        y: f32,
        style: Style,
        text: String,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
    },
    /// Filled rectangles (x, y, w, h): a QR code's dark modules.
    Fill(Vec<(f32, f32, f32, f32)>),
}

const MARGIN: f32 = 56.7; // 2 cm
const FOOTER: f32 = 24.0;
const LEADING: f32 = 1.3;
const CELL_PAD: f32 = 3.0;

/// A document being laid out.
pub struct Sheet {
    width: f32,
    height: f32,
    pages: Vec<Vec<Op>>,
    y: f32,
    /// None for label sheets, whose labels run to the paper's edge.
    footer: Option<String>,
}

impl Sheet {
    /// An empty first page; `footer` is printed small on every page beside
    /// its number.
    pub fn new(paper: Paper, footer: impl Into<String>) -> Sheet {
        let (width, height) = paper.size();
        Sheet {
            width,
            height,
            pages: vec![Vec::new()],
            y: MARGIN,
            footer: Some(footer.into()),
        }
    }

    /// A sheet without a footer, for things placed by position (labels).
    pub fn bare(paper: Paper) -> Sheet {
        let (width, height) = paper.size();
        Sheet {
            width,
            height,
            pages: vec![Vec::new()],
            y: MARGIN,
            footer: None,
        }
    }

    /// The paper's width and height in points.
    pub fn paper_size(&self) -> (f32, f32) {
        (self.width, self.height)
    }

    /// Text set in the box from (`x`, `y`) `width` wide, at most
    /// `max_lines` lines (the last one cut short with "…" when more would
    /// follow); returns the height it took.
    pub fn text_at(
        &mut self,
        (x, y): (f32, f32),
        width: f32,
        text: &str,
        style: Style,
        max_lines: usize,
    ) -> f32 {
        let mut lines = Self::lines(text, width, style);
        if lines.len() > max_lines {
            lines.truncate(max_lines);
            if let Some(last) = lines.last_mut() {
                while !last.is_empty()
                    && fonts::width(&format!("{last}…"), style.size, style.bold) > width
                {
                    last.pop();
                }
                last.push('…');
            }
        }
        let lh = Self::line_height(style);
        for (i, line) in lines.iter().enumerate() {
            self.set_line(x, width, y + i as f32 * lh, line.clone(), style);
        }
        lines.len() as f32 * lh
    }

    /// A thin rectangle: a label's cut line.
    pub fn frame(&mut self, (x, y): (f32, f32), w: f32, h: f32) {
        for (from, to) in [
            ((x, y), (x + w, y)),
            ((x + w, y), (x + w, y + h)),
            ((x + w, y + h), (x, y + h)),
            ((x, y + h), (x, y)),
        ] {
            self.put(Op::Line {
                from,
                to,
                width: 0.25,
            });
        }
    }

    /// The width text may take.
    pub fn text_width(&self) -> f32 {
        self.width - 2.0 * MARGIN
    }

    fn bottom(&self) -> f32 {
        self.height - MARGIN - FOOTER
    }

    fn at_top(&self) -> bool {
        self.y <= MARGIN
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    /// Moves to a new page unless `height` more fits on this one.
    fn room(&mut self, height: f32) {
        if self.y + height > self.bottom() && !self.at_top() {
            self.new_page();
        }
    }

    fn put(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    pub fn gap(&mut self, height: f32) {
        self.y += height;
    }

    /// Text broken into lines no wider than `width`; a word too long for a
    /// line is broken between characters.
    pub fn lines(text: &str, width: f32, style: Style) -> Vec<String> {
        let mut out = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            for word in para.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if fonts::width(&candidate, style.size, style.bold) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                }
                // The word alone, broken if it is wider than a line.
                for ch in word.chars() {
                    line.push(ch);
                    if fonts::width(&line, style.size, style.bold) > width && line.len() > 1 {
                        line.pop();
                        out.push(std::mem::take(&mut line));
                        line.push(ch);
                    }
                }
            }
            out.push(line);
        }
        out
    }

    fn line_height(style: Style) -> f32 {
        style.size * LEADING
    }

    /// Text set within `x0..x0+width` from the current line down.
    fn set_line(&mut self, x0: f32, width: f32, y: f32, line: String, style: Style) {
        let w = fonts::width(&line, style.size, style.bold);
        let x = match style.align {
            Align::Left => x0,
            Align::Center => x0 + (width - w) / 2.0,
            Align::Right => x0 + width - w,
        };
        if !line.is_empty() {
            self.put(Op::Text {
                x,
                y: y + style.size,
                style,
                text: line,
            });
        }
    }

    /// A paragraph across the text width, continued on the next page when
    /// it runs past this one.
    pub fn paragraph(&mut self, text: &str, style: Style) {
        let width = self.text_width();
        let lh = Self::line_height(style);
        for line in Self::lines(text, width, style) {
            self.room(lh);
            self.set_line(MARGIN, width, self.y, line, style);
            self.y += lh;
        }
    }

    /// Signature blocks side by side across the text width, each its
    /// role, room to sign, and the name in brackets (lines after the
    /// name's first, such as its NIP, below it); a long name or title
    /// wraps within its own block (a gap keeps neighbours apart).
    pub fn signatures(&mut self, blocks: &[(&str, &str)]) {
        const ROOM: f32 = 44.0;
        const GAP: f32 = 12.0;
        let style = Style::BODY.aligned(Align::Center);
        let lh = Self::line_height(style);
        let w = self.text_width() / blocks.len().max(1) as f32;
        let wrapped: Vec<(Vec<String>, Vec<String>)> = blocks
            .iter()
            .map(|(role, name)| {
                (
                    Self::lines(role, w - GAP, style),
                    Self::lines(&bracketed(name), w - GAP, style),
                )
            })
            .collect();
        let roles = wrapped.iter().map(|(r, _)| r.len()).max().unwrap_or(1) as f32;
        let names = wrapped.iter().map(|(_, n)| n.len()).max().unwrap_or(1) as f32;
        self.room((roles + names) * lh + ROOM);
        let top = self.y;
        for (i, (role, name)) in wrapped.into_iter().enumerate() {
            let x = MARGIN + i as f32 * w + GAP / 2.0;
            for (j, line) in role.into_iter().enumerate() {
                self.set_line(x, w - GAP, top + j as f32 * lh, line, style);
            }
            for (j, line) in name.into_iter().enumerate() {
                let y = top + (roles + j as f32) * lh + ROOM;
                self.set_line(x, w - GAP, y, line, style);
            }
        }
        self.y = top + (roles + names) * lh + ROOM;
    }

    /// A line across the text width.
    pub fn rule(&mut self, width: f32) {
        let y = self.y;
        self.put(Op::Line {
            from: (MARGIN, y),
            to: (self.width - MARGIN, y),
            width,
        });
    }

    /// A ruled table: the header on top of every page it spans; a row is
    /// kept whole on one page. `header: false` for a list of label/value
    /// rows without one.
    pub fn table(&mut self, columns: &[Column], rows: &[Vec<String>], style: Style, header: bool) {
        let total: f32 = columns
            .iter()
            .map(|c| c.weight)
            .sum::<f32>()
            .max(f32::EPSILON);
        let widths: Vec<f32> = columns
            .iter()
            .map(|c| c.weight / total * self.text_width())
            .collect();
        let head: Vec<String> = columns.iter().map(|c| c.title.clone()).collect();
        let head_style = style.bold().aligned(Align::Center);
        let head_height = self.row_height(&head, &widths, head_style);
        let max_height = self.bottom() - MARGIN - if header { head_height } else { 0.0 };
        if header {
            self.room(head_height * 2.0);
            self.row(&head, &widths, columns, head_style, true);
        }
        for cells in rows {
            let height = self.row_height(cells, &widths, style).min(max_height);
            if self.y + height > self.bottom() {
                self.new_page();
                if header {
                    self.row(&head, &widths, columns, head_style, true);
                }
            }
            self.row(cells, &widths, columns, style, false);
        }
    }

    fn row_height(&self, cells: &[String], widths: &[f32], style: Style) -> f32 {
        let lines = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| Self::lines(c, w - 2.0 * CELL_PAD, style).len())
            .max()
            .unwrap_or(1);
        lines as f32 * Self::line_height(style) + 2.0 * CELL_PAD
    }

    fn row(
        &mut self,
        cells: &[String],
        widths: &[f32],
        columns: &[Column],
        style: Style,
        head: bool,
    ) {
        let max_height = self.bottom() - self.y;
        let height = self.row_height(cells, widths, style).min(max_height);
        let lh = Self::line_height(style);
        let top = self.y;
        let mut x = MARGIN;
        for ((cell, w), col) in cells.iter().zip(widths).zip(columns) {
            let cell_style = if head {
                style
            } else {
                style.aligned(col.align)
            };
            let mut y = top + CELL_PAD;
            for line in Self::lines(cell, w - 2.0 * CELL_PAD, cell_style) {
                if y + lh > top + height {
                    break;
                }
                self.set_line(x + CELL_PAD, w - 2.0 * CELL_PAD, y, line, cell_style);
                y += lh;
            }
            self.put(Op::Line {
                from: (x, top),
                to: (x, top + height),
                width: 0.5,
            });
            x += w;
        }
        self.put(Op::Line {
            from: (x, top),
            to: (x, top + height),
            width: 0.5,
        });
        for y in [top, top + height] {
            self.put(Op::Line {
                from: (MARGIN, y),
                to: (x, y),
                width: 0.5,
            });
        }
        self.y = top + height;
    }

    /// A QR code of `payload`, `side` points square, centred.
    pub fn qr(&mut self, payload: &str, side: f32) -> Result<()> {
        self.room(side);
        let x0 = (self.width - side) / 2.0;
        self.qr_at(payload, (x0, self.y), side)?;
        self.y += side;
        Ok(())
    }

    /// A QR code of `payload`, `side` points square (its quiet zone
    /// included), its top left at (`x0`, `y0`).
    pub fn qr_at(&mut self, payload: &str, (x0, y0): (f32, f32), side: f32) -> Result<()> {
        let modules = super::qr::modules(payload)?;
        let n = modules.len() as f32;
        let module = side / n;
        let mut rects = Vec::new();
        for (row, line) in modules.iter().enumerate() {
            // Runs of dark modules as one rectangle each.
            let mut col = 0;
            while col < line.len() {
                if !line[col] {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < line.len() && line[col] {
                    col += 1;
                }
                rects.push((
                    x0 + start as f32 * module,
                    y0 + row as f32 * module,
                    (col - start) as f32 * module,
                    module,
                ));
            }
        }
        self.put(Op::Fill(rects));
        Ok(())
    }

    /// The PDF: every page drawn, each with its footer.
    pub fn finish(self, title: &str) -> Result<Vec<u8>> {
        use krilla::geom::{PathBuilder, Point, Rect};
        use krilla::page::PageSettings;
        use krilla::paint::{Fill, Stroke};
        use krilla::text::{Font, TextDirection};
        let failed = |what: &str| Error::new(ErrorCode::Internal, format!("pdf: {what}"));
        let regular =
            Font::new(krilla::Data::from(fonts::REGULAR), 0).ok_or_else(|| failed("font"))?;
        let bold = Font::new(krilla::Data::from(fonts::BOLD), 0).ok_or_else(|| failed("font"))?;
        let mut doc = krilla::Document::new();
        doc.set_metadata(
            krilla::metadata::Metadata::new()
                .title(title.to_string())
                .creator("RPP Arsip".to_string())
                .language("id".to_string()),
        );
        let count = self.pages.len();
        for (i, mut ops) in self.pages.into_iter().enumerate() {
            if let Some(footer) = &self.footer {
                let style = Style::SMALL.aligned(Align::Right);
                let pages = format!("    Halaman {} dari {}", i + 1, count);
                // A long BA number or office name is shortened, never
                // pushed off the page's left edge: the page count stays.
                let room = self.width - 2.0 * MARGIN - fonts::width(&pages, style.size, false);
                let footer = format!("{}{pages}", shortened(footer, style.size, room));
                let w = fonts::width(&footer, style.size, false);
                ops.push(Op::Text {
                    x: self.width - MARGIN - w,
                    y: self.height - MARGIN + style.size,
                    style,
                    text: footer,
                });
            }
            let settings =
                PageSettings::from_wh(self.width, self.height).ok_or_else(|| failed("page"))?;
            let mut page = doc.start_page_with(settings);
            let mut surface = page.surface();
            for op in ops {
                match op {
                    Op::Text { x, y, style, text } => {
                        surface.set_stroke(None);
                        surface.set_fill(Some(Fill::default()));
                        let font = if style.bold { &bold } else { &regular };
                        surface.draw_text(
                            Point::from_xy(x, y),
                            font.clone(),
                            style.size,
                            &text,
                            false,
                            TextDirection::Auto,
                        );
                    }
                    Op::Line { from, to, width } => {
                        let mut path = PathBuilder::new();
                        path.move_to(from.0, from.1);
                        path.line_to(to.0, to.1);
                        if let Some(path) = path.finish() {
                            surface.set_fill(None);
                            surface.set_stroke(Some(Stroke {
                                width,
                                ..Stroke::default()
                            }));
                            surface.draw_path(&path);
                        }
                    }
                    Op::Fill(rects) => {
                        let mut path = PathBuilder::new();
                        for (x, y, w, h) in rects {
                            if let Some(r) = Rect::from_xywh(x, y, w, h) {
                                path.push_rect(r);
                            }
                        }
                        if let Some(path) = path.finish() {
                            surface.set_stroke(None);
                            surface.set_fill(Some(Fill::default()));
                            surface.draw_path(&path);
                        }
                    }
                }
            }
            surface.finish();
            page.finish();
        }
        doc.finish().map_err(|e| failed(&format!("{e:?}")))
    }
}

/// "( Siti Aminah )", and what follows the name's first line below it.
fn bracketed(name: &str) -> String {
    match name.split_once('\n') {
        Some((first, rest)) => format!("( {first} )\n{rest}"),
        None => format!("( {name} )"),
    }
}

/// `text` cut to fit `room` points at `size` (regular face), ending in "…".
fn shortened(text: &str, size: f32, room: f32) -> String {
    if fonts::width(text, size, false) <= room {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let cut = format!("{}…", chars.iter().collect::<String>().trim_end());
        if fonts::width(&cut, size, false) <= room {
            return cut;
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_footer_too_long_for_the_page_is_shortened_not_pushed_off() {
        let size = Style::SMALL.size;
        let short = "Berita Acara Pemusnahan 1/BA/2026 · RPP Arsip";
        assert_eq!(shortened(short, size, 400.0), short);
        let long = format!(
            "Berita Acara Pemusnahan {} · RPP Arsip",
            "123/PL.01.9-BA/".repeat(20)
        );
        let cut = shortened(&long, size, 400.0);
        assert!(cut.ends_with('…') && cut.starts_with("Berita Acara Pemusnahan 123/"));
        assert!(fonts::width(&cut, size, false) <= 400.0);
    }
}
