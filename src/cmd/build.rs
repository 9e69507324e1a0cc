//! `missing-report build`: the paper, its charts and the metrics export.

use std::time::Instant;

use anyhow::Result;
use missing_report::config::Config;
use missing_report::output;

use crate::cli::BuildArgs;

pub fn run(args: &BuildArgs) -> Result<()> {
    let started = Instant::now();
    let config = Config::load(args.input.config.as_deref(), args.overrides())?;
    let mut built = missing_report::build(&config, args.final_version)?;
    built.timings.time("write", || output::write_files(&config.output, &built.files))?;
    for warning in &built.warnings {
        eprintln!("template warning: {warning}");
    }
    eprint!("{}", built.quality);
    eprintln!(
        "wrote {} ({} pages), {} chart(s) and {}",
        config.output.join("report.pdf").display(),
        built.pages,
        built.chart_count(),
        config.output.join("metrics.csv").display()
    );
    if !built.placeholders.is_empty() {
        eprintln!("commentary still to write (placeholders shown): {}", built.placeholders.join(", "));
    }
    if args.timings {
        for (stage, time) in &built.timings.stages {
            eprintln!("  {stage:<8} {:>8.1} ms", time.as_secs_f64() * 1000.0);
        }
        eprintln!("  {:<8} {:>8.1} ms", "total", started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(())
}
