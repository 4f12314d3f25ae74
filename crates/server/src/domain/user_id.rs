/// A user's id as it appears in a path (`/users/{id}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserId(i64);

/// No user has this id (or the path segment is no id at all).
#[derive(Debug, thiserror::Error)]
#[error("There is no such user.")]
pub struct UserNotFound;

impl UserId {
    /// Anything but a positive number names no user.
    pub fn parse(text: &str) -> Result<UserId, UserNotFound> {
        text.parse().ok().filter(|id| *id > 0).map(UserId).ok_or(UserNotFound)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_positive_numbers_are_ids() {
        assert_eq!(UserId::parse("7").unwrap().get(), 7);
        for text in ["0", "-1", "seven", "", "1e3"] {
            assert!(UserId::parse(text).is_err(), "{text}");
        }
    }
}
