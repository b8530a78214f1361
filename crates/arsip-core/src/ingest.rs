//! Ingest: files and folders in, records out. Decide, then do: `plan` walks the
//! paths into a list of files (pure walking, no catalogue writes); the files are
//! queued as persisted jobs; the jobs run on all cores; each ends as added,
//! duplicate or failed with a reason, and the batch always goes on.

use crate::access::AccessLevel;
use crate::archive::Archive;
use crate::catalogue::{Inserted, Job, JobOutcome, NewFile, NewPage, NewRecord};
use crate::error::{Error, ErrorCode, Result};
use crate::extract::{self, ExtractOptions};
use crate::ids::RecordId;
use crate::model::StoredFile;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Choices for one ingest batch.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    pub series: Option<String>,
    /// The access class of new records; the archive's default (Terbatas) if None.
    pub access: Option<AccessLevel>,
    pub extract: ExtractOptions,
    /// How files become documents (see `page_files`).
    pub documents: Documents,
}

/// How the files of a batch become records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Documents {
    /// Files marked with page numbers under one name are one record; every
    /// other file is a record of its own.
    #[default]
    PageNumbers,
    /// Also each run of a scanner's generic numbered names (`scan0001`…).
    Sequences,
    /// Every file a record of its own.
    EachFile,
    /// The whole batch, in the order given, is one record's pages.
    One,
}

/// What happened to one document: one file, or the page files read into one
/// record (the first in `path`, the others in `parts`). A failed document
/// names the file that failed in `path`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FileReport {
    pub path: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<String>,
    pub status: FileStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<RecordId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorReport>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    Added,
    Duplicate,
    Failed,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ErrorReport {
    pub code: crate::error::ErrorCode,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct IngestSummary {
    pub added: usize,
    pub duplicate: usize,
    pub failed: usize,
    pub pages: usize,
}

/// How long a batch's pending jobs wait for the process that queued them
/// before another batch takes them over (that process was cut off).
const STALE_BATCH: std::time::Duration = std::time::Duration::from_secs(6 * 3600);

/// Progress callbacks: the batch size once known, then each file as it ends.
pub trait Progress: Sync {
    fn started(&self, _files: usize) {}
    fn finished(&self, _report: &FileReport) {}
}

impl Progress for () {}

/// Walks paths into the files to ingest, in a stable order. Unreadable entries and
/// symlink loops become per-path failures rather than stopping the walk.
pub fn plan(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, Error)>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for root in paths {
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name();
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => files.push(e.into_path()),
                Ok(_) => {}
                Err(e) => {
                    let path = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| root.clone());
                    let code = if e.loop_ancestor().is_some() {
                        ErrorCode::InvalidInput
                    } else if let Some(io) = e.io_error() {
                        ErrorCode::of_io(io.kind())
                    } else {
                        ErrorCode::Unreadable
                    };
                    problems.push((path, Error::new(code, e.to_string())));
                }
            }
        }
    }
    (files, problems)
}

/// The documents of a batch's files, each in page order.
pub fn documents(files: Vec<PathBuf>, how: Documents) -> Vec<Vec<PathBuf>> {
    let sequences = match how {
        Documents::EachFile => return files.into_iter().map(|f| vec![f]).collect(),
        Documents::One if files.is_empty() => return Vec::new(),
        Documents::One => return vec![files],
        Documents::PageNumbers => false,
        Documents::Sequences => true,
    };
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    crate::page_files::propose(&names, sequences)
        .into_iter()
        .map(|d| d.files.iter().map(|i| files[*i].clone()).collect())
        .collect()
}

pub(crate) fn run(
    archive: &Archive,
    paths: &[PathBuf],
    opts: &IngestOptions,
    progress: &dyn Progress,
    clearance: &crate::access::Clearance,
    scratch: Option<&Path>,
) -> Result<(Vec<FileReport>, IngestSummary)> {
    let actor = clearance.actor();
    let (files, mut problems) = plan(paths);
    // The archive's own files (originals, thumbnails, the catalogue) are
    // never read in again, whatever path or link leads there: that would
    // copy a restricted record's page into a record of another class.
    let root = archive.root().canonicalize()?;
    let scratch = scratch.map(Path::canonicalize).transpose()?;
    let (files, inside): (Vec<PathBuf>, Vec<PathBuf>) = files.into_iter().partition(|f| {
        let real = f.canonicalize().unwrap_or_else(|_| f.clone());
        !real.starts_with(&root) || scratch.as_ref().is_some_and(|s| real.starts_with(s))
    });
    problems.extend(inside.into_iter().map(|f| {
        let e = Error::new(
            ErrorCode::AccessDenied,
            format!("{} is inside the archive", f.display()),
        );
        (f, e)
    }));
    let access = opts.access.map(|a| a.code().to_string());
    let documents = documents(files, opts.documents);
    // A batch is this call's: another process's batch on the same archive
    // is left to it, unless it was left pending for hours (cut off).
    let owner = crate::ids::RecordId::new().to_string();
    let stale = crate::clock::rfc3339_at(crate::clock::now_unix() - STALE_BATCH.as_secs() as i64);
    archive.with_catalogue(|c| {
        c.enqueue(
            &documents,
            opts.series.as_deref(),
            access.as_deref(),
            &owner,
        )
    })?;
    let jobs = archive.with_catalogue(|c| c.pending_jobs(&owner, &stale))?;
    let mut groups: Vec<Vec<Job>> = Vec::new();
    for job in jobs {
        match groups.last_mut() {
            Some(g) if g[0].group == job.group => g.push(job),
            _ => groups.push(vec![job]),
        }
    }
    progress.started(groups.len() + problems.len());
    let mut reports: Vec<FileReport> = problems
        .into_iter()
        .map(|(path, error)| failed_report(&path, &error))
        .collect();
    for r in &reports {
        progress.finished(r);
    }
    let default_access = archive.with_catalogue(|c| c.office())?.default_access;
    use rayon::prelude::*;
    let done: Vec<FileReport> = groups
        .par_iter()
        .map(|jobs| {
            let report = run_job(archive, jobs, opts, default_access, actor);
            progress.finished(&report);
            report
        })
        .collect();
    reports.extend(done);
    // A duplicate of a record the caller may not read is reported without
    // its id: an upload must not reveal what a restricted record holds.
    for r in &mut reports {
        if let (FileStatus::Duplicate, Some(id)) = (r.status, r.id) {
            let readable = archive
                .with_catalogue(|c| c.record(&id))?
                .is_some_and(|rec| clearance.can_read(rec.access));
            if !readable {
                r.id = None;
            }
        }
    }
    archive.catch_up_index()?;
    let mut summary = IngestSummary::default();
    for r in &reports {
        match r.status {
            FileStatus::Added => summary.added += 1,
            FileStatus::Duplicate => summary.duplicate += 1,
            FileStatus::Failed => summary.failed += 1,
        }
        summary.pages += r.pages.unwrap_or(0);
    }
    Ok((reports, summary))
}

/// A failed file's report: the code's words, without the detail. The path
/// is the report's own field, and the detail (the operating system's or a
/// parser's English words: "Permission denied (os error 13)", "Syntax
/// Error: Couldn't find trailer dictionary") stays in the job table.
fn failed_report(path: &Path, error: &Error) -> FileReport {
    FileReport {
        path: path.display().to_string(),
        parts: Vec::new(),
        status: FileStatus::Failed,
        id: None,
        pages: None,
        error: Some(ErrorReport {
            code: error.code,
            message: crate::strings::error_text(error.code, crate::strings::Lang::Id).to_string(),
        }),
    }
}

fn run_job(
    archive: &Archive,
    jobs: &[Job],
    opts: &IngestOptions,
    default_access: AccessLevel,
    actor: &str,
) -> FileReport {
    // A panic in a parser must cost this document only.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        ingest_document(archive, jobs, opts, default_access, actor)
    }))
    .unwrap_or_else(|_| {
        Err((
            0,
            Error::new(ErrorCode::ExtractionCrashed, "panic while reading the file"),
        ))
    });
    let first = &jobs[0].path;
    let parts: Vec<String> = jobs[1..]
        .iter()
        .map(|j| j.path.display().to_string())
        .collect();
    let (report, outcome) = match outcome {
        Ok((id, pages, true)) => (
            FileReport {
                path: first.display().to_string(),
                parts,
                status: FileStatus::Added,
                id: Some(id),
                pages: Some(pages),
                error: None,
            },
            JobOutcome::Added { record: id },
        ),
        Ok((id, _, false)) => (
            FileReport {
                path: first.display().to_string(),
                parts,
                status: FileStatus::Duplicate,
                id: Some(id),
                pages: None,
                error: None,
            },
            JobOutcome::Duplicate { record: id },
        ),
        Err((failing, error)) => {
            let mut report = failed_report(&jobs[failing].path, &error);
            report.parts = jobs
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != failing)
                .map(|(_, j)| j.path.display().to_string())
                .collect();
            (report, JobOutcome::Failed { error })
        }
    };
    // An added record's jobs were finished in its own transaction (one
    // commit, one disk sync, per record).
    if !matches!(outcome, JobOutcome::Added { .. }) {
        for job in jobs {
            if let Err(e) = archive.with_catalogue(|c| c.finish_job(job.id, &outcome)) {
                return failed_report(&job.path, &e);
            }
        }
    }
    report
}

/// Reads one file: its original, stored, and its pages with their views.
struct ReadFile {
    file: NewFile,
    views: Vec<(u32, u32, extract::PageView)>,
}

/// What reading one file of a document found.
enum Read {
    New(Box<ReadFile>),
    /// Archived already, in this record.
    Archived(RecordId),
    /// The same bytes as an earlier file of this document (one page saved
    /// twice): read once.
    Repeat,
}

fn read_file(
    archive: &Archive,
    path: &Path,
    opts: &IngestOptions,
    earlier: &mut Vec<crate::ids::ContentHash>,
) -> Result<Read> {
    let kind = extract::sniff(path)?;
    let (hash, size) = crate::blobs::BlobStore::hash_file(path)?;
    if earlier.contains(&hash) {
        return Ok(Read::Repeat);
    }
    earlier.push(hash);
    if let Some(owner) = archive.with_catalogue(|c| c.has_file(&hash))? {
        return Ok(Read::Archived(owner));
    }
    let pages = extract::extract(path, kind, &opts.extract)?;
    if pages.is_empty() {
        return Err(Error::new(ErrorCode::NoText, path.display().to_string()));
    }
    archive.blobs().put_file(path, &hash)?;
    let mut new_pages = Vec::with_capacity(pages.len());
    let mut views = Vec::new();
    for (i, p) in pages.into_iter().enumerate() {
        if let Some(view) = p.view {
            views.push((i as u32 + 1, p.rotation, view));
        }
        let thumbnail = match &p.thumbnail {
            Some(bytes) => Some(archive.blobs().put_bytes(bytes)?),
            None => None,
        };
        new_pages.push(NewPage {
            text: p.text,
            source: p.source,
            confidence: p.confidence,
            rotation: p.rotation,
            words: p.words,
            thumbnail,
        });
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Read::New(Box::new(ReadFile {
        file: NewFile {
            file: StoredFile {
                name,
                sha256: hash,
                media_type: kind.media_type().to_string(),
                size,
            },
            original_path: path.display().to_string(),
            pages: new_pages,
        },
        views,
    })))
}

/// Reads, stores and catalogues one document (one file, or the page files of
/// one document): (record, pages, newly added?), or the failing file's place
/// in `jobs` and why. A document whose files are all archived already is a
/// duplicate of the record holding its first; one only partly archived is
/// refused, naming a file already archived.
fn ingest_document(
    archive: &Archive,
    jobs: &[Job],
    opts: &IngestOptions,
    default_access: AccessLevel,
    actor: &str,
) -> Result<(RecordId, usize, bool), (usize, Error)> {
    let mut files = Vec::with_capacity(jobs.len());
    let mut owners = Vec::new();
    let mut earlier = Vec::with_capacity(jobs.len());
    for (i, job) in jobs.iter().enumerate() {
        match read_file(archive, &job.path, opts, &mut earlier).map_err(|e| (i, e))? {
            Read::New(file) => files.push(*file),
            Read::Archived(owner) => owners.push((i, owner)),
            Read::Repeat => {}
        }
    }
    if let Some((i, owner)) = owners.first() {
        if files.is_empty() {
            return Ok((*owner, 0, false));
        }
        return Err((
            *i,
            Error::new(
                ErrorCode::PartlyArchived,
                jobs[*i].path.display().to_string(),
            ),
        ));
    }
    let first = &jobs[0];
    let full_text: String = files
        .iter()
        .flat_map(|f| f.file.pages.iter())
        .map(|p| format!("{}\n\n", p.text))
        .collect();
    let fail = |e: Error| (0, e);
    let suggestions = archive.suggest(&full_text).map_err(fail)?;
    let name = &files[0].file.file.name;
    let title = suggestions.title.clone().unwrap_or_else(|| {
        Path::new(name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| name.clone())
    });
    let access = match &first.access {
        Some(a) => AccessLevel::parse(a).map_err(fail)?,
        None => default_access,
    };
    let page_count = files.iter().map(|f| f.file.pages.len()).sum();
    let views: Vec<_> = files
        .iter_mut()
        .map(|f| (f.file.file.sha256, std::mem::take(&mut f.views)))
        .collect();
    // The catalogue flags personal data from every field, file name and page.
    let record = NewRecord {
        id: RecordId::new(),
        title,
        access,
        series: first.series.clone(),
        files: files.into_iter().map(|f| f.file).collect(),
        suggestions,
        metadata: Default::default(),
        actor: actor.to_string(),
    };
    match archive
        .with_catalogue(|c| {
            let ids: Vec<i64> = jobs.iter().map(|j| j.id).collect();
            c.insert_record_of_jobs(&record, &ids)
        })
        .map_err(fail)?
    {
        Inserted::Added => {
            for (hash, views) in &views {
                archive.keep_views(hash, views);
            }
            Ok((record.id, page_count, true))
        }
        Inserted::Duplicate(owner) => Ok((owner, 0, false)),
    }
}
