//! The OpenAPI 3.1 document of `/api`, served at `/api/openapi.json`. Schemas
//! come from the Rust types themselves (schemars), so the document cannot
//! drift from what the handlers send; the UI's TypeScript types are generated
//! from this document and a test checks the committed copy is current.

use crate::reads::{AuditExportParams, AuditParams, ImageParams, SearchParams};
use crate::wire::{
    BackupPlanForm, BatchEdit, Changed, ErrorReply, FirstAdminForm, ImportRequest, ImportStatus,
    LoginForm, Me, MovePages, Moved, NewUser, ProposalRequest, PushRequest, ReviewForm, SetupForm,
    SetupInfo, UploadParams, WatchForm,
};
use arsip_core::audit::{AuditEntry, AuditReport};
use arsip_core::backup::BackupReport;
use arsip_core::catalogue::vocab::Vocabularies;
use arsip_core::catalogue::{BackupPlan, RecordEdit, Session, UserEdit, UserInfo};
use arsip_core::{FileReport, RecordView, SearchOutcome};
use axum::Json;
use schemars::generate::{Contract, SchemaSettings};
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{json, Map, Value};

pub async fn document() -> Json<Value> {
    Json(openapi())
}

struct Builder {
    reads: SchemaGenerator,
    writes: SchemaGenerator,
    paths: Map<String, Value>,
}

fn generator(contract: Contract) -> SchemaGenerator {
    let mut settings = SchemaSettings::draft2020_12();
    settings.definitions_path = "/components/schemas".into();
    settings.contract = contract;
    settings.into_generator()
}

/// What an operation answers with when it succeeds.
enum Ok200 {
    Json(Value),
    Bytes(&'static str),
    Empty(u16),
}

impl Builder {
    fn out<T: JsonSchema>(&mut self) -> Value {
        self.reads.subschema_for::<T>().to_value()
    }

    fn input<T: JsonSchema>(&mut self) -> Value {
        self.writes.subschema_for::<T>().to_value()
    }

    /// Query parameters from the fields of a Deserialize struct.
    fn query<T: JsonSchema>(&mut self) -> Vec<Value> {
        let root = self.writes.root_schema_for::<T>().to_value();
        let required: Vec<&str> = root["required"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        root["properties"]
            .as_object()
            .map(|props| {
                props
                    .iter()
                    .map(|(name, schema)| {
                        let mut schema = schema.clone();
                        let description =
                            schema.as_object_mut().and_then(|o| o.remove("description"));
                        let mut p = json!({
                            "name": name,
                            "in": "query",
                            "required": required.contains(&name.as_str()),
                            "schema": schema,
                        });
                        if let Some(d) = description {
                            p["description"] = d;
                        }
                        p
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn op(
        &mut self,
        method: &str,
        path: &str,
        summary: &str,
        mut params: Vec<Value>,
        body: Option<(&str, Value)>,
        ok: Ok200,
    ) {
        for segment in path.split('/') {
            if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                let schema = if name == "n" || (name == "id" && path.starts_with("/api/imports")) {
                    json!({"type": "integer", "minimum": 1})
                } else {
                    json!({"type": "string"})
                };
                params
                    .push(json!({"name": name, "in": "path", "required": true, "schema": schema}));
            }
        }
        let error = self.out::<ErrorReply>();
        let mut responses = json!({
            "default": {
                "description": "Error: {error: {code, message}}, message in Indonesian (English with Accept-Language: en)",
                "content": {"application/json": {"schema": error}}
            }
        });
        let (status, response) = match ok {
            Ok200::Json(schema) => (
                "200",
                json!({"description": "OK", "content": {"application/json": {"schema": schema}}}),
            ),
            Ok200::Bytes(media) => (
                "200",
                json!({"description": "OK", "content": {media: {"schema": {"type": "string", "format": "binary"}}}}),
            ),
            Ok200::Empty(204) => ("204", json!({"description": "Done"})),
            Ok200::Empty(_) => ("202", json!({"description": "Accepted"})),
        };
        responses[status] = response;
        let mut operation = json!({
            "summary": summary,
            "parameters": params,
            "responses": responses,
        });
        if let Some((media, schema)) = body {
            operation["requestBody"] =
                json!({"required": true, "content": {media: {"schema": schema}}});
        }
        let entry = self
            .paths
            .entry(path.to_string())
            .or_insert_with(|| json!({}));
        entry[method] = operation;
    }
}

/// Berkas and the retention schedule (`holdings.rs`).
fn holdings(b: &mut Builder) {
    use crate::holdings::{Imported, RetentionParams};
    use arsip_core::catalogue::berkas::{Berkas, BerkasEdit, JraRow, NewBerkas};
    let json_body = |schema: Value| Some(("application/json", schema));
    let out = b.out::<Vec<Berkas>>();
    b.op(
        "get",
        "/api/berkas",
        "Every berkas (file folder) the caller may read, by number, with its JRA row and when it falls due (staff)",
        vec![],
        None,
        Ok200::Json(out),
    );
    let schema = b.input::<NewBerkas>();
    let out = b.out::<Berkas>();
    b.op(
        "post",
        "/api/berkas",
        "Make a berkas in a class the caller reads; its number is unique (arsiparis, admin)",
        vec![],
        json_body(schema),
        Ok200::Json(out.clone()),
    );
    b.op(
        "get",
        "/api/berkas/{id}",
        "One berkas the caller may read (staff)",
        vec![],
        None,
        Ok200::Json(out.clone()),
    );
    let schema = b.input::<BerkasEdit>();
    b.op(
        "patch",
        "/api/berkas/{id}",
        "Change a berkas, confirm its JRA row, or record its transfer (aktif, inaktif) by hand (arsiparis, admin)",
        vec![],
        json_body(schema),
        Ok200::Json(out),
    );
    let out = b.out::<Vec<JraRow>>();
    b.op(
        "get",
        "/api/jra",
        "The retention schedule (Jadwal Retensi Arsip), a row per classification code (staff)",
        vec![],
        None,
        Ok200::Json(out),
    );
    let out = b.out::<Imported>();
    b.op(
        "post",
        "/api/jra",
        "Import the office's retention schedule as CSV (code, series, active_years, inactive_years, outcome, note; comma or semicolon): every row or none (admin)",
        vec![],
        Some(("text/csv", json!({"type": "string"}))),
        Ok200::Json(out),
    );
    let params = b.query::<RetentionParams>();
    let out = b.out::<arsip_core::retention::RetentionReport>();
    b.op(
        "get",
        "/api/retention",
        "What falls due on a day among the berkas the caller may read: transfer, destruction assessment, handover, new assessment (staff)",
        params,
        None,
        Ok200::Json(out),
    );
    let schema = b.input::<arsip_core::digitisation::Digitisation>();
    b.op(
        "post",
        "/api/digitisation/{name}",
        "A digitisation's document (alih media): ba.pdf (Berita Acara Alih Media with the scan settings), list.pdf, list.csv or list.xlsx (Daftar Arsip Alih Media, every digital copy with its size and SHA-256); for berkas the caller reads whole (arsiparis, admin; audited)",
        vec![],
        json_body(schema),
        Ok200::Bytes("application/pdf"),
    );
}

/// Destruction lists (`disposals.rs`).
fn disposals(b: &mut Builder) {
    use arsip_core::catalogue::disposal::{Disposal, DisposalSummary};
    let json_body = |schema: Value| Some(("application/json", schema));
    let out = b.out::<Vec<DisposalSummary>>();
    b.op(
        "get",
        "/api/disposals",
        "Every destruction list the caller reads whole (every entry of a class they read), newest first (staff)",
        vec![],
        None,
        Ok200::Json(out),
    );
    let schema = b.input::<crate::disposals::Proposal>();
    let out = b.out::<Disposal>();
    b.op(
        "post",
        "/api/disposals",
        "Propose a list: the destruction (kind musnah) of berkas whose retention is over and whose JRA row says destroy, the transfer (kind pindah) to the records centre of berkas whose active years are over, or the handover (kind serah) of permanent berkas whose retention is over to the regional archive office (arsiparis, admin)",
        vec![],
        json_body(schema),
        Ok200::Json(out.clone()),
    );
    b.op(
        "get",
        "/api/disposals/{id}",
        "One destruction list, read whole (staff)",
        vec![],
        None,
        Ok200::Json(out.clone()),
    );
    let schema = b.input::<arsip_core::disposal::DisposalStep>();
    b.op(
        "post",
        "/api/disposals/{id}/steps",
        "A step on a list: assess (a destruction's assessment, a handover's verification) or cancel (arsiparis, admin), approve or carry out (admin); a destruction removes the content of every record in its berkas, a transfer makes its berkas inactive, a handover makes them static and takes them out of their boxes",
        vec![],
        json_body(schema),
        Ok200::Json(out),
    );
    b.op(
        "get",
        "/api/disposals/{id}/documents/{name}",
        "A list's document: list.pdf (the list as proposed, then as carried out: Daftar Arsip Usul Musnah / Musnah, Usul Pindah / Inaktif yang Dipindahkan, Statis Usul Serah / Statis yang Diserahkan), list.csv, list.xlsx (a spreadsheet), ba.pdf (its berita acara, once carried out); audited",
        vec![],
        None,
        Ok200::Bytes("application/pdf"),
    );
    b.op(
        "get",
        "/api/disposals/{id}/bag.zip",
        "The BagIt bag of a handover list approved or carried out (originals, text, metadata, AtoM CSV and the list, SHA-256 manifests) as one zip (admin); audited",
        vec![],
        None,
        Ok200::Bytes("application/zip"),
    );
}

/// Places, boxes and labels (`storage.rs`).
fn storage(b: &mut Builder) {
    use arsip_core::catalogue::storage::{
        ArchiveBox, BoxContents, BoxEdit, NewBox, NewPlace, Place,
    };
    let json_body = |schema: Value| Some(("application/json", schema));
    let out = b.out::<Vec<Place>>();
    b.op(
        "get",
        "/api/places",
        "Every storage place (gedung, ruang, rak) with its path, its boxes and the berkas in them the caller may read (staff)",
        vec![],
        None,
        Ok200::Json(out),
    );
    let schema = b.input::<NewPlace>();
    let out = b.out::<Place>();
    b.op(
        "post",
        "/api/places",
        "Add a storage place: a gedung, a ruang in a gedung, a rak in either (arsiparis, admin)",
        vec![],
        json_body(schema),
        Ok200::Json(out),
    );
    b.op(
        "get",
        "/api/places/report.pdf",
        "The storage report: place by place, the boxes on it with their berkas (those the caller may read), years, condition, origin and who has them (staff; audited)",
        vec![],
        None,
        Ok200::Bytes("application/pdf"),
    );
    let out = b.out::<Vec<ArchiveBox>>();
    b.op(
        "get",
        "/api/boxes",
        "Every box, by number, with where it is and how many berkas in it the caller may read (staff)",
        vec![],
        None,
        Ok200::Json(out),
    );
    let schema = b.input::<NewBox>();
    let out = b.out::<BoxContents>();
    b.op(
        "post",
        "/api/boxes",
        "Receive a box: its number, place, who handed it over, when, under which berita acara, its condition (arsiparis, admin)",
        vec![],
        json_body(schema),
        Ok200::Json(out.clone()),
    );
    b.op(
        "get",
        "/api/boxes/{id}",
        "One box and the berkas in it the caller may read, by map number (staff)",
        vec![],
        None,
        Ok200::Json(out.clone()),
    );
    let schema = b.input::<BoxEdit>();
    b.op(
        "patch",
        "/api/boxes/{id}",
        "Change a box: move it, renumber it, note its condition (arsiparis, admin who may read every berkas in it)",
        vec![],
        json_body(schema),
        Ok200::Json(out),
    );
    let schema = b.input::<arsip_core::storage::LabelRequest>();
    b.op(
        "post",
        "/api/labels",
        "Labels with QR codes for boxes (with their contents) and berkas, on A4 or a sheet of 14; a box only by one who may read all it holds (arsiparis, admin; audited)",
        vec![],
        json_body(schema),
        Ok200::Bytes("application/pdf"),
    );
    let params = b.query::<crate::storage::LoansParams>();
    let out = b.out::<arsip_core::storage::loans::LoanReport>();
    b.op(
        "get",
        "/api/loans",
        "Loans of boxes and of berkas the caller may read, open ones first, with the days each is late on a day (staff)",
        params,
        None,
        Ok200::Json(out),
    );
    let schema = b.input::<arsip_core::catalogue::loans::NewLoan>();
    let out = b.out::<arsip_core::catalogue::loans::Loan>();
    b.op(
        "post",
        "/api/loans",
        "Lend a berkas the caller reads, or a box whose every berkas they read, to a person of a unit until a day (arsiparis, admin)",
        vec![],
        json_body(schema),
        Ok200::Json(out.clone()),
    );
    let schema = b.input::<arsip_core::catalogue::loans::LoanReturn>();
    b.op(
        "post",
        "/api/loans/{id}/return",
        "Take a loan back today, with its condition (arsiparis, admin)",
        vec![],
        json_body(schema),
        Ok200::Json(out),
    );
    b.op(
        "get",
        "/api/loans/{id}/slip.pdf",
        "The lending slip (Bukti Peminjaman Arsip) both sign, as PDF (staff who may see the loan; audited)",
        vec![],
        None,
        Ok200::Bytes("application/pdf"),
    );
    let out = b.out::<arsip_core::storage::labels::LabelTarget>();
    b.op(
        "post",
        "/api/labels/scan",
        "What a label opens: the body is the text a USB scanner typed (text/plain) or a photo of the label (an image); a box, or a berkas the caller may read (staff)",
        vec![],
        Some((
            "application/octet-stream",
            json!({"type": "string", "format": "binary"}),
        )),
        Ok200::Json(out),
    );
}

/// The whole document.
pub fn openapi() -> Value {
    let mut b = Builder {
        reads: generator(Contract::Serialize),
        writes: generator(Contract::Deserialize),
        paths: Map::new(),
    };
    let json_body = |schema: Value| Some(("application/json", schema));

    let schema = b.input::<LoginForm>();
    let out = b.out::<Session>();
    b.op(
        "post",
        "/api/login",
        "Log in; sets the arsip_session cookie and returns the token",
        vec![],
        json_body(schema),
        Ok200::Json(out),
    );
    b.op(
        "post",
        "/api/logout",
        "End the session",
        vec![],
        None,
        Ok200::Empty(204),
    );
    let out = b.out::<Me>();
    b.op(
        "get",
        "/api/me",
        "The caller's role and clearance",
        vec![],
        None,
        Ok200::Json(out),
    );
    let out = b.out::<Vocabularies>();
    b.op("get", "/api/vocabularies", "Document types, elections, access classes, retention outcomes, classification codes, regions and series", vec![], None, Ok200::Json(out));
    let params = b.query::<SearchParams>();
    let out = b.out::<SearchOutcome>();
    b.op(
        "get",
        "/api/search",
        "Search what the caller may see, with facets",
        params.clone(),
        None,
        Ok200::Json(out),
    );
    b.op(
        "get",
        "/api/export.csv",
        "Everything a search finds as CSV (audited)",
        params,
        None,
        Ok200::Bytes("text/csv"),
    );
    let out = b.out::<RecordView>();
    b.op(
        "get",
        "/api/records/{id}",
        "A record with its files and pages (audited)",
        vec![],
        None,
        Ok200::Json(out.clone()),
    );
    let schema = b.input::<RecordEdit>();
    b.op(
        "patch",
        "/api/records/{id}",
        "Edit a record's metadata (arsiparis, admin)",
        vec![],
        json_body(schema),
        Ok200::Json(out),
    );
    b.op(
        "delete",
        "/api/records/{id}",
        "Delete a record (arsiparis, admin): it goes to the trash, out of every list and search",
        vec![],
        None,
        Ok200::Empty(204),
    );
    let out = b.out::<Vec<arsip_core::catalogue::trash::TrashedRecord>>();
    b.op(
        "get",
        "/api/trash",
        "The records in the trash, last deleted first (admin); emptied only by destroying their berkas",
        vec![],
        None,
        Ok200::Json(out),
    );
    b.op(
        "post",
        "/api/trash/{id}/restore",
        "Take a record out of the trash as it was (admin); refused while its berkas is on an open disposal list",
        vec![],
        None,
        Ok200::Empty(204),
    );
    let schema = b.input::<BatchEdit>();
    let out = b.out::<Changed>();
    b.op(
        "post",
        "/api/records/edit",
        "The same edit for many records, all or none (arsiparis, admin)",
        vec![],
        json_body(schema),
        Ok200::Json(out),
    );
    let out = b.out::<arsip_core::review::ReviewQueue>();
    b.op(
        "get",
        "/api/review",
        "New records waiting for a person to look at what was read from their text (arsiparis, admin)",
        vec![],
        None,
        Ok200::Json(out),
    );
    let schema = b.input::<ReviewForm>();
    let out = b.out::<Changed>();
    b.op(
        "post",
        "/api/review",
        "Mark records reviewed, their suggestions for empty fields accepted or not; all or none (arsiparis, admin)",
        vec![],
        json_body(schema),
        Ok200::Json(out),
    );
    b.op(
        "get",
        "/api/recap.csv",
        "Every confirmed result table the caller may read as CSV, a line per row with its record (audited as recap.export; who confirmed is left out for the public)",
        vec![],
        None,
        Ok200::Bytes("text/csv"),
    );
    let out = b.out::<arsip_core::recap::RecapQueue>();
    b.op(
        "get",
        "/api/recap",
        "Result tables read from forms, waiting for a person to check them against their crops (arsiparis, admin)",
        vec![],
        None,
        Ok200::Json(out),
    );
    let out = b.out::<arsip_core::catalogue::recap::RecapTable>();
    b.op(
        "get",
        "/api/records/{id}/recap",
        "A record's result table: as read and as confirmed for staff; to the public only once a person confirmed it",
        vec![],
        None,
        Ok200::Json(out.clone()),
    );
    let schema = b.input::<crate::wire::RecapConfirmation>();
    b.op(
        "post",
        "/api/records/{id}/recap",
        "Confirm a record's result table, every row as a person read it off its crop (arsiparis, admin)",
        vec![],
        json_body(schema),
        Ok200::Json(out),
    );
    b.op(
        "get",
        "/api/records/{id}/recap/rows/{index}/crop",
        "A result table's row cut from its page: the paper its number was read from",
        vec![],
        None,
        Ok200::Bytes("image/jpeg"),
    );
    let schema = b.input::<MovePages>();
    let out = b.out::<Moved>();
    b.op(
        "post",
        "/api/records/{id}/pages/move",
        "Move pages (whole files) to another record, or split them into a new one (arsiparis, admin)",
        vec![],
        json_body(schema),
        Ok200::Json(out),
    );
    let params = b.query::<ImageParams>();
    b.op("get", "/api/records/{id}/pages/{n}/image", "A page for the viewer, the query's words highlighted; header x-arsip-highlights counts them", params, None, Ok200::Bytes("image/jpeg"));
    b.op(
        "get",
        "/api/records/{id}/pages/{n}/thumbnail",
        "A page's thumbnail",
        vec![],
        None,
        Ok200::Bytes("image/jpeg"),
    );
    b.op(
        "get",
        "/api/files/{sha256}",
        "An original file (audited)",
        vec![],
        None,
        Ok200::Bytes("application/octet-stream"),
    );
    let schema = b.input::<ImportRequest>();
    let out = b.out::<ImportStatus>();
    b.op(
        "post",
        "/api/imports",
        "Start ingesting files or folders on the server's disk (arsiparis, admin)",
        vec![],
        json_body(schema),
        Ok200::Json(out.clone()),
    );
    b.op(
        "get",
        "/api/imports/{id}",
        "An import's progress",
        vec![],
        None,
        Ok200::Json(out),
    );
    let schema = b.input::<ProposalRequest>();
    let out = b.out::<Vec<arsip_core::page_files::ProposedDocument>>();
    b.op(
        "post",
        "/api/imports/proposal",
        "Which files about to be uploaded are the pages of one document (arsiparis, admin)",
        vec![],
        json_body(schema),
        Ok200::Json(out),
    );
    let schema = b.input::<crate::wire::SeparatorSheets>();
    b.op(
        "post",
        "/api/separators",
        "Separator sheets to print, one per document of a stack scanned as one file (arsiparis, admin)",
        vec![],
        json_body(schema),
        Ok200::Bytes("application/pdf"),
    );
    let params = b.query::<UploadParams>();
    let out = b.out::<FileReport>();
    b.op(
        "post",
        "/api/uploads/document",
        "Ingest the page files of one document, sent as multipart parts in page order, as one record (arsiparis, admin)",
        params.clone(),
        Some((
            "multipart/form-data",
            json!({"type": "object", "properties": {"file": {"type": "array", "items": {"type": "string", "format": "binary"}}}}),
        )),
        Ok200::Json(out.clone()),
    );
    b.op(
        "post",
        "/api/uploads",
        "Ingest one file sent as the body (arsiparis, admin)",
        params,
        Some((
            "application/octet-stream",
            json!({"type": "string", "format": "binary"}),
        )),
        Ok200::Json(out),
    );
    let out = b.out::<Vec<arsip_core::catalogue::versions::Version>>();
    b.op(
        "get",
        "/api/records/{id}/versions",
        "A record's earlier content (kept when it was re-scanned, read again or an earlier version brought back), newest first (staff who read the record)",
        vec![],
        None,
        Ok200::Json(out),
    );
    let out = b.out::<arsip_core::versions::VersionPages>();
    b.op(
        "get",
        "/api/records/{id}/versions/{v}",
        "An earlier version's pages and their text (staff who read the record; audited as a view)",
        vec![],
        None,
        Ok200::Json(out),
    );
    let out = b.out::<crate::wire::Replaced>();
    b.op(
        "post",
        "/api/records/{id}/versions/{v}/restore",
        "Make an earlier version the record's content again; what it holds now is kept as a version (arsiparis, admin)",
        vec![],
        None,
        Ok200::Json(out.clone()),
    );
    b.op(
        "post",
        "/api/records/{id}/rescan",
        "Replace a record's scans with new ones, sent as multipart parts in page order; the earlier files and text are kept as a version (arsiparis, admin)",
        vec![],
        Some((
            "multipart/form-data",
            json!({"type": "object", "properties": {"file": {"type": "array", "items": {"type": "string", "format": "binary"}}}}),
        )),
        Ok200::Json(out.clone()),
    );
    b.op(
        "post",
        "/api/records/{id}/reocr",
        "Read every page of a record again by OCR (a PDF's own text layer ignored); the earlier text is kept as a version (arsiparis, admin)",
        vec![],
        None,
        Ok200::Json(out),
    );
    let out = b.out::<Vec<AuditEntry>>();
    b.op(
        "get",
        "/api/records/{id}/history",
        "How a record came to be as it is: the newest changes the audit trail holds about it (added, edited, reviewed, pages moved, merged, result confirmed, deleted, restored), newest first (staff who read the record)",
        vec![],
        None,
        Ok200::Json(out),
    );
    let params = b.query::<AuditParams>();
    let out = b.out::<Vec<AuditEntry>>();
    b.op(
        "get",
        "/api/audit",
        "The newest audit entries, filtered by person, action and local days; records named by title where the caller may read them (sekretariat, admin)",
        params,
        None,
        Ok200::Json(out),
    );
    let params = b.query::<AuditExportParams>();
    b.op(
        "get",
        "/api/audit.csv",
        "The audit trail as CSV, filtered as GET /api/audit is, newest first (audited as audit.export; sekretariat, admin)",
        params,
        None,
        Ok200::Bytes("text/csv"),
    );
    let out = b.out::<AuditReport>();
    b.op(
        "get",
        "/api/audit/verify",
        "Check the audit trail's hash chain (sekretariat, admin)",
        vec![],
        None,
        Ok200::Json(out),
    );

    let out = b.out::<arsip_core::sync::SyncStatus>();
    b.op(
        "get",
        "/api/sync",
        "What is waiting to be sent to each target, and what each office has applied (arsiparis, admin)",
        vec![],
        None,
        Ok200::Json(out),
    );
    let schema = b.input::<PushRequest>();
    let out = b.out::<arsip_core::sync::PushReport>();
    b.op(
        "post",
        "/api/sync/push",
        "Send this office's changes and files to a target now; answers when done (arsiparis, admin)",
        vec![],
        json_body(schema),
        Ok200::Json(out),
    );

    let out = b.out::<Vec<UserInfo>>();
    b.op(
        "get",
        "/api/users",
        "Every user with role and whether they may log in (admin)",
        vec![],
        None,
        Ok200::Json(out),
    );
    let schema = b.input::<NewUser>();
    let out = b.out::<UserInfo>();
    b.op(
        "post",
        "/api/users",
        "Add a user (admin)",
        vec![],
        json_body(schema),
        Ok200::Json(out.clone()),
    );
    let schema = b.input::<UserEdit>();
    b.op(
        "patch",
        "/api/users/{name}",
        "Change a user's role, disable or enable them, or set a new password, all or none; their sessions end (admin)",
        vec![],
        json_body(schema),
        Ok200::Json(out),
    );

    let out = b.out::<BackupPlan>();
    b.op(
        "get",
        "/api/backup",
        "Where the office's backups go, how often, and how the last one ended (admin)",
        vec![],
        None,
        Ok200::Json(out.clone()),
    );
    let schema = b.input::<BackupPlanForm>();
    b.op(
        "put",
        "/api/backup",
        "Plan the office's backups into a folder on the archive computer, every N hours or by hand (admin)",
        vec![],
        json_body(schema),
        Ok200::Json(out),
    );
    let out = b.out::<BackupReport>();
    b.op(
        "post",
        "/api/backup/run",
        "Back the archive up into the planned folder now; answers when the backup is whole (admin)",
        vec![],
        None,
        Ok200::Json(out),
    );

    let out = b.out::<arsip_core::watch::WatchStatus>();
    b.op(
        "get",
        "/api/watch",
        "The scanner's watched folder, how watching it last went and the files it read lately (arsiparis, admin)",
        vec![],
        None,
        Ok200::Json(out.clone()),
    );
    let schema = b.input::<WatchForm>();
    b.op(
        "put",
        "/api/watch",
        "Watch a folder on the archive computer (the scanner's output, a mounted share): files are read as they arrive, once complete; no folder stops it (arsiparis, admin)",
        vec![],
        json_body(schema),
        Ok200::Json(out),
    );

    let out = b.out::<SetupInfo>();
    b.op(
        "get",
        "/api/setup",
        "Whether the app still needs its first-run setup (only a desktop app opened where there is no archive does), and what the setup screen offers",
        vec![],
        None,
        Ok200::Json(out.clone()),
    );
    let schema = b.input::<SetupForm>();
    b.op(
        "post",
        "/api/setup",
        "Make the office's archive and its first admin (the desktop app's first run only; refused wherever an archive exists)",
        vec![],
        json_body(schema),
        Ok200::Json(out.clone()),
    );
    let schema = b.input::<FirstAdminForm>();
    b.op(
        "post",
        "/api/setup/admin",
        "Make the first admin of an archive that has no users (one rebuilt from its log), in the desktop app's window only",
        vec![],
        json_body(schema),
        Ok200::Json(out),
    );

    holdings(&mut b);
    disposals(&mut b);
    storage(&mut b);

    let mut schemas = b.writes.take_definitions(true);
    schemas.extend(b.reads.take_definitions(true));
    let schemas: Map<String, Value> = {
        let mut sorted: Vec<_> = schemas.into_iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        sorted.into_iter().collect()
    };
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "RPP Arsip",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The archive of a Rumah Pintar Pemilu. Without a session a request is the public (Terbuka records, personal numbers masked); log in for more."
        },
        "paths": b.paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "cookie": {"type": "apiKey", "in": "cookie", "name": "arsip_session"}
            }
        },
        "security": [{}, {"bearer": []}, {"cookie": []}]
    })
}
