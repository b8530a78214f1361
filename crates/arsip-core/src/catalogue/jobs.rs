//! The ingest queue. Each file is a persisted job, so a power cut or `kill -9`
//! resumes the batch instead of restarting it; a file's bytes are deduplicated by
//! hash when it is catalogued, so a job run twice never makes two records.

use super::Catalogue;
use crate::error::{Error, Result};
use crate::ids::RecordId;
use rusqlite::params;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Job {
    pub id: i64,
    /// The group it is read with (the group's first job's id; its own id
    /// when it is a document alone).
    pub group: i64,
    pub path: PathBuf,
    pub series: Option<String>,
    pub access: Option<String>,
}

/// How a job ended.
#[derive(Debug, Clone)]
pub enum JobOutcome {
    Added { record: RecordId },
    Duplicate { record: RecordId },
    Failed { error: Error },
}

#[cfg(unix)]
pub(crate) fn path_to_bytes(p: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes().to_vec()
}

#[cfg(unix)]
fn path_from_bytes(b: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(b))
}

#[cfg(not(unix))]
pub(crate) fn path_to_bytes(p: &Path) -> Vec<u8> {
    p.to_string_lossy().into_owned().into_bytes()
}

#[cfg(not(unix))]
fn path_from_bytes(b: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&b).into_owned())
}

impl Catalogue {
    /// Queues documents for the batch `owner`, each one file or the page
    /// files of one document in page order. A path still pending from an
    /// earlier batch (one cut off) is this batch's now.
    pub fn enqueue(
        &mut self,
        documents: &[Vec<PathBuf>],
        series: Option<&str>,
        access: Option<&str>,
        owner: &str,
    ) -> Result<usize> {
        let tx = self.write()?;
        let now = crate::clock::now_rfc3339();
        let mut n = 0;
        {
            let mut taken = tx.prepare("DELETE FROM job WHERE path = ?1 AND state = 'pending'")?;
            let mut insert = tx.prepare(
                "INSERT INTO job (path, state, series, access, created_at, updated_at, grp, owner)
                 VALUES (?1, 'pending', ?2, ?3, ?4, ?4, ?5, ?6)",
            )?;
            let mut own_group = tx.prepare("UPDATE job SET grp = id WHERE id = ?1")?;
            for document in documents {
                let mut group: Option<i64> = None;
                for p in document {
                    let bytes = path_to_bytes(p);
                    taken.execute([&bytes])?;
                    insert.execute(params![bytes, series, access, now, group, owner])?;
                    if group.is_none() {
                        let id = tx.last_insert_rowid();
                        own_group.execute([id])?;
                        group = Some(id);
                    }
                    n += 1;
                }
            }
        }
        tx.commit()?;
        Ok(n)
    }

    /// Jobs of the batch `owner` not finished yet, and those an earlier
    /// batch left pending and no one has touched since `stale_before`
    /// (RFC 3339): never a batch another process is running. Oldest first,
    /// a group's jobs together in page order.
    pub fn pending_jobs(&self, owner: &str, stale_before: &str) -> Result<Vec<Job>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, COALESCE(grp, id), path, series, access FROM job
             WHERE state = 'pending' AND (owner = ?1 OR owner IS NULL OR updated_at < ?2)
             ORDER BY COALESCE(grp, id), id",
        )?;
        let rows = stmt.query_map((owner, stale_before), |r| {
            Ok(Job {
                id: r.get(0)?,
                group: r.get(1)?,
                path: path_from_bytes(r.get(2)?),
                series: r.get(3)?,
                access: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn finish_job(&mut self, id: i64, outcome: &JobOutcome) -> Result<()> {
        let (state, record, code, message) = match outcome {
            JobOutcome::Added { record } => ("done", Some(record.to_string()), None, None),
            JobOutcome::Duplicate { record } => ("duplicate", Some(record.to_string()), None, None),
            JobOutcome::Failed { error } => (
                "failed",
                None,
                Some(error.code.as_str()),
                Some(error.detail.clone()),
            ),
        };
        self.conn.execute(
            "UPDATE job SET state = ?1, record_id = ?2, error_code = ?3, error_message = ?4, updated_at = ?5
             WHERE id = ?6",
            params![state, record, code, message, crate::clock::now_rfc3339(), id],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two processes on one archive: neither runs the other's batch, unless
    /// that batch was left pending long ago (its process cut off), and a
    /// path given again is the new batch's.
    #[test]
    fn a_batch_runs_its_own_jobs_and_those_left_long_ago() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let mut cat = Catalogue::open(&dir.path().join("c.sqlite"))?;
        let doc = |p: &str| vec![PathBuf::from(p)];
        cat.enqueue(&[doc("/a/1.pdf"), doc("/a/2.pdf")], None, None, "A")?;
        let long_ago = "2000-01-01T00:00:00Z";
        let paths = |jobs: Vec<Job>| -> Vec<String> {
            jobs.iter().map(|j| j.path.display().to_string()).collect()
        };
        assert!(cat.pending_jobs("B", long_ago)?.is_empty());
        assert_eq!(
            paths(cat.pending_jobs("A", long_ago)?),
            ["/a/1.pdf", "/a/2.pdf"]
        );
        cat.enqueue(&[doc("/a/2.pdf")], None, None, "B")?;
        assert_eq!(paths(cat.pending_jobs("B", long_ago)?), ["/a/2.pdf"]);
        assert_eq!(paths(cat.pending_jobs("A", long_ago)?), ["/a/1.pdf"]);
        // A's batch left pending: taken once it is older than the cut-off.
        assert_eq!(
            paths(cat.pending_jobs("C", "2999-01-01T00:00:00Z")?),
            ["/a/1.pdf", "/a/2.pdf"]
        );
        Ok(())
    }
}
