//! arsip-remote: the stores a sync reaches, an S3-compatible bucket
//! (`s3://BUCKET/PREFIX`) or a folder, usually on a flash drive
//! (`file:///media/usb/rpp`), behind the one interface of the `object_store`
//! crate, implementing arsip-core's `Store`. The core is blocking and knows no
//! HTTP, so this crate drives object_store from its own tokio runtime;
//! callers never see async.
//!
//! S3 settings come from the standard variables (`AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT_URL`, `AWS_ALLOW_HTTP`),
//! else from the archive's `s3.conf` (`arsip sync s3`).
//! Requests are retried with exponential backoff by object_store (10 tries
//! within 3 minutes). One request may take 30 minutes: an 8 MiB part on a
//! rural 64 kbit/s link takes about 17.
//! Folders are written with fsync, so a drive pulled out after a push holds
//! every object the push reported as sent.

use arsip_core::sync::store::{Listed, Multipart, Opener, Store};
use arsip_core::{Error, ErrorCode, Result};
use bytes::Bytes;
use futures_util::StreamExt;
use object_store::aws::{AmazonS3, AmazonS3Builder, AmazonS3ConfigKey};
use object_store::local::LocalFileSystem;
use object_store::multipart::{MultipartStore, PartId};
use object_store::path::Path as StorePath;
use object_store::{ClientConfigKey, ObjectStore, ObjectStoreExt, PutPayload};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where a target lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    S3 { bucket: String, prefix: String },
    Folder(PathBuf),
}

impl Location {
    /// Parses `s3://BUCKET[/PREFIX]` or `file:///ABSOLUTE/PATH`.
    pub fn parse(url: &str) -> Result<Location> {
        let bad = |why: &str| {
            Error::new(
                ErrorCode::InvalidInput,
                format!("'{url}': {why} (s3://BUCKET/PREFIX or file:///PATH)"),
            )
        };
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(bad("no bucket"));
            }
            return Ok(Location::S3 {
                bucket: bucket.to_string(),
                prefix: prefix.trim_matches('/').to_string(),
            });
        }
        if let Some(path) = url.strip_prefix("file://") {
            // file:///C:/rpp names a Windows drive: drop the slash before it.
            let windows = path.get(2..4).is_some_and(|s| s == ":/");
            let path = if windows { &path[1..] } else { path };
            if !path.starts_with('/') && !windows {
                return Err(bad("the path must be absolute"));
            }
            return Ok(Location::Folder(PathBuf::from(path)));
        }
        Err(bad("unknown kind of target"))
    }
}

pub struct Remote {
    url: String,
    store: Arc<dyn ObjectStore>,
    /// The same S3 store, for multipart uploads that survive a restart.
    s3: Option<Arc<AmazonS3>>,
    prefix: String,
    rt: tokio::runtime::Runtime,
}

/// The archive's own S3 settings (`s3.conf` in the archive folder, owner-only):
/// what the desktop app, which has no shell environment, connects with.
pub const SETTINGS_FILE: &str = "s3.conf";

/// The keys `s3.conf` may set, and the variable that overrides each.
const SETTING_KEYS: [(&str, &str); 5] = [
    ("aws_endpoint", "AWS_ENDPOINT_URL"),
    ("aws_region", "AWS_REGION"),
    ("aws_access_key_id", "AWS_ACCESS_KEY_ID"),
    ("aws_secret_access_key", "AWS_SECRET_ACCESS_KEY"),
    ("aws_allow_http", "AWS_ALLOW_HTTP"),
];

/// The opener the shells give the core: S3 settings from the environment,
/// else from the archive's `s3.conf`.
pub fn opener(archive: &Path) -> Opener {
    let file = archive.join(SETTINGS_FILE);
    Arc::new(move |url: &str| {
        let settings = read_settings(&file)?;
        let unset: Vec<(&str, &str)> = settings
            .iter()
            .filter(|(k, _)| {
                SETTING_KEYS
                    .iter()
                    .find(|(key, _)| key == k)
                    .is_some_and(|(_, var)| std::env::var_os(var).is_none())
            })
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        Ok(Box::new(Remote::open_with(url, &unset)?) as Box<dyn Store>)
    })
}

/// `key = value` lines; a missing file is no settings.
fn read_settings(file: &Path) -> Result<Vec<(String, String)>> {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(Error::new(
                ErrorCode::Io,
                format!("{}: {e}", file.display()),
            ))
        }
    };
    Ok(text
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(k, _)| SETTING_KEYS.iter().any(|(key, _)| key == k))
        .collect())
}

/// Writes the archive's S3 settings, readable by its owner only.
pub fn save_settings(archive: &Path, settings: &[(&str, &str)]) -> Result<()> {
    let io = |e: std::io::Error| Error::new(ErrorCode::Io, format!("{}: {e}", archive.display()));
    let mut text = String::new();
    for (k, v) in settings {
        if !SETTING_KEYS.iter().any(|(key, _)| key == k) || v.contains('\n') {
            return Err(Error::new(ErrorCode::InvalidInput, k.to_string()));
        }
        text.push_str(&format!("{k} = {v}\n"));
    }
    let mut tmp = tempfile::NamedTempFile::new_in(archive).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(io)?;
    }
    std::io::Write::write_all(&mut tmp, text.as_bytes()).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(archive.join(SETTINGS_FILE))
        .map_err(|e| io(e.error))?;
    Ok(())
}

impl Remote {
    /// Opens a store, with S3 settings from the environment.
    pub fn open(url: &str) -> Result<Remote> {
        Remote::open_with(url, &[])
    }

    /// Opens a store, with S3 settings from the environment overridden by
    /// `settings`: object_store's keys (`aws_endpoint`, `aws_access_key_id`,
    /// `aws_secret_access_key`, `aws_region`, `aws_allow_http`, …).
    pub fn open_with(url: &str, settings: &[(&str, &str)]) -> Result<Remote> {
        // Multi-threaded, so the core's sending threads each drive their own
        // request (`block_on` from several threads) while I/O runs on two workers.
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let (store, s3, prefix): (Arc<dyn ObjectStore>, _, _) = match Location::parse(url)? {
            Location::S3 { bucket, prefix } => {
                // Set key by key: `with_client_options` would replace the
                // options read from the environment (AWS_ALLOW_HTTP among
                // them), and every request then fails with "builder error".
                let client = |key| AmazonS3ConfigKey::Client(key);
                let mut builder = AmazonS3Builder::from_env()
                    .with_bucket_name(bucket)
                    // The payload is not hashed into the signature: that cost a
                    // quarter of the throughput (136 against 181 MB/s on loopback).
                    // Integrity is end to end instead: the province checks every
                    // blob's SHA-256 and every segment's signature.
                    .with_unsigned_payload(true)
                    .with_config(client(ClientConfigKey::Timeout), "30 minutes")
                    .with_config(client(ClientConfigKey::ConnectTimeout), "20 seconds");
                for (key, value) in settings {
                    let key: AmazonS3ConfigKey = key
                        .parse()
                        .map_err(|e| Error::new(ErrorCode::InvalidInput, format!("{url}: {e}")))?;
                    builder = builder.with_config(key, *value);
                }
                let s3 = Arc::new(builder.build().map_err(|e| unreachable_at(url, e))?);
                (s3.clone(), Some(s3), prefix)
            }
            Location::Folder(path) => {
                // A drive not plugged in: its mount point is missing, and
                // nothing is written in its place on the system disk.
                if !path.is_dir() && !path.parent().is_some_and(Path::is_dir) {
                    return Err(Error::new(
                        ErrorCode::BackupDriveMissing,
                        path.display().to_string(),
                    ));
                }
                // Reading a drive (a pull, a restore) changes nothing on it.
                let existed = path.is_dir();
                // A locked or full flash drive is told as such.
                std::fs::create_dir_all(&path).map_err(|e| {
                    Error::new(
                        ErrorCode::of_io(e.kind()),
                        format!("{}: {e}", path.display()),
                    )
                })?;
                // A copy of the archive on a flash drive is its owner's only.
                if !existed {
                    arsip_core::blobs::owner_only(&path)?;
                }
                let fs = LocalFileSystem::new_with_prefix(&path)
                    .map_err(|e| unreachable_at(url, e))?
                    .with_fsync(true);
                (Arc::new(fs), None, String::new())
            }
        };
        Ok(Remote {
            url: url.to_string(),
            store,
            s3,
            prefix,
            rt,
        })
    }

    fn path(&self, name: &str) -> StorePath {
        if self.prefix.is_empty() {
            StorePath::from(name)
        } else {
            StorePath::from(format!("{}/{name}", self.prefix))
        }
    }

    fn name_of(&self, path: &StorePath) -> String {
        let full = path.as_ref();
        if self.prefix.is_empty() {
            full.to_string()
        } else {
            full.strip_prefix(&format!("{}/", self.prefix))
                .unwrap_or(full)
                .to_string()
        }
    }

    fn error(&self, e: object_store::Error) -> Error {
        unreachable_at(&self.url, e)
    }
}

impl Store for Remote {
    fn url(&self) -> &str {
        &self.url
    }

    fn get(&self, name: &str) -> Result<Option<Vec<u8>>> {
        let path = self.path(name);
        self.rt.block_on(async {
            match self.store.get(&path).await {
                Ok(got) => Ok(Some(got.bytes().await.map_err(|e| self.error(e))?.to_vec())),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(self.error(e)),
            }
        })
    }

    fn size(&self, name: &str) -> Result<Option<u64>> {
        let path = self.path(name);
        self.rt.block_on(async {
            match self.store.head(&path).await {
                Ok(meta) => Ok(Some(meta.size)),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(self.error(e)),
            }
        })
    }

    fn put(&self, name: &str, bytes: Vec<u8>) -> Result<()> {
        let path = self.path(name);
        self.rt
            .block_on(self.store.put(&path, PutPayload::from(Bytes::from(bytes))))
            .map(|_| ())
            .map_err(|e| self.error(e))
    }

    fn put_file(&self, name: &str, file: &Path, sent: &mut dyn FnMut(u64)) -> Result<()> {
        let path = self.path(name);
        let io = |e: std::io::Error| Error::new(ErrorCode::Io, format!("{}: {e}", file.display()));
        let mut src = std::fs::File::open(file).map_err(io)?;
        self.rt.block_on(async {
            let upload = self
                .store
                .put_multipart(&path)
                .await
                .map_err(|e| self.error(e))?;
            let mut writer = object_store::WriteMultipart::new(upload);
            let mut buf = vec![0u8; 1 << 20];
            loop {
                let n = src.read(&mut buf).map_err(io)?;
                if n == 0 {
                    break;
                }
                writer.write(&buf[..n]);
                sent(n as u64);
            }
            writer.finish().await.map(|_| ()).map_err(|e| self.error(e))
        })
    }

    fn delete(&self, name: &str) -> Result<()> {
        let path = self.path(name);
        self.rt.block_on(async {
            match self.store.delete(&path).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(e) => Err(self.error(e)),
            }
        })
    }

    fn list(&self, dir: &str) -> Result<Vec<Listed>> {
        let path = self.path(dir.trim_end_matches('/'));
        self.rt.block_on(async {
            let mut stream = self.store.list(Some(&path));
            let mut out = Vec::new();
            while let Some(meta) = stream.next().await {
                let meta = meta.map_err(|e| self.error(e))?;
                out.push(Listed {
                    name: self.name_of(&meta.location),
                    size: meta.size,
                });
            }
            Ok(out)
        })
    }

    fn folders(&self, dir: &str) -> Result<Vec<String>> {
        let path = self.path(dir.trim_end_matches('/'));
        let listed = self
            .rt
            .block_on(self.store.list_with_delimiter(Some(&path)))
            .map_err(|e| self.error(e))?;
        Ok(listed
            .common_prefixes
            .iter()
            .filter_map(|p| p.filename().map(str::to_string))
            .collect())
    }

    fn multipart(&self) -> Option<&dyn Multipart> {
        self.s3.is_some().then_some(self as &dyn Multipart)
    }

    fn is_folder(&self) -> bool {
        self.s3.is_none()
    }
}

impl Multipart for Remote {
    fn create(&self, name: &str) -> Result<String> {
        let s3 = self.multipart_store()?;
        self.rt
            .block_on(s3.create_multipart(&self.path(name)))
            .map_err(|e| self.error(e))
    }

    fn put_part(&self, name: &str, upload: &str, index: usize, data: Vec<u8>) -> Result<String> {
        let s3 = self.multipart_store()?;
        let upload = upload.to_string();
        let payload = PutPayload::from(Bytes::from(data));
        self.rt
            .block_on(s3.put_part(&self.path(name), &upload, index, payload))
            .map(|p| p.content_id)
            .map_err(|e| self.upload_error(&upload, e))
    }

    fn complete(&self, name: &str, upload: &str, parts: Vec<String>) -> Result<()> {
        let s3 = self.multipart_store()?;
        let parts = parts
            .into_iter()
            .map(|content_id| PartId { content_id })
            .collect();
        self.rt
            .block_on(s3.complete_multipart(&self.path(name), &upload.to_string(), parts))
            .map(|_| ())
            .map_err(|e| self.upload_error(upload, e))
    }
}

impl Remote {
    /// An upload the store does not know (S3: 404 NoSuchUpload; s3s-fs: 403)
    /// is told apart, so the core begins it again.
    fn upload_error(&self, upload: &str, e: object_store::Error) -> Error {
        let code = match e {
            object_store::Error::NotFound { .. } => ErrorCode::NotFound,
            object_store::Error::PermissionDenied { .. } => ErrorCode::AccessDenied,
            _ => return self.error(e),
        };
        Error::new(code, format!("{}: upload {upload}: {e}", self.url))
    }

    fn multipart_store(&self) -> Result<&Arc<AmazonS3>> {
        self.s3.as_ref().ok_or_else(|| {
            Error::new(
                ErrorCode::Internal,
                format!("{}: no multipart uploads on a folder", self.url),
            )
        })
    }
}

fn unreachable_at(url: &str, e: object_store::Error) -> Error {
    Error::new(ErrorCode::TargetUnreachable, format!("{url}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_urls() {
        let parse = |u: &str| Location::parse(u).ok();
        let s3 = |b: &str, p: &str| {
            Some(Location::S3 {
                bucket: b.into(),
                prefix: p.into(),
            })
        };
        assert_eq!(
            parse("s3://arsip-jabar/kab-bogor/"),
            s3("arsip-jabar", "kab-bogor")
        );
        assert_eq!(parse("s3://arsip-jabar"), s3("arsip-jabar", ""));
        assert_eq!(
            parse("file:///media/usb/rpp"),
            Some(Location::Folder(PathBuf::from("/media/usb/rpp")))
        );
        assert_eq!(parse("file://relatif/rpp"), None);
        assert_eq!(parse("s3:///tanpa-bucket"), None);
        assert_eq!(parse("https://example.org/rpp"), None);
    }
}
