//! Disaster recovery: an office whose disk died is rebuilt from what it
//! pushed (the province's store, or a flash drive it sent to), with
//! `arsip --archive NEW restore s3://…/offices/KEY`.
//!
//! The office's log is read from its first segment to its HEAD, each segment
//! verified exactly as a province verifies it (signature, range, chain), and
//! every original and thumbnail is copied and checked against its hash. What
//! the log does not carry is not restored: users, the office's audit trail
//! (the new trail starts with the recovery and names the old trail's newest
//! hash, which the province also kept), sync targets and the backup plan.
//!
//! The office's signing key left with its disk, so the rebuilt archive has a
//! new one; the province moves the office to it with `arsip office replace`
//! (`Catalogue::replace_peer_key`) and then reads the new log from the start.

use super::keys::PublicKey;
use super::pull::walk_log;
use super::store::Store;
use crate::access::Clearance;
use crate::archive::Archive;
use crate::error::{Error, ErrorCode, Result};
use crate::ids::ContentHash;
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Serialize)]
pub struct RecoverReport {
    pub archive: String,
    pub source: String,
    /// The office's name, as its HEAD says.
    pub office: String,
    /// The key the office signed with, and the rebuilt archive's new one.
    pub old_key: String,
    pub new_key: String,
    pub segments: usize,
    /// The office's change sequence the rebuilt archive reaches: the
    /// province can tell an older copy from the newest by it.
    pub last_seq: i64,
    pub records: usize,
    pub blobs: usize,
    /// Files the source lacked or held damaged (left for `verify --repair`).
    pub blobs_missing: usize,
    /// The office's region: given, or the most common of its records'.
    pub region: String,
    /// The region was read from the records, not given.
    pub region_guessed: bool,
    pub verify: crate::archive::VerifyReport,
}

/// Splits `…/offices/KEY` (a store URL or a drive folder) into the store's
/// address and the office's key.
pub fn split_office_url(url: &str) -> Option<(String, PublicKey)> {
    // A Windows path (`E:\\rpp\\offices\\KEY`) reads like a URL's.
    let url = url.replace('\\', "/");
    let trimmed = url.trim_end_matches('/');
    let (store, key) = trimmed.rsplit_once("/offices/")?;
    let key = PublicKey::parse(key).ok()?;
    (!store.is_empty()).then(|| (store.to_string(), key))
}

/// In a folder being rebuilt until the rebuild is whole (`Archive::open`
/// refuses such a folder).
pub(crate) const RECOVERY_MARKER: &str = "PEMULIHAN-BELUM-SELESAI";

impl Archive {
    /// Makes a new office archive in `into` (absent or empty) from the log
    /// and blobs office `key` pushed to `remote`. When anything fails, what
    /// was made in `into` is removed again.
    pub fn recover_office(
        remote: &dyn Store,
        key: &PublicKey,
        into: &Path,
        region: Option<&str>,
        actor: &str,
    ) -> Result<(Archive, RecoverReport)> {
        let head = remote
            .get(&super::head_name(key))?
            .and_then(|bytes| super::segment::open_head(&bytes, key).ok())
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::NotFound,
                    format!("{}: no log signed by office {key}", remote.url()),
                )
            })?;
        if let Some(r) = region {
            let parts: Vec<&str> = r.split('.').collect();
            let digits = |p: &&str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit());
            if parts.len() != 2 || !parts.iter().all(digits) {
                return Err(Error::new(ErrorCode::InvalidInput, format!("--region {r}")));
            }
        }
        // What a cut-off attempt left (it marked the folder) is made anew.
        if into.join(RECOVERY_MARKER).exists() {
            crate::backup::remove_contents(into);
        }
        crate::backup::claim_empty_folder(into)?;
        let marker = into.join(RECOVERY_MARKER);
        let built = (|| {
            // Until the marker goes, the folder is refused as an archive:
            // a recovery killed half way never looks like a whole office.
            std::fs::write(&marker, b"").map_err(crate::error::io_at(&marker))?;
            crate::blobs::sync_dir(into)?;
            let archive = Archive::init(into, &head.name, region.unwrap_or(""))?;
            let mut report = archive.adopt_log(remote, key, &head.name, actor)?;
            report.region = match region {
                Some(r) => r.to_string(),
                None => {
                    let found = archive.with_catalogue(|c| c.main_region())?;
                    let found = found.ok_or_else(|| {
                        Error::new(
                            ErrorCode::InvalidInput,
                            "--region KODE (kab/kota, mis./e.g. 32.71)",
                        )
                    })?;
                    archive.with_catalogue(|c| c.set_office(&head.name, &found))?;
                    report.region_guessed = true;
                    found
                }
            };
            std::fs::remove_file(&marker).map_err(crate::error::io_at(&marker))?;
            crate::blobs::sync_dir(into)?;
            Ok((archive, report))
        })();
        if built.is_err() {
            crate::backup::remove_contents(into);
        }
        built
    }

    fn adopt_log(
        &self,
        remote: &dyn Store,
        key: &PublicKey,
        name: &str,
        actor: &str,
    ) -> Result<RecoverReport> {
        let mut report = RecoverReport {
            archive: self.root().display().to_string(),
            source: remote.url().to_string(),
            office: name.to_string(),
            old_key: key.to_hex(),
            new_key: self.office_key()?.to_hex(),
            segments: 0,
            last_seq: 0,
            records: 0,
            blobs: 0,
            blobs_missing: 0,
            region: String::new(),
            region_guessed: false,
            verify: Default::default(),
        };
        let mut audit_head = String::new();
        // Past HEAD too: segments a push cut off before moving HEAD are the
        // office's newest changes, verified like the rest.
        walk_log(remote, key, (0, String::new()), true, |body, _| {
            for sha in body.blobs() {
                // A file missing or damaged in the source is left out, not
                // the whole office: verify names it, `verify --repair`
                // fetches it from another copy.
                match self.fetch_blob(remote, &ContentHash::parse(&sha)?) {
                    Ok(()) => report.blobs += 1,
                    Err(e)
                        if matches!(e.code, ErrorCode::NotFound | ErrorCode::SegmentRejected) =>
                    {
                        report.blobs_missing += 1
                    }
                    Err(e) => return Err(e),
                }
            }
            self.with_catalogue(|c| c.adopt_segment(&body))?;
            report.segments += 1;
            report.last_seq = body.to;
            audit_head = body.audit.clone();
            Ok(())
        })
        .map_err(|(object, e)| Error::new(e.code, format!("{object}: {}", e.detail)))?;
        self.catch_up_index()?;
        report.records = self.with_catalogue(|c| c.live_record_ids())?.len();
        report.verify = self.verify()?;
        self.audit_always(
            &Clearance::operator(actor),
            "archive.recover",
            remote.url(),
            &format!(
                "office={name}; old_key={}; new_key={}; segments={}; last_seq={}; records={}; files_missing={}; office_audit_head={audit_head}",
                report.old_key, report.new_key, report.segments, report.last_seq, report.records, report.blobs_missing
            ),
        )?;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_urls() {
        let key = super::super::OfficeKey::from_seed([3; 32]).public();
        let (store, k) = split_office_url(&format!("s3://arsip/jabar/offices/{key}/")).unwrap();
        assert_eq!((store.as_str(), k), ("s3://arsip/jabar", key.clone()));
        let (store, _) = split_office_url(&format!("/media/usb/offices/{key}")).unwrap();
        assert_eq!(store, "/media/usb");
        let (store, _) = split_office_url(&format!("E:\\rpp\\offices\\{key}")).unwrap();
        assert_eq!(store, "E:/rpp");
        assert!(split_office_url("s3://arsip/jabar").is_none());
        assert!(split_office_url("s3://arsip/offices/bukan-kunci").is_none());
    }
}
