//! Screen-sized page images ("views"), kept so a page opens at once. A view is
//! made at ingest from the image OCR already read (scans) or on a page's
//! first viewing (text PDFs, archives older than views, a province's pulled
//! records), and stored in `views.sqlite` beside the catalogue.
//!
//! Views are derived data: never synced, never backed up, and rebuilt from
//! the original when missing, unreadable or trimmed. The file is a cache:
//! a damaged one is replaced, and an archive works without it.
//! It holds images of restricted records, so it is the owner's only, like
//! the blobs; who may see an image is decided before a view is asked for.

use crate::extract::PageView;
use crate::ids::ContentHash;
use rusqlite::{Connection, OptionalExtension};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

pub(crate) const VIEWS_FILE: &str = "views.sqlite";

/// The store is trimmed (least recently viewed first) above this size.
const LIMIT_BYTES: i64 = 4 << 30;
/// How often (in views stored) the size is measured.
const MEASURE_EVERY: u32 = 64;

pub(crate) struct ViewStore {
    conn: Option<Mutex<Connection>>,
    stored: std::sync::atomic::AtomicU32,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS view (
    file TEXT NOT NULL,
    page INTEGER NOT NULL,
    rotation INTEGER NOT NULL,
    scale REAL NOT NULL,
    words TEXT,
    jpeg BLOB NOT NULL,
    used INTEGER NOT NULL,
    PRIMARY KEY (file, page, rotation)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS view_used ON view (used);
";

fn connect(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // A power cut may lose the last views, never the file's consistency.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.execute_batch(SCHEMA)?;
    Ok(conn)
}

impl ViewStore {
    /// Opens the archive's view store. One that is not a database (a torn
    /// or foreign file) is replaced; any other failure (no permission, a
    /// full disk, a lock) leaves the file alone, since another process may
    /// be using it, and this one goes on without stored views.
    pub(crate) fn open(root: &Path) -> ViewStore {
        let path = root.join(VIEWS_FILE);
        let conn = connect(&path).or_else(|e| {
            let damaged = matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
            );
            if !damaged {
                return Err(e);
            }
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(root.join(format!("{VIEWS_FILE}{suffix}")));
            }
            connect(&path)
        });
        for suffix in ["", "-wal", "-shm"] {
            let file = root.join(format!("{VIEWS_FILE}{suffix}"));
            if file.exists() {
                let _ = crate::blobs::owner_only(&file);
            }
        }
        ViewStore {
            conn: conn.ok().map(Mutex::new),
            stored: Default::default(),
        }
    }

    fn conn(&self) -> Option<std::sync::MutexGuard<'_, Connection>> {
        self.conn
            .as_ref()
            .map(|m| m.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// Forgets every stored view of pages of `file` (its blob is gone).
    pub(crate) fn forget(&self, files: &[ContentHash]) {
        if files.is_empty() {
            return;
        }
        if let Some(conn) = self.conn() {
            // Overwritten, not left in free pages: the pages were destroyed.
            let _ = conn.pragma_update(None, "secure_delete", true);
            for file in files {
                let _ = conn.execute("DELETE FROM view WHERE file = ?1", [file.to_hex()]);
            }
            let _ = conn.pragma_update(None, "secure_delete", false);
            // Nor left in the WAL, where the pages' pictures and words
            // would stay readable until something else folds it in: once,
            // for the whole destruction.
            let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
    }

    /// The stored view of a page, if there is a readable one.
    pub(crate) fn get(&self, file: &ContentHash, page: u32, rotation: u32) -> Option<PageView> {
        let conn = self.conn()?;
        let key = (file.to_hex(), page, rotation);
        let row = conn
            .query_row(
                "SELECT jpeg, scale, words FROM view WHERE file = ?1 AND page = ?2 AND rotation = ?3",
                key.clone(),
                |r| {
                    Ok((
                        r.get::<_, Vec<u8>>(0)?,
                        r.get::<_, f64>(1)?,
                        r.get::<_, Option<String>>(2)?,
                    ))
                },
            )
            .optional()
            .ok()??;
        let (jpeg, scale, words) = row;
        // A JPEG starts and ends with its markers; anything else is redrawn.
        if !(jpeg.starts_with(&[0xff, 0xd8]) && jpeg.ends_with(&[0xff, 0xd9])) {
            return None;
        }
        let words = match words {
            Some(json) => Some(serde_json::from_str(&json).ok()?),
            None => None,
        };
        // When it was last viewed, to the hour: a kiosk paging through an
        // exhibit does not write on every page it shows.
        let _ = conn.execute(
            "UPDATE view SET used = ?4
             WHERE file = ?1 AND page = ?2 AND rotation = ?3 AND used < ?4 - 3600",
            (key.0, key.1, key.2, now()),
        );
        Some(PageView {
            jpeg,
            scale: scale as f32,
            words,
        })
    }

    /// Keeps a page's view; a failure (a full disk) only costs a later redraw.
    /// `viewed`: drawn for someone now (else made at ingest, never yet seen:
    /// the first to go when the store is trimmed).
    pub(crate) fn put(
        &self,
        file: &ContentHash,
        page: u32,
        rotation: u32,
        view: &PageView,
        viewed: bool,
    ) {
        let Some(conn) = self.conn() else { return };
        let words = view
            .words
            .as_ref()
            .and_then(|w| serde_json::to_string(w).ok());
        let _ = conn.execute(
            "INSERT OR REPLACE INTO view (file, page, rotation, scale, words, jpeg, used)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            (
                file.to_hex(),
                page,
                rotation,
                view.scale as f64,
                words,
                &view.jpeg,
                if viewed { now() } else { 0 },
            ),
        );
        let n = self
            .stored
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if n % MEASURE_EVERY == MEASURE_EVERY - 1 {
            let _ = trim(&conn, LIMIT_BYTES);
        }
    }

    #[cfg(test)]
    fn trim_to(&self, limit: i64) {
        if let Some(conn) = self.conn() {
            let _ = trim(&conn, limit);
        }
    }
}

/// Drops the least recently viewed views until the store holds at most 90%
/// of `limit` bytes of images.
fn trim(conn: &Connection, limit: i64) -> rusqlite::Result<()> {
    let total: i64 = conn.query_row("SELECT total(length(jpeg)) FROM view", [], |r| {
        r.get::<_, f64>(0).map(|t| t as i64)
    })?;
    if total <= limit {
        return Ok(());
    }
    let mut excess = total - limit / 10 * 9;
    let mut stmt =
        conn.prepare("SELECT file, page, rotation, length(jpeg) FROM view ORDER BY used")?;
    let mut doomed = Vec::new();
    let mut rows = stmt.query([])?;
    while excess > 0 {
        let Some(row) = rows.next()? else { break };
        excess -= row.get::<_, i64>(3)?;
        doomed.push((
            row.get::<_, String>(0)?,
            row.get::<_, u32>(1)?,
            row.get::<_, u32>(2)?,
        ));
    }
    drop(rows);
    for key in doomed {
        conn.execute(
            "DELETE FROM view WHERE file = ?1 AND page = ?2 AND rotation = ?3",
            key,
        )?;
    }
    Ok(())
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WordBox;

    fn view(n: u8) -> PageView {
        PageView {
            jpeg: [&[0xff, 0xd8][..], &[n; 996], &[0xff, 0xd9]].concat(),
            scale: 0.5,
            words: n.is_multiple_of(2).then(|| {
                vec![WordBox {
                    text: "Bogor".into(),
                    x: 1,
                    y: 2,
                    w: 3,
                    h: 4,
                    conf: 100.0,
                }]
            }),
        }
    }

    #[test]
    fn a_view_is_kept_and_read_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = ViewStore::open(dir.path());
        let file = ContentHash::of(b"scan");
        assert_eq!(store.get(&file, 1, 0), None);
        store.put(&file, 1, 0, &view(2), true);
        store.put(&file, 2, 90, &view(3), true);
        assert_eq!(store.get(&file, 1, 0), Some(view(2)));
        assert_eq!(store.get(&file, 2, 90), Some(view(3)));
        assert_eq!(
            store.get(&file, 2, 0),
            None,
            "turned otherwise: another view"
        );
        drop(store);
        assert_eq!(ViewStore::open(dir.path()).get(&file, 1, 0), Some(view(2)));
    }

    #[test]
    fn an_unreadable_store_is_replaced() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(VIEWS_FILE), b"not a database, a torn write")
            .expect("write");
        let store = ViewStore::open(dir.path());
        let file = ContentHash::of(b"scan");
        store.put(&file, 1, 0, &view(1), true);
        assert_eq!(store.get(&file, 1, 0), Some(view(1)));
    }

    #[test]
    fn trimming_drops_the_least_recently_viewed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = ViewStore::open(dir.path());
        let files: Vec<ContentHash> = (0..5u8).map(|i| ContentHash::of(&[i])).collect();
        for (i, f) in files.iter().enumerate() {
            store.put(f, 1, 0, &view(i as u8), true);
        }
        // All stored in the same second, two hours ago: viewing the first
        // makes it the most recent.
        if let Some(conn) = store.conn() {
            conn.execute("UPDATE view SET used = used - 7200", [])
                .expect("age");
        }
        assert!(store.get(&files[0], 1, 0).is_some());
        store.trim_to(3000);
        let kept: Vec<bool> = files.iter().map(|f| store.get(f, 1, 0).is_some()).collect();
        assert!(kept[0], "the one just viewed stays: {kept:?}");
        assert!(kept.iter().filter(|k| **k).count() <= 2, "{kept:?}");
    }

    #[test]
    fn a_damaged_view_is_not_served() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = ViewStore::open(dir.path());
        let file = ContentHash::of(b"scan");
        let mut torn = view(2);
        torn.jpeg.truncate(10);
        store.put(&file, 1, 0, &torn, true);
        assert_eq!(store.get(&file, 1, 0), None, "drawn again instead");
    }

    #[test]
    fn a_store_that_cannot_be_opened_is_left_for_its_owner() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(VIEWS_FILE);
        std::fs::create_dir(&path).expect("a folder where the file should be");
        let store = ViewStore::open(dir.path());
        store.put(&ContentHash::of(b"x"), 1, 0, &view(1), true);
        assert!(path.is_dir(), "not removed");
    }
}
