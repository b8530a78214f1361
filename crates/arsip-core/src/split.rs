//! A batch scanned as one PDF, split at its separator sheets
//! (`print::separator`): the pages after each sheet, up to the next, are one
//! document; pages before the first sheet are one more. Each part is written
//! as a PDF of its own pages, copied from the batch unchanged (lopdf keeps
//! the page objects and their image streams; nothing is drawn again), so a
//! part is archived like any file and its pages move, export and sync as
//! whole files do. The sheets themselves are not kept.

use crate::error::{Error, ErrorCode, Result};
use crate::extract::ExtractedPage;
use crate::print::separator::Separator;
use std::path::Path;

/// One document of a batch: the sheet in front of it, if any, and its
/// pages (numbered from 1 in the batch).
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub sheet: Option<Separator>,
    pub pages: Vec<u32>,
}

/// The documents of a batch whose pages have been read, or None when it
/// holds no separator sheet. A sheet with no page after it makes nothing.
pub fn parts(pages: &[ExtractedPage]) -> Option<Vec<Part>> {
    if pages.iter().all(|p| p.separator.is_none()) {
        return None;
    }
    let mut parts: Vec<Part> = Vec::new();
    let mut current = Part {
        sheet: None,
        pages: Vec::new(),
    };
    for (i, page) in pages.iter().enumerate() {
        match &page.separator {
            Some(sheet) => {
                let next = Part {
                    sheet: Some(sheet.clone()),
                    pages: Vec::new(),
                };
                let done = std::mem::replace(&mut current, next);
                if !done.pages.is_empty() {
                    parts.push(done);
                }
            }
            None => current.pages.push(i as u32 + 1),
        }
    }
    if !current.pages.is_empty() {
        parts.push(current);
    }
    Some(parts)
}

/// A PDF of the batch's pages `keep` (numbered from 1), in their order.
pub fn pdf_of_pages(batch: &Path, keep: &[u32]) -> Result<Vec<u8>> {
    let failed = |e: &dyn std::fmt::Display| {
        Error::new(ErrorCode::SplitFailed, format!("{}: {e}", batch.display()))
    };
    let mut doc = lopdf::Document::load(batch).map_err(|e| failed(&e))?;
    let drop: Vec<u32> = doc
        .get_pages()
        .keys()
        .copied()
        .filter(|n| !keep.contains(n))
        .collect();
    doc.delete_pages(&drop);
    doc.prune_objects();
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| failed(&e))?;
    Ok(out)
}
