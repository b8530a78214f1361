//! The trash: records a person deleted. Their content stays (files, pages,
//! text) out of every list and search until an admin restores them or the
//! destruction of their berkas removes it with the rest of the berkas
//! (`disposal::destroy_in`); nothing else empties it. Records merged into
//! another (no pages of their own left), destroyed, or another office's
//! are not in it.

use super::Catalogue;
use crate::access::{AccessLevel, Clearance};
use crate::error::{Error, ErrorCode, Result};
use crate::ids::RecordId;
use rusqlite::OptionalExtension;

/// A record in the trash.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct TrashedRecord {
    pub id: RecordId,
    pub title: String,
    pub number: Option<String>,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub access: AccessLevel,
    /// The number of the berkas it was filed in.
    pub berkas: Option<String>,
    pub pages: u32,
    /// When and by whom it was deleted (RFC 3339, user name).
    pub deleted_at: String,
    pub deleted_by: String,
}

/// What makes a deleted record one in the trash.
pub(super) const IN_TRASH: &str = "r.deleted = 1 AND r.destroyed_in IS NULL AND r.office IS NULL
     AND EXISTS (SELECT 1 FROM page p WHERE p.record_id = r.id)";

impl Catalogue {
    /// The records in the trash the clearance reads, last deleted first.
    pub(crate) fn trash(&self, clearance: &Clearance) -> Result<Vec<TrashedRecord>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT r.id, r.title, r.number, r.doc_type, r.access, b.number,
                 (SELECT COUNT(*) FROM page p WHERE p.record_id = r.id), r.updated_at, r.updated_by
             FROM record r LEFT JOIN berkas b ON b.id = r.berkas_id
             WHERE {IN_TRASH} ORDER BY r.updated_at DESC, r.id"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get::<_, String>(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, title, number, doc_type, access, berkas, pages, at, by) = row?;
            let access = AccessLevel::parse(&access).unwrap_or(AccessLevel::SangatRahasia);
            if !clearance.can_read(access) {
                continue;
            }
            out.push(TrashedRecord {
                id: RecordId::parse(&id)?,
                title,
                number,
                doc_type,
                access,
                berkas,
                pages,
                deleted_at: at,
                deleted_by: by,
            });
        }
        Ok(out)
    }

    /// Takes record `id` out of the trash, as it was; refused while its
    /// berkas is on an open disposal list (the list froze its records).
    pub(crate) fn restore_record(&mut self, id: &RecordId, clearance: &Clearance) -> Result<()> {
        let actor = clearance.actor();
        let sid = id.to_string();
        let tx = self.write()?;
        let found: Option<(String, Option<String>)> = tx
            .query_row(
                &format!(
                    "SELECT r.access, r.berkas_id FROM record r WHERE r.id = ?1 AND {IN_TRASH}"
                ),
                [&sid],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let not_found = || Error::new(ErrorCode::NotFound, sid.clone());
        let (access, berkas) = found.ok_or_else(not_found)?;
        let level = AccessLevel::parse(&access).unwrap_or(AccessLevel::SangatRahasia);
        if !clearance.can_read(level) {
            return Err(not_found());
        }
        if let Some(b) = &berkas {
            super::berkas::unlocked(&tx, b)?;
        }
        tx.execute(
            "UPDATE record SET deleted = 0, version = version + 1, updated_at = ?1, updated_by = ?2
             WHERE id = ?3",
            (crate::clock::now_rfc3339(), actor, &sid),
        )?;
        super::records::record_change(&tx, &sid, "update")?;
        crate::audit::append(&tx, actor, "record.restore", &sid, "")?;
        tx.commit()?;
        Ok(())
    }
}
