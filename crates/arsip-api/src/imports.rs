//! Import batches started over the API run on a blocking thread; their
//! progress is kept here for the UI to poll. The catalogue's job queue is what
//! survives a power cut (the next batch resumes it); this is only the view.

use crate::wire::{ErrorBody, ImportStatus};
use arsip_core::{FileReport, IngestSummary, Lang, Progress};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Batches kept for polling; the oldest finished ones are forgotten first.
const KEEP: usize = 50;

#[derive(Default)]
pub struct Imports {
    next: AtomicU64,
    batches: Mutex<HashMap<u64, ImportStatus>>,
}

impl Imports {
    fn with<T>(&self, f: impl FnOnce(&mut HashMap<u64, ImportStatus>) -> T) -> T {
        let mut map = self
            .batches
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut map)
    }

    /// A new batch, not yet walked.
    pub fn start(&self) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        self.with(|m| {
            if m.len() >= KEEP {
                let done: Option<u64> = m
                    .values()
                    .filter(|s| s.summary.is_some() || s.error.is_some())
                    .map(|s| s.id)
                    .min();
                if let Some(old) = done {
                    m.remove(&old);
                }
            }
            m.insert(
                id,
                ImportStatus {
                    id,
                    ..ImportStatus::default()
                },
            );
        });
        id
    }

    pub fn status(&self, id: u64) -> Option<ImportStatus> {
        self.with(|m| m.get(&id).cloned())
    }

    pub fn finish(&self, id: u64, outcome: Result<IngestSummary, ErrorBody>) {
        self.with(|m| {
            if let Some(s) = m.get_mut(&id) {
                match outcome {
                    Ok(summary) => s.summary = Some(summary),
                    Err(e) => s.error = Some(e),
                }
            }
        });
    }

    pub fn progress(self: &Arc<Self>, id: u64) -> BatchProgress {
        BatchProgress {
            imports: self.clone(),
            id,
        }
    }
}

/// A file's report with its failure told in the reader's language: the core
/// words it in Indonesian, by its code, and never with the system's words.
pub fn told_in(mut report: FileReport, lang: Lang) -> FileReport {
    if let Some(error) = &mut report.error {
        error.message = arsip_core::strings::error_text(error.code, lang).to_string();
    }
    report
}

/// The watched folder's status with its failures told in the reader's language.
pub fn watch_told_in(
    mut status: arsip_core::watch::WatchStatus,
    lang: Lang,
) -> arsip_core::watch::WatchStatus {
    let tell = |e: &mut arsip_core::ingest::ErrorReport| {
        e.message = arsip_core::strings::error_text(e.code, lang).to_string();
    };
    status.plan.last_error.iter_mut().for_each(tell);
    for file in &mut status.recent {
        file.error.iter_mut().for_each(tell);
    }
    status
}

/// The core's progress callbacks, written into a batch's status.
pub struct BatchProgress {
    imports: Arc<Imports>,
    id: u64,
}

impl Progress for BatchProgress {
    fn started(&self, files: usize) {
        self.imports.with(|m| {
            if let Some(s) = m.get_mut(&self.id) {
                s.total = Some(files);
            }
        });
    }

    fn finished(&self, report: &FileReport) {
        self.imports.with(|m| {
            if let Some(s) = m.get_mut(&self.id) {
                s.files.push(report.clone());
            }
        });
    }
}
