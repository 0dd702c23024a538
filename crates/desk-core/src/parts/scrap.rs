//! Scrap requests (配件报废申请单) and their disposal (报废处置记录). Anyone who may ask for
//! parts asks to scrap damaged or unusable ones, with the reason and photos; the reviewing
//! department (a warehouse keeper or supervisor) reviews, then a supervisor or admin gives the
//! final approval — three different people: nobody approves their own request
//! (`self_approval`), and the reviewer does not also approve (`validation` with the rule
//! `same_approver` on the field `approve`, params `step: review`). On approval the parts leave
//! their location (`scrap_out`) and are kept in the site's scrap-holding location
//! (`scrap_in`; 报废暂存区, created on first use) until a disposal destroys a batch of them
//! in front of a witness (`dispose`). The request is printed when made and again, as the next
//! revision, when the chain ends (approved or refused); the disposal has its own record.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::stocktake::{documents_of, local_time, user_name};
use super::{
    check_serials, get_location_in, get_part_in, on_hand, post, LocationKind, MovementKind, Posting,
};
use crate::audit::{self, Action};
use crate::documents::{self, Document, FormCode};
use crate::error::{Error, FieldIssue, Result, Rule};
use crate::forms::{self, FormData};
use crate::users::Permission;
use crate::validate::Issues;
use crate::{new_id, Ctx, Desk};

/// Photos per request: enough to show the damage from every side.
pub const MAX_PHOTOS: usize = 12;
/// A phone photo is 2–6 MB; anything much larger is not a photo of a part.
pub const MAX_PHOTO_BYTES: usize = 15 * 1024 * 1024;

text_enum!(ScrapState {
    /// Waiting for the reviewing department.
    Submitted = "submitted",
    /// Reviewed, waiting for the final approval.
    Reviewed = "reviewed",
    /// Approved: the parts are held in the scrap location.
    Approved = "approved",
    Rejected = "rejected",
    /// The held parts were destroyed.
    Disposed = "disposed",
});

/// The approval chain: review, then approval, each deciding once; a refusal at either step
/// ends the request; only approved scrap is disposed of.
fn transition(from: ScrapState, event: &'static str) -> Result<ScrapState> {
    use ScrapState as S;
    match (from, event) {
        (S::Submitted, "review") => Ok(S::Reviewed),
        (S::Submitted, "reject_review") => Ok(S::Rejected),
        (S::Reviewed, "approve") => Ok(S::Approved),
        (S::Reviewed, "reject_approval") => Ok(S::Rejected),
        (S::Approved, "dispose") => Ok(S::Disposed),
        _ => Err(Error::InvalidTransition {
            from: from.as_str(),
            event,
        }),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScrapLine {
    pub part_id: String,
    pub code: String,
    pub name: String,
    pub model: String,
    pub unit: String,
    pub qty: i64,
    pub serials: Vec<String>,
    pub price_fen: i64,
    pub serial_tracked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScrapPhoto {
    pub id: String,
    pub file_name: String,
    pub size: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Scrap {
    pub id: String,
    pub location_id: String,
    pub location_name: String,
    pub state: ScrapState,
    pub reason: String,
    pub applicant_id: String,
    pub applicant_name: String,
    pub reviewed_by: Option<String>,
    pub reviewed_by_name: Option<String>,
    pub reviewed_at: Option<String>,
    pub review_comment: String,
    pub approved_by: Option<String>,
    pub approved_by_name: Option<String>,
    pub approved_at: Option<String>,
    pub approval_comment: String,
    /// Where the approved parts are held until disposal.
    pub scrap_location_id: Option<String>,
    pub disposal_id: Option<String>,
    pub lines: Vec<ScrapLine>,
    pub photos: Vec<ScrapPhoto>,
    /// The request form, every revision, newest first.
    pub documents: Vec<Document>,
    pub created_at: String,
    pub rev: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScrapLineInput {
    pub part_id: String,
    pub qty: i64,
    /// One per unit for a serial-tracked part; none otherwise.
    #[serde(default)]
    pub serials: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScrapPhotoInput {
    pub file_name: String,
    /// PNG or JPEG, told by the bytes.
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScrapInput {
    pub location_id: String,
    pub lines: Vec<ScrapLineInput>,
    pub reason: String,
    #[serde(default)]
    pub photos: Vec<ScrapPhotoInput>,
}

fn get_in(conn: &Connection, id: &str) -> Result<Scrap> {
    let mut s = conn
        .query_row(
            "SELECT s.id, s.location_id, l.name, s.state, s.reason, s.applicant_id, coalesce(a.display_name, s.applicant_id),
                    s.reviewed_by, r.display_name, s.reviewed_at, s.review_comment,
                    s.approved_by, p.display_name, s.approved_at, s.approval_comment,
                    s.scrap_location_id, s.disposal_id, s.created_at, s.rev
             FROM scrap_requests s JOIN stock_locations l ON l.id = s.location_id
             LEFT JOIN users a ON a.id = s.applicant_id LEFT JOIN users r ON r.id = s.reviewed_by
             LEFT JOIN users p ON p.id = s.approved_by
             WHERE s.id = ?1",
            [id],
            |r| {
                Ok(Scrap {
                    id: r.get(0)?,
                    location_id: r.get(1)?,
                    location_name: r.get(2)?,
                    state: ScrapState::parse(&r.get::<_, String>(3)?).unwrap_or(ScrapState::Submitted),
                    reason: r.get(4)?,
                    applicant_id: r.get(5)?,
                    applicant_name: r.get(6)?,
                    reviewed_by: r.get(7)?,
                    reviewed_by_name: r.get(8)?,
                    reviewed_at: r.get(9)?,
                    review_comment: r.get(10)?,
                    approved_by: r.get(11)?,
                    approved_by_name: r.get(12)?,
                    approved_at: r.get(13)?,
                    approval_comment: r.get(14)?,
                    scrap_location_id: r.get(15)?,
                    disposal_id: r.get(16)?,
                    lines: Vec::new(),
                    photos: Vec::new(),
                    documents: Vec::new(),
                    created_at: r.get(17)?,
                    rev: r.get(18)?,
                })
            },
        )
        .optional()?
        .ok_or_else(|| Error::NotFound {
            entity: "scrap_request",
            id: id.to_owned(),
        })?;
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.code, p.name, p.model, p.unit, x.qty, x.serials, p.price_fen, p.serial_tracked
         FROM scrap_lines x JOIN parts p ON p.id = x.part_id WHERE x.scrap_id = ?1 ORDER BY x.position",
    )?;
    s.lines = stmt
        .query_map([id], |r| {
            Ok(ScrapLine {
                part_id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                model: r.get(3)?,
                unit: r.get(4)?,
                qty: r.get(5)?,
                serials: serde_json::from_str(&r.get::<_, String>(6)?).unwrap_or_default(),
                price_fen: r.get(7)?,
                serial_tracked: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, file_name, length(bytes) FROM scrap_photos WHERE scrap_id = ?1 ORDER BY position",
    )?;
    s.photos = stmt
        .query_map([id], |r| {
            Ok(ScrapPhoto {
                id: r.get(0)?,
                file_name: r.get(1)?,
                size: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    s.documents = documents_of(conn, id)?;
    Ok(s)
}

pub fn get(desk: &Desk, id: &str) -> Result<Scrap> {
    desk.require(Permission::ViewArchive)?;
    get_in(desk.conn(), id)
}

/// Scrap requests, newest first; `state` narrows to an inbox (awaiting review, awaiting
/// approval, held for disposal).
pub fn list(desk: &Desk, state: Option<ScrapState>) -> Result<Vec<Scrap>> {
    desk.require(Permission::ViewArchive)?;
    let mut stmt = desk.conn().prepare_cached(
        "SELECT id FROM scrap_requests WHERE (?1 IS NULL OR state = ?1) ORDER BY created_at DESC LIMIT 200",
    )?;
    let ids: Vec<String> = stmt
        .query_map(params![state.map(|s| s.as_str())], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.iter().map(|i| get_in(desk.conn(), i)).collect()
}

/// The bytes of a photo attached to a scrap request, for viewing.
pub fn photo_bytes(desk: &Desk, photo_id: &str) -> Result<Vec<u8>> {
    desk.require(Permission::ViewArchive)?;
    desk.conn()
        .query_row(
            "SELECT bytes FROM scrap_photos WHERE id = ?1",
            [photo_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| Error::NotFound {
            entity: "scrap_photo",
            id: photo_id.to_owned(),
        })
}

fn request_data(ctx: &Ctx, s: &Scrap) -> FormData {
    let lines: Vec<forms::StockLine> = s
        .lines
        .iter()
        .map(|l| forms::StockLine {
            code: l.code.clone(),
            name: l.name.clone(),
            model: l.model.clone(),
            unit: l.unit.clone(),
            qty: l.qty,
            serials: l.serials.clone(),
            unit_price_fen: l.price_fen,
            amount_fen: l.qty.saturating_mul(l.price_fen),
        })
        .collect();
    let at = |t: &Option<String>| t.as_deref().map(|t| local_time(ctx, t)).unwrap_or_default();
    // Refused at review: the review says no and there is no approval step.
    let refused_at_review = s.state == ScrapState::Rejected && s.approved_at.is_none();
    let review_decision = match (&s.reviewed_at, refused_at_review) {
        (None, _) => "",
        (Some(_), true) => "不同意",
        (Some(_), false) => "同意",
    };
    let approval_decision = match (&s.approved_at, s.state) {
        (None, _) => "",
        (Some(_), ScrapState::Rejected) => "不同意",
        (Some(_), _) => "同意",
    };
    FormData::ScrapRequest(forms::ScrapRequest {
        header: forms::Header::default(),
        location: s.location_name.clone(),
        total_fen: lines.iter().map(|l| l.amount_fen).sum(),
        lines,
        reason: s.reason.clone(),
        photos: s.photos.len() as i64,
        applicant: s.applicant_name.clone(),
        approvals: vec![
            forms::ApprovalLine {
                role: "申请人".into(),
                name: s.applicant_name.clone(),
                at: local_time(ctx, &s.created_at),
                decision: "申请报废".into(),
                comment: String::new(),
            },
            forms::ApprovalLine {
                role: "审核部门".into(),
                name: s.reviewed_by_name.clone().unwrap_or_default(),
                at: at(&s.reviewed_at),
                decision: review_decision.into(),
                comment: s.review_comment.clone(),
            },
            forms::ApprovalLine {
                role: "批准人".into(),
                name: s.approved_by_name.clone().unwrap_or_default(),
                at: at(&s.approved_at),
                decision: approval_decision.into(),
                comment: s.approval_comment.clone(),
            },
        ],
    })
}

fn check_photo(issues: &mut Issues, i: usize, p: &ScrapPhotoInput) -> String {
    let name = issues.text(&format!("photos.{i}.fileName"), &p.file_name, true, 200);
    let field = format!("photos.{i}.bytes");
    if p.bytes.len() > MAX_PHOTO_BYTES {
        issues.push(
            FieldIssue::new(field, Rule::TooLarge)
                .with("limit", "bytes")
                .with("max", MAX_PHOTO_BYTES),
        );
    } else if p.bytes.is_empty() {
        issues.add(&field, Rule::Required);
    } else if !matches!(
        crate::scan::detect(&p.bytes),
        Ok(crate::scan::ScanFormat::Png | crate::scan::ScanFormat::Jpeg)
    ) {
        // A photo is an image; a PDF or anything else is not shown as one.
        issues.add(&field, Rule::UnsupportedFile);
    }
    name
}

/// Asks to scrap parts held at a store location, with the reason and photos. The parts must
/// be there now (`insufficient_stock`, `serial_unavailable`); they stay in stock until the
/// final approval, which checks again. The request form is issued at once.
pub fn request(desk: &mut Desk, input: ScrapInput) -> Result<Scrap> {
    // Every role that manages stock may also ask for parts, so this covers both.
    desk.require(Permission::RequestParts)?;
    let mut issues = Issues::default();
    let reason = issues.text("reason", &input.reason, true, 500);
    if input.lines.is_empty() {
        issues.add("lines", Rule::Required);
    }
    let mut serials = Vec::with_capacity(input.lines.len());
    for (i, l) in input.lines.iter().enumerate() {
        issues.range(&format!("lines.{i}.qty"), l.qty, 1, 10_000);
        serials.push(check_serials(
            &mut issues,
            &format!("lines.{i}.serials"),
            &l.serials,
        ));
        if input.lines[..i].iter().any(|o| o.part_id == l.part_id) {
            issues.add(&format!("lines.{i}.partId"), Rule::Duplicate);
        }
    }
    if input.photos.len() > MAX_PHOTOS {
        issues.push(
            FieldIssue::new("photos", Rule::OutOfRange)
                .with("min", 0)
                .with("max", MAX_PHOTOS),
        );
    }
    let names: Vec<String> = input
        .photos
        .iter()
        .enumerate()
        .map(|(i, p)| check_photo(&mut issues, i, p))
        .collect();
    issues.finish()?;
    let id = desk.write(Permission::RequestParts, |tx, ctx| {
        let mut issues = Issues::default();
        let store = matches!(get_location_in(tx, &input.location_id), Ok(l) if l.kind == LocationKind::Store);
        if !store {
            issues.add("locationId", Rule::UnknownReference);
        }
        for (i, (l, serials)) in input.lines.iter().zip(&serials).enumerate() {
            let Ok(part) = get_part_in(tx, &l.part_id) else {
                issues.add(&format!("lines.{i}.partId"), Rule::UnknownReference);
                continue;
            };
            let expected = if part.serial_tracked { l.qty } else { 0 };
            if serials.len() as i64 != expected {
                issues.push(
                    FieldIssue::new(format!("lines.{i}.serials"), Rule::SerialCount)
                        .with("expected", expected),
                );
            }
            if !store {
                continue;
            }
            // Checked now so that an impossible request is never made; checked again (by the
            // ledger) when approved, since stock may move in between.
            let available = on_hand(tx, &l.part_id, Some(&input.location_id))?;
            if available < l.qty {
                issues.push(
                    FieldIssue::new(format!("lines.{i}.qty"), Rule::InsufficientStock)
                        .with("available", available)
                        .with("requested", l.qty)
                        .with("part", &part.name),
                );
            }
            for serial in serials {
                let here: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM part_serials WHERE part_id = ?1 AND serial = ?2 AND status = 'in_stock'
                                    AND location_id = ?3)",
                    params![l.part_id, serial, input.location_id],
                    |r| r.get(0),
                )?;
                if !here {
                    issues.push(
                        FieldIssue::new(format!("lines.{i}.serials"), Rule::SerialUnavailable)
                            .with("serial", serial),
                    );
                }
            }
        }
        issues.finish()?;
        let id = new_id();
        tx.execute(
            "INSERT INTO scrap_requests (id, site_id, location_id, state, reason, applicant_id, created_at, updated_at,
                                         created_by, updated_by)
             VALUES (?1, ?2, ?3, 'submitted', ?4, ?5, ?6, ?6, ?5, ?5)",
            params![id, ctx.actor.site_id, input.location_id, reason, ctx.actor.user_id, ctx.now_text()],
        )?;
        for (i, (l, serials)) in input.lines.iter().zip(&serials).enumerate() {
            tx.execute(
                "INSERT INTO scrap_lines (scrap_id, position, part_id, qty, serials) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, i as i64, l.part_id, l.qty, serde_json::to_string(serials).expect("strings serialise")],
            )?;
        }
        for (i, (p, name)) in input.photos.iter().zip(&names).enumerate() {
            tx.execute(
                "INSERT INTO scrap_photos (id, scrap_id, position, file_name, bytes) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![new_id(), id, i as i64, name, p.bytes],
            )?;
        }
        let s = get_in(tx, &id)?;
        documents::issue_in(tx, ctx, &id, None, request_data(ctx, &s))?;
        // The log carries the photos' names and sizes; the bytes stay in their table.
        audit::record(tx, ctx, "scrap_requests", &id, Action::Insert, &s)?;
        Ok(id)
    })?;
    get(desk, &id)
}

fn check_rev(s: &Scrap, rev: i64) -> Result<()> {
    if s.rev != rev {
        return Err(Error::Conflict {
            entity: "scrap_request",
            id: s.id.clone(),
            expected: rev,
        });
    }
    Ok(())
}

/// The decision's comment: a refusal must say why, an approval may.
fn check_comment(approve: bool, comment: &str) -> Result<String> {
    let mut issues = Issues::default();
    let comment = issues.text("comment", comment, !approve, 200);
    issues.finish()?;
    Ok(comment)
}

/// The reviewing department's step (a warehouse keeper, supervisor or admin who is not the
/// applicant). A refusal ends the request and issues its form again with the refusal.
pub fn review(desk: &mut Desk, id: &str, rev: i64, approve: bool, comment: &str) -> Result<Scrap> {
    desk.require(Permission::ReviewScrap)?;
    let comment = check_comment(approve, comment)?;
    desk.write(Permission::ReviewScrap, |tx, ctx| {
        let s = get_in(tx, id)?;
        check_rev(&s, rev)?;
        let to = transition(s.state, if approve { "review" } else { "reject_review" })?;
        if s.applicant_id == ctx.actor.user_id {
            return Err(Error::SelfApproval {
                what: "scrap_request",
            });
        }
        tx.execute(
            "UPDATE scrap_requests SET state = ?1, reviewed_by = ?2, reviewed_at = ?3, review_comment = ?4, updated_at = ?3,
                                       updated_by = ?2, rev = rev + 1
             WHERE id = ?5",
            params![to.as_str(), ctx.actor.user_id, ctx.now_text(), comment, id],
        )?;
        let decided = get_in(tx, id)?;
        if to == ScrapState::Rejected {
            documents::issue_in(tx, ctx, id, None, request_data(ctx, &decided))?;
        }
        let out = get_in(tx, id)?;
        audit::record(tx, ctx, "scrap_requests", id, Action::Update, &out)?;
        Ok(out)
    })
}

/// The site's scrap-holding location; 报废暂存区 (code SCRAP) is created on first use.
fn scrap_location(tx: &Connection, ctx: &Ctx) -> Result<String> {
    let found: Option<String> = tx
        .query_row(
            "SELECT id FROM stock_locations WHERE site_id = ?1 AND kind = 'scrap' AND active = 1 ORDER BY code LIMIT 1",
            [&ctx.actor.site_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    // A store (or a retired scrap location) may already use the code.
    let mut code = "SCRAP".to_owned();
    let mut n = 1;
    while tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM stock_locations WHERE site_id = ?1 AND code = ?2)",
        params![ctx.actor.site_id, code],
        |r| r.get::<_, bool>(0),
    )? {
        n += 1;
        code = format!("SCRAP{n}");
    }
    let id = new_id();
    tx.execute(
        "INSERT INTO stock_locations (id, site_id, code, name, kind, created_at, updated_at, created_by, updated_by)
         VALUES (?1, ?2, ?3, '报废暂存区', 'scrap', ?4, ?4, ?5, ?5)",
        params![id, ctx.actor.site_id, code, ctx.now_text(), ctx.actor.user_id],
    )?;
    let loc = get_location_in(tx, &id)?;
    audit::record(tx, ctx, "stock_locations", &id, Action::Insert, &loc)?;
    Ok(id)
}

/// The final approval (a supervisor or admin who is neither the applicant nor the reviewer).
/// Approved, the parts move from their location into the scrap-holding location, where they
/// are kept until disposal; approved or refused, the form is issued again with the chain.
pub fn approve(desk: &mut Desk, id: &str, rev: i64, approve: bool, comment: &str) -> Result<Scrap> {
    desk.require(Permission::ApproveScrap)?;
    let comment = check_comment(approve, comment)?;
    desk.write(Permission::ApproveScrap, |tx, ctx| {
        let s = get_in(tx, id)?;
        check_rev(&s, rev)?;
        let to = transition(
            s.state,
            if approve { "approve" } else { "reject_approval" },
        )?;
        if s.applicant_id == ctx.actor.user_id {
            return Err(Error::SelfApproval {
                what: "scrap_request",
            });
        }
        if s.reviewed_by.as_deref() == Some(ctx.actor.user_id.as_str()) {
            // Not a matter of role (the same person may review one request and approve
            // another): the second signature must be a second person's.
            return Err(Error::Validation(vec![FieldIssue::new(
                "approve",
                Rule::SameApprover,
            )
            .with("step", "review")]));
        }
        let mut held = None;
        if approve {
            let scrap_id = scrap_location(tx, ctx)?;
            for (i, l) in s.lines.iter().enumerate() {
                let field = format!("lines.{i}.qty");
                for (location, qty, kind) in [
                    (&s.location_id, -l.qty, MovementKind::ScrapOut),
                    (&scrap_id, l.qty, MovementKind::ScrapIn),
                ] {
                    post(
                        tx,
                        ctx,
                        &Posting {
                            part_id: &l.part_id,
                            location_id: location,
                            qty,
                            kind,
                            ref_id: Some(id),
                            serials: &l.serials,
                            note: &s.reason,
                            field: &field,
                        },
                    )?;
                }
            }
            held = Some(scrap_id);
        }
        tx.execute(
            "UPDATE scrap_requests SET state = ?1, approved_by = ?2, approved_at = ?3, approval_comment = ?4,
                                       scrap_location_id = ?5, updated_at = ?3, updated_by = ?2, rev = rev + 1
             WHERE id = ?6",
            params![to.as_str(), ctx.actor.user_id, ctx.now_text(), comment, held, id],
        )?;
        let decided = get_in(tx, id)?;
        documents::issue_in(tx, ctx, id, None, request_data(ctx, &decided))?;
        let out = get_in(tx, id)?;
        audit::record(tx, ctx, "scrap_requests", id, Action::Update, &out)?;
        Ok(out)
    })
}

// ---------------------------------------------------------------- disposal

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DisposalInput {
    /// Approved scrap requests whose held parts are destroyed together.
    pub scrap_ids: Vec<String>,
    pub batch: String,
    /// 拆解、破碎、交回收商…
    pub method: String,
    /// Who watched the parts being destroyed, by name.
    pub witness: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Disposal {
    pub id: String,
    pub location_id: String,
    pub location_name: String,
    pub batch: String,
    pub method: String,
    pub witness: String,
    pub disposed_by_name: String,
    pub at: String,
    pub scrap_ids: Vec<String>,
    /// The disposal record (报废处置记录).
    pub documents: Vec<Document>,
}

fn get_disposal_in(conn: &Connection, id: &str) -> Result<Disposal> {
    let mut d = conn
        .query_row(
            "SELECT d.id, d.location_id, l.name, d.batch, d.method, d.witness, coalesce(u.display_name, d.disposed_by), d.at
             FROM disposals d JOIN stock_locations l ON l.id = d.location_id LEFT JOIN users u ON u.id = d.disposed_by
             WHERE d.id = ?1",
            [id],
            |r| {
                Ok(Disposal {
                    id: r.get(0)?,
                    location_id: r.get(1)?,
                    location_name: r.get(2)?,
                    batch: r.get(3)?,
                    method: r.get(4)?,
                    witness: r.get(5)?,
                    disposed_by_name: r.get(6)?,
                    at: r.get(7)?,
                    scrap_ids: Vec::new(),
                    documents: Vec::new(),
                })
            },
        )
        .optional()?
        .ok_or_else(|| Error::NotFound {
            entity: "disposal",
            id: id.to_owned(),
        })?;
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM scrap_requests WHERE disposal_id = ?1 ORDER BY created_at",
    )?;
    d.scrap_ids = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    d.documents = documents_of(conn, id)?;
    Ok(d)
}

pub fn get_disposal(desk: &Desk, id: &str) -> Result<Disposal> {
    desk.require(Permission::ViewArchive)?;
    get_disposal_in(desk.conn(), id)
}

/// Destroys the held scrap of approved requests in one batch, before a named witness: every
/// part leaves the scrap location (`dispose`), the requests are marked disposed, and the
/// disposal record is issued listing the requests' numbers. A request not approved (or
/// already disposed of) refuses the whole batch (`invalid_transition`).
pub fn dispose(desk: &mut Desk, input: DisposalInput) -> Result<Disposal> {
    desk.require(Permission::ManageStock)?;
    let mut issues = Issues::default();
    if input.scrap_ids.is_empty() {
        issues.add("scrapIds", Rule::Required);
    }
    for (i, s) in input.scrap_ids.iter().enumerate() {
        if input.scrap_ids[..i].contains(s) {
            issues.add(&format!("scrapIds.{i}"), Rule::Duplicate);
        }
    }
    let batch = issues.text("batch", &input.batch, true, 40);
    let method = issues.text("method", &input.method, true, 60);
    let witness = issues.text("witness", &input.witness, true, 40);
    issues.finish()?;
    let id = desk.write(Permission::ManageStock, |tx, ctx| {
        let id = new_id();
        let mut requests = Vec::with_capacity(input.scrap_ids.len());
        for scrap_id in &input.scrap_ids {
            let s = get_in(tx, scrap_id)?;
            transition(s.state, "dispose")?;
            requests.push(s);
        }
        let mut held_at: Vec<String> = Vec::new();
        let mut lines: Vec<forms::StockLine> = Vec::new();
        let mut numbers = Vec::new();
        for (i, s) in requests.iter().enumerate() {
            let location = s
                .scrap_location_id
                .clone()
                .ok_or_else(|| Error::Corrupt(format!("approved scrap request {} has no scrap location", s.id)))?;
            for l in &s.lines {
                post(
                    tx,
                    ctx,
                    &Posting {
                        part_id: &l.part_id,
                        location_id: &location,
                        qty: -l.qty,
                        kind: MovementKind::Dispose,
                        ref_id: Some(&s.id),
                        serials: &l.serials,
                        note: &batch,
                        field: &format!("scrapIds.{i}"),
                    },
                )?;
                // One line per part on the record, whichever requests it came from.
                match lines.iter_mut().find(|x| x.code == l.code) {
                    Some(x) => {
                        x.qty += l.qty;
                        x.serials.extend(l.serials.iter().cloned());
                        x.amount_fen = x.qty.saturating_mul(x.unit_price_fen);
                    }
                    None => lines.push(forms::StockLine {
                        code: l.code.clone(),
                        name: l.name.clone(),
                        model: l.model.clone(),
                        unit: l.unit.clone(),
                        qty: l.qty,
                        serials: l.serials.clone(),
                        unit_price_fen: l.price_fen,
                        amount_fen: l.qty.saturating_mul(l.price_fen),
                    }),
                }
            }
            if !held_at.contains(&location) {
                held_at.push(location);
            }
            if let Some((doc, _)) = documents::current_in(tx, &s.id, FormCode::ScrapRequest)? {
                numbers.push(doc.number);
            }
        }
        lines.sort_by(|a, b| a.code.cmp(&b.code));
        tx.execute(
            "INSERT INTO disposals (id, site_id, location_id, batch, method, witness, disposed_by, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![id, ctx.actor.site_id, held_at[0], batch, method, witness, ctx.actor.user_id, ctx.now_text()],
        )?;
        for s in &requests {
            tx.execute(
                "UPDATE scrap_requests SET state = 'disposed', disposal_id = ?1, updated_at = ?2, updated_by = ?3, rev = rev + 1
                 WHERE id = ?4",
                params![id, ctx.now_text(), ctx.actor.user_id, s.id],
            )?;
            audit::record(tx, ctx, "scrap_requests", &s.id, Action::Update, &get_in(tx, &s.id)?)?;
        }
        let location_names = held_at
            .iter()
            .map(|l| get_location_in(tx, l).map(|l| l.name))
            .collect::<Result<Vec<_>>>()?
            .join("、");
        let data = FormData::DisposalRecord(forms::DisposalRecord {
            header: forms::Header::default(),
            batch: batch.clone(),
            method: method.clone(),
            location: location_names,
            total_fen: lines.iter().map(|l| l.amount_fen).sum(),
            lines,
            scrap_numbers: numbers,
            disposed_by: user_name(tx, &ctx.actor.user_id)?,
            witness: witness.clone(),
        });
        documents::issue_in(tx, ctx, &id, None, data)?;
        let d = get_disposal_in(tx, &id)?;
        audit::record(tx, ctx, "disposals", &id, Action::Insert, &d)?;
        Ok(id)
    })?;
    get_disposal(desk, &id)
}
