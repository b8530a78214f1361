//! Errors of the archive: one enum of stable codes, each with Indonesian and English
//! text in the string table (`strings.rs`). Shells show text by code and never parse
//! messages; the `detail` carries technical context (a path, a parser's words).

use serde::Serialize;

/// A stable, snake_case error key. User errors come first, internal ones after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    // User errors: bad input, denied, not found.
    InvalidInput,
    NotFound,
    AccessDenied,
    WrongPassword,
    PasswordTooShort,
    NotLoggedIn,
    SessionExpired,
    ArchiveMissing,
    ArchiveExists,
    NotABackup,
    FolderNotEmpty,
    BackupFolder,
    BackupIncomplete,
    BackupDriveMissing,
    BackupOfAnotherArchive,
    EmptyFile,
    UnsupportedFormat,
    CorruptFile,
    EncryptedPdf,
    ImageTooLarge,
    FileTooLarge,
    Unreadable,
    NoText,
    ExtractionTimeout,
    ExtractionCrashed,
    SegmentRejected,
    SyncConflict,
    NotProvince,
    ReasonRequired,
    DeclassifyDenied,
    TooManyAttempts,
    QueryTooLong,
    TargetNotApproved,
    TargetInvalid,
    UserExists,
    LastAdmin,
    OwnAccount,
    // Internal errors: the machine, the disk, the network, a bug.
    TargetUnreachable,
    ToolMissing,
    SchemaTooNew,
    Io,
    Database,
    Index,
    Internal,
}

impl ErrorCode {
    /// Every code, for the string-table completeness test and documentation.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::InvalidInput,
        ErrorCode::NotFound,
        ErrorCode::AccessDenied,
        ErrorCode::WrongPassword,
        ErrorCode::PasswordTooShort,
        ErrorCode::NotLoggedIn,
        ErrorCode::SessionExpired,
        ErrorCode::ArchiveMissing,
        ErrorCode::ArchiveExists,
        ErrorCode::NotABackup,
        ErrorCode::FolderNotEmpty,
        ErrorCode::BackupFolder,
        ErrorCode::BackupIncomplete,
        ErrorCode::BackupDriveMissing,
        ErrorCode::BackupOfAnotherArchive,
        ErrorCode::EmptyFile,
        ErrorCode::UnsupportedFormat,
        ErrorCode::CorruptFile,
        ErrorCode::EncryptedPdf,
        ErrorCode::ImageTooLarge,
        ErrorCode::FileTooLarge,
        ErrorCode::Unreadable,
        ErrorCode::NoText,
        ErrorCode::ExtractionTimeout,
        ErrorCode::ExtractionCrashed,
        ErrorCode::SegmentRejected,
        ErrorCode::SyncConflict,
        ErrorCode::NotProvince,
        ErrorCode::ReasonRequired,
        ErrorCode::DeclassifyDenied,
        ErrorCode::TooManyAttempts,
        ErrorCode::QueryTooLong,
        ErrorCode::TargetNotApproved,
        ErrorCode::TargetInvalid,
        ErrorCode::UserExists,
        ErrorCode::LastAdmin,
        ErrorCode::OwnAccount,
        ErrorCode::TargetUnreachable,
        ErrorCode::ToolMissing,
        ErrorCode::SchemaTooNew,
        ErrorCode::Io,
        ErrorCode::Database,
        ErrorCode::Index,
        ErrorCode::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::NotFound => "not_found",
            ErrorCode::AccessDenied => "access_denied",
            ErrorCode::WrongPassword => "wrong_password",
            ErrorCode::PasswordTooShort => "password_too_short",
            ErrorCode::NotLoggedIn => "not_logged_in",
            ErrorCode::SessionExpired => "session_expired",
            ErrorCode::ArchiveMissing => "archive_missing",
            ErrorCode::ArchiveExists => "archive_exists",
            ErrorCode::NotABackup => "not_a_backup",
            ErrorCode::FolderNotEmpty => "folder_not_empty",
            ErrorCode::BackupFolder => "backup_folder",
            ErrorCode::BackupIncomplete => "backup_incomplete",
            ErrorCode::BackupDriveMissing => "backup_drive_missing",
            ErrorCode::BackupOfAnotherArchive => "backup_of_another_archive",
            ErrorCode::EmptyFile => "empty_file",
            ErrorCode::UnsupportedFormat => "unsupported_format",
            ErrorCode::CorruptFile => "corrupt_file",
            ErrorCode::EncryptedPdf => "encrypted_pdf",
            ErrorCode::ImageTooLarge => "image_too_large",
            ErrorCode::FileTooLarge => "file_too_large",
            ErrorCode::Unreadable => "unreadable",
            ErrorCode::NoText => "no_text",
            ErrorCode::ExtractionTimeout => "extraction_timeout",
            ErrorCode::ExtractionCrashed => "extraction_crashed",
            ErrorCode::SegmentRejected => "segment_rejected",
            ErrorCode::SyncConflict => "sync_conflict",
            ErrorCode::NotProvince => "not_province",
            ErrorCode::ReasonRequired => "reason_required",
            ErrorCode::DeclassifyDenied => "declassify_denied",
            ErrorCode::TooManyAttempts => "too_many_attempts",
            ErrorCode::QueryTooLong => "query_too_long",
            ErrorCode::TargetNotApproved => "target_not_approved",
            ErrorCode::TargetInvalid => "target_invalid",
            ErrorCode::UserExists => "user_exists",
            ErrorCode::LastAdmin => "last_admin",
            ErrorCode::OwnAccount => "own_account",
            ErrorCode::TargetUnreachable => "target_unreachable",
            ErrorCode::ToolMissing => "tool_missing",
            ErrorCode::SchemaTooNew => "schema_too_new",
            ErrorCode::Io => "io",
            ErrorCode::Database => "database",
            ErrorCode::Index => "index",
            ErrorCode::Internal => "internal",
        }
    }

    /// True for errors caused by what the user gave us rather than by the machine.
    pub fn is_user_error(self) -> bool {
        !matches!(
            self,
            ErrorCode::ToolMissing
                | ErrorCode::TargetUnreachable
                | ErrorCode::SchemaTooNew
                | ErrorCode::Io
                | ErrorCode::Database
                | ErrorCode::Index
                | ErrorCode::Internal
        )
    }
}

/// An error with its stable code and a technical detail (English, for logs).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}: {detail}", crate::strings::error_text(*code, crate::strings::Lang::En))]
pub struct Error {
    pub code: ErrorCode,
    pub detail: String,
}

impl Error {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Error {
            code,
            detail: detail.into(),
        }
    }

    /// The one-line message a person reads, in the chosen language.
    pub fn message(&self, lang: crate::strings::Lang) -> String {
        let text = crate::strings::error_text(self.code, lang);
        if self.detail.is_empty() {
            text.to_string()
        } else {
            format!("{text}: {}", self.detail)
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::new(ErrorCode::Database, e.to_string())
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        Error::new(ErrorCode::Index, e.to_string())
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(ErrorCode::Io, e.to_string())
    }
}

/// Adds a path to an I/O error, so a batch report says which file failed.
pub(crate) fn io_at(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |e| {
        let code = match e.kind() {
            std::io::ErrorKind::NotFound => ErrorCode::NotFound,
            std::io::ErrorKind::PermissionDenied => ErrorCode::Unreadable,
            _ => ErrorCode::Io,
        };
        Error::new(code, format!("{}: {e}", path.display()))
    }
}
