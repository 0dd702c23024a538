//! First-run setup, the site profile, policy, accounts and sign-in.

use std::sync::Arc;

use desk_core::site::{self, Language, PolicyInput, Tier};
use desk_core::users::{self, NewUser, Role, UserUpdate};
use desk_core::{demo, Desk, Error, ErrorCode, FixedClock, Rule};

use crate::common::*;

#[test]
fn first_run_sets_up_the_site_policy_and_admin() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::open_with_clock(
        &dir.path().join("desk.sqlite"),
        Arc::new(FixedClock::new(noon())),
    )
    .unwrap();
    let before = site::status(&desk).unwrap();
    assert!(!before.set_up && before.user.is_none());
    assert_eq!(before.language, Language::ZhCn, "zh-CN by default");
    let status = site::setup(&mut desk, setup_input()).unwrap();
    let s = status.site.unwrap();
    assert_eq!(
        (s.code.as_str(), s.tier, s.hotline.as_str()),
        ("SH01", Tier::Centre, "400-820-8820")
    );
    let admin = status.user.unwrap();
    assert_eq!(
        admin.role,
        Role::Admin,
        "the first account is an admin whatever the form said"
    );
    let p = site::get_policy(&desk).unwrap();
    assert_eq!(
        (p.warranty_months, p.return_days, p.exchange_days),
        (24, 15, 30),
        "the domain's defaults"
    );
    assert_eq!(
        site::setup(&mut desk, setup_input()).unwrap_err().code(),
        ErrorCode::AlreadySetUp
    );
}

#[test]
fn setup_reports_every_bad_field_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::open(dir.path()).unwrap();
    let mut input = setup_input();
    input.site.code = "上海".into();
    input.site.time_zone = "Mars/Olympus".into();
    input.site.hotline = "12345".into();
    input.admin.username = "a b".into();
    input.admin.password = "short".into();
    let err = site::setup(&mut desk, input).unwrap_err();
    let mut got = issues(err);
    got.sort();
    let mut want = vec![
        ("site.code".to_owned(), Rule::InvalidSiteCode),
        ("site.timeZone".to_owned(), Rule::UnknownTimeZone),
        ("site.hotline".to_owned(), Rule::InvalidPhone),
        ("admin.username".to_owned(), Rule::InvalidUsername),
        ("admin.password".to_owned(), Rule::TooShort),
    ];
    want.sort();
    assert_eq!(got, want);
    assert!(!site::status(&desk).unwrap().set_up, "nothing was written");
}

#[test]
fn policy_ranges_are_checked() {
    let mut env = env();
    let p = site::get_policy(&env.desk).unwrap();
    let err = site::update_policy(
        &mut env.desk,
        p.rev,
        PolicyInput {
            warranty_months: 121,
            return_days: -1,
            exchange_days: 30,
        },
    )
    .unwrap_err();
    assert_eq!(
        issues(err),
        vec![
            ("warrantyMonths".to_owned(), Rule::OutOfRange),
            ("returnDays".to_owned(), Rule::OutOfRange)
        ]
    );
    let ok = site::update_policy(
        &mut env.desk,
        p.rev,
        PolicyInput {
            warranty_months: 36,
            return_days: 7,
            exchange_days: 15,
        },
    )
    .unwrap();
    assert_eq!((ok.warranty_months, ok.rev), (36, 2));
    let stale = site::update_policy(
        &mut env.desk,
        p.rev,
        PolicyInput {
            warranty_months: 12,
            return_days: 7,
            exchange_days: 15,
        },
    )
    .unwrap_err();
    assert_eq!(stale.code(), ErrorCode::Conflict);
}

#[test]
fn sign_in_refuses_wrong_unknown_and_disabled_alike() {
    let mut env = env();
    let tech = users::create(
        &mut env.desk,
        NewUser {
            username: "jishi".into(),
            display_name: "王建军".into(),
            role: Role::Technician,
            password: "password1".into(),
        },
    )
    .unwrap();
    users::sign_out(&mut env.desk);
    for (u, p) in [("admin", "wrong password"), ("nobody", "password1")] {
        assert!(
            matches!(
                users::sign_in(&mut env.desk, u, p),
                Err(Error::InvalidCredentials)
            ),
            "{u}"
        );
    }
    assert_eq!(
        users::sign_in(&mut env.desk, "JiShi", "password1")
            .unwrap()
            .id,
        tech.id,
        "usernames ignore case"
    );
    users::sign_out(&mut env.desk);
    users::sign_in(&mut env.desk, "admin", ADMIN_PASSWORD).unwrap();
    users::update(
        &mut env.desk,
        &tech.id,
        tech.rev,
        UserUpdate {
            display_name: "王建军".into(),
            role: Role::Technician,
            active: false,
        },
    )
    .unwrap();
    users::sign_out(&mut env.desk);
    assert!(
        matches!(
            users::sign_in(&mut env.desk, "jishi", "password1"),
            Err(Error::InvalidCredentials)
        ),
        "a disabled account cannot sign in"
    );
}

#[test]
fn switching_user_changes_who_the_log_names() {
    let mut env = env();
    let clerk = env.sign_in_as(Role::FrontDesk);
    let c = create_person(&mut env, "王芳", "13812345678");
    let h = desk_core::audit::history(env.desk.conn(), "customers", &c.customer.id).unwrap();
    assert_eq!(h[0].user_id, clerk);
    assert_eq!(c.customer.created_by, clerk);
}

#[test]
fn accounts_validate_and_passwords_are_hashed() {
    let mut env = env();
    let dup = users::create(
        &mut env.desk,
        NewUser {
            username: "ADMIN".into(),
            display_name: "x".into(),
            role: Role::Cashier,
            password: "password1".into(),
        },
    )
    .unwrap_err();
    assert_eq!(issues(dup), vec![("username".to_owned(), Rule::Duplicate)]);
    let hash: String = env
        .desk
        .conn()
        .query_row(
            "SELECT password_hash FROM users WHERE username = 'admin'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        hash.starts_with("$argon2id$") && !hash.contains(ADMIN_PASSWORD),
        "stored as an argon2id hash"
    );
    let log: String = env
        .desk
        .conn()
        .query_row(
            "SELECT group_concat(data) FROM change_log WHERE table_name = 'users'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        !log.contains("argon2"),
        "the hash never reaches the change log"
    );
    let u = users::create(
        &mut env.desk,
        NewUser {
            username: "shouyin".into(),
            display_name: "赵芳".into(),
            role: Role::Cashier,
            password: "password1".into(),
        },
    )
    .unwrap();
    users::set_password(&mut env.desk, &u.id, "new password").unwrap();
    users::sign_out(&mut env.desk);
    users::sign_in(&mut env.desk, "shouyin", "new password").unwrap();
}

#[test]
fn the_last_active_admin_stays_an_admin() {
    let mut env = env();
    let me = users::current(&env.desk).unwrap().unwrap();
    let err = users::update(
        &mut env.desk,
        &me.id,
        me.rev,
        UserUpdate {
            display_name: "x".into(),
            role: Role::Supervisor,
            active: true,
        },
    )
    .unwrap_err();
    assert_eq!(issues(err), vec![("role".to_owned(), Rule::LastAdmin)]);
    let err = users::update(
        &mut env.desk,
        &me.id,
        me.rev,
        UserUpdate {
            display_name: "x".into(),
            role: Role::Admin,
            active: false,
        },
    )
    .unwrap_err();
    assert_eq!(issues(err), vec![("active".to_owned(), Rule::LastAdmin)]);
    users::create(
        &mut env.desk,
        NewUser {
            username: "admin2".into(),
            display_name: "副管理员".into(),
            role: Role::Admin,
            password: "password1".into(),
        },
    )
    .unwrap();
    let me = users::update(
        &mut env.desk,
        &me.id,
        me.rev,
        UserUpdate {
            display_name: "前管理员".into(),
            role: Role::Supervisor,
            active: true,
        },
    )
    .unwrap();
    assert_eq!(me.role, Role::Supervisor);
    assert_eq!(
        users::list(&env.desk).unwrap_err().code(),
        ErrorCode::Forbidden,
        "a demotion takes effect at once"
    );
}

#[test]
fn the_language_is_remembered_across_restarts() {
    let mut env = env();
    site::set_language(&mut env.desk, Language::ZhTw).unwrap();
    let path = env.desk.path().to_owned();
    drop(env.desk);
    let desk = Desk::open_with_clock(&path, Arc::new(FixedClock::new(noon()))).unwrap();
    assert_eq!(site::status(&desk).unwrap().language, Language::ZhTw);
    assert!(
        site::status(&desk).unwrap().user.is_none(),
        "a restart signs out"
    );
}

#[test]
fn site_profile_changes_are_validated_and_versioned() {
    let mut env = env();
    let s = site::get_local(env.desk.conn()).unwrap().unwrap();
    let input = site::SiteInput {
        code: "hz02".into(),
        name: "杭州西湖服务网点".into(),
        tier: Tier::Outlet,
        time_zone: "Asia/Shanghai".into(),
        hotline: "0571-87654321".into(),
    };
    let after = site::update_site(&mut env.desk, s.rev, input.clone()).unwrap();
    assert_eq!(
        (after.code.as_str(), after.tier, after.rev),
        ("HZ02", Tier::Outlet, 2)
    );
    assert_eq!(
        site::update_site(&mut env.desk, s.rev, input)
            .unwrap_err()
            .code(),
        ErrorCode::Conflict
    );
}

#[test]
fn demo_data_loads_once_into_an_empty_archive() {
    let mut env = env();
    let s = demo::load(&mut env.desk, 40).unwrap();
    assert_eq!(s.customers, 40);
    assert!(s.units >= 40 && s.models >= 20 && s.users == 8, "{s:?}");
    assert_eq!(env.count("customers"), 40);
    assert_eq!(s.work_orders, 40);
    assert_eq!(s.parts, 12);
    assert_eq!(s.complaints, 30);
    for stage in ["recorded", "accepted", "carried_out", "closed", "invalid"] {
        assert!(
            env.count(&format!("complaints WHERE stage = '{stage}'")) > 0,
            "the demo shows complaints {stage}"
        );
    }
    assert!(
        env.count("complaint_events WHERE event = 'escalated'") > 0,
        "and escalated ones"
    );
    assert!(
        env.count("complaints WHERE paused_since IS NOT NULL") > 0,
        "and a paused one"
    );
    assert_eq!(
        desk_core::calendar::year(&env.desk, 2026)
            .unwrap()
            .working_days,
        248,
        "with the 2026 calendar"
    );
    assert!(
        env.count("stock_movements") >= 12,
        "the demo parts are in stock"
    );
    for state in [
        "received",
        "answered",
        "scheduled",
        "dispatched",
        "on_site",
        "completed",
        "acceptance_failed",
    ] {
        assert!(
            env.count(&format!("work_orders WHERE state = '{state}'")) > 0,
            "the demo shows work orders {state}"
        );
    }
    assert!(
        env.count("documents WHERE signed = 1") > 0,
        "and signed receipts"
    );
    let hits = desk_core::search::search(&env.desk, "", 0, 100).unwrap();
    assert_eq!(hits.total, 40);
    assert_eq!(
        demo::load(&mut env.desk, 40).unwrap_err().code(),
        ErrorCode::Conflict,
        "never twice"
    );
    users::sign_out(&mut env.desk);
    users::sign_in(&mut env.desk, "jishi", demo::DEMO_PASSWORD).expect("demo staff can sign in");
}
