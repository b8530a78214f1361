//! The watched folder: the office scanner's output folder (or a share
//! mounted on the archive computer) read as files arrive. A file is read
//! once it is complete: nothing in the folder has changed for `SETTLE` (a
//! scanner writing page after page, or a copy under way, holds the whole
//! batch, so a document's page files are grouped whole). Each file is read
//! once; a file changed afterwards (a page scanned again under the same
//! name) is read again. One process on an archive watches at a time.

use crate::access::{AccessLevel, Clearance};
use crate::archive::Archive;
use crate::catalogue::watch::{WatchPlan, WatchedFile};
use crate::error::{Error, ErrorCode, Result};
use crate::ingest::{FileReport, IngestOptions, IngestSummary};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How long nothing in the folder may change before its new files are read.
pub const SETTLE: Duration = Duration::from_secs(10);

/// How long a process holds the watch without looking again.
const LEASE: Duration = Duration::from_secs(120);

/// Files lately read, for the import screen.
const RECENT: usize = 50;

/// The watched folder, how it last went and what it read lately.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct WatchStatus {
    pub plan: WatchPlan,
    pub recent: Vec<WatchedFile>,
}

/// One file's identity for "read already": path, size, modification time.
type Seen = (Vec<u8>, u64, i64);

impl Archive {
    /// The watched folder and what it read lately (archivists and admins).
    pub fn watch_status(&self, clearance: &Clearance) -> Result<WatchStatus> {
        clearance.require_catalogue()?;
        self.with_catalogue(|c| {
            Ok(WatchStatus {
                plan: c.watch_plan()?,
                recent: c.recent_watched(RECENT)?,
            })
        })
    }

    /// Sets (or, with None, stops) the watched folder: an existing folder
    /// outside the archive, read into `access` (no higher than the setter's
    /// own clearance) and `series`.
    pub fn set_watch(
        &self,
        folder: Option<&Path>,
        series: Option<&str>,
        access: Option<AccessLevel>,
        clearance: &Clearance,
    ) -> Result<WatchStatus> {
        let opts = IngestOptions {
            access,
            ..IngestOptions::default()
        };
        self.check_ingest(&opts, clearance)?;
        let folder = match folder {
            None => None,
            Some(f) => Some(self.check_watch_folder(f)?),
        };
        let series = series.map(str::trim).filter(|s| !s.is_empty());
        self.with_catalogue(|c| {
            c.set_watch_plan(
                folder.as_deref(),
                series,
                access.map(AccessLevel::code),
                clearance.actor(),
            )
        })?;
        self.watch_status(clearance)
    }

    fn check_watch_folder(&self, folder: &Path) -> Result<String> {
        let bad = |why: &str| {
            Error::new(
                ErrorCode::InvalidInput,
                format!("{}: {why}", folder.display()),
            )
        };
        if !folder.is_absolute() {
            return Err(bad("not an absolute path"));
        }
        let real = folder
            .canonicalize()
            .map_err(|e| Error::new(ErrorCode::of_io(e.kind()), folder.display().to_string()))?;
        if !real.is_dir() {
            return Err(bad("not a folder"));
        }
        let root = self.root().canonicalize()?;
        if real.starts_with(&root) || root.starts_with(&real) {
            return Err(bad("inside the archive, or holding it"));
        }
        Ok(real.display().to_string())
    }

    /// One look into the watched folder by the process `holder`: the new
    /// files read when the folder has settled, None when there is nothing to
    /// do (no folder, another process watching, files still arriving).
    pub fn watch_once(
        &self,
        holder: &str,
        settle: Duration,
    ) -> Result<Option<(Vec<FileReport>, IngestSummary)>> {
        let now = crate::clock::now_unix();
        let until = now + LEASE.as_secs() as i64;
        if !self.with_catalogue(|c| c.hold_watch(holder, now, until))? {
            return Ok(None);
        }
        let plan = self.with_catalogue(|c| c.watch_plan())?;
        let Some(folder) = plan.folder.clone() else {
            return Ok(None);
        };
        let outcome = self.read_new_files(Path::new(&folder), &plan, settle);
        let error = outcome.as_ref().err().map(|e| e.code.as_str());
        self.with_catalogue(|c| c.note_watch(error))?;
        outcome
    }

    fn read_new_files(
        &self,
        folder: &Path,
        plan: &WatchPlan,
        settle: Duration,
    ) -> Result<Option<(Vec<FileReport>, IngestSummary)>> {
        if !folder.is_dir() {
            // A share not mounted, a drive not plugged in: said, nothing lost.
            return Err(Error::new(
                ErrorCode::FolderMissing,
                folder.display().to_string(),
            ));
        }
        let (files, _) = crate::ingest::plan(&[folder.to_path_buf()]);
        let mut new: Vec<(PathBuf, Seen)> = Vec::new();
        let fresh_after = SystemTime::now()
            .checked_sub(settle)
            .unwrap_or(SystemTime::UNIX_EPOCH);
        for path in files {
            if is_partial(&path) {
                continue;
            }
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            if modified > fresh_after {
                // Still being written (or just copied in): the whole batch
                // waits, so a document's pages are grouped together.
                return Ok(None);
            }
            let seen: Seen = (
                crate::catalogue::path_bytes(&path),
                meta.len(),
                modified
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as i64)
                    .unwrap_or(0),
            );
            if !self.with_catalogue(|c| c.watched(&seen.0, seen.1, seen.2))? {
                new.push((path, seen));
            }
        }
        if new.is_empty() {
            return Ok(None);
        }
        let access = plan.access.as_deref().map(AccessLevel::parse).transpose()?;
        let opts = IngestOptions {
            series: plan.series.clone(),
            access,
            ..IngestOptions::default()
        };
        let actor = format!("folder-pantau:{}", plan.set_by.as_deref().unwrap_or("-"));
        let paths: Vec<PathBuf> = new.iter().map(|(p, _)| p.clone()).collect();
        let (reports, summary) = self.ingest(&paths, &opts, &(), &Clearance::operator(actor))?;
        for report in &reports {
            // A file the machine failed on (a full disk, a missing tool) is
            // read again at the next look; one that is itself bad, not.
            if report
                .error
                .as_ref()
                .is_some_and(|e| !e.code.is_user_error())
            {
                continue;
            }
            let names: Vec<String> = std::iter::once(report.path.clone())
                .chain(report.parts.iter().cloned())
                .collect();
            let seen: Vec<Seen> = new
                .iter()
                .filter(|(p, _)| names.contains(&p.display().to_string()))
                .map(|(_, s)| s.clone())
                .collect();
            self.with_catalogue(|c| c.note_watched(&seen, report))?;
        }
        Ok(Some((reports, summary)))
    }
}

/// Files a scanner or a copy is still writing under a temporary name, and
/// hidden files: never read.
fn is_partial(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    name.starts_with('.')
        || name.starts_with("~$")
        || [".tmp", ".part", ".crdownload", ".partial", ".filepart"]
            .iter()
            .any(|ext| name.ends_with(ext))
}
