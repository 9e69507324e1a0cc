//! `missing-report synth`: deterministic synthetic episodes.

use anyhow::Result;
use missing_report::{output, synth};

use crate::cli::SynthArgs;

pub fn run(args: &SynthArgs) -> Result<()> {
    let mut bytes = Vec::new();
    synth::write_csv(&synth::SynthConfig::regional(args.episodes, args.seed, args.authorities), &mut bytes)?;
    output::write_atomically(&args.output, &bytes, output::Access::Default)?;
    if args.authorities > 1 {
        eprintln!("wrote {} ({} episodes of {} authorities)", args.output.display(), args.episodes, args.authorities);
    } else {
        eprintln!("wrote {} ({} episodes)", args.output.display(), args.episodes);
    }
    Ok(())
}
