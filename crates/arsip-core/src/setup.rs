//! The first run: a new office's archive made from what one screen asks (the
//! office, its kab/kota, the folder, the first admin), and the demo records a
//! newcomer may start with instead of an empty archive.

use crate::access::{Clearance, Role};
use crate::archive::Archive;
use crate::corpus::{self, CorpusOptions};
use crate::error::{Error, ErrorCode, Result};
use crate::ingest::{FileStatus, IngestOptions};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What the first-run screen asks.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Setup {
    /// The archive folder: absent or empty.
    pub folder: PathBuf,
    /// The office's name, e.g. "KPU Kota Bogor".
    pub office: String,
    /// Its kab/kota, one of `kabkota_choices`.
    pub region: String,
    /// The first admin's user name and password.
    pub admin: String,
    pub password: String,
}

/// A kab/kota the first-run screen offers.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RegionChoice {
    pub code: String,
    pub name: String,
}

/// The kab/kota of the shipped region list.
pub fn kabkota_choices() -> Vec<RegionChoice> {
    crate::catalogue::shipped_regions()
        .into_iter()
        .filter(|(code, _)| code.split('.').count() == 2)
        .map(|(code, name)| RegionChoice { code, name })
        .collect()
}

impl Archive {
    /// Makes the office's archive and its first admin. Nothing is made
    /// unless all of it can be: a bad answer is refused before anything is
    /// written, and a failure after that removes what was made.
    pub fn set_up(setup: &Setup) -> Result<Archive> {
        let office = setup.office.trim();
        let hidden = |c: char| {
            c.is_control()
                || ('\u{200b}'..='\u{200f}').contains(&c)
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        };
        if office.is_empty() || office.chars().count() > 120 || office.chars().any(hidden) {
            return Err(Error::new(ErrorCode::InvalidInput, "office"));
        }
        if !kabkota_choices().iter().any(|c| c.code == setup.region) {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("region {}", setup.region),
            ));
        }
        let admin = crate::catalogue::check_user_name(&setup.admin)?.to_string();
        crate::catalogue::check_new_password(&setup.password)?;
        let folder = absolute(&setup.folder)?;
        crate::backup::not_inside_an_archive(&folder)?;
        // A new folder may be several levels deep ("D:\\Arsip\\KPU").
        if let Some(parent) = folder.parent() {
            std::fs::create_dir_all(parent).map_err(crate::error::io_at(parent))?;
        }
        crate::backup::claim_empty_folder(&folder)?;
        let made = (|| {
            let archive = Archive::init(&folder, office, &setup.region)?;
            archive.set_user(&admin, Role::Admin, &setup.password, "penyiapan")?;
            Ok(archive)
        })();
        if made.is_err() {
            crate::backup::remove_contents(&folder);
        }
        made
    }

    /// Whether anyone may log in: an archive rebuilt from its log has no
    /// users until its first admin is made.
    pub fn has_users(&self) -> Result<bool> {
        self.with_catalogue(|c| c.has_users())
    }

    /// Makes the first admin of an archive that has no users; refused once
    /// it has any. The shells offer this only on the archive's own computer.
    pub fn add_first_admin(&self, name: &str, password: &str) -> Result<()> {
        let name = crate::catalogue::check_user_name(name)?;
        let hash = crate::catalogue::new_password_hash(password)?;
        self.with_catalogue(|c| c.add_first_admin(name, &hash, "penyiapan"))
    }

    /// Adds `records` generated records (scans and PDFs of Kota Bogor's
    /// elections), catalogued as staff would: suggestions confirmed and
    /// access classes set. Returns the archive's record count.
    pub fn add_demo_records(
        &self,
        options: &CorpusOptions,
        ingest: &IngestOptions,
        progress: &dyn crate::ingest::Progress,
    ) -> Result<usize> {
        let scratch = tempfile::tempdir().map_err(crate::error::io_at(Path::new("tmp")))?;
        let truths = corpus::generate(scratch.path(), options)?;
        let paths = corpus::paths(scratch.path(), &truths);
        let demo = Clearance::operator("demo");
        let (reports, _) = self.ingest(&paths, ingest, progress, &demo)?;
        // Each kind of document of one election year in a berkas of its
        // own, its JRA row confirmed: the retention screen has something
        // to show a newcomer.
        let mut berkas: std::collections::BTreeMap<(String, u32), crate::ids::BerkasId> =
            std::collections::BTreeMap::new();
        for (truth, path) in truths.iter().zip(&paths) {
            let path = path.display().to_string();
            let Some(report) = reports.iter().find(|r| r.path == path) else {
                continue;
            };
            if let (Some(id), FileStatus::Added) = (report.id, report.status) {
                let mut edit = self.suggested_edit(&id)?;
                edit.access = Some(truth.access);
                edit.reason = Some("arsip contoh".into());
                let key = (truth.doc_type.clone(), truth.year);
                let folder = match berkas.get(&key) {
                    Some(b) => *b,
                    None => {
                        let b = self.demo_berkas(&truth.doc_type, truth.year, berkas.len() + 1)?;
                        berkas.insert(key, b);
                        b
                    }
                };
                edit.berkas = Some(folder.to_string());
                self.edit(&id, &edit, &demo)?;
            }
        }
        Ok(self.list(&demo)?.len())
    }

    /// A demo berkas for the documents of `doc_type` of `year`, filed
    /// under the classification such documents take, its row confirmed.
    fn demo_berkas(&self, doc_type: &str, year: u32, n: usize) -> Result<crate::ids::BerkasId> {
        use crate::catalogue::berkas::{BerkasEdit, NewBerkas};
        let demo = Clearance::operator("demo");
        let code = match doc_type {
            "formulir-hasil" => "PL.06",
            "berita-acara" | "rekapitulasi" => "PL.07",
            "sk" | "daftar-pemilih" => "PL.02",
            "undangan" | "pengumuman" | "foto" => "PP",
            _ => "UM",
        };
        let name = self
            .with_catalogue(|c| c.term_name(crate::catalogue::vocab::Coded::DocType, doc_type))?
            .unwrap_or_else(|| doc_type.to_string());
        let new = NewBerkas {
            number: format!("{code}/{year}/{n:03}"),
            title: format!("{name} tahun {year}"),
            classification: Some(code.into()),
            year_from: i32::try_from(year).ok(),
            year_to: i32::try_from(year).ok(),
            // Three berkas to a box, each in its own map.
            in_box: Some(self.demo_box(&format!("B-{:02}", n.div_ceil(3)))?),
            folder: Some(((n - 1) % 3 + 1).to_string()),
            ..NewBerkas::default()
        };
        let b = self.add_berkas(&new, &demo)?;
        let confirm = BerkasEdit {
            jra: b.jra_suggested.map(|r| r.code),
            ..BerkasEdit::default()
        };
        self.edit_berkas(&b.id, &confirm, &demo)?;
        Ok(b.id)
    }
}

impl Archive {
    /// The demo box numbered `number`, received from the PPK and put on
    /// the records room's first shelf.
    fn demo_box(&self, number: &str) -> Result<crate::ids::BoxId> {
        use crate::catalogue::storage::{NewBox, NewPlace, PlaceKind};
        let demo = Clearance::operator("demo");
        if let Ok(id) = self.box_numbered(number, &demo) {
            return Ok(id);
        }
        let shelf = match self
            .places(&demo)?
            .into_iter()
            .find(|p| p.kind == PlaceKind::Rak)
        {
            Some(p) => p.id,
            None => {
                let mut parent = None;
                for (kind, name) in [
                    (PlaceKind::Gedung, "Gedung Sekretariat"),
                    (PlaceKind::Ruang, "Ruang Arsip"),
                    (PlaceKind::Rak, "Rak 1"),
                ] {
                    let place = NewPlace {
                        kind,
                        name: name.into(),
                        parent,
                    };
                    parent = Some(self.add_place(&place, &demo)?.id);
                }
                parent.ok_or_else(|| Error::new(ErrorCode::Internal, "demo place"))?
            }
        };
        let new = NewBox {
            number: number.into(),
            place: Some(shelf),
            received_from: Some("PPK (arsip contoh)".into()),
            received_ref: Some("BA serah terima arsip contoh".into()),
            ..NewBox::default()
        };
        Ok(self.add_box(&new, &demo)?.archive_box.id)
    }
}

fn absolute(folder: &Path) -> Result<PathBuf> {
    let text = folder.to_string_lossy();
    if text.is_empty() || text.contains('\0') || !folder.is_absolute() {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("folder {}", folder.display()),
        ));
    }
    Ok(folder.to_path_buf())
}
