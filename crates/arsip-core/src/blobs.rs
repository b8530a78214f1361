//! The content-addressed blob store: `blobs/ab/cd/<sha256>`. Blobs are immutable and
//! written atomically (temp file, fsync, rename, fsync the directory), so a power cut
//! leaves either the whole blob or none of it; a stray temp file is harmless.

use crate::error::{io_at, Error, ErrorCode, Result};
use crate::ids::ContentHash;
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub struct BlobStore {
    root: PathBuf,
}

/// What a fixity check found for one blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fixity {
    Intact,
    Missing,
    Corrupt,
}

impl BlobStore {
    pub fn open(root: PathBuf) -> Result<BlobStore> {
        fs::create_dir_all(root.join("tmp")).map_err(io_at(&root))?;
        Ok(BlobStore { root })
    }

    /// A store to read only (a backup on a write-protected drive): nothing
    /// is created.
    pub(crate) fn existing(root: PathBuf) -> BlobStore {
        BlobStore { root }
    }

    pub fn path_of(&self, hash: &ContentHash) -> PathBuf {
        let hex = hash.to_hex();
        self.root.join(&hex[0..2]).join(&hex[2..4]).join(hex)
    }

    pub fn contains(&self, hash: &ContentHash) -> bool {
        self.path_of(hash).is_file()
    }

    /// Hashes a file by streaming it; nothing is stored.
    pub fn hash_file(path: &Path) -> Result<(ContentHash, u64)> {
        let mut f = File::open(path).map_err(io_at(path))?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        let mut size = 0u64;
        loop {
            let n = f.read(&mut buf).map_err(io_at(path))?;
            if n == 0 {
                break;
            }
            size += n as u64;
            hasher.update(&buf[..n]);
        }
        Ok((ContentHash::from_digest(hasher.finalize().into()), size))
    }

    /// Copies a file into the store under its hash, verifying the copy's hash
    /// matches `expected` (the file may have changed since it was hashed).
    pub fn put_file(&self, path: &Path, expected: &ContentHash) -> Result<()> {
        if self.contains(expected) {
            return Ok(());
        }
        let mut src = File::open(path).map_err(io_at(path))?;
        let tmp = tempfile::NamedTempFile::new_in(self.root.join("tmp"))?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        {
            let mut out = tmp.as_file();
            loop {
                let n = src.read(&mut buf).map_err(io_at(path))?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
                out.write_all(&buf[..n])?;
            }
        }
        let got = ContentHash::from_digest(hasher.finalize().into());
        if got != *expected {
            return Err(Error::new(
                ErrorCode::Io,
                format!("{} changed while it was being read", path.display()),
            ));
        }
        self.persist(tmp, expected)
    }

    pub fn put_bytes(&self, bytes: &[u8]) -> Result<ContentHash> {
        let hash = ContentHash::of(bytes);
        if self.contains(&hash) {
            return Ok(hash);
        }
        let mut tmp = tempfile::NamedTempFile::new_in(self.root.join("tmp"))?;
        tmp.write_all(bytes)?;
        self.persist(tmp, &hash)?;
        Ok(hash)
    }

    /// Writes `bytes` under their hash even where a (corrupt) file stands:
    /// the sound copy replaces it in one rename.
    pub(crate) fn put_over(&self, bytes: &[u8]) -> Result<ContentHash> {
        let hash = ContentHash::of(bytes);
        let mut tmp = tempfile::NamedTempFile::new_in(self.root.join("tmp"))?;
        tmp.write_all(bytes)?;
        self.persist(tmp, &hash)?;
        Ok(hash)
    }

    fn persist(&self, tmp: tempfile::NamedTempFile, hash: &ContentHash) -> Result<()> {
        tmp.as_file().sync_all()?;
        let dest = self.path_of(hash);
        let dir = dest.parent().unwrap_or(&self.root).to_path_buf();
        fs::create_dir_all(&dir).map_err(io_at(&dir))?;
        tmp.persist(&dest)
            .map_err(|e| Error::new(ErrorCode::Io, format!("{}: {}", dest.display(), e.error)))?;
        sync_dir(&dir)
    }

    pub fn read(&self, hash: &ContentHash) -> Result<Vec<u8>> {
        let p = self.path_of(hash);
        fs::read(&p).map_err(io_at(&p))
    }

    /// Re-hashes a blob and compares it with its name.
    pub fn check(&self, hash: &ContentHash) -> Fixity {
        let p = self.path_of(hash);
        if !p.is_file() {
            return Fixity::Missing;
        }
        match Self::hash_file(&p) {
            Ok((h, _)) if h == *hash => Fixity::Intact,
            _ => Fixity::Corrupt,
        }
    }
}

/// Makes a rename durable. Directories cannot be opened for syncing on Windows,
/// where NTFS journals the rename itself, so there it is a no-op.
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io_at(dir))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Makes a folder (0700) or file (0600) readable by its owner only, where
/// the platform has modes: the archive holds every NIK and the password
/// hashes, and copies out of it (bags, flash-drive targets) hold originals.
/// Elsewhere (Windows, a FAT flash drive) it does nothing.
pub fn owner_only(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path).map_err(crate::error::io_at(path))?;
        let mode = if meta.is_dir() { 0o700 } else { 0o600 };
        if meta.permissions().mode() & 0o777 != mode {
            // A file system without modes refuses; that is not an error here.
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bytes_are_stored_once_and_check_out() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let store = BlobStore::open(dir.path().join("blobs"))?;
        let a = store.put_bytes(b"berita acara")?;
        let b = store.put_bytes(b"berita acara")?;
        assert_eq!(a, b);
        assert_eq!(store.check(&a), Fixity::Intact);
        fs::write(store.path_of(&a), b"berita acarA")?;
        assert_eq!(store.check(&a), Fixity::Corrupt);
        fs::remove_file(store.path_of(&a))?;
        assert_eq!(store.check(&a), Fixity::Missing);
        Ok(())
    }
}
