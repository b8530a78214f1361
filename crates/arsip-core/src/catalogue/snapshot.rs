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
