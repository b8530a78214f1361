//! Who may see and do what. Access levels follow the KPU's classification of
//! dynamic records; a `Clearance` is carried into every read that can return
//! record content and every write, so no shell can forget the check, and no
//! crate outside the core can make one wider than it was given.

use crate::error::{Error, ErrorCode, Result};
use serde::Serialize;

/// The access class of a record, ordered from public to most restricted.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum AccessLevel {
    Terbuka = 0,
    Terbatas = 1,
    Rahasia = 2,
    SangatRahasia = 3,
}

impl AccessLevel {
    pub const ALL: [AccessLevel; 4] = [
        AccessLevel::Terbuka,
        AccessLevel::Terbatas,
        AccessLevel::Rahasia,
        AccessLevel::SangatRahasia,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AccessLevel::Terbuka => "terbuka",
            AccessLevel::Terbatas => "terbatas",
            AccessLevel::Rahasia => "rahasia",
            AccessLevel::SangatRahasia => "sangat-rahasia",
        }
    }

    pub fn rank(self) -> u64 {
        self as u64
    }

    /// Accepts the code and the common spellings staff type ("biasa", "sangat rahasia").
    pub fn parse(s: &str) -> Result<AccessLevel> {
        let norm = s.trim().to_lowercase().replace(['_', ' '], "-");
        match norm.as_str() {
            "terbuka" | "biasa" | "biasa/terbuka" | "publik" | "public" => Ok(AccessLevel::Terbuka),
            "terbatas" | "restricted" => Ok(AccessLevel::Terbatas),
            "rahasia" | "confidential" => Ok(AccessLevel::Rahasia),
            "sangat-rahasia" | "top-secret" => Ok(AccessLevel::SangatRahasia),
            _ => Err(Error::new(
                ErrorCode::InvalidInput,
                format!("access level '{s}' (terbuka, terbatas, rahasia, sangat-rahasia)"),
            )),
        }
    }
}

impl<'de> serde::Deserialize<'de> for AccessLevel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        AccessLevel::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// The roles of DESIGN.md §3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Arsiparis,
    Sekretariat,
    Publik,
}

impl Role {
    pub fn parse(s: &str) -> Result<Role> {
        match s.trim().to_lowercase().as_str() {
            "admin" => Ok(Role::Admin),
            "arsiparis" => Ok(Role::Arsiparis),
            "sekretariat" => Ok(Role::Sekretariat),
            "publik" | "public" | "kiosk" => Ok(Role::Publik),
            _ => Err(Error::new(
                ErrorCode::InvalidInput,
                format!("role '{s}' (admin, arsiparis, sekretariat, publik)"),
            )),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Arsiparis => "arsiparis",
            Role::Sekretariat => "sekretariat",
            Role::Publik => "publik",
        }
    }
}

impl<'de> serde::Deserialize<'de> for Role {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Role::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// What a caller may read and do: who, in which role, up to which access
/// class, and whether personal numbers are masked for them.
///
/// The fields are private and there are exactly three ways to get one: the
/// session path (`Archive::clearance`, from a login token), the public
/// (`Clearance::public`), and the terminal operator (`Clearance::operator`:
/// whoever runs `arsip` on the archive's machine owns its files). Any of them
/// can only be narrowed (`narrowed`), never widened, so no shell can mint a
/// clearance above what it was given. A test in arsip-api fails if the API
/// ever calls `operator`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clearance {
    actor: String,
    role: Role,
    max_level: AccessLevel,
    masked: bool,
}

impl Clearance {
    /// The default clearance of a role. The secretariat and archivists read
    /// up to Rahasia; only an admin reads Sangat Rahasia; the public reads
    /// Terbuka, masked.
    fn of_role(role: Role, actor: impl Into<String>) -> Clearance {
        let (max_level, masked) = match role {
            Role::Admin => (AccessLevel::SangatRahasia, false),
            Role::Arsiparis | Role::Sekretariat => (AccessLevel::Rahasia, false),
            Role::Publik => (AccessLevel::Terbuka, true),
        };
        Clearance {
            actor: actor.into(),
            role,
            max_level,
            masked,
        }
    }

    /// The public: visitors at the kiosk, anyone without a session, harvesters.
    pub fn public() -> Clearance {
        Clearance::of_role(Role::Publik, "publik")
    }

    /// The terminal operator: whoever runs `arsip` on the archive's machine
    /// owns its files and acts as an admin. Shells that serve other people
    /// (the API) never use it: they get clearances from sessions.
    pub fn operator(actor: impl Into<String>) -> Clearance {
        Clearance::of_role(Role::Admin, actor)
    }

    /// A logged-in user's clearance: only the session path makes one.
    pub(crate) fn for_session(user: impl Into<String>, role: Role) -> Clearance {
        Clearance::of_role(role, user)
    }

    /// This clearance acting in `role` (`arsip search --role publik`, a test
    /// playing an archivist). It never gains anything: an admin may act in
    /// any role, anyone else only in their own or as the public.
    pub fn narrowed(&self, role: Role) -> Clearance {
        if self.role == Role::Admin || self.role == role {
            Clearance::of_role(role, self.actor.clone())
        } else {
            Clearance::of_role(Role::Publik, self.actor.clone())
        }
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// The highest access class this clearance reads.
    pub fn max_level(&self) -> AccessLevel {
        self.max_level
    }

    /// True when personal numbers are masked for this caller (the public).
    pub fn masks_personal_data(&self) -> bool {
        self.masked
    }

    /// True for the public (no session): its reads are audited in aggregate.
    pub fn is_public(&self) -> bool {
        self.role == Role::Publik
    }

    pub fn can_read(&self, level: AccessLevel) -> bool {
        level <= self.max_level
    }

    /// The access classes this clearance reads, as SQL for a `record` table
    /// aliased `r`, live records only: the one visibility rule that list,
    /// export, handover and harvest share. An unknown class in the catalogue
    /// matches nothing (fail closed).
    pub(crate) fn visible_sql(&self) -> String {
        format!("r.deleted = 0 AND {}", self.classes_sql("r"))
    }

    /// The access classes this clearance reads, as SQL over the `access`
    /// column of a table aliased `alias` (a berkas, a record). An unknown
    /// class matches nothing (fail closed).
    pub(crate) fn classes_sql(&self, alias: &str) -> String {
        let codes: Vec<String> = AccessLevel::ALL
            .iter()
            .filter(|l| self.can_read(**l))
            .map(|l| format!("'{}'", l.code()))
            .collect();
        format!("{alias}.access IN ({})", codes.join(", "))
    }

    pub fn may_catalogue(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Arsiparis)
    }

    pub fn may_audit(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Sekretariat)
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Lowering a record's class (declassifying) is the admin's.
    pub fn may_declassify(&self) -> bool {
        self.is_admin()
    }

    /// The audit trail is read by the secretariat and the admin.
    pub fn require_audit(&self) -> Result<()> {
        self.require(self.may_audit())
    }

    /// Adding, editing and deleting records is the archivists' (and admin's) work.
    pub fn require_catalogue(&self) -> Result<()> {
        self.require(self.may_catalogue())
    }

    /// Berkas and the retention schedule are staff's, not the public's.
    pub fn require_staff(&self) -> Result<()> {
        self.require(!self.is_public())
    }

    /// Copies out of the archive (bags, new sync targets) and users are the admin's.
    pub fn require_admin(&self) -> Result<()> {
        self.require(self.is_admin())
    }

    /// Whether this caller may give a record `to`, which now has `from`:
    /// never above its own clearance; lowering a class (declassifying) is
    /// the admin's, with a reason.
    pub(crate) fn check_reclassify(
        &self,
        from: AccessLevel,
        to: AccessLevel,
        reason: Option<&str>,
    ) -> Result<()> {
        if !self.can_read(to) {
            return Err(Error::new(
                ErrorCode::AccessDenied,
                format!("{} > {}", to.code(), self.max_level.code()),
            ));
        }
        if to < from {
            if !self.may_declassify() {
                return Err(Error::new(ErrorCode::DeclassifyDenied, ""));
            }
            if reason.is_none_or(|r| r.trim().is_empty()) {
                return Err(Error::new(ErrorCode::ReasonRequired, ""));
            }
        }
        Ok(())
    }

    fn require(&self, allowed: bool) -> Result<()> {
        if allowed {
            Ok(())
        } else {
            Err(Error::new(
                ErrorCode::AccessDenied,
                format!("{} ({})", self.actor, self.role.code()),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publik_reads_only_terbuka_and_is_masked() {
        let c = Clearance::public();
        assert!(c.can_read(AccessLevel::Terbuka));
        assert!(!c.can_read(AccessLevel::Terbatas));
        assert!(c.masks_personal_data());
    }

    #[test]
    fn narrowing_never_widens() {
        let admin = Clearance::operator("t");
        assert_eq!(admin.narrowed(Role::Arsiparis).role(), Role::Arsiparis);
        let arsiparis = admin.narrowed(Role::Arsiparis);
        for role in [Role::Admin, Role::Sekretariat, Role::Publik] {
            let n = arsiparis.narrowed(role);
            assert!(n.max_level() <= arsiparis.max_level(), "{role:?}");
            assert!(!n.may_audit(), "an archivist cannot act as the secretariat");
        }
        assert_eq!(
            Clearance::public().narrowed(Role::Admin),
            Clearance::public()
        );
    }

    #[test]
    fn reclassifying() {
        let arsiparis = Clearance::operator("t").narrowed(Role::Arsiparis);
        let check = |c: &Clearance, from, to, reason| {
            c.check_reclassify(from, to, reason).map_err(|e| e.code)
        };
        use AccessLevel::*;
        assert_eq!(check(&arsiparis, Terbuka, Rahasia, None), Ok(()));
        assert_eq!(
            check(&arsiparis, Terbuka, SangatRahasia, None),
            Err(ErrorCode::AccessDenied)
        );
        assert_eq!(
            check(&arsiparis, Rahasia, Terbuka, Some("JRA")),
            Err(ErrorCode::DeclassifyDenied)
        );
        let admin = Clearance::operator("t");
        assert_eq!(
            check(&admin, Rahasia, Terbuka, None),
            Err(ErrorCode::ReasonRequired)
        );
        assert_eq!(
            check(&admin, Rahasia, Terbuka, Some(" ")),
            Err(ErrorCode::ReasonRequired)
        );
        assert_eq!(
            check(&admin, Rahasia, Terbuka, Some("masa retensi habis")),
            Ok(())
        );
    }

    #[test]
    fn parse_accepts_staff_spellings() {
        assert_eq!(AccessLevel::parse("Biasa").ok(), Some(AccessLevel::Terbuka));
        assert_eq!(
            AccessLevel::parse("sangat rahasia").ok(),
            Some(AccessLevel::SangatRahasia)
        );
        assert!(AccessLevel::parse("rahasia banget").is_err());
    }
}
