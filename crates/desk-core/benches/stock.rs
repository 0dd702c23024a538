//! `make bench` (stock part): a part's balance summed from a ledger of 1M movements over 10k
//! parts, and approving + issuing a requisition through the core. The database is generated
//! once into `.bench/` at the workspace root and reused (delete it to regenerate).
//!
//! BENCH_PARTS (default 10000), BENCH_MOVEMENTS (default 1000000), BENCH_ROUNDS (default 200).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use desk_core::catalog::{self, ProductModelInput};
use desk_core::customers::{AddressInput, ContactInput, CustomerInput, CustomerKind};
use desk_core::parts::requisitions::{self as req, RequisitionInput, RequisitionLineInput};
use desk_core::parts::{self, LocationInput, LocationKind};
use desk_core::site::{self, SetupInput, SiteInput, Tier};
use desk_core::units::UnitInput;
use desk_core::users::{self, NewUser, Role};
use desk_core::work_orders::{self as wo, Channel, IntakeInput, Kind};
use desk_core::{Desk, SystemClock};
use rand::{Rng, SeedableRng};
use rusqlite::params;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn report(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let pct = |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "| {label:<44} | {:>5} | {:>8.2} | {:>8.2} | {:>8.2} |",
        samples.len(),
        ms(pct(0.5)),
        ms(pct(0.95)),
        ms(*samples.last().unwrap())
    );
}

const ADMIN_PASSWORD: &str = "bench-password";

fn open_or_generate(n_parts: usize, n_moves: usize) -> Desk {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.bench");
    std::fs::create_dir_all(&root).unwrap();
    let path = root.join(format!("stock-{n_parts}-{n_moves}.sqlite"));
    let fresh = !path.exists();
    let mut desk = Desk::open_with_clock(&path, Arc::new(SystemClock)).expect("open bench db");
    if !fresh {
        users::sign_in(&mut desk, "admin", ADMIN_PASSWORD).unwrap();
        return desk;
    }
    let t = Instant::now();
    site::setup(
        &mut desk,
        SetupInput {
            site: SiteInput {
                code: "BN02".into(),
                name: "库存基准网点".into(),
                tier: Tier::Centre,
                time_zone: "Asia/Shanghai".into(),
                hotline: "400-820-8820".into(),
            },
            admin: NewUser {
                username: "admin".into(),
                display_name: "管理员".into(),
                role: Role::Admin,
                password: ADMIN_PASSWORD.into(),
            },
        },
    )
    .unwrap();
    let locations: Vec<String> = (0..10)
        .map(|i| {
            parts::create_location(
                &mut desk,
                LocationInput {
                    code: format!("L{i:02}"),
                    name: format!("库位 {i}"),
                    kind: LocationKind::Store,
                },
            )
            .unwrap()
            .id
        })
        .collect();
    let conn = desk.conn();
    conn.execute_batch("BEGIN").unwrap();
    let site_id: String = conn
        .query_row("SELECT id FROM sites LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let user_id: String = conn
        .query_row("SELECT id FROM users LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let now = "2026-01-01T00:00:00.000000Z";
    let mut part_ids = Vec::with_capacity(n_parts);
    {
        let mut stmt = conn
            .prepare(
                "INSERT INTO parts (id, site_id, code, name, model, unit, price_fen, warranty_months, reorder_point,
                                    serial_tracked, created_at, updated_at, created_by, updated_by)
                 VALUES (?1, ?2, ?3, ?4, 'M', '个', 1000, 12, 5, 0, ?5, ?5, ?6, ?6)",
            )
            .unwrap();
        for i in 0..n_parts {
            let id = uuid::Uuid::now_v7().to_string();
            stmt.execute(params![
                id,
                site_id,
                format!("P{i:06}"),
                format!("配件 {i}"),
                now,
                user_id
            ])
            .unwrap();
            part_ids.push(id);
        }
    }
    // Receipts first, then outgoing movements that never exceed what is there, as a real
    // ledger would be; the balance trigger runs for every row.
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut held = vec![0i64; n_parts * locations.len()];
    {
        let mut stmt = conn
            .prepare(
                "INSERT INTO stock_movements (id, site_id, at, user_id, part_id, location_id, qty, kind)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .unwrap();
        for _ in 0..n_moves {
            let p = rng.random_range(0..n_parts);
            let l = rng.random_range(0..locations.len());
            let slot = p * locations.len() + l;
            let (qty, kind) = if held[slot] > 0 && rng.random_bool(0.5) {
                (-rng.random_range(1..=held[slot].min(5)), "issue")
            } else {
                (rng.random_range(1..=20), "receipt")
            };
            held[slot] += qty;
            stmt.execute(params![
                uuid::Uuid::now_v7().to_string(),
                site_id,
                now,
                user_id,
                part_ids[p],
                locations[l],
                qty,
                kind
            ])
            .unwrap();
        }
    }
    conn.execute_batch("COMMIT").unwrap();
    eprintln!(
        "generated {n_parts} parts and {n_moves} movements in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    desk
}

fn main() {
    let n_parts = env_usize("BENCH_PARTS", 10_000);
    let n_moves = env_usize("BENCH_MOVEMENTS", 1_000_000);
    let rounds = env_usize("BENCH_ROUNDS", 200);
    let mut desk = open_or_generate(n_parts, n_moves);
    let part_ids: Vec<String> = {
        let mut stmt = desk.conn().prepare("SELECT id FROM parts").unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);

    println!("\n## Stock ({n_parts} parts, {n_moves} movements; release, {rounds} samples)\n");
    println!("| what | n | p50 ms | p95 ms | max ms |");
    println!("|---|---:|---:|---:|---:|");
    let times = (0..rounds)
        .map(|_| {
            let p = &part_ids[rng.random_range(0..part_ids.len())];
            let t = Instant::now();
            std::hint::black_box(parts::balance(&desk, p).unwrap());
            t.elapsed()
        })
        .collect();
    report("balance of one part (sum of its ledger)", times);

    // Requisitions: a work order to issue against, a technician who asks, the admin approves.
    let model = catalog::create(
        &mut desk,
        ProductModelInput {
            brand: "海尔".into(),
            model: format!("BENCH-{}", rng.random_range(0..1_000_000)),
            category: "空调".into(),
        },
    )
    .unwrap()
    .id;
    let order = wo::intake(
        &mut desk,
        IntakeInput {
            kind: Kind::Repair,
            channel: Channel::Phone,
            customer_id: None,
            new_customer: Some(CustomerInput {
                kind: CustomerKind::Person,
                name: "基准客户".into(),
                note: String::new(),
                contacts: vec![ContactInput {
                    id: None,
                    name: "基准客户".into(),
                    phone: "13800001111".into(),
                    title: String::new(),
                }],
                addresses: vec![AddressInput {
                    id: None,
                    province: "上海市".into(),
                    city: "上海市".into(),
                    district: "浦东新区".into(),
                    detail: "张杨路1号".into(),
                }],
            }),
            contact_id: None,
            unit_id: None,
            new_unit: Some(UnitInput {
                model_id: model,
                serial: format!("SN{}", rng.random_range(0..1_000_000_000u64)),
                purchase_date: None,
                seller: String::new(),
                install_date: None,
                address_id: None,
                note: String::new(),
            }),
            caller_phone: String::new(),
            description: "基准测试".into(),
        },
    )
    .unwrap()
    .order;
    let location: String = desk
        .conn()
        .query_row(
            "SELECT id FROM stock_locations WHERE code = 'L00'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let stocked: Vec<String> = {
        let mut stmt = desk
            .conn()
            .prepare(
                "SELECT part_id FROM stock_balances WHERE location_id = ?1 AND qty >= 50 LIMIT 500",
            )
            .unwrap();
        stmt.query_map([&location], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    let tech_name = format!("bench{}", rng.random_range(0..1_000_000));
    users::create(
        &mut desk,
        NewUser {
            username: tech_name.clone(),
            display_name: "基准技术员".into(),
            role: Role::Technician,
            password: "password1".into(),
        },
    )
    .unwrap();
    let mut pending = Vec::new();
    users::sign_out(&mut desk);
    users::sign_in(&mut desk, &tech_name, "password1").unwrap();
    for part_id in stocked.iter().take(rounds) {
        let r = req::request(
            &mut desk,
            RequisitionInput {
                work_order_id: order.id.clone(),
                location_id: location.clone(),
                purpose: String::new(),
                lines: vec![RequisitionLineInput {
                    part_id: part_id.clone(),
                    qty: 1,
                }],
            },
        )
        .unwrap();
        pending.push(r);
    }
    users::sign_out(&mut desk);
    users::sign_in(&mut desk, "admin", ADMIN_PASSWORD).unwrap();
    let times = pending
        .iter()
        .map(|r| {
            let t = Instant::now();
            let r = req::approve(&mut desk, &r.id, r.rev, "").unwrap();
            req::issue(&mut desk, &r.id, r.rev, vec![]).unwrap();
            t.elapsed()
        })
        .collect();
    report("approve + issue a requisition (slip issued)", times);
}
