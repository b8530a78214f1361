//! Two offices push to the provincial bucket; the province pulls and searches
//! both; edits and deletions follow; a second push sends nothing again.

use crate::s3::S3Server;
use crate::{admin, all_ids, folder, ids, office, province, push};
use arsip_core::catalogue::RecordEdit;
use arsip_core::sync::store::Store;
use arsip_core::{RecordId, SearchRequest};

#[test]
fn two_offices_push_and_the_province_searches_both() {
    let dir = tempfile::tempdir().unwrap();
    let s3 = S3Server::start();
    let bogor = office(&dir.path().join("bogor"), "KPU Kota Bogor", "32.71", 3, 1);
    let depok = office(&dir.path().join("depok"), "KPU Kota Depok", "32.76", 2, 2);
    let store = s3.store("jabar");

    // The office's audit head when it seals: the province's own trail keeps
    // it. (The target is approved first: an admin's first push to a target
    // approves it, which is an audit entry of its own.)
    bogor.approve_target(&store, &admin()).unwrap();
    let bogor_head = bogor.audit_log(None, 1, &admin()).unwrap()[0].hash.clone();
    let first = push(&bogor, &store);
    assert_eq!(first.segments_sent, 1);
    assert!(first.blobs_sent >= 3, "originals and thumbnails: {first:?}");
    let again = push(&bogor, &store);
    assert_eq!(
        (again.blobs_sent, again.segments_sent, again.bytes_sent),
        (0, 0, 0),
        "nothing is sent twice"
    );
    push(&depok, &store);

    let prov = province(&dir.path().join("prov"), &[&bogor, &depok]);
    let pulled = prov.sync_pull(&store, &admin()).unwrap();
    assert!(pulled.complete(), "{pulled:?}");
    let anchored = prov
        .audit_log(None, 50, &admin())
        .unwrap()
        .into_iter()
        .any(|e| e.action == "sync.apply" && e.detail.ends_with(&bogor_head));
    assert!(
        anchored,
        "the province's audit trail holds Bogor's audit head"
    );
    let mut expected = all_ids(&bogor);
    expected.extend(all_ids(&depok));
    expected.sort();
    assert_eq!(
        all_ids(&prov),
        expected,
        "the province finds every record of both"
    );
    assert_eq!(expected.len(), 5);

    // The office facet tells them apart, and narrows to one.
    let everything = prov.search(&SearchRequest::new(""), &admin()).unwrap();
    let offices: Vec<(String, u64)> = everything
        .facets
        .office
        .iter()
        .map(|f| (f.value.clone(), f.count))
        .collect();
    assert_eq!(
        offices,
        vec![
            ("KPU Kota Bogor".to_string(), 3),
            ("KPU Kota Depok".to_string(), 2)
        ]
    );
    let mut only_depok = SearchRequest::new("");
    only_depok.filters.office = Some("KPU Kota Depok".into());
    assert_eq!(ids(&prov, only_depok), all_ids(&depok));

    // A word only Depok's first record has is found at the province.
    let depok_id = RecordId::parse(&all_ids(&depok)[0]).unwrap();
    let title = depok.record(&depok_id, &admin()).unwrap().record.title;
    let found = prov
        .search(&SearchRequest::new(title.clone()), &admin())
        .unwrap();
    assert!(
        found.hits.iter().any(|h| h.id == depok_id.to_string()),
        "{title}"
    );

    // Edits and deletions travel too.
    let ids = all_ids(&bogor);
    let edited = RecordId::parse(&ids[0]).unwrap();
    let deleted = RecordId::parse(&ids[1]).unwrap();
    let edit = RecordEdit {
        title: Some("Berita Acara Serah Terima Kotak Suara Kecamatan Bogor Barat".into()),
        box_no: Some("B-17".into()),
        ..RecordEdit::default()
    };
    bogor.edit(&edited, &edit, &admin()).unwrap();
    bogor.delete(&deleted, &admin()).unwrap();
    let second = push(&bogor, &store);
    assert_eq!(
        (second.segments_sent, second.blobs_sent),
        (1, 0),
        "{second:?}"
    );
    let pulled = prov.sync_pull(&store, &admin()).unwrap();
    assert!(pulled.complete(), "{pulled:?}");
    let seen = prov.record(&edited, &admin()).unwrap().record;
    assert_eq!(seen.title, edit.title.clone().unwrap());
    assert_eq!(seen.location.box_no.as_deref(), Some("B-17"));
    assert!(
        prov.record(&deleted, &admin()).is_err(),
        "deleted at the province too"
    );
    assert!(!all_ids(&prov).contains(&deleted.to_string()));
    let found = prov
        .search(&SearchRequest::new("serah terima kotak suara"), &admin())
        .unwrap();
    assert_eq!(
        found.hits.first().map(|h| h.id.clone()),
        Some(edited.to_string())
    );

    // Originals stay in the bucket until opened, then arrive verified.
    let report = prov.verify().unwrap();
    assert_eq!(report.problems(), 0, "{report:?}");
    assert!(
        report.remote >= 3,
        "originals left in the store: {report:?}"
    );
    prov.set_store_opener(std::sync::Arc::new({
        let settings = s3.settings();
        move |url: &str| {
            let pairs: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
            Ok(Box::new(arsip_remote::Remote::open_with(url, &pairs)?) as Box<dyn Store>)
        }
    }));
    let file = bogor.record(&edited, &admin()).unwrap().files[0].clone();
    let (_, bytes) = prov.original(&file.sha256, &admin()).unwrap();
    assert_eq!(arsip_core::ContentHash::of(&bytes), file.sha256);
    assert_eq!(prov.verify().unwrap().remote, report.remote - 1);
}

#[test]
fn the_flash_drive_carries_everything_including_originals() {
    let dir = tempfile::tempdir().unwrap();
    let bogor = office(&dir.path().join("bogor"), "KPU Kota Bogor", "32.71", 2, 3);
    // The drive is plugged in: its mount point exists.
    std::fs::create_dir(dir.path().join("usb")).unwrap();
    let drive = folder(&dir.path().join("usb/rpp"));
    push(&bogor, &drive);
    let prov = province(&dir.path().join("prov"), &[&bogor]);
    let pulled = prov.sync_pull(&drive, &admin()).unwrap();
    assert!(pulled.complete(), "{pulled:?}");
    assert_eq!(all_ids(&prov), all_ids(&bogor));
    // The drive has left: every original is already here.
    std::fs::remove_dir_all(dir.path().join("usb")).unwrap();
    let report = prov.verify().unwrap();
    assert_eq!((report.problems(), report.remote), (0, 0), "{report:?}");
    for id in all_ids(&bogor) {
        let id = RecordId::parse(&id).unwrap();
        let file = &bogor.record(&id, &admin()).unwrap().files[0];
        assert!(prov.original(&file.sha256, &admin()).is_ok());
    }
    // A pull from a folder no office wrote to (a drive not mounted, a
    // mistyped path) says so instead of succeeding with nothing.
    let empty = folder(&dir.path().join("usb2"));
    let err = prov.sync_pull(&empty, &admin()).err().map(|e| e.code);
    assert_eq!(err, Some(arsip_core::ErrorCode::NotFound));
    // Pulling again from a source with nothing new applies nothing and succeeds.
    let again = province(&dir.path().join("prov2"), &[&bogor]);
    bogor
        .sync_push(
            &folder(&dir.path().join("usb3")),
            &Default::default(),
            &|_| {},
            &admin(),
        )
        .unwrap();
    let first = again
        .sync_pull(&folder(&dir.path().join("usb3")), &admin())
        .unwrap();
    assert_eq!(first.offices[0].segments, 1);
    let second = again
        .sync_pull(&folder(&dir.path().join("usb3")), &admin())
        .unwrap();
    assert!(second.complete());
    assert_eq!(second.offices[0].segments, 0);
}
