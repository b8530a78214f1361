//! People who log in, and their sessions. Passwords are stored only as argon2id
//! hashes; a session token is 32 random bytes handed to the client once and kept
//! here only as its SHA-256, so a copy of the catalogue opens no session.
//! Logins, failed logins, logouts and every change to a user are audited.
//! The admin's changes keep the archive administrable: the last active admin
//! is never disabled or demoted, and an admin never disables or demotes
//! themself (another admin must).

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

/// A user as the admin's list shows them (never the password's hash).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct UserInfo {
    pub name: String,
    pub role: Role,
    /// A disabled user cannot log in and has no open session.
    pub disabled: bool,
    /// When the user was added (RFC 3339).
    pub created_at: String,
}

/// How the audit trail names a login tried with a name no user could have.
const INVALID_NAME: &str = "(nama tidak sah)";

/// Actors the program itself writes into the audit trail.
const RESERVED_NAMES: [&str; 8] = [
    "system",
    "lokal",
    "publik",
    "jadwal-cadangan",
    "demo",
    "penyiapan",
    "sync",
    "restore",
];

/// A user name as stored: trimmed, not empty, no control characters, no
/// longer than a login accepts.
pub(crate) fn check_user_name(name: &str) -> Result<&str> {
    let name = name.trim();
    // Invisible and direction-changing characters would let one name look
    // like another in the audit trail; the program's own actors are not names.
    let invisible = |c: char| {
        c.is_control()
            || matches!(
                c,
                '\u{00ad}' | '\u{034f}' | '\u{061c}' | '\u{180e}' | '\u{feff}'
            )
            || ('\u{200b}'..='\u{200f}').contains(&c)
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2060}'..='\u{206f}').contains(&c)
    };
    if name.is_empty()
        || name.chars().any(invisible)
        || name.chars().count() > crate::archive::MAX_USER_NAME_CHARS
        || RESERVED_NAMES.contains(&name.to_lowercase().as_str())
    {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!(
                "user name: 1 to {} visible characters, not one of {}",
                crate::archive::MAX_USER_NAME_CHARS,
                RESERVED_NAMES.join(", ")
            ),
        ));
    }
    Ok(name)
}

/// A new password is long enough to keep and short enough to log in with.
pub(crate) fn check_new_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        // The message names the minimum already: no detail to repeat it.
        return Err(Error::new(ErrorCode::PasswordTooShort, ""));
    }
    if password.len() > crate::archive::MAX_PASSWORD_BYTES {
        return Err(Error::new(ErrorCode::InvalidInput, "password too long"));
    }
    Ok(())
}

/// The argon2id hash of a new password long enough to keep and short
/// enough to log in with.
pub(crate) fn new_password_hash(password: &str) -> Result<String> {
    check_new_password(password)?;
    hash_password(password)
}

/// An admin's changes to an existing user; `None` leaves a field as it is.
/// Applied together or not at all (`Archive::edit_user`).
#[derive(Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct UserEdit {
    pub role: Option<Role>,
    /// True disables the user (they cannot log in, their sessions end);
    /// false enables them again.
    pub disabled: Option<bool>,
    /// A new password (at least 8 characters); their sessions end.
    pub password: Option<String>,
}

/// One change of a `UserEdit`, the password already hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UserChange<'a> {
    Role(Role),
    Disabled(bool),
    PasswordHash(&'a str),
}

impl Catalogue {
    /// Adds a user, or sets a new role and password for an existing one.
    pub fn set_user(&mut self, name: &str, role: Role, password: &str, actor: &str) -> Result<()> {
        let name = check_user_name(name)?;
        let hash = new_password_hash(password)?;
        let tx = self.write()?;
        // The terminal too never leaves the archive without an active admin.
        if role != Role::Admin {
            let (others, was_admin): (i64, bool) = tx.query_row(
                "SELECT (SELECT COUNT(*) FROM user WHERE role = 'admin' AND disabled = 0 AND name <> ?1),
                        EXISTS (SELECT 1 FROM user WHERE name = ?1 AND role = 'admin' AND disabled = 0)",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if was_admin && others == 0 {
                return Err(Error::new(ErrorCode::LastAdmin, name));
            }
        }
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

    /// Whether anyone may log in at all.
    pub(crate) fn has_users(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM user)", [], |r| r.get(0))?)
    }

    /// The first admin of an archive with no users at all (one rebuilt from
    /// its log): refused the moment any user exists, in the same transaction.
    pub(crate) fn add_first_admin(
        &mut self,
        name: &str,
        password_hash: &str,
        actor: &str,
    ) -> Result<()> {
        let tx = self.write()?;
        let added = tx.execute(
            "INSERT INTO user (name, role, password_hash, created_at)
             SELECT ?1, 'admin', ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM user)",
            (name, password_hash, crate::clock::now_rfc3339()),
        )?;
        if added == 0 {
            return Err(Error::new(ErrorCode::AccessDenied, "the archive has users"));
        }
        crate::audit::append(&tx, actor, "user.add", name, Role::Admin.code())?;
        tx.commit()?;
        Ok(())
    }

    /// Every user, by name.
    pub(crate) fn users(&self) -> Result<Vec<UserInfo>> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, role, disabled, created_at FROM user ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut users = Vec::new();
        for row in rows {
            let (name, role, disabled, created_at) = row?;
            users.push(UserInfo {
                name,
                role: Role::parse(&role)?,
                disabled,
                created_at,
            });
        }
        Ok(users)
    }

    /// Adds a new user; a name already taken is `user_exists`, never a
    /// silent change of someone's password (that is `change_user`).
    pub(crate) fn add_user(
        &mut self,
        name: &str,
        role: Role,
        password_hash: &str,
        actor: &str,
    ) -> Result<()> {
        let tx = self.write()?;
        let added = tx.execute(
            "INSERT INTO user (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (name) DO NOTHING",
            (
                name,
                role.code(),
                password_hash,
                crate::clock::now_rfc3339(),
            ),
        )?;
        if added == 0 {
            return Err(Error::new(ErrorCode::UserExists, name));
        }
        crate::audit::append(&tx, actor, "user.add", name, role.code())?;
        tx.commit()?;
        Ok(())
    }

    /// Applies an admin's changes to a user in one transaction (all or
    /// none), each audited, and ends the user's sessions. A change to what
    /// the user already is is no change and is not audited.
    pub(crate) fn change_user(
        &mut self,
        name: &str,
        changes: &[UserChange],
        actor: &str,
    ) -> Result<()> {
        let tx = self.write()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM user WHERE name = ?1)",
            [name],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(Error::new(ErrorCode::NotFound, name));
        }
        let mut changed = false;
        for change in changes {
            let (role, disabled): (String, bool) = tx.query_row(
                "SELECT role, disabled FROM user WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let role = Role::parse(&role)?;
            let steps_down = match *change {
                UserChange::Role(to) => to != Role::Admin,
                UserChange::Disabled(to) => to,
                UserChange::PasswordHash(_) => false,
            };
            if steps_down && role == Role::Admin && !disabled {
                let admins: i64 = tx.query_row(
                    "SELECT COUNT(*) FROM user WHERE role = 'admin' AND disabled = 0",
                    [],
                    |r| r.get(0),
                )?;
                if admins <= 1 {
                    return Err(Error::new(ErrorCode::LastAdmin, name));
                }
                if name == actor {
                    return Err(Error::new(ErrorCode::OwnAccount, name));
                }
            }
            let (action, detail) = match *change {
                UserChange::Role(to) if to == role => continue,
                UserChange::Disabled(to) if to == disabled => continue,
                UserChange::Role(to) => {
                    tx.execute(
                        "UPDATE user SET role = ?2 WHERE name = ?1",
                        (name, to.code()),
                    )?;
                    ("user.role", format!("{}->{}", role.code(), to.code()))
                }
                UserChange::Disabled(to) => {
                    tx.execute("UPDATE user SET disabled = ?2 WHERE name = ?1", (name, to))?;
                    let action = if to { "user.disable" } else { "user.enable" };
                    (action, String::new())
                }
                UserChange::PasswordHash(hash) => {
                    tx.execute(
                        "UPDATE user SET password_hash = ?2 WHERE name = ?1",
                        (name, hash),
                    )?;
                    ("user.password", String::new())
                }
            };
            crate::audit::append(&tx, actor, action, name, &detail)?;
            changed = true;
        }
        if changed {
            // What the user could do has changed: the sessions opened before
            // end, and they log in again as what they now are (if they may).
            tx.execute("DELETE FROM session WHERE user_name = ?1", [name])?;
            tx.commit()?;
        }
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
        // A name no user could have (control or direction characters that
        // would make it read as another) is not written as given.
        let name = check_user_name(name).unwrap_or(INVALID_NAME);
        let tx = self.write()?;
        crate::audit::append(&tx, name, "user.login_failed", name, "")?;
        for key in locked {
            let key = check_user_name(key).unwrap_or(INVALID_NAME);
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

/// The admin's user management, through `Archive` as the shells call it.
#[cfg(test)]
mod admin_tests {
    use crate::access::{Clearance, Role};
    use crate::archive::Archive;
    use crate::error::{ErrorCode, Result};

    const PW: &str = "kata-sandi-uji";

    /// An archive with one admin, "ani", and her clearance.
    fn archive() -> Result<(tempfile::TempDir, Archive, Clearance)> {
        let dir = tempfile::tempdir()?;
        let archive = Archive::init(&dir.path().join("a"), "KPU Kota Bogor", "32.71")?;
        archive.set_user("ani", Role::Admin, PW, "uji")?;
        let token = archive.login("ani", PW, "uji")?.token;
        let ani = archive.clearance(&token)?;
        Ok((dir, archive, ani))
    }

    fn code<T>(r: Result<T>) -> Option<ErrorCode> {
        r.err().map(|e| e.code)
    }

    /// (action, target, detail) of the audit entries of user changes.
    fn user_audit(a: &Archive) -> Result<Vec<(String, String, String)>> {
        let entries = a.audit_log(None, 1000, &Clearance::operator("uji"))?;
        Ok(entries
            .into_iter()
            .rev()
            .filter(|e| {
                e.action.starts_with("user.")
                    && !["user.login", "user.login_failed", "user.set"].contains(&e.action.as_str())
            })
            .map(|e| (e.action, e.target, e.detail))
            .collect())
    }

    #[test]
    fn only_the_admin_manages_users() -> Result<()> {
        let (_dir, a, _) = archive()?;
        a.set_user("budi", Role::Arsiparis, PW, "uji")?;
        let mut callers = vec![Clearance::public()];
        for role in [Role::Arsiparis, Role::Sekretariat, Role::Publik] {
            callers.push(Clearance::for_session("budi", role));
        }
        for c in &callers {
            let denied = Some(ErrorCode::AccessDenied);
            assert_eq!(code(a.users(c)), denied, "{c:?}");
            assert_eq!(code(a.add_user("eko", Role::Admin, PW, c)), denied);
            assert_eq!(code(a.set_user_role("budi", Role::Admin, c)), denied);
            assert_eq!(code(a.set_user_disabled("ani", true, c)), denied);
            assert_eq!(code(a.reset_password("ani", "baru-12345", c)), denied);
        }
        let users = a.users(&Clearance::operator("uji"))?;
        let names: Vec<(&str, Role, bool)> = users
            .iter()
            .map(|u| (u.name.as_str(), u.role, u.disabled))
            .collect();
        assert_eq!(
            names,
            [
                ("ani", Role::Admin, false),
                ("budi", Role::Arsiparis, false)
            ]
        );
        assert!(
            a.login("ani", PW, "uji").is_ok(),
            "the password is unchanged"
        );
        assert!(
            user_audit(&a)?.is_empty(),
            "nothing changed, nothing audited"
        );
        Ok(())
    }

    #[test]
    fn an_added_user_logs_in_and_names_and_passwords_are_checked() -> Result<()> {
        let (_dir, a, ani) = archive()?;
        a.add_user("  sri  ", Role::Sekretariat, PW, &ani)?;
        assert_eq!(a.login("sri", PW, "uji")?.role, Role::Sekretariat);
        assert_eq!(
            code(a.add_user("sri", Role::Admin, "lain-12345", &ani)),
            Some(ErrorCode::UserExists)
        );
        assert!(
            a.login("sri", PW, "uji").is_ok(),
            "a taken name keeps its password"
        );
        assert_eq!(
            code(a.add_user("eko", Role::Arsiparis, "pendek", &ani)),
            Some(ErrorCode::PasswordTooShort)
        );
        let long = "x".repeat(crate::archive::MAX_PASSWORD_BYTES + 1);
        assert_eq!(
            code(a.add_user("eko", Role::Arsiparis, &long, &ani)),
            Some(ErrorCode::InvalidInput)
        );
        for bad in ["", "   ", "e\nko", &"e".repeat(65)] {
            assert_eq!(
                code(a.add_user(bad, Role::Arsiparis, PW, &ani)),
                Some(ErrorCode::InvalidInput),
                "{bad:?}"
            );
        }
        assert_eq!(
            user_audit(&a)?,
            [("user.add".into(), "sri".into(), "sekretariat".into())]
        );
        Ok(())
    }

    #[test]
    fn a_disabled_user_loses_their_sessions_and_cannot_log_in_until_enabled() -> Result<()> {
        let (_dir, a, ani) = archive()?;
        a.add_user("budi", Role::Arsiparis, PW, &ani)?;
        let token = a.login("budi", PW, "uji")?.token;
        a.set_user_disabled("budi", true, &ani)?;
        assert_eq!(code(a.clearance(&token)), Some(ErrorCode::NotLoggedIn));
        assert_eq!(
            code(a.login("budi", PW, "uji")),
            Some(ErrorCode::WrongPassword)
        );
        assert!(a
            .users(&ani)?
            .iter()
            .any(|u| u.name == "budi" && u.disabled));
        // Disabling twice is no second change.
        a.set_user_disabled("budi", true, &ani)?;
        a.set_user_disabled("budi", false, &ani)?;
        assert!(a.login("budi", PW, "uji").is_ok());
        assert_eq!(
            code(a.set_user_disabled("tidak-ada", true, &ani)),
            Some(ErrorCode::NotFound)
        );
        let actions: Vec<String> = user_audit(&a)?.into_iter().map(|e| e.0).collect();
        assert_eq!(actions, ["user.add", "user.disable", "user.enable"]);
        Ok(())
    }

    #[test]
    fn a_new_role_or_password_ends_the_users_sessions() -> Result<()> {
        let (_dir, a, ani) = archive()?;
        a.add_user("budi", Role::Arsiparis, PW, &ani)?;
        let token = a.login("budi", PW, "uji")?.token;
        a.set_user_role("budi", Role::Sekretariat, &ani)?;
        assert_eq!(code(a.clearance(&token)), Some(ErrorCode::NotLoggedIn));
        let token = a.login("budi", PW, "uji")?.token;
        assert_eq!(a.clearance(&token)?.role(), Role::Sekretariat);
        a.reset_password("budi", "baru-123456", &ani)?;
        assert_eq!(code(a.clearance(&token)), Some(ErrorCode::NotLoggedIn));
        assert_eq!(
            code(a.login("budi", PW, "uji")),
            Some(ErrorCode::WrongPassword)
        );
        assert!(a.login("budi", "baru-123456", "uji").is_ok());
        assert_eq!(
            code(a.reset_password("budi", "pendek", &ani)),
            Some(ErrorCode::PasswordTooShort)
        );
        assert_eq!(
            code(a.reset_password("tidak-ada", "baru-123456", &ani)),
            Some(ErrorCode::NotFound)
        );
        let audit = user_audit(&a)?;
        assert_eq!(
            audit[1..],
            [
                (
                    "user.role".into(),
                    "budi".into(),
                    "arsiparis->sekretariat".into()
                ),
                ("user.password".into(), "budi".into(), String::new()),
            ]
        );
        Ok(())
    }

    #[test]
    fn the_terminal_cannot_demote_the_last_active_admin_either() -> Result<()> {
        let (_dir, a, _ani) = archive()?;
        assert_eq!(
            code(a.set_user("ani", Role::Publik, PW, "uji")),
            Some(ErrorCode::LastAdmin)
        );
        // A new password for the same admin is the terminal's way back in.
        a.set_user("ani", Role::Admin, PW, "uji")?;
        Ok(())
    }

    #[test]
    fn the_last_active_admin_is_never_disabled_or_demoted() -> Result<()> {
        let (_dir, a, ani) = archive()?;
        // Not by the terminal, not by herself.
        for c in [&Clearance::operator("uji"), &ani] {
            assert_eq!(
                code(a.set_user_disabled("ani", true, c)),
                Some(ErrorCode::LastAdmin)
            );
            assert_eq!(
                code(a.set_user_role("ani", Role::Arsiparis, c)),
                Some(ErrorCode::LastAdmin)
            );
        }
        // A disabled admin does not count: with "eko" disabled, ani is still the last.
        a.add_user("eko", Role::Admin, PW, &ani)?;
        a.set_user_disabled("eko", true, &ani)?;
        assert_eq!(
            code(a.set_user_role("ani", Role::Publik, &Clearance::operator("uji"))),
            Some(ErrorCode::LastAdmin)
        );
        a.set_user_disabled("eko", false, &ani)?;
        // With two, the terminal may demote one; then the other is the last.
        a.set_user_role("ani", Role::Arsiparis, &Clearance::operator("uji"))?;
        assert_eq!(
            code(a.set_user_disabled("eko", true, &Clearance::operator("uji"))),
            Some(ErrorCode::LastAdmin)
        );
        let admins = a.users(&Clearance::operator("uji"))?;
        assert!(admins
            .iter()
            .any(|u| u.name == "eko" && u.role == Role::Admin && !u.disabled));
        Ok(())
    }

    #[test]
    fn an_admin_cannot_disable_or_demote_themself() -> Result<()> {
        let (_dir, a, ani) = archive()?;
        a.add_user("eko", Role::Admin, PW, &ani)?;
        assert_eq!(
            code(a.set_user_disabled("ani", true, &ani)),
            Some(ErrorCode::OwnAccount)
        );
        assert_eq!(
            code(a.set_user_role("ani", Role::Arsiparis, &ani)),
            Some(ErrorCode::OwnAccount)
        );
        // Her own password she may change; another admin may demote her.
        a.reset_password("ani", "baru-123456", &ani)?;
        let eko = a.clearance(&a.login("eko", PW, "uji")?.token)?;
        a.set_user_role("ani", Role::Arsiparis, &eko)?;
        Ok(())
    }

    #[test]
    fn an_edit_of_several_fields_is_applied_whole_or_not_at_all() -> Result<()> {
        let (_dir, a, ani) = archive()?;
        a.add_user("budi", Role::Arsiparis, PW, &ani)?;
        let edit = |role, disabled, password: &str| crate::catalogue::UserEdit {
            role,
            disabled,
            password: Some(password.to_string()),
        };
        // A short password refuses the role change that came with it.
        let short = edit(Some(Role::Admin), None, "pendek");
        assert_eq!(
            code(a.edit_user("budi", &short, &ani)),
            Some(ErrorCode::PasswordTooShort)
        );
        // So does the last admin's guard the new password that came with it.
        let own = edit(None, Some(true), "baru-123456");
        assert_eq!(
            code(a.edit_user("ani", &own, &ani)),
            Some(ErrorCode::LastAdmin)
        );
        assert!(a.login("ani", PW, "uji").is_ok());
        let users = a.users(&ani)?;
        assert!(users
            .iter()
            .any(|u| u.name == "budi" && u.role == Role::Arsiparis));
        let both = edit(Some(Role::Admin), Some(true), "baru-123456");
        a.edit_user("budi", &both, &ani)?;
        let actions: Vec<String> = user_audit(&a)?.into_iter().map(|e| e.0).collect();
        assert_eq!(
            actions,
            ["user.add", "user.role", "user.disable", "user.password"]
        );
        Ok(())
    }

    #[test]
    fn no_password_or_hash_reaches_the_audit_trail() -> Result<()> {
        let (_dir, a, ani) = archive()?;
        a.add_user("budi", Role::Arsiparis, "rahasia-budi-1", &ani)?;
        a.reset_password("budi", "rahasia-budi-2", &ani)?;
        let entries = a.audit_log(None, 1000, &Clearance::operator("uji"))?;
        assert!(entries.len() > 2);
        for e in entries {
            let all = format!("{} {} {} {}", e.actor, e.action, e.target, e.detail);
            assert!(!all.contains("rahasia-budi"), "{all}");
            assert!(!all.contains("$argon2"), "{all}");
        }
        Ok(())
    }
}
