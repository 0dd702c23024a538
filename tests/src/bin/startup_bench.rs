//! Startup and memory bench: the release app against a bare Tauri window.
//!
//! For each run it spawns the binary under the current DISPLAY, times spawn → the
//! `DESK_READY` line on stdout (the app prints it when its UI calls `ui_ready`; the bare
//! window when its page has loaded), waits for things to settle, sums PSS over the
//! process and all its descendants (WebKitWebProcess, WebKitNetworkProcess), then stops
//! the whole tree. USS (private pages) is reported beside PSS because PSS shrinks when
//! other WebKit processes share the libraries (another app open during the bench).
//! Runs alternate between the two binaries so drift hits both alike.
//!
//! `make bench` builds both in release and runs this under xvfb-run.
//!
//!     startup_bench [--runs N] [--warmup N] [--only app|bare] [--settle-ms MS]
//!                   [--timeout-s S] [--app PATH] [--bare PATH] [--out FILE]

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread::sleep;
use std::time::{Duration, Instant};

use std::os::unix::process::CommandExt;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

const READY_LINE: &str = "DESK_READY";

struct Options {
    runs: usize,
    warmup: usize,
    app: Option<PathBuf>,
    bare: Option<PathBuf>,
    settle: Duration,
    timeout: Duration,
    out: Option<PathBuf>,
}

fn usage() -> ! {
    eprintln!(
        "usage: startup_bench [--runs N] [--warmup N] [--only app|bare] [--settle-ms MS] \
         [--timeout-s S] [--app PATH] [--bare PATH] [--out FILE]"
    );
    std::process::exit(2)
}

fn parse_args() -> Options {
    let release = e2e::workspace_root().join("target/release");
    let mut o = Options {
        runs: 5,
        warmup: 1,
        app: Some(release.join("after-sales-desk")),
        bare: Some(release.join("bare-window")),
        settle: Duration::from_millis(1500),
        timeout: Duration::from_secs(60),
        out: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        let number = |v: String| v.parse::<u64>().unwrap_or_else(|_| usage());
        match flag.as_str() {
            "--runs" => o.runs = number(value()).max(1) as usize,
            "--warmup" => o.warmup = number(value()) as usize,
            "--settle-ms" => o.settle = Duration::from_millis(number(value())),
            "--timeout-s" => o.timeout = Duration::from_secs(number(value())),
            "--app" => o.app = Some(value().into()),
            "--bare" => o.bare = Some(value().into()),
            "--out" => o.out = Some(value().into()),
            "--only" => match value().as_str() {
                "app" => o.bare = None,
                "bare" => o.app = None,
                _ => usage(),
            },
            _ => usage(),
        }
    }
    o
}

/// One measured start.
struct Sample {
    ready_ms: f64,
    pss_kib: u64,
    uss_kib: u64,
    /// PSS per process name, in KiB (names as in /proc/<pid>/comm, 15 characters).
    by_name: BTreeMap<String, u64>,
}

/// Parent of every live process, from /proc/<pid>/stat.
fn parent_map() -> HashMap<u32, u32> {
    let mut map = HashMap::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return map;
    };
    for pid in entries.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok()) {
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // "pid (comm) state ppid …": comm may hold spaces and parentheses.
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            continue;
        };
        if let Some(ppid) = rest.split_whitespace().nth(1).and_then(|p| p.parse().ok()) {
            map.insert(pid, ppid);
        }
    }
    map
}

/// `root` and all its descendants that are alive now.
fn tree(root: u32) -> Vec<u32> {
    let parents = parent_map();
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let p = found[i];
        found.extend(parents.iter().filter(|(_, &pp)| pp == p).map(|(&c, _)| c));
        i += 1;
    }
    found.retain(|pid| Path::new(&format!("/proc/{pid}")).exists());
    found
}

/// (PSS, USS) in KiB. PSS splits shared pages among every process mapping them, so it
/// drops while other WebKit apps run; USS (private pages only) does not depend on them.
fn memory_kib(pid: u32) -> Option<(u64, u64)> {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let field = |name: &str| -> Option<u64> {
        rollup
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    };
    let pss = field("Pss:")?;
    let uss = field("Private_Clean:")? + field("Private_Dirty:")?;
    Some((pss, uss))
}

fn comm(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|_| format!("pid {pid}"))
}

fn signal_all(pids: &[u32], sig: libc::c_int) {
    for &pid in pids {
        // SAFETY: kill(2) on processes of the tree this bench spawned.
        unsafe {
            libc::kill(pid as libc::pid_t, sig);
        }
    }
}

/// Stops the tree gently (SIGTERM, so WebKit's helpers see their parent go), then
/// forcibly whatever is left after 5 s, and reaps the child.
fn stop_tree(child: &mut std::process::Child) {
    let pids = tree(child.id());
    signal_all(&pids, libc::SIGTERM);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let _ = child.try_wait();
        let alive: Vec<u32> = pids
            .iter()
            .copied()
            .filter(|pid| {
                std::fs::read_to_string(format!("/proc/{pid}/stat"))
                    // A zombie is gone for our purposes.
                    .map(|s| {
                        !s.rsplit(')')
                            .next()
                            .unwrap_or("")
                            .trim_start()
                            .starts_with('Z')
                    })
                    .unwrap_or(false)
            })
            .collect();
        if alive.is_empty() {
            break;
        }
        if Instant::now() >= deadline {
            signal_all(&alive, libc::SIGKILL);
            break;
        }
        sleep(Duration::from_millis(50));
    }
    let _ = child.wait();
}

fn measure(binary: &Path, args: &[OsString], o: &Options, log: &Path) -> Result<Sample> {
    let stderr = std::fs::File::create(log)?;
    let start = Instant::now();
    let mut child = Command::new(binary)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        // Keep reading to the end so the app never blocks on a full pipe.
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if line.trim() == READY_LINE {
                let _ = tx.send(Instant::now());
            }
        }
    });
    let ready_at = loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(at) => break at,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let status = child.wait()?;
                return Err(format!(
                    "{} closed stdout without printing {READY_LINE} ({status}); see {}",
                    binary.display(),
                    log.display()
                )
                .into());
            }
        }
        if start.elapsed() > o.timeout {
            stop_tree(&mut child);
            return Err(format!(
                "{} did not print {READY_LINE} within {:?}; see {}",
                binary.display(),
                o.timeout,
                log.display()
            )
            .into());
        }
    };
    let ready_ms = ready_at.duration_since(start).as_secs_f64() * 1000.0;
    sleep(o.settle);
    let mut by_name = BTreeMap::new();
    let (mut pss_total, mut uss_total) = (0, 0);
    for pid in tree(child.id()) {
        if let Some((pss, uss)) = memory_kib(pid) {
            pss_total += pss;
            uss_total += uss;
            *by_name.entry(comm(pid)).or_insert(0) += pss;
        }
    }
    stop_tree(&mut child);
    Ok(Sample {
        ready_ms,
        pss_kib: pss_total,
        uss_kib: uss_total,
        by_name,
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Nearest-rank percentile (with 5 runs, p95 is the slowest run).
fn percentile(mut v: Vec<f64>, p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

struct Subject {
    label: &'static str,
    binary: PathBuf,
    /// The app gets a fresh data dir per run; the bare window takes no arguments.
    wants_data_dir: bool,
    samples: Vec<Sample>,
}

fn main() -> Result<()> {
    let o = parse_args();
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        return Err("no display: run under `xvfb-run -a` (or `make bench`)".into());
    }
    let mut subjects = Vec::new();
    if let Some(app) = &o.app {
        subjects.push(Subject {
            label: "after-sales-desk",
            binary: app.clone(),
            wants_data_dir: true,
            samples: Vec::new(),
        });
    }
    if let Some(bare) = &o.bare {
        subjects.push(Subject {
            label: "bare-window",
            binary: bare.clone(),
            wants_data_dir: false,
            samples: Vec::new(),
        });
    }
    for s in &subjects {
        if !s.binary.is_file() {
            return Err(format!(
                "{} is missing: build it in release first (`make bench` does)",
                s.binary.display()
            )
            .into());
        }
    }

    let env_of = |k: &str| std::env::var(k).unwrap_or_else(|_| "unset".into());
    let header = format!(
        "startup bench: {} runs each after {} warm-up, settle {} ms, DISPLAY={}, \
         WEBKIT_DISABLE_COMPOSITING_MODE={}",
        o.runs,
        o.warmup,
        o.settle.as_millis(),
        env_of("DISPLAY"),
        env_of("WEBKIT_DISABLE_COMPOSITING_MODE"),
    );
    println!("{header}");
    for run in 0..o.warmup + o.runs {
        let warm = run < o.warmup;
        for s in &mut subjects {
            let scratch = tempfile::Builder::new().prefix("desk-bench-").tempdir()?;
            let mut args = Vec::new();
            if s.wants_data_dir {
                args.push(OsString::from("--data-dir"));
                args.push(scratch.path().join("data").into_os_string());
            }
            let log = scratch.path().join("stderr.log");
            let sample = match measure(&s.binary, &args, &o, &log) {
                Ok(sample) => sample,
                Err(e) => {
                    // Keep the scratch dir: its stderr.log says why.
                    let kept = scratch.keep();
                    return Err(format!("{e} (kept {})", kept.display()).into());
                }
            };
            let breakdown: Vec<String> = sample
                .by_name
                .iter()
                .map(|(name, kib)| format!("{name} {:.1}", mib(*kib)))
                .collect();
            println!(
                "{:>7} {:<17} ready {:>7.1} ms  PSS {:>6.1} MiB  USS {:>6.1} MiB  (PSS: {})",
                if warm {
                    "warm-up".to_owned()
                } else {
                    format!("run {}", run - o.warmup + 1)
                },
                s.label,
                sample.ready_ms,
                mib(sample.pss_kib),
                mib(sample.uss_kib),
                breakdown.join(", ")
            );
            if !warm {
                s.samples.push(sample);
            }
        }
    }

    let mut table = String::new();
    table.push_str(
        "| binary | start median (ms) | start p95 (ms) | PSS median (MiB) | USS median (MiB) |\n",
    );
    table.push_str("|---|---:|---:|---:|---:|\n");
    for s in &subjects {
        let ms: Vec<f64> = s.samples.iter().map(|x| x.ready_ms).collect();
        let pss: Vec<f64> = s.samples.iter().map(|x| mib(x.pss_kib)).collect();
        let uss: Vec<f64> = s.samples.iter().map(|x| mib(x.uss_kib)).collect();
        table.push_str(&format!(
            "| {} | {:.0} | {:.0} | {:.1} | {:.1} |\n",
            s.label,
            median(ms.clone()),
            percentile(ms, 95.0),
            median(pss),
            median(uss)
        ));
    }
    println!();
    print!("{table}");
    if let Some(out) = &o.out {
        if let Some(dir) = out.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut f = std::fs::File::create(out)?;
        writeln!(f, "{header}\n")?;
        f.write_all(table.as_bytes())?;
        println!("\nwritten to {}", out.display());
    }
    Ok(())
}
