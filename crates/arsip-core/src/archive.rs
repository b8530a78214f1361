//! `Archive`: one folder (catalogue, blobs, index) and the typed operations the
//! shells call. Every read that can return record content takes a `Clearance`.

use crate::access::{AccessLevel, Clearance, Role};
use crate::audit::{AuditEntry, AuditFilter, AuditReport};
use crate::blobs::{BlobStore, Fixity};
use crate::catalogue::{Catalogue, RecordEdit, RecordSummary, Session, UserEdit, UserInfo};
use crate::error::{Error, ErrorCode, Result};
use crate::ids::{ContentHash, RecordId};
use crate::index::{Facets, SearchIndex, SearchRequest};
use crate::ingest::{FileReport, IngestOptions, IngestSummary, Progress};
use crate::model::{Page, Record, StoredFile, Suggestions};
use crate::redact::Redact;
use serde::Serialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub const CATALOGUE_FILE: &str = "catalogue.sqlite";
/// How long a login lasts: one working day.
pub const SESSION_HOURS: i64 = 10;

/// Where an archive lives when none is named: `$ARSIP_ARCHIVE`, else the
/// folder chosen at the first run (`remember_dir`), else the platform's data
/// folder (`~/.local/share/rpp-arsip`, `%APPDATA%\rpp-arsip`).
pub fn default_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ARSIP_ARCHIVE") {
        return Some(PathBuf::from(dir));
    }
    let base = data_dir()?;
    Some(remembered_dir().unwrap_or_else(|| base.join("rpp-arsip")))
}

/// The folder the first run chose, when it chose one other than the default.
pub fn remembered_dir() -> Option<PathBuf> {
    std::fs::read_to_string(data_dir()?.join(CHOSEN_FILE))
        .ok()
        .map(|text| PathBuf::from(text.trim_end_matches(['\r', '\n'])))
        .filter(|path| path.is_absolute())
}

/// Beside the platform's archive folder: the path of the archive the first
/// run made elsewhere.
const CHOSEN_FILE: &str = "rpp-arsip.folder";

fn data_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("APPDATA").map(PathBuf::from))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
}

/// Makes `dir` the archive later starts open when none is named (the first
/// run's choice of folder). Written whole or not at all.
pub fn remember_dir(dir: &Path) -> Result<()> {
    let Some(base) = data_dir() else {
        return Ok(());
    };
    if dir == base.join("rpp-arsip") {
        let _ = std::fs::remove_file(base.join(CHOSEN_FILE));
        return Ok(());
    }
    std::fs::create_dir_all(&base).map_err(crate::error::io_at(&base))?;
    let path = base.join(CHOSEN_FILE);
    let partial = base.join(format!("{CHOSEN_FILE}.partial"));
    std::fs::write(&partial, dir.to_string_lossy().as_bytes())
        .map_err(crate::error::io_at(&partial))?;
    std::fs::rename(&partial, &path).map_err(crate::error::io_at(&path))
}

/// Most records one export holds.
pub const EXPORT_MAX: usize = 10_000;

/// Most audit entries one export of the audit trail holds (the newest).
pub const AUDIT_EXPORT_MAX: usize = 100_000;
/// Most changes a record's history shows (the newest).
pub const RECORD_HISTORY_MAX: usize = 500;

/// Most page files one uploaded document may have (a long register scanned
/// page by page).
pub const MAX_DOCUMENT_FILES: usize = 1000;

pub struct Archive {
    root: PathBuf,
    catalogue: Mutex<Catalogue>,
    blobs: BlobStore,
    /// The index, and who keeps it up with the catalogue.
    catch_up: std::sync::Arc<crate::catch_up::CatchUp>,
    /// A read-only connection for searches: they never wait on a write
    /// transaction (a pull applying a segment of its log).
    reader: Mutex<Catalogue>,
    elections: Vec<String>,
    regions: crate::suggest::Regions,
    ingest_lock: Mutex<()>,
    /// How this archive reaches an object store (given by the shell; the core
    /// speaks no network protocol): a province fetches originals through it.
    store_opener: std::sync::OnceLock<crate::sync::Opener>,
    /// The public's reads already audited this hour (see `audit_read`).
    public_reads: crate::audit::ReadTally,
    /// Failed logins per name and client (see `login`).
    throttle: crate::throttle::Throttle,
    /// One password check at a time: argon2 takes a core and 19 MiB.
    password_check: Mutex<()>,
    /// Page images drawn lately (see `page_image`).
    images: crate::viewer::ImageCache,
    /// Files of the watched folder as last seen (see `watch`).
    pub(crate) watch_seen: crate::watch::Seen,
    views: crate::views::ViewStore,
}

/// The longest file name an upload may carry (most file systems' limit).
pub const MAX_NAME_BYTES: usize = 255;
/// The longest user name a login accepts (anything longer is refused unread).
pub const MAX_USER_NAME_CHARS: usize = 64;
/// The longest password a login accepts, in bytes.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// A search hit with what a person needs to pick it: snippet, pages, files.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SearchHit {
    pub id: String,
    pub title: String,
    /// What tells results with the same title apart: the kind of
    /// document, its date, its number, its region (a code) and TPS.
    pub doc_type: Option<String>,
    pub doc_date: Option<String>,
    pub number: Option<String>,
    pub region: Option<String>,
    pub tps: Option<String>,
    pub score: f32,
    pub snippet: String,
    pub highlights: Vec<(usize, usize)>,
    pub pages: Vec<u32>,
    pub files: Vec<FileRef>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FileRef {
    pub name: String,
    pub sha256: ContentHash,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SearchOutcome {
    pub total: usize,
    pub hits: Vec<SearchHit>,
    pub facets: Facets,
}

/// Removes what is in `dir` and older than `age` (best effort: what cannot
/// be read or removed stays for the next open).
pub(crate) fn sweep_incoming(dir: &Path, age: std::time::Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|d| d > age);
        if !old {
            continue;
        }
        let path = entry.path();
        let _ = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
    }
}

/// A record as a caller may see it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RecordView {
    #[serde(flatten)]
    pub record: Record,
    pub files: Vec<StoredFile>,
    pub pages: Vec<Page>,
    pub suggestions: Vec<(String, String)>,
    /// The berkas it is filed in, for staff who may read that berkas (the
    /// public is never told).
    pub berkas: Option<crate::catalogue::berkas::BerkasRef>,
    /// The office that sent it, for another office's record (at a
    /// province): read here, changed only by that office (every change
    /// here is refused as `other_office`). None for this archive's own.
    pub sent_by: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifyReport {
    pub blobs_checked: usize,
    /// Originals a province left in the object store (fetched when opened).
    pub remote: usize,
    pub missing: Vec<(String, String)>,
    pub corrupt: Vec<(String, String)>,
    pub not_indexed: Vec<String>,
    pub stale_in_index: Vec<String>,
}

impl VerifyReport {
    pub fn problems(&self) -> usize {
        self.missing.len() + self.corrupt.len() + self.not_indexed.len() + self.stale_in_index.len()
    }
}

/// A catch-up in the background stops at its next commit, and is waited for:
/// the archive may be opened again at once, in this process or another.
impl Drop for Archive {
    fn drop(&mut self) {
        self.catch_up.close();
    }
}

impl Archive {
    /// Makes a new archive in `root` (which may exist but must not hold one).
    pub fn init(root: &Path, office: &str, region_code: &str) -> Result<Archive> {
        if root.join(CATALOGUE_FILE).exists() {
            return Err(Error::new(
                ErrorCode::ArchiveExists,
                root.display().to_string(),
            ));
        }
        std::fs::create_dir_all(root).map_err(crate::error::io_at(root))?;
        crate::blobs::owner_only(root)?;
        let mut cat = Catalogue::open(&root.join(CATALOGUE_FILE))?;
        cat.set_office(office, region_code)?;
        drop(cat);
        crate::sync::OfficeKey::load_or_create(root)?;
        Archive::open_unchecked(root)
    }

    /// Makes a provincial archive: it registers offices and pulls their logs.
    pub fn init_province(root: &Path, name: &str, region_code: &str) -> Result<Archive> {
        let archive = Archive::init(root, name, region_code)?;
        archive.with_catalogue(|c| c.set_province())?;
        Ok(archive)
    }

    /// Opens an archive and brings its index up to date with the catalogue.
    pub fn open(root: &Path) -> Result<Archive> {
        if root.join(crate::sync::RECOVERY_MARKER).exists() {
            return Err(Error::new(
                ErrorCode::RestoreIncomplete,
                root.display().to_string(),
            ));
        }
        Archive::open_unchecked(root)
    }

    /// `open`, for `init`: a folder being rebuilt is opened while it is.
    fn open_unchecked(root: &Path) -> Result<Archive> {
        let cat_path = root.join(CATALOGUE_FILE);
        if !cat_path.is_file() {
            return Err(Error::new(
                ErrorCode::ArchiveMissing,
                root.display().to_string(),
            ));
        }
        if root.join(crate::backup::MANIFEST).exists() {
            // Work done in a backup folder would be lost at the next backup.
            return Err(Error::new(
                ErrorCode::BackupFolder,
                root.display().to_string(),
            ));
        }
        // Owner-only, archives made before this rule included.
        crate::blobs::owner_only(root)?;
        let mut catalogue = Catalogue::open(&cat_path)?;
        for file in ["", "-wal", "-shm"] {
            let path = root.join(format!("{CATALOGUE_FILE}{file}"));
            if path.exists() {
                crate::blobs::owner_only(&path)?;
            }
        }
        catalogue.office()?;
        catalogue.refresh_personal_flags()?;
        let (elections, regions) = {
            let conn = catalogue.conn();
            let mut s = conn.prepare("SELECT code FROM election")?;
            let elections = s
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            let mut s = conn.prepare("SELECT code, name FROM region WHERE level >= 2")?;
            let regions = s
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<(String, String)>>>()?;
            (elections, regions)
        };
        let archive = Archive {
            blobs: BlobStore::open(root.join("blobs"))?,
            catch_up: std::sync::Arc::new(crate::catch_up::CatchUp::new(
                cat_path.clone(),
                SearchIndex::open(&root.join("index"))?,
            )),
            reader: Mutex::new(Catalogue::open_reader(&cat_path)?),
            catalogue: Mutex::new(catalogue),
            root: root.to_path_buf(),
            elections,
            regions: crate::suggest::Regions::new(regions),
            ingest_lock: Mutex::new(()),
            store_opener: std::sync::OnceLock::new(),
            public_reads: crate::audit::ReadTally::default(),
            throttle: crate::throttle::Throttle::default(),
            password_check: Mutex::new(()),
            images: crate::viewer::ImageCache::default(),
            watch_seen: crate::watch::Seen::default(),
            views: crate::views::ViewStore::open(root),
        };
        // A destruction cut off by a power failure after its commit still
        // has blobs to remove: removed now. One that cannot be (a disk
        // gone read-only) waits; the archive still opens.
        let _ = archive.purge_blobs();
        let _ = archive.redact_sealed();
        // Work folders a power cut left behind (an upload, a handover
        // package: unmasked copies of originals) go once they are a day
        // old; anything younger may be another process's work in hand.
        sweep_incoming(
            &root.join("incoming"),
            std::time::Duration::from_secs(24 * 3600),
        );
        archive.catch_up_index()?;
        Ok(archive)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Lets this archive open object stores (a province fetching originals).
    pub fn set_store_opener(&self, opener: crate::sync::Opener) {
        let _ = self.store_opener.set(opener);
    }

    pub(crate) fn store_opener(&self) -> Option<&crate::sync::Opener> {
        self.store_opener.get()
    }

    /// Forgets the page views and images drawn from blob `sha` (destroyed).
    pub(crate) fn forget_views(&self, files: &[ContentHash]) {
        self.views.forget(files);
        self.images.clear();
    }

    pub(crate) fn blobs(&self) -> &BlobStore {
        &self.blobs
    }

    pub(crate) fn with_catalogue<T>(
        &self,
        f: impl FnOnce(&mut Catalogue) -> Result<T>,
    ) -> Result<T> {
        let mut guard = self
            .catalogue
            .lock()
            .map_err(|_| Error::new(ErrorCode::Internal, "catalogue lock poisoned"))?;
        f(&mut guard)
    }

    /// Indexes every record changed since the index's sequence. Returns how many
    /// records were (re)indexed; 0 when another process holds the index writer.
    pub fn catch_up_index(&self) -> Result<usize> {
        self.catch_up.now()
    }

    /// `with_catalogue` for reads that must not wait on a write (searches):
    /// a read-only connection of its own.
    fn with_reader<T>(&self, f: impl FnOnce(&Catalogue) -> Result<T>) -> Result<T> {
        let guard = self
            .reader
            .lock()
            .map_err(|_| Error::new(ErrorCode::Internal, "catalogue lock poisoned"))?;
        f(&guard)
    }

    /// Rebuilds the index from the catalogue, committing in bounded batches.
    pub fn reindex(&self) -> Result<usize> {
        self.catch_up.rebuild()
    }

    /// Ingests files and folders (archivists and admins only). One batch runs
    /// at a time: a second caller waits, since a batch also takes over the
    /// jobs an interrupted batch left pending.
    pub fn ingest(
        &self,
        paths: &[PathBuf],
        opts: &IngestOptions,
        progress: &dyn Progress,
        clearance: &Clearance,
    ) -> Result<(Vec<FileReport>, IngestSummary)> {
        self.ingest_from(paths, opts, progress, clearance, None)
    }

    /// `ingest`, where files inside the archive are refused except under
    /// `scratch` (an upload's own folder in `incoming/`).
    fn ingest_from(
        &self,
        paths: &[PathBuf],
        opts: &IngestOptions,
        progress: &dyn Progress,
        clearance: &Clearance,
        scratch: Option<&Path>,
    ) -> Result<(Vec<FileReport>, IngestSummary)> {
        self.check_ingest(opts, clearance)?;
        let _one_batch = self
            .ingest_lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        crate::ingest::run(self, paths, opts, progress, clearance, scratch)
    }

    /// Whether `clearance` may ingest with `opts`: archivists and admins,
    /// into an access class no higher than their own.
    pub fn check_ingest(&self, opts: &IngestOptions, clearance: &Clearance) -> Result<()> {
        clearance.require_catalogue()?;
        if let Some(level) = opts.access {
            clearance.check_reclassify(level, level, None)?;
        }
        Ok(())
    }

    /// Ingests one document sent as bytes (an upload from a browser): one
    /// file, or the page files of one document in page order. The files are
    /// written under the archive's `incoming/` folder, ingested as one
    /// record like files on disk, then removed (the blob store keeps the
    /// originals).
    pub fn ingest_bytes(
        &self,
        files: &[(&str, &[u8])],
        opts: &IngestOptions,
        clearance: &Clearance,
    ) -> Result<FileReport> {
        self.check_ingest(opts, clearance)?;
        let (dir, paths) = self.scratch_files(files)?;
        let opts = IngestOptions {
            documents: crate::ingest::Documents::One,
            ..opts.clone()
        };
        let given: Vec<PathBuf> = paths.iter().map(|(p, _)| p.clone()).collect();
        let (mut reports, _) = self.ingest_from(&given, &opts, &(), clearance, Some(dir.path()))?;
        let mut report = reports
            .pop()
            .ok_or_else(|| Error::new(ErrorCode::Internal, "no ingest report"))?;
        // The server's scratch folder is nobody's business.
        let sent = |p: &str| {
            paths
                .iter()
                .find(|(path, _)| path.display().to_string() == p)
                .map(|(_, name)| name.clone())
                .unwrap_or_default()
        };
        report.path = sent(&report.path);
        report.parts = report.parts.iter().map(|p| sent(p)).collect();
        if let Some(error) = &mut report.error {
            for (path, name) in &paths {
                error.message = error.message.replace(&path.display().to_string(), name);
            }
        }
        Ok(report)
    }

    /// Files sent as bytes, written each in a folder of its own under the
    /// archive's `incoming/` (removed when the returned folder is dropped):
    /// their paths, with the names they were sent by.
    pub(crate) fn scratch_files(
        &self,
        files: &[(&str, &[u8])],
    ) -> Result<(tempfile::TempDir, Vec<(PathBuf, String)>)> {
        if files.is_empty() || files.len() > MAX_DOCUMENT_FILES {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!(
                    "{} files sent; one document is 1 to {MAX_DOCUMENT_FILES}",
                    files.len()
                ),
            ));
        }
        let incoming = self.root.join("incoming");
        std::fs::create_dir_all(&incoming)?;
        let dir = tempfile::tempdir_in(&incoming)?;
        let mut paths = Vec::with_capacity(files.len());
        for (i, (name, bytes)) in files.iter().enumerate() {
            if name.len() > MAX_NAME_BYTES {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    format!("file name longer than {MAX_NAME_BYTES} bytes"),
                ));
            }
            let name = Path::new(name)
                .file_name()
                .and_then(|n| n.to_str())
                .filter(|n| !n.starts_with('.'))
                .ok_or_else(|| {
                    Error::new(ErrorCode::InvalidInput, format!("file name '{name}'"))
                })?;
            // Each page in a folder of its own: two pages may share a name.
            let page_dir = dir.path().join(i.to_string());
            std::fs::create_dir(&page_dir)?;
            let path = page_dir.join(name);
            std::fs::write(&path, bytes)?;
            paths.push((path, name.to_string()));
        }
        Ok((dir, paths))
    }

    pub(crate) fn suggest(&self, text: &str) -> Result<Suggestions> {
        let home = self.with_catalogue(|c| c.office())?.region_code;
        Ok(crate::suggest::suggest(
            text,
            &self.elections,
            &self.regions,
            Some(&home),
        ))
    }

    pub fn search(&self, req: &SearchRequest, clearance: &Clearance) -> Result<SearchOutcome> {
        req.check_cost()?;
        let unsettled = self.fresh_index()?;
        if !self.berkas_filter_allowed(req, clearance)? {
            return Ok(SearchOutcome {
                total: 0,
                hits: Vec::new(),
                facets: Facets::default(),
            });
        }
        let (mut results, highlighter) = self.catch_up.index.search(req, clearance, &unsettled)?;
        results.facets.berkas = self.named_berkas(results.facets.berkas, clearance)?;
        let mut total = results.total;
        let mut hits = Vec::with_capacity(results.hits.len());
        for hit in results.hits {
            let id = RecordId::parse(&hit.id)?;
            // Whatever the index says, the catalogue decides: a record another
            // process restricted or deleted a moment ago is not shown.
            let Some((record, texts, files)) = self.with_reader(|c| {
                let Some(record) = c.record(&id)?.filter(|r| clearance.can_read(r.access)) else {
                    return Ok(None);
                };
                Ok(Some((record, c.page_texts(&id)?, c.files(&id)?)))
            })?
            else {
                total = total.saturating_sub(1);
                continue;
            };
            let texts: Vec<String> = texts.redact(clearance);
            let mut pages = Vec::new();
            let mut best: Option<crate::index::Snippet> = None;
            for (i, text) in texts.iter().enumerate() {
                if let Some(s) = highlighter.snippet(text) {
                    pages.push(i as u32 + 1);
                    if best
                        .as_ref()
                        .is_none_or(|b| s.highlights.len() > b.highlights.len())
                    {
                        best = Some(s);
                    }
                }
            }
            let (snippet, highlights) = match best {
                Some(s) => (s.text, s.highlights),
                None => (
                    texts
                        .first()
                        .map(|t| t.chars().take(180).collect())
                        .unwrap_or_default(),
                    Vec::new(),
                ),
            };
            let hit = SearchHit {
                id: hit.id,
                title: record.title,
                doc_type: record.doc_type,
                doc_date: record.doc_date,
                number: record.number,
                region: record.region,
                tps: record.tps,
                score: hit.score,
                snippet,
                highlights,
                pages,
                files: files
                    .into_iter()
                    .map(|f| FileRef {
                        name: f.name,
                        sha256: f.sha256,
                    })
                    .collect(),
            };
            hits.push(hit.redact(clearance));
        }
        Ok(SearchOutcome {
            total,
            hits,
            facets: results.facets.redact(clearance),
        })
    }

    /// Whether a search may filter on its berkas: records of a berkas are
    /// looked for only by one who may read it (the public, never), or
    /// they would tell what it holds.
    fn berkas_filter_allowed(&self, req: &SearchRequest, clearance: &Clearance) -> Result<bool> {
        let Some(b) = &req.filters.berkas else {
            return Ok(true);
        };
        if clearance.is_public() {
            return Ok(false);
        }
        let visible = clearance.classes_sql("b");
        Ok(!self
            .with_reader(|c| c.berkas_names(&[b.as_str()], &visible))?
            .is_empty())
    }

    /// The berkas of a search's results, named, the most held first: only
    /// those the caller may read (for the public, none), at most 50.
    fn named_berkas(
        &self,
        counts: Vec<crate::index::BerkasCount>,
        clearance: &Clearance,
    ) -> Result<Vec<crate::index::BerkasCount>> {
        const SHOWN: usize = 50;
        if clearance.is_public() || counts.is_empty() {
            return Ok(Vec::new());
        }
        // Named a few hundred at a time, the most held first, until enough
        // are named: a province's results may be in tens of thousands.
        const AT_ONCE: usize = 500;
        let visible = clearance.classes_sql("b");
        let mut named = Vec::with_capacity(SHOWN);
        for chunk in counts.chunks(AT_ONCE) {
            let ids: Vec<&str> = chunk.iter().map(|c| c.value.as_str()).collect();
            let names = self.with_reader(|c| c.berkas_names(&ids, &visible))?;
            for c in chunk {
                if let Some(name) = names.get(&c.value) {
                    named.push(crate::index::BerkasCount {
                        number: name.number.clone(),
                        title: name.title.clone(),
                        office: name.office.clone(),
                        ..c.clone()
                    });
                }
                if named.len() == SHOWN {
                    return Ok(named);
                }
            }
        }
        Ok(named)
    }

    /// Makes the index answer for the catalogue as it is now: another
    /// process (the office server, the CLI, a sync pull) may have changed it.
    /// Its commit is picked up; a change it has not indexed yet (or died
    /// before it could) is indexed here: before the search when it is
    /// small, else in the background, the search leaving out the records
    /// the index may hold in an old state, which it returns (`catch_up`).
    fn fresh_index(&self) -> Result<Vec<String>> {
        let catalogue_seq = self.with_reader(|c| c.max_change_seq())?;
        match self.catch_up.for_search(catalogue_seq)? {
            None => Ok(Vec::new()),
            Some(searched) => {
                self.with_reader(|c| self.catch_up.unsettled(c, searched, catalogue_seq))
            }
        }
    }

    /// A record with its files, pages and suggestions; NotFound (never a hint that
    /// it exists) when the clearance does not reach its access class.
    pub fn record(&self, id: &RecordId, clearance: &Clearance) -> Result<RecordView> {
        self.with_catalogue(|c| {
            let record = c
                .record(id)?
                .filter(|r| clearance.can_read(r.access))
                .ok_or_else(|| Error::new(ErrorCode::NotFound, id.to_string()))?;
            let berkas = if clearance.is_public() {
                None
            } else {
                c.berkas_of(&id.to_string(), &clearance.classes_sql("b"))?
            };
            Ok(RecordView {
                files: c.files(id)?,
                suggestions: c.suggestions(id)?,
                pages: c.pages(id)?,
                berkas,
                sent_by: c.sent_by(&id.to_string())?,
                record,
            }
            .redact(clearance))
        })
    }

    /// Everything a search finds (up to `EXPORT_MAX` records) as CSV, for a
    /// spreadsheet; the export is audited.
    pub fn export_search(&self, req: &SearchRequest, clearance: &Clearance) -> Result<String> {
        req.check_cost()?;
        let unsettled = self.fresh_index()?;
        let mut req = req.clone();
        req.offset = 0;
        req.limit = EXPORT_MAX;
        let hits = if self.berkas_filter_allowed(&req, clearance)? {
            self.catch_up
                .index
                .search(&req, clearance, &unsettled)?
                .0
                .hits
        } else {
            Vec::new()
        };
        let berkas_visible = clearance.classes_sql("b");
        let mut records = Vec::with_capacity(hits.len());
        for hit in &hits {
            let id = RecordId::parse(&hit.id)?;
            // The catalogue's current class decides, not the index's.
            let found = self.with_catalogue(|c| {
                let Some(r) = c.record(&id)?.filter(|r| clearance.can_read(r.access)) else {
                    return Ok(None);
                };
                // Its berkas, named to staff who read it.
                let berkas = match clearance.is_public() {
                    true => None,
                    false => c.berkas_of(&hit.id, &berkas_visible)?.map(|b| b.number),
                };
                Ok(Some((r, berkas)))
            })?;
            if let Some((r, berkas)) = found {
                records.push((r.redact(clearance), berkas));
            }
        }
        let detail = format!(
            "{} q={:?} n={} {}",
            clearance.role().code(),
            req.text,
            records.len(),
            req.filters.described()
        );
        self.audit_always(clearance, "search.export", "", &detail)?;
        Ok(crate::export::records_csv(&records))
    }

    /// A person opening a record: `record`, and the view is audited.
    pub fn view_record(&self, id: &RecordId, clearance: &Clearance) -> Result<RecordView> {
        let view = self.record(id, clearance)?;
        self.audit_read(
            clearance,
            "record.view",
            &id.to_string(),
            clearance.role().code(),
        )?;
        Ok(view)
    }

    /// Audits a read (a view or a download) by `clearance`'s actor. The
    /// public's reads are audited once per record, action and hour in this
    /// process, so anonymous requests cannot flood the hash chain; staff
    /// reads are audited every time.
    pub(crate) fn audit_read(
        &self,
        clearance: &Clearance,
        action: &str,
        target: &str,
        detail: &str,
    ) -> Result<()> {
        if clearance.is_public() && !self.public_reads.first_this_hour(action, target) {
            return Ok(());
        }
        self.audit_always(clearance, action, target, detail)
    }

    /// Appends one audit entry by `clearance`'s actor.
    pub(crate) fn audit_always(
        &self,
        clearance: &Clearance,
        action: &str,
        target: &str,
        detail: &str,
    ) -> Result<()> {
        self.with_catalogue(|c| {
            // Under the write lock: another process appending at the same
            // moment cannot fork the chain.
            let tx = c.write()?;
            crate::audit::append(&tx, clearance.actor(), action, target, detail)?;
            tx.commit()?;
            Ok(())
        })
    }

    /// The records `clearance` may read, newest first.
    pub fn list(&self, clearance: &Clearance) -> Result<Vec<RecordSummary>> {
        Ok(self
            .with_catalogue(|c| c.list(clearance))?
            .redact(clearance))
    }

    /// Applies a person's edits to one record (archivists and admins only).
    pub fn edit(&self, id: &RecordId, edit: &RecordEdit, clearance: &Clearance) -> Result<()> {
        self.edit_many(std::slice::from_ref(id), edit, clearance)
            .map(|_| ())
    }

    /// Applies the same edits to many records, all or none; returns how many changed.
    pub fn edit_many(
        &self,
        ids: &[RecordId],
        edit: &RecordEdit,
        clearance: &Clearance,
    ) -> Result<usize> {
        clearance.require_catalogue()?;
        let n = self.with_catalogue(|c| c.edit_records(ids, edit, clearance))?;
        self.catch_up_index()?;
        Ok(n)
    }

    /// Moves pages (whole files) of one record to the end of another, or
    /// into a new record with the same fields (see `Catalogue::move_pages`);
    /// archivists and admins only. Returns the record the pages are in.
    pub fn move_pages(
        &self,
        from: &RecordId,
        pages: &[u32],
        to: Option<&RecordId>,
        clearance: &Clearance,
    ) -> Result<RecordId> {
        clearance.require_catalogue()?;
        let target = self.with_catalogue(|c| c.move_pages(from, pages, to, clearance))?;
        self.catch_up_index()?;
        Ok(target)
    }

    /// An edit that would confirm every suggestion read from the record's text;
    /// a person (or the demo) may change fields before applying it with `edit`.
    pub fn suggested_edit(&self, id: &RecordId) -> Result<RecordEdit> {
        let suggestions = self.with_catalogue(|c| c.suggestions(id))?;
        Ok(crate::catalogue::review::suggested_edit(&suggestions))
    }

    /// Deletes a record the clearance may read (archivists and admins): it
    /// goes to the trash (`catalogue::trash`).
    pub fn delete(&self, id: &RecordId, clearance: &Clearance) -> Result<()> {
        clearance.require_catalogue()?;
        self.with_catalogue(|c| c.delete_record(id, clearance))?;
        self.catch_up_index()?;
        Ok(())
    }

    /// The records in the trash (the admin's).
    pub fn trash(
        &self,
        clearance: &Clearance,
    ) -> Result<Vec<crate::catalogue::trash::TrashedRecord>> {
        clearance.require_admin()?;
        self.with_catalogue(|c| c.trash(clearance))
    }

    /// Takes a record out of the trash (the admin's); it is found again.
    pub fn restore_record(&self, id: &RecordId, clearance: &Clearance) -> Result<()> {
        clearance.require_admin()?;
        self.with_catalogue(|c| c.restore_record(id, clearance))?;
        self.catch_up_index()?;
        Ok(())
    }

    /// Imports a vocabulary from CSV (all rows or none). Suggestions made by this
    /// `Archive` still use the elections and regions it opened with.
    pub fn import_vocabulary(
        &self,
        vocab: crate::catalogue::vocab::Vocabulary,
        csv: &str,
        actor: &str,
    ) -> Result<usize> {
        self.with_catalogue(|c| c.import_vocabulary(vocab, csv, actor))
    }

    /// Adds a user (or sets a new role and password; old sessions end).
    pub fn set_user(&self, name: &str, role: Role, password: &str, actor: &str) -> Result<()> {
        self.with_catalogue(|c| c.set_user(name, role, password, actor))
    }

    /// Every user, by name (the admin's).
    pub fn users(&self, clearance: &Clearance) -> Result<Vec<UserInfo>> {
        clearance.require_admin()?;
        self.with_catalogue(|c| c.users())
    }

    /// Adds a user (the admin's); a name already taken is `user_exists`.
    pub fn add_user(
        &self,
        name: &str,
        role: Role,
        password: &str,
        clearance: &Clearance,
    ) -> Result<()> {
        clearance.require_admin()?;
        let name = crate::catalogue::check_user_name(name)?;
        let hash = self.hash_new_password(password)?;
        self.with_catalogue(|c| c.add_user(name, role, &hash, clearance.actor()))
    }

    /// Changes a user's role, enabled state and password together or not at
    /// all (the admin's); the user's sessions end. The last active admin is
    /// never disabled or demoted (`last_admin`), and an admin never disables
    /// or demotes themself (`own_account`).
    pub fn edit_user(&self, name: &str, edit: &UserEdit, clearance: &Clearance) -> Result<()> {
        use crate::catalogue::UserChange;
        clearance.require_admin()?;
        let hash = match &edit.password {
            Some(password) => Some(self.hash_new_password(password)?),
            None => None,
        };
        let changes: Vec<UserChange> = [
            edit.role.map(UserChange::Role),
            edit.disabled.map(UserChange::Disabled),
            hash.as_deref().map(UserChange::PasswordHash),
        ]
        .into_iter()
        .flatten()
        .collect();
        self.with_catalogue(|c| c.change_user(name.trim(), &changes, clearance.actor()))
    }

    /// Gives a user another role (see `edit_user`).
    pub fn set_user_role(&self, name: &str, role: Role, clearance: &Clearance) -> Result<()> {
        let edit = UserEdit {
            role: Some(role),
            ..UserEdit::default()
        };
        self.edit_user(name, &edit, clearance)
    }

    /// Disables a user, who can then no longer log in, or enables them
    /// again (see `edit_user`).
    pub fn set_user_disabled(
        &self,
        name: &str,
        disabled: bool,
        clearance: &Clearance,
    ) -> Result<()> {
        let edit = UserEdit {
            disabled: Some(disabled),
            ..UserEdit::default()
        };
        self.edit_user(name, &edit, clearance)
    }

    /// Sets a new password for a user (see `edit_user`).
    pub fn reset_password(&self, name: &str, password: &str, clearance: &Clearance) -> Result<()> {
        let edit = UserEdit {
            password: Some(password.to_string()),
            ..UserEdit::default()
        };
        self.edit_user(name, &edit, clearance)
    }

    /// Hashes a new password outside the catalogue's lock and one at a time,
    /// as logins check them.
    fn hash_new_password(&self, password: &str) -> Result<String> {
        let _one_check = self
            .password_check
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        crate::catalogue::new_password_hash(password)
    }

    /// Checks a password and opens a session of `SESSION_HOURS`. `client`
    /// names where the attempt comes from (an address; "lokal" for the
    /// desktop app): failures slow down, then lock, per user name and per
    /// client (`throttle`), and a refused attempt costs no password check.
    /// The check itself runs outside the catalogue's lock, one at a time, so
    /// a loop of wrong passwords cannot stall other requests.
    pub fn login(&self, name: &str, password: &str, client: &str) -> Result<Session> {
        if name.trim().is_empty()
            || name.chars().count() > MAX_USER_NAME_CHARS
            || password.len() > MAX_PASSWORD_BYTES
        {
            return Err(crate::catalogue::wrong_login());
        }
        let now = crate::clock::now_unix();
        let wait = self.throttle.wait(name, client, now);
        if wait > 0 {
            // The detail is the wait in seconds (the API's Retry-After).
            return Err(Error::new(ErrorCode::TooManyAttempts, wait.to_string()));
        }
        let row = self.with_catalogue(|c| c.credentials(name))?;
        let verified = {
            let _one_check = self
                .password_check
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            crate::catalogue::verify_password(row.as_ref().map(|(_, h)| h.as_str()), password)
        };
        match row.filter(|_| verified) {
            Some((role, _)) => {
                self.throttle.succeeded(name, client);
                let ttl = SESSION_HOURS * 3600;
                self.with_catalogue(|c| c.open_session(name, &role, now, ttl))
            }
            None => {
                let locked = match self.throttle.failed(name, client, now) {
                    crate::throttle::Failed::Locked(keys) => keys,
                    crate::throttle::Failed::Counted => Vec::new(),
                };
                self.with_catalogue(|c| c.login_failed(name, &locked))?;
                Err(crate::catalogue::wrong_login())
            }
        }
    }

    /// The clearance of a session's user: what every read then takes.
    pub fn clearance(&self, token: &str) -> Result<Clearance> {
        let (user, role) = self.with_catalogue(|c| c.session(token, crate::clock::now_unix()))?;
        Ok(Clearance::for_session(user, role))
    }

    pub fn logout(&self, token: &str) -> Result<()> {
        self.with_catalogue(|c| c.logout(token))
    }

    /// The newest audit entries (the secretariat and admin only).
    pub fn audit_log(
        &self,
        before: Option<i64>,
        limit: usize,
        clearance: &Clearance,
    ) -> Result<Vec<AuditEntry>> {
        self.audit_trail(&AuditFilter::default(), before, limit, clearance)
    }

    /// The newest audit entries `filter` asks for, newest first, those
    /// before `before` when given (the secretariat and admin only). The
    /// filter runs in SQL, so every page holds `limit` matching entries.
    /// Each entry is cut to what the reader may be told: a record it may
    /// read is named by its title; what an entry says about a record above
    /// the reader's clearance (a title, a description) is not shown, only
    /// that it happened.
    pub fn audit_trail(
        &self,
        filter: &AuditFilter,
        before: Option<i64>,
        limit: usize,
        clearance: &Clearance,
    ) -> Result<Vec<AuditEntry>> {
        clearance.require_audit()?;
        let window = filter.window(self.audit_offset(filter)?)?;
        self.with_catalogue(|c| {
            let mut entries = crate::audit::matching(c.conn(), &window, before, limit)?;
            let berkas_visible = clearance.classes_sql("b");
            let mut records: std::collections::HashMap<String, Option<(String, AccessLevel)>> =
                std::collections::HashMap::new();
            for e in &mut entries {
                // What someone searched for and copied out may name records
                // above the reader's clearance: its words are told only to
                // the admin and to the one who did it.
                let private = matches!(
                    e.action.as_str(),
                    "search.export" | "export.bag" | "export.atom"
                );
                if private && !clearance.is_admin() && e.actor != clearance.actor() {
                    e.detail = String::from("…");
                    continue;
                }
                e.detail = c.hide_unread_berkas(&e.detail, &berkas_visible)?;
                if RecordId::parse(&e.target).is_err() {
                    continue;
                }
                let record = match records.get(&e.target) {
                    Some(r) => r.clone(),
                    None => {
                        let r = c.record_title(&e.target)?;
                        records.insert(e.target.clone(), r.clone());
                        r
                    }
                };
                match record.filter(|(_, level)| clearance.can_read(*level)) {
                    Some((mut title, _)) => {
                        if clearance.masks_personal_data() {
                            crate::redact::mask_in_place(&mut title);
                            crate::redact::mask_in_place(&mut e.detail);
                        }
                        e.record_title = Some(title);
                    }
                    None if !e.detail.is_empty() => e.detail = String::from("…"),
                    None => {}
                }
            }
            Ok(entries)
        })
    }

    /// How record `id` came to be as it is: the newest changes the audit
    /// trail holds about it (added, edited, filed, pages moved, confirmed),
    /// newest first, for staff who read the record (NotFound otherwise, as
    /// for the record itself). Reading it is not itself audited: it copies
    /// nothing out and says no more than the record page.
    pub fn record_history(&self, id: &RecordId, clearance: &Clearance) -> Result<Vec<AuditEntry>> {
        clearance.require_staff()?;
        let sid = id.to_string();
        self.with_catalogue(|c| {
            c.readable_class(&sid, clearance)?;
            let mut entries = crate::audit::changes_of(c.conn(), &sid, RECORD_HISTORY_MAX)?;
            let berkas_visible = clearance.classes_sql("b");
            for e in &mut entries {
                e.detail = c.hide_unread_berkas(&e.detail, &berkas_visible)?;
                if clearance.masks_personal_data() {
                    crate::redact::mask_in_place(&mut e.detail);
                }
            }
            Ok(entries)
        })
    }

    /// The audit trail `filter` asks for (newest first, up to
    /// `AUDIT_EXPORT_MAX` entries) as CSV, cut to the reader's clearance as
    /// on screen, times in the filter's zone (the office's when it names
    /// none). Every copy out of the archive is audited, this one too.
    pub fn export_audit(&self, filter: &AuditFilter, clearance: &Clearance) -> Result<String> {
        let entries = self.audit_trail(filter, None, AUDIT_EXPORT_MAX, clearance)?;
        let offset = self.audit_offset(filter)?;
        let mut detail = clearance.role().code().to_string();
        for part in [filter.describe(), format!("n={}", entries.len())] {
            if !part.is_empty() {
                detail.push(' ');
                detail.push_str(&part);
            }
        }
        self.audit_always(clearance, "audit.export", "", &detail)?;
        Ok(crate::export::audit_csv(&entries, offset))
    }

    /// The zone a filter's local days are read in: the one it names, else
    /// the office's own.
    fn audit_offset(&self, filter: &AuditFilter) -> Result<time::UtcOffset> {
        match filter.offset()? {
            Some(offset) => Ok(offset),
            None => {
                let office = self.with_catalogue(|c| c.office())?;
                Ok(crate::clock::office_offset(&office.region_code))
            }
        }
    }

    /// Separator sheets to print, one per document of a batch to be scanned
    /// (the archivists' and admin's): the fields checked against the
    /// vocabularies, so a sheet never carries a code this archive lacks.
    pub fn separator_sheets(
        &self,
        sheets: Vec<crate::print::separator::Separator>,
        clearance: &Clearance,
    ) -> Result<Vec<u8>> {
        clearance.require_catalogue()?;
        self.with_catalogue(|c| crate::print::separator::print(c, sheets))
    }

    /// The vocabularies a form and the facet labels need. Series are named
    /// by people: only those holding a record the clearance may read are
    /// listed, as it may read them; so are regions outside the office's own.
    pub fn vocabularies(
        &self,
        clearance: &Clearance,
    ) -> Result<crate::catalogue::vocab::Vocabularies> {
        let visible = clearance.visible_sql();
        let mut v = self.with_catalogue(|c| c.vocabularies_seen_by(&visible))?;
        let visible: Vec<String> = self
            .series_sets(clearance)?
            .into_iter()
            .map(|(_, name)| name)
            .collect();
        v.series = visible;
        Ok(v)
    }

    /// Checks the audit trail's hash chain (the secretariat and admin only).
    pub fn audit_verify(&self, clearance: &Clearance) -> Result<AuditReport> {
        clearance.require_audit()?;
        self.with_catalogue(|c| crate::audit::verify(c.conn()))
    }

    /// Fixity (every blob re-hashed) and catalogue ↔ index agreement.
    pub fn verify(&self) -> Result<VerifyReport> {
        let refs = self.with_catalogue(|c| c.blob_refs())?;
        let mut report = VerifyReport::default();
        let mut seen = HashSet::new();
        for (hash, record) in refs {
            if !seen.insert(hash) {
                continue;
            }
            report.blobs_checked += 1;
            match self.blobs.check(&hash) {
                Fixity::Intact => {}
                Fixity::Missing
                    if self
                        .with_catalogue(|c| c.remote_blob(&hash.to_hex()))?
                        .is_some() =>
                {
                    report.remote += 1
                }
                Fixity::Missing => report.missing.push((record, hash.to_hex())),
                Fixity::Corrupt => report.corrupt.push((record, hash.to_hex())),
            }
        }
        self.catch_up_index()?;
        let live: HashSet<String> = self
            .with_catalogue(|c| c.live_record_ids())?
            .into_iter()
            .map(|i| i.to_string())
            .collect();
        let indexed: HashSet<String> = self.catch_up.index.all_ids()?.into_iter().collect();
        report.not_indexed = live.difference(&indexed).cloned().collect();
        report.stale_in_index = indexed.difference(&live).cloned().collect();
        report.not_indexed.sort();
        report.stale_in_index.sort();
        Ok(report)
    }

    /// The record behind an image or an original, if the clearance may have it.
    /// Images and originals cannot be masked like text, so a masked clearance
    /// (the public) gets none of a record holding personal data: it reads the
    /// masked page text instead. Only the record row is read, not its pages.
    pub(crate) fn record_for_images(&self, id: &RecordId, clearance: &Clearance) -> Result<Record> {
        self.with_catalogue(|c| c.record(id))?
            .filter(|r| clearance.can_read(r.access))
            .filter(|r| !(clearance.masks_personal_data() && r.personal_data))
            .ok_or_else(|| Error::new(ErrorCode::NotFound, id.to_string()))
    }

    /// The thumbnail of a record's page (see `record_for_images` for who gets it).
    pub fn page_thumbnail(
        &self,
        id: &RecordId,
        page: u32,
        clearance: &Clearance,
    ) -> Result<Vec<u8>> {
        self.record_for_images(id, clearance)?;
        if let Some(hash) = self.with_catalogue(|c| c.page_thumbnail(id, page))? {
            return self.blobs.read(&hash);
        }
        // None kept (a text PDF's pages: a second poppler run per file at
        // ingest halved its speed): made from the page's view on first
        // asking, and kept with the drawn images.
        let (file, in_file, rotation) = self
            .with_catalogue(|c| c.page_source(id, page))?
            .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("{id} page {page}")))?;
        let key = format!("thumbnail/{file}/{in_file}/{rotation}");
        if let Some(image) = self.images.get(&key) {
            return Ok(image.jpeg);
        }
        let view = self.page_image(id, page, "", clearance)?;
        let decoded = image::load_from_memory(&view.jpeg)
            .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
        let jpeg = crate::extract::raster::thumbnail_jpeg(&decoded)?;
        self.images.put(
            key,
            crate::viewer::PageImage {
                jpeg: jpeg.clone(),
                highlights: 0,
            },
        );
        Ok(jpeg)
    }

    /// Page `page` of a record drawn for the viewer with `query`'s words
    /// highlighted (see `record_for_images` for who gets it).
    pub fn page_image(
        &self,
        id: &RecordId,
        page: u32,
        query: &str,
        clearance: &Clearance,
    ) -> Result<crate::viewer::PageImage> {
        self.record_for_images(id, clearance)?;
        let (file, in_file, rotation) = self
            .with_catalogue(|c| c.page_source(id, page))?
            .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("{id} page {page}")))?;
        // Keyed by what is drawn, not by the page's number in its record:
        // pages moved (by this process or another on the same archive)
        // never show another page's image.
        let key = format!("{file}/{in_file}/{rotation}/{query}");
        if let Some(image) = self.images.get(&key) {
            return Ok(image);
        }
        let (view, words) = self.page_view(id, page, false)?;
        let image = match crate::viewer::draw(&view, &words, query) {
            Ok(image) => image,
            // A stored view that does not decode: drawn again.
            Err(_) => {
                let (view, words) = self.page_view(id, page, true)?;
                crate::viewer::draw(&view, &words, query)?
            }
        };
        self.images.put(key, image.clone());
        Ok(image)
    }

    /// A page's view (see `views`) and its catalogued word boxes. A view
    /// none was stored for (or any, when `fresh`) is drawn from the
    /// original and kept in its place.
    pub(crate) fn page_view(
        &self,
        id: &RecordId,
        number: u32,
        fresh: bool,
    ) -> Result<(crate::extract::PageView, Vec<crate::model::WordBox>)> {
        let (_, in_file, _) = self
            .with_catalogue(|c| c.page_source(id, number))?
            .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("{id} page {number}")))?;
        let page = self
            .with_catalogue(|c| c.pages(id))?
            .into_iter()
            .find(|p| p.number == number)
            .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("{id} page {number}")))?;
        let stored = match fresh {
            true => None,
            false => self.views.get(&page.file, in_file, page.rotation),
        };
        let view = match stored {
            Some(view) => view,
            None => {
                let view = crate::extract::view_of(
                    &self.local_blob(&page.file)?,
                    in_file,
                    page.rotation,
                    page.source == crate::model::TextSource::Pdf,
                    &crate::extract::ExtractOptions::default(),
                )?;
                self.views
                    .put(&page.file, in_file, page.rotation, &view, true);
                view
            }
        };
        Ok((view, page.words))
    }

    /// Keeps the views made at ingest (see `views`).
    pub(crate) fn keep_views(
        &self,
        file: &ContentHash,
        views: &[(u32, u32, crate::extract::PageView)],
    ) {
        for (number, rotation, view) in views {
            self.views.put(file, *number, *rotation, view, false);
        }
    }

    /// An original file (see `record_for_images` for who gets it), or an
    /// earlier version's (staff's only: see `versions`); the download is
    /// audited.
    pub fn original(
        &self,
        hash: &ContentHash,
        clearance: &Clearance,
    ) -> Result<(StoredFile, Vec<u8>)> {
        let not_found = || Error::new(ErrorCode::NotFound, hash.to_hex());
        let (owner, file) = match self.with_catalogue(|c| c.has_file(hash))? {
            Some(owner) => {
                let file = self
                    .with_catalogue(|c| c.files(&owner))?
                    .into_iter()
                    .find(|f| f.sha256 == *hash)
                    .ok_or_else(not_found)?;
                (owner, file)
            }
            None if !clearance.is_public() => self
                .with_catalogue(|c| c.version_file(hash, clearance))?
                .ok_or_else(not_found)?,
            None => return Err(not_found()),
        };
        // The same answer as an unknown hash: no hint which record holds it.
        self.record_for_images(&owner, clearance)
            .map_err(|_| not_found())?;
        let bytes = std::fs::read(self.local_blob(hash)?)?;
        let detail = format!("{} {}", clearance.role().code(), file.name);
        self.audit_read(clearance, "file.download", &owner.to_string(), &detail)?;
        Ok((file.redact(clearance), bytes))
    }
}
