//! Export and import between the tiers: a three-tier network in four data folders, re-imports
//! that change nothing, a conflict listed, policy flowing down, and every kind of malformed
//! or hostile bundle refused with the database unchanged.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use desk_core::catalog::{self, ProductModelInput};
use desk_core::complaints::sla::{self, SlaPolicyInput};
use desk_core::complaints::{self as cp, ComplaintKind, RegisterInput};
use desk_core::customers::{self, AddressInput, ContactInput, CustomerInput, CustomerKind};
use desk_core::exchange::bundle::{self, Manifest};
use desk_core::exchange::{self, BundleKind, ExportOptions, ImportOptions, Peer};
use desk_core::site::{self, SetupInput, SiteInput, Tier};
use desk_core::units::{self, UnitInput};
use desk_core::users::{NewUser, Role};
use desk_core::work_orders::{self as wo, Channel, IntakeInput, Kind};
use desk_core::{Desk, Error, FixedClock, Rule};
use proptest::prelude::*;
use sha2::{Digest, Sha256};
use tempfile::TempDir;

use crate::common::noon;

struct SiteEnv {
    #[allow(dead_code)]
    dir: TempDir,
    desk: Desk,
    code: &'static str,
}

fn site_env(code: &'static str, tier: Tier) -> SiteEnv {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(noon()));
    let mut desk = Desk::open_with_clock(&dir.path().join("desk.sqlite"), clock).unwrap();
    site::setup(
        &mut desk,
        SetupInput {
            site: SiteInput {
                code: code.into(),
                name: format!("{code} 服务站"),
                tier,
                time_zone: "Asia/Shanghai".into(),
                hotline: "400-820-8820".into(),
            },
            admin: NewUser {
                username: "admin".into(),
                display_name: format!("{code} 管理员"),
                role: Role::Admin,
                password: "correct horse".into(),
            },
        },
    )
    .unwrap();
    SiteEnv { dir, desk, code }
}

impl SiteEnv {
    fn peer(&mut self, code: &str, relation: &str) {
        exchange::add_peer(
            &mut self.desk,
            Peer {
                code: code.into(),
                name: String::new(),
                relation: relation.into(),
            },
        )
        .unwrap();
    }

    fn export(&mut self, kind: BundleKind, to: &str, out: &Path) -> PathBuf {
        let path = out.join(format!(
            "{}-{}-{}.zip",
            self.code,
            kind.as_str(),
            rand_suffix()
        ));
        exchange::export(
            &mut self.desk,
            &ExportOptions {
                kind,
                destination: to.into(),
                full: false,
            },
            &path,
        )
        .unwrap();
        path
    }

    fn import(&mut self, path: &Path) -> BTreeMap<String, i64> {
        exchange::import(&mut self.desk, path, &ImportOptions::default())
            .unwrap()
            .counts
    }

    /// A hash of every row of every table (except the ones each site keeps for itself).
    fn db_hash(&self) -> String {
        let conn = self.desk.conn();
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        table_hash(conn, &tables)
    }

    /// A hash of the rows of `table` that originated at the sites `origins` (by code).
    fn content(&self, table: &str, origins: &[&str]) -> (i64, String) {
        let conn = self.desk.conn();
        let ids: Vec<String> = origins
            .iter()
            .map(|c| {
                conn.query_row("SELECT id FROM sites WHERE code = ?1", [c], |r| r.get(0))
                    .unwrap()
            })
            .collect();
        let list = ids
            .iter()
            .map(|i| format!("'{i}'"))
            .collect::<Vec<_>>()
            .join(",");
        let filter = match table {
            "work_order_events" => {
                format!("work_order_id IN (SELECT id FROM work_orders WHERE site_id IN ({list}))")
            }
            "complaint_events" => {
                format!("complaint_id IN (SELECT id FROM complaints WHERE site_id IN ({list}))")
            }
            _ => format!("site_id IN ({list})"),
        };
        let cols: Vec<String> = conn
            .prepare(&format!("PRAGMA table_info({table})"))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(1))
            .unwrap()
            .map(|c| c.unwrap())
            .filter(|c| c != "seq")
            .collect();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {} FROM {table} WHERE {filter} ORDER BY id",
                cols.join(", ")
            ))
            .unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        let mut h = Sha256::new();
        let mut count = 0;
        while let Some(r) = rows.next().unwrap() {
            count += 1;
            for i in 0..n {
                h.update(format!("{:?}", r.get_ref(i).unwrap()).as_bytes());
            }
        }
        (count, format!("{:x}", h.finalize()))
    }
}

/// Every row of `tables`, sorted (some tables have no rowid), hashed.
fn table_hash(conn: &rusqlite::Connection, tables: &[String]) -> String {
    let mut h = Sha256::new();
    for t in tables {
        h.update(t.as_bytes());
        let mut stmt = conn.prepare(&format!("SELECT * FROM {t}")).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        let mut all = Vec::new();
        while let Some(r) = rows.next().unwrap() {
            all.push(
                (0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"),
            );
        }
        all.sort();
        for row in all {
            h.update(row.as_bytes());
        }
    }
    format!("{:x}", h.finalize())
}

fn rand_suffix() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

fn model_id(s: &SiteEnv) -> String {
    catalog::list(&s.desk).unwrap()[0].id.clone()
}

/// Customers with a unit, a repair call each, and a complaint.
fn activity(s: &mut SiteEnv, n: usize) {
    let model = model_id(s);
    for i in 0..n {
        let c = customers::create(
            &mut s.desk,
            CustomerInput {
                kind: CustomerKind::Person,
                name: format!("{}顾客{i}", s.code),
                note: String::new(),
                contacts: vec![ContactInput {
                    id: None,
                    name: format!("联系人{i}"),
                    phone: format!("1390000{:04}", i + if s.code == "A01" { 0 } else { 5000 }),
                    title: String::new(),
                }],
                addresses: vec![AddressInput {
                    id: None,
                    province: "上海市".into(),
                    city: "上海市".into(),
                    district: "浦东新区".into(),
                    detail: format!("张杨路{i}号"),
                }],
            },
        )
        .unwrap();
        let u = units::create(
            &mut s.desk,
            &c.customer.id,
            UnitInput {
                model_id: model.clone(),
                serial: format!("{}SN{i:05}", s.code),
                purchase_date: Some("2026-01-05".into()),
                seller: "苏宁".into(),
                install_date: None,
                address_id: None,
                note: String::new(),
            },
        )
        .unwrap();
        wo::intake(
            &mut s.desk,
            IntakeInput {
                kind: Kind::Repair,
                channel: Channel::Phone,
                customer_id: Some(c.customer.id.clone()),
                new_customer: None,
                contact_id: None,
                unit_id: Some(u.unit.id.clone()),
                new_unit: None,
                caller_phone: String::new(),
                description: "空调不制冷".into(),
            },
        )
        .unwrap();
        cp::register(
            &mut s.desk,
            RegisterInput {
                kind: ComplaintKind::Service,
                level: 2,
                channel: Channel::Phone,
                customer_id: Some(c.customer.id),
                new_customer: None,
                unit_id: None,
                work_order_id: None,
                complainant: format!("联系人{i}"),
                phone: String::new(),
                object: String::new(),
                content: "上门迟到".into(),
                demand: String::new(),
            },
        )
        .unwrap();
    }
}

const SHARED: &[&str] = &[
    "customers",
    "contacts",
    "addresses",
    "units",
    "work_orders",
    "work_order_events",
    "documents",
    "complaints",
    "complaint_events",
];

#[test]
fn three_tiers_exchange_records_up_and_policy_down() {
    let out = tempfile::tempdir().unwrap();
    let mut hq = site_env("HQ", Tier::Hq);
    let mut centre = site_env("C01", Tier::Centre);
    let mut a = site_env("A01", Tier::Outlet);
    let mut b = site_env("B01", Tier::Outlet);
    hq.peer("C01", "below");
    centre.peer("HQ", "above");
    centre.peer("A01", "below");
    centre.peer("B01", "below");
    a.peer("C01", "above");
    b.peer("C01", "above");

    // Policy down: HQ's catalog and SLA limits reach the outlets through the centre.
    catalog::create(
        &mut hq.desk,
        ProductModelInput {
            brand: "海尔".into(),
            model: "KFR-35GW".into(),
            category: "空调".into(),
        },
    )
    .unwrap();
    let p = sla::policies(&hq.desk).unwrap();
    sla::update_policy(
        &mut hq.desk,
        1,
        p[0].rev,
        SlaPolicyInput {
            accept_hours: 8,
            respond_hours: 16,
            close_days: 2,
            at_risk_percent: 75,
        },
    )
    .unwrap();
    // HQ's service terms (三包: warranty, return and exchange days) become everyone's.
    let terms = site::get_policy(&hq.desk).unwrap();
    site::update_policy(
        &mut hq.desk,
        terms.rev,
        site::PolicyInput {
            warranty_months: 36,
            return_days: 7,
            exchange_days: 15,
        },
    )
    .unwrap();
    let policy = hq.export(BundleKind::Policy, "C01", out.path());
    let got = centre.import(&policy);
    assert!(got.get("inserted").copied().unwrap_or(0) >= 1, "{got:?}");
    assert_eq!(got.get("policies.updated"), Some(&1), "{got:?}");
    assert_eq!(
        got.get("product_models.inserted"),
        Some(&1),
        "what changed is recorded per table: {got:?}"
    );
    let policy2 = centre.export(BundleKind::Policy, "A01", out.path());
    a.import(&policy2);
    b.import(&policy2);
    let adopted = site::get_policy(&b.desk).unwrap();
    assert_eq!(
        (
            adopted.warranty_months,
            adopted.return_days,
            adopted.exchange_days
        ),
        (36, 7, 15)
    );
    let policy_id: String = b
        .desk
        .conn()
        .query_row(
            "SELECT p.id FROM policies p JOIN sites s ON s.id = p.site_id WHERE s.code = 'B01'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let changes = desk_core::audit::history(b.desk.conn(), "policies", &policy_id).unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c.action == "update" && c.data.contains("36")),
        "adopting HQ's terms is in the change log: {changes:?}"
    );
    // The same policy bundle again changes nothing.
    let again = b.import(&policy2);
    assert_eq!(again.get("alreadyImported"), Some(&1), "{again:?}");
    assert_eq!(
        model_id(&a),
        model_id(&hq),
        "the outlets use HQ's catalog records"
    );
    assert_eq!(sla::policies(&b.desk).unwrap()[0].accept_hours, 8);

    // Records up: outlets → centre → HQ. An outlet's own calendar entry stays at the outlet:
    // site rules only travel down.
    desk_core::calendar::import(&mut a.desk, "2026-12-31,休,网点自定").unwrap();
    activity(&mut a, 5);
    activity(&mut b, 3);
    let fa = a.export(BundleKind::Data, "C01", out.path());
    let fb = b.export(BundleKind::Data, "C01", out.path());
    centre.import(&fa);
    centre.import(&fb);
    let fc = centre.export(BundleKind::Data, "HQ", out.path());
    hq.import(&fc);
    assert!(
        desk_core::calendar::year(&centre.desk, 2026)
            .unwrap()
            .days
            .is_empty(),
        "a data bundle never carries the outlet's calendar up"
    );
    for table in SHARED {
        let (na, ha) = a.content(table, &["A01"]);
        let (nb, hb) = b.content(table, &["B01"]);
        assert!(na > 0 && nb > 0, "{table} has records at both outlets");
        assert_eq!(
            centre.content(table, &["A01"]),
            (na, ha.clone()),
            "{table} from A01 at the centre"
        );
        assert_eq!(
            hq.content(table, &["A01"]),
            (na, ha),
            "{table} from A01 at HQ"
        );
        assert_eq!(
            hq.content(table, &["B01"]),
            (nb, hb),
            "{table} from B01 at HQ"
        );
    }
    // Imported customers are found by search at HQ, and outlets' staff cannot sign in there.
    let hits = desk_core::search::search(&hq.desk, "A01顾客3", 0, 10).unwrap();
    assert!(!hits.hits.is_empty(), "imported customers are indexed");
    let active: i64 = hq
        .desk
        .conn()
        .query_row(
            "SELECT count(*) FROM users WHERE username LIKE 'A01.%' AND active = 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(active, 1);

    // The same bundles again change nothing; neither does an overlapping full export.
    let before = (centre.db_hash_no_log(), hq.db_hash_no_log());
    let again = centre.import(&fa);
    assert_eq!(again.get("alreadyImported"), Some(&1));
    let full = out.path().join("a-full.zip");
    exchange::export(
        &mut a.desk,
        &ExportOptions {
            kind: BundleKind::Data,
            destination: String::new(),
            full: true,
        },
        &full,
    )
    .unwrap();
    let overlap = centre.import(&full);
    assert_eq!(overlap.get("inserted"), None, "{overlap:?}");
    assert_eq!(overlap.get("updated"), None, "{overlap:?}");
    hq.import(&fc);
    assert_eq!(
        (centre.db_hash_no_log(), hq.db_hash_no_log()),
        before,
        "re-imports change no record"
    );

    // An incremental export after that sends only what changed since.
    let quiet = a.export(BundleKind::Data, "C01", out.path());
    let counts = exchange::history(&a.desk, 1).unwrap()[0].counts.clone();
    assert!(
        counts.is_empty(),
        "nothing changed at A01 since its last export: {counts:?}"
    );
    centre.import(&quiet);

    // A customer changed at the centre and at the outlet: a conflict, the outlet's version stands.
    let cust_id: String = a
        .desk
        .conn()
        .query_row(
            "SELECT id FROM customers WHERE name = 'A01顾客0'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let edit = |s: &mut SiteEnv, name: &str| {
        let d = customers::get(&s.desk, &cust_id).unwrap();
        customers::update(
            &mut s.desk,
            &cust_id,
            d.customer.rev,
            CustomerInput {
                kind: CustomerKind::Person,
                name: name.into(),
                note: String::new(),
                contacts: d
                    .contacts
                    .iter()
                    .map(|c| ContactInput {
                        id: Some(c.id.clone()),
                        name: c.name.clone(),
                        phone: c.phone.clone(),
                        title: c.title.clone(),
                    })
                    .collect(),
                addresses: vec![],
            },
        )
        .unwrap();
    };
    edit(&mut centre, "A01顾客0（中心改）");
    edit(&mut a, "A01顾客0（网点改）");
    let fa2 = a.export(BundleKind::Data, "C01", out.path());
    let got = centre.import(&fa2);
    assert_eq!(got.get("conflicts"), Some(&1), "{got:?}");
    assert_eq!(
        got.get("customers.conflicts"),
        Some(&1),
        "counted per table: {got:?}"
    );
    let conflicts = exchange::conflicts(&centre.desk, true).unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].table_name, "customers");
    assert_eq!(
        conflicts[0].origin_code, "A01",
        "the origin site by its code"
    );
    assert_eq!(conflicts[0].from_site, "A01");
    let names: Vec<&String> = conflicts[0].names.values().collect();
    assert!(
        names.contains(&&"C01 管理员".to_owned()) && names.contains(&&"A01 管理员".to_owned()),
        "who changed each version, by name: {names:?}"
    );
    assert_eq!(
        conflicts[0].kept, "incoming",
        "the origin site's version stands"
    );
    assert_eq!(conflicts[0].local_data["name"], "A01顾客0（中心改）");
    let name: String = centre
        .desk
        .conn()
        .query_row(
            "SELECT name FROM customers WHERE id = ?1",
            [&cust_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(name, "A01顾客0（网点改）");
    // The address removed at the outlet is gone at the centre too.
    let addresses: i64 = centre
        .desk
        .conn()
        .query_row(
            "SELECT count(*) FROM addresses WHERE customer_id = ?1",
            [&cust_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(addresses, 0);
    // A person decides for the centre's version.
    let c = exchange::resolve_conflict(&mut centre.desk, &conflicts[0].id, "local").unwrap();
    assert_eq!(c.resolution.as_deref(), Some("local"));
    assert_eq!(c.kept, "local", "the version standing now");
    let name: String = centre
        .desk
        .conn()
        .query_row(
            "SELECT name FROM customers WHERE id = ?1",
            [&cust_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(name, "A01顾客0（中心改）");
    assert!(exchange::conflicts(&centre.desk, true).unwrap().is_empty());
    // The search finds the customer under the name that stands.
    let hits = desk_core::search::search(&centre.desk, "中心改", 0, 10).unwrap();
    assert_eq!(hits.hits.len(), 1, "{:?}", hits.hits);
}

/// An outlet A01 with a product model of its own, and its centre C01 that knows it.
fn outlet_and_centre() -> (TempDir, SiteEnv, SiteEnv) {
    let a = {
        let mut a = site_env("A01", Tier::Outlet);
        catalog::create(
            &mut a.desk,
            ProductModelInput {
                brand: "海尔".into(),
                model: "KFR-35GW".into(),
                category: "空调".into(),
            },
        )
        .unwrap();
        a
    };
    let mut centre = site_env("C01", Tier::Centre);
    centre.peer("A01", "below");
    (tempfile::tempdir().unwrap(), a, centre)
}

/// An export and an import say where they are: stages in order, rows counted up to the total.
#[test]
fn export_and_import_report_their_progress() {
    let (out, mut a, mut centre) = outlet_and_centre();
    activity(&mut a, 2);
    let path = out.path().join("a.zip");
    let mut seen = Vec::new();
    exchange::export_reporting(
        &mut a.desk,
        &ExportOptions {
            kind: BundleKind::Data,
            destination: "C01".into(),
            full: false,
        },
        &path,
        &mut |p| seen.push(p.clone()),
    )
    .unwrap();
    use exchange::Stage;
    assert_eq!(seen.first().map(|p| p.stage), Some(Stage::Collect));
    assert_eq!(seen.last().map(|p| p.stage), Some(Stage::Write));
    assert!(seen.iter().any(|p| p.table == "work_orders"));

    let mut seen = Vec::new();
    let summary = exchange::import_reporting(
        &mut centre.desk,
        &path,
        &ImportOptions::default(),
        &mut |p| seen.push(p.clone()),
    )
    .unwrap();
    let stages: Vec<Stage> = seen.iter().map(|p| p.stage).collect();
    assert_eq!(stages[..2], [Stage::Verify, Stage::Parse]);
    assert_eq!(stages.last(), Some(&Stage::Commit));
    let rows: i64 = summary
        .counts
        .iter()
        .filter(|(k, _)| {
            ["inserted", "updated", "unchanged", "appended", "conflicts"].contains(&k.as_str())
        })
        .map(|(_, n)| n)
        .sum();
    let last = seen.last().unwrap();
    assert!(
        last.total >= rows && last.done == last.total,
        "{last:?} {rows}"
    );
    let applied: Vec<&exchange::Progress> =
        seen.iter().filter(|p| p.stage == Stage::Apply).collect();
    assert!(applied.windows(2).all(|w| w[0].done <= w[1].done));
    assert!(applied.iter().any(|p| p.table == "customers"));
}

/// An import lists its customers for the search instead of indexing them inside its
/// transaction; `after_import` builds their entries in batches, a search never misses one,
/// and a stop between the commit and the indexing loses nothing.
#[test]
fn imported_customers_are_indexed_after_the_commit_and_across_a_restart() {
    let (out, mut a, mut centre) = outlet_and_centre();
    activity(&mut a, 3);
    let bundle = a.export(BundleKind::Data, "C01", out.path());
    let got = centre.import(&bundle);
    assert_eq!(got.get("customers.inserted"), Some(&3), "{got:?}");
    assert_eq!(
        got.get("contacts.inserted"),
        Some(&3),
        "rows owned by a record are counted too: {got:?}"
    );
    let count =
        |s: &SiteEnv, sql: &str| -> i64 { s.desk.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    let indexed = "SELECT count(*) FROM customer_fts WHERE name LIKE 'A01%'";
    assert_eq!(count(&centre, "SELECT count(*) FROM search_pending"), 3);
    assert_eq!(
        count(&centre, indexed),
        0,
        "not inside the import's transaction"
    );
    // In batches: two, then the last one.
    assert_eq!(exchange::after_import(&centre.desk, 2).unwrap(), 1);
    assert_eq!(exchange::after_import(&centre.desk, 2).unwrap(), 0);
    assert_eq!(count(&centre, indexed), 3);
    let phone_tail = desk_core::search::search(&centre.desk, "0002", 0, 10).unwrap();
    assert_eq!(phone_tail.hits.len(), 1, "found by the phone's last digits");
    let serial = desk_core::search::search(&centre.desk, "A01SN00001", 0, 10).unwrap();
    assert_eq!(serial.hits.len(), 1, "found by the imported unit's serial");

    // The app stops right after the next import's commit, before indexing anything.
    for i in 3..5 {
        customers::create(
            &mut a.desk,
            CustomerInput {
                kind: CustomerKind::Person,
                name: format!("A01顾客{i}"),
                note: String::new(),
                contacts: vec![ContactInput {
                    id: None,
                    name: String::new(),
                    phone: format!("1380000{i:04}"),
                    title: String::new(),
                }],
                addresses: vec![],
            },
        )
        .unwrap();
    }
    let bundle = a.export(BundleKind::Data, "C01", out.path());
    centre.import(&bundle);
    assert_eq!(count(&centre, "SELECT count(*) FROM search_pending"), 2);
    let path = centre.desk.path().to_owned();
    drop(std::mem::replace(
        &mut centre.desk,
        Desk::open_with_clock(&path, Arc::new(FixedClock::new(noon()))).unwrap(),
    ));
    desk_core::users::sign_in(&mut centre.desk, "admin", "correct horse").unwrap();
    assert_eq!(count(&centre, "SELECT count(*) FROM search_pending"), 2);
    let hits = desk_core::search::search(&centre.desk, "A01顾客4", 0, 10).unwrap();
    assert_eq!(hits.hits.len(), 1, "the search builds what is listed first");
    assert_eq!(count(&centre, "SELECT count(*) FROM search_pending"), 0);
    assert_eq!(count(&centre, indexed), 5);
}

impl SiteEnv {
    /// Like [`SiteEnv::db_hash`] without the log tables an import appends to.
    fn db_hash_no_log(&self) -> String {
        let conn = self.desk.conn();
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('exchange_log', 'change_log') ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        table_hash(conn, &tables)
    }
}

// ---------------------------------------------------------------- hostile bundles

/// A zip with these entries, written as given.
/// [`zip_of`] the owned entries of a bundle, deflated.
fn zip_entries(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let e: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    zip_of(&e, true)
}

fn zip_of(entries: &[(&str, &[u8])], deflate: bool) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(if deflate {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        });
        for (name, bytes) in entries {
            z.start_file(*name, opts).unwrap();
            z.write_all(bytes).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

/// The entries of a valid bundle from an outlet with a little data.
fn valid_bundle() -> (SiteEnv, Vec<(String, Vec<u8>)>) {
    let mut a = site_env("A01", Tier::Outlet);
    catalog::create(
        &mut a.desk,
        ProductModelInput {
            brand: "美的".into(),
            model: "KFR-26GW".into(),
            category: "空调".into(),
        },
    )
    .unwrap();
    activity(&mut a, 2);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.zip");
    exchange::export(
        &mut a.desk,
        &ExportOptions {
            kind: BundleKind::Data,
            destination: "C01".into(),
            full: false,
        },
        &path,
    )
    .unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut entries = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut v).unwrap();
        entries.push((name, v));
    }
    (a, entries)
}

/// Rebuilds a bundle from entries with a freshly computed manifest checksum (as a forger
/// who knows the format would).
fn rebuild(entries: &[(String, Vec<u8>)], edit: impl Fn(&mut Manifest)) -> Vec<u8> {
    let mut manifest: Manifest = serde_json::from_slice(
        &entries
            .iter()
            .find(|(n, _)| n == "manifest.json")
            .unwrap()
            .1,
    )
    .unwrap();
    edit(&mut manifest);
    let json = serde_json::to_vec_pretty(&manifest).unwrap();
    let sum = format!("{:x}", Sha256::digest(&json));
    let mut list: Vec<(&str, &[u8])> = entries
        .iter()
        .filter(|(n, _)| n != "manifest.json" && n != "manifest.sha256")
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    list.push(("manifest.json", &json));
    list.push(("manifest.sha256", sum.as_bytes()));
    zip_of(&list, true)
}

fn digest_of(name: &str, bytes: &[u8]) -> bundle::EntryDigest {
    bundle::EntryDigest {
        name: name.into(),
        size: bytes.len() as u64,
        sha256: format!("{:x}", Sha256::digest(bytes)),
    }
}

/// Tables applied late in an import (the last of `TABLES` that a data bundle carries).
const TABLE_ORDER_LAST: &[&str] = &["complaint_events", "documents", "work_order_events"];

#[test]
fn hostile_and_broken_bundles_are_refused_before_anything_is_touched() {
    let (_a, entries) = valid_bundle();
    let mut centre = site_env("C01", Tier::Centre);
    centre.peer("A01", "below");
    let before = centre.db_hash();
    let table_entry = entries
        .iter()
        .find(|(n, _)| n.starts_with("tables/customers"))
        .unwrap()
        .clone();

    let mut cases: Vec<(&str, Vec<u8>, Rule)> = Vec::new();
    // Path traversal, absolute and backslash names.
    for evil in [
        "../../etc/passwd",
        "/abs/path",
        "files\\x",
        "tables/../x.jsonl",
    ] {
        let mut e = entries.clone();
        e.push((evil.to_owned(), b"x".to_vec()));
        cases.push(("traversal", zip_entries(&e), Rule::UnsupportedFile));
    }
    // A symbolic link.
    {
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            for (n, b) in &entries {
                z.start_file(n.as_str(), zip::write::SimpleFileOptions::default())
                    .unwrap();
                z.write_all(b).unwrap();
            }
            z.add_symlink(
                "files/link",
                "/etc/passwd",
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
            z.finish().unwrap();
        }
        cases.push(("symlink", buf.into_inner(), Rule::UnsupportedFile));
    }
    // A compression bomb: 64 MB of zeros in a few kilobytes.
    {
        let zeros = vec![0u8; 64 * 1024 * 1024];
        let mut e = entries.clone();
        e.push(("files/documents/bomb.pdf".into(), zeros));
        cases.push(("bomb", zip_entries(&e), Rule::TooLarge));
    }
    // Two entries with the same name (a name patched in place).
    {
        let mut e: Vec<(String, Vec<u8>)> = entries.clone();
        e.push(("tables/customerz.jsonl".into(), b"{}".to_vec()));
        let mut bytes = zip_entries(&e);
        let (from, to) = (b"tables/customerz.jsonl", b"tables/customers.jsonl");
        let mut i = 0;
        while i + from.len() <= bytes.len() {
            if &bytes[i..i + from.len()] == from {
                bytes[i..i + from.len()].copy_from_slice(to);
            }
            i += 1;
        }
        cases.push(("duplicate", bytes, Rule::Duplicate));
    }
    // A tampered row with the manifest left as it was.
    {
        let mut e = entries.clone();
        let t = e
            .iter_mut()
            .find(|(n, _)| n.starts_with("tables/customers"))
            .unwrap();
        t.1 = String::from_utf8(t.1.clone())
            .unwrap()
            .replacen("顾客", "客户", 1)
            .into_bytes();
        cases.push(("tampered row", zip_entries(&e), Rule::ChecksumMismatch));
    }
    // A tampered manifest (its checksum left as it was).
    {
        let mut e = entries.clone();
        let m = e.iter_mut().find(|(n, _)| n == "manifest.json").unwrap();
        m.1 = String::from_utf8(m.1.clone())
            .unwrap()
            .replacen("A01", "X01", 1)
            .into_bytes();
        cases.push(("tampered manifest", zip_entries(&e), Rule::ChecksumMismatch));
    }
    // A malformed JSON line, consistently checksummed.
    {
        let bad_line = b"{\"id\": \"x\", \"name\": \n".to_vec();
        let mut e = entries.clone();
        let name = table_entry.0.clone();
        e.iter_mut().find(|(n, _)| *n == name).unwrap().1 = bad_line.clone();
        let bytes = rebuild(&e, |m| {
            for d in m.entries.iter_mut().filter(|d| d.name == name) {
                *d = digest_of(&name, &bad_line);
            }
        });
        cases.push(("malformed json", bytes, Rule::UnreadableFile));
    }
    // The same in the last table applied: every table before it was written already, inside
    // the import's transaction, and is rolled back with it.
    {
        let last = TABLE_ORDER_LAST
            .iter()
            .map(|t| format!("tables/{t}.jsonl"))
            .find(|n| entries.iter().any(|(e, _)| e == n))
            .expect("a table applied late");
        let mut e = entries.clone();
        let entry = &mut e.iter_mut().find(|(n, _)| *n == last).unwrap().1;
        entry.extend_from_slice(b"{\"id\": \"late\", oops}\n");
        let late = entry.clone();
        let bytes = rebuild(&e, |m| {
            for d in m.entries.iter_mut().filter(|d| d.name == last) {
                *d = digest_of(&last, &late);
            }
            let table = last["tables/".len()..last.len() - ".jsonl".len()].to_owned();
            *m.counts.get_mut(&table).unwrap() += 1;
        });
        cases.push(("malformed json, last table", bytes, Rule::UnreadableFile));
    }
    // An unknown format version.
    cases.push((
        "version",
        rebuild(&entries, |m| m.format_version = 99),
        Rule::UnsupportedVersion,
    ));
    // An entry not in the manifest.
    {
        let mut e = entries.clone();
        e.push(("files/extra.bin".into(), b"extra".to_vec()));
        cases.push(("unlisted", rebuild(&e, |_| {}), Rule::UnsupportedFile));
    }
    // Not a zip at all, and a truncated one.
    cases.push((
        "garbage",
        b"PK\x03\x04 this is not really a zip".to_vec(),
        Rule::UnreadableFile,
    ));
    let good = rebuild(&entries, |_| {});
    cases.push((
        "truncated",
        good[..good.len() / 2].to_vec(),
        Rule::UnreadableFile,
    ));

    for (what, bytes, rule) in cases {
        match exchange::import_bytes(&mut centre.desk, &bytes, "x.zip", &ImportOptions::default()) {
            Err(Error::Validation(issues)) => {
                assert_eq!(issues[0].rule, rule, "{what}: {issues:?}")
            }
            other => panic!("{what}: expected a refusal, got {other:?}"),
        }
        assert_eq!(
            centre.db_hash(),
            before,
            "{what}: the database is unchanged"
        );
    }

    // A site outside the network is refused unless allowed; one's own bundle always.
    let mut hq = site_env("HQ", Tier::Hq);
    let hq_before = hq.db_hash();
    match exchange::import_bytes(&mut hq.desk, &good, "a.zip", &ImportOptions::default()) {
        Err(Error::Validation(issues)) => assert_eq!(issues[0].rule, Rule::SiteNotInNetwork),
        other => panic!("expected site_not_in_network, got {other:?}"),
    }
    assert_eq!(hq.db_hash(), hq_before);
    let ok = exchange::import_bytes(
        &mut hq.desk,
        &good,
        "a.zip",
        &ImportOptions {
            allow_unknown_site: true,
        },
    )
    .unwrap();
    assert!(ok.counts.get("inserted").copied().unwrap_or(0) > 0);
    // The well-formed one applies at the centre too.
    exchange::import_bytes(&mut centre.desk, &good, "a.zip", &ImportOptions::default()).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Arbitrary bytes never panic the reader.
    #[test]
    fn arbitrary_bytes_never_panic_the_reader(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = bundle::read(&bytes);
    }

    /// Nor does a valid bundle with bytes flipped anywhere: it is refused or, if the flip hit
    /// nothing that matters (zip padding), read whole.
    #[test]
    fn a_damaged_bundle_never_panics_the_reader(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let bytes = VALID.with(|v| v.clone());
        let mut b = bytes.clone();
        for (i, x) in flips {
            let at = i.index(b.len());
            b[at] ^= x | 1;
        }
        let _ = bundle::read(&b);
    }
}

thread_local! {
    static VALID: Vec<u8> = {
        let (_a, entries) = valid_bundle();
        rebuild(&entries, |_| {})
    };
}
