//! The storage report (laporan tempat simpan): place by place, the boxes
//! on it with their berkas, years, condition, where each came from and
//! who has it now.

use crate::catalogue::storage::{BoxContents, Place};
use crate::error::Result;
use crate::print::formal::{head, Office};
use crate::print::layout::{Align, Column, Paper, Sheet, Style};

pub fn pdf(places: &[Place], boxes: &[BoxContents], office: &Office) -> Result<Vec<u8>> {
    let title = "LAPORAN TEMPAT SIMPAN ARSIP";
    let mut doc = Sheet::new(
        Paper::A4Landscape,
        format!("{title} · {} · RPP Arsip", office.name),
    );
    let on = format!("Keadaan per {}", crate::clock::date_in_words(office.date));
    head(&mut doc, office, title, &on);
    let columns = [
        Column::new("No", 0.4).aligned(Align::Right),
        Column::new("Nomor boks", 1.2),
        Column::new("Berkas", 0.7).aligned(Align::Right),
        Column::new("Arsip", 0.7).aligned(Align::Right),
        Column::new("Kurun waktu", 1.0),
        Column::new("Kode klasifikasi", 1.6),
        Column::new("Kondisi", 1.0),
        Column::new("Diterima dari", 1.8),
        Column::new("Keterangan", 2.0),
    ];
    // Each place with the boxes placed on it, then the boxes on none.
    let mut groups: Vec<(String, Vec<&BoxContents>)> = places
        .iter()
        .map(|p| {
            let here = boxes
                .iter()
                .filter(|b| b.archive_box.place == Some(p.id))
                .collect();
            (p.path.clone(), here)
        })
        .filter(|(_, here): &(String, Vec<&BoxContents>)| !here.is_empty())
        .collect();
    let unplaced: Vec<&BoxContents> = boxes
        .iter()
        .filter(|b| b.archive_box.place.is_none())
        .collect();
    if !unplaced.is_empty() {
        groups.push(("Belum ditempatkan".to_string(), unplaced));
    }
    let (mut berkas, mut records) = (0usize, 0u32);
    for (path, here) in &groups {
        doc.gap(6.0);
        doc.paragraph(path, Style::BODY.bold());
        let rows: Vec<Vec<String>> = here
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let x = &b.archive_box;
                let (years, codes, held) = super::labels::box_summary(b);
                berkas += b.berkas.len();
                records += held;
                let note = match &x.on_loan {
                    Some(l) => format!("Dipinjam {} ({}) s.d. {}", l.borrower, l.unit, l.due_on),
                    None => x.note.clone(),
                };
                vec![
                    (i + 1).to_string(),
                    x.number.clone(),
                    b.berkas.len().to_string(),
                    held.to_string(),
                    years,
                    codes,
                    x.condition.words().to_string(),
                    x.received_from.clone().unwrap_or_default(),
                    note,
                ]
            })
            .collect();
        doc.table(&columns, &rows, Style::SMALL.sized(8.0), true);
    }
    if groups.is_empty() {
        doc.paragraph("Belum ada boks arsip.", Style::BODY);
    }
    doc.gap(10.0);
    doc.paragraph(
        &format!(
            "Jumlah: {} tempat, {} boks, {berkas} berkas, {records} arsip",
            places.len(),
            boxes.len()
        ),
        Style::BODY.bold(),
    );
    doc.finish(title)
}
