//! The rights model of useradmin, and the one place where the rights matrix exists.
//!
//! Seven [`Role`]s each grant an [`Access`] level over the 27 [`Area`]s of the billing
//! platform, grouped into [`Section`]s. A user holds a validated [`RoleSet`]; per area they get
//! the strongest access any of their roles grants. The browser uses this crate to decide what
//! to show, the server uses the very same code to decide what to allow.
//!
//! Pure: no I/O, no allocation on the hot path ([`RoleSet::access`]), compiles for
//! `wasm32-unknown-unknown` and native.

mod access;
mod area;
mod diff;
mod matrix;
mod menu;
mod role;
mod role_set;

pub use access::{Access, ParseAccessError};
pub use area::{Area, Section};
pub use diff::{AreaChange, ChangeKind, RightsDiff};
pub use matrix::role_access;
pub use menu::{MenuItem, MenuSection, visible_menu};
pub use role::{ParseRoleError, Role};
pub use role_set::{RoleSet, RoleSetError};
