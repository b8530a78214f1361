//! Result tables as data (see `crate::recap`): the table read from a
//! record's pages is kept beside it, row by row with the box each row was
//! read from, until a person confirms or corrects it. A confirmed table
//! is what the archive states as a result: its numbers, who confirmed
//! them and when. Reading again (pages moved in or out) replaces a table
//! no one has confirmed; a confirmed one is kept as the person left it.

use super::records::writable;
use super::Catalogue;
use crate::access::Clearance;
use crate::error::{Error, ErrorCode, Result};
use crate::ids::RecordId;
use crate::model::WordBox;
use crate::recap::{self, Area, PageText, Problem, ReadRow, RowKind};
use rusqlite::{params, Connection, OptionalExtension};

/// Migration 12.
pub(crate) const SCHEMA: &str = r#"
CREATE TABLE recap (
    record_id TEXT PRIMARY KEY REFERENCES record(id),
    read_at TEXT NOT NULL,
    confirmed_by TEXT,
    confirmed_at TEXT
);
CREATE INDEX recap_waiting ON recap(read_at) WHERE confirmed_at IS NULL;
CREATE TABLE recap_row (
    record_id TEXT NOT NULL REFERENCES recap(record_id),
    idx INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('votes', 'valid', 'invalid', 'total')),
    label TEXT NOT NULL,
    page INTEGER,
    raw TEXT,
    read INTEGER,
    unsure INTEGER NOT NULL DEFAULT 0,
    x INTEGER, y INTEGER, w INTEGER, h INTEGER,
    votes INTEGER,
    PRIMARY KEY (record_id, idx)
);
"#;

/// One row of a kept table.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct RecapRow {
    pub kind: RowKind,
    pub label: String,
    /// The page it was read from; None for a row a person added.
    pub page: Option<u32>,
    /// The number as OCR read it; None for a row a person added.
    pub raw: Option<String>,
    /// Its value as read; None when it could not be read as one.
    pub read: Option<u64>,
    /// The reading needs a person's eye (bent, or readings disagreed).
    pub unsure: bool,
    /// A crop of the row on its page can be had
    /// (`GET /api/records/{id}/recap/rows/{index}/crop`).
    pub crop: bool,
    /// The count a person confirmed; None until the table is confirmed.
    pub votes: Option<u64>,
    #[serde(skip)]
    pub(crate) area: Option<Area>,
}

impl RecapRow {
    /// The count the table states: the confirmed one, else as read.
    pub fn value(&self) -> Option<u64> {
        self.votes.or(self.read)
    }
}

/// A record's result table as kept.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct RecapTable {
    pub record: RecordId,
    pub title: String,
    pub rows: Vec<RecapRow>,
    /// What the rows say against each other (confirmed values first):
    /// after confirmation, the sums the form itself got wrong.
    pub problems: Vec<Problem>,
    pub read_at: String,
    /// Who confirmed it (hidden from the public); None while it waits.
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<String>,
}

/// A table waiting for a person, as the queue lists it.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct RecapWaiting {
    pub record: RecordId,
    pub title: String,
    pub read_at: String,
    pub rows: u32,
    /// Disagreements: unsure cells and sums that do not add up.
    pub problems: u32,
}

/// A row as a person confirms it.
#[derive(Debug, Clone, serde::Deserialize, schemars::JsonSchema)]
pub struct ConfirmRow {
    /// The row as read that this one confirms (its index in the table),
    /// keeping its crop; None for a row the reading missed.
    pub from: Option<u32>,
    pub kind: RowKind,
    pub label: String,
    pub votes: u64,
}

/// Most rows a confirmed table may have (a D.Hasil of every candidate of
/// a district stays far below).
const MAX_ROWS: usize = 500;

/// Reads the result table of record `sid`'s pages and keeps it in place of
/// the one kept, confirmed or not: called when a record is made and when
/// its pages move, and a confirmed table whose pages moved names pages and
/// crops that are no longer its own (a number would stand beside another
/// form's paper), so it is read again and waits for a person again. Pages
/// without a table header cost no more than a look at their text.
pub(super) fn read_in(conn: &Connection, sid: &str) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT number, text, words FROM page WHERE record_id = ?1 ORDER BY number",
    )?;
    let pages = stmt
        .query_map([sid], |r| {
            Ok((
                r.get::<_, u32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let pages: Vec<(u32, String, Vec<WordBox>)> = pages
        .into_iter()
        .filter(|(_, text, _)| recap::may_hold_table(text))
        .map(|(n, text, words)| {
            let words = words
                .and_then(|w| serde_json::from_str(&w).ok())
                .unwrap_or_default();
            (n, text, words)
        })
        .collect();
    let texts: Vec<PageText> = pages
        .iter()
        .map(|(number, text, words)| PageText {
            number: *number,
            text,
            words,
        })
        .collect();
    conn.execute("DELETE FROM recap_row WHERE record_id = ?1", [sid])?;
    conn.execute("DELETE FROM recap WHERE record_id = ?1", [sid])?;
    let Some(table) = recap::read(&texts) else {
        return Ok(());
    };
    // To the nanosecond, not the second: a confirmation names the reading
    // it checked by this time, and pages may move twice in a second.
    let read_at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    conn.execute(
        "INSERT INTO recap (record_id, read_at) VALUES (?1, ?2)",
        params![sid, read_at],
    )?;
    for (i, row) in table.rows.iter().enumerate() {
        insert_row(conn, sid, i, row)?;
    }
    Ok(())
}

fn insert_row(conn: &Connection, sid: &str, idx: usize, row: &ReadRow) -> Result<()> {
    let area = row.area;
    conn.prepare_cached(
        "INSERT INTO recap_row (record_id, idx, kind, label, page, raw, read, unsure, x, y, w, h)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        sid,
        idx as i64,
        row.kind.code(),
        row.label,
        row.page,
        row.raw,
        row.votes.map(|v| v as i64),
        row.unsure,
        area.map(|a| a.x),
        area.map(|a| a.y),
        area.map(|a| a.w),
        area.map(|a| a.h),
    ])?;
    Ok(())
}

/// The rows kept for record `sid`, in order.
fn rows_of(conn: &Connection, sid: &str) -> Result<Vec<RecapRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, label, page, raw, read, unsure, x, y, w, h, votes
         FROM recap_row WHERE record_id = ?1 ORDER BY idx",
    )?;
    let rows = stmt.query_map([sid], |r| {
        let kind: String = r.get(0)?;
        let area = match (r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?) {
            (Some(x), Some(y), Some(w), Some(h)) => Some(Area { x, y, w, h }),
            _ => None,
        };
        Ok(RecapRow {
            // A kind the schema's CHECK does not know cannot be stored.
            kind: RowKind::parse(&kind).unwrap_or(RowKind::Votes),
            label: r.get(1)?,
            page: r.get(2)?,
            raw: r.get(3)?,
            read: r.get::<_, Option<i64>>(4)?.map(|v| v.max(0) as u64),
            unsure: r.get(5)?,
            crop: area.is_some(),
            votes: r.get::<_, Option<i64>>(10)?.map(|v| v.max(0) as u64),
            area,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

impl Catalogue {
    /// Record `id`'s table, when `visible` (SQL over `record r`) reaches it.
    pub(crate) fn recap(&self, id: &RecordId, visible: &str) -> Result<Option<RecapTable>> {
        let sid = id.to_string();
        let head = self
            .conn()
            .query_row(
                &format!(
                    "SELECT r.title, t.read_at, t.confirmed_by, t.confirmed_at
                     FROM recap t JOIN record r ON r.id = t.record_id
                     WHERE t.record_id = ?1 AND {visible}"
                ),
                [&sid],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((title, read_at, confirmed_by, confirmed_at)) = head else {
            return Ok(None);
        };
        let rows = rows_of(self.conn(), &sid)?;
        Ok(Some(RecapTable {
            record: *id,
            title,
            problems: problems(&rows),
            rows,
            read_at,
            confirmed_by,
            confirmed_at,
        }))
    }

    /// The records `visible` reaches whose tables a person confirmed, in
    /// the order they were confirmed.
    pub(crate) fn confirmed_recaps(&self, visible: &str) -> Result<Vec<RecordId>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT r.id FROM recap t JOIN record r ON r.id = t.record_id
             WHERE t.confirmed_at IS NOT NULL AND {visible} ORDER BY t.confirmed_at, r.id"
        ))?;
        let ids = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ids.iter().map(|id| RecordId::parse(id)).collect()
    }

    /// How many tables wait for a person among the records `visible`
    /// reaches, and the oldest `limit` of them (first read, first checked).
    pub(crate) fn recap_waiting(
        &self,
        visible: &str,
        limit: usize,
    ) -> Result<(u64, Vec<RecapWaiting>)> {
        let total: i64 = self.conn().query_row(
            &format!(
                "SELECT COUNT(*) FROM recap t JOIN record r ON r.id = t.record_id
                 WHERE t.confirmed_at IS NULL AND {visible}"
            ),
            [],
            |r| r.get(0),
        )?;
        let mut stmt = self.conn().prepare(&format!(
            "SELECT r.id, r.title, t.read_at FROM recap t JOIN record r ON r.id = t.record_id
             WHERE t.confirmed_at IS NULL AND {visible} ORDER BY t.read_at, r.id LIMIT ?1"
        ))?;
        let heads = stmt
            .query_map([limit as i64], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(heads.len());
        for (id, title, read_at) in heads {
            let rows = rows_of(self.conn(), &id)?;
            out.push(RecapWaiting {
                record: RecordId::parse(&id)?,
                title,
                read_at,
                rows: rows.len() as u32,
                problems: problems(&rows).len() as u32,
            });
        }
        Ok((total.max(0) as u64, out))
    }

    /// Row `index` of record `id`'s table, when `visible` reaches it: the
    /// page it was read from and its box there.
    pub(crate) fn recap_row_area(
        &self,
        id: &RecordId,
        index: u32,
        visible: &str,
    ) -> Result<Option<(u32, Area)>> {
        let found = self
            .conn()
            .query_row(
                &format!(
                    "SELECT w.page, w.x, w.y, w.w, w.h FROM recap_row w
                     JOIN record r ON r.id = w.record_id
                     WHERE w.record_id = ?1 AND w.idx = ?2 AND {visible}"
                ),
                params![id.to_string(), index],
                |r| {
                    Ok(
                        match (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?) {
                            (Some(page), Some(x), Some(y), Some(w), Some(h)) => {
                                Some((page, Area { x, y, w, h }))
                            }
                            _ => None,
                        },
                    )
                },
            )
            .optional()?;
        Ok(found.flatten())
    }

    /// Confirms record `id`'s table as a person corrected it: its rows
    /// replaced by `rows` (each keeping the crop of the row it confirms),
    /// the person and the time kept, and the audit told. A confirmed table
    /// may be confirmed again (a correction).
    ///
    /// `read_at` is when the table the person checked was read: a table
    /// read again since (its pages moved) is refused (`table_changed`), so
    /// no number is confirmed against rows and crops it was not read from.
    pub(crate) fn confirm_recap(
        &mut self,
        id: &RecordId,
        rows: &[ConfirmRow],
        read_at: &str,
        clearance: &Clearance,
    ) -> Result<()> {
        let sid = id.to_string();
        check_rows(rows)?;
        let tx = self.write()?;
        writable(&tx, &sid, clearance)?;
        let kept: Option<String> = tx
            .query_row(
                "SELECT read_at FROM recap WHERE record_id = ?1",
                [&sid],
                |r| r.get(0),
            )
            .optional()?;
        match kept {
            None => {
                return Err(Error::new(
                    ErrorCode::NotFound,
                    format!("{sid}: no result table"),
                ))
            }
            Some(kept) if kept != read_at => {
                return Err(Error::new(
                    ErrorCode::TableChanged,
                    format!("{sid}: read at {kept}"),
                ))
            }
            Some(_) => {}
        }
        let read = rows_of(&tx, &sid)?;
        let mut claimed = std::collections::HashSet::new();
        for from in rows.iter().filter_map(|r| r.from) {
            // Each row read is confirmed once, by a row it has.
            if from as usize >= read.len() || !claimed.insert(from) {
                return Err(Error::new(ErrorCode::InvalidInput, format!("from {from}")));
            }
        }
        tx.execute("DELETE FROM recap_row WHERE record_id = ?1", [&sid])?;
        for (i, row) in rows.iter().enumerate() {
            let from = row.from.and_then(|f| read.get(f as usize));
            let area = from.and_then(|r| r.area);
            tx.prepare_cached(
                "INSERT INTO recap_row (record_id, idx, kind, label, page, raw, read, unsure, x, y, w, h, votes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?
            .execute(params![
                sid,
                i as i64,
                row.kind.code(),
                row.label.trim(),
                from.and_then(|r| r.page),
                from.and_then(|r| r.raw.clone()),
                from.and_then(|r| r.read).map(|v| v as i64),
                from.is_some_and(|r| r.unsure),
                area.map(|a| a.x),
                area.map(|a| a.y),
                area.map(|a| a.w),
                area.map(|a| a.h),
                row.votes as i64,
            ])?;
        }
        tx.execute(
            "UPDATE recap SET confirmed_by = ?2, confirmed_at = ?3 WHERE record_id = ?1",
            params![sid, clearance.actor(), crate::clock::now_rfc3339()],
        )?;
        let detail: Vec<String> = rows
            .iter()
            .map(|r| format!("{:?}={}", r.label.trim(), r.votes))
            .collect();
        crate::audit::append(
            &tx,
            clearance.actor(),
            "recap.confirm",
            &sid,
            &detail.join("; "),
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// A person's rows make a table: some, not too many, each with a label.
/// A table without a valid-votes line may be confirmed (a form may lack
/// one); `problems` says so beside it.
fn check_rows(rows: &[ConfirmRow]) -> Result<()> {
    let bad = |why: &str| Err(Error::new(ErrorCode::InvalidInput, why.to_string()));
    if rows.is_empty() || rows.len() > MAX_ROWS {
        return bad("rows");
    }
    if rows.iter().any(|r| {
        let label = r.label.trim();
        label.is_empty() || label.chars().count() > 200 || label.chars().any(char::is_control)
    }) {
        return bad("label");
    }
    if rows.iter().any(|r| r.votes > 100_000_000) {
        return bad("votes");
    }
    Ok(())
}

/// What the rows say against each other, by the values the table states.
fn problems(rows: &[RecapRow]) -> Vec<Problem> {
    let read: Vec<ReadRow> = rows
        .iter()
        .map(|r| ReadRow {
            page: r.page.unwrap_or(0),
            kind: r.kind,
            label: r.label.clone(),
            raw: r.raw.clone().unwrap_or_default(),
            votes: r.value(),
            // A confirmed count is sure, whatever its reading was.
            unsure: r.votes.is_none() && r.unsure,
            area: r.area,
        })
        .collect();
    recap::check(&read)
}
