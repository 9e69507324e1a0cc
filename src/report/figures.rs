//! Figures as a paper prints them: counts with separators, rates to the
//! configured decimal places, changes in per cent or percentage points,
//! `c` for a suppressed cell. Every table, card and sentence of the report
//! formats through `Numbers`, so a figure reads the same wherever it stands.

use crate::format::thousands;
use crate::metrics::{Change, Cohort, Metric, Metrics, Value, Window};

/// Shown wherever a metric's input columns are missing from the data.
pub const NOT_RECORDED: &str = "not recorded";
/// Shown for a period not yet reached or a rate with no denominator.
pub const NO_VALUE: &str = "–";
/// Shown for a window the data does not cover.
pub const NO_DATA: &str = "no data";
/// The GSS symbol for a confidential (suppressed) cell.
pub const SUPPRESSED: &str = "c";

/// How numbers are printed: percentages (and episodes per child) to
/// `decimals` places, counts whole with thousands separators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Numbers {
    pub decimals: usize,
}

impl Default for Numbers {
    fn default() -> Self {
        Numbers { decimals: 1 }
    }
}

impl Numbers {
    /// A value as printed: counts with separators, rates to `decimals` places.
    pub fn value(self, metric: Metric, value: Option<Value>) -> String {
        let d = self.decimals;
        match value {
            None => NOT_RECORDED.into(),
            Some(Value::Count(n)) => thousands(n),
            Some(Value::Rate(None)) => NO_VALUE.into(),
            Some(Value::Suppressed) => SUPPRESSED.into(),
            Some(Value::Rate(Some(r))) if metric == Metric::EpisodesPerChild => format!("{r:.d$}"),
            Some(Value::Rate(Some(r))) => format!("{r:.d$}%"),
        }
    }

    /// A metric of `cohort` over `window` as printed: "not recorded" when the
    /// input lacks its columns, "no data" when the data does not cover the window.
    pub fn cell(self, metrics: &Metrics, cohort: Cohort, window: Window, metric: Metric) -> String {
        if !metrics.available.contains(&metric) {
            NOT_RECORDED.into()
        } else if !metrics.covers(window) {
            NO_DATA.into()
        } else {
            self.value(metric, metrics.value(cohort, window, metric))
        }
    }

    /// The change in `metric` from `from` to `to` as printed, "–" when either is not covered.
    pub fn change_between(self, metrics: &Metrics, cohort: Cohort, metric: Metric, from: Window, to: Window) -> String {
        if !metrics.covers(from) || !metrics.covers(to) {
            return NO_VALUE.into();
        }
        self.change(metric, metrics.value(cohort, from, metric), metrics.value(cohort, to, metric)).0
    }

    /// A percentage (0-100) as printed.
    pub fn percent(self, value: f64) -> String {
        format!("{value:.0$}%", self.decimals)
    }

    /// The change from `from` to `to`: counts as a number and a percentage of
    /// `from`; percentages in percentage points. Computed from unrounded values
    /// (`Change::between`), so it can differ by one in the last place from the
    /// difference of the printed figures; a change that rounds to zero is
    /// printed without a sign. With the direction, for arrows, never for
    /// judging good or bad.
    pub fn change(self, metric: Metric, from: Option<Value>, to: Option<Value>) -> (String, &'static str) {
        let Some(change) = Change::between(metric, from, to) else {
            return (NO_VALUE.into(), "none");
        };
        let d = self.decimals;
        let diff = change.absolute;
        if diff.abs() < 1e-9 {
            return ("no change".into(), "same");
        }
        let direction = if diff > 0.0 { "up" } else { "down" };
        let signed = |magnitude: String| {
            let rounds_to_zero = magnitude.chars().all(|c| c == '0' || c == '.' || c == ',');
            if rounds_to_zero {
                magnitude
            } else if diff > 0.0 {
                format!("+{magnitude}")
            } else {
                format!("−{magnitude}")
            }
        };
        let text = match (metric, change.percent) {
            (Metric::EpisodesPerChild, _) => signed(format!("{:.d$}", diff.abs())),
            _ if change.is_rate => format!("{} pts", signed(format!("{:.d$}", diff.abs()))),
            (_, None) => signed(thousands(diff.abs() as u64)),
            (_, Some(percent)) => format!("{} ({}%)", signed(thousands(diff.abs() as u64)), signed(format!("{:.d$}", percent.abs()))),
        };
        (text, direction)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_use_percent_for_counts_and_points_for_rates() {
        let n = Numbers::default();
        let count = |n| Some(Value::Count(n));
        let rate = |r| Some(Value::Rate(Some(r)));
        assert_eq!(n.change(Metric::Children, count(233), count(288)), ("+55 (+23.6%)".to_string(), "up"));
        assert_eq!(n.change(Metric::Episodes, count(1567), count(1166)), ("−401 (−25.6%)".to_string(), "down"));
        assert_eq!(n.change(Metric::PctRhiAccepted, rate(56.5), rate(77.7)), ("+21.2 pts".to_string(), "up"));
        assert_eq!(n.change(Metric::Episodes, count(5), count(5)), ("no change".to_string(), "same"));
        assert_eq!(n.change(Metric::Episodes, count(0), count(5)), ("+5".to_string(), "up"));
        assert_eq!(n.change(Metric::EpisodesPerChild, rate(2.5), rate(2.0)), ("−0.5".to_string(), "down"));
        assert_eq!(n.change(Metric::PctRhiAccepted, rate(50.0), Some(Value::Rate(None))).1, "none");
        assert_eq!(n.change(Metric::Episodes, Some(Value::Suppressed), count(5)).1, "none");
    }

    #[test]
    fn a_change_that_rounds_to_zero_has_no_sign_and_decimals_follow_the_setting() {
        let rate = |r| Some(Value::Rate(Some(r)));
        let one = Numbers::default();
        // 2.14 and 2.10 print as 2.1 and 2.1: the change is 0.0, not +0.0.
        assert_eq!(one.change(Metric::PctRhiAccepted, rate(2.10), rate(2.14)), ("0.0 pts".to_string(), "up"));
        assert_eq!(one.change(Metric::EpisodesPerChild, rate(3.64), rate(3.62)), ("0.0".to_string(), "down"));
        // 1,000 to 1,001 is +1 and +0.1%; 10,000 to 10,001 rounds to 0.0%.
        assert_eq!(one.change(Metric::Episodes, Some(Value::Count(10_000)), Some(Value::Count(10_001))).0, "+1 (0.0%)");
        let none = Numbers { decimals: 0 };
        assert_eq!(none.value(Metric::PctRhiAccepted, rate(75.66)), "76%");
        assert_eq!(none.change(Metric::PctRhiAccepted, rate(50.0), rate(60.4)).0, "+10 pts");
        let two = Numbers { decimals: 2 };
        assert_eq!(two.value(Metric::PctRhiAccepted, rate(32.9113)), "32.91%");
        assert_eq!(two.value(Metric::Children, Some(Value::Count(12_345))), "12,345");
        assert_eq!(two.value(Metric::Children, Some(Value::Suppressed)), "c");
        assert_eq!(two.value(Metric::Children, None), "not recorded");
    }
}
