//! Figures as a paper prints them: counts with separators, rates to one
//! decimal place, changes in per cent or percentage points, category ids as
//! words. Every table, card and sentence of the report formats through here.

use crate::format::{capitalise, thousands};
use crate::metrics::{Change, Dimension, Metric, Value};

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

/// A category id as printed: `10_12` → `10 to 12`, `with_friends` → `With friends`.
pub fn category_label(dimension: Dimension, category: &str) -> String {
    let fixed = match (dimension, category) {
        (_, "under_24h") => "Under 24 hours",
        (_, "24_72h") => "24 to 72 hours",
        (_, "3_7_days") => "3 to 7 days",
        (_, "over_7_days") => "Over 7 days",
        (_, "open") => "Still missing",
        (_, "other_unknown") => "Other or not known",
        (_, "not_known") => "Not known",
        (_, "not_recorded") => "Not recorded",
        (_, "in_area") => "In area",
        (_, "out_of_area") => "Out of area",
        (Dimension::Exploitation, "both") => "CSE and CCE",
        (Dimension::Exploitation, "none") => "Neither",
        (_, "cse") => "CSE",
        (_, "cce") => "CCE",
        (_, "11_plus") => "11 or more",
        _ => "",
    };
    if !fixed.is_empty() {
        return fixed.to_string();
    }
    if let Some(age) = category.strip_prefix("under_") {
        return format!("Under {age}");
    }
    if let Some(age) = category.strip_suffix("_plus") {
        return format!("{age} and over");
    }
    if let Some((a, b)) = category.split_once('_') {
        if a.bytes().all(|c| c.is_ascii_digit()) && b.bytes().all(|c| c.is_ascii_digit()) {
            return format!("{a} to {b}");
        }
    }
    capitalise(&category.replace('_', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_ids_read_as_words() {
        assert_eq!(category_label(Dimension::AgeBand, "10_12"), "10 to 12");
        assert_eq!(category_label(Dimension::AgeBand, "under_10"), "Under 10");
        assert_eq!(category_label(Dimension::AgeBand, "18_plus"), "18 and over");
        assert_eq!(category_label(Dimension::Reason, "with_friends"), "With friends");
        assert_eq!(category_label(Dimension::Reason, "cse"), "CSE");
        assert_eq!(category_label(Dimension::Exploitation, "none"), "Neither");
        assert_eq!(category_label(Dimension::EpisodesPerChild, "6_10"), "6 to 10");
        assert_eq!(category_label(Dimension::DurationBand, "3_7_days"), "3 to 7 days");
    }

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
