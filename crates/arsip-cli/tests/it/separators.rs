//! `arsip separators`: sheets printed from the terminal, one per TPS, and a
//! stack scanned behind them ingested as one record per document.

use crate::{arsip, init, json_lines};

#[test]
fn sheets_printed_per_tps_split_the_stack_they_were_scanned_with() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("arsip");
    init(&archive);
    let sheets = dir.path().join("lembar.pdf");
    let out = arsip(&archive)
        .args(["separators", "--tps", "1-3", "--type", "berita-acara", "-o"])
        .arg(&sheets)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("3 lembar pemisah"));
    let text = std::process::Command::new("pdftotext")
        .arg(&sheets)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    for tps in ["001", "002", "003"] {
        assert!(text.contains(tps), "TPS {tps} in {text}");
    }
    let refused = arsip(&archive)
        .args(["separators", "--type", "tidak-ada", "-o"])
        .arg(dir.path().join("x.pdf"))
        .output()
        .unwrap();
    assert!(!refused.status.success(), "an unknown type is refused");
    assert!(!dir.path().join("x.pdf").exists());

    let scans = dir.path().join("pindaian");
    let truth =
        arsip_core::corpus::batch::separated_batch(&scans, "tumpukan.pdf", 2, 3, 150, false)
            .unwrap();
    let out = arsip(&archive)
        .args(["--json", "ingest"])
        .arg(scans.join(&truth.file))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let lines = json_lines(&out);
    let report = lines
        .iter()
        .find(|l| l["split"].is_array())
        .unwrap_or_else(|| panic!("a split report in {lines:?}"));
    let ranges: Vec<&serde_json::Value> = report["split"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["range"])
        .collect();
    let expected: Vec<serde_json::Value> = truth
        .documents
        .iter()
        .map(|d| serde_json::json!(d.range))
        .collect();
    assert_eq!(ranges, expected.iter().collect::<Vec<_>>());
}
