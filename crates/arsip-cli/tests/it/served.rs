//! `arsip serve --json` on a free loopback port, for tests that talk to the
//! real server over TCP; killed when dropped (a failed assertion must not
//! leave a server running).

use super::arsip;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::time::Duration;

pub struct Served {
    child: std::process::Child,
    pub addr: String,
}

impl Served {
    /// The server on `archive`, with `extra` arguments (`--kiosk`).
    pub fn start(archive: &Path, extra: &[&str]) -> Served {
        let mut child = arsip(archive)
            .args(["serve", "--json", "--addr", "127.0.0.1:0"])
            .args(extra)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let addr = serde_json::from_str::<Value>(&first).unwrap()["listening"]
            .as_str()
            .unwrap()
            .to_string();
        Served { child, addr }
    }

    /// Sends `request` as written and reads the whole reply.
    pub fn ask(&self, request: &str) -> String {
        let mut s = std::net::TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut reply = Vec::new();
        s.read_to_end(&mut reply).unwrap();
        String::from_utf8_lossy(&reply).into_owned()
    }

    /// One request with a JSON body and an optional session: the reply's
    /// status and body.
    pub fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> (u16, String) {
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.addr
        );
        if let Some(t) = token {
            req.push_str(&format!("Authorization: Bearer {t}\r\n"));
        }
        let body = body.unwrap_or("");
        req.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ));
        let reply = self.ask(&req);
        let status = reply.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
        let body = reply
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }

    /// The JSON of a reply's body (axum sends it whole, possibly as one chunk).
    pub fn json(body: &str) -> Value {
        let start = body.find('{').unwrap_or(0);
        let end = body.rfind('}').map_or(body.len(), |e| e + 1);
        serde_json::from_str(&body[start..end]).unwrap_or_else(|e| panic!("{e}: {body}"))
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
