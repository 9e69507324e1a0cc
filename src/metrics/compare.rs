//! Comparisons: the change of a metric between two windows (absolute,
//! percentage for counts, points for rates), computed from unrounded values.

use super::catalogue::{Cohort, Metric, PeriodKind, Value};
use super::compute::Metrics;
use super::windows::{Period, Window};

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

impl Metrics {
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
}
