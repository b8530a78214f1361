//! Disposal (penyusutan) lists as the catalogue keeps them: a list of berkas
//! with each entry as it was proposed, the state it has reached, who moved
//! it there and when, and, once a destruction is carried out, the content
//! it removed: records keep their catalogue entry as a tombstone naming the
//! list, and the blobs to remove wait in `blob_purge` until they are gone
//! from the disk (a power cut between the commit and the removal leaves
//! them listed, and the next open removes them).

use crate::access::{AccessLevel, Clearance};
use crate::error::{Error, ErrorCode, Result};
use crate::ids::{BerkasId, ContentHash};
use crate::print::formal::Signer;
use rusqlite::{OptionalExtension, Row, Transaction};

pub const SCHEMA: &str = r#"
CREATE TABLE disposal (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('musnah', 'pindah', 'serah')),
    state TEXT NOT NULL
        CHECK (state IN ('proposed', 'assessed', 'approved', 'done', 'cancelled')),
    note TEXT NOT NULL DEFAULT '',
    proposed_by TEXT NOT NULL,
    proposed_at TEXT NOT NULL,
    assessed_by TEXT,
    assessed_at TEXT,
    assessment TEXT,
    approved_by TEXT,
    approved_at TEXT,
    approval_ref TEXT,
    done_by TEXT,
    done_at TEXT,
    ba_number TEXT,
    witnesses TEXT,
    cancelled_by TEXT,
    cancelled_at TEXT,
    cancel_reason TEXT,
    -- The highest class among its entries when proposed: the audit trail
    -- names the list only to readers of it.
    access TEXT NOT NULL DEFAULT 'sangat-rahasia'
);
CREATE TABLE disposal_item (
    disposal_id TEXT NOT NULL REFERENCES disposal(id),
    position INTEGER NOT NULL,
    berkas_id TEXT NOT NULL REFERENCES berkas(id),
    -- The list entry as proposed (JSON): what every list and berita acara
    -- of this disposal prints, kept after the content is gone.
    entry TEXT NOT NULL,
    PRIMARY KEY (disposal_id, position)
);
CREATE INDEX disposal_item_berkas ON disposal_item(berkas_id);
-- The records each berkas held when the list was proposed: a destruction
-- destroys exactly these, and is refused when the berkas holds others.
CREATE TABLE disposal_record (
    disposal_id TEXT NOT NULL REFERENCES disposal(id),
    record_id TEXT NOT NULL REFERENCES record(id),
    berkas_id TEXT NOT NULL REFERENCES berkas(id),
    PRIMARY KEY (disposal_id, record_id)
);
ALTER TABLE record ADD COLUMN destroyed_in TEXT REFERENCES disposal(id);
CREATE TABLE blob_purge (
    sha256 TEXT PRIMARY KEY,
    disposal_id TEXT NOT NULL REFERENCES disposal(id)
);
"#;

/// What a disposal list does with its berkas.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum DisposalKind {
    /// Destruction (pemusnahan).
    #[default]
    Musnah,
    /// Transfer of inactive records to the records centre (pemindahan).
    Pindah,
    /// Handover of static records to the regional archive office
    /// (penyerahan arsip statis).
    Serah,
}

impl DisposalKind {
    pub fn code(self) -> &'static str {
        match self {
            DisposalKind::Musnah => "musnah",
            DisposalKind::Pindah => "pindah",
            DisposalKind::Serah => "serah",
        }
    }

    /// The audit trail's action for `step` on a list of this kind (`None`:
    /// its proposal): `disposal.*` for a destruction, `transfer.*` and
    /// `handover.*` (whose assessment is a verification) for the others,
    /// so the trail never calls a handover a destruction.
    fn action(self, step: Option<&Step>) -> &'static str {
        use DisposalKind::{Musnah, Pindah, Serah};
        match (self, step) {
            (_, Some(Step::Cancel(_))) => "disposal.cancel",
            (Musnah, None) => "disposal.propose",
            // A transfer is never assessed (`disposal_step` refuses it).
            (Musnah | Pindah, Some(Step::Assess(_))) => "disposal.assess",
            (Musnah, Some(Step::Approve(_))) => "disposal.approve",
            (Musnah, Some(Step::CarryOut(..))) => "disposal.done",
            (Pindah, None) => "transfer.propose",
            (Pindah, Some(Step::Approve(_))) => "transfer.approve",
            (Pindah, Some(Step::CarryOut(..))) => "transfer.done",
            (Serah, None) => "handover.propose",
            (Serah, Some(Step::Assess(_))) => "handover.verify",
            (Serah, Some(Step::Approve(_))) => "handover.approve",
            (Serah, Some(Step::CarryOut(..))) => "handover.done",
        }
    }

    /// Whether its list takes the records of its berkas that are in the
    /// trash too: a destruction does (nothing else empties the trash).
    fn takes_trash(self) -> bool {
        self == DisposalKind::Musnah
    }

    fn parse(s: &str) -> Result<DisposalKind> {
        match s {
            "musnah" => Ok(DisposalKind::Musnah),
            "pindah" => Ok(DisposalKind::Pindah),
            "serah" => Ok(DisposalKind::Serah),
            _ => Err(Error::new(ErrorCode::Database, format!("kind '{s}'"))),
        }
    }
}

/// Where a disposal list stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DisposalState {
    Proposed,
    Assessed,
    Approved,
    Done,
    Cancelled,
}

impl DisposalState {
    pub fn code(self) -> &'static str {
        match self {
            DisposalState::Proposed => "proposed",
            DisposalState::Assessed => "assessed",
            DisposalState::Approved => "approved",
            DisposalState::Done => "done",
            DisposalState::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> Result<DisposalState> {
        Ok(match s {
            "proposed" => DisposalState::Proposed,
            "assessed" => DisposalState::Assessed,
            "approved" => DisposalState::Approved,
            "done" => DisposalState::Done,
            "cancelled" => DisposalState::Cancelled,
            _ => return Err(Error::new(ErrorCode::Database, format!("state '{s}'"))),
        })
    }
}

/// One berkas on a list, with the columns the regulation asks of a list:
/// its number, classification, description, period, development stage,
/// quantity, media, condition, box and location, and what the JRA says.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ListEntry {
    pub berkas: BerkasId,
    pub number: String,
    pub classification: Option<String>,
    /// Uraian informasi berkas.
    pub title: String,
    /// Kurun waktu (`2018–2019`).
    pub period: String,
    /// Tingkat perkembangan (asli, salinan).
    pub development: String,
    /// Records (items) in the berkas and their pages (lembar).
    pub records: u32,
    pub pages: u32,
    pub media: String,
    pub condition: String,
    pub box_no: Option<String>,
    /// Gedung, rak and map, as written on the berkas.
    pub location: String,
    /// The JRA row: `PL.05: 2 th aktif, 3 th inaktif, musnah`.
    pub jra: String,
    /// Its total retention in years: ten or more needs the national
    /// archive's (ANRI's) approval, less the head of the office's.
    pub retention_years: u32,
    pub access: AccessLevel,
}

/// A disposal list as its reader sees it.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct Disposal {
    pub id: String,
    pub kind: DisposalKind,
    pub state: DisposalState,
    pub note: String,
    pub proposed_by: String,
    pub proposed_at: String,
    pub assessed_by: Option<String>,
    pub assessed_at: Option<String>,
    /// What the assessment team found.
    pub assessment: Option<String>,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    /// The approval's reference (the letter of KPU RI or ANRI, or the
    /// head of the office's decision).
    pub approval_ref: Option<String>,
    pub done_by: Option<String>,
    pub done_at: Option<String>,
    /// The berita acara's number.
    pub ba_number: Option<String>,
    pub witnesses: Vec<String>,
    /// Who carried a destruction out, when the berita acara names them
    /// (else the account in `done_by`).
    pub executor: Option<Signer>,
    /// The head of the office who acknowledged the berita acara.
    pub head: Option<Signer>,
    pub cancelled_by: Option<String>,
    pub cancelled_at: Option<String>,
    pub cancel_reason: Option<String>,
    pub entries: Vec<ListEntry>,
}

impl Disposal {
    /// Who must approve: ANRI when any entry is kept ten years or more,
    /// else the head of the office.
    pub fn needs_anri(&self) -> bool {
        self.entries.iter().any(|e| e.retention_years >= 10)
    }
}

/// One line of the lists' list.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct DisposalSummary {
    pub id: String,
    pub kind: DisposalKind,
    pub state: DisposalState,
    pub proposed_at: String,
    pub proposed_by: String,
    pub berkas: u32,
    pub records: u32,
    pub ba_number: Option<String>,
}

const COLUMNS: &str = "id, state, note, proposed_by, proposed_at, assessed_by, assessed_at,
    assessment, approved_by, approved_at, approval_ref, done_by, done_at, ba_number, witnesses,
    cancelled_by, cancelled_at, cancel_reason, kind, executor, head";

/// Migration 19's part: who carried a list out and the head of the office
/// who acknowledged it, as signers (JSON), when the berita acara names them.
pub(super) const PARTIES_SCHEMA: &str = r#"
ALTER TABLE disposal ADD COLUMN executor TEXT;
ALTER TABLE disposal ADD COLUMN head TEXT;
"#;

/// A signer kept as JSON; one that does not read is left out.
fn signer(json: Option<String>) -> Option<Signer> {
    json.and_then(|j| serde_json::from_str(&j).ok())
}

fn from_row(r: &Row) -> rusqlite::Result<Disposal> {
    let state: String = r.get(1)?;
    let witnesses: Option<String> = r.get(14)?;
    let kind: String = r.get(18)?;
    Ok(Disposal {
        id: r.get(0)?,
        kind: DisposalKind::parse(&kind).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(18, rusqlite::types::Type::Text, Box::new(e))
        })?,
        state: DisposalState::parse(&state).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e))
        })?,
        note: r.get(2)?,
        proposed_by: r.get(3)?,
        proposed_at: r.get(4)?,
        assessed_by: r.get(5)?,
        assessed_at: r.get(6)?,
        assessment: r.get(7)?,
        approved_by: r.get(8)?,
        approved_at: r.get(9)?,
        approval_ref: r.get(10)?,
        done_by: r.get(11)?,
        done_at: r.get(12)?,
        ba_number: r.get(13)?,
        witnesses: witnesses
            .map(|w| w.lines().map(str::to_string).collect())
            .unwrap_or_default(),
        cancelled_by: r.get(15)?,
        cancelled_at: r.get(16)?,
        cancel_reason: r.get(17)?,
        executor: signer(r.get(19)?),
        head: signer(r.get(20)?),
        entries: Vec::new(),
    })
}

/// A step a person takes on a list, checked against the state it is in.
pub(crate) enum Step<'a> {
    Assess(&'a str),
    Approve(&'a str),
    /// The berita acara's number, its witnesses (one per line), and its
    /// executor and head as JSON.
    CarryOut(&'a str, &'a str, Option<String>, Option<String>),
    Cancel(&'a str),
}

impl super::Catalogue {
    /// Every list whose entries are all of classes `clearance` reads,
    /// newest first.
    pub(crate) fn disposals(&self, clearance: &Clearance) -> Result<Vec<DisposalSummary>> {
        let ids: Vec<String> = {
            let mut stmt = self
                .conn()
                .prepare("SELECT id FROM disposal ORDER BY proposed_at DESC, id DESC")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut out = Vec::new();
        for id in ids {
            let Some(d) = self.disposal(&id, clearance)? else {
                continue;
            };
            out.push(DisposalSummary {
                berkas: d.entries.len() as u32,
                records: d.entries.iter().map(|e| e.records).sum(),
                id: d.id,
                kind: d.kind,
                state: d.state,
                proposed_at: d.proposed_at,
                proposed_by: d.proposed_by,
                ba_number: d.ba_number,
            });
        }
        Ok(out)
    }

    /// One list, when every entry is of a class `clearance` reads (a list
    /// is one document: it is read whole or not at all).
    pub(crate) fn disposal(&self, id: &str, clearance: &Clearance) -> Result<Option<Disposal>> {
        let sql = format!("SELECT {COLUMNS} FROM disposal WHERE id = ?1");
        let Some(mut d) = self.conn().query_row(&sql, [id], from_row).optional()? else {
            return Ok(None);
        };
        let mut stmt = self
            .conn()
            .prepare("SELECT entry FROM disposal_item WHERE disposal_id = ?1 ORDER BY position")?;
        let rows = stmt.query_map([id], |r| r.get::<_, String>(0))?;
        for row in rows {
            let entry: ListEntry = serde_json::from_str(&row?)
                .map_err(|e| Error::new(ErrorCode::Database, format!("list entry: {e}")))?;
            d.entries.push(entry);
        }
        // Read whole: every entry as proposed, and every berkas and record
        // on it as it is now (one raised since is raised on the list too).
        let mut classes: Vec<AccessLevel> = d.entries.iter().map(|e| e.access).collect();
        let mut stmt = self.conn().prepare(
            "SELECT b.access FROM disposal_item i JOIN berkas b ON b.id = i.berkas_id
             WHERE i.disposal_id = ?1
             UNION ALL SELECT r.access FROM disposal_record x JOIN record r ON r.id = x.record_id
             WHERE x.disposal_id = ?1",
        )?;
        let rows = stmt.query_map([id], |r| r.get::<_, String>(0))?;
        for row in rows {
            classes.push(AccessLevel::parse(&row?).unwrap_or(AccessLevel::SangatRahasia));
        }
        let readable = classes.iter().all(|c| clearance.can_read(*c));
        Ok(readable.then_some(d))
    }

    /// Whether berkas `id` is on a list not yet carried out or cancelled,
    /// or destroyed (`berkas::locked`).
    pub(crate) fn berkas_locked(&self, id: &BerkasId) -> Result<bool> {
        super::berkas::locked(self.conn(), &id.to_string())
    }

    /// The pages of the records a list of `kind` takes from berkas `id`
    /// (`berkas_members`).
    pub(crate) fn berkas_pages(&self, id: &BerkasId, kind: DisposalKind) -> Result<u32> {
        Ok(self.conn().query_row(
            &format!(
                "SELECT COUNT(*) FROM page p JOIN record r ON r.id = p.record_id
                 WHERE r.berkas_id = ?1 AND {}",
                taken()
            ),
            (id.to_string(), kind.takes_trash()),
            |r| r.get(0),
        )?)
    }

    /// The records a list of `kind` takes from berkas `id`: (record, class,
    /// another office's). A destruction takes those in the trash too (it is
    /// the only way the trash is emptied); the other lists the live ones.
    pub(crate) fn berkas_members(
        &self,
        id: &BerkasId,
        kind: DisposalKind,
    ) -> Result<Vec<(String, AccessLevel, bool)>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT r.id, r.access, r.office IS NOT NULL FROM record r
             WHERE r.berkas_id = ?1 AND {} ORDER BY r.id",
            taken()
        ))?;
        let rows = stmt.query_map((id.to_string(), kind.takes_trash()), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
        })?;
        rows.map(|row| {
            let (rid, access, replica) = row?;
            let level = AccessLevel::parse(&access).unwrap_or(AccessLevel::SangatRahasia);
            Ok((rid, level, replica))
        })
        .collect()
    }

    /// The live records list `id` froze, in the order of its entries.
    pub(crate) fn disposal_records(&self, id: &str) -> Result<Vec<crate::ids::RecordId>> {
        let mut stmt = self.conn().prepare(
            "SELECT x.record_id FROM disposal_record x
             JOIN disposal_item i ON i.disposal_id = x.disposal_id AND i.berkas_id = x.berkas_id
             JOIN record r ON r.id = x.record_id AND r.deleted = 0
             WHERE x.disposal_id = ?1 ORDER BY i.position, r.created_at, r.id",
        )?;
        let rows = stmt.query_map([id], |r| r.get::<_, String>(0))?;
        rows.map(|r| crate::ids::RecordId::parse(&r?)).collect()
    }

    /// Records a proposed list with the records each berkas holds
    /// (`members`: record, berkas); a berkas another open list took since
    /// it was checked is refused here, under the write lock.
    pub(crate) fn add_disposal(
        &mut self,
        id: &str,
        kind: DisposalKind,
        entries: &[ListEntry],
        members: &[(String, BerkasId)],
        note: &str,
        actor: &str,
    ) -> Result<()> {
        let tx = self.write()?;
        for e in entries {
            if super::berkas::unlocked(&tx, &e.berkas.to_string()).is_err() {
                return Err(Error::new(ErrorCode::NotDue, e.number.clone()));
            }
        }
        let access = entries
            .iter()
            .map(|e| e.access)
            .max()
            .unwrap_or(AccessLevel::SangatRahasia);
        tx.execute(
            "INSERT INTO disposal (id, kind, state, note, proposed_by, proposed_at, access)
             VALUES (?1, ?6, 'proposed', ?2, ?3, ?4, ?5)",
            (
                id,
                note,
                actor,
                crate::clock::now_rfc3339(),
                access.code(),
                kind.code(),
            ),
        )?;
        for (record, berkas) in members {
            tx.execute(
                "INSERT INTO disposal_record (disposal_id, record_id, berkas_id) VALUES (?1, ?2, ?3)",
                (id, record, berkas.to_string()),
            )?;
        }
        for (i, e) in entries.iter().enumerate() {
            let json = serde_json::to_string(e)
                .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
            tx.execute(
                "INSERT INTO disposal_item (disposal_id, position, berkas_id, entry)
                 VALUES (?1, ?2, ?3, ?4)",
                (id, i as i64 + 1, e.berkas.to_string(), json),
            )?;
        }
        let numbers: Vec<&str> = entries.iter().map(|e| e.number.as_str()).collect();
        let detail = format!("{}; berkas={}", kind.code(), numbers.join(", "));
        crate::audit::append(&tx, actor, kind.action(None), id, &detail)?;
        tx.commit()?;
        Ok(())
    }

    /// Moves list `id` one step on, when it is in the state that step
    /// follows; a destruction removes the content of every record in its
    /// berkas and returns the blobs to remove from the disk.
    pub(crate) fn disposal_step(
        &mut self,
        id: &str,
        step: &Step,
        actor: &str,
    ) -> Result<Vec<ContentHash>> {
        let now = crate::clock::now_rfc3339();
        let tx = self.write()?;
        let row: Option<(String, String)> = tx
            .query_row(
                "SELECT state, kind FROM disposal WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (state, kind) = row.ok_or_else(|| Error::new(ErrorCode::NotFound, id.to_string()))?;
        let (state, kind) = (DisposalState::parse(&state)?, DisposalKind::parse(&kind)?);
        // A transfer is approved by the head of the office as proposed; a
        // destruction is assessed by a team first, a handover verified by
        // the regional archive office.
        let from = match (step, kind) {
            (Step::Assess(_), DisposalKind::Pindah) => vec![],
            (Step::Assess(_), _) => vec![DisposalState::Proposed],
            (Step::Approve(_), DisposalKind::Pindah) => vec![DisposalState::Proposed],
            (Step::Approve(_), _) => vec![DisposalState::Assessed],
            (Step::CarryOut(..), _) => vec![DisposalState::Approved],
            (Step::Cancel(_), _) => vec![
                DisposalState::Proposed,
                DisposalState::Assessed,
                DisposalState::Approved,
            ],
        };
        if !from.contains(&state) {
            return Err(Error::new(
                ErrorCode::WrongStep,
                format!("{id}: {}", state.code()),
            ));
        }
        let mut purge = Vec::new();
        let (action, detail) = match step {
            Step::Assess(text) => {
                tx.execute(
                    "UPDATE disposal SET state = 'assessed', assessed_by = ?1, assessed_at = ?2,
                        assessment = ?3 WHERE id = ?4",
                    (actor, &now, text, id),
                )?;
                (kind.action(Some(step)), text.to_string())
            }
            Step::Approve(reference) => {
                tx.execute(
                    "UPDATE disposal SET state = 'approved', approved_by = ?1, approved_at = ?2,
                        approval_ref = ?3 WHERE id = ?4",
                    (actor, &now, reference, id),
                )?;
                (kind.action(Some(step)), reference.to_string())
            }
            Step::Cancel(reason) => {
                tx.execute(
                    "UPDATE disposal SET state = 'cancelled', cancelled_by = ?1, cancelled_at = ?2,
                        cancel_reason = ?3 WHERE id = ?4",
                    (actor, &now, reason, id),
                )?;
                (kind.action(Some(step)), reason.to_string())
            }
            Step::CarryOut(ba, witnesses, executor, head) => {
                let destroys = kind == DisposalKind::Musnah;
                if destroys && copies_out_of_reach(&tx, id)? {
                    return Err(Error::new(ErrorCode::SyncedCopies, id.to_string()));
                }
                // What is destroyed or handed over is exactly what was listed.
                if kind != DisposalKind::Pindah && !members_unchanged(&tx, id, kind)? {
                    return Err(Error::new(ErrorCode::ListChanged, id.to_string()));
                }
                // Paper that is out cannot be destroyed: it comes back first.
                let lent: Option<String> = tx
                    .query_row(
                        "SELECT b.number FROM disposal_item i JOIN berkas b ON b.id = i.berkas_id
                         JOIN loan l ON l.returned_on IS NULL
                             AND (l.berkas_id = b.id OR l.box_id = b.box_id)
                         WHERE i.disposal_id = ?1 LIMIT 1",
                        [id],
                        |r| r.get(0),
                    )
                    .optional()?;
                if let Some(number) = lent {
                    return Err(Error::new(ErrorCode::OnLoan, number));
                }
                tx.execute(
                    "UPDATE disposal SET state = 'done', done_by = ?1, done_at = ?2,
                        ba_number = ?3, witnesses = ?4, executor = ?5, head = ?6 WHERE id = ?7",
                    (actor, &now, ba, witnesses, executor, head, id),
                )?;
                match kind {
                    DisposalKind::Musnah => purge = destroy_in(&tx, id, ba, actor)?,
                    DisposalKind::Pindah => {
                        tx.execute(
                            "UPDATE berkas SET stage = 'inaktif', updated_at = ?1, updated_by = ?2
                             WHERE id IN (SELECT berkas_id FROM disposal_item WHERE disposal_id = ?3)",
                            (&now, actor, id),
                        )?;
                        listed_berkas_changed(&tx, id)?;
                    }
                    // The paper leaves for the regional archive: out of its
                    // box and folder; the digital copies stay for the
                    // office's information service.
                    DisposalKind::Serah => {
                        tx.execute(
                            "UPDATE berkas SET stage = 'statis', box_id = NULL, loc_folder = NULL,
                                 updated_at = ?1, updated_by = ?2
                             WHERE id IN (SELECT berkas_id FROM disposal_item WHERE disposal_id = ?3)",
                            (&now, actor, id),
                        )?;
                        listed_berkas_changed(&tx, id)?;
                    }
                }
                (
                    kind.action(Some(step)),
                    format!("ba={ba}; witnesses={}", witnesses.replace('\n', ", ")),
                )
            }
        };
        crate::audit::append(&tx, actor, action, id, &detail)?;
        tx.commit()?;
        Ok(purge)
    }

    /// Blobs a destruction still has to remove from the disk.
    pub(crate) fn pending_purges(&self) -> Result<Vec<ContentHash>> {
        let mut stmt = self.conn().prepare("SELECT sha256 FROM blob_purge")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.map(|r| ContentHash::parse(&r?)).collect()
    }

    /// Removes a blob a destruction left waiting, under the write lock:
    /// only when no file or page uses it now (the same bytes may have been
    /// archived again since), by `remove`; either way it waits no more.
    pub(crate) fn purge(
        &mut self,
        sha: &ContentHash,
        remove: impl FnOnce() -> Result<()>,
    ) -> Result<()> {
        let tx = self.write()?;
        let hex = sha.to_hex();
        if !blob_used(&tx, &hex)? {
            remove()?;
        }
        tx.execute("DELETE FROM blob_purge WHERE sha256 = ?1", [&hex])?;
        tx.commit()?;
        Ok(())
    }

    /// Destroyed text does not stay in the file's free pages or its WAL:
    /// deletes overwrite, and after a destruction the WAL is folded in.
    pub(crate) fn scrub(&self, on: bool) -> Result<()> {
        self.conn().pragma_update(None, "secure_delete", on)?;
        if !on {
            self.conn()
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        Ok(())
    }
}

/// The berkas on list `id` changed stage: their records go out again.
fn listed_berkas_changed(tx: &Transaction, id: &str) -> Result<()> {
    super::berkas::berkas_changed(
        tx,
        "b.id IN (SELECT berkas_id FROM disposal_item WHERE disposal_id = ?1)",
        id,
    )
}

/// Whether list `id` would destroy records another office wrote (a
/// province holds them; their office destroys them, and its log carries
/// the destruction here). Copies this office pushed itself are re-sealed
/// without the content and sent again (redact.rs,
/// `Archive::redact_sealed`); those its old key signed, before it was
/// rebuilt with a new one, the province removes (`purge_retired`).
fn copies_out_of_reach(tx: &Transaction, id: &str) -> Result<bool> {
    Ok(tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM disposal_record d JOIN record r ON r.id = d.record_id
                        WHERE d.disposal_id = ?1 AND r.office IS NOT NULL)",
        [id],
        |r| r.get(0),
    )?)
}

/// The records of a berkas a list takes, as SQL over `record r` with the
/// list's `takes_trash` as `?2`: the live ones, and for a destruction those
/// in the trash (not records merged away into another, which hold nothing).
fn taken() -> String {
    format!("(r.deleted = 0 OR (?2 AND {}))", super::trash::IN_TRASH)
}

/// Whether the list's berkas hold exactly the records they held when it
/// was proposed (`taken`).
fn members_unchanged(tx: &Transaction, id: &str, kind: DisposalKind) -> Result<bool> {
    let taken = taken();
    let differ: bool = tx.query_row(
        &format!(
            "SELECT EXISTS (
                 SELECT r.id FROM record r JOIN disposal_item i ON i.berkas_id = r.berkas_id
                 WHERE i.disposal_id = ?1 AND {taken}
                 EXCEPT SELECT record_id FROM disposal_record WHERE disposal_id = ?1)
             OR EXISTS (
                 SELECT record_id FROM disposal_record WHERE disposal_id = ?1
                 EXCEPT SELECT r.id FROM record r JOIN disposal_item i ON i.berkas_id = r.berkas_id
                 WHERE i.disposal_id = ?1 AND {taken})"
        ),
        (id, kind.takes_trash()),
        |r| r.get(0),
    )?;
    Ok(!differ)
}

pub(super) fn blob_used(tx: &rusqlite::Connection, hex: &str) -> Result<bool> {
    Ok(tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM file WHERE sha256 = ?1)
             OR EXISTS (SELECT 1 FROM page WHERE thumbnail = ?1)
             OR EXISTS (SELECT 1 FROM version_file WHERE sha256 = ?1)
             OR EXISTS (SELECT 1 FROM version_page WHERE thumbnail = ?1)",
        [hex],
        |r| r.get(0),
    )?)
}

/// Removes the content of every record the list froze (the live records
/// of its berkas, unchanged since: `members_unchanged`) inside the
/// destruction's transaction: its pages (text and word boxes), files,
/// suggestions and result tables go; its catalogue entry stays, marked
/// deleted and destroyed by this list, its change recorded (so the index
/// drops it). Each berkas ends `musnah`. Returns the blobs no record left
/// needs, also listed in `blob_purge`.
fn destroy_in(tx: &Transaction, id: &str, ba: &str, actor: &str) -> Result<Vec<ContentHash>> {
    let records: Vec<String> = {
        let mut stmt = tx.prepare(
            "SELECT record_id FROM disposal_record WHERE disposal_id = ?1 ORDER BY record_id",
        )?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut blobs: Vec<String> = Vec::new();
    // Each record's own files and thumbnails: what its tombstone in the
    // sync log names as removed.
    let mut owned: Vec<(&String, Vec<String>)> = Vec::new();
    for rid in &records {
        let mut stmt = tx.prepare(
            "SELECT sha256 FROM file WHERE record_id = ?1
             UNION SELECT thumbnail FROM page WHERE record_id = ?1 AND thumbnail IS NOT NULL",
        )?;
        let mut own = stmt
            .query_map([rid], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // Its earlier versions' too: their files went out in the states
        // sealed before a re-scan.
        own.extend(super::versions::destroy_versions(tx, rid)?);
        blobs.extend(own.iter().cloned());
        owned.push((rid, own));
        for sql in [
            "DELETE FROM recap_row WHERE record_id = ?1",
            "DELETE FROM recap WHERE record_id = ?1",
            "DELETE FROM suggestion WHERE record_id = ?1",
            "DELETE FROM page WHERE record_id = ?1",
            "DELETE FROM split_file WHERE record_id = ?1",
            "DELETE FROM file WHERE record_id = ?1",
        ] {
            tx.execute(sql, [rid])?;
        }
        tx.execute(
            "UPDATE record SET deleted = 1, destroyed_in = ?1, description = NULL,
                destroyed_ba = ?2, destroyed_at = ?3,
                version = version + 1, updated_at = ?3, updated_by = ?4
             WHERE id = ?5",
            (id, ba, crate::clock::now_rfc3339(), actor, rid),
        )?;
        super::records::record_change(tx, rid, "delete")?;
        crate::audit::append(tx, actor, "record.destroy", rid, &format!("ba={ba}"))?;
    }
    tx.execute(
        // The paper is gone from its box too (the list keeps where it was).
        "UPDATE berkas SET stage = 'musnah', box_id = NULL, loc_folder = NULL, updated_at = ?1,
             updated_by = ?2
         WHERE id IN (SELECT berkas_id FROM disposal_item WHERE disposal_id = ?3)",
        (crate::clock::now_rfc3339(), actor, id),
    )?;
    blobs.sort();
    blobs.dedup();
    // What was destroyed leaves the versions of records it was split from.
    let thumbnails = super::versions::scrub_versions(tx, &blobs)?;
    blobs.extend(thumbnails);
    blobs.sort();
    blobs.dedup();
    let mut purge = Vec::new();
    let mut gone = Vec::new();
    for sha in blobs {
        // A blob another record still holds stays (the same scan archived
        // twice, a thumbnail shared by equal pages).
        if !blob_used(tx, &sha)? {
            tx.execute(
                "INSERT OR IGNORE INTO blob_purge (sha256, disposal_id) VALUES (?1, ?2)",
                (&sha, id),
            )?;
            purge.push(ContentHash::parse(&sha)?);
            gone.push(sha);
        }
    }
    // What this office sealed for sync before loses them too (redact.rs).
    for (rid, own) in owned {
        let removed: Vec<String> = own.into_iter().filter(|s| gone.contains(s)).collect();
        super::redact::note_destroyed(tx, rid, &removed)?;
    }
    Ok(purge)
}
