//! Stocktakes and scrap: a posted count makes the book equal the shelf, decided by someone who
//! did not count; scrap goes through review and approval by two other people into the scrap
//! location, and leaves it only when a witnessed disposal destroys it.

use desk_core::documents::{self, Document};
use desk_core::forms::FormData;
use desk_core::parts::scrap::{
    self, DisposalInput, ScrapInput, ScrapLineInput, ScrapPhotoInput, ScrapState,
};
use desk_core::parts::stocktake::{self, StocktakeCount, StocktakeState};
use desk_core::parts::{self, LocationKind, MovementFilter, MovementKind, TransferInput};
use desk_core::users::Role;
use desk_core::{ErrorCode, Rule};

use crate::common::*;
use crate::parts::{receive, store, Store};

fn count(part_id: &str, qty: i64, reason: &str, serials: &[&str]) -> StocktakeCount {
    StocktakeCount {
        part_id: part_id.into(),
        counted_qty: qty,
        reason: reason.into(),
        serials: serials.iter().map(|s| s.to_string()).collect(),
    }
}

fn on_hand_at(s: &Store, part_id: &str, location_id: &str) -> i64 {
    parts::balance(&s.shop.env.desk, part_id)
        .unwrap()
        .by_location
        .iter()
        .find(|l| l.location_id == location_id)
        .map_or(0, |l| l.qty)
}

fn transfer(s: &mut Store, part_id: &str, qty: i64) {
    parts::transfer(
        &mut s.shop.env.desk,
        TransferInput {
            part_id: part_id.into(),
            from_location_id: s.main.id.clone(),
            to_location_id: s.van.id.clone(),
            qty,
            serials: vec![],
            note: String::new(),
        },
    )
    .unwrap();
}

/// The current (newest) revision of a subject's only document.
fn current(docs: &[Document]) -> &Document {
    docs.iter()
        .max_by_key(|d| d.revision)
        .expect("a document was issued")
}

// ---------------------------------------------------------------- stocktake

#[test]
fn a_posted_count_makes_the_book_equal_the_shelf_even_after_stock_moved() {
    let mut s = store();
    let (cap, board) = (s.capacitor.id.clone(), s.board.id.clone());
    receive(&mut s, &cap, 10, &[]);
    receive(&mut s, &board, 2, &["B-1", "B-2"]);

    s.shop.env.sign_in_as(Role::WarehouseKeeper);
    let t = stocktake::start(&mut s.shop.env.desk, &s.main.id).unwrap();
    assert_eq!(t.state, StocktakeState::Counting);
    let books: Vec<(String, i64)> = t
        .lines
        .iter()
        .map(|l| (l.part_id.clone(), l.book_qty))
        .collect();
    assert_eq!(
        books,
        vec![(cap.clone(), 10), (board.clone(), 2)],
        "the book is snapshotted per part, in code order"
    );
    assert_eq!(
        t.documents.len(),
        1,
        "the blank count sheet is issued at the start"
    );
    assert!(
        t.documents[0].number.starts_with("SH01-PD-2026-"),
        "a count sheet is numbered PD: {}",
        t.documents[0].number
    );
    assert!(
        matches!(documents::payload(&s.shop.env.desk, &t.documents[0].id).unwrap(),
                 FormData::CountSheet(ref c) if c.lines.iter().all(|l| l.counted_qty.is_none())),
        "the sheet taken to the shelves is blank"
    );
    assert_eq!(
        stocktake::start(&mut s.shop.env.desk, &s.main.id)
            .unwrap_err()
            .field(),
        Some("locationId"),
        "one open count per location"
    );

    // Stock moves after the snapshot: 3 capacitors go to the van before the shelf is counted.
    s.shop.env.sign_in_as(Role::Supervisor);
    transfer(&mut s, &cap, 3);

    s.shop.env.sign_in_as(Role::WarehouseKeeper);
    let err = stocktake::enter_counts(
        &mut s.shop.env.desk,
        &t.id,
        t.rev,
        vec![count(&cap, 6, " ", &[])],
    )
    .unwrap_err();
    assert_eq!(
        issues(err),
        vec![("lines.0.reason".to_string(), Rule::Required)],
        "a count that differs from the book says why"
    );
    let err = stocktake::enter_counts(
        &mut s.shop.env.desk,
        &t.id,
        t.rev,
        vec![count(&board, 1, "丢失", &[])],
    )
    .unwrap_err();
    assert_eq!(
        issues(err),
        vec![("lines.0.serials".to_string(), Rule::SerialCount)],
        "a serial-tracked part is counted by serial"
    );
    let t = stocktake::enter_counts(
        &mut s.shop.env.desk,
        &t.id,
        t.rev,
        vec![
            count(&cap, 6, "调拨 3 个到服务车，另有 1 个找不到", &[]),
            count(&board, 1, "B-2 找不到", &["b-1"]),
        ],
    )
    .unwrap();
    assert_eq!(
        t.lines[0].difference,
        Some(-4),
        "the difference is against the book of the sheet"
    );
    let t = stocktake::submit(&mut s.shop.env.desk, &t.id, t.rev).unwrap();
    assert_eq!(t.state, StocktakeState::Submitted);

    s.shop.env.sign_in_as(Role::Supervisor);
    let t = stocktake::post(&mut s.shop.env.desk, &t.id, t.rev).unwrap();
    assert_eq!(t.state, StocktakeState::Posted);
    assert_eq!(
        on_hand_at(&s, &cap, &s.main.id),
        6,
        "book equals the shelf: adjusted against the ledger as it is now (7), not the snapshot (10)"
    );
    assert_eq!(
        on_hand_at(&s, &cap, &s.van.id),
        3,
        "the van is not part of this count"
    );
    let b = parts::balance(&s.shop.env.desk, &board).unwrap();
    assert_eq!(
        (b.on_hand, b.serials_in_stock),
        (1, vec!["B-1".to_string()]),
        "the piece not found is written off by serial"
    );
    let missing: String = s
        .shop
        .env
        .desk
        .conn()
        .query_row(
            "SELECT status FROM part_serials WHERE part_id = ?1 AND serial = 'B-2'",
            [&board],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        missing, "missing",
        "a piece not found is missing, not sent anywhere"
    );
    let adjustments = parts::movements(
        &s.shop.env.desk,
        &MovementFilter {
            kind: Some(MovementKind::Adjustment),
            ..MovementFilter::default()
        },
    )
    .unwrap();
    assert_eq!(
        adjustments.len(),
        2,
        "one adjustment per difference: {adjustments:?}"
    );
    assert!(
        adjustments
            .iter()
            .all(|m| m.ref_id.as_deref() == Some(t.id.as_str())),
        "adjustments point at their stocktake"
    );
    assert!(adjustments.iter().any(|m| m.part_id == cap && m.qty == -1));

    assert_eq!(
        t.documents.len(),
        2,
        "the filled sheet is the next revision"
    );
    let sheet = current(&t.documents);
    assert_eq!(
        (sheet.revision, &sheet.number),
        (2, &t.documents[1].number),
        "same number, next revision"
    );
    match documents::payload(&s.shop.env.desk, &sheet.id).unwrap() {
        FormData::CountSheet(c) => {
            assert_eq!(c.lines[0].counted_qty, Some(6));
            assert_eq!(
                c.approvals[1].decision, "同意调整",
                "the approval is on the filled sheet"
            );
        }
        other => panic!("expected a count sheet, got {other:?}"),
    }
}

#[test]
fn the_counter_does_not_post_their_own_count_and_steps_come_in_order() {
    let mut s = store();
    let cap = s.capacitor.id.clone();
    receive(&mut s, &cap, 5, &[]);

    s.shop.env.sign_in_as(Role::Technician);
    assert_eq!(
        stocktake::start(&mut s.shop.env.desk, &s.main.id)
            .unwrap_err()
            .code(),
        ErrorCode::Forbidden,
        "a technician does not run stocktakes"
    );

    s.shop.env.sign_in_as(Role::Supervisor);
    let t = stocktake::start(&mut s.shop.env.desk, &s.main.id).unwrap();
    assert_eq!(
        stocktake::post(&mut s.shop.env.desk, &t.id, t.rev)
            .unwrap_err()
            .code(),
        ErrorCode::InvalidTransition,
        "nothing is posted before it is submitted"
    );
    assert_eq!(
        issues(stocktake::submit(&mut s.shop.env.desk, &t.id, t.rev).unwrap_err()),
        vec![("lines.0.countedQty".to_string(), Rule::Required)],
        "every line is counted before submitting"
    );
    let t = stocktake::enter_counts(
        &mut s.shop.env.desk,
        &t.id,
        t.rev,
        vec![count(&cap, 4, "损坏 1 个", &[])],
    )
    .unwrap();
    let t = stocktake::submit(&mut s.shop.env.desk, &t.id, t.rev).unwrap();
    assert_eq!(
        stocktake::enter_counts(
            &mut s.shop.env.desk,
            &t.id,
            t.rev,
            vec![count(&cap, 5, "", &[])]
        )
        .unwrap_err()
        .code(),
        ErrorCode::InvalidTransition,
        "a submitted count is not changed"
    );
    assert_eq!(
        stocktake::post(&mut s.shop.env.desk, &t.id, t.rev)
            .unwrap_err()
            .code(),
        ErrorCode::SelfApproval,
        "the counter does not post their own count"
    );

    s.shop.env.sign_in_as(Role::WarehouseKeeper);
    assert_eq!(
        stocktake::post(&mut s.shop.env.desk, &t.id, t.rev)
            .unwrap_err()
            .code(),
        ErrorCode::Forbidden,
        "a warehouse keeper counts but does not post"
    );

    s.shop.env.sign_in_as(Role::Admin);
    assert_eq!(
        issues(stocktake::reject(&mut s.shop.env.desk, &t.id, t.rev, "").unwrap_err()),
        vec![("comment".to_string(), Rule::Required)],
        "a refusal says why"
    );
    assert_eq!(
        stocktake::post(&mut s.shop.env.desk, &t.id, t.rev - 1)
            .unwrap_err()
            .code(),
        ErrorCode::Conflict,
        "a stale revision is a conflict"
    );
    let t = stocktake::post(&mut s.shop.env.desk, &t.id, t.rev).unwrap();
    assert_eq!(on_hand_at(&s, &cap, &s.main.id), 4);
    assert_eq!(
        stocktake::reject(&mut s.shop.env.desk, &t.id, t.rev, "晚了")
            .unwrap_err()
            .code(),
        ErrorCode::InvalidTransition,
        "decided once"
    );

    // A refused count changes no stock and frees the location for a new count.
    s.shop.env.sign_in_as(Role::WarehouseKeeper);
    let again = stocktake::start(&mut s.shop.env.desk, &s.main.id).unwrap();
    let again = stocktake::enter_counts(
        &mut s.shop.env.desk,
        &again.id,
        again.rev,
        vec![count(&cap, 1, "少 3 个", &[])],
    )
    .unwrap();
    let again = stocktake::submit(&mut s.shop.env.desk, &again.id, again.rev).unwrap();
    s.shop.env.sign_in_as(Role::Supervisor);
    let again = stocktake::reject(&mut s.shop.env.desk, &again.id, again.rev, "请复盘").unwrap();
    assert_eq!(
        (again.state, again.comment.as_str()),
        (StocktakeState::Rejected, "请复盘")
    );
    assert_eq!(
        on_hand_at(&s, &cap, &s.main.id),
        4,
        "a refused count adjusts nothing"
    );
    assert_eq!(
        stocktake::list(&s.shop.env.desk, Some(StocktakeState::Posted), None)
            .unwrap()
            .len(),
        1
    );
}

// ---------------------------------------------------------------- scrap

/// The first bytes of a PNG: photos are told by their bytes.
fn photo() -> ScrapPhotoInput {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(&[7; 64]);
    ScrapPhotoInput {
        file_name: "burnt.png".into(),
        bytes,
    }
}

fn ask(s: &mut Store, lines: Vec<(String, i64, Vec<&str>)>) -> desk_core::Result<scrap::Scrap> {
    scrap::request(
        &mut s.shop.env.desk,
        ScrapInput {
            location_id: s.main.id.clone(),
            lines: lines
                .into_iter()
                .map(|(part_id, qty, serials)| ScrapLineInput {
                    part_id,
                    qty,
                    serials: serials.into_iter().map(str::to_owned).collect(),
                })
                .collect(),
            reason: "受潮烧毁，无法使用".into(),
            photos: vec![photo()],
        },
    )
}

fn disposal(scrap_ids: Vec<String>, witness: &str) -> DisposalInput {
    DisposalInput {
        scrap_ids,
        batch: "2026-11".into(),
        method: "拆解破碎".into(),
        witness: witness.into(),
    }
}

#[test]
fn approved_scrap_is_held_in_the_scrap_location_until_a_witnessed_disposal() {
    let mut s = store();
    let (cap, board) = (s.capacitor.id.clone(), s.board.id.clone());
    receive(&mut s, &cap, 10, &[]);
    receive(&mut s, &board, 2, &["B-1", "B-2"]);

    s.shop.env.sign_in_as(Role::Technician);
    let r = ask(
        &mut s,
        vec![(cap.clone(), 2, vec![]), (board.clone(), 1, vec!["b-2"])],
    )
    .unwrap();
    assert_eq!(r.state, ScrapState::Submitted);
    assert_eq!(
        r.documents.len(),
        1,
        "the request form is issued when asked"
    );
    let number = r.documents[0].number.clone();
    assert!(
        number.starts_with("SH01-BF-2026-"),
        "a scrap request is numbered BF: {number}"
    );
    assert_eq!(r.photos.len(), 1);
    assert_eq!(
        scrap::photo_bytes(&s.shop.env.desk, &r.photos[0].id).unwrap(),
        photo().bytes,
        "the photo is kept as sent"
    );
    assert_eq!(
        on_hand_at(&s, &cap, &s.main.id),
        10,
        "a request moves nothing"
    );

    s.shop.env.sign_in_as(Role::WarehouseKeeper);
    let r = scrap::review(&mut s.shop.env.desk, &r.id, r.rev, true, "属实").unwrap();
    assert_eq!(r.state, ScrapState::Reviewed);
    assert_eq!(
        on_hand_at(&s, &cap, &s.main.id),
        10,
        "a review moves nothing"
    );

    s.shop.env.sign_in_as(Role::Supervisor);
    let r = scrap::approve(&mut s.shop.env.desk, &r.id, r.rev, true, "").unwrap();
    assert_eq!(r.state, ScrapState::Approved);
    let held = parts::list_locations(&s.shop.env.desk)
        .unwrap()
        .into_iter()
        .find(|l| l.kind == LocationKind::Scrap)
        .expect("the scrap-holding location is created on first use");
    assert_eq!(
        (held.code.as_str(), held.name.as_str()),
        ("SCRAP", "报废暂存区")
    );
    assert_eq!(r.scrap_location_id.as_deref(), Some(held.id.as_str()));
    assert_eq!(
        on_hand_at(&s, &cap, &s.main.id),
        8,
        "approved scrap leaves its location"
    );
    assert_eq!(
        on_hand_at(&s, &cap, &held.id),
        2,
        "and is kept in the scrap location"
    );
    assert_eq!(on_hand_at(&s, &board, &held.id), 1);
    assert_eq!(
        parts::balance(&s.shop.env.desk, &cap).unwrap().on_hand,
        8,
        "held scrap is not stock"
    );
    let kinds: Vec<MovementKind> = parts::movements(
        &s.shop.env.desk,
        &MovementFilter {
            part_id: Some(cap.clone()),
            ..MovementFilter::default()
        },
    )
    .unwrap()
    .into_iter()
    .map(|m| m.kind)
    .collect();
    assert_eq!(
        kinds,
        vec![
            MovementKind::ScrapIn,
            MovementKind::ScrapOut,
            MovementKind::Receipt
        ]
    );
    let form = current(&r.documents);
    assert_eq!(
        (form.number.as_str(), form.revision),
        (number.as_str(), 2),
        "the approved form is the next revision"
    );
    match documents::payload(&s.shop.env.desk, &form.id).unwrap() {
        FormData::ScrapRequest(f) => {
            let decisions: Vec<&str> = f.approvals.iter().map(|a| a.decision.as_str()).collect();
            assert_eq!(
                decisions,
                vec!["申请报废", "同意", "同意"],
                "the chain is on the paper"
            );
            assert_eq!((f.photos, f.total_fen), (1, 2 * 4500 + 38000));
        }
        other => panic!("expected a scrap request, got {other:?}"),
    }

    s.shop.env.sign_in_as(Role::WarehouseKeeper);
    assert_eq!(
        issues(
            scrap::dispose(&mut s.shop.env.desk, disposal(vec![r.id.clone()], " ")).unwrap_err()
        ),
        vec![("witness".to_string(), Rule::Required)],
        "a disposal is witnessed by someone named"
    );
    let d = scrap::dispose(&mut s.shop.env.desk, disposal(vec![r.id.clone()], "王监督")).unwrap();
    assert_eq!(d.scrap_ids, vec![r.id.clone()]);
    assert_eq!(
        on_hand_at(&s, &cap, &held.id),
        0,
        "disposed scrap leaves the scrap location"
    );
    assert_eq!(on_hand_at(&s, &board, &held.id), 0);
    assert_eq!(
        scrap::get(&s.shop.env.desk, &r.id).unwrap().state,
        ScrapState::Disposed
    );
    assert_eq!(d.documents.len(), 1);
    assert!(
        d.documents[0].number.starts_with("SH01-XH-2026-"),
        "a disposal record is numbered XH: {}",
        d.documents[0].number
    );
    match documents::payload(&s.shop.env.desk, &d.documents[0].id).unwrap() {
        FormData::DisposalRecord(x) => {
            assert_eq!(
                x.scrap_numbers,
                vec![number.clone()],
                "the record lists the scrap requests destroyed"
            );
            assert_eq!(x.witness, "王监督");
            assert_eq!(x.lines.iter().map(|l| l.qty).sum::<i64>(), 3);
        }
        other => panic!("expected a disposal record, got {other:?}"),
    }
    let serial: String = s
        .shop
        .env
        .desk
        .conn()
        .query_row(
            "SELECT status FROM part_serials WHERE part_id = ?1 AND serial = 'B-2'",
            [&board],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(serial, "disposed");
    assert_eq!(
        scrap::dispose(&mut s.shop.env.desk, disposal(vec![r.id.clone()], "王监督"))
            .unwrap_err()
            .code(),
        ErrorCode::InvalidTransition,
        "scrap is destroyed once"
    );
}

#[test]
fn three_people_decide_a_scrap_request_and_a_refusal_says_why() {
    let mut s = store();
    let cap = s.capacitor.id.clone();
    receive(&mut s, &cap, 10, &[]);

    s.shop.env.sign_in_as(Role::Cashier);
    assert_eq!(
        ask(&mut s, vec![(cap.clone(), 1, vec![])])
            .unwrap_err()
            .code(),
        ErrorCode::Forbidden,
        "a cashier does not ask to scrap parts"
    );

    s.shop.env.sign_in_as(Role::WarehouseKeeper);
    let own = ask(&mut s, vec![(cap.clone(), 1, vec![])]).unwrap();
    let err = scrap::review(&mut s.shop.env.desk, &own.id, own.rev, true, "").unwrap_err();
    assert_eq!(
        err.code(),
        ErrorCode::SelfApproval,
        "nobody reviews their own request"
    );
    assert_eq!(err.payload().code, ErrorCode::SelfApproval);
    let ser = serde_json::to_value(&err).unwrap();
    assert_eq!(
        ser["code"], "self_approval",
        "the wire code is self_approval"
    );

    s.shop.env.sign_in_as(Role::Technician);
    assert_eq!(
        scrap::review(&mut s.shop.env.desk, &own.id, own.rev, true, "")
            .unwrap_err()
            .code(),
        ErrorCode::Forbidden,
        "a technician does not review"
    );

    s.shop.env.sign_in_as(Role::Supervisor);
    let own = scrap::review(&mut s.shop.env.desk, &own.id, own.rev, true, "").unwrap();
    assert_eq!(
        issues(scrap::approve(&mut s.shop.env.desk, &own.id, own.rev, true, "").unwrap_err()),
        vec![("approve".to_string(), Rule::SameApprover)],
        "the reviewer does not also give the final approval"
    );
    s.shop.env.sign_in_as(Role::WarehouseKeeper);
    assert_eq!(
        scrap::approve(&mut s.shop.env.desk, &own.id, own.rev, true, "")
            .unwrap_err()
            .code(),
        ErrorCode::Forbidden,
        "a warehouse keeper reviews but does not approve"
    );
    assert_eq!(
        scrap::dispose(
            &mut s.shop.env.desk,
            disposal(vec![own.id.clone()], "王监督")
        )
        .unwrap_err()
        .code(),
        ErrorCode::InvalidTransition,
        "only approved scrap is disposed of"
    );
    s.shop.env.sign_in_as(Role::Admin);
    let own = scrap::approve(&mut s.shop.env.desk, &own.id, own.rev, true, "同意").unwrap();
    assert_eq!(own.state, ScrapState::Approved, "a third person approves");

    // Refused at review.
    s.shop.env.sign_in_as(Role::Technician);
    let r = ask(&mut s, vec![(cap.clone(), 1, vec![])]).unwrap();
    s.shop.env.sign_in_as(Role::WarehouseKeeper);
    assert_eq!(
        issues(scrap::review(&mut s.shop.env.desk, &r.id, r.rev, false, " ").unwrap_err()),
        vec![("comment".to_string(), Rule::Required)],
        "a refusal says why"
    );
    let r = scrap::review(&mut s.shop.env.desk, &r.id, r.rev, false, "照片看不出损坏").unwrap();
    assert_eq!(
        (r.state, r.review_comment.as_str()),
        (ScrapState::Rejected, "照片看不出损坏")
    );
    assert_eq!(
        current(&r.documents).revision,
        2,
        "the refused form is issued with its refusal"
    );
    s.shop.env.sign_in_as(Role::Supervisor);
    assert_eq!(
        scrap::approve(&mut s.shop.env.desk, &r.id, r.rev, true, "")
            .unwrap_err()
            .code(),
        ErrorCode::InvalidTransition,
        "a refusal ends the request"
    );

    // Refused at approval.
    s.shop.env.sign_in_as(Role::Technician);
    let r = ask(&mut s, vec![(cap.clone(), 2, vec![])]).unwrap();
    s.shop.env.sign_in_as(Role::WarehouseKeeper);
    let r = scrap::review(&mut s.shop.env.desk, &r.id, r.rev, true, "").unwrap();
    s.shop.env.sign_in_as(Role::Supervisor);
    assert_eq!(
        issues(scrap::approve(&mut s.shop.env.desk, &r.id, r.rev, false, "").unwrap_err()),
        vec![("comment".to_string(), Rule::Required)],
        "a refusal says why"
    );
    let r = scrap::approve(&mut s.shop.env.desk, &r.id, r.rev, false, "可返厂维修").unwrap();
    assert_eq!(
        (r.state, r.approval_comment.as_str()),
        (ScrapState::Rejected, "可返厂维修")
    );
    assert_eq!(
        on_hand_at(&s, &cap, &s.main.id),
        9,
        "only the approved request moved stock"
    );
    assert_eq!(
        scrap::dispose(
            &mut s.shop.env.desk,
            disposal(vec![own.id.clone(), r.id.clone()], "王监督")
        )
        .unwrap_err()
        .code(),
        ErrorCode::InvalidTransition,
        "a refused request in the batch refuses the batch"
    );
    assert_eq!(
        scrap::get(&s.shop.env.desk, &own.id).unwrap().state,
        ScrapState::Approved,
        "and changes nothing"
    );
    assert_eq!(
        scrap::list(&s.shop.env.desk, Some(ScrapState::Rejected))
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn scrapping_more_than_the_location_holds_changes_nothing() {
    let mut s = store();
    let cap = s.capacitor.id.clone();
    receive(&mut s, &cap, 3, &[]);

    s.shop.env.sign_in_as(Role::Technician);
    let log = s.shop.env.log_count();
    let err = ask(&mut s, vec![(cap.clone(), 5, vec![])]).unwrap_err();
    let p = err.payload();
    assert_eq!(
        (p.field.as_deref(), p.rule, p.params["available"].as_str()),
        (Some("lines.0.qty"), Some(Rule::InsufficientStock), "3"),
        "the request says how much there is"
    );
    assert_eq!(
        s.shop.env.log_count(),
        log,
        "a refused request writes nothing"
    );
    assert_eq!(s.shop.env.count("scrap_requests"), 0);

    // Enough when asked, not any more when approved: the approval refuses and writes nothing.
    let r = ask(&mut s, vec![(cap.clone(), 3, vec![])]).unwrap();
    s.shop.env.sign_in_as(Role::WarehouseKeeper);
    let r = scrap::review(&mut s.shop.env.desk, &r.id, r.rev, true, "").unwrap();
    s.shop.env.sign_in_as(Role::Supervisor);
    transfer(&mut s, &cap, 2);
    let (log, moves, locations, docs) = (
        s.shop.env.log_count(),
        s.shop.env.count("stock_movements"),
        s.shop.env.count("stock_locations"),
        s.shop.env.count("documents"),
    );
    let err = scrap::approve(&mut s.shop.env.desk, &r.id, r.rev, true, "").unwrap_err();
    assert_eq!(
        err.payload().rule,
        Some(Rule::InsufficientStock),
        "the ledger checks again at approval"
    );
    assert_eq!(
        s.shop.env.log_count(),
        log,
        "a refused approval writes nothing"
    );
    assert_eq!(
        (
            s.shop.env.count("stock_movements"),
            s.shop.env.count("stock_locations"),
            s.shop.env.count("documents")
        ),
        (moves, locations, docs),
        "no movement, no scrap location, no document"
    );
    assert_eq!(
        scrap::get(&s.shop.env.desk, &r.id).unwrap().state,
        ScrapState::Reviewed
    );
    assert_eq!(on_hand_at(&s, &cap, &s.main.id), 1);
}
