//! The customer archive: customers (a person or a company) with their contacts and addresses.
//! A customer is one aggregate: contacts and addresses are saved with it, under its revision.

use std::collections::HashSet;

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::audit::{self, Action};
use crate::error::{Error, FieldIssue, Result, Rule};
use crate::units::{self, UnitView};
use crate::users::Permission;
use crate::validate::{Issues, PhoneKinds};
use crate::{new_id, search, stale_or_missing, Ctx, Desk};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CustomerKind {
    Person,
    Company,
}

impl CustomerKind {
    fn as_str(self) -> &'static str {
        match self {
            CustomerKind::Person => "person",
            CustomerKind::Company => "company",
        }
    }
    pub(crate) fn parse(s: &str) -> CustomerKind {
        if s == "company" {
            CustomerKind::Company
        } else {
            CustomerKind::Person
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Customer {
    pub id: String,
    pub site_id: String,
    pub kind: CustomerKind,
    pub name: String,
    pub note: String,
    pub rev: i64,
    pub created_at: String,
    pub updated_at: String,
    pub created_by: String,
    pub updated_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Contact {
    pub id: String,
    pub name: String,
    pub phone: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Address {
    pub id: String,
    pub province: String,
    pub city: String,
    pub district: String,
    pub detail: String,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ContactInput {
    /// None for a new contact; an existing contact keeps its id.
    pub id: Option<String>,
    pub name: String,
    pub phone: String,
    pub title: String,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AddressInput {
    pub id: Option<String>,
    pub province: String,
    pub city: String,
    pub district: String,
    pub detail: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomerInput {
    pub kind: CustomerKind,
    pub name: String,
    pub note: String,
    pub contacts: Vec<ContactInput>,
    pub addresses: Vec<AddressInput>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomerDetail {
    pub customer: Customer,
    pub contacts: Vec<Contact>,
    pub addresses: Vec<Address>,
    pub units: Vec<UnitView>,
}

const COLUMNS: &str =
    "id, site_id, kind, name, note, rev, created_at, updated_at, created_by, updated_by";

fn from_row(r: &Row) -> rusqlite::Result<Customer> {
    Ok(Customer {
        id: r.get(0)?,
        site_id: r.get(1)?,
        kind: CustomerKind::parse(&r.get::<_, String>(2)?),
        name: r.get(3)?,
        note: r.get(4)?,
        rev: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
        created_by: r.get(8)?,
        updated_by: r.get(9)?,
    })
}

/// A contact or address row as validated: its id (if existing), its position in the input
/// (for error paths) and its column values in table order.
struct ChildRow {
    id: Option<String>,
    values: Vec<String>,
}

struct Checked {
    kind: CustomerKind,
    name: String,
    note: String,
    contacts: Vec<ChildRow>,
    addresses: Vec<ChildRow>,
}

const CONTACT_COLUMNS: [&str; 3] = ["name", "phone", "title"];
const ADDRESS_COLUMNS: [&str; 4] = ["province", "city", "district", "detail"];

/// Validates the whole aggregate. Rows left completely blank are dropped (a form always shows
/// an empty row to type into); every other row is checked in full.
fn check(input: &CustomerInput) -> Result<Checked> {
    let mut issues = Issues::default();
    let name = issues.text("name", &input.name, true, 100);
    let note = issues.text("note", &input.note, false, 500);

    let mut contacts = Vec::new();
    let mut phones = HashSet::new();
    for (i, c) in input.contacts.iter().enumerate() {
        if [&c.name, &c.phone, &c.title]
            .iter()
            .all(|s| s.trim().is_empty())
        {
            continue;
        }
        let f = |col: &str| format!("contacts.{i}.{col}");
        let cname = issues.text(&f("name"), &c.name, false, 40);
        let phone = issues.phone(&f("phone"), &c.phone, PhoneKinds { service: false });
        let title = issues.text(&f("title"), &c.title, false, 40);
        if !phone.is_empty() && !phones.insert(phone.clone()) {
            issues.add(&f("phone"), Rule::Duplicate);
        }
        contacts.push(ChildRow {
            id: c.id.clone(),
            values: vec![cname, phone, title],
        });
    }
    if contacts.is_empty() {
        // The archive's promise is that every customer can be called back.
        issues.add("contacts", Rule::NeedPhone);
    }

    let mut addresses = Vec::new();
    for (i, a) in input.addresses.iter().enumerate() {
        if [&a.province, &a.city, &a.district, &a.detail]
            .iter()
            .all(|s| s.trim().is_empty())
        {
            continue;
        }
        let f = |col: &str| format!("addresses.{i}.{col}");
        let province = issues.text(&f("province"), &a.province, false, 20);
        let city = issues.text(&f("city"), &a.city, true, 20);
        let district = issues.text(&f("district"), &a.district, false, 20);
        let detail = issues.text(&f("detail"), &a.detail, true, 200);
        addresses.push(ChildRow {
            id: a.id.clone(),
            values: vec![province, city, district, detail],
        });
    }
    issues.finish()?;
    Ok(Checked {
        kind: input.kind,
        name,
        note,
        contacts,
        addresses,
    })
}

pub(crate) fn get_customer_in(conn: &Connection, id: &str) -> Result<Customer> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM customers WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        entity: "customer",
        id: id.to_owned(),
    })
}

pub(crate) fn contacts_in(conn: &Connection, customer_id: &str) -> Result<Vec<Contact>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, phone, title FROM contacts WHERE customer_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([customer_id], |r| {
        Ok(Contact {
            id: r.get(0)?,
            name: r.get(1)?,
            phone: r.get(2)?,
            title: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn addresses_in(conn: &Connection, customer_id: &str) -> Result<Vec<Address>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, province, city, district, detail FROM addresses WHERE customer_id = ?1 ORDER BY position")?;
    let rows = stmt.query_map([customer_id], |r| {
        Ok(Address {
            id: r.get(0)?,
            province: r.get(1)?,
            city: r.get(2)?,
            district: r.get(3)?,
            detail: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn detail_in(conn: &Connection, id: &str, today: chrono::NaiveDate) -> Result<CustomerDetail> {
    let customer = get_customer_in(conn, id)?;
    let policy = crate::site::policy_for_site(conn, &customer.site_id).or_else(|_| {
        // A customer imported from another site is judged by this site's policy.
        let local = crate::site::get_local(conn)?.ok_or(Error::NotSetUp)?;
        crate::site::policy_for_site(conn, &local.id)
    })?;
    Ok(CustomerDetail {
        contacts: contacts_in(conn, id)?,
        addresses: addresses_in(conn, id)?,
        units: units::list_for_customer(conn, id, &policy, today)?,
        customer,
    })
}

pub fn get(desk: &Desk, id: &str) -> Result<CustomerDetail> {
    desk.require(Permission::ViewArchive)?;
    detail_in(desk.conn(), id, desk.today())
}

pub fn create(desk: &mut Desk, input: CustomerInput) -> Result<CustomerDetail> {
    desk.require(Permission::EditCustomers)?;
    check(&input)?;
    desk.write(Permission::EditCustomers, |tx, ctx| {
        let id = create_in(tx, ctx, &input)?;
        detail_in(tx, &id, ctx.today)
    })
}

/// Validates and inserts a customer inside a caller's transaction (intake creates the
/// customer and the work order together, or neither).
pub(crate) fn create_in(tx: &Connection, ctx: &Ctx, input: &CustomerInput) -> Result<String> {
    let c = check(input)?;
    let id = new_id();
    tx.execute(
        "INSERT INTO customers (id, site_id, kind, name, note, created_at, updated_at, created_by, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?7)",
        params![id, ctx.actor.site_id, c.kind.as_str(), c.name, c.note, ctx.now_text(), ctx.actor.user_id],
    )?;
    let customer = get_customer_in(tx, &id)?;
    audit::record(tx, ctx, "customers", &id, Action::Insert, &customer)?;
    sync_children(tx, ctx, "contacts", &CONTACT_COLUMNS, &id, &c.contacts)?;
    sync_children(tx, ctx, "addresses", &ADDRESS_COLUMNS, &id, &c.addresses)?;
    search::reindex_customer(tx, &id)?;
    Ok(id)
}

/// Saves the whole aggregate if `rev` is still the customer's revision; contacts and
/// addresses missing from the input are removed, new ones added, changed ones updated.
pub fn update(desk: &mut Desk, id: &str, rev: i64, input: CustomerInput) -> Result<CustomerDetail> {
    desk.require(Permission::EditCustomers)?;
    let c = check(&input)?;
    desk.write(Permission::EditCustomers, |tx, ctx| {
        let n = tx.execute(
            "UPDATE customers SET kind = ?1, name = ?2, note = ?3, updated_at = ?4, updated_by = ?5, rev = rev + 1
             WHERE id = ?6 AND rev = ?7",
            params![c.kind.as_str(), c.name, c.note, ctx.now_text(), ctx.actor.user_id, id, rev],
        )?;
        if n == 0 {
            return Err(stale_or_missing(tx, "customers", "customer", id, rev));
        }
        let customer = get_customer_in(tx, id)?;
        audit::record(tx, ctx, "customers", id, Action::Update, &customer)?;
        sync_children(tx, ctx, "contacts", &CONTACT_COLUMNS, id, &c.contacts)?;
        sync_children(tx, ctx, "addresses", &ADDRESS_COLUMNS, id, &c.addresses)?;
        search::reindex_customer(tx, id)?;
        detail_in(tx, id, ctx.today)
    })
}

/// Makes the child rows of `customer_id` in `table` equal to `rows`, logging each change.
/// The table and column names are constants of this module, never user input.
fn sync_children(
    tx: &Connection,
    ctx: &Ctx,
    table: &'static str,
    columns: &[&str],
    customer_id: &str,
    rows: &[ChildRow],
) -> Result<()> {
    let existing: HashSet<String> = {
        let mut stmt = tx.prepare(&format!("SELECT id FROM {table} WHERE customer_id = ?1"))?;
        let ids = stmt.query_map([customer_id], |r| r.get(0))?;
        ids.collect::<rusqlite::Result<_>>()?
    };
    let mut issues = Issues::default();
    for (pos, row) in rows.iter().enumerate() {
        if let Some(id) = &row.id {
            if !existing.contains(id) {
                issues.push(FieldIssue::new(
                    format!("{table}.{pos}.id"),
                    Rule::UnknownReference,
                ));
            }
        }
    }
    issues.finish()?;

    let kept: HashSet<&str> = rows.iter().filter_map(|r| r.id.as_deref()).collect();
    for gone in existing.iter().filter(|id| !kept.contains(id.as_str())) {
        tx.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [gone])?;
        audit::record(
            tx,
            ctx,
            table,
            gone,
            Action::Delete,
            &serde_json::json!({ "id": gone, "customerId": customer_id }),
        )?;
    }
    let now = ctx.now_text();
    let sets = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 5))
        .collect::<Vec<_>>()
        .join(", ");
    let update_sql =
        format!("UPDATE {table} SET position = ?2, updated_at = ?3, updated_by = ?4, rev = rev + 1, {sets} WHERE id = ?1");
    let placeholders = (0..columns.len())
        .map(|i| format!("?{}", i + 7))
        .collect::<Vec<_>>()
        .join(", ");
    let insert_sql = format!(
        "INSERT INTO {table} (id, customer_id, position, created_at, updated_at, created_by, updated_by, site_id, {})
         VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?5, ?6, {placeholders})",
        columns.join(", ")
    );
    for (pos, row) in rows.iter().enumerate() {
        let pos = pos as i64;
        let mut data = Map::new();
        data.insert("customerId".into(), customer_id.into());
        data.insert("position".into(), pos.into());
        for (c, v) in columns.iter().zip(&row.values) {
            data.insert((*c).into(), Value::String(v.clone()));
        }
        let (id, action) = match &row.id {
            Some(id) => {
                let mut args: Vec<&dyn rusqlite::ToSql> = vec![id, &pos, &now, &ctx.actor.user_id];
                args.extend(row.values.iter().map(|v| v as &dyn rusqlite::ToSql));
                tx.execute(&update_sql, args.as_slice())?;
                (id.clone(), Action::Update)
            }
            None => {
                let id = new_id();
                let mut args: Vec<&dyn rusqlite::ToSql> = vec![
                    &id,
                    &customer_id,
                    &pos,
                    &now,
                    &ctx.actor.user_id,
                    &ctx.actor.site_id,
                ];
                args.extend(row.values.iter().map(|v| v as &dyn rusqlite::ToSql));
                tx.execute(&insert_sql, args.as_slice())?;
                (id, Action::Insert)
            }
        };
        data.insert("id".into(), id.clone().into());
        audit::record(tx, ctx, table, &id, action, &Value::Object(data))?;
    }
    Ok(())
}
