//! Berkas: the file folders records are kept in, each with its number,
//! title, classification, years, paper location and access class, and the
//! row of the retention schedule (JRA) a person confirmed for it. The
//! schedule itself is a vocabulary (`vocab::Vocabulary::Jra`); what falls
//! due when is `retention::plan`'s.

use crate::access::{AccessLevel, Clearance};
use crate::catalogue::storage::{BoxRef, Places};
use crate::error::{Error, ErrorCode, Result};
use crate::ids::{BerkasId, BoxId};
use rusqlite::{OptionalExtension, Row, Transaction};

pub const SCHEMA: &str = r#"
CREATE TABLE jra (
    code TEXT PRIMARY KEY,
    series TEXT NOT NULL,
    active_years INTEGER NOT NULL CHECK (active_years BETWEEN 0 AND 200),
    inactive_years INTEGER NOT NULL CHECK (inactive_years BETWEEN 0 AND 200),
    outcome TEXT NOT NULL REFERENCES retention_outcome(code),
    note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE berkas (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    classification TEXT,
    year_from INTEGER,
    year_to INTEGER,
    access TEXT NOT NULL REFERENCES access_level(code),
    stage TEXT NOT NULL DEFAULT 'aktif'
        CHECK (stage IN ('aktif', 'inaktif', 'statis', 'musnah')),
    loc_building TEXT,
    loc_shelf TEXT,
    loc_box TEXT,
    loc_folder TEXT,
    -- The JRA row a person confirmed (its code; the row's years and outcome
    -- are read from the schedule as it stands), by whom and when.
    jra_code TEXT,
    jra_by TEXT,
    jra_at TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
ALTER TABLE record ADD COLUMN berkas_id TEXT REFERENCES berkas(id);
CREATE INDEX record_berkas ON record(berkas_id);
"#;

/// Migration 20: berkas carried through sync. A province holds the berkas
/// of every office it pulls, keyed by their ids (made unique where they are
/// made), so numbers are unique only among this archive's own berkas;
/// `office` names the office a berkas came from (its key; None for this
/// archive's own), `box_label` the number of the box that office keeps it
/// in (its boxes stay its own). Every change to an own berkas, or to the
/// number of the box it is in, is a change of each record filed in it
/// (`berkas_changed`), so the next push carries the berkas as it now
/// stands; the berkas already filed into go out once with their records.
pub const SYNC_SCHEMA: &str = r#"
CREATE TABLE berkas_v20 (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    classification TEXT,
    year_from INTEGER,
    year_to INTEGER,
    access TEXT NOT NULL REFERENCES access_level(code),
    stage TEXT NOT NULL DEFAULT 'aktif'
        CHECK (stage IN ('aktif', 'inaktif', 'statis', 'musnah')),
    loc_folder TEXT,
    -- The JRA row a person confirmed (its code; the row's years and outcome
    -- are read from the schedule as it stands), by whom and when.
    jra_code TEXT,
    jra_by TEXT,
    jra_at TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    box_id TEXT REFERENCES box(id),
    office TEXT,
    box_label TEXT
);
INSERT INTO berkas_v20 (id, number, title, classification, year_from, year_to, access, stage,
    loc_folder, jra_code, jra_by, jra_at, created_at, created_by, updated_at, updated_by, box_id)
SELECT id, number, title, classification, year_from, year_to, access, stage, loc_folder,
    jra_code, jra_by, jra_at, created_at, created_by, updated_at, updated_by, box_id FROM berkas;
DROP TABLE berkas;
ALTER TABLE berkas_v20 RENAME TO berkas;
CREATE UNIQUE INDEX berkas_number ON berkas(number) WHERE office IS NULL;
CREATE INDEX berkas_box ON berkas(box_id);
CREATE INDEX berkas_office ON berkas(office) WHERE office IS NOT NULL;
INSERT INTO change (record_id, kind, at)
SELECT id, 'berkas', strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM record
WHERE berkas_id IS NOT NULL AND office IS NULL AND deleted = 0 ORDER BY rowid;
"#;

/// The longest berkas number and title accepted.
const MAX_NUMBER_CHARS: usize = 100;
const MAX_TITLE_CHARS: usize = 500;

/// One row of the retention schedule (Jadwal Retensi Arsip).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct JraRow {
    /// The classification code the row is for (`PL.02`).
    pub code: String,
    /// The series of records (jenis arsip).
    pub series: String,
    /// Years kept active, then inactive, counted from the closing year.
    pub active_years: u32,
    pub inactive_years: u32,
    /// What follows: `musnah`, `permanen` or `dinilai-kembali`.
    pub outcome: String,
    pub note: String,
}

/// Where a berkas is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// With the unit that uses it.
    Aktif,
    /// Moved to the records centre (pemindahan).
    Inaktif,
    /// Handed to the regional archive office (penyerahan).
    Statis,
    /// Destroyed (pemusnahan).
    Musnah,
}

impl Stage {
    pub fn code(self) -> &'static str {
        match self {
            Stage::Aktif => "aktif",
            Stage::Inaktif => "inaktif",
            Stage::Statis => "statis",
            Stage::Musnah => "musnah",
        }
    }

    pub fn parse(s: &str) -> Result<Stage> {
        match s.trim().to_lowercase().as_str() {
            "aktif" => Ok(Stage::Aktif),
            "inaktif" => Ok(Stage::Inaktif),
            "statis" => Ok(Stage::Statis),
            "musnah" => Ok(Stage::Musnah),
            _ => Err(Error::new(
                ErrorCode::InvalidInput,
                format!("stage '{s}' (aktif, inaktif)"),
            )),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Stage {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Stage::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A berkas as its reader sees it.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct Berkas {
    pub id: BerkasId,
    pub number: String,
    pub title: String,
    pub classification: Option<String>,
    /// The classification code's name in the vocabulary.
    pub classification_name: Option<String>,
    pub year_from: Option<i32>,
    /// The closing year: the retention clock runs from it.
    pub year_to: Option<i32>,
    pub access: AccessLevel,
    pub stage: Stage,
    /// The box it is in, and where that box is.
    #[serde(rename = "box")]
    pub in_box: Option<crate::catalogue::storage::BoxRef>,
    /// Its map (folder) number in the box.
    pub folder: Option<String>,
    /// Who has it, while it is lent (it alone, or its box).
    pub on_loan: Option<crate::catalogue::loans::OnLoan>,
    /// The JRA row a person confirmed, as the schedule now stands.
    pub jra: Option<JraRow>,
    pub jra_by: Option<String>,
    pub jra_at: Option<String>,
    /// The row the classification points to (the nearest code above it),
    /// offered until one is confirmed.
    pub jra_suggested: Option<JraRow>,
    /// The office that sent it (a province's copy of an office's berkas,
    /// which only that office changes); None for this archive's own.
    pub office: Option<String>,
    /// The number of the box its office keeps it in, when that box is not
    /// in this archive (an office's berkas at the province, or a rebuilt
    /// office's before it is put in a box again).
    pub box_label: Option<String>,
    /// Records filed in it that the reader may read.
    pub records: u32,
    /// When it falls due, and for what (filled by `Archive`, which knows
    /// today's date where the office is).
    pub schedule: Option<crate::retention::plan::Schedule>,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
}

impl Berkas {
    /// OtherOffice for another office's berkas (at a province): its paper
    /// is in that office, which lists, lends and digitises it.
    pub fn require_own(&self) -> Result<()> {
        match self.office {
            None => Ok(()),
            Some(_) => Err(Error::new(ErrorCode::OtherOffice, self.number.clone())),
        }
    }
}

/// How a berkas is named where its records are counted.
pub(crate) struct BerkasName {
    pub number: String,
    pub title: String,
    /// The office that sent it (at a province); None for this archive's own.
    pub office: Option<String>,
}

/// A berkas named on a record's page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct BerkasRef {
    pub id: BerkasId,
    pub number: String,
    pub title: String,
    /// The office that sent it (at a province); None for this archive's own.
    pub office: Option<String>,
}

/// A new berkas, as an archivist describes it.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewBerkas {
    pub number: String,
    pub title: String,
    pub classification: Option<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    /// The office's default class when not given.
    pub access: Option<AccessLevel>,
    /// The box it is put in.
    #[serde(rename = "box")]
    pub in_box: Option<BoxId>,
    pub folder: Option<String>,
}

/// Changes to a berkas; `None` leaves a field as it is, an empty text
/// clears it (not the number or title).
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BerkasEdit {
    pub number: Option<String>,
    pub title: Option<String>,
    pub classification: Option<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub access: Option<AccessLevel>,
    /// Why the class is lowered (the admin's, as for records).
    pub reason: Option<String>,
    /// `aktif` or `inaktif` by hand (a transfer done on paper); `statis`
    /// and `musnah` come only from handover and destruction.
    pub stage: Option<Stage>,
    /// Confirms this JRA row (a code of the schedule) for the berkas.
    pub jra: Option<String>,
    /// The box it is moved into (its id; an empty text takes it out).
    #[serde(rename = "box")]
    pub in_box: Option<String>,
    pub folder: Option<String>,
}

const COLUMNS: &str = "b.id, b.number, b.title, b.classification, c.name, b.year_from, b.year_to,
    b.access, b.stage, b.box_id, x.number, x.place_id, b.loc_folder, b.jra_code, b.jra_by,
    b.jra_at, b.created_at, b.created_by, b.updated_at, b.updated_by, x.condition,
    CASE WHEN b.office IS NOT NULL THEN COALESCE(p.name, b.office) END, b.box_label";

/// A berkas row (`COLUMNS`, then the count of its records) without its
/// JRA rows (filled after, from the schedule read once).
fn from_row(r: &Row, places: &Places) -> rusqlite::Result<(Berkas, Option<String>)> {
    let bad = |i: usize, e: Error| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    };
    let id: String = r.get(0)?;
    let access: String = r.get(7)?;
    let stage: String = r.get(8)?;
    Ok((
        Berkas {
            id: BerkasId::parse(&id).map_err(|e| bad(0, e))?,
            number: r.get(1)?,
            title: r.get(2)?,
            classification: r.get(3)?,
            classification_name: r.get(4)?,
            year_from: r.get(5)?,
            year_to: r.get(6)?,
            // An unknown class reads as the most restricted: fail closed.
            access: AccessLevel::parse(&access).unwrap_or(AccessLevel::SangatRahasia),
            stage: Stage::parse(&stage).map_err(|e| bad(8, e))?,
            in_box: match (
                r.get::<_, Option<String>>(9)?,
                r.get::<_, Option<String>>(10)?,
            ) {
                (Some(id), Some(number)) => Some(BoxRef {
                    id: BoxId::parse(&id).map_err(|e| bad(9, e))?,
                    number,
                    place_path: places.path(r.get::<_, Option<String>>(11)?.as_deref()),
                    condition: r
                        .get::<_, Option<String>>(20)?
                        .and_then(|c| crate::catalogue::storage::Condition::parse(&c).ok())
                        .unwrap_or(crate::catalogue::storage::Condition::Baik),
                }),
                _ => None,
            },
            folder: r.get(12)?,
            on_loan: None,
            jra: None,
            jra_by: r.get(14)?,
            jra_at: r.get(15)?,
            jra_suggested: None,
            office: r.get(21)?,
            box_label: r.get(22)?,
            records: r.get(23)?,
            schedule: None,
            created_at: r.get(16)?,
            created_by: r.get(17)?,
            updated_at: r.get(18)?,
            updated_by: r.get(19)?,
        },
        r.get(13)?,
    ))
}

fn jra_row(r: &Row) -> rusqlite::Result<JraRow> {
    Ok(JraRow {
        code: r.get(0)?,
        series: r.get(1)?,
        active_years: r.get(2)?,
        inactive_years: r.get(3)?,
        outcome: r.get(4)?,
        note: r.get(5)?,
    })
}

/// The classification codes from `code` up: `PL.01.9` → `PL.01.9`,
/// `PL.01`, `PL`.
fn code_and_parents(code: &str) -> Vec<String> {
    let parts: Vec<&str> = code.trim().split('.').collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("."))
        .collect()
}

/// The retention schedule by code, read once per listing.
struct Schedule(std::collections::HashMap<String, JraRow>);

impl Schedule {
    /// The row for `code`, or for the nearest code above it (a row for
    /// `PL.01` covers `PL.01.9`).
    fn nearest(&self, code: &str) -> Option<JraRow> {
        code_and_parents(code)
            .iter()
            .find_map(|c| self.0.get(c))
            .cloned()
    }
}

impl super::Catalogue {
    /// The whole retention schedule, by code.
    pub fn jra(&self) -> Result<Vec<JraRow>> {
        let mut stmt = self.conn().prepare(
            "SELECT code, series, active_years, inactive_years, outcome, note FROM jra ORDER BY code",
        )?;
        let rows = stmt.query_map([], jra_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn schedule(&self) -> Result<Schedule> {
        Ok(Schedule(
            self.jra()?
                .into_iter()
                .map(|r| (r.code.clone(), r))
                .collect(),
        ))
    }

    /// Every berkas matching `visible` (SQL over `berkas b`, from
    /// `Clearance::classes_sql`), by number, with the count of records in
    /// each that match `records_visible` (over `record r`).
    pub(crate) fn berkas_list(&self, visible: &str, records_visible: &str) -> Result<Vec<Berkas>> {
        self.berkas_where(visible, None, records_visible)
    }

    /// One berkas, when it matches `visible`.
    pub(crate) fn berkas(
        &self,
        id: &BerkasId,
        visible: &str,
        records_visible: &str,
    ) -> Result<Option<Berkas>> {
        Ok(self.berkas_where(visible, Some(id), records_visible)?.pop())
    }

    /// The berkas matching `visible` (and `only`), in two reads: the
    /// berkas with their counts, and the schedule.
    fn berkas_where(
        &self,
        visible: &str,
        only: Option<&BerkasId>,
        records_visible: &str,
    ) -> Result<Vec<Berkas>> {
        // One berkas by its key (an `OR` here would read every row).
        let one = if only.is_some() { "AND b.id = ?1" } else { "" };
        let sql = format!(
            "SELECT {COLUMNS},
                 (SELECT COUNT(*) FROM record r WHERE r.berkas_id = b.id AND {records_visible})
             FROM berkas b LEFT JOIN classification c ON c.code = b.classification
                 LEFT JOIN box x ON x.id = b.box_id LEFT JOIN peer p ON p.key = b.office
             WHERE {visible} {one} ORDER BY b.office IS NOT NULL, p.name, b.number"
        );
        let places = self.places_map()?;
        let rows: Vec<(Berkas, Option<String>)> = {
            let mut stmt = self.conn().prepare(&sql)?;
            let params: Vec<String> = only.map(|id| id.to_string()).into_iter().collect();
            let rows =
                stmt.query_map(rusqlite::params_from_iter(params), |r| from_row(r, &places))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let schedule = self.schedule()?;
        let loans = self.open_loans()?;
        Ok(rows
            .into_iter()
            .map(|(mut b, code)| {
                let in_box = b.in_box.as_ref().map(|x| x.id.to_string());
                b.on_loan = loans
                    .get(&b.id.to_string())
                    .or_else(|| in_box.and_then(|x| loans.get(&x)))
                    .cloned();
                b.jra = code.and_then(|c| schedule.0.get(&c).cloned());
                if b.jra.is_none() {
                    b.jra_suggested = b
                        .classification
                        .as_deref()
                        .and_then(|c| schedule.nearest(c));
                }
                b
            })
            .collect())
    }

    /// The berkas record `id` is filed in, when it matches `visible`.
    pub(crate) fn berkas_of(&self, record: &str, visible: &str) -> Result<Option<BerkasRef>> {
        let sql = format!(
            "SELECT b.id, b.number, b.title, p.name FROM record r JOIN berkas b ON b.id = r.berkas_id
                 LEFT JOIN peer p ON p.key = b.office
             WHERE r.id = ?1 AND {visible}"
        );
        type Row = (String, String, String, Option<String>);
        let row: Option<Row> = self
            .conn()
            .query_row(&sql, [record], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        row.map(|(id, number, title, office)| {
            Ok(BerkasRef {
                id: BerkasId::parse(&id)?,
                number,
                title,
                office,
            })
        })
        .transpose()
    }

    /// The live records filed in berkas `id`, by their date then when
    /// they were added, each with its page count; and how many more it
    /// holds that do not match `visible` (over records `r`).
    pub(crate) fn berkas_records(
        &self,
        id: &BerkasId,
        visible: &str,
    ) -> Result<(Vec<(crate::ids::RecordId, u32)>, u64)> {
        let sql = format!(
            "SELECT r.id, (SELECT COUNT(*) FROM page p WHERE p.record_id = r.id), {visible}
             FROM record r WHERE r.berkas_id = ?1 AND r.deleted = 0
             ORDER BY r.doc_date IS NULL, r.doc_date, r.created_at, r.id"
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map([id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?;
        let (mut shown, mut hidden) = (Vec::new(), 0u64);
        for row in rows {
            let (record, pages, readable) = row?;
            if readable {
                shown.push((crate::ids::RecordId::parse(&record)?, pages));
            } else {
                hidden += 1;
            }
        }
        Ok((shown, hidden))
    }

    /// For each file of record `id` (its SHA-256, hex), how many of the
    /// record's pages it holds and how many of those were read by OCR.
    pub(crate) fn page_sources(
        &self,
        id: &crate::ids::RecordId,
    ) -> Result<std::collections::HashMap<String, (u32, u32)>> {
        let mut stmt = self.conn().prepare(
            "SELECT file_sha256, COUNT(*), SUM(source = 'ocr') FROM page
             WHERE record_id = ?1 GROUP BY file_sha256",
        )?;
        let rows = stmt.query_map([id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (r.get::<_, u32>(1)?, r.get::<_, u32>(2)?),
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The number and title of each berkas of `ids` that matches `visible`
    /// (over berkas `b`).
    pub(crate) fn berkas_names(
        &self,
        ids: &[&str],
        visible: &str,
    ) -> Result<std::collections::HashMap<String, BerkasName>> {
        if ids.is_empty() {
            return Ok(std::collections::HashMap::new());
        }
        let marks = vec!["?"; ids.len()].join(", ");
        let sql = format!(
            "SELECT b.id, b.number, b.title, p.name FROM berkas b
                 LEFT JOIN peer p ON p.key = b.office
             WHERE b.id IN ({marks}) AND {visible}"
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(ids), |r| {
            Ok((
                r.get::<_, String>(0)?,
                BerkasName {
                    number: r.get(1)?,
                    title: r.get(2)?,
                    office: r.get(3)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// `detail` (an audit entry's) with each berkas it names by id
    /// (`berkas=<id>`, or a list of them) that does not match `visible`
    /// told as `…`: a record's history must not say which berkas above
    /// the reader's class its records share.
    pub(crate) fn hide_unread_berkas(&self, detail: &str, visible: &str) -> Result<String> {
        const KEY: &str = "berkas=";
        let mut named: Vec<String> = Vec::new();
        let mut rest = detail;
        while let Some(at) = rest.find(KEY) {
            rest = &rest[at + KEY.len()..];
            let list = rest.split([';', ' ']).next().unwrap_or_default();
            named.extend(
                list.split(',')
                    .filter(|id| BerkasId::parse(id).is_ok())
                    .map(str::to_string),
            );
        }
        if named.is_empty() {
            return Ok(detail.to_string());
        }
        let ids: Vec<&str> = named.iter().map(String::as_str).collect();
        let readable = self.berkas_names(&ids, visible)?;
        let mut out = detail.to_string();
        for id in named.iter().filter(|id| !readable.contains_key(*id)) {
            out = out.replace(id.as_str(), "…");
        }
        Ok(out)
    }

    /// How many of this archive's own live records matching `visible` are
    /// in no berkas (an office's records at a province are that office's to
    /// file).
    pub(crate) fn unfiled(&self, visible: &str) -> Result<u64> {
        let sql = format!(
            "SELECT COUNT(*) FROM record r WHERE r.berkas_id IS NULL AND r.office IS NULL AND {visible}"
        );
        let n: i64 = self.conn().query_row(&sql, [], |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// Makes a berkas; the caller may catalogue and gives a class it reads.
    pub(crate) fn add_berkas(
        &mut self,
        new: &NewBerkas,
        clearance: &Clearance,
    ) -> Result<BerkasId> {
        let default = self.office()?.default_access;
        let access = new.access.unwrap_or(default);
        if !clearance.can_read(access) {
            return Err(Error::new(
                ErrorCode::AccessDenied,
                format!("{} > {}", access.code(), clearance.max_level().code()),
            ));
        }
        let (number, title) = checked_fields(&new.number, &new.title, new.year_from, new.year_to)?;
        let id = BerkasId::new();
        let now = crate::clock::now_rfc3339();
        let actor = clearance.actor();
        let tx = self.write()?;
        let classification = known_classification(&tx, new.classification.as_deref())?;
        if let Some(b) = &new.in_box {
            super::storage::known(&tx, "box", &b.to_string())?;
            super::loans::refuse_if_out(&tx, "box_id", &b.to_string())?;
        }
        tx.execute(
            "INSERT INTO berkas (id, number, title, classification, year_from, year_to, access,
                box_id, loc_folder, created_at, created_by, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?10, ?11)",
            rusqlite::params![
                id.to_string(),
                number,
                title,
                classification,
                new.year_from,
                new.year_to,
                access.code(),
                new.in_box.map(|b| b.to_string()),
                blank_none(&new.folder),
                now,
                actor,
            ],
        )
        .map_err(number_taken)?;
        let detail = format!("number={number}; title={title}; access={}", access.code());
        crate::audit::append(&tx, actor, "berkas.add", &id.to_string(), &detail)?;
        tx.commit()?;
        Ok(id)
    }

    /// Changes a berkas the caller may read and catalogue; all of the edit
    /// or, on any error, none of it.
    pub(crate) fn edit_berkas(
        &mut self,
        id: &BerkasId,
        edit: &BerkasEdit,
        clearance: &Clearance,
    ) -> Result<bool> {
        let actor = clearance.actor();
        let sid = id.to_string();
        let tx = self.write()?;
        let (from, year_from, year_to) = readable_berkas(&tx, &sid, clearance)?;
        own(&tx, &sid)?;
        unlocked(&tx, &sid)?;
        let mut changed = Vec::new();
        if let Some(to) = edit.access.filter(|to| *to != from) {
            clearance.check_reclassify(from, to, edit.reason.as_deref())?;
            tx.execute(
                "UPDATE berkas SET access = ?1 WHERE id = ?2",
                (to.code(), &sid),
            )?;
            changed.push(format!("access={}->{}", from.code(), to.code()));
            if to < from {
                changed.push(format!(
                    "reason={}",
                    edit.reason.as_deref().unwrap_or_default().trim()
                ));
            }
        }
        for (column, value, max) in [
            ("number", &edit.number, MAX_NUMBER_CHARS),
            ("title", &edit.title, MAX_TITLE_CHARS),
        ] {
            if let Some(v) = value {
                let v = checked_text(column, v, max)?;
                tx.execute(
                    &format!("UPDATE berkas SET {column} = ?1 WHERE id = ?2"),
                    (&v, &sid),
                )
                .map_err(number_taken)?;
                changed.push(format!("{column}={v}"));
            }
        }
        if let Some(c) = &edit.classification {
            let code = known_classification(&tx, Some(c))?;
            tx.execute(
                "UPDATE berkas SET classification = ?1 WHERE id = ?2",
                (&code, &sid),
            )?;
            changed.push(format!("classification={}", code.unwrap_or_default()));
        }
        if edit.year_from.is_some() || edit.year_to.is_some() {
            let (from_y, to_y) = (edit.year_from.or(year_from), edit.year_to.or(year_to));
            check_years(from_y, to_y)?;
            tx.execute(
                "UPDATE berkas SET year_from = ?1, year_to = ?2 WHERE id = ?3",
                (from_y, to_y, &sid),
            )?;
            changed.push(format!(
                "years={}-{}",
                from_y.map(|y| y.to_string()).unwrap_or_default(),
                to_y.map(|y| y.to_string()).unwrap_or_default()
            ));
        }
        if let Some(stage) = edit.stage {
            if !matches!(stage, Stage::Aktif | Stage::Inaktif) {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    format!("stage '{}' (aktif, inaktif)", stage.code()),
                ));
            }
            let now: String =
                tx.query_row("SELECT stage FROM berkas WHERE id = ?1", [&sid], |r| {
                    r.get(0)
                })?;
            if matches!(now.as_str(), "statis" | "musnah") {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    format!("stage: {now} is final"),
                ));
            }
            tx.execute(
                "UPDATE berkas SET stage = ?1 WHERE id = ?2",
                (stage.code(), &sid),
            )?;
            changed.push(format!("stage={}", stage.code()));
        }
        if let Some(code) = &edit.jra {
            let code = code.trim();
            let known: Option<String> = tx
                .query_row("SELECT code FROM jra WHERE code = ?1", [code], |r| r.get(0))
                .optional()?;
            let Some(code) = known else {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    format!("jra: unknown value '{code}'"),
                ));
            };
            tx.execute(
                "UPDATE berkas SET jra_code = ?1, jra_by = ?2, jra_at = ?3 WHERE id = ?4",
                (&code, actor, crate::clock::now_rfc3339(), &sid),
            )?;
            changed.push(format!("jra={code}"));
        }
        if let Some(b) = &edit.in_box {
            let b = match b.trim() {
                "" => None,
                b => Some(BoxId::parse(b)?.to_string()),
            };
            if let Some(b) = &b {
                super::storage::known(&tx, "box", b)?;
            }
            // Paper that is out stays where the loan says: neither the
            // berkas nor the box it leaves or enters may be lent.
            let old: Option<String> =
                tx.query_row("SELECT box_id FROM berkas WHERE id = ?1", [&sid], |r| {
                    r.get(0)
                })?;
            super::loans::refuse_if_out(&tx, "berkas_id", &sid)?;
            for x in old.iter().chain(b.iter()) {
                super::loans::refuse_if_out(&tx, "box_id", x)?;
            }
            tx.execute(
                "UPDATE berkas SET box_id = ?1, box_label = NULL WHERE id = ?2",
                (&b, &sid),
            )?;
            // Named by its id, as the trail names berkas.
            changed.push(format!("box={}", b.unwrap_or_default()));
        }
        if let Some(v) = &edit.folder {
            tx.execute(
                "UPDATE berkas SET loc_folder = ?1 WHERE id = ?2",
                (blank_none(&edit.folder), &sid),
            )?;
            changed.push(format!("folder={}", v.trim()));
        }
        if changed.is_empty() {
            return Ok(false);
        }
        tx.execute(
            "UPDATE berkas SET updated_at = ?1, updated_by = ?2 WHERE id = ?3",
            (crate::clock::now_rfc3339(), actor, &sid),
        )?;
        berkas_changed(&tx, "b.id = ?1", &sid)?;
        crate::audit::append(&tx, actor, "berkas.edit", &sid, &changed.join("; "))?;
        tx.commit()?;
        Ok(true)
    }
}

/// Files record `record` in berkas `berkas` (or in none, for an empty
/// text) inside a record edit's transaction (`records::edit_in`, which
/// checked the record readable). A berkas the caller may not read is as unknown
/// as one that does not exist. Returns the audit words.
pub(super) fn file_in(
    tx: &Transaction,
    record: &str,
    berkas: &str,
    clearance: &Clearance,
) -> Result<String> {
    // The berkas it leaves must be the caller's to read and not on a list.
    let now: Option<String> = tx.query_row(
        "SELECT berkas_id FROM record WHERE id = ?1",
        [record],
        |r| r.get(0),
    )?;
    if let Some(old) = &now {
        readable_berkas(tx, old, clearance)?;
        unlocked(tx, old)?;
    }
    let berkas = berkas.trim();
    if berkas.is_empty() {
        tx.execute("UPDATE record SET berkas_id = NULL WHERE id = ?1", [record])?;
        return Ok(String::from("berkas="));
    }
    let id = BerkasId::parse(berkas)?.to_string();
    readable_berkas(tx, &id, clearance)?;
    own(tx, &id)?;
    unlocked(tx, &id)?;
    tx.execute(
        "UPDATE record SET berkas_id = ?1 WHERE id = ?2",
        (&id, record),
    )?;
    // Named by its id: the trail names a berkas only to readers of its class.
    Ok(format!("berkas={id}"))
}

/// A berkas's class and years, when the caller may read it; NotFound
/// otherwise (no hint that a restricted berkas exists).
fn readable_berkas(
    tx: &Transaction,
    sid: &str,
    clearance: &Clearance,
) -> Result<(AccessLevel, Option<i32>, Option<i32>)> {
    let row: Option<(String, Option<i32>, Option<i32>)> = tx
        .query_row(
            "SELECT access, year_from, year_to FROM berkas WHERE id = ?1",
            [sid],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    row.map(|(a, f, t)| {
        (
            AccessLevel::parse(&a).unwrap_or(AccessLevel::SangatRahasia),
            f,
            t,
        )
    })
    .filter(|(level, _, _)| clearance.can_read(*level))
    .ok_or_else(|| Error::new(ErrorCode::NotFound, sid.to_string()))
}

/// Makes each of this archive's own live records filed in the berkas
/// `which` selects (SQL over `berkas b`, with `key` as ?1) a change of the
/// log: the next push carries the berkas as it now stands. Every write to
/// what a log carries of a berkas (`BerkasState`) calls it. (Not a SQL
/// trigger: a catalogue with triggers is refused as altered, snapshot.rs.)
pub(super) fn berkas_changed(tx: &Transaction, which: &str, key: &str) -> Result<()> {
    tx.execute(
        &format!(
            "INSERT INTO change (record_id, kind, at)
             SELECT r.id, 'berkas', ?2 FROM record r JOIN berkas b ON b.id = r.berkas_id
             WHERE {which} AND b.office IS NULL AND r.office IS NULL AND r.deleted = 0"
        ),
        (key, crate::clock::now_rfc3339()),
    )?;
    Ok(())
}

/// OtherOffice for a berkas another office sent to this province: only
/// that office changes it, or files into it, and sync brings the change.
pub(super) fn own(tx: &Transaction, sid: &str) -> Result<()> {
    let office: Option<String> = tx
        .query_row("SELECT office FROM berkas WHERE id = ?1", [sid], |r| {
            r.get(0)
        })
        .optional()?
        .flatten();
    match office {
        None => Ok(()),
        Some(_) => Err(Error::new(ErrorCode::OtherOffice, sid.to_string())),
    }
}

/// A classification code the vocabulary knows (None for an empty text).
fn known_classification(tx: &Transaction, code: Option<&str>) -> Result<Option<String>> {
    let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    // A code below the vocabulary's (PL.01.9 under PL.01) is the office's
    // own refinement, accepted when its top is known.
    let top = code_and_parents(code).pop().unwrap_or_default();
    let known: Option<String> = tx
        .query_row(
            "SELECT code FROM classification WHERE code = ?1",
            [&top],
            |r| r.get(0),
        )
        .optional()?;
    if known.is_none() {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("classification: unknown value '{code}'"),
        ));
    }
    Ok(Some(code.to_string()))
}

/// A number or title as lists and labels print it: invisible and
/// direction-turning characters dropped, at most `max` characters; a
/// number is never a berkas id (the terminal finds a berkas by either).
pub(crate) fn checked_text(field: &str, v: &str, max: usize) -> Result<String> {
    let v = crate::privacy::visible_text(v, false);
    let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
    if v.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("{field}: empty"),
        ));
    }
    if v.chars().count() > max || (field == "number" && BerkasId::parse(&v).is_ok()) {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("{field}: at most {max} characters, not an id"),
        ));
    }
    Ok(v)
}

/// Refuses changes to a berkas on a disposal list not yet carried out or
/// cancelled, or already destroyed: what a list names must stay what it
/// names until it is done.
pub(super) fn unlocked(tx: &rusqlite::Connection, id: &str) -> Result<()> {
    if locked(tx, id)? {
        return Err(Error::new(ErrorCode::BerkasLocked, id.to_string()));
    }
    Ok(())
}

/// Refuses when record `id` is filed in a berkas `unlocked` refuses.
pub(super) fn record_unlocked(tx: &rusqlite::Connection, id: &str) -> Result<()> {
    let berkas: Option<String> = tx
        .query_row("SELECT berkas_id FROM record WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .flatten();
    match berkas {
        Some(b) => unlocked(tx, &b),
        None => Ok(()),
    }
}

/// Whether berkas `id` is on an open disposal list, or done with here:
/// destroyed, or handed over (its paper and its list are the regional
/// archive's; its records stay to be read, not refiled).
pub(super) fn locked(conn: &rusqlite::Connection, id: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM berkas WHERE id = ?1 AND stage IN ('musnah', 'statis'))
             OR EXISTS (SELECT 1 FROM disposal_item i JOIN disposal d ON d.id = i.disposal_id
                        WHERE i.berkas_id = ?1 AND d.state NOT IN ('done', 'cancelled'))",
        [id],
        |r| r.get(0),
    )?)
}

/// A berkas's number and title as kept (`checked_text`), its years
/// checked: what any berkas here holds, whoever describes it (an archivist,
/// or an office's log at a province).
pub(super) fn checked_fields(
    number: &str,
    title: &str,
    year_from: Option<i32>,
    year_to: Option<i32>,
) -> Result<(String, String)> {
    check_years(year_from, year_to)?;
    Ok((
        checked_text("number", number, MAX_NUMBER_CHARS)?,
        checked_text("title", title, MAX_TITLE_CHARS)?,
    ))
}

fn check_years(from: Option<i32>, to: Option<i32>) -> Result<()> {
    let sane = |y: Option<i32>| y.is_none_or(|y| (1900..=2200).contains(&y));
    let ordered = match (from, to) {
        (Some(f), Some(t)) => f <= t,
        _ => true,
    };
    if sane(from) && sane(to) && ordered {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::InvalidInput,
            "years: year_from ≤ year_to, between 1900 and 2200",
        ))
    }
}

fn blank_none(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

pub(super) fn number_taken(e: rusqlite::Error) -> Error {
    match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Error::new(ErrorCode::NumberTaken, "")
        }
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_code_is_looked_up_from_itself_to_its_top() {
        assert_eq!(
            super::code_and_parents("PL.01.9"),
            vec!["PL.01.9", "PL.01", "PL"]
        );
        assert_eq!(super::code_and_parents("UM"), vec!["UM"]);
    }
}
