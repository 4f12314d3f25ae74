//! Reusable pieces of the pages.

mod rights_table;

pub use rights_table::RightsTable;
