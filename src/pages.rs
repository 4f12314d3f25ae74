//! One component per route.

mod area;
mod audit_log;
mod forgot_password;
mod home;
mod login;
mod not_found;
mod profile;
mod registration;
mod reset_password;
mod rights;
mod user_accounts;

pub use area::{AreaRoutePage, AreaSettingsPage};
pub use audit_log::AuditLogPage;
pub use forgot_password::ForgotPasswordPage;
pub use home::HomePage;
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use profile::ProfilePage;
pub use registration::RegistrationPage;
pub use reset_password::ResetPasswordPage;
pub use rights::RightsPage;
pub use user_accounts::{RowCallbacks, UserAccountsPage, UsersAction, UsersState, use_row_callbacks};
