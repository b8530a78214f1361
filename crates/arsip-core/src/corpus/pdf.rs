//! Minimal PDF writing for the corpus: born-digital text PDFs (standard Helvetica,
//! so no font is embedded) and image-only PDFs of JPEG scans.

use crate::error::{Error, ErrorCode, Result};
use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream};
use std::path::Path;

const A4: (f32, f32) = (595.0, 842.0);

fn finish(
    mut doc: Document,
    pages_id: lopdf::ObjectId,
    kids: Vec<Object>,
    path: &Path,
) -> Result<()> {
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc.compress();
    doc.save(path)
        .map_err(|e| Error::new(ErrorCode::Io, e.to_string()))?;
    Ok(())
}

pub fn write_text_pdf(path: &Path, pages: &[Vec<String>]) -> Result<()> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids = Vec::new();
    for lines in pages {
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 11.into()]),
        ];
        ops.push(Operation::new("Td", vec![72.into(), 770.into()]));
        ops.push(Operation::new("TL", vec![16.into()]));
        for line in lines {
            // A table row's cells (tab-separated) set apart by spaces.
            let line = line.replace('\t', "   ");
            let latin1: Vec<u8> = line
                .chars()
                .map(|c| if (c as u32) < 256 { c as u8 } else { b'?' })
                .collect();
            ops.push(Operation::new(
                "Tj",
                vec![Object::String(latin1, lopdf::StringFormat::Literal)],
            ));
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
        let content = Content { operations: ops }
            .encode()
            .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id, "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), A4.0.into(), A4.1.into()],
        });
        kids.push(page.into());
    }
    finish(doc, pages_id, kids, path)
}

/// `images`: (JPEG bytes, width, height) of each page, scanned at `dpi`.
pub fn write_image_pdf(path: &Path, images: &[(Vec<u8>, u32, u32)], dpi: u32) -> Result<()> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for (jpeg, w, h) in images {
        let (pw, ph) = (*w as f32 * 72.0 / dpi as f32, *h as f32 * 72.0 / dpi as f32);
        let mut img = Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Image", "Width" => *w as i64, "Height" => *h as i64,
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8, "Filter" => "DCTDecode",
            },
            jpeg.clone(),
        );
        img.allows_compression = false;
        let img_id = doc.add_object(img);
        let content = Content {
            operations: vec![
                Operation::new("q", vec![]),
                Operation::new(
                    "cm",
                    vec![pw.into(), 0.into(), 0.into(), ph.into(), 0.into(), 0.into()],
                ),
                Operation::new("Do", vec!["Im1".into()]),
                Operation::new("Q", vec![]),
            ],
        }
        .encode()
        .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => img_id } },
            "MediaBox" => vec![0.into(), 0.into(), pw.into(), ph.into()],
        });
        kids.push(page.into());
    }
    finish(doc, pages_id, kids, path)
}
