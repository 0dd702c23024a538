//! Commands for work orders and their documents: each a call into the core. PDF bytes travel
//! as raw IPC responses (an ArrayBuffer in the UI), scans arrive as raw request bodies, and
//! printing and saving go through the opener and dialog plugins from here, so the UI needs
//! no file-system permission of its own.

use desk_core::documents::{self, Document, ScanCheck, ScanInfo};
use desk_core::work_orders::{
    self as wo, AppointmentInput, Clash, HandOverInput, IntakeInput, Person, ReturnInput,
    ScheduleOutcome, SignatureInput, WorkInput, WorkOrderDetail, WorkOrderFilter, WorkOrderPage,
};
use desk_core::{Error, ErrorPayload, Rule};
use tauri::ipc::{InvokeBody, Request, Response};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use crate::AppState;

type Res<T> = Result<T, ErrorPayload>;

#[tauri::command]
pub async fn wo_intake(state: State<'_, AppState>, input: IntakeInput) -> Res<WorkOrderDetail> {
    state.with(|d| wo::intake(d, input))
}

#[tauri::command]
pub async fn wo_get(state: State<'_, AppState>, id: String) -> Res<WorkOrderDetail> {
    state.with(|d| wo::get(d, &id))
}

#[tauri::command]
pub async fn wo_list(state: State<'_, AppState>, filter: WorkOrderFilter) -> Res<WorkOrderPage> {
    state.with(|d| wo::list(d, &filter))
}

#[tauri::command]
pub async fn wo_technicians(state: State<'_, AppState>) -> Res<Vec<Person>> {
    state.with(|d| wo::technicians(d))
}

#[tauri::command]
pub async fn wo_staff(state: State<'_, AppState>) -> Res<Vec<Person>> {
    state.with(|d| wo::staff(d))
}

#[tauri::command]
pub async fn wo_hand_over(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    input: HandOverInput,
) -> Res<WorkOrderDetail> {
    state.with(|d| wo::hand_over(d, &id, rev, input))
}

#[tauri::command]
pub async fn wo_answer(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    answer: String,
) -> Res<WorkOrderDetail> {
    state.with(|d| wo::answer(d, &id, rev, &answer))
}

#[tauri::command]
pub async fn wo_cancel(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    reason: String,
) -> Res<WorkOrderDetail> {
    state.with(|d| wo::cancel(d, &id, rev, &reason))
}

#[tauri::command]
pub async fn wo_proposed_address(state: State<'_, AppState>, id: String) -> Res<String> {
    state.with(|d| wo::proposed_address(d, &id))
}

#[tauri::command]
pub async fn wo_booking_clashes(
    state: State<'_, AppState>,
    id: String,
    input: AppointmentInput,
) -> Res<Vec<Clash>> {
    state.with(|d| wo::booking_clashes(d, &id, &input))
}

#[tauri::command]
pub async fn wo_schedule(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    input: AppointmentInput,
) -> Res<ScheduleOutcome> {
    state.with(|d| wo::schedule(d, &id, rev, input))
}

#[tauri::command]
pub async fn wo_dispatch(state: State<'_, AppState>, id: String, rev: i64) -> Res<WorkOrderDetail> {
    state.with(|d| wo::dispatch(d, &id, rev))
}

#[tauri::command]
pub async fn wo_reissue_slip(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
) -> Res<WorkOrderDetail> {
    state.with(|d| wo::reissue_dispatch_slip(d, &id, rev))
}

#[tauri::command]
pub async fn wo_arrive(state: State<'_, AppState>, id: String, rev: i64) -> Res<WorkOrderDetail> {
    state.with(|d| wo::arrive(d, &id, rev))
}

#[tauri::command]
pub async fn wo_record_work(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    input: WorkInput,
) -> Res<WorkOrderDetail> {
    state.with(|d| wo::record_work(d, &id, rev, input))
}

#[tauri::command]
pub async fn wo_issue_receipt(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    signature: Option<SignatureInput>,
) -> Res<WorkOrderDetail> {
    state.with(|d| wo::issue_receipt(d, &id, rev, signature))
}

#[tauri::command]
pub async fn wo_complete(state: State<'_, AppState>, id: String, rev: i64) -> Res<WorkOrderDetail> {
    state.with(|d| wo::complete(d, &id, rev))
}

#[tauri::command]
pub async fn wo_fail_acceptance(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
) -> Res<WorkOrderDetail> {
    state.with(|d| wo::fail_acceptance(d, &id, rev))
}

#[tauri::command]
pub async fn wo_settle_return(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    input: ReturnInput,
) -> Res<WorkOrderDetail> {
    state.with(|d| wo::settle_return(d, &id, rev, input))
}

#[tauri::command]
pub async fn doc_get(state: State<'_, AppState>, id: String) -> Res<Document> {
    state.with(|d| documents::get(d, &id))
}

/// The stored bytes, unchanged: the preview shows exactly what prints.
#[tauri::command]
pub async fn doc_pdf(state: State<'_, AppState>, id: String) -> Res<Response> {
    state.with(|d| documents::pdf(d, &id)).map(Response::new)
}

#[tauri::command]
pub async fn doc_void(state: State<'_, AppState>, id: String, reason: String) -> Res<Document> {
    state.with(|d| documents::void(d, &id, &reason))
}

fn io(e: std::io::Error) -> ErrorPayload {
    Error::Io(e).payload()
}

/// Print: the PDF is written to the app's cache folder and handed to the system viewer,
/// whose print dialog knows the printers. Returns the file it opened.
#[tauri::command]
pub async fn doc_open(app: AppHandle, state: State<'_, AppState>, id: String) -> Res<String> {
    let (doc, bytes) = state.with(|d| Ok((documents::get(d, &id)?, documents::pdf(d, &id)?)))?;
    let dir = app
        .path()
        .app_cache_dir()
        .map_err(|e| io(std::io::Error::other(e.to_string())))?
        .join("print");
    std::fs::create_dir_all(&dir).map_err(io)?;
    let path = dir.join(documents::file_name(&doc));
    std::fs::write(&path, bytes).map_err(io)?;
    let shown = path.to_string_lossy().into_owned();
    app.opener()
        .open_path(shown.clone(), None::<&str>)
        .map_err(|e| io(std::io::Error::other(e.to_string())))?;
    Ok(shown)
}

/// Save as…: the system save dialog, then the stored bytes written where the user chose.
/// `None` when the dialog was cancelled.
#[tauri::command]
pub async fn doc_save_as(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> Res<Option<String>> {
    let (doc, bytes) = state.with(|d| Ok((documents::get(d, &id)?, documents::pdf(d, &id)?)))?;
    let (tx, rx) = std::sync::mpsc::channel();
    app.dialog()
        .file()
        .set_file_name(documents::file_name(&doc))
        .add_filter("PDF", &["pdf"])
        .save_file(move |path| {
            let _ = tx.send(path);
        });
    let chosen = tauri::async_runtime::spawn_blocking(move || rx.recv().ok().flatten())
        .await
        .ok()
        .flatten();
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    std::fs::write(&path, bytes).map_err(io)?;
    Ok(Some(path.to_string_lossy().into_owned()))
}

/// The raw body of a request, or a validation error naming the scan.
pub(crate) fn scan_body(request: &Request<'_>) -> Res<Vec<u8>> {
    match request.body() {
        InvokeBody::Raw(bytes) if !bytes.is_empty() => Ok(bytes.clone()),
        _ => Err(Error::invalid("scan", Rule::Required).payload()),
    }
}

pub(crate) fn header(request: &Request<'_>, name: &str) -> String {
    request
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        // Header values are ASCII: the UI percent-encodes file names.
        .map(|v| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .into_owned()
        })
        .unwrap_or_default()
}

/// Reads the QR code on a scan before it is attached. Headers: `document-id`.
#[tauri::command]
pub async fn doc_check_scan(state: State<'_, AppState>, request: Request<'_>) -> Res<ScanCheck> {
    let bytes = scan_body(&request)?;
    let id = header(&request, "document-id");
    state.with(|d| documents::check_scan(d, &id, &bytes))
}

/// Attaches a scan. Headers: `document-id`, `file-name` (percent-encoded), `accept-mismatch`.
#[tauri::command]
pub async fn doc_attach_scan(state: State<'_, AppState>, request: Request<'_>) -> Res<ScanInfo> {
    let bytes = scan_body(&request)?;
    let id = header(&request, "document-id");
    let name = header(&request, "file-name");
    let accept = header(&request, "accept-mismatch") == "true";
    state.with(|d| documents::attach_scan(d, &id, &name, &bytes, accept))
}

#[tauri::command]
pub async fn doc_scan_bytes(state: State<'_, AppState>, id: String) -> Res<Response> {
    state
        .with(|d| documents::scan_bytes(d, &id))
        .map(Response::new)
}
