//! A consistent copy of the catalogue while the archive is in use: SQLite's
//! `VACUUM INTO` on a read-only connection of its own reads one snapshot
//! (WAL readers never block writers), so the app and a kiosk go on working
//! while a backup is made, and the copy holds every transaction committed
//! before it began and none after.

use super::Catalogue;
use crate::error::{io_at, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

impl Catalogue {
    /// Writes a snapshot of the catalogue file `from` to `to`, which must not exist.
    pub(crate) fn snapshot(from: &Path, to: &Path) -> Result<()> {
        let conn = Connection::open_with_flags(
            from,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        let dest = to
            .to_str()
            .ok_or_else(|| io_at(to)(std::io::Error::other("not UTF-8")))?;
        conn.execute("VACUUM INTO ?1", [dest])?;
        Ok(())
    }

    /// Copies a backup's catalogue without writing a byte to the backup (it
    /// may sit on a write-protected drive): opened immutable, so SQLite takes
    /// no lock and makes no `-shm` or `-wal` beside it.
    pub(crate) fn snapshot_of_backup(from: &Path, to: &Path) -> Result<()> {
        let path = from
            .to_str()
            .ok_or_else(|| io_at(from)(std::io::Error::other("not UTF-8")))?;
        let mut uri = String::from("file:");
        for c in path.chars() {
            match c {
                '?' | '#' | '%' => uri.push_str(&format!("%{:02X}", c as u32)),
                c => uri.push(c),
            }
        }
        uri.push_str("?immutable=1");
        let conn = Connection::open_with_flags(
            &uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let dest = to
            .to_str()
            .ok_or_else(|| io_at(to)(std::io::Error::other("not UTF-8")))?;
        conn.execute("VACUUM INTO ?1", [dest])?;
        Ok(())
    }

    /// Opens (and migrates) a snapshot in rollback-journal mode: a backup
    /// folder holds one plain file that any reader, even a read-only one,
    /// opens as it is.
    pub(crate) fn open_snapshot(path: &Path) -> Result<Catalogue> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "DELETE")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        super::migrate(&mut conn)?;
        Ok(Catalogue { conn })
    }

    /// Triggers and views, which this program never makes: a catalogue that
    /// has them was made or altered by something else.
    pub(crate) fn foreign_objects(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT type || ' ' || name FROM sqlite_master WHERE type IN ('trigger', 'view')",
        )?;
        let found = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(found
            .into_iter()
            .map(|f| format!("a {f} this program never makes"))
            .collect())
    }

    /// Ends every session: a restored archive starts with nobody logged in.
    pub(crate) fn end_all_sessions(&mut self) -> Result<()> {
        let tx = self.write()?;
        tx.execute("DELETE FROM session", [])?;
        tx.commit()?;
        Ok(())
    }

    /// `PRAGMA integrity_check` of the whole file: empty when it is sound.
    pub(crate) fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows.into_iter().filter(|r| r != "ok").collect())
    }
}
