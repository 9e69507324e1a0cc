//! The command line, parsed once by clap into typed arguments. Doc comments
//! are the help text.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use missing_report::config::Overrides;
use missing_report::ingest::Layout;
use missing_report::period::YearMonth;

/// Turns episode-level data about children who go missing from home or care
/// into a committee-ready PDF paper, a metrics export and charts.
///
/// With no command, builds the report from the configuration (or, with none,
/// from the bundled example data) into out/.
#[derive(Debug, Parser)]
#[command(name = "missing-report", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the PDF report, the charts and the metrics export.
    Build(BuildArgs),
    /// Compute the metrics and write the export of METRICS.md.
    Metrics(MetricsArgs),
    /// Check input files: print what would be left out or doubted, by rule, and list every finding.
    Validate(ValidateArgs),
    /// Write a starter configuration (missing-report.yaml), commentary file and an editable template folder into DIR.
    Init {
        /// Folder to create (it may exist but must not already hold the files).
        dir: PathBuf,
        /// Built-in template to start from: overview, scrutiny or corporate-parenting.
        #[arg(long, value_name = "NAME", default_value = "overview")]
        template: String,
    },
    /// Build the paper and its web edition, rebuild on every change, and
    /// serve both on 127.0.0.1, reloading the page after each rebuild.
    Serve(ServeArgs),
    /// Write the restricted watchlist (OFFICIAL-SENSITIVE: names children by
    /// their identifiers) of children meeting a trigger in the days to the
    /// as-of date, as a PDF and a CSV, into a folder of its own.
    Watchlist(WatchlistArgs),
    /// Write deterministic synthetic episode data (for trying the tool and for benchmarks).
    Synth(SynthArgs),
}

/// Options every command that reads episodes shares.
#[derive(Debug, Clone, Args, Default)]
pub struct InputArgs {
    /// Configuration file (YAML). Without one, the built-in defaults apply.
    #[arg(short, long, value_name = "CONFIG")]
    pub config: Option<PathBuf>,
    /// Episode file; repeat for several (replaces the configured input files).
    #[arg(short, long = "input", value_name = "FILE")]
    pub inputs: Vec<PathBuf>,
    /// Layout of the input files.
    #[arg(long, value_enum)]
    pub layout: Option<LayoutArg>,
}

/// The layouts of `ingest::Layout`, as the command line spells them.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LayoutArg {
    /// The canonical episode CSV of INPUT.md (or any extract mapped with input.columns).
    Canonical,
    /// The SSDA903 Missing table (CHILD, DOB, MISSING, MIS_START, MIS_END), one file per year.
    Ssda903,
    /// Standard Safeguarding Dataset: ssd_missing with ssd_person and CLA episodes or a list of looked-after ids.
    Ssd,
}

impl From<LayoutArg> for Layout {
    fn from(layout: LayoutArg) -> Self {
        match layout {
            LayoutArg::Canonical => Layout::Canonical,
            LayoutArg::Ssda903 => Layout::Ssda903,
            LayoutArg::Ssd => Layout::Ssd,
        }
    }
}

#[derive(Debug, Clone, Args, Default)]
pub struct BuildArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Last month the report covers (default: the last complete month in the data).
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    pub period: Option<YearMonth>,
    /// Built-in template (overview, scrutiny, corporate-parenting), a .typ file, or a folder holding main.typ.
    #[arg(long, value_name = "NAME|DIR")]
    pub template: Option<String>,
    /// Markdown file with one `## slot` section per commentary slot.
    #[arg(long, value_name = "FILE")]
    pub commentary: Option<PathBuf>,
    /// Output folder (default: out).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also write each chart as a PNG (twice its SVG size) beside the SVG.
    #[arg(long)]
    pub png: bool,
    /// Also write the web edition, report.html: the same paper as one
    /// accessible, self-contained page.
    #[arg(long)]
    pub html: bool,
    /// Refuse to write anything while the paper shows a commentary
    /// placeholder, a cover detail to set or init's starter text, or the
    /// commentary holds a number that matches no figure of the paper.
    #[arg(long = "final")]
    pub final_version: bool,
    /// With --final: let typed numbers that match no figure stand (a figure from another source).
    #[arg(long, requires = "final_version")]
    pub accept_numbers: bool,
    /// Print how long each stage took.
    #[arg(long)]
    pub timings: bool,
    /// Also write the template, data.json, chart SVGs and fonts to DIR, which
    /// `typst compile` builds to the same paper (see DIR/README.txt).
    #[arg(long, value_name = "DIR")]
    pub emit_bundle: Option<PathBuf>,
    /// A regional extract: one paper per value of the `authority` column,
    /// each in OUT/<authority>/, and a regional summary paper in OUT.
    #[arg(long, value_enum, value_name = "COLUMN", conflicts_with_all = ["emit_bundle", "commentary", "final_version"])]
    pub by: Option<ByColumn>,
    /// Keep running: rebuild whenever the configuration, commentary,
    /// template folder or input files change (figures are kept when only
    /// the commentary or template changed). Ctrl-C stops.
    #[arg(long, conflicts_with = "by")]
    pub watch: bool,
}

/// `serve`: build, then watch and serve the web edition and the PDF.
#[derive(Debug, Args, Default)]
pub struct ServeArgs {
    #[command(flatten)]
    pub build: BuildArgs,
    /// Port on 127.0.0.1 (0: any free port, printed at the start).
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
}

/// What `build --by` splits the extract by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByColumn {
    /// The `authority` column of the canonical layout.
    Authority,
}

#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum ExportFormat {
    /// Comma-separated values with a header row.
    #[default]
    Csv,
    /// JSON lines: one object per row, the value a number, null or "c".
    Jsonl,
}

#[derive(Debug, Args)]
pub struct MetricsArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Only the periods ending with this month: the month, the quarter and
    /// year ending with it, and the rolling twelve months to it.
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    pub period: Option<YearMonth>,
    /// Export format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// File to write (default: standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print how long each stage took (ingest, metrics, export, write) on standard error.
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Write every finding (file, row, column, rule, value, action) to this CSV.
    /// It can hold identifiers: it is for the data team, never for a report.
    #[arg(long, value_name = "FILE.csv")]
    pub findings: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct WatchlistArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// List the children meeting a trigger in this calendar month.
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month, conflicts_with = "as_of")]
    pub period: Option<YearMonth>,
    /// The date the list is as at: the window is the watchlist.window_days
    /// days ending on it (default: rules.extract_date, else the last date in the data).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// The folder to write into: required, made readable by you only, and
    /// refused if it is a build output folder or inside one.
    #[arg(long, value_name = "DIR", required = true)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Number of episode rows.
    #[arg(long, default_value_t = 4000)]
    pub episodes: usize,
    /// Seed of the random generator: the same seed gives the same file.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// File to write.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Authorities in the file: with more than one, an `authority` column
    /// names each row's (a regional extract), the episodes shared among them.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub authorities: u32,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| format!("`{text}` is not a date: write it as YYYY-MM-DD, e.g. 2024-03-31"))
}

fn parse_month(text: &str) -> Result<YearMonth, String> {
    YearMonth::parse(text).ok_or_else(|| format!("`{text}` is not a month: write it as YYYY-MM, e.g. 2024-03"))
}

impl BuildArgs {
    pub fn overrides(&self) -> Overrides {
        Overrides {
            period_end: self.period,
            template: self.template.clone(),
            commentary: self.commentary.clone(),
            output: self.out.clone(),
            png: self.png,
            html: self.html,
            emit_bundle: self.emit_bundle.clone(),
            ..self.input.overrides()
        }
    }
}

impl InputArgs {
    pub fn overrides(&self) -> Overrides {
        Overrides { inputs: self.inputs.clone(), layout: self.layout.map(Layout::from), ..Overrides::default() }
    }
}
