//! A process killed with SIGKILL mid-write loses nothing it reported committed.

use std::time::Duration;

use rand::Rng;

const CHILD_ENV: &str = "DESK_CRASH_CHILD_DB";

/// Not a test of its own: the child process that the crash test starts and kills. It writes
/// customers as fast as it can and prints each id only after its transaction committed.
#[test]
#[ignore = "run only as the crash test's child"]
fn crash_child_writer() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut desk = desk_core::Desk::open_with_clock(
        std::path::Path::new(&path),
        std::sync::Arc::new(desk_core::SystemClock),
    )
    .unwrap();
    if !desk_core::site::status(&desk).unwrap().set_up {
        desk_core::site::setup(&mut desk, crate::common::setup_input()).unwrap();
    } else {
        desk_core::users::sign_in(&mut desk, "admin", crate::common::ADMIN_PASSWORD).unwrap();
    }
    let mut i = 0u64;
    loop {
        let c = desk_core::customers::create(
            &mut desk,
            crate::common::person("崩溃测试", &format!("139{:08}", i % 100_000_000)),
        )
        .unwrap();
        println!("committed {}", c.customer.id);
        i += 1;
    }
}

#[cfg(unix)]
#[test]
fn sigkill_at_random_instants_loses_no_committed_write() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.sqlite");
    let mut rng = rand::rng();
    let mut committed = Vec::new();
    for round in 0..50 {
        let (mut child, reader) = crate::common::spawn_child(
            "crash::crash_child_writer",
            &[(CHILD_ENV, db.as_os_str())],
            "committed ",
        );
        // The first round also runs setup (an argon2 hash): give it longer.
        let wait = if round == 0 {
            rng.random_range(400..800)
        } else {
            rng.random_range(20..250)
        };
        std::thread::sleep(Duration::from_millis(wait));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        committed.extend(reader.join().unwrap());
    }
    assert!(
        committed.len() > 50,
        "the child wrote something in most rounds ({} ids)",
        committed.len()
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let mut missing = Vec::new();
    for id in &committed {
        let n: i64 = conn
            .query_row("SELECT count(*) FROM customers WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap();
        if n != 1 {
            missing.push(id);
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} reported commits are missing: {:?}",
        missing.len(),
        committed.len(),
        &missing[..missing.len().min(5)]
    );
    let logged: i64 = conn
        .query_row(
            "SELECT count(*) FROM change_log WHERE table_name = 'customers'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        logged, rows,
        "every customer that exists has its log row, and no log row outlived its record"
    );
}
