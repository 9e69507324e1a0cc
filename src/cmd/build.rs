//! `missing-report build`: the paper, its charts and the metrics export.

use std::time::Instant;

use anyhow::Result;
use missing_report::config::Config;
use missing_report::output::{OutputFile, OutputFolder};
use missing_report::Gate;

use crate::cli::{BuildArgs, ByColumn};
use crate::progress;

pub fn run(args: &BuildArgs) -> Result<()> {
    let started = Instant::now();
    let config = Config::load(args.input.config.as_deref(), args.overrides())?;
    let gate = Gate { final_paper: args.final_version, accept_numbers: args.accept_numbers };
    if config.emit_bundle.as_deref() == Some(config.output.as_path()) {
        anyhow::bail!("--emit-bundle {}: the bundle folder must differ from the output folder", config.output.display());
    }
    // Claimed before any work: an unwritable or busy folder fails at once.
    let folder = OutputFolder::claim(&config.output)?;
    if args.by == Some(ByColumn::Authority) {
        return run_by_authority(args, &config, gate, &folder, started);
    }
    if args.watch {
        drop(folder);
        return super::watch::run(args, &mut |_| {});
    }
    let bundle_folder = config.emit_bundle.as_deref().map(OutputFolder::claim).transpose()?;
    // The charts and exports are staged (out of sight) while the paper is laid out.
    let mut built = missing_report::build_staging(&config, gate, &|files| folder.stage(files))?;
    built.timings.time("write", || folder.write_rest(&built.files))?;
    if let (Some(dir), Some(bundle_folder)) = (&config.emit_bundle, &bundle_folder) {
        bundle_folder.write(&built.bundle)?;
        eprintln!("wrote the bundle to {} (build it with the command in {})", dir.display(), dir.join("README.txt").display());
    }
    super::said::say_what_was_built(&built, &config);
    if args.timings {
        eprint!("{}", built.timings.table(started.elapsed()));
    }
    Ok(())
}

/// `build --by authority`: every authority's pack in its folder and the regional summary, written together.
fn run_by_authority(args: &BuildArgs, config: &Config, gate: Gate, folder: &OutputFolder, started: Instant) -> Result<()> {
    let bar = progress::Bar::new("papers");
    // Each pack is staged as soon as it is made, on a thread of its own (its
    // flushes wait on the disk, not the processor), and its bytes let go;
    // all are put in place together, with the summary, once every one is made.
    let (sender, packs) = std::sync::mpsc::channel::<Vec<OutputFile>>();
    let (built, staged) = std::thread::scope(|scope| {
        let stager = scope.spawn(|| -> Result<()> {
            for files in packs {
                folder.stage(&files)?;
            }
            Ok(())
        });
        let built = missing_report::build_by_authority(config, gate, &|files, done, all| {
            sender.send(files).map_err(|_| anyhow::anyhow!("the files of a paper could not be staged"))?;
            bar.set(done, all);
            Ok(())
        });
        drop(sender);
        (built, stager.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    bar.finish();
    staged?;
    let mut built = built?;
    built.summary.timings.time("write", || folder.write(&built.summary.files))?;
    for warning in built.packs.iter().flat_map(|p| &p.output.warnings).chain(&built.summary.warnings) {
        eprintln!("template warning: {warning}");
    }
    eprint!("{}", built.summary.quality);
    eprintln!(
        "wrote {} papers to {}/<authority>/ (each with its charts, tables and metrics.csv), every one to {}, and the regional summary {} ({} pages)",
        built.packs.len(),
        config.output.display(),
        built.period_end.long_name(),
        config.output.join("report.pdf").display(),
        built.summary.pages
    );
    if args.timings {
        eprint!("{}", built.summary.timings.table(started.elapsed()));
    }
    Ok(())
}
