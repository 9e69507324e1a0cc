//! Settings in two steps, as mdBook and ripgrep do: `RawConfig` is exactly the
//! YAML file (unknown keys refused, every key optional), and `Config::resolve`
//! turns it and the command-line overrides into checked, typed settings with
//! paths made relative to the config file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};

use crate::assets;
use crate::period::YearMonth;

// ---------------------------------------------------------------- raw (YAML)

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawConfig {
    pub report: RawReport,
    pub period: RawPeriod,
    pub input: RawInput,
    pub rules: RawRules,
    pub suppression: RawSuppression,
    /// A built-in template name, a `.typ` file or a folder holding `main.typ`.
    pub template: Option<String>,
    /// Markdown file with one `## slot` heading per commentary slot.
    pub commentary: Option<PathBuf>,
    /// Output folder.
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawReport {
    pub authority: Option<String>,
    pub title: String,
    pub committee: Option<String>,
    pub meeting_date: Option<IsoDate>,
    pub lead_officer: Option<String>,
    pub cabinet_member: Option<String>,
    pub author: Option<String>,
    pub contact: Option<String>,
    pub classification: String,
}

impl Default for RawReport {
    fn default() -> Self {
        RawReport {
            authority: None,
            title: "Children who go missing from home or care".into(),
            committee: None,
            meeting_date: None,
            lead_officer: None,
            cabinet_member: None,
            author: None,
            contact: None,
            classification: "OFFICIAL".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawPeriod {
    /// Last month the report covers; default the last complete month in the data.
    pub end: Option<YearMonth>,
    pub year_start_month: MonthOfYear,
}

impl Default for RawPeriod {
    fn default() -> Self {
        RawPeriod { end: None, year_start_month: MonthOfYear(4) }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawInput {
    /// Empty: the bundled example data.
    pub files: Vec<PathBuf>,
    pub layout: Layout,
    /// Worksheet to read from XLSX files (default: the first).
    pub sheet: Option<String>,
    /// Source column name -> canonical column name, for other extracts.
    pub columns: BTreeMap<String, String>,
    /// Canonical column -> (source value -> canonical value).
    pub values: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// The canonical episode CSV of INPUT.md (or any extract mapped with input.columns).
    #[default]
    Canonical,
    /// The SSDA903 Missing table (CHILD, DOB, MISSING, MIS_START, MIS_END), one file per year.
    Ssda903,
    /// Standard Safeguarding Dataset: ssd_missing with ssd_person and CLA episodes or a list of looked-after ids.
    Ssd,
}

impl Layout {
    pub fn id(self) -> &'static str {
        match self {
            Layout::Canonical => "canonical",
            Layout::Ssda903 => "ssda903",
            Layout::Ssd => "ssd",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawRules {
    pub include_other_la: bool,
    pub include_absent: bool,
    pub rhi_timescale_hours: u32,
    pub repeat: RepeatRule,
    pub top_n: u32,
    pub age_bands: Vec<u32>,
    pub extract_date: Option<IsoDate>,
}

impl Default for RawRules {
    fn default() -> Self {
        let rules = Rules::default();
        RawRules {
            include_other_la: rules.include_other_la,
            include_absent: rules.include_absent,
            rhi_timescale_hours: rules.rhi_timescale_hours,
            repeat: rules.repeat,
            top_n: rules.top_n,
            age_bands: rules.age_bands,
            extract_date: None,
        }
    }
}

/// The repeat-missing trigger: `episodes` episodes starting within `days` days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepeatRule {
    pub episodes: u32,
    pub days: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawSuppression {
    /// Breakdown counts from 1 to threshold - 1 are shown as `c`; 0 = off.
    pub threshold: u32,
}

/// A month number 1-12, checked while the YAML is read so the error has a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthOfYear(pub u32);

impl<'de> Deserialize<'de> for MonthOfYear {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = u32::deserialize(deserializer)?;
        if (1..=12).contains(&value) {
            Ok(MonthOfYear(value))
        } else {
            Err(serde::de::Error::custom(format!("{value} is not a month number (1-12)")))
        }
    }
}

/// A `YYYY-MM-DD` date, checked while the YAML is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IsoDate(pub NaiveDate);

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map(IsoDate)
            .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a date: write it as YYYY-MM-DD")))
    }
}

impl RawConfig {
    /// Parses YAML text; `origin` names the file in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self> {
        if text.trim().is_empty() {
            return Ok(RawConfig::default());
        }
        serde_yaml::from_str(text).with_context(|| format!("configuration error in {origin}"))
    }

    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read configuration file {}", path.display()))?;
        Self::parse(&text, &path.display().to_string())
    }
}

// ---------------------------------------------------------------- resolved

/// How to read input files beyond their layout.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InputOptions {
    pub sheet: Option<String>,
    /// Source column name (lower case) -> canonical column name.
    pub columns: BTreeMap<String, String>,
    /// Canonical column -> (source value -> canonical value).
    pub values: BTreeMap<String, BTreeMap<String, String>>,
}

/// What the command line may override; paths are relative to the working folder.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub inputs: Vec<PathBuf>,
    pub layout: Option<Layout>,
    pub period_end: Option<YearMonth>,
    pub template: Option<String>,
    pub commentary: Option<PathBuf>,
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum InputSource {
    File(PathBuf),
    /// `examples/episodes.csv`, compiled into the binary.
    BundledExample,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TemplateSource {
    BuiltIn(&'static str),
    /// The main file of a user template; every `.typ` file beside it is loaded too.
    File(PathBuf),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportMeta {
    pub authority: String,
    pub title: String,
    pub committee: Option<String>,
    pub meeting_date: Option<NaiveDate>,
    pub lead_officer: Option<String>,
    pub cabinet_member: Option<String>,
    pub author: Option<String>,
    pub contact: Option<String>,
    pub classification: String,
}

/// The counting rules of METRICS.md that configuration may change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    pub include_other_la: bool,
    pub include_absent: bool,
    pub rhi_timescale_hours: u32,
    /// The local repeat-missing trigger (`children_repeat`).
    pub repeat: RepeatRule,
    /// How many children `top20_share` takes.
    pub top_n: u32,
    /// Lower bounds (ages in years) of the age bands after the first:
    /// `[10, 13, 16, 18]` gives under_10, 10_12, 13_15, 16_17, 18_plus.
    pub age_bands: Vec<u32>,
    /// Starts after this date are `future_start` findings; `None`: the day the tool runs.
    pub extract_date: Option<NaiveDate>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            include_other_la: false,
            include_absent: false,
            rhi_timescale_hours: 72,
            repeat: RepeatRule { episodes: 3, days: 90 },
            top_n: 20,
            age_bands: vec![10, 13, 16, 18],
            extract_date: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub report: ReportMeta,
    pub period_end: Option<YearMonth>,
    pub year_start_month: u32,
    pub inputs: Vec<InputSource>,
    pub layout: Layout,
    pub input: InputOptions,
    pub rules: Rules,
    /// Small-number suppression threshold (0 = off).
    pub suppression_threshold: u32,
    pub template: TemplateSource,
    pub commentary: Option<PathBuf>,
    pub output: PathBuf,
}

impl Config {
    /// What the ingest stage needs.
    pub fn ingest_context(&self) -> crate::ingest::IngestContext {
        crate::ingest::IngestContext { rules: self.rules.clone(), layout: self.layout, options: self.input.clone() }
    }
}

pub const EXAMPLE_AUTHORITY: &str = "Northmoor Borough Council (fictional example)";

impl Config {
    /// Loads `path` if given (else the defaults) and applies the overrides.
    pub fn load(path: Option<&Path>, overrides: Overrides) -> Result<Self> {
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

        let inputs: Vec<InputSource> = if !overrides.inputs.is_empty() {
            overrides.inputs.into_iter().map(InputSource::File).collect()
        } else if !raw.input.files.is_empty() {
            raw.input.files.iter().map(|p| InputSource::File(relative(p))).collect()
        } else {
            vec![InputSource::BundledExample]
        };
        let uses_example = inputs == [InputSource::BundledExample];

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
        let authority = match raw.report.authority {
            Some(name) if !name.trim().is_empty() => name,
            _ if uses_example => EXAMPLE_AUTHORITY.to_string(),
            _ => "[Authority name: set report.authority in the configuration]".to_string(),
        };
        if raw.rules.rhi_timescale_hours == 0 {
            bail!("configuration error: rules.rhi_timescale_hours must be at least 1");
        }
        if raw.rules.repeat.episodes < 2 || raw.rules.repeat.days == 0 {
            bail!("configuration error: rules.repeat needs at least 2 episodes and 1 day (found {} episodes in {} days)", raw.rules.repeat.episodes, raw.rules.repeat.days);
        }
        if raw.rules.top_n == 0 {
            bail!("configuration error: rules.top_n must be at least 1");
        }
        if raw.rules.age_bands.is_empty() || raw.rules.age_bands.windows(2).any(|w| w[0] >= w[1]) || raw.rules.age_bands[0] == 0 {
            bail!("configuration error: rules.age_bands must be increasing ages above 0, e.g. [10, 13, 16, 18] (found {:?})", raw.rules.age_bands);
        }
        Ok(Config {
            report: ReportMeta {
                authority,
                title: raw.report.title,
                committee: raw.report.committee,
                meeting_date: raw.report.meeting_date.map(|d| d.0),
                lead_officer: raw.report.lead_officer,
                cabinet_member: raw.report.cabinet_member,
                author: raw.report.author,
                contact: raw.report.contact,
                classification: raw.report.classification,
            },
            period_end: overrides.period_end.or(raw.period.end),
            year_start_month: raw.period.year_start_month.0,
            inputs,
            layout: overrides.layout.unwrap_or(raw.input.layout),
            rules: Rules {
                include_other_la: raw.rules.include_other_la,
                include_absent: raw.rules.include_absent,
                rhi_timescale_hours: raw.rules.rhi_timescale_hours,
                repeat: raw.rules.repeat,
                top_n: raw.rules.top_n,
                age_bands: raw.rules.age_bands,
                extract_date: raw.rules.extract_date.map(|d| d.0),
            },
            input: InputOptions {
                sheet: raw.input.sheet,
                columns: raw.input.columns.into_iter().map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_lowercase())).collect(),
                values: raw
                    .input
                    .values
                    .into_iter()
                    .map(|(column, map)| {
                        let map = map.into_iter().map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string())).collect();
                        (column.trim().to_lowercase(), map)
                    })
                    .collect(),
            },
            suppression_threshold: raw.suppression.threshold,
            template,
            commentary,
            output,
        })
    }
}

fn resolve_template_path(path: &Path, name: &str) -> Result<TemplateSource> {
    if path.is_dir() {
        let main = path.join("main.typ");
        if !main.is_file() {
            bail!("template folder {} has no main.typ (the file the report starts from)", path.display());
        }
        return Ok(TemplateSource::File(main));
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
        assert_eq!(parsed, RawConfig::default());
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
    fn errors_when_year_start_month_is_not_a_month() {
        let err = RawConfig::parse("period:\n  year_start_month: 13\n", "c.yaml").unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("13 is not a month number") && text.contains("line 2"), "{text}");
    }

    #[test]
    fn paths_in_a_config_are_relative_to_its_folder_and_cli_wins() {
        let raw = RawConfig::parse("input:\n  files: [data/a.csv]\noutput: papers\n", "c.yaml").unwrap();
        let config = Config::resolve(raw.clone(), Path::new("/cfg"), Overrides::default()).unwrap();
        assert_eq!(config.inputs, vec![InputSource::File(PathBuf::from("/cfg/data/a.csv"))]);
        assert_eq!(config.output, PathBuf::from("/cfg/papers"));
        let overrides = Overrides { inputs: vec![PathBuf::from("b.csv")], output: Some(PathBuf::from("o")), ..Default::default() };
        let config = Config::resolve(raw, Path::new("/cfg"), overrides).unwrap();
        assert_eq!(config.inputs, vec![InputSource::File(PathBuf::from("b.csv"))]);
        assert_eq!(config.output, PathBuf::from("o"));
    }
}
