//! Breakdown tables: every category of a dimension for each cohort of one
//! window, zeros included, with small numbers suppressed across the cohorts
//! together before any table reaches the export or the report.

use std::collections::BTreeMap;

use super::catalogue::{Cohort, Totals, Value};
use super::dimension::Dimension;
use super::suppression::{self, Column};
use super::tally::CategoryCount;
use super::windows::Window;

/// One category of a breakdown, after suppression.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakdownRow {
    pub category: String,
    /// `None` where the dimension reports no episode count (`episodes_per_child`).
    pub episodes: Option<Value>,
    pub children: Value,
}

/// The categories of one breakdown over one window, for each cohort the
/// dimension is reported for, suppressed together: a category's count for
/// all children is its count in care plus its count missing from home, so
/// a cell hidden in one cohort is never left recoverable from the others.
pub(super) fn breakdown_rows(
    dimension: Dimension,
    categories: &[String],
    window: Window,
    totals: &BTreeMap<(Cohort, Window), Totals>,
    cells: &BTreeMap<(Cohort, Window, Dimension, String), CategoryCount>,
    threshold: u32,
) -> Vec<(Cohort, Vec<BreakdownRow>)> {
    let cohorts = dimension.cohorts();
    let total = |cohort: Cohort| totals.get(&(cohort, window)).copied().unwrap_or_default();
    // Per cohort, a children column, then (but for children by number of
    // episodes) an episodes column. Single-valued dimensions add up to the
    // total episodes; children may add up to more, but a total still narrows
    // what a hidden cell can be. Children by number of episodes are linked
    // across cohorts too, though a child's band for all children need not be
    // its band in care: the difference would still be close to a count.
    let with_episodes = dimension != Dimension::EpisodesPerChild;
    let mut columns = Vec::new();
    for &cohort in cohorts {
        let total = total(cohort);
        let get = |c: &String| cells.get(&(cohort, window, dimension, c.clone())).copied().unwrap_or_default();
        let children =
            if with_episodes { categories.iter().map(|c| get(c).children).collect() } else { total.children_by_episodes.to_vec() };
        columns.push(Column { cells: children, total: Some(total.children) });
        if with_episodes {
            let episodes_total = (!dimension.multi_valued()).then_some(total.episodes);
            columns.push(Column { cells: categories.iter().map(|c| get(c).episodes).collect(), total: episodes_total });
        }
    }
    let per_cohort = if with_episodes { 2 } else { 1 };
    let linked: Vec<[usize; 3]> = if cohorts == Cohort::ALL {
        // All children, then in care, then missing from home.
        (0..per_cohort).map(|k| [k, per_cohort + k, 2 * per_cohort + k]).collect()
    } else {
        Vec::new()
    };
    let mut shown = suppression::suppress_linked(&columns, &linked, threshold).into_iter();
    cohorts
        .iter()
        .map(|&cohort| {
            let children = shown.next().unwrap_or_default();
            let episodes: Vec<Option<Value>> =
                if with_episodes { shown.next().unwrap_or_default().into_iter().map(Some).collect() } else { vec![None; children.len()] };
            let rows = categories.iter().zip(children.into_iter().zip(episodes)).map(|(c, (ch, e))| BreakdownRow {
                category: c.clone(),
                episodes: e,
                children: ch,
            });
            (cohort, rows.collect())
        })
        .collect()
}
