//! `arsip berkas …`, `arsip retention` and `arsip digitisation`: berkas
//! made, listed, filed into and given their JRA row, what falls due under
//! the schedule, and the record of their digitisation (alih media).

use crate::commands::{open_archive, operator, say};
use crate::{BerkasCommand, Cli, Command};
use anyhow::{bail, Result};
use arsip_core::catalogue::berkas::{Berkas, BerkasEdit, NewBerkas};
use arsip_core::catalogue::RecordEdit;
use arsip_core::strings::format;
use arsip_core::{AccessLevel, Archive, Lang, RecordId};
use std::path::Path;
use std::process::ExitCode;

pub fn run(cli: &Cli, lang: Lang, root: &Path) -> Result<ExitCode> {
    let archive = open_archive(root)?;
    let me = operator();
    match &cli.command {
        Command::Berkas {
            command:
                BerkasCommand::Add {
                    number,
                    title,
                    classification,
                    from,
                    to,
                    access,
                    box_no,
                    folder,
                },
        } => {
            let new = NewBerkas {
                number: number.clone(),
                title: title.clone(),
                classification: classification.clone(),
                year_from: *from,
                year_to: *to,
                access: access.as_deref().map(AccessLevel::parse).transpose()?,
                in_box: box_no
                    .as_deref()
                    .map(|n| archive.box_numbered(n, &me))
                    .transpose()?,
                folder: folder.clone(),
            };
            let b = archive.add_berkas(&new, &me)?;
            let suggested = b
                .jra_suggested
                .as_ref()
                .map(|r| r.code.as_str())
                .unwrap_or("-");
            say(
                cli,
                lang,
                "berkas.added",
                &[("number", &b.number), ("jra", &suggested)],
                serde_json::json!({"berkas": b}),
            );
        }
        Command::Berkas {
            command:
                BerkasCommand::Edit {
                    berkas,
                    title,
                    classification,
                    from,
                    to,
                    box_no,
                    folder,
                    access,
                    reason,
                },
        } => {
            let b = find(&archive, berkas)?;
            let edit = BerkasEdit {
                title: title.clone(),
                classification: classification.clone(),
                year_from: *from,
                year_to: *to,
                in_box: match box_no.as_deref().map(str::trim) {
                    None => None,
                    Some("") => Some(String::new()),
                    Some(n) => Some(archive.box_numbered(n, &me)?.to_string()),
                },
                folder: folder.clone(),
                access: access.as_deref().map(AccessLevel::parse).transpose()?,
                reason: reason.clone(),
                ..BerkasEdit::default()
            };
            let b = archive.edit_berkas(&b.id, &edit, &me)?;
            println_or_json(cli, &b, lang);
        }
        Command::Berkas {
            command: BerkasCommand::List,
        } => {
            let list = archive.berkas_list(&me)?;
            for b in &list {
                println_or_json(cli, b, lang);
            }
        }
        Command::Berkas {
            command: BerkasCommand::File { berkas, records },
        } => {
            let b = find(&archive, berkas)?;
            let edit = RecordEdit {
                berkas: Some(b.id.to_string()),
                ..RecordEdit::default()
            };
            let ids = records
                .iter()
                .map(|r| RecordId::parse(r))
                .collect::<arsip_core::Result<Vec<_>>>()?;
            let n = archive.edit_many(&ids, &edit, &me)?;
            say(
                cli,
                lang,
                "berkas.filed",
                &[("count", &n), ("number", &b.number)],
                serde_json::json!({"berkas": b.id, "filed": n}),
            );
        }
        Command::Berkas {
            command: BerkasCommand::Jra { berkas, code },
        } => {
            let b = find(&archive, berkas)?;
            let code = match code {
                Some(c) => c.clone(),
                None => match &b.jra_suggested {
                    Some(row) => row.code.clone(),
                    None => bail!(format("berkas.no_jra", lang, &[("number", &b.number)])),
                },
            };
            let edit = BerkasEdit {
                jra: Some(code),
                ..BerkasEdit::default()
            };
            let b = archive.edit_berkas(&b.id, &edit, &me)?;
            println_or_json(cli, &b, lang);
        }
        Command::Retention { on } => {
            let on = on
                .as_deref()
                .map(arsip_core::retention::parse_day)
                .transpose()?;
            let report = archive.retention_report(on, &me)?;
            if cli.json {
                crate::output::json_line(&serde_json::json!({"retention": report}));
            } else {
                println!("{}", format("retention.on", lang, &[("date", &report.on)]));
                for (key, list) in [
                    ("retention.transfer", &report.transfer),
                    ("retention.assess", &report.assess),
                    ("retention.handover", &report.handover),
                    ("retention.review", &report.review),
                    ("retention.unconfirmed", &report.unconfirmed),
                    ("retention.undated", &report.undated),
                ] {
                    println!("{}", format(key, lang, &[("count", &list.len())]));
                    for b in list {
                        println!("  {}", line(b, lang));
                    }
                }
                println!(
                    "{}",
                    format(
                        "retention.totals",
                        lang,
                        &[
                            ("permanent", &report.permanent),
                            ("unfiled", &report.unfiled)
                        ]
                    )
                );
            }
            // Something due is news, not a failure: exit 0 either way.
        }
        Command::Digitisation(args) => digitisation(cli, lang, &archive, args, &me)?,
        _ => unreachable!("holdings::run is called for berkas, retention and digitisation only"),
    }
    Ok(ExitCode::SUCCESS)
}

/// A berkas named by its number or id.
fn signer(
    name: &str,
    nip: &Option<String>,
    position: &Option<String>,
) -> arsip_core::digitisation::Signer {
    arsip_core::digitisation::Signer {
        name: name.to_string(),
        nip: nip.clone(),
        position: position.clone(),
    }
}

/// `arsip digitisation`: the documents asked for, each written where it
/// was asked to be.
fn digitisation(
    cli: &Cli,
    lang: Lang,
    archive: &Archive,
    args: &crate::DigitisationArgs,
    me: &arsip_core::Clearance,
) -> Result<()> {
    use arsip_core::digitisation::{Digitisation, Document, ScanColour};
    let crate::DigitisationArgs {
        berkas,
        number,
        day,
        device,
        dpi,
        colour,
        unit,
        operator,
        operator_nip,
        operator_position,
        witness,
        witness_nip,
        witness_position,
        head,
        head_nip,
        head_position,
        ba,
        list,
        csv,
        xlsx,
    } = args;
    let wanted: Vec<(Document, &std::path::PathBuf)> = [
        (Document::BeritaAcara, ba),
        (Document::ListPdf, list),
        (Document::ListCsv, csv),
        (Document::ListXlsx, xlsx),
    ]
    .into_iter()
    .filter_map(|(d, p)| p.as_ref().map(|p| (d, p)))
    .collect();
    if wanted.is_empty() {
        bail!("--ba, --list, --csv or --xlsx: at least one document to write");
    }
    // Every file can be written before any document is made (and audited).
    for (_, path) in &wanted {
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => std::path::Path::new("."),
        };
        if !folder.is_dir() {
            bail!(arsip_core::Error::new(
                arsip_core::ErrorCode::Io,
                format!("{}: no such folder", folder.display())
            ));
        }
    }
    let request = Digitisation {
        berkas: berkas
            .iter()
            .map(|n| find(archive, n).map(|b| b.id))
            .collect::<Result<_>>()?,
        number: number.clone(),
        day: day.clone(),
        device: device.clone(),
        dpi: *dpi,
        colour: ScanColour::parse(colour)?,
        unit: unit.clone(),
        operator: signer(operator, operator_nip, operator_position),
        witness: signer(witness, witness_nip, witness_position),
        head: signer(head, head_nip, head_position),
    };
    for (document, path) in wanted {
        let bytes = archive.digitisation_document(&request, document, me)?;
        std::fs::write(path, &bytes)?;
        say(
            cli,
            lang,
            "digitisation.written",
            &[("path", &path.display())],
            serde_json::json!({"path": path}),
        );
    }
    Ok(())
}

pub(crate) fn find(archive: &Archive, named: &str) -> Result<Berkas> {
    let all = archive.berkas_list(&operator())?;
    let named = named.trim();
    let own = all
        .iter()
        .find(|b| (b.office.is_none() && b.number == named) || b.id.to_string() == named);
    match own {
        Some(b) => Ok(b.clone()),
        // At a province, a number only other offices' berkas carry: theirs.
        None if all.iter().any(|b| b.number == named) => Err(arsip_core::Error::new(
            arsip_core::ErrorCode::OtherOffice,
            named.to_string(),
        )
        .into()),
        None => {
            Err(arsip_core::Error::new(arsip_core::ErrorCode::NotFound, named.to_string()).into())
        }
    }
}

/// One berkas on a line: number, title, JRA row, when it falls due.
fn line(b: &Berkas, lang: Lang) -> String {
    let jra = match (&b.jra, &b.jra_suggested) {
        (Some(row), _) => format!("{} ({})", row.code, row.outcome),
        (None, Some(row)) => format("berkas.suggested", lang, &[("code", &row.code)]),
        (None, None) => String::from("-"),
    };
    let due = b
        .schedule
        .as_ref()
        .map(|s| {
            format(
                "berkas.dates",
                lang,
                &[("transfer", &s.transfer_on), ("final", &s.final_on)],
            )
        })
        .unwrap_or_default();
    // At a province numbers repeat from office to office: each is named
    // with the office that sent it.
    let office = b
        .office
        .as_deref()
        .map(|o| format!("  ({o})"))
        .unwrap_or_default();
    format!(
        "{}{office}  {}  [{}]  JRA {jra}  {} {due}",
        b.number,
        b.title,
        b.access.code(),
        b.stage.code()
    )
}

fn println_or_json(cli: &Cli, b: &Berkas, lang: Lang) {
    if cli.json {
        crate::output::json_line(&serde_json::json!({"berkas": b}));
    } else {
        println!("{}", line(b, lang));
    }
}
