//! A batch scanned as one PDF, split at its separator sheets
//! (`print::separator`): the pages after each sheet, up to the next, are one
//! document; pages before the first sheet are one more. Each part is written
//! as a PDF of its own pages, copied from the batch unchanged (lopdf keeps
//! the page objects and their image streams; nothing is drawn again), so a
//! part is archived like any file and its pages move, export and sync as
//! whole files do. The sheets themselves are not kept, nor are blank pages
//! (the backs a duplex scanner turns over).

use crate::error::{Error, ErrorCode, Result};
use crate::extract::ExtractedPage;
use crate::print::separator::Separator;
use lopdf::dictionary;
use std::path::Path;

/// One document of a batch: the sheet in front of it, if any, and its
/// pages (numbered from 1 in the batch).
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub sheet: Option<Separator>,
    pub pages: Vec<u32>,
    /// Blank pages left out (a duplex scanner's empty backs).
    pub blank: u32,
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
        blank: 0,
    };
    for (i, page) in pages.iter().enumerate() {
        match &page.separator {
            Some(sheet) => {
                let next = Part {
                    sheet: Some(sheet.clone()),
                    pages: Vec::new(),
                    blank: 0,
                };
                let done = std::mem::replace(&mut current, next);
                if !done.pages.is_empty() {
                    parts.push(done);
                }
            }
            None if page.blank => current.blank += 1,
            None => current.pages.push(i as u32 + 1),
        }
    }
    if !current.pages.is_empty() {
        parts.push(current);
    }
    Some(parts)
}

/// The batch, loaded once to cut its parts from. Its pages must be the
/// pages poppler read (`expected`), each once: a page tree the two read
/// differently (a kid without `/Type /Page`, a page listed twice) could put
/// one document's page into another's record, so such a batch is refused.
pub struct Batch {
    doc: lopdf::Document,
    pages: Vec<lopdf::ObjectId>,
}

fn failed(batch: &Path, e: &dyn std::fmt::Display) -> Error {
    Error::new(ErrorCode::SplitFailed, format!("{}: {e}", batch.display()))
}

impl Batch {
    pub fn open(path: &Path, expected: usize) -> Result<Batch> {
        let doc = lopdf::Document::load(path).map_err(|e| failed(path, &e))?;
        let pages: Vec<lopdf::ObjectId> = doc.get_pages().into_values().collect();
        let unique: std::collections::HashSet<_> = pages.iter().collect();
        if pages.len() != expected || unique.len() != pages.len() {
            return Err(failed(
                path,
                &format!("{} pages read, {} in the page tree", expected, pages.len()),
            ));
        }
        Ok(Batch { doc, pages })
    }

    /// A PDF of pages `keep` (numbered from 1) and nothing else: each page
    /// with what it inherits from the page tree made its own, its images
    /// only those its content draws, and none of the batch's document-wide
    /// parts (attachments, outline, forms, metadata), which may belong to
    /// another document of the stack.
    pub fn part(&self, keep: &[u32], path: &Path) -> Result<Vec<u8>> {
        let src = &self.doc;
        let mut out = lopdf::Document::with_version(src.version.clone());
        let pages_id = out.new_object_id();
        let mut copied = std::collections::HashMap::new();
        let mut kids = Vec::with_capacity(keep.len());
        for n in keep {
            let id = *self
                .pages
                .get((*n as usize).wrapping_sub(1))
                .ok_or_else(|| failed(path, &format!("page {n}")))?;
            let page = own_page(src, id).map_err(|e| failed(path, &e))?;
            let mut page = match copy(src, &mut out, lopdf::Object::Dictionary(page), &mut copied) {
                lopdf::Object::Dictionary(d) => d,
                _ => return Err(failed(path, &"page")),
            };
            page.set("Parent", pages_id);
            kids.push(lopdf::Object::Reference(out.add_object(page)));
        }
        let count = kids.len() as i64;
        out.objects.insert(
            pages_id,
            lopdf::Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => kids, "Count" => count,
            }),
        );
        let catalog = out.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        out.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        out.save_to(&mut bytes).map_err(|e| failed(path, &e))?;
        Ok(bytes)
    }
}

/// Keys a page inherits from the page tree above it.
const INHERITED: [&[u8]; 4] = [b"Resources", b"MediaBox", b"CropBox", b"Rotate"];
/// Keys of a page that point outside it: to the tree, to other pages
/// (annotations, beads, structure), or to the document.
const OUTSIDE: [&[u8]; 6] = [
    b"Parent",
    b"Annots",
    b"B",
    b"StructParents",
    b"Metadata",
    b"PieceInfo",
];

/// The page's dictionary as a page of its own: inherited keys set on it,
/// its outward links dropped, its XObjects only those its content draws.
fn own_page(src: &lopdf::Document, id: lopdf::ObjectId) -> lopdf::Result<lopdf::Dictionary> {
    let mut page = src.get_dictionary(id)?.clone();
    for key in INHERITED {
        if !page.has(key) {
            if let Some(v) = inherited(src, id, key) {
                page.set(key.to_vec(), v);
            }
        }
    }
    for key in OUTSIDE {
        page.remove(key);
    }
    let drawn = drawn_names(src, id)?;
    if let Ok(res) = page.get(b"Resources") {
        let mut res = src.dereference(res)?.1.as_dict()?.clone();
        if let Ok(xobjects) = res.get(b"XObject") {
            let all = src.dereference(xobjects)?.1.as_dict()?;
            let mut kept = lopdf::Dictionary::new();
            for (name, v) in all.iter() {
                if drawn.contains(name) {
                    kept.set(name.clone(), v.clone());
                }
            }
            res.set("XObject", kept);
        }
        page.set("Resources", res);
    }
    Ok(page)
}

fn inherited(src: &lopdf::Document, id: lopdf::ObjectId, key: &[u8]) -> Option<lopdf::Object> {
    let mut node = src.get_dictionary(id).ok()?;
    // A bounded climb: a page tree with a loop must not hang the import.
    for _ in 0..64 {
        let parent = node.get(b"Parent").ok()?.as_reference().ok()?;
        node = src.get_dictionary(parent).ok()?;
        if let Ok(v) = node.get(key) {
            return Some(v.clone());
        }
    }
    None
}

/// The names of the XObjects a page's content draws (`/Im1 Do`).
fn drawn_names(src: &lopdf::Document, id: lopdf::ObjectId) -> lopdf::Result<Vec<Vec<u8>>> {
    let content = lopdf::content::Content::decode(&src.get_page_content(id)?)?;
    Ok(content
        .operations
        .iter()
        .filter(|op| op.operator == "Do")
        .filter_map(|op| op.operands.first()?.as_name().ok().map(<[u8]>::to_vec))
        .collect())
}

/// `object` copied into `out` with every object it refers to, each once;
/// links up a tree (`Parent`) are not followed.
fn copy(
    src: &lopdf::Document,
    out: &mut lopdf::Document,
    object: lopdf::Object,
    copied: &mut std::collections::HashMap<lopdf::ObjectId, lopdf::ObjectId>,
) -> lopdf::Object {
    use lopdf::Object;
    match object {
        Object::Reference(id) => {
            if let Some(new) = copied.get(&id) {
                return Object::Reference(*new);
            }
            let new = out.new_object_id();
            copied.insert(id, new);
            let target = src.get_object(id).cloned().unwrap_or(Object::Null);
            let target = copy(src, out, target, copied);
            out.objects.insert(new, target);
            Object::Reference(new)
        }
        Object::Array(items) => Object::Array(
            items
                .into_iter()
                .map(|o| copy(src, out, o, copied))
                .collect(),
        ),
        Object::Dictionary(d) => Object::Dictionary(copy_dict(src, out, d, copied)),
        Object::Stream(mut stream) => {
            stream.dict = copy_dict(src, out, stream.dict, copied);
            Object::Stream(stream)
        }
        other => other,
    }
}

fn copy_dict(
    src: &lopdf::Document,
    out: &mut lopdf::Document,
    dict: lopdf::Dictionary,
    copied: &mut std::collections::HashMap<lopdf::ObjectId, lopdf::ObjectId>,
) -> lopdf::Dictionary {
    let mut new = lopdf::Dictionary::new();
    for (k, v) in dict.into_iter() {
        if k == b"Parent" {
            continue;
        }
        new.set(k, copy(src, out, v, copied));
    }
    new
}
