//! The desktop app's few options, from the command line and the environment.

use std::path::PathBuf;

pub struct Options {
    pub archive: PathBuf,
    /// The archive was named (`--archive`, `ARSIP_ARCHIVE`) or remembered
    /// from the first run: when it is missing, the window says so instead
    /// of offering to set up a new one in its place.
    pub archive_named: bool,
    pub kiosk: bool,
    pub kiosk_pin: Option<String>,
    /// Run the in-app self-check, write its report here, and quit.
    pub self_check: Option<PathBuf>,
}

const USAGE: &str =
    "Penggunaan / usage: rpp-arsip [--archive FOLDER] [--kiosk] [--self-check LAPORAN.json]";

impl Options {
    pub fn from_env() -> Result<Options, String> {
        let mut archive = None;
        let mut kiosk = std::env::var_os("ARSIP_KIOSK").is_some_and(|v| v == "1");
        let mut self_check = None;
        let mut args = std::env::args_os().skip(1);
        while let Some(arg) = args.next() {
            match arg.to_str() {
                Some("--archive") => archive = args.next().map(PathBuf::from),
                Some("--kiosk") => kiosk = true,
                Some("--self-check") => self_check = args.next().map(PathBuf::from),
                _ => return Err(format!("{USAGE}\n({})", arg.to_string_lossy())),
            }
        }
        let archive_named = archive.is_some()
            || std::env::var_os("ARSIP_ARCHIVE").is_some()
            || arsip_core::archive::remembered_dir().is_some();
        let archive = archive
            .or_else(arsip_core::archive::default_dir)
            .ok_or_else(|| USAGE.to_string())?;
        let kiosk_pin = std::env::var("ARSIP_KIOSK_PIN")
            .ok()
            .filter(|p| !p.trim().is_empty());
        Ok(Options {
            archive,
            archive_named,
            kiosk,
            kiosk_pin,
            self_check,
        })
    }
}
