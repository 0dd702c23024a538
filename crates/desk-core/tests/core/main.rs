//! Integration tests of the core on temporary SQLite files, one module per aggregate.

mod archive;
mod backup;
mod common;
mod complaints;
mod crash;
mod exchange;
mod forms;
mod numbering;
mod parts;
mod roles;
mod scan;
mod scan_pages;
mod search;
mod sites;
mod stock_counts;
mod store;
mod users_site;
mod work_orders;
mod xlsx;
