//! After-Sales Desk core: every rule of the domain, the SQLite store, search and the audit log.
//! No Tauri here: everything a user does is a function a test can call on a temporary database.
//!
//! A [`Desk`] is one open database plus the signed-in user. Aggregates are modules of free
//! functions taking the desk: `customers::create(&mut desk, input)`.

/// A closed set of values stored as TEXT (with a CHECK in SQL): the enum, its TypeScript type,
/// its text in the database and back. Every state machine and kind of the core uses it.
macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, ts_rs::TS)]
        #[serde(rename_all = "camelCase")]
        #[ts(export)]
        pub enum $name { $($(#[$vm])* $variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}

pub mod audit;
pub mod backup;
pub mod calendar;
pub mod catalog;
pub mod clock;
pub mod complaints;
pub mod customers;
pub mod db;
pub mod demo;
pub mod documents;
pub mod error;
pub mod exchange;
pub mod forms;
pub mod parts;
pub mod scan;
pub mod search;
pub mod site;
pub mod units;
pub mod users;
mod validate;
pub mod work_orders;
pub mod xlsx;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{Error, ErrorCode, ErrorPayload, FieldIssue, Result, Rule};
pub use validate::{normalize_phone, PhoneKinds};

use users::{Permission, Role};

/// The signed-in user, as every rule sees them.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: String,
    pub role: Role,
    pub site_id: String,
}

/// What a write sees: who, when, and "today" in the site's time zone.
pub struct Ctx {
    pub actor: Actor,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub tz: Tz,
}

impl Ctx {
    pub(crate) fn now_text(&self) -> String {
        timestamp(self.now)
    }
    /// A stored UTC timestamp as printed on paper: the site's wall clock to the minute.
    pub(crate) fn local_text(&self, stored: &str) -> String {
        DateTime::parse_from_rfc3339(stored)
            .map(|t| {
                t.with_timezone(&self.tz)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_else(|_| stored.to_owned())
    }

    /// "Now" as printed on paper: the site's wall clock to the minute.
    pub(crate) fn local_now_text(&self) -> String {
        self.now
            .with_timezone(&self.tz)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }
}

/// UTC instants are stored as RFC 3339 with microseconds, so text order is time order.
pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub struct Desk {
    conn: Connection,
    clock: Arc<dyn Clock>,
    path: PathBuf,
    session: Option<Actor>,
    time_zone: Tz,
}

impl Desk {
    /// Opens (creating and migrating when needed) `desk.sqlite` in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Desk> {
        Desk::open_with_clock(&data_dir.join(db::DB_FILE), Arc::new(SystemClock))
    }

    pub fn open_with_clock(db_file: &Path, clock: Arc<dyn Clock>) -> Result<Desk> {
        let conn = db::open(db_file)?;
        let mut desk = Desk {
            conn,
            clock,
            path: db_file.to_owned(),
            session: None,
            time_zone: site::DEFAULT_TIME_ZONE,
        };
        desk.refresh_site()?;
        Ok(desk)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read access for queries; writes go through [`Desk::write`].
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn time_zone(&self) -> Tz {
        self.time_zone
    }

    /// The calendar date at the site right now.
    pub fn today(&self) -> NaiveDate {
        self.now().with_timezone(&self.time_zone).date_naive()
    }

    pub fn actor(&self) -> Result<&Actor> {
        self.session.as_ref().ok_or(Error::Unauthenticated)
    }

    /// The signed-in actor, if their role grants `perm`.
    pub fn require(&self, perm: Permission) -> Result<&Actor> {
        let actor = self.actor()?;
        if actor.role.can(perm) {
            Ok(actor)
        } else {
            Err(Error::Forbidden {
                role: actor.role,
                action: perm.as_str(),
            })
        }
    }

    /// Runs `f` in one IMMEDIATE transaction after the permission check; commits only if `f`
    /// succeeds, so a refused change writes nothing — neither the record nor its log row.
    pub(crate) fn write<T>(
        &mut self,
        perm: Permission,
        f: impl FnOnce(&Transaction, &Ctx) -> Result<T>,
    ) -> Result<T> {
        self.write_as_of(perm, None, f)
    }

    /// [`Desk::write`] as if it happened at `at`: only demo data uses a past instant, so
    /// that its complaints have clocks that already ran.
    pub(crate) fn write_as_of<T>(
        &mut self,
        perm: Permission,
        at: Option<DateTime<Utc>>,
        f: impl FnOnce(&Transaction, &Ctx) -> Result<T>,
    ) -> Result<T> {
        let actor = self.require(perm)?.clone();
        let now = at.unwrap_or_else(|| self.now());
        let ctx = Ctx {
            actor,
            now,
            today: now.with_timezone(&self.time_zone).date_naive(),
            tz: self.time_zone,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx, &ctx)?;
        tx.commit()?;
        Ok(out)
    }

    /// A transaction with no signed-in user: only first-run setup uses it.
    pub(crate) fn write_unauthenticated<T>(
        &mut self,
        f: impl FnOnce(&Transaction, DateTime<Utc>) -> Result<T>,
    ) -> Result<T> {
        let now = self.now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx, now)?;
        tx.commit()?;
        Ok(out)
    }

    /// Acts as the site's own scheduled task (`after-sales-desk export …` from the OS
    /// scheduler): an administrator named `system`, recorded as such in the logs. Whoever can
    /// run the program on this machine can read its database file anyway.
    pub fn sign_in_system(&mut self) -> Result<()> {
        let site = site::get_local(&self.conn)?.ok_or(Error::NotSetUp)?;
        self.session = Some(Actor {
            user_id: "system".into(),
            role: Role::Admin,
            site_id: site.id,
        });
        Ok(())
    }

    pub(crate) fn set_session(&mut self, actor: Option<Actor>) {
        self.session = actor;
    }

    pub(crate) fn refresh_site(&mut self) -> Result<()> {
        self.time_zone = match site::get_local(&self.conn)? {
            Some(s) => s.time_zone.parse().unwrap_or(site::DEFAULT_TIME_ZONE),
            None => site::DEFAULT_TIME_ZONE,
        };
        Ok(())
    }
}

/// Maps a uniqueness violation on an insert or update to a field-level `duplicate` error.
pub(crate) fn duplicate_as(field: &str) -> impl FnOnce(rusqlite::Error) -> Error + '_ {
    move |e| match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            Error::invalid(field, Rule::Duplicate)
        }
        other => Error::Storage(other),
    }
}

/// `UPDATE … WHERE id = ? AND rev = ?` touched nothing: tell a stale revision from a missing row.
pub(crate) fn stale_or_missing(
    tx: &Connection,
    table: &'static str,
    entity: &'static str,
    id: &str,
    rev: i64,
) -> Error {
    let exists: bool = tx
        .query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"),
            [id],
            |r| r.get(0),
        )
        .unwrap_or(false);
    if exists {
        Error::Conflict {
            entity,
            id: id.to_owned(),
            expected: rev,
        }
    } else {
        Error::NotFound {
            entity,
            id: id.to_owned(),
        }
    }
}
