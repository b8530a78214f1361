//! Loans (peminjaman): a berkas, or a whole box, lent to a person of a
//! unit until a day and returned with its condition; the list of what is
//! out, late on a given day; and the lending slip (*Bukti Peminjaman
//! Arsip*) both sign. Archivists and admins lend and take back, staff
//! read; a berkas's loan is seen by readers of its class, a box is lent
//! only by one who may read all it holds.

use crate::access::Clearance;
use crate::archive::Archive;
use crate::catalogue::loans::{Lent, Loan, LoanReturn, NewLoan};
use crate::error::{Error, ErrorCode, Result};
use crate::ids::LoanId;
use crate::print::formal::{head, place_and_date, Office};
use crate::print::layout::{Align, Column, Paper, Sheet, Style};

/// What is out (or was), on a day.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct LoanReport {
    /// The day late days are counted on (YYYY-MM-DD, the office's date).
    pub on: String,
    pub loans: Vec<Loan>,
    /// How many open loans are past their due day.
    pub overdue: u32,
}

impl Archive {
    /// Loans the reader may see, open ones first, late days counted on
    /// `on` (today where the office is, when None); only open ones when
    /// `open_only` (staff).
    pub fn loans(
        &self,
        on: Option<time::Date>,
        open_only: bool,
        clearance: &Clearance,
    ) -> Result<LoanReport> {
        clearance.require_staff()?;
        let on = match on {
            Some(d) => d,
            None => self.office_today()?,
        }
        .to_string();
        let visible = clearance.classes_sql("b");
        let loans = self.with_catalogue(|c| c.loans(&visible, open_only, &on))?;
        let overdue = loans.iter().filter(|l| l.days_late > 0).count() as u32;
        Ok(LoanReport { on, loans, overdue })
    }

    /// One loan the reader may see (staff).
    pub fn loan(&self, id: &LoanId, clearance: &Clearance) -> Result<Loan> {
        clearance.require_staff()?;
        let on = self.office_today()?.to_string();
        let visible = clearance.classes_sql("b");
        self.with_catalogue(|c| c.loan(id, &visible, &on))?
            .ok_or_else(|| Error::new(ErrorCode::NotFound, id.to_string()))
    }

    /// Lends a berkas the caller reads, or a box whose every berkas they
    /// read (archivists and admins), today or on the earlier day given.
    pub fn lend(&self, new: &NewLoan, clearance: &Clearance) -> Result<Loan> {
        clearance.require_catalogue()?;
        if let Some(b) = &new.berkas {
            self.berkas(b, clearance)?;
        }
        let today = self.office_today()?;
        let lent_on = match new
            .lent_on
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            Some(d) => crate::retention::parse_day(d)?,
            None => today,
        };
        if lent_on > today {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("lent_on: {lent_on} is after today"),
            ));
        }
        let (visible, records) = (clearance.classes_sql("b"), clearance.classes_sql("r"));
        let id = self.with_catalogue(|c| {
            c.lend(
                new,
                &lent_on.to_string(),
                (&visible, &records),
                clearance.actor(),
            )
        })?;
        self.loan(&id, clearance)
    }

    /// Takes a loan back, today, with its condition (archivists and
    /// admins who may see the loan).
    pub fn return_loan(
        &self,
        id: &LoanId,
        back: &LoanReturn,
        clearance: &Clearance,
    ) -> Result<Loan> {
        clearance.require_catalogue()?;
        self.loan(id, clearance)?;
        let today = self.office_today()?.to_string();
        let (visible, records) = (clearance.classes_sql("b"), clearance.classes_sql("r"));
        self.with_catalogue(|c| {
            c.return_loan(id, back, &today, (&visible, &records), clearance.actor())
        })?;
        self.loan(id, clearance)
    }

    /// The lending slip as PDF, dated the day it was lent (staff who may
    /// see the loan); a copy out of the archive, audited.
    pub fn loan_slip(&self, id: &LoanId, clearance: &Clearance) -> Result<Vec<u8>> {
        let loan = self.loan(id, clearance)?;
        let office = self.formal_office(&loan.lent_on)?;
        let items = match &loan.lent {
            Lent::Box { id, .. } => self.archive_box(id, clearance)?.berkas,
            Lent::Berkas { .. } => Vec::new(),
        };
        let pdf = slip_pdf(&loan, &items, &office)?;
        self.audit_always(clearance, "loan.slip", &id.to_string(), "")?;
        Ok(pdf)
    }
}

fn slip_pdf(
    loan: &Loan,
    items: &[crate::catalogue::storage::BoxItem],
    office: &Office,
) -> Result<Vec<u8>> {
    let title = "BUKTI PEMINJAMAN ARSIP";
    let mut doc = Sheet::new(Paper::A4, format!("{title} · {} · RPP Arsip", office.name));
    head(&mut doc, office, title, &format!("Nomor: {}", loan.id));
    let what = match &loan.lent {
        Lent::Berkas { number, title, .. } => format!("Berkas {number}: {title}"),
        Lent::Box { number, .. } => format!("Boks {number} ({} berkas)", items.len()),
    };
    let mut facts = vec![
        ("Yang dipinjam", what),
        ("Peminjam", loan.borrower.clone()),
        ("Unit kerja", loan.unit.clone()),
        ("Keperluan", loan.purpose.clone()),
        (
            "Tanggal pinjam",
            crate::print::formal::day_words(&loan.lent_on),
        ),
        (
            "Wajib kembali",
            crate::print::formal::day_words(&loan.due_on),
        ),
        ("Petugas", loan.lent_by.clone()),
    ];
    if let Some(back) = &loan.returned_on {
        let condition = loan.return_condition.map(|c| c.words()).unwrap_or("-");
        facts.push((
            "Dikembalikan",
            format!(
                "{}, kondisi {condition}",
                crate::print::formal::day_words(back)
            ),
        ));
    }
    crate::print::formal::facts(&mut doc, facts);
    if !items.is_empty() {
        doc.gap(12.0);
        doc.paragraph("Isi boks", Style::BODY.bold());
        let columns = [
            Column::new("No", 0.35).aligned(Align::Right),
            Column::new("Map", 0.45),
            Column::new("Nomor berkas", 1.9),
            Column::new("Uraian informasi berkas", 3.0),
        ];
        let rows: Vec<Vec<String>> = items
            .iter()
            .enumerate()
            .map(|(i, b)| {
                vec![
                    (i + 1).to_string(),
                    b.folder.clone().unwrap_or_default(),
                    b.number.clone(),
                    b.title.clone(),
                ]
            })
            .collect();
        doc.table(&columns, &rows, Style::SMALL, true);
    }
    doc.gap(12.0);
    doc.paragraph(
        "Peminjam bertanggung jawab atas keutuhan dan kerahasiaan arsip selama dipinjam dan mengembalikannya paling lambat pada tanggal di atas.",
        Style::BODY,
    );
    doc.gap(12.0);
    doc.paragraph(&place_and_date(office), Style::BODY.aligned(Align::Right));
    doc.gap(6.0);
    doc.signatures(&[
        ("Peminjam,", &loan.borrower),
        ("Petugas arsip,", &loan.lent_by),
    ]);
    doc.finish(title)
}
