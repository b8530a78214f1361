//! People who log in, and their sessions. Passwords are stored only as argon2id
//! hashes; a session token is 32 random bytes handed to the client once and kept
//! here only as its SHA-256, so a copy of the catalogue opens no session.
//! Logins, failed logins, new users and logouts are audited.

use super::Catalogue;
use crate::access::Role;
use crate::error::{Error, ErrorCode, Result};
use argon2::password_hash::{PasswordHash, SaltString};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};

/// Migration 2: users and sessions.
pub(super) const SCHEMA: &str = r#"
CREATE TABLE user (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('admin', 'arsiparis', 'sekretariat', 'publik')),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE session (
    token_sha256 TEXT PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES user(name),
    created_at TEXT NOT NULL,
    expires_unix INTEGER NOT NULL
);
CREATE INDEX session_user ON session(user_name);
"#;

/// A hash no password is known for, checked when a login names no user.
static STAND_IN_HASH: std::sync::LazyLock<Option<String>> =
    std::sync::LazyLock::new(|| hash_password(&hex::encode(random_bytes())).ok());

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// A logged-in user: who, with which role, holding which token until when.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct Session {
    pub user: String,
    pub role: Role,
    /// Given to the client once; only its hash is stored.
    pub token: String,
    pub expires_unix: i64,
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// 32 bytes from the thread's CSPRNG (ChaCha, seeded by the OS).
fn random_bytes() -> [u8; 32] {
    let mut bytes = [0u8; 32];
    rand::Rng::fill(&mut rand::rng(), &mut bytes);
    bytes
}

fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::encode_b64(&random_bytes()[..16])
        .map_err(|e| Error::new(ErrorCode::Internal, format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::new(ErrorCode::Internal, format!("argon2: {e}")))
}

/// Checks a password against a stored hash; an unknown user (`None`) is
/// checked against a stand-in hash, so it takes as long as a wrong password
/// and the answer's timing does not reveal which names exist.
pub(crate) fn verify_password(stored: Option<&str>, password: &str) -> bool {
    let found = stored.is_some();
    let stored = stored.unwrap_or_else(|| STAND_IN_HASH.as_deref().unwrap_or_default());
    let matches = PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false);
    found && matches
}

/// A wrong password and an unknown user get the same answer, so a login form
/// tells no one which names exist.
pub(crate) fn wrong_login() -> Error {
    Error::new(ErrorCode::WrongPassword, "")
}

impl Catalogue {
    /// Adds a user, or sets a new role and password for an existing one.
    pub fn set_user(&mut self, name: &str, role: Role, password: &str, actor: &str) -> Result<()> {
        let name = name.trim();
        if name.is_empty()
            || name.chars().any(char::is_control)
            || name.chars().count() > crate::archive::MAX_USER_NAME_CHARS
        {
            return Err(Error::new(ErrorCode::InvalidInput, "user name"));
        }
        if password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(Error::new(
                ErrorCode::PasswordTooShort,
                format!("{MIN_PASSWORD_CHARS}"),
            ));
        }
        let hash = hash_password(password)?;
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO user (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash,
             disabled = 0",
            (name, role.code(), &hash, crate::clock::now_rfc3339()),
        )?;
        // A new password ends the sessions opened with the old one.
        tx.execute("DELETE FROM session WHERE user_name = ?1", [name])?;
        crate::audit::append(&tx, actor, "user.set", name, role.code())?;
        tx.commit()?;
        Ok(())
    }

    /// Checks a password and opens a session lasting `ttl_secs` from
    /// `now_unix`. `Archive::login` runs the same steps with throttling and
    /// the password check outside the catalogue's lock.
    #[cfg(test)]
    pub fn login(
        &mut self,
        name: &str,
        password: &str,
        now_unix: i64,
        ttl_secs: i64,
    ) -> Result<Session> {
        let row = self.credentials(name)?;
        match row.filter(|(_, stored)| verify_password(Some(stored), password)) {
            Some((role, _)) => self.open_session(name, &role, now_unix, ttl_secs),
            None => {
                self.login_failed(name, &[])?;
                Err(wrong_login())
            }
        }
    }

    /// The role and password hash of an enabled user.
    pub(crate) fn credentials(&self, name: &str) -> Result<Option<(String, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT role, password_hash FROM user WHERE name = ?1 AND disabled = 0",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Audits a failed login, and the locks it caused (once each).
    pub(crate) fn login_failed(&mut self, name: &str, locked: &[String]) -> Result<()> {
        let tx = self.write()?;
        crate::audit::append(&tx, name, "user.login_failed", name, "")?;
        for key in locked {
            crate::audit::append(&tx, name, "user.login_locked", key, "")?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Opens a session for a user whose password was checked.
    pub(crate) fn open_session(
        &mut self,
        name: &str,
        role: &str,
        now_unix: i64,
        ttl_secs: i64,
    ) -> Result<Session> {
        let tx = self.write()?;
        let token = hex::encode(random_bytes());
        let expires_unix = now_unix + ttl_secs;
        // Sessions ended over a day ago are forgotten; a recently ended one
        // still answers "expired", so its user is told why, not just refused.
        tx.execute(
            "DELETE FROM session WHERE expires_unix <= ?1",
            [now_unix - 86_400],
        )?;
        tx.execute(
            "INSERT INTO session (token_sha256, user_name, created_at, expires_unix) VALUES (?1, ?2, ?3, ?4)",
            (token_hash(&token), name, crate::clock::now_rfc3339(), expires_unix),
        )?;
        crate::audit::append(&tx, name, "user.login", name, "")?;
        tx.commit()?;
        Ok(Session {
            user: name.to_string(),
            role: Role::parse(role)?,
            token,
            expires_unix,
        })
    }

    /// The user and role behind a token still valid at `now_unix`.
    pub fn session(&self, token: &str, now_unix: i64) -> Result<(String, Role)> {
        let row: Option<(String, String, i64)> = self
            .conn
            .query_row(
                "SELECT s.user_name, u.role, s.expires_unix FROM session s
                 JOIN user u ON u.name = s.user_name
                 WHERE s.token_sha256 = ?1 AND u.disabled = 0",
                [token_hash(token)],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        match row {
            None => Err(Error::new(ErrorCode::NotLoggedIn, "")),
            Some((_, _, expires)) if expires <= now_unix => {
                Err(Error::new(ErrorCode::SessionExpired, ""))
            }
            Some((user, role, _)) => Ok((user, Role::parse(&role)?)),
        }
    }

    /// Ends a session; ending an unknown one is not an error.
    pub fn logout(&mut self, token: &str) -> Result<()> {
        let tx = self.write()?;
        let user: Option<String> = tx
            .query_row(
                "DELETE FROM session WHERE token_sha256 = ?1 RETURNING user_name",
                [token_hash(token)],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(user) = user {
            crate::audit::append(&tx, &user, "user.logout", &user, "")?;
        }
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Result<(tempfile::TempDir, Catalogue)> {
        let dir = tempfile::tempdir()?;
        let cat = Catalogue::open(&dir.path().join("c.sqlite"))?;
        Ok((dir, cat))
    }

    #[test]
    fn a_password_opens_a_session_until_it_expires() -> Result<()> {
        let (_dir, mut cat) = catalogue()?;
        cat.set_user("sri", Role::Sekretariat, "rahasia-123", "admin")?;
        let s = cat.login("sri", "rahasia-123", 1_000, 60)?;
        assert_eq!(s.role, Role::Sekretariat);
        assert_eq!(cat.session(&s.token, 1_059)?.1, Role::Sekretariat);
        let late = cat.session(&s.token, 1_060).err().map(|e| e.code);
        assert_eq!(late, Some(ErrorCode::SessionExpired));
        let forged = cat.session("00", 1_000).err().map(|e| e.code);
        assert_eq!(forged, Some(ErrorCode::NotLoggedIn));
        Ok(())
    }

    #[test]
    fn wrong_password_and_unknown_user_look_the_same() -> Result<()> {
        let (_dir, mut cat) = catalogue()?;
        cat.set_user("sri", Role::Arsiparis, "rahasia-123", "admin")?;
        let wrong = cat.login("sri", "rahasia-124", 0, 60).err();
        let unknown = cat.login("budi", "rahasia-123", 0, 60).err();
        assert_eq!(
            wrong.as_ref().map(|e| e.code),
            Some(ErrorCode::WrongPassword)
        );
        assert_eq!(wrong.map(|e| e.to_string()), unknown.map(|e| e.to_string()));
        Ok(())
    }

    #[test]
    fn the_password_is_stored_only_as_an_argon2_hash() -> Result<()> {
        let (_dir, mut cat) = catalogue()?;
        cat.set_user("sri", Role::Admin, "rahasia-123", "admin")?;
        let stored: String = cat
            .conn
            .query_row("SELECT password_hash FROM user", [], |r| r.get(0))?;
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(!stored.contains("rahasia-123"));
        Ok(())
    }

    #[test]
    fn a_new_password_ends_old_sessions_and_logout_ends_one() -> Result<()> {
        let (_dir, mut cat) = catalogue()?;
        cat.set_user("sri", Role::Admin, "rahasia-123", "admin")?;
        let a = cat.login("sri", "rahasia-123", 0, 600)?;
        let b = cat.login("sri", "rahasia-123", 0, 600)?;
        cat.logout(&a.token)?;
        assert!(cat.session(&a.token, 1).is_err());
        assert!(cat.session(&b.token, 1).is_ok());
        cat.set_user("sri", Role::Admin, "baru-456789", "admin")?;
        assert!(cat.session(&b.token, 1).is_err());
        let short = cat.set_user("budi", Role::Publik, "pendek", "admin").err();
        assert_eq!(short.map(|e| e.code), Some(ErrorCode::PasswordTooShort));
        Ok(())
    }
}
