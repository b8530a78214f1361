//! `arsip berkas` and `arsip retention`: an archivist at the terminal makes
//! a berkas, files records into it, confirms its JRA row, and lists what
//! falls due on a day; an office imports its own schedule.

use crate::{arsip, init, json_lines};
use arsip_core::corpus::{self, CorpusOptions, Format};

#[test]
fn a_berkas_made_filed_and_confirmed_falls_due_in_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let truths = corpus::generate(
        &input,
        &CorpusOptions {
            records: 2,
            seed: 5,
            dpi: 100,
            turn_every: 0,
            formats: vec![Format::TextPdf],
            kinds: Vec::new(),
        },
    )
    .unwrap();
    let archive = dir.path().join("arsip");
    init(&archive);
    let out = arsip(&archive)
        .args(["--json", "ingest"])
        .args(corpus::paths(&input, &truths))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let ids: Vec<String> = json_lines(&out)
        .iter()
        .filter_map(|l| l["id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(ids.len(), 2, "{out:?}");

    let out = arsip(&archive)
        .args([
            "berkas",
            "add",
            "PL.05/2019/001",
            "--title",
            "Distribusi logistik Pemilu 2019",
            "--classification",
            "PL.05",
            "--to",
            "2019",
            "--box",
            "B-12",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("PL.05/2019/001 dibuat"), "{said}");
    assert!(said.contains("disarankan: PL.05"), "{said}");
    let again = arsip(&archive)
        .args(["berkas", "add", "PL.05/2019/001", "--title", "Lagi"])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("sudah dipakai"),
        "{again:?}"
    );

    let out = arsip(&archive)
        .args(["berkas", "file", "PL.05/2019/001"])
        .args(&ids)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 arsip dimasukkan"));

    let out = arsip(&archive)
        .args(["retention", "--on", "2022-01-01"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("Belum dikonfirmasi JRA-nya: 1"), "{said}");

    let out = arsip(&archive)
        .args(["berkas", "jra", "PL.05/2019/001"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("pindah 2022-01-01, akhir retensi 2025-01-01"),
        "{said}"
    );

    // A closing year typed wrong is put right from the terminal too.
    let out = arsip(&archive)
        .args(["berkas", "edit", "PL.05/2019/001", "--to", "2020"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("pindah 2023-01-01"),
        "{out:?}"
    );
    let out = arsip(&archive)
        .args(["berkas", "edit", "PL.05/2019/001", "--to", "2019"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = arsip(&archive)
        .args(["--json", "retention", "--on", "2025-03-01"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let report = &json_lines(&out)[0]["retention"];
    assert_eq!(report["assess"][0]["number"], "PL.05/2019/001", "{report}");
    assert_eq!(report["assess"][0]["records"], 2);
    assert_eq!(report["unfiled"], 0);

    // The office's own schedule, as a spreadsheet in an Indonesian locale
    // saves it, replaces the shipped row.
    let csv = dir.path().join("jra.csv");
    std::fs::write(
        &csv,
        "code;series;active_years;inactive_years;outcome;note\nPL.05;Logistik Pemilu;5;5;Musnah;PKPU 17/2023\n",
    )
    .unwrap();
    let out = arsip(&archive)
        .args(["vocab", "import", "jra"])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = arsip(&archive)
        .args(["--json", "retention", "--on", "2025-03-01"])
        .output()
        .unwrap();
    let report = &json_lines(&out)[0]["retention"];
    assert_eq!(report["assess"].as_array().unwrap().len(), 0, "{report}");
    assert_eq!(report["transfer"][0]["schedule"]["final_on"], "2030-01-01");
}
