/// A person's name: trimmed, 1 to 100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserName(String);

impl UserName {
    pub fn parse(text: &str) -> Result<UserName, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("Enter a name.".to_owned());
        }
        if text.chars().count() > 100 {
            return Err("A name can have at most 100 characters.".to_owned());
        }
        if text.chars().any(char::is_control) {
            return Err("A name cannot contain control characters.".to_owned());
        }
        Ok(UserName(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::UserName;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            UserName::parse("  Anna Berg ").unwrap().as_str(),
            "Anna Berg"
        );
        assert!(UserName::parse("   ").is_err());
        assert!(UserName::parse(&"x".repeat(101)).is_err());
        assert!(UserName::parse("Anna\u{0}").is_err());
    }
}
