//! One function per subcommand; each turns arguments into core calls and output.

use crate::output::{highlight, json_line};
use crate::{AuditCommand, Cli, Command, UserCommand, VocabCommand};
use anyhow::{Context, Result};
use arsip_core::corpus::CorpusOptions;
use arsip_core::extract::{ExtractOptions, PdfTextWorker};
use arsip_core::strings::{format, text};
use arsip_core::watch::WatchLook;
use arsip_core::{
    AccessLevel, Archive, Clearance, FileStatus, Filters, IngestOptions, Lang, RecordId, Role,
    SearchRequest,
};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

pub fn run(cli: &Cli, lang: Lang) -> Result<ExitCode> {
    let root = archive_dir(cli.archive.as_deref())?;
    match &cli.command {
        Command::Init {
            office,
            region,
            province,
        } => {
            if *province {
                Archive::init_province(&root, office, region)?;
            } else {
                Archive::init(&root, office, region)?;
            }
            say(
                cli,
                lang,
                "init.done",
                &[("path", &root.display())],
                serde_json::json!({"archive": root}),
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Key { .. } | Command::Office { .. } | Command::Sync { .. } => {
            crate::sync::run(cli, lang, &root)
        }
        Command::Export { command } => crate::export::run(cli, lang, &root, command),
        Command::Place { .. }
        | Command::Boxes { .. }
        | Command::Label { .. }
        | Command::Loan { .. } => crate::storage::run(cli, lang, &root),
        Command::Berkas { .. } | Command::Retention { .. } | Command::Digitisation(_) => {
            crate::holdings::run(cli, lang, &root)
        }
        Command::Ingest {
            paths,
            series,
            access,
            ocr_lang,
            timeout,
            documents,
        } => {
            let archive = open_archive(&root)?;
            let access = access.as_deref().map(AccessLevel::parse).transpose()?;
            let mut opts = ingest_options(series.clone(), access, ocr_lang, *timeout)?;
            opts.documents = (*documents).into();
            ingest(cli, lang, &archive, paths, &opts)
        }
        Command::Watch {
            folder,
            series,
            access,
            stop,
        } => {
            let archive = open_archive(&root)?;
            watch(
                cli,
                lang,
                &archive,
                folder.as_deref(),
                series.as_deref(),
                access.as_deref(),
                *stop,
            )
        }
        Command::Separators {
            output,
            tps,
            count,
            title,
            doc_type,
            election,
            region,
            number,
            box_no,
        } => {
            let archive = open_archive(&root)?;
            let sheet = arsip_core::print::separator::Separator {
                title: title.clone(),
                doc_type: doc_type.clone(),
                election: election.clone(),
                region: region.clone(),
                tps: None,
                number: number.clone(),
                box_no: box_no.clone(),
            };
            let sheets = arsip_core::print::separator::sheets_of(sheet, tps.as_deref(), *count)?;
            let n = sheets.len();
            let pdf = archive.separator_sheets(sheets, &operator())?;
            std::fs::write(output, pdf)?;
            let path = output.display().to_string();
            say(
                cli,
                lang,
                "separators.printed",
                &[("n", &n), ("path", &path)],
                serde_json::json!({"sheets": n, "path": path}),
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::MovePages { id, pages, to } => {
            let archive = open_archive(&root)?;
            let to = to.as_deref().map(RecordId::parse).transpose()?;
            let at = archive.move_pages(
                &RecordId::parse(id)?,
                &page_numbers(pages)?,
                to.as_ref(),
                &operator(),
            )?;
            say(
                cli,
                lang,
                "pages.moved",
                &[("id", &at)],
                serde_json::json!({"id": at}),
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Search {
            query,
            limit,
            role,
            doc_type,
            election,
            year,
            region,
            series,
            office,
        } => {
            let archive = open_archive(&root)?;
            let clearance = clearance(role)?;
            let mut req = SearchRequest::new(query.join(" "));
            req.limit = *limit;
            req.filters = Filters {
                doc_type: doc_type.clone(),
                election: election.clone(),
                year: *year,
                region: region.clone(),
                access: None,
                series: series.clone(),
                office: office.clone(),
                berkas: None,
            };
            let out = archive.search(&req, &clearance)?;
            if cli.json {
                for h in &out.hits {
                    json_line(h);
                }
                json_line(
                    &serde_json::json!({"summary": {"total": out.total, "facets": out.facets}}),
                );
            } else if out.hits.is_empty() {
                println!("{}", text("search.none", lang));
            } else {
                let tty = std::io::stdout().is_terminal();
                println!("{}", format("search.count", lang, &[("count", &out.total)]));
                for h in &out.hits {
                    let pages: Vec<String> = h.pages.iter().map(u32::to_string).collect();
                    println!("\n{}  {}", h.id, h.title);
                    println!("  {}", highlight(&h.snippet, &h.highlights, tty));
                    if !pages.is_empty() {
                        println!("  {}: {}", text("search.pages", lang), pages.join(", "));
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Rescan {
            id,
            files,
            ocr_lang,
        } => {
            let archive = open_archive(&root)?;
            let opts = ingest_options(None, None, ocr_lang, 600)?;
            let version = archive.rescan(&RecordId::parse(id)?, files, &opts, &operator())?;
            say_kept(cli, lang, version);
            Ok(ExitCode::SUCCESS)
        }
        Command::Reocr { id, ocr_lang } => {
            let archive = open_archive(&root)?;
            let opts = ingest_options(None, None, ocr_lang, 600)?;
            let version = archive.reocr(&RecordId::parse(id)?, &opts, &operator())?;
            say_kept(cli, lang, version);
            Ok(ExitCode::SUCCESS)
        }
        Command::Versions { id, restore } => {
            let archive = open_archive(&root)?;
            let id = RecordId::parse(id)?;
            if let Some(version) = restore {
                let kept = archive.restore_version(&id, *version, &operator())?;
                say_kept(cli, lang, kept);
                return Ok(ExitCode::SUCCESS);
            }
            let versions = archive.versions(&id, &operator())?;
            if cli.json {
                json_line(&versions);
            } else {
                for v in &versions {
                    let files: Vec<&str> = v.files.iter().map(|f| f.name.as_str()).collect();
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        v.number,
                        v.reason.code(),
                        v.replaced_at,
                        v.replaced_by,
                        v.pages,
                        files.join(", ")
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { id, role } => {
            let archive = open_archive(&root)?;
            let view = archive.record(&RecordId::parse(id)?, &clearance(role)?)?;
            if cli.json {
                json_line(&view);
            } else {
                let r = &view.record;
                println!("{}\n{}", r.title, r.id);
                for (k, v) in [
                    ("jenis", &r.doc_type),
                    ("pemilu", &r.election),
                    ("tanggal", &r.doc_date),
                    ("nomor", &r.number),
                    ("wilayah", &r.region),
                    ("TPS", &r.tps),
                    ("seri", &r.series),
                    ("gedung", &r.location.building),
                    ("rak", &r.location.shelf),
                    ("boks", &r.location.box_no),
                    ("map", &r.location.folder),
                ] {
                    if let Some(v) = v {
                        println!("  {k}: {v}");
                    }
                }
                println!("  akses: {}", r.access.code());
                if let Some(b) = &view.berkas {
                    println!("  berkas: {}  {}", b.number, b.title);
                }
                for f in &view.files {
                    println!(
                        "  file: {} ({}, {} byte, {})",
                        f.name, f.media_type, f.size, f.sha256
                    );
                }
                if !view.suggestions.is_empty() {
                    println!("{}:", text("show.suggestions", lang));
                    for (k, v) in &view.suggestions {
                        println!("  {k}: {v}");
                    }
                }
                for p in &view.pages {
                    let conf = p
                        .confidence
                        .map(|c| format!(", {c:.0}%"))
                        .unwrap_or_default();
                    println!(
                        "\n--- {} {} ({}{conf}) ---\n{}",
                        text("search.pages", lang),
                        p.number,
                        p.source.code(),
                        p.text
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::List { role } => {
            let archive = open_archive(&root)?;
            for r in archive.list(&clearance(role)?)? {
                if cli.json {
                    json_line(&r);
                } else {
                    println!(
                        "{}  {:<14} {:<16} {}",
                        r.id,
                        r.access.code(),
                        r.doc_type.as_deref().unwrap_or("-"),
                        r.title
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { .. } | Command::Restore { .. } | Command::Verify { repair: Some(_) } => {
            crate::backup::run(cli, lang, &root)
        }
        Command::Verify { repair: None } => {
            let archive = open_archive(&root)?;
            let report = archive.verify()?;
            if cli.json {
                json_line(&report);
            } else if report.problems() == 0 {
                println!(
                    "{}",
                    format("verify.ok", lang, &[("blobs", &report.blobs_checked)])
                );
            } else {
                println!(
                    "{}",
                    format("verify.problems", lang, &[("count", &report.problems())])
                );
                for (rec, sha) in &report.missing {
                    println!("  hilang/missing: {rec} {sha}");
                }
                for (rec, sha) in &report.corrupt {
                    println!("  rusak/corrupt: {rec} {sha}");
                }
                for id in &report.not_indexed {
                    println!("  belum terindeks/not indexed: {id}");
                }
                for id in &report.stale_in_index {
                    println!("  usang di indeks/stale in index: {id}");
                }
            }
            Ok(if report.problems() == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Reindex => {
            let archive = open_archive(&root)?;
            let n = archive.reindex()?;
            say(
                cli,
                lang,
                "reindex.done",
                &[("count", &n)],
                serde_json::json!({"reindexed": n}),
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let archive = open_archive(&root)?;
            let report = archive.audit_verify(&operator())?;
            if cli.json {
                json_line(&report);
            } else if let Some(seq) = report.first_broken {
                println!("{}", format("audit.broken", lang, &[("seq", &seq)]));
            } else {
                println!(
                    "{}",
                    format("audit.ok", lang, &[("count", &report.entries)])
                );
            }
            Ok(if report.first_broken.is_none() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Serve { addr, kiosk, ui } => serve(cli, lang, &root, addr, *kiosk, ui.as_deref()),
        Command::Vocab {
            command: VocabCommand::Import { vocabulary, file },
        } => {
            let archive = open_archive(&root)?;
            let vocab = arsip_core::catalogue::vocab::Vocabulary::parse(vocabulary)?;
            let csv = std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?;
            let n = archive.import_vocabulary(vocab, &csv, &local_actor())?;
            say(
                cli,
                lang,
                "vocab.imported",
                &[("count", &n), ("vocabulary", &vocab.code())],
                serde_json::json!({"vocabulary": vocab.code(), "rows": n}),
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::User {
            command: UserCommand::Add { name, role },
        } => {
            let archive = open_archive(&root)?;
            let role = Role::parse(role)?;
            if std::io::stdin().is_terminal() {
                eprint!("{}: ", text("user.password_prompt", lang));
            }
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']);
            archive.set_user(name, role, password, &local_actor())?;
            say(
                cli,
                lang,
                "user.saved",
                &[("name", name), ("role", &role.code())],
                serde_json::json!({"user": name, "role": role}),
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { records, seed, dpi } => demo(cli, lang, &root, *records, *seed, *dpi),
        Command::PdfText { input, output } => {
            arsip_core::extract::pdf::write_text_pages(input, output)
                .map_err(|e| anyhow::anyhow!("{}: {}", e.code.as_str(), e.detail))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The API over TCP until Ctrl-C; prints the bound address first (port 0 picks one).
/// The built UI: the given folder, else `ui/` beside the program (an
/// installed copy), `../share/rpp-arsip/ui` (the .deb and .rpm), else the
/// repository's `ui/dist` (a development build).
fn ui_dir(given: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = given {
        return Some(dir.to_path_buf());
    }
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?;
    // Beside the program, where the Linux packages put it, or the repository's.
    [
        dir.join("ui"),
        dir.join("../share/rpp-arsip/ui"),
        dir.join("../../ui/dist"),
    ]
    .into_iter()
    .find(|d| d.join("index.html").is_file())
}

fn serve(
    cli: &Cli,
    lang: Lang,
    root: &Path,
    addr: &str,
    kiosk: bool,
    ui: Option<&Path>,
) -> Result<ExitCode> {
    let archive = std::sync::Arc::new(open_archive(root)?);
    let mode = if kiosk {
        arsip_api::Mode::Kiosk
    } else {
        arsip_api::start_office_timers(archive.clone());
        arsip_api::Mode::Office
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("listening on {addr}"))?;
        let bound = listener.local_addr()?;
        say(
            cli,
            lang,
            "serve.listening",
            &[("addr", &bound)],
            serde_json::json!({"listening": bound.to_string(), "kiosk": kiosk}),
        );
        std::io::Write::flush(&mut std::io::stdout())?;
        // Timeouts, keep-alive and the peer's address (for login throttling)
        // are the API's business: `arsip_api::serve`.
        let app = arsip_api::app(archive, mode, ui_dir(ui));
        arsip_api::serve(listener, app, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("serving")
    })?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn say(
    cli: &Cli,
    lang: Lang,
    key: &'static str,
    args: &[(&str, &dyn std::fmt::Display)],
    json: serde_json::Value,
) {
    if cli.json {
        json_line(&json);
    } else {
        println!("{}", format(key, lang, args));
    }
}

/// A record's content replaced: the version that keeps what it held.
fn say_kept(cli: &Cli, lang: Lang, version: i64) {
    say(
        cli,
        lang,
        "version.kept",
        &[("n", &version)],
        serde_json::json!({"version": version}),
    );
}

/// The operator acting in `role` (`--role publik` shows what the kiosk shows).
fn clearance(role: &str) -> Result<Clearance> {
    Ok(operator().narrowed(Role::parse(role)?))
}

/// Whoever runs `arsip` on the archive's own machine owns its files, so the
/// terminal acts as an admin named after the login user.
pub(crate) fn operator() -> Clearance {
    Clearance::operator(local_actor())
}

fn local_actor() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "lokal".into())
}

/// Opens the archive, able to reach object stores (a province fetches an
/// original it left in the store when someone opens it).
pub(crate) fn open_archive(root: &Path) -> Result<Archive> {
    let archive = Archive::open(root)?;
    archive.set_store_opener(arsip_remote::opener(root));
    Ok(archive)
}

/// The archive folder: --archive, $ARSIP_ARCHIVE, or the platform's data folder.
fn archive_dir(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = given {
        return Ok(p.to_path_buf());
    }
    arsip_core::archive::default_dir().context("no --archive given and no home folder known")
}

/// "Selesai: 3 ditambahkan, …": a batch's outcome in one line.
fn summary_line(summary: &arsip_core::IngestSummary, lang: Lang) -> String {
    format(
        "ingest.summary",
        lang,
        &[
            ("added", &summary.added),
            ("duplicate", &summary.duplicate),
            ("failed", &summary.failed),
            ("pages", &summary.pages),
        ],
    )
}

/// Sets the watched folder (or stops it), then watches it until stopped.
fn watch(
    cli: &Cli,
    lang: Lang,
    archive: &Archive,
    folder: Option<&Path>,
    series: Option<&str>,
    access: Option<&str>,
    stop: bool,
) -> Result<ExitCode> {
    if stop {
        archive.set_watch(None, None, None, &operator())?;
        say(
            cli,
            lang,
            "watch.stopped",
            &[],
            serde_json::json!({"watching": null}),
        );
        return Ok(ExitCode::SUCCESS);
    }
    let plan = match folder {
        Some(folder) => {
            let folder = std::path::absolute(folder)?;
            let access = access.map(AccessLevel::parse).transpose()?;
            archive
                .set_watch(Some(&folder), series, access, &operator())?
                .plan
        }
        None => archive.watch_status(&operator())?.plan,
    };
    let Some(watching) = plan.folder else {
        return Err(arsip_core::Error::new(
            arsip_core::ErrorCode::InvalidInput,
            "no folder is watched",
        )
        .into());
    };
    say(
        cli,
        lang,
        "watch.started",
        &[("folder", &watching)],
        serde_json::json!({"watching": watching}),
    );
    let holder = format!("{}-{}", std::process::id(), RecordId::new());
    let mut said = None;
    let mut elsewhere = false;
    loop {
        match archive.watch_once(&holder, arsip_core::watch::SETTLE) {
            Ok(WatchLook::Read(reports, summary)) => {
                said = None;
                elsewhere = false;
                for r in &reports {
                    if cli.json {
                        json_line(r);
                    } else {
                        let how = match &r.error {
                            Some(e) => e.message.clone(),
                            None => text(
                                match r.status {
                                    FileStatus::Added => "file.added",
                                    FileStatus::Duplicate => "file.duplicate",
                                    FileStatus::Failed => "file.failed",
                                },
                                lang,
                            )
                            .to_string(),
                        };
                        println!("{}: {how}", r.path);
                    }
                }
                if !cli.json {
                    println!("{}", summary_line(&summary, lang));
                }
            }
            Ok(WatchLook::Idle) => {
                said = None;
                elsewhere = false;
            }
            Ok(WatchLook::Elsewhere) => {
                if !elsewhere {
                    say(
                        cli,
                        lang,
                        "watch.elsewhere",
                        &[],
                        serde_json::json!({"elsewhere": true}),
                    );
                }
                elsewhere = true;
            }
            Err(e) if said == Some(e.code) => {}
            Err(e) => {
                eprintln!("{}", e.message_with_detail(lang));
                said = Some(e.code);
            }
        }
        std::thread::sleep(arsip_core::watch::LOOK_EVERY);
    }
}

/// `2`, `2-4`, `1,3` or `1,3-5`: page numbers.
fn page_numbers(list: &str) -> Result<Vec<u32>> {
    Ok(arsip_core::print::separator::numbers(list, 10_000)?)
}

fn ingest_options(
    series: Option<String>,
    access: Option<AccessLevel>,
    ocr_lang: &str,
    timeout: u64,
) -> Result<IngestOptions> {
    let worker = std::env::current_exe()
        .map(|program| PdfTextWorker::Command {
            program,
            args: vec!["__pdf-text".into()],
        })
        .unwrap_or_default();
    Ok(IngestOptions {
        series,
        access,
        extract: ExtractOptions {
            ocr_lang: ocr_lang.to_string(),
            file_timeout: Duration::from_secs(timeout),
            pdf_worker: worker,
            ..ExtractOptions::default()
        },
        ..IngestOptions::default()
    })
}

struct Bar {
    bar: Option<ProgressBar>,
    json: bool,
}

impl arsip_core::Progress for Bar {
    fn started(&self, files: usize) {
        if let Some(b) = &self.bar {
            b.set_length(files as u64);
        }
    }

    fn finished(&self, r: &arsip_core::FileReport) {
        if self.json {
            json_line(r);
        }
        if let Some(b) = &self.bar {
            if let Some(e) = &r.error {
                b.println(format!("{}: {}", r.path, e.message));
            }
            b.inc(1);
        }
    }
}

fn ingest(
    cli: &Cli,
    lang: Lang,
    archive: &Archive,
    paths: &[PathBuf],
    opts: &IngestOptions,
) -> Result<ExitCode> {
    let bar = (!cli.json && std::io::stderr().is_terminal()).then(|| {
        let b = ProgressBar::new(0);
        if let Ok(style) =
            ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} {elapsed_precise} ~{eta}")
        {
            b.set_style(style.progress_chars("=> "));
        }
        b.set_message(text("ingest.progress", lang));
        b
    });
    let progress = Bar {
        bar,
        json: cli.json,
    };
    let (reports, summary) = archive.ingest(paths, opts, &progress, &operator())?;
    if let Some(b) = &progress.bar {
        b.finish_and_clear();
    }
    if cli.json {
        json_line(&serde_json::json!({"summary": summary}));
    } else {
        for r in reports
            .iter()
            .filter(|r| r.status == FileStatus::Failed && progress.bar.is_none())
        {
            let msg = r
                .error
                .as_ref()
                .map(|e| e.message.as_str())
                .unwrap_or_default();
            eprintln!("{}: {}", r.path, msg);
        }
        // A stack split at its separator sheets: which pages became which record.
        for r in reports.iter().filter(|r| !r.split.is_empty()) {
            println!("{}", r.path);
            for part in &r.split {
                let [from, to] = part.range;
                let pages = if from == to {
                    from.to_string()
                } else {
                    format!("{from}–{to}")
                };
                let id = part.id.map(|i| i.to_string()).unwrap_or_default();
                let title = part.title.as_deref().unwrap_or_default();
                let key = if !part.sheet {
                    "ingest.split_no_sheet"
                } else if part.blank > 0 {
                    "ingest.split_part_blank"
                } else {
                    "ingest.split_part"
                };
                let args: [(&str, &dyn std::fmt::Display); 4] = [
                    ("pages", &pages),
                    ("blank", &part.blank),
                    ("id", &id),
                    ("title", &title),
                ];
                println!("  {}", format(key, lang, &args));
            }
        }
        println!("{}", summary_line(&summary, lang));
    }
    Ok(if summary.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Makes (or tops up) an archive with generated records, as staff would have
/// catalogued them: suggestions confirmed, access classes set.
fn demo(
    cli: &Cli,
    lang: Lang,
    root: &Path,
    records: usize,
    seed: u64,
    dpi: u32,
) -> Result<ExitCode> {
    let archive = match Archive::open(root) {
        Ok(a) => a,
        Err(e) if e.code == arsip_core::ErrorCode::ArchiveMissing => {
            Archive::init(root, "KPU Kota Bogor", "32.71")?
        }
        Err(e) => return Err(e.into()),
    };
    let opts = ingest_options(
        Some("Demo — Pemilu dan Pilkada Kota Bogor".into()),
        None,
        "ind",
        600,
    )?;
    let quiet = Bar {
        bar: None,
        json: false,
    };
    let count = archive.add_demo_records(
        &CorpusOptions {
            records,
            seed,
            dpi,
            ..CorpusOptions::default()
        },
        &opts,
        &quiet,
    )?;
    say(
        cli,
        lang,
        "demo.done",
        &[("path", &root.display()), ("count", &count)],
        serde_json::json!({"archive": root, "records": count}),
    );
    Ok(ExitCode::SUCCESS)
}
