//! The access matrix (issue 10): every endpoint × caller × record class ×
//! action, with the outcome it must have, kept as data. A documented
//! operation without a row fails `every_operation_has_rows`, so a new
//! endpoint cannot land without saying who may use it. Writes are checked
//! for their effect too: a refused edit leaves the record as it was.
//!
//! Outcomes: `Y` allowed (2xx; for lists: the record is in it), `N` not
//! found (404 `not_found`; for lists: absent), `D` 403 `access_denied`,
//! `T` 403 `target_not_approved`, `L` 403 `declassify_denied`, `R` 400
//! `reason_required`. A cell of four
//! letters gives Terbuka, Terbatas, Rahasia, Sangat Rahasia in order; one
//! letter is the same for every class.

use arsip_api::{router, Mode};
use arsip_core::catalogue::disposal::DisposalKind;
use arsip_core::catalogue::{NewRecord, RecordEdit};
use arsip_core::corpus::{self, CorpusOptions, Format};
use arsip_core::model::StoredFile;
use arsip_core::test_support::RawCatalogue;
use arsip_core::{AccessLevel, Archive, Clearance, IngestOptions, RecordId, Role};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use tower::ServiceExt;

/// Who asks, in the order of a row's cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    /// No session, office server.
    Anonymous,
    /// The kiosk server, sent an admin's token (it must ignore it).
    Kiosk,
    Publik,
    Arsiparis,
    Sekretariat,
    Admin,
}

const WHO: [Who; 6] = [
    Who::Anonymous,
    Who::Kiosk,
    Who::Publik,
    Who::Arsiparis,
    Who::Sekretariat,
    Who::Admin,
];

struct Row {
    /// The operation as the OpenAPI document names it.
    op: &'static str,
    action: &'static str,
    /// Anonymous, kiosk, publik, arsiparis, sekretariat, admin.
    expect: [&'static str; 6],
}

const fn row(op: &'static str, action: &'static str, expect: [&'static str; 6]) -> Row {
    Row { op, action, expect }
}

const READ: [&str; 6] = ["YNNN", "YNNN", "YNNN", "YYYN", "YYYN", "YYYY"];
const CATALOGUE: [&str; 6] = ["DDDD", "DDDD", "DDDD", "YYYN", "DDDD", "YYYY"];
const INGEST: [&str; 6] = ["DDDD", "DDDD", "DDDD", "YYYD", "DDDD", "YYYY"];
const AUDIT: [&str; 6] = ["D", "D", "D", "D", "Y", "Y"];
/// The audit trail names a record (its title, what an edit set) only to a
/// reader of its class; to others it says that something happened.
const AUDIT_NAMES: [&str; 6] = ["DDDD", "DDDD", "DDDD", "DDDD", "YYYN", "YYYY"];
const ANYONE: [&str; 6] = ["Y", "Y", "Y", "Y", "Y", "Y"];
/// Berkas and the retention schedule are staff's, each berkas up to the
/// reader's class; the public (and the kiosk) have none of it.
const BERKAS: [&str; 6] = ["DDDD", "DDDD", "DDDD", "YYYN", "YYYN", "YYYY"];
const BERKAS_WRITE: [&str; 6] = ["DDDD", "DDDD", "DDDD", "YYYN", "DDDD", "YYYY"];
const STAFF: [&str; 6] = ["D", "D", "D", "Y", "Y", "Y"];
const CATALOGUE_ANY: [&str; 6] = ["D", "D", "D", "Y", "D", "Y"];
/// What is done to a box is done to every berkas in it.
const WHOLE_BOX: [&str; 6] = ["DDDD", "DDDD", "DDDD", "YYYD", "DDDD", "YYYY"];
const ADMIN: [&str; 6] = ["D", "D", "D", "D", "D", "Y"];

const MATRIX: &[Row] = &[
    row("GET /api/records/{id}", "view", READ),
    row("GET /api/search", "search", READ),
    // Results are counted by berkas, and filtered to one, only for staff
    // who read the berkas: the public has none.
    row(
        "GET /api/search",
        "berkas facet",
        ["NNNN", "NNNN", "NNNN", "YYYN", "YYYN", "YYYY"],
    ),
    row("GET /api/export.csv", "export", READ),
    row("GET /api/files/{sha256}", "original", READ),
    row(
        "GET /api/records/{id}/pages/{n}/thumbnail",
        "thumbnail",
        READ,
    ),
    row("GET /api/records/{id}/pages/{n}/image", "page image", READ),
    // Harvesters are the public, whoever sends the request.
    row("GET /oai", "oai record", ["YNNN"; 6]),
    row("PATCH /api/records/{id}", "edit", CATALOGUE),
    row(
        "PATCH /api/records/{id}",
        "raise to sangat-rahasia",
        ["DDDD", "DDDD", "DDDD", "DDDN", "DDDD", "YYYY"],
    ),
    row(
        "PATCH /api/records/{id}",
        "declassify without reason",
        ["DDDD", "DDDD", "DDDD", "YLLN", "DDDD", "YRRR"],
    ),
    row(
        "PATCH /api/records/{id}",
        "declassify with reason",
        ["DDDD", "DDDD", "DDDD", "YLLN", "DDDD", "YYYY"],
    ),
    row("POST /api/records/edit", "batch edit", CATALOGUE),
    row("DELETE /api/records/{id}", "delete", CATALOGUE),
    // A record's history says no more than its page: staff who read it.
    row("GET /api/records/{id}/history", "record history", BERKAS),
    // A record's earlier content is staff's who read it (a re-scan may
    // replace a page that showed too much); changing content is the
    // archivists'.
    row("GET /api/records/{id}/versions", "versions", BERKAS),
    row(
        "GET /api/records/{id}/versions/{v}",
        "version pages",
        BERKAS,
    ),
    row(
        "GET /api/files/{sha256}",
        "original of an earlier version",
        ["NNNN", "NNNN", "NNNN", "YYYN", "YYYN", "YYYY"],
    ),
    row("POST /api/records/{id}/rescan", "rescan", CATALOGUE),
    row(
        "POST /api/records/{id}/reocr",
        "read again by ocr",
        CATALOGUE,
    ),
    row(
        "POST /api/records/{id}/versions/{v}/restore",
        "restore a version",
        CATALOGUE,
    ),
    // The trash holds content nobody else sees: the admin's, to restore.
    row(
        "GET /api/trash",
        "trash",
        ["DDDD", "DDDD", "DDDD", "DDDD", "DDDD", "YYYY"],
    ),
    row(
        "POST /api/trash/{id}/restore",
        "restore from trash",
        ["DDDD", "DDDD", "DDDD", "DDDD", "DDDD", "YYYY"],
    ),
    row("POST /api/uploads", "upload into class", INGEST),
    row(
        "POST /api/uploads/document",
        "upload a document into class",
        INGEST,
    ),
    row(
        "POST /api/imports/proposal",
        "propose documents",
        ["D", "D", "D", "Y", "D", "Y"],
    ),
    row(
        "POST /api/separators",
        "print separator sheets",
        ["D", "D", "D", "Y", "D", "Y"],
    ),
    row("POST /api/records/{id}/pages/move", "move pages", CATALOGUE),
    row("GET /api/review", "review queue", CATALOGUE),
    row("GET /api/berkas", "berkas list", BERKAS),
    row("GET /api/berkas/{id}", "view berkas", BERKAS),
    row(
        "POST /api/berkas",
        "add berkas in class",
        ["DDDD", "DDDD", "DDDD", "YYYD", "DDDD", "YYYY"],
    ),
    row("PATCH /api/berkas/{id}", "edit berkas", BERKAS_WRITE),
    row("PATCH /api/berkas/{id}", "confirm jra", BERKAS_WRITE),
    row("GET /api/retention", "retention lists", BERKAS),
    row("GET /api/jra", "jra", STAFF),
    row("POST /api/jra", "import jra", ADMIN),
    // A record of each class filed in a berkas of its own class, and in
    // a top-secret one (which only the admin reads).
    row("PATCH /api/records/{id}", "file in a berkas", CATALOGUE),
    row(
        "PATCH /api/records/{id}",
        "file in a top-secret berkas",
        ["DDDD", "DDDD", "DDDD", "NNNN", "DDDD", "YYYY"],
    ),
    row("GET /api/recap", "recap queue", CATALOGUE),
    // A table as OCR read it is staff's; the public sees only a confirmed one.
    row(
        "GET /api/records/{id}/recap",
        "recap as read",
        ["NNNN", "NNNN", "NNNN", "YYYN", "YYYN", "YYYY"],
    ),
    row("GET /api/records/{id}/recap", "confirmed recap", READ),
    row(
        "GET /api/records/{id}/recap/rows/{index}/crop",
        "recap crop",
        READ,
    ),
    row("POST /api/records/{id}/recap", "confirm recap", CATALOGUE),
    row("GET /api/recap.csv", "recap export", READ),
    row("POST /api/review", "review", CATALOGUE),
    row("POST /api/imports", "import into class", INGEST),
    row(
        "GET /api/imports/{id}",
        "import status",
        ["D", "D", "D", "N", "D", "N"],
    ),
    // Destruction lists, each read whole: a list of class X holds a record
    // of class X. Before the push below: a destruction is refused once
    // anything was sealed for sync.
    row("GET /api/disposals", "disposal lists", BERKAS),
    row("GET /api/disposals/{id}", "view disposal", BERKAS),
    row(
        "GET /api/disposals/{id}/documents/{name}",
        "disposal document",
        BERKAS,
    ),
    row("POST /api/disposals", "propose destruction", BERKAS_WRITE),
    row("POST /api/disposals", "propose transfer", BERKAS_WRITE),
    row("POST /api/disposals", "propose handover", BERKAS_WRITE),
    row(
        "POST /api/disposals/{id}/steps",
        "assess disposal",
        BERKAS_WRITE,
    ),
    row(
        "POST /api/disposals/{id}/steps",
        "cancel disposal",
        BERKAS_WRITE,
    ),
    // An approved list is cancelled only by an admin, as it was approved.
    row(
        "POST /api/disposals/{id}/steps",
        "cancel an approved disposal",
        ["DDDD", "DDDD", "DDDD", "DDDN", "DDDD", "YYYY"],
    ),
    row(
        "POST /api/disposals/{id}/steps",
        "approve disposal",
        ["DDDD", "DDDD", "DDDD", "DDDD", "DDDD", "YYYY"],
    ),
    row(
        "POST /api/disposals/{id}/steps",
        "carry out destruction",
        ["DDDD", "DDDD", "DDDD", "DDDD", "DDDD", "YYYY"],
    ),
    row(
        "POST /api/disposals/{id}/steps",
        "carry out handover",
        ["DDDD", "DDDD", "DDDD", "DDDD", "DDDD", "YYYY"],
    ),
    // A handover's bag holds every record of the list unmasked: the admin's.
    row(
        "GET /api/disposals/{id}/bag.zip",
        "handover package",
        ["DDDD", "DDDD", "DDDD", "DDDD", "DDDD", "YYYY"],
    ),
    // Places and boxes are staff's; a box shows each reader the berkas of
    // the classes they read, and is changed or labelled only by one who may
    // read all it holds.
    row("GET /api/places", "places", STAFF),
    row("POST /api/places", "add place", CATALOGUE_ANY),
    row("GET /api/places/report.pdf", "storage report", STAFF),
    row("GET /api/boxes", "boxes", STAFF),
    row("POST /api/boxes", "receive box", CATALOGUE_ANY),
    row("GET /api/boxes/{id}", "box contents", BERKAS),
    row("PATCH /api/boxes/{id}", "move box holding class", WHOLE_BOX),
    // A digitisation's documents name every record of its berkas: made by
    // archivists and admins who read the berkas whole.
    row(
        "POST /api/digitisation/{name}",
        "digitisation record",
        BERKAS_WRITE,
    ),
    row(
        "POST /api/digitisation/{name}",
        "digitisation holding class",
        WHOLE_BOX,
    ),
    row("POST /api/labels", "box label", WHOLE_BOX),
    row("POST /api/labels", "berkas label", BERKAS_WRITE),
    row("POST /api/labels/scan", "read berkas label", BERKAS),
    // A loan of a berkas is seen by readers of its class; a box is lent
    // only by one who may read all it holds.
    row("GET /api/loans", "loans", BERKAS),
    row("POST /api/loans", "lend berkas", BERKAS_WRITE),
    row("POST /api/loans", "lend box holding class", WHOLE_BOX),
    row("POST /api/loans/{id}/return", "return berkas", BERKAS_WRITE),
    row("GET /api/loans/{id}/slip.pdf", "loan slip", BERKAS),
    row(
        "POST /api/sync/push",
        "push",
        ["D", "D", "D", "T", "D", "Y"],
    ),
    row(
        "GET /api/sync",
        "sync status",
        ["D", "D", "D", "Y", "D", "Y"],
    ),
    row("GET /api/audit", "audit", AUDIT),
    row("GET /api/audit", "audit names a record", AUDIT_NAMES),
    row("GET /api/audit.csv", "audit export", AUDIT),
    row(
        "GET /api/audit.csv",
        "audit export names a record",
        AUDIT_NAMES,
    ),
    row("GET /api/audit/verify", "audit verify", AUDIT),
    row("GET /api/users", "list users", ADMIN),
    row("POST /api/users", "add user", ADMIN),
    row("PATCH /api/users/{name}", "change role", ADMIN),
    row("PATCH /api/users/{name}", "disable user", ADMIN),
    row("PATCH /api/users/{name}", "reset password", ADMIN),
    row("GET /api/backup", "backup plan", ADMIN),
    row("PUT /api/backup", "plan backups", ADMIN),
    row("POST /api/backup/run", "back up now", ADMIN),
    row(
        "GET /api/watch",
        "watched folder",
        ["D", "D", "D", "Y", "D", "Y"],
    ),
    row("PUT /api/watch", "watch a folder into class", INGEST),
    row("GET /api/setup", "setup not needed", ANYONE),
    // An archive is never set up again, whoever asks.
    row(
        "POST /api/setup",
        "set up again",
        ["D", "D", "D", "X", "X", "X"],
    ),
    // Only the desktop window, on an archive nobody can log in to.
    row("POST /api/setup/admin", "first admin", ["D"; 6]),
    row("GET /api/me", "me", ANYONE),
    row("GET /api/vocabularies", "vocabularies", ANYONE),
    row("GET /api/openapi.json", "openapi", ANYONE),
];

/// Operations proven by tests of their own, named here.
const ELSEWHERE: &[(&str, &str)] = &[
    (
        "POST /api/login",
        "login_errors_are_clear_and_in_the_callers_language",
    ),
    (
        "POST /api/logout",
        "an_ended_session_is_an_error_not_the_public",
    ),
];

const CLASSES: [AccessLevel; 4] = AccessLevel::ALL;
const PASSWORD: &str = "kata-sandi-matriks";

struct Matrix {
    _dir: tempfile::TempDir,
    archive: Arc<Archive>,
    office: axum::Router,
    kiosk: axum::Router,
    runtime: tokio::runtime::Runtime,
    /// A record of each class to read: (id, sha256 of its original).
    readable: Vec<(RecordId, String)>,
    /// A scanned result form of each class, its table confirmed.
    forms: Vec<RecordId>,
    /// A berkas of each class, its JRA row confirmed, due for destruction
    /// assessment from 2025.
    berkas: Vec<arsip_core::BerkasId>,
    /// Bytes of a text PDF to upload (made unique per upload).
    pdf: Vec<u8>,
    scratch: PathBuf,
    tokens: Mutex<Vec<(Who, String)>>,
    counter: Mutex<u64>,
}

fn matrix() -> &'static Matrix {
    static M: OnceLock<Matrix> = OnceLock::new();
    M.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        let truths = corpus::generate(
            &input,
            &CorpusOptions {
                records: 12,
                seed: 11,
                dpi: 150,
                turn_every: 0,
                formats: vec![Format::TextPdf],
                kinds: Vec::new(),
            },
        )
        .unwrap();
        let plain: Vec<_> = truths.iter().filter(|t| !t.personal_data).collect();
        assert!(plain.len() >= 5, "the corpus needs records without NIKs");
        let archive = Archive::init(&dir.path().join("a"), "KPU Kota Bogor", "32.71").unwrap();
        let admin = Clearance::operator("uji");
        let paths: Vec<PathBuf> = plain.iter().map(|t| input.join(&t.file)).collect();
        let (reports, summary) = archive
            .ingest(&paths[..4], &IngestOptions::default(), &(), &admin)
            .unwrap();
        assert_eq!(summary.added, 4, "{reports:#?}");
        let mut readable = Vec::new();
        for (report, class) in reports.iter().zip(CLASSES) {
            let id = report.id.unwrap();
            let edit = RecordEdit {
                title: Some(format!("Berita acara matriks{}", code(class))),
                access: Some(class),
                reason: Some("uji".into()),
                ..RecordEdit::default()
            };
            archive.edit(&id, &edit, &admin).unwrap();
            let sha = archive.record(&id, &admin).unwrap().files[0]
                .sha256
                .to_hex();
            readable.push((id, sha));
        }
        let forms = result_forms(&archive, &dir.path().join("forms"));
        let berkas = CLASSES
            .iter()
            .map(|class| {
                let b = make_berkas(&archive, *class, &format!("PL.05/2019/{}", code(*class)));
                let confirm = arsip_core::catalogue::berkas::BerkasEdit {
                    jra: Some("PL.05".into()),
                    ..Default::default()
                };
                archive.edit_berkas(&b, &confirm, &admin).unwrap();
                b
            })
            .collect();
        for (name, role) in users() {
            archive.set_user(name, role, PASSWORD, "uji").unwrap();
        }
        archive.set_store_opener(arsip_remote::opener(archive.root()));
        let pdf = std::fs::read(&paths[4]).unwrap();
        let scratch = dir.path().join("scratch");
        std::fs::create_dir_all(&scratch).unwrap();
        let archive = Arc::new(archive);
        Matrix {
            office: router(archive.clone(), Mode::Office),
            kiosk: router(archive.clone(), Mode::Kiosk),
            archive,
            runtime: tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap(),
            readable,
            forms,
            berkas,
            pdf,
            scratch,
            _dir: dir,
            tokens: Mutex::new(Vec::new()),
            counter: Mutex::new(0),
        }
    })
}

/// A scanned result form (C.Hasil) of each class, its table read and
/// confirmed by an admin.
fn result_forms(archive: &Archive, input: &std::path::Path) -> Vec<RecordId> {
    let truths = corpus::generate(
        input,
        &CorpusOptions {
            records: 4,
            seed: 3,
            dpi: 150,
            turn_every: 0,
            formats: vec![Format::Jpeg],
            kinds: vec![corpus::DocKind::FormulirHasil],
        },
    )
    .unwrap();
    let admin = Clearance::operator("uji");
    let paths: Vec<PathBuf> = truths.iter().map(|t| input.join(&t.file)).collect();
    let (reports, _) = archive
        .ingest(&paths, &IngestOptions::default(), &(), &admin)
        .unwrap();
    reports
        .iter()
        .zip(CLASSES)
        .map(|(report, class)| {
            let id = report.id.unwrap();
            let edit = RecordEdit {
                access: Some(class),
                reason: Some("uji".into()),
                ..RecordEdit::default()
            };
            archive.edit(&id, &edit, &admin).unwrap();
            let table = archive.recap(&id, &admin).expect("a result table");
            let rows: Vec<arsip_core::catalogue::recap::ConfirmRow> =
                serde_json::from_value(confirming(&table).into()).unwrap();
            archive
                .confirm_recap(&id, &rows, &table.read_at, &admin)
                .unwrap();
            id
        })
        .collect()
}

/// A box numbered `number` on the shelf "Rak matriks", holding one berkas
/// of `class` numbered `UM/<number>`.
fn box_holding(m: &Matrix, class: AccessLevel, number: &str) -> arsip_core::BoxId {
    use arsip_core::catalogue::storage::{NewBox, NewPlace, PlaceKind};
    let admin = Clearance::operator("uji");
    let shelf = match m
        .archive
        .places(&admin)
        .unwrap()
        .into_iter()
        .find(|p| p.name == "Rak matriks")
    {
        Some(p) => p.id,
        None => {
            let new = NewPlace {
                kind: PlaceKind::Rak,
                name: "Rak matriks".into(),
                parent: None,
            };
            m.archive.add_place(&new, &admin).unwrap().id
        }
    };
    let new = NewBox {
        number: number.into(),
        place: Some(shelf),
        ..NewBox::default()
    };
    let b = m.archive.add_box(&new, &admin).unwrap().archive_box.id;
    let berkas = make_berkas(&m.archive, class, &format!("UM/{number}"));
    let edit = arsip_core::catalogue::berkas::BerkasEdit {
        in_box: Some(b.to_string()),
        ..Default::default()
    };
    m.archive.edit_berkas(&berkas, &edit, &admin).unwrap();
    b
}

/// A box made by `box_holding` and the berkas in it.
fn boxed_berkas(
    m: &Matrix,
    class: AccessLevel,
    number: &str,
) -> (arsip_core::BoxId, arsip_core::BerkasId) {
    let b = box_holding(m, class, number);
    let contents = m
        .archive
        .archive_box(&b, &Clearance::operator("uji"))
        .unwrap();
    (b, contents.berkas[0].id)
}

/// A loan of `berkas` or `in_box` to Siti of the technical unit.
fn loan_of(
    berkas: Option<arsip_core::BerkasId>,
    in_box: Option<arsip_core::BoxId>,
) -> arsip_core::catalogue::loans::NewLoan {
    arsip_core::catalogue::loans::NewLoan {
        berkas,
        in_box,
        borrower: "Siti".into(),
        unit: "Teknis".into(),
        due_on: "2099-01-01".into(),
        ..Default::default()
    }
}

/// A berkas of `class` numbered `number`, closed in 2019 under PL.05.
fn make_berkas(archive: &Archive, class: AccessLevel, number: &str) -> arsip_core::BerkasId {
    let new = arsip_core::catalogue::berkas::NewBerkas {
        number: number.into(),
        title: format!("Logistik {number}"),
        classification: Some("PL.05".into()),
        year_to: Some(2019),
        access: Some(class),
        ..Default::default()
    };
    archive
        .add_berkas(&new, &Clearance::operator("uji"))
        .unwrap()
        .id
}

/// A berkas due for destruction (UM, closed 2019) holding a fresh record
/// of `class`; with a list proposed by the admin and taken `steps` on.
fn due_list(m: &Matrix, class: AccessLevel, steps: &[serde_json::Value]) -> (String, RecordId) {
    let admin = Clearance::operator("uji");
    let (b, record) = due_berkas(m, class);
    let list = m.archive.propose_destruction(&[b], "", &admin).unwrap();
    for s in steps {
        let step: arsip_core::disposal::DisposalStep = serde_json::from_value(s.clone()).unwrap();
        m.archive.disposal_step(&list.id, &step, &admin).unwrap();
    }
    (list.id, record)
}

fn due_berkas(m: &Matrix, class: AccessLevel) -> (arsip_core::BerkasId, RecordId) {
    due_berkas_of(m, class, "UM")
}

/// A berkas under JRA row `code`, closed in 2019, holding a fresh record:
/// `UM` is due for destruction, `PL.02` for transfer.
fn due_berkas_of(m: &Matrix, class: AccessLevel, code: &str) -> (arsip_core::BerkasId, RecordId) {
    due_berkas_closed(m, class, code, 2019)
}

/// A berkas under JRA row `code`, closed in `year`, holding a fresh
/// record: `PL.02` closed in 2000 is due for handover.
fn due_berkas_closed(
    m: &Matrix,
    class: AccessLevel,
    code: &str,
    year: i32,
) -> (arsip_core::BerkasId, RecordId) {
    let admin = Clearance::operator("uji");
    let record = fresh(m, class);
    let new = arsip_core::catalogue::berkas::NewBerkas {
        number: format!("{code}/matriks/{}", next(m)),
        title: "Undangan matriks".into(),
        classification: Some(code.into()),
        year_to: Some(year),
        access: Some(class),
        ..Default::default()
    };
    let b = m.archive.add_berkas(&new, &admin).unwrap().id;
    let edit = arsip_core::catalogue::berkas::BerkasEdit {
        jra: Some(code.into()),
        ..Default::default()
    };
    m.archive.edit_berkas(&b, &edit, &admin).unwrap();
    let file = RecordEdit {
        berkas: Some(b.to_string()),
        ..RecordEdit::default()
    };
    m.archive.edit(&record, &file, &admin).unwrap();
    (b, record)
}

fn assessed() -> serde_json::Value {
    serde_json::json!({"step": "assess", "assessment": "dinilai tim"})
}

fn approved() -> serde_json::Value {
    serde_json::json!({"step": "approve", "approval_ref": "Nomor 1/2026"})
}

fn berkas_as_admin(
    m: &Matrix,
    id: &arsip_core::BerkasId,
) -> Option<arsip_core::catalogue::berkas::Berkas> {
    m.archive.berkas(id, &Clearance::operator("uji")).ok()
}

/// Every row of `table` confirmed as it stands.
fn confirming(table: &arsip_core::catalogue::recap::RecapTable) -> Vec<serde_json::Value> {
    table
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            serde_json::json!({"from": i, "kind": r.kind, "label": r.label, "votes": r.value().unwrap_or(0)})
        })
        .collect()
}

/// A fresh record of `class` whose text is a result table, read and not
/// yet confirmed.
fn fresh_recap(m: &Matrix, class: AccessLevel) -> RecordId {
    let id = fresh_with(
        m,
        class,
        "No Partai Politik Jumlah Suara\n1 Partai A 10\n2 Partai B 20\nJumlah suara sah 30\n\
         Jumlah suara tidak sah 1\nJumlah seluruh suara sah dan tidak sah 31",
    );
    let table = m
        .archive
        .recap(&id, &Clearance::operator("uji"))
        .expect("a table");
    assert!(table.confirmed_at.is_none());
    id
}

fn users() -> [(&'static str, Role); 4] {
    [
        ("m-publik", Role::Publik),
        ("m-arsip", Role::Arsiparis),
        ("m-sekre", Role::Sekretariat),
        ("m-admin", Role::Admin),
    ]
}

fn code(class: AccessLevel) -> String {
    class.code().replace('-', "")
}

fn next(m: &Matrix) -> u64 {
    let mut n = m.counter.lock().unwrap();
    *n += 1;
    *n
}

struct Reply {
    status: StatusCode,
    body: String,
}

fn send(m: &Matrix, who: Who, method: &str, uri: &str, body: Option<(&str, Vec<u8>)>) -> Reply {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(token) = token(m, who) {
        req = req.header("authorization", format!("Bearer {token}"));
    }
    let req = match body {
        Some((kind, bytes)) => req.header("content-type", kind).body(Body::from(bytes)),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let app = if who == Who::Kiosk {
        m.kiosk.clone()
    } else {
        m.office.clone()
    };
    m.runtime.block_on(async {
        let res = app.oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    })
}

fn json(m: &Matrix, who: Who, method: &str, uri: &str, body: serde_json::Value) -> Reply {
    send(
        m,
        who,
        method,
        uri,
        Some(("application/json", body.to_string().into_bytes())),
    )
}

fn token(m: &Matrix, who: Who) -> Option<String> {
    let name = match who {
        Who::Anonymous => return None,
        Who::Kiosk | Who::Admin => "m-admin",
        Who::Publik => "m-publik",
        Who::Arsiparis => "m-arsip",
        Who::Sekretariat => "m-sekre",
    };
    let mut tokens = m.tokens.lock().unwrap();
    if let Some((_, t)) = tokens.iter().find(|(w, _)| *w == who) {
        return Some(t.clone());
    }
    let session = m.archive.login(name, PASSWORD, "matriks").unwrap();
    tokens.push((who, session.token.clone()));
    Some(session.token)
}

/// What a reply means, as a matrix letter.
fn outcome(r: &Reply) -> char {
    if r.status.is_success() {
        return 'Y';
    }
    let code = serde_json::from_str::<serde_json::Value>(&r.body)
        .ok()
        .and_then(|v| v["error"]["code"].as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{} {}", r.status, r.body));
    match (r.status, code.as_str()) {
        (StatusCode::NOT_FOUND, "not_found") => 'N',
        (StatusCode::FORBIDDEN, "access_denied") => 'D',
        (StatusCode::FORBIDDEN, "target_not_approved") => 'T',
        (StatusCode::FORBIDDEN, "declassify_denied") => 'L',
        (StatusCode::BAD_REQUEST, "reason_required") => 'R',
        (StatusCode::BAD_REQUEST, "archive_exists") => 'X',
        _ => panic!("unexpected reply {}: {}", r.status, r.body),
    }
}

/// A fresh record of `class` to change (each write cell gets its own).
fn fresh(m: &Matrix, class: AccessLevel) -> RecordId {
    fresh_with(m, class, "")
}

/// A fresh record of `class` whose page says `words`.
fn fresh_with(m: &Matrix, class: AccessLevel, words: &str) -> RecordId {
    let n = next(m);
    let text = format!("Catatan matriks {n}\n{words}");
    fresh_holding(m, class, n, text.as_bytes().to_vec(), text)
}

/// A fresh record of `class`, numbered `n`, whose original is `bytes`
/// (named as a PDF) and whose one page says `text`.
fn fresh_holding(m: &Matrix, class: AccessLevel, n: u64, bytes: Vec<u8>, text: String) -> RecordId {
    let hash = arsip_core::blobs::BlobStore::open(m.archive.root().join("blobs"))
        .unwrap()
        .put_bytes(&bytes)
        .unwrap();
    let file = StoredFile {
        name: format!("matriks-{n}.pdf"),
        sha256: hash,
        media_type: "application/pdf".into(),
        size: bytes.len() as u64,
    };
    let record = NewRecord::born_digital(format!("Matriks {n}"), file, text, class, "uji");
    let id = record.id;
    RawCatalogue::open(m.archive.root())
        .unwrap()
        .insert_record(&record)
        .unwrap();
    m.archive.catch_up_index().unwrap();
    id
}

/// A fresh record of `class` whose original is a real PDF (unique by a
/// comment at its end), to be read again or re-scanned.
fn fresh_pdf(m: &Matrix, class: AccessLevel) -> RecordId {
    let n = next(m);
    let mut pdf = m.pdf.clone();
    pdf.extend(format!("\n%matriks {n}\n").as_bytes());
    fresh_holding(m, class, n, pdf, format!("Catatan matriks {n}"))
}

/// A fresh record of `class` re-scanned once: its id, the version that
/// keeps its first original, and that original.
fn fresh_versioned(m: &Matrix, class: AccessLevel) -> (RecordId, i64, arsip_core::ContentHash) {
    let id = fresh_pdf(m, class);
    let old = as_admin(m, &id).unwrap().files[0].sha256;
    let mut pdf = m.pdf.clone();
    pdf.extend(format!("\n%matriks {}\n", next(m)).as_bytes());
    let path = m.scratch.join(format!("pindai-{}.pdf", next(m)));
    std::fs::write(&path, pdf).unwrap();
    let version = m
        .archive
        .rescan(
            &id,
            &[path],
            &IngestOptions::default(),
            &Clearance::operator("uji"),
        )
        .unwrap();
    (id, version, old)
}

/// A multipart body of one unique PDF, and its content type.
fn multipart_pdf(m: &Matrix) -> (String, Vec<u8>) {
    let boundary = "matriks-batas";
    let mut pdf = m.pdf.clone();
    pdf.extend(format!("\n%matriks {}\n", next(m)).as_bytes());
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
         filename=\"pindai.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend(pdf);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn as_admin(m: &Matrix, id: &RecordId) -> Option<arsip_core::RecordView> {
    m.archive.record(id, &Clearance::operator("uji")).ok()
}

/// A fresh archivist to change (each write cell gets its own).
fn fresh_user(m: &Matrix) -> String {
    let name = format!("m-user-{}", next(m));
    m.archive
        .set_user(&name, Role::Arsiparis, PASSWORD, "uji")
        .unwrap();
    name
}

fn user_as_admin(m: &Matrix, name: &str) -> Option<arsip_core::catalogue::UserInfo> {
    let users = m.archive.users(&Clearance::operator("uji")).unwrap();
    users.into_iter().find(|u| u.name == name)
}

/// Runs one cell and checks a write's effect; returns the outcome letter.
fn run(m: &Matrix, action: &str, who: Who, class: AccessLevel) -> char {
    let class_index = CLASSES.iter().position(|c| *c == class).unwrap();
    let (id, sha) = m.readable[class_index].clone();
    let listed = |r: Reply| {
        assert!(r.status.is_success(), "{action}: {} {}", r.status, r.body);
        if r.body.contains(&id.to_string()) {
            'Y'
        } else {
            'N'
        }
    };
    let word = format!("matriks{}", code(class));
    match action {
        "view" => outcome(&send(m, who, "GET", &format!("/api/records/{id}"), None)),
        "search" => listed(send(m, who, "GET", &format!("/api/search?q={word}"), None)),
        "berkas facet" => {
            // A berkas of the class holding a record of it: named among the
            // facets of everything, and its record found by filtering on it.
            let n = next(m);
            let word = format!("berkasfaset{n}");
            let record = fresh_with(m, class, &word);
            let b = make_berkas(&m.archive, class, &format!("FASET/{n}"));
            let file = RecordEdit {
                berkas: Some(b.to_string()),
                ..RecordEdit::default()
            };
            m.archive
                .edit(&record, &file, &Clearance::operator("uji"))
                .unwrap();
            let facets = send(
                m,
                who,
                "GET",
                &format!("/api/search?q={word}&limit=0"),
                None,
            );
            let filtered = send(m, who, "GET", &format!("/api/search?berkas={b}"), None);
            assert!(facets.status.is_success() && filtered.status.is_success());
            let v: serde_json::Value = serde_json::from_str(&facets.body).unwrap();
            let named = v["facets"]["berkas"]
                .as_array()
                .unwrap_or_else(|| panic!("{who:?}: {}", facets.body))
                .iter()
                .any(|f| {
                    f["value"] == b.to_string()
                        && f["number"].as_str().is_some_and(|n| !n.is_empty())
                });
            let found = filtered.body.contains(&record.to_string());
            assert_eq!(named, found, "{who:?} {class:?}: facet and filter agree");
            if named {
                'Y'
            } else {
                'N'
            }
        }
        "export" => listed(send(
            m,
            who,
            "GET",
            &format!("/api/export.csv?q={word}"),
            None,
        )),
        "original" => outcome(&send(m, who, "GET", &format!("/api/files/{sha}"), None)),
        "thumbnail" => outcome(&send(
            m,
            who,
            "GET",
            &format!("/api/records/{id}/pages/1/thumbnail"),
            None,
        )),
        "page image" => outcome(&send(
            m,
            who,
            "GET",
            &format!("/api/records/{id}/pages/1/image?q=berita"),
            None,
        )),
        "oai record" => {
            let r = send(
                m,
                who,
                "GET",
                &format!("/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:rpp-arsip:{id}"),
                None,
            );
            assert_eq!(r.status, StatusCode::OK);
            if r.body.contains("idDoesNotExist") {
                'N'
            } else {
                assert!(r.body.contains(&id.to_string()), "{}", r.body);
                'Y'
            }
        }
        "edit" | "batch edit" => {
            let target = fresh(m, class);
            let r = if action == "edit" {
                json(
                    m,
                    who,
                    "PATCH",
                    &format!("/api/records/{target}"),
                    serde_json::json!({"description": "diubah"}),
                )
            } else {
                json(
                    m,
                    who,
                    "POST",
                    "/api/records/edit",
                    serde_json::json!({"ids": [target.to_string()], "edit": {"description": "diubah"}}),
                )
            };
            let o = outcome(&r);
            let now = as_admin(m, &target).unwrap().record.description;
            assert_eq!(
                now.is_some(),
                o == 'Y',
                "{action} {who:?} {class:?}: effect"
            );
            o
        }
        "delete" => {
            let target = fresh(m, class);
            let o = outcome(&send(
                m,
                who,
                "DELETE",
                &format!("/api/records/{target}"),
                None,
            ));
            assert_eq!(
                as_admin(m, &target).is_none(),
                o == 'Y',
                "delete {who:?} {class:?}: effect"
            );
            o
        }
        "record history" => {
            let target = fresh(m, class);
            let edit = RecordEdit {
                description: Some("riwayat matriks".into()),
                ..RecordEdit::default()
            };
            m.archive
                .edit(&target, &edit, &Clearance::operator("uji"))
                .unwrap();
            let r = send(
                m,
                who,
                "GET",
                &format!("/api/records/{target}/history"),
                None,
            );
            match outcome(&r) {
                'Y' => {
                    assert!(r.body.contains("record.edit"), "{}", r.body);
                    'Y'
                }
                o => o,
            }
        }
        "versions" | "version pages" | "original of an earlier version" => {
            let (target, version, old) = fresh_versioned(m, class);
            let uri = match action {
                "versions" => format!("/api/records/{target}/versions"),
                "version pages" => format!("/api/records/{target}/versions/{version}"),
                _ => format!("/api/files/{}", old.to_hex()),
            };
            let r = send(m, who, "GET", &uri, None);
            match outcome(&r) {
                'Y' if action == "versions" => {
                    assert!(r.body.contains("\"rescan\""), "{}", r.body);
                    'Y'
                }
                'Y' if action == "version pages" => {
                    assert!(r.body.contains("\"pages\""), "{}", r.body);
                    'Y'
                }
                o => o,
            }
        }
        "rescan" => {
            let target = fresh_pdf(m, class);
            let before = as_admin(m, &target).unwrap().files[0].sha256;
            let (kind, body) = multipart_pdf(m);
            let o = outcome(&send(
                m,
                who,
                "POST",
                &format!("/api/records/{target}/rescan"),
                Some((&kind, body)),
            ));
            let after = as_admin(m, &target).unwrap().files[0].sha256;
            assert_eq!(
                after != before,
                o == 'Y',
                "rescan {who:?} {class:?}: effect"
            );
            o
        }
        "read again by ocr" => {
            let target = fresh_pdf(m, class);
            let o = outcome(&send(
                m,
                who,
                "POST",
                &format!("/api/records/{target}/reocr"),
                None,
            ));
            let sources: Vec<_> = as_admin(m, &target)
                .unwrap()
                .pages
                .iter()
                .map(|p| p.source)
                .collect();
            assert_eq!(
                sources
                    .iter()
                    .all(|s| *s == arsip_core::model::TextSource::Ocr),
                o == 'Y',
                "reocr {who:?} {class:?}: effect"
            );
            o
        }
        "restore a version" => {
            let (target, version, old) = fresh_versioned(m, class);
            let o = outcome(&send(
                m,
                who,
                "POST",
                &format!("/api/records/{target}/versions/{version}/restore"),
                None,
            ));
            let now = as_admin(m, &target).unwrap().files[0].sha256;
            assert_eq!(now == old, o == 'Y', "restore {who:?} {class:?}: effect");
            o
        }
        "trash" | "restore from trash" => {
            let target = fresh(m, class);
            m.archive
                .delete(&target, &Clearance::operator("uji"))
                .unwrap();
            let r = if action == "trash" {
                send(m, who, "GET", "/api/trash", None)
            } else {
                send(
                    m,
                    who,
                    "POST",
                    &format!("/api/trash/{target}/restore"),
                    None,
                )
            };
            let o = outcome(&r);
            if action == "restore from trash" {
                assert_eq!(
                    as_admin(m, &target).is_some(),
                    o == 'Y',
                    "restore {who:?} {class:?}: effect"
                );
            }
            match o {
                'Y' if action == "trash" && !r.body.contains(&target.to_string()) => 'N',
                o => o,
            }
        }
        "raise to sangat-rahasia" | "declassify without reason" | "declassify with reason" => {
            let target = fresh(m, class);
            let body = match action {
                "raise to sangat-rahasia" => serde_json::json!({"access": "sangat-rahasia"}),
                "declassify without reason" => serde_json::json!({"access": "terbuka"}),
                _ => serde_json::json!({"access": "terbuka", "reason": "retensi aktif selesai"}),
            };
            let o = outcome(&json(
                m,
                who,
                "PATCH",
                &format!("/api/records/{target}"),
                body,
            ));
            let now = as_admin(m, &target).unwrap().record.access;
            let wanted = if action.starts_with("raise") {
                AccessLevel::SangatRahasia
            } else {
                AccessLevel::Terbuka
            };
            assert_eq!(
                now,
                if o == 'Y' { wanted } else { class },
                "{action} {who:?} {class:?}: effect"
            );
            o
        }
        "upload into class" => {
            let mut pdf = m.pdf.clone();
            pdf.extend(format!("\n%matriks {}\n", next(m)).as_bytes());
            let uri = format!(
                "/api/uploads?name=matriks-{}.pdf&access={}",
                next(m),
                class.code()
            );
            outcome(&send(m, who, "POST", &uri, Some(("application/pdf", pdf))))
        }
        "upload a document into class" => {
            let boundary = "matriks-batas";
            let mut body = Vec::new();
            for page in 1..=2 {
                let mut pdf = m.pdf.clone();
                pdf.extend(format!("\n%matriks {}\n", next(m)).as_bytes());
                body.extend(
                    format!(
                        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
                         filename=\"dok_p{page}.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend(pdf);
                body.extend(b"\r\n");
            }
            body.extend(format!("--{boundary}--\r\n").as_bytes());
            let uri = format!("/api/uploads/document?access={}", class.code());
            let kind = format!("multipart/form-data; boundary={boundary}");
            let r = send(m, who, "POST", &uri, Some((&kind, body)));
            let o = outcome(&r);
            if o == 'Y' {
                let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
                let id = RecordId::parse(v["id"].as_str().unwrap()).unwrap();
                let made = as_admin(m, &id).unwrap();
                assert_eq!(made.files.len(), 2, "one record of both parts");
                assert_eq!(made.record.access, class);
            }
            o
        }
        "propose documents" => {
            let body = serde_json::json!({"names": ["BA_p1.jpg", "BA_p2.jpg"]});
            let r = json(m, who, "POST", "/api/imports/proposal", body);
            let o = outcome(&r);
            if o == 'Y' {
                assert!(r.body.contains(r#""files":[0,1]"#), "{}", r.body);
            }
            o
        }
        "print separator sheets" => {
            let body = serde_json::json!({"sheet": {"doc_type": "berita-acara"}, "tps": "7"});
            let r = json(m, who, "POST", "/api/separators", body);
            let o = outcome(&r);
            if o == 'Y' {
                assert!(r.body.starts_with("%PDF-"), "a PDF");
            }
            o
        }
        "review queue" => {
            let target = fresh(m, class);
            let r = send(m, who, "GET", "/api/review", None);
            let o = outcome(&r);
            if o != 'Y' {
                o
            } else if r.body.contains(&target.to_string()) {
                'Y'
            } else {
                'N'
            }
        }
        "recap queue" => {
            let target = fresh_recap(m, class);
            let r = send(m, who, "GET", "/api/recap", None);
            let o = outcome(&r);
            if o != 'Y' {
                o
            } else if r.body.contains(&target.to_string()) {
                'Y'
            } else {
                'N'
            }
        }
        "recap as read" => {
            let target = fresh_recap(m, class);
            let r = send(m, who, "GET", &format!("/api/records/{target}/recap"), None);
            let o = outcome(&r);
            if o == 'Y' {
                assert!(r.body.contains(r#""label":"Partai B""#), "{}", r.body);
            }
            o
        }
        "confirmed recap" => {
            let form = m.forms[class_index];
            let r = send(m, who, "GET", &format!("/api/records/{form}/recap"), None);
            let o = outcome(&r);
            if o == 'Y' {
                let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
                assert!(v["confirmed_at"].is_string());
                // Who confirmed it is staff's to know.
                let public = matches!(who, Who::Anonymous | Who::Kiosk | Who::Publik);
                assert_eq!(v["confirmed_by"].is_null(), public, "{who:?}: {}", r.body);
            }
            o
        }
        "recap export" => {
            let form = m.forms[class_index];
            let r = send(m, who, "GET", "/api/recap.csv", None);
            let o = outcome(&r);
            if o != 'Y' {
                return o;
            }
            // Who confirmed a table is staff's to know.
            let public = matches!(who, Who::Anonymous | Who::Kiosk | Who::Publik);
            let lines: Vec<&str> = r
                .body
                .lines()
                .filter(|l| l.starts_with(&form.to_string()))
                .collect();
            match public {
                true => assert!(!r.body.contains(",uji,"), "{who:?}: {}", r.body),
                false => assert!(lines.iter().all(|l| l.contains(",uji,")), "{}", r.body),
            }
            if lines.is_empty() {
                'N'
            } else {
                'Y'
            }
        }
        "recap crop" => {
            let form = m.forms[class_index];
            let r = send(
                m,
                who,
                "GET",
                &format!("/api/records/{form}/recap/rows/0/crop"),
                None,
            );
            let o = outcome(&r);
            if o == 'Y' {
                assert!(r.body.len() > 500, "a picture");
            }
            o
        }
        "confirm recap" => {
            let target = fresh_recap(m, class);
            let admin = Clearance::operator("uji");
            let table = m.archive.recap(&target, &admin).unwrap();
            let body = serde_json::json!({"rows": confirming(&table), "read_at": table.read_at});
            let uri = format!("/api/records/{target}/recap");
            let o = outcome(&json(m, who, "POST", &uri, body));
            let confirmed = m
                .archive
                .recap(&target, &admin)
                .unwrap()
                .confirmed_at
                .is_some();
            assert_eq!(
                confirmed,
                o == 'Y',
                "confirm recap {who:?} {class:?}: effect"
            );
            o
        }
        "review" => {
            let target = fresh(m, class);
            let body = serde_json::json!({"ids": [target.to_string()], "accept": true});
            let o = outcome(&json(m, who, "POST", "/api/review", body));
            let waiting = m
                .archive
                .review(&[target], false, &Clearance::operator("uji"))
                .unwrap()
                == 1;
            assert_eq!(!waiting, o == 'Y', "review {who:?} {class:?}: effect");
            o
        }
        "move pages" => {
            let (from, to) = (fresh(m, class), fresh(m, class));
            let body = serde_json::json!({"pages": [1], "to": to.to_string()});
            let uri = format!("/api/records/{from}/pages/move");
            let o = outcome(&json(m, who, "POST", &uri, body));
            assert_eq!(
                as_admin(m, &from).is_none(),
                o == 'Y',
                "move {who:?} {class:?}: effect"
            );
            assert_eq!(
                as_admin(m, &to).unwrap().pages.len(),
                if o == 'Y' { 2 } else { 1 }
            );
            o
        }
        "import into class" => {
            let dir = m.scratch.join(format!("import-{}", next(m)));
            std::fs::create_dir_all(&dir).unwrap();
            let body =
                serde_json::json!({"paths": [dir.display().to_string()], "access": class.code()});
            outcome(&json(m, who, "POST", "/api/imports", body))
        }
        "import status" => outcome(&send(m, who, "GET", "/api/imports/999999", None)),
        "push" => {
            let target = format!("file://{}/push-{who:?}", m.scratch.display());
            outcome(&json(
                m,
                who,
                "POST",
                "/api/sync/push",
                serde_json::json!({"target": target}),
            ))
        }
        "sync status" => outcome(&send(m, who, "GET", "/api/sync", None)),
        "audit" => outcome(&send(m, who, "GET", "/api/audit?limit=3", None)),
        "audit verify" => outcome(&send(m, who, "GET", "/api/audit/verify", None)),
        "audit export" => outcome(&send(m, who, "GET", "/api/audit.csv?actor=uji", None)),
        "audit names a record" => {
            // The fixture's edit that titled the record, found through the
            // filter's pages (the matrix writes many entries after it).
            let title = format!("Berita acara matriks{}", code(class));
            let mut before = String::new();
            loop {
                let uri = format!("/api/audit?actor=uji&action=record.edit&limit=200{before}");
                let r = send(m, who, "GET", &uri, None);
                if !r.status.is_success() {
                    break outcome(&r);
                }
                let page: Vec<serde_json::Value> = serde_json::from_str(&r.body).unwrap();
                assert!(page
                    .iter()
                    .all(|e| e["actor"] == "uji" && e["action"] == "record.edit"));
                let Some(last) = page.last() else {
                    panic!("{who:?}: no edit of {id} in the trail")
                };
                if let Some(e) = page.iter().find(|e| e["target"] == id.to_string().as_str()) {
                    let named = e["record_title"] == title.as_str()
                        && e["detail"].as_str().unwrap().contains(&title);
                    let hidden = e["record_title"].is_null() && e["detail"] == "…";
                    assert!(named || hidden, "{who:?}: {e}");
                    break if named { 'Y' } else { 'N' };
                }
                before = format!("&before={}", last["seq"]);
            }
        }
        "audit export names a record" => {
            let title = format!("Berita acara matriks{}", code(class));
            let uri = "/api/audit.csv?actor=uji&action=record.edit";
            let r = send(m, who, "GET", uri, None);
            let o = outcome(&r);
            if o != 'Y' {
                o
            } else if r.body.contains(&title) {
                'Y'
            } else {
                assert!(r.body.contains(&id.to_string()), "it happened: {}", r.body);
                'N'
            }
        }
        "list users" => {
            let r = send(m, who, "GET", "/api/users", None);
            let o = outcome(&r);
            assert_eq!(
                r.body.contains(r#""name":"m-arsip""#),
                o == 'Y',
                "{who:?}: {}",
                r.body
            );
            assert!(!r.body.contains("argon2"), "never a hash");
            o
        }
        "add user" => {
            let name = format!("m-new-{}", next(m));
            let body = serde_json::json!({"name": name, "role": "admin", "password": PASSWORD});
            let o = outcome(&json(m, who, "POST", "/api/users", body));
            assert_eq!(
                user_as_admin(m, &name).is_some(),
                o == 'Y',
                "{who:?}: effect"
            );
            o
        }
        "change role" | "disable user" | "reset password" => {
            let name = fresh_user(m);
            let body = match action {
                "change role" => serde_json::json!({"role": "admin"}),
                "disable user" => serde_json::json!({"disabled": true}),
                _ => serde_json::json!({"password": "kata-sandi-baru"}),
            };
            let uri = format!("/api/users/{name}");
            let o = outcome(&json(m, who, "PATCH", &uri, body));
            let now = user_as_admin(m, &name).unwrap();
            let changed = match action {
                "change role" => now.role == Role::Admin,
                "disable user" => now.disabled,
                _ => m.archive.login(&name, "kata-sandi-baru", "matriks").is_ok(),
            };
            assert_eq!(changed, o == 'Y', "{action} {who:?}: effect");
            o
        }
        "backup plan" => outcome(&send(m, who, "GET", "/api/backup", None)),
        "plan backups" => {
            let target = m.scratch.join(format!("plan-{}", next(m)));
            let body = serde_json::json!({"target": target, "every_hours": 24});
            let o = outcome(&json(m, who, "PUT", "/api/backup", body));
            let plan = m
                .archive
                .backup_plan(arsip_core::Lang::Id, &Clearance::operator("uji"))
                .unwrap();
            assert_eq!(
                plan.target == Some(target.display().to_string()),
                o == 'Y',
                "{who:?}: effect"
            );
            o
        }
        "back up now" => {
            let target = m.scratch.join(format!("backup-{}", next(m)));
            m.archive
                .set_backup_plan(
                    Some(&target.display().to_string()),
                    0,
                    &Clearance::operator("uji"),
                )
                .unwrap();
            let o = outcome(&send(m, who, "POST", "/api/backup/run", None));
            assert_eq!(
                target.join(arsip_core::backup::MANIFEST).exists(),
                o == 'Y',
                "{who:?}: a backup copies the whole archive out, so only the admin's is made"
            );
            o
        }
        "watched folder" => {
            let r = send(m, who, "GET", "/api/watch", None);
            let o = outcome(&r);
            assert_eq!(r.body.contains("\"recent\""), o == 'Y', "{}", r.body);
            o
        }
        "watch a folder into class" => {
            let folder = m.scratch.join(format!("pindaian-{}", next(m)));
            std::fs::create_dir_all(&folder).unwrap();
            let body = serde_json::json!({"folder": folder, "access": class.code()});
            let o = outcome(&json(m, who, "PUT", "/api/watch", body));
            let plan = m
                .archive
                .watch_status(&Clearance::operator("uji"))
                .unwrap()
                .plan;
            let now = plan
                .folder
                .is_some_and(|f| f.ends_with(&*folder.file_name().unwrap().to_string_lossy()));
            assert_eq!(now, o == 'Y', "{who:?} {class:?}: effect");
            // Left unwatched: the matrix's other cells read nothing from it.
            m.archive
                .set_watch(None, None, None, &Clearance::operator("uji"))
                .unwrap();
            o
        }
        "setup not needed" => {
            let r = send(m, who, "GET", "/api/setup", None);
            assert!(r.body.contains("\"needed\":false"), "{who:?}: {}", r.body);
            outcome(&r)
        }
        "set up again" => {
            let folder = m.scratch.join(format!("setup-{}", next(m)));
            let body = serde_json::json!({
                "folder": folder.display().to_string(), "office": "KPU Kota Bogor",
                "region": "32.71", "admin": "admin9", "password": "sandi-baru-123"
            });
            let o = outcome(&json(m, who, "POST", "/api/setup", body));
            assert!(!folder.exists(), "{who:?}: nothing made");
            o
        }
        "first admin" => {
            let name = format!("kepala{}", next(m));
            let body = serde_json::json!({"admin": name, "password": "sandi-baru-123"});
            let o = outcome(&json(m, who, "POST", "/api/setup/admin", body));
            assert!(
                m.archive.login(&name, "sandi-baru-123", "matriks").is_err(),
                "{who:?}: no admin made"
            );
            o
        }
        "berkas list" | "retention lists" => {
            let b = m.berkas[class_index];
            let uri = if action == "berkas list" {
                "/api/berkas"
            } else {
                "/api/retention?on=2025-01-01"
            };
            let r = send(m, who, "GET", uri, None);
            match outcome(&r) {
                'Y' if r.body.contains(&b.to_string()) => 'Y',
                'Y' => 'N',
                o => o,
            }
        }
        "view berkas" => {
            let b = m.berkas[class_index];
            outcome(&send(m, who, "GET", &format!("/api/berkas/{b}"), None))
        }
        "add berkas in class" => {
            let number = format!("UM/matriks/{}", next(m));
            let body = serde_json::json!({"number": number, "title": "Berkas matriks", "access": class.code()});
            let o = outcome(&json(m, who, "POST", "/api/berkas", body));
            let made = m
                .archive
                .berkas_list(&Clearance::operator("uji"))
                .unwrap()
                .iter()
                .any(|b| b.number == number);
            assert_eq!(made, o == 'Y', "add berkas {who:?} {class:?}: effect");
            o
        }
        "edit berkas" | "confirm jra" => {
            let b = make_berkas(&m.archive, class, &format!("UM/matriks/{}", next(m)));
            let body = if action == "edit berkas" {
                serde_json::json!({"title": "Judul diganti", "folder": "9"})
            } else {
                serde_json::json!({"jra": "UM"})
            };
            let o = outcome(&json(m, who, "PATCH", &format!("/api/berkas/{b}"), body));
            let after = berkas_as_admin(m, &b).unwrap();
            let changed = after.title == "Judul diganti" || after.jra.is_some();
            assert_eq!(changed, o == 'Y', "{action} {who:?} {class:?}: effect");
            o
        }
        "jra" => outcome(&send(m, who, "GET", "/api/jra", None)),
        "import jra" => {
            let code = format!("UM.{}", 50 + next(m));
            let csv = format!(
                "code,series,active_years,inactive_years,outcome,note\n{code},Matriks,1,2,musnah,\n"
            );
            let o = outcome(&send(
                m,
                who,
                "POST",
                "/api/jra",
                Some(("text/csv", csv.into_bytes())),
            ));
            let rows = m.archive.jra(&Clearance::operator("uji")).unwrap();
            assert_eq!(
                rows.iter().any(|r| r.code == code),
                o == 'Y',
                "import jra {who:?}: effect"
            );
            o
        }
        "file in a berkas" | "file in a top-secret berkas" => {
            let target = fresh(m, class);
            let into = if action == "file in a berkas" {
                class
            } else {
                AccessLevel::SangatRahasia
            };
            let b = make_berkas(&m.archive, into, &format!("UM/matriks/{}", next(m)));
            let body = serde_json::json!({"berkas": b.to_string()});
            let o = outcome(&json(
                m,
                who,
                "PATCH",
                &format!("/api/records/{target}"),
                body,
            ));
            let filed = as_admin(m, &target).unwrap().berkas.is_some();
            assert_eq!(filed, o == 'Y', "{action} {who:?} {class:?}: effect");
            o
        }
        "places" | "boxes" => {
            let number = format!("M-{}", next(m));
            let b = box_holding(m, class, &number);
            let uri = if action == "places" {
                "/api/places"
            } else {
                "/api/boxes"
            };
            let r = send(m, who, "GET", uri, None);
            match outcome(&r) {
                'Y' if action == "boxes" && !r.body.contains(&b.to_string()) => 'N',
                'Y' if action == "places" && !r.body.contains("Rak matriks") => 'N',
                o => o,
            }
        }
        "storage report" => {
            let r = send(m, who, "GET", "/api/places/report.pdf", None);
            if r.status.is_success() {
                assert!(r.body.starts_with("%PDF"), "a PDF");
            }
            outcome(&r)
        }
        "add place" => {
            let name = format!("Gedung matriks {}", next(m));
            let body = serde_json::json!({"kind": "gedung", "name": name});
            let o = outcome(&json(m, who, "POST", "/api/places", body));
            let made = m
                .archive
                .places(&Clearance::operator("uji"))
                .unwrap()
                .iter()
                .any(|p| p.name == name);
            assert_eq!(made, o == 'Y', "add place {who:?}: effect");
            o
        }
        "receive box" => {
            let number = format!("M-{}", next(m));
            let body = serde_json::json!({"number": number, "condition": "baik"});
            let o = outcome(&json(m, who, "POST", "/api/boxes", body));
            let made = m
                .archive
                .box_numbered(&number, &Clearance::operator("uji"))
                .is_ok();
            assert_eq!(made, o == 'Y', "receive box {who:?}: effect");
            o
        }
        "box contents" => {
            let number = format!("M-{}", next(m));
            let b = box_holding(m, class, &number);
            let r = send(m, who, "GET", &format!("/api/boxes/{b}"), None);
            match outcome(&r) {
                'Y' if !r.body.contains(&format!("UM/{number}")) => 'N',
                o => o,
            }
        }
        "move box holding class" => {
            let number = format!("M-{}", next(m));
            let b = box_holding(m, class, &number);
            let body = serde_json::json!({"note": "dipindah"});
            let o = outcome(&json(m, who, "PATCH", &format!("/api/boxes/{b}"), body));
            let after = m
                .archive
                .archive_box(&b, &Clearance::operator("uji"))
                .unwrap();
            assert_eq!(
                after.archive_box.note == "dipindah",
                o == 'Y',
                "move box {who:?} {class:?}: effect"
            );
            o
        }
        "digitisation record" | "digitisation holding class" => {
            let b = if action == "digitisation record" {
                due_berkas(m, class).0
            } else {
                // An open berkas with a record of the class filed in it.
                let (b, _) = due_berkas(m, AccessLevel::Terbuka);
                let file = RecordEdit {
                    berkas: Some(b.to_string()),
                    ..RecordEdit::default()
                };
                let record = fresh(m, class);
                m.archive
                    .edit(&record, &file, &Clearance::operator("uji"))
                    .unwrap();
                b
            };
            let body = serde_json::json!({
                "berkas": [b.to_string()],
                "number": "1/BA-AM/XII/2026",
                "device": "Pemindai dokumen",
                "dpi": 300,
                "colour": "keabuan",
                "operator": {"name": "Siti"},
                "witness": {"name": "Budi"},
                "head": {"name": "Ahmad", "position": "Sekretaris"},
            });
            let r = json(m, who, "POST", "/api/digitisation/list.csv", body);
            if r.status.is_success() {
                // The heading and a row for each record the berkas holds.
                assert!(r.body.lines().count() >= 2, "{}", r.body);
            }
            outcome(&r)
        }
        "box label" | "berkas label" => {
            let number = format!("M-{}", next(m));
            let b = box_holding(m, class, &number);
            let body = if action == "box label" {
                serde_json::json!({"boxes": [b.to_string()], "layout": "sheet14"})
            } else {
                let k = m
                    .archive
                    .archive_box(&b, &Clearance::operator("uji"))
                    .unwrap()
                    .berkas[0]
                    .id;
                serde_json::json!({"berkas": [k.to_string()], "layout": "a4"})
            };
            let r = json(m, who, "POST", "/api/labels", body);
            if r.status.is_success() {
                assert!(r.body.starts_with("%PDF"), "a PDF");
            }
            outcome(&r)
        }
        "read berkas label" => {
            let number = format!("M-{}", next(m));
            let (_, k) = boxed_berkas(m, class, &number);
            let typed = format!("RPPARSIP:BERKAS:{k}").into_bytes();
            let r = send(
                m,
                who,
                "POST",
                "/api/labels/scan",
                Some(("text/plain", typed)),
            );
            match outcome(&r) {
                'Y' => {
                    assert!(r.body.contains(&k.to_string()), "{}", r.body);
                    'Y'
                }
                o => o,
            }
        }
        "loans" | "return berkas" | "loan slip" => {
            let number = format!("M-{}", next(m));
            let (_, berkas) = boxed_berkas(m, class, &number);
            let admin = Clearance::operator("uji");
            let loan = m
                .archive
                .lend(&loan_of(Some(berkas), None), &admin)
                .unwrap()
                .id;
            let r = match action {
                "loans" => send(m, who, "GET", "/api/loans", None),
                "return berkas" => json(
                    m,
                    who,
                    "POST",
                    &format!("/api/loans/{loan}/return"),
                    serde_json::json!({"condition": "baik"}),
                ),
                _ => send(m, who, "GET", &format!("/api/loans/{loan}/slip.pdf"), None),
            };
            let o = outcome(&r);
            if action == "return berkas" {
                let back = m.archive.loan(&loan, &admin).unwrap().returned_on.is_some();
                assert_eq!(back, o == 'Y', "return {who:?} {class:?}: effect");
            }
            match o {
                'Y' if action == "loans" && !r.body.contains(&loan.to_string()) => 'N',
                o => o,
            }
        }
        "lend berkas" | "lend box holding class" => {
            let number = format!("M-{}", next(m));
            let (b, berkas) = boxed_berkas(m, class, &number);
            let body = if action == "lend berkas" {
                serde_json::json!({"berkas": berkas.to_string(), "borrower": "Siti", "unit": "Teknis", "due_on": "2099-01-01"})
            } else {
                serde_json::json!({"box": b.to_string(), "borrower": "Siti", "unit": "Teknis", "due_on": "2099-01-01"})
            };
            let o = outcome(&json(m, who, "POST", "/api/loans", body));
            let out = m
                .archive
                .loans(None, true, &Clearance::operator("uji"))
                .unwrap()
                .loans
                .iter()
                .any(|l| match &l.lent {
                    arsip_core::catalogue::loans::Lent::Berkas { id, .. } => *id == berkas,
                    arsip_core::catalogue::loans::Lent::Box { id, .. } => *id == b,
                });
            assert_eq!(out, o == 'Y', "{action} {who:?} {class:?}: effect");
            o
        }
        "disposal lists" | "view disposal" | "disposal document" => {
            let (list, _) = due_list(m, class, &[]);
            let uri = match action {
                "disposal lists" => "/api/disposals".to_string(),
                "view disposal" => format!("/api/disposals/{list}"),
                _ => format!("/api/disposals/{list}/documents/list.csv"),
            };
            let r = send(m, who, "GET", &uri, None);
            match outcome(&r) {
                'Y' if action == "disposal lists" && !r.body.contains(&list) => 'N',
                'Y' => {
                    assert!(r.body.contains("UM/matriks") || r.body.contains(&list));
                    'Y'
                }
                o => o,
            }
        }
        "propose destruction" | "propose transfer" | "propose handover" => {
            let (b, body) = match action {
                "propose destruction" => {
                    let (b, _) = due_berkas(m, class);
                    (b, serde_json::json!({"berkas": [b.to_string()]}))
                }
                "propose transfer" => {
                    let (b, _) = due_berkas_of(m, class, "PL.02");
                    (
                        b,
                        serde_json::json!({"berkas": [b.to_string()], "kind": "pindah"}),
                    )
                }
                _ => {
                    let (b, _) = due_berkas_closed(m, class, "PL.02", 2000);
                    (
                        b,
                        serde_json::json!({"berkas": [b.to_string()], "kind": "serah"}),
                    )
                }
            };
            let o = outcome(&json(m, who, "POST", "/api/disposals", body));
            let listed = m
                .archive
                .disposals(&Clearance::operator("uji"))
                .unwrap()
                .iter()
                .any(|d| {
                    m.archive
                        .disposal(&d.id, &Clearance::operator("uji"))
                        .unwrap()
                        .entries
                        .iter()
                        .any(|e| e.berkas == b)
                });
            assert_eq!(listed, o == 'Y', "propose {who:?} {class:?}: effect");
            o
        }
        "assess disposal"
        | "cancel disposal"
        | "cancel an approved disposal"
        | "approve disposal"
        | "carry out destruction" => {
            let cancel = serde_json::json!({"step": "cancel", "reason": "uji"});
            let (steps, body) = match action {
                "assess disposal" => (vec![], assessed()),
                "cancel disposal" => (vec![], cancel),
                "cancel an approved disposal" => (vec![assessed(), approved()], cancel),
                "approve disposal" => (vec![assessed()], approved()),
                _ => (
                    vec![assessed(), approved()],
                    serde_json::json!({"step": "carry-out", "ba_number": "1/BA/2026", "witnesses": ["Siti", "Budi"]}),
                ),
            };
            let (list, record) = due_list(m, class, &steps);
            let before = m
                .archive
                .disposal(&list, &Clearance::operator("uji"))
                .unwrap()
                .state;
            let o = outcome(&json(
                m,
                who,
                "POST",
                &format!("/api/disposals/{list}/steps"),
                body,
            ));
            let after = m
                .archive
                .disposal(&list, &Clearance::operator("uji"))
                .unwrap()
                .state;
            assert_eq!(
                before != after,
                o == 'Y',
                "{action} {who:?} {class:?}: effect"
            );
            if action == "carry out destruction" {
                assert_eq!(
                    as_admin(m, &record).is_none(),
                    o == 'Y',
                    "destroyed {who:?} {class:?}"
                );
            }
            o
        }
        "carry out handover" | "handover package" => {
            let admin = Clearance::operator("uji");
            let (b, _) = due_berkas_closed(m, class, "PL.02", 2000);
            let list = m
                .archive
                .propose(DisposalKind::Serah, &[b], "", &admin)
                .unwrap()
                .id;
            for s in [assessed(), approved()] {
                let step: arsip_core::disposal::DisposalStep = serde_json::from_value(s).unwrap();
                m.archive.disposal_step(&list, &step, &admin).unwrap();
            }
            if action == "handover package" {
                let r = send(
                    m,
                    who,
                    "GET",
                    &format!("/api/disposals/{list}/bag.zip"),
                    None,
                );
                let o = outcome(&r);
                if o == 'Y' {
                    assert!(r.body.starts_with("PK"), "a zip");
                }
                return o;
            }
            let body = serde_json::json!({"step": "carry-out", "ba_number": "2/BA/2026", "witnesses": ["Ketua", "Dinas"]});
            let o = outcome(&json(
                m,
                who,
                "POST",
                &format!("/api/disposals/{list}/steps"),
                body,
            ));
            let stage = m.archive.berkas(&b, &admin).unwrap().stage;
            assert_eq!(
                stage == arsip_core::catalogue::berkas::Stage::Statis,
                o == 'Y',
                "{action} {who:?} {class:?}: effect"
            );
            o
        }
        "me" => outcome(&send(m, who, "GET", "/api/me", None)),
        "vocabularies" => outcome(&send(m, who, "GET", "/api/vocabularies", None)),
        "openapi" => outcome(&send(m, who, "GET", "/api/openapi.json", None)),
        other => panic!("no action {other}"),
    }
}

#[test]
fn every_cell_of_the_access_matrix() {
    let m = matrix();
    let mut wrong = Vec::new();
    let mut cells = 0;
    for r in MATRIX {
        for (who, expect) in WHO.iter().zip(r.expect) {
            let classes: Vec<AccessLevel> = if expect.len() == 1 {
                vec![AccessLevel::Terbuka]
            } else {
                CLASSES.to_vec()
            };
            for (class, want) in classes.into_iter().zip(expect.chars()) {
                cells += 1;
                let got = run(m, r.action, *who, class);
                if got != want {
                    wrong.push(format!(
                        "{} ({}) as {who:?} on {}: expected {want}, got {got}",
                        r.op,
                        r.action,
                        class.code()
                    ));
                }
            }
        }
    }
    println!("access matrix: {} rows, {cells} cells", MATRIX.len());
    assert!(
        wrong.is_empty(),
        "{} cells wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn every_operation_has_rows() {
    let doc = arsip_api::openapi();
    let mut missing = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            let op = format!("{} {path}", method.to_uppercase());
            let covered =
                MATRIX.iter().any(|r| r.op == op) || ELSEWHERE.iter().any(|(o, _)| *o == op);
            if !covered {
                missing.push(op);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "operations without rows in the access matrix: {missing:?}"
    );
}

/// The terminal operator's clearance is the CLI's: a shell that serves other
/// people gets clearances only from sessions and the public.
#[test]
fn the_shells_that_serve_people_never_act_as_the_operator() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut offenders = Vec::new();
    for dir in [root.join("src"), root.join("../../src-tauri/src")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            if text.contains("Clearance::operator") || text.contains("::operator(") {
                offenders.push(path.display().to_string());
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:?}");
}

#[test]
fn a_search_too_far_or_too_long_is_refused_not_a_crash() {
    let m = matrix();
    for uri in [
        "/api/search?q=berita&offset=99999999999",
        "/api/search?q=berita&offset=10001",
        "/api/export.csv?q=berita&offset=99999999999",
    ] {
        let r = send(m, Who::Anonymous, "GET", uri, None);
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}: {}", r.body);
    }
    let long = "kata ".repeat(40);
    let r = send(
        m,
        Who::Anonymous,
        "GET",
        &format!("/api/search?q={}", long.replace(' ', "%20")),
        None,
    );
    assert!(r.body.contains("query_too_long"), "{}", r.body);
    // And the server still answers.
    let r = send(m, Who::Anonymous, "GET", "/api/search?q=berita", None);
    assert_eq!(r.status, StatusCode::OK);
}

#[test]
fn series_names_are_listed_and_filtered_only_as_the_caller_may_read_them() {
    let m = matrix();
    let admin = Clearance::operator("uji");
    let secret = fresh(m, AccessLevel::SangatRahasia);
    let open = fresh(m, AccessLevel::Terbuka);
    let name = |n: &str| format!("Seri Pemeriksaan 32710101019000{n}");
    for (id, series) in [(&secret, name("77")), (&open, name("19"))] {
        let edit = RecordEdit {
            series: Some(series),
            ..RecordEdit::default()
        };
        m.archive.edit(id, &edit, &admin).unwrap();
    }
    let vocab = send(m, Who::Anonymous, "GET", "/api/vocabularies", None).body;
    let sets = send(m, Who::Anonymous, "GET", "/oai?verb=ListSets", None).body;
    for listing in [&vocab, &sets] {
        assert!(!listing.contains("3271010101900077"), "{listing}");
        assert!(!listing.contains("3271010101900019"), "{listing}");
        assert!(!listing.contains("Seri Pemeriksaan 32710101019000"));
    }
    assert!(
        vocab.contains("Seri Pemeriksaan ****************"),
        "the open series, masked"
    );
    // A filter by a name holding a number answers nothing to the public,
    // whether the series exists or not: no oracle.
    let total = |who: Who, series: &str| -> u64 {
        let uri = format!("/api/search?q=&series={}", series.replace(' ', "%20"));
        let r = send(m, who, "GET", &uri, None);
        serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["total"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(total(Who::Anonymous, &name("19")), 0);
    assert_eq!(total(Who::Anonymous, &name("18")), 0);
    assert_eq!(
        total(Who::Sekretariat, &name("19")),
        1,
        "staff filter by the real name"
    );
}

#[test]
fn a_region_named_only_by_a_restricted_record_is_not_listed_to_those_who_cannot_read_it() {
    let m = matrix();
    let admin = Clearance::operator("uji");
    let secret = fresh(m, AccessLevel::SangatRahasia);
    // Kab. Purwakarta: outside the office's own tree, named by no other record.
    let edit = RecordEdit {
        region: Some("32.14".into()),
        ..RecordEdit::default()
    };
    m.archive.edit(&secret, &edit, &admin).unwrap();
    let listed = |who: Who| {
        let body = send(m, who, "GET", "/api/vocabularies", None).body;
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        v["region"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["code"] == "32.14")
    };
    for who in [Who::Anonymous, Who::Kiosk, Who::Publik, Who::Arsiparis] {
        assert!(!listed(who), "{who:?} sees the secret record's region");
    }
    assert!(
        listed(Who::Admin),
        "the admin reads the record, and its region"
    );
    // The office's own region is listed to everyone, named by a record or not.
    let body = send(m, Who::Anonymous, "GET", "/api/vocabularies", None).body;
    assert!(body.contains("\"32.71\""), "{body}");
}

#[test]
fn the_audit_trail_hides_what_it_says_of_records_above_the_readers_clearance() {
    let m = matrix();
    let secret = fresh(m, AccessLevel::SangatRahasia);
    let edit = RecordEdit {
        title: Some("Operasi Khusus Tim Pemeriksa".into()),
        ..RecordEdit::default()
    };
    m.archive
        .edit(&secret, &edit, &Clearance::operator("uji"))
        .unwrap();
    let details = |who: Who| -> Vec<String> {
        let r = send(m, who, "GET", "/api/audit?limit=500", None);
        let entries: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        entries
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["target"] == secret.to_string().as_str())
            .map(|e| e["detail"].as_str().unwrap().to_string())
            .collect()
    };
    let sekretariat = details(Who::Sekretariat);
    assert!(
        !sekretariat.is_empty(),
        "the secretariat sees that it happened"
    );
    assert!(
        sekretariat.iter().all(|d| !d.contains("Operasi")),
        "{sekretariat:?}"
    );
    assert!(details(Who::Admin)
        .iter()
        .any(|d| d.contains("Operasi Khusus")));

    // What the admin searched and copied out names the secret too: its
    // words stay the admin's.
    let r = send(m, Who::Admin, "GET", "/api/export.csv?q=Operasi", None);
    assert_eq!(r.status, StatusCode::OK);
    let exports = |who: Who| -> Vec<String> {
        let r = send(
            m,
            who,
            "GET",
            "/api/audit?limit=500&action=search.export",
            None,
        );
        let entries: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        entries
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["detail"].as_str().unwrap().to_string())
            .collect()
    };
    let seen = exports(Who::Sekretariat);
    assert!(
        !seen.is_empty() && seen.iter().all(|d| !d.contains("Operasi")),
        "{seen:?}"
    );
    assert!(exports(Who::Admin).iter().any(|d| d.contains("Operasi")));
}

#[test]
fn long_names_are_refused_clearly_and_cost_the_audit_trail_nothing() {
    let m = matrix();
    // A login name far longer than any user's is refused unread: no
    // password check, no audit entry the size of the name.
    let long = "a".repeat(5_000);
    let body = serde_json::json!({"name": long, "password": "x"});
    let r = json(m, Who::Anonymous, "POST", "/api/login", body);
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    let conn = rusqlite::Connection::open(m.archive.root().join("catalogue.sqlite")).unwrap();
    let huge: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE length(actor) > 64",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(huge, 0, "nothing audited for an impossible name");
    // An upload named past what a file system takes is the user's mistake.
    let uri = format!("/api/uploads?name={}.pdf", "n".repeat(300));
    let r = send(
        m,
        Who::Arsiparis,
        "POST",
        &uri,
        Some(("application/pdf", m.pdf.clone())),
    );
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("invalid_input"), "{}", r.body);
}
