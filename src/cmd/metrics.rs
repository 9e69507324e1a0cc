//! `missing-report metrics`: the export of METRICS.md, to a file or standard output.

use std::io::Write;
use std::time::Instant;

use anyhow::{Context, Result};
use missing_report::config::{Config, Overrides};
use missing_report::output;
use missing_report::timings::Timings;

use crate::cli::{ExportFormat, MetricsArgs};

pub fn run(args: &MetricsArgs) -> Result<()> {
    let started = Instant::now();
    let overrides = Overrides { period_end: args.period, ..args.input.overrides() };
    let config = Config::load(args.input.config.as_deref(), overrides)?;
    let mut timings = Timings::default();
    let mut figures = missing_report::compute(&config, &mut timings)?;
    if let Some(month) = args.period {
        figures.metrics.keep_periods_ending(month);
    }
    let (bytes, rows) = timings.time("export", || -> Result<(Vec<u8>, usize)> {
        let mut bytes = Vec::new();
        let rows = match args.format {
            ExportFormat::Csv => figures.metrics.write_csv(&mut bytes)?,
            ExportFormat::Jsonl => figures.metrics.write_jsonl(&mut bytes)?,
        };
        Ok((bytes, rows))
    })?;
    timings.time("write", || -> Result<()> {
        match &args.output {
            Some(path) => {
                output::write_atomically(path, &bytes, output::Access::Default)?;
                eprint!("{}", figures.quality);
                eprintln!("wrote {} ({rows} rows)", path.display());
            }
            None => std::io::stdout().lock().write_all(&bytes).context("writing to standard output")?,
        }
        Ok(())
    })?;
    if args.timings {
        eprint!("{}", timings.table(started.elapsed()));
    }
    Ok(())
}
