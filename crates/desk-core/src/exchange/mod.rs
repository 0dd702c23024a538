//! Export and import between the tiers: an outlet exports what changed since its last export
//! to its centre (from the change log), the centre imports it and exports its own to HQ; HQ
//! and centres send policy (catalog, SLA limits, calendar) down the same way.
//!
//! Import is all or nothing, in one transaction, after the whole bundle was verified. It is
//! idempotent: a record already here unchanged is left alone, so the same or an overlapping
//! bundle changes nothing. Records keep their origin site. A record changed here and there
//! since it last travelled is a conflict kept for a person to resolve; until then the origin
//! site's version stands — nothing is overwritten silently.

mod apply;
pub mod bundle;
mod tables;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use apply::{Apply, TableSql};
use bundle::{Bundle, Manifest, SiteRef};
use tables::{Kind, Row, Table, TABLES};

use crate::error::{Error, FieldIssue, Result, Rule};
use crate::users::Permission;
use crate::{new_id, Ctx, Desk};

text_enum!(BundleKind {
    Data = "data",
    Policy = "policy",
});

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportOptions {
    pub kind: BundleKind,
    /// The destination site's code: an incremental export continues after the last one sent
    /// there. Empty (or `full`) for everything.
    pub destination: String,
    pub full: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExchangeSummary {
    pub id: String,
    pub direction: String,
    pub kind: BundleKind,
    /// The other site: the destination of an export, the sender of an import.
    pub peer: String,
    pub full: bool,
    pub seq_from: i64,
    pub seq_to: i64,
    pub bundle_sha: String,
    pub file_name: String,
    /// Rows per table (exported), or applied / unchanged / conflicts (imported).
    #[ts(type = "Record<string, number>")]
    pub counts: BTreeMap<String, i64>,
    pub at: String,
    pub by_user: String,
}

fn local_site(conn: &Connection) -> Result<SiteRef> {
    let s = crate::site::get_local(conn)?.ok_or(Error::NotSetUp)?;
    Ok(SiteRef {
        id: s.id,
        code: s.code,
        name: s.name,
        tier: serde_json::to_value(s.tier)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
    })
}

/// The records to send: by table, the keys of the records changed in the change-log range,
/// with the rows they own.
fn changed_keys(
    conn: &Connection,
    from: i64,
    to: i64,
) -> Result<BTreeMap<&'static str, BTreeSet<String>>> {
    let mut out: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT DISTINCT table_name, record_id FROM change_log WHERE seq > ?1 AND seq <= ?2",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (table, id) = row?;
        let name: Option<&'static str> = match table.as_str() {
            "calendar_days" => Some("calendar_years"),
            name => tables::table(name).map(|t| t.name),
        };
        if let Some(name) = name {
            out.entry(name).or_default().insert(id);
        }
    }
    // A movement changes its part's serials; a document's events sit on its work order.
    let mut add =
        |conn: &Connection, sql: &str, from_table: &str, to_table: &'static str| -> Result<()> {
            let ids: Vec<String> = out
                .get(from_table)
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default();
            let mut stmt = conn.prepare_cached(sql)?;
            let mut found = Vec::new();
            for id in ids {
                if let Some(Some(v)) = stmt
                    .query_row([&id], |r| r.get::<_, Option<String>>(0))
                    .optional()?
                {
                    found.push(v);
                }
            }
            out.entry(to_table).or_default().extend(found);
            Ok(())
        };
    add(
        conn,
        "SELECT part_id FROM stock_movements WHERE id = ?1",
        "stock_movements",
        "parts",
    )?;
    add(
        conn,
        "SELECT work_order_id FROM documents WHERE id = ?1",
        "documents",
        "work_orders",
    )?;
    add(
        conn,
        "SELECT document_id FROM document_scans WHERE id = ?1",
        "document_scans",
        "documents",
    )?;
    add(
        conn,
        "SELECT complaint_id FROM complaint_attachments WHERE id = ?1",
        "complaint_attachments",
        "complaints",
    )?;
    add(
        conn,
        "SELECT customer_id FROM contacts WHERE id = ?1",
        "contacts",
        "customers",
    )?;
    add(
        conn,
        "SELECT customer_id FROM addresses WHERE id = ?1",
        "addresses",
        "customers",
    )?;
    // A removed contact or address is no longer in the table: its customer's log entry (the
    // same transaction) brings the customer, whose set of rows replaces the old one.
    out.remove("contacts");
    out.remove("addresses");
    Ok(out)
}

fn in_list(n: usize) -> String {
    (1..=n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes the rows of `t` whose column `col` is one of `keys`, in chunks.
fn lines_where_in(
    conn: &Connection,
    w: &mut tables::LineWriter,
    col: &str,
    keys: &BTreeSet<String>,
    files: &mut Vec<(String, Vec<u8>)>,
) -> Result<()> {
    let keys: Vec<&String> = keys.iter().collect();
    for chunk in keys.chunks(500) {
        let params: Vec<&dyn rusqlite::ToSql> =
            chunk.iter().map(|k| *k as &dyn rusqlite::ToSql).collect();
        w.add(
            conn,
            &format!("WHERE {col} IN ({})", in_list(chunk.len())),
            &params,
            files,
        )?;
    }
    Ok(())
}

/// Writes an export bundle to `path` (through a temporary file renamed into place) and
/// records it. Data bundles carry the records changed since the last export to the same
/// destination (or all of them, `full`); policy bundles carry the catalog, SLA limits and
/// calendar as they stand.
pub fn export(desk: &mut Desk, opts: &ExportOptions, path: &Path) -> Result<ExchangeSummary> {
    export_reporting(desk, opts, path, &mut |_| {})
}

/// [`export`], telling `on` how far it is.
pub fn export_reporting(
    desk: &mut Desk,
    opts: &ExportOptions,
    path: &Path,
    on: OnProgress<'_>,
) -> Result<ExchangeSummary> {
    desk.require(Permission::ExchangeData)?;
    let destination = opts.destination.trim().to_uppercase();
    let conn = desk.conn();
    let site = local_site(conn)?;
    let seq_to: i64 = conn.query_row("SELECT coalesce(max(seq), 0) FROM change_log", [], |r| {
        r.get(0)
    })?;
    let full = opts.full || opts.kind == BundleKind::Policy || destination.is_empty();
    let seq_from: i64 = if full {
        0
    } else {
        conn.query_row(
            "SELECT coalesce(max(seq_to), 0) FROM exchange_log WHERE direction = 'export' AND kind = 'data' AND peer = ?1",
            [&destination],
            |r| r.get(0),
        )?
    };
    let mut files = Vec::new();
    let mut counts = BTreeMap::new();
    let mut entries = Vec::new();
    let mut calendar_years: Vec<i32> = Vec::new();
    let changed = if full {
        BTreeMap::new()
    } else {
        changed_keys(conn, seq_from, seq_to)?
    };
    let empty = BTreeSet::new();
    let changed_in = |name: &str| changed.get(name).unwrap_or(&empty);
    let travelling: Vec<&'static Table> = TABLES
        .iter()
        .filter(|t| tables::travels(t, opts.kind == BundleKind::Policy))
        .collect();
    for (i, t) in travelling.iter().copied().enumerate() {
        report(
            on,
            Stage::Collect,
            t.name,
            i as i64,
            travelling.len() as i64,
        );
        let owned = tables::OWNED.iter().find(|(child, _, _)| *child == t.name);
        let mut w = tables::LineWriter::new(conn, t, !full && owned.is_some())?;
        match t.kind {
            _ if t.name == "policies" && opts.kind == BundleKind::Policy => {
                w.add(conn, "WHERE site_id = ?1", &[&site.id], &mut files)?;
            }
            _ if full => {
                w.add(conn, "", &[], &mut files)?;
                if t.name == "calendar_days" {
                    let mut stmt = conn.prepare(
                        "SELECT DISTINCT CAST(substr(date, 1, 4) AS INTEGER) FROM calendar_days ORDER BY 1",
                    )?;
                    calendar_years = stmt
                        .query_map([], |r| r.get(0))?
                        .collect::<rusqlite::Result<_>>()?;
                }
            }
            Kind::Mutable | Kind::AppendOnly => {
                lines_where_in(conn, &mut w, t.key[0], changed_in(t.name), &mut files)?;
                // Owned append-only rows travel with their parent.
                if let Some((_, parent, fk)) = owned {
                    lines_where_in(conn, &mut w, fk, changed_in(parent), &mut files)?;
                }
            }
            Kind::Children {
                parent: "calendar_years",
                ..
            } => {
                for year in changed_in("calendar_years")
                    .iter()
                    .filter_map(|y| y.parse::<i32>().ok())
                {
                    calendar_years.push(year);
                    w.add(
                        conn,
                        "WHERE date >= ?1 AND date < ?2",
                        &[
                            &format!("{year:04}-01-01"),
                            &format!("{:04}-01-01", year + 1),
                        ],
                        &mut files,
                    )?;
                }
            }
            Kind::Children { parent, fk } => {
                lines_where_in(conn, &mut w, fk, changed_in(parent), &mut files)?
            }
        }
        if w.count > 0 {
            counts.insert(t.name.to_owned(), w.count as i64);
            entries.push((format!("tables/{}.jsonl", t.name), w.text));
        }
    }
    let actor = desk.actor()?.clone();
    let now = crate::timestamp(desk.now());
    let mut manifest = Manifest {
        format: bundle::FORMAT.into(),
        format_version: bundle::FORMAT_VERSION,
        app_version: env!("CARGO_PKG_VERSION").into(),
        kind: opts.kind.as_str().into(),
        site,
        destination: destination.clone(),
        full,
        seq_from,
        seq_to,
        created_at: now,
        created_by: actor.user_id.clone(),
        counts: counts.clone(),
        calendar_years,
        entries: Vec::new(),
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    report(on, Stage::Write, "", 0, 0);
    let tmp = tempfile::NamedTempFile::new_in(dir)?;
    let bytes_sha = bundle::write(
        &mut manifest,
        &entries,
        &files,
        std::io::BufWriter::new(tmp.as_file()),
    )?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| Error::Io(e.error))?;
    let file_name = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    desk.write(Permission::ExchangeData, |tx, ctx| {
        log_exchange(
            tx,
            ctx,
            new_id(),
            "export",
            opts.kind,
            &destination,
            full,
            seq_from,
            seq_to,
            &bytes_sha,
            &file_name,
            &counts,
        )
    })
}

/// `A01-数据-C01-20261122-1405.zip`: who, what, for whom, when.
pub fn suggested_file_name(desk: &Desk, opts: &ExportOptions) -> Result<String> {
    let site = local_site(desk.conn())?;
    let at = desk
        .now()
        .with_timezone(&desk.time_zone())
        .format("%Y%m%d-%H%M");
    let kind = match opts.kind {
        BundleKind::Data => "data",
        BundleKind::Policy => "policy",
    };
    let to = opts.destination.trim().to_uppercase();
    Ok(if to.is_empty() {
        format!("{}-{kind}-{at}.zip", site.code)
    } else {
        format!("{}-{kind}-{to}-{at}.zip", site.code)
    })
}

#[allow(clippy::too_many_arguments)]
fn log_exchange(
    tx: &Connection,
    ctx: &Ctx,
    id: String,
    direction: &str,
    kind: BundleKind,
    peer: &str,
    full: bool,
    seq_from: i64,
    seq_to: i64,
    sha: &str,
    file_name: &str,
    counts: &BTreeMap<String, i64>,
) -> Result<ExchangeSummary> {
    tx.execute(
        "INSERT INTO exchange_log (id, direction, kind, peer, full, seq_from, seq_to, bundle_sha, file_name, counts, at, by_user)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![id, direction, kind.as_str(), peer, full, seq_from, seq_to, sha, file_name,
                serde_json::to_string(counts).expect("counts serialise"), ctx.now_text(), ctx.actor.user_id],
    )?;
    Ok(ExchangeSummary {
        id,
        direction: direction.into(),
        kind,
        peer: peer.into(),
        full,
        seq_from,
        seq_to,
        bundle_sha: sha.into(),
        file_name: file_name.into(),
        counts: counts.clone(),
        at: ctx.now_text(),
        by_user: ctx.actor.user_id.clone(),
    })
}

pub fn history(desk: &Desk, limit: i64) -> Result<Vec<ExchangeSummary>> {
    desk.require(Permission::ViewArchive)?;
    let mut stmt = desk.conn().prepare(
        "SELECT id, direction, kind, peer, full, seq_from, seq_to, bundle_sha, file_name, counts, at, by_user
         FROM exchange_log ORDER BY at DESC, rowid DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit.clamp(1, 1000)], |r| {
        let kind: String = r.get(2)?;
        let counts: String = r.get(9)?;
        Ok(ExchangeSummary {
            id: r.get(0)?,
            direction: r.get(1)?,
            kind: BundleKind::parse(&kind).unwrap_or(BundleKind::Data),
            peer: r.get(3)?,
            full: r.get(4)?,
            seq_from: r.get(5)?,
            seq_to: r.get(6)?,
            bundle_sha: r.get(7)?,
            file_name: r.get(8)?,
            counts: serde_json::from_str(&counts).unwrap_or_default(),
            at: r.get(10)?,
            by_user: r.get(11)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---------------------------------------------------------------- peers

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Peer {
    pub code: String,
    pub name: String,
    /// `below` (an outlet of this centre, a centre of HQ) or `above`.
    pub relation: String,
}

pub fn peers(desk: &Desk) -> Result<Vec<Peer>> {
    desk.require(Permission::ViewArchive)?;
    let mut stmt = desk
        .conn()
        .prepare("SELECT code, name, relation FROM exchange_peers ORDER BY relation, code")?;
    let rows = stmt.query_map([], |r| {
        Ok(Peer {
            code: r.get(0)?,
            name: r.get(1)?,
            relation: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Adds a site of this site's network (its outlets, its centre…).
pub fn add_peer(desk: &mut Desk, peer: Peer) -> Result<Vec<Peer>> {
    desk.require(Permission::ManageSite)?;
    let code = peer.code.trim().to_uppercase();
    let mut issues = Vec::new();
    if code.len() < 2 || code.len() > 12 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        issues.push(FieldIssue::new("code", Rule::InvalidSiteCode));
    }
    if !matches!(peer.relation.as_str(), "below" | "above") {
        issues.push(FieldIssue::new("relation", Rule::OutOfRange));
    }
    if !issues.is_empty() {
        return Err(Error::Validation(issues));
    }
    desk.write(Permission::ManageSite, |tx, ctx| {
        if local_site(tx)?.code == code {
            return Err(Error::invalid("code", Rule::OwnSite));
        }
        tx.execute(
            "INSERT INTO exchange_peers (code, name, relation, added_at, added_by) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(code) DO UPDATE SET name = excluded.name, relation = excluded.relation",
            params![code, peer.name.trim(), peer.relation, ctx.now_text(), ctx.actor.user_id],
        )?;
        crate::audit::record(tx, ctx, "exchange_peers", &code, crate::audit::Action::Insert, &peer)?;
        Ok(())
    })?;
    peers(desk)
}

// ---------------------------------------------------------------- import

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportOptions {
    /// Accept a bundle from a site not (yet) in this site's network; it is added as below.
    pub allow_unknown_site: bool,
}

/// Where an export or import is: the screen shows it while a big bundle takes seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ExchangeStage")]
pub enum Stage {
    /// Export: reading the records of `table`.
    Collect,
    /// Export: writing and checksumming the file.
    Write,
    /// Import: reading the file and checking every name, size and checksum.
    Verify,
    /// Import: reading every line.
    Parse,
    /// Import: writing the records of `table`; `done` of `total` rows.
    Apply,
    /// Import: making it permanent.
    Commit,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ExchangeProgress")]
pub struct Progress {
    pub stage: Stage,
    pub table: String,
    pub done: i64,
    pub total: i64,
}

/// Rows between two reports while a table is written.
const PROGRESS_ROWS: usize = 10_000;

/// Receives [`Progress`] reports (the app forwards them to the screen).
pub type OnProgress<'a> = &'a mut dyn FnMut(&Progress);

fn report(on: &mut dyn FnMut(&Progress), stage: Stage, table: &str, done: i64, total: i64) {
    on(&Progress {
        stage,
        table: table.to_owned(),
        done,
        total,
    });
}

/// Verifies a bundle file and applies it in one transaction.
pub fn import(desk: &mut Desk, path: &Path, opts: &ImportOptions) -> Result<ExchangeSummary> {
    import_reporting(desk, path, opts, &mut |_| {})
}

/// [`import`], telling `on` how far it is.
pub fn import_reporting(
    desk: &mut Desk,
    path: &Path,
    opts: &ImportOptions,
    on: OnProgress<'_>,
) -> Result<ExchangeSummary> {
    desk.require(Permission::ExchangeData)?;
    report(on, Stage::Verify, "", 0, 0);
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    let bundle = bundle::verify_from(std::io::BufReader::new(file), len)?;
    let file_name = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    import_bundle(desk, bundle, &file_name, opts, on)
}

pub fn import_bytes(
    desk: &mut Desk,
    bytes: &[u8],
    file_name: &str,
    opts: &ImportOptions,
) -> Result<ExchangeSummary> {
    desk.require(Permission::ExchangeData)?;
    let bundle = bundle::verify_from(std::io::Cursor::new(bytes), bytes.len() as u64)?;
    import_bundle(desk, bundle, file_name, opts, &mut |_| {})
}

fn import_bundle(
    desk: &mut Desk,
    mut bundle: Bundle,
    file_name: &str,
    opts: &ImportOptions,
    on: OnProgress<'_>,
) -> Result<ExchangeSummary> {
    let m = &bundle.manifest;
    let kind = BundleKind::parse(&m.kind).unwrap_or(BundleKind::Data);
    let here = local_site(desk.conn())?;
    if m.site.code == here.code || m.site.id == here.id {
        return Err(Error::invalid("file", Rule::OwnSite));
    }
    let known: Option<String> = desk
        .conn()
        .query_row(
            "SELECT relation FROM exchange_peers WHERE code = ?1",
            [&m.site.code],
            |r| r.get(0),
        )
        .optional()?;
    if known.is_none() && !opts.allow_unknown_site {
        return Err(Error::Validation(vec![FieldIssue::new(
            "file",
            Rule::SiteNotInNetwork,
        )
        .with("site", &m.site.code)
        .with("name", &m.site.name)]));
    }
    // The same bundle again: already applied, nothing to do (checked before any row).
    let already: bool = desk.conn().query_row(
        "SELECT EXISTS (SELECT 1 FROM exchange_log WHERE direction = 'import' AND bundle_sha = ?1)",
        [&bundle.sha256],
        |r| r.get(0),
    )?;
    if !already {
        // The lines are parsed table by table while they are applied (one table's rows in
        // memory at a time); a malformed one rolls the whole import back.
        report(on, Stage::Parse, "", 0, 0);
        bundle.sort_entries()?;
    }
    let m = &bundle.manifest;
    let sender = m.site.code.clone();
    let (seq_from, seq_to, full, sha) = (m.seq_from, m.seq_to, m.full, bundle.sha256.clone());
    // A big bundle touches many pages: with SQLite's default 2 MB cache the pager spills
    // dirty pages to the WAL in the middle of the transaction.
    let cache: i64 = desk
        .conn()
        .query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    desk.conn()
        .execute_batch(&format!("PRAGMA cache_size = {IMPORT_CACHE_KIB}"))?;
    // Moving a big import's pages from the WAL into the database file takes a second or
    // two; it is left to `after_import` instead of the commit (the data is durable in the
    // WAL once committed).
    let autocheckpoint: i64 = desk
        .conn()
        .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))?;
    desk.conn()
        .query_row("PRAGMA wal_autocheckpoint = 0", [], |_| Ok(()))?;
    let result = desk.write(Permission::ExchangeData, |tx, ctx| {
        let mut counts = BTreeMap::new();
        // The change log, the versions and the conflicts name the import by its log entry.
        let import_id = new_id();
        if !already {
            tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
            if known.is_none() {
                tx.execute(
                    "INSERT INTO exchange_peers (code, name, relation, added_at, added_by) VALUES (?1, ?2, 'below', ?3, ?4)",
                    params![m.site.code, m.site.name, ctx.now_text(), ctx.actor.user_id],
                )?;
            }
            let total = bundle.total_rows();
            let mut apply = Apply { tx, ctx, bundle: &bundle, import_id: &import_id, now: ctx.now_text(), counts: &mut counts,
                                    by_table: BTreeMap::new(), on: &mut *on, done: 0, total };
            apply.all()?;
            apply.tally();
            report(on, Stage::Commit, "", total, total);
        } else {
            counts.insert("alreadyImported".into(), 1);
        }
        log_exchange(tx, ctx, import_id, "import", kind, &sender, full, seq_from, seq_to, &sha, file_name, &counts)
    });
    desk.conn()
        .execute_batch(&format!("PRAGMA cache_size = {cache}"))?;
    desk.conn().query_row(
        &format!("PRAGMA wal_autocheckpoint = {autocheckpoint}"),
        [],
        |_| Ok(()),
    )?;
    result
}

/// What an import leaves for right after its commit, in steps that hold the desk briefly:
/// the search entries of up to `batch` of the customers it brought, and once they are all
/// built, moving the written pages from the WAL into the database file. Returns how many
/// customers are still to be indexed (0: all done). The app runs it in the background after
/// an import and at start; the command line runs it to the end.
pub fn after_import(desk: &Desk, batch: usize) -> Result<usize> {
    let left = crate::search::catch_up(desk, batch)?;
    if left == 0 {
        desk.conn()
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
    }
    Ok(left)
}

/// The page cache during an import, in KiB (negative: SQLite's unit for a size in KiB).
const IMPORT_CACHE_KIB: i64 = -64 * 1024;

// ---------------------------------------------------------------- conflicts

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Conflict {
    pub id: String,
    pub table_name: String,
    pub record_key: String,
    /// The origin site's id, code and name (the site that created the record).
    pub origin_site: String,
    pub origin_code: String,
    pub origin_name: String,
    /// The code of the site whose bundle brought the other version.
    pub from_site: String,
    #[ts(type = "Record<string, unknown>")]
    pub local_data: serde_json::Value,
    #[ts(type = "Record<string, unknown>")]
    pub incoming: serde_json::Value,
    /// Which version stands now: `local` or `incoming`.
    pub kept: String,
    /// The people the two versions mention (`updated_by`, `owner_id`…): id → name, so a
    /// person compares names, not ids.
    #[ts(type = "Record<string, string>")]
    pub names: BTreeMap<String, String>,
    pub at: String,
    pub resolved_at: Option<String>,
    pub resolution: Option<String>,
}

pub fn conflicts(desk: &Desk, open_only: bool) -> Result<Vec<Conflict>> {
    desk.require(Permission::ViewArchive)?;
    let mut stmt = desk.conn().prepare(&format!(
        "SELECT c.id, c.table_name, c.record_key, c.origin_site, c.from_site, c.local_data, c.incoming, c.kept, c.at,
                c.resolved_at, c.resolution, coalesce(s.code, ''), coalesce(s.name, '')
         FROM exchange_conflicts c LEFT JOIN sites s ON s.id = c.origin_site {} ORDER BY c.at DESC LIMIT 1000",
        if open_only { "WHERE c.resolved_at IS NULL" } else { "" }
    ))?;
    let rows = stmt.query_map([], |r| {
        let local: String = r.get(5)?;
        let incoming: String = r.get(6)?;
        Ok(Conflict {
            id: r.get(0)?,
            table_name: r.get(1)?,
            record_key: r.get(2)?,
            origin_site: r.get(3)?,
            origin_code: r.get(11)?,
            origin_name: r.get(12)?,
            from_site: r.get(4)?,
            local_data: serde_json::from_str(&local).unwrap_or_default(),
            incoming: serde_json::from_str(&incoming).unwrap_or_default(),
            kept: r.get(7)?,
            names: BTreeMap::new(),
            at: r.get(8)?,
            resolved_at: r.get(9)?,
            resolution: r.get(10)?,
        })
    })?;
    let mut list: Vec<Conflict> = rows.collect::<rusqlite::Result<_>>()?;
    let mut name = desk
        .conn()
        .prepare_cached("SELECT display_name FROM users WHERE id = ?1")?;
    for c in &mut list {
        for data in [&c.local_data, &c.incoming] {
            let Some(fields) = data.as_object() else {
                continue;
            };
            for (field, v) in fields {
                let Some(id) = v.as_str() else { continue };
                if (field.ends_with("_by") || field.ends_with("_id")) && !c.names.contains_key(id) {
                    if let Some(n) = name.query_row([id], |r| r.get::<_, String>(0)).optional()? {
                        c.names.insert(id.to_owned(), n);
                    }
                }
            }
        }
    }
    Ok(list)
}

/// A person decides: `local` (the version this site had) or `incoming`. The chosen version
/// is written (and logged) when it is not the one standing.
pub fn resolve_conflict(desk: &mut Desk, id: &str, keep: &str) -> Result<Conflict> {
    desk.require(Permission::ExchangeData)?;
    if !matches!(keep, "local" | "incoming") {
        return Err(Error::invalid("keep", Rule::OutOfRange));
    }
    desk.write(Permission::ExchangeData, |tx, ctx| {
        let (table, kept, local, incoming, resolved): (String, String, String, String, Option<String>) = tx
            .query_row(
                "SELECT table_name, kept, local_data, incoming, resolved_at FROM exchange_conflicts WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?
            .ok_or_else(|| Error::NotFound { entity: "conflict", id: id.to_owned() })?;
        if resolved.is_some() {
            return Err(Error::InvalidTransition { from: "resolved", event: "resolve" });
        }
        let t = tables::table(&table).ok_or_else(|| Error::Corrupt(format!("conflict on table {table}")))?;
        if kept != keep {
            let chosen: Row = serde_json::from_str(if keep == "local" { &local } else { &incoming })
                .map_err(|e| Error::Corrupt(format!("conflict data: {e}")))?;
            let empty = Bundle {
                manifest: empty_manifest(),
                sha256: String::new(),
                tables: Default::default(),
                files: BTreeMap::new(),
                raw: BTreeMap::new(),
            };
            let mut counts = BTreeMap::new();
            let mut a = Apply { tx, ctx, bundle: &empty, import_id: "", now: ctx.now_text(), counts: &mut counts,
                                by_table: BTreeMap::new(), on: &mut |_| {}, done: 0, total: 0 };
            a.update(&TableSql::new(tx, t)?, &chosen)?;
            a.log(t, &tables::key_of(t, &chosen), &chosen, "update")?;
            if t.name == "customers" {
                let id = tables::key_of(t, &chosen);
                crate::search::reindex_customer(tx, &id)?;
            }
        }
        tx.execute(
            "UPDATE exchange_conflicts SET resolved_at = ?1, resolved_by = ?2, resolution = ?3, kept = ?3 WHERE id = ?4",
            params![ctx.now_text(), ctx.actor.user_id, keep, id],
        )?;
        Ok(())
    })?;
    conflicts(desk, false)?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| Error::NotFound {
            entity: "conflict",
            id: id.to_owned(),
        })
}

fn empty_manifest() -> Manifest {
    Manifest {
        format: bundle::FORMAT.into(),
        format_version: bundle::FORMAT_VERSION,
        app_version: String::new(),
        kind: "data".into(),
        site: SiteRef {
            id: String::new(),
            code: String::new(),
            name: String::new(),
            tier: String::new(),
        },
        destination: String::new(),
        full: false,
        seq_from: 0,
        seq_to: 0,
        created_at: String::new(),
        created_by: String::new(),
        counts: BTreeMap::new(),
        calendar_years: Vec::new(),
        entries: Vec::new(),
    }
}
