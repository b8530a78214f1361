//! The watched folder: where the office scanner writes, which files of it
//! were read (by path, size and modification time, so a file is read once
//! and again only when it changes), and which process watches it now (a
//! lease, so the LAN server and the desktop app on one archive never read
//! the same file twice).

use super::Catalogue;
use crate::error::{ErrorCode, Result};
use crate::ingest::ErrorReport;
use rusqlite::{params, OptionalExtension};

pub(crate) const SCHEMA: &str = r#"
CREATE TABLE watch_plan (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    folder TEXT,
    series TEXT,
    access TEXT,
    set_by TEXT,
    holder TEXT,
    held_until_unix INTEGER,
    last_look TEXT,
    last_error TEXT
);
CREATE TABLE watched_file (
    path BLOB PRIMARY KEY,
    size INTEGER NOT NULL,
    modified_ns INTEGER NOT NULL,
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    record_id TEXT,
    error_code TEXT
);
CREATE INDEX watched_file_at ON watched_file(at);
"#;

/// The watched folder as set, and how watching it last went.
#[derive(Debug, Clone, Default, serde::Serialize, schemars::JsonSchema)]
pub struct WatchPlan {
    /// The folder on the archive computer (or a share mounted there); none
    /// when no folder is watched.
    pub folder: Option<String>,
    pub series: Option<String>,
    /// The access class of records read from it (the office default if none).
    pub access: Option<String>,
    /// Who chose the folder.
    pub set_by: Option<String>,
    /// When a process last looked into it (RFC 3339, UTC).
    pub last_look: Option<String>,
    /// Why the last look failed, when it did.
    pub last_error: Option<ErrorReport>,
}

/// A file read from the watched folder, and how it ended.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct WatchedFile {
    pub path: String,
    pub at: String,
    pub status: crate::ingest::FileStatus,
    pub record_id: Option<crate::ids::RecordId>,
    pub error: Option<ErrorReport>,
}

/// A stored error code in words (Indonesian; the API tells it in the
/// reader's language); a code this version does not know reads as internal.
fn report(code: Option<String>) -> Option<ErrorReport> {
    code.map(|c| {
        let code = ErrorCode::parse(&c).unwrap_or(ErrorCode::Internal);
        ErrorReport {
            code,
            message: crate::strings::error_text(code, crate::strings::Lang::Id).to_string(),
        }
    })
}

impl Catalogue {
    pub(crate) fn watch_plan(&self) -> Result<WatchPlan> {
        Ok(self
            .conn
            .query_row(
                "SELECT folder, series, access, set_by, last_look, last_error FROM watch_plan WHERE id = 1",
                [],
                |r| {
                    Ok(WatchPlan {
                        folder: r.get(0)?,
                        series: r.get(1)?,
                        access: r.get(2)?,
                        set_by: r.get(3)?,
                        last_look: r.get(4)?,
                        last_error: report(r.get(5)?),
                    })
                },
            )
            .optional()?
            .unwrap_or_default())
    }

    pub(crate) fn set_watch_plan(
        &mut self,
        folder: Option<&str>,
        series: Option<&str>,
        access: Option<&str>,
        actor: &str,
    ) -> Result<()> {
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO watch_plan (id, folder, series, access, set_by) VALUES (1, ?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET folder = excluded.folder, series = excluded.series,
                 access = excluded.access, set_by = excluded.set_by, last_error = NULL",
            params![folder, series, access, actor],
        )?;
        let detail = match folder {
            Some(f) => format!("folder={f}; access={}", access.unwrap_or("-")),
            None => "folder=-".to_string(),
        };
        crate::audit::append(&tx, actor, "watch.plan", "watch", &detail)?;
        tx.commit()?;
        Ok(())
    }

    /// Takes (or keeps) the watch for `holder` until `until_unix`, when no
    /// other process holds it; whether this process may look now. A lease
    /// held with more than half its time left is not written again: a look
    /// every few seconds must not cost a disk sync every few seconds.
    pub(crate) fn hold_watch(
        &mut self,
        holder: &str,
        now_unix: i64,
        until_unix: i64,
    ) -> Result<bool> {
        let held: Option<(Option<String>, Option<i64>)> = self
            .conn
            .query_row(
                "SELECT holder, held_until_unix FROM watch_plan WHERE id = 1 AND folder IS NOT NULL",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((Some(by), Some(until))) = &held {
            if by == holder && (until - now_unix) * 2 > until_unix - now_unix {
                return Ok(true);
            }
        }
        let tx = self.write()?;
        let n = tx.execute(
            "UPDATE watch_plan SET holder = ?1, held_until_unix = ?2
             WHERE id = 1 AND folder IS NOT NULL
               AND (holder IS NULL OR holder = ?1 OR held_until_unix IS NULL OR held_until_unix < ?3)",
            params![holder, until_unix, now_unix],
        )?;
        tx.commit()?;
        Ok(n == 1)
    }

    /// How the last look went. Written when that changes, or at most once a
    /// minute (the screen shows when the folder was last looked into).
    pub(crate) fn note_watch(&mut self, error: Option<&str>) -> Result<()> {
        let now = crate::clock::now_unix();
        self.conn.execute(
            "UPDATE watch_plan SET last_look = ?1, last_error = ?2
             WHERE id = 1 AND (last_error IS NOT ?2 OR last_look IS NULL OR last_look < ?3)",
            (
                crate::clock::rfc3339_at(now),
                error,
                crate::clock::rfc3339_at(now - 60),
            ),
        )?;
        Ok(())
    }

    /// Whether this version of a file (path, size, modification time) was read.
    pub(crate) fn watched(&self, path: &[u8], size: u64, modified_ns: i64) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM watched_file WHERE path = ?1 AND size = ?2 AND modified_ns = ?3",
                params![path, size as i64, modified_ns],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    pub(crate) fn note_watched(
        &mut self,
        files: &[(Vec<u8>, u64, i64)],
        report: &crate::ingest::FileReport,
    ) -> Result<()> {
        let tx = self.write()?;
        let now = crate::clock::now_rfc3339();
        let status = match report.status {
            crate::ingest::FileStatus::Added => "added",
            crate::ingest::FileStatus::Duplicate => "duplicate",
            crate::ingest::FileStatus::Failed => "failed",
        };
        for (path, size, modified) in files {
            tx.execute(
                "INSERT INTO watched_file (path, size, modified_ns, at, status, record_id, error_code)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (path) DO UPDATE SET size = excluded.size, modified_ns = excluded.modified_ns,
                     at = excluded.at, status = excluded.status, record_id = excluded.record_id,
                     error_code = excluded.error_code",
                params![
                    path,
                    *size as i64,
                    modified,
                    now,
                    status,
                    report.id.map(|i| i.to_string()),
                    report.error.as_ref().map(|e| e.code.as_str())
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Every file read from the watched folder into a record: (path, record).
    pub(crate) fn watched_records(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT path, record_id FROM watched_file WHERE record_id IS NOT NULL")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                String::from_utf8_lossy(&r.get::<_, Vec<u8>>(0)?).into_owned(),
                r.get(1)?,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The files read from the watched folder lately, newest first, those
    /// of a record only when `visible` (SQL over `record r`, from
    /// `Clearance::visible_sql`) holds for it.
    pub(crate) fn recent_watched(&self, limit: usize, visible: &str) -> Result<Vec<WatchedFile>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT w.path, w.at, w.status, w.record_id, w.error_code FROM watched_file w
             LEFT JOIN record r ON r.id = w.record_id
             WHERE w.record_id IS NULL OR ({visible})
             ORDER BY w.at DESC, w.path LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (path, at, status, record, code) = row?;
            out.push(WatchedFile {
                path: String::from_utf8_lossy(&path).into_owned(),
                at,
                status: match status.as_str() {
                    "added" => crate::ingest::FileStatus::Added,
                    "duplicate" => crate::ingest::FileStatus::Duplicate,
                    _ => crate::ingest::FileStatus::Failed,
                },
                record_id: record.and_then(|r| crate::ids::RecordId::parse(&r).ok()),
                error: report(code),
            });
        }
        Ok(out)
    }
}
