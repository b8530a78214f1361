//! Versions of a record's content. A re-scan, a re-read of its text (OCR)
//! or bringing back an earlier version replaces what a record holds (its
//! originals and pages) in one transaction, and keeps what it held as a
//! version: the files stay in the blob store, the pages' text and word
//! boxes in `version_page`. Versions are never edited; only a destruction
//! removes them, with their record's content.

use super::records::{flag_personal, insert_files, record_change, writable, NewFile, NewPage};
use super::Catalogue;
use crate::access::{AccessLevel, Clearance};
use crate::error::{Error, ErrorCode, Result};
use crate::ids::{ContentHash, RecordId};
use crate::model::{Page, StoredFile, Suggestions};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// Migration 18.
pub(super) const SCHEMA: &str = r#"
CREATE TABLE record_version (
    id INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL REFERENCES record(id),
    -- The version's number within its record: 1, 2, 3…
    n INTEGER NOT NULL,
    replaced_at TEXT NOT NULL,
    replaced_by TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('rescan', 'reocr', 'restore')),
    -- The record's class when this content was replaced: a version is read
    -- only by one who reads both that class and the record's class now (a
    -- record declassified does not open what it held while secret).
    access TEXT NOT NULL REFERENCES access_level(code),
    UNIQUE (record_id, n)
);
CREATE TABLE version_file (
    version_id INTEGER NOT NULL REFERENCES record_version(id),
    sha256 TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    original_name TEXT NOT NULL,
    original_path TEXT,
    PRIMARY KEY (version_id, sha256)
);
CREATE INDEX version_file_sha256 ON version_file(sha256);
CREATE TABLE version_page (
    version_id INTEGER NOT NULL REFERENCES record_version(id),
    number INTEGER NOT NULL,
    file_sha256 TEXT NOT NULL,
    text TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('pdf', 'ocr')),
    confidence REAL,
    rotation INTEGER NOT NULL DEFAULT 0,
    words TEXT,
    thumbnail TEXT,
    PRIMARY KEY (version_id, number)
);
CREATE INDEX version_page_thumbnail ON version_page(thumbnail) WHERE thumbnail IS NOT NULL;
"#;

/// Why a record's content was replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Reason {
    /// New scans of the paper replaced the files.
    Rescan,
    /// The same files' pages were read again by OCR.
    Reocr,
    /// An earlier version was brought back.
    Restore,
}

impl Reason {
    pub fn code(self) -> &'static str {
        match self {
            Reason::Rescan => "rescan",
            Reason::Reocr => "reocr",
            Reason::Restore => "restore",
        }
    }

    fn parse(s: &str) -> Reason {
        match s {
            "rescan" => Reason::Rescan,
            "reocr" => Reason::Reocr,
            _ => Reason::Restore,
        }
    }

    /// The audit trail's action for a replacement of this kind.
    fn action(self) -> &'static str {
        match self {
            Reason::Rescan => "record.rescan",
            Reason::Reocr => "record.reocr",
            Reason::Restore => "record.version_restore",
        }
    }
}

/// What a record held before a replacement.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct Version {
    /// Its number within its record: 1 for the first content replaced.
    pub number: i64,
    /// When this content stopped being the record's, by whom, and why.
    pub replaced_at: String,
    pub replaced_by: String,
    pub reason: Reason,
    pub files: Vec<StoredFile>,
    pub pages: u32,
    /// Mean OCR confidence of its OCR'd pages, 0–100.
    pub confidence: Option<f32>,
}

/// Where a record's content rows are: its own, or a version's.
enum Held<'a> {
    Current(&'a str),
    Version(i64),
}

impl Held<'_> {
    /// The file and page tables holding this content, the column they
    /// are keyed by, and the key.
    fn tables(&self) -> (&'static str, &'static str, &'static str, String) {
        match self {
            Held::Current(id) => ("file", "page", "record_id", id.to_string()),
            Held::Version(v) => ("version_file", "version_page", "version_id", v.to_string()),
        }
    }
}

/// What a record holds, or held: its files, each with where it was
/// imported from, and its pages.
pub(crate) struct Content {
    pub files: Vec<(StoredFile, String)>,
    pub pages: Vec<Page>,
}

impl Content {
    /// As new files with their pages, in order (to be written back).
    pub(crate) fn into_new_files(self) -> Vec<NewFile> {
        let pages = self.pages;
        self.files
            .into_iter()
            .map(|(file, original_path)| {
                let pages = pages
                    .iter()
                    .filter(|p| p.file == file.sha256)
                    .map(|p| NewPage {
                        text: p.text.clone(),
                        source: p.source,
                        confidence: p.confidence,
                        rotation: p.rotation,
                        words: p.words.clone(),
                        thumbnail: p.thumbnail,
                    })
                    .collect();
                NewFile {
                    file,
                    original_path,
                    pages,
                }
            })
            .collect()
    }
}

fn content(conn: &Connection, held: &Held) -> Result<Content> {
    let (files_table, pages, by, key) = held.tables();
    let mut stmt = conn.prepare(&format!(
        "SELECT original_name, sha256, media_type, size, COALESCE(original_path, '')
         FROM {files_table} WHERE {by} = ?1 ORDER BY rowid"
    ))?;
    let rows = stmt.query_map([&key], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut files = Vec::new();
    for row in rows {
        let (name, sha, media_type, size, path) = row?;
        files.push((
            StoredFile {
                name,
                sha256: ContentHash::parse(&sha)?,
                media_type,
                size: size.max(0) as u64,
            },
            path,
        ));
    }
    let pages = super::records::read_pages(conn, pages, by, &key)?;
    Ok(Content { files, pages })
}

/// What a record's content is, as a hash of its originals and its pages'
/// text, turns and source: two reads of it differ only when the content
/// did (an edit of its fields leaves it as it was).
fn stamp(files: &[NewFile]) -> String {
    let mut all = Vec::new();
    for f in files {
        all.extend_from_slice(f.file.sha256.to_hex().as_bytes());
        for p in &f.pages {
            all.extend_from_slice(format!("\n{} {}\n", p.rotation, p.source.code()).as_bytes());
            all.extend_from_slice(p.text.as_bytes());
        }
        all.push(0);
    }
    ContentHash::of(&all).to_hex()
}

/// A record the caller may change the content of: live, readable, of this
/// archive (not an office's record held at the province), and not on a
/// disposal list under way. Returns its content now and its class.
fn changeable(
    tx: &Connection,
    sid: &str,
    clearance: &Clearance,
) -> Result<(Vec<NewFile>, AccessLevel)> {
    clearance.require_catalogue()?;
    let class = writable(tx, sid, clearance)?;
    let office: Option<String> =
        tx.query_row("SELECT office FROM record WHERE id = ?1", [sid], |r| {
            r.get(0)
        })?;
    if office.is_some() {
        return Err(Error::new(
            ErrorCode::AccessDenied,
            format!("{sid} belongs to an office; it is re-scanned there"),
        ));
    }
    super::berkas::record_unlocked(tx, sid)?;
    Ok((content(tx, &Held::Current(sid))?.into_new_files(), class))
}

impl Catalogue {
    /// Record `id`'s current content as new files (its originals, where
    /// each was imported from, and its pages), with its stamp: what a
    /// re-read of its text starts from. Checked like a replacement.
    pub(crate) fn content_to_replace(
        &self,
        id: &RecordId,
        clearance: &Clearance,
    ) -> Result<(String, Vec<NewFile>)> {
        let (files, _) = changeable(&self.conn, &id.to_string(), clearance)?;
        Ok((stamp(&files), files))
    }

    /// Replaces record `id`'s content with `files`, keeping what it held as
    /// a version, in one transaction: refused when its content changed
    /// since it was read with stamp `expected` (someone else replaced or
    /// moved its pages), when a restore would not change it, when a new original is
    /// another live record's already (its own or a version's), or this
    /// one's now for a re-scan, and on the grounds of `changeable`. Its
    /// suggestions become those read from the new text; its result table
    /// is read again, its personal-data flag computed again, the index
    /// told. Returns the new version's number.
    pub(crate) fn replace_content(
        &mut self,
        id: &RecordId,
        files: &[NewFile],
        suggestions: &Suggestions,
        reason: Reason,
        expected: &str,
        clearance: &Clearance,
    ) -> Result<i64> {
        if files.is_empty() || files.iter().all(|f| f.pages.is_empty()) {
            return Err(Error::new(ErrorCode::NoText, id.to_string()));
        }
        let sid = id.to_string();
        let actor = clearance.actor();
        let tx = self.write()?;
        let (now_held, class) = changeable(&tx, &sid, clearance)?;
        if stamp(&now_held) != expected {
            return Err(Error::new(ErrorCode::RecordChanged, sid));
        }
        // Bringing back what it holds now would only add a version.
        if reason == Reason::Restore && stamp(files) == expected {
            return Err(Error::new(ErrorCode::ScanArchived, sid));
        }
        let Content {
            files: old_files,
            pages: old_pages,
        } = content(&tx, &Held::Current(&sid))?;
        for f in files {
            let sha = f.file.sha256.to_hex();
            let elsewhere: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM file f JOIN record r ON r.id = f.record_id
                     WHERE f.sha256 = ?1 AND r.deleted = 0 AND r.id <> ?2)
                 OR EXISTS (SELECT 1 FROM version_file f
                     JOIN record_version v ON v.id = f.version_id
                     JOIN record r ON r.id = v.record_id
                     WHERE f.sha256 = ?1 AND r.deleted = 0 AND r.id <> ?2)",
                (&sha, &sid),
                |r| r.get(0),
            )?;
            let here = old_files.iter().any(|(o, _)| o.sha256 == f.file.sha256);
            if elsewhere || (reason == Reason::Rescan && here) {
                return Err(Error::new(ErrorCode::ScanArchived, f.file.name.clone()));
            }
        }
        let now = crate::clock::now_rfc3339();
        let number: i64 = tx.query_row(
            "SELECT COALESCE(MAX(n), 0) + 1 FROM record_version WHERE record_id = ?1",
            [&sid],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO record_version (record_id, n, replaced_at, replaced_by, reason, access)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![sid, number, now, actor, reason.code(), class.code()],
        )?;
        let version = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO version_file (version_id, sha256, media_type, size, original_name, original_path)
             SELECT ?1, sha256, media_type, size, original_name, original_path
             FROM file WHERE record_id = ?2 ORDER BY rowid",
            params![version, sid],
        )?;
        tx.execute(
            "INSERT INTO version_page (version_id, number, file_sha256, text, source, confidence,
                 rotation, words, thumbnail)
             SELECT ?1, number, file_sha256, text, source, confidence, rotation, words, thumbnail
             FROM page WHERE record_id = ?2",
            params![version, sid],
        )?;
        tx.execute("DELETE FROM page WHERE record_id = ?1", [&sid])?;
        tx.execute("DELETE FROM file WHERE record_id = ?1", [&sid])?;
        let pages = insert_files(&tx, &sid, files)?;
        // What the old text suggested goes with it.
        tx.execute("DELETE FROM suggestion WHERE record_id = ?1", [&sid])?;
        for (field, value) in suggestions.fields() {
            tx.execute(
                "INSERT INTO suggestion (record_id, field, value) VALUES (?1, ?2, ?3)",
                (&sid, field, value),
            )?;
        }
        tx.execute(
            "UPDATE record SET version = version + 1, updated_at = ?1, updated_by = ?2 WHERE id = ?3",
            (&now, actor, &sid),
        )?;
        flag_personal(&tx, &sid)?;
        super::recap::read_in(&tx, &sid)?;
        record_change(&tx, &sid, "update")?;
        crate::audit::append(
            &tx,
            actor,
            reason.action(),
            &sid,
            &format!(
                "version {number}: {}, {} pages -> {}, {pages} pages",
                old_files
                    .iter()
                    .map(|(f, _)| format!("{} ({})", f.name, f.sha256.to_hex()))
                    .collect::<Vec<_>>()
                    .join(", "),
                old_pages.len(),
                super::records::files_named(files),
            ),
        )?;
        tx.commit()?;
        Ok(number)
    }

    /// Record `id`'s versions of a class `clearance` reads, newest number
    /// first (the caller checked it may read the record).
    pub(crate) fn versions(&self, id: &RecordId, clearance: &Clearance) -> Result<Vec<Version>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT v.id, v.n, v.replaced_at, v.replaced_by, v.reason,
                 (SELECT COUNT(*) FROM version_page p WHERE p.version_id = v.id),
                 (SELECT AVG(confidence) FROM version_page p WHERE p.version_id = v.id
                      AND p.source = 'ocr')
             FROM record_version v WHERE v.record_id = ?1 AND {}
             ORDER BY v.n DESC",
            clearance.classes_sql("v")
        ))?;
        let rows = stmt.query_map([id.to_string()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, u32>(5)?,
                r.get::<_, Option<f64>>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (vid, number, replaced_at, replaced_by, reason, pages, confidence) = row?;
            let files = content(&self.conn, &Held::Version(vid))?.files;
            out.push(Version {
                number,
                replaced_at,
                replaced_by,
                reason: Reason::parse(&reason),
                files: files.into_iter().map(|(f, _)| f).collect(),
                pages,
                confidence: confidence.map(|c| c as f32),
            });
        }
        Ok(out)
    }

    /// Version number `version` of record `id`: its files (with where each
    /// was imported from) and pages; None when the record has no such
    /// version of a class `clearance` reads.
    pub(crate) fn version_content(
        &self,
        id: &RecordId,
        version: i64,
        clearance: &Clearance,
    ) -> Result<Option<Content>> {
        let known: Option<i64> = self
            .conn
            .query_row(
                &format!(
                    "SELECT v.id FROM record_version v WHERE v.n = ?1 AND v.record_id = ?2 AND {}",
                    clearance.classes_sql("v")
                ),
                params![version, id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        known
            .map(|v| content(&self.conn, &Held::Version(v)))
            .transpose()
    }

    /// The live record whose version (of a class `clearance` reads) holds
    /// original `hash`, and that file.
    pub(crate) fn version_file(
        &self,
        hash: &ContentHash,
        clearance: &Clearance,
    ) -> Result<Option<(RecordId, StoredFile)>> {
        let row: Option<(String, String, String, i64)> = self
            .conn
            .query_row(
                &format!(
                    "SELECT v.record_id, f.original_name, f.media_type, f.size
                     FROM version_file f JOIN record_version v ON v.id = f.version_id
                     JOIN record r ON r.id = v.record_id
                     WHERE f.sha256 = ?1 AND r.deleted = 0 AND {} ORDER BY v.id DESC LIMIT 1",
                    clearance.classes_sql("v")
                ),
                [hash.to_hex()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        row.map(|(record, name, media_type, size)| {
            Ok((
                RecordId::parse(&record)?,
                StoredFile {
                    name,
                    sha256: *hash,
                    media_type,
                    size: size.max(0) as u64,
                },
            ))
        })
        .transpose()
    }
}

/// Removes destroyed originals `blobs` from the versions of every other
/// record inside a destruction's transaction (a file a record split off
/// from another is still in that record's versions): their pages and text
/// go, and a version left holding nothing goes too. Returns the thumbnails
/// of the pages removed.
pub(super) fn scrub_versions(tx: &Transaction, blobs: &[String]) -> Result<Vec<String>> {
    let mut thumbnails = Vec::new();
    for sha in blobs {
        let mut stmt = tx.prepare_cached(
            "SELECT thumbnail FROM version_page WHERE file_sha256 = ?1 AND thumbnail IS NOT NULL",
        )?;
        for t in stmt.query_map([sha], |r| r.get::<_, String>(0))? {
            thumbnails.push(t?);
        }
        tx.execute("DELETE FROM version_page WHERE file_sha256 = ?1", [sha])?;
        tx.execute("DELETE FROM version_file WHERE sha256 = ?1", [sha])?;
    }
    tx.execute(
        "DELETE FROM record_version WHERE NOT EXISTS
             (SELECT 1 FROM version_file f WHERE f.version_id = record_version.id)",
        [],
    )?;
    Ok(thumbnails)
}

/// Removes record `sid`'s versions inside a destruction's transaction;
/// returns the blobs they named (originals and thumbnails).
pub(super) fn destroy_versions(tx: &Transaction, sid: &str) -> Result<Vec<String>> {
    let mut stmt = tx.prepare(
        "SELECT f.sha256 FROM version_file f JOIN record_version v ON v.id = f.version_id
             WHERE v.record_id = ?1
         UNION SELECT p.thumbnail FROM version_page p JOIN record_version v ON v.id = p.version_id
             WHERE v.record_id = ?1 AND p.thumbnail IS NOT NULL",
    )?;
    let blobs = stmt
        .query_map([sid], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for sql in [
        "DELETE FROM version_page WHERE version_id IN (SELECT id FROM record_version WHERE record_id = ?1)",
        "DELETE FROM version_file WHERE version_id IN (SELECT id FROM record_version WHERE record_id = ?1)",
        "DELETE FROM record_version WHERE record_id = ?1",
    ] {
        tx.execute(sql, [sid])?;
    }
    Ok(blobs)
}
