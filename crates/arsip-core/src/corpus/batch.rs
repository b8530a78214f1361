//! A stack of documents scanned as one PDF with a separator sheet in front
//! of each (`print::separator`): the sheets printed by the archive itself,
//! drawn by poppler as a scanner would see them and scanned with the same
//! skew, noise and blur as the pages; one sheet is fed upside down. A
//! `duplex` stack has each sheet's blank back after it, as a scanner that
//! reads both sides gives it.

use super::{encode, pdf, render, text, DocKind};
use crate::error::{Error, ErrorCode, Result};
use crate::print::separator::{sheets_pdf, Printed, Separator};
use rand::rngs::StdRng;
use rand::SeedableRng;
use serde::Serialize;
use std::path::Path;

/// What a batch holds: each document with the sheet in front of it.
#[derive(Debug, Clone, Serialize)]
pub struct BatchTruth {
    pub file: String,
    pub documents: Vec<BatchDocument>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BatchDocument {
    pub sheet: Separator,
    /// First and last page of the document in the batch (from 1).
    pub range: [u32; 2],
    /// Each page's text.
    pub pages: Vec<String>,
}

/// Writes `documents` scanned documents, each behind its separator sheet,
/// as `dir/file`.
pub fn separated_batch(
    dir: &Path,
    file: &str,
    documents: usize,
    seed: u64,
    dpi: u32,
    duplex: bool,
) -> Result<BatchTruth> {
    std::fs::create_dir_all(dir)?;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut written = Vec::with_capacity(documents);
    for i in 0..documents {
        let kind = DocKind::ALL[i % DocKind::ALL.len()];
        let w = text::write(kind, &mut rng);
        let sheet = Separator {
            title: Some(w.title.clone()),
            doc_type: Some(kind.doc_type().to_string()),
            election: Some(w.election.clone()),
            region: Some(w.region.clone()),
            tps: None,
            number: None,
            box_no: Some(format!("{}", 40 + i)),
        };
        written.push((sheet, w));
    }
    let printed: Vec<Printed> = written
        .iter()
        .map(|(sheet, _)| Printed {
            sheet: sheet.clone(),
            ..Printed::default()
        })
        .collect();
    let sheets = drawn_sheets(
        &sheets_pdf(&printed, "KPU Kota Bogor", "1 Desember 2026")?,
        dpi,
    )?;
    let mut scans = Vec::new();
    let mut truth = Vec::new();
    for (i, ((sheet, w), drawn)) in written.into_iter().zip(sheets).enumerate() {
        let mut d = render::Degrade::typical(&mut rng);
        d.turns = if i == 1 { 2 } else { 0 };
        scans.push(render::degrade(&drawn, d, &mut rng));
        if duplex {
            let d = render::Degrade::typical(&mut rng);
            scans.push(render::degrade(&render::draw_page(&[], dpi), d, &mut rng));
        }
        let first = scans.len() as u32 + 1;
        for lines in &w.pages {
            let d = render::Degrade::typical(&mut rng);
            scans.push(render::degrade(&render::draw_page(lines, dpi), d, &mut rng));
        }
        truth.push(BatchDocument {
            sheet,
            range: [first, scans.len() as u32],
            pages: w
                .pages
                .iter()
                .map(|p| p.join("\n").replace('\t', " "))
                .collect(),
        });
    }
    let jpegs = scans
        .iter()
        .map(|s| Ok((encode(s, image::ImageFormat::Jpeg)?, s.width(), s.height())))
        .collect::<Result<Vec<_>>>()?;
    pdf::write_image_pdf(&dir.join(file), &jpegs, dpi)?;
    Ok(BatchTruth {
        file: file.to_string(),
        documents: truth,
    })
}

/// Each page of a printed PDF as poppler draws it in grey at `dpi`.
fn drawn_sheets(pdf: &[u8], dpi: u32) -> Result<Vec<image::GrayImage>> {
    let dir = tempfile::tempdir()?;
    let input = dir.path().join("sheets.pdf");
    std::fs::write(&input, pdf)?;
    let out = std::process::Command::new("pdftoppm")
        .args(["-gray", "-png", "-r", &dpi.to_string()])
        .arg(&input)
        .arg(dir.path().join("s"))
        .output()?;
    if !out.status.success() {
        return Err(Error::new(
            ErrorCode::ToolMissing,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ));
    }
    let mut pages: Vec<_> = std::fs::read_dir(dir.path())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    pages.sort();
    pages
        .iter()
        .map(|p| {
            image::open(p)
                .map(|i| i.to_luma8())
                .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))
        })
        .collect()
}
