//! `arsip backup TARGET`, `arsip --archive NEW restore FROM` and
//! `arsip verify --repair FROM`: the office's own copies, and an archive
//! rebuilt or mended from them.

use crate::commands::{open_archive, operator, say};
use crate::output::json_line;
use crate::{Cli, Command};
use anyhow::Result;
use arsip_core::strings::{format, text};
use arsip_core::sync::PublicKey;
use arsip_core::{Archive, Error, ErrorCode, Lang};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(cli: &Cli, lang: Lang, root: &Path) -> Result<ExitCode> {
    match &cli.command {
        Command::Backup { target } => {
            let archive = open_archive(root)?;
            let report = archive.backup(&folder(target)?, &operator())?;
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
        Command::Restore { from, region } => {
            if let Some((store, key)) = arsip_core::sync::split_office_url(from) {
                return recover(cli, lang, root, &url(&store)?, &key, region.as_deref());
            }
            let (_, report) = Archive::restore(&folder(from)?, root, operator().actor())?;
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
            let report = archive.repair_url(&url(from)?, &operator())?;
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

/// Rebuilds a lost office from the log and files it pushed.
fn recover(
    cli: &Cli,
    lang: Lang,
    root: &Path,
    store: &str,
    key: &PublicKey,
    region: Option<&str>,
) -> Result<ExitCode> {
    // The store's settings come from the environment: the new archive has none yet.
    let remote = arsip_remote::opener(root)(store)?;
    let (_, report) =
        Archive::recover_office(remote.as_ref(), key, root, region, operator().actor())?;
    let guessed = if report.region_guessed {
        text("recover.guessed", lang)
    } else {
        ""
    };
    say(
        cli,
        lang,
        "recover.done",
        &[
            ("archive", &report.archive),
            ("office", &report.office),
            ("records", &report.records),
            ("seq", &report.last_seq),
            ("blobs", &report.blobs),
            ("missing", &report.blobs_missing),
            ("region", &report.region),
            ("guessed", &guessed),
            ("key", &report.new_key),
        ],
        serde_json::json!({ "recovered": report }),
    );
    if !cli.json {
        problems(cli, lang, &report.verify.missing);
        problems(cli, lang, &report.verify.corrupt);
    }
    Ok(exit(report.verify.problems() == 0))
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

/// A folder given as a path or a `file:///` URL; any other address (a
/// backup goes to a disk, not to `s3://`) is refused.
fn folder(given: &str) -> Result<PathBuf> {
    let path = match given.split_once("://") {
        None => PathBuf::from(given),
        Some(("file", rest)) if rest.starts_with('/') => PathBuf::from(drive_path(rest)),
        Some(_) => {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("{given}: a backup folder is a path, e.g. /media/cadangan or file:///media/cadangan"),
            )
            .into())
        }
    };
    Ok(std::path::absolute(&path).unwrap_or(path))
}

/// A store given as a URL, or a folder (a backup, a drive) as a path, which
/// must exist: a mistyped source is an error, not an empty one.
fn url(given: &str) -> Result<String> {
    if given.contains("://") && !given.starts_with("file://") {
        return Ok(given.to_string());
    }
    let path = folder(given)?;
    if !path.is_dir() {
        return Err(Error::new(ErrorCode::NotFound, path.display().to_string()).into());
    }
    Ok(file_url(&path))
}

/// The path of a `file://` URL's `/…` part: `/C:/rpp` names a Windows
/// drive, so the slash before the letter goes.
fn drive_path(rest: &str) -> &str {
    let b = rest.as_bytes();
    if b.len() >= 3 && b[0] == b'/' && b[1].is_ascii_alphabetic() && b[2] == b':' {
        &rest[1..]
    } else {
        rest
    }
}

/// `file:///media/usb` or, for a Windows path, `file:///Z:/usb`.
fn file_url(path: &Path) -> String {
    let text = path.display().to_string().replace('\\', "/");
    if text.starts_with('/') {
        format!("file://{text}")
    } else {
        format!("file:///{text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_drives_in_file_urls() {
        assert_eq!(drive_path("/Z:/tmp/usb"), "Z:/tmp/usb");
        assert_eq!(drive_path("/media/usb"), "/media/usb");
        assert_eq!(file_url(Path::new("/media/usb")), "file:///media/usb");
        assert_eq!(file_url(Path::new("Z:\\tmp\\usb")), "file:///Z:/tmp/usb");
    }
}
