//! A destruction at an office that already pushed: its sealed segments are
//! re-sealed without the destroyed content and sent again over the old
//! copies (in the provincial bucket and on a flash drive); the province
//! destroys its copy (text, pages, files) and keeps the tombstone with the
//! BA's number; a province or an office rebuilt from the store later never
//! sees the content.

use crate::s3::S3Server;
use crate::{admin, all_ids, folder, ids, office, province, push, rebuild, record_ids};
use arsip_core::catalogue::berkas::{BerkasEdit, NewBerkas};
use arsip_core::catalogue::RecordEdit;
use arsip_core::disposal::DisposalStep;
use arsip_core::sync::segment;
use arsip_core::sync::store::Store;
use arsip_core::{Archive, RecordId, SearchRequest};
use std::path::Path;

const BA: &str = "7/BA-PMS/3271/XII/2026";

/// Destroys `records` of `office` through the whole workflow; returns the list.
fn destroy(office: &Archive, records: &[RecordId]) -> String {
    let b = office
        .add_berkas(
            &NewBerkas {
                number: "UM/2019/001".into(),
                title: "Undangan rapat pleno 2019".into(),
                classification: Some("UM".into()),
                year_from: Some(2018),
                year_to: Some(2019),
                ..NewBerkas::default()
            },
            &admin(),
        )
        .unwrap();
    let jra = BerkasEdit {
        jra: Some("UM".into()),
        ..BerkasEdit::default()
    };
    office.edit_berkas(&b.id, &jra, &admin()).unwrap();
    let file = RecordEdit {
        berkas: Some(b.id.to_string()),
        ..RecordEdit::default()
    };
    office.edit_many(records, &file, &admin()).unwrap();
    let list = office.propose_destruction(&[b.id], "", &admin()).unwrap();
    for step in [
        DisposalStep::Assess {
            assessment: "Dinilai tim".into(),
        },
        DisposalStep::Approve {
            approval_ref: "Nomor 12/2026".into(),
        },
        DisposalStep::CarryOut {
            ba_number: BA.into(),
            witnesses: vec!["Ani".into(), "Budi".into()],
            executor: None,
            head: None,
        },
    ] {
        office.disposal_step(&list.id, &step, &admin()).unwrap();
    }
    list.id
}

/// The body JSON of every segment of `office`'s log in `store`, verified.
fn log_text(office: &Archive, store: &dyn Store) -> String {
    let key = office.office_key().unwrap();
    let mut out = String::new();
    for object in store.list(&format!("offices/{key}/log/")).unwrap() {
        let bytes = store.get(&object.name).unwrap().unwrap();
        let (body, _) = segment::open(&bytes, &key).unwrap();
        out.push_str(&serde_json::to_string(&body).unwrap());
    }
    out
}

/// Whether the page views kept beside the catalogue (file and WAL) hold `word`.
fn in_views(root: &Path, word: &str) -> bool {
    ["views.sqlite", "views.sqlite-wal"].iter().any(|f| {
        std::fs::read(root.join(f))
            .map(|b| b.windows(word.len()).any(|w| w == word.as_bytes()))
            .unwrap_or(false)
    })
}

fn in_store(store: &dyn Store, sha: &str) -> bool {
    let name = format!("blobs/{}/{}/{sha}", &sha[..2], &sha[2..4]);
    store.size(&name).unwrap().is_some()
}

/// Whether a file named `sha` (a blob) is anywhere under `dir`.
fn holds_blob(dir: &Path, sha: &str) -> bool {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| {
            let path = e.path();
            e.file_name().to_string_lossy() == sha || (path.is_dir() && holds_blob(&path, sha))
        })
}

fn found(archive: &Archive, words: &str) -> Vec<String> {
    ids(archive, SearchRequest::new(words.to_string()))
}

#[test]
fn a_destruction_reaches_the_province_and_every_copy_of_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let s3 = S3Server::start();
    let store = s3.store("jabar");
    let drive = folder(&dir.path().join("usb"));
    let bogor = office(&dir.path().join("bogor"), "KPU Kota Bogor", "32.71", 3, 11);
    let all: Vec<RecordId> = record_ids(&bogor);
    let (gone, kept) = (&all[..2], &all[2]);
    // What tells the destroyed records apart: a line of their text, their
    // titles, their files.
    let mut lines = Vec::new();
    let mut titles = Vec::new();
    let mut files = Vec::new();
    let mut thumbnails = Vec::new();
    for id in gone {
        let view = bogor.record(id, &admin()).unwrap();
        let line = a_line_of(&view);
        lines.push(line);
        titles.push(view.record.title.clone());
        files.extend(view.files.iter().map(|f| f.sha256.to_hex()));
        thumbnails.extend(
            view.pages
                .iter()
                .filter_map(|p| p.thumbnail.map(|t| t.to_hex())),
        );
    }
    let kept_title = bogor.record(kept, &admin()).unwrap().record.title;

    push(&bogor, &store);
    push(&bogor, &drive);
    // A second drive, sent to once and then put away in a drawer.
    let drawer = folder(&dir.path().join("usb-lama"));
    push(&bogor, &drawer);
    let prov = province(&dir.path().join("prov"), &[&bogor]);
    // From the flash drive, which the province copies originals from at once.
    assert!(prov.sync_pull(&drive, &admin()).unwrap().complete());
    for (id, title) in gone.iter().zip(&titles) {
        assert_eq!(found(&prov, title), vec![id.to_string()]);
    }
    for sha in files.iter().chain(&thumbnails) {
        assert!(holds_blob(prov.root(), sha), "{sha} came with the pull");
    }
    assert!(log_text(&bogor, &store).contains(&json_text(&lines[0])));
    // Someone looked at a page there: its picture and words are kept.
    let word = lines[0]
        .split_whitespace()
        .max_by_key(|w| w.len())
        .unwrap()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    prov.page_image(&gone[0], 1, "", &admin()).unwrap();
    assert!(
        in_views(prov.root(), &word),
        "the page's view holds '{word}'"
    );

    let list = destroy(&bogor, gone);
    // Its berita acara says where else the content goes from.
    let ba = bogor
        .disposal_document(
            &list,
            arsip_core::disposal::documents::Document::BeritaAcaraPdf,
            &admin(),
        )
        .unwrap();
    let pdf = dir.path().join("ba.pdf");
    std::fs::write(&pdf, ba).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Salinan yang telah dikirim ke KPU Provinsi melalui sinkronisasi dihapus"),
        "{text}"
    );

    // The office's own copy of its log lost the content at once.
    let before_push = push(&bogor, &store);
    assert!(
        before_push.segments_sent >= 2,
        "the re-sealed segment goes again with the new one: {before_push:?}"
    );
    assert_eq!(
        before_push.destroyed_files_removed, 0,
        "the province cleans its store"
    );
    // A drive only this office writes to, it cleans itself.
    let to_drive = push(&bogor, &drive);
    assert_eq!(
        to_drive.destroyed_files_removed,
        files.len() + thumbnails.len()
    );
    let said = format!(
        "{} files of destroyed records removed",
        files.len() + thumbnails.len()
    );
    let audited = bogor
        .audit_log(None, 5, &admin())
        .unwrap()
        .into_iter()
        .any(|e| e.action == "sync.push" && e.detail.ends_with(&said));
    assert!(audited, "the drive's cleaning is in the audit trail");
    for target in [&store as &dyn Store, &drive] {
        let log = log_text(&bogor, target);
        for line in &lines {
            assert!(
                !log.contains(&json_text(line)),
                "{}: text of a destroyed record",
                target.url()
            );
        }
        assert!(
            log.contains(BA),
            "{}: the tombstones name the BA",
            target.url()
        );
        assert!(
            log.contains(&json_text(&kept_title)),
            "the kept record stays"
        );
    }
    let again = push(&bogor, &store);
    assert_eq!(again.segments_sent, 0, "sent once: {again:?}");

    // The province destroys its copy: not found, its files gone from its
    // disk, the tombstone audited with the BA.
    let pulled = prov.sync_pull(&drive, &admin()).unwrap();
    assert!(pulled.complete(), "{pulled:?}");
    for title in &titles {
        assert!(found(&prov, title).is_empty(), "{title} still found");
    }
    assert_eq!(found(&prov, &kept_title), vec![kept.to_string()]);
    for sha in files.iter().chain(&thumbnails) {
        assert!(!holds_blob(prov.root(), sha), "the province kept {sha}");
        assert!(!in_store(&drive, sha), "left on the drive: {sha}");
        assert!(in_store(&store, sha), "the bucket was not pulled from yet");
    }
    // The bucket loses them at the province's next complete pull from it.
    let pulled = prov.sync_pull(&store, &admin()).unwrap();
    assert!(pulled.complete(), "{pulled:?}");
    assert_eq!(
        pulled.destroyed_files_removed,
        files.len() + thumbnails.len()
    );
    for sha in files.iter().chain(&thumbnails) {
        assert!(!in_store(&store, sha), "left in the bucket: {sha}");
    }
    // The drive from the drawer comes to the province after all that: its
    // destroyed files go too (its log is older than what is applied).
    assert!(in_store(&drawer, &files[0]));
    let pulled = prov.sync_pull(&drawer, &admin()).unwrap();
    assert!(pulled.complete(), "{pulled:?}");
    assert_eq!(
        pulled.destroyed_files_removed,
        files.len() + thumbnails.len()
    );
    // And back at the office, its log there is re-sealed at the next send.
    push(&bogor, &drawer);
    assert!(!log_text(&bogor, &drawer).contains(&json_text(&lines[0])));
    for id in gone {
        assert!(prov.record(id, &admin()).is_err());
    }
    assert!(
        !in_views(prov.root(), &word),
        "a destroyed page's view stays"
    );
    let destroyed_here: Vec<String> = prov
        .audit_log(None, 100, &admin())
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "record.destroy" && e.detail == format!("ba={BA}"))
        .map(|e| e.target)
        .collect();
    assert_eq!(destroyed_here.len(), 2, "{destroyed_here:?}");
    assert!(prov.verify().unwrap().problems() == 0);

    // A province that reads the log from the start (the flash drive, then
    // the bucket) and an office rebuilt from it never see the content.
    for source in [&drive as &dyn Store, &store] {
        let fresh = province(
            &dir.path().join(format!("fresh-{}", source.is_folder())),
            &[&bogor],
        );
        let pulled = fresh.sync_pull(source, &admin()).unwrap();
        assert!(pulled.complete(), "{pulled:?}");
        assert_eq!(all_ids(&fresh), vec![kept.to_string()]);
        for line in &lines {
            assert!(found(&fresh, line).is_empty());
        }
    }
    let key = bogor.office_key().unwrap();
    let (rebuilt, report) = rebuild(&store, &key, &dir.path().join("rebuilt"));
    assert_eq!(report.blobs_missing, 0, "{report:?}");
    assert_eq!(all_ids(&rebuilt), vec![kept.to_string()]);
    for sha in files.iter().chain(&thumbnails) {
        assert!(!holds_blob(rebuilt.root(), sha));
    }
}

/// Another office archived the very same files (a circular from KPU RI is
/// byte for byte the same everywhere): they stay in the bucket, both while
/// that office is not yet registered (its log may name them) and after.
#[test]
fn files_another_office_also_holds_stay_in_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let s3 = S3Server::start();
    let store = s3.store("jabar");
    let bogor = office(&dir.path().join("bogor"), "KPU Kota Bogor", "32.71", 2, 12);
    let depok = office(&dir.path().join("depok"), "KPU Kota Depok", "32.76", 2, 12);
    let files = |a: &Archive| -> Vec<String> {
        let mut out: Vec<String> = all_ids(a)
            .iter()
            .flat_map(|i| {
                a.record(&RecordId::parse(i).unwrap(), &admin())
                    .unwrap()
                    .files
            })
            .map(|f| f.sha256.to_hex())
            .collect();
        out.sort();
        out
    };
    let shared = files(&bogor);
    assert_eq!(shared, files(&depok), "the same files in both offices");
    push(&bogor, &store);
    push(&depok, &store);
    let prov = province(&dir.path().join("prov"), &[&bogor]);
    prov.sync_pull(&store, &admin()).unwrap();
    let gone: Vec<RecordId> = record_ids(&bogor);
    destroy(&bogor, &gone);
    push(&bogor, &store);
    let pulled = prov.sync_pull(&store, &admin()).unwrap();
    assert_eq!(pulled.unregistered.len(), 1, "{pulled:?}");
    assert_eq!(pulled.destroyed_files_removed, 0);
    assert!(all_ids(&prov).is_empty(), "Bogor's copies are destroyed");
    let name = depok.office_name().unwrap();
    prov.register_office(&name, &depok.office_key().unwrap().to_hex(), &admin())
        .unwrap();
    let pulled = prov.sync_pull(&store, &admin()).unwrap();
    assert!(pulled.complete(), "{pulled:?}");
    assert_eq!(pulled.destroyed_files_removed, 0);
    for sha in &shared {
        assert!(in_store(&store, sha), "Depok's {sha} was removed");
    }
    assert_eq!(all_ids(&prov), all_ids(&depok));
    assert_eq!(prov.verify().unwrap().problems(), 0);
}

/// An office rebuilt from the store after its disk died has a new key and
/// cannot re-seal what its old key signed: the province, moved to the new
/// key, removes the old log's segments that hold what the rebuilt office
/// destroyed.
#[test]
fn a_rebuilt_office_destroys_what_its_old_key_sent() {
    let dir = tempfile::tempdir().unwrap();
    let s3 = S3Server::start();
    let store = s3.store("jabar");
    let bogor = office(&dir.path().join("bogor"), "KPU Kota Bogor", "32.71", 2, 13);
    let old_key = bogor.office_key().unwrap();
    push(&bogor, &store);
    let prov = province(&dir.path().join("prov"), &[&bogor]);
    assert!(prov.sync_pull(&store, &admin()).unwrap().complete());
    let ids: Vec<RecordId> = record_ids(&bogor);
    let view = bogor.record(&ids[0], &admin()).unwrap();
    let line = a_line_of(&view);
    let title = view.record.title;
    drop(bogor);

    let (rebuilt, _) = rebuild(&store, &old_key, &dir.path().join("rebuilt"));
    let name = rebuilt.office_name().unwrap();
    prov.replace_office_key(&name, &rebuilt.office_key().unwrap().to_hex(), &admin())
        .unwrap();
    destroy(&rebuilt, &ids[..1]);
    push(&rebuilt, &store);
    let pulled = prov.sync_pull(&store, &admin()).unwrap();
    assert!(pulled.complete(), "{pulled:?}");
    assert!(pulled.retired_segments_removed >= 1, "{pulled:?}");
    assert!(found(&prov, &title).is_empty());
    assert_eq!(all_ids(&prov), vec![ids[1].to_string()]);
    // Neither log in the store holds the destroyed record's text now (the
    // new log keeps its tombstone, title and all).
    for key in [old_key, rebuilt.office_key().unwrap()] {
        for object in store.list(&format!("offices/{key}/log/")).unwrap() {
            let bytes = store.get(&object.name).unwrap().unwrap();
            let (body, _) = segment::open(&bytes, &key).unwrap();
            let json = serde_json::to_string(&body).unwrap();
            assert!(!json.contains(&json_text(&line)), "{}", object.name);
        }
    }
}

/// A province that runs `sync push` to its own bucket (by mistake, or to
/// send records of its own) publishes none of its offices' records under
/// its key, and its own folder there does not stop its pulls (nor the
/// removal of destroyed files, which waits for a complete pull).
#[test]
fn a_province_that_pushes_sends_only_its_own_records() {
    let dir = tempfile::tempdir().unwrap();
    let s3 = S3Server::start();
    let store = s3.store("jabar");
    let bogor = office(&dir.path().join("bogor"), "KPU Kota Bogor", "32.71", 2, 14);
    push(&bogor, &store);
    let prov = province(&dir.path().join("prov"), &[&bogor]);
    assert!(prov.sync_pull(&store, &admin()).unwrap().complete());
    let sent = push(&prov, &store);
    assert_eq!((sent.records_sent, sent.segments_sent), (0, 0), "{sent:?}");
    let key = prov.office_key().unwrap();
    assert!(store
        .list(&format!("offices/{key}/log/"))
        .unwrap()
        .is_empty());
    let ids: Vec<RecordId> = record_ids(&bogor);
    destroy(&bogor, &ids[..1]);
    push(&bogor, &store);
    let pulled = prov.sync_pull(&store, &admin()).unwrap();
    assert!(
        pulled.complete(),
        "its own folder is not an unknown office: {pulled:?}"
    );
    assert!(pulled.destroyed_files_removed >= 1, "{pulled:?}");
}

/// An office destroyed records, then lost its disk and was rebuilt from the
/// store: its new log carries the tombstones again, which the province
/// takes as what they are (nothing to undo), not as an older copy.
#[test]
fn an_office_rebuilt_after_a_destruction_is_still_pulled() {
    let dir = tempfile::tempdir().unwrap();
    let s3 = S3Server::start();
    let store = s3.store("jabar");
    let bogor = office(&dir.path().join("bogor"), "KPU Kota Bogor", "32.71", 2, 15);
    let ids: Vec<RecordId> = record_ids(&bogor);
    push(&bogor, &store);
    let prov = province(&dir.path().join("prov"), &[&bogor]);
    assert!(prov.sync_pull(&store, &admin()).unwrap().complete());
    destroy(&bogor, &ids[..1]);
    push(&bogor, &store);
    assert!(prov.sync_pull(&store, &admin()).unwrap().complete());
    let key = bogor.office_key().unwrap();
    drop(bogor);
    let (rebuilt, _) = rebuild(&store, &key, &dir.path().join("rebuilt"));
    assert_eq!(all_ids(&rebuilt), vec![ids[1].to_string()]);
    let name = rebuilt.office_name().unwrap();
    prov.replace_office_key(&name, &rebuilt.office_key().unwrap().to_hex(), &admin())
        .unwrap();
    push(&rebuilt, &store);
    let pulled = prov.sync_pull(&store, &admin()).unwrap();
    assert!(pulled.complete(), "{pulled:?}");
    assert_eq!(all_ids(&prov), vec![ids[1].to_string()]);
}

/// An office signs a tombstone of its own record that names another
/// office's file, one that office no longer uses (it re-scanned the paper)
/// but its log still names: the province removes nothing of the other
/// office's, and a province reading Depok's log from the start still can.
#[test]
fn an_office_cannot_have_another_offices_files_removed() {
    use arsip_core::sync::segment::{Destroyed, Entry, Head, SegmentBody};
    let dir = tempfile::tempdir().unwrap();
    let s3 = S3Server::start();
    let store = s3.store("jabar");
    let bogor = office(&dir.path().join("bogor"), "KPU Kota Bogor", "32.71", 1, 16);
    let depok = office(&dir.path().join("depok"), "KPU Kota Depok", "32.76", 1, 17);
    push(&bogor, &store);
    push(&depok, &store);
    let prov = province(&dir.path().join("prov"), &[&bogor, &depok]);
    assert!(prov.sync_pull(&store, &admin()).unwrap().complete());
    let ours = RecordId::parse(&all_ids(&bogor)[0]).unwrap();
    let our_files = bogor.record(&ours, &admin()).unwrap().files.len();
    let theirs = RecordId::parse(&all_ids(&depok)[0]).unwrap();
    let their_file = depok.record(&theirs, &admin()).unwrap().files[0]
        .sha256
        .to_hex();
    // Depok re-scans the paper: its old file is only in its log now.
    let scans = dir.path().join("scan");
    let truths = arsip_core::corpus::generate(
        &scans,
        &arsip_core::corpus::CorpusOptions {
            records: 1,
            seed: 18,
            dpi: 100,
            turn_every: 0,
            formats: vec![arsip_core::corpus::Format::TextPdf],
            kinds: Vec::new(),
        },
    )
    .unwrap();
    let scan = arsip_core::corpus::paths(&scans, &truths);
    depok
        .rescan(
            &theirs,
            &scan,
            &arsip_core::IngestOptions::default(),
            &admin(),
        )
        .unwrap();
    push(&depok, &store);
    assert!(prov.sync_pull(&store, &admin()).unwrap().complete());
    assert!(in_store(&store, &their_file));

    // Bogor's next segment, signed with Bogor's key, claims Depok's file.
    let key = arsip_core::sync::OfficeKey::load_or_create(bogor.root()).unwrap();
    let public = key.public();
    let head_name = format!("offices/{public}/HEAD");
    let head = segment::open_head(&store.get(&head_name).unwrap().unwrap(), &public).unwrap();
    let body = SegmentBody {
        format: segment::FORMAT_DESTROYED,
        office: public.to_hex(),
        from: head.to,
        to: head.to + 1,
        prev: head.hash.clone(),
        audit: String::new(),
        entries: vec![Entry {
            seq: head.to + 1,
            id: all_ids(&bogor)[0].clone(),
            state: None,
            destroyed: Some(Destroyed {
                ba: BA.into(),
                at: "2026-12-03T10:00:00Z".into(),
                blobs: vec![their_file.clone()],
            }),
        }],
        replaces: None,
    };
    let sealed = segment::seal(&body, &key).unwrap();
    let name = format!("offices/{public}/log/{:020}-{:020}.seg", body.from, body.to);
    store.put(&name, sealed.bytes).unwrap();
    let moved = Head {
        to: body.to,
        hash: sealed.hash,
        ..head
    };
    store
        .put(&head_name, segment::seal_head(&moved, &key).unwrap())
        .unwrap();

    let pulled = prov.sync_pull(&store, &admin()).unwrap();
    assert!(pulled.complete(), "{pulled:?}");
    assert_eq!(
        pulled.destroyed_files_removed, our_files,
        "only Bogor's own: {pulled:?}"
    );
    assert!(in_store(&store, &their_file), "Depok's file was removed");
    assert_eq!(
        all_ids(&prov),
        all_ids(&depok),
        "Bogor's record is destroyed, Depok's stays"
    );
    assert_eq!(prov.verify().unwrap().problems(), 0);
    let fresh = province(&dir.path().join("fresh"), &[&bogor, &depok]);
    let pulled = fresh.sync_pull(&store, &admin()).unwrap();
    assert!(pulled.complete(), "{pulled:?}");
    assert_eq!(all_ids(&fresh), all_ids(&depok));
}

/// A line of a record's first page long enough to be its own.
fn a_line_of(view: &arsip_core::RecordView) -> String {
    view.pages[0]
        .text
        .lines()
        .map(str::trim)
        .find(|l| l.len() > 25)
        .unwrap()
        .to_string()
}

/// How a line of text stands inside the segment's JSON.
fn json_text(line: &str) -> String {
    let quoted = serde_json::to_string(line).unwrap();
    quoted.trim_matches('"').to_string()
}
