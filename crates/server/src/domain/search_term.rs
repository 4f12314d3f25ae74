/// What the user list is searched for: a case-insensitive substring of the name or e-mail,
/// taken literally (`%`, `_` and `\` are characters like any other). Trimmed, lower-cased the
/// way the `*_lower` columns are, never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerm(String);

/// Trigram indexes can only narrow a search for a term of at least this many characters.
const TRIGRAM_LEN: usize = 3;

/// A search term nobody can type: control characters (a NUL byte made the database fail).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("The search term contains control characters.")]
pub struct InvalidSearchTerm;

impl SearchTerm {
    /// `None` when there is nothing to search for (absent or blank).
    pub fn parse(text: &str) -> Result<Option<SearchTerm>, InvalidSearchTerm> {
        if text.chars().any(char::is_control) {
            return Err(InvalidSearchTerm);
        }
        let text = text.trim();
        Ok((!text.is_empty()).then(|| SearchTerm(text.to_lowercase())))
    }

    /// The pattern for `LIKE … ESCAPE '\'` that matches the term anywhere in a value.
    pub fn like_pattern(&self) -> String {
        let escaped = self.0.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        format!("%{escaped}%")
    }

    /// Whether the term is long enough for a trigram index to narrow it.
    pub fn fits_trigrams(&self) -> bool {
        self.0.chars().count() >= TRIGRAM_LEN
    }

    /// The FTS5 query for the term as one phrase (quoted, inner quotes doubled), which the
    /// trigram tokenizer matches as a substring.
    pub fn fts_phrase(&self) -> String {
        format!("\"{}\"", self.0.replace('"', "\"\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_search_is_no_search() {
        assert_eq!(SearchTerm::parse("   "), Ok(None));
        assert_eq!(SearchTerm::parse(""), Ok(None));
    }

    #[test]
    fn control_characters_are_no_search_term() {
        for text in ["a\0b", "\0", "a\tb", "\u{7f}", "a\nb"] {
            assert_eq!(SearchTerm::parse(text), Err(InvalidSearchTerm), "{text:?}");
        }
    }

    #[test]
    fn the_term_is_trimmed_and_lower_cased() {
        assert_eq!(SearchTerm::parse("  Ada ADM ").unwrap().unwrap(), SearchTerm("ada adm".to_owned()));
    }

    #[test]
    fn like_wildcards_and_the_escape_character_are_taken_literally() {
        assert_eq!(SearchTerm::parse("50%_a\\b").unwrap().unwrap().like_pattern(), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn trigrams_need_three_characters_and_the_phrase_is_quoted() {
        assert!(!SearchTerm::parse("ab").unwrap().unwrap().fits_trigrams());
        assert!(SearchTerm::parse("äöü").unwrap().unwrap().fits_trigrams());
        assert_eq!(SearchTerm::parse("a\"b").unwrap().unwrap().fts_phrase(), "\"a\"\"b\"");
    }
}
