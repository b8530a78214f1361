//! Documents the office prints and signs: separator sheets now; lists,
//! berita acara and labels share the same parts. `krilla` writes the PDF
//! (fonts embedded and subset, text shaped); `layout` breaks lines, fills
//! pages and repeats table headers; `qr` draws codes and reads them back.

mod fonts;
pub mod formal;
pub mod layout;
pub mod qr;
pub mod separator;

pub use layout::{Align, Column, Paper, Sheet, Style};
