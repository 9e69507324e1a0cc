//! `missing-report validate`: what would be left out or doubted, by rule,
//! and (with `--findings`) every finding row by row.

use anyhow::Result;
use missing_report::config::Config;
use missing_report::output;

use crate::cli::ValidateArgs;

pub fn run(args: &ValidateArgs) -> Result<()> {
    let config = Config::load(args.input.config.as_deref(), args.input.overrides())?;
    let validation = missing_report::validate(&config)?;
    print!("{}", validation.quality);
    let codes: Vec<&str> = config.input.reasons.codes().collect();
    print!("{}", validation.quality.unrecognised.report(&validation.quality.column_names, &codes));
    println!("{} episodes would be counted", validation.counted);
    if let Some(path) = &args.findings {
        output::write_atomically(path, &validation.quality.findings_csv()?, output::Access::OwnerOnly)?;
        println!("wrote {} ({} findings)", path.display(), validation.quality.findings.len());
        println!(
            "  PERSONAL DATA: {} quotes cells and row numbers of the source extract. It is readable by you only (mode 0600); keep it where the extract is kept, never publish or email it, and delete it once the extract is corrected.",
            path.display()
        );
    }
    Ok(validation.countable?)
}
