//! The record of a digitisation (alih media): for the berkas whose paper
//! was scanned, the *Berita Acara Alih Media* with the scan settings, and
//! the *Daftar Arsip Alih Media* naming every digital copy with its size
//! and SHA-256, as PDF and CSV. A copy that hashes to the list's value is
//! the copy made that day. Archivists and admins make them, for berkas
//! they read whole; each is a copy out of the archive, audited.

use crate::access::Clearance;
use crate::archive::Archive;
use crate::catalogue::berkas::{checked_text, Berkas};
use crate::error::{Error, ErrorCode, Result};
use crate::ids::BerkasId;
use crate::model::{Record, StoredFile};
use crate::print::formal::{day_in_words, day_words, head, place_and_date, Office};
use crate::print::layout::{Align, Column, Paper, Sheet, Style};

/// The most berkas one berita acara covers.
pub const MAX_BERKAS: usize = 100;
/// The most list rows (digital copies) one list carries.
pub const MAX_ROWS: usize = 5_000;

/// How the pages were scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ScanColour {
    /// Colour (24-bit).
    Warna,
    /// Greyscale.
    Keabuan,
    /// Black and white (bilevel).
    HitamPutih,
}

impl ScanColour {
    pub fn code(self) -> &'static str {
        match self {
            ScanColour::Warna => "warna",
            ScanColour::Keabuan => "keabuan",
            ScanColour::HitamPutih => "hitam-putih",
        }
    }

    pub fn parse(s: &str) -> Result<ScanColour> {
        match s.trim() {
            "warna" => Ok(ScanColour::Warna),
            "keabuan" => Ok(ScanColour::Keabuan),
            "hitam-putih" => Ok(ScanColour::HitamPutih),
            other => Err(Error::new(
                ErrorCode::InvalidInput,
                format!("colour '{other}': warna, keabuan, hitam-putih"),
            )),
        }
    }

    fn words(self) -> &'static str {
        match self {
            ScanColour::Warna => "berwarna",
            ScanColour::Keabuan => "skala keabuan (grayscale)",
            ScanColour::HitamPutih => "hitam-putih (bilevel)",
        }
    }
}

/// A digitisation as the archivist who did it describes it.
#[derive(Debug, Clone, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Digitisation {
    /// The berkas whose paper was scanned, in the list's order.
    pub berkas: Vec<BerkasId>,
    /// The berita acara's number.
    pub number: String,
    /// The day it was done (YYYY-MM-DD); today where the office is when
    /// not given.
    #[serde(default)]
    pub day: Option<String>,
    /// The scanner (make and model).
    pub device: String,
    /// The resolution scanned at, in dots per inch.
    pub dpi: u32,
    pub colour: ScanColour,
    /// Who scanned, and who witnessed it.
    pub operator: String,
    pub witness: String,
    /// Who acknowledges it (mengetahui), when someone does.
    #[serde(default)]
    pub head: Option<String>,
}

/// A document of a digitisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    BeritaAcara,
    ListPdf,
    ListCsv,
}

impl Document {
    pub fn parse(name: &str) -> Result<Document> {
        match name {
            "ba.pdf" => Ok(Document::BeritaAcara),
            "list.pdf" => Ok(Document::ListPdf),
            "list.csv" => Ok(Document::ListCsv),
            _ => Err(Error::new(ErrorCode::NotFound, name.to_string())),
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Document::ListCsv => "text/csv; charset=utf-8",
            _ => "application/pdf",
        }
    }

    fn code(self) -> &'static str {
        match self {
            Document::BeritaAcara => "ba.pdf",
            Document::ListPdf => "list.pdf",
            Document::ListCsv => "list.csv",
        }
    }
}

/// One record of a scanned berkas, with its digital copies.
struct Copied {
    record: Record,
    pages: u32,
    files: Vec<StoredFile>,
}

/// A digitisation checked, with what it covers.
struct Checked {
    number: String,
    device: String,
    dpi: u32,
    colour: ScanColour,
    operator: String,
    witness: String,
    head: Option<String>,
    berkas: Vec<(Berkas, Vec<Copied>)>,
}

impl Checked {
    fn copies(&self) -> impl Iterator<Item = &Copied> {
        self.berkas.iter().flat_map(|(_, c)| c.iter())
    }

    fn files(&self) -> impl Iterator<Item = &StoredFile> {
        self.copies().flat_map(|c| c.files.iter())
    }

    /// "2 berkas, 14 arsip, 57 halaman, menjadi 16 file digital (12,4 MB)".
    fn quantity(&self) -> String {
        let records = self.copies().count();
        let pages: u32 = self.copies().map(|c| c.pages).sum();
        let files = self.files().count();
        let bytes: u64 = self.files().map(|f| f.size).sum();
        format!(
            "{} berkas, {records} arsip, {pages} halaman, menjadi {files} file digital ({})",
            self.berkas.len(),
            size_words(bytes)
        )
    }

    fn formats(&self) -> String {
        let mut seen: Vec<&'static str> = Vec::new();
        for f in self.files() {
            let name = format_name(&f.media_type);
            if !seen.contains(&name) {
                seen.push(name);
            }
        }
        if seen.is_empty() {
            "-".to_string()
        } else {
            seen.join(", ")
        }
    }

    fn settings(&self) -> String {
        format!(
            "alat pemindai {}, resolusi {} dpi, mode {}",
            self.device,
            self.dpi,
            self.colour.words()
        )
    }
}

impl Archive {
    /// A document of a digitisation: its berita acara, or its list as PDF
    /// or CSV, dated its day (archivists and admins, of berkas whose every
    /// record they read). Audited as a copy out of the archive.
    pub fn digitisation_document(
        &self,
        request: &Digitisation,
        document: Document,
        clearance: &Clearance,
    ) -> Result<Vec<u8>> {
        clearance.require_catalogue()?;
        let checked = self.check_digitisation(request, clearance)?;
        let day = match &request.day {
            Some(d) => crate::retention::parse_day(d)?.to_string(),
            None => self.office_today()?.to_string(),
        };
        let office = self.formal_office(&day)?;
        let out = match document {
            Document::BeritaAcara => berita_acara_pdf(&checked, &office)?,
            Document::ListPdf => list_pdf(&checked, &office)?,
            Document::ListCsv => list_csv(&checked).into_bytes(),
        };
        let ids: Vec<String> = checked
            .berkas
            .iter()
            .map(|(b, _)| b.id.to_string())
            .collect();
        let detail = format!(
            "{}; number={}; day={day}; berkas={}; files={}; {} dpi {}",
            document.code(),
            checked.number,
            ids.join(","),
            checked.files().count(),
            checked.dpi,
            checked.colour.code()
        );
        self.audit_always(clearance, "digitisation.document", &ids[0], &detail)?;
        Ok(out)
    }

    fn check_digitisation(&self, request: &Digitisation, clearance: &Clearance) -> Result<Checked> {
        let invalid = |what: String| Error::new(ErrorCode::InvalidInput, what);
        let mut ids = request.berkas.clone();
        let mut seen = std::collections::HashSet::new();
        ids.retain(|b| seen.insert(*b));
        if ids.is_empty() || ids.len() > MAX_BERKAS {
            return Err(invalid(format!("berkas: 1 to {MAX_BERKAS}")));
        }
        if !(50..=2400).contains(&request.dpi) {
            return Err(invalid("dpi: 50 to 2400".to_string()));
        }
        // What the archivist wrote, checked before anything is read.
        let said = Checked {
            number: checked_text("ba_number", &request.number, 100)?,
            device: checked_text("device", &request.device, 200)?,
            dpi: request.dpi,
            colour: request.colour,
            operator: checked_text("operator", &request.operator, 200)?,
            witness: checked_text("witness", &request.witness, 200)?,
            head: match request.head.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(h) => Some(checked_text("head", h, 200)?),
            },
            berkas: Vec::new(),
        };
        let records_visible = clearance.visible_sql();
        let mut berkas = Vec::with_capacity(ids.len());
        let mut rows = 0usize;
        for id in &ids {
            let b = self.berkas(id, clearance)?;
            let copies = self.with_catalogue(|c| {
                let (shown, hidden) = c.berkas_records(id, &records_visible)?;
                if hidden > 0 {
                    return Err(Error::new(
                        ErrorCode::AccessDenied,
                        format!("berkas {}: holds records above the clearance", b.number),
                    ));
                }
                shown
                    .into_iter()
                    .filter_map(|(rid, pages)| match c.record(&rid) {
                        Ok(Some(record)) => Some(c.files(&rid).map(|files| Copied {
                            record,
                            pages,
                            files,
                        })),
                        Ok(None) => None,
                        Err(e) => Some(Err(e)),
                    })
                    .collect::<Result<Vec<_>>>()
            })?;
            rows += copies.iter().map(|c| c.files.len().max(1)).sum::<usize>();
            if rows > MAX_ROWS {
                return Err(invalid(format!(
                    "digitisation: at most {MAX_ROWS} digital copies in one list"
                )));
            }
            berkas.push((b, copies));
        }
        Ok(Checked { berkas, ..said })
    }
}

fn berita_acara_pdf(d: &Checked, office: &Office) -> Result<Vec<u8>> {
    let title = "BERITA ACARA ALIH MEDIA ARSIP";
    let mut doc = Sheet::new(Paper::A4, format!("{title} {} · RPP Arsip", d.number));
    head(&mut doc, office, title, &format!("Nomor: {}", d.number));
    let numbers: Vec<&str> = d.berkas.iter().map(|(b, _)| b.number.as_str()).collect();
    let body = [
        format!(
            "Pada {}, bertempat di {}, telah dilaksanakan alih media arsip dari media kertas ke media digital atas {}, yaitu berkas {}, sebagaimana tercantum dalam Daftar Arsip Alih Media terlampir, yang merupakan bagian tidak terpisahkan dari berita acara ini.",
            day_in_words(office),
            office.name,
            d.quantity(),
            numbers.join(", ")
        ),
        format!(
            "Alih media dilaksanakan oleh {} dan disaksikan oleh {}, dengan {}; salinan digitalnya berformat {}.",
            d.operator,
            d.witness,
            d.settings(),
            d.formats()
        ),
        String::from(
            "Keutuhan setiap salinan digital dijamin dengan nilai hash SHA-256 yang tercantum dalam daftar terlampir: salinan yang nilai hash-nya sama dengan nilai dalam daftar adalah salinan yang dibuat dalam alih media ini. Arsip asli dalam media kertas tetap disimpan dan diperlakukan sesuai Jadwal Retensi Arsip.",
        ),
        String::from(
            "Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya.",
        ),
    ];
    for p in body {
        doc.paragraph(&p, Style::BODY);
        doc.gap(8.0);
    }
    doc.gap(10.0);
    doc.paragraph(&place_and_date(office), Style::BODY.aligned(Align::Right));
    doc.gap(6.0);
    doc.signatures(&[
        ("Pelaksana alih media,", &d.operator),
        ("Saksi,", &d.witness),
    ]);
    if let Some(h) = &d.head {
        doc.gap(16.0);
        doc.signatures(&[("Mengetahui,", h)]);
    }
    doc.finish(title)
}

fn list_pdf(d: &Checked, office: &Office) -> Result<Vec<u8>> {
    let title = "DAFTAR ARSIP ALIH MEDIA";
    let mut doc = Sheet::new(
        Paper::A4Landscape,
        format!("{title} · {} · RPP Arsip", office.name),
    );
    head(
        &mut doc,
        office,
        title,
        &format!("Lampiran Berita Acara Alih Media Arsip Nomor {}", d.number),
    );
    let columns = [
        Column::new("No", 0.4).aligned(Align::Right),
        Column::new("Nomor berkas", 1.3),
        Column::new("Uraian arsip", 2.6),
        Column::new("Tanggal", 1.1),
        Column::new("Halaman", 0.8).aligned(Align::Right),
        Column::new("Nama file", 1.8),
        Column::new("Format", 0.7),
        Column::new("Ukuran", 0.8).aligned(Align::Right),
        Column::new("Nilai hash SHA-256", 2.4),
    ];
    let rows: Vec<Vec<String>> = list_rows(d)
        .into_iter()
        .map(|r| {
            vec![
                r.no.to_string(),
                r.berkas.to_string(),
                r.described(),
                r.record
                    .doc_date
                    .as_deref()
                    .map(day_words)
                    .unwrap_or_default(),
                r.pages.to_string(),
                r.file.map(|f| f.name.clone()).unwrap_or_else(|| "-".into()),
                r.file
                    .map(|f| format_name(&f.media_type).to_string())
                    .unwrap_or_default(),
                r.file.map(|f| size_words(f.size)).unwrap_or_default(),
                r.file
                    .map(|f| grouped(&f.sha256.to_hex()))
                    .unwrap_or_else(|| "tidak ada salinan digital".into()),
            ]
        })
        .collect();
    doc.table(&columns, &rows, Style::SMALL.sized(7.5), true);
    doc.gap(8.0);
    doc.paragraph(&format!("Jumlah: {}", d.quantity()), Style::BODY.bold());
    doc.paragraph(
        &format!("Pengaturan pindai: {}.", d.settings()),
        Style::BODY,
    );
    doc.gap(14.0);
    doc.signatures(&[
        ("Pelaksana alih media,", &d.operator),
        ("Saksi,", &d.witness),
    ]);
    doc.finish(title)
}

/// The list as CSV, a row per digital copy, the hash in full.
fn list_csv(d: &Checked) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(
        "no,nomor_berkas,nomor_arsip,uraian_arsip,tanggal,halaman,nama_file,format,ukuran_byte,sha256\r\n",
    );
    for r in list_rows(d) {
        let row = [
            r.no.to_string(),
            r.berkas.to_string(),
            r.record.number.clone().unwrap_or_default(),
            r.record.title.clone(),
            r.record.doc_date.clone().unwrap_or_default(),
            r.pages.to_string(),
            r.file.map(|f| f.name.clone()).unwrap_or_default(),
            r.file
                .map(|f| format_name(&f.media_type).to_string())
                .unwrap_or_default(),
            r.file.map(|f| f.size.to_string()).unwrap_or_default(),
            r.file.map(|f| f.sha256.to_hex()).unwrap_or_default(),
        ];
        crate::export::push_line(&mut out, &row);
    }
    out
}

/// A row of the list: a record's digital copy, or the record alone when
/// it holds none.
struct Row<'a> {
    no: usize,
    berkas: &'a str,
    record: &'a Record,
    pages: u32,
    file: Option<&'a StoredFile>,
}

impl Row<'_> {
    /// The record's title, with its number when it has one.
    fn described(&self) -> String {
        match &self.record.number {
            Some(n) if !n.is_empty() => format!("{} (Nomor {n})", self.record.title),
            _ => self.record.title.clone(),
        }
    }
}

fn list_rows(d: &Checked) -> Vec<Row<'_>> {
    let mut rows = Vec::new();
    for (b, copies) in &d.berkas {
        for c in copies {
            let files: Vec<Option<&StoredFile>> = if c.files.is_empty() {
                vec![None]
            } else {
                c.files.iter().map(Some).collect()
            };
            for file in files {
                rows.push(Row {
                    no: rows.len() + 1,
                    berkas: &b.number,
                    record: &c.record,
                    pages: c.pages,
                    file,
                });
            }
        }
    }
    rows
}

/// A file's format as a list names it: `application/pdf` → `PDF`.
fn format_name(media_type: &str) -> &'static str {
    match media_type {
        "application/pdf" => "PDF",
        "image/tiff" => "TIFF",
        "image/jpeg" => "JPEG",
        "image/png" => "PNG",
        "image/webp" => "WEBP",
        "image/bmp" => "BMP",
        "image/gif" => "GIF",
        _ => "lainnya",
    }
}

/// A size as people read it, with the decimal comma: "340 KB", "12,4 MB".
fn size_words(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    let (value, unit) = if b >= KB * KB * KB {
        (b / (KB * KB * KB), "GB")
    } else if b >= KB * KB {
        (b / (KB * KB), "MB")
    } else if b >= KB {
        (b / KB, "KB")
    } else {
        return format!("{bytes} byte");
    };
    let text = if value >= 100.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    };
    format!("{} {unit}", text.replace('.', ","))
}

/// A hash in four groups of sixteen, so a list's column wraps it between
/// groups and a reader compares it group by group.
fn grouped(hex: &str) -> String {
    hex.as_bytes()
        .chunks(16)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_are_written_as_people_read_them() {
        assert_eq!(super::size_words(512), "512 byte");
        assert_eq!(super::size_words(348_160), "340 KB");
        assert_eq!(super::size_words(2_048), "2,0 KB");
        assert_eq!(super::size_words(13_002_342), "12,4 MB");
    }

    #[test]
    fn a_hash_is_grouped_by_sixteen() {
        let hex = "0123456789abcdef".repeat(4);
        let g = super::grouped(&hex);
        assert_eq!(g.split(' ').count(), 4);
        assert_eq!(g.replace(' ', ""), hex);
    }
}
