//! API tests: each starts the real server on port 0 with a fresh temporary data folder and
//! talks to it over HTTP, reading invitation links from the real mail files.

mod areas;
mod audit_log;
mod authz;
mod concurrency;
mod connections;
mod crash;
mod housekeeping;
mod instances;
mod invitations;
mod load;
mod me;
mod openapi;
mod platform;
mod search;
mod secrets;
mod session;
mod smtp;
mod sudo;
mod users;
