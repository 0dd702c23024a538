//! The site this database belongs to (profile, tier, time zone), first-run setup, the site's
//! service policy (warranty and return/exchange terms) and device-local preferences.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, Action};
use crate::error::{Error, Result, Rule};
use crate::users::{self, NewUser, Permission, Role, User};
use crate::validate::{Issues, PhoneKinds};
use crate::{new_id, stale_or_missing, Actor, Ctx, Desk};

pub const DEFAULT_TIME_ZONE: Tz = chrono_tz::Asia::Shanghai;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Tier {
    Hq,
    Centre,
    Outlet,
}

impl Tier {
    fn as_str(self) -> &'static str {
        match self {
            Tier::Hq => "hq",
            Tier::Centre => "centre",
            Tier::Outlet => "outlet",
        }
    }
    fn parse(s: &str) -> Tier {
        match s {
            "hq" => Tier::Hq,
            "centre" => Tier::Centre,
            _ => Tier::Outlet,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Site {
    pub id: String,
    pub code: String,
    pub name: String,
    pub tier: Tier,
    pub time_zone: String,
    pub hotline: String,
    pub rev: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SiteInput {
    pub code: String,
    pub name: String,
    pub tier: Tier,
    pub time_zone: String,
    pub hotline: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SetupInput {
    pub site: SiteInput,
    /// Its role is ignored: the first account is always an administrator.
    pub admin: NewUser,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Language {
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "zh-TW")]
    ZhTw,
    #[serde(rename = "en")]
    En,
}

impl Language {
    fn as_str(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::ZhTw => "zh-TW",
            Language::En => "en",
        }
    }
    fn parse(s: &str) -> Language {
        match s {
            "zh-TW" => Language::ZhTw,
            "en" => Language::En,
            _ => Language::ZhCn,
        }
    }
}

/// The site's service commitments. Defaults from the domain: 2-year warranty, 15-day return,
/// 30-day exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Policy {
    pub warranty_months: i64,
    pub return_days: i64,
    pub exchange_days: i64,
    pub rev: i64,
    pub updated_at: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PolicyInput {
    pub warranty_months: i64,
    pub return_days: i64,
    pub exchange_days: i64,
}

pub const DEFAULT_POLICY: PolicyInput = PolicyInput {
    warranty_months: 24,
    return_days: 15,
    exchange_days: 30,
};

/// Everything the UI needs to decide its first screen.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppStatus {
    pub set_up: bool,
    pub site: Option<Site>,
    pub user: Option<User>,
    pub language: Language,
    pub data_dir: String,
    pub customer_count: i64,
}

const SITE_COLUMNS: &str = "id, code, name, tier, time_zone, hotline, rev, created_at, updated_at";

fn site_from_row(r: &Row) -> rusqlite::Result<Site> {
    Ok(Site {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        tier: Tier::parse(&r.get::<_, String>(3)?),
        time_zone: r.get(4)?,
        hotline: r.get(5)?,
        rev: r.get(6)?,
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
    })
}

fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

fn put_setting(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// The site this database is (None before first-run setup).
pub fn get_local(conn: &Connection) -> Result<Option<Site>> {
    let Some(id) = setting(conn, "local_site_id")? else {
        return Ok(None);
    };
    Ok(conn
        .query_row(
            &format!("SELECT {SITE_COLUMNS} FROM sites WHERE id = ?1"),
            [id],
            site_from_row,
        )
        .optional()?)
}

/// A site whose records this database holds: itself, and every site whose records arrived
/// in an imported bundle (a centre's outlets; at HQ the centres and their outlets). What a
/// list's site filter offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KnownSite {
    pub id: String,
    pub code: String,
    pub name: String,
    pub tier: Tier,
    /// This database's own site.
    pub local: bool,
}

/// The sites known here, the local one first, then by code. Whoever may read the lists may
/// read which sites they come from.
pub fn list_sites(desk: &Desk) -> Result<Vec<KnownSite>> {
    desk.require(Permission::ViewArchive)?;
    let conn = desk.conn();
    let local = setting(conn, "local_site_id")?.unwrap_or_default();
    let mut stmt = conn.prepare_cached(
        "SELECT id, code, name, tier, id = ?1 FROM sites ORDER BY id = ?1 DESC, code",
    )?;
    let sites = stmt
        .query_map([&local], |r| {
            Ok(KnownSite {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                tier: Tier::parse(&r.get::<_, String>(3)?),
                local: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(sites)
}

fn check_site(input: &SiteInput, prefix: &str) -> Result<(String, String, String)> {
    let mut issues = Issues::default();
    let f = |name: &str| format!("{prefix}{name}");
    let code = issues.text(&f("code"), &input.code, true, 8).to_uppercase();
    if !code.is_empty() && (code.len() < 2 || !code.chars().all(|c| c.is_ascii_alphanumeric())) {
        issues.add(&f("code"), Rule::InvalidSiteCode);
    }
    let name = issues.text(&f("name"), &input.name, true, 60);
    if input.time_zone.trim().parse::<Tz>().is_err() {
        issues.add(&f("timeZone"), Rule::UnknownTimeZone);
    }
    let hotline = issues.phone(&f("hotline"), &input.hotline, PhoneKinds { service: true });
    issues.finish()?;
    Ok((code, name, hotline))
}

/// First run: creates the site, its default policy and the first administrator, and signs
/// the administrator in. Refused once the site exists.
pub fn setup(desk: &mut Desk, input: SetupInput) -> Result<AppStatus> {
    if get_local(desk.conn())?.is_some() {
        return Err(Error::AlreadySetUp);
    }
    let site_check = check_site(&input.site, "site.");
    let user_check = users::check_new(&input.admin, "admin.");
    let ((code, name, hotline), mut admin) = match (site_check, user_check) {
        (Ok(s), Ok(u)) => (s, u),
        (s, u) => {
            let mut all = Vec::new();
            for e in [s.err(), u.err()].into_iter().flatten() {
                match e {
                    Error::Validation(list) => all.extend(list),
                    other => return Err(other),
                }
            }
            return Err(Error::Validation(all));
        }
    };
    // The first account is always an administrator, whatever the form said.
    admin.role = Role::Admin;
    let site_id = new_id();
    let admin_id = new_id();
    let tz = input.site.time_zone.trim().to_owned();
    let user = desk.write_unauthenticated(|tx, now: DateTime<Utc>| {
        let actor = Actor { user_id: admin_id.clone(), role: Role::Admin, site_id: site_id.clone() };
        let today = now.with_timezone(&tz.parse::<Tz>().unwrap_or(DEFAULT_TIME_ZONE)).date_naive();
        let ctx = Ctx {
            actor,
            now,
            today,
            tz: DEFAULT_TIME_ZONE,
        };
        let at = ctx.now_text();
        tx.execute(
            "INSERT INTO sites (id, site_id, code, name, tier, time_zone, hotline, created_at, updated_at, created_by, updated_by)
                 VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?8)",
            params![site_id, code, name, input.site.tier.as_str(), tz, hotline, at, admin_id],
        )?;
        put_setting(tx, "local_site_id", &site_id)?;
        let site = tx.query_row(&format!("SELECT {SITE_COLUMNS} FROM sites WHERE id = ?1"), [&site_id], site_from_row)?;
        audit::record(tx, &ctx, "sites", &site_id, Action::Insert, &site)?;
        insert_policy(tx, &ctx, &DEFAULT_POLICY)?;
        users::insert(tx, &ctx, &admin_id, &admin)
    })?;
    desk.refresh_site()?;
    desk.set_session(Some(Actor {
        user_id: user.id.clone(),
        role: Role::Admin,
        site_id: user.site_id.clone(),
    }));
    status(desk)
}

pub fn status(desk: &Desk) -> Result<AppStatus> {
    let conn = desk.conn();
    let site = get_local(conn)?;
    Ok(AppStatus {
        set_up: site.is_some(),
        site,
        user: users::current(desk)?,
        language: setting(conn, "language")?
            .map(|s| Language::parse(&s))
            .unwrap_or(Language::ZhCn),
        data_dir: desk
            .path()
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        customer_count: conn.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?,
    })
}

/// The UI language is a preference of this device, remembered across restarts; no sign-in needed.
pub fn set_language(desk: &mut Desk, language: Language) -> Result<AppStatus> {
    put_setting(desk.conn(), "language", language.as_str())?;
    status(desk)
}

pub fn update_site(desk: &mut Desk, rev: i64, input: SiteInput) -> Result<Site> {
    desk.require(Permission::ManageSite)?;
    let (code, name, hotline) = check_site(&input, "")?;
    let site = desk.write(Permission::ManageSite, |tx, ctx| {
        let id = ctx.actor.site_id.clone();
        let n = tx.execute(
            "UPDATE sites SET code = ?1, name = ?2, tier = ?3, time_zone = ?4, hotline = ?5,
                              updated_at = ?6, updated_by = ?7, rev = rev + 1
             WHERE id = ?8 AND rev = ?9",
            params![
                code,
                name,
                input.tier.as_str(),
                input.time_zone.trim(),
                hotline,
                ctx.now_text(),
                ctx.actor.user_id,
                id,
                rev
            ],
        )?;
        if n == 0 {
            return Err(stale_or_missing(tx, "sites", "site", &id, rev));
        }
        let site = tx.query_row(
            &format!("SELECT {SITE_COLUMNS} FROM sites WHERE id = ?1"),
            [&id],
            site_from_row,
        )?;
        audit::record(tx, ctx, "sites", &id, Action::Update, &site)?;
        Ok(site)
    })?;
    desk.refresh_site()?;
    Ok(site)
}

fn check_policy(input: &PolicyInput) -> Result<()> {
    let mut issues = Issues::default();
    issues.range("warrantyMonths", input.warranty_months, 0, 120);
    issues.range("returnDays", input.return_days, 0, 90);
    issues.range("exchangeDays", input.exchange_days, 0, 365);
    issues.finish()
}

fn insert_policy(tx: &Connection, ctx: &Ctx, p: &PolicyInput) -> Result<()> {
    let id = new_id();
    let at = ctx.now_text();
    tx.execute(
        "INSERT INTO policies (id, site_id, warranty_months, return_days, exchange_days, created_at, updated_at, created_by, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?7)",
        params![id, ctx.actor.site_id, p.warranty_months, p.return_days, p.exchange_days, at, ctx.actor.user_id],
    )?;
    audit::record(
        tx,
        ctx,
        "policies",
        &id,
        Action::Insert,
        &policy_in(tx, &ctx.actor.site_id)?,
    )?;
    Ok(())
}

fn policy_in(conn: &Connection, site_id: &str) -> Result<Policy> {
    conn.query_row(
        "SELECT warranty_months, return_days, exchange_days, rev, updated_at FROM policies WHERE site_id = ?1",
        [site_id],
        |r| Ok(Policy { warranty_months: r.get(0)?, return_days: r.get(1)?, exchange_days: r.get(2)?, rev: r.get(3)?, updated_at: r.get(4)? }),
    )
    .optional()?
    .ok_or(Error::NotSetUp)
}

/// The local site's policy.
pub fn get_policy(desk: &Desk) -> Result<Policy> {
    let site = get_local(desk.conn())?.ok_or(Error::NotSetUp)?;
    policy_in(desk.conn(), &site.id)
}

pub(crate) fn policy_for_site(conn: &Connection, site_id: &str) -> Result<Policy> {
    policy_in(conn, site_id)
}

pub fn update_policy(desk: &mut Desk, rev: i64, input: PolicyInput) -> Result<Policy> {
    desk.require(Permission::ManagePolicy)?;
    check_policy(&input)?;
    desk.write(Permission::ManagePolicy, |tx, ctx| {
        let n = tx.execute(
            "UPDATE policies SET warranty_months = ?1, return_days = ?2, exchange_days = ?3,
                                 updated_at = ?4, updated_by = ?5, rev = rev + 1
             WHERE site_id = ?6 AND rev = ?7",
            params![
                input.warranty_months,
                input.return_days,
                input.exchange_days,
                ctx.now_text(),
                ctx.actor.user_id,
                ctx.actor.site_id,
                rev
            ],
        )?;
        if n == 0 {
            policy_in(tx, &ctx.actor.site_id)?;
            return Err(Error::Conflict {
                entity: "policy",
                id: ctx.actor.site_id.clone(),
                expected: rev,
            });
        }
        let policy = policy_in(tx, &ctx.actor.site_id)?;
        let id: String = tx.query_row(
            "SELECT id FROM policies WHERE site_id = ?1",
            [&ctx.actor.site_id],
            |r| r.get(0),
        )?;
        audit::record(tx, ctx, "policies", &id, Action::Update, &policy)?;
        Ok(policy)
    })
}
