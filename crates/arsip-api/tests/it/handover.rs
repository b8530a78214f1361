//! A handover list's BagIt package as the admin downloads it: a zip whose
//! one folder the Library of Congress `bagit` validator accepts, holding
//! exactly the list's records and the list.

use crate::pytools;

use arsip_api::{router, Mode};
use arsip_core::catalogue::berkas::{BerkasEdit, NewBerkas};
use arsip_core::catalogue::disposal::DisposalKind;
use arsip_core::catalogue::{NewRecord, RecordEdit};
use arsip_core::disposal::DisposalStep;
use arsip_core::model::StoredFile;
use arsip_core::test_support::RawCatalogue;
use arsip_core::{AccessLevel, Archive, Clearance, RecordId, Role};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// Three records, two of them in a permanent berkas closed in 2000.
fn office(root: &std::path::Path) -> (Archive, Vec<RecordId>, String) {
    drop(Archive::init(root, "KPU Kota Bogor", "32.71").unwrap());
    let blobs = arsip_core::blobs::BlobStore::open(root.join("blobs")).unwrap();
    let records: Vec<NewRecord> = (0..3)
        .map(|i| {
            let text = format!("Daftar pemilih tetap Pemilu 1999 bagian {i}");
            let file = StoredFile {
                name: format!("dpt-{i}.pdf"),
                sha256: blobs.put_bytes(text.as_bytes()).unwrap(),
                media_type: "application/pdf".into(),
                size: text.len() as u64,
            };
            NewRecord::born_digital(format!("DPT {i}"), file, text, AccessLevel::Terbatas, "uji")
        })
        .collect();
    let ids: Vec<RecordId> = records.iter().map(|r| r.id).collect();
    RawCatalogue::open(root)
        .unwrap()
        .insert_records(&records)
        .unwrap();
    let archive = Archive::open(root).unwrap();
    let admin = Clearance::operator("uji");
    let b = archive
        .add_berkas(
            &NewBerkas {
                number: "PL.02/2000/001".into(),
                title: "Daftar pemilih tetap Pemilu 1999".into(),
                classification: Some("PL.02".into()),
                year_to: Some(2000),
                ..NewBerkas::default()
            },
            &admin,
        )
        .unwrap()
        .id;
    let confirm = BerkasEdit {
        jra: Some("PL.02".into()),
        ..BerkasEdit::default()
    };
    archive.edit_berkas(&b, &confirm, &admin).unwrap();
    let file = RecordEdit {
        berkas: Some(b.to_string()),
        ..RecordEdit::default()
    };
    archive.edit_many(&ids[..2], &file, &admin).unwrap();
    let list = archive
        .propose(DisposalKind::Serah, &[b], "", &admin)
        .unwrap()
        .id;
    for step in [
        DisposalStep::Assess {
            assessment: "Diverifikasi DISPUSIP".into(),
        },
        DisposalStep::Approve {
            approval_ref: "Nomor 45/2026".into(),
        },
    ] {
        archive.disposal_step(&list, &step, &admin).unwrap();
    }
    archive
        .set_user("admin1", Role::Admin, "kata-sandi-uji", "uji")
        .unwrap();
    (archive, ids, list)
}

#[test]
fn a_handover_package_downloads_as_a_zip_whose_bag_validates() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, ids, list) = office(&dir.path().join("a"));
    let archive = std::sync::Arc::new(archive);
    let app = router(archive.clone(), Mode::Office);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let send = |req: Request<Body>| {
        rt.block_on(async {
            let res = app.clone().oneshot(req).await.unwrap();
            let status = res.status();
            let headers = res.headers().clone();
            let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
            (status, headers, body)
        })
    };
    let (status, _, body) = send(
        Request::post("/api/login")
            .header("content-type", "application/json")
            .body(Body::from(
                serde_json::json!({"name": "admin1", "password": "kata-sandi-uji"}).to_string(),
            ))
            .unwrap(),
    );
    assert_eq!(status, StatusCode::OK);
    let token: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let token = token["token"].as_str().unwrap().to_string();
    let (status, headers, zip) = send(
        Request::get(format!("/api/disposals/{list}/bag.zip"))
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap(),
    );
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&zip));
    assert_eq!(headers["content-type"], "application/zip");
    assert_eq!(headers["content-length"], zip.len().to_string().as_str());
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains(".zip"));

    let path = dir.path().join("paket.zip");
    std::fs::write(&path, &zip).unwrap();
    let out = dir.path().join("buka");
    let unzip = std::process::Command::new(pytools::py_tool("python"))
        .args(["-m", "zipfile", "-e"])
        .arg(&path)
        .arg(&out)
        .output()
        .unwrap();
    assert!(unzip.status.success(), "{unzip:?}");
    let folders: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(folders.len(), 1, "one bag folder: {folders:?}");
    let bag = &folders[0];
    let checked = std::process::Command::new(pytools::py_tool("bagit.py"))
        .arg("--validate")
        .arg(bag)
        .output()
        .unwrap();
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    for id in &ids[..2] {
        assert!(bag.join("data").join(id.to_string()).is_dir(), "{id}");
    }
    assert!(!bag.join("data").join(ids[2].to_string()).exists());
    let listed = std::fs::read_to_string(bag.join("data/daftar-arsip-statis.csv")).unwrap();
    assert!(listed.contains("PL.02/2000/001"), "{listed}");

    // AtoM's description nests the records under their berkas (a File).
    let script = r#"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
files = [r for r in rows if r["levelOfDescription"] == "File"]
items = [r for r in rows if r["levelOfDescription"] == "Item"]
print(json.dumps({"files": [[f["legacyId"], f["identifier"], f["parentId"], f["eventDates"]] for f in files],
                  "parents": [i["parentId"] for i in items]}))
"#;
    let out = std::process::Command::new(pytools::py_tool("python"))
        .args(["-c", script])
        .arg(bag.join("data/atom.csv"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = got["files"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{got}");
    assert_eq!(files[0][1], "PL.02/2000/001");
    assert_eq!(files[0][2], "fonds");
    assert_eq!(files[0][3], "2000");
    assert_eq!(
        got["parents"],
        serde_json::json!([files[0][0], files[0][0]])
    );

    // One copy out, one entry in the trail: the package, naming the list.
    let trail = archive
        .audit_log(None, 50, &Clearance::operator("uji"))
        .unwrap();
    let copies: Vec<_> = trail
        .iter()
        .filter(|e| e.action.starts_with("export."))
        .map(|e| (e.action.as_str(), e.target.as_str()))
        .collect();
    assert_eq!(copies, [("export.bag", list.as_str())]);
}
