//! The smallest Tauri app we can ship: one window, one static page, one command.
//! The startup bench compares After-Sales Desk against it, so the difference is what
//! our own UI and core cost on top of Tauri and WebKitGTK.

use std::io::Write;

/// Called by www/ready.js once the page has loaded; the bench waits for this line.
#[tauri::command]
fn ready() {
    let mut out = std::io::stdout().lock();
    // A closed stdout must not crash the window; the bench is the only reader.
    let _ = writeln!(out, "DESK_READY");
    let _ = out.flush();
}

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ready])
        .run(tauri::generate_context!())
        .expect("bare-window failed to start");
}
