//! The records of an archive as the rest of the program sees them (DESIGN.md §3).

use crate::access::AccessLevel;
use crate::ids::{ContentHash, RecordId};
use serde::Serialize;

/// Where a record's paper original sits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Shelf {
    pub building: Option<String>,
    pub shelf: Option<String>,
    pub box_no: Option<String>,
    pub folder: Option<String>,
}

/// A catalogued item: one document with its metadata.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Record {
    pub id: RecordId,
    pub title: String,
    pub description: Option<String>,
    pub doc_type: Option<String>,
    pub election: Option<String>,
    pub stage: Option<String>,
    pub doc_date: Option<String>,
    pub number: Option<String>,
    pub region: Option<String>,
    pub tps: Option<String>,
    pub classification: Option<String>,
    pub access: AccessLevel,
    pub retention: Option<String>,
    pub retain_until: Option<String>,
    pub location: Shelf,
    pub language: Option<String>,
    pub series: Option<String>,
    pub tags: Vec<String>,
    pub personal_data: bool,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
    pub version: i64,
}

/// An original file attached to a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct StoredFile {
    pub name: String,
    pub sha256: ContentHash,
    pub media_type: String,
    pub size: u64,
}

/// Where a page's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TextSource {
    /// The PDF's own text layer.
    Pdf,
    /// Optical character recognition of the page image.
    Ocr,
}

impl TextSource {
    pub fn code(self) -> &'static str {
        match self {
            TextSource::Pdf => "pdf",
            TextSource::Ocr => "ocr",
        }
    }

    pub fn parse(s: &str) -> TextSource {
        if s == "pdf" {
            TextSource::Pdf
        } else {
            TextSource::Ocr
        }
    }
}

/// A recognised word and where it stands on the page image (pixels of the OCR'd image).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct WordBox {
    pub text: String,
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    pub conf: f32,
}

impl WordBox {
    /// The box on the page drawn `k` times as large.
    pub fn scaled(&self, k: f32) -> WordBox {
        let px = |v: u32| (v as f32 * k).round() as u32;
        WordBox {
            text: self.text.clone(),
            x: px(self.x),
            y: px(self.y),
            w: px(self.w).max(1),
            h: px(self.h).max(1),
            conf: self.conf,
        }
    }
}

/// One page of a record, with its text.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Page {
    pub number: u32,
    pub text: String,
    pub source: TextSource,
    /// Mean OCR word confidence, 0–100; None for text-layer pages.
    pub confidence: Option<f32>,
    /// Degrees the page image was turned to read it (0, 90, 180, 270).
    pub rotation: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<WordBox>,
    pub file: ContentHash,
    pub thumbnail: Option<ContentHash>,
}

/// Metadata read from a record's text, kept apart until a person confirms it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Suggestions {
    pub title: Option<String>,
    pub doc_type: Option<String>,
    pub number: Option<String>,
    pub doc_date: Option<String>,
    pub election: Option<String>,
    pub region: Option<String>,
    pub tps: Option<String>,
    /// The classification code a document number carries
    /// (`417/PL.01.9-Kpt/…` → `PL.01.9`).
    pub classification: Option<String>,
}

impl Suggestions {
    /// (field, value) pairs that are set, in a fixed order.
    pub fn fields(&self) -> Vec<(&'static str, &str)> {
        [
            ("title", &self.title),
            ("doc_type", &self.doc_type),
            ("number", &self.number),
            ("doc_date", &self.doc_date),
            ("election", &self.election),
            ("region", &self.region),
            ("tps", &self.tps),
            ("classification", &self.classification),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
        .collect()
    }
}
