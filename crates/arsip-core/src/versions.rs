//! A record's earlier content (`catalogue::versions`): re-scanning its
//! paper, reading its pages again by OCR, and bringing an earlier version
//! back each keep what it held as a version. Versions are staff's: the
//! public sees a record's content as it is now (a re-scan may have been
//! made to replace a page that showed too much), and changing content is
//! the archivists' and admins' work, on records of their class.

use crate::access::Clearance;
use crate::archive::Archive;
use crate::catalogue::versions::{Reason, Version};
use crate::error::{Error, ErrorCode, Result};
use crate::ids::RecordId;
use crate::ingest::IngestOptions;
use crate::model::Page;
use std::path::PathBuf;

/// One earlier version's pages, for reading.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct VersionPages {
    pub version: Version,
    pub pages: Vec<Page>,
}

impl Archive {
    /// Whether `clearance` may replace record `id`'s content (re-scan,
    /// re-read, restore): asked before an upload is read.
    pub fn check_replace(&self, id: &RecordId, clearance: &Clearance) -> Result<()> {
        self.with_catalogue(|c| c.content_to_replace(id, clearance))
            .map(|_| ())
    }

    /// Replaces record `id`'s content with new scans of its paper (page
    /// files of one document, in order), keeping what it held as a
    /// version. The record keeps its fields; what its new text suggests
    /// replaces its suggestions. Returns the version kept.
    pub fn rescan(
        &self,
        id: &RecordId,
        paths: &[PathBuf],
        opts: &IngestOptions,
        clearance: &Clearance,
    ) -> Result<i64> {
        // Checked before the slow reading, and again when it is written.
        let (expected, _) = self.with_catalogue(|c| c.content_to_replace(id, clearance))?;
        if paths.is_empty() {
            return Err(Error::new(ErrorCode::InvalidInput, "no file sent"));
        }
        let (files, views) = crate::ingest::read_rescan(self, paths, opts)?;
        self.replace(id, &files, &views, Reason::Rescan, &expected, clearance)
    }

    /// `rescan` with the files sent as bytes (an upload from a browser),
    /// written under `incoming/` for the reading and removed after.
    pub fn rescan_bytes(
        &self,
        id: &RecordId,
        files: &[(&str, &[u8])],
        opts: &IngestOptions,
        clearance: &Clearance,
    ) -> Result<i64> {
        self.check_replace(id, clearance)?;
        let (_scratch, paths) = self.scratch_files(files)?;
        let given: Vec<PathBuf> = paths.into_iter().map(|(p, _)| p).collect();
        self.rescan(id, &given, opts, clearance)
    }

    /// Reads every page of record `id` again by OCR from its originals (a
    /// PDF's own text layer ignored), keeping the text it had as a
    /// version. For pages OCR misread, or a PDF whose text layer is wrong.
    pub fn reocr(&self, id: &RecordId, opts: &IngestOptions, clearance: &Clearance) -> Result<i64> {
        let (expected, files) = self.with_catalogue(|c| c.content_to_replace(id, clearance))?;
        let (files, views) = crate::ingest::read_again(self, files, &opts.extract)?;
        self.replace(id, &files, &views, Reason::Reocr, &expected, clearance)
    }

    /// Makes version number `version` record `id`'s content again; what it holds
    /// now is kept as a version in turn.
    pub fn restore_version(
        &self,
        id: &RecordId,
        version: i64,
        clearance: &Clearance,
    ) -> Result<i64> {
        let (expected, _) = self.with_catalogue(|c| c.content_to_replace(id, clearance))?;
        let files = self
            .with_catalogue(|c| c.version_content(id, version, clearance))?
            .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("{id} version {version}")))?
            .into_new_files();
        // Its pages' views were kept when it was the record's content.
        self.replace(
            id,
            &files,
            &Vec::new(),
            Reason::Restore,
            &expected,
            clearance,
        )
    }

    /// `Catalogue::replace_content` with the suggestions read from the new
    /// content's text (what the old text suggested goes with it); the
    /// views drawn while reading it go to the cache once it is the record's.
    fn replace(
        &self,
        id: &RecordId,
        files: &[crate::catalogue::NewFile],
        views: &crate::ingest::Views,
        reason: Reason,
        expected: &str,
        clearance: &Clearance,
    ) -> Result<i64> {
        let text: String = files
            .iter()
            .flat_map(|f| f.pages.iter())
            .map(|p| format!("{}\n\n", p.text))
            .collect();
        let suggestions = self.suggest(&text)?;
        let version = self.with_catalogue(|c| {
            c.replace_content(id, files, &suggestions, reason, expected, clearance)
        })?;
        for (hash, views) in views {
            self.keep_views(hash, views);
        }
        Ok(version)
    }

    /// Record `id`'s earlier versions, newest first, for staff who read
    /// it (NotFound otherwise, as for the record).
    pub fn versions(&self, id: &RecordId, clearance: &Clearance) -> Result<Vec<Version>> {
        clearance.require_staff()?;
        self.with_catalogue(|c| {
            c.readable_class(&id.to_string(), clearance)?;
            c.versions(id, clearance)
        })
    }

    /// The pages (text and word boxes) of version `version` of record
    /// `id`, for staff who read it; the reading is audited as a view.
    pub fn version_pages(
        &self,
        id: &RecordId,
        version: i64,
        clearance: &Clearance,
    ) -> Result<VersionPages> {
        clearance.require_staff()?;
        let found = self.with_catalogue(|c| {
            c.readable_class(&id.to_string(), clearance)?;
            let summary = c
                .versions(id, clearance)?
                .into_iter()
                .find(|v| v.number == version);
            let content = c.version_content(id, version, clearance)?;
            Ok(summary.zip(content))
        })?;
        let (version, content) = found
            .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("{id} version {version}")))?;
        self.audit_read(
            clearance,
            "record.view",
            &id.to_string(),
            &format!("{} version {}", clearance.role().code(), version.number),
        )?;
        Ok(VersionPages {
            version,
            pages: content.pages,
        })
    }
}
