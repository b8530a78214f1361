//! The catalogue: the archive's truth in one SQLite file (WAL, foreign keys on,
//! full fsync on commit so a power cut loses no committed record).

mod backups;
pub mod berkas;
pub mod disposal;
mod jobs;
pub mod loans;
mod log;
mod moves;
pub mod recap;
mod records;
mod redact;
mod replica;
pub mod review;
mod schema;
mod snapshot;
pub mod storage;
pub mod trash;
mod users;
pub mod versions;
pub mod vocab;
pub mod watch;

pub(crate) use jobs::path_to_bytes as path_bytes;

pub use backups::BackupPlan;
pub use jobs::{Job, JobOutcome};
pub use log::{Draft, SegmentInfo, TargetKind, TargetState, Waiting};
pub use records::{IndexSource, Inserted, NewFile, NewPage, NewRecord, RecordEdit, RecordSummary};
pub use redact::{Redactions, Resealed};
pub use replica::Peer;
pub(crate) use users::{
    check_new_password, check_user_name, new_password_hash, verify_password, wrong_login,
    UserChange,
};
pub use users::{Session, UserEdit, UserInfo, MIN_PASSWORD_CHARS};
pub(crate) use vocab::shipped_regions;

use crate::error::{Error, ErrorCode, Result};
use rusqlite::{Connection, OptionalExtension};
use std::path::Path;
use std::time::Duration;

/// Only the core holds one: every read and write of records goes through
/// `Archive`, which carries the caller's clearance.
pub(crate) struct Catalogue {
    conn: Connection,
}

/// The office this archive belongs to.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Office {
    pub name: String,
    pub region_code: String,
    pub default_access: crate::access::AccessLevel,
}

impl Catalogue {
    /// Opens (and migrates) the catalogue file.
    pub fn open(path: &Path) -> Result<Catalogue> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(30))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate(&mut conn)?;
        Ok(Catalogue { conn })
    }

    /// A read-only connection to an archive's catalogue, opened (and
    /// migrated) already: in WAL mode it reads what was committed last,
    /// never waiting on a write transaction (see `catch_up`).
    pub(crate) fn open_reader(path: &Path) -> Result<Catalogue> {
        let conn = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(30))?;
        Ok(Catalogue { conn })
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// A write transaction, begun IMMEDIATE: it takes the write lock at once,
    /// so another process writing (a kiosk server auditing views, a CLI
    /// ingest) is waited for through the busy timeout. A deferred transaction
    /// that read first would instead fail at its first write with
    /// SQLITE_BUSY_SNAPSHOT, which no timeout retries.
    pub(crate) fn write(&mut self) -> Result<rusqlite::Transaction<'_>> {
        Ok(self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
    }

    pub fn set_office(&mut self, name: &str, region_code: &str) -> Result<()> {
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO office (id, name, region_code, created_at) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, region_code = excluded.region_code",
            (name, region_code, crate::clock::now_rfc3339()),
        )?;
        crate::audit::append(&tx, "system", "office.set", region_code, name)?;
        tx.commit()?;
        Ok(())
    }

    pub fn office(&self) -> Result<Office> {
        let row = self
            .conn
            .query_row(
                "SELECT name, region_code, default_access FROM office WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                },
            )
            .optional()?;
        let (name, region_code, access) =
            row.ok_or_else(|| Error::new(ErrorCode::ArchiveMissing, "office not set"))?;
        Ok(Office {
            name,
            region_code,
            default_access: crate::access::AccessLevel::parse(&access)?,
        })
    }

    /// Records with a change numbered in `from + 1 ..= upto` that is not
    /// their first, each with the last such number: ones an index may hold
    /// in a state the catalogue has left (see `catch_up`). A record's first
    /// change made it; an index that holds it holds that state or a later
    /// one.
    pub fn records_changed_again(&self, from: i64, upto: i64) -> Result<Vec<(String, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT g.record_id, MAX(g.seq) FROM change g WHERE g.seq > ?1 AND g.seq <= ?2
               AND EXISTS (SELECT 1 FROM change o WHERE o.record_id = g.record_id AND o.seq < g.seq)
             GROUP BY g.record_id",
        )?;
        let rows = stmt.query_map([from, upto], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records changed after `seq`, each once, with its newest change sequence,
    /// oldest first: indexing them in this order and committing after any prefix
    /// makes that prefix's last sequence a safe checkpoint.
    pub fn changed_since(&self, seq: i64) -> Result<Vec<(String, i64)>> {
        let mut stmt = self.conn.prepare(
            "SELECT record_id, MAX(seq) FROM change WHERE seq > ?1 GROUP BY record_id ORDER BY 2",
        )?;
        let rows = stmt.query_map([seq], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, schema::MIGRATIONS.len())
}

/// Migrates up to schema version `known` (tests stop short of the last).
fn migrate_to(conn: &mut Connection, known: usize) -> Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = known.min(schema::MIGRATIONS.len()) as i64;
    if version > known {
        return Err(Error::new(
            ErrorCode::SchemaTooNew,
            format!("catalogue schema {version}, this program knows up to {known}"),
        ));
    }
    if version == known {
        return Ok(());
    }
    // Tables are rebuilt with foreign keys off (SQLite's documented way: a
    // DROP would otherwise cascade or fail), and checked before they go back on.
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    for (i, scripts) in schema::MIGRATIONS
        .iter()
        .enumerate()
        .take(known as usize)
        .skip(version as usize)
    {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for sql in *scripts {
            tx.execute_batch(sql)?;
        }
        if i == 0 {
            vocab::seed(&tx)?;
        }
        if i == schema::JRA_MIGRATION {
            vocab::seed_jra(&tx)?;
        }
        if i == schema::STORAGE_MIGRATION {
            storage::adopt_free_text(&tx)?;
        }
        let broken: Option<String> = tx
            .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
            .optional()?;
        if let Some(table) = broken {
            return Err(Error::new(
                ErrorCode::Database,
                format!("migration {}: broken references in {table}", i + 1),
            ));
        }
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_schema_is_refused() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("c.sqlite");
        drop(Catalogue::open(&path)?);
        let conn = Connection::open(&path)?;
        conn.pragma_update(None, "user_version", 999)?;
        drop(conn);
        let err = Catalogue::open(&path).err().map(|e| e.code);
        assert_eq!(err, Some(ErrorCode::SchemaTooNew));
        Ok(())
    }

    #[test]
    fn free_text_locations_become_places_and_boxes() -> Result<()> {
        let mut conn = Connection::open_in_memory()?;
        migrate_to(&mut conn, schema::STORAGE_MIGRATION)?;
        let insert = "INSERT INTO berkas (id, number, title, access, loc_building, loc_shelf,
                loc_box, loc_folder, created_at, created_by, updated_at, updated_by)
             VALUES (?1, ?2, 'Berkas', 'terbuka', ?3, ?4, ?5, ?6, 'x', 'x', 'x', 'x')";
        // Number, then building, shelf, box and map as typed.
        type Typed<'a> = (
            &'a str,
            Option<&'a str>,
            Option<&'a str>,
            Option<&'a str>,
            Option<&'a str>,
        );
        let rows: [Typed; 9] = [
            ("A", Some("Gudang"), Some("Rak 1"), Some("B-1"), Some("3")),
            ("B", Some("Gudang"), Some("Rak 1"), Some("b-1 "), None),
            // The same box number on another shelf is another box...
            ("C", Some("Gudang"), Some("Rak 2"), Some("B-1"), None),
            // ...and one typed as that box's new number is yet another.
            (
                "C2",
                Some("Gudang"),
                Some("Rak 3"),
                Some("B-1 (Gudang › Rak 2)"),
                None,
            ),
            ("D", None, Some("Rak 9"), None, None),
            ("E", None, None, None, None),
            ("F", Some("  "), Some("\u{200b}"), Some(" "), None),
            // A shelf named like a building is not that building.
            ("G", None, Some("Gudang"), Some("K"), None),
            ("H", Some("Gudang"), Some("Rak 2"), Some("B-1"), None),
        ];
        for (n, building, shelf, number, folder) in rows {
            let id = crate::ids::BerkasId::new().to_string();
            conn.execute(
                insert,
                rusqlite::params![id, n, building, shelf, number, folder],
            )?;
        }
        migrate(&mut conn)?;
        let placed = |n: &str| -> Result<Option<(String, Option<String>)>> {
            Ok(conn
                .query_row(
                    "SELECT x.number, b.loc_folder FROM berkas b JOIN box x ON x.id = b.box_id
                     WHERE b.number = ?1",
                    [n],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?)
        };
        assert_eq!(placed("A")?, Some(("B-1".into(), Some("3".into()))));
        assert_eq!(
            placed("B")?.map(|p| p.0),
            Some("B-1".into()),
            "case, spaces"
        );
        assert_eq!(
            placed("C")?.map(|p| p.0),
            Some("B-1 (Gudang › Rak 2)".into())
        );
        assert_eq!(
            placed("H")?.map(|p| p.0),
            Some("B-1 (Gudang › Rak 2)".into())
        );
        assert_eq!(
            placed("C2")?.map(|p| p.0),
            Some("B-1 (Gudang - Rak 2)".into())
        );
        assert_eq!(
            placed("D")?.map(|p| p.0),
            Some("Rak 9 (tanpa nomor boks)".into())
        );
        assert_eq!(placed("E")?, None);
        assert_eq!(placed("F")?, None, "blank text is no place");
        let kinds: Vec<String> = {
            let mut stmt =
                conn.prepare("SELECT kind FROM place WHERE name = 'Gudang' ORDER BY kind")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        assert_eq!(kinds, vec!["gedung"]);
        assert_eq!(placed("G")?.map(|p| p.0), Some("K".into()));
        let places = storage::places_in(&conn)?;
        let box_place: Option<String> =
            conn.query_row("SELECT place_id FROM box WHERE number = 'B-1'", [], |r| {
                r.get(0)
            })?;
        assert_eq!(places.path(box_place.as_deref()), "Gudang › Rak 1");
        let gone: i64 = conn.query_row(
            "SELECT COUNT(*) FROM pragma_table_info('berkas') WHERE name = 'loc_box'",
            [],
            |r| r.get(0),
        )?;
        assert_eq!(gone, 0, "the free-text columns are dropped");
        Ok(())
    }

    /// Migration 20 keeps every berkas with its loans and disposal items,
    /// sends the records already filed once more (so the province learns
    /// their berkas), and keeps numbers unique among the archive's own
    /// berkas only.
    #[test]
    fn berkas_made_before_sync_carried_them_go_out_with_their_records() -> Result<()> {
        let mut conn = Connection::open_in_memory()?;
        migrate_to(&mut conn, schema::MIGRATIONS.len() - 1)?;
        let berkas = crate::ids::BerkasId::new().to_string();
        conn.execute(
            "INSERT INTO berkas (id, number, title, access, stage, jra_code, created_at,
                 created_by, updated_at, updated_by)
             VALUES (?1, 'PL.07/2024/001', 'Rekapitulasi', 'terbatas', 'inaktif', 'PL.07',
                 'x', 'x', 'x', 'x')",
            [&berkas],
        )?;
        for (id, filed, deleted) in [("r1", true, 0), ("r2", false, 0), ("r3", true, 1)] {
            conn.execute(
                "INSERT INTO record (id, title, access, created_at, created_by, updated_at,
                     updated_by, berkas_id, deleted)
                 VALUES (?1, 'R', 'terbuka', 'x', 'x', 'x', 'x', ?2, ?3)",
                rusqlite::params![id, filed.then_some(&berkas), deleted],
            )?;
        }
        conn.execute(
            "INSERT INTO loan (id, berkas_id, borrower, unit, lent_on, due_on, lent_by)
             VALUES ('l1', ?1, 'Ani', 'Hukum', '2026-01-05', '2026-01-12', 'x')",
            [&berkas],
        )?;
        migrate(&mut conn)?;
        let kept: (String, String, String, Option<String>) = conn.query_row(
            "SELECT number, stage, jra_code, office FROM berkas WHERE id = ?1",
            [&berkas],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        assert_eq!(
            kept,
            (
                "PL.07/2024/001".into(),
                "inaktif".into(),
                "PL.07".into(),
                None
            )
        );
        let sent: Vec<String> = {
            let mut stmt = conn.prepare("SELECT record_id FROM change WHERE kind = 'berkas'")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        assert_eq!(sent, vec!["r1"], "live records filed in a berkas, once");
        let lent: i64 = conn.query_row(
            "SELECT COUNT(*) FROM loan l JOIN berkas b ON b.id = l.berkas_id",
            [],
            |r| r.get(0),
        )?;
        assert_eq!(lent, 1, "the loan still names its berkas");
        let add = |id: &str, office: Option<&str>| {
            conn.execute(
                "INSERT INTO berkas (id, number, title, access, created_at, created_by,
                     updated_at, updated_by, office)
                 VALUES (?1, 'PL.07/2024/001', 'B', 'terbuka', 'x', 'x', 'x', 'x', ?2)",
                (id, office),
            )
        };
        assert!(add("other-office", Some("key-of-depok")).is_ok());
        assert!(add("another-office", Some("key-of-bekasi")).is_ok());
        assert!(add("own-again", None).is_err(), "own numbers stay unique");
        Ok(())
    }

    #[test]
    fn vocabularies_are_seeded() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let cat = Catalogue::open(&dir.path().join("c.sqlite"))?;
        let n: i64 = cat.conn.query_row(
            "SELECT COUNT(*) FROM region WHERE code LIKE '32.71%'",
            [],
            |r| r.get(0),
        )?;
        assert!(n > 60, "Kota Bogor's kecamatan and kelurahan: {n}");
        let name: String =
            cat.conn
                .query_row("SELECT name FROM region WHERE code = '32.71'", [], |r| {
                    r.get(0)
                })?;
        assert_eq!(name, "Kota Bogor");
        let elections: i64 = cat
            .conn
            .query_row("SELECT COUNT(*) FROM election", [], |r| r.get(0))?;
        assert_eq!(elections, 18);
        Ok(())
    }
}
