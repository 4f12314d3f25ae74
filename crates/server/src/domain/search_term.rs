/// What the user list is searched for: a case-insensitive substring of the name or e-mail,
/// taken literally (`%`, `_` and `\` are characters like any other). Trimmed, lower-cased the
/// way the `*_lower` columns are, never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerm(String);

/// Trigram indexes can only narrow a search for a term of at least this many characters.
const TRIGRAM_LEN: usize = 3;

impl SearchTerm {
    /// `None` when there is nothing to search for (absent or blank).
    pub fn parse(text: &str) -> Option<SearchTerm> {
        let text = text.trim();
        (!text.is_empty()).then(|| SearchTerm(text.to_lowercase()))
    }

    /// The pattern for `LIKE … ESCAPE '\'` that matches the term anywhere in a value.
    pub fn like_pattern(&self) -> String {
        let escaped = self.0.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        format!("%{escaped}%")
    }

    /// The FTS5 query for the term as one phrase (quoted, inner quotes doubled), which the
    /// trigram tokenizer matches as a substring; `None` when the term is shorter than a
    /// trigram and no index can narrow it.
    pub fn trigram_phrase(&self) -> Option<String> {
        (self.0.chars().count() >= TRIGRAM_LEN).then(|| format!("\"{}\"", self.0.replace('"', "\"\"")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_search_is_no_search() {
        assert_eq!(SearchTerm::parse("   "), None);
        assert_eq!(SearchTerm::parse(""), None);
    }

    #[test]
    fn the_term_is_trimmed_and_lower_cased() {
        assert_eq!(SearchTerm::parse("  Ada ADM ").unwrap(), SearchTerm("ada adm".to_owned()));
    }

    #[test]
    fn like_wildcards_and_the_escape_character_are_taken_literally() {
        assert_eq!(SearchTerm::parse("50%_a\\b").unwrap().like_pattern(), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn the_trigram_phrase_is_quoted_and_needs_three_characters() {
        assert_eq!(SearchTerm::parse("ab").unwrap().trigram_phrase(), None);
        assert_eq!(SearchTerm::parse("äöü").unwrap().trigram_phrase().as_deref(), Some("\"äöü\""));
        assert_eq!(SearchTerm::parse("a\"b").unwrap().trigram_phrase().as_deref(), Some("\"a\"\"b\""));
    }
}
