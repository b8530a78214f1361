//! Deciding what a push sends, from what this office holds and what the
//! target already has: pure functions, tested without a store.

use super::segment::Head;
use crate::catalogue::SegmentInfo;
use crate::error::{Error, ErrorCode, Result};
use std::collections::HashMap;

/// What the target holds of this office's log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RemoteLog {
    pub head: Option<Head>,
    /// Segments present, by their first sequence: (last sequence, size in bytes).
    pub segments: HashMap<i64, (i64, u64)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogPlan {
    /// Segments to upload (by first sequence), oldest first.
    pub segments: Vec<i64>,
    /// The HEAD to write last: (last sequence, hash), when it moves.
    pub head: Option<(i64, String)>,
}

/// The segments a target lacks (missing, or of the wrong size: a torn copy on
/// a flash drive) and whether its HEAD must move. Refuses a target whose log
/// is not a prefix of this office's: it was written by another archive holding
/// this office's key (a restored backup, a copied installation), and pushing
/// would fork the office's history.
pub fn plan_log(local: &[(SegmentInfo, u64)], remote: &RemoteLog) -> Result<LogPlan> {
    let last = local.last().map(|(s, _)| (s.to, s.hash.clone()));
    if let Some(head) = &remote.head {
        let ours = local.iter().find(|(s, _)| s.to == head.to);
        match ours {
            Some((s, _)) if s.hash == head.hash => {}
            _ if head.to == 0 && head.hash.is_empty() => {}
            _ => {
                return Err(Error::new(
                    ErrorCode::SyncConflict,
                    format!(
                        "the target's log of this office ends at {} ({}), which this archive did not write (it ends at {})",
                        head.to,
                        short(&head.hash),
                        last.as_ref().map(|l| l.0).unwrap_or(0)
                    ),
                ))
            }
        }
    }
    let segments = local
        .iter()
        .filter(|(s, size)| remote.segments.get(&s.from) != Some(&(s.to, *size)))
        .map(|(s, _)| s.from)
        .collect();
    let head = match (&last, &remote.head) {
        (Some(l), Some(h)) if l.0 == h.to => None,
        (Some(l), _) => Some(l.clone()),
        (None, _) => None,
    };
    Ok(LogPlan { segments, head })
}

/// The blobs to upload: those needed that the target lacks, or holds at
/// another size (a torn write), each once, in hash order.
pub fn blobs_to_send(
    needed: impl IntoIterator<Item = (String, u64)>,
    present: &HashMap<String, u64>,
) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = needed
        .into_iter()
        .filter(|(sha, size)| present.get(sha) != Some(size))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(from: i64, to: i64) -> (SegmentInfo, u64) {
        (
            SegmentInfo {
                from,
                to,
                hash: format!("h{to}"),
            },
            100 + to as u64,
        )
    }

    fn head(to: i64, hash: &str) -> Option<Head> {
        Some(Head {
            format: 1,
            office: "k".into(),
            name: "KPU".into(),
            to,
            hash: hash.into(),
        })
    }

    fn remote(head: Option<Head>, present: &[(SegmentInfo, u64)]) -> RemoteLog {
        RemoteLog {
            head,
            segments: present.iter().map(|(s, n)| (s.from, (s.to, *n))).collect(),
        }
    }

    fn check(
        local: &[(SegmentInfo, u64)],
        remote: &RemoteLog,
        segments: &[i64],
        head: Option<i64>,
    ) {
        let plan = plan_log(local, remote);
        assert!(plan.is_ok(), "{plan:?}");
        let plan = plan.unwrap_or_default();
        assert_eq!(plan.segments, segments);
        assert_eq!(plan.head.map(|h| h.0), head);
    }

    #[test]
    fn what_a_push_sends() {
        let log = [seg(0, 5), seg(5, 9), seg(9, 20)];
        // A new target gets everything, HEAD last.
        check(&log, &RemoteLog::default(), &[0, 5, 9], Some(20));
        // Up to date: nothing.
        check(&log, &remote(head(20, "h20"), &log), &[], None);
        // Cut off after two segments, before HEAD: the third, then HEAD.
        check(&log, &remote(head(5, "h5"), &log[..2]), &[9], Some(20));
        // A torn copy (wrong size) is sent again; HEAD stays.
        let mut torn = remote(head(20, "h20"), &log);
        torn.segments.insert(5, (9, 3));
        check(&log, &torn, &[5], None);
        // Nothing sealed yet: nothing to send.
        check(&[], &RemoteLog::default(), &[], None);
    }

    #[test]
    fn a_target_written_by_another_archive_is_refused() {
        let log = [seg(0, 5), seg(5, 9)];
        for h in [head(9, "other"), head(30, "h30"), head(7, "h7")] {
            let err = plan_log(&log, &remote(h, &log)).err().map(|e| e.code);
            assert_eq!(err, Some(ErrorCode::SyncConflict));
        }
    }

    #[test]
    fn blobs_already_there_are_not_sent_again() {
        let present = HashMap::from([("a".to_string(), 10), ("b".to_string(), 5)]);
        let needed = [
            ("c".to_string(), 1),
            ("a".to_string(), 10),
            ("b".to_string(), 7),
            ("c".to_string(), 1),
        ];
        assert_eq!(
            blobs_to_send(needed, &present),
            vec![("b".to_string(), 7), ("c".to_string(), 1)]
        );
    }
}
