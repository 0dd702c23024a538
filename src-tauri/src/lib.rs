//! The desktop shell: finds the data folder, opens the core's `Desk` once, and exposes the
//! core to the UI through thin commands. No rule lives here.

mod backup;
mod cli;
mod commands;
mod complaints;
mod exchange;
mod paperwork;
mod stock;
mod xlsx;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use desk_core::{Clock, Desk, ErrorPayload, SystemClock};
use tauri::Manager;

/// The one open database, or why it could not be opened (shown by the UI, e.g. a database
/// written by a newer version).
pub struct AppState {
    desk: Result<Mutex<Desk>, ErrorPayload>,
}

impl AppState {
    /// Runs `f` on the desk, turning a core error into its wire form.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Desk) -> desk_core::Result<T>,
    ) -> Result<T, ErrorPayload> {
        let desk = self.desk.as_ref().map_err(Clone::clone)?;
        // A panic in one command must not lock the desk for the rest of the session.
        let mut desk = desk.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut desk).map_err(|e| e.payload())
    }
}

pub const DATA_DIR_ENV: &str = "DESK_DATA_DIR";

/// `--data-dir DIR`, else `$DESK_DATA_DIR`, else the OS app-data folder (resolved by Tauri).
fn data_dir_override(args: &[String]) -> Option<PathBuf> {
    args.windows(2)
        .find(|w| w[0] == "--data-dir")
        .map(|w| PathBuf::from(&w[1]))
        .or_else(|| {
            args.iter()
                .find_map(|a| a.strip_prefix("--data-dir=").map(PathBuf::from))
        })
        .or_else(|| {
            std::env::var_os(DATA_DIR_ENV)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
}

/// The app's clock. Debug builds take `--test-clock-offset-minutes=N`: the end-to-end tests
/// start the app "later" to watch complaint clocks run out. Release builds have no such hook.
fn clock(args: &[String]) -> Arc<dyn Clock> {
    #[cfg(debug_assertions)]
    if let Some(minutes) = args.iter().find_map(|a| {
        a.strip_prefix("--test-clock-offset-minutes=")
            .and_then(|m| m.parse::<i64>().ok())
    }) {
        return Arc::new(desk_core::clock::OffsetClock::minutes(minutes));
    }
    let _ = args;
    Arc::new(SystemClock)
}

pub fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(code) = cli::run(&args, data_dir_override(&args)) {
        std::process::exit(code);
    }
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(move |app| {
            let dir = match data_dir_override(&args) {
                Some(d) => d,
                None => app.path().app_data_dir()?,
            };
            let desk = Desk::open_with_clock(&dir.join(desk_core::db::DB_FILE), clock(&args))
                .map(Mutex::new)
                .map_err(|e| e.payload());
            if let Err(e) = &desk {
                eprintln!(
                    "cannot open the database in {}: {}",
                    dir.display(),
                    e.message
                );
            }
            app.manage(AppState { desk });
            backup::schedule_daily(app.handle().clone());
            exchange::finish_in_background(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::setup,
            commands::sign_in,
            commands::sign_out,
            commands::set_language,
            commands::update_site,
            commands::list_sites,
            commands::get_policy,
            commands::update_policy,
            commands::list_users,
            commands::create_user,
            commands::update_user,
            commands::set_password,
            commands::list_models,
            commands::create_model,
            commands::update_model,
            commands::search_customers,
            commands::get_customer,
            commands::create_customer,
            commands::update_customer,
            commands::create_unit,
            commands::update_unit,
            commands::load_demo_data,
            commands::ui_ready,
            exchange::exchange_export,
            exchange::exchange_import,
            exchange::exchange_pick_bundle,
            exchange::exchange_history,
            exchange::exchange_peers,
            exchange::exchange_add_peer,
            exchange::exchange_conflicts,
            exchange::exchange_resolve,
            backup::backup_list,
            backup::backup_create,
            backup::backup_settings,
            backup::backup_set_keep,
            backup::backup_restore,
            backup::backup_restore_file,
            backup::backup_pick_file,
            backup::backup_open_folder,
            complaints::complaint_register,
            complaints::complaint_get,
            complaints::complaint_list,
            complaints::complaint_step,
            complaints::complaint_respond,
            complaints::complaint_pause,
            complaints::complaint_resume,
            complaints::complaint_hand_over,
            complaints::complaint_handlers,
            complaints::complaint_issue_handling,
            complaints::complaint_attach,
            complaints::complaint_attachment,
            complaints::complaint_board,
            complaints::complaint_escalations,
            complaints::complaint_kpis,
            complaints::sla_policies,
            complaints::sla_update,
            complaints::calendar_year,
            complaints::calendar_set_year,
            complaints::calendar_import,
            complaints::calendar_set_hours,
            paperwork::wo_intake,
            paperwork::wo_get,
            paperwork::wo_list,
            paperwork::wo_technicians,
            paperwork::wo_staff,
            paperwork::wo_hand_over,
            paperwork::wo_answer,
            paperwork::wo_cancel,
            paperwork::wo_proposed_address,
            paperwork::wo_booking_clashes,
            paperwork::wo_schedule,
            paperwork::wo_dispatch,
            paperwork::wo_reissue_slip,
            paperwork::wo_arrive,
            paperwork::wo_record_work,
            paperwork::wo_issue_receipt,
            paperwork::wo_complete,
            paperwork::wo_fail_acceptance,
            paperwork::wo_settle_return,
            paperwork::doc_get,
            paperwork::doc_pdf,
            paperwork::doc_void,
            paperwork::doc_open,
            paperwork::doc_save_as,
            paperwork::doc_check_scan,
            paperwork::doc_attach_scan,
            paperwork::doc_scan_bytes,
            stock::parts_list,
            stock::parts_create,
            stock::parts_update,
            stock::locations_list,
            stock::locations_create,
            stock::stock_receive,
            stock::stock_transfer,
            stock::stock_factory_return,
            stock::stock_balance,
            stock::stock_list,
            stock::stock_movements,
            stock::stock_low,
            stock::req_list,
            stock::req_get,
            stock::req_request,
            stock::req_approve,
            stock::req_reject,
            stock::req_issue,
            stock::req_return_unused,
            stock::req_reconcile,
            stock::parts_usage,
            stock::stocktake_list,
            stock::stocktake_get,
            stock::stocktake_start,
            stock::stocktake_enter_counts,
            stock::stocktake_submit,
            stock::stocktake_post,
            stock::stocktake_reject,
            stock::scrap_list,
            stock::scrap_get,
            stock::scrap_request,
            stock::scrap_review,
            stock::scrap_approve,
            stock::scrap_dispose,
            stock::scrap_photo,
            stock::transfers_list,
            stock::transfers_send,
            stock::transfers_receive,
            xlsx::xlsx_customers,
            xlsx::xlsx_work_orders,
            xlsx::xlsx_parts,
            xlsx::xlsx_stock,
            xlsx::xlsx_movements,
            xlsx::xlsx_low_stock,
            xlsx::xlsx_complaints,
        ])
        .run(tauri::generate_context!())
        .expect("error while running After-Sales Desk");
}
