//! The catalog of product models (brand, model, category) that installed units refer to.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, Action};
use crate::error::{Error, Result};
use crate::users::Permission;
use crate::validate::Issues;
use crate::{duplicate_as, new_id, stale_or_missing, Desk};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProductModel {
    pub id: String,
    pub brand: String,
    pub model: String,
    pub category: String,
    pub rev: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProductModelInput {
    pub brand: String,
    pub model: String,
    pub category: String,
}

pub(crate) const COLUMNS: &str = "id, brand, model, category, rev";

pub(crate) fn from_row(r: &Row) -> rusqlite::Result<ProductModel> {
    Ok(ProductModel {
        id: r.get(0)?,
        brand: r.get(1)?,
        model: r.get(2)?,
        category: r.get(3)?,
        rev: r.get(4)?,
    })
}

fn check(input: &ProductModelInput) -> Result<ProductModelInput> {
    let mut issues = Issues::default();
    let brand = issues.text("brand", &input.brand, true, 30);
    let model = issues.text("model", &input.model, true, 40);
    let category = issues.text("category", &input.category, true, 20);
    issues.finish()?;
    Ok(ProductModelInput {
        brand,
        model,
        category,
    })
}

pub(crate) fn get_in(conn: &Connection, id: &str) -> Result<ProductModel> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM product_models WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        entity: "product_model",
        id: id.to_owned(),
    })
}

pub fn get(desk: &Desk, id: &str) -> Result<ProductModel> {
    desk.require(Permission::ViewArchive)?;
    get_in(desk.conn(), id)
}

pub fn list(desk: &Desk) -> Result<Vec<ProductModel>> {
    desk.require(Permission::ViewArchive)?;
    let mut stmt = desk.conn().prepare(&format!(
        "SELECT {COLUMNS} FROM product_models ORDER BY category, brand, model"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn create(desk: &mut Desk, input: ProductModelInput) -> Result<ProductModel> {
    desk.require(Permission::EditCatalog)?;
    let m = check(&input)?;
    desk.write(Permission::EditCatalog, |tx, ctx| {
        let id = new_id();
        tx.execute(
            "INSERT INTO product_models (id, site_id, brand, model, category, created_at, updated_at, created_by, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?7)",
            params![id, ctx.actor.site_id, m.brand, m.model, m.category, ctx.now_text(), ctx.actor.user_id],
        )
        .map_err(duplicate_as("model"))?;
        let out = get_in(tx, &id)?;
        audit::record(tx, ctx, "product_models", &id, Action::Insert, &out)?;
        Ok(out)
    })
}

pub fn update(
    desk: &mut Desk,
    id: &str,
    rev: i64,
    input: ProductModelInput,
) -> Result<ProductModel> {
    desk.require(Permission::EditCatalog)?;
    let m = check(&input)?;
    desk.write(Permission::EditCatalog, |tx, ctx| {
        let n = tx
            .execute(
                "UPDATE product_models SET brand = ?1, model = ?2, category = ?3, updated_at = ?4, updated_by = ?5, rev = rev + 1
                 WHERE id = ?6 AND rev = ?7",
                params![m.brand, m.model, m.category, ctx.now_text(), ctx.actor.user_id, id, rev],
            )
            .map_err(duplicate_as("model"))?;
        if n == 0 {
            return Err(stale_or_missing(tx, "product_models", "product_model", id, rev));
        }
        let out = get_in(tx, id)?;
        audit::record(tx, ctx, "product_models", id, Action::Update, &out)?;
        Ok(out)
    })
}
