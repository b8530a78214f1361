//! The office's scheduled backups, run by whichever office process is up
//! (`arsip serve`, the desktop app): every few minutes it asks the core
//! whether the planned backup is due; the core lets one process take it.
//! A kiosk never runs it.

use arsip_core::{Archive, Lang};
use std::sync::Arc;
use std::time::Duration;

/// How often a running office process looks whether a backup is due.
const EVERY: Duration = Duration::from_secs(300);

/// Starts the timer on its own thread; it lives as long as the process.
pub fn start_backup_timer(archive: Arc<Archive>) {
    let spawned = std::thread::Builder::new()
        .name("jadwal-cadangan".into())
        .spawn(move || loop {
            match archive.backup_if_due() {
                Ok(Some(report)) => eprintln!(
                    "cadangan terjadwal / scheduled backup: {} ({} arsip / records)",
                    report.target, report.records
                ),
                Ok(None) => {}
                // Kept in the plan for the admin's screen too.
                Err(e) => eprintln!(
                    "cadangan terjadwal gagal: {} / scheduled backup failed: {}",
                    e.message_with_detail(Lang::Id),
                    e.message_with_detail(Lang::En)
                ),
            }
            std::thread::sleep(EVERY);
        });
    if let Err(e) = spawned {
        eprintln!("jadwal cadangan tidak dapat dimulai / backup timer not started: {e}");
    }
}
