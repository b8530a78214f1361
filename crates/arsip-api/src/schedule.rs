//! The office's own timers, run by whichever office process is up (`arsip
//! serve`, the desktop app): the scheduled backup (every few minutes it asks
//! the core whether the planned backup is due; the core lets one process
//! take it) and the scanner's watched folder (every few seconds a look, by
//! the one process holding the watch). A kiosk runs neither.

use arsip_core::watch::WatchLook;
use arsip_core::{Archive, Lang};
use std::sync::Arc;
use std::time::Duration;

/// How often a running office process looks whether a backup is due.
const BACKUP_EVERY: Duration = Duration::from_secs(300);

/// Starts the timers on threads of their own; they live as long as the process.
pub fn start_office_timers(archive: Arc<Archive>) {
    let backups = archive.clone();
    spawn("jadwal-cadangan", BACKUP_EVERY, move || {
        match backups.backup_if_due() {
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
    });
    // Unique to this process: another process on the archive waits its turn.
    let holder = format!("{}-{}", std::process::id(), arsip_core::RecordId::new());
    let mut said = None;
    spawn("folder-pantau", arsip_core::watch::LOOK_EVERY, move || {
        match archive.watch_once(&holder, arsip_core::watch::SETTLE) {
            Ok(WatchLook::Read(_, summary)) => {
                eprintln!(
                    "folder pantau / watched folder: {} ditambahkan / added, {} gagal / failed",
                    summary.added, summary.failed
                );
                said = None;
            }
            Ok(WatchLook::Idle | WatchLook::Elsewhere) => said = None,
            // Kept in the plan for the import screen; said here when it
            // changes, not at every look.
            Err(e) if said == Some(e.code) => {}
            Err(e) => {
                eprintln!(
                    "folder pantau: {} / watched folder: {}",
                    e.message_with_detail(Lang::Id),
                    e.message_with_detail(Lang::En)
                );
                said = Some(e.code);
            }
        }
    });
}

fn spawn(name: &str, every: Duration, mut tick: impl FnMut() + Send + 'static) {
    let spawned = std::thread::Builder::new()
        .name(name.into())
        .spawn(move || loop {
            tick();
            std::thread::sleep(every);
        });
    if let Err(e) = spawned {
        eprintln!("{name} tidak dapat dimulai / timer not started: {e}");
    }
}
