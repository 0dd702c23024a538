//! The append-only change log: one row per inserted, updated or deleted record, written in the
//! same transaction as the change itself. It is the audit trail (who, when, what) and the feed
//! that incremental export will read. SQL triggers refuse any UPDATE or DELETE of it.

use rusqlite::{params, Connection};
use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::Ctx;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Insert,
    Update,
    Delete,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Insert => "insert",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }
}

pub(crate) fn record(
    tx: &Connection,
    ctx: &Ctx,
    table: &str,
    id: &str,
    action: Action,
    data: &impl Serialize,
) -> Result<()> {
    let json = serde_json::to_string(data).expect("records serialise to JSON");
    tx.execute(
        "INSERT INTO change_log (at, site_id, user_id, table_name, record_id, action, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            ctx.now_text(),
            ctx.actor.site_id,
            ctx.actor.user_id,
            table,
            id,
            action.as_str(),
            json
        ],
    )?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Change {
    pub seq: i64,
    pub at: String,
    pub site_id: String,
    pub user_id: String,
    pub table_name: String,
    pub record_id: String,
    pub action: String,
    pub data: String,
}

/// The history of one record, oldest first.
pub fn history(conn: &Connection, table: &str, id: &str) -> Result<Vec<Change>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, site_id, user_id, table_name, record_id, action, data FROM change_log
         WHERE table_name = ?1 AND record_id = ?2 ORDER BY seq",
    )?;
    let rows = stmt.query_map([table, id], |r| {
        Ok(Change {
            seq: r.get(0)?,
            at: r.get(1)?,
            site_id: r.get(2)?,
            user_id: r.get(3)?,
            table_name: r.get(4)?,
            record_id: r.get(5)?,
            action: r.get(6)?,
            data: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM change_log", [], |r| r.get(0))?)
}
