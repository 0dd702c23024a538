//! Installed units (a customer's product: model, serial, purchase and installation) and the
//! coverage worked out from the site's policy: warranty end, return and exchange deadlines.

use chrono::{Months, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, Action};
use crate::catalog::{self, ProductModel};
use crate::error::{Error, Result, Rule};
use crate::site::Policy;
use crate::users::Permission;
use crate::validate::Issues;
use crate::{customers, duplicate_as, new_id, search, stale_or_missing, Ctx, Desk};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Unit {
    pub id: String,
    pub customer_id: String,
    pub model_id: String,
    pub serial: String,
    pub purchase_date: Option<String>,
    pub seller: String,
    pub install_date: Option<String>,
    pub address_id: Option<String>,
    pub note: String,
    pub rev: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnitInput {
    pub model_id: String,
    pub serial: String,
    pub purchase_date: Option<String>,
    pub seller: String,
    pub install_date: Option<String>,
    pub address_id: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum WarrantyStatus {
    InWarranty,
    Expired,
    /// No purchase date on record: the desk must ask for the invoice.
    Unknown,
}

/// Deadlines are the last day on which the right still holds, counted as Chinese law counts
/// periods: the day of purchase itself is not counted (民法典 第二百零一条), so a 15-day
/// return right for a purchase on 1 March runs through 16 March, and a 24-month warranty
/// from 15 March 2026 through 15 March 2028.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Coverage {
    pub warranty_end: Option<String>,
    pub return_until: Option<String>,
    pub exchange_until: Option<String>,
    pub status: WarrantyStatus,
    pub return_open: bool,
    pub exchange_open: bool,
    pub warranty_days_left: Option<i64>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnitView {
    pub unit: Unit,
    pub model: ProductModel,
    pub coverage: Coverage,
}

pub fn coverage(purchase: Option<NaiveDate>, policy: &Policy, today: NaiveDate) -> Coverage {
    let Some(p) = purchase else {
        return Coverage {
            warranty_end: None,
            return_until: None,
            exchange_until: None,
            status: WarrantyStatus::Unknown,
            return_open: false,
            exchange_open: false,
            warranty_days_left: None,
        };
    };
    // checked_add_months clamps to the month's end: 29 Feb + 12 months = 28 Feb.
    let warranty_end = p
        .checked_add_months(Months::new(policy.warranty_months as u32))
        .unwrap_or(NaiveDate::MAX);
    let return_until = p + chrono::Days::new(policy.return_days as u64);
    let exchange_until = p + chrono::Days::new(policy.exchange_days as u64);
    let in_warranty = policy.warranty_months > 0 && today <= warranty_end;
    Coverage {
        warranty_end: Some(warranty_end.to_string()),
        return_until: Some(return_until.to_string()),
        exchange_until: Some(exchange_until.to_string()),
        status: if in_warranty {
            WarrantyStatus::InWarranty
        } else {
            WarrantyStatus::Expired
        },
        return_open: policy.return_days > 0 && today <= return_until,
        exchange_open: policy.exchange_days > 0 && today <= exchange_until,
        warranty_days_left: in_warranty.then(|| (warranty_end - today).num_days()),
    }
}

const COLUMNS: &str = "u.id, u.customer_id, u.model_id, u.serial, u.purchase_date, u.seller, u.install_date, u.address_id, u.note, u.rev,
                       m.id, m.brand, m.model, m.category, m.rev";

fn from_row(r: &Row) -> rusqlite::Result<(Unit, ProductModel)> {
    let unit = Unit {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        model_id: r.get(2)?,
        serial: r.get(3)?,
        purchase_date: r.get(4)?,
        seller: r.get(5)?,
        install_date: r.get(6)?,
        address_id: r.get(7)?,
        note: r.get(8)?,
        rev: r.get(9)?,
    };
    let model = ProductModel {
        id: r.get(10)?,
        brand: r.get(11)?,
        model: r.get(12)?,
        category: r.get(13)?,
        rev: r.get(14)?,
    };
    Ok((unit, model))
}

fn view((unit, model): (Unit, ProductModel), policy: &Policy, today: NaiveDate) -> UnitView {
    let purchase = unit
        .purchase_date
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    UnitView {
        coverage: coverage(purchase, policy, today),
        unit,
        model,
    }
}

pub(crate) fn list_for_customer(
    conn: &Connection,
    customer_id: &str,
    policy: &Policy,
    today: NaiveDate,
) -> Result<Vec<UnitView>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM units u JOIN product_models m ON m.id = u.model_id
         WHERE u.customer_id = ?1 ORDER BY u.purchase_date DESC, u.created_at DESC"
    ))?;
    let rows = stmt.query_map([customer_id], from_row)?;
    rows.map(|r| Ok(view(r?, policy, today))).collect()
}

pub(crate) fn get_in(conn: &Connection, id: &str, today: NaiveDate) -> Result<UnitView> {
    let row = conn
        .query_row(&format!("SELECT {COLUMNS} FROM units u JOIN product_models m ON m.id = u.model_id WHERE u.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { entity: "unit", id: id.to_owned() })?;
    let local = crate::site::get_local(conn)?.ok_or(Error::NotSetUp)?;
    let policy = crate::site::policy_for_site(conn, &local.id)?;
    Ok(view(row, &policy, today))
}

pub fn get(desk: &Desk, id: &str) -> Result<UnitView> {
    desk.require(Permission::ViewArchive)?;
    get_in(desk.conn(), id, desk.today())
}

struct Checked {
    serial: String,
    purchase: Option<String>,
    install: Option<String>,
    seller: String,
    note: String,
}

/// Serials are compared in upper case: clerks type them by hand from a nameplate.
fn check(
    conn: &Connection,
    customer_id: &str,
    input: &UnitInput,
    today: NaiveDate,
) -> Result<Checked> {
    let mut issues = Issues::default();
    if input.model_id.trim().is_empty() {
        issues.add("modelId", Rule::Required);
    } else if catalog::get_in(conn, &input.model_id).is_err() {
        issues.add("modelId", Rule::UnknownReference);
    }
    let serial = issues
        .text("serial", &input.serial, true, 40)
        .to_uppercase();
    if !serial.is_empty()
        && !serial
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-/._".contains(c))
    {
        issues.add("serial", Rule::InvalidSerial);
    }
    let purchase = issues.past_date("purchaseDate", input.purchase_date.as_deref(), today);
    let install = issues.past_date("installDate", input.install_date.as_deref(), today);
    if let (Some(p), Some(i)) = (purchase, install) {
        if i < p {
            issues.add("installDate", Rule::BeforePurchase);
        }
    }
    let seller = issues.text("seller", &input.seller, false, 60);
    let note = issues.text("note", &input.note, false, 500);
    if let Some(addr) = input.address_id.as_deref().filter(|a| !a.is_empty()) {
        let ok: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM addresses WHERE id = ?1 AND customer_id = ?2)",
            [addr, customer_id],
            |r| r.get(0),
        )?;
        if !ok {
            issues.add("addressId", Rule::UnknownReference);
        }
    }
    issues.finish()?;
    Ok(Checked {
        serial,
        purchase: purchase.map(|d| d.to_string()),
        install: install.map(|d| d.to_string()),
        seller,
        note,
    })
}

pub fn create(desk: &mut Desk, customer_id: &str, input: UnitInput) -> Result<UnitView> {
    desk.require(Permission::EditCustomers)?;
    customers::get_customer_in(desk.conn(), customer_id)?;
    check(desk.conn(), customer_id, &input, desk.today())?;
    desk.write(Permission::EditCustomers, |tx, ctx| {
        let id = create_in(tx, ctx, customer_id, &input)?;
        get_in(tx, &id, ctx.today)
    })
}

/// Validates and inserts a unit inside a caller's transaction.
pub(crate) fn create_in(
    tx: &Connection,
    ctx: &Ctx,
    customer_id: &str,
    input: &UnitInput,
) -> Result<String> {
    let c = check(tx, customer_id, input, ctx.today)?;
    let address = input.address_id.as_deref().filter(|a| !a.is_empty());
    let id = new_id();
    tx.execute(
        "INSERT INTO units (id, site_id, customer_id, model_id, serial, purchase_date, seller, install_date, address_id, note,
                            created_at, updated_at, created_by, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?12)",
        params![id, ctx.actor.site_id, customer_id, input.model_id, c.serial, c.purchase, c.seller, c.install, address, c.note,
                ctx.now_text(), ctx.actor.user_id],
    )
    .map_err(duplicate_as("serial"))?;
    let out = get_in(tx, &id, ctx.today)?;
    audit::record(tx, ctx, "units", &id, Action::Insert, &out.unit)?;
    search::reindex_customer(tx, customer_id)?;
    Ok(id)
}

pub fn update(desk: &mut Desk, id: &str, rev: i64, input: UnitInput) -> Result<UnitView> {
    desk.require(Permission::EditCustomers)?;
    let today = desk.today();
    let customer_id = get_in(desk.conn(), id, today)?.unit.customer_id;
    let c = check(desk.conn(), &customer_id, &input, today)?;
    let address = input.address_id.filter(|a| !a.is_empty());
    desk.write(Permission::EditCustomers, |tx, ctx| {
        let n = tx
            .execute(
                "UPDATE units SET model_id = ?1, serial = ?2, purchase_date = ?3, seller = ?4, install_date = ?5, address_id = ?6,
                                  note = ?7, updated_at = ?8, updated_by = ?9, rev = rev + 1
                 WHERE id = ?10 AND rev = ?11",
                params![input.model_id, c.serial, c.purchase, c.seller, c.install, address, c.note, ctx.now_text(), ctx.actor.user_id, id, rev],
            )
            .map_err(duplicate_as("serial"))?;
        if n == 0 {
            return Err(stale_or_missing(tx, "units", "unit", id, rev));
        }
        let out = get_in(tx, id, ctx.today)?;
        audit::record(tx, ctx, "units", id, Action::Update, &out.unit)?;
        search::reindex_customer(tx, &customer_id)?;
        Ok(out)
    })
}
