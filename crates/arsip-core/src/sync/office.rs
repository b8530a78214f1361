//! The office's identity in sync (its key), the province's register of
//! offices, and what is waiting to be sent.

use super::keys::{OfficeKey, PublicKey};
use crate::access::Clearance;
use crate::archive::Archive;
use crate::catalogue::{Peer, TargetKind, TargetState, Waiting};
use crate::error::{Error, ErrorCode, Result};
use crate::ids::ContentHash;
use crate::strings::Lang;
use std::path::PathBuf;

/// What `arsip sync status` and the app's sync screen show.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct SyncStatus {
    pub office: String,
    pub key: String,
    pub province: bool,
    /// The newest change in the catalogue.
    pub changes: i64,
    /// Changes not yet sealed into a segment (sealed at the next push).
    pub unsealed: i64,
    /// What a first send to a new target carries: every record and original.
    pub total: Waiting,
    /// Every target sent to or approved, with what waits for it.
    pub targets: Vec<TargetState>,
    /// Targets the admin approved: archivists may push only to these.
    pub approved: Vec<String>,
    /// Offices registered here (a provincial archive).
    pub offices: Vec<Peer>,
}

impl Archive {
    /// The name of the office this archive belongs to.
    pub fn office_name(&self) -> Result<String> {
        Ok(self.with_catalogue(|c| c.office())?.name)
    }

    /// This office's public key, which the province registers.
    pub fn office_key(&self) -> Result<PublicKey> {
        Ok(OfficeKey::load_or_create(self.root())?.public())
    }

    /// Registers an office at a provincial archive (admins and archivists).
    pub fn register_office(&self, name: &str, key: &str, clearance: &Clearance) -> Result<()> {
        clearance.require_catalogue()?;
        if !self.with_catalogue(|c| c.is_province())? {
            return Err(Error::new(
                ErrorCode::NotProvince,
                self.root().display().to_string(),
            ));
        }
        let key = PublicKey::parse(key)?;
        self.with_catalogue(|c| c.add_peer(name, &key.to_hex(), clearance.actor()))
    }

    /// Moves a registered office to a new key: it was rebuilt from what it
    /// had pushed (`recover_office`) and lost its old key with its disk. The
    /// admin only, since whoever holds the new key speaks for the office.
    pub fn replace_office_key(&self, name: &str, key: &str, clearance: &Clearance) -> Result<()> {
        clearance.require_admin()?;
        if !self.with_catalogue(|c| c.is_province())? {
            return Err(Error::new(
                ErrorCode::NotProvince,
                self.root().display().to_string(),
            ));
        }
        let key = PublicKey::parse(key)?;
        self.with_catalogue(|c| c.replace_peer_key(name, &key.to_hex(), clearance.actor()))
    }

    /// What is waiting to be sent, per target, and (at a province) what each
    /// office has applied; a failed send told in `lang`. A target the admin
    /// approved but nobody has sent to yet is listed with everything
    /// waiting. Archivists and admins.
    pub fn sync_status(&self, lang: Lang, clearance: &Clearance) -> Result<SyncStatus> {
        clearance.require_catalogue()?;
        self.with_catalogue(|c| {
            let changes = c.max_change_seq()?;
            let sealed = c.segments()?.last().map(|s| s.to).unwrap_or(0);
            let total = c.waiting_after(0)?;
            let approved = c.approved_targets()?;
            let mut targets = c.targets()?;
            for t in &mut targets {
                t.last_error = t
                    .last_error
                    .take()
                    .map(|kept| Error::from_note(&kept).message(lang));
            }
            for url in &approved {
                if !targets.iter().any(|t| &t.url == url) {
                    targets.push(TargetState {
                        url: url.clone(),
                        kind: TargetKind::of(url),
                        sent_seq: 0,
                        waiting: total,
                        last_attempt: None,
                        last_success: None,
                        last_error: None,
                    });
                }
            }
            Ok(SyncStatus {
                office: c.office()?.name,
                key: OfficeKey::load_or_create(self.root())?.public().to_hex(),
                province: c.is_province()?,
                changes,
                unsealed: changes - sealed,
                total,
                targets,
                approved,
                offices: c.peers()?,
            })
        })
    }

    /// The store at `url`, through the opener the shell gave this archive.
    pub fn store(&self, url: &str) -> Result<Box<dyn super::Store>> {
        let opener = self.store_opener().ok_or_else(|| {
            Error::new(
                ErrorCode::TargetUnreachable,
                format!("{url}: this program opens no object stores"),
            )
        })?;
        opener(url)
    }

    /// A blob's path in the local store; an original a province left in the
    /// object store is fetched (and verified) first.
    pub(crate) fn local_blob(&self, hash: &ContentHash) -> Result<PathBuf> {
        if !self.blobs().contains(hash) {
            if let Some(source) = self.with_catalogue(|c| c.remote_blob(&hash.to_hex()))? {
                self.fetch_blob(self.store(&source)?.as_ref(), hash)?;
            }
        }
        Ok(self.blobs().path_of(hash))
    }
}
