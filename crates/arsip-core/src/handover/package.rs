//! A handover list's BagIt bag as one `.zip` file, for a browser to
//! download: the bag is written whole into a folder of its own under the
//! archive (`incoming/`), then copied into the zip file by file under one
//! top-level folder, as serialized bags are (RFC 8493 §4.2 leaves the
//! format to the parties; a zip opens on every office's PC). Originals
//! (scans and PDFs, already compressed) are stored; the text files are
//! deflated. Nothing is held in memory but one file's copy buffer.

use super::Scope;
use crate::access::Clearance;
use crate::archive::Archive;
use crate::error::{io_at, Error, ErrorCode, Result};
use std::fs::File;
use std::io::{Seek, SeekFrom};
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

impl Archive {
    /// The bag of handover list `id` (approved or carried out) as a zip in
    /// an unnamed temporary file, read from its start; and its length.
    /// The admin's; audited as `export.bag` of the list.
    pub fn handover_package(&self, id: &str, clearance: &Clearance) -> Result<(File, u64)> {
        clearance.require_admin()?;
        // One package made at a time: each holds a whole copy of the
        // list's originals on the disk while it is made.
        static MAKING: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _one = MAKING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let scope = Scope::List(id);
        let incoming = self.root().join("incoming");
        std::fs::create_dir_all(&incoming).map_err(io_at(&incoming))?;
        let work = tempfile::tempdir_in(&incoming)?;
        let bag_dir = work.path().join("bag");
        let report = self.write_bag(&bag_dir, scope, clearance)?;
        let list = self.handover_list(id, clearance)?;
        let top = format!("bag-{}", safe_top(list.ba_number.as_deref().unwrap_or(id)));
        let mut out = tempfile::tempfile_in(&incoming)?;
        {
            let mut zip = zip::ZipWriter::new(&mut out);
            let walk = walkdir::WalkDir::new(&bag_dir).sort_by_file_name();
            for entry in walk {
                let entry = entry.map_err(|e| Error::new(ErrorCode::Io, e.to_string()))?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry
                    .path()
                    .strip_prefix(&bag_dir)
                    .map_err(|e| Error::new(ErrorCode::Io, e.to_string()))?;
                let name = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let text = name.ends_with(".txt") || name.ends_with(".csv");
                let options = SimpleFileOptions::default()
                    .compression_method(if text {
                        CompressionMethod::Deflated
                    } else {
                        CompressionMethod::Stored
                    })
                    .large_file(entry.metadata().map(|m| m.len()).unwrap_or(0) >= u32::MAX as u64);
                zip.start_file(format!("{top}/{name}"), options)
                    .map_err(zip_error)?;
                let mut from = File::open(entry.path()).map_err(io_at(entry.path()))?;
                std::io::copy(&mut from, &mut zip).map_err(io_at(entry.path()))?;
            }
            zip.finish().map_err(zip_error)?;
        }
        let len = out.seek(SeekFrom::End(0))?;
        out.seek(SeekFrom::Start(0))?;
        let detail = format!(
            "{} {} n={} zip",
            clearance.role().code(),
            scope.described(),
            report.records
        );
        self.audit_always(clearance, "export.bag", id, &detail)?;
        Ok((out, len))
    }
}

fn zip_error(e: zip::result::ZipError) -> Error {
    Error::new(ErrorCode::Io, format!("zip: {e}"))
}

/// A folder name from a berita acara number ("001/BA/2026" → "001-BA-2026").
fn safe_top(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(80)
        .collect();
    cleaned.trim_matches('-').to_string()
}
