use crate::{Access, Area, RoleSet};

/// How one area's access changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// From no access to read or read-write.
    Gained,
    /// From read or read-write to no access.
    Lost,
    /// From read to read-write.
    Raised,
    /// From read-write to read.
    Lowered,
}

/// One area whose access differs between two role sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AreaChange {
    pub area: Area,
    pub before: Access,
    pub after: Access,
}

impl AreaChange {
    /// Which way the access moved.
    pub fn kind(&self) -> ChangeKind {
        match (self.before, self.after) {
            (Access::None, _) => ChangeKind::Gained,
            (_, Access::None) => ChangeKind::Lost,
            (before, after) if after > before => ChangeKind::Raised,
            _ => ChangeKind::Lowered,
        }
    }
}

/// What changes between two role sets, area by area, in menu order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RightsDiff {
    pub changes: Vec<AreaChange>,
}

impl RightsDiff {
    /// The areas whose access differs between `before` and `after`.
    pub fn between(before: RoleSet, after: RoleSet) -> RightsDiff {
        let changes = Area::ALL
            .into_iter()
            .map(|area| AreaChange { area, before: before.access(area), after: after.access(area) })
            .filter(|change| change.before != change.after)
            .collect();
        RightsDiff { changes }
    }

    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The changes of one kind.
    pub fn of_kind(&self, kind: ChangeKind) -> impl Iterator<Item = &AreaChange> {
        self.changes.iter().filter(move |change| change.kind() == kind)
    }

    /// Areas that become visible.
    pub fn gained(&self) -> impl Iterator<Item = &AreaChange> {
        self.of_kind(ChangeKind::Gained)
    }

    /// Areas that become hidden.
    pub fn lost(&self) -> impl Iterator<Item = &AreaChange> {
        self.of_kind(ChangeKind::Lost)
    }

    /// Areas that go from read to read-write.
    pub fn raised(&self) -> impl Iterator<Item = &AreaChange> {
        self.of_kind(ChangeKind::Raised)
    }

    /// Areas that go from read-write to read.
    pub fn lowered(&self) -> impl Iterator<Item = &AreaChange> {
        self.of_kind(ChangeKind::Lowered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    #[test]
    fn granting_finance_to_a_new_user_gains_exactly_finances_areas() {
        let finance = RoleSet::single(Role::Finance);
        let diff = RoleSet::EMPTY.changes_to(finance);
        assert_eq!(diff.gained().count(), finance.visible_areas().count());
        assert_eq!(diff.lost().count() + diff.raised().count() + diff.lowered().count(), 0);
    }

    #[test]
    fn going_from_finance_to_reports_lowers_taxes_and_loses_outbox() {
        let finance = RoleSet::single(Role::Finance);
        let reports = RoleSet::single(Role::Reports);
        let diff = finance.changes_to(reports);
        let taxes = diff.changes.iter().find(|c| c.area == Area::Taxes).unwrap();
        assert_eq!(taxes.kind(), ChangeKind::Lowered);
        assert!(diff.lost().any(|c| c.area == Area::OutboxAndDocuments));
        assert!(diff.gained().any(|c| c.area == Area::KpiCharts));
        assert!(reports.changes_to(finance).raised().any(|c| c.area == Area::Taxes));
    }

    #[test]
    fn the_same_set_changes_nothing() {
        for set in RoleSet::all_valid() {
            assert!(set.changes_to(set).is_empty());
        }
    }
}
