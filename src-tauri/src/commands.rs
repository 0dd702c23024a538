//! One command per user action, each a call into the core.

use desk_core::catalog::{self, ProductModel, ProductModelInput};
use desk_core::customers::{self, CustomerDetail, CustomerInput};
use desk_core::demo::{self, DemoSummary};
use desk_core::search::{self, SearchPage};
use desk_core::site::{
    self, AppStatus, KnownSite, Language, Policy, PolicyInput, SetupInput, Site, SiteInput,
};
use desk_core::units::{self, UnitInput, UnitView};
use desk_core::users::{self, NewUser, User, UserUpdate};
use desk_core::ErrorPayload;
use tauri::State;

use crate::AppState;

type Res<T> = Result<T, ErrorPayload>;

/// How many customers the demo button creates.
pub const DEMO_CUSTOMERS: usize = 300;

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Res<AppStatus> {
    state.with(|d| site::status(d))
}

#[tauri::command]
pub async fn setup(state: State<'_, AppState>, input: SetupInput) -> Res<AppStatus> {
    state.with(|d| site::setup(d, input))
}

#[tauri::command]
pub async fn sign_in(
    state: State<'_, AppState>,
    username: String,
    password: String,
) -> Res<AppStatus> {
    state.with(|d| users::sign_in(d, &username, &password).and_then(|_| site::status(d)))
}

#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>) -> Res<AppStatus> {
    state.with(|d| {
        users::sign_out(d);
        site::status(d)
    })
}

#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, language: Language) -> Res<AppStatus> {
    state.with(|d| site::set_language(d, language))
}

#[tauri::command]
pub async fn update_site(state: State<'_, AppState>, rev: i64, input: SiteInput) -> Res<Site> {
    state.with(|d| site::update_site(d, rev, input))
}

/// The sites whose records this database holds, for the lists' site filter.
#[tauri::command]
pub async fn list_sites(state: State<'_, AppState>) -> Res<Vec<KnownSite>> {
    state.with(|d| site::list_sites(d))
}

#[tauri::command]
pub async fn get_policy(state: State<'_, AppState>) -> Res<Policy> {
    state.with(|d| site::get_policy(d))
}

#[tauri::command]
pub async fn update_policy(
    state: State<'_, AppState>,
    rev: i64,
    input: PolicyInput,
) -> Res<Policy> {
    state.with(|d| site::update_policy(d, rev, input))
}

#[tauri::command]
pub async fn list_users(state: State<'_, AppState>) -> Res<Vec<User>> {
    state.with(|d| users::list(d))
}

#[tauri::command]
pub async fn create_user(state: State<'_, AppState>, input: NewUser) -> Res<User> {
    state.with(|d| users::create(d, input))
}

#[tauri::command]
pub async fn update_user(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    input: UserUpdate,
) -> Res<User> {
    state.with(|d| users::update(d, &id, rev, input))
}

#[tauri::command]
pub async fn set_password(state: State<'_, AppState>, id: String, password: String) -> Res<User> {
    state.with(|d| users::set_password(d, &id, &password))
}

#[tauri::command]
pub async fn list_models(state: State<'_, AppState>) -> Res<Vec<ProductModel>> {
    state.with(|d| catalog::list(d))
}

#[tauri::command]
pub async fn create_model(
    state: State<'_, AppState>,
    input: ProductModelInput,
) -> Res<ProductModel> {
    state.with(|d| catalog::create(d, input))
}

#[tauri::command]
pub async fn update_model(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    input: ProductModelInput,
) -> Res<ProductModel> {
    state.with(|d| catalog::update(d, &id, rev, input))
}

#[tauri::command]
pub async fn search_customers(
    state: State<'_, AppState>,
    query: String,
    page: i64,
    page_size: i64,
    site_id: Option<String>,
) -> Res<SearchPage> {
    state.with(|d| search::search_site(d, &query, site_id.as_deref(), page, page_size))
}

#[tauri::command]
pub async fn get_customer(state: State<'_, AppState>, id: String) -> Res<CustomerDetail> {
    state.with(|d| customers::get(d, &id))
}

#[tauri::command]
pub async fn create_customer(
    state: State<'_, AppState>,
    input: CustomerInput,
) -> Res<CustomerDetail> {
    state.with(|d| customers::create(d, input))
}

#[tauri::command]
pub async fn update_customer(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    input: CustomerInput,
) -> Res<CustomerDetail> {
    state.with(|d| customers::update(d, &id, rev, input))
}

#[tauri::command]
pub async fn create_unit(
    state: State<'_, AppState>,
    customer_id: String,
    input: UnitInput,
) -> Res<UnitView> {
    state.with(|d| units::create(d, &customer_id, input))
}

#[tauri::command]
pub async fn update_unit(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    input: UnitInput,
) -> Res<UnitView> {
    state.with(|d| units::update(d, &id, rev, input))
}

#[tauri::command]
pub async fn load_demo_data(state: State<'_, AppState>) -> Res<DemoSummary> {
    state.with(|d| demo::load(d, DEMO_CUSTOMERS))
}

/// The UI calls this once its first screen is interactive; the startup benchmark waits for
/// the line.
#[tauri::command]
pub fn ui_ready() {
    use std::io::Write;
    let mut out = std::io::stdout();
    let _ = writeln!(out, "DESK_READY");
    let _ = out.flush();
}
