//! The typed episode table ingest hands to metrics.

use std::collections::BTreeSet;

use polars::prelude::*;

use super::field::Field;
use crate::reasons::ReasonVocabulary;
use crate::rules::CountingRules;

/// The episodes, one row each: `child` (a number standing for the child,
/// given in order of first appearance: the identifier itself never enters
/// the frame), `looked_after`, `absent`, `start`,
/// `end` (unknown or open: null), `open`, `date_of_birth`, `age` (at start),
/// `sex` (male/female/other_unknown), `ethnicity_group`, `placement_area`, `uasc`,
/// `reason` (codes of `reasons` joined by `;`), `cse_risk`, `cce_risk`,
/// `rhi_offered`, `rhi_outcome`, `rhi_completed`.
#[derive(Debug, Clone)]
pub struct Episodes {
    pub frame: DataFrame,
    /// Canonical columns the input carried; metrics needing others are not produced.
    pub columns: BTreeSet<Field>,
    /// The codes `reason` holds and the label each prints as.
    pub reasons: ReasonVocabulary,
}

impl Episodes {
    pub fn has(&self, field: Field) -> bool {
        self.columns.contains(&field)
    }

    /// Episodes the rules count (absences only when they are included).
    pub fn counted(&self, rules: &CountingRules) -> usize {
        if rules.include_absent {
            return self.frame.height();
        }
        let absences = self.frame.column("absent").ok().and_then(|c| c.bool().ok().map(|b| b.sum().unwrap_or(0) as usize));
        self.frame.height() - absences.unwrap_or(0)
    }
}
