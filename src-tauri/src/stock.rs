//! Commands for spare parts: the catalog, locations, the stock ledger and requisitions. Each
//! a call into the core.

use desk_core::parts::requisitions::{
    self as req, Reconciliation, Requisition, RequisitionInput, RequisitionState,
    ReturnUnusedInput, Usage,
};
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
