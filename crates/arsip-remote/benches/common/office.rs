//! An office's archive for the sync benches: generated records of the
//! office's own villages, each with one random original (as incompressible
//! as a scan).

use arsip_core::test_support::RawCatalogue;
use arsip_core::Archive;
use rand::{Rng, SeedableRng};
use std::path::Path;

const REGIONS: &str = include_str!("../../../../assets/vocab/regions-32-jawa-barat.csv");

/// An office archive of `records` records, each with one random original.
pub fn build(
    root: &Path,
    name: &str,
    region: &str,
    records: usize,
    kb: usize,
    seed: u64,
) -> Archive {
    drop(Archive::init(root, name, region).unwrap());
    let villages: Vec<&str> = REGIONS
        .lines()
        .filter_map(|l| l.split(',').next())
        .filter(|c| c.starts_with(&format!("{region}.")) && c.matches('.').count() == 3)
        .collect();
    let blobs = arsip_core::blobs::BlobStore::open(root.join("blobs")).unwrap();
    let mut cat = RawCatalogue::open(root).unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut batch = Vec::new();
    for i in 0..records {
        let mut record = super::common::records::new_record(i, &villages, &mut rng);
        let mut data = vec![0u8; kb * 1024];
        rng.fill(&mut data[..]);
        let file = &mut record.files[0].file;
        file.sha256 = blobs.put_bytes(&data).unwrap();
        file.size = data.len() as u64;
        batch.push(record);
        if batch.len() == 2_000 {
            cat.insert_records(&batch).unwrap();
            batch.clear();
        }
    }
    cat.insert_records(&batch).unwrap();
    drop(cat);
    Archive::open(root).unwrap()
}

/// Registers `office` at `province`, as its admin would.
pub fn register(province: &Archive, office: &Archive) {
    province
        .register_office(
            &office.office_name().unwrap(),
            &office.office_key().unwrap().to_hex(),
            &arsip_core::Clearance::operator("bench"),
        )
        .unwrap();
}
