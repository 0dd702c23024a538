//! `make bench` (complaints part): the complaint board — open complaints by level and clock
//! state plus the most pressing cards — over 100k complaints, and the escalation sweep that
//! runs before it. The database is generated once into `.bench/` at the workspace root and
//! reused (delete it to regenerate).
//!
//! Then the Excel export of the complaint list (every complaint, and one level), timed with
//! the size of the file and the process's peak memory.
//!
//! BENCH_COMPLAINTS (default 100000), BENCH_OPEN_PERCENT (default 10), BENCH_ROUNDS (default 200),
//! BENCH_XLSX_ROUNDS (default 3).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use desk_core::complaints::sla::{self, BoardFilter, BoardState};
use desk_core::complaints::ComplaintFilter;
use desk_core::customers::{self, ContactInput, CustomerInput, CustomerKind};
use desk_core::site::{self, Language, SetupInput, SiteInput, Tier};
use desk_core::users::{self, NewUser, Role};
use desk_core::{xlsx, Desk, SystemClock};
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

fn ts(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// 100k complaints over the last two years; `open_percent` of them still open, with due
/// times spread from three days ago (breached) to a week ahead, a few paused.
fn open_or_generate(n: usize, open_percent: usize) -> Desk {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.bench");
    std::fs::create_dir_all(&root).unwrap();
    let path = root.join(format!("complaints-{n}-{open_percent}.sqlite"));
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
                code: "BN03".into(),
                name: "投诉基准中心".into(),
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
    let admin = desk.actor().unwrap().user_id.clone();
    let customers: Vec<String> = (0..2000)
        .map(|i| {
            customers::create(
                &mut desk,
                CustomerInput {
                    kind: CustomerKind::Person,
                    name: format!("顾客{i:04}"),
                    note: String::new(),
                    contacts: vec![ContactInput {
                        id: None,
                        name: format!("顾客{i:04}"),
                        phone: format!("139{:08}", i),
                        title: String::new(),
                    }],
                    addresses: vec![],
                },
            )
            .unwrap()
            .customer
            .id
        })
        .collect();
    let mut rng = rand::rngs::StdRng::seed_from_u64(5);
    let now = Utc::now();
    let conn = desk.conn();
    conn.execute_batch("BEGIN").unwrap();
    {
        let mut ins = conn
            .prepare(
                "INSERT INTO complaints (id, site_id, number, kind, level, channel, stage, customer_id, complainant, phone,
                                         content, demand, owner_id, received_at, paused_since, next_due_at, next_risk_at,
                                         next_escalation_at, reaction, feedback, closed_at, created_at, updated_at, created_by, updated_by)
                 VALUES (?1, 'bench', ?2, ?3, ?4, 'phone', ?5, ?6, '顾客', '13900000000', '空调维修后仍有噪音，要求重新检修。', '重新检修',
                         ?7, ?8, ?9, ?10, ?11, ?15, ?12, ?13, ?14, ?8, ?8, ?7, ?7)",
            )
            .unwrap();
        let mut clock = conn
            .prepare(
                "INSERT INTO complaint_clocks (complaint_id, clock, started_at, limit_minutes, risk_percent, due_at, risk_at, stopped_at, escalated)
                 VALUES (?1, ?2, ?3, 1440, 80, ?4, ?5, ?6, ?7)",
            )
            .unwrap();
        for i in 0..n {
            let id = uuid_like(i);
            let open = rng.random_range(0..100) < open_percent;
            let level = rng.random_range(1..=4i64);
            let kind = ["product_quality", "service", "proposal"][rng.random_range(0..3)];
            let received = if open {
                now - chrono::Duration::minutes(rng.random_range(0..14 * 24 * 60))
            } else {
                now - chrono::Duration::minutes(rng.random_range(14 * 24 * 60..730 * 24 * 60))
            };
            let paused = open && rng.random_range(0..100) < 3;
            let due = now + chrono::Duration::minutes(rng.random_range(-3 * 24 * 60..7 * 24 * 60));
            let risk = due - chrono::Duration::minutes(rng.random_range(60..600));
            let closed =
                (!open).then(|| received + chrono::Duration::hours(rng.random_range(2..200)));
            let stage = if open { "investigated" } else { "closed" };
            ins.execute(params![
                id,
                format!("BN03-TS-{}-{:06}", 2024 + i / 50_000, i % 50_000 + 1),
                kind,
                level,
                stage,
                customers[rng.random_range(0..customers.len())],
                admin,
                ts(received),
                paused.then(|| ts(now - chrono::Duration::hours(5))),
                (open && !paused).then(|| ts(due)),
                (open && !paused).then(|| ts(risk)),
                (!open).then_some("satisfied"),
                if open { "" } else { "顾客满意" },
                closed.map(ts),
                // Breached ones have escalated already, as the sweep leaves them.
                (open && !paused && due >= now).then(|| ts(due)),
            ])
            .unwrap();
            for (k, name) in ["accept", "respond", "close"].iter().enumerate() {
                let stopped = if open && k == 2 {
                    None
                } else {
                    Some(ts(received + chrono::Duration::hours(3)))
                };
                clock
                    .execute(params![
                        id,
                        name,
                        ts(received),
                        ts(if open && k == 2 {
                            due
                        } else {
                            received + chrono::Duration::hours(24)
                        }),
                        ts(if open && k == 2 {
                            risk
                        } else {
                            received + chrono::Duration::hours(19)
                        }),
                        stopped,
                        // Breached open ones have already escalated, as the sweep leaves them.
                        open && k == 2 && due < now,
                    ])
                    .unwrap();
            }
        }
    }
    conn.execute_batch("COMMIT").unwrap();
    conn.execute_batch("ANALYZE").unwrap();
    eprintln!(
        "generated {n} complaints ({open_percent}% open) in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    desk
}

fn uuid_like(i: usize) -> String {
    format!("00000000-0000-7000-8000-{i:012}")
}

fn main() {
    let n = env_usize("BENCH_COMPLAINTS", 100_000);
    let open = env_usize("BENCH_OPEN_PERCENT", 10);
    let rounds = env_usize("BENCH_ROUNDS", 200);
    let mut desk = open_or_generate(n, open);
    let open_now: i64 = desk
        .conn()
        .query_row(
            "SELECT count(*) FROM complaints WHERE closed_at IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    println!("\ncomplaints: {n} in total, {open_now} open; {rounds} rounds (release, synchronous=FULL)\n");
    println!(
        "| what                                         |     n |  p50 ms |  p95 ms |  max ms |"
    );
    println!(
        "|----------------------------------------------|------:|--------:|--------:|--------:|"
    );
    let run = |label: &str, desk: &mut Desk, f: &dyn Fn(&mut Desk)| {
        for _ in 0..5 {
            f(desk);
        }
        let samples = (0..rounds)
            .map(|_| {
                let t = Instant::now();
                f(desk);
                t.elapsed()
            })
            .collect();
        report(label, samples);
    };
    run("board: all levels, counts + 200 cards", &mut desk, &|d| {
        let b = sla::board(d, &BoardFilter::default()).unwrap();
        assert!(!b.items.is_empty());
    });
    run("board: level 3, breached only", &mut desk, &|d| {
        sla::board(
            d,
            &BoardFilter {
                level: Some(3),
                state: Some(BoardState::Breached),
                limit: None,
            },
        )
        .unwrap();
    });
    run(
        "escalation sweep (nothing new to escalate)",
        &mut desk,
        &|d| {
            sla::escalate_breached(d).unwrap();
        },
    );
    run(
        "sweep + board (what the desk does on a read)",
        &mut desk,
        &|d| {
            sla::escalate_breached(d).unwrap();
            sla::board(d, &BoardFilter::default()).unwrap();
        },
    );

    let xlsx_rounds = env_usize("BENCH_XLSX_ROUNDS", 3).max(1);
    println!("\nExcel export of the complaint list ({xlsx_rounds} rounds after one warm-up)\n");
    println!("| what                                 |    rows |  p50 ms |  max ms |    size |");
    println!("|--------------------------------------|--------:|--------:|--------:|--------:|");
    let level3 = ComplaintFilter {
        level: Some(3),
        ..ComplaintFilter::default()
    };
    for (label, filter) in [
        ("xlsx: every complaint", ComplaintFilter::default()),
        ("xlsx: level 3 only", level3),
    ] {
        let rows = desk_core::complaints::list(&desk, &filter).unwrap().total;
        let bytes = xlsx::complaints(&desk, &filter, Language::ZhCn).unwrap();
        if filter.level.is_none() {
            // Kept for looking at (LibreOffice, Excel) next to the database.
            let kept = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join(format!("../../.bench/complaints-{n}.xlsx"));
            std::fs::write(kept, &bytes).unwrap();
        }
        let mut samples: Vec<Duration> = (0..xlsx_rounds)
            .map(|_| {
                let t = Instant::now();
                let b = xlsx::complaints(&desk, &filter, Language::ZhCn).unwrap();
                let took = t.elapsed();
                assert_eq!(
                    b.len() / 1000,
                    bytes.len() / 1000,
                    "the same file each time"
                );
                took
            })
            .collect();
        samples.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "| {label:<36} | {rows:>7} | {:>7.0} | {:>7.0} | {:>4.1} MB |",
            ms(samples[samples.len() / 2]),
            ms(*samples.last().unwrap()),
            bytes.len() as f64 / 1e6
        );
    }
    // Rows stream to a temporary file: the peak stays far below the sheet's size in memory.
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        if let Some(peak) = status.lines().find(|l| l.starts_with("VmHWM")) {
            println!(
                "\npeak memory of the bench process: {}",
                peak.trim_start_matches("VmHWM:").trim()
            );
        }
    }
}
