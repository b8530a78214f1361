//! This office's Ed25519 signing key, in `keys/office.ed25519` (the 32-byte
//! seed, readable by its owner only). It signs every change-log segment and
//! HEAD the office pushes; the provincial archive checks them against the key
//! it registered with `arsip office add`. Created with the archive (or on first
//! use, for archives made before sync existed) and never replaced: a new key
//! would be a new office to every province that knows the old one.

use crate::error::{io_at, Error, ErrorCode, Result};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use rand::RngCore;
use std::io::Write;
use std::path::{Path, PathBuf};

pub(crate) const KEY_FILE: &str = "office.ed25519";

pub struct OfficeKey {
    signing: SigningKey,
}

/// An office's public key as text: 64 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    pub fn parse(text: &str) -> Result<PublicKey> {
        let bad = || {
            Error::new(
                ErrorCode::InvalidInput,
                format!("office key '{text}': expected 64 hex digits"),
            )
        };
        let bytes: [u8; 32] = hex::decode(text.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(bad)?;
        VerifyingKey::from_bytes(&bytes)
            .map(PublicKey)
            .map_err(|_| bad())
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0.as_bytes())
    }

    /// True when `signature` is this key's over `message`.
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(sig) = <[u8; 64]>::try_from(signature) else {
            return false;
        };
        self.0.verify(message, &Signature::from_bytes(&sig)).is_ok()
    }
}

impl std::fmt::Display for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl OfficeKey {
    /// The archive's key, made (and written durably) if it has none yet.
    pub fn load_or_create(archive_root: &Path) -> Result<OfficeKey> {
        let dir = archive_root.join("keys");
        let path = dir.join(KEY_FILE);
        if path.is_file() {
            return Self::load(&path);
        }
        std::fs::create_dir_all(&dir).map_err(io_at(&dir))?;
        let mut seed = [0u8; 32];
        rand::rng().fill_bytes(&mut seed);
        write_private(&dir, &path, &seed)?;
        Ok(Self::from_seed(seed))
    }

    fn load(path: &PathBuf) -> Result<OfficeKey> {
        let bytes = std::fs::read(path).map_err(io_at(path))?;
        let seed: [u8; 32] = bytes.try_into().map_err(|_| {
            Error::new(
                ErrorCode::Internal,
                format!("{}: not a 32-byte key", path.display()),
            )
        })?;
        Ok(Self::from_seed(seed))
    }

    pub fn from_seed(seed: [u8; 32]) -> OfficeKey {
        OfficeKey {
            signing: SigningKey::from_bytes(&seed),
        }
    }

    pub fn public(&self) -> PublicKey {
        PublicKey(self.signing.verifying_key())
    }

    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }
}

/// Writes the seed with owner-only permissions: temp file, fsync, rename, fsync the folder.
fn write_private(dir: &Path, path: &Path, seed: &[u8; 32]) -> Result<()> {
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    tmp.write_all(seed)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .map_err(|e| Error::new(ErrorCode::Io, format!("{}: {}", path.display(), e.error)))?;
    crate::blobs::sync_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_and_signs_verifiably() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let a = OfficeKey::load_or_create(dir.path())?;
        let b = OfficeKey::load_or_create(dir.path())?;
        assert_eq!(a.public(), b.public(), "the key is kept, not replaced");
        let sig = a.sign(b"segmen");
        assert!(a.public().verifies(b"segmen", &sig));
        assert!(!a.public().verifies(b"segmeN", &sig));
        let other = OfficeKey::from_seed([9; 32]);
        assert!(!other.public().verifies(b"segmen", &sig));
        assert_eq!(PublicKey::parse(&a.public().to_hex())?, a.public());
        assert!(PublicKey::parse("abc").is_err());
        Ok(())
    }
}
