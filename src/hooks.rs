//! Custom hooks.

mod use_session;

pub use use_session::{
    Session, SessionAction, SessionHandle, SessionProvider, SessionState, sign_out_on_401, use_session,
};
