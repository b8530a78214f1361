//! The W3C WebDriver commands the session test needs, sent to tauri-driver,
//! which starts the app and hands the window to WebKitGTK's own driver
//! (`WebKitWebDriver`, Debian's webkit2gtk-driver). Everything is done as a
//! person would: find what is on screen, type, click, wait for it to change.

use serde_json::{json, Value};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long the window gets to show what a step waits for. A bound on a
/// wait, not a measurement: a busy machine only makes it wait longer.
const PATIENCE: Duration = Duration::from_secs(90);
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Window {
    agent: ureq::Agent,
    session: String,
    base: String,
    driver: Child,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Window {
    /// Starts `app args…` on `display` through tauri-driver.
    pub fn open(display: &str, app: &Path, args: &[String]) -> Window {
        Window::open_with(display, app, args, &[])
    }

    /// `open`, the app (and its driver) given `env` too.
    pub fn open_with(display: &str, app: &Path, args: &[String], env: &[(&str, &Path)]) -> Window {
        let (port, native) = (free_port(), free_port());
        // Its own process group: tauri-driver starts WebKitWebDriver, which
        // must go with it (killing tauri-driver alone leaves it running).
        let driver = Command::new("tauri-driver")
            .process_group(0)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .env("DISPLAY", display)
            .env_remove("ARSIP_ARCHIVE")
            .envs(env.iter().copied())
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tauri-driver (scripts/setup.sh --test installs it)");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(PATIENCE))
            .build()
            .into();
        let base = format!("http://127.0.0.1:{port}");
        let mut window = Window {
            agent,
            session: String::new(),
            base,
            driver,
        };
        let started = Instant::now();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "wry",
            "tauri:options": {"application": app, "args": args}
        }}});
        loop {
            match window.send("POST", "/session", Some(&capabilities)) {
                Ok(v) => {
                    window.session = v["sessionId"].as_str().unwrap().to_string();
                    return window;
                }
                Err(_) if started.elapsed() < PATIENCE => {
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(e) => panic!("no WebDriver session: {e}"),
            }
        }
    }

    fn send(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let url = format!("{}{path}", self.base);
        let reply = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self
                .agent
                .post(&url)
                .send_json(body.cloned().unwrap_or_else(|| json!({}))),
        };
        let mut reply = reply.map_err(|e| e.to_string())?;
        let status = reply.status();
        let value: Value = reply.body_mut().read_json().map_err(|e| e.to_string())?;
        if status.is_success() {
            Ok(value["value"].clone())
        } else {
            Err(format!("{method} {path}: {status} {}", value["value"]))
        }
    }

    fn command(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        self.send(
            method,
            &format!("/session/{}{path}", self.session),
            body.as_ref(),
        )
    }

    /// Logs in from the header's link, and waits until the header names `name`.
    pub fn log_in(&self, name: &str, password: &str) {
        self.click("a[href='#/login']");
        self.type_into("#login-name", name);
        self.type_into("#login-password", password);
        self.click("form:has(#login-password) button[type=submit]");
        self.wait_text("[data-testid=user]", name);
    }

    /// Saves what the window shows as a PNG.
    pub fn screenshot(&self, path: &Path) {
        use base64::Engine;
        let shot = self.command("GET", "/screenshot", None).unwrap();
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot.as_str().unwrap())
            .unwrap();
        std::fs::write(path, png).unwrap();
    }

    /// Runs `script` in the page (its `arguments` are `args`) and gives its result.
    pub fn run(&self, script: &str, args: Value) -> Value {
        self.command(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
        .unwrap()
    }

    /// The first element a selector matches now: an XPath when it starts
    /// with `//` (to find a button by its words), else CSS.
    fn element(&self, selector: &str) -> Option<String> {
        let using = if selector.starts_with("//") {
            "xpath"
        } else {
            "css selector"
        };
        self.command(
            "POST",
            "/element",
            Some(json!({"using": using, "value": selector})),
        )
        .ok()
        .and_then(|v| v[ELEMENT].as_str().map(str::to_string))
    }

    /// The first element `selector` matches, once one is on screen.
    pub fn find(&self, selector: &str) -> String {
        self.wait(&format!("{selector} to appear"), || self.element(selector))
    }

    pub fn click(&self, css: &str) {
        let el = self.find(css);
        self.command("POST", &format!("/element/{el}/click"), None)
            .unwrap();
    }

    /// Replaces what a field holds with `text`, typed key by key.
    pub fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css);
        self.command("POST", &format!("/element/{el}/clear"), None)
            .unwrap();
        self.command(
            "POST",
            &format!("/element/{el}/value"),
            Some(json!({"text": text})),
        )
        .unwrap();
    }

    /// Waits until the visible text of `css` contains `text`, and gives it.
    pub fn wait_text(&self, css: &str, text: &str) -> String {
        self.wait(&format!("{css} to say {text:?}"), || {
            let el = self.element(css)?;
            let shown = self
                .command("GET", &format!("/element/{el}/text"), None)
                .ok()?;
            let shown = shown.as_str()?.to_string();
            shown.contains(text).then_some(shown)
        })
    }

    /// Waits until nothing matches `selector`.
    pub fn wait_gone(&self, selector: &str) {
        self.wait(&format!("{selector} to go"), || {
            self.element(selector).is_none().then_some(())
        });
    }

    /// The page's visible text, for failure messages.
    pub fn page_text(&self) -> String {
        self.run("return document.body.innerText;", json!([]))
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn wait<T>(&self, what: &str, mut test: impl FnMut() -> Option<T>) -> T {
        let started = Instant::now();
        loop {
            if let Some(v) = test() {
                return v;
            }
            if started.elapsed() > PATIENCE {
                panic!("waited for {what}; the window shows:\n{}", self.page_text());
            }
            std::thread::sleep(Duration::from_millis(150));
        }
    }
}

impl Drop for Window {
    fn drop(&mut self) {
        // Ending the session closes the app; then the driver goes.
        if !self.session.is_empty() {
            let _ = self.command("DELETE", "", None);
        }
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .status();
        let _ = self.driver.wait();
    }
}
