//! `Archive::sync_push`: seal new changes into segments, then send the target
//! what it lacks: blobs, segments, HEAD, in that order.

use super::keys::OfficeKey;
use super::plan::{blobs_to_send, plan_log, RemoteLog};
use super::segment::{self, Head, SegmentBody, FORMAT};
use super::store::{put_verified, Multipart, Store};
use super::{blob_name, head_name, office_dir, parse_segment_name, segment_name, SEGMENT_RECORDS};
use crate::access::Clearance;
use crate::archive::Archive;
use crate::error::{Error, ErrorCode, Result};
use crate::ids::ContentHash;
use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::time::{Duration, Instant};

/// Parts of a multipart upload; S3 needs at least 5 MiB (except the last).
/// A push cut off mid-file sends at most one part again.
pub const PART_SIZE: u64 = 8 * 1024 * 1024;

#[derive(Debug, Clone, Default)]
pub struct PushOptions {
    /// Most bytes per second to send (None: as fast as the link goes).
    pub bytes_per_second: Option<u64>,
}

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

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PushReport {
    pub target: String,
    pub blobs_sent: usize,
    /// Blob bytes sent by this run (a resumed file counts only its new parts).
    pub bytes_sent: u64,
    pub segments_sent: usize,
    /// The last change sequence the target now holds.
    pub head: i64,
}

/// Where the pusher stops on purpose, for tests that cut a push at a named point.
/// Set `ARSIP_FAILPOINT=name` and the push exits the process there, as a kill would.
fn failpoint(name: &str) {
    if std::env::var("ARSIP_FAILPOINT").is_ok_and(|v| v == name) {
        std::process::exit(86);
    }
}

impl Archive {
    /// Sends this office's new and changed records and their files to `store`.
    pub fn sync_push(
        &self,
        store: &dyn Store,
        opts: &PushOptions,
        progress: &dyn Fn(PushEvent),
        clearance: &Clearance,
    ) -> Result<PushReport> {
        clearance.require_catalogue()?;
        let url = store.url();
        let key = OfficeKey::load_or_create(self.root())?;
        self.seal_pending(&key)?;
        let outcome = self.push_to(store, &key, opts, progress);
        let note = match &outcome {
            Ok(r) => (Some(r.head), None),
            Err(e) => (None, Some(e.to_string())),
        };
        self.with_catalogue(|c| c.note_push(url, note.0, note.1.as_deref()))?;
        outcome
    }

    /// Seals every change not yet in a segment.
    pub(crate) fn seal_pending(&self, key: &OfficeKey) -> Result<()> {
        loop {
            let last = self.with_catalogue(|c| c.segments())?.pop();
            let (from, prev) = last.map(|s| (s.to, s.hash)).unwrap_or_default();
            let Some((to, entries)) =
                self.with_catalogue(|c| c.segment_draft(from, SEGMENT_RECORDS))?
            else {
                return Ok(());
            };
            let body = SegmentBody {
                format: FORMAT,
                office: key.public().to_hex(),
                from,
                to,
                prev,
                entries,
            };
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
            self.with_catalogue(|c| c.store_segment(&sealed, &blobs))?;
        }
    }

    fn push_to(
        &self,
        remote: &dyn Store,
        key: &OfficeKey,
        opts: &PushOptions,
        progress: &dyn Fn(PushEvent),
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
        let plan = plan_log(&local, &remote_log)?;
        let mut needed = Vec::new();
        for from in &plan.segments {
            needed.extend(self.with_catalogue(|c| c.segment_blobs(*from))?);
        }
        let present = self.present_blobs(remote, &needed)?;
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
        let mut pace = Pace::new(opts.bytes_per_second);
        for (sha, size) in &blobs {
            report.bytes_sent += self.send_blob(remote, sha, *size, &mut pace, progress)?;
            report.blobs_sent += 1;
            progress(PushEvent::BlobDone);
            failpoint("after-blob");
        }
        for from in &plan.segments {
            let info = local
                .iter()
                .find(|(s, _)| s.from == *from)
                .map(|(s, _)| s.clone())
                .ok_or_else(|| Error::new(ErrorCode::Internal, format!("segment {from}")))?;
            let bytes = self.with_catalogue(|c| c.segment_bytes(*from))?;
            put_verified(remote, &segment_name(&public, info.from, info.to), &bytes)?;
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
        Ok(report)
    }

    /// Sizes of the needed blobs the target already holds: asked one by one
    /// for a few, listed for many (a first push of a whole archive).
    fn present_blobs(
        &self,
        remote: &dyn Store,
        needed: &[(String, u64)],
    ) -> Result<HashMap<String, u64>> {
        if needed.len() <= 200 {
            let mut out = HashMap::new();
            for (sha, _) in needed {
                if let Some(size) = remote.size(&blob_name(sha))? {
                    out.insert(sha.clone(), size);
                }
            }
            return Ok(out);
        }
        Ok(remote
            .list("blobs/")?
            .into_iter()
            .filter_map(|l| {
                let sha = l.name.rsplit('/').next()?.to_string();
                Some((sha, l.size))
            })
            .collect())
    }

    /// Sends one blob; returns the bytes sent by this call.
    fn send_blob(
        &self,
        remote: &dyn Store,
        sha: &str,
        size: u64,
        pace: &mut Pace,
        progress: &dyn Fn(PushEvent),
    ) -> Result<u64> {
        let hash = ContentHash::parse(sha)?;
        let path = self.blobs().path_of(&hash);
        let name = blob_name(sha);
        let sent = if size <= PART_SIZE {
            let bytes = std::fs::read(&path).map_err(crate::error::io_at(&path))?;
            remote.put(&name, bytes)?;
            pace.sent(size);
            progress(PushEvent::Sent(size));
            size
        } else if let Some(parts) = remote.multipart() {
            self.send_in_parts(remote.url(), parts, sha, &path, size, pace, progress)?
        } else {
            remote.put_file(&name, &path, &mut |n| {
                pace.sent(n);
                progress(PushEvent::Sent(n));
            })?;
            size
        };
        match remote.size(&name)? {
            Some(s) if s == size => Ok(sent),
            other => Err(Error::new(
                ErrorCode::TargetUnreachable,
                format!("{}: {name} holds {other:?} bytes, not {size}", remote.url()),
            )),
        }
    }

    /// A multipart upload whose id and part receipts are kept in the catalogue
    /// after every part, so a restart sends only the parts not yet acknowledged.
    #[allow(clippy::too_many_arguments)] // one call site; a struct would only rename them
    fn send_in_parts(
        &self,
        url: &str,
        remote: &dyn Multipart,
        sha: &str,
        path: &std::path::Path,
        size: u64,
        pace: &mut Pace,
        progress: &dyn Fn(PushEvent),
    ) -> Result<u64> {
        let name = blob_name(sha);
        let (upload, mut parts) = match self.with_catalogue(|c| c.upload_state(url, sha))? {
            Some(state) => state,
            None => {
                let id = remote.create(&name)?;
                self.with_catalogue(|c| c.save_upload(url, sha, &id, &[]))?;
                (id, Vec::new())
            }
        };
        let count = size.div_ceil(PART_SIZE) as usize;
        let mut file = std::fs::File::open(path).map_err(crate::error::io_at(path))?;
        let mut sent = 0;
        while parts.len() < count {
            let index = parts.len();
            let start = index as u64 * PART_SIZE;
            let len = PART_SIZE.min(size - start);
            let mut buf = vec![0u8; len as usize];
            file.seek(SeekFrom::Start(start))?;
            file.read_exact(&mut buf)
                .map_err(crate::error::io_at(path))?;
            let receipt = match remote.put_part(&name, &upload, index, buf) {
                Err(e) if e.code == ErrorCode::NotFound => {
                    // The store forgot the upload (aborted, or expired while the
                    // office was offline for weeks): the next push begins anew.
                    self.with_catalogue(|c| c.clear_upload(url, sha))?;
                    return Err(e);
                }
                other => other?,
            };
            parts.push(receipt);
            self.with_catalogue(|c| c.save_upload(url, sha, &upload, &parts))?;
            sent += len;
            pace.sent(len);
            progress(PushEvent::Sent(len));
            failpoint("after-part");
        }
        remote.complete(&name, &upload, parts)?;
        self.with_catalogue(|c| c.clear_upload(url, sha))?;
        Ok(sent)
    }
}

/// Keeps the average rate at or under a limit by sleeping between writes.
struct Pace {
    limit: Option<u64>,
    start: Instant,
    bytes: u64,
}

impl Pace {
    fn new(limit: Option<u64>) -> Pace {
        Pace {
            limit: limit.filter(|l| *l > 0),
            start: Instant::now(),
            bytes: 0,
        }
    }

    fn sent(&mut self, n: u64) {
        self.bytes += n;
        if let Some(limit) = self.limit {
            let due = Duration::from_secs_f64(self.bytes as f64 / limit as f64);
            if let Some(wait) = due.checked_sub(self.start.elapsed()) {
                std::thread::sleep(wait);
            }
        }
    }
}
