//! Complaint figures for a period: counts by type and level, the on-time rate of each clock,
//! the mean time to close and the reopen rate.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::sla::{local_day_start, ClockKind};
use super::ComplaintKind;
use crate::error::{Error, Result, Rule};
use crate::users::Permission;
use crate::{timestamp, Desk};

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KpiFilter {
    /// Complaints received from this local date…
    pub from: String,
    /// …to this one, inclusive.
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KindLevelCount {
    pub kind: ComplaintKind,
    pub level: i64,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClockRate {
    pub clock: ClockKind,
    /// Stopped in time.
    pub met: i64,
    /// Stopped late, or still running past the due time.
    pub missed: i64,
    /// met / (met + missed); None when no clock has a result yet.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ComplaintKpis {
    pub from: String,
    pub to: String,
    pub received: i64,
    pub open: i64,
    pub closed: i64,
    /// Judged invalid (replied to and closed).
    pub invalid: i64,
    pub by_kind_level: Vec<KindLevelCount>,
    pub clocks: Vec<ClockRate>,
    /// Hours from receipt to close over the valid complaints closed; None when none closed.
    pub mean_hours_to_close: Option<f64>,
    pub reopened: i64,
    /// Reopened / closed at least once; None when none closed.
    pub reopen_rate: Option<f64>,
}

pub fn kpis(desk: &Desk, filter: &KpiFilter) -> Result<ComplaintKpis> {
    desk.require(Permission::ViewArchive)?;
    let tz = desk.time_zone();
    let from = local_day_start(tz, &filter.from)
        .ok_or_else(|| Error::invalid("from", Rule::InvalidDate))?;
    let to_day = chrono::NaiveDate::parse_from_str(filter.to.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid("to", Rule::InvalidDate))?;
    let to = local_day_start(tz, &(to_day + chrono::Days::new(1)).to_string())
        .ok_or_else(|| Error::invalid("to", Rule::InvalidDate))?;
    if to <= from {
        return Err(Error::invalid("to", Rule::EndBeforeStart));
    }
    let now = timestamp(desk.now());
    let conn = desk.conn();
    let period = "c.received_at >= ?1 AND c.received_at < ?2";
    let (received, open, closed, invalid, reopened, reopened_open, mean_hours): (
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
        Option<f64>,
    ) = conn.query_row(
        &format!(
            "SELECT count(*),
                        coalesce(sum(c.closed_at IS NULL), 0),
                        coalesce(sum(c.stage = 'closed'), 0),
                        coalesce(sum(c.stage = 'invalid'), 0),
                        coalesce(sum(c.reopen_count > 0), 0),
                        coalesce(sum(c.reopen_count > 0 AND c.closed_at IS NULL), 0),
                        avg(CASE WHEN c.stage = 'closed'
                                 THEN (julianday(c.closed_at) - julianday(c.received_at)) * 24 END)
                 FROM complaints c WHERE {period}"
        ),
        params![from, to],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        },
    )?;
    let by_kind_level = conn
        .prepare(&format!(
            "SELECT c.kind, c.level, count(*) FROM complaints c WHERE {period}
             GROUP BY c.kind, c.level ORDER BY c.kind, c.level"
        ))?
        .query_map(params![from, to], |r| {
            let kind: String = r.get(0)?;
            Ok(KindLevelCount {
                kind: ComplaintKind::parse(&kind).ok_or_else(|| super::bad("kind", &kind))?,
                level: r.get(1)?,
                count: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut clocks = Vec::new();
    for k in ClockKind::ALL {
        let (met, missed): (i64, i64) = conn.query_row(
            &format!(
                "SELECT coalesce(sum(k.stopped_at IS NOT NULL AND k.stopped_at <= k.due_at), 0),
                        coalesce(sum((k.stopped_at IS NOT NULL AND k.stopped_at > k.due_at)
                                     OR (k.stopped_at IS NULL AND k.due_at < ?3)), 0)
                 FROM complaint_clocks k JOIN complaints c ON c.id = k.complaint_id
                 WHERE {period} AND k.clock = ?4"
            ),
            params![from, to, now, k.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        clocks.push(ClockRate {
            clock: *k,
            met,
            missed,
            rate: (met + missed > 0).then(|| met as f64 / (met + missed) as f64),
        });
    }
    // Closed at least once: closed now, or reopened and open again.
    let ever_closed = closed + invalid + reopened_open;
    Ok(ComplaintKpis {
        from: filter.from.trim().to_owned(),
        to: filter.to.trim().to_owned(),
        received,
        open,
        closed,
        invalid,
        by_kind_level,
        clocks,
        mean_hours_to_close: mean_hours,
        reopened,
        reopen_rate: (ever_closed > 0).then(|| reopened as f64 / ever_closed as f64),
    })
}
