//! Checks shared by the browser (to answer at once) and the server (to enforce). Their limits
//! are constants so that the OpenAPI document (`crate::openapi`) states the same numbers.

/// The most characters an e-mail address may have (RFC 5321's path limit), after trimming.
pub const MAX_EMAIL_CHARS: usize = 254;
/// The most characters a person's name may have, after trimming.
pub const MAX_NAME_CHARS: usize = 100;
/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The most characters a password may have (argon2 hashes any length; this bounds the work).
pub const MAX_PASSWORD_CHARS: usize = 1000;
/// An area's settings document: at most this many fields…
pub const MAX_DOCUMENT_FIELDS: usize = 100;
/// …each named by 1 to this many characters (not only spaces)…
pub const MAX_FIELD_NAME_CHARS: usize = 100;
/// …with a value of at most this many characters.
pub const MAX_FIELD_VALUE_CHARS: usize = 10_000;

/// Checks an e-mail address the way a person types it: one `@`, a local part, a domain with a
/// dot, no spaces, at most [`MAX_EMAIL_CHARS`] characters. Returns the trimmed address, or a sentence saying
/// what is wrong.
pub fn check_email(text: &str) -> Result<&str, String> {
    let text = text.trim();
    let invalid = |why: &str| Err(format!("`{text}` is not a valid e-mail address: {why}."));
    if text.is_empty() {
        return Err("Enter an e-mail address.".to_owned());
    }
    if text.chars().count() > MAX_EMAIL_CHARS {
        return invalid(&format!("it is longer than {MAX_EMAIL_CHARS} characters"));
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
    Ok(text)
}

/// Checks a new password's length.
pub fn check_password(text: &str) -> Result<(), String> {
    let chars = text.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(format!("The password needs at least {MIN_PASSWORD_CHARS} characters."));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err("The password can have at most 1,000 characters.".to_owned());
    }
    Ok(())
}

/// Checks a person's name: 1 to [`MAX_NAME_CHARS`] characters after trimming, no control
/// characters.
pub fn check_name(text: &str) -> Result<&str, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Enter a name.".to_owned());
    }
    if text.chars().count() > MAX_NAME_CHARS {
        return Err(format!("A name can have at most {MAX_NAME_CHARS} characters."));
    }
    if text.chars().any(char::is_control) {
        return Err("A name cannot contain control characters.".to_owned());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_are_accepted_and_trimmed() {
        for ok in ["anna@example.com", " Anna.Berg+billing@Sub.Example.co.uk ", "x@b.de", "ü@bücher.de"] {
            assert!(check_email(ok).is_ok(), "{ok}");
        }
        assert_eq!(check_email(" A@B.de "), Ok("A@B.de"));
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
            assert!(check_email(bad).is_err(), "{bad}");
        }
        assert!(check_email(&format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn passwords_need_twelve_characters_and_names_some_text() {
        assert!(check_password("elevenchars").is_err());
        assert!(check_password("twelve chars").is_ok());
        assert_eq!(check_name("  Anna Berg "), Ok("Anna Berg"));
        assert!(check_name("   ").is_err());
        assert!(check_name(&"x".repeat(101)).is_err());
        assert!(check_name("Anna\u{0}").is_err());
    }
}
