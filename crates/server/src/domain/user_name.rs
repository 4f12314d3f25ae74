/// Why a text is no name, in words for the person who typed it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InvalidName(pub String);

/// A person's name: trimmed, 1 to 100 characters, no control characters
/// ([`useradmin_api::check_name`], the rule the browser also applies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserName(String);

impl UserName {
    pub fn parse(text: &str) -> Result<UserName, InvalidName> {
        useradmin_api::check_name(text).map(|name| UserName(name.to_owned())).map_err(InvalidName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The lower-cased form the user list is searched by (`name_lower`).
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}
