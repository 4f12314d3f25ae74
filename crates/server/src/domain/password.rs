use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// Why a text cannot be a new password, in words for the person who typed it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InvalidPassword(pub String);

/// A new password, as [`useradmin_api::check_password`] (the browser's check too) allows it.
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

impl Password {
    pub fn parse(text: &str) -> Result<Password, InvalidPassword> {
        useradmin_api::check_password(text).map_err(InvalidPassword)?;
        Ok(Password(text.to_owned()))
    }

    /// Hashes with argon2id at OWASP's parameters, off the async threads.
    pub async fn hash(self) -> anyhow::Result<PasswordHash> {
        tokio::task::spawn_blocking(move || {
            let salt = SaltString::generate(&mut OsRng);
            let hash = hasher()
                .hash_password(self.0.as_bytes(), &salt)
                .map_err(|err| anyhow::anyhow!("hashing a password: {err}"))?;
            Ok(PasswordHash(hash.to_string()))
        })
        .await?
    }
}

/// An argon2id PHC string.
#[derive(Debug, Clone)]
pub struct PasswordHash(pub String);

/// A hash of a random password, so that an unknown e-mail costs as much as a wrong password.
pub const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2pDEyhlFZWcFGtX4tv7dNmRYtY0Ik6ptmOTYP5cG0cQ";

fn hasher() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("OWASP's argon2id parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Whether `candidate` matches `stored` (a PHC string), off the async threads.
pub async fn verify(candidate: String, stored: Option<String>) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let parsed = argon2::PasswordHash::new(&stored).map_err(|err| anyhow::anyhow!("a stored hash: {err}"))?;
        Ok(hasher().verify_password(candidate.as_bytes(), &parsed).is_ok())
    })
    .await?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_passwords_are_refused() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse("elevenchars").is_err());
        assert!(Password::parse("twelve chars").is_ok());
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let hash = Password::parse("correct horse battery").unwrap().hash().await.unwrap();
        assert!(hash.0.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("correct horse battery".into(), Some(hash.0.clone())).await.unwrap());
        assert!(!verify("wrong horse battery".into(), Some(hash.0)).await.unwrap());
        assert!(!verify("anything at all".into(), None).await.unwrap());
    }
}
