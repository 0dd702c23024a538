//! The working-day calendar: weekends, public holidays and make-up working days (调休), and the
//! working time between two instants in the site's time zone — what SLA clocks count.
//!
//! A day is a working day when the calendar says so: an entry marks a weekday off (`holiday`)
//! or a weekend day on (`workday`, the Saturday or Sunday worked to bridge a holiday); without
//! an entry, Monday to Friday work. Working time runs inside the working hours of working days.
//! The arithmetic here is pure (a [`Calendar`] value), so that it can be tested exhaustively;
//! storing and importing the entries is done by the functions at the bottom.

use std::collections::BTreeMap;

use chrono::{
    DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use rusqlite::{params, Connection};

use crate::error::{Error, FieldIssue, Result, Rule};
use crate::users::Permission;
use crate::{Ctx, Desk};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum DayKind {
    /// A weekday off (a public holiday or a bridging day).
    Holiday,
    /// A weekend day worked (调休).
    Workday,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CalendarDay {
    /// `YYYY-MM-DD`
    pub date: String,
    pub kind: DayKind,
    /// 国庆节, 春节调休…
    pub name: String,
}

/// The calendar as arithmetic sees it: the entries and the daily working hours, as minutes of
/// the local day (`0..=1440`). Hours 00:00–24:00 count whole working days, which is how "within
/// 24 h" reads in a service commitment (weekends and holidays do not count: 节假日顺延); a
/// site that counts office hours only sets, say, 08:30–17:30.
#[derive(Debug, Clone)]
pub struct Calendar {
    days: BTreeMap<NaiveDate, DayKind>,
    start: u32,
    end: u32,
    tz: Tz,
}

/// How far a search for the next working moment may look: a calendar with no working day in
/// two years is a data error, not a reason to loop forever.
const MAX_SEARCH_DAYS: u64 = 730;

/// Minutes in a day: the end of working hours that means "midnight at the end of the day".
pub const DAY_MINUTES: u32 = 1440;

fn minute_of(t: NaiveTime) -> u32 {
    t.hour() * 60 + t.minute()
}

impl Calendar {
    /// `start` < `end`: working hours within a day (e.g. 08:30–17:30).
    pub fn new(
        days: impl IntoIterator<Item = (NaiveDate, DayKind)>,
        start: NaiveTime,
        end: NaiveTime,
        tz: Tz,
    ) -> Calendar {
        Calendar::with_minutes(days, minute_of(start), minute_of(end), tz)
    }

    /// Working hours as minutes of the day; `end` may be 1440 (24:00).
    pub fn with_minutes(
        days: impl IntoIterator<Item = (NaiveDate, DayKind)>,
        start: u32,
        end: u32,
        tz: Tz,
    ) -> Calendar {
        assert!(
            start < end && end <= DAY_MINUTES,
            "working hours must start before they end, within the day"
        );
        Calendar {
            days: days.into_iter().collect(),
            start,
            end,
            tz,
        }
    }

    pub fn time_zone(&self) -> Tz {
        self.tz
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.days.get(&d) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// Inside the working hours of a working day, or at their very end (24:00 of a working
    /// day is 00:00 of the next, which may be a day off).
    pub fn is_working_moment(&self, t: DateTime<Utc>) -> bool {
        let local = t.with_timezone(&self.tz);
        let (day, m) = (local.date_naive(), minute_of(local.time()));
        (self.is_working_day(day) && (self.start..=self.end).contains(&m))
            || (self.end == DAY_MINUTES
                && m == 0
                && day.pred_opt().is_some_and(|prev| self.is_working_day(prev)))
    }

    /// Working minutes in one working day.
    pub fn minutes_per_day(&self) -> i64 {
        i64::from(self.end - self.start)
    }

    fn local(&self, d: NaiveDate, minute: u32) -> DateTime<Utc> {
        let naive =
            NaiveDateTime::new(d, NaiveTime::MIN) + chrono::Duration::minutes(minute.into());
        // A wall-clock time that does not exist (a DST gap; China has none) takes the next one.
        self.tz
            .from_local_datetime(&naive)
            .earliest()
            .unwrap_or_else(|| self.tz.from_utc_datetime(&naive))
            .to_utc()
    }

    /// Working minutes of a working day that lie before the local minute `m`.
    fn worked_before(&self, m: u32) -> i64 {
        i64::from(m.clamp(self.start, self.end) - self.start)
    }

    /// Working minutes between two instants (zero when `to` is not after `from`).
    pub fn working_minutes(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        if to <= from {
            return 0;
        }
        let (a, b) = (from.with_timezone(&self.tz), to.with_timezone(&self.tz));
        let (da, db) = (a.date_naive(), b.date_naive());
        let (ma, mb) = (minute_of(a.time()), minute_of(b.time()));
        if da == db {
            return if self.is_working_day(da) {
                self.worked_before(mb) - self.worked_before(ma)
            } else {
                0
            };
        }
        let mut total = 0;
        if self.is_working_day(da) {
            total += self.minutes_per_day() - self.worked_before(ma);
        }
        let mut d = da + Days::new(1);
        while d < db {
            if self.is_working_day(d) {
                total += self.minutes_per_day();
            }
            d = d + Days::new(1);
        }
        if self.is_working_day(db) {
            total += self.worked_before(mb);
        }
        total
    }

    /// The instant at which `minutes` of working time have passed since `from`. The result is
    /// always a working moment: inside (or at the end of) the working hours of a working day.
    pub fn add_working_minutes(&self, from: DateTime<Utc>, minutes: i64) -> Result<DateTime<Utc>> {
        let local = from.with_timezone(&self.tz);
        let mut day = local.date_naive();
        let m = minute_of(local.time());
        let mut at = m.max(self.start);
        if m >= self.end {
            day = day + Days::new(1);
            at = self.start;
        }
        let mut left = minutes.max(0);
        for _ in 0..=MAX_SEARCH_DAYS * 2 + (left / self.minutes_per_day().max(1)) as u64 {
            if self.is_working_day(day) {
                let room = i64::from(self.end - at);
                if left <= room && (left > 0 || room > 0) {
                    return Ok(self.local(day, at + left as u32));
                }
                left -= room;
            }
            day = day + Days::new(1);
            at = self.start;
        }
        Err(Error::Validation(vec![FieldIssue::new(
            "calendar",
            Rule::OutOfRange,
        )
        .with("days", MAX_SEARCH_DAYS)]))
    }

    /// The `n`th working day after `from` (0: `from` itself if it is a working day, else the next).
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Result<NaiveDate> {
        let mut d = from;
        let mut seen = 0u32;
        for _ in 0..(MAX_SEARCH_DAYS + n as u64 * 3) {
            if self.is_working_day(d) {
                if seen == n {
                    return Ok(d);
                }
                seen += 1;
            }
            d = d + Days::new(1);
        }
        Err(Error::Validation(vec![FieldIssue::new(
            "calendar",
            Rule::OutOfRange,
        )
        .with("days", MAX_SEARCH_DAYS)]))
    }
}

/// Reads calendar entries from a simple file, CSV (`date,kind,name` per line; a header line
/// and `#` comments allowed; kind `holiday`/`休` or `workday`/`班`) or JSON (an array of
/// `{date, kind, name}`). Every bad line is reported with its number; nothing is half-read.
pub fn parse_entries(text: &str) -> Result<Vec<CalendarDay>> {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.starts_with('[') {
        let days: Vec<CalendarDay> = serde_json::from_str(trimmed).map_err(|e| {
            Error::Validation(vec![
                FieldIssue::new("file", Rule::UnreadableFile).with("line", e.line())
            ])
        })?;
        let mut issues = Vec::new();
        for (i, d) in days.iter().enumerate() {
            if NaiveDate::parse_from_str(&d.date, "%Y-%m-%d").is_err() {
                issues.push(FieldIssue::new(format!("days.{i}.date"), Rule::InvalidDate));
            }
        }
        return if issues.is_empty() {
            Ok(days)
        } else {
            Err(Error::Validation(issues))
        };
    }
    let mut out = Vec::new();
    let mut issues = Vec::new();
    for (i, line) in trimmed.lines().enumerate() {
        let line = line.trim();
        if line.is_empty()
            || line.starts_with('#')
            // The header line, after any opening comments.
            || (out.is_empty() && issues.is_empty() && line.to_lowercase().starts_with("date"))
        {
            continue;
        }
        let cols: Vec<&str> = line.split([',', '\t']).map(str::trim).collect();
        let date = cols
            .first()
            .and_then(|c| NaiveDate::parse_from_str(c, "%Y-%m-%d").ok());
        let kind = match cols.get(1).copied() {
            Some("holiday" | "休" | "假") => Some(DayKind::Holiday),
            Some("workday" | "班") => Some(DayKind::Workday),
            _ => None,
        };
        match (date, kind) {
            (Some(d), Some(k)) => out.push(CalendarDay {
                date: d.to_string(),
                kind: k,
                name: cols.get(2).copied().unwrap_or("").to_owned(),
            }),
            (None, _) => {
                issues.push(FieldIssue::new("file", Rule::InvalidDate).with("line", i + 1))
            }
            (_, None) => {
                issues.push(FieldIssue::new("file", Rule::UnsupportedFile).with("line", i + 1))
            }
        }
    }
    if issues.is_empty() {
        Ok(out)
    } else {
        Err(Error::Validation(issues))
    }
}

// ---------------------------------------------------------------- storage

/// The calendar of this site as stored: its entries and working hours, in the site's zone.
pub fn load_in(conn: &Connection, tz: Tz) -> Result<Calendar> {
    let (start, end): (u32, u32) = conn.query_row(
        "SELECT start_minute, end_minute FROM calendar_settings WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let days = conn
        .prepare_cached("SELECT date, kind FROM calendar_days")?
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut parsed = Vec::with_capacity(days.len());
    for (date, kind) in days {
        let d = NaiveDate::parse_from_str(&date, "%Y-%m-%d")
            .map_err(|e| Error::Corrupt(format!("calendar date {date:?}: {e}")))?;
        let k = match kind.as_str() {
            "holiday" => DayKind::Holiday,
            _ => DayKind::Workday,
        };
        parsed.push((d, k));
    }
    Ok(Calendar::with_minutes(
        parsed,
        start,
        end.max(start + 1),
        tz,
    ))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WorkingHours {
    /// `HH:MM`
    pub start: String,
    /// `HH:MM`; `24:00` for the end of the day.
    pub end: String,
    pub rev: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CalendarYear {
    pub year: i32,
    /// The entries of the year, by date.
    pub days: Vec<CalendarDay>,
    /// Working days in the year with these entries.
    pub working_days: u32,
    pub hours: WorkingHours,
}

fn hhmm(m: u32) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn parse_hhmm(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    let total = h * 60 + m;
    (m < 60 && total <= DAY_MINUTES).then_some(total)
}

fn hours_in(conn: &Connection) -> Result<WorkingHours> {
    Ok(conn.query_row(
        "SELECT start_minute, end_minute, rev FROM calendar_settings WHERE id = 1",
        [],
        |r| {
            Ok(WorkingHours {
                start: hhmm(r.get(0)?),
                end: hhmm(r.get(1)?),
                rev: r.get(2)?,
            })
        },
    )?)
}

fn year_in(conn: &Connection, tz: Tz, year: i32) -> Result<CalendarYear> {
    let days = conn
        .prepare_cached(
            "SELECT date, kind, name FROM calendar_days WHERE date >= ?1 AND date < ?2 ORDER BY date",
        )?
        .query_map(
            params![format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1)],
            |r| {
                let kind: String = r.get(1)?;
                Ok(CalendarDay {
                    date: r.get(0)?,
                    kind: if kind == "holiday" {
                        DayKind::Holiday
                    } else {
                        DayKind::Workday
                    },
                    name: r.get(2)?,
                })
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let cal = load_in(conn, tz)?;
    let first = NaiveDate::from_ymd_opt(year, 1, 1)
        .ok_or_else(|| Error::invalid("year", Rule::OutOfRange))?;
    let working_days = first
        .iter_days()
        .take_while(|d| d.year() == year)
        .filter(|d| cal.is_working_day(*d))
        .count() as u32;
    Ok(CalendarYear {
        year,
        days,
        working_days,
        hours: hours_in(conn)?,
    })
}

fn check_year(year: i32) -> Result<()> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(Error::Validation(vec![FieldIssue::new(
            "year",
            Rule::OutOfRange,
        )
        .with("min", 2000)
        .with("max", 2100)]))
    }
}

pub fn year(desk: &Desk, year: i32) -> Result<CalendarYear> {
    desk.require(Permission::ViewArchive)?;
    check_year(year)?;
    year_in(desk.conn(), desk.time_zone(), year)
}

/// Checks entries for `year` (or, with `None`, for whatever years they name): valid dates
/// inside the year, one entry per date, a day off on a weekday and a worked day on a weekend
/// (anything else would change nothing and is most likely a typing error).
fn check_entries(
    entries: &[CalendarDay],
    year: Option<i32>,
) -> Result<Vec<(NaiveDate, CalendarDay)>> {
    let mut issues = Vec::new();
    let mut seen = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        let field = format!("days.{i}.date");
        let Ok(d) = NaiveDate::parse_from_str(e.date.trim(), "%Y-%m-%d") else {
            issues.push(FieldIssue::new(field, Rule::InvalidDate));
            continue;
        };
        if year.is_some_and(|y| d.year() != y) || !(2000..=2100).contains(&d.year()) {
            issues.push(FieldIssue::new(field, Rule::OutOfRange).with("date", d));
            continue;
        }
        let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        match (e.kind, weekend) {
            (DayKind::Holiday, true) | (DayKind::Workday, false) => {
                issues.push(
                    FieldIssue::new(format!("days.{i}.kind"), Rule::OutOfRange).with("date", d),
                );
                continue;
            }
            _ => {}
        }
        if e.name.chars().count() > 40 {
            issues.push(FieldIssue::new(format!("days.{i}.name"), Rule::TooLong).with("max", 40));
        }
        if seen.insert(d, i).is_some() {
            issues.push(FieldIssue::new(field, Rule::Duplicate).with("date", d));
        }
    }
    if !issues.is_empty() {
        return Err(Error::Validation(issues));
    }
    let mut out: Vec<(NaiveDate, CalendarDay)> = entries
        .iter()
        .map(|e| {
            let d = NaiveDate::parse_from_str(e.date.trim(), "%Y-%m-%d").expect("checked above");
            (
                d,
                CalendarDay {
                    date: d.to_string(),
                    kind: e.kind,
                    name: e.name.trim().to_owned(),
                },
            )
        })
        .collect();
    out.sort_by_key(|(d, _)| *d);
    Ok(out)
}

/// Replaces the entries of `year` in the same transaction; the running complaint clocks are
/// recomputed against the new calendar. Returns how many stored entries changed.
fn replace_year_in(
    tx: &Connection,
    ctx: &Ctx,
    year: i32,
    days: &[(NaiveDate, CalendarDay)],
) -> Result<usize> {
    let before = year_in(tx, ctx.tz, year)?.days;
    tx.execute(
        "DELETE FROM calendar_days WHERE date >= ?1 AND date < ?2",
        params![format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1)],
    )?;
    for (_, d) in days {
        tx.execute(
            "INSERT INTO calendar_days (date, kind, name, site_id, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![d.date, kind_text(d.kind), d.name, ctx.actor.site_id, ctx.now_text(), ctx.actor.user_id],
        )?;
    }
    let after: Vec<CalendarDay> = days.iter().map(|(_, d)| d.clone()).collect();
    let changed = before.iter().filter(|b| !after.contains(b)).count()
        + after.iter().filter(|a| !before.contains(a)).count();
    if changed > 0 {
        crate::audit::record(
            tx,
            ctx,
            "calendar_days",
            &year.to_string(),
            crate::audit::Action::Update,
            &serde_json::json!({ "year": year, "before": before, "after": after }),
        )?;
    }
    Ok(changed)
}

fn kind_text(k: DayKind) -> &'static str {
    match k {
        DayKind::Holiday => "holiday",
        DayKind::Workday => "workday",
    }
}

/// Sets a year's holidays and make-up working days as edited on screen.
pub fn set_year(desk: &mut Desk, year: i32, days: Vec<CalendarDay>) -> Result<CalendarYear> {
    desk.require(Permission::ManagePolicy)?;
    check_year(year)?;
    let days = check_entries(&days, Some(year))?;
    desk.write(Permission::ManagePolicy, |tx, ctx| {
        replace_year_in(tx, ctx, year, &days)?;
        let cal = load_in(tx, ctx.tz)?;
        crate::complaints::sla::refresh_open(tx, &cal)?;
        Ok(())
    })?;
    self::year(desk, year)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CalendarImport {
    /// The years the file covered: each one is replaced by the file's entries.
    pub years: Vec<i32>,
    pub entries: usize,
    /// Entries added, removed or changed.
    pub changed: usize,
}

/// Imports a calendar file (CSV or JSON, see [`parse_entries`]) — HQ's yearly schedule, as
/// pushed down the network. Every year the file names is replaced as a whole; a file with any
/// bad line changes nothing.
pub fn import(desk: &mut Desk, text: &str) -> Result<CalendarImport> {
    desk.require(Permission::ManagePolicy)?;
    let entries = parse_entries(text)?;
    if entries.is_empty() {
        return Err(Error::invalid("file", Rule::Required));
    }
    let days = check_entries(&entries, None)?;
    let mut by_year: BTreeMap<i32, Vec<(NaiveDate, CalendarDay)>> = BTreeMap::new();
    for (d, e) in days {
        by_year.entry(d.year()).or_default().push((d, e));
    }
    let changed = desk.write(Permission::ManagePolicy, |tx, ctx| {
        let mut changed = 0;
        for (y, days) in &by_year {
            changed += replace_year_in(tx, ctx, *y, days)?;
        }
        let cal = load_in(tx, ctx.tz)?;
        crate::complaints::sla::refresh_open(tx, &cal)?;
        Ok(changed)
    })?;
    Ok(CalendarImport {
        years: by_year.keys().copied().collect(),
        entries: entries.len(),
        changed,
    })
}

/// Sets the daily working hours the clocks count (`00:00`–`24:00`: whole days).
pub fn set_hours(desk: &mut Desk, rev: i64, start: &str, end: &str) -> Result<WorkingHours> {
    desk.require(Permission::ManagePolicy)?;
    let mut issues = Vec::new();
    let s = parse_hhmm(start).filter(|m| *m < DAY_MINUTES);
    let e = parse_hhmm(end).filter(|m| *m > 0);
    if s.is_none() {
        issues.push(FieldIssue::new("start", Rule::InvalidTime));
    }
    if e.is_none() {
        issues.push(FieldIssue::new("end", Rule::InvalidTime));
    }
    if let (Some(s), Some(e)) = (s, e) {
        if e <= s {
            issues.push(FieldIssue::new("end", Rule::EndBeforeStart));
        }
    }
    if !issues.is_empty() {
        return Err(Error::Validation(issues));
    }
    let (s, e) = (s.expect("checked"), e.expect("checked"));
    desk.write(Permission::ManagePolicy, |tx, ctx| {
        let n = tx.execute(
            "UPDATE calendar_settings SET start_minute = ?1, end_minute = ?2, rev = rev + 1, updated_at = ?3, updated_by = ?4
             WHERE id = 1 AND rev = ?5",
            params![s, e, ctx.now_text(), ctx.actor.user_id, rev],
        )?;
        if n == 0 {
            return Err(Error::Conflict {
                entity: "calendar_settings",
                id: "1".into(),
                expected: rev,
            });
        }
        let hours = hours_in(tx)?;
        crate::audit::record(tx, ctx, "calendar_settings", "1", crate::audit::Action::Update, &hours)?;
        let cal = load_in(tx, ctx.tz)?;
        crate::complaints::sla::refresh_open(tx, &cal)?;
        Ok(hours)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The State Council's 2025 schedule (国办发明电〔2024〕12号), entered as data.
    const CN_2025: &str = "date,kind,name
# 元旦
2025-01-01,holiday,元旦
# 春节: eight days off, two Sundays/Saturdays worked
2025-01-26,workday,春节调休
2025-01-28,holiday,春节
2025-01-29,holiday,春节
2025-01-30,holiday,春节
2025-01-31,holiday,春节
2025-02-03,holiday,春节
2025-02-04,holiday,春节
2025-02-08,workday,春节调休
2025-04-04,holiday,清明节
2025-04-27,workday,劳动节调休
2025-05-01,holiday,劳动节
2025-05-02,holiday,劳动节
2025-05-05,holiday,劳动节
2025-06-02,holiday,端午节
2025-09-28,workday,国庆调休
2025-10-01,holiday,国庆节
2025-10-02,holiday,国庆节
2025-10-03,holiday,国庆节
2025-10-06,holiday,中秋节
2025-10-07,holiday,国庆节
2025-10-08,holiday,国庆节
2025-10-11,workday,国庆调休
2026-01-01,holiday,元旦
2026-01-02,holiday,元旦
";

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn cal() -> Calendar {
        let days = parse_entries(CN_2025).unwrap();
        Calendar::new(
            days.iter().map(|x| (d(&x.date), x.kind)),
            t(9, 0),
            t(18, 0),
            chrono_tz::Asia::Shanghai,
        )
    }

    fn at(date: &str, h: u32, m: u32) -> DateTime<Utc> {
        chrono_tz::Asia::Shanghai
            .from_local_datetime(&NaiveDateTime::new(d(date), t(h, m)))
            .unwrap()
            .to_utc()
    }

    #[test]
    fn the_2025_schedule_gives_248_working_days() {
        let c = cal();
        let n = (0..365)
            .map(|i| d("2025-01-01") + Days::new(i))
            .filter(|x| c.is_working_day(*x))
            .count();
        assert_eq!(
            n, 248,
            "the published count of 2025 working days (261 weekdays − 18 off + 5 worked)"
        );
    }

    /// The shipped 2026 file (国办发明电〔2025〕, as published): 261 weekdays − 19 off + 6 worked.
    #[test]
    fn the_shipped_2026_schedule_gives_248_working_days() {
        let days = parse_entries(include_str!("../calendars/cn-2026.csv")).unwrap();
        let c = Calendar::with_minutes(
            days.iter().map(|x| (d(&x.date), x.kind)),
            0,
            DAY_MINUTES,
            chrono_tz::Asia::Shanghai,
        );
        let n = (0..365)
            .map(|i| d("2026-01-01") + Days::new(i))
            .filter(|x| c.is_working_day(*x))
            .count();
        assert_eq!(n, 248);
        for (day, working) in [
            ("2026-01-04", true),  // Sunday worked after 元旦
            ("2026-02-14", true),  // Saturday before 春节
            ("2026-02-16", false), // 春节
            ("2026-02-23", false), // 正月初七, a Monday off
            ("2026-02-24", true),
            ("2026-02-28", true), // Saturday after
            ("2026-05-09", true),
            ("2026-09-20", true),
            ("2026-09-25", false), // 中秋
            ("2026-10-07", false),
            ("2026-10-08", true),
            ("2026-10-10", true),
            ("2026-10-11", false), // an ordinary Sunday
        ] {
            assert_eq!(c.is_working_day(d(day)), working, "{day}");
        }
        // A complaint received before 春节 (Friday Feb 13, 15:00): 24 working hours end on
        // the make-up Saturday Feb 14 at 15:00; 3 working days end Wednesday Feb 25 15:00.
        let from = at("2026-02-13", 15, 0);
        assert_eq!(
            c.add_working_minutes(from, 24 * 60).unwrap(),
            at("2026-02-14", 15, 0)
        );
        assert_eq!(
            c.add_working_minutes(from, 3 * 24 * 60).unwrap(),
            at("2026-02-25", 15, 0)
        );
    }

    #[test]
    fn make_up_days_work_and_holidays_rest() {
        let c = cal();
        for (day, working) in [
            ("2025-01-26", true),  // Sunday worked before 春节
            ("2025-02-08", true),  // Saturday worked after
            ("2025-01-28", false), // 除夕
            ("2025-02-04", false),
            ("2025-02-05", true),
            ("2025-04-27", true),
            ("2025-09-28", true),
            ("2025-10-08", false),
            ("2025-10-11", true),
            ("2025-10-12", false), // an ordinary Sunday
            ("2025-10-13", true),
        ] {
            assert_eq!(c.is_working_day(d(day)), working, "{day}");
        }
    }

    #[test]
    fn days_and_minutes_skip_what_is_not_worked() {
        let c = cal();
        assert_eq!(
            c.add_working_days(d("2025-01-27"), 1).unwrap(),
            d("2025-02-05"),
            "over 春节"
        );
        assert_eq!(
            c.add_working_days(d("2025-01-25"), 0).unwrap(),
            d("2025-01-26"),
            "a Saturday starts on the make-up Sunday"
        );
        // Friday 17:00 + 2 h: one hour on Friday, then the make-up Sunday morning.
        assert_eq!(
            c.add_working_minutes(at("2025-09-26", 17, 0), 120).unwrap(),
            at("2025-09-28", 10, 0)
        );
        // Over the year end and the 2026 元旦 days off.
        assert_eq!(
            c.add_working_minutes(at("2025-12-31", 17, 30), 60).unwrap(),
            at("2026-01-05", 9, 30)
        );
        // Received at night: the clock starts at the next opening.
        assert_eq!(
            c.add_working_minutes(at("2025-10-10", 22, 0), 0).unwrap(),
            at("2025-10-11", 9, 0)
        );
        assert_eq!(
            c.working_minutes(at("2025-09-26", 17, 0), at("2025-09-28", 10, 0)),
            120
        );
        assert_eq!(
            c.working_minutes(at("2025-10-01", 9, 0), at("2025-10-08", 18, 0)),
            0,
            "the golden week is not worked"
        );
    }

    #[test]
    fn files_are_read_with_every_bad_line_named() {
        let json = r#"[{"date":"2026-10-01","kind":"holiday","name":"国庆节"},{"date":"2026-09-20","kind":"workday","name":"调休"}]"#;
        assert_eq!(parse_entries(json).unwrap().len(), 2);
        let csv =
            "2026-10-01,休,国庆节\n2026-02-30,holiday,x\n2026-09-20,班,调休\n2026-09-21,maybe,x\n";
        match parse_entries(csv).unwrap_err() {
            Error::Validation(issues) => {
                let got: Vec<(Rule, String)> = issues
                    .iter()
                    .map(|i| (i.rule, i.params["line"].clone()))
                    .collect();
                assert_eq!(
                    got,
                    vec![
                        (Rule::InvalidDate, "2".into()),
                        (Rule::UnsupportedFile, "4".into())
                    ]
                );
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    proptest! {
        /// Adding working time always ends on a working moment, and the working time between
        /// the start and that moment is exactly what was added — across weekends, holidays,
        /// make-up days and the year end.
        #[test]
        fn adding_working_time_ends_on_a_working_moment(day in 0u64..400, minute in 0u32..1440, add in 0i64..30_000) {
            let c = cal();
            let date = d("2025-01-01") + Days::new(day);
            let from = at(&date.to_string(), minute / 60, minute % 60);
            let end = c.add_working_minutes(from, add).unwrap();
            let local = end.with_timezone(&chrono_tz::Asia::Shanghai);
            prop_assert!(c.is_working_day(local.date_naive()), "{} is not a working day", local);
            prop_assert!(local.time() >= t(9, 0) && local.time() <= t(18, 0), "{} is outside working hours", local);
            prop_assert!(c.is_working_moment(end));
            prop_assert!(end >= from);
            prop_assert_eq!(c.working_minutes(from, end), add);
        }

        /// The same with whole working days (00:00–24:00): the end may be midnight after a
        /// working day, never a moment inside a day off.
        #[test]
        fn whole_day_calendars_skip_days_off(day in 0u64..400, minute in 0u32..1440, add in 0i64..20_000) {
            let days = parse_entries(CN_2025).unwrap();
            let c = Calendar::with_minutes(days.iter().map(|x| (d(&x.date), x.kind)), 0, DAY_MINUTES, chrono_tz::Asia::Shanghai);
            let date = d("2025-01-01") + Days::new(day);
            let from = at(&date.to_string(), minute / 60, minute % 60);
            let end = c.add_working_minutes(from, add).unwrap();
            prop_assert!(c.is_working_moment(end), "{} is not a working moment", end.with_timezone(&chrono_tz::Asia::Shanghai));
            prop_assert_eq!(c.working_minutes(from, end), add);
        }
    }
}
