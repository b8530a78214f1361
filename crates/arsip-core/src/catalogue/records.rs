//! Records, their files, pages and suggestions; every mutation appends to the
//! change sequence (which the index and sync follow) and to the audit trail, in
//! the same transaction as the mutation itself.

use super::Catalogue;
use crate::access::{AccessLevel, Clearance};
use crate::error::{Error, ErrorCode, Result};
use crate::ids::{ContentHash, RecordId};
use crate::model::{Page, Record, Shelf, StoredFile, Suggestions, TextSource, WordBox};
use rusqlite::{params, OptionalExtension, Row, Transaction};

/// A new record with its original files and their pages (one file, or the
/// page files a scanner wrote for one document, in page order). Ingest
/// leaves `metadata` empty (a person confirms the suggestions later); a
/// caller that already knows the record's fields (an import, the benchmark
/// corpus) sets them.
#[derive(Debug, Clone)]
pub struct NewRecord {
    pub id: RecordId,
    pub title: String,
    pub access: AccessLevel,
    pub series: Option<String>,
    pub files: Vec<NewFile>,
    pub suggestions: Suggestions,
    pub metadata: RecordEdit,
    pub actor: String,
}

/// One original of a new record, with its pages in order.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub file: StoredFile,
    pub original_path: String,
    pub pages: Vec<NewPage>,
}

impl NewRecord {
    /// A born-digital record whose original is already in the blob store,
    /// with one page of text and nothing suggested: the start for imports
    /// of known records, the benchmarks' archives and test fixtures.
    pub fn born_digital(
        title: impl Into<String>,
        file: StoredFile,
        text: impl Into<String>,
        access: AccessLevel,
        actor: &str,
    ) -> NewRecord {
        NewRecord {
            id: RecordId::new(),
            title: title.into(),
            access,
            series: None,
            files: vec![NewFile {
                original_path: file.name.clone(),
                file,
                pages: vec![NewPage {
                    text: text.into(),
                    source: TextSource::Pdf,
                    confidence: None,
                    rotation: 0,
                    words: Vec::new(),
                    thumbnail: None,
                }],
            }],
            suggestions: Suggestions::default(),
            metadata: RecordEdit::default(),
            actor: actor.to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewPage {
    pub text: String,
    pub source: TextSource,
    pub confidence: Option<f32>,
    pub rotation: u32,
    pub words: Vec<WordBox>,
    pub thumbnail: Option<ContentHash>,
}

/// One line of `arsip list`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RecordSummary {
    pub id: RecordId,
    pub title: String,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub access: AccessLevel,
    pub files: u32,
}

/// Field changes made by a person; `None` leaves a field as it is, and an
/// empty text clears it (the title cannot be cleared).
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RecordEdit {
    pub title: Option<String>,
    pub description: Option<String>,
    pub doc_type: Option<String>,
    pub election: Option<String>,
    pub stage: Option<String>,
    pub doc_date: Option<String>,
    pub number: Option<String>,
    pub region: Option<String>,
    pub tps: Option<String>,
    pub classification: Option<String>,
    pub access: Option<AccessLevel>,
    /// A JRA outcome code (see the `retention_outcome` vocabulary).
    pub retention: Option<String>,
    /// Keep until this date (YYYY-MM-DD).
    pub retain_until: Option<String>,
    pub series: Option<String>,
    /// Where the paper sits: building (gedung), shelf (rak), box (boks), folder (map).
    pub building: Option<String>,
    pub shelf: Option<String>,
    pub box_no: Option<String>,
    pub folder: Option<String>,
    /// Why the access class is lowered (declassified): required then, and
    /// kept in the audit trail with the old and new class.
    pub reason: Option<String>,
    /// The berkas (its id) to file the record in; an empty text takes it
    /// out of its berkas. One the caller may not read is not found.
    pub berkas: Option<String>,
}

impl RecordEdit {
    /// The text fields and the columns they are stored in.
    fn text_fields(&self) -> [(&'static str, &Option<String>); 16] {
        [
            ("title", &self.title),
            ("description", &self.description),
            ("doc_type", &self.doc_type),
            ("election", &self.election),
            ("stage", &self.stage),
            ("doc_date", &self.doc_date),
            ("number", &self.number),
            ("region", &self.region),
            ("tps", &self.tps),
            ("classification", &self.classification),
            ("retention", &self.retention),
            ("retain_until", &self.retain_until),
            ("loc_building", &self.building),
            ("loc_shelf", &self.shelf),
            ("loc_box", &self.box_no),
            ("loc_folder", &self.folder),
        ]
    }
}

/// What the index needs to know about a record.
#[derive(Debug, Clone)]
pub struct IndexSource {
    pub record: Record,
    pub pages: Vec<String>,
    pub region_path: Vec<String>,
    pub election_year: Option<i64>,
    /// The name of the office the record belongs to: a registered office's
    /// at a province, else this archive's own.
    pub office: String,
    /// The names of its original files.
    pub files: Vec<String>,
    /// The berkas it is filed in (its id).
    pub berkas: Option<String>,
}

const RECORD_COLUMNS: &str = "r.id, r.title, r.description, r.doc_type, r.election, r.stage, r.doc_date, r.number,
     r.region, r.tps, r.classification, r.access, r.retention, r.retain_until, r.loc_building, r.loc_shelf,
     r.loc_box, r.loc_folder, r.language, s.name, r.personal_data, r.created_at, r.created_by, r.updated_at,
     r.updated_by, r.version";

fn record_from_row(row: &Row) -> rusqlite::Result<(Record, String)> {
    let id: String = row.get(0)?;
    let access: String = row.get(11)?;
    let parsed = RecordId::parse(&id).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })?;
    let record = Record {
        id: parsed,
        title: row.get(1)?,
        description: row.get(2)?,
        doc_type: row.get(3)?,
        election: row.get(4)?,
        stage: row.get(5)?,
        doc_date: row.get(6)?,
        number: row.get(7)?,
        region: row.get(8)?,
        tps: row.get(9)?,
        classification: row.get(10)?,
        // An unknown class reads as the most restricted: fail closed.
        access: AccessLevel::parse(&access).unwrap_or(AccessLevel::SangatRahasia),
        retention: row.get(12)?,
        retain_until: row.get(13)?,
        location: Shelf {
            building: row.get(14)?,
            shelf: row.get(15)?,
            box_no: row.get(16)?,
            folder: row.get(17)?,
        },
        language: row.get(18)?,
        series: row.get(19)?,
        tags: Vec::new(),
        personal_data: row.get(20)?,
        created_at: row.get(21)?,
        created_by: row.get(22)?,
        updated_at: row.get(23)?,
        updated_by: row.get(24)?,
        version: row.get(25)?,
    };
    Ok((record, id))
}

pub(crate) fn record_change(tx: &Transaction, id: &str, kind: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO change (record_id, kind, at) VALUES (?1, ?2, ?3)",
        (id, kind, crate::clock::now_rfc3339()),
    )?;
    Ok(())
}

pub(crate) fn series_id(tx: &Transaction, name: Option<&str>) -> Result<Option<i64>> {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    tx.execute("INSERT OR IGNORE INTO series (name) VALUES (?1)", [name])?;
    Ok(Some(tx.query_row(
        "SELECT id FROM series WHERE name = ?1",
        [name],
        |r| r.get(0),
    )?))
}

/// The outcome of adding an ingested record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inserted {
    Added,
    /// The same bytes are already catalogued, under this record.
    Duplicate(RecordId),
}

impl Catalogue {
    /// Adds a record with its file and pages in one transaction. If the file's
    /// hash is already catalogued, nothing is written and the owner is returned.
    #[cfg(any(test, feature = "test-support"))]
    pub fn insert_record(&mut self, new: &NewRecord) -> Result<Inserted> {
        let mut out = self.insert_records(std::slice::from_ref(new))?;
        out.pop()
            .ok_or_else(|| Error::new(ErrorCode::Internal, "no insert outcome"))
    }

    /// Adds the records read by ingest jobs, and finishes those jobs (with
    /// the first record added), in one transaction. `batch`: the file the
    /// records were split from, remembered so that it is found archived.
    pub fn insert_records_of_jobs(
        &mut self,
        new: &[&NewRecord],
        jobs: &[i64],
        batch: Option<&ContentHash>,
    ) -> Result<Vec<Inserted>> {
        let tx = self.write()?;
        let inserted = new
            .iter()
            .map(|r| insert_in(&tx, r))
            .collect::<Result<Vec<_>>>()?;
        let added = new
            .iter()
            .zip(&inserted)
            .find(|(_, i)| **i == Inserted::Added)
            .map(|(r, _)| r.id);
        if let Some(id) = added {
            let mut done = tx.prepare_cached(
                "UPDATE job SET state = 'done', record_id = ?1, updated_at = ?2 WHERE id = ?3",
            )?;
            let now = crate::clock::now_rfc3339();
            for job in jobs {
                done.execute(params![id.to_string(), now, job])?;
            }
            if let Some(batch) = batch {
                tx.execute(
                    "INSERT OR REPLACE INTO split_file (sha256, record_id, at) VALUES (?1, ?2, ?3)",
                    params![batch.to_hex(), id.to_string(), now],
                )?;
            }
        }
        tx.commit()?;
        Ok(inserted)
    }

    /// Adds records in one transaction: all of them or, on an error, none.
    #[cfg(any(test, feature = "test-support"))]
    pub fn insert_records(&mut self, new: &[NewRecord]) -> Result<Vec<Inserted>> {
        let tx = self.write()?;
        let out = new
            .iter()
            .map(|r| insert_in(&tx, r))
            .collect::<Result<Vec<_>>>()?;
        tx.commit()?;
        Ok(out)
    }

    pub fn record(&self, id: &RecordId) -> Result<Option<Record>> {
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM record r LEFT JOIN series s ON s.id = r.series_id
             WHERE r.id = ?1 AND r.deleted = 0"
        );
        // Cached: search reads each hit's record, on every search.
        let found = self
            .conn
            .prepare_cached(&sql)?
            .query_row([id.to_string()], record_from_row)
            .optional()?;
        let Some((mut record, id)) = found else {
            return Ok(None);
        };
        let mut stmt = self
            .conn
            .prepare_cached("SELECT tag FROM record_tag WHERE record_id = ?1 ORDER BY tag")?;
        record.tags = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(record))
    }

    /// The thumbnail of one page, if the page exists and has one.
    pub fn page_thumbnail(&self, id: &RecordId, page: u32) -> Result<Option<ContentHash>> {
        let hex: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT thumbnail FROM page WHERE record_id = ?1 AND number = ?2",
                (id.to_string(), page),
                |r| r.get(0),
            )
            .optional()?;
        hex.flatten().map(|h| ContentHash::parse(&h)).transpose()
    }

    /// Where a page's image comes from: its file, its number within that
    /// file (a record of several files numbers its pages on from file to
    /// file; each file's pages keep their order) and its rotation.
    pub fn page_source(&self, id: &RecordId, page: u32) -> Result<Option<(ContentHash, u32, u32)>> {
        let row: Option<(String, u32, u32)> = self
            .conn
            .query_row(
                "SELECT p.file_sha256, p.rotation,
                     (SELECT COUNT(*) FROM page q WHERE q.record_id = p.record_id
                         AND q.file_sha256 = p.file_sha256 AND q.number <= p.number)
                 FROM page p WHERE p.record_id = ?1 AND p.number = ?2",
                (id.to_string(), page),
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        row.map(|(file, rotation, in_file)| Ok((ContentHash::parse(&file)?, in_file, rotation)))
            .transpose()
    }

    pub fn files(&self, id: &RecordId) -> Result<Vec<StoredFile>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT original_name, sha256, media_type, size FROM file WHERE record_id = ?1 ORDER BY rowid",
        )?;
        let rows = stmt.query_map([id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (name, sha, media_type, size) = row?;
            out.push(StoredFile {
                name,
                sha256: ContentHash::parse(&sha)?,
                media_type,
                size: size as u64,
            });
        }
        Ok(out)
    }

    pub fn pages(&self, id: &RecordId) -> Result<Vec<Page>> {
        read_pages(&self.conn, "page", "record_id", &id.to_string())
    }

    /// Page texts only, in order (for search snippets and matching pages).
    pub fn page_texts(&self, id: &RecordId) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT text FROM page WHERE record_id = ?1 ORDER BY number")?;
        let rows = stmt.query_map([id.to_string()], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn suggestions(&self, id: &RecordId) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT field, value FROM suggestion WHERE record_id = ?1 ORDER BY field")?;
        let rows = stmt.query_map([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records `clearance` may read, newest first.
    pub fn list(&self, clearance: &Clearance) -> Result<Vec<RecordSummary>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT r.id, r.title, r.doc_type, r.access, (SELECT COUNT(*) FROM file f WHERE f.record_id = r.id)
             FROM record r WHERE {} ORDER BY r.created_at DESC, r.id DESC",
            clearance.visible_sql()
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get::<_, String>(3)?,
                r.get(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, title, doc_type, access, files) = row?;
            out.push(RecordSummary {
                id: RecordId::parse(&id)?,
                title,
                doc_type,
                access: AccessLevel::parse(&access)?,
                files,
            });
        }
        Ok(out)
    }

    /// Applies the same edits to many records in one transaction: all of them
    /// or, when one is unknown or unreadable to `clearance`, a value is
    /// invalid, or a class change is not the caller's to make, none.
    /// Vocabulary codes are validated through foreign keys. Returns how many
    /// records changed.
    pub fn edit_records(
        &mut self,
        ids: &[RecordId],
        edit: &RecordEdit,
        clearance: &Clearance,
    ) -> Result<usize> {
        let tx = self.write()?;
        let mut count = 0;
        for id in ids {
            if edit_in(&tx, &id.to_string(), edit, clearance)? {
                count += 1;
            }
        }
        tx.commit()?;
        Ok(count)
    }

    /// Marks a record deleted (a tombstone; its files stay for fixity and
    /// sync), when `clearance` may read it.
    pub fn delete_record(&mut self, id: &RecordId, clearance: &Clearance) -> Result<()> {
        let actor = clearance.actor();
        let tx = self.write()?;
        let sid = id.to_string();
        writable(&tx, &sid, clearance)?;
        // A berkas on its way out, or gone, keeps what its list names.
        super::berkas::record_unlocked(&tx, &sid)?;
        let n = tx.execute(
            "UPDATE record SET deleted = 1, version = version + 1, updated_at = ?1, updated_by = ?2
             WHERE id = ?3 AND deleted = 0",
            (crate::clock::now_rfc3339(), actor, &sid),
        )?;
        if n == 0 {
            return Err(Error::new(ErrorCode::NotFound, sid));
        }
        record_change(&tx, &sid, "delete")?;
        crate::audit::append(&tx, actor, "record.delete", &sid, "")?;
        tx.commit()?;
        Ok(())
    }

    /// The office that sent record `id` (at a province), by its name (its
    /// key when it has none); None for this archive's own.
    pub(crate) fn sent_by(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT CASE WHEN r.office IS NOT NULL THEN COALESCE(p.name, r.office) END
                 FROM record r LEFT JOIN peer p ON p.key = r.office WHERE r.id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    /// The class of live record `id` when `clearance` reads it; NotFound
    /// otherwise.
    pub(crate) fn readable_class(&self, id: &str, clearance: &Clearance) -> Result<AccessLevel> {
        readable(&self.conn, id, clearance).map(|(level, _)| level)
    }

    /// A record's (or a berkas's) title and class, deleted or not (None
    /// for an unknown id): the audit trail names a record by it, and hides
    /// what it says of one above the reader's clearance. An unknown class
    /// reads as the highest.
    pub fn record_title(&self, id: &str) -> Result<Option<(String, AccessLevel)>> {
        let row: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT title, access FROM record WHERE id = ?1
                 UNION ALL SELECT title, access FROM berkas WHERE id = ?1
                 UNION ALL SELECT 'Daftar penyusutan', access FROM disposal WHERE id = ?1 LIMIT 1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(row.map(|(title, access)| {
            let level = AccessLevel::parse(&access).unwrap_or(AccessLevel::SangatRahasia);
            (title, level)
        }))
    }

    /// Reflags every record when the privacy rules changed since the flags
    /// were computed (an archive made by an older version); returns how
    /// many records were looked at.
    pub fn refresh_personal_flags(&mut self) -> Result<usize> {
        let rules: i64 =
            self.conn
                .query_row("SELECT privacy_rules FROM office WHERE id = 1", [], |r| {
                    r.get(0)
                })?;
        if rules >= crate::privacy::RULES {
            return Ok(0);
        }
        let tx = self.write()?;
        let ids: Vec<String> = tx
            .prepare("SELECT id FROM record")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in &ids {
            flag_personal(&tx, id)?;
        }
        tx.execute(
            "UPDATE office SET privacy_rules = ?1 WHERE id = 1",
            [crate::privacy::RULES],
        )?;
        tx.commit()?;
        Ok(ids.len())
    }

    /// Everything the index stores for a record; None for a deleted or unknown one.
    pub fn index_source(&self, id: &RecordId) -> Result<Option<IndexSource>> {
        let Some(record) = self.record(id)? else {
            return Ok(None);
        };
        let pages = self.page_texts(id)?;
        let mut region_path = Vec::new();
        let mut code = record.region.clone();
        while let Some(c) = code {
            region_path.push(c.clone());
            code = self
                .conn
                .query_row("SELECT parent FROM region WHERE code = ?1", [&c], |r| {
                    r.get(0)
                })
                .optional()?
                .flatten();
        }
        region_path.reverse();
        let election_year = match &record.election {
            Some(e) => self
                .conn
                .query_row("SELECT year FROM election WHERE code = ?1", [e], |r| {
                    r.get(0)
                })
                .optional()?,
            None => None,
        };
        let office: String = self.conn.query_row(
            "SELECT COALESCE((SELECT p.name FROM record r JOIN peer p ON p.key = r.office WHERE r.id = ?1),
                             (SELECT name FROM office WHERE id = 1))",
            [record.id.to_string()],
            |r| r.get(0),
        )?;
        let files = self.files(id)?.into_iter().map(|f| f.name).collect();
        let berkas: Option<String> = self.conn.query_row(
            "SELECT berkas_id FROM record WHERE id = ?1",
            [record.id.to_string()],
            |r| r.get(0),
        )?;
        Ok(Some(IndexSource {
            files,
            berkas,
            record,
            pages,
            region_path,
            election_year,
            office,
        }))
    }

    /// Live records of one series (or all) up to an access level, oldest
    /// first, for a handover. An unknown series is an error, not an empty bag.
    pub fn handover_ids(
        &self,
        series: Option<&str>,
        clearance: &Clearance,
    ) -> Result<Vec<RecordId>> {
        if let Some(name) = series {
            let known: Option<i64> = self
                .conn
                .query_row("SELECT id FROM series WHERE name = ?1", [name], |r| {
                    r.get(0)
                })
                .optional()?;
            if known.is_none() {
                return Err(Error::new(ErrorCode::NotFound, format!("series '{name}'")));
            }
        }
        let mut stmt = self.conn.prepare(&format!(
            "SELECT r.id FROM record r LEFT JOIN series s ON s.id = r.series_id
             WHERE {} AND (?1 IS NULL OR s.name = ?1)
             ORDER BY r.created_at, r.id",
            clearance.visible_sql()
        ))?;
        let rows = stmt.query_map(params![series], |r| r.get::<_, String>(0))?;
        rows.map(|r| RecordId::parse(&r?)).collect()
    }

    /// Ids of all live records, in creation order.
    pub fn live_record_ids(&self) -> Result<Vec<RecordId>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM record WHERE deleted = 0 ORDER BY rowid")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.map(|r| RecordId::parse(&r?)).collect()
    }

    /// Every blob the catalogue refers to, with the record it belongs to
    /// (its content now, or an earlier version's).
    pub fn blob_refs(&self) -> Result<Vec<(ContentHash, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT sha256, record_id FROM file
             UNION SELECT thumbnail, record_id FROM page WHERE thumbnail IS NOT NULL
             UNION SELECT f.sha256, v.record_id FROM version_file f
                 JOIN record_version v ON v.id = f.version_id
             UNION SELECT p.thumbnail, v.record_id FROM version_page p
                 JOIN record_version v ON v.id = p.version_id WHERE p.thumbnail IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (sha, rec) = row?;
            out.push((ContentHash::parse(&sha)?, rec));
        }
        Ok(out)
    }

    /// The live record holding a file, if any: a deleted record's original
    /// may be archived again.
    pub fn has_file(&self, hash: &ContentHash) -> Result<Option<RecordId>> {
        let owner = self
            .conn
            .query_row(
                "SELECT f.record_id FROM file f JOIN record r ON r.id = f.record_id
                 WHERE f.sha256 = ?1 AND r.deleted = 0 LIMIT 1",
                [hash.to_hex()],
                |r| r.get::<_, String>(0),
            )
            .optional()?;
        owner.map(|o| RecordId::parse(&o)).transpose()
    }

    /// The record holding a file ingest is given: the file itself, or, for a
    /// batch split at its separator sheets, the record of its first part,
    /// or the record an earlier version of which holds it.
    pub fn archived(&self, hash: &ContentHash) -> Result<Option<RecordId>> {
        if let Some(owner) = self.has_file(hash)? {
            return Ok(Some(owner));
        }
        // A batch split into records, or a record's earlier version.
        let owner = self
            .conn
            .query_row(
                "SELECT s.record_id FROM split_file s JOIN record r ON r.id = s.record_id
                 WHERE s.sha256 = ?1 AND r.deleted = 0
                 UNION ALL SELECT v.record_id FROM version_file f
                     JOIN record_version v ON v.id = f.version_id
                     JOIN record r ON r.id = v.record_id
                 WHERE f.sha256 = ?1 AND r.deleted = 0
                 LIMIT 1",
                [hash.to_hex()],
                |r| r.get::<_, String>(0),
            )
            .optional()?;
        owner.map(|o| RecordId::parse(&o)).transpose()
    }
}

fn insert_in(tx: &Transaction, new: &NewRecord) -> Result<Inserted> {
    if new.files.is_empty() {
        return Err(Error::new(ErrorCode::Internal, "a record without a file"));
    }
    for f in &new.files {
        let owner: Option<String> = tx
            .query_row(
                "SELECT f.record_id FROM file f JOIN record r ON r.id = f.record_id
                 WHERE f.sha256 = ?1 AND r.deleted = 0 LIMIT 1",
                [f.file.sha256.to_hex()],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(owner) = owner {
            return Ok(Inserted::Duplicate(RecordId::parse(&owner)?));
        }
    }
    let id = new.id.to_string();
    let now = crate::clock::now_rfc3339();
    let series = series_id(tx, new.series.as_deref())?;
    tx.execute(
        "INSERT INTO record (id, title, access, series_id, created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6)",
        params![id, new.title, new.access.code(), series, now, new.actor],
    )?;
    let fields = apply_fields(tx, &id, &new.metadata)?;
    if fields.is_empty() {
        // Read from its text only: a person checks what was suggested.
        tx.execute("UPDATE record SET reviewed = 0 WHERE id = ?1", [&id])?;
    }
    let number = insert_files(tx, &id, &new.files)?;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO suggestion (record_id, field, value) VALUES (?1, ?2, ?3)",
        )?;
        for (field, value) in new.suggestions.fields() {
            stmt.execute((&id, field, value))?;
        }
    }
    flag_personal(tx, &id)?;
    super::recap::read_in(tx, &id)?;
    record_change(tx, &id, "create")?;
    crate::audit::append(
        tx,
        &new.actor,
        "record.ingest",
        &id,
        &format!(
            "{}, {number} pages{}",
            files_named(&new.files),
            fields.iter().map(|f| format!("; {f}")).collect::<String>()
        ),
    )?;
    Ok(Inserted::Added)
}

/// How the audit trail names a record's new files: name and hash.
pub(super) fn files_named(files: &[NewFile]) -> String {
    let named: Vec<String> = files
        .iter()
        .map(|f| format!("{} ({})", f.file.name, f.file.sha256.to_hex()))
        .collect();
    named.join(", ")
}

/// Writes `files` and their pages, numbered in order, as record `id`'s
/// content (which has none); returns how many pages.
pub(super) fn insert_files(tx: &Transaction, id: &str, files: &[NewFile]) -> Result<u32> {
    let mut number = 0;
    for f in files {
        let sha = f.file.sha256.to_hex();
        tx.execute(
            "INSERT INTO file (sha256, record_id, media_type, size, original_name, original_path)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                sha,
                id,
                f.file.media_type,
                f.file.size as i64,
                f.file.name,
                f.original_path
            ],
        )?;
        let mut stmt = tx.prepare_cached(
            "INSERT INTO page (record_id, number, file_sha256, text, source, confidence, rotation, words, thumbnail)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for p in &f.pages {
            number += 1;
            let words = if p.words.is_empty() {
                None
            } else {
                serde_json::to_string(&p.words).ok()
            };
            stmt.execute(params![
                id,
                number,
                sha,
                p.text,
                p.source.code(),
                p.confidence,
                p.rotation,
                words,
                p.thumbnail.map(|h| h.to_hex()),
            ])?;
        }
    }
    Ok(number)
}
/// The pages held in `table` (`page`, or `version_page` for an earlier
/// version) under `key` in column `by`, in order.
pub(super) fn read_pages(
    conn: &rusqlite::Connection,
    table: &str,
    by: &str,
    key: &str,
) -> Result<Vec<Page>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT number, text, source, confidence, rotation, words, file_sha256, thumbnail
         FROM {table} WHERE {by} = ?1 ORDER BY number"
    ))?;
    let rows = stmt.query_map([key], |r| {
        Ok((
            r.get::<_, u32>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<f64>>(3)?,
            r.get::<_, u32>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, Option<String>>(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (number, text, source, confidence, rotation, words, file, thumb) = row?;
        out.push(Page {
            number,
            text,
            source: TextSource::parse(&source),
            confidence: confidence.map(|c| c as f32),
            rotation,
            words: words
                .and_then(|w| serde_json::from_str(&w).ok())
                .unwrap_or_default(),
            file: ContentHash::parse(&file)?,
            thumbnail: thumb.as_deref().map(ContentHash::parse).transpose()?,
        });
    }
    Ok(out)
}

/// One record's edit inside a write transaction; whether anything changed.
/// A person's edit is a review: the record leaves the review queue.
pub(super) fn edit_in(
    tx: &Transaction,
    sid: &str,
    edit: &RecordEdit,
    clearance: &Clearance,
) -> Result<bool> {
    let actor = clearance.actor();
    // Checked inside the write transaction: the class cannot change
    // between the check and the edit.
    let from = writable(tx, sid, clearance)?;
    let mut changed = Vec::new();
    if let Some(to) = edit.access.filter(|to| *to != from) {
        clearance.check_reclassify(from, to, edit.reason.as_deref())?;
        changed.push(format!("access={}->{}", from.code(), to.code()));
        if to < from {
            changed.push(format!(
                "reason={}",
                edit.reason.as_deref().unwrap_or_default().trim()
            ));
        }
    }
    changed.extend(apply_fields(tx, sid, edit)?);
    if let Some(berkas) = &edit.berkas {
        changed.push(super::berkas::file_in(tx, sid, berkas, clearance)?);
    }
    if changed.is_empty() {
        return Ok(false);
    }
    flag_personal(tx, sid)?;
    tx.execute(
        "UPDATE record SET version = version + 1, updated_at = ?1, updated_by = ?2, reviewed = 1
         WHERE id = ?3",
        (crate::clock::now_rfc3339(), actor, sid),
    )?;
    record_change(tx, sid, "update")?;
    crate::audit::append(tx, actor, "record.edit", sid, &changed.join("; "))?;
    Ok(true)
}

/// The class of a live record `clearance` may read and this archive may
/// change: NotFound when it may not read it (no hint that a restricted
/// record exists); OtherOffice for a record another office sent to this
/// province (its office changes it, and sync brings the change: a change
/// made here would be overwritten, or stop that office's log here).
pub(super) fn writable(
    tx: &rusqlite::Connection,
    sid: &str,
    clearance: &Clearance,
) -> Result<AccessLevel> {
    let (level, office) = readable(tx, sid, clearance)?;
    match office {
        None => Ok(level),
        Some(_) => Err(Error::new(ErrorCode::OtherOffice, sid.to_string())),
    }
}

/// The class of a live record `clearance` may read, and the office that
/// sent it (None for this archive's own); NotFound otherwise.
fn readable(
    tx: &rusqlite::Connection,
    sid: &str,
    clearance: &Clearance,
) -> Result<(AccessLevel, Option<String>)> {
    let row: Option<(String, Option<String>)> = tx
        .query_row(
            "SELECT access, office FROM record WHERE id = ?1 AND deleted = 0",
            [sid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    row.map(|(a, office)| {
        (
            AccessLevel::parse(&a).unwrap_or(AccessLevel::SangatRahasia),
            office,
        )
    })
    .filter(|(level, _)| clearance.can_read(*level))
    .ok_or_else(|| Error::new(ErrorCode::NotFound, sid.to_string()))
}

/// Recomputes a record's personal-data flag (any run of 15+ digits, after
/// `privacy`'s rules) from every text it holds: its
/// fields, series, file names, page text and suggestions. Run at ingest,
/// at every edit and when a province applies an office's record.
pub(crate) fn flag_personal(conn: &rusqlite::Connection, sid: &str) -> Result<bool> {
    let mut texts: Vec<String> = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT title FROM record WHERE id = ?1
         UNION ALL SELECT description FROM record WHERE id = ?1
         UNION ALL SELECT number FROM record WHERE id = ?1
         UNION ALL SELECT tps FROM record WHERE id = ?1
         UNION ALL SELECT stage FROM record WHERE id = ?1
         UNION ALL SELECT loc_building FROM record WHERE id = ?1
         UNION ALL SELECT loc_shelf FROM record WHERE id = ?1
         UNION ALL SELECT loc_box FROM record WHERE id = ?1
         UNION ALL SELECT loc_folder FROM record WHERE id = ?1
         UNION ALL SELECT s.name FROM record r JOIN series s ON s.id = r.series_id WHERE r.id = ?1
         UNION ALL SELECT tag FROM record_tag WHERE record_id = ?1
         UNION ALL SELECT original_name FROM file WHERE record_id = ?1
         UNION ALL SELECT value FROM suggestion WHERE record_id = ?1
         UNION ALL SELECT text FROM page WHERE record_id = ?1",
    )?;
    let rows = stmt.query_map([sid], |r| r.get::<_, Option<String>>(0))?;
    for row in rows {
        texts.extend(row?);
    }
    // Fail safe: any number the public would see masked flags the record,
    // NIK-shaped or not, since its original and page images show it whole
    // (a NIK whose digits OCR got partly wrong fails the structure check).
    let flag = texts.iter().any(|t| crate::privacy::has_long_number(t));
    conn.execute(
        "UPDATE record SET personal_data = ?2 WHERE id = ?1 AND personal_data != ?2",
        (sid, flag),
    )?;
    Ok(flag)
}

/// Sets the fields an edit names; returns them as `column=value` for the audit trail.
fn apply_fields(tx: &Transaction, sid: &str, edit: &RecordEdit) -> Result<Vec<String>> {
    let mut changed = Vec::new();
    for (column, value) in edit.text_fields() {
        let Some(v) = value else { continue };
        let v = v.trim();
        if v.is_empty() && column == "title" {
            return Err(Error::new(ErrorCode::InvalidInput, "title: empty"));
        }
        for_dates(column, v)?;
        let stored = (!v.is_empty()).then_some(v);
        let sql = format!("UPDATE record SET {column} = ?1 WHERE id = ?2");
        tx.prepare_cached(&sql)?
            .execute((stored, sid))
            .map_err(|e| invalid_value(column, v, e))?;
        changed.push(format!("{column}={v}"));
    }
    // A class change is checked and written to the audit trail by the
    // caller (`edit_records`), which knows the old class; an insert sets it.
    if let Some(level) = edit.access {
        tx.execute(
            "UPDATE record SET access = ?1 WHERE id = ?2",
            (level.code(), sid),
        )?;
    }
    if let Some(series) = &edit.series {
        let id = series_id(tx, Some(series))?;
        tx.execute("UPDATE record SET series_id = ?1 WHERE id = ?2", (id, sid))?;
        changed.push(format!("series={series}"));
    }
    Ok(changed)
}

/// Dates are stored as ISO 8601 calendar dates, so they sort and filter.
fn for_dates(column: &str, v: &str) -> Result<()> {
    let is_date = matches!(column, "doc_date" | "retain_until");
    let format = time::macros::format_description!("[year]-[month]-[day]");
    if is_date && !v.is_empty() && time::Date::parse(v, format).is_err() {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("{column}: '{v}' (YYYY-MM-DD)"),
        ));
    }
    Ok(())
}

fn invalid_value(column: &str, value: &str, e: rusqlite::Error) -> Error {
    match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Error::new(
                ErrorCode::InvalidInput,
                format!("{column}: unknown value '{value}'"),
            )
        }
        other => other.into(),
    }
}
