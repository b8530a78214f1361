//! A BagIt bag (RFC 8493, BagIt 1.0) for the regional archive: each record's
//! originals and page text under `data/<record id>/`, the record list as
//! `data/metadata.csv` and AtoM's description as `data/atom.csv`, SHA-256
//! manifests for payload and tags. Written into a sibling folder and renamed
//! into place when whole, so an interrupted export leaves no half bag under
//! the name asked for. Validated in the tests with the Library of Congress
//! `bagit` tool.

use super::Scope;
use crate::access::Clearance;
use crate::archive::Archive;
use crate::error::{io_at, Error, ErrorCode, Result};
use crate::ids::ContentHash;
use std::fs;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, serde::Serialize)]
pub struct BagReport {
    pub path: PathBuf,
    pub records: usize,
    pub files: usize,
    /// Payload bytes (the `Payload-Oxum` octets).
    pub bytes: u64,
}

struct Payload {
    root: PathBuf,
    manifest: Vec<(String, String)>,
    bytes: u64,
}

impl Payload {
    /// Writes `data/<rel>` and records its hash.
    fn write(&mut self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.root.join("data").join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io_at(dir))?;
        }
        fs::write(&path, bytes).map_err(io_at(&path))?;
        self.manifest
            .push((ContentHash::of(bytes).to_hex(), format!("data/{rel}")));
        self.bytes += bytes.len() as u64;
        Ok(())
    }

    /// Copies a stored original to `data/<rel>` and checks the copy's hash.
    fn copy(&mut self, rel: &str, from: &Path, expected: &ContentHash) -> Result<()> {
        let path = self.root.join("data").join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io_at(dir))?;
        }
        fs::copy(from, &path).map_err(io_at(from))?;
        let (got, size) = crate::blobs::BlobStore::hash_file(&path)?;
        if got != *expected {
            return Err(Error::new(
                ErrorCode::CorruptFile,
                format!("{}: the stored original fails its checksum", from.display()),
            ));
        }
        self.manifest.push((got.to_hex(), format!("data/{rel}")));
        self.bytes += size;
        Ok(())
    }
}

impl Archive {
    /// Writes the records of `scope` the clearance may read as a BagIt bag
    /// in `dir`, which must not exist yet (or be empty). A handover list's
    /// bag also carries the list (`data/daftar-arsip-statis.csv`). The
    /// admin's; audited.
    pub fn export_bag(&self, dir: &Path, scope: Scope, clearance: &Clearance) -> Result<BagReport> {
        let report = self.write_bag(dir, scope, clearance)?;
        let detail = format!(
            "{} {} n={}",
            clearance.role().code(),
            scope.described(),
            report.records
        );
        self.audit_always(clearance, "export.bag", &dir.display().to_string(), &detail)?;
        Ok(report)
    }

    /// `export_bag` without its audit entry (the caller writes it).
    pub(crate) fn write_bag(
        &self,
        dir: &Path,
        scope: Scope,
        clearance: &Clearance,
    ) -> Result<BagReport> {
        if dir.exists()
            && fs::read_dir(dir)
                .map(|mut d| d.next().is_some())
                .unwrap_or(true)
        {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("{}: already exists and is not empty", dir.display()),
            ));
        }
        let (items, labels) = self.handover_items(scope, clearance)?;
        let parent = dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(io_at(parent))?;
        let work = tempfile::Builder::new()
            .prefix(".bag-")
            .tempdir_in(parent)?;
        let mut payload = Payload {
            root: work.path().to_path_buf(),
            manifest: Vec::new(),
            bytes: 0,
        };
        let mut files = 0;
        for item in &items {
            let id = item.record.id.to_string();
            // Names compared as a case-blind file system (Windows, macOS)
            // would: one original never lands on another when unpacked.
            let mut used = vec![String::from("teks.txt")];
            for f in &item.files {
                let mut name = safe_name(&f.name);
                let mut n = used.len();
                while used.contains(&name.to_lowercase()) {
                    name = format!("{n}-{}", safe_name(&f.name));
                    n += 1;
                }
                used.push(name.to_lowercase());
                let from = self.local_blob(&f.sha256)?;
                payload.copy(&format!("{id}/{name}"), &from, &f.sha256)?;
                files += 1;
            }
            let text = item.pages.join("\n\u{c}\n");
            payload.write(&format!("{id}/teks.txt"), text.as_bytes())?;
        }
        let records: Vec<_> = items
            .iter()
            .map(|i| {
                (
                    i.record.clone(),
                    i.berkas.as_ref().map(|b| b.number.clone()),
                )
            })
            .collect();
        payload.write(
            "metadata.csv",
            crate::export::records_csv(&records).as_bytes(),
        )?;
        // The description from the items already read (a second read
        // would hold every page's text twice).
        let office = self.with_catalogue(|c| c.office())?;
        let atom = super::atom::atom_csv(&items, &labels, &office);
        payload.write("atom.csv", atom.as_bytes())?;
        if let Scope::List(id) = scope {
            let list = self.handover_list(id, clearance)?;
            let csv = crate::disposal::documents::list_csv(&list);
            payload.write("daftar-arsip-statis.csv", csv.as_bytes())?;
        }
        write_tags(&payload, &office.name, scope, items.len())?;
        // The bag holds every page's text and originals unmasked: its
        // owner's only, like the archive itself.
        for entry in walkdir::WalkDir::new(work.path()) {
            let entry = entry.map_err(|e| Error::new(ErrorCode::Io, e.to_string()))?;
            crate::blobs::owner_only(entry.path())?;
        }
        let work = work.keep();
        if dir.exists() {
            fs::remove_dir(dir).map_err(io_at(dir))?;
        }
        fs::rename(&work, dir).map_err(io_at(dir))?;
        crate::blobs::sync_dir(parent)?;
        Ok(BagReport {
            path: dir.to_path_buf(),
            records: items.len(),
            files,
            bytes: payload.bytes,
        })
    }
}

/// bagit.txt, bag-info.txt and the two manifests.
fn write_tags(payload: &Payload, office: &str, scope: Scope, records: usize) -> Result<()> {
    let series = scope.series();
    let root = &payload.root;
    let mut manifest = String::new();
    for (hash, path) in &payload.manifest {
        manifest.push_str(&format!("{hash}  {}\n", encode_path(path)));
    }
    let today = crate::clock::now_rfc3339()
        .get(0..10)
        .unwrap_or_default()
        .to_string();
    let mut info = format!(
        "Source-Organization: {office}\nBagging-Date: {today}\nPayload-Oxum: {}.{}\n\
         Bag-Software-Agent: RPP Arsip {}\nExternal-Description: Arsip {office}: {records} arsip",
        payload.bytes,
        payload.manifest.len(),
        env!("CARGO_PKG_VERSION"),
    );
    if let Some(s) = series {
        info.push_str(&format!(" dari seri {s}"));
    }
    if let Scope::List(id) = scope {
        info.push_str(&format!(
            ", arsip statis yang diserahkan menurut daftar {id}"
        ));
    }
    info.push('\n');
    if let Some(s) = series {
        info.push_str(&format!("Internal-Sender-Description: Seri {s}\n"));
    }
    let tags = [
        (
            "bagit.txt",
            "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".to_string(),
        ),
        ("bag-info.txt", info),
        ("manifest-sha256.txt", manifest),
    ];
    let mut tagmanifest = String::new();
    for (name, text) in &tags {
        let path = root.join(name);
        fs::write(&path, text).map_err(io_at(&path))?;
        tagmanifest.push_str(&format!(
            "{}  {name}\n",
            ContentHash::of(text.as_bytes()).to_hex()
        ));
    }
    let path = root.join("tagmanifest-sha256.txt");
    fs::write(&path, tagmanifest).map_err(io_at(&path))
}

/// A file name safe in one folder of the bag on every system: no path or
/// reserved characters, no invisible direction marks (which make
/// `laporan\u{202e}gnp.exe` read as a picture), no leading or trailing dots
/// or spaces, and none of Windows' device names (`CON`, `COM1`…).
fn safe_name(name: &str) -> String {
    let cleaned: String = crate::privacy::visible_text(name, false)
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim().trim_matches('.').trim();
    let stem = trimmed
        .split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    let device = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.ends_with(|c: char| c.is_ascii_digit()));
    if trimmed.is_empty() || device {
        format!("berkas-{trimmed}")
    } else {
        trimmed.to_string()
    }
}

/// RFC 8493 §2.1.3: CR, LF and % in manifest paths are percent-encoded.
fn encode_path(path: &str) -> String {
    path.replace('%', "%25")
        .replace('\n', "%0A")
        .replace('\r', "%0D")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_and_paths_encoded() {
        assert_eq!(safe_name("BA Rekap/TPS 01.pdf"), "BA Rekap_TPS 01.pdf");
        assert_eq!(safe_name("..rahasia"), "rahasia");
        assert_eq!(encode_path("data/a%b\nc"), "data/a%25b%0Ac");
    }

    #[test]
    fn names_are_safe_on_every_system() {
        assert_eq!(safe_name("laporan\u{202e}gnp.exe"), "laporangnp.exe");
        assert_eq!(safe_name("CON"), "berkas-CON");
        assert_eq!(safe_name("com1.txt"), "berkas-com1.txt");
        assert_eq!(safe_name("scan.png."), "scan.png");
        assert_eq!(safe_name(" ../a/b.pdf"), "_a_b.pdf");
        assert_eq!(safe_name("Console.pdf"), "Console.pdf");
    }
}
