//! Sending blobs: which the target already has, and the rest on a few
//! threads at once (a loopback S3 server on 2 cores took 1.6 times as long
//! with one stream as with two; see the push bench). Large files go in parts
//! whose receipts are kept in the catalogue after each part, so a restart
//! sends only the parts not yet acknowledged: a push cut off re-sends at most
//! one part per transfer.

use super::blob_name;
use super::push::{failpoint, Progress, PushEvent, PushOptions, PART_SIZE};
use super::store::{Multipart, Store};
use crate::archive::Archive;
use crate::error::{Error, ErrorCode, Result};
use crate::ids::ContentHash;
use std::collections::{HashMap, VecDeque};
use std::io::{Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What the sending threads share.
struct Sending<'a> {
    remote: &'a dyn Store,
    progress: &'a Progress<'a>,
    pace: Mutex<Pace>,
    /// Bytes of parts the store had acknowledged, then forgot with their upload.
    lost: AtomicU64,
}

/// The bytes of the first `parts` parts of a file of `size` bytes.
pub(crate) fn acknowledged(size: u64, parts: usize) -> u64 {
    (parts as u64 * PART_SIZE).min(size)
}

impl Sending<'_> {
    fn sent(&self, n: u64) {
        self.pace
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .sent(n);
        (self.progress)(PushEvent::Sent(n));
    }
}

impl Archive {
    /// Sizes of the needed blobs the target already holds: asked one by one
    /// for a few, listed for many (a first push of a whole archive).
    pub(super) fn present_blobs(
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

    /// Sends the blobs on `opts.transfers` threads; returns the bytes sent
    /// and the bytes of parts lost with uploads the store forgot.
    /// The first failure stops the others after their current file.
    pub(super) fn send_blobs(
        &self,
        remote: &dyn Store,
        blobs: &[(String, u64)],
        opts: &PushOptions,
        progress: &Progress<'_>,
    ) -> Result<(u64, u64)> {
        let queue = Mutex::new(blobs.iter().collect::<VecDeque<_>>());
        let sending = Sending {
            remote,
            progress,
            pace: Mutex::new(Pace::new(opts.bytes_per_second)),
            lost: AtomicU64::new(0),
        };
        let outcome: Mutex<Result<u64>> = Mutex::new(Ok(0));
        let next = || {
            let failed = outcome.lock().map(|o| o.is_err()).unwrap_or(true);
            if failed {
                return None;
            }
            queue.lock().ok()?.pop_front()
        };
        std::thread::scope(|scope| {
            for _ in 0..opts.transfers.max(1) {
                scope.spawn(|| {
                    while let Some((sha, size)) = next() {
                        let result = self.send_blob(&sending, sha, *size);
                        let Ok(mut total) = outcome.lock() else {
                            return;
                        };
                        match (result, total.as_mut()) {
                            (Ok(n), Ok(t)) => *t += n,
                            (Err(e), Ok(_)) => *total = Err(e),
                            (_, Err(_)) => {}
                        }
                        drop(total);
                        progress(PushEvent::BlobDone);
                        failpoint("after-blob");
                    }
                });
            }
        });
        let sent = outcome.into_inner().unwrap_or_else(|_| {
            Err(Error::new(ErrorCode::Internal, "a sending thread panicked"))
        })?;
        Ok((sent, sending.lost.into_inner()))
    }

    /// Sends one blob, then checks the target holds it whole; returns the
    /// bytes this call sent.
    fn send_blob(&self, s: &Sending, sha: &str, size: u64) -> Result<u64> {
        let hash = ContentHash::parse(sha)?;
        let path = self.blobs().path_of(&hash);
        let name = blob_name(sha);
        let sent = if size <= PART_SIZE {
            let bytes = std::fs::read(&path).map_err(crate::error::io_at(&path))?;
            s.remote.put(&name, bytes)?;
            s.sent(size);
            size
        } else if let Some(parts) = s.remote.multipart() {
            match self.send_in_parts(s, parts, sha, &path, size) {
                // The store forgot an upload begun before a restart (expired
                // while the office was offline, or cut off while completing):
                // begin it again, once.
                Err(e) if matches!(e.code, ErrorCode::NotFound | ErrorCode::AccessDenied) => {
                    let url = s.remote.url();
                    let done = self.with_catalogue(|c| c.upload_state(url, sha))?;
                    let lost = done.map(|(_, p)| acknowledged(size, p.len())).unwrap_or(0);
                    s.lost.fetch_add(lost, Ordering::Relaxed);
                    self.with_catalogue(|c| c.clear_uploads(url, &[sha]))?;
                    self.send_in_parts(s, parts, sha, &path, size)?
                }
                other => other?,
            }
        } else {
            s.remote.put_file(&name, &path, &mut |n| s.sent(n))?;
            size
        };
        match s.remote.size(&name)? {
            Some(got) if got == size => Ok(sent),
            other => Err(Error::new(
                ErrorCode::TargetUnreachable,
                format!(
                    "{}: {name} holds {other:?} bytes, not {size}",
                    s.remote.url()
                ),
            )),
        }
    }

    /// A multipart upload whose id and part receipts are kept in the catalogue
    /// after every part.
    fn send_in_parts(
        &self,
        s: &Sending,
        remote: &dyn Multipart,
        sha: &str,
        path: &std::path::Path,
        size: u64,
    ) -> Result<u64> {
        let url = s.remote.url();
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
            parts.push(remote.put_part(&name, &upload, index, buf)?);
            self.with_catalogue(|c| c.save_upload(url, sha, &upload, &parts))?;
            sent += len;
            s.sent(len);
            failpoint("after-part");
        }
        remote.complete(&name, &upload, parts)?;
        failpoint("after-complete");
        self.with_catalogue(|c| c.clear_uploads(url, &[sha]))?;
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
