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

    /// Several authorities' episodes as one table (a region's), each child
    /// still its own: the child numbers of each part follow those of the
    /// parts before. A canonical column counts as present if every part has it.
    pub fn combine(parts: Vec<Episodes>) -> PolarsResult<Episodes> {
        let mut frames = Vec::with_capacity(parts.len());
        let mut columns: Option<BTreeSet<Field>> = None;
        let mut reasons = ReasonVocabulary::default();
        let mut children = 0u32;
        for part in parts {
            let highest = part.frame.column("child")?.u32()?.max();
            let shifted = part.frame.clone().lazy().with_column(col("child") + lit(children)).collect()?;
            children += highest.map_or(0, |h| h + 1);
            frames.push(shifted);
            columns = Some(match columns {
                None => part.columns,
                Some(seen) => seen.intersection(&part.columns).copied().collect(),
            });
            reasons = part.reasons;
        }
        let mut frames = frames.into_iter();
        let mut frame = frames.next().unwrap_or_default();
        for next in frames {
            frame.vstack_mut(&next)?;
        }
        frame.rechunk_mut();
        Ok(Episodes { frame, columns: columns.unwrap_or_default(), reasons })
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
