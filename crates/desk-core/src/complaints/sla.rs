//! The SLA side of complaints: the policy per severity level, the three clocks of a complaint
//! (accept, first response, close) counted in working time on the site's calendar, pauses,
//! the complaint board, and the escalation of breached clocks.
//!
//! A clock's due and at-risk instants are worked out when something changes (a step, a pause,
//! the calendar) and stored, with the earliest of the running clocks on the complaint itself:
//! the board is then a comparison of stored instants with "now" in one indexed query, and a
//! clock breaches at exactly its due instant without anything running in the background.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{get_in, group_for, log_event, touch, Complaint, ComplaintKind, HandlingGroup, Stage};
use crate::calendar::{self, Calendar};
use crate::error::{Error, Result};
use crate::users::Permission;
use crate::validate::Issues;
use crate::{timestamp, Ctx, Desk};

text_enum!(ClockKind {
    Accept = "accept",
    Respond = "respond",
    Close = "close",
});

text_enum!(ClockState {
    OnTrack = "on_track",
    /// At or past the policy's share of the limit (80% by default).
    AtRisk = "at_risk",
    /// Past the due instant and still running.
    Breached = "breached",
    Paused = "paused",
    /// Stopped in time.
    Met = "met",
    /// Stopped late.
    Missed = "missed",
});

text_enum!(
    /// Where a complaint stands on the board: its most pressing running clock.
    BoardState {
        Breached = "breached",
        AtRisk = "at_risk",
        DueToday = "due_today",
        OnTrack = "on_track",
        Paused = "paused",
    }
);

pub(crate) fn clock_zh(k: ClockKind) -> &'static str {
    match k {
        ClockKind::Accept => "受理",
        ClockKind::Respond => "首次响应",
        ClockKind::Close => "结案",
    }
}

// ---------------------------------------------------------------- policy

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SlaPolicy {
    pub level: i64,
    pub group: HandlingGroup,
    /// Working hours to accept (judge) the complaint.
    pub accept_hours: i64,
    /// Working hours to the first response to the customer.
    pub respond_hours: i64,
    /// Working days to close.
    pub close_days: i64,
    /// The share of a limit used at which a clock shows as at risk.
    pub at_risk_percent: i64,
    pub rev: i64,
    pub updated_at: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SlaPolicyInput {
    pub accept_hours: i64,
    pub respond_hours: i64,
    pub close_days: i64,
    pub at_risk_percent: i64,
}

fn policy_in(conn: &Connection, level: i64) -> Result<SlaPolicy> {
    conn.query_row(
        "SELECT level, accept_hours, respond_hours, close_days, at_risk_percent, rev, updated_at
         FROM sla_policies WHERE level = ?1",
        [level],
        |r| {
            let level: i64 = r.get(0)?;
            Ok(SlaPolicy {
                level,
                group: group_for(level),
                accept_hours: r.get(1)?,
                respond_hours: r.get(2)?,
                close_days: r.get(3)?,
                at_risk_percent: r.get(4)?,
                rev: r.get(5)?,
                updated_at: r.get(6)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        entity: "sla_policy",
        id: level.to_string(),
    })
}

pub fn policies(desk: &Desk) -> Result<Vec<SlaPolicy>> {
    desk.require(Permission::ViewArchive)?;
    (1..=4).map(|l| policy_in(desk.conn(), l)).collect()
}

/// Sets a level's limits. Running clocks keep the limit they started with: a complaint's time
/// limits are what the customer was told at registration.
pub fn update_policy(
    desk: &mut Desk,
    level: i64,
    rev: i64,
    input: SlaPolicyInput,
) -> Result<Vec<SlaPolicy>> {
    desk.require(Permission::ManagePolicy)?;
    let mut issues = Issues::default();
    issues.range("level", level, 1, 4);
    issues.range("acceptHours", input.accept_hours, 1, 720);
    issues.range("respondHours", input.respond_hours, 1, 720);
    issues.range("closeDays", input.close_days, 1, 90);
    issues.range("atRiskPercent", input.at_risk_percent, 50, 99);
    issues.finish()?;
    desk.write(Permission::ManagePolicy, |tx, ctx| {
        let n = tx.execute(
            "UPDATE sla_policies SET accept_hours = ?1, respond_hours = ?2, close_days = ?3, at_risk_percent = ?4,
                    rev = rev + 1, updated_at = ?5, updated_by = ?6
             WHERE level = ?7 AND rev = ?8",
            params![input.accept_hours, input.respond_hours, input.close_days, input.at_risk_percent,
                    ctx.now_text(), ctx.actor.user_id, level, rev],
        )?;
        if n == 0 {
            return Err(Error::Conflict {
                entity: "sla_policy",
                id: level.to_string(),
                expected: rev,
            });
        }
        let p = policy_in(tx, level)?;
        crate::audit::record(
            tx,
            ctx,
            "sla_policies",
            &level.to_string(),
            crate::audit::Action::Update,
            &p,
        )?;
        Ok(())
    })?;
    policies(desk)
}

// ---------------------------------------------------------------- clocks

pub(crate) fn calendar_in(conn: &Connection, tz: Tz) -> Result<Calendar> {
    calendar::load_in(conn, tz)
}

struct ClockRow {
    clock: ClockKind,
    started_at: String,
    limit_minutes: i64,
    risk_percent: i64,
    paused_minutes: i64,
    due_at: Option<String>,
    risk_at: Option<String>,
    stopped_at: Option<String>,
    escalated: bool,
}

fn clock_rows(conn: &Connection, id: &str) -> Result<Vec<ClockRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT clock, started_at, limit_minutes, risk_percent, paused_minutes, due_at, risk_at, stopped_at, escalated
         FROM complaint_clocks WHERE complaint_id = ?1",
    )?;
    let mut rows = stmt
        .query_map([id], |r| {
            let clock: String = r.get(0)?;
            Ok(ClockRow {
                clock: ClockKind::parse(&clock).ok_or_else(|| super::bad("clock", &clock))?,
                started_at: r.get(1)?,
                limit_minutes: r.get(2)?,
                risk_percent: r.get(3)?,
                paused_minutes: r.get(4)?,
                due_at: r.get(5)?,
                risk_at: r.get(6)?,
                stopped_at: r.get(7)?,
                escalated: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.sort_by_key(|r| ClockKind::ALL.iter().position(|k| *k == r.clock));
    Ok(rows)
}

fn parse_ts(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.to_utc())
        .map_err(|e| Error::Corrupt(format!("timestamp {s:?}: {e}")))
}

/// Starts (or restarts) `kinds` at `now` with the limits of `level`'s policy.
pub(crate) fn start_clocks(
    tx: &Connection,
    cal: &Calendar,
    id: &str,
    level: i64,
    now: DateTime<Utc>,
    kinds: &[ClockKind],
) -> Result<()> {
    let p = policy_in(tx, level)?;
    for k in kinds {
        let limit = match k {
            ClockKind::Accept => p.accept_hours * 60,
            ClockKind::Respond => p.respond_hours * 60,
            ClockKind::Close => p.close_days * cal.minutes_per_day(),
        };
        tx.execute(
            "INSERT OR REPLACE INTO complaint_clocks (complaint_id, clock, started_at, limit_minutes, risk_percent)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, k.as_str(), timestamp(now), limit, p.at_risk_percent],
        )?;
    }
    refresh_in(tx, cal, id)
}

/// Stops those of `kinds` still running; returns how many it stopped.
pub(crate) fn stop_clocks(
    tx: &Connection,
    cal: &Calendar,
    id: &str,
    now: DateTime<Utc>,
    kinds: &[ClockKind],
) -> Result<usize> {
    // Due instants must be current (not paused) when a clock stops: they decide met or missed.
    refresh_in(tx, cal, id)?;
    let mut n = 0;
    for k in kinds {
        n += tx.execute(
            "UPDATE complaint_clocks SET stopped_at = ?1 WHERE complaint_id = ?2 AND clock = ?3 AND stopped_at IS NULL",
            params![timestamp(now), id, k.as_str()],
        )?;
    }
    refresh_in(tx, cal, id)?;
    Ok(n)
}

/// Works out the due and at-risk instants of the running clocks (none while paused) and the
/// earliest of them on the complaint, which the board reads.
pub(crate) fn refresh_in(tx: &Connection, cal: &Calendar, id: &str) -> Result<()> {
    let (paused, closed): (bool, bool) = tx.query_row(
        "SELECT paused_since IS NOT NULL, closed_at IS NOT NULL FROM complaints WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut next: Option<(String, String)> = None;
    let mut escalation: Option<String> = None;
    for row in clock_rows(tx, id)? {
        if row.stopped_at.is_some() {
            continue;
        }
        let (due, risk) = if paused {
            (None, None)
        } else {
            let start = parse_ts(&row.started_at)?;
            // The at-risk share rounds up: a clock is never flagged before that share is used.
            let risk_minutes = (row.limit_minutes * row.risk_percent + 99) / 100;
            let due =
                timestamp(cal.add_working_minutes(start, row.limit_minutes + row.paused_minutes)?);
            let risk =
                timestamp(cal.add_working_minutes(start, risk_minutes + row.paused_minutes)?);
            (Some(due), Some(risk))
        };
        tx.execute(
            "UPDATE complaint_clocks SET due_at = ?1, risk_at = ?2 WHERE complaint_id = ?3 AND clock = ?4",
            params![due, risk, id, row.clock.as_str()],
        )?;
        if let (Some(d), Some(r)) = (due, risk) {
            if !row.escalated {
                escalation = Some(escalation.map_or(d.clone(), |e| e.min(d.clone())));
            }
            next = Some(match next {
                None => (d, r),
                Some((nd, nr)) => (nd.min(d), nr.min(r)),
            });
        }
    }
    let (due, risk, escalation) = match (closed, next) {
        (false, Some((d, r))) => (Some(d), Some(r), escalation),
        _ => (None, None, None),
    };
    tx.execute(
        "UPDATE complaints SET next_due_at = ?1, next_risk_at = ?2, next_escalation_at = ?3 WHERE id = ?4",
        params![due, risk, escalation, id],
    )?;
    Ok(())
}

/// Ends a pause: the working time it lasted is added to every running clock.
pub(crate) fn resume_in(
    tx: &Connection,
    ctx: &Ctx,
    cal: &Calendar,
    c: &Complaint,
    note: &str,
) -> Result<()> {
    let Some(since) = &c.paused_since else {
        return Ok(());
    };
    let minutes = cal.working_minutes(parse_ts(since)?, ctx.now);
    tx.execute(
        "UPDATE complaint_clocks SET paused_minutes = paused_minutes + ?1 WHERE complaint_id = ?2 AND stopped_at IS NULL",
        params![minutes, c.id],
    )?;
    tx.execute(
        "UPDATE complaints SET paused_since = NULL, pause_reason = '' WHERE id = ?1",
        [&c.id],
    )?;
    refresh_in(tx, cal, &c.id)?;
    let stage = get_in(tx, &c.id)?.stage;
    log_event(
        tx,
        ctx,
        &c.id,
        "resumed",
        stage,
        stage,
        note,
        serde_json::json!({ "pausedMinutes": minutes, "since": since }),
    )
}

/// Recomputes every open complaint's clocks: after the calendar or its hours changed.
pub(crate) fn refresh_open(tx: &Connection, cal: &Calendar) -> Result<usize> {
    let ids: Vec<String> = tx
        .prepare("SELECT id FROM complaints WHERE closed_at IS NULL")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in &ids {
        refresh_in(tx, cal, id)?;
    }
    Ok(ids.len())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClockView {
    pub clock: ClockKind,
    pub state: ClockState,
    pub started_at: String,
    pub limit_minutes: i64,
    /// Working minutes used so far (pauses excluded), up to the stop when stopped.
    pub used_minutes: i64,
    pub paused_minutes: i64,
    /// None while paused.
    pub due_at: Option<String>,
    pub risk_at: Option<String>,
    pub stopped_at: Option<String>,
    /// A breach of this clock has raised the complaint's level.
    pub escalated: bool,
}

pub(crate) fn clocks_in(
    conn: &Connection,
    tz: Tz,
    c: &Complaint,
    now: DateTime<Utc>,
) -> Result<Vec<ClockView>> {
    let cal = calendar_in(conn, tz)?;
    let now_text = timestamp(now);
    clock_rows(conn, &c.id)?
        .into_iter()
        .map(|r| {
            let start = parse_ts(&r.started_at)?;
            let until = match (&r.stopped_at, &c.paused_since) {
                (Some(s), _) => parse_ts(s)?,
                (None, Some(p)) => parse_ts(p)?,
                (None, None) => now,
            };
            let used = (cal.working_minutes(start, until) - r.paused_minutes).max(0);
            let state = match (&r.stopped_at, &r.due_at, &r.risk_at) {
                (Some(s), Some(d), _) if s <= d => ClockState::Met,
                (Some(_), _, _) => ClockState::Missed,
                (None, None, _) => ClockState::Paused,
                (None, Some(d), _) if now_text > *d => ClockState::Breached,
                (None, _, Some(k)) if now_text >= *k => ClockState::AtRisk,
                _ => ClockState::OnTrack,
            };
            Ok(ClockView {
                clock: r.clock,
                state,
                started_at: r.started_at,
                limit_minutes: r.limit_minutes,
                used_minutes: used,
                paused_minutes: r.paused_minutes,
                due_at: r.due_at,
                risk_at: r.risk_at,
                stopped_at: r.stopped_at,
                escalated: r.escalated,
            })
        })
        .collect()
}

/// A clock as printed on the handling slip: `受理：按时（2026-11-22 15:10 完成，时限 …）`.
pub(crate) fn clock_line(k: &ClockView, ctx: &Ctx) -> String {
    let due = k
        .due_at
        .as_deref()
        .map(|d| ctx.local_text(d))
        .unwrap_or_default();
    let name = clock_zh(k.clock);
    match k.state {
        ClockState::Met | ClockState::Missed => format!(
            "{name}：{}（时限 {due}，完成于 {}）",
            if k.state == ClockState::Met {
                "按时"
            } else {
                "超时"
            },
            ctx.local_text(k.stopped_at.as_deref().unwrap_or_default())
        ),
        ClockState::Paused => format!("{name}：暂停计时"),
        ClockState::Breached => format!("{name}：已超时（时限 {due}）"),
        ClockState::AtRisk => format!("{name}：即将超时（时限 {due}）"),
        ClockState::OnTrack => format!("{name}：进行中（时限 {due}）"),
    }
}

/// The UTC instant of local midnight starting `date` (`YYYY-MM-DD`), as stored text.
pub(crate) fn local_day_start(tz: Tz, date: &str) -> Option<String> {
    let d = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok()?;
    Some(timestamp(day_start(tz, d)))
}

fn day_start(tz: Tz, d: NaiveDate) -> DateTime<Utc> {
    let naive = d.and_time(NaiveTime::MIN);
    tz.from_local_datetime(&naive)
        .earliest()
        .unwrap_or_else(|| tz.from_utc_datetime(&naive))
        .to_utc()
}

// ---------------------------------------------------------------- escalation

/// Escalates every open complaint with a clock breached and not yet escalated: its level goes
/// up one (to the next level's handling group; level 4 stays 4 and is flagged again), the
/// clocks are marked, and the escalation goes on the timeline. Idempotent: a clock escalates
/// once. Returns the complaints escalated. Runs whenever the board is read, and on a timer.
pub fn escalate_breached(desk: &mut Desk) -> Result<Vec<String>> {
    const DUE: &str = "SELECT id FROM complaints
         WHERE closed_at IS NULL AND next_escalation_at IS NOT NULL AND next_escalation_at < ?1
         ORDER BY next_escalation_at";
    // Most reads find nothing to do: look before taking the write lock.
    let any = desk
        .conn()
        .prepare_cached(DUE)?
        .exists([timestamp(desk.now())])?;
    if !any {
        desk.require(Permission::ViewArchive)?;
        return Ok(Vec::new());
    }
    let calendar = calendar_in(desk.conn(), desk.time_zone())?;
    // Everybody's desk may run the sweep: it applies the policy, it decides nothing.
    desk.write(Permission::ViewArchive, |tx, ctx| {
        let now = timestamp(ctx.now);
        let ids: Vec<String> = tx
            .prepare_cached(DUE)?
            .query_map([&now], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut escalated = Vec::new();
        for id in ids {
            let breached: Vec<(ClockKind, String)> = clock_rows(tx, &id)?
                .into_iter()
                .filter(|r| r.stopped_at.is_none() && !r.escalated)
                .filter_map(|r| r.due_at.filter(|d| *d < now).map(|d| (r.clock, d)))
                .collect();
            if breached.is_empty() {
                continue;
            }
            let c = get_in(tx, &id)?;
            let to_level = (c.level + 1).min(4);
            tx.execute(
                "UPDATE complaints SET level = ?1 WHERE id = ?2",
                params![to_level, id],
            )?;
            for (k, _) in &breached {
                tx.execute(
                    "UPDATE complaint_clocks SET escalated = 1 WHERE complaint_id = ?1 AND clock = ?2",
                    params![id, k.as_str()],
                )?;
            }
            refresh_in(tx, &calendar, &id)?;
            let clocks: Vec<&str> = breached.iter().map(|(k, _)| k.as_str()).collect();
            let content = format!(
                "{}超时，升级至{}",
                breached
                    .iter()
                    .map(|(k, _)| clock_zh(*k))
                    .collect::<Vec<_>>()
                    .join("、"),
                super::level_zh(to_level)
            );
            log_event(
                tx,
                ctx,
                &id,
                "escalated",
                c.stage,
                c.stage,
                &content,
                serde_json::json!({
                    "clocks": clocks,
                    "dueAt": breached[0].1,
                    "fromLevel": c.level,
                    "toLevel": to_level,
                    "group": group_for(to_level),
                }),
            )?;
            touch(tx, ctx, &c)?;
            escalated.push(id);
        }
        Ok(escalated)
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Escalation {
    pub complaint_id: String,
    pub number: String,
    pub customer_name: String,
    pub at: String,
    pub clocks: Vec<ClockKind>,
    pub from_level: i64,
    pub to_level: i64,
    pub group: HandlingGroup,
    pub stage: Stage,
    /// Still open: the escalation is still to be dealt with.
    pub open: bool,
}

/// The escalations, newest first: what the next level's group has been handed.
pub fn escalations(desk: &Desk, open_only: bool, limit: i64) -> Result<Vec<Escalation>> {
    desk.require(Permission::ViewArchive)?;
    let mut stmt = desk.conn().prepare(&format!(
        "SELECT c.id, c.number, cu.name, e.at, e.data, c.stage, c.closed_at IS NULL
         FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id
         JOIN customers cu ON cu.id = c.customer_id
         WHERE e.event = 'escalated' {}
         ORDER BY e.at DESC LIMIT ?1",
        if open_only {
            "AND c.closed_at IS NULL"
        } else {
            ""
        }
    ))?;
    let rows = stmt.query_map([limit.clamp(1, 1000)], |r| {
        let data: String = r.get(4)?;
        let stage: String = r.get(5)?;
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            data,
            stage,
            r.get::<_, bool>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, number, customer_name, at, data, stage, open) = row?;
        let v: serde_json::Value = serde_json::from_str(&data)
            .map_err(|e| Error::Corrupt(format!("escalation data: {e}")))?;
        let to_level = v["toLevel"].as_i64().unwrap_or(4);
        out.push(Escalation {
            complaint_id: id,
            number,
            customer_name,
            at,
            clocks: v["clocks"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|c| c.as_str().and_then(ClockKind::parse))
                        .collect()
                })
                .unwrap_or_default(),
            from_level: v["fromLevel"].as_i64().unwrap_or(to_level),
            to_level,
            group: group_for(to_level),
            stage: Stage::parse(&stage)
                .ok_or_else(|| Error::Corrupt(format!("complaint stage {stage:?}")))?,
            open,
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------- board

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BoardFilter {
    pub level: Option<i64>,
    pub state: Option<BoardState>,
    /// Cards returned (most pressing first); 200 when absent.
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BoardCell {
    pub level: i64,
    pub state: BoardState,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BoardItem {
    pub id: String,
    pub number: String,
    pub kind: ComplaintKind,
    pub level: i64,
    pub group: HandlingGroup,
    pub stage: Stage,
    pub state: BoardState,
    pub customer_name: String,
    pub complainant: String,
    pub content: String,
    pub owner_name: String,
    pub received_at: String,
    pub next_due_at: Option<String>,
    /// How many of its clocks have escalated.
    pub escalations: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Board {
    /// Open complaints per level and state (cells with no complaint are left out).
    pub cells: Vec<BoardCell>,
    pub items: Vec<BoardItem>,
    /// Open complaints matching the filter (the items are the first of them).
    pub matching: i64,
    /// The instant the states were judged at.
    pub at: String,
}

/// The state of an open complaint in SQL: `?1` now, `?2` the start of tomorrow at the site.
const STATE_SQL: &str = "CASE WHEN c.paused_since IS NOT NULL THEN 'paused'
          WHEN c.next_due_at < ?1 THEN 'breached'
          WHEN c.next_risk_at <= ?1 THEN 'at_risk'
          WHEN c.next_due_at < ?2 THEN 'due_today'
          ELSE 'on_track' END";

/// The open complaints by level and clock state, and the most pressing of them as cards:
/// breached first, then by the earliest due time; paused ones last.
pub fn board(desk: &Desk, filter: &BoardFilter) -> Result<Board> {
    desk.require(Permission::ViewArchive)?;
    let now = desk.now();
    let tz = desk.time_zone();
    let tomorrow = day_start(
        tz,
        now.with_timezone(&tz).date_naive() + chrono::Days::new(1),
    );
    let (now_t, tomorrow_t) = (timestamp(now), timestamp(tomorrow));
    let conn = desk.conn();
    let cells = conn
        .prepare_cached(&format!(
            "SELECT c.level, {STATE_SQL} AS st, count(*) FROM complaints c
             WHERE c.closed_at IS NULL GROUP BY c.level, st ORDER BY c.level, st"
        ))?
        .query_map(params![now_t, tomorrow_t], |r| {
            let st: String = r.get(1)?;
            Ok(BoardCell {
                level: r.get(0)?,
                state: BoardState::parse(&st).ok_or_else(|| super::bad("state", &st))?,
                count: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let matching = cells
        .iter()
        .filter(|c| filter.level.is_none_or(|l| l == c.level))
        .filter(|c| filter.state.is_none_or(|s| s == c.state))
        .map(|c| c.count)
        .sum();
    let limit = filter.limit.unwrap_or(200).clamp(1, 1000);
    // Cards come in due order straight off the index: the state filter is a range of the
    // stored due and at-risk instants, not a computed column.
    let range = match filter.state {
        None => "c.paused_since IS NULL AND c.next_due_at IS NOT NULL",
        Some(BoardState::Breached) => "c.paused_since IS NULL AND c.next_due_at < ?1",
        Some(BoardState::AtRisk) => {
            "c.paused_since IS NULL AND c.next_due_at >= ?1 AND c.next_risk_at <= ?1"
        }
        Some(BoardState::DueToday) => {
            "c.paused_since IS NULL AND c.next_due_at >= ?1 AND c.next_due_at < ?2 AND c.next_risk_at > ?1"
        }
        Some(BoardState::OnTrack) => {
            "c.paused_since IS NULL AND c.next_due_at >= ?2 AND c.next_risk_at > ?1"
        }
        Some(BoardState::Paused) => "c.paused_since IS NOT NULL",
    };
    let order = if filter.state == Some(BoardState::Paused) {
        "c.paused_since"
    } else {
        "c.next_due_at"
    };
    let mut items = cards(conn, range, order, &now_t, &tomorrow_t, filter.level, limit)?;
    if filter.state.is_none() && (items.len() as i64) < limit {
        // Paused ones after the running ones.
        let rest = limit - items.len() as i64;
        items.extend(cards(
            conn,
            "c.paused_since IS NOT NULL",
            "c.paused_since",
            &now_t,
            &tomorrow_t,
            filter.level,
            rest,
        )?);
    }
    Ok(Board {
        cells,
        items,
        matching,
        at: now_t,
    })
}

fn cards(
    conn: &Connection,
    range: &str,
    order: &str,
    now: &str,
    tomorrow: &str,
    level: Option<i64>,
    limit: i64,
) -> Result<Vec<BoardItem>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.number, c.kind, c.level, c.stage, {STATE_SQL} AS st, cu.name, c.complainant, c.content,
                coalesce(u.display_name, c.owner_id), c.received_at, c.next_due_at,
                (SELECT count(*) FROM complaint_clocks k WHERE k.complaint_id = c.id AND k.escalated = 1)
         FROM complaints c JOIN customers cu ON cu.id = c.customer_id LEFT JOIN users u ON u.id = c.owner_id
         WHERE c.closed_at IS NULL AND ({range}) AND (?3 IS NULL OR c.level = ?3)
         ORDER BY {order} LIMIT ?4"
    ))?;
    let items = stmt
        .query_map(params![now, tomorrow, level, limit], |r| {
            let kind: String = r.get(2)?;
            let stage: String = r.get(4)?;
            let st: String = r.get(5)?;
            let level: i64 = r.get(3)?;
            Ok(BoardItem {
                id: r.get(0)?,
                number: r.get(1)?,
                kind: ComplaintKind::parse(&kind).ok_or_else(|| super::bad("kind", &kind))?,
                level,
                group: group_for(level),
                stage: Stage::parse(&stage).ok_or_else(|| super::bad("stage", &stage))?,
                state: BoardState::parse(&st).ok_or_else(|| super::bad("state", &st))?,
                customer_name: r.get(6)?,
                complainant: r.get(7)?,
                content: r.get(8)?,
                owner_name: r.get(9)?,
                received_at: r.get(10)?,
                next_due_at: r.get(11)?,
                escalations: r.get(12)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(items)
}
