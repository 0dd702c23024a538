//! The sites a database knows (itself and those whose records it imported) and the lists
//! narrowed to the site a record comes from: customers, work orders, complaints. The other
//! sites' records arrive the real way: an outlet exports, the centre imports.

use std::collections::BTreeMap;
use std::sync::Arc;

use desk_core::complaints::{self as cp, ComplaintFilter, ComplaintKind, RegisterInput};
use desk_core::exchange::{self, BundleKind, ExportOptions, ImportOptions};
use desk_core::search::{self, SearchPage};
use desk_core::site::{self, Tier};
use desk_core::users::Role;
use desk_core::work_orders::{self as wo, Channel, IntakeInput, Kind, WorkOrderFilter};
use desk_core::{Desk, ErrorCode, FixedClock};

use crate::common::*;

/// The centre's code (from `setup_input`) and its two outlets'.
pub const CENTRE: &str = "SH01";
pub const SITES: [&str; 3] = [CENTRE, "A01", "B01"];

/// What one site created.
#[derive(Debug, Default, Clone)]
pub struct Made {
    pub customers: Vec<String>,
    pub orders: Vec<String>,
    pub complaints: Vec<String>,
}

/// A centre that holds its own records and, imported, those of two outlets.
pub struct Network {
    pub centre: Env,
    /// `sites.id` by code.
    pub ids: BTreeMap<&'static str, String>,
    /// Names of the customers, numbers of the orders and complaints, by site code.
    pub made: BTreeMap<&'static str, Made>,
}

impl Network {
    pub fn id(&self, code: &str) -> String {
        self.ids[code].clone()
    }
}

/// `n` customers at `desk`'s site, each calling once with a question and complaining once.
/// Every customer is named 王… and lives on 张杨路, every phone ends in 8888, so that one query
/// finds customers of every site.
fn activity(desk: &mut Desk, code: &str, n: usize, prefix: u8) -> Made {
    let mut made = Made::default();
    for i in 0..n {
        let name = format!("王{code}{i}");
        let c = desk_core::customers::create(desk, person(&name, &format!("13{prefix}{i:04}8888")))
            .unwrap();
        let order = wo::intake(
            desk,
            IntakeInput {
                kind: Kind::Consultation,
                channel: Channel::Phone,
                customer_id: Some(c.customer.id.clone()),
                new_customer: None,
                contact_id: None,
                unit_id: None,
                new_unit: None,
                caller_phone: String::new(),
                description: format!("{code} 咨询保修期"),
            },
        )
        .unwrap();
        let complaint = cp::register(
            desk,
            RegisterInput {
                kind: ComplaintKind::Service,
                level: 1,
                channel: Channel::Phone,
                customer_id: Some(c.customer.id),
                new_customer: None,
                unit_id: None,
                work_order_id: None,
                complainant: name.clone(),
                phone: String::new(),
                object: String::new(),
                content: format!("{code} 热线久等"),
                demand: String::new(),
            },
        )
        .unwrap();
        made.customers.push(name);
        made.orders.push(order.order.number);
        made.complaints.push(complaint.complaint.number);
    }
    made
}

/// An outlet with `n` customers' worth of records, exported to the centre and imported there.
fn outlet_into(centre: &mut Env, code: &'static str, n: usize, prefix: u8) -> Made {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::open_with_clock(
        &dir.path().join("desk.sqlite"),
        Arc::new(FixedClock::new(noon())),
    )
    .unwrap();
    let mut input = setup_input();
    input.site.code = code.into();
    input.site.name = format!("{code} 特约网点");
    input.site.tier = Tier::Outlet;
    site::setup(&mut desk, input).unwrap();
    let made = activity(&mut desk, code, n, prefix);
    let bundle = dir.path().join("bundle.zip");
    exchange::export(
        &mut desk,
        &ExportOptions {
            kind: BundleKind::Data,
            destination: CENTRE.into(),
            full: false,
        },
        &bundle,
    )
    .unwrap();
    exchange::import(
        &mut centre.desk,
        &bundle,
        &ImportOptions {
            allow_unknown_site: true,
        },
    )
    .unwrap();
    made
}

/// The centre SH01 with 2 customers of its own, then B01's 1 and A01's 3 imported (B01 first,
/// so that the list of sites is sorted by code, not by arrival).
pub fn network() -> Network {
    let mut centre = env();
    let mut made = BTreeMap::new();
    made.insert(CENTRE, activity(&mut centre.desk, CENTRE, 2, 8));
    made.insert("B01", outlet_into(&mut centre, "B01", 1, 7));
    made.insert("A01", outlet_into(&mut centre, "A01", 3, 9));
    let ids = site::list_sites(&centre.desk)
        .unwrap()
        .into_iter()
        .map(|s| (SITES.into_iter().find(|c| *c == s.code).unwrap(), s.id))
        .collect();
    Network { centre, ids, made }
}

pub fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn every<'a>(net: &'a Network, pick: impl Fn(&'a Made) -> &'a Vec<String>) -> Vec<String> {
    sorted(net.made.values().flat_map(|m| pick(m).clone()).collect())
}

#[test]
fn the_sites_known_are_the_local_one_first_then_by_code() {
    let mut net = network();
    let sites = site::list_sites(&net.centre.desk).unwrap();
    let seen: Vec<_> = sites
        .iter()
        .map(|s| (s.code.as_str(), s.name.as_str(), s.tier, s.local))
        .collect();
    assert_eq!(
        seen,
        [
            (CENTRE, "上海浦东服务中心", Tier::Centre, true),
            ("A01", "A01 特约网点", Tier::Outlet, false),
            ("B01", "B01 特约网点", Tier::Outlet, false),
        ],
        "the local site first, then the imported ones by code (B01 arrived before A01)"
    );

    // Whoever may read the lists may read where their records come from.
    net.centre.sign_in_as(Role::Technician);
    assert_eq!(site::list_sites(&net.centre.desk).unwrap(), sites);
    desk_core::users::sign_out(&mut net.centre.desk);
    assert_eq!(
        site::list_sites(&net.centre.desk).unwrap_err().code(),
        ErrorCode::Unauthenticated
    );
}

#[test]
fn a_site_that_imported_nothing_knows_only_itself() {
    let e = env();
    let sites = site::list_sites(&e.desk).unwrap();
    assert_eq!(
        sites.len(),
        1,
        "the UI shows no site filter then: {sites:?}"
    );
    assert!(sites[0].local);
}

fn orders(desk: &Desk, site_id: Option<String>, query: Option<&str>) -> Vec<wo::WorkOrderRow> {
    let page = wo::list(
        desk,
        &WorkOrderFilter {
            site_id,
            query: query.map(str::to_owned),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        page.total as usize,
        page.rows.len(),
        "one page holds them all"
    );
    page.rows
}

#[test]
fn work_orders_filter_by_site() {
    let net = network();
    let desk = &net.centre.desk;
    for code in SITES {
        let rows = orders(desk, Some(net.id(code)), None);
        assert_eq!(
            sorted(rows.iter().map(|r| r.number.clone()).collect()),
            sorted(net.made[code].orders.clone()),
            "{code}: its own orders, no other site's"
        );
        for r in &rows {
            assert_eq!(r.site_code, code, "each row names its site");
        }
    }
    let a01 = &orders(desk, Some(net.id("A01")), None)[0];
    assert_eq!(a01.site_name, "A01 特约网点");

    let all = every(&net, |m| &m.orders);
    let numbers =
        |rows: Vec<wo::WorkOrderRow>| sorted(rows.into_iter().map(|r| r.number).collect());
    assert_eq!(
        numbers(orders(desk, None, None)),
        all,
        "no site: every site"
    );
    assert_eq!(
        numbers(orders(desk, Some(String::new()), None)),
        all,
        "an empty site (the select's 全部网点) is no filter"
    );
    assert!(
        orders(desk, Some("no-such-site".into()), None).is_empty(),
        "a site id no site has matches nothing"
    );
    // The site narrows the other filters: the description is not searched, the customer is.
    assert_eq!(
        numbers(orders(desk, Some(net.id("A01")), Some("王A011"))),
        [net.made["A01"].orders[1].clone()]
    );
    assert!(orders(desk, Some(net.id(CENTRE)), Some("王A011")).is_empty());
}

fn complaints(desk: &Desk, site_id: Option<String>) -> Vec<cp::ComplaintRow> {
    let page = cp::list(
        desk,
        &ComplaintFilter {
            site_id,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(page.total as usize, page.rows.len());
    page.rows
}

#[test]
fn complaints_filter_by_site() {
    let net = network();
    let desk = &net.centre.desk;
    let numbers =
        |rows: Vec<cp::ComplaintRow>| sorted(rows.into_iter().map(|r| r.number).collect());
    for code in SITES {
        let rows = complaints(desk, Some(net.id(code)));
        assert!(
            rows.iter()
                .all(|r| r.site_code == code && !r.site_name.is_empty()),
            "{code}: {rows:?}"
        );
        assert_eq!(
            numbers(rows),
            sorted(net.made[code].complaints.clone()),
            "{code}: its own complaints, no other site's"
        );
    }
    let all = every(&net, |m| &m.complaints);
    assert_eq!(numbers(complaints(desk, None)), all);
    assert_eq!(numbers(complaints(desk, Some(String::new()))), all);
    assert!(complaints(desk, Some("no-such-site".into())).is_empty());
    let open_b01 = cp::list(
        desk,
        &ComplaintFilter {
            site_id: Some(net.id("B01")),
            open: Some(true),
            level: Some(1),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(open_b01.total, 1, "the site narrows the other filters");
}

fn names(page: &SearchPage) -> Vec<String> {
    sorted(page.hits.iter().map(|h| h.name.clone()).collect())
}

#[test]
fn customer_search_filters_by_site_on_every_path() {
    let net = network();
    let desk = &net.centre.desk;
    let find = |q: &str, site: Option<&str>| search::search_site(desk, q, site, 0, 100).unwrap();
    // The empty query (the customer list), a name fragment (1–2 characters), a longer
    // fragment (trigram), a phone tail: each path of the search honours the site.
    for q in ["", "王", "张杨路", "8888"] {
        let all = find(q, None);
        assert_eq!(
            names(&all),
            every(&net, |m| &m.customers),
            "{q:?}: every site's customers"
        );
        assert_eq!(all.total, 6);
        assert_eq!(names(&find(q, Some(""))), names(&all), "{q:?}: empty site");
        for code in SITES {
            let id = net.id(code);
            let page = find(q, Some(&id));
            assert_eq!(
                names(&page),
                sorted(net.made[code].customers.clone()),
                "{q:?} at {code}"
            );
            assert_eq!(page.total as usize, net.made[code].customers.len());
            assert!(page.hits.iter().all(|h| h.site_code == code));
        }
        let none = find(q, Some("no-such-site"));
        assert!(none.hits.is_empty() && none.total == 0, "{q:?}: {none:?}");
    }
    // A short fragment beside another one, and a page past the first.
    let a01 = net.id("A01");
    assert_eq!(names(&find("王 A01", Some(&a01))).len(), 3);
    let second = search::search_site(desk, "", Some(&a01), 1, 2).unwrap();
    assert_eq!((second.hits.len(), second.total), (1, 3));
    // A phone tail found only at A01 is no tail at SH01: searched as a fragment there, it
    // finds nothing either.
    let tail = "900028888";
    assert_eq!(names(&find(tail, Some(&a01))), ["王A012"]);
    assert!(find(tail, Some(&net.id(CENTRE))).hits.is_empty());
    // The unfiltered search is the same function with no site.
    assert_eq!(
        search::search(desk, "王", 0, 100).unwrap().hits,
        find("王", None).hits
    );
    let hit = &find("王A010", None).hits[0];
    assert_eq!(
        (hit.site_code.as_str(), hit.site_name.as_str()),
        ("A01", "A01 特约网点")
    );
}
