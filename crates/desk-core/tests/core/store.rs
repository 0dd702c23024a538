//! The SQLite file: migrations, refusing a newer schema, pragmas, the append-only log.

use std::sync::Arc;

use desk_core::{db, Desk, Error, ErrorCode, SystemClock};

use crate::common::*;

#[test]
fn migrating_from_empty_reaches_the_latest_schema() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open(dir.path()).unwrap();
    let version: i64 = desk
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        version,
        db::latest_version(),
        "a new database is migrated to the latest version"
    );
    let tables: Vec<String> = desk
        .conn()
        .prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in [
        "change_log",
        "customers",
        "contacts",
        "addresses",
        "units",
        "product_models",
        "users",
        "sites",
        "policies",
        "name_grams",
        "customer_fts",
    ] {
        assert!(
            tables.iter().any(|x| x == t),
            "table {t} exists after migrating, got {tables:?}"
        );
    }
    let pragma = |p: &str| -> String {
        desk.conn()
            .query_row(&format!("PRAGMA {p}"), [], |r| {
                r.get::<_, rusqlite_value::V>(0)
            })
            .unwrap()
            .0
    };
    assert_eq!(pragma("journal_mode"), "wal");
    assert_eq!(pragma("foreign_keys"), "1");
    assert_eq!(pragma("synchronous"), "2", "synchronous=FULL");
    assert!(pragma("busy_timeout").parse::<i64>().unwrap() >= 5000);
}

mod rusqlite_value {
    /// Any SQLite value as text, for comparing pragmas.
    pub struct V(pub String);
    impl rusqlite::types::FromSql for V {
        fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
            Ok(V(match v {
                rusqlite::types::ValueRef::Integer(i) => i.to_string(),
                rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                other => format!("{other:?}"),
            }))
        }
    }
}

#[test]
fn reopening_keeps_data_and_does_not_migrate_again() {
    let mut env = env();
    create_person(&mut env, "王芳", "13812345678");
    let path = env.desk.path().to_owned();
    drop(env.desk);
    let desk = Desk::open_with_clock(&path, Arc::new(SystemClock)).unwrap();
    let n: i64 = desk
        .conn()
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    assert!(
        !path.parent().unwrap().join("backups").exists(),
        "no backup when nothing migrates"
    );
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.sqlite");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Desk::open_with_clock(&path, Arc::new(SystemClock))
        .err()
        .expect("a newer schema must be refused");
    assert!(
        matches!(err, Error::SchemaTooNew { found: 99, .. }),
        "got {err:?}"
    );
    assert_eq!(err.code(), ErrorCode::SchemaTooNew);
    assert!(
        err.to_string().contains("newer version"),
        "the message says why: {err}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file is byte-for-byte unchanged"
    );
    assert!(
        !dir.path().join("desk.sqlite-wal").exists(),
        "not even switched to WAL"
    );
}

#[test]
fn a_backup_is_taken_before_migrating_an_existing_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.sqlite");
    let first = [rusqlite_migration::M::up(
        "CREATE TABLE a (x TEXT); INSERT INTO a VALUES ('kept');",
    )];
    db::open_with_migrations(&path, &first).unwrap();
    let both = [
        first[0].clone(),
        rusqlite_migration::M::up("CREATE TABLE b (y);"),
    ];
    let conn = db::open_with_migrations(&path, &both).unwrap();
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 2);
    let backups: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        backups.len(),
        1,
        "one backup before the migration: {backups:?}"
    );
    let name = backups[0].file_name().unwrap().to_string_lossy();
    assert!(
        name.starts_with("desk-") && name.ends_with("-pre-migration.sqlite"),
        "named as every backup is, with its reason: {name}"
    );
    let old = rusqlite::Connection::open(&backups[0]).unwrap();
    let (ver, x): (i64, String) = old
        .query_row(
            "SELECT (SELECT user_version FROM pragma_user_version), x FROM a",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (ver, x.as_str()),
        (1, "kept"),
        "the backup holds the database as it was before migrating"
    );
}

#[test]
fn the_change_log_is_append_only_in_sql() {
    let mut env = env();
    create_person(&mut env, "王芳", "13812345678");
    let conn = env.desk.conn();
    let upd = conn.execute("UPDATE change_log SET user_id = 'x'", []);
    assert!(upd.unwrap_err().to_string().contains("append-only"));
    let del = conn.execute("DELETE FROM change_log", []);
    assert!(del.unwrap_err().to_string().contains("append-only"));
}

#[test]
fn every_change_is_logged_with_who_and_what() {
    let mut env = env();
    let before = env.log_count();
    let c = create_person(&mut env, "王芳", "13812345678");
    // customer + contact + address
    assert_eq!(env.log_count() - before, 3);
    let history = desk_core::audit::history(env.desk.conn(), "customers", &c.customer.id).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].action, "insert");
    assert_eq!(history[0].user_id, env.desk.actor().unwrap().user_id);
    assert!(
        history[0].data.contains("王芳"),
        "the log holds the record's data: {}",
        history[0].data
    );
}

#[test]
fn a_failing_change_leaves_no_log_row() {
    let mut env = env();
    let c = create_person(&mut env, "王芳", "13812345678");
    let before = env.log_count();
    // The customer row is updated and logged first; the unknown contact id is found after,
    // inside the same transaction, so the whole change must roll back.
    let mut input = person("王芳芳", "13812345678");
    input.contacts[0].id = Some("00000000-0000-7000-8000-000000000000".into());
    let err = desk_core::customers::update(&mut env.desk, &c.customer.id, c.customer.rev, input)
        .unwrap_err();
    assert_eq!(
        issues(err),
        vec![(
            "contacts.0.id".to_owned(),
            desk_core::Rule::UnknownReference
        )]
    );
    assert_eq!(
        env.log_count(),
        before,
        "no log row for a change that did not commit"
    );
    let now = desk_core::customers::get(&env.desk, &c.customer.id).unwrap();
    assert_eq!(
        (now.customer.name.as_str(), now.customer.rev),
        ("王芳", 1),
        "the customer is unchanged"
    );
}

#[test]
fn opening_the_same_file_twice_sees_committed_writes() {
    let mut env = env();
    let other = Desk::open_with_clock(env.desk.path(), Arc::new(SystemClock)).unwrap();
    create_person(&mut env, "王芳", "13812345678");
    let n: i64 = other
        .conn()
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn upgrading_a_version_1_database_backs_it_up_and_fills_the_phone_tails() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.sqlite");
    {
        // A database as the first release left it: schema 1, one customer with a landline.
        let conn = db::open_with_migrations(&path, &db::migrations()[..1]).unwrap();
        conn.execute_batch(
            "INSERT INTO customers (id, site_id, kind, name, created_at, updated_at, created_by, updated_by)
             VALUES ('c1', 's1', 'person', '王芳', 't', 't', 'u', 'u');
             INSERT INTO contacts (id, site_id, customer_id, position, name, phone, created_at, updated_at, created_by, updated_by)
             VALUES ('p1', 's1', 'c1', 0, '王芳', '021-58881234', 't', 't', 'u', 'u');",
        )
        .unwrap();
    }
    let conn = db::open_with_migrations(&path, &db::migrations()).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, db::latest_version());
    let tails: Vec<String> = conn
        .prepare("SELECT reversed FROM phone_tails")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(tails, ["43218885120"], "the landline's digits, reversed");
    let page = desk_core::search::search_in(&conn, "1234", None, 0, 10).unwrap();
    assert_eq!(
        page.hits
            .iter()
            .map(|h| h.name.as_str())
            .collect::<Vec<_>>(),
        ["王芳"]
    );
    let backups = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .count();
    assert_eq!(backups, 1, "a backup was taken before migrating");
}
