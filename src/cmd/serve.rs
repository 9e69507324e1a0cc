//! `missing-report serve`: the web edition and the PDF on 127.0.0.1,
//! rebuilt on every change (`build --watch`) and reloaded in the browser.

use std::sync::{Arc, Mutex};

use anyhow::Result;
use missing_report::config::Config;

use crate::cli::ServeArgs;
use crate::server::{self, Shown};

pub fn run(args: &ServeArgs) -> Result<()> {
    let mut build = args.build.clone();
    build.html = true;
    let config = Config::load(build.input.config.as_deref(), build.overrides())?;
    let shown = Arc::new(Mutex::new(Shown::default()));
    let (port, thread) = server::start(args.port, config.output.clone(), shown.clone())?;
    println!("serving {} on http://127.0.0.1:{port}/ (the PDF at /report.pdf); Ctrl-C stops", config.output.display());
    let result = super::watch::run(&build, &mut |outcome| {
        let mut shown = shown.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        shown.version += 1;
        shown.error = outcome.err().map(|error| format!("{error:#}"));
    });
    let _ = thread.join();
    eprintln!("stopped serving");
    result
}
