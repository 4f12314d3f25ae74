//! Custom hooks.

mod use_row_window;
mod use_session;

pub use use_row_window::{RowWindow, RowWindowHandle, use_row_window};
pub use use_session::{
    Session, SessionAction, SessionHandle, SessionProvider, SessionProviderProps, SessionState, use_session,
};
