//! Commands for complaints, their SLA policy, the working-day calendar and the figures. Each
//! a call into the core; reading the board first runs the escalation sweep, so that what the
//! desk shows has already been escalated.

use desk_core::calendar::{self, CalendarDay, CalendarImport, CalendarYear, WorkingHours};
use desk_core::complaints::kpi::{self, ComplaintKpis, KpiFilter};
use desk_core::complaints::sla::{self, Board, BoardFilter, Escalation, SlaPolicy, SlaPolicyInput};
use desk_core::complaints::{
    self, ComplaintDetail, ComplaintFilter, ComplaintPage, RegisterInput, StepInput,
};
use desk_core::ErrorPayload;
use tauri::ipc::{Request, Response};
use tauri::State;

use crate::paperwork::{header, scan_body};
use crate::AppState;

type Res<T> = Result<T, ErrorPayload>;

#[tauri::command]
pub async fn complaint_register(
    state: State<'_, AppState>,
    input: RegisterInput,
) -> Res<ComplaintDetail> {
    state.with(|d| complaints::register(d, input))
}

#[tauri::command]
pub async fn complaint_get(state: State<'_, AppState>, id: String) -> Res<ComplaintDetail> {
    state.with(|d| {
        sla::escalate_breached(d)?;
        complaints::get(d, &id)
    })
}

#[tauri::command]
pub async fn complaint_list(
    state: State<'_, AppState>,
    filter: ComplaintFilter,
) -> Res<ComplaintPage> {
    state.with(|d| complaints::list(d, &filter))
}

#[tauri::command]
pub async fn complaint_step(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    input: StepInput,
) -> Res<ComplaintDetail> {
    state.with(|d| complaints::record_step(d, &id, rev, input))
}

#[tauri::command]
pub async fn complaint_respond(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    content: String,
) -> Res<ComplaintDetail> {
    state.with(|d| complaints::respond(d, &id, rev, &content))
}

#[tauri::command]
pub async fn complaint_pause(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    reason: String,
) -> Res<ComplaintDetail> {
    state.with(|d| complaints::pause(d, &id, rev, &reason))
}

#[tauri::command]
pub async fn complaint_resume(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    note: String,
) -> Res<ComplaintDetail> {
    state.with(|d| complaints::resume(d, &id, rev, &note))
}

#[tauri::command]
pub async fn complaint_hand_over(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    to_user_id: String,
    note: String,
) -> Res<ComplaintDetail> {
    state.with(|d| complaints::hand_over(d, &id, rev, &to_user_id, &note))
}

/// The staff a complaint may be handed over to.
#[tauri::command]
pub async fn complaint_handlers(
    state: State<'_, AppState>,
) -> Res<Vec<desk_core::work_orders::Person>> {
    state.with(|d| complaints::handlers(d))
}

#[tauri::command]
pub async fn complaint_issue_handling(
    state: State<'_, AppState>,
    id: String,
) -> Res<ComplaintDetail> {
    state.with(|d| complaints::issue_handling_slip(d, &id))
}

/// Attaches a file the customer handed in. Raw body; headers `complaint-id`, `rev`,
/// `file-name` (percent-encoded).
#[tauri::command]
pub async fn complaint_attach(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Res<ComplaintDetail> {
    let bytes = scan_body(&request)?;
    let id = header(&request, "complaint-id");
    let rev = header(&request, "rev").parse().unwrap_or(0);
    let name = header(&request, "file-name");
    state.with(|d| complaints::add_attachment(d, &id, rev, &name, &bytes))
}

#[tauri::command]
pub async fn complaint_attachment(state: State<'_, AppState>, id: String) -> Res<Response> {
    state
        .with(|d| complaints::attachment_bytes(d, &id))
        .map(|(_, bytes)| Response::new(bytes))
}

#[tauri::command]
pub async fn complaint_board(state: State<'_, AppState>, filter: BoardFilter) -> Res<Board> {
    state.with(|d| {
        sla::escalate_breached(d)?;
        sla::board(d, &filter)
    })
}

#[tauri::command]
pub async fn complaint_escalations(
    state: State<'_, AppState>,
    open_only: bool,
) -> Res<Vec<Escalation>> {
    state.with(|d| {
        sla::escalate_breached(d)?;
        sla::escalations(d, open_only, 500)
    })
}

#[tauri::command]
pub async fn complaint_kpis(state: State<'_, AppState>, filter: KpiFilter) -> Res<ComplaintKpis> {
    state.with(|d| kpi::kpis(d, &filter))
}

#[tauri::command]
pub async fn sla_policies(state: State<'_, AppState>) -> Res<Vec<SlaPolicy>> {
    state.with(|d| sla::policies(d))
}

#[tauri::command]
pub async fn sla_update(
    state: State<'_, AppState>,
    level: i64,
    rev: i64,
    input: SlaPolicyInput,
) -> Res<Vec<SlaPolicy>> {
    state.with(|d| sla::update_policy(d, level, rev, input))
}

#[tauri::command]
pub async fn calendar_year(state: State<'_, AppState>, year: i32) -> Res<CalendarYear> {
    state.with(|d| calendar::year(d, year))
}

#[tauri::command]
pub async fn calendar_set_year(
    state: State<'_, AppState>,
    year: i32,
    days: Vec<CalendarDay>,
) -> Res<CalendarYear> {
    state.with(|d| calendar::set_year(d, year, days))
}

/// Imports a calendar file's text (CSV or JSON), read by the UI from the chosen file.
#[tauri::command]
pub async fn calendar_import(state: State<'_, AppState>, text: String) -> Res<CalendarImport> {
    state.with(|d| calendar::import(d, &text))
}

#[tauri::command]
pub async fn calendar_set_hours(
    state: State<'_, AppState>,
    rev: i64,
    start: String,
    end: String,
) -> Res<WorkingHours> {
    state.with(|d| calendar::set_hours(d, rev, &start, &end))
}
