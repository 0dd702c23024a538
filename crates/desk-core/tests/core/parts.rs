//! Spare parts: the ledger never goes negative and always equals its cached balance;
//! requisitions are approved by someone else with the right role before issue; use on a work
//! order is reconciled with what was issued and returned.

use desk_core::parts::requisitions::{
    self as req, RequisitionInput, RequisitionLineInput, RequisitionState, ReturnUnusedInput,
};
use desk_core::parts::{
    self, FactoryReturnInput, Location, LocationInput, LocationKind, MovementFilter, MovementKind,
    Part, PartInput, ReceiptInput, TransferInput,
};
use desk_core::users::Role;
use desk_core::work_orders::{self as wo, AcceptanceResult, PartInput as UsedPart, WorkInput};
use desk_core::{ErrorCode, Rule};
use proptest::prelude::*;

use crate::common::*;
use crate::work_orders::{on_site, shop, Shop};

pub struct Store {
    pub shop: Shop,
    pub main: Location,
    pub van: Location,
    pub capacitor: Part,
    pub board: Part,
}

pub fn part(code: &str, name: &str, serial_tracked: bool) -> PartInput {
    PartInput {
        code: code.into(),
        name: name.into(),
        model: "CBB65 35μF".into(),
        unit: "个".into(),
        price_fen: 4500,
        warranty_months: 12,
        reorder_point: 5,
        serial_tracked,
        active: true,
    }
}

/// A shop with a main store, a technician's van and two parts (one serial-tracked).
pub fn store() -> Store {
    let mut shop = shop();
    let d = &mut shop.env.desk;
    let main = parts::create_location(
        d,
        LocationInput {
            code: "main".into(),
            name: "主仓库".into(),
            kind: LocationKind::Store,
        },
    )
    .unwrap();
    let van = parts::create_location(
        d,
        LocationInput {
            code: "van1".into(),
            name: "一号服务车".into(),
            kind: LocationKind::Store,
        },
    )
    .unwrap();
    let capacitor = parts::create_part(d, part("cap-35", "启动电容", false)).unwrap();
    let mut board_input = part("PCB-01", "室外机主板", true);
    board_input.price_fen = 38000;
    let board = parts::create_part(d, board_input).unwrap();
    Store {
        shop,
        main,
        van,
        capacitor,
        board,
    }
}

pub fn receive(s: &mut Store, part: &str, qty: i64, serials: &[&str]) {
    parts::receive(
        &mut s.shop.env.desk,
        ReceiptInput {
            part_id: part.into(),
            location_id: s.main.id.clone(),
            qty,
            supplier: "格力配件中心".into(),
            passed: true,
            note: String::new(),
            serials: serials.iter().map(|x| x.to_string()).collect(),
        },
    )
    .unwrap();
}

fn ledger_sum(s: &Store, part: &str, location: &str) -> i64 {
    s.shop
        .env
        .desk
        .conn()
        .query_row(
            "SELECT coalesce(sum(qty), 0) FROM stock_movements WHERE part_id = ?1 AND location_id = ?2",
            [part, location],
            |r| r.get(0),
        )
        .unwrap()
}

fn cached(s: &Store, part: &str, location: &str) -> i64 {
    s.shop
        .env
        .desk
        .conn()
        .query_row(
            "SELECT coalesce(max(qty), 0) FROM stock_balances WHERE part_id = ?1 AND location_id = ?2",
            [part, location],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn an_inspection_decides_whether_goods_enter_stock() {
    let mut s = store();
    let failed = parts::receive(
        &mut s.shop.env.desk,
        ReceiptInput {
            part_id: s.capacitor.id.clone(),
            location_id: s.main.id.clone(),
            qty: 10,
            supplier: "某配件商".into(),
            passed: false,
            note: "外壳破损，退回供应商".into(),
            serials: vec![],
        },
    )
    .unwrap();
    assert!(!failed.passed);
    assert_eq!(
        parts::balance(&s.shop.env.desk, &s.capacitor.id)
            .unwrap()
            .on_hand,
        0,
        "failed goods never enter stock"
    );
    let no_reason = parts::receive(
        &mut s.shop.env.desk,
        ReceiptInput {
            part_id: s.capacitor.id.clone(),
            location_id: s.main.id.clone(),
            qty: 10,
            supplier: "某配件商".into(),
            passed: false,
            note: " ".into(),
            serials: vec![],
        },
    );
    assert_eq!(
        issues(no_reason.unwrap_err()),
        vec![("note".to_string(), Rule::Required)],
        "a rejection says why"
    );
    let cap = s.capacitor.id.clone();
    receive(&mut s, &cap, 10, &[]);
    assert_eq!(
        parts::balance(&s.shop.env.desk, &s.capacitor.id)
            .unwrap()
            .on_hand,
        10
    );
    let moves = parts::movements(&s.shop.env.desk, &MovementFilter::default()).unwrap();
    assert_eq!(moves.len(), 1);
    assert_eq!(moves[0].kind, MovementKind::Receipt);
}

#[test]
fn stock_never_goes_negative_and_the_error_says_how_much_there_is() {
    let mut s = store();
    let cap = s.capacitor.id.clone();
    receive(&mut s, &cap, 3, &[]);
    let err = parts::transfer(
        &mut s.shop.env.desk,
        TransferInput {
            part_id: cap.clone(),
            from_location_id: s.main.id.clone(),
            to_location_id: s.van.id.clone(),
            qty: 5,
            serials: vec![],
            note: String::new(),
        },
    )
    .unwrap_err();
    let p = err.payload();
    assert_eq!(p.rule, Some(Rule::InsufficientStock));
    assert_eq!(
        (
            p.params["available"].as_str(),
            p.params["requested"].as_str()
        ),
        ("3", "5")
    );
    // Even SQL refuses, whatever code writes.
    let conn = rusqlite::Connection::open(s.shop.env.desk.path()).unwrap();
    let raw = conn.execute(
        "INSERT INTO stock_movements (id, site_id, at, user_id, part_id, location_id, qty, kind)
         VALUES ('x', 's', 't', 'u', ?1, ?2, -4, 'issue')",
        [&cap, &s.main.id],
    );
    assert!(
        raw.is_err(),
        "the cached balance's CHECK refuses a negative balance"
    );
    assert!(
        conn.execute("DELETE FROM stock_movements", []).is_err(),
        "the ledger is append-only"
    );
}

#[test]
fn serial_tracked_parts_move_by_serial() {
    let mut s = store();
    let board = s.board.id.clone();
    let err = parts::receive(
        &mut s.shop.env.desk,
        ReceiptInput {
            part_id: board.clone(),
            location_id: s.main.id.clone(),
            qty: 2,
            supplier: "格力".into(),
            passed: true,
            note: String::new(),
            serials: vec!["B-001".into()],
        },
    )
    .unwrap_err();
    assert_eq!(
        issues(err),
        vec![("serials".to_string(), Rule::SerialCount)]
    );
    receive(&mut s, &board, 2, &["b-001", "B-002"]);
    let b = parts::balance(&s.shop.env.desk, &board).unwrap();
    assert_eq!(
        b.serials_in_stock,
        vec!["B-001".to_string(), "B-002".to_string()]
    );
    let err = parts::return_to_factory(
        &mut s.shop.env.desk,
        FactoryReturnInput {
            part_id: board.clone(),
            location_id: s.main.id.clone(),
            qty: 1,
            serials: vec!["B-999".into()],
            note: "RMA-1".into(),
        },
    )
    .unwrap_err();
    assert_eq!(err.payload().rule, Some(Rule::SerialUnavailable));
    parts::return_to_factory(
        &mut s.shop.env.desk,
        FactoryReturnInput {
            part_id: board.clone(),
            location_id: s.main.id.clone(),
            qty: 1,
            serials: vec!["B-002".into()],
            note: "RMA-1".into(),
        },
    )
    .unwrap();
    assert_eq!(
        parts::balance(&s.shop.env.desk, &board)
            .unwrap()
            .serials_in_stock,
        vec!["B-001".to_string()]
    );
}

fn requisition(s: &mut Store, work_order_id: &str, lines: Vec<(String, i64)>) -> req::Requisition {
    req::request(
        &mut s.shop.env.desk,
        RequisitionInput {
            work_order_id: work_order_id.into(),
            location_id: s.main.id.clone(),
            purpose: "更换电容".into(),
            lines: lines
                .into_iter()
                .map(|(part_id, qty)| RequisitionLineInput { part_id, qty })
                .collect(),
        },
    )
    .unwrap()
}

#[test]
fn nobody_approves_their_own_requisition_and_only_the_right_roles_approve() {
    let mut s = store();
    let d = on_site(&mut s.shop, "SN-P100", "2026-06-01");
    let cap = s.capacitor.id.clone();
    receive(&mut s, &cap, 10, &[]);
    s.shop.env.sign_in_as(Role::Technician);
    let r = requisition(&mut s, &d.order.id, vec![(cap.clone(), 2)]);
    assert_eq!(r.state, RequisitionState::Requested);
    assert_eq!(
        req::approve(&mut s.shop.env.desk, &r.id, r.rev, "")
            .unwrap_err()
            .code(),
        ErrorCode::Forbidden,
        "a technician does not approve requisitions"
    );
    s.shop.env.sign_in_as(Role::WarehouseKeeper);
    let own = requisition(&mut s, &d.order.id, vec![(cap.clone(), 1)]);
    let err = req::approve(&mut s.shop.env.desk, &own.id, own.rev, "").unwrap_err();
    assert_eq!(
        err.code(),
        ErrorCode::SelfApproval,
        "nobody approves their own request"
    );
    assert_eq!(
        req::issue(&mut s.shop.env.desk, &r.id, r.rev, vec![])
            .unwrap_err()
            .code(),
        ErrorCode::InvalidTransition,
        "nothing is issued before approval"
    );
    let r = req::approve(&mut s.shop.env.desk, &r.id, r.rev, "同意").unwrap();
    assert_eq!(r.state, RequisitionState::Approved);
    assert_eq!(r.decided_by_name.as_deref(), Some("测试"));
    assert_eq!(
        req::reject(&mut s.shop.env.desk, &r.id, r.rev, "晚了")
            .unwrap_err()
            .code(),
        ErrorCode::InvalidTransition,
        "decided once"
    );
    assert_eq!(
        issues(req::reject(&mut s.shop.env.desk, &own.id, own.rev, "").unwrap_err()),
        vec![("comment".to_string(), Rule::Required)],
        "a refusal says why"
    );
}

#[test]
fn issued_parts_are_reconciled_with_use_until_the_unused_come_back() {
    let mut s = store();
    let d = on_site(&mut s.shop, "SN-P200", "2026-06-01");
    let (cap, board) = (s.capacitor.id.clone(), s.board.id.clone());
    receive(&mut s, &cap, 10, &[]);
    receive(&mut s, &board, 1, &["B-100"]);
    s.shop.env.sign_in_as(Role::Technician);
    let r = requisition(
        &mut s,
        &d.order.id,
        vec![(cap.clone(), 3), (board.clone(), 1)],
    );
    s.shop.env.sign_in_as(Role::WarehouseKeeper);
    let r = req::approve(&mut s.shop.env.desk, &r.id, r.rev, "").unwrap();
    let err = req::issue(&mut s.shop.env.desk, &r.id, r.rev, vec![vec![], vec![]]).unwrap_err();
    assert_eq!(
        issues(err),
        vec![("lines.1.serials".to_string(), Rule::SerialCount)]
    );
    let r = req::issue(
        &mut s.shop.env.desk,
        &r.id,
        r.rev,
        vec![vec![], vec!["b-100".into()]],
    )
    .unwrap();
    assert_eq!(r.state, RequisitionState::Issued);
    assert_eq!(r.documents.len(), 1, "the requisition slip was issued");
    assert!(r.documents[0].number.starts_with("SH01-LY-2026-"));
    assert_eq!(parts::balance(&s.shop.env.desk, &cap).unwrap().on_hand, 7);

    // The technician used two capacitors and the board.
    s.shop.env.sign_in_as(Role::Technician);
    let used = |p: &str, qty, new_serial: Option<&str>| UsedPart {
        name: "x".into(),
        model: String::new(),
        qty,
        unit_price_fen: 4500,
        in_warranty: Some(true),
        consent: true,
        part_id: Some(p.to_owned()),
        new_serial: new_serial.map(str::to_owned),
        faulty_serial: new_serial.map(|_| "OLD-1".to_owned()),
    };
    let d = wo::get(&s.shop.env.desk, &d.order.id).unwrap();
    wo::record_work(
        &mut s.shop.env.desk,
        &d.order.id,
        d.order.rev,
        WorkInput {
            work_done: "更换电容和主板".into(),
            parts: vec![used(&cap, 2, None), used(&board, 1, Some("B-100"))],
            fees: vec![],
            result: Some(AcceptanceResult::Passed),
            instructions_given: true,
            customer_opinion: String::new(),
            satisfaction: None,
        },
    )
    .unwrap();
    let rec = req::reconcile(&s.shop.env.desk, &d.order.id).unwrap();
    let cap_row = rec.iter().find(|x| x.part_id == cap).unwrap();
    assert_eq!(
        (cap_row.issued, cap_row.used, cap_row.difference),
        (3, 2, 1),
        "one capacitor is outstanding"
    );
    assert_eq!(
        rec.iter().find(|x| x.part_id == board).unwrap().difference,
        0
    );

    s.shop.env.sign_in_as(Role::WarehouseKeeper);
    let too_many = req::return_unused(
        &mut s.shop.env.desk,
        ReturnUnusedInput {
            requisition_id: r.id.clone(),
            part_id: cap.clone(),
            qty: 4,
            serials: vec![],
            note: String::new(),
        },
    );
    assert_eq!(
        too_many.unwrap_err().payload().rule,
        Some(Rule::OutOfRange),
        "never more back than went out"
    );
    req::return_unused(
        &mut s.shop.env.desk,
        ReturnUnusedInput {
            requisition_id: r.id.clone(),
            part_id: cap.clone(),
            qty: 1,
            serials: vec![],
            note: "未用".into(),
        },
    )
    .unwrap();
    let rec = req::reconcile(&s.shop.env.desk, &d.order.id).unwrap();
    assert!(rec.iter().all(|x| x.difference == 0), "reconciled: {rec:?}");
    assert_eq!(parts::balance(&s.shop.env.desk, &cap).unwrap().on_hand, 8);
    let history = req::usage(
        &s.shop.env.desk,
        &d.order.customer_id,
        d.order.unit_id.as_deref(),
    )
    .unwrap();
    assert_eq!(history.len(), 2);
    assert!(history
        .iter()
        .any(|u| u.new_serial == "B-100" && u.faulty_serial == "OLD-1"));
}

#[test]
fn low_stock_suggests_a_purchase_from_recent_use() {
    let mut s = store();
    let d = on_site(&mut s.shop, "SN-P300", "2026-06-01");
    let cap = s.capacitor.id.clone();
    receive(&mut s, &cap, 12, &[]);
    s.shop.env.sign_in_as(Role::Technician);
    let r = requisition(&mut s, &d.order.id, vec![(cap.clone(), 9)]);
    s.shop.env.sign_in_as(Role::Supervisor);
    let r = req::approve(&mut s.shop.env.desk, &r.id, r.rev, "").unwrap();
    req::issue(&mut s.shop.env.desk, &r.id, r.rev, vec![]).unwrap();
    let low = parts::low_stock(&s.shop.env.desk, 90).unwrap();
    assert_eq!(
        low.len(),
        2,
        "3 capacitors and no board are under the reorder point of 5"
    );
    let l = low.iter().find(|l| l.part.id == cap).unwrap();
    assert_eq!((l.on_hand, l.used), (3, 9));
    // A month at 9 per 90 days is 3 (rounded up), plus the reorder point 5, less 3 on hand.
    assert_eq!(l.suggested_order, 5);
}

/// A change of (part index, location index) by a quantity.
type Delta = ((usize, usize), i64);

#[derive(Debug, Clone)]
enum Move {
    Receive(usize, i64),
    Transfer(usize, i64, bool),
    Return(usize, i64),
}

fn a_move() -> impl Strategy<Value = Move> {
    prop_oneof![
        (0..2usize, 1..20i64).prop_map(|(p, q)| Move::Receive(p, q)),
        (0..2usize, 1..25i64, any::<bool>()).prop_map(|(p, q, d)| Move::Transfer(p, q, d)),
        (0..2usize, 1..10i64).prop_map(|(p, q)| Move::Return(p, q)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, .. ProptestConfig::default() })]

    /// Random receipts, transfers and factory returns: a refused move changes nothing, no
    /// balance is ever negative, and the cached balance always equals the ledger's sum.
    #[test]
    fn random_movements_keep_the_ledger_whole(moves in prop::collection::vec(a_move(), 1..30)) {
        let mut s = store();
        let part_ids = [s.capacitor.id.clone(), {
            // A second plain part (the store's board is serial-tracked).
            parts::create_part(&mut s.shop.env.desk, part("FAN-1", "风扇电机", false)).unwrap().id
        }];
        let locations = [s.main.id.clone(), s.van.id.clone()];
        let mut expected = std::collections::HashMap::<(usize, usize), i64>::new();
        for m in moves {
            let desk = &mut s.shop.env.desk;
            let (ok, deltas): (bool, Vec<Delta>) = match m {
                Move::Receive(p, q) => (
                    parts::receive(desk, ReceiptInput { part_id: part_ids[p].clone(), location_id: locations[0].clone(), qty: q,
                        supplier: "供应商".into(), passed: true, note: String::new(), serials: vec![] }).is_ok(),
                    vec![((p, 0), q)],
                ),
                Move::Transfer(p, q, forward) => {
                    let (from, to) = if forward { (0, 1) } else { (1, 0) };
                    let r = parts::transfer(desk, TransferInput { part_id: part_ids[p].clone(), from_location_id: locations[from].clone(),
                        to_location_id: locations[to].clone(), qty: q, serials: vec![], note: String::new() });
                    if let Err(e) = &r {
                        prop_assert_eq!(e.payload().rule, Some(Rule::InsufficientStock));
                    }
                    (r.is_ok(), vec![((p, from), -q), ((p, to), q)])
                }
                Move::Return(p, q) => {
                    let r = parts::return_to_factory(desk, FactoryReturnInput { part_id: part_ids[p].clone(), location_id: locations[0].clone(),
                        qty: q, serials: vec![], note: "RMA".into() });
                    (r.is_ok(), vec![((p, 0), -q)])
                }
            };
            let would_go_negative = deltas.iter().any(|(k, d)| expected.get(k).copied().unwrap_or(0) + d < 0);
            prop_assert_eq!(ok, !would_go_negative, "{:?} accepted iff it keeps stock non-negative", m);
            if ok {
                for (k, d) in deltas {
                    *expected.entry(k).or_default() += d;
                }
            }
            for (p, part_id) in part_ids.iter().enumerate() {
                for (l, loc) in locations.iter().enumerate() {
                    let sum = ledger_sum(&s, part_id, loc);
                    prop_assert!(sum >= 0);
                    prop_assert_eq!(sum, expected.get(&(p, l)).copied().unwrap_or(0));
                    prop_assert_eq!(cached(&s, part_id, loc), sum, "the cached balance equals the ledger");
                }
            }
        }
    }
}

#[test]
fn a_centre_sends_parts_and_the_outlet_confirms_them_with_the_transfer_number() {
    use desk_core::parts::{SiteTransferInput, TransferDirection};
    let mut centre = store();
    let cap = centre.capacitor.id.clone();
    receive(&mut centre, &cap, 10, &[]);
    let send = |qty, other: &str| SiteTransferInput {
        part_id: cap.clone(),
        location_id: centre.main.id.clone(),
        other_site: other.into(),
        qty,
        serials: vec![],
        note: "顺丰 SF1234567890".into(),
        reference: String::new(),
    };
    let own = parts::send_to_site(&mut centre.shop.env.desk, send(1, "sh01")).unwrap_err();
    assert_eq!(
        issues(own),
        vec![("otherSite".to_string(), Rule::Duplicate)],
        "not to itself"
    );
    let too_many = parts::send_to_site(&mut centre.shop.env.desk, send(11, "HZ02")).unwrap_err();
    assert_eq!(too_many.payload().rule, Some(Rule::InsufficientStock));
    let sent = parts::send_to_site(&mut centre.shop.env.desk, send(4, "hz02")).unwrap();
    assert_eq!(sent.direction, TransferDirection::Out);
    assert_eq!(sent.reference, "SH01-DB-2026-000001");
    assert_eq!(sent.other_site, "HZ02");
    assert_eq!(
        parts::balance(&centre.shop.env.desk, &cap).unwrap().on_hand,
        6,
        "the stock left the centre"
    );

    // The outlet is another database with its own catalog.
    let mut outlet = store();
    let outlet_cap = outlet.capacitor.id.clone();
    let confirm = SiteTransferInput {
        part_id: outlet_cap.clone(),
        location_id: outlet.main.id.clone(),
        other_site: "SH02".into(),
        qty: 4,
        serials: vec![],
        note: String::new(),
        reference: sent.reference.to_lowercase(),
    };
    let got = parts::receive_from_site(&mut outlet.shop.env.desk, confirm.clone()).unwrap();
    assert_eq!(
        (got.direction, got.reference.as_str()),
        (TransferDirection::In, "SH01-DB-2026-000001")
    );
    assert_eq!(
        parts::balance(&outlet.shop.env.desk, &outlet_cap)
            .unwrap()
            .on_hand,
        4
    );
    let twice = parts::receive_from_site(&mut outlet.shop.env.desk, confirm).unwrap_err();
    assert_eq!(
        issues(twice),
        vec![("reference".to_string(), Rule::Duplicate)],
        "a delivery is confirmed once"
    );
    assert_eq!(
        parts::balance(&outlet.shop.env.desk, &outlet_cap)
            .unwrap()
            .on_hand,
        4
    );
    let listed = parts::list_transfers(&outlet.shop.env.desk).unwrap();
    assert_eq!(listed.len(), 1);
}
