//! Keeping the index up with the catalogue, without making a search wait.
//!
//! Who indexes a change:
//! - **whoever made it**, right after (an import, an edit, a pull): its
//!   caller then finds the change at once;
//! - **a search**, when the catalogue is ahead of the index by a few
//!   changes another process made and could not index (it found the index
//!   writer taken): indexed before the search answers, unless a catch-up
//!   here is under way (it will get there);
//! - **a thread of its own**, when the catalogue is ahead by more (a pull
//!   applying an office's log, another process's import): the search
//!   answers from the index as it is, and the thread indexes the rest.
//!
//! A search answering from an index behind the catalogue leaves out the
//! records it may hold in a state the catalogue has left (`unsettled`: a
//! change after the index's sequence that is not the record's first; one
//! may now be restricted, deleted or reworded, and counted or found by its
//! old state it would tell what the caller may not see). They are neither
//! found nor counted until indexed. Records new since the index's sequence
//! are not in the index, so nothing of theirs is counted.
//!
//! Measured with `cargo bench -p arsip-remote --bench pull_search`: while a
//! pull applied 5,000 records into a province of 20,000, a search that
//! found the catalogue ahead indexed the whole gap itself, up to 1 s.
//!
//! Every catch-up reads the catalogue through a read-only connection of its
//! own, kept with the lock that lets one run at a time: in WAL mode it never
//! waits on a write transaction (a pull applies each segment of its log in
//! one), nor makes a writer wait.

use crate::catalogue::Catalogue;
use crate::error::{Error, Result};
use crate::ids::RecordId;
use crate::index::SearchIndex;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

/// A search indexes up to this many changes itself before answering; past
/// it, a thread of its own does (see the module docs).
pub const SEARCH_CATCHES_UP: i64 = 64;

pub(crate) struct CatchUp {
    catalogue: PathBuf,
    pub index: SearchIndex,
    /// One catch-up at a time in this process: a second one waits and then
    /// indexes its own changes, rather than finding the writer taken and
    /// leaving them for later (another process holding the writer still
    /// means "it will catch up"). It holds the catch-ups' read-only
    /// connection, opened at the first.
    lock: Mutex<Option<Catalogue>>,
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

/// The changes up to `upto` were looked at: `unsettled`, the records
/// changed again, each with the last such change. Kept between searches, so
/// each looks at the changes new since the last only; a record leaves once
/// the index's sequence passes its change.
#[derive(Default)]
struct Gap {
    upto: i64,
    unsettled: std::collections::BTreeMap<String, i64>,
}

impl CatchUp {
    pub fn new(catalogue: PathBuf, index: SearchIndex) -> CatchUp {
        CatchUp {
            catalogue,
            index,
            lock: Mutex::new(None),
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
        let mut reader = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        self.pass(&mut reader)
    }

    /// Makes the index answer for the catalogue as it is now, as far as a
    /// search should wait for (see the module docs). Returns the index's
    /// sequence when it is still behind `catalogue_seq`: the search must
    /// then leave out what `unsettled` names.
    pub fn for_search(self: &Arc<Self>, catalogue_seq: i64) -> Result<Option<i64>> {
        if let Some(e) = self
            .failed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            return Err(e);
        }
        if self.index.searched_seq() >= catalogue_seq {
            return Ok(None);
        }
        // Another process's commit, or our own thread's.
        self.index.reload()?;
        if catalogue_seq - self.index.searched_seq() > SEARCH_CATCHES_UP {
            self.in_background();
        } else if let Ok(mut reader) = self.lock.try_lock() {
            // Not while a catch-up here is under way (a pull's, a writer's):
            // it will get there, and waiting for it could take seconds.
            self.pass(&mut reader)?;
        }
        // Still behind (another process holds the writer, or the thread
        // has not got there): the search's searcher reflects this sequence
        // or a later one, so what changed after it covers what it may hold
        // in an old state.
        let searched = self.index.searched_seq();
        Ok((searched < catalogue_seq).then_some(searched))
    }

    /// Records changed again after the index's sequence `searched`, read
    /// from `catalogue` up to `catalogue_seq`.
    pub fn unsettled(
        &self,
        catalogue: &Catalogue,
        searched: i64,
        catalogue_seq: i64,
    ) -> Result<Vec<String>> {
        let mut gap = self.gap.lock().unwrap_or_else(PoisonError::into_inner);
        if gap.upto > catalogue_seq {
            // The catalogue went back (restored): look again.
            *gap = Gap::default();
        }
        let from = gap.upto.max(searched);
        if from < catalogue_seq {
            for (id, seq) in catalogue.records_changed_again(from, catalogue_seq)? {
                let last = gap.unsettled.entry(id).or_insert(seq);
                *last = (*last).max(seq);
            }
            gap.upto = catalogue_seq;
        }
        gap.unsettled.retain(|_, seq| *seq > searched);
        Ok(gap.unsettled.keys().cloned().collect())
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
        let mut reader = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(mut writer) = self.index.writer()? else {
            return Err(Error::new(
                crate::error::ErrorCode::Index,
                "the index is in use by another process",
            ));
        };
        self.index.clear(&mut writer)?;
        self.index.commit(&mut writer, 0)?;
        self.index.forget_searched();
        self.index.finish(writer)?;
        // From sequence 0, every record with any change is indexed again.
        self.pass(&mut reader)
    }

    /// One catch-up, the lock (and its connection) held.
    fn pass(&self, reader: &mut Option<Catalogue>) -> Result<usize> {
        let catalogue = match reader {
            Some(c) => c,
            None => reader.insert(Catalogue::open_reader(&self.catalogue)?),
        };
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
