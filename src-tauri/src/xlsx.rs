//! Excel export of the lists: the core builds the file for the screen's filter, the system
//! save dialog asks where it goes (proposing e.g. `工单-2026-11-22.xlsx`). Each command
//! returns the path written, or null when the dialog was cancelled.

use desk_core::complaints::ComplaintFilter;
use desk_core::parts::MovementFilter;
use desk_core::site::Language;
use desk_core::work_orders::WorkOrderFilter;
use desk_core::xlsx::{self, List};
use desk_core::{Desk, Error, ErrorPayload};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::AppState;

type Res<T> = Result<T, ErrorPayload>;

#[tauri::command]
pub async fn xlsx_customers(
    app: AppHandle,
    state: State<'_, AppState>,
    query: String,
    site_id: Option<String>,
    language: Language,
) -> Res<Option<String>> {
    export(app, &state, List::Customers, language, |d| {
        xlsx::customers(d, &query, site_id.as_deref(), language)
    })
    .await
}

#[tauri::command]
pub async fn xlsx_work_orders(
    app: AppHandle,
    state: State<'_, AppState>,
    filter: WorkOrderFilter,
    language: Language,
) -> Res<Option<String>> {
    export(app, &state, List::WorkOrders, language, |d| {
        xlsx::work_orders(d, &filter, language)
    })
    .await
}

#[tauri::command]
pub async fn xlsx_parts(
    app: AppHandle,
    state: State<'_, AppState>,
    query: String,
    language: Language,
) -> Res<Option<String>> {
    export(app, &state, List::Parts, language, |d| {
        xlsx::parts(d, &query, language)
    })
    .await
}

#[tauri::command]
pub async fn xlsx_stock(
    app: AppHandle,
    state: State<'_, AppState>,
    location_id: Option<String>,
    language: Language,
) -> Res<Option<String>> {
    export(app, &state, List::Stock, language, |d| {
        xlsx::stock(d, location_id.as_deref(), language)
    })
    .await
}

#[tauri::command]
pub async fn xlsx_movements(
    app: AppHandle,
    state: State<'_, AppState>,
    filter: MovementFilter,
    language: Language,
) -> Res<Option<String>> {
    export(app, &state, List::Movements, language, |d| {
        xlsx::movements(d, &filter, language)
    })
    .await
}

#[tauri::command]
pub async fn xlsx_low_stock(
    app: AppHandle,
    state: State<'_, AppState>,
    window_days: i64,
    language: Language,
) -> Res<Option<String>> {
    export(app, &state, List::LowStock, language, |d| {
        xlsx::low_stock(d, window_days, language)
    })
    .await
}

#[tauri::command]
pub async fn xlsx_complaints(
    app: AppHandle,
    state: State<'_, AppState>,
    filter: ComplaintFilter,
    language: Language,
) -> Res<Option<String>> {
    export(app, &state, List::Complaints, language, |d| {
        xlsx::complaints(d, &filter, language)
    })
    .await
}

/// Builds the file first — a refused filter or permission is reported without a dialog —
/// then asks where to save it.
async fn export(
    app: AppHandle,
    state: &AppState,
    list: List,
    language: Language,
    build: impl FnOnce(&mut Desk) -> desk_core::Result<Vec<u8>>,
) -> Res<Option<String>> {
    let (bytes, name) = state.with(|d| {
        let bytes = build(d)?;
        Ok((bytes, xlsx::file_name(list, language, d.today())))
    })?;
    let (tx, rx) = std::sync::mpsc::channel();
    app.dialog()
        .file()
        .set_file_name(name)
        .add_filter("Excel", &["xlsx"])
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
    std::fs::write(&path, bytes).map_err(|e| Error::Io(e).payload())?;
    Ok(Some(path.to_string_lossy().into_owned()))
}
