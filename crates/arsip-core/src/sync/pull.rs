//! `Archive::sync_pull`: a provincial archive reads every registered office's
//! log from a store or a flash drive, verifies each segment (signature, range,
//! chain) and applies it whole or not at all. Thumbnails come along at once
//! (search results show them); originals stay in an object store until someone
//! opens them, but are copied from a folder source, which is a flash drive
//! that will leave.

use super::keys::PublicKey;
use super::segment;
use super::store::Store;
use super::{blob_name, head_name, office_dir, parse_segment_name};
use crate::access::Clearance;
use crate::archive::Archive;
use crate::catalogue::Peer;
use crate::error::{Error, ErrorCode, Result};
use crate::ids::ContentHash;
use std::collections::HashMap;

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PullReport {
    pub source: String,
    pub offices: Vec<OfficePull>,
    /// Objects refused, each with its reason; nothing of them was applied.
    pub rejected: Vec<Rejection>,
    /// Offices found in the source that this archive has not registered.
    pub unregistered: Vec<String>,
    /// Files (originals, thumbnails) of records their office destroyed,
    /// removed from the source now.
    pub destroyed_files_removed: usize,
    /// Segments of retired keys' logs (offices rebuilt with a new key)
    /// that held records their office has destroyed since, removed now.
    pub retired_segments_removed: usize,
}

impl PullReport {
    /// True when everything the source offered was applied.
    pub fn complete(&self) -> bool {
        self.rejected.is_empty() && self.unregistered.is_empty()
    }
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct OfficePull {
    pub office: String,
    pub segments: usize,
    pub records: usize,
    /// The office's change sequence now applied here.
    pub applied: i64,
    /// Thumbnails (and, from a flash drive, originals) its log names that
    /// the source does not hold: the records are applied without them,
    /// and `verify` lists them until they are brought back.
    pub files_missing: usize,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Rejection {
    pub office: String,
    pub object: String,
    pub reason: String,
}

impl Archive {
    /// `sync_pull` from the store at `url`, opened once the clearance allows it.
    pub fn sync_pull_url(&self, url: &str, clearance: &Clearance) -> Result<PullReport> {
        clearance.require_catalogue()?;
        self.sync_pull(self.store(url)?.as_ref(), clearance)
    }

    /// Applies what `remote` holds of every registered office's log.
    pub fn sync_pull(&self, remote: &dyn Store, clearance: &Clearance) -> Result<PullReport> {
        clearance.require_catalogue()?;
        if !self.with_catalogue(|c| c.is_province())? {
            return Err(Error::new(
                ErrorCode::NotProvince,
                self.root().display().to_string(),
            ));
        }
        let copy_originals = remote.is_folder();
        let peers = self.with_catalogue(|c| c.peers())?;
        let retired = self.with_catalogue(|c| c.retired_keys())?;
        let mut report = PullReport {
            source: remote.url().to_string(),
            ..PullReport::default()
        };
        let folders = remote.folders("offices")?;
        if folders.is_empty() {
            // Most likely a drive not mounted or a mistyped path: say so
            // rather than report an empty pull as a success.
            return Err(Error::new(
                ErrorCode::NotFound,
                format!("{}: no office has sent anything here", remote.url()),
            ));
        }
        // This archive's own log, if it pushed to the same store, is its own.
        let own = self.office_key()?.to_hex();
        for folder in folders {
            if peers.iter().any(|p| p.key == folder) || retired.contains(&folder) || folder == own {
                continue;
            }
            let claimed = remote
                .get(&format!("offices/{folder}/HEAD"))?
                .and_then(|b| segment::peek_head(&b))
                .map(|h| h.name)
                .unwrap_or_default();
            report.unregistered.push(format!("{claimed} ({folder})"));
        }
        for peer in peers {
            let mut pulled = OfficePull {
                office: peer.name.clone(),
                applied: peer.applied_seq,
                ..OfficePull::default()
            };
            if let Err(rejection) = self.pull_office(remote, &peer, copy_originals, &mut pulled) {
                report.rejected.push(rejection);
            }
            report.offices.push(pulled);
        }
        self.catch_up_index()?;
        // Copies of destroyed records' files and thumbnails: gone from the
        // disk now (or at the next open, if one cannot be removed now).
        let _ = self.purge_blobs();
        if report.complete() {
            report.destroyed_files_removed = self.purge_store(remote, clearance)?;
            report.retired_segments_removed = self.purge_retired(remote, clearance)?;
        }
        Ok(report)
    }

    /// Removes from `remote` the blobs of records their office destroyed
    /// that no record here uses. Only after a complete pull: every office
    /// in the source registered and applied up to its HEAD, so no log
    /// there names a blob this archive has not counted. (An office pushing
    /// at this very moment may still name one: its province then finds the
    /// original missing, and `verify` says so.) Each object store is
    /// cleaned of a blob once; a flash drive is looked at each time, since
    /// the same drive may come back later with the blob still on it.
    fn purge_store(&self, remote: &dyn Store, clearance: &Clearance) -> Result<usize> {
        let waiting = self.with_catalogue(|c| c.store_purges(remote.url()))?;
        let mut removed = 0;
        for sha in &waiting {
            let name = blob_name(sha);
            let present = remote.size(&name)?.is_some();
            let gone = self.with_catalogue(|c| {
                c.purge_from_store(sha, remote.url(), !remote.is_folder(), || match present {
                    true => remote.delete(&name),
                    false => Ok(()),
                })
            })?;
            removed += usize::from(gone && present);
        }
        if removed > 0 {
            self.audit_always(
                clearance,
                "sync.purge",
                remote.url(),
                &format!("{removed} files of destroyed records"),
            )?;
        }
        Ok(removed)
    }

    /// Removes from `remote` the segments of retired keys' logs that hold a
    /// state of a record its office destroyed since: the office, rebuilt
    /// with a new key, cannot re-seal what its old key signed, and nobody
    /// reads a retired log again. Only after a complete pull, like
    /// `purge_store`; the list is kept until an object store was cleaned.
    fn purge_retired(&self, remote: &dyn Store, clearance: &Clearance) -> Result<usize> {
        let ids = self.with_catalogue(|c| c.retired_purges())?;
        if ids.is_empty() {
            return Ok(0);
        }
        let mut removed = Vec::new();
        for key in self.with_catalogue(|c| c.retired_keys())? {
            let Ok(public) = PublicKey::parse(&key) else {
                continue;
            };
            for object in remote.list(&format!("{}/log/", office_dir(&public)))? {
                let Some(bytes) = remote.get(&object.name)? else {
                    continue;
                };
                // What the old key did not sign is not its log: left alone.
                let Ok((body, _)) = segment::open(&bytes, &public) else {
                    continue;
                };
                let holds = body
                    .entries
                    .iter()
                    .any(|e| e.state.is_some() && ids.contains(&e.id));
                if holds {
                    remote.delete(&object.name)?;
                    removed.push(object.name);
                }
            }
        }
        if !remote.is_folder() {
            self.with_catalogue(|c| c.forget_retired_purges(&ids))?;
        }
        if !removed.is_empty() {
            self.audit_always(
                clearance,
                "sync.purge",
                remote.url(),
                &format!("{} segments of retired keys", removed.len()),
            )?;
        }
        Ok(removed.len())
    }

    fn pull_office(
        &self,
        remote: &dyn Store,
        peer: &Peer,
        copy_originals: bool,
        pulled: &mut OfficePull,
    ) -> std::result::Result<(), Rejection> {
        let reject = |object: &str, reason: String| Rejection {
            office: peer.name.clone(),
            object: object.to_string(),
            reason,
        };
        let key = PublicKey::parse(&peer.key).map_err(|e| reject("", e.to_string()))?;
        let start = (peer.applied_seq, peer.applied_hash.clone());
        walk_log(remote, &key, start, false, |body, hash| {
            pulled.files_missing += self.fetch_blobs(remote, &body, copy_originals)?;
            let current = Peer {
                applied_seq: body.from,
                applied_hash: body.prev.clone(),
                ..peer.clone()
            };
            // A destruction's text does not stay in free pages or the WAL.
            let destroys = body.entries.iter().any(|e| e.destroyed.is_some());
            let records = self.with_catalogue(|c| {
                if destroys {
                    c.scrub(true)?;
                }
                let applied = c.apply_segment(&current, &body, hash, remote.url());
                if destroys {
                    c.scrub(false)?;
                }
                applied
            })?;
            pulled.segments += 1;
            pulled.records += records;
            pulled.applied = body.to;
            Ok(())
        })
        .map_err(|(object, e)| {
            let reason = if e.code == ErrorCode::SegmentRejected {
                e.detail
            } else {
                e.to_string()
            };
            reject(&object, reason)
        })
    }

    /// Copies the segment's thumbnails (and, from a folder, its originals),
    /// each checked against its hash before it is kept. One the source does
    /// not hold does not stop the office's log (a file an older state named
    /// and its office destroyed since, a push that raced a removal): it is
    /// counted. One that does not match its hash refuses the segment.
    fn fetch_blobs(
        &self,
        remote: &dyn Store,
        body: &segment::SegmentBody,
        copy_originals: bool,
    ) -> Result<usize> {
        let mut missing = 0;
        for state in body.entries.iter().filter_map(|e| e.state.as_ref()) {
            let thumbs = state.pages.iter().filter_map(|p| p.thumbnail.as_deref());
            let originals = state.files.iter().map(|f| f.sha256.as_str());
            let wanted: Vec<&str> = if copy_originals {
                thumbs.chain(originals).collect()
            } else {
                thumbs.collect()
            };
            for sha in wanted {
                match self.fetch_blob(remote, &ContentHash::parse(sha)?) {
                    Err(e) if e.code == ErrorCode::NotFound => missing += 1,
                    other => other?,
                }
            }
        }
        Ok(missing)
    }

    /// Brings one blob from `remote` into the local store, verified.
    pub(crate) fn fetch_blob(&self, remote: &dyn Store, hash: &ContentHash) -> Result<()> {
        if self.blobs().contains(hash) {
            return Ok(());
        }
        let name = blob_name(&hash.to_hex());
        let bytes = remote
            .get(&name)?
            .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("{}: {name}", remote.url())))?;
        if ContentHash::of(&bytes) != *hash {
            return Err(Error::new(
                ErrorCode::SegmentRejected,
                format!("{name}: its content does not match its hash"),
            ));
        }
        self.blobs().put_bytes(&bytes)?;
        Ok(())
    }
}

/// Walks `key`'s log in `remote` from `at` (a sequence and the hash of the
/// segment that ends there) to the office's HEAD, handing `apply` each
/// segment in order, verified first: signed by the key, holding the range
/// its name claims, following the one before it. With `past_head`, the walk
/// goes on along the chain after HEAD (segments a push cut off before moving
/// HEAD left whole). Files in the log folder that are not segments (a
/// `Thumbs.db`) are passed over; every segment is verified anyway. The first
/// failure stops the walk and is returned with the object it concerns:
/// `SegmentRejected` for what fails verification, `apply`'s own error else.
pub(crate) fn walk_log(
    remote: &dyn Store,
    key: &PublicKey,
    mut at: (i64, String),
    past_head: bool,
    mut apply: impl FnMut(segment::SegmentBody, &str) -> Result<()>,
) -> std::result::Result<(), (String, Error)> {
    let rejected = |object: &str, reason: String| {
        (
            object.to_string(),
            Error::new(ErrorCode::SegmentRejected, reason),
        )
    };
    let head_at = head_name(key);
    let Some(head) = remote.get(&head_at).map_err(|e| (head_at.clone(), e))? else {
        return Ok(());
    };
    let head = segment::open_head(&head, key).map_err(|e| rejected(&head_at, e.to_string()))?;
    let log_dir = format!("{}/log/", office_dir(key));
    let listed = remote.list(&log_dir).map_err(|e| (log_dir.clone(), e))?;
    let mut by_start: HashMap<i64, (i64, String)> = HashMap::new();
    for object in listed {
        if let Some((from, to)) = parse_segment_name(&object.name) {
            by_start.insert(from, (to, object.name));
        }
    }
    while at.0 < head.to || (past_head && by_start.contains_key(&at.0)) {
        let Some((to, name)) = by_start.get(&at.0).cloned() else {
            return Err(rejected(
                &log_dir,
                format!("no segment starting at {} (HEAD says {})", at.0, head.to),
            ));
        };
        let bytes = remote
            .get(&name)
            .map_err(|e| (name.clone(), e))?
            .ok_or_else(|| rejected(&name, "vanished while reading".to_string()))?;
        let (body, hash) =
            segment::open(&bytes, key).map_err(|e| rejected(&name, e.to_string()))?;
        if (body.from, body.to) != (at.0, to) {
            return Err(rejected(
                &name,
                format!(
                    "the segment holds {}-{} but is stored as {}-{to} (replayed or renamed)",
                    body.from, body.to, at.0
                ),
            ));
        }
        if body.prev != at.1 {
            if at.0 >= head.to {
                // Past HEAD, a segment that does not follow is the end of
                // the chain (a stale leftover), not a forgery to refuse.
                return Ok(());
            }
            return Err(rejected(
                &name,
                "the segment does not follow the one applied before it (replayed or reordered)"
                    .into(),
            ));
        }
        apply(body, &hash).map_err(|e| (name.clone(), e))?;
        at = (to, hash);
    }
    Ok(())
}
