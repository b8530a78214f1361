//! Result forms as data: the table of a C.Hasil / D.Hasil form or a
//! recapitulation minute (berita acara rekapitulasi) read into rows — each
//! party or candidate with its votes, then the valid, invalid and total
//! lines — with the arithmetic checked: the votes add up to the valid
//! votes, valid and invalid add up to the total. Every row keeps the box it
//! was read from on its page, so a person sees the crop beside the number;
//! a row whose number OCR bent, or a sum that does not agree, is flagged
//! for that person. Nothing read here is a fact until someone confirms it
//! (`catalogue/recap.rs`).
//!
//! The reading works on a page's text line by line (a ruled table is read
//! row by row, see `extract::rules`): a row is a label followed by one
//! number at the end of its line.

use crate::model::WordBox;
use serde::{Deserialize, Serialize};

mod review;
pub use review::RecapQueue;

/// What a row of a result table counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// A party's or a candidate's votes.
    Votes,
    /// Jumlah suara sah.
    Valid,
    /// Jumlah suara tidak sah.
    Invalid,
    /// Jumlah seluruh suara (sah dan tidak sah).
    Total,
}

impl RowKind {
    pub fn code(self) -> &'static str {
        match self {
            RowKind::Votes => "votes",
            RowKind::Valid => "valid",
            RowKind::Invalid => "invalid",
            RowKind::Total => "total",
        }
    }

    pub fn parse(s: &str) -> Option<RowKind> {
        Some(match s {
            "votes" => RowKind::Votes,
            "valid" => RowKind::Valid,
            "invalid" => RowKind::Invalid,
            "total" => RowKind::Total,
            _ => return None,
        })
    }
}

/// A box on a page, in the pixels of the page's catalogued word boxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Area {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

/// One row as read.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ReadRow {
    pub page: u32,
    pub kind: RowKind,
    pub label: String,
    /// The number as printed on the page, as OCR read it.
    pub raw: String,
    /// The number it stands for; None when it cannot be read as one.
    pub votes: Option<u64>,
    /// The number needs a person's eye: OCR bent it (a letter read for a
    /// digit: `1O4`, `l2`), or the readings of it disagree
    /// (`extract::counts`).
    pub unsure: bool,
    /// Where the row stands on its page (None for a text-layer page).
    pub area: Option<Area>,
}

/// A disagreement a person must look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    /// The votes do not add up to the valid votes.
    SumNotValid { sum: u64, valid: u64 },
    /// Valid and invalid do not add up to the total.
    ValidInvalidNotTotal {
        valid: u64,
        invalid: u64,
        total: u64,
    },
    /// A row's number could not be read, or was read unsure (row index).
    Unsure { row: usize },
    /// The table lacks its valid-votes line, so nothing can be checked.
    NoValidLine,
}

/// A result table read from a record's pages.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ReadTable {
    pub rows: Vec<ReadRow>,
    pub problems: Vec<Problem>,
}

/// Fewest party or candidate rows a page needs to be read as a result table.
const MIN_VOTE_ROWS: usize = 2;
/// Confidence below which a count OCR read is checked by a person. A
/// count read again (`extract::counts`) has 100 when its readings agree
/// and 0 when they do not; a text layer's words have 100.
const UNSURE_CONF: f32 = 50.0;
/// Most digits a vote count has (a kab/kota recap of a million voters has 7).
const MAX_DIGITS: usize = 8;

/// A page as the reader needs it: its number, text and word boxes.
#[derive(Debug, Clone, Copy)]
pub struct PageText<'a> {
    pub number: u32,
    pub text: &'a str,
    pub words: &'a [WordBox],
}

/// The result table on `pages`, if they hold one.
pub fn read(pages: &[PageText]) -> Option<ReadTable> {
    let mut rows = Vec::new();
    for page in pages {
        rows.extend(rows_of_page(page));
    }
    if rows.iter().filter(|r| r.kind == RowKind::Votes).count() < MIN_VOTE_ROWS
        || !rows.iter().any(|r| r.kind != RowKind::Votes)
    {
        return None;
    }
    let problems = check(&rows);
    Some(ReadTable { rows, problems })
}

/// What the rows say against each other.
pub fn check(rows: &[ReadRow]) -> Vec<Problem> {
    let mut problems: Vec<Problem> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.unsure || r.votes.is_none())
        .map(|(row, _)| Problem::Unsure { row })
        .collect();
    let first = |kind: RowKind| rows.iter().find(|r| r.kind == kind).and_then(|r| r.votes);
    let sum: Option<u64> = rows
        .iter()
        .filter(|r| r.kind == RowKind::Votes)
        .map(|r| r.votes)
        .sum();
    match (sum, first(RowKind::Valid)) {
        (Some(sum), Some(valid)) if sum != valid => {
            problems.push(Problem::SumNotValid { sum, valid });
        }
        (_, None) if !rows.iter().any(|r| r.kind == RowKind::Valid) => {
            problems.push(Problem::NoValidLine);
        }
        _ => {}
    }
    if let (Some(valid), Some(invalid), Some(total)) = (
        first(RowKind::Valid),
        first(RowKind::Invalid),
        first(RowKind::Total),
    ) {
        if valid + invalid != total {
            problems.push(Problem::ValidInvalidNotTotal {
                valid,
                invalid,
                total,
            });
        }
    }
    problems
}

/// A line of a table as read: where its words start in the page's word
/// list, its row, and whether its last word was read as a count.
struct TableLine<'a> {
    first: usize,
    tokens: Vec<&'a str>,
    row: ReadRow,
    counted: bool,
}

/// The lines of one page's table, after a header that names votes
/// (`suara`), up to the total line. A line counts when it ends in a
/// number; one whose last word is no number (`FI`, `1x4`: a count bent or
/// smudged past reading) is a row too when that word stands in the
/// counts' column, so a person sees its crop and types its number.
fn table_lines<'a>(page: &PageText<'a>) -> Vec<TableLine<'a>> {
    let mut lines = Vec::new();
    let mut word = 0usize;
    let mut in_table = false;
    for line in page.text.lines() {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let first = word;
        word += tokens.len();
        let header = is_header(&line.to_lowercase());
        if !in_table {
            in_table = header;
            continue;
        }
        let Some((row, counted)) = parse_row(&tokens) else {
            continue;
        };
        // The columns' own header under a title that named votes and
        // parties ("No Partai Politik Jumlah Suara"): no row.
        if header && !counted {
            continue;
        }
        let total = row.kind == RowKind::Total && counted;
        lines.push(TableLine {
            first,
            tokens,
            row,
            counted,
        });
        if total {
            break;
        }
    }
    // The counts' column: from the leftmost count read, less a digit's width.
    let count_box = |l: &TableLine| page.words.get(l.first + last_word(&l.tokens)?);
    let left = lines
        .iter()
        .filter(|l| l.counted)
        .filter_map(count_box)
        .map(|w| w.x.saturating_sub(w.h))
        .min();
    let in_column = |l: &TableLine| match (left, count_box(l)) {
        (Some(left), Some(w)) => w.x >= left && l.tokens.len() > 1,
        _ => false,
    };
    lines.retain(|l| l.counted || in_column(l));
    lines
}

/// The index in `tokens` of the last word that is not a rule's artefact.
fn last_word(tokens: &[&str]) -> Option<usize> {
    tokens.iter().rposition(|t| !is_artefact(t))
}

/// The rows of one page, each with its box and doubt.
fn rows_of_page(page: &PageText) -> Vec<ReadRow> {
    table_lines(page)
        .into_iter()
        .map(|line| {
            let boxes = page.words.get(line.first..line.first + line.tokens.len());
            let area = boxes.and_then(|b| area_of(b, page));
            let doubted = boxes
                .and_then(|b| b.iter().rev().find(|w| !is_artefact(&w.text)))
                .is_some_and(|w| w.conf < UNSURE_CONF);
            ReadRow {
                page: page.number,
                area,
                unsure: line.row.unsure || doubted,
                ..line.row
            }
        })
        .collect()
}

/// The index in `page.words` of each table row's count: the words a
/// second reading looks at again (`extract::counts`), those read as no
/// count (`FI`, `1/9`) among them.
pub fn count_words(page: &PageText) -> Vec<usize> {
    table_lines(page)
        .iter()
        .filter_map(|l| Some(l.first + last_word(&l.tokens)?))
        .collect()
}

/// Whether a page's text may hold a result table (a header line naming
/// votes): the cheap look before its words are read.
pub fn may_hold_table(text: &str) -> bool {
    text.lines().any(|l| is_header(&l.to_lowercase()))
}

/// A table's header line: "No Partai Politik Jumlah Suara", "Nama Calon
/// … Perolehan Suara".
fn is_header(lower: &str) -> bool {
    lower.contains("suara")
        && (lower.contains("partai") || lower.contains("calon") || lower.contains("pasangan"))
}

/// A token that is a ruling line read as characters.
fn is_artefact(token: &str) -> bool {
    token
        .chars()
        .all(|c| matches!(c, '|' | '[' | ']' | '!' | '_' | '—' | '-'))
}

/// One table line: an optional row number, a label, and the word at the
/// end, with whether that word is a count; None for a line without a label.
fn parse_row(tokens: &[&str]) -> Option<(ReadRow, bool)> {
    // Rule artefacts read as characters at either end of a row.
    let clean: Vec<&str> = tokens.iter().copied().filter(|t| !is_artefact(t)).collect();
    let (last, rest) = clean.split_last()?;
    let read = number(last);
    let mut label: Vec<&str> = rest.to_vec();
    // A leading row number ("1", "1.", "12)").
    if label.first().is_some_and(|t| {
        t.trim_end_matches(['.', ')'])
            .chars()
            .all(|c| c.is_ascii_digit())
            && t.len() <= 4
    }) {
        label.remove(0);
    }
    let label = label.join(" ");
    let letters = label.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 3 || last.chars().count() > MAX_DIGITS + 3 {
        return None;
    }
    let lower = label.to_lowercase();
    // "Jumlah seluruh suara sah dan tidak sah" names both: the total first.
    let kind = if lower.contains("seluruh") || lower.contains("total") || lower.contains("sah dan")
    {
        RowKind::Total
    } else if lower.contains("tidak sah") {
        RowKind::Invalid
    } else if lower.contains("jumlah") && lower.contains("sah") {
        RowKind::Valid
    } else {
        RowKind::Votes
    };
    let (votes, unsure) = read.unwrap_or((None, true));
    let row = ReadRow {
        page: 0,
        kind,
        label,
        raw: (*last).to_string(),
        votes,
        unsure,
        area: None,
    };
    Some((row, read.is_some()))
}

/// The value of a count read cleanly (`1.234`, `987`); None for anything
/// else, a bent count (`1O4`) included.
pub fn count_value(token: &str) -> Option<u64> {
    match number(token)? {
        (value, false) => value,
        (_, true) => None,
    }
}

/// A count as printed (`1.234`, `1,234`, `987`), or as OCR bent it (`1O4`,
/// `l2`): (value, bent). None for a token that is not a count at all.
fn number(token: &str) -> Option<(Option<u64>, bool)> {
    let token = token.trim_end_matches(['.', ',']);
    if token.is_empty() {
        return None;
    }
    let mut digits = String::new();
    let mut bent = false;
    for c in token.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '.' | ',' => {}
            'O' | 'o' | 'D' => {
                digits.push('0');
                bent = true;
            }
            'I' | 'l' | 'i' | '|' => {
                digits.push('1');
                bent = true;
            }
            'S' => {
                digits.push('5');
                bent = true;
            }
            'B' => {
                digits.push('8');
                bent = true;
            }
            _ => return None,
        }
    }
    // A word of bent letters only ("Il", "So") is a word, not a count.
    let real = token.chars().filter(char::is_ascii_digit).count();
    if real == 0 || digits.len() > MAX_DIGITS {
        return None;
    }
    Some((digits.parse().ok(), bent))
}

/// The box around a row's words.
fn area_of(words: &[WordBox], page: &PageText) -> Option<Area> {
    if words.is_empty() || page.words.is_empty() {
        return None;
    }
    let x0 = words.iter().map(|w| w.x).min()?;
    let y0 = words.iter().map(|w| w.y).min()?;
    let x1 = words.iter().map(|w| w.x + w.w).max()?;
    let y1 = words.iter().map(|w| w.y + w.h).max()?;
    Some(Area {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> PageText<'_> {
        PageText {
            number: 1,
            text,
            words: &[],
        }
    }

    #[test]
    fn a_result_table_is_read_into_rows_and_checked() {
        let text = "CATATAN HASIL PENGHITUNGAN PEROLEHAN SUARA\n\
                    No Partai Politik Jumlah Suara\n\
                    1 Partai Kebangkitan Bangsa 120\n\
                    2 Partai Gerakan Indonesia Raya 1.204\n\
                    | 3 Partai Demokrat 9O |\n\
                    Jumlah suara sah 1.414\n\
                    Jumlah suara tidak sah 12\n\
                    Jumlah seluruh suara sah dan tidak sah 1.426\n\
                    Ketua KPPS";
        let t = read(&[page(text)]).expect("a table");
        let kinds: Vec<RowKind> = t.rows.iter().map(|r| r.kind).collect();
        use RowKind::*;
        assert_eq!(kinds, [Votes, Votes, Votes, Valid, Invalid, Total]);
        assert_eq!(t.rows[1].votes, Some(1204));
        assert_eq!(t.rows[1].label, "Partai Gerakan Indonesia Raya");
        assert_eq!((t.rows[2].votes, t.rows[2].unsure), (Some(90), true));
        assert_eq!(t.problems, [Problem::Unsure { row: 2 }]);
    }

    #[test]
    fn sums_that_do_not_agree_are_flagged() {
        let text = "No Partai Politik Jumlah Suara\n\
                    1 Partai A 10\n\
                    2 Partai B 20\n\
                    Jumlah suara sah 31\n\
                    Jumlah suara tidak sah 2\n\
                    Jumlah seluruh suara sah dan tidak sah 32";
        let t = read(&[page(text)]).expect("a table");
        assert_eq!(
            t.problems,
            [
                Problem::SumNotValid { sum: 30, valid: 31 },
                Problem::ValidInvalidNotTotal {
                    valid: 31,
                    invalid: 2,
                    total: 32
                }
            ]
        );
    }

    #[test]
    fn a_count_bent_past_reading_is_still_looked_at_again() {
        // A title that names votes and parties above the columns' header,
        // whose last word stands over the counts.
        let text = "PEROLEHAN SUARA PARTAI POLITIK\nNo Partai Politik Jumlah Suara\n\
                    1 Partai A 120\n2 Partai B FI\n\
                    Jumlah suara sah 1/9\nJumlah seluruh suara sah dan tidak sah 200\nBogor, 2019";
        let at = |x, text: &str| WordBox {
            text: text.into(),
            x,
            y: 0,
            w: 30,
            h: 20,
            conf: 90.0,
        };
        let mut words = Vec::new();
        for line in text.lines() {
            let tokens: Vec<&str> = line.split_whitespace().collect();
            for (i, t) in tokens.iter().enumerate() {
                let last = i + 1 == tokens.len();
                words.push(at(if last { 500 } else { 40 * i as u32 }, t));
            }
        }
        let page = PageText {
            number: 1,
            text,
            words: &words,
        };
        let counts: Vec<&str> = count_words(&page)
            .iter()
            .map(|&i| words[i].text.as_str())
            .collect();
        assert_eq!(counts, ["120", "FI", "1/9", "200"]);
        // Their rows are kept, unread and unsure, for a person to fill in.
        let table = read(&[page]).expect("a table");
        let unread: Vec<(&str, Option<u64>, bool)> = table
            .rows
            .iter()
            .filter(|r| r.votes.is_none())
            .map(|r| (r.label.as_str(), r.votes, r.unsure))
            .collect();
        assert_eq!(
            unread,
            [("Partai B", None, true), ("Jumlah suara sah", None, true)]
        );
    }

    #[test]
    fn prose_with_numbers_is_no_table() {
        let text =
            "Rapat pleno dihadiri 25 orang\nPartai peserta pemilu sebanyak 18\nSuara rakyat 2024";
        assert_eq!(read(&[page(text)]), None);
    }
}
