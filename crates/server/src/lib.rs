//! useradmin-server: the REST API under `/api/v1` (axum), on SQLite or PostgreSQL through sqlx,
//! serving the built app at `/`. The browser only hides what a user may not use; this server refuses it.

pub mod audit;
pub mod auth;
#[cfg(feature = "bench-plain")]
pub mod bench_plain;
pub mod client_address;
pub mod configuration;
pub mod db;
pub mod device;
pub mod domain;
pub mod error;
pub mod housekeeping;
pub mod invitation_mail;
pub mod mail;
pub mod rate_limit;
pub mod reset_mail;
pub mod routes;
pub mod security;
pub mod serve;
pub mod startup;
pub mod state;
pub mod store;
pub mod user_search;
pub mod write;
