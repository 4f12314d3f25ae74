//! What every handler can reach. It lives apart from `startup` so that routes, middleware and
//! mail depend on it without depending on the code that builds and runs the application.

use std::sync::Arc;

use crate::configuration::Settings;
use crate::db::Db;
use crate::device::DeviceKey;
use crate::domain::HashSlots;
use crate::mail::Mailer;
use crate::security::CspCache;

#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub mailer: Mailer,
    /// The base of links in mails, without a trailing slash.
    pub public_url: Arc<str>,
    /// `scheme://host[:port]` of the public URL, for the same-origin check.
    pub public_origin: Arc<str>,
    pub secure_cookies: bool,
    pub csp: Arc<CspCache>,
    /// Signs the device cookies of sign-in throttling.
    pub device_key: DeviceKey,
    /// Bounds the argon2 hashes running at once.
    pub hash_slots: HashSlots,
}
