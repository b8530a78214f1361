//! The review queue (see `catalogue::review`): new records with what was
//! read from their text, accepted one by one or in a batch by archivists
//! and admins, each only as far as their clearance reaches.

use crate::access::Clearance;
use crate::archive::Archive;
use crate::catalogue::review::{accepting, ReviewItem};
use crate::error::Result;
use crate::ids::RecordId;
use crate::redact::Redact;

/// Records shown at once; the rest wait their turn.
const SHOWN: usize = 200;

/// The review queue as one reader sees it.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct ReviewQueue {
    /// Records waiting that the reader may read.
    pub total: u64,
    /// The newest of them.
    pub items: Vec<ReviewItem>,
}

impl Archive {
    pub fn review_queue(&self, clearance: &Clearance) -> Result<ReviewQueue> {
        clearance.require_catalogue()?;
        let visible = clearance.visible_sql();
        let (total, items) = self.with_catalogue(|c| {
            Ok((c.review_count(&visible)?, c.review_queue(&visible, SHOWN)?))
        })?;
        Ok(ReviewQueue {
            total,
            items: items.into_iter().map(|i| i.redact(clearance)).collect(),
        })
    }

    /// Marks records reviewed, with their suggestions for empty fields
    /// accepted when `accept`; all or none. Returns how many left the queue.
    pub fn review(&self, ids: &[RecordId], accept: bool, clearance: &Clearance) -> Result<usize> {
        clearance.require_catalogue()?;
        let visible = clearance.visible_sql();
        let n = self.with_catalogue(|c| {
            let mut items = Vec::with_capacity(ids.len());
            for id in ids {
                let edit = if accept {
                    c.review_queue_of(id, &visible)?
                        .map(|item| accepting(&item))
                        .unwrap_or_default()
                } else {
                    Default::default()
                };
                items.push((*id, edit));
            }
            c.review_records(&items, clearance)
        })?;
        self.catch_up_index()?;
        Ok(n)
    }
}

impl Redact for ReviewItem {
    fn masked(mut self) -> ReviewItem {
        crate::redact::mask_in_place(&mut self.title);
        for (_, value) in &mut self.suggestions {
            crate::redact::mask_in_place(value);
        }
        self
    }
}
