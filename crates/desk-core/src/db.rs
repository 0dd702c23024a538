//! Opening the one SQLite file: pragmas, the refusal of a newer schema, the backup taken
//! before migrating (by [`crate::backup`]), and the numbered migrations embedded in the binary.

use std::path::Path;

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use crate::error::{Error, Result};

pub const DB_FILE: &str = "desk.sqlite";

/// The numbered migrations, in order. A shipped one is never edited.
pub fn migrations() -> Vec<M<'static>> {
    vec![
        M::up(include_str!("../migrations/0001_init.sql")),
        M::up_with_hook(
            include_str!("../migrations/0002_phone_tails.sql"),
            |tx: &rusqlite::Transaction| {
                crate::search::backfill_phone_tails(tx)?;
                Ok(())
            },
        ),
        M::up(include_str!("../migrations/0003_work_orders.sql")),
        M::up(include_str!("../migrations/0004_parts.sql")),
        M::up(include_str!("../migrations/0005_complaints.sql")),
        M::up(include_str!("../migrations/0006_exchange.sql")),
        M::up(include_str!("../migrations/0007_site_filters.sql")),
        M::up(include_str!("../migrations/0008_search_pending.sql")),
    ]
}

/// The schema version this build writes (PRAGMA user_version).
pub fn latest_version() -> i64 {
    migrations().len() as i64
}

pub(crate) fn open(path: &Path) -> Result<Connection> {
    open_with_migrations(path, &migrations())
}

/// [`open`] with a given migration list: tests use it to exercise a real upgrade.
pub fn open_with_migrations(path: &Path, migrations: &[M<'static>]) -> Result<Connection> {
    let latest = migrations.len() as i64;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut conn = Connection::open(path)?;
    // Read the version before anything writes to the file: a newer database is left untouched
    // (even switching the journal mode would change its header).
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > latest {
        return Err(Error::SchemaTooNew {
            found,
            supported: latest,
        });
    }
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    debug_assert_eq!(mode.to_lowercase(), "wal");
    // FULL: issued paperwork must survive a power cut, not just a process crash.
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    if found > 0 && found < latest {
        crate::backup::before_migration(&conn, path)?;
    }
    Migrations::from_slice(migrations).to_latest(&mut conn)?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        rusqlite_migration::Migrations::new(super::migrations())
            .validate()
            .expect("migrations apply to an empty database");
    }
}
