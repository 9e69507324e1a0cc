//! What the charts need besides the figures, built by `config`.

use std::collections::BTreeMap;

use crate::metrics::Metric;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChartContext {
    /// Configured targets (`targets:`), drawn as reference lines on the charts of their metric.
    pub targets: BTreeMap<Metric, f64>,
    /// Decimal places of a percentage in words (alt text), as the paper prints them.
    pub decimals: usize,
}
