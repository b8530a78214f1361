//! Ingest: files and folders in, records out. Decide, then do: `plan` walks the
//! paths into a list of files (pure walking, no catalogue writes); the files are
//! queued as persisted jobs; the jobs run on all cores; each ends as added,
//! duplicate or failed with a reason, and the batch always goes on.

use crate::access::AccessLevel;
use crate::archive::Archive;
use crate::catalogue::{Inserted, Job, JobOutcome, NewPage, NewRecord};
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
}

/// What happened to one file.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FileReport {
    pub path: String,
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

pub(crate) fn run(
    archive: &Archive,
    paths: &[PathBuf],
    opts: &IngestOptions,
    progress: &dyn Progress,
    clearance: &crate::access::Clearance,
) -> Result<(Vec<FileReport>, IngestSummary)> {
    let actor = clearance.actor();
    let (files, problems) = plan(paths);
    let access = opts.access.map(|a| a.code().to_string());
    archive.with_catalogue(|c| c.enqueue(&files, opts.series.as_deref(), access.as_deref()))?;
    let jobs = archive.with_catalogue(|c| c.pending_jobs())?;
    progress.started(jobs.len() + problems.len());
    let mut reports: Vec<FileReport> = problems
        .into_iter()
        .map(|(path, error)| failed_report(&path, &error))
        .collect();
    for r in &reports {
        progress.finished(r);
    }
    let default_access = archive.with_catalogue(|c| c.office())?.default_access;
    use rayon::prelude::*;
    let done: Vec<FileReport> = jobs
        .par_iter()
        .map(|job| {
            let report = run_job(archive, job, opts, default_access, actor);
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
    job: &Job,
    opts: &IngestOptions,
    default_access: AccessLevel,
    actor: &str,
) -> FileReport {
    // A panic in a parser must cost this file only.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        ingest_file(archive, job, opts, default_access, actor)
    }))
    .unwrap_or_else(|_| {
        Err(Error::new(
            ErrorCode::ExtractionCrashed,
            "panic while reading the file",
        ))
    });
    let (report, outcome) = match outcome {
        Ok((id, pages, true)) => (
            FileReport {
                path: job.path.display().to_string(),
                status: FileStatus::Added,
                id: Some(id),
                pages: Some(pages),
                error: None,
            },
            JobOutcome::Added { record: id },
        ),
        Ok((id, _, false)) => (
            FileReport {
                path: job.path.display().to_string(),
                status: FileStatus::Duplicate,
                id: Some(id),
                pages: None,
                error: None,
            },
            JobOutcome::Duplicate { record: id },
        ),
        Err(error) => (
            failed_report(&job.path, &error),
            JobOutcome::Failed { error },
        ),
    };
    if let Err(e) = archive.with_catalogue(|c| c.finish_job(job.id, &outcome)) {
        return failed_report(&job.path, &e);
    }
    report
}

/// Reads, stores and catalogues one file: (record, pages, newly added?).
fn ingest_file(
    archive: &Archive,
    job: &Job,
    opts: &IngestOptions,
    default_access: AccessLevel,
    actor: &str,
) -> Result<(RecordId, usize, bool)> {
    let path = &job.path;
    let kind = extract::sniff(path)?;
    let (hash, size) = crate::blobs::BlobStore::hash_file(path)?;
    if let Some(owner) = archive.with_catalogue(|c| c.has_file(&hash))? {
        return Ok((owner, 0, false));
    }
    let pages = extract::extract(path, kind, &opts.extract)?;
    if pages.is_empty() {
        return Err(Error::new(ErrorCode::NoText, path.display().to_string()));
    }
    archive.blobs().put_file(path, &hash)?;
    let mut new_pages = Vec::with_capacity(pages.len());
    let mut views = Vec::new();
    let mut full_text = String::new();
    for (i, p) in pages.into_iter().enumerate() {
        if let Some(view) = p.view {
            views.push((i as u32 + 1, p.rotation, view));
        }
        let thumbnail = match &p.thumbnail {
            Some(bytes) => Some(archive.blobs().put_bytes(bytes)?),
            None => None,
        };
        full_text.push_str(&p.text);
        full_text.push_str("\n\n");
        new_pages.push(NewPage {
            text: p.text,
            source: p.source,
            confidence: p.confidence,
            rotation: p.rotation,
            words: p.words,
            thumbnail,
        });
    }
    let suggestions = archive.suggest(&full_text)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let title = suggestions.title.clone().unwrap_or_else(|| {
        Path::new(&name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| name.clone())
    });
    let access = match &job.access {
        Some(a) => AccessLevel::parse(a)?,
        None => default_access,
    };
    let page_count = new_pages.len();
    // The catalogue flags personal data from every field, file name and page.
    let record = NewRecord {
        id: RecordId::new(),
        title,
        access,
        series: job.series.clone(),
        file: StoredFile {
            name,
            sha256: hash,
            media_type: kind.media_type().to_string(),
            size,
        },
        original_path: path.display().to_string(),
        pages: new_pages,
        suggestions,
        metadata: Default::default(),
        actor: actor.to_string(),
    };
    match archive.with_catalogue(|c| c.insert_record(&record))? {
        Inserted::Added => {
            archive.keep_views(&record.file.sha256, &views);
            Ok((record.id, page_count, true))
        }
        Inserted::Duplicate(owner) => Ok((owner, 0, false)),
    }
}
