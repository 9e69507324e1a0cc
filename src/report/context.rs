//! What the report needs besides the figures, built by `config`.

use super::details::ReportDetails;

#[derive(Debug, Clone, PartialEq)]
pub struct ReportContext {
    /// Cover details, the authority's name resolved.
    pub details: ReportDetails,
    /// Whether the period end was set (else: the last complete month in the data).
    pub period_end_set: bool,
}
