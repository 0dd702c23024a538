//! Work orders: a consultation or service request from intake to acceptance, its state
//! machine, the first-receiver rule, appointments with technician clash warnings, the on-site
//! record (work done, parts with per-part consent, fees), and the paperwork it issues:
//! dispatch slip, acceptance receipt (signed on the pad or on scanned paper), return note.
//!
//! Every state change goes through [`transition`], the one place that knows which event is
//! legal in which state; every accepted change is written to the timeline (append-only) and
//! the change log in the same transaction.

use chrono::{Datelike, NaiveDate, NaiveTime, TimeZone};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, Action};
use crate::customers::{self, Contact, CustomerInput};
use crate::documents::{self, Document, FormCode, Issued};
use crate::error::{Error, FieldIssue, Result, Rule};
use crate::forms::{self, FormData, Party, ServiceKind};
use crate::units::{self, UnitInput, UnitView, WarrantyStatus};
use crate::users::{Permission, Role};
use crate::validate::{Issues, PhoneKinds};
use crate::{new_id, timestamp, Ctx, Desk};

text_enum!(
    /// A consultation is answered; the other kinds are service requests that send a technician.
    Kind {
        Consultation = "consultation",
        Installation = "installation",
        Commissioning = "commissioning",
        Repair = "repair",
        Maintenance = "maintenance",
    }
);

text_enum!(Channel {
    Phone = "phone",
    WalkIn = "walk_in",
    Online = "online",
    Email = "email",
});

text_enum!(State {
    Received = "received",
    Answered = "answered",
    Scheduled = "scheduled",
    Dispatched = "dispatched",
    OnSite = "on_site",
    Completed = "completed",
    AcceptanceFailed = "acceptance_failed",
    Returned = "returned",
    Exchanged = "exchanged",
    Cancelled = "cancelled",
});

text_enum!(
    /// What moves a work order from one state to another.
    Event {
        Answer = "answer",
        Schedule = "schedule",
        Dispatch = "dispatch",
        Arrive = "arrive",
        Complete = "complete",
        FailAcceptance = "fail_acceptance",
        Return = "return",
        Exchange = "exchange",
        Cancel = "cancel",
    }
);

impl State {
    /// No event leaves these.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            State::Answered
                | State::Completed
                | State::Returned
                | State::Exchanged
                | State::Cancelled
        )
    }
}

impl Kind {
    fn service(self) -> Option<ServiceKind> {
        match self {
            Kind::Consultation => None,
            Kind::Installation => Some(ServiceKind::Installation),
            Kind::Commissioning => Some(ServiceKind::Commissioning),
            Kind::Repair => Some(ServiceKind::Repair),
            Kind::Maintenance => Some(ServiceKind::Maintenance),
        }
    }
}

/// The state machine. A consultation is answered (or cancelled); a service request is booked,
/// dispatched, visited and accepted or not; a failed acceptance ends in a return or exchange.
/// Re-booking is allowed until the technician is on site (a dispatched order goes back to
/// scheduled, and its slip is issued again as the next revision).
pub fn transition(kind: Kind, from: State, event: Event) -> Result<State> {
    use Event as E;
    use State as S;
    let consultation = kind == Kind::Consultation;
    let to = match (from, event) {
        (S::Received, E::Answer) if consultation => Some(S::Answered),
        (S::Received | S::Scheduled | S::Dispatched, E::Schedule) if !consultation => {
            Some(S::Scheduled)
        }
        (S::Scheduled, E::Dispatch) => Some(S::Dispatched),
        (S::Dispatched, E::Arrive) => Some(S::OnSite),
        (S::OnSite, E::Complete) => Some(S::Completed),
        (S::OnSite, E::FailAcceptance) => Some(S::AcceptanceFailed),
        (S::AcceptanceFailed, E::Return) => Some(S::Returned),
        (S::AcceptanceFailed, E::Exchange) => Some(S::Exchanged),
        (S::Received | S::Scheduled | S::Dispatched, E::Cancel) => Some(S::Cancelled),
        _ => None,
    };
    to.ok_or(Error::InvalidTransition {
        from: from.as_str(),
        event: event.as_str(),
    })
}

/// The events the state machine accepts now, for the UI to offer (it decides nothing itself).
pub fn allowed_events(kind: Kind, state: State) -> Vec<Event> {
    Event::ALL
        .iter()
        .copied()
        .filter(|e| transition(kind, state, *e).is_ok())
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Appointment {
    /// Site-local calendar date and time window.
    pub date: String,
    pub start: String,
    pub end: String,
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WorkPart {
    pub name: String,
    pub model: String,
    pub qty: i64,
    pub unit_price_fen: i64,
    pub in_warranty: bool,
    pub consent: bool,
    /// Worked out by the core: free in warranty, qty × price otherwise.
    pub charged_fen: i64,
    /// The catalog part, when it is one: what ties the use to the stock issued for it.
    pub part_id: Option<String>,
    /// For serial-tracked parts: the piece fitted and the faulty piece taken out.
    pub new_serial: String,
    pub faulty_serial: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WorkFee {
    pub description: String,
    pub amount_fen: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AcceptanceResult {
    Passed,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WorkOrder {
    pub id: String,
    pub site_id: String,
    pub number: String,
    pub kind: Kind,
    pub channel: Channel,
    pub state: State,
    pub customer_id: String,
    pub contact_id: Option<String>,
    pub unit_id: Option<String>,
    pub caller_phone: String,
    pub description: String,
    /// The first receiver, until an explicit hand-over.
    pub owner_id: String,
    pub promised_reply_at: Option<String>,
    pub answer: String,
    pub appointment: Option<Appointment>,
    pub technician_ids: Vec<String>,
    pub bring: String,
    pub work_done: String,
    pub result: Option<AcceptanceResult>,
    pub instructions_given: bool,
    pub customer_opinion: String,
    pub satisfaction: Option<u8>,
    pub cancel_reason: String,
    pub parts: Vec<WorkPart>,
    pub fees: Vec<WorkFee>,
    pub total_fen: i64,
    pub created_at: String,
    pub updated_at: String,
    pub created_by: String,
    pub rev: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TimelineEntry {
    pub at: String,
    pub user_id: String,
    pub user_name: String,
    pub event: String,
    pub from_state: State,
    pub to_state: State,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Person {
    pub id: String,
    pub name: String,
}

/// Where a failed acceptance stands against the return and exchange terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReturnEligibility {
    pub purchase_date: Option<String>,
    /// Days since purchase, the purchase day not counted.
    pub days_since_purchase: Option<i64>,
    pub return_until: Option<String>,
    pub exchange_until: Option<String>,
    pub return_open: bool,
    pub exchange_open: bool,
    pub in_warranty: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WorkOrderDetail {
    pub order: WorkOrder,
    pub customer_name: String,
    pub contacts: Vec<Contact>,
    pub unit: Option<UnitView>,
    pub owner: Person,
    pub technicians: Vec<Person>,
    pub timeline: Vec<TimelineEntry>,
    pub documents: Vec<Document>,
    pub allowed: Vec<Event>,
    /// Only for service requests with a unit.
    pub eligibility: Option<ReturnEligibility>,
    /// The receipt on record says what the work record says now (so it may be signed / closed).
    pub receipt_current: bool,
    /// The current receipt carries the customer's signature, on the pad or on an attached scan
    /// whose QR code matched.
    pub receipt_signed: bool,
}

// ---------------------------------------------------------------- reading

const COLUMNS: &str = "w.id, w.site_id, w.number, w.kind, w.channel, w.state, w.customer_id, w.contact_id, w.unit_id,
    w.caller_phone, w.description, w.owner_id, w.promised_reply_at, w.answer, w.appt_date, w.appt_start, w.appt_end,
    w.appt_address, w.bring, w.work_done, w.result, w.instructions_given, w.customer_opinion, w.satisfaction,
    w.cancel_reason, w.created_at, w.updated_at, w.created_by, w.rev";

/// The appointment columns (date, start, end, address) from `first` on; none until booked.
fn appointment_at(r: &Row, first: usize) -> rusqlite::Result<Option<Appointment>> {
    let Some(date) = r.get::<_, Option<String>>(first)? else {
        return Ok(None);
    };
    Ok(Some(Appointment {
        date,
        start: r.get::<_, Option<String>>(first + 1)?.unwrap_or_default(),
        end: r.get::<_, Option<String>>(first + 2)?.unwrap_or_default(),
        address: r.get(first + 3)?,
    }))
}

fn from_row(r: &Row) -> rusqlite::Result<WorkOrder> {
    let text = |i: usize| r.get::<_, String>(i);
    Ok(WorkOrder {
        id: r.get(0)?,
        site_id: r.get(1)?,
        number: r.get(2)?,
        kind: Kind::parse(&text(3)?).unwrap_or(Kind::Repair),
        channel: Channel::parse(&text(4)?).unwrap_or(Channel::Phone),
        state: State::parse(&text(5)?).unwrap_or(State::Received),
        customer_id: r.get(6)?,
        contact_id: r.get(7)?,
        unit_id: r.get(8)?,
        caller_phone: r.get(9)?,
        description: r.get(10)?,
        owner_id: r.get(11)?,
        promised_reply_at: r.get(12)?,
        answer: r.get(13)?,
        appointment: appointment_at(r, 14)?,
        technician_ids: Vec::new(),
        bring: r.get(18)?,
        work_done: r.get(19)?,
        result: match r.get::<_, Option<String>>(20)?.as_deref() {
            Some("passed") => Some(AcceptanceResult::Passed),
            Some("failed") => Some(AcceptanceResult::Failed),
            _ => None,
        },
        instructions_given: r.get(21)?,
        customer_opinion: r.get(22)?,
        satisfaction: r.get(23)?,
        cancel_reason: r.get(24)?,
        parts: Vec::new(),
        fees: Vec::new(),
        total_fen: 0,
        created_at: r.get(25)?,
        updated_at: r.get(26)?,
        created_by: r.get(27)?,
        rev: r.get(28)?,
    })
}

pub(crate) fn get_order_in(conn: &Connection, id: &str) -> Result<WorkOrder> {
    let mut wo = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM work_orders w WHERE w.id = ?1"),
            [id],
            from_row,
        )
        .optional()?
        .ok_or_else(|| Error::NotFound {
            entity: "work_order",
            id: id.to_owned(),
        })?;
    let mut stmt = conn.prepare_cached(
        "SELECT t.user_id FROM work_order_technicians t JOIN users u ON u.id = t.user_id
         WHERE t.work_order_id = ?1 ORDER BY u.display_name",
    )?;
    wo.technician_ids = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT name, model, qty, unit_price_fen, in_warranty, consent, part_id, new_serial, faulty_serial FROM work_order_parts
         WHERE work_order_id = ?1 ORDER BY position",
    )?;
    wo.parts = stmt
        .query_map([id], |r| {
            let (qty, price, in_warranty): (i64, i64, bool) = (r.get(2)?, r.get(3)?, r.get(4)?);
            Ok(WorkPart {
                name: r.get(0)?,
                model: r.get(1)?,
                qty,
                unit_price_fen: price,
                in_warranty,
                consent: r.get(5)?,
                charged_fen: charged(qty, price, in_warranty),
                part_id: r.get(6)?,
                new_serial: r.get(7)?,
                faulty_serial: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT description, amount_fen FROM work_order_fees WHERE work_order_id = ?1 ORDER BY position",
    )?;
    wo.fees = stmt
        .query_map([id], |r| {
            Ok(WorkFee {
                description: r.get(0)?,
                amount_fen: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    wo.total_fen = wo.parts.iter().map(|p| p.charged_fen).sum::<i64>()
        + wo.fees.iter().map(|f| f.amount_fen).sum::<i64>();
    Ok(wo)
}

/// A part under warranty is free to the customer; otherwise the standard price applies.
fn charged(qty: i64, unit_price_fen: i64, in_warranty: bool) -> i64 {
    if in_warranty {
        0
    } else {
        qty.saturating_mul(unit_price_fen)
    }
}

pub(crate) fn person(conn: &Connection, id: &str) -> Result<Person> {
    let name = conn
        .query_row("SELECT display_name FROM users WHERE id = ?1", [id], |r| {
            r.get::<_, String>(0)
        })
        .optional()?
        .unwrap_or_else(|| id.to_owned());
    Ok(Person {
        id: id.to_owned(),
        name,
    })
}

fn timeline_in(conn: &Connection, id: &str) -> Result<Vec<TimelineEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.at, e.user_id, coalesce(u.display_name, e.user_id), e.event, e.from_state, e.to_state, e.note
         FROM work_order_events e LEFT JOIN users u ON u.id = e.user_id
         WHERE e.work_order_id = ?1 ORDER BY e.at, e.rowid",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(TimelineEntry {
            at: r.get(0)?,
            user_id: r.get(1)?,
            user_name: r.get(2)?,
            event: r.get(3)?,
            from_state: State::parse(&r.get::<_, String>(4)?).unwrap_or(State::Received),
            to_state: State::parse(&r.get::<_, String>(5)?).unwrap_or(State::Received),
            note: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn unit_in(conn: &Connection, wo: &WorkOrder, today: NaiveDate) -> Result<Option<UnitView>> {
    wo.unit_id
        .as_deref()
        .map(|u| units::get_in(conn, u, today))
        .transpose()
}

fn eligibility(unit: &UnitView, today: NaiveDate) -> ReturnEligibility {
    let purchase = unit
        .unit
        .purchase_date
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    ReturnEligibility {
        purchase_date: unit.unit.purchase_date.clone(),
        days_since_purchase: purchase.map(|p| (today - p).num_days()),
        return_until: unit.coverage.return_until.clone(),
        exchange_until: unit.coverage.exchange_until.clone(),
        return_open: unit.coverage.return_open,
        exchange_open: unit.coverage.exchange_open,
        in_warranty: unit.coverage.status == WarrantyStatus::InWarranty,
    }
}

fn detail_in(conn: &Connection, id: &str, today: NaiveDate) -> Result<WorkOrderDetail> {
    let order = get_order_in(conn, id)?;
    let customer = customers::get_customer_in(conn, &order.customer_id)?;
    let unit = unit_in(conn, &order, today)?;
    let technicians = order
        .technician_ids
        .iter()
        .map(|t| person(conn, t))
        .collect::<Result<_>>()?;
    let receipt = documents::current_in(conn, id, FormCode::AcceptanceReceipt)?;
    let (receipt_current, receipt_signed) = match &receipt {
        Some((doc, data)) => (
            receipt_matches(conn, &order, data, today)?,
            doc.signed || doc.scans.iter().any(|s| s.matches),
        ),
        None => (false, false),
    };
    Ok(WorkOrderDetail {
        customer_name: customer.name,
        contacts: customers::contacts_in(conn, &order.customer_id)?,
        eligibility: match (&unit, order.kind) {
            (Some(u), k) if k != Kind::Consultation => Some(eligibility(u, today)),
            _ => None,
        },
        unit,
        owner: person(conn, &order.owner_id)?,
        technicians,
        timeline: timeline_in(conn, id)?,
        documents: documents::list_for_work_order_in(conn, id)?,
        allowed: allowed_events(order.kind, order.state),
        receipt_current,
        receipt_signed,
        order,
    })
}

pub fn get(desk: &Desk, id: &str) -> Result<WorkOrderDetail> {
    desk.require(Permission::ViewArchive)?;
    detail_in(desk.conn(), id, desk.today())
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WorkOrderFilter {
    pub state: Option<State>,
    pub technician_id: Option<String>,
    /// Site-local dates, inclusive: the appointment date, or the day received when not booked.
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    /// A piece of the number or the customer's name.
    pub query: Option<String>,
    pub customer_id: Option<String>,
    /// The site the orders come from (`sites.id`); absent or empty: every site. An id no
    /// site has matches nothing, like an unknown customer.
    pub site_id: Option<String>,
    #[serde(default)]
    pub page: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WorkOrderRow {
    pub id: String,
    pub number: String,
    pub kind: Kind,
    pub channel: Channel,
    pub state: State,
    pub customer_id: String,
    pub customer_name: String,
    pub description: String,
    pub appointment: Option<Appointment>,
    pub technicians: Vec<String>,
    pub owner_name: String,
    pub created_at: String,
    /// The site that created the order (empty if its site record never arrived).
    pub site_code: String,
    pub site_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WorkOrderPage {
    pub rows: Vec<WorkOrderRow>,
    pub total: i64,
    pub page: u32,
    pub page_size: u32,
}

pub const PAGE_SIZE: u32 = 50;

pub fn list(desk: &Desk, filter: &WorkOrderFilter) -> Result<WorkOrderPage> {
    desk.require(Permission::ViewArchive)?;
    let (where_, args) = filter_sql(desk.time_zone(), filter)?;
    let conn = desk.conn();
    let total: i64 = conn.query_row(
        &format!(
            "SELECT count(*) FROM work_orders w JOIN customers c ON c.id = w.customer_id {where_}"
        ),
        params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    let page = filter.page;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT w.id, w.number, w.kind, w.channel, w.state, w.customer_id, c.name, w.description,
                w.appt_date, w.appt_start, w.appt_end, w.appt_address, coalesce(o.display_name, w.owner_id), w.created_at,
                (SELECT group_concat(u.display_name, '、') FROM work_order_technicians t JOIN users u ON u.id = t.user_id
                  WHERE t.work_order_id = w.id),
                coalesce(s.code, ''), coalesce(s.name, '')
         FROM work_orders w JOIN customers c ON c.id = w.customer_id LEFT JOIN users o ON o.id = w.owner_id
              LEFT JOIN sites s ON s.id = w.site_id
         {where_} ORDER BY w.created_at DESC LIMIT {PAGE_SIZE} OFFSET {}",
        page as i64 * PAGE_SIZE as i64
    ))?;
    let rows = stmt
        .query_map(params_from_iter(args.iter()), |r| {
            let techs: Option<String> = r.get(14)?;
            Ok(WorkOrderRow {
                id: r.get(0)?,
                number: r.get(1)?,
                kind: Kind::parse(&r.get::<_, String>(2)?).unwrap_or(Kind::Repair),
                channel: Channel::parse(&r.get::<_, String>(3)?).unwrap_or(Channel::Phone),
                state: State::parse(&r.get::<_, String>(4)?).unwrap_or(State::Received),
                customer_id: r.get(5)?,
                customer_name: r.get(6)?,
                description: r.get(7)?,
                appointment: appointment_at(r, 8)?,
                owner_name: r.get(12)?,
                created_at: r.get(13)?,
                technicians: techs
                    .map(|t| t.split('、').map(str::to_owned).collect())
                    .unwrap_or_default(),
                site_code: r.get(15)?,
                site_name: r.get(16)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(WorkOrderPage {
        rows,
        total,
        page,
        page_size: PAGE_SIZE,
    })
}

/// The list's filter as a `WHERE` clause over `work_orders w JOIN customers c` and its
/// arguments (`?1`…), shared by the screen's pages and the Excel export.
pub(crate) fn filter_sql(
    tz: chrono_tz::Tz,
    filter: &WorkOrderFilter,
) -> Result<(String, Vec<String>)> {
    let mut issues = Issues::default();
    let mut day = |field: &str, v: &Option<String>| {
        v.as_deref().filter(|s| !s.is_empty()).and_then(|s| {
            let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
            if d.is_none() {
                issues.add(field, Rule::InvalidDate);
            }
            d
        })
    };
    let from = day("dateFrom", &filter.date_from);
    let to = day("dateTo", &filter.date_to);
    issues.finish()?;

    let mut clauses: Vec<String> = Vec::new();
    let mut args: Vec<String> = Vec::new();
    let mut arg = |v: String| {
        args.push(v);
        format!("?{}", args.len())
    };
    if let Some(s) = filter.state {
        clauses.push(format!("w.state = {}", arg(s.as_str().into())));
    }
    if let Some(t) = filter.technician_id.as_deref().filter(|t| !t.is_empty()) {
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM work_order_technicians t WHERE t.work_order_id = w.id AND t.user_id = {})",
            arg(t.into())
        ));
    }
    if let Some(c) = filter.customer_id.as_deref().filter(|c| !c.is_empty()) {
        clauses.push(format!("w.customer_id = {}", arg(c.into())));
    }
    if let Some(s) = filter.site_id.as_deref().filter(|s| !s.is_empty()) {
        clauses.push(format!("w.site_id = {}", arg(s.into())));
    }
    // A local day becomes a UTC range for the received time; booked orders go by their date.
    let utc_start = |d: NaiveDate| {
        tz.from_local_datetime(&d.and_time(NaiveTime::MIN))
            .earliest()
            .map(|t| timestamp(t.to_utc()))
            .unwrap_or_default()
    };
    if let Some(f) = from {
        let (a, b) = (arg(f.to_string()), arg(utc_start(f)));
        clauses.push(format!(
            "((w.appt_date IS NOT NULL AND w.appt_date >= {a}) OR (w.appt_date IS NULL AND w.created_at >= {b}))"
        ));
    }
    if let Some(t) = to {
        let next = t.succ_opt().unwrap_or(t);
        let (a, b) = (arg(t.to_string()), arg(utc_start(next)));
        clauses.push(format!(
            "((w.appt_date IS NOT NULL AND w.appt_date <= {a}) OR (w.appt_date IS NULL AND w.created_at < {b}))"
        ));
    }
    if let Some(q) = filter
        .query
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
    {
        let like = format!(
            "%{}%",
            q.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let a = arg(like);
        clauses.push(format!(
            "(w.number LIKE {a} ESCAPE '\\' OR c.name LIKE {a} ESCAPE '\\')"
        ));
    }
    let where_ = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    Ok((where_, args))
}

/// Active technicians, for booking.
pub fn technicians(desk: &Desk) -> Result<Vec<Person>> {
    desk.require(Permission::ViewArchive)?;
    let mut stmt = desk.conn().prepare_cached(
        "SELECT id, display_name FROM users WHERE role = 'technician' AND active = 1 ORDER BY display_name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Person {
            id: r.get(0)?,
            name: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Active staff of this site, for a hand-over.
pub fn staff(desk: &Desk) -> Result<Vec<Person>> {
    desk.require(Permission::ViewArchive)?;
    let mut stmt = desk.conn().prepare_cached(
        "SELECT id, display_name FROM users WHERE active = 1 ORDER BY display_name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Person {
            id: r.get(0)?,
            name: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---------------------------------------------------------------- writing helpers

/// Loads the order for a change, refusing a stale revision before anything else is checked.
fn load_for_change(tx: &Connection, id: &str, rev: i64) -> Result<WorkOrder> {
    let wo = get_order_in(tx, id)?;
    if wo.rev != rev {
        return Err(Error::Conflict {
            entity: "work_order",
            id: id.to_owned(),
            expected: rev,
        });
    }
    Ok(wo)
}

fn log_event(
    tx: &Connection,
    ctx: &Ctx,
    id: &str,
    event: &str,
    from: State,
    to: State,
    note: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO work_order_events (id, work_order_id, at, user_id, event, from_state, to_state, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![new_id(), id, ctx.now_text(), ctx.actor.user_id, event, from.as_str(), to.as_str(), note],
    )?;
    Ok(())
}

/// Documents put their own steps (issued, voided, scan attached) on the order's timeline.
pub(crate) fn log_document_event(
    tx: &Connection,
    ctx: &Ctx,
    work_order_id: &str,
    event: &str,
    doc: &Document,
    note: &str,
) -> Result<()> {
    let state = get_order_in(tx, work_order_id)?.state;
    let note = if note.is_empty() {
        format!("{} R{}", doc.number, doc.revision)
    } else {
        format!("{} R{} · {note}", doc.number, doc.revision)
    };
    log_event(tx, ctx, work_order_id, event, state, state, &note)
}

/// Bumps the revision, moves to `to`, logs the step on the timeline and the change log.
fn commit_step(
    tx: &Connection,
    ctx: &Ctx,
    wo: &WorkOrder,
    event: &str,
    to: State,
    note: &str,
) -> Result<WorkOrder> {
    let n = tx.execute(
        "UPDATE work_orders SET state = ?1, rev = rev + 1, updated_at = ?2, updated_by = ?3 WHERE id = ?4 AND rev = ?5",
        params![to.as_str(), ctx.now_text(), ctx.actor.user_id, wo.id, wo.rev],
    )?;
    if n == 0 {
        return Err(crate::stale_or_missing(
            tx,
            "work_orders",
            "work_order",
            &wo.id,
            wo.rev,
        ));
    }
    log_event(tx, ctx, &wo.id, event, wo.state, to, note)?;
    let out = get_order_in(tx, &wo.id)?;
    audit::record(tx, ctx, "work_orders", &wo.id, Action::Update, &out)?;
    Ok(out)
}

/// The first-receiver rule: the owner acts on their case; a supervisor or admin may step in.
fn require_owner(ctx: &Ctx, wo: &WorkOrder, action: &'static str) -> Result<()> {
    if wo.owner_id == ctx.actor.user_id || matches!(ctx.actor.role, Role::Supervisor | Role::Admin)
    {
        Ok(())
    } else {
        Err(Error::Forbidden {
            role: ctx.actor.role,
            action,
        })
    }
}

/// Parses a site-local "YYYY-MM-DD HH:MM" (or with a `T`) into a UTC timestamp.
fn local_instant(tz: chrono_tz::Tz, s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let s = s.trim().replace('T', " ");
    let naive = chrono::NaiveDateTime::parse_from_str(&s, "%Y-%m-%d %H:%M").ok()?;
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.to_utc())
}

// ---------------------------------------------------------------- intake

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct IntakeInput {
    pub kind: Kind,
    pub channel: Channel,
    /// An archived customer, or `newCustomer` to create one on the spot (one of the two).
    pub customer_id: Option<String>,
    pub new_customer: Option<CustomerInput>,
    pub contact_id: Option<String>,
    /// An archived unit of the customer, or `newUnit`; neither for a question with no product.
    pub unit_id: Option<String>,
    pub new_unit: Option<UnitInput>,
    /// The number the call came from, as the desk saw it.
    pub caller_phone: String,
    pub description: String,
}

/// Takes a call or a walk-in. The receiver becomes the owner (首问负责制). A new customer and
/// unit, if given, are created in the same transaction: all of it is stored, or none.
pub fn intake(desk: &mut Desk, input: IntakeInput) -> Result<WorkOrderDetail> {
    desk.require(Permission::ReceiveCases)?;
    let mut issues = Issues::default();
    let description = issues.text("description", &input.description, true, 2000);
    let caller = if input.caller_phone.trim().is_empty() {
        String::new()
    } else {
        issues.phone(
            "callerPhone",
            &input.caller_phone,
            PhoneKinds { service: false },
        )
    };
    let existing = input.customer_id.as_deref().filter(|c| !c.is_empty());
    if existing.is_none() && input.new_customer.is_none() {
        issues.add("customerId", Rule::Required);
    }
    if input.kind != Kind::Consultation
        && input.unit_id.as_deref().is_none_or(str::is_empty)
        && input.new_unit.is_none()
    {
        // A technician is sent to a product: which one must be known at intake.
        issues.add("unitId", Rule::Required);
    }
    issues.finish()?;
    let id = desk.write(Permission::ReceiveCases, |tx, ctx| {
        let customer_id = match existing {
            Some(c) => customers::get_customer_in(tx, c)
                .map_err(|_| Error::invalid("customerId", Rule::UnknownReference))?
                .id,
            None => {
                let new = input.new_customer.as_ref().expect("checked above");
                customers::create_in(tx, ctx, new).map_err(|e| e.prefixed("newCustomer"))?
            }
        };
        let unit_id = match (input.unit_id.as_deref().filter(|u| !u.is_empty()), &input.new_unit) {
            (Some(u), _) => {
                let owner: Option<String> = tx
                    .query_row("SELECT customer_id FROM units WHERE id = ?1", [u], |r| r.get(0))
                    .optional()?;
                if owner.as_deref() != Some(customer_id.as_str()) {
                    return Err(Error::invalid("unitId", Rule::UnknownReference));
                }
                Some(u.to_owned())
            }
            (None, Some(new)) => Some(
                units::create_in(tx, ctx, &customer_id, new)
                    .map_err(|e| e.prefixed("newUnit"))?,
            ),
            (None, None) => None,
        };
        let contacts = customers::contacts_in(tx, &customer_id)?;
        let contact_id = match input.contact_id.as_deref().filter(|c| !c.is_empty()) {
            Some(c) if contacts.iter().any(|k| k.id == c) => Some(c.to_owned()),
            Some(_) => return Err(Error::invalid("contactId", Rule::UnknownReference)),
            // The caller's number picks the contact when it is on file.
            None => contacts
                .iter()
                .find(|k| !caller.is_empty() && k.phone == caller)
                .or(contacts.first())
                .map(|k| k.id.clone()),
        };
        let site = crate::site::get_local(tx)?.ok_or(Error::NotSetUp)?;
        let number = documents::next_number(
            tx,
            &site.id,
            &site.code,
            FormCode::WorkOrder,
            ctx.today.year(),
        )?;
        let id = new_id();
        tx.execute(
            "INSERT INTO work_orders (id, site_id, number, kind, channel, state, customer_id, contact_id, unit_id, caller_phone,
                                      description, owner_id, created_at, updated_at, created_by, updated_by)
             VALUES (?1, ?2, ?3, ?4, ?5, 'received', ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?11, ?11)",
            params![id, ctx.actor.site_id, number, input.kind.as_str(), input.channel.as_str(), customer_id, contact_id,
                    unit_id, caller, description, ctx.actor.user_id, ctx.now_text()],
        )?;
        log_event(tx, ctx, &id, "received", State::Received, State::Received, input.channel.as_str())?;
        let wo = get_order_in(tx, &id)?;
        audit::record(tx, ctx, "work_orders", &id, Action::Insert, &wo)?;
        Ok(id)
    })?;
    get(desk, &id)
}

// ---------------------------------------------------------------- consultation

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HandOverInput {
    pub to_user_id: String,
    pub note: String,
    /// When the customer was promised an answer (site-local `YYYY-MM-DD HH:MM`), for a
    /// question handed to a technician.
    pub promised_reply_at: Option<String>,
}

/// The explicit, recorded hand-over that ends the first receiver's responsibility.
pub fn hand_over(
    desk: &mut Desk,
    id: &str,
    rev: i64,
    input: HandOverInput,
) -> Result<WorkOrderDetail> {
    desk.require(Permission::ViewArchive)?;
    let tz = desk.time_zone();
    let now = desk.now();
    let mut issues = Issues::default();
    let note = issues.text("note", &input.note, false, 500);
    let promised = match input
        .promised_reply_at
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        Some(s) => match local_instant(tz, s) {
            Some(t) if t > now => Some(timestamp(t)),
            Some(_) => {
                issues.add("promisedReplyAt", Rule::InvalidTime);
                None
            }
            None => {
                issues.add("promisedReplyAt", Rule::InvalidTime);
                None
            }
        },
        None => None,
    };
    issues.finish()?;
    desk.write(Permission::ViewArchive, |tx, ctx| {
        let wo = load_for_change(tx, id, rev)?;
        require_owner(ctx, &wo, "hand_over")?;
        if wo.state.is_final() {
            return Err(Error::InvalidTransition {
                from: wo.state.as_str(),
                event: "hand_over",
            });
        }
        let (name, active): (String, bool) = tx
            .query_row(
                "SELECT display_name, active FROM users WHERE id = ?1",
                [&input.to_user_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| Error::invalid("toUserId", Rule::UnknownReference))?;
        if !active || input.to_user_id == wo.owner_id {
            return Err(Error::invalid("toUserId", Rule::UnknownReference));
        }
        tx.execute(
            "UPDATE work_orders SET owner_id = ?1, promised_reply_at = coalesce(?2, promised_reply_at) WHERE id = ?3",
            params![input.to_user_id, promised, id],
        )?;
        let text = if note.is_empty() { name } else { format!("{name} · {note}") };
        commit_step(tx, ctx, &wo, "handed_over", wo.state, &text)?;
        Ok(())
    })?;
    get(desk, id)
}

/// Answers a consultation and closes it. Only its owner (or a supervisor) answers.
pub fn answer(desk: &mut Desk, id: &str, rev: i64, answer: &str) -> Result<WorkOrderDetail> {
    let mut issues = Issues::default();
    let answer = issues.text("answer", answer, true, 2000);
    issues.finish()?;
    desk.write(Permission::ViewArchive, |tx, ctx| {
        let wo = load_for_change(tx, id, rev)?;
        let to = transition(wo.kind, wo.state, Event::Answer)?;
        require_owner(ctx, &wo, "answer")?;
        tx.execute(
            "UPDATE work_orders SET answer = ?1 WHERE id = ?2",
            params![answer, id],
        )?;
        commit_step(tx, ctx, &wo, "answered", to, "")?;
        Ok(())
    })?;
    get(desk, id)
}

pub fn cancel(desk: &mut Desk, id: &str, rev: i64, reason: &str) -> Result<WorkOrderDetail> {
    let mut issues = Issues::default();
    let reason = issues.text("reason", reason, true, 500);
    issues.finish()?;
    desk.write(Permission::ReceiveCases, |tx, ctx| {
        let wo = load_for_change(tx, id, rev)?;
        let to = transition(wo.kind, wo.state, Event::Cancel)?;
        tx.execute(
            "UPDATE work_orders SET cancel_reason = ?1 WHERE id = ?2",
            params![reason, id],
        )?;
        // A slip already in a technician's hand must not stay valid for a cancelled visit.
        if let Some((doc, _)) = documents::current_in(tx, id, FormCode::DispatchSlip)? {
            tx.execute(
                "UPDATE documents SET status = 'void', void_reason = ?1, voided_at = ?2, voided_by = ?3 WHERE id = ?4",
                params![reason, ctx.now_text(), ctx.actor.user_id, doc.id],
            )?;
            let voided = documents::get_in(tx, &doc.id)?;
            audit::record(tx, ctx, "documents", &doc.id, Action::Update, &voided)?;
            log_document_event(tx, ctx, id, "document_voided", &voided, &reason)?;
        }
        commit_step(tx, ctx, &wo, "cancelled", to, &reason)?;
        Ok(())
    })?;
    get(desk, id)
}

// ---------------------------------------------------------------- appointment and dispatch

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppointmentInput {
    /// Site-local `YYYY-MM-DD` and `HH:MM` window.
    pub date: String,
    pub start: String,
    pub end: String,
    pub address: String,
    pub technician_ids: Vec<String>,
    /// Tools, materials and parts to bring.
    pub bring: String,
}

/// A technician already booked in an overlapping window that day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Clash {
    pub technician_id: String,
    pub technician_name: String,
    pub work_order_id: String,
    pub work_order_number: String,
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScheduleOutcome {
    pub detail: WorkOrderDetail,
    /// Booked anyway: the dispatcher was told, and may know the other job is short.
    pub clashes: Vec<Clash>,
}

struct CheckedAppointment {
    date: NaiveDate,
    start: String,
    end: String,
    address: String,
    technicians: Vec<String>,
    bring: String,
}

fn check_appointment(
    conn: &Connection,
    input: &AppointmentInput,
    today: NaiveDate,
) -> Result<CheckedAppointment> {
    let mut issues = Issues::default();
    let date = match NaiveDate::parse_from_str(input.date.trim(), "%Y-%m-%d") {
        Ok(d) if d < today => {
            issues.add("date", Rule::InvalidDate);
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            issues.add(
                "date",
                if input.date.trim().is_empty() {
                    Rule::Required
                } else {
                    Rule::InvalidDate
                },
            );
            None
        }
    };
    let time = |issues: &mut Issues, field: &str, v: &str| match NaiveTime::parse_from_str(
        v.trim(),
        "%H:%M",
    ) {
        Ok(t) => Some(t),
        Err(_) => {
            issues.add(
                field,
                if v.trim().is_empty() {
                    Rule::Required
                } else {
                    Rule::InvalidTime
                },
            );
            None
        }
    };
    let start = time(&mut issues, "start", &input.start);
    let end = time(&mut issues, "end", &input.end);
    if let (Some(s), Some(e)) = (start, end) {
        if e <= s {
            issues.add("end", Rule::EndBeforeStart);
        }
    }
    let address = issues.text("address", &input.address, true, 300);
    let bring = issues.text("bring", &input.bring, false, 1000);
    let mut technicians = Vec::new();
    if input.technician_ids.is_empty() {
        issues.add("technicianIds", Rule::Required);
    }
    for (i, t) in input.technician_ids.iter().enumerate() {
        let ok: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?1 AND role = 'technician' AND active = 1)",
            [t],
            |r| r.get(0),
        )?;
        if !ok {
            issues.add(&format!("technicianIds.{i}"), Rule::NotTechnician);
        } else if !technicians.contains(t) {
            technicians.push(t.clone());
        }
    }
    issues.finish()?;
    Ok(CheckedAppointment {
        date: date.expect("checked"),
        start: start.expect("checked").format("%H:%M").to_string(),
        end: end.expect("checked").format("%H:%M").to_string(),
        address,
        technicians,
        bring,
    })
}

fn clashes_in(
    conn: &Connection,
    work_order_id: &str,
    date: &str,
    start: &str,
    end: &str,
    technicians: &[String],
) -> Result<Vec<Clash>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.user_id, u.display_name, w.id, w.number, w.appt_start, w.appt_end
         FROM work_order_technicians t
         JOIN work_orders w ON w.id = t.work_order_id
         JOIN users u ON u.id = t.user_id
         WHERE t.user_id = ?1 AND w.id <> ?2 AND w.appt_date = ?3
           AND w.state IN ('scheduled', 'dispatched', 'on_site')
           AND w.appt_start < ?5 AND ?4 < w.appt_end
         ORDER BY w.appt_start",
    )?;
    let mut out = Vec::new();
    for t in technicians {
        let rows = stmt.query_map(params![t, work_order_id, date, start, end], |r| {
            Ok(Clash {
                technician_id: r.get(0)?,
                technician_name: r.get(1)?,
                work_order_id: r.get(2)?,
                work_order_number: r.get(3)?,
                start: r.get(4)?,
                end: r.get(5)?,
            })
        })?;
        for c in rows {
            out.push(c?);
        }
    }
    Ok(out)
}

/// The clashes a booking would have, asked while the dispatcher is still choosing.
pub fn booking_clashes(desk: &Desk, id: &str, input: &AppointmentInput) -> Result<Vec<Clash>> {
    desk.require(Permission::ViewArchive)?;
    let a = check_appointment(desk.conn(), input, desk.today())?;
    clashes_in(
        desk.conn(),
        id,
        &a.date.to_string(),
        &a.start,
        &a.end,
        &a.technicians,
    )
}

/// Books (or re-books) the visit. Re-booking a dispatched order takes it back to scheduled:
/// its slip must be issued again, as the next revision, before the visit.
pub fn schedule(
    desk: &mut Desk,
    id: &str,
    rev: i64,
    input: AppointmentInput,
) -> Result<ScheduleOutcome> {
    desk.require(Permission::Dispatch)?;
    let a = check_appointment(desk.conn(), &input, desk.today())?;
    let clashes = desk.write(Permission::Dispatch, |tx, ctx| {
        let wo = load_for_change(tx, id, rev)?;
        let to = transition(wo.kind, wo.state, Event::Schedule)?;
        let date = a.date.to_string();
        tx.execute(
            "UPDATE work_orders SET appt_date = ?1, appt_start = ?2, appt_end = ?3, appt_address = ?4, bring = ?5 WHERE id = ?6",
            params![date, a.start, a.end, a.address, a.bring, id],
        )?;
        tx.execute("DELETE FROM work_order_technicians WHERE work_order_id = ?1", [id])?;
        for t in &a.technicians {
            tx.execute(
                "INSERT INTO work_order_technicians (work_order_id, user_id) VALUES (?1, ?2)",
                params![id, t],
            )?;
        }
        let clashes = clashes_in(tx, id, &date, &a.start, &a.end, &a.technicians)?;
        let event = if wo.state == State::Received { "scheduled" } else { "rescheduled" };
        commit_step(tx, ctx, &wo, event, to, &format!("{date} {}–{}", a.start, a.end))?;
        Ok(clashes)
    })?;
    Ok(ScheduleOutcome {
        detail: get(desk, id)?,
        clashes,
    })
}

fn warranty_text(unit: Option<&UnitView>) -> String {
    match unit {
        None => "—".into(),
        Some(u) => match (u.coverage.status, u.coverage.warranty_end.as_deref()) {
            (WarrantyStatus::InWarranty, Some(end)) => format!("保修期内（至 {end}）"),
            (WarrantyStatus::Expired, Some(end)) => format!("已过保修期（{end} 止）"),
            _ => "购买日期不详".into(),
        },
    }
}

fn party(conn: &Connection, wo: &WorkOrder, today: NaiveDate) -> Result<Party> {
    let customer = customers::get_customer_in(conn, &wo.customer_id)?;
    let contacts = customers::contacts_in(conn, &wo.customer_id)?;
    let contact = wo
        .contact_id
        .as_deref()
        .and_then(|c| contacts.iter().find(|k| k.id == c))
        .or(contacts.first());
    let unit = unit_in(conn, wo, today)?;
    let address = match &wo.appointment {
        Some(a) if !a.address.is_empty() => a.address.clone(),
        _ => default_address(conn, wo)?,
    };
    Ok(Party {
        customer_name: customer.name,
        contact_name: contact.map(|c| c.name.clone()).unwrap_or_default(),
        contact_phone: contact
            .map(|c| c.phone.clone())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| wo.caller_phone.clone()),
        address,
        product: unit
            .as_ref()
            .map(|u| format!("{} {}", u.model.brand, u.model.model))
            .unwrap_or_default(),
        serial: unit
            .as_ref()
            .map(|u| u.unit.serial.clone())
            .unwrap_or_default(),
        purchase_date: unit
            .as_ref()
            .and_then(|u| u.unit.purchase_date.as_deref())
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        warranty: warranty_text(unit.as_ref()),
    })
}

/// The unit's installation address, else the customer's first address, as one line.
fn default_address(conn: &Connection, wo: &WorkOrder) -> Result<String> {
    let addresses = customers::addresses_in(conn, &wo.customer_id)?;
    let unit_address: Option<String> = match &wo.unit_id {
        Some(u) => conn
            .query_row("SELECT address_id FROM units WHERE id = ?1", [u], |r| {
                r.get(0)
            })
            .optional()?
            .flatten(),
        None => None,
    };
    let a = unit_address
        .and_then(|id| addresses.iter().find(|a| a.id == id))
        .or(addresses.first());
    Ok(
        a.map(|a| format!("{}{}{}{}", a.province, a.city, a.district, a.detail))
            .unwrap_or_default(),
    )
}

/// The address the desk should propose when booking.
pub fn proposed_address(desk: &Desk, id: &str) -> Result<String> {
    desk.require(Permission::ViewArchive)?;
    let wo = get_order_in(desk.conn(), id)?;
    default_address(desk.conn(), &wo)
}

fn names(conn: &Connection, ids: &[String]) -> Result<Vec<String>> {
    ids.iter().map(|i| Ok(person(conn, i)?.name)).collect()
}

fn dispatch_slip_data(conn: &Connection, ctx: &Ctx, wo: &WorkOrder) -> Result<FormData> {
    let appt = wo.appointment.as_ref();
    Ok(FormData::DispatchSlip(forms::DispatchSlip {
        header: forms::Header::default(),
        work_order_number: wo.number.clone(),
        party: party(conn, wo, ctx.today)?,
        service: wo.kind.service().unwrap_or(ServiceKind::Repair),
        fault_description: wo.description.clone(),
        appointment: appt
            .map(|a| format!("{} {}–{}", a.date, a.start, a.end))
            .unwrap_or_default(),
        technicians: names(conn, &wo.technician_ids)?,
        bring: wo.bring.clone(),
        notes: String::new(),
        dispatcher: person(conn, &ctx.actor.user_id)?.name,
    }))
}

/// Issues the dispatch slip (the next revision of it if one exists) and marks the order
/// dispatched. The slip shows everything the technician needs at the door.
pub fn dispatch(desk: &mut Desk, id: &str, rev: i64) -> Result<WorkOrderDetail> {
    desk.write(Permission::Dispatch, |tx, ctx| {
        let wo = load_for_change(tx, id, rev)?;
        let to = transition(wo.kind, wo.state, Event::Dispatch)?;
        let data = dispatch_slip_data(tx, ctx, &wo)?;
        let issued = documents::issue_in(tx, ctx, id, Some(id), data)?;
        let doc = issued.document();
        if let Issued::New(doc) = &issued {
            log_document_event(tx, ctx, id, "document_issued", doc, "")?;
        }
        commit_step(tx, ctx, &wo, "dispatched", to, &doc.number)?;
        Ok(())
    })?;
    get(desk, id)
}

pub fn arrive(desk: &mut Desk, id: &str, rev: i64) -> Result<WorkOrderDetail> {
    desk.write(Permission::RecordWork, |tx, ctx| {
        let wo = load_for_change(tx, id, rev)?;
        let to = transition(wo.kind, wo.state, Event::Arrive)?;
        commit_step(tx, ctx, &wo, "arrived", to, "")?;
        Ok(())
    })?;
    get(desk, id)
}

// ---------------------------------------------------------------- the on-site record

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PartInput {
    pub name: String,
    pub model: String,
    pub qty: i64,
    pub unit_price_fen: i64,
    /// Left out, the unit's warranty decides; a technician may override (e.g. damage by misuse).
    pub in_warranty: Option<bool>,
    pub consent: bool,
    /// The catalog part, if the line is one (its name and model are then the catalog's).
    #[serde(default)]
    #[ts(optional)]
    pub part_id: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub new_serial: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub faulty_serial: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FeeInput {
    pub description: String,
    pub amount_fen: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WorkInput {
    pub work_done: String,
    pub parts: Vec<PartInput>,
    pub fees: Vec<FeeInput>,
    pub result: Option<AcceptanceResult>,
    pub instructions_given: bool,
    pub customer_opinion: String,
    pub satisfaction: Option<u8>,
}

const MAX_LINES: usize = 200;
const MAX_QTY: i64 = 9_999;
/// ¥10,000,000.00 per line: far above any after-sales charge, far below i64 overflow.
const MAX_FEN: i64 = 1_000_000_000;

/// Records (or corrects) what was done on site. Allowed while the technician is there.
pub fn record_work(
    desk: &mut Desk,
    id: &str,
    rev: i64,
    input: WorkInput,
) -> Result<WorkOrderDetail> {
    desk.require(Permission::RecordWork)?;
    let today = desk.today();
    let wo = get_order_in(desk.conn(), id)?;
    let in_warranty_default = unit_in(desk.conn(), &wo, today)?
        .map(|u| u.coverage.status == WarrantyStatus::InWarranty)
        .unwrap_or(false);
    let mut issues = Issues::default();
    let work_done = issues.text("workDone", &input.work_done, false, 4000);
    let opinion = issues.text("customerOpinion", &input.customer_opinion, false, 1000);
    if input.parts.len() > MAX_LINES {
        issues.add("parts", Rule::OutOfRange);
    }
    if input.fees.len() > MAX_LINES {
        issues.add("fees", Rule::OutOfRange);
    }
    let mut parts = Vec::new();
    for (i, p) in input.parts.iter().enumerate() {
        if p.name.trim().is_empty()
            && p.model.trim().is_empty()
            && p.qty == 0
            && p.unit_price_fen == 0
        {
            continue;
        }
        let name = issues.text(&format!("parts.{i}.name"), &p.name, true, 60);
        let model = issues.text(&format!("parts.{i}.model"), &p.model, false, 60);
        issues.range(&format!("parts.{i}.qty"), p.qty, 1, MAX_QTY);
        issues.range(
            &format!("parts.{i}.unitPriceFen"),
            p.unit_price_fen,
            0,
            MAX_FEN,
        );
        let in_warranty = p.in_warranty.unwrap_or(in_warranty_default);
        let part_id = p.part_id.clone().filter(|x| !x.is_empty());
        if let Some(id) = &part_id {
            if crate::parts::get_part_in(desk.conn(), id).is_err() {
                issues.add(&format!("parts.{i}.partId"), Rule::UnknownReference);
            }
        }
        let new_serial = issues
            .text(
                &format!("parts.{i}.newSerial"),
                p.new_serial.as_deref().unwrap_or(""),
                false,
                40,
            )
            .to_uppercase();
        let faulty_serial = issues
            .text(
                &format!("parts.{i}.faultySerial"),
                p.faulty_serial.as_deref().unwrap_or(""),
                false,
                40,
            )
            .to_uppercase();
        parts.push(WorkPart {
            part_id,
            new_serial,
            faulty_serial,
            name,
            model,
            qty: p.qty,
            unit_price_fen: p.unit_price_fen,
            in_warranty,
            consent: p.consent,
            charged_fen: charged(p.qty, p.unit_price_fen, in_warranty),
        });
    }
    let mut fees = Vec::new();
    for (i, f) in input.fees.iter().enumerate() {
        if f.description.trim().is_empty() && f.amount_fen == 0 {
            continue;
        }
        let description = issues.text(&format!("fees.{i}.description"), &f.description, true, 100);
        issues.range(&format!("fees.{i}.amountFen"), f.amount_fen, 0, MAX_FEN);
        fees.push(WorkFee {
            description,
            amount_fen: f.amount_fen,
        });
    }
    if let Some(s) = input.satisfaction {
        issues.range("satisfaction", s as i64, 1, 5);
    }
    issues.finish()?;
    desk.write(Permission::RecordWork, |tx, ctx| {
        let wo = load_for_change(tx, id, rev)?;
        if wo.state != State::OnSite {
            return Err(Error::InvalidTransition {
                from: wo.state.as_str(),
                event: "record_work",
            });
        }
        tx.execute(
            "UPDATE work_orders SET work_done = ?1, result = ?2, instructions_given = ?3, customer_opinion = ?4, satisfaction = ?5
             WHERE id = ?6",
            params![work_done, input.result.map(|r| match r {
                AcceptanceResult::Passed => "passed",
                AcceptanceResult::Failed => "failed",
            }), input.instructions_given, opinion, input.satisfaction, id],
        )?;
        tx.execute("DELETE FROM work_order_parts WHERE work_order_id = ?1", [id])?;
        for (i, p) in parts.iter().enumerate() {
            tx.execute(
                "INSERT INTO work_order_parts (id, work_order_id, position, name, model, qty, unit_price_fen, in_warranty, consent,
                                               part_id, new_serial, faulty_serial)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![new_id(), id, i as i64, p.name, p.model, p.qty, p.unit_price_fen, p.in_warranty, p.consent,
                        p.part_id, p.new_serial, p.faulty_serial],
            )?;
        }
        tx.execute("DELETE FROM work_order_fees WHERE work_order_id = ?1", [id])?;
        for (i, f) in fees.iter().enumerate() {
            tx.execute(
                "INSERT INTO work_order_fees (id, work_order_id, position, description, amount_fen) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![new_id(), id, i as i64, f.description, f.amount_fen],
            )?;
        }
        let total: i64 = parts.iter().map(|p| p.charged_fen).sum::<i64>()
            + fees.iter().map(|f| f.amount_fen).sum::<i64>();
        commit_step(tx, ctx, &wo, "work_recorded", wo.state, &format!("{} {}", parts.len(), fen_text(total)))?;
        Ok(())
    })?;
    get(desk, id)
}

fn fen_text(fen: i64) -> String {
    format!("¥{}.{:02}", fen / 100, (fen % 100).abs())
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SignatureInput {
    /// The pad's size in CSS pixels and the strokes drawn on it, in the same units.
    pub width: f32,
    pub height: f32,
    pub strokes: Vec<Vec<[f32; 2]>>,
    /// Who signed, as they gave their name; the order's contact when empty.
    pub signer: String,
}

const MAX_POINTS: usize = 20_000;

fn receipt_data(
    conn: &Connection,
    ctx: &Ctx,
    wo: &WorkOrder,
    signature: Option<forms::Signature>,
) -> Result<FormData> {
    Ok(FormData::AcceptanceReceipt(forms::AcceptanceReceipt {
        header: forms::Header::default(),
        work_order_number: wo.number.clone(),
        party: party(conn, wo, ctx.today)?,
        service: wo.kind.service().unwrap_or(ServiceKind::Repair),
        fault_description: wo.description.clone(),
        work_done: wo.work_done.clone(),
        parts: wo
            .parts
            .iter()
            .map(|p| forms::PartLine {
                name: p.name.clone(),
                model: p.model.clone(),
                qty: p.qty,
                unit_price_fen: p.unit_price_fen,
                in_warranty: p.in_warranty,
                charged_fen: p.charged_fen,
                consent: p.consent,
            })
            .collect(),
        fees: wo
            .fees
            .iter()
            .map(|f| forms::FeeLine {
                description: f.description.clone(),
                amount_fen: f.amount_fen,
            })
            .collect(),
        total_fen: wo.total_fen,
        passed: wo.result == Some(AcceptanceResult::Passed),
        usage_instructions_given: wo.instructions_given,
        customer_opinion: wo.customer_opinion.clone(),
        satisfaction: wo.satisfaction,
        technicians: names(conn, &wo.technician_ids)?,
        signature,
    }))
}

/// Does the receipt on record say what the work record says now? Compared on content: the
/// header and signature are the paper's, not the work's.
fn receipt_matches(
    conn: &Connection,
    wo: &WorkOrder,
    stored: &FormData,
    today: NaiveDate,
) -> Result<bool> {
    let FormData::AcceptanceReceipt(stored) = stored else {
        return Ok(false);
    };
    let party_now = party(conn, wo, today)?;
    Ok(stored.work_done == wo.work_done
        && stored.total_fen == wo.total_fen
        && stored.parts.len() == wo.parts.len()
        && stored.parts.iter().zip(&wo.parts).all(|(a, b)| {
            a.name == b.name
                && a.qty == b.qty
                && a.unit_price_fen == b.unit_price_fen
                && a.in_warranty == b.in_warranty
                && a.consent == b.consent
        })
        && stored.fees.len() == wo.fees.len()
        && stored.passed == (wo.result == Some(AcceptanceResult::Passed))
        && stored.customer_opinion == wo.customer_opinion
        && stored.satisfaction == wo.satisfaction
        && stored.usage_instructions_given == wo.instructions_given
        && stored.party.customer_name == party_now.customer_name)
}

/// Issues the acceptance receipt from the work record, unsigned (to print for a paper
/// signature) or signed on the pad. Every replaced part needs the customer's consent first.
pub fn issue_receipt(
    desk: &mut Desk,
    id: &str,
    rev: i64,
    signature: Option<SignatureInput>,
) -> Result<WorkOrderDetail> {
    desk.require(Permission::RecordWork)?;
    let signature = match signature {
        Some(s) => Some(check_signature(desk, id, s)?),
        None => None,
    };
    desk.write(Permission::RecordWork, |tx, ctx| {
        let wo = load_for_change(tx, id, rev)?;
        if wo.state != State::OnSite {
            return Err(Error::InvalidTransition {
                from: wo.state.as_str(),
                event: "issue_receipt",
            });
        }
        let mut issues = Issues::default();
        if wo.work_done.trim().is_empty() {
            issues.add("workDone", Rule::Required);
        }
        if wo.result.is_none() {
            issues.add("result", Rule::Required);
        }
        for (i, p) in wo.parts.iter().enumerate() {
            if !p.consent {
                issues.push(
                    FieldIssue::new(format!("parts.{i}.consent"), Rule::ConsentMissing)
                        .with("part", &p.name),
                );
            }
        }
        issues.finish()?;
        let signed = signature.is_some();
        let data = receipt_data(
            tx,
            ctx,
            &wo,
            signature.map(|mut s| {
                s.signed_at = ctx.local_now_text();
                s
            }),
        )?;
        let issued = documents::issue_in(tx, ctx, id, Some(id), data)?;
        let event = if signed {
            "receipt_signed"
        } else {
            "document_issued"
        };
        if let Issued::New(doc) = &issued {
            log_document_event(tx, ctx, id, event, doc, "")?;
        }
        // The order's rev moves too, so a page showing the old receipt state refreshes.
        commit_step(
            tx,
            ctx,
            &wo,
            "receipt_issued",
            wo.state,
            &issued.document().number,
        )?;
        Ok(())
    })?;
    get(desk, id)
}

fn check_signature(desk: &Desk, id: &str, s: SignatureInput) -> Result<forms::Signature> {
    let mut issues = Issues::default();
    let points: usize = s.strokes.iter().map(Vec::len).sum();
    let finite = s.strokes.iter().flatten().all(|[x, y]| {
        x.is_finite() && y.is_finite() && *x >= 0.0 && *y >= 0.0 && *x <= s.width && *y <= s.height
    });
    if !(s.width.is_finite()
        && s.height.is_finite()
        && s.width >= 50.0
        && s.height >= 20.0
        && s.width <= 4000.0
        && s.height <= 4000.0)
    {
        issues.add("signature", Rule::OutOfRange);
    } else if points < 5 || s.strokes.iter().all(|st| st.len() < 2) {
        // A tap is not a signature.
        issues.add("signature", Rule::SignatureEmpty);
    } else if points > MAX_POINTS || !finite {
        issues.add("signature", Rule::OutOfRange);
    }
    let signer = issues.text("signer", &s.signer, false, 40);
    issues.finish()?;
    let signer = if signer.is_empty() {
        let wo = get_order_in(desk.conn(), id)?;
        party(desk.conn(), &wo, desk.today())?.contact_name
    } else {
        signer
    };
    // Points rounded to 0.1 px: the stored payload stays small and prints the same.
    let round = |v: f32| (v * 10.0).round() / 10.0;
    Ok(forms::Signature {
        width: s.width,
        height: s.height,
        strokes: s
            .strokes
            .into_iter()
            .filter(|st| !st.is_empty())
            .map(|st| st.into_iter().map(|[x, y]| [round(x), round(y)]).collect())
            .collect(),
        signed_at: String::new(),
        signer,
    })
}

/// Closes the visit: the customer accepted. Needs the current receipt, with a passed result,
/// signed on the pad or on paper whose scan matched its QR code.
pub fn complete(desk: &mut Desk, id: &str, rev: i64) -> Result<WorkOrderDetail> {
    close_visit(desk, id, rev, Event::Complete)
}

/// The customer did not accept: the order waits for a return or exchange decision.
pub fn fail_acceptance(desk: &mut Desk, id: &str, rev: i64) -> Result<WorkOrderDetail> {
    close_visit(desk, id, rev, Event::FailAcceptance)
}

fn close_visit(desk: &mut Desk, id: &str, rev: i64, event: Event) -> Result<WorkOrderDetail> {
    desk.write(Permission::RecordWork, |tx, ctx| {
        let wo = load_for_change(tx, id, rev)?;
        let to = transition(wo.kind, wo.state, event)?;
        let want = if event == Event::Complete {
            AcceptanceResult::Passed
        } else {
            AcceptanceResult::Failed
        };
        if wo.result != Some(want) {
            return Err(Error::invalid("result", Rule::ResultMismatch));
        }
        let Some((doc, data)) = documents::current_in(tx, id, FormCode::AcceptanceReceipt)? else {
            return Err(Error::invalid("receipt", Rule::ReceiptMissing));
        };
        if !receipt_matches(tx, &wo, &data, ctx.today)? {
            return Err(Error::invalid("receipt", Rule::ReceiptOutdated));
        }
        // A refusal need not be signed; an acceptance must be.
        if event == Event::Complete && !(doc.signed || doc.scans.iter().any(|s| s.matches)) {
            return Err(Error::invalid("receipt", Rule::ReceiptUnsigned));
        }
        let name = if event == Event::Complete {
            "completed"
        } else {
            "acceptance_failed"
        };
        commit_step(tx, ctx, &wo, name, to, &doc.number)?;
        Ok(())
    })?;
    get(desk, id)
}

// ---------------------------------------------------------------- return / exchange

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReturnInput {
    pub kind: forms::ReturnKind,
    pub reason: String,
    pub nonconforming_handling: String,
}

/// Settles a failed acceptance: the core checks the return (15 days) or exchange (30 days)
/// term against the purchase date, issues the 销售退货单 and closes the order.
pub fn settle_return(
    desk: &mut Desk,
    id: &str,
    rev: i64,
    input: ReturnInput,
) -> Result<WorkOrderDetail> {
    desk.require(Permission::ApproveReturns)?;
    let mut issues = Issues::default();
    let reason = issues.text("reason", &input.reason, true, 1000);
    let handling = issues.text(
        "nonconformingHandling",
        &input.nonconforming_handling,
        true,
        1000,
    );
    issues.finish()?;
    desk.write(Permission::ApproveReturns, |tx, ctx| {
        let wo = load_for_change(tx, id, rev)?;
        let event = match input.kind {
            forms::ReturnKind::Return => Event::Return,
            forms::ReturnKind::Exchange => Event::Exchange,
        };
        let to = transition(wo.kind, wo.state, event)?;
        let unit = unit_in(tx, &wo, ctx.today)?
            .ok_or_else(|| Error::invalid("kind", Rule::PurchaseDateUnknown))?;
        let e = eligibility(&unit, ctx.today);
        let Some(days) = e.days_since_purchase else {
            return Err(Error::invalid("kind", Rule::PurchaseDateUnknown));
        };
        let (open, until, term) = match input.kind {
            forms::ReturnKind::Return => (e.return_open, e.return_until.clone(), "退货"),
            forms::ReturnKind::Exchange => (e.exchange_open, e.exchange_until.clone(), "换货"),
        };
        let until = until.unwrap_or_default();
        if !open {
            return Err(Error::Validation(vec![FieldIssue::new(
                "kind",
                Rule::TermExpired,
            )
            .with("until", &until)
            .with("days", days)]));
        }
        let eligibility_text = format!("购买后第 {days} 天，在{term}期内（至 {until}）");
        let data = FormData::ReturnNote(forms::ReturnNote {
            header: forms::Header::default(),
            work_order_number: wo.number.clone(),
            party: party(tx, &wo, ctx.today)?,
            kind: input.kind,
            reason: reason.clone(),
            eligibility: eligibility_text,
            nonconforming_handling: handling.clone(),
            approver: person(tx, &ctx.actor.user_id)?.name,
        });
        let issued = documents::issue_in(tx, ctx, id, Some(id), data)?;
        if let Issued::New(doc) = &issued {
            log_document_event(tx, ctx, id, "document_issued", doc, "")?;
        }
        let name = if event == Event::Return {
            "returned"
        } else {
            "exchanged"
        };
        commit_step(tx, ctx, &wo, name, to, &reason)?;
        Ok(())
    })?;
    get(desk, id)
}

/// Re-issues the dispatch slip after a correction of the archive (a typo in the address) while
/// the technician is still on the way: the next revision under the same number; the old one
/// stays on record. (A receipt is re-issued through [`issue_receipt`]: a signature belongs to
/// the content it was given for and is never carried over to changed content.)
pub fn reissue_dispatch_slip(desk: &mut Desk, id: &str, rev: i64) -> Result<WorkOrderDetail> {
    desk.write(Permission::Dispatch, |tx, ctx| {
        let wo = load_for_change(tx, id, rev)?;
        if wo.state != State::Dispatched {
            return Err(Error::InvalidTransition {
                from: wo.state.as_str(),
                event: "reissue_dispatch_slip",
            });
        }
        let data = dispatch_slip_data(tx, ctx, &wo)?;
        if let Issued::New(doc) = documents::issue_in(tx, ctx, id, Some(id), data)? {
            log_document_event(tx, ctx, id, "document_issued", &doc, "")?;
            commit_step(tx, ctx, &wo, "reissued", wo.state, &doc.number)?;
        }
        Ok(())
    })?;
    get(desk, id)
}
