//! One component per route.

mod area;
mod audit_log;
mod home;
mod login;
mod not_found;
mod profile;
mod registration;
mod rights;
mod user_accounts;

pub use area::{AreaRoutePage, AreaSettingsPage};
pub use audit_log::AuditLogPage;
pub use home::HomePage;
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use profile::ProfilePage;
pub use registration::RegistrationPage;
pub use rights::RightsPage;
pub use user_accounts::{RowCallbacks, UserAccountsPage, UsersAction, UsersState, use_row_callbacks};
