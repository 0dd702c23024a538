//! Spare parts: the parts catalog, stock locations, and the stock ledger every other parts
//! process writes through ([`post`]): receipt after inspection, issue, return, transfer,
//! stocktake adjustment, scrap, disposal, return to the factory. The balance is the sum of
//! the ledger; `stock_balances` is a cache kept by a SQL trigger on the ledger, whose CHECK
//! refuses negative stock even if a bug got past the core's own check.
//!
//! Requisitions (approval before issue, reconciliation with use) live in [`requisitions`].

pub mod requisitions;
pub mod scrap;
pub mod stocktake;

use chrono::{Days, NaiveTime, TimeZone};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, Action};
use crate::error::{Error, FieldIssue, Result, Rule};
use crate::users::Permission;
use crate::validate::Issues;
use crate::{duplicate_as, new_id, stale_or_missing, timestamp, Ctx, Desk};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Part {
    pub id: String,
    pub code: String,
    pub name: String,
    pub model: String,
    pub unit: String,
    pub price_fen: i64,
    pub warranty_months: i64,
    pub reorder_point: i64,
    pub serial_tracked: bool,
    pub active: bool,
    pub rev: i64,
}

/// A catalog part as entered. Named `CatalogPartInput` in TypeScript: the work order's part
/// line is `PartInput` there, and one generated file per name must not be written twice.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "CatalogPartInput")]
pub struct PartInput {
    pub code: String,
    pub name: String,
    pub model: String,
    pub unit: String,
    pub price_fen: i64,
    pub warranty_months: i64,
    pub reorder_point: i64,
    pub serial_tracked: bool,
    pub active: bool,
}

/// Read from `parts p`, alone or joined.
const PART_COLUMNS: &str = "p.id, p.code, p.name, p.model, p.unit, p.price_fen, p.warranty_months, p.reorder_point, p.serial_tracked, p.active, p.rev";

fn part_from_row(r: &Row) -> rusqlite::Result<Part> {
    Ok(Part {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        model: r.get(3)?,
        unit: r.get(4)?,
        price_fen: r.get(5)?,
        warranty_months: r.get(6)?,
        reorder_point: r.get(7)?,
        serial_tracked: r.get(8)?,
        active: r.get(9)?,
        rev: r.get(10)?,
    })
}

pub(crate) fn get_part_in(conn: &Connection, id: &str) -> Result<Part> {
    conn.query_row(
        &format!("SELECT {PART_COLUMNS} FROM parts p WHERE p.id = ?1"),
        [id],
        part_from_row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        entity: "part",
        id: id.to_owned(),
    })
}

pub fn get_part(desk: &Desk, id: &str) -> Result<Part> {
    desk.require(Permission::ViewArchive)?;
    get_part_in(desk.conn(), id)
}

/// The catalog, by code; `query` matches a piece of the code, name or model.
pub fn list_parts(desk: &Desk, query: &str) -> Result<Vec<Part>> {
    desk.require(Permission::ViewArchive)?;
    list_parts_in(desk.conn(), query, 500)
}

/// [`list_parts`] up to `limit` parts (the screen shows 500, the Excel export takes all).
pub(crate) fn list_parts_in(conn: &Connection, query: &str, limit: i64) -> Result<Vec<Part>> {
    let like = format!("%{}%", query.trim());
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PART_COLUMNS} FROM parts p WHERE p.code LIKE ?1 OR p.name LIKE ?1 OR p.model LIKE ?1 ORDER BY p.code LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![like, limit], part_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn check_part(input: &PartInput) -> Result<PartInput> {
    let mut issues = Issues::default();
    let code = issues.text("code", &input.code, true, 30).to_uppercase();
    if !code.is_empty()
        && !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        issues.add("code", Rule::InvalidSerial);
    }
    let name = issues.text("name", &input.name, true, 60);
    let model = issues.text("model", &input.model, false, 60);
    let unit = issues.text("unit", &input.unit, true, 8);
    issues.range("priceFen", input.price_fen, 0, 100_000_000);
    issues.range("warrantyMonths", input.warranty_months, 0, 120);
    issues.range("reorderPoint", input.reorder_point, 0, 1_000_000);
    issues.finish()?;
    Ok(PartInput {
        code,
        name,
        model,
        unit,
        ..input.clone()
    })
}

pub fn create_part(desk: &mut Desk, input: PartInput) -> Result<Part> {
    desk.require(Permission::ManageStock)?;
    let p = check_part(&input)?;
    desk.write(Permission::ManageStock, |tx, ctx| {
        let id = new_id();
        tx.execute(
            "INSERT INTO parts (id, site_id, code, name, model, unit, price_fen, warranty_months, reorder_point, serial_tracked,
                                active, created_at, updated_at, created_by, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13, ?13)",
            params![id, ctx.actor.site_id, p.code, p.name, p.model, p.unit, p.price_fen, p.warranty_months, p.reorder_point,
                    p.serial_tracked, p.active, ctx.now_text(), ctx.actor.user_id],
        )
        .map_err(duplicate_as("code"))?;
        let part = get_part_in(tx, &id)?;
        audit::record(tx, ctx, "parts", &id, Action::Insert, &part)?;
        Ok(part)
    })
}

pub fn update_part(desk: &mut Desk, id: &str, rev: i64, input: PartInput) -> Result<Part> {
    desk.require(Permission::ManageStock)?;
    let p = check_part(&input)?;
    desk.write(Permission::ManageStock, |tx, ctx| {
        let before = get_part_in(tx, id)?;
        if before.serial_tracked != p.serial_tracked && on_hand(tx, id, None)? != 0 {
            // Serials already in stock (or missing) would no longer match the count.
            return Err(Error::invalid("serialTracked", Rule::StockNotEmpty));
        }
        let n = tx
            .execute(
                "UPDATE parts SET code = ?1, name = ?2, model = ?3, unit = ?4, price_fen = ?5, warranty_months = ?6,
                                  reorder_point = ?7, serial_tracked = ?8, active = ?9, updated_at = ?10, updated_by = ?11, rev = rev + 1
                 WHERE id = ?12 AND rev = ?13",
                params![p.code, p.name, p.model, p.unit, p.price_fen, p.warranty_months, p.reorder_point, p.serial_tracked,
                        p.active, ctx.now_text(), ctx.actor.user_id, id, rev],
            )
            .map_err(duplicate_as("code"))?;
        if n == 0 {
            return Err(stale_or_missing(tx, "parts", "part", id, rev));
        }
        let part = get_part_in(tx, id)?;
        audit::record(tx, ctx, "parts", id, Action::Update, &part)?;
        Ok(part)
    })
}

// ---------------------------------------------------------------- locations

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum LocationKind {
    /// A warehouse, a shelf, a technician's van: parts are issued from here.
    Store,
    /// Approved scrap waits here, kept, until it is destroyed.
    Scrap,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Location {
    pub id: String,
    pub code: String,
    pub name: String,
    pub kind: LocationKind,
    pub active: bool,
    pub rev: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LocationInput {
    pub code: String,
    pub name: String,
    pub kind: LocationKind,
}

fn location_from_row(r: &Row) -> rusqlite::Result<Location> {
    Ok(Location {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        kind: if r.get::<_, String>(3)? == "scrap" {
            LocationKind::Scrap
        } else {
            LocationKind::Store
        },
        active: r.get(4)?,
        rev: r.get(5)?,
    })
}

pub(crate) fn get_location_in(conn: &Connection, id: &str) -> Result<Location> {
    conn.query_row(
        "SELECT id, code, name, kind, active, rev FROM stock_locations WHERE id = ?1",
        [id],
        location_from_row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        entity: "location",
        id: id.to_owned(),
    })
}

pub fn list_locations(desk: &Desk) -> Result<Vec<Location>> {
    desk.require(Permission::ViewArchive)?;
    let mut stmt = desk.conn().prepare_cached(
        "SELECT id, code, name, kind, active, rev FROM stock_locations ORDER BY kind DESC, code",
    )?;
    let rows = stmt.query_map([], location_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn create_location(desk: &mut Desk, input: LocationInput) -> Result<Location> {
    desk.require(Permission::ManageStock)?;
    let mut issues = Issues::default();
    let code = issues.text("code", &input.code, true, 20).to_uppercase();
    let name = issues.text("name", &input.name, true, 40);
    issues.finish()?;
    desk.write(Permission::ManageStock, |tx, ctx| {
        let id = new_id();
        tx.execute(
            "INSERT INTO stock_locations (id, site_id, code, name, kind, created_at, updated_at, created_by, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?7)",
            params![id, ctx.actor.site_id, code, name,
                    match input.kind { LocationKind::Store => "store", LocationKind::Scrap => "scrap" },
                    ctx.now_text(), ctx.actor.user_id],
        )
        .map_err(duplicate_as("code"))?;
        let loc = get_location_in(tx, &id)?;
        audit::record(tx, ctx, "stock_locations", &id, Action::Insert, &loc)?;
        Ok(loc)
    })
}

// ---------------------------------------------------------------- the ledger

text_enum!(MovementKind {
    Receipt = "receipt",
    Issue = "issue",
    Return = "return",
    TransferOut = "transfer_out",
    TransferIn = "transfer_in",
    Adjustment = "adjustment",
    ScrapOut = "scrap_out",
    ScrapIn = "scrap_in",
    Dispose = "dispose",
    FactoryReturn = "factory_return",
});

/// What [`post`] writes: one signed change of one part at one location.
pub(crate) struct Posting<'a> {
    pub part_id: &'a str,
    pub location_id: &'a str,
    /// Positive into the location, negative out of it.
    pub qty: i64,
    pub kind: MovementKind,
    pub ref_id: Option<&'a str>,
    pub serials: &'a [String],
    pub note: &'a str,
    /// The input field an error about this posting belongs to (`lines.0.qty`).
    pub field: &'a str,
}

/// The on-hand quantity from the ledger itself, for one location or all store locations.
pub(crate) fn on_hand(conn: &Connection, part_id: &str, location_id: Option<&str>) -> Result<i64> {
    Ok(match location_id {
        Some(l) => conn.query_row(
            "SELECT coalesce(sum(qty), 0) FROM stock_movements WHERE part_id = ?1 AND location_id = ?2",
            params![part_id, l],
            |r| r.get(0),
        )?,
        None => conn.query_row(
            "SELECT coalesce(sum(m.qty), 0) FROM stock_movements m JOIN stock_locations l ON l.id = m.location_id
             WHERE m.part_id = ?1 AND l.kind = 'store'",
            [part_id],
            |r| r.get(0),
        )?,
    })
}

/// Appends one movement to the ledger, refusing to take out more than the location holds.
/// Serial-tracked parts move by serial: one serial per unit, each where the movement says.
pub(crate) fn post(tx: &Connection, ctx: &Ctx, p: &Posting) -> Result<String> {
    let part = get_part_in(tx, p.part_id)?;
    get_location_in(tx, p.location_id)?;
    if p.qty < 0 {
        let available = on_hand(tx, p.part_id, Some(p.location_id))?;
        if available + p.qty < 0 {
            return Err(Error::Validation(vec![FieldIssue::new(
                p.field,
                Rule::InsufficientStock,
            )
            .with("available", available)
            .with("requested", -p.qty)
            .with("part", &part.name)]));
        }
    }
    if part.serial_tracked {
        if p.serials.len() as i64 != p.qty.abs() {
            // `lines.0.qty` → `lines.0.serials`: the error sits on the serials of that line.
            let field = p
                .field
                .strip_suffix("qty")
                .map_or_else(|| "serials".to_owned(), |f| format!("{f}serials"));
            return Err(Error::Validation(vec![FieldIssue::new(
                field,
                Rule::SerialCount,
            )
            .with("expected", p.qty.abs())]));
        }
        for s in p.serials {
            let here: Option<(String, Option<String>)> = tx
                .query_row(
                    "SELECT status, location_id FROM part_serials WHERE part_id = ?1 AND serial = ?2",
                    params![p.part_id, s],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let in_stock_here =
                matches!(&here, Some((st, Some(l))) if st == "in_stock" && l == p.location_id);
            let ok = if p.qty > 0 {
                !matches!(&here, Some((st, _)) if st == "in_stock")
            } else {
                in_stock_here
            };
            if !ok {
                return Err(Error::Validation(vec![FieldIssue::new(
                    p.field,
                    Rule::SerialUnavailable,
                )
                .with("serial", s)]));
            }
            let (status, location) = if p.qty > 0 {
                ("in_stock", Some(p.location_id))
            } else {
                (
                    match p.kind {
                        MovementKind::Issue => "issued",
                        MovementKind::Dispose => "disposed",
                        MovementKind::FactoryReturn => "factory",
                        MovementKind::ScrapOut => "scrapped",
                        _ => "sent",
                    },
                    None,
                )
            };
            tx.execute(
                "INSERT INTO part_serials (part_id, serial, status, location_id, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (part_id, serial) DO UPDATE SET status = excluded.status, location_id = excluded.location_id,
                                                            updated_at = excluded.updated_at",
                params![p.part_id, s, status, location, ctx.now_text()],
            )?;
        }
    }
    let id = new_id();
    tx.execute(
        "INSERT INTO stock_movements (id, site_id, at, user_id, part_id, location_id, qty, kind, ref_id, serials, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![id, ctx.actor.site_id, ctx.now_text(), ctx.actor.user_id, p.part_id, p.location_id, p.qty,
                p.kind.as_str(), p.ref_id, serde_json::to_string(p.serials).expect("strings serialise"), p.note],
    )?;
    audit::record(
        tx,
        ctx,
        "stock_movements",
        &id,
        Action::Insert,
        &serde_json::json!({ "part": p.part_id, "location": p.location_id, "qty": p.qty, "kind": p.kind.as_str(),
                             "ref": p.ref_id, "serials": p.serials }),
    )?;
    Ok(id)
}

fn check_serials(issues: &mut Issues, field: &str, serials: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, s) in serials.iter().enumerate() {
        let s = issues
            .text(&format!("{field}.{i}"), s, true, 40)
            .to_uppercase();
        if out.contains(&s) {
            issues.add(&format!("{field}.{i}"), Rule::Duplicate);
        }
        out.push(s);
    }
    out
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReceiptInput {
    pub part_id: String,
    pub location_id: String,
    pub qty: i64,
    pub supplier: String,
    /// The inspection's verdict: only passed goods enter stock.
    pub passed: bool,
    pub note: String,
    pub serials: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Inspection {
    pub id: String,
    pub part_id: String,
    pub location_id: String,
    pub qty: i64,
    pub supplier: String,
    pub passed: bool,
    pub note: String,
    pub serials: Vec<String>,
    pub at: String,
}

/// Goods arrive: the inspection is recorded; passed goods enter stock, failed ones go back to
/// the supplier (recorded, no stock movement).
pub fn receive(desk: &mut Desk, input: ReceiptInput) -> Result<Inspection> {
    desk.require(Permission::ManageStock)?;
    let mut issues = Issues::default();
    issues.range("qty", input.qty, 1, 1_000_000);
    let supplier = issues.text("supplier", &input.supplier, true, 60);
    let note = issues.text("note", &input.note, !input.passed, 500);
    let serials = check_serials(&mut issues, "serials", &input.serials);
    issues.finish()?;
    desk.write(Permission::ManageStock, |tx, ctx| {
        if get_location_in(tx, &input.location_id)?.kind != LocationKind::Store {
            return Err(Error::invalid("locationId", Rule::UnknownReference));
        }
        let id = new_id();
        tx.execute(
            "INSERT INTO inspections (id, site_id, part_id, location_id, qty, supplier, passed, note, serials, at, user_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![id, ctx.actor.site_id, input.part_id, input.location_id, input.qty, supplier, input.passed, note,
                    serde_json::to_string(&serials).expect("strings serialise"), ctx.now_text(), ctx.actor.user_id],
        )
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _) if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY => {
                Error::invalid("partId", Rule::UnknownReference)
            }
            other => Error::Storage(other),
        })?;
        if input.passed {
            post(
                tx,
                ctx,
                &Posting {
                    part_id: &input.part_id,
                    location_id: &input.location_id,
                    qty: input.qty,
                    kind: MovementKind::Receipt,
                    ref_id: Some(&id),
                    serials: &serials,
                    note: &supplier,
                    field: "qty",
                },
            )?;
        }
        let inspection = Inspection {
            id: id.clone(),
            part_id: input.part_id.clone(),
            location_id: input.location_id.clone(),
            qty: input.qty,
            supplier,
            passed: input.passed,
            note,
            serials,
            at: ctx.now_text(),
        };
        audit::record(tx, ctx, "inspections", &id, Action::Insert, &inspection)?;
        Ok(inspection)
    })
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TransferInput {
    pub part_id: String,
    pub from_location_id: String,
    pub to_location_id: String,
    pub qty: i64,
    pub serials: Vec<String>,
    pub note: String,
}

/// Moves stock between two of this site's store locations, as one transaction of two rows.
pub fn transfer(desk: &mut Desk, input: TransferInput) -> Result<()> {
    desk.require(Permission::ManageStock)?;
    let mut issues = Issues::default();
    issues.range("qty", input.qty, 1, 1_000_000);
    let note = issues.text("note", &input.note, false, 200);
    let serials = check_serials(&mut issues, "serials", &input.serials);
    if input.from_location_id == input.to_location_id {
        issues.add("toLocationId", Rule::Duplicate);
    }
    issues.finish()?;
    desk.write(Permission::ManageStock, |tx, ctx| {
        for l in [&input.from_location_id, &input.to_location_id] {
            if get_location_in(tx, l)?.kind != LocationKind::Store {
                return Err(Error::invalid("toLocationId", Rule::UnknownReference));
            }
        }
        let id = new_id();
        for (loc, qty, kind) in [
            (
                &input.from_location_id,
                -input.qty,
                MovementKind::TransferOut,
            ),
            (&input.to_location_id, input.qty, MovementKind::TransferIn),
        ] {
            post(
                tx,
                ctx,
                &Posting {
                    part_id: &input.part_id,
                    location_id: loc,
                    qty,
                    kind,
                    ref_id: Some(&id),
                    serials: &serials,
                    note: &note,
                    field: "qty",
                },
            )?;
        }
        Ok(())
    })
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FactoryReturnInput {
    pub part_id: String,
    pub location_id: String,
    pub qty: i64,
    pub serials: Vec<String>,
    /// The factory's return authorisation or the shipment's waybill.
    pub note: String,
}

/// Faulty parts sent back to the factory leave stock for good.
pub fn return_to_factory(desk: &mut Desk, input: FactoryReturnInput) -> Result<()> {
    desk.require(Permission::ManageStock)?;
    let mut issues = Issues::default();
    issues.range("qty", input.qty, 1, 1_000_000);
    let note = issues.text("note", &input.note, true, 200);
    let serials = check_serials(&mut issues, "serials", &input.serials);
    issues.finish()?;
    desk.write(Permission::ManageStock, |tx, ctx| {
        post(
            tx,
            ctx,
            &Posting {
                part_id: &input.part_id,
                location_id: &input.location_id,
                qty: -input.qty,
                kind: MovementKind::FactoryReturn,
                ref_id: None,
                serials: &serials,
                note: &note,
                field: "qty",
            },
        )?;
        Ok(())
    })
}

// ---------------------------------------------------------------- between sites

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum TransferDirection {
    /// Sent from here to another site.
    Out,
    /// Received here from another site, confirmed with the sender's reference.
    In,
}

/// Parts sent to (or received from) another site of the network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SiteTransfer {
    pub id: String,
    pub direction: TransferDirection,
    /// The sender's transfer number (`SH01-DB-2026-000012`): the receiving site confirms with it.
    pub reference: String,
    /// The other site's code.
    pub other_site: String,
    pub part_id: String,
    pub part_code: String,
    pub part_name: String,
    pub location_id: String,
    pub qty: i64,
    pub serials: Vec<String>,
    pub note: String,
    pub at: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SiteTransferInput {
    pub part_id: String,
    pub location_id: String,
    /// The other site's code.
    pub other_site: String,
    pub qty: i64,
    pub serials: Vec<String>,
    pub note: String,
    /// Receiving only: the sender's transfer number, as printed on the delivery.
    #[serde(default)]
    pub reference: String,
}

fn transfer_from_row(r: &Row) -> rusqlite::Result<SiteTransfer> {
    Ok(SiteTransfer {
        id: r.get(0)?,
        direction: if r.get::<_, String>(1)? == "in" {
            TransferDirection::In
        } else {
            TransferDirection::Out
        },
        reference: r.get(2)?,
        other_site: r.get(3)?,
        part_id: r.get(4)?,
        part_code: r.get(5)?,
        part_name: r.get(6)?,
        location_id: r.get(7)?,
        qty: r.get(8)?,
        serials: serde_json::from_str(&r.get::<_, String>(9)?).unwrap_or_default(),
        note: r.get(10)?,
        at: r.get(11)?,
    })
}

const TRANSFER_SELECT: &str = "SELECT t.id, t.direction, t.reference, t.other_site, t.part_id, p.code, p.name, t.location_id, t.qty,
    t.serials, t.note, t.at FROM stock_transfers t JOIN parts p ON p.id = t.part_id";

/// Transfers to and from other sites, newest first.
pub fn list_transfers(desk: &Desk) -> Result<Vec<SiteTransfer>> {
    desk.require(Permission::ViewArchive)?;
    let mut stmt = desk
        .conn()
        .prepare_cached(&format!("{TRANSFER_SELECT} ORDER BY t.at DESC LIMIT 500"))?;
    let rows = stmt.query_map([], transfer_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

struct CheckedTransfer {
    other: String,
    reference: String,
    note: String,
    serials: Vec<String>,
}

fn check_site_transfer(
    desk: &Desk,
    input: &SiteTransferInput,
    receiving: bool,
) -> Result<CheckedTransfer> {
    let mut issues = Issues::default();
    issues.range("qty", input.qty, 1, 1_000_000);
    let note = issues.text("note", &input.note, false, 200);
    let other = issues
        .text("otherSite", &input.other_site, true, 8)
        .to_uppercase();
    let own = crate::site::get_local(desk.conn())?
        .map(|s| s.code)
        .unwrap_or_default();
    if !other.is_empty() && (other.len() < 2 || !other.chars().all(|c| c.is_ascii_alphanumeric())) {
        issues.add("otherSite", Rule::InvalidSiteCode);
    } else if other == own {
        issues.add("otherSite", Rule::Duplicate);
    }
    let reference = if receiving {
        issues
            .text("reference", &input.reference, true, 40)
            .to_uppercase()
    } else {
        String::new()
    };
    let serials = check_serials(&mut issues, "serials", &input.serials);
    match get_location_in(desk.conn(), &input.location_id) {
        Ok(l) if l.kind == LocationKind::Store => {}
        _ => issues.add("locationId", Rule::UnknownReference),
    }
    issues.finish()?;
    Ok(CheckedTransfer {
        other,
        reference,
        note,
        serials,
    })
}

fn insert_transfer(
    tx: &Connection,
    ctx: &Ctx,
    direction: &str,
    input: &SiteTransferInput,
    c: &CheckedTransfer,
) -> Result<String> {
    let (reference, other, serials, note) = (&c.reference, &c.other, &c.serials, &c.note);
    let id = new_id();
    tx.execute(
        "INSERT INTO stock_transfers (id, site_id, direction, reference, other_site, part_id, location_id, qty, serials, note, at, user_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![id, ctx.actor.site_id, direction, reference, other, input.part_id, input.location_id, input.qty,
                serde_json::to_string(serials).expect("strings serialise"), note, ctx.now_text(), ctx.actor.user_id],
    )
    .map_err(duplicate_as("reference"))?;
    Ok(id)
}

fn transfer_in(tx: &Connection, id: &str) -> Result<SiteTransfer> {
    Ok(tx.query_row(
        &format!("{TRANSFER_SELECT} WHERE t.id = ?1"),
        [id],
        transfer_from_row,
    )?)
}

/// Sends parts to another site (a centre supplying an outlet): the stock leaves this location
/// now, under a transfer number the receiving site confirms with.
pub fn send_to_site(desk: &mut Desk, input: SiteTransferInput) -> Result<SiteTransfer> {
    desk.require(Permission::ManageStock)?;
    let mut c = check_site_transfer(desk, &input, false)?;
    desk.write(Permission::ManageStock, |tx, ctx| {
        let site = crate::site::get_local(tx)?.ok_or(Error::NotSetUp)?;
        let reference = crate::documents::next_number(
            tx,
            &site.id,
            &site.code,
            crate::documents::FormCode::Transfer,
            chrono::Datelike::year(&ctx.today),
        )?;
        c.reference = reference;
        let id = insert_transfer(tx, ctx, "out", &input, &c)?;
        post(
            tx,
            ctx,
            &Posting {
                part_id: &input.part_id,
                location_id: &input.location_id,
                qty: -input.qty,
                kind: MovementKind::TransferOut,
                ref_id: Some(&id),
                serials: &c.serials,
                note: &format!("→ {} {}", c.other, c.reference),
                field: "qty",
            },
        )?;
        let t = transfer_in(tx, &id)?;
        audit::record(tx, ctx, "stock_transfers", &id, Action::Insert, &t)?;
        Ok(t)
    })
}

/// Confirms parts received from another site, with the sender's transfer number: the stock
/// enters this location. The same reference and part are confirmed once.
pub fn receive_from_site(desk: &mut Desk, input: SiteTransferInput) -> Result<SiteTransfer> {
    desk.require(Permission::ManageStock)?;
    let c = check_site_transfer(desk, &input, true)?;
    desk.write(Permission::ManageStock, |tx, ctx| {
        let id = insert_transfer(tx, ctx, "in", &input, &c)?;
        post(
            tx,
            ctx,
            &Posting {
                part_id: &input.part_id,
                location_id: &input.location_id,
                qty: input.qty,
                kind: MovementKind::TransferIn,
                ref_id: Some(&id),
                serials: &c.serials,
                note: &format!("← {} {}", c.other, c.reference),
                field: "qty",
            },
        )?;
        let t = transfer_in(tx, &id)?;
        audit::record(tx, ctx, "stock_transfers", &id, Action::Insert, &t)?;
        Ok(t)
    })
}

// ---------------------------------------------------------------- reading stock

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LocationQty {
    pub location_id: String,
    pub location_name: String,
    pub kind: LocationKind,
    pub qty: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PartStock {
    pub part: Part,
    /// On hand in store locations (scrap held is not stock).
    pub on_hand: i64,
    pub by_location: Vec<LocationQty>,
    pub serials_in_stock: Vec<String>,
}

/// One part's balance, summed from the ledger per location.
pub fn balance(desk: &Desk, part_id: &str) -> Result<PartStock> {
    desk.require(Permission::ViewArchive)?;
    let conn = desk.conn();
    let part = get_part_in(conn, part_id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT l.id, l.name, l.kind, b.qty FROM
           (SELECT location_id, sum(qty) AS qty FROM stock_movements WHERE part_id = ?1 GROUP BY location_id) b
         JOIN stock_locations l ON l.id = b.location_id
         WHERE b.qty <> 0 ORDER BY l.kind DESC, l.code",
    )?;
    let by_location: Vec<LocationQty> = stmt
        .query_map([part_id], |r| {
            Ok(LocationQty {
                location_id: r.get(0)?,
                location_name: r.get(1)?,
                kind: if r.get::<_, String>(2)? == "scrap" {
                    LocationKind::Scrap
                } else {
                    LocationKind::Store
                },
                qty: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        // Held scrap is still 'in_stock' at the scrap location until destroyed; it is not stock.
        "SELECT s.serial FROM part_serials s JOIN stock_locations l ON l.id = s.location_id
         WHERE s.part_id = ?1 AND s.status = 'in_stock' AND l.kind = 'store' ORDER BY s.serial",
    )?;
    let serials_in_stock = stmt
        .query_map([part_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(PartStock {
        on_hand: by_location
            .iter()
            .filter(|l| l.kind == LocationKind::Store)
            .map(|l| l.qty)
            .sum(),
        by_location,
        serials_in_stock,
        part,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StockRow {
    pub part: Part,
    pub location_id: String,
    pub location_name: String,
    pub qty: i64,
}

/// Stock by location (all locations when none is given), from the cached balances.
pub fn stock(desk: &Desk, location_id: Option<&str>) -> Result<Vec<StockRow>> {
    desk.require(Permission::ViewArchive)?;
    let mut stmt = desk.conn().prepare_cached(&format!(
        "SELECT {}, l.id, l.name, b.qty FROM stock_balances b
         JOIN parts p ON p.id = b.part_id JOIN stock_locations l ON l.id = b.location_id
         WHERE (?1 IS NULL OR b.location_id = ?1) AND b.qty <> 0 ORDER BY l.code, p.code",
        PART_COLUMNS
    ))?;
    let rows = stmt.query_map([location_id], |r| {
        Ok(StockRow {
            part: part_from_row(r)?,
            location_id: r.get(11)?,
            location_name: r.get(12)?,
            qty: r.get(13)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Movement {
    pub seq: i64,
    pub at: String,
    pub user_name: String,
    pub part_id: String,
    pub part_code: String,
    pub part_name: String,
    pub location_id: String,
    pub location_name: String,
    pub qty: i64,
    pub kind: MovementKind,
    pub ref_id: Option<String>,
    pub serials: Vec<String>,
    pub note: String,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MovementFilter {
    pub part_id: Option<String>,
    pub location_id: Option<String>,
    pub kind: Option<MovementKind>,
    #[serde(default)]
    pub page: u32,
}

pub const MOVEMENT_PAGE: u32 = 100;

/// The ledger, newest first.
pub fn movements(desk: &Desk, filter: &MovementFilter) -> Result<Vec<Movement>> {
    desk.require(Permission::ViewArchive)?;
    let (where_, args) = movement_filter_sql(filter);
    let mut stmt = desk.conn().prepare_cached(&format!(
        "SELECT m.seq, m.at, coalesce(u.display_name, m.user_id), m.part_id, p.code, p.name, m.location_id, l.name, m.qty,
                m.kind, m.ref_id, m.serials, m.note
         FROM stock_movements m JOIN parts p ON p.id = m.part_id JOIN stock_locations l ON l.id = m.location_id
         LEFT JOIN users u ON u.id = m.user_id
         {where_} ORDER BY m.seq DESC LIMIT {MOVEMENT_PAGE} OFFSET {}",
        filter.page as i64 * MOVEMENT_PAGE as i64
    ))?;
    let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
        Ok(Movement {
            seq: r.get(0)?,
            at: r.get(1)?,
            user_name: r.get(2)?,
            part_id: r.get(3)?,
            part_code: r.get(4)?,
            part_name: r.get(5)?,
            location_id: r.get(6)?,
            location_name: r.get(7)?,
            qty: r.get(8)?,
            kind: MovementKind::parse(&r.get::<_, String>(9)?).unwrap_or(MovementKind::Adjustment),
            ref_id: r.get(10)?,
            serials: serde_json::from_str(&r.get::<_, String>(11)?).unwrap_or_default(),
            note: r.get(12)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The ledger filter as a `WHERE` clause over `stock_movements m` and its arguments (`?1`…),
/// shared by the screen's pages and the Excel export.
pub(crate) fn movement_filter_sql(filter: &MovementFilter) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut args: Vec<String> = Vec::new();
    if let Some(p) = filter.part_id.as_deref().filter(|p| !p.is_empty()) {
        args.push(p.into());
        clauses.push(format!("m.part_id = ?{}", args.len()));
    }
    if let Some(l) = filter.location_id.as_deref().filter(|l| !l.is_empty()) {
        args.push(l.into());
        clauses.push(format!("m.location_id = ?{}", args.len()));
    }
    if let Some(k) = filter.kind {
        args.push(k.as_str().into());
        clauses.push(format!("m.kind = ?{}", args.len()));
    }
    let where_ = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (where_, args)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LowStock {
    pub part: Part,
    pub on_hand: i64,
    /// Issued to work orders (net of returns) over the window.
    pub used: i64,
    pub window_days: i64,
    /// Enough for the next month at the window's rate, on top of the reorder point.
    pub suggested_order: i64,
}

/// Parts at or below their reorder point, with a purchase suggestion from recent usage:
/// a month's usage at the rate of the last `window_days`, plus the reorder point, less what
/// is on hand.
pub fn low_stock(desk: &Desk, window_days: i64) -> Result<Vec<LowStock>> {
    desk.require(Permission::ViewArchive)?;
    let tz = desk.time_zone();
    let window_days = window_days.clamp(7, 730);
    let since_day = desk.today() - Days::new(window_days as u64);
    let since = tz
        .from_local_datetime(&since_day.and_time(NaiveTime::MIN))
        .earliest()
        .map(|t| timestamp(t.to_utc()))
        .unwrap_or_default();
    let mut stmt = desk.conn().prepare_cached(&format!(
        "SELECT {cols},
                coalesce((SELECT sum(b.qty) FROM stock_balances b JOIN stock_locations l ON l.id = b.location_id
                          WHERE b.part_id = p.id AND l.kind = 'store'), 0) AS on_hand,
                coalesce((SELECT -sum(m.qty) FROM stock_movements m
                          WHERE m.part_id = p.id AND m.kind IN ('issue', 'return') AND m.at >= ?1), 0) AS used
         FROM parts p WHERE p.active = 1 AND p.reorder_point > 0
         ORDER BY p.code",
        cols = PART_COLUMNS
    ))?;
    let rows = stmt.query_map([since], |r| {
        Ok((
            part_from_row(r)?,
            r.get::<_, i64>(11)?,
            r.get::<_, i64>(12)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (part, on_hand, used) = row?;
        if on_hand > part.reorder_point {
            continue;
        }
        let used = used.max(0);
        // Ceiling of a month (30 days) at the window's daily rate, in whole units.
        let monthly = (used * 30 + window_days - 1) / window_days;
        out.push(LowStock {
            suggested_order: (monthly + part.reorder_point - on_hand).max(0),
            part,
            on_hand,
            used,
            window_days,
        });
    }
    Ok(out)
}
