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
    DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, FieldIssue, Result, Rule};

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

/// The calendar as arithmetic sees it: the entries and the daily working hours.
#[derive(Debug, Clone)]
pub struct Calendar {
    days: BTreeMap<NaiveDate, DayKind>,
    start: NaiveTime,
    end: NaiveTime,
    tz: Tz,
}

/// How far a search for the next working moment may look: a calendar with no working day in
/// two years is a data error, not a reason to loop forever.
const MAX_SEARCH_DAYS: u64 = 730;

impl Calendar {
    /// `start` < `end`: working hours within a day (e.g. 08:30–17:30).
    pub fn new(
        days: impl IntoIterator<Item = (NaiveDate, DayKind)>,
        start: NaiveTime,
        end: NaiveTime,
        tz: Tz,
    ) -> Calendar {
        assert!(start < end, "working hours must start before they end");
        Calendar {
            days: days.into_iter().collect(),
            start,
            end,
            tz,
        }
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.days.get(&d) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    fn minutes_per_day(&self) -> i64 {
        (self.end - self.start).num_minutes()
    }

    fn local(&self, d: NaiveDate, t: NaiveTime) -> DateTime<Utc> {
        // A wall-clock time that does not exist (a DST gap; China has none) takes the next one.
        self.tz
            .from_local_datetime(&NaiveDateTime::new(d, t))
            .earliest()
            .unwrap_or_else(|| self.tz.from_utc_datetime(&NaiveDateTime::new(d, t)))
            .to_utc()
    }

    /// Working minutes of `day` that lie before the local time `t`.
    fn worked_before(&self, t: NaiveTime) -> i64 {
        if t <= self.start {
            0
        } else if t >= self.end {
            self.minutes_per_day()
        } else {
            (t - self.start).num_minutes()
        }
    }

    /// Working minutes between two instants (zero when `to` is not after `from`).
    pub fn working_minutes(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        if to <= from {
            return 0;
        }
        let (a, b) = (from.with_timezone(&self.tz), to.with_timezone(&self.tz));
        let (da, db) = (a.date_naive(), b.date_naive());
        let day_minutes = |d: NaiveDate| {
            if self.is_working_day(d) {
                self.minutes_per_day()
            } else {
                0
            }
        };
        if da == db {
            return if self.is_working_day(da) {
                self.worked_before(b.time()) - self.worked_before(a.time())
            } else {
                0
            };
        }
        let mut total = 0;
        if self.is_working_day(da) {
            total += self.minutes_per_day() - self.worked_before(a.time());
        }
        let mut d = da + Days::new(1);
        while d < db {
            total += day_minutes(d);
            d = d + Days::new(1);
        }
        if self.is_working_day(db) {
            total += self.worked_before(b.time());
        }
        total
    }

    /// The instant at which `minutes` of working time have passed since `from`. The result is
    /// always a working moment: inside (or at the end of) the working hours of a working day.
    pub fn add_working_minutes(&self, from: DateTime<Utc>, minutes: i64) -> Result<DateTime<Utc>> {
        let local = from.with_timezone(&self.tz);
        let mut day = local.date_naive();
        let mut at = local.time().max(self.start);
        if local.time() >= self.end {
            day = day + Days::new(1);
            at = self.start;
        }
        let mut left = minutes.max(0);
        for _ in 0..=MAX_SEARCH_DAYS * 2 + (left / self.minutes_per_day().max(1)) as u64 {
            if self.is_working_day(day) {
                let room = (self.end - at).num_minutes();
                if left <= room && (left > 0 || room > 0) {
                    return Ok(self.local(day, at + chrono::Duration::minutes(left)));
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
            || (i == 0 && line.to_lowercase().starts_with("date"))
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
            prop_assert!(end >= from);
            prop_assert_eq!(c.working_minutes(from, end), add);
        }
    }
}
