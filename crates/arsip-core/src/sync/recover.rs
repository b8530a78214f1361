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
    pub records: usize,
    pub blobs: usize,
    /// The office's region: given, or the most common of its records'.
    pub region: String,
    pub verify: crate::archive::VerifyReport,
}

/// Splits `…/offices/KEY` (a store URL or a drive folder) into the store's
/// address and the office's key.
pub fn split_office_url(url: &str) -> Option<(String, PublicKey)> {
    let trimmed = url.trim_end_matches('/');
    let (store, key) = trimmed.rsplit_once("/offices/")?;
    let key = PublicKey::parse(key).ok()?;
    (!store.is_empty()).then(|| (store.to_string(), key))
}

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
        crate::backup::claim_empty_folder(into)?;
        let built = (|| {
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
                    found
                }
            };
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
            records: 0,
            blobs: 0,
            region: String::new(),
            verify: Default::default(),
        };
        let mut audit_head = String::new();
        walk_log(remote, key, (0, String::new()), |body, _| {
            for sha in body.blobs() {
                self.fetch_blob(remote, &ContentHash::parse(&sha)?)?;
                report.blobs += 1;
            }
            self.with_catalogue(|c| c.adopt_segment(&body))?;
            report.segments += 1;
            audit_head = body.audit.clone();
            Ok(())
        })
        .map_err(|(object, reason)| {
            Error::new(ErrorCode::SegmentRejected, format!("{object}: {reason}"))
        })?;
        self.catch_up_index()?;
        report.records = self.with_catalogue(|c| c.live_record_ids())?.len();
        report.verify = self.verify()?;
        self.audit_always(
            &Clearance::operator(actor),
            "archive.recover",
            remote.url(),
            &format!(
                "office={name}; old_key={}; new_key={}; segments={}; records={}; office_audit_head={audit_head}",
                report.old_key, report.new_key, report.segments, report.records
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
        assert!(split_office_url("s3://arsip/jabar").is_none());
        assert!(split_office_url("s3://arsip/offices/bukan-kunci").is_none());
    }
}
