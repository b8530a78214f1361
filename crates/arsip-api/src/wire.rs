//! Request and response bodies that belong to the API alone; everything else
//! on the wire is a core type. All of them are in the OpenAPI document.

use arsip_core::catalogue::RecordEdit;
use arsip_core::{AccessLevel, ErrorCode, FileReport, IngestSummary, RecordId, Role};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, JsonSchema)]
pub struct LoginForm {
    pub name: String,
    pub password: String,
}

/// The caller as the server sees it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Me {
    /// The user's name; "publik" for a visitor.
    pub user: String,
    pub role: Role,
    pub max_access: AccessLevel,
    /// Personal numbers (NIK, KK) are masked for this caller.
    pub masked: bool,
    /// The server is a kiosk: no login, public records only.
    pub kiosk: bool,
    /// The caller may add and edit records.
    pub can_catalogue: bool,
    /// The caller may read the audit trail.
    pub can_audit: bool,
    /// The caller may lower a record's access class (with a reason).
    pub can_declassify: bool,
    /// The caller may add users and change their roles, passwords and
    /// whether they may log in.
    pub can_manage_users: bool,
    /// The caller may plan and make backups of the whole archive.
    pub can_back_up: bool,
}

/// A user an admin adds.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub name: String,
    pub role: Role,
    /// At least 8 characters.
    pub password: String,
}

/// Where the office's backups go and how often (the admin's).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BackupPlanForm {
    /// A folder on the archive computer (a second disk, a flash drive); none
    /// ends the plan.
    pub target: Option<String>,
    /// Hours between backups: 24 daily, 168 weekly, 0 by hand only.
    pub every_hours: u32,
}

/// The same edit for many records.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct BatchEdit {
    pub ids: Vec<RecordId>,
    pub edit: RecordEdit,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Changed {
    /// How many records changed.
    pub changed: usize,
}

/// Pages of a record to move (whole files), to the end of record `to`, or
/// into a new record with the same fields when `to` is absent.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MovePages {
    pub pages: Vec<u32>,
    /// The target record's id.
    #[serde(default)]
    pub to: Option<String>,
}

/// The record the pages are in after a move.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Moved {
    pub id: RecordId,
}

/// Names of files about to be uploaded (as the browser has them, folders
/// included), to propose which are the pages of one document.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalRequest {
    pub names: Vec<String>,
    /// Also propose runs of a scanner's numbered names (`scan0001`…).
    #[serde(default)]
    pub sequences: bool,
}

/// Separator sheets to print, one per document of a stack to be scanned.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeparatorSheets {
    /// What every sheet says.
    pub sheet: arsip_core::print::separator::Separator,
    /// One sheet per TPS: `7`, `1-12`, `1,4,9`.
    #[serde(default)]
    pub tps: Option<String>,
    /// Sheets alike when no TPS are given (1 if absent).
    #[serde(default)]
    pub count: Option<usize>,
}

/// The scanner's watched folder on the archive computer (or a share mounted
/// there); `folder` absent stops watching.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WatchForm {
    #[serde(default)]
    pub folder: Option<String>,
    #[serde(default)]
    pub series: Option<String>,
    #[serde(default)]
    pub access: Option<AccessLevel>,
}

/// Records reviewed: their suggestions for empty fields accepted, or not.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewForm {
    pub ids: Vec<RecordId>,
    pub accept: bool,
}

/// A result table as a person confirms it: every row, in order.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecapConfirmation {
    pub rows: Vec<arsip_core::catalogue::recap::ConfirmRow>,
    /// `read_at` of the table the person checked: a table read again since
    /// (its pages moved) is refused with `table_changed`.
    pub read_at: String,
}

/// Files and folders on the server's own disk to ingest (the desktop app,
/// or a staff PC running `arsip serve`).
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ImportRequest {
    pub paths: Vec<String>,
    #[serde(default)]
    pub series: Option<String>,
    #[serde(default)]
    pub access: Option<AccessLevel>,
}

/// Where to push: `s3://BUCKET/PREFIX` or `file:///PATH` (a flash drive
/// mounted on the archive computer).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub target: String,
}

/// A record's content replaced (re-scanned, read again, or an earlier
/// version brought back): the version that keeps what it held.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Replaced {
    pub version: i64,
}

/// Options of an upload (query parameters of `POST /api/uploads` and
/// `POST /api/uploads/document`).
#[derive(Debug, Deserialize, JsonSchema)]
pub struct UploadParams {
    /// The file's name as the person chose it (a single file's upload; a
    /// document's parts carry their own names).
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub series: Option<String>,
    #[serde(default)]
    pub access: Option<AccessLevel>,
}

/// An import's progress: files counted once the folders are walked, then each
/// file's outcome as it ends.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct ImportStatus {
    pub id: u64,
    /// Files in the batch, once known.
    pub total: Option<usize>,
    pub files: Vec<FileReport>,
    /// Set when the whole batch has ended.
    pub summary: Option<IngestSummary>,
    /// Set when the batch could not run at all.
    pub error: Option<ErrorBody>,
}

/// `{"error": {"code", "message"}}`
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ErrorReply {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ErrorBody {
    pub code: ErrorCode,
    /// The string table's text in the caller's language.
    pub message: String,
}

/// Whether the app still needs its first-run setup, and what the setup
/// screen offers.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SetupInfo {
    pub needed: bool,
    /// The suggested archive folder (or, when `missing`, the one not found).
    pub folder: Option<String>,
    /// The archive the app opens was not found where it was named or
    /// remembered (a drive not plugged in): nothing is to be set up, the
    /// person is told to plug it in and look again.
    pub missing: bool,
    /// The archive has no users (it was rebuilt from its log): its first
    /// admin is to be made (`POST /api/setup/admin`, in the desktop app).
    pub first_admin: bool,
    /// The kab/kota an office may be.
    pub regions: Vec<arsip_core::setup::RegionChoice>,
    pub min_password: usize,
}

/// The first-run screen's answers.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetupForm {
    /// The archive folder (absent or empty), on this computer.
    pub folder: String,
    pub office: String,
    /// A kab/kota code, e.g. 32.71.
    pub region: String,
    /// The first admin's user name and password.
    pub admin: String,
    pub password: String,
    /// Start with demo records (added in the background) instead of an empty archive.
    #[serde(default)]
    pub demo: bool,
}

/// The first admin of an archive that has no users.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FirstAdminForm {
    pub admin: String,
    pub password: String,
}
