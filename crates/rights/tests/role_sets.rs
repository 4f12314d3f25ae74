//! The role-set rules of the spec: exclusivity, 34 valid sets, strongest access wins.

use useradmin_rights::{Access, Area, Role, RoleSet, RoleSetError, role_access};

fn all_subsets() -> impl Iterator<Item = Vec<Role>> {
    (0u8..128).map(|mask| Role::ALL.into_iter().filter(|r| mask & (1 << r.index()) != 0).collect())
}

fn is_valid_by_the_spec(roles: &[Role]) -> bool {
    roles.len() <= 1 || !roles.iter().any(|r| matches!(r, Role::Admin | Role::ReadOnlyOperations))
}

#[test]
fn there_are_exactly_34_valid_role_sets() {
    let valid: Vec<RoleSet> = RoleSet::all_valid().collect();
    assert_eq!(valid.len(), 34);
    assert!(valid.contains(&RoleSet::EMPTY));
    assert!(valid.contains(&RoleSet::single(Role::Admin)));
    assert!(valid.contains(&RoleSet::single(Role::ReadOnlyOperations)));
    let others = valid.iter().filter(|s| !s.is_empty() && s.exclusive_role().is_none()).count();
    assert_eq!(others, 31);
}

#[test]
fn every_subset_is_accepted_exactly_when_the_spec_allows_it() {
    let mut accepted = 0;
    for roles in all_subsets() {
        let result = RoleSet::new(roles.clone());
        assert_eq!(result.is_ok(), is_valid_by_the_spec(&roles), "{roles:?}");
        accepted += usize::from(result.is_ok());
    }
    assert_eq!(accepted, 34);
}

#[test]
fn every_invalid_combination_is_rejected_with_an_error_naming_both_roles() {
    for roles in all_subsets().filter(|roles| !is_valid_by_the_spec(roles)) {
        let err = RoleSet::new(roles.clone()).unwrap_err();
        let RoleSetError::Exclusive { exclusive, other } = err else { panic!("{err:?}") };
        assert!(exclusive.is_exclusive());
        assert_ne!(exclusive, other);
        assert!(roles.contains(&exclusive) && roles.contains(&other));
        let message = err.to_string();
        assert!(message.contains(exclusive.name()) && message.contains(other.name()), "{message}");
    }
}

#[test]
fn for_every_valid_set_and_area_access_is_the_strongest_of_its_roles() {
    for set in RoleSet::all_valid() {
        for area in Area::ALL {
            let strongest = set.iter().map(|role| role_access(role, area)).max().unwrap_or(Access::None);
            assert_eq!(set.access(area), strongest, "{set} on {area}");
        }
    }
}

#[test]
fn the_empty_set_has_no_access_anywhere() {
    for area in Area::ALL {
        assert_eq!(RoleSet::EMPTY.access(area), Access::None);
    }
    assert_eq!(RoleSet::EMPTY.visible_areas().count(), 0);
}

#[test]
fn finance_and_reports_together_read_kpi_charts_and_write_taxes() {
    let set = RoleSet::new([Role::Finance, Role::Reports]).unwrap();
    assert_eq!(set.access(Area::KpiCharts), Access::Read);
    assert_eq!(set.access(Area::Taxes), Access::ReadWrite);
    assert_eq!(set.access(Area::UserAccounts), Access::None);
}

#[test]
fn serializes_as_a_sorted_array_of_role_keys() {
    let set = RoleSet::new([Role::Templates, Role::Finance, Role::Reports]).unwrap();
    assert_eq!(serde_json::to_string(&set).unwrap(), r#"["finance","reports","templates"]"#);
    assert_eq!(serde_json::to_string(&RoleSet::EMPTY).unwrap(), "[]");
}

#[test]
fn every_valid_set_round_trips_through_json() {
    for set in RoleSet::all_valid() {
        let json = serde_json::to_string(&set).unwrap();
        assert_eq!(serde_json::from_str::<RoleSet>(&json).unwrap(), set);
    }
}

#[test]
fn deserializing_an_invalid_set_fails_with_a_clear_message() {
    let err = serde_json::from_str::<RoleSet>(r#"["admin","finance"]"#).unwrap_err().to_string();
    assert!(err.contains("Administrator cannot be combined with any other role"), "{err}");
    assert!(err.contains("Finance"), "{err}");

    let err = serde_json::from_str::<RoleSet>(r#"["owner"]"#).unwrap_err().to_string();
    assert!(err.contains("owner"), "{err}");

    let err = serde_json::from_str::<RoleSet>(r#"["reports","reports"]"#).unwrap_err().to_string();
    assert!(err.contains("Reports is listed more than once"), "{err}");

    assert!(serde_json::from_str::<RoleSet>(r#""admin""#).is_err());
}

#[test]
fn ticking_an_exclusive_role_replaces_the_others_and_ticking_another_leaves_it() {
    let set = RoleSet::new([Role::Finance, Role::Reports]).unwrap();
    assert_eq!(set.ticked(Role::Admin), RoleSet::single(Role::Admin));
    assert_eq!(set.ticked(Role::Products), RoleSet::new([Role::Finance, Role::Reports, Role::Products]).unwrap());
    assert_eq!(RoleSet::single(Role::Admin).ticked(Role::Finance), RoleSet::single(Role::Finance));
    assert_eq!(set.without(Role::Reports), RoleSet::single(Role::Finance));
}

#[test]
fn displays_role_names_or_no_roles() {
    assert_eq!(RoleSet::EMPTY.to_string(), "no roles");
    assert_eq!(RoleSet::new([Role::Reports, Role::Finance]).unwrap().to_string(), "Finance, Reports");
}
