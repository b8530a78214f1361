//! The tamper-evident audit trail: an append-only table whose every entry's hash
//! covers the previous entry's hash. `verify` names the first entry that was
//! altered or removed.
//!
//! The hashed bytes are a frozen serialization (format version 1, below): never
//! change it; add a version 2 beside it instead. A golden-bytes test guards it.

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The frozen v1 serialization: fields joined by a unit separator, each
/// length-prefixed so no field value can imitate a boundary.
fn entry_bytes_v1(
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    target: &str,
    detail: &str,
    prev: &str,
) -> Vec<u8> {
    let mut out = b"arsip-audit-v1".to_vec();
    for field in [
        &seq.to_string()[..],
        at,
        actor,
        action,
        target,
        detail,
        prev,
    ] {
        out.push(0x1f);
        out.extend_from_slice(field.len().to_string().as_bytes());
        out.push(b':');
        out.extend_from_slice(field.as_bytes());
    }
    out
}

fn hash_v1(
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    target: &str,
    detail: &str,
    prev: &str,
) -> String {
    hex::encode(Sha256::digest(entry_bytes_v1(
        seq, at, actor, action, target, detail, prev,
    )))
}

/// Appends an entry; call inside the transaction of the change it records.
pub fn append(
    conn: &Connection,
    actor: &str,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<()> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_string()),
    };
    let at = crate::clock::now_rfc3339();
    let hash = hash_v1(seq, &at, actor, action, target, detail, &prev);
    conn.execute(
        "INSERT INTO audit (seq, at, actor, action, target, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![seq, at, actor, action, target, detail, prev, hash],
    )?;
    Ok(())
}

fn entry_from_row(r: &rusqlite::Row) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        target: r.get(4)?,
        detail: r.get(5)?,
        prev_hash: r.get(6)?,
        hash: r.get(7)?,
    })
}

/// The newest entries, newest first, those before `before` when given.
/// The public's reads audited so far in the current hour, by (action,
/// target): anonymous requests are audited once per record, action and
/// hour per process, so a loop of anonymous views adds a handful of
/// entries, not one per request (the chain cannot be flooded).
#[derive(Default)]
pub(crate) struct ReadTally {
    seen: std::sync::Mutex<(i64, std::collections::HashSet<(String, String)>)>,
}

impl ReadTally {
    /// True the first time `action` on `target` is seen in this hour.
    pub(crate) fn first_this_hour(&self, action: &str, target: &str) -> bool {
        let hour = crate::clock::now_unix() / 3600;
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if seen.0 != hour {
            *seen = (hour, Default::default());
        }
        seen.1.insert((action.to_string(), target.to_string()))
    }
}

pub fn recent(conn: &Connection, before: Option<i64>, limit: usize) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit
         WHERE seq < ?1 ORDER BY seq DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map((before.unwrap_or(i64::MAX), limit as i64), entry_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct AuditReport {
    pub entries: i64,
    /// The first entry whose content, link or position is wrong.
    pub first_broken: Option<i64>,
}

pub fn verify(conn: &Connection) -> Result<AuditReport> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit ORDER BY seq",
    )?;
    let rows = stmt.query_map([], entry_from_row)?;
    let mut prev = GENESIS.to_string();
    let mut entries = 0;
    for (expected_seq, row) in (1..).zip(rows) {
        let e = row?;
        entries += 1;
        let recomputed = hash_v1(
            e.seq,
            &e.at,
            &e.actor,
            &e.action,
            &e.target,
            &e.detail,
            &e.prev_hash,
        );
        if e.seq != expected_seq || e.prev_hash != prev || recomputed != e.hash {
            return Ok(AuditReport {
                entries,
                first_broken: Some(e.seq.min(expected_seq)),
            });
        }
        prev = e.hash;
    }
    Ok(AuditReport {
        entries,
        first_broken: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_bytes_v1() {
        let bytes = entry_bytes_v1(
            7,
            "2024-02-14T08:00:00Z",
            "siti",
            "record.edit",
            "r1",
            "a=b",
            GENESIS,
        );
        let expected = [
            &b"arsip-audit-v1\x1f1:7\x1f20:2024-02-14T08:00:00Z\x1f4:siti\x1f11:record.edit\x1f2:r1\x1f3:a=b\x1f64:"[..],
            GENESIS.as_bytes(),
        ]
        .concat();
        assert_eq!(bytes, expected);
        assert_eq!(
            hash_v1(
                7,
                "2024-02-14T08:00:00Z",
                "siti",
                "record.edit",
                "r1",
                "a=b",
                GENESIS
            ),
            hex::encode(Sha256::digest(&expected))
        );
    }

    fn chain() -> Result<Connection> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(
            "CREATE TABLE audit (seq INTEGER PRIMARY KEY, at TEXT, actor TEXT, action TEXT, target TEXT,
             detail TEXT, prev_hash TEXT, hash TEXT)",
        )?;
        for i in 0..5 {
            append(&conn, "siti", "record.edit", &format!("r{i}"), "title=x")?;
        }
        Ok(conn)
    }

    #[test]
    fn an_intact_chain_verifies() -> Result<()> {
        let conn = chain()?;
        assert_eq!(
            verify(&conn)?,
            AuditReport {
                entries: 5,
                first_broken: None
            }
        );
        Ok(())
    }

    #[test]
    fn an_edited_entry_is_named() -> Result<()> {
        let conn = chain()?;
        conn.execute("UPDATE audit SET actor = 'mallory' WHERE seq = 3", [])?;
        assert_eq!(verify(&conn)?.first_broken, Some(3));
        Ok(())
    }

    #[test]
    fn a_removed_entry_is_named() -> Result<()> {
        let conn = chain()?;
        conn.execute("DELETE FROM audit WHERE seq = 2", [])?;
        assert_eq!(verify(&conn)?.first_broken, Some(2));
        Ok(())
    }

    #[test]
    fn a_rehashed_forgery_breaks_the_next_link() -> Result<()> {
        let conn = chain()?;
        let prev: String =
            conn.query_row("SELECT prev_hash FROM audit WHERE seq = 3", [], |r| {
                r.get(0)
            })?;
        let at: String = conn.query_row("SELECT at FROM audit WHERE seq = 3", [], |r| r.get(0))?;
        let forged = hash_v1(3, &at, "mallory", "record.edit", "r2", "title=x", &prev);
        conn.execute(
            "UPDATE audit SET actor = 'mallory', hash = ?1 WHERE seq = 3",
            [forged],
        )?;
        assert_eq!(verify(&conn)?.first_broken, Some(4));
        Ok(())
    }
}
