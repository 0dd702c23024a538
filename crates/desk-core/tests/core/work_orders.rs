//! Work orders from intake to acceptance: the state machine, the first-receiver rule, booking
//! clashes, the paperwork each step issues, revisions, voiding and immutability.

use desk_core::catalog::{self, ProductModelInput};
use desk_core::documents::{self, DocumentStatus, FormCode};
use desk_core::forms::ReturnKind;
use desk_core::units::UnitInput;
use desk_core::users::{self, NewUser, Role};
use desk_core::work_orders::{
    self as wo, AcceptanceResult, AppointmentInput, Channel, Event, FeeInput, HandOverInput,
    IntakeInput, Kind, PartInput, ReturnInput, SignatureInput, State, WorkInput, WorkOrderDetail,
    WorkOrderFilter,
};
use desk_core::{ErrorCode, Rule};
use proptest::prelude::*;

use crate::common::*;

pub struct Shop {
    pub env: Env,
    pub tech: String,
    pub tech2: String,
    pub model_id: String,
}

/// A set-up site with a product model and two technicians; the admin is signed in.
pub fn shop() -> Shop {
    let mut env = env();
    let model_id = catalog::create(
        &mut env.desk,
        ProductModelInput {
            brand: "海尔".into(),
            model: "KFR-35GW".into(),
            category: "空调".into(),
        },
    )
    .unwrap()
    .id;
    let mut tech = |name: &str, username: &str| {
        users::create(
            &mut env.desk,
            NewUser {
                username: username.into(),
                display_name: name.into(),
                role: Role::Technician,
                password: "password1".into(),
            },
        )
        .unwrap()
        .id
    };
    let tech = tech("李师傅", "lishifu");
    let tech2 = users::create(
        &mut env.desk,
        NewUser {
            username: "zhaoshifu".into(),
            display_name: "赵师傅".into(),
            role: Role::Technician,
            password: "password1".into(),
        },
    )
    .unwrap()
    .id;
    Shop {
        env,
        tech,
        tech2,
        model_id,
    }
}

pub fn unit(model_id: &str, serial: &str, purchase: &str) -> UnitInput {
    UnitInput {
        model_id: model_id.into(),
        serial: serial.into(),
        purchase_date: Some(purchase.into()),
        seller: "国美电器".into(),
        install_date: None,
        address_id: None,
        note: String::new(),
    }
}

/// A phone call from a new customer about a unit bought on `purchase`.
pub fn repair_call(shop: &mut Shop, serial: &str, purchase: &str) -> WorkOrderDetail {
    wo::intake(
        &mut shop.env.desk,
        IntakeInput {
            kind: Kind::Repair,
            channel: Channel::Phone,
            customer_id: None,
            new_customer: Some(person("王芳", "13812345678")),
            contact_id: None,
            unit_id: None,
            new_unit: Some(unit(&shop.model_id, serial, purchase)),
            caller_phone: "138 1234 5678".into(),
            description: "空调不制冷，室外机有异响，开机十分钟后自动停机。".into(),
        },
    )
    .unwrap()
}

pub fn appointment(techs: &[&str], start: &str, end: &str) -> AppointmentInput {
    AppointmentInput {
        date: "2026-11-23".into(),
        start: start.into(),
        end: end.into(),
        address: "上海市浦东新区张杨路500号 1201室".into(),
        technician_ids: techs.iter().map(|t| t.to_string()).collect(),
        bring: "压力表、R32 冷媒、电容".into(),
    }
}

pub fn work(result: AcceptanceResult, consent: bool) -> WorkInput {
    WorkInput {
        work_done: "更换启动电容，补充冷媒，试机 30 分钟制冷正常。".into(),
        parts: vec![PartInput {
            name: "启动电容".into(),
            model: "CBB65 35μF".into(),
            qty: 1,
            unit_price_fen: 4500,
            in_warranty: Some(false),
            consent,
            part_id: None,
            new_serial: None,
            faulty_serial: None,
        }],
        fees: vec![FeeInput {
            description: "上门维修费".into(),
            amount_fen: 8000,
        }],
        result: Some(result),
        instructions_given: true,
        customer_opinion: "师傅很专业".into(),
        satisfaction: Some(5),
    }
}

pub fn signature() -> SignatureInput {
    SignatureInput {
        width: 400.0,
        height: 150.0,
        strokes: vec![
            vec![[20.0, 100.0], [60.0, 40.0], [100.0, 110.0], [140.0, 50.0]],
            vec![[180.0, 80.0], [260.0, 82.0], [300.0, 60.0]],
        ],
        signer: "王芳".into(),
    }
}

/// Takes a fresh repair call all the way to on site.
pub fn on_site(shop: &mut Shop, serial: &str, purchase: &str) -> WorkOrderDetail {
    let d = repair_call(shop, serial, purchase);
    let tech = shop.tech.clone();
    let d = wo::schedule(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        appointment(&[&tech], "09:00", "12:00"),
    )
    .unwrap()
    .detail;
    let d = wo::dispatch(&mut shop.env.desk, &d.order.id, d.order.rev).unwrap();
    wo::arrive(&mut shop.env.desk, &d.order.id, d.order.rev).unwrap()
}

fn code(r: desk_core::Result<impl std::fmt::Debug>) -> ErrorCode {
    r.expect_err("expected the core to refuse").code()
}

#[test]
fn a_repair_goes_from_phone_call_to_signed_receipt() {
    let mut shop = shop();
    let d = repair_call(&mut shop, "SN-1001", "2026-06-01");
    assert_eq!(d.order.state, State::Received);
    assert!(
        d.order.number.starts_with("SH01-GD-2026-"),
        "work orders are numbered per site and year: {}",
        d.order.number
    );
    assert_eq!(d.owner.name, "管理员", "whoever takes the call owns it");
    assert_eq!(
        d.contacts[0].phone, "13812345678",
        "the new customer was created with the order"
    );
    let unit = d
        .unit
        .as_ref()
        .expect("the new unit was created with the order");
    assert_eq!(
        unit.coverage.status,
        desk_core::units::WarrantyStatus::InWarranty,
        "the warranty shows at intake"
    );
    assert!(d.eligibility.as_ref().is_some_and(|e| !e.return_open));

    let tech = shop.tech.clone();
    let d = wo::schedule(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        appointment(&[&tech], "09:00", "12:00"),
    )
    .unwrap()
    .detail;
    assert_eq!(d.order.state, State::Scheduled);
    assert_eq!(d.technicians[0].name, "李师傅");

    let d = wo::dispatch(&mut shop.env.desk, &d.order.id, d.order.rev).unwrap();
    assert_eq!(d.order.state, State::Dispatched);
    let slip = &d.documents[0];
    assert_eq!(slip.form, FormCode::DispatchSlip);
    assert_eq!(slip.number, "SH01-PX-2026-000001");
    assert_eq!(slip.revision, 1);
    let bytes = documents::pdf(&shop.env.desk, &slip.id).unwrap();
    assert_eq!(
        documents::pdf(&shop.env.desk, &slip.id).unwrap(),
        bytes,
        "a reprint is the same bytes"
    );
    assert_eq!(slip.size as usize, bytes.len());
    let payload = documents::payload(&shop.env.desk, &slip.id).unwrap();
    assert_eq!(
        payload.header().number,
        slip.number,
        "the data it was rendered from is kept"
    );

    let d = wo::arrive(&mut shop.env.desk, &d.order.id, d.order.rev).unwrap();
    assert_eq!(d.order.state, State::OnSite);
    let d = wo::record_work(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        work(AcceptanceResult::Passed, false),
    )
    .unwrap();
    assert_eq!(
        d.order.total_fen, 12500,
        "an out-of-warranty part is charged, plus the fee"
    );

    let refused =
        wo::issue_receipt(&mut shop.env.desk, &d.order.id, d.order.rev, None).unwrap_err();
    assert_eq!(
        issues(refused),
        vec![("parts.0.consent".to_string(), Rule::ConsentMissing)],
        "a replaced part needs the customer's consent before the receipt"
    );
    let d = wo::record_work(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        work(AcceptanceResult::Passed, true),
    )
    .unwrap();
    let d = wo::issue_receipt(&mut shop.env.desk, &d.order.id, d.order.rev, None).unwrap();
    assert!(d.receipt_current && !d.receipt_signed);
    assert_eq!(
        issues(wo::complete(&mut shop.env.desk, &d.order.id, d.order.rev).unwrap_err()),
        vec![("receipt".to_string(), Rule::ReceiptUnsigned)],
        "an acceptance is closed only on a signed receipt"
    );

    let d = wo::issue_receipt(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        Some(signature()),
    )
    .unwrap();
    let receipts: Vec<_> = d
        .documents
        .iter()
        .filter(|x| x.form == FormCode::AcceptanceReceipt)
        .collect();
    assert_eq!(
        receipts.len(),
        2,
        "signing issued the next revision and kept the first"
    );
    assert_eq!(receipts[0].revision, 2);
    assert!(receipts[0].signed && !receipts[0].superseded);
    assert!(!receipts[1].signed && receipts[1].superseded);
    assert_eq!(
        receipts[0].number, receipts[1].number,
        "a revision keeps its number"
    );
    match documents::payload(&shop.env.desk, &receipts[0].id).unwrap() {
        desk_core::forms::FormData::AcceptanceReceipt(r) => {
            let s = r.signature.expect("the signed receipt carries the strokes");
            assert_eq!(s.strokes.len(), 2);
            assert_eq!(s.signed_at, "2026-11-22 10:00");
        }
        other => panic!("expected a receipt, got {other:?}"),
    }

    let d = wo::complete(&mut shop.env.desk, &d.order.id, d.order.rev).unwrap();
    assert_eq!(d.order.state, State::Completed);
    assert!(d.allowed.is_empty(), "completed is final");
    let steps: Vec<&str> = d.timeline.iter().map(|t| t.event.as_str()).collect();
    for step in [
        "received",
        "scheduled",
        "dispatched",
        "arrived",
        "work_recorded",
        "receipt_signed",
        "completed",
    ] {
        assert!(
            steps.contains(&step),
            "the timeline shows {step}: {steps:?}"
        );
    }
    assert!(
        d.timeline.iter().all(|t| t.user_name == "管理员"),
        "every step says who"
    );
}

#[test]
fn a_changed_record_makes_the_receipt_outdated_until_issued_again() {
    let mut shop = shop();
    let d = on_site(&mut shop, "SN-2001", "2026-06-01");
    let d = wo::record_work(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        work(AcceptanceResult::Passed, true),
    )
    .unwrap();
    let d = wo::issue_receipt(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        Some(signature()),
    )
    .unwrap();
    let mut changed = work(AcceptanceResult::Passed, true);
    changed.fees[0].amount_fen = 10000;
    let d = wo::record_work(&mut shop.env.desk, &d.order.id, d.order.rev, changed).unwrap();
    assert!(!d.receipt_current);
    assert_eq!(
        issues(wo::complete(&mut shop.env.desk, &d.order.id, d.order.rev).unwrap_err()),
        vec![("receipt".to_string(), Rule::ReceiptOutdated)],
        "the signature was given for other figures"
    );
}

#[test]
fn issuing_the_same_content_again_is_not_a_new_revision() {
    let mut shop = shop();
    let d = on_site(&mut shop, "SN-2101", "2026-06-01");
    let d = wo::record_work(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        work(AcceptanceResult::Passed, true),
    )
    .unwrap();
    let d = wo::issue_receipt(&mut shop.env.desk, &d.order.id, d.order.rev, None).unwrap();
    let d = wo::issue_receipt(&mut shop.env.desk, &d.order.id, d.order.rev, None).unwrap();
    let n = d
        .documents
        .iter()
        .filter(|x| x.form == FormCode::AcceptanceReceipt)
        .count();
    assert_eq!(n, 1);
}

#[test]
fn rebooking_a_dispatched_order_issues_the_slip_again_as_revision_two() {
    let mut shop = shop();
    let d = repair_call(&mut shop, "SN-3001", "2026-06-01");
    let tech = shop.tech.clone();
    let d = wo::schedule(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        appointment(&[&tech], "09:00", "12:00"),
    )
    .unwrap()
    .detail;
    let d = wo::dispatch(&mut shop.env.desk, &d.order.id, d.order.rev).unwrap();
    let first = d.documents[0].clone();
    let d = wo::schedule(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        appointment(&[&tech], "14:00", "17:00"),
    )
    .unwrap()
    .detail;
    assert_eq!(
        d.order.state,
        State::Scheduled,
        "a new time takes the order back to scheduled"
    );
    let d = wo::dispatch(&mut shop.env.desk, &d.order.id, d.order.rev).unwrap();
    let slips: Vec<_> = d
        .documents
        .iter()
        .filter(|x| x.form == FormCode::DispatchSlip)
        .collect();
    assert_eq!(slips.len(), 2);
    assert_eq!(
        (slips[0].number.as_str(), slips[0].revision),
        (first.number.as_str(), 2)
    );
    assert!(slips[1].superseded);
    assert_eq!(
        documents::pdf(&shop.env.desk, &first.id).unwrap().len() as i64,
        first.size,
        "the old revision stays readable"
    );
    assert_eq!(shop.env.count("document_sequences WHERE form = 'PX'"), 1);
}

#[test]
fn a_technician_booked_in_an_overlapping_window_is_warned_about() {
    let mut shop = shop();
    let tech = shop.tech.clone();
    let tech2 = shop.tech2.clone();
    let a = repair_call(&mut shop, "SN-4001", "2026-06-01");
    let a = wo::schedule(
        &mut shop.env.desk,
        &a.order.id,
        a.order.rev,
        appointment(&[&tech], "09:00", "12:00"),
    )
    .unwrap();
    assert!(a.clashes.is_empty());
    let b = wo::intake(
        &mut shop.env.desk,
        IntakeInput {
            kind: Kind::Installation,
            channel: Channel::WalkIn,
            customer_id: Some(a.detail.order.customer_id.clone()),
            new_customer: None,
            contact_id: None,
            unit_id: a.detail.order.unit_id.clone(),
            new_unit: None,
            caller_phone: String::new(),
            description: "新机安装".into(),
        },
    )
    .unwrap();
    let clashes = wo::booking_clashes(
        &shop.env.desk,
        &b.order.id,
        &appointment(&[&tech, &tech2], "11:00", "13:00"),
    )
    .unwrap();
    assert_eq!(
        clashes.len(),
        1,
        "李师傅 is booked 09:00–12:00; 赵师傅 is free"
    );
    assert_eq!(clashes[0].technician_name, "李师傅");
    assert_eq!(clashes[0].work_order_number, a.detail.order.number);
    let out = wo::schedule(
        &mut shop.env.desk,
        &b.order.id,
        b.order.rev,
        appointment(&[&tech], "12:00", "13:00"),
    )
    .unwrap();
    assert!(out.clashes.is_empty(), "back-to-back windows do not clash");
}

#[test]
fn bad_appointments_are_refused_field_by_field() {
    let mut shop = shop();
    let d = repair_call(&mut shop, "SN-4101", "2026-06-01");
    let admin_id = users::current(&shop.env.desk).unwrap().unwrap().id;
    let mut a = appointment(&[&admin_id], "12:00", "09:00");
    a.date = "2026-11-21".into();
    a.address = " ".into();
    let log = shop.env.log_count();
    let got = issues(wo::schedule(&mut shop.env.desk, &d.order.id, d.order.rev, a).unwrap_err());
    assert_eq!(
        got,
        vec![
            ("date".to_string(), Rule::InvalidDate),
            ("end".to_string(), Rule::EndBeforeStart),
            ("address".to_string(), Rule::Required),
            ("technicianIds.0".to_string(), Rule::NotTechnician),
        ]
    );
    assert_eq!(shop.env.log_count(), log, "nothing was written");
}

#[test]
fn a_consultation_is_answered_by_its_owner_after_a_recorded_hand_over() {
    let mut shop = shop();
    let customer = create_person(&mut shop.env, "陈静", "13900002222");
    let d = wo::intake(
        &mut shop.env.desk,
        IntakeInput {
            kind: Kind::Consultation,
            channel: Channel::Phone,
            customer_id: Some(customer.customer.id.clone()),
            new_customer: None,
            contact_id: None,
            unit_id: None,
            new_unit: None,
            caller_phone: "13900002222".into(),
            description: "变频空调冬天制热效果差，是否需要加氟？".into(),
        },
    )
    .unwrap();
    let tech = shop.tech.clone();
    assert_eq!(
        code(wo::schedule(
            &mut shop.env.desk,
            &d.order.id,
            d.order.rev,
            appointment(&[&tech], "09:00", "10:00")
        )),
        ErrorCode::InvalidTransition,
        "a consultation sends nobody"
    );
    let d = wo::hand_over(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        HandOverInput {
            to_user_id: tech.clone(),
            note: "需技术判断".into(),
            promised_reply_at: Some("2026-11-22 16:00".into()),
        },
    )
    .unwrap();
    assert_eq!(d.owner.name, "李师傅");
    assert_eq!(
        d.order.promised_reply_at.as_deref(),
        Some("2026-11-22T08:00:00.000000Z")
    );
    assert!(d
        .timeline
        .iter()
        .any(|t| t.event == "handed_over" && t.note.contains("李师傅")));

    // The front desk that took the call no longer owns it.
    shop.env.sign_in_as(Role::FrontDesk);
    assert_eq!(
        code(wo::answer(
            &mut shop.env.desk,
            &d.order.id,
            d.order.rev,
            "不需要"
        )),
        ErrorCode::Forbidden
    );
    users::sign_out(&mut shop.env.desk);
    users::sign_in(&mut shop.env.desk, "lishifu", "password1").unwrap();
    let d = wo::answer(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        "低温下制热衰减属正常，建议开启辅热。",
    )
    .unwrap();
    assert_eq!(d.order.state, State::Answered);
}

#[test]
fn an_illegal_step_is_an_invalid_transition_and_writes_nothing() {
    let mut shop = shop();
    let d = repair_call(&mut shop, "SN-5001", "2026-06-01");
    let log = shop.env.log_count();
    let err = wo::arrive(&mut shop.env.desk, &d.order.id, d.order.rev).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidTransition);
    let p = err.payload();
    assert_eq!(p.params["from"], "received");
    assert_eq!(p.params["event"], "arrive");
    assert_eq!(shop.env.log_count(), log);
    assert_eq!(
        code(wo::dispatch(
            &mut shop.env.desk,
            &d.order.id,
            d.order.rev + 1
        )),
        ErrorCode::Conflict,
        "a stale page is a conflict, never a silent overwrite"
    );
}

#[test]
fn cancelling_a_dispatched_order_voids_its_slip_and_keeps_the_number() {
    let mut shop = shop();
    let d = repair_call(&mut shop, "SN-6001", "2026-06-01");
    let tech = shop.tech.clone();
    let d = wo::schedule(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        appointment(&[&tech], "09:00", "12:00"),
    )
    .unwrap()
    .detail;
    let d = wo::dispatch(&mut shop.env.desk, &d.order.id, d.order.rev).unwrap();
    assert_eq!(
        issues(wo::cancel(&mut shop.env.desk, &d.order.id, d.order.rev, "").unwrap_err()),
        vec![("reason".to_string(), Rule::Required)]
    );
    let d = wo::cancel(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        "客户已自行修好",
    )
    .unwrap();
    assert_eq!(d.order.state, State::Cancelled);
    assert_eq!(d.documents[0].status, DocumentStatus::Void);
    assert_eq!(d.documents[0].void_reason, "客户已自行修好");
    assert_eq!(
        d.documents[0].number, "SH01-PX-2026-000001",
        "a void number stays on record"
    );
    assert_eq!(
        code(wo::cancel(
            &mut shop.env.desk,
            &d.order.id,
            d.order.rev,
            "again"
        )),
        ErrorCode::InvalidTransition
    );
}

#[test]
fn a_failed_acceptance_is_settled_within_its_terms() {
    let mut shop = shop();
    // Bought 20 days ago: the 15-day return has run out, the 30-day exchange has not.
    let d = on_site(&mut shop, "SN-7001", "2026-11-02");
    let d = wo::record_work(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        work(AcceptanceResult::Failed, true),
    )
    .unwrap();
    assert_eq!(
        issues(wo::fail_acceptance(&mut shop.env.desk, &d.order.id, d.order.rev).unwrap_err()),
        vec![("receipt".to_string(), Rule::ReceiptMissing)]
    );
    let d = wo::issue_receipt(&mut shop.env.desk, &d.order.id, d.order.rev, None).unwrap();
    assert_eq!(
        issues(wo::complete(&mut shop.env.desk, &d.order.id, d.order.rev).unwrap_err()),
        vec![("result".to_string(), Rule::ResultMismatch)]
    );
    let d = wo::fail_acceptance(&mut shop.env.desk, &d.order.id, d.order.rev).unwrap();
    assert_eq!(d.order.state, State::AcceptanceFailed);
    let e = d.eligibility.clone().unwrap();
    assert_eq!(e.days_since_purchase, Some(20));
    assert!(!e.return_open && e.exchange_open);

    let input = |kind| ReturnInput {
        kind,
        reason: "压缩机故障，两次维修后仍不制冷".into(),
        nonconforming_handling: "整机退回工厂检测，按不合格品程序处置".into(),
    };
    let err = wo::settle_return(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        input(ReturnKind::Return),
    )
    .unwrap_err();
    let p = err.payload();
    assert_eq!(p.rule, Some(Rule::TermExpired));
    assert_eq!(p.params["until"], "2026-11-17");

    shop.env.sign_in_as(Role::FrontDesk);
    assert_eq!(
        code(wo::settle_return(
            &mut shop.env.desk,
            &d.order.id,
            d.order.rev,
            input(ReturnKind::Exchange)
        )),
        ErrorCode::Forbidden,
        "returns are approved by a supervisor"
    );
    shop.env.sign_in_as(Role::Supervisor);
    let d = wo::settle_return(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        input(ReturnKind::Exchange),
    )
    .unwrap();
    assert_eq!(d.order.state, State::Exchanged);
    let note = d
        .documents
        .iter()
        .find(|x| x.form == FormCode::ReturnNote)
        .unwrap();
    assert_eq!(note.number, "SH01-TH-2026-000001");
    match documents::payload(&shop.env.desk, &note.id).unwrap() {
        desk_core::forms::FormData::ReturnNote(n) => {
            assert_eq!(n.eligibility, "购买后第 20 天，在换货期内（至 2026-12-02）");
        }
        other => panic!("expected a return note, got {other:?}"),
    }
}

#[test]
fn issued_documents_are_immutable_in_the_core_and_in_sql() {
    let mut shop = shop();
    let d = repair_call(&mut shop, "SN-8001", "2026-06-01");
    let tech = shop.tech.clone();
    let d = wo::schedule(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        appointment(&[&tech], "09:00", "12:00"),
    )
    .unwrap()
    .detail;
    let d = wo::dispatch(&mut shop.env.desk, &d.order.id, d.order.rev).unwrap();
    let id = d.documents[0].id.clone();
    let conn = rusqlite::Connection::open(shop.env.desk.path()).unwrap();
    for sql in [
        "UPDATE documents SET payload = '{}' WHERE id = ?1",
        "UPDATE documents SET pdf = x'00' WHERE id = ?1",
        "UPDATE documents SET sha256 = upper(sha256) WHERE id = ?1",
        "UPDATE documents SET revision = 9 WHERE id = ?1",
        "UPDATE documents SET number = 'X' WHERE id = ?1",
        "UPDATE documents SET status = 'void', void_reason = '' WHERE id = ?1",
        "DELETE FROM documents WHERE id = ?1",
    ] {
        let err = conn.execute(sql, [&id]).expect_err(sql);
        assert!(
            err.to_string().contains("immutable")
                || err.to_string().contains("voided once")
                || err.to_string().contains("never deleted"),
            "{sql}: {err}"
        );
    }
    let v = documents::void(&mut shop.env.desk, &id, "地址写错").unwrap();
    assert_eq!(v.status, DocumentStatus::Void);
    assert_eq!(
        issues(documents::void(&mut shop.env.desk, &id, "again").unwrap_err()),
        vec![("reason".to_string(), Rule::AlreadyVoid)],
        "the core refuses a second void"
    );
    let err = conn
        .execute(
            "UPDATE documents SET status = 'issued', void_reason = 'x' WHERE id = ?1",
            [&id],
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("voided once"),
        "SQL refuses un-voiding: {err}"
    );
    let sha: String = conn
        .query_row("SELECT sha256 FROM documents WHERE id = ?1", [&id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(sha, v.sha256);
}

#[test]
fn the_list_filters_by_state_technician_and_date() {
    let mut shop = shop();
    let tech = shop.tech.clone();
    let tech2 = shop.tech2.clone();
    let a = repair_call(&mut shop, "SN-9001", "2026-06-01");
    let a = wo::schedule(
        &mut shop.env.desk,
        &a.order.id,
        a.order.rev,
        appointment(&[&tech], "09:00", "12:00"),
    )
    .unwrap()
    .detail;
    let b = repair_call(&mut shop, "SN-9002", "2026-06-01");
    let mut later = appointment(&[&tech2], "09:00", "12:00");
    later.date = "2026-11-30".into();
    wo::schedule(&mut shop.env.desk, &b.order.id, b.order.rev, later).unwrap();
    repair_call(&mut shop, "SN-9003", "2026-06-01");

    let all = wo::list(&shop.env.desk, &WorkOrderFilter::default()).unwrap();
    assert_eq!(all.total, 3);
    let received = wo::list(
        &shop.env.desk,
        &WorkOrderFilter {
            state: Some(State::Received),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(received.total, 1);
    let by_tech = wo::list(
        &shop.env.desk,
        &WorkOrderFilter {
            technician_id: Some(tech.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        by_tech
            .rows
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>(),
        vec![a.order.id.as_str()]
    );
    assert_eq!(by_tech.rows[0].technicians, vec!["李师傅".to_string()]);
    let tomorrow = wo::list(
        &shop.env.desk,
        &WorkOrderFilter {
            date_from: Some("2026-11-23".into()),
            date_to: Some("2026-11-23".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(tomorrow.total, 1, "booked for the 23rd: only the first");
    let today = wo::list(
        &shop.env.desk,
        &WorkOrderFilter {
            date_from: Some("2026-11-22".into()),
            date_to: Some("2026-11-22".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(today.total, 1, "received today and not booked: the third");
    let bad = wo::list(
        &shop.env.desk,
        &WorkOrderFilter {
            date_from: Some("2026-13-01".into()),
            ..Default::default()
        },
    );
    assert_eq!(
        issues(bad.unwrap_err()),
        vec![("dateFrom".to_string(), Rule::InvalidDate)]
    );
}

#[test]
fn intake_creates_customer_unit_and_order_together_or_nothing() {
    let mut shop = shop();
    let before = (
        shop.env.count("customers"),
        shop.env.count("units"),
        shop.env.log_count(),
    );
    let mut bad_unit = unit(&shop.model_id, "SN 1", "2026-06-01");
    bad_unit.serial = "坏序列号".into();
    let err = wo::intake(
        &mut shop.env.desk,
        IntakeInput {
            kind: Kind::Repair,
            channel: Channel::Phone,
            customer_id: None,
            new_customer: Some(person("周杰", "13700001111")),
            contact_id: None,
            unit_id: None,
            new_unit: Some(bad_unit),
            caller_phone: "13700001111".into(),
            description: "不开机".into(),
        },
    )
    .unwrap_err();
    assert_eq!(
        issues(err),
        vec![("newUnit.serial".to_string(), Rule::InvalidSerial)]
    );
    assert_eq!(
        (
            shop.env.count("customers"),
            shop.env.count("units"),
            shop.env.log_count()
        ),
        before,
        "the customer created before the unit failed was rolled back"
    );
    let err = wo::intake(
        &mut shop.env.desk,
        IntakeInput {
            kind: Kind::Repair,
            channel: Channel::Phone,
            customer_id: None,
            new_customer: None,
            contact_id: None,
            unit_id: None,
            new_unit: None,
            caller_phone: "12345".into(),
            description: " ".into(),
        },
    )
    .unwrap_err();
    assert_eq!(
        issues(err),
        vec![
            ("description".to_string(), Rule::Required),
            ("callerPhone".to_string(), Rule::InvalidPhone),
            ("customerId".to_string(), Rule::Required),
            ("unitId".to_string(), Rule::Required),
        ]
    );
}

#[test]
fn who_may_do_what_with_a_work_order() {
    let mut shop = shop();
    let d = on_site(&mut shop, "SN-9901", "2026-06-01");
    for role in [
        Role::Cashier,
        Role::WarehouseKeeper,
        Role::ReturnVisitOfficer,
    ] {
        shop.env.sign_in_as(role);
        assert_eq!(
            code(wo::record_work(
                &mut shop.env.desk,
                &d.order.id,
                d.order.rev,
                work(AcceptanceResult::Passed, true)
            )),
            ErrorCode::Forbidden,
            "{role:?} does not record site work"
        );
        assert_eq!(
            code(wo::intake(
                &mut shop.env.desk,
                IntakeInput {
                    kind: Kind::Consultation,
                    channel: Channel::Phone,
                    customer_id: Some(d.order.customer_id.clone()),
                    new_customer: None,
                    contact_id: None,
                    unit_id: None,
                    new_unit: None,
                    caller_phone: String::new(),
                    description: "?".into(),
                }
            )),
            ErrorCode::Forbidden,
            "{role:?} does not take calls"
        );
    }
    shop.env.sign_in_as(Role::Technician);
    assert_eq!(
        code(wo::dispatch(&mut shop.env.desk, &d.order.id, d.order.rev)),
        ErrorCode::Forbidden
    );
    wo::record_work(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        work(AcceptanceResult::Passed, true),
    )
    .expect("a technician records the visit");
}

// ------------------------------------------------------------------ the state machine

#[derive(Debug, Clone, Copy)]
enum Step {
    Answer,
    Schedule,
    Dispatch,
    Arrive,
    RecordPassed,
    RecordFailed,
    Receipt,
    Sign,
    Complete,
    Fail,
    Return,
    Exchange,
    Cancel,
    HandOver,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        Just(Step::Answer),
        Just(Step::Schedule),
        Just(Step::Dispatch),
        Just(Step::Arrive),
        Just(Step::RecordPassed),
        Just(Step::RecordFailed),
        Just(Step::Receipt),
        Just(Step::Sign),
        Just(Step::Complete),
        Just(Step::Fail),
        Just(Step::Return),
        Just(Step::Exchange),
        Just(Step::Cancel),
        Just(Step::HandOver),
    ]
}

fn timeline_len(shop: &Shop, id: &str) -> i64 {
    shop.env
        .count(&format!("work_order_events WHERE work_order_id = '{id}'"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Random sequences through the real core: the state only ever moves as `transition`
    /// says, a refused step changes nothing, and every accepted step is on the timeline.
    #[test]
    fn random_steps_never_reach_an_illegal_state(consultation in any::<bool>(), steps in prop::collection::vec(step(), 1..14)) {
        let mut shop = shop();
        // Bought 5 days ago: both the return and the exchange are open.
        let d = if consultation {
            let c = create_person(&mut shop.env, "测试", "13911112222");
            wo::intake(&mut shop.env.desk, IntakeInput {
                kind: Kind::Consultation, channel: Channel::Online, customer_id: Some(c.customer.id), new_customer: None,
                contact_id: None, unit_id: None, new_unit: None, caller_phone: String::new(), description: "咨询".into(),
            }).unwrap()
        } else {
            repair_call(&mut shop, "SN-P1", "2026-11-17")
        };
        let id = d.order.id.clone();
        let kind = d.order.kind;
        let tech = shop.tech.clone();
        for s in steps {
            let before = wo::get(&shop.env.desk, &id).unwrap().order;
            let events_before = timeline_len(&shop, &id);
            let desk = &mut shop.env.desk;
            let rev = before.rev;
            let (event, result) = match s {
                Step::Answer => (Some(Event::Answer), wo::answer(desk, &id, rev, "已答复").map(|_| ())),
                Step::Schedule => (Some(Event::Schedule), wo::schedule(desk, &id, rev, appointment(&[&tech], "09:00", "10:00")).map(|_| ())),
                Step::Dispatch => (Some(Event::Dispatch), wo::dispatch(desk, &id, rev).map(|_| ())),
                Step::Arrive => (Some(Event::Arrive), wo::arrive(desk, &id, rev).map(|_| ())),
                Step::RecordPassed => (None, wo::record_work(desk, &id, rev, work(AcceptanceResult::Passed, true)).map(|_| ())),
                Step::RecordFailed => (None, wo::record_work(desk, &id, rev, work(AcceptanceResult::Failed, true)).map(|_| ())),
                Step::Receipt => (None, wo::issue_receipt(desk, &id, rev, None).map(|_| ())),
                Step::Sign => (None, wo::issue_receipt(desk, &id, rev, Some(signature())).map(|_| ())),
                Step::Complete => (Some(Event::Complete), wo::complete(desk, &id, rev).map(|_| ())),
                Step::Fail => (Some(Event::FailAcceptance), wo::fail_acceptance(desk, &id, rev).map(|_| ())),
                Step::Return => (Some(Event::Return), wo::settle_return(desk, &id, rev, ReturnInput { kind: ReturnKind::Return, reason: "r".into(), nonconforming_handling: "h".into() }).map(|_| ())),
                Step::Exchange => (Some(Event::Exchange), wo::settle_return(desk, &id, rev, ReturnInput { kind: ReturnKind::Exchange, reason: "r".into(), nonconforming_handling: "h".into() }).map(|_| ())),
                Step::Cancel => (Some(Event::Cancel), wo::cancel(desk, &id, rev, "客户取消").map(|_| ())),
                Step::HandOver => (None, wo::hand_over(desk, &id, rev, HandOverInput { to_user_id: tech.clone(), note: String::new(), promised_reply_at: None }).map(|_| ())),
            };
            let after = wo::get(&shop.env.desk, &id).unwrap();
            match result {
                Ok(()) => {
                    if let Some(e) = event {
                        let expected = wo::transition(kind, before.state, e);
                        prop_assert_eq!(expected.ok(), Some(after.order.state), "{:?} from {:?}", s, before.state);
                        let last = after.timeline.last().unwrap();
                        prop_assert_eq!(last.to_state, after.order.state);
                        prop_assert_eq!(last.from_state, before.state);
                    } else {
                        prop_assert_eq!(after.order.state, before.state, "{:?} is not a transition", s);
                    }
                    prop_assert!(timeline_len(&shop, &id) > events_before, "{:?} accepted but not logged", s);
                    prop_assert!(after.order.rev > before.rev);
                }
                Err(e) => {
                    prop_assert!(
                        matches!(e.code(), ErrorCode::InvalidTransition | ErrorCode::Validation),
                        "{:?} from {:?} failed with {:?}", s, before.state, e
                    );
                    prop_assert_eq!(after.order.state, before.state);
                    prop_assert_eq!(after.order.rev, before.rev, "a refused step writes nothing");
                    prop_assert_eq!(timeline_len(&shop, &id), events_before);
                }
            }
            let legal: &[State] = if consultation {
                &[State::Received, State::Answered, State::Cancelled]
            } else {
                &[State::Received, State::Scheduled, State::Dispatched, State::OnSite, State::Completed,
                  State::AcceptanceFailed, State::Returned, State::Exchanged, State::Cancelled]
            };
            prop_assert!(legal.contains(&after.order.state), "{:?} reached {:?}", kind, after.order.state);
            if after.order.state == State::Completed {
                prop_assert!(after.receipt_signed, "completed only with a signed receipt");
            }
        }
    }

    /// The pure machine: final states accept nothing, and nothing but the listed pairs moves.
    #[test]
    fn final_states_accept_no_event(kind in prop::sample::select(Kind::ALL.to_vec()), events in prop::collection::vec(prop::sample::select(Event::ALL.to_vec()), 0..30)) {
        let mut state = State::Received;
        for e in events {
            match wo::transition(kind, state, e) {
                Ok(next) => {
                    prop_assert!(!state.is_final(), "{:?} left final {:?}", e, state);
                    state = next;
                }
                Err(err) => prop_assert_eq!(err.code(), ErrorCode::InvalidTransition),
            }
            prop_assert_eq!(wo::allowed_events(kind, state).is_empty(), state.is_final());
        }
    }
}

/// Renders a stored PDF's first page to PNG with poppler, as a scanner would hand it back.
fn scan_of(pdf: &[u8], dir: &std::path::Path, name: &str) -> Vec<u8> {
    let input = dir.join(format!("{name}.pdf"));
    std::fs::write(&input, pdf).unwrap();
    let out = dir.join(name);
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", "150", "-png", "-singlefile", "-f", "1", "-l", "1"])
        .arg(&input)
        .arg(&out)
        .status()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(status.success());
    std::fs::read(out.with_extension("png")).unwrap()
}

#[test]
fn a_paper_signature_is_a_scan_whose_qr_code_matches_the_receipt() {
    let mut shop = shop();
    let d = on_site(&mut shop, "SN-S001", "2026-06-01");
    let d = wo::record_work(
        &mut shop.env.desk,
        &d.order.id,
        d.order.rev,
        work(AcceptanceResult::Passed, true),
    )
    .unwrap();
    let d = wo::issue_receipt(&mut shop.env.desk, &d.order.id, d.order.rev, None).unwrap();
    let receipt = d
        .documents
        .iter()
        .find(|x| x.form == FormCode::AcceptanceReceipt)
        .unwrap()
        .clone();
    let slip = d
        .documents
        .iter()
        .find(|x| x.form == FormCode::DispatchSlip)
        .unwrap()
        .clone();
    let dir = tempfile::tempdir().unwrap();
    let wrong = scan_of(
        &documents::pdf(&shop.env.desk, &slip.id).unwrap(),
        dir.path(),
        "slip",
    );
    let right = scan_of(
        &documents::pdf(&shop.env.desk, &receipt.id).unwrap(),
        dir.path(),
        "receipt",
    );

    let check = documents::check_scan(&shop.env.desk, &receipt.id, &wrong).unwrap();
    assert!(!check.matches);
    assert_eq!(
        check.found,
        vec![slip.number.clone()],
        "the QR of the other paper was read"
    );
    let log = shop.env.log_count();
    let err = documents::attach_scan(&mut shop.env.desk, &receipt.id, "扫描件.png", &wrong, false)
        .unwrap_err();
    let p = err.payload();
    assert_eq!(p.rule, Some(Rule::ScanMismatch));
    assert_eq!(p.params["expected"], receipt.number);
    assert_eq!(p.params["found"], slip.number);
    assert_eq!(shop.env.log_count(), log, "a refused scan writes nothing");

    // Attached anyway on the desk's word: kept, marked as not matching, and not a signature.
    let kept = documents::attach_scan(&mut shop.env.desk, &receipt.id, "扫描件.png", &wrong, true)
        .unwrap();
    assert!(!kept.matches);
    let d = wo::get(&shop.env.desk, &d.order.id).unwrap();
    assert!(!d.receipt_signed);
    assert_eq!(
        issues(wo::complete(&mut shop.env.desk, &d.order.id, d.order.rev).unwrap_err()),
        vec![("receipt".to_string(), Rule::ReceiptUnsigned)]
    );

    let info = documents::attach_scan(
        &mut shop.env.desk,
        &receipt.id,
        "回执单-已签字.png",
        &right,
        false,
    )
    .unwrap();
    assert!(info.matches && info.format == desk_core::scan::ScanFormat::Png);
    assert_eq!(
        documents::scan_bytes(&shop.env.desk, &info.id).unwrap(),
        right
    );
    let d = wo::get(&shop.env.desk, &d.order.id).unwrap();
    assert!(
        d.receipt_signed,
        "the matching scan is the customer's signature on paper"
    );
    assert!(d.timeline.iter().any(|t| t.event == "scan_attached"));
    let d = wo::complete(&mut shop.env.desk, &d.order.id, d.order.rev).unwrap();
    assert_eq!(d.order.state, State::Completed);
    let garbage = documents::check_scan(&shop.env.desk, &receipt.id, b"not a scan").unwrap_err();
    assert_eq!(garbage.payload().rule, Some(Rule::UnsupportedFile));
}
