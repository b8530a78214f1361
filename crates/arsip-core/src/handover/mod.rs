//! Handover of static records to the regional archive office (arsip statis):
//! a BagIt bag of originals, text and metadata (`bag.rs`), and AtoM's archival
//! description CSV (`atom.rs`), the import format of the national archive
//! network's AtoM. Both take what the caller may read, optionally one series,
//! and are audited.

mod atom;
mod bag;

pub use atom::ATOM_COLUMNS;
pub use bag::BagReport;

use crate::access::Clearance;
use crate::archive::Archive;
use crate::catalogue::vocab::Vocabularies;
use crate::error::Result;
use crate::model::{Record, StoredFile};
use crate::redact::Redact;
use std::collections::HashMap;

/// One record as a handover carries it.
pub(crate) struct Item {
    pub record: Record,
    pub files: Vec<StoredFile>,
    pub pages: Vec<String>,
}

/// Names for codes, in Indonesian (the receiving archive's language).
pub(crate) struct Labels {
    names: HashMap<(&'static str, String), String>,
}

impl Labels {
    pub(crate) fn new(v: &Vocabularies) -> Labels {
        let mut names = HashMap::new();
        for (kind, terms) in [
            ("doc_type", &v.doc_type),
            ("election", &v.election),
            ("access", &v.access),
            ("retention", &v.retention),
            ("region", &v.region),
            ("classification", &v.classification),
        ] {
            for t in terms {
                names.insert((kind, t.code.clone()), t.name_id.clone());
            }
        }
        Labels { names }
    }

    /// The name of a code, or the code itself when the vocabulary lacks it.
    pub fn name(&self, kind: &'static str, code: &Option<String>) -> String {
        match code {
            Some(c) => self
                .names
                .get(&(kind, c.clone()))
                .cloned()
                .unwrap_or_else(|| c.clone()),
            None => String::new(),
        }
    }
}

impl Archive {
    /// The live records the clearance may read, of one series or all, oldest
    /// first. A handover copies records out of the archive: the admin's.
    pub(crate) fn handover_items(
        &self,
        series: Option<&str>,
        clearance: &Clearance,
    ) -> Result<(Vec<Item>, Labels)> {
        clearance.require_admin()?;
        self.with_catalogue(|c| {
            let ids = c.handover_ids(series, clearance)?;
            let mut items = Vec::with_capacity(ids.len());
            for id in ids {
                let Some(record) = c.record(&id)? else {
                    continue;
                };
                items.push(Item {
                    files: c.files(&id)?.redact(clearance),
                    pages: c.page_texts(&id)?.redact(clearance),
                    record: record.redact(clearance),
                });
            }
            Ok((items, Labels::new(&c.vocabularies()?)))
        })
    }
}
