//! Applying a verified bundle inside the import's transaction: table by table, each row
//! inserted, updated, left alone or kept as a conflict; the rows a record owns replaced with
//! it; imported customers listed for the search.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{params, Connection, OptionalExtension};

use super::bundle::Bundle;
use super::tables::{self, Kind, Row, Table, TABLES};
use super::{in_list, local_site, report, Progress, Stage, PROGRESS_ROWS};
use crate::error::{Error, FieldIssue, Result, Rule};
use crate::{new_id, Ctx};

pub(super) struct Apply<'a> {
    pub(super) tx: &'a Connection,
    pub(super) ctx: &'a Ctx,
    pub(super) bundle: &'a Bundle,
    pub(super) import_id: &'a str,
    /// The import's instant, stamped on every change-log row it writes.
    pub(super) now: String,
    pub(super) counts: &'a mut BTreeMap<String, i64>,
    pub(super) by_table: BTreeMap<(&'static str, &'static str), i64>,
    pub(super) on: &'a mut dyn FnMut(&Progress),
    /// Rows applied so far, of `total` in the bundle.
    pub(super) done: i64,
    pub(super) total: i64,
}

enum Outcome {
    Inserted,
    Updated,
    Unchanged,
    /// Changed on both sides; which version was kept.
    Conflict {
        kept_incoming: bool,
    },
}

/// The statements of one table, built once per import: a bundle carries hundreds of
/// thousands of rows, and building and parsing SQL per row would cost more than the writes.
pub(super) struct TableSql {
    t: &'static Table,
    /// The travelling columns, sorted like a row's keys.
    cols: Vec<String>,
    /// INSERT, INSERT unless the key exists, UPDATE by key — for a row with every column.
    writes: (String, String, String),
    where_key: String,
    delete: String,
}

impl TableSql {
    pub(super) fn new(tx: &Connection, t: &'static Table) -> Result<Self> {
        let mut cols = tables::columns(tx, t.name)?;
        cols.sort();
        let names: Vec<&str> = cols.iter().map(String::as_str).collect();
        let writes = Self::writes(t, &names);
        let where_key = format!(
            "WHERE {}",
            t.key
                .iter()
                .enumerate()
                .map(|(i, k)| format!("{k} = ?{}", i + 1))
                .collect::<Vec<_>>()
                .join(" AND ")
        );
        let delete = format!("DELETE FROM {} {where_key}", t.name);
        Ok(TableSql {
            t,
            cols,
            writes,
            where_key,
            delete,
        })
    }

    /// INSERT, INSERT unless the key exists, and UPDATE by key, for a row with `cols` (sorted).
    fn writes(t: &Table, cols: &[&str]) -> (String, String, String) {
        let insert = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            t.name,
            cols.join(", "),
            in_list(cols.len())
        );
        let insert_new = format!("{insert} ON CONFLICT ({}) DO NOTHING", t.key.join(", "));
        let set: Vec<&str> = cols
            .iter()
            .copied()
            .filter(|c| !t.key.contains(c))
            .collect();
        let update = format!(
            "UPDATE {} SET {} WHERE {}",
            t.name,
            set.iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = ?{}", i + 1))
                .collect::<Vec<_>>()
                .join(", "),
            t.key
                .iter()
                .enumerate()
                .map(|(i, k)| format!("{k} = ?{}", set.len() + i + 1))
                .collect::<Vec<_>>()
                .join(" AND ")
        );
        (insert, insert_new, update)
    }

    /// The statements for `row`: the prepared ones when it has every column (a bundle of
    /// this version), built for it when it has fewer (an older one).
    fn for_row(&self, row: &Row) -> std::borrow::Cow<'_, (String, String, String)> {
        if row.len() == self.cols.len() {
            std::borrow::Cow::Borrowed(&self.writes)
        } else {
            let names: Vec<&str> = row.keys().map(String::as_str).collect();
            std::borrow::Cow::Owned(Self::writes(self.t, &names))
        }
    }
}

fn as_params<'v>(vals: &'v [tables::SqlJson<'_>]) -> Vec<&'v dyn rusqlite::ToSql> {
    vals.iter().map(|v| v as &dyn rusqlite::ToSql).collect()
}

impl Apply<'_> {
    fn bump(&mut self, t: &Table, what: &'static str) {
        *self.by_table.entry((t.name, what)).or_default() += 1;
    }

    /// The counts as the summary shows them: totals (`inserted`) and per table
    /// (`customers.inserted`).
    pub(super) fn tally(&mut self) {
        for ((table, what), n) in std::mem::take(&mut self.by_table) {
            *self.counts.entry(what.to_owned()).or_default() += n;
            *self.counts.entry(format!("{table}.{what}")).or_default() += n;
        }
    }

    pub(super) fn all(&mut self) -> Result<()> {
        let kind = self.bundle.manifest.kind.clone();
        // Parents inserted, and parents updated, in this import: the rows they own follow.
        let mut inserted: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        let mut updated: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for t in TABLES {
            if !tables::travels(t, kind == "policy") {
                continue;
            }
            let Some(parsed) = self.bundle.parse_table(t.name)? else {
                continue;
            };
            let rows = &parsed.rows;
            let sql = TableSql::new(self.tx, t)?;
            let start = self.done;
            report(self.on, Stage::Apply, t.name, start, self.total);
            self.done += rows.len() as i64;
            // Within a big table, every so many rows.
            let total = self.total;
            let tick = |on: &mut dyn FnMut(&Progress), i: usize| {
                if i % PROGRESS_ROWS == PROGRESS_ROWS - 1 {
                    report(on, Stage::Apply, t.name, start + i as i64 + 1, total);
                }
            };
            for row in rows {
                if let Some(unknown) = row.keys().find(|k| sql.cols.binary_search(k).is_err()) {
                    return Err(Error::Validation(vec![FieldIssue::new(
                        "file",
                        Rule::UnreadableFile,
                    )
                    .with("detail", format!("{}: unknown column {unknown}", t.name))]));
                }
                for v in row.values() {
                    tables::storable(v, &self.bundle.files)?;
                }
            }
            match t.kind {
                _ if t.name == "policies" && kind == "policy" => self.adopt_policy(t, rows)?,
                Kind::Mutable => {
                    let hashes = &parsed.hashes;
                    for (i, row) in rows.iter().enumerate() {
                        tick(self.on, i);
                        let row = self.transform(t, row)?;
                        let key = tables::key_of(t, &row);
                        let hash = match (&row, hashes.get(i)) {
                            (std::borrow::Cow::Borrowed(_), Some(h)) => h.clone(),
                            _ => tables::row_hash(&row),
                        };
                        match self.upsert(&sql, &key, &row, &hash)? {
                            Outcome::Inserted => {
                                self.bump(t, "inserted");
                                inserted.entry(t.name).or_default().insert(key);
                            }
                            Outcome::Updated => {
                                self.bump(t, "updated");
                                updated.entry(t.name).or_default().insert(key);
                            }
                            Outcome::Unchanged => self.bump(t, "unchanged"),
                            Outcome::Conflict { kept_incoming } => {
                                self.bump(t, "conflicts");
                                if kept_incoming {
                                    updated.entry(t.name).or_default().insert(key);
                                }
                            }
                        }
                    }
                }
                Kind::AppendOnly => {
                    // A work order's timeline (and the like) travels on with its work order,
                    // whose own change-log entry this import writes: the rows need none.
                    let owner = tables::OWNED
                        .iter()
                        .find(|(child, _, _)| *child == t.name)
                        .map(|(_, parent, fk)| {
                            let applied = |m: &BTreeMap<&str, BTreeSet<String>>| {
                                m.get(parent).cloned().unwrap_or_default()
                            };
                            let mut set = applied(&inserted);
                            set.extend(applied(&updated));
                            (*fk, set)
                        });
                    for (i, row) in rows.iter().enumerate() {
                        tick(self.on, i);
                        let travels_with_parent = owner.as_ref().is_some_and(|(fk, set)| {
                            row.get(*fk)
                                .and_then(|v| v.as_str())
                                .is_some_and(|p| set.contains(p))
                        });
                        self.append(&sql, row, !travels_with_parent)?;
                    }
                }
                Kind::Children {
                    parent: "calendar_years",
                    ..
                } => {
                    for y in &self.bundle.manifest.calendar_years {
                        self.tx.execute(
                            "DELETE FROM calendar_days WHERE date >= ?1 AND date < ?2",
                            params![format!("{y:04}-01-01"), format!("{:04}-01-01", y + 1)],
                        )?;
                    }
                    for row in rows {
                        self.insert(&sql, row, false)?;
                    }
                    self.bump(t, "calendarDays");
                }
                Kind::Children { parent, fk } => {
                    let empty = BTreeSet::new();
                    let new_parents = inserted.get(parent).unwrap_or(&empty);
                    let changed_parents = updated.get(parent).unwrap_or(&empty);
                    let mut keep: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
                    for row in rows {
                        let owner = row.get(fk).and_then(|v| v.as_str()).unwrap_or_default();
                        if new_parents.contains(owner) {
                            // A parent new here has no rows here yet.
                            self.insert(&sql, row, false)?;
                            self.bump(t, "inserted");
                        } else if changed_parents.contains(owner) {
                            // Upserted one by one and the missing ones removed: deleting and
                            // inserting again would null the references to them (ON DELETE
                            // SET NULL).
                            match self.local_row(&sql, row)? {
                                None => {
                                    self.insert(&sql, row, false)?;
                                    self.bump(t, "inserted");
                                }
                                Some(local) if local != *row => {
                                    self.update(&sql, row)?;
                                    self.bump(t, "updated");
                                }
                                Some(_) => self.bump(t, "unchanged"),
                            }
                            keep.entry(owner.to_owned())
                                .or_default()
                                .insert(tables::key_of(t, row));
                        } else {
                            // Its parent stayed as it was here (unchanged, or a conflict
                            // kept this site's version): so do the rows it owns.
                            self.bump(t, "unchanged");
                        }
                    }
                    for p in changed_parents {
                        let existing = tables::read_rows(
                            self.tx,
                            t,
                            &sql.cols,
                            &format!("WHERE {fk} = ?1"),
                            &[p],
                            None,
                        )?;
                        for row in existing {
                            if !keep
                                .get(p)
                                .is_some_and(|k| k.contains(&tables::key_of(t, &row)))
                            {
                                let key = self.key_values(sql.t, &row);
                                self.tx
                                    .prepare_cached(&sql.delete)?
                                    .execute(&as_params(&key)[..])?;
                            }
                        }
                    }
                }
            }
        }
        // Imported customers (and those of imported units: a serial is part of the entry)
        // are found by search like local ones. Their entries are built right after the
        // commit (`finish`), not inside the import's transaction.
        let mut customers: BTreeSet<String> = BTreeSet::new();
        for m in [&inserted, &updated] {
            customers.extend(m.get("customers").into_iter().flatten().cloned());
        }
        let mut owner = self
            .tx
            .prepare_cached("SELECT customer_id FROM units WHERE id = ?1")?;
        for unit in [inserted.get("units"), updated.get("units")]
            .into_iter()
            .flatten()
            .flatten()
        {
            if let Some(c) = owner
                .query_row([unit], |r| r.get::<_, String>(0))
                .optional()?
            {
                customers.insert(c);
            }
        }
        crate::search::mark_pending(self.tx, customers.iter().map(String::as_str))?;
        if kind == "policy" {
            let cal = crate::calendar::load_in(self.tx, self.ctx.tz)?;
            crate::complaints::sla::refresh_open(self.tx, &cal)?;
        }
        Ok(())
    }

    /// The service terms (warranty, return and exchange days) of the site above become this
    /// site's: recorded like an edit of the policy, by the person importing.
    fn adopt_policy(&mut self, t: &Table, rows: &[Row]) -> Result<()> {
        let Some(theirs) = rows.first() else {
            return Ok(());
        };
        let term = |name: &str| theirs.get(name).and_then(|v| v.as_i64());
        let (Some(w), Some(r), Some(e)) = (
            term("warranty_months"),
            term("return_days"),
            term("exchange_days"),
        ) else {
            return Err(Error::Corrupt("a policy without its terms".into()));
        };
        let site = &self.ctx.actor.site_id;
        let n = self.tx.execute(
            "UPDATE policies SET warranty_months = ?1, return_days = ?2, exchange_days = ?3,
                                 updated_at = ?4, updated_by = ?5, rev = rev + 1
             WHERE site_id = ?6
               AND (warranty_months, return_days, exchange_days) IS NOT (?1, ?2, ?3)",
            params![w, r, e, self.now, self.ctx.actor.user_id, site],
        )?;
        if n == 0 {
            self.bump(t, "unchanged");
            return Ok(());
        }
        let id: String =
            self.tx
                .query_row("SELECT id FROM policies WHERE site_id = ?1", [site], |r| {
                    r.get(0)
                })?;
        crate::audit::record(
            self.tx,
            self.ctx,
            "policies",
            &id,
            crate::audit::Action::Update,
            &crate::site::policy_for_site(self.tx, site)?,
        )?;
        self.bump(t, "updated");
        Ok(())
    }

    /// Users of other sites arrive as names for the records that mention them, never as
    /// accounts that could sign in here.
    fn transform<'r>(&self, t: &Table, row: &'r Row) -> Result<std::borrow::Cow<'r, Row>> {
        if t.name != "users" {
            return Ok(std::borrow::Cow::Borrowed(row));
        }
        let mut row = row.clone();
        let site_id = row
            .get("site_id")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned();
        let code: String = self
            .tx
            .query_row("SELECT code FROM sites WHERE id = ?1", [&site_id], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or_else(|| self.bundle.manifest.site.code.clone());
        let username = row
            .get("username")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned();
        let prefix = format!("{code}.");
        if !username.starts_with(&prefix) {
            row.insert("username".into(), format!("{prefix}{username}").into());
        }
        row.insert("password_hash".into(), "!".into());
        row.insert("active".into(), 0.into());
        Ok(std::borrow::Cow::Owned(row))
    }

    fn local_row(&self, sql: &TableSql, row: &Row) -> Result<Option<Row>> {
        let key = self.key_values(sql.t, row);
        Ok(tables::read_rows(
            self.tx,
            sql.t,
            &sql.cols,
            &sql.where_key,
            &as_params(&key),
            None,
        )?
        .into_iter()
        .next())
    }

    /// The row's values as SQL parameters, borrowed from the parsed bundle (no copies).
    fn values<'r>(&'r self, row: &'r Row, skip_key: Option<&Table>) -> Vec<tables::SqlJson<'r>> {
        row.iter()
            .filter(|(c, _)| !skip_key.is_some_and(|t| t.key.contains(&c.as_str())))
            .map(|(_, v)| tables::SqlJson(v, &self.bundle.files))
            .collect()
    }

    /// The values of `row`'s key columns, as SQL parameters.
    fn key_values<'r>(&'r self, t: &Table, row: &'r Row) -> Vec<tables::SqlJson<'r>> {
        t.key
            .iter()
            .map(|k| {
                tables::SqlJson(
                    row.get(*k).unwrap_or(&serde_json::Value::Null),
                    &self.bundle.files,
                )
            })
            .collect()
    }

    /// Inserts `row`; with `only_new`, not when its key is here already (returns false).
    fn insert(&mut self, sql: &TableSql, row: &Row, only_new: bool) -> Result<bool> {
        let stmts = sql.for_row(row);
        let vals = self.values(row, None);
        let text = if only_new { &stmts.1 } else { &stmts.0 };
        let n = self
            .tx
            .prepare_cached(text)?
            .execute(&as_params(&vals)[..])?;
        Ok(n == 1)
    }

    pub(super) fn update(&mut self, sql: &TableSql, row: &Row) -> Result<()> {
        let stmts = sql.for_row(row);
        let mut vals = self.values(row, Some(sql.t));
        vals.extend(self.key_values(sql.t, row));
        self.tx
            .prepare_cached(&stmts.2)?
            .execute(&as_params(&vals)[..])?;
        Ok(())
    }

    /// The change log gets the imported record, so that it travels on (centre → HQ); its
    /// data says which import brought it (the record itself is the content).
    pub(super) fn log(&self, t: &Table, key: &str, row: &Row, action: &str) -> Result<()> {
        let origin = row
            .get("site_id")
            .and_then(|v| v.as_str())
            .unwrap_or(&self.bundle.manifest.site.id);
        self.tx
            .prepare_cached(
                "INSERT INTO change_log (at, site_id, user_id, table_name, record_id, action, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, json_object('import', ?7, 'from', ?8))",
            )?
            .execute(params![
                self.now,
                origin,
                self.ctx.actor.user_id,
                t.name,
                key,
                action,
                self.import_id,
                self.bundle.manifest.site.code,
            ])?;
        Ok(())
    }

    fn remember(&self, t: &Table, key: &str, hash: &str) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO exchange_versions (table_name, record_key, hash) VALUES (?1, ?2, ?3)
                 ON CONFLICT(table_name, record_key) DO UPDATE SET hash = excluded.hash
                 WHERE hash <> excluded.hash",
            )?
            .execute(params![t.name, key, hash])?;
        Ok(())
    }

    /// `ih`: the incoming row's content hash.
    fn upsert(&mut self, sql: &TableSql, key: &str, incoming: &Row, ih: &str) -> Result<Outcome> {
        let t = sql.t;
        if self.insert(sql, incoming, true)? {
            self.log(t, key, incoming, "insert")?;
            self.remember(t, key, ih)?;
            return Ok(Outcome::Inserted);
        }
        let Some(local) = self.local_row(sql, incoming)? else {
            // Not inserted and not here: another unique column clashes; the plain insert
            // reports which.
            self.insert(sql, incoming, false)?;
            return Err(Error::Corrupt(format!("{}: could not insert", t.name)));
        };
        let lh = tables::row_hash(&local);
        if lh == ih {
            self.remember(t, key, ih)?;
            return Ok(Outcome::Unchanged);
        }
        let base: Option<String> = self
            .tx
            .prepare_cached(
                "SELECT hash FROM exchange_versions WHERE table_name = ?1 AND record_key = ?2",
            )?
            .query_row(params![t.name, key], |r| r.get(0))
            .optional()?;
        let rev = |r: &Row| r.get("rev").and_then(|v| v.as_i64()).unwrap_or(0);
        let local_changed = match &base {
            Some(b) => *b != lh,
            None => rev(&local) >= rev(incoming),
        };
        let incoming_changed = match &base {
            Some(b) => *b != ih,
            None => true,
        };
        if !incoming_changed {
            // An older copy of what we already had.
            return Ok(Outcome::Unchanged);
        }
        if !local_changed {
            self.update(sql, incoming)?;
            self.log(t, key, incoming, "update")?;
            self.remember(t, key, ih)?;
            return Ok(Outcome::Updated);
        }
        // Changed here and there: the origin site's version stands, a person decides.
        let origin = incoming
            .get("site_id")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        let here = local_site(self.tx)?.id;
        let kept_incoming = origin != here;
        if kept_incoming {
            self.update(sql, incoming)?;
            self.log(t, key, incoming, "update")?;
        }
        self.remember(t, key, ih)?;
        self.tx.execute(
            "INSERT INTO exchange_conflicts (id, table_name, record_key, origin_site, from_site, local_data, incoming, kept,
                                             import_id, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![new_id(), t.name, key, origin, self.bundle.manifest.site.code,
                    serde_json::to_string(&local).expect("rows serialise"),
                    serde_json::to_string(incoming).expect("rows serialise"),
                    if kept_incoming { "incoming" } else { "local" }, self.import_id, self.ctx.now_text()],
        )?;
        Ok(Outcome::Conflict { kept_incoming })
    }

    fn append(&mut self, sql: &TableSql, row: &Row, logged: bool) -> Result<()> {
        let t = sql.t;
        if self.insert(sql, row, true)? {
            if logged {
                self.log(t, &tables::key_of(t, row), row, "insert")?;
            }
            self.bump(t, "appended");
            return Ok(());
        }
        if t.name == "documents" {
            // The one change an issued document allows: being voided.
            let local = self.local_row(sql, row)?;
            let void_here = local
                .as_ref()
                .and_then(|l| l.get("status"))
                .and_then(|v| v.as_str())
                == Some("void");
            let void_there = row.get("status").and_then(|v| v.as_str()) == Some("void");
            if void_there && !void_here {
                self.tx.execute(
                    "UPDATE documents SET status = 'void', void_reason = ?1, voided_at = ?2, voided_by = ?3 WHERE id = ?4",
                    params![row.get("void_reason").and_then(|v| v.as_str()).unwrap_or("void"),
                            row.get("voided_at").and_then(|v| v.as_str()),
                            row.get("voided_by").and_then(|v| v.as_str()),
                            row.get("id").and_then(|v| v.as_str())],
                )?;
                self.log(t, &tables::key_of(t, row), row, "update")?;
                self.bump(t, "updated");
                return Ok(());
            }
        }
        self.bump(t, "unchanged");
        Ok(())
    }
}
