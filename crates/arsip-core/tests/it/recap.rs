//! Result forms (C.Hasil) scanned and read back as data: each cell's number
//! against the form's truth, and every sum the KPPS got wrong flagged.

use crate::{admin, arsiparis, id_for, publik};
use arsip_core::catalogue::recap::ConfirmRow;
use arsip_core::corpus::{self, CorpusOptions, DocKind, Format};
use arsip_core::recap::{self, PageText, Problem, ReadRow, RowKind};
use arsip_core::{AccessLevel, Archive, ErrorCode, IngestOptions};

#[test]
fn result_forms_are_read_cell_by_cell_and_every_wrong_sum_is_flagged() {
    let crate::Scanned {
        dir: _dir,
        archive,
        input,
        truths,
        reports,
        ..
    } = crate::scanned(
        "formulir",
        &CorpusOptions {
            records: 16,
            seed: 41,
            dpi: 200,
            turn_every: 5,
            formats: vec![Format::ScanPdf, Format::Jpeg, Format::BilevelTiff],
            kinds: vec![DocKind::FormulirHasil],
        },
    );
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

#[test]
fn a_read_table_waits_for_a_person_who_confirms_it_against_its_crops_and_only_then_the_public_sees_it(
) {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("formulir");
    let truths = corpus::generate(
        &input,
        &CorpusOptions {
            records: 2,
            seed: 5,
            dpi: 200,
            turn_every: 0,
            formats: vec![Format::Jpeg],
            kinds: vec![DocKind::FormulirHasil],
        },
    )
    .expect("corpus");
    let archive =
        Archive::init(&dir.path().join("arsip"), "KPU Kota Bogor", "32.71").expect("init");
    let (reports, _) = archive
        .ingest(
            std::slice::from_ref(&input),
            &IngestOptions {
                access: Some(AccessLevel::Terbuka),
                ..IngestOptions::default()
            },
            &(),
            &admin(),
        )
        .expect("ingest");
    let clerk = arsiparis(&archive);
    let queue = archive.recap_queue(&clerk).expect("queue");
    assert_eq!(queue.total, 2, "both forms wait for a person");
    assert!(
        archive.recap_queue(&publik()).is_err(),
        "the public has no queue"
    );

    let truth = truths[0].results.as_ref().expect("a result form");
    let id = id_for(&reports, &input.join(&truths[0].file));
    let table = archive
        .recap(&id, &clerk)
        .expect("the clerk sees the reading");
    assert!(table.confirmed_at.is_none());
    assert_eq!(
        table
            .rows
            .iter()
            .filter(|r| r.kind == RowKind::Votes)
            .count(),
        truth.votes.len()
    );
    // Each row's crop is a piece of its page, a strip wider than tall.
    for (i, row) in table.rows.iter().enumerate() {
        assert!(row.crop, "row {i} has its crop");
        let jpeg = archive.recap_crop(&id, i as u32, &clerk).expect("crop");
        let img = image::load_from_memory(&jpeg).expect("a JPEG");
        assert!(
            img.width() > 2 * img.height() && img.height() < 120,
            "{}×{}",
            img.width(),
            img.height()
        );
    }
    assert!(
        archive.recap(&id, &publik()).is_err(),
        "a reading is no result for the public"
    );
    assert!(archive.recap_crop(&id, 0, &publik()).is_err());

    // The clerk reads each number off its crop: the form's own numbers.
    let mut truth_values = truth.votes.iter().map(|(_, v)| *v);
    let rows: Vec<ConfirmRow> = table
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| ConfirmRow {
            from: Some(i as u32),
            kind: r.kind,
            label: r.label.clone(),
            votes: match r.kind {
                RowKind::Votes => truth_values.next().expect("a party"),
                RowKind::Valid => truth.valid,
                RowKind::Invalid => truth.invalid,
                RowKind::Total => truth.total,
            },
        })
        .collect();
    let confirmed = archive
        .confirm_recap(&id, &rows, &table.read_at, &clerk)
        .expect("confirm");
    assert_eq!(confirmed.confirmed_by.as_deref(), Some("arsip1"));
    assert_eq!(archive.recap_queue(&clerk).expect("queue").total, 1);
    // A form whose own sums are wrong stays so after confirmation.
    let sums_flagged = confirmed.problems.iter().any(|p| {
        matches!(
            p,
            Problem::SumNotValid { .. } | Problem::ValidInvalidNotTotal { .. }
        )
    });
    assert_eq!(sums_flagged, !truth.sum_agrees || !truth.total_agrees);

    let public = archive
        .recap(&id, &publik())
        .expect("the public sees a confirmed table");
    assert_eq!(
        public.confirmed_by, None,
        "who confirmed is staff's business"
    );
    assert!(public.confirmed_at.is_some());
    let votes: Vec<u64> = public
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Votes)
        .filter_map(|r| r.votes)
        .collect();
    assert_eq!(
        votes,
        truth.votes.iter().map(|(_, v)| *v).collect::<Vec<_>>()
    );
    assert!(
        archive.recap_crop(&id, 0, &publik()).is_ok(),
        "and the paper each number came from"
    );

    let audit = archive.audit_log(None, 20, &admin()).expect("audit");
    assert!(audit
        .iter()
        .any(|e| e.action == "recap.confirm" && e.actor == "arsip1"));
    // No row, a blank label: refused, and the table is as it was.
    let none: Vec<ConfirmRow> = Vec::new();
    assert!(archive
        .confirm_recap(&id, &none, &table.read_at, &clerk)
        .is_err());
    assert!(archive
        .confirm_recap(&id, &rows, &table.read_at, &publik())
        .is_err());
    assert_eq!(archive.recap(&id, &clerk).expect("table"), confirmed);

    // The confirmed numbers leave as a spreadsheet: a line per row, the
    // table still waiting is not in it, and the public is not told who
    // confirmed.
    let other = id_for(&reports, &input.join(&truths[1].file));
    let csv = archive.export_recap(&publik()).expect("export");
    let lines: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(lines.len(), confirmed.rows.len(), "{csv}");
    assert!(lines.iter().all(|l| l.starts_with(&id.to_string())));
    assert!(!csv.contains(&other.to_string()) && !csv.contains("arsip1"));
    let first_party = &truth.votes[0];
    assert!(
        lines[0].ends_with(&format!(
            ",1,votes,{},{},,{}",
            first_party.0,
            first_party.1,
            public.confirmed_at.as_deref().unwrap_or_default()
        )),
        "{}",
        lines[0]
    );
    let staff = archive.export_recap(&clerk).expect("export");
    assert!(staff.contains(",arsip1,"));
    let audit = archive.audit_log(None, 20, &admin()).expect("audit");
    assert_eq!(
        audit.iter().filter(|e| e.action == "recap.export").count(),
        2,
        "every copy out is audited"
    );

    // A form found to hold personal data: the public sees none of its
    // pages, so none of its numbers either; the archivist still has both.
    let conn = rusqlite::Connection::open(dir.path().join("arsip").join("catalogue.sqlite"))
        .expect("catalogue");
    conn.execute(
        "UPDATE record SET personal_data = 1 WHERE id = ?1",
        [id.to_string()],
    )
    .expect("update");
    assert!(archive.recap(&id, &publik()).is_err());
    assert!(archive.recap(&id, &clerk).expect("table").rows[0].crop);

    // A form moved into a confirmed table's record: the table is read
    // again and waits for a person, and a confirmation of the table as it
    // was is refused (its rows and crops are no longer those checked).
    archive
        .move_pages(&other, &[1], Some(&id), &admin())
        .expect("move");
    let again = archive.recap(&id, &clerk).expect("read again");
    assert!(again.confirmed_at.is_none() && again.read_at != table.read_at);
    assert!(archive.recap(&id, &publik()).is_err());
    let stale = archive
        .confirm_recap(&id, &rows, &table.read_at, &clerk)
        .expect_err("stale");
    assert_eq!(stale.code, ErrorCode::TableChanged);
    let mut beyond = rows.clone();
    beyond[0].from = Some(again.rows.len() as u32);
    let err = archive
        .confirm_recap(&id, &beyond, &again.read_at, &clerk)
        .expect_err("a row that was not read");
    assert_eq!(err.code, ErrorCode::InvalidInput);
}
