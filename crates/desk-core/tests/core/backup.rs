//! Backups and restore: a round trip gives back the database as it was, a bad file is refused
//! with nothing changed, pruning keeps exactly N, a failed backup leaves no file behind, and
//! the daily backup comes due once a day.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Duration;
use desk_core::backup::{self, BackupInfo, BackupReason};
use desk_core::users::Role;
use desk_core::{customers, db, Desk, Error, ErrorCode, FixedClock, Rule};
use sha2::{Digest, Sha256};

use crate::common::*;

/// Every table's rows as a hash, by table name. Rows are compared as sorted text, so a table
/// without rowid (or one whose rowids VACUUM renumbered) still compares by content.
/// `change_log` is cut at `log_upto` (the rows a later restore adds are checked apart).
fn content(conn: &rusqlite::Connection, log_upto: Option<i64>) -> BTreeMap<String, String> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(
        tables.len() > 20,
        "a desk database has its tables: {tables:?}"
    );
    let mut out = BTreeMap::new();
    for table in tables {
        let sql = match (table.as_str(), log_upto) {
            ("change_log", Some(seq)) => format!("SELECT * FROM change_log WHERE seq <= {seq}"),
            ("sqlite_sequence", Some(_)) => {
                "SELECT * FROM sqlite_sequence WHERE name <> 'change_log'".to_owned()
            }
            _ => format!("SELECT * FROM \"{table}\""),
        };
        let mut stmt = conn.prepare(&sql).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let mut row = String::new();
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    row.push_str(&format!("{v:?}\u{1f}"));
                }
                Ok(row)
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rows.sort();
        let mut h = Sha256::new();
        for row in &rows {
            h.update(row.as_bytes());
            h.update(b"\n");
        }
        out.insert(table, format!("{}:{:x}", rows.len(), h.finalize()));
    }
    out
}

fn max_seq(conn: &rusqlite::Connection) -> i64 {
    conn.query_row("SELECT coalesce(max(seq), 0) FROM change_log", [], |r| {
        r.get(0)
    })
    .unwrap()
}

fn backups_dir(env: &Env) -> PathBuf {
    env.dir.path().join("backups")
}

/// Every name in the backups folder, temporary files included.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|r| {
            r.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn sign_in_admin(env: &mut Env) {
    desk_core::users::sign_out(&mut env.desk);
    desk_core::users::sign_in(&mut env.desk, "admin", ADMIN_PASSWORD).unwrap();
}

fn customer_names(conn: &rusqlite::Connection) -> Vec<String> {
    conn.prepare("SELECT name FROM customers ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_restore_gives_back_the_database_as_it_was_at_the_backup() {
    let mut env = env();
    create_person(&mut env, "王芳", "13812345678");
    let c = create_person(&mut env, "李雷", "13912345678");
    let seq_before = max_seq(env.desk.conn());
    let before = content(env.desk.conn(), Some(seq_before));

    let taken = backup::create(&mut env.desk, BackupReason::Manual).unwrap();
    assert!(
        taken.file_name.starts_with("desk-20261122T020000Z-manual"),
        "named by the UTC time and the reason: {}",
        taken.file_name
    );
    assert_eq!(taken.reason, BackupReason::Manual);
    assert_eq!(taken.schema_version, db::latest_version());
    assert_eq!(taken.created_at, "2026-11-22T02:00:00.000000Z");
    let on_disk = backups_dir(&env).join(&taken.file_name);
    assert_eq!(
        std::fs::metadata(&on_disk).unwrap().len() as i64,
        taken.size,
        "the size is the file's"
    );

    // Life goes on: a new customer, an edit.
    env.clock.advance(Duration::hours(3));
    create_person(&mut env, "韩梅梅", "13712345678");
    let mut edit = person("李雷雷", "13912345678");
    edit.contacts[0].id = Some(c.contacts[0].id.clone());
    edit.addresses[0].id = Some(c.addresses[0].id.clone());
    customers::update(&mut env.desk, &c.customer.id, c.customer.rev, edit).unwrap();
    let changed = content(env.desk.conn(), None);
    assert_ne!(changed, before, "the data did change after the backup");

    let admin_id = env.desk.actor().unwrap().user_id.clone();
    let restored = backup::restore(&mut env.desk, &taken.file_name).unwrap();
    assert_eq!(restored.source, taken.file_name);
    assert_eq!(restored.schema_version, db::latest_version());
    assert_eq!(restored.pre_restore.reason, BackupReason::PreRestore);
    assert!(
        matches!(env.desk.actor(), Err(Error::Unauthenticated)),
        "the session ends with a restore"
    );

    let after = content(env.desk.conn(), Some(seq_before));
    assert_eq!(
        after, before,
        "every table holds exactly what it held when the backup was taken"
    );
    // The one row more: the restore itself, in the restored database's log.
    let added: Vec<(String, String)> = env
        .desk
        .conn()
        .prepare("SELECT table_name, user_id FROM change_log WHERE seq > ?1")
        .unwrap()
        .query_map([seq_before], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(added, [("restores".to_owned(), admin_id)]);

    // The pre-restore backup holds the data as it was just before the restore.
    let pre = backups_dir(&env).join(&restored.pre_restore.file_name);
    let pre_conn =
        rusqlite::Connection::open_with_flags(&pre, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    assert_eq!(customer_names(&pre_conn), ["李雷雷", "王芳", "韩梅梅"]);
    assert_eq!(
        content(&pre_conn, None).get("customers"),
        changed.get("customers")
    );
    assert_eq!(customer_names(env.desk.conn()), ["李雷", "王芳"]);

    // Signed in again, the restored database works as before and lists both backups.
    sign_in_admin(&mut env);
    create_person(&mut env, "张三", "13612345678");
    let listed: Vec<(BackupReason, String)> = backup::list(&env.desk)
        .unwrap()
        .into_iter()
        .map(|b| (b.reason, b.file_name))
        .collect();
    assert_eq!(
        listed,
        [
            (BackupReason::PreRestore, restored.pre_restore.file_name),
            (BackupReason::Manual, taken.file_name),
        ],
        "newest first"
    );
}

/// A restore from a file chosen outside the backups folder, copied out of a live data folder
/// with its -wal beside it: the writes still in the WAL come along.
#[test]
fn a_copy_of_a_live_database_with_its_wal_restores_whole() {
    let mut other = env();
    create_person(&mut other, "远方客户", "13512345678");
    let outside = tempfile::tempdir().unwrap();
    let copy = outside.path().join("from-the-other-pc.sqlite");
    // The other desk is still open: its last writes are in desk.sqlite-wal.
    let wal = other.dir.path().join("desk.sqlite-wal");
    assert!(
        std::fs::metadata(&wal).unwrap().len() > 0,
        "the write is in the WAL"
    );
    std::fs::copy(other.desk.path(), &copy).unwrap();
    std::fs::copy(&wal, outside.path().join("from-the-other-pc.sqlite-wal")).unwrap();

    let mut env = env();
    create_person(&mut env, "本地客户", "13812345678");
    let restored = backup::restore_file(&mut env.desk, &copy).unwrap();
    assert_eq!(restored.source, copy.display().to_string());
    assert_eq!(customer_names(env.desk.conn()), ["远方客户"]);
    assert!(copy.exists(), "the chosen file is left where it was");
    assert_eq!(
        files_in(&backups_dir(&env)),
        [restored.pre_restore.file_name],
        "the pre-restore backup and no leftover copy"
    );
}

/// What a refused file must leave: the same data, the same files, the same session.
struct Snapshot {
    content: BTreeMap<String, String>,
    files: Vec<String>,
}

fn snapshot(env: &Env) -> Snapshot {
    Snapshot {
        content: content(env.desk.conn(), None),
        files: files_in(&backups_dir(env)),
    }
}

fn refused(env: &mut Env, file: &Path, rule: Rule, case: &str) -> Error {
    let before = snapshot(env);
    let err = backup::restore_file(&mut env.desk, file)
        .err()
        .unwrap_or_else(|| panic!("{case}: the file must be refused"));
    assert_eq!(
        issues_of(&err),
        [("file".to_owned(), rule)],
        "{case}: refused for the right reason ({err})"
    );
    let after = snapshot(env);
    assert_eq!(
        after.content, before.content,
        "{case}: the database is unchanged"
    );
    assert_eq!(
        after.files, before.files,
        "{case}: no pre-restore backup, no temporary file"
    );
    assert!(
        env.desk.actor().is_ok(),
        "{case}: the session goes on after a refusal"
    );
    err
}

fn issues_of(err: &Error) -> Vec<(String, Rule)> {
    match err {
        Error::Validation(list) => list.iter().map(|i| (i.field.clone(), i.rule)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn a_bad_file_is_refused_and_nothing_changes() {
    let mut env = env();
    create_person(&mut env, "王芳", "13812345678");
    for i in 0..40 {
        create_person(&mut env, &format!("客户{i}"), &format!("1381234{i:04}"));
    }
    let good = backup::create(&mut env.desk, BackupReason::Manual).unwrap();
    let good = std::fs::read(backups_dir(&env).join(&good.file_name)).unwrap();
    assert!(good.len() > 8 * 4096, "a backup of several pages");
    let outside = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = outside.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };

    let truncated = write("truncated.sqlite", &good[..good.len() / 2]);
    refused(&mut env, &truncated, Rule::UnreadableFile, "truncated");

    let mut garbled = good.clone();
    let page = 4096;
    for b in &mut garbled[2 * page..good.len() - page] {
        *b = 0xA5;
    }
    let corrupt = write("corrupt.sqlite", &garbled);
    refused(&mut env, &corrupt, Rule::UnreadableFile, "corrupt");

    let empty = write("empty.sqlite", b"");
    refused(&mut env, &empty, Rule::UnreadableFile, "empty");

    let text = write(
        "notes.sqlite",
        "客户名单\n王芳,13812345678\n".repeat(20).as_bytes(),
    );
    refused(&mut env, &text, Rule::UnsupportedFile, "not SQLite");

    let foreign = outside.path().join("someone-elses.sqlite");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('饺子');")
        .unwrap();
    refused(
        &mut env,
        &foreign,
        Rule::UnsupportedFile,
        "another program's database",
    );

    // Claims to be a desk database of schema 3 but lacks its tables.
    let pretender = outside.path().join("pretender.sqlite");
    rusqlite::Connection::open(&pretender)
        .unwrap()
        .execute_batch("CREATE TABLE customers (id TEXT); PRAGMA user_version = 3;")
        .unwrap();
    refused(
        &mut env,
        &pretender,
        Rule::UnsupportedFile,
        "a database without the app's tables",
    );

    let newer = write("newer.sqlite", &good);
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch(&format!(
            "PRAGMA user_version = {};",
            db::latest_version() + 1
        ))
        .unwrap();
    let err = refused(&mut env, &newer, Rule::NewerVersion, "a newer schema");
    let payload = err.payload();
    assert_eq!(payload.code, ErrorCode::Validation);
    assert_eq!(
        payload.params.get("found").map(String::as_str),
        Some((db::latest_version() + 1).to_string().as_str()),
        "the UI can say which version wrote it"
    );
    assert_eq!(
        payload.params.get("supported"),
        Some(&db::latest_version().to_string())
    );

    let missing = outside.path().join("gone.sqlite");
    let err = backup::restore_file(&mut env.desk, &missing).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    let err = backup::restore(&mut env.desk, "../desk.sqlite").unwrap_err();
    assert_eq!(
        err.code(),
        ErrorCode::NotFound,
        "only names the folder lists"
    );
    let err = backup::restore(&mut env.desk, " ").unwrap_err();
    assert_eq!(issues_of(&err), [("file".to_owned(), Rule::Required)]);
}

/// An older backup (here a database of schema 4) is restored and migrated on opening, with the
/// usual backup before the migration.
#[test]
fn an_older_schema_is_restored_and_migrated() {
    let mut env = env();
    let outside = tempfile::tempdir().unwrap();
    let old = outside.path().join("old.sqlite");
    drop(db::open_with_migrations(&old, &db::migrations()[..4]).unwrap());
    let restored = backup::restore_file(&mut env.desk, &old).unwrap();
    assert_eq!(restored.schema_version, 4);
    let v: i64 = env
        .desk
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, db::latest_version(), "migrated on opening");
    sign_in_admin_after_setup(&mut env);
    let reasons: Vec<(BackupReason, i64)> = backup::list(&env.desk)
        .unwrap()
        .into_iter()
        .map(|b| (b.reason, b.schema_version))
        .collect();
    assert!(
        reasons.contains(&(BackupReason::PreMigration, 4)),
        "the restored copy was backed up before it was migrated: {reasons:?}"
    );
    assert!(reasons.contains(&(BackupReason::PreRestore, db::latest_version())));
}

/// The restored copy was an empty database: set it up to look at the folder again.
fn sign_in_admin_after_setup(env: &mut Env) {
    desk_core::site::setup(&mut env.desk, setup_input()).unwrap();
}

#[test]
fn a_restore_waits_for_other_programs_to_close_the_database() {
    let mut env = env();
    create_person(&mut env, "王芳", "13812345678");
    let taken = backup::create(&mut env.desk, BackupReason::Manual).unwrap();
    create_person(&mut env, "李雷", "13912345678");
    // Another program reading the same database (its WAL is open).
    let other = rusqlite::Connection::open(env.desk.path()).unwrap();
    let _: i64 = other
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    let err = backup::restore(&mut env.desk, &taken.file_name).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Io, "{err}");
    assert_eq!(
        customer_names(env.desk.conn()),
        ["李雷", "王芳"],
        "the database is left as it was, and open"
    );
    create_person(&mut env, "韩梅梅", "13712345678");
    drop(other);
    backup::restore(&mut env.desk, &taken.file_name).unwrap();
    assert_eq!(customer_names(env.desk.conn()), ["王芳"]);
}

#[test]
fn pruning_keeps_exactly_the_last_n_and_the_safety_copies_apart() {
    let mut env = env();
    assert_eq!(
        backup::settings(&env.desk).unwrap().keep,
        backup::DEFAULT_KEEP
    );
    for bad in [0, -1, backup::KEEP_MAX + 1] {
        let err = backup::set_keep(&mut env.desk, bad).unwrap_err();
        assert_eq!(
            issues_of(&err),
            [("keep".to_owned(), Rule::OutOfRange)],
            "keep {bad}"
        );
        assert_eq!(
            err.payload().params.get("max"),
            Some(&backup::KEEP_MAX.to_string())
        );
    }
    assert_eq!(backup::set_keep(&mut env.desk, 3).unwrap().keep, 3);

    let safety = backup::create(&mut env.desk, BackupReason::PreRestore).unwrap();
    let mut made: Vec<BackupInfo> = Vec::new();
    for (i, reason) in [
        BackupReason::Daily,
        BackupReason::Manual,
        BackupReason::Cli,
        BackupReason::Manual,
        BackupReason::Daily,
    ]
    .into_iter()
    .enumerate()
    {
        env.clock.advance(Duration::minutes(10));
        create_person(&mut env, &format!("客户{i}"), &format!("1381234{i:04}"));
        made.push(backup::create(&mut env.desk, reason).unwrap());
    }
    let everyday: Vec<String> = backup::list(&env.desk)
        .unwrap()
        .into_iter()
        .filter(|b| !b.reason.is_safety())
        .map(|b| b.file_name)
        .collect();
    let newest: Vec<String> = made
        .iter()
        .rev()
        .take(3)
        .map(|b| b.file_name.clone())
        .collect();
    assert_eq!(everyday, newest, "exactly the last 3, newest first");
    assert!(
        backups_dir(&env).join(&safety.file_name).exists(),
        "everyday backups never push out a safety copy"
    );

    // Two backups in the same second get two names.
    let a = backup::create(&mut env.desk, BackupReason::Manual).unwrap();
    let b = backup::create(&mut env.desk, BackupReason::Manual).unwrap();
    assert_ne!(a.file_name, b.file_name);
    assert!(b.file_name.ends_with("-manual-2.sqlite"), "{}", b.file_name);

    // Safety copies have their own limit.
    for _ in 0..backup::SAFETY_KEEP + 2 {
        env.clock.advance(Duration::seconds(1));
        backup::create(&mut env.desk, BackupReason::PreRestore).unwrap();
    }
    let list = backup::list(&env.desk).unwrap();
    assert_eq!(
        list.iter().filter(|b| b.reason.is_safety()).count(),
        backup::SAFETY_KEEP
    );
    assert_eq!(list.iter().filter(|b| !b.reason.is_safety()).count(), 3);
}

#[test]
fn only_an_admin_backs_up_restores_or_changes_how_many_are_kept() {
    let mut env = env();
    let taken = backup::create(&mut env.desk, BackupReason::Manual).unwrap();
    for role in [Role::Supervisor, Role::FrontDesk, Role::WarehouseKeeper] {
        env.sign_in_as(role);
        let forbidden = |r: desk_core::Result<()>, what: &str| {
            let e = r.expect_err(what);
            assert_eq!(e.code(), ErrorCode::Forbidden, "{role:?} {what}: {e}");
        };
        forbidden(backup::list(&env.desk).map(drop), "list");
        forbidden(backup::settings(&env.desk).map(drop), "settings");
        forbidden(
            backup::create(&mut env.desk, BackupReason::Manual).map(drop),
            "back up now",
        );
        forbidden(backup::set_keep(&mut env.desk, 5).map(drop), "keep");
        forbidden(
            backup::restore(&mut env.desk, &taken.file_name).map(drop),
            "restore",
        );
    }
    assert_eq!(
        files_in(&backups_dir(&env)),
        [taken.file_name],
        "nothing was made or replaced"
    );
}

#[test]
fn the_daily_backup_comes_due_once_a_day() {
    let mut env = env();
    desk_core::users::sign_out(&mut env.desk);
    assert!(backup::due(&env.desk).unwrap(), "due with no backup at all");
    let first = backup::run_daily(&mut env.desk)
        .unwrap()
        .expect("taken with nobody signed in");
    assert_eq!(first.reason, BackupReason::Daily);
    assert!(!backup::due(&env.desk).unwrap());
    assert!(backup::run_daily(&mut env.desk).unwrap().is_none());

    env.clock
        .advance(Duration::hours(23) + Duration::minutes(59));
    assert!(!backup::due(&env.desk).unwrap(), "not before 24 hours");
    // A manual backup is not the daily one: it does not push the schedule.
    sign_in_admin(&mut env);
    backup::create(&mut env.desk, BackupReason::Manual).unwrap();
    env.clock.advance(Duration::minutes(1));
    assert!(backup::due(&env.desk).unwrap(), "due at 24 hours");
    let second = backup::run_daily(&mut env.desk).unwrap().unwrap();
    assert_eq!(second.created_at, "2026-11-23T02:00:00.000000Z");

    // A command-line (scheduled) backup counts as an automatic one.
    env.clock.advance(Duration::hours(30));
    backup::create(&mut env.desk, BackupReason::Cli).unwrap();
    assert!(!backup::due(&env.desk).unwrap());

    // The clock set back five days: backups stamped "in the future" do not stop the daily one.
    env.clock.advance(Duration::days(-5));
    assert!(backup::due(&env.desk).unwrap());
    backup::run_daily(&mut env.desk).unwrap().unwrap();
    assert!(!backup::due(&env.desk).unwrap());

    // The log names the system for the app's own backups, the admin for theirs.
    let who: Vec<(String, String)> = env
        .desk
        .conn()
        .prepare(
            "SELECT json_extract(data, '$.reason'), user_id FROM change_log
             WHERE table_name = 'backups' ORDER BY seq",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let admin = env.desk.actor().unwrap().user_id.clone();
    assert_eq!(
        who,
        [
            ("daily".to_owned(), "system".to_owned()),
            ("manual".to_owned(), admin.clone()),
            ("daily".to_owned(), "system".to_owned()),
            ("cli".to_owned(), "system".to_owned()),
            ("daily".to_owned(), "system".to_owned()),
        ]
    );
}

#[test]
fn nothing_is_backed_up_daily_before_setup() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(noon()));
    let mut desk = Desk::open_with_clock(&dir.path().join("desk.sqlite"), clock).unwrap();
    assert!(backup::run_daily(&mut desk).unwrap().is_none());
    assert!(!dir.path().join("backups").exists());
}

const FAIL_CHILD_ENV: &str = "DESK_BACKUP_FAIL_CHILD_DIR";

/// Not a test of its own: the child process of the next test. With a file size limit far
/// below the database's size, the backup's VACUUM INTO fails halfway through writing.
#[cfg(unix)]
#[test]
#[ignore = "run only as the failed-backup test's child"]
fn failed_backup_child() {
    let Ok(dir) = std::env::var(FAIL_CHILD_ENV) else {
        return;
    };
    let clock = Arc::new(FixedClock::new(noon()));
    let path = Path::new(&dir).join("desk.sqlite");
    let mut desk = Desk::open_with_clock(&path, clock).unwrap();
    desk_core::site::setup(&mut desk, setup_input()).unwrap();
    for i in 0..200 {
        customers::create(
            &mut desk,
            person(&format!("客户{i}"), &format!("1381234{i:04}")),
        )
        .unwrap();
    }
    // Everything the database needs is written; from here on no file may grow past 32 KiB.
    desk.conn()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    std::fs::create_dir_all(Path::new(&dir).join("backups")).unwrap();
    // SAFETY: plain libc calls on this (child) process: ignore SIGXFSZ so that the write
    // fails with EFBIG instead of killing the process, and lower the file size limit.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        let limit = libc::rlimit {
            rlim_cur: 32 * 1024,
            rlim_max: libc::RLIM_INFINITY,
        };
        assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &limit), 0);
    }
    let err = backup::create(&mut desk, BackupReason::Manual).unwrap_err();
    // On a line of its own: the test harness has just printed the test's name without one.
    println!("\nBACKUP-ERROR {err}");
}

#[cfg(unix)]
#[test]
fn a_failed_backup_leaves_no_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, lines) = spawn_child(
        "backup::failed_backup_child",
        &[(FAIL_CHILD_ENV, dir.path().as_os_str())],
        "BACKUP-ERROR ",
    );
    let status = child.wait().unwrap();
    let lines = lines.join().unwrap();
    assert!(status.success(), "the child ran to its end: {status}");
    assert_eq!(lines.len(), 1, "the backup failed as it should: {lines:?}");
    assert!(
        lines[0].contains("I/O") || lines[0].contains("full"),
        "a write error: {}",
        lines[0]
    );
    assert_eq!(
        files_in(&dir.path().join("backups")),
        Vec::<String>::new(),
        "no temporary file, no half backup"
    );
}

#[test]
fn a_backup_before_migrating_is_listed_with_the_version_it_held() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.sqlite");
    drop(db::open_with_migrations(&path, &db::migrations()[..3]).unwrap());
    let mut desk = Desk::open_with_clock(&path, Arc::new(FixedClock::new(noon()))).unwrap();
    desk_core::site::setup(&mut desk, setup_input()).unwrap();
    let list = backup::list(&desk).unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0].reason, BackupReason::PreMigration);
    assert_eq!(list[0].schema_version, 3);
    assert!(list[0].file_name.ends_with("-pre-migration.sqlite"));
}
