//! The province's side of sync: the offices it has registered (their keys and
//! how far their logs are applied), and applying a verified segment. A segment
//! is applied whole or not at all, only directly after the one applied before
//! it, and only to records that belong to the office that signed it.

use super::records::{record_change, series_id};
use super::Catalogue;
use crate::error::{Error, ErrorCode, Result};
use crate::sync::segment::{BerkasState, Destroyed, Entry, RecordState, SegmentBody};
use rusqlite::{params, OptionalExtension, Transaction};

/// Migration 3, the province's part (after log.rs's).
pub(super) const SCHEMA: &str = r#"
ALTER TABLE office ADD COLUMN kind TEXT NOT NULL DEFAULT 'office' CHECK (kind IN ('office', 'province'));
ALTER TABLE record ADD COLUMN office TEXT;
CREATE INDEX record_office ON record(office);
CREATE TABLE peer (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    applied_seq INTEGER NOT NULL DEFAULT 0,
    applied_hash TEXT NOT NULL DEFAULT '',
    registered_at TEXT NOT NULL
);
CREATE TABLE remote_blob (
    sha256 TEXT PRIMARY KEY,
    source TEXT NOT NULL
);
"#;

/// Migration 6: an office's key replaced by a new one (`replace_peer_key`):
/// its old log stays in the store and is neither applied nor reported.
pub(super) const RETIRED_SCHEMA: &str = r#"
CREATE TABLE retired_key (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    retired_at TEXT NOT NULL
);
"#;

/// An office registered at this (provincial) archive.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Peer {
    pub key: String,
    pub name: String,
    pub applied_seq: i64,
    pub applied_hash: String,
}

impl Catalogue {
    pub fn set_province(&mut self) -> Result<()> {
        let tx = self.write()?;
        tx.execute("UPDATE office SET kind = 'province' WHERE id = 1", [])?;
        crate::audit::append(&tx, "system", "office.province", "", "")?;
        tx.commit()?;
        Ok(())
    }

    pub fn is_province(&self) -> Result<bool> {
        let kind: String =
            self.conn
                .query_row("SELECT kind FROM office WHERE id = 1", [], |r| r.get(0))?;
        Ok(kind == "province")
    }

    pub fn add_peer(&mut self, name: &str, key: &str, actor: &str) -> Result<()> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::new(ErrorCode::InvalidInput, "office name: empty"));
        }
        let tx = self.write()?;
        refuse_taken(&tx, key, Some(name))?;
        tx.execute(
            "INSERT INTO peer (key, name, registered_at) VALUES (?1, ?2, ?3)",
            (key, name, crate::clock::now_rfc3339()),
        )?;
        crate::audit::append(&tx, actor, "office.add", key, name)?;
        tx.commit()?;
        Ok(())
    }

    /// Keys replaced by an office's new one.
    pub fn retired_keys(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT key FROM retired_key")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn peers(&self) -> Result<Vec<Peer>> {
        let mut stmt = self
            .conn
            .prepare("SELECT key, name, applied_seq, applied_hash FROM peer ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok(Peer {
                key: r.get(0)?,
                name: r.get(1)?,
                applied_seq: r.get(2)?,
                applied_hash: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Applies a verified segment of `peer`'s log in one transaction. Returns
    /// how many records it changed.
    pub fn apply_segment(
        &mut self,
        peer: &Peer,
        body: &SegmentBody,
        hash: &str,
        source: &str,
    ) -> Result<usize> {
        let tx = self.write()?;
        let moved = tx.execute(
            "UPDATE peer SET applied_seq = ?1, applied_hash = ?2
             WHERE key = ?3 AND applied_seq = ?4 AND applied_hash = ?5",
            params![body.to, hash, peer.key, body.from, body.prev],
        )?;
        if moved != 1 {
            return Err(Error::new(
                ErrorCode::SegmentRejected,
                format!(
                    "segment {}-{} does not follow what is applied of {}",
                    body.from, body.to, peer.name
                ),
            ));
        }
        for entry in &body.entries {
            let here: Option<(Option<String>, i64, bool)> = tx
                .query_row(
                    "SELECT office, version, deleted FROM record WHERE id = ?1",
                    [&entry.id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            if let Some((owner, version, deleted)) = here {
                if owner.as_deref() != Some(peer.key.as_str()) {
                    return Err(Error::new(
                        ErrorCode::SegmentRejected,
                        format!("record {} belongs to another office", entry.id),
                    ));
                }
                // An office's log only moves a record forward. An older
                // state (or a deleted record coming back) means the office
                // was rebuilt from an older copy than this province holds:
                // applying it would undo changes, a restriction among them.
                // A destruction undoes nothing: a rebuilt office's log
                // carries its tombstones again at the version already here.
                if let (Some(state), None) = (&entry.state, &entry.destroyed) {
                    if state.version < version || (deleted && state.version <= version) {
                        return Err(Error::new(
                            ErrorCode::SegmentRejected,
                            format!(
                                "record {}: version {} is older than the version {version} already here \
                                 (was the office rebuilt from an older copy? rebuild it from the province's store)",
                                entry.id, state.version
                            ),
                        ));
                    }
                }
            }
            apply_entry(&tx, entry, Some((&peer.key, source)), "sync")?;
            record_change(&tx, &entry.id, "sync")?;
        }
        drop_empty_berkas(&tx, &peer.key)?;
        crate::audit::append(
            &tx,
            "sync",
            "sync.apply",
            &peer.name,
            &format!(
                "{}-{}: {} records; office audit head {}",
                body.from,
                body.to,
                body.entries.len(),
                body.audit
            ),
        )?;
        tx.commit()?;
        Ok(body.entries.len())
    }

    /// Takes a verified segment of this office's own log (read back from
    /// where it was pushed) as its own records, in one transaction: a
    /// rebuilt office's records, each a change of its new log.
    pub fn adopt_segment(&mut self, body: &SegmentBody) -> Result<usize> {
        let tx = self.write()?;
        for entry in &body.entries {
            apply_entry(&tx, entry, None, "restore")?;
            record_change(&tx, &entry.id, "restore")?;
        }
        tx.commit()?;
        Ok(body.entries.len())
    }

    /// Gives the office registered as `name` a new key (an office rebuilt
    /// after losing its disk, and its key with it): its records move to the
    /// new key, and its log is read again from the start, since the rebuilt
    /// office's log starts anew.
    pub fn replace_peer_key(&mut self, name: &str, key: &str, actor: &str) -> Result<()> {
        let tx = self.write()?;
        let old: String = tx
            .query_row("SELECT key FROM peer WHERE name = ?1", [name], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("office {name}")))?;
        refuse_taken(&tx, key, None)?;
        tx.execute(
            "UPDATE peer SET key = ?1, applied_seq = 0, applied_hash = '' WHERE name = ?2",
            (key, name),
        )?;
        for table in ["record", "berkas"] {
            tx.execute(
                &format!("UPDATE {table} SET office = ?1 WHERE office = ?2"),
                (key, &old),
            )?;
        }
        // The same office under its new key, not another one.
        tx.execute(
            "UPDATE OR IGNORE seen_blob SET office = ?1 WHERE office = ?2",
            (key, &old),
        )?;
        tx.execute("DELETE FROM seen_blob WHERE office = ?1", [&old])?;
        tx.execute(
            "INSERT OR REPLACE INTO retired_key (key, name, retired_at) VALUES (?1, ?2, ?3)",
            (&old, name, crate::clock::now_rfc3339()),
        )?;
        crate::audit::append(&tx, actor, "office.rekey", name, &format!("{old} -> {key}"))?;
        tx.commit()?;
        Ok(())
    }

    /// The kab/kota (a two-part code, e.g. `32.71`) most live records are
    /// filed under.
    pub fn main_region(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT substr(region, 1, 5) AS kabkota FROM record
                 WHERE deleted = 0 AND region GLOB '[0-9][0-9].[0-9][0-9]*'
                 GROUP BY kabkota ORDER BY count(*) DESC, kabkota LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Where an original left in the object store can be fetched from.
    pub fn remote_blob(&self, sha256: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT source FROM remote_blob WHERE sha256 = ?1",
                [sha256],
                |r| r.get(0),
            )
            .optional()?)
    }
}

/// A key (or, when given, a name) another registered office already has.
fn refuse_taken(tx: &Transaction, key: &str, name: Option<&str>) -> Result<()> {
    let taken: Option<String> = tx
        .query_row(
            "SELECT name FROM peer WHERE key = ?1 OR name = ?2",
            (key, name),
            |r| r.get(0),
        )
        .optional()?;
    match taken {
        Some(other) => Err(Error::new(
            ErrorCode::InvalidInput,
            format!("already registered: {other}"),
        )),
        None => Ok(()),
    }
}

/// Applies one entry of a log: a record's state, its deletion, or its
/// destruction. `replica` as for `upsert`; `actor` names who applied it.
fn apply_entry(
    tx: &Transaction,
    entry: &Entry,
    replica: Option<(&str, &str)>,
    actor: &str,
) -> Result<()> {
    if let Some(destroyed) = &entry.destroyed {
        return destroy_copy(tx, entry, destroyed, replica, actor);
    }
    match &entry.state {
        Some(state) => upsert(tx, &entry.id, state, replica),
        None => {
            tx.execute(
                "UPDATE record SET deleted = 1, version = version + 1 WHERE id = ?1 AND deleted = 0",
                [&entry.id],
            )?;
            Ok(())
        }
    }
}

/// Destroys this archive's copy of a record its office destroyed: its
/// pages, text and files go, the blobs no record here uses any more wait
/// in `blob_purge` (and are no longer fetched from the store), and the
/// tombstone (the entry's state, when it has one) stays, naming the BA.
/// At a province (`replica`), those blobs and the ones the office says it
/// removed wait in `store_purge` to leave the store (`Archive::sync_pull`).
fn destroy_copy(
    tx: &Transaction,
    entry: &Entry,
    destroyed: &Destroyed,
    replica: Option<(&str, &str)>,
    actor: &str,
) -> Result<()> {
    let id = entry.id.as_str();
    let held: Vec<String> = {
        let mut stmt = tx.prepare_cached(
            "SELECT sha256 FROM file WHERE record_id = ?1
             UNION SELECT thumbnail FROM page WHERE record_id = ?1 AND thumbnail IS NOT NULL",
        )?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let existed = !held.is_empty()
        || tx
            .query_row("SELECT 1 FROM record WHERE id = ?1", [id], |_| Ok(()))
            .optional()?
            .is_some();
    for sql in [
        "DELETE FROM recap_row WHERE record_id = ?1",
        "DELETE FROM recap WHERE record_id = ?1",
        "DELETE FROM suggestion WHERE record_id = ?1",
        "DELETE FROM page WHERE record_id = ?1",
        "DELETE FROM file WHERE record_id = ?1",
    ] {
        tx.execute(sql, [id])?;
    }
    let tombstone = entry.state.as_ref().map(|s| RecordState {
        description: None,
        files: Vec::new(),
        pages: Vec::new(),
        suggestions: Vec::new(),
        ..s.clone()
    });
    if let Some(state) = &tombstone {
        upsert(tx, id, state, replica)?;
    }
    tx.execute(
        "UPDATE record SET deleted = 1, description = NULL, destroyed_ba = ?1, destroyed_at = ?2,
             version = version + ?3
         WHERE id = ?4",
        params![
            destroyed.ba,
            destroyed.at,
            i64::from(tombstone.is_none()),
            id
        ],
    )?;
    let mut blobs: Vec<&String> = held.iter().chain(&destroyed.blobs).collect();
    blobs.sort();
    blobs.dedup();
    let mut purged = Vec::new();
    for sha in blobs {
        crate::ids::ContentHash::parse(sha).map_err(|_| {
            Error::new(
                ErrorCode::SegmentRejected,
                format!("record {id}: blob '{sha}'"),
            )
        })?;
        if super::disposal::blob_used(tx, sha)? {
            continue;
        }
        // At a province, only what this office's own states named, and no
        // other office's: an office cannot have another's files removed.
        if let Some((office, _)) = replica {
            if !super::redact::named_by(tx, sha, office)?
                || super::redact::named_by_another(tx, sha, Some(office))?
            {
                continue;
            }
        }
        tx.execute(
            "INSERT OR IGNORE INTO blob_purge (sha256) VALUES (?1)",
            [sha],
        )?;
        tx.execute("DELETE FROM remote_blob WHERE sha256 = ?1", [sha])?;
        if replica.is_some() {
            tx.execute(
                "INSERT OR IGNORE INTO store_purge (sha256) VALUES (?1)",
                [sha],
            )?;
        }
        purged.push(sha.clone());
    }
    if replica.is_some() {
        tx.execute(
            "INSERT OR IGNORE INTO retired_purge (record_id) VALUES (?1)",
            [id],
        )?;
    }
    if replica.is_some() && (existed || tombstone.is_some()) {
        // A province that once pushed sealed its copies into its own log
        // (versions that did not yet leave them out): they go from it too.
        super::redact::note_destroyed(tx, id, &purged)?;
    }
    if existed || tombstone.is_some() {
        crate::audit::append(
            tx,
            actor,
            "record.destroy",
            id,
            &format!("ba={}", destroyed.ba),
        )?;
    }
    Ok(())
}

/// Writes the berkas record `record`'s state names, as its office
/// describes it, and returns its id here. At a province it is `office`'s,
/// kept under an id made from the office's key and the id it sent
/// (`BerkasId::scoped`; an office rebuilt with a new key has its berkas
/// made again under new ids as its new log arrives, and the old ones,
/// emptied, go): whatever ids an office sends, it can never name,
/// take over or block another office's berkas (nor this archive's own). An
/// office rebuilt from its own log (`office` None) gets its own berkas
/// back under their own ids, without their boxes (boxes are not in the
/// log: the box's number is kept as `box_label` until the berkas is put in
/// a box again). Values no berkas here could hold are refused.
fn upsert_berkas(
    tx: &Transaction,
    record: &str,
    b: &BerkasState,
    office: Option<&str>,
) -> Result<String> {
    let bad = |what: &str| {
        Error::new(
            ErrorCode::SegmentRejected,
            format!("record {record}: berkas {what}"),
        )
    };
    let sent = crate::ids::BerkasId::parse(&b.id).map_err(|_| bad(&format!("id '{}'", b.id)))?;
    let id = match office {
        Some(key) => sent.scoped(key),
        None => sent,
    }
    .to_string();
    let access = crate::access::AccessLevel::parse(&b.access)
        .map_err(|_| bad(&format!("access '{}'", b.access)))?;
    let stage =
        super::berkas::Stage::parse(&b.stage).map_err(|_| bad(&format!("stage '{}'", b.stage)))?;
    let (number, title) =
        super::berkas::checked_fields(&b.number, &b.title, b.year_from, b.year_to)
            .map_err(|e| bad(&format!("{}: {}", b.id, e.detail)))?;
    let owner: Option<Option<String>> = tx
        .query_row("SELECT office FROM berkas WHERE id = ?1", [&id], |r| {
            r.get(0)
        })
        .optional()?;
    if matches!(&owner, Some(o) if o.as_deref() != office) {
        return Err(bad(&format!("{id} belongs to another office")));
    }
    if office.is_none() {
        // Numbers are unique among this archive's own berkas. Read back in
        // log order, two berkas that swapped numbers meet half way: the one
        // holding the number gives it up until its own state arrives.
        tx.execute(
            "UPDATE berkas SET number = number || ' (' || substr(id, 1, 8) || ')'
             WHERE office IS NULL AND number = ?1 AND id != ?2",
            (&number, &id),
        )?;
    }
    tx.execute(
        "INSERT INTO berkas (id, number, title, classification, year_from, year_to, access, stage,
             loc_folder, jra_code, jra_by, jra_at, created_at, created_by, updated_at, updated_by,
             office, box_label)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
         ON CONFLICT (id) DO UPDATE SET number = excluded.number, title = excluded.title,
             classification = excluded.classification, year_from = excluded.year_from,
             year_to = excluded.year_to, access = excluded.access, stage = excluded.stage,
             loc_folder = excluded.loc_folder, jra_code = excluded.jra_code,
             jra_by = excluded.jra_by, jra_at = excluded.jra_at, updated_at = excluded.updated_at,
             updated_by = excluded.updated_by, box_label = excluded.box_label",
        params![
            id,
            number,
            title,
            b.classification,
            b.year_from,
            b.year_to,
            access.code(),
            stage.code(),
            b.folder,
            b.jra,
            b.jra_by,
            b.jra_at,
            b.created_at,
            b.created_by,
            b.updated_at,
            b.updated_by,
            office,
            b.box_no
        ],
    )
    .map_err(|e| bad(&format!("{id}: {e}")))?;
    Ok(id)
}

/// Removes the berkas of `office` no record here is filed in any more (its
/// records moved to other berkas, or were deleted).
fn drop_empty_berkas(tx: &Transaction, office: &str) -> Result<()> {
    tx.execute(
        "DELETE FROM berkas WHERE office = ?1
             AND NOT EXISTS (SELECT 1 FROM record r WHERE r.berkas_id = berkas.id)
             AND NOT EXISTS (SELECT 1 FROM loan l WHERE l.berkas_id = berkas.id)
             AND NOT EXISTS (SELECT 1 FROM disposal_item i WHERE i.berkas_id = berkas.id)",
        [office],
    )?;
    Ok(())
}

/// Writes a record's state as a segment carries it. `replica`: the office
/// that owns it and where its originals can be fetched (at a province); None
/// for an office's own records rebuilt from its log.
fn upsert(
    tx: &Transaction,
    id: &str,
    s: &RecordState,
    replica: Option<(&str, &str)>,
) -> Result<()> {
    let office = replica.map(|(office, _)| office);
    crate::access::AccessLevel::parse(&s.access).map_err(|_| {
        Error::new(
            ErrorCode::SegmentRejected,
            format!("record {id}: access '{}'", s.access),
        )
    })?;
    super::vocab::ensure_codes(tx, s)?;
    let series = series_id(tx, s.series.as_deref())?;
    let berkas = match &s.berkas {
        Some(b) => Some(upsert_berkas(tx, id, b, office)?),
        None => None,
    };
    tx.execute(
        "INSERT INTO record (id, title, description, doc_type, election, stage, doc_date, number, region, tps,
             classification, access, retention, retain_until, loc_building, loc_shelf, loc_box, loc_folder,
             language, series_id, personal_data, created_at, created_by, updated_at, updated_by, version,
             deleted, office, berkas_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
             ?21, ?22, ?23, ?24, ?25, ?26, 0, ?27, ?28)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, description = excluded.description,
             doc_type = excluded.doc_type, election = excluded.election, stage = excluded.stage,
             doc_date = excluded.doc_date, number = excluded.number, region = excluded.region,
             tps = excluded.tps, classification = excluded.classification, access = excluded.access,
             retention = excluded.retention, retain_until = excluded.retain_until,
             loc_building = excluded.loc_building, loc_shelf = excluded.loc_shelf,
             loc_box = excluded.loc_box, loc_folder = excluded.loc_folder, language = excluded.language,
             series_id = excluded.series_id, personal_data = excluded.personal_data,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by,
             version = excluded.version, deleted = 0, berkas_id = excluded.berkas_id",
        params![
            id, s.title, s.description, s.doc_type, s.election, s.stage, s.doc_date, s.number, s.region,
            s.tps, s.classification, s.access, s.retention, s.retain_until, s.building, s.shelf, s.box_no,
            s.folder, s.language, series, s.personal_data, s.created_at, s.created_by, s.updated_at,
            s.updated_by, s.version, office, berkas
        ],
    )?;
    for table in ["page", "suggestion", "record_tag", "file"] {
        tx.execute(&format!("DELETE FROM {table} WHERE record_id = ?1"), [id])?;
    }
    if let Some((office, _)) = replica {
        let thumbnails = s.pages.iter().filter_map(|p| p.thumbnail.as_ref());
        for sha in s.files.iter().map(|f| &f.sha256).chain(thumbnails) {
            tx.execute(
                "INSERT OR IGNORE INTO seen_blob (sha256, office) VALUES (?1, ?2)",
                (sha, office),
            )?;
        }
    }
    for f in &s.files {
        tx.execute(
            "INSERT INTO file (sha256, record_id, media_type, size, original_name) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![f.sha256, id, f.media_type, f.size as i64, f.name],
        )?;
        if let Some((_, source)) = replica {
            tx.execute(
                "INSERT OR IGNORE INTO remote_blob (sha256, source) VALUES (?1, ?2)",
                (&f.sha256, source),
            )?;
        }
    }
    for p in &s.pages {
        tx.execute(
            "INSERT INTO page (record_id, number, file_sha256, text, source, confidence, rotation, words, thumbnail)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![id, p.number, p.file, p.text, p.source, p.confidence, p.rotation, p.words, p.thumbnail],
        )
        .map_err(|e| Error::new(ErrorCode::SegmentRejected, format!("record {id}, page {}: {e}", p.number)))?;
    }
    for (field, value) in &s.suggestions {
        tx.execute(
            "INSERT INTO suggestion (record_id, field, value) VALUES (?1, ?2, ?3)",
            (id, field, value),
        )?;
    }
    for tag in &s.tags {
        tx.execute(
            "INSERT INTO record_tag (record_id, tag) VALUES (?1, ?2)",
            (id, tag),
        )?;
    }
    // The province flags by its own rules, whatever the office sent.
    super::records::flag_personal(tx, id)?;
    Ok(())
}
