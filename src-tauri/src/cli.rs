//! Headless subcommands of the same binary, run before any window opens. Progress and
//! results go to stderr; exit code 0 on success, 1 on failure, 2 on bad usage.
//!
//! `after-sales-desk demo [--data-dir DIR] [--customers N]` sets up a demo site (if the data
//! folder is new) and loads the demo archive: the one-command demo of the README.
//!
//! `after-sales-desk backup [--data-dir DIR]` backs up the database (for a scheduled task);
//! without `--data-dir` (or `$DESK_DATA_DIR`) it backs up the app's own data folder.

use std::path::PathBuf;

use desk_core::site::{self, SetupInput, SiteInput, Tier};
use desk_core::users::{NewUser, Role};
use desk_core::{demo, users, Desk};

pub const DEMO_ADMIN: (&str, &str) = ("admin", "admin1234");

/// Returns the exit code when `args` named a subcommand, None to start the app.
pub fn run(args: &[String], data_dir: Option<PathBuf>) -> Option<i32> {
    match args.get(1).map(String::as_str) {
        Some("demo") => Some(run_demo(args, data_dir)),
        Some("backup") => Some(run_backup(args, data_dir)),
        Some("export") => Some(exchange_cli(args, data_dir, true)),
        Some("import") => Some(exchange_cli(args, data_dir, false)),
        _ => None,
    }
}

fn run_demo(args: &[String], data_dir: Option<PathBuf>) -> i32 {
    let customers = args
        .windows(2)
        .find(|w| w[0] == "--customers")
        .and_then(|w| w[1].parse().ok())
        .unwrap_or(crate::commands::DEMO_CUSTOMERS);
    let Some(dir) = data_dir else {
        eprintln!("demo: give --data-dir DIR (or set {})", crate::DATA_DIR_ENV);
        return 2;
    };
    match load_demo(&dir, customers) {
        Ok(msg) => {
            eprintln!("{msg}");
            0
        }
        Err(e) => {
            eprintln!("demo: {e}");
            1
        }
    }
}

fn load_demo(dir: &std::path::Path, customers: usize) -> desk_core::Result<String> {
    let mut desk = Desk::open(dir)?;
    if !site::status(&desk)?.set_up {
        site::setup(
            &mut desk,
            SetupInput {
                site: SiteInput {
                    code: "SH01".into(),
                    name: "上海浦东顾客服务中心".into(),
                    tier: Tier::Centre,
                    time_zone: "Asia/Shanghai".into(),
                    hotline: "400-820-8820".into(),
                },
                admin: NewUser {
                    username: DEMO_ADMIN.0.into(),
                    display_name: "系统管理员".into(),
                    role: Role::Admin,
                    password: DEMO_ADMIN.1.into(),
                },
            },
        )?;
    } else {
        users::sign_in(&mut desk, DEMO_ADMIN.0, DEMO_ADMIN.1)?;
    }
    let s = demo::load(&mut desk, customers)?;
    Ok(format!(
        "demo data in {}: {} customers, {} units, {} models, {} staff, {} work orders, {} parts in stock, {} complaints (admin / {}; staff password {})",
        dir.display(),
        s.customers,
        s.units,
        s.models,
        s.users,
        s.work_orders,
        s.parts,
        s.complaints,
        DEMO_ADMIN.1,
        demo::DEMO_PASSWORD
    ))
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.windows(2).find(|w| w[0] == name).map(|w| w[1].clone())
}

/// `export --to FILE [--destination CODE] [--full] [--policy]` and
/// `import FILE [--allow-unknown-site]`: for the OS scheduler. Progress and the result on
/// stderr; exit 0 done, 1 failed (nothing changed), 2 bad usage.
fn exchange_cli(args: &[String], data_dir: Option<PathBuf>, export: bool) -> i32 {
    use desk_core::exchange::{self, BundleKind, ExportOptions, ImportOptions};
    let verb = if export { "export" } else { "import" };
    let file = if export {
        flag(args, "--to")
    } else {
        args.get(2).filter(|a| !a.starts_with("--")).cloned()
    };
    let (Some(dir), Some(file)) = (data_dir, file) else {
        eprintln!(
            "usage: after-sales-desk export --to FILE [--destination CODE] [--full] [--policy] [--data-dir DIR]\n       after-sales-desk import FILE [--allow-unknown-site] [--data-dir DIR]\n(the data folder: --data-dir or ${})",
            crate::DATA_DIR_ENV
        );
        return 2;
    };
    let run = || -> desk_core::Result<String> {
        eprintln!("{verb}: opening {}", dir.display());
        let mut desk = Desk::open(&dir)?;
        desk.sign_in_system()?;
        let path = PathBuf::from(&file);
        let s = if export {
            let opts = ExportOptions {
                kind: if args.iter().any(|a| a == "--policy") {
                    BundleKind::Policy
                } else {
                    BundleKind::Data
                },
                destination: flag(args, "--destination").unwrap_or_default(),
                full: args.iter().any(|a| a == "--full"),
            };
            eprintln!("{verb}: collecting changes and writing {}", path.display());
            exchange::export(&mut desk, &opts, &path)?
        } else {
            eprintln!("{verb}: verifying {}", path.display());
            let opts = ImportOptions {
                allow_unknown_site: args.iter().any(|a| a == "--allow-unknown-site"),
            };
            let s = exchange::import(&mut desk, &path, &opts)?;
            eprintln!("{verb}: committed; building the search entries of the imported customers");
            loop {
                let left = exchange::after_import(&desk, 5_000)?;
                if left == 0 {
                    break;
                }
                eprintln!("{verb}: {left} customers still to index");
            }
            s
        };
        Ok(format!(
            "{verb}: done — {} {} (change log {}–{}), {}",
            if export { "to" } else { "from" },
            if s.peer.is_empty() { "anyone" } else { &s.peer },
            s.seq_from,
            s.seq_to,
            // Totals; the per-table figures (`customers.inserted`…) are in the history.
            s.counts
                .iter()
                .filter(|(k, _)| !k.contains('.'))
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    };
    match run() {
        Ok(msg) => {
            eprintln!("{msg}");
            0
        }
        Err(e) => {
            let p = e.payload();
            eprintln!("{verb}: failed, nothing was changed: {}", p.message);
            1
        }
    }
}

const BACKUP_USAGE: &str = "usage: after-sales-desk backup [--data-dir DIR]";

/// One backup (reason `cli`), pruned like the app's own; it counts as the day's automatic one.
fn run_backup(args: &[String], data_dir: Option<PathBuf>) -> i32 {
    let mut rest = args.iter().skip(2);
    while let Some(arg) = rest.next() {
        let problem = if arg == "--data-dir" {
            rest.next()
                .is_none()
                .then(|| "--data-dir needs a folder".to_owned())
        } else {
            (!arg.starts_with("--data-dir=")).then(|| format!("unexpected argument {arg:?}"))
        };
        if let Some(problem) = problem {
            eprintln!("backup: {problem}\n{BACKUP_USAGE}");
            return 2;
        }
    }
    let Some(dir) = data_dir.or_else(app_data_dir) else {
        eprintln!("backup: no data folder known here; give --data-dir DIR\n{BACKUP_USAGE}");
        return 2;
    };
    let db_file = dir.join(desk_core::db::DB_FILE);
    // Opening a missing database would create an empty one: a mistyped folder is an error.
    if !db_file.is_file() {
        eprintln!("backup: no database at {}", db_file.display());
        return 1;
    }
    eprintln!("backup: backing up {} …", db_file.display());
    let started = std::time::Instant::now();
    let made = Desk::open(&dir).and_then(|mut d| {
        desk_core::backup::create(&mut d, desk_core::backup::BackupReason::Cli)
            .map(|b| (b, desk_core::backup::dir(&d)))
    });
    match made {
        Ok((b, folder)) => {
            eprintln!(
                "backup: wrote {} ({} bytes, schema {}) in {:.2} s",
                folder.join(&b.file_name).display(),
                b.size,
                b.schema_version,
                started.elapsed().as_secs_f64()
            );
            0
        }
        Err(e) => {
            eprintln!("backup: failed: {e}");
            1
        }
    }
}

/// The folder the app itself uses when given none: Tauri's app data dir, i.e. the OS data
/// folder joined with the bundle identifier (read from tauri.conf.json, not repeated here).
fn app_data_dir() -> Option<PathBuf> {
    let conf: serde_json::Value = serde_json::from_str(include_str!("../tauri.conf.json")).ok()?;
    let identifier = conf.get("identifier")?.as_str()?;
    Some(dirs::data_dir()?.join(identifier))
}
