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
