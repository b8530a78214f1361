//! The documents of a disposal list, made from the list as it was proposed:
//! the list (*Daftar Arsip Usul Musnah* then *Daftar Arsip Musnah*, and the
//! lists of a transfer and a handover) as PDF and CSV, and its berita acara
//! once it is carried out. Each carries the office's letterhead, the list's
//! number, place and date, and the blocks people sign.

use crate::catalogue::disposal::{Disposal, DisposalKind, DisposalState, ListEntry};
use crate::error::{Error, ErrorCode, Result};
use crate::print::formal::{day_in_words, head, signature, Office, Signed, Signer};
use crate::print::layout::{Align, Column, Paper, Sheet, Style};

/// A document of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    ListPdf,
    ListCsv,
    ListXlsx,
    BeritaAcaraPdf,
}

impl Document {
    pub fn parse(name: &str) -> Result<Document> {
        match name {
            "list.pdf" => Ok(Document::ListPdf),
            "list.csv" => Ok(Document::ListCsv),
            "list.xlsx" => Ok(Document::ListXlsx),
            "ba.pdf" => Ok(Document::BeritaAcaraPdf),
            _ => Err(Error::new(ErrorCode::NotFound, name.to_string())),
        }
    }

    /// Its name as a download and the audit trail give it.
    pub fn name(self) -> &'static str {
        match self {
            Document::ListPdf => "list.pdf",
            Document::ListCsv => "list.csv",
            Document::ListXlsx => "list.xlsx",
            Document::BeritaAcaraPdf => "ba.pdf",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Document::ListCsv => "text/csv; charset=utf-8",
            Document::ListXlsx => crate::export::XLSX_TYPE,
            _ => "application/pdf",
        }
    }
}

/// "3 berkas, 12 arsip, 40 lembar".
fn quantity(entries: &[ListEntry]) -> String {
    let records: u32 = entries.iter().map(|e| e.records).sum();
    let pages: u32 = entries.iter().map(|e| e.pages).sum();
    format!("{} berkas, {records} arsip, {pages} lembar", entries.len())
}

fn title_of(d: &Disposal) -> &'static str {
    match (d.kind, d.state == DisposalState::Done) {
        (DisposalKind::Musnah, true) => "DAFTAR ARSIP MUSNAH",
        (DisposalKind::Musnah, false) => "DAFTAR ARSIP USUL MUSNAH",
        (DisposalKind::Pindah, true) => "DAFTAR ARSIP INAKTIF YANG DIPINDAHKAN",
        (DisposalKind::Pindah, false) => "DAFTAR ARSIP USUL PINDAH",
        (DisposalKind::Serah, true) => "DAFTAR ARSIP STATIS YANG DISERAHKAN",
        (DisposalKind::Serah, false) => "DAFTAR ARSIP STATIS USUL SERAH",
    }
}

/// The list as PDF: A4 turned, a row per berkas with the columns the
/// regulation asks, the totals, and who signs.
pub fn list_pdf(d: &Disposal, office: &Office) -> Result<Vec<u8>> {
    let title = title_of(d);
    let mut doc = Sheet::new(
        Paper::A4Landscape,
        format!("{title} · {} · RPP Arsip", office.name),
    );
    head(&mut doc, office, title, &format!("Nomor daftar: {}", d.id));
    // Widths measured against the headers' longest words at 8 pt bold
    // ("klasifikasi", "perkembangan"): no header breaks inside a word.
    let columns = [
        Column::new("No", 0.45).aligned(Align::Right),
        Column::new("Kode klasifikasi", 1.3),
        Column::new("Nomor berkas", 1.7),
        Column::new("Uraian informasi berkas", 2.6),
        Column::new("Kurun waktu", 1.1),
        Column::new("Tingkat perkembangan", 1.7),
        Column::new("Jumlah", 1.2),
        Column::new("Media", 1.0),
        Column::new("Kondisi", 1.0),
        Column::new("Nomor boks", 0.9),
        Column::new("Lokasi", 1.0),
        Column::new("Keterangan", 1.6),
    ];
    // The rows the CSV carries, their two counts in one cell ("Jumlah").
    let rows: Vec<Vec<String>> = list_rows(d)
        .into_iter()
        .map(|mut row| {
            let pages = row.remove(7);
            row[6] = format!("{} arsip, {pages} lembar", row[6]);
            row
        })
        .collect();
    doc.table(&columns, &rows, Style::SMALL.sized(8.0), true);
    doc.gap(8.0);
    doc.paragraph(
        &format!("Jumlah: {}", quantity(&d.entries)),
        Style::BODY.bold(),
    );
    if let Some(ba) = &d.ba_number {
        let of = match d.kind {
            DisposalKind::Musnah => "Pemusnahan Arsip",
            DisposalKind::Pindah => "Pemindahan Arsip Inaktif",
            DisposalKind::Serah => "Penyerahan Arsip Statis",
        };
        doc.paragraph(
            &format!("Lampiran Berita Acara {of} Nomor {ba}"),
            Style::BODY,
        );
    }
    doc.gap(18.0);
    let signer = d.done_by.as_deref().unwrap_or(&d.proposed_by);
    let role = if d.state == DisposalState::Done {
        "Yang melaksanakan,"
    } else {
        "Yang mengusulkan,"
    };
    signature(&mut doc, office, role, signer);
    doc.finish(title)
}

/// What a person wrote, as a sentence of the document: ending in a full
/// stop.
fn sentence(text: &str) -> String {
    let t = text.trim();
    if t.ends_with(['.', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

/// The berita acara of a list that hands its berkas over, carried out:
/// a transfer to the records centre, or a handover of static records to
/// the regional archive office. Who hands over and who receives sign.
fn handing_over_pdf(d: &Disposal, office: &Office, ba: &str) -> Result<Vec<u8>> {
    let when = day_in_words(office);
    let approval = d.approval_ref.as_deref().unwrap_or("-");
    let quantity = quantity(&d.entries);
    let (title, what): (&str, Vec<String>) = if d.kind == DisposalKind::Serah {
        (
            "BERITA ACARA PENYERAHAN ARSIP STATIS",
            vec![
                format!(
                    "Pada {when}, bertempat di {}, telah dilaksanakan penyerahan arsip statis sebanyak {quantity} dari {} kepada lembaga kearsipan daerah, sebagaimana tercantum dalam Daftar Arsip Statis yang Diserahkan terlampir, yang merupakan bagian tidak terpisahkan dari berita acara ini.",
                    office.name, office.name
                ),
                format!(
                    "Arsip tersebut telah habis masa retensinya dan berketerangan permanen menurut Jadwal Retensi Arsip. Hasil verifikasi lembaga kearsipan daerah: {} Penyerahannya telah disetujui sebagaimana surat persetujuan {approval}.",
                    sentence(d.assessment.as_deref().unwrap_or("-"))
                ),
                String::from(
                    "Arsip diserahkan dalam keadaan asli, lengkap dan terolah, bersama salinan digitalnya dalam satu paket BagIt yang setiap filenya disertai nilai hash SHA-256 untuk memeriksa keutuhannya. Tanggung jawab atas pengelolaan arsip tersebut beralih kepada lembaga kearsipan daerah sejak berita acara ini ditandatangani.",
                ),
            ],
        )
    } else {
        (
            "BERITA ACARA PEMINDAHAN ARSIP INAKTIF",
            vec![
                format!(
                    "Pada {when}, bertempat di {}, telah dilaksanakan pemindahan arsip inaktif sebanyak {quantity} dari unit pengolah ke unit kearsipan (pusat arsip), sebagaimana tercantum dalam Daftar Arsip Inaktif yang Dipindahkan terlampir, yang merupakan bagian tidak terpisahkan dari berita acara ini.",
                    office.name
                ),
                format!(
                    "Arsip tersebut telah habis masa retensi aktifnya menurut Jadwal Retensi Arsip, dan pemindahannya telah disetujui sebagaimana surat persetujuan {approval}. Tanggung jawab atas pengelolaan arsip tersebut beralih kepada unit kearsipan sejak berita acara ini ditandatangani."
                ),
            ],
        )
    };
    let mut doc = Sheet::new(Paper::A4, format!("{title} {ba} · RPP Arsip"));
    head(&mut doc, office, title, &format!("Nomor: {ba}"));
    let body = what.into_iter().chain([String::from(
        "Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya.",
    )]);
    for p in body {
        doc.paragraph(&p, Style::BODY);
        doc.gap(8.0);
    }
    doc.gap(10.0);
    doc.paragraph(
        &crate::print::formal::place_and_date(office),
        Style::BODY.aligned(Align::Right),
    );
    doc.gap(6.0);
    let giver = d.witnesses.first().map(String::as_str).unwrap_or("-");
    let taker = d.witnesses.get(1).map(String::as_str).unwrap_or("-");
    doc.signatures(&[("Yang menyerahkan,", giver), ("Yang menerima,", taker)]);
    acknowledged(&mut doc, d);
    // Anyone else named was there as a witness.
    let others: Vec<&String> = d.witnesses.iter().skip(2).collect();
    if !others.is_empty() {
        doc.gap(16.0);
        doc.paragraph("Saksi-saksi:", Style::BODY.bold());
        for (i, w) in others.iter().enumerate() {
            doc.gap(26.0);
            doc.paragraph(
                &format!("{}. {w}  .............................", i + 1),
                Style::BODY,
            );
        }
    }
    doc.finish(title)
}

/// A signer as the berita acara prints them (checked when the step was taken).
fn signed(s: &Signer) -> Option<Signed> {
    Signed::check("signer", s).ok()
}

/// The head of the office's acknowledgement under a transfer's or
/// handover's signatures, when the berita acara names them.
fn acknowledged(doc: &mut Sheet, d: &Disposal) {
    if let Some(head) = d.head.as_ref().and_then(signed) {
        doc.gap(12.0);
        doc.signatures(&[(&head.role("Mengetahui,"), &head.block())]);
    }
}

/// The berita acara of a list carried out: a destruction's, a transfer's
/// or a handover's.
/// `synced`: the office sends its archive to the province, so the BA says
/// the copies there go too.
pub fn berita_acara_pdf(d: &Disposal, office: &Office, synced: bool) -> Result<Vec<u8>> {
    let (Some(ba), Some(_)) = (&d.ba_number, &d.done_at) else {
        return Err(Error::new(ErrorCode::WrongStep, d.id.clone()));
    };
    if d.kind != DisposalKind::Musnah {
        return handing_over_pdf(d, office, ba);
    }
    let title = "BERITA ACARA PEMUSNAHAN ARSIP";
    let mut doc = Sheet::new(Paper::A4, format!("{title} {ba} · RPP Arsip"));
    head(&mut doc, office, title, &format!("Nomor: {ba}"));
    let when = day_in_words(office);
    let approver = if d.needs_anri() {
        "Kepala Arsip Nasional Republik Indonesia (ANRI), karena ada arsip bermasa retensi 10 tahun atau lebih"
    } else {
        "pimpinan satuan kerja, karena masa retensi setiap arsip kurang dari 10 tahun"
    };
    let body = [
        format!(
            "Pada {when}, bertempat di {}, telah dilaksanakan pemusnahan arsip sebanyak {} sebagaimana tercantum dalam Daftar Arsip Musnah terlampir, yang merupakan bagian tidak terpisahkan dari berita acara ini.",
            office.name,
            quantity(&d.entries)
        ),
        format!(
            "Arsip tersebut telah habis masa retensinya dan berketerangan musnah menurut Jadwal Retensi Arsip, telah dinilai oleh tim penilai ({}), dan pemusnahannya telah disetujui oleh {approver} dengan {}.",
            d.assessment.as_deref().unwrap_or("-"),
            d.approval_ref.as_deref().unwrap_or("-")
        ),
        format!(
            "Pemusnahan dilakukan secara total sehingga fisik dan informasinya tidak dapat dikenali lagi; salinan digitalnya (berkas asli, halaman, teks dan indeks) telah dihapus dari RPP Arsip, sedangkan keterangan daftar dan jejak auditnya tetap disimpan.{} Salinan pada cadangan (backup) yang dibuat sebelum pemusnahan ini dimusnahkan tersendiri.",
            if synced {
                " Salinan yang telah dikirim ke KPU Provinsi melalui sinkronisasi dihapus pada pengiriman berikutnya, dan di provinsi pada penerimaan berikutnya."
            } else {
                ""
            }
        ),
        String::from("Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya."),
    ];
    for p in body {
        doc.paragraph(&p, Style::BODY);
        doc.gap(8.0);
    }
    doc.gap(10.0);
    let role = "Yang melaksanakan pemusnahan,";
    match (
        d.executor.as_ref().and_then(signed),
        d.head.as_ref().and_then(signed),
    ) {
        (executor, Some(head)) => {
            doc.paragraph(
                &crate::print::formal::place_and_date(office),
                Style::BODY.aligned(Align::Right),
            );
            doc.gap(6.0);
            let (doer, name) = match executor {
                Some(e) => (e.role(role), e.block()),
                None => (role.to_string(), d.done_by.clone().unwrap_or_default()),
            };
            doc.signatures(&[(&head.role("Mengetahui,"), &head.block()), (&doer, &name)]);
        }
        (Some(e), None) => signature(&mut doc, office, &e.role(role), &e.block()),
        (None, None) => signature(&mut doc, office, role, d.done_by.as_deref().unwrap_or("-")),
    }
    doc.gap(16.0);
    doc.paragraph("Saksi-saksi:", Style::BODY.bold());
    for (i, w) in d.witnesses.iter().enumerate() {
        doc.gap(26.0);
        doc.paragraph(
            &format!("{}. {w}  .............................", i + 1),
            Style::BODY,
        );
    }
    doc.finish(title)
}

/// The list's columns as CSV and spreadsheet carry them.
const LIST_HEADER: [&str; 13] = [
    "no",
    "kode_klasifikasi",
    "nomor_berkas",
    "uraian_informasi_berkas",
    "kurun_waktu",
    "tingkat_perkembangan",
    "jumlah_arsip",
    "jumlah_lembar",
    "media",
    "kondisi",
    "nomor_boks",
    "lokasi",
    "keterangan",
];

/// The list's rows, the same columns as the PDF with the counts apart.
fn list_rows(d: &Disposal) -> Vec<Vec<String>> {
    d.entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            vec![
                (i + 1).to_string(),
                e.classification.clone().unwrap_or_default(),
                e.number.clone(),
                e.title.clone(),
                e.period.clone(),
                e.development.clone(),
                e.records.to_string(),
                e.pages.to_string(),
                e.media.clone(),
                e.condition.clone(),
                e.box_no.clone().unwrap_or_default(),
                e.location.clone(),
                e.jra.clone(),
            ]
        })
        .collect()
}

/// The list as CSV.
pub fn list_csv(d: &Disposal) -> String {
    crate::export::csv_table(&LIST_HEADER, &list_rows(d))
}

/// The list as a spreadsheet: the number and the counts are numbers.
pub fn list_xlsx(d: &Disposal) -> Result<Vec<u8>> {
    crate::export::xlsx_table("Daftar", &LIST_HEADER, &list_rows(d), &[0, 6, 7])
}
