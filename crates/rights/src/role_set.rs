use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::matrix::MATRIX;
use crate::{Access, Area, RightsDiff, Role};

/// Why a combination of roles is not a valid [`RoleSet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RoleSetError {
    /// Administrator or ReadOnlyOperations combined with another role.
    #[error("{exclusive} cannot be combined with any other role, but was combined with {other}")]
    Exclusive { exclusive: Role, other: Role },
    /// The same role listed more than once on the wire.
    #[error("{0} is listed more than once")]
    Duplicate(Role),
}

/// A validated set of roles: Administrator and ReadOnlyOperations stand alone, the other five
/// combine freely. The empty set (a new user) has no access anywhere.
///
/// Serialized as an array of role keys sorted alphabetically; deserializing an invalid set
/// fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct RoleSet(u8);

const ROLE_COUNT: usize = Role::ALL.len();
const MASKS: usize = 1 << ROLE_COUNT;

/// The strongest access per area for each of the 128 bit patterns, computed at compile time
/// from [`MATRIX`], so that [`RoleSet::access`] is a single lookup.
static STRONGEST: [[Access; Area::COUNT]; MASKS] = strongest_table();

const fn strongest_table() -> [[Access; Area::COUNT]; MASKS] {
    let mut table = [[Access::None; Area::COUNT]; MASKS];
    let mut mask = 0;
    while mask < MASKS {
        let mut area = 0;
        while area < Area::COUNT {
            let mut role = 0;
            let mut best = Access::None;
            while role < ROLE_COUNT {
                if mask & (1 << role) != 0 {
                    best = best.max_const(MATRIX[area][role]);
                }
                role += 1;
            }
            table[mask][area] = best;
            area += 1;
        }
        mask += 1;
    }
    table
}

impl RoleSet {
    /// No roles: a freshly invited user.
    pub const EMPTY: RoleSet = RoleSet(0);

    /// The set of the given roles; listing a role twice is harmless here.
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Result<RoleSet, RoleSetError> {
        roles.into_iter().try_fold(RoleSet::EMPTY, RoleSet::with)
    }

    /// The set holding just this role.
    pub const fn single(role: Role) -> RoleSet {
        RoleSet(role.bit())
    }

    /// This set plus `role`, if that combination is allowed.
    pub fn with(self, role: Role) -> Result<RoleSet, RoleSetError> {
        if let Some(held) = self.iter().find(|&held| held != role) {
            if role.is_exclusive() {
                return Err(RoleSetError::Exclusive { exclusive: role, other: held });
            }
            if held.is_exclusive() {
                return Err(RoleSetError::Exclusive { exclusive: held, other: role });
            }
        }
        Ok(RoleSet(self.0 | role.bit()))
    }

    /// This set without `role`.
    pub const fn without(self, role: Role) -> RoleSet {
        RoleSet(self.0 & !role.bit())
    }

    /// What ticking `role` in an editor yields: an exclusive role replaces everything, any
    /// other role is added to the non-exclusive roles already held.
    pub fn ticked(self, role: Role) -> RoleSet {
        if role.is_exclusive() || self.iter().any(Role::is_exclusive) {
            RoleSet::single(role)
        } else {
            RoleSet(self.0 | role.bit())
        }
    }

    /// Whether `role` is in the set.
    pub const fn contains(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    /// Whether the set has no roles.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The number of roles in the set.
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The roles, in [`Role::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Role> + Clone {
        Role::ALL.into_iter().filter(move |role| self.contains(*role))
    }

    /// The exclusive role held, if any (Administrator or ReadOnlyOperations).
    pub fn exclusive_role(self) -> Option<Role> {
        self.iter().find(|role| role.is_exclusive())
    }

    /// The strongest access any of the roles grants over `area`.
    #[inline]
    pub fn access(self, area: Area) -> Access {
        STRONGEST[self.0 as usize][area.index()]
    }

    /// Whether `area` may be seen.
    pub fn can_read(self, area: Area) -> bool {
        self.access(area).can_read()
    }

    /// Whether `area` may be changed.
    pub fn can_write(self, area: Area) -> bool {
        self.access(area).can_write()
    }

    /// Every area that may be seen, with its access, in menu order.
    pub fn visible_areas(self) -> impl Iterator<Item = (Area, Access)> + Clone {
        Area::ALL.into_iter().map(move |area| (area, self.access(area))).filter(|(_, access)| access.can_read())
    }

    /// What changes, area by area, when a user goes from this set to `after`.
    pub fn changes_to(self, after: RoleSet) -> RightsDiff {
        RightsDiff::between(self, after)
    }

    /// All 34 valid role sets: none, {admin}, {read_only_operations} and the 31 non-empty
    /// combinations of the other five roles.
    pub fn all_valid() -> impl Iterator<Item = RoleSet> {
        (0..MASKS as u8).map(RoleSet).filter(|set| set.is_valid())
    }

    fn is_valid(self) -> bool {
        match self.exclusive_role() {
            Some(_) => self.len() == 1,
            None => true,
        }
    }

    /// The role keys sorted alphabetically, as they are serialized.
    pub fn sorted_keys(self) -> Vec<&'static str> {
        let mut keys: Vec<&'static str> = self.iter().map(Role::key).collect();
        keys.sort_unstable();
        keys
    }
}

impl TryFrom<Vec<Role>> for RoleSet {
    type Error = RoleSetError;

    /// Strict: a role listed twice is an error, as is an invalid combination.
    fn try_from(roles: Vec<Role>) -> Result<Self, Self::Error> {
        let mut set = RoleSet::EMPTY;
        for role in roles {
            if set.contains(role) {
                return Err(RoleSetError::Duplicate(role));
            }
            set = set.with(role)?;
        }
        Ok(set)
    }
}

impl fmt::Display for RoleSet {
    /// "Finance, Reports", or "no roles".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("no roles");
        }
        for (i, role) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(role.name())?;
        }
        Ok(())
    }
}

impl Serialize for RoleSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.sorted_keys())
    }
}

impl<'de> Deserialize<'de> for RoleSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let roles = Vec::<Role>::deserialize(deserializer)?;
        RoleSet::try_from(roles).map_err(D::Error::custom)
    }
}
