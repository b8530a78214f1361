//! Who may see what. Access levels follow the KPU's classification of dynamic
//! records; a `Clearance` is carried into every read that can return record
//! content, so no shell can forget the check.

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

/// What a caller may read: the highest access level and whether personal data is masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clearance {
    pub actor: String,
    pub role: Role,
    pub max_level: AccessLevel,
    pub mask_personal_data: bool,
}

impl Clearance {
    /// The default clearance of a role. The secretariat reads up to Rahasia;
    /// only an admin reads Sangat Rahasia; the public reads Terbuka, masked.
    pub fn for_role(role: Role, actor: impl Into<String>) -> Clearance {
        let (max_level, mask) = match role {
            Role::Admin => (AccessLevel::SangatRahasia, false),
            Role::Arsiparis | Role::Sekretariat => (AccessLevel::Rahasia, false),
            Role::Publik => (AccessLevel::Terbuka, true),
        };
        Clearance {
            actor: actor.into(),
            role,
            max_level,
            mask_personal_data: mask,
        }
    }

    pub fn can_read(&self, level: AccessLevel) -> bool {
        level <= self.max_level
    }

    /// The audit trail is read by the secretariat and the admin.
    pub fn require_audit(&self) -> Result<()> {
        self.require(&[Role::Admin, Role::Sekretariat])
    }

    /// Adding, editing and deleting records is the archivists' (and admin's) work.
    pub fn require_catalogue(&self) -> Result<()> {
        self.require(&[Role::Admin, Role::Arsiparis])
    }

    fn require(&self, roles: &[Role]) -> Result<()> {
        if roles.contains(&self.role) {
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
        let c = Clearance::for_role(Role::Publik, "kiosk");
        assert!(c.can_read(AccessLevel::Terbuka));
        assert!(!c.can_read(AccessLevel::Terbatas));
        assert!(c.mask_personal_data);
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
