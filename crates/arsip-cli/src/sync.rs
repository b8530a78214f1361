//! `arsip key`, `arsip office` and `arsip sync`: the terminal side of sync.
//! Exit code 0 only when everything was sent or applied.

use crate::commands::{open_archive, operator, say};
use crate::output::json_line;
use crate::{Cli, Command, KeyCommand, OfficeCommand, SyncCommand};
use anyhow::Result;
use arsip_core::strings::{format, text};
use arsip_core::sync::{PushEvent, PushOptions};
use arsip_core::{Archive, Lang};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

pub fn run(cli: &Cli, lang: Lang, root: &Path) -> Result<ExitCode> {
    let archive = open_archive(root)?;
    match &cli.command {
        Command::Key {
            command: KeyCommand::Show,
        } => {
            let key = archive.office_key()?;
            if cli.json {
                json_line(&serde_json::json!({"key": key.to_hex()}));
            } else if std::io::stdout().is_terminal() {
                println!("{}", format("key.show", lang, &[("key", &key)]));
            } else {
                // Piped: the key alone, so `$(arsip key show)` works.
                println!("{key}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Office {
            command: OfficeCommand::Add { name, key },
        } => {
            archive.register_office(name, key, &operator())?;
            say(
                cli,
                lang,
                "office.added",
                &[("name", name)],
                serde_json::json!({"office": name, "key": key}),
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Office {
            command: OfficeCommand::Replace { name, key },
        } => {
            archive.replace_office_key(name, key, &operator())?;
            say(
                cli,
                lang,
                "office.replaced",
                &[("name", name)],
                serde_json::json!({"office": name, "key": key}),
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Sync {
            command:
                SyncCommand::Push {
                    target,
                    limit_kbps,
                    transfers,
                },
        } => push(cli, lang, &archive, target, *limit_kbps, *transfers),
        Command::Sync {
            command: SyncCommand::Pull { source },
        } => pull(cli, lang, &archive, source),
        Command::Sync {
            command: SyncCommand::Status,
        } => status(cli, lang, &archive),
        Command::Sync {
            command:
                SyncCommand::S3 {
                    endpoint,
                    region,
                    access_key_id,
                    allow_http,
                },
        } => {
            let mut secret = String::new();
            std::io::stdin().read_line(&mut secret)?;
            let allow = if *allow_http { "true" } else { "false" };
            arsip_remote::save_settings(
                root,
                &[
                    ("aws_endpoint", endpoint),
                    ("aws_region", region),
                    ("aws_access_key_id", access_key_id),
                    ("aws_secret_access_key", secret.trim()),
                    ("aws_allow_http", allow),
                ],
            )?;
            say(
                cli,
                lang,
                "sync.s3.saved",
                &[("endpoint", endpoint)],
                serde_json::json!({"s3": endpoint}),
            );
            Ok(ExitCode::SUCCESS)
        }
        _ => Ok(ExitCode::FAILURE),
    }
}

fn push(
    cli: &Cli,
    lang: Lang,
    archive: &Archive,
    target: &str,
    limit_kbps: Option<u64>,
    transfers: usize,
) -> Result<ExitCode> {
    let bar = (!cli.json && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(0);
        if let Ok(style) = ProgressStyle::with_template(
            "{msg} [{bar:40}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(text("sync.progress", lang));
        bar
    });
    let progress = |event: PushEvent| {
        if let Some(bar) = &bar {
            match event {
                PushEvent::Planned { bytes, .. } => bar.set_length(bytes),
                PushEvent::Sent(n) => bar.inc(n),
                PushEvent::BlobDone | PushEvent::SegmentDone => {}
            }
        }
    };
    let opts = PushOptions {
        bytes_per_second: limit_kbps.map(|k| k * 1024),
        transfers,
    };
    let report = archive.sync_push_url(target, &opts, &progress, &operator());
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = report?;
    let mb = format!("{:.1}", report.bytes_sent as f64 / 1e6);
    say(
        cli,
        lang,
        "sync.pushed",
        &[
            ("target", &report.target),
            ("blobs", &report.blobs_sent),
            ("mb", &mb),
            ("segments", &report.segments_sent),
            ("head", &report.head),
        ],
        serde_json::json!({"pushed": report}),
    );
    Ok(ExitCode::SUCCESS)
}

fn pull(cli: &Cli, lang: Lang, archive: &Archive, source: &str) -> Result<ExitCode> {
    let report = archive.sync_pull_url(source, &operator())?;
    if cli.json {
        json_line(&serde_json::json!({"pulled": report}));
    } else {
        for o in &report.offices {
            println!(
                "{}",
                format(
                    "sync.pulled",
                    lang,
                    &[
                        ("office", &o.office),
                        ("segments", &o.segments),
                        ("records", &o.records),
                        ("applied", &o.applied),
                    ],
                )
            );
            if o.files_missing > 0 {
                eprintln!(
                    "{}",
                    format(
                        "sync.files_missing",
                        lang,
                        &[("office", &o.office), ("count", &o.files_missing)],
                    )
                );
            }
        }
        for r in &report.rejected {
            eprintln!(
                "{}",
                format(
                    "sync.rejected",
                    lang,
                    &[
                        ("object", &r.object),
                        ("office", &r.office),
                        ("reason", &r.reason)
                    ],
                )
            );
        }
        for office in &report.unregistered {
            eprintln!(
                "{}",
                format("sync.unregistered", lang, &[("office", office)])
            );
        }
        if report.destroyed_files_removed > 0 {
            println!(
                "{}",
                format(
                    "sync.purged",
                    lang,
                    &[
                        ("count", &report.destroyed_files_removed),
                        ("source", &report.source)
                    ],
                )
            );
        }
    }
    Ok(if report.complete() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn status(cli: &Cli, lang: Lang, archive: &Archive) -> Result<ExitCode> {
    let s = archive.sync_status(lang, &operator())?;
    if cli.json {
        json_line(&s);
        return Ok(ExitCode::SUCCESS);
    }
    let kind = text(
        if s.province {
            "kind.province"
        } else {
            "kind.office"
        },
        lang,
    );
    println!(
        "{}",
        format(
            "sync.status",
            lang,
            &[
                ("office", &s.office),
                ("kind", &kind),
                ("key", &s.key),
                ("changes", &s.changes),
                ("unsealed", &s.unsealed),
            ],
        )
    );
    for t in &s.targets {
        let error = t
            .last_error
            .as_deref()
            .map(|e| format!("{}{e}", text("sync.last_error", lang)))
            .unwrap_or_default();
        let never = text("sync.never", lang).to_string();
        println!(
            "{}",
            format(
                "sync.status.target",
                lang,
                &[
                    ("url", &t.url),
                    ("sent", &t.sent_seq),
                    ("waiting", &(s.changes - t.sent_seq)),
                    ("success", t.last_success.as_ref().unwrap_or(&never)),
                    ("error", &error),
                ],
            )
        );
    }
    for o in &s.offices {
        println!(
            "{}",
            format(
                "sync.status.office",
                lang,
                &[("office", &o.name), ("applied", &o.applied_seq)],
            )
        );
    }
    for url in &s.approved {
        println!("{}", format("sync.status.approved", lang, &[("url", url)]));
    }
    Ok(ExitCode::SUCCESS)
}
