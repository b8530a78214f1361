//! The record of a digitisation (alih media): for the berkas whose paper
//! was scanned, the *Berita Acara Alih Media* with the scan settings, and
//! the *Daftar Arsip Alih Media* naming every digital copy with its size
//! and SHA-256, as PDF, CSV and spreadsheet (.xlsx). A copy that hashes to
//! the list's value is the copy made that day. Archivists and admins make
//! them, for berkas they read whole; each is a copy out of the archive,
//! audited.

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
            ScanColour::Keabuan => "skala keabuan",
            ScanColour::HitamPutih => "hitam-putih",
        }
    }
}

use crate::print::formal::Signed;
pub use crate::print::formal::Signer;

/// A digitisation as the archivist who did it describes it.
#[derive(Debug, Clone, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Digitisation {
    /// The berkas whose paper was scanned, in the list's order.
    pub berkas: Vec<BerkasId>,
    /// The berita acara's number.
    pub number: String,
    /// The day it was done (YYYY-MM-DD, not after today); today where the
    /// office is when not given.
    #[serde(default)]
    pub day: Option<String>,
    /// The unit whose records they are (unit pengolah), when named.
    #[serde(default)]
    pub unit: Option<String>,
    /// The scanner (make and model).
    pub device: String,
    /// The resolution scanned at, in dots per inch.
    pub dpi: u32,
    pub colour: ScanColour,
    /// Who scanned, who witnessed it (another person), and who
    /// acknowledges it for the office (mengetahui).
    pub operator: Signer,
    pub witness: Signer,
    pub head: Signer,
}

/// A document of a digitisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    BeritaAcara,
    ListPdf,
    ListCsv,
    ListXlsx,
}

impl Document {
    pub fn parse(name: &str) -> Result<Document> {
        match name {
            "ba.pdf" => Ok(Document::BeritaAcara),
            "list.pdf" => Ok(Document::ListPdf),
            "list.csv" => Ok(Document::ListCsv),
            "list.xlsx" => Ok(Document::ListXlsx),
            _ => Err(Error::new(ErrorCode::NotFound, name.to_string())),
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Document::ListCsv => "text/csv; charset=utf-8",
            Document::ListXlsx => crate::export::XLSX_TYPE,
            _ => "application/pdf",
        }
    }

    /// Its name as a download and the audit trail give it.
    pub fn name(self) -> &'static str {
        match self {
            Document::BeritaAcara => "ba.pdf",
            Document::ListPdf => "list.pdf",
            Document::ListCsv => "list.csv",
            Document::ListXlsx => "list.xlsx",
        }
    }
}

/// A digital copy as the list names it: the stored file, how many of the
/// record's pages it holds and how many of those were read by OCR, and,
/// for an image, its size in pixels and whether it is in colour.
struct Copy {
    file: StoredFile,
    pages: u32,
    ocr: u32,
    image: Option<(u32, u32, bool)>,
}

impl Copy {
    /// What the file itself shows, beside what the pelaksana said of the
    /// scan: an image's pixels and colour, a PDF's text layer or OCR.
    fn note(&self) -> String {
        match self.image {
            Some((w, h, colour)) => format!(
                "{w}×{h} piksel, {}",
                if colour { "berwarna" } else { "keabuan" }
            ),
            None if self.file.media_type == "application/pdf" && self.ocr == 0 => {
                "PDF berlapis teks, tidak dibaca OCR".to_string()
            }
            None if self.file.media_type == "application/pdf" => {
                format!("PDF pindaian, {} halaman dibaca OCR", self.ocr)
            }
            None => String::new(),
        }
    }
}

/// One record of a scanned berkas, with its digital copies.
struct Copied {
    record: Record,
    pages: u32,
    copies: Vec<Copy>,
}

/// A digitisation checked, with what it covers.
struct Checked {
    number: String,
    unit: Option<String>,
    device: String,
    dpi: u32,
    colour: ScanColour,
    operator: Signed,
    witness: Signed,
    head: Signed,
    berkas: Vec<(Berkas, Vec<Copied>)>,
}

impl Checked {
    fn copies(&self) -> impl Iterator<Item = &Copied> {
        self.berkas.iter().flat_map(|(_, c)| c.iter())
    }

    fn files(&self) -> impl Iterator<Item = &StoredFile> {
        self.copies().flat_map(|c| c.copies.iter().map(|x| &x.file))
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
        // One made at a time: a list of thousands of rows takes the CPU
        // for seconds, and searches must go on beside it.
        static MAKING: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _one = MAKING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let day = match &request.day {
            Some(d) => crate::retention::parse_day(d)?,
            None => self.office_today()?,
        };
        let checked = self.check_digitisation(request, day, clearance)?;
        let office = self.formal_office(&day.to_string())?;
        let out = match document {
            Document::BeritaAcara => berita_acara_pdf(&checked, &office)?,
            Document::ListPdf => list_pdf(&checked, &office)?,
            Document::ListCsv => {
                crate::export::csv_table(&LIST_HEADER, &table_rows(&checked)).into_bytes()
            }
            Document::ListXlsx => crate::export::xlsx_table(
                "Daftar",
                &LIST_HEADER,
                &table_rows(&checked),
                &LIST_NUMBERS,
            )?,
        };
        // An entry for each berkas: the trail tells each only to readers
        // of its class, and names no other berkas nor counts what it holds.
        let detail = format!(
            "{}; number={}; day={day}; {} dpi {}; operator={}; witness={}; head={}",
            document.name(),
            checked.number,
            checked.dpi,
            checked.colour.code(),
            checked.operator.signer().name,
            checked.witness.signer().name,
            checked.head.signer().name
        );
        for (b, _) in &checked.berkas {
            self.audit_always(
                clearance,
                "digitisation.document",
                &b.id.to_string(),
                &detail,
            )?;
        }
        Ok(out)
    }

    fn check_digitisation(
        &self,
        request: &Digitisation,
        day: time::Date,
        clearance: &Clearance,
    ) -> Result<Checked> {
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
        if day > self.office_today()? {
            return Err(invalid(format!("day {day}: after today")));
        }
        // What the archivist wrote, checked before anything is read.
        let said = Checked {
            number: checked_text("ba_number", &request.number, 100)?,
            unit: match request.unit.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(u) => Some(checked_text("unit", u, 200)?),
            },
            device: checked_text("device", &request.device, 200)?,
            dpi: request.dpi,
            colour: request.colour,
            operator: Signed::check("operator", &request.operator)?,
            witness: Signed::check("witness", &request.witness)?,
            head: Signed::check("head", &request.head)?,
            berkas: Vec::new(),
        };
        // A witness is someone other than the one who did the work.
        if said.operator.signer().name.to_lowercase() == said.witness.signer().name.to_lowercase() {
            return Err(invalid("witness: the operator cannot witness".to_string()));
        }
        let records_visible = clearance.visible_sql();
        let mut berkas = Vec::with_capacity(ids.len());
        let mut rows = 0usize;
        for id in &ids {
            let b = self.berkas(id, clearance)?;
            b.require_own()?;
            if b.stage == crate::catalogue::berkas::Stage::Musnah {
                return Err(invalid(format!("berkas {}: destroyed", b.number)));
            }
            let copies = self.with_catalogue(|c| {
                let (shown, hidden) = c.berkas_records(id, &records_visible)?;
                if hidden > 0 {
                    return Err(Error::new(
                        ErrorCode::AccessDenied,
                        format!("berkas {}: holds records above the clearance", b.number),
                    ));
                }
                let mut copied = Vec::with_capacity(shown.len());
                for (rid, pages) in shown {
                    let Some(mut record) = c.record(&rid)? else {
                        continue;
                    };
                    // What a record says is printed as it shows: no
                    // control or direction-turning characters.
                    record.title = crate::privacy::visible_text(&record.title, false);
                    record.number = record
                        .number
                        .map(|n| crate::privacy::visible_text(&n, false));
                    let sources = c.page_sources(&rid)?;
                    let copies = c
                        .files(&rid)?
                        .into_iter()
                        .map(|mut file| {
                            file.name = crate::privacy::visible_text(&file.name, false);
                            let (pages, ocr) = sources
                                .get(&file.sha256.to_hex())
                                .copied()
                                .unwrap_or((0, 0));
                            let image = measured(&self.blobs().path_of(&file.sha256), &file);
                            Copy {
                                file,
                                pages,
                                ocr,
                                image,
                            }
                        })
                        .collect();
                    copied.push(Copied {
                        record,
                        pages,
                        copies,
                    });
                }
                Ok(copied)
            })?;
            if copies.is_empty() {
                return Err(invalid(format!("berkas {}: no records", b.number)));
            }
            rows += copies.iter().map(|c| c.copies.len().max(1)).sum::<usize>();
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

/// An image file's size in pixels and whether it is in colour, read from
/// its header (nothing decoded); None for a PDF or an unreadable file.
fn measured(path: &std::path::Path, file: &StoredFile) -> Option<(u32, u32, bool)> {
    use image::ImageDecoder;
    if !file.media_type.starts_with("image/") {
        return None;
    }
    let decoder = image::ImageReader::open(path)
        .ok()?
        .with_guessed_format()
        .ok()?
        .into_decoder()
        .ok()?;
    let (w, h) = decoder.dimensions();
    Some((w, h, decoder.color_type().has_color()))
}

/// Where a berkas's paper is: "B-01 · Map 3".
fn location(b: &Berkas) -> String {
    match (&b.in_box, &b.folder) {
        (Some(x), Some(f)) => format!("Boks {} · Map {f}", x.number),
        (Some(x), None) => format!("Boks {}", x.number),
        (None, _) => String::new(),
    }
}

fn berita_acara_pdf(d: &Checked, office: &Office) -> Result<Vec<u8>> {
    let title = "BERITA ACARA ALIH MEDIA ARSIP";
    let mut doc = Sheet::new(Paper::A4, format!("{title} · {} · RPP Arsip", office.name));
    head(&mut doc, office, title, &format!("Nomor: {}", d.number));
    // A few berkas are named; many are left to the list.
    let which = if d.berkas.len() <= 5 {
        let numbers: Vec<&str> = d.berkas.iter().map(|(b, _)| b.number.as_str()).collect();
        format!(", yaitu berkas {}", numbers.join(", "))
    } else {
        String::new()
    };
    let of_unit = d
        .unit
        .as_ref()
        .map(|u| format!(" milik {u}"))
        .unwrap_or_default();
    let body = [
        format!(
            "Pada {}, bertempat di {}, kami yang bertanda tangan di bawah ini telah melaksanakan alih media arsip{of_unit} dari media kertas ke media digital atas {}{which}, sebagaimana tercantum dalam Daftar Arsip Alih Media terlampir, yang merupakan bagian tidak terpisahkan dari berita acara ini.",
            day_in_words(office),
            office.name,
            d.quantity(),
        ),
        format!(
            "Alih media dilaksanakan oleh {} dan disaksikan oleh {}, dengan {}; salinan digitalnya berformat {}. Ukuran dan mode warna setiap file gambar sebagaimana terbaca dari file itu sendiri dicantumkan dalam kolom keterangan daftar.",
            d.operator.named(),
            d.witness.named(),
            d.settings(),
            d.formats()
        ),
        String::from(
            "Setiap salinan digital telah diperiksa terhadap arsip aslinya: terbaca, lengkap, dan urutan halamannya sesuai. Keutuhannya dijamin dengan nilai hash SHA-256 yang tercantum dalam daftar terlampir: salinan yang nilai hash-nya sama dengan nilai dalam daftar adalah salinan yang dibuat dalam alih media ini.",
        ),
        format!(
            "Salinan digital disimpan dalam RPP Arsip {}. Arsip asli dalam media kertas disimpan kembali di tempatnya sebagaimana tercantum dalam kolom lokasi daftar, dan tetap diperlakukan sesuai Jadwal Retensi Arsip.",
            office.name
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
        (
            &d.operator.role("Pelaksana alih media,"),
            &d.operator.block(),
        ),
        (&d.witness.role("Saksi,"), &d.witness.block()),
    ]);
    doc.gap(16.0);
    doc.signatures(&[(&d.head.role("Mengetahui,"), &d.head.block())]);
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
    // Widths measured against the longest words at 7.5 pt: a file name
    // like "0002-berita-acara.tif" and a hash group of 16 stay whole.
    let columns = [
        Column::new("No", 0.35).aligned(Align::Right),
        Column::new("Berkas (kode)", 1.25),
        Column::new("Uraian arsip", 2.1),
        Column::new("Tanggal", 0.95),
        Column::new("Hlm.", 0.5).aligned(Align::Right),
        Column::new("Lokasi asli", 0.9),
        Column::new("Nama file", 1.65),
        Column::new("Format", 0.85),
        Column::new("Nilai hash SHA-256", 1.85),
        Column::new("Keterangan", 1.3),
    ];
    let rows: Vec<Vec<String>> = list_rows(d)
        .into_iter()
        .map(|r| {
            vec![
                r.no.to_string(),
                match &r.berkas.classification {
                    Some(code) => format!("{} ({code})", r.berkas.number),
                    None => r.berkas.number.clone(),
                },
                r.described(),
                r.record
                    .doc_date
                    .as_deref()
                    .map(day_words)
                    .unwrap_or_default(),
                r.copy.map(|c| c.pages).unwrap_or(r.pages).to_string(),
                location(r.berkas),
                r.copy
                    .map(|c| c.file.name.clone())
                    .unwrap_or_else(|| "-".into()),
                r.copy
                    .map(|c| {
                        format!(
                            "{}, {}",
                            format_name(&c.file.media_type),
                            size_words(c.file.size)
                        )
                    })
                    .unwrap_or_default(),
                r.copy
                    .map(|c| grouped(&c.file.sha256.to_hex()))
                    .unwrap_or_else(|| "tidak ada salinan digital".into()),
                r.copy.map(Copy::note).unwrap_or_default(),
            ]
        })
        .collect();
    doc.table(&columns, &rows, Style::SMALL.sized(7.5), true);
    doc.gap(8.0);
    doc.paragraph(&format!("Jumlah: {}", d.quantity()), Style::BODY.bold());
    doc.paragraph(
        &format!("Media asal: kertas. Pengaturan pindai: {}.", d.settings()),
        Style::BODY,
    );
    doc.gap(14.0);
    doc.signatures(&[
        (
            &d.operator.role("Pelaksana alih media,"),
            &d.operator.block(),
        ),
        (&d.witness.role("Saksi,"), &d.witness.block()),
    ]);
    doc.finish(title)
}

/// The list's columns as CSV and spreadsheet carry them.
const LIST_HEADER: [&str; 14] = [
    "no",
    "nomor_berita_acara",
    "kode_klasifikasi",
    "nomor_berkas",
    "nomor_arsip",
    "uraian_arsip",
    "tanggal",
    "halaman",
    "lokasi_asli",
    "nama_file",
    "format",
    "ukuran_byte",
    "sha256",
    "keterangan",
];

/// The list's rows for CSV and spreadsheet, a row per digital copy, the
/// hash in full.
fn table_rows(d: &Checked) -> Vec<Vec<String>> {
    list_rows(d)
        .into_iter()
        .map(|r| {
            vec![
                r.no.to_string(),
                d.number.clone(),
                r.berkas.classification.clone().unwrap_or_default(),
                r.berkas.number.clone(),
                r.record.number.clone().unwrap_or_default(),
                r.record.title.clone(),
                r.record.doc_date.clone().unwrap_or_default(),
                r.copy.map(|c| c.pages).unwrap_or(r.pages).to_string(),
                location(r.berkas),
                r.copy.map(|c| c.file.name.clone()).unwrap_or_default(),
                r.copy
                    .map(|c| format_name(&c.file.media_type).to_string())
                    .unwrap_or_default(),
                r.copy.map(|c| c.file.size.to_string()).unwrap_or_default(),
                r.copy.map(|c| c.file.sha256.to_hex()).unwrap_or_default(),
                r.copy.map(Copy::note).unwrap_or_default(),
            ]
        })
        .collect()
}

/// The spreadsheet's number columns: no, halaman, ukuran_byte.
const LIST_NUMBERS: [usize; 3] = [0, 7, 11];

/// A row of the list: a record's digital copy, or the record alone when
/// it holds none.
struct Row<'a> {
    no: usize,
    berkas: &'a Berkas,
    record: &'a Record,
    pages: u32,
    copy: Option<&'a Copy>,
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
    for (b, copied) in &d.berkas {
        for c in copied {
            let copies: Vec<Option<&Copy>> = if c.copies.is_empty() {
                vec![None]
            } else {
                c.copies.iter().map(Some).collect()
            };
            for copy in copies {
                rows.push(Row {
                    no: rows.len() + 1,
                    berkas: b,
                    record: &c.record,
                    pages: c.pages,
                    copy,
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
