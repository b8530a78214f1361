//! Public metadata for harvesters (the OAI-PMH provider in arsip-api): the
//! records a clearance may read, oldest change first, a page at a time after
//! a cursor (the last record's change time and id), so a harvest stays
//! complete and without repeats while staff keep cataloguing: an edited
//! record moves to the end, where the harvest will still reach it.

use crate::access::Clearance;
use crate::archive::Archive;
use crate::error::{Error, ErrorCode, Result};
use crate::handover::Labels;
use crate::ids::RecordId;
use crate::model::Record;
use crate::redact::Redact;
use rusqlite::params;

/// Which records, and where the page starts.
#[derive(Debug, Clone, Default)]
pub struct HarvestQuery {
    /// Changed at or after this time (`YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ`).
    pub from: Option<String>,
    /// Changed at or before this time.
    pub until: Option<String>,
    /// Only this series (by its number, as `series_sets` gives it).
    pub series: Option<i64>,
    /// Continue after this record: its change time and id.
    pub after: Option<(String, String)>,
    pub limit: usize,
}

/// A record with the names a Dublin Core description needs.
#[derive(Debug, Clone)]
pub struct Harvested {
    pub record: Record,
    pub doc_type: Option<String>,
    pub election: Option<String>,
    pub region: Option<String>,
    pub access: String,
    pub media_types: Vec<String>,
    /// The office that holds the record (at a province, the one it came from).
    pub office: String,
    pub series_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct HarvestPage {
    pub records: Vec<Harvested>,
    /// Records matching the query from its start (for `completeListSize`).
    pub total: usize,
    /// True when more records follow this page.
    pub more: bool,
}

/// Dates as OAI-PMH writes them: UTC, to the second.
fn bound(date: &str, end_of_day: bool) -> Result<String> {
    let bad = || Error::new(ErrorCode::InvalidInput, format!("date '{date}'"));
    match date.len() {
        10 if time::Date::parse(
            date,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .is_ok() =>
        {
            Ok(format!(
                "{date}T{}Z",
                if end_of_day { "23:59:59" } else { "00:00:00" }
            ))
        }
        20 if time::OffsetDateTime::parse(date, &time::format_description::well_known::Rfc3339)
            .is_ok()
            && date.ends_with('Z') =>
        {
            Ok(date.to_string())
        }
        _ => Err(bad()),
    }
}

impl Archive {
    /// One page of the records `clearance` may read, in change order.
    pub fn harvest(&self, q: &HarvestQuery, clearance: &Clearance) -> Result<HarvestPage> {
        let from = q.from.as_deref().map(|d| bound(d, false)).transpose()?;
        let until = q.until.as_deref().map(|d| bound(d, true)).transpose()?;
        let (after_at, after_id) = q.after.clone().unwrap_or_default();
        let (ids, total) = self.with_catalogue(|c| {
            let conn = c.conn();
            let filter = format!(
                "FROM record r WHERE {}
                   AND (?1 IS NULL OR r.updated_at >= ?1) AND (?2 IS NULL OR r.updated_at <= ?2)
                   AND (?3 IS NULL OR r.series_id = ?3)",
                clearance.visible_sql()
            );
            let total: i64 = conn.query_row(
                &format!("SELECT COUNT(*) {filter}"),
                params![from, until, q.series],
                |r| r.get(0),
            )?;
            let mut stmt = conn.prepare(&format!(
                "SELECT r.id {filter} AND (r.updated_at, r.id) > (?4, ?5)
                 ORDER BY r.updated_at, r.id LIMIT ?6"
            ))?;
            let ids = stmt
                .query_map(
                    params![
                        from,
                        until,
                        q.series,
                        after_at,
                        after_id,
                        q.limit as i64 + 1
                    ],
                    |r| r.get::<_, String>(0),
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok((ids, total as usize))
        })?;
        let more = ids.len() > q.limit;
        // The names of codes are looked up once per page, not once per record.
        let labels = self.with_catalogue(|c| Ok(Labels::new(&c.vocabularies()?)))?;
        let mut records = Vec::new();
        for id in ids.iter().take(q.limit) {
            records.push(self.harvested_with(&RecordId::parse(id)?, clearance, &labels)?);
        }
        Ok(HarvestPage {
            records,
            total,
            more,
        })
    }

    /// One record for a harvester; not found when the clearance may not read it.
    pub fn harvested(&self, id: &RecordId, clearance: &Clearance) -> Result<Harvested> {
        let labels = self.with_catalogue(|c| Ok(Labels::new(&c.vocabularies()?)))?;
        self.harvested_with(id, clearance, &labels)
    }

    fn harvested_with(
        &self,
        id: &RecordId,
        clearance: &Clearance,
        labels: &Labels,
    ) -> Result<Harvested> {
        let not_found = || Error::new(ErrorCode::NotFound, id.to_string());
        let (record, files, (office, series_id)) = self.with_catalogue(|c| {
            let place: (String, Option<i64>) = c
                .conn()
                .query_row(
                    "SELECT COALESCE((SELECT p.name FROM peer p WHERE p.key = r.office),
                                     (SELECT name FROM office WHERE id = 1)), r.series_id
                     FROM record r WHERE r.id = ?1",
                    [id.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap_or_default();
            Ok((c.record(id)?, c.files(id)?, place))
        })?;
        let record = record
            .filter(|r| clearance.can_read(r.access))
            .ok_or_else(not_found)?
            .redact(clearance);
        let name =
            |kind, code: &Option<String>| Some(labels.name(kind, code)).filter(|n| !n.is_empty());
        Ok(Harvested {
            doc_type: name("doc_type", &record.doc_type),
            election: name("election", &record.election),
            region: name("region", &record.region),
            access: labels.name("access", &Some(record.access.code().to_string())),
            media_types: files.into_iter().map(|f| f.media_type).collect(),
            office,
            series_id,
            record,
        })
    }

    /// The oldest change time among the records the clearance may read.
    pub fn harvest_earliest(&self, clearance: &Clearance) -> Result<Option<String>> {
        self.with_catalogue(|c| {
            Ok(c.conn().query_row(
                &format!(
                    "SELECT MIN(r.updated_at) FROM record r WHERE {}",
                    clearance.visible_sql()
                ),
                [],
                |r| r.get(0),
            )?)
        })
    }

    /// The series holding a record `clearance` may read, as harvest sets:
    /// (number, name), names as it may read them.
    pub fn series_sets(&self, clearance: &Clearance) -> Result<Vec<(i64, String)>> {
        let sets: Vec<(i64, String)> = self.with_catalogue(|c| {
            let mut stmt = c.conn().prepare(&format!(
                "SELECT DISTINCT s.id, s.name FROM series s JOIN record r ON r.series_id = s.id
                 WHERE {} ORDER BY s.name, s.id",
                clearance.visible_sql()
            ))?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })?;
        Ok(sets
            .into_iter()
            .map(|(id, name)| (id, name.redact(clearance)))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::bound;

    #[test]
    fn harvest_dates() {
        assert_eq!(
            bound("2024-02-14", false).ok().as_deref(),
            Some("2024-02-14T00:00:00Z")
        );
        assert_eq!(
            bound("2024-02-14", true).ok().as_deref(),
            Some("2024-02-14T23:59:59Z")
        );
        assert_eq!(
            bound("2024-02-14T10:00:00Z", true).ok().as_deref(),
            Some("2024-02-14T10:00:00Z")
        );
        for bad in ["2024-02-30", "14-02-2024", "2024-02-14T10:00:00+07:00", ""] {
            assert!(bound(bad, false).is_err(), "{bad}");
        }
    }
}
