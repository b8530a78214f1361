//! Login throttling: failed logins slow down, then lock, per user name and
//! per client address, so a password cannot be guessed by a loop and a
//! loop cannot take the server's cores (a refused attempt costs no argon2
//! check). The state is kept in memory per process: a restart forgets it,
//! which is no help to an attacker who cannot restart the server.

use std::collections::HashMap;
use std::sync::Mutex;

/// Failures of one user name from one client allowed before each further
/// attempt must wait, and after which that pair is locked.
pub const FREE_FAILURES: u32 = 3;
pub const LOCK_AFTER: u32 = 10;
/// The same for one client address over all names: a shared office PC sees
/// several people's typing mistakes, a password sprayer far more.
pub const ADDRESS_FREE_FAILURES: u32 = 10;
pub const ADDRESS_LOCK_AFTER: u32 = 50;
/// One user name over all clients only ever waits, never locks: otherwise
/// anyone could keep a colleague locked out with a wrong password every
/// quarter of an hour.
pub const NAME_FREE_FAILURES: u32 = 5;
/// How long a lock lasts, in seconds.
pub const LOCK_SECS: i64 = 15 * 60;
/// The longest wait between attempts before a lock, in seconds.
const MAX_BACKOFF_SECS: i64 = 30;
/// Entries kept before quiet ones are forgotten.
const MAX_ENTRIES: usize = 10_000;

#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    failures: u32,
    /// No attempt is checked before this time (unix seconds).
    wait_until: i64,
    last_failure: i64,
}

/// What a failed attempt led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failed {
    /// Counted; further attempts may have to wait.
    Counted,
    /// This failure locked these keys (`name:…`, `addr:…`): audit it once.
    Locked(Vec<String>),
}

#[derive(Default)]
pub struct Throttle {
    entries: Mutex<HashMap<String, Entry>>,
}

fn keys(name: &str, client: &str) -> [String; 3] {
    [
        format!("pair:{name}@{client}"),
        format!("addr:{client}"),
        format!("name:{name}"),
    ]
}

/// (free failures, lock after) for a key.
fn limits(key: &str) -> (u32, Option<u32>) {
    if key.starts_with("addr:") {
        (ADDRESS_FREE_FAILURES, Some(ADDRESS_LOCK_AFTER))
    } else if key.starts_with("name:") {
        (NAME_FREE_FAILURES, None)
    } else {
        (FREE_FAILURES, Some(LOCK_AFTER))
    }
}

impl Throttle {
    /// Seconds to wait before `name` may try again from `client`; 0 when it may now.
    pub fn wait(&self, name: &str, client: &str, now: i64) -> i64 {
        let entries = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        keys(name, client)
            .iter()
            .filter_map(|k| entries.get(k))
            .map(|e| e.wait_until - now)
            .max()
            .unwrap_or(0)
            .max(0)
    }

    /// Counts a failed attempt against the name and the address.
    pub fn failed(&self, name: &str, client: &str, now: i64) -> Failed {
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.len() > MAX_ENTRIES {
            entries.retain(|_, e| now - e.last_failure < LOCK_SECS);
        }
        let mut locked = Vec::new();
        for key in keys(name, client) {
            let e = entries.entry(key.clone()).or_default();
            // A quiet hour forgives old failures.
            if now - e.last_failure > 3600 {
                e.failures = 0;
            }
            e.failures += 1;
            e.last_failure = now;
            let (free, lock) = limits(&key);
            if let Some(lock) = lock.filter(|l| e.failures >= *l) {
                if e.failures == lock {
                    locked.push(key);
                }
                e.wait_until = now + LOCK_SECS;
            } else if e.failures >= free {
                let backoff = 1i64 << (e.failures - free).min(5);
                e.wait_until = now + backoff.min(MAX_BACKOFF_SECS);
            }
        }
        if locked.is_empty() {
            Failed::Counted
        } else {
            Failed::Locked(locked)
        }
    }

    /// A right password clears the failures of the name and the address.
    pub fn succeeded(&self, name: &str, client: &str) {
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for key in keys(name, client) {
            entries.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_back_off_then_lock_once() {
        let t = Throttle::default();
        let mut now = 1_000;
        for _ in 0..FREE_FAILURES - 1 {
            assert_eq!(t.wait("sri", "10.0.0.9", now), 0);
            assert_eq!(t.failed("sri", "10.0.0.9", now), Failed::Counted);
        }
        assert_eq!(t.wait("sri", "10.0.0.9", now), 0);
        t.failed("sri", "10.0.0.9", now);
        assert!(
            t.wait("sri", "10.0.0.9", now) > 0,
            "the third failure waits"
        );
        // Another person on the same computer does not (a shared office PC).
        assert_eq!(t.wait("budi", "10.0.0.9", now), 0);
        let mut locks = 0;
        for _ in FREE_FAILURES..LOCK_AFTER + 3 {
            now += t.wait("sri", "10.0.0.9", now);
            if let Failed::Locked(keys) = t.failed("sri", "10.0.0.9", now) {
                locks += 1;
                assert_eq!(keys, ["pair:sri@10.0.0.9"]);
            }
        }
        assert_eq!(locks, 1, "a lock is reported once");
        assert!(t.wait("sri", "10.0.0.9", now) >= LOCK_SECS - 1);
        // Sri at her own desk only waits out the name's backoff: a guesser
        // elsewhere cannot lock her out.
        let own_desk = t.wait("sri", "10.0.0.7", now);
        assert!(own_desk <= MAX_BACKOFF_SECS, "{own_desk}");
        let budi = t.wait("budi", "10.0.0.9", now);
        assert!(
            budi < 60,
            "budi on the same PC waits seconds, not a lock: {budi}"
        );
        t.succeeded("sri", "10.0.0.9");
        assert_eq!(t.wait("sri", "10.0.0.9", now), 0);
    }

    #[test]
    fn an_address_guessing_many_names_is_locked() {
        let t = Throttle::default();
        let mut now = 1_000;
        let mut locked = Vec::new();
        for i in 0..ADDRESS_LOCK_AFTER {
            let name = format!("nama{i}");
            now += t.wait(&name, "10.0.0.66", now);
            if let Failed::Locked(keys) = t.failed(&name, "10.0.0.66", now) {
                locked.extend(keys);
            }
        }
        assert_eq!(locked, ["addr:10.0.0.66"]);
        assert!(t.wait("siapa-saja", "10.0.0.66", now) >= LOCK_SECS - 1);
        assert_eq!(t.wait("siapa-saja", "10.0.0.67", now), 0);
    }
}
