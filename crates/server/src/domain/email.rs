use std::fmt;

/// A syntactically valid e-mail address, trimmed; compared case-insensitively via [`Email::key`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Checks the address the way a person types it: one `@`, a local part, a domain with a
    /// dot, no spaces, at most 254 characters.
    pub fn parse(text: &str) -> Result<Email, String> {
        let text = text.trim();
        let invalid = |why: &str| Err(format!("`{text}` is not a valid e-mail address: {why}."));
        if text.is_empty() {
            return Err("Enter an e-mail address.".to_owned());
        }
        if text.chars().count() > 254 {
            return invalid("it is longer than 254 characters");
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return invalid("it contains a space");
        }
        let Some((local, domain)) = text.rsplit_once('@') else {
            return invalid("it has no @");
        };
        if local.is_empty() || local.len() > 64 || local.contains('@') {
            return invalid("the part before the @ is missing, too long or has another @");
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return invalid("the part before the @ has a misplaced dot");
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2 {
            return invalid("the domain after the @ has no dot");
        }
        let label_ok = |label: &&str| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        };
        if !labels.iter().all(label_ok) {
            return invalid("the domain after the @ is not valid");
        }
        if local.chars().any(|c| "()<>[]\\,;:\"".contains(c)) {
            return invalid("it contains a character an address cannot have");
        }
        Ok(Email(text.to_owned()))
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
    fn ordinary_addresses_are_accepted_and_trimmed() {
        for ok in [
            "anna@example.com",
            " Anna.Berg+billing@Sub.Example.co.uk ",
            "x@b.de",
            "ü@bücher.de",
        ] {
            assert!(Email::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(Email::parse(" A@B.de ").unwrap().as_str(), "A@B.de");
        assert_eq!(Email::parse("A@B.de").unwrap().key(), "a@b.de");
    }

    #[test]
    fn malformed_addresses_are_rejected_with_a_reason() {
        for bad in [
            "",
            "anna",
            "anna@",
            "@example.com",
            "anna@example",
            "an na@example.com",
            "anna@@example.com",
            "anna@exa_mple.com",
            "anna@-example.com",
            ".anna@example.com",
            "a..b@example.com",
            "anna@example..com",
            "<anna>@example.com",
        ] {
            let err = Email::parse(bad).unwrap_err();
            assert!(!err.is_empty(), "{bad}");
        }
        assert!(Email::parse(&format!("{}@example.com", "a".repeat(250))).is_err());
    }
}
