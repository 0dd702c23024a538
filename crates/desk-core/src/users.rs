//! Staff accounts, roles and what each role may do. Passwords are hashed with argon2id.
//! Role checks live here and nowhere else: the UI only hides what the core would refuse.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::audit::{self, Action};
use crate::error::{Error, Result, Rule};
use crate::validate::Issues;
use crate::{new_id, stale_or_missing, Actor, Ctx, Desk};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Role {
    FrontDesk,
    Dispatcher,
    Technician,
    WarehouseKeeper,
    Cashier,
    ReturnVisitOfficer,
    Supervisor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::FrontDesk,
        Role::Dispatcher,
        Role::Technician,
        Role::WarehouseKeeper,
        Role::Cashier,
        Role::ReturnVisitOfficer,
        Role::Supervisor,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::FrontDesk => "front_desk",
            Role::Dispatcher => "dispatcher",
            Role::Technician => "technician",
            Role::WarehouseKeeper => "warehouse_keeper",
            Role::Cashier => "cashier",
            Role::ReturnVisitOfficer => "return_visit_officer",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The permission table. Everyone signed in may read the archive (a technician needs the
    /// customer's address); only the desk-facing roles change it; only an admin changes the
    /// site, its policy and its staff.
    pub fn can(self, perm: Permission) -> bool {
        use Permission::*;
        use Role::*;
        match perm {
            ViewArchive => true,
            EditCustomers => matches!(self, FrontDesk | Dispatcher | Supervisor | Admin),
            EditCatalog => matches!(
                self,
                FrontDesk | Dispatcher | WarehouseKeeper | Supervisor | Admin
            ),
            // Small outlets have no separate dispatcher: the desk books and dispatches too.
            ReceiveCases | Dispatch => {
                matches!(self, FrontDesk | Dispatcher | Supervisor | Admin)
            }
            RecordWork => matches!(
                self,
                FrontDesk | Dispatcher | Technician | Supervisor | Admin
            ),
            ApproveReturns => matches!(self, Supervisor | Admin),
            ManageStock | ApproveRequisitions => {
                matches!(self, WarehouseKeeper | Supervisor | Admin)
            }
            RequestParts => matches!(
                self,
                FrontDesk | Dispatcher | Technician | WarehouseKeeper | Supervisor | Admin
            ),
            // A count's differences and a scrap's final approval write off stock value: the
            // supervisor decides, the warehouse only reviews.
            ApproveStocktakes | ApproveScrap => matches!(self, Supervisor | Admin),
            ReviewScrap => matches!(self, WarehouseKeeper | Supervisor | Admin),
            HandleComplaints => matches!(
                self,
                FrontDesk | Dispatcher | ReturnVisitOfficer | Supervisor | Admin
            ),
            DecideComplaints => matches!(self, Supervisor | Admin),
            ExchangeData => matches!(self, Supervisor | Admin),
            ManageSite | ManagePolicy | ManageUsers | LoadDemoData | ManageBackups => self == Admin,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    ViewArchive,
    EditCustomers,
    EditCatalog,
    /// Take a call or a walk-in: open a work order, hand it over, answer it, cancel it.
    ReceiveCases,
    /// Book appointments and issue dispatch slips.
    Dispatch,
    /// Record the visit (arrival, work done, parts, fees), issue and sign the receipt.
    RecordWork,
    /// Settle a failed acceptance as a return or an exchange.
    ApproveReturns,
    /// The warehouse: parts catalog, locations, receipts, issues, transfers.
    ManageStock,
    /// Ask for parts for a work order.
    RequestParts,
    /// Approve or reject someone else's requisition.
    ApproveRequisitions,
    ManageSite,
    ManagePolicy,
    ManageUsers,
    LoadDemoData,
    /// Post (or reject) someone else's stocktake: its differences become adjustments.
    ApproveStocktakes,
    /// The reviewing department's step of a scrap request (审核部门).
    ReviewScrap,
    /// The final approval of a reviewed scrap request (批准人).
    ApproveScrap,
    /// Register complaints and record their handling steps.
    HandleComplaints,
    /// Decide responsibility (and reward or punishment) for a complaint: management's step.
    DecideComplaints,
    /// Export this site's data and import other sites' bundles; resolve conflicts.
    ExchangeData,
    /// Back up now, restore a backup (which replaces every record), set how many are kept.
    ManageBackups,
}

impl Permission {
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ViewArchive => "view_archive",
            Permission::EditCustomers => "edit_customers",
            Permission::EditCatalog => "edit_catalog",
            Permission::ReceiveCases => "receive_cases",
            Permission::Dispatch => "dispatch",
            Permission::RecordWork => "record_work",
            Permission::ApproveReturns => "approve_returns",
            Permission::ManageStock => "manage_stock",
            Permission::RequestParts => "request_parts",
            Permission::ApproveRequisitions => "approve_requisitions",
            Permission::ManageSite => "manage_site",
            Permission::ManagePolicy => "manage_policy",
            Permission::ManageUsers => "manage_users",
            Permission::LoadDemoData => "load_demo_data",
            Permission::ApproveStocktakes => "approve_stocktakes",
            Permission::ReviewScrap => "review_scrap",
            Permission::ApproveScrap => "approve_scrap",
            Permission::HandleComplaints => "handle_complaints",
            Permission::DecideComplaints => "decide_complaints",
            Permission::ExchangeData => "exchange_data",
            Permission::ManageBackups => "manage_backups",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct User {
    pub id: String,
    pub site_id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub rev: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UserUpdate {
    pub display_name: String,
    pub role: Role,
    pub active: bool,
}

pub const PASSWORD_MIN: usize = 8;
const PASSWORD_MAX: usize = 128;

const COLUMNS: &str = "id, site_id, username, display_name, role, active, rev";

fn from_row(r: &Row) -> rusqlite::Result<User> {
    let role: String = r.get(4)?;
    Ok(User {
        id: r.get(0)?,
        site_id: r.get(1)?,
        username: r.get(2)?,
        display_name: r.get(3)?,
        role: Role::parse(&role).ok_or_else(|| {
            rusqlite::Error::InvalidColumnType(4, "role".into(), rusqlite::types::Type::Text)
        })?,
        active: r.get(5)?,
        rev: r.get(6)?,
    })
}

pub(crate) fn hash_password(password: &str) -> String {
    let bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&bytes).expect("16 bytes is a valid salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes any password")
        .to_string()
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

fn check_password(issues: &mut Issues, field: &str, password: &str) {
    let n = password.chars().count();
    if n == 0 {
        issues.add(field, Rule::Required);
    } else if n < PASSWORD_MIN {
        issues.push(crate::FieldIssue::new(field, Rule::TooShort).with("min", PASSWORD_MIN));
    } else if n > PASSWORD_MAX {
        issues.push(crate::FieldIssue::new(field, Rule::TooLong).with("max", PASSWORD_MAX));
    }
}

/// A new account that passed [`check_new`], ready for [`insert`].
pub(crate) struct Account {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
    /// The input's field path (`admin.` during setup), for a duplicate username.
    pub field_prefix: String,
}

/// Validates a new account; `prefix` is the field path of the input (`admin.` during setup).
pub(crate) fn check_new(input: &NewUser, prefix: &str) -> Result<Account> {
    let mut issues = Issues::default();
    let username = issues.text(&format!("{prefix}username"), &input.username, true, 32);
    if !username.is_empty()
        && (username.chars().count() < 3
            || !username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)))
    {
        issues.add(&format!("{prefix}username"), Rule::InvalidUsername);
    }
    let display = issues.text(
        &format!("{prefix}displayName"),
        &input.display_name,
        true,
        40,
    );
    check_password(&mut issues, &format!("{prefix}password"), &input.password);
    issues.finish()?;
    Ok(Account {
        username,
        display_name: display,
        role: input.role,
        password: input.password.clone(),
        field_prefix: prefix.to_owned(),
    })
}

/// Inserts an account already validated by [`check_new`]. Shared by setup and `create`.
pub(crate) fn insert(tx: &Connection, ctx: &Ctx, id: &str, account: &Account) -> Result<User> {
    let now = ctx.now_text();
    let hash = hash_password(&account.password);
    tx.execute(
        "INSERT INTO users (id, site_id, username, display_name, role, password_hash, active,
                            created_at, updated_at, created_by, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?7, ?8, ?8)",
        params![
            id,
            ctx.actor.site_id,
            account.username,
            account.display_name,
            account.role.as_str(),
            hash,
            now,
            ctx.actor.user_id
        ],
    )
    .map_err(crate::duplicate_as(&format!(
        "{}username",
        account.field_prefix
    )))?;
    let user = get_in(tx, id)?;
    // The hash stays out of the log: the log is exported and read by auditors.
    audit::record(tx, ctx, "users", id, Action::Insert, &user)?;
    Ok(user)
}

fn get_in(conn: &Connection, id: &str) -> Result<User> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM users WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        entity: "user",
        id: id.to_owned(),
    })
}

pub fn list(desk: &Desk) -> Result<Vec<User>> {
    desk.require(Permission::ManageUsers)?;
    let mut stmt = desk.conn().prepare(&format!(
        "SELECT {COLUMNS} FROM users ORDER BY active DESC, username"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn create(desk: &mut Desk, input: NewUser) -> Result<User> {
    desk.require(Permission::ManageUsers)?;
    let account = check_new(&input, "")?;
    desk.write(Permission::ManageUsers, |tx, ctx| {
        insert(tx, ctx, &new_id(), &account)
    })
}

fn active_admins(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1",
        [],
        |r| r.get(0),
    )?)
}

pub fn update(desk: &mut Desk, id: &str, rev: i64, input: UserUpdate) -> Result<User> {
    desk.require(Permission::ManageUsers)?;
    let mut issues = Issues::default();
    let display = issues.text("displayName", &input.display_name, true, 40);
    issues.finish()?;
    desk.write(Permission::ManageUsers, |tx, ctx| {
        let before = get_in(tx, id)?;
        let stays_admin = input.role == Role::Admin && input.active;
        if before.role == Role::Admin && before.active && !stays_admin && active_admins(tx)? <= 1 {
            // A site without an active admin could never change its policy or staff again.
            let field = if input.active { "role" } else { "active" };
            return Err(Error::invalid(field, Rule::LastAdmin));
        }
        let n = tx.execute(
            "UPDATE users SET display_name = ?1, role = ?2, active = ?3, updated_at = ?4, updated_by = ?5, rev = rev + 1
             WHERE id = ?6 AND rev = ?7",
            params![display, input.role.as_str(), input.active, ctx.now_text(), ctx.actor.user_id, id, rev],
        )?;
        if n == 0 {
            return Err(stale_or_missing(tx, "users", "user", id, rev));
        }
        let user = get_in(tx, id)?;
        audit::record(tx, ctx, "users", id, Action::Update, &user)?;
        Ok(user)
    })
    .inspect(|user| {
        // Editing one's own account takes effect at once, not at the next sign-in.
        if desk.session.as_ref().is_some_and(|a| a.user_id == user.id) {
            let actor = user.active.then(|| Actor { user_id: user.id.clone(), role: user.role, site_id: user.site_id.clone() });
            desk.set_session(actor);
        }
    })
}

/// An admin sets a new password for anyone (a forgotten password is the common case).
pub fn set_password(desk: &mut Desk, id: &str, password: &str) -> Result<User> {
    desk.require(Permission::ManageUsers)?;
    let mut issues = Issues::default();
    check_password(&mut issues, "password", password);
    issues.finish()?;
    let hash = hash_password(password);
    desk.write(Permission::ManageUsers, |tx, ctx| {
        let n = tx.execute(
            "UPDATE users SET password_hash = ?1, updated_at = ?2, updated_by = ?3, rev = rev + 1 WHERE id = ?4",
            params![hash, ctx.now_text(), ctx.actor.user_id, id],
        )?;
        if n == 0 {
            return Err(Error::NotFound { entity: "user", id: id.to_owned() });
        }
        let user = get_in(tx, id)?;
        audit::record(tx, ctx, "users", id, Action::Update, &serde_json::json!({ "id": id, "passwordChanged": true }))?;
        Ok(user)
    })
}

/// Checks the password; the same error for an unknown user, a wrong password and a disabled
/// account, so that the sign-in screen does not tell which usernames exist.
pub fn sign_in(desk: &mut Desk, username: &str, password: &str) -> Result<User> {
    let row: Option<(String, String, bool)> = desk
        .conn()
        .query_row(
            "SELECT id, password_hash, active FROM users WHERE username = ?1",
            [username.trim()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((id, hash, active)) = row else {
        // Spend the same time as a real check.
        let _ = verify_password(password, &hash_password("timing-equaliser"));
        return Err(Error::InvalidCredentials);
    };
    if !verify_password(password, &hash) || !active {
        return Err(Error::InvalidCredentials);
    }
    let user = get_in(desk.conn(), &id)?;
    desk.set_session(Some(Actor {
        user_id: user.id.clone(),
        role: user.role,
        site_id: user.site_id.clone(),
    }));
    Ok(user)
}

pub fn sign_out(desk: &mut Desk) {
    desk.set_session(None);
}

/// The signed-in user as stored now (their role may have changed since sign-in).
pub fn current(desk: &Desk) -> Result<Option<User>> {
    match &desk.session {
        Some(a) => Ok(Some(get_in(desk.conn(), &a.user_id)?)),
        None => Ok(None),
    }
}
