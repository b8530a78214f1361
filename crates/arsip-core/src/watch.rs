//! The watched folder: the office scanner's output folder (or a share
//! mounted on the archive computer) read as files arrive. A file is read
//! once it is complete: nothing in the folder has changed for `SETTLE` (a
//! scanner writing page after page, or a copy under way, holds the whole
//! batch, so a document's page files are grouped whole). A file counts as
//! unchanged when its modification time is that old, or, whatever its time
//! says (a share's clock off, a time in the future), when this process has
//! seen it the same for that long. Each file is read once; a file changed
//! afterwards (a page scanned again under the same name) is read again.
//! One process on an archive watches at a time.

use crate::access::{AccessLevel, Clearance};
use crate::archive::Archive;
use crate::catalogue::watch::{WatchPlan, WatchedFile};
use crate::error::{Error, ErrorCode, Result};
use crate::ids::RecordId;
use crate::ingest::{FileReport, IngestOptions, IngestSummary};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// How long nothing in the folder may change before its new files are read:
/// long enough for a flatbed's next page (pages further apart are records
/// of their own, joined afterwards with `move_pages`).
pub const SETTLE: Duration = Duration::from_secs(30);

/// How often the shells look into the watched folder.
pub const LOOK_EVERY: Duration = Duration::from_secs(5);

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
type Version = (Vec<u8>, u64, i64);

/// The folder's files as this process last saw them: (size, modification
/// time), since when it has seen them so, and whether that version is known
/// to be read already (so a folder of years of scans costs no catalogue
/// query per file per look).
#[derive(Default)]
pub(crate) struct Seen(std::sync::Mutex<HashMap<PathBuf, Sight>>);

struct Sight {
    size: u64,
    modified: SystemTime,
    since: Instant,
    read: bool,
}

/// A file at one look.
enum State {
    /// Changed lately: the batch waits.
    Changing,
    /// Unchanged for the settling time, not known to be read.
    Settled,
    /// This version was read already.
    Read,
}

impl Seen {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Sight>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A file's state: settled when it has stayed as it is for `settle`,
    /// by its time or by this process's own watch.
    fn look(&self, path: &Path, size: u64, modified: SystemTime, settle: Duration) -> State {
        let now = SystemTime::now();
        let mut seen = self.lock();
        let sight = seen
            .entry(path.to_path_buf())
            .and_modify(|s| {
                if s.size != size || s.modified != modified {
                    *s = Sight {
                        size,
                        modified,
                        since: Instant::now(),
                        read: false,
                    };
                }
            })
            .or_insert_with(|| Sight {
                size,
                modified,
                since: Instant::now(),
                read: false,
            });
        let by_time = modified <= now && now.duration_since(modified).unwrap_or_default() >= settle;
        if sight.read {
            State::Read
        } else if by_time || sight.since.elapsed() >= settle {
            State::Settled
        } else {
            State::Changing
        }
    }

    /// Notes that the version of `path` last seen is read.
    fn read(&self, path: &Path) {
        if let Some(sight) = self.lock().get_mut(path) {
            sight.read = true;
        }
    }

    fn forget_all_but(&self, present: &[PathBuf]) {
        let present: std::collections::HashSet<&PathBuf> = present.iter().collect();
        self.lock().retain(|p, _| present.contains(p));
    }
}

/// What one look into the watched folder did.
#[derive(Debug)]
pub enum WatchLook {
    /// No folder is watched, or nothing new has settled in it.
    Idle,
    /// Another process on this archive watches it now.
    Elsewhere,
    /// New files were read.
    Read(Vec<FileReport>, IngestSummary),
}

impl Archive {
    /// The watched folder and what it read lately (archivists and admins).
    /// A file read into a record the clearance may not read is not listed
    /// (its name says what the record is about), nor a failure of a folder
    /// read into a class above it.
    pub fn watch_status(&self, clearance: &Clearance) -> Result<WatchStatus> {
        clearance.require_catalogue()?;
        let visible = clearance.visible_sql();
        self.with_catalogue(|c| {
            let plan = c.watch_plan()?;
            let mut recent = c.recent_watched(RECENT, &visible)?;
            if !clearance.can_read(plan_class(&plan, c.office()?.default_access)) {
                recent.retain(|f| f.record_id.is_some());
            }
            Ok(WatchStatus { plan, recent })
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
        // A folder read into a class above the caller's is not theirs to
        // change (they would read its next scans in their own class).
        let (current, default) =
            self.with_catalogue(|c| Ok((c.watch_plan()?, c.office()?.default_access)))?;
        if current.folder.is_some() && !clearance.can_read(plan_class(&current, default)) {
            return Err(Error::new(
                ErrorCode::AccessDenied,
                "the watched folder reads into a class above the caller's",
            ));
        }
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
                ErrorCode::FolderInvalid,
                format!("{}: {why}", folder.display()),
            )
        };
        if !folder.is_absolute() {
            return Err(bad("not an absolute path"));
        }
        let real = folder.canonicalize().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                Error::new(ErrorCode::FolderMissing, folder.display().to_string())
            }
            kind => Error::new(ErrorCode::of_io(kind), folder.display().to_string()),
        })?;
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
    /// files read when the folder has settled.
    pub fn watch_once(&self, holder: &str, settle: Duration) -> Result<WatchLook> {
        let plan = self.with_catalogue(|c| c.watch_plan())?;
        let Some(folder) = plan.folder.clone() else {
            return Ok(WatchLook::Idle);
        };
        let now = crate::clock::now_unix();
        let until = now + LEASE.as_secs() as i64;
        if !self.with_catalogue(|c| c.hold_watch(holder, now, until))? {
            return Ok(WatchLook::Elsewhere);
        }
        let outcome = self.read_new_files(Path::new(&folder), &plan, settle);
        // A look that read files the machine failed on (a full disk) says so
        // too: those files are read again at the next look.
        let error = match &outcome {
            Err(e) => Some(e.code),
            Ok(WatchLook::Read(reports, _)) => reports
                .iter()
                .filter_map(|r| r.error.as_ref())
                .map(|e| e.code)
                .find(|c| !c.is_user_error()),
            Ok(_) => None,
        };
        self.with_catalogue(|c| c.note_watch(error.map(ErrorCode::as_str)))?;
        outcome
    }

    fn read_new_files(
        &self,
        folder: &Path,
        plan: &WatchPlan,
        settle: Duration,
    ) -> Result<WatchLook> {
        if !folder.is_dir() {
            // A share not mounted, a drive not plugged in: said, nothing lost.
            return Err(Error::new(
                ErrorCode::FolderMissing,
                folder.display().to_string(),
            ));
        }
        let (files, _) = crate::ingest::plan(&[folder.to_path_buf()]);
        self.watch_seen.forget_all_but(&files);
        let mut new: Vec<(PathBuf, Version)> = Vec::new();
        let mut waiting = false;
        for path in files {
            if is_partial(&path) {
                continue;
            }
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            // Every file is seen at every look, so each one's watch runs.
            match self.watch_seen.look(&path, meta.len(), modified, settle) {
                State::Read => continue,
                State::Changing => {
                    waiting = true;
                    continue;
                }
                State::Settled => {}
            }
            let version: Version = (
                crate::catalogue::path_bytes(&path),
                meta.len(),
                modified
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as i64)
                    .unwrap_or(0),
            );
            if self.with_catalogue(|c| c.watched(&version.0, version.1, version.2))? {
                self.watch_seen.read(&path);
            } else {
                new.push((path, version));
            }
        }
        // Still being written (or just copied in): the whole batch waits,
        // so a document's pages are grouped together.
        if waiting || new.is_empty() {
            return Ok(WatchLook::Idle);
        }
        let access = plan.access.as_deref().map(AccessLevel::parse).transpose()?;
        let opts = IngestOptions {
            series: plan.series.clone(),
            access,
            ..IngestOptions::default()
        };
        let actor = format!("folder-pantau:{}", plan.set_by.as_deref().unwrap_or("-"));
        let paths: Vec<PathBuf> = new.iter().map(|(p, _)| p.clone()).collect();
        // The documents already read from the folder, by their page-marked
        // name: a page scanned after its document was read joins it.
        let earlier: HashMap<String, RecordId> = self
            .with_catalogue(|c| c.watched_records())?
            .into_iter()
            .filter_map(|(path, record)| {
                let (key, _) = crate::page_files::document_of(&path)?;
                Some((key, RecordId::parse(&record).ok()?))
            })
            .collect();
        let operator = Clearance::operator(actor);
        let (mut reports, summary) = self.ingest(&paths, &opts, &(), &operator)?;
        for report in &mut reports {
            self.join_earlier_pages(report, &earlier, &operator);
        }
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
            let read: Vec<&(PathBuf, Version)> = new
                .iter()
                .filter(|(p, _)| names.contains(&p.display().to_string()))
                .collect();
            let versions: Vec<Version> = read.iter().map(|(_, v)| v.clone()).collect();
            self.with_catalogue(|c| c.note_watched(&versions, report))?;
            for (path, _) in read {
                self.watch_seen.read(path);
            }
        }
        Ok(WatchLook::Read(reports, summary))
    }
}

impl Archive {
    /// A late page: a record just read whose page-marked name is that of a
    /// record read earlier from the folder is moved into it (a flatbed's
    /// next page, scanned after the folder settled). Left as it is when the
    /// earlier record is gone, or of another class now.
    fn join_earlier_pages(
        &self,
        report: &mut FileReport,
        earlier: &HashMap<String, RecordId>,
        operator: &Clearance,
    ) {
        let (Some(id), crate::ingest::FileStatus::Added) = (report.id, report.status) else {
            return;
        };
        let Some(into) = crate::page_files::document_of(&report.path)
            .and_then(|(key, _)| earlier.get(&key).copied())
            .filter(|into| *into != id)
        else {
            return;
        };
        let pages: Vec<u32> = match self.with_catalogue(|c| c.pages(&id)) {
            Ok(pages) => pages.iter().map(|p| p.number).collect(),
            Err(_) => return,
        };
        if self.move_pages(&id, &pages, Some(&into), operator).is_ok() {
            report.id = Some(into);
        }
    }
}

/// The class a plan reads files into (the office's default when it names
/// none); an unknown one reads as the highest.
fn plan_class(plan: &WatchPlan, default: AccessLevel) -> AccessLevel {
    match plan.access.as_deref() {
        None => default,
        Some(code) => AccessLevel::parse(code).unwrap_or(AccessLevel::SangatRahasia),
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
