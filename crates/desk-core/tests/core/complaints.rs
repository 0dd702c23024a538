//! Complaints: registration, the eight steps, the closed loop, the SLA clocks under a
//! controlled clock (at risk and breach at exactly the right moments, pause and resume),
//! escalation, the board, the calendar as stored and imported, KPIs and the role matrix.

use chrono::{DateTime, Duration, TimeZone, Utc};
use desk_core::calendar::{self, CalendarDay, DayKind};
use desk_core::complaints::kpi::{self, KpiFilter};
use desk_core::complaints::sla::{self, BoardFilter, BoardState, SlaPolicyInput};
use desk_core::complaints::{
    self as cp, ClockKind, ClockState, ComplaintDetail, ComplaintFilter, ComplaintKind, Department,
    HandlingGroup, Reaction, RegisterInput, Stage, Step, StepInput,
};
use desk_core::customers::{self, ContactInput, CustomerInput, CustomerKind};
use desk_core::documents::{self, FormCode};
use desk_core::users::Role;
use desk_core::work_orders::Channel;
use desk_core::{Error, ErrorCode, Rule};
use rstest::rstest;

use crate::common::{env, issues, Env};

/// A Shanghai wall-clock instant.
fn sh(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .unwrap()
        .to_utc()
}

fn customer(e: &mut Env) -> String {
    customers::create(
        &mut e.desk,
        CustomerInput {
            kind: CustomerKind::Person,
            name: "陈静".into(),
            note: String::new(),
            contacts: vec![ContactInput {
                id: None,
                name: "陈静".into(),
                phone: "13912345678".into(),
                title: String::new(),
            }],
            addresses: vec![],
        },
    )
    .unwrap()
    .customer
    .id
}

fn input(customer_id: &str, level: i64) -> RegisterInput {
    RegisterInput {
        kind: ComplaintKind::Service,
        level,
        channel: Channel::Phone,
        customer_id: Some(customer_id.into()),
        new_customer: None,
        unit_id: None,
        work_order_id: None,
        complainant: "陈静".into(),
        phone: "139 1234 5678".into(),
        object: "维修师傅".into(),
        content: "师傅上门迟到两小时，未提前告知，维修后空调仍有噪音。".into(),
        demand: "要求道歉并重新检修。".into(),
    }
}

fn step(step: Step, content: &str) -> StepInput {
    StepInput {
        step,
        content: content.into(),
        level: None,
        department: None,
        reaction: None,
        feedback: None,
    }
}

/// A desk whose clock reads Monday 2026-11-23 09:00 in Shanghai, with a front-desk clerk
/// signed in and a customer on file.
fn desk_on_monday() -> (Env, String) {
    let mut e = env();
    e.clock.set(sh(2026, 11, 23, 9, 0));
    let c = customer(&mut e);
    e.sign_in_as(Role::FrontDesk);
    (e, c)
}

fn clock(d: &ComplaintDetail, k: ClockKind) -> &desk_core::complaints::ClockView {
    d.clocks.iter().find(|c| c.clock == k).unwrap()
}

fn reload(e: &Env, id: &str) -> ComplaintDetail {
    cp::get(&e.desk, id).unwrap()
}

#[test]
fn registering_starts_three_clocks_and_issues_the_registration_form() {
    let (mut e, c) = desk_on_monday();
    let d = cp::register(&mut e.desk, input(&c, 2)).unwrap();
    assert!(
        d.complaint.number.starts_with("SH01-TS-2026-"),
        "{}",
        d.complaint.number
    );
    assert_eq!(d.complaint.stage, Stage::Recorded);
    assert_eq!(
        d.complaint.group,
        HandlingGroup::Technical,
        "level 2 → technical team"
    );
    assert_eq!(
        d.complaint.owner_id,
        e.desk.actor().unwrap().user_id,
        "first receiver owns it"
    );
    assert_eq!(d.complaint.phone, "13912345678");
    // Whole working days: Monday 09:00 + 24 h → Tuesday 09:00; 5 working days → next Monday.
    assert_eq!(
        clock(&d, ClockKind::Accept).due_at.as_deref(),
        Some("2026-11-24T01:00:00.000000Z")
    );
    assert_eq!(
        clock(&d, ClockKind::Respond).due_at.as_deref(),
        Some("2026-11-24T01:00:00.000000Z")
    );
    assert_eq!(
        clock(&d, ClockKind::Close).due_at.as_deref(),
        Some("2026-11-30T01:00:00.000000Z")
    );
    assert!(d.clocks.iter().all(|k| k.state == ClockState::OnTrack));
    let reg: Vec<_> = d
        .documents
        .iter()
        .filter(|x| x.form == FormCode::ComplaintRegistration)
        .collect();
    assert_eq!(reg.len(), 1, "the 顾客意见登记单 is issued at registration");
    assert!(reg[0].number.starts_with("SH01-YJ-2026-"));
    let pdf = documents::pdf(&e.desk, &reg[0].id).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(d.timeline[0].event, "registered");
}

#[test]
fn bad_input_names_its_fields_and_writes_nothing() {
    let (mut e, c) = desk_on_monday();
    let mut bad = input(&c, 7);
    bad.content = "  ".into();
    bad.complainant = String::new();
    bad.phone = "12".into();
    let err = cp::register(&mut e.desk, bad).unwrap_err();
    let mut got = issues(err);
    got.sort();
    assert_eq!(
        got,
        vec![
            ("complainant".to_string(), Rule::Required),
            ("content".to_string(), Rule::Required),
            ("level".to_string(), Rule::OutOfRange),
            ("phone".to_string(), Rule::InvalidPhone),
        ]
    );
    let mut other = input(&c, 1);
    other.customer_id = Some("nobody".into());
    assert_eq!(
        issues(cp::register(&mut e.desk, other).unwrap_err()),
        vec![("customerId".to_string(), Rule::UnknownReference)]
    );
    let n: i64 = e
        .desk
        .conn()
        .query_row("SELECT count(*) FROM complaints", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}

/// Walks a complaint through the eight steps; returns it at `ResponsibilityDecided`.
fn through_decision(e: &mut Env, id: &str) -> ComplaintDetail {
    let mut d = reload(e, id);
    let mut accept = step(Step::Accept, "属实，服务投诉成立。");
    accept.level = Some(2);
    d = cp::record_step(&mut e.desk, id, d.complaint.rev, accept).unwrap();
    let mut assign = step(Step::Assign, "交客户服务部处理。");
    assign.department = Some(Department::CustomerService);
    d = cp::record_step(&mut e.desk, id, d.complaint.rev, assign).unwrap();
    d = cp::record_step(
        &mut e.desk,
        id,
        d.complaint.rev,
        step(
            Step::Investigate,
            "派单系统未通知顾客改约，师傅前一单超时。",
        ),
    )
    .unwrap();
    d = cp::record_step(
        &mut e.desk,
        id,
        d.complaint.rev,
        step(Step::Propose, "上门致歉，免费重新检修，赠送一次清洗。"),
    )
    .unwrap();
    let mut carry = step(Step::CarryOut, "已电话告知顾客并于次日上门检修，噪音消除。");
    carry.reaction = Some(Reaction::Satisfied);
    carry.feedback = Some("顾客表示满意。".into());
    d = cp::record_step(&mut e.desk, id, d.complaint.rev, carry).unwrap();
    e.sign_in_as(Role::Supervisor);
    d = cp::record_step(
        &mut e.desk,
        id,
        d.complaint.rev,
        step(Step::DecideResponsibility, "调度员未及时通知，口头警告。"),
    )
    .unwrap();
    d
}

#[test]
fn the_eight_steps_close_the_loop_and_print_the_handling_slip() {
    let (mut e, c) = desk_on_monday();
    let id = cp::register(&mut e.desk, input(&c, 2))
        .unwrap()
        .complaint
        .id;
    e.clock.advance(Duration::hours(2));
    let d = through_decision(&mut e, &id);
    assert_eq!(d.complaint.stage, Stage::ResponsibilityDecided);
    assert_eq!(d.complaint.department, Some(Department::CustomerService));
    assert_eq!(clock(&d, ClockKind::Accept).state, ClockState::Met);
    assert_eq!(
        clock(&d, ClockKind::Respond).state,
        ClockState::Met,
        "carrying out the solution told the customer"
    );
    let d = cp::record_step(
        &mut e.desk,
        &id,
        d.complaint.rev,
        step(Step::Close, "已解决，纳入调度培训。"),
    )
    .unwrap();
    assert_eq!(d.complaint.stage, Stage::Closed);
    assert!(d.complaint.closed_at.is_some());
    assert!(
        d.clocks.iter().all(|k| k.state == ClockState::Met),
        "{:?}",
        d.clocks
    );
    assert!(d.allowed == vec![Step::Reopen]);
    let events: Vec<&str> = d.timeline.iter().map(|t| t.event.as_str()).collect();
    assert_eq!(
        events,
        [
            "registered",
            "accept",
            "assign",
            "investigate",
            "propose",
            "carry_out",
            "decide_responsibility",
            "close"
        ]
    );
    let slip = d
        .documents
        .iter()
        .find(|x| x.form == FormCode::ComplaintHandling)
        .expect("closing issues the handling slip");
    let data = documents::payload(&e.desk, &slip.id).unwrap();
    let json = serde_json::to_string(&data).unwrap();
    for text in [
        "顾客表示满意",
        "客户服务部",
        "口头警告",
        "纳入调度培训",
        "受理：按时",
    ] {
        assert!(
            json.contains(text),
            "the handling slip carries {text}: {json}"
        );
    }
}

#[test]
fn closing_without_the_customers_feedback_is_refused() {
    let (mut e, c) = desk_on_monday();
    let id = cp::register(&mut e.desk, input(&c, 1))
        .unwrap()
        .complaint
        .id;
    let mut d = reload(&e, &id);
    for (s, text) in [
        (Step::Accept, "成立"),
        (Step::Assign, "客服部"),
        (Step::Investigate, "查明"),
        (Step::Propose, "致歉"),
        (Step::CarryOut, "已告知"),
    ] {
        let mut i = step(s, text);
        i.department = Some(Department::CustomerService);
        d = cp::record_step(&mut e.desk, &id, d.complaint.rev, i).unwrap();
    }
    e.sign_in_as(Role::Supervisor);
    d = cp::record_step(
        &mut e.desk,
        &id,
        d.complaint.rev,
        step(Step::DecideResponsibility, "无责任"),
    )
    .unwrap();
    let before = d.complaint.rev;
    let err = cp::record_step(&mut e.desk, &id, before, step(Step::Close, "结案")).unwrap_err();
    assert_eq!(
        issues(err),
        vec![
            ("reaction".to_string(), Rule::FeedbackMissing),
            ("feedback".to_string(), Rule::FeedbackMissing)
        ]
    );
    let after = reload(&e, &id);
    assert_eq!(
        after.complaint.rev, before,
        "a refused close writes nothing"
    );
    assert_eq!(after.complaint.stage, Stage::ResponsibilityDecided);
    // A reaction without words is not feedback either.
    let mut half = step(Step::Close, "结案");
    half.reaction = Some(Reaction::Accepted);
    assert_eq!(
        issues(cp::record_step(&mut e.desk, &id, before, half).unwrap_err()),
        vec![("feedback".to_string(), Rule::FeedbackMissing)]
    );
    // SQL holds the line too.
    let raw = e.desk.conn().execute(
        "UPDATE complaints SET stage = 'closed' WHERE id = ?1",
        [&id],
    );
    assert!(
        raw.is_err(),
        "the CHECK refuses a closed complaint without a reaction"
    );
    let mut ok = step(Step::Close, "结案");
    ok.reaction = Some(Reaction::Accepted);
    ok.feedback = Some("顾客接受致歉。".into());
    let d = cp::record_step(&mut e.desk, &id, before, ok).unwrap();
    assert_eq!(d.complaint.stage, Stage::Closed);
    assert_eq!(d.complaint.reaction, Some(Reaction::Accepted));
}

#[test]
fn steps_out_of_order_and_stale_revisions_are_refused() {
    let (mut e, c) = desk_on_monday();
    let d = cp::register(&mut e.desk, input(&c, 1)).unwrap();
    let err = cp::record_step(
        &mut e.desk,
        &d.complaint.id,
        d.complaint.rev,
        step(Step::Propose, "x"),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidTransition);
    let d2 = cp::record_step(
        &mut e.desk,
        &d.complaint.id,
        d.complaint.rev,
        step(Step::Accept, "成立"),
    )
    .unwrap();
    let err = cp::record_step(
        &mut e.desk,
        &d.complaint.id,
        d.complaint.rev,
        step(Step::Accept, "again"),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict, "nothing is handled twice");
    let mut assign = step(Step::Assign, "质量部");
    assign.department = None;
    assert_eq!(
        issues(
            cp::record_step(&mut e.desk, &d.complaint.id, d2.complaint.rev, assign).unwrap_err()
        ),
        vec![("department".to_string(), Rule::Required)]
    );
    // Deciding responsibility is management's.
    assert!(matches!(
        cp::record_step(
            &mut e.desk,
            &d.complaint.id,
            d2.complaint.rev,
            step(Step::DecideResponsibility, "x")
        ),
        Err(Error::Forbidden { .. })
    ));
}

#[test]
fn an_invalid_complaint_gets_its_reply_and_closes() {
    let (mut e, c) = desk_on_monday();
    let d = cp::register(&mut e.desk, input(&c, 1)).unwrap();
    let d = cp::record_step(
        &mut e.desk,
        &d.complaint.id,
        d.complaint.rev,
        step(
            Step::Reject,
            "该机已过保修期且为人为损坏，已向顾客解释收费标准。",
        ),
    )
    .unwrap();
    assert_eq!(d.complaint.stage, Stage::Invalid);
    assert!(d.complaint.closed_at.is_some());
    assert!(
        d.clocks.iter().all(|k| k.state == ClockState::Met),
        "the reply answers every clock"
    );
    let slip = d
        .documents
        .iter()
        .find(|x| x.form == FormCode::ComplaintHandling)
        .unwrap();
    let json = serde_json::to_string(&documents::payload(&e.desk, &slip.id).unwrap()).unwrap();
    assert!(json.contains("无效（答复：该机已过保修期"), "{json}");
    // Contested: reopened to be judged again, with fresh clocks.
    e.clock.advance(Duration::hours(1));
    let d = cp::record_step(
        &mut e.desk,
        &d.complaint.id,
        d.complaint.rev,
        step(Step::Reopen, "顾客提供了购机发票，在保修期内。"),
    )
    .unwrap();
    assert_eq!(d.complaint.stage, Stage::Recorded);
    assert_eq!(d.complaint.reopen_count, 1);
    assert!(d.clocks.iter().all(|k| k.state == ClockState::OnTrack));
}

#[test]
fn a_level_3_accept_clock_is_at_risk_and_breaches_at_exactly_its_moments() {
    let (mut e, c) = desk_on_monday();
    let id = cp::register(&mut e.desk, input(&c, 3))
        .unwrap()
        .complaint
        .id;
    // 24 working hours: 80% = 19 h 12 min → Monday 09:00 + 19:12 = Tuesday 04:12.
    let risk = sh(2026, 11, 24, 4, 12);
    let due = sh(2026, 11, 24, 9, 0);
    let state = |e: &Env| clock(&reload(e, &id), ClockKind::Accept).state;
    e.clock.set(risk - Duration::seconds(1));
    assert_eq!(state(&e), ClockState::OnTrack);
    e.clock.set(risk);
    assert_eq!(state(&e), ClockState::AtRisk, "at risk at exactly 80% used");
    e.clock.set(due);
    assert_eq!(
        state(&e),
        ClockState::AtRisk,
        "the due instant itself is still in time"
    );
    e.clock.set(due + Duration::seconds(1));
    assert_eq!(state(&e), ClockState::Breached);
    // Board before the sweep: breached at level 3.
    let b = sla::board(&e.desk, &BoardFilter::default()).unwrap();
    assert_eq!(b.items[0].state, BoardState::Breached);
    assert_eq!(b.items[0].level, 3);
    // The sweep escalates once to level 4 (emergency), on the timeline.
    let escalated = sla::escalate_breached(&mut e.desk).unwrap();
    assert_eq!(escalated, vec![id.clone()]);
    assert!(
        sla::escalate_breached(&mut e.desk).unwrap().is_empty(),
        "a clock escalates once"
    );
    let d = reload(&e, &id);
    assert_eq!(d.complaint.level, 4);
    assert_eq!(d.complaint.group, HandlingGroup::Emergency);
    let ev = d.timeline.iter().find(|t| t.event == "escalated").unwrap();
    assert_eq!(ev.data["fromLevel"], 3);
    assert_eq!(ev.data["toLevel"], 4);
    assert_eq!(
        ev.data["clocks"],
        serde_json::json!(["accept"]),
        "level 3 has 48 h to respond: only acceptance ran out"
    );
    assert!(clock(&d, ClockKind::Accept).escalated);
    let list = sla::escalations(&e.desk, true, 10).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].from_level, list[0].to_level), (3, 4));
    // Accepting late stops the clock as missed.
    let d = cp::record_step(
        &mut e.desk,
        &id,
        d.complaint.rev,
        step(Step::Accept, "受理"),
    )
    .unwrap();
    assert_eq!(clock(&d, ClockKind::Accept).state, ClockState::Missed);
}

#[test]
fn weekends_and_holidays_do_not_count_and_make_up_days_do() {
    let (mut e, c) = desk_on_monday();
    e.sign_in_as(Role::Admin);
    // 2026 国庆: Oct 1–7 off (the weekdays are entered), Sunday Sep 27 and Saturday Oct 10 worked.
    let days: Vec<CalendarDay> = [
        ("2026-09-27", DayKind::Workday),
        ("2026-10-01", DayKind::Holiday),
        ("2026-10-02", DayKind::Holiday),
        ("2026-10-05", DayKind::Holiday),
        ("2026-10-06", DayKind::Holiday),
        ("2026-10-07", DayKind::Holiday),
        ("2026-10-10", DayKind::Workday),
    ]
    .iter()
    .map(|(d, k)| CalendarDay {
        date: d.to_string(),
        kind: *k,
        name: "国庆".into(),
    })
    .collect();
    let y = calendar::set_year(&mut e.desk, 2026, days).unwrap();
    assert_eq!(y.days.len(), 7);
    // Received Wednesday Sep 30 at 15:00: 24 h accept → Thursday is off through Wednesday 7th
    // → the next working day after 15:00 Sep 30 is Thursday Oct 8 15:00.
    e.clock.set(sh(2026, 9, 30, 15, 0));
    let d = cp::register(&mut e.desk, input(&c, 1)).unwrap();
    assert_eq!(
        clock(&d, ClockKind::Accept).due_at.as_deref(),
        Some("2026-10-08T07:00:00.000000Z")
    );
    // 3 working days to close: Sep 30 15:00 → Oct 8 15:00, Oct 9 15:00, Saturday Oct 10 15:00.
    assert_eq!(
        clock(&d, ClockKind::Close).due_at.as_deref(),
        Some("2026-10-10T07:00:00.000000Z")
    );
    // Received Saturday Sep 26 (a normal weekend day): the clock starts Sunday 00:00 (worked).
    e.clock.set(sh(2026, 9, 26, 10, 0));
    let d = cp::register(&mut e.desk, input(&c, 1)).unwrap();
    assert_eq!(
        clock(&d, ClockKind::Accept).due_at.as_deref(),
        Some("2026-09-27T16:00:00.000000Z"),
        "Sunday Sep 27 24:00"
    );
}

#[test]
fn a_pause_while_waiting_for_the_customer_pushes_the_clocks_out() {
    let (mut e, c) = desk_on_monday();
    let d = cp::register(&mut e.desk, input(&c, 1)).unwrap();
    let id = d.complaint.id.clone();
    e.clock.set(sh(2026, 11, 23, 12, 0));
    let d = cp::pause(
        &mut e.desk,
        &id,
        d.complaint.rev,
        "顾客出差，周三回来后再约",
    )
    .unwrap();
    assert!(d.clocks.iter().all(|k| k.state == ClockState::Paused));
    assert!(d.clocks.iter().all(|k| k.due_at.is_none()));
    // Long after the original due time nothing breaches while paused.
    e.clock.set(sh(2026, 11, 25, 12, 0));
    assert!(sla::escalate_breached(&mut e.desk).unwrap().is_empty());
    let b = sla::board(&e.desk, &BoardFilter::default()).unwrap();
    assert_eq!(b.items[0].state, BoardState::Paused);
    let rev = reload(&e, &id).complaint.rev;
    assert!(matches!(
        cp::pause(&mut e.desk, &id, rev, "again"),
        Err(Error::InvalidTransition { .. })
    ));
    let d = cp::resume(&mut e.desk, &id, rev, "顾客已回").unwrap();
    // Paused 48 working hours: due Tuesday 09:00 + 48 h = Thursday 09:00.
    assert_eq!(clock(&d, ClockKind::Accept).paused_minutes, 48 * 60);
    assert_eq!(
        clock(&d, ClockKind::Accept).due_at.as_deref(),
        Some("2026-11-26T01:00:00.000000Z")
    );
    assert_eq!(
        clock(&d, ClockKind::Accept).used_minutes,
        3 * 60,
        "09:00–12:00 Monday only"
    );
    assert_eq!(clock(&d, ClockKind::Accept).state, ClockState::OnTrack);
    let events: Vec<&str> = d.timeline.iter().map(|t| t.event.as_str()).collect();
    assert_eq!(events, ["registered", "paused", "resumed"]);
    assert_eq!(d.timeline[1].content, "顾客出差，周三回来后再约");
    // A pause over a weekend costs nothing extra: Friday 12:00 → Monday 12:00 is one working day.
    e.clock.set(sh(2026, 11, 27, 12, 0));
    let d = cp::pause(&mut e.desk, &id, d.complaint.rev, "等顾客照片").unwrap();
    e.clock.set(sh(2026, 11, 30, 12, 0));
    let d = cp::resume(&mut e.desk, &id, d.complaint.rev, "").unwrap();
    assert_eq!(
        clock(&d, ClockKind::Close).paused_minutes,
        48 * 60 + 24 * 60
    );
}

#[test]
fn the_first_response_stops_its_clock_once() {
    let (mut e, c) = desk_on_monday();
    let d = cp::register(&mut e.desk, input(&c, 2)).unwrap();
    e.clock.advance(Duration::hours(3));
    let d = cp::respond(
        &mut e.desk,
        &d.complaint.id,
        d.complaint.rev,
        "已致电顾客说明处理流程。",
    )
    .unwrap();
    let r = clock(&d, ClockKind::Respond);
    assert_eq!(r.state, ClockState::Met);
    assert_eq!(r.used_minutes, 180);
    let stopped = r.stopped_at.clone();
    e.clock.advance(Duration::hours(30));
    let d = cp::respond(&mut e.desk, &d.complaint.id, d.complaint.rev, "再次回电。").unwrap();
    assert_eq!(
        clock(&d, ClockKind::Respond).stopped_at,
        stopped,
        "later contacts do not move it"
    );
    assert_eq!(
        d.timeline.iter().filter(|t| t.event == "responded").count(),
        2
    );
}

#[test]
fn the_board_counts_by_level_and_state() {
    let (mut e, c) = desk_on_monday();
    let a = cp::register(&mut e.desk, input(&c, 1)).unwrap(); // due Tue 09:00
    e.clock.set(sh(2026, 11, 23, 20, 0));
    let _b = cp::register(&mut e.desk, input(&c, 3)).unwrap(); // due Tue 20:00
                                                               // Tuesday 08:00: a is at risk; b is due today (Tuesday) and not yet at risk.
    e.clock.set(sh(2026, 11, 24, 8, 0));
    let board = sla::board(&e.desk, &BoardFilter::default()).unwrap();
    let cell = |level: i64, s: BoardState| {
        board
            .cells
            .iter()
            .find(|x| x.level == level && x.state == s)
            .map_or(0, |x| x.count)
    };
    assert_eq!(cell(1, BoardState::AtRisk), 1);
    assert_eq!(cell(3, BoardState::DueToday), 1);
    assert_eq!(board.items[0].id, a.complaint.id, "the earliest due first");
    let only3 = sla::board(
        &e.desk,
        &BoardFilter {
            level: Some(3),
            state: None,
            limit: None,
        },
    )
    .unwrap();
    assert_eq!(only3.items.len(), 1);
    assert_eq!(only3.matching, 1);
    let breached = sla::board(
        &e.desk,
        &BoardFilter {
            level: None,
            state: Some(BoardState::Breached),
            limit: None,
        },
    )
    .unwrap();
    assert!(breached.items.is_empty());
    // Closed complaints leave the board.
    let d = cp::record_step(
        &mut e.desk,
        &a.complaint.id,
        a.complaint.rev,
        step(Step::Reject, "重复投诉，已合并处理。"),
    )
    .unwrap();
    assert!(d.complaint.closed_at.is_some());
    let board = sla::board(&e.desk, &BoardFilter::default()).unwrap();
    assert_eq!(board.items.len(), 1);
}

#[test]
fn policy_changes_apply_to_new_complaints_only() {
    let (mut e, c) = desk_on_monday();
    let first = cp::register(&mut e.desk, input(&c, 1)).unwrap();
    e.sign_in_as(Role::Admin);
    let p = sla::policies(&e.desk).unwrap();
    assert_eq!(
        p.iter()
            .map(|x| (x.accept_hours, x.respond_hours, x.close_days))
            .collect::<Vec<_>>(),
        vec![(24, 24, 3), (24, 24, 5), (24, 48, 7), (24, 48, 7)],
        "the defaults of the service commitments"
    );
    let bad = sla::update_policy(
        &mut e.desk,
        1,
        p[0].rev,
        SlaPolicyInput {
            accept_hours: 0,
            respond_hours: 4,
            close_days: 200,
            at_risk_percent: 20,
        },
    )
    .unwrap_err();
    let mut got = issues(bad);
    got.sort();
    assert_eq!(
        got,
        vec![
            ("acceptHours".to_string(), Rule::OutOfRange),
            ("atRiskPercent".to_string(), Rule::OutOfRange),
            ("closeDays".to_string(), Rule::OutOfRange)
        ]
    );
    sla::update_policy(
        &mut e.desk,
        1,
        p[0].rev,
        SlaPolicyInput {
            accept_hours: 2,
            respond_hours: 4,
            close_days: 2,
            at_risk_percent: 75,
        },
    )
    .unwrap();
    assert_eq!(
        sla::update_policy(
            &mut e.desk,
            1,
            p[0].rev,
            SlaPolicyInput {
                accept_hours: 2,
                respond_hours: 4,
                close_days: 2,
                at_risk_percent: 75
            }
        )
        .unwrap_err()
        .code(),
        ErrorCode::Conflict
    );
    let second = cp::register(&mut e.desk, input(&c, 1)).unwrap();
    assert_eq!(clock(&second, ClockKind::Accept).limit_minutes, 120);
    assert_eq!(
        clock(&reload(&e, &first.complaint.id), ClockKind::Accept).limit_minutes,
        24 * 60,
        "a running clock keeps its limit"
    );
    e.sign_in_as(Role::Supervisor);
    assert!(matches!(
        sla::update_policy(
            &mut e.desk,
            1,
            2,
            SlaPolicyInput {
                accept_hours: 2,
                respond_hours: 4,
                close_days: 2,
                at_risk_percent: 75
            }
        ),
        Err(Error::Forbidden { .. })
    ));
}

#[test]
fn a_calendar_file_is_imported_whole_or_not_at_all() {
    let (mut e, c) = desk_on_monday();
    e.sign_in_as(Role::Admin);
    let d = cp::register(&mut e.desk, input(&c, 1)).unwrap();
    assert_eq!(
        clock(&d, ClockKind::Accept).due_at.as_deref(),
        Some("2026-11-24T01:00:00.000000Z")
    );
    // A bad file changes nothing: a holiday on a Saturday, a duplicate date.
    let bad = "date,kind,name\n2026-11-24,休,测试假日\n2026-11-28,休,周六\n2026-11-24,休,重复\n";
    let err = calendar::import(&mut e.desk, bad).unwrap_err();
    let mut got = issues(err);
    got.sort();
    assert_eq!(
        got,
        vec![
            ("days.1.kind".to_string(), Rule::OutOfRange),
            ("days.2.date".to_string(), Rule::Duplicate)
        ]
    );
    assert!(calendar::year(&e.desk, 2026).unwrap().days.is_empty());
    // A good file: Tuesday off → the running clock moves to Wednesday, at once.
    let ok = "[{\"date\":\"2026-11-24\",\"kind\":\"holiday\",\"name\":\"测试假日\"},{\"date\":\"2027-01-01\",\"kind\":\"holiday\",\"name\":\"元旦\"}]";
    let out = calendar::import(&mut e.desk, ok).unwrap();
    assert_eq!(out.years, vec![2026, 2027]);
    assert_eq!(out.changed, 2);
    assert_eq!(
        clock(&reload(&e, &d.complaint.id), ClockKind::Accept)
            .due_at
            .as_deref(),
        Some("2026-11-25T01:00:00.000000Z")
    );
    assert_eq!(
        calendar::import(&mut e.desk, ok).unwrap().changed,
        0,
        "the same file again changes nothing"
    );
    let y = calendar::year(&e.desk, 2026).unwrap();
    assert_eq!(
        y.working_days, 260,
        "2026 has 261 weekdays, one entered off"
    );
    // Office hours: 08:30–17:30 count 9 h a day.
    let h = calendar::set_hours(&mut e.desk, y.hours.rev, "08:30", "17:30").unwrap();
    assert_eq!((h.start.as_str(), h.end.as_str()), ("08:30", "17:30"));
    let bad = calendar::set_hours(&mut e.desk, h.rev, "18:00", "9:00").unwrap_err();
    assert_eq!(issues(bad), vec![("end".to_string(), Rule::EndBeforeStart)]);
    // Monday 09:00 + 24 working hours at 9 h/day, Tuesday off: Mon 8.5 h, Wed 9 h, Thu 6.5 h → Thu 15:00.
    assert_eq!(
        clock(&reload(&e, &d.complaint.id), ClockKind::Accept)
            .due_at
            .as_deref(),
        Some("2026-11-26T07:00:00.000000Z")
    );
}

#[test]
fn kpis_count_types_levels_and_on_time_rates() {
    let (mut e, c) = desk_on_monday();
    let a = cp::register(&mut e.desk, input(&c, 1)).unwrap();
    let mut q = input(&c, 2);
    q.kind = ComplaintKind::ProductQuality;
    let b = cp::register(&mut e.desk, q).unwrap();
    cp::record_step(
        &mut e.desk,
        &a.complaint.id,
        a.complaint.rev,
        step(Step::Reject, "误会，已解释。"),
    )
    .unwrap();
    // b's accept and respond clocks run out.
    e.clock.set(sh(2026, 11, 25, 9, 0));
    cp::record_step(
        &mut e.desk,
        &b.complaint.id,
        b.complaint.rev,
        step(Step::Accept, "成立"),
    )
    .unwrap();
    let k = kpi::kpis(
        &e.desk,
        &KpiFilter {
            from: "2026-11-01".into(),
            to: "2026-11-30".into(),
        },
    )
    .unwrap();
    assert_eq!((k.received, k.open, k.invalid, k.closed), (2, 1, 1, 0));
    assert_eq!(k.by_kind_level.len(), 2);
    let accept = k
        .clocks
        .iter()
        .find(|r| r.clock == ClockKind::Accept)
        .unwrap();
    assert_eq!((accept.met, accept.missed), (1, 1));
    assert_eq!(accept.rate, Some(0.5));
    let respond = k
        .clocks
        .iter()
        .find(|r| r.clock == ClockKind::Respond)
        .unwrap();
    assert_eq!(
        (respond.met, respond.missed),
        (1, 1),
        "b's first response is still owed and late"
    );
    let none = kpi::kpis(
        &e.desk,
        &KpiFilter {
            from: "2026-10-01".into(),
            to: "2026-10-31".into(),
        },
    )
    .unwrap();
    assert_eq!(none.received, 0);
    assert_eq!(none.reopen_rate, None);
    assert_eq!(
        issues(
            kpi::kpis(
                &e.desk,
                &KpiFilter {
                    from: "2026-11-30".into(),
                    to: "2026-11-01".into()
                }
            )
            .unwrap_err()
        ),
        vec![("to".to_string(), Rule::EndBeforeStart)]
    );
}

#[test]
fn attachments_are_kept_and_listed_on_a_new_registration_revision() {
    let (mut e, c) = desk_on_monday();
    let d = cp::register(&mut e.desk, input(&c, 1)).unwrap();
    let d = cp::add_attachment(
        &mut e.desk,
        &d.complaint.id,
        d.complaint.rev,
        "噪音视频截图.png",
        b"\x89PNG fake bytes",
    )
    .unwrap();
    assert_eq!(d.attachments.len(), 1);
    let regs: Vec<_> = d
        .documents
        .iter()
        .filter(|x| x.form == FormCode::ComplaintRegistration)
        .collect();
    assert_eq!(
        regs.iter().map(|r| r.revision).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!(regs[0].number, regs[1].number);
    let json = serde_json::to_string(&documents::payload(&e.desk, &regs[1].id).unwrap()).unwrap();
    assert!(json.contains("噪音视频截图.png"));
    let (name, bytes) = cp::attachment_bytes(&e.desk, &d.attachments[0].id).unwrap();
    assert_eq!(
        (name.as_str(), bytes.as_slice()),
        ("噪音视频截图.png", &b"\x89PNG fake bytes"[..])
    );
    let big = vec![0u8; cp::MAX_ATTACHMENT_BYTES + 1];
    assert_eq!(
        issues(
            cp::add_attachment(
                &mut e.desk,
                &d.complaint.id,
                d.complaint.rev,
                "big.bin",
                &big
            )
            .unwrap_err()
        ),
        vec![("file".to_string(), Rule::TooLarge)]
    );
}

#[test]
fn the_list_filters_by_text_state_and_dates() {
    let (mut e, c) = desk_on_monday();
    let a = cp::register(&mut e.desk, input(&c, 1)).unwrap();
    e.clock.set(sh(2026, 11, 25, 9, 0));
    cp::register(&mut e.desk, input(&c, 2)).unwrap();
    cp::record_step(
        &mut e.desk,
        &a.complaint.id,
        a.complaint.rev,
        step(Step::Reject, "已解释"),
    )
    .unwrap();
    let all = cp::list(&e.desk, &ComplaintFilter::default()).unwrap();
    assert_eq!(all.total, 2);
    let open = cp::list(
        &e.desk,
        &ComplaintFilter {
            open: Some(true),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(open.total, 1);
    let day = cp::list(
        &e.desk,
        &ComplaintFilter {
            from: Some("2026-11-23".into()),
            to: Some("2026-11-23".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        day.rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        vec![a.complaint.id.as_str()]
    );
    let by_name = cp::list(
        &e.desk,
        &ComplaintFilter {
            text: Some("陈静".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(by_name.total, 2);
    let by_number = cp::list(
        &e.desk,
        &ComplaintFilter {
            text: Some(a.complaint.number.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(by_number.total, 1);
}

#[test]
fn a_hand_over_changes_the_owner_on_record() {
    let (mut e, c) = desk_on_monday();
    let d = cp::register(&mut e.desk, input(&c, 1)).unwrap();
    let sup = e.sign_in_as(Role::Supervisor);
    e.sign_in_as(Role::FrontDesk);
    let d = cp::hand_over(
        &mut e.desk,
        &d.complaint.id,
        d.complaint.rev,
        &sup,
        "需要主管协调",
    )
    .unwrap();
    assert_eq!(d.complaint.owner_id, sup);
    assert_eq!(d.timeline.last().unwrap().event, "handed_over");
    // The front desk no longer owns it.
    assert!(matches!(
        cp::hand_over(&mut e.desk, &d.complaint.id, d.complaint.rev, &sup, ""),
        Err(Error::Forbidden { .. })
    ));
}

fn expected(role: Role) -> (bool, bool, bool) {
    // (register/handle, decide responsibility, SLA policy and calendar)
    match role {
        Role::FrontDesk | Role::Dispatcher | Role::ReturnVisitOfficer => (true, false, false),
        Role::Supervisor => (true, true, false),
        Role::Admin => (true, true, true),
        Role::Technician | Role::WarehouseKeeper | Role::Cashier => (false, false, false),
    }
}

#[rstest]
fn complaint_permissions(
    #[values(
        Role::FrontDesk,
        Role::Dispatcher,
        Role::Technician,
        Role::WarehouseKeeper,
        Role::Cashier,
        Role::ReturnVisitOfficer,
        Role::Supervisor,
        Role::Admin
    )]
    role: Role,
) {
    let (mut e, c) = desk_on_monday();
    // A complaint waiting for the responsibility decision, taken there by the front desk.
    let other = cp::register(&mut e.desk, input(&c, 1))
        .unwrap()
        .complaint
        .id;
    let waiting = through_decision_until_carried(&mut e, &other);
    e.sign_in_as(role);
    let (handle, decide, policy) = expected(role);
    let ok = |r: desk_core::Result<ComplaintDetail>| match r {
        Ok(_) => true,
        Err(Error::Forbidden { .. }) => false,
        Err(other) => panic!("{role:?}: unexpected {other:?}"),
    };
    assert_eq!(
        ok(cp::register(&mut e.desk, input(&c, 1))),
        handle,
        "{role:?} registers"
    );
    assert_eq!(
        ok(cp::record_step(
            &mut e.desk,
            &other,
            waiting,
            step(Step::DecideResponsibility, "无责")
        )),
        decide,
        "{role:?} decides responsibility"
    );
    let p = sla::policies(&e.desk).unwrap();
    let allowed = match sla::update_policy(
        &mut e.desk,
        2,
        p[1].rev,
        SlaPolicyInput {
            accept_hours: 12,
            respond_hours: 24,
            close_days: 5,
            at_risk_percent: 80,
        },
    ) {
        Ok(_) => true,
        Err(Error::Forbidden { .. }) => false,
        Err(other) => panic!("{other:?}"),
    };
    assert_eq!(allowed, policy, "{role:?} sets the SLA policy");
    let cal = match calendar::import(&mut e.desk, "2026-12-31,休,测试") {
        Ok(_) => true,
        Err(Error::Forbidden { .. }) => false,
        Err(other) => panic!("{other:?}"),
    };
    assert_eq!(cal, policy, "{role:?} edits the calendar");
    assert!(
        sla::board(&e.desk, &BoardFilter::default()).is_ok(),
        "everyone sees the board"
    );
}

/// Takes a complaint to `CarriedOut` (the step before deciding responsibility) as the front
/// desk; returns its revision.
fn through_decision_until_carried(e: &mut Env, id: &str) -> i64 {
    e.sign_in_as(Role::FrontDesk);
    let mut d = reload(e, id);
    for (s, text) in [
        (Step::Accept, "成立"),
        (Step::Assign, "客服部"),
        (Step::Investigate, "查明"),
        (Step::Propose, "致歉"),
        (Step::CarryOut, "已告知"),
    ] {
        let mut i = step(s, text);
        i.department = Some(Department::CustomerService);
        d = cp::record_step(&mut e.desk, id, d.complaint.rev, i).unwrap();
    }
    d.complaint.rev
}
