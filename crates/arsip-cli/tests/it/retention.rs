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

    // Where it will sit: a shelf in a building, a box received onto it.
    for args in [
        vec!["place", "add", "gedung", "Gedung Sekretariat"],
        vec!["place", "add", "rak", "Rak 2", "--in", "Gedung Sekretariat"],
        vec![
            "box",
            "add",
            "B-12",
            "--place",
            "Gedung Sekretariat > Rak 2",
            "--from",
            "PPK Bogor Tengah",
            "--on",
            "2024-03-01",
        ],
    ] {
        let out = arsip(&archive).args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
    }
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
            "--folder",
            "3",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("PL.05/2019/001 dibuat"), "{said}");
    let out = arsip(&archive)
        .args(["box", "show", "B-12"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("Gedung Sekretariat › Rak 2") && said.contains("map 3: PL.05/2019/001"),
        "{said}"
    );

    // Its label printed on a sheet, photographed (rasterised), read back.
    let pdf = dir.path().join("label.pdf");
    let out = arsip(&archive)
        .args([
            "label", "print", "--box", "B-12", "--layout", "sheet14", "-o",
        ])
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let png = dir.path().join("label");
    let drawn = std::process::Command::new("pdftoppm")
        .args(["-r", "200", "-png", "-gray", "-singlefile"])
        .arg(&pdf)
        .arg(&png)
        .status()
        .unwrap();
    assert!(drawn.success());
    let out = arsip(&archive)
        .args(["label", "read"])
        .arg(png.with_extension("png"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Label boks B-12"),
        "{out:?}"
    );
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
