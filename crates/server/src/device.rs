//! Device cookies (OWASP's "Slow down online guessing attacks with device cookies"): a browser
//! that signed in to an account gets a cookie signed by the server naming that account. Its
//! sign-ins are counted apart from everybody else's, so strangers guessing an administrator's
//! password cannot lock that administrator out; a device guessing itself is limited on its own.

use anyhow::Context;
use axum::http::HeaderMap;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::db::Db;
use crate::domain::token::hex;

pub const DEVICE_COOKIE: &str = "useradmin_device";
/// Behind https, for the same reasons as the session cookie's prefix.
pub const SECURE_DEVICE_COOKIE: &str = "__Host-useradmin_device";
/// A browser stays known for a year after its last sign-in.
const MAX_AGE_S: u64 = 365 * 86_400;

/// The key device cookies are signed with; kept in the database, so every instance shares it.
#[derive(Clone)]
pub struct DeviceKey(Vec<u8>);

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceKey(…)")
    }
}

/// A device cookie the server signed: the account it signed in to and its own random id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub email_key: String,
    pub nonce: String,
}

impl DeviceKey {
    /// The shared key, created by the first instance that starts.
    pub async fn load(db: &Db) -> anyhow::Result<DeviceKey> {
        let mut fresh = [0_u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut fresh);
        sqlx::query(
            "INSERT INTO server_keys (name, secret) VALUES ('device_cookie', $1) ON CONFLICT (name) DO NOTHING",
        )
        .bind(hex(&fresh))
        .execute(&db.pool)
        .await
        .context("creating the device cookie key")?;
        let secret: String = sqlx::query_scalar("SELECT secret FROM server_keys WHERE name = 'device_cookie'")
            .fetch_one(&db.pool)
            .await
            .context("reading the device cookie key")?;
        Ok(DeviceKey(secret.into_bytes()))
    }

    #[cfg(test)]
    fn for_tests(secret: &str) -> DeviceKey {
        DeviceKey(secret.as_bytes().to_vec())
    }

    fn signature(&self, payload: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes keys of any length");
        mac.update(payload.as_bytes());
        mac
    }

    /// A new device cookie's value for `email_key`: `<account>.<nonce>.<signature>`, the
    /// account in base64url so that any e-mail fits a cookie.
    pub fn issue(&self, email_key: &str) -> String {
        let mut nonce = [0_u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let payload = format!("{}.{}", b64().encode(email_key), hex(&nonce));
        let signature = b64().encode(self.signature(&payload).finalize().into_bytes());
        format!("{payload}.{signature}")
    }

    /// The device a cookie value names, when the server signed it.
    pub fn verify(&self, value: &str) -> Option<Device> {
        let (payload, signature) = value.rsplit_once('.')?;
        let signature = b64().decode(signature).ok()?;
        self.signature(payload).verify_slice(&signature).ok()?;
        let (account, nonce) = payload.split_once('.')?;
        let email_key = String::from_utf8(b64().decode(account).ok()?).ok()?;
        Some(Device { email_key, nonce: nonce.to_owned() })
    }
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
}

pub fn cookie_name(secure: bool) -> &'static str {
    if secure { SECURE_DEVICE_COOKIE } else { DEVICE_COOKIE }
}

/// The values of every device cookie the request carries (a browser may know several
/// accounts, but a cookie name holds one value, so it is the last account signed in to).
pub fn received(headers: &HeaderMap, secure: bool) -> Option<&str> {
    crate::auth::cookie_value(headers, cookie_name(secure))
}

/// The `Set-Cookie` value that makes this browser known for `email_key`.
pub fn set_cookie(key: &DeviceKey, email_key: &str, secure: bool) -> String {
    let name = cookie_name(secure);
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={MAX_AGE_S}{secure}", key.issue(email_key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_cookie_names_its_account_and_only_its_signer_accepts_it() {
        let key = DeviceKey::for_tests("one");
        let cookie = key.issue("ada@example.com");
        let device = key.verify(&cookie).expect("the signer accepts its cookie");
        assert_eq!(device.email_key, "ada@example.com");
        assert_ne!(key.verify(&key.issue("ada@example.com")).unwrap().nonce, device.nonce);
        assert_eq!(DeviceKey::for_tests("two").verify(&cookie), None);
        let (payload, signature) = cookie.rsplit_once('.').unwrap();
        let other_account = format!("{}.{}", b64().encode("eve@example.com"), payload.split_once('.').unwrap().1);
        assert_eq!(key.verify(&format!("{other_account}.{signature}")), None, "the account cannot be swapped");
        assert_eq!(key.verify("garbage"), None);
    }
}
