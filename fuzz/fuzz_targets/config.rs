//! The configuration loader: any text as `missing-report.yaml` is read and
//! resolved into every stage's settings, or refused with a message naming
//! the file; never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use missing_report::config::{Config, Overrides, RawConfig};

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    match RawConfig::parse(text, "missing-report.yaml") {
        Ok(raw) => {
            if let Ok(config) = Config::resolve(raw, Path::new(""), Overrides::default()) {
                let _ = (config.ingest_context(), config.metrics_context(), config.chart_context(), config.report_context());
            }
        }
        Err(error) => assert!(format!("{error:#}").contains("missing-report.yaml"), "an error that names no file: {error:#}"),
    }
});
