//! Turns episodes into the figures of METRICS.md: headline metrics and
//! breakdowns for every cohort and period, comparisons, and small-number
//! suppression, with the export in CSV or JSON lines.
//!
//! Every window (a month, quarter, year, rolling twelve months, or a window
//! the report needs such as "April to September") is a run of whole months;
//! `engine` computes sums and distinct children over each window with polars.

mod engine;
pub mod suppression;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use anyhow::{bail, Context, Result};
use polars::prelude::*;

use crate::config::Rules;
use engine::month_expr;
pub use engine::Cell;
use crate::ingest::{Episodes, Field};
use crate::period::{ReportingYear, YearMonth};

/// What the metrics stage needs besides the episodes.
#[derive(Debug, Clone)]
pub struct MetricsContext {
    pub rules: Rules,
    pub year: ReportingYear,
    /// The last month the report covers; `None`: the last complete month in the data.
    pub period_end: Option<YearMonth>,
    /// Breakdown counts from 1 to threshold - 1 are suppressed; 0 = off.
    pub suppression_threshold: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cohort {
    All,
    LookedAfter,
    NotLookedAfter,
}

impl Cohort {
    pub const ALL: [Cohort; 3] = [Cohort::All, Cohort::LookedAfter, Cohort::NotLookedAfter];
    pub fn id(self) -> &'static str {
        match self {
            Cohort::All => "all",
            Cohort::LookedAfter => "looked_after",
            Cohort::NotLookedAfter => "not_looked_after",
        }
    }
}

/// The breakdown dimensions of METRICS.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dimension {
    AgeBand,
    Sex,
    EthnicityGroup,
    Reason,
    Exploitation,
    DurationBand,
    PlacementArea,
    EpisodesPerChild,
}

/// `episodes_per_child` categories: (lowest, highest, label) episodes per child.
pub const EPISODES_PER_CHILD_BANDS: [(u32, u32, &str); 7] =
    [(1, 1, "1"), (2, 2, "2"), (3, 3, "3"), (4, 4, "4"), (5, 5, "5"), (6, 10, "6_10"), (11, u32::MAX, "11_plus")];

/// `under_10`, `10_12`, ..., `18_plus`, `unknown` for bounds `[10, 13, 16, 18]`.
pub fn age_band_labels(bounds: &[u32]) -> Vec<String> {
    let mut labels = Vec::new();
    if let Some(first) = bounds.first() {
        labels.push(format!("under_{first}"));
    }
    for pair in bounds.windows(2) {
        labels.push(format!("{}_{}", pair[0], pair[1] - 1));
    }
    if let Some(last) = bounds.last() {
        labels.push(format!("{last}_plus"));
    }
    labels.push("unknown".into());
    labels
}

impl Dimension {
    pub const ALL: [Dimension; 8] = [
        Dimension::AgeBand,
        Dimension::Sex,
        Dimension::EthnicityGroup,
        Dimension::Reason,
        Dimension::Exploitation,
        Dimension::DurationBand,
        Dimension::PlacementArea,
        Dimension::EpisodesPerChild,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Dimension::AgeBand => "age_band",
            Dimension::Sex => "sex",
            Dimension::EthnicityGroup => "ethnicity_group",
            Dimension::Reason => "reason",
            Dimension::Exploitation => "exploitation",
            Dimension::DurationBand => "duration_band",
            Dimension::PlacementArea => "placement_area",
            Dimension::EpisodesPerChild => "episodes_per_child",
        }
    }

    /// Input columns the dimension is read from.
    pub fn needs(self) -> &'static [Field] {
        match self {
            Dimension::AgeBand => &[Field::DateOfBirth],
            Dimension::Sex => &[Field::Sex],
            Dimension::EthnicityGroup => &[Field::Ethnicity],
            Dimension::Reason => &[Field::Reason],
            Dimension::Exploitation => &[Field::CseRisk, Field::CceRisk],
            Dimension::DurationBand => &[Field::End],
            Dimension::PlacementArea => &[Field::PlacementArea],
            Dimension::EpisodesPerChild => &[],
        }
    }

    /// An episode may fall under several categories (reasons).
    pub fn multi_valued(self) -> bool {
        self == Dimension::Reason
    }

    /// Cohorts the dimension is reported for.
    pub fn cohorts(self) -> &'static [Cohort] {
        match self {
            Dimension::PlacementArea => &[Cohort::LookedAfter],
            _ => &Cohort::ALL,
        }
    }

    /// Metrics reported per category.
    pub fn metrics(self) -> &'static [Metric] {
        match self {
            Dimension::EpisodesPerChild => &[Metric::Children],
            _ => &[Metric::Children, Metric::Episodes],
        }
    }

    /// The fixed categories, in report order; `None` for reasons (read from the data).
    pub fn categories(self, rules: &Rules) -> Option<Vec<String>> {
        let fixed = |labels: &[&str]| Some(labels.iter().map(|l| l.to_string()).collect());
        match self {
            Dimension::AgeBand => Some(age_band_labels(&rules.age_bands)),
            Dimension::Sex => fixed(&["male", "female", "other_unknown"]),
            Dimension::EthnicityGroup => fixed(&["white", "mixed", "asian", "black", "other", "not_known"]),
            Dimension::Reason => None,
            Dimension::Exploitation => fixed(&["cse", "cce", "both", "none"]),
            Dimension::DurationBand => fixed(&["under_24h", "24_72h", "3_7_days", "over_7_days", "open", "unknown"]),
            Dimension::PlacementArea => fixed(&["in_area", "out_of_area", "unknown"]),
            Dimension::EpisodesPerChild => Some(EPISODES_PER_CHILD_BANDS.iter().map(|(_, _, l)| l.to_string()).collect()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeriodKind {
    Month,
    Quarter,
    Year,
    Rolling12,
}

impl PeriodKind {
    pub fn id(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
            PeriodKind::Rolling12 => "rolling12",
        }
    }
}

/// A run of whole months, first to last inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Window {
    pub first: YearMonth,
    pub last: YearMonth,
}

impl Window {
    pub fn new(first: YearMonth, last: YearMonth) -> Self {
        Window { first, last }
    }
    pub fn months(self) -> impl Iterator<Item = YearMonth> {
        (self.first.0..=self.last.0).map(YearMonth)
    }
    /// The same months a year earlier.
    pub fn year_earlier(self) -> Self {
        Window { first: self.first.plus(-12), last: self.last.plus(-12) }
    }
    /// `Apr 2024 to Mar 2025`, or `Mar 2025` for one month.
    pub fn name(self) -> String {
        if self.first == self.last {
            self.first.short_name()
        } else {
            format!("{} to {}", self.first.short_name(), self.last.short_name())
        }
    }
}

/// Sums over one cohort and window. `children*` are distinct over the window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub episodes: u64,
    pub children: u64,
    pub absences: u64,
    pub episodes_open: u64,
    pub episodes_over_24h: u64,
    pub episodes_rhi_offered: u64,
    pub episodes_rhi_accepted: u64,
    pub episodes_rhi_declined: u64,
    pub episodes_rhi_completed: u64,
    pub episodes_rhi_within_72h: u64,
    pub children_rhi_offered: u64,
    pub children_rhi_completed: u64,
    /// Children with an episode completing a run of the repeat trigger.
    pub children_repeat: u64,
    pub children_repeat_30d: u64,
    /// Episodes of the `top_n` children with most episodes.
    pub episodes_top_children: u64,
    /// Children by number of episodes, in `EPISODES_PER_CHILD_BANDS` order.
    pub children_by_episodes: [u64; 7],
}

/// The headline metrics of METRICS.md, with their export ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metric {
    Episodes,
    Children,
    EpisodesPerChild,
    Absences,
    EpisodesOpen,
    EpisodesOver24h,
    EpisodesRhiOffered,
    EpisodesRhiAccepted,
    EpisodesRhiDeclined,
    EpisodesRhiCompleted,
    EpisodesRhiWithin72h,
    ChildrenRhiOffered,
    ChildrenRhiCompleted,
    PctChildrenRhiOffered,
    PctEpisodesRhiOffered,
    PctRhiAccepted,
    PctEpisodesRhiCompleted,
    PctRhiWithin72h,
    ChildrenRepeat,
    ChildrenRepeat30d,
    Top20Share,
}

/// A metric's value: a count, or a percentage that is empty when its denominator is 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Count(u64),
    Rate(Option<f64>),
    /// A small count hidden by suppression (`c`).
    Suppressed,
}

impl Value {
    pub fn as_f64(self) -> Option<f64> {
        match self {
            Value::Count(n) => Some(n as f64),
            Value::Rate(r) => r,
            Value::Suppressed => None,
        }
    }
    /// The export's text: integers for counts, full precision for rates, empty for no value.
    pub fn export_text(self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Rate(Some(r)) => r.to_string(),
            Value::Rate(None) => String::new(),
            Value::Suppressed => "c".into(),
        }
    }

    /// The export's JSON value: a number, `null` for no value, `"c"` when suppressed.
    pub fn json(self) -> serde_json::Value {
        match self {
            Value::Count(n) => n.into(),
            // A whole rate is written `75` as in the CSV, not `75.0`.
            Value::Rate(Some(r)) if r.fract() == 0.0 && (0.0..=1e15).contains(&r) => (r as u64).into(),
            Value::Rate(Some(r)) => serde_json::Number::from_f64(r).map(serde_json::Value::Number).unwrap_or(serde_json::Value::Null),
            Value::Rate(None) => serde_json::Value::Null,
            Value::Suppressed => "c".into(),
        }
    }
}

fn ratio(numerator: u64, denominator: u64, scale: f64) -> Value {
    Value::Rate((denominator > 0).then(|| numerator as f64 * scale / denominator as f64))
}

impl Metric {
    pub const ALL: [Metric; 21] = [
        Metric::Episodes,
        Metric::Children,
        Metric::EpisodesPerChild,
        Metric::Absences,
        Metric::EpisodesOpen,
        Metric::EpisodesOver24h,
        Metric::EpisodesRhiOffered,
        Metric::EpisodesRhiAccepted,
        Metric::EpisodesRhiDeclined,
        Metric::EpisodesRhiCompleted,
        Metric::EpisodesRhiWithin72h,
        Metric::ChildrenRhiOffered,
        Metric::ChildrenRhiCompleted,
        Metric::PctChildrenRhiOffered,
        Metric::PctEpisodesRhiOffered,
        Metric::PctRhiAccepted,
        Metric::PctEpisodesRhiCompleted,
        Metric::PctRhiWithin72h,
        Metric::ChildrenRepeat,
        Metric::ChildrenRepeat30d,
        Metric::Top20Share,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Metric::Episodes => "episodes",
            Metric::Children => "children",
            Metric::EpisodesPerChild => "episodes_per_child",
            Metric::Absences => "absences",
            Metric::EpisodesOpen => "episodes_open",
            Metric::EpisodesOver24h => "episodes_over_24h",
            Metric::EpisodesRhiOffered => "episodes_rhi_offered",
            Metric::EpisodesRhiAccepted => "episodes_rhi_accepted",
            Metric::EpisodesRhiDeclined => "episodes_rhi_declined",
            Metric::EpisodesRhiCompleted => "episodes_rhi_completed",
            Metric::EpisodesRhiWithin72h => "episodes_rhi_within_72h",
            Metric::ChildrenRhiOffered => "children_rhi_offered",
            Metric::ChildrenRhiCompleted => "children_rhi_completed",
            Metric::PctChildrenRhiOffered => "pct_children_rhi_offered",
            Metric::PctEpisodesRhiOffered => "pct_episodes_rhi_offered",
            Metric::PctRhiAccepted => "pct_rhi_accepted",
            Metric::PctEpisodesRhiCompleted => "pct_episodes_rhi_completed",
            Metric::PctRhiWithin72h => "pct_rhi_within_72h",
            Metric::ChildrenRepeat => "children_repeat",
            Metric::ChildrenRepeat30d => "children_repeat_30d",
            Metric::Top20Share => "top20_share",
        }
    }

    pub fn is_rate(self) -> bool {
        matches!(self.value(&Totals::default()), Value::Rate(_))
    }

    /// Input columns the metric needs beyond the required ones.
    pub fn needs(self) -> &'static [Field] {
        match self {
            Metric::Episodes
            | Metric::Children
            | Metric::EpisodesPerChild
            | Metric::ChildrenRepeat
            | Metric::ChildrenRepeat30d
            | Metric::Top20Share => &[],
            Metric::Absences => &[Field::EpisodeType],
            Metric::EpisodesOpen | Metric::EpisodesOver24h => &[Field::End],
            Metric::EpisodesRhiOffered | Metric::ChildrenRhiOffered | Metric::PctChildrenRhiOffered | Metric::PctEpisodesRhiOffered => {
                &[Field::RhiOffered]
            }
            Metric::EpisodesRhiAccepted | Metric::EpisodesRhiDeclined => &[Field::RhiOffered, Field::RhiOutcome],
            Metric::PctRhiAccepted => &[Field::RhiOffered, Field::RhiOutcome],
            Metric::EpisodesRhiCompleted | Metric::ChildrenRhiCompleted | Metric::PctEpisodesRhiCompleted => &[Field::RhiCompleted],
            Metric::EpisodesRhiWithin72h | Metric::PctRhiWithin72h => &[Field::RhiCompleted, Field::End],
        }
    }

    pub fn value(self, t: &Totals) -> Value {
        match self {
            Metric::Episodes => Value::Count(t.episodes),
            Metric::Children => Value::Count(t.children),
            Metric::EpisodesPerChild => ratio(t.episodes, t.children, 1.0),
            Metric::Absences => Value::Count(t.absences),
            Metric::EpisodesOpen => Value::Count(t.episodes_open),
            Metric::EpisodesOver24h => Value::Count(t.episodes_over_24h),
            Metric::EpisodesRhiOffered => Value::Count(t.episodes_rhi_offered),
            Metric::EpisodesRhiAccepted => Value::Count(t.episodes_rhi_accepted),
            Metric::EpisodesRhiDeclined => Value::Count(t.episodes_rhi_declined),
            Metric::EpisodesRhiCompleted => Value::Count(t.episodes_rhi_completed),
            Metric::EpisodesRhiWithin72h => Value::Count(t.episodes_rhi_within_72h),
            Metric::ChildrenRhiOffered => Value::Count(t.children_rhi_offered),
            Metric::ChildrenRhiCompleted => Value::Count(t.children_rhi_completed),
            Metric::PctChildrenRhiOffered => ratio(t.children_rhi_offered, t.children, 100.0),
            Metric::PctEpisodesRhiOffered => ratio(t.episodes_rhi_offered, t.episodes, 100.0),
            Metric::PctRhiAccepted => ratio(t.episodes_rhi_accepted, t.episodes_rhi_offered, 100.0),
            Metric::PctEpisodesRhiCompleted => ratio(t.episodes_rhi_completed, t.episodes, 100.0),
            Metric::PctRhiWithin72h => ratio(t.episodes_rhi_within_72h, t.episodes_rhi_completed, 100.0),
            Metric::ChildrenRepeat => Value::Count(t.children_repeat),
            Metric::ChildrenRepeat30d => Value::Count(t.children_repeat_30d),
            Metric::Top20Share => ratio(t.episodes_top_children, t.episodes, 100.0),
        }
    }
}

/// One row of the export of METRICS.md.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricRow {
    pub cohort: Cohort,
    pub period_kind: PeriodKind,
    pub period: String,
    pub dimension: String,
    pub category: String,
    pub metric: Metric,
    pub value: Value,
}

/// The windows a report built for `period_end` shows: the reporting year to
/// date, its quarters, and the rolling twelve months, each with the same
/// months a year earlier.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportWindows {
    pub period_end: YearMonth,
    /// Reporting year to `period_end`.
    pub year_to_date: Window,
    /// True when `period_end` is not the last month of its reporting year.
    pub partial_year: bool,
    /// Quarters of the reporting year up to `period_end` (the last may be partial).
    pub quarters: Vec<Window>,
    pub rolling12: Window,
}

impl ReportWindows {
    pub fn new(period_end: YearMonth, year: ReportingYear) -> Self {
        let start = year.year_start(period_end);
        let quarters = (0..4)
            .map(|q| start.plus(3 * q))
            .take_while(|first| *first <= period_end)
            .map(|first| Window::new(first, first.plus(2).min(period_end)))
            .collect();
        ReportWindows {
            period_end,
            year_to_date: Window::new(start, period_end),
            partial_year: period_end != start.plus(11),
            quarters,
            rolling12: Window::new(period_end.plus(-11), period_end),
        }
    }

    fn all(&self) -> Vec<Window> {
        let mut windows = vec![self.year_to_date, self.rolling12];
        windows.extend(self.quarters.iter().copied());
        let earlier: Vec<Window> = windows.iter().map(|w| w.year_earlier()).collect();
        windows.extend(earlier);
        windows
    }
}

/// One category of a breakdown, after suppression.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakdownRow {
    pub category: String,
    /// `None` where the dimension reports no episode count (`episodes_per_child`).
    pub episodes: Option<Value>,
    pub children: Value,
}

/// A period of the export: its kind, label and months.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub kind: PeriodKind,
    pub label: String,
    pub window: Window,
}

/// Change between two values of a metric, from unrounded values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    pub from: f64,
    pub to: f64,
    /// `to - from` (percentage points for rates).
    pub absolute: f64,
    /// `(to - from) / from * 100` for counts; `None` for rates or when `from` is 0.
    pub percent: Option<f64>,
    pub is_rate: bool,
}

impl Change {
    pub fn between(metric: Metric, from: Option<Value>, to: Option<Value>) -> Option<Change> {
        let (from, to) = (from?.as_f64()?, to?.as_f64()?);
        let is_rate = metric.is_rate();
        let percent = (!is_rate && from != 0.0).then(|| (to - from) / from * 100.0);
        Some(Change { from, to, absolute: to - from, percent, is_rate })
    }
}

/// A headline metric for one period with its comparisons.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub metric: Metric,
    pub value: Option<Value>,
    /// Against the previous period of the same kind.
    pub previous_period: Option<Change>,
    /// Against the same period a year earlier.
    pub year_earlier: Option<Change>,
}

/// Everything the later stages need, computed once.
#[derive(Debug, Clone)]
pub struct Metrics {
    /// The export, sorted as METRICS.md requires (suppression applied).
    pub rows: Vec<MetricRow>,
    pub periods: Vec<Period>,
    pub first_month: YearMonth,
    pub last_month: YearMonth,
    pub year: ReportingYear,
    pub rules: Rules,
    pub suppression_threshold: u32,
    pub report: ReportWindows,
    /// Metrics the input has the columns for.
    pub available: BTreeSet<Metric>,
    /// Dimensions the input has the columns for.
    pub dimensions: Vec<Dimension>,
    totals: BTreeMap<(Cohort, Window), Totals>,
    breakdowns: BTreeMap<(Cohort, Window, Dimension), Vec<BreakdownRow>>,
}

impl Metrics {
    /// Totals for a window computed by this stage (export periods and `report` windows).
    pub fn totals(&self, cohort: Cohort, window: Window) -> Option<&Totals> {
        self.totals.get(&(cohort, window))
    }

    /// A metric for a window, `None` when it is not available or not computed.
    pub fn value(&self, cohort: Cohort, window: Window, metric: Metric) -> Option<Value> {
        if !self.available.contains(&metric) {
            return None;
        }
        self.totals(cohort, window).map(|t| metric.value(t))
    }

    /// True when every month of `window` lies within the data.
    pub fn covers(&self, window: Window) -> bool {
        window.first >= self.first_month && window.last <= self.last_month
    }

    /// A breakdown for a computed window, suppressed as configured.
    pub fn breakdown(&self, cohort: Cohort, window: Window, dimension: Dimension) -> Option<&[BreakdownRow]> {
        self.breakdowns.get(&(cohort, window, dimension)).map(Vec::as_slice)
    }

    /// The change of `metric` from window `from` to window `to` (both computed and within the data).
    pub fn change(&self, cohort: Cohort, metric: Metric, from: Window, to: Window) -> Option<Change> {
        if !self.covers(from) || !self.covers(to) {
            return None;
        }
        Change::between(metric, self.value(cohort, from, metric), self.value(cohort, to, metric))
    }

    /// A headline metric of an export period against the previous period of
    /// the same kind and the same period a year earlier.
    pub fn compare(&self, cohort: Cohort, period: &Period, metric: Metric) -> Comparison {
        let w = period.window;
        let previous = match period.kind {
            PeriodKind::Month | PeriodKind::Rolling12 => Window::new(w.first.plus(-1), w.last.plus(-1)),
            PeriodKind::Quarter => Window::new(w.first.plus(-3), w.last.plus(-3)),
            PeriodKind::Year => w.year_earlier(),
        };
        Comparison {
            metric,
            value: self.value(cohort, w, metric),
            previous_period: self.change(cohort, metric, previous, w),
            year_earlier: self.change(cohort, metric, w.year_earlier(), w),
        }
    }

    /// Writes the export as JSON lines, one object per row, in the same order as the CSV.
    pub fn write_jsonl(&self, mut out: impl Write) -> Result<()> {
        /// Fields in the order of the CSV columns.
        #[derive(serde::Serialize)]
        struct JsonRow<'a> {
            cohort: &'a str,
            period_kind: &'a str,
            period: &'a str,
            dimension: &'a str,
            category: &'a str,
            metric: &'a str,
            value: serde_json::Value,
        }
        for row in &self.rows {
            let object = JsonRow {
                cohort: row.cohort.id(),
                period_kind: row.period_kind.id(),
                period: &row.period,
                dimension: &row.dimension,
                category: &row.category,
                metric: row.metric.id(),
                value: row.value.json(),
            };
            serde_json::to_writer(&mut out, &object)?;
            out.write_all(b"\n")?;
        }
        out.flush().context("writing the metrics export")?;
        Ok(())
    }

    /// Writes the export as CSV.
    pub fn write_csv(&self, out: impl Write) -> Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(["cohort", "period_kind", "period", "dimension", "category", "metric", "value"])?;
        for row in &self.rows {
            writer.write_record([
                row.cohort.id(),
                row.period_kind.id(),
                &row.period,
                &row.dimension,
                &row.category,
                row.metric.id(),
                &row.value.export_text(),
            ])?;
        }
        writer.flush().context("writing the metrics export")?;
        Ok(())
    }

    pub fn to_csv_bytes(&self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.write_csv(&mut out)?;
        Ok(out)
    }
}

/// The periods of the export: every month, quarter and year from the first to
/// the last month with data, and a rolling window for each month from the twelfth on.
fn export_windows(first: YearMonth, last: YearMonth, year: ReportingYear) -> Vec<(PeriodKind, String, Window)> {
    let mut windows = Vec::new();
    for month in Window::new(first, last).months() {
        windows.push((PeriodKind::Month, month.label(), Window::new(month, month)));
        if month == first || month == year.quarter_start(month) {
            let start = year.quarter_start(month);
            windows.push((PeriodKind::Quarter, year.quarter_label(month), Window::new(start, start.plus(2))));
        }
        if month == first || month == year.year_start(month) {
            let start = year.year_start(month);
            windows.push((PeriodKind::Year, year.year_label(month), Window::new(start, start.plus(11))));
        }
        if month.0 - first.0 >= 11 {
            windows.push((PeriodKind::Rolling12, month.label(), Window::new(month.plus(-11), month)));
        }
    }
    windows
}

/// Computes every figure: the export and the report's windows.
pub fn compute(episodes: &Episodes, context: &MetricsContext) -> Result<Metrics> {
    let (first_month, last_month, latest) = data_span(&episodes.frame)?;
    let period_end = match context.period_end {
        Some(end) => {
            if end < first_month || end > last_month {
                bail!(
                    "the period end {} is outside the data, which runs from {} to {}",
                    end.label(),
                    first_month.label(),
                    last_month.label()
                );
            }
            end
        }
        None => last_complete_month(latest, first_month),
    };
    let report = ReportWindows::new(period_end, context.year);
    let exported = export_windows(first_month, last_month, context.year);
    let mut windows: Vec<Window> = exported.iter().map(|(_, _, w)| *w).collect();
    windows.extend(report.all());
    windows.sort();
    windows.dedup();

    let available: BTreeSet<Metric> =
        Metric::ALL.into_iter().filter(|m| m.needs().iter().all(|f| episodes.has(*f))).collect();
    let dimensions: Vec<Dimension> =
        Dimension::ALL.into_iter().filter(|d| d.needs().iter().all(|f| episodes.has(*f))).collect();
    let computed = engine::compute(&episodes.frame, &context.rules, &windows, &dimensions)?;
    let mut totals = BTreeMap::new();
    for cohort in Cohort::ALL {
        for window in &windows {
            totals.insert((cohort, *window), computed.totals.get(&(cohort, *window)).copied().unwrap_or_default());
        }
    }

    // Breakdown tables for every window, every category listed (zeros
    // included), then suppressed group by group.
    let reasons: BTreeSet<String> =
        computed.cells.keys().filter(|(_, _, d, _)| *d == Dimension::Reason).map(|(_, _, _, c)| c.clone()).collect();
    let threshold = context.suppression_threshold;
    let mut breakdowns = BTreeMap::new();
    for dimension in &dimensions {
        let categories = dimension.categories(&context.rules).unwrap_or_else(|| reasons.iter().cloned().collect());
        for cohort in dimension.cohorts() {
            for window in &windows {
                let total = &totals[&(*cohort, *window)];
                let rows = breakdown_rows(*dimension, &categories, *cohort, *window, total, &computed.cells, threshold);
                breakdowns.insert((*cohort, *window, *dimension), rows);
            }
        }
    }

    let mut rows = Vec::new();
    for cohort in Cohort::ALL {
        for (kind, label, window) in &exported {
            let t = &totals[&(cohort, *window)];
            let row = |dimension: &str, category: &str, metric: Metric, value: Value| MetricRow {
                cohort,
                period_kind: *kind,
                period: label.clone(),
                dimension: dimension.into(),
                category: category.into(),
                metric,
                value,
            };
            for metric in &available {
                rows.push(row("all", "all", *metric, metric.value(t)));
            }
            for dimension in &dimensions {
                let Some(cells) = breakdowns.get(&(cohort, *window, *dimension)) else { continue };
                for cell in cells {
                    rows.push(row(dimension.id(), &cell.category, Metric::Children, cell.children));
                    if let Some(episodes) = cell.episodes {
                        rows.push(row(dimension.id(), &cell.category, Metric::Episodes, episodes));
                    }
                }
            }
        }
    }
    rows.sort_by(|a, b| {
        (a.cohort.id(), a.period_kind.id(), &a.period, &a.dimension, &a.category, a.metric.id())
            .cmp(&(b.cohort.id(), b.period_kind.id(), &b.period, &b.dimension, &b.category, b.metric.id()))
    });
    let periods = exported.into_iter().map(|(kind, label, window)| Period { kind, label, window }).collect();
    Ok(Metrics {
        rows,
        periods,
        first_month,
        last_month,
        year: context.year,
        rules: context.rules.clone(),
        suppression_threshold: threshold,
        report,
        available,
        dimensions,
        totals,
        breakdowns,
    })
}

/// The categories of one breakdown with their counts, suppressed.
fn breakdown_rows(
    dimension: Dimension,
    categories: &[String],
    cohort: Cohort,
    window: Window,
    total: &Totals,
    cells: &BTreeMap<(Cohort, Window, Dimension, String), Cell>,
    threshold: u32,
) -> Vec<BreakdownRow> {
    if dimension == Dimension::EpisodesPerChild {
        let children: Vec<u64> = total.children_by_episodes.to_vec();
        let shown = suppression::suppress(&children, Some(total.children), threshold);
        return categories.iter().zip(shown).map(|(c, v)| BreakdownRow { category: c.clone(), episodes: None, children: v }).collect();
    }
    let get = |c: &String| cells.get(&(cohort, window, dimension, c.clone())).copied().unwrap_or_default();
    let episodes: Vec<u64> = categories.iter().map(|c| get(c).episodes).collect();
    let children: Vec<u64> = categories.iter().map(|c| get(c).children).collect();
    // Single-valued dimensions add up to the total episodes; children may
    // add up to more, but a total still narrows what a hidden cell can be.
    let episodes_total = (!dimension.multi_valued()).then_some(total.episodes);
    let episodes = suppression::suppress(&episodes, episodes_total, threshold);
    let children = suppression::suppress(&children, Some(total.children), threshold);
    categories
        .iter()
        .zip(episodes.into_iter().zip(children))
        .map(|(c, (e, ch))| BreakdownRow { category: c.clone(), episodes: Some(e), children: ch })
        .collect()
}

/// The last complete month: the month before the one holding the latest
/// recorded time (start, return or interview), since an extract taken on
/// 14 November holds half of November; never before the first month.
fn last_complete_month(latest: YearMonth, first: YearMonth) -> YearMonth {
    latest.plus(-1).max(first)
}

/// First and last month with an episode, and the month of the latest recorded time.
fn data_span(frame: &DataFrame) -> Result<(YearMonth, YearMonth, YearMonth)> {
    let span = frame
        .clone()
        .lazy()
        .select([
            month_expr("start").min().alias("first"),
            month_expr("start").max().alias("last"),
            month_expr("end").max().alias("last_end"),
            month_expr("rhi_completed").max().alias("last_rhi"),
        ])
        .collect();
    let span = Context::context(span, "finding the months the data covers")?;
    let get = |name: &str| -> Result<Option<i32>> { Ok(span.column(name)?.i32()?.get(0)) };
    let (Some(first), Some(last)) = (get("first")?, get("last")?) else {
        bail!("no episodes to count");
    };
    let latest = [Some(last), get("last_end")?, get("last_rhi")?].into_iter().flatten().max().unwrap_or(last);
    Ok((YearMonth(first), YearMonth(last), YearMonth(latest)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{read, InputFile};

    fn compute_from(csv: &str, rules: Rules) -> Metrics {
        let file = InputFile { name: "t.csv".into(), bytes: csv.as_bytes().to_vec() };
        let (episodes, _) = read(&[file], &crate::ingest::IngestContext::new(&rules)).unwrap();
        let context = MetricsContext { rules, year: ReportingYear { start_month: 4 }, period_end: None, suppression_threshold: 0 };
        compute(&episodes, &context).unwrap()
    }

    fn export(metrics: &Metrics, cohort: &str, kind: &str, period: &str, metric: &str) -> Option<String> {
        metrics
            .rows
            .iter()
            .find(|r| r.cohort.id() == cohort && r.period_kind.id() == kind && r.period == period && r.metric.id() == metric)
            .map(|r| r.value.export_text())
    }

    const HEADER: &str = "episode_id,child_id,looked_after,other_la,episode_type,start,end,rhi_offered,rhi_outcome,rhi_completed\n";

    #[test]
    fn a_child_missing_in_two_months_counts_once_per_window() {
        let rows = "e1,c1,Y,N,missing,2023-04-10 10:00,2023-04-10 12:00,Y,accepted,2023-04-11 09:00\n\
                    e2,c1,Y,N,missing,2023-05-10 10:00,2023-05-10 12:00,Y,declined,\n\
                    e3,c2,N,N,missing,2023-05-20 10:00,2023-05-21 12:00,N,,\n\
                    e4,c1,Y,N,missing,2024-03-02 10:00,2024-03-02 12:00,N,,\n";
        let m = compute_from(&format!("{HEADER}{rows}"), Rules::default());
        assert_eq!(export(&m, "all", "month", "2023-04", "children").as_deref(), Some("1"));
        assert_eq!(export(&m, "all", "month", "2023-05", "children").as_deref(), Some("2"));
        assert_eq!(export(&m, "all", "quarter", "2023-24 Q1", "children").as_deref(), Some("2"));
        assert_eq!(export(&m, "all", "quarter", "2023-24 Q1", "episodes").as_deref(), Some("3"));
        assert_eq!(export(&m, "all", "year", "2023-24", "children").as_deref(), Some("2"));
        assert_eq!(export(&m, "all", "year", "2023-24", "episodes").as_deref(), Some("4"));
        assert_eq!(export(&m, "all", "rolling12", "2024-03", "children").as_deref(), Some("2"));
        assert_eq!(export(&m, "looked_after", "year", "2023-24", "children").as_deref(), Some("1"));
        assert_eq!(export(&m, "not_looked_after", "year", "2023-24", "episodes").as_deref(), Some("1"));
        // Months with no episode are present with zero counts and empty rates.
        assert_eq!(export(&m, "all", "month", "2023-06", "episodes").as_deref(), Some("0"));
        assert_eq!(export(&m, "all", "month", "2023-06", "pct_rhi_accepted").as_deref(), Some(""));
        // 1 accepted of 2 offered in Q1; children offered: c1 only.
        assert_eq!(export(&m, "all", "quarter", "2023-24 Q1", "pct_rhi_accepted").as_deref(), Some("50"));
        assert_eq!(export(&m, "all", "quarter", "2023-24 Q1", "children_rhi_offered").as_deref(), Some("1"));
        assert_eq!(export(&m, "all", "quarter", "2023-24 Q1", "episodes_over_24h").as_deref(), Some("1"));
        // The first rolling window ends in the twelfth month of data.
        assert_eq!(export(&m, "all", "rolling12", "2024-02", "episodes"), None);
    }

    #[test]
    fn interview_timescale_includes_72_hours_exactly_and_not_a_minute_more() {
        let rows = "e1,c1,Y,N,,2023-04-01 10:00,2023-04-02 10:00,Y,accepted,2023-04-05 10:00\n\
                    e2,c2,Y,N,,2023-04-01 10:00,2023-04-02 10:00,Y,accepted,2023-04-05 10:01\n\
                    e3,c3,Y,N,,2023-04-01 10:00,2023-04-02 10:00,Y,accepted,2023-04-02 09:00\n\
                    e4,c4,Y,N,,2023-04-01 10:00,,Y,accepted,2023-04-02 09:00\n";
        let m = compute_from(&format!("{HEADER}{rows}"), Rules::default());
        // e3 took place before the return and e4 has no return: never within.
        assert_eq!(export(&m, "all", "month", "2023-04", "episodes_rhi_completed").as_deref(), Some("4"));
        assert_eq!(export(&m, "all", "month", "2023-04", "episodes_rhi_within_72h").as_deref(), Some("1"));
        assert_eq!(export(&m, "all", "month", "2023-04", "pct_rhi_within_72h").as_deref(), Some("25"));
        assert_eq!(export(&m, "all", "month", "2023-04", "episodes_open").as_deref(), Some("1"));
    }

    #[test]
    fn other_authority_children_and_absences_follow_the_rules() {
        let rows = "e1,c1,Y,N,missing,2023-04-01 10:00,2023-04-01 12:00,Y,accepted,\n\
                    e2,c2,Y,Y,missing,2023-04-01 10:00,2023-04-01 12:00,Y,accepted,\n\
                    e3,c3,Y,N,absent,2023-04-01 10:00,2023-04-01 12:00,N,,\n";
        let text = format!("{HEADER}{rows}");
        let m = compute_from(&text, Rules::default());
        assert_eq!(export(&m, "all", "month", "2023-04", "episodes").as_deref(), Some("1"));
        assert_eq!(export(&m, "all", "month", "2023-04", "absences").as_deref(), Some("1"));
        let m = compute_from(&text, Rules { include_other_la: true, include_absent: true, ..Rules::default() });
        assert_eq!(export(&m, "all", "month", "2023-04", "episodes").as_deref(), Some("3"));
        assert_eq!(export(&m, "all", "month", "2023-04", "children").as_deref(), Some("3"));
        assert_eq!(export(&m, "all", "month", "2023-04", "absences").as_deref(), Some("1"));
    }

    #[test]
    fn unknown_care_status_counts_in_all_only_and_missing_columns_drop_metrics() {
        let text = "episode_id,child_id,looked_after,start\n\
                    e1,c1,Y,2023-04-01\n\
                    e2,c2,maybe,2023-04-02\n\
                    e3,c3,N,2023-04-03\n";
        let m = compute_from(text, Rules::default());
        assert_eq!(export(&m, "all", "month", "2023-04", "episodes").as_deref(), Some("3"));
        assert_eq!(export(&m, "looked_after", "month", "2023-04", "episodes").as_deref(), Some("1"));
        assert_eq!(export(&m, "not_looked_after", "month", "2023-04", "episodes").as_deref(), Some("1"));
        // No end, episode type or interview columns: those metrics are not exported.
        assert_eq!(export(&m, "all", "month", "2023-04", "episodes_open"), None);
        assert_eq!(export(&m, "all", "month", "2023-04", "absences"), None);
        assert_eq!(export(&m, "all", "month", "2023-04", "pct_rhi_accepted"), None);
        assert_eq!(export(&m, "all", "month", "2023-04", "episodes_per_child").as_deref(), Some("1"));
    }

    fn breakdown(m: &Metrics, kind: &str, period: &str, dimension: &str, category: &str, metric: &str) -> Option<String> {
        m.rows
            .iter()
            .find(|r| {
                r.cohort == Cohort::All
                    && r.period_kind.id() == kind
                    && r.period == period
                    && r.dimension == dimension
                    && r.category == category
                    && r.metric.id() == metric
            })
            .map(|r| r.value.export_text())
    }

    #[test]
    fn an_episode_with_several_reasons_counts_under_each() {
        let text = "episode_id,child_id,looked_after,start,reason\n\
                    e1,c1,Y,2023-04-01,with_friends; CSE\n\
                    e2,c1,Y,2023-04-05,cse\n\
                    e3,c2,N,2023-04-07,\n";
        let m = compute_from(text, Rules::default());
        assert_eq!(breakdown(&m, "month", "2023-04", "reason", "cse", "episodes").as_deref(), Some("2"));
        assert_eq!(breakdown(&m, "month", "2023-04", "reason", "cse", "children").as_deref(), Some("1"));
        assert_eq!(breakdown(&m, "month", "2023-04", "reason", "with_friends", "episodes").as_deref(), Some("1"));
        assert_eq!(breakdown(&m, "month", "2023-04", "reason", "not_recorded", "episodes").as_deref(), Some("1"));
    }

    #[test]
    fn age_is_taken_at_each_start_across_a_birthday_and_a_leap_day() {
        let text = "episode_id,child_id,looked_after,start,date_of_birth\n\
                    e1,c1,Y,2023-04-14 23:00,2007-04-15\n\
                    e2,c1,Y,2023-04-15 00:30,2007-04-15\n\
                    e3,c2,Y,2023-02-28 10:00,2007-02-28\n\
                    e4,c3,Y,2023-02-28 10:00,2007-02-29\n\
                    e5,c4,Y,2023-02-28 10:00,2008-02-29\n\
                    e6,c4,Y,2023-03-01 10:00,2008-02-29\n";
        let m = compute_from(text, Rules::default());
        let age = |period: &str, band: &str| breakdown(&m, "year", period, "age_band", band, "children");
        // c1 turns 16 between its two episodes: once in each band, once in the year.
        assert_eq!(age("2023-24", "13_15").as_deref(), Some("1"));
        assert_eq!(age("2023-24", "16_17").as_deref(), Some("1"));
        assert_eq!(breakdown(&m, "year", "2023-24", "all", "all", "children").as_deref(), Some("1"));
        // 2007-02-29 does not exist: its date of birth is unreadable, so the age is unknown.
        // c2 turns 16 on 28 February; c4 (born 29 February 2008) turns 15 on 1 March 2023.
        assert_eq!(age("2022-23", "16_17").as_deref(), Some("1"));
        assert_eq!(age("2022-23", "unknown").as_deref(), Some("1"));
        assert_eq!(breakdown(&m, "month", "2023-02", "age_band", "13_15", "children").as_deref(), Some("1"));
        assert_eq!(breakdown(&m, "month", "2023-03", "age_band", "13_15", "children").as_deref(), Some("1"));
        assert_eq!(breakdown(&m, "month", "2023-02", "age_band", "16_17", "children").as_deref(), Some("1"));
    }

    #[test]
    fn repeat_trigger_counts_runs_within_the_window_even_if_they_start_earlier() {
        // c1: 1 Jan, 1 Feb, 1 Apr 2023 = 90 days: met in April.
        // c2: 1 Jan, 1 Feb, 2 Apr 2023 = 91 days: not met.
        // c3: 20 Mar, 25 Mar (2022-23) and 5 Apr (2023-24): met in 2023-24 Q1.
        let text = "episode_id,child_id,looked_after,start\n\
                    a1,c1,Y,2023-01-01\na2,c1,Y,2023-02-01\na3,c1,Y,2023-04-01\n\
                    b1,c2,Y,2023-01-01\nb2,c2,Y,2023-02-01\nb3,c2,Y,2023-04-02\n\
                    d1,c3,N,2023-03-20\nd2,c3,N,2023-03-25\nd3,c3,N,2023-04-05\n";
        let m = compute_from(text, Rules::default());
        assert_eq!(breakdown(&m, "month", "2023-04", "all", "all", "children_repeat").as_deref(), Some("2"));
        assert_eq!(breakdown(&m, "quarter", "2022-23 Q4", "all", "all", "children_repeat").as_deref(), Some("0"));
        assert_eq!(breakdown(&m, "quarter", "2023-24 Q1", "all", "all", "children_repeat").as_deref(), Some("2"));
        assert_eq!(breakdown(&m, "quarter", "2023-24 Q1", "all", "all", "children_repeat_30d").as_deref(), Some("1"));
        let m = compute_from(text, Rules { repeat: crate::config::RepeatRule { episodes: 3, days: 91 }, ..Rules::default() });
        assert_eq!(breakdown(&m, "month", "2023-04", "all", "all", "children_repeat").as_deref(), Some("3"));
    }

    #[test]
    fn top_share_with_fewer_children_than_n_is_every_episode() {
        let text = "episode_id,child_id,looked_after,start\n\
                    e1,c1,Y,2023-04-01\ne2,c1,Y,2023-04-02\ne3,c2,Y,2023-04-03\ne4,c3,N,2023-04-04\n";
        let m = compute_from(text, Rules::default());
        assert_eq!(breakdown(&m, "month", "2023-04", "all", "all", "top20_share").as_deref(), Some("100"));
        let m = compute_from(text, Rules { top_n: 1, ..Rules::default() });
        assert_eq!(breakdown(&m, "month", "2023-04", "all", "all", "top20_share").as_deref(), Some("50"));
        assert_eq!(breakdown(&m, "month", "2023-04", "episodes_per_child", "2", "children").as_deref(), Some("1"));
        assert_eq!(breakdown(&m, "month", "2023-04", "episodes_per_child", "1", "children").as_deref(), Some("2"));
    }

    #[test]
    fn comparisons_give_changes_against_the_previous_period_and_a_year_earlier() {
        let text = "episode_id,child_id,looked_after,start\n\
                    e1,c1,Y,2022-04-01\ne2,c2,Y,2022-05-01\ne3,c3,Y,2023-04-01\ne4,c4,Y,2023-04-02\ne5,c5,Y,2023-04-03\n\
                    e6,c6,Y,2023-05-01\n";
        let m = compute_from(text, Rules::default());
        let april = m.periods.iter().find(|p| p.kind == PeriodKind::Month && p.label == "2023-04").unwrap();
        let c = m.compare(Cohort::All, april, Metric::Episodes);
        assert_eq!(c.value, Some(Value::Count(3)));
        let year = c.year_earlier.unwrap();
        assert_eq!((year.from, year.to, year.absolute), (1.0, 3.0, 2.0));
        assert_eq!(year.percent, Some(200.0));
        // March 2023 had no episodes: a change from 0 has no percentage.
        let previous = c.previous_period.unwrap();
        assert_eq!((previous.from, previous.percent), (0.0, None));
    }

    #[test]
    fn report_windows_follow_the_period_end() {
        let windows = ReportWindows::new(YearMonth::new(2024, 11), ReportingYear { start_month: 4 });
        assert_eq!(windows.year_to_date, Window::new(YearMonth::new(2024, 4), YearMonth::new(2024, 11)));
        assert!(windows.partial_year);
        assert_eq!(windows.quarters.len(), 3);
        assert_eq!(windows.quarters[2], Window::new(YearMonth::new(2024, 10), YearMonth::new(2024, 11)));
        assert_eq!(windows.rolling12.first, YearMonth::new(2023, 12));
        assert_eq!(last_complete_month(YearMonth::new(2025, 4), YearMonth::new(2022, 4)), YearMonth::new(2025, 3));
    }
}
