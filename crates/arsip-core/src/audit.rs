//! The tamper-evident audit trail: an append-only table whose every entry's hash
//! covers the previous entry's hash. `verify` names the first entry that was
//! altered or removed.
//!
//! The hashed bytes are a frozen serialization (format version 1, below): never
//! change it; add a version 2 beside it instead. A golden-bytes test guards it.

use crate::error::{Error, ErrorCode, Result};
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
    /// Not part of the hashed entry: the title of the record `target`
    /// names, when the reader may read that record (null otherwise, and for
    /// targets that are not records).
    pub record_title: Option<String>,
}

/// The frozen v1 serialization: fields joined by a unit separator, each
/// length-prefixed so no field value can imitate a boundary.
fn entry_bytes_v1(
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    target: &str,
    detail: &str,
    prev: &str,
) -> Vec<u8> {
    let mut out = b"arsip-audit-v1".to_vec();
    for field in [
        &seq.to_string()[..],
        at,
        actor,
        action,
        target,
        detail,
        prev,
    ] {
        out.push(0x1f);
        out.extend_from_slice(field.len().to_string().as_bytes());
        out.push(b':');
        out.extend_from_slice(field.as_bytes());
    }
    out
}

fn hash_v1(
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    target: &str,
    detail: &str,
    prev: &str,
) -> String {
    hex::encode(Sha256::digest(entry_bytes_v1(
        seq, at, actor, action, target, detail, prev,
    )))
}

/// Appends an entry; call inside the transaction of the change it records.
pub fn append(
    conn: &Connection,
    actor: &str,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<()> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_string()),
    };
    let at = crate::clock::now_rfc3339();
    let hash = hash_v1(seq, &at, actor, action, target, detail, &prev);
    conn.execute(
        "INSERT INTO audit (seq, at, actor, action, target, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![seq, at, actor, action, target, detail, prev, hash],
    )?;
    Ok(())
}

fn entry_from_row(r: &rusqlite::Row) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        target: r.get(4)?,
        detail: r.get(5)?,
        prev_hash: r.get(6)?,
        hash: r.get(7)?,
        record_title: None,
    })
}

/// Which entries a reader asks for: by person, by action, between two local
/// dates. Every part only narrows, and only on what every entry shows its
/// reader anyway (who, what, when), so a filter can never reveal what an
/// entry hides of a record above the reader's clearance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// The actor exactly as the trail names them.
    pub actor: Option<String>,
    /// An action code (`record.view`).
    pub action: Option<String>,
    /// The first local day, `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    /// The last local day, `YYYY-MM-DD`, inclusive.
    pub to: Option<String>,
    /// The reader's offset from UTC in minutes (WIB is 420); None for the
    /// office's own zone. It says which instants the local days span, and
    /// in which zone an export writes its times.
    pub utc_offset_minutes: Option<i32>,
}

/// A filter made ready for SQL: empty parts dropped, local days turned into
/// UTC instants in the trail's own format (`at` sorts as text).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Window {
    pub actor: Option<String>,
    pub action: Option<String>,
    /// `at >= since`.
    pub since: Option<String>,
    /// `at < until` (the midnight after the last day).
    pub until: Option<String>,
}

impl AuditFilter {
    /// The UTC window of this filter read in `offset` (a pure function, so
    /// the zones are tested without a clock).
    pub(crate) fn window(&self, offset: time::UtcOffset) -> Result<Window> {
        let some = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let midnight = |day: time::Date| -> Result<String> {
            time::PrimitiveDateTime::new(day, time::Time::MIDNIGHT)
                .assume_offset(offset)
                .to_offset(time::UtcOffset::UTC)
                .format(&time::format_description::well_known::Rfc3339)
                .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))
        };
        let since = some(&self.from)
            .map(|d| local_day("from", &d))
            .transpose()?
            .map(midnight)
            .transpose()?;
        let until = match some(&self.to).map(|d| local_day("to", &d)).transpose()? {
            Some(day) => Some(midnight(day.next_day().ok_or_else(|| {
                Error::new(ErrorCode::InvalidInput, format!("to: {day}"))
            })?)?),
            None => None,
        };
        Ok(Window {
            actor: some(&self.actor),
            action: some(&self.action),
            since,
            until,
        })
    }

    /// The offset asked for, checked; None when the filter names none.
    pub(crate) fn offset(&self) -> Result<Option<time::UtcOffset>> {
        self.utc_offset_minutes
            .map(|m| {
                // Real zones run from UTC-12:00 to UTC+14:00.
                (-720..=840)
                    .contains(&m)
                    .then(|| time::UtcOffset::from_whole_seconds(m * 60).ok())
                    .flatten()
                    .ok_or_else(|| Error::new(ErrorCode::InvalidInput, format!("tz: {m}")))
            })
            .transpose()
    }

    /// The filter in words for the audit entry of an export (only the
    /// parts given).
    pub(crate) fn describe(&self) -> String {
        let parts = [
            ("actor", &self.actor),
            ("action", &self.action),
            ("from", &self.from),
            ("to", &self.to),
        ];
        let mut out: Vec<String> = parts
            .iter()
            .filter_map(|(name, v)| {
                v.as_deref()
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(|v| format!("{name}={v:?}"))
            })
            .collect();
        if let Some(m) = self.utc_offset_minutes {
            out.push(format!("tz={m}"));
        }
        out.join(" ")
    }
}

fn local_day(field: &str, v: &str) -> Result<time::Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(v, format).map_err(|_| {
        Error::new(
            ErrorCode::InvalidInput,
            format!("{field}: '{v}' (YYYY-MM-DD)"),
        )
    })
}

/// The public's reads audited so far in the current hour, by (action,
/// target): anonymous requests are audited once per record, action and
/// hour per process, so a loop of anonymous views adds a handful of
/// entries, not one per request (the chain cannot be flooded).
#[derive(Default)]
pub(crate) struct ReadTally {
    seen: std::sync::Mutex<(i64, std::collections::HashSet<(String, String)>)>,
}

impl ReadTally {
    /// True the first time `action` on `target` is seen in this hour.
    pub(crate) fn first_this_hour(&self, action: &str, target: &str) -> bool {
        let hour = crate::clock::now_unix() / 3600;
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if seen.0 != hour {
            *seen = (hour, Default::default());
        }
        seen.1.insert((action.to_string(), target.to_string()))
    }
}

/// The newest entries, newest first, those before `before` when given.
pub fn recent(conn: &Connection, before: Option<i64>, limit: usize) -> Result<Vec<AuditEntry>> {
    matching(conn, &Window::default(), before, limit)
}

/// The newest entries in `window`, newest first, those before `before` when
/// given: the filter is SQL's, so a page holds `limit` matching entries and
/// the next page starts before its last one.
pub(crate) fn matching(
    conn: &Connection,
    window: &Window,
    before: Option<i64>,
    limit: usize,
) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit
         WHERE seq < ?1
           AND (?2 IS NULL OR actor = ?2)
           AND (?3 IS NULL OR action = ?3)
           AND (?4 IS NULL OR at >= ?4)
           AND (?5 IS NULL OR at < ?5)
         ORDER BY seq DESC LIMIT ?6",
    )?;
    let rows = stmt.query_map(
        params![
            before.unwrap_or(i64::MAX),
            window.actor,
            window.action,
            window.since,
            window.until,
            i64::try_from(limit).unwrap_or(i64::MAX),
        ],
        entry_from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What changed a record, as its history shows: every action that adds,
/// edits, files, moves, re-scans, reads again, deletes, restores or
/// destroys one.
pub const RECORD_CHANGES: [&str; 12] = [
    "record.ingest",
    "record.rescan",
    "record.reocr",
    "record.version_restore",
    "record.edit",
    "record.review",
    "record.pages",
    "record.merge",
    "recap.confirm",
    "record.delete",
    "record.restore",
    "record.destroy",
];

/// The newest `limit` entries about `target` whose action is a record
/// change (`RECORD_CHANGES`), newest first.
pub(crate) fn changes_of(conn: &Connection, target: &str, limit: usize) -> Result<Vec<AuditEntry>> {
    let actions = RECORD_CHANGES
        .iter()
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut stmt = conn.prepare(&format!(
        "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit
         WHERE target = ?1 AND action IN ({actions}) ORDER BY seq DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(
        params![target, i64::try_from(limit).unwrap_or(i64::MAX)],
        entry_from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct AuditReport {
    pub entries: i64,
    /// The first entry whose content, link or position is wrong.
    pub first_broken: Option<i64>,
}

pub fn verify(conn: &Connection) -> Result<AuditReport> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit ORDER BY seq",
    )?;
    let rows = stmt.query_map([], entry_from_row)?;
    let mut prev = GENESIS.to_string();
    let mut entries = 0;
    for (expected_seq, row) in (1..).zip(rows) {
        let e = row?;
        entries += 1;
        let recomputed = hash_v1(
            e.seq,
            &e.at,
            &e.actor,
            &e.action,
            &e.target,
            &e.detail,
            &e.prev_hash,
        );
        if e.seq != expected_seq || e.prev_hash != prev || recomputed != e.hash {
            return Ok(AuditReport {
                entries,
                first_broken: Some(e.seq.min(expected_seq)),
            });
        }
        prev = e.hash;
    }
    Ok(AuditReport {
        entries,
        first_broken: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_bytes_v1() {
        let bytes = entry_bytes_v1(
            7,
            "2024-02-14T08:00:00Z",
            "siti",
            "record.edit",
            "r1",
            "a=b",
            GENESIS,
        );
        let expected = [
            &b"arsip-audit-v1\x1f1:7\x1f20:2024-02-14T08:00:00Z\x1f4:siti\x1f11:record.edit\x1f2:r1\x1f3:a=b\x1f64:"[..],
            GENESIS.as_bytes(),
        ]
        .concat();
        assert_eq!(bytes, expected);
        assert_eq!(
            hash_v1(
                7,
                "2024-02-14T08:00:00Z",
                "siti",
                "record.edit",
                "r1",
                "a=b",
                GENESIS
            ),
            hex::encode(Sha256::digest(&expected))
        );
    }

    fn chain() -> Result<Connection> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(
            "CREATE TABLE audit (seq INTEGER PRIMARY KEY, at TEXT, actor TEXT, action TEXT, target TEXT,
             detail TEXT, prev_hash TEXT, hash TEXT)",
        )?;
        for i in 0..5 {
            append(&conn, "siti", "record.edit", &format!("r{i}"), "title=x")?;
        }
        Ok(conn)
    }

    /// A filter's window read in `minutes` east of UTC.
    fn check(filter: AuditFilter, minutes: i32, since: Option<&str>, until: Option<&str>) {
        let offset = time::UtcOffset::from_whole_seconds(minutes * 60).unwrap();
        let w = filter.window(offset).unwrap();
        assert_eq!(
            (w.since.as_deref(), w.until.as_deref()),
            (since, until),
            "{filter:?}"
        );
    }

    fn days(from: &str, to: &str) -> AuditFilter {
        AuditFilter {
            from: (!from.is_empty()).then(|| from.to_string()),
            to: (!to.is_empty()).then(|| to.to_string()),
            ..AuditFilter::default()
        }
    }

    #[test]
    fn local_days_become_utc_windows() {
        // A day in Bogor (WIB) begins at 17:00 UTC the day before.
        check(
            days("2024-02-14", "2024-02-14"),
            420,
            Some("2024-02-13T17:00:00Z"),
            Some("2024-02-14T17:00:00Z"),
        );
        check(
            days("2024-02-14", ""),
            480,
            Some("2024-02-13T16:00:00Z"),
            None,
        );
        check(
            days("", "2024-12-31"),
            540,
            None,
            Some("2024-12-31T15:00:00Z"),
        );
        check(
            days("", "2024-02-28"),
            0,
            None,
            Some("2024-02-29T00:00:00Z"),
        );
        check(days(" ", ""), 420, None, None);
        for bad in ["14-02-2024", "2024-02-30", "kemarin"] {
            let err = days(bad, "").window(time::UtcOffset::UTC).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidInput, "{bad}");
        }
        let zone = |m| AuditFilter {
            utc_offset_minutes: Some(m),
            ..AuditFilter::default()
        };
        assert!(zone(420).offset().unwrap().is_some());
        assert!(zone(900).offset().is_err());
    }

    #[test]
    fn a_filter_picks_only_matching_entries_and_pages() -> Result<()> {
        let conn = chain()?;
        append(&conn, "budi", "record.view", "r9", "")?;
        append(&conn, "siti", "record.view", "r9", "")?;
        let window = |actor: &str, action: &str| Window {
            actor: (!actor.is_empty()).then(|| actor.to_string()),
            action: (!action.is_empty()).then(|| action.to_string()),
            ..Window::default()
        };
        let seqs = |w: &Window, before, limit| -> Result<Vec<i64>> {
            Ok(matching(&conn, w, before, limit)?
                .iter()
                .map(|e| e.seq)
                .collect())
        };
        assert_eq!(seqs(&window("siti", ""), None, 100)?, [7, 5, 4, 3, 2, 1]);
        assert_eq!(seqs(&window("", "record.view"), None, 100)?, [7, 6]);
        assert_eq!(seqs(&window("siti", "record.view"), None, 100)?, [7]);
        assert_eq!(seqs(&window("siti", "record.edit"), None, 2)?, [5, 4]);
        assert_eq!(seqs(&window("siti", "record.edit"), Some(4), 2)?, [3, 2]);
        let far = Window {
            since: Some("2999-01-01T00:00:00Z".into()),
            ..Window::default()
        };
        assert!(seqs(&far, None, 100)?.is_empty());
        let past = Window {
            until: Some("2000-01-01T00:00:00Z".into()),
            ..Window::default()
        };
        assert!(seqs(&past, None, 100)?.is_empty());
        assert_eq!(recent(&conn, None, 100)?.len(), 7);
        Ok(())
    }

    #[test]
    fn an_intact_chain_verifies() -> Result<()> {
        let conn = chain()?;
        assert_eq!(
            verify(&conn)?,
            AuditReport {
                entries: 5,
                first_broken: None
            }
        );
        Ok(())
    }

    #[test]
    fn an_edited_entry_is_named() -> Result<()> {
        let conn = chain()?;
        conn.execute("UPDATE audit SET actor = 'mallory' WHERE seq = 3", [])?;
        assert_eq!(verify(&conn)?.first_broken, Some(3));
        Ok(())
    }

    #[test]
    fn a_removed_entry_is_named() -> Result<()> {
        let conn = chain()?;
        conn.execute("DELETE FROM audit WHERE seq = 2", [])?;
        assert_eq!(verify(&conn)?.first_broken, Some(2));
        Ok(())
    }

    #[test]
    fn a_rehashed_forgery_breaks_the_next_link() -> Result<()> {
        let conn = chain()?;
        let prev: String =
            conn.query_row("SELECT prev_hash FROM audit WHERE seq = 3", [], |r| {
                r.get(0)
            })?;
        let at: String = conn.query_row("SELECT at FROM audit WHERE seq = 3", [], |r| r.get(0))?;
        let forged = hash_v1(3, &at, "mallory", "record.edit", "r2", "title=x", &prev);
        conn.execute(
            "UPDATE audit SET actor = 'mallory', hash = ?1 WHERE seq = 3",
            [forged],
        )?;
        assert_eq!(verify(&conn)?.first_broken, Some(4));
        Ok(())
    }
}
