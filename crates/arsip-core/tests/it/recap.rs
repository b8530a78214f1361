//! Result forms (C.Hasil) scanned and read back as data: each cell's number
//! against the form's truth, and every sum the KPPS got wrong flagged.

use crate::{admin, id_for};
use arsip_core::corpus::{self, CorpusOptions, DocKind, Format};
use arsip_core::recap::{self, PageText, Problem, ReadRow, RowKind};
use arsip_core::{Archive, IngestOptions};

#[test]
fn result_forms_are_read_cell_by_cell_and_every_wrong_sum_is_flagged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("formulir");
    let truths = corpus::generate(
        &input,
        &CorpusOptions {
            records: 16,
            seed: 41,
            dpi: 200,
            turn_every: 5,
            formats: vec![Format::ScanPdf, Format::Jpeg, Format::BilevelTiff],
            kinds: vec![DocKind::FormulirHasil],
        },
    )
    .expect("corpus");
    let archive =
        Archive::init(&dir.path().join("arsip"), "KPU Kota Bogor", "32.71").expect("init");
    let (reports, _) = archive
        .ingest(
            std::slice::from_ref(&input),
            &IngestOptions::default(),
            &(),
            &admin(),
        )
        .expect("ingest");
    let (mut cells, mut right, mut unsure) = (0usize, 0usize, 0usize);
    let (mut wrong_sums, mut flagged, mut silent) = (0usize, 0usize, Vec::new());
    let mut misread = Vec::new();
    for t in &truths {
        let truth = t.results.as_ref().expect("a result form");
        let id = id_for(&reports, &input.join(&t.file));
        let view = archive.record(&id, &admin()).expect("record");
        let pages: Vec<PageText> = view
            .pages
            .iter()
            .map(|p| PageText {
                number: p.number,
                text: &p.text,
                words: &p.words,
            })
            .collect();
        let table = recap::read(&pages);
        let rows = table
            .as_ref()
            .map(|t| t.rows.as_slice())
            .unwrap_or_default();
        let problems = table
            .as_ref()
            .map(|t| t.problems.as_slice())
            .unwrap_or_default();
        let votes: Vec<&ReadRow> = rows.iter().filter(|r| r.kind == RowKind::Votes).collect();
        let line = |kind: RowKind| rows.iter().find(|r| r.kind == kind);
        // Each cell of the truth beside the row read for it: a party's row
        // by its name, else by its place.
        let mut expected: Vec<(String, u64, Option<&ReadRow>)> = truth
            .votes
            .iter()
            .enumerate()
            .map(|(i, (party, v))| {
                let row = votes
                    .iter()
                    .find(|r| r.label == *party)
                    .or(votes.get(i))
                    .copied();
                (party.clone(), *v, row)
            })
            .collect();
        expected.push(("sah".into(), truth.valid, line(RowKind::Valid)));
        expected.push(("tidak sah".into(), truth.invalid, line(RowKind::Invalid)));
        expected.push(("seluruh".into(), truth.total, line(RowKind::Total)));
        for (label, value, row) in &expected {
            cells += 1;
            unsure += usize::from(row.is_some_and(|r| r.unsure));
            if row.is_some_and(|r| r.votes == Some(*value)) {
                right += 1;
                continue;
            }
            misread.push(format!(
                "{} {label} {value}: {:?}",
                t.file,
                row.map(|r| &r.raw)
            ));
            // A person is sent to every cell read wrong: by the cell, or by
            // the table's sums.
            let caught = row.is_some_and(|r| r.unsure) || !problems.is_empty();
            if !caught {
                silent.push(format!("{} {label}", t.file));
            }
        }
        if !truth.sum_agrees || !truth.total_agrees {
            wrong_sums += 1;
            let caught = problems.iter().any(|p| {
                matches!(
                    p,
                    Problem::SumNotValid { .. }
                        | Problem::ValidInvalidNotTotal { .. }
                        | Problem::NoValidLine
                )
            }) || problems.iter().any(|p| matches!(p, Problem::Unsure { .. }));
            flagged += usize::from(caught);
        }
    }
    let accuracy = right as f64 / cells as f64;
    println!(
        "recap: {right}/{cells} cells right ({:.1}%), {unsure} cells sent to a person ({:.1}%), \
         {flagged}/{wrong_sums} wrong sums flagged; misread: {misread:?}",
        accuracy * 100.0,
        unsure as f64 * 100.0 / cells as f64,
    );
    assert!(wrong_sums > 0, "the corpus has forms with wrong sums");
    assert_eq!(flagged, wrong_sums, "every wrong sum is flagged");
    assert!(
        silent.is_empty(),
        "cells read wrong that nothing flags: {silent:?}"
    );
    assert!(accuracy >= 0.98, "{accuracy:.3} of cells right");
}
