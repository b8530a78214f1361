//! Personal numbers in every shape and every field never reach the public
//! (issue 10, item 3): generated NIKs written plainly, with separators,
//! after prefixes, as OCR bends them and behind a table rule, placed in a
//! record's title, description, number, TPS, folder, file name or page
//! text. Every public output is checked (view, search, list, export,
//! harvest), the records are flagged, the public cannot find them by the
//! number, and the staff can.

use arsip_core::catalogue::{NewRecord, RecordEdit};
use arsip_core::harvest::HarvestQuery;
use arsip_core::model::StoredFile;
use arsip_core::test_support::RawCatalogue;
use arsip_core::{AccessLevel, Archive, Clearance, RecordId, Role, SearchRequest};

/// xorshift64*: deterministic, no crate needed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn nik(rng: &mut Rng) -> String {
    let provinces = [11, 12, 13, 31, 32, 33, 34, 35, 36, 51, 61, 73, 91, 94];
    let day = 1 + rng.below(31) + if rng.below(2) == 0 { 0 } else { 40 };
    format!(
        "{:02}{:02}{:02}{:02}{:02}{:02}{:04}",
        provinces[rng.below(provinces.len() as u64) as usize],
        1 + rng.below(79),
        1 + rng.below(40),
        day,
        1 + rng.below(12),
        rng.below(100),
        1 + rng.below(9999)
    )
}

/// The NIK written in one of the shapes people and scanners produce.
fn shape(nik: &str, rng: &mut Rng) -> String {
    let g = |sizes: &[usize], sep: &str| {
        let mut out = Vec::new();
        let mut at = 0;
        for s in sizes {
            out.push(&nik[at..at + s]);
            at += s;
        }
        out.join(sep)
    };
    let confused = || {
        nik.char_indices()
            .map(|(i, c)| match (i % 5, c) {
                (1, '0') => 'O',
                (3, '1') => 'l',
                (2, '5') => 'S',
                _ => c,
            })
            .collect::<String>()
    };
    match rng.below(12) {
        0 => nik.to_string(),
        1 => g(&[4, 4, 4, 4], "-"),
        2 => g(&[4, 4, 4, 4], " "),
        3 => g(&[6, 6, 4], " "),
        4 => g(&[2, 2, 2, 6, 4], "."),
        5 => format!("NIK{nik}"),
        6 => format!("NIK: {nik}"),
        7 => confused(),
        8 => format!("1{nik}"),
        9 => format!("|{nik}"),
        10 => format!("{nik}7"),
        _ => g(&[6, 10], "-"),
    }
}

const FIELDS: [&str; 7] = [
    "title",
    "description",
    "number",
    "tps",
    "folder",
    "file",
    "page",
];

/// True when 15 digits stand together anywhere but inside a content hash
/// (64 hex digits, which may hold long runs of decimal digits by chance).
fn has_long_digit_run(text: &str) -> bool {
    let mut without_hashes = String::with_capacity(text.len());
    let mut hex = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_hexdigit() {
            hex.push(c);
            continue;
        }
        if hex.len() < 32 {
            without_hashes.push_str(&hex);
        }
        hex.clear();
        without_hashes.push(c);
    }
    let mut run = 0;
    for c in without_hashes.chars() {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        if run >= 15 {
            return true;
        }
    }
    false
}

#[test]
fn no_shape_of_a_personal_number_reaches_the_public() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("a");
    drop(Archive::init(&root, "KPU Kota Bogor", "32.71").unwrap());
    let blobs = arsip_core::blobs::BlobStore::open(root.join("blobs")).unwrap();
    let mut rng = Rng(0x5eed_2026);
    let mut cases = Vec::new();
    let mut records = Vec::new();
    for i in 0..140 {
        let nik = nik(&mut rng);
        let written = shape(&nik, &mut rng);
        let field = FIELDS[i % FIELDS.len()];
        let text = format!("Daftar pemilih TPS 00{} RT 03 nomor {i}", i % 9);
        let hash = blobs.put_bytes(format!("{text} {i}").as_bytes()).unwrap();
        let name = if field == "file" {
            format!("dpt_{written}.jpg")
        } else {
            format!("dpt-{i}.jpg")
        };
        let page = if field == "page" {
            format!("{text}\n1 SITI AMINAH {written} L\n")
        } else {
            text.clone()
        };
        let file = StoredFile {
            name,
            sha256: hash,
            media_type: "image/jpeg".into(),
            size: 10,
        };
        let title = if field == "title" {
            format!("DPT {written}")
        } else {
            format!("Daftar pemilih {i}")
        };
        let mut record = NewRecord::born_digital(title, file, page, AccessLevel::Terbuka, "uji");
        let value = Some(written.clone());
        record.metadata = match field {
            "description" => RecordEdit {
                description: value,
                ..RecordEdit::default()
            },
            "number" => RecordEdit {
                number: value,
                ..RecordEdit::default()
            },
            "tps" => RecordEdit {
                tps: value,
                ..RecordEdit::default()
            },
            "folder" => RecordEdit {
                folder: value,
                ..RecordEdit::default()
            },
            _ => RecordEdit::default(),
        };
        cases.push((record.id, nik, written, field));
        records.push(record);
    }
    RawCatalogue::open(&root)
        .unwrap()
        .insert_records(&records)
        .unwrap();
    let archive = Archive::open(&root).unwrap();
    let public = Clearance::public();
    let staff = Clearance::operator("uji").narrowed(Role::Sekretariat);

    let leaks = |output: &str, nik: &str, written: &str| {
        output.contains(nik) || output.contains(written) || has_long_digit_run(output)
    };
    let all = SearchRequest {
        limit: 200,
        ..SearchRequest::new("")
    };
    let search = serde_json::to_string(&archive.search(&all, &public).unwrap()).unwrap();
    let list = serde_json::to_string(&archive.list(&public).unwrap()).unwrap();
    let csv = archive.export_search(&all, &public).unwrap();
    let harvest = format!(
        "{:?}",
        archive
            .harvest(
                &HarvestQuery {
                    limit: 500,
                    ..HarvestQuery::default()
                },
                &public
            )
            .unwrap()
            .records
            .iter()
            .map(|h| &h.record)
            .collect::<Vec<_>>()
    );
    let mut failures = Vec::new();
    for (id, nik, written, field) in &cases {
        let view = serde_json::to_string(&archive.record(id, &public).unwrap()).unwrap();
        for (output, what) in [
            (&view, "record"),
            (&search, "search"),
            (&list, "list"),
            (&csv, "export"),
            (&harvest, "harvest"),
        ] {
            if leaks(output, nik, written) {
                failures.push(format!(
                    "{written:?} in {field} reached the public's {what}"
                ));
            }
        }
        let staff_view = archive.record(id, &staff).unwrap();
        if !staff_view.record.personal_data {
            failures.push(format!("{written:?} in {field}: record not flagged"));
        }
        // The public cannot ask whether a person is in the archive...
        let by_number = |typed: &str, who: &Clearance| -> Vec<RecordId> {
            let out = archive.search(&SearchRequest::new(typed), who).unwrap();
            out.hits
                .iter()
                .filter_map(|h| RecordId::parse(&h.id).ok())
                .collect()
        };
        for typed in [nik.as_str(), written.as_str()] {
            if !by_number(typed, &public).is_empty() {
                failures.push(format!(
                    "the public found {written:?} ({field}) by typing {typed:?}"
                ));
            }
        }
        // ...and the staff find the record by the number, however it was written.
        if !by_number(nik, &staff).contains(id) {
            failures.push(format!("staff cannot find {written:?} in {field} by {nik}"));
        }
    }
    println!(
        "{} personal numbers in {} shapes and {} fields checked",
        cases.len(),
        12,
        FIELDS.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[cfg(unix)]
#[test]
fn the_archive_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("a");
    drop(Archive::init(&root, "KPU Kota Bogor", "32.71").unwrap());
    let catalogue = root.join(arsip_core::archive::CATALOGUE_FILE);
    assert_eq!(mode(&root), 0o700);
    assert_eq!(mode(&catalogue), 0o600, "every NIK and the password hashes");
    // An archive made before the rule is closed when it is opened.
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&catalogue, std::fs::Permissions::from_mode(0o644)).unwrap();
    drop(Archive::open(&root).unwrap());
    assert_eq!(mode(&root), 0o700);
    assert_eq!(mode(&catalogue), 0o600);
    for wal in ["-wal", "-shm"] {
        let p = root.join(format!("{}{wal}", arsip_core::archive::CATALOGUE_FILE));
        if p.exists() {
            assert_eq!(mode(&p) & 0o077, 0, "{wal}");
        }
    }
}
