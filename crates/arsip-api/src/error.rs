//! Errors on the wire: `{"error": {"code", "message"}}` with the status the
//! code calls for. The UI shows text by `code`; `message` is the string table's
//! text in the caller's language (Indonesian unless it asks for English),
//! never the operating system's words (`Error::message`). A user's mistake is
//! never a 500, and no message carries a path on the server's disk: paths are
//! cut to their last part before they are sent.

use crate::wire::{ErrorBody, ErrorReply};
use arsip_core::{Error, ErrorCode, Lang};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

#[derive(Debug)]
pub struct ApiError {
    pub error: Error,
    pub lang: Lang,
}

impl ApiError {
    pub fn new(error: Error, lang: Lang) -> ApiError {
        ApiError { error, lang }
    }

    /// The body as sent: the code's words, and only a detail that names what
    /// was wrong with the input (`ErrorCode::tells_detail`), its server paths
    /// cut away. Technical details (SQL, a parser's or the operating
    /// system's words, why a store did not answer) stay in the server's log.
    pub fn body(&self) -> ErrorBody {
        let scrubbed = Error::new(self.error.code, scrub_paths(&self.error.detail));
        ErrorBody {
            code: self.error.code,
            message: scrubbed.message(self.lang),
        }
    }
}

pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::AccessDenied
        | ErrorCode::TargetNotApproved
        | ErrorCode::DeclassifyDenied
        | ErrorCode::OwnAccount => StatusCode::FORBIDDEN,
        ErrorCode::WrongPassword | ErrorCode::NotLoggedIn | ErrorCode::SessionExpired => {
            StatusCode::UNAUTHORIZED
        }
        ErrorCode::SyncConflict
        | ErrorCode::UserExists
        | ErrorCode::LastAdmin
        | ErrorCode::AlreadyExists
        | ErrorCode::AccessDiffers
        | ErrorCode::PartlyArchived
        | ErrorCode::TableChanged
        | ErrorCode::NumberTaken
        | ErrorCode::WrongStep
        | ErrorCode::SyncedCopies
        | ErrorCode::OtherOffice
        | ErrorCode::NotDue
        | ErrorCode::BerkasLocked
        | ErrorCode::OnLoan
        | ErrorCode::NameTaken
        | ErrorCode::ListChanged
        | ErrorCode::RecordChanged
        | ErrorCode::ScanArchived => StatusCode::CONFLICT,
        ErrorCode::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::QueryTooLong | ErrorCode::ReasonRequired => StatusCode::BAD_REQUEST,
        // The store behind a push did not answer: a gateway's failure.
        ErrorCode::TargetUnreachable => StatusCode::BAD_GATEWAY,
        c if c.is_user_error() => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Seconds a throttled caller should wait, from the core's detail ("12 s");
/// none when the detail says otherwise.
fn retry_after(error: &Error) -> Option<HeaderValue> {
    let secs: u64 = error.detail.trim().parse().ok()?;
    Some(HeaderValue::from(secs.max(1)))
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if !self.error.code.is_user_error() {
            eprintln!("arsip-api: {}", self.error);
        }
        let reply = ErrorReply { error: self.body() };
        let mut response = (status_of(self.error.code), Json(reply)).into_response();
        if self.error.code == ErrorCode::TooManyAttempts {
            if let Some(secs) = retry_after(&self.error) {
                response.headers_mut().insert(header::RETRY_AFTER, secs);
            }
        }
        response
    }
}

/// `text` with every absolute filesystem path cut to its last part:
/// `/srv/arsip/masuk/dpt.pdf` and `C:\Users\kpu\dpt.pdf` become `dpt.pdf`.
/// A path counts when it begins a word (after a space, a quote, a bracket or
/// `=`), so URLs (`s3://bucket/prefix`, `http://host/x`) and fractions stay.
pub fn scrub_paths(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut i, mut copied) = (0, 0);
    while i < bytes.len() {
        let starts_word = i == 0 || opens_word(bytes[i - 1]);
        if let Some(len) = starts_word.then(|| path_len(&bytes[i..])).flatten() {
            // Both ends are ASCII bytes (or the text's ends), so both are
            // character boundaries.
            out.push_str(&text[copied..i]);
            out.push_str(last_part(&text[i..i + len]));
            i += len;
            copied = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}

fn opens_word(c: u8) -> bool {
    c.is_ascii_whitespace() || b"([{\"'=,;<".contains(&c)
}

fn ends_path(c: u8) -> bool {
    c.is_ascii_whitespace() || b")]}\"',;:<>".contains(&c)
}

/// The length of the absolute path `s` starts with, if it starts with one.
fn path_len(s: &[u8]) -> Option<usize> {
    let head = match s {
        // `/srv/x`, but not `//host` or a lone `/`.
        [b'/', c, ..] if *c != b'/' && !ends_path(*c) => 1,
        // `C:\x` or `C:/x`.
        [drive, b':', b'\\' | b'/', ..] if drive.is_ascii_alphabetic() => 3,
        // `\\server\share\x`.
        [b'\\', b'\\', c, ..] if !ends_path(*c) => 2,
        _ => return None,
    };
    let rest = s[head..]
        .iter()
        .position(|&c| ends_path(c))
        .unwrap_or(s.len() - head);
    Some(head + rest)
}

fn last_part(path: &str) -> &str {
    path.rsplit(['/', '\\'])
        .find(|p| !p.is_empty())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_paths_are_cut_to_their_names() {
        let check = |input: &str, expected: &str| assert_eq!(scrub_paths(input), expected);
        check("/srv/arsip/masuk/dpt.pdf", "dpt.pdf");
        check(
            "/srv/arsip/masuk/dpt.pdf: No such file or directory (os error 2)",
            "dpt.pdf: No such file or directory (os error 2)",
        );
        check(
            "cannot open '/home/kpu/a b/x.tif'",
            "cannot open 'a b/x.tif'",
        );
        check("gagal (/var/lib/arsip/blobs/ab/cd/ef)", "gagal (ef)");
        check("folder=/media/usb/rpp/, lalu", "folder=rpp, lalu");
        check(r"C:\Users\kpu\Dokumen\dpt.pdf: denied", "dpt.pdf: denied");
        check("D:/arsip/x.pdf", "x.pdf");
        check(r"\\server\share\arsip\x.pdf", "x.pdf");
        check("/a and /b/c", "a and c");
        // Not paths: left as they are.
        check("", "");
        check("s3://arsip/kantor/bogor", "s3://arsip/kantor/bogor");
        check(
            "http://192.168.1.10:3900/arsip",
            "http://192.168.1.10:3900/arsip",
        );
        check("file:///media/usb/rpp", "file:///media/usb/rpp");
        check("1 / 2 and and/or 2024/05/01", "1 / 2 and and/or 2024/05/01");
        check("year: invalid digit", "year: invalid digit");
        check("Dokumen rahasia: 3 s", "Dokumen rahasia: 3 s");
        check("/ç/ü/naïve.pdf ok", "naïve.pdf ok");
    }

    #[test]
    fn messages_on_the_wire_carry_no_server_path_nor_the_systems_words() {
        // A detail about the input is told, its server path cut.
        let e = Error::new(
            ErrorCode::InvalidInput,
            "/srv/arsip/cadangan/x: not a folder",
        );
        let body = ApiError::new(e, Lang::En).body();
        assert_eq!(body.message, "Invalid input: x: not a folder");
        // Any other detail stays in the log: a path and the system's words,
        // a store's refusal, a disk's failure.
        let e = Error::new(
            ErrorCode::NotFound,
            "/srv/arsip/masuk/dpt-bogor.pdf: No such file or directory (os error 2)",
        );
        let body = ApiError::new(e, Lang::En).body();
        assert_eq!(body.message, "Not found");
        let e = Error::new(
            ErrorCode::TargetUnreachable,
            "s3://arsip/x: tcp connect error: Connection refused (os error 111)",
        );
        let body = ApiError::new(e, Lang::Id).body();
        assert_eq!(
            body.message,
            arsip_core::strings::error_text(ErrorCode::TargetUnreachable, Lang::Id)
        );
        let e = Error::new(ErrorCode::Io, "/srv/arsip/blobs/ab: disk full");
        let body = ApiError::new(e, Lang::En).body();
        assert!(!body.message.contains("disk full"), "{}", body.message);
        // Not even wrapped into a detail that is told.
        let e = Error::new(ErrorCode::InvalidInput, "/srv/x: File exists (os error 17)");
        let body = ApiError::new(e, Lang::Id).body();
        assert_eq!(body.message, "Masukan tidak valid");
    }

    #[test]
    fn a_users_mistake_is_never_a_server_error() {
        for &code in ErrorCode::ALL {
            if code.is_user_error() {
                assert!(status_of(code).is_client_error(), "{code:?}");
            }
        }
        assert_eq!(status_of(ErrorCode::TooManyAttempts), 429);
        assert_eq!(status_of(ErrorCode::TargetNotApproved), 403);
        assert_eq!(status_of(ErrorCode::QueryTooLong), 400);
        assert_eq!(status_of(ErrorCode::ReasonRequired), 400);
        assert_eq!(status_of(ErrorCode::UserExists), 409);
        assert_eq!(status_of(ErrorCode::LastAdmin), 409);
        assert_eq!(status_of(ErrorCode::OwnAccount), 403);
        assert_eq!(status_of(ErrorCode::TargetUnreachable), 502);
        assert_eq!(status_of(ErrorCode::Database), 500);
    }

    #[test]
    fn a_throttled_login_says_when_to_try_again() {
        let r =
            ApiError::new(Error::new(ErrorCode::TooManyAttempts, "12"), Lang::Id).into_response();
        assert_eq!(r.status(), 429);
        assert_eq!(r.headers()[header::RETRY_AFTER], "12");
    }
}
