//! `Archive::sync_push`: seal new changes into segments, then send the target
//! what it lacks: blobs, segments, HEAD, in that order.

use super::keys::OfficeKey;
use super::plan::{blobs_to_send, plan_log, RemoteLog};
use super::segment::{self, Head, SegmentBody, FORMAT};
use super::store::{put_verified, Store};
use super::{
    approval_name, head_name, office_dir, parse_segment_name, segment_name, SEGMENT_RECORDS,
};
use crate::access::Clearance;
use crate::archive::Archive;
use crate::error::{Error, ErrorCode, Result};
use crate::ids::ContentHash;

/// Parts of a multipart upload; S3 needs at least 5 MiB (except the last).
/// A push cut off mid-file sends at most one part again.
pub const PART_SIZE: u64 = 8 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct PushOptions {
    /// Most bytes per second to send (None: as fast as the link goes).
    pub bytes_per_second: Option<u64>,
    /// Files sent at once. Each has at most one part in flight, so a push cut
    /// off re-sends at most this many parts.
    pub transfers: usize,
}

impl Default for PushOptions {
    fn default() -> PushOptions {
        PushOptions {
            bytes_per_second: None,
            transfers: 2,
        }
    }
}

/// Hears of a push's progress; called from the sending threads.
pub type Progress<'a> = dyn Fn(PushEvent) + Sync + 'a;

/// What a push is doing, for a progress bar.
#[derive(Debug, Clone, PartialEq)]
pub enum PushEvent {
    /// What will be sent: blobs, their bytes, segments.
    Planned {
        blobs: usize,
        bytes: u64,
        segments: usize,
    },
    /// Bytes of blobs sent since the last event.
    Sent(u64),
    BlobDone,
    SegmentDone,
}

#[derive(Debug, Clone, Default, serde::Serialize, schemars::JsonSchema)]
pub struct PushReport {
    pub target: String,
    /// Records added, changed or deleted that the target received now.
    pub records_sent: usize,
    /// Originals among the blobs sent (the rest are page thumbnails).
    pub files_sent: usize,
    pub blobs_sent: usize,
    /// Blob bytes sent by this run (a resumed file counts only its new parts).
    pub bytes_sent: u64,
    pub segments_sent: usize,
    /// Bytes of a large file's parts the store had acknowledged before this
    /// run and then forgot with their upload (so they were sent again): an
    /// upload cut off while the store was assembling it.
    pub bytes_lost: u64,
    /// The last change sequence the target now holds.
    pub head: i64,
    /// Files of records this office destroyed, removed from the target
    /// now: a flash drive only this office writes to (a province cleans
    /// its store itself, knowing every office's logs).
    pub destroyed_files_removed: usize,
}

/// Where the pusher stops on purpose, for tests that cut a push at a named point.
/// Set `ARSIP_FAILPOINT=name` and the push exits the process there, as a kill would.
pub(super) fn failpoint(name: &str) {
    if std::env::var("ARSIP_FAILPOINT").is_ok_and(|v| v == name) {
        std::process::exit(86);
    }
}

impl Archive {
    /// `sync_push` to the store at `url`, opened through the shell's opener
    /// once the clearance allows it (a refused caller opens nothing).
    pub fn sync_push_url(
        &self,
        url: &str,
        opts: &PushOptions,
        progress: &Progress<'_>,
        clearance: &Clearance,
    ) -> Result<PushReport> {
        self.check_target(url, clearance)?;
        self.sync_push(self.store(url)?.as_ref(), opts, progress, clearance)
    }

    /// A push copies the whole archive out of this computer: archivists may
    /// push only to targets the admin approved, admins anywhere. Checked on
    /// the address before any store is opened.
    fn check_target(&self, url: &str, clearance: &Clearance) -> Result<()> {
        clearance.require_catalogue()?;
        // The kinds of store a shell can open; anything else is a typing
        // mistake, told as such before any question of approval.
        if !(url.starts_with("s3://") || url.starts_with("file://")) {
            return Err(Error::new(ErrorCode::TargetInvalid, url.to_string()));
        }
        if clearance.is_admin() || self.with_catalogue(|c| c.approval_token(url))?.is_some() {
            Ok(())
        } else {
            Err(Error::new(ErrorCode::TargetNotApproved, url.to_string()))
        }
    }

    /// The approval of the target itself: its token, written into the store
    /// by the admin's approval, must be there for an archivist's push. A
    /// flash drive swapped for another one at the same path, or a bucket
    /// emptied and re-made, is not the target the admin approved. An
    /// admin's push approves the target (or writes its token back).
    fn authorize_store(&self, store: &dyn Store, clearance: &Clearance) -> Result<()> {
        self.check_target(store.url(), clearance)?;
        let name = approval_name(&OfficeKey::load_or_create(self.root())?.public());
        let token = self.with_catalogue(|c| c.approval_token(store.url()))?;
        let found = store.get(&name)?;
        if clearance.is_admin() {
            let token = match token {
                Some(t) => t,
                None => {
                    let mut bytes = [0u8; 32];
                    rand::Rng::fill(&mut rand::rng(), &mut bytes);
                    let t = hex::encode(bytes);
                    self.with_catalogue(|c| c.approve_target(store.url(), &t, clearance.actor()))?;
                    t
                }
            };
            if found.as_deref() != Some(token.as_bytes()) {
                put_verified(store, &name, token.as_bytes())?;
            }
            return Ok(());
        }
        match token {
            Some(t) if found.as_deref() == Some(t.as_bytes()) => Ok(()),
            _ => Err(Error::new(
                ErrorCode::TargetNotApproved,
                store.url().to_string(),
            )),
        }
    }

    /// Approves `store` for archivists' pushes (the admin's; audited).
    pub fn approve_target(&self, store: &dyn Store, clearance: &Clearance) -> Result<()> {
        clearance.require_admin()?;
        self.authorize_store(store, clearance)
    }

    /// Sends this office's new and changed records and their files to `store`.
    pub fn sync_push(
        &self,
        store: &dyn Store,
        opts: &PushOptions,
        progress: &Progress<'_>,
        clearance: &Clearance,
    ) -> Result<PushReport> {
        let url = store.url();
        let key = OfficeKey::load_or_create(self.root())?;
        self.authorize_store(store, clearance)?;
        // What a destruction took out of sealed segments is out before
        // anything is sent (it normally is already: see `redact_sealed`).
        self.redact_sealed()?;
        self.seal_pending(&key)?;
        let outcome = self.push_to(store, &key, opts, progress);
        // Kept as code and detail, told later in the reader's language.
        let note = match &outcome {
            Ok(r) => (Some(r.head), None),
            Err(e) => (None, Some(e.to_note())),
        };
        self.with_catalogue(|c| c.note_push(url, note.0, note.1.as_deref()))?;
        let detail = match &outcome {
            Ok(r) => format!(
                "{} files ({} bytes), {} segments, head {}; {} files of destroyed records removed",
                r.blobs_sent, r.bytes_sent, r.segments_sent, r.head, r.destroyed_files_removed
            ),
            Err(e) => format!("failed: {}", e.code.as_str()),
        };
        self.audit_always(clearance, "sync.push", url, &detail)?;
        outcome
    }

    /// Seals every change not yet in a segment.
    pub(crate) fn seal_pending(&self, key: &OfficeKey) -> Result<()> {
        loop {
            let last = self.with_catalogue(|c| c.segments())?.pop();
            let (from, prev) = last.map(|s| (s.to, s.hash)).unwrap_or_default();
            let Some(draft) = self.with_catalogue(|c| c.segment_draft(from, SEGMENT_RECORDS))?
            else {
                return Ok(());
            };
            let mut body = SegmentBody {
                format: FORMAT,
                office: key.public().to_hex(),
                from,
                to: draft.to,
                prev,
                audit: draft.audit,
                entries: draft.entries,
                replaces: None,
            };
            body.format = body.format_needed();
            let mut blobs = Vec::new();
            for state in body.entries.iter().filter_map(|e| e.state.as_ref()) {
                blobs.extend(state.files.iter().map(|f| (f.sha256.clone(), f.size)));
                for thumb in state.pages.iter().filter_map(|p| p.thumbnail.as_ref()) {
                    let path = self.blobs().path_of(&ContentHash::parse(thumb)?);
                    let size = std::fs::metadata(&path)
                        .map_err(crate::error::io_at(&path))?
                        .len();
                    blobs.push((thumb.clone(), size));
                }
            }
            blobs.sort();
            blobs.dedup();
            let sealed = segment::seal(&body, key)?;
            // A destruction between the draft and now: drafted again, so
            // no sealed segment holds what it destroyed.
            let live: Vec<&str> = body
                .entries
                .iter()
                .filter(|e| e.state.is_some() && e.destroyed.is_none())
                .map(|e| e.id.as_str())
                .collect();
            self.with_catalogue(|c| c.store_segment(&sealed, &blobs, &live))?;
        }
    }

    /// Removes from a flash drive that only this office writes to the
    /// files its destructions removed. A drive that carries other offices'
    /// logs is left to the province, which knows what they name.
    fn clean_drive(&self, remote: &dyn Store, public: &super::PublicKey) -> Result<usize> {
        if !remote.is_folder() {
            return Ok(0);
        }
        let own = public.to_hex();
        if remote.folders("offices")?.iter().any(|f| *f != own) {
            return Ok(0);
        }
        let mut removed = 0;
        for sha in self.with_catalogue(|c| c.destroyed_blobs())? {
            let name = super::blob_name(&sha);
            if remote.size(&name)?.is_some() {
                remote.delete(&name)?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    fn push_to(
        &self,
        remote: &dyn Store,
        key: &OfficeKey,
        opts: &PushOptions,
        progress: &Progress<'_>,
    ) -> Result<PushReport> {
        let public = key.public();
        // A HEAD this office did not sign is not its HEAD (a torn write, a
        // stray file): it is replaced like a missing one.
        let head = remote
            .get(&head_name(&public))?
            .and_then(|bytes| segment::open_head(&bytes, &public).ok());
        let segments = remote
            .list(&format!("{}/log/", office_dir(&public)))?
            .into_iter()
            .filter_map(|l| parse_segment_name(&l.name).map(|(f, t)| (f, (t, l.size))))
            .collect();
        let remote_log = RemoteLog { head, segments };
        let local = self.with_catalogue(|c| {
            c.segments()?
                .into_iter()
                .map(|s| {
                    let size = c.segment_bytes(s.from)?.len() as u64;
                    Ok((s, size))
                })
                .collect::<Result<Vec<_>>>()
        })?;
        let mut plan = plan_log(&local, &remote_log)?;
        plan.segments
            .extend(self.with_catalogue(|c| c.resends(remote.url()))?);
        plan.segments.sort();
        plan.segments.dedup();
        let mut needed = Vec::new();
        for from in &plan.segments {
            needed.extend(self.with_catalogue(|c| c.segment_blobs(*from))?);
        }
        let present = self.present_blobs(remote, &needed)?;
        // A push cut off after the target completed an upload, before its
        // receipts were forgotten here, left them behind: the file is whole there.
        let whole: Vec<&str> = needed
            .iter()
            .filter(|(sha, size)| present.get(sha) == Some(size))
            .map(|(sha, _)| sha.as_str())
            .collect();
        self.with_catalogue(|c| c.clear_uploads(remote.url(), &whole))?;
        let blobs = blobs_to_send(needed, &present);
        progress(PushEvent::Planned {
            blobs: blobs.len(),
            bytes: blobs.iter().map(|b| b.1).sum(),
            segments: plan.segments.len(),
        });
        let mut report = PushReport {
            target: remote.url().to_string(),
            ..PushReport::default()
        };
        (report.bytes_sent, report.bytes_lost) = self.send_blobs(remote, &blobs, opts, progress)?;
        report.blobs_sent = blobs.len();
        report.files_sent =
            self.with_catalogue(|c| c.originals_among(blobs.iter().map(|(sha, _)| sha.as_str())))?;
        for from in &plan.segments {
            let info = local
                .iter()
                .find(|(s, _)| s.from == *from)
                .map(|(s, _)| s.clone())
                .ok_or_else(|| Error::new(ErrorCode::Internal, format!("segment {from}")))?;
            let bytes = self.with_catalogue(|c| c.segment_bytes(*from))?;
            put_verified(remote, &segment_name(&public, info.from, info.to), &bytes)?;
            self.with_catalogue(|c| c.resent(remote.url(), info.from))?;
            report.segments_sent += 1;
            progress(PushEvent::SegmentDone);
            failpoint("after-segment");
        }
        if let Some((to, hash)) = plan.head {
            let office = self.with_catalogue(|c| c.office())?;
            let head = Head {
                format: FORMAT,
                office: public.to_hex(),
                name: office.name,
                to,
                hash,
            };
            put_verified(
                remote,
                &head_name(&public),
                &segment::seal_head(&head, key)?,
            )?;
        }
        report.head = local.last().map(|(s, _)| s.to).unwrap_or(0);
        report.destroyed_files_removed = self.clean_drive(remote, &public)?;
        if let Some(first) = plan.segments.iter().min() {
            report.records_sent =
                self.with_catalogue(|c| c.records_changed(*first, report.head))? as usize;
        }
        Ok(report)
    }
}
