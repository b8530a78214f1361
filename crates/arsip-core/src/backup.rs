//! Backups of a whole archive to a folder (a second disk, a flash drive, a
//! network share), and an archive restored from one.
//!
//! A backup folder holds `catalogue.sqlite` (a consistent snapshot, see
//! `Catalogue::snapshot`), `keys/` (the office's signing key, so a restored
//! office goes on pushing as itself), `blobs/ab/cd/<sha256>` (the same layout
//! as the archive and a flash-drive bundle) and `BACKUP.json`, written last.
//! The index is not copied: a restore rebuilds it from the catalogue.
//!
//! Every step survives a power cut: the snapshot and the manifest are written
//! beside their final names and renamed into place, blobs are written whole
//! or not at all, so a backup cut off half way still holds the previous
//! complete snapshot with every blob it names. A second backup to the same
//! folder copies only blobs the folder lacks; each copied blob is read back
//! from the folder and re-hashed before the backup counts it.

use crate::access::Clearance;
use crate::archive::{Archive, CATALOGUE_FILE};
use crate::blobs::{BlobStore, Fixity};
use crate::catalogue::Catalogue;
use crate::error::{io_at, Error, ErrorCode, Result};
use crate::ids::ContentHash;
use crate::sync::store::Store;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;

pub const MANIFEST: &str = "BACKUP.json";
/// Between an error's code and detail in the plan's last error.
const NOTE_SEPARATOR: char = '\u{1f}';
/// The manifest's format; a restore refuses a newer one.
const FORMAT: u32 = 1;

/// What `BACKUP.json` says: when, whose, and how much.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// The office key of the archive backed up: a folder holds one
    /// archive's backups, never another's (empty in backups before 0.1.1).
    #[serde(default)]
    pub office_key: String,
    pub made_at: String,
    pub office: String,
    pub region_code: String,
    pub records: usize,
    pub blobs: usize,
    pub arsip_version: String,
}

#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct BackupReport {
    pub target: String,
    pub records: usize,
    /// Blobs the snapshot names that the folder now holds, verified.
    pub blobs: usize,
    /// Of those, copied (and read back) by this backup.
    pub blobs_copied: usize,
    pub bytes_copied: u64,
    /// Originals a province left in the object store (not on this disk).
    pub remote: usize,
    /// Blobs missing or corrupt on this disk, so not in the backup: (record, sha256).
    pub problems: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct RestoreReport {
    pub archive: String,
    pub records: usize,
    pub blobs: usize,
    pub made_at: String,
    pub verify: crate::archive::VerifyReport,
}

impl Archive {
    /// Backs the archive up into `target` (the admin only: a backup holds
    /// every record, the users' password hashes and the office key).
    pub fn backup(&self, target: &Path, clearance: &Clearance) -> Result<BackupReport> {
        clearance.require_admin()?;
        self.backup_into(target, clearance)
    }

    /// Where backups go and how often, and how the last one ended, in
    /// `lang` (the admin only).
    pub fn backup_plan(
        &self,
        lang: crate::strings::Lang,
        clearance: &Clearance,
    ) -> Result<crate::catalogue::BackupPlan> {
        clearance.require_admin()?;
        let mut plan = self.with_catalogue(|c| c.backup_plan())?;
        // Kept as code and detail, told in the reader's language.
        plan.last_error = plan.last_error.map(|kept| {
            let (code, detail) = kept.split_once(NOTE_SEPARATOR).unwrap_or(("io", &kept));
            let code = ErrorCode::ALL
                .iter()
                .copied()
                .find(|c| c.as_str() == code)
                .unwrap_or(ErrorCode::Io);
            Error::new(code, detail).message(lang)
        });
        Ok(plan)
    }

    /// Plans backups into `target` every `every_hours` (0: by hand only);
    /// no target ends the plan. The admin only; audited.
    pub fn set_backup_plan(
        &self,
        target: Option<&str>,
        every_hours: u32,
        clearance: &Clearance,
    ) -> Result<()> {
        clearance.require_admin()?;
        let target = target.map(str::trim).filter(|t| !t.is_empty());
        if let Some(t) = target {
            let path = Path::new(t);
            if !path.is_absolute() {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    format!("{t}: write the whole folder path, e.g. /media/cadangan"),
                ));
            }
            self.check_backup_target(path)?;
        }
        if target.is_none() && every_hours > 0 {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "a schedule needs a backup folder",
            ));
        }
        self.with_catalogue(|c| c.set_backup_plan(target, every_hours, clearance.actor()))
    }

    /// A backup into the planned folder now (the admin only).
    pub fn backup_now(&self, clearance: &Clearance) -> Result<BackupReport> {
        clearance.require_admin()?;
        let plan = self.with_catalogue(|c| c.backup_plan())?;
        let target = plan.target.ok_or_else(|| {
            Error::new(ErrorCode::InvalidInput, "no backup folder has been chosen")
        })?;
        self.planned_backup(Path::new(&target), clearance)
    }

    /// The scheduled backup, when it is due and no other process on this
    /// archive has taken it; the shells' timers call this every few minutes.
    pub fn backup_if_due(&self) -> Result<Option<BackupReport>> {
        let now = crate::clock::now_unix();
        let Some(target) = self.with_catalogue(|c| c.claim_due_backup(now))? else {
            return Ok(None);
        };
        self.planned_backup(Path::new(&target), &Clearance::operator("jadwal-cadangan"))
            .map(Some)
    }

    fn planned_backup(&self, target: &Path, clearance: &Clearance) -> Result<BackupReport> {
        let outcome = self.backup_into(target, clearance);
        let noted = match &outcome {
            Ok(r) if !r.problems.is_empty() => Err(format!(
                "{}{NOTE_SEPARATOR}{}",
                ErrorCode::BackupIncomplete.as_str(),
                r.problems
                    .iter()
                    .map(|(_, sha)| sha.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            Ok(r) => Ok((r.records, r.blobs)),
            Err(e) => Err(format!("{}{NOTE_SEPARATOR}{}", e.code.as_str(), e.detail)),
        };
        let noted = noted.as_ref().map(|c| *c).map_err(String::as_str);
        self.with_catalogue(|c| c.note_backup(noted))?;
        outcome
    }

    fn check_backup_target(&self, target: &Path) -> Result<()> {
        // A backup inside the archive would copy itself into itself, and one
        // holding the archive would be lost with the same disk folder.
        let (archive_dir, target_dir) = (canonical(self.root())?, canonical(target)?);
        if target_dir.starts_with(&archive_dir) || archive_dir.starts_with(&target_dir) {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!(
                    "{}: a backup goes outside the archive folder",
                    target.display()
                ),
            ));
        }
        if target.exists() && !target.is_dir() {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("{}: not a folder", target.display()),
            ));
        }
        if target.join(MANIFEST).is_file() {
            // Another archive's backups are never written over with ours.
            let theirs = read_manifest_file(target)?.office_key;
            if !theirs.is_empty() && theirs != self.office_key()?.to_hex() {
                return Err(Error::new(
                    ErrorCode::BackupOfAnotherArchive,
                    target.display().to_string(),
                ));
            }
        } else if target.is_dir() {
            // Someone's folder of other files, or a live archive: never ours.
            claim_check(target)?;
        }
        // Only the backup folder itself is made: a missing parent is a drive
        // not plugged in, and a backup must not land on this disk instead.
        if target.parent().is_some_and(|p| !p.is_dir()) {
            return Err(Error::new(
                ErrorCode::BackupDriveMissing,
                target.display().to_string(),
            ));
        }
        Ok(())
    }

    /// A backup, audited whether it ends whole or not: a failed one may
    /// already have copied originals out of the archive.
    fn backup_into(&self, target: &Path, clearance: &Clearance) -> Result<BackupReport> {
        self.check_backup_target(target)?;
        let key = self.office_key()?.to_hex();
        let outcome =
            claim_backup_folder(target, &key).and_then(|()| self.backup_copy(target, &key));
        let detail = match &outcome {
            Ok(r) => format!(
                "records={}; blobs={}; copied={}; problems={}",
                r.records,
                r.blobs,
                r.blobs_copied,
                r.problems.len()
            ),
            Err(e) => format!("failed={}", e.code.as_str()),
        };
        self.audit_always(
            clearance,
            "archive.backup",
            &target.display().to_string(),
            &detail,
        )?;
        outcome
    }

    fn backup_copy(&self, target: &Path, key: &str) -> Result<BackupReport> {
        // 1. The catalogue, as one consistent snapshot, under a name of this
        // run's own (two backups at once into one folder never share a file).
        let partial = target.join(format!(
            "{CATALOGUE_FILE}.partial-{}-{}",
            std::process::id(),
            crate::ids::RecordId::new()
        ));
        let snapshot = (|| {
            Catalogue::snapshot(&self.root().join(CATALOGUE_FILE), &partial)?;
            Catalogue::open_snapshot(&partial)
        })();
        let snapshot = match snapshot {
            Ok(s) => s,
            Err(e) => {
                remove_partial(&partial);
                return Err(e);
            }
        };
        let read = (|| {
            Ok::<_, Error>((
                snapshot.blob_refs()?,
                snapshot.live_record_ids()?.len(),
                snapshot.office()?,
            ))
        })();
        let (refs, records, office) = match read {
            Ok(r) => r,
            Err(e) => {
                drop(snapshot);
                remove_partial(&partial);
                return Err(e);
            }
        };
        let remote: HashSet<String> = refs
            .iter()
            .filter(|(h, _)| !self.blobs().contains(h))
            .filter_map(|(h, _)| {
                snapshot
                    .remote_blob(&h.to_hex())
                    .ok()
                    .flatten()
                    .map(|_| h.to_hex())
            })
            .collect();
        drop(snapshot);
        let outcome = self.copy_blobs(target, &refs, &remote, records);
        let mut report = match outcome {
            Ok(r) => r,
            Err(e) => {
                remove_partial(&partial);
                return Err(e);
            }
        };
        report.remote = remote.len();
        // 2. The office key.
        copy_keys(self.root(), target)?;
        // 3. The snapshot into place, then the manifest: the backup is whole.
        let catalogue = target.join(CATALOGUE_FILE);
        std::fs::rename(&partial, &catalogue).map_err(io_at(&catalogue))?;
        crate::blobs::owner_only(&catalogue)?;
        write_manifest(
            target,
            &Manifest {
                format: FORMAT,
                office_key: key.to_string(),
                made_at: crate::clock::now_rfc3339(),
                office: office.name,
                region_code: office.region_code,
                records,
                blobs: report.blobs,
                arsip_version: env!("CARGO_PKG_VERSION").to_string(),
            },
        )?;
        crate::blobs::sync_dir(target)?;
        Ok(report)
    }

    /// Copies into `target/blobs` every blob `refs` names that the folder
    /// lacks or holds at the wrong size, each read back and re-hashed.
    fn copy_blobs(
        &self,
        target: &Path,
        refs: &[(ContentHash, String)],
        remote: &HashSet<String>,
        records: usize,
    ) -> Result<BackupReport> {
        let store = BlobStore::open(target.join("blobs"))?;
        let mut report = BackupReport {
            target: target.display().to_string(),
            records,
            ..BackupReport::default()
        };
        let mut seen = HashSet::new();
        for (hash, record) in refs {
            if !seen.insert(*hash) || remote.contains(&hash.to_hex()) {
                continue;
            }
            let from = self.blobs().path_of(hash);
            let size = std::fs::metadata(&from).map(|m| m.len()).ok();
            let held = std::fs::symlink_metadata(store.path_of(hash))
                .ok()
                .filter(|m| m.is_file())
                .map(|m| m.len());
            if size.is_none() || held != size {
                match self.blobs().check(hash) {
                    Fixity::Intact => {}
                    Fixity::Missing | Fixity::Corrupt => {
                        report.problems.push((record.clone(), hash.to_hex()));
                        continue;
                    }
                }
                // A damaged copy goes; the original is streamed in whole.
                if held.is_some() {
                    let stale = store.path_of(hash);
                    std::fs::remove_file(&stale).map_err(io_at(&stale))?;
                }
                store.put_file(&from, hash)?;
                if store.check(hash) != Fixity::Intact {
                    return Err(Error::new(
                        ErrorCode::Io,
                        format!(
                            "{}: the copy does not read back whole",
                            store.path_of(hash).display()
                        ),
                    ));
                }
                report.blobs_copied += 1;
                report.bytes_copied += size.unwrap_or(0);
            }
            report.blobs += 1;
        }
        Ok(report)
    }

    /// Makes a new archive in `into` (absent or empty) from the backup in
    /// `from`, rebuilds its index, and verifies it. The backup is only read
    /// (a write-protected drive will do). A catalogue whose audit trail was
    /// altered, or that carries triggers this program never makes, is refused.
    /// When anything fails, what was made in `into` is removed again.
    pub fn restore(from: &Path, into: &Path, actor: &str) -> Result<(Archive, RestoreReport)> {
        let manifest = read_manifest(from)?;
        claim_empty_folder(into)?;
        match restore_into(from, into, actor, &manifest) {
            Ok(done) => Ok(done),
            Err(e) => {
                remove_contents(into);
                Err(e)
            }
        }
    }
}

fn restore_into(
    from: &Path,
    into: &Path,
    actor: &str,
    manifest: &Manifest,
) -> Result<(Archive, RestoreReport)> {
    // The catalogue is copied beside its name first (the backup itself is
    // only read, never migrated), checked, and renamed into place last: an
    // archive appears only whole, with every blob it names.
    let partial = into.join(format!("{CATALOGUE_FILE}.partial"));
    Catalogue::snapshot_of_backup(&from.join(CATALOGUE_FILE), &partial)?;
    let copy = Catalogue::open_snapshot(&partial)?;
    let mut problems = copy.integrity_problems()?;
    problems.extend(copy.foreign_objects()?);
    if let Some(seq) = crate::audit::verify(copy.conn())?.first_broken {
        problems.push(format!("the audit trail was altered at entry {seq}"));
    }
    if !problems.is_empty() {
        return Err(Error::new(
            ErrorCode::NotABackup,
            format!("{}: {}", from.display(), problems.join("; ")),
        ));
    }
    let refs = copy.blob_refs()?;
    drop(copy);
    let backup_blobs = BlobStore::existing(from.join("blobs"));
    let blobs = BlobStore::open(into.join("blobs"))?;
    let mut seen = HashSet::new();
    for (hash, _) in &refs {
        // A copy that is not whole is left out: verify names it below, and
        // `verify --repair` can fetch it from another copy.
        if seen.insert(*hash) && backup_blobs.check(hash) == Fixity::Intact {
            blobs.put_file(&backup_blobs.path_of(hash), hash)?;
        }
    }
    copy_keys(from, into)?;
    let catalogue = into.join(CATALOGUE_FILE);
    std::fs::rename(&partial, &catalogue).map_err(io_at(&catalogue))?;
    crate::blobs::sync_dir(into)?;
    let archive = Archive::open(into)?;
    archive.with_catalogue(|c| {
        c.end_all_sessions()?;
        // A restored copy (a test of the backup, a replacement computer)
        // must not back itself up over the backup it came from.
        c.set_backup_plan(None, 0, actor)
    })?;
    let verify = archive.verify()?;
    let records = archive.with_catalogue(|c| c.live_record_ids())?.len();
    // The manifest is the backup's own word: shown only when it is a time.
    let made_at = Some(manifest.made_at.as_str())
        .filter(|t| {
            t.len() <= 40
                && t.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-:.+".contains(c))
        })
        .unwrap_or("?")
        .to_string();
    let report = RestoreReport {
        archive: into.display().to_string(),
        records,
        blobs: seen.len(),
        made_at,
        verify,
    };
    archive.audit_always(
        &Clearance::operator(actor),
        "archive.restore",
        &from.display().to_string(),
        &format!(
            "made_at={}; records={}; problems={}",
            report.made_at,
            report.records,
            report.verify.problems()
        ),
    )?;
    Ok((archive, report))
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct RepairReport {
    pub source: String,
    /// Originals put back whole: (record, sha256).
    pub repaired: Vec<(String, String)>,
    /// Missing or corrupt here and not found whole in the source.
    pub unrepaired: Vec<(String, String)>,
    /// The archive checked again after the repairs.
    pub verify: crate::archive::VerifyReport,
}

impl Archive {
    /// Puts back every missing or corrupt original from another copy of it:
    /// a backup folder, a flash drive the office pushed to, or the
    /// province's store (the admin only; each repair audited). A copy is
    /// used only if its hash is the one the catalogue names.
    pub fn repair(&self, source: &dyn Store, clearance: &Clearance) -> Result<RepairReport> {
        clearance.require_admin()?;
        let before = self.verify()?;
        let mut report = RepairReport {
            source: source.url().to_string(),
            ..RepairReport::default()
        };
        for (record, sha) in before.missing.iter().chain(&before.corrupt) {
            let whole = source
                .get(&crate::sync::blob_name(sha))?
                .filter(|bytes| ContentHash::of(bytes).to_hex() == *sha);
            let Some(bytes) = whole else {
                report.unrepaired.push((record.clone(), sha.clone()));
                continue;
            };
            self.blobs().put_over(&bytes)?;
            self.audit_always(
                clearance,
                "blob.repair",
                record,
                &format!("sha256={sha}; from={}", source.url()),
            )?;
            report.repaired.push((record.clone(), sha.clone()));
        }
        report.verify = self.verify()?;
        Ok(report)
    }

    /// `repair` from the store or folder at `url` (`file:///…`, `s3://…`).
    pub fn repair_url(&self, url: &str, clearance: &Clearance) -> Result<RepairReport> {
        clearance.require_admin()?;
        self.repair(self.store(url)?.as_ref(), clearance)
    }
}

/// The manifest of the backup in `from`, or why it is not one.
pub fn read_manifest(from: &Path) -> Result<Manifest> {
    let manifest = read_manifest_file(from)?;
    if !from.join(CATALOGUE_FILE).is_file() {
        return Err(Error::new(
            ErrorCode::NotABackup,
            from.display().to_string(),
        ));
    }
    Ok(manifest)
}

/// `BACKUP.json` alone (a first backup cut off has no catalogue yet).
fn read_manifest_file(from: &Path) -> Result<Manifest> {
    let path = from.join(MANIFEST);
    let not_a_backup = || Error::new(ErrorCode::NotABackup, from.display().to_string());
    let bytes = std::fs::read(&path).map_err(|_| not_a_backup())?;
    let manifest: Manifest = serde_json::from_slice(&bytes).map_err(|_| not_a_backup())?;
    if manifest.format > FORMAT {
        return Err(Error::new(
            ErrorCode::SchemaTooNew,
            path.display().to_string(),
        ));
    }
    Ok(manifest)
}

/// No folder around `dir` may be an archive or a backup: their own upkeep
/// (a rebuilt index, a pruned folder) could remove what was put inside.
pub(crate) fn not_inside_an_archive(dir: &Path) -> Result<()> {
    let resolved = canonical(dir)?;
    if let Some(outer) = resolved
        .ancestors()
        .skip(1)
        .find(|a| a.join(CATALOGUE_FILE).exists() || a.join(MANIFEST).exists())
    {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!(
                "{}: inside the archive or backup in {}; choose a folder outside it",
                dir.display(),
                outer.display()
            ),
        ));
    }
    Ok(())
}

/// Empties a folder this program claimed and then failed to fill.
pub(crate) fn remove_contents(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            let _ = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
        }
    }
}

/// Takes `target` for backups: it must be absent, empty or a backup folder
/// (never someone's folder of other files, nor a live archive). A new one is
/// marked a backup folder at once, so a first backup cut off half way is
/// still recognised as one, and as this archive's.
fn claim_backup_folder(target: &Path, office_key: &str) -> Result<()> {
    if target.join(MANIFEST).is_file() {
        return Ok(());
    }
    claim_empty_folder(target)?;
    write_manifest(
        target,
        &Manifest {
            format: FORMAT,
            office_key: office_key.to_string(),
            arsip_version: env!("CARGO_PKG_VERSION").to_string(),
            ..Manifest::default()
        },
    )
}

/// Makes `dir` (owner-only) if absent; an existing one must be empty, and
/// not inside an archive or a backup.
pub(crate) fn claim_empty_folder(dir: &Path) -> Result<()> {
    not_inside_an_archive(dir)?;
    if dir.exists() {
        claim_check(dir)?;
    } else {
        std::fs::create_dir(dir).map_err(io_at(dir))?;
    }
    crate::blobs::owner_only(dir)
}

/// An existing folder may be taken only when it is empty.
fn claim_check(dir: &Path) -> Result<()> {
    let mut entries = std::fs::read_dir(dir).map_err(io_at(dir))?;
    if entries.next().is_some() {
        let code = if dir.join(CATALOGUE_FILE).exists() {
            ErrorCode::ArchiveExists
        } else {
            ErrorCode::FolderNotEmpty
        };
        return Err(Error::new(code, dir.display().to_string()));
    }
    Ok(())
}

fn write_manifest(dir: &Path, manifest: &Manifest) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(manifest)
        .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
    let path = dir.join(MANIFEST);
    write_atomically(&path, &bytes)?;
    crate::blobs::owner_only(&path)
}

fn remove_partial(partial: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
    }
}

/// The absolute, link-free form of a path that may not exist yet: its
/// nearest existing ancestor resolved, the rest appended.
fn canonical(path: &Path) -> Result<std::path::PathBuf> {
    if path
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("{}: write the folder without '..'", path.display()),
        ));
    }
    let absolute = std::path::absolute(path).map_err(io_at(path))?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = std::fs::canonicalize(existing).map_err(io_at(existing))?;
    out.extend(rest.iter().rev());
    Ok(out)
}

fn copy_keys(from: &Path, to: &Path) -> Result<()> {
    // Only the office key, and only as a regular file: a link in a crafted
    // backup must not copy some other file of this computer into the archive.
    let src = from.join("keys").join(crate::sync::KEY_FILE);
    match std::fs::symlink_metadata(&src) {
        Ok(m) if m.is_file() => {}
        _ => return Ok(()),
    }
    let dst = to.join("keys");
    std::fs::create_dir_all(&dst).map_err(io_at(&dst))?;
    crate::blobs::owner_only(&dst)?;
    let bytes = std::fs::read(&src).map_err(io_at(&src))?;
    let out = dst.join(crate::sync::KEY_FILE);
    write_atomically(&out, &bytes)?;
    crate::blobs::owner_only(&out)
}

/// Writes a small file beside its name, syncs it, and renames it into place.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io_at(dir))?;
    tmp.write_all(bytes).map_err(io_at(path))?;
    tmp.as_file().sync_all().map_err(io_at(path))?;
    tmp.persist(path)
        .map_err(|e| Error::new(ErrorCode::Io, format!("{}: {}", path.display(), e.error)))?;
    Ok(())
}
