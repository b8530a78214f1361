//! Labels for boxes and berkas, each with a QR code that names it: on A4
//! (a box's label above the list of what it holds) or on a common sheet of
//! 14 labels (2 × 7, 99.1 × 38.1 mm, as Avery L7163 and the "label 14"
//! sheets sold in Indonesia). The code's text is `RPPARSIP:BOKS:<id>` or
//! `RPPARSIP:BERKAS:<id>` in capitals, which QR writes in its compact
//! alphanumeric mode (a smaller code at the same module size).

use crate::catalogue::berkas::Berkas;
use crate::catalogue::storage::BoxContents;
use crate::error::Result;
use crate::ids::{BerkasId, BoxId};
use crate::print::formal::{facts, period};
use crate::print::layout::{Align, Column, Paper, Sheet, Style};

/// The most labels printed at once, and the most berkas the boxes' A4
/// labels list at once (a box of 5,000 berkas takes about 10 s to set).
pub const MAX_LABELS: usize = 200;
pub const MAX_CONTENT_ROWS: usize = 5_000;

const PREFIX: &str = "RPPARSIP:";

/// How labels are laid out.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum LabelLayout {
    /// One label to an A4 page; a box's with the list of its berkas.
    #[default]
    A4,
    /// Fourteen small labels to an A4 sheet of labels.
    Sheet14,
}

impl LabelLayout {
    pub fn code(self) -> &'static str {
        match self {
            LabelLayout::A4 => "a4",
            LabelLayout::Sheet14 => "sheet14",
        }
    }
}

/// What a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    Box(BoxId),
    Berkas(BerkasId),
}

impl Payload {
    pub fn text(self) -> String {
        let (kind, id) = match self {
            Payload::Box(id) => ("BOKS", id.to_string()),
            Payload::Berkas(id) => ("BERKAS", id.to_string()),
        };
        format!("{PREFIX}{kind}:{}", id.to_uppercase())
    }
}

/// What a read label opens.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum LabelTarget {
    Box { id: BoxId, number: String },
    Berkas { id: BerkasId, number: String },
}

/// The thing a label's text names, if it is one of ours.
pub fn parse(text: &str) -> Option<Payload> {
    let text = text.trim().to_uppercase();
    let rest = text.strip_prefix(PREFIX)?;
    if let Some(id) = rest.strip_prefix("BOKS:") {
        return BoxId::parse(id).ok().map(Payload::Box);
    }
    let id = rest.strip_prefix("BERKAS:")?;
    BerkasId::parse(id).ok().map(Payload::Berkas)
}

/// A label to print.
pub enum Label {
    Box(std::boxed::Box<BoxContents>),
    Berkas(std::boxed::Box<Berkas>),
}

impl Label {
    pub fn id(&self) -> String {
        match self {
            Label::Box(b) => b.archive_box.id.to_string(),
            Label::Berkas(b) => b.id.to_string(),
        }
    }

    fn payload(&self) -> String {
        match self {
            Label::Box(b) => Payload::Box(b.archive_box.id).text(),
            Label::Berkas(b) => Payload::Berkas(b.id).text(),
        }
    }
}

/// What a box holds in a line: its years, classification codes, counts.
/// A box's years, classification codes and records, as its label and
/// the storage report print them.
pub(crate) fn box_summary(b: &BoxContents) -> (String, String, u32) {
    let from = b
        .berkas
        .iter()
        .filter_map(|i| i.year_from.or(i.year_to))
        .min();
    let to = b
        .berkas
        .iter()
        .filter_map(|i| i.year_to.or(i.year_from))
        .max();
    let mut codes: Vec<&str> = b
        .berkas
        .iter()
        .filter_map(|i| i.classification.as_deref())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let records: u32 = b.berkas.iter().map(|i| i.records).sum();
    (period(from, to), codes.join(", "), records)
}

/// The labels as one PDF.
pub fn pdf(labels: &[Label], layout: LabelLayout, office: &str) -> Result<Vec<u8>> {
    match layout {
        LabelLayout::A4 => a4(labels, office),
        LabelLayout::Sheet14 => sheet14(labels, office),
    }
}

fn a4(labels: &[Label], office: &str) -> Result<Vec<u8>> {
    let mut doc = Sheet::new(Paper::A4, format!("Label arsip · {office} · RPP Arsip"));
    for (i, label) in labels.iter().enumerate() {
        if i > 0 {
            doc.new_page();
        }
        doc.paragraph(&office.to_uppercase(), Style::HEADING.sized(14.0));
        doc.gap(4.0);
        doc.rule(1.5);
        doc.gap(12.0);
        match label {
            Label::Box(b) => box_page(&mut doc, b, &label.payload())?,
            Label::Berkas(b) => berkas_page(&mut doc, b, &label.payload())?,
        }
    }
    doc.finish("Label arsip / Archive labels")
}

fn box_page(doc: &mut Sheet, b: &BoxContents, payload: &str) -> Result<()> {
    let x = &b.archive_box;
    doc.paragraph("LABEL BOKS ARSIP", Style::HEADING);
    doc.gap(6.0);
    doc.paragraph(&format!("BOKS {}", x.number), Style::HEADING.sized(34.0));
    doc.gap(8.0);
    doc.qr(payload, 150.0)?;
    doc.gap(10.0);
    let (years, codes, records) = box_summary(b);
    let count = format!("{} berkas, {records} arsip", b.berkas.len());
    let received = [
        x.received_from.clone().unwrap_or_default(),
        x.received_on.clone().unwrap_or_default(),
        x.received_ref.clone().unwrap_or_default(),
    ]
    .into_iter()
    .filter(|v| !v.is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    facts(
        doc,
        vec![
            ("Lokasi", x.place_path.clone()),
            ("Kurun waktu", years),
            ("Kode klasifikasi", codes),
            ("Jumlah", count),
            ("Diterima", received),
            ("Kondisi", x.condition.words().to_string()),
        ],
    );
    doc.gap(14.0);
    doc.paragraph("DAFTAR ISI BOKS", Style::HEADING.sized(11.0));
    doc.gap(4.0);
    let columns = [
        // Wide enough for a number like PL.07/2024/E2E-BOKS on one line.
        Column::new("No", 0.35).aligned(Align::Right),
        Column::new("Map", 0.45),
        Column::new("Nomor berkas", 1.9),
        Column::new("Uraian informasi berkas", 2.4),
        Column::new("Kurun waktu", 0.8),
        Column::new("Klasifikasi", 1.05),
        Column::new("Arsip", 0.55).aligned(Align::Right),
    ];
    let rows: Vec<Vec<String>> = b
        .berkas
        .iter()
        .enumerate()
        .map(|(i, item)| {
            vec![
                (i + 1).to_string(),
                item.folder.clone().unwrap_or_default(),
                item.number.clone(),
                item.title.clone(),
                period(item.year_from, item.year_to),
                item.classification.clone().unwrap_or_default(),
                item.records.to_string(),
            ]
        })
        .collect();
    if rows.is_empty() {
        doc.paragraph("Boks ini belum berisi berkas.", Style::BODY);
    } else {
        doc.table(&columns, &rows, Style::SMALL, true);
    }
    Ok(())
}

fn berkas_page(doc: &mut Sheet, b: &Berkas, payload: &str) -> Result<()> {
    doc.paragraph("LABEL BERKAS", Style::HEADING);
    doc.gap(6.0);
    doc.paragraph(&b.number, Style::HEADING.sized(22.0));
    doc.gap(4.0);
    doc.paragraph(&b.title, Style::BODY.aligned(Align::Center));
    doc.gap(8.0);
    doc.qr(payload, 150.0)?;
    doc.gap(10.0);
    let place = b
        .in_box
        .as_ref()
        .map(|x| {
            [format!("Boks {}", x.number), x.place_path.clone()]
                .into_iter()
                .filter(|v| !v.is_empty())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    facts(
        doc,
        vec![
            (
                "Kode klasifikasi",
                b.classification.clone().unwrap_or_default(),
            ),
            ("Kurun waktu", period(b.year_from, b.year_to)),
            ("Lokasi", place),
            ("Map", b.folder.clone().unwrap_or_default()),
            ("Jumlah", format!("{} arsip", b.records)),
        ],
    );
    Ok(())
}

/// The 14-label sheet's geometry, in millimetres.
const SHEET_COLUMNS: usize = 2;
const SHEET_ROWS: usize = 7;
const LABEL_W: f32 = 99.1;
const LABEL_H: f32 = 38.1;
const SHEET_TOP: f32 = 15.15;
const SHEET_LEFT: f32 = 4.65;
const COLUMN_PITCH: f32 = 101.6;
/// Room kept from a label's edge: printers place a sheet a millimetre or
/// two off.
const PAD: f32 = 3.0;

fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

fn sheet14(labels: &[Label], office: &str) -> Result<Vec<u8>> {
    let mut doc = Sheet::bare(Paper::A4);
    let per_page = SHEET_COLUMNS * SHEET_ROWS;
    for (i, label) in labels.iter().enumerate() {
        if i > 0 && i % per_page == 0 {
            doc.new_page();
        }
        let slot = i % per_page;
        let (col, row) = (slot % SHEET_COLUMNS, slot / SHEET_COLUMNS);
        let x = mm(SHEET_LEFT + col as f32 * COLUMN_PITCH + PAD);
        let y = mm(SHEET_TOP + row as f32 * LABEL_H + PAD);
        let side = mm(LABEL_H - 2.0 * PAD);
        doc.qr_at(&label.payload(), (x, y), side)?;
        let tx = x + side + mm(1.0);
        let width = mm(LABEL_W - 2.0 * PAD - 1.0) - side;
        let small = Style::SMALL.sized(7.0);
        let mut at = y + mm(1.0);
        at += doc.text_at((tx, at), width, office, small, 1);
        match label {
            Label::Box(b) => {
                let x = &b.archive_box;
                at += doc.text_at(
                    (tx, at),
                    width,
                    &format!("BOKS {}", x.number),
                    Style::BODY.bold().sized(16.0),
                    1,
                );
                at += doc.text_at((tx, at), width, &x.place_path, small, 2);
                let (years, codes, records) = box_summary(b);
                let count = format!("{} berkas, {records} arsip", b.berkas.len());
                let line = [years, codes, count]
                    .into_iter()
                    .filter(|v| !v.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · ");
                doc.text_at((tx, at), width, &line, small, 2);
            }
            Label::Berkas(b) => {
                at += doc.text_at(
                    (tx, at),
                    width,
                    &b.number,
                    Style::BODY.bold().sized(10.0),
                    2,
                );
                at += doc.text_at((tx, at), width, &b.title, Style::SMALL.sized(7.5), 2);
                let place = b
                    .in_box
                    .as_ref()
                    .map(|x| format!("Boks {}", x.number))
                    .into_iter()
                    .chain(b.folder.as_ref().map(|f| format!("Map {f}")));
                let line = b
                    .classification
                    .clone()
                    .into_iter()
                    .chain(Some(period(b.year_from, b.year_to)))
                    .chain(place)
                    .filter(|v| !v.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · ");
                doc.text_at((tx, at), width, &line, small, 2);
            }
        }
    }
    doc.finish("Label arsip / Archive labels")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_reads_back_as_what_it_names() {
        let b = BoxId::new();
        assert_eq!(parse(&Payload::Box(b).text()), Some(Payload::Box(b)));
        let k = BerkasId::new();
        // As a scanner may type it: lower case, with a line end.
        let typed = format!("{}\n", Payload::Berkas(k).text().to_lowercase());
        assert_eq!(parse(&typed), Some(Payload::Berkas(k)));
        assert_eq!(parse("RPPARSIP:BOKS:12"), None);
        assert_eq!(parse("LEMBAR PEMISAH"), None);
    }
}
