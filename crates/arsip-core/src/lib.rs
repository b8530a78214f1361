//! arsip-core: the archive of a Rumah Pintar Pemilu. It owns the catalogue
//! (SQLite), the content-addressed blob store, text extraction and OCR, ingest,
//! the Indonesian full-text index (tantivy), access control, privacy masking,
//! the audit trail, sync with the provincial office, and the demo corpus. It knows nothing of HTTP, Tauri or the
//! terminal: shells call `Archive` and render what it returns.

pub mod access;
pub mod archive;
pub mod audit;
pub mod blobs;
pub mod catalogue;
pub mod clock;
pub mod corpus;
pub mod error;
pub mod export;
pub mod extract;
pub mod handover;
pub mod harvest;
pub mod ids;
pub mod index;
pub mod ingest;
pub mod model;
pub mod privacy;
pub mod strings;
pub mod suggest;
pub mod sync;
pub mod viewer;

pub use access::{AccessLevel, Clearance, Role};
pub use archive::{Archive, RecordView, SearchHit, SearchOutcome, VerifyReport};
pub use error::{Error, ErrorCode, Result};
pub use ids::{ContentHash, RecordId};
pub use index::{Filters, SearchRequest};
pub use ingest::{FileReport, FileStatus, IngestOptions, IngestSummary, Progress};
pub use strings::Lang;
