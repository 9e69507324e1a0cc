//! The binary: parse flags, resolve the configuration, call the library,
//! print errors once and map them to exit codes (0 ok, 1 usage or
//! configuration, 2 unusable input).

mod cli;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Parser;
use cli::{BuildArgs, Cli, Command, ExportFormat, MetricsArgs, SynthArgs, ValidateArgs};
use missing_report::config::Config;
use missing_report::ingest::UnusableInput;
use missing_report::{assets, ingest, output, synth};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(1) } else { ExitCode::SUCCESS };
        }
    };
    let result = match cli.command.unwrap_or(Command::Build(BuildArgs::default())) {
        Command::Build(args) => build(&args),
        Command::Metrics(args) => metrics(&args),
        Command::Validate(args) => validate(&args),
        Command::Init { dir } => init(&dir),
        Command::Synth(args) => synthesise(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            if error.chain().any(|cause| cause.downcast_ref::<UnusableInput>().is_some()) {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn build(args: &BuildArgs) -> Result<()> {
    let started = std::time::Instant::now();
    let config = Config::load(args.input.config.as_deref(), args.overrides())?;
    let built = missing_report::build(&config, args.final_version)?;
    let write_started = std::time::Instant::now();
    output::write_build(&config.output, &built)?;
    let write_time = write_started.elapsed();
    for warning in &built.warnings {
        eprintln!("template warning: {warning}");
    }
    eprint!("{}", built.quality);
    eprintln!(
        "wrote {} ({} pages), {} chart(s) and {}",
        config.output.join("report.pdf").display(),
        built.pages,
        built.charts.charts.len(),
        config.output.join("metrics.csv").display()
    );
    if !built.placeholders.is_empty() {
        eprintln!("commentary still to write (placeholders shown): {}", built.placeholders.join(", "));
    }
    if args.timings {
        for (stage, time) in &built.timings {
            eprintln!("  {stage:<8} {:>8.1} ms", time.as_secs_f64() * 1000.0);
        }
        eprintln!("  {:<8} {:>8.1} ms", "write", write_time.as_secs_f64() * 1000.0);
        eprintln!("  {:<8} {:>8.1} ms", "total", started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(())
}

fn metrics(args: &MetricsArgs) -> Result<()> {
    let config = Config::load(args.input.config.as_deref(), args.input.overrides())?;
    let (_, quality, metrics, _) = missing_report::load_and_compute(&config)?;
    let mut bytes = Vec::new();
    match args.format {
        ExportFormat::Csv => metrics.write_csv(&mut bytes)?,
        ExportFormat::Jsonl => metrics.write_jsonl(&mut bytes)?,
    }
    match &args.output {
        Some(path) => {
            output::write_atomically(path, &bytes)?;
            eprint!("{quality}");
            eprintln!("wrote {} ({} rows)", path.display(), metrics.rows.len());
        }
        None => std::io::stdout().lock().write_all(&bytes).context("writing to standard output")?,
    }
    Ok(())
}

fn validate(args: &ValidateArgs) -> Result<()> {
    let config = Config::load(args.input.config.as_deref(), args.input.overrides())?;
    let files = config.inputs.iter().map(ingest::InputFile::load).collect::<Result<Vec<_>>>()?;
    let (episodes, quality) = ingest::read(&files, &config.ingest_context())?;
    print!("{quality}");
    let counted = episodes.counted(&config.rules);
    println!("{counted} episodes would be counted");
    if let Some(path) = &args.findings {
        output::write_atomically(path, &quality.findings_csv()?)?;
        println!("wrote {} ({} findings)", path.display(), quality.findings.len());
    }
    if counted == 0 {
        let names = files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", ");
        return Err(UnusableInput(format!("no episode left to count in {names}: see the findings by rule above")).into());
    }
    Ok(())
}

fn init(dir: &Path) -> Result<()> {
    let files: Vec<(std::path::PathBuf, String)> = std::iter::once((dir.join("config.yaml"), starter_config()))
        .chain(std::iter::once((dir.join("commentary.md"), assets::EXAMPLE_COMMENTARY.to_string())))
        .chain(assets::TEMPLATE_FILES.iter().map(|(name, text)| (dir.join("templates").join(name), text.to_string())))
        .collect();
    if let Some((existing, _)) = files.iter().find(|(path, _)| path.exists()) {
        bail!("{} already exists; init never overwrites files", existing.display());
    }
    for (path, text) in &files {
        output::write_atomically(path, text.as_bytes())?;
        eprintln!("wrote {}", path.display());
    }
    eprintln!("edit {0}/config.yaml, then run: missing-report build -c {0}/config.yaml", dir.display());
    Ok(())
}

/// The default configuration, pointed at the copied commentary file and templates.
fn starter_config() -> String {
    assets::DEFAULT_CONFIG
        .replace("#commentary: commentary.md", "commentary: commentary.md")
        .replace("#template: templates/overview.typ", "template: templates/overview.typ")
}

fn synthesise(args: &SynthArgs) -> Result<()> {
    let mut bytes = Vec::new();
    synth::write_csv(&synth::SynthConfig::example(args.episodes, args.seed), &mut bytes)?;
    output::write_atomically(&args.output, &bytes)?;
    eprintln!("wrote {} ({} episodes)", args.output.display(), args.episodes);
    Ok(())
}
