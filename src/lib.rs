//! missing-report: episode data about children missing from home or care in,
//! committee-ready PDF papers out. One module per stage, each handing an owned
//! value to the next (see ARCHITECTURE.md):
//! `ingest` → `Episodes` → `metrics` → `Metrics` → `charts` → `Charts` →
//! `render` → PDF bytes → `output::write_build`.

pub mod assets;
pub mod charts;
pub mod config;
pub mod ingest;
pub mod metrics;
pub mod narrative;
pub mod output;
pub mod period;
pub mod render;
pub mod synth;
pub mod text;

use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::config::Config;
use crate::ingest::{DataQuality, Episodes};
use crate::metrics::{Metrics, MetricsContext};
use crate::period::ReportingYear;

/// Everything `build` writes, held in memory until every stage has succeeded.
pub struct BuildOutput {
    pub pdf: Vec<u8>,
    pub pages: usize,
    pub charts: charts::Charts,
    pub metrics_csv: Vec<u8>,
    pub quality: DataQuality,
    pub warnings: Vec<String>,
    pub placeholders: Vec<String>,
    /// Wall time of each stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Reads the inputs and computes the metrics: the part `build` and `metrics` share.
pub fn load_and_compute(config: &Config) -> Result<(Episodes, DataQuality, Metrics, Vec<(&'static str, Duration)>)> {
    let mut timings = Vec::new();
    let started = Instant::now();
    let (episodes, quality) = ingest::load(&config.inputs, &config.ingest_context())?;
    timings.push(("ingest", started.elapsed()));
    let started = Instant::now();
    let context = MetricsContext {
        rules: config.rules.clone(),
        year: ReportingYear { start_month: config.year_start_month },
        period_end: config.period_end,
        suppression_threshold: config.suppression_threshold,
    };
    let metrics = metrics::compute(&episodes, &context)?;
    timings.push(("metrics", started.elapsed()));
    Ok((episodes, quality, metrics, timings))
}

/// Runs every stage; writes nothing.
pub fn build(config: &Config, require_commentary: bool) -> Result<BuildOutput> {
    let (_episodes, quality, metrics, mut timings) = load_and_compute(config)?;
    let started = Instant::now();
    let metrics_csv = metrics.to_csv_bytes()?;
    timings.push(("export", started.elapsed()));

    let started = Instant::now();
    let charts = charts::render(&metrics)?;
    timings.push(("charts", started.elapsed()));

    let started = Instant::now();
    let commentary = match &config.commentary {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read commentary file {}", path.display()))?;
            render::commentary::parse(&text)
        }
        None => Default::default(),
    };
    let template = render::Template::load(&config.template)?;
    let narrative = narrative::write(&metrics);
    let data = render::data::ReportData::new(config, &metrics, &charts, &quality, &narrative, commentary);
    let svgs: Vec<(String, String)> = charts.charts.iter().map(|c| (c.name.to_string(), c.svg.clone())).collect();
    let date = config.report.meeting_date.unwrap_or_else(|| metrics.report.period_end.last_day());
    let rendered = render::render(&template, &data, &svgs, date)?;
    timings.push(("render", started.elapsed()));

    if require_commentary && !rendered.placeholders.is_empty() {
        bail!(
            "--final: the report still has commentary placeholders for: {}. Add a `## <slot>` section for each to the commentary file{}",
            rendered.placeholders.join(", "),
            config.commentary.as_ref().map(|p| format!(" ({})", p.display())).unwrap_or_default()
        );
    }
    Ok(BuildOutput {
        pdf: rendered.pdf,
        pages: rendered.pages,
        charts,
        metrics_csv,
        quality,
        warnings: rendered.warnings,
        placeholders: rendered.placeholders,
        timings,
    })
}
