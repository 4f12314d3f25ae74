use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a role grants over one area: `None < Read < ReadWrite`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub enum Access {
    /// `-`: the area is hidden.
    #[default]
    #[serde(rename = "none")]
    None,
    /// `r`: the area is visible without write controls.
    #[serde(rename = "r")]
    Read,
    /// `rw`: the area is visible and may be changed.
    #[serde(rename = "rw")]
    ReadWrite,
}

impl Access {
    /// All levels, weakest first.
    pub const ALL: [Access; 3] = [Access::None, Access::Read, Access::ReadWrite];

    /// The symbol used in the spec's matrix: `-`, `r` or `rw`.
    pub const fn symbol(self) -> &'static str {
        match self {
            Access::None => "-",
            Access::Read => "r",
            Access::ReadWrite => "rw",
        }
    }

    /// A short phrase for people: "no access", "read only", "read and write".
    pub const fn describe(self) -> &'static str {
        match self {
            Access::None => "no access",
            Access::Read => "read only",
            Access::ReadWrite => "read and write",
        }
    }

    /// Whether the area may be seen (read or read-write).
    pub const fn can_read(self) -> bool {
        !matches!(self, Access::None)
    }

    /// Whether the area may be changed.
    pub const fn can_write(self) -> bool {
        matches!(self, Access::ReadWrite)
    }

    /// The stronger of two levels, usable in `const` context.
    pub const fn max_const(self, other: Access) -> Access {
        if (other as u8) > (self as u8) { other } else { self }
    }
}

impl fmt::Display for Access {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// A matrix cell that is none of `-`, `r`, `rw`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an access level; expected `-`, `r` or `rw`")]
pub struct ParseAccessError(pub String);

impl FromStr for Access {
    type Err = ParseAccessError;

    /// Parses the matrix symbols `-`, `r` and `rw`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "-" => Ok(Access::None),
            "r" => Ok(Access::Read),
            "rw" => Ok(Access::ReadWrite),
            other => Err(ParseAccessError(other.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_ordered_none_read_read_write() {
        assert!(Access::None < Access::Read);
        assert!(Access::Read < Access::ReadWrite);
        assert_eq!(Access::Read.max_const(Access::ReadWrite), Access::ReadWrite);
        assert_eq!(Access::ReadWrite.max_const(Access::None), Access::ReadWrite);
    }

    #[test]
    fn symbols_round_trip() {
        for access in Access::ALL {
            assert_eq!(access.symbol().parse::<Access>(), Ok(access));
        }
        assert!("x".parse::<Access>().is_err());
    }

    #[test]
    fn serializes_as_the_wire_names() {
        assert_eq!(serde_json::to_string(&Access::ReadWrite).unwrap(), r#""rw""#);
        assert_eq!(serde_json::to_string(&Access::Read).unwrap(), r#""r""#);
        assert_eq!(serde_json::to_string(&Access::None).unwrap(), r#""none""#);
    }
}
