//! arsip-core: the archive of a Rumah Pintar Pemilu. It owns the catalogue
//! (SQLite), the content-addressed blob store, text extraction and OCR, ingest,
//! the Indonesian full-text index (tantivy), access control, privacy masking,
//! the audit trail, sync with the provincial office, and the demo corpus. It knows nothing of HTTP, Tauri or the
//! terminal: shells call `Archive` and render what it returns.

pub mod access;
pub mod archive;
pub mod audit;
pub mod backup;
pub mod blobs;
pub mod catalogue;
mod catch_up;
pub mod clock;
pub mod corpus;
pub mod digitisation;
pub mod disposal;
pub mod error;
pub mod export;
pub mod extract;
pub mod handover;
pub mod harvest;
pub mod ids;
pub mod index;
pub mod ingest;
pub mod model;
pub mod page_files;
pub mod print;
pub mod privacy;
pub mod recap;
pub mod redact;
pub mod retention;
pub mod review;
pub mod setup;
pub mod split;
pub mod storage;
pub mod strings;
pub mod suggest;
pub mod sync;
pub mod throttle;
pub mod versions;
pub mod viewer;
mod views;
pub mod watch;

pub use access::{AccessLevel, Clearance, Role};
pub use archive::{Archive, RecordView, SearchHit, SearchOutcome, VerifyReport};
pub use error::{Error, ErrorCode, Result};
pub use ids::{BerkasId, BoxId, ContentHash, LoanId, PlaceId, RecordId};
pub use index::{Filters, SearchRequest};
pub use ingest::{FileReport, FileStatus, IngestOptions, IngestSummary, Progress};
pub use strings::Lang;

/// Direct catalogue writes for benchmarks and test fixtures that build large
/// archives fast (`--features test-support`); never in a shipped binary.
#[cfg(feature = "test-support")]
pub mod test_support {
    use crate::catalogue::{Catalogue, Inserted, NewRecord};
    use crate::error::Result;
    use std::path::Path;

    /// The catalogue of the archive at `root`, for writes that leave the
    /// index behind.
    pub struct RawCatalogue(Catalogue);

    impl RawCatalogue {
        pub fn open(root: &Path) -> Result<RawCatalogue> {
            Ok(RawCatalogue(Catalogue::open(
                &root.join(crate::archive::CATALOGUE_FILE),
            )?))
        }

        pub fn insert_record(&mut self, new: &NewRecord) -> Result<Inserted> {
            self.0.insert_record(new)
        }

        /// Adds records in one transaction, as ingest would, without indexing
        /// them (opening the archive catches the index up).
        pub fn insert_records(&mut self, new: &[NewRecord]) -> Result<Vec<Inserted>> {
            self.0.insert_records(new)
        }

        /// Edits records as another process would, without indexing the
        /// change (as when it found the index writer taken).
        pub fn edit_records(
            &mut self,
            ids: &[crate::RecordId],
            edit: &crate::catalogue::RecordEdit,
            clearance: &crate::Clearance,
        ) -> Result<usize> {
            self.0.edit_records(ids, edit, clearance)
        }
    }
}
