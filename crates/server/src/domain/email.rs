use std::fmt;

/// Why a text is no e-mail address, in words for the person who typed it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InvalidEmail(pub String);

/// A syntactically valid e-mail address, trimmed; compared case-insensitively via [`Email::key`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Parses with the rules the browser also applies ([`useradmin_api::check_email`]), and
    /// makes sure the mail library can address it.
    pub fn parse(text: &str) -> Result<Email, InvalidEmail> {
        let email = useradmin_api::check_email(text).map_err(InvalidEmail)?;
        email
            .parse::<lettre::Address>()
            .map_err(|_| InvalidEmail(format!("`{email}` is not an address mail can be delivered to.")))?;
        Ok(Email(email.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The lower-cased form that makes addresses unique.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn addresses_are_trimmed_and_keyed_in_lower_case() {
        assert_eq!(Email::parse(" A@B.de ").unwrap().as_str(), "A@B.de");
        assert_eq!(Email::parse("A@B.de").unwrap().key(), "a@b.de");
        assert!(Email::parse("nope").is_err());
    }
}
