//! Backups of the one database file, and restoring one: copies in `<data dir>/backups/`, the
//! daily backup the app takes by itself, how many are kept, and putting a copy back in place.
//!
//! A backup is `VACUUM INTO` a temporary file, opened again and checked (`PRAGMA quick_check`,
//! the schema version), synced to disk and only then renamed to its final name, so a backup
//! that failed halfway leaves nothing that looks like a backup. Everything about a backup is
//! in its file name and header, so no table records them:
//! `desk-20261122T020000Z-daily.sqlite` — UTC time (the names sort by time), then the reason
//! (`-2`, `-3` … after it when two land in the same second). The schema version is read from
//! the SQLite header. Files that do not follow the pattern are left alone and not listed.
//!
//! The everyday backups (daily, manual, command line) are pruned to the last N, a device-local
//! setting; the safety copies taken before a restore or a migration are pruned apart, so a
//! burst of manual backups never pushes them out. Every backup and restore is also written to
//! the change log (pseudo-tables `backups` and `restores`): who, when, which file.

use std::fs::{self, File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::audit::{self, Action};
use crate::error::{Error, FieldIssue, Result, Rule};
use crate::users::{Permission, Role};
use crate::validate::Issues;
use crate::{db, new_id, site, Actor, Ctx, Desk};

/// The folder beside the database that holds the backups.
pub const DIR: &str = "backups";
/// How many everyday backups are kept unless an administrator chose otherwise.
pub const DEFAULT_KEEP: i64 = 14;
pub const KEEP_MIN: i64 = 1;
pub const KEEP_MAX: i64 = 365;
/// Safety copies (before a restore, before a migration) kept, apart from the everyday ones.
pub const SAFETY_KEEP: usize = 10;
/// The daily backup is due when no automatic backup is younger than this.
pub const DAILY_EVERY: Duration = Duration::hours(24);
/// A temporary file older than this is debris of a process that died mid-backup.
const STALE_TEMP: std::time::Duration = std::time::Duration::from_secs(3600);

const KEEP_SETTING: &str = "backup_keep";
const PREFIX: &str = "desk-";
const SUFFIX: &str = ".sqlite";
const TEMP_SUFFIX: &str = ".tmp";
/// `20261122T020000Z`: sorts as text in time order.
const STAMP: &str = "%Y%m%dT%H%M%SZ";
const STAMP_LEN: usize = 16;
/// Written by the pre-migration backup of earlier builds: `pre-migration-v1-20260101T000000`.
const LEGACY_PRE_MIGRATION: &str = "pre-migration-v";
/// Who the change log names for a backup nobody asked for (daily, command line).
const SYSTEM_USER: &str = "system";

text_enum! {
    /// Why a backup was taken; the last part of its file name.
    BackupReason {
        /// The app's own daily backup.
        Daily = "daily",
        /// "Back up now" in the settings.
        Manual = "manual",
        /// `after-sales-desk backup`, e.g. from a scheduled task.
        Cli = "cli",
        /// The database as it was just before a restore replaced it.
        PreRestore = "pre-restore",
        /// The database as it was just before this build migrated it.
        PreMigration = "pre-migration",
    }
}

impl BackupReason {
    /// Taken without anyone asking: what the daily schedule looks for.
    pub fn is_automatic(self) -> bool {
        matches!(self, BackupReason::Daily | BackupReason::Cli)
    }
    /// Safety copies are pruned apart from the everyday backups.
    pub fn is_safety(self) -> bool {
        matches!(self, BackupReason::PreRestore | BackupReason::PreMigration)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupInfo {
    /// The file name in the backups folder; what `restore` takes.
    pub file_name: String,
    /// Bytes.
    pub size: i64,
    /// UTC, RFC 3339, from the file name.
    pub created_at: String,
    pub reason: BackupReason,
    /// `PRAGMA user_version` of the copy: the schema it was written with.
    pub schema_version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupSettings {
    /// How many everyday backups are kept (safety copies apart).
    pub keep: i64,
    /// The backups folder, for showing and opening.
    pub dir: String,
}

/// What a restore did. The session has ended: the UI goes back to sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Restored {
    /// The file name of a listed backup, or the full path of a chosen file.
    pub source: String,
    /// The schema version of the restored copy (it was migrated on opening if older).
    pub schema_version: i64,
    /// The backup of the database as it was just before.
    pub pre_restore: BackupInfo,
}

/// A backup file found in the folder.
struct Entry {
    at: DateTime<Utc>,
    path: PathBuf,
    info: BackupInfo,
}

/// The backups folder of this desk's database.
pub fn dir(desk: &Desk) -> PathBuf {
    dir_of(desk.path())
}

fn dir_of(db_file: &Path) -> PathBuf {
    db_file.parent().unwrap_or(Path::new(".")).join(DIR)
}

/// Every backup, newest first.
pub fn list(desk: &Desk) -> Result<Vec<BackupInfo>> {
    desk.require(Permission::ManageBackups)?;
    Ok(scan(&dir(desk))?.into_iter().map(|e| e.info).collect())
}

/// True when the daily backup should be taken: no automatic backup in the last 24 hours.
/// A backup stamped more than a day ahead (written while the clock was wrong) does not count,
/// or a clock set back would stop the daily backups until it caught up.
pub fn due(desk: &Desk) -> Result<bool> {
    let now = desk.now();
    Ok(!scan(&dir(desk))?
        .iter()
        .filter(|e| e.info.reason.is_automatic())
        .any(|e| (now - e.at).abs() < DAILY_EVERY))
}

/// The daily backup, if one is due and the site is set up (there is nothing to keep before).
/// The app calls it at startup and then every hour; it needs nobody signed in.
pub fn run_daily(desk: &mut Desk) -> Result<Option<BackupInfo>> {
    if site::get_local(desk.conn())?.is_none() || !due(desk)? {
        return Ok(None);
    }
    create(desk, BackupReason::Daily).map(Some)
}

/// Takes a backup now and prunes the older ones of its kind. A manual backup needs the
/// permission; the automatic ones are the app's own and run with nobody signed in.
pub fn create(desk: &mut Desk, reason: BackupReason) -> Result<BackupInfo> {
    if reason == BackupReason::Manual {
        desk.require(Permission::ManageBackups)?;
    }
    let dir = dir(desk);
    let entry = snapshot(desk.conn(), &dir, desk.now(), reason)?;
    let keep = if reason.is_safety() {
        SAFETY_KEEP
    } else {
        keep_setting(desk.conn())? as usize
    };
    prune(&dir, reason.is_safety(), keep)?;
    // The app's own backups are the system's doing, whoever happens to be signed in.
    let actor = if reason.is_automatic() {
        None
    } else {
        desk.actor().ok().cloned()
    };
    if let Some(ctx) = ctx_for(desk, actor) {
        let info = &entry.info;
        audit::record(
            desk.conn(),
            &ctx,
            "backups",
            &info.file_name,
            Action::Insert,
            info,
        )?;
    }
    Ok(entry.info)
}

/// How many backups are kept, and where they are.
pub fn settings(desk: &Desk) -> Result<BackupSettings> {
    desk.require(Permission::ManageBackups)?;
    Ok(BackupSettings {
        keep: keep_setting(desk.conn())?,
        dir: dir(desk).display().to_string(),
    })
}

/// Sets how many everyday backups are kept. Takes effect at the next backup: lowering it
/// deletes nothing at once, so a slip of the keyboard costs no backups.
pub fn set_keep(desk: &mut Desk, keep: i64) -> Result<BackupSettings> {
    desk.require(Permission::ManageBackups)?;
    let mut issues = Issues::default();
    issues.range("keep", keep, KEEP_MIN, KEEP_MAX);
    issues.finish()?;
    desk.conn().execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [KEEP_SETTING, &keep.to_string()],
    )?;
    settings(desk)
}

fn keep_setting(conn: &Connection) -> Result<i64> {
    let stored: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [KEEP_SETTING],
            |r| r.get(0),
        )
        .optional()?;
    Ok(stored
        .and_then(|v| v.parse().ok())
        .filter(|n| (KEEP_MIN..=KEEP_MAX).contains(n))
        .unwrap_or(DEFAULT_KEEP))
}

/// Restores a listed backup (by its file name in the backups folder). See [`restore_file`].
pub fn restore(desk: &mut Desk, file_name: &str) -> Result<Restored> {
    desk.require(Permission::ManageBackups)?;
    let name = file_name.trim();
    if name.is_empty() {
        return Err(Error::invalid("file", Rule::Required));
    }
    // Only a name the folder lists: never a path that climbs out of it.
    let entry = scan(&dir(desk))?
        .into_iter()
        .find(|e| e.info.file_name == name)
        .ok_or_else(|| Error::NotFound {
            entity: "backup",
            id: name.to_owned(),
        })?;
    replace_with(desk, &entry.path, name.to_owned())
}

/// Restores the database from any file (a backup chosen in a dialog, perhaps on a USB stick).
///
/// The file is copied beside the database and the copy is checked before anything changes:
/// it must be an SQLite file that passes `quick_check`, hold this app's tables and have a
/// schema this build can read. Then the current database is backed up (`pre-restore`), closed
/// and replaced by the copy in one rename, and opened again (migrated if the copy is older).
/// The session ends: whoever restored signs in again, into the restored data.
pub fn restore_file(desk: &mut Desk, path: &Path) -> Result<Restored> {
    desk.require(Permission::ManageBackups)?;
    if path.as_os_str().is_empty() {
        return Err(Error::invalid("file", Rule::Required));
    }
    if !path.is_file() {
        return Err(Error::NotFound {
            entity: "backup",
            id: path.display().to_string(),
        });
    }
    replace_with(desk, path, path.display().to_string())
}

fn replace_with(desk: &mut Desk, source: &Path, shown: String) -> Result<Restored> {
    let actor = desk.require(Permission::ManageBackups)?.clone();
    let dir = dir(desk);
    fs::create_dir_all(&dir)?;
    check_header(source)?;

    // The chosen file itself is never opened for writing: a copy is checked and moved in.
    let temp = Temp::new(&dir, "restore");
    fs::copy(source, &temp.0)?;
    let mut source_wal = source.as_os_str().to_owned();
    source_wal.push("-wal");
    let source_wal = PathBuf::from(source_wal);
    // A database copied out of a live data folder keeps its latest writes in the -wal beside it.
    if fs::metadata(&source_wal).is_ok_and(|m| m.len() > 0) {
        fs::copy(&source_wal, temp.sibling("-wal"))?;
    }
    let version = check_restorable(&temp.0)?;
    sync_file(&temp.0)?;

    let pre_restore = create(desk, BackupReason::PreRestore)?;

    let db_file = desk.path().to_owned();
    // Close the database: the last connection to close checkpoints the WAL and removes the
    // -wal and -shm files, so nothing of the old database can be replayed onto the new one.
    desk.conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    let old = std::mem::replace(&mut desk.conn, Connection::open_in_memory()?);
    let closed = old.close().map_err(|(_, e)| Error::Storage(e));
    let moved = closed.and_then(|()| {
        if sibling(&db_file, "-wal").exists() {
            // Another program (a second window, a command-line backup) has it open.
            return Err(Error::Io(std::io::Error::new(
                std::io::ErrorKind::ResourceBusy,
                "the database is open in another program; close it and restore again",
            )));
        }
        fs::rename(&temp.0, &db_file)?;
        sync_dir(db_file.parent().unwrap_or(Path::new(".")));
        Ok(())
    });
    // Opened again whatever happened: the restored copy, or the old database if the move
    // failed. Should the restored copy not open (it passed every check, so only a bug or a
    // vanished disk gets here), the pre-restore backup goes back in its place.
    match db::open(&db_file) {
        Ok(conn) => desk.conn = conn,
        Err(e) if moved.is_ok() => {
            let _ = fs::copy(dir.join(&pre_restore.file_name), &db_file);
            desk.conn = db::open(&db_file)?;
            desk.refresh_site()?;
            return Err(e);
        }
        Err(e) => return Err(e),
    }
    desk.refresh_site()?;
    moved?;

    let restored = Restored {
        source: shown,
        schema_version: version,
        pre_restore,
    };
    // Into the restored database: the trail says who rolled the data back to which copy.
    let ctx = ctx_for(desk, Some(actor));
    if let Some(ctx) = ctx {
        let tx = desk.conn.unchecked_transaction()?;
        audit::record(&tx, &ctx, "restores", &new_id(), Action::Insert, &restored)?;
        tx.commit()?;
    }
    desk.set_session(None);
    Ok(restored)
}

/// The backup taken by [`db::open`] before it migrates: the database still has its old schema
/// and no `Desk` exists yet, so there is no clock, no setting and no log row.
pub(crate) fn before_migration(conn: &Connection, db_file: &Path) -> Result<PathBuf> {
    let dir = dir_of(db_file);
    let entry = snapshot(conn, &dir, Utc::now(), BackupReason::PreMigration)?;
    prune(&dir, true, SAFETY_KEEP)?;
    Ok(entry.path)
}

/// VACUUM INTO a temporary file → check it → fsync → rename to its final name.
fn snapshot(
    conn: &Connection,
    dir: &Path,
    now: DateTime<Utc>,
    reason: BackupReason,
) -> Result<Entry> {
    fs::create_dir_all(dir)?;
    sweep_temps(dir);
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let temp = Temp::new(dir, reason.as_str());
    conn.execute("VACUUM INTO ?1", [temp.0.to_string_lossy()])?;
    check_copy(&temp.0, version)?;
    sync_file(&temp.0)?;
    let stem = format!("{PREFIX}{}-{}", now.format(STAMP), reason.as_str());
    let mut target = dir.join(format!("{stem}{SUFFIX}"));
    let mut n = 2;
    while target.exists() {
        target = dir.join(format!("{stem}-{n}{SUFFIX}"));
        n += 1;
    }
    fs::rename(&temp.0, &target)?;
    temp.disarm();
    sync_dir(dir);
    entry(&target).ok_or_else(|| Error::Corrupt(format!("{} was not readable", target.display())))
}

/// A fresh copy must pass quick_check and hold the schema version it was taken from.
fn check_copy(path: &Path, version: i64) -> Result<()> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if check != "ok" || found != version {
        return Err(Error::Corrupt(format!(
            "the backup copy failed its check ({check}; schema {found}, expected {version})"
        )));
    }
    Ok(())
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Refuses a file that is not SQLite at all before copying it anywhere.
fn check_header(path: &Path) -> Result<()> {
    let mut head = [0u8; 100];
    let mut file = File::open(path)?;
    let mut read = 0;
    while read < head.len() {
        match file.read(&mut head[read..])? {
            0 => break,
            n => read += n,
        }
    }
    if read < head.len() || &head[..16] != SQLITE_MAGIC {
        return Err(file_issue(if read == 0 {
            Rule::UnreadableFile
        } else {
            Rule::UnsupportedFile
        }));
    }
    Ok(())
}

fn file_issue(rule: Rule) -> Error {
    Error::invalid("file", rule)
}

/// Everything that must hold before a file replaces the database; returns its schema version.
/// Opens the copy read-write: a -wal copied beside it is folded in, and its journal mode is
/// set back to a single file so the rename moves all of it.
fn check_restorable(path: &Path) -> Result<i64> {
    let unreadable = |_| file_issue(Rule::UnreadableFile);
    let conn = Connection::open(path).map_err(unreadable)?;
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(unreadable)?;
    if check != "ok" {
        return Err(file_issue(Rule::UnreadableFile));
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(unreadable)?;
    let supported = db::latest_version();
    if version > supported {
        return Err(Error::Validation(vec![FieldIssue::new(
            "file",
            Rule::NewerVersion,
        )
        .with("found", version)
        .with("supported", supported)]));
    }
    if version < 1 || !has_tables_of(&conn, version)? {
        return Err(file_issue(Rule::UnsupportedFile));
    }
    conn.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))
        .map_err(unreadable)?;
    conn.close().map_err(|(_, e)| Error::Storage(e))?;
    Ok(version)
}

/// True when `conn` holds every table an app database of schema `version` has: the same
/// migrations applied to an empty database in memory say which.
fn has_tables_of(conn: &Connection, version: i64) -> Result<bool> {
    let mut expected = Connection::open_in_memory()?;
    let migrations = db::migrations();
    rusqlite_migration::Migrations::from_slice(&migrations[..version as usize])
        .to_latest(&mut expected)?;
    let tables = |c: &Connection| -> Result<std::collections::BTreeSet<String>> {
        let mut stmt = c.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?;
        let names = stmt.query_map([], |r| r.get(0))?;
        Ok(names.collect::<rusqlite::Result<_>>()?)
    };
    let found = tables(conn).map_err(|_| file_issue(Rule::UnreadableFile))?;
    Ok(tables(&expected)?.is_subset(&found))
}

/// Everyday backups beyond `keep` (or safety copies beyond theirs), oldest first, are deleted.
/// Best effort: the new backup is made whatever happens here, so a file that cannot go now
/// (already removed by another process, held open on Windows) goes at a later backup.
fn prune(dir: &Path, safety: bool, keep: usize) -> Result<()> {
    let pool: Vec<Entry> = scan(dir)?
        .into_iter()
        .filter(|e| e.info.reason.is_safety() == safety)
        .collect();
    for old in pool.iter().skip(keep) {
        let _ = fs::remove_file(&old.path);
    }
    Ok(())
}

/// The backups in `dir`, newest first (by the time in the name).
fn scan(dir: &Path) -> Result<Vec<Entry>> {
    let read = match fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut out = Vec::new();
    for item in read {
        let path = item?.path();
        if let Some(e) = entry(&path) {
            out.push(e);
        }
    }
    out.sort_by(|a, b| (b.at, &b.info.file_name).cmp(&(a.at, &a.info.file_name)));
    Ok(out)
}

/// The time and reason a backup's name carries; None for any other file.
fn parse_name(name: &str) -> Option<(DateTime<Utc>, BackupReason)> {
    let stem = name.strip_suffix(SUFFIX)?;
    if let Some(rest) = stem.strip_prefix(PREFIX) {
        let stamp = rest.get(..STAMP_LEN)?;
        let at = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?.and_utc();
        let tail = rest.get(STAMP_LEN..)?.strip_prefix('-')?;
        let reason = BackupReason::ALL.iter().copied().find(|r| {
            tail.strip_prefix(r.as_str()).is_some_and(|n| {
                n.is_empty()
                    || n.strip_prefix('-')
                        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            })
        })?;
        return Some((at, reason));
    }
    // `pre-migration-v3-20260101T000000`, as earlier builds named them (UTC, no Z).
    let rest = stem.strip_prefix(LEGACY_PRE_MIGRATION)?;
    let (_, stamp) = rest.split_once('-')?;
    let at = NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%S")
        .ok()?
        .and_utc();
    Some((at, BackupReason::PreMigration))
}

fn entry(path: &Path) -> Option<Entry> {
    let name = path.file_name()?.to_str()?;
    let (at, reason) = parse_name(name)?;
    // Gone since the folder was read (pruned by another process), or not a file: not listed.
    let meta = fs::metadata(path).ok().filter(|m| m.is_file())?;
    Some(Entry {
        at,
        path: path.to_owned(),
        info: BackupInfo {
            file_name: name.to_owned(),
            size: meta.len() as i64,
            created_at: crate::timestamp(at),
            reason,
            schema_version: header_version(path).unwrap_or(0),
        },
    })
}

/// `PRAGMA user_version` straight from the header (4 bytes at offset 60): listing a folder of
/// backups opens no database.
fn header_version(path: &Path) -> std::io::Result<i64> {
    let mut head = [0u8; 64];
    File::open(path)?.read_exact(&mut head)?;
    if &head[..16] != SQLITE_MAGIC {
        return Ok(0);
    }
    Ok(i32::from_be_bytes([head[60], head[61], head[62], head[63]]) as i64)
}

/// What the change log names for a backup or restore: `actor`, else "system" for the app's
/// own backups. None before setup (there is no site to name).
fn ctx_for(desk: &Desk, actor: Option<Actor>) -> Option<Ctx> {
    let actor = match actor {
        Some(a) => a,
        None => Actor {
            user_id: SYSTEM_USER.to_owned(),
            // Never used for a permission check: only who the log names.
            role: Role::Admin,
            site_id: site::get_local(desk.conn()).ok()??.id,
        },
    };
    let now = desk.now();
    Some(Ctx {
        actor,
        now,
        today: now.with_timezone(&desk.time_zone()).date_naive(),
        tz: desk.time_zone(),
    })
}

/// A temporary file in the backups folder, removed (with any -journal/-wal/-shm SQLite left
/// beside it) unless it was renamed into place.
struct Temp(PathBuf);

impl Temp {
    fn new(dir: &Path, what: &str) -> Temp {
        let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
        Temp(dir.join(format!(
            ".{what}-{}-{nanos}{TEMP_SUFFIX}",
            std::process::id()
        )))
    }
    fn sibling(&self, suffix: &str) -> PathBuf {
        sibling(&self.0, suffix)
    }
    fn disarm(mut self) {
        self.0 = PathBuf::new();
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if self.0.as_os_str().is_empty() {
            return;
        }
        for suffix in ["-journal", "-wal", "-shm"] {
            let _ = fs::remove_file(self.sibling(suffix));
        }
        let _ = fs::remove_file(&self.0);
    }
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Removes temporary files left by a process that died mid-backup. Young ones may belong to
/// a backup running right now in another process (the command line), so they stay.
fn sweep_temps(dir: &Path) {
    let Ok(read) = fs::read_dir(dir) else { return };
    for item in read.flatten() {
        let name = item.file_name();
        let name = name.to_string_lossy();
        let is_temp = name.starts_with('.')
            && (name.ends_with(TEMP_SUFFIX)
                || [TEMP_SUFFIX, "-journal", "-wal", "-shm"]
                    .iter()
                    .any(|s| name.ends_with(&format!("{TEMP_SUFFIX}{s}"))));
        let old = item
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_TEMP);
        if is_temp && old {
            let _ = fs::remove_file(item.path());
        }
    }
}

fn sync_file(path: &Path) -> Result<()> {
    // Windows flushes only through a handle opened for writing.
    OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)?
        .sync_all()?;
    Ok(())
}

/// Makes a rename durable. Directories cannot be opened (nor need syncing) on Windows.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back() {
        let at = |s| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
                .unwrap()
                .and_utc()
        };
        assert_eq!(
            parse_name("desk-20261122T020000Z-daily.sqlite"),
            Some((at("2026-11-22 02:00:00"), BackupReason::Daily))
        );
        assert_eq!(
            parse_name("desk-20261122T020000Z-pre-restore-2.sqlite"),
            Some((at("2026-11-22 02:00:00"), BackupReason::PreRestore))
        );
        assert_eq!(
            parse_name("pre-migration-v3-20260101T000000.sqlite"),
            Some((at("2026-01-01 00:00:00"), BackupReason::PreMigration))
        );
        for other in [
            "desk.sqlite",
            "desk-20261122T020000Z.sqlite",
            "desk-20261122T020000Z-weekly.sqlite",
            "desk-20261122T020000Z-daily-.sqlite",
            "desk-20261122T020000Z-daily-x.sqlite",
            "desk-2026112T020000Z-daily.sqlite",
            ".daily-1-2.tmp",
        ] {
            assert_eq!(parse_name(other), None, "{other} is not a backup name");
        }
    }
}
