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

    /// The months of the run that holds the latest month's signal, first and
    /// last (the whole run of its kind that ends with the latest month).
    pub fn latest_run(&self) -> Option<(YearMonth, usize)> {
        let last = self.points.last()?;
        let signal = last.signal?;
        let run = self.points.iter().rev().take_while(|p| p.signal == Some(signal)).count();
        Some((self.points[self.points.len() - run].month, run))
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
    let mut bounds: Vec<usize> = starts.iter().copied().filter(|s| *s > 0).collect();
    bounds.extend([0, values.len()]);
    bounds.sort_unstable();
    bounds.dedup();
    let mut points = Vec::with_capacity(values.len());
    for group in bounds.windows(2) {
        let long_enough = values.len() >= MIN_VALUES && group[1] - group[0] >= MIN_VALUES;
        for i in group[0]..group[1] {
            let (month, value) = values[i];
            points.push(match long_enough {
                true => SpcPoint {
                    month,
                    value,
                    limits: Some(charted[i].limits),
                    signal: charted[i].signal,
                    variation: Some(Variation::of(charted[i].signal, better)),
                },
                false => SpcPoint { month, value, limits: None, signal: None, variation: None },
            });
        }
    }
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
