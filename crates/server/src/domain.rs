//! Domain newtypes: parsed once at the edge, trusted everywhere after.

mod email;
pub mod password;
mod search_term;
pub mod token;
mod user_name;

pub use email::Email;
pub use password::{Password, PasswordHash};
pub use search_term::SearchTerm;
pub use token::Token;
pub use user_name::UserName;
