//! Page cursors: opaque to clients, parsed back into the position they stand for.

use super::token::hex;

/// A cursor this server did not hand out.
#[derive(Debug, thiserror::Error)]
#[error("The cursor is not one this server handed out; start again from the first page.")]
pub struct InvalidCursor;

/// A position in the user list: the `email_lower` of the last user of the previous page,
/// hex-encoded so that any address survives a query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailCursor(String);

impl EmailCursor {
    pub fn parse(text: &str) -> Result<EmailCursor, InvalidCursor> {
        let bytes: Option<Vec<u8>> = (0..text.len())
            .step_by(2)
            .map(|i| text.get(i..i + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok()))
            .collect();
        // A cursor is an address this server handed out, which has no control characters; a NUL
        // would reach PostgreSQL, which refuses it in text (500).
        bytes
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .filter(|text| !text.chars().any(char::is_control))
            .map(EmailCursor)
            .ok_or(InvalidCursor)
    }

    /// The cursor of the page after the user with this `email_lower`.
    pub fn after(email_lower: &str) -> String {
        hex(email_lower.as_bytes())
    }

    /// The `email_lower` the next page starts after.
    pub fn into_key(self) -> String {
        self.0
    }
}

/// A position in the audit log: the id of the last event of the previous page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdCursor(i64);

impl IdCursor {
    pub fn parse(text: &str) -> Result<IdCursor, InvalidCursor> {
        text.parse().map(IdCursor).map_err(|_| InvalidCursor)
    }

    pub fn id(self) -> i64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_cursor_reads_back_the_key_it_was_made_from() {
        let cursor = EmailCursor::after("zoë@example.com");
        assert_eq!(EmailCursor::parse(&cursor).unwrap().into_key(), "zoë@example.com");
        assert!(EmailCursor::parse("zz").is_err());
        assert!(EmailCursor::parse("abc").is_err());
        assert!(EmailCursor::parse("ff").is_err(), "not UTF-8");
    }

    #[test]
    fn an_id_cursor_is_a_number() {
        assert_eq!(IdCursor::parse("42").unwrap().id(), 42);
        assert!(IdCursor::parse("forty-two").is_err());
    }
}
