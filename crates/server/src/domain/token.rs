use rand::RngCore;
use sha2::{Digest, Sha256};

/// A secret of 256 random bits, given out once (in a link or a cookie); only its hash is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

impl Token {
    pub fn generate() -> Token {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Token(hex(&bytes))
    }

    /// A token as received; anything that is not 64 hex digits can never match.
    pub fn from_received(text: &str) -> Option<Token> {
        (text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())).then(|| Token(text.to_ascii_lowercase()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What the database keeps.
    pub fn hash(&self) -> String {
        hex(&Sha256::digest(self.0.as_bytes()))
    }
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(DIGITS[usize::from(byte >> 4)] as char);
        out.push(DIGITS[usize::from(byte & 15)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_64_hex_digits_unique_and_hashed() {
        let a = Token::generate();
        let b = Token::generate();
        assert_eq!(a.expose().len(), 64);
        assert_ne!(a, b);
        assert_ne!(a.hash(), a.expose());
        assert_eq!(Token::from_received(a.expose()).unwrap().hash(), a.hash());
        assert!(Token::from_received("not-a-token").is_none());
    }
}
