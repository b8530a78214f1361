//! The change log's wire format, FROZEN at formats 1 and 2: what an office
//! signs and a province verifies. Do not change these structs or their field
//! order; a new shape is a new format number, and readers keep reading the
//! older ones.
//!
//! Format 2 is format 1 with two optional fields, written only when used, so
//! a segment that uses neither is format 1 byte for byte: an entry's
//! `destroyed` (the record was destroyed by a berita acara: its state is its
//! tombstone, without files, pages or text), and a body's `replaces` (the
//! segment was re-sealed after a destruction took records' content out of
//! it; the chain goes on from the hash it replaces, see `chain_hash`).
//!
//! Format 3 is format 2 with one more optional field, written only when
//! used: a record state's `berkas` (the file folder it is filed in, as its
//! office describes it). A segment without one is format 2 or 1 as before.
//!
//! A segment carries the state of every record changed in the sequence range
//! `(from, to]` (the whole record as it stood when the segment was sealed, or a
//! tombstone), plus `prev`, the hash of the previous segment's body: applied in
//! order, segments rebuild the office's catalogue, and the chain makes a
//! replayed, reordered or missing segment visible. On the wire:
//!
//! ```text
//! b"RPPSEG\0\x01" | Ed25519 signature (64 bytes) | zstd(body JSON)
//! ```
//! The signature covers `b"rpp-arsip segment v1\n"` followed by the body JSON
//! (uncompressed), so a compressor upgrade cannot break old signatures. HEAD,
//! the office's pointer to its newest segment, has the same envelope.

use super::keys::{OfficeKey, PublicKey};
use crate::error::{Error, ErrorCode, Result};
use crate::ids::ContentHash;
use serde::{Deserialize, Serialize};
use std::io::Read;

pub const FORMAT: u32 = 1;
/// A segment that carries a destruction (see the module's comment).
pub const FORMAT_DESTROYED: u32 = 2;
/// A segment whose records name their berkas (see the module's comment).
pub const FORMAT_BERKAS: u32 = 3;
const SEGMENT_MAGIC: &[u8; 8] = b"RPPSEG\0\x01";
const HEAD_MAGIC: &[u8; 8] = b"RPPHED\0\x01";
const SEGMENT_CONTEXT: &[u8] = b"rpp-arsip segment v1\n";
const HEAD_CONTEXT: &[u8] = b"rpp-arsip head v1\n";
/// A body larger than this is refused before it is decompressed further
/// (a hostile "zip bomb" segment must not fill the province's memory).
const MAX_BODY: u64 = 1 << 30;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentBody {
    pub format: u32,
    /// The signing office's public key (hex).
    pub office: String,
    pub from: i64,
    pub to: i64,
    /// SHA-256 (hex) of the previous segment's body JSON; empty for the first.
    pub prev: String,
    /// The hash of the office's newest audit entry when the segment was
    /// sealed: the province's audit trail keeps it, so entries later cut
    /// from the end of the office's trail are missed against it.
    pub audit: String,
    pub entries: Vec<Entry>,
    /// Format 2: the hash of the body this one was re-sealed from. Only an
    /// entry's content is ever taken out (`Entry::redact`); the office
    /// signs the result as it signed the original.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
}

/// One record's state after the changes in the segment's range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The record's newest change sequence within the segment.
    pub seq: i64,
    pub id: String,
    /// None: the record was deleted (or, with `destroyed`, its content was
    /// taken out of this re-sealed segment).
    pub state: Option<RecordState>,
    /// Format 2: the record was destroyed. Its state, when given, is the
    /// tombstone the office keeps (no files, pages, text or description).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destroyed: Option<Destroyed>,
}

/// The destruction that took a record's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Destroyed {
    /// The number of the Berita Acara Pemusnahan.
    pub ba: String,
    /// When it was carried out (RFC 3339).
    pub at: String,
    /// The blobs (originals, thumbnails) it removed that no other record of
    /// the office used: a province removes them from the store once no
    /// record it holds uses them either.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blobs: Vec<String>,
}

impl Entry {
    /// Takes the record's content out of a sealed entry: what a re-sealed
    /// segment holds of a destroyed record.
    pub fn redact(&mut self, destroyed: Destroyed) {
        self.state = None;
        self.destroyed = Some(destroyed);
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordState {
    pub title: String,
    pub description: Option<String>,
    pub doc_type: Option<String>,
    pub election: Option<String>,
    pub stage: Option<String>,
    pub doc_date: Option<String>,
    pub number: Option<String>,
    pub region: Option<String>,
    pub tps: Option<String>,
    pub classification: Option<String>,
    pub access: String,
    pub retention: Option<String>,
    pub retain_until: Option<String>,
    pub building: Option<String>,
    pub shelf: Option<String>,
    pub box_no: Option<String>,
    pub folder: Option<String>,
    pub language: Option<String>,
    pub series: Option<String>,
    pub personal_data: bool,
    pub tags: Vec<String>,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
    pub version: i64,
    pub files: Vec<FileState>,
    pub pages: Vec<PageState>,
    pub suggestions: Vec<(String, String)>,
    /// Format 3: the berkas the record is filed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub berkas: Option<BerkasState>,
}

/// A berkas (file folder) as its office describes it, carried with each
/// record filed in it: a province shows an office's records in their
/// berkas, and an office rebuilt from its log gets its berkas back. Where
/// the paper is kept is said by the box's number alone: boxes and storage
/// places stay the office's own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BerkasState {
    pub id: String,
    pub number: String,
    pub title: String,
    pub classification: Option<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub access: String,
    /// `aktif`, `inaktif`, `statis` or `musnah`.
    pub stage: String,
    /// The number of the box it is in.
    pub box_no: Option<String>,
    pub folder: Option<String>,
    /// The JRA row (its code) a person confirmed, by whom and when.
    pub jra: Option<String>,
    pub jra_by: Option<String>,
    pub jra_at: Option<String>,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileState {
    pub sha256: String,
    pub media_type: String,
    pub size: u64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageState {
    pub number: u32,
    pub file: String,
    pub text: String,
    pub source: String,
    pub confidence: Option<f64>,
    pub rotation: u32,
    /// The word boxes as the catalogue stores them (a JSON array, as text).
    pub words: Option<String>,
    pub thumbnail: Option<String>,
}

/// Where an office's log stands: its newest segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Head {
    pub format: u32,
    pub office: String,
    /// The office's name, for the province's listing of unregistered offices.
    pub name: String,
    pub to: i64,
    /// SHA-256 (hex) of the newest segment's body; empty when there is none.
    pub hash: String,
}

impl SegmentBody {
    /// The format this body must be sealed as: the newest whose fields it
    /// uses (3 for a berkas, 2 for a destruction), else 1, so old readers
    /// keep reading what they can.
    pub fn format_needed(&self) -> u32 {
        let states = || self.entries.iter().filter_map(|e| e.state.as_ref());
        if states().any(|s| s.berkas.is_some()) {
            FORMAT_BERKAS
        } else if self.replaces.is_some() || self.entries.iter().any(|e| e.destroyed.is_some()) {
            FORMAT_DESTROYED
        } else {
            FORMAT
        }
    }

    /// The hash the next segment's `prev` names: the original's, for a
    /// re-sealed body, else the body's own (`own`).
    pub fn chain_hash(&self, own: &str) -> String {
        self.replaces.clone().unwrap_or_else(|| own.to_string())
    }

    /// Every blob the segment's records refer to (originals and thumbnails).
    pub fn blobs(&self) -> Vec<String> {
        let mut out = Vec::new();
        for state in self.entries.iter().filter_map(|e| e.state.as_ref()) {
            out.extend(state.files.iter().map(|f| f.sha256.clone()));
            out.extend(state.pages.iter().filter_map(|p| p.thumbnail.clone()));
        }
        out.sort();
        out.dedup();
        out
    }
}

/// A sealed segment: its bytes on the wire and the hash the next one chains to.
#[derive(Debug, Clone, PartialEq)]
pub struct Sealed {
    pub from: i64,
    pub to: i64,
    pub hash: String,
    pub bytes: Vec<u8>,
}

/// Seals `body`; `hash` is its chain hash (`SegmentBody::chain_hash`).
pub fn seal(body: &SegmentBody, key: &OfficeKey) -> Result<Sealed> {
    if body.format != body.format_needed() {
        return Err(Error::new(
            ErrorCode::Internal,
            format!(
                "segment {}-{} sealed as format {}",
                body.from, body.to, body.format
            ),
        ));
    }
    let json = to_json(body)?;
    Ok(Sealed {
        from: body.from,
        to: body.to,
        hash: body.chain_hash(&ContentHash::of(&json).to_hex()),
        bytes: envelope(SEGMENT_MAGIC, SEGMENT_CONTEXT, &json, key)?,
    })
}

/// Checks a segment's envelope and signature against `office`, then parses it.
/// Returns the body and its chain hash (`SegmentBody::chain_hash`).
pub fn open(bytes: &[u8], office: &PublicKey) -> Result<(SegmentBody, String)> {
    let json = unwrap(bytes, SEGMENT_MAGIC, SEGMENT_CONTEXT, office)?;
    let body: SegmentBody = from_json(&json)?;
    if body.format != body.format_needed() || body.office != office.to_hex() {
        return Err(rejected(format!(
            "format {} of office {}",
            body.format, body.office
        )));
    }
    if body.to <= body.from {
        return Err(rejected(format!("empty range {}-{}", body.from, body.to)));
    }
    let own = ContentHash::of(&json).to_hex();
    let chain = body.chain_hash(&own);
    Ok((body, chain))
}

pub fn seal_head(head: &Head, key: &OfficeKey) -> Result<Vec<u8>> {
    envelope(HEAD_MAGIC, HEAD_CONTEXT, &to_json(head)?, key)
}

pub fn open_head(bytes: &[u8], office: &PublicKey) -> Result<Head> {
    let head: Head = from_json(&unwrap(bytes, HEAD_MAGIC, HEAD_CONTEXT, office)?)?;
    if head.format != FORMAT || head.office != office.to_hex() {
        return Err(rejected(format!("HEAD of office {}", head.office)));
    }
    Ok(head)
}

/// Reads HEAD's claims without checking who signed it: only to name an
/// office the province has not registered.
pub fn peek_head(bytes: &[u8]) -> Option<Head> {
    let rest = bytes.strip_prefix(HEAD_MAGIC.as_slice())?;
    let json = decompress(rest.get(64..)?).ok()?;
    serde_json::from_slice(&json).ok()
}

fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))
}

fn from_json<'a, T: Deserialize<'a>>(json: &'a [u8]) -> Result<T> {
    serde_json::from_slice(json).map_err(|e| rejected(format!("unreadable body: {e}")))
}

fn envelope(magic: &[u8; 8], context: &[u8], json: &[u8], key: &OfficeKey) -> Result<Vec<u8>> {
    let signature = key.sign(&[context, json].concat());
    let compressed = zstd::encode_all(json, 9)?;
    Ok([magic.as_slice(), &signature, &compressed].concat())
}

fn unwrap(bytes: &[u8], magic: &[u8; 8], context: &[u8], office: &PublicKey) -> Result<Vec<u8>> {
    let rest = bytes
        .strip_prefix(magic.as_slice())
        .ok_or_else(|| rejected("not an RPP Arsip object of this kind".into()))?;
    if rest.len() < 64 {
        return Err(rejected("truncated".into()));
    }
    let (signature, compressed) = rest.split_at(64);
    let json = decompress(compressed)?;
    if !office.verifies(&[context, &json].concat(), signature) {
        return Err(rejected(format!(
            "the signature is not office {office}'s (altered, or signed by another key)"
        )));
    }
    Ok(json)
}

fn decompress(compressed: &[u8]) -> Result<Vec<u8>> {
    let decoder = zstd::Decoder::new(compressed).map_err(|e| rejected(format!("damaged: {e}")))?;
    let mut json = Vec::new();
    decoder
        .take(MAX_BODY + 1)
        .read_to_end(&mut json)
        .map_err(|e| rejected(format!("damaged: {e}")))?;
    if json.len() as u64 > MAX_BODY {
        return Err(rejected("larger than 1 GiB".into()));
    }
    Ok(json)
}

fn rejected(detail: String) -> Error {
    Error::new(ErrorCode::SegmentRejected, detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> SegmentBody {
        SegmentBody {
            format: FORMAT,
            office: OfficeKey::from_seed([7; 32]).public().to_hex(),
            from: 0,
            to: 2,
            prev: String::new(),
            audit: "9a".repeat(32),
            entries: vec![
                Entry {
                    seq: 1,
                    id: "0190f3c4-0000-7000-8000-000000000001".into(),
                    state: Some(RecordState {
                        title: "Berita Acara Rekapitulasi".into(),
                        description: None,
                        doc_type: Some("berita_acara".into()),
                        election: Some("pemilu-2024".into()),
                        stage: None,
                        doc_date: Some("2024-02-20".into()),
                        number: Some("12/PL.01.8-BA/3271/2024".into()),
                        region: Some("32.71.01".into()),
                        tps: Some("017".into()),
                        classification: None,
                        access: "terbuka".into(),
                        retention: None,
                        retain_until: None,
                        building: None,
                        shelf: Some("R2".into()),
                        box_no: Some("14".into()),
                        folder: None,
                        language: None,
                        series: Some("Pemilu 2024".into()),
                        personal_data: false,
                        tags: vec![],
                        created_at: "2024-03-01T08:00:00Z".into(),
                        created_by: "arsip1".into(),
                        updated_at: "2024-03-01T08:00:00Z".into(),
                        updated_by: "arsip1".into(),
                        version: 1,
                        files: vec![FileState {
                            sha256: "ab".repeat(32),
                            media_type: "image/jpeg".into(),
                            size: 1234,
                            name: "ba.jpg".into(),
                        }],
                        pages: vec![PageState {
                            number: 1,
                            file: "ab".repeat(32),
                            text: "BERITA ACARA".into(),
                            source: "ocr".into(),
                            confidence: Some(91.5),
                            rotation: 0,
                            words: None,
                            thumbnail: Some("cd".repeat(32)),
                        }],
                        suggestions: vec![("tps".into(), "017".into())],
                        berkas: None,
                    }),
                    destroyed: None,
                },
                Entry {
                    seq: 2,
                    id: "0190f3c4-0000-7000-8000-000000000002".into(),
                    state: None,
                    destroyed: None,
                },
            ],
            replaces: None,
        }
    }

    /// The frozen bytes of format 1. If this fails, the wire format changed:
    /// provinces running older versions would reject (or misread) the log.
    #[test]
    fn format_1_bytes_are_frozen() -> Result<()> {
        let key = OfficeKey::from_seed([7; 32]);
        let sealed = seal(&body(), &key)?;
        let json = String::from_utf8(to_json(&body())?).unwrap_or_default();
        assert_eq!(json, GOLDEN_JSON);
        assert_eq!(sealed.hash, GOLDEN_HASH);
        assert_eq!(hex::encode(&sealed.bytes[8..72]), GOLDEN_SIGNATURE);
        Ok(())
    }

    const GOLDEN_JSON: &str = r#"{"format":1,"office":"ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c","from":0,"to":2,"prev":"","audit":"9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a","entries":[{"seq":1,"id":"0190f3c4-0000-7000-8000-000000000001","state":{"title":"Berita Acara Rekapitulasi","description":null,"doc_type":"berita_acara","election":"pemilu-2024","stage":null,"doc_date":"2024-02-20","number":"12/PL.01.8-BA/3271/2024","region":"32.71.01","tps":"017","classification":null,"access":"terbuka","retention":null,"retain_until":null,"building":null,"shelf":"R2","box_no":"14","folder":null,"language":null,"series":"Pemilu 2024","personal_data":false,"tags":[],"created_at":"2024-03-01T08:00:00Z","created_by":"arsip1","updated_at":"2024-03-01T08:00:00Z","updated_by":"arsip1","version":1,"files":[{"sha256":"abababababababababababababababababababababababababababababababab","media_type":"image/jpeg","size":1234,"name":"ba.jpg"}],"pages":[{"number":1,"file":"abababababababababababababababababababababababababababababababab","text":"BERITA ACARA","source":"ocr","confidence":91.5,"rotation":0,"words":null,"thumbnail":"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"}],"suggestions":[["tps","017"]]}},{"seq":2,"id":"0190f3c4-0000-7000-8000-000000000002","state":null}]}"#;
    const GOLDEN_HASH: &str = "4efa93608b5a509cf6ca7b10aec45bc6d9acde4584e70f1e9581d56c5a7ebcd9";
    const GOLDEN_SIGNATURE: &str =
        "45dedd9a8add3ece28522061564b837f82c68a87fd42c1e8724c70386e75620f5e2ac623a929d7367e9513fec97686173f50ff099560f03e4c9a8695468d0b01";

    /// Format 2: a destroyed record's tombstone, in a segment re-sealed
    /// after a destruction. Frozen like format 1.
    fn destroyed_body() -> SegmentBody {
        let mut b = body();
        b.entries[0].redact(Destroyed {
            ba: "3/BA-PMS/3271/2026".into(),
            at: "2026-12-03T09:00:00Z".into(),
            blobs: vec!["ab".repeat(32)],
        });
        b.replaces = Some(GOLDEN_HASH.into());
        b.format = FORMAT_DESTROYED;
        b
    }

    #[test]
    fn format_2_bytes_are_frozen_and_chain_on_from_what_they_replace() -> Result<()> {
        let key = OfficeKey::from_seed([7; 32]);
        let json = String::from_utf8(to_json(&destroyed_body())?).unwrap_or_default();
        assert_eq!(json, GOLDEN_JSON_2);
        let sealed = seal(&destroyed_body(), &key)?;
        assert_eq!(
            sealed.hash, GOLDEN_HASH,
            "a re-sealed segment keeps its place in the chain"
        );
        let (back, chain) = open(&sealed.bytes, &key.public())?;
        assert_eq!((back, chain), (destroyed_body(), GOLDEN_HASH.to_string()));
        assert!(!json.contains("BERITA ACARA"), "the text is out");
        Ok(())
    }

    #[test]
    fn a_segment_must_say_the_format_it_uses() -> Result<()> {
        let key = OfficeKey::from_seed([7; 32]);
        // Fields of format 2 under format 1 (what an old reader would
        // misread), and format 2 without them: refused to seal and to open.
        let mut old = destroyed_body();
        old.format = FORMAT;
        assert!(seal(&old, &key).is_err());
        let mut plain = body();
        plain.format = FORMAT_DESTROYED;
        assert!(seal(&plain, &key).is_err());
        for wrong in [old, plain] {
            let json = to_json(&wrong)?;
            let bytes = envelope(SEGMENT_MAGIC, SEGMENT_CONTEXT, &json, &key)?;
            let err = open(&bytes, &key.public()).err().map(|e| e.code);
            assert_eq!(err, Some(ErrorCode::SegmentRejected));
        }
        Ok(())
    }

    const GOLDEN_JSON_2: &str = r#"{"format":2,"office":"ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c","from":0,"to":2,"prev":"","audit":"9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a","entries":[{"seq":1,"id":"0190f3c4-0000-7000-8000-000000000001","state":null,"destroyed":{"ba":"3/BA-PMS/3271/2026","at":"2026-12-03T09:00:00Z","blobs":["abababababababababababababababababababababababababababababababab"]}},{"seq":2,"id":"0190f3c4-0000-7000-8000-000000000002","state":null}],"replaces":"4efa93608b5a509cf6ca7b10aec45bc6d9acde4584e70f1e9581d56c5a7ebcd9"}"#;

    /// Format 3: a record that names its berkas. Frozen like formats 1 and 2.
    fn berkas_body() -> SegmentBody {
        let mut b = body();
        if let Some(state) = b.entries[0].state.as_mut() {
            state.berkas = Some(BerkasState {
                id: "0190f3c4-0000-7000-8000-0000000000b1".into(),
                number: "PL.01/2024/003".into(),
                title: "Rekapitulasi hasil Pemilu 2024".into(),
                classification: Some("PL.01".into()),
                year_from: Some(2024),
                year_to: Some(2024),
                access: "terbuka".into(),
                stage: "aktif".into(),
                box_no: Some("B-014".into()),
                folder: Some("3".into()),
                jra: Some("PL.01".into()),
                jra_by: Some("arsip1".into()),
                jra_at: Some("2024-03-02T08:00:00Z".into()),
                created_at: "2024-03-01T08:00:00Z".into(),
                created_by: "arsip1".into(),
                updated_at: "2024-03-02T08:00:00Z".into(),
                updated_by: "arsip1".into(),
            });
        }
        b.format = FORMAT_BERKAS;
        b
    }

    #[test]
    fn format_3_bytes_are_frozen_and_say_their_format() -> Result<()> {
        let key = OfficeKey::from_seed([7; 32]);
        let json = String::from_utf8(to_json(&berkas_body())?).unwrap_or_default();
        assert_eq!(json, GOLDEN_JSON_3);
        let sealed = seal(&berkas_body(), &key)?;
        let (back, _) = open(&sealed.bytes, &key.public())?;
        assert_eq!(back, berkas_body());
        // A berkas under an older format (what an old reader would drop
        // unread) is refused to seal and to open.
        for older in [FORMAT, FORMAT_DESTROYED] {
            let mut wrong = berkas_body();
            wrong.format = older;
            assert!(seal(&wrong, &key).is_err());
            let bytes = envelope(SEGMENT_MAGIC, SEGMENT_CONTEXT, &to_json(&wrong)?, &key)?;
            let err = open(&bytes, &key.public()).err().map(|e| e.code);
            assert_eq!(err, Some(ErrorCode::SegmentRejected));
        }
        // A destruction beside a berkas is format 3: the newest one used.
        let mut both = berkas_body();
        both.entries[1].redact(Destroyed {
            ba: "3/BA-PMS/3271/2026".into(),
            at: "2026-12-03T09:00:00Z".into(),
            blobs: Vec::new(),
        });
        assert_eq!(both.format_needed(), FORMAT_BERKAS);
        Ok(())
    }

    const GOLDEN_JSON_3: &str = r#"{"format":3,"office":"ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c","from":0,"to":2,"prev":"","audit":"9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a","entries":[{"seq":1,"id":"0190f3c4-0000-7000-8000-000000000001","state":{"title":"Berita Acara Rekapitulasi","description":null,"doc_type":"berita_acara","election":"pemilu-2024","stage":null,"doc_date":"2024-02-20","number":"12/PL.01.8-BA/3271/2024","region":"32.71.01","tps":"017","classification":null,"access":"terbuka","retention":null,"retain_until":null,"building":null,"shelf":"R2","box_no":"14","folder":null,"language":null,"series":"Pemilu 2024","personal_data":false,"tags":[],"created_at":"2024-03-01T08:00:00Z","created_by":"arsip1","updated_at":"2024-03-01T08:00:00Z","updated_by":"arsip1","version":1,"files":[{"sha256":"abababababababababababababababababababababababababababababababab","media_type":"image/jpeg","size":1234,"name":"ba.jpg"}],"pages":[{"number":1,"file":"abababababababababababababababababababababababababababababababab","text":"BERITA ACARA","source":"ocr","confidence":91.5,"rotation":0,"words":null,"thumbnail":"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"}],"suggestions":[["tps","017"]],"berkas":{"id":"0190f3c4-0000-7000-8000-0000000000b1","number":"PL.01/2024/003","title":"Rekapitulasi hasil Pemilu 2024","classification":"PL.01","year_from":2024,"year_to":2024,"access":"terbuka","stage":"aktif","box_no":"B-014","folder":"3","jra":"PL.01","jra_by":"arsip1","jra_at":"2024-03-02T08:00:00Z","created_at":"2024-03-01T08:00:00Z","created_by":"arsip1","updated_at":"2024-03-02T08:00:00Z","updated_by":"arsip1"}}},{"seq":2,"id":"0190f3c4-0000-7000-8000-000000000002","state":null}]}"#;

    #[test]
    fn a_sealed_segment_opens_only_intact_and_with_its_key() -> Result<()> {
        let key = OfficeKey::from_seed([7; 32]);
        let sealed = seal(&body(), &key)?;
        let (back, hash) = open(&sealed.bytes, &key.public())?;
        assert_eq!(back, body());
        assert_eq!(hash, sealed.hash);
        assert_eq!(back.blobs(), vec!["ab".repeat(32), "cd".repeat(32)]);

        let other = OfficeKey::from_seed([8; 32]).public();
        let err = open(&sealed.bytes, &other).err().map(|e| e.code);
        assert_eq!(err, Some(ErrorCode::SegmentRejected));
        for at in [3, 20, sealed.bytes.len() - 5] {
            let mut flipped = sealed.bytes.clone();
            flipped[at] ^= 0x01;
            let err = open(&flipped, &key.public()).err().map(|e| e.code);
            assert_eq!(err, Some(ErrorCode::SegmentRejected), "flipped byte {at}");
        }
        // Signed by an impostor claiming to be this office: still rejected.
        let mut forged = body();
        forged.office = key.public().to_hex();
        let impostor = seal(&forged, &OfficeKey::from_seed([8; 32]))?;
        assert!(open(&impostor.bytes, &key.public()).is_err());
        Ok(())
    }

    #[test]
    fn head_round_trips_and_is_not_a_segment() -> Result<()> {
        let key = OfficeKey::from_seed([7; 32]);
        let head = Head {
            format: FORMAT,
            office: key.public().to_hex(),
            name: "KPU Kota Bogor".into(),
            to: 2,
            hash: "ef".repeat(32),
        };
        let bytes = seal_head(&head, &key)?;
        assert_eq!(open_head(&bytes, &key.public())?, head);
        assert_eq!(peek_head(&bytes), Some(head));
        assert!(open(&bytes, &key.public()).is_err());
        Ok(())
    }
}
