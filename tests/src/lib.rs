//! End-to-end harness: the real `after-sales-desk` binary in WebKitGTK, driven through
//! tauri-driver (WebDriver on port 4444, which runs WebKitWebDriver on 4445).
//!
//! Each test owns one [`App`]: its own tauri-driver, its own temporary data dir, one
//! WebDriver session. The ports are fixed, so tests run one at a time
//! (`cargo test -p e2e -- --test-threads=1`, under `xvfb-run`; `make e2e` does both).
//!
//! ```no_run
//! # async fn t() -> e2e::Result<()> {
//! let mut app = e2e::App::start("example").await?;
//! app.wait_for(r#"[data-testid="app-root"]"#).await?;
//! app.restart().await?; // same data dir, new process
//! app.screenshot("example").await?;
//! app.quit().await
//! # }
//! ```

use std::io::ErrorKind;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

pub use fantoccini;

/// Test results: any error, with a message that says what to do.
pub type Result<T, E = Box<dyn std::error::Error + Send + Sync>> = std::result::Result<T, E>;

const DRIVER_PORT: u16 = 4444;
const NATIVE_PORT: u16 = 4445;
/// How long a `wait_*` helper waits unless told otherwise. Generous: debug builds on two
/// shared cores under Xvfb are slow to paint the first screen.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(20);

/// The workspace root (this crate lives in `<root>/tests`). Tests run with the crate
/// folder as working directory, so every path is built from here.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The debug app binary that `make build` produces.
pub fn app_binary() -> PathBuf {
    workspace_root().join("target/debug/after-sales-desk")
}

/// Where screenshots and driver logs go (`tests/artifacts`, gitignored).
pub fn artifacts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts")
}

fn port_open(port: u16) -> bool {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
}

/// Polls `done` every 50 ms until it holds or `timeout` passes.
fn poll_until(timeout: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if done() {
            return true;
        }
        if start.elapsed() >= timeout {
            return false;
        }
        sleep(Duration::from_millis(50));
    }
}

fn sigterm(pid: u32) {
    // SAFETY: kill(2) with a pid we spawned (or found by our own unique data dir).
    unsafe {
        libc::kill(pid as libc::pid_t, libc::SIGTERM);
    }
}

/// `tauri-driver` from PATH, else from ~/.cargo/bin (where `make deps` installs it),
/// unless `TAURI_DRIVER` names one.
fn tauri_driver_path() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join("tauri-driver");
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    let home = std::env::var_os("HOME").unwrap_or_default();
    Path::new(&home).join(".cargo/bin/tauri-driver")
}

/// A running tauri-driver. Dropping it sends SIGTERM — never SIGKILL: a killed driver
/// leaves WebKitWebDriver listening on 4445 and the next test silently talks to it.
pub struct Driver {
    child: Child,
}

impl Driver {
    /// Starts tauri-driver and waits until it accepts connections on 4444.
    pub fn start(log_name: &str) -> Result<Driver> {
        // A previous test's driver may still be shutting down; give it a moment.
        if !poll_until(Duration::from_secs(10), || {
            !port_open(DRIVER_PORT) && !port_open(NATIVE_PORT)
        }) {
            return Err(format!(
                "ports {DRIVER_PORT}/{NATIVE_PORT} are still taken: a stale tauri-driver or \
                 WebKitWebDriver is running (find it with `ss -ltnp | grep 444`, stop it with \
                 SIGTERM)"
            )
            .into());
        }
        if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
            return Err("no display: run under `xvfb-run -a` (or `make e2e`)".into());
        }
        let driver = tauri_driver_path();
        std::fs::create_dir_all(artifacts_dir())?;
        // The app's own stdout/stderr end up here too (driver → WebKitWebDriver → app).
        let log_path = artifacts_dir().join(format!("{log_name}.driver.log"));
        let log = std::fs::File::create(&log_path)?;
        let mut cmd = Command::new(&driver);
        cmd.args(["--port", &DRIVER_PORT.to_string()])
            .args(["--native-port", &NATIVE_PORT.to_string()])
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        // Quiet and lighter under Xvfb, unless the caller chose otherwise.
        for (k, v) in [
            ("GSETTINGS_BACKEND", "memory"),
            ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
        ] {
            if std::env::var_os(k).is_none() {
                cmd.env(k, v);
            }
        }
        let child = cmd.spawn().map_err(|e| {
            if e.kind() == ErrorKind::NotFound {
                format!(
                    "{} not found: run `make deps` (cargo install tauri-driver --locked)",
                    driver.display()
                )
            } else {
                format!("cannot start {}: {e}", driver.display())
            }
        })?;
        let mut driver = Driver { child };
        let up = poll_until(Duration::from_secs(15), || {
            port_open(DRIVER_PORT) || matches!(driver.child.try_wait(), Ok(Some(_)))
        });
        if let Ok(Some(status)) = driver.child.try_wait() {
            return Err(format!(
                "tauri-driver exited ({status}) before listening; see {}",
                log_path.display()
            )
            .into());
        }
        if !up {
            return Err(format!(
                "tauri-driver did not listen on {DRIVER_PORT} within 15 s; see {}",
                log_path.display()
            )
            .into());
        }
        Ok(driver)
    }

    fn stop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            sigterm(self.child.id());
            let child = &mut self.child;
            if !poll_until(Duration::from_secs(10), || {
                matches!(child.try_wait(), Ok(Some(_)))
            }) {
                eprintln!(
                    "e2e: tauri-driver (pid {}) ignored SIGTERM for 10 s; left running",
                    self.child.id()
                );
                return;
            }
        }
        // tauri-driver stops WebKitWebDriver on its way out; wait for the port to close.
        poll_until(Duration::from_secs(5), || !port_open(NATIVE_PORT));
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Pids whose command line mentions `needle` (our unique temp data dir), i.e. app
/// processes this test started, however WebKitWebDriver spawned them.
fn pids_mentioning(needle: &str) -> Vec<u32> {
    let me = std::process::id();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| pid != me)
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|c| c.split(|&b| b == 0).any(|arg| arg == needle.as_bytes()))
                .unwrap_or(false)
        })
        .collect()
}

/// One app under test: a tauri-driver, a fresh data dir, and a WebDriver session whose
/// browser is the app binary started with `--data-dir <dir>`.
pub struct App {
    name: String,
    /// Extra app arguments after `--data-dir` (e.g. the debug build's clock offset).
    extra_args: Vec<String>,
    client: Option<Client>,
    data_dir: Option<tempfile::TempDir>,
    driver: Driver,
}

impl App {
    /// Starts the app on a fresh, empty data dir. `name` labels the artifacts.
    pub async fn start(name: &str) -> Result<App> {
        let binary = app_binary();
        if !binary.is_file() {
            return Err(format!(
                "{} is missing: run `make build` first (or `make e2e`)",
                binary.display()
            )
            .into());
        }
        let driver = Driver::start(name)?;
        let data_dir = tempfile::Builder::new().prefix("desk-e2e-").tempdir()?;
        let mut app = App {
            name: name.to_owned(),
            extra_args: Vec::new(),
            client: None,
            data_dir: Some(data_dir),
            driver,
        };
        app.connect().await?;
        Ok(app)
    }

    /// Starts the app on a data dir filled by the app's own `demo` command first: a set-up
    /// site (admin / admin1234), staff of every role, `customers` customers with units and a
    /// mix of work orders.
    pub async fn start_with_demo(name: &str, customers: usize) -> Result<App> {
        let binary = app_binary();
        if !binary.is_file() {
            return Err(format!("{} is missing: run `make build` first", binary.display()).into());
        }
        let driver = Driver::start(name)?;
        let data_dir = tempfile::Builder::new().prefix("desk-e2e-").tempdir()?;
        let out = std::process::Command::new(&binary)
            .args(["demo", "--data-dir"])
            .arg(data_dir.path())
            .args(["--customers", &customers.to_string()])
            .output()?;
        if !out.status.success() {
            return Err(
                format!("demo data failed: {}", String::from_utf8_lossy(&out.stderr)).into(),
            );
        }
        let mut app = App {
            name: name.to_owned(),
            extra_args: Vec::new(),
            client: None,
            data_dir: Some(data_dir),
            driver,
        };
        app.connect().await?;
        Ok(app)
    }

    fn data_dir_str(&self) -> String {
        self.data_dir().to_string_lossy().into_owned()
    }

    async fn connect(&mut self) -> Result<()> {
        let args = [
            vec!["--data-dir".to_owned(), self.data_dir_str()],
            self.extra_args.clone(),
        ]
        .concat();
        let caps = serde_json::json!({
            "tauri:options": {
                "application": app_binary(),
                "args": args,
            }
        });
        let serde_json::Value::Object(caps) = caps else {
            unreachable!("a JSON object literal")
        };
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{DRIVER_PORT}"))
            .await
            .map_err(|e| format!("WebDriver session did not start: {e}"))?;
        self.client = Some(client);
        Ok(())
    }

    /// The WebDriver client, for anything the helpers below do not cover.
    pub fn client(&self) -> &Client {
        self.client
            .as_ref()
            .expect("the app is running (not between quit and start)")
    }

    /// This test's data dir; it survives [`App::restart`].
    pub fn data_dir(&self) -> &Path {
        self.data_dir
            .as_ref()
            .expect("data dir lives as long as the App")
            .path()
    }

    /// Ends the session (which closes the app) and waits until the app process is gone,
    /// so the next start finds the database closed.
    async fn close_session(&mut self) -> Result<()> {
        if let Some(client) = self.client.take() {
            client.close().await?;
        }
        let needle = self.data_dir_str();
        if !poll_until(Duration::from_secs(15), || {
            pids_mentioning(&needle).is_empty()
        }) {
            return Err(format!("the app on {needle} did not exit within 15 s").into());
        }
        Ok(())
    }

    /// Quits the app and starts it again on the same data dir (persistence tests).
    pub async fn restart(&mut self) -> Result<()> {
        self.close_session().await?;
        self.connect().await
    }

    /// Quits the app and starts it again on the same data dir with `args` added — for
    /// instance `--test-clock-offset-minutes=N` (debug builds only) to start it "later".
    pub async fn restart_with(&mut self, args: &[&str]) -> Result<()> {
        self.close_session().await?;
        self.extra_args = args.iter().map(|a| a.to_string()).collect();
        self.connect().await
    }

    /// Quits the app, stops the driver and removes the data dir.
    pub async fn quit(mut self) -> Result<()> {
        self.close_session().await
        // Drop stops the driver and removes the data dir.
    }

    /// Saves a PNG of the screen to `tests/artifacts/<name>.png` and returns its path.
    ///
    /// Taken from the X server (`import -window root`), i.e. what a person would see, not
    /// through WebDriver: WebKitWebDriver's screenshot never returned on some pages (seen
    /// on the customer list) and left the whole session hung.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        std::fs::create_dir_all(artifacts_dir())?;
        let path = artifacts_dir().join(format!("{name}.png"));
        // Let the last change paint before the capture.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let status = tokio::process::Command::new("import")
            .args(["-window", "root"])
            .arg(&path)
            .status()
            .await
            .map_err(|e| format!("`import` (imagemagick) did not run: {e}"))?;
        if !status.success() {
            return Err(format!("`import -window root` failed ({status}); is DISPLAY set?").into());
        }
        Ok(path)
    }

    /// On a timeout, keep a picture of what the screen showed instead.
    async fn timed_out(&self, what: String) -> Box<dyn std::error::Error + Send + Sync> {
        let shot = format!("{}-timeout", self.name);
        match tokio::time::timeout(Duration::from_secs(10), self.screenshot(&shot)).await {
            Ok(Ok(path)) => format!("{what} (screen saved to {})", path.display()).into(),
            Ok(Err(e)) => format!("{what} (no screenshot: {e})").into(),
            Err(_) => format!("{what} (the screenshot did not come back within 10 s)").into(),
        }
    }

    /// Waits up to [`DEFAULT_WAIT`] for an element matching `css`.
    pub async fn wait_for(&self, css: &str) -> Result<Element> {
        self.wait_for_within(css, DEFAULT_WAIT).await
    }

    /// Waits up to `timeout` for an element matching `css`.
    pub async fn wait_for_within(&self, css: &str, timeout: Duration) -> Result<Element> {
        let result = self
            .client()
            .wait()
            .at_most(timeout)
            .every(Duration::from_millis(100))
            .for_element(Locator::Css(css))
            .await;
        match result {
            Ok(el) => Ok(el),
            Err(e) => Err(self
                .timed_out(format!("no element `{css}` after {timeout:?}: {e}"))
                .await),
        }
    }

    /// Waits until some element matching `css` has visible text containing `text`.
    pub async fn wait_for_text(&self, css: &str, text: &str) -> Result<Element> {
        self.wait_for_text_within(css, text, DEFAULT_WAIT).await
    }

    /// Waits up to `timeout` until some element matching `css` contains `text`.
    ///
    /// Reads the text with one script per poll: WebKitWebDriver's "Get Element Text" came
    /// back empty for some visible elements and, called in a loop, left the session hung.
    pub async fn wait_for_text_within(
        &self,
        css: &str,
        text: &str,
        timeout: Duration,
    ) -> Result<Element> {
        const SCRIPT: &str = "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.innerText || e.textContent || '');";
        let start = Instant::now();
        let mut seen: Vec<String> = Vec::new();
        loop {
            let texts = tokio::time::timeout(
                Duration::from_secs(5),
                self.client().execute(SCRIPT, vec![serde_json::json!(css)]),
            )
            .await;
            if let Ok(Ok(serde_json::Value::Array(values))) = texts {
                seen = values
                    .iter()
                    .map(|v| v.as_str().unwrap_or_default().to_owned())
                    .collect();
                if let Some(i) = seen.iter().position(|t| t.contains(text)) {
                    let all = self.client().find_all(Locator::Css(css)).await?;
                    if let Some(el) = all.into_iter().nth(i) {
                        return Ok(el);
                    }
                }
            }
            if start.elapsed() >= timeout {
                let seen = if seen.is_empty() {
                    "no such element".to_owned()
                } else {
                    format!("saw {seen:?}")
                };
                return Err(self
                    .timed_out(format!(
                        "no `{css}` containing {text:?} after {timeout:?}; {seen}"
                    ))
                    .await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks the first element matching `css` once it exists.
    pub async fn click(&self, css: &str) -> Result<()> {
        self.wait_for(css).await?.click().await?;
        Ok(())
    }

    /// Types into the first element matching `css` once it exists (keeps existing text).
    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        self.wait_for(css).await?.send_keys(text).await?;
        Ok(())
    }

    /// Replaces the text of the field with this `data-testid`.
    pub async fn fill(&self, testid: &str, text: &str) -> Result<()> {
        let el = self.wait_for(&id(testid)).await?;
        el.clear().await?;
        el.send_keys(text).await?;
        Ok(())
    }

    /// Chooses an option of the `<select>` with this `data-testid` by value, and tells
    /// Svelte (WebDriver cannot pick from a native select list).
    pub async fn choose(&self, testid: &str, value: &str) -> Result<()> {
        self.wait_for(&id(testid)).await?;
        self.client()
            .execute(
                "const el = document.querySelector(arguments[0]); el.value = arguments[1];
                 el.dispatchEvent(new Event('input', { bubbles: true }));
                 el.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![id(testid).into(), value.into()],
            )
            .await?;
        Ok(())
    }

    /// The app's database, read-only: what the screens did, checked at the source.
    pub fn db(&self) -> Result<rusqlite::Connection> {
        Ok(rusqlite::Connection::open_with_flags(
            self.data_dir().join("desk.sqlite"),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )?)
    }
}

/// The CSS selector of the element with this `data-testid`.
pub fn id(testid: &str) -> String {
    format!(r#"[data-testid="{testid}"]"#)
}

impl Drop for App {
    fn drop(&mut self) {
        // Reached without quit() when a test fails: the session is left open. Stopping
        // the driver stops WebKitWebDriver but leaves the app running as an orphan, so
        // end it too (found by its unique data dir) before the dir is removed.
        self.client.take();
        self.driver.stop();
        let needle = self.data_dir_str();
        if !poll_until(Duration::from_secs(2), || {
            pids_mentioning(&needle).is_empty()
        }) {
            for pid in pids_mentioning(&needle) {
                sigterm(pid);
            }
            poll_until(Duration::from_secs(5), || {
                pids_mentioning(&needle).is_empty()
            });
        }
        if std::thread::panicking() {
            if let Some(dir) = self.data_dir.take() {
                eprintln!(
                    "e2e: test {} failed; data dir kept at {}",
                    self.name,
                    dir.keep().display()
                );
            }
        }
    }
}
