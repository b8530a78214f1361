//! `arsip export bag` checked by the Library of Congress `bagit` validator,
//! and `arsip export atom-csv` read by Python's csv module: AtoM's column set,
//! the fonds → series → item hierarchy. Both tools come from `bash
//! scripts/setup.sh --test` (a venv in ~/.cache/rpp-arsip/pytools).

use crate::pytools::py_tool;
use crate::{arsip, init, json_lines};
use arsip_core::corpus::{self, CorpusOptions, Format};
use std::path::{Path, PathBuf};
use std::process::Command;

/// An office with two records in the series "Pemilu 2024" and one outside it.
fn office(dir: &Path) -> PathBuf {
    let archive = dir.join("kantor");
    init(&archive);
    let input = dir.join("masuk");
    let truths = corpus::generate(
        &input,
        &CorpusOptions {
            records: 3,
            seed: 44,
            dpi: 100,
            turn_every: 0,
            formats: vec![Format::TextPdf],
            kinds: Vec::new(),
        },
    )
    .unwrap();
    let paths = corpus::paths(&input, &truths);
    let out = arsip(&archive)
        .args(["ingest", "--series", "Pemilu 2024"])
        .args(&paths[..2])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = arsip(&archive)
        .arg("ingest")
        .arg(&paths[2])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    archive
}

#[test]
fn a_bag_of_one_series_validates_with_the_library_of_congress_tool() {
    let dir = tempfile::tempdir().unwrap();
    let archive = office(dir.path());
    let bag = dir.path().join("serah-terima");
    let out = arsip(&archive)
        .args(["--json", "export", "bag", "--series", "Pemilu 2024"])
        .arg(&bag)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(json_lines(&out)[0]["bag"]["records"], 2);

    let validate = |bag: &Path| {
        Command::new(py_tool("bagit.py"))
            .arg("--validate")
            .arg(bag)
            .output()
            .unwrap()
    };
    // Unmasked text and originals: the bag is its owner's only.
    #[cfg(unix)]
    for entry in walkdir::WalkDir::new(&bag) {
        use std::os::unix::fs::PermissionsExt;
        let entry = entry.unwrap();
        let mode = entry.metadata().unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{} is {mode:o}", entry.path().display());
    }
    let checked = validate(&bag);
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    let folders = std::fs::read_dir(bag.join("data"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .count();
    assert_eq!(folders, 2, "one folder per record of the series");

    // The validator is real: one changed byte in an original fails it.
    let record = std::fs::read_dir(bag.join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap();
    let text = record.join("teks.txt");
    let mut bytes = std::fs::read(&text).unwrap();
    bytes[0] ^= 0x01;
    std::fs::write(&text, bytes).unwrap();
    assert!(!validate(&bag).status.success());

    // The bag's name is never half-written, and never overwritten.
    let again = arsip(&archive)
        .args(["export", "bag"])
        .arg(&bag)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2), "{again:?}");
    let unknown = arsip(&archive)
        .args(["export", "bag", "--series", "Tidak Ada"])
        .arg(dir.path().join("lain"))
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(!dir.path().join("lain").exists());
}

#[test]
fn the_atom_csv_has_atoms_columns_and_hierarchy() {
    let dir = tempfile::tempdir().unwrap();
    let archive = office(dir.path());
    let csv = dir.path().join("atom.csv");
    let out = arsip(&archive)
        .args(["export", "atom-csv"])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let script = r#"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    header = next(csv.reader(f))
print(json.dumps({"header": header, "rows": rows}))
"#;
    let out = Command::new(py_tool("python"))
        .args(["-c", script])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let parsed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let header: Vec<&str> = parsed["header"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    assert_eq!(header, arsip_core::handover::ATOM_COLUMNS);
    let rows = parsed["rows"].as_array().unwrap();
    let level = |r: &serde_json::Value| r["levelOfDescription"].as_str().unwrap().to_string();
    let levels: Vec<String> = rows.iter().map(level).collect();
    assert_eq!(levels.iter().filter(|l| *l == "Fonds").count(), 1);
    assert_eq!(levels.iter().filter(|l| *l == "Series").count(), 1);
    assert_eq!(levels.iter().filter(|l| *l == "Item").count(), 3);
    let series = rows.iter().find(|r| level(r) == "Series").unwrap();
    assert_eq!(series["title"], "Pemilu 2024");
    assert_eq!(series["parentId"], "fonds");
    let in_series = rows
        .iter()
        .filter(|r| level(r) == "Item" && r["parentId"] == series["legacyId"])
        .count();
    assert_eq!(in_series, 2);
    for item in rows.iter().filter(|r| level(r) == "Item") {
        assert!(!item["title"].as_str().unwrap().is_empty());
        assert_eq!(
            item["accessConditions"], "Terbatas",
            "new records are Terbatas"
        );
        assert_eq!(
            item["publicationStatus"], "Draft",
            "only Terbuka records are published"
        );
        assert_eq!(item["digitalObjectChecksum"].as_str().unwrap().len(), 64);
    }
}
