//! Destruction (pemusnahan) as the regulation has it: a list of berkas whose
//! retention is over and whose schedule says destroy is proposed
//! (*Daftar Arsip Usul Musnah*), assessed by a team, approved (by the head
//! of the office, or by ANRI, in KPU practice with KPU RI, when a berkas was
//! kept ten years or more), and carried out before witnesses with a
//! *Berita Acara Pemusnahan* and a *Daftar Arsip Musnah*. Carrying it out
//! is the only way a record's content leaves the archive: its files,
//! pages, text and index entry go, and its catalogue entry stays as a
//! tombstone naming the list, with the audit trail.
//!
//! Archivists propose, assess and cancel; only the admin approves and
//! carries out. A list is read whole or not at all: every entry must be of
//! a class the reader reads.

pub mod documents;

use crate::access::{AccessLevel, Clearance};
use crate::archive::Archive;
use crate::catalogue::berkas::Berkas;
use crate::catalogue::disposal::{
    Disposal, DisposalKind, DisposalState, DisposalSummary, ListEntry, Step,
};
use crate::error::{Error, ErrorCode, Result};
use crate::ids::BerkasId;
use crate::print::formal::{Signed, Signer};
use crate::retention::plan::Due;

/// Most berkas on one list (the Bali list of 2026 had 2,447 entries).
pub const MAX_ENTRIES: usize = 10_000;
/// Longest text a person writes into a step.
const MAX_TEXT: usize = 2_000;

/// A step on a list, as a person asks it.
#[derive(Debug, Clone, serde::Deserialize, schemars::JsonSchema)]
#[serde(tag = "step", rename_all = "kebab-case", deny_unknown_fields)]
pub enum DisposalStep {
    /// The team's assessment (what it checked and found).
    Assess {
        assessment: String,
    },
    /// The approval's reference (letter or decision number and date).
    Approve {
        approval_ref: String,
    },
    /// The berita acara's number and at least two witnesses (for a
    /// transfer or handover, the first hands over and the second receives).
    CarryOut {
        ba_number: String,
        witnesses: Vec<String>,
        /// Who carries a destruction out, with NIP and position, as the
        /// berita acara names them (else the account that carried it out).
        #[serde(default)]
        executor: Option<Signer>,
        /// The head of the office who acknowledges the berita acara.
        #[serde(default)]
        head: Option<Signer>,
    },
    Cancel {
        reason: String,
    },
}

/// What a list of `kind` needs its berkas to be due for.
fn due_for(kind: DisposalKind) -> Due {
    match kind {
        DisposalKind::Musnah => Due::Assess,
        DisposalKind::Pindah => Due::Transfer,
        DisposalKind::Serah => Due::Handover,
    }
}

/// What a person wrote into a step, as the documents print it.
fn said(field: &str, v: &str) -> Result<String> {
    let v = crate::privacy::visible_text(v, true);
    let v = v.trim();
    if v.is_empty() || v.chars().count() > MAX_TEXT {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("{field}: 1 to {MAX_TEXT} characters"),
        ));
    }
    Ok(v.to_string())
}

/// The list entry of berkas `b` holding `(records, pages)`, as its
/// proposer sees it.
fn entry_of(b: &Berkas, (records, pages): (u32, u32), records_class: AccessLevel) -> ListEntry {
    let period = crate::print::formal::period(b.year_from, b.year_to);
    let place = b.in_box.as_ref().map(|x| x.place_path.clone());
    let folder = b.folder.as_ref().map(|f| format!("map {f}"));
    let location = [place, folder]
        .into_iter()
        .flatten()
        .filter(|v| !v.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let (jra, years) = match &b.jra {
        Some(r) => (
            format!(
                "{}: {} th aktif, {} th inaktif, {}",
                r.code, r.active_years, r.inactive_years, r.outcome
            ),
            r.active_years + r.inactive_years,
        ),
        None => (String::new(), 0),
    };
    ListEntry {
        berkas: b.id,
        number: b.number.clone(),
        classification: b.classification.clone(),
        title: b.title.clone(),
        period,
        development: String::from("Asli"),
        records,
        pages,
        media: String::from("Kertas dan digital"),
        condition: b
            .in_box
            .as_ref()
            .map_or("Baik", |x| x.condition.words())
            .to_string(),
        box_no: b.in_box.as_ref().map(|x| x.number.clone()),
        location,
        jra,
        retention_years: years,
        access: b.access.max(records_class),
    }
}

impl Archive {
    /// Every disposal list the reader may read whole, newest first (staff).
    pub fn disposals(&self, clearance: &Clearance) -> Result<Vec<DisposalSummary>> {
        clearance.require_staff()?;
        self.with_catalogue(|c| c.disposals(clearance))
    }

    /// One list (staff who read every entry's class; NotFound otherwise).
    pub fn disposal(&self, id: &str, clearance: &Clearance) -> Result<Disposal> {
        clearance.require_staff()?;
        self.with_catalogue(|c| c.disposal(id, clearance))?
            .ok_or_else(|| Error::new(ErrorCode::NotFound, id.to_string()))
    }

    /// Proposes the destruction of `berkas` (archivists and admins): each
    /// one the proposer reads with every record in it, its JRA row
    /// confirmed and saying destroy, its years over (due for assessment
    /// today where the office is), and on no other open list.
    pub fn propose_destruction(
        &self,
        berkas: &[BerkasId],
        note: &str,
        clearance: &Clearance,
    ) -> Result<Disposal> {
        self.propose(DisposalKind::Musnah, berkas, note, clearance)
    }

    /// Proposes moving `berkas` to the records centre as inactive
    /// (archivists and admins): each one the proposer reads with every
    /// record in it, its JRA row confirmed, its active years over (due for
    /// transfer today where the office is), on no other open list.
    pub fn propose_transfer(
        &self,
        berkas: &[BerkasId],
        note: &str,
        clearance: &Clearance,
    ) -> Result<Disposal> {
        self.propose(DisposalKind::Pindah, berkas, note, clearance)
    }

    /// A list of `kind` for `berkas`, each due for it today.
    pub fn propose(
        &self,
        kind: DisposalKind,
        berkas: &[BerkasId],
        note: &str,
        clearance: &Clearance,
    ) -> Result<Disposal> {
        clearance.require_catalogue()?;
        if berkas.is_empty() || berkas.len() > MAX_ENTRIES {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("berkas: 1 to {MAX_ENTRIES}"),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        let mut entries = Vec::with_capacity(berkas.len());
        let mut members = Vec::new();
        for id in berkas {
            if !seen.insert(*id) {
                continue;
            }
            let b = self.berkas(id, clearance)?;
            b.require_own()?;
            // Paper that is out comes back before it is listed.
            if b.on_loan.is_some() {
                return Err(Error::new(ErrorCode::OnLoan, b.number.clone()));
            }
            let due = b.schedule.as_ref().map(|s| s.due);
            let open = self.with_catalogue(|c| c.berkas_locked(id))?;
            if due != Some(due_for(kind)) || open {
                return Err(Error::new(ErrorCode::NotDue, b.number.clone()));
            }
            // Every record in it must be the proposer's to read (a list
            // names what it destroys) and this office's own.
            let held = self.with_catalogue(|c| c.berkas_members(id, kind))?;
            if held.iter().any(|(_, level, _)| !clearance.can_read(*level)) {
                return Err(Error::new(ErrorCode::NotFound, id.to_string()));
            }
            if held.iter().any(|(_, _, replica)| *replica) {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    format!("{}: records of another office", b.number),
                ));
            }
            let class = held
                .iter()
                .map(|(_, level, _)| *level)
                .max()
                .unwrap_or(AccessLevel::Terbuka);
            let records = held.len() as u32;
            members.extend(held.into_iter().map(|(record, _, _)| (record, *id)));
            let pages = self.with_catalogue(|c| c.berkas_pages(id, kind))?;
            entries.push(entry_of(&b, (records, pages), class));
        }
        let note = note.trim();
        if note.chars().count() > MAX_TEXT {
            return Err(Error::new(ErrorCode::InvalidInput, "note: too long"));
        }
        let list = uuid::Uuid::now_v7().to_string();
        self.with_catalogue(|c| {
            c.add_disposal(&list, kind, &entries, &members, note, clearance.actor())
        })?;
        self.disposal(&list, clearance)
    }

    /// Takes one step on list `id`: assessing and cancelling are the
    /// archivists' and admins' (an approved list is cancelled only by an
    /// admin), approving and carrying out the admin's. A destruction
    /// destroys exactly the records the list froze, and is refused when
    /// its berkas hold others now, when one is no longer due, and on an
    /// archive whose content may be elsewhere (see
    /// `catalogue::disposal::copies_out_of_reach`).
    pub fn disposal_step(
        &self,
        id: &str,
        step: &DisposalStep,
        clearance: &Clearance,
    ) -> Result<Disposal> {
        match step {
            DisposalStep::Assess { .. } | DisposalStep::Cancel { .. } => {
                clearance.require_catalogue()?
            }
            DisposalStep::Approve { .. } | DisposalStep::CarryOut { .. } => {
                clearance.require_admin()?
            }
        }
        // The list must be the caller's to read whole.
        let list = self.disposal(id, clearance)?;
        if matches!(step, DisposalStep::Cancel { .. }) && list.state == DisposalState::Approved {
            clearance.require_admin()?;
        }
        let actor = clearance.actor();
        let purge = match step {
            DisposalStep::Assess { assessment } => {
                let text = said("assessment", assessment)?;
                self.with_catalogue(|c| c.disposal_step(id, &Step::Assess(&text), actor))?
            }
            DisposalStep::Approve { approval_ref } => {
                let text = said("approval_ref", approval_ref)?;
                self.with_catalogue(|c| c.disposal_step(id, &Step::Approve(&text), actor))?
            }
            DisposalStep::Cancel { reason } => {
                let text = said("reason", reason)?;
                self.with_catalogue(|c| c.disposal_step(id, &Step::Cancel(&text), actor))?
            }
            DisposalStep::CarryOut {
                ba_number,
                witnesses,
                executor,
                head,
            } => {
                let ba = said("ba_number", ba_number)?;
                let names = witnesses
                    .iter()
                    .map(|w| said("witnesses", w).map(|w| w.replace('\n', " ")))
                    .collect::<Result<Vec<_>>>()?;
                if names.len() < 2 {
                    return Err(Error::new(
                        ErrorCode::InvalidInput,
                        "witnesses: at least two",
                    ));
                }
                // Each berkas still due for what the list does today (its
                // years, its row or the schedule may have changed).
                if list.state == DisposalState::Approved {
                    for e in &list.entries {
                        let due = self.berkas(&e.berkas, clearance)?.schedule.map(|s| s.due);
                        if due != Some(due_for(list.kind)) {
                            return Err(Error::new(ErrorCode::ListChanged, e.number.clone()));
                        }
                    }
                }
                if executor.is_some() && list.kind != DisposalKind::Musnah {
                    // A transfer's or handover's parties are its first two witnesses.
                    return Err(Error::new(
                        ErrorCode::InvalidInput,
                        "executor: only for a destruction",
                    ));
                }
                let as_json = |field: &str, s: &Option<Signer>| -> Result<Option<String>> {
                    s.as_ref()
                        .map(|s| {
                            let checked = Signed::check(field, s)?;
                            serde_json::to_string(checked.signer())
                                .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))
                        })
                        .transpose()
                };
                let step = Step::CarryOut(
                    &ba,
                    &names.join("\n"),
                    as_json("executor", executor)?,
                    as_json("head", head)?,
                );
                self.with_catalogue(|c| {
                    c.scrub(true)?;
                    let done = c.disposal_step(id, &step, actor);
                    let _ = c.scrub(false);
                    done
                })?
            }
        };
        if !purge.is_empty() || matches!(step, DisposalStep::CarryOut { .. }) {
            // Done and committed: what is left waits for the next try (the
            // next open, the next catch-up, the next push) rather than
            // making a step that was taken look failed.
            let _ = self.purge_blobs();
            let _ = self.redact_sealed();
            let _ = self.catch_up_index();
        }
        self.disposal(id, clearance)
    }

    /// Removes the blobs destructions left waiting (after a power cut, at
    /// the next open), each only if nothing uses it now; the view store
    /// forgets their pages.
    pub(crate) fn purge_blobs(&self) -> Result<usize> {
        let waiting = self.with_catalogue(|c| c.pending_purges())?;
        // First, so a removal that fails half way leaves no view behind (a
        // blob still used meanwhile only has its view drawn again).
        self.forget_views(&waiting);
        for sha in &waiting {
            let path = self.blobs().path_of(sha);
            let remove = || match std::fs::remove_file(&path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(crate::error::io_at(&path)(e)),
            };
            self.with_catalogue(|c| c.purge(sha, remove))?;
        }
        self.forget_views(&waiting);
        Ok(waiting.len())
    }
}

impl Archive {
    /// A document of list `id` (`list.pdf`, `list.csv`, `list.xlsx`, `ba.pdf`) for a
    /// reader of the whole list (staff); a copy out of the archive, audited.
    pub fn disposal_document(
        &self,
        id: &str,
        document: documents::Document,
        clearance: &Clearance,
    ) -> Result<Vec<u8>> {
        use documents::Document;
        let d = self.disposal(id, clearance)?;
        // Dated the day of its step, where the office is: a list the day it
        // was proposed, a destruction's documents the day it was carried
        // out (the same however late they are downloaded).
        let office = self.formal_office(d.done_at.as_deref().unwrap_or(&d.proposed_at))?;
        let bytes = match document {
            Document::ListPdf => documents::list_pdf(&d, &office)?,
            Document::ListCsv => documents::list_csv(&d).into_bytes(),
            Document::ListXlsx => documents::list_xlsx(&d)?,
            Document::BeritaAcaraPdf => {
                // An office that sends to its province says where else the
                // content goes from (`redact_sealed`, the province's pull).
                let synced = !self.with_catalogue(|c| c.segments())?.is_empty();
                documents::berita_acara_pdf(&d, &office, synced)?
            }
        };
        self.audit_always(clearance, "disposal.export", id, document.name())?;
        Ok(bytes)
    }
}
