//! The review queue: records read in from their text (ingest, the watched
//! folder) wait here until a person has looked at what was suggested for
//! them, accepting it or not. A person's edit of a record is a review too.

use super::records::{edit_in, writable, RecordEdit};
use super::Catalogue;
use crate::access::Clearance;
use crate::error::Result;
use crate::ids::RecordId;

pub(crate) const SCHEMA: &str = r#"
ALTER TABLE record ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 1;
CREATE INDEX record_unreviewed ON record(created_at) WHERE reviewed = 0;
"#;

/// A record waiting for review, with what was read from its text.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct ReviewItem {
    pub id: RecordId,
    pub title: String,
    pub created_at: String,
    pub created_by: String,
    pub pages: u32,
    pub personal_data: bool,
    /// (field, value) read from the text, for fields the record has empty.
    pub suggestions: Vec<(String, String)>,
}

/// The fields a suggestion may fill (the title was set from it at ingest).
const SUGGESTED: [&str; 7] = [
    "doc_type",
    "election",
    "doc_date",
    "number",
    "region",
    "tps",
    "classification",
];

impl Catalogue {
    /// How many records `visible` (SQL over `record r`) reaches wait for review.
    pub(crate) fn review_count(&self, visible: &str) -> Result<u64> {
        let n: i64 = self.conn().query_row(
            &format!("SELECT COUNT(*) FROM record r WHERE r.reviewed = 0 AND {visible}"),
            [],
            |r| r.get(0),
        )?;
        Ok(n.max(0) as u64)
    }

    /// The newest `limit` records waiting for review that `visible` reaches
    /// (what was just imported comes first).
    pub(crate) fn review_queue(&self, visible: &str, limit: usize) -> Result<Vec<ReviewItem>> {
        self.review_items(visible, None, limit)
    }

    /// One record waiting for review, when `visible` reaches it.
    pub(crate) fn review_queue_of(
        &self,
        id: &RecordId,
        visible: &str,
    ) -> Result<Option<ReviewItem>> {
        Ok(self.review_items(visible, Some(id), 1)?.pop())
    }

    fn review_items(
        &self,
        visible: &str,
        only: Option<&RecordId>,
        limit: usize,
    ) -> Result<Vec<ReviewItem>> {
        // The fields in SUGGESTED's order, read from column 6 on.
        let fields: Vec<String> = SUGGESTED.iter().map(|f| format!("r.{f}")).collect();
        let mut stmt = self.conn().prepare(&format!(
            "SELECT r.id, r.title, r.created_at, r.created_by, r.personal_data,
                 (SELECT COUNT(*) FROM page p WHERE p.record_id = r.id),
                 {}
             FROM record r WHERE r.reviewed = 0 AND {visible} AND (?2 IS NULL OR r.id = ?2)
             ORDER BY r.created_at DESC, r.id DESC LIMIT ?1",
            fields.join(", ")
        ))?;
        let only = only.map(|i| i.to_string());
        let rows = stmt.query_map(rusqlite::params![limit as i64, only], |r| {
            let mut filled = Vec::new();
            for (i, field) in SUGGESTED.iter().enumerate() {
                let v: Option<String> = r.get(6 + i)?;
                if v.is_some_and(|v| !v.is_empty()) {
                    filled.push(*field);
                }
            }
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, bool>(4)?,
                r.get::<_, u32>(5)?,
                filled,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, title, created_at, created_by, personal_data, pages, filled) = row?;
            let id = RecordId::parse(&id)?;
            let suggestions = self
                .suggestions(&id)?
                .into_iter()
                .filter(|(f, _)| SUGGESTED.contains(&f.as_str()) && !filled.contains(&f.as_str()))
                .collect();
            out.push(ReviewItem {
                id,
                title,
                created_at,
                created_by,
                pages,
                personal_data,
                suggestions,
            });
        }
        Ok(out)
    }

    /// Reviews records in one transaction, all or none: each one's edit
    /// (the suggestions accepted, or none) applied, and the record marked
    /// reviewed. Returns how many left the queue.
    pub(crate) fn review_records(
        &mut self,
        items: &[(RecordId, RecordEdit)],
        clearance: &Clearance,
    ) -> Result<usize> {
        let tx = self.write()?;
        let mut count = 0;
        for (id, edit) in items {
            let sid = id.to_string();
            writable(&tx, &sid, clearance)?;
            let waiting: bool = tx.query_row(
                "SELECT reviewed = 0 FROM record WHERE id = ?1",
                [&sid],
                |r| r.get(0),
            )?;
            if !waiting {
                continue;
            }
            edit_in(&tx, &sid, edit, clearance)?;
            tx.execute("UPDATE record SET reviewed = 1 WHERE id = ?1", [&sid])?;
            crate::audit::append(&tx, clearance.actor(), "record.review", &sid, "")?;
            count += 1;
        }
        tx.commit()?;
        Ok(count)
    }
}

/// The edit that accepts a record's suggestions for fields it has empty.
pub(crate) fn accepting(item: &ReviewItem) -> RecordEdit {
    suggested_edit(&item.suggestions)
}

/// The edit that would set every field a suggestion names (the title too,
/// when one is among them).
pub(crate) fn suggested_edit(suggestions: &[(String, String)]) -> RecordEdit {
    let get = |k: &str| {
        suggestions
            .iter()
            .find(|(f, _)| f == k)
            .map(|(_, v)| v.clone())
    };
    RecordEdit {
        title: get("title"),
        doc_type: get("doc_type"),
        election: get("election"),
        doc_date: get("doc_date"),
        number: get("number"),
        region: get("region"),
        tps: get("tps"),
        classification: get("classification"),
        ..RecordEdit::default()
    }
}
