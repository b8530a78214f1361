//! Handover of static records to the regional archive office (arsip statis):
//! a BagIt bag of originals, text and metadata (`bag.rs`), and AtoM's archival
//! description CSV (`atom.rs`), the import format of the national archive
//! network's AtoM. Both take what the caller may read, optionally one series,
//! and are audited.

mod atom;
mod bag;
mod package;

pub use atom::ATOM_COLUMNS;
pub use bag::BagReport;

use crate::access::Clearance;
use crate::archive::Archive;
use crate::catalogue::vocab::Vocabularies;
use crate::error::{Error, ErrorCode, Result};
use crate::model::{Record, StoredFile};
use crate::redact::Redact;
use std::collections::hash_map::Entry;
use std::collections::HashMap;

/// One record as a handover carries it.
pub(crate) struct Item {
    pub record: Record,
    pub files: Vec<StoredFile>,
    pub pages: Vec<String>,
    /// The berkas it is filed in, when the caller reads it.
    pub berkas: Option<std::rc::Rc<crate::catalogue::berkas::Berkas>>,
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

/// What a handover copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    /// The live records of one series, or of all.
    Series(Option<&'a str>),
    /// The records a handover list (penyerahan) froze, once it is approved.
    List(&'a str),
}

impl Scope<'_> {
    /// The series it names, if any (for the bag's description).
    fn series(&self) -> Option<&str> {
        match self {
            Scope::Series(s) => *s,
            Scope::List(_) => None,
        }
    }

    /// As the audit trail says it: `series=Some("…")` or `list=…`.
    fn described(&self) -> String {
        match self {
            Scope::Series(s) => format!("series={s:?}"),
            Scope::List(id) => format!("list={id}"),
        }
    }
}

impl Archive {
    /// The records of `scope` the clearance may read, oldest first. A
    /// handover copies records out of the archive: the admin's. A list's
    /// bag is made from a handover list approved or carried out, exactly
    /// the records it froze.
    pub(crate) fn handover_items(
        &self,
        scope: Scope,
        clearance: &Clearance,
    ) -> Result<(Vec<Item>, Labels)> {
        clearance.require_admin()?;
        if let Scope::List(id) = scope {
            self.handover_list(id, clearance)?;
        }
        self.with_catalogue(|c| {
            let ids = match scope {
                Scope::Series(series) => c.handover_ids(series, clearance)?,
                Scope::List(id) => c.disposal_records(id)?,
            };
            let mut items = Vec::with_capacity(ids.len());
            // Each berkas read once, however many records it holds.
            let mut folders: HashMap<_, Option<std::rc::Rc<crate::catalogue::berkas::Berkas>>> =
                HashMap::new();
            let (berkas_visible, records_visible) =
                (clearance.classes_sql("b"), clearance.visible_sql());
            for id in ids {
                let Some(record) = c.record(&id)? else {
                    continue;
                };
                let berkas = match c.berkas_of(&id.to_string(), &berkas_visible)? {
                    Some(b) => match folders.entry(b.id) {
                        Entry::Occupied(known) => known.get().clone(),
                        Entry::Vacant(slot) => slot
                            .insert(
                                c.berkas(&b.id, &berkas_visible, &records_visible)?
                                    .map(std::rc::Rc::new),
                            )
                            .clone(),
                    },
                    None => None,
                };
                items.push(Item {
                    files: c.files(&id)?.redact(clearance),
                    pages: c.page_texts(&id)?.redact(clearance),
                    record: record.redact(clearance),
                    berkas,
                });
            }
            Ok((items, Labels::new(&c.vocabularies()?)))
        })
    }
}

impl Archive {
    /// Handover list `id`, when it is one and is approved or carried out.
    pub(crate) fn handover_list(
        &self,
        id: &str,
        clearance: &Clearance,
    ) -> Result<crate::catalogue::disposal::Disposal> {
        use crate::catalogue::disposal::{DisposalKind, DisposalState};
        let list = self.disposal(id, clearance)?;
        if list.kind != DisposalKind::Serah {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("{id}: not a handover list"),
            ));
        }
        if !matches!(list.state, DisposalState::Approved | DisposalState::Done) {
            return Err(Error::new(
                ErrorCode::WrongStep,
                format!("{id}: {}", list.state.code()),
            ));
        }
        Ok(list)
    }
}
