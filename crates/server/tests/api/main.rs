//! API tests: each starts the real server on port 0 with a fresh temporary data folder and
//! talks to it over HTTP, reading invitation links from the real mail files.

mod areas;
mod audit_log;
mod authz;
mod concurrency;
mod connections;
mod crash;
mod deactivation;
mod housekeeping;
mod instances;
mod invitations;
mod last_sign_in;
mod load;
mod me;
mod openapi;
mod password_reset;
mod platform;
mod search;
mod secrets;
mod session;
mod smtp;
mod sudo;
mod users;
