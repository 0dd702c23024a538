//! Backup commands (each a call into `desk_core::backup`), the file dialog for a restore from
//! elsewhere, opening the backups folder, and the daily backup the app takes by itself.

use std::path::PathBuf;
use std::time::Duration;

use desk_core::backup::{self, BackupInfo, BackupReason, BackupSettings, Restored};
use desk_core::{Error, ErrorPayload};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use crate::AppState;

type Res<T> = Result<T, ErrorPayload>;

#[tauri::command]
pub async fn backup_list(state: State<'_, AppState>) -> Res<Vec<BackupInfo>> {
    state.with(|d| backup::list(d))
}

#[tauri::command]
pub async fn backup_create(state: State<'_, AppState>) -> Res<BackupInfo> {
    state.with(|d| backup::create(d, BackupReason::Manual))
}

#[tauri::command]
pub async fn backup_settings(state: State<'_, AppState>) -> Res<BackupSettings> {
    state.with(|d| backup::settings(d))
}

#[tauri::command]
pub async fn backup_set_keep(state: State<'_, AppState>, keep: i64) -> Res<BackupSettings> {
    state.with(|d| backup::set_keep(d, keep))
}

/// Restores a listed backup by its file name. The session ends: the UI re-reads the status.
#[tauri::command]
pub async fn backup_restore(state: State<'_, AppState>, file_name: String) -> Res<Restored> {
    state.with(|d| backup::restore(d, &file_name))
}

/// Restores from a file chosen with [`backup_pick_file`].
#[tauri::command]
pub async fn backup_restore_file(state: State<'_, AppState>, path: String) -> Res<Restored> {
    state.with(|d| backup::restore_file(d, &PathBuf::from(path)))
}

/// The system's open dialog, starting in the backups folder; `None` when cancelled.
#[tauri::command]
pub async fn backup_pick_file(app: AppHandle, state: State<'_, AppState>) -> Res<Option<String>> {
    let dir = state.with(|d| backup::settings(d))?.dir;
    let (tx, rx) = std::sync::mpsc::channel();
    app.dialog()
        .file()
        .set_directory(dir)
        .add_filter("SQLite", &["sqlite", "db"])
        .pick_file(move |path| {
            let _ = tx.send(path);
        });
    let chosen = tauri::async_runtime::spawn_blocking(move || rx.recv().ok().flatten())
        .await
        .ok()
        .flatten();
    Ok(chosen
        .and_then(|p| p.into_path().ok())
        .map(|p| p.to_string_lossy().into_owned()))
}

/// Shows the backups folder in the system's file manager (created first if still missing).
#[tauri::command]
pub async fn backup_open_folder(app: AppHandle, state: State<'_, AppState>) -> Res<String> {
    let io = |e: std::io::Error| Error::Io(e).payload();
    let dir = state.with(|d| backup::settings(d))?.dir;
    std::fs::create_dir_all(&dir).map_err(io)?;
    app.opener()
        .open_path(dir.clone(), None::<&str>)
        .map_err(|e| io(std::io::Error::other(e.to_string())))?;
    Ok(dir)
}

/// The daily backup, with nobody thinking about it: checked shortly after startup (not at
/// once, so the first screen is not kept waiting for the database) and then every hour; the
/// core decides whether one is due. A backup holds the desk for as long as VACUUM INTO runs
/// (a fraction of a second for a typical site), like any command.
pub fn schedule_daily(app: AppHandle) {
    const FIRST: Duration = Duration::from_secs(20);
    const EVERY: Duration = Duration::from_secs(3600);
    std::thread::Builder::new()
        .name("daily-backup".into())
        .spawn(move || {
            std::thread::sleep(FIRST);
            loop {
                let state = app.state::<AppState>();
                if state.desk.is_err() {
                    return; // the database did not open: the UI says why
                }
                match state.with(backup::run_daily) {
                    Ok(Some(b)) => eprintln!("daily backup: {}", b.file_name),
                    Ok(None) => {}
                    Err(e) => eprintln!("daily backup failed: {}", e.message),
                }
                std::thread::sleep(EVERY);
            }
        })
        .expect("a thread for the daily backup");
}
