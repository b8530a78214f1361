//! Separator sheets (lembar pemisah): a page with a QR code put in front of
//! each document of a batch that is scanned as one file. Ingest splits the
//! file at these pages; the part after a sheet becomes one record and takes
//! the fields the sheet was printed with.
//!
//! The QR code carries the fields themselves (`RPPARSIP-SEP1 {json}`), so a
//! sheet printed on any machine works on any other, offline. It never
//! carries an access class: a record's class is the importer's choice, and
//! a printed page is no proof of clearance.

use super::layout::{Align, Column, Paper, Sheet, Style};
use crate::error::{Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};

/// What a sheet says about the document behind it. Codes are vocabulary
/// codes (doc type, election, region); ingest drops any this archive lacks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Separator {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub election: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tps: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The paper original's box (boks), where the scanned pages go back to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub box_no: Option<String>,
}

/// Side of one QR module on the sheet, in points.
const QR_MODULE: f32 = 3.0;

/// Most bytes a sheet's code carries. With 3 pt modules, the longest code
/// was read back from the sheet drawn at every resolution from 100 to 320
/// dpi in steps of 10 but one (120 dpi; a short code at all of them):
/// rqrr misses some scales. The sheet asks for 150 dpi or more, and
/// `tests/it/print.rs` reads it at 150, 200, 240 and 300.
const MAX_PAYLOAD: usize = 400;

/// The QR payload's prefix: the format's name and version.
const PREFIX: &str = "RPPARSIP-SEP1 ";
/// Printed on every sheet: a scanner that makes a text layer gives these
/// words, and only pages with them are looked at for a code.
pub const MARK: &str = "LEMBAR PEMISAH";

const LIMITS: [(&str, usize); 7] = [
    ("title", 300),
    ("doc_type", 64),
    ("election", 64),
    ("region", 32),
    ("tps", 8),
    ("number", 120),
    ("box_no", 40),
];

impl Separator {
    fn fields_mut(&mut self) -> [&mut Option<String>; 7] {
        [
            &mut self.title,
            &mut self.doc_type,
            &mut self.election,
            &mut self.region,
            &mut self.tps,
            &mut self.number,
            &mut self.box_no,
        ]
    }

    /// Trimmed, blanks dropped, lengths checked: what is printed and what
    /// a scanned code is read into.
    pub fn checked(mut self) -> Result<Separator> {
        for (field, (name, max)) in self.fields_mut().into_iter().zip(LIMITS) {
            if let Some(v) = field.take() {
                // A code is read from paper anyone may have printed: no
                // control or direction-override characters get through.
                let v = crate::privacy::visible_text(&v, false);
                let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
                if v.chars().count() > max {
                    return Err(Error::new(
                        ErrorCode::InvalidInput,
                        format!("{name} > {max}"),
                    ));
                }
                if !v.is_empty() {
                    *field = Some(v);
                }
            }
        }
        Ok(self)
    }

    /// Checked as `checked`, and small enough that its code is read back
    /// from a scan: a longer payload makes a denser code, which the reader
    /// misses at a scan's resolution, and the stack would not be split.
    pub fn printable(self) -> Result<Separator> {
        let sheet = self.checked()?;
        let bytes = sheet.payload().len();
        if bytes > MAX_PAYLOAD {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("sheet: {bytes} bytes > {MAX_PAYLOAD}; shorten the title"),
            ));
        }
        Ok(sheet)
    }

    pub fn is_empty(&self) -> bool {
        *self == Separator::default()
    }

    /// The text of the sheet's QR code.
    pub fn payload(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_else(|_| "{}".into());
        format!("{PREFIX}{json}")
    }

    /// The sheet a QR code's text describes, if it is one of ours.
    pub fn parse(text: &str) -> Option<Separator> {
        let json = text.trim().strip_prefix(PREFIX.trim_end())?;
        serde_json::from_str::<Separator>(json.trim())
            .ok()?
            .checked()
            .ok()
    }

    /// The first of `codes` read from a page that is a separator sheet.
    pub fn found_in(codes: &[String]) -> Option<Separator> {
        codes.iter().find_map(|c| Separator::parse(c))
    }
}

/// A sheet to print, with the names of its codes for the people who read it.
#[derive(Debug, Clone, Default)]
pub struct Printed {
    pub sheet: Separator,
    pub doc_type: Option<String>,
    pub election: Option<String>,
    pub region: Option<String>,
}

/// The PDF of separator sheets, one per page.
pub fn sheets_pdf(sheets: &[Printed], office: &str, printed_on: &str) -> Result<Vec<u8>> {
    let mut doc = Sheet::new(Paper::A4, format!("{office} · RPP Arsip"));
    for (i, p) in sheets.iter().enumerate() {
        if i > 0 {
            doc.new_page();
        }
        let numbered = format!(
            "Lembar {} dari {} · dicetak {printed_on}",
            i + 1,
            sheets.len()
        );
        draw(&mut doc, p, office, &numbered)?;
    }
    doc.finish("Lembar pemisah / Separator sheets")
}

/// One sheet on the current page of `doc`; `note` is printed under it.
pub fn draw(doc: &mut Sheet, p: &Printed, office: &str, note: &str) -> Result<()> {
    doc.paragraph(office, Style::BODY.aligned(Align::Center));
    doc.gap(18.0);
    doc.paragraph(MARK, Style::HEADING.sized(30.0));
    doc.paragraph("Separator sheet", Style::HEADING.sized(14.0));
    doc.gap(12.0);
    doc.paragraph(
        "Letakkan lembar ini di depan dokumennya, lalu pindai seluruh tumpukan sebagai satu \
         berkas. RPP Arsip memotong berkas di setiap lembar pemisah: halaman sesudahnya sampai \
         lembar berikutnya menjadi satu arsip dengan isian di bawah. Lembar ini sendiri tidak \
         disimpan. Pindai pada 150 dpi atau lebih.",
        Style::SMALL.aligned(Align::Center),
    );
    doc.paragraph(
        "Put this sheet in front of its document and scan the whole stack as one file: the \
         pages after it, up to the next sheet, become one record with the fields below. Scan at \
         150 dpi or more.",
        Style::SMALL.aligned(Align::Center),
    );
    // What the sheets are sorted by on the table, large enough to read
    // across it.
    if let Some(tps) = &p.sheet.tps {
        doc.gap(10.0);
        doc.paragraph(&format!("TPS {tps}"), Style::HEADING.sized(36.0));
    }
    doc.gap(18.0);
    // Modules of at least 3 pt (1 mm, 6 pixels at 150 dpi): smaller ones
    // rqrr misses at some scan resolutions.
    let payload = p.sheet.payload();
    let modules = super::qr::modules(&payload)?.len() as f32;
    doc.qr(&payload, (modules * QR_MODULE).max(200.0))?;
    doc.gap(18.0);
    let named = |code: &Option<String>, name: &Option<String>| match (code, name) {
        (Some(c), Some(n)) if n != c => Some(format!("{n} ({c})")),
        (Some(c), _) => Some(c.clone()),
        _ => None,
    };
    let s = &p.sheet;
    let rows: Vec<Vec<String>> = [
        ("Judul / Title", s.title.clone()),
        (
            "Jenis dokumen / Document type",
            named(&s.doc_type, &p.doc_type),
        ),
        ("Pemilu / Election", named(&s.election, &p.election)),
        ("Wilayah / Region", named(&s.region, &p.region)),
        ("TPS / Polling station", s.tps.clone()),
        ("Nomor / Number", s.number.clone()),
        ("Nomor boks / Box", s.box_no.clone()),
    ]
    .into_iter()
    .filter_map(|(label, v)| v.map(|v| vec![label.to_string(), v]))
    .collect();
    let rows = if rows.is_empty() {
        vec![vec![
            "Isian / Fields".to_string(),
            "Tidak ada: isian dibaca dari dokumen / none: read from the document".to_string(),
        ]]
    } else {
        rows
    };
    let columns = [Column::new("", 1.0), Column::new("", 2.0)];
    doc.table(&columns, &rows, Style::BODY, false);
    doc.gap(18.0);
    doc.paragraph(note, Style::SMALL.aligned(Align::Center));
    Ok(())
}

/// Most sheets printed at once: a day's stack of documents.
pub const MAX_SHEETS: usize = 500;

/// The sheets as the office prints them: checked, their codes named from
/// the vocabularies (an unknown code is refused), dated today.
pub(crate) fn print(
    catalogue: &crate::catalogue::Catalogue,
    sheets: Vec<Separator>,
) -> Result<Vec<u8>> {
    use crate::catalogue::vocab::Coded;
    if sheets.is_empty() || sheets.len() > MAX_SHEETS {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("sheets: 1 to {MAX_SHEETS}"),
        ));
    }
    let office = catalogue.office()?;
    let mut printed = Vec::with_capacity(sheets.len());
    for sheet in sheets {
        let sheet = sheet.printable()?;
        let name = |field: Coded, code: &Option<String>, what: &str| -> Result<Option<String>> {
            let Some(code) = code else { return Ok(None) };
            match catalogue.term_name(field, code)? {
                Some(name) => Ok(Some(name)),
                None => Err(Error::new(
                    ErrorCode::InvalidInput,
                    format!("{what}: '{code}'"),
                )),
            }
        };
        printed.push(Printed {
            doc_type: name(Coded::DocType, &sheet.doc_type, "doc_type")?,
            election: name(Coded::Election, &sheet.election, "election")?,
            region: name(Coded::Region, &sheet.region, "region")?,
            sheet,
        });
    }
    let offset = crate::clock::office_offset(&office.region_code);
    let today = crate::clock::date_in_words(crate::clock::today(offset));
    sheets_pdf(&printed, &office.name, &today)
}

/// Numbers as people list them: `7`, `1-12`, `1,4,9`, `2-4, 8`; at most
/// `max` of them in all (counted before any list is made).
pub fn numbers(list: &str, max: usize) -> Result<Vec<u32>> {
    let bad = || {
        Error::new(
            ErrorCode::InvalidInput,
            format!("numbers '{list}' (1-12, 1,4,9; at most {max})"),
        )
    };
    let mut out = Vec::new();
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let (a, b): (u32, u32) = (
            a.trim().parse().map_err(|_| bad())?,
            b.trim().parse().map_err(|_| bad())?,
        );
        if a == 0 || b < a || out.len() + (b - a) as usize >= max {
            return Err(bad());
        }
        out.extend(a..=b);
    }
    if out.is_empty() {
        return Err(bad());
    }
    Ok(out)
}

/// The sheets of one kind of document: one per TPS in `tps` (`1-12` makes
/// TPS 001 to 012), else `count` alike.
pub fn sheets_of(sheet: Separator, tps: Option<&str>, count: usize) -> Result<Vec<Separator>> {
    match tps.map(str::trim).filter(|t| !t.is_empty()) {
        Some(list) => Ok(numbers(list, MAX_SHEETS)?
            .into_iter()
            .map(|n| Separator {
                tps: Some(format!("{n:03}")),
                ..sheet.clone()
            })
            .collect()),
        None if count == 0 || count > MAX_SHEETS => Err(Error::new(
            ErrorCode::InvalidInput,
            format!("sheets: 1 to {MAX_SHEETS}"),
        )),
        None => Ok(vec![sheet; count]),
    }
}
