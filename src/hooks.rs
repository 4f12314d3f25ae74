//! Custom hooks, and the callbacks pages build on them.

mod callbacks;
mod use_load;
mod use_paged;
mod use_row_window;
mod use_session;
mod use_submit;

pub use callbacks::{dispatching, text_input};
pub use use_load::{Load, LoadHandle, use_load};
pub use use_paged::{FooterLabels, PageAction, Paged, PagedHandle, use_paged};
pub use use_row_window::{RowWindow, RowWindowHandle, use_row_window};
pub use use_session::{
    Session, SessionAction, SessionHandle, SessionProvider, SessionProviderProps, SessionState, use_session,
};
pub use use_submit::{SubmitHandle, use_submit};
