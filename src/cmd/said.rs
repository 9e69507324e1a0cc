//! What a build says on the terminal: where the paper went, what the data
//! held, and what is still to write or set. `build` and every rebuild of
//! `build --watch` say it the same way.

use missing_report::config::Config;

/// What a build wrote and what is still to do, on standard error.
pub fn say_what_was_built(built: &missing_report::BuildOutput, config: &Config) {
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
        "wrote {}{} ({} pages), {} chart(s), {} table(s) in {} and tables/, and {}",
        config.output.join("report.pdf").display(),
        if config.html { format!(" and {}", config.output.join("report.html").display()) } else { String::new() },
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
}
