//! Exports of catalogue records for people (a spreadsheet of what a search
//! found). Sync bundles and archival handover formats live elsewhere.

use crate::model::Record;

/// The columns of an exported record list, in order.
pub const CSV_COLUMNS: [&str; 19] = [
    "id",
    "judul",
    "jenis",
    "pemilu",
    "tahapan",
    "tanggal",
    "nomor",
    "wilayah",
    "tps",
    "kode_klasifikasi",
    "akses",
    "retensi",
    "simpan_sampai",
    "seri",
    "gedung",
    "rak",
    "boks",
    "map",
    "nomor_berkas",
];

/// Records as CSV (RFC 4180, UTF-8 with a byte-order mark so spreadsheet
/// programs on office PCs read the Indonesian text right), each with the
/// number of its berkas when the reader may read that.
pub fn records_csv(records: &[(Record, Option<String>)]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&CSV_COLUMNS.join(","));
    out.push_str("\r\n");
    for (r, berkas) in records {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        let row = [
            r.id.to_string(),
            r.title.clone(),
            o(&r.doc_type),
            o(&r.election),
            o(&r.stage),
            o(&r.doc_date),
            o(&r.number),
            o(&r.region),
            o(&r.tps),
            o(&r.classification),
            r.access.code().to_string(),
            o(&r.retention),
            o(&r.retain_until),
            o(&r.series),
            o(&r.location.building),
            o(&r.location.shelf),
            o(&r.location.box_no),
            o(&r.location.folder),
            o(berkas),
        ];
        push_line(&mut out, &row);
    }
    out
}

/// The columns of an exported audit trail, in order.
pub const AUDIT_CSV_COLUMNS: [&str; 8] = [
    "no",
    "waktu_lokal",
    "pengguna",
    "tindakan",
    "kode_tindakan",
    "sasaran",
    "judul_arsip",
    "rincian",
];

/// Audit entries as CSV for people, in the same form as `records_csv`:
/// local time with its zone, the action in Indonesian words beside its
/// code, and the title of a record the reader may read. The entries come
/// already cut to the reader's clearance (`Archive::audit_trail`).
pub fn audit_csv(entries: &[crate::audit::AuditEntry], offset: time::UtcOffset) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&AUDIT_CSV_COLUMNS.join(","));
    out.push_str("\r\n");
    for e in entries {
        let words = crate::strings::audit_action(&e.action, crate::Lang::Id).unwrap_or(&e.action);
        let row = [
            e.seq.to_string(),
            crate::clock::local_time(&e.at, offset),
            e.actor.clone(),
            words.to_string(),
            e.action.clone(),
            e.target.clone(),
            e.record_title.clone().unwrap_or_default(),
            e.detail.clone(),
        ];
        push_line(&mut out, &row);
    }
    out
}

/// The columns of exported result tables, in order.
pub const RECAP_CSV_COLUMNS: [&str; 13] = [
    "id",
    "judul",
    "pemilu",
    "tanggal",
    "nomor",
    "wilayah",
    "tps",
    "baris",
    "jenis_baris",
    "partai_calon",
    "suara",
    "dikonfirmasi_oleh",
    "dikonfirmasi_pada",
];

/// Confirmed result tables as CSV, in the same form as `records_csv`: a
/// line per row of each table, beside the record it was read from. Who
/// confirmed a table is empty where the reader may not know it.
pub fn recap_csv(tables: &[(Record, crate::catalogue::recap::RecapTable)]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&RECAP_CSV_COLUMNS.join(","));
    out.push_str("\r\n");
    for (r, table) in tables {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        for (i, row) in table.rows.iter().enumerate() {
            let line = [
                r.id.to_string(),
                r.title.clone(),
                o(&r.election),
                o(&r.doc_date),
                o(&r.number),
                o(&r.region),
                o(&r.tps),
                (i + 1).to_string(),
                row.kind.code().to_string(),
                row.label.clone(),
                row.value().map(|v| v.to_string()).unwrap_or_default(),
                o(&table.confirmed_by),
                o(&table.confirmed_at),
            ];
            push_line(&mut out, &line);
        }
    }
    out
}

/// The media type of a spreadsheet (.xlsx).
pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A list as CSV: the byte-order mark Excel needs to read UTF-8, the
/// header, then a line per row.
pub(crate) fn csv_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in rows {
        push_line(&mut out, row);
    }
    out
}

/// A list as a spreadsheet (.xlsx), on one sheet named `sheet`: the header
/// in bold kept in view with a filter on it, columns sized to their text.
/// A cell of a column in `numbers` holding a whole number is a number;
/// every other cell is text, never a formula, whatever it starts with.
pub(crate) fn xlsx_table(
    sheet: &str,
    header: &[&str],
    rows: &[Vec<String>],
    numbers: &[usize],
) -> crate::error::Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| {
        crate::error::Error::new(crate::error::ErrorCode::Io, format!("xlsx: {e}"))
    };
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = book.add_worksheet();
    ws.set_name(sheet).map_err(fail)?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, col(c), *h, &bold)
            .map_err(fail)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| {
            crate::error::Error::new(crate::error::ErrorCode::InvalidInput, "xlsx: too many rows")
        })?;
        for (c, cell) in row.iter().enumerate() {
            let whole = numbers
                .contains(&c)
                .then(|| cell.parse::<i64>().ok())
                .flatten()
                .filter(|n| n.unsigned_abs() < 1 << 53);
            match whole {
                Some(n) => ws.write_number(r, col(c), n as f64).map_err(fail)?,
                None => ws.write_string(r, col(c), cell).map_err(fail)?,
            };
        }
    }
    ws.set_freeze_panes(1, 0).map_err(fail)?;
    let last_col = col(header.len().saturating_sub(1));
    ws.autofilter(
        0,
        0,
        u32::try_from(rows.len()).unwrap_or(u32::MAX),
        last_col,
    )
    .map_err(fail)?;
    ws.autofit();
    book.save_to_buffer().map_err(fail)
}

/// A column's index as the spreadsheet counts them (lists have few).
fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// One CSV line of `cells`, each quoted as it needs, ended with CRLF.
pub(crate) fn push_line(out: &mut String, cells: &[String]) {
    let cells: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

pub(crate) fn csv_cell(v: &str) -> String {
    quoted(&defused_inside(v), starts_formula(v))
}

/// A leading =, +, - or @ (after any blanks), a tab or a carriage return:
/// what a spreadsheet would read as a formula.
fn starts_formula(v: &str) -> bool {
    v.trim_start().starts_with(['=', '+', '-', '@']) || v.starts_with(['\t', '\r'])
}

/// `v` with a `'` put before each part after a `;` or a line break that
/// would start a formula. Excel in Indonesian Windows splits a CSV at `;`
/// and at line breaks whatever the quotes say, once a cell's quote stands
/// after a comma: each such part is a cell of its own there.
fn defused_inside(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut rest = v;
    while let Some(at) = rest.find([';', '\n', '\r']) {
        let (part, after) = rest.split_at(at + 1);
        out.push_str(part);
        if starts_formula(after) {
            out.push('\'');
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// A CSV cell as RFC 4180 quotes it, with `'` in front when `defuse`. A
/// cell holding `;` is quoted too: Excel in Indonesian Windows splits a
/// CSV at `;`, and would read `x;=1+1` as a formula in a cell of its own.
fn quoted(v: &str, defuse: bool) -> String {
    if defuse || v.contains([',', ';', '"', '\n', '\r', '\t']) {
        let prefix = if defuse { "'" } else { "" };
        format!("\"{prefix}{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::csv_cell;
    use crate::catalogue::vocab::parse_csv_line;

    #[test]
    fn cells_survive_a_round_trip_and_formulas_are_defused() {
        let cells = ["a", "b, c", "d \"e\"", "baris\nbaru"];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        assert_eq!(parse_csv_line(&line[..3].join(",")), cells[..3]);
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    }

    /// A login name tried at the door lands in the audit trail's CSV: in a
    /// spreadsheet that splits at `;` (Indonesian Windows) or skips blanks,
    /// it must still be one cell of text.
    #[test]
    fn a_cell_cannot_become_a_formula_through_semicolons_or_blanks() {
        assert_eq!(csv_cell("x;=1+1;"), "\"x;'=1+1;\"");
        // Split at `;` by a spreadsheet, no part starts a formula.
        assert_eq!(
            csv_cell("Laporan;=cmd|' /C calc'!A0;x"),
            "\"Laporan;'=cmd|' /C calc'!A0;x\""
        );
        assert_eq!(csv_cell("a\n@SUM(1)"), "\"a\n'@SUM(1)\"");
        assert_eq!(csv_cell("Rapat; bagian 2"), "\"Rapat; bagian 2\"");
        assert_eq!(csv_cell("  =1+1"), "\"'  =1+1\"");
        assert_eq!(csv_cell("a\tb"), "\"a\tb\"");
        assert_eq!(csv_cell("Pemilu 2024"), "Pemilu 2024");
    }
}
