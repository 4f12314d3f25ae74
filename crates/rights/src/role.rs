use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One of the seven roles. Each bundles an access level per area (see [`crate::role_access`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Products,
    Operations,
    Finance,
    ReadOnlyOperations,
    Reports,
    Templates,
}

impl Role {
    /// All roles, in the order of the spec's matrix columns.
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Products,
        Role::Operations,
        Role::Finance,
        Role::ReadOnlyOperations,
        Role::Reports,
        Role::Templates,
    ];

    /// The stable key used on the wire and in the database.
    pub const fn key(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Products => "products",
            Role::Operations => "operations",
            Role::Finance => "finance",
            Role::ReadOnlyOperations => "read_only_operations",
            Role::Reports => "reports",
            Role::Templates => "templates",
        }
    }

    /// The name people see.
    pub const fn name(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Products => "Products",
            Role::Operations => "Operations",
            Role::Finance => "Finance",
            Role::ReadOnlyOperations => "ReadOnlyOperations",
            Role::Reports => "Reports",
            Role::Templates => "Templates",
        }
    }

    /// The role with this key, if any.
    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.key() == key)
    }

    /// Administrator and ReadOnlyOperations cannot be combined with any other role.
    pub const fn is_exclusive(self) -> bool {
        matches!(self, Role::Admin | Role::ReadOnlyOperations)
    }

    /// Position in [`Role::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    pub(crate) const fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A role key that names no role.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a role; expected one of admin, products, operations, finance, read_only_operations, reports, templates"
)]
pub struct ParseRoleError(pub String);

impl FromStr for Role {
    type Err = ParseRoleError;

    fn from_str(key: &str) -> Result<Self, Self::Err> {
        Role::from_key(key).ok_or_else(|| ParseRoleError(key.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_key_and_serde() {
        for role in Role::ALL {
            assert_eq!(role.key().parse::<Role>(), Ok(role));
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.key()));
            assert_eq!(serde_json::from_str::<Role>(&json).unwrap(), role);
        }
    }

    #[test]
    fn only_admin_and_read_only_operations_are_exclusive() {
        let exclusive: Vec<Role> = Role::ALL.into_iter().filter(|r| r.is_exclusive()).collect();
        assert_eq!(exclusive, [Role::Admin, Role::ReadOnlyOperations]);
    }

    #[test]
    fn display_names_match_the_spec() {
        let names: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
        assert_eq!(
            names,
            ["Administrator", "Products", "Operations", "Finance", "ReadOnlyOperations", "Reports", "Templates"]
        );
    }

    #[test]
    fn an_unknown_key_is_rejected_with_its_name() {
        let err = "superuser".parse::<Role>().unwrap_err();
        assert!(err.to_string().contains("superuser"));
    }
}
