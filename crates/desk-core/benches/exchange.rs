//! `make bench` (exchange part): export of 100k work orders with their customers (and the
//! contacts and timelines they carry), import at the centre, and importing again — the same
//! bundle, and an overlapping full export of the same records. The outlet's database is
//! generated once into `.bench/`; each run imports into a fresh centre database.
//!
//! BENCH_ORDERS (default 100000).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use desk_core::exchange::{self, BundleKind, ExportOptions, ImportOptions, Peer};
use desk_core::site::{self, SetupInput, SiteInput, Tier};
use desk_core::users::{self, NewUser, Role};
use desk_core::{Desk, SystemClock};
use rusqlite::params;

const PASSWORD: &str = "bench-password";

fn setup(path: &std::path::Path, code: &str, tier: Tier) -> Desk {
    let mut desk = Desk::open_with_clock(path, Arc::new(SystemClock)).unwrap();
    site::setup(
        &mut desk,
        SetupInput {
            site: SiteInput {
                code: code.into(),
                name: format!("{code} 基准站"),
                tier,
                time_zone: "Asia/Shanghai".into(),
                hotline: "400-820-8820".into(),
            },
            admin: NewUser {
                username: "admin".into(),
                display_name: "管理员".into(),
                role: Role::Admin,
                password: PASSWORD.into(),
            },
        },
    )
    .unwrap();
    desk
}

fn outlet(n: usize) -> Desk {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.bench");
    std::fs::create_dir_all(&root).unwrap();
    let path = root.join(format!("exchange-outlet-{n}.sqlite"));
    if path.exists() {
        let mut desk = Desk::open_with_clock(&path, Arc::new(SystemClock)).unwrap();
        users::sign_in(&mut desk, "admin", PASSWORD).unwrap();
        return desk;
    }
    let t = Instant::now();
    let desk = setup(&path, "A01", Tier::Outlet);
    let admin = desk.actor().unwrap().user_id.clone();
    let site = desk.actor().unwrap().site_id.clone();
    let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let conn = desk.conn();
    conn.execute_batch("BEGIN").unwrap();
    {
        let mut cust = conn
            .prepare("INSERT INTO customers (id, site_id, kind, name, created_at, updated_at, created_by, updated_by) VALUES (?1, ?2, 'person', ?3, ?4, ?4, ?5, ?5)")
            .unwrap();
        let mut contact = conn
            .prepare("INSERT INTO contacts (id, site_id, customer_id, position, name, phone, created_at, updated_at, created_by, updated_by) VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, ?6, ?7, ?7)")
            .unwrap();
        let mut order = conn
            .prepare("INSERT INTO work_orders (id, site_id, number, kind, channel, state, customer_id, contact_id, description, owner_id, created_at, updated_at, created_by, updated_by)
                      VALUES (?1, ?2, ?3, 'repair', 'phone', 'received', ?4, ?5, '空调不制冷，室外机异响，开机十分钟后自动停机。', ?6, ?7, ?7, ?6, ?6)")
            .unwrap();
        let mut event = conn
            .prepare("INSERT INTO work_order_events (id, work_order_id, at, user_id, event, from_state, to_state, note) VALUES (?1, ?2, ?3, ?4, 'received', 'received', 'received', 'phone')")
            .unwrap();
        for i in 0..n {
            let c = format!("00000000-0000-7000-8000-{i:012}");
            let k = format!("00000000-0000-7000-9000-{i:012}");
            let w = format!("00000000-0000-7000-a000-{i:012}");
            let e = format!("00000000-0000-7000-b000-{i:012}");
            cust.execute(params![c, site, format!("顾客{i:06}"), now, admin])
                .unwrap();
            contact
                .execute(params![
                    k,
                    site,
                    c,
                    format!("顾客{i:06}"),
                    format!("139{i:08}"),
                    now,
                    admin
                ])
                .unwrap();
            order
                .execute(params![
                    w,
                    site,
                    format!("A01-GD-2026-{:06}", i + 1),
                    c,
                    k,
                    admin,
                    now
                ])
                .unwrap();
            event.execute(params![e, w, now, admin]).unwrap();
        }
    }
    conn.execute_batch("COMMIT").unwrap();
    eprintln!(
        "generated {n} customers, contacts, work orders and events in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let mut desk = desk;
    users::sign_out(&mut desk);
    users::sign_in(&mut desk, "admin", PASSWORD).unwrap();
    desk
}

fn main() {
    let n: usize = std::env::var("BENCH_ORDERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let mut a = outlet(n);
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a01.zip");
    let opts = ExportOptions {
        kind: BundleKind::Data,
        destination: "C01".into(),
        full: true,
    };
    let t = Instant::now();
    let s = exchange::export(&mut a, &opts, &file).unwrap();
    let export = t.elapsed();
    let size = std::fs::metadata(&file).unwrap().len();
    let rows: i64 = s.counts.values().sum();

    let mut centre = setup(&tmp.path().join("centre.sqlite"), "C01", Tier::Centre);
    exchange::add_peer(
        &mut centre,
        Peer {
            code: "A01".into(),
            name: String::new(),
            relation: "below".into(),
        },
    )
    .unwrap();
    let t = Instant::now();
    let got = exchange::import(&mut centre, &file, &ImportOptions::default()).unwrap();
    let import = t.elapsed();
    assert!(
        got.counts.get("inserted").copied().unwrap_or(0) as usize >= n * 2,
        "{:?}",
        got.counts
    );

    // What follows the commit (the app does it in the background): the search entries of
    // the imported customers, then the WAL checkpoint.
    let t = Instant::now();
    let mut batches = 0;
    while exchange::after_import(&centre, 5_000).unwrap() > 0 {
        batches += 1;
    }
    let after = t.elapsed();
    let found = desk_core::search::search(&centre, "顾客000123", 0, 10).unwrap();
    assert_eq!(found.hits.len(), 1, "imported customers are found");

    let t = Instant::now();
    exchange::import(&mut centre, &file, &ImportOptions::default()).unwrap();
    let again = t.elapsed();

    let file2 = tmp.path().join("a01-again.zip");
    exchange::export(&mut a, &opts, &file2).unwrap();
    let t = Instant::now();
    let got = exchange::import(&mut centre, &file2, &ImportOptions::default()).unwrap();
    let overlap = t.elapsed();
    assert!(
        !got.counts.contains_key("inserted") && !got.counts.contains_key("updated"),
        "{:?}",
        got.counts
    );

    println!("\nexchange: {n} work orders with their customers, contacts and events ({rows} rows, bundle {:.1} MB); release, synchronous=FULL\n", size as f64 / 1e6);
    println!("| what | s | goal |");
    println!("|---|---:|---:|");
    println!("| export (full) | {:.2} | ≤ 3 |", export.as_secs_f64());
    println!(
        "| import into a fresh centre | {:.2} | ≤ 6 |",
        import.as_secs_f64()
    );
    println!(
        "| then, after the commit: search entries of {n} customers ({} batches) and the WAL checkpoint | {:.2} | |",
        batches + 1,
        after.as_secs_f64()
    );
    println!(
        "| import the same bundle again (no-op) | {:.2} | ≤ 1 |",
        again.as_secs_f64()
    );
    println!(
        "| import an overlapping full export (every row compared, none changed) | {:.2} | |",
        overlap.as_secs_f64()
    );
}
