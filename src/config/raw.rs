//! The configuration file exactly as written: every key optional with its
//! default, unknown keys refused, value types that check themselves while
//! serde reads so an error names the line. Sections that belong to one stage
//! use that stage's own type (`report:`, `rules:`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

use super::lines::KeyLines;
use crate::ingest::Layout;
use crate::metrics::{Metric, SpcSettings, TargetSetting};
use crate::period::{MonthOfYear, YearMonth};
use crate::report::ReportDetails;
use crate::rules::CountingRules;
use crate::watchlist::WatchlistSettings;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawConfig {
    pub report: ReportDetails,
    pub period: RawPeriod,
    pub input: RawInput,
    pub rules: CountingRules,
    pub suppression: RawSuppression,
    /// Metric id -> the value aimed for and which way is better.
    pub targets: BTreeMap<Metric, TargetSetting>,
    /// Statistical process control: months charted, baseline, rebase months.
    pub spc: SpcSettings,
    /// The restricted watchlist: window and triggers.
    pub watchlist: WatchlistSettings,
    /// A built-in template name, a `.typ` file or a folder holding `main.typ`.
    pub template: Option<String>,
    /// Markdown file with one `## slot` heading per commentary slot.
    pub commentary: Option<PathBuf>,
    /// Output folder.
    pub output: Option<PathBuf>,
    /// The file's name and text, for errors about a key serde has read.
    #[serde(skip)]
    pub source: ConfigSource,
}

/// Where a configuration came from: what errors found after reading name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfigSource {
    /// The file as errors name it (empty: the built-in defaults).
    pub origin: String,
    pub lines: KeyLines,
}

impl ConfigSource {
    /// `file: line N: ` for the key at `path` (or its nearest parent), `file: ` when not found.
    pub fn at(&self, path: &[&str]) -> String {
        let origin = if self.origin.is_empty() { "configuration" } else { self.origin.as_str() };
        match self.lines.line(path) {
            Some(line) => format!("{origin}: line {line}: "),
            None => format!("{origin}: "),
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
    /// Extract column name -> canonical column name, for other extracts.
    pub columns: BTreeMap<String, String>,
    /// Canonical column -> (extract value -> canonical value).
    pub values: BTreeMap<String, BTreeMap<String, String>>,
    /// strftime-style patterns for date shapes INPUT.md does not read by
    /// itself (`%m/%d/%Y %H:%M`), tried in order before those shapes.
    pub date_formats: Vec<String>,
    /// The authority's own reason codes (or new labels for built-in ones): code -> label.
    pub reasons: BTreeMap<String, String>,
    /// SSDA903: the collection year the DfE's rules check against (2024: April 2023 to March 2024).
    pub collection_year: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawSuppression {
    /// Breakdown counts from 1 to threshold - 1 are shown as `c`; 0 = off.
    pub threshold: u32,
}

/// The largest configuration file read.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

impl RawConfig {
    /// Parses YAML text; `origin` names the file in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self> {
        let source = ConfigSource { origin: origin.to_string(), lines: KeyLines::new(text) };
        if text.trim().is_empty() {
            return Ok(RawConfig { source, ..RawConfig::default() });
        }
        let raw: RawConfig = serde_yaml::from_str(text).with_context(|| format!("configuration error in {origin}"))?;
        Ok(RawConfig { source, ..raw })
    }

    pub fn load(path: &Path) -> Result<Self> {
        let text = crate::bounded::read_text(path, MAX_CONFIG_BYTES, "configuration file")?;
        Self::parse(&text, &path.display().to_string())
    }
}
