//! `arsip export bag|atom-csv`: handover to the regional archive.

use crate::commands::{open_archive, operator, say};
use crate::Cli;
use crate::ExportCommand;
use anyhow::{Context, Result};
use arsip_core::handover::Scope;
use arsip_core::Lang;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

pub fn run(cli: &Cli, lang: Lang, root: &Path, command: &ExportCommand) -> Result<ExitCode> {
    let archive = open_archive(root)?;
    match command {
        ExportCommand::Bag { dir, series, list } => {
            let report = archive.export_bag(dir, scope(series, list), &operator())?;
            say(
                cli,
                lang,
                "export.bag",
                &[
                    ("path", &dir.display()),
                    ("records", &report.records),
                    ("files", &report.files),
                ],
                serde_json::json!({"bag": report}),
            );
        }
        ExportCommand::AtomCsv { file, series, list } => {
            let csv = archive.export_atom_csv(scope(series, list), &operator())?;
            write_atomically(file, csv.as_bytes())?;
            let rows = csv.lines().count().saturating_sub(1);
            say(
                cli,
                lang,
                "export.atom",
                &[("path", &file.display()), ("rows", &rows)],
                serde_json::json!({"atom_csv": file, "rows": rows}),
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A handover list's records, or one series', or all.
fn scope<'a>(series: &'a Option<String>, list: &'a Option<String>) -> Scope<'a> {
    match list {
        Some(id) => Scope::List(id),
        None => Scope::Series(series.as_deref()),
    }
}

/// Temp file beside the target, fsync, rename: no half-written CSV under the name asked for.
fn write_atomically(file: &Path, bytes: &[u8]) -> Result<()> {
    let dir = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp =
        tempfile::NamedTempFile::new_in(dir).with_context(|| dir.display().to_string())?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(file)
        .with_context(|| file.display().to_string())?;
    Ok(())
}
