//! The metrics stage: every figure of the export and of the report's
//! windows, computed once from the episode frame into `Metrics`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use anyhow::{bail, Context, Result};
use polars::prelude::*;

use super::breakdown::{breakdown_rows, BreakdownRow};
use super::catalogue::{Cohort, Metric, Totals, Value};
use super::dimension::Dimension;
use super::engine;
use super::export::{self, MetricRow};
use super::spc::{self, SpcSeries, SpcSettings};
use super::target::Target;
use super::windows::{export_windows, last_complete_month, Period, ReportWindows, Window};
use crate::ingest::Episodes;
use crate::period::{ReportingYear, YearMonth};
use crate::reasons::ReasonVocabulary;
use crate::rules::CountingRules;

/// What the metrics stage needs besides the episodes.
#[derive(Debug, Clone)]
pub struct MetricsContext {
    pub rules: CountingRules,
    pub year: ReportingYear,
    /// The last month the report covers; `None`: the last complete month in the data.
    pub period_end: Option<YearMonth>,
    /// Breakdown counts from 1 to threshold - 1 are suppressed; 0 = off.
    pub suppression_threshold: u32,
    /// The first and last months of the extract this table is part of (an
    /// authority's share of a regional extract): the months counted run
    /// over these too, so a month with none of its episodes is a month of
    /// zeros rather than outside its data. `None`: the table's own months.
    pub extract_months: Option<(YearMonth, YearMonth)>,
    /// The `spc:` section: months charted, baseline, rebase months.
    pub spc: SpcSettings,
    /// Targets and better directions set in the configuration (SPC variation and assurance).
    pub targets: BTreeMap<Metric, Target>,
}

impl MetricsContext {
    /// The defaults with `rules`: a year from April, the period ending with
    /// the data, no suppression, the default SPC and no targets (tests and
    /// benchmarks).
    pub fn with_rules(rules: CountingRules) -> Self {
        MetricsContext {
            rules,
            year: ReportingYear { start_month: 4 },
            period_end: None,
            suppression_threshold: 0,
            extract_months: None,
            spc: SpcSettings::default(),
            targets: BTreeMap::new(),
        }
    }
}

/// Everything the later stages need, computed once.
#[derive(Debug, Clone)]
pub struct Metrics {
    /// The export's periods (every month, quarter, year and rolling year in
    /// the data, or those `keep_periods_ending` kept); `export_rows` makes
    /// the rows, sorted as METRICS.md requires (suppression applied).
    pub periods: Vec<Period>,
    pub first_month: YearMonth,
    pub last_month: YearMonth,
    pub year: ReportingYear,
    pub rules: CountingRules,
    pub suppression_threshold: u32,
    pub windows: ReportWindows,
    /// Metrics the input has the columns for.
    pub available: BTreeSet<Metric>,
    /// Dimensions the input has the columns for.
    pub dimensions: Vec<Dimension>,
    /// The reason codes of the `reason` breakdown and the label each prints as.
    pub reasons: ReasonVocabulary,
    /// Categories of a dimension the input has only in part (one of the
    /// exploitation pair): not computed, printed as "not recorded".
    pub unrecorded: BTreeMap<Dimension, Vec<&'static str>>,
    /// The statistical process control series (METRICS.md), one per cohort and metric charted.
    pub spc: Vec<SpcSeries>,
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

    /// Keeps only the export rows of periods ending with `month`: that
    /// month, the quarter and year ending with it, and the rolling twelve
    /// months to it (`metrics --period`).
    pub fn keep_periods_ending(&mut self, month: YearMonth) {
        self.periods.retain(|p| p.window.last == month);
    }

    /// The rows of the export in METRICS.md's order, made when asked for (a
    /// build makes them beside the paper, which does not use them).
    pub fn export_rows(&self) -> Vec<MetricRow> {
        let mut rows = Vec::new();
        for cohort in Cohort::ALL {
            for Period { kind, label, window } in &self.periods {
                let t = &self.totals[&(cohort, *window)];
                let row = |dimension: &str, category: &str, metric: Metric, value: Value| MetricRow {
                    cohort,
                    period_kind: *kind,
                    period: label.clone(),
                    dimension: dimension.into(),
                    category: category.into(),
                    metric,
                    value,
                };
                for metric in &self.available {
                    rows.push(row("all", "all", *metric, metric.value(t)));
                }
                for dimension in &self.dimensions {
                    let Some(cells) = self.breakdowns.get(&(cohort, *window, *dimension)) else { continue };
                    for cell in cells {
                        rows.push(row(dimension.id(), &cell.category, Metric::Children, cell.children));
                        if let Some(episodes) = cell.episodes {
                            rows.push(row(dimension.id(), &cell.category, Metric::Episodes, episodes));
                        }
                    }
                }
            }
        }
        export::sort_rows(&mut rows);
        rows
    }

    /// Writes the export as CSV; how many rows it has.
    pub fn write_csv(&self, out: impl Write) -> Result<usize> {
        let rows = self.export_rows();
        export::write_csv(&rows, out)?;
        Ok(rows.len())
    }

    /// Writes the export as JSON lines, one object per row, in the same order as the CSV; how many rows it has.
    pub fn write_jsonl(&self, out: impl Write) -> Result<usize> {
        let rows = self.export_rows();
        export::write_jsonl(&rows, out)?;
        Ok(rows.len())
    }

    /// `spc.csv` as bytes.
    pub fn spc_csv_bytes(&self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        spc::write_csv(&self.spc, &mut out)?;
        Ok(out)
    }

    /// The SPC series of a cohort's metric, when it is charted.
    pub fn spc_series(&self, cohort: Cohort, metric: Metric) -> Option<&SpcSeries> {
        self.spc.iter().find(|s| s.cohort == cohort && s.metric == metric)
    }

    /// The export as CSV bytes.
    pub fn to_csv_bytes(&self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.write_csv(&mut out)?;
        Ok(out)
    }

    /// A breakdown for a computed window, suppressed as configured.
    pub fn breakdown(&self, cohort: Cohort, window: Window, dimension: Dimension) -> Option<&[BreakdownRow]> {
        self.breakdowns.get(&(cohort, window, dimension)).map(Vec::as_slice)
    }
}

/// Computes every figure: the export and the report's windows.
pub fn compute(episodes: &Episodes, context: &MetricsContext) -> Result<Metrics> {
    let (mut first_month, mut last_month, latest) = data_span(&episodes.frame)?;
    if let Some((first, last)) = context.extract_months {
        (first_month, last_month) = (first_month.min(first), last_month.max(last));
    }
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
        // The month before the extract date when one is set (the extract is complete to it), within the data.
        None => match context.rules.extract_date {
            Some(extracted) => YearMonth::of(extracted).plus(-1).min(last_month).max(first_month),
            None => last_complete_month(latest, first_month),
        },
    };
    let report_windows = ReportWindows::new(period_end, context.year);
    let exported = export_windows(first_month, last_month, context.year);
    let mut windows: Vec<Window> = exported.iter().map(|(_, _, w)| *w).collect();
    windows.extend(report_windows.all());
    windows.sort();
    windows.dedup();

    let available: BTreeSet<Metric> = Metric::ALL.into_iter().filter(|m| m.needs().iter().all(|f| episodes.has(*f))).collect();
    let dimensions: Vec<Dimension> = Dimension::ALL.into_iter().filter(|d| d.available(|f| episodes.has(f))).collect();
    let computed = engine::compute(&episodes.frame, &context.rules, &windows, &dimensions)?;
    let mut totals = BTreeMap::new();
    for cohort in Cohort::ALL {
        for window in &windows {
            totals.insert((cohort, *window), computed.totals.get(&(cohort, *window)).copied().unwrap_or_default());
        }
    }

    // Breakdown tables for every window, every category listed (zeros
    // included), then suppressed window by window across the cohorts.
    let reasons: BTreeSet<String> =
        computed.cells.keys().filter(|(_, _, d, _)| *d == Dimension::Reason).map(|(_, _, _, c)| c.clone()).collect();
    let threshold = context.suppression_threshold;
    let mut breakdowns = BTreeMap::new();
    let mut unrecorded = BTreeMap::new();
    for dimension in &dimensions {
        let mut categories = dimension.categories(&context.rules).unwrap_or_else(|| reasons.iter().cloned().collect());
        if let Some((counted, not_recorded)) = dimension.partial(|f| episodes.has(f)) {
            categories = vec![counted.to_string()];
            unrecorded.insert(*dimension, not_recorded.to_vec());
        }
        for window in &windows {
            for (cohort, rows) in breakdown_rows(*dimension, &categories, *window, &totals, &computed.cells, threshold) {
                breakdowns.insert((cohort, *window, *dimension), rows);
            }
        }
    }

    let spc = spc::series(
        &context.spc,
        &context.targets,
        report_windows.period_end,
        first_month,
        |metric| available.contains(&metric),
        |cohort, metric, window| totals.get(&(cohort, window)).and_then(|t| metric.value(t).as_f64()),
    );

    let periods = exported.into_iter().map(|(kind, label, window)| Period { kind, label, window }).collect();
    Ok(Metrics {
        periods,
        first_month,
        last_month,
        year: context.year,
        rules: context.rules.clone(),
        suppression_threshold: threshold,
        windows: report_windows,
        available,
        dimensions,
        reasons: episodes.reasons.clone(),
        unrecorded,
        spc,
        totals,
        breakdowns,
    })
}

/// First and last month with an episode, and the month of the latest recorded time.
pub(super) fn data_span(frame: &DataFrame) -> Result<(YearMonth, YearMonth, YearMonth)> {
    let span = frame
        .clone()
        .lazy()
        .select([
            col("start").min().cast(DataType::Int64).alias("first"),
            col("start").max().cast(DataType::Int64).alias("last"),
            col("end").max().cast(DataType::Int64).alias("last_end"),
            col("rhi_completed").max().cast(DataType::Int64).alias("last_rhi"),
        ])
        .collect();
    let span = Context::context(span, "finding the months the data covers")?;
    // The earliest and latest times, then their months (not a month per row).
    let get = |name: &str| -> Result<Option<i32>> { Ok(span.column(name)?.i64()?.get(0).map(|t| YearMonth::of_millis(t).0)) };
    let (Some(first), Some(last)) = (get("first")?, get("last")?) else {
        bail!("no episodes to count");
    };
    let latest = [Some(last), get("last_end")?, get("last_rhi")?].into_iter().flatten().max().unwrap_or(last);
    Ok((YearMonth(first), YearMonth(last), YearMonth(latest)))
}
