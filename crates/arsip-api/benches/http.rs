//! Search round trips through HTTP: `arsip serve`'s Router on a real TCP
//! socket, at archive scale, with 1 and 20 clients (each its own keep-alive
//! connection), beside the same queries asked of the core in-process in the
//! same run (the baseline: what HTTP, JSON and the server add). Also prints
//! the size of the built UI's first screen, gzipped, when ui/dist exists.
//!
//!     cargo bench -p arsip-api --bench http [-- 100000]
//!
//! The archive is built like the search bench's (kept under target/tmp and
//! reused; delete it to rebuild).

#[path = "../../arsip-core/benches/common/mod.rs"]
mod common;

use arsip_core::{Archive, Clearance, SearchRequest};
use common::records::{self, make_queries, read_samples};
use common::{number_args, peak_rss_mb, url_encode, BenchResult};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

const QUERIES: usize = 300;
const CLIENTS: usize = 20;

fn main() -> BenchResult<()> {
    let n = number_args().first().copied().unwrap_or(100_000);
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-http-{n}"));
    let samples = if root.join("ready").is_file() {
        println!("== {n} records (archive reused from {}) ==", root.display());
        read_samples(&root)?
    } else {
        println!("== {n} records (building {}) ==", root.display());
        records::build(&root, n, |_| Ok(()))?
    };
    let archive = Arc::new(Archive::open(&root)?);
    let queries = make_queries(&samples, QUERIES);
    let publik = Clearance::public();

    // Baseline: the core in-process, the same queries and page size.
    let core = timed(&queries, |q| {
        let mut req = SearchRequest::new(q);
        req.limit = 20;
        archive.search(&req, &publik).map(|_| ())?;
        Ok(())
    })?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let addr = listener.local_addr()?;
    let app = arsip_api::app(archive.clone(), arsip_api::Mode::Kiosk, None);
    runtime.spawn(async move { axum::serve(listener, app).await });

    let one = {
        let mut client = Client::connect(addr)?;
        timed(&queries, |q| client.search(q))?
    };
    let many = {
        let started = Instant::now();
        let handles: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let mine: Vec<String> = queries
                    .iter()
                    .skip(c)
                    .step_by(CLIENTS / 4)
                    .cloned()
                    .collect();
                std::thread::spawn(move || -> Result<Vec<f64>, String> {
                    let mut client = Client::connect(addr).map_err(|e| e.to_string())?;
                    let mut out = Vec::new();
                    for q in &mine {
                        let t = Instant::now();
                        client.search(q).map_err(|e| e.to_string())?;
                        out.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                    Ok(out)
                })
            })
            .collect();
        let mut all = Vec::new();
        for h in handles {
            all.extend(h.join().map_err(|_| "client thread panicked")??);
        }
        let secs = started.elapsed().as_secs_f64();
        (Latencies::new(all), secs)
    };

    println!("{:<46} {:>8} {:>8} {:>8}", "", "p50 ms", "p95 ms", "p99 ms");
    for (name, m) in [
        ("core in-process (baseline), publik", &core),
        ("HTTP, 1 client", &one),
        ("HTTP, 20 clients at once", &many.0),
    ] {
        println!(
            "{name:<46} {:>8.2} {:>8.2} {:>8.2}",
            m.pct(50),
            m.pct(95),
            m.pct(99)
        );
    }
    println!(
        "HTTP/core p95 {:.2}×; 1 client p95 {:.1} ms (target ≤ 50); 20 clients: {:.0} searches/s on {} cores",
        one.pct(95) / core.pct(95),
        one.pct(95),
        many.0.count() as f64 / many.1,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    ui_size();
    println!("peak RSS of this process: {} MB", peak_rss_mb());
    Ok(())
}

struct Latencies(Vec<f64>);

impl Latencies {
    fn new(mut ms: Vec<f64>) -> Latencies {
        ms.sort_by(f64::total_cmp);
        Latencies(ms)
    }
    fn pct(&self, p: usize) -> f64 {
        let i = ((self.0.len() * p).div_ceil(100)).saturating_sub(1);
        self.0.get(i).copied().unwrap_or(f64::NAN)
    }
    fn count(&self) -> usize {
        self.0.len()
    }
}

/// One warm-up pass, then one timed pass.
fn timed(queries: &[String], mut f: impl FnMut(&str) -> BenchResult<()>) -> BenchResult<Latencies> {
    for q in queries {
        f(q)?;
    }
    let mut ms = Vec::with_capacity(queries.len());
    for q in queries {
        let t = Instant::now();
        f(q)?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(Latencies::new(ms))
}

/// A minimal HTTP/1.1 client on one keep-alive connection: what a browser
/// tab does, without a browser.
struct Client {
    reader: BufReader<TcpStream>,
}

impl Client {
    fn connect(addr: SocketAddr) -> BenchResult<Client> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(Client {
            reader: BufReader::new(stream),
        })
    }

    fn search(&mut self, q: &str) -> BenchResult<()> {
        let path = format!("/api/search?q={}&limit=20", url_encode(q));
        write!(
            self.reader.get_mut(),
            "GET {path} HTTP/1.1\r\nHost: bench\r\nAccept: application/json\r\n\r\n"
        )?;
        let mut status = String::new();
        self.reader.read_line(&mut status)?;
        if !status.starts_with("HTTP/1.1 200") {
            return Err(format!("{path}: {status}").into());
        }
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line)?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse()?;
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        Ok(())
    }
}

/// The built UI's first screen (index.html and its JS and CSS), gzipped.
fn ui_size() {
    let dist = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/dist");
    let Ok(entries) = std::fs::read_dir(dist.join("assets")) else {
        println!(
            "ui/dist not built: run `npm --prefix ui run build`, then `npm --prefix ui run size`"
        );
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "js" || x == "css"))
        .collect();
    files.push(dist.join("index.html"));
    let (mut raw, mut gz) = (0usize, 0usize);
    for f in &files {
        let Ok(bytes) = std::fs::read(f) else {
            continue;
        };
        raw += bytes.len();
        gz += gzip_len(&bytes);
    }
    println!(
        "UI first screen: {:.1} KB gzipped ({:.1} KB raw, {} files); target ≤ 250 KB",
        gz as f64 / 1024.0,
        raw as f64 / 1024.0,
        files.len()
    );
}

/// gzip -9's output size, from the system's gzip (no compression crate needed).
fn gzip_len(bytes: &[u8]) -> usize {
    let child = std::process::Command::new("gzip")
        .arg("-9c")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else { return 0 };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(bytes);
    }
    child.wait_with_output().map_or(0, |o| o.stdout.len())
}
