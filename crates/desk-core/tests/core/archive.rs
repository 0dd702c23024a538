//! Customers, contacts, addresses, product models and units: validation, conflicts, coverage.

use chrono::NaiveDate;
use desk_core::catalog::{self, ProductModelInput};
use desk_core::customers::{self, AddressInput, ContactInput, CustomerKind};
use desk_core::site::Policy;
use desk_core::units::{self, coverage, UnitInput, WarrantyStatus};
use desk_core::{Error, ErrorCode, Rule};
use rstest::rstest;

use crate::common::*;

fn model(env: &mut Env, brand: &str, name: &str) -> String {
    catalog::create(
        &mut env.desk,
        ProductModelInput {
            brand: brand.into(),
            model: name.into(),
            category: "空调".into(),
        },
    )
    .unwrap()
    .id
}

fn unit(model_id: &str, serial: &str, purchase: Option<&str>, install: Option<&str>) -> UnitInput {
    UnitInput {
        model_id: model_id.into(),
        serial: serial.into(),
        purchase_date: purchase.map(Into::into),
        seller: "苏宁易购".into(),
        install_date: install.map(Into::into),
        address_id: None,
        note: String::new(),
    }
}

#[test]
fn a_customer_is_created_with_normalised_phones() {
    let mut env = env();
    let c = create_person(&mut env, " 王芳 ", "138 1234 5678");
    assert_eq!(c.customer.name, "王芳", "names are trimmed");
    assert_eq!(c.contacts[0].phone, "13812345678");
    assert_eq!(c.customer.rev, 1);
    assert_eq!(c.customer.site_id, env.desk.actor().unwrap().site_id);
    assert!(uuid_v7(&c.customer.id), "ids are UUIDv7: {}", c.customer.id);
}

fn uuid_v7(s: &str) -> bool {
    s.len() == 36 && s.as_bytes()[14] == b'7'
}

#[rstest]
#[case::name_required("", "13812345678", "name", Rule::Required)]
#[case::name_too_long(&"长".repeat(101), "13812345678", "name", Rule::TooLong)]
#[case::phone_invalid("王芳", "1381234567", "contacts.0.phone", Rule::InvalidPhone)]
#[case::landline_without_area_code("王芳", "62345678", "contacts.0.phone", Rule::InvalidPhone)]
#[case::phone_missing("王芳", "", "contacts.0.phone", Rule::Required)]
fn customer_validation(
    #[case] name: &str,
    #[case] phone: &str,
    #[case] field: &str,
    #[case] rule: Rule,
) {
    let mut env = env();
    let (log, customers) = (env.log_count(), env.count("customers"));
    let mut input = person(name, phone);
    input.contacts[0].name = "联系人".into();
    let err = customers::create(&mut env.desk, input).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    assert!(
        issues(err).contains(&(field.to_owned(), rule)),
        "expected {field} {rule:?}"
    );
    assert_eq!(
        (env.log_count(), env.count("customers")),
        (log, customers),
        "nothing is written on error"
    );
}

#[test]
fn all_field_errors_come_at_once_with_params() {
    let mut env = env();
    let mut input = person("", "123");
    input.note = "备".repeat(501);
    input.addresses[0].city = String::new();
    let err = customers::create(&mut env.desk, input).unwrap_err();
    let payload = err.payload();
    let fields: Vec<_> = payload.issues.iter().map(|i| i.field.as_str()).collect();
    assert_eq!(
        fields,
        ["name", "note", "contacts.0.phone", "addresses.0.city"]
    );
    assert_eq!(
        payload.field.as_deref(),
        Some("name"),
        "the first field is the one to focus"
    );
    let note = payload.issues.iter().find(|i| i.field == "note").unwrap();
    assert_eq!(note.params.get("max").map(String::as_str), Some("500"));
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["code"], "validation");
    assert_eq!(json["field"], "name");
    assert_eq!(json["rule"], "required");
}

#[test]
fn a_customer_needs_a_phone_and_blank_rows_are_ignored() {
    let mut env = env();
    let mut input = person("王芳", "");
    input.contacts[0] = ContactInput::default();
    input.addresses.push(AddressInput::default());
    let err = customers::create(&mut env.desk, input).unwrap_err();
    assert_eq!(issues(err), vec![("contacts".to_owned(), Rule::NeedPhone)]);
}

#[test]
fn the_same_phone_twice_on_one_customer_is_refused() {
    let mut env = env();
    let mut input = person("王芳", "13812345678");
    input.contacts.push(ContactInput {
        id: None,
        name: "李强".into(),
        phone: "138-1234-5678".into(),
        title: String::new(),
    });
    let err = customers::create(&mut env.desk, input).unwrap_err();
    assert_eq!(
        issues(err),
        vec![("contacts.1.phone".to_owned(), Rule::Duplicate)]
    );
}

#[test]
fn a_company_with_a_landline_and_two_contacts() {
    let mut env = env();
    let mut input = person("上海恒丰物业管理有限公司", "021-58881234");
    input.kind = CustomerKind::Company;
    input.contacts.push(ContactInput {
        id: None,
        name: "李强".into(),
        phone: "13900001111".into(),
        title: "物业经理".into(),
    });
    let c = customers::create(&mut env.desk, input).unwrap();
    assert_eq!(c.customer.kind, CustomerKind::Company);
    let phones: Vec<_> = c.contacts.iter().map(|c| c.phone.as_str()).collect();
    assert_eq!(phones, ["021-58881234", "13900001111"]);
}

#[test]
fn editing_keeps_contact_ids_and_bumps_the_revision() {
    let mut env = env();
    let c = create_person(&mut env, "王芳", "13812345678");
    let mut input = person("王芳", "13812345678");
    input.contacts[0].id = Some(c.contacts[0].id.clone());
    input.contacts[0].title = "户主".into();
    input.contacts.push(ContactInput {
        id: None,
        name: "李强".into(),
        phone: "13900001111".into(),
        title: "家属".into(),
    });
    input.addresses.clear();
    let after = customers::update(&mut env.desk, &c.customer.id, 1, input).unwrap();
    assert_eq!(after.customer.rev, 2);
    assert_eq!(
        after.contacts[0].id, c.contacts[0].id,
        "an edited contact keeps its id"
    );
    assert_eq!(after.contacts[0].title, "户主");
    assert_eq!(after.contacts.len(), 2);
    assert!(after.addresses.is_empty(), "an address left out is removed");
    let removed =
        desk_core::audit::history(env.desk.conn(), "addresses", &c.addresses[0].id).unwrap();
    assert_eq!(
        removed.last().unwrap().action,
        "delete",
        "the removal is logged"
    );
}

#[test]
fn a_stale_revision_is_a_conflict_never_an_overwrite() {
    let mut env = env();
    let c = create_person(&mut env, "王芳", "13812345678");
    let mut first = person("王芳（张杨路）", "13812345678");
    first.contacts[0].id = Some(c.contacts[0].id.clone());
    customers::update(&mut env.desk, &c.customer.id, 1, first).unwrap();
    let log = env.log_count();
    let second = person("王小芳", "13812345678");
    let err = customers::update(&mut env.desk, &c.customer.id, 1, second).unwrap_err();
    assert!(
        matches!(err, Error::Conflict { expected: 1, .. }),
        "got {err:?}"
    );
    assert_eq!(err.code(), ErrorCode::Conflict);
    let now = customers::get(&env.desk, &c.customer.id).unwrap();
    assert_eq!(now.customer.name, "王芳（张杨路）", "the first edit stands");
    assert_eq!(env.log_count(), log);
    let missing = customers::update(
        &mut env.desk,
        "no-such-id",
        1,
        person("王芳", "13812345678"),
    )
    .unwrap_err();
    assert_eq!(missing.code(), ErrorCode::NotFound);
}

#[test]
fn models_are_unique_by_brand_and_model() {
    let mut env = env();
    model(&mut env, "格力", "KFR-35GW");
    let err = catalog::create(
        &mut env.desk,
        ProductModelInput {
            brand: "格力".into(),
            model: "KFR-35GW".into(),
            category: "空调".into(),
        },
    )
    .unwrap_err();
    assert_eq!(issues(err), vec![("model".to_owned(), Rule::Duplicate)]);
    model(&mut env, "美的", "KFR-35GW");
}

#[test]
fn a_serial_is_unique_per_model_not_across_models() {
    let mut env = env();
    let c = create_person(&mut env, "王芳", "13812345678");
    let gree = model(&mut env, "格力", "KFR-35GW");
    let midea = model(&mut env, "美的", "KFR-35GW");
    units::create(
        &mut env.desk,
        &c.customer.id,
        unit(&gree, "gl2403000123a", Some("2026-01-10"), None),
    )
    .unwrap();
    let err = units::create(
        &mut env.desk,
        &c.customer.id,
        unit(&gree, "GL2403000123A", Some("2026-01-10"), None),
    )
    .unwrap_err();
    assert_eq!(
        issues(err),
        vec![("serial".to_owned(), Rule::Duplicate)],
        "serials compare in upper case"
    );
    units::create(
        &mut env.desk,
        &c.customer.id,
        unit(&midea, "GL2403000123A", Some("2026-01-10"), None),
    )
    .expect("another model may share a serial");
}

#[rstest]
#[case::future_purchase(Some("2026-11-23"), None, "purchaseDate", Rule::FutureDate)]
#[case::future_install(
    Some("2026-11-01"),
    Some("2026-12-01"),
    "installDate",
    Rule::FutureDate
)]
#[case::bad_date(Some("2026-02-30"), None, "purchaseDate", Rule::InvalidDate)]
#[case::garbage(Some("yesterday"), None, "purchaseDate", Rule::InvalidDate)]
#[case::install_before_purchase(
    Some("2026-11-01"),
    Some("2026-10-31"),
    "installDate",
    Rule::BeforePurchase
)]
fn unit_dates(
    #[case] purchase: Option<&str>,
    #[case] install: Option<&str>,
    #[case] field: &str,
    #[case] rule: Rule,
) {
    let mut env = env();
    let c = create_person(&mut env, "王芳", "13812345678");
    let m = model(&mut env, "格力", "KFR-35GW");
    let log = env.log_count();
    let err = units::create(
        &mut env.desk,
        &c.customer.id,
        unit(&m, "SN1", purchase, install),
    )
    .unwrap_err();
    assert_eq!(issues(err), vec![(field.to_owned(), rule)]);
    assert_eq!(env.log_count(), log);
}

#[test]
fn today_is_the_sites_date_not_utcs() {
    let mut env = env();
    let c = create_person(&mut env, "王芳", "13812345678");
    let m = model(&mut env, "格力", "KFR-35GW");
    // 2026-11-22 17:00 UTC is already 2026-11-23 01:00 in Shanghai.
    env.clock
        .set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 22, 17, 0, 0).unwrap());
    units::create(
        &mut env.desk,
        &c.customer.id,
        unit(&m, "SN1", Some("2026-11-23"), None),
    )
    .expect("bought today, Shanghai time");
}

#[rstest]
#[case::serial_required("", "serial", Rule::Required)]
#[case::serial_chars("SN 1#", "serial", Rule::InvalidSerial)]
#[case::serial_long(&"A".repeat(41), "serial", Rule::TooLong)]
fn unit_serials(#[case] serial: &str, #[case] field: &str, #[case] rule: Rule) {
    let mut env = env();
    let c = create_person(&mut env, "王芳", "13812345678");
    let m = model(&mut env, "格力", "KFR-35GW");
    let err =
        units::create(&mut env.desk, &c.customer.id, unit(&m, serial, None, None)).unwrap_err();
    assert_eq!(issues(err), vec![(field.to_owned(), rule)]);
}

#[test]
fn a_unit_refers_to_a_known_model_and_the_customers_own_address() {
    let mut env = env();
    let c = create_person(&mut env, "王芳", "13812345678");
    let other = create_person(&mut env, "李强", "13900001111");
    let m = model(&mut env, "格力", "KFR-35GW");
    let err = units::create(
        &mut env.desk,
        &c.customer.id,
        unit("nope", "SN1", None, None),
    )
    .unwrap_err();
    assert_eq!(
        issues(err),
        vec![("modelId".to_owned(), Rule::UnknownReference)]
    );
    let mut u = unit(&m, "SN1", None, None);
    u.address_id = Some(other.addresses[0].id.clone());
    let err = units::create(&mut env.desk, &c.customer.id, u.clone()).unwrap_err();
    assert_eq!(
        issues(err),
        vec![("addressId".to_owned(), Rule::UnknownReference)]
    );
    u.address_id = Some(c.addresses[0].id.clone());
    let v = units::create(&mut env.desk, &c.customer.id, u).unwrap();
    assert_eq!(
        v.unit.address_id.as_deref(),
        Some(c.addresses[0].id.as_str())
    );
}

#[test]
fn the_customer_page_lists_units_with_their_coverage() {
    let mut env = env();
    let c = create_person(&mut env, "王芳", "13812345678");
    let m = model(&mut env, "格力", "KFR-35GW");
    units::create(
        &mut env.desk,
        &c.customer.id,
        unit(&m, "NEW1", Some("2026-11-10"), Some("2026-11-12")),
    )
    .unwrap();
    units::create(
        &mut env.desk,
        &c.customer.id,
        unit(&m, "OLD1", Some("2023-05-01"), None),
    )
    .unwrap();
    units::create(&mut env.desk, &c.customer.id, unit(&m, "UNK1", None, None)).unwrap();
    let page = customers::get(&env.desk, &c.customer.id).unwrap();
    let by_serial = |s: &str| {
        page.units
            .iter()
            .find(|u| u.unit.serial == s)
            .unwrap()
            .coverage
            .clone()
    };
    let new = by_serial("NEW1");
    assert_eq!(new.status, WarrantyStatus::InWarranty);
    assert_eq!(new.warranty_end.as_deref(), Some("2028-11-10"));
    assert!(
        new.return_open && new.exchange_open,
        "12 days after purchase both terms are open"
    );
    assert_eq!(new.return_until.as_deref(), Some("2026-11-25"));
    assert_eq!(by_serial("OLD1").status, WarrantyStatus::Expired);
    assert_eq!(by_serial("UNK1").status, WarrantyStatus::Unknown);
}

fn policy(months: i64, ret: i64, exch: i64) -> Policy {
    Policy {
        warranty_months: months,
        return_days: ret,
        exchange_days: exch,
        rev: 1,
        updated_at: String::new(),
    }
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[rstest]
// The purchase day is not counted: day 15 after purchase is the last return day.
#[case("2026-03-01", "2026-03-16", true, true)]
#[case("2026-03-01", "2026-03-17", false, true)]
#[case("2026-03-01", "2026-03-31", false, true)]
#[case("2026-03-01", "2026-04-01", false, false)]
fn return_and_exchange_terms(
    #[case] purchase: &str,
    #[case] today: &str,
    #[case] ret: bool,
    #[case] exch: bool,
) {
    let c = coverage(Some(d(purchase)), &policy(24, 15, 30), d(today));
    assert_eq!(
        (c.return_open, c.exchange_open),
        (ret, exch),
        "purchase {purchase}, today {today}"
    );
}

#[rstest]
#[case("2026-03-15", "2028-03-15", "2028-03-15", true, Some(0))]
#[case("2026-03-15", "2028-03-16", "2028-03-15", false, None)]
#[case("2024-02-29", "2026-02-28", "2026-02-28", true, Some(0))]
#[case("2024-02-29", "2026-03-01", "2026-02-28", false, None)]
fn warranty_end(
    #[case] purchase: &str,
    #[case] today: &str,
    #[case] end: &str,
    #[case] inside: bool,
    #[case] left: Option<i64>,
) {
    let c = coverage(Some(d(purchase)), &policy(24, 15, 30), d(today));
    assert_eq!(c.warranty_end.as_deref(), Some(end));
    assert_eq!(c.status == WarrantyStatus::InWarranty, inside);
    assert_eq!(c.warranty_days_left, left);
}

#[test]
fn coverage_follows_the_sites_policy() {
    let mut env = env();
    let c = create_person(&mut env, "王芳", "13812345678");
    let m = model(&mut env, "格力", "KFR-35GW");
    units::create(
        &mut env.desk,
        &c.customer.id,
        unit(&m, "SN1", Some("2025-10-01"), None),
    )
    .unwrap();
    let before = customers::get(&env.desk, &c.customer.id).unwrap().units[0]
        .coverage
        .clone();
    assert_eq!(before.warranty_end.as_deref(), Some("2027-10-01"));
    let p = desk_core::site::get_policy(&env.desk).unwrap();
    desk_core::site::update_policy(
        &mut env.desk,
        p.rev,
        desk_core::site::PolicyInput {
            warranty_months: 12,
            return_days: 7,
            exchange_days: 15,
        },
    )
    .unwrap();
    let after = customers::get(&env.desk, &c.customer.id).unwrap().units[0]
        .coverage
        .clone();
    assert_eq!(after.warranty_end.as_deref(), Some("2026-10-01"));
    assert_eq!(after.status, WarrantyStatus::Expired);
}
