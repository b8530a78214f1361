//! The sync screen's endpoints: archivists and admins see what is waiting
//! and push; nobody else may, and a push to a flash-drive folder through the
//! API leaves a log a province can read.

use crate::{call, fixture, login};
use arsip_api::Mode;
use axum::http::StatusCode;
use serde_json::json;

/// One push at a time on the shared archive: two sealing the same changes at
/// once race (the core does not yet serialise pushes in one process).
static PUSHES: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_push_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    PUSHES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[test]
fn only_archivists_and_admins_sync() {
    let _one = one_push_at_a_time();
    let drive = tempfile::tempdir().unwrap();
    let target = format!("file://{}", drive.path().join("rpp").display());
    for who in ["sekre1", "publik1"] {
        let token = login(who);
        let r = call(Mode::Office, "GET", "/api/sync", Some(&token), None);
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {}", r.text());
        let r = call(
            Mode::Office,
            "POST",
            "/api/sync/push",
            Some(&token),
            Some(json!({"target": target})),
        );
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
    }
    let r = call(Mode::Office, "GET", "/api/sync", None, None);
    assert_eq!(r.status, StatusCode::FORBIDDEN, "anonymous");
    let admin = login("admin1");
    let r = call(
        Mode::Kiosk,
        "POST",
        "/api/sync/push",
        Some(&admin),
        Some(json!({"target": target})),
    );
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "the kiosk is the public, whatever token it carries"
    );
    assert!(!drive.path().join("rpp").exists(), "nothing was written");

    // A flash drive or folder must be approved by the admin before an
    // archivist may copy the archive to it; the admin's push approves it.
    let token = login("arsip1");
    let push = |who: &str| {
        call(
            Mode::Office,
            "POST",
            "/api/sync/push",
            Some(who),
            Some(json!({"target": target})),
        )
    };
    let r = push(&token);
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "target_not_approved");
    assert!(!drive.path().join("rpp").exists(), "nothing was written");
    let r = push(&admin);
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let pushed = r.json();
    let r = push(&token);
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["head"], pushed["head"], "nothing new to send");
    // The approval is of that drive, not of its path: another drive
    // mounted at the same place is refused until the admin sends to it.
    let swapped = drive.path().join("rpp-lama");
    std::fs::rename(drive.path().join("rpp"), &swapped).unwrap();
    std::fs::create_dir(drive.path().join("rpp")).unwrap();
    let r = push(&token);
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "target_not_approved");
    let written = std::fs::read_dir(drive.path().join("rpp")).unwrap().count();
    assert_eq!(written, 0, "nothing written to the other drive");
    std::fs::remove_dir(drive.path().join("rpp")).unwrap();
    std::fs::rename(&swapped, drive.path().join("rpp")).unwrap();
    let conn =
        rusqlite::Connection::open(fixture().archive.root().join("catalogue.sqlite")).unwrap();
    let audited: Vec<(String, String)> = conn
        .prepare("SELECT actor, action FROM audit WHERE target = ?1 ORDER BY seq")
        .unwrap()
        .query_map([&target], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let expected = [
        ("admin1", "sync.target.approve"),
        ("admin1", "sync.push"),
        ("arsip1", "sync.push"),
    ];
    assert_eq!(
        audited,
        expected.map(|(a, b)| (a.to_string(), b.to_string())),
        "who copied the archive where"
    );
    assert!(pushed["blobs_sent"].as_u64().unwrap() >= fixture().records.len() as u64);
    let r = call(Mode::Office, "GET", "/api/sync", Some(&token), None);
    let status = r.json();
    let t = status["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["url"] == target.as_str())
        .cloned();
    let t = t.unwrap_or_else(|| panic!("{status}"));
    assert_eq!(t["sent_seq"], pushed["head"]);
    assert_eq!(status["key"].as_str().unwrap().len(), 64);

    let r = call(
        Mode::Office,
        "POST",
        "/api/sync/push",
        Some(&admin),
        Some(json!({"target": "ftp://x"})),
    );
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["code"], "target_invalid");
    let r = call(Mode::Office, "GET", "/api/sync", Some(&admin), None);
    assert!(
        !r.text().contains("ftp://x"),
        "a bad address is not approved"
    );
}

/// Issue 13: the sync screen's words. A send that fails on the drive is
/// told in the reader's words, on the spot and later in the status, never
/// in the operating system's ("File exists (os error 17)") nor with the
/// drive's path; what waits is counted in records and files, and a send
/// says how many of each it carried.
#[test]
fn a_send_is_told_in_words_with_what_waits_in_records_and_files() {
    let _one = one_push_at_a_time();
    use arsip_core::strings::error_text;
    use arsip_core::{ErrorCode, Lang};
    let drive = tempfile::tempdir().unwrap();
    let folder = drive.path().join("rpp");
    std::fs::create_dir(&folder).unwrap();
    // Something on the drive where the archive's files go: every file sent fails.
    std::fs::write(folder.join("blobs"), b"bukan folder").unwrap();
    let target = format!("file://{}", folder.display());
    let admin = login("admin1");
    let status = |lang: Option<&str>| {
        let r = crate::call_with(Mode::Office, "GET", "/api/sync", Some(&admin), None, lang);
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let s = r.json();
        let t = s["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["url"] == target.as_str())
            .cloned();
        (s.clone(), t)
    };
    let in_words = |message: &str, lang: Lang| {
        assert!(
            ErrorCode::ALL
                .iter()
                .any(|c| message == error_text(*c, lang)),
            "{message}"
        );
        for systems in ["os error", "File exists", "Not a directory", "rpp", "/"] {
            assert!(!message.contains(systems), "{systems}: {message}");
        }
    };
    let push = || {
        call(
            Mode::Office,
            "POST",
            "/api/sync/push",
            Some(&admin),
            Some(json!({"target": target})),
        )
    };

    let r = push();
    assert!(r.status.is_server_error(), "{}", r.text());
    in_words(r.json()["error"]["message"].as_str().unwrap(), Lang::Id);
    for (accept, lang) in [(None, Lang::Id), (Some("en"), Lang::En)] {
        let (_, t) = status(accept);
        let t = t.expect("a failed send is listed");
        assert_eq!(t["kind"], "drive", "{t}");
        assert!(t["last_success"].is_null(), "{t}");
        in_words(t["last_error"].as_str().expect("why it failed"), lang);
        assert!(t["waiting"]["records"].as_i64().unwrap() >= fixture().records.len() as i64);
        assert!(t["waiting"]["files"].as_i64().unwrap() >= fixture().records.len() as i64);
    }

    // The drive put right, the send carries every record and its original.
    std::fs::remove_file(folder.join("blobs")).unwrap();
    let r = push();
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let sent = r.json();
    let records = fixture().records.len() as u64;
    assert!(sent["records_sent"].as_u64().unwrap() >= records, "{sent}");
    assert!(sent["files_sent"].as_u64().unwrap() >= records, "{sent}");
    assert!(
        sent["blobs_sent"].as_u64().unwrap() >= sent["files_sent"].as_u64().unwrap(),
        "{sent}"
    );
    let (s, t) = status(None);
    let t = t.unwrap();
    assert!(t["last_error"].is_null(), "{t}");
    assert!(t["last_success"].is_string(), "{t}");
    assert!(
        s["total"]["records"].as_i64().unwrap() >= records as i64,
        "{s}"
    );
    // Unless another test changed a record meanwhile, nothing waits.
    if s["changes"] == t["sent_seq"] {
        assert_eq!(t["waiting"], json!({"records": 0, "files": 0}), "{t}");
    }
}

/// At a province, an office's records and berkas are that office's: every
/// role that may catalogue is told `other_office` (409) for each write, and
/// changes nothing; readers still see them, the berkas named with its office.
#[test]
fn a_province_reads_an_offices_records_and_berkas_and_changes_none() {
    use arsip_core::catalogue::berkas::NewBerkas;
    use arsip_core::catalogue::RecordEdit;
    use arsip_core::corpus::{self, CorpusOptions, Format};
    use arsip_core::{AccessLevel, Archive, Clearance, IngestOptions};

    let dir = tempfile::tempdir().unwrap();
    let operator = Clearance::operator("uji");
    let office = Archive::init(&dir.path().join("bogor"), "KPU Kota Bogor", "32.71").unwrap();
    let input = dir.path().join("in");
    let truths = corpus::generate(
        &input,
        &CorpusOptions {
            records: 2,
            seed: 31,
            dpi: 100,
            turn_every: 0,
            formats: vec![Format::TextPdf],
            kinds: Vec::new(),
        },
    )
    .unwrap();
    let opts = IngestOptions {
        access: Some(AccessLevel::Terbuka),
        ..IngestOptions::default()
    };
    let (reports, _) = office
        .ingest(&corpus::paths(&input, &truths), &opts, &(), &operator)
        .unwrap();
    let ids: Vec<_> = reports.iter().filter_map(|r| r.id).collect();
    let berkas = office
        .add_berkas(
            &NewBerkas {
                number: "PL.07/2024/001".into(),
                title: "Rekapitulasi hasil".into(),
                ..NewBerkas::default()
            },
            &operator,
        )
        .unwrap();
    let file = RecordEdit {
        berkas: Some(berkas.id.to_string()),
        ..RecordEdit::default()
    };
    office.edit_many(&ids, &file, &operator).unwrap();
    let drive = arsip_remote::Remote::open(&format!("file://{}", dir.path().join("usb").display()))
        .unwrap();
    office
        .sync_push(&drive, &Default::default(), &|_| {}, &operator)
        .unwrap();
    let prov =
        Archive::init_province(&dir.path().join("prov"), "KPU Provinsi Jawa Barat", "32").unwrap();
    prov.register_office(
        "KPU Kota Bogor",
        &office.office_key().unwrap().to_hex(),
        &operator,
    )
    .unwrap();
    assert!(prov.sync_pull(&drive, &operator).unwrap().complete());
    for (name, role) in STAFF_AT_PROVINCE {
        prov.set_user(name, role, "kata-sandi-prov", "uji").unwrap();
    }
    let app = arsip_api::router(std::sync::Arc::new(prov), Mode::Office);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let call = |method: &str, uri: &str, token: Option<&str>, body: Option<serde_json::Value>| {
        crate::send_to(
            &runtime,
            &app,
            crate::request(method, uri, token, body, None),
        )
    };
    let token = |name: &str| {
        let r = call(
            "POST",
            "/api/login",
            None,
            Some(json!({"name": name, "password": "kata-sandi-prov"})),
        );
        r.json()["token"].as_str().unwrap().to_string()
    };
    let record = format!("/api/records/{}", ids[0]);
    // The province keeps the office's berkas under an id of its own.
    let kept_id = {
        let r = call("GET", &record, Some(&token("sekre1")), None);
        r.json()["berkas"]["id"].as_str().unwrap().to_string()
    };
    let berkas_uri = format!("/api/berkas/{kept_id}");
    for (name, expected) in [
        ("admin1", StatusCode::CONFLICT),
        ("arsip1", StatusCode::CONFLICT),
        ("sekre1", StatusCode::FORBIDDEN),
        ("publik1", StatusCode::FORBIDDEN),
    ] {
        let t = token(name);
        let writes = [
            call("PATCH", &record, Some(&t), Some(json!({"title": "Diubah"}))),
            call("DELETE", &record, Some(&t), None),
            call(
                "POST",
                "/api/records/edit",
                Some(&t),
                Some(json!({"ids": [ids[0]], "edit": {"title": "Diubah"}})),
            ),
            call(
                "PATCH",
                &berkas_uri,
                Some(&t),
                Some(json!({"title": "Diubah"})),
            ),
        ];
        for r in writes {
            assert_eq!(r.status, expected, "{name}: {}", r.text());
            if expected == StatusCode::CONFLICT {
                assert_eq!(r.json()["error"]["code"], "other_office", "{name}");
            }
        }
        // Staff read the berkas, named with the office that sent it.
        let r = call("GET", &berkas_uri, Some(&t), None);
        if name == "publik1" {
            assert_eq!(r.status, StatusCode::FORBIDDEN);
        } else {
            assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.text());
            assert_eq!(r.json()["office"], "KPU Kota Bogor");
            assert_eq!(r.json()["title"], "Rekapitulasi hasil");
        }
    }
    let r = call("GET", &record, Some(&token("sekre1")), None);
    let title = office.record(&ids[0], &operator).unwrap().record.title;
    assert_eq!(r.json()["title"], title.as_str(), "unchanged");
    assert_eq!(r.json()["berkas"]["title"], "Rekapitulasi hasil");
    assert_eq!(r.json()["berkas"]["office"], "KPU Kota Bogor");
    assert_eq!(
        r.json()["sent_by"],
        "KPU Kota Bogor",
        "the page offers no change"
    );
    // Its paper is at the office: labelled there, not here.
    let kept = r.json()["berkas"]["id"].clone();
    let r = call(
        "POST",
        "/api/labels",
        Some(&token("admin1")),
        Some(json!({"boxes": [], "berkas": [kept], "layout": "a4"})),
    );
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "other_office");
}

const STAFF_AT_PROVINCE: [(&str, arsip_core::Role); 4] = [
    ("admin1", arsip_core::Role::Admin),
    ("arsip1", arsip_core::Role::Arsiparis),
    ("sekre1", arsip_core::Role::Sekretariat),
    ("publik1", arsip_core::Role::Publik),
];
