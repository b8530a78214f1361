//! Searches while someone guesses passwords: the office server on a real
//! TCP socket answers searches from 4 clients, first alone (the baseline),
//! then while 8 attackers loop wrong passwords as fast as they can. Prints
//! searches per second in both phases and their ratio, and what the
//! attackers got: how many attempts were checked (401) and how many were
//! refused unchecked (429) once the throttle locked them out.
//!
//!     cargo bench -p arsip-api --bench login [-- 10000]
//!
//! Before throttling (issue 10), 8 such loops cut the server from about
//! 1,360 to 7 searches per second: every attempt ran argon2 while holding
//! the catalogue's lock.

#[path = "../../arsip-core/benches/common/mod.rs"]
mod common;

use arsip_core::{Archive, Role};
use common::records::{self, make_queries, read_samples};
use common::{number_args, url_encode, BenchResult};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SEARCHERS: usize = 4;
const ATTACKERS: usize = 8;
const PHASE: Duration = Duration::from_secs(8);

fn main() -> BenchResult<()> {
    let n = number_args().first().copied().unwrap_or(10_000);
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-login-{n}"));
    let samples = if root.join("ready").is_file() {
        read_samples(&root)?
    } else {
        records::build(&root, n, |_| Ok(()))?
    };
    let archive = Arc::new(Archive::open(&root)?);
    archive.set_user("sri", Role::Admin, "kata-sandi-benar", "bench")?;
    let queries = Arc::new(make_queries(&samples, 200));

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let addr = listener.local_addr()?;
    let app = arsip_api::app(archive.clone(), arsip_api::Mode::Office, None);
    runtime.spawn(arsip_api::serve(
        listener,
        app,
        std::future::pending::<()>(),
    ));

    let alone = searches_per_second(addr, &queries)?;
    let (attacked, checked, refused) = {
        let stop = Arc::new(AtomicBool::new(false));
        let (checked, refused) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let attackers: Vec<_> = (0..ATTACKERS)
            .map(|i| {
                let (stop, checked, refused) = (stop.clone(), checked.clone(), refused.clone());
                std::thread::spawn(move || {
                    let mut k = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        k += 1;
                        let body = format!(r#"{{"name":"sri","password":"tebakan-{i}-{k}"}}"#);
                        match request(addr, "POST", "/api/login", &body) {
                            Ok(401) => checked.fetch_add(1, Ordering::Relaxed),
                            Ok(429) => refused.fetch_add(1, Ordering::Relaxed),
                            _ => 0,
                        };
                    }
                })
            })
            .collect();
        let rate = searches_per_second(addr, &queries)?;
        stop.store(true, Ordering::Relaxed);
        for a in attackers {
            let _ = a.join();
        }
        (
            rate,
            checked.load(Ordering::Relaxed),
            refused.load(Ordering::Relaxed),
        )
    };
    println!(
        "== {n} records, {SEARCHERS} search clients, {:?} per phase ==",
        PHASE
    );
    println!("searches/s alone:                  {alone:8.0}");
    println!(
        "searches/s under {ATTACKERS} login loops:     {attacked:8.0}  ({:.2}x of alone)",
        attacked / alone
    );
    let seconds = PHASE.as_secs_f64();
    println!(
        "login attempts: {:.0}/s checked (401), {:.0}/s refused unchecked (429)",
        checked as f64 / seconds,
        refused as f64 / seconds
    );
    Ok(())
}

/// Searches per second from `SEARCHERS` clients over one phase.
fn searches_per_second(addr: SocketAddr, queries: &Arc<Vec<String>>) -> BenchResult<f64> {
    let done = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let clients: Vec<_> = (0..SEARCHERS)
        .map(|c| {
            let (done, queries) = (done.clone(), queries.clone());
            std::thread::spawn(move || {
                let mut i = c;
                while start.elapsed() < PHASE {
                    let q = &queries[i % queries.len()];
                    let path = format!("/api/search?q={}&limit=20", url_encode(q));
                    if let Ok(200) = request(addr, "GET", &path, "") {
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    i += SEARCHERS;
                }
            })
        })
        .collect();
    for c in clients {
        let _ = c.join();
    }
    Ok(done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64())
}

/// One request on its own connection; the reply's status.
fn request(addr: SocketAddr, method: &str, path: &str, body: &str) -> std::io::Result<u16> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut reply = Vec::new();
    s.read_to_end(&mut reply)?;
    Ok(std::str::from_utf8(reply.get(9..12).unwrap_or_default())
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(0))
}
