//! Sync: an office pushes its archive to the provincial office's object store
//! (or to a flash drive), and the province pulls every office's log into its
//! own archive (DESIGN.md §7).
//!
//! Each office is the only writer of its records, so there is nothing to
//! merge. What travels, under the target's prefix:
//! ```text
//! blobs/ab/cd/<sha256>                     originals and thumbnails, shared by all offices
//! offices/<public key>/log/<from>-<to>.seg signed, compressed change-log segments
//! offices/<public key>/HEAD                signed pointer to the newest segment
//! ```
//! A push sends blobs first, then segments, and moves HEAD last, so whatever
//! a reader finds through HEAD is complete. Every object name is derived from
//! its content or from the office's own sequence, never chosen at random, so
//! a push cut off at any instant is simply run again: what arrived whole is
//! listed and skipped (a large file resumes at its next part), and nothing
//! relies on a store honouring create-if-absent (Garage 2.5 does not).

pub mod keys;
mod office;
mod plan;
mod pull;
mod push;
mod recover;
mod redact;
pub mod segment;
mod send;
pub mod store;

pub(crate) use keys::KEY_FILE;
pub use keys::{OfficeKey, PublicKey};
pub use office::SyncStatus;
pub use plan::{blobs_to_send, plan_log, LogPlan, RemoteLog};
pub use pull::{OfficePull, PullReport, Rejection};
pub use push::{Progress, PushEvent, PushOptions, PushReport, PART_SIZE};
pub(crate) use recover::RECOVERY_MARKER;
pub use recover::{split_office_url, RecoverReport};
pub use store::{Opener, Store};

/// Records per segment: a segment of records with long OCR text is a few
/// megabytes, small enough to send again whole on a bad line.
pub const SEGMENT_RECORDS: usize = 500;

pub(crate) fn blob_name(sha256: &str) -> String {
    let a = sha256.get(0..2).unwrap_or("00");
    let b = sha256.get(2..4).unwrap_or("00");
    format!("blobs/{a}/{b}/{sha256}")
}

fn office_dir(key: &PublicKey) -> String {
    format!("offices/{key}")
}

fn segment_name(key: &PublicKey, from: i64, to: i64) -> String {
    format!("{}/log/{from:020}-{to:020}.seg", office_dir(key))
}

/// The range a segment's object name claims, e.g. `…/log/00000000000000000000-00000000000000000042.seg`.
fn parse_segment_name(name: &str) -> Option<(i64, i64)> {
    let file = name.rsplit('/').next()?.strip_suffix(".seg")?;
    let (from, to) = file.split_once('-')?;
    Some((from.parse().ok()?, to.parse().ok()?))
}

/// Where a target keeps the token of the admin's approval (see `push.rs`).
fn approval_name(key: &PublicKey) -> String {
    format!("{}/APPROVAL", office_dir(key))
}

fn head_name(key: &PublicKey) -> String {
    format!("{}/HEAD", office_dir(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_names() {
        let key = OfficeKey::from_seed([1; 32]).public();
        let name = segment_name(&key, 0, 42);
        assert!(name.starts_with(&format!("offices/{key}/log/")));
        assert_eq!(parse_segment_name(&name), Some((0, 42)));
        assert_eq!(parse_segment_name("offices/k/log/junk.seg"), None);
        assert_eq!(
            blob_name(&"ab".repeat(32)),
            format!("blobs/ab/ab/{}", "ab".repeat(32))
        );
    }
}
