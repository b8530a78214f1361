//! When a berkas falls due under its retention schedule row, computed from
//! its closing year and today's date alone (no clock of its own, so tests
//! and the report name any day).
//!
//! The clock runs from the end of the closing year: a berkas closed in
//! 2024 under a row of 2 years active and 10 inactive is kept active
//! through 2026 (transfer due 1 January 2027) and inactive through 2036
//! (its outcome due 1 January 2037).

use crate::catalogue::berkas::{JraRow, Stage};
use time::{Date, Month};

/// What a berkas is due for on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Due {
    /// Nothing yet (or its life is over: handed over or destroyed).
    None,
    /// Its active years are over: move it to the records centre (pemindahan).
    Transfer,
    /// Its years are over and the schedule says destroy: propose it for
    /// assessment (usul musnah).
    Assess,
    /// Its years are over and it is permanent: hand it to the regional
    /// archive office (penyerahan arsip statis).
    Handover,
    /// Its years are over and the schedule says assess again (dinilai
    /// kembali), or names an outcome this archive does not know.
    Review,
}

/// A berkas's dates under its row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Schedule {
    pub closing_year: i32,
    /// The first day after its active years (YYYY-MM-DD).
    pub transfer_on: String,
    /// The first day after its inactive years: its outcome is due.
    pub final_on: String,
    pub due: Due,
}

/// The first of January of `year`, clamped to the calendar `time` knows.
fn new_year(year: i64) -> Date {
    let year = year.clamp(-9999, 9999) as i32;
    Date::from_calendar_date(year, Month::January, 1).unwrap_or(Date::MIN)
}

/// The schedule of a berkas closed in `closing_year` under `row`, now at
/// `stage`, on `today`.
pub fn schedule(closing_year: i32, row: &JraRow, stage: Stage, today: Date) -> Schedule {
    let active_end = i64::from(closing_year) + i64::from(row.active_years);
    let transfer_on = new_year(active_end + 1);
    let final_on = new_year(active_end + i64::from(row.inactive_years) + 1);
    let due = match stage {
        Stage::Statis | Stage::Musnah => Due::None,
        _ if today >= final_on => match row.outcome.as_str() {
            "musnah" => Due::Assess,
            "permanen" => Due::Handover,
            _ => Due::Review,
        },
        Stage::Aktif if today >= transfer_on => Due::Transfer,
        _ => Due::None,
    };
    Schedule {
        closing_year,
        transfer_on: transfer_on.to_string(),
        final_on: final_on.to_string(),
        due,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn row(active: u32, inactive: u32, outcome: &str) -> JraRow {
        JraRow {
            code: "PL.05".into(),
            series: "Logistik".into(),
            active_years: active,
            inactive_years: inactive,
            outcome: outcome.into(),
            note: String::new(),
        }
    }

    #[test]
    fn the_clock_runs_from_the_end_of_the_closing_year() {
        let r = row(2, 3, "musnah");
        let s = schedule(2024, &r, Stage::Aktif, date!(2026 - 12 - 31));
        assert_eq!(s.transfer_on, "2027-01-01");
        assert_eq!(s.final_on, "2030-01-01");
        assert_eq!(s.due, Due::None);
        let due = |stage, day| schedule(2024, &r, stage, day).due;
        assert_eq!(due(Stage::Aktif, date!(2027 - 01 - 01)), Due::Transfer);
        assert_eq!(due(Stage::Inaktif, date!(2027 - 01 - 01)), Due::None);
        assert_eq!(due(Stage::Inaktif, date!(2030 - 01 - 01)), Due::Assess);
        // Never moved, and both periods over: the outcome is what is due.
        assert_eq!(due(Stage::Aktif, date!(2031 - 06 - 01)), Due::Assess);
        assert_eq!(due(Stage::Musnah, date!(2031 - 06 - 01)), Due::None);
    }

    #[test]
    fn each_outcome_has_its_workflow() {
        let day = date!(2040 - 01 - 01);
        let due = |outcome| schedule(2024, &row(2, 10, outcome), Stage::Inaktif, day).due;
        assert_eq!(due("permanen"), Due::Handover);
        assert_eq!(due("musnah"), Due::Assess);
        assert_eq!(due("dinilai-kembali"), Due::Review);
        assert_eq!(
            due("sesuatu-baru"),
            Due::Review,
            "unknown: a person decides"
        );
        assert_eq!(
            schedule(2024, &row(2, 10, "permanen"), Stage::Statis, day).due,
            Due::None
        );
    }

    #[test]
    fn absurd_years_do_not_overflow() {
        let s = schedule(
            i32::MAX,
            &row(200, 200, "musnah"),
            Stage::Aktif,
            date!(2026 - 01 - 01),
        );
        assert_eq!(s.due, Due::None);
    }
}
