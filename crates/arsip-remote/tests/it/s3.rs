//! A real S3-compatible server for the tests: `s3s-fs` on a loopback port,
//! storing objects as files under a temporary folder (a bucket is a folder).
//! The `arsip` binary's tests include this file too (`#[path]`).

use arsip_remote::Remote;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const KEY: &str = "arsip-uji";
pub const SECRET: &str = "rahasia-uji-123";

pub struct S3Server {
    child: Child,
    root: std::path::PathBuf,
    pub endpoint: String,
    _dir: tempfile::TempDir,
}

impl S3Server {
    /// Starts s3s-fs with one bucket, `arsip`, and waits until it accepts connections.
    pub fn start() -> S3Server {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("s3");
        std::fs::create_dir_all(root.join("arsip")).unwrap();
        // s3s-fs takes a port, not a listener: ask the OS for a free one.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("s3s-fs")
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", KEY, "--secret-key", SECRET])
            .arg(&root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("s3s-fs: {e} (install it with `bash scripts/setup.sh --test`)")
            });
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "s3s-fs did not start on {port}");
            std::thread::sleep(Duration::from_millis(25));
        }
        S3Server {
            child,
            root: root.clone(),
            endpoint: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        }
    }

    /// The settings an office or province would have in its environment.
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("aws_endpoint", self.endpoint.clone()),
            ("aws_access_key_id", KEY.into()),
            ("aws_secret_access_key", SECRET.into()),
            ("aws_region", "us-east-1".into()),
            ("aws_allow_http", "true".into()),
        ]
    }

    pub fn store(&self, prefix: &str) -> Remote {
        let settings = self.settings();
        let pairs: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Remote::open_with(&format!("s3://arsip/{prefix}"), &pairs).unwrap()
    }
}

impl S3Server {
    #[allow(dead_code)] // used by the `arsip` binary's tests, which include this file
    /// Where s3s-fs keeps an object of the `arsip` bucket (objects are plain
    /// files, so a test can see whether one was written again).
    pub fn object_file(&self, name: &str) -> std::path::PathBuf {
        self.root.join("arsip").join(name)
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a resumed push need not send again: the bytes of the files (hash →
/// size) the store holds whole, plus the parts of uploads in flight whose
/// receipts the archive's catalogue kept for `url`.
#[allow(dead_code)] // used by the `arsip` binary's tests and the push bench
pub fn acknowledged(
    archive: &std::path::Path,
    store: &Remote,
    url: &str,
    sizes: &std::collections::HashMap<String, u64>,
) -> u64 {
    use arsip_core::sync::store::Store;
    let whole: u64 = store
        .list("blobs/")
        .unwrap()
        .iter()
        .filter(|l| sizes.get(l.name.rsplit('/').next().unwrap_or("")) == Some(&l.size))
        .map(|l| l.size)
        .sum();
    let conn =
        rusqlite::Connection::open(archive.join(arsip_core::archive::CATALOGUE_FILE)).unwrap();
    let uploads: Vec<(String, String)> = conn
        .prepare("SELECT sha256, parts FROM sync_upload WHERE url = ?1")
        .unwrap()
        .query_map([url], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let in_parts: u64 = uploads
        .iter()
        .map(|(sha, parts)| {
            let n = serde_json::from_str::<Vec<String>>(parts).unwrap().len() as u64;
            (n * arsip_core::sync::PART_SIZE).min(sizes[sha])
        })
        .sum();
    whole + in_parts
}
