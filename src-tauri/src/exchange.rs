//! Commands for export and import between sites: files chosen in the system dialogs here in
//! the shell, everything else in the core.

use std::path::PathBuf;

use desk_core::exchange::{self, Conflict, ExchangeSummary, ExportOptions, ImportOptions, Peer};
use desk_core::ErrorPayload;
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_dialog::DialogExt;

use crate::AppState;

type Res<T> = Result<T, ErrorPayload>;

async fn pick(app: &AppHandle, save_as: Option<String>) -> Option<PathBuf> {
    let (tx, rx) = std::sync::mpsc::channel();
    let dialog = app
        .dialog()
        .file()
        .add_filter("After-Sales Desk bundle", &["zip"]);
    match save_as {
        Some(name) => dialog.set_file_name(name).save_file(move |p| {
            let _ = tx.send(p);
        }),
        None => dialog.pick_file(move |p| {
            let _ = tx.send(p);
        }),
    }
    tauri::async_runtime::spawn_blocking(move || rx.recv().ok().flatten())
        .await
        .ok()
        .flatten()
        .and_then(|p| p.into_path().ok())
}

/// Export to a file chosen in the save dialog (or `path` when given: tests, scripts).
/// `None` when the dialog was cancelled.
#[tauri::command]
pub async fn exchange_export(
    app: AppHandle,
    state: State<'_, AppState>,
    options: ExportOptions,
    path: Option<String>,
) -> Res<Option<ExchangeSummary>> {
    let name = state.with(|d| exchange::suggested_file_name(d, &options))?;
    let Some(path) = (match path {
        Some(p) => Some(PathBuf::from(p)),
        None => pick(&app, Some(name)).await,
    }) else {
        return Ok(None);
    };
    state
        .with(|d| exchange::export_reporting(d, &options, &path, &mut progress(&app)))
        .map(Some)
}

/// The bundle to import, chosen in the open dialog; `None` when cancelled. The screen keeps
/// the path, so that confirming a site outside the network imports the same file again
/// without asking for it twice.
#[tauri::command]
pub async fn exchange_pick_bundle(app: AppHandle) -> Res<Option<String>> {
    Ok(pick(&app, None)
        .await
        .map(|p| p.to_string_lossy().into_owned()))
}

#[tauri::command]
pub async fn exchange_import(
    app: AppHandle,
    state: State<'_, AppState>,
    options: ImportOptions,
    path: Option<String>,
) -> Res<Option<ExchangeSummary>> {
    let Some(path) = (match path {
        Some(p) => Some(PathBuf::from(p)),
        None => pick(&app, None).await,
    }) else {
        return Ok(None);
    };
    let summary =
        state.with(|d| exchange::import_reporting(d, &path, &options, &mut progress(&app)))?;
    finish_in_background(app);
    Ok(Some(summary))
}

/// Forwards the core's progress reports to the screen as `exchange-progress` events.
fn progress(app: &AppHandle) -> impl FnMut(&exchange::Progress) + '_ {
    move |p| {
        let _ = app.emit("exchange-progress", p);
    }
}

/// After an import's commit: the search entries of the customers it brought and the WAL
/// checkpoint, in batches that hold the desk a moment each so the screens stay responsive.
/// Also run at start, for an import whose indexing a stop interrupted.
pub fn finish_in_background(app: AppHandle) {
    const BATCH: usize = 2_000;
    std::thread::Builder::new()
        .name("after-import".into())
        .spawn(move || {
            let state = app.state::<AppState>();
            if state.desk.is_err() {
                return;
            }
            loop {
                match state.with(|d| exchange::after_import(d, BATCH)) {
                    Ok(0) => return,
                    Ok(_) => std::thread::yield_now(),
                    Err(e) => {
                        eprintln!("indexing imported customers failed: {}", e.message);
                        return;
                    }
                }
            }
        })
        .expect("a thread for the work after an import");
}

#[tauri::command]
pub async fn exchange_history(state: State<'_, AppState>) -> Res<Vec<ExchangeSummary>> {
    state.with(|d| exchange::history(d, 200))
}

#[tauri::command]
pub async fn exchange_peers(state: State<'_, AppState>) -> Res<Vec<Peer>> {
    state.with(|d| exchange::peers(d))
}

#[tauri::command]
pub async fn exchange_add_peer(state: State<'_, AppState>, peer: Peer) -> Res<Vec<Peer>> {
    state.with(|d| exchange::add_peer(d, peer))
}

#[tauri::command]
pub async fn exchange_conflicts(state: State<'_, AppState>, open_only: bool) -> Res<Vec<Conflict>> {
    state.with(|d| exchange::conflicts(d, open_only))
}

#[tauri::command]
pub async fn exchange_resolve(
    state: State<'_, AppState>,
    id: String,
    keep: String,
) -> Res<Conflict> {
    state.with(|d| exchange::resolve_conflict(d, &id, &keep))
}
