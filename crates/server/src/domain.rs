//! Domain newtypes: parsed once at the edge, trusted everywhere after.

//! Each parser returns a small error type of its own, which `error.rs` turns into the API's
//! answer with its own code, so routes pass them on with `?`.

mod cursor;
mod email;
pub mod password;
mod search_term;
pub mod token;
mod user_id;
mod user_name;

pub use cursor::{EmailCursor, IdCursor, InvalidCursor};
pub use email::{Email, InvalidEmail};
pub use password::{HashSlots, HashingBusy, InvalidPassword, Password, PasswordHash};
pub use search_term::{InvalidSearchTerm, SearchTerm};
pub use token::Token;
pub use user_id::{UserId, UserNotFound};
pub use user_name::{InvalidName, UserName};
