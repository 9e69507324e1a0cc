//! Settings in two steps, as mdBook and ripgrep do: `RawConfig` (raw.rs) is
//! exactly the YAML file, and `Config::resolve` turns it and the
//! command-line overrides into checked, typed settings with paths made
//! relative to the config file. `Config` then builds each stage's own
//! context; no stage reads `Config`.

mod input;
mod lines;
mod raw;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Result};

pub use lines::KeyLines;
pub use raw::{ConfigSource, RawConfig, RawInput, RawPeriod, RawSuppression, MAX_CONFIG_BYTES};

use crate::assets;
use crate::charts::ChartContext;
use crate::ingest::{IngestContext, InputLocation, InputOptions, Layout};
use crate::metrics::{Metric, MetricsContext, SpcSettings, Target};
use crate::output;
use crate::period::{ReportingYear, YearMonth};
use crate::render::TemplateSource;
use crate::report::{ReportContext, ReportDetails};
use crate::rules::CountingRules;
use crate::watchlist::{WatchlistContext, WatchlistSettings};

/// What the command line may override; paths are relative to the working folder.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub inputs: Vec<PathBuf>,
    pub layout: Option<Layout>,
    pub period_end: Option<YearMonth>,
    pub template: Option<String>,
    pub commentary: Option<PathBuf>,
    pub output: Option<PathBuf>,
    /// Also write each chart as a PNG.
    pub png: bool,
    /// Also write the web edition (report.html).
    pub html: bool,
    /// Also write what the compiler sees to this folder.
    pub emit_bundle: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The cover details, with the authority's name resolved.
    pub details: ReportDetails,
    pub period_end: Option<YearMonth>,
    pub year: ReportingYear,
    pub inputs: Vec<InputLocation>,
    pub layout: Layout,
    pub input: InputOptions,
    pub rules: CountingRules,
    /// Small-number suppression threshold (0 = off).
    pub suppression_threshold: u32,
    pub targets: BTreeMap<Metric, Target>,
    pub spc: SpcSettings,
    pub watchlist: WatchlistSettings,
    pub template: TemplateSource,
    pub commentary: Option<PathBuf>,
    pub output: PathBuf,
    /// Write each chart as a PNG beside its SVG.
    pub png: bool,
    /// Write the web edition, report.html.
    pub html: bool,
    /// No input files: the bundled fictional example is read.
    pub example_data: bool,
    /// Write the template, data.json, charts and fonts here (`--emit-bundle`).
    pub emit_bundle: Option<PathBuf>,
    /// `report.authority` was set (with `--by authority`, it names the region).
    pub authority_set: bool,
}

/// The configuration `build` (and every command) reads from the working
/// folder when no `-c` is given, as mdBook finds `book.toml`.
pub const CONFIG_FILE_NAME: &str = "missing-report.yaml";

pub const EXAMPLE_AUTHORITY: &str = "Northmoor Borough Council (fictional example)";

impl Config {
    /// Loads `path` if given, else `missing-report.yaml` in the working
    /// folder when there is one, else the defaults; then applies the overrides.
    pub fn load(path: Option<&Path>, overrides: Overrides) -> Result<Self> {
        let found = Path::new(CONFIG_FILE_NAME);
        let path = path.or_else(|| found.is_file().then_some(found));
        match path {
            Some(path) => {
                let raw = RawConfig::load(path)?;
                let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
                Config::resolve(raw, &base, overrides)
            }
            None => Config::resolve(RawConfig::default(), Path::new(""), overrides),
        }
    }

    /// `base` is the folder of the config file: relative paths in it start there.
    pub fn resolve(raw: RawConfig, base: &Path, overrides: Overrides) -> Result<Self> {
        let relative = |p: &Path| if p.is_absolute() || base.as_os_str().is_empty() { p.to_path_buf() } else { base.join(p) };

        let inputs: Vec<InputLocation> = if !overrides.inputs.is_empty() {
            overrides.inputs.into_iter().map(InputLocation::Path).collect()
        } else if !raw.input.files.is_empty() {
            raw.input.files.iter().map(|p| InputLocation::Path(relative(p))).collect()
        } else {
            vec![InputLocation::BundledExample]
        };
        for path in inputs.iter().filter_map(InputLocation::path) {
            if let Some(restricted) = output::restricted_folder_of(path) {
                bail!(
                    "the input file {} is in the restricted watchlist's folder {}: the tool reads episode extracts, never the list",
                    path.display(),
                    restricted.display()
                );
            }
        }
        let uses_example = inputs == [InputLocation::BundledExample];
        if uses_example && !raw.report.authority.trim().is_empty() {
            bail!(
                "the configuration names the authority `{}` but no input files, so the paper would show the bundled fictional example's figures under that name: set input.files to the council's episode extract (or give -i FILE)",
                raw.report.authority.trim()
            );
        }

        let template_name = overrides.template.or(raw.template.clone());
        let template = match template_name {
            None => TemplateSource::BuiltIn(assets::DEFAULT_TEMPLATE),
            Some(name) => match assets::builtin_template(&name) {
                Some(builtin) => TemplateSource::BuiltIn(builtin),
                None => {
                    let path = Path::new(&name);
                    // A path from the command line is relative to the working folder.
                    let path = if raw.template.as_deref() == Some(name.as_str()) { relative(path) } else { path.to_path_buf() };
                    resolve_template_path(&path, &name)?
                }
            },
        };

        let commentary = match overrides.commentary {
            Some(path) => Some(path),
            None => raw.commentary.as_deref().map(relative),
        };
        let output = match overrides.output {
            Some(path) => path,
            // Like the other paths, `out` sits beside the config file when there is one.
            None => relative(raw.output.as_deref().unwrap_or(Path::new("out"))),
        };
        let mut details = raw.report;
        let authority_set = !details.authority.trim().is_empty();
        if !authority_set {
            details.authority = if uses_example {
                EXAMPLE_AUTHORITY.to_string()
            } else {
                "[Authority name: set report.authority in the configuration]".to_string()
            };
        }
        if let Some((key, problem)) = raw.rules.problem() {
            let path: Vec<&str> = std::iter::once("rules").chain(key.iter().copied()).collect();
            bail!("{}configuration error: {problem}", raw.source.at(&path));
        }
        let input = input::resolve(&raw.input, &raw.source)?;
        let mut targets = BTreeMap::new();
        for (metric, setting) in &raw.targets {
            let target = setting
                .resolve(*metric)
                .map_err(|problem| anyhow!("{}configuration error: {problem}", raw.source.at(&["targets", metric.id()])))?;
            targets.insert(*metric, target);
        }
        if let Some((key, problem)) = raw.spc.problem() {
            bail!("{}configuration error: {problem}", raw.source.at(&["spc", key]));
        }
        if let Some((key, problem)) = raw.watchlist.problem() {
            bail!("{}configuration error: {problem}", raw.source.at(&["watchlist", key]));
        }
        Ok(Config {
            details,
            period_end: overrides.period_end.or(raw.period.end),
            year: ReportingYear { start_month: raw.period.year_start_month.0 },
            inputs,
            layout: overrides.layout.unwrap_or(raw.input.layout),
            rules: raw.rules,
            input,
            suppression_threshold: raw.suppression.threshold,
            targets,
            spc: raw.spc,
            watchlist: raw.watchlist,
            template,
            commentary,
            output,
            png: overrides.png,
            html: overrides.html,
            example_data: uses_example,
            emit_bundle: overrides.emit_bundle,
            authority_set,
        })
    }

    /// What the ingest stage needs.
    pub fn ingest_context(&self) -> IngestContext {
        IngestContext { rules: self.rules.clone(), layout: self.layout, options: self.input.clone() }
    }

    /// What the restricted watchlist needs.
    pub fn watchlist_context(&self) -> WatchlistContext {
        let files = self
            .inputs
            .iter()
            .map(|input| match input {
                InputLocation::Path(path) => {
                    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
                }
                InputLocation::BundledExample => assets::EXAMPLE_EPISODES_NAME.to_string(),
            })
            .collect();
        WatchlistContext {
            settings: self.watchlist.clone(),
            rules: self.rules.clone(),
            authority: self.details.authority.clone(),
            example_data: self.example_data,
            files,
        }
    }

    /// What the metrics stage needs.
    pub fn metrics_context(&self) -> MetricsContext {
        MetricsContext {
            rules: self.rules.clone(),
            year: self.year,
            period_end: self.period_end,
            suppression_threshold: self.suppression_threshold,
            extract_months: None,
            spc: self.spc.clone(),
            targets: self.targets.clone(),
        }
    }

    /// What the charts need.
    pub fn chart_context(&self) -> ChartContext {
        ChartContext {
            targets: self.targets.iter().filter_map(|(metric, target)| Some((*metric, target.target?))).collect(),
            decimals: self.details.decimals,
        }
    }

    /// What the report's view of the data needs besides the figures.
    pub fn report_context(&self) -> ReportContext {
        let template = match &self.template {
            TemplateSource::BuiltIn(name) => name.to_string(),
            TemplateSource::File(_) => "custom".to_string(),
        };
        ReportContext {
            details: self.details.clone(),
            period_end_set: self.period_end.is_some(),
            example_data: self.example_data,
            template,
            targets: self.targets.clone(),
        }
    }
}

fn resolve_template_path(path: &Path, name: &str) -> Result<TemplateSource> {
    if path.is_dir() {
        let main = path.join("main.typ");
        if main.is_file() {
            return Ok(TemplateSource::File(main));
        }
        // A folder holding one built-in template's file (and perhaps components.typ) starts from it.
        let builtins: Vec<PathBuf> = assets::TEMPLATE_NAMES.iter().map(|t| path.join(format!("{t}.typ"))).filter(|p| p.is_file()).collect();
        if let [only] = builtins.as_slice() {
            return Ok(TemplateSource::File(only.clone()));
        }
        bail!(
            "template folder {} has no main.typ (the file the report starts from){}",
            path.display(),
            if builtins.is_empty() {
                String::new()
            } else {
                " and more than one built-in template's file: name the one to use main.typ".into()
            }
        );
    }
    if path.is_file() && path.extension().is_some_and(|e| e == "typ") {
        return Ok(TemplateSource::File(path.to_path_buf()));
    }
    bail!(
        "template `{name}` is neither a built-in template ({}) nor a .typ file or a folder holding main.typ",
        assets::TEMPLATE_NAMES.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_default_yaml_equals_the_built_in_defaults() {
        let parsed = RawConfig::parse(assets::DEFAULT_CONFIG, "config/default.yaml").unwrap();
        assert_eq!(RawConfig { source: ConfigSource::default(), ..parsed }, RawConfig::default());
    }

    #[test]
    fn errors_name_the_unknown_key_and_its_line() {
        let err = RawConfig::parse("report:\n  title: x\n  authorty: Y\n", "c.yaml").unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("c.yaml"), "{text}");
        assert!(text.contains("authorty"), "{text}");
        assert!(text.contains("line 3"), "{text}");
    }

    #[test]
    fn a_wrong_value_is_placed_at_its_own_line_not_its_block() {
        let at = |text: &str| format!("{:#}", RawConfig::parse(text, "c.yaml").unwrap_err());
        let err = at("report:\n  title: x\n  authority: Y\n  committee: Z\n\n  decimals: 7\n");
        assert!(err.contains("c.yaml") && err.contains("7 places is too many") && err.contains("line 6 column 13"), "{err}");
        let err = at("period:\n  year_start_month: 4\n  end: 2024-13\n");
        assert!(err.contains("`2024-13` is not a month") && err.contains("line 3 column 8"), "{err}");
        let err = at("report:\n  title: x\n  classification: TOP SECRET\n");
        assert!(err.contains("`TOP SECRET`") && err.contains("line 3 column 19"), "{err}");
        let err = at("targets:\n  pct_rhi_within_72h: { target: 80 }\n  pct_within: { target: 80 }\n");
        assert!(err.contains("`pct_within` is not a metric") && err.contains("line 3"), "{err}");
        // Checked after reading: the line of the key at fault, and the file.
        let raw = RawConfig::parse("rules:\n  top_n: 20\n  repeat:\n    episodes: 3\n    days: 0\n", "c.yaml").unwrap();
        let err = format!("{:#}", Config::resolve(raw, Path::new(""), Overrides::default()).unwrap_err());
        assert!(err.starts_with("c.yaml: line 5: "), "{err}");
    }

    #[test]
    fn errors_when_year_start_month_is_not_a_month() {
        let err = RawConfig::parse("period:\n  year_start_month: 13\n", "c.yaml").unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("13 is not a month number") && text.contains("line 2"), "{text}");
    }

    #[test]
    fn errors_when_the_extract_date_is_not_a_date() {
        let err = RawConfig::parse("rules:\n  extract_date: 31/03/2025\n", "c.yaml").unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("`31/03/2025` is not a date") && text.contains("line 2"), "{text}");
        let raw = RawConfig::parse("rules:\n  extract_date: 2025-03-31\n", "c.yaml").unwrap();
        assert_eq!(raw.rules.extract_date, chrono::NaiveDate::from_ymd_opt(2025, 3, 31));
    }

    #[test]
    fn watchlist_settings_reach_the_list_and_a_bad_one_names_its_line() {
        let yaml = "input:\n  files: [a.csv]\nwatchlist:\n  window_days: 14\n  triggers:\n    rhi: false\n";
        let config = Config::resolve(RawConfig::parse(yaml, "c.yaml").unwrap(), Path::new("/cfg"), Overrides::default()).unwrap();
        let context = config.watchlist_context();
        assert_eq!((context.settings.window_days, context.settings.triggers.rhi, context.settings.triggers.repeat), (14, false, true));
        assert_eq!(context.files, ["a.csv"]);
        let raw = RawConfig::parse("report:\n  title: x\nwatchlist:\n  long_episode_hours: 0\n", "c.yaml").unwrap();
        let err = format!("{:#}", Config::resolve(raw, Path::new(""), Overrides::default()).unwrap_err());
        assert!(err.contains("c.yaml: line 4") && err.contains("long_episode_hours must be from 1"), "{err}");
        let err = format!("{:#}", RawConfig::parse("watchlist:\n  triggers:\n    repeat_90d: true\n", "c.yaml").unwrap_err());
        assert!(err.contains("repeat_90d") && err.contains("line 3"), "{err}");
    }

    #[test]
    fn targets_name_a_metric_and_reach_the_charts() {
        let raw = RawConfig::parse("targets:\n  pct_rhi_within_72h:\n    target: 80\n", "c.yaml").unwrap();
        let config = Config::resolve(raw, Path::new(""), Overrides::default()).unwrap();
        assert_eq!(config.chart_context().targets.get(&crate::metrics::Metric::PctRhiWithin72h), Some(&80.0));
        let err = RawConfig::parse("targets:\n  pct_within:\n    target: 80\n", "c.yaml").unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("c.yaml") && text.contains("`pct_within` is not a metric"), "{text}");
    }

    #[test]
    fn spc_and_target_settings_reach_the_metrics_and_a_bad_one_names_its_line() {
        let yaml = "targets:\n  episodes:\n    target: 90\nspc:\n  months: 36\n  baseline_months: 12\n  rebase: [2024-01]\n";
        let raw = RawConfig::parse(yaml, "c.yaml").unwrap();
        let context = Config::resolve(raw, Path::new(""), Overrides::default()).unwrap().metrics_context();
        assert_eq!((context.spc.months, context.spc.baseline_months), (36, Some(12)));
        assert_eq!(context.spc.rebase, vec![crate::period::YearMonth::new(2024, 1)]);
        assert_eq!(context.targets[&crate::metrics::Metric::Episodes].better, crate::metrics::Better::Lower);
        let error = |yaml: &str| {
            let raw = RawConfig::parse(yaml, "c.yaml").unwrap();
            format!("{:#}", Config::resolve(raw, Path::new(""), Overrides::default()).unwrap_err())
        };
        let text = error("report:\n  title: x\nspc:\n  baseline_months: 6\n");
        assert!(text.contains("line 4") && text.contains("at least 12"), "{text}");
        let text = error("targets:\n  children:\n    target: 5\n    better: neutral\n");
        assert!(text.contains("line 2") && text.contains("targets.children"), "{text}");
        assert!(RawConfig::parse("spc:\n  months: 24\n  trend: 6\n", "c.yaml").is_err());
    }

    #[test]
    fn paths_in_a_config_are_relative_to_its_folder_and_cli_wins() {
        let raw = RawConfig::parse("input:\n  files: [data/a.csv]\noutput: papers\n", "c.yaml").unwrap();
        let config = Config::resolve(raw.clone(), Path::new("/cfg"), Overrides::default()).unwrap();
        assert_eq!(config.inputs, vec![InputLocation::Path(PathBuf::from("/cfg/data/a.csv"))]);
        assert_eq!(config.output, PathBuf::from("/cfg/papers"));
        let overrides = Overrides { inputs: vec![PathBuf::from("b.csv")], output: Some(PathBuf::from("o")), ..Default::default() };
        let config = Config::resolve(raw, Path::new("/cfg"), overrides).unwrap();
        assert_eq!(config.inputs, vec![InputLocation::Path(PathBuf::from("b.csv"))]);
        assert_eq!(config.output, PathBuf::from("o"));
    }

    #[test]
    fn a_blank_authority_becomes_the_example_name_or_a_visible_reminder() {
        let example = Config::resolve(RawConfig::default(), Path::new(""), Overrides::default()).unwrap();
        assert_eq!(example.details.authority, EXAMPLE_AUTHORITY);
        let overrides = Overrides { inputs: vec![PathBuf::from("x.csv")], ..Default::default() };
        let theirs = Config::resolve(RawConfig::default(), Path::new(""), overrides).unwrap();
        assert!(theirs.details.authority.starts_with("[Authority name"));
        let named = RawConfig::parse("report:\n  authority: Testshire\ninput:\n  files: [x.csv]\n", "c.yaml").unwrap();
        assert_eq!(Config::resolve(named, Path::new(""), Overrides::default()).unwrap().details.authority, "Testshire");
    }

    #[test]
    fn an_authority_with_no_input_files_is_refused_rather_than_shown_the_example() {
        let named = RawConfig::parse("report:\n  authority: Testshire\n", "c.yaml").unwrap();
        let err = format!("{:#}", Config::resolve(named.clone(), Path::new(""), Overrides::default()).unwrap_err());
        assert!(err.contains("`Testshire`") && err.contains("set input.files"), "{err}");
        let overrides = Overrides { inputs: vec![PathBuf::from("x.csv")], ..Default::default() };
        assert!(!Config::resolve(named, Path::new(""), overrides).unwrap().example_data);
        assert!(Config::resolve(RawConfig::default(), Path::new(""), Overrides::default()).unwrap().example_data);
    }
}
