//! One component per route.

mod not_found;
mod rights;

pub use not_found::NotFoundPage;
pub use rights::RightsPage;
