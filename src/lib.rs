//! The useradmin single-page app: Yew components compiled to wasm by Trunk.
//!
//! Security is never decided here: the app evaluates `useradmin-rights` only to decide what
//! to show; the server re-checks every request.

pub mod api;
pub mod app;
pub mod components;
pub mod hooks;
pub mod pages;

pub use app::App;
