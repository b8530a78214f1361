//! Destruction carried through sync. A destroyed record keeps a tombstone
//! (its catalogue entry, the BA's number and day) here and at the province;
//! the segments this office sealed before the destruction still hold its
//! content, so the destruction lists what they must lose in `sync_redact`
//! (the destroyed records, and the blobs no record uses any more), and
//! `Archive::redact_sealed` re-seals each segment holding one without it
//! (`SegmentBody::replaces`), then forgets the list. A power cut in between
//! leaves the list, and the next open or push finishes it.

use super::Catalogue;
use crate::error::Result;
use crate::sync::segment::Destroyed;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// Migration 19. The BA's number and day on the record itself, because a
/// province (or an office rebuilt from its log) holds tombstones without
/// the disposal list they came from; `blob_purge` likewise without a list.
pub(super) const SCHEMA: &str = r#"
ALTER TABLE record ADD COLUMN destroyed_ba TEXT;
ALTER TABLE record ADD COLUMN destroyed_at TEXT;
UPDATE record SET
    destroyed_ba = (SELECT d.ba_number FROM disposal d WHERE d.id = record.destroyed_in),
    destroyed_at = (SELECT d.done_at FROM disposal d WHERE d.id = record.destroyed_in)
WHERE destroyed_in IS NOT NULL;
CREATE TABLE blob_purge_v19 (
    sha256 TEXT PRIMARY KEY,
    disposal_id TEXT REFERENCES disposal(id)
);
INSERT INTO blob_purge_v19 (sha256, disposal_id) SELECT sha256, disposal_id FROM blob_purge;
DROP TABLE blob_purge;
ALTER TABLE blob_purge_v19 RENAME TO blob_purge;
CREATE TABLE sync_redact (
    item TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('record', 'blob'))
);
CREATE INDEX change_record ON change(record_id);
CREATE TABLE destroyed_blob (
    record_id TEXT NOT NULL REFERENCES record(id),
    sha256 TEXT NOT NULL,
    PRIMARY KEY (record_id, sha256)
);
-- Re-sealed segments each known target still holds in their old form.
CREATE TABLE segment_resend (
    url TEXT NOT NULL,
    from_seq INTEGER NOT NULL REFERENCES segment(from_seq),
    PRIMARY KEY (url, from_seq)
);
-- A province's: blobs of destroyed copies to remove from every store it
-- pulls from, once no record it holds uses them; kept, because a flash
-- drive that held one may come back (each is looked for on it again), and
-- `store_purged` names the object stores already cleaned of it.
CREATE TABLE store_purge (sha256 TEXT PRIMARY KEY);
CREATE TABLE store_purged (
    sha256 TEXT NOT NULL REFERENCES store_purge(sha256) ON DELETE CASCADE,
    url TEXT NOT NULL,
    PRIMARY KEY (sha256, url)
);
-- A province's: which office's states named each blob, ever. A blob is
-- removed from a store only when the one office that named it destroyed
-- it: another office's log (an older state, a push in flight) may still
-- need it, and an office cannot have another's files removed.
CREATE TABLE seen_blob (
    sha256 TEXT NOT NULL,
    office TEXT NOT NULL,
    PRIMARY KEY (sha256, office)
);
INSERT OR IGNORE INTO seen_blob (sha256, office)
    SELECT f.sha256, r.office FROM file f JOIN record r ON r.id = f.record_id
    WHERE r.office IS NOT NULL;
INSERT OR IGNORE INTO seen_blob (sha256, office)
    SELECT p.thumbnail, r.office FROM page p JOIN record r ON r.id = p.record_id
    WHERE r.office IS NOT NULL AND p.thumbnail IS NOT NULL;
-- A province's: destroyed records whose content the logs of retired keys
-- (an office rebuilt with a new key) may still hold in the store.
CREATE TABLE retired_purge (record_id TEXT PRIMARY KEY);
"#;

/// What the sealed segments must lose.
#[derive(Debug, Default)]
pub struct Redactions {
    /// Destroyed records, each with its destruction.
    pub records: Vec<(String, Destroyed)>,
    /// Blobs removed with them: pages and files of other records' older
    /// states that show them go too (pages split off a destroyed record).
    pub blobs: Vec<String>,
}

/// Keeps which of its blobs record `id`'s destruction removed (for its
/// tombstone in the log), and lists what the sealed segments must lose:
/// the record and those blobs (nothing when nothing was ever sealed).
pub(super) fn note_destroyed(tx: &Transaction, id: &str, purged: &[String]) -> Result<()> {
    for sha in purged {
        tx.execute(
            "INSERT OR IGNORE INTO destroyed_blob (record_id, sha256) VALUES (?1, ?2)",
            (id, sha),
        )?;
    }
    // Listed even when nothing is sealed yet: a push drafting meanwhile
    // may seal before this commits (`store_segment` refuses what it finds
    // destroyed; this catches the rest). Nothing sealed, the list is
    // simply cleared at the next pass.
    tx.execute(
        "INSERT OR IGNORE INTO sync_redact (item, kind) VALUES (?1, 'record')",
        [id],
    )?;
    for sha in purged {
        tx.execute(
            "INSERT OR IGNORE INTO sync_redact (item, kind) VALUES (?1, 'blob')",
            [sha],
        )?;
    }
    Ok(())
}

/// Whether a state of an office other than `office` (any office at all but
/// one, when None) ever named blob `sha` here.
pub(super) fn named_by_another(conn: &Connection, sha: &str, office: Option<&str>) -> Result<bool> {
    let offices: i64 = match office {
        Some(o) => conn.query_row(
            "SELECT COUNT(*) FROM seen_blob WHERE sha256 = ?1 AND office <> ?2",
            (sha, o),
            |r| r.get(0),
        )?,
        None => conn.query_row(
            "SELECT COUNT(*) - 1 FROM seen_blob WHERE sha256 = ?1",
            [sha],
            |r| r.get(0),
        )?,
    };
    Ok(offices > 0)
}

/// Whether office `office`'s states ever named blob `sha` here.
pub(super) fn named_by(conn: &Connection, sha: &str, office: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM seen_blob WHERE sha256 = ?1 AND office = ?2)",
        (sha, office),
        |r| r.get(0),
    )?)
}

/// The destruction that emptied record `id`, if one did.
pub(super) fn destroyed_of(conn: &Connection, id: &str) -> Result<Option<Destroyed>> {
    let found = conn
        .query_row(
            "SELECT destroyed_ba, destroyed_at FROM record
             WHERE id = ?1 AND destroyed_at IS NOT NULL",
            [id],
            |r| {
                Ok(Destroyed {
                    ba: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                    at: r.get(1)?,
                    blobs: Vec::new(),
                })
            },
        )
        .optional()?;
    let Some(mut destroyed) = found else {
        return Ok(None);
    };
    let mut stmt = conn
        .prepare_cached("SELECT sha256 FROM destroyed_blob WHERE record_id = ?1 ORDER BY sha256")?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    destroyed.blobs = rows.collect::<rusqlite::Result<_>>()?;
    Ok(Some(destroyed))
}

/// What sealed segments must lose, as `conn` sees it now.
fn redactions_in(conn: &Connection) -> Result<Redactions> {
    let mut out = Redactions::default();
    let mut stmt = conn.prepare("SELECT item, kind FROM sync_redact ORDER BY kind, item")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (item, kind) = row?;
        if kind == "blob" {
            out.blobs.push(item);
        } else if let Some(d) = destroyed_of(conn, &item)? {
            out.records.push((item, d));
        }
    }
    Ok(out)
}

/// A segment re-sealed: its bytes and the blobs it still names.
pub type Resealed = (Vec<u8>, Vec<String>);

impl Catalogue {
    pub fn redactions(&self) -> Result<Redactions> {
        redactions_in(&self.conn)
    }

    /// The sealed segments (by first sequence) that hold a state of a
    /// record, or a blob, listed in `sync_redact`.
    pub fn segments_to_redact(&self) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare(
            "SELECT (SELECT s.from_seq FROM segment s WHERE s.from_seq < c.seq AND s.to_seq >= c.seq) AS f
                 FROM sync_redact x JOIN change c ON c.record_id = x.item
                 WHERE x.kind = 'record' AND f IS NOT NULL
             UNION SELECT b.from_seq FROM segment_blob b
                 JOIN sync_redact x ON x.kind = 'blob' AND x.item = b.sha256
             ORDER BY 1",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Re-seals segment `from` in one write transaction, so two processes
    /// redacting at once cannot write back an older reading: `reseal` gets
    /// its bytes and what sealed segments must lose now, and returns the
    /// new form, or None when nothing in it changes. Its place in the
    /// chain (`hash`) stays; blobs it no longer names leave its list; every
    /// target sent to before gets it again (`resends`). Returns whether it
    /// changed.
    pub fn reseal_segment(
        &mut self,
        from: i64,
        reseal: impl FnOnce(&[u8], &Redactions) -> Result<Option<Resealed>>,
    ) -> Result<bool> {
        let tx = self.write()?;
        let old: Vec<u8> = tx.query_row(
            "SELECT bytes FROM segment WHERE from_seq = ?1",
            [from],
            |r| r.get(0),
        )?;
        let Some((bytes, blobs)) = reseal(&old, &redactions_in(&tx)?)? else {
            return Ok(false);
        };
        tx.execute(
            "UPDATE segment SET bytes = ?1 WHERE from_seq = ?2",
            params![bytes, from],
        )?;
        tx.execute(
            "INSERT OR IGNORE INTO segment_resend (url, from_seq) SELECT url, ?1 FROM sync_target",
            [from],
        )?;
        let named: Vec<String> = {
            let mut stmt = tx.prepare("SELECT sha256 FROM segment_blob WHERE from_seq = ?1")?;
            let rows = stmt.query_map([from], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for sha in named.iter().filter(|s| !blobs.contains(s)) {
            tx.execute(
                "DELETE FROM segment_blob WHERE from_seq = ?1 AND sha256 = ?2",
                params![from, sha],
            )?;
        }
        tx.commit()?;
        Ok(true)
    }

    /// Blobs this office's destructions removed that no record, version or
    /// page here uses now (one archived again is used).
    pub fn destroyed_blobs(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT sha256 FROM destroyed_blob ORDER BY sha256")?;
        let all: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for sha in all {
            if !super::disposal::blob_used(&self.conn, &sha)? {
                out.push(sha);
            }
        }
        Ok(out)
    }

    /// Segments (by first sequence) re-sealed since `url` received them.
    /// A push sends them again whatever the target's copy looks like: its
    /// size alone could match by chance.
    pub fn resends(&self, url: &str) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT from_seq FROM segment_resend WHERE url = ?1 ORDER BY from_seq")?;
        let rows = stmt.query_map([url], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Target `url` holds segment `from` as it is now.
    pub fn resent(&mut self, url: &str, from: i64) -> Result<()> {
        let tx = self.write()?;
        tx.execute(
            "DELETE FROM segment_resend WHERE url = ?1 AND from_seq = ?2",
            params![url, from],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A province's: blobs of destroyed copies the store at `url` may
    /// still hold (all of them, for a flash drive).
    pub fn store_purges(&self, url: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT sha256 FROM store_purge p WHERE NOT EXISTS
                 (SELECT 1 FROM store_purged d WHERE d.sha256 = p.sha256 AND d.url = ?1)
             ORDER BY sha256",
        )?;
        let rows = stmt.query_map([url], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Removes blob `sha` from the store at `url` by `remove`, under the
    /// write lock, unless a record here uses it (again) now: then it is
    /// no longer one to remove anywhere. `object_store`: remembered as
    /// cleaned there (a flash drive is looked at each time).
    pub fn purge_from_store(
        &mut self,
        sha: &str,
        url: &str,
        object_store: bool,
        remove: impl FnOnce() -> Result<()>,
    ) -> Result<bool> {
        let tx = self.write()?;
        let used = super::disposal::blob_used(&tx, sha)? || named_by_another(&tx, sha, None)?;
        if used {
            tx.execute("DELETE FROM store_purged WHERE sha256 = ?1", [sha])?;
            tx.execute("DELETE FROM store_purge WHERE sha256 = ?1", [sha])?;
        } else {
            remove()?;
            if object_store {
                tx.execute(
                    "INSERT OR IGNORE INTO store_purged (sha256, url) VALUES (?1, ?2)",
                    (sha, url),
                )?;
            }
        }
        tx.commit()?;
        Ok(!used)
    }

    /// A province's: destroyed records to look for in retired logs.
    pub fn retired_purges(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT record_id FROM retired_purge ORDER BY record_id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn forget_retired_purges(&mut self, ids: &[String]) -> Result<()> {
        let tx = self.write()?;
        for id in ids {
            tx.execute("DELETE FROM retired_purge WHERE record_id = ?1", [id])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Forgets what was taken out of every sealed segment.
    pub fn clear_redactions(&mut self, done: &Redactions) -> Result<()> {
        let tx = self.write()?;
        for item in done
            .records
            .iter()
            .map(|(id, _)| id)
            .chain(done.blobs.iter())
        {
            tx.execute("DELETE FROM sync_redact WHERE item = ?1", [item])?;
        }
        tx.commit()?;
        Ok(())
    }
}
