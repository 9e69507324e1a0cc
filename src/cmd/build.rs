//! `missing-report build`: the paper, its charts and the metrics export.

use std::time::Instant;

use anyhow::Result;
use missing_report::config::Config;
use missing_report::output::OutputFolder;
use missing_report::Gate;

use crate::cli::BuildArgs;

pub fn run(args: &BuildArgs) -> Result<()> {
    let started = Instant::now();
    let config = Config::load(args.input.config.as_deref(), args.overrides())?;
    let gate = Gate { final_paper: args.final_version, accept_numbers: args.accept_numbers };
    if config.emit_bundle.as_deref() == Some(config.output.as_path()) {
        anyhow::bail!("--emit-bundle {}: the bundle folder must differ from the output folder", config.output.display());
    }
    // Claimed before any work: an unwritable or busy folder fails at once.
    let folder = OutputFolder::claim(&config.output)?;
    let bundle_folder = config.emit_bundle.as_deref().map(OutputFolder::claim).transpose()?;
    let mut built = missing_report::build(&config, gate)?;
    built.timings.time("write", || folder.write(&built.files))?;
    if let (Some(dir), Some(bundle_folder)) = (&config.emit_bundle, &bundle_folder) {
        bundle_folder.write(&built.bundle)?;
        eprintln!("wrote the bundle to {} (build it with the command in {})", dir.display(), dir.join("README.txt").display());
    }
    for warning in &built.warnings {
        eprintln!("template warning: {warning}");
    }
    if built.example_data {
        eprintln!(
            "EXAMPLE DATA: these figures are the bundled fictional example's, not a council's; set input.files to build a real paper"
        );
    }
    eprint!("{}", built.quality);
    eprintln!(
        "wrote {} ({} pages), {} chart(s), {} table(s) in {} and tables/, and {}",
        config.output.join("report.pdf").display(),
        built.pages,
        built.chart_count(),
        built.tables,
        config.output.join("tables.xlsx").display(),
        config.output.join("metrics.csv").display()
    );
    if !built.placeholders.is_empty() {
        eprintln!("commentary still to write (placeholders shown): {}", built.placeholders.join(", "));
    }
    if !built.starter_slots.is_empty() {
        eprintln!("commentary still holding init's starter text: {}", built.starter_slots.join(", "));
    }
    for finding in &built.number_findings {
        eprintln!("number check: {finding}");
    }
    if !built.unset_details.is_empty() {
        eprintln!("cover details still to set in the configuration (marked in the paper): {}", built.unset_details.join(", "));
    }
    if args.timings {
        eprint!("{}", built.timings.table(started.elapsed()));
    }
    Ok(())
}
