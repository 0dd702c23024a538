//! Complaints (投诉): registration against a customer (and a unit or work order), the eight
//! recorded steps of the closed loop, first responses, pauses while waiting for the customer,
//! hand-overs, reopening, attachments and the two complaint forms. The clocks, the board and
//! the escalation sweep live in [`sla`]; the figures in [`kpi`].
//!
//! The eight steps are one state machine ([`transition`]): record → judge validity (accept or
//! reject as invalid with an explained reply) → assign the responsible department →
//! investigate → propose a solution → tell the customer and carry it out → decide
//! responsibility → summarise and close. A complaint closes only with the customer's reaction
//! to the solution on record, which SQL checks too.

pub mod kpi;
pub mod sla;

use chrono::{DateTime, Datelike, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::audit::{self, Action};
use crate::customers::{self, CustomerInput};
use crate::documents::{self, Document, FormCode};
use crate::error::{Error, FieldIssue, Result, Rule};
use crate::forms::{self, ComplaintParty, ComplaintStepLine, FormData};
use crate::users::{Permission, Role};
use crate::validate::{Issues, PhoneKinds};
use crate::work_orders::{person, Channel, Person};
use crate::{new_id, Ctx, Desk};

pub use sla::{ClockKind, ClockState, ClockView};

text_enum!(
    /// 产品质量 / 服务 / 建议与意见.
    ComplaintKind {
        ProductQuality = "product_quality",
        Service = "service",
        Proposal = "proposal",
    }
);

text_enum!(
    /// Who handles a complaint of a level: 1 minor → customer service team, 2 medium →
    /// technical team, 3 serious → management coordinates, 4 urgent → emergency response.
    HandlingGroup {
        CustomerService = "customer_service",
        Technical = "technical",
        Management = "management",
        Emergency = "emergency",
    }
);

text_enum!(
    /// The responsible department a complaint is assigned to (contract dispute → senior
    /// management, transport → logistics, quality → quality department…).
    Department {
        CustomerService = "customer_service",
        Technical = "technical",
        Quality = "quality",
        Logistics = "logistics",
        Sales = "sales",
        SeniorManagement = "senior_management",
    }
);

text_enum!(
    /// The last step recorded. `Invalid` is a complaint judged invalid, replied to and closed.
    Stage {
        Recorded = "recorded",
        Accepted = "accepted",
        Assigned = "assigned",
        Investigated = "investigated",
        Proposed = "proposed",
        CarriedOut = "carried_out",
        ResponsibilityDecided = "responsibility_decided",
        Closed = "closed",
        Invalid = "invalid",
    }
);

text_enum!(
    /// The steps that move a complaint through its stages.
    Step {
        /// Judged valid (受理).
        Accept = "accept",
        /// Judged invalid: the content is the explained reply; the complaint closes.
        Reject = "reject",
        Assign = "assign",
        Investigate = "investigate",
        Propose = "propose",
        CarryOut = "carry_out",
        DecideResponsibility = "decide_responsibility",
        Close = "close",
        Reopen = "reopen",
    }
);

text_enum!(
    /// The customer's reaction to the solution.
    Reaction {
        Satisfied = "satisfied",
        Accepted = "accepted",
        Dissatisfied = "dissatisfied",
    }
);

impl Stage {
    pub fn is_closed(self) -> bool {
        matches!(self, Stage::Closed | Stage::Invalid)
    }
}

pub fn group_for(level: i64) -> HandlingGroup {
    match level {
        ..=1 => HandlingGroup::CustomerService,
        2 => HandlingGroup::Technical,
        3 => HandlingGroup::Management,
        _ => HandlingGroup::Emergency,
    }
}

/// The eight steps in order. A department may be reassigned while investigating; a new
/// solution may be proposed after one was carried out and the customer was not satisfied; a
/// closed complaint may be reopened (back to its department), and one judged invalid may be
/// reopened to be judged again.
pub fn transition(from: Stage, step: Step) -> Result<Stage> {
    use Stage as S;
    use Step as T;
    let to = match (from, step) {
        (S::Recorded, T::Accept) => Some(S::Accepted),
        (S::Recorded, T::Reject) => Some(S::Invalid),
        (S::Accepted | S::Assigned | S::Investigated, T::Assign) => Some(S::Assigned),
        (S::Assigned, T::Investigate) => Some(S::Investigated),
        (S::Investigated | S::CarriedOut, T::Propose) => Some(S::Proposed),
        (S::Proposed, T::CarryOut) => Some(S::CarriedOut),
        (S::CarriedOut, T::DecideResponsibility) => Some(S::ResponsibilityDecided),
        (S::ResponsibilityDecided, T::Close) => Some(S::Closed),
        (S::Closed, T::Reopen) => Some(S::Assigned),
        (S::Invalid, T::Reopen) => Some(S::Recorded),
        _ => None,
    };
    to.ok_or(Error::InvalidTransition {
        from: from.as_str(),
        event: step.as_str(),
    })
}

pub fn allowed_steps(stage: Stage) -> Vec<Step> {
    Step::ALL
        .iter()
        .copied()
        .filter(|s| transition(stage, *s).is_ok())
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Complaint {
    pub id: String,
    pub site_id: String,
    pub number: String,
    pub kind: ComplaintKind,
    pub level: i64,
    pub group: HandlingGroup,
    pub channel: Channel,
    pub stage: Stage,
    pub customer_id: String,
    pub unit_id: Option<String>,
    pub work_order_id: Option<String>,
    pub complainant: String,
    pub phone: String,
    pub object: String,
    pub content: String,
    pub demand: String,
    pub owner_id: String,
    pub department: Option<Department>,
    pub received_at: String,
    pub paused_since: Option<String>,
    pub pause_reason: String,
    pub reaction: Option<Reaction>,
    pub feedback: String,
    pub reopen_count: i64,
    pub closed_at: Option<String>,
    pub rev: i64,
    pub created_at: String,
    pub updated_at: String,
    /// The first receiver, who registered it (the owner may have changed since).
    pub created_by: String,
}

const COLUMNS: &str = "c.id, c.site_id, c.number, c.kind, c.level, c.channel, c.stage, c.customer_id, c.unit_id,
     c.work_order_id, c.complainant, c.phone, c.object, c.content, c.demand, c.owner_id, c.department,
     c.received_at, c.paused_since, c.pause_reason, c.reaction, c.feedback, c.reopen_count, c.closed_at,
     c.rev, c.created_at, c.updated_at, c.created_by";

pub(super) fn bad(what: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("unknown {what} {value:?}").into(),
    )
}

fn from_row(r: &Row) -> rusqlite::Result<Complaint> {
    let text = |i: usize| r.get::<_, String>(i);
    let kind = text(3)?;
    let channel = text(5)?;
    let stage = text(6)?;
    let level: i64 = r.get(4)?;
    Ok(Complaint {
        id: text(0)?,
        site_id: text(1)?,
        number: text(2)?,
        kind: ComplaintKind::parse(&kind).ok_or_else(|| bad("kind", &kind))?,
        level,
        group: group_for(level),
        channel: Channel::parse(&channel).ok_or_else(|| bad("channel", &channel))?,
        stage: Stage::parse(&stage).ok_or_else(|| bad("stage", &stage))?,
        customer_id: text(7)?,
        unit_id: r.get(8)?,
        work_order_id: r.get(9)?,
        complainant: text(10)?,
        phone: text(11)?,
        object: text(12)?,
        content: text(13)?,
        demand: text(14)?,
        owner_id: text(15)?,
        department: r
            .get::<_, Option<String>>(16)?
            .and_then(|d| Department::parse(&d)),
        received_at: text(17)?,
        paused_since: r.get(18)?,
        pause_reason: text(19)?,
        reaction: r
            .get::<_, Option<String>>(20)?
            .and_then(|d| Reaction::parse(&d)),
        feedback: text(21)?,
        reopen_count: r.get(22)?,
        closed_at: r.get(23)?,
        rev: r.get(24)?,
        created_at: text(25)?,
        updated_at: text(26)?,
        created_by: text(27)?,
    })
}

pub(crate) fn get_in(conn: &Connection, id: &str) -> Result<Complaint> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM complaints c WHERE c.id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        entity: "complaint",
        id: id.to_owned(),
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ComplaintEvent {
    pub at: String,
    pub user_id: String,
    pub user_name: String,
    /// A [`Step`], or `registered`, `responded`, `paused`, `resumed`, `escalated`,
    /// `handed_over`, `attachment_added`, `document_issued`.
    pub event: String,
    pub from_stage: Stage,
    pub to_stage: Stage,
    pub content: String,
    /// What else the step carried (level, department, reaction, clock…), as recorded.
    #[ts(type = "Record<string, unknown>")]
    pub data: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Attachment {
    pub id: String,
    pub file_name: String,
    pub size: i64,
    pub added_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ComplaintDetail {
    pub complaint: Complaint,
    pub customer_name: String,
    pub unit_label: String,
    pub work_order_number: Option<String>,
    pub owner: Person,
    pub clocks: Vec<ClockView>,
    pub timeline: Vec<ComplaintEvent>,
    pub documents: Vec<Document>,
    pub attachments: Vec<Attachment>,
    /// The steps the state machine accepts now (for the UI to offer; it decides nothing).
    pub allowed: Vec<Step>,
    /// The instant the clock states were judged at: "due in 2 h" counts from here, not from
    /// the screen's own clock.
    pub at: String,
}

fn timeline_in(conn: &Connection, id: &str) -> Result<Vec<ComplaintEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.at, e.user_id, coalesce(u.display_name, e.user_id), e.event, e.from_stage, e.to_stage,
                e.content, e.data
         FROM complaint_events e LEFT JOIN users u ON u.id = e.user_id
         WHERE e.complaint_id = ?1 ORDER BY e.at, e.rowid",
    )?;
    let rows = stmt.query_map([id], |r| {
        let from: String = r.get(4)?;
        let to: String = r.get(5)?;
        let data: String = r.get(7)?;
        Ok(ComplaintEvent {
            at: r.get(0)?,
            user_id: r.get(1)?,
            user_name: r.get(2)?,
            event: r.get(3)?,
            from_stage: Stage::parse(&from).ok_or_else(|| bad("stage", &from))?,
            to_stage: Stage::parse(&to).ok_or_else(|| bad("stage", &to))?,
            content: r.get(6)?,
            data: serde_json::from_str(&data).unwrap_or(serde_json::Value::Null),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn attachments_in(conn: &Connection, id: &str) -> Result<Vec<Attachment>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, file_name, length(bytes), added_at FROM complaint_attachments
         WHERE complaint_id = ?1 ORDER BY added_at, rowid",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(Attachment {
            id: r.get(0)?,
            file_name: r.get(1)?,
            size: r.get(2)?,
            added_at: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn documents_in(conn: &Connection, id: &str) -> Result<Vec<Document>> {
    let mut out = Vec::new();
    for form in [FormCode::ComplaintRegistration, FormCode::ComplaintHandling] {
        out.extend(documents::list_for_subject_in(conn, id, form)?);
    }
    Ok(out)
}

/// `海尔 KFR-35GW · SN 12345`, or empty.
fn unit_label(conn: &Connection, unit_id: Option<&str>) -> Result<String> {
    let Some(u) = unit_id else {
        return Ok(String::new());
    };
    Ok(conn
        .query_row(
            "SELECT trim(m.brand || ' ' || m.model), u.serial FROM units u JOIN product_models m ON m.id = u.model_id
             WHERE u.id = ?1",
            [u],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?
        .map(|(model, serial)| {
            if serial.is_empty() {
                model
            } else {
                format!("{model} · SN {serial}")
            }
        })
        .unwrap_or_default())
}

pub(crate) fn detail_in(
    conn: &Connection,
    tz: chrono_tz::Tz,
    id: &str,
    now: DateTime<Utc>,
) -> Result<ComplaintDetail> {
    let complaint = get_in(conn, id)?;
    let customer_name: String = conn.query_row(
        "SELECT name FROM customers WHERE id = ?1",
        [&complaint.customer_id],
        |r| r.get(0),
    )?;
    let work_order_number = match &complaint.work_order_id {
        Some(w) => conn
            .query_row("SELECT number FROM work_orders WHERE id = ?1", [w], |r| {
                r.get(0)
            })
            .optional()?,
        None => None,
    };
    Ok(ComplaintDetail {
        customer_name,
        unit_label: unit_label(conn, complaint.unit_id.as_deref())?,
        work_order_number,
        owner: person(conn, &complaint.owner_id)?,
        clocks: sla::clocks_in(conn, tz, &complaint, now)?,
        timeline: timeline_in(conn, id)?,
        documents: documents_in(conn, id)?,
        attachments: attachments_in(conn, id)?,
        allowed: allowed_steps(complaint.stage),
        complaint,
        at: crate::timestamp(now),
    })
}

pub fn get(desk: &Desk, id: &str) -> Result<ComplaintDetail> {
    desk.require(Permission::ViewArchive)?;
    detail_in(desk.conn(), desk.time_zone(), id, desk.now())
}

// ---------------------------------------------------------------- recording

#[allow(clippy::too_many_arguments)]
pub(super) fn log_event(
    tx: &Connection,
    ctx: &Ctx,
    id: &str,
    event: &str,
    from: Stage,
    to: Stage,
    content: &str,
    data: serde_json::Value,
) -> Result<()> {
    tx.execute(
        "INSERT INTO complaint_events (id, complaint_id, at, user_id, event, from_stage, to_stage, content, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![new_id(), id, ctx.now_text(), ctx.actor.user_id, event, from.as_str(), to.as_str(), content,
                data.to_string()],
    )?;
    Ok(())
}

/// Loads the complaint for a change, refusing a stale revision before anything else.
fn load_for_change(tx: &Connection, id: &str, rev: i64) -> Result<Complaint> {
    let c = get_in(tx, id)?;
    if c.rev != rev {
        return Err(Error::Conflict {
            entity: "complaint",
            id: id.to_owned(),
            expected: rev,
        });
    }
    Ok(c)
}

/// Bumps the revision (naming the one the change was made on) and logs the new row.
pub(super) fn touch(tx: &Connection, ctx: &Ctx, c: &Complaint) -> Result<Complaint> {
    let n = tx.execute(
        "UPDATE complaints SET rev = rev + 1, updated_at = ?1, updated_by = ?2 WHERE id = ?3 AND rev = ?4",
        params![ctx.now_text(), ctx.actor.user_id, c.id, c.rev],
    )?;
    if n == 0 {
        return Err(crate::stale_or_missing(
            tx,
            "complaints",
            "complaint",
            &c.id,
            c.rev,
        ));
    }
    let out = get_in(tx, &c.id)?;
    audit::record(tx, ctx, "complaints", &c.id, Action::Update, &out)?;
    Ok(out)
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RegisterInput {
    pub kind: ComplaintKind,
    /// 1 minor … 4 urgent.
    pub level: i64,
    pub channel: Channel,
    /// An archived customer, or `newCustomer` to create one on the spot (one of the two).
    pub customer_id: Option<String>,
    pub new_customer: Option<CustomerInput>,
    /// The customer's unit or work order the complaint is about, when there is one.
    pub unit_id: Option<String>,
    pub work_order_id: Option<String>,
    pub complainant: String,
    pub phone: String,
    /// What (or whom) the complaint is against, when it is not the unit or work order.
    pub object: String,
    pub content: String,
    /// What the customer asks for.
    pub demand: String,
}

/// Registers a complaint (step 1, 记录): the receiver becomes its owner (首问负责制), its three
/// clocks start from the SLA policy of its level, and the 顾客意见登记单 is issued. A new
/// customer is created in the same transaction: all of it is stored, or none.
pub fn register(desk: &mut Desk, input: RegisterInput) -> Result<ComplaintDetail> {
    register_as_of(desk, input, None)
}

pub(crate) fn register_as_of(
    desk: &mut Desk,
    input: RegisterInput,
    at: Option<DateTime<Utc>>,
) -> Result<ComplaintDetail> {
    desk.require(Permission::HandleComplaints)?;
    let mut issues = Issues::default();
    let content = issues.text("content", &input.content, true, 4000);
    let demand = issues.text("demand", &input.demand, false, 2000);
    let complainant = issues.text("complainant", &input.complainant, true, 60);
    let object = issues.text("object", &input.object, false, 200);
    let phone = if input.phone.trim().is_empty() {
        String::new()
    } else {
        issues.phone("phone", &input.phone, PhoneKinds { service: false })
    };
    issues.range("level", input.level, 1, 4);
    let existing = input.customer_id.as_deref().filter(|c| !c.is_empty());
    if existing.is_none() && input.new_customer.is_none() {
        issues.add("customerId", Rule::Required);
    }
    issues.finish()?;
    let calendar = sla::calendar_in(desk.conn(), desk.time_zone())?;
    let id = desk.write_as_of(Permission::HandleComplaints, at, |tx, ctx| {
        let customer_id = match existing {
            Some(c) => {
                customers::get_customer_in(tx, c)
                    .map_err(|_| Error::invalid("customerId", Rule::UnknownReference))?
                    .id
            }
            None => {
                let new = input.new_customer.as_ref().expect("checked above");
                customers::create_in(tx, ctx, new).map_err(|e| e.prefixed("newCustomer"))?
            }
        };
        let owned_by = |table: &str, id: &str| -> Result<bool> {
            let owner: Option<String> = tx
                .query_row(
                    &format!("SELECT customer_id FROM {table} WHERE id = ?1"),
                    [id],
                    |r| r.get(0),
                )
                .optional()?;
            Ok(owner.as_deref() == Some(customer_id.as_str()))
        };
        let unit_id = input.unit_id.as_deref().filter(|u| !u.is_empty());
        if let Some(u) = unit_id {
            if !owned_by("units", u)? {
                return Err(Error::invalid("unitId", Rule::UnknownReference));
            }
        }
        let work_order_id = input.work_order_id.as_deref().filter(|u| !u.is_empty());
        if let Some(w) = work_order_id {
            if !owned_by("work_orders", w)? {
                return Err(Error::invalid("workOrderId", Rule::UnknownReference));
            }
        }
        let site = crate::site::get_local(tx)?.ok_or(Error::NotSetUp)?;
        let number = documents::next_number(
            tx,
            &site.id,
            &site.code,
            FormCode::Complaint,
            ctx.today.year(),
        )?;
        let id = new_id();
        tx.execute(
            "INSERT INTO complaints (id, site_id, number, kind, level, channel, stage, customer_id, unit_id, work_order_id,
                                     complainant, phone, object, content, demand, owner_id, received_at,
                                     created_at, updated_at, created_by, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'recorded', ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, ?16, ?15, ?15)",
            params![id, ctx.actor.site_id, number, input.kind.as_str(), input.level, input.channel.as_str(), customer_id,
                    unit_id, work_order_id, complainant, phone, object, content, demand, ctx.actor.user_id,
                    ctx.now_text()],
        )?;
        sla::start_clocks(tx, &calendar, &id, input.level, ctx.now, ClockKind::ALL)?;
        log_event(
            tx,
            ctx,
            &id,
            "registered",
            Stage::Recorded,
            Stage::Recorded,
            &content,
            serde_json::json!({ "level": input.level, "kind": input.kind, "channel": input.channel }),
        )?;
        let c = get_in(tx, &id)?;
        audit::record(tx, ctx, "complaints", &id, Action::Insert, &c)?;
        issue_registration_in(tx, ctx)(&c)?;
        Ok(id)
    })?;
    get(desk, &id)
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StepInput {
    pub step: Step,
    /// What was found, decided or done at this step (for `reject`: the explained reply; for
    /// `close`: the summary; for `reopen`: why).
    pub content: String,
    /// `accept`: the severity as judged (the level may be corrected here).
    pub level: Option<i64>,
    /// `assign`: the responsible department.
    pub department: Option<Department>,
    /// `carryOut` or `close`: the customer's reaction to the solution, and what they said.
    pub reaction: Option<Reaction>,
    pub feedback: Option<String>,
}

/// Records one of the eight steps (or a reopening). Only the step the state machine allows
/// is accepted; deciding responsibility is management's; closing needs the customer's
/// reaction; a pause ends with any step (the customer is back).
pub fn record_step(
    desk: &mut Desk,
    id: &str,
    rev: i64,
    input: StepInput,
) -> Result<ComplaintDetail> {
    record_step_as_of(desk, id, rev, input, None)
}

pub(crate) fn record_step_as_of(
    desk: &mut Desk,
    id: &str,
    rev: i64,
    input: StepInput,
    at: Option<DateTime<Utc>>,
) -> Result<ComplaintDetail> {
    let perm = if input.step == Step::DecideResponsibility {
        Permission::DecideComplaints
    } else {
        Permission::HandleComplaints
    };
    desk.require(perm)?;
    let mut issues = Issues::default();
    let content = issues.text("content", &input.content, true, 4000);
    let feedback = input
        .feedback
        .as_deref()
        .map(|f| issues.text("feedback", f, false, 2000))
        .filter(|f| !f.is_empty());
    if let Some(l) = input.level {
        issues.range("level", l, 1, 4);
    }
    if input.step == Step::Assign && input.department.is_none() {
        issues.add("department", Rule::Required);
    }
    issues.finish()?;
    let calendar = sla::calendar_in(desk.conn(), desk.time_zone())?;
    desk.write_as_of(perm, at, |tx, ctx| {
        let c = load_for_change(tx, id, rev)?;
        let to = transition(c.stage, input.step)?;
        let reaction = input.reaction.or(c.reaction);
        let feedback_text = feedback.clone().unwrap_or_else(|| c.feedback.clone());
        if input.step == Step::Close && (reaction.is_none() || feedback_text.trim().is_empty()) {
            // The closed loop: nobody closes a complaint without the customer's word on it.
            let mut issues = Vec::new();
            if reaction.is_none() {
                issues.push(FieldIssue::new("reaction", Rule::FeedbackMissing));
            }
            if feedback_text.trim().is_empty() {
                issues.push(FieldIssue::new("feedback", Rule::FeedbackMissing));
            }
            return Err(Error::Validation(issues));
        }
        if c.paused_since.is_some() {
            sla::resume_in(tx, ctx, &calendar, &c, "")?;
        }
        let mut data = serde_json::json!({});
        match input.step {
            Step::Accept => {
                if let Some(l) = input.level.filter(|l| *l != c.level) {
                    tx.execute(
                        "UPDATE complaints SET level = ?1 WHERE id = ?2",
                        params![l, id],
                    )?;
                    data["fromLevel"] = c.level.into();
                    data["level"] = l.into();
                }
            }
            Step::Assign => {
                let d = input.department.expect("checked above");
                tx.execute(
                    "UPDATE complaints SET department = ?1 WHERE id = ?2",
                    params![d.as_str(), id],
                )?;
                data["department"] = d.as_str().into();
            }
            Step::CarryOut | Step::Close
                if input.reaction.is_some() || feedback.is_some() =>
            {
                tx.execute(
                    "UPDATE complaints SET reaction = ?1, feedback = ?2 WHERE id = ?3",
                    params![reaction.map(Reaction::as_str), feedback_text, id],
                )?;
                data["reaction"] = reaction.map(Reaction::as_str).into();
                data["feedback"] = feedback_text.clone().into();
            }
            Step::Reopen => {
                tx.execute(
                    "UPDATE complaints SET reopen_count = reopen_count + 1, closed_at = NULL, reaction = NULL,
                                           feedback = '' WHERE id = ?1",
                    [id],
                )?;
            }
            _ => {}
        }
        tx.execute(
            "UPDATE complaints SET stage = ?1 WHERE id = ?2",
            params![to.as_str(), id],
        )?;
        // Which clocks this step stops: judging stops acceptance; an invalid complaint's
        // reply and telling the customer the solution are responses; closing stops the rest.
        let stops: &[ClockKind] = match input.step {
            Step::Accept => &[ClockKind::Accept],
            Step::Reject => ClockKind::ALL,
            Step::CarryOut => &[ClockKind::Respond],
            Step::Close => ClockKind::ALL,
            _ => &[],
        };
        sla::stop_clocks(tx, &calendar, id, ctx.now, stops)?;
        if to.is_closed() {
            tx.execute(
                "UPDATE complaints SET closed_at = ?1 WHERE id = ?2",
                params![ctx.now_text(), id],
            )?;
        }
        if input.step == Step::Reopen {
            // A reopened complaint gets a new time to close, from now, at its level's limit;
            // one judged invalid is judged again and answered again.
            let level = get_in(tx, id)?.level;
            let restart: &[ClockKind] = if c.stage == Stage::Invalid {
                ClockKind::ALL
            } else {
                &[ClockKind::Close]
            };
            sla::start_clocks(tx, &calendar, id, level, ctx.now, restart)?;
        }
        sla::refresh_in(tx, &calendar, id)?;
        log_event(tx, ctx, id, input.step.as_str(), c.stage, to, &content, data)?;
        let out = touch(tx, ctx, &c)?;
        if to.is_closed() {
            issue_handling_in(tx, ctx, &out)?;
        }
        Ok(())
    })?;
    get(desk, id)
}

/// Records a response to the customer (what they were told, by phone or in person). The
/// first one stops the response clock; later ones are kept as contacts on the timeline.
pub fn respond(desk: &mut Desk, id: &str, rev: i64, content: &str) -> Result<ComplaintDetail> {
    desk.require(Permission::HandleComplaints)?;
    let mut issues = Issues::default();
    let content = issues.text("content", content, true, 4000);
    issues.finish()?;
    let calendar = sla::calendar_in(desk.conn(), desk.time_zone())?;
    desk.write(Permission::HandleComplaints, |tx, ctx| {
        let c = load_for_change(tx, id, rev)?;
        if c.stage.is_closed() {
            return Err(Error::InvalidTransition {
                from: c.stage.as_str(),
                event: "respond",
            });
        }
        if c.paused_since.is_some() {
            sla::resume_in(tx, ctx, &calendar, &c, "")?;
        }
        let first = sla::stop_clocks(tx, &calendar, id, ctx.now, &[ClockKind::Respond])? > 0;
        sla::refresh_in(tx, &calendar, id)?;
        log_event(
            tx,
            ctx,
            id,
            "responded",
            c.stage,
            c.stage,
            &content,
            serde_json::json!({ "first": first }),
        )?;
        touch(tx, ctx, &c)?;
        Ok(())
    })?;
    get(desk, id)
}

/// Stops the clocks while waiting for the customer (an appointment they asked to postpone,
/// documents they must send); the reason is recorded.
pub fn pause(desk: &mut Desk, id: &str, rev: i64, reason: &str) -> Result<ComplaintDetail> {
    desk.require(Permission::HandleComplaints)?;
    let mut issues = Issues::default();
    let reason = issues.text("reason", reason, true, 500);
    issues.finish()?;
    let calendar = sla::calendar_in(desk.conn(), desk.time_zone())?;
    desk.write(Permission::HandleComplaints, |tx, ctx| {
        let c = load_for_change(tx, id, rev)?;
        if c.stage.is_closed() || c.paused_since.is_some() {
            return Err(Error::InvalidTransition {
                from: if c.paused_since.is_some() {
                    "paused"
                } else {
                    c.stage.as_str()
                },
                event: "pause",
            });
        }
        tx.execute(
            "UPDATE complaints SET paused_since = ?1, pause_reason = ?2 WHERE id = ?3",
            params![ctx.now_text(), reason, id],
        )?;
        sla::refresh_in(tx, &calendar, id)?;
        log_event(
            tx,
            ctx,
            id,
            "paused",
            c.stage,
            c.stage,
            &reason,
            serde_json::json!({}),
        )?;
        touch(tx, ctx, &c)?;
        Ok(())
    })?;
    get(desk, id)
}

pub fn resume(desk: &mut Desk, id: &str, rev: i64, note: &str) -> Result<ComplaintDetail> {
    desk.require(Permission::HandleComplaints)?;
    let mut issues = Issues::default();
    let note = issues.text("note", note, false, 500);
    issues.finish()?;
    let calendar = sla::calendar_in(desk.conn(), desk.time_zone())?;
    desk.write(Permission::HandleComplaints, |tx, ctx| {
        let c = load_for_change(tx, id, rev)?;
        if c.paused_since.is_none() {
            return Err(Error::InvalidTransition {
                from: c.stage.as_str(),
                event: "resume",
            });
        }
        sla::resume_in(tx, ctx, &calendar, &c, &note)?;
        touch(tx, ctx, &c)?;
        Ok(())
    })?;
    get(desk, id)
}

/// Hands the complaint to another person explicitly: until then the first receiver owns it.
pub fn hand_over(
    desk: &mut Desk,
    id: &str,
    rev: i64,
    to_user_id: &str,
    note: &str,
) -> Result<ComplaintDetail> {
    desk.require(Permission::HandleComplaints)?;
    let mut issues = Issues::default();
    let note = issues.text("note", note, false, 500);
    issues.finish()?;
    desk.write(Permission::HandleComplaints, |tx, ctx| {
        let c = load_for_change(tx, id, rev)?;
        if c.owner_id != ctx.actor.user_id
            && !matches!(ctx.actor.role, Role::Supervisor | Role::Admin)
        {
            return Err(Error::Forbidden {
                role: ctx.actor.role,
                action: "hand_over_complaint",
            });
        }
        let role: Option<String> = tx
            .query_row(
                "SELECT role FROM users WHERE id = ?1 AND active = 1",
                [to_user_id],
                |r| r.get(0),
            )
            .optional()?;
        let ok = role
            .and_then(|r| Role::parse(&r))
            .is_some_and(|r| r.can(Permission::HandleComplaints));
        if !ok || to_user_id == c.owner_id {
            return Err(Error::invalid("toUserId", Rule::UnknownReference));
        }
        tx.execute(
            "UPDATE complaints SET owner_id = ?1 WHERE id = ?2",
            params![to_user_id, id],
        )?;
        log_event(
            tx,
            ctx,
            id,
            "handed_over",
            c.stage,
            c.stage,
            &note,
            serde_json::json!({
                "from": c.owner_id,
                "to": to_user_id,
                "fromName": person(tx, &c.owner_id)?.name,
                "toName": person(tx, to_user_id)?.name,
            }),
        )?;
        touch(tx, ctx, &c)?;
        Ok(())
    })?;
    get(desk, id)
}

/// The active staff who may take a complaint over (those who handle complaints), by name.
pub fn handlers(desk: &Desk) -> Result<Vec<Person>> {
    desk.require(Permission::ViewArchive)?;
    let mut stmt = desk.conn().prepare(
        "SELECT id, display_name, role FROM users WHERE active = 1 ORDER BY display_name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, role) = row?;
        if Role::parse(&role).is_some_and(|r| r.can(Permission::HandleComplaints)) {
            out.push(Person { id, name });
        }
    }
    Ok(out)
}

/// Photos, letters, invoices the customer handed in. Kept as handed in (never changed); the
/// registration form is issued again listing them.
pub const MAX_ATTACHMENT_BYTES: usize = 15 * 1024 * 1024;
pub const MAX_ATTACHMENTS: i64 = 20;

pub fn add_attachment(
    desk: &mut Desk,
    id: &str,
    rev: i64,
    file_name: &str,
    bytes: &[u8],
) -> Result<ComplaintDetail> {
    desk.require(Permission::HandleComplaints)?;
    let mut issues = Issues::default();
    let name = issues.text("fileName", file_name, true, 200);
    if bytes.is_empty() {
        issues.add("file", Rule::Required);
    } else if bytes.len() > MAX_ATTACHMENT_BYTES {
        issues.push(
            FieldIssue::new("file", Rule::TooLarge)
                .with("limit", "bytes")
                .with("max", MAX_ATTACHMENT_BYTES),
        );
    }
    issues.finish()?;
    desk.write(Permission::HandleComplaints, |tx, ctx| {
        let c = load_for_change(tx, id, rev)?;
        let n: i64 = tx.query_row(
            "SELECT count(*) FROM complaint_attachments WHERE complaint_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        if n >= MAX_ATTACHMENTS {
            return Err(Error::Validation(vec![FieldIssue::new(
                "file",
                Rule::TooLarge,
            )
            .with("limit", "count")
            .with("max", MAX_ATTACHMENTS)]));
        }
        let sha = documents::hex(&Sha256::digest(bytes));
        let attachment_id = new_id();
        tx.execute(
            "INSERT INTO complaint_attachments (id, site_id, complaint_id, file_name, bytes, sha256, added_at, added_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![attachment_id, ctx.actor.site_id, id, name, bytes, sha, ctx.now_text(), ctx.actor.user_id],
        )?;
        audit::record(
            tx,
            ctx,
            "complaint_attachments",
            &attachment_id,
            Action::Insert,
            &serde_json::json!({ "complaintId": id, "fileName": name, "sha256": sha, "size": bytes.len() }),
        )?;
        log_event(
            tx,
            ctx,
            id,
            "attachment_added",
            c.stage,
            c.stage,
            &name,
            serde_json::json!({ "sha256": sha }),
        )?;
        let out = touch(tx, ctx, &c)?;
        issue_registration_in(tx, ctx)(&out)?;
        Ok(())
    })?;
    get(desk, id)
}

pub fn attachment_bytes(desk: &Desk, attachment_id: &str) -> Result<(String, Vec<u8>)> {
    desk.require(Permission::ViewArchive)?;
    desk.conn()
        .query_row(
            "SELECT file_name, bytes FROM complaint_attachments WHERE id = ?1",
            [attachment_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| Error::NotFound {
            entity: "attachment",
            id: attachment_id.to_owned(),
        })
}

// ---------------------------------------------------------------- paperwork

fn kind_zh(k: ComplaintKind) -> &'static str {
    match k {
        ComplaintKind::ProductQuality => "产品质量",
        ComplaintKind::Service => "服务",
        ComplaintKind::Proposal => "建议与意见",
    }
}

pub(super) fn level_zh(level: i64) -> String {
    let (n, what, group) = match level {
        ..=1 => ("一级", "轻微", "客服组处理"),
        2 => ("二级", "一般", "技术组处理"),
        3 => ("三级", "严重", "管理层协调"),
        _ => ("四级", "紧急", "启动应急响应"),
    };
    format!("{n}（{what}）· {group}")
}

fn channel_zh(c: Channel) -> &'static str {
    match c {
        Channel::Phone => "电话",
        Channel::WalkIn => "来访",
        Channel::Online => "网络",
        Channel::Email => "邮件",
    }
}

fn department_zh(d: Department) -> &'static str {
    match d {
        Department::CustomerService => "客户服务部",
        Department::Technical => "技术部",
        Department::Quality => "质量部",
        Department::Logistics => "物流部",
        Department::Sales => "销售部",
        Department::SeniorManagement => "高层管理",
    }
}

fn reaction_zh(r: Reaction) -> &'static str {
    match r {
        Reaction::Satisfied => "满意",
        Reaction::Accepted => "基本满意，接受处理",
        Reaction::Dissatisfied => "不满意",
    }
}

fn step_zh(event: &str) -> &'static str {
    match event {
        "registered" => "登记",
        "accept" => "判定受理",
        "reject" => "判定无效",
        "assign" => "指派部门",
        "investigate" => "调查原因",
        "propose" => "提出方案",
        "carry_out" => "告知落实",
        "decide_responsibility" => "责任认定",
        "close" => "总结结案",
        "reopen" => "重新处理",
        "responded" => "答复顾客",
        "paused" => "暂停计时",
        "resumed" => "恢复计时",
        "escalated" => "超时升级",
        "handed_over" => "移交",
        "attachment_added" => "附件",
        _ => "其他",
    }
}

fn party_in(conn: &Connection, ctx: &Ctx, c: &Complaint) -> Result<ComplaintParty> {
    let customer_name: String = conn.query_row(
        "SELECT name FROM customers WHERE id = ?1",
        [&c.customer_id],
        |r| r.get(0),
    )?;
    let address: String = conn
        .query_row(
            "SELECT province || city || district || detail FROM addresses WHERE customer_id = ?1 ORDER BY position LIMIT 1",
            [&c.customer_id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default();
    let mut object = Vec::new();
    if !c.object.is_empty() {
        object.push(c.object.clone());
    }
    let unit = unit_label(conn, c.unit_id.as_deref())?;
    if !unit.is_empty() {
        object.push(unit);
    }
    if let Some(w) = &c.work_order_id {
        let n: Option<String> = conn
            .query_row("SELECT number FROM work_orders WHERE id = ?1", [w], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(n) = n {
            object.push(format!("工单 {n}"));
        }
    }
    Ok(ComplaintParty {
        complaint_number: c.number.clone(),
        kind: kind_zh(c.kind).to_owned(),
        level: level_zh(c.level),
        channel: channel_zh(c.channel).to_owned(),
        received_at: ctx.local_text(&c.received_at),
        complainant: c.complainant.clone(),
        phone: c.phone.clone(),
        customer_name,
        address,
        object: object.join("；"),
    })
}

/// Issues (or, unchanged, keeps) the registration form of `c`. Curried so that callers inside
/// a write read naturally: `issue_registration_in(tx, ctx)(&c)`.
fn issue_registration_in<'a>(
    tx: &'a Connection,
    ctx: &'a Ctx,
) -> impl FnOnce(&Complaint) -> Result<()> + 'a {
    move |c| {
        let clocks = sla::clocks_in(tx, ctx.tz, c, ctx.now)?;
        let limits = clocks
            .iter()
            .filter_map(|k| {
                k.due_at
                    .as_ref()
                    .map(|d| format!("{}：{} 前", sla::clock_zh(k.clock), ctx.local_text(d)))
            })
            .collect();
        let form = FormData::ComplaintRegistration(forms::ComplaintRegistration {
            header: forms::Header::default(),
            party: party_in(tx, ctx, c)?,
            content: c.content.clone(),
            demand: c.demand.clone(),
            attachments: attachments_in(tx, &c.id)?
                .into_iter()
                .map(|a| a.file_name)
                .collect(),
            registered_by: person(tx, &c.created_by)?.name,
            time_limits: limits,
        });
        documents::issue_in(tx, ctx, &c.id, c.work_order_id.as_deref(), form)?;
        Ok(())
    }
}

fn last_content(timeline: &[ComplaintEvent], events: &[&str]) -> String {
    timeline
        .iter()
        .rev()
        .find(|e| events.contains(&e.event.as_str()))
        .map(|e| e.content.clone())
        .unwrap_or_default()
}

fn handling_data(conn: &Connection, ctx: &Ctx, c: &Complaint) -> Result<FormData> {
    let timeline = timeline_in(conn, &c.id)?;
    let validity = match c.stage {
        Stage::Recorded => String::new(),
        Stage::Invalid => format!("无效（答复：{}）", last_content(&timeline, &["reject"])),
        _ => {
            let note = last_content(&timeline, &["accept"]);
            if note.is_empty() {
                "有效".to_owned()
            } else {
                format!("有效：{note}")
            }
        }
    };
    let reaction = match c.reaction {
        Some(r) if c.feedback.is_empty() => reaction_zh(r).to_owned(),
        Some(r) => format!("{}：{}", reaction_zh(r), c.feedback),
        None => String::new(),
    };
    let clocks = sla::clocks_in(conn, ctx.tz, c, ctx.now)?
        .iter()
        .map(|k| sla::clock_line(k, ctx))
        .collect();
    let verifier =
        if matches!(ctx.actor.role, Role::Supervisor | Role::Admin) && c.stage.is_closed() {
            person(conn, &ctx.actor.user_id)?.name
        } else {
            String::new()
        };
    Ok(FormData::ComplaintHandling(forms::ComplaintHandling {
        header: forms::Header::default(),
        party: party_in(conn, ctx, c)?,
        feedback: if c.demand.is_empty() {
            c.content.clone()
        } else {
            format!("{}\n顾客要求：{}", c.content, c.demand)
        },
        validity,
        department: c
            .department
            .map(|d| department_zh(d).to_owned())
            .unwrap_or_default(),
        cause: last_content(&timeline, &["investigate"]),
        measures: last_content(&timeline, &["propose"]),
        result: last_content(&timeline, &["carry_out"]),
        customer_reaction: reaction,
        responsibility: last_content(&timeline, &["decide_responsibility"]),
        summary: last_content(&timeline, &["close", "reject"]),
        steps: timeline
            .iter()
            .filter(|e| e.event != "attachment_added")
            .map(|e| ComplaintStepLine {
                step: step_zh(&e.event).to_owned(),
                content: e.content.clone(),
                by: e.user_name.clone(),
                at: ctx.local_text(&e.at),
            })
            .collect(),
        clocks,
        handler: person(conn, &c.owner_id)?.name,
        verifier,
    }))
}

fn issue_handling_in(tx: &Connection, ctx: &Ctx, c: &Complaint) -> Result<()> {
    let form = handling_data(tx, ctx, c)?;
    documents::issue_in(tx, ctx, &c.id, c.work_order_id.as_deref(), form)?;
    Ok(())
}

/// Issues the 顾客信息处理单 as the complaint stands (the next revision when it changed since
/// the last one; closing issues it by itself).
pub fn issue_handling_slip(desk: &mut Desk, id: &str) -> Result<ComplaintDetail> {
    desk.write(Permission::HandleComplaints, |tx, ctx| {
        let c = get_in(tx, id)?;
        issue_handling_in(tx, ctx, &c)
    })?;
    get(desk, id)
}

/// Issues the 顾客意见登记单 again if anything on it changed (it is issued at registration).
pub fn issue_registration(desk: &mut Desk, id: &str) -> Result<ComplaintDetail> {
    desk.write(Permission::HandleComplaints, |tx, ctx| {
        let c = get_in(tx, id)?;
        issue_registration_in(tx, ctx)(&c)
    })?;
    get(desk, id)
}

// ---------------------------------------------------------------- lists

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ComplaintFilter {
    /// Number, customer name, complainant or phone (a substring).
    pub text: Option<String>,
    /// `true`: open only; `false`: closed only; absent: both.
    pub open: Option<bool>,
    pub level: Option<i64>,
    pub kind: Option<ComplaintKind>,
    pub customer_id: Option<String>,
    /// The site the complaints come from (`sites.id`); absent or empty: every site. An id no
    /// site has matches nothing, like an unknown customer.
    pub site_id: Option<String>,
    /// Received on or after / before this local date (`YYYY-MM-DD`).
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ComplaintRow {
    pub id: String,
    pub number: String,
    pub kind: ComplaintKind,
    pub level: i64,
    pub stage: Stage,
    pub customer_name: String,
    pub complainant: String,
    pub content: String,
    pub owner_name: String,
    pub received_at: String,
    pub closed_at: Option<String>,
    pub next_due_at: Option<String>,
    pub paused: bool,
    /// The site that registered the complaint (empty if its site record never arrived).
    pub site_code: String,
    pub site_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ComplaintPage {
    pub rows: Vec<ComplaintRow>,
    pub total: i64,
}

pub fn list(desk: &Desk, filter: &ComplaintFilter) -> Result<ComplaintPage> {
    desk.require(Permission::ViewArchive)?;
    let (sql, args) = filter_sql(desk.time_zone(), filter)?;
    let conn = desk.conn();
    let params: Vec<&dyn rusqlite::ToSql> = args.iter().map(|b| b.as_ref()).collect();
    let total: i64 = conn.query_row(&format!("SELECT count(*){sql}"), &params[..], |r| r.get(0))?;
    let limit = filter.limit.unwrap_or(100).clamp(1, 1000);
    let offset = filter.offset.unwrap_or(0).max(0);
    let mut stmt = conn.prepare(&format!(
        "SELECT c.id, c.number, c.kind, c.level, c.stage, cu.name, c.complainant, c.content,
                coalesce(u.display_name, c.owner_id), c.received_at, c.closed_at, c.next_due_at,
                c.paused_since IS NOT NULL,
                (SELECT s.code FROM sites s WHERE s.id = c.site_id),
                (SELECT s.name FROM sites s WHERE s.id = c.site_id)
         {sql} ORDER BY c.received_at DESC LIMIT {limit} OFFSET {offset}"
    ))?;
    let rows = stmt
        .query_map(&params[..], row_of)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ComplaintPage { rows, total })
}

/// Arguments of a statement whose text varies with the filter.
pub(crate) type SqlArgs = Vec<Box<dyn rusqlite::ToSql>>;

/// The list's filter as `FROM complaints c JOIN customers cu LEFT JOIN users u WHERE …` and
/// its arguments (`?1`…): `limit` and `offset` are left to the caller. Shared by the screen's
/// pages and the Excel export.
pub(crate) fn filter_sql(tz: chrono_tz::Tz, filter: &ComplaintFilter) -> Result<(String, SqlArgs)> {
    let day_start = |s: &Option<String>, field: &str| -> Result<Option<String>> {
        match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(d) => sla::local_day_start(tz, d)
                .map(Some)
                .ok_or_else(|| Error::invalid(field, Rule::InvalidDate)),
        }
    };
    let from = day_start(&filter.from, "from")?;
    // `to` is inclusive: up to the start of the next day.
    let to = match day_start(&filter.to, "to")? {
        Some(t) => Some(crate::timestamp(
            DateTime::parse_from_rfc3339(&t)
                .map_err(|_| Error::invalid("to", Rule::InvalidDate))?
                .to_utc()
                + chrono::Duration::days(1),
        )),
        None => None,
    };
    let text = filter
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| format!("%{}%", t.replace(['%', '_'], "")));
    let mut sql = String::from(
        " FROM complaints c JOIN customers cu ON cu.id = c.customer_id
          LEFT JOIN users u ON u.id = c.owner_id WHERE 1 = 1",
    );
    let mut args: SqlArgs = Vec::new();
    let mut arg = |sql: &mut String, clause: &str, v: Box<dyn rusqlite::ToSql>| {
        args.push(v);
        sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
    };
    match filter.open {
        Some(true) => sql.push_str(" AND c.closed_at IS NULL"),
        Some(false) => sql.push_str(" AND c.closed_at IS NOT NULL"),
        None => {}
    }
    if let Some(l) = filter.level {
        arg(&mut sql, " AND c.level = ?", Box::new(l));
    }
    if let Some(k) = filter.kind {
        arg(&mut sql, " AND c.kind = ?", Box::new(k.as_str()));
    }
    if let Some(c) = filter.customer_id.as_deref().filter(|c| !c.is_empty()) {
        arg(&mut sql, " AND c.customer_id = ?", Box::new(c.to_owned()));
    }
    if let Some(s) = filter.site_id.as_deref().filter(|s| !s.is_empty()) {
        arg(&mut sql, " AND c.site_id = ?", Box::new(s.to_owned()));
    }
    if let Some(f) = from {
        arg(&mut sql, " AND c.received_at >= ?", Box::new(f));
    }
    if let Some(t) = to {
        arg(&mut sql, " AND c.received_at < ?", Box::new(t));
    }
    if let Some(t) = text {
        args.push(Box::new(t));
        let n = args.len();
        sql.push_str(&format!(
            " AND (c.number LIKE ?{n} OR cu.name LIKE ?{n} OR c.complainant LIKE ?{n} OR c.phone LIKE ?{n})"
        ));
    }
    Ok((sql, args))
}

fn row_of(r: &Row) -> rusqlite::Result<ComplaintRow> {
    let kind: String = r.get(2)?;
    let stage: String = r.get(4)?;
    Ok(ComplaintRow {
        id: r.get(0)?,
        number: r.get(1)?,
        kind: ComplaintKind::parse(&kind).ok_or_else(|| bad("kind", &kind))?,
        level: r.get(3)?,
        stage: Stage::parse(&stage).ok_or_else(|| bad("stage", &stage))?,
        customer_name: r.get(5)?,
        complainant: r.get(6)?,
        content: r.get(7)?,
        owner_name: r.get(8)?,
        received_at: r.get(9)?,
        closed_at: r.get(10)?,
        next_due_at: r.get(11)?,
        paused: r.get(12)?,
        site_code: r.get::<_, Option<String>>(13)?.unwrap_or_default(),
        site_name: r.get::<_, Option<String>>(14)?.unwrap_or_default(),
    })
}
