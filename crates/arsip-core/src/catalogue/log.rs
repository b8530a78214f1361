//! This office's side of sync: the change log sealed into segments (kept here,
//! so every target receives the very same bytes, and a retry after a power cut
//! sends what the first try sent), each target's progress, and multipart
//! uploads in flight (so a restart resumes a large file part by part).

use super::Catalogue;
use crate::error::{Error, ErrorCode, Result};
use crate::sync::segment::{BerkasState, Entry, FileState, PageState, RecordState, Sealed};
use rusqlite::{params, Connection, OptionalExtension};

/// Migration 3 (with replica.rs): the sync tables, and files keyed by
/// (record, hash) instead of hash alone, because a province holds the same
/// circular (one PDF, byte for byte) from several offices.
pub(super) const SCHEMA: &str = r#"
CREATE TABLE segment (
    from_seq INTEGER PRIMARY KEY,
    to_seq INTEGER NOT NULL UNIQUE,
    hash TEXT NOT NULL,
    bytes BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE segment_blob (
    from_seq INTEGER NOT NULL REFERENCES segment(from_seq),
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (from_seq, sha256)
);
CREATE TABLE sync_target (
    url TEXT PRIMARY KEY,
    sent_seq INTEGER NOT NULL DEFAULT 0,
    last_attempt TEXT,
    last_success TEXT,
    last_error TEXT
);
CREATE TABLE sync_upload (
    url TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    upload_id TEXT NOT NULL,
    parts TEXT NOT NULL,
    PRIMARY KEY (url, sha256)
);
CREATE TABLE file_v3 (
    sha256 TEXT NOT NULL,
    record_id TEXT NOT NULL REFERENCES record(id),
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    original_name TEXT NOT NULL,
    original_path TEXT,
    PRIMARY KEY (record_id, sha256)
);
INSERT INTO file_v3 SELECT sha256, record_id, media_type, size, original_name, original_path FROM file ORDER BY rowid;
DROP TABLE file;
ALTER TABLE file_v3 RENAME TO file;
CREATE INDEX file_sha256 ON file(sha256);
CREATE TABLE page_v3 (
    record_id TEXT NOT NULL REFERENCES record(id),
    number INTEGER NOT NULL,
    file_sha256 TEXT NOT NULL,
    text TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('pdf', 'ocr')),
    confidence REAL,
    rotation INTEGER NOT NULL DEFAULT 0,
    words TEXT,
    thumbnail TEXT,
    PRIMARY KEY (record_id, number),
    FOREIGN KEY (record_id, file_sha256) REFERENCES file(record_id, sha256)
);
INSERT INTO page_v3 SELECT * FROM page;
DROP TABLE page;
ALTER TABLE page_v3 RENAME TO page;
"#;

/// The next segment's content, read in one snapshot.
pub struct Draft {
    pub to: i64,
    /// The newest audit entry's hash.
    pub audit: String,
    pub entries: Vec<Entry>,
}

/// A sealed segment as this office keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentInfo {
    pub from: i64,
    pub to: i64,
    pub hash: String,
}

/// A target's progress, for `arsip sync status` and the sync screen.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct TargetState {
    pub url: String,
    /// The provincial office's store or a flash drive, from the address.
    pub kind: TargetKind,
    pub sent_seq: i64,
    /// What this target has not received yet.
    pub waiting: Waiting,
    pub last_attempt: Option<String>,
    pub last_success: Option<String>,
    /// Why the last send failed, in words (the archive's `sync_status`
    /// tells it in the reader's language); none once a send succeeded.
    pub last_error: Option<String>,
}

/// Where a target is, in the words the office uses for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// The provincial office's store (`s3://`).
    Province,
    /// A flash drive or folder on this computer (`file://`).
    Drive,
}

impl TargetKind {
    pub fn of(url: &str) -> TargetKind {
        if url.starts_with("file://") {
            TargetKind::Drive
        } else {
            TargetKind::Province
        }
    }
}

/// What waits to be sent: records added, changed or deleted since, and the
/// originals of the records added since (a changed record's files went
/// with it the first time).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Waiting {
    pub records: i64,
    pub files: i64,
}

impl Catalogue {
    pub fn max_change_seq(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM change", [], |r| r.get(0))?)
    }

    pub fn segments(&self) -> Result<Vec<SegmentInfo>> {
        let mut stmt = self
            .conn
            .prepare("SELECT from_seq, to_seq, hash FROM segment ORDER BY from_seq")?;
        let rows = stmt.query_map([], |r| {
            Ok(SegmentInfo {
                from: r.get(0)?,
                to: r.get(1)?,
                hash: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn segment_bytes(&self, from: i64) -> Result<Vec<u8>> {
        Ok(self.conn.query_row(
            "SELECT bytes FROM segment WHERE from_seq = ?1",
            [from],
            |r| r.get(0),
        )?)
    }

    /// The blobs (hash, size) the records of a segment refer to.
    pub fn segment_blobs(&self, from: i64) -> Result<Vec<(String, u64)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT sha256, size FROM segment_blob WHERE from_seq = ?1 ORDER BY sha256")?;
        let rows = stmt.query_map([from], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The records changed after `after`, up to `max_records` of them, each
    /// with its state now; read in one snapshot, so the entries agree with
    /// each other. None when nothing changed.
    pub fn segment_draft(&mut self, after: i64, max_records: usize) -> Result<Option<Draft>> {
        let tx = self.conn.transaction()?;
        // Only this archive's own records: a province's copies of its
        // offices' records are theirs to send, never re-published under
        // the province's key.
        let mut stmt = tx.prepare(
            "SELECT c.record_id, MAX(c.seq) FROM change c
             WHERE c.seq > ?1 AND NOT EXISTS
                 (SELECT 1 FROM record r WHERE r.id = c.record_id AND r.office IS NOT NULL)
             GROUP BY c.record_id ORDER BY 2 LIMIT ?2",
        )?;
        let changed = stmt
            .query_map(params![after, max_records as i64], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(stmt);
        let Some(to) = changed.last().map(|c| c.1) else {
            return Ok(None);
        };
        let mut entries = Vec::with_capacity(changed.len());
        for (id, seq) in changed {
            let state = record_state(&tx, &id)?;
            let destroyed = super::redact::destroyed_of(&tx, &id)?;
            entries.push(Entry {
                seq,
                id,
                state,
                destroyed,
            });
        }
        let audit: String = tx.query_row(
            "SELECT COALESCE((SELECT hash FROM audit ORDER BY seq DESC LIMIT 1), '')",
            [],
            |r| r.get(0),
        )?;
        tx.finish()?;
        Ok(Some(Draft { to, audit, entries }))
    }

    /// Keeps a sealed segment, unless another process sealed this range
    /// first. Returns false, keeping nothing, when a record it holds whole
    /// (`live`) was destroyed since it was drafted: it is drafted again.
    pub fn store_segment(
        &mut self,
        sealed: &Sealed,
        blobs: &[(String, u64)],
        live: &[&str],
    ) -> Result<bool> {
        let tx = self.write()?;
        for id in live {
            if super::redact::destroyed_of(&tx, id)?.is_some() {
                return Ok(false);
            }
        }
        let last: i64 = tx.query_row("SELECT COALESCE(MAX(to_seq), 0) FROM segment", [], |r| {
            r.get(0)
        })?;
        if last != sealed.from {
            let sealed_by_another: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM segment WHERE from_seq = ?1)",
                [sealed.from],
                |r| r.get(0),
            )?;
            if sealed_by_another {
                // Another push (a second send, or another process) sealed
                // this range first: its segment is the one kept and sent.
                return Ok(true);
            }
            return Err(Error::new(
                ErrorCode::Internal,
                format!(
                    "segment {}-{} does not follow {last}",
                    sealed.from, sealed.to
                ),
            ));
        }
        tx.execute(
            "INSERT INTO segment (from_seq, to_seq, hash, bytes, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![sealed.from, sealed.to, sealed.hash, sealed.bytes, crate::clock::now_rfc3339()],
        )?;
        {
            let mut stmt = tx
                .prepare("INSERT INTO segment_blob (from_seq, sha256, size) VALUES (?1, ?2, ?3)")?;
            for (sha, size) in blobs {
                stmt.execute(params![sealed.from, sha, *size as i64])?;
            }
        }
        tx.commit()?;
        Ok(true)
    }

    /// The token of the admin's approval of `url`, if it was approved.
    pub fn approval_token(&self, url: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT token FROM approved_target WHERE url = ?1",
                [url],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Approves `url` with `token` (the admin's decision; audited).
    pub fn approve_target(&mut self, url: &str, token: &str, actor: &str) -> Result<()> {
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO approved_target (url, token, approved_by, approved_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (url) DO UPDATE SET token = excluded.token, approved_by = excluded.approved_by,
             approved_at = excluded.approved_at",
            (url, token, actor, crate::clock::now_rfc3339()),
        )?;
        crate::audit::append(&tx, actor, "sync.target.approve", url, "")?;
        tx.commit()?;
        Ok(())
    }

    /// Targets the admin approved, in the order they were approved.
    pub fn approved_targets(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT url FROM approved_target ORDER BY approved_at, url")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every target sent to, with what waits for it; `last_error` as kept
    /// (`Error::to_note`).
    pub fn targets(&self) -> Result<Vec<TargetState>> {
        let mut stmt = self.conn.prepare(
            "SELECT url, sent_seq, last_attempt, last_success, last_error FROM sync_target ORDER BY url",
        )?;
        let rows = stmt.query_map([], |r| {
            let url: String = r.get(0)?;
            Ok(TargetState {
                kind: TargetKind::of(&url),
                url,
                sent_seq: r.get(1)?,
                waiting: Waiting::default(),
                last_attempt: r.get(2)?,
                last_success: r.get(3)?,
                last_error: r.get(4)?,
            })
        })?;
        let mut targets = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        for t in &mut targets {
            t.waiting = self.waiting_after(t.sent_seq)?;
        }
        Ok(targets)
    }

    /// What a target holding the log up to `seq` has not received.
    pub fn waiting_after(&self, seq: i64) -> Result<Waiting> {
        let records = self.records_changed(seq, i64::MAX)?;
        let files = self.conn.query_row(
            "SELECT COUNT(DISTINCT f.sha256) FROM file f JOIN record r ON r.id = f.record_id
             WHERE r.office IS NULL AND f.record_id IN
               (SELECT record_id FROM change WHERE seq > ?1 AND kind = 'create')",
            [seq],
            |r| r.get(0),
        )?;
        Ok(Waiting { records, files })
    }

    /// This archive's own records changed after `after` up to `upto`
    /// (change sequence numbers).
    pub fn records_changed(&self, after: i64, upto: i64) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(DISTINCT c.record_id) FROM change c
             WHERE c.seq > ?1 AND c.seq <= ?2 AND NOT EXISTS
                 (SELECT 1 FROM record r WHERE r.id = c.record_id AND r.office IS NOT NULL)",
            [after, upto],
            |r| r.get(0),
        )?)
    }

    /// How many of these blobs are originals (not thumbnails).
    pub fn originals_among<'a>(&self, hashes: impl IntoIterator<Item = &'a str>) -> Result<usize> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM file WHERE sha256 = ?1)")?;
        let mut n = 0;
        for hash in hashes {
            if stmt.query_row([hash], |r| r.get::<_, bool>(0))? {
                n += 1;
            }
        }
        Ok(n)
    }

    /// Records the outcome of a push: how far the target holds the log, or why it stopped.
    pub fn note_push(
        &mut self,
        url: &str,
        sent_seq: Option<i64>,
        error: Option<&str>,
    ) -> Result<()> {
        let now = crate::clock::now_rfc3339();
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO sync_target (url, last_attempt) VALUES (?1, ?2)
             ON CONFLICT (url) DO UPDATE SET last_attempt = excluded.last_attempt",
            (url, &now),
        )?;
        if let Some(seq) = sent_seq {
            tx.execute(
                "UPDATE sync_target SET sent_seq = ?2, last_success = ?3, last_error = NULL WHERE url = ?1",
                params![url, seq, now],
            )?;
        }
        if let Some(e) = error {
            tx.execute(
                "UPDATE sync_target SET last_error = ?2 WHERE url = ?1",
                (url, e),
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// A multipart upload in flight: its id and the receipts of the parts sent.
    pub fn upload_state(&self, url: &str, sha256: &str) -> Result<Option<(String, Vec<String>)>> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT upload_id, parts FROM sync_upload WHERE url = ?1 AND sha256 = ?2",
                (url, sha256),
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(row.map(|(id, parts)| (id, serde_json::from_str(&parts).unwrap_or_default())))
    }

    pub fn save_upload(
        &mut self,
        url: &str,
        sha256: &str,
        upload: &str,
        parts: &[String],
    ) -> Result<()> {
        let parts = serde_json::to_string(parts)
            .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO sync_upload (url, sha256, upload_id, parts) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (url, sha256) DO UPDATE SET upload_id = excluded.upload_id, parts = excluded.parts",
            (url, sha256, upload, parts),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Forgets the receipts of uploads to `url` that ended (or never will).
    pub fn clear_uploads(&mut self, url: &str, sha256s: &[&str]) -> Result<()> {
        let tx = self.write()?;
        // Few uploads are ever in flight; the list given may be a whole archive's.
        let open: std::collections::HashSet<String> = tx
            .prepare("SELECT sha256 FROM sync_upload WHERE url = ?1")?
            .query_map([url], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for sha256 in sha256s.iter().filter(|s| open.contains(**s)) {
            tx.execute(
                "DELETE FROM sync_upload WHERE url = ?1 AND sha256 = ?2",
                (url, sha256),
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// A record's whole state for the log; None when it is deleted or unknown.
/// A live record's state, or a destroyed one's tombstone (its files,
/// pages and text are gone); None for a record in the trash.
fn record_state(conn: &Connection, id: &str) -> Result<Option<RecordState>> {
    let row = conn
        .query_row(
            "SELECT r.title, r.description, r.doc_type, r.election, r.stage, r.doc_date, r.number,
                    r.region, r.tps, r.classification, r.access, r.retention, r.retain_until,
                    r.loc_building, r.loc_shelf, r.loc_box, r.loc_folder, r.language, s.name,
                    r.personal_data, r.created_at, r.created_by, r.updated_at, r.updated_by, r.version
             FROM record r LEFT JOIN series s ON s.id = r.series_id
             WHERE r.id = ?1 AND (r.deleted = 0 OR r.destroyed_at IS NOT NULL)",
            [id],
            |r| {
                Ok(RecordState {
                    title: r.get(0)?,
                    description: r.get(1)?,
                    doc_type: r.get(2)?,
                    election: r.get(3)?,
                    stage: r.get(4)?,
                    doc_date: r.get(5)?,
                    number: r.get(6)?,
                    region: r.get(7)?,
                    tps: r.get(8)?,
                    classification: r.get(9)?,
                    access: r.get(10)?,
                    retention: r.get(11)?,
                    retain_until: r.get(12)?,
                    building: r.get(13)?,
                    shelf: r.get(14)?,
                    box_no: r.get(15)?,
                    folder: r.get(16)?,
                    language: r.get(17)?,
                    series: r.get(18)?,
                    personal_data: r.get(19)?,
                    created_at: r.get(20)?,
                    created_by: r.get(21)?,
                    updated_at: r.get(22)?,
                    updated_by: r.get(23)?,
                    version: r.get(24)?,
                    tags: Vec::new(),
                    files: Vec::new(),
                    pages: Vec::new(),
                    suggestions: Vec::new(),
                    berkas: None,
                })
            },
        )
        .optional()?;
    let Some(mut state) = row else {
        return Ok(None);
    };
    let mut stmt =
        conn.prepare_cached("SELECT tag FROM record_tag WHERE record_id = ?1 ORDER BY tag")?;
    state.tags = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT sha256, media_type, size, original_name FROM file WHERE record_id = ?1 ORDER BY rowid",
    )?;
    state.files = stmt
        .query_map([id], |r| {
            Ok(FileState {
                sha256: r.get(0)?,
                media_type: r.get(1)?,
                size: r.get::<_, i64>(2)? as u64,
                name: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT number, file_sha256, text, source, confidence, rotation, words, thumbnail
         FROM page WHERE record_id = ?1 ORDER BY number",
    )?;
    state.pages = stmt
        .query_map([id], |r| {
            Ok(PageState {
                number: r.get(0)?,
                file: r.get(1)?,
                text: r.get(2)?,
                source: r.get(3)?,
                confidence: r.get(4)?,
                rotation: r.get(5)?,
                words: r.get(6)?,
                thumbnail: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT field, value FROM suggestion WHERE record_id = ?1 ORDER BY field",
    )?;
    state.suggestions = stmt
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    state.berkas = berkas_state(conn, id)?;
    Ok(Some(state))
}

/// The berkas record `id` is filed in, as the log carries it.
fn berkas_state(conn: &Connection, id: &str) -> Result<Option<BerkasState>> {
    let mut stmt = conn.prepare_cached(
        "SELECT b.id, b.number, b.title, b.classification, b.year_from, b.year_to, b.access,
                b.stage, COALESCE(x.number, b.box_label), b.loc_folder, b.jra_code, b.jra_by,
                b.jra_at, b.created_at, b.created_by, b.updated_at, b.updated_by
         FROM record r JOIN berkas b ON b.id = r.berkas_id LEFT JOIN box x ON x.id = b.box_id
         WHERE r.id = ?1",
    )?;
    Ok(stmt
        .query_row([id], |r| {
            Ok(BerkasState {
                id: r.get(0)?,
                number: r.get(1)?,
                title: r.get(2)?,
                classification: r.get(3)?,
                year_from: r.get(4)?,
                year_to: r.get(5)?,
                access: r.get(6)?,
                stage: r.get(7)?,
                box_no: r.get(8)?,
                folder: r.get(9)?,
                jra: r.get(10)?,
                jra_by: r.get(11)?,
                jra_at: r.get(12)?,
                created_at: r.get(13)?,
                created_by: r.get(14)?,
                updated_at: r.get(15)?,
                updated_by: r.get(16)?,
            })
        })
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::segment::{seal, SegmentBody, FORMAT};
    use crate::sync::OfficeKey;

    fn sealed(from: i64, to: i64, key: &OfficeKey) -> Result<Sealed> {
        seal(
            &SegmentBody {
                format: FORMAT,
                office: key.public().to_hex(),
                from,
                to,
                prev: String::new(),
                audit: String::new(),
                entries: Vec::new(),
                replaces: None,
            },
            key,
        )
    }

    /// Two sends at once seal the same changes: the first segment is kept,
    /// the second send goes on with it instead of failing.
    #[test]
    fn a_range_sealed_by_another_send_is_kept_not_an_error() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let mut c = Catalogue::open(&dir.path().join("katalog.sqlite"))?;
        let key = OfficeKey::from_seed([7; 32]);
        let first = sealed(0, 5, &key)?;
        c.store_segment(&first, &[], &[])?;
        // The other send drafted a little later, so its range is longer.
        c.store_segment(&sealed(0, 6, &key)?, &[], &[])?;
        let kept = c.segments()?;
        assert_eq!(kept.len(), 1);
        assert_eq!(
            (kept[0].to, kept[0].hash.as_str()),
            (5, first.hash.as_str())
        );
        // A gap is still refused: that is a bug, not a race.
        assert!(c.store_segment(&sealed(9, 12, &key)?, &[], &[]).is_err());
        Ok(())
    }
}
