use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use desk_core::customers::{
    AddressInput, ContactInput, CustomerDetail, CustomerInput, CustomerKind,
};
use desk_core::site::{SetupInput, SiteInput, Tier};
use desk_core::users::{NewUser, Role};
use desk_core::{Desk, FixedClock};
use tempfile::TempDir;

pub const ADMIN_PASSWORD: &str = "correct horse";

pub struct Env {
    #[allow(dead_code)] // keeps the temporary folder alive
    pub dir: TempDir,
    pub desk: Desk,
    pub clock: Arc<FixedClock>,
}

/// 2026-11-22 10:00 in Shanghai.
pub fn noon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 2, 0, 0).unwrap()
}

pub fn setup_input() -> SetupInput {
    SetupInput {
        site: SiteInput {
            code: "sh01".into(),
            name: "上海浦东服务中心".into(),
            tier: Tier::Centre,
            time_zone: "Asia/Shanghai".into(),
            hotline: "400-820-8820".into(),
        },
        admin: NewUser {
            username: "admin".into(),
            display_name: "管理员".into(),
            role: Role::FrontDesk,
            password: ADMIN_PASSWORD.into(),
        },
    }
}

/// A fresh database, set up, with the admin signed in.
pub fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::new(noon()));
    let mut desk = Desk::open_with_clock(&dir.path().join("desk.sqlite"), clock.clone()).unwrap();
    desk_core::site::setup(&mut desk, setup_input()).unwrap();
    Env { dir, desk, clock }
}

impl Env {
    /// Creates a user with `role` and signs them in (the admin is signed out).
    pub fn sign_in_as(&mut self, role: Role) -> String {
        desk_core::users::sign_out(&mut self.desk);
        desk_core::users::sign_in(&mut self.desk, "admin", ADMIN_PASSWORD).unwrap();
        let username = format!("u_{}", role_slug(role));
        if desk_core::users::list(&self.desk)
            .unwrap()
            .iter()
            .all(|u| u.username != username)
        {
            desk_core::users::create(
                &mut self.desk,
                NewUser {
                    username: username.clone(),
                    display_name: "测试".into(),
                    role,
                    password: "password1".into(),
                },
            )
            .unwrap();
        }
        desk_core::users::sign_out(&mut self.desk);
        desk_core::users::sign_in(&mut self.desk, &username, "password1")
            .unwrap()
            .id
    }

    pub fn log_count(&self) -> i64 {
        desk_core::audit::count(self.desk.conn()).unwrap()
    }

    pub fn count(&self, table: &str) -> i64 {
        self.desk
            .conn()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }
}

fn role_slug(role: Role) -> String {
    format!("{role:?}").to_lowercase()
}

pub fn person(name: &str, phone: &str) -> CustomerInput {
    CustomerInput {
        kind: CustomerKind::Person,
        name: name.into(),
        note: String::new(),
        contacts: vec![ContactInput {
            id: None,
            name: name.into(),
            phone: phone.into(),
            title: String::new(),
        }],
        addresses: vec![AddressInput {
            id: None,
            province: "上海市".into(),
            city: "上海市".into(),
            district: "浦东新区".into(),
            detail: "张杨路500号".into(),
        }],
    }
}

pub fn create_person(env: &mut Env, name: &str, phone: &str) -> CustomerDetail {
    desk_core::customers::create(&mut env.desk, person(name, phone)).unwrap()
}

/// The rules of a validation error, as (field, rule) pairs.
pub fn issues(err: desk_core::Error) -> Vec<(String, desk_core::Rule)> {
    match err {
        desk_core::Error::Validation(list) => list.into_iter().map(|i| (i.field, i.rule)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// Starts this test binary again to run only the ignored child test `name` (a writer that a
/// test kills), with `envs` set. The thread returned collects what the child reported after
/// `prefix` on its stdout, up to the moment it died.
pub fn spawn_child(
    name: &str,
    envs: &[(&str, &std::ffi::OsStr)],
    prefix: &'static str,
) -> (std::process::Child, std::thread::JoinHandle<Vec<String>>) {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            name,
            "--nocapture",
            "--test-threads=1",
        ])
        .envs(envs.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .filter_map(|l| l.strip_prefix(prefix).map(str::to_owned))
            .collect()
    });
    (child, reader)
}
