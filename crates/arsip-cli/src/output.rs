//! Printing: human text in the chosen language, or one JSON object per line.
//! Everything written to standard output goes through `write_out` (the
//! crate's `println!` and `print!` are its own, see `main.rs`).

use arsip_core::{Error, Lang};
use serde::Serialize;
use std::io::Write;

/// Writes to standard output. When the reader has gone (`arsip list | head
/// -1`), the rest of the output has no one to read it: the process ends
/// quietly with success, as `cat` and `grep` do, instead of panicking the way
/// std's `println!` does on a broken pipe.
pub fn write_out(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        // Anything else (a full disk behind a redirect) is worth a word on
        // standard error, but not a panic.
        eprintln!("{e}");
    }
}

pub fn json_line<T: Serialize>(value: &T) {
    match serde_json::to_string(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("{e}"),
    }
}

/// An error for the operator at the terminal: the code's words and the
/// detail (which path, the system's words), since they are on the archive
/// computer itself and may need both to put it right.
pub fn error_line(json: bool, e: &Error, lang: Lang) {
    let message = e.message_with_detail(lang);
    if json {
        json_line(&serde_json::json!({"error": {"code": e.code, "message": message}}));
    } else {
        eprintln!("{message}");
    }
}

/// Marks highlighted byte ranges of a snippet for a terminal.
pub fn highlight(text: &str, ranges: &[(usize, usize)], tty: bool) -> String {
    let (open, close) = if tty {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    let mut out = String::new();
    let mut last = 0;
    for &(s, e) in ranges {
        if s < last || e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        out.push_str(&text[last..s]);
        out.push_str(open);
        out.push_str(&text[s..e]);
        out.push_str(close);
        last = e;
    }
    out.push_str(&text[last..]);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
