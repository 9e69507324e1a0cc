//! missing-report: episode data about children missing from home or care in,
//! committee-ready PDF papers out. One module per stage, each handing an owned
//! value to the next (see ARCHITECTURE.md):
//! `ingest` → `Episodes` → `metrics` → `Metrics` → `charts` → `Charts` →
//! `report` → `ReportData` → `render` → PDF bytes → `output`.
//! `config` resolves the settings and builds each stage's context; the
//! functions here run the stages in order and write nothing. `watchlist`
//! is apart: the restricted list, made from the inputs with the child
//! identifiers that no other stage receives.

pub mod assets;
pub mod bounded;
pub mod charts;
pub mod checked;
pub mod config;
pub mod fault;
pub mod format;
pub mod ingest;
pub mod labels;
pub mod metrics;
pub mod narrative;
pub mod nearest;
pub mod output;
pub mod period;
pub mod reasons;
pub mod render;
pub mod report;
pub mod rules;
pub mod signals;
pub mod starter;
pub mod synth;
pub mod timings;
pub mod watchlist;

use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::config::Config;
use crate::ingest::{DataQuality, InputFile, UnusableInput};
use crate::metrics::{Metrics, RegionalFigures};
use crate::output::OutputFile;
use crate::report::{CommentaryFile, NumberFinding, ReportData, TemplateSlot};
use crate::timings::Timings;

/// The figures and how the rows behind them were read.
#[derive(Clone)]
pub struct Figures {
    pub quality: DataQuality,
    pub metrics: Metrics,
}

/// Reads the inputs and computes the metrics: the part `build` and `metrics` share.
pub fn compute(config: &Config, timings: &mut Timings) -> Result<Figures> {
    let (episodes, quality) = timings.time("ingest", || ingest::load(&config.inputs, &config.ingest_context()))?;
    let metrics = timings.time("metrics", || metrics::compute(&episodes, &config.metrics_context()))?;
    Ok(Figures { quality, metrics })
}

/// Everything `build` writes, held in memory until every stage has succeeded.
pub struct BuildOutput {
    /// The files, relative to the output folder, in the order they are written (the PDF last).
    pub files: Vec<OutputFile>,
    /// With `--emit-bundle`: what the compiler saw, relative to the bundle folder.
    pub bundle: Vec<OutputFile>,
    pub pages: usize,
    /// How many tables the paper prints (each in tables.xlsx and tables/).
    pub tables: usize,
    /// The figures are the bundled fictional example's.
    pub example_data: bool,
    pub quality: DataQuality,
    /// Typst warnings.
    pub warnings: Vec<String>,
    /// Commentary slots that still show a placeholder.
    pub placeholders: Vec<String>,
    /// Cover details the template shows as unset (`report.<key>`).
    pub unset_details: Vec<String>,
    /// Commentary slots still holding the starter text `init` wrote.
    pub starter_slots: Vec<String>,
    /// Numbers typed in the commentary that match no figure of the paper.
    pub number_findings: Vec<NumberFinding>,
    /// The template's commentary slots, in the order it shows them.
    pub slots: Vec<TemplateSlot>,
    pub timings: Timings,
}

/// What a build refuses to print.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Gate {
    /// `--final`: no placeholder, cover detail to set or starter text, and
    /// no typed number that matches no figure.
    pub final_paper: bool,
    /// `--accept-numbers`: with `--final`, let typed numbers that match no figure stand.
    pub accept_numbers: bool,
}

impl BuildOutput {
    /// How many charts are among the files.
    pub fn chart_count(&self) -> usize {
        self.files.iter().filter(|f| f.path.starts_with("charts") && f.path.extension().is_some_and(|e| e == "svg")).count()
    }
}

/// Runs every stage; writes nothing.
pub fn build(config: &Config, gate: Gate) -> Result<BuildOutput> {
    let mut timings = Timings::default();
    let figures = compute(config, &mut timings)?;
    build_figures(config, figures, gate, timings, None, None)
}

/// Hands files made before the paper is laid out to the caller, from
/// another thread, so it can stage them (out of sight) while the paper is
/// laid out; they are in `BuildOutput::files` too.
pub type Stager<'a> = dyn Fn(&[OutputFile]) -> Result<()> + Sync + 'a;

/// `build`, handing the charts and the exports to `stage` as soon as they
/// are made: writing them then overlaps the paper's layout.
pub fn build_staging(config: &Config, gate: Gate, stage: &Stager<'_>) -> Result<BuildOutput> {
    // The fonts are read on the other core while the episodes are.
    std::thread::spawn(render::read_fonts);
    let mut timings = Timings::default();
    let figures = compute(config, &mut timings)?;
    build_figures(config, figures, gate, timings, None, Some(stage))
}

/// Every stage after the metrics, from figures already computed (a
/// rebuild of `build --watch` keeps them when only the commentary or the
/// template changed).
pub fn build_from(config: &Config, figures: Figures, gate: Gate, timings: Timings) -> Result<BuildOutput> {
    build_figures(config, figures, gate, timings, None, None)
}

/// The stages after the metrics: the paper of `figures` (with `regional`,
/// the regional summary with the authorities side by side).
fn build_figures(
    config: &Config,
    Figures { quality, metrics }: Figures,
    gate: Gate,
    mut timings: Timings,
    regional: Option<&RegionalFigures>,
    stage: Option<&Stager<'_>>,
) -> Result<BuildOutput> {
    // The export feeds nothing in the paper: it is made on another core
    // while the charts are drawn and the paper is laid out, and then, with
    // `stage`, it and the charts' files are handed over to be staged.
    let export_stage = timings.stages.len();
    let (charts_made, charts_drawn) = std::sync::mpsc::channel::<Vec<OutputFile>>();
    let (paper, (early, export_took)) = std::thread::scope(|scope| {
        let figures = &metrics;
        let export = scope.spawn(move || {
            let (exports, took) = timings::timed(|| -> Result<[OutputFile; 2]> {
                Ok([OutputFile::new("metrics.csv", figures.to_csv_bytes()?), OutputFile::new("spc.csv", figures.spc_csv_bytes()?)])
            });
            let early = exports.and_then(|exports| {
                // Nothing arrives when the paper failed before its charts were drawn.
                let mut early = charts_drawn.recv().unwrap_or_default();
                early.extend(exports);
                if let Some(stage) = stage {
                    stage(&early)?;
                }
                Ok(early)
            });
            (early, took)
        });
        let paper = draw_and_render(config, &metrics, &quality, &mut timings, regional, &charts_made);
        drop(charts_made);
        (paper, export.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    timings.stages.insert(export_stage, ("export", export_took));
    let Paper { charts, commentary, data, inputs, findings, rendered, html, date } = paper?;
    let early = early?;
    report::commentary::check_headings(&commentary, &rendered.slots, &data.meta.template)?;
    let starter_slots = report::commentary::starter_slots(&commentary);

    // Cover details a template marks as unset carry `report.<key>`; the rest are commentary slots.
    let (unset_details, placeholders): (Vec<String>, Vec<String>) =
        rendered.placeholders.into_iter().partition(|p| p.starts_with("report."));
    if gate.final_paper {
        let file = config.commentary.as_ref().map(|p| format!(" ({})", p.display())).unwrap_or_default();
        let mut missing = Vec::new();
        if !placeholders.is_empty() {
            missing.push(format!(
                "commentary placeholders for: {}. Add a `## <slot>` section for each to the commentary file{file}",
                placeholders.join(", "),
            ));
        }
        if !starter_slots.is_empty() {
            missing.push(format!(
                "the starter text in: {}. Replace each paragraph beginning \"{}\" in the commentary file{file}",
                starter_slots.join(", "),
                report::commentary::STARTER_MARK
            ));
        }
        if !unset_details.is_empty() {
            missing.push(format!("cover details to set in the configuration: {}", unset_details.join(", ")));
        }
        if !findings.is_empty() && !gate.accept_numbers {
            let list: Vec<String> = findings.iter().map(|f| format!("\n  {f}")).collect();
            missing.push(format!(
                "numbers in the commentary that match no figure of the paper (correct them, cite a live figure, or pass --accept-numbers if they come from elsewhere):{}",
                list.concat()
            ));
        }
        if !missing.is_empty() {
            bail!("--final: the report still has {}", missing.join("; and "));
        }
    }
    // The charts' files, then the exports, as `early` holds them.
    let mut files = early;
    if config.png {
        let pngs = timings.time("png", || -> Result<Vec<OutputFile>> {
            charts.charts.iter().map(|c| Ok(OutputFile::new(c.file("png"), charts::to_png(&c.svg)?))).collect()
        })?;
        files.extend(pngs);
    }
    let printed: Vec<&report::Table> = rendered.tables.iter().filter_map(|name| data.tables.get(name)).collect();
    timings.time("tables", || -> Result<()> {
        for table in &printed {
            files.push(OutputFile::new(format!("tables/{}.csv", table.name), table.to_csv()?));
        }
        let title = format!("{}: {}", data.meta.details.title, data.meta.details.authority);
        files.push(OutputFile::new("tables.xlsx", render::tables_workbook(&printed, &title, date)?));
        Ok(())
    })?;
    files.push(OutputFile::new("report.pdf", rendered.pdf));
    if let Some(html) = html {
        files.push(OutputFile::new("report.html", html.html.into_bytes()));
    }
    let bundle = if config.emit_bundle.is_some() {
        inputs.bundle().into_iter().map(|(path, bytes)| OutputFile::new(path, bytes)).collect()
    } else {
        Vec::new()
    };
    Ok(BuildOutput {
        files,
        bundle,
        pages: rendered.pages,
        tables: printed.len(),
        example_data: config.example_data,
        quality,
        warnings: rendered.warnings,
        placeholders,
        unset_details,
        starter_slots,
        number_findings: findings,
        slots: rendered.slots,
        timings,
    })
}

/// What the paper's stages make from the figures.
struct Paper {
    charts: charts::Charts,
    commentary: CommentaryFile,
    data: ReportData,
    inputs: render::CompileInputs,
    findings: Vec<NumberFinding>,
    rendered: render::Rendered,
    /// The web edition, with `--html`.
    html: Option<render::RenderedHtml>,
    /// The date the paper carries: the meeting's, or the last day of the period.
    date: chrono::NaiveDate,
}

/// Draws the charts (sending their files to `charts_made`), makes the
/// report data and lays out the PDF.
fn draw_and_render(
    config: &Config,
    metrics: &Metrics,
    quality: &DataQuality,
    timings: &mut Timings,
    regional: Option<&RegionalFigures>,
    charts_made: &std::sync::mpsc::Sender<Vec<OutputFile>>,
) -> Result<Paper> {
    let charts = timings.time("charts", || -> Result<charts::Charts> {
        let mut charts = charts::draw(metrics, &config.chart_context())?;
        if let Some(regional) = regional {
            charts.charts.extend(charts::authorities(regional)?);
        }
        let mut files = Vec::with_capacity(charts.charts.len() * 2);
        for chart in &charts.charts {
            files.push(OutputFile::new(chart.file("svg"), chart.svg.clone().into_bytes()));
            files.push(OutputFile::new(chart.file("csv"), chart.data.to_csv()?));
        }
        // The receiver is gone only if the export failed, which the build reports.
        let _ = charts_made.send(files);
        Ok(charts)
    })?;
    fault::point("charts");
    let date = config.details.meeting_date.unwrap_or_else(|| metrics.windows.period_end.last_day());
    let commentary = read_commentary(config.commentary.as_deref())?;
    let (data, inputs, findings) = timings.time("report", || -> Result<_> {
        let template = render::Template::load(&config.template)?;
        let narrative = narrative::summarise(metrics, config.details.decimals);
        let mut data = ReportData::new(&config.report_context(), metrics, &charts, quality, &narrative);
        if let Some(regional) = regional {
            data.add_authorities(regional, config.details.decimals);
        }
        let findings = data.set_commentary(metrics, commentary.clone())?;
        let svgs: Vec<(String, &str)> = charts.charts.iter().map(|c| (c.file("svg"), c.svg.as_str())).collect();
        let inputs = render::CompileInputs::new(&template, &data, &svgs)?;
        Ok((data, inputs, findings))
    })?;
    let rendered = timings.time("render", || render::render_pdf(&inputs, date))?;
    timings.stages.push((" layout", rendered.layout));
    timings.stages.push((" pdf", rendered.pdf_export));
    let html = if config.html { Some(timings.time("html", || render::render_html(&inputs))?) } else { None };
    Ok(Paper { charts, commentary, data, inputs, findings, rendered, html, date })
}

fn read_commentary(path: Option<&Path>) -> Result<CommentaryFile> {
    match path {
        Some(path) => {
            let text = bounded::read_text(path, report::commentary::MAX_FILE_BYTES, "commentary file")?;
            report::commentary::parse(&text, &path.display().to_string())
        }
        None => Ok(CommentaryFile::default()),
    }
}

/// One authority's pack of a regional build.
pub struct AuthorityPack {
    /// As the `authority` column writes it.
    pub authority: String,
    /// Its folder under the output folder: the name as a slug.
    pub folder: String,
    pub output: BuildOutput,
}

/// What `build --by authority` makes: a pack per authority and the regional summary.
pub struct RegionalBuild {
    /// In authority name order, each without its files (`deliver` had them).
    pub packs: Vec<AuthorityPack>,
    /// The regional summary paper and its files, for the output folder itself.
    pub summary: BuildOutput,
    /// The month every paper ends with.
    pub period_end: period::YearMonth,
}

impl RegionalBuild {}

/// `build --by authority`: the files are read and split by their
/// `authority` column once; each authority's rows are then read, counted
/// and laid out as its own paper (on every core), and the region's figures
/// come from every authority's episode table together. Every paper ends
/// with the same month: the configured one, or the region's last complete
/// month. Writes nothing: each pack's files (paths under its folder) go
/// to `deliver` as soon as they are made, from any thread, with how many
/// packs are done of how many.
pub fn build_by_authority(
    config: &Config,
    gate: Gate,
    deliver: &(dyn Fn(Vec<OutputFile>, usize, usize) -> Result<()> + Sync),
) -> Result<RegionalBuild> {
    if config.commentary.is_some() {
        bail!("--by authority makes one paper per authority, and one commentary file would print the same words in every one: build an authority's paper on its own (with its rows only) to give it commentary");
    }
    if gate.final_paper {
        bail!("--final checks a paper's commentary, and --by authority takes none: build each authority's final paper on its own");
    }
    let mut timings = Timings::default();
    let files = timings.time("read", || config.inputs.iter().map(InputFile::load).collect::<Result<Vec<_>>>())?;
    let context = config.ingest_context();
    let extract = timings.time("split", || ingest::split_by_authority(&files, &context))?;
    let names: Vec<String> = extract.authorities().map(str::to_string).collect();
    let mut folders: Vec<String> = Vec::with_capacity(names.len());
    for name in &names {
        let folder = format::slug(name);
        if folder.is_empty() {
            bail!("the authority `{name}` has no letter or digit to name its folder with: correct it in the authority column");
        }
        if RESERVED_FOLDERS.contains(&folder.as_str()) {
            bail!("the authority `{name}` would be written into the regional summary's own {folder}/ folder: correct its name in the authority column");
        }
        if let Some(other) = folders.iter().position(|f| *f == folder) {
            bail!("the authorities `{}` and `{name}` would share the folder {folder}/: write each authority's name one way in the authority column", names[other]);
        }
        folders.push(folder);
    }
    // An authority with nothing to count stops the run here, before any paper is made.
    let shares = timings.time("ingest", || {
        on_every_core(names.len(), |i| -> Result<(ingest::Episodes, DataQuality)> {
            let name = &names[i];
            let (episodes, quality) = extract.read(i, &context).with_context(|| format!("authority `{name}`"))?;
            ingest::check_countable(episodes.counted(&config.rules), &quality, &files)
                .map_err(|e| UnusableInput(format!("authority `{name}`: {e}")))?;
            Ok((episodes, quality))
        })
    })?;
    let episodes = shares.iter().map(|(episodes, _)| episodes.clone()).collect();
    let region = timings.time("region", || -> Result<Figures> {
        let episodes = ingest::Episodes::combine(episodes).context("joining the authorities' episodes")?;
        let quality = DataQuality::combine(shares.iter().map(|(_, quality)| quality.clone()).collect());
        ingest::check_countable(episodes.counted(&config.rules), &quality, &files).map_err(|e| UnusableInput(format!("{e}\n{quality}")))?;
        let metrics = metrics::compute(&episodes, &config.metrics_context())?;
        Ok(Figures { quality, metrics })
    })?;
    let period_end = region.metrics.windows.period_end;
    // Every authority's months are the extract's: a month with none of its
    // episodes is a month of zeros, not a month outside its data.
    let extract_months = (region.metrics.first_month, region.metrics.last_month);

    let done = std::sync::atomic::AtomicUsize::new(0);
    let packs = timings.time("packs", || {
        on_every_core(names.len(), |i| -> Result<(metrics::ComparedFigures, AuthorityPack)> {
            let name = &names[i];
            let (episodes, quality) = &shares[i];
            let mut pack = config.clone();
            pack.details.authority = name.clone();
            pack.period_end = Some(period_end);
            let context = metrics::MetricsContext { extract_months: Some(extract_months), ..pack.metrics_context() };
            let metrics = metrics::compute(episodes, &context).with_context(|| format!("authority `{name}`"))?;
            let compared = metrics::compared(&metrics, metrics.windows.year_to_date);
            let mut output = build_figures(&pack, Figures { quality: quality.clone(), metrics }, gate, Timings::default(), None, None)
                .with_context(|| format!("authority `{name}`"))?;
            render::forget_old_layouts();
            for file in &mut output.files {
                file.path = Path::new(&folders[i]).join(&file.path);
            }
            deliver(std::mem::take(&mut output.files), done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1, names.len())?;
            Ok((compared, AuthorityPack { authority: name.clone(), folder: folders[i].clone(), output }))
        })
    })?;
    let figures = RegionalFigures::new(&region.metrics, packs.iter().map(|(compared, pack)| (pack.authority.clone(), *compared)).collect());
    let mut summary_config = config.clone();
    if !config.authority_set {
        summary_config.details.authority = format!("{} authorities", names.len());
    }
    summary_config.template = render::TemplateSource::BuiltIn(assets::REGIONAL_TEMPLATE);
    summary_config.period_end = Some(period_end);
    let summary = build_figures(&summary_config, region, gate, timings, Some(&figures), None)?;
    let packs = packs.into_iter().map(|(_, pack)| pack).collect();
    Ok(RegionalBuild { packs, summary, period_end })
}

/// Folders of the regional summary's own files, which no authority may take.
const RESERVED_FOLDERS: [&str; 2] = ["charts", "tables"];

/// `work(i)` for every `i` below `count`, spread over the cores; the
/// results in order, or the first error (by `i`).
fn on_every_core<T: Send>(count: usize, work: impl Fn(usize) -> Result<T> + Sync) -> Result<Vec<T>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(count.max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, Result<T>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= count {
                            break;
                        }
                        let result = work(i);
                        let failed = result.is_err();
                        mine.push((i, result));
                        if failed {
                            // The others stop taking work once this one is seen.
                            next.store(count, std::sync::atomic::Ordering::Relaxed);
                            break;
                        }
                    }
                    mine
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, result)| result).collect()
}

/// The restricted watchlist from the configured inputs (`watchlist::make`,
/// which alone holds the child identifiers).
pub fn watchlist(config: &Config, as_of: crate::watchlist::AsOf) -> Result<crate::watchlist::Watchlist> {
    crate::watchlist::make(&config.inputs, &config.ingest_context(), &config.watchlist_context(), as_of)
}

/// What `validate` found: every finding, and how many episodes would be counted.
pub struct Validation {
    pub quality: DataQuality,
    pub counted: usize,
    /// Whether any episode is left to count (a report can be built).
    pub countable: Result<(), UnusableInput>,
}

/// Reads the inputs as `build` would, without computing anything.
pub fn validate(config: &Config) -> Result<Validation> {
    let files = config.inputs.iter().map(InputFile::load).collect::<Result<Vec<_>>>()?;
    let (episodes, quality) = ingest::read(&files, &config.ingest_context())?;
    let counted = episodes.counted(&config.rules);
    let countable = ingest::check_countable(counted, &quality, &files);
    Ok(Validation { quality, counted, countable })
}
