//! `build --watch` (and `serve`): build, then rebuild whenever a file the
//! paper comes from changes: the configuration, the commentary, the
//! template folder or the input files. The figures are kept when neither
//! the inputs nor the settings they are counted by changed (a commentary or
//! template edit re-lays the paper only), and Typst keeps its caches between
//! compiles in the one process. Each rebuild's time is printed; files are
//! written through the output folder's staging, so a reader never sees a
//! half-written one, and a failed rebuild leaves the last good paper.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant, SystemTime};

use anyhow::Result;
use missing_report::config::{Config, CONFIG_FILE_NAME};
use missing_report::ingest::InputLocation;
use missing_report::output::OutputFolder;
use missing_report::render::TemplateSource;
use missing_report::timings::Timings;
use missing_report::{BuildOutput, Figures, Gate};

use crate::cli::BuildArgs;
use crate::server::interrupted;

/// How often the watched files are looked at.
const POLL: Duration = Duration::from_millis(100);

/// What one rebuild gave: the output, or the error to show in its place.
pub type Outcome<'a> = std::result::Result<&'a BuildOutput, &'a anyhow::Error>;

/// Each file's size and time of last change (a folder: each file in it); `None` when absent.
fn snapshot(paths: &[PathBuf]) -> Vec<(PathBuf, Option<(u64, SystemTime)>)> {
    let mut seen = Vec::new();
    for path in paths {
        let mut files = vec![path.clone()];
        if path.is_dir() {
            files = std::fs::read_dir(path).map(|e| e.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
            files.sort();
        }
        for file in files {
            let state = std::fs::metadata(&file).ok().map(|m| (m.len(), m.modified().unwrap_or(SystemTime::UNIX_EPOCH)));
            seen.push((file, state));
        }
    }
    seen
}

/// The files the paper comes from.
fn watched(args: &BuildArgs, config: Option<&Config>) -> Vec<PathBuf> {
    let mut paths = vec![args.input.config.clone().unwrap_or_else(|| PathBuf::from(CONFIG_FILE_NAME))];
    if let Some(config) = config {
        paths.extend(config.commentary.clone());
        if let TemplateSource::File(main) = &config.template {
            paths.push(main.parent().map(Path::to_path_buf).unwrap_or_default());
        }
        paths.extend(input_files(config));
    }
    paths
}

/// The input files the configuration names (none for the bundled example).
fn input_files(config: &Config) -> Vec<PathBuf> {
    config
        .inputs
        .iter()
        .filter_map(|input| match input {
            InputLocation::Path(path) => Some(path.clone()),
            InputLocation::BundledExample => None,
        })
        .collect()
}

/// What the figures are counted from: the input files as they are now and the settings that count them.
fn figures_key(config: &Config) -> String {
    format!("{:?}{:?}{:?}{:?}", config.inputs, snapshot(&input_files(config)), config.ingest_context(), config.metrics_context())
}

/// Builds, then rebuilds on every change until interrupted; `after` sees each outcome.
pub fn run(args: &BuildArgs, after: &mut dyn FnMut(Outcome<'_>)) -> Result<()> {
    let stop = interrupted();
    let gate = Gate { final_paper: args.final_version, accept_numbers: args.accept_numbers };
    let mut kept: Option<(String, Figures)> = None;
    let mut first = true;
    loop {
        let started = Instant::now();
        let config = Config::load(args.input.config.as_deref(), args.overrides());
        let paths = watched(args, config.as_ref().ok());
        let before = snapshot(&paths);
        let result = config.and_then(|config| {
            let key = figures_key(&config);
            let mut timings = Timings::default();
            let reused = matches!(&kept, Some((k, _)) if *k == key);
            let figures = match &kept {
                Some((_, figures)) if reused => figures.clone(),
                _ => missing_report::compute(&config, &mut timings)?,
            };
            kept = Some((key, figures.clone()));
            let built = missing_report::build_from(&config, figures, gate, timings)?;
            OutputFolder::claim(&config.output)?.write(&built.files)?;
            Ok((config, built, reused))
        });
        match &result {
            Ok((config, built, reused)) => {
                if first {
                    super::said::say_what_was_built(built, config);
                }
                let kept_note = if *reused { ", figures kept" } else { "" };
                eprintln!("built in {} ms{kept_note}; watching for changes (Ctrl-C stops)", started.elapsed().as_millis());
                after(Ok(built));
            }
            Err(error) => {
                eprintln!("error: {error:#}\nthe last good paper is kept; watching for changes (Ctrl-C stops)");
                after(Err(error));
            }
        }
        first = false;
        // Wait for a change (or the interrupt), then a moment for an editor to finish saving.
        loop {
            if stop.load(Ordering::Relaxed) {
                return Ok(());
            }
            std::thread::sleep(POLL);
            if snapshot(&paths) != before {
                std::thread::sleep(POLL / 2);
                break;
            }
        }
    }
}
