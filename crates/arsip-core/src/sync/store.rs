//! What sync needs of a store, as a blocking trait: the core decides what to
//! send and verifies what it receives, and knows nothing of how bytes travel
//! (S3 over HTTP, a flash drive). The `arsip-remote` crate implements it with
//! the `object_store` crate; the shells hand the core a `Store` for a URL.

use crate::error::{Error, ErrorCode, Result};
use std::path::Path;
use std::sync::Arc;

/// An object in a store, named relative to the store's prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub name: String,
    pub size: u64,
}

pub trait Store: Send + Sync {
    /// The URL the store was opened with (`s3://…`, `file:///…`).
    fn url(&self) -> &str;
    /// The object's bytes, or None when it does not exist.
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>>;
    /// The object's size, or None when it does not exist.
    fn size(&self, name: &str) -> Result<Option<u64>>;
    /// Writes a whole object (replacing one of the same name).
    fn put(&self, name: &str, bytes: Vec<u8>) -> Result<()>;
    /// Writes a large file as one object, streaming it; `sent` hears of every chunk.
    fn put_file(&self, name: &str, file: &Path, sent: &mut dyn FnMut(u64)) -> Result<()>;
    /// Removes an object; one that does not exist is not an error. Only a
    /// province removes anything: blobs of records their office destroyed.
    fn delete(&self, name: &str) -> Result<()>;
    /// Every object under `dir` (a folder name).
    fn list(&self, dir: &str) -> Result<Vec<Listed>>;
    /// The names of the folders directly under `dir`.
    fn folders(&self, dir: &str) -> Result<Vec<String>>;
    /// Uploads that survive a restart part by part, where the store has them (S3).
    fn multipart(&self) -> Option<&dyn Multipart>;
    /// True for a folder (a flash drive): a province copies originals from it
    /// at once rather than fetching them later, since the drive will leave.
    fn is_folder(&self) -> bool;
}

/// S3's multipart uploads, driven one part at a time so the caller can keep
/// each part's receipt and resume after a restart.
pub trait Multipart {
    /// Begins an upload; returns its id.
    fn create(&self, name: &str) -> Result<String>;
    /// Uploads part `index` (from 0) and returns its receipt (ETag). An upload
    /// the store no longer knows gives `ErrorCode::NotFound`.
    fn put_part(&self, name: &str, upload: &str, index: usize, data: Vec<u8>) -> Result<String>;
    fn complete(&self, name: &str, upload: &str, parts: Vec<String>) -> Result<()>;
}

/// Opens a store by URL; the shells provide one (arsip-remote's), so that a
/// province can fetch an original it left in the object store when someone opens it.
pub type Opener = Arc<dyn Fn(&str) -> Result<Box<dyn Store>> + Send + Sync>;

/// Writes an object whole, then reads it back and compares: some stores
/// acknowledge writes they did not make as asked (Garage 2.5 ignores
/// `If-None-Match`), so what was sent is checked, not assumed.
pub fn put_verified(store: &dyn Store, name: &str, bytes: &[u8]) -> Result<()> {
    store.put(name, bytes.to_vec())?;
    match store.get(name)? {
        Some(back) if back == bytes => Ok(()),
        _ => Err(Error::new(
            ErrorCode::TargetUnreachable,
            format!("{}: {name} read back differently than written", store.url()),
        )),
    }
}
