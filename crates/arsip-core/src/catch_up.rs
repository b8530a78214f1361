//! Keeping the index up with the catalogue, without making a search wait.
//!
//! Who indexes a change:
//! - **whoever made it**, right after (an import, an edit, a pull): its
//!   caller then finds the change at once;
//! - **a search**, when the catalogue is ahead of the index by a few
//!   changes another process made and could not index (it found the index
//!   writer taken), or by changes to records the index already holds (one
//!   may now be restricted, deleted or reworded: counted or found by its
//!   old state, it would tell what the caller may not see): indexed before
//!   the search answers, as a writer's own catch-up would be waited for;
//! - **a thread of its own**, when the catalogue is ahead by more changes,
//!   all to records the index does not hold yet (a pull applying an
//!   office's new records, another process's import): the search answers
//!   from the index as it is, which cannot count what it does not hold,
//!   and the thread indexes the rest.
//!
//! Measured with `cargo bench -p arsip-remote --bench pull_search`: while a
//! pull applied 5,000 records into a province of 20,000, a search that
//! found the catalogue ahead indexed the whole gap itself, up to 1 s.
//!
//! Every catch-up reads the catalogue through a read-only connection of its
//! own: in WAL mode it never waits on a write transaction (a pull applies
//! each segment of its log in one), nor makes a writer wait.

use crate::catalogue::Catalogue;
use crate::error::{Error, Result};
use crate::ids::RecordId;
use crate::index::SearchIndex;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

/// A search indexes up to this many changes itself before answering; past
/// it, a thread of its own does, unless one changes a record the index
/// holds (see the module docs).
pub const SEARCH_CATCHES_UP: i64 = 64;

pub(crate) struct CatchUp {
    catalogue: PathBuf,
    pub index: SearchIndex,
    /// One catch-up at a time in this process: a second one waits and then
    /// indexes its own changes, rather than finding the writer taken and
    /// leaving them for later (another process holding the writer still
    /// means "it will catch up").
    lock: Mutex<()>,
    /// Set when the archive closes: a catch-up in the background stops at
    /// its next commit.
    closing: AtomicBool,
    /// The catch-up in the background, if one runs.
    background: Mutex<Option<JoinHandle<()>>>,
    /// What the background catch-up last failed with: the next search
    /// says it.
    failed: Mutex<Option<Error>>,
    /// How far the catalogue's lead over the index has been looked at.
    gap: Mutex<Gap>,
}

/// The changes after `base` (the index's sequence) up to `upto` were looked
/// at: `older` when one is to a record the index holds. Kept between
/// searches, so each looks at the changes new since the last only.
#[derive(Default)]
struct Gap {
    base: i64,
    upto: i64,
    older: bool,
    reader: Option<Catalogue>,
}

impl CatchUp {
    pub fn new(catalogue: PathBuf, index: SearchIndex) -> CatchUp {
        CatchUp {
            catalogue,
            index,
            lock: Mutex::new(()),
            closing: AtomicBool::new(false),
            background: Mutex::new(None),
            failed: Mutex::new(None),
            gap: Mutex::new(Gap::default()),
        }
    }

    /// Indexes every record changed since the index's sequence. Returns how
    /// many records were (re)indexed; 0 when another process holds the
    /// index writer.
    pub fn now(&self) -> Result<usize> {
        let _one = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        self.pass()
    }

    /// Makes the index answer for the catalogue as it is now, as far as a
    /// search should wait for (see the module docs).
    pub fn for_search(self: &Arc<Self>, catalogue_seq: i64) -> Result<()> {
        if let Some(e) = self
            .failed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            return Err(e);
        }
        if self.index.searched_seq() >= catalogue_seq {
            return Ok(());
        }
        // Another process's commit, or our own thread's.
        self.index.reload()?;
        let searched = self.index.searched_seq();
        let behind = catalogue_seq - searched;
        if behind <= 0 {
            return Ok(());
        }
        if behind <= SEARCH_CATCHES_UP || self.changes_held_records(searched, catalogue_seq)? {
            self.now()?;
            return Ok(());
        }
        self.in_background();
        Ok(())
    }

    /// Whether a change after the index's sequence `searched` is to a
    /// record the index holds (it has a change at or before `searched`).
    fn changes_held_records(&self, searched: i64, catalogue_seq: i64) -> Result<bool> {
        let mut gap = self.gap.lock().unwrap_or_else(PoisonError::into_inner);
        if gap.base != searched || gap.upto > catalogue_seq {
            gap.base = searched;
            gap.upto = searched;
            gap.older = false;
        }
        if !gap.older && gap.upto < catalogue_seq {
            if gap.reader.is_none() {
                gap.reader = Some(Catalogue::open_reader(&self.catalogue)?);
            }
            if let Some(reader) = &gap.reader {
                gap.older = reader.changes_older_records(searched, gap.upto, catalogue_seq)?;
            }
            gap.upto = catalogue_seq;
        }
        Ok(gap.older)
    }

    /// Starts a catch-up on a thread of its own, unless one runs.
    fn in_background(self: &Arc<Self>) {
        let mut running = self
            .background
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if running.as_ref().is_some_and(|h| !h.is_finished()) {
            return;
        }
        let me = Arc::clone(self);
        // Until caught up: a pull may apply more while a pass runs. A
        // failure is the next search's error.
        let spawned = std::thread::Builder::new()
            .name("arsip-index".into())
            .spawn(move || {
                while !me.closing.load(Ordering::Relaxed) {
                    match me.now() {
                        Ok(0) => break,
                        Ok(_) => {}
                        Err(e) => {
                            *me.failed.lock().unwrap_or_else(PoisonError::into_inner) = Some(e);
                            break;
                        }
                    }
                }
            });
        *running = spawned.ok();
    }

    /// Stops a catch-up in the background at its next commit, and waits
    /// for it.
    pub fn close(&self) {
        self.closing.store(true, Ordering::Relaxed);
        let running = self
            .background
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(handle) = running {
            let _ = handle.join();
        }
    }

    /// Empties the index and indexes every record again.
    pub fn rebuild(&self) -> Result<usize> {
        let _one = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(mut writer) = self.index.writer()? else {
            return Err(Error::new(
                crate::error::ErrorCode::Index,
                "the index is in use by another process",
            ));
        };
        self.index.clear(&mut writer)?;
        self.index.commit(&mut writer, 0)?;
        self.index.finish(writer)?;
        // From sequence 0, every record with any change is indexed again.
        self.pass()
    }

    /// One catch-up, the lock held.
    fn pass(&self) -> Result<usize> {
        let catalogue = Catalogue::open_reader(&self.catalogue)?;
        if catalogue.max_change_seq()? <= self.index.indexed_seq() {
            return Ok(0);
        }
        // The writer before the list of changes: a kiosk searching while the
        // office server imports (and holds the writer) asks for it on every
        // search, and must not list the whole import each time to learn no.
        let Some(mut writer) = self.index.writer()? else {
            return Ok(0);
        };
        // Read after the lock: another process may have committed meanwhile.
        let from = self.index.indexed_seq();
        let changed = catalogue.changed_since(from)?;
        let mut done = 0;
        for chunk in changed.chunks(crate::index::COMMIT_EVERY) {
            for (id, _) in chunk {
                let rid = RecordId::parse(id)?;
                let source = catalogue.index_source(&rid)?;
                self.index.put(&mut writer, &rid, source.as_ref())?;
                done += 1;
            }
            let checkpoint = chunk.last().map(|(_, seq)| *seq).unwrap_or(from);
            self.index.commit(&mut writer, checkpoint)?;
            if self.closing.load(Ordering::Relaxed) {
                break;
            }
        }
        self.index.finish(writer)?;
        Ok(done)
    }
}
