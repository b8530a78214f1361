//! Stores that say yes to writes they did not make as asked: Garage 2.5
//! ignores `If-None-Match: *` and silently overwrites, so a push never relies
//! on create-if-absent. Objects already at a name with other bytes (a torn
//! blob, a stale segment from an earlier try) are written again and read
//! back, and what the province pulls is whole.

use crate::s3::S3Server;
use crate::{admin, all_ids, office, province, push};
use arsip_core::sync::store::Store;

#[test]
fn objects_already_at_a_name_are_replaced_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let s3 = S3Server::start();
    let bogor = office(&dir.path().join("bogor"), "KPU Kota Bogor", "32.71", 2, 7);
    let store = s3.store("jabar");
    push(&bogor, &store);
    let key = bogor.office_key().unwrap();
    let log = store.list(&format!("offices/{key}/log/")).unwrap();
    let blobs = store.list("blobs/").unwrap();
    assert_eq!(log.len(), 1);
    // Damage the bucket the way a half-finished earlier push, or a store
    // that overwrote instead of refusing, would leave it.
    store.put(&log[0].name, b"segmen lama".to_vec()).unwrap();
    store.put(&blobs[0].name, b"terpotong".to_vec()).unwrap();
    store
        .put(&format!("offices/{key}/HEAD"), b"bukan HEAD".to_vec())
        .unwrap();

    let again = bogor
        .sync_push(&store, &Default::default(), &|_| {}, &admin())
        .unwrap();
    assert_eq!((again.segments_sent, again.blobs_sent), (1, 1), "{again:?}");
    let prov = province(&dir.path().join("prov"), &[&bogor]);
    let pulled = prov.sync_pull(&store, &admin()).unwrap();
    assert!(pulled.complete(), "{pulled:?}");
    assert_eq!(all_ids(&prov), all_ids(&bogor));
}
