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
    RestoreIncomplete,
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
    AlreadyExists,
    AccessDiffers,
    PagesOfOneFile,
    PartlyArchived,
    FolderMissing,
    FolderInvalid,
    NoSuchPage,
    SameRecord,
    SplitAll,
    SplitFailed,
    TableChanged,
    NumberTaken,
    NotDue,
    WrongStep,
    SyncedCopies,
    /// A record or berkas another office sent to this province: only
    /// that office changes it, and sync brings its changes.
    OtherOffice,
    BerkasLocked,
    ListChanged,
    OnLoan,
    NameTaken,
    RecordChanged,
    ScanArchived,
    // Internal errors: the machine, the disk, the network, a bug.
    TargetUnreachable,
    ToolMissing,
    SchemaTooNew,
    DiskFull,
    ReadOnlyDisk,
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
        ErrorCode::RestoreIncomplete,
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
        ErrorCode::AlreadyExists,
        ErrorCode::AccessDiffers,
        ErrorCode::PagesOfOneFile,
        ErrorCode::PartlyArchived,
        ErrorCode::FolderMissing,
        ErrorCode::FolderInvalid,
        ErrorCode::NoSuchPage,
        ErrorCode::SameRecord,
        ErrorCode::SplitAll,
        ErrorCode::SplitFailed,
        ErrorCode::TableChanged,
        ErrorCode::NumberTaken,
        ErrorCode::NotDue,
        ErrorCode::WrongStep,
        ErrorCode::SyncedCopies,
        ErrorCode::OtherOffice,
        ErrorCode::BerkasLocked,
        ErrorCode::ListChanged,
        ErrorCode::OnLoan,
        ErrorCode::NameTaken,
        ErrorCode::RecordChanged,
        ErrorCode::ScanArchived,
        ErrorCode::TargetUnreachable,
        ErrorCode::ToolMissing,
        ErrorCode::SchemaTooNew,
        ErrorCode::DiskFull,
        ErrorCode::ReadOnlyDisk,
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
            ErrorCode::RestoreIncomplete => "restore_incomplete",
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
            ErrorCode::AlreadyExists => "already_exists",
            ErrorCode::AccessDiffers => "access_differs",
            ErrorCode::PagesOfOneFile => "pages_of_one_file",
            ErrorCode::PartlyArchived => "partly_archived",
            ErrorCode::FolderMissing => "folder_missing",
            ErrorCode::FolderInvalid => "folder_invalid",
            ErrorCode::NoSuchPage => "no_such_page",
            ErrorCode::SameRecord => "same_record",
            ErrorCode::SplitAll => "split_all",
            ErrorCode::SplitFailed => "split_failed",
            ErrorCode::TableChanged => "table_changed",
            ErrorCode::NumberTaken => "number_taken",
            ErrorCode::NotDue => "not_due",
            ErrorCode::WrongStep => "wrong_step",
            ErrorCode::SyncedCopies => "synced_copies",
            ErrorCode::OtherOffice => "other_office",
            ErrorCode::BerkasLocked => "berkas_locked",
            ErrorCode::OnLoan => "on_loan",
            ErrorCode::NameTaken => "name_taken",
            ErrorCode::ListChanged => "list_changed",
            ErrorCode::RecordChanged => "record_changed",
            ErrorCode::ScanArchived => "scan_archived",
            ErrorCode::TargetUnreachable => "target_unreachable",
            ErrorCode::ToolMissing => "tool_missing",
            ErrorCode::SchemaTooNew => "schema_too_new",
            ErrorCode::DiskFull => "disk_full",
            ErrorCode::ReadOnlyDisk => "read_only_disk",
            ErrorCode::Io => "io",
            ErrorCode::Database => "database",
            ErrorCode::Index => "index",
            ErrorCode::Internal => "internal",
        }
    }

    /// True for errors caused by what the user gave us rather than by the machine.
    /// The code written as `as_str` writes it.
    pub fn parse(s: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|c| c.as_str() == s)
    }

    pub fn is_user_error(self) -> bool {
        !matches!(
            self,
            ErrorCode::ToolMissing
                | ErrorCode::TargetUnreachable
                | ErrorCode::SchemaTooNew
                | ErrorCode::DiskFull
                | ErrorCode::ReadOnlyDisk
                | ErrorCode::Io
                | ErrorCode::Database
                | ErrorCode::Index
                | ErrorCode::Internal
        )
    }

    /// Whether a person is told the detail after the code's words. Only
    /// where the detail is the core's own words about what the person gave
    /// (which field, which folder, and why; seconds to wait before logging
    /// in again). Everywhere else the detail is technical (a path, the
    /// operating system's or a parser's English words) and stays in logs.
    pub fn tells_detail(self) -> bool {
        matches!(self, ErrorCode::InvalidInput | ErrorCode::TooManyAttempts)
    }

    /// What an I/O failure of this kind means to a person, for a file or
    /// folder someone named (a file to import, a backup folder, a flash
    /// drive): the kinds a person can act on get their own words, the rest
    /// are a disk that failed to read or write.
    pub fn of_io(kind: std::io::ErrorKind) -> ErrorCode {
        use std::io::ErrorKind as K;
        match kind {
            K::NotFound => ErrorCode::NotFound,
            K::PermissionDenied => ErrorCode::Unreadable,
            K::AlreadyExists => ErrorCode::AlreadyExists,
            K::StorageFull | K::QuotaExceeded => ErrorCode::DiskFull,
            K::ReadOnlyFilesystem => ErrorCode::ReadOnlyDisk,
            K::FileTooLarge => ErrorCode::FileTooLarge,
            K::InvalidData | K::UnexpectedEof => ErrorCode::CorruptFile,
            _ => ErrorCode::Io,
        }
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

    /// The one-line message a person reads in the app, in the chosen
    /// language: the code's words, and the detail only where the code tells
    /// it (`ErrorCode::tells_detail`) and it holds none of the operating
    /// system's words ("File exists (os error 17)"), whoever wrapped them.
    pub fn message(&self, lang: crate::strings::Lang) -> String {
        let text = crate::strings::error_text(self.code, lang);
        if self.code.tells_detail() && !self.detail.is_empty() && !is_os_text(&self.detail) {
            format!("{text}: {}", self.detail)
        } else {
            text.to_string()
        }
    }

    /// The code's words followed by the whole technical detail (paths, the
    /// operating system's words): for logs and for the operator at the
    /// archive computer's terminal, never for the app's screens.
    pub fn message_with_detail(&self, lang: crate::strings::Lang) -> String {
        let text = crate::strings::error_text(self.code, lang);
        if self.detail.is_empty() {
            text.to_string()
        } else {
            format!("{text}: {}", self.detail)
        }
    }

    /// The error as the catalogue keeps it (the last failure of a push or a
    /// backup), to be told later in the reader's language.
    pub(crate) fn to_note(&self) -> String {
        format!("{}{NOTE_SEPARATOR}{}", self.code.as_str(), self.detail)
    }

    /// An error kept by `to_note`. A note from before notes kept the code
    /// is the English `Display` ("Disk read or write failed: …"): its code
    /// is found from those words, or it is a disk failure.
    pub(crate) fn from_note(kept: &str) -> Error {
        let code_of = |key: &str| ErrorCode::ALL.iter().copied().find(|c| c.as_str() == key);
        if let Some((key, detail)) = kept.split_once(NOTE_SEPARATOR) {
            return Error::new(code_of(key).unwrap_or(ErrorCode::Io), detail);
        }
        let english = |c: &ErrorCode| crate::strings::error_text(*c, crate::strings::Lang::En);
        ErrorCode::ALL
            .iter()
            .filter(|c| kept.starts_with(english(c)))
            .max_by_key(|c| english(c).len())
            .map(|c| {
                let rest = &kept[english(c).len()..];
                Error::new(*c, rest.strip_prefix(": ").unwrap_or(rest))
            })
            .unwrap_or_else(|| Error::new(ErrorCode::Io, kept))
    }
}

/// Between an error's code and its detail in a note the catalogue keeps
/// (the ASCII unit separator: in neither).
pub(crate) const NOTE_SEPARATOR: char = '\u{1f}';

/// Whether `text` carries an operating-system error's words, as
/// `std::io::Error`'s `Display` writes them: "No such file or directory (os
/// error 2)". A last guard: the codes that tell their detail are never made
/// from an I/O error, but a detail written around one must not reach a
/// screen either.
fn is_os_text(text: &str) -> bool {
    text.contains("(os error ")
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

/// An I/O failure on the archive's own files: the machine's, never the
/// caller's mistake (a missing blob is damage, not "not found"), though a
/// full or read-only disk is said as such. A file someone named goes
/// through `io_at` instead.
impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        let code = match ErrorCode::of_io(e.kind()) {
            c if c.is_user_error() => ErrorCode::Io,
            c => c,
        };
        Error::new(code, e.to_string())
    }
}

/// Adds a path to an I/O error, so a batch report says which file failed,
/// and gives it the words of its kind (`ErrorCode::of_io`).
pub(crate) fn io_at(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |e| {
        Error::new(
            ErrorCode::of_io(e.kind()),
            format!("{}: {e}", path.display()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strings::{error_text, Lang};
    use std::io::{self, ErrorKind as K};

    /// What a person reads for an I/O failure of each kind on a file they
    /// named: the kind's own words, in Indonesian and English, and never the
    /// operating system's.
    #[test]
    fn io_failures_are_told_in_words_by_kind() {
        let check = |kind: K, code: ErrorCode, id_words: &str| {
            let error = io_at(std::path::Path::new("/srv/masuk/dpt.pdf"))(io::Error::from(kind));
            assert_eq!(error.code, code, "{kind:?}");
            let id = error.message(Lang::Id);
            assert_eq!(id, error_text(code, Lang::Id), "{kind:?}");
            assert!(id.contains(id_words), "{kind:?}: {id}");
            assert_eq!(
                error.message(Lang::En),
                error_text(code, Lang::En),
                "{kind:?}"
            );
            // The technical detail is kept for logs, path and all.
            assert!(error.detail.starts_with("/srv/masuk/dpt.pdf: "), "{kind:?}");
        };
        check(K::NotFound, ErrorCode::NotFound, "Tidak ditemukan");
        check(K::PermissionDenied, ErrorCode::Unreadable, "Izin ditolak");
        check(K::AlreadyExists, ErrorCode::AlreadyExists, "Sudah ada");
        check(K::StorageFull, ErrorCode::DiskFull, "penuh");
        check(K::QuotaExceeded, ErrorCode::DiskFull, "penuh");
        check(
            K::ReadOnlyFilesystem,
            ErrorCode::ReadOnlyDisk,
            "hanya dapat dibaca",
        );
        check(K::FileTooLarge, ErrorCode::FileTooLarge, "terlalu besar");
        check(K::InvalidData, ErrorCode::CorruptFile, "rusak");
        check(K::UnexpectedEof, ErrorCode::CorruptFile, "rusak");
        check(K::IsADirectory, ErrorCode::Io, "disk");
        check(K::Other, ErrorCode::Io, "disk");
    }

    /// The operating system's own words, as `std::io::Error` writes them,
    /// never reach a screen, whichever way the error was made.
    #[test]
    fn no_operating_system_words_in_a_message() {
        // EEXIST, ENOENT, EACCES, EIO, ENOSPC, EROFS on Linux.
        for errno in [17, 2, 13, 5, 28, 30] {
            let os = io::Error::from_raw_os_error(errno);
            let os_words = os.to_string();
            assert!(os_words.contains("(os error"), "{os_words}");
            let made = [
                Error::from(io::Error::from_raw_os_error(errno)),
                io_at(std::path::Path::new("/media/usb/rpp"))(io::Error::from_raw_os_error(errno)),
                // Wrapped by hand into a code that tells its detail.
                Error::new(ErrorCode::InvalidInput, format!("operator2: {os_words}")),
            ];
            for error in made {
                for lang in [Lang::Id, Lang::En] {
                    let message = error.message(lang);
                    assert!(!message.contains("os error"), "{message}");
                    assert!(!message.contains(&os_words), "{message}");
                    assert!(!message.contains("/media/usb"), "{message}");
                }
                assert!(error.message_with_detail(Lang::En).contains(&os_words));
            }
        }
        // The archive's own files: a full disk is said, a missing one is damage.
        assert_eq!(
            Error::from(io::Error::from(K::StorageFull)).code,
            ErrorCode::DiskFull
        );
        assert_eq!(
            Error::from(io::Error::from(K::NotFound)).code,
            ErrorCode::Io
        );
        assert_eq!(
            Error::from(io::Error::from(K::PermissionDenied)).code,
            ErrorCode::Io
        );
    }

    #[test]
    fn only_a_detail_about_the_input_is_told() {
        let named = Error::new(ErrorCode::UserExists, "operator2");
        assert_eq!(
            named.message(Lang::Id),
            error_text(ErrorCode::UserExists, Lang::Id)
        );
        let denied = Error::new(ErrorCode::AccessDenied, "operator2 (arsiparis)");
        assert!(!denied.message(Lang::Id).contains("operator2"));
        let bad = Error::new(
            ErrorCode::InvalidInput,
            "doc_date: '14/02/2024' (YYYY-MM-DD)",
        );
        assert!(bad
            .message(Lang::Id)
            .ends_with(": doc_date: '14/02/2024' (YYYY-MM-DD)"));
        let wait = Error::new(ErrorCode::TooManyAttempts, "12");
        assert!(wait.message(Lang::Id).ends_with(": 12"));
    }

    #[test]
    fn a_kept_note_is_told_in_the_readers_language() {
        let e = Error::new(
            ErrorCode::TargetUnreachable,
            "s3://arsip: connection refused",
        );
        let back = Error::from_note(&e.to_note());
        assert_eq!(
            (back.code, back.detail.as_str()),
            (e.code, e.detail.as_str())
        );
        // A note kept before codes were: the English words it began with.
        let old = Error::new(
            ErrorCode::Io,
            "/media/usb: Read-only file system (os error 30)",
        );
        let back = Error::from_note(&old.to_string());
        assert_eq!(
            (back.code, back.detail.as_str()),
            (old.code, old.detail.as_str())
        );
        assert_eq!(Error::from_note("something else").code, ErrorCode::Io);
    }
}
