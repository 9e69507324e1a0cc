//! Statistical process control of METRICS.md: which monthly series are
//! charted, over which months, grouped at which rebase months, and what
//! each month's signal means (variation) and what a target can expect
//! (assurance); written as `spc.csv`. The arithmetic is `xmr.rs`.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::{Context, Result};
use serde::Deserialize;

use super::catalogue::{Cohort, Metric};
use super::target::{Better, Target};
use super::windows::Window;
use super::xmr::{self, Direction, Limits, Signal, XmrOptions};
use crate::period::YearMonth;

/// The series METRICS.md charts, in `spc.csv`'s order within a cohort.
pub const SPC_METRICS: [Metric; 4] = [Metric::Children, Metric::Episodes, Metric::PctEpisodesRhiOffered, Metric::PctRhiWithin72h];
/// The cohorts charted.
pub const SPC_COHORTS: [Cohort; 2] = [Cohort::All, Cohort::LookedAfter];
/// A series or a group with fewer values than this gets no limits.
pub const MIN_VALUES: usize = 12;

/// The `spc:` section of the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SpcSettings {
    /// Months charted, ending with the period end.
    pub months: u32,
    /// Limits from the first this many values of each group (at least 12); `None`: all of them.
    pub baseline_months: Option<u32>,
    /// Months that start a new group (a service change): own baseline, limits and runs.
    pub rebase: Vec<YearMonth>,
}

impl Default for SpcSettings {
    fn default() -> Self {
        SpcSettings { months: 24, baseline_months: None, rebase: Vec::new() }
    }
}

impl SpcSettings {
    /// The first setting that cannot be charted with: its key under `spc:` and the problem.
    pub fn problem(&self) -> Option<(&'static str, String)> {
        if !(MIN_VALUES as u32..=120).contains(&self.months) {
            return Some(("months", format!("spc.months must be from 12 to 120 (found {})", self.months)));
        }
        match self.baseline_months {
            Some(b) if b < MIN_VALUES as u32 => {
                Some(("baseline_months", format!("spc.baseline_months must be at least 12, or left out for all months (found {b})")))
            }
            _ => None,
        }
    }
}

/// What a signal says about performance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variation {
    CommonCause,
    Improvement,
    Concern,
    /// A signal in a series with no better direction.
    Neutral,
}

impl Variation {
    pub fn id(self) -> &'static str {
        match self {
            Variation::CommonCause => "common_cause",
            Variation::Improvement => "improvement",
            Variation::Concern => "concern",
            Variation::Neutral => "neutral",
        }
    }

    /// The variation of a month with `signal` in a series where `better` is better.
    pub fn of(signal: Option<(Signal, Direction)>, better: Better) -> Variation {
        match (signal, better) {
            (None, _) => Variation::CommonCause,
            (Some(_), Better::Neutral) => Variation::Neutral,
            (Some((_, Direction::Up)), Better::Higher) | (Some((_, Direction::Down)), Better::Lower) => Variation::Improvement,
            (Some(_), _) => Variation::Concern,
        }
    }
}

/// Whether the process can be expected to meet a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Assurance {
    /// The target lies beyond the limit on the worse side: every month can be expected to meet it.
    Pass,
    /// The target lies beyond the limit on the better side: no month can be expected to meet it.
    Fail,
    /// The target lies within the limits: some months will meet it and some will not.
    HitAndMiss,
}

impl Assurance {
    pub fn id(self) -> &'static str {
        match self {
            Assurance::Pass => "pass",
            Assurance::Fail => "fail",
            Assurance::HitAndMiss => "hit_and_miss",
        }
    }

    /// The assurance of `limits` against `target`; `None` with no better direction.
    pub fn of(limits: &Limits, target: f64, better: Better) -> Option<Assurance> {
        let (worse_side_beyond, better_side_beyond) = match better {
            Better::Higher => (target < limits.lower, target > limits.upper),
            Better::Lower => (target > limits.upper, target < limits.lower),
            Better::Neutral => return None,
        };
        Some(if worse_side_beyond {
            Assurance::Pass
        } else if better_side_beyond {
            Assurance::Fail
        } else {
            Assurance::HitAndMiss
        })
    }
}

/// One month of a series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpcPoint {
    pub month: YearMonth,
    pub value: f64,
    /// `None` when the series or the month's group is too short for limits.
    pub limits: Option<Limits>,
    pub signal: Option<(Signal, Direction)>,
    /// `None` without limits.
    pub variation: Option<Variation>,
}

/// A cohort's metric month by month with its limits and signals.
#[derive(Debug, Clone, PartialEq)]
pub struct SpcSeries {
    pub cohort: Cohort,
    pub metric: Metric,
    pub better: Better,
    pub target: Option<f64>,
    /// Against the limits of the latest group; `None` with no target, no limits or no better direction.
    pub assurance: Option<Assurance>,
    /// The months charted that have a value, in order.
    pub points: Vec<SpcPoint>,
}

impl SpcSeries {
    /// The latest month's point: the variation icon's.
    pub fn latest(&self) -> Option<&SpcPoint> {
        self.points.last()
    }
}

/// Charts every series METRICS.md names that the input can give: `value`
/// reads a cohort's metric for one month (`None`: not computed or empty).
pub fn series(
    settings: &SpcSettings,
    targets: &BTreeMap<Metric, Target>,
    period_end: YearMonth,
    first_month: YearMonth,
    available: impl Fn(Metric) -> bool,
    value: impl Fn(Cohort, Metric, Window) -> Option<f64>,
) -> Vec<SpcSeries> {
    let start = period_end.plus(1 - settings.months as i32).max(first_month);
    let options = XmrOptions { baseline: settings.baseline_months.map(|b| b as usize), screen: true };
    let mut all = Vec::new();
    for cohort in SPC_COHORTS {
        for metric in SPC_METRICS.into_iter().filter(|m| available(*m)) {
            let (target, better) = match targets.get(&metric) {
                Some(t) => (t.target, t.better),
                None => (None, metric.better_by_default()),
            };
            // A target is set for all children; a target on a count is for the
            // year to date (the targets table), not for a month: neither is a
            // target for this series.
            let target = target.filter(|_| cohort == Cohort::All && metric.is_rate());
            let values: Vec<(YearMonth, f64)> = (0..=period_end.0 - start.0)
                .map(|i| start.plus(i))
                .filter_map(|month| value(cohort, metric, Window::new(month, month)).map(|v| (month, v)))
                .collect();
            all.push(chart_series(cohort, metric, better, target, &values, &settings.rebase, options));
        }
    }
    all
}

fn chart_series(
    cohort: Cohort,
    metric: Metric,
    better: Better,
    target: Option<f64>,
    values: &[(YearMonth, f64)],
    rebase: &[YearMonth],
    options: XmrOptions,
) -> SpcSeries {
    // A rebase month starts a group at the first value from that month on.
    let starts: Vec<usize> = rebase.iter().filter_map(|month| values.iter().position(|(m, _)| m >= month)).collect();
    let numbers: Vec<f64> = values.iter().map(|(_, v)| *v).collect();
    let charted = xmr::chart(&numbers, &starts, options);
    let points: Vec<SpcPoint> = values
        .iter()
        .zip(&charted)
        .map(|(&(month, value), c)| match values.len() >= MIN_VALUES && c.group_len >= MIN_VALUES {
            true => SpcPoint { month, value, limits: Some(c.limits), signal: c.signal, variation: Some(Variation::of(c.signal, better)) },
            false => SpcPoint { month, value, limits: None, signal: None, variation: None },
        })
        .collect();
    let assurance = match (target, points.last().and_then(|p| p.limits)) {
        (Some(target), Some(limits)) => Assurance::of(&limits, target, better),
        _ => None,
    };
    SpcSeries { cohort, metric, better, target, assurance, points }
}

/// Writes `spc.csv`: one row per month of each series, sorted by cohort, metric and month.
pub fn write_csv(series: &[SpcSeries], out: impl Write) -> Result<()> {
    let mut sorted: Vec<&SpcSeries> = series.iter().collect();
    sorted.sort_by_key(|s| (s.cohort.id(), s.metric.id()));
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "cohort",
        "metric",
        "month",
        "value",
        "mean",
        "lower_limit",
        "upper_limit",
        "signal",
        "variation",
        "assurance",
    ])?;
    for s in sorted {
        let assurance = s.assurance.map_or("", Assurance::id);
        for p in &s.points {
            let limit = |f: fn(&Limits) -> f64| p.limits.as_ref().map(|l| f(l).to_string()).unwrap_or_default();
            writer.write_record([
                s.cohort.id(),
                s.metric.id(),
                &p.month.label(),
                &p.value.to_string(),
                &limit(|l| l.mean),
                &limit(|l| l.lower),
                &limit(|l| l.upper),
                p.signal.map_or("", |(signal, _)| signal.id()),
                p.variation.map_or("", Variation::id),
                assurance,
            ])?;
        }
    }
    writer.flush().context("writing spc.csv")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A series of `values` from April 2023 (`None`: a month with no value).
    fn chart_of(values: &[Option<f64>], settings: &SpcSettings, targets: &BTreeMap<Metric, Target>) -> SpcSeries {
        let first = YearMonth::new(2023, 4);
        let end = first.plus(values.len() as i32 - 1);
        let all = series(
            settings,
            targets,
            end,
            first,
            |m| m == Metric::PctRhiWithin72h,
            |cohort, _, window| (cohort == Cohort::All).then(|| values[(window.first.0 - first.0) as usize]).flatten(),
        );
        all.into_iter().find(|s| s.cohort == Cohort::All).unwrap()
    }

    #[test]
    fn a_month_without_a_value_is_left_out_and_a_short_series_has_no_limits() {
        let mut values: Vec<Option<f64>> = (0..12).map(|i| Some(50.0 + (i % 3) as f64)).collect();
        values[4] = None;
        let s = chart_of(&values, &SpcSettings::default(), &BTreeMap::new());
        assert_eq!(s.points.len(), 11);
        assert!(s.points.iter().all(|p| p.limits.is_none() && p.signal.is_none() && p.variation.is_none()));
        assert_eq!(s.better, Better::Higher, "the metric's own direction");
        values[4] = Some(51.0);
        let s = chart_of(&values, &SpcSettings::default(), &BTreeMap::new());
        assert!(s.points.iter().all(|p| p.limits.is_some() && p.variation == Some(Variation::CommonCause)));
    }

    #[test]
    fn the_months_charted_end_with_the_period_and_a_rebase_starts_new_limits() {
        // 30 months: 24 are charted (July 2023 on); 12 around 50, then 12 around 80 from July 2024.
        let values: Vec<Option<f64>> =
            (0..30).map(|i| Some(if i < 18 { 50.0 + (i % 2) as f64 * 2.0 } else { 80.0 + (i % 2) as f64 * 2.0 })).collect();
        let one = chart_of(&values, &SpcSettings::default(), &BTreeMap::new());
        assert_eq!((one.points.len(), one.points[0].month), (24, YearMonth::new(2023, 10)));
        assert!(one.points.iter().any(|p| p.signal.is_some()), "one set of limits over a step change signals");
        let rebased = SpcSettings { rebase: vec![YearMonth::new(2024, 10)], ..SpcSettings::default() };
        let targets = BTreeMap::from([(Metric::PctRhiWithin72h, Target { target: Some(60.0), better: Better::Higher })]);
        let two = chart_of(&values, &rebased, &targets);
        let (before, after) = two.points.split_at(12);
        assert_eq!(after[0].month, YearMonth::new(2024, 10));
        assert_eq!(before[0].limits.unwrap().mean, 51.0);
        assert_eq!(after[0].limits.unwrap().mean, 81.0);
        assert!(two.points.iter().all(|p| p.signal.is_none()), "each group is steady on its own");
        // Assurance from the latest group's limits (81 -/+ 5.32): a target of 60 is met every month.
        assert_eq!(two.assurance, Some(Assurance::Pass));
        // A rebase with fewer than 12 months after it leaves those months without limits.
        let late = SpcSettings { rebase: vec![YearMonth::new(2025, 6)], ..SpcSettings::default() };
        let three = chart_of(&values, &late, &targets);
        assert!(three.points[..20].iter().all(|p| p.limits.is_some()));
        assert!(three.points[20..].iter().all(|p| p.limits.is_none()));
        assert_eq!(three.assurance, None);
    }

    #[test]
    fn a_fixed_baseline_sets_the_limits_from_its_first_months_only() {
        let values: Vec<Option<f64>> = (0..24).map(|i| Some(if i < 12 { 10.0 + (i % 2) as f64 * 2.0 } else { 30.0 })).collect();
        let fixed = SpcSettings { baseline_months: Some(12), ..SpcSettings::default() };
        let s = chart_of(&values, &fixed, &BTreeMap::new());
        let limits = s.points[23].limits.unwrap();
        assert_eq!(limits.mean, 11.0);
        assert!((limits.upper - (11.0 + 2.66 * 2.0)).abs() < 1e-12);
        assert!(s.points[12..].iter().all(|p| p.signal.map(|x| x.0) == Some(Signal::Outside)));
        assert_eq!(s.points[23].variation, Some(Variation::Improvement), "higher is better for the 72-hour share");
    }
}
