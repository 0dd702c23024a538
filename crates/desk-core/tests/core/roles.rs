//! Every role check, against the permission table written out here independently of the core.

use desk_core::catalog::{self, ProductModelInput};
use desk_core::site::{self, PolicyInput};
use desk_core::users::{self, NewUser, Role};
use desk_core::{customers, demo, search, ErrorCode};
use rstest::rstest;

use crate::common::*;

/// (may edit customers, may edit the catalog, may administer the site)
fn expected(role: Role) -> (bool, bool, bool) {
    match role {
        Role::FrontDesk => (true, true, false),
        Role::Dispatcher => (true, true, false),
        Role::Technician => (false, false, false),
        Role::WarehouseKeeper => (false, true, false),
        Role::Cashier => (false, false, false),
        Role::ReturnVisitOfficer => (false, false, false),
        Role::Supervisor => (true, true, false),
        Role::Admin => (true, true, true),
    }
}

fn allowed<T: std::fmt::Debug>(r: desk_core::Result<T>, what: &str, role: Role) -> bool {
    match r {
        Ok(_) => true,
        Err(e) if e.code() == ErrorCode::Forbidden => false,
        Err(e) => panic!("{role:?} {what}: expected success or forbidden, got {e:?}"),
    }
}

#[rstest]
fn role_permissions(
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
    let mut env = env();
    let existing = create_person(&mut env, "王芳", "13812345678");
    env.sign_in_as(role);
    let (edit_customers, edit_catalog, admin) = expected(role);
    let log = env.log_count();

    assert!(
        search::search(&env.desk, "王芳", 0, 20).is_ok(),
        "every role may search the archive"
    );
    assert!(
        customers::get(&env.desk, &existing.customer.id).is_ok(),
        "every role may open a customer"
    );

    assert_eq!(
        allowed(
            customers::create(&mut env.desk, person("李强", "13900001111")),
            "create a customer",
            role
        ),
        edit_customers
    );
    assert_eq!(
        allowed(
            catalog::create(
                &mut env.desk,
                ProductModelInput {
                    brand: "格力".into(),
                    model: "X1".into(),
                    category: "空调".into()
                }
            ),
            "create a model",
            role
        ),
        edit_catalog
    );
    let policy = site::get_policy(&env.desk).unwrap();
    assert_eq!(
        allowed(
            site::update_policy(
                &mut env.desk,
                policy.rev,
                PolicyInput {
                    warranty_months: 36,
                    return_days: 15,
                    exchange_days: 30
                }
            ),
            "change policy",
            role
        ),
        admin
    );
    let s = site::get_local(env.desk.conn()).unwrap().unwrap();
    let input = site::SiteInput {
        code: s.code,
        name: "新名称".into(),
        tier: s.tier,
        time_zone: s.time_zone,
        hotline: s.hotline,
    };
    assert_eq!(
        allowed(
            site::update_site(&mut env.desk, s.rev, input),
            "change the site",
            role
        ),
        admin
    );
    assert_eq!(allowed(users::list(&env.desk), "list users", role), admin);
    let new_user = NewUser {
        username: "newbie".into(),
        display_name: "新人".into(),
        role: Role::Technician,
        password: "password1".into(),
    };
    assert_eq!(
        allowed(
            users::create(&mut env.desk, new_user),
            "create a user",
            role
        ),
        admin
    );

    let writes = [edit_customers, edit_catalog, admin, admin, admin]
        .iter()
        .filter(|x| **x)
        .count();
    if writes == 0 {
        assert_eq!(
            env.log_count(),
            log,
            "a refused change writes nothing, not even a log row"
        );
    }
}

#[test]
fn a_front_desk_clerk_cannot_change_policy_or_users() {
    let mut env = env();
    env.sign_in_as(Role::FrontDesk);
    let p = site::get_policy(&env.desk).unwrap();
    let err = site::update_policy(
        &mut env.desk,
        p.rev,
        PolicyInput {
            warranty_months: 36,
            return_days: 15,
            exchange_days: 30,
        },
    )
    .unwrap_err();
    let payload = err.payload();
    assert_eq!(payload.code, ErrorCode::Forbidden);
    assert_eq!(payload.params["action"], "manage_policy");
    assert_eq!(payload.params["role"], "front_desk");
    assert_eq!(
        site::get_policy(&env.desk).unwrap().warranty_months,
        24,
        "policy unchanged"
    );
    assert_eq!(
        users::list(&env.desk).unwrap_err().code(),
        ErrorCode::Forbidden
    );
}

#[test]
fn demo_data_is_for_admins() {
    let mut env = env();
    env.sign_in_as(Role::Supervisor);
    assert_eq!(
        demo::load(&mut env.desk, 5).unwrap_err().code(),
        ErrorCode::Forbidden
    );
}

#[test]
fn nothing_works_signed_out() {
    let mut env = env();
    users::sign_out(&mut env.desk);
    assert_eq!(
        search::search(&env.desk, "", 0, 10).unwrap_err().code(),
        ErrorCode::Unauthenticated
    );
    assert_eq!(
        customers::create(&mut env.desk, person("王芳", "13812345678"))
            .unwrap_err()
            .code(),
        ErrorCode::Unauthenticated
    );
}

/// (takes calls, books and dispatches, records site work, approves returns)
fn expected_work(role: Role) -> (bool, bool, bool, bool) {
    match role {
        Role::FrontDesk => (true, true, true, false),
        Role::Dispatcher => (true, true, true, false),
        Role::Technician => (false, false, true, false),
        Role::WarehouseKeeper => (false, false, false, false),
        Role::Cashier => (false, false, false, false),
        Role::ReturnVisitOfficer => (false, false, false, false),
        Role::Supervisor => (true, true, true, true),
        Role::Admin => (true, true, true, true),
    }
}

#[rstest]
fn work_order_permissions(
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
    use crate::work_orders::*;
    use desk_core::work_orders as wo;
    let mut shop = shop();
    let tech = shop.tech.clone();
    let received = repair_call(&mut shop, "SN-R1", "2026-11-17");
    let dispatched = {
        let d = repair_call(&mut shop, "SN-R2", "2026-11-17");
        let d = wo::schedule(
            &mut shop.env.desk,
            &d.order.id,
            d.order.rev,
            appointment(&[&tech], "09:00", "12:00"),
        )
        .unwrap()
        .detail;
        wo::dispatch(&mut shop.env.desk, &d.order.id, d.order.rev).unwrap()
    };
    let failed = {
        let d = on_site(&mut shop, "SN-R3", "2026-11-17");
        let d = wo::record_work(
            &mut shop.env.desk,
            &d.order.id,
            d.order.rev,
            work(wo::AcceptanceResult::Failed, true),
        )
        .unwrap();
        let d = wo::issue_receipt(&mut shop.env.desk, &d.order.id, d.order.rev, None).unwrap();
        wo::fail_acceptance(&mut shop.env.desk, &d.order.id, d.order.rev).unwrap()
    };
    let customer = received.order.customer_id.clone();
    shop.env.sign_in_as(role);
    let (receive, dispatch, record, approve) = expected_work(role);
    assert!(
        wo::get(&shop.env.desk, &received.order.id).is_ok(),
        "every role may open a work order"
    );
    let intake = wo::intake(
        &mut shop.env.desk,
        wo::IntakeInput {
            kind: wo::Kind::Consultation,
            channel: wo::Channel::Phone,
            customer_id: Some(customer),
            new_customer: None,
            contact_id: None,
            unit_id: None,
            new_unit: None,
            caller_phone: String::new(),
            description: "咨询保修政策".into(),
        },
    );
    assert_eq!(allowed(intake, "take a call", role), receive);
    let booked = wo::schedule(
        &mut shop.env.desk,
        &received.order.id,
        received.order.rev,
        appointment(&[&tech], "13:00", "14:00"),
    );
    assert_eq!(allowed(booked, "book a visit", role), dispatch);
    let arrived = wo::arrive(
        &mut shop.env.desk,
        &dispatched.order.id,
        dispatched.order.rev,
    );
    assert_eq!(allowed(arrived, "record arrival", role), record);
    let settled = wo::settle_return(
        &mut shop.env.desk,
        &failed.order.id,
        failed.order.rev,
        wo::ReturnInput {
            kind: desk_core::forms::ReturnKind::Return,
            reason: "不制冷".into(),
            nonconforming_handling: "退回工厂".into(),
        },
    );
    assert_eq!(allowed(settled, "approve a return", role), approve);
}

/// (runs the warehouse, asks for parts, approves others' requisitions)
fn expected_stock(role: Role) -> (bool, bool, bool) {
    match role {
        Role::FrontDesk => (false, true, false),
        Role::Dispatcher => (false, true, false),
        Role::Technician => (false, true, false),
        Role::WarehouseKeeper => (true, true, true),
        Role::Cashier => (false, false, false),
        Role::ReturnVisitOfficer => (false, false, false),
        Role::Supervisor => (true, true, true),
        Role::Admin => (true, true, true),
    }
}

#[rstest]
fn stock_permissions(
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
    use crate::parts::store;
    use desk_core::parts::requisitions::{self as req, RequisitionInput, RequisitionLineInput};
    use desk_core::parts::{self, LocationInput, LocationKind};
    let mut s = store();
    let order = crate::work_orders::repair_call(&mut s.shop, "SN-ROLE", "2026-06-01");
    // The admin's own request: someone else decides it.
    let pending = req::request(
        &mut s.shop.env.desk,
        RequisitionInput {
            work_order_id: order.order.id.clone(),
            location_id: s.main.id.clone(),
            purpose: String::new(),
            lines: vec![RequisitionLineInput {
                part_id: s.capacitor.id.clone(),
                qty: 1,
            }],
        },
    )
    .unwrap();
    s.shop.env.sign_in_as(role);
    let (manage, ask, approve) = expected_stock(role);
    assert!(
        parts::balance(&s.shop.env.desk, &s.capacitor.id).is_ok(),
        "every role may look at stock"
    );
    let created = parts::create_location(
        &mut s.shop.env.desk,
        LocationInput {
            code: "X1".into(),
            name: "测试库位".into(),
            kind: LocationKind::Store,
        },
    );
    assert_eq!(allowed(created, "create a location", role), manage);
    let asked = req::request(
        &mut s.shop.env.desk,
        RequisitionInput {
            work_order_id: order.order.id.clone(),
            location_id: s.main.id.clone(),
            purpose: String::new(),
            lines: vec![RequisitionLineInput {
                part_id: s.capacitor.id.clone(),
                qty: 1,
            }],
        },
    );
    assert_eq!(allowed(asked, "ask for parts", role), ask);
    let decided = req::approve(&mut s.shop.env.desk, &pending.id, pending.rev, "");
    assert_eq!(allowed(decided, "approve a requisition", role), approve);
}
