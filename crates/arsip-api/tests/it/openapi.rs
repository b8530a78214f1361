//! The OpenAPI document: current in the repository (the UI's types are made
//! from the committed copy), and every operation it lists is really served.

use super::{call, fixture, login};
use arsip_api::Mode;
use axum::http::StatusCode;

fn committed_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/api/openapi.json")
}

#[test]
fn the_committed_document_is_current() {
    let served = call(Mode::Office, "GET", "/api/openapi.json", None, None);
    assert_eq!(served.status, StatusCode::OK);
    let doc = serde_json::to_string_pretty(&served.json()).unwrap() + "\n";
    let path = committed_path();
    if std::env::var_os("ARSIP_UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &doc).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == doc,
        "{} is stale: run ARSIP_UPDATE_OPENAPI=1 cargo test -p arsip-api --test it openapi, then npm --prefix ui run types",
        path.display()
    );
}

#[test]
fn every_documented_operation_is_served() {
    let f = fixture();
    let admin = login("admin1");
    let (_, id, sha) = &f.records[0];
    let doc = arsip_api::openapi();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 15, "{}", paths.len());
    for (path, ops) in paths {
        let uri = path
            .replace("{id}", &id.to_string())
            .replace("{n}", "1")
            .replace("{index}", "0")
            .replace("{v}", "1")
            .replace("{sha256}", sha);
        for (method, _) in ops.as_object().unwrap() {
            let method = method.to_uppercase();
            if path == "/api/logout" {
                continue; // It would end the session the rest of the loop uses.
            }
            // Writes go to an unknown record, so this test changes nothing.
            let uri = if path == "/api/imports/{id}" {
                "/api/imports/999999".to_string()
            } else if method != "GET" {
                uri.replace(&id.to_string(), &arsip_core::RecordId::new().to_string())
            } else {
                uri.clone()
            };
            let r = call(Mode::Office, &method, &uri, Some(&admin), None);
            assert_ne!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            // The fixture's records hold no result table: theirs is a 404.
            // Nor is a record's id a berkas's or a box's.
            let absent = path == "/api/imports/{id}"
                || path.starts_with("/api/records/{id}/recap")
                || path.starts_with("/api/records/{id}/versions/{v}")
                || path == "/api/berkas/{id}"
                || path == "/api/boxes/{id}"
                || path.starts_with("/api/loans/{id}")
                || path.starts_with("/api/disposals/{id}");
            if method == "GET" && !absent {
                assert_eq!(r.status, StatusCode::OK, "{method} {path}: {}", r.text());
            } else if r.status == StatusCode::NOT_FOUND {
                // A 404 must be the handler's (an unknown record or import),
                // never the missing-route fallback. Both say "not found" in
                // the same words, so the route shows itself otherwise: a
                // method it does not take is refused as such (405), where a
                // path nobody routes is 404 whatever the method.
                let ops = ops.as_object().unwrap();
                let other = ["GET", "POST", "PUT", "PATCH", "DELETE"]
                    .into_iter()
                    .find(|m| !ops.contains_key(&m.to_lowercase()));
                if let Some(other) = other {
                    let r = call(Mode::Office, other, &uri, Some(&admin), None);
                    assert_eq!(
                        r.status,
                        StatusCode::METHOD_NOT_ALLOWED,
                        "{method} {path} is not routed"
                    );
                }
            }
        }
    }
}
