//! Periodic stocktakes (盘点) of one location: the book quantity of every part the location
//! holds (or held) is snapshotted and printed on a blank count sheet (盘点表); the counters
//! enter what they found, a difference with its reason; someone other than the counters — a
//! supervisor or admin — posts the count, which writes one `adjustment` per difference so that
//! the book equals the shelf afterwards, and the sheet is issued again filled in and approved.
//!
//! Posting adjusts against the ledger balance at the moment of posting, not the snapshot:
//! parts issued or received between the start and the post are already in the ledger and must
//! not be counted twice (the count is taken to be of the shelf as it is when posted, as in
//! most stock systems; count after the day's movements, or enter the count again).
//!
//! Serial-tracked parts are counted by serial: the serials found are entered with the count;
//! posting writes off the pieces the book has here that were not found (their serial becomes
//! `missing`) and takes in the pieces found that the book did not have here. A piece the book
//! has in stock at another location is refused (`serial_unavailable`): move it there first.

use chrono::DateTime;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{
    check_serials, get_location_in, get_part_in, on_hand, LocationKind, MovementKind, Posting,
};
use crate::audit::{self, Action};
use crate::documents::{self, Document};
use crate::error::{Error, FieldIssue, Result, Rule};
use crate::forms::{self, FormData};
use crate::users::Permission;
use crate::validate::Issues;
use crate::{new_id, Ctx, Desk};

text_enum!(StocktakeState {
    Counting = "counting",
    Submitted = "submitted",
    Posted = "posted",
    Rejected = "rejected",
});

/// The stocktake's state machine: counts change only while counting; a submitted count is
/// decided once.
fn transition(from: StocktakeState, event: &'static str) -> Result<StocktakeState> {
    use StocktakeState as S;
    match (from, event) {
        (S::Counting, "count") => Ok(S::Counting),
        (S::Counting, "submit") => Ok(S::Submitted),
        (S::Submitted, "post") => Ok(S::Posted),
        (S::Submitted, "reject") => Ok(S::Rejected),
        _ => Err(Error::InvalidTransition {
            from: from.as_str(),
            event,
        }),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StocktakeLine {
    pub part_id: String,
    pub code: String,
    pub name: String,
    pub model: String,
    pub unit: String,
    pub serial_tracked: bool,
    /// The ledger balance when the stocktake started.
    pub book_qty: i64,
    pub book_serials: Vec<String>,
    /// None until counted.
    pub counted_qty: Option<i64>,
    pub counted_serials: Vec<String>,
    /// counted − book, once counted.
    pub difference: Option<i64>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Stocktake {
    pub id: String,
    pub location_id: String,
    pub location_name: String,
    pub state: StocktakeState,
    /// The site's date the count started (`YYYY-MM-DD`).
    pub counted_on: String,
    pub counter_id: String,
    pub counter_name: String,
    pub submitted_at: Option<String>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<String>,
    pub comment: String,
    /// In part code order; `lines.N` of an error on [`submit`] is an index into this list.
    pub lines: Vec<StocktakeLine>,
    /// The count sheet, every revision, newest first.
    pub documents: Vec<Document>,
    pub created_at: String,
    pub rev: i64,
}

/// One part's count as the counters found it.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StocktakeCount {
    pub part_id: String,
    pub counted_qty: i64,
    /// Required when the count differs from the book.
    pub reason: String,
    /// The serials found, for a serial-tracked part (one per unit counted).
    #[serde(default)]
    pub serials: Vec<String>,
}

fn json_list(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

/// A stored UTC instant as paper prints it: the site's wall clock to the minute.
pub(super) fn local_time(ctx: &Ctx, utc: &str) -> String {
    DateTime::parse_from_rfc3339(utc)
        .map(|t| {
            t.with_timezone(&ctx.tz)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

pub(super) fn user_name(conn: &Connection, id: &str) -> Result<String> {
    Ok(conn
        .query_row("SELECT display_name FROM users WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or_else(|| id.to_owned()))
}

/// Every revision of every document issued for a subject, newest first.
pub(super) fn documents_of(conn: &Connection, subject_id: &str) -> Result<Vec<Document>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM documents WHERE subject_id = ?1 ORDER BY issued_at DESC, revision DESC",
    )?;
    let ids: Vec<String> = stmt
        .query_map([subject_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.iter().map(|d| documents::get_in(conn, d)).collect()
}

fn get_in(conn: &Connection, id: &str) -> Result<Stocktake> {
    let mut s = conn
        .query_row(
            "SELECT s.id, s.location_id, l.name, s.state, s.counted_on, s.counter_id, coalesce(c.display_name, s.counter_id),
                    s.submitted_at, d.display_name, s.decided_at, s.comment, s.created_at, s.rev
             FROM stocktakes s JOIN stock_locations l ON l.id = s.location_id
             LEFT JOIN users c ON c.id = s.counter_id LEFT JOIN users d ON d.id = s.decided_by
             WHERE s.id = ?1",
            [id],
            |r| {
                Ok(Stocktake {
                    id: r.get(0)?,
                    location_id: r.get(1)?,
                    location_name: r.get(2)?,
                    state: StocktakeState::parse(&r.get::<_, String>(3)?).unwrap_or(StocktakeState::Counting),
                    counted_on: r.get(4)?,
                    counter_id: r.get(5)?,
                    counter_name: r.get(6)?,
                    submitted_at: r.get(7)?,
                    decided_by_name: r.get(8)?,
                    decided_at: r.get(9)?,
                    comment: r.get(10)?,
                    lines: Vec::new(),
                    documents: Vec::new(),
                    created_at: r.get(11)?,
                    rev: r.get(12)?,
                })
            },
        )
        .optional()?
        .ok_or_else(|| Error::NotFound {
            entity: "stocktake",
            id: id.to_owned(),
        })?;
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.code, p.name, p.model, p.unit, p.serial_tracked, x.book_qty, x.book_serials, x.counted_qty,
                x.counted_serials, x.reason
         FROM stocktake_lines x JOIN parts p ON p.id = x.part_id WHERE x.stocktake_id = ?1 ORDER BY p.code",
    )?;
    s.lines = stmt
        .query_map([id], |r| {
            let book_qty: i64 = r.get(6)?;
            let counted_qty: Option<i64> = r.get(8)?;
            Ok(StocktakeLine {
                part_id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                model: r.get(3)?,
                unit: r.get(4)?,
                serial_tracked: r.get(5)?,
                book_qty,
                book_serials: json_list(&r.get::<_, String>(7)?),
                counted_qty,
                counted_serials: json_list(&r.get::<_, String>(9)?),
                difference: counted_qty.map(|c| c - book_qty),
                reason: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    s.documents = documents_of(conn, id)?;
    Ok(s)
}

pub fn get(desk: &Desk, id: &str) -> Result<Stocktake> {
    desk.require(Permission::ViewArchive)?;
    get_in(desk.conn(), id)
}

/// Stocktakes, newest first; `state` narrows to an inbox (e.g. those awaiting a decision).
pub fn list(
    desk: &Desk,
    state: Option<StocktakeState>,
    location_id: Option<&str>,
) -> Result<Vec<Stocktake>> {
    desk.require(Permission::ViewArchive)?;
    let mut stmt = desk.conn().prepare_cached(
        "SELECT id FROM stocktakes WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR location_id = ?2)
         ORDER BY created_at DESC LIMIT 200",
    )?;
    let ids: Vec<String> = stmt
        .query_map(params![state.map(|s| s.as_str()), location_id], |r| {
            r.get(0)
        })?
        .collect::<rusqlite::Result<_>>()?;
    ids.iter().map(|i| get_in(desk.conn(), i)).collect()
}

/// The serials the ledger has in stock at a location now.
fn serials_here(conn: &Connection, part_id: &str, location_id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT serial FROM part_serials WHERE part_id = ?1 AND location_id = ?2 AND status = 'in_stock' ORDER BY serial",
    )?;
    let rows = stmt.query_map([part_id, location_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn sheet_data(ctx: &Ctx, s: &Stocktake) -> FormData {
    let decided = s.state == StocktakeState::Posted;
    let approvals = vec![
        forms::ApprovalLine {
            role: "盘点人".into(),
            name: s.counter_name.clone(),
            at: s
                .submitted_at
                .as_deref()
                .map(|t| local_time(ctx, t))
                .unwrap_or_default(),
            decision: if s.submitted_at.is_some() {
                "已盘点".into()
            } else {
                String::new()
            },
            comment: String::new(),
        },
        forms::ApprovalLine {
            role: "审批人".into(),
            name: if decided {
                s.decided_by_name.clone().unwrap_or_default()
            } else {
                String::new()
            },
            at: match (&s.decided_at, decided) {
                (Some(t), true) => local_time(ctx, t),
                _ => String::new(),
            },
            decision: if decided {
                "同意调整".into()
            } else {
                String::new()
            },
            comment: if decided {
                s.comment.clone()
            } else {
                String::new()
            },
        },
    ];
    FormData::CountSheet(forms::CountSheet {
        header: forms::Header::default(),
        location: s.location_name.clone(),
        counted_on: s.counted_on.clone(),
        lines: s
            .lines
            .iter()
            .map(|l| forms::CountLine {
                code: l.code.clone(),
                name: l.name.clone(),
                model: l.model.clone(),
                unit: l.unit.clone(),
                book_qty: l.book_qty,
                counted_qty: l.counted_qty,
                difference: l.difference,
                reason: l.reason.clone(),
            })
            .collect(),
        counter: s.counter_name.clone(),
        approvals,
    })
}

/// Starts a count of a store location: snapshots the book quantity (and the serials) of
/// every part that has or had a balance there, and issues the blank count sheet. One open
/// stocktake per location: a second one is refused as a duplicate.
pub fn start(desk: &mut Desk, location_id: &str) -> Result<Stocktake> {
    desk.require(Permission::ManageStock)?;
    let id = desk.write(Permission::ManageStock, |tx, ctx| {
        match get_location_in(tx, location_id) {
            Ok(l) if l.kind == LocationKind::Store => {}
            _ => return Err(Error::invalid("locationId", Rule::UnknownReference)),
        }
        let open: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM stocktakes WHERE location_id = ?1 AND state IN ('counting', 'submitted'))",
            [location_id],
            |r| r.get(0),
        )?;
        if open {
            return Err(Error::invalid("locationId", Rule::Duplicate));
        }
        let id = new_id();
        tx.execute(
            "INSERT INTO stocktakes (id, site_id, location_id, state, counted_on, counter_id, created_at, updated_at,
                                     created_by, updated_by)
             VALUES (?1, ?2, ?3, 'counting', ?4, ?5, ?6, ?6, ?5, ?5)",
            params![id, ctx.actor.site_id, location_id, ctx.today.format("%Y-%m-%d").to_string(), ctx.actor.user_id,
                    ctx.now_text()],
        )?;
        // A balance row stays (at zero) once a part has moved here: "has or had" stock.
        let book: Vec<(String, i64, bool)> = tx
            .prepare_cached(
                "SELECT b.part_id, b.qty, p.serial_tracked FROM stock_balances b JOIN parts p ON p.id = b.part_id
                 WHERE b.location_id = ?1",
            )?
            .query_map([location_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (part_id, qty, tracked) in book {
            let serials = if tracked {
                serials_here(tx, &part_id, location_id)?
            } else {
                Vec::new()
            };
            tx.execute(
                "INSERT INTO stocktake_lines (stocktake_id, part_id, book_qty, book_serials) VALUES (?1, ?2, ?3, ?4)",
                params![id, part_id, qty, serde_json::to_string(&serials).expect("strings serialise")],
            )?;
        }
        let s = get_in(tx, &id)?;
        documents::issue_in(tx, ctx, &id, None, sheet_data(ctx, &s))?;
        audit::record(tx, ctx, "stocktakes", &id, Action::Insert, &s)?;
        Ok(id)
    })?;
    get(desk, &id)
}

fn check_rev(s: &Stocktake, rev: i64) -> Result<()> {
    if s.rev != rev {
        return Err(Error::Conflict {
            entity: "stocktake",
            id: s.id.clone(),
            expected: rev,
        });
    }
    Ok(())
}

fn bump(tx: &Connection, ctx: &Ctx, id: &str, to: StocktakeState) -> Result<()> {
    tx.execute(
        "UPDATE stocktakes SET state = ?1, updated_at = ?2, updated_by = ?3, rev = rev + 1 WHERE id = ?4",
        params![to.as_str(), ctx.now_text(), ctx.actor.user_id, id],
    )?;
    Ok(())
}

/// Enters counts, any number of lines at a time, while counting. A count that differs from
/// the book needs a reason (`lines.N.reason`); a serial-tracked part is counted with its
/// serials, one per unit. A part found that is not on the sheet is added with a book of 0.
pub fn enter_counts(
    desk: &mut Desk,
    id: &str,
    rev: i64,
    counts: Vec<StocktakeCount>,
) -> Result<Stocktake> {
    desk.require(Permission::ManageStock)?;
    let mut issues = Issues::default();
    if counts.is_empty() {
        issues.add("lines", Rule::Required);
    }
    let mut clean = Vec::with_capacity(counts.len());
    for (i, c) in counts.iter().enumerate() {
        issues.range(
            &format!("lines.{i}.countedQty"),
            c.counted_qty,
            0,
            1_000_000,
        );
        let reason = issues.text(&format!("lines.{i}.reason"), &c.reason, false, 200);
        let serials = check_serials(&mut issues, &format!("lines.{i}.serials"), &c.serials);
        if counts[..i].iter().any(|o| o.part_id == c.part_id) {
            issues.add(&format!("lines.{i}.partId"), Rule::Duplicate);
        }
        clean.push((reason, serials));
    }
    issues.finish()?;
    desk.write(Permission::ManageStock, |tx, ctx| {
        let s = get_in(tx, id)?;
        check_rev(&s, rev)?;
        transition(s.state, "count")?;
        let mut issues = Issues::default();
        for (i, (c, (reason, serials))) in counts.iter().zip(&clean).enumerate() {
            let Ok(part) = get_part_in(tx, &c.part_id) else {
                issues.add(&format!("lines.{i}.partId"), Rule::UnknownReference);
                continue;
            };
            let line = s.lines.iter().find(|l| l.part_id == c.part_id);
            let (book_qty, book_serials) =
                line.map_or((0, Vec::new()), |l| (l.book_qty, l.book_serials.clone()));
            if part.serial_tracked {
                if serials.len() as i64 != c.counted_qty {
                    issues.push(
                        FieldIssue::new(format!("lines.{i}.serials"), Rule::SerialCount)
                            .with("expected", c.counted_qty),
                    );
                }
            } else if !serials.is_empty() {
                issues.push(
                    FieldIssue::new(format!("lines.{i}.serials"), Rule::SerialCount)
                        .with("expected", 0),
                );
            }
            let same_serials = {
                let (mut a, mut b) = (book_serials.clone(), serials.clone());
                a.sort();
                b.sort();
                a == b
            };
            if (c.counted_qty != book_qty || !same_serials) && reason.is_empty() {
                // The difference is the finding of the count: it is written down with its cause.
                issues.push(
                    FieldIssue::new(format!("lines.{i}.reason"), Rule::Required)
                        .with("book", book_qty)
                        .with("counted", c.counted_qty),
                );
            }
            tx.execute(
                "INSERT INTO stocktake_lines (stocktake_id, part_id, book_qty, counted_qty, counted_serials, reason, counted_by)
                 VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6)
                 ON CONFLICT (stocktake_id, part_id) DO UPDATE SET counted_qty = excluded.counted_qty,
                     counted_serials = excluded.counted_serials, reason = excluded.reason, counted_by = excluded.counted_by",
                params![id, c.part_id, c.counted_qty, serde_json::to_string(serials).expect("strings serialise"), reason,
                        ctx.actor.user_id],
            )?;
        }
        issues.finish()?;
        bump(tx, ctx, id, StocktakeState::Counting)?;
        let out = get_in(tx, id)?;
        audit::record(tx, ctx, "stocktakes", id, Action::Update, &out)?;
        Ok(out)
    })
}

/// Hands the count over for a decision; every line must be counted (`lines.N.countedQty`,
/// N in the stocktake's line order).
pub fn submit(desk: &mut Desk, id: &str, rev: i64) -> Result<Stocktake> {
    desk.require(Permission::ManageStock)?;
    desk.write(Permission::ManageStock, |tx, ctx| {
        let s = get_in(tx, id)?;
        check_rev(&s, rev)?;
        let to = transition(s.state, "submit")?;
        let mut issues = Issues::default();
        for (i, l) in s.lines.iter().enumerate() {
            if l.counted_qty.is_none() {
                issues.add(&format!("lines.{i}.countedQty"), Rule::Required);
            }
        }
        issues.finish()?;
        tx.execute(
            "UPDATE stocktakes SET state = ?1, submitted_at = ?2, updated_at = ?2, updated_by = ?3, rev = rev + 1 WHERE id = ?4",
            params![to.as_str(), ctx.now_text(), ctx.actor.user_id, id],
        )?;
        let out = get_in(tx, id)?;
        audit::record(tx, ctx, "stocktakes", id, Action::Update, &out)?;
        Ok(out)
    })
}

/// Whoever started the count or entered any of it does not decide it.
fn check_not_counter(tx: &Connection, ctx: &Ctx, s: &Stocktake) -> Result<()> {
    let counted: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM stocktake_lines WHERE stocktake_id = ?1 AND counted_by = ?2)",
        params![s.id, ctx.actor.user_id],
        |r| r.get(0),
    )?;
    if s.counter_id == ctx.actor.user_id || counted {
        return Err(Error::SelfApproval { what: "stocktake" });
    }
    Ok(())
}

/// Approves a submitted count (a supervisor or admin who did not count): every difference
/// against the ledger as it is now becomes an `adjustment`, so that the book equals the shelf,
/// and the count sheet is issued again, filled in and approved.
pub fn post(desk: &mut Desk, id: &str, rev: i64) -> Result<Stocktake> {
    desk.require(Permission::ApproveStocktakes)?;
    desk.write(Permission::ApproveStocktakes, |tx, ctx| {
        let s = get_in(tx, id)?;
        check_rev(&s, rev)?;
        let to = transition(s.state, "post")?;
        check_not_counter(tx, ctx, &s)?;
        for (i, l) in s.lines.iter().enumerate() {
            let counted = l.counted_qty.unwrap_or(0);
            let note = if l.reason.is_empty() {
                "盘点调整"
            } else {
                l.reason.as_str()
            };
            if l.serial_tracked {
                let here = serials_here(tx, &l.part_id, &s.location_id)?;
                let missing: Vec<String> = here
                    .iter()
                    .filter(|x| !l.counted_serials.contains(x))
                    .cloned()
                    .collect();
                let found: Vec<String> = l
                    .counted_serials
                    .iter()
                    .filter(|x| !here.contains(x))
                    .cloned()
                    .collect();
                let field = format!("lines.{i}.serials");
                if !missing.is_empty() {
                    super::post(
                        tx,
                        ctx,
                        &Posting {
                            part_id: &l.part_id,
                            location_id: &s.location_id,
                            qty: -(missing.len() as i64),
                            kind: MovementKind::Adjustment,
                            ref_id: Some(id),
                            serials: &missing,
                            note,
                            field: &field,
                        },
                    )?;
                    // The ledger marks pieces leaving by adjustment as sent; these were not
                    // sent anywhere, they were not found.
                    for serial in &missing {
                        tx.execute(
                            "UPDATE part_serials SET status = 'missing', updated_at = ?1 WHERE part_id = ?2 AND serial = ?3",
                            params![ctx.now_text(), l.part_id, serial],
                        )?;
                    }
                }
                if !found.is_empty() {
                    super::post(
                        tx,
                        ctx,
                        &Posting {
                            part_id: &l.part_id,
                            location_id: &s.location_id,
                            qty: found.len() as i64,
                            kind: MovementKind::Adjustment,
                            ref_id: Some(id),
                            serials: &found,
                            note,
                            field: &field,
                        },
                    )?;
                }
            } else {
                let delta = counted - on_hand(tx, &l.part_id, Some(&s.location_id))?;
                if delta != 0 {
                    super::post(
                        tx,
                        ctx,
                        &Posting {
                            part_id: &l.part_id,
                            location_id: &s.location_id,
                            qty: delta,
                            kind: MovementKind::Adjustment,
                            ref_id: Some(id),
                            serials: &[],
                            note,
                            field: &format!("lines.{i}.countedQty"),
                        },
                    )?;
                }
            }
        }
        tx.execute(
            "UPDATE stocktakes SET state = ?1, decided_by = ?2, decided_at = ?3, updated_at = ?3, updated_by = ?2, rev = rev + 1
             WHERE id = ?4",
            params![to.as_str(), ctx.actor.user_id, ctx.now_text(), id],
        )?;
        let posted = get_in(tx, id)?;
        documents::issue_in(tx, ctx, id, None, sheet_data(ctx, &posted))?;
        let out = get_in(tx, id)?;
        audit::record(tx, ctx, "stocktakes", id, Action::Update, &out)?;
        Ok(out)
    })
}

/// Refuses a submitted count (it must say why); the stock is left as it is and the location
/// may be counted again with a new stocktake.
pub fn reject(desk: &mut Desk, id: &str, rev: i64, comment: &str) -> Result<Stocktake> {
    desk.require(Permission::ApproveStocktakes)?;
    let mut issues = Issues::default();
    let comment = issues.text("comment", comment, true, 200);
    issues.finish()?;
    desk.write(Permission::ApproveStocktakes, |tx, ctx| {
        let s = get_in(tx, id)?;
        check_rev(&s, rev)?;
        let to = transition(s.state, "reject")?;
        check_not_counter(tx, ctx, &s)?;
        tx.execute(
            "UPDATE stocktakes SET state = ?1, decided_by = ?2, decided_at = ?3, comment = ?4, updated_at = ?3, updated_by = ?2,
                                   rev = rev + 1
             WHERE id = ?5",
            params![to.as_str(), ctx.actor.user_id, ctx.now_text(), comment, id],
        )?;
        let out = get_in(tx, id)?;
        audit::record(tx, ctx, "stocktakes", id, Action::Update, &out)?;
        Ok(out)
    })
}
