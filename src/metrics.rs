//! Turns episodes into the figures of METRICS.md with polars lazy queries.
//!
//! Every window (a month, quarter, year, rolling twelve months, or a window
//! the report needs such as "April to September") is a run of whole months.
//! Episodes are first reduced to one row per cohort, child and month; each
//! window then gathers its months, so a child is counted once over the whole
//! window, never once per month.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use anyhow::{bail, Context, Result};
use polars::prelude::*;

use crate::config::Rules;
use crate::ingest::{Episodes, Field};
use crate::period::{ReportingYear, YearMonth};

/// What the metrics stage needs besides the episodes.
#[derive(Debug, Clone, Copy)]
pub struct MetricsContext {
    pub rules: Rules,
    pub year: ReportingYear,
    /// The last month the report covers; `None`: the last complete month in the data.
    pub period_end: Option<YearMonth>,
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
    fn from_id(id: &str) -> Option<Self> {
        Cohort::ALL.into_iter().find(|c| c.id() == id)
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
}

/// A metric's value: a count, or a percentage that is empty when its denominator is 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Count(u64),
    Rate(Option<f64>),
}

impl Value {
    pub fn as_f64(self) -> Option<f64> {
        match self {
            Value::Count(n) => Some(n as f64),
            Value::Rate(r) => r,
        }
    }
    /// The export's text: integers for counts, full precision for rates, empty for no value.
    pub fn export_text(self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Rate(Some(r)) => r.to_string(),
            Value::Rate(None) => String::new(),
        }
    }
}

fn ratio(numerator: u64, denominator: u64, scale: f64) -> Value {
    Value::Rate((denominator > 0).then(|| numerator as f64 * scale / denominator as f64))
}

impl Metric {
    pub const ALL: [Metric; 18] = [
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
        }
    }

    pub fn is_rate(self) -> bool {
        matches!(self.value(&Totals::default()), Value::Rate(_))
    }

    /// Input columns the metric needs beyond the required ones.
    pub fn needs(self) -> &'static [Field] {
        match self {
            Metric::Episodes | Metric::Children | Metric::EpisodesPerChild => &[],
            Metric::Absences => &[Field::EpisodeType],
            Metric::EpisodesOpen | Metric::EpisodesOver24h => &[Field::End],
            Metric::EpisodesRhiOffered | Metric::ChildrenRhiOffered | Metric::PctChildrenRhiOffered | Metric::PctEpisodesRhiOffered => {
                &[Field::RhiOffered]
            }
            Metric::EpisodesRhiAccepted | Metric::EpisodesRhiDeclined => &[Field::RhiOutcome],
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

/// Everything the later stages need, computed once.
#[derive(Debug, Clone)]
pub struct Metrics {
    /// The export, sorted as METRICS.md requires.
    pub rows: Vec<MetricRow>,
    pub first_month: YearMonth,
    pub last_month: YearMonth,
    pub year: ReportingYear,
    pub rules: Rules,
    pub report: ReportWindows,
    /// Metrics the input has the columns for.
    pub available: BTreeSet<Metric>,
    totals: BTreeMap<(Cohort, Window), Totals>,
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

    let computed = window_totals(&episodes.frame, &context.rules, &windows)?;
    let mut totals = BTreeMap::new();
    for cohort in Cohort::ALL {
        for window in &windows {
            totals.insert((cohort, *window), computed.get(&(cohort, *window)).copied().unwrap_or_default());
        }
    }
    let available: BTreeSet<Metric> =
        Metric::ALL.into_iter().filter(|m| m.needs().iter().all(|f| episodes.has(*f))).collect();

    let mut rows = Vec::new();
    for cohort in Cohort::ALL {
        for (kind, label, window) in &exported {
            let t = &totals[&(cohort, *window)];
            for metric in &available {
                rows.push(MetricRow {
                    cohort,
                    period_kind: *kind,
                    period: label.clone(),
                    dimension: "all".into(),
                    category: "all".into(),
                    metric: *metric,
                    value: metric.value(t),
                });
            }
        }
    }
    rows.sort_by(|a, b| {
        (a.cohort.id(), a.period_kind.id(), &a.period, &a.dimension, &a.category, a.metric.id())
            .cmp(&(b.cohort.id(), b.period_kind.id(), &b.period, &b.dimension, &b.category, b.metric.id()))
    });
    Ok(Metrics { rows, first_month, last_month, year: context.year, rules: context.rules, report, available, totals })
}

/// The last complete month: the month before the one holding the latest
/// recorded time (start, return or interview), since an extract taken on
/// 14 November holds half of November; never before the first month.
fn last_complete_month(latest: YearMonth, first: YearMonth) -> YearMonth {
    latest.plus(-1).max(first)
}

fn month_expr(column: &str) -> Expr {
    col(column).dt().year().cast(DataType::Int32) * lit(12) + col(column).dt().month().cast(DataType::Int32) - lit(1)
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

const COUNT_COLUMNS: [&str; 9] = ["ep", "abs", "open", "over24", "offered", "accepted", "declined", "completed", "within"];

/// Totals per (cohort, window) for the windows given, via one child-month table.
fn window_totals(frame: &DataFrame, rules: &Rules, windows: &[Window]) -> Result<BTreeMap<(Cohort, Window), Totals>> {
    const HOUR_MS: i64 = 3_600_000;
    let counted = if rules.include_absent { lit(true) } else { col("absent").not() };
    let as_count = |e: Expr| e.fill_null(lit(false)).cast(DataType::UInt32);
    let duration_ms = |to: &str, from: &str| col(to).cast(DataType::Int64) - col(from).cast(DataType::Int64);
    let flagged = frame.clone().lazy().select([
        col("child_id"),
        col("looked_after"),
        month_expr("start").alias("month"),
        as_count(counted.clone()).alias("ep"),
        as_count(col("absent")).alias("abs"),
        as_count(counted.clone().and(col("open"))).alias("open"),
        as_count(counted.clone().and(duration_ms("end", "start").gt(lit(24 * HOUR_MS)))).alias("over24"),
        as_count(counted.clone().and(col("rhi_offered").eq(lit(true)))).alias("offered"),
        as_count(counted.clone().and(col("rhi_outcome").eq(lit("accepted")))).alias("accepted"),
        as_count(counted.clone().and(col("rhi_outcome").eq(lit("declined")))).alias("declined"),
        as_count(counted.clone().and(col("rhi_completed").is_not_null())).alias("completed"),
        as_count(
            counted
                .and(col("rhi_completed").is_not_null())
                .and(col("end").is_not_null())
                .and(duration_ms("rhi_completed", "end").gt_eq(lit(0)))
                .and(duration_ms("rhi_completed", "end").lt_eq(lit(rules.rhi_timescale_hours as i64 * HOUR_MS))),
        )
        .alias("within"),
    ]);
    let cohort = |name: &str, filter: Option<bool>| {
        let lf = match filter {
            None => flagged.clone(),
            Some(value) => flagged.clone().filter(col("looked_after").eq(lit(value)).fill_null(lit(false))),
        };
        lf.with_column(lit(name).alias("cohort"))
    };
    let by_cohort = concat(
        [
            cohort(Cohort::All.id(), None),
            cohort(Cohort::LookedAfter.id(), Some(true)),
            cohort(Cohort::NotLookedAfter.id(), Some(false)),
        ],
        UnionArgs::default(),
    )?;
    let sums = |names: &[&str]| -> Vec<Expr> { names.iter().map(|n| col(*n).sum().alias(*n)).collect() };
    let counts = &COUNT_COLUMNS;
    let child_months = by_cohort.group_by([col("cohort"), col("child_id"), col("month")]).agg(sums(counts));

    // Which window each month belongs to (a month may belong to many).
    let mut months = Vec::new();
    let mut window_ids = Vec::new();
    for (id, window) in windows.iter().enumerate() {
        for month in window.months() {
            months.push(month.0);
            window_ids.push(id as u32);
        }
    }
    let membership = DataFrame::new(
        months.len(),
        vec![Column::new("month".into(), months), Column::new("window".into(), window_ids)],
    )?
    .lazy();

    let per_child = child_months
        .join(membership, [col("month")], [col("month")], JoinArgs::new(JoinType::Inner))
        .group_by([col("cohort"), col("window"), col("child_id")])
        .agg(sums(counts));
    let mut aggregates = sums(counts);
    let any = |n: &str| col(n).gt(lit(0)).cast(DataType::UInt32).sum();
    aggregates.push(any("ep").alias("children"));
    aggregates.push((col("ep").gt(lit(0)).and(col("offered").gt(lit(0)))).cast(DataType::UInt32).sum().alias("children_offered"));
    aggregates.push((col("ep").gt(lit(0)).and(col("completed").gt(lit(0)))).cast(DataType::UInt32).sum().alias("children_completed"));
    let result = per_child.group_by([col("cohort"), col("window")]).agg(aggregates).collect();
    let result = Context::context(result, "aggregating episodes into periods")?;

    let cohort_col = result.column("cohort")?.str()?.clone();
    let window_col = result.column("window")?.u32()?.clone();
    let number = |name: &str| -> Result<Vec<u64>> {
        let column = result.column(name)?.cast(&DataType::UInt64)?;
        Ok(column.u64()?.iter().map(|v| v.unwrap_or(0)).collect())
    };
    let [ep, abs, open, over24, offered, accepted, declined, completed, within, children, children_offered, children_completed] =
        ["ep", "abs", "open", "over24", "offered", "accepted", "declined", "completed", "within", "children", "children_offered", "children_completed"]
            .map(number);
    let (ep, abs, open, over24, offered, accepted, declined, completed, within) = (ep?, abs?, open?, over24?, offered?, accepted?, declined?, completed?, within?);
    let (children, children_offered, children_completed) = (children?, children_offered?, children_completed?);
    let mut out = BTreeMap::new();
    for i in 0..result.height() {
        let (Some(name), Some(window)) = (cohort_col.get(i), window_col.get(i)) else { continue };
        let cohort = Cohort::from_id(name).context("unknown cohort in aggregation")?;
        out.insert(
            (cohort, windows[window as usize]),
            Totals {
                episodes: ep[i],
                children: children[i],
                absences: abs[i],
                episodes_open: open[i],
                episodes_over_24h: over24[i],
                episodes_rhi_offered: offered[i],
                episodes_rhi_accepted: accepted[i],
                episodes_rhi_declined: declined[i],
                episodes_rhi_completed: completed[i],
                episodes_rhi_within_72h: within[i],
                children_rhi_offered: children_offered[i],
                children_rhi_completed: children_completed[i],
            },
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{read, InputFile};

    fn compute_from(csv: &str, rules: Rules) -> Metrics {
        let file = InputFile { name: "t.csv".into(), bytes: csv.as_bytes().to_vec() };
        let (episodes, _) = read(&[file], &rules).unwrap();
        let context = MetricsContext { rules, year: ReportingYear { start_month: 4 }, period_end: None };
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
