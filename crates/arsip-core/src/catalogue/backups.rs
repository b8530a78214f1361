//! The backup plan: where the office's backups go and how often, and how the
//! last one ended. One row; the admin sets it, the shells' timers run it.

use super::Catalogue;
use crate::error::Result;
use rusqlite::OptionalExtension;

pub(crate) const SCHEMA: &str = r#"
CREATE TABLE backup_plan (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    target TEXT,
    every_hours INTEGER NOT NULL DEFAULT 0,
    last_attempt_unix INTEGER,
    last_success TEXT,
    last_error TEXT,
    last_summary TEXT
);
"#;

/// Where backups go and how they last went.
#[derive(Debug, Clone, Default, serde::Serialize, schemars::JsonSchema)]
pub struct BackupPlan {
    /// The backup folder; none when no backup was planned.
    pub target: Option<String>,
    /// Hours between scheduled backups; 0 when only made by hand.
    pub every_hours: u32,
    /// When the last backup ended well (RFC 3339, UTC).
    pub last_success: Option<String>,
    /// Why the last attempt failed, when it did (in the archive's words).
    pub last_error: Option<String>,
    /// What the last good backup held: records, files.
    pub last_records: Option<usize>,
    pub last_blobs: Option<usize>,
}

impl Catalogue {
    pub(crate) fn backup_plan(&self) -> Result<BackupPlan> {
        let row = self
            .conn
            .query_row(
                "SELECT target, every_hours, last_success, last_error, last_summary
                 FROM backup_plan WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, Option<String>>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                    ))
                },
            )
            .optional()?;
        let Some((target, every, success, error, summary)) = row else {
            return Ok(BackupPlan::default());
        };
        let counts: Option<(usize, usize)> = summary
            .as_deref()
            .and_then(|s| s.split_once(' '))
            .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)));
        Ok(BackupPlan {
            target,
            every_hours: u32::try_from(every).unwrap_or(0),
            last_success: success,
            last_error: error,
            last_records: counts.map(|c| c.0),
            last_blobs: counts.map(|c| c.1),
        })
    }

    pub(crate) fn set_backup_plan(
        &mut self,
        target: Option<&str>,
        every_hours: u32,
        actor: &str,
    ) -> Result<()> {
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO backup_plan (id, target, every_hours) VALUES (1, ?1, ?2)
             ON CONFLICT (id) DO UPDATE SET target = excluded.target, every_hours = excluded.every_hours,
               -- How backups to another folder went says nothing of this one.
               last_success = CASE WHEN target IS excluded.target THEN last_success END,
               last_error = CASE WHEN target IS excluded.target THEN last_error END,
               last_summary = CASE WHEN target IS excluded.target THEN last_summary END,
               last_attempt_unix = CASE WHEN target IS excluded.target THEN last_attempt_unix END",
            (target, every_hours),
        )?;
        let detail = format!("every_hours={every_hours}");
        crate::audit::append(&tx, actor, "backup.plan", target.unwrap_or(""), &detail)?;
        tx.commit()?;
        Ok(())
    }

    /// Takes the scheduled backup if it is due: the one process whose update
    /// changed the row runs it (an office server and the desktop app on one
    /// archive never both do); its target when taken.
    pub(crate) fn claim_due_backup(&mut self, now_unix: i64) -> Result<Option<String>> {
        let tx = self.write()?;
        let target: Option<String> = tx
            .query_row(
                "UPDATE backup_plan SET last_attempt_unix = ?1
                 WHERE id = 1 AND target IS NOT NULL AND every_hours > 0
                   AND (last_attempt_unix IS NULL OR last_attempt_unix + every_hours * 3600 <= ?1)
                 RETURNING target",
                [now_unix],
                |r| r.get(0),
            )
            .optional()?;
        tx.commit()?;
        Ok(target)
    }

    /// How a backup to the planned target ended.
    pub(crate) fn note_backup(
        &mut self,
        outcome: std::result::Result<(usize, usize), &str>,
    ) -> Result<()> {
        let tx = self.write()?;
        match outcome {
            Ok((records, blobs)) => tx.execute(
                "UPDATE backup_plan SET last_success = ?1, last_error = NULL, last_summary = ?2 WHERE id = 1",
                (crate::clock::now_rfc3339(), format!("{records} {blobs}")),
            )?,
            // A failed scheduled backup (a drive not plugged in) is tried
            // again within the hour, not at the next day's turn.
            Err(message) => tx.execute(
                "UPDATE backup_plan SET last_error = ?1,
                   last_attempt_unix = CASE WHEN every_hours > 1
                     THEN last_attempt_unix - (every_hours - 1) * 3600
                     ELSE last_attempt_unix END
                 WHERE id = 1",
                [message],
            )?,
        };
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_scheduled_backup_is_tried_again_within_the_hour_a_good_one_a_day_later(
    ) -> Result<()> {
        let dir = tempfile::tempdir()?;
        let mut c = Catalogue::open(&dir.path().join("katalog.sqlite"))?;
        let t = 1_000_000;
        c.set_backup_plan(Some("/media/cadangan"), 24, "uji")?;
        assert_eq!(c.claim_due_backup(t)?.as_deref(), Some("/media/cadangan"));
        c.note_backup(Err("backup_drive_missing\u{1f}/media/cadangan"))?;
        assert_eq!(c.claim_due_backup(t + 1800)?, None);
        assert!(c.claim_due_backup(t + 3600)?.is_some());
        c.note_backup(Ok((3, 5)))?;
        assert_eq!(c.claim_due_backup(t + 7200)?, None);
        assert!(c.claim_due_backup(t + 3600 + 24 * 3600)?.is_some());
        Ok(())
    }
}
