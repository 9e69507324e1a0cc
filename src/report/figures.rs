//! Figures as a paper prints them: counts with separators, rates to one
//! decimal place, changes in per cent or percentage points, category ids as
//! words (`labels`). Every table, card and sentence of the report formats through here.

use crate::format::thousands;
use crate::metrics::{Change, Metric, Value};

/// Shown wherever a metric's input columns are missing from the data.
pub const NOT_RECORDED: &str = "not recorded";
/// Shown for a period not yet reached or a rate with no denominator.
pub const NO_VALUE: &str = "–";

/// A value as printed: counts with separators, rates to one decimal place.
pub fn format_value(metric: Metric, value: Option<Value>) -> String {
    match value {
        None => NOT_RECORDED.into(),
        Some(Value::Count(n)) => thousands(n),
        Some(Value::Rate(None)) => NO_VALUE.into(),
        Some(Value::Suppressed) => "c".into(),
        Some(Value::Rate(Some(r))) if metric == Metric::EpisodesPerChild => format!("{r:.1}"),
        Some(Value::Rate(Some(r))) => format!("{r:.1}%"),
    }
}

/// The change from `from` to `to`: counts as a number and a percentage of
/// `from`; percentages in percentage points. Computed from unrounded values
/// (`Change::between`); with the direction, for arrows, never for judging
/// good or bad.
pub fn change_text(metric: Metric, from: Option<Value>, to: Option<Value>) -> (String, &'static str) {
    let Some(change) = Change::between(metric, from, to) else {
        return (NO_VALUE.into(), "none");
    };
    let diff = change.absolute;
    let direction = if diff.abs() < 1e-9 {
        "same"
    } else if diff > 0.0 {
        "up"
    } else {
        "down"
    };
    let sign = if diff > 0.0 {
        "+"
    } else if diff < 0.0 {
        "−"
    } else {
        ""
    };
    let text = match (metric, change.percent) {
        (Metric::EpisodesPerChild, _) => format!("{sign}{:.1}", diff.abs()),
        _ if change.is_rate => format!("{sign}{:.1} pts", diff.abs()),
        (_, None) => format!("{sign}{}", thousands(diff.abs() as u64)),
        (_, Some(percent)) => format!("{sign}{} ({sign}{:.1}%)", thousands(diff.abs() as u64), percent.abs()),
    };
    (if direction == "same" { "no change".into() } else { text }, direction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_use_percent_for_counts_and_points_for_rates() {
        let count = |n| Some(Value::Count(n));
        let rate = |r| Some(Value::Rate(Some(r)));
        assert_eq!(change_text(Metric::Children, count(233), count(288)), ("+55 (+23.6%)".to_string(), "up"));
        assert_eq!(change_text(Metric::Episodes, count(1567), count(1166)), ("−401 (−25.6%)".to_string(), "down"));
        assert_eq!(change_text(Metric::PctRhiAccepted, rate(56.5), rate(77.7)), ("+21.2 pts".to_string(), "up"));
        assert_eq!(change_text(Metric::Episodes, count(5), count(5)), ("no change".to_string(), "same"));
        assert_eq!(change_text(Metric::Episodes, count(0), count(5)), ("+5".to_string(), "up"));
        assert_eq!(change_text(Metric::EpisodesPerChild, rate(2.5), rate(2.0)), ("−0.5".to_string(), "down"));
        assert_eq!(change_text(Metric::PctRhiAccepted, rate(50.0), Some(Value::Rate(None))).1, "none");
        assert_eq!(change_text(Metric::Episodes, Some(Value::Suppressed), count(5)).1, "none");
    }
}
