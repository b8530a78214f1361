//! Result tables before people (see `catalogue::recap`): the queue of
//! tables waiting to be checked, a table beside the crops its numbers were
//! read from, and a person's confirmation. Staff see a table as read and
//! as confirmed; the public only a confirmed one whose crops it may see,
//! and not who confirmed it (a staff member's login is no public fact,
//! and one more name for guessing a LAN login): a number read by OCR is
//! never shown to the public as a result, nor one without its paper.

use crate::access::Clearance;
use crate::archive::Archive;
use crate::catalogue::recap::{ConfirmRow, RecapTable, RecapWaiting};
use crate::error::{Error, ErrorCode, Result};
use crate::ids::RecordId;
use crate::redact::{mask_in_place, Redact};

/// Tables listed at once; the rest wait their turn.
const SHOWN: usize = 200;
/// Paper shown around a row's words in its crop, in view pixels.
const CROP_MARGIN: u32 = 12;

/// The tables waiting for a person, as one reader sees them.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct RecapQueue {
    pub total: u64,
    /// The oldest of them first.
    pub items: Vec<RecapWaiting>,
}

impl Archive {
    /// The tables waiting to be checked among the records the reader may
    /// read: archivists' and admins' work.
    pub fn recap_queue(&self, clearance: &Clearance) -> Result<RecapQueue> {
        clearance.require_catalogue()?;
        let visible = clearance.visible_sql();
        let (total, items) = self.with_catalogue(|c| c.recap_waiting(&visible, SHOWN))?;
        Ok(RecapQueue { total, items })
    }

    /// Record `id`'s result table, as `clearance` may see it.
    pub fn recap(&self, id: &RecordId, clearance: &Clearance) -> Result<RecapTable> {
        let visible = clearance.visible_sql();
        let table = self
            .with_catalogue(|c| c.recap(id, &visible))?
            .filter(|t| !clearance.is_public() || t.confirmed_at.is_some())
            .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("{id}: no result table")))?;
        let mut table = table;
        if clearance.is_public() {
            // The public is shown the numbers a person confirmed, not who
            // did, nor what OCR made of them.
            table.confirmed_by = None;
            for row in &mut table.rows {
                (row.raw, row.read, row.unsure) = (None, None, false);
            }
        }
        // A reader who may not see the form's pages (its personal data
        // masked) gets no crops; the public gets no number without one.
        if self.record_for_images(id, clearance).is_err() {
            if clearance.is_public() {
                return Err(Error::new(
                    ErrorCode::NotFound,
                    format!("{id}: no result table"),
                ));
            }
            table.rows.iter_mut().for_each(|r| r.crop = false);
        }
        Ok(table.redact(clearance))
    }

    /// Confirms record `id`'s table, as read at `read_at`, with `rows` as
    /// the person read them off the crops (see `Catalogue::confirm_recap`).
    pub fn confirm_recap(
        &self,
        id: &RecordId,
        rows: &[ConfirmRow],
        read_at: &str,
        clearance: &Clearance,
    ) -> Result<RecapTable> {
        clearance.require_catalogue()?;
        self.with_catalogue(|c| c.confirm_recap(id, rows, read_at, clearance))?;
        self.recap(id, clearance)
    }

    /// Every confirmed table the reader may see as CSV, a line per row
    /// with the record it came from (`export::recap_csv`); the export is
    /// audited. Tables still waiting for a person are no results and are
    /// not in it.
    pub fn export_recap(&self, clearance: &Clearance) -> Result<String> {
        let visible = clearance.visible_sql();
        let ids = self.with_catalogue(|c| c.confirmed_recaps(&visible))?;
        let mut tables = Vec::with_capacity(ids.len());
        for id in &ids {
            let record = self
                .with_catalogue(|c| c.record(id))?
                .filter(|r| clearance.can_read(r.access));
            // A record deleted or reclassified since the list was read.
            let (Some(record), Ok(table)) = (record, self.recap(id, clearance)) else {
                continue;
            };
            tables.push((record.redact(clearance), table));
        }
        let detail = format!("{} n={}", clearance.role().code(), tables.len());
        self.audit_always(clearance, "recap.export", "", &detail)?;
        Ok(crate::export::recap_csv(&tables))
    }

    /// Row `index` of record `id`'s table cut from its page's view, as a
    /// JPEG: the number beside the paper it was read from. Whoever may see
    /// the table and the page's images may see it.
    pub fn recap_crop(&self, id: &RecordId, index: u32, clearance: &Clearance) -> Result<Vec<u8>> {
        self.recap(id, clearance)?;
        self.record_for_images(id, clearance)?;
        let visible = clearance.visible_sql();
        let missing = || Error::new(ErrorCode::NotFound, format!("{id}: row {index}"));
        let (page, area) = self
            .with_catalogue(|c| c.recap_row_area(id, index, &visible))?
            .ok_or_else(missing)?;
        let (view, _) = self.page_view(id, page, false)?;
        let img = image::load_from_memory(&view.jpeg)
            .map_err(|e| Error::new(ErrorCode::CorruptFile, e.to_string()))?;
        let k = view.scale;
        let px = |v: u32| (v as f32 * k).round() as u32;
        let x = px(area.x).saturating_sub(CROP_MARGIN);
        let y = px(area.y).saturating_sub(CROP_MARGIN);
        let right = (px(area.x + area.w) + CROP_MARGIN).min(img.width());
        let bottom = (px(area.y + area.h) + CROP_MARGIN).min(img.height());
        if right <= x || bottom <= y {
            return Err(missing());
        }
        crate::extract::raster::jpeg(&img.crop_imm(x, y, right - x, bottom - y))
    }
}

impl Redact for RecapTable {
    fn masked(mut self) -> RecapTable {
        mask_in_place(&mut self.title);
        for row in &mut self.rows {
            mask_in_place(&mut row.label);
            if let Some(raw) = &mut row.raw {
                mask_in_place(raw);
            }
        }
        self
    }
}
