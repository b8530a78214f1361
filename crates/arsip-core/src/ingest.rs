//! Ingest: files and folders in, records out. Decide, then do: `plan` walks the
//! paths into a list of files (pure walking, no catalogue writes); the files are
//! queued as persisted jobs; the jobs run on all cores; each ends as added,
//! duplicate or failed with a reason, and the batch always goes on.

use crate::access::AccessLevel;
use crate::archive::Archive;
use crate::catalogue::{Inserted, Job, JobOutcome, NewFile, NewPage, NewRecord, RecordEdit};
use crate::error::{Error, ErrorCode, Result};
use crate::extract::{self, ExtractOptions};
use crate::ids::RecordId;
use crate::model::StoredFile;
use crate::print::separator::Separator;
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
    /// A batch split at its separator sheets: the record made of each part,
    /// in page order (`id` is the first's, `pages` the sum of those added).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub split: Vec<SplitPart>,
}

/// One document of a batch split at its separator sheets.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SplitPart {
    pub status: FileStatus,
    /// None for a duplicate of a record the caller may not read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<RecordId>,
    /// The part's first and last page in the batch (from 1).
    pub range: [u32; 2],
    pub pages: usize,
    /// The record's title (a record this import added).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A separator sheet stood in front of the part; false for the pages
    /// before the first sheet, which have no fields of their own.
    pub sheet: bool,
    /// Blank pages left out of the part (a duplex scanner's empty backs).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub blank: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
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
            let mut report = run_job(archive, jobs, opts, default_access, actor);
            // Hidden before anyone is told, the batch's progress included.
            if let Err(e) = hide_unreadable(archive, clearance, &mut report) {
                report = failed_report(&jobs[0].path, &e);
            }
            progress.finished(&report);
            report
        })
        .collect();
    reports.extend(done);
    archive.catch_up_index()?;
    let mut summary = IngestSummary::default();
    // Records, not files: a batch split at its sheets counts each part.
    for r in &reports {
        let statuses: Vec<FileStatus> = if r.split.is_empty() {
            vec![r.status]
        } else {
            r.split.iter().map(|p| p.status).collect()
        };
        for status in statuses {
            match status {
                FileStatus::Added => summary.added += 1,
                FileStatus::Duplicate => summary.duplicate += 1,
                FileStatus::Failed => summary.failed += 1,
            }
        }
        summary.pages += r.pages.unwrap_or(0);
    }
    Ok((reports, summary))
}

/// A duplicate of a record the caller may not read is reported without
/// its id: an import must not reveal what a restricted record holds.
fn hide_unreadable(
    archive: &Archive,
    clearance: &crate::access::Clearance,
    report: &mut FileReport,
) -> Result<()> {
    let readable = |id: RecordId| -> Result<bool> {
        Ok(archive
            .with_catalogue(|c| c.record(&id))?
            .is_some_and(|rec| clearance.can_read(rec.access)))
    };
    if let (FileStatus::Duplicate, Some(id)) = (report.status, report.id) {
        if !readable(id)? {
            report.id = None;
        }
    }
    for part in &mut report.split {
        if let (FileStatus::Duplicate, Some(id)) = (part.status, part.id) {
            if !readable(id)? {
                part.id = None;
            }
        }
    }
    Ok(())
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
        split: Vec::new(),
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
    let made = match outcome {
        // A batch of separator sheets only: nothing to archive.
        Ok(made) if made.is_empty() => Err((
            0,
            Error::new(ErrorCode::NoText, first.display().to_string()),
        )),
        other => other,
    };
    let (report, outcome) = match made {
        Ok(made) => {
            let added = made.iter().find(|m| m.added);
            let (status, shown) = match added {
                Some(m) => (FileStatus::Added, m),
                None => (FileStatus::Duplicate, &made[0]),
            };
            let split: Vec<SplitPart> = made
                .iter()
                .filter_map(|m| {
                    m.part.map(|(range, sheet, blank)| SplitPart {
                        status: if m.added {
                            FileStatus::Added
                        } else {
                            FileStatus::Duplicate
                        },
                        id: Some(m.id),
                        range,
                        pages: m.pages,
                        title: m.title.clone(),
                        sheet,
                        blank,
                    })
                })
                .collect();
            let pages: usize = made.iter().filter(|m| m.added).map(|m| m.pages).sum();
            let report = FileReport {
                path: first.display().to_string(),
                parts,
                status,
                id: Some(shown.id),
                pages: added.is_some().then_some(pages),
                error: None,
                split,
            };
            let outcome = match added {
                Some(m) => JobOutcome::Added { record: m.id },
                None => JobOutcome::Duplicate { record: shown.id },
            };
            (report, outcome)
        }
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

/// A part of a batch: its first and last page, whether a sheet stood
/// before it, and how many blank pages were left out.
type PartOf = ([u32; 2], bool, u32);

/// One record a document made, or found already archived.
struct Made {
    id: RecordId,
    pages: usize,
    added: bool,
    part: Option<PartOf>,
    title: Option<String>,
}

/// Reads one file: its original, stored, and its pages with their views.
struct ReadFile {
    file: NewFile,
    views: Vec<(u32, u32, extract::PageView)>,
}

/// One document of a batch split at its separator sheets.
struct BatchPart {
    sheet: Option<Separator>,
    range: [u32; 2],
    blank: u32,
    file: ReadFile,
}

/// What reading one file of a document found.
enum Read {
    New(Box<ReadFile>),
    /// A batch with separator sheets, split into its documents.
    Batch {
        hash: crate::ids::ContentHash,
        parts: Vec<BatchPart>,
    },
    /// Archived already, in this record.
    Archived(RecordId),
    /// The same bytes as an earlier file of this document (one page saved
    /// twice): read once.
    Repeat,
}

/// Reads one file of a document; with `split`, a PDF with separator sheets
/// is split at them (a file that is one of several page files is not).
fn read_file(
    archive: &Archive,
    path: &Path,
    opts: &IngestOptions,
    earlier: &mut Vec<crate::ids::ContentHash>,
    split: bool,
) -> Result<Read> {
    let kind = extract::sniff(path)?;
    let (hash, size) = crate::blobs::BlobStore::hash_file(path)?;
    if earlier.contains(&hash) {
        return Ok(Read::Repeat);
    }
    earlier.push(hash);
    if let Some(owner) = archive.with_catalogue(|c| c.archived(&hash))? {
        return Ok(Read::Archived(owner));
    }
    let pages = extract::extract(path, kind, &opts.extract)?;
    if pages.is_empty() {
        return Err(Error::new(ErrorCode::NoText, path.display().to_string()));
    }
    if split && kind == extract::Kind::Pdf {
        if let Some(parts) = crate::split::parts(&pages) {
            let parts = read_batch(archive, path, pages, parts)?;
            return Ok(Read::Batch { hash, parts });
        }
    }
    archive.blobs().put_file(path, &hash)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = StoredFile {
        name,
        sha256: hash,
        media_type: kind.media_type().to_string(),
        size,
    };
    let read = stored(archive, file, path.display().to_string(), pages)?;
    Ok(Read::New(Box::new(read)))
}

/// New scans of an existing record's paper (a re-scan), in page order:
/// each file read and stored like an import's (never split at separator
/// sheets; a page saved twice read once), with their views. A file a live
/// record holds already is refused (`ScanArchived`).
pub(crate) fn read_rescan(
    archive: &Archive,
    paths: &[PathBuf],
    opts: &IngestOptions,
) -> Result<(Vec<NewFile>, Views)> {
    let mut earlier = Vec::with_capacity(paths.len());
    let mut files = Vec::with_capacity(paths.len());
    let mut views = Vec::with_capacity(paths.len());
    for path in paths {
        match read_file(archive, path, opts, &mut earlier, false)? {
            Read::New(read) => {
                views.push((read.file.file.sha256, read.views));
                files.push(read.file);
            }
            Read::Archived(_) => {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                return Err(Error::new(
                    ErrorCode::ScanArchived,
                    name.unwrap_or_default(),
                ));
            }
            Read::Repeat | Read::Batch { .. } => {}
        }
    }
    Ok((files, views))
}

/// The pages of `files` (a record's originals, stored) read again by OCR,
/// as the record's new content, with their views.
pub(crate) fn read_again(
    archive: &Archive,
    files: Vec<NewFile>,
    opts: &extract::ExtractOptions,
) -> Result<(Vec<NewFile>, Views)> {
    let opts = extract::ExtractOptions {
        force_ocr: true,
        ..opts.clone()
    };
    let mut out = Vec::with_capacity(files.len());
    let mut views = Vec::with_capacity(files.len());
    for f in files {
        let path = archive.local_blob(&f.file.sha256)?;
        let pages = extract::extract(&path, extract::sniff(&path)?, &opts)?;
        let read = stored(archive, f.file, f.original_path, pages)?;
        views.push((read.file.file.sha256, read.views));
        out.push(read.file);
    }
    Ok((out, views))
}

/// A file's pages made ready for the catalogue: thumbnails stored, views
/// kept aside for the cache.
fn stored(
    archive: &Archive,
    file: StoredFile,
    original_path: String,
    pages: Vec<extract::ExtractedPage>,
) -> Result<ReadFile> {
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
    Ok(ReadFile {
        file: NewFile {
            file,
            original_path,
            pages: new_pages,
        },
        views,
    })
}

/// Each part of a batch written as a PDF of its own pages and stored.
fn read_batch(
    archive: &Archive,
    path: &Path,
    pages: Vec<extract::ExtractedPage>,
    parts: Vec<crate::split::Part>,
) -> Result<Vec<BatchPart>> {
    let stem = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let batch = crate::split::Batch::open(path, pages.len())?;
    let mut pages: Vec<Option<extract::ExtractedPage>> = pages.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(parts.len());
    for part in parts {
        let (Some(&first), Some(&last)) = (part.pages.first(), part.pages.last()) else {
            continue;
        };
        let bytes = batch.part(&part.pages, path)?;
        let hash = archive.blobs().put_bytes(&bytes)?;
        let taken: Vec<extract::ExtractedPage> = part
            .pages
            .iter()
            .filter_map(|n| pages.get_mut(*n as usize - 1).and_then(Option::take))
            .collect();
        let file = StoredFile {
            name: format!("{stem} hal {first}-{last}.pdf"),
            sha256: hash,
            media_type: extract::Kind::Pdf.media_type().to_string(),
            size: bytes.len() as u64,
        };
        let original = format!("{} (hal. {first}–{last})", path.display());
        out.push(BatchPart {
            sheet: part.sheet,
            range: [first, last],
            blank: part.blank,
            file: stored(archive, file, original, taken)?,
        });
    }
    Ok(out)
}

/// Reads, stores and catalogues one document (one file, or the page files of
/// one document): the records made, or the failing file's place in `jobs`
/// and why. A document whose files are all archived already is a duplicate
/// of the record holding its first; one only partly archived is refused,
/// naming a file already archived. A single file with separator sheets is
/// one record per part.
fn ingest_document(
    archive: &Archive,
    jobs: &[Job],
    opts: &IngestOptions,
    default_access: AccessLevel,
    actor: &str,
) -> Result<Vec<Made>, (usize, Error)> {
    let mut files = Vec::with_capacity(jobs.len());
    let mut owners = Vec::new();
    let mut earlier = Vec::with_capacity(jobs.len());
    let split = jobs.len() == 1;
    for (i, job) in jobs.iter().enumerate() {
        match read_file(archive, &job.path, opts, &mut earlier, split).map_err(|e| (i, e))? {
            Read::New(file) => files.push(*file),
            Read::Batch { hash, parts } => {
                return ingest_batch(archive, &jobs[0], hash, parts, default_access, actor)
                    .map_err(|e| (0, e));
            }
            Read::Archived(owner) => owners.push((i, owner)),
            Read::Repeat => {}
        }
    }
    if let Some((i, owner)) = owners.first() {
        if files.is_empty() {
            return Ok(vec![Made {
                id: *owner,
                pages: 0,
                added: false,
                part: None,
                title: None,
            }]);
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
    let (record, views) =
        new_record(archive, first, files, None, default_access, actor).map_err(|e| (0, e))?;
    let ids: Vec<i64> = jobs.iter().map(|j| j.id).collect();
    insert(archive, vec![(record, views, None)], &ids, None).map_err(|e| (0, e))
}

/// The records of a batch's parts, added in one transaction with the
/// batch remembered: imported again, it is found archived.
fn ingest_batch(
    archive: &Archive,
    job: &Job,
    hash: crate::ids::ContentHash,
    parts: Vec<BatchPart>,
    default_access: AccessLevel,
    actor: &str,
) -> Result<Vec<Made>> {
    let mut records = Vec::with_capacity(parts.len());
    for part in parts {
        let has_sheet = part.sheet.is_some();
        let sheet = part.sheet.map(|s| known_codes(archive, s)).transpose()?;
        let (record, views) =
            new_record(archive, job, vec![part.file], sheet, default_access, actor)?;
        records.push((record, views, Some((part.range, has_sheet, part.blank))));
    }
    insert(archive, records, &[job.id], Some(&hash))
}

/// A separator sheet's fields with the codes this archive does not know
/// dropped (a sheet printed at another office, or by a newer version).
fn known_codes(archive: &Archive, mut sheet: Separator) -> Result<Separator> {
    use crate::catalogue::vocab::Coded;
    archive.with_catalogue(|c| {
        for (field, coded) in [
            (&mut sheet.doc_type, Coded::DocType),
            (&mut sheet.election, Coded::Election),
            (&mut sheet.region, Coded::Region),
        ] {
            if let Some(code) = field.as_deref() {
                if c.term_name(coded, code)?.is_none() {
                    *field = None;
                }
            }
        }
        Ok(sheet)
    })
}

pub(crate) type Views = Vec<(crate::ids::ContentHash, Vec<(u32, u32, extract::PageView)>)>;

/// A new record of `files`, its title and suggestions read from their text,
/// its fields those of the separator sheet in front of it, if any.
fn new_record(
    archive: &Archive,
    first: &Job,
    mut files: Vec<ReadFile>,
    sheet: Option<Separator>,
    default_access: AccessLevel,
    actor: &str,
) -> Result<(NewRecord, Views)> {
    let full_text: String = files
        .iter()
        .flat_map(|f| f.file.pages.iter())
        .map(|p| format!("{}\n\n", p.text))
        .collect();
    let suggestions = archive.suggest(&full_text)?;
    let name = &files[0].file.file.name;
    let sheet = sheet.unwrap_or_default();
    let mut title = sheet
        .title
        .clone()
        .or_else(|| suggestions.title.clone())
        .unwrap_or_else(|| {
            Path::new(name)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| name.clone())
        });
    // The documents of one stack often share a heading: the TPS its sheet
    // names tells them apart in a list of results.
    if let Some(tps) = &sheet.tps {
        if sheet.title.is_none() && !title.contains(tps.as_str()) {
            title = format!("{title} — TPS {tps}");
        }
    }
    // What the sheet says is no suggestion to confirm.
    let mut suggestions = suggestions;
    let set = |v: &Option<String>| v.is_some();
    if set(&sheet.title) {
        suggestions.title = None;
    }
    if set(&sheet.doc_type) {
        suggestions.doc_type = None;
    }
    if set(&sheet.election) {
        suggestions.election = None;
    }
    if set(&sheet.region) {
        suggestions.region = None;
    }
    if set(&sheet.tps) {
        suggestions.tps = None;
    }
    if set(&sheet.number) {
        suggestions.number = None;
    }
    let access = match &first.access {
        Some(a) => AccessLevel::parse(a)?,
        None => default_access,
    };
    let views: Views = files
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
        metadata: RecordEdit {
            doc_type: sheet.doc_type,
            election: sheet.election,
            region: sheet.region,
            tps: sheet.tps,
            number: sheet.number,
            box_no: sheet.box_no,
            ..RecordEdit::default()
        },
        actor: actor.to_string(),
    };
    Ok((record, views))
}

/// Adds records read by `jobs` and finishes the jobs, in one transaction;
/// the views of those added go to the cache.
fn insert(
    archive: &Archive,
    records: Vec<(NewRecord, Views, Option<PartOf>)>,
    jobs: &[i64],
    batch: Option<&crate::ids::ContentHash>,
) -> Result<Vec<Made>> {
    let new: Vec<&NewRecord> = records.iter().map(|(r, _, _)| r).collect();
    let inserted = archive.with_catalogue(|c| c.insert_records_of_jobs(&new, jobs, batch))?;
    let mut made = Vec::with_capacity(records.len());
    for ((record, views, part), inserted) in records.into_iter().zip(inserted) {
        made.push(match inserted {
            Inserted::Added => {
                for (hash, views) in &views {
                    archive.keep_views(hash, views);
                }
                Made {
                    id: record.id,
                    pages: record.files.iter().map(|f| f.pages.len()).sum(),
                    added: true,
                    part,
                    title: Some(record.title.clone()),
                }
            }
            Inserted::Duplicate(owner) => Made {
                id: owner,
                pages: 0,
                added: false,
                part,
                title: None,
            },
        });
    }
    Ok(made)
}
