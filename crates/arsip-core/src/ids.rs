//! Newtype identifiers: a record's global id (UUIDv7) and a blob's SHA-256.

use crate::error::{Error, ErrorCode, Result};
use serde::{Serialize, Serializer};
use sha2::{Digest, Sha256};
use std::fmt;

/// A stable global id, time-ordered (UUIDv7), of one kind of thing.
macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(uuid::Uuid);

        impl $name {
            pub fn new() -> $name {
                $name(uuid::Uuid::now_v7())
            }

            pub fn parse(s: &str) -> Result<$name> {
                uuid::Uuid::parse_str(s.trim())
                    .map($name)
                    .map_err(|_| Error::new(ErrorCode::InvalidInput, format!(concat!($what, " id '{}'"), s)))
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn inline_schema() -> bool {
                true
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                string_schema("uuid")
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $name::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

uuid_id!(
    /// A record's stable global id.
    RecordId,
    "record"
);
uuid_id!(
    /// A berkas's (a file folder of records) stable global id.
    BerkasId,
    "berkas"
);
uuid_id!(
    /// A box's (boks arsip) stable global id.
    BoxId,
    "box"
);
uuid_id!(
    /// A loan's (peminjaman) stable global id.
    LoanId,
    "loan"
);
uuid_id!(
    /// A storage place's (gedung, ruang, rak) stable global id.
    PlaceId,
    "place"
);

/// The SHA-256 of a blob's bytes: its name in the blob store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentHash([u8; 32]);

impl ContentHash {
    pub fn of(bytes: &[u8]) -> ContentHash {
        ContentHash(Sha256::digest(bytes).into())
    }

    pub fn from_digest(d: [u8; 32]) -> ContentHash {
        ContentHash(d)
    }

    pub fn parse(s: &str) -> Result<ContentHash> {
        let mut out = [0u8; 32];
        hex::decode_to_slice(s.trim(), &mut out)
            .map_err(|_| Error::new(ErrorCode::InvalidInput, format!("sha256 '{s}'")))?;
        Ok(ContentHash(out))
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl Serialize for ContentHash {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Both ids travel as strings: a UUID and 64 hex digits.
fn string_schema(format: &str) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "format": format })
}

impl schemars::JsonSchema for ContentHash {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ContentHash".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        string_schema("sha256")
    }
}

impl BerkasId {
    /// This id as kept under `scope` (an office's key at a province): a
    /// UUID (version 8) made from the SHA-256 of both, the same every time,
    /// never one of another scope's.
    pub(crate) fn scoped(&self, scope: &str) -> BerkasId {
        let hash = Sha256::digest(format!("rpp-arsip berkas\n{scope}\n{self}").as_bytes());
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&hash[..16]);
        BerkasId(uuid::Builder::from_custom_bytes(bytes).into_uuid())
    }
}
