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
