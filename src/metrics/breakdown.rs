//! Breakdown tables: every category of a dimension for one cohort and
//! window, zeros included, with small numbers suppressed before any table
//! reaches the export or the report.

use std::collections::BTreeMap;

use super::catalogue::{Cohort, Totals, Value};
use super::dimension::Dimension;
use super::engine::CategoryCount;
use super::suppression;
use super::windows::Window;

/// One category of a breakdown, after suppression.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakdownRow {
    pub category: String,
    /// `None` where the dimension reports no episode count (`episodes_per_child`).
    pub episodes: Option<Value>,
    pub children: Value,
}

/// The categories of one breakdown with their counts, suppressed.
pub(super) fn breakdown_rows(
    dimension: Dimension,
    categories: &[String],
    cohort: Cohort,
    window: Window,
    total: &Totals,
    cells: &BTreeMap<(Cohort, Window, Dimension, String), CategoryCount>,
    threshold: u32,
) -> Vec<BreakdownRow> {
    if dimension == Dimension::EpisodesPerChild {
        let children: Vec<u64> = total.children_by_episodes.to_vec();
        let shown = suppression::suppress(&children, Some(total.children), threshold);
        return categories.iter().zip(shown).map(|(c, v)| BreakdownRow { category: c.clone(), episodes: None, children: v }).collect();
    }
    let get = |c: &String| cells.get(&(cohort, window, dimension, c.clone())).copied().unwrap_or_default();
    let episodes: Vec<u64> = categories.iter().map(|c| get(c).episodes).collect();
    let children: Vec<u64> = categories.iter().map(|c| get(c).children).collect();
    // Single-valued dimensions add up to the total episodes; children may
    // add up to more, but a total still narrows what a hidden cell can be.
    let episodes_total = (!dimension.multi_valued()).then_some(total.episodes);
    let episodes = suppression::suppress(&episodes, episodes_total, threshold);
    let children = suppression::suppress(&children, Some(total.children), threshold);
    categories
        .iter()
        .zip(episodes.into_iter().zip(children))
        .map(|(c, (e, ch))| BreakdownRow { category: c.clone(), episodes: Some(e), children: ch })
        .collect()
}
