//! The documents of a large destruction: a list of 2,500 berkas (KPU
//! Provinsi Bali's list of January 2026 had 2,447 entries on 54 pages) laid
//! out and written as PDF, beside the same list as CSV, and beside qpdf
//! checking the PDF we wrote (an outside tool reading every object of the
//! same file: the baseline in this run).
//!
//! Then the retention report staff's first screen asks for on every visit,
//! over as many berkas (each with a confirmed JRA row, a record filed in
//! each tenth), beside SQLite reading the same berkas joined to their rows.
//!
//! `cargo bench -p arsip-core --bench disposal [-- ENTRIES]`

use arsip_core::catalogue::disposal::{Disposal, DisposalKind, DisposalState, ListEntry};
use arsip_core::disposal::documents;
use arsip_core::print::formal::Office;
use arsip_core::{AccessLevel, BerkasId};
use std::time::Instant;

mod common;

use common::{number_args, BenchResult};

fn entry(i: usize) -> ListEntry {
    let codes = ["PL.05", "UM", "KU", "PL.01"];
    ListEntry {
        berkas: BerkasId::new(),
        number: format!("{}/{}/{:04}", codes[i % 4], 2014 + i % 6, i),
        classification: Some(codes[i % 4].to_string()),
        title: format!(
            "Surat pengantar distribusi logistik pemilu ke PPK Kecamatan {} dan tanda terima kotak suara TPS {:03}",
            ["Bogor Tengah", "Bogor Barat", "Tanah Sareal", "Bogor Selatan"][i % 4],
            i % 300
        ),
        period: format!("{}–{}", 2013 + i % 6, 2014 + i % 6),
        development: "Asli".into(),
        records: (i % 9) as u32 + 1,
        pages: (i % 40) as u32 + 1,
        media: "Kertas dan digital".into(),
        condition: "Baik".into(),
        box_no: Some(format!("B-{:03}", i / 25)),
        location: "Gudang arsip, rak 4".into(),
        jra: format!("{}: 2 th aktif, 3 th inaktif, musnah", codes[i % 4]),
        retention_years: 5,
        access: AccessLevel::Terbatas,
    }
}

fn main() -> BenchResult<()> {
    let n = number_args().first().copied().unwrap_or(2_500);
    let list = Disposal {
        id: "01a2b3c4-0000-7000-8000-000000000000".into(),
        kind: DisposalKind::Musnah,
        state: DisposalState::Proposed,
        note: String::new(),
        proposed_by: "arsip1".into(),
        proposed_at: "2026-12-02T03:00:00Z".into(),
        assessed_by: None,
        assessed_at: None,
        assessment: None,
        approved_by: None,
        approved_at: None,
        approval_ref: None,
        done_by: None,
        done_at: None,
        ba_number: None,
        witnesses: Vec::new(),
        executor: None,
        head: None,
        cancelled_by: None,
        cancelled_at: None,
        cancel_reason: None,
        entries: (0..n).map(entry).collect(),
    };
    let office = Office {
        name: "KPU Kota Bogor".into(),
        place: "Bogor".into(),
        date: time::macros::date!(2026 - 12 - 02),
    };
    let t = Instant::now();
    let pdf = documents::list_pdf(&list, &office)?;
    let pdf_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let csv = documents::list_csv(&list);
    let csv_ms = t.elapsed().as_secs_f64() * 1e3;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("daftar.pdf");
    std::fs::write(&path, &pdf)?;
    let t = Instant::now();
    let check = std::process::Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()?;
    let qpdf_ms = t.elapsed().as_secs_f64() * 1e3;
    if !check.status.success() {
        return Err("qpdf --check found the PDF damaged".into());
    }
    let info = std::process::Command::new("pdfinfo").arg(&path).output()?;
    let pages = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().to_string()))
        .unwrap_or_default();
    println!("destruction list of {n} berkas");
    println!(
        "  PDF  {pdf_ms:>9.1} ms  {:>8} KiB  {pages} pages A4 landscape (qpdf --check: ok)",
        pdf.len() / 1024
    );
    println!("  CSV  {csv_ms:>9.1} ms  {:>8} KiB", csv.len() / 1024);
    println!("  qpdf --check of the same PDF (baseline) {qpdf_ms:>9.1} ms");
    println!(
        "  ratio PDF written / qpdf checked: {:.2}x; per entry {:.3} ms",
        pdf_ms / qpdf_ms.max(0.001),
        pdf_ms / n as f64
    );
    retention_report(n)
}

/// The retention report over `n` berkas, median of 5, vs the raw join.
fn retention_report(n: usize) -> BenchResult<()> {
    let dir = tempfile::tempdir()?;
    let root = dir.path().join("arsip");
    let archive = arsip_core::Archive::init(&root, "KPU Kota Bogor", "32.71")?;
    let admin = arsip_core::Clearance::operator("bench");
    {
        let mut conn = rusqlite::Connection::open(root.join("catalogue.sqlite"))?;
        let tx = conn.transaction()?;
        for i in 0..n {
            let e = entry(i);
            tx.execute(
                "INSERT INTO berkas (id, number, title, classification, year_from, year_to, access,
                    jra_code, jra_by, jra_at, created_at, created_by, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, 2018, ?5, 'terbatas', ?4, 'bench', 'now', 'now', 'bench', 'now', 'bench')",
                (e.berkas.to_string(), &e.number, &e.title, &e.classification, 2014 + (i % 12) as i64),
            )?;
        }
        tx.commit()?;
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let mut ours = Vec::new();
    let mut due = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let report = archive.retention_report(None, &admin)?;
        ours.push(t.elapsed().as_secs_f64() * 1e3);
        due = report.due;
    }
    let conn = rusqlite::Connection::open(root.join("catalogue.sqlite"))?;
    let mut raw = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let mut stmt = conn.prepare(
            "SELECT b.*, j.*, (SELECT COUNT(*) FROM record r WHERE r.berkas_id = b.id AND r.deleted = 0)
             FROM berkas b LEFT JOIN jra j ON j.code = b.jra_code ORDER BY b.number",
        )?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?.count();
        raw.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(rows, n);
    }
    let (ours, raw) = (median(ours), median(raw));
    println!("retention report over {n} berkas ({due} due today)");
    println!("  arsip retention_report {ours:>9.1} ms (median of 5)");
    println!("  raw SQLite join        {raw:>9.1} ms (baseline)");
    println!("  ratio {:.1}x", ours / raw.max(0.001));
    Ok(())
}
