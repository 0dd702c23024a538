//! Requisition slips (配件领用单): a technician asks for parts for a work order; a warehouse
//! keeper or supervisor — never the requester — approves; the warehouse issues against the
//! approval, and the slip is printed for signatures. What the work order used is reconciled
//! with what was issued and returned; a difference stays listed until it is resolved.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{get_location_in, get_part_in, post, LocationKind, MovementKind, Posting};
use crate::audit::{self, Action};
use crate::documents::{self, Document};
use crate::error::{Error, Result, Rule};
use crate::forms::{self, FormData};
use crate::users::Permission;
use crate::validate::Issues;
use crate::{new_id, Ctx, Desk};

text_enum!(RequisitionState {
    Requested = "requested",
    Approved = "approved",
    Rejected = "rejected",
    Issued = "issued",
});

/// The requisition's state machine: decided once, issued only once approved.
fn transition(from: RequisitionState, event: &'static str) -> Result<RequisitionState> {
    use RequisitionState as S;
    match (from, event) {
        (S::Requested, "approve") => Ok(S::Approved),
        (S::Requested, "reject") => Ok(S::Rejected),
        (S::Approved, "issue") => Ok(S::Issued),
        _ => Err(Error::InvalidTransition {
            from: from.as_str(),
            event,
        }),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RequisitionLine {
    pub part_id: String,
    pub code: String,
    pub name: String,
    pub model: String,
    pub unit: String,
    pub qty: i64,
    pub price_fen: i64,
    pub serial_tracked: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Requisition {
    pub id: String,
    pub work_order_id: String,
    pub work_order_number: String,
    pub location_id: String,
    pub location_name: String,
    pub requester_id: String,
    pub requester_name: String,
    pub purpose: String,
    pub state: RequisitionState,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<String>,
    pub comment: String,
    pub lines: Vec<RequisitionLine>,
    pub documents: Vec<Document>,
    pub created_at: String,
    pub rev: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RequisitionLineInput {
    pub part_id: String,
    pub qty: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RequisitionInput {
    pub work_order_id: String,
    pub location_id: String,
    pub purpose: String,
    pub lines: Vec<RequisitionLineInput>,
}

fn get_in(conn: &Connection, id: &str) -> Result<Requisition> {
    let mut r = conn
        .query_row(
            "SELECT r.id, r.work_order_id, w.number, r.location_id, l.name, r.requester_id, coalesce(u.display_name, r.requester_id),
                    r.purpose, r.state, d.display_name, r.decided_at, r.comment, r.created_at, r.rev
             FROM requisitions r JOIN work_orders w ON w.id = r.work_order_id JOIN stock_locations l ON l.id = r.location_id
             LEFT JOIN users u ON u.id = r.requester_id LEFT JOIN users d ON d.id = r.decided_by
             WHERE r.id = ?1",
            [id],
            |r| {
                Ok(Requisition {
                    id: r.get(0)?,
                    work_order_id: r.get(1)?,
                    work_order_number: r.get(2)?,
                    location_id: r.get(3)?,
                    location_name: r.get(4)?,
                    requester_id: r.get(5)?,
                    requester_name: r.get(6)?,
                    purpose: r.get(7)?,
                    state: RequisitionState::parse(&r.get::<_, String>(8)?).unwrap_or(RequisitionState::Requested),
                    decided_by_name: r.get(9)?,
                    decided_at: r.get(10)?,
                    comment: r.get(11)?,
                    lines: Vec::new(),
                    documents: Vec::new(),
                    created_at: r.get(12)?,
                    rev: r.get(13)?,
                })
            },
        )
        .optional()?
        .ok_or_else(|| Error::NotFound {
            entity: "requisition",
            id: id.to_owned(),
        })?;
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.code, p.name, p.model, p.unit, x.qty, p.price_fen, p.serial_tracked
         FROM requisition_lines x JOIN parts p ON p.id = x.part_id WHERE x.requisition_id = ?1 ORDER BY x.position",
    )?;
    r.lines = stmt
        .query_map([id], |r| {
            Ok(RequisitionLine {
                part_id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                model: r.get(3)?,
                unit: r.get(4)?,
                qty: r.get(5)?,
                price_fen: r.get(6)?,
                serial_tracked: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM documents WHERE subject_id = ?1 ORDER BY issued_at DESC, revision DESC",
    )?;
    let ids: Vec<String> = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    r.documents = ids
        .iter()
        .map(|d| documents::get_in(conn, d))
        .collect::<Result<_>>()?;
    Ok(r)
}

pub fn get(desk: &Desk, id: &str) -> Result<Requisition> {
    desk.require(Permission::ViewArchive)?;
    get_in(desk.conn(), id)
}

/// Requisitions, newest first; `state` narrows to an inbox (e.g. those awaiting approval).
pub fn list(
    desk: &Desk,
    state: Option<RequisitionState>,
    work_order_id: Option<&str>,
) -> Result<Vec<Requisition>> {
    desk.require(Permission::ViewArchive)?;
    let mut stmt = desk.conn().prepare_cached(
        "SELECT id FROM requisitions WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR work_order_id = ?2)
         ORDER BY created_at DESC LIMIT 200",
    )?;
    let ids: Vec<String> = stmt
        .query_map(params![state.map(|s| s.as_str()), work_order_id], |r| {
            r.get(0)
        })?
        .collect::<rusqlite::Result<_>>()?;
    ids.iter().map(|i| get_in(desk.conn(), i)).collect()
}

/// A technician (or the desk for them) asks for parts for a work order.
pub fn request(desk: &mut Desk, input: RequisitionInput) -> Result<Requisition> {
    desk.require(Permission::RequestParts)?;
    let mut issues = Issues::default();
    let purpose = issues.text("purpose", &input.purpose, false, 200);
    if input.lines.is_empty() {
        issues.add("lines", Rule::Required);
    }
    for (i, l) in input.lines.iter().enumerate() {
        issues.range(&format!("lines.{i}.qty"), l.qty, 1, 10_000);
        if get_part_in(desk.conn(), &l.part_id).is_err() {
            issues.add(&format!("lines.{i}.partId"), Rule::UnknownReference);
        } else if input.lines[..i].iter().any(|o| o.part_id == l.part_id) {
            issues.add(&format!("lines.{i}.partId"), Rule::Duplicate);
        }
    }
    match get_location_in(desk.conn(), &input.location_id) {
        Ok(l) if l.kind == LocationKind::Store => {}
        _ => issues.add("locationId", Rule::UnknownReference),
    }
    let wo_state = crate::work_orders::get_order_in(desk.conn(), &input.work_order_id)
        .map(|w| w.state)
        .ok();
    match wo_state {
        None => issues.add("workOrderId", Rule::UnknownReference),
        Some(s) if s.is_final() => issues.add("workOrderId", Rule::WorkOrderClosed),
        _ => {}
    }
    issues.finish()?;
    let id = desk.write(Permission::RequestParts, |tx, ctx| {
        let id = new_id();
        tx.execute(
            "INSERT INTO requisitions (id, site_id, work_order_id, location_id, requester_id, purpose, state,
                                       created_at, updated_at, created_by, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'requested', ?7, ?7, ?5, ?5)",
            params![id, ctx.actor.site_id, input.work_order_id, input.location_id, ctx.actor.user_id, purpose, ctx.now_text()],
        )?;
        for (i, l) in input.lines.iter().enumerate() {
            tx.execute(
                "INSERT INTO requisition_lines (requisition_id, position, part_id, qty) VALUES (?1, ?2, ?3, ?4)",
                params![id, i as i64, l.part_id, l.qty],
            )?;
        }
        let r = get_in(tx, &id)?;
        audit::record(tx, ctx, "requisitions", &id, Action::Insert, &r)?;
        Ok(id)
    })?;
    get(desk, &id)
}

fn decide(
    desk: &mut Desk,
    id: &str,
    rev: i64,
    event: &'static str,
    comment: &str,
) -> Result<Requisition> {
    let mut issues = Issues::default();
    // A refusal must say why; an approval may.
    let comment = issues.text("comment", comment, event == "reject", 200);
    issues.finish()?;
    desk.write(Permission::ApproveRequisitions, |tx, ctx| {
        let r = get_in(tx, id)?;
        if r.rev != rev {
            return Err(Error::Conflict {
                entity: "requisition",
                id: id.to_owned(),
                expected: rev,
            });
        }
        let to = transition(r.state, event)?;
        if r.requester_id == ctx.actor.user_id {
            return Err(Error::SelfApproval {
                what: "requisition",
            });
        }
        tx.execute(
            "UPDATE requisitions SET state = ?1, decided_by = ?2, decided_at = ?3, comment = ?4, updated_at = ?3, updated_by = ?2,
                                     rev = rev + 1
             WHERE id = ?5",
            params![to.as_str(), ctx.actor.user_id, ctx.now_text(), comment, id],
        )?;
        let out = get_in(tx, id)?;
        audit::record(tx, ctx, "requisitions", id, Action::Update, &out)?;
        Ok(out)
    })
}

/// Approves someone else's requisition (a warehouse keeper, supervisor or admin).
pub fn approve(desk: &mut Desk, id: &str, rev: i64, comment: &str) -> Result<Requisition> {
    decide(desk, id, rev, "approve", comment)
}

pub fn reject(desk: &mut Desk, id: &str, rev: i64, comment: &str) -> Result<Requisition> {
    decide(desk, id, rev, "reject", comment)
}

fn slip_data(
    conn: &Connection,
    ctx: &Ctx,
    r: &Requisition,
    serials: &[Vec<String>],
) -> Result<FormData> {
    let wo = crate::work_orders::get_order_in(conn, &r.work_order_id)?;
    let customer = crate::customers::get_customer_in(conn, &wo.customer_id)?;
    let issuer = conn
        .query_row(
            "SELECT display_name FROM users WHERE id = ?1",
            [&ctx.actor.user_id],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .unwrap_or_default();
    let lines: Vec<forms::StockLine> = r
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| forms::StockLine {
            code: l.code.clone(),
            name: l.name.clone(),
            model: l.model.clone(),
            unit: l.unit.clone(),
            qty: l.qty,
            serials: serials.get(i).cloned().unwrap_or_default(),
            unit_price_fen: l.price_fen,
            amount_fen: l.qty.saturating_mul(l.price_fen),
        })
        .collect();
    Ok(FormData::RequisitionSlip(forms::RequisitionSlip {
        header: forms::Header::default(),
        work_order_number: r.work_order_number.clone(),
        customer_name: customer.name,
        location: r.location_name.clone(),
        technician: r.requester_name.clone(),
        purpose: r.purpose.clone(),
        total_fen: lines.iter().map(|l| l.amount_fen).sum(),
        lines,
        approvals: vec![
            forms::ApprovalLine {
                role: "申请人".into(),
                name: r.requester_name.clone(),
                at: ctx.local_text(&r.created_at),
                decision: "申请".into(),
                comment: String::new(),
            },
            forms::ApprovalLine {
                role: "审批人".into(),
                name: r.decided_by_name.clone().unwrap_or_default(),
                at: r
                    .decided_at
                    .as_deref()
                    .map(|t| ctx.local_text(t))
                    .unwrap_or_default(),
                decision: "同意".into(),
                comment: r.comment.clone(),
            },
            forms::ApprovalLine {
                role: "发料人".into(),
                name: issuer,
                at: ctx.local_now_text(),
                decision: "已发料".into(),
                comment: String::new(),
            },
        ],
    }))
}

/// Issues an approved requisition: the stock leaves the location (never below zero), with the
/// serials of serial-tracked parts (one list per line), and the slip is issued for signatures.
pub fn issue(
    desk: &mut Desk,
    id: &str,
    rev: i64,
    serials: Vec<Vec<String>>,
) -> Result<Requisition> {
    desk.require(Permission::ManageStock)?;
    let serials: Vec<Vec<String>> = serials
        .into_iter()
        .map(|l| l.into_iter().map(|s| s.trim().to_uppercase()).collect())
        .collect();
    desk.write(Permission::ManageStock, |tx, ctx| {
        let r = get_in(tx, id)?;
        if r.rev != rev {
            return Err(Error::Conflict {
                entity: "requisition",
                id: id.to_owned(),
                expected: rev,
            });
        }
        let to = transition(r.state, "issue")?;
        let none = Vec::new();
        for (i, l) in r.lines.iter().enumerate() {
            post(
                tx,
                ctx,
                &Posting {
                    part_id: &l.part_id,
                    location_id: &r.location_id,
                    qty: -l.qty,
                    kind: MovementKind::Issue,
                    ref_id: Some(id),
                    serials: serials.get(i).unwrap_or(&none),
                    note: &r.work_order_number,
                    field: &format!("lines.{i}.qty"),
                },
            )?;
        }
        tx.execute(
            "UPDATE requisitions SET state = ?1, updated_at = ?2, updated_by = ?3, rev = rev + 1 WHERE id = ?4",
            params![to.as_str(), ctx.now_text(), ctx.actor.user_id, id],
        )?;
        let issued = get_in(tx, id)?;
        let data = slip_data(tx, ctx, &issued, &serials)?;
        documents::issue_in(tx, ctx, id, Some(&issued.work_order_id), data)?;
        let out = get_in(tx, id)?;
        audit::record(tx, ctx, "requisitions", id, Action::Update, &out)?;
        Ok(out)
    })
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReturnUnusedInput {
    pub requisition_id: String,
    pub part_id: String,
    pub qty: i64,
    pub serials: Vec<String>,
    pub note: String,
}

/// Unused parts come back to the location they were issued from; never more than was issued.
pub fn return_unused(desk: &mut Desk, input: ReturnUnusedInput) -> Result<()> {
    desk.require(Permission::ManageStock)?;
    let mut issues = Issues::default();
    issues.range("qty", input.qty, 1, 10_000);
    let note = issues.text("note", &input.note, false, 200);
    issues.finish()?;
    let serials: Vec<String> = input
        .serials
        .iter()
        .map(|s| s.trim().to_uppercase())
        .collect();
    desk.write(Permission::ManageStock, |tx, ctx| {
        let r = get_in(tx, &input.requisition_id)?;
        if r.state != RequisitionState::Issued {
            return Err(Error::InvalidTransition {
                from: r.state.as_str(),
                event: "return",
            });
        }
        let (issued, returned): (i64, i64) = tx.query_row(
            "SELECT coalesce(-sum(CASE WHEN kind = 'issue' THEN qty END), 0), coalesce(sum(CASE WHEN kind = 'return' THEN qty END), 0)
             FROM stock_movements WHERE ref_id = ?1 AND part_id = ?2",
            params![input.requisition_id, input.part_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if input.qty > issued - returned {
            return Err(Error::Validation(vec![crate::error::FieldIssue::new(
                "qty",
                Rule::OutOfRange,
            )
            .with("min", 1)
            .with("max", issued - returned)]));
        }
        post(
            tx,
            ctx,
            &Posting {
                part_id: &input.part_id,
                location_id: &r.location_id,
                qty: input.qty,
                kind: MovementKind::Return,
                ref_id: Some(&input.requisition_id),
                serials: &serials,
                note: &note,
                field: "qty",
            },
        )?;
        Ok(())
    })
}

/// A part's issued, returned and used quantities on one work order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Reconciliation {
    pub part_id: String,
    pub code: String,
    pub name: String,
    pub issued: i64,
    pub returned: i64,
    /// As recorded on the work order (its parts lines that name this catalog part).
    pub used: i64,
    /// issued − returned − used: positive means parts to return, negative means parts used
    /// that were never issued. Zero is reconciled.
    pub difference: i64,
}

/// What was issued for a work order against what it used. Rows with a difference are the
/// ones to resolve (return the unused, or requisition what was used).
pub fn reconcile(desk: &Desk, work_order_id: &str) -> Result<Vec<Reconciliation>> {
    desk.require(Permission::ViewArchive)?;
    let mut stmt = desk.conn().prepare_cached(
        "WITH moved AS (
             SELECT m.part_id,
                    -sum(CASE WHEN m.kind = 'issue' THEN m.qty ELSE 0 END) AS issued,
                    sum(CASE WHEN m.kind = 'return' THEN m.qty ELSE 0 END) AS returned
             FROM stock_movements m JOIN requisitions r ON r.id = m.ref_id
             WHERE r.work_order_id = ?1 GROUP BY m.part_id),
         used AS (
             SELECT part_id, sum(qty) AS used FROM work_order_parts
             WHERE work_order_id = ?1 AND part_id IS NOT NULL GROUP BY part_id),
         ids AS (SELECT part_id FROM moved UNION SELECT part_id FROM used)
         SELECT p.id, p.code, p.name, coalesce(m.issued, 0), coalesce(m.returned, 0), coalesce(u.used, 0)
         FROM ids JOIN parts p ON p.id = ids.part_id
         LEFT JOIN moved m ON m.part_id = ids.part_id LEFT JOIN used u ON u.part_id = ids.part_id
         ORDER BY p.code",
    )?;
    let rows = stmt.query_map([work_order_id], |r| {
        let (issued, returned, used): (i64, i64, i64) = (r.get(3)?, r.get(4)?, r.get(5)?);
        Ok(Reconciliation {
            part_id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            issued,
            returned,
            used,
            difference: issued - returned - used,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One catalog part that went into a customer's unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Usage {
    pub work_order_id: String,
    pub work_order_number: String,
    pub unit_id: Option<String>,
    pub at: String,
    pub by: String,
    pub part_code: String,
    pub part_name: String,
    pub qty: i64,
    pub new_serial: String,
    pub faulty_serial: String,
}

/// The usage history of a customer (and of one unit when given): what went in, when, by whom.
pub fn usage(desk: &Desk, customer_id: &str, unit_id: Option<&str>) -> Result<Vec<Usage>> {
    desk.require(Permission::ViewArchive)?;
    let mut stmt = desk.conn().prepare_cached(
        "SELECT w.id, w.number, w.unit_id, w.updated_at, coalesce(u.display_name, w.updated_by), p.code, p.name, x.qty,
                x.new_serial, x.faulty_serial
         FROM work_order_parts x JOIN work_orders w ON w.id = x.work_order_id JOIN parts p ON p.id = x.part_id
         LEFT JOIN users u ON u.id = w.updated_by
         WHERE w.customer_id = ?1 AND (?2 IS NULL OR w.unit_id = ?2)
         ORDER BY w.updated_at DESC, x.position",
    )?;
    let rows = stmt.query_map(params![customer_id, unit_id], |r| {
        Ok(Usage {
            work_order_id: r.get(0)?,
            work_order_number: r.get(1)?,
            unit_id: r.get(2)?,
            at: r.get(3)?,
            by: r.get(4)?,
            part_code: r.get(5)?,
            part_name: r.get(6)?,
            qty: r.get(7)?,
            new_serial: r.get(8)?,
            faulty_serial: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
