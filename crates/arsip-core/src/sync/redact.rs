//! `Archive::redact_sealed`: after a destruction, the segments this office
//! sealed before it are re-sealed without the destroyed content (see
//! `catalogue/redact.rs`), keeping their place in the chain. The next push
//! sends them again (their size changed) over the copies at each target,
//! and the new segment carries the tombstones, which a province applies by
//! destroying its copy.

use super::keys::OfficeKey;
use super::segment::{self, SegmentBody};
use crate::access::Clearance;
use crate::archive::Archive;
use crate::catalogue::{Redactions, Resealed};
use crate::error::Result;
use std::collections::HashSet;

impl Archive {
    /// Re-seals every sealed segment that still holds what a destruction
    /// removed; returns how many. Run after each destruction, at every
    /// open and before every push, so a power cut only delays it.
    pub(crate) fn redact_sealed(&self) -> Result<usize> {
        let todo = self.with_catalogue(|c| c.redactions())?;
        if todo.records.is_empty() && todo.blobs.is_empty() {
            return Ok(0);
        }
        let key = OfficeKey::load_or_create(self.root())?;
        let public = key.public();
        let mut resealed = Vec::new();
        for from in self.with_catalogue(|c| c.segments_to_redact())? {
            let reseal = |bytes: &[u8], now: &Redactions| -> Result<Option<Resealed>> {
                let (mut body, chain) = segment::open(bytes, &public)?;
                if !redact(&mut body, now) {
                    return Ok(None);
                }
                body.replaces = Some(chain);
                body.format = body.format_needed();
                let sealed = segment::seal(&body, &key)?;
                Ok(Some((sealed.bytes, body.blobs())))
            };
            // The old bytes do not stay in free pages or the WAL.
            let changed = self.with_catalogue(|c| {
                c.scrub(true)?;
                let changed = c.reseal_segment(from, reseal);
                let _ = c.scrub(false);
                changed
            })?;
            if changed {
                resealed.push(from.to_string());
            }
        }
        self.with_catalogue(|c| c.clear_redactions(&todo))?;
        if !resealed.is_empty() {
            self.audit_always(
                &Clearance::operator("system"),
                "sync.redact",
                "",
                &format!("segments from {}", resealed.join(", ")),
            )?;
        }
        Ok(resealed.len())
    }
}

/// Takes out of `body` the states of destroyed records and, from other
/// records' states, the files and pages that show a removed blob. Returns
/// whether anything changed.
fn redact(body: &mut SegmentBody, todo: &Redactions) -> bool {
    let blobs: HashSet<&str> = todo.blobs.iter().map(String::as_str).collect();
    let shows = |sha: Option<&str>| sha.is_some_and(|s| blobs.contains(s));
    let mut changed = false;
    for entry in &mut body.entries {
        if let Some((_, destroyed)) = todo.records.iter().find(|(id, _)| *id == entry.id) {
            if entry.state.is_some() {
                entry.redact(destroyed.clone());
                changed = true;
            }
            continue;
        }
        let Some(state) = entry.state.as_mut() else {
            continue;
        };
        let before = (state.files.len(), state.pages.len());
        state.files.retain(|f| !shows(Some(&f.sha256)));
        state
            .pages
            .retain(|p| !shows(Some(&p.file)) && !shows(p.thumbnail.as_deref()));
        changed |= before != (state.files.len(), state.pages.len());
    }
    changed
}
