//! Turns episodes into the figures of METRICS.md: headline metrics and
//! breakdowns for every cohort and period, comparisons, and small-number
//! suppression, with the export in CSV or JSON lines, and the statistical
//! process control of the monthly series.
//!
//! Every window (a month, quarter, year, rolling twelve months, or a window
//! the report needs such as "April to September") is a run of whole months;
//! `engine` computes sums and distinct children over each window with
//! polars, `compute` turns them into `Metrics`.

mod breakdown;
mod catalogue;
mod compare;
mod compute;
mod dimension;
mod engine;
mod export;
mod regional;
pub mod repeats;
mod spc;
#[cfg(test)]
mod spc_cases;
pub mod suppression;
mod tally;
mod target;
#[cfg(test)]
mod tests;
mod windows;
mod xmr;

pub use breakdown::BreakdownRow;
pub use catalogue::{Cohort, Metric, PeriodKind, Totals, Value};
pub use compare::{Change, Comparison};
pub use compute::{compute, Metrics, MetricsContext};
pub use dimension::{age_band_labels, Dimension, EPISODES_PER_CHILD_BANDS};
pub use export::MetricRow;
pub use regional::{compared, ComparedFigures, RegionalFigures, COMPARED};
pub use spc::{Assurance, SpcPoint, SpcSeries, SpcSettings, Variation, MIN_VALUES as SPC_MIN_VALUES, SPC_COHORTS, SPC_METRICS};
pub use target::{Better, Target, TargetSetting};
pub use windows::{Period, ReportWindows, Window};
pub use xmr::{Direction, Limits, Signal, XmrOptions};
