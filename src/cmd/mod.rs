//! One file per command: load the configuration, call the library, write
//! the files and say what was written. No logic of its own.

pub mod build;
pub mod init;
pub mod metrics;
pub mod said;
pub mod serve;
pub mod synth;
pub mod validate;
pub mod watch;
pub mod watchlist;
