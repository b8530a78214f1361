//! The audit trail screen and its CSV (issue 13): filters by person, action
//! and local days, run in SQL so pages follow them; the export holds only
//! what the reader may see, parses back whatever a cell holds, and is
//! itself in the trail.

use super::{call, fixture, login};
use arsip_api::Mode;
use arsip_core::catalogue::NewRecord;
use arsip_core::model::StoredFile;
use arsip_core::test_support::RawCatalogue;
use arsip_core::{AccessLevel, RecordId};
use axum::http::StatusCode;
use serde_json::{json, Value};

/// A record of `class` titled `title`, added straight to the catalogue.
fn record_of(class: AccessLevel, title: &str) -> RecordId {
    let f = fixture();
    let text = format!("{title} {}", RecordId::new());
    let hash = arsip_core::blobs::BlobStore::open(f.archive.root().join("blobs"))
        .unwrap()
        .put_bytes(text.as_bytes())
        .unwrap();
    let file = StoredFile {
        name: "jejak.txt".into(),
        sha256: hash,
        media_type: "application/pdf".into(),
        size: text.len() as u64,
    };
    let record = NewRecord::born_digital(title, file, text, class, "uji");
    let id = record.id;
    RawCatalogue::open(f.archive.root())
        .unwrap()
        .insert_record(&record)
        .unwrap();
    id
}

fn entries(uri: &str, token: &str) -> Vec<Value> {
    let r = call(Mode::Office, "GET", uri, Some(token), None);
    assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.text());
    r.json().as_array().unwrap().clone()
}

fn seqs(list: &[Value]) -> Vec<i64> {
    list.iter().map(|e| e["seq"].as_i64().unwrap()).collect()
}

/// RFC 4180, independent of the writer: quoted cells may hold commas,
/// doubled quotes and line breaks.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    assert!(!quoted, "an unclosed quote");
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

#[test]
fn audit_filters_return_only_matching_entries_and_pages_follow_them() {
    let f = fixture();
    let sekre = login("sekre1");
    let admin = login("admin1");
    let (_, id, _) = f
        .records
        .iter()
        .find(|(t, ..)| t.access == AccessLevel::Terbuka)
        .unwrap();
    for token in [&sekre, &sekre, &sekre, &admin] {
        let r = call(
            Mode::Office,
            "GET",
            &format!("/api/records/{id}"),
            Some(token.as_str()),
            None,
        );
        assert_eq!(r.status, StatusCode::OK);
    }

    let views = entries(
        "/api/audit?actor=sekre1&action=record.view&limit=500",
        &sekre,
    );
    assert!(views.len() >= 3, "{views:?}");
    for e in &views {
        assert_eq!(e["actor"], "sekre1");
        assert_eq!(e["action"], "record.view");
    }
    // A record the reader may read is named by its title.
    let ours: Vec<&Value> = views
        .iter()
        .filter(|e| e["target"] == id.to_string().as_str())
        .collect();
    assert!(ours.len() >= 3);
    assert!(
        ours.iter().all(|e| e["record_title"].is_string()),
        "{ours:?}"
    );
    let logins = entries("/api/audit?action=user.login&limit=500", &sekre);
    assert!(logins.iter().any(|e| e["actor"] == "admin1"));
    assert!(logins.iter().all(|e| e["action"] == "user.login"));

    // Pages follow the filter: two at a time, from where the big page
    // began (other tests write to the trail meanwhile, after it).
    let all = entries("/api/audit?actor=sekre1&limit=500", &sekre);
    assert!(all.iter().all(|e| e["actor"] == "sekre1"));
    let mut paged = Vec::new();
    let mut before = all[0]["seq"].as_i64().unwrap() + 1;
    loop {
        let page = entries(
            &format!("/api/audit?actor=sekre1&limit=2&before={before}"),
            &sekre,
        );
        assert!(page.len() <= 2);
        let Some(last) = page.last() else { break };
        before = last["seq"].as_i64().unwrap();
        paged.extend(page);
    }
    assert_eq!(
        seqs(&paged),
        seqs(&all),
        "the pages hold what one list does"
    );

    // Local days: the newest entry's own day (read in UTC here) holds it;
    // days long past or far ahead hold nothing of it.
    let newest = &all[0];
    let day = &newest["at"].as_str().unwrap()[..10];
    let that_day = entries(
        &format!("/api/audit?actor=sekre1&from={day}&to={day}&tz=0&limit=500"),
        &sekre,
    );
    assert!(seqs(&that_day).contains(&newest["seq"].as_i64().unwrap()));
    for (from, to) in [
        ("2999-01-01", ""),
        ("", "2000-01-01"),
        ("2024-03-02", "2024-03-01"),
    ] {
        let list = entries(
            &format!("/api/audit?actor=sekre1&from={from}&to={to}&limit=500"),
            &sekre,
        );
        assert!(list.is_empty(), "{from}..{to}: {list:?}");
    }
    assert!(entries("/api/audit?action=tidak.ada", &sekre).is_empty());

    // Bad filters are the caller's mistake, said as such.
    for uri in [
        "/api/audit?from=14-02-2024",
        "/api/audit?to=2024-02-30",
        "/api/audit?tz=9999",
        "/api/audit.csv?from=kemarin",
    ] {
        let r = call(Mode::Office, "GET", uri, Some(&sekre), None);
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}: {}", r.text());
        assert_eq!(r.json()["error"]["code"], "invalid_input", "{uri}");
    }
}

#[test]
fn the_audit_export_holds_only_what_the_reader_may_see_and_is_itself_audited() {
    let sekre = login("sekre1");
    let admin = login("admin1");
    // Cells a careless writer would break: commas, quotes, a line break.
    let open_title = "Rapat \"Pleno\", Rekapitulasi Kota Bogor";
    let open = record_of(AccessLevel::Terbatas, "Jejak terbuka");
    let secret = record_of(AccessLevel::SangatRahasia, "Jejak rahasia");
    let edits = [
        (
            open,
            json!({"title": open_title, "description": "baris satu\nbaris dua"}),
        ),
        (secret, json!({"title": "Operasi Sandi Merpati"})),
    ];
    for (id, edit) in edits {
        let r = call(
            Mode::Office,
            "PATCH",
            &format!("/api/records/{id}"),
            Some(&admin),
            Some(edit),
        );
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }

    let exports_by_sekre = || {
        entries(
            "/api/audit?actor=sekre1&action=audit.export&limit=500",
            &sekre,
        )
        .len()
    };
    let before = exports_by_sekre();
    let uri = "/api/audit.csv?actor=admin1&action=record.edit";
    let r = call(Mode::Office, "GET", uri, Some(&sekre), None);
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(r.headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let csv = r.text();
    assert!(
        !csv.contains("Merpati"),
        "a secret title in the export: {csv}"
    );
    let rows = parse_csv(&csv);
    assert_eq!(
        rows[0],
        [
            "no",
            "waktu_lokal",
            "pengguna",
            "tindakan",
            "kode_tindakan",
            "sasaran",
            "judul_arsip",
            "rincian"
        ]
    );
    let body = &rows[1..];
    assert!(body.iter().all(|row| row.len() == 8), "{rows:?}");
    for row in body {
        assert_eq!(row[2], "admin1");
        assert_eq!(row[3], "Mengubah keterangan arsip", "in words");
        assert_eq!(row[4], "record.edit");
        assert!(
            row[1].ends_with(" WIB"),
            "local time of a Bogor office: {}",
            row[1]
        );
        assert!(!row[1].contains('T'), "{}", row[1]);
    }
    let row_of = |rows: &[Vec<String>], id: &RecordId| -> Vec<String> {
        rows.iter()
            .find(|row| row[5] == id.to_string())
            .unwrap_or_else(|| panic!("no row for {id}: {rows:?}"))
            .clone()
    };
    let row = row_of(body, &open);
    assert_eq!(row[6], open_title, "parsed back whole");
    assert!(
        row[7].contains("description=baris satu\nbaris dua"),
        "{row:?}"
    );
    let row = row_of(body, &secret);
    assert_eq!(
        (row[6].as_str(), row[7].as_str()),
        ("", "…"),
        "it happened, not what"
    );

    // The download is itself in the trail, with the filter it used.
    assert_eq!(exports_by_sekre(), before + 1);
    let newest = &entries(
        "/api/audit?actor=sekre1&action=audit.export&limit=1",
        &sekre,
    )[0];
    let detail = newest["detail"].as_str().unwrap();
    assert!(
        detail.contains("actor=\"admin1\"") && detail.contains("action=\"record.edit\""),
        "{detail}"
    );
    assert!(detail.contains(&format!("n={}", body.len())), "{detail}");

    // The admin reads it all, in the zone asked for.
    let r = call(
        Mode::Office,
        "GET",
        &format!("{uri}&tz=480"),
        Some(&admin),
        None,
    );
    let rows = parse_csv(&r.text());
    let row = row_of(&rows[1..], &secret);
    assert_eq!(row[6], "Operasi Sandi Merpati");
    assert!(row[1].ends_with(" WITA"), "{}", row[1]);

    // On screen, the same cut.
    let shown = entries(
        "/api/audit?actor=admin1&action=record.edit&limit=500",
        &sekre,
    );
    let of = |id: &RecordId| -> Value {
        shown
            .iter()
            .find(|e| e["target"] == id.to_string().as_str())
            .unwrap()
            .clone()
    };
    assert_eq!(of(&open)["record_title"], open_title);
    assert_eq!(of(&secret)["record_title"], Value::Null);
    assert_eq!(of(&secret)["detail"], "…");

    // Only the secretariat and the admin read the trail, as CSV too.
    let archivist = login("arsip1");
    for (mode, token) in [
        (Mode::Office, Some(archivist.as_str())),
        (Mode::Office, None),
        (Mode::Kiosk, Some(admin.as_str())),
    ] {
        let r = call(mode, "GET", "/api/audit.csv", token, None);
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{mode:?} {token:?}");
        assert_eq!(r.json()["error"]["code"], "access_denied");
    }
}

/// The UI's table (`ui/src/lib/strings.ts`) and the core's (which writes
/// the CSV) say every action in the same words.
#[test]
fn the_uis_audit_action_words_are_the_cores() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/strings.ts");
    let ts = std::fs::read_to_string(&path).unwrap();
    let unquote = |s: &str| -> String {
        let s = s.trim();
        s[1..s.len() - 1].to_string()
    };
    let mut ui: Vec<(String, String, String)> = ts
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("'audit.do.")?;
            let (action, rest) = rest.split_once("':")?;
            let words = rest.trim().strip_prefix('[')?.trim_end_matches(',');
            let words = words.strip_suffix(']')?;
            // The Indonesian ends where the English's quote begins.
            let split = words
                .match_indices(", '")
                .chain(words.match_indices(", \""))
                .map(|(i, _)| i)
                .min()?;
            Some((
                action.to_string(),
                unquote(&words[..split]),
                unquote(&words[split + 1..]),
            ))
        })
        .collect();
    let mut core: Vec<(String, String, String)> = arsip_core::strings::audit_actions()
        .iter()
        .map(|(a, id, en)| (a.to_string(), id.to_string(), en.to_string()))
        .collect();
    ui.sort();
    core.sort();
    assert!(ui.len() >= 30, "{ui:?}");
    assert_eq!(
        ui,
        core,
        "audit.do.* in {} and AUDIT_ACTIONS in arsip-core's strings.rs differ: change both",
        path.display()
    );
}
