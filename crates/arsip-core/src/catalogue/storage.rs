//! Where the paper is: storage places as a tree (gedung → ruang → rak),
//! the boxes (boks arsip) on them with how each was received, and the
//! berkas each box holds (`berkas.box_id`, the map number in
//! `berkas.loc_folder`). Boxes and places are staff's; what a box holds is
//! shown berkas by berkas, each to those who may read its class.

use crate::access::AccessLevel;
use crate::error::{Error, ErrorCode, Result};
use crate::ids::{BerkasId, BoxId, PlaceId};
use rusqlite::{OptionalExtension, Row, Transaction};
use std::collections::HashMap;

pub const SCHEMA: &str = r#"
CREATE TABLE place (
    id TEXT PRIMARY KEY,
    parent_id TEXT REFERENCES place(id),
    kind TEXT NOT NULL CHECK (kind IN ('gedung', 'ruang', 'rak')),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE UNIQUE INDEX place_name ON place(COALESCE(parent_id, ''), name COLLATE NOCASE);
CREATE TABLE box (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE COLLATE NOCASE,
    place_id TEXT REFERENCES place(id),
    note TEXT NOT NULL DEFAULT '',
    -- Accession: who handed the box over (a PPK, a unit), on which day,
    -- under which berita acara serah terima, and its condition then.
    received_from TEXT,
    received_on TEXT,
    received_ref TEXT,
    condition TEXT NOT NULL DEFAULT 'baik'
        CHECK (condition IN ('baik', 'rusak-ringan', 'rusak-berat')),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
ALTER TABLE berkas ADD COLUMN box_id TEXT REFERENCES box(id);
CREATE INDEX berkas_box ON berkas(box_id);
"#;

/// The longest name or number accepted.
const MAX_NAME_CHARS: usize = 100;
const MAX_NOTE_CHARS: usize = 1000;

/// What a storage place is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    Gedung,
    Ruang,
    Rak,
}

impl PlaceKind {
    pub fn code(self) -> &'static str {
        match self {
            PlaceKind::Gedung => "gedung",
            PlaceKind::Ruang => "ruang",
            PlaceKind::Rak => "rak",
        }
    }

    pub fn parse(s: &str) -> Result<PlaceKind> {
        match s.trim().to_lowercase().as_str() {
            "gedung" | "building" => Ok(PlaceKind::Gedung),
            "ruang" | "room" => Ok(PlaceKind::Ruang),
            "rak" | "shelf" => Ok(PlaceKind::Rak),
            _ => Err(Error::new(
                ErrorCode::InvalidInput,
                format!("kind '{s}' (gedung, ruang, rak)"),
            )),
        }
    }
}

impl<'de> serde::Deserialize<'de> for PlaceKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        PlaceKind::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// The state of a box or of a berkas returned from a loan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Condition {
    Baik,
    RusakRingan,
    RusakBerat,
}

impl Condition {
    pub fn code(self) -> &'static str {
        match self {
            Condition::Baik => "baik",
            Condition::RusakRingan => "rusak-ringan",
            Condition::RusakBerat => "rusak-berat",
        }
    }

    /// As a list prints it: "Baik", "Rusak ringan".
    pub fn words(self) -> &'static str {
        match self {
            Condition::Baik => "Baik",
            Condition::RusakRingan => "Rusak ringan",
            Condition::RusakBerat => "Rusak berat",
        }
    }

    pub fn parse(s: &str) -> Result<Condition> {
        match s.trim().to_lowercase().replace([' ', '_'], "-").as_str() {
            "baik" | "good" => Ok(Condition::Baik),
            "rusak-ringan" | "damaged" => Ok(Condition::RusakRingan),
            "rusak-berat" | "badly-damaged" => Ok(Condition::RusakBerat),
            _ => Err(Error::new(
                ErrorCode::InvalidInput,
                format!("condition '{s}' (baik, rusak-ringan, rusak-berat)"),
            )),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Condition {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Condition::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A storage place with its path from the top ("Gedung Arsip › Ruang 2 ›
/// Rak 3") and what it holds.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct Place {
    pub id: PlaceId,
    pub parent: Option<PlaceId>,
    pub kind: PlaceKind,
    pub name: String,
    pub path: String,
    /// Boxes placed here or below.
    pub boxes: u32,
    /// Berkas the reader may read in those boxes.
    pub berkas: u32,
}

/// A new place.
#[derive(Debug, Clone, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlace {
    pub kind: PlaceKind,
    pub name: String,
    /// The place it is in (a ruang in a gedung, a rak in either).
    #[serde(default)]
    pub parent: Option<PlaceId>,
}

/// A box as staff see it.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct ArchiveBox {
    pub id: BoxId,
    pub number: String,
    pub place: Option<PlaceId>,
    /// Where it is, from the top; empty when not placed yet.
    pub place_path: String,
    pub note: String,
    pub received_from: Option<String>,
    /// The day it was received (YYYY-MM-DD).
    pub received_on: Option<String>,
    /// The berita acara serah terima it came with.
    pub received_ref: Option<String>,
    pub condition: Condition,
    /// Berkas in it the reader may read.
    pub berkas: u32,
    /// Who has it, while it is lent.
    pub on_loan: Option<super::loans::OnLoan>,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
}

/// A berkas as a box's contents list shows it.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct BoxItem {
    pub id: BerkasId,
    pub number: String,
    pub title: String,
    pub classification: Option<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    /// The map (folder) number in the box.
    pub folder: Option<String>,
    pub access: AccessLevel,
    /// Records filed in it that the reader may read.
    pub records: u32,
}

/// A box with the berkas in it the reader may read, by map number.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct BoxContents {
    #[serde(rename = "box")]
    pub archive_box: ArchiveBox,
    pub berkas: Vec<BoxItem>,
}

/// A new box, as it is received.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewBox {
    pub number: String,
    pub place: Option<PlaceId>,
    pub note: Option<String>,
    pub received_from: Option<String>,
    pub received_on: Option<String>,
    pub received_ref: Option<String>,
    pub condition: Option<Condition>,
}

/// Changes to a box; `None` leaves a field, an empty text clears it (not
/// the number); `place` of an empty text takes it off its place.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BoxEdit {
    pub number: Option<String>,
    pub place: Option<String>,
    pub note: Option<String>,
    pub received_from: Option<String>,
    pub received_on: Option<String>,
    pub received_ref: Option<String>,
    pub condition: Option<Condition>,
}

/// A box named on a berkas.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct BoxRef {
    pub id: BoxId,
    pub number: String,
    pub place_path: String,
    pub condition: Condition,
}

/// The places by id, read once to name paths.
pub(crate) struct Places(HashMap<String, (Option<String>, PlaceKind, String)>);

impl Places {
    /// "Gedung Arsip › Ruang 2 › Rak 3" (empty for no place).
    pub(crate) fn path(&self, id: Option<&str>) -> String {
        let mut names = Vec::new();
        let mut at = id.map(str::to_string);
        // A tree is at most three deep; a loop in bad data stops here.
        while let Some(id) = at.take() {
            let Some((parent, _, name)) = self.0.get(&id) else {
                break;
            };
            names.push(name.clone());
            if names.len() > 8 {
                break;
            }
            at = parent.clone();
        }
        names.reverse();
        names.join(" › ")
    }
}

fn place_kind(r: &Row, i: usize) -> rusqlite::Result<PlaceKind> {
    let s: String = r.get(i)?;
    PlaceKind::parse(&s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn parse_id<T>(r: &Row, i: usize, parse: fn(&str) -> Result<T>) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    parse(&s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

const BOX_COLUMNS: &str = "x.id, x.number, x.place_id, x.note, x.received_from, x.received_on,
    x.received_ref, x.condition, x.created_at, x.created_by, x.updated_at, x.updated_by";

fn box_row(r: &Row, places: &Places) -> rusqlite::Result<ArchiveBox> {
    let place: Option<String> = r.get(2)?;
    let condition: String = r.get(7)?;
    Ok(ArchiveBox {
        id: parse_id(r, 0, BoxId::parse)?,
        number: r.get(1)?,
        place_path: places.path(place.as_deref()),
        place: place.as_deref().and_then(|p| PlaceId::parse(p).ok()),
        note: r.get(3)?,
        received_from: r.get(4)?,
        received_on: r.get(5)?,
        received_ref: r.get(6)?,
        condition: Condition::parse(&condition).unwrap_or(Condition::Baik),
        created_at: r.get(8)?,
        created_by: r.get(9)?,
        updated_at: r.get(10)?,
        updated_by: r.get(11)?,
        berkas: r.get(12)?,
        on_loan: None,
    })
}

impl super::Catalogue {
    pub(crate) fn places_map(&self) -> Result<Places> {
        places_in(self.conn())
    }

    /// Every place, by path, with its boxes and the berkas in them that
    /// match `visible` (over `berkas b`).
    pub(crate) fn places(&self, visible: &str) -> Result<Vec<Place>> {
        let map = self.places_map()?;
        let sql = format!(
            "SELECT p.id, p.parent_id, p.kind, p.name,
                 (SELECT COUNT(*) FROM box x WHERE x.place_id = p.id),
                 (SELECT COUNT(*) FROM berkas b JOIN box x ON x.id = b.box_id
                  WHERE x.place_id = p.id AND {visible})
             FROM place p"
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map([], |r| {
            let id: String = r.get(0)?;
            let parent: Option<String> = r.get(1)?;
            Ok(Place {
                id: parse_id(r, 0, PlaceId::parse)?,
                parent: parent.as_deref().and_then(|p| PlaceId::parse(p).ok()),
                kind: place_kind(r, 2)?,
                name: r.get(3)?,
                path: map.path(Some(&id)),
                boxes: r.get(4)?,
                berkas: r.get(5)?,
            })
        })?;
        let mut list: Vec<Place> = rows.collect::<rusqlite::Result<_>>()?;
        // Each place counts what is below it too: a building holds what
        // its rooms and shelves hold.
        let direct: Vec<(Option<PlaceId>, u32, u32)> =
            list.iter().map(|p| (p.parent, p.boxes, p.berkas)).collect();
        for (parent, boxes, berkas) in direct {
            let mut at = parent;
            let mut depth = 0;
            while let Some(id) = at.filter(|_| depth < 8) {
                let Some(p) = list.iter_mut().find(|p| p.id == id) else {
                    break;
                };
                p.boxes += boxes;
                p.berkas += berkas;
                at = p.parent;
                depth += 1;
            }
        }
        list.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(list)
    }

    pub(crate) fn add_place(&mut self, new: &NewPlace, actor: &str) -> Result<PlaceId> {
        let name = checked_name("name", &new.name)?;
        let tx = self.write()?;
        if let Some(parent) = &new.parent {
            let kind: Option<String> = tx
                .query_row(
                    "SELECT kind FROM place WHERE id = ?1",
                    [parent.to_string()],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(kind) = kind else {
                return Err(Error::new(ErrorCode::NotFound, parent.to_string()));
            };
            // A ruang is in a gedung, a rak in either; never the other way.
            if PlaceKind::parse(&kind)? >= new.kind {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    format!("parent: a {} cannot hold a {kind}", new.kind.code()),
                ));
            }
        }
        let id = PlaceId::new();
        let parent = new.parent.map(|p| p.to_string());
        insert_place(&tx, &id, parent.as_deref(), new.kind, &name, actor)?;
        let path = places_in(&tx)?.path(Some(&id.to_string()));
        crate::audit::append(
            &tx,
            actor,
            "place.add",
            &id.to_string(),
            &format!("path={path}"),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Every box, by number, with the count of its berkas matching `visible`.
    pub(crate) fn boxes(&self, visible: &str) -> Result<Vec<ArchiveBox>> {
        self.boxes_where(visible, None)
    }

    pub(crate) fn archive_box(&self, id: &BoxId, visible: &str) -> Result<Option<ArchiveBox>> {
        Ok(self.boxes_where(visible, Some(id))?.pop())
    }

    fn boxes_where(&self, visible: &str, only: Option<&BoxId>) -> Result<Vec<ArchiveBox>> {
        let places = self.places_map()?;
        let one = if only.is_some() {
            "WHERE x.id = ?1"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {BOX_COLUMNS},
                 (SELECT COUNT(*) FROM berkas b WHERE b.box_id = x.id AND {visible})
             FROM box x {one} ORDER BY x.number"
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let params: Vec<String> = only.map(|id| id.to_string()).into_iter().collect();
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| box_row(r, &places))?;
        let mut list: Vec<ArchiveBox> = rows.collect::<rusqlite::Result<_>>()?;
        let loans = self.open_loans()?;
        for b in &mut list {
            b.on_loan = loans.get(&b.id.to_string()).cloned();
        }
        Ok(list)
    }

    /// The berkas in box `id` that match `visible`, by map number, each
    /// with its records that match `records_visible` (over `record r`).
    pub(crate) fn box_items(
        &self,
        id: &BoxId,
        visible: &str,
        records_visible: &str,
    ) -> Result<Vec<BoxItem>> {
        let sql = format!(
            "SELECT b.id, b.number, b.title, b.classification, b.year_from, b.year_to,
                 b.loc_folder, b.access,
                 (SELECT COUNT(*) FROM record r WHERE r.berkas_id = b.id AND {records_visible})
             FROM berkas b WHERE b.box_id = ?1 AND {visible}"
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map([id.to_string()], |r| {
            let access: String = r.get(7)?;
            Ok(BoxItem {
                id: parse_id(r, 0, BerkasId::parse)?,
                number: r.get(1)?,
                title: r.get(2)?,
                classification: r.get(3)?,
                year_from: r.get(4)?,
                year_to: r.get(5)?,
                folder: r.get(6)?,
                access: AccessLevel::parse(&access).unwrap_or(AccessLevel::SangatRahasia),
                records: r.get(8)?,
            })
        })?;
        let mut items: Vec<BoxItem> = rows.collect::<rusqlite::Result<_>>()?;
        items.sort_by(|a, b| {
            folder_order(a.folder.as_deref())
                .cmp(&folder_order(b.folder.as_deref()))
                .then_with(|| a.number.cmp(&b.number))
        });
        Ok(items)
    }

    /// Whether box `id` holds a berkas outside `visible` (over `berkas b`)
    /// or a record outside `records_visible` (over `record r`).
    pub(crate) fn box_hides(
        &self,
        id: &BoxId,
        visible: &str,
        records_visible: &str,
    ) -> Result<bool> {
        hides(self.conn(), &id.to_string(), visible, records_visible)
    }

    pub(crate) fn add_box(&mut self, new: &NewBox, actor: &str) -> Result<BoxId> {
        let number = checked_name("number", &new.number)?;
        let received_from = checked_optional("received_from", new.received_from.as_deref())?;
        let received_ref = checked_optional("received_ref", new.received_ref.as_deref())?;
        let received_on = checked_day(new.received_on.as_deref())?;
        let tx = self.write()?;
        if let Some(place) = &new.place {
            known(&tx, "place", &place.to_string())?;
        }
        let id = BoxId::new();
        let now = crate::clock::now_rfc3339();
        let condition = new.condition.unwrap_or(Condition::Baik);
        tx.execute(
            "INSERT INTO box (id, number, place_id, note, received_from, received_on, received_ref,
                condition, created_at, created_by, updated_at, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9, ?10)",
            rusqlite::params![
                id.to_string(),
                number,
                new.place.map(|p| p.to_string()),
                checked_note(new.note.as_deref())?,
                received_from,
                received_on,
                received_ref,
                condition.code(),
                now,
                actor,
            ],
        )
        .map_err(name_taken)?;
        let path = places_in(&tx)?.path(new.place.map(|p| p.to_string()).as_deref());
        let detail = format!("number={number}; place={path}");
        crate::audit::append(&tx, actor, "box.add", &id.to_string(), &detail)?;
        tx.commit()?;
        Ok(id)
    }

    /// Changes a box: all of the edit or, on any error, none of it.
    /// Refused when the box holds what is outside `visible` (over `berkas
    /// b`) or `records_visible` (over `record r`), or a berkas on an open
    /// disposal list: what the list says of the box stays true.
    pub(crate) fn edit_box(
        &mut self,
        id: &BoxId,
        edit: &BoxEdit,
        (visible, records_visible): (&str, &str),
        actor: &str,
    ) -> Result<()> {
        let sid = id.to_string();
        let tx = self.write()?;
        handled_whole(&tx, &sid, (visible, records_visible))?;
        let mut changed = Vec::new();
        if let Some(number) = &edit.number {
            let number = checked_name("number", number)?;
            tx.execute("UPDATE box SET number = ?1 WHERE id = ?2", (&number, &sid))
                .map_err(name_taken)?;
            // The box's number travels with the berkas in it.
            super::berkas::berkas_changed(&tx, "b.box_id = ?1", &sid)?;
            changed.push(format!("number={number}"));
        }
        if let Some(place) = &edit.place {
            let place = match place.trim() {
                "" => None,
                p => Some(PlaceId::parse(p)?.to_string()),
            };
            if let Some(p) = &place {
                known(&tx, "place", p)?;
            }
            tx.execute("UPDATE box SET place_id = ?1 WHERE id = ?2", (&place, &sid))?;
            changed.push(format!("place={}", places_in(&tx)?.path(place.as_deref())));
        }
        if let Some(note) = &edit.note {
            tx.execute(
                "UPDATE box SET note = ?1 WHERE id = ?2",
                (checked_note(Some(note))?, &sid),
            )?;
            changed.push(String::from("note"));
        }
        if let Some(day) = &edit.received_on {
            let day = checked_day(Some(day))?;
            tx.execute(
                "UPDATE box SET received_on = ?1 WHERE id = ?2",
                (&day, &sid),
            )?;
            changed.push(format!("received_on={}", day.unwrap_or_default()));
        }
        for (column, value) in [
            ("received_from", &edit.received_from),
            ("received_ref", &edit.received_ref),
        ] {
            if let Some(v) = value {
                let v = checked_optional(column, Some(v))?;
                tx.execute(
                    &format!("UPDATE box SET {column} = ?1 WHERE id = ?2"),
                    (&v, &sid),
                )?;
                changed.push(format!("{column}={}", v.unwrap_or_default()));
            }
        }
        if let Some(c) = edit.condition {
            tx.execute(
                "UPDATE box SET condition = ?1 WHERE id = ?2",
                (c.code(), &sid),
            )?;
            changed.push(format!("condition={}", c.code()));
        }
        if changed.is_empty() {
            return Ok(());
        }
        tx.execute(
            "UPDATE box SET updated_at = ?1, updated_by = ?2 WHERE id = ?3",
            (crate::clock::now_rfc3339(), actor, &sid),
        )?;
        crate::audit::append(&tx, actor, "box.edit", &sid, &changed.join("; "))?;
        tx.commit()?;
        Ok(())
    }
}

/// Refuses a box one may not read all of (AccessDenied).
pub(super) fn whole(
    tx: &Transaction,
    id: &str,
    (visible, records_visible): (&str, &str),
) -> Result<()> {
    if hides(tx, id, visible, records_visible)? {
        return Err(Error::new(
            ErrorCode::AccessDenied,
            "box: holds more than the clearance",
        ));
    }
    Ok(())
}

/// A box that exists, that one may read all of, and none of whose berkas
/// is on an open disposal list: what is done to it (moved, lent) is done
/// to all of them, and a list's berkas stay where the list says.
pub(super) fn handled_whole(tx: &Transaction, id: &str, visible: (&str, &str)) -> Result<()> {
    known(tx, "box", id)?;
    whole(tx, id, visible)?;
    let held: Vec<String> = {
        let mut stmt = tx.prepare("SELECT id FROM berkas WHERE box_id = ?1")?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for b in &held {
        super::berkas::unlocked(tx, b)?;
    }
    Ok(())
}

fn hides(
    conn: &rusqlite::Connection,
    id: &str,
    visible: &str,
    records_visible: &str,
) -> Result<bool> {
    let sql = format!(
        "SELECT EXISTS (SELECT 1 FROM berkas b WHERE b.box_id = ?1 AND NOT ({visible}))
             OR EXISTS (SELECT 1 FROM record r JOIN berkas b ON b.id = r.berkas_id
                        WHERE b.box_id = ?1 AND r.deleted = 0 AND NOT ({records_visible}))"
    );
    Ok(conn.query_row(&sql, [id], |r| r.get(0))?)
}

/// The map number's order: 2 before 10, numbers before words.
fn folder_order(folder: Option<&str>) -> (u8, u64, String) {
    match folder.map(str::trim) {
        None | Some("") => (2, 0, String::new()),
        Some(f) => match f.parse::<u64>() {
            Ok(n) => (0, n, String::new()),
            Err(_) => (1, 0, f.to_string()),
        },
    }
}

pub(super) fn places_in(conn: &rusqlite::Connection) -> Result<Places> {
    let mut stmt = conn.prepare("SELECT id, parent_id, kind, name FROM place")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            (r.get(1)?, place_kind(r, 2)?, r.get(3)?),
        ))
    })?;
    Ok(Places(rows.collect::<rusqlite::Result<_>>()?))
}

fn insert_place(
    tx: &Transaction,
    id: &PlaceId,
    parent: Option<&str>,
    kind: PlaceKind,
    name: &str,
    actor: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO place (id, parent_id, kind, name, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        rusqlite::params![
            id.to_string(),
            parent,
            kind.code(),
            name,
            crate::clock::now_rfc3339(),
            actor
        ],
    )
    .map_err(name_taken)?;
    Ok(())
}

/// A place or box (`table`) that exists: NotFound otherwise.
pub(super) fn known(tx: &Transaction, table: &str, id: &str) -> Result<()> {
    let found: bool = tx.query_row(
        &format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"),
        [id],
        |r| r.get(0),
    )?;
    if found {
        Ok(())
    } else {
        Err(Error::new(ErrorCode::NotFound, id.to_string()))
    }
}

/// The box `number` names (as the terminal gives it), if any.
pub(crate) fn box_numbered(conn: &rusqlite::Connection, number: &str) -> Result<Option<BoxId>> {
    let id: Option<String> = conn
        .query_row(
            "SELECT id FROM box WHERE number = ?1",
            [number.trim()],
            |r| r.get(0),
        )
        .optional()?;
    id.map(|i| BoxId::parse(&i)).transpose()
}

/// A number or name as typed, made printable: invisible and control
/// characters out, spaces collapsed, no "›" (it separates a path), not
/// an id, at most `MAX_NAME_CHARS`.
fn checked_name(field: &str, v: &str) -> Result<String> {
    let v = crate::privacy::visible_text(v, false);
    let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
    if v.is_empty() || v.chars().count() > MAX_NAME_CHARS {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("{field}: 1 to {MAX_NAME_CHARS} characters"),
        ));
    }
    if v.contains('›') || BoxId::parse(&v).is_ok() {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("{field}: no '›', not an id"),
        ));
    }
    Ok(v)
}

/// An optional short text (who handed a box over, the berita acara's
/// number): printable, at most `MAX_NAME_CHARS`; None when blank.
fn checked_optional(field: &str, v: Option<&str>) -> Result<Option<String>> {
    match v.map(|v| crate::privacy::visible_text(v, false)) {
        Some(v) if !v.trim().is_empty() => checked_name(field, &v).map(Some),
        _ => Ok(None),
    }
}

/// A duplicate box number or place name, said as such.
fn name_taken(e: rusqlite::Error) -> Error {
    match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Error::new(ErrorCode::NameTaken, "")
        }
        other => other.into(),
    }
}

pub(super) fn checked_note(v: Option<&str>) -> Result<String> {
    let v = v.unwrap_or_default().trim().to_string();
    if v.chars().count() > MAX_NOTE_CHARS {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("note: at most {MAX_NOTE_CHARS} characters"),
        ));
    }
    Ok(v)
}

fn checked_day(v: Option<&str>) -> Result<Option<String>> {
    match blank_none(v) {
        None => Ok(None),
        Some(d) => Ok(Some(crate::retention::parse_day(d)?.to_string())),
    }
}

fn blank_none(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|v| !v.is_empty())
}

/// Migration 15: the berkas' free-text building, shelf and box become
/// places and boxes, and the text columns go. Places are told apart by
/// their parent, kind and name; a box number found at two places is one
/// box at the first and "NUMBER (PATH)" at the others; a berkas with a
/// place but no box number gets the box "PATH (tanpa nomor boks)". Blank
/// or invisible text counts as none; names are cut to the length new
/// ones may have.
pub(super) fn adopt_free_text(tx: &Transaction) -> Result<()> {
    // Each berkas with its building, shelf and box, as typed.
    type Typed = (String, Option<String>, Option<String>, Option<String>);
    let rows: Vec<Typed> = {
        let mut stmt = tx.prepare(
            "SELECT id, loc_building, loc_shelf, loc_box FROM berkas
             WHERE COALESCE(loc_building, loc_shelf, loc_box) IS NOT NULL ORDER BY number",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let actor = "migrasi";
    let clean = |v: Option<String>| -> Option<String> {
        let v = crate::privacy::visible_text(&v?, false).replace('›', "-");
        let v: String = v
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(MAX_NAME_CHARS)
            .collect();
        Some(v).filter(|v| !v.is_empty())
    };
    // (parent, kind, lower-case name) → id; and box number (lower case)
    // → (place, id): SQLite compares both without case.
    let mut places: HashMap<(Option<String>, PlaceKind, String), String> = HashMap::new();
    let mut boxes: HashMap<String, (Option<String>, String)> = HashMap::new();
    for (berkas, building, shelf, number) in rows {
        let mut parent: Option<String> = None;
        for (kind, name) in [
            (PlaceKind::Gedung, clean(building)),
            (PlaceKind::Rak, clean(shelf)),
        ] {
            let Some(mut name) = name else { continue };
            // A shelf named like a building beside it is "NAME (rak)": a
            // path names one place.
            let clash = places
                .keys()
                .any(|(p, k, n)| *p == parent && *k != kind && *n == name.to_lowercase());
            if clash {
                name = format!("{name} ({})", kind.code());
            }
            let key = (parent.clone(), kind, name.to_lowercase());
            let id = match places.get(&key) {
                Some(id) => id.clone(),
                None => {
                    let id = PlaceId::new();
                    insert_place(tx, &id, parent.as_deref(), kind, &name, actor)?;
                    places.insert(key, id.to_string());
                    id.to_string()
                }
            };
            parent = Some(id);
        }
        let path = places_in(tx)?.path(parent.as_deref());
        let wanted = match clean(number) {
            Some(n) => n,
            None if path.is_empty() => continue,
            None => format!("{path} (tanpa nomor boks)"),
        };
        // The first free or matching number of: N, "N (PATH)", "N (PATH) 2", …
        let mut candidates = vec![wanted.clone()];
        if !path.is_empty() {
            candidates.push(format!("{wanted} ({path})"));
        }
        let mut box_id = None;
        for n in 0.. {
            let number = match candidates.get(n) {
                Some(c) => c.clone(),
                None => format!("{} {}", candidates[candidates.len() - 1], n),
            };
            match boxes.get(&number.to_lowercase()) {
                Some((p, id)) if *p == parent => {
                    box_id = Some(id.clone());
                    break;
                }
                Some(_) => continue,
                None => {
                    box_id = Some(new_box(tx, &mut boxes, &number, parent.clone(), actor)?);
                    break;
                }
            }
        }
        tx.execute(
            "UPDATE berkas SET box_id = ?1 WHERE id = ?2",
            (&box_id, &berkas),
        )?;
    }
    tx.execute_batch(
        "ALTER TABLE berkas DROP COLUMN loc_building;
         ALTER TABLE berkas DROP COLUMN loc_shelf;
         ALTER TABLE berkas DROP COLUMN loc_box;",
    )?;
    Ok(())
}

fn new_box(
    tx: &Transaction,
    boxes: &mut HashMap<String, (Option<String>, String)>,
    number: &str,
    place: Option<String>,
    actor: &str,
) -> Result<String> {
    let id = BoxId::new().to_string();
    let now = crate::clock::now_rfc3339();
    tx.execute(
        "INSERT INTO box (id, number, place_id, created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?5)",
        (&id, number, &place, &now, actor),
    )?;
    boxes.insert(number.to_lowercase(), (place, id.clone()));
    Ok(id)
}
