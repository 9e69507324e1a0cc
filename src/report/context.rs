//! What the report needs besides the figures, built by `config`.

use std::collections::BTreeMap;

use super::details::ReportDetails;
use crate::metrics::{Metric, Target};

#[derive(Debug, Clone, PartialEq)]
pub struct ReportContext {
    /// Cover details, the authority's name resolved.
    pub details: ReportDetails,
    /// Whether the period end was set (else: the last complete month in the data).
    pub period_end_set: bool,
    /// The figures come from the bundled fictional example: every page says so.
    pub example_data: bool,
    /// The built-in template's name, or `custom`.
    pub template: String,
    /// Targets set for metrics, shown with a red, amber or green status.
    pub targets: BTreeMap<Metric, Target>,
}
