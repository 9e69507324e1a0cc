//! `missing-report synth`: deterministic synthetic episodes.

use anyhow::Result;
use missing_report::{output, synth};

use crate::cli::SynthArgs;

pub fn run(args: &SynthArgs) -> Result<()> {
    let mut bytes = Vec::new();
    synth::write_csv(&synth::SynthConfig::example(args.episodes, args.seed), &mut bytes)?;
    output::write_atomically(&args.output, &bytes, output::Access::Default)?;
    eprintln!("wrote {} ({} episodes)", args.output.display(), args.episodes);
    Ok(())
}
