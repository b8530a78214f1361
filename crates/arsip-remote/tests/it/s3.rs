//! A real S3-compatible server for the tests: `s3s-fs` on a loopback port,
//! storing objects as files under a temporary folder (a bucket is a folder).
//! With `ARSIP_S3_SERVER=garage` the same tests run against Garage instead
//! (`cargo install garage`, about 30 minutes to build; see README), the
//! store a province would really run: an opt-in suite, run before closing
//! sync work.
//! The `arsip` binary's tests include this file too (`#[path]`).

use arsip_remote::Remote;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Credentials every server here accepts: Garage wants a key id of "GK" and
/// 24 hex digits and a secret of 64.
pub const KEY: &str = "GK0123456789abcdef01234567";
pub const SECRET: &str = "7d37d093435a41f2aab8f13c19ba067d9776c90215f56614adad6ece597dbb34";

pub struct S3Server {
    child: Child,
    /// Where s3s-fs keeps the objects (Garage keeps them in its own blocks).
    root: Option<std::path::PathBuf>,
    pub endpoint: String,
    _dir: tempfile::TempDir,
}

impl S3Server {
    /// Starts the server with one bucket, `arsip`, and waits until it accepts connections.
    pub fn start() -> S3Server {
        if std::env::var("ARSIP_S3_SERVER").is_ok_and(|s| s == "garage") {
            return S3Server::garage();
        }
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("s3");
        std::fs::create_dir_all(root.join("arsip")).unwrap();
        let port = free_port();
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
        wait_for(port);
        S3Server {
            child,
            root: Some(root.clone()),
            endpoint: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        }
    }

    /// Garage 2.5, one node, with the key and the bucket made at start-up.
    fn garage() -> S3Server {
        let dir = tempfile::tempdir().unwrap();
        let (s3_port, rpc_port, admin_port) = (free_port(), free_port(), free_port());
        let config = dir.path().join("garage.toml");
        let d = dir.path().display();
        std::fs::write(
            &config,
            format!(
                "metadata_dir = \"{d}/meta\"\ndata_dir = \"{d}/data\"\ndb_engine = \"sqlite\"\n\
                 replication_factor = 1\nrpc_bind_addr = \"127.0.0.1:{rpc_port}\"\n\
                 rpc_public_addr = \"127.0.0.1:{rpc_port}\"\nrpc_secret = \"{SECRET}\"\n\
                 [s3_api]\ns3_region = \"us-east-1\"\napi_bind_addr = \"127.0.0.1:{s3_port}\"\n\
                 root_domain = \".s3.garage.localhost\"\n\
                 [admin]\napi_bind_addr = \"127.0.0.1:{admin_port}\"\n"
            ),
        )
        .unwrap();
        let child = Command::new("garage")
            .arg("-c")
            .arg(&config)
            .args(["server", "--single-node", "--default-bucket"])
            .env("GARAGE_DEFAULT_ACCESS_KEY", KEY)
            .env("GARAGE_DEFAULT_SECRET_KEY", SECRET)
            .env("GARAGE_DEFAULT_BUCKET", "arsip")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("garage: {e} (cargo install garage)"));
        wait_for(s3_port);
        let server = S3Server {
            child,
            root: None,
            endpoint: format!("http://127.0.0.1:{s3_port}"),
            _dir: dir,
        };
        // The port opens before the layout and bucket are ready: wait for a listing.
        let deadline = Instant::now() + Duration::from_secs(60);
        while arsip_core::sync::store::Store::list(&server.store("probe"), "x/").is_err() {
            assert!(
                Instant::now() < deadline,
                "garage's bucket never became ready"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        server
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
    /// files, so a test can see whether one was written again); None on Garage.
    pub fn object_file(&self, name: &str) -> Option<std::path::PathBuf> {
        self.root.as_ref().map(|r| r.join("arsip").join(name))
    }
}

/// A port nobody listens on now (the servers take a port, not a listener).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "the S3 server did not start on {port}"
        );
        std::thread::sleep(Duration::from_millis(25));
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
    let whole: std::collections::HashMap<String, u64> = store
        .list("blobs/")
        .unwrap()
        .into_iter()
        .filter_map(|l| {
            let sha = l.name.rsplit('/').next().unwrap_or("").to_string();
            (sizes.get(&sha) == Some(&l.size)).then_some((sha, l.size))
        })
        .collect();
    let conn =
        rusqlite::Connection::open(archive.join(arsip_core::archive::CATALOGUE_FILE)).unwrap();
    let uploads: Vec<(String, String)> = conn
        .prepare("SELECT sha256, parts FROM sync_upload WHERE url = ?1")
        .unwrap()
        .query_map([url], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    // A push killed after the store completed an upload, before the office
    // forgot its receipts, leaves both: the file is counted once, whole.
    let in_parts: u64 = uploads
        .iter()
        .filter(|(sha, _)| !whole.contains_key(sha))
        .map(|(sha, parts)| {
            let n = serde_json::from_str::<Vec<String>>(parts).unwrap().len() as u64;
            (n * arsip_core::sync::PART_SIZE).min(sizes[sha])
        })
        .sum();
    whole.values().sum::<u64>() + in_parts
}
