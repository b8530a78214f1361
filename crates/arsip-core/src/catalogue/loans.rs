//! Loans (peminjaman): a berkas or a whole box lent to a person of a unit
//! until a day, and returned with its condition. One open loan per berkas
//! and per box; a berkas is not lent while its box is out, nor a box while
//! a berkas in it is.

use super::storage::Condition;
use crate::error::{Error, ErrorCode, Result};
use crate::ids::{BerkasId, BoxId, LoanId};
use rusqlite::{OptionalExtension, Row, Transaction};

pub const SCHEMA: &str = r#"
CREATE TABLE loan (
    id TEXT PRIMARY KEY,
    berkas_id TEXT REFERENCES berkas(id),
    box_id TEXT REFERENCES box(id),
    borrower TEXT NOT NULL,
    unit TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT '',
    -- Days where the office is (YYYY-MM-DD).
    lent_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    lent_by TEXT NOT NULL,
    returned_on TEXT,
    returned_by TEXT,
    return_condition TEXT CHECK (return_condition IN ('baik', 'rusak-ringan', 'rusak-berat')),
    return_note TEXT,
    CHECK ((berkas_id IS NULL) <> (box_id IS NULL)),
    CHECK (due_on >= lent_on)
);
CREATE UNIQUE INDEX loan_open_berkas ON loan(berkas_id)
    WHERE returned_on IS NULL AND berkas_id IS NOT NULL;
CREATE UNIQUE INDEX loan_open_box ON loan(box_id)
    WHERE returned_on IS NULL AND box_id IS NOT NULL;
"#;

const MAX_TEXT_CHARS: usize = 200;

/// What was lent.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Lent {
    Berkas {
        id: BerkasId,
        number: String,
        title: String,
    },
    Box {
        id: BoxId,
        number: String,
    },
}

/// A loan as staff see it.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct Loan {
    pub id: LoanId,
    pub lent: Lent,
    pub borrower: String,
    pub unit: String,
    pub purpose: String,
    pub lent_on: String,
    pub due_on: String,
    pub lent_by: String,
    pub returned_on: Option<String>,
    pub returned_by: Option<String>,
    pub return_condition: Option<Condition>,
    pub return_note: Option<String>,
    /// Days past its due day on the day asked about (0 when not late or
    /// returned).
    pub days_late: u32,
}

/// Who has it and until when: what a berkas or box shows while it is out.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct OnLoan {
    pub loan: LoanId,
    pub borrower: String,
    pub unit: String,
    pub due_on: String,
}

/// A loan to record.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewLoan {
    /// The berkas lent, or
    pub berkas: Option<BerkasId>,
    /// the box lent (one of the two).
    #[serde(rename = "box")]
    pub in_box: Option<BoxId>,
    pub borrower: String,
    pub unit: String,
    pub purpose: String,
    /// The day it is due back (YYYY-MM-DD).
    pub due_on: String,
    /// The day it was lent, when recorded afterwards (today when not given).
    pub lent_on: Option<String>,
}

/// A loan returned.
#[derive(Debug, Clone, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoanReturn {
    pub condition: Condition,
    #[serde(default)]
    pub note: String,
}

const COLUMNS: &str =
    "l.id, l.berkas_id, b.number, b.title, l.box_id, x.number, l.borrower, l.unit,
    l.purpose, l.lent_on, l.due_on, l.lent_by, l.returned_on, l.returned_by, l.return_condition,
    l.return_note";

fn loan_row(r: &Row, on: &str) -> rusqlite::Result<Loan> {
    let bad = |i: usize, e: Error| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    };
    let id: String = r.get(0)?;
    let berkas: Option<String> = r.get(1)?;
    let lent = match berkas {
        Some(b) => Lent::Berkas {
            id: BerkasId::parse(&b).map_err(|e| bad(1, e))?,
            number: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            title: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
        },
        None => {
            let b: String = r.get(4)?;
            Lent::Box {
                id: BoxId::parse(&b).map_err(|e| bad(4, e))?,
                number: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
            }
        }
    };
    let due_on: String = r.get(10)?;
    let returned_on: Option<String> = r.get(12)?;
    let condition: Option<String> = r.get(14)?;
    Ok(Loan {
        id: LoanId::parse(&id).map_err(|e| bad(0, e))?,
        lent,
        borrower: r.get(6)?,
        unit: r.get(7)?,
        purpose: r.get(8)?,
        lent_on: r.get(9)?,
        days_late: if returned_on.is_none() {
            days_between(&due_on, on)
        } else {
            0
        },
        due_on,
        lent_by: r.get(11)?,
        returned_on,
        returned_by: r.get(13)?,
        return_condition: condition.and_then(|c| Condition::parse(&c).ok()),
        return_note: r.get(15)?,
    })
}

/// Whole days from `from` to `to` (both YYYY-MM-DD), 0 when `to` is not after.
fn days_between(from: &str, to: &str) -> u32 {
    match (
        crate::retention::parse_day(from),
        crate::retention::parse_day(to),
    ) {
        (Ok(f), Ok(t)) if t > f => (t - f).whole_days().clamp(0, u32::MAX as i64) as u32,
        _ => 0,
    }
}

impl super::Catalogue {
    /// Loans of boxes and of berkas matching `visible` (over `berkas b`),
    /// open ones first (the most overdue first), then returned ones,
    /// newest first; late days counted on `on`.
    pub(crate) fn loans(&self, visible: &str, open_only: bool, on: &str) -> Result<Vec<Loan>> {
        let open = if open_only {
            "AND l.returned_on IS NULL"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM loan l
                 LEFT JOIN berkas b ON b.id = l.berkas_id
                 LEFT JOIN box x ON x.id = l.box_id
             WHERE (l.berkas_id IS NULL OR {visible}) {open}
             ORDER BY l.returned_on IS NOT NULL, l.due_on, l.lent_on DESC"
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map([], |r| loan_row(r, on))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One loan, when it is of a box or of a berkas matching `visible`.
    pub(crate) fn loan(&self, id: &LoanId, visible: &str, on: &str) -> Result<Option<Loan>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM loan l
                 LEFT JOIN berkas b ON b.id = l.berkas_id
                 LEFT JOIN box x ON x.id = l.box_id
             WHERE l.id = ?1 AND (l.berkas_id IS NULL OR {visible})"
        );
        Ok(self
            .conn()
            .query_row(&sql, [id.to_string()], |r| loan_row(r, on))
            .optional()?)
    }

    /// The open loans, by what they lent (berkas or box id).
    pub(crate) fn open_loans(&self) -> Result<std::collections::HashMap<String, OnLoan>> {
        let mut stmt = self.conn().prepare(
            "SELECT COALESCE(berkas_id, box_id), id, borrower, unit, due_on FROM loan
             WHERE returned_on IS NULL",
        )?;
        let rows = stmt.query_map([], |r| {
            let id: String = r.get(1)?;
            Ok((
                r.get::<_, String>(0)?,
                OnLoan {
                    loan: LoanId::parse(&id).map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(
                            1,
                            rusqlite::types::Type::Text,
                            Box::new(e),
                        )
                    })?,
                    borrower: r.get(2)?,
                    unit: r.get(3)?,
                    due_on: r.get(4)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records a loan lent on `lent_on` (checked by `Archive`: the caller
    /// may lend it). Refused while it, its box or a berkas in it is out,
    /// and for a box holding what is outside `visible` (over `berkas b`)
    /// or `records_visible` (over `record r`), checked here, in the
    /// transaction that lends it.
    pub(crate) fn lend(
        &mut self,
        new: &NewLoan,
        lent_on: &str,
        (visible, records_visible): (&str, &str),
        actor: &str,
    ) -> Result<LoanId> {
        let borrower = checked("borrower", &new.borrower)?;
        let unit = checked("unit", &new.unit)?;
        let purpose = super::storage::checked_note(Some(&new.purpose))?;
        let due = crate::retention::parse_day(&new.due_on)?;
        if due < crate::retention::parse_day(lent_on)? {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("due_on: {due} before {lent_on}"),
            ));
        }
        let due_on = due.to_string();
        let tx = self.write()?;
        let (berkas, in_box, target) = match (&new.berkas, &new.in_box) {
            (Some(b), None) => {
                let sid = b.to_string();
                super::berkas::unlocked(&tx, &sid)?;
                // Another office's paper is in that office, not here.
                super::berkas::own(&tx, &sid)?;
                // Lent whole: every record in it the lender's to read.
                let above: bool = tx.query_row(
                    &format!(
                        "SELECT EXISTS (SELECT 1 FROM record r WHERE r.berkas_id = ?1
                             AND r.deleted = 0 AND NOT ({records_visible}))"
                    ),
                    [&sid],
                    |r| r.get(0),
                )?;
                if above {
                    return Err(Error::new(
                        ErrorCode::AccessDenied,
                        "berkas: holds more than the clearance",
                    ));
                }
                let box_id: Option<String> = tx
                    .query_row("SELECT box_id FROM berkas WHERE id = ?1", [&sid], |r| {
                        r.get(0)
                    })
                    .optional()?
                    .ok_or_else(|| Error::new(ErrorCode::NotFound, sid.clone()))?;
                if let Some(x) = &box_id {
                    refuse_if_out(&tx, "box_id", x)?;
                }
                refuse_if_out(&tx, "berkas_id", &sid)?;
                (Some(sid.clone()), None, sid)
            }
            (None, Some(x)) => {
                let sid = x.to_string();
                super::storage::handled_whole(&tx, &sid, (visible, records_visible))?;
                refuse_if_out(&tx, "box_id", &sid)?;
                let inside_out: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM loan l JOIN berkas b ON b.id = l.berkas_id
                     WHERE b.box_id = ?1 AND l.returned_on IS NULL)",
                    [&sid],
                    |r| r.get(0),
                )?;
                if inside_out {
                    return Err(Error::new(ErrorCode::OnLoan, sid));
                }
                (None, Some(sid.clone()), sid)
            }
            _ => {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    "loan: a berkas or a box, one of them",
                ))
            }
        };
        let id = LoanId::new();
        tx.execute(
            "INSERT INTO loan (id, berkas_id, box_id, borrower, unit, purpose, lent_on, due_on, lent_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            rusqlite::params![
                id.to_string(),
                berkas,
                in_box,
                borrower,
                unit,
                purpose,
                lent_on,
                due_on,
                actor
            ],
        )?;
        // Named by ids: the trail names a berkas only to readers of its class.
        let what = if berkas.is_some() { "berkas" } else { "box" };
        let detail = format!("{what}={target}; borrower={borrower}; unit={unit}; due={due_on}");
        crate::audit::append(&tx, actor, "loan.lend", &id.to_string(), &detail)?;
        tx.commit()?;
        Ok(id)
    }

    /// Records a loan's return on `on`.
    pub(crate) fn return_loan(
        &mut self,
        id: &LoanId,
        back: &LoanReturn,
        on: &str,
        (visible, records_visible): (&str, &str),
        actor: &str,
    ) -> Result<()> {
        let sid = id.to_string();
        let note = super::storage::checked_note(Some(&back.note))?;
        let tx = self.write()?;
        // A box comes back (and its condition is noted) only by one who
        // may read all it holds.
        let lent_box: Option<String> =
            tx.query_row("SELECT box_id FROM loan WHERE id = ?1", [&sid], |r| {
                r.get(0)
            })?;
        if let Some(x) = &lent_box {
            super::storage::whole(&tx, x, (visible, records_visible))?;
        }
        let changed = tx.execute(
            "UPDATE loan SET returned_on = ?1, returned_by = ?2, return_condition = ?3,
                 return_note = ?4
             WHERE id = ?5 AND returned_on IS NULL",
            rusqlite::params![on, actor, back.condition.code(), note, sid],
        )?;
        if changed == 0 {
            return Err(Error::new(ErrorCode::WrongStep, sid));
        }
        // A box comes back in the condition it came back in.
        tx.execute(
            "UPDATE box SET condition = ?1, updated_at = ?2, updated_by = ?3
             WHERE id = (SELECT box_id FROM loan WHERE id = ?4)",
            (
                back.condition.code(),
                crate::clock::now_rfc3339(),
                actor,
                &sid,
            ),
        )?;
        let detail = format!("condition={}", back.condition.code());
        crate::audit::append(&tx, actor, "loan.return", &sid, &detail)?;
        tx.commit()?;
        Ok(())
    }
}

pub(super) fn refuse_if_out(tx: &Transaction, column: &str, id: &str) -> Result<()> {
    let out: bool = tx.query_row(
        &format!("SELECT EXISTS (SELECT 1 FROM loan WHERE {column} = ?1 AND returned_on IS NULL)"),
        [id],
        |r| r.get(0),
    )?;
    if out {
        return Err(Error::new(ErrorCode::OnLoan, id.to_string()));
    }
    Ok(())
}

fn checked(field: &str, v: &str) -> Result<String> {
    let v = crate::privacy::visible_text(v, false);
    let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
    if v.is_empty() || v.chars().count() > MAX_TEXT_CHARS {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("{field}: 1 to {MAX_TEXT_CHARS} characters"),
        ));
    }
    Ok(v)
}
