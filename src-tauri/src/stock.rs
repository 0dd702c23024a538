//! Commands for spare parts: the catalog, locations, the stock ledger, requisitions,
//! stocktakes and scrap. Each a call into the core.

use desk_core::parts::requisitions::{
    self as req, Reconciliation, Requisition, RequisitionInput, RequisitionState,
    ReturnUnusedInput, Usage,
};
use desk_core::parts::scrap::{self, Disposal, DisposalInput, Scrap, ScrapInput, ScrapState};
use desk_core::parts::stocktake::{self, Stocktake, StocktakeCount, StocktakeState};
use desk_core::parts::{
    self, FactoryReturnInput, Inspection, Location, LocationInput, LowStock, Movement,
    MovementFilter, Part, PartInput, PartStock, ReceiptInput, StockRow, TransferInput,
};
use desk_core::ErrorPayload;
use tauri::State;

use crate::AppState;

type Res<T> = Result<T, ErrorPayload>;

#[tauri::command]
pub async fn parts_list(state: State<'_, AppState>, query: String) -> Res<Vec<Part>> {
    state.with(|d| parts::list_parts(d, &query))
}

#[tauri::command]
pub async fn parts_create(state: State<'_, AppState>, input: PartInput) -> Res<Part> {
    state.with(|d| parts::create_part(d, input))
}

#[tauri::command]
pub async fn parts_update(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    input: PartInput,
) -> Res<Part> {
    state.with(|d| parts::update_part(d, &id, rev, input))
}

#[tauri::command]
pub async fn locations_list(state: State<'_, AppState>) -> Res<Vec<Location>> {
    state.with(|d| parts::list_locations(d))
}

#[tauri::command]
pub async fn locations_create(state: State<'_, AppState>, input: LocationInput) -> Res<Location> {
    state.with(|d| parts::create_location(d, input))
}

#[tauri::command]
pub async fn stock_receive(state: State<'_, AppState>, input: ReceiptInput) -> Res<Inspection> {
    state.with(|d| parts::receive(d, input))
}

#[tauri::command]
pub async fn stock_transfer(state: State<'_, AppState>, input: TransferInput) -> Res<()> {
    state.with(|d| parts::transfer(d, input))
}

#[tauri::command]
pub async fn stock_factory_return(
    state: State<'_, AppState>,
    input: FactoryReturnInput,
) -> Res<()> {
    state.with(|d| parts::return_to_factory(d, input))
}

#[tauri::command]
pub async fn stock_balance(state: State<'_, AppState>, part_id: String) -> Res<PartStock> {
    state.with(|d| parts::balance(d, &part_id))
}

#[tauri::command]
pub async fn stock_list(
    state: State<'_, AppState>,
    location_id: Option<String>,
) -> Res<Vec<StockRow>> {
    state.with(|d| parts::stock(d, location_id.as_deref()))
}

#[tauri::command]
pub async fn stock_movements(
    state: State<'_, AppState>,
    filter: MovementFilter,
) -> Res<Vec<Movement>> {
    state.with(|d| parts::movements(d, &filter))
}

#[tauri::command]
pub async fn stock_low(state: State<'_, AppState>, window_days: i64) -> Res<Vec<LowStock>> {
    state.with(|d| parts::low_stock(d, window_days))
}

#[tauri::command]
pub async fn req_list(
    state: State<'_, AppState>,
    state_filter: Option<RequisitionState>,
    work_order_id: Option<String>,
) -> Res<Vec<Requisition>> {
    state.with(|d| req::list(d, state_filter, work_order_id.as_deref()))
}

#[tauri::command]
pub async fn req_get(state: State<'_, AppState>, id: String) -> Res<Requisition> {
    state.with(|d| req::get(d, &id))
}

#[tauri::command]
pub async fn req_request(state: State<'_, AppState>, input: RequisitionInput) -> Res<Requisition> {
    state.with(|d| req::request(d, input))
}

#[tauri::command]
pub async fn req_approve(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    comment: String,
) -> Res<Requisition> {
    state.with(|d| req::approve(d, &id, rev, &comment))
}

#[tauri::command]
pub async fn req_reject(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    comment: String,
) -> Res<Requisition> {
    state.with(|d| req::reject(d, &id, rev, &comment))
}

/// `serials`: one list per line, for the serial-tracked parts (empty lists for the others).
#[tauri::command]
pub async fn req_issue(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    serials: Vec<Vec<String>>,
) -> Res<Requisition> {
    state.with(|d| req::issue(d, &id, rev, serials))
}

#[tauri::command]
pub async fn req_return_unused(state: State<'_, AppState>, input: ReturnUnusedInput) -> Res<()> {
    state.with(|d| req::return_unused(d, input))
}

#[tauri::command]
pub async fn req_reconcile(
    state: State<'_, AppState>,
    work_order_id: String,
) -> Res<Vec<Reconciliation>> {
    state.with(|d| req::reconcile(d, &work_order_id))
}

#[tauri::command]
pub async fn parts_usage(
    state: State<'_, AppState>,
    customer_id: String,
    unit_id: Option<String>,
) -> Res<Vec<Usage>> {
    state.with(|d| req::usage(d, &customer_id, unit_id.as_deref()))
}

#[tauri::command]
pub async fn stocktake_list(
    state: State<'_, AppState>,
    state_filter: Option<StocktakeState>,
    location_id: Option<String>,
) -> Res<Vec<Stocktake>> {
    state.with(|d| stocktake::list(d, state_filter, location_id.as_deref()))
}

#[tauri::command]
pub async fn stocktake_get(state: State<'_, AppState>, id: String) -> Res<Stocktake> {
    state.with(|d| stocktake::get(d, &id))
}

#[tauri::command]
pub async fn stocktake_start(state: State<'_, AppState>, location_id: String) -> Res<Stocktake> {
    state.with(|d| stocktake::start(d, &location_id))
}

#[tauri::command]
pub async fn stocktake_enter_counts(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    counts: Vec<StocktakeCount>,
) -> Res<Stocktake> {
    state.with(|d| stocktake::enter_counts(d, &id, rev, counts))
}

#[tauri::command]
pub async fn stocktake_submit(state: State<'_, AppState>, id: String, rev: i64) -> Res<Stocktake> {
    state.with(|d| stocktake::submit(d, &id, rev))
}

#[tauri::command]
pub async fn stocktake_post(state: State<'_, AppState>, id: String, rev: i64) -> Res<Stocktake> {
    state.with(|d| stocktake::post(d, &id, rev))
}

#[tauri::command]
pub async fn stocktake_reject(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    comment: String,
) -> Res<Stocktake> {
    state.with(|d| stocktake::reject(d, &id, rev, &comment))
}

#[tauri::command]
pub async fn scrap_list(
    state: State<'_, AppState>,
    state_filter: Option<ScrapState>,
) -> Res<Vec<Scrap>> {
    state.with(|d| scrap::list(d, state_filter))
}

#[tauri::command]
pub async fn scrap_get(state: State<'_, AppState>, id: String) -> Res<Scrap> {
    state.with(|d| scrap::get(d, &id))
}

#[tauri::command]
pub async fn scrap_request(state: State<'_, AppState>, input: ScrapInput) -> Res<Scrap> {
    state.with(|d| scrap::request(d, input))
}

#[tauri::command]
pub async fn scrap_review(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    approve: bool,
    comment: String,
) -> Res<Scrap> {
    state.with(|d| scrap::review(d, &id, rev, approve, &comment))
}

#[tauri::command]
pub async fn scrap_approve(
    state: State<'_, AppState>,
    id: String,
    rev: i64,
    approve: bool,
    comment: String,
) -> Res<Scrap> {
    state.with(|d| scrap::approve(d, &id, rev, approve, &comment))
}

#[tauri::command]
pub async fn scrap_dispose(state: State<'_, AppState>, input: DisposalInput) -> Res<Disposal> {
    state.with(|d| scrap::dispose(d, input))
}

#[tauri::command]
pub async fn scrap_photo(state: State<'_, AppState>, id: String) -> Res<tauri::ipc::Response> {
    state
        .with(|d| scrap::photo_bytes(d, &id))
        .map(tauri::ipc::Response::new)
}

#[tauri::command]
pub async fn transfers_list(state: State<'_, AppState>) -> Res<Vec<parts::SiteTransfer>> {
    state.with(|d| parts::list_transfers(d))
}

#[tauri::command]
pub async fn transfers_send(
    state: State<'_, AppState>,
    input: parts::SiteTransferInput,
) -> Res<parts::SiteTransfer> {
    state.with(|d| parts::send_to_site(d, input))
}

#[tauri::command]
pub async fn transfers_receive(
    state: State<'_, AppState>,
    input: parts::SiteTransferInput,
) -> Res<parts::SiteTransfer> {
    state.with(|d| parts::receive_from_site(d, input))
}
