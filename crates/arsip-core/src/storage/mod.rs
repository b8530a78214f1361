//! The paper holdings: storage places (gedung → ruang → rak), the boxes on
//! them with how each was received, the berkas each box holds, the labels
//! printed for boxes and berkas, and labels read back (typed by a USB
//! scanner or photographed). All of it is staff's; the public and the kiosk
//! have none. A box shows each reader the berkas they may read; printing a
//! box's label or changing the box needs clearance for all it holds.

pub mod labels;
pub mod loans;
pub mod report;

use crate::access::Clearance;
use crate::archive::Archive;
use crate::catalogue::storage::{ArchiveBox, BoxContents, BoxEdit, NewBox, NewPlace, Place};
use crate::error::{Error, ErrorCode, Result};
use crate::ids::{BerkasId, BoxId};
use labels::{Label, LabelLayout, LabelTarget};

/// The largest photo of a label read: a 24-megapixel phone camera's.
const MAX_PHOTO_PIXELS: u64 = 25_000_000;

/// One photo decoded at a time: a few staff sending large photos at once
/// must not take the server's memory.
static DECODING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Labels to print.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LabelRequest {
    pub boxes: Vec<BoxId>,
    pub berkas: Vec<BerkasId>,
    pub layout: LabelLayout,
}

/// A label to read: the text a USB scanner typed, or a photo or scan of it.
pub enum LabelScan {
    Text(String),
    Image(Vec<u8>),
}

impl Archive {
    /// Every storage place with its boxes and the berkas the reader may
    /// read in them (staff).
    pub fn places(&self, clearance: &Clearance) -> Result<Vec<Place>> {
        clearance.require_staff()?;
        let visible = clearance.classes_sql("b");
        self.with_catalogue(|c| c.places(&visible))
    }

    /// Adds a place (archivists and admins).
    pub fn add_place(&self, new: &NewPlace, clearance: &Clearance) -> Result<Place> {
        clearance.require_catalogue()?;
        let id = self.with_catalogue(|c| c.add_place(new, clearance.actor()))?;
        self.places(clearance)?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| Error::new(ErrorCode::NotFound, id.to_string()))
    }

    /// Every box, by number (staff).
    pub fn boxes(&self, clearance: &Clearance) -> Result<Vec<ArchiveBox>> {
        clearance.require_staff()?;
        let visible = clearance.classes_sql("b");
        self.with_catalogue(|c| c.boxes(&visible))
    }

    /// A box and the berkas in it the reader may read (staff).
    pub fn archive_box(&self, id: &BoxId, clearance: &Clearance) -> Result<BoxContents> {
        clearance.require_staff()?;
        let (visible, records) = (clearance.classes_sql("b"), clearance.visible_sql());
        self.with_catalogue(|c| {
            let archive_box = c
                .archive_box(id, &visible)?
                .ok_or_else(|| Error::new(ErrorCode::NotFound, id.to_string()))?;
            let berkas = c.box_items(id, &visible, &records)?;
            Ok(BoxContents {
                archive_box,
                berkas,
            })
        })
    }

    /// The box numbered `number` (staff; the terminal names boxes so).
    pub fn box_numbered(&self, number: &str, clearance: &Clearance) -> Result<BoxId> {
        clearance.require_staff()?;
        self.with_catalogue(|c| crate::catalogue::storage::box_numbered(c.conn(), number))?
            .ok_or_else(|| Error::new(ErrorCode::NotFound, number.to_string()))
    }

    /// Receives a box (archivists and admins).
    pub fn add_box(&self, new: &NewBox, clearance: &Clearance) -> Result<BoxContents> {
        clearance.require_catalogue()?;
        let id = self.with_catalogue(|c| c.add_box(new, clearance.actor()))?;
        self.archive_box(&id, clearance)
    }

    /// Changes a box: moves it, renumbers it, notes its condition
    /// (archivists and admins who may read all it holds).
    pub fn edit_box(
        &self,
        id: &BoxId,
        edit: &BoxEdit,
        clearance: &Clearance,
    ) -> Result<BoxContents> {
        clearance.require_catalogue()?;
        self.archive_box(id, clearance)?;
        let (visible, records) = (clearance.classes_sql("b"), clearance.classes_sql("r"));
        self.with_catalogue(|c| c.edit_box(id, edit, (&visible, &records), clearance.actor()))?;
        self.archive_box(id, clearance)
    }

    /// A box whose every berkas the caller may read: what is done to the
    /// box is done to all of them.
    fn whole_box(&self, id: &BoxId, clearance: &Clearance) -> Result<BoxContents> {
        let contents = self.archive_box(id, clearance)?;
        let (visible, records) = (clearance.classes_sql("b"), clearance.classes_sql("r"));
        if self.with_catalogue(|c| c.box_hides(id, &visible, &records))? {
            return Err(Error::new(
                ErrorCode::AccessDenied,
                format!(
                    "box {}: holds berkas above the clearance",
                    contents.archive_box.number
                ),
            ));
        }
        Ok(contents)
    }

    /// Labels as PDF: for each box its label with its contents, for each
    /// berkas its label, on A4 pages or a sheet of 14 (archivists and
    /// admins; a box only whole, a berkas only of a class they read).
    /// Audited as a copy out of the archive.
    pub fn labels_pdf(&self, request: &LabelRequest, clearance: &Clearance) -> Result<Vec<u8>> {
        clearance.require_catalogue()?;
        if request.boxes.is_empty() && request.berkas.is_empty() {
            return Err(Error::new(ErrorCode::InvalidInput, "labels: none asked"));
        }
        // Each label once, in the order asked.
        let mut boxes = request.boxes.clone();
        let mut seen = std::collections::HashSet::new();
        boxes.retain(|b| seen.insert(*b));
        let mut berkas = request.berkas.clone();
        let mut seen = std::collections::HashSet::new();
        berkas.retain(|b| seen.insert(*b));
        if boxes.len() + berkas.len() > labels::MAX_LABELS {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("labels: at most {} at once", labels::MAX_LABELS),
            ));
        }
        let mut wanted = Vec::new();
        let mut rows = 0;
        for id in &boxes {
            let b = self.whole_box(id, clearance)?;
            rows += b.berkas.len();
            if rows > labels::MAX_CONTENT_ROWS {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "labels: at most {} berkas listed at once; print fewer boxes",
                        labels::MAX_CONTENT_ROWS
                    ),
                ));
            }
            wanted.push(Label::Box(Box::new(b)));
        }
        for id in &berkas {
            let b = self.berkas(id, clearance)?;
            // Another office's paper is labelled there, under its name.
            b.require_own()?;
            wanted.push(Label::Berkas(Box::new(b)));
        }
        let office = self.with_catalogue(|c| c.office())?.name;
        let pdf = labels::pdf(&wanted, request.layout, &office)?;
        // Every label named: what went out on paper can be traced.
        let ids = |list: &[String]| list.join(",");
        let detail = format!(
            "boxes={}; berkas={}; layout={}",
            ids(&boxes.iter().map(|b| b.to_string()).collect::<Vec<_>>()),
            ids(&berkas.iter().map(|b| b.to_string()).collect::<Vec<_>>()),
            request.layout.code()
        );
        let target = wanted.first().map(Label::id).unwrap_or_default();
        self.audit_always(clearance, "labels.print", &target, &detail)?;
        Ok(pdf)
    }

    /// What a label names, read from the text a scanner typed (or the
    /// box or berkas number a person typed) or from a photo of it: a box,
    /// or a berkas the reader may read (staff).
    pub fn read_label(&self, scan: LabelScan, clearance: &Clearance) -> Result<LabelTarget> {
        clearance.require_staff()?;
        let texts = match scan {
            // The number printed large on a label, typed by hand, opens it
            // too: a box's number, else a berkas's the reader may read.
            LabelScan::Text(t) if labels::parse(&t).is_none() => {
                let typed = t.trim();
                if let Ok(id) = self.box_numbered(typed, clearance) {
                    return Ok(LabelTarget::Box {
                        id,
                        number: self.archive_box(&id, clearance)?.archive_box.number,
                    });
                }
                let found = self
                    .berkas_list(clearance)?
                    .into_iter()
                    .find(|b| b.office.is_none() && b.number.eq_ignore_ascii_case(typed));
                return match found {
                    Some(b) => Ok(LabelTarget::Berkas {
                        id: b.id,
                        number: b.number,
                    }),
                    None => Err(Error::new(ErrorCode::NotFound, "label")),
                };
            }
            LabelScan::Text(t) => vec![t],
            LabelScan::Image(bytes) => {
                let _one = DECODING.lock().unwrap_or_else(|e| e.into_inner());
                let img = crate::extract::raster::decode_bytes(&bytes, MAX_PHOTO_PIXELS)?;
                crate::print::qr::read(&img.to_luma8())
            }
        };
        let Some(label) = texts.iter().find_map(|t| labels::parse(t)) else {
            return Err(Error::new(ErrorCode::NotFound, "label"));
        };
        match label {
            labels::Payload::Box(id) => {
                let b = self.archive_box(&id, clearance)?.archive_box;
                Ok(LabelTarget::Box {
                    id: b.id,
                    number: b.number,
                })
            }
            labels::Payload::Berkas(id) => {
                let b = self.berkas(&id, clearance)?;
                Ok(LabelTarget::Berkas {
                    id: b.id,
                    number: b.number,
                })
            }
        }
    }
}

impl Archive {
    /// The storage report as PDF: every place with the boxes on it, each
    /// box's berkas (those the reader may read), years, condition, where
    /// it came from and who has it (staff); a copy out, audited.
    pub fn storage_report(&self, clearance: &Clearance) -> Result<Vec<u8>> {
        let places = self.places(clearance)?;
        let boxes = self.boxes(clearance)?;
        let (visible, records) = (clearance.classes_sql("b"), clearance.visible_sql());
        // The boxes read once, then what each holds.
        let contents = self.with_catalogue(|c| {
            boxes
                .into_iter()
                .map(|archive_box| {
                    let berkas = c.box_items(&archive_box.id, &visible, &records)?;
                    Ok(BoxContents {
                        archive_box,
                        berkas,
                    })
                })
                .collect::<Result<Vec<_>>>()
        })?;
        let office = self.formal_office(&self.office_today()?.to_string())?;
        let pdf = report::pdf(&places, &contents, &office)?;
        self.audit_always(
            clearance,
            "storage.report",
            "",
            &format!("boxes={}", contents.len()),
        )?;
        Ok(pdf)
    }
}
