//! `arsip backup TARGET`, `arsip --archive NEW restore FROM` and
//! `arsip verify --repair FROM`: the office's own copies, and an archive
//! rebuilt or mended from them.

use crate::commands::{open_archive, operator, say};
use crate::output::json_line;
use crate::{Cli, Command};
use anyhow::Result;
use arsip_core::strings::format;
use arsip_core::{Archive, Lang};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(cli: &Cli, lang: Lang, root: &Path) -> Result<ExitCode> {
    match &cli.command {
        Command::Backup { target } => {
            let archive = open_archive(root)?;
            let report = archive.backup(&folder(target), &operator())?;
            say(
                cli,
                lang,
                "backup.done",
                &[
                    ("target", &report.target),
                    ("records", &report.records),
                    ("blobs", &report.blobs),
                    ("copied", &report.blobs_copied),
                ],
                serde_json::json!({ "backup": report }),
            );
            problems(cli, lang, &report.problems);
            Ok(exit(report.problems.is_empty()))
        }
        Command::Restore { from } => {
            let (_, report) = Archive::restore(&folder(from), root, operator().actor())?;
            say(
                cli,
                lang,
                "restore.done",
                &[
                    ("archive", &report.archive),
                    ("records", &report.records),
                    ("made_at", &report.made_at),
                ],
                serde_json::json!({ "restored": report }),
            );
            if !cli.json {
                problems(cli, lang, &report.verify.missing);
                problems(cli, lang, &report.verify.corrupt);
            }
            Ok(exit(report.verify.problems() == 0))
        }
        Command::Verify { repair: Some(from) } => {
            let archive = open_archive(root)?;
            let report = archive.repair_url(&url(from), &operator())?;
            if cli.json {
                json_line(&serde_json::json!({ "repaired": report }));
            } else {
                for (record, sha) in &report.repaired {
                    println!(
                        "{}",
                        format("repair.done", lang, &[("record", record), ("sha", sha)])
                    );
                }
                for (record, sha) in &report.unrepaired {
                    eprintln!(
                        "{}",
                        format("repair.missing", lang, &[("record", record), ("sha", sha)])
                    );
                }
                let key = if report.verify.problems() == 0 {
                    "verify.ok"
                } else {
                    "verify.problems"
                };
                println!(
                    "{}",
                    format(
                        key,
                        lang,
                        &[
                            ("blobs", &report.verify.blobs_checked),
                            ("count", &report.verify.problems())
                        ]
                    )
                );
            }
            Ok(exit(report.verify.problems() == 0))
        }
        _ => Ok(ExitCode::FAILURE),
    }
}

fn problems(cli: &Cli, lang: Lang, list: &[(String, String)]) {
    if cli.json {
        return;
    }
    for (record, sha) in list {
        eprintln!(
            "{}",
            format("backup.problem", lang, &[("record", record), ("sha", sha)])
        );
    }
}

fn exit(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// A folder given as a path or a `file://` URL.
fn folder(given: &str) -> PathBuf {
    PathBuf::from(given.strip_prefix("file://").unwrap_or(given))
}

/// A store given as a URL, or a folder (a backup, a drive) as a path.
fn url(given: &str) -> String {
    if given.contains("://") {
        return given.to_string();
    }
    let path = std::path::absolute(given).unwrap_or_else(|_| PathBuf::from(given));
    format!("file://{}", path.display())
}
