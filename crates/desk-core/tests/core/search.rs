//! Search: 1–2 character name fragments, phone tails, serials, ranking, paging, reindexing.

use desk_core::catalog::{self, ProductModelInput};
use desk_core::customers;
use desk_core::search::search;
use desk_core::units::{self, UnitInput};

use crate::common::*;

fn names(env: &Env, q: &str) -> Vec<String> {
    search(&env.desk, q, 0, 50)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.name)
        .collect()
}

fn archive() -> Env {
    let mut env = env();
    for (name, phone) in [
        ("张伟", "13812345678"),
        ("张伟明", "13900005678"),
        ("李张伟", "13700001234"),
        ("王芳", "021-58881234"),
        ("欧阳娜娜", "15000002222"),
    ] {
        create_person(&mut env, name, phone);
    }
    env
}

#[test]
fn a_two_character_chinese_name_is_found_and_ranked() {
    let env = archive();
    assert_eq!(
        names(&env, "张伟"),
        ["张伟", "张伟明", "李张伟"],
        "whole name, then prefix, then inside"
    );
    assert_eq!(names(&env, "欧阳"), ["欧阳娜娜"]);
    assert_eq!(names(&env, "娜娜"), ["欧阳娜娜"]);
}

#[test]
fn a_one_character_fragment_is_found() {
    let env = archive();
    let hits = names(&env, "芳");
    assert_eq!(hits, ["王芳"]);
    let mut zhang = names(&env, "张");
    zhang.sort();
    assert_eq!(zhang, ["张伟", "张伟明", "李张伟"]);
}

#[test]
fn a_phone_tail_finds_the_customer() {
    let env = archive();
    let mut hits = names(&env, "5678");
    hits.sort();
    assert_eq!(hits, ["张伟", "张伟明"]);
    assert_eq!(
        names(&env, "1234 5678"),
        ["张伟"],
        "spaces in a typed number are ignored"
    );
    assert_eq!(
        names(&env, "58881234"),
        ["王芳"],
        "a landline without its area code"
    );
    assert_eq!(names(&env, "021-5888"), ["王芳"]);
}

#[test]
fn a_serial_fragment_finds_the_owner_and_shows_the_serial() {
    let mut env = archive();
    let owner = create_person(&mut env, "赵强", "18800001111");
    let m = catalog::create(
        &mut env.desk,
        ProductModelInput {
            brand: "格力".into(),
            model: "KFR-35GW".into(),
            category: "空调".into(),
        },
    )
    .unwrap();
    let unit = UnitInput {
        model_id: m.id,
        serial: "GL2403A77X9".into(),
        purchase_date: None,
        seller: String::new(),
        install_date: None,
        address_id: None,
        note: String::new(),
    };
    units::create(&mut env.desk, &owner.customer.id, unit).unwrap();
    let page = search(&env.desk, "a77x", 0, 10).unwrap();
    assert_eq!(page.hits.len(), 1, "serial search ignores case");
    assert_eq!(page.hits[0].name, "赵强");
    assert_eq!(page.hits[0].serials, ["GL2403A77X9"]);
    assert_eq!(page.hits[0].phone, "18800001111");
    assert_eq!(page.hits[0].city, "上海市");
}

#[test]
fn an_address_and_a_long_name_fragment() {
    let env = archive();
    assert_eq!(
        search(&env.desk, "张杨路", 0, 10).unwrap().total,
        5,
        "all live on 张杨路"
    );
    assert_eq!(names(&env, "张伟明"), ["张伟明"]);
}

#[test]
fn several_terms_narrow_the_result() {
    let env = archive();
    let mut hits = names(&env, "张 5678");
    hits.sort();
    assert_eq!(hits, ["张伟", "张伟明"]);
    assert_eq!(names(&env, "伟明 5678"), ["张伟明"]);
    assert!(names(&env, "王 5678").is_empty());
}

#[test]
fn renaming_reindexes() {
    let mut env = archive();
    let c = customers::get(
        &env.desk,
        &search(&env.desk, "王芳", 0, 1).unwrap().hits[0].customer_id,
    )
    .unwrap();
    let mut input = person("王丽华", "021-58881234");
    input.contacts[0].id = Some(c.contacts[0].id.clone());
    input.addresses[0].id = Some(c.addresses[0].id.clone());
    customers::update(&mut env.desk, &c.customer.id, c.customer.rev, input).unwrap();
    assert!(
        names(&env, "王芳").is_empty(),
        "the old name is gone from both indexes"
    );
    assert_eq!(names(&env, "丽华"), ["王丽华"]);
}

#[test]
fn results_are_paged_with_a_total() {
    let mut env = env();
    for i in 0..25 {
        create_person(
            &mut env,
            &format!("陈{}", ["伟", "芳", "静", "强", "磊"][i % 5]),
            &format!("1380000{i:04}"),
        );
    }
    let p0 = search(&env.desk, "陈", 0, 10).unwrap();
    let p2 = search(&env.desk, "陈", 2, 10).unwrap();
    assert_eq!((p0.total, p0.hits.len(), p2.hits.len()), (25, 10, 5));
    assert!(!p0.total_is_lower_bound);
    let first: std::collections::HashSet<_> = p0.hits.iter().map(|h| &h.customer_id).collect();
    assert!(
        p2.hits.iter().all(|h| !first.contains(&h.customer_id)),
        "pages do not overlap"
    );
    let recent = search(&env.desk, "", 0, 5).unwrap();
    assert_eq!(recent.total, 25);
    assert_eq!(
        recent.hits[0].phone, "13800000024",
        "an empty query lists the most recently changed first"
    );
}

#[test]
fn queries_with_fts_syntax_are_taken_literally() {
    let env = archive();
    for q in [
        "\"",
        "张\"伟",
        "AND",
        "a OR b",
        "*",
        "NEAR(",
        "'; DROP TABLE customers; --",
        "%%%",
    ] {
        search(&env.desk, q, 0, 10).unwrap_or_else(|e| panic!("{q:?} must not fail: {e}"));
    }
    assert_eq!(env.count("customers"), 5);
}

#[test]
fn digits_are_a_phone_tail_first_and_a_fragment_only_when_no_phone_ends_so() {
    let mut env = env();
    create_person(&mut env, "赵一", "13956781111"); // 5678 in the middle
    create_person(&mut env, "钱二", "13800005678"); // ends in 5678
    create_person(&mut env, "孙三", "15000005678"); // ends in 5678, newest
    assert_eq!(
        names(&env, "5678"),
        ["孙三", "钱二"],
        "tails only, newest first"
    );
    assert_eq!(names(&env, "13800005678"), ["钱二"], "a whole number");
    assert_eq!(names(&env, "56781111"), ["赵一"]);
    assert_eq!(
        names(&env, "395678"),
        ["赵一"],
        "no phone ends so: found as a fragment"
    );
    let page = search(&env.desk, "5678", 0, 1).unwrap();
    assert_eq!(
        (page.total, page.hits.len()),
        (2, 1),
        "tails are paged with their own total"
    );
}

#[test]
fn an_edited_phone_moves_its_tail() {
    let mut env = env();
    let c = create_person(&mut env, "周四", "13800005678");
    let mut input = person("周四", "13800009999");
    input.contacts[0].id = Some(c.contacts[0].id.clone());
    input.addresses[0].id = Some(c.addresses[0].id.clone());
    customers::update(&mut env.desk, &c.customer.id, c.customer.rev, input).unwrap();
    assert!(names(&env, "5678").is_empty(), "the old tail is gone");
    assert_eq!(names(&env, "9999"), ["周四"]);
}
