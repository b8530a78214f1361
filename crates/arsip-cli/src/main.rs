//! `arsip`: every archive job from a terminal. A thin shell over arsip-core: it
//! parses arguments, calls `Archive`, and prints text (Indonesian by default) or
//! one JSON object per line with `--json`.

/// The crate's own `println!`, shadowing std's in every module below: it
/// writes through `output::write_out`, which ends the process quietly when
/// standard output is a closed pipe (std's panics: "failed printing to
/// stdout"). Defined before the modules so that textual macro scope covers
/// them all, and no call site can reach std's by accident.
macro_rules! println {
    () => {
        $crate::output::write_out(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::output::write_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` through `output::write_out`, as `println!` above.
#[allow(unused_macros)] // Nothing prints without a newline today; kept so nothing can.
macro_rules! print {
    ($($arg:tt)*) => {
        $crate::output::write_out(format_args!($($arg)*))
    };
}

mod backup;
mod commands;
mod export;
mod holdings;
mod output;
mod storage;
mod sync;

use clap::{Parser, Subcommand};

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "arsip",
    version,
    about = "RPP Arsip: arsip digital Rumah Pintar Pemilu"
)]
pub struct Cli {
    /// Archive folder (default: the platform data folder, e.g. ~/.local/share/rpp-arsip)
    #[arg(long, global = true, env = "ARSIP_ARCHIVE")]
    archive: Option<PathBuf>,
    /// Print one JSON object per line
    #[arg(long, global = true)]
    json: bool,
    /// Language of messages: id (default) or en
    #[arg(long, global = true, default_value = "id", value_parser = ["id", "en"])]
    lang: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Create an archive for an office
    Init {
        #[arg(long)]
        office: String,
        /// Kemendagri region code, e.g. 32.71
        #[arg(long)]
        region: String,
        /// A provincial archive: registers offices and pulls their logs
        #[arg(long)]
        province: bool,
    },
    /// This office's signing key
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
    /// Offices registered at a provincial archive
    Office {
        #[command(subcommand)]
        command: OfficeCommand,
    },
    /// Hand records over to the regional archive: a BagIt bag or AtoM's CSV
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Send this office's archive to the province, or apply the offices' logs there
    Sync {
        #[command(subcommand)]
        command: SyncCommand,
    },
    /// Import files and folders (scans, PDFs)
    Ingest {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long)]
        series: Option<String>,
        /// terbuka, terbatas (default), rahasia, sangat-rahasia
        #[arg(long)]
        access: Option<String>,
        /// tesseract languages, e.g. ind or ind+eng
        #[arg(long, default_value = "ind")]
        ocr_lang: String,
        /// Seconds one file may take
        #[arg(long, default_value_t = 600)]
        timeout: u64,
        /// How files become records: page-numbers (a scanner's BA_p1.jpg,
        /// BA_p2.jpg… are one record), sequences (also scan0001.jpg,
        /// scan0002.jpg…), each-file, or one (every file given, one record)
        #[arg(long, default_value = "page-numbers")]
        documents: DocumentsArg,
    },
    /// Watch the scanner's output folder (or a mounted share): files are read
    /// as they arrive, once nothing has changed in the folder for 30 seconds,
    /// page files of one document as one record. Runs until stopped; `arsip
    /// serve` and the desktop app watch the folder set here too
    Watch {
        /// The folder to watch from now on (the one set before when not given)
        folder: Option<PathBuf>,
        #[arg(long)]
        series: Option<String>,
        /// terbuka, terbatas (default), rahasia, sangat-rahasia
        #[arg(long)]
        access: Option<String>,
        /// Stop watching any folder, and exit
        #[arg(long)]
        stop: bool,
    },
    /// Print separator sheets (lembar pemisah) as a PDF: put one in front of
    /// each document of a stack, scan the stack as one file, and ingest
    /// splits it into one record per document with the sheet's fields
    Separators {
        /// Where to write the PDF
        #[arg(long, short)]
        output: PathBuf,
        /// One sheet per TPS: 7, or 1-12, or 1,4,9 (written 001, 012…)
        #[arg(long)]
        tps: Option<String>,
        /// Sheets to print when no --tps is given
        #[arg(long, default_value_t = 1)]
        count: usize,
        #[arg(long)]
        title: Option<String>,
        #[arg(long = "type")]
        doc_type: Option<String>,
        #[arg(long)]
        election: Option<String>,
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        number: Option<String>,
        #[arg(long = "box")]
        box_no: Option<String>,
    },
    /// Move pages (whole files) from one record to the end of another
    /// (--to), or into a new record with the same fields; a record left
    /// without pages is merged away
    MovePages {
        id: String,
        /// Page numbers, e.g. 2 or 2-4 or 1,3
        pages: String,
        #[arg(long)]
        to: Option<String>,
    },
    /// Replace a record's scans with new ones (page files of one document,
    /// in order); its earlier files and text are kept as a version
    Rescan {
        id: String,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// tesseract languages, e.g. ind or ind+eng
        #[arg(long, default_value = "ind")]
        ocr_lang: String,
    },
    /// Read every page of a record again by OCR (a PDF's own text layer
    /// ignored); its earlier text is kept as a version
    Reocr {
        id: String,
        /// tesseract languages, e.g. ind or ind+eng
        #[arg(long, default_value = "ind")]
        ocr_lang: String,
    },
    /// A record's earlier versions, newest first; --restore N makes
    /// version N its content again (what it holds now kept in turn)
    Versions {
        id: String,
        #[arg(long)]
        restore: Option<i64>,
    },
    /// Search records
    Search {
        query: Vec<String>,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// admin, arsiparis, sekretariat, publik
        #[arg(long, default_value = "admin")]
        role: String,
        #[arg(long = "type")]
        doc_type: Option<String>,
        #[arg(long)]
        election: Option<String>,
        #[arg(long)]
        year: Option<u32>,
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        series: Option<String>,
        /// At a province: one office's records
        #[arg(long)]
        office: Option<String>,
    },
    /// Show one record with its files and pages
    Show {
        id: String,
        #[arg(long, default_value = "admin")]
        role: String,
    },
    /// List records
    List {
        #[arg(long, default_value = "admin")]
        role: String,
    },
    /// Check every file's checksum and the index against the catalogue
    Verify {
        /// Put back missing or corrupt originals from a backup folder, a
        /// flash drive (file:///PATH) or the province's store (s3://BUCKET/PREFIX)
        #[arg(long, value_name = "FROM")]
        repair: Option<String>,
    },
    /// Back the whole archive up into a folder (a second disk, a flash drive):
    /// a consistent snapshot while the app runs; only new files are copied
    Backup {
        /// A folder, or file:///PATH
        target: String,
    },
    /// Make a new archive (--archive, an empty folder) from a backup folder,
    /// or rebuild a lost office from what it pushed: s3://BUCKET/PREFIX/offices/KEY
    /// or a flash drive's DRIVE/offices/KEY
    Restore {
        /// The backup folder (or file:///PATH), or an office's log in a store or on a drive
        from: String,
        /// When rebuilding an office: its kab/kota code (read from its records when not given)
        #[arg(long)]
        region: Option<String>,
    },
    /// Rebuild the search index from the catalogue
    Reindex,
    /// The audit trail
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Serve the HTTP API to kiosk and secretariat PCs on the office LAN
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Kiosk: no login; every request is the public role
        #[arg(long)]
        kiosk: bool,
        /// The built UI (ui/dist); found beside the program when not given
        #[arg(long, env = "ARSIP_UI")]
        ui: Option<PathBuf>,
    },
    /// Berkas (file folders): make, list, file records into, confirm their JRA row
    Berkas {
        #[command(subcommand)]
        command: BerkasCommand,
    },
    /// Storage places: gedung, ruang in a gedung, rak in either
    Place {
        #[command(subcommand)]
        command: PlaceCommand,
    },
    /// Boxes (boks arsip): receive, list, show what one holds, move
    #[command(name = "box")]
    Boxes {
        #[command(subcommand)]
        command: BoxCommand,
    },
    /// The record of a digitisation (alih media) of berkas: its berita
    /// acara with the scan settings, and its list naming every digital
    /// copy with its size and SHA-256
    #[command(alias = "alih-media")]
    Digitisation(Box<DigitisationArgs>),
    /// Labels with QR codes for boxes and berkas: print, read back
    Label {
        #[command(subcommand)]
        command: LabelCommand,
    },
    /// Loans (peminjaman) of berkas and boxes: lend, list what is out and
    /// late, take back, print the slip
    Loan {
        #[command(subcommand)]
        command: LoanCommand,
    },
    /// What falls due under the retention schedule (JRA): transfer,
    /// destruction assessment, handover, new assessment
    Retention {
        /// The day to report on (YYYY-MM-DD); today where the office is when not given
        #[arg(long)]
        on: Option<String>,
    },
    /// Vocabularies: document types, elections, regions, ...
    Vocab {
        #[command(subcommand)]
        command: VocabCommand,
    },
    /// People who log in to the app or the LAN server
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Fill an archive with generated demo records
    Demo {
        #[arg(long, default_value_t = 30)]
        records: usize,
        #[arg(long, default_value_t = 2024)]
        seed: u64,
        /// Resolution of the generated scans (smaller files at lower values)
        #[arg(long, default_value_t = 200)]
        dpi: u32,
    },
    /// Internal: the PDF text worker (runs pdf-extract in its own process)
    #[command(name = "__pdf-text", hide = true)]
    PdfText { input: PathBuf, output: PathBuf },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum DocumentsArg {
    PageNumbers,
    Sequences,
    EachFile,
    One,
}

impl From<DocumentsArg> for arsip_core::ingest::Documents {
    fn from(d: DocumentsArg) -> Self {
        use arsip_core::ingest::Documents;
        match d {
            DocumentsArg::PageNumbers => Documents::PageNumbers,
            DocumentsArg::Sequences => Documents::Sequences,
            DocumentsArg::EachFile => Documents::EachFile,
            DocumentsArg::One => Documents::One,
        }
    }
}

#[derive(Subcommand)]
pub enum PlaceCommand {
    /// Add a place: gedung, ruang or rak
    Add {
        /// gedung, ruang or rak
        kind: String,
        name: String,
        /// The place it is in, by its path as `arsip place list` prints it
        #[arg(long = "in")]
        parent: Option<String>,
    },
    /// Every place, with its boxes and berkas
    List,
    /// The storage report as PDF: place by place, the boxes on it
    Report {
        #[arg(long, short)]
        output: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum BoxCommand {
    /// Receive a box
    Add {
        /// Its number, unique in the archive (e.g. B-07)
        number: String,
        /// Where it is put, by the place's path as `arsip place list` prints it
        #[arg(long)]
        place: Option<String>,
        /// Who handed it over (e.g. PPK Bogor Tengah)
        #[arg(long = "from")]
        received_from: Option<String>,
        /// The day it was received (YYYY-MM-DD)
        #[arg(long = "on")]
        received_on: Option<String>,
        /// The berita acara serah terima it came with
        #[arg(long = "ref")]
        received_ref: Option<String>,
        /// baik, rusak-ringan, rusak-berat
        #[arg(long)]
        condition: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Every box
    List,
    /// A box and the berkas in it
    Show { number: String },
    /// Change a box (named by number): only what is given changes
    Edit {
        number: String,
        #[arg(long = "number")]
        new_number: Option<String>,
        /// Where it is moved, by the place's path ("" takes it off)
        #[arg(long)]
        place: Option<String>,
        #[arg(long)]
        condition: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum LoanCommand {
    /// Lend a berkas (by number or id) or a box (by number)
    Add {
        #[arg(long, conflicts_with = "boks", required_unless_present = "boks")]
        berkas: Option<String>,
        #[arg(long = "box")]
        boks: Option<String>,
        /// Who borrows it
        #[arg(long = "to")]
        borrower: String,
        /// Their unit (e.g. Subbagian Teknis dan Hupmas)
        #[arg(long)]
        unit: String,
        /// The day it is due back (YYYY-MM-DD)
        #[arg(long)]
        due: String,
        #[arg(long, default_value = "")]
        purpose: String,
        /// The day it was lent, when recorded afterwards (YYYY-MM-DD)
        #[arg(long)]
        on: Option<String>,
    },
    /// What is out, the most overdue first
    List {
        /// The day late days are counted on (YYYY-MM-DD; today when not given)
        #[arg(long)]
        on: Option<String>,
        /// Returned loans too
        #[arg(long)]
        all: bool,
    },
    /// Take a loan back
    Return {
        loan: String,
        /// baik, rusak-ringan, rusak-berat
        #[arg(long)]
        condition: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// The lending slip as PDF
    Slip {
        loan: String,
        #[arg(long, short)]
        output: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum LabelCommand {
    /// Labels as PDF: a box's with its contents, a berkas's
    Print {
        /// Box numbers
        #[arg(long = "box")]
        boxes: Vec<String>,
        /// Berkas numbers or ids
        #[arg(long)]
        berkas: Vec<String>,
        /// a4 (one label a page) or sheet14 (a sheet of 14 labels)
        #[arg(long, default_value = "a4")]
        layout: String,
        /// The PDF to write
        #[arg(long, short)]
        output: PathBuf,
    },
    /// What a label opens: a photo or scan of it, or the text a scanner typed
    Read {
        /// An image file, or the label's text
        label: String,
    },
}

#[derive(Subcommand)]
pub enum BerkasCommand {
    /// Make a berkas
    Add {
        /// Its number, unique in the archive (e.g. PL.05/2019/001)
        number: String,
        #[arg(long)]
        title: String,
        /// Classification code (KPT 57/2022), e.g. PL.05
        #[arg(long)]
        classification: Option<String>,
        /// First year it covers
        #[arg(long)]
        from: Option<i32>,
        /// Closing year: the retention clock runs from its end
        #[arg(long)]
        to: Option<i32>,
        /// terbuka, terbatas, rahasia, sangat-rahasia (the office's default when not given)
        #[arg(long)]
        access: Option<String>,
        /// The number of the box it is kept in (see: arsip box list)
        #[arg(long = "box")]
        box_no: Option<String>,
        /// Its map (folder) number in the box
        #[arg(long)]
        folder: Option<String>,
    },
    /// Change a berkas (named by number or id): only what is given changes
    Edit {
        berkas: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        classification: Option<String>,
        #[arg(long)]
        from: Option<i32>,
        /// Closing year: the retention clock runs from its end
        #[arg(long)]
        to: Option<i32>,
        /// The number of the box it is moved into ("" takes it out)
        #[arg(long = "box")]
        box_no: Option<String>,
        /// Its map (folder) number in the box
        #[arg(long)]
        folder: Option<String>,
        /// A new access class (lowering one is the admin's, with --reason)
        #[arg(long)]
        access: Option<String>,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Every berkas, with its JRA row and dates
    List,
    /// File records into a berkas (named by number or id)
    File {
        berkas: String,
        #[arg(required = true)]
        records: Vec<String>,
    },
    /// Confirm a berkas's JRA row (the suggested one when no code is given)
    Jra {
        berkas: String,
        code: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum VocabCommand {
    /// Add or update entries from a CSV file with the columns of assets/vocab
    Import {
        /// document-types, elections, access-levels, retention-outcomes, classification-codes, regions, jra
        vocabulary: String,
        file: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a user (or give an existing one a new role and password). The password
    /// is read from the first line of standard input, so it never shows in `ps`.
    Add {
        name: String,
        /// admin, arsiparis, sekretariat, publik
        #[arg(long)]
        role: String,
    },
}

#[derive(Subcommand)]
pub enum ExportCommand {
    /// Write a BagIt bag (originals, text, metadata) into DIR, which must not exist
    Bag {
        dir: PathBuf,
        /// Only the records of this series
        #[arg(long, conflicts_with = "list")]
        series: Option<String>,
        /// The records of this approved handover list (penyerahan)
        #[arg(long)]
        list: Option<String>,
    },
    /// Write AtoM's archival description CSV (ISAD(G) template) to FILE
    AtomCsv {
        file: PathBuf,
        /// Only the records of this series
        #[arg(long, conflicts_with = "list")]
        series: Option<String>,
        /// The records of this approved handover list (penyerahan)
        #[arg(long)]
        list: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum KeyCommand {
    /// Print this office's public key
    Show,
}

#[derive(Subcommand)]
pub enum OfficeCommand {
    /// Register an office (its public key, from `arsip key show` there)
    Add {
        name: String,
        #[arg(long)]
        key: String,
    },
    /// Give a registered office its new key after it was rebuilt from its log
    /// (`arsip restore …/offices/KEY`); its log is read again from the start
    Replace {
        name: String,
        #[arg(long)]
        key: String,
    },
}

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Send new and changed records and files to s3://BUCKET/PREFIX or file:///PATH
    Push {
        target: String,
        /// Most kilobytes per second to send
        #[arg(long)]
        limit_kbps: Option<u64>,
        /// Files sent at once; a push cut off re-sends at most one 8 MiB part per transfer
        #[arg(long, default_value_t = 2)]
        transfers: usize,
    },
    /// Apply every registered office's log from s3://BUCKET/PREFIX or file:///PATH
    Pull { source: String },
    /// What is waiting to be sent, and what each office has applied
    Status,
    /// Save the S3 settings this archive uses when the environment has none
    /// (the desktop app has none). The secret key is read from standard input.
    S3 {
        /// e.g. https://s3.kpu-jabar.go.id or http://192.168.1.10:3900
        #[arg(long)]
        endpoint: String,
        #[arg(long, default_value = "us-east-1")]
        region: String,
        #[arg(long)]
        access_key_id: String,
        /// Allow a plain-HTTP endpoint (a store on the office LAN)
        #[arg(long)]
        allow_http: bool,
    },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain; names the first altered or removed entry
    Verify,
}

/// Bad usage: one line in the chosen language (clap's own words, English, as the
/// detail), exit code 2. Help and version print as clap makes them.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let args: Vec<String> = std::env::args().collect();
    let english = args.windows(2).any(|w| w[0] == "--lang" && w[1] == "en")
        || args.iter().any(|a| a == "--lang=en");
    let lang = if english {
        arsip_core::Lang::En
    } else {
        arsip_core::Lang::Id
    };
    let rendered = e.render().to_string();
    let detail = rendered
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches("error: ");
    eprintln!(
        "{}",
        arsip_core::strings::format("usage.error", lang, &[("detail", &detail)])
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let lang = arsip_core::Lang::parse(&cli.lang).unwrap_or_default();
    match commands::run(&cli, lang) {
        Ok(code) => code,
        Err(e) => match e.downcast_ref::<arsip_core::Error>() {
            Some(core) => {
                output::error_line(cli.json, core, lang);
                if core.code.is_user_error() {
                    ExitCode::from(2)
                } else {
                    ExitCode::from(1)
                }
            }
            None => {
                eprintln!("{e:#}");
                ExitCode::from(1)
            }
        },
    }
}

/// `arsip digitisation`: the berkas, the berita acara's facts and who signs.
#[derive(clap::Args)]
pub struct DigitisationArgs {
    /// Berkas numbers or ids, in the list's order
    #[arg(required = true)]
    pub berkas: Vec<String>,
    /// The berita acara's number
    #[arg(long)]
    pub number: String,
    /// The day it was done (YYYY-MM-DD; today when not given)
    #[arg(long)]
    pub day: Option<String>,
    /// The scanner (make and model)
    #[arg(long)]
    pub device: String,
    /// The resolution scanned at, in dots per inch
    #[arg(long, default_value_t = 300)]
    pub dpi: u32,
    /// warna, keabuan, hitam-putih
    #[arg(long, default_value = "warna")]
    pub colour: String,
    /// The unit whose records they are (unit pengolah)
    #[arg(long)]
    pub unit: Option<String>,
    /// Who scanned
    #[arg(long)]
    pub operator: String,
    #[arg(long)]
    pub operator_nip: Option<String>,
    #[arg(long)]
    pub operator_position: Option<String>,
    /// Who witnessed it (another person)
    #[arg(long)]
    pub witness: String,
    #[arg(long)]
    pub witness_nip: Option<String>,
    #[arg(long)]
    pub witness_position: Option<String>,
    /// Who acknowledges it for the office (mengetahui)
    #[arg(long)]
    pub head: String,
    #[arg(long)]
    pub head_nip: Option<String>,
    /// The head's position ("Sekretaris KPU Kota Bogor")
    #[arg(long)]
    pub head_position: Option<String>,
    /// Write the berita acara (PDF) here
    #[arg(long)]
    pub ba: Option<PathBuf>,
    /// Write the list (PDF) here
    #[arg(long)]
    pub list: Option<PathBuf>,
    /// Write the list (CSV) here
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Write the list (spreadsheet, .xlsx) here
    #[arg(long)]
    pub xlsx: Option<PathBuf>,
}
