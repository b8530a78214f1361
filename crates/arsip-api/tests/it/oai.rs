//! The OAI-PMH provider harvested completely by a real harvester (Sickle,
//! from the test venv) over TCP, across resumption tokens; and the protocol's
//! errors, including that a restricted record does not exist for a harvester.

use crate::pytools;

use arsip_api::{router, Mode};
use arsip_core::catalogue::{NewRecord, RecordEdit};
use arsip_core::model::StoredFile;
use arsip_core::test_support::RawCatalogue;
use arsip_core::{AccessLevel, Archive, RecordId};
use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

const NIK: &str = "3271061806741533";

/// 350 records (three pages of a list): two in three Terbuka (one of them naming a NIK), the rest Terbatas.
fn archive(dir: &std::path::Path) -> (Arc<Archive>, Vec<String>, Vec<String>) {
    let root = dir.join("a");
    drop(Archive::init(&root, "KPU Kota Bogor", "32.71").unwrap());
    let blobs = arsip_core::blobs::BlobStore::open(root.join("blobs")).unwrap();
    let mut cat = RawCatalogue::open(&root).unwrap();
    let (mut public, mut restricted) = (Vec::new(), Vec::new());
    let records: Vec<NewRecord> = (0..350)
        .map(|i| {
            let text = format!("Berita acara nomor {i} tentang rekapitulasi suara");
            let hash = blobs.put_bytes(text.as_bytes()).unwrap();
            let access = if i % 3 == 2 {
                AccessLevel::Terbatas
            } else {
                AccessLevel::Terbuka
            };
            let id = RecordId::new();
            if access == AccessLevel::Terbuka {
                &mut public
            } else {
                &mut restricted
            }
            .push(id.to_string());
            let title = if i == 0 {
                format!("Daftar pemilih NIK {NIK}")
            } else {
                format!("Berita Acara {i}")
            };
            let file = StoredFile {
                name: format!("ba-{i}.pdf"),
                sha256: hash,
                media_type: "application/pdf".into(),
                size: text.len() as u64,
            };
            NewRecord {
                id,
                series: Some(if i < 50 { "Pemilu 2019" } else { "Pemilu 2024" }.into()),
                metadata: RecordEdit {
                    doc_type: Some("berita-acara".into()),
                    doc_date: Some("2024-02-20".into()),
                    ..RecordEdit::default()
                },
                ..NewRecord::born_digital(title, file, text, access, "uji")
            }
        })
        .collect();
    cat.insert_records(&records).unwrap();
    drop(cat);
    public.sort();
    (Arc::new(Archive::open(&root).unwrap()), public, restricted)
}

fn get(app: &axum::Router, rt: &tokio::runtime::Runtime, uri: &str) -> String {
    rt.block_on(async {
        let res = app
            .clone()
            .oneshot(
                Request::get(uri)
                    .header("host", "arsip.test")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.headers()["content-type"], "text/xml; charset=utf-8");
        String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
    })
}

#[test]
fn a_real_harvester_gets_every_public_record_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, public, restricted) = archive(dir.path());
    assert!(
        public.len() > 2 * arsip_api::OAI_PAGE,
        "the harvest spans pages"
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(archive.clone(), Mode::Office);
    rt.spawn(async move { axum::serve(listener, app).await });

    let script = r#"
import json, sys
from sickle import Sickle
s = Sickle(sys.argv[1])
records = [{"id": r.header.identifier, "title": r.metadata.get("title", [""])[0],
            "sets": r.header.setSpecs} for r in s.ListRecords(metadataPrefix="oai_dc")]
ids = [h.identifier for h in s.ListIdentifiers(metadataPrefix="oai_dc", set="seri-1")]
print(json.dumps({"records": records, "set": ids}))
"#;
    let out = std::process::Command::new(pytools::py_tool("python"))
        .args(["-c", script, &format!("http://{addr}/oai")])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut ids: Vec<String> = got["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["id"]
                .as_str()
                .unwrap()
                .trim_start_matches("oai:rpp-arsip:")
                .to_string()
        })
        .collect();
    let harvested = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), harvested, "no record twice across pages");
    assert_eq!(
        ids, public,
        "every public record, through the resumption tokens"
    );
    assert!(restricted.iter().all(|r| !ids.contains(r)));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains(NIK), "no NIK reaches a harvester");
    // Set seri-1 is "Pemilu 2019": records 0..50, two in three public.
    assert_eq!(got["set"].as_array().unwrap().len(), 34);
}

#[test]
fn protocol_errors_and_restricted_records() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, public, restricted) = archive(dir.path());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let app = router(archive, Mode::Office);
    let check = |uri: &str, needle: &str| {
        let body = get(&app, &rt, uri);
        assert!(body.contains(needle), "{uri}: {body}");
    };
    check(
        "/oai?verb=Identify",
        "<baseURL>http://arsip.test/oai</baseURL>",
    );
    check("/oai?verb=Nonsense", "code=\"badVerb\"");
    check("/oai", "code=\"badVerb\"");
    check("/oai?verb=ListRecords", "code=\"badArgument\"");
    check(
        "/oai?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc",
        "code=\"badArgument\"",
    );
    check(
        "/oai?verb=ListRecords&metadataPrefix=marc21",
        "code=\"cannotDisseminateFormat\"",
    );
    check(
        "/oai?verb=ListRecords&resumptionToken=zz",
        "code=\"badResumptionToken\"",
    );
    check(
        "/oai?verb=ListRecords&metadataPrefix=oai_dc&from=2999-01-01",
        "code=\"noRecordsMatch\"",
    );
    check(
        "/oai?verb=ListRecords&metadataPrefix=oai_dc&from=kemarin",
        "code=\"badArgument\"",
    );
    let open = format!(
        "/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:rpp-arsip:{}",
        public[1]
    );
    check(&open, "<dc:title>Berita Acara");
    // A restricted record does not exist for a harvester, even by its id.
    let closed = format!(
        "/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:rpp-arsip:{}",
        restricted[0]
    );
    check(&closed, "code=\"idDoesNotExist\"");
}
