use serde::{Deserialize, Serialize};
use useradmin_rights::{Access, Area, Role, Section, role_access};

/// `GET /api/v1/rights`: the whole matrix for the "Roles and rights" reference page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RightsMatrix {
    /// The columns, in order.
    pub roles: Vec<RoleInfo>,
    /// The row groups, in menu order.
    pub sections: Vec<SectionRights>,
}

/// A role column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleInfo {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::role))]
    pub key: Role,
    pub name: String,
    /// Whether the role cannot be combined with any other.
    pub exclusive: bool,
}

/// A row group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectionRights {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::section))]
    pub key: Section,
    pub label: String,
    pub areas: Vec<AreaRights>,
}

/// A row: one area and the access each role (in [`RightsMatrix::roles`] order) grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AreaRights {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::area))]
    pub key: Area,
    pub label: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::access_list))]
    pub cells: Vec<Access>,
}

impl RightsMatrix {
    /// The matrix as `useradmin-rights` defines it.
    pub fn current() -> Self {
        let roles = Role::ALL
            .into_iter()
            .map(|role| RoleInfo { key: role, name: role.name().to_owned(), exclusive: role.is_exclusive() })
            .collect();
        let sections = Section::ALL
            .into_iter()
            .map(|section| SectionRights {
                key: section,
                label: section.label().to_owned(),
                areas: section
                    .areas()
                    .map(|area| AreaRights {
                        key: area,
                        label: area.label().to_owned(),
                        cells: Role::ALL.into_iter().map(|role| role_access(role, area)).collect(),
                    })
                    .collect(),
            })
            .collect();
        RightsMatrix { roles, sections }
    }

    /// The number of area rows.
    pub fn area_count(&self) -> usize {
        self.sections.iter().map(|s| s.areas.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_matrix_has_7_roles_and_27_areas_in_7_sections() {
        let matrix = RightsMatrix::current();
        assert_eq!(matrix.roles.len(), 7);
        assert_eq!(matrix.sections.len(), 7);
        assert_eq!(matrix.area_count(), 27);
        assert!(matrix.sections.iter().all(|s| s.areas.iter().all(|a| a.cells.len() == 7)));
    }

    #[test]
    fn the_matrix_serializes_with_keys_and_access_symbols() {
        let json = serde_json::to_value(RightsMatrix::current()).unwrap();
        assert_eq!(json["roles"][4]["key"], "read_only_operations");
        assert_eq!(json["roles"][0]["name"], "Administrator");
        assert_eq!(json["sections"][0]["key"], "settings");
        assert_eq!(json["sections"][0]["areas"][2]["key"], "user_accounts");
        assert_eq!(json["sections"][0]["areas"][2]["cells"][0], "rw");
        assert_eq!(json["sections"][0]["areas"][2]["cells"][1], "none");
        let back: RightsMatrix = serde_json::from_value(json).unwrap();
        assert_eq!(back, RightsMatrix::current());
    }
}
