//! Custom hooks.

mod use_row_window;
mod use_session;

pub use use_row_window::{ESTIMATED_ROW_PX, RowWindow, RowWindowHandle, WINDOW_FROM, use_row_window};
pub use use_session::{
    Session, SessionAction, SessionHandle, SessionProvider, SessionProviderProps, SessionState, use_session,
};
