//! `arsip place …`, `arsip box …`, `arsip label …` and `arsip loan …`:
//! where the paper is, the boxes received and what each holds, their
//! labels printed and read back, and what is lent out.

use crate::commands::{open_archive, operator, say};
use crate::{BoxCommand, Cli, Command, LabelCommand, LoanCommand, PlaceCommand};
use anyhow::{bail, Result};
use arsip_core::catalogue::loans::{Lent, Loan, LoanReturn, NewLoan};
use arsip_core::catalogue::storage::{
    ArchiveBox, BoxContents, BoxEdit, Condition, NewBox, NewPlace, PlaceKind,
};
use arsip_core::storage::labels::{LabelLayout, LabelTarget};
use arsip_core::storage::{LabelRequest, LabelScan};
use arsip_core::strings::format;
use arsip_core::{Archive, Clearance, Lang, LoanId, PlaceId};
use std::path::Path;
use std::process::ExitCode;

pub fn run(cli: &Cli, lang: Lang, root: &Path) -> Result<ExitCode> {
    let archive = open_archive(root)?;
    let me = operator();
    match &cli.command {
        Command::Place {
            command: PlaceCommand::Add { kind, name, parent },
        } => {
            let new = NewPlace {
                kind: PlaceKind::parse(kind)?,
                name: name.clone(),
                parent: parent
                    .as_deref()
                    .map(|p| place_named(&archive, p, &me))
                    .transpose()?,
            };
            let place = archive.add_place(&new, &me)?;
            say(
                cli,
                lang,
                "place.added",
                &[("path", &place.path)],
                serde_json::json!({"place": place}),
            );
        }
        Command::Place {
            command: PlaceCommand::List,
        } => {
            for p in archive.places(&me)? {
                say(
                    cli,
                    lang,
                    "place.line",
                    &[
                        ("path", &p.path),
                        ("kind", &p.kind.code()),
                        ("boxes", &p.boxes),
                        ("berkas", &p.berkas),
                    ],
                    serde_json::json!({"place": p}),
                );
            }
        }
        Command::Place {
            command: PlaceCommand::Report { output },
        } => {
            std::fs::write(output, archive.storage_report(&me)?)?;
            say(
                cli,
                lang,
                "place.report",
                &[("path", &output.display())],
                serde_json::json!({"path": output}),
            );
        }
        Command::Boxes {
            command:
                BoxCommand::Add {
                    number,
                    place,
                    received_from,
                    received_on,
                    received_ref,
                    condition,
                    note,
                },
        } => {
            let new = NewBox {
                number: number.clone(),
                place: place
                    .as_deref()
                    .map(|p| place_named(&archive, p, &me))
                    .transpose()?,
                note: note.clone(),
                received_from: received_from.clone(),
                received_on: received_on.clone(),
                received_ref: received_ref.clone(),
                condition: condition.as_deref().map(Condition::parse).transpose()?,
            };
            let b = archive.add_box(&new, &me)?;
            print_box(cli, lang, &b);
        }
        Command::Boxes {
            command: BoxCommand::List,
        } => {
            for b in archive.boxes(&me)? {
                if cli.json {
                    crate::output::json_line(&serde_json::json!({"box": b}));
                } else {
                    println!("{}", box_line(&b, lang));
                }
            }
        }
        Command::Boxes {
            command: BoxCommand::Show { number },
        } => {
            let id = archive.box_numbered(number, &me)?;
            print_box(cli, lang, &archive.archive_box(&id, &me)?);
        }
        Command::Boxes {
            command:
                BoxCommand::Edit {
                    number,
                    new_number,
                    place,
                    condition,
                    note,
                },
        } => {
            let id = archive.box_numbered(number, &me)?;
            let edit = BoxEdit {
                number: new_number.clone(),
                place: match place.as_deref().map(str::trim) {
                    None => None,
                    Some("") => Some(String::new()),
                    Some(p) => Some(place_named(&archive, p, &me)?.to_string()),
                },
                note: note.clone(),
                condition: condition.as_deref().map(Condition::parse).transpose()?,
                ..BoxEdit::default()
            };
            print_box(cli, lang, &archive.edit_box(&id, &edit, &me)?);
        }
        Command::Label {
            command:
                LabelCommand::Print {
                    boxes,
                    berkas,
                    layout,
                    output,
                },
        } => {
            let layout = match layout.trim() {
                "a4" => LabelLayout::A4,
                "sheet14" => LabelLayout::Sheet14,
                other => bail!("--layout {other}: a4, sheet14"),
            };
            let request = LabelRequest {
                boxes: boxes
                    .iter()
                    .map(|n| archive.box_numbered(n, &me))
                    .collect::<arsip_core::Result<_>>()?,
                berkas: berkas
                    .iter()
                    .map(|n| crate::holdings::find(&archive, n).map(|b| b.id))
                    .collect::<Result<_>>()?,
                layout,
            };
            let pdf = archive.labels_pdf(&request, &me)?;
            std::fs::write(output, &pdf)?;
            let count = request.boxes.len() + request.berkas.len();
            say(
                cli,
                lang,
                "labels.printed",
                &[("count", &count), ("path", &output.display())],
                serde_json::json!({"labels": count, "path": output}),
            );
        }
        Command::Label {
            command: LabelCommand::Read { label },
        } => {
            let path = Path::new(label);
            let scan = if path.is_file() {
                LabelScan::Image(std::fs::read(path)?)
            } else {
                LabelScan::Text(label.clone())
            };
            let target = archive.read_label(scan, &me)?;
            let (key, number) = match &target {
                LabelTarget::Box { number, .. } => ("label.box", number),
                LabelTarget::Berkas { number, .. } => ("label.berkas", number),
            };
            say(
                cli,
                lang,
                key,
                &[("number", number)],
                serde_json::json!({"label": target}),
            );
        }
        Command::Loan {
            command:
                LoanCommand::Add {
                    berkas,
                    boks,
                    borrower,
                    unit,
                    due,
                    purpose,
                    on,
                },
        } => {
            let new = NewLoan {
                berkas: berkas
                    .as_deref()
                    .map(|b| crate::holdings::find(&archive, b).map(|b| b.id))
                    .transpose()?,
                in_box: boks
                    .as_deref()
                    .map(|n| archive.box_numbered(n, &me))
                    .transpose()?,
                borrower: borrower.clone(),
                unit: unit.clone(),
                purpose: purpose.clone(),
                due_on: due.clone(),
                lent_on: on.clone(),
            };
            let loan = archive.lend(&new, &me)?;
            print_loan(cli, lang, &loan);
        }
        Command::Loan {
            command: LoanCommand::List { on, all },
        } => {
            let on = on
                .as_deref()
                .map(arsip_core::retention::parse_day)
                .transpose()?;
            let report = archive.loans(on, !*all, &me)?;
            if cli.json {
                crate::output::json_line(&serde_json::json!({"loans": report}));
            } else {
                println!(
                    "{}",
                    format(
                        "loan.report",
                        lang,
                        &[
                            ("date", &report.on),
                            ("count", &report.loans.len()),
                            ("overdue", &report.overdue)
                        ]
                    )
                );
                for loan in &report.loans {
                    print_loan(cli, lang, loan);
                }
            }
        }
        Command::Loan {
            command:
                LoanCommand::Return {
                    loan,
                    condition,
                    note,
                },
        } => {
            let back = LoanReturn {
                condition: Condition::parse(condition)?,
                note: note.clone(),
            };
            let loan = archive.return_loan(&LoanId::parse(loan)?, &back, &me)?;
            print_loan(cli, lang, &loan);
        }
        Command::Loan {
            command: LoanCommand::Slip { loan, output },
        } => {
            let pdf = archive.loan_slip(&LoanId::parse(loan)?, &me)?;
            std::fs::write(output, &pdf)?;
            say(
                cli,
                lang,
                "loan.slip_written",
                &[("path", &output.display())],
                serde_json::json!({"path": output}),
            );
        }
        _ => unreachable!("storage::run is called for place, box, label and loan only"),
    }
    Ok(ExitCode::SUCCESS)
}

/// A place named by its path as `arsip place list` prints it (` > ` may
/// stand for ` › `), or by its id.
fn place_named(archive: &Archive, named: &str, me: &Clearance) -> Result<PlaceId> {
    let wanted = named.trim().replace(" > ", " › ");
    let places = archive.places(me)?;
    match places
        .iter()
        .find(|p| p.path == wanted || p.id.to_string() == wanted)
    {
        Some(p) => Ok(p.id),
        None => bail!(arsip_core::Error::new(
            arsip_core::ErrorCode::NotFound,
            named.to_string()
        )),
    }
}

fn box_line(b: &ArchiveBox, lang: Lang) -> String {
    let place = if b.place_path.is_empty() {
        "-"
    } else {
        &b.place_path
    };
    format(
        "box.line",
        lang,
        &[
            ("number", &b.number),
            ("place", &place),
            ("berkas", &b.berkas),
            ("condition", &b.condition.code()),
        ],
    )
}

fn print_box(cli: &Cli, lang: Lang, b: &BoxContents) {
    if cli.json {
        crate::output::json_line(&serde_json::json!({"box": b}));
        return;
    }
    println!("{}", box_line(&b.archive_box, lang));
    for item in &b.berkas {
        println!(
            "  {}",
            format(
                "box.item",
                lang,
                &[
                    ("folder", &item.folder.as_deref().unwrap_or("-")),
                    ("number", &item.number),
                    ("title", &item.title),
                ]
            )
        );
    }
}

fn print_loan(cli: &Cli, lang: Lang, loan: &Loan) {
    if cli.json {
        crate::output::json_line(&serde_json::json!({"loan": loan}));
        return;
    }
    let what = match &loan.lent {
        Lent::Berkas { number, .. } => format!("berkas {number}"),
        Lent::Box { number, .. } => format!("boks {number}"),
    };
    let key = match (&loan.returned_on, loan.days_late) {
        (Some(_), _) => "loan.returned",
        (None, 0) => "loan.out",
        (None, _) => "loan.late",
    };
    println!(
        "{}",
        format(
            key,
            lang,
            &[
                ("id", &loan.id),
                ("what", &what),
                ("borrower", &loan.borrower),
                ("unit", &loan.unit),
                ("due", &loan.due_on),
                ("days", &loan.days_late),
                ("returned", &loan.returned_on.as_deref().unwrap_or("-")),
            ]
        )
    );
}
