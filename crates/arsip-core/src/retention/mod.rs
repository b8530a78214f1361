//! The life of the archive's berkas under the retention schedule (JRA):
//! berkas made, described and filed into by archivists, their JRA row
//! confirmed by a person, and the lists of what falls due for transfer,
//! destruction assessment, handover or a new assessment. Berkas and the
//! schedule are staff's: the public sees neither.

pub mod plan;

use crate::access::Clearance;
use crate::archive::Archive;
use crate::catalogue::berkas::{Berkas, BerkasEdit, JraRow, NewBerkas};
use crate::error::{Error, ErrorCode, Result};
use crate::ids::BerkasId;
use plan::Due;

/// What falls due on a day, for the berkas one reader may read.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct RetentionReport {
    /// The day the report is for (YYYY-MM-DD, the office's date).
    pub on: String,
    /// Due for transfer to the records centre (pemindahan).
    pub transfer: Vec<Berkas>,
    /// Due for destruction assessment (usul musnah).
    pub assess: Vec<Berkas>,
    /// Due for handover as static archives (penyerahan).
    pub handover: Vec<Berkas>,
    /// Due for a new assessment (dinilai kembali).
    pub review: Vec<Berkas>,
    /// Permanent berkas (their JRA row confirmed), due or not.
    pub permanent: u64,
    /// Berkas whose JRA row no person has confirmed: nothing is computed
    /// for them until one is.
    pub unconfirmed: Vec<Berkas>,
    /// Berkas with a confirmed row but no closing year.
    pub undated: Vec<Berkas>,
    /// Records the reader may read that are in no berkas.
    pub unfiled: u64,
    /// How many berkas fall due for something (the four lists together).
    pub due: u64,
    /// Berkas other offices sent (at a province), left out of every list:
    /// they fall due at their office.
    pub others: u64,
}

impl RetentionReport {
    /// The counts without the lists (what a notice needs).
    pub fn brief(mut self) -> RetentionReport {
        for list in [
            &mut self.transfer,
            &mut self.assess,
            &mut self.handover,
            &mut self.review,
            &mut self.unconfirmed,
            &mut self.undated,
        ] {
            list.clear();
        }
        self
    }
}

/// A day as `YYYY-MM-DD`.
pub fn parse_day(s: &str) -> Result<time::Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s.trim(), format)
        .ok()
        // Years an archive's days can be in (as berkas years are checked).
        .filter(|d| (1900..=2200).contains(&d.year()))
        .ok_or_else(|| Error::new(ErrorCode::InvalidInput, format!("date '{s}' (YYYY-MM-DD)")))
}

impl Archive {
    /// Today where the office is.
    pub(crate) fn office_today(&self) -> Result<time::Date> {
        let office = self.with_catalogue(|c| c.office())?;
        Ok(crate::clock::today(crate::clock::office_offset(
            &office.region_code,
        )))
    }

    /// Every berkas the reader may read, by number, each with its
    /// schedule as of today (staff only).
    pub fn berkas_list(&self, clearance: &Clearance) -> Result<Vec<Berkas>> {
        self.berkas_on(self.office_today()?, clearance)
    }

    /// Every berkas the reader may read, scheduled on `day`.
    fn berkas_on(&self, day: time::Date, clearance: &Clearance) -> Result<Vec<Berkas>> {
        clearance.require_staff()?;
        let (visible, records) = (clearance.classes_sql("b"), clearance.visible_sql());
        let list = self.with_catalogue(|c| c.berkas_list(&visible, &records))?;
        Ok(list.into_iter().map(|b| scheduled(b, day)).collect())
    }

    /// One berkas, when the reader may read it (NotFound otherwise).
    pub fn berkas(&self, id: &BerkasId, clearance: &Clearance) -> Result<Berkas> {
        clearance.require_staff()?;
        let today = self.office_today()?;
        let (visible, records) = (clearance.classes_sql("b"), clearance.visible_sql());
        self.with_catalogue(|c| c.berkas(id, &visible, &records))?
            .map(|b| scheduled(b, today))
            .ok_or_else(|| Error::new(ErrorCode::NotFound, id.to_string()))
    }

    /// Makes a berkas (archivists and admins, in a class they read).
    pub fn add_berkas(&self, new: &NewBerkas, clearance: &Clearance) -> Result<Berkas> {
        clearance.require_catalogue()?;
        let id = self.with_catalogue(|c| c.add_berkas(new, clearance))?;
        self.berkas(&id, clearance)
    }

    /// Changes a berkas, confirms its JRA row, moves it between active and
    /// inactive (archivists and admins, on a berkas they read).
    pub fn edit_berkas(
        &self,
        id: &BerkasId,
        edit: &BerkasEdit,
        clearance: &Clearance,
    ) -> Result<Berkas> {
        clearance.require_catalogue()?;
        self.with_catalogue(|c| c.edit_berkas(id, edit, clearance))?;
        self.berkas(id, clearance)
    }

    /// The retention schedule as the archive holds it (staff only).
    pub fn jra(&self, clearance: &Clearance) -> Result<Vec<JraRow>> {
        clearance.require_staff()?;
        self.with_catalogue(|c| c.jra())
    }

    /// Imports the office's retention schedule from CSV, the columns of
    /// `assets/vocab/jra.csv` (the admin's): every row or, on an error
    /// named with its line, none. Rows of codes not in it stay.
    pub fn import_jra(&self, csv: &str, clearance: &Clearance) -> Result<usize> {
        clearance.require_admin()?;
        self.with_catalogue(|c| {
            c.import_vocabulary(
                crate::catalogue::vocab::Vocabulary::Jra,
                csv,
                clearance.actor(),
            )
        })
    }

    /// What falls due on `on` (today where the office is, when None) among
    /// the berkas the reader may read, soonest first (staff only).
    pub fn retention_report(
        &self,
        on: Option<time::Date>,
        clearance: &Clearance,
    ) -> Result<RetentionReport> {
        let on = match on {
            Some(day) => day,
            None => self.office_today()?,
        };
        let all = self.berkas_on(on, clearance)?;
        let unfiled = {
            let visible = clearance.visible_sql();
            self.with_catalogue(|c| c.unfiled(&visible))?
        };
        let mut report = RetentionReport {
            on: on.to_string(),
            transfer: Vec::new(),
            assess: Vec::new(),
            handover: Vec::new(),
            review: Vec::new(),
            permanent: 0,
            unconfirmed: Vec::new(),
            undated: Vec::new(),
            unfiled,
            due: 0,
            others: 0,
        };
        // Another office's berkas (at a province) fall due at that office.
        let (own, others): (Vec<Berkas>, Vec<Berkas>) =
            all.into_iter().partition(|b| b.office.is_none());
        report.others = others.len() as u64;
        for b in own {
            let Some(row) = &b.jra else {
                report.unconfirmed.push(b);
                continue;
            };
            if row.outcome == "permanen" {
                report.permanent += 1;
            }
            let Some(schedule) = &b.schedule else {
                report.undated.push(b);
                continue;
            };
            match schedule.due {
                Due::None => {}
                Due::Transfer => report.transfer.push(b),
                Due::Assess => report.assess.push(b),
                Due::Handover => report.handover.push(b),
                Due::Review => report.review.push(b),
            }
        }
        for list in [
            &mut report.transfer,
            &mut report.assess,
            &mut report.handover,
            &mut report.review,
        ] {
            sort_due(list);
            report.due += list.len() as u64;
        }
        Ok(report)
    }
}

/// A berkas with its schedule on `day`: only with a confirmed row and a
/// closing year (its first year is no closing year: a berkas without one
/// is listed as undated, never counted from an earlier year).
fn scheduled(mut b: Berkas, day: time::Date) -> Berkas {
    b.schedule = match (&b.jra, b.year_to) {
        (Some(row), Some(closing)) => Some(plan::schedule(closing, row, b.stage, day)),
        _ => None,
    };
    b
}

/// Soonest due first, then by number.
fn sort_due(list: &mut [Berkas]) {
    let key = |b: &Berkas| {
        let s = b.schedule.as_ref();
        let day = match s.map(|s| s.due) {
            Some(Due::Transfer) => s.map(|s| s.transfer_on.clone()),
            _ => s.map(|s| s.final_on.clone()),
        };
        (day.unwrap_or_default(), b.number.clone())
    };
    list.sort_by_key(key);
}
