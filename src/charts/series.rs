//! Values over the months a chart shows, read from `Metrics` (never
//! recomputed): the 24 months to the period end that the data covers, a
//! point per month, and the table of them published beside the chart.

use super::chart::{ChartData, Point};
use crate::metrics::{Cohort, Metric, Metrics, Window};
use crate::period::YearMonth;

/// The window of one month.
pub fn single(month: YearMonth) -> Window {
    Window::new(month, month)
}

/// The twelve months to `month`.
pub fn rolling(month: YearMonth) -> Window {
    Window::new(month.plus(-11), month)
}

/// `Apr 2022 to Mar 2024`.
pub fn span(months: &[YearMonth]) -> String {
    match (months.first(), months.last()) {
        (Some(first), Some(last)) => format!("{} to {}", first.short_name(), last.short_name()),
        _ => "no months".into(),
    }
}

/// The label at the end of a line: its last value, with the month when that
/// is not the last month shown (`72% (Jan 25)`).
pub fn label_at(value: f64, months: &[YearMonth], index: usize, percent: bool) -> String {
    let text = super::axes::value_text(value, percent);
    if index + 1 == months.len() {
        text
    } else {
        format!("{text} ({})", super::axes::month_label(months[index]))
    }
}

/// How many months a trend chart spans.
pub const SPAN: i32 = 24;

/// The months to the period end, at most `SPAN`, whose window (from
/// `window_of`) lies within the data.
pub fn months(metrics: &Metrics, window_of: impl Fn(YearMonth) -> Window) -> Vec<YearMonth> {
    let end = metrics.windows.period_end;
    Window::new(end.plus(1 - SPAN), end).months().filter(|m| metrics.covers(window_of(*m))).collect()
}

/// A point per month: `metric` for `cohort` over each month's window.
pub fn points(
    metrics: &Metrics,
    cohort: Cohort,
    metric: Metric,
    months: &[YearMonth],
    window_of: impl Fn(YearMonth) -> Window,
) -> Vec<Point> {
    months.iter().map(|m| Point::of(metrics.value(cohort, window_of(*m), metric))).collect()
}

/// Month (`2024-03`) and one column per series.
pub fn month_table(months: &[YearMonth], series: &[(&str, &[Point], bool)]) -> ChartData {
    let mut columns = vec!["Month".to_string()];
    columns.extend(series.iter().map(|(name, _, _)| name.to_string()));
    let rows = months
        .iter()
        .enumerate()
        .map(|(i, month)| {
            let mut row = vec![month.label()];
            row.extend(series.iter().map(|(_, points, percent)| points[i].text(*percent)));
            row
        })
        .collect();
    ChartData { columns, rows }
}

/// The values of `points`, `None` where there is none to draw.
pub fn values(points: &[Point]) -> Vec<Option<f64>> {
    points.iter().map(|p| p.value()).collect()
}

/// The largest value among `series`.
pub fn largest(series: &[&[Point]]) -> f64 {
    series.iter().flat_map(|s| s.iter().filter_map(|p| p.value())).fold(0.0, f64::max)
}

/// The sentence a caption adds when a chart hides small numbers.
pub fn hidden_note(points: &[&[Point]], threshold: u32) -> String {
    if points.iter().any(|s| s.contains(&Point::Hidden)) {
        format!(
            " Counts from 1 to {} are not shown (marked c in the data), so that no child can be identified.",
            threshold.saturating_sub(1)
        )
    } else {
        String::new()
    }
}
