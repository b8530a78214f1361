//! Pages moved between records: a document a scanner wrote as several files
//! and the import kept apart is merged, one that took in its neighbour's
//! pages is split. Pages move with their file (a file's pages stay together
//! and in order), so an original is always whole in one record.

use super::records::{flag_personal, record_change, writable};
use super::Catalogue;
use crate::access::Clearance;
use crate::error::{Error, ErrorCode, Result};
use crate::ids::RecordId;
use rusqlite::{params, OptionalExtension, Transaction};
use std::collections::BTreeSet;

/// The columns a record merged away fills where the record it joins has
/// none; a record split off takes these from the record it came from, and
/// `SPLIT_ALSO`.
const FILLED: [&str; 17] = [
    "description",
    "doc_type",
    "election",
    "stage",
    "doc_date",
    "number",
    "region",
    "tps",
    "classification",
    "retention",
    "retain_until",
    "loc_building",
    "loc_shelf",
    "loc_box",
    "loc_folder",
    "language",
    "series_id",
];

const SPLIT_ALSO: [&str; 2] = ["title", "access"];

impl Catalogue {
    /// Moves `pages` of record `from` (whole files only) to the end of
    /// record `to`, or into a new record with `from`'s fields when `to` is
    /// None. A record left without pages is deleted (merged into `to`,
    /// which takes its fields where it has none, and its tags).
    /// Both records must be readable by `clearance` and of the same access
    /// class: a move never shows a page to someone its class did not.
    /// Returns the record the pages are now in.
    pub fn move_pages(
        &mut self,
        from: &RecordId,
        pages: &[u32],
        to: Option<&RecordId>,
        clearance: &Clearance,
    ) -> Result<RecordId> {
        let actor = clearance.actor();
        let tx = self.write()?;
        let sfrom = from.to_string();
        let class = writable(&tx, &sfrom, clearance)?;
        refuse_replica(&tx, &sfrom)?;
        // A list on its way froze what its berkas hold, pages included.
        super::berkas::record_unlocked(&tx, &sfrom)?;
        if let Some(to) = to {
            if to == from {
                return Err(Error::new(ErrorCode::SameRecord, sfrom));
            }
            let sto = to.to_string();
            if writable(&tx, &sto, clearance)? != class {
                return Err(Error::new(
                    ErrorCode::AccessDiffers,
                    format!("{from} -> {to}"),
                ));
            }
            refuse_replica(&tx, &sto)?;
            super::berkas::record_unlocked(&tx, &sto)?;
        }
        let held = page_files(&tx, &sfrom)?;
        let wanted: BTreeSet<u32> = pages.iter().copied().collect();
        if wanted.is_empty() {
            return Err(Error::new(ErrorCode::InvalidInput, "no pages to move"));
        }
        if let Some(n) = wanted.iter().find(|n| !held.iter().any(|(m, _)| m == *n)) {
            return Err(Error::new(
                ErrorCode::NoSuchPage,
                format!("{from} page {n}"),
            ));
        }
        let files: BTreeSet<&str> = held
            .iter()
            .filter(|(n, _)| wanted.contains(n))
            .map(|(_, f)| f.as_str())
            .collect();
        if let Some((n, _)) = held
            .iter()
            .find(|(n, f)| files.contains(f.as_str()) && !wanted.contains(n))
        {
            return Err(Error::new(
                ErrorCode::PagesOfOneFile,
                format!("{from} page {n} shares a file with a page moved"),
            ));
        }
        let emptied = wanted.len() == held.len();
        if emptied && to.is_none() {
            return Err(Error::new(ErrorCode::SplitAll, sfrom));
        }
        let now = crate::clock::now_rfc3339();
        let target = match to {
            Some(to) => *to,
            None => {
                let id = RecordId::new();
                let sid = id.to_string();
                let copied = SPLIT_ALSO
                    .iter()
                    .chain(&FILLED)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ");
                tx.execute(
                    &format!(
                        "INSERT INTO record (id, {copied}, created_at, created_by, updated_at, updated_by)
                         SELECT ?1, {copied}, ?2, ?3, ?2, ?3 FROM record WHERE id = ?4"
                    ),
                    params![sid, now, actor, sfrom],
                )?;
                tx.execute(
                    "INSERT INTO record_tag (record_id, tag) SELECT ?1, tag FROM record_tag WHERE record_id = ?2",
                    (&sid, &sfrom),
                )?;
                id
            }
        };
        let sto = target.to_string();
        // A page refers to its file in its own record: the file's row for
        // the target comes first, the pages next, the old row last.
        for file in &files {
            tx.execute(
                "INSERT INTO file (sha256, record_id, media_type, size, original_name, original_path)
                 SELECT sha256, ?1, media_type, size, original_name, original_path FROM file
                 WHERE record_id = ?2 AND sha256 = ?3",
                (&sto, &sfrom, file),
            )?;
        }
        let mut next: u32 = tx.query_row(
            "SELECT COALESCE(MAX(number), 0) FROM page WHERE record_id = ?1",
            [&sto],
            |r| r.get(0),
        )?;
        for n in &wanted {
            next += 1;
            tx.execute(
                "UPDATE page SET record_id = ?1, number = ?2 WHERE record_id = ?3 AND number = ?4",
                params![sto, next, sfrom, n],
            )?;
        }
        for file in &files {
            tx.execute(
                "DELETE FROM file WHERE record_id = ?1 AND sha256 = ?2",
                (&sfrom, file),
            )?;
        }
        // The pages left are numbered on from 1, in their order (each new
        // number is at most the old, and the smaller ones are free by then).
        for (k, (n, _)) in held.iter().filter(|(n, _)| !wanted.contains(n)).enumerate() {
            tx.execute(
                "UPDATE page SET number = ?1 WHERE record_id = ?2 AND number = ?3",
                params![k as u32 + 1, sfrom, n],
            )?;
        }
        let moved: Vec<String> = wanted.iter().map(u32::to_string).collect();
        let mut detail = format!(
            "pages {} of {sfrom} -> {sto} ({} files)",
            moved.join(","),
            files.len()
        );
        if emptied {
            // What was catalogued of the record merged away is kept where
            // the record it joins has nothing, and named in the trail.
            let (title, number): (String, Option<String>) = tx.query_row(
                "SELECT title, number FROM record WHERE id = ?1",
                [&sfrom],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let fill: Vec<String> = FILLED
                .iter()
                .map(|c| {
                    format!(
                        "{c} = COALESCE(NULLIF({c}, ''), (SELECT {c} FROM record WHERE id = ?2))"
                    )
                })
                .collect();
            tx.execute(
                &format!("UPDATE record SET {} WHERE id = ?1", fill.join(", ")),
                (&sto, &sfrom),
            )?;
            // Its earlier content goes with its pages (a destruction of
            // the record it joined takes that too), numbered after that
            // record's own versions.
            tx.execute(
                "UPDATE record_version SET record_id = ?1,
                     n = n + (SELECT COALESCE(MAX(n), 0) FROM record_version WHERE record_id = ?1)
                 WHERE record_id = ?2",
                (&sto, &sfrom),
            )?;
            tx.execute(
                "INSERT OR IGNORE INTO record_tag (record_id, tag) SELECT ?1, tag FROM record_tag WHERE record_id = ?2",
                (&sto, &sfrom),
            )?;
            detail.push_str(&format!(
                "; merged \"{title}\"{}",
                number.map(|n| format!(" ({n})")).unwrap_or_default()
            ));
        }
        for (sid, kind) in [
            (&sfrom, if emptied { "delete" } else { "update" }),
            (&sto, if to.is_some() { "update" } else { "create" }),
        ] {
            tx.execute(
                "UPDATE record SET version = version + 1, updated_at = ?1, updated_by = ?2,
                     deleted = ?3 WHERE id = ?4",
                params![now, actor, kind == "delete", sid],
            )?;
            flag_personal(&tx, sid)?;
            super::recap::read_in(&tx, sid)?;
            record_change(&tx, sid, kind)?;
        }
        let action = if emptied {
            "record.merge"
        } else {
            "record.pages"
        };
        crate::audit::append(&tx, actor, action, &sfrom, &detail)?;
        crate::audit::append(&tx, actor, "record.pages", &sto, &detail)?;
        tx.commit()?;
        Ok(target)
    }
}

/// (page number, file) of a record's pages, in order.
fn page_files(tx: &Transaction, sid: &str) -> Result<Vec<(u32, String)>> {
    let mut stmt =
        tx.prepare("SELECT number, file_sha256 FROM page WHERE record_id = ?1 ORDER BY number")?;
    let rows = stmt.query_map([sid], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An office's record held at the province is changed at the office, and
/// reaches the province by sync.
fn refuse_replica(tx: &Transaction, sid: &str) -> Result<()> {
    let office: Option<String> = tx
        .query_row("SELECT office FROM record WHERE id = ?1", [sid], |r| {
            r.get(0)
        })
        .optional()?
        .flatten();
    match office {
        Some(_) => Err(Error::new(
            ErrorCode::AccessDenied,
            format!("{sid} belongs to an office; its pages are moved there"),
        )),
        None => Ok(()),
    }
}
