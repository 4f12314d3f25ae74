//! Properties over arbitrary role sets: more roles never means less access.

use proptest::prelude::*;
use useradmin_rights::{Area, Role, RoleSet, visible_menu};

fn any_role() -> impl Strategy<Value = Role> {
    (0..Role::ALL.len()).prop_map(|i| Role::ALL[i])
}

fn any_valid_set() -> impl Strategy<Value = RoleSet> {
    let sets: Vec<RoleSet> = RoleSet::all_valid().collect();
    (0..sets.len()).prop_map(move |i| sets[i])
}

proptest! {
    #[test]
    fn adding_a_role_never_lowers_any_access(set in any_valid_set(), role in any_role()) {
        if let Ok(bigger) = set.with(role) {
            for area in Area::ALL {
                prop_assert!(bigger.access(area) >= set.access(area), "{} lost {} by adding {}", set, area, role);
            }
        }
    }

    #[test]
    fn adding_a_role_never_hides_a_menu_item(set in any_valid_set(), role in any_role()) {
        if let Ok(bigger) = set.with(role) {
            let before: Vec<Area> = visible_menu(set).iter().flat_map(|s| s.items.iter().map(|i| i.area)).collect();
            let after: Vec<Area> = visible_menu(bigger).iter().flat_map(|s| s.items.iter().map(|i| i.area)).collect();
            for area in before {
                prop_assert!(after.contains(&area));
            }
        }
    }

    #[test]
    fn a_set_built_from_any_roles_is_either_valid_or_names_an_exclusive_role(
        roles in proptest::collection::vec(any_role(), 0..10)
    ) {
        match RoleSet::new(roles.clone()) {
            Ok(set) => {
                prop_assert!(roles.iter().all(|r| set.contains(*r)));
                prop_assert!(set.exclusive_role().is_none() || set.len() == 1);
            }
            Err(useradmin_rights::RoleSetError::Exclusive { exclusive, other }) => {
                prop_assert!(exclusive.is_exclusive());
                prop_assert!(roles.contains(&exclusive) && roles.contains(&other));
            }
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
        }
    }

    #[test]
    fn the_diff_between_two_sets_lists_exactly_the_areas_that_differ(a in any_valid_set(), b in any_valid_set()) {
        let diff = a.changes_to(b);
        for area in Area::ALL {
            let listed = diff.changes.iter().find(|c| c.area == area);
            if a.access(area) == b.access(area) {
                prop_assert!(listed.is_none());
            } else {
                let change = listed.unwrap();
                prop_assert_eq!((change.before, change.after), (a.access(area), b.access(area)));
            }
        }
    }
}
