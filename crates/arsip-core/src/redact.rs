//! The one redaction step every read of record content ends in. What a
//! masked clearance (the public) reads passes through `Redact`, which masks
//! every run of 15 or more digits (`privacy::mask`) in every text a record
//! carries: title, description, every metadata field, the physical location,
//! file names, page text and word boxes, suggestions, snippets. Nothing is
//! masked at a call site; a new output type gets an `impl Redact` here.

use crate::access::Clearance;
use crate::archive::{FileRef, RecordView, SearchHit};
use crate::catalogue::RecordSummary;
use crate::index::{FacetCount, Facets};
use crate::model::{Page, Record, StoredFile, WordBox};
use crate::privacy::mask;

/// A value as a clearance may read it.
pub trait Redact: Sized {
    /// The value with every personal number masked.
    fn masked(self) -> Self;

    /// The value as `clearance` may read it: masked for masked clearances.
    fn redact(self, clearance: &Clearance) -> Self {
        if clearance.masks_personal_data() {
            self.masked()
        } else {
            self
        }
    }
}

pub(crate) fn mask_in_place(text: &mut String) {
    if crate::privacy::has_long_number(text) {
        *text = mask(text);
    }
}

fn mask_opt(text: &mut Option<String>) {
    if let Some(t) = text {
        mask_in_place(t);
    }
}

impl Redact for String {
    fn masked(mut self) -> String {
        mask_in_place(&mut self);
        self
    }
}

impl<T: Redact> Redact for Vec<T> {
    fn masked(self) -> Vec<T> {
        self.into_iter().map(Redact::masked).collect()
    }
}

impl<A: Redact, B: Redact> Redact for (A, B) {
    fn masked(self) -> (A, B) {
        (self.0.masked(), self.1.masked())
    }
}

impl Redact for Record {
    fn masked(mut self) -> Record {
        mask_in_place(&mut self.title);
        for field in [
            &mut self.description,
            &mut self.doc_type,
            &mut self.election,
            &mut self.stage,
            &mut self.doc_date,
            &mut self.number,
            &mut self.region,
            &mut self.tps,
            &mut self.classification,
            &mut self.retention,
            &mut self.retain_until,
            &mut self.location.building,
            &mut self.location.shelf,
            &mut self.location.box_no,
            &mut self.location.folder,
            &mut self.language,
            &mut self.series,
        ] {
            mask_opt(field);
        }
        self.tags = self.tags.masked();
        mask_in_place(&mut self.created_by);
        mask_in_place(&mut self.updated_by);
        self
    }
}

impl Redact for StoredFile {
    fn masked(mut self) -> StoredFile {
        mask_in_place(&mut self.name);
        self
    }
}

impl Redact for Page {
    fn masked(mut self) -> Page {
        mask_in_place(&mut self.text);
        mask_words(&mut self.words);
        self
    }
}

impl Redact for RecordView {
    fn masked(self) -> RecordView {
        RecordView {
            record: self.record.masked(),
            files: self.files.masked(),
            pages: self.pages.masked(),
            suggestions: self.suggestions.masked(),
            // Never the public's (`Archive::record`); masked all the same.
            berkas: self.berkas.map(|mut b| {
                mask_in_place(&mut b.number);
                mask_in_place(&mut b.title);
                b
            }),
            sent_by: self.sent_by,
        }
    }
}

impl Redact for FileRef {
    fn masked(mut self) -> FileRef {
        mask_in_place(&mut self.name);
        self
    }
}

impl Redact for SearchHit {
    fn masked(mut self) -> SearchHit {
        mask_in_place(&mut self.title);
        for field in [&mut self.number, &mut self.tps].into_iter().flatten() {
            mask_in_place(field);
        }
        // Masking keeps byte lengths, so the highlights still fit.
        mask_in_place(&mut self.snippet);
        self.files = self.files.masked();
        self
    }
}

impl Redact for RecordSummary {
    fn masked(mut self) -> RecordSummary {
        mask_in_place(&mut self.title);
        self
    }
}

impl Redact for FacetCount {
    fn masked(mut self) -> FacetCount {
        mask_in_place(&mut self.value);
        self
    }
}

impl Redact for Facets {
    fn masked(self) -> Facets {
        // Codes (type, election, year, region, access) hold no names; series
        // and office names are typed by people.
        Facets {
            series: self.series.masked(),
            office: self.office.masked(),
            ..self
        }
    }
}

/// Word boxes are masked as the line they make: a number OCR split into
/// several boxes ("3271 0101 0190 0001") is masked in all of them. Masking
/// keeps the count of characters (one `*` for each digit, ASCII or not), so
/// each box takes back its own characters of the masked line.
fn mask_words(words: &mut [WordBox]) {
    let mut joined = String::new();
    let mut spans = Vec::with_capacity(words.len());
    let mut at = 0;
    for w in words.iter() {
        let len = w.text.chars().count();
        joined.push_str(&w.text);
        joined.push(' ');
        spans.push((at, len));
        at += len + 1;
    }
    if !crate::privacy::has_long_number(&joined) {
        return;
    }
    let masked: Vec<char> = mask(&joined).chars().collect();
    for (w, (start, len)) in words.iter_mut().zip(spans) {
        w.text = match masked.get(start..start + len) {
            Some(chars) => chars.iter().collect(),
            None => "*".repeat(len),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;

    #[test]
    fn a_number_split_over_word_boxes_is_masked_in_each() {
        let mut words: Vec<WordBox> = ["NIK", "3271", "0465", "0493", "0002", "TPS", "005"]
            .iter()
            .map(|t| WordBox {
                text: t.to_string(),
                x: 0,
                y: 0,
                w: 1,
                h: 1,
                conf: 90.0,
            })
            .collect();
        mask_words(&mut words);
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["NIK", "****", "****", "****", "****", "TPS", "005"]);
    }

    #[test]
    fn word_boxes_with_wide_digits_keep_their_places() {
        let mut words: Vec<WordBox> = ["NIK", "３２７１０４６５０４９３０００２", "TPS", "005"]
            .iter()
            .map(|t| WordBox {
                text: t.to_string(),
                x: 0,
                y: 0,
                w: 1,
                h: 1,
                conf: 90.0,
            })
            .collect();
        mask_words(&mut words);
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["NIK", "****************", "TPS", "005"]);
    }

    #[test]
    fn only_masked_clearances_are_masked() {
        let text = "dpt_3271046504930002.jpg".to_string();
        assert_eq!(
            text.clone().redact(&Clearance::public()),
            "dpt_****************.jpg"
        );
        let staff = Clearance::operator("t").narrowed(Role::Sekretariat);
        assert_eq!(text.clone().redact(&staff), text);
    }
}
