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

/// zxcvbn's score a new password needs: 3 of 4, "safely unguessable" (at least 10^8 guesses).
pub const MIN_STRENGTH: u8 = 3;

/// Rejects passwords that are easy to guess: common words and passwords, keyboard patterns,
/// dates, repetitions, and the user's own e-mail and name (`user_inputs`), with zxcvbn's
/// reason as the message. Server-side only: the estimator's dictionaries would not fit the
/// app's size budget, so the app shows this message.
pub fn check_strength(text: &str, user_inputs: &[&str]) -> Result<(), InvalidPassword> {
    // Also the parts of an e-mail (`ada.lovelace@example.com` → `ada`, `lovelace`, `example`).
    let mut inputs: Vec<&str> = user_inputs.to_vec();
    for input in user_inputs {
        inputs.extend(input.split(|c: char| !c.is_alphanumeric()).filter(|part| part.chars().count() >= 3));
    }
    let entropy = zxcvbn::zxcvbn(text, &inputs);
    if u8::from(entropy.score()) >= MIN_STRENGTH {
        return Ok(());
    }
    let mut message = "This password is too easy to guess.".to_owned();
    if let Some(feedback) = entropy.feedback() {
        if let Some(warning) = feedback.warning() {
            message = format!("{message} {warning}");
        }
        for suggestion in feedback.suggestions().iter().take(2) {
            message = format!("{message} {suggestion}");
        }
    }
    Err(InvalidPassword(message))
}

/// Every password hashing slot stayed taken for [`SLOT_WAIT`] (503).
#[derive(Debug, thiserror::Error)]
#[error("The server is busy. Please try again in a moment.")]
pub struct HashingBusy;

/// Bounds how many argon2 hashes run at once: each takes 19 MiB and a core for tens of
/// milliseconds, so parallel guesses could otherwise pin the machine's memory.
#[derive(Debug, Clone)]
pub struct HashSlots(std::sync::Arc<tokio::sync::Semaphore>);

/// How long a request waits for a free slot before the server answers that it is busy.
const SLOT_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

impl HashSlots {
    pub fn new(slots: usize) -> HashSlots {
        HashSlots(std::sync::Arc::new(tokio::sync::Semaphore::new(slots.max(1))))
    }

    /// Two per core: enough to keep every core busy while one hash waits for its memory.
    pub fn for_this_machine() -> usize {
        std::thread::available_parallelism().map_or(2, |cores| cores.get() * 2)
    }

    /// A slot, held until dropped; [`HashingBusy`] when none came free in time.
    pub async fn acquire(&self) -> Result<tokio::sync::OwnedSemaphorePermit, HashingBusy> {
        match tokio::time::timeout(SLOT_WAIT, std::sync::Arc::clone(&self.0).acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(HashingBusy),
        }
    }
}

impl Password {
    pub fn parse(text: &str) -> Result<Password, InvalidPassword> {
        useradmin_api::check_password(text).map_err(InvalidPassword)?;
        Ok(Password(text.to_owned()))
    }

    /// A new password of the user with these e-mail and name: long enough and hard to guess
    /// ([`check_strength`]).
    pub fn parse_for(text: &str, user_inputs: &[&str]) -> Result<Password, InvalidPassword> {
        let password = Password::parse(text)?;
        check_strength(text, user_inputs)?;
        Ok(password)
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

    #[test]
    fn common_and_personal_passwords_are_too_weak_and_a_random_phrase_is_strong() {
        for weak in ["password1234", "qwertyuiop123", "111111111111", "aaaaaaaaaaaaaaaa", "letmein12345"] {
            assert!(check_strength(weak, &[]).is_err(), "{weak}");
        }
        let inputs = ["xandra.quillfeather@example.com", "Xandra Quillfeather"];
        assert!(check_strength("xandraquillfeather", &[]).is_ok(), "rare words, for a stranger");
        assert!(check_strength("xandraquillfeather", &inputs).is_err(), "but the user's own name");
        assert!(check_strength("xandra.quillfeather@example.com", &inputs).is_err());
        let message = check_strength("password1234", &[]).unwrap_err().0;
        assert!(message.starts_with("This password is too easy to guess."), "{message}");
        assert!(message.len() > "This password is too easy to guess.".len(), "zxcvbn says why: {message}");
        assert!(check_strength("correct horse battery staple", &inputs).is_ok());
        assert!(check_strength("vivid-quartz-meadow-42", &inputs).is_ok());
        assert!(Password::parse_for("short", &[]).is_err() && Password::parse_for("password1234", &[]).is_err());
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
