//! Headless subcommands of the same binary, run before any window opens.
//!
//! `after-sales-desk demo [--data-dir DIR] [--customers N]` sets up a demo site (if the data
//! folder is new) and loads the demo archive: the one-command demo of the README.

use std::path::PathBuf;

use desk_core::site::{self, SetupInput, SiteInput, Tier};
use desk_core::users::{NewUser, Role};
use desk_core::{demo, users, Desk};

pub const DEMO_ADMIN: (&str, &str) = ("admin", "admin1234");

/// Returns the exit code when `args` named a subcommand, None to start the app.
pub fn run(args: &[String], data_dir: Option<PathBuf>) -> Option<i32> {
    if args.get(1).map(String::as_str) != Some("demo") {
        return None;
    }
    let customers = args
        .windows(2)
        .find(|w| w[0] == "--customers")
        .and_then(|w| w[1].parse().ok())
        .unwrap_or(crate::commands::DEMO_CUSTOMERS);
    let Some(dir) = data_dir else {
        eprintln!("demo: give --data-dir DIR (or set {})", crate::DATA_DIR_ENV);
        return Some(2);
    };
    Some(match load_demo(&dir, customers) {
        Ok(msg) => {
            eprintln!("{msg}");
            0
        }
        Err(e) => {
            eprintln!("demo: {e}");
            1
        }
    })
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
