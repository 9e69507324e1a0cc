//! The paper's view of statistical process control: for each charted series
//! its latest month, average, normal range, reading in words and the
//! Making Data Count icons (variation and assurance) a template draws, and
//! the same as the table `spc` for tables.xlsx and tables/spc.csv.

use serde::Serialize;

use super::figures::Numbers;
use super::table::Table;
use crate::charts::spc_chart_name;
use crate::format::capitalise;
use crate::metrics::{Assurance, Better, Direction, Metrics, SpcSeries, Variation, SPC_MIN_VALUES};
use crate::signals;

/// One charted series as the paper reads it (all text already in words).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpcSummary {
    /// The chart's name (`spc_all_episodes`).
    pub chart: String,
    pub cohort: &'static str,
    pub metric: &'static str,
    /// `Missing episodes, all children`.
    pub title: String,
    /// `March 2025`; empty when the series has no month.
    pub month: String,
    /// The latest month's value as printed (`72`, `77.8%`).
    pub value: String,
    /// The average and the normal range (`between 14 and 192`); empty without limits.
    pub mean: String,
    pub range: String,
    /// `outside`, `trend`, `two_in_three`, `shift`; null for none.
    pub signal: Option<&'static str>,
    /// `common_cause`, `improvement`, `concern`, `neutral`; null without limits.
    pub variation: Option<&'static str>,
    /// The variation icon: `common_cause`, `improvement_high`, `improvement_low`,
    /// `concern_high`, `concern_low`, `neutral_high`, `neutral_low`, or `none`.
    pub icon: String,
    /// The variation in a few words (`Concern: below the lower limit`).
    pub variation_words: String,
    /// The latest month in a sentence (the chart's alt text says the same).
    pub reading: String,
    /// The target as printed, when one is set.
    pub target: Option<String>,
    /// `pass`, `fail`, `hit_and_miss`; null with no target.
    pub assurance: Option<&'static str>,
    pub assurance_words: String,
}

/// `improvement_high`: the variation and the way the signal points.
fn icon(series: &SpcSeries) -> String {
    let Some(point) = series.latest() else { return "none".into() };
    match (point.variation, point.signal) {
        (None, _) => "none".into(),
        (Some(Variation::CommonCause), _) | (_, None) => "common_cause".into(),
        (Some(variation), Some((_, direction))) => {
            format!("{}_{}", variation.id(), if direction == Direction::Up { "high" } else { "low" })
        }
    }
}

fn assurance_words(assurance: Option<Assurance>, target: Option<f64>) -> &'static str {
    match (assurance, target) {
        (Some(Assurance::Pass), _) => "Met every month, as things stand",
        (Some(Assurance::Fail), _) => "Missed every month without a change",
        (Some(Assurance::HitAndMiss), _) => "Hit and miss",
        (None, Some(_)) => "Not judged (under 12 months)",
        (None, None) => "No target",
    }
}

/// Every charted series, in `Metrics::spc` order.
pub(super) fn summaries(metrics: &Metrics, numbers: Numbers) -> Vec<SpcSummary> {
    let decimals = numbers.decimals;
    metrics
        .spc
        .iter()
        .map(|series| {
            let point = series.latest();
            let value = |v: f64| signals::value_text(series.metric, v, decimals);
            let limits = point.and_then(|p| p.limits);
            let variation_words = match point.and_then(|p| p.variation.zip(Some(p.signal))) {
                None => format!("No limits yet (fewer than {SPC_MIN_VALUES} months)"),
                Some((Variation::CommonCause, _)) => "Normal variation".into(),
                Some((variation, signal)) => {
                    let kind = signal.map(|(s, d)| signals::signal_words(s, d)).unwrap_or_default();
                    let name = match variation {
                        Variation::Improvement => "Improvement",
                        Variation::Concern => "Concern",
                        _ => "Signal",
                    };
                    format!("{name}: {kind}")
                }
            };
            SpcSummary {
                chart: spc_chart_name(series),
                cohort: series.cohort.id(),
                metric: series.metric.id(),
                title: signals::series_name(series),
                month: point.map(|p| p.month.long_name()).unwrap_or_default(),
                // A month other than the period end (no value since) says which month it is.
                value: point
                    .map(|p| {
                        if p.month == metrics.windows.period_end {
                            value(p.value)
                        } else {
                            format!("{} ({})", value(p.value), p.month.short_name())
                        }
                    })
                    .unwrap_or_default(),
                mean: limits.map(|l| value(l.mean)).unwrap_or_default(),
                range: point.and_then(|p| signals::usual_range(series, p, decimals)).unwrap_or_default(),
                signal: point.and_then(|p| p.signal).map(|(s, _)| s.id()),
                variation: point.and_then(|p| p.variation).map(Variation::id),
                icon: icon(series),
                variation_words,
                reading: signals::latest_reading(series, decimals)
                    .map(|r| capitalise(&r) + ".")
                    .unwrap_or_else(|| format!("Fewer than {SPC_MIN_VALUES} months with a value: no limits yet.")),
                target: series.target.map(|t| match series.better {
                    Better::Lower => format!("at most {}", value(t)),
                    _ => format!("at least {}", value(t)),
                }),
                assurance: series.assurance.map(Assurance::id),
                assurance_words: assurance_words(series.assurance, series.target).into(),
            }
        })
        .collect()
}

/// The same as a table: one row per series.
pub(super) fn table(summaries: &[SpcSummary], month: &str) -> Table {
    // Target and assurance only when a series has a target, as the paper prints it.
    let targets = summaries.iter().any(|s| s.target.is_some());
    let columns = ["Measure", month, "Average", "Normal range", "What the chart shows", "Target", "Assurance"];
    let shown = if targets { 7 } else { 5 };
    let mut table =
        Table::new("spc", "Signal or normal variation: the latest month", columns[..shown].iter().map(|c| c.to_string()).collect());
    for s in summaries {
        let range = if s.range.is_empty() { String::new() } else { capitalise(&s.range) };
        let cells = [
            s.value.clone(),
            s.mean.clone(),
            range,
            s.variation_words.clone(),
            s.target.clone().unwrap_or_else(|| "none".into()),
            s.assurance_words.clone(),
        ];
        let cells = cells[..shown - 1].to_vec();
        table.row(s.title.clone(), cells, s.metric.starts_with("pct_"));
    }
    let table = table.note("Average and normal range (the process limits) from the months charted (or the baseline months set), as NHS England's Making Data Count method sets them: a month outside the range, 7 in a row on one side of the average, 7 rising or falling one after another, or 2 of 3 close to a limit is a signal; anything else is normal variation, not a change in performance.")
;
    if summaries.iter().any(|s| s.target.is_some()) {
        table.note("Assurance compares the target with the normal range: met every month when the whole range is on the right side of it, hit and miss when the target lies within it, missed every month without a change in the service when the whole range is on the wrong side.")
    } else {
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{Cohort, Limits, Metric, Signal, SpcPoint};
    use crate::period::YearMonth;

    #[test]
    fn the_icon_names_the_variation_and_the_way_the_signal_points() {
        let limits = Limits { mean: 10.0, lower: 4.0, upper: 16.0, near_lower: 6.0, near_upper: 14.0 };
        let point = |signal: Option<(Signal, Direction)>, better| SpcPoint {
            month: YearMonth::new(2025, 3),
            value: 17.0,
            limits: Some(limits),
            signal,
            variation: Some(Variation::of(signal, better)),
        };
        let series = |p: SpcPoint, better| SpcSeries {
            cohort: Cohort::All,
            metric: Metric::Episodes,
            better,
            target: Some(12.0),
            assurance: Assurance::of(&limits, 12.0, better),
            points: vec![p],
        };
        let up = Some((Signal::Outside, Direction::Up));
        assert_eq!(icon(&series(point(up, Better::Lower), Better::Lower)), "concern_high");
        assert_eq!(icon(&series(point(up, Better::Higher), Better::Higher)), "improvement_high");
        assert_eq!(icon(&series(point(None, Better::Lower), Better::Lower)), "common_cause");
        assert_eq!(icon(&series(point(Some((Signal::Shift, Direction::Down)), Better::Neutral), Better::Neutral)), "neutral_low");
        let s = series(point(up, Better::Lower), Better::Lower);
        assert_eq!(s.assurance, Some(Assurance::HitAndMiss));
        assert_eq!(assurance_words(s.assurance, s.target), "Hit and miss");
    }
}
