//! Which tables travel between sites, in which order, how a record is found, and how a row
//! becomes a JSON object and back. Derived tables (search grams, stock balances, document
//! counters, the change log, device settings) never travel: each site derives its own.

use rusqlite::types::{Value, ValueRef};
use rusqlite::Connection;
use serde_json::{Map, Value as Json};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Has `rev`: inserted when new, updated when newer, a conflict when changed on both sides.
    Mutable,
    /// Facts that are only ever added (events, ledger rows, issued documents, files).
    AppendOnly,
    /// Rows owned by a parent record, replaced as a set when the parent is applied.
    Children {
        parent: &'static str,
        fk: &'static str,
    },
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Table {
    pub name: &'static str,
    /// The primary key columns, in order.
    pub key: &'static [&'static str],
    pub kind: Kind,
    /// Part of the policy HQ and centres send down (catalog, SLA, calendar).
    pub policy: bool,
}

const fn t(name: &'static str, key: &'static [&'static str], kind: Kind, policy: bool) -> Table {
    Table {
        name,
        key,
        kind,
        policy,
    }
}

const ID: &[&str] = &["id"];

/// In dependency order (foreign keys are deferred to the commit anyway).
pub(crate) const TABLES: &[Table] = &[
    t("sites", ID, Kind::Mutable, false),
    t("users", ID, Kind::Mutable, false),
    // Each site's service terms travel up as records; a policy bundle carries the sender's
    // own, which the site below adopts.
    t("policies", ID, Kind::Mutable, true),
    t("product_models", ID, Kind::Mutable, true),
    t("customers", ID, Kind::Mutable, false),
    t(
        "contacts",
        ID,
        Kind::Children {
            parent: "customers",
            fk: "customer_id",
        },
        false,
    ),
    t(
        "addresses",
        ID,
        Kind::Children {
            parent: "customers",
            fk: "customer_id",
        },
        false,
    ),
    t("units", ID, Kind::Mutable, false),
    t("parts", ID, Kind::Mutable, true),
    t("stock_locations", ID, Kind::Mutable, false),
    t(
        "part_serials",
        &["part_id", "serial"],
        Kind::Children {
            parent: "parts",
            fk: "part_id",
        },
        false,
    ),
    t("work_orders", ID, Kind::Mutable, false),
    t(
        "work_order_technicians",
        &["work_order_id", "user_id"],
        Kind::Children {
            parent: "work_orders",
            fk: "work_order_id",
        },
        false,
    ),
    t(
        "work_order_parts",
        ID,
        Kind::Children {
            parent: "work_orders",
            fk: "work_order_id",
        },
        false,
    ),
    t(
        "work_order_fees",
        ID,
        Kind::Children {
            parent: "work_orders",
            fk: "work_order_id",
        },
        false,
    ),
    t("work_order_events", ID, Kind::AppendOnly, false),
    t("documents", ID, Kind::AppendOnly, false),
    t("document_scans", ID, Kind::AppendOnly, false),
    t("stock_movements", ID, Kind::AppendOnly, false),
    t("inspections", ID, Kind::AppendOnly, false),
    t("stock_transfers", ID, Kind::AppendOnly, false),
    t("disposals", ID, Kind::AppendOnly, false),
    t("requisitions", ID, Kind::Mutable, false),
    t(
        "requisition_lines",
        &["requisition_id", "position"],
        Kind::Children {
            parent: "requisitions",
            fk: "requisition_id",
        },
        false,
    ),
    t("stocktakes", ID, Kind::Mutable, false),
    t(
        "stocktake_lines",
        &["stocktake_id", "part_id"],
        Kind::Children {
            parent: "stocktakes",
            fk: "stocktake_id",
        },
        false,
    ),
    t("scrap_requests", ID, Kind::Mutable, false),
    t(
        "scrap_lines",
        &["scrap_id", "position"],
        Kind::Children {
            parent: "scrap_requests",
            fk: "scrap_id",
        },
        false,
    ),
    t("scrap_photos", ID, Kind::AppendOnly, false),
    t("complaints", ID, Kind::Mutable, false),
    t(
        "complaint_clocks",
        &["complaint_id", "clock"],
        Kind::Children {
            parent: "complaints",
            fk: "complaint_id",
        },
        false,
    ),
    t("complaint_events", ID, Kind::AppendOnly, false),
    t("complaint_attachments", ID, Kind::AppendOnly, false),
    t("sla_policies", &["level"], Kind::Mutable, true),
    t("calendar_settings", ID, Kind::Mutable, true),
    t(
        "calendar_days",
        &["date"],
        Kind::Children {
            parent: "calendar_years",
            fk: "date",
        },
        true,
    ),
];

/// The site's own rules, which only ever travel down in policy bundles: a data bundle going
/// up never carries them, and an import of one never applies them.
pub(crate) const SITE_POLICY: &[&str] = &["sla_policies", "calendar_settings", "calendar_days"];

/// Whether `t` travels in a bundle of `kind`: policy bundles carry the catalog and the site
/// rules; data bundles everything but the site rules.
pub(crate) fn travels(t: &Table, policy: bool) -> bool {
    if policy {
        t.policy
    } else {
        !SITE_POLICY.contains(&t.name)
    }
}

pub(crate) fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

/// Append-only rows that belong to a parent and travel with it (a work order's timeline…).
pub(crate) const OWNED: &[(&str, &str, &str)] = &[
    ("work_order_events", "work_orders", "work_order_id"),
    ("document_scans", "documents", "document_id"),
    ("scrap_photos", "scrap_requests", "scrap_id"),
    ("complaint_events", "complaints", "complaint_id"),
    ("complaint_attachments", "complaints", "complaint_id"),
];

/// A row as it travels: column → value. BLOBs are replaced by `{"$file": name, "sha256": …}`
/// and carried as separate entries of the bundle.
pub(crate) type Row = Map<String, Json>;

/// The columns that travel: all but the local row numbers (`seq`) that search and the ledger
/// order by, which each site assigns itself.
pub(crate) fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(&format!("PRAGMA table_info({table})"))?;
    let cols = stmt
        .query_map([], |r| r.get::<_, String>(1))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(cols.into_iter().filter(|c| c != "seq").collect())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    crate::documents::hex(bytes)
}

/// The file name a BLOB column of a row travels under.
pub(crate) fn file_name(table: &str, key: &str, column: &str) -> String {
    let safe: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("files/{table}/{safe}.{column}")
}

/// Reads rows of `table` with `where_sql` (may use `?1`…) into JSON rows; BLOBs go to `files`.
/// `cols` are the table's travelling columns ([`columns`]), read once by the caller.
pub(crate) fn read_rows(
    conn: &Connection,
    t: &Table,
    cols: &[String],
    where_sql: &str,
    params: &[&dyn rusqlite::ToSql],
    mut files: Option<&mut Vec<(String, Vec<u8>)>>,
) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM {} {where_sql}",
        cols.join(", "),
        t.name
    ))?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut row = Map::new();
        let mut blobs = Vec::new();
        for (i, c) in cols.iter().enumerate() {
            let v = match r.get_ref(i)? {
                ValueRef::Null => Json::Null,
                ValueRef::Integer(n) => Json::from(n),
                ValueRef::Real(f) => Json::from(f),
                ValueRef::Text(s) => Json::from(String::from_utf8_lossy(s).into_owned()),
                ValueRef::Blob(b) => {
                    blobs.push((c.clone(), b.to_vec()));
                    Json::Null
                }
            };
            row.insert(c.clone(), v);
        }
        let key = key_of(t, &row);
        for (c, bytes) in blobs {
            let name = file_name(t.name, &key, &c);
            let sha = hex(&Sha256::digest(&bytes));
            row.insert(c, serde_json::json!({ "$file": name, "sha256": sha }));
            if let Some(f) = files.as_deref_mut() {
                f.push((name, bytes));
            }
        }
        out.push(row);
    }
    Ok(out)
}

/// Writes the rows of one table as JSON Lines straight from SQLite, without building a JSON
/// value per row: the export reads hundreds of thousands of rows. Each line is the same text
/// [`Row`] would serialise to (keys sorted), so hashes computed on either side agree.
pub(crate) struct LineWriter {
    t: &'static Table,
    /// The travelling columns sorted by name, with the `"name":` text written before each.
    cols: Vec<(String, String)>,
    select: String,
    key_at: Vec<usize>,
    pub text: Vec<u8>,
    pub count: usize,
    /// Keys written, when the same row could come from two queries.
    seen: Option<std::collections::HashSet<String>>,
}

impl LineWriter {
    pub fn new(conn: &Connection, t: &'static Table, dedup: bool) -> Result<Self> {
        let mut names = columns(conn, t.name)?;
        names.sort();
        let key_at = t
            .key
            .iter()
            .map(|k| {
                names
                    .iter()
                    .position(|c| c == k)
                    .ok_or_else(|| Error::Corrupt(format!("{}: no key column {k}", t.name)))
            })
            .collect::<Result<_>>()?;
        let select = format!("SELECT {} FROM {}", names.join(", "), t.name);
        let cols = names
            .into_iter()
            .map(|c| {
                let label = serde_json::to_string(&c).expect("a name serialises") + ":";
                (c, label)
            })
            .collect();
        Ok(LineWriter {
            t,
            cols,
            select,
            key_at,
            text: Vec::new(),
            count: 0,
            seen: dedup.then(Default::default),
        })
    }

    /// Appends the rows matching `where_sql`; BLOB columns become file references and the
    /// bytes go to `files`.
    pub fn add(
        &mut self,
        conn: &Connection,
        where_sql: &str,
        params: &[&dyn rusqlite::ToSql],
        files: &mut Vec<(String, Vec<u8>)>,
    ) -> Result<()> {
        let mut stmt = conn.prepare_cached(&format!("{} {where_sql}", self.select))?;
        let mut rows = stmt.query(params)?;
        while let Some(r) = rows.next()? {
            let key = || -> Result<String> {
                let mut parts = Vec::with_capacity(self.key_at.len());
                for &i in &self.key_at {
                    parts.push(match r.get_ref(i)? {
                        ValueRef::Text(s) => String::from_utf8_lossy(s).into_owned(),
                        ValueRef::Integer(n) => n.to_string(),
                        ValueRef::Real(f) => Json::from(f).to_string(),
                        ValueRef::Null | ValueRef::Blob(_) => String::new(),
                    });
                }
                Ok(parts.join("|"))
            };
            if let Some(seen) = &mut self.seen {
                if !seen.insert(key()?) {
                    continue;
                }
            }
            let out = &mut self.text;
            out.push(b'{');
            for (i, (name, label)) in self.cols.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(label.as_bytes());
                match r.get_ref(i)? {
                    ValueRef::Null => out.extend_from_slice(b"null"),
                    ValueRef::Integer(n) => out.extend_from_slice(n.to_string().as_bytes()),
                    ValueRef::Real(f) => {
                        serde_json::to_writer(&mut *out, &Json::from(f)).expect("writes to a Vec")
                    }
                    ValueRef::Text(s) => match std::str::from_utf8(s) {
                        Ok(s) => serde_json::to_writer(&mut *out, s).expect("writes to a Vec"),
                        Err(_) => serde_json::to_writer(&mut *out, &String::from_utf8_lossy(s))
                            .expect("writes to a Vec"),
                    },
                    ValueRef::Blob(b) => {
                        let file = file_name(self.t.name, &key()?, name);
                        let sha = hex(&Sha256::digest(b));
                        serde_json::to_writer(
                            &mut *out,
                            &serde_json::json!({ "$file": file, "sha256": sha }),
                        )
                        .expect("writes to a Vec");
                        files.push((file, b.to_vec()));
                    }
                }
            }
            out.extend_from_slice(b"}\n");
            self.count += 1;
        }
        Ok(())
    }
}

/// The record key as one string (`id`, or the key columns joined by `|`).
pub(crate) fn key_of(t: &Table, row: &Row) -> String {
    t.key
        .iter()
        .map(|k| match row.get(*k) {
            Some(Json::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// A stable hash of a row's content (keys sorted: serde_json's map is ordered).
pub(crate) fn row_hash(row: &Row) -> String {
    let bytes = serde_json::to_vec(row).expect("a JSON map serialises");
    hex(&Sha256::digest(&bytes))
}

/// A JSON value of a parsed bundle as an SQL parameter, borrowed: an import binds millions of
/// them. `{"$file"}` is the bytes of that entry of the bundle (checked to exist beforehand).
pub(crate) struct SqlJson<'a>(
    pub &'a Json,
    pub &'a std::collections::BTreeMap<String, Vec<u8>>,
);

impl rusqlite::ToSql for SqlJson<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::ToSqlOutput::{Borrowed, Owned};
        let fail = |what: String| {
            rusqlite::Error::ToSqlConversionFailure(Box::new(std::io::Error::other(what)))
        };
        Ok(match self.0 {
            Json::Null => Borrowed(ValueRef::Null),
            Json::Bool(b) => Owned(Value::Integer(i64::from(*b))),
            Json::Number(n) => match n.as_i64() {
                Some(i) => Owned(Value::Integer(i)),
                None => Owned(Value::Real(n.as_f64().unwrap_or(0.0))),
            },
            Json::String(s) => Borrowed(ValueRef::Text(s.as_bytes())),
            Json::Object(o) => {
                let name = o.get("$file").and_then(Json::as_str).unwrap_or_default();
                let bytes = self
                    .1
                    .get(name)
                    .ok_or_else(|| fail(format!("missing file {name}")))?;
                Borrowed(ValueRef::Blob(bytes))
            }
            Json::Array(_) => return Err(fail("an array value in a row".into())),
        })
    }
}

/// Whether `v` can be stored: a scalar, or a reference to a file the bundle carries.
pub(crate) fn storable(
    v: &Json,
    files: &std::collections::BTreeMap<String, Vec<u8>>,
) -> Result<()> {
    match v {
        Json::Object(o) => {
            let name = o
                .get("$file")
                .and_then(Json::as_str)
                .ok_or_else(|| Error::Corrupt("an object value that is not a file".into()))?;
            if !files.contains_key(name) {
                return Err(Error::Corrupt(format!("missing file {name}")));
            }
            Ok(())
        }
        Json::Array(_) => Err(Error::Corrupt("an array value in a row".into())),
        _ => Ok(()),
    }
}
